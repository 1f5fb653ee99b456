//! The file view: one report file with its figures on top, then every line of its source
//! with its number, text and coverage (htmlcov's run/mis/par/exc as colour and as a sign),
//! what partial lines did not do, hit counts, the tests that ran a line, and the file's
//! functions. Without a source it lists the missing ranges, the partial lines and the
//! functions. A long file renders only the lines on screen.
//!
//! Props in, callbacks out: the app shell reads the source (`io::sources`), keeps the
//! selected line (the URL's `line=`) and handles `j`/`k`/`u` for the whole page (see
//! [`crate::sources::file_key`]). Text is always text.

use crate::fmt;
use crate::sources::{self, ReportSources, SourceState, LINE_PX};
use covgap_core::source::{AnnotatedFile, FunctionInfo, Line, LineStatus, SourceWarning};
use covgap_core::{Counts, Metric, Rules, Tool};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`FileView`].
#[derive(Properties, PartialEq)]
pub struct FileViewProps {
    /// The file's lines with their coverage (with text once the source is read).
    pub file: Rc<AnnotatedFile>,
    /// Where its source stands.
    pub source: SourceState,
    /// The rules of the report's tool (every figure goes through them).
    pub rules: &'static Rules,
    /// The metric the views show.
    pub metric: Metric,
    /// The metrics the report carries, in its tool's order.
    pub metrics: Vec<Metric>,
    /// coverage.py's display precision.
    #[prop_or_default]
    pub precision: u8,
    /// The selected line (from the URL).
    #[prop_or_default]
    pub selected: Option<u32>,
    /// A line was chosen (clicked, or `j`/`k`).
    pub on_select: Callback<u32>,
    /// Back to the list (`u`, or the back button).
    pub on_back: Callback<()>,
    /// "Add source folder…" pressed (shown while there is no source).
    #[prop_or_default]
    pub on_add_folder: Option<Callback<()>>,
    /// Where the code pane starts scrolled, in pixels (server-side rendering and tests).
    #[prop_or_default]
    pub scroll_px: u32,
}

/// The sign beside a line's colour, so status never rests on colour alone.
pub fn mark(s: LineStatus) -> &'static str {
    match s {
        LineStatus::Covered => "✓",
        LineStatus::Missing => "✗",
        LineStatus::Partial => "◐",
        LineStatus::Excluded => "–",
        LineStatus::None => "",
    }
}

/// `m` of `c` as the tool shows it, with `%` when it is a number.
fn shown(rules: &Rules, c: &Counts, m: Metric, precision: u8) -> String {
    let s = rules.show(c, m, precision);
    if s.starts_with(|ch: char| ch.is_ascii_digit()) {
        format!("{}%", fmt::pct(&s))
    } else {
        s
    }
}

fn band(pct: f64) -> &'static str {
    if pct >= 90.0 {
        "hi"
    } else if pct >= 50.0 {
        "mid"
    } else {
        "lo"
    }
}

