//! The parsing worker: a dedicated Web Worker that reads a dropped file and parses it with
//! covgap-core's readers, off the page's thread.
//!
//! Trunk builds it from `index.html`'s `data-type="worker"` link (with the `readers`
//! feature) into `worker.js`, `worker_bg.wasm` and `worker_loader.js`; the page starts it
//! with `new Worker("./worker_loader.js")` (`src/io/worker.rs`). The protocol, all plain
//! objects (docs/worker.md):
//!
//! - worker → page `{type: "ready", wire}` once the wasm is running (the page sends
//!   nothing before, so no message can arrive before there is a handler);
//! - page → worker `{type: "load", id, file, name, regions}`: `file` is the `File` (or
//!   `Blob`) itself; a structured clone of a `File` is a handle, not its bytes;
//! - worker → page `{type: "progress", id, phase, read, total}`, phase `read` (once per
//!   chunk), `parse` and `encode`;
//! - worker → page `{type: "done", id, kind: "report", buffer, bytes, read_ms, parse_ms,
//!   encode_ms}`: `buffer` is the report in `covgap_core::wire`'s encoding, *transferred*
//!   (not copied); or `{type: "done", id, kind: "plan", text}` for a covgap plan file, which
//!   the page reads itself (plans are small and the page has the plan reader anyway);
//! - worker → page `{type: "error", id, message, reason}`: `message` names the file and the
//!   format it was read as (`coverage.json: read as coverage.py JSON: …`), `reason` is the
//!   same without the file name (what the page's load list shows beside the name).
//!
//! Cancelling is `Worker.terminate()` by the page: the parse is one synchronous call, so no
//! message could reach it, and terminating frees the worker's memory at once.

#[cfg(all(target_arch = "wasm32", feature = "readers"))]
mod imp {
    use covgap_core::document::{read, Document};
    use covgap_core::ParseOptions;
    use js_sys::{Array, Object, Reflect, Uint8Array};
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

    /// Bytes read per step: one progress message each, and a bounded extra copy.
    const CHUNK: f64 = (4 << 20) as f64;

    pub fn start() {
        // Loaded into a page by mistake (or by a test), it stays inert.
        let Ok(scope) = js_sys::global().dyn_into::<DedicatedWorkerGlobalScope>() else {
            return;
        };
        let s = scope.clone();
        let on = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            on_message(&s, &e.data());
        });
        scope.set_onmessage(Some(on.as_ref().unchecked_ref()));
        on.forget();
        post(
            &scope,
            &msg(&[
                ("type", "ready".into()),
                ("wire", covgap_core::wire::VERSION.into()),
            ]),
        );
    }

    fn msg(fields: &[(&str, JsValue)]) -> JsValue {
        let o = Object::new();
        for (k, v) in fields {
            Reflect::set(&o, &JsValue::from_str(k), v).ok();
        }
        o.into()
    }

    fn post(scope: &DedicatedWorkerGlobalScope, m: &JsValue) {
        // Fails only if the page is gone: nobody to tell.
        scope.post_message(m).ok();
    }

    fn get(o: &JsValue, k: &str) -> JsValue {
        Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
    }

    fn now() -> f64 {
        js_sys::Date::now()
    }

    fn on_message(scope: &DedicatedWorkerGlobalScope, data: &JsValue) {
        if get(data, "type").as_string().as_deref() != Some("load") {
            return;
        }
        let id = get(data, "id").as_f64().unwrap_or_default();
        let name = get(data, "name")
            .as_string()
            .unwrap_or_else(|| "report".into());
        let regions = get(data, "regions").as_bool().unwrap_or(false);
        let fail = |reason: String| {
            post(
                scope,
                &msg(&[
                    ("type", "error".into()),
                    ("id", id.into()),
                    ("message", format!("{name}: {reason}").into()),
                    ("reason", reason.into()),
                ]),
            )
        };
        let Ok(blob) = get(data, "file").dyn_into::<Blob>() else {
            return fail("the worker was given no file".into());
        };
        let progress = |phase: &str, read: f64, total: f64| {
            post(
                scope,
                &msg(&[
                    ("type", "progress".into()),
                    ("id", id.into()),
                    ("phase", phase.into()),
                    ("read", read.into()),
                    ("total", total.into()),
                ]),
            )
        };
        let total = blob.size();
        let max = covgap_core::formats::MAX_INPUT_BYTES as f64;
        if total > max {
            return fail(format!(
                "the file is too large ({total} bytes; the limit is {max} bytes)"
            ));
        }
        // --- read, in chunks, straight into wasm memory
        let t0 = now();
        let bytes = match read_all(&blob, total, |read| progress("read", read, total)) {
            Ok(b) => b,
            Err(e) => return fail(format!("the file could not be read ({e})")),
        };
        // --- parse
        let t1 = now();
        progress("parse", total, total);
        let doc = read(&name, &bytes, ParseOptions { regions });
        let t2 = now();
        match doc {
            Err(reason) => fail(covgap_app::io::worker::with_format(reason, &bytes)),
            // The page reads plans itself: send the text back (plans are small).
            Ok(Document::Plan(_)) => post(
                scope,
                &msg(&[
                    ("type", "done".into()),
                    ("id", id.into()),
                    ("kind", "plan".into()),
                    ("text", String::from_utf8_lossy(&bytes).as_ref().into()),
                ]),
            ),
            Ok(Document::Report(report)) => {
                drop(bytes);
                // --- encode, and hand the buffer over without a copy
                progress("encode", total, total);
                let wire = covgap_core::wire::encode(&report);
                drop(report);
                let out = Uint8Array::new_with_length(wire.len() as u32);
                out.copy_from(&wire);
                let t3 = now();
                let buffer = out.buffer();
                let m = msg(&[
                    ("type", "done".into()),
                    ("id", id.into()),
                    ("kind", "report".into()),
                    ("buffer", buffer.clone().into()),
                    ("bytes", total.into()),
                    ("read_ms", (t1 - t0).into()),
                    ("parse_ms", (t2 - t1).into()),
                    ("encode_ms", (t3 - t2).into()),
                ]);
                if scope
                    .post_message_with_transfer(&m, &Array::of1(&buffer))
                    .is_err()
                {
                    post(scope, &m);
                }
            }
        }
    }

    /// The whole blob, read `CHUNK` bytes at a time, `on_read(bytes so far)` after each.
    fn read_all(blob: &Blob, total: f64, on_read: impl Fn(f64)) -> Result<Vec<u8>, String> {
        let reader = FileReaderSync::new().map_err(js_message)?;
        let mut out = vec![0u8; total as usize];
        let mut at = 0f64;
        while at < total {
            let end = (at + CHUNK).min(total);
            let part = blob.slice_with_f64_and_f64(at, end).map_err(js_message)?;
            let buf = reader.read_as_array_buffer(&part).map_err(js_message)?;
            let view = Uint8Array::new(&buf);
            let dst = out
                .get_mut(at as usize..end as usize)
                .filter(|d| d.len() == view.length() as usize)
                .ok_or("the file changed while it was read")?;
            view.copy_to(dst);
            at = end;
            on_read(at);
        }
        Ok(out)
    }

    fn js_message(e: JsValue) -> String {
        get(&e, "message")
            .as_string()
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "unknown error".into())
    }
}

fn main() {
    #[cfg(all(target_arch = "wasm32", feature = "readers"))]
    imp::start();
}
