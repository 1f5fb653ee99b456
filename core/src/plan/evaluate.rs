//! A plan measured against a report: per-module numbers, impact on the total, the kanban
//! column, and every phase's exit criteria, with what-if overrides applied first.
//!
//! Every figure is judged on a metric the report carries, by the report's own tool's
//! rules ([`Rules`]): coverage.py's combined figure and `fail_under` rounding for a
//! coverage.py report, Istanbul's floored percentages for nyc, and so on. Matching files
//! to modules ([`assign`]) is the only step that looks at paths; it is done once per
//! plan and report. [`evaluate_assigned`] is pure arithmetic over module counts, cheap
//! enough to re-run on every slider move.

use super::glob::{normalize, Pattern};
use super::model::{fmt_num, Effort, Impact, Plan, Status};
use crate::analysis::gaps::{gap, least, Gap, Target};
use crate::model::{Counts, Metric, Report, Tally};
use crate::rules::{Rules, Tool};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Which module owns each report file, the counts that follow, and what the plan needs
/// to know of the report (its tool, its metrics, its files' counts).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Assignment {
    /// The tool whose rules judge the report.
    pub tool: Tool,
    /// Its rules, as the report's tool version writes them.
    #[serde(skip)]
    pub rules: &'static Rules,
    /// The metrics the report carries.
    pub metrics: Vec<Metric>,
    /// The report's headline metric.
    pub headline: Metric,
    /// For each report file, in report order, the index of the module that owns it.
    pub module_of_file: Vec<Option<usize>>,
    /// Each report file's path and counts, in report order (for file floors).
    pub files: Vec<(String, Counts)>,
    /// Per module, in plan order: the sum of its files' counts.
    pub module_counts: Vec<Counts>,
    /// Per module, in plan order: when it matches no file, the report's paths nearest
    /// to its patterns (at most three); empty otherwise.
    pub suggestions: Vec<Vec<String>>,
    /// Per module, in plan order: when its patterns do match files but every one of them
    /// belongs to a module listed earlier, that module's index.
    pub shadowed_by: Vec<Option<usize>>,
    /// The files no module matches (they still count in the total).
    pub unmatched: Counts,
}

impl Assignment {
    /// The rules of the report's tool.
    pub fn rules(&self) -> &'static Rules {
        self.rules
    }
}

/// Gives each report file to the FIRST module (in plan order) with a matching pattern,
/// so no file is counted twice; list specific modules before catch-alls like `src/**`.
/// A module that matches nothing gets the report's nearest paths as suggestions.
pub fn assign(plan: &Plan, report: &Report) -> Assignment {
    let patterns: Vec<Vec<Pattern>> = plan
        .modules
        .iter()
        .map(|m| m.patterns().into_iter().map(Pattern::new).collect())
        .collect();
    let mut module_counts = vec![Counts::default(); plan.modules.len()];
    let mut unmatched = Counts::default();
    let mut module_of_file = Vec::with_capacity(report.files.len());
    let mut files = Vec::with_capacity(report.files.len());
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
        files.push((f.path.clone(), f.counts));
    }
    // A module without files either matches nothing (a typo?) or only files that an
    // earlier module already owns; say which.
    let mut suggestions = vec![Vec::new(); plan.modules.len()];
    let mut shadowed_by = vec![None; plan.modules.len()];
    for (i, c) in module_counts.iter().enumerate() {
        if c.files > 0 {
            continue;
        }
        let ps = patterns.get(i).map_or(&[][..], Vec::as_slice);
        let owner = report.files.iter().zip(&module_of_file).find_map(|(f, o)| {
            let path = normalize(&f.path);
            ps.iter()
                .any(|p| p.matches_normalized(&path))
                .then_some(*o)
                .flatten()
        });
        match owner {
            Some(o) => {
                if let Some(slot) = shadowed_by.get_mut(i) {
                    *slot = Some(o);
                }
            }
            None => {
                if let (Some(m), Some(slot)) = (plan.modules.get(i), suggestions.get_mut(i)) {
                    *slot =
                        nearest_paths(&m.patterns(), report.files.iter().map(|f| f.path.as_str()));
                }
            }
        }
    }
    Assignment {
        tool: report.source.tool,
        rules: report.rules(),
        metrics: report.metrics.clone(),
        headline: report.headline(),
        module_of_file,
        files,
        module_counts,
        suggestions,
        shadowed_by,
        unmatched,
    }
}

