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

    /// The `File` of a source (to keep it for offline review).
    pub async fn source_file(h: Handle) -> Result<web_sys::File, String> {
        let handle = FOLDERS.with(|f| {
            f.borrow()
                .get(&h.0)
                .and_then(|v| v.get(h.1 as usize))
                .cloned()
        });
        match handle {
            Some(handle) => file_of(handle).await,
            None => Err("the folder is no longer open".into()),
        }
    }

    /// Source files kept for offline review (by folder path), as the folders they came
    /// from.
    pub fn folders_from_kept(files: Vec<(String, web_sys::File)>) -> Vec<SourceFolder> {
        let mut by: Vec<(String, Vec<(String, FileHandle)>)> = Vec::new();
        for (path, f) in files {
            let top = path.split('/').next().unwrap_or_default().to_string();
            match by.iter_mut().find(|b| b.0 == top) {
                Some(b) => b.1.push((path, FileHandle::File(f))),
                None => by.push((top, vec![(path, FileHandle::File(f))])),
            }
        }
        by.into_iter()
            .map(|(name, files)| keep(name, files))
            .collect()
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
}
