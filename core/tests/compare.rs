//! Comparison and trend on real reports (packaging 24.1 → 25.0, and 25.0 against a run of
//! one test module) checked against the numbers coverage.py wrote, and on tiny hand-made
//! reports for the edge cases: added and removed files, changed statement sets,
//! zero-statement files. Plus golden files for the Markdown and CSV exports.

use covgap_core::analysis::compare::{
    compare as try_compare, sort_deltas, CompareFilter, CompareOptions, CompareSortKey, Comparison,
    FileDelta, FileStatus,
};
use covgap_core::analysis::gaps::Target;
use covgap_core::analysis::time::{baseline_first, OrderBasis};
use covgap_core::analysis::trend::{
    trend as try_trend, Projection, SlopeUnit, Trend, TrendOptions,
};
use covgap_core::export::compare::{comparison_csv, comparison_markdown};
use covgap_core::model::Source;
use covgap_core::{parse, Counts, FileCoverage, Metric, ParseOptions, Report};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn load(run: &str) -> Report {
    let path = fixtures().join(run).join("coverage.json");
    let bytes = std::fs::read(&path).expect("read fixture");
    parse(run, &bytes, ParseOptions::default()).unwrap_or_else(|e| panic!("{run}: {e}"))
}

fn compare(base: &Report, current: &Report, opts: CompareOptions) -> Comparison {
    try_compare(base, current, opts).expect("comparable")
}

fn trend(reports: &[&Report], opts: TrendOptions) -> Trend {
    try_trend(reports, opts).expect("a metric in common")
}

const V24: &str = "packaging-24.1/coveragepy-7.17.3-branch";
const V25: &str = "packaging-25.0/coveragepy-7.17.3-branch";
const SMALL: &str = "packaging-25.0/coveragepy-7.17.3-branch-contexts-small";

/// The MANIFEST's "JSON totals" of one fixture, as key → text value.
fn manifest_totals(section: &str) -> HashMap<String, String> {
    let manifest = std::fs::read_to_string(fixtures().join("MANIFEST.md")).expect("manifest");
    let mut current = "";
    for line in manifest.lines() {
        if let Some(s) = line.strip_prefix("## ") {
            current = s.trim();
        }
        if current != section {
            continue;
        }
        if let Some(kv) = line.strip_prefix("- JSON totals: ") {
            return kv
                .split(", ")
                .map(|p| {
                    let (k, v) = p.split_once('=').expect("k=v");
                    (k.to_string(), v.to_string())
                })
                .collect();
        }
    }
    panic!("no JSON totals for {section}");
}

fn int(m: &HashMap<String, String>, k: &str) -> i64 {
    m[k].parse().expect("integer")
}

fn float(m: &HashMap<String, String>, k: &str) -> f64 {
    m[k].parse().expect("float")
}

fn row<'a>(rows: &'a [FileDelta], path: &str) -> &'a FileDelta {
    rows.iter()
        .find(|r| r.path == path)
        .unwrap_or_else(|| panic!("{path} not in the comparison"))
}

