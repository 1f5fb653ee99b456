//! The browser side: reading dropped and picked files, fetching the demo, the URL hash,
//! localStorage and the user's number formats.

use crate::fmt::Locale;
use crate::state::{Action, AppState, KeptInfo, View};
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::UseReducerDispatcher;

/// On a panic, replace the page with a message and a reload button instead of leaving a
/// dead page (a panic in wasm stops the app). Installed through Yew, which otherwise puts
/// its own console-only hook in place when the app renders.
pub fn install_panic_hook() {
    yew::set_custom_panic_hook(Box::new(|info| {
        web_sys::console::error_1(&JsValue::from_str(&info.to_string()));
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(body) = doc.body() else { return };
        let panel = doc.create_element("div").ok();
        if let Some(panel) = panel {
            panel.set_class_name("crash");
            panel.set_attribute("role", "alert").ok();
            let h = doc.create_element("h2").ok();
            if let Some(h) = h {
                h.set_text_content(Some("Something went wrong — reload the page"));
                panel.append_child(&h).ok();
            }
            let p = doc.create_element("p").ok();
            if let Some(p) = p {
                p.set_text_content(Some(
                    "covgap hit an internal error. Your files were not sent anywhere; reload and drop them again.",
                ));
                panel.append_child(&p).ok();
            }
            if let Ok(b) = doc.create_element("button") {
                b.set_text_content(Some("Reload"));
                b.set_attribute("type", "button").ok();
                b.set_id("crash-reload");
                let reload = wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
                    if let Some(w) = web_sys::window() {
                        w.location().reload().ok();
                    }
                });
                b.add_event_listener_with_callback("click", reload.as_ref().unchecked_ref())
                    .ok();
                reload.forget();
                panel.append_child(&b).ok();
            }
            body.append_child(&panel).ok();
        }
    }));
}

fn language() -> String {
    web_sys::window()
        .and_then(|w| w.navigator().language())
        .unwrap_or_else(|| "en-US".to_string())
}

/// The user's number format, read once at start: the separators the browser writes
/// in 1234567.5 for the user's language.
pub fn locale() -> Locale {
    let text = js_sys::Number::from(1234567.5)
        .to_locale_string(&language())
        .as_string()
        .unwrap_or_default();
    let seps: Vec<char> = text.chars().filter(|c| !c.is_ascii_digit()).collect();
    match seps.as_slice() {
        [.., d] if seps.len() > 1 => Locale {
            decimal: *d,
            group: seps.first().copied(),
        },
        [d] => Locale {
            decimal: *d,
            group: None,
        },
        _ => Locale::default(),
    }
}

/// Where a report's bytes come from.
pub enum Source {
    /// A file the user picked or dropped.
    File(web_sys::File),
    /// A file kept in this browser's storage.
    Blob(web_sys::Blob),
    /// A URL relative to the page (the demo).
    Url(String),
    /// Text the user pasted.
    Text(String),
}

/// Loads each source through the parsing worker (`io::worker`), reporting every step to
/// the reducer. The bridge runs a few at once and queues the rest.
pub fn load_all(dispatch: UseReducerDispatcher<AppState>, sources: Vec<(String, Source)>) {
    // Files given together: the newest of them by timestamp is the one shown.
    dispatch.dispatch(Action::BatchStarted);
    for (name, source) in sources {
        let d = dispatch.clone();
        spawn_local(async move { load_one(&d, name, source).await });
    }
}

