//! `covgap summary` and `covgap files` on Go coverprofiles: `go tool cover -func`'s total
//! (87.8%), shown as Go shows it; a broken profile exits 2 naming the file.

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

#[test]
fn summary_json_equals_go_tool_cover_func() {
    for mode in ["count", "set"] {
        let path = fixture(&format!("gorilla-mux-1.8.0/go-1.19.8-{mode}/coverage.out"));
        let (code, out, err) = covgap(&["summary", "--json", &path]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(err, "");
        let v: Value = serde_json::from_str(&out).expect("json");
        assert_eq!(v["format"], "go-coverprofile");
        assert_eq!(v["tool"], "go");
        assert_eq!(v["files"], 5);
        assert_eq!(v["headline"], "statements");
        let s = &v["metrics"]["statements"];
        assert_eq!(s["total"], 576);
        assert_eq!(s["covered"], 506);
        assert_eq!(s["display"], "87.8");
        assert_eq!(s["percent"].as_f64(), Some(100.0 * 506.0 / 576.0));
        assert_eq!(v["metrics"].as_object().map(|m| m.len()), Some(1));
        assert_eq!(v["root"], Value::Null);
        assert_eq!(v["warnings"], Value::Array(vec![]));
    }
    let path = fixture("go-humanize-1.0.0/go-1.19.8-count/coverage.out");
    let (code, out, _) = covgap(&["summary", "--json", &path]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["files"], 11);
    assert_eq!(v["metrics"]["statements"]["display"], "100.0");
}

#[test]
fn files_json_rows_carry_metrics() {
    let path = fixture("gorilla-mux-1.8.0/go-1.19.8-count/coverage.out");
    let (code, out, err) = covgap(&["files", "--json", &path]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert_eq!(rows.len(), 5);
    let mut covered = 0;
    let mut total = 0;
    for r in &rows {
        assert!(r["path"]
            .as_str()
            .expect("path")
            .starts_with("github.com/gorilla/mux/"));
        let s = &r["metrics"]["statements"];
        covered += s["covered"].as_u64().expect("covered");
        total += s["total"].as_u64().expect("total");
        assert!(s["display"].is_string());
    }
    assert_eq!((covered, total), (506, 576));
    let helpers = rows
        .iter()
        .find(|r| r["path"] == "github.com/gorilla/mux/test_helpers.go")
        .expect("test_helpers.go");
    assert_eq!(helpers["metrics"]["statements"]["display"], "100.0");
}

#[test]
fn broken_profile_exits_2_naming_it() {
    for (name, what) in [
        ("truncated.coverage.out", "ends too early"),
        ("inconsistent-numstmt.coverage.out", "inconsistent NumStmt"),
    ] {
        let path = fixture(&format!("_malformed/{name}"));
        let (code, out, err) = covgap(&["summary", "--json", &path]);
        assert_eq!(code, 2, "{name}");
        assert_eq!(out, "");
        assert!(err.contains(name), "{err}");
        assert!(err.contains("Go coverprofile"), "{err}");
        assert!(err.contains(what), "{err}");
    }
}
