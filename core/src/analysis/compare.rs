//! Baseline against current: what changed between two reports of the same project, file by
//! file and in total, which files regressed, and which dropped below the floor.
//!
//! Every percentage is derived from counts (never from another rounded percentage), and
//! the regression and floor rules are judged on those exact figures.

use super::gaps::Target;
use super::ranges::missing_ranges;
use super::sort::human_cmp;
use super::tree::{build_tree, TreeNode};
use crate::model::{Counts, FileCoverage, Metric, Report, Tally};
use crate::rules::Rules;
use serde::Serialize;
use std::cmp::Ordering;
use std::collections::HashMap;

/// What counts as a regression and as a floor breach, and on which metric.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct CompareOptions {
    /// A file regresses when its percentage falls by MORE than this many percentage
    /// points (0: any fall).
    pub regression_pp: f64,
    /// The floor every file should stay at or above, judged by the current report's
    /// tool's gate (coverage.py: rounded to the floor's precision first).
    pub floor: Target,
    /// The metric to compare on; `None`: the current report's headline metric when the
    /// baseline carries it too, else the first metric both carry.
    pub metric: Option<Metric>,
}

impl Default for CompareOptions {
    fn default() -> Self {
        CompareOptions {
            regression_pp: 0.0,
            floor: Target {
                percent: 50.0,
                precision: 0,
            },
            metric: None,
        }
    }
}

/// Why two reports cannot be compared.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CompareError {
    /// The reports measure nothing in common.
    #[error("the reports measure nothing in common ({base} has {base_metrics}; {current} has {current_metrics}), so no figure compares like for like")]
    NoCommonMetric {
        /// The baseline's tool.
        base: &'static str,
        /// Its metrics.
        base_metrics: String,
        /// The current report's tool.
        current: &'static str,
        /// Its metrics.
        current_metrics: String,
    },
    /// The metric asked for is not in both reports.
    #[error("{metric} is not measured by {which}")]
    MetricMissing {
        /// The metric asked for.
        metric: Metric,
        /// Which report lacks it.
        which: &'static str,
    },
}

/// The metric two reports are compared on, or why there is none: the asked metric, else
/// the current report's headline metric if the baseline carries it, else the first of the
/// current report's metrics that the baseline carries.
pub fn common_metric(
    base: &Report,
    current: &Report,
    asked: Option<Metric>,
) -> Result<Metric, CompareError> {
    shared_metric(&[base], current, asked)
}

/// [`common_metric`] over several reports against `current` (a trend's newest report).
/// coverage.py's combined figure is shared only between reports of the same tool.
pub fn shared_metric(
    others: &[&Report],
    current: &Report,
    asked: Option<Metric>,
) -> Result<Metric, CompareError> {
    if let Some(m) = asked {
        if !current.carries(m) {
            return Err(CompareError::MetricMissing {
                metric: m,
                which: "the current report",
            });
        }
        if others.iter().any(|r| !r.carries(m)) {
            return Err(CompareError::MetricMissing {
                metric: m,
                which: if others.len() == 1 {
                    "the baseline"
                } else {
                    "every report"
                },
            });
        }
        return Ok(m);
    }
    let same_tool = others.iter().all(|r| r.source.tool == current.source.tool);
    let shared =
        |m: Metric| (m != Metric::Combined || same_tool) && others.iter().all(|r| r.carries(m));
    let h = current.headline();
    if shared(h) {
        return Ok(h);
    }
    current
        .metrics
        .iter()
        .copied()
        .find(|&m| shared(m))
        .ok_or_else(|| {
            let list = |r: &Report| {
                r.metrics
                    .iter()
                    .map(|m| m.key())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let base = others.iter().find(|r| {
                !current
                    .metrics
                    .iter()
                    .any(|&m| m != Metric::Combined && r.carries(m))
            });
            let base = base.or(others.first()).copied().unwrap_or(current);
            CompareError::NoCommonMetric {
                base: base.source.tool.name(),
                base_metrics: list(base),
                current: current.source.tool.name(),
                current_metrics: list(current),
            }
        })
}

/// How a file differs between the two reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileStatus {
    /// Only in the current report.
    Added,
    /// Only in the baseline.
    Removed,
    /// In both, with different counts, lines or branch arcs.
    Changed,
    /// In both, with identical counts, statement lines and branch arcs.
    Unchanged,
}

