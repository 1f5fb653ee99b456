//! Every real Cobertura XML in tests/fixtures, read through `covgap_core::parse` (detection
//! included) and compared with what the tool that wrote it says: coverage.py's JSON and
//! `coverage report --precision=2` rows, gcovr's summary and text tables, Istanbul's
//! coverage-summary.json (EXPECTED-per-file.tsv) and lcov.info.

use covgap_core::model::LineBranches;
use covgap_core::rules::{COVERAGEPY, GCOVR, ISTANBUL};
use covgap_core::{parse, Counts, Metric, ParseOptions, Report, Tally, Tool};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn load(rel: &str) -> Report {
    let bytes = std::fs::read(fixtures().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
    parse(rel, &bytes, ParseOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// A TSV with a header as (first column → column → value), in order.
fn tsv(rel: &str) -> Vec<(String, HashMap<String, String>)> {
    let text = std::fs::read_to_string(fixtures().join(rel)).expect(rel);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().expect("header").split('\t').collect();
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            let row = header
                .iter()
                .zip(&cells)
                .map(|(h, c)| (h.to_string(), c.to_string()))
                .collect();
            (cells[0].to_string(), row)
        })
        .collect()
}

fn num(row: &HashMap<String, String>, col: &str) -> u64 {
    row[col]
        .parse()
        .unwrap_or_else(|_| panic!("{col}: {:?}", row[col]))
}

const COVERAGEPY_RUNS: &[&str] = &[
    "attrs-26.1.0/coveragepy-7.17.3-branch",
    "jinja2-3.1.6/coveragepy-7.17.3-branch",
    "more-itertools-11.2.1/coveragepy-7.17.3-statements",
    "packaging-24.1/coveragepy-7.17.3-branch",
    "packaging-25.0/coveragepy-6.5.0-branch",
    "packaging-25.0/coveragepy-7.17.3-branch",
    "packaging-25.0/coveragepy-7.17.3-branch-contexts-small",
    "packaging-25.0/coveragepy-7.4.4-branch",
];

/// The JSON file of the same run that an XML file name stands for: the same path, or (with
/// several `<source>`s) the path under one of them.
fn json_name<'a>(xml_path: &str, json: &'a Report) -> &'a str {
    json.files
        .iter()
        .map(|f| f.path.as_str())
        .find(|p| *p == xml_path)
        .or_else(|| {
            let mut it = json
                .files
                .iter()
                .map(|f| f.path.as_str())
                .filter(|p| p.ends_with(&format!("/{xml_path}")));
            let one = it.next();
            assert!(it.next().is_none(), "{xml_path} is ambiguous");
            one
        })
        .unwrap_or_else(|| panic!("{xml_path} is not in the JSON"))
}

