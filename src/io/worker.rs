//! The bridge to the parsing worker (`src/bin/worker.rs`, docs/worker.md): what the app
//! calls to load a file without parsing it on the page's thread.
//!
//! ```ignore
//! let handle = io::worker::load_file(file, id, ctx.link().callback(move |e| Action::Worker(id, e)));
//! // … later, from a Cancel button:
//! handle.cancel();
//! ```
//!
//! Each file gets a worker of its own, started for it and terminated when it is done,
//! failed or cancelled: cancelling a synchronous parse is only possible by terminating its
//! worker, and a terminated worker gives its memory (a copy of the file and the report)
//! back at once. At most [`max_parallel`] run at a time (the machine's cores, 2 to 4); the
//! rest wait their turn (reported as [`Phase::Waiting`]). The worker sends the report
//! back in `covgap_core::wire`'s encoding over a transferred `ArrayBuffer`; it is decoded
//! here a few hundred files at a time, yielding to the browser between slices, so even a
//! report of thousands of files never holds the page's thread for long.
//!
//! Without a worker (the browser refuses to start one) the file is parsed on the page's
//! thread as before, when the page is built with the `readers` feature; a page built
//! without the readers says that it cannot read the file.

use covgap_core::plan::Plan;
use covgap_core::Report;
use std::collections::VecDeque;

/// Which step a load is at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Waiting for a free worker (more files than cores are loading).
    Waiting,
    /// The worker is reading the file: `read` of `total` bytes.
    Read,
    /// The worker is parsing (one step: no finer progress).
    Parse,
    /// The worker is encoding the parsed report for the page.
    Encode,
    /// The page is decoding it: `read` of `total` *files*.
    Decode,
}

impl Phase {
    /// The word a progress bar shows.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Waiting => "Waiting",
            Phase::Read => "Reading",
            Phase::Parse => "Parsing",
            Phase::Encode => "Encoding",
            Phase::Decode => "Preparing",
        }
    }

    /// The phase a worker's progress message names (`read`, `parse`, `encode`).
    pub fn from_name(s: &str) -> Option<Phase> {
        Some(match s {
            "read" => Phase::Read,
            "parse" => Phase::Parse,
            "encode" => Phase::Encode,
            _ => return None,
        })
    }
}

/// What a file turned out to be.
#[derive(Clone, Debug, PartialEq)]
pub enum Parsed {
    /// A coverage report.
    Report(Box<Report>),
    /// A covgap plan.
    Plan(Plan),
}

/// Where the time went, for the load list's details and the benchmark.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timings {
    /// The file's size.
    pub bytes: u64,
    /// Reading it in the worker.
    pub read_ms: f64,
    /// Parsing it in the worker.
    pub parse_ms: f64,
    /// Encoding the report in the worker.
    pub encode_ms: f64,
    /// Decoding the report on the page (all slices together).
    pub decode_ms: f64,
    /// The encoded report's size.
    pub wire_bytes: u64,
    /// Whether the worker did the work (false: parsed on the page's thread).
    pub in_worker: bool,
}

/// What a load reports, in order: any number of `Progress`, then exactly one of the rest.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerEvent {
    /// `read` of `total`: bytes, except in [`Phase::Decode`] (files).
    Progress {
        /// Done so far.
        read: u64,
        /// In all.
        total: u64,
        /// Which step.
        phase: Phase,
    },
    /// Read and parsed.
    Done(Parsed, Timings),
    /// Not read: the reason, without the file's name (the app shows it beside the name).
    Failed(String),
    /// [`LoadHandle::cancel`] was called before the load finished.
    Cancelled,
}

impl WorkerEvent {
    /// How far along a load is, 0 to 1, for one progress bar over all phases: reading is
    /// measured; parsing is one step, given the middle of the bar.
    pub fn fraction(&self) -> Option<f64> {
        let WorkerEvent::Progress { read, total, phase } = self else {
            return None;
        };
        let part = if *total == 0 {
            1.0
        } else {
            (*read as f64 / *total as f64).clamp(0.0, 1.0)
        };
        Some(match phase {
            Phase::Waiting => 0.0,
            Phase::Read => 0.3 * part,
            Phase::Parse => 0.3,
            Phase::Encode => 0.85,
            Phase::Decode => 0.9 + 0.1 * part,
        })
    }
}