impl FileStatus {
    /// The word shown for it (and its JSON value): added, removed, changed, unchanged.
    pub fn word(self) -> &'static str {
        match self {
            FileStatus::Added => "added",
            FileStatus::Removed => "removed",
            FileStatus::Changed => "changed",
            FileStatus::Unchanged => "unchanged",
        }
    }
}

/// One file of the comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileDelta {
    /// The path, as both reports wrote it.
    pub path: String,
    /// Added, removed, changed or unchanged.
    pub status: FileStatus,
    /// Percentage in the baseline, on the compared metric (`None` when added).
    pub base_percent: Option<f64>,
    /// Percentage now (`None` when removed).
    pub current_percent: Option<f64>,
    /// `current_percent - base_percent` in percentage points (`None` unless in both).
    pub delta_pp: Option<f64>,
    /// Units covered in the baseline (statements for the combined figure; `None` when
    /// added).
    pub base_covered: Option<u64>,
    /// Units covered now (`None` when removed).
    pub current_covered: Option<u64>,
    /// Change in units covered, counting an absent file as 0.
    pub covered_delta: i64,
    /// Lines missing now that were executed in the baseline. Only filled when the
    /// statement set is the same in both (see `statements_changed`), ascending.
    pub newly_missing: Vec<u32>,
    /// Lines executed now that were missing in the baseline; same condition.
    pub newly_covered: Vec<u32>,
    /// `newly_missing` as ranges like `coverage report -m` ("12-15, 40").
    pub newly_missing_ranges: String,
    /// `newly_covered` as ranges.
    pub newly_covered_ranges: String,
    /// The file is in both reports but its statement lines differ, so a line number may
    /// mean different code in each and no line-level delta is given.
    pub statements_changed: bool,
    /// The percentage fell by more than [`CompareOptions::regression_pp`].
    pub regression: bool,
    /// The file fails the floor now.
    pub below_floor: bool,
    /// It fails the floor now and did not before (or is new and fails it): "newly
    /// below"; a file below the floor that is not newly below is "still below".
    pub newly_below_floor: bool,
    /// Baseline counts (`None` when added).
    pub base: Option<Counts>,
    /// Current counts (`None` when removed).
    pub current: Option<Counts>,
}

impl FileDelta {
    /// Whether the file passes `filter`.
    pub fn matches(&self, filter: CompareFilter) -> bool {
        match filter {
            CompareFilter::All => true,
            CompareFilter::Different => self.status != FileStatus::Unchanged,
            CompareFilter::Added => self.status == FileStatus::Added,
            CompareFilter::Removed => self.status == FileStatus::Removed,
            CompareFilter::Changed => self.status == FileStatus::Changed,
            CompareFilter::Regressions => self.regression,
            CompareFilter::BelowFloor => self.below_floor,
            CompareFilter::Flagged => self.regression || self.newly_below_floor,
        }
    }
}

/// Which rows to show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareFilter {
    /// Every file.
    All,
    /// Added, removed or changed (everything but unchanged).
    Different,
    /// Only added files.
    Added,
    /// Only removed files.
    Removed,
    /// Only files in both that changed.
    Changed,
    /// Files that regressed.
    Regressions,
    /// Files below the floor now (newly or still).
    BelowFloor,
    /// Regressions and files newly below the floor.
    Flagged,
}

/// A column to sort comparison rows by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareSortKey {
    /// Path, in human order.
    Name,
    /// Status (added, removed, changed, unchanged).
    Status,
    /// Baseline percentage (absent first).
    BasePercent,
    /// Current percentage (absent first).
    CurrentPercent,
    /// Change in percentage points (absent first).
    Delta,
    /// Change in units covered.
    CoveredDelta,
}

