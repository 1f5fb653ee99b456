//! A plan measured against a report: per-module numbers, impact on the total, the kanban
//! column, and every phase's exit criteria, with what-if overrides applied first.
//!
//! Matching files to modules ([`assign`]) is the only step that looks at paths; it is
//! done once per plan and report. [`evaluate_assigned`] is pure arithmetic over module
//! counts, cheap enough to re-run on every slider move.

use super::glob::{normalize, Pattern};
use super::model::{count, fmt_num, Effort, Impact, Metric, Plan, Status};
use crate::analysis::gaps::{gap, Gap, Target};
use crate::display::{display_percent, meets_target};
use crate::model::{percent, Counts, Report};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which module owns each report file, and the counts that follow.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assignment {
    /// For each report file, in report order, the index of the module that owns it.
    pub module_of_file: Vec<Option<usize>>,
    /// Per module, in plan order: the sum of its files' counts.
    pub module_counts: Vec<Counts>,
    /// The files no module matches (they still count in the total).
    pub unmatched: Counts,
}

/// Gives each report file to the FIRST module (in plan order) with a matching pattern,
/// so no file is counted twice; list specific modules before catch-alls like `src/**`.
pub fn assign(plan: &Plan, report: &Report) -> Assignment {
    let patterns: Vec<Vec<Pattern>> = plan
        .modules
        .iter()
        .map(|m| m.patterns().into_iter().map(Pattern::new).collect())
        .collect();
    let mut module_counts = vec![Counts::default(); plan.modules.len()];
    let mut unmatched = Counts::default();
    let mut module_of_file = Vec::with_capacity(report.files.len());
    for f in &report.files {
        let path = normalize(&f.path);
        let owner = patterns
            .iter()
            .position(|ps| ps.iter().any(|p| p.matches_normalized(&path)));
        match owner.and_then(|i| module_counts.get_mut(i)) {
            Some(c) => *c += f.counts,
            None => unmatched += f.counts,
        }
        module_of_file.push(owner);
    }
    Assignment {
        module_of_file,
        module_counts,
        unmatched,
    }
}

/// Hypothetical changes to module coverage, by module name. Nothing is written back to
/// the plan or the report: the overrides only change the counts evaluation starts from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    /// Module name → override.
    #[serde(default)]
    pub modules: BTreeMap<String, ModuleOverride>,
}

impl WhatIf {
    /// No overrides: the report as it is.
    pub fn none() -> WhatIf {
        WhatIf::default()
    }

    /// Whether there is no override at all.
    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }

    /// Sets the override of module `name`.
    pub fn set(&mut self, name: &str, o: ModuleOverride) {
        self.modules.insert(name.to_string(), o);
    }

    /// Removes the override of module `name`.
    pub fn clear(&mut self, name: &str) {
        self.modules.remove(name);
    }
}

/// One module's hypothetical coverage.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ModuleOverride {
    /// As if the module had just reached its target: the least extra coverage that
    /// meets it (nothing changes for a module already there).
    Done,
    /// As if the module's coverage, on its own metric, were this percentage: the least
    /// covered count that meets it at the plan's precision, up or down from today.
    Percent(f64),
}

/// The plan measured against a report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanStatus {
    /// The plan's title.
    pub name: Option<String>,
    /// Decimal places used for every pass/fail judgement.
    pub precision: u8,
    /// The whole report's counts, what-if overrides applied.
    pub totals: Counts,
    /// The combined total (coverage.py's `percent_covered`).
    pub total_percent: f64,
    /// The plan's overall target.
    pub target: f64,
    /// Does the total meet the target (coverage.py's `fail_under` rule)?
    pub passes: bool,
    /// The total against the target: gap in points and statements still needed.
    pub gap: Gap,
    /// The plan's floor, if any.
    pub floor: Option<f64>,
    /// Modules, in plan order.
    pub modules: Vec<ModuleStatus>,
    /// Counts of the files that belong to no module.
    pub unmatched: Counts,
    /// The plan's own criteria, judged as for a phase: the total meets the target and,
    /// with a floor, no module is below it. What `covgap check` checks in a plan
    /// without phases.
    pub plan_criteria: Vec<CriterionStatus>,
    /// Phases, in plan order.
    pub phases: Vec<PhaseStatus>,
    /// Index of the current phase: the first that does not pass; `None` when all pass
    /// (or there are none).
    pub current_phase: Option<usize>,
    /// Progress of the whole plan.
    pub progress: Progress,
    /// Whether any what-if override was applied.
    pub what_if: bool,
    /// Things worth telling the user (a module that matches no file, an override naming
    /// no module).
    pub warnings: Vec<String>,
}