/// `reason` (a failed read's message, without the file name) saying which format the file
/// was read as, when the reader did not say and the bytes look like a format covgap reads:
/// `read as coverage.py JSON: the file ends too early …`. Used by the worker and by the
/// page's own fallback, so both say the same.
#[cfg(feature = "readers")]
pub fn with_format(reason: String, bytes: &[u8]) -> String {
    use covgap_core::Kind;
    if reason.starts_with("read as ")
        || reason.starts_with("not a coverage report")
        || reason.starts_with("this looks like")
    {
        return reason;
    }
    let kind = covgap_core::formats::detect(&String::from_utf8_lossy(bytes));
    match kind {
        Kind::CoveragePyJson
        | Kind::IstanbulFinal
        | Kind::IstanbulSummary
        | Kind::LlvmCovJson
        | Kind::Lcov
        | Kind::Cobertura
        | Kind::JaCoCo
        | Kind::GoProfile => format!("read as {}: {reason}", kind.name()),
        _ => reason,
    }
}

/// How many workers run at once: the machine's cores, at least 2 (so one large file never
/// holds up a small one) and at most 4 (each holds a copy of its file).
pub fn max_parallel(hardware_concurrency: f64) -> usize {
    if hardware_concurrency.is_finite() {
        (hardware_concurrency as usize).clamp(2, 4)
    } else {
        2
    }
}

/// Which loads run and which wait: pure bookkeeping, kept apart from the browser calls so
/// it is tested natively.
#[derive(Debug, Default)]
pub struct Slots {
    limit: usize,
    running: Vec<u32>,
    waiting: VecDeque<u32>,
}

impl Slots {
    /// At most `limit` (at least 1) running.
    pub fn new(limit: usize) -> Slots {
        Slots {
            limit: limit.max(1),
            ..Slots::default()
        }
    }

    /// Adds a load; `true` when it may start now, `false` when it waits.
    pub fn admit(&mut self, id: u32) -> bool {
        if self.running.len() < self.limit {
            self.running.push(id);
            true
        } else {
            self.waiting.push_back(id);
            false
        }
    }

    /// Removes a load, running or waiting; returns the loads to start now.
    pub fn release(&mut self, id: u32) -> Vec<u32> {
        self.waiting.retain(|&w| w != id);
        self.running.retain(|&r| r != id);
        let mut start = Vec::new();
        while self.running.len() < self.limit {
            let Some(next) = self.waiting.pop_front() else {
                break;
            };
            self.running.push(next);
            start.push(next);
        }
        start
    }

    /// Whether `id` is waiting for a slot.
    pub fn is_waiting(&self, id: u32) -> bool {
        self.waiting.contains(&id)
    }

    /// Whether `id` is running.
    pub fn is_running(&self, id: u32) -> bool {
        self.running.contains(&id)
    }
}

/// A load in progress: cancel it, or let it run. Dropping the handle does not cancel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadHandle {
    id: u32,
}

impl LoadHandle {
    /// The load's id, as given to `load_file`.
    pub fn id(&self) -> u32 {
        self.id
    }

    /// Stops the load (its worker is terminated) and reports [`WorkerEvent::Cancelled`];
    /// nothing more is reported for it. Does nothing once the load has finished.
    pub fn cancel(&self) {
        #[cfg(target_arch = "wasm32")]
        web::cancel(self.id);
    }
}

/// Cancels the load `id` (as [`LoadHandle::cancel`]), for an app that keeps load ids in its
/// state rather than handles: a Cancel button's callback calls this with the card's id.
pub fn cancel(id: u32) {
    LoadHandle { id }.cancel();
}

/// Loads `file` through a worker, reporting to `on`; `id` names the load (the app's load
/// id, [`crate::io::next_load_id`]).
#[cfg(target_arch = "wasm32")]
pub fn load_file(file: web_sys::File, id: u32, on: yew::Callback<WorkerEvent>) -> LoadHandle {
    let name = file.name();
    load_blob(file.into(), name, id, on)
}

/// Like [`load_file`] for a `Blob` (a file kept in this browser) named `name`.
#[cfg(target_arch = "wasm32")]
pub fn load_blob(
    blob: web_sys::Blob,
    name: String,
    id: u32,
    on: yew::Callback<WorkerEvent>,
) -> LoadHandle {
    load_blob_with(blob, name, id, false, on)
}