#[test]
fn coveragepy_xml_equals_coveragepy_json_and_report() {
    for run in COVERAGEPY_RUNS {
        let xml = load(&format!("{run}/coverage.xml"));
        let json = load(&format!("{run}/coverage.json"));
        assert_eq!(xml.source.tool, Tool::CoveragePy, "{run}");
        assert_eq!(xml.source.format, "cobertura-xml");
        assert_eq!(xml.metrics, json.metrics, "{run}");
        assert_eq!(
            xml.source.branch_coverage, json.source.branch_coverage,
            "{run}"
        );
        assert_eq!(xml.source.tool_version, json.source.tool_version, "{run}");
        assert_eq!(xml.files.len(), json.files.len(), "{run}");
        let rules = xml.rules();
        // Totals: the same counts, so the very same combined float as the JSON's.
        let (xt, jt) = (xml.totals(), json.totals());
        assert_eq!(xt.statements, jt.statements, "{run}");
        assert_eq!(xt.branches, jt.branches, "{run}");
        assert_eq!(xt.partial_branches, jt.partial_branches, "{run}");
        // The JSON's totals as written (serde_json's default float parsing may be one ulp
        // off, so the number is read from the text with Rust's correctly rounded parse).
        let text =
            std::fs::read_to_string(fixtures().join(format!("{run}/coverage.json"))).expect("json");
        let totals = &text[text.rfind("\"totals\"").expect("totals")..];
        let field = |key: &str| {
            let at = totals.find(&format!("\"{key}\": ")).expect(key) + key.len() + 4;
            let v = &totals[at..];
            let end = v.find([',', '}']).expect("end");
            v[..end].trim().trim_matches('"').to_string()
        };
        let pc: f64 = field("percent_covered").parse().expect("percent");
        assert_eq!(
            rules.percent(&xt, Metric::Combined).to_bits(),
            pc.to_bits(),
            "{run}"
        );
        assert_eq!(
            rules.show(&xt, Metric::Combined, 0),
            field("percent_covered_display"),
            "{run}"
        );
        assert_eq!(
            xml.declared_totals.map(|d| d.statements),
            Some(xt.statements)
        );
        assert!(
            xml.warnings
                .iter()
                .all(|w| w.contains("source directories")),
            "{run}: {:?}",
            xml.warnings
        );

        // Per file: EXPECTED-per-file.tsv (the JSON summaries and `coverage report` rows).
        let expected = tsv(&format!("{run}/EXPECTED-per-file.tsv"));
        let by_name: HashMap<&str, &HashMap<String, String>> =
            expected.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let mut checked_arcs = 0;
        for f in &xml.files {
            let name = json_name(&f.path, &json);
            let row = by_name[name];
            let c = &f.counts;
            assert_eq!(
                c.statements.total,
                num(row, "json.num_statements"),
                "{name}"
            );
            assert_eq!(
                c.statements.covered,
                num(row, "json.covered_lines"),
                "{name}"
            );
            if row.contains_key("json.num_branches") {
                assert_eq!(c.branches.total, num(row, "json.num_branches"), "{name}");
                assert_eq!(
                    c.branches.covered,
                    num(row, "json.covered_branches"),
                    "{name}"
                );
                assert_eq!(
                    c.partial_branches,
                    num(row, "json.num_partial_branches"),
                    "{name}"
                );
            }
            let pc: f64 = row["json.percent_covered"].parse().expect("pc");
            assert_eq!(
                rules.percent(c, Metric::Combined).to_bits(),
                pc.to_bits(),
                "{name}"
            );
            assert_eq!(
                rules.show(c, Metric::Combined, 0),
                row["json.percent_covered_display"],
                "{name}"
            );
            assert_eq!(
                format!("{}%", rules.show(c, Metric::Combined, 2)),
                row["report_p2.Cover"],
                "{name}"
            );
            // Line data: the JSON's own lists.
            let jf = json
                .files
                .iter()
                .find(|j| j.path == name)
                .expect("json file");
            assert_eq!(f.missing_lines, jf.missing_lines, "{name}");
            assert!(f.line_hits.iter().all(|&h| h == 1), "{name}");
            for l in &f.executed_lines {
                assert!(jf.executed_lines.binary_search(l).is_ok(), "{name}:{l}");
            }
            if !jf.executed_branches.is_empty() || !jf.missing_branches.is_empty() {
                let mut want: BTreeMap<u32, (u32, u32)> = BTreeMap::new();
                for a in &jf.executed_branches {
                    let e = want.entry(a.from as u32).or_default();
                    e.0 += 1;
                    e.1 += 1;
                }
                for a in &jf.missing_branches {
                    want.entry(a.from as u32).or_default().1 += 1;
                }
                // coverage.py writes condition-coverage for lines with two or more exits.
                let want: Vec<LineBranches> = want
                    .into_iter()
                    .filter(|(_, (_, t))| *t > 1)
                    .map(|(line, (taken, total))| LineBranches { line, taken, total })
                    .collect();
                // Older coverage.py JSON lists arcs that are not branches (coverage.py
                // 6.5.0's packaging report lists 3 arcs from lines with 2 branches): compare
                // where the arcs add up to the file's branch count.
                let arcs: u64 = want.iter().map(|b| u64::from(b.total)).sum();
                if arcs == c.branches.total {
                    assert_eq!(f.line_branches, want, "{run} {name}");
                    checked_arcs += 1;
                }
            }
        }
        if run.contains("7.17.3-branch") {
            let with_arcs = json
                .files
                .iter()
                .filter(|j| !j.executed_branches.is_empty() || !j.missing_branches.is_empty())
                .count();
            assert_eq!(checked_arcs, with_arcs, "{run}");
        }
    }
}

