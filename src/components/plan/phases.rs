//! Phases: each with its progress from baseline to target, its exit criteria marked met
//! or unmet with the numbers (the same lines `covgap check` prints), its modules with
//! their own bars; the current phase stands out.

use super::{mark, pct2, target_text, Ctx, Section, UiAction};
use crate::components::bar;
use covgap_core::plan::evaluate::why_empty;
use covgap_core::plan::{CriterionKind, CriterionStatus, PhaseStatus, PlanStatus};
use yew::prelude::*;

pub(super) fn view(c: &Ctx) -> Html {
    let s = c.status;
    if s.phases.is_empty() {
        return html! {
            <div class="plan-phases">
                <p class="note">{"This plan has no phases; the plan's own criteria decide pass or fail (what "}<code>{"covgap check"}</code>{" checks):"}</p>
                { criteria_list(&s.plan_criteria, &c.effect) }
                <p><button type="button" onclick={c.act(UiAction::Show(Section::Editor))}>{"Add phases in the editor"}</button></p>
            </div>
        };
    }
    html! {
        <div class="plan-phases">
            <ol class="phase-list">
                { for s.phases.iter().map(|ph| phase(c, ph)) }
            </ol>
        </div>
    }
}

fn phase(c: &Ctx, ph: &PhaseStatus) -> Html {
    let s = c.status;
    let frac = (ph.progress * 100.0).round();
    let state = if ph.passes {
        "✅ passes"
    } else if ph.is_current {
        "⏳ current phase"
    } else {
        "⏳ not yet"
    };
    let notes = c
        .plan
        .plan
        .phases
        .get(ph.index)
        .and_then(|x| x.notes.clone());
    html! {
        <li class={classes!("phase", ph.is_current.then_some("current"), ph.passes.then_some("passed"))}
            id={format!("phase-{}", ph.index + 1)} aria-current={ph.is_current.then_some("step")}>
            <div class="phase-head">
                <h3>{ format!("Phase {}: ", ph.index + 1) }<span class="phase-name">{ ph.name.clone() }</span></h3>
                <span class={classes!("badge", if ph.passes { "pass" } else if ph.is_current { "now" } else { "later" })} data-field="phase-state">{ state }</span>
            </div>
            <div class="phase-progress">
                { bar(frac, None, &format!("Phase {} progress: {frac}%", ph.index + 1)) }
                <p class="formula">
                    { format!("{frac}% of the way from {} to {} (total now {}) · {} of {} criteria met · fail_under {}",
                        target_text(ph.baseline), target_text(ph.target), pct2(s, s.total_percent), ph.met, ph.criteria.len(), ph.fail_under) }
                </p>
            </div>
            <h4 class="visually-hidden">{ format!("Exit criteria of phase {}", ph.index + 1) }</h4>
            { criteria_list(&ph.criteria, &c.effect) }
            if !ph.modules.is_empty() {
                <h4>{"Modules"}</h4>
                { modules(s, &ph.modules) }
            }
            if let Some(n) = notes {
                <p class="phase-notes">{ n }</p>
            }
        </li>
    }
}

/// Items listed under a criterion before the rest fold away.
const ITEMS_OPEN: usize = 10;

/// Criteria as `covgap check` prints them: mark, label, numbers; the files (or modules)
/// a criterion names are listed under it, each name shown visibly.
pub(super) fn criteria_list(
    criteria: &[CriterionStatus],
    effect: &Callback<crate::components::Effect>,
) -> Html {
    html! {
        <ul class="criteria">
            { for criteria.iter().map(|k| html! {
                <li class={classes!("criterion", if k.met { "met" } else { "unmet" })} data-met={k.met.to_string()}>
                    { mark(k.met) }{" "}
                    <span class="criterion-label">{ k.label.clone() }</span>{ ": " }
                    <span class="criterion-detail">{ if k.detail.is_empty() { String::new() } else { crate::fmt::path(&k.detail) } }</span>
                    if !k.met && !k.items.is_empty() && k.kind != CriterionKind::ModulesMatch {
                        { items(&k.items, (k.kind == CriterionKind::NoFileBelowFloor).then_some(effect)) }
                    }
                </li>
            }) }
        </ul>
    }
}

/// The items of a criterion; files (with `effect`) open in the file view.
fn items(list: &[String], effect: Option<&Callback<crate::components::Effect>>) -> Html {
    let li = |p: &String| {
        let label = crate::components::path_text(p);
        match effect {
            Some(e) => html! { <li>{ crate::components::file_button(p, None, label, e) }</li> },
            None => html! { <li>{ label }</li> },
        }
    };
    html! {
        <div class="criterion-items">
            <ul data-field="criterion-items">{ for list.iter().take(ITEMS_OPEN).map(li) }</ul>
            if list.len() > ITEMS_OPEN {
                <details>
                    <summary>{ format!("{} more", list.len() - ITEMS_OPEN) }</summary>
                    <ul>{ for list.iter().skip(ITEMS_OPEN).map(li) }</ul>
                </details>
            }
        </div>
    }
}

/// Modules with their own bar: coverage on their metric, the target marked.
fn modules(s: &PlanStatus, idx: &[usize]) -> Html {
    html! {
        <ul class="phase-modules">
            { for idx.iter().filter_map(|&i| s.modules.get(i)).map(|m| {
                let metric = if m.metric == covgap_core::plan::Metric::Combined { String::new() } else { format!(" ({})", m.metric.key()) };
                if !m.matched {
                    let why = if m.optional {
                        "optional: matching no file is expected".to_string()
                    } else {
                        why_empty(&m.suggestions, m.shadowed_by.as_deref())
                    };
                    return html! {
                        <li class={classes!("missing-module", m.optional.then_some("met"))} data-module={m.name.clone()}>
                            <span class="module-name">{ m.name.clone() }</span>
                            <span class="module-figures">
                                <span class="no-files">{"no files"}</span>{ format!(" → {}{metric} ", target_text(m.target)) }{ mark(m.meets_target) }
                            </span>
                            <span class="why-empty" data-field="why-empty">{ format!("{} ({})", why, m.patterns.iter().map(|p| crate::fmt::path(p)).collect::<Vec<_>>().join(", ")) }</span>
                        </li>
                    };
                }
                html! {
                    <li class={classes!(m.meets_target.then_some("met"))}>
                        <span class="module-name">{ m.name.clone() }</span>
                        <span class="module-figures">
                            { format!("{} → {}{metric}", pct2(s, m.current), target_text(m.target)) }
                            { " " }{ mark(m.meets_target) }
                        </span>
                        { bar(m.current, Some(m.target), &format!("{}: {} of a {} target", m.name, pct2(s, m.current), target_text(m.target))) }
                    </li>
                }
            }) }
        </ul>
    }
}
