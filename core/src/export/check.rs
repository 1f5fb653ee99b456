//! The verdict of a CI gate on a plan (`covgap check`): which phase is judged, its
//! criteria, the modules that match no file, pass or fail; as JSON, terminal text and
//! Markdown for a job summary or a pull-request comment.
//!
//! A module that matches no file fails the gate whichever phase is judged: a typo in a
//! path must never let CI pass. Status words ("met"/"unmet") always sit beside the ✅/⏳
//! marks, and every name from the plan or the report is escaped in Markdown.

use super::table::{md_escape, Align, Table};
use crate::model::Metric;
use crate::plan::evaluate::why_empty;
use crate::plan::model::fmt_num;
use crate::plan::{CriterionKind, CriterionStatus, PlanStatus, Unit};
use crate::rules::Rules;
use serde::Serialize;

/// Why no verdict could be given: the arguments do not fit the plan (exit code 2).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// A phase was asked for, but the plan has none.
    #[error("the plan has no phases; drop --phase")]
    NoPhases,
    /// The phase asked for does not exist.
    #[error("--phase {asked} does not exist; the plan has phases 1 to {phases}")]
    NoSuchPhase {
        /// The phase asked for (from 1).
        asked: usize,
        /// How many phases there are.
        phases: usize,
    },
}

/// One criterion of the judged phase.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CriterionJson {
    /// Short statement like `overall ≥ 93% (combined)`.
    pub text: String,
    /// What it checks (`overall_at_least`, `no_file_below_floor`, …).
    pub kind: CriterionKind,
    /// The module it is about, if one.
    pub module: Option<String>,
    /// Is it met?
    pub met: bool,
    /// The number required.
    pub required: f64,
    /// The number now.
    pub actual: f64,
    /// Unit of both numbers: percent, statements or count.
    pub unit: Unit,
    /// The numbers in words, e.g. `92.21% (shown as 92%)`.
    pub detail: String,
    /// The files (or modules) it names: those below a floor, those matching nothing.
    pub items: Vec<String>,
}

impl CriterionJson {
    fn new(c: &CriterionStatus) -> CriterionJson {
        CriterionJson {
            text: c.label.clone(),
            kind: c.kind,
            module: c.module.clone(),
            met: c.met,
            required: c.expected,
            actual: c.actual,
            unit: c.unit,
            detail: c.detail.clone(),
            items: c.items.clone(),
        }
    }
}

/// The report's total on the plan's metric.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TotalJson {
    /// The metric the plan is judged on.
    pub metric: Metric,
    /// The exact percentage, by the tool's formula.
    pub percent: f64,
    /// As the tool shows it, without `%` (coverage.py: at the plan's precision).
    pub display: String,
}

/// A module of the plan that matches no file of the report (and is not optional).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MissingModule {
    /// Module name.
    pub name: String,
    /// Its path patterns.
    pub patterns: Vec<String>,
    /// The report's paths nearest to them ("did you mean …?").
    pub suggestions: Vec<String>,
    /// When its patterns match only files an earlier module owns: that module.
    pub shadowed_by: Option<String>,
}

/// The verdict of `covgap check`: the stable shape of `covgap check --format json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// Does the gate pass (exit code 0)?
    pub passed: bool,
    /// The phase judged, from 1; `None` for a plan without phases (its target is judged).
    pub phase: Option<usize>,
    /// Its name.
    pub phase_name: Option<String>,
    /// How many phases the plan has.
    pub phases: usize,
    /// The current phase (the first that does not pass), from 1; `None` when all pass.
    pub current_phase: Option<usize>,
    /// The plan's title.
    pub plan_name: Option<String>,
    /// The judged phase's criteria (the plan's own for a plan without phases).
    pub criteria: Vec<CriterionJson>,
    /// How many of them are unmet.
    pub unmet: usize,
    /// The total on the plan's metric.
    pub total: TotalJson,
    /// The judged phase's target (the plan's target without phases).
    pub target: f64,
    /// Modules of the whole plan that match no file: each fails the gate.
    pub missing_modules: Vec<MissingModule>,
    /// What the plan's evaluation wants the reader to know.
    pub warnings: Vec<String>,
    /// The plan file, as given.
    pub plan: String,
    /// The report file, as given.
    pub report: String,
    /// The tool whose rules judged the report.
    pub tool: &'static str,
    /// The criteria's decimal places (coverage.py `precision`).
    pub precision: u8,
    /// Whether the missing modules are already among the criteria (a phase that uses
    /// them): then they are not listed again in text and Markdown.
    #[serde(skip)]
    listed: bool,
    /// The total as text: `92.21% (combined statements+branches, shown as 92%)`.
    #[serde(skip)]
    total_text: String,
    /// The rules the figures are shown by.
    #[serde(skip)]
    rules: &'static Rules,
}

