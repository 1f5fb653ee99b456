//! Every Istanbul fixture (nyc, c8, Jest, Vitest with the v8 and the istanbul provider),
//! read by covgap through `parse` (detection included) and compared with what the tool
//! itself wrote and printed: `coverage-summary.json` (EXPECTED-per-file.tsv), the
//! `text-summary` block and the `text` table (percentages as printed, and the Uncovered
//! Line #s column), and the line data of the `lcov.info` written in the same run (DA, BRDA,
//! FN and FNDA records).

use covgap_core::analysis::missing_ranges;
use covgap_core::rules::ISTANBUL;
use covgap_core::{parse, Counts, FileCoverage, Metric, ParseOptions, Report, Tally, Tool};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

const DIRS: &[&str] = &[
    "qs-6.17.1/nyc-18.0.0",
    "object-inspect-1.13.4/nyc-18.0.0",
    "resolve-1.22.14/c8-12.0.0",
    "hashids-2.3.0/jest-30.5.2",
    "zod-4.1.12/vitest-4.1.12-coverage-v8",
    "zod-4.1.12/vitest-4.1.12-coverage-istanbul",
];

const METRICS: [(Metric, &str); 4] = [
    (Metric::Statements, "statements"),
    (Metric::Branches, "branches"),
    (Metric::Functions, "functions"),
    (Metric::Lines, "lines"),
];

fn dir(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(rel)
}

