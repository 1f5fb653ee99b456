//! Every LCOV tracefile among the fixtures, read through `covgap_core::parse` (detection
//! included) and compared with the numbers its own tool gives: `lcov --summary` and genhtml
//! (libargon2), coverage.py's JSON of the same run, Istanbul's coverage-summary.json of the
//! same run, and llvm-cov's export of the same run (semver), per file and in total, shown
//! as genhtml shows them.

use covgap_core::analysis::missing_ranges;
use covgap_core::{parse, Counts, FileCoverage, Metric, ParseOptions, Report, Tally, Tool};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn load_as(rel: &str, regions: bool) -> Report {
    let bytes = std::fs::read(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    let r = parse(rel, &bytes, ParseOptions { regions }).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.source.format, "lcov", "{rel}");
    assert_eq!(r.source.tool, Tool::Lcov, "{rel}");
    r
}

fn load(rel: &str) -> Report {
    load_as(rel, false)
}

fn show(r: &Report, c: &Counts, m: Metric) -> String {
    r.rules().show(c, m, 0)
}

fn tally(c: &Counts, m: Metric) -> (u64, u64) {
    let t = c.get(m);
    (t.covered, t.total)
}

/// `  lines......: 80.0% (827 of 1034 lines)` → (metric, shown, hit, found).
fn summary_lines(text: &str) -> Vec<(Metric, String, u64, u64)> {
    text.lines()
        .filter_map(|l| {
            let (name, rest) = l.trim().split_once("..")?;
            let m = match name {
                "lines" => Metric::Lines,
                "functions" => Metric::Functions,
                "branches" => Metric::Branches,
                _ => return None,
            };
            let rest = rest.trim_start_matches('.').trim_start_matches(':').trim();
            let (pct, counts) = rest.split_once("% (")?;
            let mut words = counts.split_whitespace();
            let hit = words.next()?.parse().ok()?;
            words.next();
            let found = words.next()?.parse().ok()?;
            Some((m, pct.to_string(), hit, found))
        })
        .collect()
}

