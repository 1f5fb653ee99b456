//! The top of the comparison: the verdict, the totals' change and the three short lists a
//! team reads first (what got worse, what got better, what broke the floor).

use super::ui::{CompareAction, CompareUi};
use super::{count_delta_html, delta_html, files, opt_percent, percent};
use crate::fmt;
use covgap_core::analysis::compare::{
    sort_deltas, CompareFilter, CompareSortKey, Comparison, FileDelta, PercentDelta,
};
use covgap_core::export::compare::{BELOW_FLOOR_MARK, REGRESSION_MARK};
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
    if s.regressions == 0 && s.below_floor == 0 {
        html! {
            <p class="verdict pass" data-field="compare-verdict" data-flagged="false">
                <strong>{"✔ Nothing broke"}</strong>
                { format!(": no file's coverage {fall}, and no file dropped below the {floor_text} floor.") }
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
                <strong>{ BELOW_FLOOR_MARK }{": "}<span data-field="compare-below-floor">{ s.below_floor }</span></strong>
                { format!(" {} dropped below the {floor_text} floor", if s.below_floor == 1 { "file" } else { "files" }) }
            </p>
        }
    }
}

fn percent_figure(label: &str, field: &str, d: &PercentDelta, prec: u8, detail: Html) -> Html {
    html! {
        <div class={classes!("figure", (field == "total").then_some("main"))}>
            <span class="label">{ label }</span>
            <span class="value">
                <span data-field={format!("compare-base-{field}")}>{ percent(d.base, prec) }</span>
                <span class="arrow" aria-label="to">{" → "}</span>
                <span data-field={format!("compare-current-{field}")}>{ percent(d.current, prec) }</span>
            </span>
            <span class="change" data-field={format!("compare-{field}-delta")}>{ delta_html(Some(d.delta_pp), prec, true) }</span>
            <span class="formula">{ detail }</span>
        </div>
    }
}

/// The totals' change: combined, statements, branches, files.
pub(super) fn figures(c: &Comparison, prec: u8) -> Html {
    let t = &c.totals;
    let s = &c.summary;
    let branches = t.base.branches > 0 || t.current.branches > 0;
    let n = |v: u64| fmt::count(v);
    html! {
        <div class="figures compare-figures">
            { percent_figure("Total coverage", "total", &t.combined, prec, html! {
                { if branches { "(covered statements + taken branches) ÷ (statements + branches), as coverage.py" } else { "covered statements ÷ statements, as coverage.py" } }
            }) }
            { percent_figure("Statements", "statements", &t.statements, prec, html! {<>
                { format!("{} → {} covered (", n(t.base.covered), n(t.current.covered)) }
                <span data-field="compare-covered-delta">{ count_delta_html(t.counts.covered) }</span>
                { format!("); {} → {} statements", n(t.base.statements), n(t.current.statements)) }
            </>}) }
            if branches {
                { percent_figure("Branches", "branches", &t.branches, prec, html! {<>
                    { format!("{} → {} taken (", n(t.base.covered_branches), n(t.current.covered_branches)) }
                    { count_delta_html(t.counts.covered_branches) }
                    { format!("); {} → {} branches", n(t.base.branches), n(t.current.branches)) }
                </>}) }
            }
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

fn highlight_item(r: &FileDelta, prec: u8, floor: bool) -> Html {
    html! {
        <li>
            <span class="filename">{ &r.path }</span>
            <span class="figures-inline">
                if floor {
                    { format!("{} → {}", opt_percent(r.base_percent, prec), opt_percent(r.current_percent, prec)) }
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

fn card(k: Card<'_>, prec: u8, dispatch: &UseReducerDispatcher<CompareUi>) -> Html {
    let d = dispatch.clone();
    let actions = k.show_all.clone();
    let show_all = Callback::from(move |_: MouseEvent| {
        for a in &actions {
            d.dispatch(a.clone());
        }
        crate::io::focus("compare-table");
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
                    { for k.rows.iter().map(|r| highlight_item(r, prec, k.floor)) }
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
                        Callback::from(move |_: MouseEvent| {
                            d.dispatch(CompareAction::Filter(filter));
                            crate::io::focus("compare-table");
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
    dispatch: &UseReducerDispatcher<CompareUi>,
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
            title: "Broke the floor",
            icon: "🔻 ",
            class: "floor",
            total: n_floor,
            rows: floor.into_iter().take(HIGHLIGHTS).collect(),
            empty: format!("No file dropped below the {floor_text} floor."),
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
            { for cards.into_iter().map(|k| card(k, prec, dispatch)) }
        </div>
    }
}