/// The total in words, as `check` and the plan's Markdown say it.
fn total_text(status: &PlanStatus) -> String {
    let rules = status.rules();
    let figure = if status.metric == Metric::Combined {
        format!(
            "combined statements+branches, shown as {}%",
            rules.display_percent(status.total_percent, status.precision)
        )
    } else {
        format!("{}, as {} counts them", status.metric.key(), rules.name)
    };
    format!("{} ({figure})", status.pct_text(status.total_percent))
}

/// Judges `status` for CI: `phase` (from 1) or, without it, the current phase (the last
/// when every phase passes; the plan's target for a plan without phases). `plan` and
/// `report` name the files in the output.
pub fn verdict(
    status: &PlanStatus,
    phase: Option<usize>,
    plan: &str,
    report: &str,
) -> Result<Verdict, CheckError> {
    let n = status.phases.len();
    let judged = if n == 0 {
        if phase.is_some() {
            return Err(CheckError::NoPhases);
        }
        None
    } else {
        let i = match phase {
            Some(k) if (1..=n).contains(&k) => k - 1,
            Some(k) => {
                return Err(CheckError::NoSuchPhase {
                    asked: k,
                    phases: n,
                })
            }
            // All phases passing: check the last, which passes.
            None => status.current_phase.unwrap_or(n - 1),
        };
        status.phases.get(i)
    };
    let criteria = judged.map_or(&status.plan_criteria, |ph| &ph.criteria);
    let unmet = criteria.iter().filter(|c| !c.met).count();
    let missing: Vec<MissingModule> = status
        .missing_modules()
        .map(|m| MissingModule {
            name: m.name.clone(),
            patterns: m.patterns.clone(),
            suggestions: m.suggestions.clone(),
            shadowed_by: m.shadowed_by.clone(),
        })
        .collect();
    let listed = criteria
        .iter()
        .any(|c| c.kind == CriterionKind::ModulesMatch);
    Ok(Verdict {
        passed: unmet == 0 && missing.is_empty(),
        phase: judged.map(|ph| ph.index + 1),
        phase_name: judged.map(|ph| ph.name.clone()),
        phases: n,
        current_phase: status.current_phase.map(|i| i + 1),
        plan_name: status.name.clone(),
        criteria: criteria.iter().map(CriterionJson::new).collect(),
        unmet,
        total: TotalJson {
            metric: status.metric,
            percent: status.total_percent,
            display: status
                .rules()
                .display_percent(status.total_percent, status.precision),
        },
        target: judged.map_or(status.target, |ph| ph.target),
        missing_modules: missing,
        warnings: status.warnings.clone(),
        plan: plan.to_string(),
        report: report.to_string(),
        tool: status.tool.name(),
        precision: status.precision,
        listed,
        total_text: total_text(status),
        rules: status.rules(),
    })
}

impl Verdict {
    /// What is judged: `phase 1 of 3: Security first (current phase)`, or `the plan's
    /// target`.
    pub fn scope(&self) -> String {
        match (self.phase, &self.phase_name) {
            (Some(k), Some(name)) => {
                let note = if self.current_phase == Some(k) {
                    " (current phase)"
                } else if self.current_phase.is_none() {
                    " (every phase passes)"
                } else {
                    ""
                };
                format!("phase {k} of {}: {}{note}", self.phases, one_line(name))
            }
            _ => "the plan's target".to_string(),
        }
    }

    /// The missing modules that the criteria do not already show.
    fn unlisted_missing(&self) -> &[MissingModule] {
        if self.listed {
            &[]
        } else {
            &self.missing_modules
        }
    }

