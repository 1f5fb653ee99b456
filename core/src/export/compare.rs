//! A comparison as a pull-request comment (Markdown), a spreadsheet (CSV) or terminal text.
//!
//! Flags are words with an emoji beside them, never an emoji or colour alone, and every
//! file name goes through [`Table`], which escapes it.

use super::rows::{CountsJson, MetricsJson};
use super::table::{md_escape, Align, Table};
use crate::analysis::compare::{
    Comparison, CountsDelta, FileDelta, FileStatus, PercentDelta, StatusCounts,
};
use crate::display::display_delta;
use crate::model::Metric;
use crate::rules::{Rules, Tool};
use serde::Serialize;

/// Marks a regression in Markdown and text.
pub const REGRESSION_MARK: &str = "⚠️ regression";
/// Marks a file newly below the floor in Markdown and text.
pub const BELOW_FLOOR_MARK: &str = "🔻 newly below floor";
/// Marks a file that was below the floor before and still is.
pub const STILL_BELOW_MARK: &str = "▫️ still below floor";

fn pct(rules: &Rules, v: Option<f64>, precision: u8) -> String {
    v.map_or_else(
        || "—".to_string(),
        |v| format!("{}%", rules.display_percent(v, precision)),
    )
}

fn signed_count(n: i64) -> String {
    if n > 0 {
        format!("+{n}")
    } else {
        n.to_string()
    }
}

fn flags(r: &FileDelta) -> String {
    let mut f = Vec::new();
    if r.regression {
        f.push(REGRESSION_MARK);
    }
    if r.newly_below_floor {
        f.push(BELOW_FLOOR_MARK);
    } else if r.below_floor {
        f.push(STILL_BELOW_MARK);
    }
    f.join(", ")
}

fn line_cell(r: &FileDelta, ranges: &str) -> String {
    if r.statements_changed {
        "n/a: statements changed".to_string()
    } else {
        ranges.to_string()
    }
}

fn percent_line(c: &Comparison, label: &str, d: &PercentDelta, precision: u8) -> String {
    format!(
        "{label} {}% → {}% ({} pp)",
        c.base_rules.display_percent(d.base, precision),
        c.rules.display_percent(d.current, precision),
        display_delta(d.delta_pp, c.rules.decimals(precision))
    )
}

/// The headline's label: "Coverage" for coverage.py's combined figure, else the metric.
fn headline_label(c: &Comparison) -> &'static str {
    match c.metric {
        Metric::Combined => "Coverage",
        m => m.title(),
    }
}

/// The files that differ (added, removed or changed), in the comparison's order, as a
/// table of display strings: flags, path, status, percentages, changes and the lines that
/// became missing or covered.
pub fn comparison_table(c: &Comparison, precision: u8) -> Table {
    let mut t = Table::new(&[
        ("Flag", Align::Left),
        ("File", Align::Left),
        ("Status", Align::Left),
        ("Base", Align::Right),
        ("Current", Align::Right),
        ("Δ pp", Align::Right),
        ("Δ covered", Align::Right),
        ("Newly missing", Align::Left),
        ("Newly covered", Align::Left),
    ]);
    let decimals = c.rules.decimals(precision);
    for r in c.files.iter().filter(|r| r.status != FileStatus::Unchanged) {
        t.rows.push(vec![
            flags(r),
            r.path.clone(),
            r.status.word().to_string(),
            pct(c.base_rules, r.base_percent, precision),
            pct(c.rules, r.current_percent, precision),
            r.delta_pp
                .map_or_else(|| "—".to_string(), |d| display_delta(d, decimals)),
            signed_count(r.covered_delta),
            line_cell(r, &r.newly_missing_ranges),
            line_cell(r, &r.newly_covered_ranges),
        ]);
    }
    t
}