async fn load_one(dispatch: &UseReducerDispatcher<AppState>, name: String, source: Source) {
    let id = crate::io::next_load_id();
    let size = match &source {
        Source::File(f) => Some(f.size() as usize),
        Source::Blob(b) => Some(b.size() as usize),
        Source::Text(t) => Some(t.len()),
        Source::Url(_) => None,
    };
    dispatch.dispatch(Action::LoadStarted {
        id,
        name: name.clone(),
        bytes: size,
    });
    let fail = |reason: String| dispatch.dispatch(Action::LoadFailed { id, reason });
    let blob = match source {
        Source::File(f) => web_sys::Blob::from(f),
        Source::Blob(b) => b,
        Source::Url(u) => match fetch_blob(&u).await {
            Ok(b) => b,
            Err(e) => return fail(e),
        },
        Source::Text(t) => match blob_of_text(&t) {
            Some(b) => b,
            None => return fail("the browser could not hold the pasted text".into()),
        },
    };
    if CANCELLED.with(|c| c.borrow_mut().remove(&id)) {
        // Cancelled while the demo was being fetched.
        return dispatch.dispatch(Action::LoadCancelled(id));
    }
    // The original bytes stay in the browser as a Blob (not in wasm memory), in case the
    // user asks to keep them for offline review.
    BLOBS.with(|m| m.borrow_mut().insert(id, blob.clone()));
    if crate::state::is_markdown(&name) {
        // A hand-written plan is small and read here: the worker reads reports.
        let bytes = match read_blob(&blob).await {
            Ok(b) => b,
            Err(e) => return fail(e),
        };
        return dispatch.dispatch(crate::state::markdown_action(id, name, &bytes));
    }
    let d = dispatch.clone();
    let label = name.clone();
    let on = yew::Callback::from(move |e: crate::io::worker::WorkerEvent| {
        if e == crate::io::worker::WorkerEvent::Cancelled {
            forget_blob(id);
        }
        let done = matches!(e, crate::io::worker::WorkerEvent::Done(..));
        // A report's views (totals, tree) are prepared in this task and it is rendered in
        // the next: two shorter tasks instead of one long one for a big report.
        let action = crate::state::worker_action(id, &label, e);
        if done {
            let d = d.clone();
            gloo_timers::callback::Timeout::new(0, move || d.dispatch(action)).forget();
        } else {
            d.dispatch(action);
        }
    });
    // coverage.py's function and class regions are for the file view; a big report is read
    // without them (they are most of its bytes), as `state::load_action` does.
    let regions = crate::state::regions_at_once(blob.size() as usize);
    crate::io::worker::load_blob_with(blob, name, id, regions, on);
}

thread_local! {
    static BLOBS: RefCell<HashMap<u32, web_sys::Blob>> = RefCell::new(HashMap::new());
    /// Loads cancelled before they reached the parsing worker (a fetch still under way).
    static CANCELLED: RefCell<std::collections::HashSet<u32>> = RefCell::new(Default::default());
}

/// Cancels load `id` (a loading card's Cancel button): its worker is stopped and the load
/// reports `LoadCancelled`; a load still fetching its bytes is cancelled once they arrive.
/// Does nothing to a load that has finished.
pub fn cancel_load(id: u32) {
    let in_bridge = BLOBS.with(|m| m.borrow().contains_key(&id));
    if in_bridge {
        crate::io::worker::cancel(id);
    } else {
        CANCELLED.with(|c| c.borrow_mut().insert(id));
    }
}

fn blob_of_text(text: &str) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    web_sys::Blob::new_with_str_sequence(&parts).ok()
}

/// Drops the kept-able copy of a removed load.
pub fn forget_blob(id: u32) {
    BLOBS.with(|m| m.borrow_mut().remove(&id));
}

#[wasm_bindgen::prelude::wasm_bindgen(module = "/src/io/keep.js")]
extern "C" {
    #[wasm_bindgen(js_name = keepSession)]
    fn keep_session(items: js_sys::Array) -> js_sys::Promise;
    #[wasm_bindgen(js_name = loadSession)]
    fn load_session() -> js_sys::Promise;
    #[wasm_bindgen(js_name = forgetSession)]
    fn forget_session() -> js_sys::Promise;
    #[wasm_bindgen(js_name = keepPlan)]
    fn keep_plan_js(name: &str, blob: &web_sys::Blob) -> js_sys::Promise;
}

