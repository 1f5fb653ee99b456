//! `covgap import`: a hand-written markdown plan in, a plan JSON that `covgap check`
//! accepts out; warnings with line numbers on stderr; exit 2 when nothing usable is found.

mod common;
use common::covgap;

use covgap_core::plan::parse_plan;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(rel: &str) -> String {
    root()
        .join("tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

/// A fresh temporary directory, removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("covgap-import-test-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn file(&self, name: &str) -> String {
        self.0.join(name).display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn imports_a_seed_plan_that_check_accepts() {
    let md = fixture("seed-plans/003_7431c420d4458ffd.md");
    let (code, out, err) = covgap(&["import", &md]);
    assert_eq!(code, 0, "{err}");
    let plan = parse_plan("stdout", &out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    assert_eq!(plan.target, 80.0);
    assert_eq!(plan.modules.len(), 6);
    assert_eq!(plan.phases.len(), 4);
    // Every skipped line is named: FILE:LINE: reason.
    assert!(
        err.contains(&format!(
            "{md}:303: could not express 'Test runtime remains under 5 minutes'"
        )),
        "{err}"
    );
    assert!(err.contains(&format!("{md}:4: ")), "{err}");
    let warnings = err
        .lines()
        .filter(|l| l.starts_with("covgap: warning: "))
        .count();
    assert_eq!(warnings, 18, "{err}");

    // The same plan written with -o, then used as a CI gate on a real report.
    let tmp = TempDir::new("seed003");
    let json = tmp.file("plan.json");
    let (code, out, err) = covgap(&["import", &md, "-o", &json]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("wrote "), "{err}");
    let written = std::fs::read_to_string(&json).expect("written");
    assert_eq!(parse_plan("plan.json", &written).expect("plan"), plan);

    let report = fixture("jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json");
    let (code, out, err) = covgap(&["check", &report, "--plan", &json]);
    // The plan is valid (not 2); its modules are not jinja2's, so whether the phase
    // passes is not the point here.
    assert!(code == 0 || code == 1, "exit {code}\n{out}\n{err}");
    assert!(out.contains(" of 4: Phase "), "{out}");
}

#[test]
fn explain_prints_what_was_understood() {
    let md = fixture("seed-plans/004_aa9e2a0f2956f631.md");
    let (code, _, err) = covgap(&["import", &md, "--explain"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains(&format!("covgap: understood: {md}:4: baseline 64.5%")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "covgap: warning: {md}:27: the plan states no overall target"
        )),
        "{err}"
    );
}

#[test]
fn no_target_and_unreadable_files_exit_2() {
    let md = fixture("seed-plans/000_4ec45890ade4d874.md");
    let (code, out, err) = covgap(&["import", &md]);
    assert_eq!(code, 2, "{out}{err}");
    assert!(out.is_empty());
    assert!(
        err.contains(&format!("covgap: {md}: no overall target found")),
        "{err}"
    );
    // With --target the same file imports.
    let (code, out, err) = covgap(&["import", &md, "--target", "80", "--prefix", "src/"]);
    assert_eq!(code, 0, "{err}");
    let plan = parse_plan("stdout", &out).expect("plan");
    assert_eq!(
        plan.modules.first().and_then(|m| m.path.as_deref()),
        Some("src/services/api/chart_executor.py")
    );

    let missing = fixture("plans-md/does-not-exist.md");
    let (code, _, err) = covgap(&["import", &missing]);
    assert_eq!(code, 2);
    assert!(err.contains(&format!("{missing}: cannot read")), "{err}");

    let tmp = TempDir::new("prose");
    let prose = tmp.file("notes.md");
    std::fs::write(&prose, "# Notes\n\nWe should write more tests.\n").expect("write");
    let (code, _, err) = covgap(&["import", &prose]);
    assert_eq!(code, 2);
    assert!(
        err.contains(&format!("{prose}: nothing usable found")),
        "{err}"
    );
}