/// One module's numbers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModuleStatus {
    /// Index in the plan's module list.
    pub index: usize,
    /// Display name.
    pub name: String,
    /// Its path patterns.
    pub patterns: Vec<String>,
    /// Sum of its files' counts, override applied.
    pub counts: Counts,
    /// The figure its target is judged on.
    pub metric: Metric,
    /// Coverage on that figure now.
    pub current: f64,
    /// coverage.py's combined figure now (the floor is judged on it).
    pub combined: f64,
    /// Its target.
    pub target: f64,
    /// Does it meet its target (coverage.py's rule at the plan's precision)?
    pub meets_target: bool,
    /// Points from the current figure to the target; 0 when met.
    pub gap_pp: f64,
    /// Least missing statements to cover to meet the target.
    pub statements_needed: u64,
    /// Least missing branches to cover as well: non-zero for a branches target, or when
    /// statements alone cannot reach a combined target.
    pub branches_needed: u64,
    /// Percentage points the TOTAL gains if this module alone reaches its target.
    pub impact_pp: f64,
    /// Estimated hours.
    pub effort: Option<Effort>,
    /// `impact_pp` per hour of the effort's midpoint; `None` without an effort or with
    /// an effort of 0 hours.
    pub points_per_hour: Option<f64>,
    /// Impact label from the plan.
    pub impact: Option<Impact>,
    /// Owner from the plan.
    pub owner: Option<String>,
    /// Board column: the plan's override, else [`ModuleStatus::derived_status`].
    pub status: Status,
    /// The column the numbers give: at target → done; else with an owner → in progress;
    /// else backlog.
    pub derived_status: Status,
    /// Whether the plan sets the column by hand.
    pub status_overridden: bool,
    /// Is its combined figure below the plan's floor?
    pub below_floor: bool,
    /// The what-if override applied to it.
    pub what_if: Option<ModuleOverride>,
    /// Indices of the phases that list it.
    pub phases: Vec<usize>,
}

/// One phase: its criteria, progress and gate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhaseStatus {
    /// Index in the plan's phase list.
    pub index: usize,
    /// Title.
    pub name: String,
    /// Overall target at its end.
    pub target: f64,
    /// Where its progress is measured from.
    pub baseline: f64,
    /// From 0 (total at the baseline or below) to 1 (at the target, or passing).
    pub progress: f64,
    /// Are all its criteria met?
    pub passes: bool,
    /// Is it the current phase (the first that does not pass)?
    pub is_current: bool,
    /// Its exit criteria, overall first.
    pub criteria: Vec<CriterionStatus>,
    /// How many criteria are met.
    pub met: usize,
    /// Indices of its modules.
    pub modules: Vec<usize>,
    /// The `fail_under` to configure once it passes: its `fail_under` criterion, else
    /// its target.
    pub fail_under: f64,
}

/// Whole-plan progress.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Progress {
    /// Where the plan started: the plan's baseline, else the first phase's, else 0.
    pub baseline: f64,
    /// The plan's target.
    pub target: f64,
    /// From 0 to 1, like a phase's progress.
    pub fraction: f64,
    /// Phases passing.
    pub phases_passed: usize,
    /// Phases in the plan.
    pub phases: usize,
}

