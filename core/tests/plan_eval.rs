//! Measuring plans: first-match assignment, criteria with their numbers, the board,
//! impact on the total, what-if, sorting, and the cheapest path — on hand-checked
//! reports and on the real fixtures with the shipped example plans.

use covgap_core::model::{percent, Source};
use covgap_core::plan::{
    assign, cheapest_path, evaluate, evaluate_assigned, parse_plan, quick_wins, sort_modules,
    CostBasis, CriterionKind, Method, ModuleOverride, Plan, PlanStatus, PriorityColumn, Status,
    Unit, WhatIf,
};
use covgap_core::{parse, Counts, FileCoverage, Metric, ParseOptions, Report};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(rel: &str) -> Report {
    let p = root()
        .join("tests/fixtures")
        .join(rel)
        .join("coverage.json");
    let bytes = std::fs::read(&p).expect("fixture");
    parse("coverage.json", &bytes, ParseOptions::default()).expect("report")
}

fn example(name: &str) -> Plan {
    let text = std::fs::read_to_string(root().join("examples/plans").join(name)).expect("plan");
    parse_plan(name, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn plan(json: &str) -> Plan {
    parse_plan("t.json", json).unwrap_or_else(|e| panic!("{e}"))
}

fn file(path: &str, stmts: u64, covered: u64, branches: u64, cb: u64) -> FileCoverage {
    FileCoverage {
        path: path.into(),
        counts: Counts::coveragepy(stmts, covered, branches, cb),
        ..Default::default()
    }
}

fn report(files: Vec<FileCoverage>) -> Report {
    Report {
        source: Source {
            branch_coverage: true,
            ..Source::new("test", covgap_core::Tool::CoveragePy)
        },
        metrics: vec![Metric::Combined, Metric::Statements, Metric::Branches],
        root: None,
        files,
        declared_totals: None,
        warnings: Vec::new(),
    }
}

fn module<'a>(s: &'a PlanStatus, name: &str) -> &'a covgap_core::plan::ModuleStatus {
    s.modules
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("module {name}"))
}

/// a/x.py 50/100, a/y.py 90/100, b/z.py 50/50, other.py 10/50: 200 of 300 statements.
fn small_report() -> Report {
    report(vec![
        file("a/x.py", 100, 50, 0, 0),
        file("a/y.py", 100, 90, 0, 0),
        file("b/z.py", 50, 50, 0, 0),
        file("other.py", 50, 10, 0, 0),
    ])
}

const SMALL_PLAN: &str = r#"{
  "version": 1, "target": 80, "floor": 40, "configured_fail_under": 65,
  "modules": [
    {"name": "A", "path": "a/", "target": 80, "owner": "kim"},
    {"name": "B", "path": "b/**", "target": 100},
    {"name": "A again", "path": "a/*.py", "target": 10}
  ],
  "phases": [
    {"name": "one", "target": 70, "modules": ["A"],
     "exit": {"modules_at_target": true, "no_module_below_floor": true,
              "max_missing_statements": 90, "fail_under": 70}}
  ]
}"#;

#[test]
fn each_file_belongs_to_the_first_matching_module() {
    let r = small_report();
    let p = plan(SMALL_PLAN);
    let a = assign(&p, &r);
    // "A again" also matches a/x.py and a/y.py, but "A" comes first.
    assert_eq!(a.module_of_file, [Some(0), Some(0), Some(1), None]);
    assert_eq!(
        (
            a.module_counts[0].statements.total,
            a.module_counts[0].statements.covered
        ),
        (200, 140)
    );
    assert_eq!(a.module_counts[2], Counts::default());
    assert_eq!(
        (a.unmatched.statements.total, a.unmatched.statements.covered),
        (50, 10)
    );
    let sum: Counts = a.module_counts.iter().sum::<Counts>() + a.unmatched;
    assert_eq!(sum, r.totals());
    let s = evaluate(&p, &r, &WhatIf::none());
    assert_eq!(
        s.warnings,
        [
            "module \"A again\" (a/*.py) matches only files that module \"A\", listed earlier, \
          already owns (each file belongs to the first module that matches it)"
        ]
    );
}