#[test]
fn real_pair_totals_are_the_manifest_differences() {
    let c = compare(&load(V24), &load(V25), CompareOptions::default());
    let (b, k) = (manifest_totals(V24), manifest_totals(V25));
    let d = &c.totals.counts;
    let st = d.get(Metric::Statements).expect("statements");
    let br = d.get(Metric::Branches).expect("branches");
    for (ours, key) in [
        (st.total, "num_statements"),
        (st.covered, "covered_lines"),
        (st.missing, "missing_lines"),
        (d.excluded, "excluded_lines"),
        (br.total, "num_branches"),
        (br.covered, "covered_branches"),
        (br.missing, "missing_branches"),
        (d.partial_branches, "num_partial_branches"),
    ] {
        assert_eq!(ours, int(&k, key) - int(&b, key), "{key}");
    }
    // By hand from the MANIFEST: 1932 − 1787 statements, 650 − 594 branches, 70 − 68 excluded.
    assert_eq!((st.total, br.total, d.excluded, d.files), (145, 56, 2, 2));
    assert_eq!(c.metric, Metric::Combined);
    for (pd, key) in [
        (&c.totals.headline, "percent_covered"),
        (
            &c.totals.percent(Metric::Statements).expect("s"),
            "percent_statements_covered",
        ),
        (
            &c.totals.percent(Metric::Branches).expect("b"),
            "percent_branches_covered",
        ),
    ] {
        assert_eq!(pd.base, float(&b, key), "{key}");
        assert_eq!(pd.current, float(&k, key), "{key}");
        assert_eq!(pd.delta_pp, float(&k, key) - float(&b, key), "{key}");
    }
    assert_eq!(c.totals.headline.delta_pp, 0.0);
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

#[test]
fn real_pair_rows() {
    let c = compare(&load(V24), &load(V25), CompareOptions::default());
    assert_eq!(c.files.len(), 16);
    let s = c.summary;
    assert_eq!(
        (s.added, s.removed, s.changed, s.unchanged),
        (2, 0, 8, 6),
        "{s:?}"
    );
    assert_eq!((s.regressions, s.below_floor), (0, 0));
    assert!(!c.has_regressions() && !c.has_floor_breaches());

    // 25.0 adds the licenses package: 61 and 11 statements, all covered.
    for (path, covered) in [
        ("src/packaging/licenses/__init__.py", 61),
        ("src/packaging/licenses/_spdx.py", 11),
    ] {
        let r = row(&c.files, path);
        assert_eq!(r.status, FileStatus::Added);
        assert_eq!(
            (r.base_percent, r.current_percent, r.delta_pp),
            (None, Some(100.0), None)
        );
        assert_eq!((r.base_covered, r.current_covered), (None, Some(covered)));
        assert_eq!(r.covered_delta, covered as i64);
        assert!(!r.statements_changed && !r.regression && !r.below_floor);
    }
    // markers.py grew from 134 to 147 statements (EXPECTED-per-file.tsv of each run): its
    // lines moved, so no line-level delta.
    let m = row(&c.files, "src/packaging/markers.py");
    assert_eq!(m.status, FileStatus::Changed);
    assert_eq!((m.base_covered, m.current_covered), (Some(134), Some(147)));
    assert_eq!(m.covered_delta, 13);
    assert_eq!(m.delta_pp, Some(0.0));
    assert!(m.statements_changed);
    assert!(m.newly_missing.is_empty() && m.newly_covered.is_empty());
    // utils.py shrank: 84 → 72 statements, all covered.
    assert_eq!(row(&c.files, "src/packaging/utils.py").covered_delta, -12);
    // Files whose code did not move are unchanged.
    let r = row(&c.files, "src/packaging/requirements.py");
    assert_eq!(r.status, FileStatus::Unchanged);
    assert!(!r.statements_changed);

    // Rows are in human path order, like the main table.
    let paths: Vec<&str> = c.files.iter().map(|r| r.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort_by(|a, b| covgap_core::analysis::human_cmp(a, b));
    assert_eq!(paths, sorted);
    // Sum of the per-file covered deltas is the total's.
    let sum: i64 = c.files.iter().map(|r| r.covered_delta).sum();
    assert_eq!(
        sum,
        c.totals.counts.get(Metric::Statements).expect("s").covered
    );
}

/// `coverage report -m` of the small run: file → Missing column.
fn missing_column(run: &str) -> HashMap<String, String> {
    let text = std::fs::read_to_string(
        fixtures()
            .join(run)
            .join("coverage-report-full-precision2.txt"),
    )
    .expect("report");
    let mut out = HashMap::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("---") {
            inside = !inside;
            continue;
        }
        if inside {
            let name = line.split_whitespace().next().expect("name").to_string();
            let missing = line.split_once('%').map_or("", |(_, m)| m.trim());
            out.insert(name, missing.to_string());
        }
    }
    out
}

#[test]
fn regressions_against_a_one_module_run() {
    // The same code (25.0) measured by the full suite (100%) and by one test module (1.70%).
    let (base, cur) = (load(V25), load(SMALL));
    let c = compare(&base, &cur, CompareOptions::default());
    let (b, k) = (manifest_totals(V25), manifest_totals(SMALL));
    assert_eq!(
        c.totals.headline.delta_pp,
        float(&k, "percent_covered") - float(&b, "percent_covered")
    );
    assert_eq!(c.totals.headline.current, 1.7041053446940357);
    assert_eq!(
        c.totals.counts.get(Metric::Statements).expect("s").covered,
        44 - 1932
    );
    assert_eq!(
        c.totals.counts.get(Metric::Branches).expect("b").covered,
        -650
    );
    // 14 files fall from 100% to 0%; __init__.py and _structures.py stay at 100%.
    assert_eq!((c.summary.changed, c.summary.unchanged), (14, 2));
    assert_eq!((c.summary.regressions, c.summary.below_floor), (14, 14));

    // Same statements in both, so every line that is missing now was executed before: the
    // newly-missing ranges of a file now at 0% are exactly coverage.py's Missing column.
    let theirs = missing_column(SMALL);
    for r in c.files.iter().filter(|r| r.current_percent == Some(0.0)) {
        assert!(!r.statements_changed, "{}", r.path);
        assert_eq!(r.delta_pp, Some(-100.0));
        assert!(r.regression && r.below_floor, "{}", r.path);
        assert_eq!(r.newly_missing_ranges, theirs[&r.path], "{}", r.path);
        assert_eq!(
            r.newly_missing.len() as i64,
            -r.covered_delta,
            "{}: every lost statement is listed",
            r.path
        );
        assert!(r.newly_covered.is_empty());
    }
    assert_eq!(
        row(&c.files, "src/packaging/_elffile.py").newly_missing_ranges,
        "11-109"
    );

    // Thresholds: a fall of exactly 100 pp is not "more than 100"; a 0% floor is always met.
    let lenient = CompareOptions {
        metric: None,
        regression_pp: 100.0,
        floor: Target {
            percent: 0.0,
            precision: 0,
        },
    };
    let c = compare(&base, &cur, lenient);
    assert_eq!((c.summary.regressions, c.summary.below_floor), (0, 0));
    let c = compare(
        &base,
        &cur,
        CompareOptions {
            metric: None,
            regression_pp: 99.9,
            ..lenient
        },
    );
    assert_eq!(c.summary.regressions, 14);

    // Sorting by change puts the falls first; filtering keeps the flagged ones.
    let c = compare(&base, &cur, CompareOptions::default());
    let idx = sort_deltas(&c.files, CompareSortKey::Delta, false, CompareFilter::All);
    assert_eq!(c.files[idx[0]].delta_pp, Some(-100.0));
    assert_eq!(c.files[idx[15]].delta_pp, Some(0.0));
    let flagged = sort_deltas(
        &c.files,
        CompareSortKey::Name,
        false,
        CompareFilter::Flagged,
    );
    assert_eq!(flagged.len(), 14);
    let by_name_desc = sort_deltas(&c.files, CompareSortKey::Name, true, CompareFilter::All);
    assert_eq!(c.files[by_name_desc[0]].path, "src/packaging/version.py");
}

#[test]
fn baseline_is_the_older_report() {
    let (old, new) = (load(V24), load(V25));
    // 24.1 was written at 05:41:04, 25.0 at 05:42:06 (meta.timestamp).
    let o = baseline_first(&new, &old);
    assert!(o.swapped);
    assert_eq!(o.basis, OrderBasis::Timestamps);
    assert!(!baseline_first(&old, &new).swapped);
    let mut undated = new.clone();
    undated.source.timestamp = None;
    let o = baseline_first(&undated, &old);
    assert_eq!((o.swapped, o.basis), (false, OrderBasis::GivenOrder));
}

#[test]
fn tree_rolls_up_both_sides() {
    let (base, cur) = (load(V24), load(V25));
    let c = compare(&base, &cur, CompareOptions::default());
    let t = c.tree();
    assert_eq!(t.base, base.totals());
    assert_eq!(t.current, cur.totals());
    assert_eq!(t.delta_pp(&c), Some(0.0));
    let lic = t.find("src/packaging/licenses").expect("licenses dir");
    assert_eq!(lic.base.files, 0);
    assert_eq!(lic.base_percent(&c), None);
    assert_eq!(lic.delta_pp(&c), None);
    assert_eq!(
        (lic.current.files, lic.current.statements.total),
        (2, 61 + 11)
    );
    // Every file node points at its row.
    let file = t.find("src/packaging/markers.py").expect("markers");
    let r = &c.files[file.row.expect("a file")];
    assert_eq!(r.path, "src/packaging/markers.py");
    assert_eq!(t.directories().len(), 3); // root, src/packaging, licenses
}

// ---------------------------------------------------------------- hand-made reports

fn file(path: &str, executed: &[u32], missing: &[u32]) -> FileCoverage {
    FileCoverage {
        path: path.to_string(),
        counts: Counts::coveragepy(
            (executed.len() + missing.len()) as u64,
            executed.len() as u64,
            0,
            0,
        ),
        executed_lines: executed.to_vec(),
        missing_lines: missing.to_vec(),
        ..Default::default()
    }
}

fn report(files: Vec<FileCoverage>, timestamp: Option<&str>) -> Report {
    Report {
        source: Source {
            format_version: Some("3".into()),
            tool_version: Some("7.17.3".into()),
            timestamp: timestamp.map(String::from),
            ..Source::new("coverage.py-json", covgap_core::Tool::CoveragePy)
        },
        metrics: vec![Metric::Combined, Metric::Statements],
        root: None,
        files,
        declared_totals: None,
        warnings: Vec::new(),
    }
}

#[test]
fn added_removed_and_line_level_changes() {
    let base = report(
        vec![
            file("a.py", &[1, 2, 3], &[4, 5]),
            file("gone.py", &[1], &[2]),
            file("moved.py", &[1, 2], &[3]),
            file("same.py", &[1], &[]),
        ],
        None,
    );
    let cur = report(
        vec![
            file("a.py", &[1, 4, 5], &[2, 3]),
            file("moved.py", &[1, 2], &[4]),
            file("new.py", &[1], &[2, 3]),
            file("same.py", &[1], &[]),
        ],
        None,
    );
    let c = compare(&base, &cur, CompareOptions::default());
    let a = row(&c.files, "a.py");
    // Same statements 1-5: 2 and 3 were lost, 4 and 5 gained; 60% → 60%.
    assert_eq!(a.status, FileStatus::Changed);
    assert_eq!(a.newly_missing, [2, 3]);
    assert_eq!(a.newly_covered, [4, 5]);
    assert_eq!(
        (
            a.newly_missing_ranges.as_str(),
            a.newly_covered_ranges.as_str()
        ),
        ("2-3", "4-5")
    );
    assert_eq!(a.delta_pp, Some(0.0));
    assert!(!a.regression);

    // Same counts, but statement 3 became statement 4: different code, no line delta.
    let m = row(&c.files, "moved.py");
    assert_eq!(m.status, FileStatus::Changed);
    assert!(m.statements_changed);
    assert!(m.newly_missing.is_empty() && m.newly_covered.is_empty());
    assert_eq!(m.newly_missing_ranges, "");

    let g = row(&c.files, "gone.py");
    assert_eq!(g.status, FileStatus::Removed);
    assert_eq!((g.base_percent, g.current_percent), (Some(50.0), None));
    assert_eq!(g.covered_delta, -1);
    assert!(
        !g.regression && !g.below_floor,
        "a removed file is not judged"
    );

    // A new file at 33% starts below the 50% floor: flagged, though it cannot regress.
    let n = row(&c.files, "new.py");
    assert_eq!(n.status, FileStatus::Added);
    assert!(n.below_floor && !n.regression);
    assert_eq!(n.current_percent, Some(100.0 / 3.0));

    assert_eq!(row(&c.files, "same.py").status, FileStatus::Unchanged);
    let paths: Vec<&str> = c.files.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["a.py", "gone.py", "moved.py", "new.py", "same.py"]);
    assert_eq!(c.totals.counts.files, 0);
    // Covered: 3 + 1 + 2 + 1 before, 3 + 2 + 1 + 1 now.
    assert_eq!(
        c.totals.counts.get(Metric::Statements).expect("s").covered,
        0
    );
    assert_eq!(
        c.totals.counts.get(Metric::Statements).expect("s").total,
        12 - 11
    );
}