/// What a criterion checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CriterionKind {
    /// The total meets a percentage.
    OverallAtLeast,
    /// One module meets a percentage (`modules_at_least`).
    ModuleAtLeast,
    /// One of the phase's modules meets its own target (`modules_at_target`).
    ModuleAtTarget,
    /// No module is below the floor.
    NoModuleBelowFloor,
    /// The report has at most N missing statements.
    MaxMissingStatements,
    /// `fail_under` is raised to Z and the total passes it.
    FailUnder,
}

/// What a criterion's numbers count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Percent.
    Percent,
    /// Statements.
    Statements,
}

/// One exit criterion, judged.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriterionStatus {
    /// What it checks.
    pub kind: CriterionKind,
    /// Short statement like `overall ≥ 93%` or `bccache ≥ 80% (combined)`.
    pub label: String,
    /// The module it is about, if one.
    pub module: Option<String>,
    /// The number required.
    pub expected: f64,
    /// The number now.
    pub actual: f64,
    /// Unit of both numbers.
    pub unit: Unit,
    /// Is it met?
    pub met: bool,
    /// The numbers in words, e.g. `92.21% (shown as 92%)`.
    pub detail: String,
}

/// Measures `plan` against `report` with `what_if` applied. Matches paths every call:
/// for repeated evaluation of one report, call [`assign`] once and [`evaluate_assigned`].
pub fn evaluate(plan: &Plan, report: &Report, what_if: &WhatIf) -> PlanStatus {
    evaluate_assigned(plan, &assign(plan, report), what_if)
}

/// The view of `c` whose combined percentage is `m`'s figure, so that coverage.py's
/// gap maths serves all three metrics.
fn view(c: &Counts, m: Metric) -> Counts {
    match m {
        Metric::Combined => *c,
        Metric::Statements => Counts {
            branches: 0,
            covered_branches: 0,
            missing_branches: 0,
            partial_branches: 0,
            ..*c
        },
        Metric::Branches => Counts {
            files: c.files,
            statements: c.branches,
            covered: c.covered_branches,
            missing: c.missing_branches,
            ..Counts::default()
        },
    }
}

/// Coverage of `c` on `m`'s figure (100 when there is nothing to cover).
pub fn metric_percent(c: &Counts, m: Metric) -> f64 {
    view(c, m).percent_covered()
}

fn with_covered_branches(mut c: Counts, extra: u64) -> Counts {
    let k = extra.min(c.missing_branches);
    c.covered_branches += k;
    c.missing_branches -= k;
    c.partial_branches = c.partial_branches.min(c.missing_branches);
    c
}

/// `c` with the least extra coverage that meets `t` on `m`: statements first, then
/// branches when statements alone cannot reach a combined target.
pub fn at_target(c: &Counts, m: Metric, t: Target) -> Counts {
    let g = gap(&view(c, m), t);
    match m {
        Metric::Statements => c.with_covered_statements(g.statements_needed.unwrap_or(c.missing)),
        Metric::Branches => {
            with_covered_branches(*c, g.statements_needed.unwrap_or(c.missing_branches))
        }
        Metric::Combined => match g.statements_needed {
            Some(k) => c.with_covered_statements(k),
            None => {
                let units = g.units_needed.unwrap_or(c.missing + c.missing_branches);
                let extra_branches = units.saturating_sub(c.missing);
                with_covered_branches(c.with_covered_statements(c.missing), extra_branches)
            }
        },
    }
}