#[test]
fn criteria_carry_their_numbers() {
    let s = evaluate(&plan(SMALL_PLAN), &small_report(), &WhatIf::none());
    // Total 200/300 = 66.67%.
    assert_eq!(s.total_percent, percent(200, 300));
    assert!(!s.passes);
    // A: 140/200 = 70%; 80% at precision 0 needs 159 (79.5 rounds to 80), so 19
    // statements; the total gains 19/300.
    let a = module(&s, "A");
    assert_eq!(
        (
            a.current,
            a.needed(Metric::Statements),
            a.needed(Metric::Branches)
        ),
        (70.0, 19, 0)
    );
    // The gap is to the pass mark: 79.5% rounds to 80%.
    assert_eq!(a.gap_pp, 9.5);
    assert_eq!(a.impact_pp, percent(219, 300) - percent(200, 300));
    assert!(!a.below_floor);
    let ph = &s.phases[0];
    let got: Vec<(CriterionKind, f64, f64, bool)> = ph
        .criteria
        .iter()
        .map(|c| (c.kind, c.expected, c.actual, c.met))
        .collect();
    assert_eq!(
        got,
        [
            (
                CriterionKind::OverallAtLeast,
                70.0,
                percent(200, 300),
                false
            ),
            (CriterionKind::ModuleAtTarget, 80.0, 70.0, false),
            // other.py (20%) is in no module, so the floor does not see it.
            (CriterionKind::NoModuleBelowFloor, 40.0, 70.0, true),
            (CriterionKind::MaxMissingStatements, 90.0, 100.0, false),
            (CriterionKind::FailUnder, 70.0, percent(200, 300), false),
        ]
    );
    let details: Vec<&str> = ph.criteria.iter().map(|c| c.detail.as_str()).collect();
    assert_eq!(
        details,
        [
            "66.67% (shown as 67%)",
            "70.00% (shown as 70%); 19 statements to cover",
            "lowest module 70.00%",
            "100 missing; 10 more to cover",
            "66.67% (shown as 67%) fails fail_under = 70; configured fail_under = 65: raise it to 70",
        ]
    );
    assert_eq!(ph.criteria[3].unit, Unit::Statements);
    assert_eq!((ph.met, ph.passes, ph.is_current), (1, false, true));
    assert_eq!(s.current_phase, Some(0));
    // No baseline anywhere: progress from 0 to 70.
    assert_eq!(ph.baseline, 0.0);
    assert_eq!(ph.progress, percent(200, 300) / 70.0);
    assert_eq!(ph.fail_under, 70.0);
    // The plan's own criteria: overall ≥ 80, every module has files ("A again" has
    // none: "A" owns them all), and the floor.
    let kinds: Vec<(CriterionKind, bool)> =
        s.plan_criteria.iter().map(|c| (c.kind, c.met)).collect();
    assert_eq!(
        kinds,
        [
            (CriterionKind::OverallAtLeast, false),
            (CriterionKind::ModulesMatch, false),
            (CriterionKind::NoModuleBelowFloor, true)
        ]
    );
    assert_eq!(s.plan_criteria[1].items.len(), 1);
}

