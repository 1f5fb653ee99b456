//! The plan editor: every field of the plan, its modules and its phases, inline. A field
//! is applied when the user leaves it (or presses Enter), checked exactly like a plan
//! file; a refused change says why and leaves the plan as it was.

use super::edit::{
    impact_key, metric_key, status_key, ModuleField, PhaseField, PhaseFlag, PlanField,
};
use super::{
    checked_of, suggest_modules, target_text, value_of, CreatePlan, Ctx, Edit, FieldError,
};
use covgap_core::plan::{Impact, Module, Phase, Plan, Status};
use std::collections::BTreeMap;
use yew::prelude::*;

fn opt_num(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// A callback that turns the changed field's text into an edit.
fn on_text(
    edit: &Callback<Edit, bool>,
    make: impl Fn(String) -> Edit + 'static,
) -> Callback<Event> {
    let edit = edit.clone();
    Callback::from(move |e: Event| {
        edit.emit(make(value_of(&e)));
    })
}

fn send(edit: &Callback<Edit, bool>, e: Edit) -> Callback<MouseEvent> {
    let edit = edit.clone();
    Callback::from(move |_: MouseEvent| {
        edit.emit(e.clone());
    })
}

/// A labelled text or number input. When its last change was refused, it keeps what was
/// typed, is marked invalid, and says why right under it.
fn input(
    errors: &BTreeMap<String, FieldError>,
    id: String,
    label: &str,
    kind: &'static str,
    value: String,
    placeholder: String,
    onchange: Callback<Event>,
) -> Html {
    let step = (kind == "number").then_some("any");
    // Titles, names and patterns are the long values: they get two grid cells.
    let wide = kind == "text" && !id.ends_with("effort") && !id.ends_with("owner");
    let error = errors.get(&id);
    let error_id = format!("{id}-error");
    // A number field cannot show text that is not a number: the typed text goes to a
    // text field while it is refused.
    let kind = if error.is_some() { "text" } else { kind };
    let value = error.map_or(value, |e| e.typed.clone());
    html! {
        <label class={classes!("field", wide.then_some("wide"), error.is_some().then_some("invalid"))}>{ label.to_string() }
            <input type={kind} id={id} value={value} placeholder={placeholder} step={step} onchange={onchange}
                autocomplete="off" spellcheck="false"
                aria-invalid={error.map(|_| "true")} aria-describedby={error.map(|_| error_id.clone())} />
            if let Some(e) = error {
                <span class="field-error" id={error_id} role="alert">{ e.message.clone() }</span>
            }
        </label>
    }
}

pub(super) fn view(c: &Ctx) -> Html {
    let plan = &c.plan.plan;
    let e = &c.edit;
    let f = |field: PlanField| on_text(e, move |v| Edit::Plan(field, v));
    html! {
        <div class="plan-editor">
            <p class="hint">{"Each change applies when you leave the field or press Enter, and is checked like a plan file. Undo takes back the last change; save the plan file from Export."}</p>
            <fieldset class="ed-plan">
                <legend>{"Plan"}</legend>
                <div class="ed-grid">
                    { input(&c.ui.field_errors, "ed-name".into(), "Title", "text", plan.name.clone().unwrap_or_default(), String::new(), f(PlanField::Name)) }
                    { input(&c.ui.field_errors, "ed-target".into(), "Overall target (%)", "number", plan.target.to_string(), String::new(), f(PlanField::Target)) }
                    { input(&c.ui.field_errors, "ed-precision".into(), "Precision (decimals)", "number", plan.precision.to_string(), String::new(), f(PlanField::Precision)) }
                    { input(&c.ui.field_errors, "ed-floor".into(), "Floor: no module below (%)", "number", opt_num(plan.floor), "none".into(), f(PlanField::Floor)) }
                    { input(&c.ui.field_errors, "ed-baseline".into(), "Baseline (%)", "number", opt_num(plan.baseline), "0".into(), f(PlanField::Baseline)) }
                    { input(&c.ui.field_errors, "ed-configured".into(), "fail_under configured today", "number", opt_num(plan.configured_fail_under), "not recorded".into(), f(PlanField::ConfiguredFailUnder)) }
                    <label class="field span">{"Description"}
                        <textarea id="ed-description" rows="2" value={plan.description.clone().unwrap_or_default()} onchange={f(PlanField::Description)} />
                    </label>
                </div>
            </fieldset>
            <section class="ed-modules" aria-labelledby="ed-modules-title">
                <h3 id="ed-modules-title">{ format!("Modules ({})", plan.modules.len()) }</h3>
                <p class="hint">{"A report file belongs to the first module that matches it: keep specific modules above catch-alls like src/**. Patterns: a file, a directory (src/pkg/) or a glob (src/**/api*.py); several separated by commas."}</p>
                <ol class="ed-list">
                    { for plan.modules.iter().enumerate().map(|(i, m)| module(c, plan, i, m)) }
                </ol>
                <AddModule edit={e.clone()} error={c.ui.field_errors.get("ed-new-paths").map(|e| e.message.clone())} suggestions={suggest_modules(&c.loaded.tree, c.loaded.report.headline(), c.loaded.report.rules(), 30).into_iter().map(|s| s.path).collect::<Vec<_>>()} />
            </section>
            <section class="ed-phases" aria-labelledby="ed-phases-title">
                <h3 id="ed-phases-title">{ format!("Phases ({})", plan.phases.len()) }</h3>
                <ol class="ed-list">
                    { for plan.phases.iter().enumerate().map(|(i, ph)| phase(c, plan, i, ph)) }
                </ol>
                <button type="button" id="ed-add-phase" onclick={send(e, Edit::AddPhase)}>{"Add a phase"}</button>
            </section>
            <details class="ed-replace">
                <summary>{"Start again from this report"}</summary>
                <p class="hint">{"Replaces the whole plan with one made from the report's least covered parts (Undo brings this one back)."}</p>
                <CreatePlan key={c.loaded.id} loaded={c.loaded.clone()} on_edit={c.replace.clone()} />
            </details>
        </div>
    }
}

fn module(c: &Ctx, plan: &Plan, i: usize, m: &Module) -> Html {
    let e = &c.edit;
    let f = |field: ModuleField| on_text(e, move |v| Edit::Module(i, field, v));
    let id = |k: &str| format!("ed-m{i}-{k}");
    let n = plan.modules.len();
    let name = m.display_name().to_string();
    let metric = m.metric;
    let impact = m.impact;
    let status = m.status;
    html! {
        <li>
            <fieldset class="ed-item" data-module={name.clone()}>
                <legend>{ format!("Module {}: ", i + 1) }<span class="module-name">{ name.clone() }</span></legend>
                <div class="ed-grid">
                    { input(&c.ui.field_errors, id("name"), "Name", "text", m.name.clone().unwrap_or_default(), m.patterns().first().map(|s| s.to_string()).unwrap_or_default(), f(ModuleField::Name)) }
                    { input(&c.ui.field_errors, id("paths"), "Path patterns", "text", m.patterns().join(", "), String::new(), f(ModuleField::Paths)) }
                    { input(&c.ui.field_errors, id("target"), "Target (%)", "number", opt_num(m.target), format!("plan: {}", target_text(plan.target)), f(ModuleField::Target)) }
                    <label class="field">{"Metric"}
                        <select id={id("metric")} onchange={f(ModuleField::Metric)}>
                            <option value="default" selected={metric.is_none()}>{ format!("default ({})", c.loaded.report.headline().key()) }</option>
                            { for c.loaded.report.metrics.iter().copied().chain(metric.filter(|m| !c.loaded.report.carries(*m))).map(|x| html! {
                                <option value={metric_key(x)} selected={metric == Some(x)}>{ x.key() }</option>
                            }) }
                        </select>
                    </label>
                    { input(&c.ui.field_errors, id("effort"), "Effort (hours, or 4-6)", "text", m.effort.map(|x| x.label()).unwrap_or_default(), "none".into(), f(ModuleField::Effort)) }
                    <label class="field">{"Impact"}
                        <select id={id("impact")} onchange={f(ModuleField::Impact)}>
                            <option value="" selected={impact.is_none()}>{"—"}</option>
                            { for [Impact::High, Impact::Medium, Impact::Low].into_iter().map(|x| html! {
                                <option value={impact_key(x)} selected={impact == Some(x)}>{ x.label() }</option>
                            }) }
                        </select>
                    </label>
                    { input(&c.ui.field_errors, id("owner"), "Owner", "text", m.owner.clone().unwrap_or_default(), "nobody".into(), f(ModuleField::Owner)) }
                    <label class="field">{"Board column"}
                        <select id={id("status")} onchange={f(ModuleField::Status)}>
                            <option value="" selected={status.is_none()}>{"From the numbers"}</option>
                            { for Status::ALL.into_iter().map(|x| html! {
                                <option value={status_key(x)} selected={status == Some(x)}>{ x.label() }</option>
                            }) }
                        </select>
                    </label>
                    <label class="field span">{"Notes"}
                        <textarea id={id("notes")} rows="1" value={m.notes.clone().unwrap_or_default()} onchange={f(ModuleField::Notes)} />
                    </label>
                </div>
                <div class="row">
                    <button type="button" class="small" disabled={i == 0} onclick={send(e, Edit::MoveModule(i, true))}
                        aria-label={format!("Move {name} up")}>{"↑ Up"}</button>
                    <button type="button" class="small" disabled={i + 1 >= n} onclick={send(e, Edit::MoveModule(i, false))}
                        aria-label={format!("Move {name} down")}>{"↓ Down"}</button>
                    <button type="button" class="small danger" id={id("remove")} onclick={send(e, Edit::RemoveModule(i))}
                        aria-label={format!("Remove module {name}")}>{"Remove"}</button>
                </div>
            </fieldset>
        </li>
    }
}

fn phase(c: &Ctx, plan: &Plan, i: usize, ph: &Phase) -> Html {
    let e = &c.edit;
    let f = |field: PhaseField| on_text(e, move |v| Edit::Phase(i, field, v));
    let flag = |fl: PhaseFlag| {
        let e = e.clone();
        Callback::from(move |ev: Event| {
            e.emit(Edit::PhaseFlag(i, fl, checked_of(&ev)));
        })
    };
    let id = |k: &str| format!("ed-p{i}-{k}");
    let n = plan.phases.len();
    let previous = if i == 0 {
        plan.baseline.unwrap_or(0.0)
    } else {
        plan.phases.get(i - 1).map_or(0.0, |p| p.target)
    };
    let names: Vec<String> = plan
        .modules
        .iter()
        .map(|m| m.display_name().to_string())
        .collect();
    html! {
        <li>
            <fieldset class="ed-item" data-phase={(i + 1).to_string()}>
                <legend>{ format!("Phase {}: ", i + 1) }<span class="phase-name">{ ph.name.clone() }</span></legend>
                <div class="ed-grid">
                    { input(&c.ui.field_errors, id("name"), "Name", "text", ph.name.clone(), String::new(), f(PhaseField::Name)) }
                    { input(&c.ui.field_errors, id("target"), "Target (%)", "number", ph.target.to_string(), String::new(), f(PhaseField::Target)) }
                    { input(&c.ui.field_errors, id("baseline"), "Baseline (%)", "number", opt_num(ph.baseline), format!("previous: {}", target_text(previous)), f(PhaseField::Baseline)) }
                    <label class="field span">{"Notes"}
                        <textarea id={id("notes")} rows="1" value={ph.notes.clone().unwrap_or_default()} onchange={f(PhaseField::Notes)} />
                    </label>
                </div>
                <fieldset class="ed-sub">
                    <legend>{"Modules of this phase"}</legend>
                    if names.is_empty() {
                        <p class="note">{"Add modules to the plan first."}</p>
                    }
                    <div class="ed-checks">
                        { for names.iter().enumerate().map(|(j, name)| {
                            let on = ph.modules.contains(name);
                            let e = e.clone();
                            let nm = name.clone();
                            let toggle = Callback::from(move |ev: Event| {
                                e.emit(Edit::PhaseModule(i, nm.clone(), checked_of(&ev)));
                            });
                            html! {
                                <label class="check"><input type="checkbox" id={format!("ed-p{i}-m{j}")} checked={on} onchange={toggle} />{ name.clone() }</label>
                            }
                        }) }
                    </div>
                </fieldset>
                <fieldset class="ed-sub">
                    <legend>{"Exit criteria"}</legend>
                    <div class="ed-grid">
                        { input(&c.ui.field_errors, id("overall"), "Overall at least (%; blank: target)", "number", opt_num(ph.exit.overall_at_least), ph.target.to_string(), f(PhaseField::OverallAtLeast)) }
                        { input(&c.ui.field_errors, id("max-missing"), "At most N missing statements", "number", ph.exit.max_missing_statements.map(|x| x.to_string()).unwrap_or_default(), "no limit".into(), f(PhaseField::MaxMissing)) }
                        { input(&c.ui.field_errors, id("fail-under"), "fail_under raised to", "number", opt_num(ph.exit.fail_under), "not required".into(), f(PhaseField::FailUnder)) }
                    </div>
                    <div class="ed-checks">
                        <label class="check"><input type="checkbox" id={id("at-target")} checked={ph.exit.modules_at_target}
                            disabled={ph.modules.is_empty() && !ph.exit.modules_at_target} onchange={flag(PhaseFlag::ModulesAtTarget)} />
                            {"Every module of the phase at its target"}</label>
                        <label class="check"><input type="checkbox" id={id("floor")} checked={ph.exit.no_module_below_floor}
                            disabled={plan.floor.is_none() && !ph.exit.no_module_below_floor} onchange={flag(PhaseFlag::NoModuleBelowFloor)} />
                            { match plan.floor { Some(fl) => format!("No module below the floor ({})", target_text(fl)), None => "No module below the floor (set a floor first)".to_string() } }</label>
                    </div>
                    <div class="ed-at-least">
                        <p class="ed-sub-title">{"Modules at least"}</p>
                        <ul>
                            { for ph.exit.modules_at_least.iter().enumerate().map(|(j, (name, v))| {
                                let nm = name.clone();
                                let set = on_text(e, move |t| Edit::PhaseModuleAtLeast(i, nm.clone(), Some(t)));
                                html! {
                                    <li>
                                        { input(&c.ui.field_errors, format!("ed-p{i}-al{j}"), &format!("{name} at least (%)"), "number", v.to_string(), String::new(), set) }
                                        <button type="button" class="small" onclick={send(e, Edit::PhaseModuleAtLeast(i, name.clone(), None))}
                                            aria-label={format!("Remove the criterion on {name}")}>{"Remove"}</button>
                                    </li>
                                }
                            }) }
                        </ul>
                        <AddAtLeast phase={i} edit={e.clone()} error={c.ui.field_errors.get(&format!("ed-p{i}-al-value")).map(|x| x.message.clone())} modules={names.iter().filter(|n| !ph.exit.modules_at_least.iter().any(|(x, _)| x == *n)).cloned().collect::<Vec<_>>()} />
                    </div>
                </fieldset>
                <div class="row">
                    <button type="button" class="small" disabled={i == 0} onclick={send(e, Edit::MovePhase(i, true))}
                        aria-label={format!("Move phase {} up", i + 1)}>{"↑ Up"}</button>
                    <button type="button" class="small" disabled={i + 1 >= n} onclick={send(e, Edit::MovePhase(i, false))}
                        aria-label={format!("Move phase {} down", i + 1)}>{"↓ Down"}</button>
                    <button type="button" class="small danger" id={id("remove")} onclick={send(e, Edit::RemovePhase(i))}
                        aria-label={format!("Remove phase {}", i + 1)}>{"Remove"}</button>
                </div>
            </fieldset>
        </li>
    }
}

/// Props of [`AddModule`].
#[derive(Properties, PartialEq)]
pub struct AddModuleProps {
    /// Applies the edit; answers whether it was accepted.
    pub edit: Callback<Edit, bool>,
    /// Paths offered while typing (the report's least covered parts).
    pub suggestions: Vec<String>,
    /// Why the last module was refused.
    #[prop_or_default]
    pub error: Option<String>,
}

/// The "add a module" form; it keeps what was typed when the module is refused.
#[component]
pub fn AddModule(p: &AddModuleProps) -> Html {
    let name = use_state(String::new);
    let paths = use_state(String::new);
    let target = use_state(String::new);
    let set = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: InputEvent| s.set(value_of(&e)))
    };
    let submit = {
        let (name, paths, target) = (name.clone(), paths.clone(), target.clone());
        let edit = p.edit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let ok = edit.emit(Edit::AddModule {
                name: (*name).clone(),
                paths: (*paths).clone(),
                target: (*target).clone(),
            });
            if ok {
                name.set(String::new());
                paths.set(String::new());
                target.set(String::new());
            }
        })
    };
    html! {
        <form class="ed-add" id="ed-add-module" onsubmit={submit}>
            <p class="ed-sub-title">{"Add a module"}</p>
            <div class="ed-grid">
                <label class={classes!("field", p.error.is_some().then_some("invalid"))}>{"Path patterns"}
                    <input type="text" id="ed-new-paths" list="ed-path-suggestions" value={(*paths).clone()} oninput={set(&paths)}
                        placeholder="src/pkg/ or src/pkg/*.py" autocomplete="off" spellcheck="false" required=true
                        aria-invalid={p.error.as_ref().map(|_| "true")} aria-describedby={p.error.as_ref().map(|_| "ed-new-paths-error")} />
                    if let Some(e) = &p.error {
                        <span class="field-error" id="ed-new-paths-error" role="alert">{ e.clone() }</span>
                    }
                </label>
                <datalist id="ed-path-suggestions">
                    { for p.suggestions.iter().map(|s| html! { <option value={s.clone()} /> }) }
                </datalist>
                <label class="field">{"Name"}
                    <input type="text" id="ed-new-name" value={(*name).clone()} oninput={set(&name)} placeholder="the first pattern" autocomplete="off" />
                </label>
                <label class="field">{"Target (%)"}
                    <input type="number" step="any" id="ed-new-target" value={(*target).clone()} oninput={set(&target)} placeholder="the plan's" />
                </label>
                <button type="submit" id="ed-add-module-submit">{"Add module"}</button>
            </div>
        </form>
    }
}

