//! Each tool's own rules: which figure it leads with, how it computes and displays a
//! percentage, and how its gate decides pass or fail against a threshold.
//!
//! A report carries its [`Tool`]; everything covgap shows or judges asks the report's
//! [`Rules`], never a hard-coded formula. The rules, with the source of each, are listed in
//! `docs/formats/`.

use crate::display::{display_percent, round_to};
use crate::model::{percent, Counts, Metric, Tally};
use serde::Serialize;

/// The tool whose numbers a report carries, and so whose rules judge it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Tool {
    /// coverage.py (its JSON, or its Cobertura XML).
    CoveragePy,
    /// Istanbul: nyc, c8, Jest, Vitest.
    Istanbul,
    /// LLVM's `llvm-cov` (and cargo-llvm-cov).
    LlvmCov,
    /// An LCOV tracefile, summarised as `lcov --summary` and genhtml do.
    Lcov,
    /// gcovr.
    Gcovr,
    /// A Cobertura XML report from a writer covgap does not know by name.
    Cobertura,
    /// JaCoCo.
    JaCoCo,
    /// Go's `go test -coverprofile`, summarised as `go tool cover -func` does.
    Go,
}

impl Tool {
    /// The rules of this tool as its version writes them (coverage.py's `fail_under`
    /// changed in 7.17.1); an unknown version gets the current rules.
    pub fn rules_for(self, version: Option<&str>) -> &'static Rules {
        if self == Tool::CoveragePy && version.is_some_and(|v| version_below(v, &[7, 17, 1])) {
            return &COVERAGEPY_BEFORE_7_17_1;
        }
        self.rules()
    }

    /// The rules of this tool (its current version's).
    pub fn rules(self) -> &'static Rules {
        match self {
            Tool::CoveragePy => &COVERAGEPY,
            Tool::Istanbul => &ISTANBUL,
            Tool::LlvmCov => &LLVM_COV,
            Tool::Lcov => &LCOV,
            Tool::Gcovr => &GCOVR,
            Tool::Cobertura => &COBERTURA,
            Tool::JaCoCo => &JACOCO,
            Tool::Go => &GO,
        }
    }

    /// Its name as people write it: `coverage.py`, `Istanbul`, `llvm-cov`, ….
    pub fn name(self) -> &'static str {
        self.rules().name
    }
}

/// How a tool computes a percentage from covered and total. The order of operations
/// matters to the last bit, and so to every rounding and comparison made afterwards.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Formula {
    /// `100.0 * covered / total`: coverage.py, lcov, Go, JaCoCo's ratio as a percent.
    MulFirst,
    /// `covered / total * 100.0`: llvm-cov, gcovr.
    DivFirst,
    /// istanbul-lib-coverage's `percent()` (3.0.1 and later): `Math.floor((100000 *
    /// covered / total) / 10) / 100`, floored to 2 decimals; the percentage IS that.
    IstanbulFloor,
}

/// How a tool shows a percentage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Display {
    /// coverage.py's `display_covered`: rounded to the chosen precision, but never 0
    /// unless exactly 0 and never 100 unless exactly 100.
    CoveragePy,
    /// As JavaScript prints a number (`99.93`, `50`, `66.6`): Istanbul, whose
    /// percentage is already floored to 2 decimals.
    JsNumber,
    /// `printf("%.Nf")`: rounded to N decimals (llvm-cov 2, Go 1, gcovr 1).
    Fixed(u8),
    /// genhtml and `lcov --summary`: N decimals, but never 0.0 unless nothing is hit and
    /// never 100.0 unless everything is.
    Genhtml(u8),
    /// JaCoCo's HTML report: a whole percent, rounded down.
    FloorInteger,
    /// gcovr 5.2: rounded to 1 decimal, and never above 99.9 unless everything is
    /// covered (`min(99.9, round(percent, 1))`).
    Gcovr,
}