#[test]
fn only_a_drop_through_the_floor_is_flagged() {
    let base = report(
        vec![
            file("was_low.py", &[1], &[2, 3]),
            file("drops.py", &[1, 2, 3], &[4]),
            file("rounds_up.py", &[1, 2, 3, 4, 5, 6, 7, 8], &[9, 10]),
        ],
        None,
    );
    let cur = report(
        vec![
            // 33% → 25%: a regression, but it was already below 50%.
            file("was_low.py", &[1], &[2, 3, 4]),
            // 75% → 25%.
            file("drops.py", &[1], &[2, 3, 4]),
            // 80% → 49.5%, which rounds to 50 at precision 0: meets a 50% floor the way
            // coverage.py's fail_under would.
            file(
                "rounds_up.py",
                &(1..=99).collect::<Vec<u32>>(),
                &(100..=200).collect::<Vec<u32>>(),
            ),
        ],
        None,
    );
    let c = compare(&base, &cur, CompareOptions::default());
    // Still below: listed as below the floor, but not newly, so not flagged.
    let low = row(&c.files, "was_low.py");
    assert!(low.regression && low.below_floor && !low.newly_below_floor);
    let drops = row(&c.files, "drops.py");
    assert!(drops.regression && drops.below_floor && drops.newly_below_floor);
    assert_eq!((c.summary.below_floor, c.summary.newly_below_floor), (2, 1));
    let below: Vec<&str> = sort_deltas(
        &c.files,
        CompareSortKey::Name,
        false,
        CompareFilter::BelowFloor,
    )
    .into_iter()
    .map(|i| c.files[i].path.as_str())
    .collect();
    assert_eq!(below, ["drops.py", "was_low.py"]);
    assert_eq!(drops.delta_pp, Some(-50.0));
    let r = row(&c.files, "rounds_up.py");
    assert_eq!(r.current_percent, Some(49.5));
    assert!(r.regression && !r.below_floor);
    // At one decimal 49.5 < 50.0 fails.
    let strict = CompareOptions {
        floor: Target {
            percent: 50.0,
            precision: 1,
        },
        ..CompareOptions::default()
    };
    let r = row(&compare(&base, &cur, strict).files, "rounds_up.py").clone();
    assert!(r.below_floor && r.newly_below_floor);
}

