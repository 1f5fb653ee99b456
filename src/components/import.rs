//! A dropped markdown plan, read with covgap's importer (the same as `covgap import`):
//! what was understood and the lines that could not be used, with their line numbers,
//! BEFORE the plan is used.

use crate::state::PlanImport;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ImportReview`].
#[derive(Properties, PartialEq)]
pub struct ImportReviewProps {
    /// The import under review.
    pub import: Rc<PlanImport>,
    /// Use the plan.
    pub on_use: Callback<()>,
    /// Drop it.
    pub on_cancel: Callback<()>,
}

/// The review panel.
#[component]
pub fn ImportReview(p: &ImportReviewProps) -> Html {
    let imp = &p.import;
    let plan = &imp.imported.plan;
    let use_it = p.on_use.reform(|_: MouseEvent| ());
    let cancel = p.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <section class="import-review" id="import-review" aria-labelledby="import-title">
            <h2 id="import-title">{"Markdown plan "}<span class="filename">{ crate::fmt::path(&imp.name) }</span></h2>
            <p data-field="import-summary">{ format!(
                "Read as a covgap plan: target {}%, {} module{}, {} phase{}. Check what was understood before using it; nothing is used until you say so.",
                crate::fmt::pct(&plan.target.to_string()),
                plan.modules.len(), if plan.modules.len() == 1 { "" } else { "s" },
                plan.phases.len(), if plan.phases.len() == 1 { "" } else { "s" },
            ) }</p>
            <div class="import-lists">
                <section aria-labelledby="import-understood-title">
                    <h3 id="import-understood-title">{ format!("Understood ({})", imp.imported.understood.len()) }</h3>
                    <ul class="import-understood" tabindex="0" aria-labelledby="import-understood-title">
                        { for imp.imported.understood.iter().map(|u| html! {
                            <li><span class="line-no">{ format!("line {}", u.line) }</span>{" "}{ u.meaning.clone() }</li>
                        }) }
                    </ul>
                </section>
                <section aria-labelledby="import-warnings-title">
                    <h3 id="import-warnings-title">{ format!("Not used ({})", imp.imported.warnings.len()) }</h3>
                    if imp.imported.warnings.is_empty() {
                        <p class="note">{"Every line that looked like part of a plan was used."}</p>
                    } else {
                        <ul class="import-warnings" tabindex="0" aria-labelledby="import-warnings-title">
                            { for imp.imported.warnings.iter().map(|w| html! {
                                <li><span class="line-no">{ format!("line {}", w.line) }</span>{" "}{ w.reason.clone() }{": "}<q>{ w.text.clone() }</q></li>
                            }) }
                        </ul>
                    }
                </section>
            </div>
            <div class="row">
                <button type="button" class="primary" id="import-use" onclick={use_it}>{"Use this plan"}</button>
                <button type="button" id="import-cancel" onclick={cancel}>{"Cancel"}</button>
            </div>
        </section>
    }
}
