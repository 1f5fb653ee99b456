//! Native stand-ins so the app's logic and views compile and render in tests.

/// No panic hook is needed natively.
pub fn install_panic_hook() {}

/// Natively there is no locale: plain digits and a decimal point.
pub fn locale() -> crate::fmt::Locale {
    crate::fmt::Locale::default()
}

/// Natively there is no page to leave.
pub fn warn_before_leaving(_on: bool) {}

/// Natively nothing is kept.
pub fn keep_plan(
    _name: String,
    _json: String,
    done: yew::Callback<Result<crate::state::KeptInfo, String>>,
) {
    done.emit(Err("no browser storage here".into()));
}

/// Natively there is nothing to click.
pub fn click(_id: &str) {}

/// Natively there is nothing to focus.
pub fn focus(_id: &str) {}
/// Remembers the focused element (natively there is none).
pub fn remember_focus() {}
/// Gives the focus back to the remembered element (natively nothing).
pub fn restore_focus() {}
/// Keeps Tab inside an element (natively nothing).
pub fn trap_tab(_e: &web_sys::KeyboardEvent, _id: &str) {}

/// Natively there is nowhere to download to.
pub fn download(_name: &str, _mime: &str, _text: &str) {}

/// Natively there is no clipboard.
pub fn copy_text(_text: &str, done: yew::Callback<bool>) {
    done.emit(false);
}

/// Natively nothing is kept.
pub fn forget_blob(_id: u32) {}

/// Natively nothing loads in the background.
pub fn cancel_load(_id: u32) {}

/// Natively there is no storage: keeping fails with a reason.
pub fn keep(
    _loads: Vec<(u32, String)>,
    _plan: Option<(String, String)>,
    _sources: Vec<(String, crate::sources::Handle)>,
    done: yew::Callback<Result<crate::state::KeptInfo, String>>,
) {
    done.emit(Err("no browser storage here".into()));
}

/// Natively nothing is kept.
pub fn forget_kept(done: yew::Callback<Result<(), String>>) {
    done.emit(Ok(()));
}

/// Natively there is no history.
pub fn push_file_hash(_h: &str) {}

/// Natively the file view simply closes.
pub fn leave_file_view(close: impl FnOnce()) {
    close();
}

/// Natively nothing is on screen: tables render their first rows.
pub fn body_viewport(_body: &yew::NodeRef) -> Option<crate::rows::Viewport> {
    None
}

/// Natively nothing scrolls.
pub struct ViewportWatch;

/// Natively nothing scrolls: no watch.
pub fn watch_viewport(_f: yew::Callback<()>) -> Option<ViewportWatch> {
    None
}

/// Natively there is no later: nothing is called.
pub fn soon(_f: yew::Callback<()>) {}