#[test]
fn coveragepy_gate_and_displays() {
    // attrs: 1823+687 of 1831+692, "99" at precision 0 and "99.48" at 2 (MANIFEST).
    let r = load("attrs-26.1.0/coveragepy-7.17.3-branch/coverage.xml");
    let t = r.totals();
    assert_eq!(t.statements, Tally::new(1823, 1831));
    assert_eq!(t.branches, Tally::new(687, 692));
    assert_eq!(r.rules().show(&t, Metric::Combined, 0), "99");
    assert_eq!(r.rules().show(&t, Metric::Combined, 2), "99.48");
    assert_eq!(r.root.as_deref(), Some("/build/src/attrs-26.1.0/"));
    assert_eq!(
        r.original_path(&r.files[0]),
        "/build/src/attrs-26.1.0/src/attr/__init__.py"
    );
    // jinja2: 92.20644543714103, "92"; fail_under 92.21 passes in 7.17.3 (2 decimals).
    let r = load("jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.xml");
    let t = r.totals();
    let pc = COVERAGEPY.percent(&t, Metric::Combined);
    assert_eq!(pc, 92.20644543714103);
    assert_eq!(r.rules().show(&t, Metric::Combined, 0), "92");
    assert!(r.rules().passes(pc, 92.21, 0));
    assert!(!r.rules().passes(pc, 93.0, 0));
    // Two <source>s: names as written, and why.
    assert_eq!(r.root, None);
    assert!(r.files.iter().any(|f| f.path == "test_api.py"));
    assert!(r
        .warnings
        .iter()
        .any(|w| w.contains("2 source directories")));
    // Statements only: no branch metric.
    let r = load("more-itertools-11.2.1/coveragepy-7.17.3-statements/coverage.xml");
    assert_eq!(r.metrics, [Metric::Combined, Metric::Statements]);
    assert!(!r.source.branch_coverage);
    // The timestamp (ms since 1970) as ISO 8601.
    assert_eq!(
        r.source.timestamp.as_deref(),
        Some("2026-11-21T05:39:52.782Z")
    );
}

const GCOVR_RUN: &str = "libargon2-from-argon2-cffi-bindings-26.2.0/gcovr-5.2_lcov-1.16_gcc-12.2.0";

/// gcovr's text table rows: file → (total, covered, cover, missing).
fn gcovr_table(rel: &str) -> BTreeMap<String, (u64, u64, String, String)> {
    let text = std::fs::read_to_string(fixtures().join(rel)).expect(rel);
    text.lines()
        .filter(|l| l.starts_with("src/") || l.starts_with("TOTAL"))
        .map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            (
                cells[0].to_string(),
                (
                    cells[1].parse().expect("total"),
                    cells[2].parse().expect("covered"),
                    cells[3].trim_end_matches('%').to_string(),
                    cells.get(4).unwrap_or(&"").to_string(),
                ),
            )
        })
        .collect()
}

fn expand(ranges: &str) -> Vec<u32> {
    let mut v = Vec::new();
    for part in ranges.split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => v.extend(a.parse::<u32>().expect("a")..=b.parse().expect("b")),
            None => v.push(part.parse().expect("line")),
        }
    }
    v
}

