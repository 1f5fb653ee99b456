//! The summary of the current report: the three percentages with their formulas, the
//! counts, the target, the gap, what closes it, and pass/fail as `--fail-under` says.

use super::bar;
use crate::fmt;
use crate::state::Loaded;
use covgap_core::analysis::gaps::{gap, Target};
use covgap_core::display::display_percent;
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`Summary`].
#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    /// The report.
    pub loaded: Rc<Loaded>,
    /// Target and precision.
    pub target: Target,
    /// New target percentage typed.
    pub on_target: Callback<f64>,
    /// New precision chosen.
    pub on_precision: Callback<u8>,
}

/// Totals, target and gap.
#[component]
pub fn Summary(p: &SummaryProps) -> Html {
    let t = &p.loaded.totals;
    let branches = p.loaded.report.source.branch_coverage;
    let prec = p.target.precision;
    let g = gap(t, p.target);
    let show = |x: f64| format!("{}%", fmt::pct(&display_percent(x, prec)));
    let on_target = {
        let cb = p.on_target.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().trim().parse::<f64>() {
                cb.emit(v);
            }
        })
    };
    let on_precision = {
        let cb = p.on_precision.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<u8>() {
                cb.emit(v);
            }
        })
    };
    let target_text = format!("{}%", fmt::pct(&p.target.percent.to_string()));
    let verdict = if g.passes {
        html! { <p class="verdict pass" data-field="verdict"><strong>{"✔ Passes"}</strong>{format!(" — coverage report --fail-under={} would succeed (precision {prec}).", p.target.percent)}</p> }
    } else {
        html! { <p class="verdict fail" data-field="verdict"><strong>{"✘ Below target"}</strong>{format!(" — coverage report --fail-under={} would fail: the total rounds to {}.", p.target.percent, show(g.percent))}</p> }
    };
    let needed = match (g.statements_needed, g.units_needed) {
        (_, Some(0)) => {
            html! { <p data-field="needed">{"Nothing more is needed to reach the target."}</p> }
        }
        (Some(s), Some(u)) if !branches || s == u => html! {
            <p data-field="needed">{"Cover "}<strong data-field="statements-needed">{ fmt::count(s) }</strong>{ format!(" more statement{} to reach {target_text}.", if s == 1 { "" } else { "s" }) }</p>
        },
        (Some(s), Some(u)) => html! {
            <p data-field="needed">{"Cover "}<strong data-field="statements-needed">{ fmt::count(s) }</strong>{" more statements, or "}<strong data-field="units-needed">{ fmt::count(u) }</strong>{ format!(" statements and branches in any mix, to reach {target_text}.") }</p>
        },
        (None, Some(u)) => html! {
            <p data-field="needed">{"Statements alone cannot reach the target: cover "}<strong data-field="units-needed">{ fmt::count(u) }</strong>{ format!(" statements and branches together to reach {target_text}.") }</p>
        },
        (_, None) => {
            html! { <p data-field="needed">{"Even full coverage would not reach this target."}</p> }
        }
    };
    html! {
        <section class="summary" aria-labelledby="summary-title">
            <h2 id="summary-title" class="visually-hidden">{"Summary"}</h2>
            <div class="figures">
                <div class="figure main">
                    <span class="label">{"Total"}</span>
                    <span class="value" data-field="total-percent">{ show(t.percent_covered()) }</span>
                    <span class="formula">{ if branches { "(covered statements + covered branches) ÷ (statements + branches), as coverage.py" } else { "covered statements ÷ statements, as coverage.py" } }</span>
                </div>
                <div class="figure">
                    <span class="label">{"Statements"}</span>
                    <span class="value" data-field="statements-percent">{ show(t.percent_statements()) }</span>
                    <span class="formula">{ format!("{} of {} statements covered", fmt::count(t.covered), fmt::count(t.statements)) }</span>
                </div>
                if branches {
                    <div class="figure">
                        <span class="label">{"Branches"}</span>
                        <span class="value" data-field="branches-percent">{ show(t.percent_branches()) }</span>
                        <span class="formula">{ format!("{} of {} branches taken; {} lines partly", fmt::count(t.covered_branches), fmt::count(t.branches), fmt::count(t.partial_branches)) }</span>
                    </div>
                }
                <div class="figure">
                    <span class="label">{"Missing"}</span>
                    <span class="value" data-field="missing-count">{ fmt::count(t.missing) }</span>
                    <span class="formula">{ format!("statements never run; {} excluded", fmt::count(t.excluded)) }</span>
                </div>
            </div>
            <div class="target-row">
                <label class="field">
                    <span>{"Target %"}</span>
                    <input id="target" type="number" min="0" max="100" step="any" inputmode="decimal"
                        value={p.target.percent.to_string()} onchange={on_target} />
                </label>
                <label class="field">
                    <span>{"Precision"}</span>
                    <select id="precision" onchange={on_precision}>
                        { for (0..=3u8).map(|n| html! { <option value={n.to_string()} selected={n == prec}>{ format!("{n} decimal{}", if n == 1 { "" } else { "s" }) }</option> }) }
                    </select>
                </label>
                <div class="progress">
                    { bar(t.percent_covered(), Some(p.target.percent), &format!("{} of target {}", show(t.percent_covered()), target_text)) }
                    <span class="gap" data-field="gap">{
                        if g.passes { "At or above target".to_string() } else { format!("{} pp to go", fmt::pp(g.gap_pp)) }
                    }</span>
                </div>
            </div>
            { verdict }
            { needed }
        </section>
    }
}
