//! `covgap check` and `covgap plan`: exit codes 0 (phase passes), 1 (it does not), 2 (bad
//! input), every criterion printed with its numbers, and the formats of `plan`.

mod common;
use common::covgap;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn jinja2() -> String {
    root()
        .join("tests/fixtures/jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json")
        .display()
        .to_string()
}

fn packaging_small() -> String {
    root()
        .join("tests/fixtures/packaging-25.0/coveragepy-7.17.3-branch-contexts-small/coverage.json")
        .display()
        .to_string()
}

fn example(name: &str) -> String {
    root()
        .join("examples/plans")
        .join(name)
        .display()
        .to_string()
}

/// A plan file in a fresh temporary directory; the directory goes when the test ends.
struct TempPlan {
    dir: PathBuf,
    path: PathBuf,
}

impl TempPlan {
    fn new(name: &str, text: &str) -> TempPlan {
        let dir =
            std::env::temp_dir().join(format!("covgap-plan-test-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("plan.json");
        std::fs::write(&path, text).expect("write plan");
        TempPlan { dir, path }
    }

    fn path(&self) -> &str {
        self.path.to_str().expect("utf8 path")
    }
}

impl Drop for TempPlan {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn check_fails_the_current_phase_with_every_number() {
    let (code, out, err) = covgap(&[
        "check",
        &jinja2(),
        "--plan",
        &example("jinja2-demo.plan.json"),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.is_empty(), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[1].ends_with("total 92.21% (combined statements+branches, shown as 92%)"),
        "{out}"
    );
    assert_eq!(
        lines[2],
        "phase 1 of 3: Security first: sandbox and bytecode cache (current phase)"
    );
    assert_eq!(
        lines[3..],
        [
            "  ⏳ unmet   overall ≥ 93% (combined): 92.21% (shown as 92%)",
            "  ⏳ unmet   bccache ≥ 80% (combined): 58.50% (shown as 58%); 42 statements to cover",
            "  ⏳ unmet   sandbox ≥ 85% (combined): 68.64% (shown as 69%); 35 statements to cover",
            "  ⏳ unmet   no module below 60% (combined): below: bccache 58.50%",
            "  ⏳ unmet   fail_under raised to 93: 92.21% (shown as 92%) fails fail_under = 93; configured fail_under = 92: raise it to 93",
            "FAIL: 5 of 5 criteria unmet",
        ]
    );
    // Another phase, by number.
    let (code, out, _) = covgap(&[
        "check",
        &jinja2(),
        "--plan",
        &example("jinja2-demo.plan.json"),
        "--phase",
        "3",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("phase 3 of 3: Core: environment, nodes, compiler\n"),
        "{out}"
    );
    assert!(
        out.contains("compiler ≥ 95% (branches): 89.95% (shown as 90%); 20 branches to cover"),
        "{out}"
    );
    assert!(
        out.contains("at most 350 missing statements: 598 missing; 248 more to cover"),
        "{out}"
    );
}

#[test]
fn check_passes_with_exit_0() {
    // 92.21% rounds to 92: a phase to 92 with bccache above 50% passes.
    let plan = TempPlan::new(
        "pass",
        r#"{"version": 1, "target": 95, "floor": 50, "configured_fail_under": 92,
            "modules": [{"name": "bccache", "path": "src/jinja2/bccache.py", "target": 55}],
            "phases": [
              {"name": "hold the line", "target": 92, "modules": ["bccache"],
               "exit": {"modules_at_target": true, "no_module_below_floor": true,
                        "max_missing_statements": 600, "fail_under": 92}},
              {"name": "next", "target": 95}
            ]}"#,
    );
    let (code, out, err) = covgap(&["check", &jinja2(), "--plan", plan.path(), "--phase", "1"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.ends_with("PASS: all 5 criteria met\n"), "{out}");
    assert!(
        out.contains("  ✅ met     at most 600 missing statements: 598 missing\n"),
        "{out}"
    );
    assert!(
        out.contains("bccache ≥ 55% (combined): 58.50% (shown as 58%)\n"),
        "{out}"
    );
    // Without --phase, the current phase is the first that fails: phase 2.
    let (code, out, _) = covgap(&["check", &jinja2(), "--plan", plan.path()]);
    assert_eq!(code, 1);
    assert!(out.contains("phase 2 of 2: next (current phase)"), "{out}");

    // A plan without phases checks its own target and floor.
    let plan = TempPlan::new(
        "nophases",
        r#"{"version": 1, "target": 92, "floor": 50, "modules": [{"path": "src/jinja2/bccache.py"}]}"#,
    );
    let (code, out, _) = covgap(&["check", &jinja2(), "--plan", plan.path()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("the plan's target\n"), "{out}");
    assert!(
        out.contains("no module below 50% (combined): lowest module 58.50%"),
        "{out}"
    );
    let (code, _, err) = covgap(&["check", &jinja2(), "--plan", plan.path(), "--phase", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("the plan has no phases"), "{err}");
}

#[test]
fn check_on_the_seed_plan_fails_at_1_7_percent() {
    let (code, out, _) = covgap(&[
        "check",
        &packaging_small(),
        "--plan",
        &example("seed-shaped.plan.json"),
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("total 1.70% (combined statements+branches, shown as 2%)"),
        "{out}"
    );
    assert!(
        out.contains("phase 1 of 4: Version and specifiers (2% → 20%) (current phase)"),
        "{out}"
    );
    assert!(out.contains("version ≥ 90% (combined): 0.00% (shown as 0%); 173 statements and 31 branches to cover"), "{out}");
    let (code, out, _) = covgap(&[
        "check",
        &packaging_small(),
        "--plan",
        &example("seed-shaped.plan.json"),
        "--phase",
        "4",
    ]);
    assert_eq!(code, 1);
    assert!(out.ends_with("FAIL: 7 of 7 criteria unmet\n"), "{out}");
}

#[test]
fn bad_input_exits_2_naming_the_file() {
    let demo = example("jinja2-demo.plan.json");
    // Unknown key, with its line.
    let plan = TempPlan::new(
        "unknown",
        "{\n  \"version\": 1,\n  \"target\": 80,\n  \"phase\": []\n}\n",
    );
    let (code, out, err) = covgap(&["check", &jinja2(), "--plan", plan.path()]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(
        err.starts_with(&format!(
            "covgap: {}: unknown key \"phase\" (did you mean \"phases\"?)",
            plan.path()
        )),
        "{err}"
    );
    assert!(err.contains("[line 4, column 9]"), "{err}");
    // A bad value.
    let plan = TempPlan::new("bad", "{\"version\": 1, \"target\": 180}");
    let (code, _, err) = covgap(&["plan", &jinja2(), "--plan", plan.path()]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "target must be a percentage from 0 to 100, not 180 (at target) [line 1, column 28]"
        ),
        "{err}"
    );
    // Missing plan, missing report, a report that is not one.
    let (code, _, err) = covgap(&["check", &jinja2(), "--plan", "/no/such/plan.json"]);
    assert_eq!(
        (code, err.contains("/no/such/plan.json: cannot read")),
        (2, true),
        "{err}"
    );
    let (code, _, err) = covgap(&["check", "/no/such/coverage.json", "--plan", &demo]);
    assert_eq!(
        (code, err.contains("/no/such/coverage.json")),
        (2, true),
        "{err}"
    );
    let (code, _, err) = covgap(&["check", &demo, "--plan", &demo]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("jinja2-demo.plan.json: "), "{err}");
    // Phases that do not exist, and arguments clap rejects.
    for phase in ["0", "4"] {
        let (code, _, err) = covgap(&["check", &jinja2(), "--plan", &demo, "--phase", phase]);
        assert_eq!(code, 2, "--phase {phase}");
        assert!(
            err.contains(&format!(
                "--phase {phase} does not exist; the plan has phases 1 to 3"
            )),
            "{err}"
        );
    }
    let (code, _, _) = covgap(&["check", &jinja2(), "--plan", &demo, "--phase", "two"]);
    assert_eq!(code, 2);
    let (code, _, _) = covgap(&["check", &jinja2()]);
    assert_eq!(code, 2);
    let (code, _, _) = covgap(&["plan", &jinja2(), "--plan", &demo, "--format", "xml"]);
    assert_eq!(code, 2);
}

#[test]
fn plan_prints_tables_in_each_format() {
    let demo = example("jinja2-demo.plan.json");
    let (code, md, err) = covgap(&["plan", &jinja2(), "--plan", &demo]);
    assert_eq!(code, 0, "{err}");
    assert!(md.starts_with("## Coverage plan: jinja2 3.1.6: from 92% to 95%\n"));
    assert!(md.contains("| environment | 85.83% | 94% | 7.67 | 59 | 0 | 0.47 | 5-8 | 0.07 | medium |  | Backlog |"), "{md}");
    assert!(md.contains("| 1 | Security first: sandbox and bytecode cache | 92% | 93% | 21% | 0/5 | 93 | ⏳ unmet (current) |"), "{md}");
    // Same text as the golden file in covgap-core (which is checked by hand).
    let golden =
        std::fs::read_to_string(root().join("core/tests/golden/jinja2-demo.md")).expect("golden");
    assert_eq!(md, golden + "\n");

    let (code, csv, _) = covgap(&[
        "plan",
        &jinja2(),
        "--plan",
        &demo,
        "--format",
        "csv",
        "--sort",
        "module",
    ]);
    assert_eq!(code, 0);
    let mut parts = csv.split("\r\n\r\n");
    let priority = parts.next().expect("priority");
    let phases = parts.next().expect("phases");
    let criteria = parts.next().expect("criteria");
    assert_eq!(
        phases,
        "#,Phase,Baseline,Target,Progress,Criteria met,fail_under,Status\r\n\
         1,Security first: sandbox and bytecode cache,92%,93%,21%,0/5,93,⏳ unmet (current)\r\n\
         2,Extensions and loaders,93%,94%,0%,0/6,94,⏳ unmet\r\n\
         3,\"Core: environment, nodes, compiler\",94%,95%,0%,0/6,95,⏳ unmet"
    );
    let first: Vec<&str> = priority
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().expect("cell"))
        .collect();
    assert_eq!(
        first,
        [
            "bccache",
            "compiler",
            "environment",
            "ext",
            "loaders",
            "nodes",
            "rest of src/jinja2",
            "sandbox",
            "visitor+meta"
        ]
    );
    assert!(criteria.starts_with("#,Phase,Criterion,Required,Actual,Status,Detail\r\n"));
    assert_eq!(criteria.lines().count(), 1 + 5 + 6 + 6);

    let (code, json, _) = covgap(&["plan", &jinja2(), "--plan", &demo, "--format", "json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&json).expect("json");
    assert_eq!(v["current_phase"], 0);
    assert_eq!(v["totals"]["statements"]["total"], 10336);
    assert_eq!(v["metric"], "combined");
    assert_eq!(v["gap"]["statements_needed"], 288);
    assert_eq!(v["modules"][0]["name"], "bccache");
    assert_eq!(v["modules"][0]["to_cover"]["statements"], 42);
    assert_eq!(v["modules"][0]["status"], "backlog");
    assert_eq!(v["modules"][1]["effort"], "4-6");
    assert_eq!(v["phases"][0]["criteria"][0]["kind"], "overall_at_least");
    assert_eq!(v["phases"][0]["criteria"][0]["met"], false);
    assert_eq!(
        v["cheapest_path"]["modules"],
        serde_json::json!([0, 1, 2, 3, 4, 5, 6, 7])
    );
    assert_eq!(v["cheapest_path"]["cost"], 40.0);
    assert_eq!(v["priority_order"][0], "environment");
    assert_eq!(v["quick_wins"].as_array().map(Vec::len), Some(9));

    let (code, toml, _) = covgap(&["plan", &jinja2(), "--plan", &demo, "--format", "pyproject"]);
    assert_eq!(code, 0);
    assert!(
        toml.contains("[tool.coverage.report]\nfail_under = 93\n"),
        "{toml}"
    );
    let (_, rc, _) = covgap(&["plan", &jinja2(), "--plan", &demo, "--format", "coveragerc"]);
    assert!(rc.contains("[report]\nfail_under = 93\n"), "{rc}");
    assert!(
        rc.contains("# - bccache (src/jinja2/bccache.py): combined ≥ 80% (now 58.50%)\n"),
        "{rc}"
    );

    // Sorting options.
    let (_, q, _) = covgap(&[
        "plan",
        &jinja2(),
        "--plan",
        &demo,
        "--format",
        "csv",
        "--quick-wins",
    ]);
    let rows: Vec<&str> = q
        .lines()
        .skip(1)
        .take(2)
        .map(|l| l.split(',').next().expect("cell"))
        .collect();
    let mut rows = rows;
    rows.sort();
    assert_eq!(rows, ["bccache", "nodes"]);
    let (_, asc, _) = covgap(&[
        "plan",
        &jinja2(),
        "--plan",
        &demo,
        "--format",
        "csv",
        "--sort",
        "current",
        "--reverse",
    ]);
    assert!(
        asc.lines()
            .nth(1)
            .expect("row")
            .starts_with("bccache,58.50%"),
        "{asc}"
    );
    let (code, _, _) = covgap(&[
        "plan",
        &jinja2(),
        "--plan",
        &demo,
        "--quick-wins",
        "--sort",
        "gap",
    ]);
    assert_eq!(code, 2);
}

#[test]
fn warnings_go_to_stderr() {
    let plan = TempPlan::new(
        "warn",
        r#"{"version": 1, "target": 90, "modules": [{"path": "src/nothing_here/"}]}"#,
    );
    // The total (92%) meets 90, but a module that matches nothing fails the gate.
    let (code, out, err) = covgap(&["check", &jinja2(), "--plan", plan.path()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        err.contains("warning: ")
            && err.contains(
                "module \"src/nothing_here/\" (src/nothing_here/) matches no file in the report"
            ),
        "{err}"
    );
    assert!(
        out.contains("every module matches files") && out.contains("FAIL"),
        "{out}"
    );
}

#[test]
fn a_typo_in_a_module_path_fails_the_gate_and_says_what_was_meant() {
    // jinja2 has src/jinja2/sandbox.py; the plan says sandbx.py.
    let plan = TempPlan::new(
        "typo",
        r#"{"version": 1, "target": 50, "modules": [
            {"name": "sandbox", "path": "src/jinja2/sandbx.py"},
            {"name": "lexer", "path": "src/jinja2/lexer.py"}],
          "phases": [{"name": "one", "target": 50, "modules": ["lexer"]},
                     {"name": "two", "target": 50, "modules": ["sandbox"]}]}"#,
    );
    let (code, out, _) = covgap(&["check", &jinja2(), "--plan", plan.path()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("phase 2 of 2: two (current phase)"), "{out}");
    assert!(
        out.contains("sandbox (src/jinja2/sandbx.py) matches no file in the report; did you mean src/jinja2/sandbox.py?"),
        "{out}"
    );
    // Marked optional, the same plan passes.
    let optional = TempPlan::new(
        "typo-optional",
        r#"{"version": 1, "target": 50, "modules": [
            {"name": "sandbox", "path": "src/jinja2/sandbx.py", "optional": true},
            {"name": "lexer", "path": "src/jinja2/lexer.py"}],
          "phases": [{"name": "one", "target": 50, "modules": ["lexer"]},
                     {"name": "two", "target": 50, "modules": ["sandbox"]}]}"#,
    );
    let (code, out, _) = covgap(&["check", &jinja2(), "--plan", optional.path()]);
    assert_eq!(code, 0, "{out}");
}