fn js_error(e: JsValue) -> String {
    js_sys::Reflect::get(&e, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "storage is not available".to_string())
}

fn get(o: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn kept_info(v: &JsValue) -> KeptInfo {
    KeptInfo {
        files: get(v, "files").as_f64().unwrap_or(0.0) as u32,
        sources: get(v, "sources").as_f64().unwrap_or(0.0) as u32,
        bytes: get(v, "bytes").as_f64().unwrap_or(0.0) as u64,
        saved_at: get(v, "savedAt").as_string().unwrap_or_default(),
        plan: get(v, "plan").as_string(),
    }
}

/// Replaces the plan of the kept session with this one (the kept plan follows edits).
pub fn keep_plan(name: String, json: String, done: yew::Callback<Result<KeptInfo, String>>) {
    let Some(blob) = blob_of_text(&json) else {
        done.emit(Err("the browser could not make the plan file".into()));
        return;
    };
    spawn_local(async move {
        let r = JsFuture::from(keep_plan_js(&name, &blob)).await;
        done.emit(r.map(|v| kept_info(&v)).map_err(js_error));
    });
}

thread_local! {
    static LEAVE_GUARD: RefCell<Option<gloo::events::EventListener>> = const { RefCell::new(None) };
}

/// While `on`, leaving the page (reload, close, another address) asks first: an edited
/// plan is in no file yet.
pub fn warn_before_leaving(on: bool) {
    LEAVE_GUARD.with(|g| {
        let mut g = g.borrow_mut();
        if !on {
            *g = None;
            return;
        }
        if g.is_some() {
            return;
        }
        let options = gloo::events::EventListenerOptions::enable_prevent_default();
        *g = Some(gloo::events::EventListener::new_with_options(
            &gloo::utils::window(),
            "beforeunload",
            options,
            |e| {
                e.prevent_default();
                // Older browsers show the dialog only when returnValue is set.
                js_sys::Reflect::set(e, &"returnValue".into(), &"".into()).ok();
            },
        ));
    });
}

/// Keeps the given loads (id, name) and the plan (name, JSON text) in IndexedDB,
/// replacing whatever was kept before.
///
/// `sources` are the source files the reports name (their folder path and handle): kept
/// with them, so the file view works offline too. Only what the user asked to keep is
/// stored, and only here.
pub fn keep(
    loads: Vec<(u32, String)>,
    plan: Option<(String, String)>,
    sources: Vec<(String, crate::sources::Handle)>,
    done: yew::Callback<Result<KeptInfo, String>>,
) {
    let items = js_sys::Array::new();
    let item = |name: &str, kind: &str, blob: &web_sys::Blob| {
        let o = js_sys::Object::new();
        js_sys::Reflect::set(&o, &"name".into(), &name.into()).ok();
        js_sys::Reflect::set(&o, &"kind".into(), &kind.into()).ok();
        js_sys::Reflect::set(&o, &"blob".into(), blob).ok();
        o
    };
    BLOBS.with(|m| {
        let m = m.borrow();
        for (id, name) in &loads {
            if let Some(b) = m.get(id) {
                items.push(&item(name, "report", b));
            }
        }
    });
    if let Some((name, text)) = plan {
        if let Some(b) = blob_of_text(&text) {
            items.push(&item(&name, "plan", &b));
        }
    }
    spawn_local(async move {
        for (name, h) in sources {
            match crate::io::sources::source_file(h).await {
                Ok(f) => {
                    items.push(&item(&name, "source", &f));
                }
                Err(e) => {
                    done.emit(Err(format!(
                        "the source file {name} could not be kept: {e}"
                    )));
                    return;
                }
            }
        }
        let r = JsFuture::from(keep_session(items)).await;
        done.emit(r.map(|v| kept_info(&v)).map_err(js_error));
    });
}

/// Loads what was kept in an earlier visit, if anything.
pub fn restore(dispatch: UseReducerDispatcher<AppState>) {
    spawn_local(async move {
        let Ok(session) = JsFuture::from(load_session()).await else {
            return; // no storage: nothing was kept, nothing to say
        };
        if session.is_null() || session.is_undefined() {
            return;
        }
        let items = js_sys::Array::from(&get(&session, "items"));
        let mut sources = Vec::new();
        let mut bytes = 0u64;
        let mut plan = None;
        let mut kept_sources: Vec<(String, web_sys::File)> = Vec::new();
        for it in items.iter() {
            let kind = get(&it, "kind").as_string();
            if kind.as_deref() == Some("plan") {
                plan = get(&it, "name").as_string();
            }
            if kind.as_deref() == Some("source") {
                if let (Some(name), Ok(file)) = (
                    get(&it, "name").as_string(),
                    get(&it, "blob").dyn_into::<web_sys::File>(),
                ) {
                    bytes += file.size() as u64;
                    kept_sources.push((name, file));
                }
                continue;
            }
            if let (Some(name), Ok(blob)) = (
                get(&it, "name").as_string(),
                get(&it, "blob").dyn_into::<web_sys::Blob>(),
            ) {
                bytes += blob.size() as u64;
                sources.push((name, Source::Blob(blob)));
            }
        }
        dispatch.dispatch(Action::KeptFound(KeptInfo {
            files: sources.len() as u32,
            bytes,
            saved_at: get(&session, "savedAt").as_string().unwrap_or_default(),
            plan,
            sources: kept_sources.len() as u32,
        }));
        let folders = crate::io::sources::folders_from_kept(kept_sources);
        load_all(dispatch.clone(), sources);
        for f in folders {
            dispatch.dispatch(Action::Source(crate::state::SourceAction::FolderAdded(f)));
        }
    });
}

/// Deletes the kept session.
pub fn forget_kept(done: yew::Callback<Result<(), String>>) {
    spawn_local(async move {
        done.emit(
            JsFuture::from(forget_session())
                .await
                .map(|_| ())
                .map_err(js_error),
        );
    });
}

async fn read_blob(b: &web_sys::Blob) -> Result<Vec<u8>, String> {
    let blob = gloo::file::Blob::from(b.clone());
    gloo::file::futures::read_as_bytes(&blob)
        .await
        .map_err(|e| format!("the browser could not read the file ({e})"))
}

async fn fetch_blob(url: &str) -> Result<web_sys::Blob, String> {
    let window = web_sys::window().ok_or("no window")?;
    let resp = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| format!("could not fetch {url}"))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| "not a response")?;
    if !resp.ok() {
        return Err(format!("could not fetch {url}: HTTP {}", resp.status()));
    }
    let blob = JsFuture::from(resp.blob().map_err(|_| "no body")?)
        .await
        .map_err(|_| format!("could not read {url}"))?;
    blob.dyn_into().map_err(|_| format!("could not read {url}"))
}