/// The least `n` in `0..=d` with `ok(n)`, for `ok` monotone; `d` when none.
fn least(d: u64, ok: impl Fn(u64) -> bool) -> u64 {
    let (mut lo, mut hi) = (0, d);
    if !ok(hi) {
        return d;
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if ok(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// `c` with its `m` figure moved to `pct`: the least covered count that meets `pct` at
/// `precision`, up or down from today. For the combined figure branches stay as they
/// are while statements can absorb the change.
pub fn with_percent(c: &Counts, m: Metric, pct: f64, precision: u8) -> Counts {
    let ok = |n: u64, d: u64| meets_target(percent(n, d), pct, precision);
    let mut out = *c;
    match m {
        Metric::Statements => {
            if c.statements > 0 {
                out.covered = least(c.statements, |n| ok(n, c.statements));
                out.missing = c.statements - out.covered;
            }
        }
        Metric::Branches => {
            if c.branches > 0 {
                out.covered_branches = least(c.branches, |n| ok(n, c.branches));
                out.missing_branches = c.branches - out.covered_branches;
            }
        }
        Metric::Combined => {
            if c.statements > 0 {
                let units = c.statements + c.branches;
                let n = least(units, |n| ok(n, units));
                let covered = n.saturating_sub(c.covered_branches).min(c.statements);
                out.covered = covered;
                out.missing = c.statements - covered;
                out.covered_branches = (n - covered).min(c.branches);
                out.missing_branches = c.branches - out.covered_branches;
            }
        }
    }
    out.partial_branches = out.partial_branches.min(out.missing_branches);
    out
}

fn total_percent_with(t: &Counts, extra_units: u64) -> f64 {
    if t.statements == 0 {
        100.0
    } else {
        percent(t.covered_units() + extra_units, t.total_units())
    }
}

/// Percentages in criteria and details: two decimals at least, as `coverage report
/// --precision=2` shows them.
fn pct_text(v: f64, precision: u8) -> String {
    format!("{}%", display_percent(v, precision.max(2)))
}

/// [`evaluate`] on a precomputed [`Assignment`].
pub fn evaluate_assigned(plan: &Plan, a: &Assignment, what_if: &WhatIf) -> PlanStatus {
    let p = plan.precision;
    let mut warnings = Vec::new();

    // Overrides first: every number below, totals included, starts from these counts.
    let mut counts: Vec<Counts> = Vec::with_capacity(plan.modules.len());
    for (i, m) in plan.modules.iter().enumerate() {
        let c = a.module_counts.get(i).copied().unwrap_or_default();
        let t = Target {
            percent: m.target.unwrap_or(plan.target),
            precision: p,
        };
        let c = match what_if.modules.get(m.display_name()) {
            Some(ModuleOverride::Done) => at_target(&c, m.metric, t),
            Some(ModuleOverride::Percent(x)) => with_percent(&c, m.metric, *x, p),
            None => c,
        };
        counts.push(c);
    }
    for name in what_if.modules.keys() {
        if !plan.modules.iter().any(|m| m.display_name() == name) {
            warnings.push(format!("the what-if names no module called {name:?}"));
        }
    }
    let totals: Counts = a.unmatched + counts.iter().sum::<Counts>();
    let total_percent = totals.percent_covered();

    let mut modules = Vec::with_capacity(plan.modules.len());
    for (i, (m, c)) in plan.modules.iter().zip(&counts).enumerate() {
        if c.files == 0 {
            warnings.push(format!(
                "module {:?} matches no file in the report",
                m.display_name()
            ));
        }
        let target = m.target.unwrap_or(plan.target);
        let t = Target {
            percent: target,
            precision: p,
        };
        let g = gap(&view(c, m.metric), t);
        let reached = at_target(c, m.metric, t);
        let statements_needed = reached.covered - c.covered;
        let branches_needed = reached.covered_branches - c.covered_branches;
        let impact_pp =
            total_percent_with(&totals, statements_needed + branches_needed) - total_percent;
        let points_per_hour = m
            .effort
            .map(|e| e.midpoint())
            .filter(|h| *h > 0.0)
            .map(|h| impact_pp / h);
        let combined = c.percent_covered();
        let below_floor = plan
            .floor
            .is_some_and(|f| c.files > 0 && !meets_target(combined, f, p));
        let has_owner = m.owner.as_deref().is_some_and(|o| !o.trim().is_empty());
        let derived_status = if g.passes {
            Status::Done
        } else if has_owner {
            Status::InProgress
        } else {
            Status::Backlog
        };
        let name = m.display_name().to_string();
        modules.push(ModuleStatus {
            index: i,
            patterns: m.patterns().into_iter().map(String::from).collect(),
            counts: *c,
            metric: m.metric,
            current: g.percent,
            combined,
            target,
            meets_target: g.passes,
            gap_pp: g.gap_pp,
            statements_needed,
            branches_needed,
            impact_pp,
            effort: m.effort,
            points_per_hour,
            impact: m.impact,
            owner: m.owner.clone(),
            status: m.status.unwrap_or(derived_status),
            derived_status,
            status_overridden: m.status.is_some(),
            below_floor,
            what_if: what_if.modules.get(&name).copied(),
            phases: plan
                .phases
                .iter()
                .enumerate()
                .filter(|(_, ph)| ph.modules.contains(&name))
                .map(|(j, _)| j)
                .collect(),
            name,
        });
    }

    let mut phases = Vec::with_capacity(plan.phases.len());
    let mut previous_target = plan.baseline;
    for (i, ph) in plan.phases.iter().enumerate() {
        let baseline = ph.baseline.or(previous_target).unwrap_or(0.0);
        previous_target = Some(ph.target);
        let criteria = criteria(plan, ph, &modules, &totals);
        let met = criteria.iter().filter(|c| c.met).count();
        let passes = met == criteria.len();
        let phase_modules = ph
            .modules
            .iter()
            .filter_map(|n| modules.iter().position(|m| m.name == *n))
            .collect();
        phases.push(PhaseStatus {
            index: i,
            name: ph.name.clone(),
            target: ph.target,
            baseline,
            progress: if passes {
                1.0
            } else {
                fraction(total_percent, baseline, ph.target, p)
            },
            passes,
            is_current: false,
            met,
            criteria,
            modules: phase_modules,
            fail_under: ph.exit.fail_under.unwrap_or(ph.target),
        });
    }
    let current_phase = phases.iter().position(|ph| !ph.passes);
    if let Some(ph) = current_phase.and_then(|i| phases.get_mut(i)) {
        ph.is_current = true;
    }

    let t = Target {
        percent: plan.target,
        precision: p,
    };
    let g = gap(&totals, t);
    let baseline = plan
        .baseline
        .or_else(|| plan.phases.first().and_then(|ph| ph.baseline))
        .unwrap_or(0.0);
    let progress = Progress {
        baseline,
        target: plan.target,
        fraction: if g.passes {
            1.0
        } else {
            fraction(total_percent, baseline, plan.target, p)
        },
        phases_passed: phases.iter().filter(|ph| ph.passes).count(),
        phases: phases.len(),
    };
    let whole = super::model::Phase {
        name: String::new(),
        target: plan.target,
        exit: super::model::ExitCriteria {
            no_module_below_floor: plan.floor.is_some(),
            ..Default::default()
        },
        ..Default::default()
    };
    let plan_criteria = criteria(plan, &whole, &modules, &totals);
    PlanStatus {
        name: plan.name.clone(),
        precision: p,
        totals,
        total_percent,
        target: plan.target,
        passes: g.passes,
        gap: g,
        floor: plan.floor,
        modules,
        unmatched: a.unmatched,
        plan_criteria,
        phases,
        current_phase,
        progress,
        what_if: !what_if.is_empty(),
        warnings,
    }
}

/// Share of the way from `baseline` to `target`, in 0..=1. A target at or below the
/// baseline is all or nothing.
fn fraction(now: f64, baseline: f64, target: f64, precision: u8) -> f64 {
    if target <= baseline {
        return if meets_target(now, target, precision) {
            1.0
        } else {
            0.0
        };
    }
    ((now - baseline) / (target - baseline)).clamp(0.0, 1.0)
}

fn criteria(
    plan: &Plan,
    ph: &super::model::Phase,
    modules: &[ModuleStatus],
    totals: &Counts,
) -> Vec<CriterionStatus> {
    let p = plan.precision;
    let total = totals.percent_covered();
    let mut out = Vec::new();
    let shown = |v: f64| format!("{} (shown as {}%)", pct_text(v, p), display_percent(v, p));

    let x = ph.exit.overall_at_least.unwrap_or(ph.target);
    out.push(CriterionStatus {
        kind: CriterionKind::OverallAtLeast,
        label: format!("overall ≥ {}% (combined)", fmt_num(x)),
        module: None,
        expected: x,
        actual: total,
        unit: Unit::Percent,
        met: meets_target(total, x, p),
        detail: shown(total),
    });

    let module_row = |kind, m: &ModuleStatus, y: f64| {
        let mut detail = shown(m.current);
        let t = Target {
            percent: y,
            precision: p,
        };
        let g = gap(&view(&m.counts, m.metric), t);
        if !g.passes {
            let r = at_target(&m.counts, m.metric, t);
            let (ks, kb) = (
                r.covered - m.counts.covered,
                r.covered_branches - m.counts.covered_branches,
            );
            detail.push_str(&match (ks, kb) {
                (ks, 0) => format!("; {} to cover", count(ks, "statement")),
                (0, kb) => format!("; {} to cover", count(kb, "branch")),
                (ks, kb) => format!(
                    "; {} and {} to cover",
                    count(ks, "statement"),
                    count(kb, "branch")
                ),
            });
        }
        CriterionStatus {
            kind,
            label: format!("{} ≥ {}% ({})", m.name, fmt_num(y), m.metric.label()),
            module: Some(m.name.clone()),
            expected: y,
            actual: m.current,
            unit: Unit::Percent,
            met: g.passes,
            detail,
        }
    };
    for (name, y) in &ph.exit.modules_at_least {
        if let Some(m) = modules.iter().find(|m| m.name == *name) {
            out.push(module_row(CriterionKind::ModuleAtLeast, m, *y));
        }
    }
    if ph.exit.modules_at_target {
        for name in &ph.modules {
            if let Some(m) = modules.iter().find(|m| m.name == *name) {
                out.push(module_row(CriterionKind::ModuleAtTarget, m, m.target));
            }
        }
    }

    if ph.exit.no_module_below_floor {
        let floor = plan.floor.unwrap_or(0.0);
        let with_files = modules.iter().filter(|m| m.counts.files > 0);
        let lowest = with_files.clone().map(|m| m.combined).fold(100.0, f64::min);
        let below: Vec<String> = with_files
            .filter(|m| !meets_target(m.combined, floor, p))
            .map(|m| format!("{} {}", m.name, pct_text(m.combined, p)))
            .collect();
        out.push(CriterionStatus {
            kind: CriterionKind::NoModuleBelowFloor,
            label: format!("no module below {}% (combined)", fmt_num(floor)),
            module: None,
            expected: floor,
            actual: lowest,
            unit: Unit::Percent,
            met: below.is_empty(),
            detail: if below.is_empty() {
                format!("lowest module {}", pct_text(lowest, p))
            } else {
                format!("below: {}", below.join(", "))
            },
        });
    }

    if let Some(n) = ph.exit.max_missing_statements {
        out.push(CriterionStatus {
            kind: CriterionKind::MaxMissingStatements,
            label: format!("at most {n} missing statements"),
            module: None,
            expected: n as f64,
            actual: totals.missing as f64,
            unit: Unit::Statements,
            met: totals.missing <= n,
            detail: if totals.missing <= n {
                format!("{} missing", totals.missing)
            } else {
                format!(
                    "{} missing; {} more to cover",
                    totals.missing,
                    totals.missing - n
                )
            },
        });
    }

    if let Some(z) = ph.exit.fail_under {
        let passes = meets_target(total, z, p);
        let configured_ok = plan.configured_fail_under.is_none_or(|c| c >= z);
        let config = match plan.configured_fail_under {
            Some(c) if c >= z => format!("configured fail_under = {}", fmt_num(c)),
            Some(c) => format!(
                "configured fail_under = {}: raise it to {}",
                fmt_num(c),
                fmt_num(z)
            ),
            None => "configured fail_under not recorded in the plan".to_string(),
        };
        out.push(CriterionStatus {
            kind: CriterionKind::FailUnder,
            label: format!("fail_under raised to {}", fmt_num(z)),
            module: None,
            expected: z,
            actual: total,
            unit: Unit::Percent,
            met: passes && configured_ok,
            detail: format!(
                "{} {} fail_under = {}; {config}",
                shown(total),
                if passes { "passes" } else { "fails" },
                fmt_num(z)
            ),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(stmts: u64, covered: u64, branches: u64, cb: u64) -> Counts {
        Counts::new(stmts, covered, branches, cb)
    }

    fn t(percent: f64) -> Target {
        Target {
            percent,
            precision: 0,
        }
    }

    #[test]
    fn at_target_per_metric() {
        // bccache.py from the jinja2 fixture: 168 statements, 62 missing, 32 branches;
        // its 58.50% combined is (106 + 11) / 200, so 11 branches are covered.
        let b = c(168, 106, 32, 11);
        assert_eq!(b.percent_covered(), 58.5);
        // Combined 80%: round(100 × (117 + k) / 200) ≥ 80 → 117 + k ≥ 159 → k = 42.
        let r = at_target(&b, Metric::Combined, t(80.0));
        assert_eq!((r.covered - b.covered, r.covered_branches), (42, 11));
        // Statements 80%: round(100 × (106 + k) / 168) ≥ 80 → 106 + k ≥ 133.56 → 28.
        let r = at_target(&b, Metric::Statements, t(80.0));
        assert_eq!(r.covered - b.covered, 28);
        // Branches 80%: round(100 × (11 + k) / 32) ≥ 80 → 11 + k ≥ 25.44 → 15.
        let r = at_target(&b, Metric::Branches, t(80.0));
        assert_eq!((r.covered, r.covered_branches - 11), (106, 15));
        // 100% combined needs every statement AND every branch.
        let r = at_target(&b, Metric::Combined, t(100.0));
        assert_eq!((r.missing, r.missing_branches), (0, 0));
        // Already met: unchanged.
        assert_eq!(at_target(&b, Metric::Combined, t(50.0)), b);
    }

    #[test]
    fn with_percent_moves_both_ways() {
        let b = c(168, 106, 32, 11);
        // Combined to 90%: least n with round(100 n / 200) ≥ 90 is 179 (89.5 rounds to 90):
        // branches stay at 11, statements become 168.
        let up = with_percent(&b, Metric::Combined, 90.0, 0);
        assert_eq!((up.covered, up.covered_branches), (168, 11));
        // To 95%: 189 units is 94.5%, which Python rounds to 94 (ties to even), so 190:
        // all 168 statements and 22 branches.
        let up = with_percent(&b, Metric::Combined, 95.0, 0);
        assert_eq!(
            (up.covered, up.covered_branches, up.missing_branches),
            (168, 22, 10)
        );
        // Down to 10%: 19 units (9.5 rounds to 10): 8 statements, 11 branches.
        let down = with_percent(&b, Metric::Combined, 10.0, 0);
        assert_eq!(
            (down.covered, down.missing, down.covered_branches),
            (8, 160, 11)
        );
        // Down to 0: nothing covered at all.
        let zero = with_percent(&b, Metric::Combined, 0.0, 0);
        assert_eq!((zero.covered, zero.covered_branches), (0, 0));
        // Statements to 50% at precision 1: least n with round(100 n / 168, 1) ≥ 50.0 → 84.
        let s = with_percent(&b, Metric::Statements, 50.0, 1);
        assert_eq!((s.covered, s.covered_branches), (84, 11));
        // Branches to 100%.
        let br = with_percent(&b, Metric::Branches, 100.0, 0);
        assert_eq!(
            (br.covered, br.covered_branches, br.missing_branches),
            (106, 32, 0)
        );
    }

    #[test]
    fn fraction_table() {
        assert_eq!(fraction(92.0, 90.0, 94.0, 0), 0.5);
        assert_eq!(fraction(80.0, 90.0, 94.0, 0), 0.0);
        assert_eq!(fraction(99.0, 90.0, 94.0, 0), 1.0);
        // Target not above the baseline: met or not.
        assert_eq!(fraction(93.6, 94.0, 94.0, 0), 1.0); // rounds to 94
        assert_eq!(fraction(93.4, 94.0, 94.0, 0), 0.0);
    }
}
