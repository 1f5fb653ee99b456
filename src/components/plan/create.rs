//! A first plan made from the loaded report: modules suggested from its least covered
//! source directories and files (never its tests), and phases like a hand-written roadmap's:
//! a few modules each, the overall target stepped up phase by phase to what finishing
//! them gives, with `fail_under` raised at each step. The team then edits it.

use super::target_text;
use crate::fmt;
use crate::state::Loaded;
use covgap_core::analysis::TreeNode;
use covgap_core::display::round_to;
use covgap_core::plan::{
    assign, evaluate_assigned, ExitCriteria, Module, ModuleOverride, Phase, Plan, WhatIf,
    CURRENT_VERSION,
};
use covgap_core::{Counts, Metric, Rules};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::prelude::*;

/// How many modules are suggested at most.
pub const SUGGESTIONS: usize = 8;

/// A part of the report that could be a module.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// The pattern: a directory (everything below it) or a file.
    pub path: String,
    /// A short unique name.
    pub name: String,
    /// Its counts, from the report's tree.
    pub counts: Counts,
    /// Directory or file?
    pub directory: bool,
}

/// Whether a path is a test rather than source: under a `test`, `tests`, `spec` or
/// `__tests__` directory, or named like a test file (`test_*.py`, `*_test.py`,
/// `*_test.go`, `*.test.js`/`.ts`…, `*.spec.*`, `conftest.py`). Coverage plans raise the
/// coverage of the code, not of its tests.
pub fn is_test_path(path: &str) -> bool {
    let p = path.replace('\\', "/").to_ascii_lowercase();
    let mut parts: Vec<&str> = p.split('/').collect();
    let file = parts.pop().unwrap_or_default();
    if parts
        .iter()
        .any(|d| matches!(*d, "test" | "tests" | "spec" | "specs" | "__tests__"))
    {
        return true;
    }
    let stem = file.split('.').next().unwrap_or_default();
    (file.starts_with("test_") && file.ends_with(".py"))
        || file == "conftest.py"
        || stem.ends_with("_test")
        || file.contains(".test.")
        || file.contains(".spec.")
}

/// The least covered parts of the report's source (tests left out), worst first. The
/// source is cut into pieces of at most a fifth of its statements (a directory that big is
/// split into its sub-directories and files), so a flat package still yields modules a
/// person can finish, and a deep one is not drowned in single files.
pub fn suggest_modules(
    tree: &TreeNode,
    metric: Metric,
    rules: &Rules,
    limit: usize,
) -> Vec<Suggestion> {
    let size = |c: &Counts| c.get(metric.count_basis()).total;
    let pct = |c: &Counts| rules.percent(c, metric);
    let missing = |c: &Counts| c.get(metric).missing();
    let total = source_size(tree, metric);
    let mut pieces: Vec<&TreeNode> = Vec::new();
    split(tree, total, metric, &mut pieces);
    pieces.retain(|n| size(&n.counts) > 0 && missing(&n.counts) > 0);
    pieces.sort_by(|a, b| {
        pct(&a.counts)
            .total_cmp(&pct(&b.counts))
            .then_with(|| missing(&b.counts).cmp(&missing(&a.counts)))
            .then_with(|| a.path.cmp(&b.path))
    });
    let mut used = BTreeSet::new();
    pieces
        .into_iter()
        .take(limit)
        .map(|n| {
            let directory = n.file.is_none();
            let last = n.path.rsplit('/').next().unwrap_or(&n.path);
            let short = if directory {
                last
            } else {
                last.rsplit_once('.').map_or(last, |(stem, _)| stem)
            };
            let name = if short.is_empty() || !used.insert(short.to_string()) {
                n.path.clone()
            } else {
                short.to_string()
            };
            Suggestion {
                path: if directory {
                    format!("{}/", n.path)
                } else {
                    n.path.clone()
                },
                name,
                counts: n.counts,
                directory,
            }
        })
        .collect()
}

/// Units (statements) of the source below `n`, tests left out.
fn source_size(n: &TreeNode, metric: Metric) -> u64 {
    if !n.path.is_empty() && is_test_path(&format!("{}/x", n.path)) && n.file.is_none() {
        return 0;
    }
    if n.file.is_some() {
        return if is_test_path(&n.path) {
            0
        } else {
            n.counts.get(metric.count_basis()).total
        };
    }
    n.children.iter().map(|c| source_size(c, metric)).sum()
}

