//! Source folders in the browser: the "Add source folder" input (`webkitdirectory`) and a
//! folder dropped on the page (`DataTransferItem.webkitGetAsEntry()`, walked
//! asynchronously). Both list paths only and keep the file handles here; a file's bytes are
//! read only when the user opens it ([`read_source`]). Nothing is uploaded.
//!
//! Natively (tests, SSR) the same functions exist and do nothing.

use crate::sources::{Handle, SourceFolder};
use yew::{Callback, NodeRef};

/// The most files listed from one folder (a home directory picked by mistake stops here
/// with a message instead of freezing the page).
pub const MAX_FOLDER_FILES: usize = 300_000;

#[cfg(target_arch = "wasm32")]
pub use web::*;

#[cfg(not(target_arch = "wasm32"))]
pub use native::*;

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use super::*;

    /// Natively there is no folder input.
    pub fn folder_from_input(_e: yew::Event, _done: Callback<Result<SourceFolder, String>>) {}

    /// Natively nothing is dropped: `None` (not a folder drop).
    pub fn folders_from_drop(
        _e: &yew::DragEvent,
        _done: Callback<Result<SourceFolder, String>>,
    ) -> Option<Vec<web_sys::File>> {
        None
    }

    /// Natively there are no files to read.
    pub fn read_source(_h: Handle, done: Callback<Result<(String, bool), String>>) {
        done.emit(Err("no browser files here".into()));
    }

    /// Natively nothing is kept.
    pub fn forget_folder(_id: u32) {}

    /// Natively nothing scrolls.
    pub fn reveal(_pane: &NodeRef, _top: f64, _height: f64) {}

    /// Natively nothing scrolls.
    pub fn scroll_top(_e: &yew::Event) -> f64 {
        0.0
    }

    /// Natively there are no fields.
    pub fn typing_in_field(_e: &yew::KeyboardEvent) -> bool {
        false
    }

    /// Natively nothing is clicked.
    pub fn line_clicked(_e: &yew::MouseEvent) -> Option<u32> {
        None
    }
}

#[cfg(target_arch = "wasm32")]
mod web {
    use super::*;
    use crate::sources::{decode_source, skip_dir, skip_path, MAX_SOURCE_BYTES};
    use std::cell::{Cell, RefCell};
    use std::collections::HashMap;
    use wasm_bindgen::{JsCast, JsValue};
    use wasm_bindgen_futures::{spawn_local, JsFuture};
    use web_sys::{FileSystemDirectoryEntry, FileSystemEntry, FileSystemFileEntry};

    /// A file of a folder: picked (a `File`) or dropped (an entry, turned into a `File`
    /// only when opened, so listing a dropped tree never touches its files).
    #[derive(Clone)]
    enum FileHandle {
        File(web_sys::File),
        Entry(FileSystemFileEntry),
    }

    thread_local! {
        static FOLDERS: RefCell<HashMap<u32, Vec<FileHandle>>> = RefCell::new(HashMap::new());
        static NEXT: Cell<u32> = const { Cell::new(1) };
    }

    fn next_id() -> u32 {
        NEXT.with(|n| {
            let id = n.get();
            n.set(id + 1);
            id
        })
    }

    fn keep(name: String, files: Vec<(String, FileHandle)>) -> SourceFolder {
        let id = next_id();
        let (paths, handles): (Vec<String>, Vec<FileHandle>) = files.into_iter().unzip();
        FOLDERS.with(|f| f.borrow_mut().insert(id, handles));
        SourceFolder { id, name, paths }
    }

    fn too_many() -> String {
        format!(
            "the folder holds more than {MAX_FOLDER_FILES} files: pick the project's own folder"
        )
    }