#[test]
fn zero_statement_files_are_100_percent_not_nan() {
    let base = report(
        vec![
            file("pkg/__init__.py", &[], &[]),
            file("pkg/m.py", &[1], &[2]),
        ],
        None,
    );
    let cur = report(
        vec![
            file("pkg/__init__.py", &[], &[]),
            // All statements deleted: 0 statements is 100% by coverage.py's convention.
            file("pkg/m.py", &[], &[]),
            file("pkg/empty_new.py", &[], &[]),
        ],
        None,
    );
    let c = compare(&base, &cur, CompareOptions::default());
    for r in &c.files {
        for v in [r.base_percent, r.current_percent, r.delta_pp]
            .into_iter()
            .flatten()
        {
            assert!(v.is_finite(), "{}: {v}", r.path);
        }
    }
    let init = row(&c.files, "pkg/__init__.py");
    assert_eq!(init.status, FileStatus::Unchanged);
    assert_eq!(
        (init.base_percent, init.current_percent),
        (Some(100.0), Some(100.0))
    );
    let m = row(&c.files, "pkg/m.py");
    assert_eq!(m.delta_pp, Some(50.0));
    assert!(m.statements_changed && !m.regression);
    let e = row(&c.files, "pkg/empty_new.py");
    assert_eq!(
        (e.status, e.current_percent),
        (FileStatus::Added, Some(100.0))
    );
    assert!(!e.below_floor);
    // Totals 1/2 → 0/0: 50% → 100%.
    assert_eq!(c.totals.headline.delta_pp, 50.0);
    assert!(c
        .totals
        .percents
        .iter()
        .all(|(_, d)| d.delta_pp.is_finite()));
    let md = comparison_markdown(&c, 2);
    assert!(!md.contains("NaN") && !md.contains("inf"), "{md}");
    // Two empty reports compare cleanly too.
    let empty = compare(
        &report(vec![], None),
        &report(vec![], None),
        CompareOptions::default(),
    );
    assert!(empty.files.is_empty());
    assert_eq!(empty.totals.headline.delta_pp, 0.0);
    assert!(comparison_markdown(&empty, 2).contains("No file changed."));
}

