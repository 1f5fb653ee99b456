//! The list of files given: status while loading, then each report's headline numbers
//! (format, files, statements, covered, missing, branches, total), or why it failed.

use crate::fmt;
use crate::state::{LoadEntry, LoadStatus, Loaded, LoadedPlan};
use covgap_core::display::display_percent;
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
}

/// One card per file given.
#[component]
pub fn LoadList(p: &LoadListProps) -> Html {
    if p.loads.is_empty() {
        return html! {};
    }
    html! {
        <section class="loads" aria-label="Loaded files">
            <ul class="load-list">
            { for p.loads.iter().map(|l| {
                let report = p.reports.iter().find(|r| r.id == l.id);
                let plan = p.plan.as_ref().filter(|pl| pl.id == l.id);
                card(l, report, plan, p.current == Some(l.id), &p.on_select, &p.on_remove)
            }) }
            </ul>
        </section>
    }
}

fn card(
    l: &LoadEntry,
    report: Option<&Rc<Loaded>>,
    plan: Option<&Rc<LoadedPlan>>,
    current: bool,
    on_select: &Callback<u32>,
    on_remove: &Callback<u32>,
) -> Html {
    let id = l.id;
    let remove = on_remove.reform(move |_: MouseEvent| id);
    let select = on_select.reform(move |_: MouseEvent| id);
    let (state_class, status) = match &l.status {
        LoadStatus::Reading => (
            "reading",
            html! { <span class="status">{"Reading…"}</span> },
        ),
        LoadStatus::Parsing => (
            "parsing",
            html! { <span class="status">{"Parsing…"}</span> },
        ),
        LoadStatus::Done => ("done", html! {}),
        LoadStatus::Failed(_) => ("failed", html! { <span class="status">{"Failed"}</span> }),
    };
    let error = match &l.status {
        LoadStatus::Failed(why) => html! {
            <p class="error" role="alert"><strong>{"Could not load "}<span class="filename">{ &l.name }</span>{": "}</strong>{ why }</p>
        },
        _ => html! {},
    };
    html! {
        <li class={classes!("load", state_class, current.then_some("current"))} data-load-id={id.to_string()}>
            <div class="load-head">
                <span class="filename" title={l.name.clone()}>{ &l.name }</span>
                if let Some(b) = l.bytes { <span class="size">{ fmt::bytes(b) }</span> }
                { status }
                <span class="spacer" />
                if report.is_some() {
                    <button type="button" class="small" aria-pressed={current.to_string()} onclick={select}>
                        { if current { "Shown" } else { "Show" } }
                    </button>
                }
                <button type="button" class="small icon" aria-label={format!("Remove {}", l.name)} title="Remove" onclick={remove}>{"✕"}</button>
            </div>
            { error }
            if let Some(r) = report { { headline(r) } }
            if let Some(pl) = plan {
                <p class="plan-line" data-field="plan">
                    { format!("covgap plan “{}”: {} modules, {} phases, target {}% — see the Plan tab.",
                        pl.plan.name.clone().unwrap_or_else(|| pl.name.clone()), pl.plan.modules.len(), pl.plan.phases.len(), pl.plan.target) }
                </p>
            }
        </li>
    }
}

fn headline(r: &Loaded) -> Html {
    let s = &r.report.source;
    let t = &r.totals;
    let mut format = format!("coverage.py JSON, format {}", s.format_version);
    if let Some(v) = &s.tool_version {
        format.push_str(&format!(" (coverage.py {v})"));
    }
    if s.branch_coverage {
        format.push_str(", with branches");
    }
    html! {
        <>
        <dl class="headline">
            <div><dt>{"Format"}</dt><dd data-field="format">{ format }</dd></div>
            <div><dt>{"Files"}</dt><dd data-field="files">{ fmt::count(t.files) }</dd></div>
            <div><dt>{"Statements"}</dt><dd data-field="statements">{ fmt::count(t.statements) }</dd></div>
            <div><dt>{"Covered"}</dt><dd data-field="covered">{ fmt::count(t.covered) }</dd></div>
            <div><dt>{"Missing"}</dt><dd data-field="missing">{ fmt::count(t.missing) }</dd></div>
            <div><dt>{"Branches"}</dt><dd data-field="branches">{
                if s.branch_coverage { format!("{} of {}", fmt::count(t.covered_branches), fmt::count(t.branches)) } else { "not measured".to_string() }
            }</dd></div>
            <div class="total"><dt>{"Total"}</dt><dd data-field="total">{ fmt::pct(&display_percent(t.percent_covered(), 0)) }{"%"}</dd></div>
        </dl>
        if t.files == 0 {
            <p class="note">{"This report lists no files: coverage.py measured nothing."}</p>
        }
        if !r.report.warnings.is_empty() {
            <ul class="warnings" aria-label="Warnings">
                { for r.report.warnings.iter().map(|w| html! { <li>{"⚠ "}{ w }</li> }) }
            </ul>
        }
        </>
    }
}