/// How a tool decides that a percentage fails a threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// coverage.py's `fail_under` (7.17.1 and later): fails when `round(percent, p) <
    /// threshold`, p the precision or the threshold's own decimals if more; a threshold
    /// of 100 needs exactly 100.
    RoundedAtPrecision,
    /// coverage.py's `fail_under` before 7.17.1: p is the precision alone.
    RoundedAtPrecisionOnly,
    /// Fails when the tool's own percentage is below the threshold, with no rounding:
    /// Istanbul's `check-coverage` (on its floored percentage), cargo-llvm-cov's
    /// `--fail-under-*`, `lcov --fail-under-lines`, JaCoCo's ratio limits, and covgap for
    /// Go, which has no gate of its own.
    Below,
    /// gcovr's `--fail-under-line`: fails when the percentage as gcovr rounds it (1
    /// decimal, at most 99.9 unless complete) is below the threshold.
    GcovrRounded,
}

/// One tool's rules.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rules {
    /// The tool.
    pub tool: Tool,
    /// Its name as people write it.
    pub name: &'static str,
    /// The figure the tool leads with.
    pub headline: Metric,
    /// How the percentage is computed.
    pub formula: Formula,
    /// The percentage of a metric with nothing to measure (0 of 0).
    pub empty_percent: f64,
    /// How a 0-of-0 figure is shown: `100`, `-`, `n/a`.
    pub empty_display: Option<&'static str>,
    /// How percentages are shown.
    pub display: Display,
    /// How a threshold is judged.
    pub gate: Gate,
    /// The gate in the tool's own words, e.g. `coverage report --fail-under`.
    pub gate_name: &'static str,
}

/// coverage.py before 7.17.1: the same, but `fail_under` rounds the total to the
/// configured precision only.
pub static COVERAGEPY_BEFORE_7_17_1: Rules = Rules {
    gate: Gate::RoundedAtPrecisionOnly,
    ..COVERAGEPY_FIELDS
};

/// coverage.py: `coverage/results.py` (`Numbers.pc_covered`, `display_covered`,
/// `should_fail_under`; 7.17.1 and later).
pub static COVERAGEPY: Rules = COVERAGEPY_FIELDS;

const COVERAGEPY_FIELDS: Rules = Rules {
    tool: Tool::CoveragePy,
    name: "coverage.py",
    headline: Metric::Combined,
    formula: Formula::MulFirst,
    empty_percent: 100.0,
    empty_display: None,
    display: Display::CoveragePy,
    gate: Gate::RoundedAtPrecision,
    gate_name: "coverage report --fail-under",
};

/// Istanbul: istanbul-lib-coverage `percent()`, nyc/c8 `check-coverage`.
pub static ISTANBUL: Rules = Rules {
    tool: Tool::Istanbul,
    name: "Istanbul",
    headline: Metric::Lines,
    formula: Formula::IstanbulFloor,
    empty_percent: 100.0,
    empty_display: None,
    display: Display::JsNumber,
    gate: Gate::Below,
    gate_name: "nyc check-coverage",
};

/// llvm-cov: `llvm-cov report` prints 2 decimals and `-` for nothing to measure;
/// cargo-llvm-cov's `--fail-under-lines` compares the exact percent.
pub static LLVM_COV: Rules = Rules {
    tool: Tool::LlvmCov,
    name: "llvm-cov",
    headline: Metric::Lines,
    formula: Formula::DivFirst,
    empty_percent: 0.0,
    empty_display: Some("-"),
    display: Display::Fixed(2),
    gate: Gate::Below,
    gate_name: "cargo llvm-cov --fail-under-lines",
};

/// LCOV tracefiles, as `lcov --summary` and genhtml show them.
pub static LCOV: Rules = Rules {
    tool: Tool::Lcov,
    name: "lcov",
    headline: Metric::Lines,
    formula: Formula::MulFirst,
    empty_percent: 100.0,
    empty_display: Some("-"),
    display: Display::Genhtml(1),
    gate: Gate::Below,
    gate_name: "lcov --summary --fail-under-lines",
};

