//! The format-neutral model: a [`Report`] of [`FileCoverage`]s, each with its line data,
//! branches, functions and a counts-only [`Counts`] summary, whatever tool wrote it.
//!
//! Like coverage.py's `Numbers`, only counts are stored: one [`Tally`] (covered of total)
//! per [`Metric`] the report carries. Every percentage is derived on demand by the
//! report's [`Rules`], so sums of files always equal totals and no
//! rounding is ever compounded.

use crate::rules::{Rules, Tool};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign};

/// What a coverage figure counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// coverage.py's `percent_covered`: statements and branches together.
    Combined,
    /// Executable statements (coverage.py, Istanbul, Go).
    Statements,
    /// Executable lines (LCOV, Istanbul, llvm-cov, Cobertura, JaCoCo, gcovr).
    Lines,
    /// Branches: coverage.py arcs, LCOV BRDA, Istanbul branch locations, JaCoCo branches.
    Branches,
    /// Functions (LCOV FN, Istanbul fnMap, llvm-cov functions).
    Functions,
    /// llvm-cov code regions.
    Regions,
    /// llvm-cov function instantiations (each template or generic copy counted apart).
    Instantiations,
    /// JaCoCo bytecode instructions.
    Instructions,
    /// JaCoCo methods.
    Methods,
    /// JaCoCo classes.
    Classes,
    /// JaCoCo cyclomatic complexity (paths).
    Complexity,
}

impl Metric {
    /// Every metric, in the order covgap lists them.
    pub const ALL: [Metric; 11] = [
        Metric::Combined,
        Metric::Statements,
        Metric::Lines,
        Metric::Branches,
        Metric::Functions,
        Metric::Regions,
        Metric::Instantiations,
        Metric::Instructions,
        Metric::Methods,
        Metric::Classes,
        Metric::Complexity,
    ];

    /// Its key in JSON and plan files: `statements`, `lines`, `branches`, ….
    pub fn key(self) -> &'static str {
        match self {
            Metric::Combined => "combined",
            Metric::Statements => "statements",
            Metric::Lines => "lines",
            Metric::Branches => "branches",
            Metric::Functions => "functions",
            Metric::Regions => "regions",
            Metric::Instantiations => "instantiations",
            Metric::Instructions => "instructions",
            Metric::Methods => "methods",
            Metric::Classes => "classes",
            Metric::Complexity => "complexity",
        }
    }

    /// The metric named `key` (as [`Metric::key`] writes it).
    pub fn from_key(key: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.key() == key)
    }

    /// The word for one unit of it: `statement`, `line`, `branch`, `function`, ….
    /// Combined counts statements and branches together: `statement or branch`.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::Combined => "statement or branch",
            Metric::Statements => "statement",
            Metric::Lines => "line",
            Metric::Branches => "branch",
            Metric::Functions => "function",
            Metric::Regions => "region",
            Metric::Instantiations => "instantiation",
            Metric::Instructions => "instruction",
            Metric::Methods => "method",
            Metric::Classes => "class",
            Metric::Complexity => "complexity path",
        }
    }

    /// `n` units in words: `1 statement`, `3 branches`, `2 classes`.
    pub fn units(self, n: u64) -> String {
        let u = self.unit();
        if n == 1 {
            format!("1 {u}")
        } else if u.ends_with("ch") || u.ends_with("ss") {
            format!("{n} {u}es")
        } else if self == Metric::Combined {
            format!("{n} statements or branches")
        } else {
            format!("{n} {u}s")
        }
    }

    /// The metric whose counts stand beside its percentage in a table: statements for
    /// coverage.py's combined figure (as `coverage report` shows Stmts and Miss), the
    /// metric itself otherwise.
    pub fn count_basis(self) -> Metric {
        match self {
            Metric::Combined => Metric::Statements,
            m => m,
        }
    }

    /// Its name as a column heading: `Statements`, `Lines`, ….
    pub fn title(self) -> &'static str {
        match self {
            Metric::Combined => "Combined",
            Metric::Statements => "Statements",
            Metric::Lines => "Lines",
            Metric::Branches => "Branches",
            Metric::Functions => "Functions",
            Metric::Regions => "Regions",
            Metric::Instantiations => "Instantiations",
            Metric::Instructions => "Instructions",
            Metric::Methods => "Methods",
            Metric::Classes => "Classes",
            Metric::Complexity => "Complexity",
        }
    }
}