impl CompareSortKey {
    /// Compares two rows by this column, then by human-sorted path.
    pub fn cmp(self, a: &FileDelta, b: &FileDelta) -> Ordering {
        let opt = |x: Option<f64>, y: Option<f64>| match (x, y) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (x, y) => x.is_some().cmp(&y.is_some()),
        };
        let by = match self {
            CompareSortKey::Name => Ordering::Equal,
            CompareSortKey::Status => a.status.cmp(&b.status),
            CompareSortKey::BasePercent => opt(a.base_percent, b.base_percent),
            CompareSortKey::CurrentPercent => opt(a.current_percent, b.current_percent),
            CompareSortKey::Delta => opt(a.delta_pp, b.delta_pp),
            CompareSortKey::CoveredDelta => a.covered_delta.cmp(&b.covered_delta),
        };
        by.then_with(|| human_cmp(&a.path, &b.path))
    }
}

/// Indices of `rows` passing `filter`, in the order of `key` (reversed when `descending`).
pub fn sort_deltas(
    rows: &[FileDelta],
    key: CompareSortKey,
    descending: bool,
    filter: CompareFilter,
) -> Vec<usize> {
    let mut idx: Vec<usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.matches(filter))
        .map(|(i, _)| i)
        .collect();
    idx.sort_by(|&i, &j| match (rows.get(i), rows.get(j)) {
        (Some(a), Some(b)) if descending => key.cmp(a, b).reverse(),
        (Some(a), Some(b)) => key.cmp(a, b),
        _ => Ordering::Equal,
    });
    idx
}

/// A percentage in both reports and its change.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PercentDelta {
    /// In the baseline.
    pub base: f64,
    /// Now.
    pub current: f64,
    /// `current - base`, in percentage points.
    pub delta_pp: f64,
}

impl PercentDelta {
    fn new(base: f64, current: f64) -> PercentDelta {
        PercentDelta {
            base,
            current,
            delta_pp: current - base,
        }
    }
}

/// One metric's change, current minus baseline.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TallyDelta {
    /// Change in covered.
    pub covered: i64,
    /// Change in the total.
    pub total: i64,
    /// Change in missing.
    pub missing: i64,
}

impl TallyDelta {
    /// `current - base`.
    pub fn between(base: Tally, current: Tally) -> TallyDelta {
        let d = |b: u64, c: u64| signed(c) - signed(b);
        TallyDelta {
            covered: d(base.covered, current.covered),
            total: d(base.total, current.total),
            missing: d(base.missing(), current.missing()),
        }
    }
}

/// Every count's change, current minus baseline.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CountsDelta {
    /// Files.
    pub files: i64,
    /// Per metric both reports carry (the combined figure excepted): its change.
    #[serde(serialize_with = "tally_map")]
    pub metrics: Vec<(Metric, TallyDelta)>,
    /// Lines excluded.
    pub excluded: i64,
    /// Branch lines partly taken.
    pub partial_branches: i64,
}

fn tally_map<S: serde::Serializer>(v: &[(Metric, TallyDelta)], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, d) in v {
        m.serialize_entry(k.key(), d)?;
    }
    m.end()
}

impl CountsDelta {
    /// `current - base` for the files, `metrics`, excluded and partial lines.
    pub fn between(base: &Counts, current: &Counts, metrics: &[Metric]) -> CountsDelta {
        CountsDelta {
            files: signed(current.files) - signed(base.files),
            metrics: metrics
                .iter()
                .filter(|&&m| m != Metric::Combined)
                .map(|&m| (m, TallyDelta::between(base.get(m), current.get(m))))
                .collect(),
            excluded: signed(current.excluded) - signed(base.excluded),
            partial_branches: signed(current.partial_branches) - signed(base.partial_branches),
        }
    }

    /// The change of `m`, when it is listed.
    pub fn get(&self, m: Metric) -> Option<TallyDelta> {
        self.metrics.iter().find(|(x, _)| *x == m).map(|(_, d)| *d)
    }
}

/// Counts beyond i64 cannot come from a real report; saturate rather than wrap.
fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The whole-report change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TotalsDelta {
    /// Baseline totals (recomputed from its files).
    pub base: Counts,
    /// Current totals.
    pub current: Counts,
    /// The compared metric's percentage.
    pub headline: PercentDelta,
    /// Every metric both reports carry, in the current report's order, with its
    /// percentage in each (each by its own report's rules).
    pub percents: Vec<(Metric, PercentDelta)>,
    /// Every count's change.
    pub counts: CountsDelta,
}

