//! `covgap compare` (a CI gate on regressions and the floor) and `covgap trend`.
//!
//! Exit codes: 0 when nothing is flagged, 1 when a file regressed by more than
//! `--fail-on-regression` or dropped below `--floor` (the report is still printed on
//! stdout), 2 for unreadable input or bad arguments.

use super::{load, parse_metric, parse_target, to_json, Format, Output};
use crate::github::{Annotation, Level};
use clap::Args;
use covgap_core::analysis::compare::{
    compare as compare_reports, CompareOptions, Comparison, FileStatus,
};
use covgap_core::analysis::time::{baseline_first, OrderBasis};
use covgap_core::analysis::trend::{trend as trend_of, TrendOptions};
use covgap_core::analysis::Target;
use covgap_core::display::{display_delta, display_percent, MAX_PRECISION};
use covgap_core::export::{self, ComparisonJson};
use covgap_core::Metric;
use serde::Serialize;
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit code when the gate fails: a regression or a floor breach.
const GATE_FAILED: u8 = 1;

#[derive(Args)]
pub struct CompareArgs {
    /// The baseline report (coverage.py JSON).
    base: PathBuf,
    /// The current report.
    current: PathBuf,
    /// Print JSON (same as --format json).
    #[arg(long)]
    json: bool,
    /// Output format; md suits a pull-request comment.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// After the output, print GitHub workflow commands: an error annotation on each file
    /// newly below the floor (and each regression with --fail-on-regression), a warning on
    /// each file still below it (and each fall without --fail-on-regression).
    #[arg(long)]
    annotate: bool,
    /// Exit 1 when a file that was at or above this percentage (or is new) is now below it,
    /// judged like `coverage report --fail-under`.
    #[arg(long, default_value_t = 50.0, value_parser = parse_target)]
    floor: f64,
    /// Decimal places a file's percentage is rounded to before the floor check.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=MAX_PRECISION as i64))]
    floor_precision: u8,
    /// Exit 1 when a file's coverage falls by more than PP percentage points (without it,
    /// any fall is reported but does not fail).
    #[arg(long, value_name = "PP", value_parser = parse_pp)]
    fail_on_regression: Option<f64>,
    /// Use the older report (by meta.timestamp) as the baseline, whatever the argument order.
    #[arg(long)]
    by_time: bool,
    /// Compare on this metric (statements, lines, branches, …; default: the current
    /// report's headline figure, or the first both reports carry).
    #[arg(long, value_parser = parse_metric)]
    metric: Option<Metric>,
    /// Decimal places of displayed percentages.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=MAX_PRECISION as i64))]
    precision: u8,
}

#[derive(Args)]
pub struct TrendArgs {
    /// Two or more coverage.py JSON reports of the same project.
    #[arg(required = true, num_args = 1..)]
    reports: Vec<PathBuf>,
    /// The target to project toward, judged like `coverage report --fail-under`.
    #[arg(long, default_value_t = 80.0, value_parser = parse_target)]
    target: f64,
    /// Decimal places the total is rounded to before comparing with the target.
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=MAX_PRECISION as i64))]
    target_precision: u8,
    /// Fit the slope over the last K reports only (at least 2).
    #[arg(long, value_name = "K")]
    window: Option<usize>,
    /// Keep the order given on the command line instead of ordering by meta.timestamp.
    #[arg(long)]
    given_order: bool,
    /// Follow this metric (default: the newest report's headline figure).
    #[arg(long, value_parser = parse_metric)]
    metric: Option<Metric>,
    /// Print JSON (same as --format json).
    #[arg(long)]
    json: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Decimal places of displayed percentages.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(0..=MAX_PRECISION as i64))]
    precision: u8,
}

fn parse_pp(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim_end_matches("pp")
        .parse()
        .map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is not between 0 and 100 percentage points"))
    }
}

#[derive(Serialize)]
struct CompareOut<'a> {
    base: String,
    current: String,
    /// Whether the baseline was picked by timestamps or by argument order.
    order: OrderBasis,
    /// Whether the gate failed (exit code 1).
    failed: bool,
    #[serde(flatten)]
    comparison: &'a ComparisonJson,
}

/// The annotations of a comparison: one per flagged file at most, on files that exist
/// now (a removed file has nowhere to show).
fn annotations(c: &Comparison, a: &CompareArgs) -> Vec<Annotation> {
    let floor = format!("{}%", display_percent(a.floor, a.floor_precision));
    let pct = |v: Option<f64>| {
        v.map_or_else(
            || "—".to_string(),
            |v| format!("{}%", c.rules.display_percent(v, a.precision)),
        )
    };
    let fell = |d: f64| display_delta(d, c.rules.decimals(a.precision));
    let gated = a.fail_on_regression.is_some();
    let mut out = Vec::new();
    for r in c.files.iter().filter(|r| r.status != FileStatus::Removed) {
        let change = match (r.base_percent, r.delta_pp) {
            (Some(_), Some(d)) => format!(
                "{} → {} ({} pp)",
                pct(r.base_percent),
                pct(r.current_percent),
                fell(d)
            ),
            _ => format!("{} (new file)", pct(r.current_percent)),
        };
        let (level, title, message) = if r.newly_below_floor {
            (
                Level::Error,
                format!("covgap compare – newly below the {floor} floor"),
                format!("{} dropped below the {floor} floor: {change}", r.path),
            )
        } else if r.regression {
            let still = if r.below_floor {
                format!("; still below the {floor} floor")
            } else {
                String::new()
            };
            let (level, rule) = if gated {
                (
                    Level::Error,
                    format!(" by more than {} pp", c.options.regression_pp),
                )
            } else {
                (Level::Warning, String::new())
            };
            (
                level,
                "covgap compare – coverage fell".to_string(),
                format!("{}'s coverage fell{rule}: {change}{still}", r.path),
            )
        } else if r.below_floor {
            (
                Level::Warning,
                format!("covgap compare – still below the {floor} floor"),
                format!("{} is still below the {floor} floor: {change}", r.path),
            )
        } else {
            continue;
        };
        out.push(Annotation {
            level,
            file: Some(r.path.clone()),
            title,
            message,
        });
    }
    out
}