/// A genhtml directory row: (dir, lines, functions, branches as (hit, found), shown).
type DirRow = (
    &'static str,
    (u64, u64),
    (u64, u64),
    (u64, u64),
    [&'static str; 3],
);

const ARGON2: &str = "libargon2-from-argon2-cffi-bindings-26.2.0/gcovr-5.2_lcov-1.16_gcc-12.2.0";

#[test]
fn libargon2_equals_lcov_summary_and_genhtml() {
    let r = load(&format!("{ARGON2}/coverage.info"));
    let t = r.totals();
    // 18 SF records of 12 paths, merged: genhtml's "Found 12 entries".
    assert_eq!(r.files.len(), 12);
    assert_eq!(t.files, 12);
    assert_eq!(
        r.metrics,
        [Metric::Lines, Metric::Functions, Metric::Branches]
    );
    for out in [
        "lcov-summary.txt",
        "genhtml-summary.txt",
        "genhtml-output.txt",
    ] {
        let text = std::fs::read_to_string(fixtures().join(ARGON2).join(out)).expect(out);
        let rows = summary_lines(&text);
        assert_eq!(rows.len(), 3, "{out}");
        for (m, shown, hit, found) in rows {
            assert_eq!(tally(&t, m), (hit, found), "{out} {m}");
            assert_eq!(show(&r, &t, m), shown, "{out} {m}");
        }
    }
    assert_eq!(show(&r, &t, Metric::Lines), "80.0");
    assert_eq!(show(&r, &t, Metric::Functions), "68.2");
    assert_eq!(show(&r, &t, Metric::Branches), "55.4");
    // lcov --summary --fail-under-lines compares the raw ratio: "80.0%" fails 80.
    let lines = r.rules().percent(&t, Metric::Lines);
    assert!(!r.rules().passes(lines, 80.0, 0));
    assert!(r.rules().passes(lines, 79.98, 0));
    // No LF/LH lines at all in this tracefile: nothing declared, nothing to warn about.
    assert_eq!(r.declared_totals, None);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert!(r.source.branch_coverage);

    // genhtml's directory rows (genhtml-index.html): lines, functions, branches.
    assert_eq!(r.root.as_deref(), Some("/build/libargon2/src/"));
    let mut dirs: HashMap<String, Counts> = HashMap::new();
    for f in &r.files {
        // System headers stay absolute; the others are relative to the root.
        let full = r.original_path(f);
        let dir = full.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        *dirs.entry(dir).or_default() += f.counts;
    }
    let want: &[DirRow] = &[
        (
            "/usr/include/x86_64-linux-gnu/bits",
            (10, 10),
            (0, 0),
            (15, 28),
            ["100.0", "-", "53.6"],
        ),
        (
            "/usr/lib/gcc/x86_64-linux-gnu/12/include",
            (18, 18),
            (0, 0),
            (0, 0),
            ["100.0", "-", "-"],
        ),
        (
            "/build/libargon2/src",
            (645, 806),
            (37, 57),
            (274, 487),
            ["80.0", "64.9", "56.3"],
        ),
        (
            "/build/libargon2/src/blake2",
            (154, 200),
            (8, 9),
            (52, 100),
            ["77.0", "88.9", "52.0"],
        ),
    ];
    assert_eq!(dirs.len(), want.len());
    for (dir, l, f, b, shown) in want {
        let c = dirs.get(*dir).unwrap_or_else(|| panic!("{dir}"));
        assert_eq!(tally(c, Metric::Lines), *l, "{dir}");
        assert_eq!(tally(c, Metric::Functions), *f, "{dir}");
        assert_eq!(tally(c, Metric::Branches), *b, "{dir}");
        for (m, s) in [Metric::Lines, Metric::Functions, Metric::Branches]
            .into_iter()
            .zip(shown)
        {
            assert_eq!(show(&r, c, m), *s, "{dir} {m}");
        }
    }

    // blake2-impl.h has two records: hits added per line (22784 + 146512 on line 63).
    let h = file(&r, "blake2/blake2-impl.h");
    assert_eq!(h.hits(63, true), Some(169_296));
    // string_fortified.h: five records (one per translation unit), one file of 6 lines.
    let s = file(&r, "/usr/include/x86_64-linux-gnu/bits/string_fortified.h");
    assert_eq!(s.executed_lines, [26, 29, 57, 59, 72, 73]);
    assert_eq!(s.hits(26, true), Some(34226 + 748 + 26 + 312 + 221_304));
    assert_eq!(s.counts.lines, Tally::new(6, 6));
}

fn file<'a>(r: &'a Report, path: &str) -> &'a FileCoverage {
    r.files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("{path} not in {:?}", paths(r)))
}

fn paths(r: &Report) -> Vec<&str> {
    r.files.iter().map(|f| f.path.as_str()).collect()
}

/// (folder, functions covered, functions total) of coverage.py 7.17.3's LCOV: the
/// MANIFEST's "LCOV sums" lines.
const COVERAGEPY_7: &[(&str, u64, u64)] = &[
    ("attrs-26.1.0/coveragepy-7.17.3-branch", 206, 208),
    ("jinja2-3.1.6/coveragepy-7.17.3-branch", 1485, 1552),
    (
        "more-itertools-11.2.1/coveragepy-7.17.3-statements",
        273,
        273,
    ),
    ("packaging-24.1/coveragepy-7.17.3-branch", 207, 207),
    ("packaging-25.0/coveragepy-7.17.3-branch", 215, 215),
    (
        "packaging-25.0/coveragepy-7.17.3-branch-contexts-small",
        16,
        215,
    ),
];

fn json(dir: &str) -> Report {
    let bytes = std::fs::read(fixtures().join(dir).join("coverage.json")).expect("json");
    parse("coverage.json", &bytes, ParseOptions::default()).expect("coverage.json")
}