#[test]
fn gcovr_equals_its_summary_and_tables() {
    let r = load(&format!("{GCOVR_RUN}/coverage.xml"));
    assert_eq!(r.source.tool, Tool::Gcovr);
    assert_eq!(r.source.tool_version.as_deref(), Some("gcovr 5.2"));
    assert_eq!(r.metrics, [Metric::Lines, Metric::Branches]);
    assert_eq!(r.root, None, "<source>.</source> is no directory to show");
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    let t = r.totals();
    // gcovr-xml-print-summary.txt, verbatim.
    let summary = std::fs::read_to_string(
        fixtures().join(format!("{GCOVR_RUN}/gcovr-xml-print-summary.txt")),
    )
    .expect("summary");
    for (m, word) in [(Metric::Lines, "lines"), (Metric::Branches, "branches")] {
        let tally = t.get(m);
        let line = format!(
            "{word}: {}% ({} out of {})",
            r.rules().show(&t, m, 0),
            tally.covered,
            tally.total
        );
        assert!(summary.contains(&line), "{line}");
    }
    assert_eq!(t.lines, Tally::new(799, 1003));
    assert_eq!(t.branches, Tally::new(326, 587));
    // Functions only on the root element: kept as declared, not a metric of the files.
    let d = r.declared_totals.expect("declared");
    assert_eq!(d.functions, Tally::new(45, 66));
    assert_eq!((d.lines, d.branches), (t.lines, t.branches));
    // The gate: 79.7 fails 80; the rounded figure passes 79.7.
    let pc = r.rules().percent(&t, Metric::Lines);
    assert!(!r.rules().passes(pc, 80.0, 0));
    assert!(r.rules().passes(pc, 79.7, 0));
    assert!(r
        .rules()
        .passes(r.rules().tally_percent(Tally::new(83, 84)), 80.0, 0));

    // The text tables: per file counts, the Cover column (gcovr truncates its rounded
    // figure: 98.8 shows 98, 0 of 0 shows --) and the Missing columns.
    let lines = gcovr_table(&format!("{GCOVR_RUN}/gcovr-summary.txt"));
    let branches = gcovr_table(&format!("{GCOVR_RUN}/gcovr-branches-summary.txt"));
    assert_eq!(lines.len(), r.files.len() + 1);
    for f in &r.files {
        let c = &f.counts;
        let (lt, lc, lcover, lmissing) = &lines[&f.path];
        assert_eq!((c.lines.total, c.lines.covered), (*lt, *lc), "{}", f.path);
        let table = |m| {
            let s = GCOVR.show(c, m, 0);
            s.split('.').next().unwrap_or(&s).to_string()
        };
        assert_eq!(&table(Metric::Lines), lcover, "{}", f.path);
        let (bt, bc, bcover, bmissing) = &branches[&f.path];
        assert_eq!(
            (c.branches.total, c.branches.covered),
            (*bt, *bc),
            "{}",
            f.path
        );
        assert_eq!(&table(Metric::Branches), bcover, "{}", f.path);
        // Missing ranges may run across lines that are not code: every missing line is in
        // them, and every measured line in them is missing.
        let ranges = expand(lmissing);
        for l in &f.missing_lines {
            assert!(ranges.contains(l), "{}:{l}", f.path);
        }
        for l in &ranges {
            assert!(f.executed_lines.binary_search(l).is_err(), "{}:{l}", f.path);
        }
        let partial: Vec<u32> = f
            .line_branches
            .iter()
            .filter(|b| b.taken < b.total)
            .map(|b| b.line)
            .collect();
        assert_eq!(partial, expand(bmissing), "{}", f.path);
    }
    let (tt, tc, tcover, _) = &lines["TOTAL"];
    assert_eq!((t.lines.total, t.lines.covered), (*tt, *tc));
    assert_eq!(tcover, "79");
    // Hit counts as gcov counted them (argon2.c line 26: 86; line 28: missing).
    let argon2 = r
        .files
        .iter()
        .find(|f| f.path == "src/argon2.c")
        .expect("argon2.c");
    assert_eq!(argon2.hits(26, true), Some(86));
    assert_eq!(argon2.hits(28, true), Some(0));
    assert_eq!(
        argon2.line_branches.first(),
        Some(&LineBranches {
            line: 27,
            taken: 2,
            total: 4
        })
    );
}

