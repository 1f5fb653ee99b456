//! Every real coverage.py report in tests/fixtures, read by covgap and compared with the
//! numbers coverage.py itself wrote and printed: the JSON summaries, `coverage report
//! --precision=2` (rows, TOTAL and the Missing column) and the MANIFEST's totals.

use covgap_core::analysis::missing_ranges;
use covgap_core::display::display_percent;
use covgap_core::rules::COVERAGEPY;
use covgap_core::{parse, Counts, Metric, ParseOptions, Report};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// Every coverage.py fixture folder (those with a coverage.json).
fn coveragepy_dirs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for project in std::fs::read_dir(fixtures()).expect("fixtures dir") {
        let project = project.expect("entry").path();
        if !project.is_dir()
            || project
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('_'))
        {
            continue;
        }
        for run in std::fs::read_dir(&project).expect("project dir") {
            let run = run.expect("entry").path();
            if run.join("coverage.json").exists() {
                out.push(run);
            }
        }
    }
    out.sort();
    assert!(
        out.len() >= 8,
        "expected the 8 coverage.py fixtures, found {}",
        out.len()
    );
    out
}

fn load(dir: &Path, regions: bool) -> Report {
    let bytes = std::fs::read(dir.join("coverage.json")).expect("read coverage.json");
    parse("coverage.json", &bytes, ParseOptions { regions })
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
}

/// EXPECTED-per-file.tsv as (file → column → value).
fn expected(dir: &Path) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(dir.join("EXPECTED-per-file.tsv")).expect("tsv");
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines
        .map(|l| {
            header
                .iter()
                .map(|h| h.to_string())
                .zip(l.split('\t').map(String::from))
                .collect()
        })
        .collect()
}

/// `coverage report -m --precision=2`: file → (row tokens before the Missing column, Missing).
fn report_rows(dir: &Path) -> HashMap<String, (String, String)> {
    let text =
        std::fs::read_to_string(dir.join("coverage-report-full-precision2.txt")).expect("report");
    let mut rows = HashMap::new();
    let mut in_table = false;
    for line in text.lines() {
        if line.starts_with("---") {
            in_table = !in_table;
            continue;
        }
        if !in_table {
            continue;
        }
        let name = line.split_whitespace().next().expect("name").to_string();
        let (left, missing) = match line.find('%') {
            Some(i) => (&line[..=i], line[i + 1..].trim()),
            None => (line, ""),
        };
        let cover = left.split_whitespace().last().expect("cover").to_string();
        rows.insert(name, (cover, missing.to_string()));
    }
    rows
}

fn num(row: &HashMap<String, String>, key: &str) -> u64 {
    row.get(key)
        .map_or(0, |v| v.parse().unwrap_or_else(|_| panic!("{key}={v}")))
}

fn pc(c: &Counts) -> f64 {
    COVERAGEPY.percent(c, Metric::Combined)
}

fn ps(c: &Counts) -> f64 {
    COVERAGEPY.percent(c, Metric::Statements)
}

fn pb(c: &Counts) -> f64 {
    COVERAGEPY.percent(c, Metric::Branches)
}

#[test]
fn every_file_equals_coveragepy() {
    for dir in coveragepy_dirs() {
        let report = load(&dir, false);
        assert!(
            report.warnings.is_empty(),
            "{}: {:?}",
            dir.display(),
            report.warnings
        );
        let rows = expected(&dir);
        let text_rows = report_rows(&dir);
        assert_eq!(report.files.len(), rows.len(), "{}", dir.display());
        let by_path: HashMap<&str, _> = report.files.iter().map(|f| (f.path.as_str(), f)).collect();
        for row in &rows {
            let path = &row["file"];
            let f = by_path
                .get(path.as_str())
                .unwrap_or_else(|| panic!("{path} missing"));
            let c = &f.counts;
            let ctx = format!("{} {path}", dir.display());
            assert_eq!(c.statements.total, num(row, "json.num_statements"), "{ctx}");
            assert_eq!(
                c.statements.covered,
                num(row, "json.covered_lines"),
                "{ctx}"
            );
            assert_eq!(
                c.statements.missing(),
                num(row, "json.missing_lines"),
                "{ctx}"
            );
            assert_eq!(c.excluded, num(row, "json.excluded_lines"), "{ctx}");
            assert_eq!(c.branches.total, num(row, "json.num_branches"), "{ctx}");
            assert_eq!(
                c.partial_branches,
                num(row, "json.num_partial_branches"),
                "{ctx}"
            );
            assert_eq!(
                c.branches.covered,
                num(row, "json.covered_branches"),
                "{ctx}"
            );
            assert_eq!(
                c.branches.missing(),
                num(row, "json.missing_branches"),
                "{ctx}"
            );
            // Bit-for-bit the same float coverage.py computed.
            let want_pc: f64 = row["json.percent_covered"].parse().expect("pc");
            assert_eq!(pc(c), want_pc, "{ctx}");
            assert_eq!(
                display_percent(pc(c), 0),
                row["json.percent_covered_display"],
                "{ctx}"
            );
            for (key, ours) in [
                ("json.percent_statements_covered", ps(c)),
                ("json.percent_branches_covered", pb(c)),
            ] {
                if let Some(v) = row.get(key).filter(|v| *v != "None") {
                    assert_eq!(ours, v.parse::<f64>().expect("float"), "{ctx} {key}");
                }
            }
            // The text report's row: same counts, same 2-decimal display, same Missing column.
            assert_eq!(c.statements.total, num(row, "report_p2.Stmts"), "{ctx}");
            assert_eq!(c.statements.missing(), num(row, "report_p2.Miss"), "{ctx}");
            assert_eq!(
                format!("{}%", display_percent(pc(c), 2)),
                row["report_p2.Cover"],
                "{ctx}"
            );
            let (cover, missing) = &text_rows[path.as_str()];
            assert_eq!(&format!("{}%", display_percent(pc(c), 2)), cover, "{ctx}");
            assert_eq!(
                &missing_ranges(f, report.source.branch_coverage),
                missing,
                "{ctx}: Missing column"
            );
        }
    }
}