/// Like [`load_blob`], with the functions' and classes' regions when `regions` (the file
/// view needs them; the app's table does not).
#[cfg(target_arch = "wasm32")]
pub fn load_blob_with(
    blob: web_sys::Blob,
    name: String,
    id: u32,
    regions: bool,
    on: yew::Callback<WorkerEvent>,
) -> LoadHandle {
    web::start(web::Job {
        id,
        name,
        blob,
        on,
        regions,
        force_main_thread: false,
    });
    LoadHandle { id }
}

/// Starts a parsing worker ahead of the next load, so that load does not wait for the
/// worker's WebAssembly to be fetched, compiled and started (a few hundred milliseconds
/// on a slow machine). At most one such spare exists; a load takes it, and the next
/// spare is started once no load is running. Natively nothing happens.
pub fn prewarm() {
    #[cfg(target_arch = "wasm32")]
    web::prewarm();
}

#[cfg(target_arch = "wasm32")]
mod web {
    use super::*;
    use covgap_core::wire::Decoder;
    use js_sys::{Object, Reflect, Uint8Array};
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{ErrorEvent, MessageEvent, Worker};

    /// The worker's entry, next to index.html (relative, so any sub-path works).
    const WORKER_URL: &str = "./worker_loader.js";
    /// Files decoded per slice before checking the clock.
    const DECODE_SLICE: usize = 16;
    /// Longest decode slice before yielding to the browser.
    const DECODE_BUDGET_MS: f64 = 6.0;

    pub struct Job {
        pub id: u32,
        pub name: String,
        pub blob: web_sys::Blob,
        pub on: yew::Callback<WorkerEvent>,
        pub regions: bool,
        pub force_main_thread: bool,
    }

    struct Running {
        worker: Worker,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(ErrorEvent)>,
    }

    /// A worker started before any load asked for it ([`super::prewarm`]).
    struct Spare {
        worker: Worker,
        /// The worker's "ready" message, once it came.
        ready: Rc<RefCell<Option<JsValue>>>,
        /// It failed to start (its files could not be loaded): not to be used.
        failed: Rc<std::cell::Cell<bool>>,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(ErrorEvent)>,
    }

    #[derive(Default)]
    struct State {
        slots: Option<Slots>,
        jobs: HashMap<u32, Rc<Job>>,
        running: HashMap<u32, Running>,
        spare: Option<Spare>,
    }

    thread_local! {
        static STATE: RefCell<State> = RefCell::new(State::default());
    }

