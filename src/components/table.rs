//! The file table: sortable by any column, filterable, with the gap to target and the
//! statements needed per file. Big reports render a page of rows with "show more".

use super::pct_cell;
use crate::fmt;
use crate::rows::visible_files;
use crate::state::{Loaded, Sort, View};
use covgap_core::analysis::gaps::gap;
use covgap_core::analysis::{missing_ranges, SortKey};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Props of [`FileTable`].
#[derive(Properties, PartialEq)]
pub struct FileTableProps {
    /// The report.
    pub loaded: Rc<Loaded>,
    /// Sort, filter, target.
    pub view: View,
    /// How many rows to render.
    pub rows_shown: usize,
    /// A header was clicked.
    pub on_sort: Callback<Sort>,
    /// Filter text typed.
    pub on_filter: Callback<String>,
    /// "Hide fully covered" toggled.
    pub on_hide_covered: Callback<()>,
    /// "Hide empty files" toggled.
    pub on_hide_empty: Callback<()>,
    /// "Show more" pressed.
    pub on_more: Callback<()>,
}

/// Column headers: (title, sort, numeric?, tooltip).
const COLUMNS: &[(&str, Option<Sort>, bool, &str)] = &[
    (
        "File",
        Some(Sort::By(SortKey::Name)),
        false,
        "Path as the report wrote it (key n)",
    ),
    (
        "Stmts",
        Some(Sort::By(SortKey::Statements)),
        true,
        "Statements (key s)",
    ),
    (
        "Miss",
        Some(Sort::By(SortKey::Missing)),
        true,
        "Missing statements (key m)",
    ),
    (
        "Excl",
        Some(Sort::By(SortKey::Excluded)),
        true,
        "Excluded lines (key x)",
    ),
    (
        "Branch",
        Some(Sort::By(SortKey::Branches)),
        true,
        "Branch arcs (key b)",
    ),
    (
        "Partial",
        Some(Sort::By(SortKey::Partial)),
        true,
        "Lines with a branch never taken (key p)",
    ),
    (
        "Cover",
        Some(Sort::By(SortKey::Cover)),
        true,
        "Combined statements+branches, as coverage.py (key c)",
    ),
    (
        "Target",
        None,
        true,
        "The target each file is measured against",
    ),
    (
        "Gap",
        Some(Sort::Gap),
        true,
        "Percentage points below the target (key g)",
    ),
    (
        "Needed",
        Some(Sort::Needed),
        true,
        "Least statements to cover to reach the target; — when statements alone cannot (key e)",
    ),
    (
        "Missing lines",
        None,
        false,
        "As coverage report -m: ranges, and branch arcs never taken",
    ),
];

/// Sortable header cells.
pub fn header(view: &View, on_sort: &Callback<Sort>, branches: bool) -> Html {
    html! {
        <tr>
        { for COLUMNS.iter().filter(|c| branches || !matches!(c.1, Some(Sort::By(SortKey::Branches | SortKey::Partial)))).map(|(title, key, numeric, tip)| {
            let class = classes!(numeric.then_some("num"));
            match key {
                Some(k) => {
                    let sorted = view.sort == *k;
                    let aria = if !sorted { "none" } else if view.desc { "descending" } else { "ascending" };
                    let k = *k;
                    let onclick = on_sort.reform(move |_: MouseEvent| k);
                    let arrow = if !sorted { "" } else if view.desc { " ▼" } else { " ▲" };
                    html! {
                        <th scope="col" class={class} aria-sort={aria}>
                            <button type="button" class="sort" title={*tip} onclick={onclick}>{ *title }<span aria-hidden="true">{ arrow }</span></button>
                        </th>
                    }
                }
                None => html! { <th scope="col" class={class} title={*tip}>{ *title }</th> },
            }
        }) }
        </tr>
    }
}

/// The per-file table with its controls.
#[component]
pub fn FileTable(p: &FileTableProps) -> Html {
    let r = &p.loaded.report;
    let branches = r.source.branch_coverage;
    let visible = visible_files(&r.files, &p.view);
    let shown = visible.len().min(p.rows_shown);
    let on_filter = {
        let cb = p.on_filter.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.value());
        })
    };
    let hide_covered = p.on_hide_covered.reform(|_: Event| ());
    let hide_empty = p.on_hide_empty.reform(|_: Event| ());
    let more = p.on_more.reform(|_: MouseEvent| ());
    let t = p.view.target;
    let target = format!("{}%", fmt::pct(&t.percent.to_string()));
    html! {
        <section class="files" aria-labelledby="files-title">
            <div class="controls">
                <h2 id="files-title">{"Files"}</h2>
                <label class="field grow">
                    <span class="visually-hidden">{"Filter files"}</span>
                    <input id="filter" type="search" placeholder="Filter: text or glob like src/*/api*.py  ( / )"
                        value={p.view.filter.clone()} oninput={on_filter} autocomplete="off" spellcheck="false" />
                </label>
                <label class="check"><input type="checkbox" id="hide-covered" checked={p.view.hide_covered} onchange={hide_covered} />{"Hide fully covered"}</label>
                <label class="check"><input type="checkbox" id="hide-empty" checked={p.view.hide_empty} onchange={hide_empty} />{"Hide empty files"}</label>
                <span class="count" data-field="row-count" aria-live="polite">{ format!("{} of {} files", fmt::count(visible.len() as u64), fmt::count(r.files.len() as u64)) }</span>
            </div>
            <div class="table-wrap">
            <table class="data" id="file-table">
                <thead>{ header(&p.view, &p.on_sort, branches) }</thead>
                <tbody>
                { for visible.iter().take(shown).filter_map(|&i| r.files.get(i)).map(|f| {
                    let c = &f.counts;
                    let g = gap(c, t);
                    html! {
                        <tr>
                            <th scope="row" class="path"><span class="filename">{ &f.path }</span></th>
                            <td class="num">{ fmt::count(c.statements) }</td>
                            <td class="num">{ fmt::count(c.missing) }</td>
                            <td class="num">{ fmt::count(c.excluded) }</td>
                            if branches {
                                <td class="num">{ fmt::count(c.branches) }</td>
                                <td class="num">{ fmt::count(c.partial_branches) }</td>
                            }
                            <td class="num">{ pct_cell(c.percent_covered(), t.precision) }</td>
                            <td class="num">{ &target }</td>
                            <td class="num">{ if g.passes { "—".to_string() } else { fmt::pp(g.gap_pp) } }</td>
                            <td class="num">{ needed(g.statements_needed, g.units_needed) }</td>
                            <td class="missing">{ missing_ranges(f, branches) }</td>
                        </tr>
                    }
                }) }
                </tbody>
            </table>
            </div>
            if visible.is_empty() {
                <p class="note">{ if r.files.is_empty() { "This report has no files." } else { "No file matches the filter." } }</p>
            }
            if shown < visible.len() {
                <p class="more">
                    <button type="button" id="show-more" onclick={more}>{ format!("Show more ({} of {} shown)", fmt::count(shown as u64), fmt::count(visible.len() as u64)) }</button>
                </p>
            }
        </section>
    }
}

/// "12", or "— (8 with branches)" when statements alone cannot reach the target.
pub fn needed(statements: Option<u64>, units: Option<u64>) -> String {
    match (statements, units) {
        (Some(0), _) => "0".to_string(),
        (Some(s), _) => fmt::count(s),
        (None, Some(u)) => format!("— ({} with branches)", fmt::count(u)),
        (None, None) => "—".to_string(),
    }
}
