//! Golden files for a plan's exports: the Markdown a PR gets, the CSVs, the gate configs
//! and the plan JSON, on the shipped examples and the fixtures they were written for.
//! Run with COVGAP_BLESS=1 to rewrite them after a deliberate change, then read the diff.

use covgap_core::export::plan::{
    compact_markdown, criteria_table, gate_config, plan_json, plan_markdown, priority_table,
};
use covgap_core::model::Source;
use covgap_core::plan::{
    cheapest_path, evaluate, parse_plan, quick_wins, sort_modules, ModuleOverride, Plan,
    PriorityColumn, WhatIf,
};
use covgap_core::{parse, Counts, FileCoverage, ParseOptions, Report};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(rel: &str) -> Report {
    let p = root()
        .join("tests/fixtures")
        .join(rel)
        .join("coverage.json");
    parse(
        "coverage.json",
        &std::fs::read(p).expect("fixture"),
        ParseOptions::default(),
    )
    .expect("report")
}

fn example(name: &str) -> Plan {
    let text = std::fs::read_to_string(root().join("examples/plans").join(name)).expect("plan");
    parse_plan(name, &text).unwrap_or_else(|e| panic!("{e}"))
}

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("COVGAP_BLESS").is_some() {
        std::fs::write(&path, actual).expect("write golden");
        return;
    }
    let want = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} is missing; run with COVGAP_BLESS=1", path.display()));
    if want != actual {
        let line = want
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| want.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}",
            line + 1,
            want.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn jinja2_demo_exports() {
    let plan = example("jinja2-demo.plan.json");
    let s = evaluate(
        &plan,
        &fixture("jinja2-3.1.6/coveragepy-7.17.3-branch"),
        &WhatIf::none(),
    );
    let order = sort_modules(&s.modules, PriorityColumn::Impact, true);
    let cheapest = cheapest_path(&s, s.target);
    golden(
        "jinja2-demo.md",
        &plan_markdown(&s, &order, Some(&cheapest)),
    );
    golden(
        "jinja2-demo.priority.csv",
        &priority_table(&s, &order).to_csv(),
    );
    golden("jinja2-demo.criteria.csv", &criteria_table(&s).to_csv());
    golden(
        "jinja2-demo.pyproject.toml",
        &gate_config(&s, None).to_pyproject(),
    );
    golden(
        "jinja2-demo.coveragerc",
        &gate_config(&s, None).to_coveragerc(),
    );
    golden(
        "jinja2-demo.phase3.pyproject.toml",
        &gate_config(&s, Some(2)).to_pyproject(),
    );
    golden("jinja2-demo.plan.json", &plan_json(&plan));
    golden("jinja2-demo.compact.md", &compact_markdown(&s, &order));
}

#[test]
fn jinja2_demo_with_phase_one_done() {
    // What the PR that finishes phase 1 would paste: phase 1 ✅, phase 2 current.
    let mut plan = example("jinja2-demo.plan.json");
    plan.configured_fail_under = Some(93.0);
    let mut w = WhatIf::none();
    w.set("bccache", ModuleOverride::Done);
    w.set("sandbox", ModuleOverride::Done);
    let s = evaluate(&plan, &fixture("jinja2-3.1.6/coveragepy-7.17.3-branch"), &w);
    let order = quick_wins(&s.modules);
    golden(
        "jinja2-demo.phase1-done.md",
        &plan_markdown(&s, &order, None),
    );
    golden(
        "jinja2-demo.phase1-done.coveragerc",
        &gate_config(&s, None).to_coveragerc(),
    );
}

#[test]
fn seed_shaped_exports() {
    let plan = example("seed-shaped.plan.json");
    let s = evaluate(
        &plan,
        &fixture("packaging-25.0/coveragepy-7.17.3-branch-contexts-small"),
        &WhatIf::none(),
    );
    let order = sort_modules(&s.modules, PriorityColumn::PointsPerHour, true);
    let cheapest = cheapest_path(&s, s.target);
    golden(
        "seed-shaped.md",
        &plan_markdown(&s, &order, Some(&cheapest)),
    );
    golden(
        "seed-shaped.priority.csv",
        &priority_table(&s, &order).to_csv(),
    );
    // The seed plans' own compact table: Module | Current | Target | Gap | Effort | Impact.
    let compact = compact_markdown(&s, &order);
    assert!(compact.contains("| Module | Current | Target | Gap | Effort | Impact |"));
    golden("seed-shaped.compact.md", &compact);
}

#[test]
fn hostile_names_stay_text() {
    let report = Report {
        source: Source::new("test", covgap_core::Tool::CoveragePy),
        metrics: vec![
            covgap_core::Metric::Combined,
            covgap_core::Metric::Statements,
        ],
        root: None,
        files: vec![FileCoverage {
            path: "=cmd|' /C calc'!A0.py".into(),
            counts: Counts::coveragepy(10, 4, 0, 0),
            ..Default::default()
        }],
        declared_totals: None,
        warnings: Vec::new(),
    };
    let plan = parse_plan(
        "h.json",
        r#"{"version": 1, "target": 50, "floor": 30, "modules": [
            {"name": "=cmd|' /C calc'!A0", "path": "=cmd|' /C calc'!A0.py",
             "owner": "<img src=x onerror=alert(1)>", "effort": 1}],
          "phases": [{"name": "one\n[report]\nfail_under = 0", "target": 50,
             "modules": ["=cmd|' /C calc'!A0"], "exit": {"modules_at_target": true}}]}"#,
    )
    .expect("plan");
    let s = evaluate(&plan, &report, &WhatIf::none());
    let order = sort_modules(&s.modules, PriorityColumn::Module, false);
    golden("hostile.md", &plan_markdown(&s, &order, None));
    golden("hostile.csv", &priority_table(&s, &order).to_csv());
    golden("hostile.coveragerc", &gate_config(&s, None).to_coveragerc());
}