impl fmt::Display for Metric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// How many of something are covered, of how many. Adds; the percentage is derived.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Tally {
    /// Covered (hit, executed, taken).
    pub covered: u64,
    /// All there are.
    pub total: u64,
}

impl Tally {
    /// `covered` of `total`.
    pub const fn new(covered: u64, total: u64) -> Tally {
        Tally { covered, total }
    }

    /// Not covered; never negative, even for a report whose covered exceeds its total.
    pub fn missing(&self) -> u64 {
        self.total.saturating_sub(self.covered)
    }

    /// This tally with `extra` more covered (capped by what is missing).
    pub fn with_covered(self, extra: u64) -> Tally {
        Tally {
            covered: self.covered + extra.min(self.missing()),
            ..self
        }
    }
}

impl Add for Tally {
    type Output = Tally;
    fn add(self, o: Tally) -> Tally {
        Tally {
            covered: self.covered + o.covered,
            total: self.total + o.total,
        }
    }
}

impl AddAssign for Tally {
    fn add_assign(&mut self, o: Tally) {
        *self = *self + o;
    }
}

/// Counts for one file, a directory, or a whole report: one [`Tally`] per metric, plus
/// coverage.py's excluded lines and partial branch lines. They add; percentages are
/// derived by the report's rules.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Number of files summed into these counts.
    pub files: u64,
    /// Statements (coverage.py `num_statements` / `covered_lines`; Istanbul `s`; Go).
    pub statements: Tally,
    /// Lines (LCOV `LF`/`LH`, Istanbul lines, llvm-cov, Cobertura, JaCoCo `LINE`).
    pub lines: Tally,
    /// Branches (coverage.py arcs, LCOV `BRF`/`BRH`, Istanbul `b`, JaCoCo `BRANCH`).
    pub branches: Tally,
    /// Functions (LCOV `FNF`/`FNH`, Istanbul `f`, llvm-cov functions).
    pub functions: Tally,
    /// llvm-cov regions.
    pub regions: Tally,
    /// llvm-cov instantiations.
    pub instantiations: Tally,
    /// JaCoCo `INSTRUCTION`.
    pub instructions: Tally,
    /// JaCoCo `METHOD`.
    pub methods: Tally,
    /// JaCoCo `CLASS`.
    pub classes: Tally,
    /// JaCoCo `COMPLEXITY`.
    pub complexity: Tally,
    /// Lines excluded from measurement (coverage.py `excluded_lines`).
    pub excluded: u64,
    /// Lines with some branches taken and some not (coverage.py `num_partial_branches`).
    pub partial_branches: u64,
}

impl Counts {
    /// coverage.py counts for one file: statements and branches and how many of each are
    /// covered (nothing excluded, no partial lines).
    pub fn coveragepy(
        statements: u64,
        covered: u64,
        branches: u64,
        covered_branches: u64,
    ) -> Counts {
        Counts {
            files: 1,
            statements: Tally::new(covered, statements),
            branches: Tally::new(covered_branches, branches),
            ..Counts::default()
        }
    }

    /// The tally of `m`. [`Metric::Combined`] is statements and branches added, as
    /// coverage.py adds them.
    pub fn get(&self, m: Metric) -> Tally {
        match m {
            Metric::Combined => self.statements + self.branches,
            Metric::Statements => self.statements,
            Metric::Lines => self.lines,
            Metric::Branches => self.branches,
            Metric::Functions => self.functions,
            Metric::Regions => self.regions,
            Metric::Instantiations => self.instantiations,
            Metric::Instructions => self.instructions,
            Metric::Methods => self.methods,
            Metric::Classes => self.classes,
            Metric::Complexity => self.complexity,
        }
    }

