//! Plan edits as values. The editor, the board and the create form describe a change;
//! [`apply_edit`] makes it on a copy of the plan and runs the engine's own validation, so
//! an invalid plan never replaces a valid one (a CI gate reads the same file later).

use covgap_core::plan::{
    validate, Effort, Impact, Metric, Module, PathSeg, Phase, Plan, Problem, Status,
};

/// A plan-level field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanField {
    /// Title.
    Name,
    /// Free text under the title.
    Description,
    /// Overall target.
    Target,
    /// Decimal places pass/fail is judged at.
    Precision,
    /// "No module below N%".
    Floor,
    /// Where the plan started.
    Baseline,
    /// `fail_under` configured today.
    ConfiguredFailUnder,
}

/// A module field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModuleField {
    /// Name (blank: the first pattern).
    Name,
    /// Path patterns, separated by commas or new lines.
    Paths,
    /// Target (blank: the plan's).
    Target,
    /// `combined`, `statements` or `branches`.
    Metric,
    /// Hours: `3` or `4-6` (blank: none).
    Effort,
    /// `high`, `medium`, `low` (blank: none).
    Impact,
    /// Who works on it (blank: nobody).
    Owner,
    /// Board column (blank: derived from the numbers).
    Status,
    /// Free text.
    Notes,
}

/// A phase field given as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhaseField {
    /// Title.
    Name,
    /// Overall target at its end.
    Target,
    /// Where its progress starts (blank: the previous target).
    Baseline,
    /// Free text.
    Notes,
    /// `exit.overall_at_least` (blank: the phase target).
    OverallAtLeast,
    /// `exit.max_missing_statements` (blank: none).
    MaxMissing,
    /// `exit.fail_under` (blank: none).
    FailUnder,
}

/// A yes/no exit criterion of a phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PhaseFlag {
    /// `exit.modules_at_target`.
    ModulesAtTarget,
    /// `exit.no_module_below_floor`.
    NoModuleBelowFloor,
}

/// One change to a plan. Values are the text the user typed; [`apply_edit`] reads them.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Sets a plan-level field.
    Plan(PlanField, String),
    /// Sets a field of module `i`.
    Module(usize, ModuleField, String),
    /// Appends a module.
    AddModule {
        /// Name (blank: the path).
        name: String,
        /// Path patterns, comma-separated.
        paths: String,
        /// Target (blank: the plan's).
        target: String,
    },
    /// Removes module `i` and every reference to it.
    RemoveModule(usize),
    /// Moves module `i` one place up (`true`) or down: order decides which module a file
    /// belongs to.
    MoveModule(usize, bool),
    /// Sets a text field of phase `i`.
    Phase(usize, PhaseField, String),
    /// Turns a yes/no criterion of phase `i` on or off.
    PhaseFlag(usize, PhaseFlag, bool),
    /// Adds module `name` to phase `i` (`true`) or takes it out.
    PhaseModule(usize, String, bool),
    /// Sets (`Some(percent text)`) or removes (`None`) a `modules_at_least` entry of phase `i`.
    PhaseModuleAtLeast(usize, String, Option<String>),
    /// Appends a phase.
    AddPhase,
    /// Removes phase `i`.
    RemovePhase(usize),
    /// Moves phase `i` one place up (`true`) or down.
    MovePhase(usize, bool),
    /// Sets the board column of module `i` (`None`: derived from the numbers).
    Status(usize, Option<Status>),
}

/// `edit` applied to a copy of `plan`, if the result is a valid plan; else why not, in
/// words that name the module or phase and the field ("module 'sandbox': effort range
/// 6-4 is reversed; write 4-6").
pub fn apply_edit(plan: &Plan, edit: Edit) -> Result<Plan, String> {
    let mut p = plan.clone();
    let context = context_of(plan, &edit);
    change(&mut p, edit).map_err(|why| match &context {
        Some(c) => format!("{c}: {why}"),
        None => why,
    })?;
    let problems = validate(&p);
    if problems.is_empty() {
        Ok(p)
    } else {
        Err(describe_in(&p, &problems))
    }
}

/// "module 'sandbox'" or "phase 2 'Raise to 60%'": what an edit is about.
fn context_of(plan: &Plan, edit: &Edit) -> Option<String> {
    match edit {
        Edit::Module(i, ..) | Edit::Status(i, _) => Some(module_words(
            plan.modules.get(*i).map(|m| m.display_name()),
            *i,
        )),
        Edit::Phase(i, ..) | Edit::PhaseModuleAtLeast(i, ..) | Edit::PhaseFlag(i, ..) => Some(
            phase_words(plan.phases.get(*i).map(|p| p.name.as_str()), *i),
        ),
        Edit::AddModule { name, paths, .. } => Some(format!(
            "new module '{}'",
            if name.trim().is_empty() {
                paths.trim()
            } else {
                name.trim()
            }
        )),
        _ => None,
    }
}

