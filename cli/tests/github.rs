//! GitHub Actions: `check` and `compare` append their Markdown to `GITHUB_STEP_SUMMARY`
//! (never overwrite it, never fail on it), and `--annotate` prints workflow commands,
//! escaped as GitHub's toolkit escapes them, after output fenced by `::stop-commands::`.

mod common;
use common::{covgap, covgap_env};

use serde_json::json;
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
const V25: &str = "packaging-25.0/coveragepy-7.17.3-branch";
const SMALL: &str = "packaging-25.0/coveragepy-7.17.3-branch-contexts-small";

/// A fresh temporary directory, removed when the test ends.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> TempDir {
        let dir =
            std::env::temp_dir().join(format!("covgap-github-test-{}-{tag}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }

    fn file(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).expect("write");
        p.display().to_string()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The workflow commands of an `--annotate` run: the lines after the fence closes.
/// Checks the fence: the output opens with `::stop-commands::TOKEN` and `::TOKEN::`
/// closes it.
fn commands(out: &str) -> Vec<String> {
    let first = out.lines().next().expect("output");
    let token = first
        .strip_prefix("::stop-commands::")
        .unwrap_or_else(|| panic!("not fenced: {out}"));
    assert!(token.len() >= 32, "{token}");
    let resume = format!("\n::{token}::\n");
    let at = out
        .find(&resume)
        .unwrap_or_else(|| panic!("fence not closed: {out}"));
    out[at + resume.len()..].lines().map(String::from).collect()
}

#[test]
fn the_job_summary_gets_check_and_compare_appended() {
    let dir = TempDir::new("summary");
    let summary = dir.file("summary.md", "# Earlier step\n\nkept\n");
    let env = [("GITHUB_STEP_SUMMARY", summary.as_str())];
    let (code, text, err) = covgap_env(
        &[
            "check",
            &fixture(JINJA2),
            "--plan",
            &example("jinja2-demo.plan.json"),
        ],
        &env,
    );
    assert_eq!(code, 1, "{err}");
    assert!(text.starts_with("plan "), "stdout keeps its format: {text}");
    let (code, _, err) = covgap_env(
        &[
            "compare",
            &fixture(V25),
            &fixture(SMALL),
            "--format",
            "json",
        ],
        &env,
    );
    assert_eq!(code, 1, "{err}");
    let md = std::fs::read_to_string(&summary).expect("summary");
    assert!(
        md.starts_with("# Earlier step\n\nkept\n"),
        "overwritten: {md}"
    );
    let check = md
        .find("### covgap check: ⏳ not passed — phase 1 of 3: ")
        .expect("check");
    let compare = md
        .find("### Coverage 100.00% → 1.70% (-98.30 pp)")
        .expect("compare");
    assert!(check < compare, "{md}");
    assert!(md.contains("| ⏳ unmet | bccache ≥ 80% (combined) | 80% | 58.50% |"));
    assert!(md.contains(
        "| ⚠️ regression, 🔻 newly below floor | src/packaging/\\_elffile.py | changed |"
    ));
    // Blocks are separated by an empty line, so the next one starts a new paragraph.
    assert!(md.contains("criteria unmet**\n\n### Coverage"), "{md}");
    // Other commands leave it alone.
    let before = md.len();
    let (code, _, _) = covgap_env(&["summary", &fixture(JINJA2)], &env);
    assert_eq!(code, 0);
    let (code, _, _) = covgap_env(
        &[
            "plan",
            &fixture(JINJA2),
            "--plan",
            &example("jinja2-demo.plan.json"),
        ],
        &env,
    );
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(&summary).expect("summary").len(),
        before
    );
}

#[test]
fn an_unwritable_summary_is_a_warning_not_a_failure() {
    let dir = TempDir::new("unwritable");
    // A directory cannot be opened for appending.
    let path = dir.0.display().to_string();
    let (code, out, err) = covgap_env(
        &[
            "check",
            &fixture(JINJA2),
            "--plan",
            &example("jinja2-demo.plan.json"),
        ],
        &[("GITHUB_STEP_SUMMARY", path.as_str())],
    );
    assert_eq!(code, 1, "the gate's verdict, not 2: {err}");
    assert!(out.contains("FAIL: 5 of 5 criteria unmet"), "{out}");
    assert!(
        err.contains("covgap: warning: GITHUB_STEP_SUMMARY (") && err.contains("cannot append"),
        "{err}"
    );
    // An empty value means no summary, quietly.
    let (code, _, err) = covgap_env(
        &["compare", &fixture(V25), &fixture(V25)],
        &[("GITHUB_STEP_SUMMARY", "")],
    );
    assert_eq!(code, 0);
    assert!(err.is_empty(), "{err}");
}

#[test]
fn compare_annotates_the_files_that_broke_the_floor() {
    let (code, out, err) = covgap(&["compare", &fixture(V25), &fixture(SMALL), "--annotate"]);
    assert_eq!(code, 1, "{err}");
    // The normal output comes first, inside the fence.
    assert!(out.contains("🔻 newly below floor"), "{out}");
    let cmds = commands(&out);
    assert_eq!(cmds.len(), 14, "{cmds:#?}");
    assert!(cmds
        .iter()
        .all(|c| c.starts_with("::error file=src/packaging/")));
    assert_eq!(
        cmds[0],
        "::error file=src/packaging/_elffile.py,title=covgap compare – newly below the 50%25 floor\
         ::src/packaging/_elffile.py dropped below the 50%25 floor: 100.00%25 → 0.00%25 (-100.00 pp)"
    );
    // With the floor at 0 nothing breaks it; the falls are warnings while they do not
    // fail the gate, and errors with --fail-on-regression.
    let (code, out, _) = covgap(&[
        "compare",
        &fixture(V25),
        &fixture(SMALL),
        "--floor",
        "0",
        "--annotate",
    ]);
    assert_eq!(code, 0);
    let cmds = commands(&out);
    assert_eq!(cmds.len(), 14);
    assert_eq!(
        cmds[0],
        "::warning file=src/packaging/_elffile.py,title=covgap compare – coverage fell\
         ::src/packaging/_elffile.py's coverage fell: 100.00%25 → 0.00%25 (-100.00 pp)"
    );
    let (code, out, _) = covgap(&[
        "compare",
        &fixture(V25),
        &fixture(SMALL),
        "--floor",
        "0",
        "--fail-on-regression",
        "5",
        "--annotate",
    ]);
    assert_eq!(code, 1);
    let cmds = commands(&out);
    assert!(
        cmds[0].starts_with("::error file=src/packaging/_elffile.py,title=covgap compare – coverage fell::src/packaging/_elffile.py's coverage fell by more than 5 pp: "),
        "{cmds:#?}"
    );
    // Nothing flagged: the fence and no command.
    let (code, out, _) = covgap(&["compare", &fixture(V25), &fixture(V25), "--annotate"]);
    assert_eq!(code, 0);
    assert!(commands(&out).is_empty(), "{out}");
    // Without --annotate, no fence and no command.
    let (_, out, _) = covgap(&["compare", &fixture(V25), &fixture(SMALL)]);
    assert!(!out.contains("::"), "{out}");
}

/// A coverage.py JSON report of one file with `covered` of 10 statements run.
fn one_file_report(path: &str, covered: u64) -> String {
    let executed: Vec<u64> = (1..=covered).collect();
    let missing: Vec<u64> = (covered + 1..=10).collect();
    let summary = json!({"covered_lines": covered, "num_statements": 10,
        "missing_lines": 10 - covered, "excluded_lines": 0});
    json!({"meta": {"format": 2, "version": "7.4.0", "branch_coverage": false},
        "files": {path: {"executed_lines": executed, "missing_lines": missing,
            "excluded_lines": [], "summary": summary}},
        "totals": summary})
    .to_string()
}

#[test]
fn hostile_file_names_are_escaped_and_cannot_inject_commands() {
    let dir = TempDir::new("hostile");
    let name = "src/a,b:c%d.py\n::error::pwned\r##[error]legacy";
    let base = dir.file("base.json", &one_file_report(name, 10));
    let current = dir.file("current.json", &one_file_report(name, 2));
    for format in ["text", "md", "csv", "json"] {
        let (code, out, err) =
            covgap(&["compare", &base, &current, "--annotate", "--format", format]);
        assert_eq!(code, 1, "{format}: {err}");
        let cmds = commands(&out);
        assert_eq!(
            cmds,
            [
                "::error file=src/a%2Cb%3Ac%25d.py%0A%3A%3Aerror%3A%3Apwned%0D##[error]legacy,\
                 title=covgap compare – newly below the 50%25 floor\
                 ::src/a,b:c%25d.py%0A::error::pwned%0D##[error]legacy dropped below the 50%25 \
                 floor: 100.00%25 → 20.00%25 (-80.00 pp)"
            ],
            "{format}: {out}"
        );
        // Whatever the format prints of the name stays inside the fence: after it, only
        // the one command.
        if format == "text" {
            let fence_end = out.find("\n::covgap-").expect("fence");
            assert!(out[..fence_end].contains("\n::error::pwned"), "{out}");
        }
    }
    // check: a plan whose floor the file breaks, by no_file_below_floor.
    let plan = dir.file(
        "plan.json",
        r#"{"version": 1, "target": 10, "floor": 50,
            "phases": [{"name": "floor, at last: 50%", "target": 10,
                        "exit": {"no_file_below_floor": true}}]}"#,
    );
    let (code, out, err) = covgap(&["check", &current, "--plan", &plan, "--annotate"]);
    assert_eq!(code, 1, "{err}");
    let cmds = commands(&out);
    assert_eq!(cmds.len(), 2, "{cmds:#?}");
    assert!(
        cmds[0].starts_with("::error title=covgap check – FAIL%3A 1 of 2 criteria unmet::phase 1 of 1: floor, at last: 50%25 (current phase)%0A⏳ unmet no file below 50%25 (combined): "),
        "{}",
        cmds[0]
    );
    assert_eq!(
        cmds[1],
        "::error file=src/a%2Cb%3Ac%25d.py%0A%3A%3Aerror%3A%3Apwned%0D##[error]legacy,\
         title=covgap check – below the 50%25 floor\
         ::src/a,b:c%25d.py%0A::error::pwned%0D##[error]legacy is at 20.00%25 (combined), \
         below the plan's 50%25 floor (unmet criterion: no file below 50%25 (combined))"
    );
}

