//! `covgap check` (a CI gate on a plan's phase) and `covgap plan` (the priority and
//! phase tables, gate config, and the board as tracker issues).
//!
//! `check` exits 0 when the phase passes, 1 when it does not, 2 when the report, the
//! plan or the arguments cannot be used.

use crate::github::{Annotation, Level};
use crate::{load, to_json, Output};
use clap::{Args, ValueEnum};
use covgap_core::export::check::{verdict, Verdict};
use covgap_core::export::issues;
use covgap_core::export::plan as export;
use covgap_core::plan::{
    cheapest_path, evaluate, parse_plan, quick_wins, sort_modules, CheapestPath, CriterionKind,
    Plan, PlanStatus, PriorityColumn, WhatIf,
};
use covgap_core::Report;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `covgap check`.
#[derive(Args)]
pub struct CheckArgs {
    /// A coverage report (any format covgap reads).
    report: PathBuf,
    /// The plan file (JSON; see docs/plan-format.md).
    #[arg(long)]
    plan: PathBuf,
    /// Phase to check, from 1. Default: the current phase (the first that does not pass).
    #[arg(long)]
    phase: Option<usize>,
    /// Output format: text for a log, md for a job summary or a PR comment, json for tools.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    format: CheckFormat,
    /// Print JSON (same as --format json).
    #[arg(long)]
    json: bool,
    /// After the output, print GitHub workflow commands: an error annotation on each file
    /// below the floor of a no_file_below_floor criterion, and an error for each module
    /// matching no file and each other unmet criterion.
    #[arg(long)]
    annotate: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum CheckFormat {
    Text,
    Md,
    Json,
}

/// Arguments of `covgap plan`.
#[derive(Args)]
pub struct PlanArgs {
    /// A coverage report (any format covgap reads).
    report: PathBuf,
    /// The plan file (JSON; see docs/plan-format.md).
    #[arg(long)]
    plan: PathBuf,
    /// Output format; pyproject and coveragerc print the current phase's gate config;
    /// issues prints an issue body per phase, issues-csv an issue per module per phase.
    #[arg(long, value_enum, default_value_t = PlanFormat::Md)]
    format: PlanFormat,
    /// With issues, issues-csv, pyproject or coveragerc: only this phase (from 1).
    #[arg(long)]
    phase: Option<usize>,
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
    Text,
    Md,
    Csv,
    Json,
    Pyproject,
    Coveragerc,
    Issues,
    IssuesCsv,
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

fn measured(report: &Path, plan: &Path) -> Result<(Report, PlanStatus), String> {
    let plan_data = load_plan(plan)?;
    let r = load(report)?;
    let status = evaluate(&plan_data, &r, &WhatIf::none());
    for w in &status.warnings {
        eprintln!("covgap: warning: {}: {w}", plan.display());
    }
    Ok((r, status))
}

/// The annotations of a verdict: one error listing the unmet criteria (first, so that
/// GitHub's cap of ten errors per step never hides it), one for each module that matches
/// no file, and one on each file below the floor of a `no_file_below_floor` criterion.
fn annotations(v: &Verdict, r: &Report, status: &PlanStatus) -> Vec<Annotation> {
    let mut out = Vec::new();
    let unmet: Vec<String> = v
        .criteria
        .iter()
        .filter(|c| !c.met)
        .map(|c| format!("⏳ unmet {}: {}", c.text, c.detail))
        .collect();
    if !unmet.is_empty() {
        out.push(Annotation {
            level: Level::Error,
            file: None,
            title: format!("covgap check – {}", v.conclusion()),
            message: format!("{}\n{}", v.scope(), unmet.join("\n")),
        });
    }
    for m in &v.missing_modules {
        out.push(Annotation {
            level: Level::Error,
            file: None,
            title: "covgap check – module matches no file".to_string(),
            message: format!(
                "module {} ({}) {}",
                m.name,
                m.patterns.join(", "),
                covgap_core::plan::evaluate::why_empty(&m.suggestions, m.shadowed_by.as_deref())
            ),
        });
    }
    let rules = status.rules();
    for c in v
        .criteria
        .iter()
        .filter(|c| !c.met && c.kind == CriterionKind::NoFileBelowFloor)
    {
        let floor = format!("{}%", c.required);
        for path in &c.items {
            let now = r
                .files
                .iter()
                .find(|f| f.path == *path)
                .map(|f| {
                    format!(
                        " at {} ({})",
                        status.pct_text(rules.percent(&f.counts, status.metric)),
                        status.metric.key()
                    )
                })
                .unwrap_or_default();
            out.push(Annotation {
                level: Level::Error,
                file: Some(path.clone()),
                title: format!("covgap check – below the {floor} floor"),
                message: format!(
                    "{path} is{now}, below the plan's {floor} floor (unmet criterion: {})",
                    c.text
                ),
            });
        }
    }
    out
}

/// Runs `covgap check`: the output, exit 1 unless the phase passes, the job summary and
/// annotations.
pub fn check(a: &CheckArgs) -> Result<Output, String> {
    let (r, status) = measured(&a.report, &a.plan)?;
    let mut v = verdict(
        &status,
        a.phase,
        &a.plan.display().to_string(),
        &a.report.display().to_string(),
    )
    .map_err(|e| format!("{}: {e}", a.plan.display()))?;
    v.warnings.extend(
        r.warnings
            .iter()
            .map(|w| format!("{}: {w}", a.report.display())),
    );
    let format = if a.json { CheckFormat::Json } else { a.format };
    let text = match format {
        CheckFormat::Text => v.to_text(),
        CheckFormat::Md => v.to_markdown(),
        CheckFormat::Json => to_json(&v)?,
    };
    Ok(Output {
        text,
        code: if v.passed {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
        summary: Some(v.to_markdown()),
        annotations: a.annotate.then(|| annotations(&v, &r, &status)),
    })
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
    let n = status.phases.len();
    let phase = match a.phase {
        None => None,
        Some(_) if !matches!(
            a.format,
            PlanFormat::Issues | PlanFormat::IssuesCsv | PlanFormat::Pyproject | PlanFormat::Coveragerc
        ) => {
            return Err("--phase applies to --format issues, issues-csv, pyproject and coveragerc; the other formats show every phase".to_string())
        }
        Some(_) if n == 0 => {
            return Err(format!("{}: the plan has no phases; drop --phase", a.plan.display()))
        }
        Some(k) if (1..=n).contains(&k) => Some(k - 1),
        Some(k) => {
            return Err(format!(
                "{}: --phase {k} does not exist; the plan has phases 1 to {n}",
                a.plan.display()
            ))
        }
    };
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
        PlanFormat::Text => Ok(export::plan_text(&status, &order, Some(&cheapest))),
        PlanFormat::Md => Ok(export::plan_markdown(&status, &order, Some(&cheapest)) + "\n"),
        PlanFormat::Issues => Ok(issues::issues_markdown(&status, phase)),
        PlanFormat::IssuesCsv => Ok(issues::issues_csv(&status, phase)),
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
        PlanFormat::Pyproject => Ok(export::gate_config(&status, phase).to_pyproject()),
        PlanFormat::Coveragerc => Ok(export::gate_config(&status, phase).to_coveragerc()),
    }
}
