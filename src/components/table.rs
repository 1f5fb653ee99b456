//! The file table: sortable by any column, filterable, with the gap to target and the
//! statements needed per file. Long tables render only the rows on screen and a margin
//! ([`RowWindow`]): two spacers stand in for the rest, so a sort or a keystroke on a
//! 10,000-file report re-renders a few dozen rows.

use super::pct_cell;
use crate::fmt;
use crate::rows::{filter_order, narrows, RowWindow, RENDER_ALL_MAX};
use crate::state::{FileHref, Lens, Loaded, Sort, View};
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
    /// A header was clicked.
    pub on_sort: Callback<Sort>,
    /// Filter text typed.
    pub on_filter: Callback<String>,
    /// "Hide fully covered" toggled.
    pub on_hide_covered: Callback<()>,
    /// "Hide empty files" toggled.
    pub on_hide_empty: Callback<()>,
    /// A file's link was followed: open its view.
    #[prop_or_default]
    pub on_open: Callback<String>,
    /// Kept in the page but not shown (another tab is).
    #[prop_or_default]
    pub hidden: bool,
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
            Col::MissingLines => {
                // Long lists are cut to one line in a windowed table: the whole list is
                // the cell's tooltip (and the file view shows every line).
                let text = missing.clone().unwrap_or_default();
                let title = (text.len() > 60).then(|| text.clone());
                html! { <td class="missing" title={title}>{ text }</td> }
            }
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
    let total = visible.len();
    let body = use_node_ref();
    let window = use_state_eq(RowWindow::default);
    {
        // Measure where the rows are after each change of rows, and on every scroll and
        // resize: the window only changes (and re-renders) when a step of rows goes by.
        let set = window.setter();
        let body = body.clone();
        // Only the number of rows moves the window (a new sort keeps it where it is), and
        // being shown again (the page may have scrolled meanwhile).
        use_effect_with((total, p.hidden), move |&(total, hidden)| {
            let mut watch = (total > RENDER_ALL_MAX && !hidden).then(|| {
                let update = Callback::from(move |()| {
                    if let Some(vp) = crate::io::body_viewport(&body) {
                        set.set(RowWindow::measured(vp));
                    }
                });
                // Measured in a task of its own: reading the layout right after a render
                // would lay the page out inside the render's task (a long one for a big
                // report's first render).
                crate::io::soon(update.clone());
                crate::io::watch_viewport(update)
            });
            // Dropping the watch removes its listeners.
            move || {
                watch.take();
            }
        });
    }
    let windowed = total > RENDER_ALL_MAX;
    let rows = window.rows_of(total);
    let spacer = |n: usize| {
        let px = format!("{:.0}", n as f64 * window.row_px);
        html! {
            <tr class="spacer" aria-hidden="true"><td colspan={cols.len().to_string()}><svg width="1" height={px}></svg></td></tr>
        }
    };
    let on_filter = {
        let cb = p.on_filter.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.value());
        })
    };
    let hide_covered = p.on_hide_covered.reform(|_: Event| ());
    let hide_empty = p.on_hide_empty.reform(|_: Event| ());
    let t = p.view.target;
    let target = format!("{}%", fmt::pct(&t.percent.to_string()));
    let href = FileHref::new(&p.view);
    html! {
        <section class="files" aria-labelledby="files-title" hidden={p.hidden}>
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
                <span class="count" data-field="row-count" aria-live="polite">{ format!("{} of {} files", fmt::count(total as u64), fmt::count(r.files.len() as u64)) }</span>
            </div>
            <div class="table-wrap" tabindex="0" role="region" aria-label="File table, scrolls sideways">
            <table class={classes!("data", windowed.then_some("windowed"))} id="file-table"
                aria-rowcount={windowed.then(|| (total + 1).to_string())}>
                <thead>{ header(&p.view, &lens, &cols, &p.on_sort) }</thead>
                <tbody ref={body}>
                if windowed { { spacer(rows.start) } }
                { for rows.clone().filter_map(|i| Some((i, r.files.get(*visible.get(i)?)?))).map(|(i, f)| {
                    let missing = missing_ranges(f, branches);
                    html! {
                        <tr aria-rowindex={windowed.then(|| (i + 2).to_string())}>
                            <th scope="row" class="path">{ super::file_link(&href, &f.path, super::path_text(&f.path), &p.on_open) }</th>
                            { cells(&cols, &lens, &f.counts, Some(missing), &target) }
                        </tr>
                    }
                }) }
                if windowed { { spacer(total - rows.end) } }
                </tbody>
            </table>
            </div>
            if visible.is_empty() {
                <p class="note">{ if r.files.is_empty() { "This report has no files." } else { "No file matches the filter." } }</p>
            }
        </section>
    }
}

/// The rows to show, without redoing work the last render did: the sort order is computed
/// once per report and sort ([`Loaded::order`]: not per keystroke, re-render or return to
/// the tab), and typing more of a plain filter filters the rows the last filter kept
/// rather than every file.
#[hook]
fn use_visible(loaded: &Rc<Loaded>, view: &View, lens: &Lens) -> Rc<Vec<usize>> {
    let order = loaded.order(view);
    let last = use_mut_ref(|| None::<(Rc<Vec<usize>>, View, Rc<Vec<usize>>)>);
    let mut last = last.borrow_mut();
    let files = &loaded.report.files;
    let lower = if view.filter.trim().is_empty() {
        &[][..]
    } else {
        loaded.lower_paths()
    };
    let visible = match &*last {
        Some((o, v, vis)) if Rc::ptr_eq(o, &order) && v == view => vis.clone(),
        Some((o, v, vis)) if Rc::ptr_eq(o, &order) && narrows(v, view) => {
            Rc::new(filter_order(files, lower, vis, view, lens))
        }
        _ => Rc::new(filter_order(files, lower, &order, view, lens)),
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