/// One report file, line by line.
#[component]
pub fn FileView(p: &FileViewProps) -> Html {
    let f = &p.file;
    let scroll = use_state(|| f64::from(p.scroll_px));
    let pane = use_node_ref();
    // Scroll a selected line into view when it changes (j/k, a link with line=).
    {
        let pane = pane.clone();
        let idx = p.selected.and_then(|n| f.index_of(n));
        let has_source = f.has_source;
        use_effect_with((p.selected, Rc::as_ptr(&p.file)), move |_| {
            if let (Some(i), true) = (idx, has_source) {
                crate::io::sources::reveal(&pane, (i as u32 * LINE_PX) as f64, f64::from(LINE_PX));
            }
        });
    }

    let on_scroll = {
        let scroll = scroll.clone();
        let total = f.lines.len();
        Callback::from(move |e: Event| {
            let top = crate::io::sources::scroll_top(&e);
            // Re-render only when the window of lines changes.
            if sources::window(total, top) != sources::window(total, *scroll) {
                scroll.set(top);
            }
        })
    };
    let back = {
        let cb = p.on_back.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };

    html! {
        <section class="sv" id="file-view" aria-labelledby="sv-title">
            <header class="sv-head">
                <button type="button" class="small" id="sv-back" onclick={back}
                    title="Back to the list (u)">{"← Back"}</button>
                <h2 id="sv-title"><code>{ fmt::path(&f.path) }</code></h2>
            </header>
            { figures(p) }
            { source_line(p) }
            { warnings(&f.warnings) }
            if let SourceState::Read { lossy: true, .. } = &p.source {
                <p class="sv-warn" role="alert">{"This file is not valid UTF-8: its invalid bytes are shown as \u{FFFD}."}</p>
            }
            if f.has_source {
                { legend(f) }
                { detail(p) }
                { code_pane(p, &pane, *scroll, on_scroll) }
            }
            <div class="sv-lists">
                { missing_list(p) }
                { partial_list(p) }
                { functions(p, "Functions", "sv-functions", &f.functions) }
                { functions(p, "Classes", "sv-classes", &f.classes) }
            </div>
        </section>
    }
}

/// The file's figures, every metric of the report as its tool shows it.
fn figures(p: &FileViewProps) -> Html {
    let c = &p.file.counts;
    let r = p.rules;
    let prec = p.precision;
    let head = p.metric;
    let pct = r.percent(c, head);
    let coveragepy = r.tool == Tool::CoveragePy;
    let metric_row = |m: Metric| {
        let t = c.get(m.count_basis());
        html! {
            <div class={classes!((m == head).then_some("head"))}>
                <dt>{ r.metric_title(m) }</dt>
                <dd data-field={format!("file-{}", m.key())}>{ shown(r, c, m, prec) }</dd>
                if m != Metric::Combined {
                    <dd class="sv-count">{ format!("{} of {}", fmt::count(t.covered), fmt::count(t.total)) }</dd>
                }
            </div>
        }
    };
    html! {
        <dl class="sv-figures">
            <div class="sv-total">
                <dt>{ format!("{} ({})", r.metric_title(head), r.name) }</dt>
                <dd data-field="file-total" class={classes!("pct", band(pct))}>{ shown(r, c, head, prec) }</dd>
            </div>
            { for p.metrics.iter().copied().filter(|&m| m != head).map(metric_row) }
            if coveragepy {
                <div><dt>{"Missing"}</dt><dd data-field="file-missing">{ fmt::count(c.statements.missing()) }</dd></div>
                <div><dt>{"Excluded"}</dt><dd data-field="file-excluded">{ fmt::count(c.excluded) }</dd></div>
                if p.metrics.contains(&Metric::Branches) {
                    <div><dt>{"Partial"}</dt><dd data-field="file-partial">{ fmt::count(c.partial_branches) }</dd></div>
                }
            }
        </dl>
    }
}

/// Where the source came from, or why there is none.
fn source_line(p: &FileViewProps) -> Html {
    let f = &p.file;
    let add = p.on_add_folder.clone().map(|cb| {
        html! {
            <button type="button" class="small" id="sv-add-folder"
                onclick={Callback::from(move |_: MouseEvent| cb.emit(()))}>{"Add source folder…"}</button>
        }
    });
    let text = match &p.source {
        SourceState::NoFolder => "No source: add the project's folder to see every line. Nothing is uploaded; only the file you open is read.".to_string(),
        SourceState::NotFound => "No file in the source folders matches this report path; below are the missing lines and partial branches the report lists.".to_string(),
        SourceState::Reading(path) => format!("Reading {path}…"),
        SourceState::Read { path, candidates, .. } => {
            let mut s = format!(
                "Source: {path} · {} line{}",
                fmt::count(u64::from(f.source_lines)),
                if f.source_lines == 1 { "" } else { "s" }
            );
            if *candidates > 1 {
                s.push_str(&format!(
                    " · {} folder files fit this path equally well; this is the one with the shortest path",
                    candidates
                ));
            }
            s
        }
        SourceState::Failed(why) => format!("The source could not be read: {why}"),
    };
    let reading = matches!(p.source, SourceState::Reading(_));
    html! {
        <p class={classes!("sv-source", reading.then_some("busy"))} data-field="source-state" aria-live="polite">
            { text }
            if !f.has_source { { for add } }
        </p>
    }
}