    /// The `<input type=file webkitdirectory>` changed: lists the picked folder (paths
    /// from `webkitRelativePath`; nothing read) and hands it to `done`.
    pub fn folder_from_input(e: yew::Event, done: Callback<Result<SourceFolder, String>>) {
        let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let Some(list) = input.files() else { return };
        if list.length() == 0 {
            return;
        }
        if list.length() as usize > MAX_FOLDER_FILES {
            done.emit(Err(too_many()));
            input.set_value("");
            return;
        }
        let mut files = Vec::with_capacity(list.length() as usize);
        for i in 0..list.length() {
            let Some(f) = list.get(i) else { continue };
            let rel = js_sys::Reflect::get(&f, &JsValue::from_str("webkitRelativePath"))
                .ok()
                .and_then(|v| v.as_string())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| f.name());
            if !skip_path(&rel) {
                files.push((rel, FileHandle::File(f)));
            }
        }
        let name = files
            .first()
            .and_then(|(p, _)| p.split('/').next())
            .unwrap_or("folder")
            .to_string();
        done.emit(Ok(keep(name, files)));
        // Picking the same folder again must fire `change` again.
        input.set_value("");
    }

    /// A drop on the page: when it holds directories, each is walked (asynchronously) and
    /// handed to `done` as a folder, and the loose files dropped with them are returned for
    /// the caller to load as reports. `None` when nothing dropped is a directory (an
    /// ordinary report drop). Must be called during the drop event: the browser empties
    /// the `DataTransfer` afterwards.
    pub fn folders_from_drop(
        e: &yew::DragEvent,
        done: Callback<Result<SourceFolder, String>>,
    ) -> Option<Vec<web_sys::File>> {
        let dt = e.data_transfer()?;
        let items = dt.items();
        let mut dirs = Vec::new();
        let mut loose = Vec::new();
        for i in 0..items.length() {
            let Some(item) = items.get(i) else { continue };
            if item.kind() != "file" {
                continue;
            }
            match item.webkit_get_as_entry() {
                Ok(Some(entry)) if entry.is_directory() => dirs.push(entry),
                _ => {
                    if let Ok(Some(f)) = item.get_as_file() {
                        loose.push(f);
                    }
                }
            }
        }
        if dirs.is_empty() {
            return None;
        }
        for d in dirs {
            let done = done.clone();
            spawn_local(async move {
                let name = d.name();
                done.emit(walk(d).await.map(|files| keep(name, files)));
            });
        }
        Some(loose)
    }

    /// Every file below a directory entry, by path relative to the entry's parent. Entries
    /// are used through their properties (`isDirectory`, `createReader`, `file`), so a
    /// test can walk a plain object shaped like one.
    async fn walk(root: FileSystemEntry) -> Result<Vec<(String, FileHandle)>, String> {
        let mut out = Vec::new();
        let mut queue: Vec<(FileSystemEntry, String)> = vec![(root.clone(), root.name())];
        while let Some((dir, prefix)) = queue.pop() {
            let dir: FileSystemDirectoryEntry = dir.unchecked_into();
            let reader = dir.create_reader();
            // readEntries returns a batch at a time (100 in Chromium) until an empty one.
            loop {
                let batch = read_entries(&reader).await?;
                if batch.length() == 0 {
                    break;
                }
                for v in batch.iter() {
                    let entry: FileSystemEntry = v.unchecked_into();
                    let name = entry.name();
                    let path = format!("{prefix}/{name}");
                    if entry.is_directory() {
                        if !skip_dir(&name) {
                            queue.push((entry, path));
                        }
                    } else {
                        out.push((path, FileHandle::Entry(entry.unchecked_into())));
                        if out.len() > MAX_FOLDER_FILES {
                            return Err(too_many());
                        }
                    }
                }
            }
        }
        // Listing order differs between browsers; sort so matching ties break the same way.
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    async fn read_entries(
        reader: &web_sys::FileSystemDirectoryReader,
    ) -> Result<js_sys::Array, String> {
        let mut call: Result<(), JsValue> = Ok(());
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            call = reader.read_entries_with_callback_and_callback(&resolve, &reject);
        });
        call.map_err(|e| format!("the folder could not be listed ({})", describe(&e)))?;
        let v = JsFuture::from(promise)
            .await
            .map_err(|e| format!("the folder could not be listed ({})", describe(&e)))?;
        Ok(js_sys::Array::from(&v))
    }

    async fn file_of(h: FileHandle) -> Result<web_sys::File, String> {
        match h {
            FileHandle::File(f) => Ok(f),
            FileHandle::Entry(e) => {
                let promise = js_sys::Promise::new(&mut |resolve, reject| {
                    e.file_with_callback_and_callback(&resolve, &reject);
                });
                JsFuture::from(promise)
                    .await
                    .map_err(|e| format!("the file could not be opened ({})", describe(&e)))?
                    .dyn_into::<web_sys::File>()
                    .map_err(|_| "the entry is not a file".to_string())
            }
        }
    }

    fn describe(e: &JsValue) -> String {
        js_sys::Reflect::get(e, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "unknown error".into())
    }

    /// Reads one source file (the one the user opened) as text; `done` hears the text and
    /// whether it had bytes that are not UTF-8.
    pub fn read_source(h: Handle, done: Callback<Result<(String, bool), String>>) {
        let handle = FOLDERS.with(|f| {
            f.borrow()
                .get(&h.0)
                .and_then(|v| v.get(h.1 as usize))
                .cloned()
        });
        let Some(handle) = handle else {
            done.emit(Err("the folder is no longer open: add it again".into()));
            return;
        };
        spawn_local(async move {
            let r = async {
                let file = file_of(handle).await?;
                let size = file.size() as usize;
                if size > MAX_SOURCE_BYTES {
                    return Err(format!(
                        "the file is too large to show ({size} bytes; the limit is {MAX_SOURCE_BYTES})"
                    ));
                }
                let buf = JsFuture::from(file.array_buffer())
                    .await
                    .map_err(|e| format!("the browser could not read it ({})", describe(&e)))?;
                Ok(decode_source(&js_sys::Uint8Array::new(&buf).to_vec()))
            }
            .await;
            done.emit(r);
        });
    }

    /// Forgets a folder's file handles.
    pub fn forget_folder(id: u32) {
        FOLDERS.with(|f| f.borrow_mut().remove(&id));
    }

    /// Scrolls the pane so that `top..top+height` (pixels from the pane's top) is visible,
    /// a few lines below the top edge when it was not.
    pub fn reveal(pane: &NodeRef, top: f64, height: f64) {
        let Some(el) = pane.cast::<web_sys::Element>() else {
            return;
        };
        let (cur, h) = (el.scroll_top() as f64, el.client_height() as f64);
        if top < cur || top + height > cur + h {
            el.set_scroll_top((top - 3.0 * height).max(0.0) as i32);
        }
    }

    /// The scroll offset of the element a scroll event came from.
    pub fn scroll_top(e: &yew::Event) -> f64 {
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .map_or(0.0, |el| el.scroll_top() as f64)
    }

    /// Whether a key was typed into a field (it belongs to the field then).
    pub fn typing_in_field(e: &yew::KeyboardEvent) -> bool {
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| {
                matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || el.has_attribute("contenteditable")
            })
    }

    /// The line (`data-line`) a click in the code pane landed on.
    pub fn line_clicked(e: &yew::MouseEvent) -> Option<u32> {
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-line]").ok().flatten())
            .and_then(|row| row.get_attribute("data-line"))
            .and_then(|n| n.parse().ok())
    }

    // ---- phase-1 test hooks (phase 2 removes them once the app shell is wired) --------

    /// Walks an object shaped like a dropped directory entry and resolves to the listed
    /// paths: lets a browser test check the walk without a real drag. The page's bundle
    /// only (the parsing worker's would otherwise carry the views).
    #[cfg(feature = "page")]
    #[wasm_bindgen::prelude::wasm_bindgen(js_name = covgapWalkEntryForTest)]
    pub fn walk_entry_for_test(entry: JsValue) -> js_sys::Promise {
        wasm_bindgen_futures::future_to_promise(async move {
            let entry: FileSystemEntry = entry.unchecked_into();
            let name = entry.name();
            let files = walk(entry).await.map_err(|e| JsValue::from_str(&e))?;
            let folder = keep(name, files);
            let out = js_sys::Array::new();
            for p in &folder.paths {
                out.push(&JsValue::from_str(p));
            }
            // Opening the first proves the entry turns into a File only now.
            let text = js_sys::Array::new();
            let first =
                FOLDERS.with(|f| f.borrow().get(&folder.id).and_then(|v| v.first()).cloned());
            if let Some(h) = first {
                let file = file_of(h).await.map_err(|e| JsValue::from_str(&e))?;
                text.push(&JsFuture::from(file.text()).await?);
            }
            let o = js_sys::Object::new();
            js_sys::Reflect::set(&o, &"paths".into(), &out).ok();
            js_sys::Reflect::set(&o, &"first".into(), &text).ok();
            Ok(o.into())
        })
    }

    /// Mounts the source-view harness (a report given as text, an "Add source folder"
    /// control, a drop zone, the report's files and the file view) into the element with
    /// id `root`: the pieces of this phase, driven in a browser before the app shell wires
    /// them.
    #[cfg(feature = "page")]
    #[wasm_bindgen::prelude::wasm_bindgen(js_name = covgapSourceHarness)]
    pub fn source_harness(root: String, report: String, name: String) -> Result<(), JsValue> {
        let el = gloo::utils::document()
            .get_element_by_id(&root)
            .ok_or_else(|| JsValue::from_str("no such element"))?;
        // The page has no readers (docs/worker.md): the report is parsed by the parsing
        // worker, with regions, and the harness mounts once it arrives.
        let parts = js_sys::Array::of1(&JsValue::from_str(&report));
        let blob = web_sys::Blob::new_with_str_sequence(&parts)?;
        let on = yew::Callback::from(move |e: crate::io::worker::WorkerEvent| {
            use crate::io::worker::{Parsed, WorkerEvent};
            match e {
                WorkerEvent::Done(Parsed::Report(parsed), _) => {
                    yew::Renderer::<super::harness::Harness>::with_root_and_props(
                        el.clone(),
                        super::harness::HarnessProps {
                            report: std::rc::Rc::new(*parsed),
                        },
                    )
                    .render();
                }
                WorkerEvent::Failed(reason) => {
                    web_sys::console::error_1(&JsValue::from_str(&reason));
                }
                _ => {}
            }
        });
        crate::io::worker::load_blob_with(blob, name, crate::io::next_load_id(), true, on);
        Ok(())
    }
}

