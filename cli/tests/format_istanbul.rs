//! `covgap summary --json` and `covgap files --json` on Istanbul reports give the tool's
//! own numbers (nyc's qs run and jest's hashids run), and a broken report exits 2 naming
//! the file.

mod common;
use common::covgap;

use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> String {
    let p: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(rel);
    p.to_string_lossy().into_owned()
}

fn run_json(args: &[&str]) -> Value {
    let (code, out, err) = covgap(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).expect("JSON")
}

fn metric(total: u64, covered: u64, percent: f64, display: &str) -> Value {
    json!({"total": total, "covered": covered, "percent": percent, "display": display})
}

#[test]
fn summary_json_of_coverage_final() {
    let v = run_json(&[
        "summary",
        &fixture("qs-6.17.1/nyc-18.0.0/coverage-final.json"),
        "--json",
    ]);
    assert_eq!(v["format"], "istanbul-json");
    assert_eq!(v["tool"], "Istanbul");
    assert_eq!(v["files"], 10);
    assert_eq!(v["headline"], "lines");
    assert_eq!(v["summary_only"], false);
    assert_eq!(
        v["metrics"],
        json!({
            "statements": metric(3265, 3263, 99.93, "99.93"),
            "branches": metric(829, 827, 99.75, "99.75"),
            "functions": metric(627, 625, 99.68, "99.68"),
            "lines": metric(3206, 3204, 99.93, "99.93"),
        })
    );
    // Istanbul's order: statements, branches, functions, lines (as printed).
    let (_, out, _) = covgap(&[
        "summary",
        &fixture("qs-6.17.1/nyc-18.0.0/coverage-final.json"),
        "--json",
    ]);
    let at = |k: &str| out.find(&format!("\"{k}\": {{")).expect(k);
    assert!(at("statements") < at("branches"));
    assert!(at("branches") < at("functions"));
    assert!(at("functions") < at("lines"));
}

#[test]
fn summary_and_files_json_of_coverage_summary() {
    let path = fixture("hashids-2.3.0/jest-30.5.2/coverage-summary.json");
    let v = run_json(&["summary", &path, "--json"]);
    assert_eq!(v["format"], "istanbul-json-summary");
    assert_eq!(v["summary_only"], true);
    assert_eq!(v["files"], 2);
    assert_eq!(v["metrics"]["lines"], metric(183, 139, 75.95, "75.95"));
    assert_eq!(v["metrics"]["branches"], metric(89, 50, 56.17, "56.17"));
    assert_eq!(v["metrics"]["functions"], metric(35, 27, 77.14, "77.14"));
    assert_eq!(v["metrics"]["statements"], metric(193, 145, 75.12, "75.12"));

    let rows = run_json(&["files", &path, "--json"]);
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    let util = rows
        .iter()
        .find(|r| r["path"] == "util.ts")
        .expect("util.ts");
    assert_eq!(util["metrics"]["lines"], metric(71, 60, 84.5, "84.5"));
    assert_eq!(util["metrics"]["functions"], metric(22, 19, 86.36, "86.36"));

    let (code, text, _) = covgap(&["summary", &path]);
    assert_eq!(code, 0);
    assert!(text.contains("totals and per-file counts only"), "{text}");
}

#[test]
fn files_json_of_coverage_final_carries_metrics_and_missing_lines() {
    let rows = run_json(&[
        "files",
        &fixture("hashids-2.3.0/jest-30.5.2/coverage-final.json"),
        "--json",
    ]);
    let h = rows
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["path"] == "hashids.ts")
        .expect("hashids.ts");
    assert_eq!(h["metrics"]["lines"], metric(112, 79, 70.53, "70.53"));
    assert_eq!(h["metrics"]["statements"], metric(116, 79, 68.1, "68.1"));
    assert_eq!(
        h["missing"],
        "40, 45, 50, 64, 127, 131-132, 139, 166-188, 234-240, 246-253, 262"
    );
}

#[test]
fn broken_istanbul_reports_exit_2_naming_the_file() {
    for name in [
        "truncated.coverage-final.json",
        "truncated.coverage-summary.json",
        "negative-count.coverage-final.json",
    ] {
        let path = fixture(&format!("_malformed/{name}"));
        let (code, out, err) = covgap(&["summary", &path, "--json"]);
        assert_eq!(code, 2, "{name}: {out}");
        assert!(err.contains(name), "{err}");
        assert!(err.contains("read as Istanbul coverage-"), "{err}");
    }
}