/// gcovr 5.2: `covered / total * 100` rounded to 1 decimal and capped at 99.9 unless
/// complete, in its summaries and in `--fail-under-line`.
pub static GCOVR: Rules = Rules {
    tool: Tool::Gcovr,
    name: "gcovr",
    headline: Metric::Lines,
    formula: Formula::DivFirst,
    empty_percent: 100.0,
    empty_display: Some("--"),
    display: Display::Gcovr,
    gate: Gate::GcovrRounded,
    gate_name: "gcovr --fail-under-line",
};

/// A Cobertura XML of an unknown writer: its `line-rate` as a percentage, 1 decimal.
pub static COBERTURA: Rules = Rules {
    tool: Tool::Cobertura,
    name: "Cobertura",
    headline: Metric::Lines,
    formula: Formula::MulFirst,
    empty_percent: 100.0,
    empty_display: None,
    display: Display::Fixed(1),
    gate: Gate::Below,
    gate_name: "line-rate below the threshold",
};

/// JaCoCo: the HTML report floors to a whole percent and shows `n/a` for nothing to
/// measure; its check rules compare the ratio itself.
pub static JACOCO: Rules = Rules {
    tool: Tool::JaCoCo,
    name: "JaCoCo",
    headline: Metric::Instructions,
    formula: Formula::MulFirst,
    empty_percent: 100.0,
    empty_display: Some("n/a"),
    display: Display::FloorInteger,
    gate: Gate::Below,
    gate_name: "jacoco:check COVEREDRATIO minimum",
};

/// Go: `go tool cover -func` prints `%.1f`; Go has no gate of its own.
pub static GO: Rules = Rules {
    tool: Tool::Go,
    name: "go",
    headline: Metric::Statements,
    formula: Formula::MulFirst,
    empty_percent: 0.0,
    empty_display: None,
    display: Display::Fixed(1),
    gate: Gate::Below,
    gate_name: "total below the threshold (go has no gate of its own)",
};

impl Rules {
    /// The percentage of `m` in `c` by this tool's formula. coverage.py's combined
    /// figure is 100 × (covered statements + covered branches) / (statements +
    /// branches), and 100 when there are no statements.
    pub fn percent(&self, c: &Counts, m: Metric) -> f64 {
        if m == Metric::Combined && c.statements.total == 0 {
            return 100.0;
        }
        self.tally_percent(c.get(m))
    }

    /// 100 × covered / total by the tool's formula, or the tool's figure for 0 of 0.
    pub fn tally_percent(&self, t: Tally) -> f64 {
        if t.total == 0 {
            return self.empty_percent;
        }
        let (c, n) = (t.covered as f64, t.total as f64);
        match self.formula {
            Formula::MulFirst => percent(t.covered, t.total),
            Formula::DivFirst => c / n * 100.0,
            Formula::IstanbulFloor => ((100_000.0 * c) / n / 10.0).floor() / 100.0,
        }
    }

    /// Whether this tool's display depends on a chosen precision (only coverage.py's).
    pub fn uses_precision(&self) -> bool {
        matches!(self.display, Display::CoveragePy)
    }

    /// `m` of `c` shown as the tool shows it (without a `%` sign).
    pub fn show(&self, c: &Counts, m: Metric, precision: u8) -> String {
        let t = c.get(m);
        if t.total == 0 && !(m == Metric::Combined && self.tool == Tool::CoveragePy) {
            if let Some(s) = self.empty_display {
                return s.to_string();
            }
        }
        self.display_percent(self.percent(c, m), precision)
    }