    /// The tally of `m`, to change. Combined is not stored (it is derived): `None`.
    pub fn get_mut(&mut self, m: Metric) -> Option<&mut Tally> {
        Some(match m {
            Metric::Combined => return None,
            Metric::Statements => &mut self.statements,
            Metric::Lines => &mut self.lines,
            Metric::Branches => &mut self.branches,
            Metric::Functions => &mut self.functions,
            Metric::Regions => &mut self.regions,
            Metric::Instantiations => &mut self.instantiations,
            Metric::Instructions => &mut self.instructions,
            Metric::Methods => &mut self.methods,
            Metric::Classes => &mut self.classes,
            Metric::Complexity => &mut self.complexity,
        })
    }

    /// These counts with what went from `from` to `to` covered added, metric by metric
    /// (totals unchanged): the whole report once one part of it improves.
    pub fn with_gain(&self, from: &Counts, to: &Counts) -> Counts {
        let mut out = *self;
        for m in Metric::ALL {
            let gain = to.get(m).covered.saturating_sub(from.get(m).covered);
            if let Some(t) = out.get_mut(m) {
                *t = t.with_covered(gain);
            }
        }
        out.partial_branches = out.partial_branches.min(out.branches.missing());
        out
    }

    /// Whether nothing measured is missing, on any metric.
    pub fn is_fully_covered(&self) -> bool {
        Metric::ALL.iter().all(|&m| self.get(m).missing() == 0)
    }

    /// Whether there is nothing to measure at all (every total is 0).
    pub fn is_empty(&self) -> bool {
        Metric::ALL.iter().all(|&m| self.get(m).total == 0)
    }
}

/// 100 × n / d computed the way coverage.py (and most tools) do it: multiply first, then
/// divide, so the result is bit-for-bit the tool's float; 100.0 when d is 0.
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
        self.lines += o.lines;
        self.branches += o.branches;
        self.functions += o.functions;
        self.regions += o.regions;
        self.instantiations += o.instantiations;
        self.instructions += o.instructions;
        self.methods += o.methods;
        self.classes += o.classes;
        self.complexity += o.complexity;
        self.excluded += o.excluded;
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

/// The branches that start on one line, for formats that count them per line (LCOV
/// `BRDA`, Cobertura `condition-coverage`, JaCoCo `mb`/`cb`, Istanbul, llvm-cov).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LineBranches {
    /// The line.
    pub line: u32,
    /// Branches taken at least once.
    pub taken: u32,
    /// Branches in all.
    pub total: u32,
}

/// A function, method or class: a region of a file with its own coverage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Region {
    /// What it is.
    pub kind: RegionKind,
    /// Name as the tool wrote it (may carry coverage.py's `@line` suffix, or a mangled
    /// or qualified name).
    pub name: String,
    /// First line, when the format says.
    pub start_line: Option<u32>,
    /// Times it was entered, where the format counts them (LCOV `FNDA`, Istanbul `f`,
    /// llvm-cov function count). `None` where the format has only line counts.
    pub hits: Option<u64>,
    /// Its own counts, where the format has them (coverage.py regions, JaCoCo methods).
    pub counts: Counts,
    /// Its missing statement lines (coverage.py regions).
    pub missing_lines: Vec<u32>,
}

impl Region {
    /// Whether it ran at all: entered at least once, or any of its lines executed.
    pub fn is_covered(&self) -> bool {
        match self.hits {
            Some(h) => h > 0,
            None => self.counts.statements.covered + self.counts.lines.covered > 0,
        }
    }
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
    /// The path, relative to the report's [`Report::root`] when the report wrote absolute
    /// paths with a common root; otherwise as the report wrote it.
    pub path: String,
    /// The file's counts, as the tool summarised them.
    pub counts: Counts,
    /// Executed (covered) statement or line numbers, ascending.
    pub executed_lines: Vec<u32>,
    /// Hit counts of `executed_lines`, position by position, where the format counts
    /// hits (LCOV, Istanbul, Go count mode, llvm-cov, Cobertura); empty otherwise.
    pub line_hits: Vec<u64>,
    /// Missing statement or line numbers, ascending.
    pub missing_lines: Vec<u32>,
    /// Excluded lines, ascending (coverage.py).
    pub excluded_lines: Vec<u32>,
    /// Branch arcs taken (coverage.py).
    pub executed_branches: Vec<Arc>,
    /// Branch arcs never taken (coverage.py).
    pub missing_branches: Vec<Arc>,
    /// Branches per line, ascending by line, for formats that count them per line.
    pub line_branches: Vec<LineBranches>,
    /// Per-line test contexts, when the report has them: (line, contexts).
    pub contexts: Vec<(u32, Vec<String>)>,
    /// Functions and classes, when the format has them (and, for coverage.py, when
    /// loaded).
    pub regions: Vec<Region>,
}