#[test]
fn what_if_done_recomputes_total_and_phase() {
    let p = plan(SMALL_PLAN);
    let r = small_report();
    let mut w = WhatIf::none();
    w.set("A", ModuleOverride::Done);
    let s = evaluate(&p, &r, &w);
    assert!(s.what_if);
    // A reaches 159/200; the total 219/300 = 73%.
    assert_eq!(s.totals.statements.covered, 219);
    assert_eq!(s.total_percent, percent(219, 300));
    let met: Vec<bool> = s.phases[0].criteria.iter().map(|c| c.met).collect();
    // Only the configured fail_under (65) still holds the phase back.
    assert_eq!(met, [true, true, true, true, false]);
    assert_eq!(module(&s, "A").status, Status::Done);
    let mut p2 = p.clone();
    p2.configured_fail_under = Some(70.0);
    let s = evaluate(&p2, &r, &w);
    assert!(s.phases[0].passes);
    assert_eq!(s.current_phase, None);
    assert_eq!(s.phases[0].progress, 1.0);
    assert_eq!((s.progress.phases_passed, s.progress.phases), (1, 1));
    // Clearing the override gives back the report's own numbers.
    w.clear("A");
    assert_eq!(evaluate(&p2, &r, &w).total_percent, percent(200, 300));
    // An override naming no module is reported, not ignored silently.
    w.set("Z", ModuleOverride::Done);
    assert!(evaluate(&p2, &r, &w)
        .warnings
        .contains(&"the what-if names no module called \"Z\"".to_string()));
}

#[test]
fn what_if_percent_drags_a_module() {
    let p = plan(SMALL_PLAN);
    let r = small_report();
    let a = assign(&p, &r);
    let mut w = WhatIf::none();
    // A down to 35%: 70 of 200 statements; below the floor (40) now.
    w.set("A", ModuleOverride::Percent(35.0));
    let s = evaluate_assigned(&p, &a, &w);
    assert_eq!(module(&s, "A").counts.statements.covered, 70);
    assert_eq!(s.totals.statements.covered, 130);
    assert!(module(&s, "A").below_floor);
    let floor = &s.phases[0].criteria[2];
    assert_eq!(
        (floor.met, floor.actual, floor.detail.as_str()),
        (false, 35.0, "below: A 35.00%")
    );
    // A up to 100%: the total becomes 260/300.
    w.set("A", ModuleOverride::Percent(100.0));
    assert_eq!(
        evaluate_assigned(&p, &a, &w).total_percent,
        percent(260, 300)
    );
}

#[test]
fn board_is_derived_and_can_be_set_by_hand() {
    let r = report(vec![
        file("low.py", 100, 30, 0, 0),
        file("owned.py", 100, 30, 0, 0),
        file("mid.py", 100, 60, 0, 0),
        file("done.py", 100, 85, 0, 0),
        file("review.py", 100, 60, 0, 0),
    ]);
    let p = plan(
        r#"{"version": 1, "target": 80, "floor": 50, "modules": [
            {"path": "low.py"},
            {"path": "owned.py", "owner": "ana"},
            {"path": "mid.py"},
            {"path": "done.py", "owner": "ana"},
            {"path": "review.py", "owner": "bo", "status": "review"}
        ]}"#,
    );
    let s = evaluate(&p, &r, &WhatIf::none());
    let board: Vec<(Status, Status, bool, bool)> = s
        .modules
        .iter()
        .map(|m| {
            (
                m.status,
                m.derived_status,
                m.status_overridden,
                m.below_floor,
            )
        })
        .collect();
    assert_eq!(
        board,
        [
            // Below the floor, nobody on it.
            (Status::Backlog, Status::Backlog, false, true),
            // Below the floor with an owner: in progress.
            (Status::InProgress, Status::InProgress, false, true),
            // Above the floor, below target, no owner: still backlog.
            (Status::Backlog, Status::Backlog, false, false),
            // At target: done, owner or not.
            (Status::Done, Status::Done, false, false),
            // Set by hand.
            (Status::Review, Status::InProgress, true, false),
        ]
    );
}