impl TotalsDelta {
    /// The change from `base` to `current` on `metrics` (the compared one first).
    pub fn between(
        base: &Counts,
        current: &Counts,
        metric: Metric,
        metrics: &[Metric],
        rules: (&Rules, &Rules),
    ) -> TotalsDelta {
        let pd = |m| PercentDelta::new(rules.0.percent(base, m), rules.1.percent(current, m));
        TotalsDelta {
            base: *base,
            current: *current,
            headline: pd(metric),
            percents: metrics.iter().map(|&m| (m, pd(m))).collect(),
            counts: CountsDelta::between(base, current, metrics),
        }
    }

    /// The percentage change of `m`, when both reports carry it.
    pub fn percent(&self, m: Metric) -> Option<PercentDelta> {
        self.percents.iter().find(|(x, _)| *x == m).map(|(_, d)| *d)
    }
}

/// How many files fall in each class.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StatusCounts {
    /// Only in the current report.
    pub added: usize,
    /// Only in the baseline.
    pub removed: usize,
    /// In both, different.
    pub changed: usize,
    /// In both, identical.
    pub unchanged: usize,
    /// Files flagged as regressions.
    pub regressions: usize,
    /// Files below the floor now.
    pub below_floor: usize,
    /// Of those, files newly below it.
    pub newly_below_floor: usize,
}

/// Everything that changed between two reports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Comparison {
    /// The rules the flags were judged by.
    pub options: CompareOptions,
    /// The metric compared.
    pub metric: Metric,
    /// Every metric both reports carry.
    pub metrics: Vec<Metric>,
    /// The current report's rules: its percentages are shown and its gate judges the
    /// floor.
    #[serde(skip)]
    pub rules: &'static Rules,
    /// The baseline's rules.
    #[serde(skip)]
    pub base_rules: &'static Rules,
    /// The totals' change.
    pub totals: TotalsDelta,
    /// One row per path in either report, in human path order.
    pub files: Vec<FileDelta>,
    /// Files per status, regressions and floor breaches.
    pub summary: StatusCounts,
    /// Why some figures may not compare like for like (different formats, branch
    /// coverage in one report only, duplicate paths).
    pub warnings: Vec<String>,
}

impl Comparison {
    /// Whether any file regressed.
    pub fn has_regressions(&self) -> bool {
        self.summary.regressions > 0
    }

    /// Whether any file dropped below the floor (is newly below it).
    pub fn has_floor_breaches(&self) -> bool {
        self.summary.newly_below_floor > 0
    }

    /// The compared percentage of baseline counts `c` (by the baseline's rules).
    pub fn base_percent(&self, c: &Counts) -> f64 {
        self.base_rules.percent(c, self.metric)
    }

    /// The compared percentage of current counts `c`.
    pub fn current_percent(&self, c: &Counts) -> f64 {
        self.rules.percent(c, self.metric)
    }

    /// The directory tree over every path of the comparison, with baseline and current
    /// counts rolled up at each level, shaped like [`build_tree`]'s tree of one report.
    pub fn tree(&self) -> CompareNode {
        // The same paths in the same order give two trees of the same shape, so they can be
        // zipped node by node; absent files count as zero.
        let side = |pick: fn(&FileDelta) -> Option<Counts>| -> Vec<FileCoverage> {
            self.files
                .iter()
                .map(|r| FileCoverage {
                    path: r.path.clone(),
                    counts: pick(r).unwrap_or_default(),
                    ..Default::default()
                })
                .collect()
        };
        let base = build_tree(&side(|r| r.base));
        let current = build_tree(&side(|r| r.current));
        zip(base, current)
    }
}

fn zip(base: TreeNode, current: TreeNode) -> CompareNode {
    CompareNode {
        name: current.name,
        path: current.path,
        base: base.counts,
        current: current.counts,
        row: current.file,
        children: base
            .children
            .into_iter()
            .zip(current.children)
            .map(|(b, c)| zip(b, c))
            .collect(),
    }
}

