//! The comparison's files: controls, exports, and the rows as a sortable list or as the
//! directory tree with baseline and current rolled up at each level.

use super::trend::sparkline;
use super::{count_delta_html, delta_html, files};
use crate::components::pct_value;
use crate::fmt;
use crate::rows::matches_filter;
use crate::state::compare::{CompareAction, CompareUi, CompareView, Layout};
use covgap_core::analysis::compare::{
    sort_deltas, CompareFilter, CompareNode, CompareSortKey, Comparison, CountsDelta, FileDelta,
    FileStatus,
};
use covgap_core::analysis::human_cmp;
use covgap_core::analysis::trend::Trend;
use covgap_core::export::compare::{BELOW_FLOOR_MARK, REGRESSION_MARK, STILL_BELOW_MARK};
use covgap_core::export::{comparison_csv, comparison_markdown};
use covgap_core::Rules;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What the file rows need.
pub(super) struct Ctx<'a> {
    /// The comparison.
    pub c: &'a Comparison,
    /// The panel's session state.
    pub ui: &'a CompareUi,
    /// The panel's URL state (filter, query, sort).
    pub view: &'a CompareView,
    /// Where its changes go.
    pub dispatch: &'a Callback<CompareAction>,
    /// Copy and download, done by the app shell.
    pub effect: &'a Callback<super::Effect>,
    /// Display precision.
    pub prec: u8,
    /// The id of the pair's current report (its files open in the file view).
    pub current: Option<u32>,
    /// The trend, when it has enough points for sparklines to say something.
    pub trend: Option<&'a Trend>,
}

/// Deepest indentation step with its own CSS class.
const MAX_DEPTH_CLASS: usize = 12;

const FILTERS: &[(CompareFilter, &str, &str)] = &[
    (
        CompareFilter::Different,
        "different",
        "Added, removed or changed",
    ),
    (CompareFilter::All, "all", "All files"),
    (
        CompareFilter::Flagged,
        "flagged",
        "Regressions or below floor",
    ),
    (CompareFilter::Regressions, "regressions", "Regressions"),
    (CompareFilter::BelowFloor, "below_floor", "Below floor"),
    (CompareFilter::Added, "added", "Added"),
    (CompareFilter::Removed, "removed", "Removed"),
    (CompareFilter::Changed, "changed", "Changed"),
];

/// Column headers of the file list: (title, sort key, numeric?, tooltip).
const COLUMNS: &[(&str, Option<CompareSortKey>, bool, &str)] = &[
    (
        "File",
        Some(CompareSortKey::Name),
        false,
        "Path as the reports wrote it",
    ),
    ("Flags", None, false, "Regression and floor breach"),
    (
        "Status",
        Some(CompareSortKey::Status),
        false,
        "Added, removed, changed or unchanged",
    ),
    (
        "Base",
        Some(CompareSortKey::BasePercent),
        true,
        "Combined percentage in the baseline",
    ),
    (
        "Current",
        Some(CompareSortKey::CurrentPercent),
        true,
        "Combined percentage now",
    ),
    (
        "Δ pp",
        Some(CompareSortKey::Delta),
        true,
        "Change in percentage points",
    ),
    (
        "Δ covered",
        Some(CompareSortKey::CoveredDelta),
        true,
        "Change in statements covered (an absent file counts 0)",
    ),
];

fn status_html(s: FileStatus) -> Html {
    let icon = match s {
        FileStatus::Added => "+ ",
        FileStatus::Removed => "− ",
        FileStatus::Changed => "± ",
        FileStatus::Unchanged => "",
    };
    html! {
        <span class={classes!("status-word", s.word())}>
            <span aria-hidden="true">{ icon }</span>{ s.word() }
        </span>
    }
}

fn flags_html(r: &FileDelta) -> Html {
    html! {<>
        if r.regression { <span class="flag regression">{ REGRESSION_MARK }</span> }
        if r.newly_below_floor { <span class="flag floor">{ BELOW_FLOOR_MARK }</span> }
        else if r.below_floor { <span class="flag floor still">{ STILL_BELOW_MARK }</span> }
    </>}
}

