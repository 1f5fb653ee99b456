//! `covgap compare` and `covgap trend`: exit codes 0 / 1 / 2, the JSON keys, and output
//! identical to the engine's golden files.

mod common;
use common::covgap;

use serde_json::Value;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn report(run: &str) -> String {
    fixtures()
        .join(run)
        .join("coverage.json")
        .to_str()
        .expect("utf8 path")
        .to_string()
}

const V24: &str = "packaging-24.1/coveragepy-7.17.3-branch";
const V25: &str = "packaging-25.0/coveragepy-7.17.3-branch";
const SMALL: &str = "packaging-25.0/coveragepy-7.17.3-branch-contexts-small";

#[test]
fn compare_json_has_the_documented_keys_and_exits_0() {
    let (code, out, err) = covgap(&["compare", &report(V24), &report(V25), "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["failed"], false);
    assert_eq!(v["order"], "given_order");
    let t = &v["totals"];
    // 1787 → 1932 statements (MANIFEST), all covered: 100% → 100%.
    assert_eq!(t["base"]["num_statements"], 1787);
    assert_eq!(t["current"]["num_statements"], 1932);
    assert_eq!(t["delta"]["metrics"]["statements"]["covered"], 145);
    assert_eq!(t["metric"], "combined");
    assert_eq!(t["current_metrics"]["statements"]["total"], 1932);
    assert_eq!(t["percent_covered"]["delta_pp"], 0.0);
    for key in ["percent_statements_covered", "percent_branches_covered"] {
        assert!(
            t[key]["base"].is_f64() && t[key]["delta_pp"].is_f64(),
            "{key}"
        );
    }
    let files = v["files"].as_array().expect("files");
    assert_eq!(files.len(), 16);
    for row in files {
        for key in [
            "path",
            "status",
            "base_percent",
            "current_percent",
            "delta_pp",
            "base_covered",
            "current_covered",
            "newly_missing",
            "newly_covered",
        ] {
            assert!(row.get(key).is_some(), "{key} missing in {row}");
        }
        let status = row["status"].as_str().expect("status");
        assert!(
            ["added", "removed", "changed", "unchanged"].contains(&status),
            "{status}"
        );
    }
    let spdx = files
        .iter()
        .find(|r| r["path"] == "src/packaging/licenses/_spdx.py")
        .expect("spdx");
    assert_eq!(spdx["status"], "added");
    assert_eq!(spdx["base_percent"], Value::Null);
    assert_eq!(spdx["current_covered"], 11);
    assert_eq!(v["summary"]["added"], 2);
}

#[test]
fn compare_exits_1_when_a_file_drops_below_the_floor() {
    // Full suite (100%) → one test module (1.70%): 14 files fall to 0%.
    let (code, out, err) = covgap(&["compare", &report(V25), &report(SMALL), "--json"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("14 file(s) dropped below the 50% floor"),
        "{err}"
    );
    let v: Value = serde_json::from_str(&out).expect("the report is still printed");
    assert_eq!(v["failed"], true);
    assert_eq!(v["summary"]["below_floor"], 14);
    let elf = v["files"]
        .as_array()
        .expect("files")
        .iter()
        .find(|r| r["path"] == "src/packaging/_elffile.py")
        .expect("elffile");
    assert_eq!(elf["delta_pp"], -100.0);
    assert_eq!(elf["base_covered"], 54);
    assert_eq!(elf["current_covered"], 0);
    assert_eq!(elf["newly_missing"].as_array().expect("lines").len(), 54);
    assert_eq!(elf["newly_missing"][0], 11);
}

#[test]
fn fail_on_regression_threshold() {
    let (base, cur) = (report(V25), report(SMALL));
    // A 0% floor always holds; without --fail-on-regression falls are shown, not failed.
    let (code, out, _) = covgap(&["compare", &base, &cur, "--floor", "0"]);
    assert_eq!(code, 0);
    assert!(out.contains("⚠️ regression: 14 file(s)"), "{out}");
    // Falls of exactly 100 pp are more than 99.9 but not more than 100.
    let (code, _, err) = covgap(&[
        "compare",
        &base,
        &cur,
        "--floor",
        "0",
        "--fail-on-regression",
        "99.9",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("14 file(s) fell by more than 99.9 pp"),
        "{err}"
    );
    let (code, _, _) = covgap(&[
        "compare",
        &base,
        &cur,
        "--floor",
        "0",
        "--fail-on-regression",
        "100",
    ]);
    assert_eq!(code, 0);
    // The other way round everything improves.
    let (code, _, _) = covgap(&["compare", &cur, &base, "--fail-on-regression", "0"]);
    assert_eq!(code, 0);
}

#[test]
fn compare_bad_input_exits_2_naming_the_file() {
    let good = report(V24);
    let broken = fixtures().join("_malformed/truncated-mid-token.coverage.json");
    let broken = broken.to_str().expect("utf8");
    let (code, out, err) = covgap(&["compare", &good, broken]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("truncated-mid-token.coverage.json"), "{err}");
    let (code, _, err) = covgap(&["compare", "no-such-report.json", &good]);
    assert_eq!(code, 2);
    assert!(err.contains("no-such-report.json"), "{err}");
    for bad in [
        ["--floor", "abc"],
        ["--floor", "101"],
        ["--fail-on-regression", "-1"],
    ] {
        let (code, _, err) = covgap(&["compare", &good, &good, bad[0], bad[1]]);
        assert_eq!(code, 2, "{bad:?}: {err}");
    }
    let (code, _, _) = covgap(&["compare", &good]);
    assert_eq!(code, 2);
}

#[test]
fn markdown_and_csv_equal_the_engine_golden_files() {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/golden");
    for (format, file) in [
        ("md", "packaging-24.1-to-25.0.md"),
        ("csv", "packaging-24.1-to-25.0.csv"),
    ] {
        let (code, out, err) = covgap(&["compare", &report(V24), &report(V25), "--format", format]);
        assert_eq!(code, 0, "{err}");
        let want = std::fs::read_to_string(golden.join(file)).expect("golden");
        assert_eq!(out, want, "{format}");
    }
}

#[test]
fn by_time_picks_the_older_report_as_baseline() {
    let (old, new) = (report(V24), report(V25));
    // Given newest first: a note, and the given order stands.
    let (code, out, err) = covgap(&["compare", &new, &old, "--json"]);
    assert_eq!(code, 0);
    assert!(err.contains("--by-time"), "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["summary"]["removed"], 2);
    // With --by-time, 24.1 (05:41:04) is the baseline.
    let (code, out, err) = covgap(&["compare", &new, &old, "--json", "--by-time"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["order"], "timestamps");
    assert_eq!(v["base"], old.as_str());
    assert_eq!(v["summary"]["added"], 2);
}

#[test]
fn trend_orders_by_time_and_projects() {
    let (a, b, s) = (report(V24), report(V25), report(SMALL));
    let (code, out, err) = covgap(&["trend", &s, &a, &b, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["basis"], "timestamps");
    assert_eq!(v["unit"], "day");
    let order: Vec<u64> = v["points"]
        .as_array()
        .expect("points")
        .iter()
        .map(|p| p["report"].as_u64().expect("index"))
        .collect();
    assert_eq!(order, [1, 2, 0]);
    // Checked on the text: serde_json without float_roundtrip may read it one ulp off.
    assert!(out.contains("\"percent\": 1.7041053446940357"), "{out}");
    assert!(
        v["projection"].get("not_reachable").is_some(),
        "{}",
        v["projection"]
    );
    assert_eq!(v["files"].as_array().expect("files").len(), 16);

    let (code, out, _) = covgap(&["trend", &s, &a, &b]);
    assert_eq!(code, 0);
    assert!(out.contains("80% is not reachable at this pace"), "{out}");
    assert!(
        out.starts_with("Reports oldest first by meta.timestamp"),
        "{out}"
    );
    let (code, out, _) = covgap(&["trend", &a, &b, "--target", "90"]);
    assert_eq!(code, 0);
    assert!(out.contains("The target of 90% is already met."), "{out}");

    let (code, _, err) = covgap(&["trend", &a, "missing.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.json"), "{err}");
    let (code, _, _) = covgap(&["trend"]);
    assert_eq!(code, 2);
}