/// A directory or file of the comparison tree.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CompareNode {
    /// Last path component (a collapsed chain of directories keeps the whole chain).
    pub name: String,
    /// Full path from the root; empty for the root.
    pub path: String,
    /// Sum of the baseline counts below (files absent from the baseline add nothing).
    pub base: Counts,
    /// Sum of the current counts below.
    pub current: Counts,
    /// Sub-directories first, then files, each in human order.
    pub children: Vec<CompareNode>,
    /// For a file: its index in [`Comparison::files`].
    pub row: Option<usize>,
}

impl CompareNode {
    /// Percentage in the baseline; `None` when no file below was in it.
    pub fn base_percent(&self, c: &Comparison) -> Option<f64> {
        (self.base.files > 0).then(|| c.base_percent(&self.base))
    }

    /// Percentage now; `None` when no file below is in the current report.
    pub fn current_percent(&self, c: &Comparison) -> Option<f64> {
        (self.current.files > 0).then(|| c.current_percent(&self.current))
    }

    /// Change in percentage points, when both sides have files.
    pub fn delta_pp(&self, c: &Comparison) -> Option<f64> {
        Some(self.current_percent(c)? - self.base_percent(c)?)
    }

    /// Finds the node at `path`.
    pub fn find(&self, path: &str) -> Option<&CompareNode> {
        if self.path == path {
            return Some(self);
        }
        self.children.iter().find_map(|c| c.find(path))
    }

    /// Every directory below and including this one, depth first.
    pub fn directories(&self) -> Vec<&CompareNode> {
        let mut out = Vec::new();
        let mut stack = vec![self];
        while let Some(n) = stack.pop() {
            if n.row.is_none() {
                out.push(n);
                stack.extend(n.children.iter().rev());
            }
        }
        out
    }
}

/// Compares `current` with `base` on one metric both carry (see [`common_metric`]).
/// Files are matched by their path (relative to each report's root).
pub fn compare(
    base: &Report,
    current: &Report,
    opts: CompareOptions,
) -> Result<Comparison, CompareError> {
    let metric = common_metric(base, current, opts.metric)?;
    let metrics: Vec<Metric> = std::iter::once(metric)
        .chain(
            current
                .metrics
                .iter()
                .copied()
                .filter(|&m| m != metric && base.carries(m)),
        )
        .collect();
    let basis = Basis {
        metric,
        base: base.rules(),
        current: current.rules(),
        opts,
    };
    let mut warnings = Vec::new();
    if base.source.tool != current.source.tool {
        warnings.push(format!(
            "the reports come from different tools ({} and {}): compared on {} only, which both \
             measure, each counted by its own tool",
            base.source.tool.name(),
            current.source.tool.name(),
            metric.key()
        ));
    } else if base.source.format != current.source.format {
        warnings.push(format!(
            "the reports come in different formats ({} and {}) of the same tool",
            base.source.format, current.source.format
        ));
    }
    if base.source.tool == current.source.tool
        && metric == Metric::Combined
        && base.source.branch_coverage != current.source.branch_coverage
    {
        warnings.push(
            "branch coverage was measured in only one of the reports: the combined percentages \
             are not like for like; compare the statements-only figures"
                .to_string(),
        );
    }
    let base_files = index(base, "baseline", &mut warnings);
    let current_files = index(current, "current report", &mut warnings);

    let mut files: Vec<FileDelta> = Vec::with_capacity(base_files.len().max(current_files.len()));
    for (path, &c) in &current_files {
        files.push(file_delta(
            path,
            base_files.get(path).copied(),
            Some(c),
            &basis,
        ));
    }
    for (path, &b) in &base_files {
        if !current_files.contains_key(path) {
            files.push(file_delta(path, Some(b), None, &basis));
        }
    }
    files.sort_by(|a, b| human_cmp(&a.path, &b.path));

    let mut summary = StatusCounts::default();
    for f in &files {
        match f.status {
            FileStatus::Added => summary.added += 1,
            FileStatus::Removed => summary.removed += 1,
            FileStatus::Changed => summary.changed += 1,
            FileStatus::Unchanged => summary.unchanged += 1,
        }
        summary.regressions += usize::from(f.regression);
        summary.below_floor += usize::from(f.below_floor);
        summary.newly_below_floor += usize::from(f.newly_below_floor);
    }
    Ok(Comparison {
        options: opts,
        metric,
        totals: TotalsDelta::between(
            &base.totals(),
            &current.totals(),
            metric,
            &metrics,
            (basis.base, basis.current),
        ),
        metrics,
        rules: basis.current,
        base_rules: basis.base,
        files,
        summary,
        warnings,
    })
}