/// The report paths (and directories) nearest to `patterns` by edit distance: at most
/// three, each within a quarter of the pattern's length (at least 3 edits).
pub fn nearest_paths<'a>(patterns: &[&str], paths: impl Iterator<Item = &'a str>) -> Vec<String> {
    // A glob is compared by its literal part before the first wildcard.
    let wanted: Vec<String> = patterns
        .iter()
        .map(|p| {
            let p = normalize(p);
            let lit: String = p.chars().take_while(|c| !matches!(c, '*' | '?')).collect();
            lit.trim_end_matches('/').to_string()
        })
        .filter(|p| !p.is_empty())
        .collect();
    let mut candidates: Vec<String> = Vec::new();
    for p in paths {
        let p = normalize(p);
        let mut dir = p.as_str();
        while let Some((d, _)) = dir.rsplit_once('/') {
            candidates.push(d.to_string());
            dir = d;
        }
        candidates.push(p);
    }
    candidates.sort_unstable();
    candidates.dedup();
    let mut scored: Vec<(usize, String)> = Vec::new();
    for c in candidates {
        let best = wanted
            .iter()
            .map(|lit| {
                let limit = (lit.chars().count() / 4).max(3);
                let d = super::parse::edit_distance(lit, &c);
                // A pattern that is the tail of a path ("click/decorators.py") is near.
                let tail = c.ends_with(&format!("/{lit}"));
                if tail {
                    Some(0)
                } else {
                    (d <= limit).then_some(d)
                }
            })
            .min()
            .flatten();
        if let Some(d) = best {
            scored.push((d, c));
        }
    }
    scored.sort();
    // Only the nearest: a one-letter typo is not followed by paths four edits away.
    let best = scored.first().map_or(0, |(d, _)| *d);
    scored
        .into_iter()
        .take_while(|(d, _)| *d == best)
        .take(3)
        .map(|(_, c)| c)
        .collect()
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
    /// The tool whose rules judged the report.
    pub tool: Tool,
    /// Its rules.
    #[serde(skip)]
    pub rules: &'static Rules,
    /// The metric the overall target and the floor are judged on.
    pub metric: Metric,
    /// Decimal places used for every pass/fail judgement (coverage.py's rule only).
    pub precision: u8,
    /// The whole report's counts, what-if overrides applied.
    pub totals: Counts,
    /// The total on the plan's metric.
    pub total_percent: f64,
    /// The plan's overall target.
    pub target: f64,
    /// Does the total meet the target (the tool's own gate)?
    pub passes: bool,
    /// The total against the target: gap in points and units still needed.
    pub gap: Gap,
    /// The plan's floor, if any.
    pub floor: Option<f64>,
    /// Modules, in plan order.
    pub modules: Vec<ModuleStatus>,
    /// Counts of the files that belong to no module.
    pub unmatched: Counts,
    /// The plan's own criteria, judged as for a phase: the total meets the target, every
    /// module matches files and, with a floor, no module is below it. What `covgap check`
    /// checks in a plan without phases.
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
    /// no module, a metric the report does not carry).
    pub warnings: Vec<String>,
}

impl PlanStatus {
    /// The rules of the report's tool.
    pub fn rules(&self) -> &'static Rules {
        self.rules
    }

    /// Modules that match no file and are not marked optional: a plan with any of them
    /// cannot pass.
    pub fn missing_modules(&self) -> impl Iterator<Item = &ModuleStatus> {
        self.modules.iter().filter(|m| !m.matched && !m.optional)
    }

    /// A percentage as the report's tool shows it, with at least two decimals for
    /// coverage.py (as `coverage report --precision=2` shows it).
    pub fn pct_text(&self, v: f64) -> String {
        pct_text(self.rules(), v, self.precision)
    }
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
    /// Whether any report file matches it.
    pub matched: bool,
    /// Marked optional in the plan: matching no file is expected.
    pub optional: bool,
    /// When it matches no file: the report's nearest paths.
    pub suggestions: Vec<String>,
    /// When its patterns match only files an earlier module owns: that module's name.
    pub shadowed_by: Option<String>,
    /// Sum of its files' counts, override applied.
    pub counts: Counts,
    /// The figure its target is judged on.
    pub metric: Metric,
    /// Coverage on that figure now (0 when it matches no file).
    pub current: f64,
    /// Its coverage on the plan's metric (the floor is judged on it).
    pub plan_percent: f64,
    /// Its target.
    pub target: f64,
    /// Does it meet its target (the tool's gate at the plan's precision)? Never for a
    /// module that matches no file; always for an optional one.
    pub meets_target: bool,
    /// Points from the current figure to the pass mark; 0 when met.
    pub gap_pp: f64,
    /// What must be covered to meet the target, per unit: statements then branches for
    /// the combined figure, else the metric's own units. Empty when met.
    #[serde(serialize_with = "metric_map")]
    pub to_cover: Vec<(Metric, u64)>,
    /// Units of the plan's metric the TOTAL gains if this module alone reaches its
    /// target.
    pub gain: u64,
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
    /// Is its plan-metric figure below the plan's floor?
    pub below_floor: bool,
    /// The what-if override applied to it.
    pub what_if: Option<ModuleOverride>,
    /// Indices of the phases that list it.
    pub phases: Vec<usize>,
}

