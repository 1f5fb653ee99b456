//! The improvement plan: phases and their exit criteria, the priority table, the cheapest
//! path, what-if, the board, the editor and the exports.
//!
//! Files are matched to modules once per plan and report ([`assign`], memoised on the
//! module patterns and the report); every slider move or "done" tick only re-runs the
//! engine's arithmetic ([`evaluate_assigned`]). The view's state (sub-tab, sort, what-if,
//! goal, gate, refused edits) is the app reducer's ([`crate::state::plan`]), never the
//! plan's: a what-if is not an edit, and it survives switching tabs.

mod board;
pub mod create;
mod editor;
mod exports;
mod phases;
mod priority;
mod whatif;

pub use crate::state::edit;
pub use crate::state::plan::{FieldError, GateFormat, PlanUi, Section, UiAction};
pub use create::{plan_from_report, suggest_modules, CreatePlan, Suggestion};
pub use edit::{apply_edit, Edit};

use super::Effect;
use crate::fmt;
use crate::state::{Loaded, LoadedPlan};
use covgap_core::plan::{
    assign, cheapest_path, evaluate_assigned, Assignment, CheapestPath, Plan, PlanStatus, WhatIf,
};
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`PlanPanel`].
#[derive(Properties)]
pub struct PlanPanelProps {
    /// The report the plan is checked against.
    pub loaded: Option<Rc<Loaded>>,
    /// The plan, if any.
    pub plan: Option<Rc<LoadedPlan>>,
    /// Is there an edit to undo?
    pub can_undo: bool,
    /// The sub-tab shown (from the URL).
    #[prop_or_default]
    pub section: Section,
    /// The view's state.
    #[prop_or_default]
    pub ui: PlanUi,
    /// Changes to the view's state.
    #[prop_or_default]
    pub on_ui: Callback<UiAction>,
    /// An edit of the plan as typed (the reducer applies or refuses it).
    #[prop_or_default]
    pub on_edit: Callback<Edit>,
    /// A whole new plan (created from the report).
    pub on_replace: Callback<Plan>,
    /// Undo the last edit.
    pub on_undo: Callback<()>,
    /// Copy and download, done by the app shell.
    #[prop_or_default]
    pub on_effect: Callback<Effect>,
    /// The plan file was downloaded (saved).
    #[prop_or_default]
    pub on_saved: Callback<()>,
}

/// Reports are large: props compare them by identity (a new report is a new `Rc`), not
/// by walking every line.
impl PartialEq for PlanPanelProps {
    fn eq(&self, o: &Self) -> bool {
        same(&self.loaded, &o.loaded)
            && same(&self.plan, &o.plan)
            && self.can_undo == o.can_undo
            && self.section == o.section
            && self.ui == o.ui
            && self.on_ui == o.on_ui
            && self.on_edit == o.on_edit
            && self.on_replace == o.on_replace
            && self.on_undo == o.on_undo
            && self.on_effect == o.on_effect
            && self.on_saved == o.on_saved
    }
}

fn same<T>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => Rc::ptr_eq(x, y),
        (None, None) => true,
        _ => false,
    }
}

/// An `Rc` compared by identity, as a memo dependency.
#[derive(Clone)]
pub struct ByPtr<T>(pub Rc<T>);

impl<T> PartialEq for ByPtr<T> {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.0, &o.0)
    }
}

/// Everything a section renders from.
pub(crate) struct Ctx<'a> {
    /// The plan as loaded or edited.
    pub plan: &'a Rc<LoadedPlan>,
    /// The report.
    pub loaded: &'a Rc<Loaded>,
    /// The plan measured, what-if applied.
    pub status: &'a PlanStatus,
    /// The plan measured on the report alone.
    pub base: &'a PlanStatus,
    /// The cheapest path to the goal, from `status`.
    pub cheapest: &'a CheapestPath,
    /// The view state.
    pub ui: &'a PlanUi,
    /// Changes the view state.
    pub dispatch: Callback<UiAction>,
    /// Changes the plan (validated first); answers whether the change was made.
    pub edit: Callback<Edit, bool>,
    /// Replaces the plan with a new one (made from the report).
    pub replace: Callback<Plan>,
    /// Copy and download.
    pub effect: Callback<Effect>,
    /// The plan file was downloaded.
    pub saved: Callback<()>,
}

