//! The top of the comparison: the verdict, the totals' change and the three short lists a
//! team reads first (what got worse, what got better, what broke the floor).

use super::{count_delta_html, delta_html, files, opt_percent, percent};
use crate::fmt;
use crate::state::compare::CompareAction;
use covgap_core::analysis::compare::{
    sort_deltas, CompareFilter, CompareSortKey, Comparison, FileDelta, PercentDelta,
};
use covgap_core::export::compare::{BELOW_FLOOR_MARK, REGRESSION_MARK, STILL_BELOW_MARK};
use covgap_core::Metric;
use yew::prelude::*;

/// The threshold as the user typed it ("0.5 pp"): it is a rule, not a measured figure.
fn threshold_text(pp: f64) -> String {
    format!("{} pp", fmt::pct(&pp.to_string()))
}

/// Files listed in each highlight before "show all".
const HIGHLIGHTS: usize = 5;

/// Pass or fail, in words, with the counts the CLI's gate uses.
pub(super) fn verdict(c: &Comparison, floor_text: &str) -> Html {
    let s = &c.summary;
    let fall = if c.options.regression_pp > 0.0 {
        format!(
            "fell by more than {}",
            threshold_text(c.options.regression_pp)
        )
    } else {
        "fell".to_string()
    };
    let still = s.below_floor - s.newly_below_floor;
    let still_note = (still > 0).then(|| {
        html! {
            <span class="still">{" · "}{ STILL_BELOW_MARK }{": "}<span data-field="compare-still-below">{ still }</span>
            { format!(" {} already below before", if still == 1 { "file was" } else { "files were" }) }</span>
        }
    });
    if s.regressions == 0 && s.newly_below_floor == 0 {
        html! {
            <p class="verdict pass" data-field="compare-verdict" data-flagged="false">
                <strong>{"✔ Nothing broke"}</strong>
                { format!(": no file's coverage {fall}, and no file dropped below the {floor_text} floor.") }
                { still_note }
                <span class="visually-hidden">
                    <span data-field="compare-regressions">{"0"}</span>
                    <span data-field="compare-below-floor">{"0"}</span>
                </span>
            </p>
        }
    } else {
        html! {
            <p class="verdict fail" data-field="compare-verdict" data-flagged="true">
                <strong>{ REGRESSION_MARK }{": "}<span data-field="compare-regressions">{ s.regressions }</span></strong>
                { format!(" {} whose coverage {fall}", if s.regressions == 1 { "file" } else { "files" }) }
                {" · "}
                <strong>{ BELOW_FLOOR_MARK }{": "}<span data-field="compare-below-floor">{ s.newly_below_floor }</span></strong>
                { format!(" {} dropped below the {floor_text} floor", if s.newly_below_floor == 1 { "file" } else { "files" }) }
                { still_note }
            </p>
        }
    }
}

fn percent_figure(
    c: &Comparison,
    label: &str,
    field: &str,
    d: &PercentDelta,
    prec: u8,
    detail: Html,
) -> Html {
    html! {
        <div class={classes!("figure", (field == "total").then_some("main"))}>
            <span class="label">{ label }</span>
            <span class="value">
                <span data-field={format!("compare-base-{field}")}>{ percent(c.base_rules, d.base, prec) }</span>
                <span class="arrow" aria-label="to">{" → "}</span>
                <span data-field={format!("compare-current-{field}")}>{ percent(c.rules, d.current, prec) }</span>
            </span>
            <span class="change" data-field={format!("compare-{field}-delta")}>{ delta_html(Some(d.delta_pp), prec, true) }</span>
            <span class="formula">{ detail }</span>
        </div>
    }
}

