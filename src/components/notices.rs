//! What the page says until dismissed: a plan file replaced an edited plan (one Undo
//! away), or a plan set the Target field (never silently).

use crate::fmt;
use crate::state::Notice;
use covgap_core::analysis::Target;
use yew::prelude::*;

/// Props of [`Notices`].
#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    /// The notices, oldest first.
    pub notices: Vec<Notice>,
    /// Dismiss the one at this index.
    pub on_dismiss: Callback<usize>,
    /// Undo the plan's replacement.
    pub on_undo: Callback<()>,
    /// Go back to this target.
    pub on_target: Callback<Target>,
}

fn target_text(t: Target) -> String {
    format!("{}%", fmt::pct(&t.percent.to_string()))
}

/// The notices, each with its action and a dismiss button.
#[component]
pub fn Notices(p: &NoticesProps) -> Html {
    if p.notices.is_empty() {
        return html! {};
    }
    // A replaced plan is urgent: it stays in sight while the user scrolls.
    let urgent = p
        .notices
        .iter()
        .any(|n| matches!(n, Notice::PlanReplaced { .. }));
    html! {
        <div class={classes!("notices", urgent.then_some("urgent"))}>
            { for p.notices.iter().enumerate().map(|(i, n)| {
                let dismiss = p.on_dismiss.reform(move |_: MouseEvent| i);
                let (class, id, body) = match n {
                    Notice::PlanReplaced { name } => {
                        let undo = p.on_undo.reform(|_: MouseEvent| ());
                        ("warn", "notice-plan-replaced", html! {<>
                            {"Plan "}<span class="filename">{ fmt::path(name) }</span>{" replaced your edited plan — "}
                            <button type="button" class="link" id="notice-undo" onclick={undo}>{"Undo"}</button>
                        </>})
                    }
                    Notice::TargetFromPlan { target, before, why } => {
                        let b = *before;
                        let back = p.on_target.reform(move |_: MouseEvent| b);
                        let prec = if target.precision != before.precision {
                            format!(", {} decimal{}", target.precision, if target.precision == 1 { "" } else { "s" })
                        } else {
                            String::new()
                        };
                        ("info", "notice-target", html! {<>
                            <span data-field="notice-target">{ format!("Target set to {}{prec} {why} (it was {}).", target_text(*target), target_text(*before)) }</span>{" "}
                            <button type="button" class="link" id="notice-target-back" onclick={back}>{ format!("Use {} again", target_text(*before)) }</button>
                        </>})
                    }
                };
                html! {
                    <p class={classes!("notice", class)} role="status" id={id}>
                        { body }
                        <button type="button" class="small icon dismiss" aria-label="Dismiss" title="Dismiss" onclick={dismiss}>{"✕"}</button>
                    </p>
                }
            }) }
        </div>
    }
}
