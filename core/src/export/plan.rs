//! A plan's exports: Markdown for a PR or issue (priority table, phases with ✅/⏳,
//! the board), CSV, the plan JSON itself, and the gate config for a phase.
//!
//! Status words ("met"/"unmet") always sit beside the ✅/⏳ marks, so the meaning does not
//! rest on an emoji or a colour.

use super::table::{md_escape, Align, Table};
use crate::plan::model::{count, fmt_num};
use crate::plan::{
    CheapestPath, CostBasis, CriterionKind, CriterionStatus, Metric, ModuleStatus, PhaseStatus,
    Plan, PlanStatus, Status, Unit,
};
use serde::Serialize;

/// A module's current figure: `no files` for a module that matches none.
fn current_cell(status: &PlanStatus, m: &ModuleStatus) -> String {
    if m.matched {
        status.pct_text(m.current)
    } else {
        "no files".to_string()
    }
}

fn target_cell(status: &PlanStatus, m: &ModuleStatus) -> String {
    if m.metric == status.metric {
        format!("{}%", fmt_num(m.target))
    } else {
        format!("{}% ({})", fmt_num(m.target), m.metric.key())
    }
}

/// The units modules' work is counted in, in metric order: statements and branches for
/// coverage.py's combined figure, else each module metric's own.
fn work_units(status: &PlanStatus) -> Vec<Metric> {
    let mut units: Vec<Metric> = Vec::new();
    for m in &status.modules {
        let us: &[Metric] = match m.metric {
            Metric::Combined => &[Metric::Statements, Metric::Branches],
            _ => std::slice::from_ref(&m.metric),
        };
        for u in us {
            if !units.contains(u) {
                units.push(*u);
            }
        }
    }
    units.sort();
    units
}