    fn now() -> f64 {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| p.now())
            .unwrap_or_else(js_sys::Date::now)
    }

    fn get(o: &JsValue, k: &str) -> JsValue {
        Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
    }

    fn num(o: &JsValue, k: &str) -> f64 {
        get(o, k).as_f64().unwrap_or_default()
    }

    pub fn start(job: Job) {
        let id = job.id;
        let job = Rc::new(job);
        let admitted = STATE.with(|s| {
            let mut s = s.borrow_mut();
            s.jobs.insert(id, job.clone());
            let slots = s.slots.get_or_insert_with(|| {
                let cores = web_sys::window()
                    .map(|w| w.navigator().hardware_concurrency())
                    .unwrap_or(2.0);
                Slots::new(max_parallel(cores))
            });
            slots.admit(id)
        });
        if admitted {
            run(job);
        } else {
            job.on.emit(WorkerEvent::Progress {
                read: 0,
                total: job.blob.size() as u64,
                phase: Phase::Waiting,
            });
        }
    }

    /// Whether the load is still wanted (not cancelled, not finished).
    fn alive(id: u32) -> bool {
        STATE.with(|s| s.borrow().jobs.contains_key(&id))
    }

    /// Ends a load: reports `event` (unless it was cancelled), stops its worker, starts
    /// the next waiting load.
    fn finish(id: u32, event: WorkerEvent) {
        let (job, running, next) = STATE.with(|s| {
            let mut s = s.borrow_mut();
            let job = s.jobs.remove(&id);
            let running = s.running.remove(&id);
            let next = s
                .slots
                .as_mut()
                .map(|sl| sl.release(id))
                .unwrap_or_default();
            let next: Vec<Rc<Job>> = next.iter().filter_map(|n| s.jobs.get(n).cloned()).collect();
            (job, running, next)
        });
        if let Some(r) = running {
            r.worker.terminate();
        }
        if let Some(job) = job {
            job.on.emit(event);
        }
        for j in next {
            run(j);
        }
        // Once nothing is loading, have a worker ready for the next file (after the page
        // has rendered what this load brought).
        gloo_timers::callback::Timeout::new(1_000, prewarm).forget();
    }

    pub fn cancel(id: u32) {
        if alive(id) {
            finish(id, WorkerEvent::Cancelled);
        }
    }

    pub fn prewarm() {
        let needed = STATE.with(|s| {
            let s = s.borrow();
            s.spare.is_none() && s.running.is_empty()
        });
        if !needed {
            return;
        }
        let Ok(worker) = Worker::new(WORKER_URL) else {
            // A load will try again, and fall back if it must.
            return;
        };
        let ready = Rc::new(RefCell::new(None));
        let failed = Rc::new(std::cell::Cell::new(false));
        let r = ready.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            *r.borrow_mut() = Some(e.data());
        });
        let f = failed.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            f.set(true);
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        STATE.with(|s| {
            s.borrow_mut().spare = Some(Spare {
                worker,
                ready,
                failed,
                _on_message: on_message,
                _on_error: on_error,
            })
        });
    }

    /// The spare worker if there is a usable one, with its "ready" message if it came.
    fn take_spare() -> Option<(Worker, Option<JsValue>, Spare)> {
        let spare = STATE.with(|s| s.borrow_mut().spare.take())?;
        if spare.failed.get() {
            spare.worker.terminate();
            return None;
        }
        let ready = spare.ready.borrow_mut().take();
        Some((spare.worker.clone(), ready, spare))
    }

    fn run(job: Rc<Job>) {
        if job.force_main_thread {
            return fallback(job, None);
        }
        let (worker, ready, spare) = match take_spare() {
            Some((w, ready, spare)) => (w, ready, Some(spare)),
            None => match Worker::new(WORKER_URL) {
                Ok(w) => (w, None, None),
                Err(e) => return fallback(job, Some(js_message(&e))),
            },
        };
        let id = job.id;
        let started = Rc::new(std::cell::Cell::new(ready.is_some()));
        let (j, w, st) = (job.clone(), worker.clone(), started.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            st.set(true);
            on_message(&j, &w, &e.data());
        });
        let j = job.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |e: ErrorEvent| {
            e.prevent_default();
            if !alive(id) {
                return;
            }
            if started.get() {
                finish(
                    id,
                    WorkerEvent::Failed(format!(
                        "covgap's parsing worker stopped ({}); the file may be too large for \
                         this browser's memory",
                        e.message()
                    )),
                );
            } else {
                // It never ran (its files could not be loaded): parse here instead.
                let old = STATE.with(|s| s.borrow_mut().running.remove(&id));
                if let Some(r) = old {
                    r.worker.terminate();
                }
                fallback(j.clone(), Some(e.message()));
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        // The spare's own handlers are no longer the worker's: free them.
        drop(spare);
        STATE.with(|s| {
            s.borrow_mut().running.insert(
                id,
                Running {
                    worker: worker.clone(),
                    _on_message: on_message,
                    _on_error: on_error,
                },
            )
        });
        if let Some(ready) = ready {
            // A spare that is already running: it said "ready" before this load existed.
            self::on_message(&job, &worker, &ready);
        }
    }

    fn on_message(job: &Rc<Job>, worker: &Worker, data: &JsValue) {
        let id = job.id;
        if !alive(id) {
            return;
        }
        match get(data, "type").as_string().as_deref() {
            Some("ready") => {
                let wire = num(data, "wire");
                if wire != f64::from(covgap_core::wire::VERSION) {
                    return finish(
                        id,
                        WorkerEvent::Failed(
                            "covgap was updated while this page was open: reload the page".into(),
                        ),
                    );
                }
                let m = Object::new();
                for (k, v) in [
                    ("type", JsValue::from_str("load")),
                    ("id", id.into()),
                    ("file", job.blob.clone().into()),
                    ("name", job.name.as_str().into()),
                    ("regions", job.regions.into()),
                ] {
                    Reflect::set(&m, &JsValue::from_str(k), &v).ok();
                }
                if let Err(e) = worker.post_message(&m) {
                    finish(id, WorkerEvent::Failed(js_message(&e)));
                }
            }
            Some("progress") => {
                let phase = get(data, "phase")
                    .as_string()
                    .and_then(|p| Phase::from_name(&p))
                    .unwrap_or(Phase::Read);
                job.on.emit(WorkerEvent::Progress {
                    read: num(data, "read") as u64,
                    total: num(data, "total") as u64,
                    phase,
                });
            }
            Some("error") => {
                let reason = get(data, "reason")
                    .as_string()
                    .unwrap_or_else(|| "the file could not be read".into());
                finish(id, WorkerEvent::Failed(reason));
            }
            Some("done") if get(data, "kind").as_string().as_deref() == Some("plan") => {
                let text = get(data, "text").as_string().unwrap_or_default();
                let event = match covgap_core::plan::parse_plan(&job.name, &text) {
                    Ok(p) => WorkerEvent::Done(
                        Parsed::Plan(p),
                        Timings {
                            bytes: text.len() as u64,
                            in_worker: true,
                            ..Timings::default()
                        },
                    ),
                    Err(e) => WorkerEvent::Failed(format!(
                        "not a coverage report, and as a covgap plan: {}",
                        e.reason()
                    )),
                };
                finish(id, event);
            }
            Some("done") => {
                // The worker is not needed any more: free its memory before decoding.
                let running = STATE.with(|s| s.borrow_mut().running.remove(&id));
                if let Some(r) = running {
                    r.worker.terminate();
                }
                let timings = Timings {
                    bytes: num(data, "bytes") as u64,
                    read_ms: num(data, "read_ms"),
                    parse_ms: num(data, "parse_ms"),
                    encode_ms: num(data, "encode_ms"),
                    in_worker: true,
                    ..Timings::default()
                };
                let buffer = get(data, "buffer");
                let job = job.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let event = decode(&job, &buffer, timings).await;
                    if alive(job.id) {
                        finish(job.id, event);
                    }
                });
            }
            _ => {}
        }
    }

    /// Decodes the worker's buffer a slice at a time, yielding between slices.
    async fn decode(job: &Job, buffer: &JsValue, mut timings: Timings) -> WorkerEvent {
        let t0 = now();
        let bytes = Uint8Array::new(buffer).to_vec();
        timings.wire_bytes = bytes.len() as u64;
        let mut d = match Decoder::new(bytes) {
            Ok(d) => d,
            Err(e) => return WorkerEvent::Failed(e.to_string()),
        };
        let mut spent = now() - t0;
        let mut slice_start = now();
        loop {
            match d.step(DECODE_SLICE) {
                Ok(true) => break,
                Ok(false) => {}
                Err(e) => return WorkerEvent::Failed(e.to_string()),
            }
            if now() - slice_start > DECODE_BUDGET_MS {
                spent += now() - slice_start;
                job.on.emit(WorkerEvent::Progress {
                    read: d.files_done() as u64,
                    total: d.files_total() as u64,
                    phase: Phase::Decode,
                });
                gloo_timers::future::TimeoutFuture::new(0).await;
                if !alive(job.id) {
                    return WorkerEvent::Cancelled;
                }
                slice_start = now();
            }
        }
        let report = d.finish();
        timings.decode_ms = spent + (now() - slice_start);
        // The report's first render is a task of its own, not the last slice's.
        gloo_timers::future::TimeoutFuture::new(0).await;
        if !alive(job.id) {
            return WorkerEvent::Cancelled;
        }
        match report {
            Ok(r) => WorkerEvent::Done(Parsed::Report(Box::new(r)), timings),
            Err(e) => WorkerEvent::Failed(e.to_string()),
        }
    }

    /// Parses on the page's thread: the browser would not start a worker.
    fn fallback(job: Rc<Job>, why: Option<String>) {
        if let Some(why) = &why {
            web_sys::console::warn_1(&JsValue::from_str(&format!(
                "covgap: no parsing worker ({why}); parsing on the page's thread"
            )));
        }
        wasm_bindgen_futures::spawn_local(async move {
            let event = main_thread(&job).await;
            if alive(job.id) {
                finish(job.id, event);
            }
        });
    }

    #[cfg(feature = "readers")]
    async fn main_thread(job: &Job) -> WorkerEvent {
        let total = job.blob.size() as u64;
        if total > covgap_core::formats::MAX_INPUT_BYTES as u64 {
            return WorkerEvent::Failed(format!(
                "the file is too large ({total} bytes; the limit is {} bytes)",
                covgap_core::formats::MAX_INPUT_BYTES
            ));
        }
        job.on.emit(WorkerEvent::Progress {
            read: 0,
            total,
            phase: Phase::Read,
        });
        let t0 = now();
        let bytes =
            match gloo_file::futures::read_as_bytes(&gloo_file::Blob::from(job.blob.clone())).await
            {
                Ok(b) => b,
                Err(e) => return WorkerEvent::Failed(format!("the file could not be read ({e})")),
            };
        job.on.emit(WorkerEvent::Progress {
            read: total,
            total,
            phase: Phase::Parse,
        });
        // Let the browser paint "Parsing" before the synchronous parse.
        gloo_timers::future::TimeoutFuture::new(0).await;
        if !alive(job.id) {
            return WorkerEvent::Cancelled;
        }
        let t1 = now();
        let doc = covgap_core::document::read(
            &job.name,
            &bytes,
            covgap_core::ParseOptions {
                regions: job.regions,
            },
        );
        let timings = Timings {
            bytes: total,
            read_ms: t1 - t0,
            parse_ms: now() - t1,
            in_worker: false,
            ..Timings::default()
        };
        match doc {
            Ok(covgap_core::document::Document::Report(r)) => {
                WorkerEvent::Done(Parsed::Report(r), timings)
            }
            Ok(covgap_core::document::Document::Plan(p)) => {
                WorkerEvent::Done(Parsed::Plan(p), timings)
            }
            Err(reason) => WorkerEvent::Failed(super::with_format(reason, &bytes)),
        }
    }

    #[cfg(not(feature = "readers"))]
    async fn main_thread(_: &Job) -> WorkerEvent {
        WorkerEvent::Failed(
            "this browser would not start covgap's parsing worker, so the file cannot be read \
             here; try another browser"
                .into(),
        )
    }

    fn js_message(e: &JsValue) -> String {
        get(e, "message")
            .as_string()
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "unknown error".into())
    }

    // --- test hook -----------------------------------------------------------------------

    /// For the browser tests and the benchmark only (e2e/worker.test.mjs,
    /// e2e/bench-worker.mjs): loads `blob` through the bridge and calls `on` with a plain
    /// object per event. Refuses unless the page's URL has `?test-worker`, so it gives a
    /// script on the page nothing it could not do by dropping a file. Returns a function
    /// that cancels the load.
    #[cfg(feature = "page")]
    #[wasm_bindgen(js_name = covgapTestLoad)]
    pub fn test_load(
        blob: web_sys::Blob,
        name: String,
        on: js_sys::Function,
        main_thread: bool,
    ) -> Result<js_sys::Function, JsValue> {
        let allowed = web_sys::window()
            .and_then(|w| w.location().search().ok())
            .is_some_and(|s| s.contains("test-worker"));
        if !allowed {
            return Err(JsValue::from_str(
                "covgapTestLoad needs ?test-worker in the URL",
            ));
        }
        let id = crate::io::next_load_id();
        let cb = yew::Callback::from(move |e: WorkerEvent| {
            on.call1(&JsValue::NULL, &event_object(&e)).ok();
        });
        start(Job {
            id,
            name,
            blob,
            on: cb,
            regions: false,
            force_main_thread: main_thread,
        });
        let cancel = Closure::<dyn Fn()>::new(move || super::LoadHandle { id }.cancel());
        Ok(cancel.into_js_value().unchecked_into())
    }

    #[cfg(feature = "page")]
    fn event_object(e: &WorkerEvent) -> JsValue {
        let o = Object::new();
        let set = |k: &str, v: JsValue| {
            Reflect::set(&o, &JsValue::from_str(k), &v).ok();
        };
        match e {
            WorkerEvent::Progress { read, total, phase } => {
                set("type", "progress".into());
                set("phase", format!("{phase:?}").to_lowercase().into());
                set("read", (*read as f64).into());
                set("total", (*total as f64).into());
            }
            WorkerEvent::Done(p, t) => {
                set("type", "done".into());
                set("bytes", (t.bytes as f64).into());
                set("readMs", t.read_ms.into());
                set("parseMs", t.parse_ms.into());
                set("encodeMs", t.encode_ms.into());
                set("decodeMs", t.decode_ms.into());
                set("wireBytes", (t.wire_bytes as f64).into());
                set("inWorker", t.in_worker.into());
                match p {
                    Parsed::Plan(plan) => {
                        set("kind", "plan".into());
                        set("modules", (plan.modules.len() as f64).into());
                    }
                    Parsed::Report(r) => {
                        let t = r.totals();
                        let h = r.headline();
                        set("kind", "report".into());
                        set("format", r.source.format.into());
                        set("files", (r.files.len() as f64).into());
                        set("statements", (t.statements.total as f64).into());
                        set("covered", (t.statements.covered as f64).into());
                        set("branches", (t.branches.total as f64).into());
                        set("coveredBranches", (t.branches.covered as f64).into());
                        let rules = r.rules();
                        set("percent", rules.percent(&t, h).into());
                        set("display", rules.show(&t, h, 0).into());
                    }
                }
            }
            WorkerEvent::Failed(reason) => {
                set("type", "failed".into());
                set("reason", reason.as_str().into());
            }
            WorkerEvent::Cancelled => set("type", "cancelled".into()),
        }
        o.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_run_at_most_the_limit_and_start_the_next_in_order() {
        let mut s = Slots::new(2);
        assert!(s.admit(1));
        assert!(s.admit(2));
        assert!(!s.admit(3));
        assert!(!s.admit(4));
        assert!(s.is_waiting(3) && s.is_running(1));
        // A waiting load cancelled starts nothing and is gone.
        assert_eq!(s.release(3), Vec::<u32>::new());
        assert!(!s.is_waiting(3));
        assert_eq!(s.release(1), vec![4]);
        assert!(s.is_running(4));
        assert_eq!(s.release(2), Vec::<u32>::new());
        assert!(s.admit(5));
    }

    #[cfg(feature = "readers")]
    #[test]
    fn failures_say_which_format_the_file_was_read_as() {
        let cut = br#"{"meta": {"format": 3}, "files": {"a.py": {"#;
        let reason = match covgap_core::document::read("x.json", cut, Default::default()) {
            Err(r) => r,
            Ok(_) => panic!("a cut file reads"),
        };
        let r = with_format(reason, cut);
        assert!(
            r.starts_with("read as coverage.py JSON: the file ends too early"),
            "{r}"
        );
        // Already said, or not a format at all: unchanged.
        assert_eq!(
            with_format("read as LCOV tracefile: x".into(), b"TN:"),
            "read as LCOV tracefile: x"
        );
        assert_eq!(
            with_format("the file is empty".into(), b""),
            "the file is empty"
        );
        let other = with_format("not a coverage report covgap can read: x".into(), b"{}");
        assert_eq!(other, "not a coverage report covgap can read: x");
    }

    #[test]
    fn parallelism_follows_the_cores_within_bounds() {
        assert_eq!(max_parallel(1.0), 2);
        assert_eq!(max_parallel(2.0), 2);
        assert_eq!(max_parallel(3.0), 3);
        assert_eq!(max_parallel(16.0), 4);
        assert_eq!(max_parallel(f64::NAN), 2);
    }

    #[test]
    fn one_progress_bar_over_the_phases() {
        let p = |phase, read, total| WorkerEvent::Progress { read, total, phase }.fraction();
        assert_eq!(p(Phase::Waiting, 0, 10), Some(0.0));
        assert_eq!(p(Phase::Read, 5, 10), Some(0.15));
        assert_eq!(p(Phase::Parse, 10, 10), Some(0.3));
        assert_eq!(p(Phase::Decode, 10, 10), Some(1.0));
        assert_eq!(p(Phase::Read, 0, 0), Some(0.3));
        assert_eq!(WorkerEvent::Cancelled.fraction(), None);
    }
}