#[test]
fn demo_plan_on_jinja2() {
    let r = fixture("jinja2-3.1.6/coveragepy-7.17.3-branch");
    let p = example("jinja2-demo.plan.json");
    let s = evaluate(&p, &r, &WhatIf::none());
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // coverage.py's TOTAL: 10336 statements, 598 missing, 2200 branches; 92.21%.
    assert_eq!(
        (
            s.totals.statements.total,
            s.totals.statements.missing(),
            s.totals.branches.total
        ),
        (10336, 598, 2200)
    );
    assert_eq!(s.total_percent, percent(9738 + 1821, 10336 + 2200));
    // 95% needs 288 statements (as `covgap gaps --target 95`).
    assert_eq!(s.gap.statements_needed, Some(288));
    // Module numbers against coverage.py's per-file report (coverage-report-full-precision2.txt).
    let expect = [
        ("bccache", "58.50", 42, 0),
        ("sandbox", "68.64", 35, 0),
        ("ext", "80.53", 53, 0),
        ("loaders", "84.79", 17, 0),
        ("visitor+meta", "76.69", 16, 2),
        ("environment", "85.83", 59, 0),
        ("nodes", "86.41", 48, 0),
        ("compiler", "89.95", 0, 20),
        ("rest of src/jinja2", "91.89", 25, 0),
    ];
    for (name, pct, ks, kb) in expect {
        let m = module(&s, name);
        assert_eq!(format!("{:.2}", m.current), pct, "{name}");
        assert_eq!(
            (m.needed(Metric::Statements), m.needed(Metric::Branches)),
            (ks, kb),
            "{name}"
        );
        // Impact on the total: its extra covered units over the total's 12536.
        assert_eq!(
            m.impact_pp,
            percent(11559 + ks + kb, 12536) - percent(11559, 12536),
            "{name}"
        );
    }
    // visitor.py (42 stmts, 10 missing, 24 branches) + meta.py (41, 6, 26): (67 + 35) / 133.
    let vm = module(&s, "visitor+meta");
    assert_eq!(
        (
            vm.counts.files,
            vm.counts.statements.total,
            vm.counts.statements.covered
        ),
        (2, 83, 67)
    );
    // compiler.py is judged on branches: 385 of 428 = 89.95%; 95% needs 20 more (405 / 428 = 94.63 → 95).
    assert_eq!(module(&s, "compiler").counts.branches.covered, 385);
    // The catch-all takes the 16 other src/jinja2 files, not the 9 listed above; tests/ stay unmatched.
    assert_eq!(module(&s, "rest of src/jinja2").counts.files, 16);
    assert_eq!(s.unmatched.files, 54 - 25);
    // Board: bccache is below the floor with no owner; sandbox and ext have owners.
    assert_eq!(module(&s, "bccache").status, Status::Backlog);
    assert!(module(&s, "bccache").below_floor);
    assert_eq!(module(&s, "sandbox").status, Status::InProgress);
    assert_eq!(module(&s, "ext").status, Status::InProgress);

    // Phase 1 is current and fails every criterion.
    assert_eq!(s.current_phase, Some(0));
    assert_eq!(s.phases[0].met, 0);
    assert_eq!(s.phases[0].progress, s.total_percent - 92.0);

    // Bringing each phase's modules to target (and raising fail_under) passes the phases
    // in order, as the plan intends.
    let mut p = p;
    let mut w = WhatIf::none();
    let phase_totals = [
        (11559 + 42 + 35, 93),
        (11636 + 53 + 17 + 18, 94),
        (11724 + 59 + 48 + 20, 95),
    ];
    for (i, (covered_units, fail_under)) in phase_totals.into_iter().enumerate() {
        for name in p.phases[i].modules.clone() {
            w.set(&name, ModuleOverride::Done);
        }
        p.configured_fail_under = Some(fail_under as f64);
        let s = evaluate(&p, &r, &w);
        assert_eq!(
            s.totals.get(Metric::Combined).covered,
            covered_units,
            "phase {}",
            i + 1
        );
        assert!(
            s.phases[i].passes,
            "phase {}: {:?}",
            i + 1,
            s.phases[i].criteria
        );
        assert_eq!(s.current_phase, if i < 2 { Some(i + 1) } else { None });
    }
    // 11851 / 12536 = 94.54%, which rounds to 95: the plan's target is met.
    let s = evaluate(&p, &r, &w);
    assert!(s.passes);
    assert_eq!(
        s.totals.statements.missing(),
        598 - 42 - 35 - 53 - 17 - 16 - 59 - 48
    );
}