#[test]
fn warnings_say_what_is_not_like_for_like() {
    let mut base = report(
        vec![file("a.py", &[1], &[]), file("a.py", &[1], &[2])],
        None,
    );
    let cur = report(vec![file("a.py", &[1], &[])], None);
    base.source.branch_coverage = true;
    let c = compare(&base, &cur, CompareOptions::default());
    assert_eq!(c.warnings.len(), 2, "{:?}", c.warnings);
    assert!(c.warnings[0].contains("branch coverage"));
    assert!(c.warnings[1].contains("\"a.py\" more than once"));
    // The first a.py is compared.
    assert_eq!(row(&c.files, "a.py").status, FileStatus::Unchanged);
    assert!(comparison_markdown(&c, 2).contains("> **Note:** the baseline lists"));
}

#[test]
fn hostile_names_are_escaped_in_markdown_and_csv() {
    let base = report(vec![file("=cmd|' /C calc'!A0.py", &[1], &[])], None);
    let cur = report(
        vec![file("<img src=x onerror=alert(1)>|.py", &[1], &[])],
        None,
    );
    let c = compare(&base, &cur, CompareOptions::default());
    let md = comparison_markdown(&c, 2);
    assert!(
        md.contains("&lt;img src=x onerror=alert(1)&gt;\\|.py"),
        "{md}"
    );
    assert!(!md.contains("<img"));
    let csv = comparison_csv(&c);
    assert!(csv.contains(",'=cmd|' /C calc'!A0.py,"), "{csv}");
}

