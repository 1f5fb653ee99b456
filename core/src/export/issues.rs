//! A plan's board for an issue tracker: one Markdown issue body per phase (its exit
//! criteria and its modules as checklists), and one issue per module per phase as CSV
//! for the trackers' importers (GitHub through `gh`, GitLab, Jira).
//!
//! Labels follow the hand-written roadmaps covgap replaces: `coverage-phase-2` (phases
//! counted from 1) and `module:<name>` with the name slugged to letters, digits and
//! dashes. Board columns are the roadmaps' Backlog / In Progress / Ready for Review /
//! Done. Everything here is a pure function of a [`PlanStatus`], so the page and the CLI
//! export the same issues.

use super::table::{md_escape, Align, Table};
use crate::plan::model::fmt_num;
use crate::plan::{CriterionStatus, ModuleStatus, PhaseStatus, PlanStatus, Status};
use serde::Serialize;

/// GitHub's longest label name.
const LABEL_MAX: usize = 50;

/// A board column as the roadmaps name it.
pub fn board_column(s: Status) -> &'static str {
    match s {
        Status::Backlog => "Backlog",
        Status::InProgress => "In Progress",
        Status::Review => "Ready for Review",
        Status::Done => "Done",
    }
}

/// The label of a phase (from 0): `coverage-phase-2` for the second.
pub fn phase_label(index: usize) -> String {
    format!("coverage-phase-{}", index + 1)
}

/// `name` as a label-safe slug: lowercase ASCII letters and digits, every other run of
/// characters one dash, no dash at either end; empty when nothing is left.
pub fn slug(name: &str) -> String {
    let mut s = String::with_capacity(name.len());
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            s.push(ch.to_ascii_lowercase());
        } else if !s.is_empty() && !s.ends_with('-') {
            s.push('-');
        }
    }
    while s.ends_with('-') {
        s.pop();
    }
    s
}

/// The `module:<slug>` label of every module, in plan order: unique, at most 50
/// characters (GitHub's limit), `module:module-3` for a name with nothing sluggable.
pub fn module_labels(status: &PlanStatus) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(status.modules.len());
    for (i, m) in status.modules.iter().enumerate() {
        let mut s = slug(&m.name);
        if s.is_empty() {
            s = format!("module-{}", i + 1);
        }
        let mut label = cap(format!("module:{s}"), LABEL_MAX);
        if out.contains(&label) {
            let suffix = format!("-{}", i + 1);
            label = cap(label, LABEL_MAX - suffix.len()) + &suffix;
        }
        out.push(label);
    }
    out
}

/// `s` cut to `max` bytes (ASCII here), without a trailing dash.
fn cap(mut s: String, max: usize) -> String {
    s.truncate(max);
    while s.ends_with('-') {
        s.pop();
    }
    s
}

/// Names go into one-line titles: a newline must not start another line.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

fn checkbox(done: bool) -> &'static str {
    if done {
        "- [x]"
    } else {
        "- [ ]"
    }
}

/// A module's figure now: `68.64%`, or `no files`.
fn current_text(status: &PlanStatus, m: &ModuleStatus) -> String {
    if m.matched {
        status.pct_text(m.current)
    } else {
        "no files".to_string()
    }
}

/// `85%`, or `95% (branches)` when the module is judged on another metric than the plan.
fn target_text(status: &PlanStatus, m: &ModuleStatus) -> String {
    if m.metric == status.metric {
        format!("{}%", fmt_num(m.target))
    } else {
        format!("{}% ({})", fmt_num(m.target), m.metric.key())
    }
}

/// One module's checklist line (without the box), Markdown-escaped:
/// `sandbox (src/jinja2/sandbox.py): 68.64% → 85%, 35 statements to cover, effort 4-6 h,
/// impact high, owner dana — In Progress`.
pub fn module_line(status: &PlanStatus, m: &ModuleStatus) -> String {
    let mut s = format!(
        "{} ({}): {} → {}",
        md_escape(&m.name),
        md_escape(&m.patterns.join(", ")),
        current_text(status, m),
        target_text(status, m)
    );
    let work = m.to_cover_text();
    if !work.is_empty() {
        s.push_str(&format!(", {work} to cover"));
    }
    if let Some(e) = m.effort {
        s.push_str(&format!(", effort {} h", e.label()));
    }
    if let Some(i) = m.impact {
        s.push_str(&format!(", impact {}", i.label()));
    }
    if let Some(o) = m.owner.as_deref().filter(|o| !o.trim().is_empty()) {
        s.push_str(&format!(", owner {}", md_escape(o)));
    }
    s.push_str(&format!(" — {}", board_column(m.status)));
    s
}