/// The summary lines above the table: the compared figure, the other figures both
/// reports carry, covered counts, files per status, and what was flagged under which rule.
fn summary_lines(c: &Comparison, precision: u8) -> Vec<String> {
    let t = &c.totals;
    let s = &c.summary;
    let mut lines = vec![percent_line(c, headline_label(c), &t.headline, precision)];
    let others: Vec<String> = t
        .percents
        .iter()
        .filter(|(m, _)| *m != c.metric && *m != Metric::Combined)
        .filter(|(m, _)| t.base.get(*m).total > 0 || t.current.get(*m).total > 0)
        .enumerate()
        .map(|(i, (m, d))| {
            let title = m.title();
            let label = if i == 0 {
                title.to_string()
            } else {
                title.to_lowercase()
            };
            percent_line(c, &label, d, precision)
        })
        .collect();
    if !others.is_empty() {
        lines.push(others.join(" · "));
    }
    if c.metric == Metric::Combined && (t.base.branches.total > 0 || t.current.branches.total > 0) {
        lines.push(
            "Coverage is coverage.py's combined figure: (statements + branches covered) / \
             (statements + branches)."
                .to_string(),
        );
    } else if c.rules.tool != Tool::CoveragePy || c.base_rules.tool != Tool::CoveragePy {
        lines.push(format!(
            "{} is {}'s figure: covered / all {}.",
            headline_label(c),
            c.rules.name,
            c.metric.count_basis().units(2).trim_start_matches("2 ")
        ));
    }
    let counted: Vec<String> = t
        .counts
        .metrics
        .iter()
        .filter(|(m, _)| t.base.get(*m).total > 0 || t.current.get(*m).total > 0)
        .map(|(m, d)| {
            let (b, n) = (t.base.get(*m), t.current.get(*m));
            format!(
                "covered {} {}/{} → {}/{} ({})",
                m.key(),
                b.covered,
                b.total,
                n.covered,
                n.total,
                signed_count(d.covered)
            )
        })
        .collect();
    if !counted.is_empty() {
        let mut line = counted.join("; ");
        if let Some(first) = line.get(..1) {
            line = first.to_uppercase() + line.get(1..).unwrap_or("");
        }
        lines.push(line + ".");
    }
    lines.push(format!(
        "Files: {} added, {} removed, {} changed, {} unchanged.",
        s.added, s.removed, s.changed, s.unchanged
    ));
    let floor = format!(
        "{}%",
        crate::display::display_percent(c.options.floor.percent, c.options.floor.precision)
    );
    let fall = if c.options.regression_pp > 0.0 {
        format!("fell by more than {} pp", c.options.regression_pp)
    } else {
        "fell".to_string()
    };
    let still = s.below_floor - s.newly_below_floor;
    let still_text = if still > 0 {
        format!(
            " {STILL_BELOW_MARK}: {still} file(s) were already below the {floor} floor and still are."
        )
    } else {
        String::new()
    };
    if s.regressions == 0 && s.newly_below_floor == 0 {
        lines.push(format!(
            "✅ OK: no file's coverage {fall}, no file dropped below the {floor} floor.{still_text}"
        ));
    } else {
        lines.push(format!(
            "{REGRESSION_MARK}: {} file(s) whose coverage {fall}. {BELOW_FLOOR_MARK}: {} file(s) that dropped below the {floor} floor.{still_text}",
            s.regressions, s.newly_below_floor
        ));
    }
    lines
}

/// The comparison as a pull-request comment: a heading with the total's change, the
/// statements and branches figures, the files per status, then a table of every file that
/// differs. Percentages at `precision` decimals, rounded like coverage.py.
pub fn comparison_markdown(c: &Comparison, precision: u8) -> String {
    let lines = summary_lines(c, precision);
    let mut out = String::new();
    for (i, l) in lines.iter().enumerate() {
        if i == 0 {
            out.push_str(&format!("### {l}\n\n"));
        } else {
            // Two trailing spaces: a Markdown line break without starting a new paragraph.
            out.push_str(&format!("{l}  \n"));
        }
    }
    for w in &c.warnings {
        out.push_str(&format!("\n> **Note:** {}\n", md_escape(w)));
    }
    out.push('\n');
    let table = comparison_table(c, precision);
    if table.rows.is_empty() {
        out.push_str("No file changed.\n");
    } else {
        out.push_str(&table.to_markdown());
    }
    out
}

