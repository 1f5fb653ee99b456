//! The plan panel's state, owned by the app's one reducer: the priority table's order,
//! the what-if, the cheapest path's goal, the gate shown, the editor's refused fields.
//! The sub-tab ([`Section`]) is in the URL ([`crate::state::View::plan`]). A what-if is
//! never an edit: nothing here changes the plan.

use covgap_core::plan::{ModuleOverride, PriorityColumn, WhatIf};
use std::collections::BTreeMap;

/// The parts of the plan view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Section {
    /// Phase progress and exit criteria.
    #[default]
    Phases,
    /// The priority table and the cheapest path.
    Priorities,
    /// Hypothetical module coverage.
    WhatIf,
    /// The kanban board.
    Board,
    /// The plan editor.
    Editor,
    /// Markdown, CSV, JSON and gate config.
    Exports,
}

impl Section {
    /// Every section, in display order.
    pub const ALL: [Section; 6] = [
        Section::Phases,
        Section::Priorities,
        Section::WhatIf,
        Section::Board,
        Section::Editor,
        Section::Exports,
    ];

    /// Its label.
    pub fn label(self) -> &'static str {
        match self {
            Section::Phases => "Phases",
            Section::Priorities => "Priorities",
            Section::WhatIf => "What-if",
            Section::Board => "Board",
            Section::Editor => "Edit plan",
            Section::Exports => "Export",
        }
    }

    /// Its name in element ids and in the URL.
    pub fn slug(self) -> &'static str {
        match self {
            Section::Phases => "phases",
            Section::Priorities => "priorities",
            Section::WhatIf => "what-if",
            Section::Board => "board",
            Section::Editor => "editor",
            Section::Exports => "exports",
        }
    }

    /// The section a URL names.
    pub fn from_slug(s: &str) -> Option<Section> {
        Section::ALL.into_iter().find(|x| x.slug() == s)
    }
}

/// Which gate config file is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GateFormat {
    /// `[tool.coverage.report]` in pyproject.toml.
    #[default]
    Pyproject,
    /// `[report]` in .coveragerc.
    Coveragerc,
}

/// A field of the editor whose last change was refused: what was typed stays in the
/// field, and why is said beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The text as typed.
    pub typed: String,
    /// Why it was refused, naming the module or phase.
    pub message: String,
}

/// The plan view's state (its sub-tab is in the URL).
#[derive(Clone, Debug, PartialEq)]
pub struct PlanUi {
    /// Priority table column.
    pub sort: PriorityColumn,
    /// Largest first?
    pub desc: bool,
    /// The quick-wins preset instead of a column sort.
    pub quick_wins: bool,
    /// Hypothetical module coverage.
    pub what_if: WhatIf,
    /// Goal of the cheapest path (the plan's target when unset).
    pub goal: Option<f64>,
    /// Phase whose gate config is shown (the current one when unset).
    pub gate_phase: Option<usize>,
    /// Gate config file format.
    pub gate_format: GateFormat,
    /// Why the last edit without a field of its own was refused.
    pub error: Option<String>,
    /// Refused field edits, by the field's element id.
    pub field_errors: BTreeMap<String, FieldError>,
    /// Outcome of the last copy.
    pub notice: Option<String>,
}

impl Default for PlanUi {
    fn default() -> Self {
        // The CLI's default order (`covgap plan`: impact on the total, largest first), so
        // the Markdown export matches it until the user sorts otherwise.
        PlanUi {
            sort: PriorityColumn::Impact,
            desc: true,
            quick_wins: false,
            what_if: WhatIf::none(),
            goal: None,
            gate_phase: None,
            gate_format: GateFormat::Pyproject,
            error: None,
            field_errors: BTreeMap::new(),
            notice: None,
        }
    }
}

/// A change to [`PlanUi`] (and, for `Show`, to the URL's sub-tab).
#[derive(Clone, Debug, PartialEq)]
pub enum UiAction {
    /// Show a section.
    Show(Section),
    /// Sort the priority table by a column (again: reverse it).
    SortBy(PriorityColumn),
    /// Quick-wins preset on or off.
    QuickWins(bool),
    /// Mark a module done (what-if) or not.
    Done(String, bool),
    /// Set a module's what-if coverage.
    Percent(String, f64),
    /// Drop a module's what-if.
    Clear(String),
    /// Replace the whole what-if.
    SetWhatIf(WhatIf),
    /// Cheapest-path goal.
    Goal(Option<f64>),
    /// Gate phase.
    GatePhase(Option<usize>),
    /// Gate format.
    GateFormat(GateFormat),
    /// An edit was refused (or the refusal is over).
    Error(Option<String>),
    /// Something to tell the user.
    Notice(Option<String>),
}

impl PlanUi {
    /// Applies `a` (`Show` only clears the section's messages; the section itself is the
    /// URL's, set by the app's reducer).
    pub fn apply(&mut self, a: UiAction) {
        match a {
            UiAction::Show(_) => {
                // Messages belong to the section they came from.
                self.notice = None;
                self.error = None;
            }
            UiAction::SortBy(c) => {
                if self.sort == c && !self.quick_wins {
                    self.desc = !self.desc;
                } else {
                    self.sort = c;
                    // Numbers largest first, names and board columns in their order,
                    // as `covgap plan --sort` does.
                    self.desc = !matches!(c, PriorityColumn::Module | PriorityColumn::Status);
                }
                self.quick_wins = false;
            }
            UiAction::QuickWins(on) => self.quick_wins = on,
            UiAction::Done(m, true) => self.what_if.set(&m, ModuleOverride::Done),
            UiAction::Done(m, false) => self.what_if.clear(&m),
            UiAction::Percent(m, x) => {
                if x.is_finite() {
                    self.what_if
                        .set(&m, ModuleOverride::Percent(x.clamp(0.0, 100.0)));
                }
            }
            UiAction::Clear(m) => self.what_if.clear(&m),
            UiAction::SetWhatIf(w) => self.what_if = w,
            UiAction::Goal(g) => {
                self.goal = g.filter(|x| x.is_finite()).map(|x| x.clamp(0.0, 100.0))
            }
            UiAction::GatePhase(p) => self.gate_phase = p,
            UiAction::GateFormat(f) => self.gate_format = f,
            UiAction::Error(e) => self.error = e,
            UiAction::Notice(n) => self.notice = n,
        }
    }
}