/// The files of a drop or a file input, with their names.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<(String, Source)> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.get(i))
        // A file picked inside a folder carries its path from that folder: same-named
        // reports of different folders are told apart by it.
        .map(|f| {
            let rel = get(&f, "webkitRelativePath")
                .as_string()
                .unwrap_or_default();
            let name = if rel.is_empty() { f.name() } else { rel };
            (name, Source::File(f))
        })
        .collect()
}

/// The page's current URL hash.
pub fn hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Writes the view into the URL hash without adding a history entry per keystroke.
pub fn set_hash(h: &str) {
    let Some(w) = web_sys::window() else { return };
    if hash() == h {
        return;
    }
    if let Ok(history) = w.history() {
        // The entry keeps its state: a file view's entry stays one (see `push_file_hash`).
        let state = history.state().unwrap_or(JsValue::NULL);
        history.replace_state_with_url(&state, "", Some(h)).ok();
    }
}

/// The history state of an entry the page pushed to open a file view: `u` goes back
/// through history from it, so back and forward keep working.
const FILE_ENTRY: &str = "covgapFileView";

/// Opens a file view as a new history entry (the browser's back button returns to the
/// list), and scrolls the page to its top.
pub fn push_file_hash(h: &str) {
    let Some(w) = web_sys::window() else { return };
    if let Ok(history) = w.history() {
        let state = js_sys::Object::new();
        js_sys::Reflect::set(&state, &FILE_ENTRY.into(), &JsValue::TRUE).ok();
        history.push_state_with_url(&state, "", Some(h)).ok();
    }
    w.scroll_to_with_x_and_y(0.0, 0.0);
}