fn warnings(ws: &[SourceWarning]) -> Html {
    if ws.is_empty() {
        return html! {};
    }
    let kind = |w: &SourceWarning| match w {
        SourceWarning::Shorter { .. } => "shorter",
        SourceWarning::OffCode { .. } => "off-code",
        SourceWarning::Functions { .. } => "functions",
    };
    html! {
        <div class="sv-warn" role="alert">
            <p><strong>{"The source differs from the measured code"}</strong>
                {": the marks below may sit on the wrong lines. It may be another version of the file, or another file with the same name."}</p>
            <ul>{ for ws.iter().map(|w| html! { <li data-warning={kind(w)}>{ w.message() }</li> }) }</ul>
        </div>
    }
}

fn legend(f: &AnnotatedFile) -> Html {
    let item = |s: LineStatus, word: &str| {
        html! { <span class={classes!("sv-key", s.key().map(|k| format!("st-{k}")))}><span class="sv-mark" aria-hidden="true">{ mark(s) }</span>{ word.to_string() }</span> }
    };
    html! {
        <p class="sv-legend">
            { item(LineStatus::Covered, "covered") }
            { item(LineStatus::Missing, "missing") }
            { item(LineStatus::Partial, "partial") }
            { item(LineStatus::Excluded, "excluded") }
            if !f.chunks.is_empty() {
                <span class="sv-keys"><kbd>{"j"}</kbd>{" "}<kbd>{"k"}</kbd>{" next / previous uncovered · "}<kbd>{"u"}</kbd>{" back"}</span>
            } else {
                <span class="sv-keys"><kbd>{"u"}</kbd>{" back"}</span>
            }
        </p>
    }
}

/// The selected line in full: status, hits, what its branches did, the tests that ran it.
fn detail(p: &FileViewProps) -> Html {
    let Some(l) = p.selected.and_then(|n| p.file.line(n)) else {
        return html! {};
    };
    let status = l.status.key().unwrap_or("not measured");
    let hits = l.hits.map(|h| {
        if h == 1 {
            "ran once".to_string()
        } else {
            format!("ran {} times", fmt::count(h))
        }
    });
    html! {
        <div class="sv-detail" data-detail-line={l.number.to_string()} aria-live="polite">
            <p><strong>{ format!("Line {}", l.number) }</strong>{ format!(" · {status}") }
                if let Some(h) = hits { { format!(" · {h}") } }</p>
            if let Some(b) = &l.branches {
                <ul class="sv-notes">{ for b.long.iter().map(|s| html! { <li>{ s.clone() }</li> }) }</ul>
            }
            if !l.contexts.is_empty() {
                <p class="sv-ctx-head">{ format!("Run by {}:", tests_word(l.contexts.len())) }</p>
                <ul class="sv-contexts">{ for l.contexts.iter().map(|c| html! { <li><code>{ context_name(c) }</code></li> }) }</ul>
            }
        </div>
    }
}

fn tests_word(n: usize) -> String {
    if n == 1 {
        "1 context".into()
    } else {
        format!("{n} contexts")
    }
}

/// coverage.py's empty context (code run outside any test) reads as htmlcov writes it.
fn context_name(c: &str) -> String {
    if c.is_empty() {
        "(empty)".into()
    } else {
        c.to_string()
    }
}

