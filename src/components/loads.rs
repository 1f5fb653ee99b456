//! The list of files given: status while loading, then each report's headline numbers
//! (format, files, statements, covered, missing, branches, total), or why it failed.

use crate::fmt;
use crate::state::{LoadEntry, LoadStatus, Loaded, LoadedPlan};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`LoadList`].
#[derive(Properties, PartialEq)]
pub struct LoadListProps {
    /// Every load, in order.
    pub loads: Vec<LoadEntry>,
    /// Reports that loaded.
    pub reports: Vec<Rc<Loaded>>,
    /// The report shown below.
    pub current: Option<u32>,
    /// The plan, if one is loaded.
    #[prop_or_default]
    pub plan: Option<Rc<LoadedPlan>>,
    /// Show this report.
    pub on_select: Callback<u32>,
    /// Remove this load.
    pub on_remove: Callback<u32>,
    /// Stop this load while it loads.
    #[prop_or_default]
    pub on_cancel: Callback<u32>,
    /// Remove every failed load.
    #[prop_or_default]
    pub on_clear_failed: Callback<()>,
}

/// What tells a card apart from another of the same file name: the report's timestamp
/// (or its place in the load order); `None` when the name is unique.
pub fn card_distinction(
    loads: &[LoadEntry],
    reports: &[Rc<Loaded>],
    l: &LoadEntry,
) -> Option<String> {
    if loads.iter().filter(|x| x.name == l.name).count() < 2 {
        return None;
    }
    match reports.iter().find(|r| r.id == l.id) {
        Some(r) => {
            let d = crate::state::distinction(reports, r);
            Some(match d.strip_prefix('#') {
                Some(k) => format!("report {k} loaded"),
                None => crate::components::compare::short_time(&d),
            })
        }
        None => Some(format!(
            "file {}",
            loads.iter().position(|x| x.id == l.id).map_or(0, |k| k + 1)
        )),
    }
}

/// One card per file given.
#[component]
pub fn LoadList(p: &LoadListProps) -> Html {
    if p.loads.is_empty() {
        return html! {};
    }
    let failed = p
        .loads
        .iter()
        .filter(|l| matches!(l.status, LoadStatus::Failed(_)))
        .count();
    let clear = p.on_clear_failed.reform(|_: MouseEvent| ());
    html! {
        <section class="loads" aria-label="Loaded files">
            if failed > 1 {
                <p class="row clear-failed">
                    <button type="button" class="small" id="clear-failed" onclick={clear}>
                        { format!("Clear failed ({failed})") }
                    </button>
                </p>
            }
            <ul class="load-list">
            { for p.loads.iter().map(|l| {
                let report = p.reports.iter().find(|r| r.id == l.id);
                let plan = p.plan.as_ref().filter(|pl| pl.id == l.id);
                let tell = card_distinction(&p.loads, &p.reports, l);
                card(l, report, plan, tell, p.current == Some(l.id), &p.on_select, &p.on_remove, &p.on_cancel)
            }) }
            </ul>
        </section>
    }
}

#[allow(clippy::too_many_arguments)]
fn card(
    l: &LoadEntry,
    report: Option<&Rc<Loaded>>,
    plan: Option<&Rc<LoadedPlan>>,
    tell: Option<String>,
    current: bool,
    on_select: &Callback<u32>,
    on_remove: &Callback<u32>,
    on_cancel: &Callback<u32>,
) -> Html {
    let id = l.id;
    let remove = on_remove.reform(move |_: MouseEvent| id);
    let select = on_select.reform(move |_: MouseEvent| id);
    let (state_class, status) = match &l.status {
        LoadStatus::Reading => ("reading", html! {}),
        LoadStatus::Loading { .. } => ("loading", html! {}),
        LoadStatus::Done => ("done", html! {}),
        LoadStatus::Review => (
            "review",
            html! { <span class="status">{"Markdown plan: check it below"}</span> },
        ),
        LoadStatus::Failed(_) => ("failed", html! { <span class="status">{"Failed"}</span> }),
    };
    let error = match &l.status {
        LoadStatus::Failed(why) => html! {
            <p class="error" role="alert"><strong>{"Could not load "}<span class="filename">{ fmt::path(&l.name) }</span>{": "}</strong>{ why }</p>
        },
        _ => html! {},
    };
    html! {
        <li class={classes!("load", state_class, current.then_some("current"))} data-load-id={id.to_string()}>
            <div class="load-head">
                <span class="filename" title={l.name.clone()}>{ fmt::path(&l.name) }</span>
                if let Some(t) = &tell { <span class="tell" data-field="card-tell">{ t.clone() }</span> }
                if let Some(b) = l.bytes { <span class="size">{ fmt::bytes(b) }</span> }
                { status }
                <span class="spacer" />
                if report.is_some() {
                    <button type="button" class="small" aria-pressed={current.to_string()} onclick={select}>
                        { if current { "Shown" } else { "Show" } }
                    </button>
                }
                <button type="button" class="small icon" aria-label={format!("Remove {}{}", fmt::path(&l.name), tell.as_ref().map(|t| format!(" ({t})")).unwrap_or_default())} title="Remove" onclick={remove}>{"✕"}</button>
            </div>
            { error }
            { progress(l, on_cancel) }
            if let Some(r) = report { { headline(r) } }
            if let Some(pl) = plan {
                <p class="plan-line" data-field="plan">
                    { format!("covgap plan “{}”: {} modules, {} phases, target {}% — see the Plan tab.",
                        fmt::path(&pl.plan.name.clone().unwrap_or_else(|| pl.name.clone())), pl.plan.modules.len(), pl.plan.phases.len(), pl.plan.target) }
                </p>
            }
        </li>
    }
}