fn module_words(name: Option<&str>, i: usize) -> String {
    match name {
        Some(n) if !n.is_empty() => format!("module '{n}'"),
        _ => format!("module {}", i + 1),
    }
}

fn phase_words(name: Option<&str>, i: usize) -> String {
    match name {
        Some(n) if !n.is_empty() => format!("phase {} '{n}'", i + 1),
        _ => format!("phase {}", i + 1),
    }
}

/// The element id of the editor field an edit comes from (`ed-m3-effort`), so a refusal
/// is shown at that field; `None` for buttons.
pub fn field_id(plan: &Plan, edit: &Edit) -> Option<String> {
    Some(match edit {
        Edit::Plan(f, _) => match f {
            PlanField::Name => "ed-name",
            PlanField::Description => "ed-description",
            PlanField::Target => "ed-target",
            PlanField::Precision => "ed-precision",
            PlanField::Floor => "ed-floor",
            PlanField::Baseline => "ed-baseline",
            PlanField::ConfiguredFailUnder => "ed-configured",
        }
        .to_string(),
        Edit::Module(i, f, _) => format!(
            "ed-m{i}-{}",
            match f {
                ModuleField::Name => "name",
                ModuleField::Paths => "paths",
                ModuleField::Target => "target",
                ModuleField::Metric => "metric",
                ModuleField::Effort => "effort",
                ModuleField::Impact => "impact",
                ModuleField::Owner => "owner",
                ModuleField::Status => "status",
                ModuleField::Notes => "notes",
            }
        ),
        Edit::Phase(i, f, _) => format!(
            "ed-p{i}-{}",
            match f {
                PhaseField::Name => "name",
                PhaseField::Target => "target",
                PhaseField::Baseline => "baseline",
                PhaseField::Notes => "notes",
                PhaseField::OverallAtLeast => "overall",
                PhaseField::MaxMissing => "max-missing",
                PhaseField::FailUnder => "fail-under",
            }
        ),
        Edit::PhaseModuleAtLeast(i, name, Some(_)) => {
            match plan
                .phases
                .get(*i)
                .and_then(|ph| ph.exit.modules_at_least.iter().position(|(n, _)| n == name))
            {
                Some(j) => format!("ed-p{i}-al{j}"),
                None => format!("ed-p{i}-al-value"),
            }
        }
        Edit::AddModule { .. } => "ed-new-paths".to_string(),
        _ => return None,
    })
}

/// The text typed into the field an edit comes from.
pub fn typed(edit: &Edit) -> Option<String> {
    match edit {
        Edit::Plan(_, v) | Edit::Module(_, _, v) | Edit::Phase(_, _, v) => Some(v.clone()),
        Edit::PhaseModuleAtLeast(_, _, v) => v.clone(),
        Edit::AddModule { paths, .. } => Some(paths.clone()),
        _ => None,
    }
}

