//! The format-neutral model: a [`Report`] of [`FileCoverage`]s, each with its line sets,
//! branch arcs and a counts-only [`Counts`] summary.
//!
//! Like coverage.py's `Numbers`, only counts are stored; every percentage is derived from
//! them on demand, so sums of files always equal totals and no rounding is ever compounded.

use serde::Serialize;
use std::ops::{Add, AddAssign};

/// Which tool and format wrote a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Short machine name of the format, e.g. `coverage.py-json`.
    pub format: &'static str,
    /// The format's own version (coverage.py's `meta.format`: 1, 2 or 3).
    pub format_version: u32,
    /// Version of the tool that wrote the report, when it says (`meta.version`).
    pub tool_version: Option<String>,
    /// When the report was written, as the tool wrote it (`meta.timestamp`).
    pub timestamp: Option<String>,
    /// Whether branch coverage was measured.
    pub branch_coverage: bool,
    /// Whether the report carries per-line test contexts.
    pub show_contexts: bool,
}

/// Counts for one file, a directory, or a whole report. They add; percentages are derived.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Number of files summed into these counts.
    pub files: u64,
    /// Executable statements (coverage.py `num_statements`).
    pub statements: u64,
    /// Statements executed (`covered_lines`).
    pub covered: u64,
    /// Statements never executed (`missing_lines`).
    pub missing: u64,
    /// Lines excluded from measurement (`excluded_lines`).
    pub excluded: u64,
    /// Possible branch arcs (`num_branches`).
    pub branches: u64,
    /// Branch arcs taken (`covered_branches`).
    pub covered_branches: u64,
    /// Branch arcs never taken (`missing_branches`).
    pub missing_branches: u64,
    /// Branch lines with at least one arc never taken (`num_partial_branches`).
    pub partial_branches: u64,
}

impl Counts {
    /// One file's counts from statements and branches and how many of each are covered
    /// (missing ones derived; nothing excluded, no partial lines). Saturates rather than
    /// underflows if `covered` exceeds the total.
    pub fn new(statements: u64, covered: u64, branches: u64, covered_branches: u64) -> Counts {
        Counts {
            files: 1,
            statements,
            covered,
            missing: statements.saturating_sub(covered),
            branches,
            covered_branches,
            missing_branches: branches.saturating_sub(covered_branches),
            ..Counts::default()
        }
    }

    /// coverage.py's `percent_covered`: 100 × (covered + covered branches) / (statements +
    /// branches), combining statements and branches; 100.0 when there are no statements.
    pub fn percent_covered(&self) -> f64 {
        if self.statements == 0 {
            return 100.0;
        }
        percent(
            self.covered + self.covered_branches,
            self.statements + self.branches,
        )
    }

    /// Statements only: 100 × covered / statements (coverage.py
    /// `percent_statements_covered`); 100.0 when there are none.
    pub fn percent_statements(&self) -> f64 {
        percent(self.covered, self.statements)
    }

    /// Branches only: 100 × covered branches / branches (coverage.py
    /// `percent_branches_covered`); 100.0 when there are none.
    pub fn percent_branches(&self) -> f64 {
        percent(self.covered_branches, self.branches)
    }

    /// The numerator of [`Counts::percent_covered`]: statements plus branches covered.
    pub fn covered_units(&self) -> u64 {
        self.covered + self.covered_branches
    }

    /// The denominator of [`Counts::percent_covered`]: statements plus branches.
    pub fn total_units(&self) -> u64 {
        self.statements + self.branches
    }

    /// Whether every statement and branch is covered.
    pub fn is_fully_covered(&self) -> bool {
        self.missing == 0 && self.missing_branches == 0
    }

    /// These counts with `extra` more statements covered (capped by what is missing).
    pub fn with_covered_statements(mut self, extra: u64) -> Counts {
        let k = extra.min(self.missing);
        self.covered += k;
        self.missing -= k;
        self
    }
}

/// 100 × n / d computed the way coverage.py does (multiply first, then divide), so the
/// result is bit-for-bit coverage.py's float; 100.0 when d is 0.
pub fn percent(n: u64, d: u64) -> f64 {
    if d == 0 {
        100.0
    } else {
        (100.0 * n as f64) / d as f64
    }
}

impl Add for Counts {
    type Output = Counts;
    fn add(mut self, o: Counts) -> Counts {
        self += o;
        self
    }
}

impl AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.files += o.files;
        self.statements += o.statements;
        self.covered += o.covered;
        self.missing += o.missing;
        self.excluded += o.excluded;
        self.branches += o.branches;
        self.covered_branches += o.covered_branches;
        self.missing_branches += o.missing_branches;
        self.partial_branches += o.partial_branches;
    }
}

impl std::iter::Sum for Counts {
    fn sum<I: Iterator<Item = Counts>>(iter: I) -> Counts {
        iter.fold(Counts::default(), Add::add)
    }
}

impl<'a> std::iter::Sum<&'a Counts> for Counts {
    fn sum<I: Iterator<Item = &'a Counts>>(iter: I) -> Counts {
        iter.copied().sum()
    }
}

/// A branch arc: from a line to a line, or to an exit of the code object when `to` is
/// negative (coverage.py writes `-start_line` of the function being left).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Arc {
    /// The branch line.
    pub from: i32,
    /// The destination line; negative means "exit".
    pub to: i32,
}

/// A function or class region (coverage.py 7.6+), loaded only on request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Region {
    /// `function` or `class`.
    pub kind: RegionKind,
    /// Qualified name as the tool wrote it (may carry an `@line` suffix).
    pub name: String,
    /// First line of the region (coverage.py 7.13.1+).
    pub start_line: Option<u32>,
    /// The region's own counts.
    pub counts: Counts,
    /// Missing statements of the region.
    pub missing_lines: Vec<u32>,
}

/// What a [`Region`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RegionKind {
    /// A function or method.
    Function,
    /// A class.
    Class,
}

/// One measured source file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FileCoverage {
    /// The path as the report wrote it.
    pub path: String,
    /// The file's counts, as the tool summarised them.
    pub counts: Counts,
    /// Executed statement lines, ascending.
    pub executed_lines: Vec<u32>,
    /// Missing statement lines, ascending.
    pub missing_lines: Vec<u32>,
    /// Excluded lines, ascending.
    pub excluded_lines: Vec<u32>,
    /// Branch arcs taken.
    pub executed_branches: Vec<Arc>,
    /// Branch arcs never taken.
    pub missing_branches: Vec<Arc>,
    /// Per-line test contexts, when the report has them: (line, contexts).
    pub contexts: Vec<(u32, Vec<String>)>,
    /// Function and class regions, when loaded.
    pub regions: Vec<Region>,
}

/// A whole coverage report in covgap's neutral form.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Who wrote it, how.
    pub source: Source,
    /// The files, in the report's order.
    pub files: Vec<FileCoverage>,
    /// The totals the report itself declared, when it had any.
    pub declared_totals: Option<Counts>,
    /// Things worth telling the user about this report (disagreements, repairs).
    pub warnings: Vec<String>,
}

impl Report {
    /// The totals recomputed from the files: what every view shows.
    pub fn totals(&self) -> Counts {
        self.files.iter().map(|f| &f.counts).sum()
    }
}