/// A loading card's progress bar (bytes read, then parsed, then prepared for the page) and
/// its Cancel button; nothing once the load has ended.
fn progress(l: &LoadEntry, on_cancel: &Callback<u32>) -> Html {
    let (fraction, label) = match &l.status {
        LoadStatus::Reading => (None, "Starting"),
        LoadStatus::Loading { fraction, phase } => (Some(*fraction), phase.label()),
        _ => return html! {},
    };
    let id = l.id;
    let cancel = on_cancel.reform(move |_: MouseEvent| id);
    let bar_id = format!("load-progress-{id}");
    let percent = fraction.map(|f| (f * 100.0).round() as u32);
    let text = match percent {
        Some(p) => format!("{label}… {p}%"),
        None => format!("{label}…"),
    };
    html! {
        <div class="load-progress" data-field="progress">
            <label for={bar_id.clone()} class="status" data-field="phase">{ text }</label>
            // Without a value the bar is indeterminate: nothing heard from the worker yet.
            <progress id={bar_id} max="1" value={fraction.map(|f| format!("{f:.3}"))} />
            <button type="button" class="small cancel" data-action="cancel-load"
                aria-label={format!("Cancel loading {}", fmt::path(&l.name))} onclick={cancel}>{"Cancel"}</button>
        </div>
    }
}

fn headline(r: &Loaded) -> Html {
    let s = &r.report.source;
    let t = &r.totals;
    let rules = r.report.rules();
    let mut format = match (s.tool, s.format) {
        (covgap_core::Tool::CoveragePy, "coverage.py-json") => format!(
            "coverage.py JSON, format {}",
            s.format_version.as_deref().unwrap_or("1")
        ),
        (_, f) => format!("{} ({f})", rules.name),
    };
    if let Some(v) = &s.tool_version {
        format.push_str(&format!(" ({} {v})", rules.name));
    }
    if s.branch_coverage && s.tool == covgap_core::Tool::CoveragePy {
        format.push_str(", with branches");
    }
    if s.summary_only {
        format.push_str(", totals and per-file counts only");
    }
    let headline = r.report.headline();
    let count_m = headline.count_basis();
    let count = t.get(count_m);
    html! {
        <>
        <dl class="headline">
            <div><dt>{"Format"}</dt><dd data-field="format">{ format }</dd></div>
            <div><dt>{"Files"}</dt><dd data-field="files">{ fmt::count(t.files) }</dd></div>
            <div><dt>{ count_m.title() }</dt><dd data-field={count_m.key()}>{ fmt::count(count.total) }</dd></div>
            <div><dt>{"Covered"}</dt><dd data-field="covered">{ fmt::count(count.covered) }</dd></div>
            <div><dt>{"Missing"}</dt><dd data-field="missing">{ fmt::count(count.missing()) }</dd></div>
            if r.report.carries(covgap_core::Metric::Branches) || s.tool == covgap_core::Tool::CoveragePy {
                <div><dt>{"Branches"}</dt><dd data-field="branches">{
                    if r.report.carries(covgap_core::Metric::Branches) { format!("{} of {}", fmt::count(t.branches.covered), fmt::count(t.branches.total)) } else { "not measured".to_string() }
                }</dd></div>
            }
            <div class="total"><dt>{ if headline == covgap_core::Metric::Combined { "Total".to_string() } else { headline.title().to_string() } }</dt><dd data-field="total">{
                { let v = rules.show(t, headline, 0); if v.starts_with(|c: char| c.is_ascii_digit()) { format!("{}%", fmt::pct(&v)) } else { v } }
            }</dd></div>
        </dl>
        if let Some(root) = &r.report.root {
            <p class="note" data-field="root">{ format!("Paths are shown relative to {root}") }</p>
        }
        if t.files == 0 {
            <p class="note">{ format!("This report lists no files: {} measured nothing.", rules.name) }</p>
        }
        if !r.report.warnings.is_empty() {
            <ul class="warnings" aria-label="Warnings">
                { for r.report.warnings.iter().map(|w| html! { <li>{"⚠ "}{ w }</li> }) }
            </ul>
        }
        </>
    }
}