fn opt_pct_cell(rules: &Rules, v: Option<f64>, prec: u8) -> Html {
    match v {
        Some(v) => pct_value(v, &rules.display_percent(v, prec)),
        None => html! { <span class="absent">{"—"}</span> },
    }
}

/// The two line columns: what became missing and what became covered, or why not shown.
fn line_cells(r: &FileDelta) -> Html {
    match r.status {
        FileStatus::Added | FileStatus::Removed => html! {
            <td class="missing" colspan="2">{"—"}</td>
        },
        _ if r.statements_changed => html! {
            <td class="missing stmts-changed" colspan="2">{"statements changed: line numbers may mean different code *"}</td>
        },
        _ => {
            let cell = |ranges: &str, class: &'static str| {
                if ranges.is_empty() {
                    html! { <td class={classes!("missing", "nothing")}>{"none"}</td> }
                } else {
                    html! { <td class={classes!("missing", class)}>{ ranges.to_string() }</td> }
                }
            };
            html! {<>
                { cell(&r.newly_missing_ranges, "lost") }
                { cell(&r.newly_covered_ranges, "gained") }
            </>}
        }
    }
}

fn series_of<'t>(t: &'t Trend, path: &str) -> Option<&'t covgap_core::analysis::trend::FileSeries> {
    // The trend's files are in human path order, so a binary search finds a row's series.
    t.files
        .binary_search_by(|f| human_cmp(&f.path, path))
        .ok()
        .and_then(|i| t.files.get(i))
}

/// Filter, search, threshold, layout, exports and the rows.
pub(super) fn files_section(x: &Ctx<'_>, tree: Option<&CompareNode>) -> Html {
    let c = x.c;
    let ui = x.ui;
    let keep: Vec<bool> = c
        .files
        .iter()
        .map(|r| r.matches(x.view.filter) && matches_filter(&r.path, &x.view.query))
        .collect();
    let shown_total = keep.iter().filter(|k| **k).count();
    let d = x.dispatch.clone();
    let on_filter = Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        if let Some((f, _, _)) = FILTERS.iter().find(|(_, slug, _)| *slug == input.value()) {
            d.emit(CompareAction::Filter(*f));
        }
    });
    let d = x.dispatch.clone();
    let on_query = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        d.emit(CompareAction::Query(input.value()));
    });
    let d = x.dispatch.clone();
    let on_threshold = Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        if let Ok(v) = input.value().trim().parse::<f64>() {
            d.emit(CompareAction::Threshold(v));
        }
    });
    let layout = |l: Layout, label: &'static str, id: &'static str| {
        let d = x.dispatch.clone();
        let onclick = Callback::from(move |_: MouseEvent| d.emit(CompareAction::Layout(l)));
        html! { <button type="button" class="small" id={id} aria-pressed={(ui.layout == l).to_string()} onclick={onclick}>{ label }</button> }
    };
    let counts = |f: CompareFilter| c.files.iter().filter(|r| r.matches(f)).count();
    let any_stmts_changed = c.files.iter().any(|r| r.statements_changed);

    let (body, rendered) = match (ui.layout, tree) {
        (Layout::Tree, Some(root)) => tree_rows(x, root, &keep),
        _ => file_rows(x, &keep),
    };
    let more = {
        let d = x.dispatch.clone();
        Callback::from(move |_: MouseEvent| d.emit(CompareAction::More))
    };
    html! {
        <section class="compare-files" aria-labelledby="compare-files-title">
            <div class="controls">
                <h3 id="compare-files-title">{"Files"}</h3>
                <label class="field">
                    <span>{"Show"}</span>
                    <select id="compare-filter" onchange={on_filter}>
                        { for FILTERS.iter().map(|(f, slug, label)| html! {
                            <option value={*slug} selected={x.view.filter == *f}>{ format!("{label} ({})", fmt::count(counts(*f) as u64)) }</option>
                        }) }
                    </select>
                </label>
                <label class="field grow">
                    <span>{"Path filter"}</span>
                    <input id="compare-search" type="search" placeholder="text, or a glob like src/**/api*.py"
                        title="Text matches anywhere in the path; with * or ? it is a glob over the whole path, as in plan patterns: * within a directory, ** across directories"
                        value={x.view.query.clone()} oninput={on_query} autocomplete="off" spellcheck="false" />
                </label>
                <label class="field">
                    <span>{"Regression: fell by more than (pp)"}</span>
                    <input id="compare-threshold" type="number" min="0" max="100" step="0.1" inputmode="decimal"
                        value={ui.threshold.to_string()} onchange={on_threshold} />
                </label>
                <div class="seg" role="group" aria-label="Layout">
                    { layout(Layout::Files, "Files", "compare-layout-files") }
                    { layout(Layout::Tree, "Tree", "compare-layout-tree") }
                </div>
                <span class="count" data-field="compare-row-count" aria-live="polite">
                    { format!("{} of {}", fmt::count(shown_total as u64), files(c.files.len())) }
                </span>
            </div>
            { exports(x) }
            if ui.layout == Layout::Tree {
                { tree_buttons(x, tree) }
            }
            <div class="table-wrap">
                { body }
            </div>
            if shown_total == 0 {
                <p class="note">{ if c.files.is_empty() { "Neither report lists any file." } else { "No file matches: try “All files” or clear the path filter." } }</p>
            }
            if rendered.is_some_and(|n| n < shown_total) {
                <p class="more">
                    <button type="button" id="compare-more" onclick={more}>
                        { format!("Show more ({} of {} shown)", fmt::count(rendered.unwrap_or(0) as u64), fmt::count(shown_total as u64)) }
                    </button>
                </p>
            }
            if any_stmts_changed {
                <p class="note footnote">{"* The file's statement lines differ between the two reports, so a line number may mean different code in each: no line-level change is given for it."}</p>
            }
        </section>
    }
}