impl ModuleStatus {
    /// How many of `unit` must be covered to meet the target.
    pub fn needed(&self, unit: Metric) -> u64 {
        self.to_cover
            .iter()
            .find(|(u, _)| *u == unit)
            .map_or(0, |(_, n)| *n)
    }

    /// All units to cover, added (statements and branches for the combined figure).
    pub fn work(&self) -> u64 {
        self.to_cover.iter().map(|(_, n)| n).sum()
    }

    /// What to cover in words: `28 statements and 3 branches`; empty when nothing.
    pub fn to_cover_text(&self) -> String {
        to_cover_text(&self.to_cover)
    }
}

/// `28 statements and 3 branches`, `4 lines`; empty for nothing.
pub fn to_cover_text(v: &[(Metric, u64)]) -> String {
    let parts: Vec<String> = v
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(m, n)| m.units(*n))
        .collect();
    parts.join(" and ")
}

pub(crate) fn metric_map<S: serde::Serializer>(
    v: &[(Metric, u64)],
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, n) in v {
        m.serialize_entry(k.key(), n)?;
    }
    m.end()
}

/// One phase: its criteria, progress and gate.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PhaseStatus {
    /// Index in the plan's phase list.
    pub index: usize,
    /// Title.
    pub name: String,
    /// The figure its overall target is judged on.
    pub metric: Metric,
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
    /// Every module it uses matches at least one file (optional ones excepted).
    ModulesMatch,
    /// One module meets a percentage (`modules_at_least`).
    ModuleAtLeast,
    /// One of the phase's modules meets its own target (`modules_at_target`).
    ModuleAtTarget,
    /// No module is below the floor.
    NoModuleBelowFloor,
    /// No file is below the floor.
    NoFileBelowFloor,
    /// The report has at most N missing statements (or lines).
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
    /// Statements (or the metric's own units).
    Statements,
    /// Modules or files.
    Count,
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
    /// The files (or modules) it names: those below a floor, those matching nothing.
    pub items: Vec<String>,
}

/// Measures `plan` against `report` with `what_if` applied. Matches paths every call:
/// for repeated evaluation of one report, call [`assign`] once and [`evaluate_assigned`].
pub fn evaluate(plan: &Plan, report: &Report, what_if: &WhatIf) -> PlanStatus {
    evaluate_assigned(plan, &assign(plan, report), what_if)
}

/// Whether `m` of `c` has nothing to measure: such a figure passes any target (and
/// coverage.py's combined figure counts as 100% without statements).
fn empty(c: &Counts, m: Metric) -> bool {
    c.get(m).total == 0 || (m == Metric::Combined && c.statements.total == 0)
}

/// Coverage of `c` on `m` under `rules`.
pub fn metric_percent(c: &Counts, m: Metric, rules: &Rules) -> f64 {
    rules.percent(c, m)
}

fn passes(c: &Counts, m: Metric, rules: &Rules, t: Target) -> bool {
    empty(c, m) || rules.passes(rules.percent(c, m), t.percent, t.precision)
}

/// `c` with `extra` more of `m` covered. For the combined figure the extra goes to
/// statements first, then branches (what a test that runs a line also tends to do).
fn cover_more(mut c: Counts, m: Metric, extra: u64) -> Counts {
    match c.get_mut(m) {
        Some(t) => *t = t.with_covered(extra),
        None => {
            let s = extra.min(c.statements.missing());
            c.statements = c.statements.with_covered(s);
            c.branches = c.branches.with_covered(extra - s);
        }
    }
    if m == Metric::Branches || m == Metric::Combined {
        c.partial_branches = c.partial_branches.min(c.branches.missing());
    }
    c
}

/// `c` with the least extra coverage that meets `t` on `m`: for the combined figure,
/// statements first, then branches when statements alone cannot reach it.
pub fn at_target(c: &Counts, m: Metric, rules: &Rules, t: Target) -> Counts {
    let g = gap(c, m, rules, t);
    let k = g
        .statements_needed
        .or(g.needed)
        .unwrap_or(c.get(m).missing());
    match (m, g.statements_needed) {
        (Metric::Combined, Some(k)) => cover_more(*c, Metric::Statements, k),
        _ => cover_more(*c, m, k),
    }
}