/// Leaves the file view: back through history when the page opened it (the list is the
/// entry before), else `close` (a link opened it: there is no list entry to go back to).
pub fn leave_file_view(close: impl FnOnce()) {
    let Some(history) = web_sys::window().and_then(|w| w.history().ok()) else {
        return close();
    };
    let pushed = history
        .state()
        .ok()
        .is_some_and(|s| get(&s, FILE_ENTRY).is_truthy());
    if pushed && history.back().is_ok() {
        return;
    }
    close();
}

const PREFS_KEY: &str = "covgap.prefs.v1";

/// Saved preferences (target, precision, hide toggles) as a base [`View`]; defaults when
/// storage is unavailable or holds something unreadable.
pub fn load_prefs() -> View {
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(PREFS_KEY).ok().flatten());
    match stored {
        Some(h) => View::from_hash(&h, &View::default()),
        None => View::default(),
    }
}

/// Saves the preference part of `view`. Storage may be missing (private mode, blocked):
/// then preferences simply do not persist.
pub fn save_prefs(view: &View) {
    let prefs = View {
        target: view.target,
        hide_covered: view.hide_covered,
        hide_empty: view.hide_empty,
        ..View::default()
    };
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        s.set_item(PREFS_KEY, &prefs.to_hash()).ok();
    }
}

/// Focuses an element by id (keyboard shortcuts).
pub fn focus(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        el.focus().ok();
    }
}

thread_local! {
    /// Where the focus was before a dialog took it.
    static OPENER: std::cell::RefCell<Option<web_sys::HtmlElement>> = const { std::cell::RefCell::new(None) };
}

/// Remembers the element that has the focus now (a dialog's opener), to give it back.
pub fn remember_focus() {
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    OPENER.with(|o| *o.borrow_mut() = el);
}

/// Gives the focus back to the element [`remember_focus`] saw, if it is still in the page.
pub fn restore_focus() {
    if let Some(el) = OPENER.with(|o| o.borrow_mut().take()) {
        if el.is_connected() {
            el.focus().ok();
        }
    }
}

/// Keeps Tab and Shift+Tab inside the element with this id (a modal dialog): past its last
/// focusable element the focus goes to the first, and before the first to the last.
pub fn trap_tab(e: &web_sys::KeyboardEvent, id: &str) {
    const FOCUSABLE: &str = "a[href], button:not([disabled]), input:not([disabled]), \
        select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex='-1'])";
    if e.key() != "Tab" {
        return;
    }
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = doc.get_element_by_id(id) else {
        return;
    };
    let Ok(list) = root.query_selector_all(FOCUSABLE) else {
        return;
    };
    let items: Vec<web_sys::HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        e.prevent_default();
        return;
    };
    let active = doc.active_element();
    let inside = active.as_ref().is_some_and(|a| root.contains(Some(a)));
    let at = |el: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == el.unchecked_ref::<web_sys::Element>())
    };
    if e.shift_key() && (!inside || at(first)) {
        e.prevent_default();
        last.focus().ok();
    } else if !e.shift_key() && (!inside || at(last)) {
        e.prevent_default();
        first.focus().ok();
    }
}

