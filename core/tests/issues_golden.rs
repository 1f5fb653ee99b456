//! Golden files for a plan's board as tracker issues (`covgap plan --format issues` and
//! `issues-csv`) and for the verdict of `covgap check` in Markdown, on the shipped
//! examples, and on hostile names that must stay text in Markdown and in a spreadsheet.
//! Run with COVGAP_BLESS=1 to rewrite them after a deliberate change, then read the diff.

use covgap_core::export::check::verdict;
use covgap_core::export::issues::{
    issues_csv, issues_markdown, module_issues, module_labels, slug, IssueState,
};
use covgap_core::model::Source;
use covgap_core::plan::{evaluate, parse_plan, Plan, PlanStatus, WhatIf};
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

fn seed_shaped() -> PlanStatus {
    evaluate(
        &example("seed-shaped.plan.json"),
        &fixture("packaging-25.0/coveragepy-7.17.3-branch-contexts-small"),
        &WhatIf::none(),
    )
}

fn jinja2_demo() -> PlanStatus {
    evaluate(
        &example("jinja2-demo.plan.json"),
        &fixture("jinja2-3.1.6/coveragepy-7.17.3-branch"),
        &WhatIf::none(),
    )
}

#[test]
fn seed_shaped_issues() {
    let s = seed_shaped();
    let md = issues_markdown(&s, None);
    golden("seed-shaped.issues.md", &md);
    golden("seed-shaped.issues.csv", &issues_csv(&s, None));
    // One body per phase, each with its phase label and both checklists.
    assert_eq!(md.matches("\n---\n").count(), 3);
    for k in 1..=4 {
        assert!(md.contains(&format!("`coverage-phase-{k}`")), "{k}");
    }
    // One issue per module per phase: 2 + 2 + 2 + 2 modules.
    let issues = module_issues(&s, None);
    assert_eq!(issues.len(), 8);
    assert_eq!(
        issues[2].labels,
        ["coverage-phase-2", "module:requirements-and-markers"]
    );
    assert_eq!(issues[0].assignee.as_deref(), Some("sam"));
    assert_eq!(issues[0].column, "In Progress");
    assert!(issues.iter().all(|i| i.state == IssueState::Open));
    // A phase alone.
    let phase2 = issues_markdown(&s, Some(1));
    assert!(phase2.starts_with("## Coverage phase 2 of 4: "), "{phase2}");
    assert!(!phase2.contains("---"));
    assert_eq!(module_issues(&s, Some(3)).len(), 2);
}

#[test]
fn jinja2_demo_issues_and_verdict() {
    let s = jinja2_demo();
    let md = issues_markdown(&s, None);
    golden("jinja2-demo.issues.md", &md);
    golden("jinja2-demo.issues.csv", &issues_csv(&s, None));
    assert!(
        md.contains(
            "- [ ] sandbox (src/jinja2/sandbox.py): 68.64% → 85%, 35 statements to cover, \
             effort 4-6 h, impact high, owner dana — In Progress\n"
        ),
        "{md}"
    );
    assert!(md.contains("- [ ] overall ≥ 93% (combined): 92.21% (shown as 92%)\n"));
    // The catch-all module is in no phase: its own body, and issues without a phase label.
    assert!(md.contains("## Coverage: modules in no phase"), "{md}");
    let rest = module_issues(&s, None)
        .into_iter()
        .find(|i| i.module == "rest of src/jinja2")
        .expect("rest");
    assert_eq!(rest.labels, ["module:rest-of-src-jinja2"]);
    assert_eq!(rest.phase, None);

    let v = verdict(&s, None, "plan.json", "coverage.json").expect("verdict");
    golden("jinja2-demo.check.md", &v.to_markdown());
    let v3 = verdict(&s, Some(3), "plan.json", "coverage.json").expect("verdict");
    golden("jinja2-demo.check-phase3.md", &v3.to_markdown());
}

#[test]
fn a_passing_module_is_closed_and_checked() {
    // 92.21% passes a plan target of 92; every module at a target of 50 is done.
    let plan = parse_plan(
        "p.json",
        r#"{"version": 1, "target": 92, "modules": [
            {"name": "lexer", "path": "src/jinja2/lexer.py", "target": 50, "owner": "kim",
             "status": "review"}]}"#,
    )
    .expect("plan");
    let s = evaluate(
        &plan,
        &fixture("jinja2-3.1.6/coveragepy-7.17.3-branch"),
        &WhatIf::none(),
    );
    let md = issues_markdown(&s, None);
    assert!(md.starts_with("## Coverage plan\n"), "{md}");
    assert!(md.contains("- [x] lexer (src/jinja2/lexer.py): "), "{md}");
    assert!(md.contains("— Ready for Review\n"), "{md}");
    assert!(md.contains("- [x] overall ≥ 92% (combined)"), "{md}");
    let issues = module_issues(&s, None);
    assert_eq!(issues.len(), 1);
    assert_eq!(issues[0].state, IssueState::Closed);
    assert_eq!(issues[0].labels, ["module:lexer"]);
    let csv = issues_csv(&s, None);
    assert!(
        csv.starts_with("title,description,labels,assignee,state,"),
        "{csv}"
    );
    assert!(csv.contains(",kim,closed,Ready for Review,"), "{csv}");
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
             "owner": "<img src=x onerror=alert(1)>", "effort": 1},
            {"name": "[x](javascript:alert(1)) **b**", "path": "nothing/here.py"},
            {"name": "-", "path": "=cmd|' /C calc'!A0.py"}],
          "phases": [{"name": "one\n## injected heading", "target": 50,
             "modules": ["=cmd|' /C calc'!A0", "[x](javascript:alert(1)) **b**", "-"],
             "exit": {"modules_at_target": true}}]}"#,
    )
    .expect("plan");
    let s = evaluate(&plan, &report, &WhatIf::none());
    let md = issues_markdown(&s, None);
    let csv = issues_csv(&s, None);
    golden("hostile.issues.md", &md);
    golden("hostile.issues.csv", &csv);
    assert!(!md.contains("<img"), "{md}");
    assert!(!md.contains("\n## injected"), "{md}");
    assert!(
        md.contains("\\[x\\](javascript:alert(1)) \\*\\*b\\*\\*"),
        "{md}"
    );
    // Labels are slugs; a name with nothing sluggable gets its position.
    assert_eq!(
        module_labels(&s),
        [
            "module:cmd-c-calc-a0",
            "module:x-javascript-alert-1-b",
            "module:module-3"
        ]
    );
    // No cell a spreadsheet would run: every risky one starts with a quote.
    for line in csv.split("\r\n").skip(1) {
        for cell in line.split(',') {
            let c = cell.trim_start_matches('"');
            assert!(!c.starts_with(['=', '+', '@']), "{cell:?} in {line}");
        }
    }
    let v = verdict(&s, None, "<plan>.json", "*report*.json").expect("verdict");
    golden("hostile.check.md", &v.to_markdown());
    assert!(!v.to_markdown().contains("<img"));
    assert_eq!(slug("Prediction Service"), "prediction-service");
}