fn split<'a>(n: &'a TreeNode, total: u64, metric: Metric, out: &mut Vec<&'a TreeNode>) {
    let is_test = if n.file.is_some() {
        is_test_path(&n.path)
    } else {
        !n.path.is_empty() && is_test_path(&format!("{}/x", n.path))
    };
    if is_test {
        return;
    }
    let own = source_size(n, metric);
    let mixed = own != n.counts.get(metric.count_basis()).total;
    let small = own.saturating_mul(5) <= total;
    // A directory holding tests too is split, so its tests stay out of the module.
    if n.file.is_some() || (!n.path.is_empty() && small && !mixed) || n.children.is_empty() {
        out.push(n);
    } else {
        for c in &n.children {
            split(c, total, metric, out);
        }
    }
}

/// The default overall target: the next multiple of 5 above today's total, and at least
/// the usual 80%.
pub fn default_target(total: f64) -> f64 {
    ((total / 5.0).floor() * 5.0 + 5.0).clamp(80.0, 100.0)
}

/// Most phases a made plan has.
pub const MAX_PHASES: usize = 4;

/// A plan for `loaded`: the chosen suggestions as modules (each aiming at `target`), in
/// phases of a few modules each, worst first. Each phase's overall target is what the
/// total becomes once its modules and the earlier phases' reach their targets (the whole
/// percent below it, so finishing them passes), the last phase's the plan's target; each
/// raises `fail_under` to its target, step by step, as the seed roadmaps do.
pub fn plan_from_report(
    loaded: &Loaded,
    chosen: &[Suggestion],
    target: f64,
    floor: Option<f64>,
) -> Plan {
    let total = loaded
        .report
        .rules()
        .percent(&loaded.totals, loaded.report.headline());
    let modules: Vec<Module> = chosen
        .iter()
        .map(|s| Module {
            name: Some(s.name.clone()),
            path: Some(s.path.clone()),
            ..Module::default()
        })
        .collect();
    let names: Vec<String> = chosen.iter().map(|s| s.name.clone()).collect();
    let mut plan = Plan {
        version: CURRENT_VERSION,
        name: Some(format!("{}: to {}", loaded.name, target_text(target))),
        description: None,
        target,
        metric: None,
        precision: 0,
        floor,
        baseline: Some(round_to(total, 2)),
        configured_fail_under: None,
        modules,
        phases: Vec::new(),
    };
    // Groups of modules, as even as can be, at most MAX_PHASES of them.
    let n = names.len();
    let groups = n.clamp(1, MAX_PHASES);
    let mut bounds: Vec<(usize, usize)> = (0..groups)
        .map(|g| (g * n / groups, (g + 1) * n / groups))
        .collect();
    // What the total becomes when every module up to the end of each group is done.
    let a = assign(&plan, &loaded.report);
    let projected = |end: usize| {
        let mut w = WhatIf::none();
        for name in names.iter().take(end) {
            w.set(name, ModuleOverride::Done);
        }
        evaluate_assigned(&plan, &a, &w).total_percent
    };
    let mut phases: Vec<Phase> = Vec::new();
    let mut start = 0;
    let mut previous = total.floor();
    while let Some((_, end)) = bounds.first().copied() {
        bounds.remove(0);
        let last = bounds.is_empty();
        let step = if last {
            target
        } else {
            projected(end).floor().min(target)
        };
        // A group that would not move the whole percent joins the next one.
        if !last && (step <= previous || step >= target) {
            if step >= target {
                // Finishing these already reaches the goal: this is the last phase.
                bounds.clear();
            } else {
                continue;
            }
        }
        let step = if bounds.is_empty() { target } else { step };
        let members: Vec<String> = names
            .iter()
            .skip(start)
            .take(end - start)
            .cloned()
            .collect();
        start = end;
        previous = step;
        phases.push(Phase {
            name: if members.is_empty() {
                format!("Total to {}", target_text(step))
            } else {
                let mut who = members
                    .iter()
                    .take(2)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ");
                if members.len() > 2 {
                    who.push_str(&format!(" and {} more", members.len() - 2));
                }
                format!("{who}: total to {}", target_text(step))
            },
            target: step,
            exit: ExitCriteria {
                modules_at_target: !members.is_empty(),
                no_module_below_floor: floor.is_some() && !members.is_empty(),
                fail_under: Some(step),
                ..ExitCriteria::default()
            },
            modules: members,
            ..Phase::default()
        });
        if bounds.is_empty() {
            break;
        }
    }
    // Modules that fell into no phase (the goal came early) join the last one.
    if let Some(last) = phases.last_mut() {
        for name in names.iter().skip(start) {
            last.modules.push(name.clone());
        }
    }
    plan.phases = phases;
    plan
}

/// Props of [`CreatePlan`].
#[derive(Properties)]
pub struct CreatePlanProps {
    /// The report to plan for.
    pub loaded: Rc<Loaded>,
    /// The new plan.
    pub on_edit: Callback<Plan>,
}