/// The totals' change: the compared figure, every other figure both reports carry, files.
pub(super) fn figures(c: &Comparison, prec: u8) -> Html {
    let t = &c.totals;
    let s = &c.summary;
    let n = |v: u64| fmt::count(v);
    let main_detail = match c.metric {
        Metric::Combined if t.base.branches.total > 0 || t.current.branches.total > 0 => {
            "(covered statements + taken branches) ÷ (statements + branches), as coverage.py"
                .to_string()
        }
        Metric::Combined => "covered statements ÷ statements, as coverage.py".to_string(),
        m => format!(
            "covered {} ÷ {}, as {}",
            m.units(2).trim_start_matches("2 "),
            m.units(2).trim_start_matches("2 "),
            c.rules.name
        ),
    };
    let label = match c.metric {
        Metric::Combined => "Total coverage".to_string(),
        m => m.title().to_string(),
    };
    let counted = |m: Metric, first: bool| {
        let (b, k) = (t.base.get(m), t.current.get(m));
        let d = t.counts.get(m).unwrap_or_default();
        let units = m.units(2).trim_start_matches("2 ").to_string();
        let field = (first && m == c.metric.count_basis()).then_some("compare-covered-delta");
        html! {<>
            { format!("{} → {} covered (", n(b.covered), n(k.covered)) }
            <span data-field={field}>{ count_delta_html(d.covered) }</span>
            { format!("); {} → {} {units}", n(b.total), n(k.total)) }
        </>}
    };
    let others: Vec<(Metric, PercentDelta)> = t
        .percents
        .iter()
        .filter(|(m, _)| *m != c.metric && *m != Metric::Combined)
        .filter(|(m, _)| t.base.get(*m).total > 0 || t.current.get(*m).total > 0)
        .copied()
        .collect();
    html! {
        <div class="figures compare-figures">
            { percent_figure(c, &label, "total", &t.headline, prec, html! {<>
                { main_detail }
                if c.metric != Metric::Combined { <br/>{ counted(c.metric, true) } }
            </>}) }
            { for others.iter().map(|(m, d)| percent_figure(c, m.title(), m.key(), d, prec, counted(*m, true))) }
            <div class="figure">
                <span class="label">{"Files"}</span>
                <span class="value">{ format!("{} → {}", n(t.base.files), n(t.current.files)) }</span>
                <span class="change">{ count_delta_html(t.counts.files) }</span>
                <span class="formula file-counts">
                    <span><strong data-field="compare-added">{ s.added }</strong>{" added"}</span>
                    <span><strong data-field="compare-removed">{ s.removed }</strong>{" removed"}</span>
                    <span><strong data-field="compare-changed">{ s.changed }</strong>{" changed"}</span>
                    <span><strong data-field="compare-unchanged">{ s.unchanged }</strong>{" unchanged"}</span>
                </span>
            </div>
        </div>
    }
}

fn highlight_item(c: &Comparison, r: &FileDelta, prec: u8, floor: bool) -> Html {
    html! {
        <li>
            { crate::components::path_text(&r.path) }
            <span class="figures-inline">
                if floor {
                    { format!("{} → {}", opt_percent(c.base_rules, r.base_percent, prec), opt_percent(c.rules, r.current_percent, prec)) }
                    <span class={classes!("floor-state", if r.newly_below_floor { "newly" } else { "still" })}>{
                        if r.newly_below_floor { " newly below" } else { " still below" }
                    }</span>
                } else {
                    { delta_html(r.delta_pp, prec, true) }
                }
            </span>
        </li>
    }
}

struct Card<'a> {
    id: &'static str,
    title: &'static str,
    icon: &'static str,
    class: &'static str,
    rows: Vec<&'a FileDelta>,
    total: usize,
    empty: String,
    floor: bool,
    show_all: Vec<CompareAction>,
    show_all_label: String,
    /// Files that are new or gone: not a rise or a fall, but part of the story.
    extra: Option<(String, CompareFilter)>,
}

fn card(
    c: &Comparison,
    k: Card<'_>,
    prec: u8,
    dispatch: &Callback<CompareAction>,
    effect: &Callback<crate::components::Effect>,
) -> Html {
    let d = dispatch.clone();
    let fx = effect.clone();
    let actions = k.show_all.clone();
    let show_all = Callback::from(move |_: MouseEvent| {
        for a in &actions {
            d.emit(a.clone());
        }
        fx.emit(crate::components::Effect::Focus("compare-table".into()));
    });
    html! {
        <section class={classes!("highlight", k.class)} aria-labelledby={format!("{}-title", k.id)} id={k.id}>
            <h3 id={format!("{}-title", k.id)}>
                <span aria-hidden="true">{ k.icon }</span>{ format!("{} ", k.title) }
                <span class="count" data-field={format!("{}-count", k.id)}>{ format!("({})", fmt::count(k.total as u64)) }</span>
            </h3>
            if k.rows.is_empty() {
                <p class="note">{ k.empty.clone() }</p>
            } else {
                <ul class="highlight-list">
                    { for k.rows.iter().map(|r| highlight_item(c, r, prec, k.floor)) }
                </ul>
                if k.total > k.rows.len() {
                    <button type="button" class="small" onclick={show_all}>{ k.show_all_label.clone() }</button>
                }
            }
            if let Some((text, filter)) = k.extra.clone() {
                <p class="note extra">
                    { text }{" "}
                    <button type="button" class="link" onclick={{
                        let d = dispatch.clone();
                        let fx = effect.clone();
                        Callback::from(move |_: MouseEvent| {
                            d.emit(CompareAction::Filter(filter));
                            fx.emit(crate::components::Effect::Focus("compare-table".into()));
                        })
                    }}>{"List them"}</button>
                </p>
            }
        </section>
    }
}