impl Ctx<'_> {
    fn precision(&self) -> u8 {
        self.status.precision
    }

    /// A callback that dispatches a fixed view action.
    fn act<E>(&self, a: UiAction) -> Callback<E> {
        let d = self.dispatch.clone();
        Callback::from(move |_: E| d.emit(a.clone()))
    }
}

/// A percentage as the exports write it: at the plan's precision, two decimals at least
/// ("58.50%"), with the user's decimal separator.
pub fn pct2(s: &PlanStatus, v: f64) -> String {
    fmt::pct(&s.pct_text(v))
}

/// A percentage exactly as the report's tool shows it ("58%" for coverage.py at the
/// plan's precision).
pub fn shown(s: &PlanStatus, v: f64) -> String {
    format!("{}%", fmt::pct(&s.rules().display_percent(v, s.precision)))
}

/// A target as the plan writes it ("80%", "92.5%").
pub fn target_text(t: f64) -> String {
    format!("{}%", fmt::pct(&t.to_string()))
}

/// ✅ met / ⏳ unmet: a mark and a word, so colour and emoji are never the only signal.
pub fn mark(met: bool) -> Html {
    html! {
        <span class={classes!("mark", if met { "met" } else { "unmet" })}>{ if met { "✅ met" } else { "⏳ unmet" } }</span>
    }
}