/// Runs `covgap compare`: the output, the exit code, the job summary and annotations.
pub fn compare(a: CompareArgs) -> Result<Output, String> {
    let (mut base_path, mut current_path) = (a.base.clone(), a.current.clone());
    let mut base = load(&base_path)?;
    let mut current = load(&current_path)?;
    let order = baseline_first(&base, &current);
    let basis = if a.by_time && order.swapped {
        std::mem::swap(&mut base, &mut current);
        std::mem::swap(&mut base_path, &mut current_path);
        OrderBasis::Timestamps
    } else if a.by_time {
        if order.basis == OrderBasis::GivenOrder {
            eprintln!(
                "covgap: note: a report has no readable meta.timestamp; keeping the argument order"
            );
        }
        order.basis
    } else {
        if order.swapped {
            eprintln!(
                "covgap: note: {} is newer than {} by meta.timestamp; pass --by-time to use the older one as the baseline",
                base_path.display(),
                current_path.display()
            );
        }
        OrderBasis::GivenOrder
    };
    let opts = CompareOptions {
        regression_pp: a.fail_on_regression.unwrap_or(0.0),
        floor: Target {
            percent: a.floor,
            precision: a.floor_precision,
        },
        metric: a.metric,
    };
    let c = compare_reports(&base, &current, opts).map_err(|e| {
        format!(
            "{} and {}: {e}",
            base_path.display(),
            current_path.display()
        )
    })?;
    let regressed = a.fail_on_regression.is_some() && c.has_regressions();
    let failed = regressed || c.has_floor_breaches();
    if failed {
        let mut why = Vec::new();
        if regressed {
            why.push(format!(
                "{} file(s) fell by more than {} pp",
                c.summary.regressions, opts.regression_pp
            ));
        }
        if c.has_floor_breaches() {
            why.push(format!(
                "{} file(s) dropped below the {}% floor",
                c.summary.newly_below_floor,
                display_percent(a.floor, a.floor_precision)
            ));
        }
        eprintln!("covgap: coverage check failed: {}", why.join("; "));
    }
    let format = if a.json { Format::Json } else { a.format };
    let out = match format {
        Format::Json => to_json(&CompareOut {
            base: base_path.display().to_string(),
            current: current_path.display().to_string(),
            order: basis,
            failed,
            comparison: &export::comparison_json(&c, a.precision),
        })?,
        Format::Md => export::comparison_markdown(&c, a.precision),
        Format::Csv => export::comparison_csv(&c),
        Format::Text => format!(
            "{} → {}\n{}",
            base_path.display(),
            current_path.display(),
            export::comparison_text(&c, a.precision)
        ),
    };
    let code = if failed {
        ExitCode::from(GATE_FAILED)
    } else {
        ExitCode::SUCCESS
    };
    Ok(Output {
        text: out,
        code,
        summary: Some(export::comparison_markdown(&c, a.precision)),
        annotations: a.annotate.then(|| annotations(&c, &a)),
    })
}

#[derive(Serialize)]
struct TrendOut<'a> {
    /// The report paths in the order given.
    reports: Vec<String>,
    /// The projection in words.
    projection_text: String,
    #[serde(flatten)]
    trend: &'a covgap_core::analysis::Trend,
}

/// Runs `covgap trend`.
pub fn trend(a: TrendArgs) -> Result<String, String> {
    let reports = a
        .reports
        .iter()
        .map(|p| load(p))
        .collect::<Result<Vec<_>, _>>()?;
    let refs: Vec<&_> = reports.iter().collect();
    let target = Target {
        percent: a.target,
        precision: a.target_precision,
    };
    let t = trend_of(
        &refs,
        TrendOptions {
            target,
            by_timestamp: !a.given_order,
            window: a.window,
            metric: a.metric,
        },
    )
    .map_err(|e| e.to_string())?;
    let labels: Vec<String> = a.reports.iter().map(|p| p.display().to_string()).collect();
    let sentence = export::projection_text(&t.projection, target, a.precision);
    let format = if a.json { Format::Json } else { a.format };
    let order = match t.basis {
        OrderBasis::Timestamps => "oldest first by meta.timestamp",
        OrderBasis::GivenOrder => "in the order given",
    };
    match format {
        Format::Json => to_json(&TrendOut {
            reports: labels,
            projection_text: sentence,
            trend: &t,
        }),
        Format::Csv => Ok(export::trend_csv_table(&t, &labels).to_csv()),
        Format::Md => Ok(format!(
            "Reports {order}:\n\n{}\n{}\n",
            export::trend_table(&t, &labels, a.precision).to_markdown(),
            export::md_escape(&sentence)
        )),
        Format::Text => Ok(format!(
            "Reports {order}:\n{}\n{sentence}\n",
            export::trend_table(&t, &labels, a.precision).to_text()
        )),
    }
}