fn criteria_checklist(criteria: &[CriterionStatus]) -> String {
    let mut s = String::new();
    for c in criteria {
        s.push_str(&format!(
            "{} {}: {}\n",
            checkbox(c.met),
            md_escape(&c.label),
            md_escape(&c.detail)
        ));
    }
    if criteria.is_empty() {
        s.push_str("- (none)\n");
    }
    s
}

fn modules_checklist(status: &PlanStatus, modules: &[usize]) -> String {
    let mut s = String::new();
    for m in modules.iter().filter_map(|&i| status.modules.get(i)) {
        s.push_str(&format!(
            "{} {}\n",
            checkbox(m.meets_target),
            module_line(status, m)
        ));
    }
    if modules.is_empty() {
        s.push_str("- (no modules)\n");
    }
    s
}

/// How many of `modules` sit in each board column: `Backlog 2 · In Progress 1 · …`.
fn board_line(status: &PlanStatus, modules: &[usize]) -> String {
    Status::ALL
        .iter()
        .map(|&col| {
            let n = modules
                .iter()
                .filter_map(|&i| status.modules.get(i))
                .filter(|m| m.status == col)
                .count();
            format!("{} {n}", board_column(col))
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

fn labels_line(status: &PlanStatus, first: Option<String>, modules: &[usize]) -> String {
    let all = module_labels(status);
    let labels: Vec<String> = first
        .into_iter()
        .chain(modules.iter().filter_map(|&i| all.get(i).cloned()))
        .map(|l| format!("`{l}`"))
        .collect();
    format!("Labels: {}\n", labels.join(", "))
}

fn plan_line(status: &PlanStatus) -> String {
    let name = status
        .name
        .as_deref()
        .map(|n| format!(" {}", md_escape(n)))
        .unwrap_or_default();
    format!(
        "Coverage plan{name} — total now {} against a target of {}%.  \n",
        status.pct_text(status.total_percent),
        fmt_num(status.target)
    )
}

/// The issue body of one phase: a heading, where the plan stands, the exit criteria as a
/// checklist (`- [x]` met, `- [ ]` unmet, with the numbers), the modules as a checklist,
/// the board's columns and the labels.
pub fn phase_issue_markdown(status: &PlanStatus, ph: &PhaseStatus) -> String {
    let n = status.phases.len();
    let mut s = format!(
        "## Coverage phase {} of {n}: {}\n\n",
        ph.index + 1,
        md_escape(&ph.name)
    );
    s.push_str(&plan_line(status));
    s.push_str(&format!(
        "Phase target {}%, then `fail_under = {}`: {} of {} exit criteria met{}.  \n",
        fmt_num(ph.target),
        fmt_num(ph.fail_under),
        ph.met,
        ph.criteria.len(),
        if ph.passes {
            " (✅ met)"
        } else if ph.is_current {
            " (⏳ unmet, the current phase)"
        } else {
            " (⏳ unmet)"
        }
    ));
    s.push_str(&labels_line(
        status,
        Some(phase_label(ph.index)),
        &ph.modules,
    ));
    s.push_str("\n### Exit criteria\n\n");
    s.push_str(&criteria_checklist(&ph.criteria));
    s.push_str("\n### Modules\n\n");
    s.push_str(&modules_checklist(status, &ph.modules));
    s.push_str(&format!("\nBoard: {}.\n", board_line(status, &ph.modules)));
    s
}

/// The issue body of a plan without phases (or of the modules no phase lists): the
/// plan's own criteria and the modules.
fn plan_issue_markdown(status: &PlanStatus, modules: &[usize], leftover: bool) -> String {
    let title = match (&status.name, leftover) {
        (_, true) => "Coverage: modules in no phase".to_string(),
        (Some(n), false) => format!("Coverage plan: {}", md_escape(n)),
        (None, false) => "Coverage plan".to_string(),
    };
    let mut s = format!("## {title}\n\n");
    s.push_str(&plan_line(status));
    s.push_str(&labels_line(status, None, modules));
    if !leftover {
        s.push_str("\n### Exit criteria\n\n");
        s.push_str(&criteria_checklist(&status.plan_criteria));
    }
    s.push_str("\n### Modules\n\n");
    s.push_str(&modules_checklist(status, modules));
    s.push_str(&format!("\nBoard: {}.\n", board_line(status, modules)));
    s
}

/// Modules no phase lists, in plan order.
fn outside_phases(status: &PlanStatus) -> Vec<usize> {
    status
        .modules
        .iter()
        .filter(|m| m.phases.is_empty())
        .map(|m| m.index)
        .collect()
}

/// Issue bodies: one per phase (only phase `phase`, from 0, when given), then one for
/// the modules no phase lists; for a plan without phases, one for the whole plan. Bodies
/// are separated by a `---` line.
pub fn issues_markdown(status: &PlanStatus, phase: Option<usize>) -> String {
    let mut bodies: Vec<String> = Vec::new();
    if status.phases.is_empty() {
        let all: Vec<usize> = (0..status.modules.len()).collect();
        bodies.push(plan_issue_markdown(status, &all, false));
    } else {
        for ph in &status.phases {
            if phase.is_none_or(|k| k == ph.index) {
                bodies.push(phase_issue_markdown(status, ph));
            }
        }
        let rest = outside_phases(status);
        if phase.is_none() && !rest.is_empty() {
            bodies.push(plan_issue_markdown(status, &rest, true));
        }
    }
    bodies.join("\n---\n\n")
}

/// Whether an issue is still to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum IssueState {
    /// The module is below its target.
    Open,
    /// The module meets its target.
    Closed,
}

impl IssueState {
    /// `open` or `closed`.
    pub fn word(self) -> &'static str {
        match self {
            IssueState::Open => "open",
            IssueState::Closed => "closed",
        }
    }
}

/// One module's work in one phase, as a tracker issue.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Issue {
    /// A one-line plain-text title: `Coverage: sandbox to 85% (phase 1)`.
    pub title: String,
    /// The body, in Markdown (names escaped).
    pub description: String,
    /// `coverage-phase-N` (when in a phase) and `module:<slug>`.
    pub labels: Vec<String>,
    /// The module's owner.
    pub assignee: Option<String>,
    /// Open below target, closed at it.
    pub state: IssueState,
    /// The board column: Backlog, In Progress, Ready for Review or Done.
    pub column: &'static str,
    /// The phase as a milestone title: `Phase 1: Security first`; empty outside phases.
    pub milestone: String,
    /// The phase, from 1.
    pub phase: Option<usize>,
    /// The module's name.
    pub module: String,
    /// Its path patterns.
    pub paths: Vec<String>,
    /// Its figure now: `68.64%`, or `no files`.
    pub current: String,
    /// Its target: `85%`.
    pub target: String,
    /// Estimated hours: `4-6`.
    pub effort: String,
    /// high, medium or low.
    pub impact: String,
}