// ---------------------------------------------------------------- invariants

const POOL: [&str; 6] = ["a.py", "b/c.py", "b/d.py", "e10.py", "e2.py", "f.py"];

/// A report over a subset of POOL: per path, maybe a file with lines 1..25 each executed,
/// missing or not a statement.
fn report_strategy() -> impl proptest::strategy::Strategy<Value = Report> {
    use proptest::prelude::*;
    prop::collection::vec(
        prop::option::of(prop::collection::vec(0u8..3, 0..25)),
        POOL.len(),
    )
    .prop_map(|slots| {
        let files = POOL
            .iter()
            .zip(slots)
            .filter_map(|(path, kinds)| {
                let kinds = kinds?;
                let line = |want: u8| -> Vec<u32> {
                    (1u32..)
                        .zip(&kinds)
                        .filter(|(_, k)| **k == want)
                        .map(|(l, _)| l)
                        .collect()
                };
                Some(file(path, &line(1), &line(2)))
            })
            .collect();
        report(files, None)
    })
}

proptest::proptest! {
    #[test]
    fn comparison_invariants(base in report_strategy(), cur in report_strategy()) {
        let c = compare(&base, &cur, CompareOptions::default());
        let s = c.summary;
        proptest::prop_assert_eq!(s.added + s.removed + s.changed + s.unchanged, c.files.len());
        let sum: i64 = c.files.iter().map(|r| r.covered_delta).sum();
        proptest::prop_assert_eq!(sum, c.totals.counts.get(Metric::Statements).expect("s").covered);
        let t = c.tree();
        proptest::prop_assert_eq!(t.base, base.totals());
        proptest::prop_assert_eq!(t.current, cur.totals());
        for r in &c.files {
            for v in [r.base_percent, r.current_percent].into_iter().flatten() {
                proptest::prop_assert!((0.0..=100.0).contains(&v));
            }
            let b = base.files.iter().find(|f| f.path == r.path);
            let k = cur.files.iter().find(|f| f.path == r.path);
            if let (Some(b), Some(k)) = (b, k) {
                if !r.statements_changed {
                    for l in &r.newly_missing {
                        proptest::prop_assert!(k.missing_lines.contains(l) && b.executed_lines.contains(l));
                    }
                    for l in &r.newly_covered {
                        proptest::prop_assert!(k.executed_lines.contains(l) && b.missing_lines.contains(l));
                    }
                    // Same statements: what is covered changes by gains minus losses.
                    proptest::prop_assert_eq!(
                        r.covered_delta,
                        r.newly_covered.len() as i64 - r.newly_missing.len() as i64
                    );
                }
            }
        }
        // Swapping the sides negates every change and swaps added with removed.
        let back = compare(&cur, &base, CompareOptions::default());
        proptest::prop_assert_eq!((back.summary.added, back.summary.removed), (s.removed, s.added));
        for (x, y) in c.files.iter().zip(&back.files) {
            proptest::prop_assert_eq!(&x.path, &y.path);
            proptest::prop_assert_eq!(x.delta_pp.map(|d| -d), y.delta_pp);
            proptest::prop_assert_eq!(&x.newly_missing, &y.newly_covered);
            proptest::prop_assert_eq!(x.covered_delta, -y.covered_delta);
        }
        // A report against itself: nothing changed, nothing flagged.
        let same = compare(&base, &base, CompareOptions::default());
        proptest::prop_assert_eq!(same.summary.unchanged, base.files.len());
        proptest::prop_assert!(!same.has_regressions() && !same.has_floor_breaches());
    }
}