/// The comparison for a terminal: the summary lines, then the table of differing files.
pub fn comparison_text(c: &Comparison, precision: u8) -> String {
    let mut out = summary_lines(c, precision).join("\n");
    out.push('\n');
    for w in &c.warnings {
        out.push_str(&format!("note: {w}\n"));
    }
    out.push('\n');
    let table = comparison_table(c, precision);
    if table.rows.is_empty() {
        out.push_str("No file changed.\n");
    } else {
        out.push_str(&table.to_text());
    }
    out
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

fn count(v: Option<u64>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

/// Every file (unchanged ones too) plus a first `total` row, with full-precision numbers
/// for a spreadsheet: empty cells where a file is absent from one side.
pub fn comparison_csv_table(c: &Comparison) -> Table {
    let mut t = Table::new(&[
        ("scope", Align::Left),
        ("path", Align::Left),
        ("status", Align::Left),
        ("base_percent", Align::Right),
        ("current_percent", Align::Right),
        ("delta_pp", Align::Right),
        ("base_covered", Align::Right),
        ("current_covered", Align::Right),
        ("covered_delta", Align::Right),
        ("base_statements", Align::Right),
        ("current_statements", Align::Right),
        ("regression", Align::Left),
        ("below_floor", Align::Left),
        ("newly_below_floor", Align::Left),
        ("statements_changed", Align::Left),
        ("newly_missing", Align::Left),
        ("newly_covered", Align::Left),
    ]);
    let tot = &c.totals;
    let basis = c.metric.count_basis();
    let (b, n) = (tot.base.get(basis), tot.current.get(basis));
    t.rows.push(vec![
        "total".to_string(),
        String::new(),
        String::new(),
        tot.headline.base.to_string(),
        tot.headline.current.to_string(),
        tot.headline.delta_pp.to_string(),
        b.covered.to_string(),
        n.covered.to_string(),
        (i128::from(n.covered) - i128::from(b.covered)).to_string(),
        b.total.to_string(),
        n.total.to_string(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    for r in &c.files {
        t.rows.push(vec![
            "file".to_string(),
            r.path.clone(),
            r.status.word().to_string(),
            num(r.base_percent),
            num(r.current_percent),
            num(r.delta_pp),
            count(r.base_covered),
            count(r.current_covered),
            r.covered_delta.to_string(),
            count(r.base.map(|b| b.get(basis).total)),
            count(r.current.map(|b| b.get(basis).total)),
            r.regression.to_string(),
            r.below_floor.to_string(),
            r.newly_below_floor.to_string(),
            r.statements_changed.to_string(),
            r.newly_missing_ranges.clone(),
            r.newly_covered_ranges.clone(),
        ]);
    }
    t
}

/// [`comparison_csv_table`] as RFC 4180 CSV (formula-injection safe).
pub fn comparison_csv(c: &Comparison) -> String {
    comparison_csv_table(c).to_csv()
}

/// Totals of a comparison: per metric, and under coverage.py's key names when both
/// reports are coverage.py's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TotalsJson {
    /// The metric compared.
    pub metric: Metric,
    /// Its percentage: base, current, delta_pp.
    pub percent: PercentDelta,
    /// Every metric both carry, per metric: base, current, delta_pp.
    #[serde(serialize_with = "percent_map")]
    pub percents: Vec<(Metric, PercentDelta)>,
    /// Baseline totals per metric.
    pub base_metrics: MetricsJson,
    /// Current totals per metric.
    pub current_metrics: MetricsJson,
    /// Baseline totals (coverage.py keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<CountsJson>,
    /// Current totals (coverage.py keys).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<CountsJson>,
    /// Combined percentage: base, current, delta_pp (coverage.py).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_covered: Option<PercentDelta>,
    /// Statements only (coverage.py).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_statements_covered: Option<PercentDelta>,
    /// Branches only (coverage.py).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_branches_covered: Option<PercentDelta>,
    /// Every count's change, current minus baseline.
    pub delta: CountsDelta,
}

fn percent_map<S: serde::Serializer>(
    v: &[(Metric, PercentDelta)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, d) in v {
        m.serialize_entry(k.key(), d)?;
    }
    m.end()
}

/// One file of a comparison: the stable machine-readable row of `covgap compare --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileDeltaJson {
    /// Path as the reports wrote it.
    pub path: String,
    /// added, removed, changed or unchanged.
    pub status: FileStatus,
    /// Combined percentage in the baseline; null when added.
    pub base_percent: Option<f64>,
    /// Combined percentage now; null when removed.
    pub current_percent: Option<f64>,
    /// current − base in percentage points; null unless in both.
    pub delta_pp: Option<f64>,
    /// Statements covered in the baseline; null when added.
    pub base_covered: Option<u64>,
    /// Statements covered now; null when removed.
    pub current_covered: Option<u64>,
    /// Change in statements covered (an absent file counts 0).
    pub covered_delta: i64,
    /// Lines missing now that were executed before (same statement set only).
    pub newly_missing: Vec<u32>,
    /// Lines executed now that were missing before (same statement set only).
    pub newly_covered: Vec<u32>,
    /// The statement lines differ, so no line-level delta is given.
    pub statements_changed: bool,
    /// Fell by more than the regression threshold.
    pub regression: bool,
    /// Below the floor now.
    pub below_floor: bool,
    /// Below the floor now and not before ("newly below"; else "still below").
    pub newly_below_floor: bool,
}

/// A comparison as JSON: totals, one row per file, the counts per status, and the rules.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComparisonJson {
    /// Totals and their change.
    pub totals: TotalsJson,
    /// One row per path, in the comparison's order.
    pub files: Vec<FileDeltaJson>,
    /// Files per status, regressions and floor breaches.
    pub summary: StatusCounts,
    /// A file regresses when it falls by more than this many points.
    pub regression_pp: f64,
    /// The floor percentage.
    pub floor: f64,
    /// Decimals the floor is judged at.
    pub floor_precision: u8,
    /// What may not compare like for like.
    pub warnings: Vec<String>,
}

/// The JSON shape of `c`, with display strings at `precision`.
pub fn comparison_json(c: &Comparison, precision: u8) -> ComparisonJson {
    let t = &c.totals;
    let both_coveragepy = c.rules.tool == Tool::CoveragePy && c.base_rules.tool == Tool::CoveragePy;
    ComparisonJson {
        totals: TotalsJson {
            metric: c.metric,
            percent: t.headline,
            percents: t.percents.clone(),
            base_metrics: MetricsJson::new(&t.base, &c.metrics, c.base_rules, precision),
            current_metrics: MetricsJson::new(&t.current, &c.metrics, c.rules, precision),
            base: both_coveragepy.then(|| CountsJson::new(&t.base, precision)),
            current: both_coveragepy.then(|| CountsJson::new(&t.current, precision)),
            percent_covered: both_coveragepy
                .then(|| t.percent(Metric::Combined))
                .flatten(),
            percent_statements_covered: both_coveragepy
                .then(|| t.percent(Metric::Statements))
                .flatten(),
            percent_branches_covered: both_coveragepy
                .then(|| t.percent(Metric::Branches))
                .flatten(),
            delta: t.counts.clone(),
        },
        files: c
            .files
            .iter()
            .map(|r| FileDeltaJson {
                path: r.path.clone(),
                status: r.status,
                base_percent: r.base_percent,
                current_percent: r.current_percent,
                delta_pp: r.delta_pp,
                base_covered: r.base_covered,
                current_covered: r.current_covered,
                covered_delta: r.covered_delta,
                newly_missing: r.newly_missing.clone(),
                newly_covered: r.newly_covered.clone(),
                statements_changed: r.statements_changed,
                regression: r.regression,
                below_floor: r.below_floor,
                newly_below_floor: r.newly_below_floor,
            })
            .collect(),
        summary: c.summary,
        regression_pp: c.options.regression_pp,
        floor: c.options.floor.percent,
        floor_precision: c.options.floor.precision,
        warnings: c.warnings.clone(),
    }
}
