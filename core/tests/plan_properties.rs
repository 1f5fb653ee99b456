//! Invariants of plan evaluation on random small reports and plans: the cheapest path
//! really reaches the goal and no set of modules is cheaper (checked against every
//! subset, through the what-if evaluation itself), what-if overrides land where asked,
//! counts add up, and no plan text makes the parser panic.

use covgap_core::display::meets_target;
use covgap_core::model::Source;
use covgap_core::plan::{
    assign, cheapest_path, evaluate_assigned, metric_percent, parse_plan, CostBasis, Effort,
    Metric, Module, ModuleOverride, Plan, WhatIf,
};
use covgap_core::{Counts, FileCoverage, Report};
use proptest::prelude::*;

/// (target, metric 0..3, effort in half hours (min, extra)) of one module.
type RawModule = (u8, u8, Option<(u8, u8)>);

#[derive(Clone, Debug)]
struct Case {
    /// (statements, covered, branches, covered branches) per file; file i is module i.
    files: Vec<(u64, u64, u64, u64)>,
    /// One per file.
    modules: Vec<RawModule>,
    /// An extra file in no module.
    loose: (u64, u64),
    goal: u8,
    precision: u8,
}

fn case() -> impl Strategy<Value = Case> {
    let file = (1u64..60, 0.0f64..=1.0, 0u64..20, 0.0f64..=1.0).prop_map(|(s, fc, b, fb)| {
        let c = (s as f64 * fc) as u64;
        let cb = (b as f64 * fb) as u64;
        (s, c, b, cb)
    });
    let module = (
        0u8..=100,
        0u8..3,
        prop::option::weighted(0.8, (0u8..12, 0u8..6)),
    );
    (1usize..=7)
        .prop_flat_map(move |n| {
            (
                prop::collection::vec(file.clone(), n),
                prop::collection::vec(module.clone(), n),
                (0u64..40, 0.0f64..=1.0).prop_map(|(s, f)| (s, (s as f64 * f) as u64)),
                0u8..=100,
                0u8..=1,
            )
        })
        .prop_map(|(files, modules, loose, goal, precision)| Case {
            files,
            modules,
            loose,
            goal,
            precision,
        })
}

fn build(c: &Case) -> (Report, Plan) {
    let mut files: Vec<FileCoverage> = c
        .files
        .iter()
        .enumerate()
        .map(|(i, &(s, cov, b, cb))| FileCoverage {
            path: format!("pkg/m{i}.py"),
            counts: Counts::coveragepy(s, cov, b, cb),
            ..Default::default()
        })
        .collect();
    files.push(FileCoverage {
        path: "setup.py".into(),
        counts: Counts::coveragepy(c.loose.0, c.loose.1, 0, 0),
        ..Default::default()
    });
    let report = Report {
        source: Source {
            branch_coverage: true,
            ..Source::new("test", covgap_core::Tool::CoveragePy)
        },
        metrics: vec![Metric::Combined, Metric::Statements, Metric::Branches],
        root: None,
        files,
        declared_totals: None,
        warnings: Vec::new(),
    };
    let modules = c
        .modules
        .iter()
        .enumerate()
        .map(|(i, &(t, m, e))| Module {
            name: Some(format!("m{i}")),
            path: Some(format!("pkg/m{i}.py")),
            target: Some(f64::from(t)),
            metric: Some([Metric::Combined, Metric::Statements, Metric::Branches][usize::from(m)]),
            effort: e.map(|(a, x)| Effort {
                min: f64::from(a) / 2.0,
                max: f64::from(a + x) / 2.0,
            }),
            ..Default::default()
        })
        .collect();
    let plan = Plan {
        version: 1,
        name: None,
        description: None,
        target: f64::from(c.goal),
        metric: None,
        precision: c.precision,
        floor: None,
        baseline: None,
        configured_fail_under: None,
        modules,
        phases: Vec::new(),
    };
    (report, plan)
}