    /// A percentage shown as the tool shows it (without a `%` sign). `precision` is
    /// used only by coverage.py.
    pub fn display_percent(&self, v: f64, precision: u8) -> String {
        if !v.is_finite() {
            return "n/a".to_string();
        }
        match self.display {
            Display::CoveragePy => display_percent(v, precision),
            Display::JsNumber => format!("{v}"),
            Display::Fixed(p) => format!("{:.*}", usize::from(p), v),
            Display::Genhtml(p) => genhtml(v, p),
            Display::FloorInteger => format!("{}", v.floor()),
            Display::Gcovr => format!("{:.1}", gcovr_round(v)),
        }
    }

    /// Does `v` meet `threshold` under this tool's gate? `precision` is used only by
    /// coverage.py's rule.
    pub fn passes(&self, v: f64, threshold: f64, precision: u8) -> bool {
        match self.gate {
            Gate::RoundedAtPrecision => crate::display::meets_target(v, threshold, precision),
            Gate::RoundedAtPrecisionOnly => {
                crate::display::meets_target_at(v, threshold, precision)
            }
            Gate::Below => v >= threshold,
            Gate::GcovrRounded => gcovr_round(v) >= threshold,
        }
    }

    /// The least percentage that passes `threshold` under this gate, for saying how far
    /// a figure is from passing: 79.5 for 80 under coverage.py's rule at precision 0
    /// (79.5 rounds to 80), the threshold itself for the others.
    pub fn pass_mark(&self, threshold: f64, precision: u8) -> f64 {
        match self.gate {
            Gate::RoundedAtPrecision | Gate::RoundedAtPrecisionOnly if threshold < 100.0 => {
                let precision = if self.gate == Gate::RoundedAtPrecision {
                    crate::display::fail_under_precision(threshold, precision)
                } else {
                    precision
                };
                let half = 0.5 / 10f64.powi(i32::from(precision));
                let mark = threshold - half;
                // Python rounds ties to even: x.5 itself passes only when rounding it
                // lands on the threshold.
                if round_to(mark, precision) >= threshold {
                    mark
                } else {
                    mark + f64::EPSILON * mark.abs().max(1.0)
                }
            }
            _ => threshold,
        }
    }

    /// Decimal places this tool shows (the chosen precision for coverage.py): the
    /// precision of changes in percentage points beside its figures.
    pub fn decimals(&self, precision: u8) -> u8 {
        match self.display {
            Display::CoveragePy => precision,
            Display::JsNumber => 2,
            Display::Fixed(p) | Display::Genhtml(p) => p,
            Display::FloorInteger => 0,
            Display::Gcovr => 1,
        }
    }

    /// Which word this tool uses for a metric when the metric's unit differs by tool
    /// (JaCoCo's "cxty"); the metric's own title otherwise.
    pub fn metric_title(&self, m: Metric) -> &'static str {
        m.title()
    }
}

/// Whether the dotted version `v` ("7.4.4", "6.5.0", "7.17.3a1") is below `min`.
fn version_below(v: &str, min: &[u64]) -> bool {
    let parts: Vec<u64> = v
        .split('.')
        .map(|p| {
            p.chars()
                .take_while(char::is_ascii_digit)
                .collect::<String>()
                .parse()
                .unwrap_or(0)
        })
        .collect();
    for (i, m) in min.iter().enumerate() {
        let p = parts.get(i).copied().unwrap_or(0);
        if p != *m {
            return p < *m;
        }
    }
    false
}

/// gcovr 5.2's `CoverageStat.percent`: rounded to 1 decimal (Python's `round`, ties to
/// even on the binary value) and capped at 99.9 unless exactly 100.
fn gcovr_round(v: f64) -> f64 {
    if v >= 100.0 {
        return 100.0;
    }
    round_to(v, 1).min(99.9)
}