// ---------------------------------------------------------------- trend

#[test]
fn trend_of_the_packaging_runs() {
    let (a, b, s) = (load(V24), load(V25), load(SMALL));
    // Given newest first; ordered by meta.timestamp.
    let t = trend(&[&s, &a, &b], TrendOptions::default());
    assert_eq!(t.basis, OrderBasis::Timestamps);
    assert_eq!(t.unit, SlopeUnit::Day);
    let order: Vec<usize> = t.points.iter().map(|p| p.report).collect();
    assert_eq!(order, [1, 2, 0]);
    let pcts: Vec<f64> = t.points.iter().map(|p| p.percent).collect();
    assert_eq!(pcts, [100.0, 100.0, 1.7041053446940357]);
    assert_eq!(t.points[0].date.as_deref(), Some("2026-11-21"));
    // 05:41:04.087732 → 05:42:06.854920 is 62.767188 s.
    assert!((t.points[1].x - 62.767188 / 86_400.0).abs() < 1e-12);
    // Falling fast: the 80% default target is not reachable at this pace.
    match &t.projection {
        Projection::NotReachable { slope } => {
            assert!(slope.pp_per_unit < 0.0);
            assert_eq!(slope.points, 3);
        }
        other => panic!("{other:?}"),
    }
    // 1.70 rounds to 2 ≥ 1: met.
    let t1 = trend(
        &[&a, &b, &s],
        TrendOptions {
            target: Target {
                percent: 1.0,
                precision: 0,
            },
            ..TrendOptions::default()
        },
    );
    assert_eq!(t1.projection, Projection::AlreadyMet);

    // Sparklines: licenses/_spdx.py is absent from 24.1, 100% in 25.0, 0% in the small run.
    let spdx = t
        .files
        .iter()
        .find(|f| f.path == "src/packaging/licenses/_spdx.py")
        .expect("spdx");
    assert_eq!(spdx.percents, [None, Some(100.0), Some(0.0)]);
    assert_eq!(t.files.len(), 16);
    // A directory's (or a plan phase's) series: the sum of its files at each point.
    let lic = t.series_for(|p| p.starts_with("src/packaging/licenses/"));
    assert_eq!(lic, [None, Some(100.0), Some(0.0)]);

    // Keeping the given order: per-report steps.
    let g = trend(
        &[&a, &s, &b],
        TrendOptions {
            by_timestamp: false,
            ..TrendOptions::default()
        },
    );
    assert_eq!(g.basis, OrderBasis::GivenOrder);
    assert_eq!(g.unit, SlopeUnit::Report);
    let xs: Vec<f64> = g.points.iter().map(|p| p.x).collect();
    assert_eq!(xs, [0.0, 1.0, 2.0]);
    // 100, 1.70, 100: the slope is 0 (the ends are equal), but 100 meets 80.
    assert_eq!(g.projection, Projection::AlreadyMet);
    assert_eq!(g.slope.expect("slope").pp_per_unit, 0.0);
}

