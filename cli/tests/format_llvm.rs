//! `covgap summary --json` and `covgap files --json` on llvm-cov exports give llvm-cov's
//! own numbers (semver, `llvm-cov report`'s TOTAL: 2512 144 94.27% 137 10 92.70% 1465 72
//! 95.09% 0 0 -), and a broken export exits 2 naming the file.

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

const DIR: &str = "semver-1.0.28/llvm-cov-19.1.7_rustc-1.95.0";

#[test]
fn summary_json_equals_llvm_cov_report_total() {
    for file in ["llvm-cov-export.json", "llvm-cov-export-summary-only.json"] {
        let v = run_json(&["summary", &fixture(&format!("{DIR}/{file}")), "--json"]);
        assert_eq!(v["format"], "llvm-cov-json");
        assert_eq!(v["tool"], "llvm-cov");
        assert_eq!(v["format_version"], "2.0.1");
        assert_eq!(v["files"], 12);
        assert_eq!(v["headline"], "lines");
        assert_eq!(v["summary_only"], file.contains("summary-only"));
        let m = &v["metrics"];
        // llvm-cov report's column order (instantiations shown with
        // -show-instantiation-summary).
        let (_, out, _) = covgap(&["summary", &fixture(&format!("{DIR}/{file}")), "--json"]);
        let at = |k: &str| out.find(&format!("\"{k}\": {{")).expect(k);
        let order = [
            "regions",
            "functions",
            "instantiations",
            "lines",
            "branches",
        ];
        assert!(order.windows(2).all(|w| at(w[0]) < at(w[1])), "{out}");
        for (key, total, covered, display) in [
            ("regions", 2512, 2368, "94.27"),
            ("functions", 137, 127, "92.70"),
            ("instantiations", 253, 141, "55.73"),
            ("lines", 1465, 1393, "95.09"),
            ("branches", 0, 0, "-"),
        ] {
            assert_eq!(m[key]["total"], total, "{key}");
            assert_eq!(m[key]["covered"], covered, "{key}");
            assert_eq!(m[key]["display"], display, "{key}");
        }
        // The exact percent, llvm-cov's c / t * 100 (the export's own double).
        assert_eq!(m["lines"]["percent"], json!(95.08532423208192));
        assert_eq!(m["regions"]["percent"], json!(94.26751592356688));
    }
}

#[test]
fn files_json_rows_carry_llvm_covs_numbers() {
    let rows = run_json(&[
        "files",
        &fixture(&format!("{DIR}/llvm-cov-export.json")),
        "--json",
    ]);
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len(), 12);
    let d = rows
        .iter()
        .find(|r| r["path"] == "src/display.rs")
        .expect("display.rs");
    assert_eq!(d["metrics"]["lines"]["total"], 121);
    assert_eq!(d["metrics"]["lines"]["covered"], 97);
    assert_eq!(d["metrics"]["lines"]["display"], "80.17");
    assert_eq!(d["metrics"]["regions"]["display"], "71.35");
    assert_eq!(d["metrics"]["functions"]["display"], "75.00");
    assert_eq!(d["metrics"]["branches"]["display"], "-");
}

#[test]
fn broken_export_exits_2_naming_the_file() {
    for name in [
        "truncated.llvm-cov-export.json",
        "negative-count.llvm-cov-export.json",
        "wrong-type.llvm-cov-export.json",
    ] {
        let path = fixture(&format!("_malformed/{name}"));
        let (code, out, err) = covgap(&["summary", &path, "--json"]);
        assert_eq!(code, 2, "{name}: {out}");
        assert!(err.contains(name), "{err}");
        assert!(err.contains("read as llvm-cov export JSON"), "{err}");
    }
}