/// coverage.py 7.17.3's LCOV gives exactly its JSON's numbers and lines, per file.
#[test]
fn coveragepy_7_lcov_equals_its_json() {
    for &(dir, fnh, fnf) in COVERAGEPY_7 {
        let r = load(&format!("{dir}/coverage.lcov"));
        let j = json(dir);
        assert!(r.warnings.is_empty(), "{dir}: {:?}", r.warnings);
        // A file without statements has a record without DA lines, which genhtml leaves
        // out (jinja2 has two).
        let measured: Vec<_> = j
            .files
            .iter()
            .filter(|f| f.counts.statements.total > 0)
            .collect();
        assert_eq!(r.files.len(), measured.len(), "{dir}");
        for jf in measured {
            let f = file(&r, &jf.path);
            let ctx = format!("{dir} {}", jf.path);
            assert_eq!(f.counts.lines, jf.counts.statements, "{ctx}");
            assert_eq!(f.counts.branches, jf.counts.branches, "{ctx}");
            assert_eq!(
                f.counts.partial_branches, jf.counts.partial_branches,
                "{ctx}"
            );
            assert_eq!(f.executed_lines, jf.executed_lines, "{ctx}");
            assert_eq!(f.missing_lines, jf.missing_lines, "{ctx}");
            assert!(f.line_hits.iter().all(|&h| h == 1), "{ctx}");
        }
        let (t, jt) = (r.totals(), j.totals());
        assert_eq!(t.lines, jt.statements, "{dir}");
        assert_eq!(t.branches, jt.branches, "{dir}");
        assert_eq!(t.functions, Tally::new(fnh, fnf), "{dir}");
        // The tracefile's own LF/LH/BRF/BRH/FNF/FNH agree with the records.
        let d = r.declared_totals.expect("declared");
        assert_eq!(
            (d.lines, d.branches, d.functions),
            (t.lines, t.branches, t.functions),
            "{dir}"
        );
        let want = if t.branches.total > 0 {
            vec![Metric::Lines, Metric::Functions, Metric::Branches]
        } else {
            vec![Metric::Lines, Metric::Functions]
        };
        assert_eq!(r.metrics, want, "{dir}");
    }
    // Shown as genhtml shows them.
    let r = load("jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.lcov");
    let t = r.totals();
    assert_eq!(
        [Metric::Lines, Metric::Functions, Metric::Branches].map(|m| show(&r, &t, m)),
        ["94.2", "95.7", "82.8"]
    );
    let r = load("packaging-25.0/coveragepy-7.17.3-branch-contexts-small/coverage.lcov");
    let t = r.totals();
    assert_eq!(
        [Metric::Lines, Metric::Functions, Metric::Branches].map(|m| show(&r, &t, m)),
        ["2.3", "7.4", "0.0"]
    );
    // FN:start,end,name: the name, the start line, the hits.
    let r = load("jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.lcov");
    let a = file(&r, "src/jinja2/async_utils.py");
    let f = a.regions.first().expect("a function");
    assert_eq!(
        (f.name.as_str(), f.start_line, f.hits),
        ("async_variant", Some(15), Some(1))
    );
}

/// coverage.py 6.5 and 7.4's LCOV: lcov --summary's recount, with the writer's quirks
/// (more DA lines than LF, BRDA on line 0) warned about.
#[test]
fn coveragepy_before_7_6_2() {
    // (version, DA lines, branches, declared LH of LF, declared BRH of BRF)
    for (v, lines, branches, lh_lf) in [
        ("6.5.0", 1976, 888, (1976, 1935)),
        ("7.4.4", 1960, 837, (1935, 1935)),
    ] {
        let dir = format!("packaging-25.0/coveragepy-{v}-branch");
        let r = load(&format!("{dir}/coverage.lcov"));
        let t = r.totals();
        assert_eq!(t.lines, Tally::new(lines, lines), "{v}");
        assert_eq!(t.branches, Tally::new(branches, branches), "{v}");
        assert_eq!(t.functions, Tally::new(0, 0), "{v}");
        assert_eq!(r.metrics, [Metric::Lines, Metric::Branches], "{v}");
        let d = r.declared_totals.expect("declared");
        assert_eq!(d.lines, Tally::new(lh_lf.0, lh_lf.1), "{v}");
        assert_eq!(d.branches, Tally::new(796, 796), "{v}");
        let w = r.warnings.join("\n");
        assert!(
            w.contains("coverage.py before 7.6.2 writes DA lines"),
            "{v}: {w}"
        );
        assert!(w.contains("BRDA records are on line 0"), "{v}: {w}");
        assert_eq!(r.warnings.len(), 2, "{v}: {w}");
        assert_eq!(show(&r, &t, Metric::Lines), "100.0");
        // Its DA lines are coverage.py's executed lines of the time (docstrings
        // included), all run: the JSON of the same run lists the same lines.
        if v == "6.5.0" {
            let j = json(&dir);
            for jf in &j.files {
                let f = file(&r, &jf.path);
                assert_eq!(f.executed_lines, jf.executed_lines, "{}", jf.path);
                assert!(f.missing_lines.is_empty());
            }
        }
    }
}