/// The work of `to_cover` in words; the combined figure always names statements and
/// branches, even at 0, so the sentence reads the same for every plan of a report.
fn work_text(metric: Metric, to_cover: &[(Metric, u64)]) -> String {
    let n = |u: Metric| {
        to_cover
            .iter()
            .find(|(x, _)| *x == u)
            .map_or(0, |(_, n)| *n)
    };
    match metric {
        Metric::Combined => format!(
            "{} and {}",
            count(n(Metric::Statements), "statement"),
            count(n(Metric::Branches), "branch")
        ),
        m => {
            let t = crate::plan::evaluate::to_cover_text(to_cover);
            if t.is_empty() {
                m.units(0)
            } else {
                t
            }
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

/// The priority table: one row per module, in `order` (indices into `status.modules`).
pub fn priority_table(status: &PlanStatus, order: &[usize]) -> Table {
    let units = work_units(status);
    let titles: Vec<String> = units
        .iter()
        .map(|u| match u {
            Metric::Statements => "Stmts needed".to_string(),
            u => format!("{} needed", u.title()),
        })
        .collect();
    let mut cols: Vec<(&str, Align)> = vec![
        ("Module", Align::Left),
        ("Current", Align::Right),
        ("Target", Align::Right),
        ("Gap (pp)", Align::Right),
    ];
    cols.extend(titles.iter().map(|t| (t.as_str(), Align::Right)));
    cols.extend([
        ("Impact on total (pp)", Align::Right),
        ("Effort (h)", Align::Right),
        ("pp/hour", Align::Right),
        ("Impact", Align::Left),
        ("Owner", Align::Left),
        ("Status", Align::Left),
    ]);
    let mut t = Table::new(&cols);
    for m in order.iter().filter_map(|&i| status.modules.get(i)) {
        let mut row = vec![
            m.name.clone(),
            current_cell(status, m),
            target_cell(status, m),
            format!("{:.2}", m.gap_pp),
        ];
        row.extend(units.iter().map(|u| {
            m.to_cover
                .iter()
                .find(|(x, _)| x == u)
                .map_or(0, |(_, n)| *n)
                .to_string()
        }));
        row.extend([
            format!("{:.2}", m.impact_pp),
            m.effort.map(|e| e.label()).unwrap_or_default(),
            m.points_per_hour
                .map(|v| format!("{v:.2}"))
                .unwrap_or_default(),
            m.impact.map(|i| i.label().to_string()).unwrap_or_default(),
            m.owner.clone().unwrap_or_default(),
            m.status.label().to_string(),
        ]);
        t.rows.push(row);
    }
    t
}

/// The phase table: one row per phase with its progress and ✅/⏳ status.
pub fn phase_table(status: &PlanStatus) -> Table {
    let mut t = Table::new(&[
        ("#", Align::Right),
        ("Phase", Align::Left),
        ("Baseline", Align::Right),
        ("Target", Align::Right),
        ("Progress", Align::Right),
        ("Criteria met", Align::Right),
        ("fail_under", Align::Right),
        ("Status", Align::Left),
    ]);
    for ph in &status.phases {
        let mut state = mark(ph.passes).to_string();
        if ph.is_current {
            state.push_str(" (current)");
        }
        t.rows.push(vec![
            (ph.index + 1).to_string(),
            ph.name.clone(),
            format!("{}%", fmt_num(ph.baseline)),
            format!("{}%", fmt_num(ph.target)),
            format!("{:.0}%", ph.progress * 100.0),
            format!("{}/{}", ph.met, ph.criteria.len()),
            fmt_num(ph.fail_under),
            state,
        ]);
    }
    t
}

fn number(status: &PlanStatus, c: &CriterionStatus, v: f64) -> String {
    match c.unit {
        Unit::Percent => status.pct_text(v),
        Unit::Statements | Unit::Count => fmt_num(v),
    }
}

/// Every phase's criteria, one row each: what, required, actual, met.
pub fn criteria_table(status: &PlanStatus) -> Table {
    let mut t = Table::new(&[
        ("#", Align::Right),
        ("Phase", Align::Left),
        ("Criterion", Align::Left),
        ("Required", Align::Right),
        ("Actual", Align::Right),
        ("Status", Align::Left),
        ("Detail", Align::Left),
    ]);
    for ph in &status.phases {
        for c in &ph.criteria {
            t.rows.push(vec![
                (ph.index + 1).to_string(),
                ph.name.clone(),
                c.label.clone(),
                match c.unit {
                    Unit::Percent => format!("{}%", fmt_num(c.expected)),
                    Unit::Statements | Unit::Count => fmt_num(c.expected),
                },
                number(status, c, c.actual),
                if c.met { "met" } else { "unmet" }.to_string(),
                c.detail.clone(),
            ]);
        }
    }
    t
}

/// One phase's criteria as a Markdown list.
pub fn criteria_markdown(ph: &PhaseStatus) -> String {
    let mut s = String::new();
    for c in &ph.criteria {
        s.push_str(&format!(
            "- {} — {}: {}\n",
            mark(c.met),
            md_escape(&c.label),
            md_escape(&c.detail)
        ));
    }
    s
}

/// The board: one list per column, modules in plan order.
pub fn kanban_markdown(status: &PlanStatus) -> String {
    let mut s = String::new();
    for col in Status::ALL {
        s.push_str(&format!("#### {}\n\n", col.label()));
        let cards: Vec<&ModuleStatus> = status.modules.iter().filter(|m| m.status == col).collect();
        if cards.is_empty() {
            s.push_str("- (none)\n");
        }
        for m in cards {
            let mut line = format!(
                "- {}: {} → {}",
                md_escape(&m.name),
                current_cell(status, m),
                target_cell(status, m)
            );
            if let Some(o) = &m.owner {
                line.push_str(&format!(", owner {}", md_escape(o)));
            }
            if m.status_overridden && m.status != m.derived_status {
                line.push_str(&format!(
                    " (set by hand; the numbers say {})",
                    m.derived_status.label().to_lowercase()
                ));
            }
            s.push_str(&line);
            s.push('\n');
        }
        s.push('\n');
    }
    s
}

/// A sentence on the cheapest path, for Markdown and text.
pub fn cheapest_sentence(status: &PlanStatus, c: &CheapestPath) -> String {
    let pct = |v| status.pct_text(v);
    if c.units_needed == 0 {
        return format!(
            "The total {} already meets {}%.",
            pct(c.total_before),
            fmt_num(c.goal)
        );
    }
    let names: Vec<&str> = c
        .modules
        .iter()
        .filter_map(|&i| status.modules.get(i))
        .map(|m| m.name.as_str())
        .collect();
    let cost = match c.basis {
        CostBasis::Hours => format!("{} hours (effort midpoints)", fmt_num(c.cost)),
        CostBasis::Statements => match c.metric {
            Metric::Combined => format!("{} (statements and branches)", fmt_num(c.cost)),
            m => format!(
                "{} ({})",
                fmt_num(c.cost),
                m.units(2).trim_start_matches("2 ")
            ),
        },
    };
    if !c.reaches_goal {
        return format!(
            "Even with every module at its target ({}), the total only reaches {}, short of {}%: \
             raise some module targets or add modules.",
            names.join(", "),
            pct(c.total_after),
            fmt_num(c.goal)
        );
    }
    format!(
        "Bring {} to target: {cost}, {} to cover; the total goes from {} to {}{}.",
        names.join(", "),
        work_text(c.metric, &c.to_cover),
        pct(c.total_before),
        pct(c.total_after),
        if c.exact {
            ""
        } else {
            " (an estimate: too many modules for an exact answer)"
        }
    )
}

/// The lines above the tables: the total against the target, the floor and the modules
/// that match no file; names through `esc` (Markdown escaping, or none for text).
fn intro(status: &PlanStatus, esc: &dyn Fn(&str) -> String) -> String {
    let mut s = String::new();
    let rules = status.rules();
    let figure = if status.metric == Metric::Combined {
        format!(
            "combined statements+branches, shown as {}%",
            rules.display_percent(status.total_percent, status.precision)
        )
    } else {
        format!("{}, {}'s figure", status.metric.key(), rules.name)
    };
    s.push_str(&format!(
        "Total {} ({figure}) against a target of {}%: {}",
        status.pct_text(status.total_percent),
        fmt_num(status.target),
        mark(status.passes)
    ));
    if !status.passes {
        match (status.gap.statements_needed, status.metric) {
            (Some(k), _) => s.push_str(&format!(", {} to cover", count(k, "statement"))),
            (None, Metric::Combined) => s.push_str(&format!(
                ", {} statements and branches to cover (statements alone cannot do it)",
                status.gap.needed.unwrap_or(0)
            )),
            (None, m) => s.push_str(&format!(
                ", {} to cover",
                m.units(status.gap.needed.unwrap_or(0))
            )),
        }
    }
    s.push_str(".\n");
    if let Some(f) = status.floor {
        s.push_str(&format!("Floor: no module below {}%.\n", fmt_num(f)));
    }
    let missing: Vec<String> = status
        .missing_modules()
        .map(|m| {
            let mut t = format!("{} ({})", esc(&m.name), esc(&m.patterns.join(", ")));
            if !m.suggestions.is_empty() {
                t.push_str(&format!(
                    ": did you mean {}?",
                    esc(&m.suggestions.join(" or "))
                ));
            }
            t
        })
        .collect();
    if !missing.is_empty() {
        s.push_str(&format!(
            "⚠️ Modules matching no file (a typo in a path?): {}.\n",
            missing.join("; ")
        ));
    }
    s
}

/// The whole plan as Markdown, ready to paste in a PR or issue. `order` orders the
/// priority table; `cheapest` adds its sentence when given.
pub fn plan_markdown(
    status: &PlanStatus,
    order: &[usize],
    cheapest: Option<&CheapestPath>,
) -> String {
    let mut s = String::new();
    match &status.name {
        Some(n) => s.push_str(&format!("## Coverage plan: {}\n\n", md_escape(n))),
        None => s.push_str("## Coverage plan\n\n"),
    }
    s.push_str(&intro(status, &md_escape));
    if status.what_if {
        s.push_str("These numbers include what-if changes, not only the report.\n");
    }
    s.push('\n');

    s.push_str("### Priority\n\n");
    s.push_str(&priority_table(status, order).to_markdown());
    s.push('\n');
    if let Some(c) = cheapest {
        s.push_str(&format!(
            "**Cheapest path to {}%:** {}\n\n",
            fmt_num(c.goal),
            cheapest_sentence(status, c)
        ));
    }

    if !status.phases.is_empty() {
        s.push_str("### Phases\n\n");
        s.push_str(&phase_table(status).to_markdown());
        s.push('\n');
        for ph in &status.phases {
            s.push_str(&format!(
                "#### Phase {}: {}{}\n\n",
                ph.index + 1,
                md_escape(&ph.name),
                if ph.is_current { " (current)" } else { "" }
            ));
            s.push_str(&criteria_markdown(ph));
            s.push('\n');
        }
    }

    s.push_str("### Board\n\n");
    s.push_str(&kanban_markdown(status));
    while s.ends_with("\n\n") {
        s.pop();
    }
    s
}

/// The compact table hand-written roadmaps use: `Module | Current | Target | Gap |
/// Effort | Impact`, one row per module in `order`. Current is the module's coverage as
/// the report's tool shows it at the plan's precision, Gap the points from there to the
/// target, Effort in hours ("4-6h"), Impact in capitals as the seed plans write it.
pub fn compact_table(status: &PlanStatus, order: &[usize]) -> Table {
    let rules = status.rules();
    let mut t = Table::new(&[
        ("Module", Align::Left),
        ("Current", Align::Right),
        ("Target", Align::Right),
        ("Gap", Align::Right),
        ("Effort", Align::Right),
        ("Impact", Align::Left),
    ]);
    for m in order.iter().filter_map(|&i| status.modules.get(i)) {
        let current = if m.matched {
            format!("{}%", rules.display_percent(m.current, status.precision))
        } else {
            "no files".to_string()
        };
        let gap = if m.meets_target {
            "—".to_string()
        } else {
            format!(
                "{} pp",
                crate::display::display_percent(m.gap_pp, status.precision.max(1))
            )
        };
        t.rows.push(vec![
            m.name.clone(),
            current,
            target_cell(status, m),
            gap,
            m.effort
                .map(|e| format!("{}h", e.label()))
                .unwrap_or_default(),
            m.impact
                .map(|i| i.label().to_uppercase())
                .unwrap_or_default(),
        ]);
    }
    t
}

/// The compact table with the status line above it, as the seed plans open: `Current:
/// 92% | Target: 95%`, then the table. Paste-ready Markdown.
pub fn compact_markdown(status: &PlanStatus, order: &[usize]) -> String {
    let mut s = String::new();
    if let Some(n) = &status.name {
        s.push_str(&format!("## Coverage plan: {}\n\n", md_escape(n)));
    }
    s.push_str(&format!(
        "**Current:** {}% | **Target:** {}%{}\n\n",
        status
            .rules()
            .display_percent(status.total_percent, status.precision),
        fmt_num(status.target),
        if status.what_if {
            " | **What-if numbers, not the report's**"
        } else {
            ""
        }
    ));
    s.push_str(&compact_table(status, order).to_markdown());
    s
}

/// The whole plan for a terminal: the same sections as [`plan_markdown`] (total,
/// priority table, cheapest path, phases with their criteria, the board) as aligned text.
pub fn plan_text(status: &PlanStatus, order: &[usize], cheapest: Option<&CheapestPath>) -> String {
    let plain = |t: &str| one_line(t);
    let mut s = match &status.name {
        Some(n) => format!("Coverage plan: {}\n", one_line(n)),
        None => "Coverage plan\n".to_string(),
    };
    s.push_str(&intro(status, &plain));
    if status.what_if {
        s.push_str("These numbers include what-if changes, not only the report.\n");
    }
    s.push_str("\nPriority\n");
    s.push_str(&priority_table(status, order).to_text());
    if let Some(c) = cheapest {
        s.push_str(&format!(
            "Cheapest path to {}%: {}\n",
            fmt_num(c.goal),
            cheapest_sentence(status, c)
        ));
    }
    if !status.phases.is_empty() {
        s.push_str("\nPhases\n");
        s.push_str(&phase_table(status).to_text());
        for ph in &status.phases {
            s.push_str(&format!(
                "\nPhase {}: {}{}\n",
                ph.index + 1,
                one_line(&ph.name),
                if ph.is_current { " (current)" } else { "" }
            ));
            for c in &ph.criteria {
                s.push_str(&format!(
                    "  {:<9} {}: {}\n",
                    mark(c.met),
                    one_line(&c.label),
                    one_line(&c.detail)
                ));
            }
        }
    }
    s.push_str("\nBoard\n");
    for col in Status::ALL {
        let cards: Vec<String> = status
            .modules
            .iter()
            .filter(|m| m.status == col)
            .map(|m| one_line(&m.name))
            .collect();
        s.push_str(&format!(
            "  {:<12} {}\n",
            format!("{}:", col.label()),
            if cards.is_empty() {
                "(none)".to_string()
            } else {
                cards.join(", ")
            }
        ));
    }
    s
}

/// The plan file itself, pretty-printed; reading it back gives the same plan.
pub fn plan_json(plan: &Plan) -> String {
    serde_json::to_string_pretty(plan).map_or_else(
        |e| format!("{{\"error\": {:?}}}", e.to_string()),
        |s| s + "\n",
    )
}

/// A module's least coverage while a phase is in force.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ModuleFloor {
    /// Module name.
    pub module: String,
    /// Its path patterns.
    pub patterns: Vec<String>,
    /// The figure the floor applies to.
    pub metric: Metric,
    /// The least percentage.
    pub floor: f64,
    /// The module's figure now.
    pub current: f64,
    /// Does it hold now?
    pub holds: bool,
}

/// What CI should enforce for one phase: coverage.py's `fail_under`, and the module
/// floors that only `covgap check` can enforce.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GateConfig {
    /// The phase (index), if the plan has phases.
    pub phase: Option<usize>,
    /// The phase's name.
    pub phase_name: Option<String>,
    /// `fail_under` for `[tool.coverage.report]` / `[report]`.
    pub fail_under: f64,
    /// coverage.py `precision` the value is judged at.
    pub precision: u8,
    /// Per-module floors, exactly as `covgap check` judges the phase: its module criteria
    /// (on each module's metric) and, when the phase has the floor criterion, the plan's
    /// floor for every module (combined); the higher where they coincide.
    pub module_floors: Vec<ModuleFloor>,
}

/// The gate for `phase` (an index), or for the current phase when `None` (the last
/// phase when all pass; the plan's target when there are no phases).
pub fn gate_config(status: &PlanStatus, phase: Option<usize>) -> GateConfig {
    let ph = phase
        .or(status.current_phase)
        .or_else(|| status.phases.len().checked_sub(1))
        .and_then(|i| status.phases.get(i));
    let p = status.precision;
    let rules = status.rules();
    let mut floors: Vec<ModuleFloor> = Vec::new();
    let mut add = |m: &ModuleStatus, metric: Metric, floor: f64| {
        let current = rules.percent(&m.counts, metric);
        let holds = m.counts.get(metric).total == 0 || rules.passes(current, floor, p);
        match floors
            .iter_mut()
            .find(|f| f.module == m.name && f.metric == metric)
        {
            Some(f) if f.floor >= floor => {}
            Some(f) => {
                f.floor = floor;
                f.holds = holds;
            }
            None => floors.push(ModuleFloor {
                module: m.name.clone(),
                patterns: m.patterns.clone(),
                metric,
                floor,
                current,
                holds,
            }),
        }
    };
    // Exactly what `covgap check` checks for this phase: its module criteria, and the
    // floor only when the phase has the floor criterion.
    let criteria = ph.map_or(&status.plan_criteria, |ph| &ph.criteria);
    let floor = criteria
        .iter()
        .find(|c| c.kind == CriterionKind::NoModuleBelowFloor)
        .map(|c| c.expected);
    for m in status.modules.iter().filter(|m| m.matched) {
        if let Some(f) = floor {
            add(m, status.metric, f);
        }
        for c in criteria {
            if c.module.as_deref() == Some(m.name.as_str()) {
                add(m, m.metric, c.expected);
            }
        }
    }
    GateConfig {
        phase: ph.map(|ph| ph.index),
        phase_name: ph.map(|ph| ph.name.clone()),
        fail_under: ph.map_or(status.target, |ph| ph.fail_under),
        precision: p,
        module_floors: floors,
    }
}

impl GateConfig {
    fn header(&self) -> String {
        match (&self.phase, &self.phase_name) {
            (Some(i), Some(n)) => format!(
                "# covgap gate for phase {}: {}\n# Raise fail_under to this when the phase passes (`covgap check` exits 0).\n",
                i + 1,
                one_line(n)
            ),
            _ => "# covgap gate for the plan's target\n".to_string(),
        }
    }

    fn settings(&self) -> String {
        let mut s = format!("fail_under = {}\n", fmt_num(self.fail_under));
        if self.precision > 0 {
            s.push_str(&format!("precision = {}\n", self.precision));
        }
        s
    }

    /// The per-module floors as a list, one `- module (patterns): metric ≥ N%` a line.
    pub fn floors_list(&self) -> String {
        let mut s = String::new();
        for f in &self.module_floors {
            s.push_str(&format!(
                "- {} ({}): {} ≥ {}% (now {})\n",
                one_line(&f.module),
                one_line(&f.patterns.join(", ")),
                f.metric.key(),
                fmt_num(f.floor),
                crate::rules::COVERAGEPY.display_percent(f.current, self.precision.max(2)) + "%"
            ));
        }
        s
    }

    fn floors_comment(&self) -> String {
        if self.module_floors.is_empty() {
            return String::new();
        }
        let mut s = String::from(
            "\n# Per-module floors: coverage.py has no per-module gate; `covgap check` enforces these.\n",
        );
        for line in self.floors_list().lines() {
            s.push_str("# ");
            s.push_str(line);
            s.push('\n');
        }
        s
    }

    /// For pyproject.toml.
    pub fn to_pyproject(&self) -> String {
        format!(
            "{}[tool.coverage.report]\n{}{}",
            self.header(),
            self.settings(),
            self.floors_comment()
        )
    }

    /// For .coveragerc (in setup.cfg or tox.ini the section is `[coverage:report]`).
    pub fn to_coveragerc(&self) -> String {
        format!(
            "{}[report]\n{}{}",
            self.header(),
            self.settings(),
            self.floors_comment()
        )
    }
}

/// Names go into config comments: a newline in one must not start a config line.
fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}
