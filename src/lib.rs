//! covgap in the browser: drop coverage reports, see the gap to your target.
//!
//! `state` is the one pure reducer, `rows` the pure table logic, `components` thin views
//! (props in, callbacks out), and `io` every call into the browser.
#![deny(missing_docs)]

pub mod app;
pub mod components;
pub mod fmt;
pub mod io;
pub mod rows;
pub mod sources;
pub mod state;

pub use app::App;