/// `c` with its `m` figure moved to `pct`: the least covered count that meets `pct`
/// under the tool's gate, up or down from today. For the combined figure branches stay
/// as they are while statements can absorb the change.
pub fn with_percent(c: &Counts, m: Metric, rules: &Rules, pct: f64, precision: u8) -> Counts {
    let t = c.get(m);
    if empty(c, m) {
        return *c;
    }
    let n = least(t.total, |n| {
        rules.passes(rules.tally_percent(Tally::new(n, t.total)), pct, precision)
    })
    .unwrap_or(t.total);
    let mut out = *c;
    match out.get_mut(m) {
        Some(x) => x.covered = n,
        None => {
            let covered = n.saturating_sub(c.branches.covered).min(c.statements.total);
            out.statements.covered = covered;
            out.branches.covered = (n - covered).min(c.branches.total);
        }
    }
    out.partial_branches = out.partial_branches.min(out.branches.missing());
    out
}

/// What reaching `reached` from `c` covers, per unit of `m`.
fn work(c: &Counts, reached: &Counts, m: Metric) -> Vec<(Metric, u64)> {
    let units: &[Metric] = match m {
        Metric::Combined => &[Metric::Statements, Metric::Branches],
        _ => std::slice::from_ref(&m),
    };
    units
        .iter()
        .map(|&u| (u, reached.get(u).covered.saturating_sub(c.get(u).covered)))
        .filter(|(_, n)| *n > 0)
        .collect()
}

/// A percentage as the tool shows it, with at least two decimals for coverage.py (as
/// `coverage report --precision=2` shows it), and a `%` sign.
fn pct_text(rules: &Rules, v: f64, precision: u8) -> String {
    let p = if rules.uses_precision() {
        precision.max(2)
    } else {
        precision
    };
    format!("{}%", rules.display_percent(v, p))
}

/// The metric asked for if the report carries it, else the report's headline (and a
/// warning saying so, once per place).
fn resolve(
    asked: Option<Metric>,
    fallback: Metric,
    a: &Assignment,
    place: &str,
    warnings: &mut Vec<String>,
) -> Metric {
    match asked {
        Some(m) if a.metrics.contains(&m) => m,
        Some(m) => {
            warnings.push(format!(
                "{place} is judged on {m}, which this {} report does not measure; judged on \
                 {} instead",
                a.tool.name(),
                fallback.key()
            ));
            fallback
        }
        None => fallback,
    }
}

