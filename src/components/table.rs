//! The file table: sortable by any column, filterable, with the gap to target and the
//! statements needed per file. Big reports render a page of rows with "show more".

use super::pct_cell;
use crate::fmt;
use crate::rows::{filter_order, narrows, sorted_files};
use crate::state::{Lens, Loaded, Sort, View};
use covgap_core::analysis::gaps::Gap;
use covgap_core::analysis::{missing_ranges, SortKey};
use covgap_core::{Counts, Metric, Tool};
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
    /// A file's link was followed: open its view.
    #[prop_or_default]
    pub on_open: Callback<String>,
}

/// A column of the file and tree tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    /// The path.
    Name,
    /// How many (statements, lines, …).
    Count,
    /// How many missing.
    Missing,
    /// Excluded lines (coverage.py).
    Excluded,
    /// Branches.
    Branches,
    /// Partly taken branch lines.
    Partial,
    /// The percentage.
    Cover,
    /// The target.
    Target,
    /// Points below the pass mark.
    Gap,
    /// Units needed.
    Needed,
    /// Missing line ranges.
    MissingLines,
}

/// The columns a report shows through `lens`: coverage.py's `coverage report` columns for
/// coverage.py, the metric's counts for other tools, Branch and Partial where there are
/// branches.
pub fn columns(loaded: &Loaded, lens: &Lens) -> Vec<Col> {
    let r = &loaded.report;
    let mut v = vec![Col::Name, Col::Count, Col::Missing];
    if r.source.tool == Tool::CoveragePy {
        v.push(Col::Excluded);
    }
    if r.carries(Metric::Branches) && lens.metric != Metric::Branches {
        v.extend([Col::Branches, Col::Partial]);
    }
    v.extend([
        Col::Cover,
        Col::Target,
        Col::Gap,
        Col::Needed,
        Col::MissingLines,
    ]);
    v
}

/// A column's title, sort and tooltip for `lens`.
pub fn column_head(col: Col, lens: &Lens) -> (String, Option<Sort>, String) {
    let unit = lens.count_metric();
    let units = unit.units(2).trim_start_matches("2 ").to_string();
    match col {
        Col::Name => (
            "File".into(),
            Some(Sort::By(SortKey::Name)),
            "Path (relative to the report's root) (key n)".into(),
        ),
        Col::Count => (
            lens.count_title().into(),
            Some(Sort::By(SortKey::Statements)),
            format!("{} (key s)", unit.title()),
        ),
        Col::Missing => (
            "Miss".into(),
            Some(Sort::By(SortKey::Missing)),
            format!("Missing {units} (key m)"),
        ),
        Col::Excluded => (
            "Excl".into(),
            Some(Sort::By(SortKey::Excluded)),
            "Excluded lines (key x)".into(),
        ),
        Col::Branches => (
            "Branch".into(),
            Some(Sort::By(SortKey::Branches)),
            "Branches (key b)".into(),
        ),
        Col::Partial => (
            "Partial".into(),
            Some(Sort::By(SortKey::Partial)),
            "Lines with a branch never taken (key p)".into(),
        ),
        Col::Cover => (
            "Cover".into(),
            Some(Sort::By(SortKey::Cover)),
            format!("{} (key c)", formula(lens)),
        ),
        Col::Target => (
            "Target".into(),
            None,
            "The target each file is measured against".into(),
        ),
        Col::Gap => (
            "Gap".into(),
            Some(Sort::Gap),
            "Percentage points below the pass mark: the least figure that passes under the tool's rounding (key g)".into(),
        ),
        Col::Needed => (
            "Needed".into(),
            Some(Sort::Needed),
            if lens.metric == Metric::Combined {
                "Least statements to cover to reach the target; when statements alone cannot, the statements and branches together (key e)".into()
            } else {
                format!("Least {units} to cover to reach the target (key e)")
            },
        ),
        Col::MissingLines => (
            "Missing lines".into(),
            None,
            "Ranges of missing lines (and, for coverage.py, branch arcs never taken)".into(),
        ),
    }
}

/// How the percentage is computed, in words.
pub fn formula(lens: &Lens) -> String {
    let r = lens.rules;
    match lens.metric {
        Metric::Combined => {
            "(covered statements + covered branches) ÷ (statements + branches), as coverage.py"
                .into()
        }
        m => {
            let units = m.units(2).trim_start_matches("2 ").to_string();
            let how = match r.tool {
                Tool::Istanbul => ", floored to 2 decimals",
                Tool::JaCoCo => ", shown as a whole percent rounded down",
                Tool::Lcov => ", never shown as 0.0 or 100.0 unless exact",
                Tool::Gcovr => ", rounded to 1 decimal and at most 99.9 unless complete",
                _ => "",
            };
            format!("covered {units} ÷ {units}, as {}{how}", r.name)
        }
    }
}

/// Sortable header cells.
pub fn header(view: &View, lens: &Lens, cols: &[Col], on_sort: &Callback<Sort>) -> Html {
    html! {
        <tr>
        { for cols.iter().map(|&col| {
            let (title, key, tip) = column_head(col, lens);
            let numeric = !matches!(col, Col::Name | Col::MissingLines);
            let class = classes!(numeric.then_some("num"));
            match key {
                Some(k) => {
                    let sorted = view.sort == k;
                    let aria = if !sorted { "none" } else if view.desc { "descending" } else { "ascending" };
                    let onclick = on_sort.reform(move |_: MouseEvent| k);
                    let arrow = if !sorted { "" } else if view.desc { " ▼" } else { " ▲" };
                    html! {
                        <th scope="col" class={class} aria-sort={aria}>
                            <button type="button" class="sort" title={tip} onclick={onclick}>{ title }<span aria-hidden="true">{ arrow }</span></button>
                        </th>
                    }
                }
                None => html! { <th scope="col" class={class} title={tip}>{ title }</th> },
            }
        }) }
        </tr>
    }
}