/// The code pane: every line, or, for a long file, the lines on screen between two
/// spacers of the right height (SVG attributes, not inline styles: the CSP forbids them).
fn code_pane(p: &FileViewProps, pane: &NodeRef, scroll: f64, on_scroll: Callback<Event>) -> Html {
    let f = &p.file;
    let total = f.lines.len();
    let range = sources::window(total, scroll);
    let digits = f
        .lines
        .last()
        .map_or(1, |l| l.number.to_string().len())
        .clamp(1, 7);
    let above = range.start as u32 * LINE_PX;
    let below = (total - range.end) as u32 * LINE_PX;
    let on_click = {
        let cb = p.on_select.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(n) = crate::io::sources::line_clicked(&e) {
                cb.emit(n);
            }
        })
    };
    let rows = f
        .lines
        .get(range.clone())
        .unwrap_or(&[])
        .iter()
        .map(|l| row(l, f.has_hits, p.selected == Some(l.number)));
    html! {
        <div class={classes!("sv-code", format!("w{digits}"), f.has_hits.then_some("hits"))}
            ref={pane.clone()} onscroll={on_scroll} onclick={on_click} tabindex="0"
            role="region" aria-label={format!("Source of {}", f.path)}
            data-lines={total.to_string()} data-first={(range.start + 1).to_string()}>
            if above > 0 { <svg class="sv-spacer" width="1" height={above.to_string()} aria-hidden="true"></svg> }
            { for rows }
            if below > 0 { <svg class="sv-spacer" width="1" height={below.to_string()} aria-hidden="true"></svg> }
        </div>
    }
}

/// One line: few elements and no listener of its own (a click anywhere on the pane is
/// handled once, by the pane), so a window of lines renders fast.
fn row(l: &Line, has_hits: bool, selected: bool) -> Html {
    let n = l.number;
    let status = l.status.key();
    let annot = l.branches.as_ref().map(|b| {
        html! { <span class="sv-annot" title={b.long.join(" ")}>{ b.short.join(",  ") }</span> }
    });
    let ctx = (!l.contexts.is_empty()).then(|| {
        let names: Vec<String> = l.contexts.iter().take(12).map(|c| context_name(c)).collect();
        html! { <span class="sv-ctx" title={names.join("\n")}>{ tests_word(l.contexts.len()) }</span> }
    });
    // The sign is read out as the status word; colour is never the only carrier.
    let mark_el = match status {
        Some(word) => {
            html! { <span class="sv-mark" role="img" aria-label={word}>{ mark(l.status) }</span> }
        }
        None => html! { <span class="sv-mark"></span> },
    };
    html! {
        <div class={classes!("sv-line", status.map(|k| format!("st-{k}")), selected.then_some("sel"))} key={n} data-line={n.to_string()} data-status={status}>
            <span class="sv-gut">
                { mark_el }
                <span class="sv-num">{ n }</span>
                if has_hits {
                    <span class="sv-hits">{ l.hits.map(fmt::count).unwrap_or_default() }</span>
                }
            </span>
            <span class="sv-text">{ l.text.clone().unwrap_or_default() }</span>
            { for annot }
            { for ctx }
        </div>
    }
}

/// A button that selects line `n` (when there is a source to select it in).
fn line_button(p: &FileViewProps, n: u32, label: String) -> Html {
    if !p.file.has_source {
        return html! { <span class="sv-ref">{ label }</span> };
    }
    let cb = p.on_select.clone();
    html! { <button type="button" class="link sv-ref" onclick={Callback::from(move |_: MouseEvent| cb.emit(n))}>{ label }</button> }
}

fn missing_list(p: &FileViewProps) -> Html {
    let f = &p.file;
    if f.missing_ranges.is_empty() {
        return html! {};
    }
    let n_missing = f
        .lines
        .iter()
        .filter(|l| l.status == LineStatus::Missing)
        .count();
    let items = f.missing_ranges.iter().map(|&(a, b)| {
        let label = if a == b {
            a.to_string()
        } else {
            format!("{a}-{b}")
        };
        html! { <li data-ref-line={a.to_string()} data-status="missing">{ line_button(p, a, label) }</li> }
    });
    html! {
        <section class="sv-missing" aria-labelledby="sv-missing-h">
            <h3 id="sv-missing-h">{ format!("Missing lines ({})", fmt::count(n_missing as u64)) }</h3>
            <ul class="sv-ranges">{ for items }</ul>
        </section>
    }
}