/// The MANIFEST's "JSON totals" line of each fixture, and the TOTAL of the text report.
#[test]
fn totals_equal_manifest() {
    let manifest = std::fs::read_to_string(fixtures().join("MANIFEST.md")).expect("manifest");
    let mut section = String::new();
    let mut checked = 0;
    for line in manifest.lines() {
        if let Some(s) = line.strip_prefix("## ") {
            section = s.trim().to_string();
        }
        let Some(kv) = line.strip_prefix("- JSON totals: ") else {
            continue;
        };
        let dir = fixtures().join(&section);
        let report = load(&dir, false);
        let t = report.totals();
        assert_eq!(Some(t), report.declared_totals, "{section}");
        for pair in kv.split(", ") {
            let (k, v) = pair.split_once('=').expect("k=v");
            let ctx = format!("{section} {k}");
            match k {
                "percent_covered" => {
                    assert_eq!(pc(&t), v.parse::<f64>().expect("f"), "{ctx}")
                }
                "percent_covered_display" => {
                    assert_eq!(format!("'{}'", display_percent(pc(&t), 0)), v, "{ctx}")
                }
                "percent_statements_covered" => {
                    assert_eq!(ps(&t), v.parse::<f64>().expect("f"), "{ctx}")
                }
                "percent_branches_covered" => {
                    assert_eq!(pb(&t), v.parse::<f64>().expect("f"), "{ctx}")
                }
                _ => {
                    let want: u64 = v.parse().unwrap_or_else(|_| panic!("{ctx}={v}"));
                    let got = match k {
                        "num_statements" => t.statements.total,
                        "covered_lines" => t.statements.covered,
                        "missing_lines" => t.statements.missing(),
                        "excluded_lines" => t.excluded,
                        "num_branches" => t.branches.total,
                        "covered_branches" => t.branches.covered,
                        "missing_branches" => t.branches.missing(),
                        "num_partial_branches" => t.partial_branches,
                        other => panic!("unknown MANIFEST key {other}"),
                    };
                    assert_eq!(got, want, "{ctx}");
                }
            }
        }
        // `coverage report --format=total --precision=2` printed this (last line).
        let total = std::fs::read_to_string(dir.join("coverage-report-total.txt")).expect("total");
        let last = total
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .expect("line");
        // coverage.py 6.5 has no --format=total: its file holds the usage error instead.
        if last.trim().parse::<f64>().is_ok() {
            assert_eq!(display_percent(pc(&t), 2), last.trim(), "{section}");
        }
        checked += 1;
    }
    assert_eq!(checked, 8, "every coverage.py fixture in the MANIFEST");
}

#[test]
fn regions_are_optional_and_agree() {
    for dir in coveragepy_dirs() {
        let lite = load(&dir, false);
        let full = load(&dir, true);
        assert_eq!(lite.totals(), full.totals());
        assert!(lite.files.iter().all(|f| f.regions.is_empty()));
        let meta_format = full.source.format_version;
        let has_regions = full.files.iter().any(|f| !f.regions.is_empty());
        // Regions exist from coverage.py 7.6 (format 3) on.
        assert_eq!(
            has_regions,
            meta_format.as_deref() == Some("3"),
            "{}",
            dir.display()
        );
        for f in &full.files {
            for r in &f.regions {
                assert!(
                    r.counts.statements.total <= f.counts.statements.total,
                    "{} {}",
                    f.path,
                    r.name
                );
            }
        }
    }
}

#[test]
fn versions_and_contexts() {
    let v = |p: &str| load(&fixtures().join(p), false).source;
    assert_eq!(
        v("packaging-25.0/coveragepy-6.5.0-branch").format_version,
        Some("1".to_string())
    );
    assert_eq!(
        v("packaging-25.0/coveragepy-7.4.4-branch").format_version,
        Some("2".to_string())
    );
    assert_eq!(
        v("packaging-25.0/coveragepy-7.17.3-branch").format_version,
        Some("3".to_string())
    );
    assert!(!v("more-itertools-11.2.1/coveragepy-7.17.3-statements").branch_coverage);
    let ctx = load(
        &fixtures().join("packaging-25.0/coveragepy-7.17.3-branch-contexts-small"),
        false,
    );
    assert!(ctx.source.show_contexts);
    assert!(ctx.files.iter().any(|f| !f.contexts.is_empty()));
}
