//! Every command in every format it offers: `check`, `compare`, `gaps`, `plan` and `trend`
//! with `--format text|md|json` (and csv where the output is a table), the `--json`
//! aliases, the JSON contract of `check`, and the tracker exports of `plan`.

mod common;
use common::covgap;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(run: &str) -> String {
    root()
        .join("tests/fixtures")
        .join(run)
        .join("coverage.json")
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

const JINJA2: &str = "jinja2-3.1.6/coveragepy-7.17.3-branch";
const V24: &str = "packaging-24.1/coveragepy-7.17.3-branch";
const V25: &str = "packaging-25.0/coveragepy-7.17.3-branch";
const SMALL: &str = "packaging-25.0/coveragepy-7.17.3-branch-contexts-small";

/// A file in a fresh temporary directory; the directory goes when the test ends.
struct TempFile {
    dir: PathBuf,
    path: PathBuf,
}

impl TempFile {
    fn new(tag: &str, name: &str, text: &str) -> TempFile {
        let dir =
            std::env::temp_dir().join(format!("covgap-formats-test-{}-{tag}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        TempFile { dir, path }
    }

    fn path(&self) -> &str {
        self.path.to_str().expect("utf8 path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// RFC 4180 records: quoted fields may hold commas, quotes and line breaks.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quote");
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// A well-formed CSV table: a header, and as many fields in every record.
fn assert_csv(out: &str, header_starts: &str) -> Vec<Vec<String>> {
    assert!(out.starts_with(header_starts), "{out}");
    assert!(out.ends_with("\r\n"), "records end with CRLF");
    let rows = csv_records(out);
    let n = rows[0].len();
    for r in &rows {
        assert_eq!(r.len(), n, "{r:?}");
    }
    rows
}

fn assert_markdown(out: &str) {
    assert!(
        out.starts_with('#') || out.starts_with("| ") || out.starts_with("Reports"),
        "{out}"
    );
    assert!(out.contains("\n| --- |") || out.contains(" | --- |") || out.contains("| ---"));
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn check_in_each_format() {
    let (r, p) = (fixture(JINJA2), example("jinja2-demo.plan.json"));
    let (code, text, err) = covgap(&["check", &r, "--plan", &p, "--format", "text"]);
    assert_eq!(code, 1, "{err}");
    assert!(text.contains("\nFAIL: 5 of 5 criteria unmet\n"), "{text}");
    let (code, md, _) = covgap(&["check", &r, "--plan", &p, "--format", "md"]);
    assert_eq!(code, 1);
    assert_markdown(&md);
    assert!(md.starts_with("### covgap check: ⏳ not passed — phase 1 of 3: "));
    assert!(md.contains("| ⏳ unmet | sandbox ≥ 85% (combined) | 85% | 68.64% | "));
    assert!(md.contains("fail\\_under raised to 93"), "escaped: {md}");
    let (code, out, _) = covgap(&["check", &r, "--plan", &p, "--format", "json"]);
    assert_eq!(code, 1);
    let (code, alias, _) = covgap(&["check", &r, "--plan", &p, "--json"]);
    assert_eq!(code, 1);
    assert_eq!(out, alias);
    // Exit codes are unchanged: 2 on a bad argument, whatever the format.
    let (code, _, err) = covgap(&["check", &r, "--plan", &p, "--format", "csv"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = covgap(&["check", &r, "--plan", &p, "--phase", "9", "--json"]);
    assert_eq!(code, 2);
    assert!(err.contains("--phase 9 does not exist"), "{err}");
}

#[test]
fn check_json_keys_and_values() {
    let (r, p) = (fixture(JINJA2), example("jinja2-demo.plan.json"));
    let (code, out, err) = covgap(&["check", &r, "--plan", &p, "--format", "json"]);
    assert_eq!(code, 1, "{err}");
    let v = json(&out);
    for key in [
        "passed",
        "phase",
        "phase_name",
        "criteria",
        "total",
        "target",
        "missing_modules",
        "warnings",
        "plan",
        "report",
    ] {
        assert!(v.get(key).is_some(), "{key} missing");
    }
    assert_eq!(v["passed"], false);
    assert_eq!(v["phase"], 1);
    assert_eq!(
        v["phase_name"],
        "Security first: sandbox and bytecode cache"
    );
    assert_eq!(v["phases"], 3);
    assert_eq!(v["current_phase"], 1);
    assert_eq!(v["target"], 93.0);
    assert_eq!(v["plan"], p.as_str());
    assert_eq!(v["report"], r.as_str());
    assert_eq!(v["missing_modules"], Value::Array(vec![]));
    assert_eq!(v["warnings"], Value::Array(vec![]));
    assert_eq!(v["total"]["metric"], "combined");
    assert_eq!(v["total"]["display"], "92");
    let pct = v["total"]["percent"].as_f64().expect("percent");
    assert!((pct - 92.2064).abs() < 1e-3, "{pct}");
    let criteria = v["criteria"].as_array().expect("criteria");
    assert_eq!(criteria.len(), 5);
    for c in criteria {
        for key in [
            "text", "met", "required", "actual", "unit", "detail", "items",
        ] {
            assert!(c.get(key).is_some(), "{key} missing in {c}");
        }
        assert_eq!(c["met"], false);
    }
    assert_eq!(criteria[0]["text"], "overall ≥ 93% (combined)");
    assert_eq!(criteria[0]["kind"], "overall_at_least");
    assert_eq!(criteria[0]["required"], 93.0);
    assert_eq!(criteria[0]["unit"], "percent");
    assert_eq!(criteria[0]["detail"], "92.21% (shown as 92%)");
    assert_eq!(criteria[1]["text"], "bccache ≥ 80% (combined)");
    assert_eq!(criteria[1]["module"], "bccache");
    assert_eq!(criteria[1]["actual"], 58.5);
    assert_eq!(criteria[3]["kind"], "no_module_below_floor");
    assert_eq!(criteria[3]["items"], serde_json::json!(["bccache"]));
    assert_eq!(criteria[4]["text"], "fail_under raised to 93");

    // Phase 2, by number: judged even though phase 1 is current.
    let (_, out, _) = covgap(&["check", &r, "--plan", &p, "--phase", "2", "--json"]);
    let v = json(&out);
    assert_eq!(v["phase"], 2);
    assert_eq!(v["current_phase"], 1);
    assert_eq!(v["criteria"][4]["unit"], "statements");
    assert_eq!(v["criteria"][4]["required"], 450.0);
    assert_eq!(v["criteria"][4]["actual"], 598.0);
}

#[test]
fn check_json_with_a_typo_in_a_module_path() {
    let plan = TempFile::new(
        "typo",
        "plan.json",
        r#"{"version": 1, "target": 50, "modules": [
            {"name": "sandbox", "path": "src/jinja2/sandbx.py"},
            {"name": "lexer", "path": "src/jinja2/lexer.py"}],
          "phases": [{"name": "one", "target": 50, "modules": ["lexer"]}]}"#,
    );
    // Phase 1 does not use sandbox, and its criteria pass: the typo alone fails the gate.
    let (code, out, err) = covgap(&["check", &fixture(JINJA2), "--plan", plan.path(), "--json"]);
    assert_eq!(code, 1, "{out}");
    let v = json(&out);
    assert_eq!(v["passed"], false);
    assert_eq!(v["phase"], 1);
    assert!(v["criteria"]
        .as_array()
        .expect("criteria")
        .iter()
        .all(|c| c["met"] == true));
    assert_eq!(
        v["missing_modules"],
        serde_json::json!([{
            "name": "sandbox",
            "patterns": ["src/jinja2/sandbx.py"],
            "suggestions": ["src/jinja2/sandbox.py"],
            "shadowed_by": null
        }])
    );
    let warnings = v["warnings"].as_array().expect("warnings");
    assert!(
        warnings[0]
            .as_str()
            .is_some_and(|w| w.contains("did you mean src/jinja2/sandbox.py?")),
        "{warnings:?}"
    );
    assert!(err.contains("warning: "), "{err}");
    // The same in Markdown: the module is listed with the suggestion, next to ⏳ unmet.
    let (code, md, _) = covgap(&[
        "check",
        &fixture(JINJA2),
        "--plan",
        plan.path(),
        "--format",
        "md",
    ]);
    assert_eq!(code, 1);
    assert!(
        md.contains("- ⏳ unmet — sandbox (src/jinja2/sandbx.py): matches no file in the report; did you mean src/jinja2/sandbox.py?"),
        "{md}"
    );
    assert!(
        md.contains("**FAIL: 1 module(s) of the plan match no file**"),
        "{md}"
    );
}

#[test]
fn check_json_without_phases_has_a_null_phase() {
    let plan = TempFile::new(
        "nophase",
        "plan.json",
        r#"{"version": 1, "target": 92, "name": "just the target"}"#,
    );
    let (code, out, err) = covgap(&["check", &fixture(JINJA2), "--plan", plan.path(), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v = json(&out);
    assert_eq!(v["passed"], true);
    assert_eq!(v["phase"], Value::Null);
    assert_eq!(v["phase_name"], Value::Null);
    assert_eq!(v["target"], 92.0);
    assert_eq!(v["criteria"][0]["met"], true);
    let (code, md, _) = covgap(&[
        "check",
        &fixture(JINJA2),
        "--plan",
        plan.path(),
        "--format",
        "md",
    ]);
    assert_eq!(code, 0);
    assert!(
        md.starts_with("### covgap check: ✅ passed — the plan's target\n"),
        "{md}"
    );
    assert!(md.contains("| ✅ met | overall ≥ 92% (combined) |"), "{md}");
    assert!(md.ends_with("**PASS: all 1 criteria met**\n"), "{md}");
}

#[test]
fn compare_in_each_format() {
    let (b, c) = (fixture(V24), fixture(V25));
    for format in ["text", "md", "csv", "json"] {
        let (code, out, err) = covgap(&["compare", &b, &c, "--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
        match format {
            "md" => assert!(out.starts_with("### Coverage 100.00% → 100.00%"), "{out}"),
            "csv" => {
                let rows = assert_csv(&out, "scope,path,status,");
                assert_eq!(rows.len(), 1 + 1 + 16);
            }
            "json" => assert_eq!(json(&out)["summary"]["added"], 2),
            _ => assert!(out.contains(" → "), "{out}"),
        }
    }
    let (_, a, _) = covgap(&["compare", &b, &c, "--json"]);
    let (_, f, _) = covgap(&["compare", &b, &c, "--format", "json"]);
    assert_eq!(a, f);
}

#[test]
fn gaps_in_each_format() {
    let r = fixture(JINJA2);
    for format in ["text", "md", "csv", "json"] {
        let (code, out, err) = covgap(&["gaps", &r, "--target", "95", "--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
        match format {
            "md" => assert_markdown(&out),
            "csv" => {
                assert_csv(&out, "Scope,Path,");
            }
            "json" => assert_eq!(json(&out)[0]["scope"], "total"),
            _ => assert!(out.starts_with("Scope"), "{out}"),
        }
    }
}

#[test]
fn trend_in_each_format() {
    let (a, b) = (fixture(V24), fixture(V25));
    for format in ["text", "md", "csv", "json"] {
        let (code, out, err) = covgap(&["trend", &a, &b, "--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
        match format {
            "md" => {
                assert_markdown(&out);
                assert!(out.contains("| # | Report | Date | Cover |"), "{out}");
                assert!(
                    out.ends_with("The target of 80% is already met.\n"),
                    "{out}"
                );
            }
            "csv" => {
                let rows = assert_csv(&out, "index,report,timestamp,date,combined_percent,");
                assert_eq!(rows.len(), 3);
                assert_eq!(rows[2][1], b);
                assert_eq!(rows[2][4], "100");
            }
            "json" => assert_eq!(json(&out)["points"].as_array().map(Vec::len), Some(2)),
            _ => assert!(out.starts_with("Reports oldest first"), "{out}"),
        }
    }
    let (_, a1, _) = covgap(&["trend", &a, &b, "--json"]);
    let (_, a2, _) = covgap(&["trend", &a, &b, "--format", "json"]);
    assert_eq!(a1, a2);
}

#[test]
fn plan_in_each_format() {
    let (r, p) = (fixture(JINJA2), example("jinja2-demo.plan.json"));
    for format in [
        "text",
        "md",
        "csv",
        "json",
        "pyproject",
        "coveragerc",
        "issues",
        "issues-csv",
    ] {
        let (code, out, err) = covgap(&["plan", &r, "--plan", &p, "--format", format]);
        assert_eq!(code, 0, "{format}: {err}");
        match format {
            "text" => {
                assert!(out.starts_with("Coverage plan: jinja2 3.1.6"), "{out}");
                assert!(out.contains("\nPriority\nModule "), "{out}");
                assert!(!out.contains("| "), "no Markdown: {out}");
                assert!(out.contains("  Backlog:     "), "{out}");
            }
            "md" => assert!(out.starts_with("## Coverage plan: "), "{out}"),
            "csv" => assert!(out.starts_with("Module,Current,"), "{out}"),
            "json" => assert!(json(&out)["modules"].is_array()),
            "pyproject" => assert!(out.contains("[tool.coverage.report]\nfail_under = 93\n")),
            "coveragerc" => assert!(out.contains("[report]\nfail_under = 93\n")),
            "issues" => assert!(out.starts_with("## Coverage phase 1 of 3: "), "{out}"),
            _ => {
                let rows = assert_csv(&out, "title,description,labels,assignee,state,");
                // 2 + 3 + 3 modules in phases, and the catch-all in none.
                assert_eq!(rows.len(), 1 + 9);
            }
        }
    }
    // --phase picks the gate config's phase, and is refused where it means nothing.
    let (code, out, _) = covgap(&[
        "plan",
        &r,
        "--plan",
        &p,
        "--format",
        "pyproject",
        "--phase",
        "3",
    ]);
    assert_eq!(code, 0);
    assert!(out.contains("fail_under = 95\n"), "{out}");
    let (code, _, err) = covgap(&["plan", &r, "--plan", &p, "--format", "md", "--phase", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--phase applies to"), "{err}");
    let (code, _, err) = covgap(&[
        "plan", &r, "--plan", &p, "--format", "issues", "--phase", "4",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--phase 4 does not exist"), "{err}");
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(root().join("core/tests/golden").join(name)).expect("golden")
}

#[test]
fn issues_on_the_seed_shaped_plan() {
    let (r, p) = (fixture(SMALL), example("seed-shaped.plan.json"));
    let (code, md, err) = covgap(&["plan", &r, "--plan", &p, "--format", "issues"]);
    assert_eq!(code, 0, "{err}");
    // The engine's golden file, byte for byte.
    assert_eq!(md, golden("seed-shaped.issues.md"));
    let bodies: Vec<&str> = md.split("\n---\n\n").collect();
    assert_eq!(bodies.len(), 4);
    assert!(bodies[1]
        .starts_with("## Coverage phase 2 of 4: Requirements, markers and utils (→ 40%)\n"));
    assert!(bodies[1].contains(
        "Labels: `coverage-phase-2`, `module:requirements-and-markers`, `module:utils`\n"
    ));
    assert!(bodies[1]
        .contains("\n### Exit criteria\n\n- [ ] overall ≥ 41% (combined): 1.70% (shown as 2%)\n"));
    assert!(bodies[0].contains(
        "- [ ] version (src/packaging/version.py): 0.00% → 90%, 173 statements and 31 branches to cover, effort 2-3 h, impact high, owner sam — In Progress\n"
    ));
    assert!(bodies[0].contains("Board: Backlog 0 · In Progress 2 · Ready for Review 0 · Done 0."));

    let (code, csv, _) = covgap(&["plan", &r, "--plan", &p, "--format", "issues-csv"]);
    assert_eq!(code, 0);
    assert_eq!(csv, golden("seed-shaped.issues.csv"));
    let rows = assert_csv(
        &csv,
        "title,description,labels,assignee,state,column,milestone,type,",
    );
    assert_eq!(rows.len(), 1 + 8);
    let head = &rows[0];
    let col = |name: &str| head.iter().position(|h| h == name).expect(name);
    let version = &rows[1];
    assert_eq!(version[col("title")], "Coverage: version to 90% (phase 1)");
    assert_eq!(version[col("labels")], "coverage-phase-1,module:version");
    assert_eq!(version[col("assignee")], "sam");
    assert_eq!(version[col("state")], "open");
    assert_eq!(version[col("column")], "In Progress");
    assert_eq!(version[col("type")], "Task");
    assert!(version[col("description")].starts_with(
        "Raise the coverage of **version** (src/packaging/version.py) from 0.00% to 90%"
    ));
    let platform = rows
        .iter()
        .find(|r| r[col("module")] == "platform detection")
        .expect("platform detection");
    assert_eq!(
        platform[col("labels")],
        "coverage-phase-4,module:platform-detection"
    );
    assert_eq!(platform[col("assignee")], "");
    assert_eq!(platform[col("column")], "Backlog");

    // One phase alone.
    let (_, one, _) = covgap(&[
        "plan",
        &r,
        "--plan",
        &p,
        "--format",
        "issues-csv",
        "--phase",
        "2",
    ]);
    let rows = assert_csv(&one, "title,");
    assert_eq!(rows.len(), 1 + 2);
    assert!(rows[1..]
        .iter()
        .all(|r| r[2].starts_with("coverage-phase-2,")));
    let (_, body, _) = covgap(&[
        "plan", &r, "--plan", &p, "--format", "issues", "--phase", "2",
    ]);
    assert_eq!(body, bodies[1]);
}
