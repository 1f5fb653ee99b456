//! Baseline against current, and the trend over several reports.

use crate::state::Loaded;
use std::rc::Rc;
use yew::prelude::*;

/// Props of [`ComparePanel`].
#[derive(Properties, PartialEq)]
pub struct ComparePanelProps {
    /// Every loaded report, in load order.
    pub reports: Vec<Rc<Loaded>>,
    /// The report shown elsewhere (a sensible "current").
    pub current: Option<u32>,
    /// The floor files must not drop below (the plan's, else 50).
    pub floor: f64,
    /// Display precision.
    pub precision: u8,
    /// The coverage target (for the trend's projection).
    pub target: f64,
}

/// The compare and trend view.
#[component]
pub fn ComparePanel(p: &ComparePanelProps) -> Html {
    if p.reports.len() < 2 {
        return html! {
            <section class="compare empty-panel">
                <h2>{"Compare & trend"}</h2>
                <p>{"Load two or more reports (for example last week's and this week's coverage.json) to see what got better, what got worse and which files fell below the floor."}</p>
            </section>
        };
    }
    html! { <section class="compare"><h2>{"Compare & trend"}</h2></section> }
}