    /// The last line: `PASS: all 3 criteria met` or why it fails.
    pub fn conclusion(&self) -> String {
        let n = self.criteria.len();
        let missing = self.missing_modules.len();
        if self.passed {
            format!("PASS: all {n} criteria met")
        } else if self.unmet > 0 {
            format!(
                "FAIL: {} of {n} criteria unmet{}",
                self.unmet,
                if self.unlisted_missing().is_empty() {
                    String::new()
                } else {
                    format!("; {missing} module(s) match no file")
                }
            )
        } else {
            format!("FAIL: {missing} module(s) of the plan match no file")
        }
    }

    /// For a terminal: the plan and report, the total, the judged phase, one line per
    /// criterion with ✅ met / ⏳ unmet, the modules that match no file, PASS or FAIL.
    pub fn to_text(&self) -> String {
        let mut s = format!(
            "plan {}{}\nreport {}: total {}\n{}\n",
            self.plan,
            self.plan_name
                .as_deref()
                .map(|n| format!(" ({})", one_line(n)))
                .unwrap_or_default(),
            self.report,
            self.total_text,
            self.scope()
        );
        for c in &self.criteria {
            s.push_str(&format!(
                "  {:<9} {}: {}\n",
                mark(c.met),
                one_line(&c.text),
                one_line(&c.detail)
            ));
        }
        let unlisted = self.unlisted_missing();
        if !unlisted.is_empty() {
            s.push_str("the plan\n");
            for m in unlisted {
                s.push_str(&format!(
                    "  {:<9} module {} ({}) {}\n",
                    mark(false),
                    one_line(&m.name),
                    one_line(&m.patterns.join(", ")),
                    one_line(&why_empty(&m.suggestions, m.shadowed_by.as_deref()))
                ));
            }
        }
        s.push_str(&self.conclusion());
        s.push('\n');
        s
    }

    /// For a job summary or a pull-request comment: a heading with the verdict, the
    /// total, a table of the criteria, the modules that match no file, PASS or FAIL.
    pub fn to_markdown(&self) -> String {
        let mut s = format!(
            "### covgap check: {} — {}\n\n",
            if self.passed {
                "✅ passed"
            } else {
                "⏳ not passed"
            },
            md_escape(&self.scope())
        );
        match &self.plan_name {
            Some(n) => s.push_str(&format!(
                "Plan: {} ({})  \n",
                md_escape(n),
                md_escape(&self.plan)
            )),
            None => s.push_str(&format!("Plan: {}  \n", md_escape(&self.plan))),
        }
        s.push_str(&format!(
            "Report: {}, total {}; target {}%\n\n",
            md_escape(&self.report),
            md_escape(&self.total_text),
            fmt_num(self.target)
        ));
        let mut t = Table::new(&[
            ("Status", Align::Left),
            ("Criterion", Align::Left),
            ("Required", Align::Right),
            ("Actual", Align::Right),
            ("Detail", Align::Left),
        ]);
        for c in &self.criteria {
            t.rows.push(vec![
                mark(c.met).to_string(),
                c.text.clone(),
                self.number(c.unit, c.required, true),
                self.number(c.unit, c.actual, false),
                c.detail.clone(),
            ]);
        }
        s.push_str(&t.to_markdown());
        let unlisted = self.unlisted_missing();
        if !unlisted.is_empty() {
            s.push_str("\nModules of the plan that match no file (a typo in a path?):\n\n");
            for m in unlisted {
                s.push_str(&format!(
                    "- {} — {} ({}): {}\n",
                    mark(false),
                    md_escape(&m.name),
                    md_escape(&m.patterns.join(", ")),
                    md_escape(&why_empty(&m.suggestions, m.shadowed_by.as_deref()))
                ));
            }
        }
        for w in &self.warnings {
            s.push_str(&format!("\n> **Note:** {}\n", md_escape(w)));
        }
        s.push_str(&format!("\n**{}**\n", md_escape(&self.conclusion())));
        s
    }

    fn number(&self, unit: Unit, v: f64, required: bool) -> String {
        match unit {
            Unit::Percent if required => format!("{}%", fmt_num(v)),
            Unit::Percent => {
                let p = if self.rules.uses_precision() {
                    self.precision.max(2)
                } else {
                    self.precision
                };
                format!("{}%", self.rules.display_percent(v, p))
            }
            Unit::Statements | Unit::Count => fmt_num(v),
        }
    }
}

fn mark(met: bool) -> &'static str {
    if met {
        "✅ met"
    } else {
        "⏳ unmet"
    }
}

/// Names from a plan go into lines of text: a newline in one must not start a line.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}