fn partial_list(p: &FileViewProps) -> Html {
    let f = &p.file;
    if f.partial_lines.is_empty() {
        return html! {};
    }
    let items = f.partial_lines.iter().filter_map(|&n| f.line(n)).map(|l| {
        let notes = l
            .branches
            .as_ref()
            .map(|b| b.long.join("; "))
            .unwrap_or_default();
        html! {
            <li data-ref-line={l.number.to_string()} data-status="partial">
                { line_button(p, l.number, l.number.to_string()) }{" "}<span>{ notes }</span>
            </li>
        }
    });
    html! {
        <section class="sv-partial" aria-labelledby="sv-partial-h">
            <h3 id="sv-partial-h">{ format!("Partial lines ({})", fmt::count(f.partial_lines.len() as u64)) }</h3>
            <ul>{ for items }</ul>
        </section>
    }
}

/// Functions (or classes) with their own coverage, as the tool shows it.
fn functions(p: &FileViewProps, title: &str, id: &str, list: &[FunctionInfo]) -> Html {
    if list.is_empty() {
        return html! {};
    }
    let r = p.rules;
    let prec = p.precision;
    let m = p.metric;
    let rows = list.iter().map(|fi| {
        let reg = &fi.region;
        // coverage.py and JaCoCo regions carry counts (coverage.py shows 100% for a class
        // without statements); LCOV, Istanbul and llvm-cov functions carry calls.
        let figure = match reg.hits {
            None => {
                let pct = r.percent(&reg.counts, m);
                html! { <span class={classes!("pct", band(pct))}>{ shown(r, &reg.counts, m, prec) }</span> }
            }
            Some(_) if !reg.counts.is_empty() => {
                let pct = r.percent(&reg.counts, m);
                html! { <span class={classes!("pct", band(pct))}>{ shown(r, &reg.counts, m, prec) }</span> }
            }
            Some(0) => html! { <span class="pct lo">{"never called"}</span> },
            Some(1) => html! { <span>{"called once"}</span> },
            Some(h) => html! { <span>{ format!("called {} times", fmt::count(h)) }</span> },
        };
        let uncovered = match reg.hits {
            Some(h) => h == 0,
            None => {
                let t = reg.counts.get(m.count_basis());
                t.total > 0 && t.covered == 0
            }
        };
        let line = reg
            .start_line
            .map(|s| line_button(p, s, s.to_string()))
            .unwrap_or_default();
        let missing = if reg.missing_lines.is_empty() {
            String::new()
        } else {
            format!("{} missing", fmt::count(reg.missing_lines.len() as u64))
        };
        html! {
            <tr class={classes!(uncovered.then_some("uncovered"))}>
                <td class="sv-fname"><code>{ fi.name.clone() }</code></td>
                <td class="sv-fline">{ line }</td>
                <td class="sv-ffig">{ figure }</td>
                <td class="sv-fmiss">{ missing }</td>
            </tr>
        }
    });
    let heading = format!("{title} ({})", list.len());
    let h_id = format!("{id}-h");
    html! {
        <section class={id.to_string()}>
            <h3 id={h_id.clone()}>{ heading }</h3>
            <div class="sv-ftable" tabindex="0" role="region" aria-labelledby={h_id}>
            <table>
                <thead><tr><th scope="col">{"Name"}</th><th scope="col">{"Line"}</th><th scope="col">{ r.metric_title(m) }</th><th scope="col">{"Missing"}</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            </div>
        </section>
    }
}

