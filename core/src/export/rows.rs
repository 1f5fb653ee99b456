//! Rows with stable key names: the machine-readable contract of `covgap summary --json`,
//! `covgap files --json` and `covgap gaps --format json`. Every report gets a `metrics`
//! object (one entry per metric it carries); coverage.py reports keep coverage.py's own
//! key names beside it.

use super::table::{Align, Table};
use crate::analysis::gaps::{gap, Target};
use crate::analysis::ranges::missing_ranges;
use crate::analysis::tree::build_tree;
use crate::model::{Counts, FileCoverage, Metric, Report};
use crate::rules::{Rules, Tool, COVERAGEPY};
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// Counts and derived percentages under coverage.py's key names (coverage.py reports).
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
    /// Lines excluded; absent where the report cannot tell (coverage.py's Cobertura XML).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded_lines: Option<u64>,
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
    /// The coverage.py keys of `c` for `report`: excluded lines only where the report
    /// carries them (coverage.py's JSON, not its XML).
    pub fn of(report: &Report, c: &Counts, precision: u8) -> CountsJson {
        let mut j = CountsJson::new(c, precision);
        if report.source.format != crate::formats::coveragepy::FORMAT {
            j.excluded_lines = None;
        }
        j
    }

    /// The coverage.py JSON shape of `c`, with the display string at `precision`.
    pub fn new(c: &Counts, precision: u8) -> CountsJson {
        let r = &COVERAGEPY;
        CountsJson {
            files: c.files,
            num_statements: c.statements.total,
            covered_lines: c.statements.covered,
            missing_lines: c.statements.missing(),
            excluded_lines: Some(c.excluded),
            num_branches: c.branches.total,
            covered_branches: c.branches.covered,
            missing_branches: c.branches.missing(),
            num_partial_branches: c.partial_branches,
            percent_covered: r.percent(c, Metric::Combined),
            percent_covered_display: r.display_percent(r.percent(c, Metric::Combined), precision),
            percent_statements_covered: r.percent(c, Metric::Statements),
            percent_branches_covered: r.percent(c, Metric::Branches),
        }
    }
}

/// One metric: `{"total", "covered", "percent", "display"}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MetricJson {
    /// How many there are.
    pub total: u64,
    /// How many are covered.
    pub covered: u64,
    /// 100 × covered / total by the tool's formula (its figure for 0 of 0).
    pub percent: f64,
    /// As the tool shows it, without `%` (`99.93`, `87.8`, `98`, `-`).
    pub display: String,
}

/// Every metric a report carries, as a JSON object keyed by the metric's name, in the
/// report's order. coverage.py's combined figure is not a metric here (it has its own
/// keys).
#[derive(Clone, Debug, PartialEq)]
pub struct MetricsJson(pub Vec<(Metric, MetricJson)>);

impl MetricsJson {
    /// The metrics `ms` of `c` under `rules`.
    pub fn new(c: &Counts, ms: &[Metric], rules: &Rules, precision: u8) -> MetricsJson {
        MetricsJson(
            ms.iter()
                .filter(|&&m| m != Metric::Combined)
                .map(|&m| {
                    let t = c.get(m);
                    (
                        m,
                        MetricJson {
                            total: t.total,
                            covered: t.covered,
                            percent: rules.percent(c, m),
                            display: rules.show(c, m, precision),
                        },
                    )
                })
                .collect(),
        )
    }
}

impl Serialize for MetricsJson {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k.key(), v)?;
        }
        m.end()
    }
}

/// One file: its path, counts and missing ranges.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileRow {
    /// Path as shown (relative to the report's root, when it has one).
    pub path: String,
    /// Counts under coverage.py's names (coverage.py reports only).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub counts: Option<CountsJson>,
    /// Every metric the report carries.
    pub metrics: MetricsJson,
    /// Missing lines (and, for coverage.py, branches) like `coverage report -m`.
    pub missing: String,
}

/// The headline figure of `c` as the tool shows it: `92`, `99.93`, `87.8`.
pub fn headline_display(report: &Report, c: &Counts, metric: Metric, precision: u8) -> String {
    report.rules().show(c, metric, precision)
}