#[test]
fn seed_shaped_plan_on_packaging() {
    let r = fixture("packaging-25.0/coveragepy-7.17.3-branch-contexts-small");
    let p = example("seed-shaped.plan.json");
    let s = evaluate(&p, &r, &WhatIf::none());
    assert!(s.warnings.is_empty(), "{:?}", s.warnings);
    // coverage.py: TOTAL 1932 statements, 1888 missing, 650 branches: 1.70%.
    assert_eq!(format!("{:.2}", s.total_percent), "1.70");
    let files: Vec<(&str, u64, u64)> = s
        .modules
        .iter()
        .map(|m| (m.name.as_str(), m.counts.files, m.counts.statements.total))
        .collect();
    assert_eq!(
        files,
        [
            ("version", 1, 173),
            ("specifiers", 1, 244),
            ("requirements and markers", 4, 45 + 147 + 175 + 65),
            ("utils", 1, 72),
            ("tags", 1, 315),
            ("metadata", 1, 364),
            // _manylinux.py and _musllinux.py by glob, and _elffile.py.
            ("platform detection", 3, 126 + 36 + 54),
            // The licenses/ directory: __init__.py and _spdx.py.
            ("licenses", 2, 61 + 11),
        ]
    );
    // __init__.py and _structures.py are in no module: the 44 covered statements.
    assert_eq!((s.unmatched.files, s.unmatched.statements.covered), (2, 44));
    assert_eq!(s.current_phase, Some(0));
    assert!(s.phases.iter().all(|ph| !ph.passes));
    // The floor criterion lists all eight modules at 0%.
    let floor = s.phases[3]
        .criteria
        .iter()
        .find(|c| c.kind == CriterionKind::NoModuleBelowFloor)
        .expect("floor");
    assert_eq!((floor.actual, floor.met), (0.0, false));
}

