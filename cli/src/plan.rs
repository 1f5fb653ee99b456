//! `covgap check` (a CI gate on a plan's phase) and `covgap plan` (the priority and
//! phase tables).
//!
//! `check` exits 0 when the phase passes, 1 when it does not, 2 when the report, the
//! plan or the arguments cannot be used.

use crate::{load, to_json};
use clap::{Args, ValueEnum};
use covgap_core::export::plan as export;
use covgap_core::plan::{
    cheapest_path, evaluate, parse_plan, quick_wins, sort_modules, CheapestPath, CriterionStatus,
    Plan, PlanStatus, PriorityColumn, WhatIf,
};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Arguments of `covgap check`.
#[derive(Args)]
pub struct CheckArgs {
    /// A coverage.py JSON report.
    report: PathBuf,
    /// The plan file (JSON; see docs/plan-format.md).
    #[arg(long)]
    plan: PathBuf,
    /// Phase to check, from 1. Default: the current phase (the first that does not pass).
    #[arg(long)]
    phase: Option<usize>,
}

/// Arguments of `covgap plan`.
#[derive(Args)]
pub struct PlanArgs {
    /// A coverage.py JSON report.
    report: PathBuf,
    /// The plan file (JSON; see docs/plan-format.md).
    #[arg(long)]
    plan: PathBuf,
    /// Output format; pyproject and coveragerc print the current phase's gate config.
    #[arg(long, value_enum, default_value_t = PlanFormat::Md)]
    format: PlanFormat,
    /// Sort the priority table by this column (largest first, except module).
    #[arg(long, value_enum, default_value_t = SortBy::Impact)]
    sort: SortBy,
    /// Reverse the sort order.
    #[arg(long)]
    reverse: bool,
    /// Order by the quick-wins preset instead: modules below target, most points per hour first.
    #[arg(long, conflicts_with_all = ["sort", "reverse"])]
    quick_wins: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum PlanFormat {
    Md,
    Csv,
    Json,
    Pyproject,
    Coveragerc,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum SortBy {
    Module,
    Current,
    Target,
    Gap,
    Needed,
    Impact,
    Effort,
    Pph,
    ImpactLabel,
    Status,
}

fn load_plan(path: &Path) -> Result<Plan, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        format!(
            "{name}: the plan is not UTF-8 text (bad byte at offset {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    parse_plan(&name, &text).map_err(|e| e.to_string())
}

fn measured(report: &Path, plan: &Path) -> Result<(Plan, PlanStatus), String> {
    let plan_data = load_plan(plan)?;
    let r = load(report)?;
    let status = evaluate(&plan_data, &r, &WhatIf::none());
    for w in &status.warnings {
        eprintln!("covgap: warning: {}: {w}", plan.display());
    }
    Ok((plan_data, status))
}

fn criterion_line(c: &CriterionStatus) -> String {
    format!(
        "  {:<9} {}: {}\n",
        if c.met { "✅ met" } else { "⏳ unmet" },
        c.label,
        c.detail
    )
}

/// Runs `covgap check`: the output, and whether the phase passes.
pub fn check(a: &CheckArgs) -> Result<(String, bool), String> {
    let (plan, status) = measured(&a.report, &a.plan)?;
    let p = status.precision;
    let rules = status.rules();
    let figure = if status.metric == covgap_core::Metric::Combined {
        format!(
            "combined statements+branches, shown as {}%",
            rules.display_percent(status.total_percent, p)
        )
    } else {
        format!("{}, as {} counts them", status.metric.key(), rules.name)
    };
    let mut s = format!(
        "plan {}{}\nreport {}: total {} ({figure})\n",
        a.plan.display(),
        plan.name
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default(),
        a.report.display(),
        status.pct_text(status.total_percent),
    );
    let n = status.phases.len();
    let (criteria, what): (&[CriterionStatus], String) = if n == 0 {
        if a.phase.is_some() {
            return Err(format!(
                "{}: the plan has no phases; drop --phase",
                a.plan.display()
            ));
        }
        (&status.plan_criteria, "the plan's target".to_string())
    } else {
        let i = match a.phase {
            Some(k) if (1..=n).contains(&k) => k - 1,
            Some(k) => {
                return Err(format!(
                    "{}: --phase {k} does not exist; the plan has phases 1 to {n}",
                    a.plan.display()
                ))
            }
            // All phases passing: check the last, which passes.
            None => status.current_phase.unwrap_or(n - 1),
        };
        let ph = &status.phases[i];
        let note = if ph.is_current {
            " (current phase)"
        } else if status.current_phase.is_none() {
            " (every phase passes)"
        } else {
            ""
        };
        (
            &ph.criteria,
            format!("phase {} of {n}: {}{note}", i + 1, ph.name),
        )
    };
    s.push_str(&format!("{what}\n"));
    for c in criteria {
        s.push_str(&criterion_line(c));
    }
    let unmet = criteria.iter().filter(|c| !c.met).count();
    // A module that matches no file fails the gate whichever phase is judged: a typo in a
    // path must never let CI pass.
    let missing: Vec<&covgap_core::plan::ModuleStatus> = status.missing_modules().collect();
    let listed = criteria
        .iter()
        .any(|c| c.kind == covgap_core::plan::CriterionKind::ModulesMatch);
    if !missing.is_empty() && !listed {
        s.push_str("the plan\n");
        for m in &missing {
            s.push_str(&format!(
                "  {:<9} module {} ({}) {}\n",
                "⏳ unmet",
                m.name,
                m.patterns.join(", "),
                covgap_core::plan::evaluate::why_empty(&m.suggestions, m.shadowed_by.as_deref())
            ));
        }
    }
    let passed = unmet == 0 && missing.is_empty();
    if passed {
        s.push_str(&format!("PASS: all {} criteria met\n", criteria.len()));
    } else if unmet > 0 {
        s.push_str(&format!(
            "FAIL: {unmet} of {} criteria unmet{}\n",
            criteria.len(),
            if missing.is_empty() || listed {
                String::new()
            } else {
                format!("; {} module(s) match no file", missing.len())
            }
        ));
    } else {
        s.push_str(&format!(
            "FAIL: {} module(s) of the plan match no file\n",
            missing.len()
        ));
    }
    Ok((s, passed))
}

#[derive(Serialize)]
struct PlanJson<'a> {
    #[serde(flatten)]
    status: &'a PlanStatus,
    priority_order: Vec<&'a str>,
    quick_wins: Vec<&'a str>,
    cheapest_path: CheapestPath,
}

/// Runs `covgap plan`.
pub fn plan(a: &PlanArgs) -> Result<String, String> {
    let (_, status) = measured(&a.report, &a.plan)?;
    let (column, largest_first) = match a.sort {
        SortBy::Module => (PriorityColumn::Module, false),
        SortBy::Current => (PriorityColumn::Current, true),
        SortBy::Target => (PriorityColumn::Target, true),
        SortBy::Gap => (PriorityColumn::Gap, true),
        SortBy::Needed => (PriorityColumn::Needed, true),
        SortBy::Impact => (PriorityColumn::Impact, true),
        SortBy::Effort => (PriorityColumn::Effort, true),
        SortBy::Pph => (PriorityColumn::PointsPerHour, true),
        SortBy::ImpactLabel => (PriorityColumn::ImpactLabel, true),
        SortBy::Status => (PriorityColumn::Status, false),
    };
    let order = if a.quick_wins {
        quick_wins(&status.modules)
    } else {
        sort_modules(&status.modules, column, largest_first != a.reverse)
    };
    let cheapest = cheapest_path(&status, status.target);
    match a.format {
        PlanFormat::Md => Ok(export::plan_markdown(&status, &order, Some(&cheapest)) + "\n"),
        // Three tables, each with its header row, separated by an empty line.
        PlanFormat::Csv => Ok(format!(
            "{}\r\n{}\r\n{}",
            export::priority_table(&status, &order).to_csv(),
            export::phase_table(&status).to_csv(),
            export::criteria_table(&status).to_csv()
        )),
        PlanFormat::Json => {
            let name = |i: &usize| status.modules.get(*i).map(|m| m.name.as_str());
            to_json(&PlanJson {
                status: &status,
                priority_order: order.iter().filter_map(name).collect(),
                quick_wins: quick_wins(&status.modules)
                    .iter()
                    .filter_map(name)
                    .collect(),
                cheapest_path: cheapest,
            })
        }
        PlanFormat::Pyproject => Ok(export::gate_config(&status, None).to_pyproject()),
        PlanFormat::Coveragerc => Ok(export::gate_config(&status, None).to_coveragerc()),
    }
}