const ISTANBUL_RUNS: &[&str] = &[
    "qs-6.17.1/nyc-18.0.0",
    "object-inspect-1.13.4/nyc-18.0.0",
    "resolve-1.22.14/c8-12.0.0",
    "hashids-2.3.0/jest-30.5.2",
    "zod-4.1.12/vitest-4.1.12-coverage-v8",
    "zod-4.1.12/vitest-4.1.12-coverage-istanbul",
];

/// lcov.info of the same run: file → (line → hits, line → (taken, total)).
type LcovFile = (BTreeMap<u32, u64>, BTreeMap<u32, (u32, u32)>);

fn lcov(rel: &str) -> HashMap<String, LcovFile> {
    let text = std::fs::read_to_string(fixtures().join(rel)).expect(rel);
    let mut out: HashMap<String, LcovFile> = HashMap::new();
    let mut cur = String::new();
    for l in text.lines() {
        if let Some(p) = l.strip_prefix("SF:") {
            cur = p.to_string();
            out.entry(cur.clone()).or_default();
        } else if let Some(d) = l.strip_prefix("DA:") {
            let (line, hits) = d.split_once(',').expect("DA");
            let e = out.get_mut(&cur).expect("SF");
            e.0.insert(line.parse().expect("line"), hits.parse().expect("hits"));
        } else if let Some(b) = l.strip_prefix("BRDA:") {
            let parts: Vec<&str> = b.split(',').collect();
            let e = out.get_mut(&cur).expect("SF");
            let slot = e.1.entry(parts[0].parse().expect("line")).or_default();
            slot.1 += 1;
            if parts[3] != "-" && parts[3] != "0" {
                slot.0 += 1;
            }
        }
    }
    out
}

#[test]
fn istanbul_lines_and_functions_equal_istanbul() {
    for run in ISTANBUL_RUNS {
        let r = load(&format!("{run}/cobertura-coverage.xml"));
        assert_eq!(r.source.tool, Tool::Istanbul, "{run}");
        assert_eq!(
            r.metrics,
            [Metric::Branches, Metric::Functions, Metric::Lines]
        );
        let rules = r.rules();
        let expected = tsv(&format!("{run}/EXPECTED-per-file.tsv"));
        let rows: HashMap<&str, &HashMap<String, String>> =
            expected.iter().map(|(k, v)| (k.as_str(), v)).collect();
        let tally = |row: &HashMap<String, String>, m: &str| {
            Tally::new(
                num(row, &format!("{m}.covered")),
                num(row, &format!("{m}.total")),
            )
        };
        let mut lost = 0;
        for f in &r.files {
            let row = rows[r.original_path(f).as_str()];
            for (m, key) in [(Metric::Lines, "lines"), (Metric::Functions, "functions")] {
                assert_eq!(f.counts.get(m), tally(row, key), "{run} {} {key}", f.path);
                assert_eq!(
                    rules.show(&f.counts, m, 0),
                    row[&format!("{key}.pct")],
                    "{}",
                    f.path
                );
            }
            // Branches: exact where no branch sits on a line without a statement start;
            // otherwise fewer, never more.
            let want = tally(row, "branches");
            if f.counts.branches == want {
                assert_eq!(
                    rules.show(&f.counts, Metric::Branches, 0),
                    row["branches.pct"]
                );
            } else {
                assert!(f.counts.branches.total < want.total, "{run} {}", f.path);
                lost += 1;
            }
        }
        // Totals: lines and functions are Istanbul's; its branch totals are kept as
        // declared, and a warning says why the files' differ.
        let total = rows["total"];
        let t = r.totals();
        assert_eq!(t.files as usize, expected.len() - 1, "{run}");
        for (m, key) in [(Metric::Lines, "lines"), (Metric::Functions, "functions")] {
            assert_eq!(t.get(m), tally(total, key), "{run} {key}");
            assert_eq!(rules.show(&t, m, 0), total[&format!("{key}.pct")], "{run}");
        }
        let d = r.declared_totals.expect("declared");
        assert_eq!(d.branches, tally(total, "branches"), "{run}");
        assert_eq!(d.lines, t.lines, "{run}");
        assert_eq!(
            rules.show(&d, Metric::Branches, 0),
            total["branches.pct"],
            "{run}"
        );
        if lost > 0 {
            assert!(
                r.warnings
                    .iter()
                    .any(|w| w.contains("only on a line where a statement starts")),
                "{run}: {:?}",
                r.warnings
            );
        } else {
            assert_eq!(t.branches, d.branches, "{run}");
            assert!(r.warnings.is_empty(), "{run}: {:?}", r.warnings);
        }

        // Line data: lcov.info of the same run (the same getLineCoverage hits; BRDA
        // grouped by line on every line that has a statement).
        let info = lcov(&format!("{run}/lcov.info"));
        for f in &r.files {
            let (da, brda) = &info[&f.path];
            let ours: BTreeMap<u32, u64> = f
                .executed_lines
                .iter()
                .zip(&f.line_hits)
                .map(|(&l, &h)| (l, h))
                .chain(f.missing_lines.iter().map(|&l| (l, 0)))
                .collect();
            assert_eq!(&ours, da, "{run} {}", f.path);
            let want: Vec<LineBranches> = brda
                .iter()
                .filter(|(l, _)| da.contains_key(l))
                .map(|(&line, &(taken, total))| LineBranches { line, taken, total })
                .collect();
            assert_eq!(f.line_branches, want, "{run} {}", f.path);
        }
    }
}