/// [`evaluate`] on a precomputed [`Assignment`].
pub fn evaluate_assigned(plan: &Plan, a: &Assignment, what_if: &WhatIf) -> PlanStatus {
    let p = plan.precision;
    let rules = a.rules();
    let mut warnings = Vec::new();
    let plan_metric = resolve(plan.metric, a.headline, a, "the plan", &mut warnings);
    let module_metrics: Vec<Metric> = plan
        .modules
        .iter()
        .map(|m| {
            let place = format!("module {:?}", m.display_name());
            resolve(m.metric, plan_metric, a, &place, &mut warnings)
        })
        .collect();

    // Overrides first: every number below, totals included, starts from these counts.
    let mut counts: Vec<Counts> = Vec::with_capacity(plan.modules.len());
    for ((i, m), &metric) in plan.modules.iter().enumerate().zip(&module_metrics) {
        let c = a.module_counts.get(i).copied().unwrap_or_default();
        let t = Target {
            percent: m.target.unwrap_or(plan.target),
            precision: p,
        };
        let c = match what_if.modules.get(m.display_name()) {
            Some(ModuleOverride::Done) => at_target(&c, metric, rules, t),
            Some(ModuleOverride::Percent(x)) => with_percent(&c, metric, rules, *x, p),
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
    let total_percent = rules.percent(&totals, plan_metric);

    let mut modules = Vec::with_capacity(plan.modules.len());
    for (i, ((m, c), &metric)) in plan
        .modules
        .iter()
        .zip(&counts)
        .zip(&module_metrics)
        .enumerate()
    {
        let matched = c.files > 0;
        let suggestions = a.suggestions.get(i).cloned().unwrap_or_default();
        let shadowed_by = a
            .shadowed_by
            .get(i)
            .copied()
            .flatten()
            .and_then(|o| plan.modules.get(o))
            .map(|o| o.display_name().to_string());
        if !matched {
            warnings.push(format!(
                "module {:?} ({}) {}{}",
                m.display_name(),
                m.patterns().join(", "),
                why_empty(&suggestions, shadowed_by.as_deref()),
                if m.optional { " (it is optional)" } else { "" }
            ));
        }
        let target = m.target.unwrap_or(plan.target);
        let t = Target {
            percent: target,
            precision: p,
        };
        let g = gap(c, metric, rules, t);
        let reached = at_target(c, metric, rules, t);
        let to_cover = work(c, &reached, metric);
        let gain = reached
            .get(plan_metric)
            .covered
            .saturating_sub(c.get(plan_metric).covered);
        let impact_pp = rules.percent(&totals.with_gain(c, &reached), plan_metric) - total_percent;
        let points_per_hour = m
            .effort
            .map(|e| e.midpoint())
            .filter(|h| *h > 0.0)
            .map(|h| impact_pp / h);
        let plan_percent = rules.percent(c, plan_metric);
        let below_floor = plan.floor.is_some_and(|f| {
            matched
                && !passes(
                    c,
                    plan_metric,
                    rules,
                    Target {
                        percent: f,
                        precision: p,
                    },
                )
        });
        let meets_target = if matched { g.passes } else { m.optional };
        let has_owner = m.owner.as_deref().is_some_and(|o| !o.trim().is_empty());
        let derived_status = if meets_target {
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
            matched,
            optional: m.optional,
            suggestions,
            shadowed_by,
            counts: *c,
            metric,
            current: if matched { g.percent } else { 0.0 },
            plan_percent,
            target,
            meets_target,
            gap_pp: if matched { g.gap_pp } else { 0.0 },
            to_cover: if matched { to_cover } else { Vec::new() },
            gain: if matched { gain } else { 0 },
            impact_pp: if matched { impact_pp } else { 0.0 },
            effort: m.effort,
            points_per_hour: if matched { points_per_hour } else { None },
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

    let judge = Judge {
        plan,
        a,
        rules,
        modules: &modules,
        totals: &totals,
        plan_metric,
    };
    let mut phases = Vec::with_capacity(plan.phases.len());
    let mut previous_target = plan.baseline;
    for (i, ph) in plan.phases.iter().enumerate() {
        let place = format!("phase {:?}", ph.name);
        let metric = resolve(ph.metric, plan_metric, a, &place, &mut warnings);
        let baseline = ph.baseline.or(previous_target).unwrap_or(0.0);
        previous_target = Some(ph.target);
        let criteria = judge.criteria(ph, metric);
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
            metric,
            target: ph.target,
            baseline,
            progress: if passes {
                1.0
            } else {
                fraction(
                    rules.percent(&totals, metric),
                    baseline,
                    ph.target,
                    rules,
                    p,
                )
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
    let g = gap(&totals, plan_metric, rules, t);
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
            fraction(total_percent, baseline, plan.target, rules, p)
        },
        phases_passed: phases.iter().filter(|ph| ph.passes).count(),
        phases: phases.len(),
    };
    let whole = super::model::Phase {
        name: String::new(),
        target: plan.target,
        modules: plan
            .modules
            .iter()
            .map(|m| m.display_name().to_string())
            .collect(),
        exit: super::model::ExitCriteria {
            no_module_below_floor: plan.floor.is_some(),
            ..Default::default()
        },
        ..Default::default()
    };
    let plan_criteria = judge.criteria(&whole, plan_metric);
    PlanStatus {
        name: plan.name.clone(),
        tool: a.tool,
        rules,
        metric: plan_metric,
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

/// Why a module has no files: "matches no file in the report; did you mean …?", or
/// "matches only files that module "X", listed earlier, already owns".
pub fn why_empty(suggestions: &[String], shadowed_by: Option<&str>) -> String {
    match shadowed_by {
        Some(o) => format!(
            "matches only files that module {o:?}, listed earlier, already owns (each file \
             belongs to the first module that matches it)"
        ),
        None if suggestions.is_empty() => "matches no file in the report".to_string(),
        None => format!(
            "matches no file in the report; did you mean {}?",
            suggestions.join(" or ")
        ),
    }
}

/// Share of the way from `baseline` to `target`, in 0..=1. A target at or below the
/// baseline is all or nothing.
fn fraction(now: f64, baseline: f64, target: f64, rules: &Rules, precision: u8) -> f64 {
    if target <= baseline {
        return if rules.passes(now, target, precision) {
            1.0
        } else {
            0.0
        };
    }
    ((now - baseline) / (target - baseline)).clamp(0.0, 1.0)
}

/// What every criterion is judged against.
struct Judge<'a> {
    plan: &'a Plan,
    a: &'a Assignment,
    rules: &'static Rules,
    modules: &'a [ModuleStatus],
    totals: &'a Counts,
    plan_metric: Metric,
}

impl Judge<'_> {
    fn pct(&self, v: f64) -> String {
        pct_text(self.rules, v, self.plan.precision)
    }

    /// `92.21% (shown as 92%)` for coverage.py; the tool's own figure otherwise.
    fn shown(&self, v: f64) -> String {
        let p = self.plan.precision;
        if self.rules.uses_precision() {
            format!(
                "{} (shown as {}%)",
                self.pct(v),
                self.rules.display_percent(v, p)
            )
        } else {
            self.pct(v)
        }
    }

    fn target(&self, percent: f64) -> Target {
        Target {
            percent,
            precision: self.plan.precision,
        }
    }

    fn criteria(&self, ph: &super::model::Phase, metric: Metric) -> Vec<CriterionStatus> {
        let (plan, rules, totals) = (self.plan, self.rules, self.totals);
        let total = rules.percent(totals, metric);
        let mut out = Vec::new();

        let x = ph.exit.overall_at_least.unwrap_or(ph.target);
        out.push(CriterionStatus {
            kind: CriterionKind::OverallAtLeast,
            label: format!("overall ≥ {}% ({})", fmt_num(x), metric.key()),
            module: None,
            expected: x,
            actual: total,
            unit: Unit::Percent,
            met: passes(totals, metric, rules, self.target(x)),
            detail: self.shown(total),
            items: Vec::new(),
        });

        // Every module the phase uses must match files: a typo never passes.
        let used: Vec<&ModuleStatus> = self
            .modules
            .iter()
            .filter(|m| {
                ph.modules.contains(&m.name)
                    || ph.exit.modules_at_least.iter().any(|(n, _)| *n == m.name)
            })
            .collect();
        let missing: Vec<&&ModuleStatus> =
            used.iter().filter(|m| !m.matched && !m.optional).collect();
        // Shown only when a module it uses matches nothing: the usual case needs no line.
        if used.iter().any(|m| !m.matched) {
            let items: Vec<String> = missing
                .iter()
                .map(|m| {
                    format!(
                        "{} ({}) {}",
                        m.name,
                        m.patterns.join(", "),
                        why_empty(&m.suggestions, m.shadowed_by.as_deref())
                    )
                })
                .collect();
            out.push(CriterionStatus {
                kind: CriterionKind::ModulesMatch,
                label: "every module matches files".to_string(),
                module: None,
                expected: 0.0,
                actual: missing.len() as f64,
                unit: Unit::Count,
                met: missing.is_empty(),
                detail: if missing.is_empty() {
                    let optional: Vec<&str> = used
                        .iter()
                        .filter(|m| !m.matched)
                        .map(|m| m.name.as_str())
                        .collect();
                    format!("matching no file, but optional: {}", optional.join(", "))
                } else {
                    items.join("; ")
                },
                items,
            });
        }

        let module_row = |kind, m: &ModuleStatus, y: f64| {
            let label = format!("{} ≥ {}% ({})", m.name, fmt_num(y), m.metric.key());
            if !m.matched {
                return CriterionStatus {
                    kind,
                    label,
                    module: Some(m.name.clone()),
                    expected: y,
                    actual: 0.0,
                    unit: Unit::Percent,
                    met: m.optional,
                    detail: if m.optional {
                        "optional module: matches no file".to_string()
                    } else {
                        format!("matches no file ({})", m.patterns.join(", "))
                    },
                    items: Vec::new(),
                };
            }
            let mut detail = self.shown(m.current);
            let t = self.target(y);
            let met = passes(&m.counts, m.metric, rules, t);
            if !met {
                let r = at_target(&m.counts, m.metric, rules, t);
                let w = work(&m.counts, &r, m.metric);
                if !w.is_empty() {
                    detail.push_str(&format!("; {} to cover", to_cover_text(&w)));
                }
            }
            CriterionStatus {
                kind,
                label,
                module: Some(m.name.clone()),
                expected: y,
                actual: m.current,
                unit: Unit::Percent,
                met,
                detail,
                items: Vec::new(),
            }
        };
        for (name, y) in &ph.exit.modules_at_least {
            if let Some(m) = self.modules.iter().find(|m| m.name == *name) {
                out.push(module_row(CriterionKind::ModuleAtLeast, m, *y));
            }
        }
        if ph.exit.modules_at_target {
            for name in &ph.modules {
                if let Some(m) = self.modules.iter().find(|m| m.name == *name) {
                    out.push(module_row(CriterionKind::ModuleAtTarget, m, m.target));
                }
            }
        }

        let pm = self.plan_metric;
        if ph.exit.no_module_below_floor {
            let floor = plan.floor.unwrap_or(0.0);
            let with_files = self.modules.iter().filter(|m| m.matched);
            let lowest = with_files
                .clone()
                .map(|m| m.plan_percent)
                .fold(f64::INFINITY, f64::min);
            let below: Vec<&ModuleStatus> = with_files.filter(|m| m.below_floor).collect();
            out.push(CriterionStatus {
                kind: CriterionKind::NoModuleBelowFloor,
                label: format!("no module below {}% ({})", fmt_num(floor), pm.key()),
                module: None,
                expected: floor,
                actual: if lowest.is_finite() { lowest } else { 100.0 },
                unit: Unit::Percent,
                met: below.is_empty(),
                detail: if !lowest.is_finite() {
                    "no module matches any file".to_string()
                } else if below.is_empty() {
                    format!("lowest module {}", self.pct(lowest))
                } else {
                    format!(
                        "below: {}",
                        below
                            .iter()
                            .map(|m| format!("{} {}", m.name, self.pct(m.plan_percent)))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                },
                items: below.iter().map(|m| m.name.clone()).collect(),
            });
        }

        if ph.exit.no_file_below_floor {
            out.push(self.file_floor(pm));
        }

        if let Some(n) = ph.exit.max_missing_statements {
            let unit = pm.count_basis();
            let missing = totals.get(unit).missing();
            let words = unit.units(n);
            let plural = words.split_once(' ').map_or(words.as_str(), |(_, w)| w);
            out.push(CriterionStatus {
                kind: CriterionKind::MaxMissingStatements,
                label: format!("at most {n} missing {plural}"),
                module: None,
                expected: n as f64,
                actual: missing as f64,
                unit: Unit::Statements,
                met: missing <= n,
                detail: if missing <= n {
                    format!("{missing} missing")
                } else {
                    format!("{missing} missing; {} more to cover", missing - n)
                },
                items: Vec::new(),
            });
        }

        if let Some(z) = ph.exit.fail_under {
            let ok = passes(totals, metric, rules, self.target(z));
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
                met: ok && configured_ok,
                detail: format!(
                    "{} {} fail_under = {}; {config}",
                    self.shown(total),
                    if ok { "passes" } else { "fails" },
                    fmt_num(z)
                ),
                items: Vec::new(),
            });
        }
        out
    }

    /// "No file below the floor": every file that belongs to a module (every file when
    /// the plan has no modules), judged on the plan's metric.
    fn file_floor(&self, pm: Metric) -> CriterionStatus {
        let floor = self.plan.floor.unwrap_or(0.0);
        let t = self.target(floor);
        let no_modules = self.plan.modules.is_empty();
        let mut judged = 0usize;
        let mut below: Vec<(f64, &str)> = Vec::new();
        let mut lowest = f64::INFINITY;
        for (i, (path, c)) in self.a.files.iter().enumerate() {
            let owned = no_modules || self.a.module_of_file.get(i).copied().flatten().is_some();
            if !owned || empty(c, pm) {
                continue;
            }
            judged += 1;
            let v = self.rules.percent(c, pm);
            lowest = lowest.min(v);
            if !passes(c, pm, self.rules, t) {
                below.push((v, path));
            }
        }
        below.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(b.1)));
        let scope = if no_modules {
            "files"
        } else {
            "files of the plan's modules"
        };
        const SHOWN: usize = 10;
        CriterionStatus {
            kind: CriterionKind::NoFileBelowFloor,
            label: format!("no file below {}% ({})", fmt_num(floor), pm.key()),
            module: None,
            expected: floor,
            actual: if lowest.is_finite() { lowest } else { 100.0 },
            unit: Unit::Percent,
            met: below.is_empty(),
            detail: if judged == 0 {
                format!("no {scope} to judge")
            } else if below.is_empty() {
                format!("{judged} {scope}; lowest {}", self.pct(lowest))
            } else {
                let mut s = format!(
                    "{} of {judged} {scope} below: {}",
                    below.len(),
                    below
                        .iter()
                        .take(SHOWN)
                        .map(|(v, p)| format!("{p} {}", self.pct(*v)))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                if below.len() > SHOWN {
                    s.push_str(&format!(", and {} more", below.len() - SHOWN));
                }
                s
            },
            items: below.iter().map(|(_, p)| p.to_string()).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::COVERAGEPY;

    fn c(stmts: u64, covered: u64, branches: u64, cb: u64) -> Counts {
        Counts::coveragepy(stmts, covered, branches, cb)
    }

    fn t(percent: f64) -> Target {
        Target {
            percent,
            precision: 0,
        }
    }

    fn pct(c: &Counts) -> f64 {
        COVERAGEPY.percent(c, Metric::Combined)
    }

    #[test]
    fn at_target_per_metric() {
        let r = &COVERAGEPY;
        // bccache.py from the jinja2 fixture: 168 statements, 62 missing, 32 branches;
        // its 58.50% combined is (106 + 11) / 200, so 11 branches are covered.
        let b = c(168, 106, 32, 11);
        assert_eq!(pct(&b), 58.5);
        // Combined 80%: round(100 × (117 + k) / 200) ≥ 80 → 117 + k ≥ 159 → k = 42.
        let x = at_target(&b, Metric::Combined, r, t(80.0));
        assert_eq!(
            (
                x.statements.covered - b.statements.covered,
                x.branches.covered
            ),
            (42, 11)
        );
        // Statements 80%: round(100 × (106 + k) / 168) ≥ 80 → 106 + k ≥ 133.56 → 28.
        let x = at_target(&b, Metric::Statements, r, t(80.0));
        assert_eq!(x.statements.covered - b.statements.covered, 28);
        // Branches 80%: round(100 × (11 + k) / 32) ≥ 80 → 11 + k ≥ 25.44 → 15.
        let x = at_target(&b, Metric::Branches, r, t(80.0));
        assert_eq!((x.statements.covered, x.branches.covered - 11), (106, 15));
        // 100% combined needs every statement AND every branch.
        let x = at_target(&b, Metric::Combined, r, t(100.0));
        assert_eq!((x.statements.missing(), x.branches.missing()), (0, 0));
        // Already met: unchanged.
        assert_eq!(at_target(&b, Metric::Combined, r, t(50.0)), b);
    }

    #[test]
    fn with_percent_moves_both_ways() {
        let r = &COVERAGEPY;
        let b = c(168, 106, 32, 11);
        // Combined to 90%: least n with round(100 n / 200) ≥ 90 is 179 (89.5 rounds to 90):
        // branches stay at 11, statements become 168.
        let up = with_percent(&b, Metric::Combined, r, 90.0, 0);
        assert_eq!((up.statements.covered, up.branches.covered), (168, 11));
        // To 95%: 189 units is 94.5%, which Python rounds to 94 (ties to even), so 190:
        // all 168 statements and 22 branches.
        let up = with_percent(&b, Metric::Combined, r, 95.0, 0);
        assert_eq!(
            (
                up.statements.covered,
                up.branches.covered,
                up.branches.missing()
            ),
            (168, 22, 10)
        );
        // Down to 10%: 19 units (9.5 rounds to 10): 8 statements, 11 branches.
        let down = with_percent(&b, Metric::Combined, r, 10.0, 0);
        assert_eq!(
            (
                down.statements.covered,
                down.statements.missing(),
                down.branches.covered
            ),
            (8, 160, 11)
        );
        // Down to 0: nothing covered at all.
        let zero = with_percent(&b, Metric::Combined, r, 0.0, 0);
        assert_eq!((zero.statements.covered, zero.branches.covered), (0, 0));
        // Statements to 50% at precision 1: least n with round(100 n / 168, 1) ≥ 50.0 → 84.
        let s = with_percent(&b, Metric::Statements, r, 50.0, 1);
        assert_eq!((s.statements.covered, s.branches.covered), (84, 11));
        // Branches to 100%.
        let br = with_percent(&b, Metric::Branches, r, 100.0, 0);
        assert_eq!(
            (
                br.statements.covered,
                br.branches.covered,
                br.branches.missing()
            ),
            (106, 32, 0)
        );
    }

    #[test]
    fn fraction_table() {
        let r = &COVERAGEPY;
        assert_eq!(fraction(92.0, 90.0, 94.0, r, 0), 0.5);
        assert_eq!(fraction(80.0, 90.0, 94.0, r, 0), 0.0);
        assert_eq!(fraction(99.0, 90.0, 94.0, r, 0), 1.0);
        // Target not above the baseline: met or not.
        assert_eq!(fraction(93.6, 94.0, 94.0, r, 0), 1.0); // rounds to 94
        assert_eq!(fraction(93.4, 94.0, 94.0, r, 0), 0.0);
    }

    #[test]
    fn nearest_paths_suggest_the_typo_fix() {
        let paths = [
            "src/click/decorators.py",
            "src/click/core.py",
            "tests/test_a.py",
        ];
        assert_eq!(
            nearest_paths(&["src/click/decorator.py"], paths.iter().copied()),
            ["src/click/decorators.py"]
        );
        assert_eq!(
            nearest_paths(&["click/core.py"], paths.iter().copied()),
            ["src/click/core.py"]
        );
        assert!(nearest_paths(&["docs/zzz/qqq.md"], paths.iter().copied()).is_empty());
    }
}