#[test]
fn trend_projects_a_date_on_hand_made_reports() {
    // 50% on 2026-03-01, 60% on 2026-03-11: 1 pp/day; 80% needs 20 more days from the
    // 11th: 2026-03-31.
    let r1 = report(
        vec![file("a.py", &[1, 2, 3, 4, 5], &[6, 7, 8, 9, 10])],
        Some("2026-03-01T09:00:00.000000"),
    );
    let r2 = report(
        vec![file("a.py", &[1, 2, 3, 4, 5, 6], &[7, 8, 9, 10])],
        Some("2026-03-11T09:00:00.000000"),
    );
    let t = trend(&[&r2, &r1], TrendOptions::default());
    assert_eq!(t.slope.expect("slope").pp_per_unit, 1.0);
    match &t.projection {
        Projection::OnDate { date, days, .. } => {
            assert_eq!(date, "2026-03-31");
            assert_eq!(*days, 20.0);
        }
        other => panic!("{other:?}"),
    }
    // One report only: not enough data.
    let t = trend(&[&r1], TrendOptions::default());
    assert_eq!(t.projection, Projection::NotEnoughData);
    // Without timestamps: 10 pp per report, 20 pp to go = 2 reports.
    let (mut u1, mut u2) = (r1.clone(), r2.clone());
    u1.source.timestamp = None;
    u2.source.timestamp = Some("not a date".into());
    let t = trend(&[&u1, &u2], TrendOptions::default());
    assert_eq!(
        (t.basis, t.unit),
        (OrderBasis::GivenOrder, SlopeUnit::Report)
    );
    assert!(
        matches!(t.projection, Projection::AfterReports { reports: 2, .. }),
        "{:?}",
        t.projection
    );
}

// ---------------------------------------------------------------- golden files

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
        std::fs::write(&path, actual).expect("write golden");
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert_eq!(actual, expected, "{name} differs from its golden file");
}

#[test]
fn golden_packaging_24_1_to_25_0() {
    let c = compare(&load(V24), &load(V25), CompareOptions::default());
    golden("packaging-24.1-to-25.0.md", &comparison_markdown(&c, 2));
    golden("packaging-24.1-to-25.0.csv", &comparison_csv(&c));
}

#[test]
fn golden_packaging_full_to_one_module() {
    let c = compare(&load(V25), &load(SMALL), CompareOptions::default());
    golden(
        "packaging-25.0-full-to-one-module.md",
        &comparison_markdown(&c, 2),
    );
}
