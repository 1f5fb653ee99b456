//! How far a set of counts is from a target, and the least work that closes the gap,
//! under coverage.py's own rounding and `fail_under` rule.

use crate::display::meets_target;
use crate::model::{percent, Counts};
use serde::Serialize;

/// A coverage target: a percentage and the precision it is judged at (coverage.py's
/// `fail_under` and `precision`).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Target {
    /// Target percentage, 0 to 100.
    pub percent: f64,
    /// Decimal places the total is rounded to before comparing.
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

/// Where some counts stand against a [`Target`].
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Gap {
    /// The combined percentage now (coverage.py `percent_covered`).
    pub percent: f64,
    /// Would `coverage report --fail-under` pass?
    pub passes: bool,
    /// Percentage points from the exact percentage to the target; 0 when passing (which
    /// may happen a little below the target, since coverage.py rounds before comparing).
    pub gap_pp: f64,
    /// Least number of missing statements to cover, branches unchanged; `None` when
    /// covering every missing statement is still not enough.
    pub statements_needed: Option<u64>,
    /// Least number of statements and branches together (any mix) to cover; `None` when
    /// even full coverage would not do (impossible for targets ≤ 100).
    pub units_needed: Option<u64>,
}

/// Measures `c` against `t`.
pub fn gap(c: &Counts, t: Target) -> Gap {
    let pct = c.percent_covered();
    let passes = meets_target(pct, t.percent, t.precision);
    let gap_pp = if passes {
        0.0
    } else {
        (t.percent - pct).max(0.0)
    };
    Gap {
        percent: pct,
        passes,
        gap_pp,
        statements_needed: least(c, t, c.missing),
        units_needed: least(c, t, c.missing + c.missing_branches),
    }
}

/// The least k ≤ cap such that covering k more units meets the target, or None.
/// Passing is monotone in k, so a binary search is exact.
fn least(c: &Counts, t: Target, cap: u64) -> Option<u64> {
    let meets = |k: u64| {
        let pct = if c.statements == 0 {
            100.0
        } else {
            percent(c.covered_units() + k, c.total_units())
        };
        meets_target(pct, t.percent, t.precision)
    };
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

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(stmts: u64, covered: u64, branches: u64, cb: u64) -> Counts {
        Counts::new(stmts, covered, branches, cb)
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
            let g = gap(&counts(s, c, b, cb), t(tp, p));
            assert_eq!(
                (g.statements_needed, g.units_needed),
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
                    let g = gap(&c, t(target, p));
                    let k = g
                        .statements_needed
                        .expect("statements can reach any target");
                    let at =
                        |k| meets_target(c.with_covered_statements(k).percent_covered(), target, p);
                    assert!(at(k));
                    assert!(
                        k == 0 || !at(k - 1),
                        "{covered} {target} {p}: {k} not least"
                    );
                }
            }
        }
    }
}