/// The rows of `files`, in the given order.
pub fn file_rows(report: &Report, order: &[usize], precision: u8) -> Vec<FileRow> {
    let coveragepy = report.source.tool == Tool::CoveragePy;
    order
        .iter()
        .filter_map(|&i| report.files.get(i))
        .map(|f: &FileCoverage| FileRow {
            path: f.path.clone(),
            counts: coveragepy.then(|| CountsJson::of(report, &f.counts, precision)),
            metrics: MetricsJson::new(&f.counts, &report.metrics, report.rules(), precision),
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
    /// The metric judged.
    pub metric: Metric,
    /// Its total (statements for the combined figure: the count `coverage report` shows).
    pub total: u64,
    /// Of those, missing.
    pub missing: u64,
    /// The percentage now, by the tool's formula.
    pub percent: f64,
    /// As the tool shows it.
    pub display: String,
    /// Target percentage.
    pub target: f64,
    /// Passes the tool's gate at the target.
    pub passes: bool,
    /// The least percentage that passes the gate.
    pub pass_mark: f64,
    /// Percentage points from now to the pass mark.
    pub gap_pp: f64,
    /// Least units of the metric to cover (statements and branches, any mix, for the
    /// combined figure); null when impossible.
    pub needed: Option<u64>,
    /// coverage.py's figures under its own key names.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub coveragepy: Option<GapCoveragePy>,
}

/// The coverage.py keys of a gap row.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GapCoveragePy {
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
    /// Least statements to cover; null when statements alone cannot reach the target.
    pub statements_needed: Option<u64>,
    /// Least statements+branches to cover.
    pub units_needed: Option<u64>,
}

impl GapRow {
    fn new(
        scope: GapScope,
        path: &str,
        c: &Counts,
        report: &Report,
        metric: Metric,
        t: Target,
    ) -> GapRow {
        let rules = report.rules();
        let g = gap(c, metric, rules, t);
        let count = c.get(metric.count_basis());
        GapRow {
            scope,
            path: path.to_string(),
            metric,
            total: count.total,
            missing: count.missing(),
            percent: g.percent,
            display: rules.show(c, metric, t.precision),
            target: t.percent,
            passes: g.passes,
            pass_mark: g.pass_mark,
            gap_pp: g.gap_pp,
            needed: g.needed,
            coveragepy: (report.source.tool == Tool::CoveragePy && metric == Metric::Combined)
                .then(|| GapCoveragePy {
                    num_statements: c.statements.total,
                    missing_lines: c.statements.missing(),
                    num_branches: c.branches.total,
                    missing_branches: c.branches.missing(),
                    percent_covered: g.percent,
                    percent_covered_display: rules.display_percent(g.percent, t.precision),
                    statements_needed: g.statements_needed,
                    units_needed: g.needed,
                }),
        }
    }
}

/// The total, every directory, then every file, each against `t` on `metric`.
pub fn gap_rows(report: &Report, metric: Metric, t: Target) -> Vec<GapRow> {
    let tree = build_tree(&report.files);
    let row = |scope, path: &str, c: &Counts| GapRow::new(scope, path, c, report, metric, t);
    let mut rows = vec![row(GapScope::Total, "", &tree.counts)];
    rows.extend(
        tree.directories()
            .into_iter()
            .filter(|d| !d.path.is_empty())
            .map(|d| row(GapScope::Directory, &d.path, &d.counts)),
    );
    rows.extend(
        report
            .files
            .iter()
            .map(|f| row(GapScope::File, &f.path, &f.counts)),
    );
    rows
}

fn opt(n: Option<u64>) -> String {
    n.map_or_else(|| "—".to_string(), |n| n.to_string())
}

/// What a files table shows: the metric of its percentage column and whether the report
/// has branches (for the Branch and BrPart columns).
#[derive(Clone, Copy, Debug)]
pub struct FilesColumns {
    /// The metric of the Cover column (its count basis fills the count columns).
    pub metric: Metric,
    /// Show Branch and BrPart.
    pub branches: bool,
}

impl FilesColumns {
    /// The columns for `report` on `metric`: as `coverage report -m` for coverage.py.
    pub fn of(report: &Report, metric: Metric) -> FilesColumns {
        FilesColumns {
            metric,
            branches: report.carries(Metric::Branches) && metric != Metric::Branches,
        }
    }
}

/// The counts of one row of a files table: name, counts, Cover, Missing.
fn file_cells(
    name: String,
    c: &Counts,
    cols: FilesColumns,
    cover: String,
    missing: String,
) -> Vec<String> {
    let count = c.get(cols.metric.count_basis());
    let mut cells = vec![name, count.total.to_string(), count.missing().to_string()];
    if cols.branches {
        cells.extend([c.branches.total.to_string(), c.partial_branches.to_string()]);
    }
    cells.extend([cover, missing]);
    cells
}

/// The file rows as a table (for Markdown, CSV and text), with a TOTAL row when `total`
/// is given. The count columns are titled as `coverage report` titles them for
/// statements (Stmts, Miss) and by the metric otherwise (Lines, Miss).
pub fn files_table(
    report: &Report,
    order: &[usize],
    cols: FilesColumns,
    precision: u8,
    total: bool,
) -> Table {
    let basis = cols.metric.count_basis();
    let count_title = match basis {
        Metric::Statements => "Stmts".to_string(),
        m => m.title().to_string(),
    };
    let mut columns = vec![
        ("Name", Align::Left),
        (count_title.as_str(), Align::Right),
        ("Miss", Align::Right),
    ];
    if cols.branches {
        columns.extend([("Branch", Align::Right), ("BrPart", Align::Right)]);
    }
    columns.extend([("Cover", Align::Right), ("Missing", Align::Left)]);
    let mut t = Table::new(&columns);
    let rules = report.rules();
    let pct = |c: &Counts| {
        let s = rules.show(c, cols.metric, precision);
        if s.chars().all(|ch| ch.is_ascii_digit() || ch == '.') {
            format!("{s}%")
        } else {
            s
        }
    };
    for f in order.iter().filter_map(|&i| report.files.get(i)) {
        t.rows.push(file_cells(
            f.path.clone(),
            &f.counts,
            cols,
            pct(&f.counts),
            missing_ranges(f, report.source.branch_coverage),
        ));
    }
    if total {
        let c = report.totals();
        t.rows.push(file_cells(
            "TOTAL".to_string(),
            &c,
            cols,
            pct(&c),
            String::new(),
        ));
    }
    t
}

/// The gap rows as a table.
pub fn gaps_table(rows: &[GapRow]) -> Table {
    let metric = rows.first().map_or(Metric::Combined, |r| r.metric);
    let (count, units) = match metric.count_basis() {
        Metric::Statements => ("Stmts".to_string(), "Stmts".to_string()),
        m => (m.title().to_string(), m.title().to_string()),
    };
    let combined = metric == Metric::Combined;
    let needed = format!("{units} needed");
    let mut cols = vec![
        ("Scope", Align::Left),
        ("Path", Align::Left),
        (count.as_str(), Align::Right),
        ("Miss", Align::Right),
        ("Cover", Align::Right),
        ("Target", Align::Right),
        ("Gap (pp)", Align::Right),
        (needed.as_str(), Align::Right),
    ];
    if combined {
        cols.push(("Stmts+branches needed", Align::Right));
    }
    let mut t = Table::new(&cols);
    for r in rows {
        let mut cells = vec![
            format!("{:?}", r.scope).to_lowercase(),
            if r.path.is_empty() {
                "TOTAL".to_string()
            } else {
                r.path.clone()
            },
            r.total.to_string(),
            r.missing.to_string(),
            format!("{}%", r.display),
            format!("{}%", r.target),
            format!("{:.2}", r.gap_pp),
        ];
        match &r.coveragepy {
            Some(c) if combined => {
                cells.push(opt(c.statements_needed));
                cells.push(opt(c.units_needed));
            }
            _ => {
                cells.push(opt(r.needed));
                if combined {
                    cells.push(opt(r.needed));
                }
            }
        }
        t.rows.push(cells);
    }
    t
}