fn load(rel: &str, file: &str) -> Report {
    let bytes = std::fs::read(dir(rel).join(file)).expect(file);
    parse(file, &bytes, ParseOptions::default()).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// EXPECTED-per-file.tsv rows: file → column → value.
fn expected(rel: &str) -> Vec<HashMap<String, String>> {
    let text = std::fs::read_to_string(dir(rel).join("EXPECTED-per-file.tsv")).expect("tsv");
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .expect("header")
        .split('\t')
        .map(String::from)
        .collect();
    lines
        .map(|l| {
            header
                .iter()
                .cloned()
                .zip(l.split('\t').map(String::from))
                .collect()
        })
        .collect()
}

fn num(row: &HashMap<String, String>, key: &str) -> u64 {
    row[key].parse().unwrap_or_else(|_| panic!("{key}"))
}

/// The tool's own printed output (the text table and the text-summary block).
fn printed(rel: &str) -> String {
    let d = dir(rel);
    let f = ["test-and-coverage-output.txt", "coverage-output-stdout.txt"]
        .iter()
        .map(|n| d.join(n))
        .find(|p| p.exists())
        .expect("tool output");
    std::fs::read_to_string(f).expect("read output")
}

fn assert_counts_equal_tsv(rel: &str, report: &Report) {
    let rows = expected(rel);
    let by_path: HashMap<String, &FileCoverage> = report
        .files
        .iter()
        .map(|f| (report.original_path(f), f))
        .collect();
    assert_eq!(by_path.len(), rows.len() - 1, "{rel}: number of files");
    let rules = report.rules();
    for row in &rows {
        let name = &row["file"];
        let counts = if name == "total" {
            report.totals()
        } else {
            by_path
                .get(name)
                .unwrap_or_else(|| panic!("{rel}: {name} not read"))
                .counts
        };
        for (m, key) in METRICS {
            let ctx = format!("{rel} {name} {key}");
            let t = counts.get(m);
            assert_eq!(t.total, num(row, &format!("{key}.total")), "{ctx}");
            assert_eq!(t.covered, num(row, &format!("{key}.covered")), "{ctx}");
            assert_eq!(
                rules.show(&counts, m, 0),
                row[&format!("{key}.pct")],
                "{ctx}"
            );
            // Istanbul's pct is the number the display prints.
            let pct: f64 = row[&format!("{key}.pct")].parse().expect("pct");
            assert_eq!(rules.percent(&counts, m), pct, "{ctx}");
        }
    }
}

#[test]
fn final_and_summary_equal_the_tools_own_numbers() {
    for rel in DIRS {
        let fin = load(rel, "coverage-final.json");
        assert_eq!(fin.source.format, "istanbul-json", "{rel}");
        assert_eq!(fin.source.tool, Tool::Istanbul);
        assert!(!fin.source.summary_only);
        assert!(fin.warnings.is_empty(), "{rel}: {:?}", fin.warnings);
        assert_eq!(
            fin.metrics,
            vec![
                Metric::Statements,
                Metric::Branches,
                Metric::Functions,
                Metric::Lines
            ]
        );
        assert_eq!(fin.headline(), Metric::Lines);
        assert_counts_equal_tsv(rel, &fin);

        let sum = load(rel, "coverage-summary.json");
        assert_eq!(sum.source.format, "istanbul-json-summary", "{rel}");
        assert!(sum.source.summary_only);
        assert!(sum.warnings.is_empty(), "{rel}: {:?}", sum.warnings);
        assert_eq!(sum.declared_totals, Some(sum.totals()), "{rel}");
        assert_counts_equal_tsv(rel, &sum);
        assert!(sum.files.iter().all(|f| f.executed_lines.is_empty()));

        // Both files of one run give the same counts, file by file.
        let counts = |r: &Report| -> BTreeMap<String, Counts> {
            r.files
                .iter()
                .map(|f| {
                    let mut c = f.counts;
                    c.partial_branches = 0;
                    (r.original_path(f), c)
                })
                .collect()
        };
        assert_eq!(counts(&fin), counts(&sum), "{rel}");
    }
}

/// `Statements   : 99.93% ( 3263/3265 )` lines of the text-summary block.
#[test]
fn text_summary_block_is_reproduced() {
    for rel in DIRS {
        let out = printed(rel);
        let r = load(rel, "coverage-final.json");
        let t = r.totals();
        for (m, key) in METRICS {
            let title = format!("{}{}", key[..1].to_uppercase(), &key[1..]);
            let line = format!(
                "{title:<13}: {}% ( {}/{} )",
                r.rules().show(&t, m, 0),
                t.get(m).covered,
                t.get(m).total
            );
            assert!(
                out.lines().any(|l| l == line),
                "{rel}: {line:?} not printed"
            );
        }
    }
}

/// Istanbul's Uncovered Line #s: missing line ranges, or, when every line is covered, the
/// lines whose branches are not all taken.
fn uncovered(f: &FileCoverage) -> String {
    if f.counts.lines.covered < f.counts.lines.total {
        // covgap lists ranges as coverage.py does ("1-3, 7"); Istanbul without spaces.
        return missing_ranges(f, false).replace(", ", ",");
    }
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    let mut open = false;
    for lb in &f.line_branches {
        if lb.taken == lb.total {
            open = false;
        } else if open {
            ranges.last_mut().expect("open range").1 = lb.line;
        } else {
            ranges.push((lb.line, lb.line));
            open = true;
        }
    }
    ranges
        .iter()
        .map(|&(a, b)| {
            if a == b {
                a.to_string()
            } else {
                format!("{a}-{b}")
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Every row of the `text` table: the four percentages as printed (0 in every column for
/// a file with no lines, a quirk of that table) and the Uncovered Line #s.
#[test]
fn text_table_rows_are_reproduced() {
    for rel in DIRS {
        let out = printed(rel);
        let r = load(rel, "coverage-final.json");
        let rules = r.rules();
        let rows: Vec<Vec<String>> = out
            .lines()
            .filter(|l| l.matches('|').count() == 5 && !l.starts_with("File "))
            .map(|l| l.split('|').map(|c| c.to_string()).collect())
            .collect();
        assert!(!rows.is_empty(), "{rel}: no table");
        let mut dir = String::new();
        let mut seen = 0;
        for cells in rows {
            let name = cells[0].trim();
            let shown: Vec<&str> = cells[1..5].iter().map(|c| c.trim()).collect();
            if name == "All files" {
                let t = r.totals();
                let want: Vec<String> =
                    METRICS.iter().map(|&(m, _)| rules.show(&t, m, 0)).collect();
                assert_eq!(shown, want, "{rel} All files");
                continue;
            }
            let file = r.files.iter().find(|f| match name.strip_prefix("...") {
                Some(tail) => {
                    f.path.starts_with(&dir)
                        && f.path.ends_with(tail)
                        && !f.path[dir.len()..].contains('/')
                }
                None => f.path == format!("{dir}{name}"),
            });
            let Some(f) = file else {
                // A directory row: "qs/lib" is the root's own name, then the directory.
                dir = match name.split_once('/') {
                    Some((_, rest)) => format!("{rest}/"),
                    None => String::new(),
                };
                continue;
            };
            seen += 1;
            let c = &f.counts;
            let want: Vec<String> = METRICS
                .iter()
                .map(|&(m, _)| {
                    if c.lines.total == 0 {
                        "0".to_string()
                    } else {
                        rules.show(c, m, 0)
                    }
                })
                .collect();
            assert_eq!(shown, want, "{rel} {name}");
            let column = cells[5].trim();
            let ours = uncovered(f);
            match column.strip_prefix("...") {
                Some(tail) => assert!(ours.ends_with(tail), "{rel} {name}: {ours} vs {column}"),
                None => assert_eq!(ours, column, "{rel} {name}"),
            }
        }
        assert_eq!(seen, r.files.len(), "{rel}: rows matched");
    }
}

#[derive(Default)]
struct LcovFile {
    da: Vec<(u32, u64)>,
    brda: BTreeMap<u32, (u32, u32)>,
    fns: Vec<(u32, String)>,
    fnda: Vec<(u64, String)>,
}

fn lcov(rel: &str) -> HashMap<String, LcovFile> {
    let text = std::fs::read_to_string(dir(rel).join("lcov.info")).expect("lcov.info");
    let mut out = HashMap::new();
    let mut sf = String::new();
    let mut cur = LcovFile::default();
    for line in text.lines() {
        let (tag, rest) = line.split_once(':').unwrap_or((line, ""));
        match tag {
            "SF" => sf = rest.to_string(),
            "DA" => {
                let (l, h) = rest.split_once(',').expect("DA");
                cur.da
                    .push((l.parse().expect("line"), h.parse().expect("hits")));
            }
            "BRDA" => {
                let v: Vec<&str> = rest.split(',').collect();
                let e = cur.brda.entry(v[0].parse().expect("line")).or_default();
                e.1 += 1;
                if v[3] != "-" && v[3] != "0" {
                    e.0 += 1;
                }
            }
            "FN" => {
                let (l, n) = rest.split_once(',').expect("FN");
                cur.fns.push((l.parse().expect("line"), n.to_string()));
            }
            "FNDA" => {
                let (h, n) = rest.split_once(',').expect("FNDA");
                cur.fnda.push((h.parse().expect("hits"), n.to_string()));
            }
            "end_of_record" => {
                out.insert(std::mem::take(&mut sf), std::mem::take(&mut cur));
            }
            _ => {}
        }
    }
    out
}

/// The line data equals what Istanbul's own LCOV writer printed from the same data:
/// DA lines and counts, BRDA per line, FN lines and names, FNDA counts.
#[test]
fn line_data_equals_the_runs_lcov() {
    for rel in DIRS {
        let r = load(rel, "coverage-final.json");
        let records = lcov(rel);
        assert_eq!(records.len(), r.files.len(), "{rel}");
        for f in &r.files {
            let full = r.original_path(f);
            let (_, rec) = records
                .iter()
                .find(|(sf, _)| full.ends_with(&format!("/{sf}")))
                .unwrap_or_else(|| panic!("{rel}: no LCOV record for {full}"));
            let ctx = format!("{rel} {}", f.path);
            let mut ours: Vec<(u32, u64)> = f
                .executed_lines
                .iter()
                .copied()
                .zip(f.line_hits.iter().copied())
                .chain(f.missing_lines.iter().map(|&l| (l, 0)))
                .collect();
            ours.sort_unstable();
            assert_eq!(ours, rec.da, "{ctx}: DA");
            // (A file with no line executed has no hit counts to align: hits() is None.)
            if !f.line_hits.is_empty() {
                for &(line, hits) in &rec.da {
                    assert_eq!(f.hits(line, true), Some(hits), "{ctx}: line {line}");
                }
            }
            let branches: BTreeMap<u32, (u32, u32)> = f
                .line_branches
                .iter()
                .map(|b| (b.line, (b.taken, b.total)))
                .collect();
            assert_eq!(branches, rec.brda, "{ctx}: BRDA");
            let fns: Vec<(u32, String)> = f
                .regions
                .iter()
                .map(|g| (g.start_line.expect("line"), g.name.clone()))
                .collect();
            assert_eq!(fns, rec.fns, "{ctx}: FN");
            let fnda: Vec<(u64, String)> = f
                .regions
                .iter()
                .map(|g| (g.hits.expect("hits"), g.name.clone()))
                .collect();
            assert_eq!(fnda, rec.fnda, "{ctx}: FNDA");
        }
    }
}

#[test]
fn quirks_of_the_fixtures() {
    // qs: floor, not round (3263/3265 is 99.938…; 827/829 is 99.758…).
    let qs = load("qs-6.17.1/nyc-18.0.0", "coverage-final.json");
    let t = qs.totals();
    assert_eq!(t.statements, Tally::new(3263, 3265));
    assert_eq!(ISTANBUL.show(&t, Metric::Statements, 0), "99.93");
    assert_eq!(ISTANBUL.show(&t, Metric::Branches, 0), "99.75");
    assert_eq!(qs.root.as_deref(), Some("/build/js/qs/"));
    // test/stringify.js: 885 statements on 866 distinct start lines.
    let s = qs
        .files
        .iter()
        .find(|f| f.path == "test/stringify.js")
        .expect("stringify");
    assert_eq!(s.counts.statements.total, 885);
    assert_eq!(s.counts.lines.total, 866);
    assert_eq!(s.counts.partial_branches, 1);
    // nyc's `all: true` placeholder: eslint.config.mjs at 0 of 2 lines, lines 59 and 64.
    let e = qs
        .files
        .iter()
        .find(|f| f.path == "eslint.config.mjs")
        .expect("eslint.config.mjs");
    assert_eq!(e.missing_lines, vec![59, 64]);
    assert!(e.regions.iter().all(|g| g.hits == Some(0)));

    // Gate vectors (nyc check-coverage: the floored pct below the threshold fails).
    let rules = qs.rules();
    let lines = rules.percent(&t, Metric::Lines);
    assert!(rules.passes(lines, 99.93, 0));
    assert!(!rules.passes(lines, 99.94, 0));
    assert!(!rules.passes(rules.percent(&t, Metric::Branches), 99.76, 0));
    assert!(rules.passes(rules.percent(&t, Metric::Functions), 99.68, 0));

    // c8: one statement per line, one location per branch.
    let c8 = load("resolve-1.22.14/c8-12.0.0", "coverage-final.json");
    for f in &c8.files {
        assert_eq!(f.counts.statements, f.counts.lines, "{}", f.path);
        assert!(f.line_branches.iter().all(|b| b.taken <= b.total));
    }
    let caller = c8
        .files
        .iter()
        .find(|f| f.path == "lib/caller.js")
        .expect("caller.js");
    assert_eq!(caller.missing_lines, (6..=11).collect::<Vec<u32>>());
    assert_eq!(caller.counts.functions, Tally::new(0, 1));

    // Vitest v8: six type-only files at 0 of 0 (100 in the JSON and text-summary, 0 in the
    // text table), and null end columns read.
    let v8 = load(
        "zod-4.1.12/vitest-4.1.12-coverage-v8",
        "coverage-final.json",
    );
    let empty: Vec<&str> = v8
        .files
        .iter()
        .filter(|f| f.counts.lines.total == 0)
        .map(|f| f.path.as_str())
        .collect();
    assert_eq!(empty.len(), 6, "{empty:?}");
    assert_eq!(v8.root.as_deref(), Some("/build/js/zod/src/v3/"));
    let util = v8
        .files
        .iter()
        .find(|f| f.path == "helpers/util.ts")
        .expect("util.ts");
    assert!(util
        .regions
        .iter()
        .any(|g| g.name == "assertIs" && g.start_line == Some(6) && g.hits == Some(0)));

    // Jest: hashids' uncovered lines exactly as printed (the column is not cut there).
    let jest = load("hashids-2.3.0/jest-30.5.2", "coverage-final.json");
    let h = jest
        .files
        .iter()
        .find(|f| f.path == "hashids.ts")
        .expect("hashids.ts");
    assert_eq!(
        missing_ranges(h, false),
        "40, 45, 50, 64, 127, 131-132, 139, 166-188, 234-240, 246-253, 262"
    );
    assert_eq!(h.hits(40, true), Some(0));
    let first = h.executed_lines[0];
    assert_eq!(h.hits(first, true), Some(h.line_hits[0]));
    assert!(h.line_hits[0] > 0);
}

/// A first file whose `inputSourceMap` (with the sources' text) pushes `statementMap`
/// beyond the 64 KB detection looks at is still read as Istanbul (the coverage.py reader's
/// key probe hands it over), the source map skipped.
#[test]
fn a_large_input_source_map_does_not_hide_the_format() {
    let doc = format!(
        r#"{{"/p/a.js": {{"path": "/p/a.js", "inputSourceMap": {{"version": 3,
            "sourcesContent": ["{}"], "mappings": "AAAA"}},
          "statementMap": {{"0": {{"start": {{"line": 1, "column": 0}}, "end": {{"line": 1, "column": 9}}}}}},
          "fnMap": {{}}, "branchMap": {{}}, "s": {{"0": 2}}, "f": {{}}, "b": {{}}}}}}"#,
        "x".repeat(100_000)
    );
    let r = parse(
        "coverage-final.json",
        doc.as_bytes(),
        ParseOptions::default(),
    )
    .expect("read");
    assert_eq!(r.source.format, "istanbul-json");
    assert_eq!(r.files[0].counts.lines, Tally::new(1, 1));
    assert_eq!(r.files[0].line_hits, vec![2]);
}