fn done(names: impl IntoIterator<Item = usize>) -> WhatIf {
    let mut w = WhatIf::none();
    for i in names {
        w.set(&format!("m{i}"), ModuleOverride::Done);
    }
    w
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn cheapest_path_reaches_the_goal_and_nothing_is_cheaper(c in case()) {
        let (report, plan) = build(&c);
        let a = assign(&plan, &report);
        let status = evaluate_assigned(&plan, &a, &WhatIf::none());
        let goal = f64::from(c.goal);
        let path = cheapest_path(&status, goal);
        let n = plan.modules.len();

        // Brute force over every subset, each judged by evaluating the what-if.
        let cost_of = |i: usize| -> f64 {
            let m = &status.modules[i];
            match path.basis {
                CostBasis::Hours => m.effort.map_or(0.0, |e| e.midpoint()),
                CostBasis::Statements => (m.needed(Metric::Statements) + m.needed(Metric::Branches)) as f64,
            }
        };
        let mut best: Option<f64> = None;
        for mask in 0u32..(1 << n) {
            let set: Vec<usize> = (0..n).filter(|i| mask & (1 << i) != 0).collect();
            let s = evaluate_assigned(&plan, &a, &done(set.iter().copied()));
            if meets_target(s.total_percent, goal, c.precision) {
                let cost: f64 = set.iter().map(|&i| cost_of(i)).sum();
                best = Some(best.map_or(cost, |b: f64| b.min(cost)));
            }
        }
        let reached = evaluate_assigned(&plan, &a, &done(path.modules.iter().copied()));
        prop_assert_eq!(reached.total_percent, path.total_after);
        match best {
            Some(b) => {
                prop_assert!(path.reaches_goal);
                prop_assert!(meets_target(reached.total_percent, goal, c.precision));
                prop_assert!((path.cost - b).abs() < 1e-9, "cost {} but {} reaches the goal", path.cost, b);
            }
            None => prop_assert!(!path.reaches_goal),
        }
        prop_assert!((0.0..=100.0).contains(&path.total_after));
    }

    #[test]
    fn evaluation_invariants(c in case(), pct in 0u8..=100) {
        let (report, plan) = build(&c);
        let a = assign(&plan, &report);
        let s = evaluate_assigned(&plan, &a, &WhatIf::none());
        // Modules and loose files add up to the report.
        let sum: Counts = s.modules.iter().map(|m| m.counts).sum::<Counts>() + s.unmatched;
        prop_assert_eq!(sum, report.totals());
        for m in &s.modules {
            prop_assert!((0.0..=100.0).contains(&m.current));
            prop_assert!(m.impact_pp >= 0.0);
            prop_assert_eq!(m.meets_target, m.needed(Metric::Statements) + m.needed(Metric::Branches) == 0);
        }
        // Marking everything done meets every module's target, and gains exactly the
        // units each module said it needed.
        let all = evaluate_assigned(&plan, &a, &done(0..plan.modules.len()));
        let needed: u64 = s.modules.iter().map(|m| m.needed(Metric::Statements) + m.needed(Metric::Branches)).sum();
        prop_assert_eq!(all.totals.get(Metric::Combined).covered, s.totals.get(Metric::Combined).covered + needed);
        prop_assert!(all.modules.iter().all(|m| m.meets_target));
        // Dragging a module to pct% lands on the least count that shows as pct%.
        let mut w = WhatIf::none();
        w.set("m0", ModuleOverride::Percent(f64::from(pct)));
        let d = evaluate_assigned(&plan, &a, &w);
        let m = &d.modules[0];
        let shown = metric_percent(&m.counts, m.metric, &covgap_core::rules::COVERAGEPY);
        let has_units = match m.metric {
            Metric::Branches => m.counts.branches.total > 0,
            _ => m.counts.statements.total > 0,
        };
        if has_units {
            prop_assert!(meets_target(shown, f64::from(pct), c.precision), "{shown} for {pct}");
        }
        prop_assert_eq!(d.totals.statements.total, s.totals.statements.total);
        prop_assert_eq!(d.totals.branches.total, s.totals.branches.total);
    }

    #[test]
    fn plan_text_never_panics(text in "\\PC{0,200}") {
        let _ = parse_plan("x", &text);
    }

    #[test]
    fn damaged_plans_never_panic(cut in 0usize..4000, pos in 0usize..4000, byte in 32u8..127) {
        let real = include_str!("../../examples/plans/jinja2-demo.plan.json");
        let cut = cut.min(real.len());
        if let Some(head) = real.get(..cut) {
            // Only the whole plan (trailing whitespace aside) is a valid plan.
            prop_assert!(parse_plan("x", head).is_err() || head.trim_end() == real.trim_end());
        }
        let mut damaged = real.as_bytes().to_vec();
        if let Some(b) = damaged.get_mut(pos) {
            *b = byte;
        }
        if let Ok(text) = String::from_utf8(damaged) {
            let _ = parse_plan("x", &text);
        }
    }
}