/// The phase-1 harness: a minimal shell around the file view (what phase 2 puts in the
/// reducer and app.rs). Compiled for the browser's page only.
#[cfg(all(target_arch = "wasm32", feature = "page"))]
mod harness {
    use crate::components::source::{FileView, SourceFolderInput};
    use crate::sources::{OpenFile, ReportSources, SourceState, Sources};
    use covgap_core::Report;
    use std::rc::Rc;
    use yew::prelude::*;

    #[derive(Properties, PartialEq)]
    pub struct HarnessProps {
        pub report: Rc<Report>,
    }

    #[component]
    pub fn Harness(p: &HarnessProps) -> Html {
        let sources = use_state(Sources::default);
        let matched = use_state(|| None::<ReportSources>);
        let open = use_state(|| None::<OpenFile>);
        let selected = use_state(|| None::<u32>);
        let message = use_state(String::new);
        let report = p.report.clone();

        let add = {
            let (sources, matched, message, report) = (
                sources.clone(),
                matched.clone(),
                message.clone(),
                report.clone(),
            );
            Callback::from(
                move |r: Result<crate::sources::SourceFolder, String>| match r {
                    Ok(folder) => {
                        let mut s = (*sources).clone();
                        s.add(folder);
                        let rs = s.match_report(&report);
                        message.set(rs.summary());
                        matched.set(Some(rs));
                        sources.set(s);
                    }
                    Err(e) => message.set(e),
                },
            )
        };
        let on_pick = {
            let add = add.clone();
            Callback::from(move |e: Event| super::folder_from_input(e, add.clone()))
        };
        let on_drop = {
            let add = add.clone();
            Callback::from(move |e: DragEvent| {
                e.prevent_default();
                super::folders_from_drop(&e, add.clone());
            })
        };
        let on_dragover = Callback::from(|e: DragEvent| e.prevent_default());
        let open_file = {
            let (sources, matched, open, selected, report) = (
                sources.clone(),
                matched.clone(),
                open.clone(),
                selected.clone(),
                report.clone(),
            );
            Callback::from(move |i: usize| {
                selected.set(None);
                let handle = matched.as_ref().and_then(|rs| sources.handle_of(rs, i));
                let state = match (&*matched, handle) {
                    (None, _) => SourceState::NoFolder,
                    (Some(_), None) => SourceState::NotFound,
                    (Some(rs), Some(_)) => {
                        SourceState::Reading(sources.path_of(rs, i).unwrap_or_default().to_string())
                    }
                };
                open.set(OpenFile::without_source(&report, i, state.clone()));
                if let (Some(h), SourceState::Reading(path)) = (handle, state) {
                    let candidates = matched
                        .as_ref()
                        .and_then(|rs| rs.matches.sources.get(i).copied().flatten())
                        .map_or(1, |m| m.candidates);
                    let (open, report) = (open.clone(), report.clone());
                    let t0 = js_sys::Date::now();
                    super::read_source(
                        h,
                        Callback::from(move |r: Result<(String, bool), String>| {
                            let next = match r {
                                Ok((text, lossy)) => OpenFile::with_source(
                                    &report,
                                    i,
                                    &text,
                                    SourceState::Read {
                                        path: path.clone(),
                                        lossy,
                                        candidates,
                                    },
                                ),
                                Err(e) => {
                                    OpenFile::without_source(&report, i, SourceState::Failed(e))
                                }
                            };
                            open.set(next);
                            // For the browser benchmark: read + annotate + render time.
                            let t0 = t0;
                            gloo::timers::callback::Timeout::new(0, move || {
                                let ms = js_sys::Date::now() - t0;
                                if let Some(el) =
                                    gloo::utils::document().get_element_by_id("harness-timing")
                                {
                                    el.set_text_content(Some(&format!("{ms:.1}")));
                                }
                            })
                            .forget();
                        }),
                    );
                }
            })
        };
        let files = report.files.iter().enumerate().map(|(i, f)| {
            let found = matched
                .as_ref()
                .map(|rs| rs.matches.folder_of(i).is_some());
            let cb = open_file.clone();
            let mark = match found {
                Some(true) => "✓ ",
                Some(false) => "✗ ",
                None => "",
            };
            html! {
                <li data-file={f.path.clone()}>
                    <button type="button" class="link" onclick={Callback::from(move |_: MouseEvent| cb.emit(i))}>{ format!("{mark}{}", f.path) }</button>
                </li>
            }
        });
        let body = match &*open {
            Some(of) => {
                let rules = report.rules();
                let (sel, open2) = (selected.clone(), open.clone());
                html! {
                    <FileView file={of.annotated.clone()} source={of.source.clone()} rules={rules}
                        metric={report.headline()} metrics={report.metrics.clone()} precision={0}
                        selected={*selected}
                        on_select={Callback::from(move |n| sel.set(Some(n)))}
                        on_back={Callback::from(move |_| open2.set(None))}
                        on_add_folder={Some(Callback::from(|_| crate::io::click("source-folder-input")))} />
                }
            }
            None => html! { <ul class="harness-files">{ for files }</ul> },
        };
        html! {
            <div class="harness" ondrop={on_drop} ondragover={on_dragover}>
                <p><SourceFolderInput on_pick={on_pick} /></p>
                <p id="harness-message" aria-live="polite">{ (*message).clone() }</p>
                <p class="visually-hidden">{"render ms: "}<span id="harness-timing"></span></p>
                { body }
            </div>
        }
    }
}
