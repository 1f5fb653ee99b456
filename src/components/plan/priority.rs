//! The priority table (sortable by every column, or the quick-wins preset) and the
//! cheapest path to a goal.

use super::{pct2, target_text, value_of, Ctx, Section, UiAction};
use crate::components::pct_value;
use crate::fmt;
use covgap_core::export::plan::cheapest_sentence;
use covgap_core::plan::{
    quick_wins, sort_modules, CostBasis, Metric, ModuleOverride, ModuleStatus, PlanStatus,
    PriorityColumn,
};
use yew::prelude::*;

/// Column headers: title, column, numeric?, tooltip.
const COLUMNS: &[(&str, PriorityColumn, bool, &str)] = &[
    (
        "Module",
        PriorityColumn::Module,
        false,
        "Module name; its path patterns below",
    ),
    (
        "Current",
        PriorityColumn::Current,
        true,
        "Coverage now, on the module's metric",
    ),
    (
        "Target",
        PriorityColumn::Target,
        true,
        "The module's target",
    ),
    (
        "Gap (pp)",
        PriorityColumn::Gap,
        true,
        "Percentage points from current to target",
    ),
    (
        "Needed",
        PriorityColumn::Needed,
        true,
        "Least statements (and branches) to cover to meet the target",
    ),
    (
        "Impact on total (pp)",
        PriorityColumn::Impact,
        true,
        "Points the TOTAL gains if this module alone reaches its target",
    ),
    (
        "Effort (h)",
        PriorityColumn::Effort,
        true,
        "Estimated hours (ranges are costed at their midpoint)",
    ),
    (
        "pp/hour",
        PriorityColumn::PointsPerHour,
        true,
        "Impact on the total per hour of effort",
    ),
    (
        "Impact",
        PriorityColumn::ImpactLabel,
        false,
        "The plan's impact label",
    ),
    ("Status", PriorityColumn::Status, false, "Board column"),
];

/// The priority order the view shows (and exports).
pub(super) fn order(c: &Ctx) -> Vec<usize> {
    if c.ui.quick_wins {
        quick_wins(&c.status.modules)
    } else {
        sort_modules(&c.status.modules, c.ui.sort, c.ui.desc)
    }
}

pub(super) fn view(c: &Ctx) -> Html {
    let s = c.status;
    let rows = order(c);
    let qw = c.ui.quick_wins;
    let header = COLUMNS.iter().map(|&(title, col, numeric, tip)| {
        let sorted = !qw && c.ui.sort == col;
        let aria = match (sorted, c.ui.desc) {
            (false, _) => "none",
            (true, true) => "descending",
            (true, false) => "ascending",
        };
        let arrow = match (sorted, c.ui.desc) {
            (false, _) => "",
            (true, true) => " ▼",
            (true, false) => " ▲",
        };
        html! {
            <th scope="col" class={classes!(numeric.then_some("num"))} aria-sort={aria}>
                <button type="button" class="sort" title={tip} onclick={c.act(UiAction::SortBy(col))}>
                    { title }<span aria-hidden="true">{ arrow }</span>
                </button>
            </th>
        }
    });
    html! {
        <div class="plan-priorities">
            <div class="controls">
                <button type="button" id="quick-wins" aria-pressed={qw.to_string()}
                    onclick={c.act(UiAction::QuickWins(!qw))}
                    title="Modules below target, most points on the total per hour first">{"Quick wins"}</button>
                <span class="count" data-field="priority-count">{
                    if qw {
                        format!("Quick wins: {} of {} modules, most points per hour first", rows.len(), s.modules.len())
                    } else {
                        format!("{} modules", s.modules.len())
                    }
                }</span>
            </div>
            <div class="table-wrap">
                <table class="data plan-table" id="priority-table">
                    <caption class="visually-hidden">{"Modules by priority"}</caption>
                    <thead><tr>{ for header }</tr></thead>
                    <tbody>
                        { for rows.iter().filter_map(|&i| s.modules.get(i)).map(|m| row(s, m)) }
                    </tbody>
                </table>
            </div>
            if qw && rows.is_empty() {
                <p class="note">{"No quick wins: every module meets its target, or none would move the total."}</p>
            }
            { cheapest(c) }
        </div>
    }
}

