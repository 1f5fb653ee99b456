//! The source view's core against real reports and the real sources they measured
//! (tests/sources/): matching a folder to a report, every line's status against the
//! report's own line lists and htmlcov's index, contexts, and the warnings when the source
//! is not the measured code.

use covgap_core::model::{FileCoverage, LineBranches, Region, RegionKind};
use covgap_core::source::{
    annotate_in, annotate_with, match_report, match_sources, AnnotateOptions, LineStatus,
    SourceWarning,
};
use covgap_core::{parse, ParseOptions, Report, Tool};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn report(rel: &str) -> Report {
    let p = root().join("tests/fixtures").join(rel);
    let bytes = std::fs::read(&p).expect("fixture");
    parse(rel, &bytes, ParseOptions { regions: true }).expect("parses")
}

/// Every file below `tests/sources/<tree>`, as a folder picker lists them: relative to
/// the folder's parent, so the first component is the folder's own name.
fn folder(tree: &str) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .expect("dir")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                let rel = p.strip_prefix(base).expect("under base");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let base = root().join("tests/sources");
    let mut out = Vec::new();
    walk(&base, &base.join(tree), &mut out);
    out
}

fn read_source(rel: &str) -> String {
    let bytes = std::fs::read(root().join("tests/sources").join(rel)).expect("source");
    String::from_utf8(bytes).expect("utf-8")
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// The status coverage.py's lists give line `n`: excluded, missing, partial (a branch line
/// with a missing arc that is not itself missing), executed.
fn expected_status(f: &FileCoverage, n: u32) -> LineStatus {
    let partial: BTreeSet<u32> = f
        .missing_branches
        .iter()
        .filter(|a| a.from > 0)
        .map(|a| a.from as u32)
        .collect();
    if f.excluded_lines.contains(&n) {
        LineStatus::Excluded
    } else if f.missing_lines.contains(&n) {
        LineStatus::Missing
    } else if partial.contains(&n) {
        LineStatus::Partial
    } else if f.executed_lines.contains(&n) {
        LineStatus::Covered
    } else {
        LineStatus::None
    }
}

/// One row of htmlcov's index: statements, missing, excluded, branches, partial.
fn htmlcov_index(rel: &str) -> BTreeMap<String, [u64; 5]> {
    let html = std::fs::read_to_string(root().join("tests/fixtures").join(rel)).expect("index");
    let mut out = BTreeMap::new();
    // 7.x writes `<tr class="region">`, 6.5 `<tr class="file">`; the columns agree.
    for row in html
        .split("<tr class=\"region\">")
        .skip(1)
        .chain(html.split("<tr class=\"file\">").skip(1))
    {
        let row = &row[..row.find("</tr>").expect("row end")];
        let cells: Vec<&str> = row.split("<td").skip(1).collect();
        let text = |c: &str| -> String {
            let mut t = String::new();
            let mut inside = false;
            for ch in c[c.find('>').expect(">") + 1..].chars() {
                match ch {
                    '<' => inside = true,
                    '>' => inside = false,
                    c if !inside => t.push(c),
                    _ => {}
                }
            }
            t.trim().to_string()
        };
        let name = text(cells[0]);
        let nums: Vec<u64> = cells
            .iter()
            .skip(1)
            .filter(|c| !c.contains("spacer") && !c.contains("data-ratio"))
            .map(|c| text(c).parse().expect("number"))
            .collect();
        out.insert(name, [nums[0], nums[1], nums[2], nums[3], nums[4]]);
    }
    out
}

const PACKAGING: [&str; 4] = [
    "packaging-25.0/coveragepy-6.5.0-branch",
    "packaging-25.0/coveragepy-7.4.4-branch",
    "packaging-25.0/coveragepy-7.17.3-branch",
    "packaging-25.0/coveragepy-7.17.3-branch-contexts-small",
];

#[test]
fn packaging_folder_matches_every_report_file() {
    let listing = folder("packaging-25.0");
    for fx in PACKAGING {
        let r = report(&format!("{fx}/coverage.json"));
        let m = match_report(&r, &refs(&listing));
        assert_eq!(m.matched, r.files.len(), "{fx}");
        assert_eq!(r.files.len(), 16);
        assert!(m.unmatched.is_empty() && m.ambiguous.is_empty(), "{fx}");
        for (i, f) in r.files.iter().enumerate() {
            let s = m.sources[i].expect("matched");
            assert_eq!(listing[s.folder], format!("packaging-25.0/{}", f.path));
            assert_eq!(s.depth, f.path.split('/').count());
        }
    }
}

#[test]
fn every_line_of_packaging_equals_the_reports_lists() {
    let listing = folder("packaging-25.0");
    let mut lines_checked = 0;
    for fx in PACKAGING {
        let r = report(&format!("{fx}/coverage.json"));
        let m = match_report(&r, &refs(&listing));
        let index = htmlcov_index(&format!("{fx}/htmlcov-index.html"));
        for (i, f) in r.files.iter().enumerate() {
            let src = read_source(&listing[m.sources[i].expect("matched").folder]);
            let a = annotate_in(&r, f, Some(&src));
            assert!(a.warnings.is_empty(), "{fx} {}: {:?}", f.path, a.warnings);
            // One line per source line (Python counts \n; these files have no \r).
            assert_eq!(a.lines.len(), src.lines().count(), "{}", f.path);
            assert_eq!(a.source_lines as usize, a.lines.len());
            let mut counts = [0u64; 4];
            for (k, l) in a.lines.iter().enumerate() {
                assert_eq!(l.number as usize, k + 1);
                assert_eq!(
                    l.text.as_deref(),
                    src.lines().nth(k),
                    "{} {}",
                    f.path,
                    l.number
                );
                assert_eq!(
                    l.status,
                    expected_status(f, l.number),
                    "{fx} {} line {}",
                    f.path,
                    l.number
                );
                match l.status {
                    LineStatus::Covered => counts[0] += 1,
                    LineStatus::Missing => counts[1] += 1,
                    LineStatus::Partial => counts[2] += 1,
                    LineStatus::Excluded => counts[3] += 1,
                    LineStatus::None => {}
                }
                lines_checked += 1;
            }
            // The same numbers htmlcov's index shows for the file. coverage.py before 7.5
            // (6.5.0 and 7.4.4 here) also lists docstring and decorator lines that ran in
            // executed_lines, which are not statements: there the marks follow the lists.
            let row = index[&f.path];
            let run = counts[0] + counts[2];
            if f.executed_lines.len() as u64 == f.counts.statements.covered {
                assert_eq!(run + counts[1], row[0], "{fx} {}", f.path);
            } else {
                let listed = f
                    .executed_lines
                    .iter()
                    .filter(|n| !f.excluded_lines.contains(n))
                    .count() as u64;
                assert_eq!(run, listed, "{fx} {}", f.path);
                assert!(run > f.counts.statements.covered);
            }
            assert_eq!(counts[1], row[1], "{}", f.path);
            assert_eq!(counts[3], row[2], "{}", f.path);
            assert_eq!(f.counts.statements.total, row[0]);
            // Every function region names a line of the file.
            for func in &a.functions {
                if let Some(s) = func.region.start_line {
                    assert!(s as usize <= a.lines.len(), "{} {}", f.path, func.name);
                }
            }
        }
    }
    assert!(lines_checked > 20_000, "{lines_checked}");
}

#[test]
fn contexts_name_the_tests_that_ran_each_line() {
    let fx = "packaging-25.0/coveragepy-7.17.3-branch-contexts-small";
    let r = report(&format!("{fx}/coverage.json"));
    assert!(r.source.show_contexts);
    let f = r
        .files
        .iter()
        .find(|f| f.path == "src/packaging/_structures.py")
        .expect("file");
    let src = read_source("packaging-25.0/src/packaging/_structures.py");
    let a = annotate_in(&r, f, Some(&src));
    assert!(a.has_contexts);
    let raw: serde_json::Value = serde_json::from_slice(
        &std::fs::read(root().join("tests/fixtures").join(fx).join("coverage.json")).expect("json"),
    )
    .expect("json");
    let ctx = &raw["files"]["src/packaging/_structures.py"]["contexts"];
    let mut with = 0;
    for l in &a.lines {
        let want: Vec<String> = ctx[l.number.to_string()]
            .as_array()
            .map(|v| {
                v.iter()
                    .map(|s| s.as_str().expect("str").to_string())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(l.contexts, want, "line {}", l.number);
        if l.status == LineStatus::Covered {
            assert!(
                !l.contexts.is_empty(),
                "covered line {} has no test",
                l.number
            );
            with += 1;
        }
    }
    assert_eq!(with, 36);
    // Some line ran under a named test, not only at import (the empty context).
    assert!(a.lines.iter().any(|l| l
        .contexts
        .iter()
        .any(|c| c.contains("test_structures.py::"))));
}

#[test]
fn jinja2_without_sources_lists_partial_lines_as_htmlcov() {
    let fx = "jinja2-3.1.6/coveragepy-7.17.3-branch";
    let r = report(&format!("{fx}/coverage.json"));
    let index = htmlcov_index(&format!("{fx}/htmlcov-index.html"));
    let (mut partial_lines, mut notes) = (0, 0);
    for f in &r.files {
        let a = annotate_in(&r, f, None);
        assert!(!a.has_source && a.warnings.is_empty());
        // Every measured line is listed, with its status from the report's lists.
        for l in &a.lines {
            assert_eq!(
                l.status,
                expected_status(f, l.number),
                "{} {}",
                f.path,
                l.number
            );
            assert!(l.text.is_none());
        }
        // htmlcov's "partial" column counts the missing arcs of partial lines.
        let arcs_on_partial: usize = a
            .lines
            .iter()
            .filter(|l| l.status == LineStatus::Partial)
            .map(|l| l.branches.as_ref().expect("note").long.len())
            .sum();
        let row = index[&f.path];
        assert_eq!(arcs_on_partial as u64, row[4], "{}", f.path);
        assert_eq!(f.counts.partial_branches, row[4], "{}", f.path);
        // Missing ranges hold exactly the missing lines.
        let in_ranges: usize = a
            .missing_ranges
            .iter()
            .map(|&(s, e)| {
                f.missing_lines
                    .iter()
                    .filter(|&&m| s <= m && m <= e)
                    .count()
            })
            .sum();
        assert_eq!(in_ranges, f.missing_lines.len());
        partial_lines += a.partial_lines.len();
        for l in &a.lines {
            if let Some(b) = &l.branches {
                for s in &b.long {
                    assert!(s.starts_with(&format!("line {} didn't ", l.number)), "{s}");
                    notes += 1;
                }
            }
        }
        // j/k stop at every missing or partial line.
        for l in &a.lines {
            if l.status.is_gap() {
                assert!(a
                    .chunks
                    .iter()
                    .any(|&(s, e)| s <= l.number && l.number <= e));
            }
        }
    }
    assert_eq!(notes as u64, r.totals().partial_branches);
    assert!(partial_lines > 150, "{partial_lines}");
}

/// A minimal LCOV reader for the test: the shape the LCOV reader gives (hits per line,
/// branches counted per line, FN functions), so the per-line path is tested on real data
/// while that reader is being written.
fn lcov(rel: &str) -> Vec<FileCoverage> {
    let text = std::fs::read_to_string(root().join("tests/fixtures").join(rel)).expect("lcov");
    let mut out = Vec::new();
    let mut path = String::new();
    let mut da: BTreeMap<u32, u64> = BTreeMap::new();
    let mut br: BTreeMap<u32, (u32, u32)> = BTreeMap::new();
    let mut fns: Vec<(u32, String)> = Vec::new();
    let mut fnda: BTreeMap<String, u64> = BTreeMap::new();
    for line in text.lines() {
        if let Some(p) = line.strip_prefix("SF:") {
            path = p.to_string();
        } else if let Some(d) = line.strip_prefix("DA:") {
            let mut it = d.split(',');
            let n: u32 = it.next().expect("n").parse().expect("n");
            let h: u64 = it.next().expect("h").parse().expect("h");
            *da.entry(n).or_default() += h;
        } else if let Some(b) = line.strip_prefix("BRDA:") {
            let parts: Vec<&str> = b.split(',').collect();
            let n: u32 = parts[0].parse().expect("n");
            let taken = parts[3] != "-" && parts[3] != "0";
            let e = br.entry(n).or_default();
            e.1 += 1;
            e.0 += u32::from(taken);
        } else if let Some(f) = line.strip_prefix("FN:") {
            let (n, name) = f.split_once(',').expect("fn");
            fns.push((n.parse().expect("n"), name.to_string()));
        } else if let Some(f) = line.strip_prefix("FNDA:") {
            let (h, name) = f.split_once(',').expect("fnda");
            fnda.insert(name.to_string(), h.parse().expect("h"));
        } else if line == "end_of_record" {
            let executed: Vec<(u32, u64)> = da
                .iter()
                .filter(|(_, &h)| h > 0)
                .map(|(&n, &h)| (n, h))
                .collect();
            out.push(FileCoverage {
                path: std::mem::take(&mut path),
                executed_lines: executed.iter().map(|e| e.0).collect(),
                line_hits: executed.iter().map(|e| e.1).collect(),
                missing_lines: da
                    .iter()
                    .filter(|(_, &h)| h == 0)
                    .map(|(&n, _)| n)
                    .collect(),
                line_branches: br
                    .iter()
                    .filter(|(&n, _)| n > 0)
                    .map(|(&line, &(taken, total))| LineBranches { line, taken, total })
                    .collect(),
                regions: fns
                    .drain(..)
                    .map(|(n, name)| Region {
                        kind: RegionKind::Function,
                        hits: fnda.get(&name).copied(),
                        name,
                        start_line: Some(n),
                        counts: Default::default(),
                        missing_lines: vec![],
                    })
                    .collect(),
                ..FileCoverage::default()
            });
            da.clear();
            br.clear();
            fnda.clear();
        }
    }
    out
}

#[test]
fn lcov_shape_agrees_with_coveragepy_arcs_line_by_line() {
    // coverage.py wrote JSON and LCOV of one run: per-line branch counts must give every
    // line the status the arcs give it (excluded lines are not in LCOV).
    for fx in [
        "jinja2-3.1.6/coveragepy-7.17.3-branch",
        "packaging-25.0/coveragepy-7.17.3-branch-contexts-small",
    ] {
        let r = report(&format!("{fx}/coverage.json"));
        let files = lcov(&format!("{fx}/coverage.lcov"));
        assert_eq!(files.len(), r.files.len());
        let mut checked = 0;
        for lf in &files {
            let jf = r
                .files
                .iter()
                .find(|f| f.path == lf.path)
                .expect("same file");
            let a = annotate_with(lf, None, AnnotateOptions::for_tool(Tool::Lcov));
            let b = annotate_in(&r, jf, None);
            assert!(a.has_hits && !b.has_hits);
            for l in &a.lines {
                let want = b.line(l.number).map_or(LineStatus::None, |l| l.status);
                assert_eq!(l.status, want, "{fx} {} line {}", lf.path, l.number);
                checked += 1;
            }
            assert_eq!(a.partial_lines, b.partial_lines, "{}", lf.path);
            assert_eq!(a.missing_ranges, b.missing_ranges, "{}", lf.path);
        }
        assert!(checked > 1000, "{checked}");
    }
}

/// The JS fixtures whose sources are in tests/sources, with the folder tree.
const JS: [(&str, &str); 6] = [
    ("qs-6.17.1/nyc-18.0.0/lcov.info", "qs-6.17.1"),
    (
        "object-inspect-1.13.4/nyc-18.0.0/lcov.info",
        "object-inspect-1.13.4",
    ),
    ("resolve-1.22.14/c8-12.0.0/lcov.info", "resolve-1.22.14"),
    ("hashids-2.3.0/jest-30.5.2/lcov.info", "hashids-2.3.0"),
    (
        "zod-4.1.12/vitest-4.1.12-coverage-v8/lcov.info",
        "zod-4.1.12",
    ),
    (
        "zod-4.1.12/vitest-4.1.12-coverage-istanbul/lcov.info",
        "zod-4.1.12",
    ),
];

#[test]
fn js_fixtures_match_their_sources_and_fit_them() {
    for (fx, tree) in JS {
        let files = lcov(fx);
        let listing = folder(tree);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let m = match_sources(&paths, &refs(&listing));
        assert_eq!(m.matched, files.len(), "{fx}: {:?}", m.unmatched);
        assert!(m.ambiguous.is_empty(), "{fx}");
        let mut lines = 0;
        for (i, f) in files.iter().enumerate() {
            let rel = &listing[m.sources[i].expect("m").folder];
            assert!(rel.ends_with(f.path.rsplit("/build/js/").next().unwrap_or("")));
            let src = read_source(rel);
            let a = annotate_with(f, Some(&src), AnnotateOptions::for_tool(Tool::Istanbul));
            assert!(a.warnings.is_empty(), "{fx} {}: {:?}", f.path, a.warnings);
            for l in &a.lines {
                let want = if f.missing_lines.contains(&l.number) {
                    LineStatus::Missing
                } else if f
                    .line_branches
                    .iter()
                    .any(|b| b.line == l.number && b.taken < b.total)
                {
                    LineStatus::Partial
                } else if f.executed_lines.contains(&l.number)
                    || f.line_branches.iter().any(|b| b.line == l.number)
                {
                    LineStatus::Covered
                } else {
                    LineStatus::None
                };
                assert_eq!(l.status, want, "{fx} {} {}", f.path, l.number);
                let hits = f
                    .hits(l.number, true)
                    .or_else(|| f.missing_lines.contains(&l.number).then_some(0));
                assert_eq!(l.hits, hits);
                lines += 1;
            }
            let fns = a.functions.len();
            assert_eq!(fns, f.regions.len());
        }
        assert!(lines > 100, "{fx}");
    }
}

#[test]
fn a_swapped_source_is_called_out() {
    // Each JS file annotated with another file of the same project: the report's lines do
    // not fit, and the view says so instead of painting them.
    let (mut pairs, mut caught) = (0, 0);
    for (fx, tree) in JS {
        let files = lcov(fx);
        let listing = folder(tree);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let m = match_sources(&paths, &refs(&listing));
        for (i, f) in files.iter().enumerate() {
            if f.executed_lines.len() + f.missing_lines.len() < 20 {
                continue;
            }
            let j = (i + 1) % files.len();
            if j == i {
                continue;
            }
            let other = read_source(&listing[m.sources[j].expect("m").folder]);
            pairs += 1;
            let a = annotate_with(f, Some(&other), AnnotateOptions::for_tool(Tool::Istanbul));
            if a.warnings.is_empty() {
                eprintln!("not caught: {fx} {} read as file {j}", f.path);
            } else {
                caught += 1;
            }
        }
    }
    // Not every swap is detectable from line numbers and function names alone (a file
    // without functions read as a longer one fits); 21 of 23 are.
    assert!(pairs >= 20, "{pairs}");
    assert!(caught * 10 >= pairs * 9, "{caught} of {pairs}");
}

#[test]
fn an_older_version_of_the_file_is_called_out() {
    // packaging 24.1's report read with 25.0's sources: files whose statements moved
    // between the versions are not the measured code.
    let old = report("packaging-24.1/coveragepy-7.17.3-branch/coverage.json");
    let new = report("packaging-25.0/coveragepy-7.17.3-branch/coverage.json");
    let listing = folder("packaging-25.0");
    let m = match_report(&old, &refs(&listing));
    let (mut changed, mut warned_changed, mut warned_same) = (0, 0, 0);
    for (i, f) in old.files.iter().enumerate() {
        let Some(s) = m.sources[i] else { continue };
        let src = read_source(&listing[s.folder]);
        let a = annotate_in(&old, f, Some(&src));
        let same = new.files.iter().any(|g| {
            g.path == f.path
                && g.executed_lines == f.executed_lines
                && g.missing_lines == f.missing_lines
                && g.excluded_lines == f.excluded_lines
        });
        if same {
            warned_same += usize::from(!a.warnings.is_empty());
        } else {
            changed += 1;
            if !a.warnings.is_empty() {
                warned_changed += 1;
                let msg = a.warnings[0].message();
                assert!(msg.ends_with(")."), "{msg}");
            }
        }
    }
    eprintln!(
        "24.1 vs 25.0: {changed} changed, {warned_changed} warned; {warned_same} same-and-warned"
    );
    assert_eq!(warned_same, 0);
    assert!(changed >= 3, "{changed}");
    assert!(
        warned_changed * 10 >= changed * 8,
        "{warned_changed} of {changed}"
    );
    // The warning names the off-code lines.
    let f = old
        .files
        .iter()
        .find(|f| f.path == "src/packaging/version.py")
        .expect("version.py");
    let a = annotate_in(
        &old,
        f,
        Some(&read_source("packaging-25.0/src/packaging/version.py")),
    );
    if let Some(SourceWarning::OffCode { count, .. }) = a.warnings.first() {
        assert!(*count > 0);
    }
}
