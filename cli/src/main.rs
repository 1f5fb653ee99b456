//! `covgap`: coverage gaps from the command line, on the same engine as the web app.
//!
//! Exit codes: 0 success; 1 `covgap check` ran and the phase does not pass, or `compare`
//! found a regression or a floor breach; 2 unreadable input or bad arguments (error on
//! stderr).

mod compare;
mod import;
mod plan;

use clap::{Parser, Subcommand, ValueEnum};
use covgap_core::analysis::{sort_files, SortKey, Target};
use covgap_core::display::{display_percent, MAX_PRECISION};
use covgap_core::export::{self, CountsJson};
use covgap_core::{parse, ParseOptions, Report};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "covgap",
    version,
    about = "How far is your coverage from its target, and what closes the gap?"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Totals of a report, with coverage.py's key names under --json.
    Summary {
        /// A coverage.py JSON report (`coverage json`).
        report: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Decimal places of the displayed percentage.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=MAX_PRECISION as i64))]
        precision: u8,
    },
    /// One row per file, like `coverage report -m`.
    Files {
        /// A coverage.py JSON report.
        report: PathBuf,
        /// Print JSON (same as --format json).
        #[arg(long)]
        json: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Sort by this column (then by path, in human order).
        #[arg(long, value_enum, default_value_t = Sort::Name)]
        sort: Sort,
        /// Decimal places of the displayed percentages.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=MAX_PRECISION as i64))]
        precision: u8,
    },
    /// Statements needed to reach a target, for the total, every directory and every file.
    Gaps {
        /// A coverage.py JSON report.
        report: PathBuf,
        /// Target percentage, judged like `coverage report --fail-under`.
        #[arg(long, value_parser = parse_target)]
        target: f64,
        /// Decimal places the total is rounded to before comparing (coverage.py `precision`).
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=MAX_PRECISION as i64))]
        precision: u8,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Baseline against current: totals and per-file change, regressions, floor breaches.
    Compare(compare::CompareArgs),
    /// Coverage over several reports, and when the target is reached at the recent pace.
    Trend(compare::TrendArgs),
    /// Gate CI on a plan: exit 0 when the phase passes, 1 when it does not, 2 on bad input.
    Check(plan::CheckArgs),
    /// A plan's priority and phase tables (and gate config).
    Plan(plan::PlanArgs),
    /// Read a hand-written markdown plan into a plan JSON file (docs/import.md).
    Import(import::ImportArgs),
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Md,
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Sort {
    Name,
    Stmts,
    Miss,
    Branch,
    Brpart,
    Cover,
}

fn parse_target(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is not between 0 and 100"))
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compare(args) => compare::compare(args),
        Command::Trend(args) => compare::trend(args),
        Command::Check(args) => plan::check(&args).map(|(out, passed)| {
            let code = if passed {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            };
            (out, code)
        }),
        cmd => run(cmd).map(|out| (out, ExitCode::SUCCESS)),
    };
    match result {
        Ok((out, code)) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`covgap files … | head`) is not an error worth a panic.
            let _ = stdout.write_all(out.as_bytes());
            code
        }
        Err(e) => {
            eprintln!("covgap: {e}");
            ExitCode::from(2)
        }
    }
}

fn load(path: &Path) -> Result<Report, String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let report = parse(&name, &bytes, ParseOptions::default()).map_err(|e| e.to_string())?;
    for w in &report.warnings {
        eprintln!("covgap: warning: {name}: {w}");
    }
    Ok(report)
}

#[derive(Serialize)]
struct SummaryOut<'a> {
    #[serde(flatten)]
    counts: CountsJson,
    format: &'a str,
    format_version: u32,
    tool_version: Option<&'a str>,
    branch_coverage: bool,
    warnings: &'a [String],
}

fn to_json<T: Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

