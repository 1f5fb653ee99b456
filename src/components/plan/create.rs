//! A first plan made from the loaded report: modules suggested from its least covered
//! directories, one phase that brings them to target. The team then edits it.

use super::target_text;
use crate::fmt;
use crate::state::Loaded;
use covgap_core::analysis::TreeNode;
use covgap_core::display::round_to;
use covgap_core::plan::{ExitCriteria, Module, Phase, Plan, CURRENT_VERSION};
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

/// The least covered parts of the report, worst first. The report is cut into pieces of
/// at most a fifth of its statements (a directory that big is split into its
/// sub-directories and files), so a flat package still yields modules a person can
/// finish, and a deep one is not drowned in single files.
pub fn suggest_modules(
    tree: &TreeNode,
    metric: Metric,
    rules: &Rules,
    limit: usize,
) -> Vec<Suggestion> {
    let size = |c: &Counts| c.get(metric.count_basis()).total;
    let pct = |c: &Counts| rules.percent(c, metric);
    let missing = |c: &Counts| c.get(metric).missing();
    let total = size(&tree.counts);
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

fn split<'a>(n: &'a TreeNode, total: u64, metric: Metric, out: &mut Vec<&'a TreeNode>) {
    let small = n.counts.get(metric.count_basis()).total.saturating_mul(5) <= total;
    if n.file.is_some() || (!n.path.is_empty() && small) || n.children.is_empty() {
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

/// A plan for `loaded`: the chosen suggestions as modules (each aiming at `target`), and
/// one phase that brings them there and the total to `target`.
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
    let phases = vec![Phase {
        name: format!("Lowest-covered modules to {}", target_text(target)),
        target,
        exit: ExitCriteria {
            modules_at_target: !names.is_empty(),
            no_module_below_floor: floor.is_some() && !names.is_empty(),
            fail_under: Some(target),
            ..ExitCriteria::default()
        },
        modules: names,
        ..Phase::default()
    }];
    Plan {
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
        phases,
    }
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
            <p class="hint">{"Suggested modules: the least covered parts of the report (directories, or files where a directory holds more than a fifth of the statements). Pick some, set the target, then edit the plan: targets, effort, owners, phases."}</p>
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
                                <span class="filename">{ s.path.clone() }</span>
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