fn module_description(status: &PlanStatus, m: &ModuleStatus, ph: Option<&PhaseStatus>) -> String {
    let mut s = format!(
        "Raise the coverage of **{}** ({}) from {} to {}",
        md_escape(&m.name),
        md_escape(&m.patterns.join(", ")),
        current_text(status, m),
        target_text(status, m)
    );
    let work = m.to_cover_text();
    if !work.is_empty() {
        s.push_str(&format!(": {work} to cover"));
    }
    s.push_str(".\n");
    if let Some(ph) = ph {
        s.push_str(&format!(
            "Phase {} of {}: {}.\n",
            ph.index + 1,
            status.phases.len(),
            md_escape(&ph.name)
        ));
    }
    s.push_str(&format!(
        "\n{} {} at {} (now {})\n",
        checkbox(m.meets_target),
        md_escape(&m.name),
        target_text(status, m),
        current_text(status, m)
    ));
    let mut facts: Vec<String> = Vec::new();
    if let Some(e) = m.effort {
        facts.push(format!("effort {} h", e.label()));
    }
    if let Some(i) = m.impact {
        facts.push(format!("impact {}", i.label()));
    }
    if let Some(o) = m.owner.as_deref().filter(|o| !o.trim().is_empty()) {
        facts.push(format!("owner {}", md_escape(o)));
    }
    facts.push(format!("board: {}", board_column(m.status)));
    s.push_str(&format!("- {}\n", facts.join(" · ")));
    if m.matched && !m.meets_target {
        s.push_str(&format!(
            "- Reaching the target raises the total by {:.2} pp\n",
            m.impact_pp
        ));
    }
    if !m.matched && !m.optional {
        let why = crate::plan::evaluate::why_empty(&m.suggestions, m.shadowed_by.as_deref());
        s.push_str(&format!("- ⚠️ The module {}\n", md_escape(&why)));
    }
    if let Some(ph) = ph {
        s.push_str(&format!(
            "- The phase's exit criteria: {} of {} met (target {}%, then `fail_under = {}`)\n",
            ph.met,
            ph.criteria.len(),
            fmt_num(ph.target),
            fmt_num(ph.fail_under)
        ));
    }
    s.push('\n');
    s.push_str(&plan_line(status));
    s
}

