//! `covgap`: coverage gaps from the command line, on the same engine as the web app.
//!
//! Exit codes: 0 success; 1 `covgap check` ran and the phase does not pass, or `compare`
//! found a regression or a floor breach; 2 unreadable input or bad arguments (error on
//! stderr).
//!
//! In GitHub Actions, `check` and `compare` also append their Markdown to the job summary
//! (`GITHUB_STEP_SUMMARY`), and with `--annotate` print workflow commands after their
//! output (see github.rs).

mod compare;
mod github;
mod import;
mod plan;

use clap::{Parser, Subcommand, ValueEnum};
use covgap_core::analysis::{sort_files, SortBasis, SortKey, Target};
use covgap_core::display::{display_percent, MAX_PRECISION};
use covgap_core::export::{self, CountsJson, FilesColumns, MetricsJson};
use covgap_core::{parse, Metric, ParseOptions, Report, Tool};
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
    /// Totals of a report: every metric it carries (and coverage.py's key names under
    /// --json for a coverage.py report).
    Summary {
        /// A coverage report: coverage.py JSON, Istanbul, llvm-cov, LCOV, Cobertura,
        /// JaCoCo or Go (recognised from its content).
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
        /// A coverage report (any format covgap reads).
        report: PathBuf,
        /// The metric of the Cover column (default: the tool's headline figure).
        #[arg(long, value_parser = parse_metric)]
        metric: Option<Metric>,
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
    /// What is needed to reach a target, for the total, every directory and every file.
    Gaps {
        /// A coverage report (any format covgap reads).
        report: PathBuf,
        /// Target percentage, judged by the tool's own gate (coverage.py: like `coverage
        /// report --fail-under`).
        #[arg(long, value_parser = parse_target)]
        target: f64,
        /// The metric judged (default: the tool's headline figure).
        #[arg(long, value_parser = parse_metric)]
        metric: Option<Metric>,
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
    /// A plan's priority and phase tables, its gate config, and its board as tracker issues.
    Plan(plan::PlanArgs),
    /// Read a hand-written markdown plan into a plan JSON file (docs/import.md).
    Import(import::ImportArgs),
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
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

/// A metric by its name: statements, lines, branches, functions, regions,
/// instantiations, instructions, methods, classes, complexity, or combined.
pub(crate) fn parse_metric(s: &str) -> Result<Metric, String> {
    Metric::from_key(s.trim()).ok_or_else(|| {
        let all: Vec<&str> = Metric::ALL.iter().map(|m| m.key()).collect();
        format!("{s:?} is not a metric; one of {}", all.join(", "))
    })
}

/// The metric asked for, if the report carries it, else its headline.
fn metric_of(r: &Report, asked: Option<Metric>, name: &Path) -> Result<Metric, String> {
    match asked {
        Some(m) if r.carries(m) => Ok(m),
        Some(m) => Err(format!(
            "{}: this {} report does not measure {m}; it has {}",
            name.display(),
            r.source.tool.name(),
            r.metrics
                .iter()
                .map(|m| m.key())
                .collect::<Vec<_>>()
                .join(", ")
        )),
        None => Ok(r.headline()),
    }
}

/// What a command produced: its output, exit code, and for the CI gates (`check`,
/// `compare`) the Markdown for the job summary and, with `--annotate`, the annotations.
pub(crate) struct Output {
    /// Printed on stdout.
    text: String,
    /// The exit code.
    code: ExitCode,
    /// Appended to `GITHUB_STEP_SUMMARY` when it is set.
    summary: Option<String>,
    /// With `--annotate`: printed as workflow commands after `text`.
    annotations: Option<Vec<github::Annotation>>,
}

impl Output {
    /// Plain output, exit code 0.
    fn text(text: String) -> Output {
        Output {
            text,
            code: ExitCode::SUCCESS,
            summary: None,
            annotations: None,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Compare(args) => compare::compare(args),
        Command::Check(args) => plan::check(&args),
        cmd => run(cmd).map(Output::text),
    };
    match result {
        Ok(out) => {
            if let Some(md) = &out.summary {
                github::append_step_summary(md);
            }
            let text = match &out.annotations {
                Some(a) => github::with_annotations(&out.text, a),
                None => out.text,
            };
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`covgap files … | head`) is not an error worth a panic.
            let _ = stdout.write_all(text.as_bytes());
            out.code
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
    /// coverage.py's own keys (and `files`), for a coverage.py report.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    coveragepy: Option<CountsJson>,
    /// Files, for other reports (coverage.py's keys carry it otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    files: Option<u64>,
    format: &'a str,
    tool: &'a str,
    format_version: serde_json::Value,
    tool_version: Option<&'a str>,
    headline: Metric,
    metrics: MetricsJson,
    branch_coverage: bool,
    summary_only: bool,
    /// The directory absolute paths were made relative to.
    root: Option<&'a str>,
    warnings: &'a [String],
}

/// A format version as JSON: a number when it is one (coverage.py's 1, 2, 3).
fn version_value(v: Option<&str>) -> serde_json::Value {
    match v {
        Some(v) => v
            .parse::<u64>()
            .map_or_else(|_| serde_json::Value::from(v), serde_json::Value::from),
        None => serde_json::Value::Null,
    }
}

/// `covgap summary` as text: coverage.py's familiar lines, or one line per metric.
fn summary_text(name: &Path, r: &Report, precision: u8) -> String {
    let t = r.totals();
    let rules = r.rules();
    if r.source.tool == Tool::CoveragePy && r.source.format == "coverage.py-json" {
        let pc = |m| rules.percent(&t, m);
        let p = |x: f64| format!("{}%", display_percent(x, precision.max(2)));
        let mut s = format!(
            "{}: coverage.py JSON format {}{}{}\n",
            name.display(),
            r.source.format_version.as_deref().unwrap_or("1"),
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
            t.statements.covered,
            t.statements.missing(),
            t.excluded,
            t.statements.total
        );
        if r.source.branch_coverage {
            s += &format!(
                "branches    {} covered, {} missing ({} partial lines), of {}\n",
                t.branches.covered,
                t.branches.missing(),
                t.partial_branches,
                t.branches.total
            );
        }
        s += &format!(
            "total       {}% (coverage.py's figure: (covered + covered branches) / (statements + branches) = {})\n",
            display_percent(pc(Metric::Combined), precision),
            p(pc(Metric::Combined))
        );
        s += &format!(
            "statements  {} of statements covered\n",
            p(pc(Metric::Statements))
        );
        if r.source.branch_coverage {
            s += &format!(
                "branches    {} of branches covered\n",
                p(pc(Metric::Branches))
            );
        }
        return s;
    }
    let mut s = format!(
        "{}: {} ({}{}){}\n",
        name.display(),
        rules.name,
        r.source.format,
        r.source
            .tool_version
            .as_deref()
            .map(|v| format!(", {v}"))
            .unwrap_or_default(),
        if r.source.summary_only {
            "; totals and per-file counts only, no line data"
        } else {
            ""
        }
    );
    if let Some(root) = &r.root {
        s += &format!("paths       relative to {root}\n");
    }
    s += &format!("files       {}\n", t.files);
    let headline = r.headline();
    for &m in &r.metrics {
        let c = t.get(m);
        let shown = rules.show(&t, m, precision);
        let shown = if shown.chars().all(|ch| ch.is_ascii_digit() || ch == '.') {
            format!("{shown}%")
        } else {
            shown
        };
        s += &format!(
            "{:<15} {shown} ({} of {} covered){}\n",
            m.key(),
            c.covered,
            c.total,
            if m == headline { "  ← headline" } else { "" }
        );
    }
    s
}

fn to_json<T: Serialize>(v: &T) -> Result<String, String> {
    serde_json::to_string_pretty(v)
        .map(|s| s + "\n")
        .map_err(|e| e.to_string())
}

/// The single-report commands (compare and trend have their own exit codes: see main).
fn run(cmd: Command) -> Result<String, String> {
    match cmd {
        Command::Compare(args) => compare::compare(args).map(|o| o.text),
        Command::Trend(args) => compare::trend(args),
        Command::Check(args) => plan::check(&args).map(|o| o.text),
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
                let coveragepy = r.source.tool == Tool::CoveragePy;
                return to_json(&SummaryOut {
                    coveragepy: coveragepy.then(|| CountsJson::of(&r, &t, precision)),
                    files: (!coveragepy).then_some(t.files),
                    format: r.source.format,
                    tool: r.source.tool.name(),
                    format_version: version_value(r.source.format_version.as_deref()),
                    tool_version: r.source.tool_version.as_deref(),
                    headline: r.headline(),
                    metrics: MetricsJson::new(&t, &r.metrics, r.rules(), precision),
                    branch_coverage: r.source.branch_coverage,
                    summary_only: r.source.summary_only,
                    root: r.root.as_deref(),
                    warnings: &r.warnings,
                });
            }
            Ok(summary_text(&report, &r, precision))
        }
        Command::Files {
            report,
            metric,
            json,
            format,
            sort,
            precision,
        } => {
            let r = load(&report)?;
            let metric = metric_of(&r, metric, &report)?;
            let (key, desc) = match sort {
                Sort::Name => (SortKey::Name, false),
                Sort::Stmts => (SortKey::Statements, false),
                Sort::Miss => (SortKey::Missing, false),
                Sort::Branch => (SortKey::Branches, false),
                Sort::Brpart => (SortKey::Partial, false),
                Sort::Cover => (SortKey::Cover, false),
            };
            let basis = SortBasis {
                metric,
                rules: r.rules(),
            };
            let order = sort_files(&r.files, key, desc, basis);
            let format = if json { Format::Json } else { format };
            let cols = FilesColumns::of(&r, metric);
            match format {
                Format::Json => to_json(&export::file_rows(&r, &order, precision)),
                Format::Md => {
                    Ok(export::files_table(&r, &order, cols, precision, false).to_markdown())
                }
                Format::Csv => Ok(export::files_table(&r, &order, cols, precision, false).to_csv()),
                Format::Text => {
                    Ok(export::files_table(&r, &order, cols, precision, true).to_text())
                }
            }
        }
        Command::Gaps {
            report,
            target,
            metric,
            precision,
            format,
        } => {
            let r = load(&report)?;
            let metric = metric_of(&r, metric, &report)?;
            let rows = export::gap_rows(
                &r,
                metric,
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