/// Opens the file picker of the `<input type=file>` with this id.
pub fn click(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        el.click();
    }
}

/// Offers `text` as a file download named `name` (made in the page: nothing is uploaded).
pub fn download(name: &str, mime: &str, text: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let a = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(a) = a {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    web_sys::Url::revoke_object_url(&url).ok();
}

/// Copies `text` to the clipboard; `done` hears whether it worked (it needs a secure
/// context such as 127.0.0.1 or https, and the user's permission).
pub fn copy_text(text: &str, done: yew::Callback<bool>) {
    let Some(w) = web_sys::window() else {
        done.emit(false);
        return;
    };
    let promise = w.navigator().clipboard().write_text(text);
    spawn_local(async move {
        done.emit(JsFuture::from(promise).await.is_ok());
    });
}

/// Panics on purpose, so a browser test can check that the panic hook replaces a dead page
/// with a message (it breaks only the page that calls it). The page's bundle only.
#[cfg(feature = "page")]
#[wasm_bindgen::prelude::wasm_bindgen(js_name = covgapCrashForTest)]
pub fn crash_for_test() {
    panic!("crash requested by covgapCrashForTest");
}

/// Where a table body's rows are on screen: its top relative to the viewport, the
/// viewport's height and one rendered row's height (`None` before a row is in the page).
pub fn body_viewport(body: &yew::NodeRef) -> Option<crate::rows::Viewport> {
    let el = body.cast::<web_sys::Element>()?;
    let row = el.query_selector("tr:not(.spacer)").ok()??;
    let row = row.get_bounding_client_rect().height();
    if row <= 0.0 {
        // Not laid out (hidden): nothing to measure.
        return None;
    }
    let height = web_sys::window()?.inner_height().ok()?.as_f64()?;
    Some(crate::rows::Viewport {
        top: el.get_bounding_client_rect().top(),
        height,
        row,
    })
}

/// Listeners on the window's scroll and resize events, removed when dropped.
pub struct ViewportWatch(#[allow(dead_code)] [gloo::events::EventListener; 2]);

/// Calls `f` whenever the page scrolls or the window is resized (passive listeners), until
/// the returned watch is dropped.
pub fn watch_viewport(f: yew::Callback<()>) -> Option<ViewportWatch> {
    let w = web_sys::window()?;
    let listen = |ty: &'static str| {
        let f = f.clone();
        gloo::events::EventListener::new(&w, ty, move |_| f.emit(()))
    };
    Some(ViewportWatch([listen("scroll"), listen("resize")]))
}

/// Reads the report loaded as `report` again, with coverage.py's function and class regions,
/// from the `Blob` kept for it (through the parsing worker, like any load).
pub fn read_regions(
    report: u32,
    name: String,
    done: yew::Callback<Result<std::rc::Rc<covgap_core::Report>, String>>,
) {
    use crate::io::worker::{Parsed, WorkerEvent};
    let Some(blob) = BLOBS.with(|m| m.borrow().get(&report).cloned()) else {
        return done.emit(Err("its file is no longer open in this page".into()));
    };
    let on = yew::Callback::from(move |e: WorkerEvent| match e {
        WorkerEvent::Done(Parsed::Report(r), _) => done.emit(Ok(std::rc::Rc::new(*r))),
        WorkerEvent::Done(..) => done.emit(Err("it did not read as the same report".into())),
        WorkerEvent::Failed(why) => done.emit(Err(why)),
        WorkerEvent::Cancelled => done.emit(Err("reading was cancelled".into())),
        WorkerEvent::Progress { .. } => {}
    });
    crate::io::worker::load_blob_with(blob, name, crate::io::next_load_id(), true, on);
}

/// Calls `f` in a task of its own, as soon as the browser can.
pub fn soon(f: yew::Callback<()>) {
    gloo_timers::callback::Timeout::new(0, move || f.emit(())).forget();
}