#[test]
fn cheapest_path_on_the_examples() {
    let r = fixture("jinja2-3.1.6/coveragepy-7.17.3-branch");
    let s = evaluate(&example("jinja2-demo.plan.json"), &r, &WhatIf::none());
    let c = cheapest_path(&s, 95.0);
    // 95% needs 288 units. All nine modules give 317; dropping "rest" (25 units, 10 h)
    // leaves 292 for 40 h, and no cheaper set reaches 288 (dropping any other module
    // instead leaves less than 288).
    assert_eq!(c.units_needed, 288);
    assert_eq!(c.basis, CostBasis::Hours);
    assert_eq!(c.modules, [0, 1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(
        (c.cost, c.to_cover.clone()),
        (
            40.0,
            vec![(Metric::Statements, 270), (Metric::Branches, 22)]
        )
    );
    assert_eq!(c.total_after, percent(11559 + 292, 12536));
    assert!(c.reaches_goal && c.exact);
    assert_eq!(c.method, Method::Exhaustive);
    // To 93%: 92.5% of 12536 is 11595.8, so 37 more units. bccache alone (42 units, 3.5 h)
    // is cheaper than any other module or pair that reaches 37.
    let c = cheapest_path(&s, 93.0);
    assert_eq!(c.units_needed, 37);
    assert_eq!((c.modules.clone(), c.cost), (vec![0], 3.5));
    assert_eq!(c.total_after, percent(11559 + 42, 12536));
    // Already met: nothing to do.
    let c = cheapest_path(&s, 92.0);
    assert_eq!((c.units_needed, c.modules.len(), c.cost), (0, 0, 0.0));

    let r = fixture("packaging-25.0/coveragepy-7.17.3-branch-contexts-small");
    let s = evaluate(&example("seed-shaped.plan.json"), &r, &WhatIf::none());
    let c = cheapest_path(&s, 80.0);
    // Every module but licenses: 24.5 h, to 80.44%.
    assert_eq!(c.modules, [0, 1, 2, 3, 4, 5, 6]);
    assert_eq!(c.cost, 24.5);
    assert_eq!(format!("{:.2}", c.total_after), "80.44");
    // 90% is out of reach with these module targets.
    let c = cheapest_path(&s, 90.0);
    assert!(!c.reaches_goal);
    assert_eq!(c.modules.len(), 8);
}

#[test]
fn cheapest_path_without_efforts_counts_statements() {
    let r = small_report();
    let p = plan(
        r#"{"version": 1, "target": 80, "modules": [
            {"name": "A", "path": "a/", "target": 80},
            {"name": "O", "path": "other.py", "target": 60},
            {"name": "X", "path": "a/x.py", "target": 90, "effort": 1}
        ]}"#,
    );
    let s = evaluate(&p, &r, &WhatIf::none());
    // 80% of 300 needs 238.5 → 239 covered: 39 more. A gives 19 (to 159/200), O gives 20
    // (10 → 30 of 50); X matches nothing (A owns a/x.py).
    let c = cheapest_path(&s, 80.0);
    assert_eq!(c.basis, CostBasis::Statements);
    assert_eq!(
        (c.units_needed, c.modules.clone(), c.cost),
        (39, vec![0, 1], 39.0)
    );
    assert_eq!(c.total_after, percent(239, 300));
    assert!(c.reaches_goal);
    // Checked by what-if: both modules done → 239/300, which rounds to 80.
    let mut w = WhatIf::none();
    w.set("A", ModuleOverride::Done);
    w.set("O", ModuleOverride::Done);
    let done = evaluate(&p, &r, &w);
    assert_eq!(done.total_percent, percent(239, 300));
    assert!(done.passes);
}

#[test]
fn sorting_and_quick_wins() {
    let r = fixture("jinja2-3.1.6/coveragepy-7.17.3-branch");
    let s = evaluate(&example("jinja2-demo.plan.json"), &r, &WhatIf::none());
    let names = |idx: Vec<usize>| -> Vec<String> {
        idx.into_iter().map(|i| s.modules[i].name.clone()).collect()
    };
    assert_eq!(
        names(sort_modules(&s.modules, PriorityColumn::Impact, true)),
        [
            "environment",
            "ext",
            "nodes",
            "bccache",
            "sandbox",
            "rest of src/jinja2",
            "compiler",
            "visitor+meta",
            "loaders"
        ]
    );
    assert_eq!(
        names(sort_modules(&s.modules, PriorityColumn::Current, false))[..3],
        ["bccache", "sandbox", "visitor+meta"]
    );
    // Units an hour: bccache 42/3.5 and nodes 48/4 are 12 each, then environment 59/6.5,
    // visitor+meta 18/2, ext 53/7, sandbox 35/5, loaders 17/4, and compiler and rest at 2.5.
    let q = names(quick_wins(&s.modules));
    let mut top = q[..2].to_vec();
    top.sort();
    assert_eq!(top, ["bccache", "nodes"]);
    assert_eq!(
        q[2..7],
        ["environment", "visitor+meta", "ext", "sandbox", "loaders"]
    );
    assert_eq!(q.len(), 9);
    // Modules without an effort sort last whichever the direction.
    let p = plan(
        r#"{"version": 1, "target": 90, "modules": [{"path": "src/jinja2/ext.py"}, {"path": "src/jinja2/bccache.py", "effort": 2}, {"path": "src/jinja2/sandbox.py", "effort": 5}]}"#,
    );
    let s2 = evaluate(&p, &r, &WhatIf::none());
    for desc in [false, true] {
        let order = sort_modules(&s2.modules, PriorityColumn::Effort, desc);
        assert_eq!(order[2], 0, "descending {desc}");
    }
}