/// One issue per module per phase (only phase `phase`, from 0, when given), in phase
/// order then the phase's module order; then the modules no phase lists (all modules
/// for a plan without phases), without a phase label.
pub fn module_issues(status: &PlanStatus, phase: Option<usize>) -> Vec<Issue> {
    let labels = module_labels(status);
    let mut out = Vec::new();
    let mut push = |m: &ModuleStatus, ph: Option<&PhaseStatus>| {
        let module_label = labels.get(m.index).cloned().unwrap_or_default();
        let mut ls: Vec<String> = ph.map(|ph| phase_label(ph.index)).into_iter().collect();
        ls.push(module_label);
        let title = match ph {
            Some(ph) => format!(
                "Coverage: {} to {} (phase {})",
                one_line(&m.name),
                target_text(status, m),
                ph.index + 1
            ),
            None => format!(
                "Coverage: {} to {}",
                one_line(&m.name),
                target_text(status, m)
            ),
        };
        out.push(Issue {
            title,
            description: module_description(status, m, ph),
            labels: ls,
            assignee: m.owner.clone().filter(|o| !o.trim().is_empty()),
            state: if m.meets_target {
                IssueState::Closed
            } else {
                IssueState::Open
            },
            column: board_column(m.status),
            milestone: ph
                .map(|ph| format!("Phase {}: {}", ph.index + 1, one_line(&ph.name)))
                .unwrap_or_default(),
            phase: ph.map(|ph| ph.index + 1),
            module: m.name.clone(),
            paths: m.patterns.clone(),
            current: current_text(status, m),
            target: target_text(status, m),
            effort: m.effort.map(|e| e.label()).unwrap_or_default(),
            impact: m.impact.map(|i| i.label().to_string()).unwrap_or_default(),
        });
    };
    for ph in &status.phases {
        if phase.is_some_and(|k| k != ph.index) {
            continue;
        }
        for m in ph.modules.iter().filter_map(|&i| status.modules.get(i)) {
            push(m, Some(ph));
        }
    }
    if phase.is_none() {
        for i in outside_phases(status) {
            if let Some(m) = status.modules.get(i) {
                push(m, None);
            }
        }
    }
    out
}

/// The issues as a table for a tracker's CSV importer. `title` and `description` come
/// first, in that order (GitLab reads those two); `labels` are comma-separated in one
/// cell; `state` is open or closed; `column` is the board column (map it to Jira's
/// Status); `milestone` is the phase; `type` is `Task` (Jira's Issue Type).
pub fn issues_table(issues: &[Issue]) -> Table {
    let mut t = Table::new(&[
        ("title", Align::Left),
        ("description", Align::Left),
        ("labels", Align::Left),
        ("assignee", Align::Left),
        ("state", Align::Left),
        ("column", Align::Left),
        ("milestone", Align::Left),
        ("type", Align::Left),
        ("phase", Align::Right),
        ("module", Align::Left),
        ("paths", Align::Left),
        ("current", Align::Right),
        ("target", Align::Right),
        ("effort", Align::Right),
        ("impact", Align::Left),
    ]);
    for i in issues {
        t.rows.push(vec![
            i.title.clone(),
            i.description.clone(),
            i.labels.join(","),
            i.assignee.clone().unwrap_or_default(),
            i.state.word().to_string(),
            i.column.to_string(),
            i.milestone.clone(),
            "Task".to_string(),
            i.phase.map(|p| p.to_string()).unwrap_or_default(),
            one_line(&i.module),
            one_line(&i.paths.join(", ")),
            i.current.clone(),
            i.target.clone(),
            i.effort.clone(),
            i.impact.clone(),
        ]);
    }
    t
}

/// [`module_issues`] as RFC 4180 CSV (formula-injection safe).
pub fn issues_csv(status: &PlanStatus, phase: Option<usize>) -> String {
    issues_table(&module_issues(status, phase)).to_csv()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_label_safe() {
        assert_eq!(slug("requirements and markers"), "requirements-and-markers");
        assert_eq!(slug("visitor+meta"), "visitor-meta");
        assert_eq!(slug("  Prediction_Service! "), "prediction-service");
        assert_eq!(slug("src/pkg/__init__.py"), "src-pkg-init-py");
        assert_eq!(slug("=,\n:"), "");
        assert_eq!(slug("réseau"), "r-seau");
    }

    #[test]
    fn caps_keep_labels_short() {
        let long = format!("module:{}", "a-".repeat(40));
        let c = cap(long, LABEL_MAX);
        assert!(c.len() <= LABEL_MAX && !c.ends_with('-'), "{c}");
    }
}