impl PartialEq for CreatePlanProps {
    fn eq(&self, o: &Self) -> bool {
        Rc::ptr_eq(&self.loaded, &o.loaded) && self.on_edit == o.on_edit
    }
}

/// The "no plan yet" form: pick suggested modules, a target, a floor; create.
#[component]
pub fn CreatePlan(p: &CreatePlanProps) -> Html {
    let suggestions = {
        let l = p.loaded.clone();
        use_memo(super::ByPtr(l), |l| {
            suggest_modules(
                &l.0.tree,
                l.0.report.headline(),
                l.0.report.rules(),
                SUGGESTIONS,
            )
        })
    };
    let rules = p.loaded.report.rules();
    let headline = p.loaded.report.headline();
    let total = rules.percent(&p.loaded.totals, headline);
    let picked = {
        let n = suggestions.len();
        use_state(move || (0..n).collect::<BTreeSet<usize>>())
    };
    let target = use_state(move || default_target(total).to_string());
    let floor = use_state(String::new);
    let error = use_state(|| None::<String>);

    let on_target = {
        let s = target.clone();
        Callback::from(move |e: Event| s.set(super::value_of(&e)))
    };
    let on_floor = {
        let s = floor.clone();
        Callback::from(move |e: Event| s.set(super::value_of(&e)))
    };
    let create = {
        let (picked, target, floor, error) =
            (picked.clone(), target.clone(), floor.clone(), error.clone());
        let suggestions = suggestions.clone();
        let loaded = p.loaded.clone();
        let on_edit = p.on_edit.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let chosen: Vec<Suggestion> = picked
                .iter()
                .filter_map(|&i| suggestions.get(i).cloned())
                .collect();
            let t = target.trim().replace(',', ".").parse::<f64>();
            let f = match floor.trim() {
                "" => Ok(None),
                v => v.replace(',', ".").parse::<f64>().map(Some),
            };
            match (t, f) {
                (Ok(t), Ok(f)) => {
                    let plan = plan_from_report(&loaded, &chosen, t, f);
                    let problems = covgap_core::plan::validate(&plan);
                    if problems.is_empty() {
                        error.set(None);
                        on_edit.emit(plan);
                    } else {
                        error.set(Some(super::edit::describe(&problems)));
                    }
                }
                _ => error.set(Some(
                    "The target and the floor must be percentages from 0 to 100.".into(),
                )),
            }
        })
    };
    let prec = 0;
    html! {
        <form class="plan-create" id="plan-create" onsubmit={create}>
            <h3>{"Create a plan from this report"}</h3>
            <p class="hint">{"Suggested modules: the least covered parts of the source (directories, or files where a directory holds more than a fifth of the statements; tests are left out). The plan gets phases of a few modules each, its target raised step by step with fail_under, like a hand-written roadmap. Pick some, set the target, then edit the plan: targets, effort, owners, phases."}</p>
            <fieldset class="suggestions">
                <legend>{"Modules"}</legend>
                if suggestions.is_empty() {
                    <p class="note">{"Every file is fully covered: nothing to suggest."}</p>
                }
                <ul>
                { for suggestions.iter().enumerate().map(|(i, s)| {
                    let checked = picked.contains(&i);
                    let picked = picked.clone();
                    let toggle = Callback::from(move |_: Event| {
                        let mut next = (*picked).clone();
                        if !next.remove(&i) {
                            next.insert(i);
                        }
                        picked.set(next);
                    });
                    html! {
                        <li>
                            <label class="check">
                                <input type="checkbox" id={format!("suggest-{i}")} checked={checked} onchange={toggle} />
                                <span class="filename">{ fmt::path(&s.path) }</span>
                            </label>
                            <span class="muted">{ format!("{}% · {} of {} {} missing", fmt::pct(&rules.display_percent(rules.percent(&s.counts, headline), prec.max(2))), fmt::count(s.counts.get(headline).missing()), fmt::count(s.counts.get(headline).total), headline.units(2).trim_start_matches("2 ")) }</span>
                        </li>
                    }
                }) }
                </ul>
            </fieldset>
            <div class="row wrap">
                <label class="field">{"Overall target (%)"}
                    <input type="number" id="create-target" min="0" max="100" step="any" value={(*target).clone()} onchange={on_target} />
                </label>
                <label class="field">{"Floor: no module below (%, optional)"}
                    <input type="number" id="create-floor" min="0" max="100" step="any" value={(*floor).clone()} onchange={on_floor} />
                </label>
                <button type="submit" class="primary" id="create-plan">{"Create plan"}</button>
            </div>
            if let Some(e) = &*error {
                <p class="error" role="alert">{ e.clone() }</p>
            }
        </form>
    }
}