/// What each file is judged on.
struct Basis {
    metric: Metric,
    base: &'static Rules,
    current: &'static Rules,
    opts: CompareOptions,
}

/// The files of `r` by path. A path listed twice keeps its first entry (the totals still
/// count both, as the report's own totals do).
fn index<'a>(
    r: &'a Report,
    which: &str,
    warnings: &mut Vec<String>,
) -> HashMap<&'a str, &'a FileCoverage> {
    let mut m = HashMap::with_capacity(r.files.len());
    for f in &r.files {
        if m.contains_key(f.path.as_str()) {
            warnings.push(format!(
                "the {which} lists {:?} more than once; only its first entry is compared",
                f.path
            ));
        } else {
            m.insert(f.path.as_str(), f);
        }
    }
    m
}

fn file_delta(
    path: &str,
    base: Option<&FileCoverage>,
    current: Option<&FileCoverage>,
    basis: &Basis,
) -> FileDelta {
    let (m, opts) = (basis.metric, basis.opts);
    let count = m.count_basis();
    let bc = base.map(|f| f.counts);
    let cc = current.map(|f| f.counts);
    let status = match (base, current) {
        (None, _) => FileStatus::Added,
        (_, None) => FileStatus::Removed,
        (Some(b), Some(c)) if same_coverage(b, c) => FileStatus::Unchanged,
        _ => FileStatus::Changed,
    };
    let base_percent = bc.map(|c| basis.base.percent(&c, m));
    let current_percent = cc.map(|c| basis.current.percent(&c, m));
    let delta_pp = base_percent.zip(current_percent).map(|(b, c)| c - b);

    let mut row = FileDelta {
        path: path.to_string(),
        status,
        base_percent,
        current_percent,
        delta_pp,
        base_covered: bc.map(|c| c.get(count).covered),
        current_covered: cc.map(|c| c.get(count).covered),
        covered_delta: signed(cc.map_or(0, |c| c.get(count).covered))
            - signed(bc.map_or(0, |c| c.get(count).covered)),
        newly_missing: Vec::new(),
        newly_covered: Vec::new(),
        newly_missing_ranges: String::new(),
        newly_covered_ranges: String::new(),
        statements_changed: false,
        regression: match (bc, cc) {
            (Some(b), Some(c)) => fell_more_than(
                fraction(&b, m, basis.base),
                fraction(&c, m, basis.current),
                opts.regression_pp,
            ),
            _ => false,
        },
        below_floor: false,
        newly_below_floor: false,
        base: bc,
        current: cc,
    };
    if let Some(c) = cc {
        let floor = |r: &Rules, c: &Counts| {
            let empty = c.get(m).total == 0 || (m == Metric::Combined && c.statements.total == 0);
            empty || r.passes(r.percent(c, m), opts.floor.percent, opts.floor.precision)
        };
        row.below_floor = !floor(basis.current, &c);
        row.newly_below_floor = row.below_floor && bc.is_none_or(|b| floor(basis.base, &b));
    }
    if let (Some(b), Some(c)) = (base, current) {
        let b_stmts = statements(b);
        let c_stmts = statements(c);
        if b_stmts == c_stmts {
            row.newly_missing = intersect(&c.missing_lines, &b.executed_lines);
            row.newly_covered = intersect(&c.executed_lines, &b.missing_lines);
            row.newly_missing_ranges = ranges(&row.newly_missing, &c_stmts);
            row.newly_covered_ranges = ranges(&row.newly_covered, &c_stmts);
        } else {
            row.statements_changed = true;
        }
    }
    row
}

/// Same counts, same statement lines, same branch arcs.
fn same_coverage(a: &FileCoverage, b: &FileCoverage) -> bool {
    a.counts == b.counts
        && a.executed_lines == b.executed_lines
        && a.missing_lines == b.missing_lines
        && a.executed_branches == b.executed_branches
        && a.missing_branches == b.missing_branches
}

