//! covgap-core: the engine behind covgap. It reads coverage reports into one neutral
//! model and computes everything covgap shows: totals, percentages exactly as the tool that
//! wrote the report computes them, missing-line ranges, directory roll-ups and the number of
//! statements needed to reach a target, and coverage plans with phases, priorities and
//! exit criteria.
//!
//! No web dependencies: the same code runs in the browser (WebAssembly) and in the CLI.
#![deny(missing_docs)]

pub mod analysis;
pub mod display;
pub mod document;
pub mod error;
pub mod export;
pub mod formats;
pub mod model;
pub mod plan;
pub mod rules;

pub use error::{ErrorKind, ParseError};
pub use formats::{parse, ParseOptions};
pub use model::{Counts, FileCoverage, Metric, Report, Tally};
pub use rules::{Rules, Tool};
