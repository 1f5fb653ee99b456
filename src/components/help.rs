//! The keyboard help overlay, like htmlcov's.

use yew::prelude::*;

/// Every shortcut: (keys, what it does).
pub const SHORTCUTS: &[(&str, &str)] = &[
    (
        "n s m x b p c g e",
        "sort the file table by name, statements, missing, excluded, branches, partial, coverage, gap, needed (again: reverse)",
    ),
    ("/", "focus the filter"),
    (
        "t",
        "next view: file table, directory tree, compare & trend, plan",
    ),
    ("o", "open files"),
    ("d", "load the demo report"),
    ("?", "show this help"),
    (
        "← → Home End",
        "on a tab: move to another tab (the tab list is one Tab stop)",
    ),
    (
        "↑ ↓ → ← Enter",
        "in the directory tree: move between rows, open or close a directory, go to its first child or its parent; Enter on a file opens it",
    ),
    ("Esc", "close this help or the paste box"),
];

/// Props of [`Help`].
#[derive(Properties, PartialEq)]
pub struct HelpProps {
    /// Close it.
    pub on_close: Callback<()>,
    /// Keys pressed inside the dialog (the app shell keeps Tab and Shift+Tab inside it).
    #[prop_or_default]
    pub on_key: Callback<KeyboardEvent>,
}

/// A modal listing the keyboard shortcuts. It has the focus while it is open (see the app
/// shell); Escape or Close shuts it.
#[component]
pub fn Help(p: &HelpProps) -> Html {
    let close = p.on_close.reform(|_: MouseEvent| ());
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title">
            <div class="dialog" id="help-dialog" onkeydown={p.on_key.clone()}>
                <h2 id="help-title">{"Keyboard shortcuts"}</h2>
                <p>{"Shortcuts are ignored while you type in a field."}</p>
                <table class="shortcuts">
                    <tbody>
                    { for SHORTCUTS.iter().map(|(k, what)| html! {
                        <tr><th scope="row">{ for k.split(' ').map(|key| html! { <><kbd>{ key }</kbd>{" "}</> }) }</th><td>{ *what }</td></tr>
                    }) }
                    </tbody>
                </table>
                <button type="button" id="help-close" onclick={close}>{"Close"}</button>
            </div>
        </div>
    }
}