#[test]
fn check_annotates_modules_that_match_no_file() {
    let dir = TempDir::new("typo");
    let plan = dir.file(
        "plan.json",
        r#"{"version": 1, "target": 50, "modules": [
            {"name": "sandbox", "path": "src/jinja2/sandbx.py"},
            {"name": "lexer", "path": "src/jinja2/lexer.py"}],
          "phases": [{"name": "one", "target": 50, "modules": ["lexer"]}]}"#,
    );
    let (code, out, _) = covgap(&["check", &fixture(JINJA2), "--plan", &plan, "--annotate"]);
    assert_eq!(code, 1);
    assert_eq!(
        commands(&out),
        [
            "::error title=covgap check – module matches no file::module sandbox \
          (src/jinja2/sandbx.py) matches no file in the report; did you mean \
          src/jinja2/sandbox.py?"
        ]
    );
    // A passing check has nothing to say.
    let ok = dir.file(
        "ok.json",
        r#"{"version": 1, "target": 50, "modules": [{"name": "lexer", "path": "src/jinja2/lexer.py"}]}"#,
    );
    let (code, out, _) = covgap(&["check", &fixture(JINJA2), "--plan", &ok, "--annotate"]);
    assert_eq!(code, 0);
    assert!(commands(&out).is_empty());
}