/// Copy or download the comparison as Markdown (for a pull-request comment) or CSV.
fn exports(x: &Ctx<'_>) -> Html {
    let prec = x.prec;
    let copy = {
        let c = x.c.clone();
        let d = x.dispatch.clone();
        let fx = x.effect.clone();
        Callback::from(move |_: MouseEvent| {
            let d = d.clone();
            let done = Callback::from(move |ok: bool| {
                d.emit(CompareAction::ExportNote(Some(
                    if ok {
                        "Copied the Markdown: paste it into the pull request."
                    } else {
                        "Could not copy (the browser refused): use Download instead."
                    }
                    .to_string(),
                )))
            });
            fx.emit(super::Effect::Copy {
                text: comparison_markdown(&c, prec),
                done,
            });
        })
    };
    let md = {
        let c = x.c.clone();
        let fx = x.effect.clone();
        Callback::from(move |_: MouseEvent| {
            fx.emit(super::Effect::Download {
                name: "covgap-compare.md".into(),
                mime: "text/markdown",
                text: comparison_markdown(&c, prec),
            })
        })
    };
    let csv = {
        let c = x.c.clone();
        let fx = x.effect.clone();
        Callback::from(move |_: MouseEvent| {
            fx.emit(super::Effect::Download {
                name: "covgap-compare.csv".into(),
                mime: "text/csv",
                text: comparison_csv(&c),
            })
        })
    };
    html! {
        <div class="exports" role="group" aria-label="Export the comparison">
            <span class="label">{"Export:"}</span>
            <button type="button" class="small" id="compare-copy-md" onclick={copy}>{"Copy Markdown"}</button>
            <button type="button" class="small" id="compare-download-md" onclick={md}>{"Download Markdown"}</button>
            <button type="button" class="small" id="compare-download-csv" onclick={csv}>{"Download CSV"}</button>
            <span class="note" aria-live="polite" data-field="compare-export-note">{ x.ui.export_note.clone().unwrap_or_default() }</span>
        </div>
    }
}

fn header(x: &Ctx<'_>) -> Html {
    let ui = x.view;
    html! {
        <tr>
            { for COLUMNS.iter().map(|(title, key, numeric, tip)| {
                let class = classes!(numeric.then_some("num"));
                match key {
                    Some(k) => {
                        let sorted = ui.sort == *k;
                        let aria = if !sorted { "none" } else if ui.desc { "descending" } else { "ascending" };
                        let arrow = if !sorted { "" } else if ui.desc { " ▼" } else { " ▲" };
                        let k = *k;
                        let d = x.dispatch.clone();
                        let onclick = Callback::from(move |_: MouseEvent| d.emit(CompareAction::Sort(k)));
                        html! {
                            <th scope="col" class={class} aria-sort={aria}>
                                <button type="button" class="sort" title={*tip} onclick={onclick}>{ *title }<span aria-hidden="true">{ arrow }</span></button>
                            </th>
                        }
                    }
                    None => html! { <th scope="col" class={class} title={*tip}>{ *title }</th> },
                }
            }) }
            if x.trend.is_some() {
                <th scope="col" title="Combined percentage in each loaded report, oldest first">{"Trend"}</th>
            }
            <th scope="col" title="Lines executed in the baseline and missing now">{"Newly missing"}</th>
            <th scope="col" title="Lines missing in the baseline and executed now">{"Newly covered"}</th>
        </tr>
    }
}