/// What got worse, what got better, what broke the floor: the first few of each, worst
/// first, with a button that sets the table to all of them.
pub(super) fn highlights(
    c: &Comparison,
    prec: u8,
    floor_text: &str,
    dispatch: &Callback<CompareAction>,
    effect: &Callback<crate::components::Effect>,
) -> Html {
    let rows = &c.files;
    let pick = |idx: Vec<usize>| -> Vec<&FileDelta> {
        idx.into_iter().filter_map(|i| rows.get(i)).collect()
    };
    let worse = pick(sort_deltas(
        rows,
        CompareSortKey::Delta,
        false,
        CompareFilter::Regressions,
    ));
    // Files in both whose percentage rose; the sign of the engine's delta decides.
    let better: Vec<&FileDelta> = pick(sort_deltas(
        rows,
        CompareSortKey::Delta,
        true,
        CompareFilter::Changed,
    ))
    .into_iter()
    .filter(|r| r.delta_pp.is_some_and(|d| d > 0.0))
    .collect();
    let floor = pick(sort_deltas(
        rows,
        CompareSortKey::CurrentPercent,
        false,
        CompareFilter::BelowFloor,
    ));
    let fall = if c.options.regression_pp > 0.0 {
        format!(
            "No file fell by more than {}.",
            threshold_text(c.options.regression_pp)
        )
    } else {
        "No file's coverage fell.".to_string()
    };
    let (n_worse, n_better, n_floor) = (worse.len(), better.len(), floor.len());
    let cards = [
        Card {
            id: "compare-worse",
            title: "Got worse",
            icon: "▼ ",
            class: "worse",
            total: n_worse,
            rows: worse.into_iter().take(HIGHLIGHTS).collect(),
            empty: fall,
            floor: false,
            show_all_label: format!("Show all {} in the table", files(n_worse)),
            extra: (c.summary.removed > 0).then(|| {
                (
                    format!("{} removed.", files(c.summary.removed)),
                    CompareFilter::Removed,
                )
            }),
            show_all: vec![
                CompareAction::Filter(CompareFilter::Regressions),
                CompareAction::SortExactly(CompareSortKey::Delta, false),
            ],
        },
        Card {
            id: "compare-better",
            title: "Got better",
            icon: "▲ ",
            class: "better",
            total: n_better,
            rows: better.into_iter().take(HIGHLIGHTS).collect(),
            empty: "No file's coverage rose.".to_string(),
            floor: false,
            show_all_label: "Show changed files, biggest rise first".to_string(),
            extra: (c.summary.added > 0).then(|| {
                (
                    format!("{} added.", files(c.summary.added)),
                    CompareFilter::Added,
                )
            }),
            show_all: vec![
                CompareAction::Filter(CompareFilter::Changed),
                CompareAction::SortExactly(CompareSortKey::Delta, true),
            ],
        },
        Card {
            id: "compare-floor",
            title: "Below the floor",
            icon: "🔻 ",
            class: "floor",
            total: n_floor,
            rows: floor.into_iter().take(HIGHLIGHTS).collect(),
            empty: format!("No file is below the {floor_text} floor."),
            floor: true,
            show_all_label: format!("Show all {} in the table", files(n_floor)),
            extra: None,
            show_all: vec![
                CompareAction::Filter(CompareFilter::BelowFloor),
                CompareAction::SortExactly(CompareSortKey::CurrentPercent, false),
            ],
        },
    ];
    html! {
        <div class="highlights">
            { for cards.into_iter().map(|k| card(c, k, prec, dispatch, effect)) }
        </div>
    }
}
