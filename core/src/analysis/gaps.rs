//! How far a set of counts is from a target, and the least work that closes the gap,
//! under the report's own tool's formula, rounding and gate rule.

use crate::model::{Counts, Metric, Tally};
use crate::rules::Rules;
use serde::Serialize;

/// A coverage target: a percentage and the precision it is judged at (coverage.py's
/// `fail_under` and `precision`; other tools' gates ignore the precision).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Target {
    /// Target percentage, 0 to 100.
    pub percent: f64,
    /// Decimal places the total is rounded to before comparing (coverage.py only).
    pub precision: u8,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            percent: 80.0,
            precision: 0,
        }
    }
}

/// Where some counts stand against a [`Target`], on one metric.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Gap {
    /// The metric judged.
    pub metric: Metric,
    /// Its percentage now, by the tool's formula.
    pub percent: f64,
    /// Would the tool's gate pass?
    pub passes: bool,
    /// The least percentage that passes under the tool's gate (79.5 for a target of 80
    /// under coverage.py's rounding at precision 0).
    pub pass_mark: f64,
    /// Percentage points from the exact percentage to [`Gap::pass_mark`]; 0 when passing.
    pub gap_pp: f64,
    /// Least number of the metric's units to cover (for coverage.py's combined figure:
    /// statements and branches together, any mix); `None` when even covering all that
    /// is missing would not do.
    pub needed: Option<u64>,
    /// For the combined figure only: least number of statements to cover with branches
    /// unchanged; `None` when statements alone cannot reach the target (or for other
    /// metrics).
    pub statements_needed: Option<u64>,
}

impl Gap {
    /// The figure to show as "needed": statements alone for the combined figure when
    /// they suffice, else the metric's own units.
    pub fn headline_needed(&self) -> Option<u64> {
        self.statements_needed.or(self.needed)
    }
}

/// Measures metric `m` of `c` against `t` under `rules`. A metric with nothing to
/// measure (0 of 0) passes with nothing needed, whatever the tool shows for it.
pub fn gap(c: &Counts, m: Metric, rules: &Rules, t: Target) -> Gap {
    let tally = c.get(m);
    let pct = rules.percent(c, m);
    let empty = tally.total == 0 || (m == Metric::Combined && c.statements.total == 0);
    let passes = empty || rules.passes(pct, t.percent, t.precision);
    let pass_mark = rules.pass_mark(t.percent, t.precision);
    let gap_pp = if passes {
        0.0
    } else {
        (pass_mark - pct).max(0.0)
    };
    let meets = |k: u64| {
        empty
            || rules.passes(
                rules.tally_percent(tally.with_covered(k)),
                t.percent,
                t.precision,
            )
    };
    let statements_needed = if m == Metric::Combined {
        least(c.statements.missing(), meets)
    } else {
        None
    };
    Gap {
        metric: m,
        percent: pct,
        passes,
        pass_mark,
        gap_pp,
        needed: least(tally.missing(), meets),
        statements_needed,
    }
}

