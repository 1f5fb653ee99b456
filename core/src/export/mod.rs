//! Output shapes shared by the CLI and the app: coverage.py-keyed JSON rows, and tables
//! rendered as Markdown or CSV (formula-injection safe), a plan's exports (tables, tracker
//! issues) and the verdict of a CI gate on it.

pub mod check;
pub mod compare;
pub mod issues;
pub mod plan;
pub mod rows;
pub mod table;
pub mod trend;

pub use compare::{
    comparison_csv, comparison_json, comparison_markdown, comparison_table, comparison_text,
    ComparisonJson,
};
pub use rows::{
    file_rows, files_table, gap_rows, gaps_table, headline_display, CountsJson, FileRow,
    FilesColumns, GapCoveragePy, GapRow, GapScope, MetricJson, MetricsJson,
};
pub use table::{md_escape, Align, Table};
pub use trend::{projection_text, trend_csv_table, trend_table};
