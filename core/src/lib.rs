//! covgap-core: the engine behind covgap. It reads coverage reports into one neutral
//! model and computes everything covgap shows: totals, percentages exactly as the tool that
//! wrote the report computes them, missing-line ranges, directory roll-ups and the number of
//! statements needed to reach a target, and coverage plans with phases, priorities and
//! exit criteria.
//!
//! No web dependencies: the same code runs in the browser (WebAssembly) and in the CLI.
#![deny(missing_docs)]
// A panic in WebAssembly kills the page: no unwrap, expect, panic or unchecked indexing
// outside tests. Errors are values.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
// A ParseError is a few words larger than clippy's default for error values; errors are
// rare and never on a hot path, so boxing them would only add noise.
#![allow(clippy::result_large_err)]

pub mod analysis;
pub mod display;
#[cfg(feature = "readers")]
pub mod document;
pub mod error;
pub mod export;
#[cfg(feature = "readers")]
pub mod formats;
/// Without the readers (the web page's bundle: its parsing worker has them), what the rest
/// of the crate still needs of `formats`: path rules and the coverage.py format's name.
#[cfg(not(feature = "readers"))]
pub mod formats {
    #[path = "paths.rs"]
    pub mod paths;
    /// coverage.py's JSON reader, of which only its format name is needed here.
    pub mod coveragepy {
        /// `Source::format` of a coverage.py JSON report.
        pub const FORMAT: &str = "coverage.py-json";
    }
}
pub mod model;
pub mod plan;
pub mod rules;
pub mod source;
pub mod wire;

pub use error::{ErrorKind, ParseError};
#[cfg(feature = "readers")]
pub use formats::{parse, parse_as, Kind, ParseOptions};
pub use model::{Counts, FileCoverage, Metric, Report, Tally};
pub use rules::{Rules, Tool};