/// Props of [`SourceFolderInput`].
#[derive(Properties, PartialEq)]
pub struct SourceFolderInputProps {
    /// The input changed: the shell hands the event to `io::sources::folder_from_input`.
    pub on_pick: Callback<Event>,
    /// The button's label.
    #[prop_or(AttrValue::Static("Add source folder…"))]
    pub label: AttrValue,
}

/// "Add source folder…": a directory picker (`webkitdirectory`) behind a button.
#[component]
pub fn SourceFolderInput(p: &SourceFolderInputProps) -> Html {
    let open = Callback::from(|_: MouseEvent| crate::io::click("source-folder-input"));
    html! {
        <>
            <input type="file" id="source-folder-input" class="visually-hidden" webkitdirectory=true multiple=true
                onchange={p.on_pick.clone()} tabindex="-1" aria-hidden="true" />
            <button type="button" id="add-source-folder" onclick={open}
                title="Pick the project's folder: its files are matched to the report by path, and only the file you open is read">{ p.label.clone() }</button>
        </>
    }
}

/// Props of [`SourcesBar`].
#[derive(Properties, PartialEq)]
pub struct SourcesBarProps {
    /// The folders given: id, name, number of files.
    pub folders: Vec<(u32, String, usize)>,
    /// How the current report's files matched them.
    #[prop_or_default]
    pub matched: Option<Rc<ReportSources>>,
    /// The current report's paths that found no source.
    #[prop_or_default]
    pub unmatched: Rc<Vec<String>>,
    /// The last thing said about folders, and whether it is an error.
    #[prop_or_default]
    pub message: Option<(String, bool)>,
    /// The folder input changed.
    pub on_pick: Callback<Event>,
    /// Forget a folder.
    pub on_remove: Callback<u32>,
}

/// Unmatched paths listed at most (the count says the rest).
pub const UNMATCHED_SHOWN: usize = 200;

/// The sources line: "Add source folder…", the folders given, how many report files
/// found their source and which did not.
#[component]
pub fn SourcesBar(p: &SourcesBarProps) -> Html {
    let chips = p.folders.iter().map(|(id, name, n)| {
        let (id, cb) = (*id, p.on_remove.clone());
        html! {
            <li class="sources-folder" data-folder={name.clone()}>
                <code>{ format!("{}/", fmt::path(name)) }</code>
                { format!(" {} file{}", fmt::count(*n as u64), if *n == 1 { "" } else { "s" }) }
                <button type="button" class="small icon" aria-label={format!("Forget the folder {name}")} title="Forget this folder"
                    onclick={Callback::from(move |_: MouseEvent| cb.emit(id))}>{"×"}</button>
            </li>
        }
    });
    let unmatched = p.unmatched.len();
    html! {
        <div class="sources-bar" id="sources">
            <SourceFolderInput on_pick={p.on_pick.clone()} />
            if p.folders.is_empty() {
                <span class="muted">{"Read the code: add the project's folder (or drop it here) to see each file's source with its coverage. Nothing is uploaded; only the files you open are read."}</span>
            } else {
                <ul class="sources-folders">{ for chips }</ul>
            }
            if let Some(m) = &p.matched {
                <p id="source-summary" data-field="source-summary" role="status">{ m.summary() }</p>
            }
            if unmatched > 0 {
                <details id="source-unmatched">
                    <summary>{ format!("Report files without a source ({})", fmt::count(unmatched as u64)) }</summary>
                    <ul>
                        { for p.unmatched.iter().take(UNMATCHED_SHOWN).map(|u| html! { <li><code>{ fmt::path(u) }</code></li> }) }
                        if unmatched > UNMATCHED_SHOWN {
                            <li class="muted">{ format!("… and {} more", fmt::count((unmatched - UNMATCHED_SHOWN) as u64)) }</li>
                        }
                    </ul>
                </details>
            }
            if let Some((m, failed)) = &p.message {
                if *failed { <p class="error" role="alert">{ m.clone() }</p> }
            }
        </div>
    }
}