/// Props of [`AddAtLeast`].
#[derive(Properties, PartialEq)]
pub struct AddAtLeastProps {
    /// The phase.
    pub phase: usize,
    /// Applies the edit; answers whether it was accepted.
    pub edit: Callback<Edit, bool>,
    /// Modules without a criterion yet.
    pub modules: Vec<String>,
    /// Why the last criterion was refused.
    #[prop_or_default]
    pub error: Option<String>,
}

/// Adds a "module at least N%" criterion to a phase.
#[component]
pub fn AddAtLeast(p: &AddAtLeastProps) -> Html {
    let module = use_state(String::new);
    let value = use_state(String::new);
    let chosen = if p.modules.contains(&*module) {
        (*module).clone()
    } else {
        p.modules.first().cloned().unwrap_or_default()
    };
    let on_module = {
        let s = module.clone();
        Callback::from(move |e: Event| s.set(value_of(&e)))
    };
    let on_value = {
        let s = value.clone();
        Callback::from(move |e: InputEvent| s.set(value_of(&e)))
    };
    let add = {
        let (value, edit, phase, chosen) = (value.clone(), p.edit.clone(), p.phase, chosen.clone());
        Callback::from(move |_: MouseEvent| {
            if edit.emit(Edit::PhaseModuleAtLeast(
                phase,
                chosen.clone(),
                Some((*value).clone()),
            )) {
                value.set(String::new());
            }
        })
    };
    if p.modules.is_empty() {
        return html! {};
    }
    let i = p.phase;
    html! {
        <div class="row wrap ed-add-at-least">
            <label class="field">{"Module"}
                <select id={format!("ed-p{i}-al-module")} onchange={on_module}>
                    { for p.modules.iter().map(|m| html! { <option value={m.clone()} selected={*m == chosen}>{ m.clone() }</option> }) }
                </select>
            </label>
            <label class={classes!("field", p.error.is_some().then_some("invalid"))}>{"at least (%)"}
                <input type="number" step="any" id={format!("ed-p{i}-al-value")} value={(*value).clone()} oninput={on_value}
                    aria-invalid={p.error.as_ref().map(|_| "true")} aria-describedby={p.error.as_ref().map(|_| format!("ed-p{i}-al-value-error"))} />
                if let Some(e) = &p.error {
                    <span class="field-error" id={format!("ed-p{i}-al-value-error")} role="alert">{ e.clone() }</span>
                }
            </label>
            <button type="button" class="small" id={format!("ed-p{i}-al-add")} onclick={add}>{"Add criterion"}</button>
        </div>
    }
}
