//! The `covgap` binary's contract: its JSON equals coverage.py's own numbers key by key on
//! every fixture, its exit codes are 0 / 2, and its errors name the file.

mod common;
use common::covgap;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn reports() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in std::fs::read_dir(fixtures()).expect("fixtures") {
        let p = p.expect("entry").path();
        if p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('_'))
            || !p.is_dir()
        {
            continue;
        }
        for r in std::fs::read_dir(&p).expect("dir") {
            let r = r.expect("entry").path().join("coverage.json");
            if r.exists() {
                out.push(r);
            }
        }
    }
    assert_eq!(out.len(), 8);
    out
}

/// Every key coverage.py wrote in `summary` equals covgap's value for it.
fn assert_same(ours: &Value, theirs: &Value, ctx: &str) {
    let theirs = theirs.as_object().expect("object");
    for (k, v) in theirs {
        if k.ends_with("_display") && k != "percent_covered_display" {
            continue; // covgap shows these from the floats; not part of the contract
        }
        assert_eq!(ours.get(k), Some(v), "{ctx}: {k}");
    }
}

#[test]
fn summary_json_equals_coveragepy_totals() {
    for r in reports() {
        let path = r.to_str().expect("utf8");
        let (code, out, err) = covgap(&["summary", "--json", path]);
        assert_eq!(code, 0, "{err}");
        let ours: Value = serde_json::from_str(&out).expect("json");
        let theirs: Value =
            serde_json::from_slice(&std::fs::read(&r).expect("read")).expect("json");
        assert_same(&ours, &theirs["totals"], path);
        assert_eq!(
            ours["files"],
            theirs["files"].as_object().expect("files").len()
        );
        assert_eq!(ours["format"], "coverage.py-json");
        assert_eq!(ours["warnings"], Value::Array(vec![]));
        for key in [
            "percent_covered",
            "percent_statements_covered",
            "percent_branches_covered",
            "percent_covered_display",
        ] {
            assert!(ours.get(key).is_some(), "{key}");
        }
    }
}

#[test]
fn files_json_equals_coveragepy_per_file() {
    for r in reports() {
        let path = r.to_str().expect("utf8");
        let (code, out, err) = covgap(&["files", "--json", path]);
        assert_eq!(code, 0, "{err}");
        let ours: Vec<Value> = serde_json::from_str(&out).expect("json");
        let theirs: Value =
            serde_json::from_slice(&std::fs::read(&r).expect("read")).expect("json");
        let files = theirs["files"].as_object().expect("files");
        assert_eq!(ours.len(), files.len());
        for row in &ours {
            let p = row["path"].as_str().expect("path");
            assert_same(row, &files[p]["summary"], &format!("{path} {p}"));
            assert!(row["missing"].is_string());
        }
    }
}

#[test]
fn files_sorted_like_coverage_report() {
    // Name order is coverage.py's report order for these paths.
    let r = fixtures().join("jinja2-3.1.6/coveragepy-7.17.3-branch");
    let (_, out, _) = covgap(&[
        "files",
        "--format",
        "csv",
        r.join("coverage.json").to_str().expect("p"),
    ]);
    let ours: Vec<&str> = out
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().expect("cell"))
        .collect();
    let report =
        std::fs::read_to_string(r.join("coverage-report-full-precision2.txt")).expect("report");
    let theirs: Vec<&str> = report
        .lines()
        .skip_while(|l| !l.starts_with("---"))
        .skip(1)
        .take_while(|l| !l.starts_with("---"))
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(ours, theirs);
}

#[test]
fn gaps_json_total_matches_hand_calculation() {
    let r = fixtures().join("jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json");
    let (code, out, _) = covgap(&[
        "gaps",
        r.to_str().expect("p"),
        "--target",
        "95",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let rows: Vec<Value> = serde_json::from_str(&out).expect("json");
    let total = &rows[0];
    assert_eq!(total["scope"], "total");
    // (9738 + 1821 + k) / (10336 + 2200) must round to ≥ 95: 11559 + k ≥ 0.945 × 12536 = 11846.52.
    assert_eq!(total["statements_needed"], 288);
    assert_eq!(total["passes"], false);
    assert!(rows
        .iter()
        .any(|r| r["scope"] == "directory" && r["path"] == "src/jinja2"));
    assert_eq!(rows.iter().filter(|r| r["scope"] == "file").count(), 54);
    // Directory roll-up: src/jinja2 is the sum of its files.
    let dir_stmts: u64 = rows
        .iter()
        .filter(|r| {
            r["scope"] == "file"
                && r["path"]
                    .as_str()
                    .is_some_and(|p| p.starts_with("src/jinja2/"))
        })
        .map(|r| r["num_statements"].as_u64().expect("n"))
        .sum();
    let dir = rows
        .iter()
        .find(|r| r["path"] == "src/jinja2")
        .expect("dir");
    assert_eq!(dir["num_statements"], dir_stmts);
}

#[test]
fn bad_input_exits_2_naming_the_file() {
    let m = fixtures().join("_malformed");
    for name in [
        "json-null.coverage.json",
        "truncated-mid-token.coverage.json",
        // (A real Istanbul report in the coverage.py slot is now read as Istanbul.)
        "truncated.coverage-final.json",
    ] {
        let p = m.join(name);
        for cmd in ["summary", "files"] {
            let (code, out, err) = covgap(&[cmd, p.to_str().expect("p")]);
            assert_eq!(code, 2, "{name}");
            assert!(out.is_empty());
            assert!(err.contains(name), "{err}");
        }
    }
    let (code, _, err) = covgap(&["summary", "/no/such/file.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("/no/such/file.json"));
    let (code, _, _) = covgap(&["gaps", "x.json", "--target", "101"]);
    assert_eq!(code, 2);
}

#[test]
fn formats_render() {
    let r = fixtures().join("attrs-26.1.0/coveragepy-7.17.3-branch/coverage.json");
    let p = r.to_str().expect("p");
    let (_, md, _) = covgap(&["files", p, "--format", "md"]);
    assert!(md.starts_with(
        "| Name | Stmts | Miss | Branch | BrPart | Cover | Missing |\n| --- | ---: |"
    ));
    let (_, csv, _) = covgap(&["gaps", p, "--target", "100", "--format", "csv"]);
    assert!(csv.starts_with("Scope,Path,Stmts"));
    assert!(csv
        .lines()
        .nth(1)
        .expect("total")
        .starts_with("total,TOTAL,1831,8,"));
    let (_, text, _) = covgap(&["files", p, "--precision", "2"]);
    assert!(text.lines().last().expect("total").contains("99.48%"));
}