fn row(s: &PlanStatus, m: &ModuleStatus) -> Html {
    let needed = if !m.matched {
        "—".to_string()
    } else {
        match (
            m.needed(Metric::Statements),
            m.needed(Metric::Branches),
            m.metric,
        ) {
            (st, 0, Metric::Combined | Metric::Statements) => fmt::count(st),
            (0, b, Metric::Combined | Metric::Branches) => format!("{} br.", fmt::count(b)),
            (st, b, Metric::Combined) => format!("{} + {} br.", fmt::count(st), fmt::count(b)),
            (_, _, other) => fmt::count(m.needed(other)),
        }
    };
    let target = if m.metric == s.metric {
        target_text(m.target)
    } else {
        format!("{} ({})", target_text(m.target), m.metric.key())
    };
    let current = if m.matched {
        pct_value(m.current, &pct2(s, m.current).replace('%', ""))
    } else {
        html! { <span class="no-files" title={covgap_core::plan::evaluate::why_empty(&m.suggestions, m.shadowed_by.as_deref())}>{"no files"}</span> }
    };
    html! {
        <tr data-module={m.name.clone()}>
            <th scope="row">
                <span class="module-name">{ m.name.clone() }</span>
                <span class="patterns">{ m.patterns.iter().map(|p| fmt::path(p)).collect::<Vec<_>>().join(", ") }</span>
                if !m.matched {
                    <span class="why-empty" data-field="why-empty">{
                        if m.optional { "optional: matching no file is expected".to_string() }
                        else { covgap_core::plan::evaluate::why_empty(&m.suggestions, m.shadowed_by.as_deref()) }
                    }</span>
                }
            </th>
            <td class="num" data-field="current">{ current }</td>
            <td class="num" data-field="target">{ target }</td>
            <td class="num" data-field="gap">{ if m.meets_target { "—".to_string() } else { fmt::pp(m.gap_pp) } }</td>
            <td class="num" data-field="needed">{ needed }</td>
            <td class="num" data-field="impact">{ fmt::pp(m.impact_pp) }</td>
            <td class="num">{ m.effort.map(|e| e.label()).unwrap_or_default() }</td>
            <td class="num">{ m.points_per_hour.map(fmt::pp).unwrap_or_default() }</td>
            <td>{ m.impact.map(|i| i.label()).unwrap_or("") }</td>
            <td>{ m.status.label() }{ if m.status_overridden { " (set)" } else { "" } }</td>
        </tr>
    }
}

/// The cheapest set of modules whose targets lift the total to the goal.
fn cheapest(c: &Ctx) -> Html {
    let s = c.status;
    let ch = c.cheapest;
    let on_goal = {
        let d = c.dispatch.clone();
        Callback::from(move |e: Event| {
            let v = value_of(&e);
            let g = v.trim().replace(',', ".").parse::<f64>().ok();
            d.emit(UiAction::Goal(g));
        })
    };
    let names: Vec<String> = ch
        .modules
        .iter()
        .filter_map(|&i| s.modules.get(i))
        .map(|m| m.name.clone())
        .collect();
    let try_it = {
        let mut w = c.ui.what_if.clone();
        for n in &names {
            w.set(n, ModuleOverride::Done);
        }
        let d = c.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            d.emit(UiAction::SetWhatIf(w.clone()));
            d.emit(UiAction::Show(Section::WhatIf));
        })
    };
    let cost = match ch.basis {
        CostBasis::Hours => format!(
            "{} hours (effort midpoints)",
            fmt::pct(&ch.cost.to_string())
        ),
        CostBasis::Statements => format!("{} statements and branches", fmt::count(ch.cost as u64)),
    };
    html! {
        <section class="cheapest" aria-labelledby="cheapest-title">
            <h3 id="cheapest-title">{"Cheapest path"}</h3>
            <div class="row wrap">
                <label class="field">{"Goal for the total (%)"}
                    <input type="number" id="cheapest-goal" min="0" max="100" step="any"
                        value={c.ui.goal.unwrap_or(s.target).to_string()} onchange={on_goal} />
                </label>
                <p class="hint">{ if ch.basis == CostBasis::Hours {
                    "Cost: effort in hours (every module below target has an estimate)."
                } else {
                    "Cost: statements and branches to cover (not every module below target has an effort estimate)."
                } }</p>
            </div>
            <p data-field="cheapest-sentence">{ cheapest_sentence(s, ch) }</p>
            if ch.units_needed > 0 {
                <dl class="cheapest-figures">
                    <div><dt>{"Modules"}</dt><dd data-field="cheapest-modules">{ names.join(", ") }</dd></div>
                    <div><dt>{"Cost"}</dt><dd>{ cost }</dd></div>
                    <div><dt>{"To cover"}</dt><dd>{ covgap_core::plan::evaluate::to_cover_text(&ch.to_cover) }</dd></div>
                    <div><dt>{"Total"}</dt><dd data-field="cheapest-total">{ format!("{} → {}", pct2(s, ch.total_before), pct2(s, ch.total_after)) }</dd></div>
                    <div><dt>{"Goal"}</dt><dd><span class={classes!("mark", if ch.reaches_goal { "met" } else { "unmet" })}>{ if ch.reaches_goal { "✅ reached" } else { "⏳ out of reach with these targets" } }</span></dd></div>
                </dl>
                <button type="button" id="cheapest-try" onclick={try_it}>{"Try this path in what-if"}</button>
            }
        </section>
    }
}
