//! `covgap summary` and `covgap files` on Cobertura XML: the writer's own numbers and
//! displays (gcovr's "79.7", Istanbul's "99.93"), and a broken file exits 2 naming itself.

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

const GCOVR: &str =
    "libargon2-from-argon2-cffi-bindings-26.2.0/gcovr-5.2_lcov-1.16_gcc-12.2.0/coverage.xml";

fn metric(v: &Value, m: &str) -> (u64, u64, String) {
    let x = &v["metrics"][m];
    (
        x["total"].as_u64().expect("total"),
        x["covered"].as_u64().expect("covered"),
        x["display"].as_str().expect("display").to_string(),
    )
}

#[test]
fn gcovr_summary_json() {
    let (code, out, err) = covgap(&["summary", "--json", &fixture(GCOVR)]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["format"], "cobertura-xml");
    assert_eq!(v["tool"], "gcovr");
    assert_eq!(v["tool_version"], "gcovr 5.2");
    assert_eq!(v["files"], 9);
    assert_eq!(v["headline"], "lines");
    // gcovr --print-summary: "lines: 79.7% (799 out of 1003)", "branches: 55.5% (326 out
    // of 587)".
    assert_eq!(metric(&v, "lines"), (1003, 799, "79.7".into()));
    assert_eq!(metric(&v, "branches"), (587, 326, "55.5".into()));
    assert_eq!(v["metrics"]["lines"]["percent"], 799.0 / 1003.0 * 100.0);
    assert_eq!(v["warnings"], Value::Array(vec![]));
}

#[test]
fn gcovr_files_json() {
    let (code, out, err) = covgap(&["files", "--json", &fixture(GCOVR)]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert_eq!(rows.len(), 9);
    let opt = rows
        .iter()
        .find(|r| r["path"] == "src/opt.c")
        .expect("opt.c");
    // gcovr-summary.txt: src/opt.c 84 lines, 83 executed (98.8, shown 98% in its table).
    assert_eq!(metric(opt, "lines"), (84, 83, "98.8".into()));
    assert_eq!(opt["missing"], "191");
    let h = rows
        .iter()
        .find(|r| r["path"] == "src/blake2/blamka-round-opt.h")
        .expect("blamka");
    assert_eq!(metric(h, "branches"), (0, 0, "--".into()));
}

#[test]
fn istanbul_summary_json() {
    let (code, out, err) = covgap(&[
        "summary",
        "--json",
        &fixture("qs-6.17.1/nyc-18.0.0/cobertura-coverage.xml"),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["tool"], "Istanbul");
    assert_eq!(v["files"], 10);
    assert_eq!(v["root"], "/build/js/qs/");
    // nyc's text-summary: Lines 99.93% (3204/3206), Functions 99.68% (625/627).
    assert_eq!(metric(&v, "lines"), (3206, 3204, "99.93".into()));
    assert_eq!(metric(&v, "functions"), (627, 625, "99.68".into()));
    // Branches on lines without a statement are in nyc's totals but in no file: said so.
    let w = v["warnings"].as_array().expect("warnings");
    assert!(w
        .iter()
        .any(|w| w.as_str().is_some_and(|s| s.contains("827 of 829"))));
    assert!(err.contains("827 of 829"), "{err}");
}

#[test]
fn coveragepy_xml_summary_json() {
    let (code, out, err) = covgap(&[
        "summary",
        "--json",
        &fixture("attrs-26.1.0/coveragepy-7.17.3-branch/coverage.xml"),
    ]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["tool"], "coverage.py");
    assert_eq!(v["format"], "cobertura-xml");
    assert_eq!(v["files"], 19);
    // coverage.py's JSON totals: percent_covered 99.48474038842647, shown "99".
    assert_eq!(v["percent_covered"], 99.48474038842647);
    assert_eq!(v["percent_covered_display"], "99");
    assert_eq!(metric(&v, "statements"), (1831, 1823, "99".into()));
    assert_eq!(metric(&v, "branches"), (692, 687, "99".into()));
    // The XML cannot tell excluded lines: the key is absent, never a made-up 0.
    assert!(v.get("excluded_lines").is_none(), "{v}");
}

#[test]
fn broken_cobertura_exits_2_naming_the_file() {
    for name in [
        "truncated.coverage.xml",
        "billion-laughs.coverage.xml",
        "mismatched-tags.coverage.xml",
    ] {
        let path = fixture(&format!("_malformed/{name}"));
        let (code, out, err) = covgap(&["summary", "--json", &path]);
        assert_eq!(code, 2, "{name}: {out}");
        assert!(err.contains(name), "{err}");
        assert!(err.contains("Cobertura XML"), "{err}");
    }
}
