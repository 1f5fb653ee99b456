//! What-if: mark modules done or drag their coverage; the total, every phase and
//! pass/fail follow at once. Nothing here touches the plan or the report.

use super::{checked_of, mark, pct2, target_text, value_of, Ctx, UiAction};
use covgap_core::plan::{ModuleOverride, ModuleStatus, WhatIf};
use yew::prelude::*;

pub(super) fn view(c: &Ctx) -> Html {
    let s = c.status;
    let p = c.precision();
    let step = match p {
        0 => "1",
        1 => "0.1",
        _ => "0.01",
    };
    html! {
        <div class="plan-what-if">
            <div class="controls">
                <p class="hint">{"Drag a module's coverage, or tick Done for \"as if it had just reached its target\". The total, the phases and pass/fail update at once; the plan and the report stay as they are."}</p>
                <button type="button" id="what-if-reset" disabled={!s.what_if}
                    onclick={c.act(UiAction::SetWhatIf(WhatIf::none()))}>{"Reset all"}</button>
            </div>
            <ul class="what-if-list">
                { for s.modules.iter().map(|m| module(c, m, c.base.modules.get(m.index), step)) }
            </ul>
            <section class="what-if-phases" aria-labelledby="what-if-phases-title">
                <h3 id="what-if-phases-title">{ if s.what_if { "Phases with these changes" } else { "Phases" } }</h3>
                if s.phases.is_empty() {
                    <p class="note">{"No phases: the plan's own criteria."}</p>
                    { super::phases::criteria_list(&s.plan_criteria, &c.effect) }
                }
                <ol class="phase-summary">
                    { for s.phases.iter().map(|ph| html! {
                        <li class={classes!(ph.is_current.then_some("current"))} data-phase={(ph.index + 1).to_string()}>
                            <span class={classes!("mark", if ph.passes { "met" } else { "unmet" })}>{ if ph.passes { "✅ passes" } else { "⏳ not yet" } }</span>
                            <span>{ format!("Phase {}: ", ph.index + 1) }<span class="phase-name">{ ph.name.clone() }</span></span>
                            <span class="muted" data-field="phase-met">{ format!("{} of {} criteria met{}", ph.met, ph.criteria.len(), if ph.is_current { " · current" } else { "" }) }</span>
                        </li>
                    }) }
                </ol>
            </section>
        </div>
    }
}

fn module(c: &Ctx, m: &ModuleStatus, base: Option<&ModuleStatus>, step: &'static str) -> Html {
    let i = m.index;
    let name = m.name.clone();
    let on_range = {
        let d = c.dispatch.clone();
        let name = name.clone();
        Callback::from(move |e: InputEvent| {
            let v = value_of(&e);
            if let Ok(x) = v.parse::<f64>() {
                d.emit(UiAction::Percent(name.clone(), x));
            }
        })
    };
    let on_done = {
        let d = c.dispatch.clone();
        let name = name.clone();
        Callback::from(move |e: Event| d.emit(UiAction::Done(name.clone(), checked_of(&e))))
    };
    let done = m.what_if == Some(ModuleOverride::Done);
    let now = base.map_or(m.current, |b| b.current);
    let metric = if m.metric == covgap_core::plan::Metric::Combined {
        String::new()
    } else {
        format!(" {}", m.metric.key())
    };
    html! {
        <li class={classes!("what-if-module", m.what_if.is_some().then_some("changed"))} data-module={name.clone()}>
            <div class="what-if-head">
                <label for={format!("wi-{i}")} class="module-name">{ name.clone() }</label>
                <span class="what-if-figures">
                    <output for={format!("wi-{i}")} data-field="what-if-value">{ pct2(c.status, m.current) }</output>
                    { format!("{metric} · target {} · report {}", target_text(m.target), pct2(c.status, now)) }
                    { " " }{ mark(m.meets_target) }
                </span>
            </div>
            <div class="what-if-controls">
                <input type="range" id={format!("wi-{i}")} min="0" max="100" step={step}
                    value={m.current.to_string()} oninput={on_range}
                    aria-describedby={format!("wi-{i}-desc")} />
                <span class="visually-hidden" id={format!("wi-{i}-desc")}>{ format!("Coverage of {name}{metric}, what-if, in percent") }</span>
                <label class="check">
                    <input type="checkbox" id={format!("wi-done-{i}")} checked={done} onchange={on_done} />
                    {"Done"}<span class="visually-hidden">{ format!(" ({name} at its target)") }</span>
                </label>
                if m.what_if.is_some() {
                    <button type="button" class="small" onclick={c.act(UiAction::Clear(name.clone()))}
                        aria-label={format!("Reset {name} to the report")}>{"Reset"}</button>
                }
            </div>
        </li>
    }
}