fn row_classes(r: &FileDelta) -> Classes {
    classes!(
        r.regression.then_some("regressed"),
        r.below_floor.then_some("breached"),
        r.status.word()
    )
}

/// The sorted, filtered file list; also how many rows it rendered.
fn file_rows(x: &Ctx<'_>, keep: &[bool]) -> (Html, Option<usize>) {
    let c = x.c;
    let ui = x.ui;
    let idx: Vec<usize> = sort_deltas(&c.files, x.view.sort, x.view.desc, x.view.filter)
        .into_iter()
        .filter(|&i| keep.get(i).copied().unwrap_or(false))
        .collect();
    let shown = idx.len().min(ui.rows_shown);
    let table = html! {
        <table class="data compare-table" id="compare-table" tabindex="-1">
            <caption class="visually-hidden">{"Files of the comparison, baseline against current"}</caption>
            <thead>{ header(x) }</thead>
            <tbody>
            { for idx.iter().take(shown).filter_map(|&i| c.files.get(i)).map(|r| html! {
                <tr class={row_classes(r)} data-path={r.path.clone()}>
                    <th scope="row" class="path">{
                        if r.status != FileStatus::Removed {
                            crate::components::file_button(&r.path, x.current, crate::components::path_text(&r.path), x.effect)
                        } else {
                            crate::components::path_text(&r.path)
                        }
                    }</th>
                    <td class="flags">{ flags_html(r) }</td>
                    <td>{ status_html(r.status) }</td>
                    <td class="num">{ opt_pct_cell(x.c.base_rules, r.base_percent, x.prec) }</td>
                    <td class="num">{ opt_pct_cell(x.c.rules, r.current_percent, x.prec) }</td>
                    <td class="num">{ delta_html(r.delta_pp, x.prec, false) }</td>
                    <td class="num">{ count_delta_html(r.covered_delta) }</td>
                    if let Some(t) = x.trend {
                        <td class="spark">{ series_of(t, &r.path).map(|s| sparkline(t.rules, s, x.prec)).unwrap_or_default() }</td>
                    }
                    { line_cells(r) }
                </tr>
            }) }
            </tbody>
        </table>
    };
    (table, Some(shown))
}

fn tree_buttons(x: &Ctx<'_>, tree: Option<&CompareNode>) -> Html {
    let Some(root) = tree else {
        return Html::default();
    };
    let all: Vec<String> = root
        .directories()
        .iter()
        .filter(|d| !d.path.is_empty())
        .map(|d| d.path.clone())
        .collect();
    let top: Vec<String> = root
        .children
        .iter()
        .filter(|c| c.row.is_none())
        .map(|c| c.path.clone())
        .collect();
    let d = x.dispatch.clone();
    let expand = Callback::from(move |_: MouseEvent| {
        d.emit(CompareAction::SetAll {
            open: true,
            paths: all.clone(),
        })
    });
    let d = x.dispatch.clone();
    let collapse = Callback::from(move |_: MouseEvent| {
        d.emit(CompareAction::SetAll {
            open: false,
            paths: top.clone(),
        })
    });
    html! {
        <div class="controls tree-controls">
            <button type="button" class="small" id="compare-expand" onclick={expand}>{"Expand all"}</button>
            <button type="button" class="small" id="compare-collapse" onclick={collapse}>{"Collapse all"}</button>
            <span class="note">{"Directory figures include every file below them; the filters pick which files are listed."}</span>
        </div>
    }
}

