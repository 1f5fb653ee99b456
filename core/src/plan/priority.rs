//! Ordering the priority table: by any column, and the "quick wins" preset.

use super::evaluate::ModuleStatus;
use crate::analysis::sort::human_cmp;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;

/// A column of the priority table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriorityColumn {
    /// Module name, in human order.
    Module,
    /// Current coverage on the module's metric.
    Current,
    /// Target.
    Target,
    /// Gap in percentage points.
    Gap,
    /// Units to cover (statements and branches for the combined figure).
    Needed,
    /// Percentage points the total gains.
    Impact,
    /// Effort midpoint.
    Effort,
    /// Points per hour.
    PointsPerHour,
    /// Impact label (high first when descending).
    ImpactLabel,
    /// Board column.
    Status,
}

/// Compares two values that may be absent; absent sorts last in either direction, so
/// modules without an estimate never crowd the top of a sorted table.
fn opt_cmp<T>(
    a: Option<T>,
    b: Option<T>,
    desc: bool,
    cmp: impl Fn(&T, &T) -> Ordering,
) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => {
            let o = cmp(&x, &y);
            if desc {
                o.reverse()
            } else {
                o
            }
        }
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Indices of `modules` ordered by `column` (reversed when `descending`), ties by name.
pub fn sort_modules(
    modules: &[ModuleStatus],
    column: PriorityColumn,
    descending: bool,
) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..modules.len()).collect();
    idx.sort_by(|&i, &j| match (modules.get(i), modules.get(j)) {
        (Some(a), Some(b)) => {
            compare(a, b, column, descending).then_with(|| human_cmp(&a.name, &b.name))
        }
        _ => Ordering::Equal,
    });
    idx
}

fn compare(a: &ModuleStatus, b: &ModuleStatus, column: PriorityColumn, desc: bool) -> Ordering {
    let dir = |o: Ordering| if desc { o.reverse() } else { o };
    match column {
        PriorityColumn::Module => dir(human_cmp(&a.name, &b.name)),
        PriorityColumn::Current => dir(a.current.total_cmp(&b.current)),
        PriorityColumn::Target => dir(a.target.total_cmp(&b.target)),
        PriorityColumn::Gap => dir(a.gap_pp.total_cmp(&b.gap_pp)),
        PriorityColumn::Needed => dir(a.work().cmp(&b.work())),
        PriorityColumn::Impact => dir(a.impact_pp.total_cmp(&b.impact_pp)),
        PriorityColumn::Effort => opt_cmp(
            a.effort.map(|e| e.midpoint()),
            b.effort.map(|e| e.midpoint()),
            desc,
            f64::total_cmp,
        ),
        PriorityColumn::PointsPerHour => {
            opt_cmp(a.points_per_hour, b.points_per_hour, desc, f64::total_cmp)
        }
        PriorityColumn::ImpactLabel => opt_cmp(a.impact, b.impact, desc, Ord::cmp),
        PriorityColumn::Status => dir(a.status.cmp(&b.status)),
    }
}

/// The "quick wins" preset: modules still below target, most points per hour first;
/// those without an effort follow, least work first.
pub fn quick_wins(modules: &[ModuleStatus]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..modules.len())
        .filter(|&i| {
            modules
                .get(i)
                .is_some_and(|m| !m.meets_target && m.impact_pp > 0.0)
        })
        .collect();
    idx.sort_by(|&i, &j| match (modules.get(i), modules.get(j)) {
        (Some(a), Some(b)) => opt_cmp(a.points_per_hour, b.points_per_hour, true, f64::total_cmp)
            .then_with(|| a.work().cmp(&b.work()))
            .then_with(|| b.impact_pp.total_cmp(&a.impact_pp))
            .then_with(|| human_cmp(&a.name, &b.name)),
        _ => Ordering::Equal,
    });
    idx
}
