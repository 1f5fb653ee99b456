//! Rows with coverage.py's own key names: the stable machine-readable contract of
//! `covgap summary --json`, `covgap files --json` and `covgap gaps --format json`.

use super::table::{Align, Table};
use crate::analysis::gaps::{gap, Target};
use crate::analysis::ranges::missing_ranges;
use crate::analysis::tree::build_tree;
use crate::display::display_percent;
use crate::model::{Counts, FileCoverage, Report};
use serde::Serialize;

/// Counts and derived percentages under coverage.py's key names.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CountsJson {
    /// Files summed.
    pub files: u64,
    /// Statements.
    pub num_statements: u64,
    /// Statements covered.
    pub covered_lines: u64,
    /// Statements missing.
    pub missing_lines: u64,
    /// Lines excluded.
    pub excluded_lines: u64,
    /// Branch arcs.
    pub num_branches: u64,
    /// Branch arcs taken.
    pub covered_branches: u64,
    /// Branch arcs not taken.
    pub missing_branches: u64,
    /// Branch lines partly taken.
    pub num_partial_branches: u64,
    /// Combined statements+branches percentage, coverage.py's `percent_covered`.
    pub percent_covered: f64,
    /// `percent_covered` rounded for display at the requested precision.
    pub percent_covered_display: String,
    /// Statements only.
    pub percent_statements_covered: f64,
    /// Branches only.
    pub percent_branches_covered: f64,
}

impl CountsJson {
    /// The JSON shape of `c`, with the display string at `precision`.
    pub fn new(c: &Counts, precision: u8) -> CountsJson {
        CountsJson {
            files: c.files,
            num_statements: c.statements,
            covered_lines: c.covered,
            missing_lines: c.missing,
            excluded_lines: c.excluded,
            num_branches: c.branches,
            covered_branches: c.covered_branches,
            missing_branches: c.missing_branches,
            num_partial_branches: c.partial_branches,
            percent_covered: c.percent_covered(),
            percent_covered_display: display_percent(c.percent_covered(), precision),
            percent_statements_covered: c.percent_statements(),
            percent_branches_covered: c.percent_branches(),
        }
    }
}

/// One file: its path, counts and missing ranges.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileRow {
    /// Path as the report wrote it.
    pub path: String,
    /// Counts under coverage.py's names.
    #[serde(flatten)]
    pub counts: CountsJson,
    /// Missing lines and branches like `coverage report -m`.
    pub missing: String,
}

/// The rows of `files`, in the given order.
pub fn file_rows(report: &Report, order: &[usize], precision: u8) -> Vec<FileRow> {
    order
        .iter()
        .filter_map(|&i| report.files.get(i))
        .map(|f: &FileCoverage| FileRow {
            path: f.path.clone(),
            counts: CountsJson::new(&f.counts, precision),
            missing: missing_ranges(f, report.source.branch_coverage),
        })
        .collect()
}

/// Which rows a gap row is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GapScope {
    /// The whole report.
    Total,
    /// A directory (all files below it).
    Directory,
    /// One file.
    File,
}

/// How far one scope is from the target, and what closes the gap.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GapRow {
    /// total, directory or file.
    pub scope: GapScope,
    /// Path (empty for the total).
    pub path: String,
    /// Statements.
    pub num_statements: u64,
    /// Statements missing.
    pub missing_lines: u64,
    /// Branch arcs.
    pub num_branches: u64,
    /// Branch arcs missing.
    pub missing_branches: u64,
    /// Combined percentage now.
    pub percent_covered: f64,
    /// Displayed at the target's precision.
    pub percent_covered_display: String,
    /// Target percentage.
    pub target: f64,
    /// Passes `fail_under = target` at the precision.
    pub passes: bool,
    /// Percentage points to gain.
    pub gap_pp: f64,
    /// Least statements to cover; null when statements alone cannot reach the target.
    pub statements_needed: Option<u64>,
    /// Least statements+branches to cover.
    pub units_needed: Option<u64>,
}

impl GapRow {
    fn new(scope: GapScope, path: &str, c: &Counts, t: Target) -> GapRow {
        let g = gap(c, t);
        GapRow {
            scope,
            path: path.to_string(),
            num_statements: c.statements,
            missing_lines: c.missing,
            num_branches: c.branches,
            missing_branches: c.missing_branches,
            percent_covered: g.percent,
            percent_covered_display: display_percent(g.percent, t.precision),
            target: t.percent,
            passes: g.passes,
            gap_pp: g.gap_pp,
            statements_needed: g.statements_needed,
            units_needed: g.units_needed,
        }
    }
}

/// The total, every directory, then every file, each against `t`.
pub fn gap_rows(report: &Report, t: Target) -> Vec<GapRow> {
    let tree = build_tree(&report.files);
    let mut rows = vec![GapRow::new(GapScope::Total, "", &tree.counts, t)];
    rows.extend(
        tree.directories()
            .into_iter()
            .filter(|d| !d.path.is_empty())
            .map(|d| GapRow::new(GapScope::Directory, &d.path, &d.counts, t)),
    );
    rows.extend(
        report
            .files
            .iter()
            .map(|f| GapRow::new(GapScope::File, &f.path, &f.counts, t)),
    );
    rows
}

fn opt(n: Option<u64>) -> String {
    n.map_or_else(|| "—".to_string(), |n| n.to_string())
}

/// The file rows as a table (for Markdown, CSV and text).
pub fn files_table(rows: &[FileRow], branches: bool) -> Table {
    let mut cols = vec![
        ("Name", Align::Left),
        ("Stmts", Align::Right),
        ("Miss", Align::Right),
    ];
    if branches {
        cols.extend([("Branch", Align::Right), ("BrPart", Align::Right)]);
    }
    cols.extend([("Cover", Align::Right), ("Missing", Align::Left)]);
    let mut t = Table::new(&cols);
    for r in rows {
        let c = &r.counts;
        let mut cells = vec![
            r.path.clone(),
            c.num_statements.to_string(),
            c.missing_lines.to_string(),
        ];
        if branches {
            cells.extend([
                c.num_branches.to_string(),
                c.num_partial_branches.to_string(),
            ]);
        }
        cells.extend([format!("{}%", c.percent_covered_display), r.missing.clone()]);
        t.rows.push(cells);
    }
    t
}

/// The gap rows as a table.
pub fn gaps_table(rows: &[GapRow]) -> Table {
    let mut t = Table::new(&[
        ("Scope", Align::Left),
        ("Path", Align::Left),
        ("Stmts", Align::Right),
        ("Miss", Align::Right),
        ("Cover", Align::Right),
        ("Target", Align::Right),
        ("Gap (pp)", Align::Right),
        ("Stmts needed", Align::Right),
        ("Stmts+branches needed", Align::Right),
    ]);
    for r in rows {
        t.rows.push(vec![
            format!("{:?}", r.scope).to_lowercase(),
            if r.path.is_empty() {
                "TOTAL".to_string()
            } else {
                r.path.clone()
            },
            r.num_statements.to_string(),
            r.missing_lines.to_string(),
            format!("{}%", r.percent_covered_display),
            format!("{}%", r.target),
            format!("{:.2}", r.gap_pp),
            opt(r.statements_needed),
            opt(r.units_needed),
        ]);
    }
    t
}