/// The `value` of the input, select or text area an event came from.
pub fn value_of(e: &Event) -> String {
    e.target()
        .and_then(|t| js_sys::Reflect::get(&t, &"value".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

/// Whether the checkbox an event came from is ticked.
pub fn checked_of(e: &Event) -> bool {
    e.target()
        .and_then(|t| js_sys::Reflect::get(&t, &"checked".into()).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// What-if overrides for modules that still exist (a rename or removal leaves none
/// behind to warn about).
fn live_what_if(plan: &Plan, w: &WhatIf) -> WhatIf {
    let mut out = w.clone();
    out.modules
        .retain(|name, _| plan.modules.iter().any(|m| m.display_name() == name));
    out
}

/// The plan view.
#[component]
pub fn PlanPanel(p: &PlanPanelProps) -> Html {
    let ui = &p.ui;
    // Matching paths is the one costly step: only new patterns or a new report redo it.
    let assignment: Rc<Option<Assignment>> = {
        let patterns: Option<Vec<Vec<String>>> = p.plan.as_ref().map(|pl| {
            pl.plan
                .modules
                .iter()
                .map(|m| m.patterns().into_iter().map(String::from).collect())
                .collect()
        });
        let plan = p.plan.clone();
        use_memo(
            (patterns, p.loaded.clone().map(ByPtr)),
            move |(_, loaded)| match (plan, loaded) {
                (Some(pl), Some(l)) => Some(assign(&pl.plan, &l.0.report)),
                _ => None,
            },
        )
    };
    let what_if = p
        .plan
        .as_ref()
        .map(|pl| live_what_if(&pl.plan, &ui.what_if))
        .unwrap_or_default();
    let statuses: Rc<Option<(PlanStatus, PlanStatus)>> = use_memo(
        (
            ByPtr(assignment.clone()),
            p.plan.clone().map(ByPtr),
            what_if,
        ),
        |(a, plan, w)| match (a.0.as_ref(), plan) {
            (Some(a), Some(pl)) => {
                let base = evaluate_assigned(&pl.0.plan, a, &WhatIf::none());
                let status = if w.is_empty() {
                    base.clone()
                } else {
                    evaluate_assigned(&pl.0.plan, a, w)
                };
                Some((status, base))
            }
            _ => None,
        },
    );
    let goal = ui.goal;
    let cheapest: Rc<Option<CheapestPath>> = use_memo(
        (ByPtr(statuses.clone()), goal.map(f64::to_bits)),
        move |(s, _)| {
            (*s.0)
                .as_ref()
                .map(|(st, _)| cheapest_path(st, goal.unwrap_or(st.target)))
        },
    );
    // The reducer applies or refuses the edit (and keeps what was typed when it refuses);
    // checking it here too answers the forms that clear themselves once accepted.
    let edit = {
        let plan = p.plan.clone();
        let on_edit = p.on_edit.clone();
        Callback::from(move |e: Edit| {
            let Some(pl) = &plan else { return false };
            let ok = apply_edit(&pl.plan, e.clone()).is_ok();
            on_edit.emit(e);
            ok
        })
    };

    let (loaded, plan) = match (&p.loaded, &p.plan) {
        (None, plan) => {
            return html! {
                <section class="plan empty-panel" aria-labelledby="plan-title">
                    <h2 id="plan-title">{"Plan"}</h2>
                    if let Some(pl) = plan {
                        <p>{"Plan "}<span class="filename">{ fmt::path(&pl.name) }</span>{" is loaded. Load the coverage report it is measured against (drop coverage.json on the page)."}</p>
                    } else {
                        <p>{"Load a coverage report first; then drop a covgap plan file, or create a plan from the report."}</p>
                    }
                </section>
            }
        }
        (Some(l), None) => {
            return html! {
                <section class="plan empty-panel" aria-labelledby="plan-title">
                    <h2 id="plan-title">{"Plan"}</h2>
                    <p>{"No plan loaded. Drop a covgap plan file (JSON, see docs/plan-format.md) on the page, or create one from this report. The plan never leaves this machine."}</p>
                    <CreatePlan key={l.id} loaded={l.clone()} on_edit={p.on_replace.clone()} />
                </section>
            }
        }
        (Some(l), Some(pl)) => (l, pl),
    };
    let (Some((status, base)), Some(cheapest)) = (&*statuses, &*cheapest) else {
        return html! {};
    };
    let ctx = Ctx {
        plan,
        loaded,
        status,
        base,
        cheapest,
        ui,
        dispatch: p.on_ui.clone(),
        edit,
        replace: p.on_replace.clone(),
        effect: p.on_effect.clone(),
        saved: p.on_saved.clone(),
    };
    let undo = p.on_undo.reform(|_: MouseEvent| ());
    let title = plan.plan.name.clone().unwrap_or_else(|| plan.name.clone());
    html! {
        <section class="plan" aria-labelledby="plan-title">
            <header class="plan-head">
                <div class="plan-title">
                    <h2 id="plan-title">{ title }</h2>
                    if let Some(d) = &plan.plan.description {
                        <p class="plan-desc">{ d.clone() }</p>
                    }
                    <p class="muted small">{"Plan file "}<span class="filename">{ fmt::path(&plan.name) }</span>{" measured against "}<span class="filename">{ fmt::path(&loaded.name) }</span>{". Nothing leaves this machine."}</p>
                </div>
                <button type="button" id="plan-undo" disabled={!p.can_undo} onclick={undo}
                    title="Undo the last change to the plan">{"↶ Undo"}</button>
            </header>
            { headline(&ctx) }
            if !status.warnings.is_empty() {
                <ul class="warnings" aria-label="Plan warnings">
                    { for status.warnings.iter().map(|w| html! { <li>{ w.clone() }</li> }) }
                </ul>
            }
            if let Some(e) = &ui.error {
                <p class="error plan-error" role="alert" id="plan-error">{"Not applied: "}{ e.clone() }</p>
            }
            <div class="plan-tabs" role="tablist" aria-label="Plan views">
                { for Section::ALL.into_iter().enumerate().map(|(i, s)| {
                    let selected = p.section == s;
                    // Arrow keys, Home and End select and focus another tab (one tab stop).
                    let onkeydown = {
                        let d = ctx.dispatch.clone();
                        let effect = ctx.effect.clone();
                        Callback::from(move |e: KeyboardEvent| {
                            if let Some(j) = super::tab_key(&e.key(), i, Section::ALL.len()) {
                                e.prevent_default();
                                let to = Section::ALL[j];
                                d.emit(UiAction::Show(to));
                                effect.emit(Effect::Focus(format!("plan-tab-{}", to.slug())));
                            }
                        })
                    };
                    html! {
                        <button type="button" role="tab" id={format!("plan-tab-{}", s.slug())}
                            aria-selected={selected.to_string()} aria-controls="plan-section"
                            tabindex={if selected { "0" } else { "-1" }}
                            onclick={ctx.act(UiAction::Show(s))} onkeydown={onkeydown}>{ s.label() }</button>
                    }
                }) }
            </div>
            <div class={classes!("plan-section", format!("plan-{}", p.section.slug()))} role="tabpanel" id="plan-section"
                aria-labelledby={format!("plan-tab-{}", p.section.slug())}>
                { match p.section {
                    Section::Phases => phases::view(&ctx),
                    Section::Priorities => priority::view(&ctx),
                    Section::WhatIf => whatif::view(&ctx),
                    Section::Board => board::view(&ctx),
                    Section::Editor => editor::view(&ctx),
                    Section::Exports => exports::view(&ctx),
                } }
            </div>
        </section>
    }
}

/// Total, target, verdict, overall progress and the current phase: always in sight, so a
/// what-if or an edit shows its effect wherever the user is.
fn headline(c: &Ctx) -> Html {
    let s = c.status;
    let pr = &s.progress;
    let needed = match (s.gap.statements_needed, s.gap.needed) {
        _ if s.passes => "nothing more to cover".to_string(),
        (Some(k), _) => format!("{} statements to cover", fmt::count(k)),
        (None, Some(u)) if s.metric == covgap_core::Metric::Combined => {
            format!("{} statements and branches to cover", fmt::count(u))
        }
        (None, Some(u)) => format!("{} to cover", s.metric.units(u)),
        (None, None) => "out of reach even at full coverage".to_string(),
    };
    let current = match s.current_phase.and_then(|i| s.phases.get(i)) {
        Some(ph) => format!("Phase {} of {}: {}", ph.index + 1, s.phases.len(), ph.name),
        None if s.phases.is_empty() => "No phases".to_string(),
        None => "Every phase passes".to_string(),
    };
    let frac = (pr.fraction * 100.0).round();
    let reset = c.act(UiAction::SetWhatIf(WhatIf::none()));
    let changed = s.modules.iter().filter(|m| m.what_if.is_some()).count();
    html! {
        <div class={classes!("plan-status", s.what_if.then_some("what-if"))}>
            <div class="plan-figure">
                <span class="label">{ if s.what_if { "Total (what-if)" } else { "Total" } }</span>
                <span class="value" data-field="plan-total">{ pct2(s, s.total_percent) }</span>
                <span class="formula">{ format!("{}, shown as {} by {}", s.metric.key(), shown(s, s.total_percent), s.rules().name) }</span>
            </div>
            <div class="plan-figure">
                <span class="label">{"Target"}</span>
                <span class="value">{ target_text(s.target) }</span>
                <span class={classes!("verdict-word", if s.passes { "pass" } else { "fail" })} data-field="plan-verdict">
                    { if s.passes { "✅ passes" } else { "⏳ below target" } }{ format!(" · {needed}") }
                </span>
            </div>
            <div class="plan-figure wide">
                <span class="label">{"Overall progress"}</span>
                { super::bar(frac, None, &format!("Overall progress: {frac}% of the way from {} to {}", target_text(pr.baseline), target_text(pr.target))) }
                <span class="formula" data-field="plan-progress">{ format!("{frac}% of the way from {} to {} · {} of {} phases passed", target_text(pr.baseline), target_text(pr.target), pr.phases_passed, pr.phases) }</span>
                <span class="formula" data-field="plan-current-phase">{ current }</span>
            </div>
            if s.what_if {
                <p class="what-if-note" role="status">
                    <strong>{"What-if: "}</strong>{ format!("{changed} module{} changed; these numbers are not the report's.", if changed == 1 { "" } else { "s" }) }
                    <button type="button" class="small" id="what-if-reset-top" onclick={reset}>{"Back to the report"}</button>
                </p>
            }
        </div>
    }
}
