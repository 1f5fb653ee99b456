//! "Keep for offline review": what is stored in this browser, how big, and the buttons to
//! keep or forget it. Nothing is stored until the user asks.

use crate::fmt;
use crate::state::Storage;
use yew::prelude::*;

/// Props of [`KeepBar`].
#[derive(Properties, PartialEq)]
pub struct KeepBarProps {
    /// What is kept, and the last outcome.
    pub storage: Storage,
    /// Is anything loaded that could be kept?
    pub can_keep: bool,
    /// Keep the loaded reports and plan.
    pub on_keep: Callback<()>,
    /// Forget what is kept.
    pub on_forget: Callback<()>,
    /// Source files that keeping would store with the reports (those they name).
    #[prop_or_default]
    pub sources: usize,
}

/// The storage line under the loaded files.
#[component]
pub fn KeepBar(p: &KeepBarProps) -> Html {
    let keep = p.on_keep.reform(|_: MouseEvent| ());
    let forget = p.on_forget.reform(|_: MouseEvent| ());
    html! {
        <div class="keep-bar">
            <button type="button" id="keep" disabled={!p.can_keep} onclick={keep}
                title={if p.sources > 0 {
                    "Store the loaded reports, the plan and the source files the reports name in this browser (IndexedDB) so they reopen offline"
                } else {
                    "Store the loaded reports and plan in this browser (IndexedDB) so they reopen offline"
                }}>
                {"Keep for offline review"}
            </button>
            if let Some(k) = &p.storage.kept {
                <span class="kept" data-field="kept">
                    { format!("Kept in this browser: {} file{}{}, {}{}.", k.files, if k.files == 1 { "" } else { "s" },
                        crate::state::sources_too(k.sources), fmt::bytes(k.bytes as usize),
                        k.saved_at.get(..10).map(|d| format!(", on {d}")).unwrap_or_default()) }
                </span>
                <button type="button" id="forget" class="small" onclick={forget}>{"Forget kept files"}</button>
            } else {
                <span class="kept muted">{"Nothing is stored in this browser unless you ask."}
                    if p.sources > 0 {
                        { format!(" Keeping includes the {} source file{} of the loaded reports.", fmt::count(p.sources as u64),
                            if p.sources == 1 { "" } else { "s" }) }
                    }
                </span>
            }
            if let Some(m) = &p.storage.message {
                <span class={classes!("keep-message", p.storage.failed.then_some("error"))} role="status">{ m }</span>
            }
        </div>
    }
}