impl FileCoverage {
    /// The hit count of `line` when the format counts hits (`counted`: the report's
    /// [`Source::hit_counts`]): `Some(0)` for a missing line, `None` for a line that is not
    /// measured or a format without counts.
    pub fn hits(&self, line: u32, counted: bool) -> Option<u64> {
        if !counted {
            return None;
        }
        if let Ok(i) = self.executed_lines.binary_search(&line) {
            return self.line_hits.get(i).copied();
        }
        self.missing_lines.binary_search(&line).ok().map(|_| 0)
    }
}

/// Which tool and format wrote a report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Source {
    /// Short machine name of the format, e.g. `coverage.py-json`, `lcov`, `jacoco-xml`.
    pub format: &'static str,
    /// The tool whose numbers and rules the report carries.
    pub tool: Tool,
    /// The format's own version, where it has one (coverage.py's `meta.format`: 1, 2 or
    /// 3; llvm-cov's export version).
    pub format_version: Option<String>,
    /// The program that wrote the file and its version, when the file says
    /// (`coverage.py 7.17.3`, `gcovr 5.2`).
    pub tool_version: Option<String>,
    /// When the report was written, as the tool wrote it.
    pub timestamp: Option<String>,
    /// Whether branch coverage was measured.
    pub branch_coverage: bool,
    /// Whether the report carries per-line test contexts.
    pub show_contexts: bool,
    /// Whether the report has totals and per-file counts only, no line data
    /// (Istanbul `coverage-summary.json`, `llvm-cov export -summary-only`).
    pub summary_only: bool,
    /// Whether lines carry hit counts (LCOV, Istanbul, llvm-cov, Go count mode, gcovr's
    /// and Istanbul's Cobertura), not just covered or not.
    pub hit_counts: bool,
}

impl Source {
    /// A source for `tool` writing `format`, everything else unknown.
    pub fn new(format: &'static str, tool: Tool) -> Source {
        Source {
            format,
            tool,
            format_version: None,
            tool_version: None,
            timestamp: None,
            branch_coverage: false,
            show_contexts: false,
            summary_only: false,
            hit_counts: false,
        }
    }
}

/// A whole coverage report in covgap's neutral form.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Who wrote it, how.
    pub source: Source,
    /// The metrics it carries, in the order its tool lists them.
    pub metrics: Vec<Metric>,
    /// The directory the report's absolute paths were made relative to, when they had
    /// one in common (`/build/js/qs-6.17.1/`); `None` when paths are shown as written.
    pub root: Option<String>,
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

    /// The rules of the tool that wrote it: formula, display and gate.
    pub fn rules(&self) -> &'static Rules {
        self.source
            .tool
            .rules_for(self.source.tool_version.as_deref())
    }

    /// The metric its tool leads with (coverage.py's combined figure, Istanbul's and
    /// LCOV's lines, JaCoCo's instructions, Go's statements).
    pub fn headline(&self) -> Metric {
        let h = self.rules().headline;
        if self.carries(h) {
            h
        } else {
            self.metrics.first().copied().unwrap_or(h)
        }
    }

    /// Whether the report measures `m`.
    pub fn carries(&self, m: Metric) -> bool {
        self.metrics.contains(&m)
    }

    /// The path as the report wrote it (the root put back).
    pub fn original_path(&self, f: &FileCoverage) -> String {
        match &self.root {
            // Paths outside the root (system headers) stayed absolute.
            Some(r) if !crate::formats::paths::is_absolute(&f.path) => format!("{r}{}", f.path),
            _ => f.path.clone(),
        }
    }
}
