//! Every call into the browser lives here: files, drag-and-drop, fetch, URL hash,
//! storage, locale. Natively (tests, SSR) these fall back to plain behaviour.

#[cfg(target_arch = "wasm32")]
mod web;
#[cfg(target_arch = "wasm32")]
pub use web::*;

pub mod worker;

#[cfg(not(target_arch = "wasm32"))]
mod native;
#[cfg(not(target_arch = "wasm32"))]
pub use native::*;

pub mod sources;

use std::cell::Cell;

thread_local! {
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
}

/// A fresh id for a load (unique for this page's life).
pub fn next_load_id() -> u32 {
    NEXT_ID.with(|c| {
        let id = c.get();
        c.set(id + 1);
        id
    })
}
