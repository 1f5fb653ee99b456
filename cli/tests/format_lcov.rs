//! `covgap summary` and `covgap files` on LCOV tracefiles: lcov --summary's and genhtml's
//! own numbers (libargon2), shown as genhtml shows them; a broken tracefile exits 2 naming
//! the file.

mod common;
use common::covgap;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixture(rel: &str) -> String {
    let p: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(rel);
    p.to_str().expect("utf8").to_string()
}

const ARGON2: &str =
    "libargon2-from-argon2-cffi-bindings-26.2.0/gcovr-5.2_lcov-1.16_gcc-12.2.0/coverage.info";

fn metric(v: &Value, name: &str) -> (u64, u64, String) {
    let m = &v["metrics"][name];
    (
        m["covered"].as_u64().expect("covered"),
        m["total"].as_u64().expect("total"),
        m["display"].as_str().expect("display").to_string(),
    )
}

#[test]
fn summary_json_equals_lcov_summary() {
    let (code, out, err) = covgap(&["summary", "--json", &fixture(ARGON2)]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["format"], "lcov");
    assert_eq!(v["tool"], "lcov");
    assert_eq!(v["files"], 12);
    assert_eq!(v["headline"], "lines");
    // lcov --summary: 80.0% (827 of 1034 lines), 68.2% (45 of 66 functions),
    // 55.4% (341 of 615 branches).
    assert_eq!(metric(&v, "lines"), (827, 1034, "80.0".into()));
    assert_eq!(metric(&v, "functions"), (45, 66, "68.2".into()));
    assert_eq!(metric(&v, "branches"), (341, 615, "55.4".into()));
    assert_eq!(v["metrics"].as_object().map(|m| m.len()), Some(3));
    // In genhtml's order: lines, functions, branches.
    let (l, f, b) = (
        out.find("\"lines\"").expect("lines"),
        out.find("\"functions\"").expect("functions"),
        out.find("\"branches\"").expect("branches"),
    );
    assert!(l < f && f < b, "{out}");
    assert_eq!(v["root"], "/build/libargon2/src/");
    assert_eq!(v["warnings"], Value::Array(vec![]));
    assert_eq!(v["branch_coverage"], true);
}

#[test]
fn files_json_rows_carry_metrics() {
    let (code, out, err) = covgap(&["files", "--json", &fixture(ARGON2)]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert_eq!(rows.len(), 12);
    let core = rows.iter().find(|r| r["path"] == "core.c").expect("core.c");
    for m in ["lines", "functions", "branches"] {
        assert!(core["metrics"][m]["display"].is_string(), "{m}");
    }
    // A header without functions shows "-", as genhtml does.
    let h = rows
        .iter()
        .find(|r| r["path"] == "/usr/include/x86_64-linux-gnu/bits/stdio2.h")
        .expect("stdio2.h");
    assert_eq!(h["metrics"]["functions"]["display"], "-");
    // The rows add up to lcov's totals.
    let sum = |m: &str, k: &str| -> u64 {
        rows.iter()
            .map(|r| r["metrics"][m][k].as_u64().expect("n"))
            .sum()
    };
    assert_eq!(
        (sum("lines", "covered"), sum("lines", "total")),
        (827, 1034)
    );
    assert_eq!(
        (sum("branches", "covered"), sum("branches", "total")),
        (341, 615)
    );
}

#[test]
fn llvm_cov_lcov_warns_with_llvm_covs_own_figures() {
    let path = fixture("semver-1.0.28/llvm-cov-19.1.7_rustc-1.95.0/lcov.info");
    let (code, out, err) = covgap(&["summary", "--json", &path]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(metric(&v, "lines"), (1386, 1457, "95.1".into()));
    assert_eq!(metric(&v, "functions"), (141, 253, "55.7".into()));
    let w = v["warnings"][0].as_str().expect("a warning");
    assert!(w.contains("declared: lines 1393 of 1465"), "{w}");
    assert!(
        err.contains("warning") && err.contains("lcov.info"),
        "{err}"
    );
}

#[test]
fn broken_tracefile_exits_2_naming_it() {
    let path = fixture("_malformed/truncated.coverage.lcov");
    let (code, out, err) = covgap(&["summary", "--json", &path]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.contains("truncated.coverage.lcov"), "{err}");
    assert!(err.contains("LCOV tracefile"), "{err}");
    assert!(err.contains("ends too early"), "{err}");
}