/// Whether any file below `n` passes the filters.
fn any_kept(n: &CompareNode, keep: &[bool]) -> bool {
    match n.row {
        Some(i) => keep.get(i).copied().unwrap_or(false),
        None => n.children.iter().any(|c| any_kept(c, keep)),
    }
}

/// The tree: directories with roll-ups, files under open ones; also how many rows it
/// rendered when it stopped early.
fn tree_rows(x: &Ctx<'_>, root: &CompareNode, keep: &[bool]) -> (Html, Option<usize>) {
    let mut out = Vec::new();
    let mut files_rendered = 0usize;
    let mut capped = false;
    for child in &root.children {
        walk(
            x,
            child,
            0,
            keep,
            &mut out,
            &mut files_rendered,
            &mut capped,
        );
    }
    let table = html! {
        <table class="data compare-table compare-tree tree-table" id="compare-table" tabindex="-1">
            <caption class="visually-hidden">{"Directories of the comparison, baseline against current, rolled up"}</caption>
            <thead>
                <tr>
                    <th scope="col">{"Directory / file"}</th>
                    <th scope="col" class="num">{"Files"}</th>
                    <th scope="col" class="num">{"Base"}</th>
                    <th scope="col" class="num">{"Current"}</th>
                    <th scope="col" class="num">{"Δ pp"}</th>
                    <th scope="col" class="num">{"Δ covered"}</th>
                    <th scope="col">{"Flags"}</th>
                </tr>
            </thead>
            <tbody>{ for out }</tbody>
        </table>
    };
    (table, capped.then_some(files_rendered))
}

fn walk(
    x: &Ctx<'_>,
    n: &CompareNode,
    depth: usize,
    keep: &[bool],
    out: &mut Vec<Html>,
    files_rendered: &mut usize,
    capped: &mut bool,
) {
    if *capped || !any_kept(n, keep) {
        return;
    }
    let row = n.row.and_then(|i| x.c.files.get(i));
    if row.is_some() {
        if *files_rendered >= x.ui.rows_shown {
            *capped = true;
            return;
        }
        *files_rendered += 1;
    }
    let open = x.ui.is_open(&n.path, depth == 0);
    let depth_class = format!("d{}", depth.min(MAX_DEPTH_CLASS));
    let name = match row {
        Some(_) => crate::components::path_text(&n.name),
        None => {
            let d = x.dispatch.clone();
            let path = n.path.clone();
            let top = depth == 0;
            let toggle = Callback::from(move |_: MouseEvent| {
                d.emit(CompareAction::Toggle {
                    path: path.clone(),
                    top,
                })
            });
            html! {
                <button type="button" class="dir" aria-expanded={open.to_string()} onclick={toggle}>
                    <span class="caret" aria-hidden="true">{ if open { "▾ " } else { "▸ " } }</span>
                    { crate::components::path_text(&n.name) }{"/"}
                </button>
            }
        }
    };
    let files_cell = if n.base.files == n.current.files {
        fmt::count(n.current.files)
    } else {
        format!(
            "{} → {}",
            fmt::count(n.base.files),
            fmt::count(n.current.files)
        )
    };
    let basis = x.c.metric.count_basis();
    let covered = CountsDelta::between(&n.base, &n.current, &[basis])
        .get(basis)
        .map_or(0, |d| d.covered);
    out.push(html! {
        <tr class={classes!(if row.is_some() { "file-row" } else { "dir-row" }, row.map(row_classes))}
            data-path={n.path.clone()}>
            <th scope="row" class={classes!("path", depth_class)}>{ name }</th>
            <td class="num">{ files_cell }</td>
            <td class="num">{ opt_pct_cell(x.c.base_rules, n.base_percent(x.c), x.prec) }</td>
            <td class="num">{ opt_pct_cell(x.c.rules, n.current_percent(x.c), x.prec) }</td>
            <td class="num">{ delta_html(n.delta_pp(x.c), x.prec, false) }</td>
            <td class="num">{ count_delta_html(covered) }</td>
            <td class="flags">{ row.map(|r| html! {<>{ flags_html(r) }{ status_html(r.status) }</>}).unwrap_or_default() }</td>
        </tr>
    });
    if row.is_none() && open {
        for c in &n.children {
            walk(x, c, depth + 1, keep, out, files_rendered, capped);
        }
    }
}