/// The least k ≤ cap with `meets(k)`, or None. Passing is monotone in k, so a binary
/// search is exact.
pub fn least(cap: u64, meets: impl Fn(u64) -> bool) -> Option<u64> {
    if !meets(cap) {
        return None;
    }
    let (mut lo, mut hi) = (0, cap);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if meets(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

/// `t` with `k` more covered, as a percentage under `rules`.
pub fn percent_with(rules: &Rules, t: Tally, k: u64) -> f64 {
    rules.tally_percent(t.with_covered(k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::display::meets_target;

    use crate::rules::{COVERAGEPY, GO, ISTANBUL};

    fn counts(stmts: u64, covered: u64, branches: u64, cb: u64) -> Counts {
        Counts::coveragepy(stmts, covered, branches, cb)
    }

    fn t(percent: f64, precision: u8) -> Target {
        Target { percent, precision }
    }

    #[test]
    fn statements_needed_table() {
        // (statements, covered, branches, covered branches, target, precision, needed stmts, needed units)
        type Case = (u64, u64, u64, u64, f64, u8, Option<u64>, Option<u64>);
        let cases: &[Case] = &[
            // 0 statements: 100% by coverage.py's convention, nothing needed.
            (0, 0, 0, 0, 80.0, 0, Some(0), Some(0)),
            (0, 0, 0, 0, 100.0, 0, Some(0), Some(0)),
            // Already above target.
            (100, 90, 0, 0, 80.0, 0, Some(0), Some(0)),
            // 79.5 rounds to 80 at precision 0: 159/200 = 79.5 passes.
            (200, 150, 0, 0, 80.0, 0, Some(9), Some(9)),
            // At precision 1, 79.5 is not 80.0: need 160/200.
            (200, 150, 0, 0, 80.0, 1, Some(10), Some(10)),
            // Precision 2: 80.00 exactly: 800/1000.
            (1000, 700, 0, 0, 80.0, 2, Some(100), Some(100)),
            // T = 100 needs every statement.
            (10, 9, 0, 0, 100.0, 0, Some(1), Some(1)),
            // ... and every branch: statements alone cannot do it.
            (10, 9, 4, 3, 100.0, 0, None, Some(2)),
            // 99.6% rounds to 100 but T=100 needs exactly 100.
            (1000, 996, 0, 0, 100.0, 0, Some(4), Some(4)),
            // Combined: (50 + 10) / (100 + 20) = 50%; 80% needs 96 of 120 units (95/120
            // is 79.17), 90% needs 108 (89.5 × 1.2 = 107.4).
            (100, 50, 20, 10, 80.0, 0, Some(36), Some(36)),
            (100, 50, 20, 10, 90.0, 0, Some(48), Some(48)),
            // 95% needs 114 units: more than the 50 missing statements can give.
            (100, 50, 20, 10, 95.0, 0, None, Some(54)),
        ];
        for &(s, c, b, cb, tp, p, want_s, want_u) in cases {
            let g = gap(
                &counts(s, c, b, cb),
                Metric::Combined,
                &COVERAGEPY,
                t(tp, p),
            );
            assert_eq!(
                (g.statements_needed, g.needed),
                (want_s, want_u),
                "{s} {c} {b} {cb} target {tp} precision {p}"
            );
            assert_eq!(g.passes, want_u == Some(0));
        }
    }

    #[test]
    fn needed_is_least() {
        for covered in 0..=50u64 {
            let c = counts(50, covered, 0, 0);
            for target in [0.0, 33.3, 50.0, 66.0, 80.0, 99.0, 100.0] {
                for p in 0..=2 {
                    let g = gap(&c, Metric::Combined, &COVERAGEPY, t(target, p));
                    let k = g
                        .statements_needed
                        .expect("statements can reach any target");
                    let at = |k| {
                        let mut more = c;
                        more.statements = more.statements.with_covered(k);
                        meets_target(COVERAGEPY.percent(&more, Metric::Combined), target, p)
                    };
                    assert!(at(k));
                    assert!(
                        k == 0 || !at(k - 1),
                        "{covered} {target} {p}: {k} not least"
                    );
                }
            }
        }
    }

    #[test]
    fn other_tools_gates() {
        // Go: exact percent, 80% of 1000 statements from 700 needs exactly 100 more.
        let mut c = Counts {
            statements: Tally::new(700, 1000),
            ..Counts::default()
        };
        let g = gap(&c, Metric::Statements, &GO, t(80.0, 0));
        assert_eq!((g.needed, g.passes, g.gap_pp), (Some(100), false, 10.0));
        // Istanbul floors to 2 decimals: 2 of 3 lines is 66.66, short of 66.67.
        c.lines = Tally::new(2, 3);
        let g = gap(&c, Metric::Lines, &ISTANBUL, t(66.67, 0));
        assert_eq!((g.passes, g.needed), (false, Some(1)));
        let g = gap(&c, Metric::Lines, &ISTANBUL, t(66.66, 0));
        assert_eq!((g.passes, g.needed), (true, Some(0)));
        // Nothing to measure: passes.
        let g = gap(&c, Metric::Functions, &GO, t(90.0, 0));
        assert_eq!((g.passes, g.needed), (true, Some(0)));
    }
}