/// genhtml's `rate()`: N decimals, with a figure that rounds to 0 but is not 0 shown as
/// the smallest step, and one that rounds to 100 but is not 100 as 100 minus a step.
fn genhtml(v: f64, p: u8) -> String {
    let p = usize::from(p);
    let step = 1.0 / 10f64.powi(p as i32);
    let shown = format!("{v:.p$}");
    let r: f64 = shown.parse().unwrap_or(v);
    if r == 0.0 && v > 0.0 {
        format!("{step:.p$}")
    } else if r == 100.0 && v < 100.0 {
        format!("{:.p$}", 100.0 - step)
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(r: &Rules, c: u64, t: u64) -> String {
        r.display_percent(r.tally_percent(Tally::new(c, t)), 0)
    }

    /// Test vectors produced by running each tool's own code (see docs/formats/).
    #[test]
    fn displays_as_each_tool() {
        let cases: &[(&Rules, u64, u64, &str)] = &[
            (&ISTANBUL, 3263, 3265, "99.93"),
            (&ISTANBUL, 827, 829, "99.75"),
            (&ISTANBUL, 23, 24, "95.83"),
            (&ISTANBUL, 2, 3, "66.66"),
            (&ISTANBUL, 1, 7, "14.28"),
            (&ISTANBUL, 117, 1000, "11.7"),
            (&ISTANBUL, 1, 8, "12.5"),
            (&ISTANBUL, 99999, 100000, "99.99"),
            (&ISTANBUL, 1, 100000, "0"),
            (&ISTANBUL, 0, 0, "100"),
            (&ISTANBUL, 7, 7, "100"),
            (&GCOVR, 799, 1003, "79.7"),
            (&GCOVR, 83, 84, "98.8"),
            (&GCOVR, 7999, 10000, "80.0"),
            (&GCOVR, 9999, 10000, "99.9"),
            (&GCOVR, 19999, 20000, "99.9"),
            (&GCOVR, 10000, 10000, "100.0"),
            (&GCOVR, 1, 10000, "0.0"),
            (&GCOVR, 1, 16, "6.2"),
            (&GCOVR, 3, 16, "18.8"),
            (&GCOVR, 23, 80, "28.7"),
            (&GCOVR, 49, 80, "61.3"),
            (&GCOVR, 51, 80, "63.7"),
            (&GCOVR, 2, 3, "66.7"),
            (&LCOV, 827, 1034, "80.0"),
            (&LCOV, 9995, 10000, "99.9"),
            (&LCOV, 9999, 10000, "99.9"),
            (&LCOV, 1, 10000, "0.1"),
            (&LCOV, 5, 10000, "0.1"),
            (&LCOV, 1, 16, "6.2"),
            (&LCOV, 23, 80, "28.8"),
            (&LCOV, 49, 80, "61.2"),
            (&LCOV, 0, 5, "0.0"),
            (&LCOV, 5, 5, "100.0"),
            (&LLVM_COV, 137, 192, "71.35"),
            (&LLVM_COV, 97, 121, "80.17"),
            (&LLVM_COV, 1393, 1465, "95.09"),
            (&LLVM_COV, 127, 137, "92.70"),
            (&LLVM_COV, 1, 32, "3.12"),
            (&LLVM_COV, 3, 32, "9.38"),
            (&LLVM_COV, 5, 32, "15.62"),
            (&LLVM_COV, 2, 3, "66.67"),
            (&LLVM_COV, 99999, 100000, "100.00"),
            (&LLVM_COV, 1, 100000, "0.00"),
            (&JACOCO, 3638, 3701, "98"),
            (&JACOCO, 343, 356, "96"),
            (&JACOCO, 83, 86, "96"),
            (&JACOCO, 29, 100, "29"),
            (&JACOCO, 57, 100, "57"),
            (&JACOCO, 9999, 10000, "99"),
            (&JACOCO, 1, 1000, "0"),
            (&JACOCO, 7, 7, "100"),
            (&GO, 506, 576, "87.8"),
            (&GO, 9999, 10000, "100.0"),
            (&GO, 1, 2000, "0.1"),
            (&GO, 3, 2000, "0.1"),
            (&GO, 1, 16, "6.2"),
            (&GO, 23, 80, "28.8"),
            (&GO, 2, 3, "66.7"),
            (&GO, 0, 0, "0.0"),
        ];
        for &(r, c, t, want) in cases {
            assert_eq!(show(r, c, t), want, "{} {c}/{t}", r.name);
        }
        // Nothing to measure, as each tool shows it.
        let none = Counts::default();
        assert_eq!(LLVM_COV.show(&none, Metric::Branches, 0), "-");
        assert_eq!(JACOCO.show(&none, Metric::Branches, 0), "n/a");
        assert_eq!(GCOVR.show(&none, Metric::Branches, 0), "--");
        assert_eq!(COVERAGEPY.show(&none, Metric::Combined, 0), "100");
    }

    #[test]
    fn gates_as_each_tool() {
        let pass = |r: &Rules, c: u64, t: u64, thr: f64| {
            r.passes(r.tally_percent(Tally::new(c, t)), thr, 0)
        };
        assert!(COVERAGEPY.passes(79.5, 80.0, 0));
        assert!(!COVERAGEPY.passes(79.49, 80.0, 0));
        // 7.17.1 and later round to the threshold's own decimals when it has more; earlier
        // versions do not (checked by running should_fail_under of 7.17.0 and 7.17.1).
        assert!(COVERAGEPY.passes(92.20644543714103, 92.21, 0));
        assert!(!COVERAGEPY_BEFORE_7_17_1.passes(92.20644543714103, 92.21, 0));
        assert!(std::ptr::eq(
            Tool::CoveragePy.rules_for(Some("7.17.0")),
            &COVERAGEPY_BEFORE_7_17_1
        ));
        assert!(std::ptr::eq(
            Tool::CoveragePy.rules_for(Some("6.5.0")),
            &COVERAGEPY_BEFORE_7_17_1
        ));
        assert!(std::ptr::eq(
            Tool::CoveragePy.rules_for(Some("7.17.3")),
            &COVERAGEPY
        ));
        assert!(std::ptr::eq(Tool::CoveragePy.rules_for(None), &COVERAGEPY));
        // nyc: the floored percentage, unrounded.
        assert!(pass(&ISTANBUL, 3204, 3206, 99.93));
        assert!(!pass(&ISTANBUL, 3204, 3206, 99.94));
        assert!(!pass(&ISTANBUL, 827, 829, 99.76));
        assert!(!pass(&ISTANBUL, 2, 3, 66.67));
        // gcovr: the rounded, capped figure.
        assert!(!pass(&GCOVR, 799, 1003, 80.0));
        assert!(pass(&GCOVR, 83, 84, 80.0));
        assert!(pass(&GCOVR, 7999, 10000, 80.0));
        assert!(pass(&GCOVR, 79960, 100000, 80.0));
        assert!(!pass(&GCOVR, 9999, 10000, 100.0));
        // lcov: the raw ratio, so "80.0%" fails 80.
        assert!(!pass(&LCOV, 827, 1034, 80.0));
        assert!(pass(&LCOV, 827, 1034, 79.98));
        // cargo-llvm-cov: raw, so "95.09%" fails 95.09.
        assert!(!pass(&LLVM_COV, 1393, 1465, 95.09));
        // JaCoCo: exact ratio against the limit.
        assert!(pass(&JACOCO, 871, 896, 97.20));
        assert!(!pass(&JACOCO, 871, 896, 97.21));
        assert!(pass(&JACOCO, 57, 100, 57.0));
        assert!(!GO.passes(79.99, 80.0, 0));
    }

    #[test]
    fn pass_marks() {
        assert_eq!(COVERAGEPY.pass_mark(80.0, 0), 79.5);
        assert!(COVERAGEPY.passes(COVERAGEPY.pass_mark(81.0, 0), 81.0, 0));
        assert_eq!(GO.pass_mark(80.0, 0), 80.0);
    }
}