#[test]
fn istanbul_displays_and_gates() {
    let r = load("qs-6.17.1/nyc-18.0.0/cobertura-coverage.xml");
    assert_eq!(r.root.as_deref(), Some("/build/js/qs/"));
    let t = r.totals();
    // 3204/3206 floors to 99.93 (rounding would give 99.94); nyc check-coverage compares
    // the floored figure.
    assert_eq!(ISTANBUL.show(&t, Metric::Lines, 0), "99.93");
    assert_eq!(ISTANBUL.show(&t, Metric::Functions, 0), "99.68");
    let pc = r.rules().percent(&t, Metric::Lines);
    assert!(r.rules().passes(pc, 99.93, 0));
    assert!(!r.rules().passes(pc, 99.94, 0));
    let d = r.declared_totals.expect("declared");
    assert_eq!(ISTANBUL.show(&d, Metric::Branches, 0), "99.75");
    // Functions are Istanbul's methods, with their call counts.
    let parse = r
        .files
        .iter()
        .find(|f| f.path == "lib/parse.js")
        .expect("parse.js");
    assert_eq!(parse.regions.len(), 16);
    assert!(parse.regions.iter().all(|g| g.hits.is_some_and(|h| h > 0)));
    let eslint = r
        .files
        .iter()
        .find(|f| f.path == "eslint.config.mjs")
        .expect("eslint");
    assert_eq!(eslint.regions[0].name, "(anonymous_0)");
    assert_eq!(eslint.regions[0].start_line, Some(59));
    assert_eq!(eslint.regions[0].hits, Some(0));
    assert_eq!(eslint.missing_lines, [59, 64]);
    // object-inspect: 24 of 38 functions floors to 63.15.
    let r = load("object-inspect-1.13.4/nyc-18.0.0/cobertura-coverage.xml");
    assert_eq!(ISTANBUL.show(&r.totals(), Metric::Functions, 0), "63.15");
}

#[test]
fn the_same_numbers_whatever_the_file_is_called() {
    // A real report named .json is still read as what it is.
    let xml = load("packaging-25.0/coveragepy-7.17.3-branch/coverage.xml");
    let renamed = load("_malformed/cobertura-xml-in-json-slot.coverage.json");
    assert_eq!(xml.files, renamed.files);
    assert_eq!(xml.totals(), renamed.totals());
    let t: Counts = renamed.totals();
    assert_eq!(t.statements, Tally::new(1932, 1932));
    assert_eq!(t.branches, Tally::new(650, 650));
}
