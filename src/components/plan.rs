//! The improvement plan: phases and their exit criteria, the priority table, the cheapest
//! path, what-if, the board, the editor and the exports.

use crate::state::{Loaded, LoadedPlan};
use covgap_core::plan::Plan;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`PlanPanel`].
#[derive(Properties, PartialEq)]
pub struct PlanPanelProps {
    /// The report the plan is checked against.
    pub loaded: Option<Rc<Loaded>>,
    /// The plan, if any.
    pub plan: Option<Rc<LoadedPlan>>,
    /// Is there an edit to undo?
    pub can_undo: bool,
    /// The plan changed (edited, or created from the report).
    pub on_edit: Callback<Plan>,
    /// Undo the last edit.
    pub on_undo: Callback<()>,
}

/// The plan view.
#[component]
pub fn PlanPanel(p: &PlanPanelProps) -> Html {
    match (&p.loaded, &p.plan) {
        (None, _) => html! {
            <section class="plan empty-panel">
                <h2>{"Plan"}</h2>
                <p>{"Load a coverage report first; then drop a covgap plan file, or create a plan from the report."}</p>
            </section>
        },
        (Some(_), None) => html! {
            <section class="plan empty-panel">
                <h2>{"Plan"}</h2>
                <p>{"No plan loaded: drop a plan file (JSON) on the page."}</p>
            </section>
        },
        (Some(_), Some(plan)) => html! {
            <section class="plan"><h2>{ plan.plan.name.clone().unwrap_or_else(|| plan.name.clone()) }</h2></section>
        },
    }
}
