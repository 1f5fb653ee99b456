//! Coverage plans: an overall target, the modules that matter (each with a target,
//! effort, impact, owner and board column), and phases with exit criteria — read from a
//! versioned JSON file and measured against a report.
//!
//! - [`parse_plan`] reads and validates a plan file; [`validate`] checks one built in
//!   memory.
//! - [`assign`] gives each report file to the FIRST module whose pattern matches it (so
//!   no file counts twice); [`evaluate_assigned`] measures the plan with [`WhatIf`]
//!   overrides applied, in arithmetic only; [`fn@evaluate`] does both.
//! - [`cheapest_path`] finds the least-effort set of modules that lifts the total to a
//!   goal; [`sort_modules`] and [`quick_wins`] order the priority table.
//!
//! The file format is documented in `docs/plan-format.md`.

pub mod cheapest;
pub mod evaluate;
pub mod glob;
pub mod import;
pub mod model;
pub mod parse;
pub mod priority;

pub use cheapest::{cheapest_path, min_cost_cover, CheapestPath, CostBasis, Method};
pub use evaluate::{
    assign, at_target, evaluate, evaluate_assigned, metric_percent, with_percent, Assignment,
    CriterionKind, CriterionStatus, ModuleOverride, ModuleStatus, PhaseStatus, PlanStatus,
    Progress, Unit, WhatIf,
};
pub use glob::Pattern;
pub use import::{
    import_markdown, import_markdown_with, ImportError, ImportOptions, ImportWarning, Imported,
    Understood,
};
pub use model::{
    Effort, ExitCriteria, Impact, Metric, Module, Phase, Plan, Status, CURRENT_VERSION,
    SUPPORTED_VERSIONS,
};
pub use parse::{parse_plan, validate, PathSeg, PlanError, PlanErrorKind, Problem};
pub use priority::{quick_wins, sort_modules, PriorityColumn};