/// (folder, files in the LCOV, files in coverage-summary.json)
const ISTANBUL: &[(&str, usize, usize)] = &[
    ("qs-6.17.1/nyc-18.0.0", 10, 10),
    ("object-inspect-1.13.4/nyc-18.0.0", 2, 2),
    ("resolve-1.22.14/c8-12.0.0", 9, 9),
    ("hashids-2.3.0/jest-30.5.2", 2, 2),
    ("zod-4.1.12/vitest-4.1.12-coverage-v8", 7, 13),
    ("zod-4.1.12/vitest-4.1.12-coverage-istanbul", 7, 7),
];

/// EXPECTED-per-file.tsv as (file → column → value).
fn expected(dir: &str) -> Vec<HashMap<String, String>> {
    let text =
        std::fs::read_to_string(fixtures().join(dir).join("EXPECTED-per-file.tsv")).expect("tsv");
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

fn col(row: &HashMap<String, String>, key: &str) -> u64 {
    row.get(key)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{key} in {row:?}"))
}

/// Istanbul's lcov.info gives Istanbul's own line, branch and function counts, per file
/// and in total, except where lcov's rule differs: two functions of one file with the same
/// name (resolve's lib/async.js) count once.
#[test]
fn istanbul_lcov_equals_coverage_summary() {
    for &(dir, n_lcov, n_json) in ISTANBUL {
        let r = load(&format!("{dir}/lcov.info"));
        let rows = expected(dir);
        assert_eq!(r.files.len(), n_lcov, "{dir}");
        assert_eq!(rows.len() - 1, n_json, "{dir}");
        let mut sum = Counts::default();
        for row in rows.iter().skip(1) {
            let path = row.get("file").expect("file");
            let Some(f) = r
                .files
                .iter()
                .find(|f| path.ends_with(&format!("/{}", f.path)))
            else {
                // vitest's v8 provider lists type-only files at 0/0; their records have
                // no DA line, and genhtml leaves such files out.
                assert_eq!(col(row, "lines.total"), 0, "{dir} {path}");
                continue;
            };
            let ctx = format!("{dir} {path}");
            sum += f.counts;
            assert_eq!(
                tally(&f.counts, Metric::Lines),
                (col(row, "lines.covered"), col(row, "lines.total")),
                "{ctx}"
            );
            assert_eq!(
                tally(&f.counts, Metric::Branches),
                (col(row, "branches.covered"), col(row, "branches.total")),
                "{ctx}"
            );
            let funcs = (col(row, "functions.covered"), col(row, "functions.total"));
            if path.ends_with("resolve/lib/async.js") {
                assert_eq!(funcs, (20, 22));
                assert_eq!(tally(&f.counts, Metric::Functions), (19, 21), "{ctx}");
            } else {
                assert_eq!(tally(&f.counts, Metric::Functions), funcs, "{ctx}");
            }
        }
        assert_eq!(sum, r.totals(), "{dir}");
        let total = rows.first().expect("total row");
        assert_eq!(total.get("file").map(String::as_str), Some("total"));
        let t = r.totals();
        assert_eq!(
            tally(&t, Metric::Lines),
            (col(total, "lines.covered"), col(total, "lines.total")),
            "{dir}"
        );
        if dir.starts_with("resolve") {
            assert_eq!(t.functions, Tally::new(30, 39));
            let w = r.warnings.join("\n");
            assert!(w.contains("two functions named \"onfile\""), "{w}");
            assert_eq!(r.warnings.len(), 1, "{w}");
        } else {
            assert!(r.warnings.is_empty(), "{dir}: {:?}", r.warnings);
        }
    }
    // Shown as genhtml shows them: Istanbul's 99.93 (floored) is genhtml's 99.9, and
    // 99.75 is 99.8.
    let r = load("qs-6.17.1/nyc-18.0.0/lcov.info");
    let t = r.totals();
    assert_eq!(
        [Metric::Lines, Metric::Functions, Metric::Branches].map(|m| show(&r, &t, m)),
        ["99.9", "99.7", "99.8"]
    );
    let r = load("hashids-2.3.0/jest-30.5.2/lcov.info");
    let t = r.totals();
    assert_eq!(
        [Metric::Lines, Metric::Functions, Metric::Branches].map(|m| show(&r, &t, m)),
        ["76.0", "77.1", "56.2"]
    );
}

/// The missing lines are Istanbul's own "Uncovered Line #s" (jest's text table).
#[test]
fn istanbul_missing_lines_and_hits() {
    let r = load("hashids-2.3.0/jest-30.5.2/lcov.info");
    for (path, want) in [
        (
            "src/hashids.ts",
            "40,45,50,64,127,131-132,139,166-188,234-240,246-253,262",
        ),
        ("src/util.ts", "79,106-120,128-129,159"),
    ] {
        let f = file(&r, path);
        assert_eq!(missing_ranges(f, false).replace(", ", ","), want, "{path}");
    }
    // qs: lib/formats.js line 16 ran 26 times (DA:16,26); its FNDA:1518 function.
    let r = load_as("qs-6.17.1/nyc-18.0.0/lcov.info", true);
    let f = file(&r, "lib/formats.js");
    assert_eq!(f.hits(16, true), Some(26));
    assert!(f
        .regions
        .iter()
        .any(|g| g.name == "(anonymous_1)" && g.start_line == Some(18) && g.hits == Some(1518)));
    // object-inspect: 101 branch locations partly taken in Istanbul's sense; lcov's
    // partial lines are lines run with some branch not taken.
    let r = load("object-inspect-1.13.4/nyc-18.0.0/lcov.info");
    let f = file(&r, "index.js");
    assert!(f.counts.partial_branches > 0);
    let lb: u64 = f.line_branches.iter().map(|b| u64::from(b.total)).sum();
    assert_eq!(lb, f.counts.branches.total);
}

/// llvm-cov's LCOV, read as genhtml reads it: its DA lines and its FN instantiations. The
/// figures llvm-cov declares in LF/LH and FNF/FNH (its own report's) are kept as the
/// declared totals and named in a warning.
#[test]
fn llvm_cov_lcov_is_recounted() {
    let dir = "semver-1.0.28/llvm-cov-19.1.7_rustc-1.95.0";
    let r = load(&format!("{dir}/lcov.info"));
    let t = r.totals();
    assert_eq!(r.files.len(), 12);
    assert_eq!(r.metrics, [Metric::Lines, Metric::Functions]);
    assert_eq!(t.lines, Tally::new(1386, 1457));
    assert_eq!(t.functions, Tally::new(141, 253));
    assert_eq!(show(&r, &t, Metric::Lines), "95.1");
    assert_eq!(show(&r, &t, Metric::Functions), "55.7");
    // llvm-cov report's TOTAL: lines 1393 of 1465 (95.09%), functions 127 of 137.
    let d = r.declared_totals.expect("declared");
    assert_eq!(d.lines, Tally::new(1393, 1465));
    assert_eq!(d.functions, Tally::new(127, 137));
    let w = r.warnings.join("\n");
    assert!(w.contains("9 of 12 files declare totals"), "{w}");
    assert!(
        w.contains("declared: lines 1393 of 1465, functions 127 of 137; counted: lines 1386 of 1457, functions 141 of 253"),
        "{w}"
    );
    assert!(w.contains("llvm-cov writes its own summary"), "{w}");
    // Per file: lcov's functions are llvm-cov's instantiations; lines are the DA lines.
    for row in expected(dir) {
        let path = row.get("filename").expect("filename");
        let f = r
            .files
            .iter()
            .find(|f| r.original_path(f) == *path)
            .expect(path);
        assert_eq!(
            tally(&f.counts, Metric::Functions),
            (
                col(&row, "instantiations.covered"),
                col(&row, "instantiations.count")
            ),
            "{path}"
        );
    }
    let f = file(&r, "src/display.rs");
    assert_eq!(f.counts.lines, Tally::new(95, 119));
    assert_eq!(f.hits(5, true), Some(7));
    assert_eq!(f.hits(10, true), Some(2));
}