/// The single-report commands (compare and trend have their own exit codes: see main).
fn run(cmd: Command) -> Result<String, String> {
    match cmd {
        Command::Compare(args) => compare::compare(args).map(|(out, _)| out),
        Command::Trend(args) => compare::trend(args).map(|(out, _)| out),
        Command::Check(args) => plan::check(&args).map(|(out, _)| out),
        Command::Plan(args) => plan::plan(&args),
        Command::Import(args) => import::import(&args),
        Command::Summary {
            report,
            json,
            precision,
        } => {
            let r = load(&report)?;
            let t = r.totals();
            if json {
                return to_json(&SummaryOut {
                    counts: CountsJson::new(&t, precision),
                    format: r.source.format,
                    format_version: r.source.format_version,
                    tool_version: r.source.tool_version.as_deref(),
                    branch_coverage: r.source.branch_coverage,
                    warnings: &r.warnings,
                });
            }
            let p = |x: f64| format!("{}%", display_percent(x, precision.max(2)));
            let mut s = format!(
                "{}: coverage.py JSON format {}{}{}\n",
                report.display(),
                r.source.format_version,
                r.source
                    .tool_version
                    .as_deref()
                    .map(|v| format!(", coverage.py {v}"))
                    .unwrap_or_default(),
                if r.source.branch_coverage {
                    ", branch coverage"
                } else {
                    ""
                }
            );
            s += &format!("files       {}\n", t.files);
            s += &format!(
                "statements  {} covered, {} missing, {} excluded, of {}\n",
                t.covered, t.missing, t.excluded, t.statements
            );
            if r.source.branch_coverage {
                s += &format!(
                    "branches    {} covered, {} missing ({} partial lines), of {}\n",
                    t.covered_branches, t.missing_branches, t.partial_branches, t.branches
                );
            }
            s += &format!(
                "total       {}% (coverage.py's figure: (covered + covered branches) / (statements + branches) = {})\n",
                display_percent(t.percent_covered(), precision),
                p(t.percent_covered())
            );
            s += &format!(
                "statements  {} of statements covered\n",
                p(t.percent_statements())
            );
            if r.source.branch_coverage {
                s += &format!(
                    "branches    {} of branches covered\n",
                    p(t.percent_branches())
                );
            }
            Ok(s)
        }
        Command::Files {
            report,
            json,
            format,
            sort,
            precision,
        } => {
            let r = load(&report)?;
            let (key, desc) = match sort {
                Sort::Name => (SortKey::Name, false),
                Sort::Stmts => (SortKey::Statements, false),
                Sort::Miss => (SortKey::Missing, false),
                Sort::Branch => (SortKey::Branches, false),
                Sort::Brpart => (SortKey::Partial, false),
                Sort::Cover => (SortKey::Cover, false),
            };
            let order = sort_files(&r.files, key, desc);
            let rows = export::file_rows(&r, &order, precision);
            let format = if json { Format::Json } else { format };
            let table = || export::files_table(&rows, r.source.branch_coverage);
            match format {
                Format::Json => to_json(&rows),
                Format::Md => Ok(table().to_markdown()),
                Format::Csv => Ok(table().to_csv()),
                Format::Text => {
                    let mut t = table();
                    let c = CountsJson::new(&r.totals(), precision);
                    let mut total = vec![
                        "TOTAL".to_string(),
                        c.num_statements.to_string(),
                        c.missing_lines.to_string(),
                    ];
                    if r.source.branch_coverage {
                        total.extend([
                            c.num_branches.to_string(),
                            c.num_partial_branches.to_string(),
                        ]);
                    }
                    total.extend([format!("{}%", c.percent_covered_display), String::new()]);
                    t.rows.push(total);
                    Ok(t.to_text())
                }
            }
        }
        Command::Gaps {
            report,
            target,
            precision,
            format,
        } => {
            let r = load(&report)?;
            let rows = export::gap_rows(
                &r,
                Target {
                    percent: target,
                    precision,
                },
            );
            match format {
                Format::Json => to_json(&rows),
                Format::Md => Ok(export::gaps_table(&rows).to_markdown()),
                Format::Csv => Ok(export::gaps_table(&rows).to_csv()),
                Format::Text => Ok(export::gaps_table(&rows).to_text()),
            }
        }
    }
}
