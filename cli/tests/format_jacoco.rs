//! `covgap summary` and `covgap files` on JaCoCo XML: JaCoCo's own counters and its HTML
//! report's floored percentages, and a broken file exits 2 naming itself.

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

const JACOCO: &str = "minimal-json-0.9.5/jacoco-0.8.6/jacoco.xml";

fn metric(v: &Value, m: &str) -> (u64, u64, String) {
    let x = &v["metrics"][m];
    (
        x["total"].as_u64().expect("total"),
        x["covered"].as_u64().expect("covered"),
        x["display"].as_str().expect("display").to_string(),
    )
}

#[test]
fn summary_json() {
    let (code, out, err) = covgap(&["summary", "--json", &fixture(JACOCO)]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["format"], "jacoco-xml");
    assert_eq!(v["tool"], "JaCoCo");
    assert_eq!(v["format_version"], "1.1");
    assert_eq!(v["files"], 15);
    assert_eq!(v["headline"], "instructions");
    // JaCoCo's HTML total row: 63 of 3,701 missed, 98%; 13 of 356, 96%; cxty 28/464;
    // lines 25/896; methods 15/280; classes 0/22.
    assert_eq!(metric(&v, "instructions"), (3701, 3638, "98".into()));
    assert_eq!(metric(&v, "branches"), (356, 343, "96".into()));
    assert_eq!(metric(&v, "complexity").0, 464);
    assert_eq!(metric(&v, "complexity").1, 464 - 28);
    assert_eq!(metric(&v, "lines").0, 896);
    assert_eq!(metric(&v, "lines").1, 896 - 25);
    assert_eq!(metric(&v, "methods").1, 280 - 15);
    assert_eq!(metric(&v, "classes"), (22, 22, "100".into()));
    assert_eq!(v["warnings"], Value::Array(vec![]));
}

#[test]
fn files_json() {
    let (code, out, err) = covgap(&["files", "--json", &fixture(JACOCO)]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<Value> = serde_json::from_str(&out).expect("json");
    assert_eq!(rows.len(), 15);
    let loc = rows
        .iter()
        .find(|r| r["path"] == "com/eclipsesource/json/Location.java")
        .expect("Location.java");
    // The HTML row of class Location: 10 of 66 instructions missed, 84%; branches 50%.
    assert_eq!(metric(loc, "instructions"), (66, 56, "84".into()));
    assert_eq!(metric(loc, "branches"), (12, 6, "50".into()));
    let handler = rows
        .iter()
        .find(|r| r["path"] == "com/eclipsesource/json/JsonHandler.java")
        .expect("JsonHandler.java");
    assert_eq!(metric(handler, "instructions"), (27, 15, "55".into()));
    assert_eq!(metric(handler, "branches"), (0, 0, "n/a".into()));
}

#[test]
fn broken_jacoco_exits_2_naming_the_file() {
    for name in [
        "truncated.jacoco.xml",
        "negative-counter.jacoco.xml",
        "xxe.jacoco.xml",
    ] {
        let path = fixture(&format!("_malformed/{name}"));
        let (code, out, err) = covgap(&["summary", "--json", &path]);
        assert_eq!(code, 2, "{name}: {out}");
        assert!(err.contains(name), "{err}");
        assert!(err.contains("JaCoCo XML"), "{err}");
    }
}