/// Problems as one message: `modules[0].target: target must be … not 120`.
pub fn describe(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| {
            let at = p.path_text();
            if at.is_empty() {
                p.message.clone()
            } else {
                format!("{at}: {}", p.message)
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Problems of `plan` as one message in words: `module 'sandbox': effort range 6-4 is
/// reversed; write 4-6`; a problem elsewhere keeps its path.
pub fn describe_in(plan: &Plan, problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|p| {
            let where_ = match p.path.as_slice() {
                [PathSeg::Key(k), PathSeg::Index(i), ..] if k == "modules" => Some(module_words(
                    plan.modules.get(*i).map(|m| m.display_name()),
                    *i,
                )),
                [PathSeg::Key(k), PathSeg::Index(i), ..] if k == "phases" => Some(phase_words(
                    plan.phases.get(*i).map(|p| p.name.as_str()),
                    *i,
                )),
                _ => None,
            };
            match where_ {
                Some(w) => format!("{w}: {}", p.message),
                None if p.path.is_empty() => p.message.clone(),
                None => format!("{}: {}", p.path_text(), p.message),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn change(p: &mut Plan, edit: Edit) -> Result<(), String> {
    match edit {
        Edit::Plan(f, v) => match f {
            PlanField::Name => p.name = text(&v),
            PlanField::Description => p.description = text(&v),
            PlanField::Target => p.target = number(&v, "the target")?,
            PlanField::Precision => {
                p.precision = v.trim().parse().map_err(|_| {
                    format!(
                        "precision must be a whole number of decimal places, not {:?}",
                        v.trim()
                    )
                })?
            }
            PlanField::Floor => p.floor = opt_number(&v, "the floor")?,
            PlanField::Baseline => p.baseline = opt_number(&v, "the baseline")?,
            PlanField::ConfiguredFailUnder => {
                p.configured_fail_under = opt_number(&v, "the configured fail_under")?
            }
        },
        Edit::Module(i, f, v) => {
            let old = module(p, i)?.display_name().to_string();
            let m = module_mut(p, i)?;
            match f {
                ModuleField::Name => m.name = text(&v),
                ModuleField::Paths => set_paths(m, &v)?,
                ModuleField::Target => m.target = opt_number(&v, "the module target")?,
                ModuleField::Metric => m.metric = metric(&v)?,
                ModuleField::Effort => m.effort = effort(&v)?,
                ModuleField::Impact => m.impact = impact(&v)?,
                ModuleField::Owner => m.owner = text(&v),
                ModuleField::Status => m.status = status(&v)?,
                ModuleField::Notes => m.notes = text(&v),
            }
            let new = m.display_name().to_string();
            if new != old {
                rename(p, &old, &new);
            }
        }
        Edit::AddModule {
            name,
            paths,
            target,
        } => {
            let mut m = Module {
                name: text(&name),
                target: opt_number(&target, "the module target")?,
                ..Module::default()
            };
            set_paths(&mut m, &paths)?;
            p.modules.push(m);
        }
        Edit::RemoveModule(i) => {
            let name = module(p, i)?.display_name().to_string();
            p.modules.remove(i);
            for ph in &mut p.phases {
                ph.modules.retain(|n| *n != name);
                ph.exit.modules_at_least.retain(|(n, _)| *n != name);
                if ph.modules.is_empty() {
                    ph.exit.modules_at_target = false;
                }
            }
        }
        Edit::MoveModule(i, up) => swap(&mut p.modules, i, up)?,
        Edit::Phase(i, f, v) => {
            let ph = phase_mut(p, i)?;
            match f {
                PhaseField::Name => ph.name = v.trim().to_string(),
                PhaseField::Target => ph.target = number(&v, "the phase target")?,
                PhaseField::Baseline => ph.baseline = opt_number(&v, "the phase baseline")?,
                PhaseField::Notes => ph.notes = text(&v),
                PhaseField::OverallAtLeast => {
                    ph.exit.overall_at_least = opt_number(&v, "overall_at_least")?
                }
                PhaseField::MaxMissing => {
                    ph.exit.max_missing_statements = match v.trim() {
                        "" => None,
                        t => Some(t.parse().map_err(|_| {
                            format!("max_missing_statements must be a whole number of statements, not {t:?}")
                        })?),
                    }
                }
                PhaseField::FailUnder => ph.exit.fail_under = opt_number(&v, "fail_under")?,
            }
        }
        Edit::PhaseFlag(i, f, on) => {
            let ph = phase_mut(p, i)?;
            match f {
                PhaseFlag::ModulesAtTarget => ph.exit.modules_at_target = on,
                PhaseFlag::NoModuleBelowFloor => ph.exit.no_module_below_floor = on,
            }
        }
        Edit::PhaseModule(i, name, on) => {
            let ph = phase_mut(p, i)?;
            ph.modules.retain(|n| *n != name);
            if on {
                ph.modules.push(name);
            } else if ph.modules.is_empty() {
                // "Every module of the phase at target" means nothing without modules.
                ph.exit.modules_at_target = false;
            }
        }
        Edit::PhaseModuleAtLeast(i, name, v) => {
            let value = match v {
                Some(t) => Some(number(&t, "the module's least coverage")?),
                None => None,
            };
            let ph = phase_mut(p, i)?;
            match (
                value,
                ph.exit
                    .modules_at_least
                    .iter()
                    .position(|(n, _)| *n == name),
            ) {
                (Some(x), Some(j)) => {
                    if let Some(e) = ph.exit.modules_at_least.get_mut(j) {
                        e.1 = x;
                    }
                }
                (Some(x), None) => ph.exit.modules_at_least.push((name, x)),
                (None, Some(j)) => {
                    ph.exit.modules_at_least.remove(j);
                }
                (None, None) => {}
            }
        }
        Edit::AddPhase => {
            let target = p
                .phases
                .last()
                .map_or(p.target, |ph| ph.target.max(p.target));
            let n = p.phases.len() + 1;
            p.phases.push(Phase {
                name: format!("Phase {n}"),
                target,
                ..Phase::default()
            });
        }
        Edit::RemovePhase(i) => {
            phase_mut(p, i)?;
            p.phases.remove(i);
        }
        Edit::MovePhase(i, up) => swap(&mut p.phases, i, up)?,
        Edit::Status(i, s) => module_mut(p, i)?.status = s,
    }
    Ok(())
}

/// Phases name modules: a renamed module keeps its phases and criteria.
fn rename(p: &mut Plan, old: &str, new: &str) {
    for ph in &mut p.phases {
        for n in &mut ph.modules {
            if n == old {
                *n = new.to_string();
            }
        }
        for (n, _) in &mut ph.exit.modules_at_least {
            if n == old {
                *n = new.to_string();
            }
        }
    }
}

fn module(p: &Plan, i: usize) -> Result<&Module, String> {
    p.modules
        .get(i)
        .ok_or_else(|| format!("no module {}", i + 1))
}

fn module_mut(p: &mut Plan, i: usize) -> Result<&mut Module, String> {
    p.modules
        .get_mut(i)
        .ok_or_else(|| format!("no module {}", i + 1))
}

fn phase_mut(p: &mut Plan, i: usize) -> Result<&mut Phase, String> {
    p.phases
        .get_mut(i)
        .ok_or_else(|| format!("no phase {}", i + 1))
}

fn swap<T>(v: &mut [T], i: usize, up: bool) -> Result<(), String> {
    let j = if up { i.checked_sub(1) } else { Some(i + 1) };
    match j {
        Some(j) if j < v.len() && i < v.len() => {
            v.swap(i, j);
            Ok(())
        }
        _ => Err("it is already at that end".to_string()),
    }
}

fn text(v: &str) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A number as typed; a decimal comma is accepted as a decimal point.
fn number(v: &str, what: &str) -> Result<f64, String> {
    let t = v.trim();
    t.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite())
        .ok_or_else(|| format!("{what} must be a number, not {t:?}"))
}

fn opt_number(v: &str, what: &str) -> Result<Option<f64>, String> {
    if v.trim().is_empty() {
        Ok(None)
    } else {
        number(v, what).map(Some)
    }
}

/// The patterns typed, split on commas and new lines: one goes under `path`, several
/// under `paths`.
fn set_paths(m: &mut Module, v: &str) -> Result<(), String> {
    let mut ps: Vec<String> = v
        .split([',', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    match ps.len() {
        0 => return Err("a module needs a path pattern, like src/pkg/ or src/pkg/*.py".into()),
        1 => {
            m.path = ps.pop();
            m.paths.clear();
        }
        _ => {
            m.path = None;
            m.paths = ps;
        }
    }
    Ok(())
}

fn metric(v: &str) -> Result<Option<Metric>, String> {
    match v.trim() {
        "" | "default" => Ok(None),
        t => Metric::from_key(t).map(Some).ok_or_else(|| {
            let all: Vec<&str> = Metric::ALL.iter().map(|m| m.key()).collect();
            format!("metric must be one of {}, not {t:?}", all.join(", "))
        }),
    }
}

/// Hours through the plan format's own reader, so `4-6`, `4–6h` and `2.5` mean here what
/// they mean in a plan file.
fn effort(v: &str) -> Result<Option<Effort>, String> {
    let t = v.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let json = match t.parse::<f64>() {
        Ok(x) => serde_json::json!(x),
        Err(_) => serde_json::json!(t),
    };
    serde_json::from_value(json)
        .map(Some)
        .map_err(|_| format!("effort must be hours like 3 or a range like 4-6, not {t:?}"))
}

fn impact(v: &str) -> Result<Option<Impact>, String> {
    match v.trim() {
        "" => Ok(None),
        "high" => Ok(Some(Impact::High)),
        "medium" => Ok(Some(Impact::Medium)),
        "low" => Ok(Some(Impact::Low)),
        t => Err(format!("impact must be high, medium or low, not {t:?}")),
    }
}

/// A board column from its file name (`in_progress`), blank for derived.
pub fn status(v: &str) -> Result<Option<Status>, String> {
    match v.trim() {
        "" => Ok(None),
        "backlog" => Ok(Some(Status::Backlog)),
        "in_progress" => Ok(Some(Status::InProgress)),
        "review" => Ok(Some(Status::Review)),
        "done" => Ok(Some(Status::Done)),
        t => Err(format!(
            "status must be backlog, in_progress, review or done, not {t:?}"
        )),
    }
}

/// A board column's name in the plan file.
pub fn status_key(s: Status) -> &'static str {
    match s {
        Status::Backlog => "backlog",
        Status::InProgress => "in_progress",
        Status::Review => "review",
        Status::Done => "done",
    }
}

/// A metric's name in the plan file.
pub fn metric_key(m: Metric) -> &'static str {
    m.key()
}

/// An impact's name in the plan file.
pub fn impact_key(i: Impact) -> &'static str {
    i.label()
}