/// One row's cells after the name, for `cols`.
pub fn cells(cols: &[Col], lens: &Lens, c: &Counts, missing: Option<String>, target: &str) -> Html {
    let g = lens.gap(c);
    let count = c.get(lens.count_metric());
    html! {
        <>
        { for cols.iter().filter(|c| **c != Col::Name).map(|col| match col {
            Col::Count => html! { <td class="num">{ fmt::count(count.total) }</td> },
            Col::Missing => html! { <td class="num">{ fmt::count(count.missing()) }</td> },
            Col::Excluded => html! { <td class="num">{ fmt::count(c.excluded) }</td> },
            Col::Branches => html! { <td class="num">{ fmt::count(c.branches.total) }</td> },
            Col::Partial => html! { <td class="num">{ fmt::count(c.partial_branches) }</td> },
            Col::Cover => html! { <td class="num">{ pct_cell(lens, c) }</td> },
            Col::Target => html! { <td class="num">{ target }</td> },
            Col::Gap => html! { <td class="num">{ if g.passes { "—".to_string() } else { fmt::pp(g.gap_pp) } }</td> },
            Col::Needed => html! { <td class="num">{ needed(&g) }</td> },
            Col::MissingLines => html! { <td class="missing">{ missing.clone().unwrap_or_default() }</td> },
            Col::Name => html! {},
        }) }
        </>
    }
}

/// The per-file table with its controls.
#[component]
pub fn FileTable(p: &FileTableProps) -> Html {
    let r = &p.loaded.report;
    let branches = r.source.branch_coverage;
    let lens = p.loaded.lens(&p.view);
    let cols = columns(&p.loaded, &lens);
    let visible = use_visible(&p.loaded, &p.view, &lens);
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
                    <input id="filter" type="search" placeholder="Filter: text, or a glob like src/**/api*.py  ( / )"
                        title="Text matches anywhere in the path. With * or ? it is a glob over the whole path, as in plan patterns: * within one directory, ** across directories, ? one character. Case is ignored."
                        value={p.view.filter.clone()} oninput={on_filter} autocomplete="off" spellcheck="false" />
                </label>
                <label class="check"><input type="checkbox" id="hide-covered" checked={p.view.hide_covered} onchange={hide_covered} />{"Hide fully covered"}</label>
                <label class="check"><input type="checkbox" id="hide-empty" checked={p.view.hide_empty} onchange={hide_empty} />{"Hide empty files"}</label>
                <span class="count" data-field="row-count" aria-live="polite">{ format!("{} of {} files", fmt::count(visible.len() as u64), fmt::count(r.files.len() as u64)) }</span>
            </div>
            <div class="table-wrap" tabindex="0" role="region" aria-label="File table, scrolls sideways">
            <table class="data" id="file-table">
                <thead>{ header(&p.view, &lens, &cols, &p.on_sort) }</thead>
                <tbody>
                { for visible.iter().take(shown).filter_map(|&i| r.files.get(i)).map(|f| {
                    html! {
                        <tr>
                            <th scope="row" class="path">{ super::file_link(&p.view, &f.path, super::path_text(&f.path), &p.on_open) }</th>
                            { cells(&cols, &lens, &f.counts, Some(missing_ranges(f, branches)), &target) }
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

/// The rows to show, without redoing work the last render did: the sort order is computed
/// once per report and sort (not per keystroke or per re-render), and typing more of a
/// plain filter filters the rows the last filter kept rather than every file.
#[hook]
fn use_visible(loaded: &Rc<Loaded>, view: &View, lens: &Lens) -> Rc<Vec<usize>> {
    // What the order depends on: the sort, the metric, the target (gap and needed).
    let sort_view = View {
        sort: view.sort,
        desc: view.desc,
        target: view.target,
        metric: view.metric,
        ..View::default()
    };
    let order = use_memo((loaded.clone(), sort_view), |(l, v)| {
        sorted_files(&l.report.files, v, &l.lens(v))
    });
    let last = use_mut_ref(|| None::<(Rc<Vec<usize>>, View, Rc<Vec<usize>>)>);
    let mut last = last.borrow_mut();
    let files = &loaded.report.files;
    let visible = match &*last {
        Some((o, v, vis)) if Rc::ptr_eq(o, &order) && v == view => vis.clone(),
        Some((o, v, vis)) if Rc::ptr_eq(o, &order) && narrows(v, view) => {
            Rc::new(filter_order(files, vis, view, lens))
        }
        _ => Rc::new(filter_order(files, &order, view, lens)),
    };
    *last = Some((order, view.clone(), visible.clone()));
    visible
}

/// "12"; for coverage.py's combined figure when statements alone cannot reach the
/// target, "8 statements + branches"; "—" when nothing can.
pub fn needed(g: &Gap) -> String {
    match (g.metric, g.statements_needed, g.needed) {
        (_, _, Some(0)) => "0".to_string(),
        (Metric::Combined, Some(s), _) => fmt::count(s),
        (Metric::Combined, None, Some(u)) => format!("{} statements + branches", fmt::count(u)),
        (_, _, Some(n)) => fmt::count(n),
        (_, _, None) => "—".to_string(),
    }
}
