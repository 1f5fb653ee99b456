//! The summary of the current report: its figures as its tool shows them, each with its
//! formula, the target, the gap to the pass mark, what closes it, and pass or fail as the
//! tool's own gate says.

use super::bar;
use super::table::formula;
use crate::fmt;
use crate::state::{Lens, Loaded, View};
use covgap_core::analysis::gaps::Target;
use covgap_core::{Metric, Tool};
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Props of [`Summary`].
#[derive(Properties, PartialEq)]
pub struct SummaryProps {
    /// The report.
    pub loaded: Rc<Loaded>,
    /// The view (target, precision, metric).
    pub view: View,
    /// New target percentage typed.
    pub on_target: Callback<f64>,
    /// New precision chosen.
    pub on_precision: Callback<u8>,
    /// Another metric chosen (`None`: the tool's headline).
    pub on_metric: Callback<Option<Metric>>,
}

/// A percentage as the lens's tool shows it, with `%` unless it is `n/a` or `-`.
fn shown(_lens: &Lens, s: String) -> String {
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{}%", fmt::pct(&s))
    } else {
        s
    }
}

/// Totals, target and gap.
#[component]
pub fn Summary(p: &SummaryProps) -> Html {
    let r = &p.loaded.report;
    let t = &p.loaded.totals;
    let lens = p.loaded.lens(&p.view);
    let rules = lens.rules;
    let target: Target = p.view.target;
    let prec = target.precision;
    let g = lens.gap(t);
    let show_counts = |m: Metric| shown(&lens, rules.show(t, m, prec));
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
            let input: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(v) = input.value().parse::<u8>() {
                cb.emit(v);
            }
        })
    };
    let headline = r.headline();
    let on_metric = {
        let cb = p.on_metric.clone();
        Callback::from(move |e: Event| {
            let input: HtmlSelectElement = e.target_unchecked_into();
            let m = Metric::from_key(&input.value());
            cb.emit(m.filter(|m| *m != headline));
        })
    };
    let target_text = format!("{}%", fmt::pct(&target.percent.to_string()));
    let coveragepy = rules.tool == Tool::CoveragePy;
    let gate = if coveragepy {
        format!("coverage report --fail-under={}", target.percent)
    } else {
        format!("{} {}", rules.gate_name, target.percent)
    };
    let verdict = if g.passes {
        html! { <p class="verdict pass" data-field="verdict"><strong>{"✔ Passes"}</strong>{
            if coveragepy { format!(" — {gate} would succeed (precision {prec}).") } else { format!(" — {gate} would pass, as {} judges it.", rules.name) }
        }</p> }
    } else {
        let why = if coveragepy {
            format!(
                " — {gate} would fail: the total rounds to {}.",
                shown(&lens, lens.show_percent(g.percent))
            )
        } else {
            format!(
                " — {gate} would fail: {} is below {target_text}.",
                shown(&lens, lens.show(t))
            )
        };
        html! { <p class="verdict fail" data-field="verdict"><strong>{"✘ Below target"}</strong>{ why }</p> }
    };
    let unit = |n: u64, m: Metric| {
        let words = m.units(n);
        words
            .split_once(' ')
            .map_or(words.clone(), |(_, w)| w.to_string())
    };
    let needed = match (g.metric, g.statements_needed, g.needed) {
        (_, _, Some(0)) => {
            html! { <p data-field="needed">{"Nothing more is needed to reach the target."}</p> }
        }
        (Metric::Combined, Some(s), Some(u)) if !r.source.branch_coverage || s == u => html! {
            <p data-field="needed">{"Cover "}<strong data-field="statements-needed">{ fmt::count(s) }</strong>{ format!(" more {} to reach {target_text}.", unit(s, Metric::Statements)) }</p>
        },
        (Metric::Combined, Some(s), Some(u)) => html! {
            <p data-field="needed">{"Cover "}<strong data-field="statements-needed">{ fmt::count(s) }</strong>{" more statements, or "}<strong data-field="units-needed">{ fmt::count(u) }</strong>{ format!(" statements and branches in any mix, to reach {target_text}.") }</p>
        },
        (Metric::Combined, None, Some(u)) => html! {
            <p data-field="needed">{"Statements alone cannot reach the target: cover "}<strong data-field="units-needed">{ fmt::count(u) }</strong>{ format!(" statements and branches together to reach {target_text}.") }</p>
        },
        (m, _, Some(n)) => html! {
            <p data-field="needed">{"Cover "}<strong data-field="units-needed">{ fmt::count(n) }</strong>{ format!(" more {} to reach {target_text}.", unit(n, m)) }</p>
        },
        (_, _, None) => {
            html! { <p data-field="needed">{"Even full coverage would not reach this target."}</p> }
        }
    };
    // The gap to the pass mark, in words that agree with "needed": under coverage.py's
    // rounding 79.5% already passes 80%.
    let gap_text = if g.passes {
        "At or above target".to_string()
    } else if (g.pass_mark - target.percent).abs() > 1e-9 {
        let mark = fmt::pct(&format!("{:.*}", usize::from(prec) + 1, g.pass_mark));
        format!(
            "{} pp to go: {mark}% already passes ({} rounds it to {target_text})",
            fmt::pp(g.gap_pp),
            rules.name
        )
    } else {
        format!("{} pp to go", fmt::pp(g.gap_pp))
    };
    let main_label = match lens.metric {
        Metric::Combined => "Total".to_string(),
        m => m.title().to_string(),
    };
    let others: Vec<Metric> = r
        .metrics
        .iter()
        .copied()
        .filter(|&m| m != lens.metric && m != Metric::Combined)
        .collect();
    let count_m = lens.count_metric();
    let count = t.get(count_m);
    let choosable: Vec<Metric> = r.metrics.clone();
    html! {
        <section class="summary" aria-labelledby="summary-title">
            <h2 id="summary-title" class="visually-hidden">{"Summary"}</h2>
            <div class="figures">
                <div class="figure main">
                    <span class="label">{ main_label }</span>
                    <span class="value" data-field="total-percent">{ show_counts(lens.metric) }</span>
                    <span class="formula">{ formula(&lens) }</span>
                </div>
                { for others.iter().map(|&m| {
                    let c = t.get(m);
                    let extra = if m == Metric::Branches && r.carries(Metric::Branches) {
                        format!("; {} lines partly", fmt::count(t.partial_branches))
                    } else {
                        String::new()
                    };
                    html! {
                        <div class="figure">
                            <span class="label">{ m.title() }</span>
                            <span class="value" data-field={format!("{}-percent", m.key())}>{ show_counts(m) }</span>
                            <span class="formula">{ format!("{} of {} {} covered{extra}", fmt::count(c.covered), fmt::count(c.total), unit(c.total, m)) }</span>
                        </div>
                    }
                }) }
                <div class="figure">
                    <span class="label">{"Missing"}</span>
                    <span class="value" data-field="missing-count">{ fmt::count(count.missing()) }</span>
                    <span class="formula">{
                        if coveragepy { format!("statements never run; {} excluded", fmt::count(t.excluded)) }
                        else { format!("{} never run", unit(count.missing(), count_m)) }
                    }</span>
                </div>
            </div>
            if r.source.summary_only {
                <p class="note" data-field="summary-only">{"This report has totals and per-file counts only: no line data, so no missing lines and no source view."}</p>
            }
            <div class="target-row">
                <label class="field">
                    <span>{"Target %"}</span>
                    <input id="target" type="number" min="0" max="100" step="any" inputmode="decimal"
                        value={target.percent.to_string()} onchange={on_target} />
                </label>
                if rules.uses_precision() {
                    <label class="field">
                        <span>{"Precision"}</span>
                        <select id="precision" onchange={on_precision}>
                            { for (0..=3u8).map(|n| html! { <option value={n.to_string()} selected={n == prec}>{ format!("{n} decimal{}", if n == 1 { "" } else { "s" }) }</option> }) }
                        </select>
                    </label>
                }
                if choosable.len() > 1 {
                    <label class="field">
                        <span>{"Metric"}</span>
                        <select id="metric" onchange={on_metric}>
                            { for choosable.iter().map(|&m| html! {
                                <option value={m.key()} selected={m == lens.metric}>{
                                    if m == headline { format!("{} ({}'s headline)", m.key(), rules.name) } else { m.key().to_string() }
                                }</option>
                            }) }
                        </select>
                    </label>
                }
                <div class="progress">
                    { bar(lens.percent(t), Some(target.percent), &format!("{} of target {}", show_counts(lens.metric), target_text)) }
                    <span class="gap" data-field="gap">{ gap_text }</span>
                </div>
            </div>
            { verdict }
            { needed }
        </section>
    }
}