/// The statement lines (executed ∪ missing), ascending, without repeats.
fn statements(f: &FileCoverage) -> Vec<u32> {
    let mut s: Vec<u32> = f
        .executed_lines
        .iter()
        .chain(&f.missing_lines)
        .copied()
        .collect();
    s.sort_unstable();
    s.dedup();
    s
}

/// Lines in both ascending lists, ascending and without repeats.
fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = Vec::new();
    let (mut i, mut j) = (0, 0);
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        match x.cmp(&y) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                if out.last() != Some(&x) {
                    out.push(x);
                }
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// `lines` as `coverage report -m` ranges over the file's statements.
fn ranges(lines: &[u32], statements: &[u32]) -> String {
    missing_ranges(
        &FileCoverage {
            executed_lines: statements.to_vec(),
            missing_lines: lines.to_vec(),
            ..Default::default()
        },
        false,
    )
}

/// Metric `m` of `c` as a fraction (numerator, denominator), following the tool's
/// convention for nothing to measure (coverage.py: no statements is 100%).
fn fraction(c: &Counts, m: Metric, rules: &Rules) -> (f64, f64) {
    let t = c.get(m);
    if t.total == 0 || (m == Metric::Combined && c.statements.total == 0) {
        (rules.percent(c, m) / 100.0, 1.0)
    } else {
        (t.covered as f64, t.total as f64)
    }
}

/// Whether a percentage fell from fraction `b` to `c` by more than `pp` points, judged
/// on the fractions rather than on two rounded percentages, so that a fall of exactly `pp`
/// is not flagged through float error: 100·(cn·bd − bn·cd) < −pp·cd·bd.
fn fell_more_than(b: (f64, f64), c: (f64, f64), pp: f64) -> bool {
    let (bn, bd) = b;
    let (cn, cd) = c;
    // Every product is an exact integer in f64 while it stays below 2^53, far above any
    // real report's counts; only pp·den rounds, once. Hostile counts cannot overflow here.
    let lhs = 100.0 * (cn * bd - bn * cd);
    lhs < -pp.max(0.0) * (cd * bd)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(stmts: u64, covered: u64, branches: u64, cb: u64) -> (f64, f64) {
        fraction(
            &Counts::coveragepy(stmts, covered, branches, cb),
            Metric::Combined,
            &crate::rules::COVERAGEPY,
        )
    }

    #[test]
    fn intersect_sorted_lists() {
        assert_eq!(intersect(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), [3, 7]);
        assert_eq!(intersect(&[1, 1, 2], &[1, 1, 2]), [1, 2]);
        assert!(intersect(&[], &[1]).is_empty());
    }

    #[test]
    fn regression_is_judged_on_exact_fractions() {
        // 80% → 79.5%: a fall of exactly 0.5 pp is not "more than 0.5".
        let b = counts(10, 8, 0, 0);
        let c = counts(200, 159, 0, 0);
        assert!(!fell_more_than(b, c, 0.5));
        assert!(fell_more_than(b, c, 0.49));
        assert!(fell_more_than(b, c, 0.0));
        // 1/3 → 1/6: −16.666… pp.
        let b = counts(3, 1, 0, 0);
        let c = counts(6, 1, 0, 0);
        assert!(fell_more_than(b, c, 16.6));
        assert!(!fell_more_than(b, c, 16.7));
        // Equal ratios never regress, nor do rises.
        assert!(!fell_more_than(counts(4, 2, 0, 0), counts(8, 4, 0, 0), 0.0));
        assert!(!fell_more_than(counts(4, 1, 0, 0), counts(4, 2, 0, 0), 0.0));
        // No statements is 100%, as coverage.py says: to 0 statements is no fall.
        assert!(!fell_more_than(counts(4, 1, 0, 0), counts(0, 0, 0, 0), 0.0));
        assert!(fell_more_than(counts(0, 0, 0, 0), counts(4, 3, 0, 0), 24.9));
        // Branches count, as in the combined figure: (8+2)/(10+4) → (8+0)/(10+4).
        assert!(fell_more_than(
            counts(10, 8, 4, 2),
            counts(10, 8, 4, 0),
            14.0
        ));
        assert!(!fell_more_than(
            counts(10, 8, 4, 2),
            counts(10, 8, 4, 0),
            14.3
        ));
    }
}
