//! Every broken or hostile input in tests/fixtures/_malformed behaves as its INDEX.tsv row
//! asks: rejected with a message that names the file and the problem, or accepted (with a
//! warning where something was repaired), and never a panic.

use covgap_core::{parse, ErrorKind, ParseOptions};
use std::path::Path;

enum Want {
    /// Rejected; the message contains this text.
    Reject(&'static str),
    /// Accepted with no warning.
    Accept,
    /// Accepted with a warning containing this text.
    Warn(&'static str),
}
use Want::*;

const CASES: &[(&str, Want)] = &[
    (
        "truncated-mid-token.coverage.json",
        Reject("ends too early"),
    ),
    (
        "truncated-after-files-brace.coverage.json",
        Reject("ends too early"),
    ),
    (
        "truncated-last-byte-missing.coverage.json",
        Reject("ends too early"),
    ),
    ("empty-0-bytes.coverage.json", Reject("the file is empty")),
    ("whitespace-only.coverage.json", Reject("the file is empty")),
    ("json-null.coverage.json", Reject("the top level is null")),
    (
        "json-empty-object.coverage.json",
        Reject("the JSON object is empty"),
    ),
    (
        "json-array-toplevel.coverage.json",
        Reject("the top level is an array"),
    ),
    ("bom-prefixed.coverage.json", Warn("byte-order mark")),
    (
        "invalid-utf8-in-filename.coverage.json",
        Warn("not valid UTF-8"),
    ),
    (
        "wrong-format-99.coverage.json",
        Reject("unsupported coverage.py JSON format 99"),
    ),
    (
        "format-as-string.coverage.json",
        Reject("\"meta\" → \"format\""),
    ),
    ("missing-meta.coverage.json", Warn("no \"meta\"")),
    ("missing-files.coverage.json", Reject("no \"files\"")),
    (
        "missing-totals.coverage.json",
        Warn("recomputed from the files"),
    ),
    // Real reports of other tools in the coverage.py slot: read by their own readers.
    ("istanbul-in-coverage-py-slot.coverage.json", Accept),
    ("llvm-cov-in-coverage-py-slot.coverage.json", Accept),
    // A real LCOV tracefile named .json: read as LCOV, from its content.
    ("lcov-text-in-json-slot.coverage.json", Accept),
    // A real Cobertura XML named .json: the content decides.
    ("cobertura-xml-in-json-slot.coverage.json", Accept),
    ("huge-integers.coverage.json", Reject("expected u32")),
    (
        "float-overflow-1e400.coverage.json",
        Reject("number out of range"),
    ),
    (
        "wrong-types-and-ranges.coverage.json",
        Reject("\"src/packaging/version.py\""),
    ),
    (
        "inconsistent-lines.coverage.json",
        Warn("both executed and missing"),
    ),
    (
        "deeply-nested-array-100k.coverage.json",
        Reject("executed_lines"),
    ),
    ("unknown-extra-keys.coverage.json", Accept),
    ("hostile-filenames-valid-utf8.coverage.json", Accept),
    ("hostile-filenames-ascii-escaped.coverage.json", Accept),
    ("with-zero-statement-files.coverage.json", Accept),
    ("empty-report-no-files.coverage.json", Accept),
    ("only-zero-statement-files.coverage.json", Accept),
    // Other formats' broken files: named as what they are, never a panic.
    // Cobertura XML.
    (
        "truncated.coverage.xml",
        Reject("read as Cobertura XML: the file ends too early (it stops inside a tag)"),
    ),
    (
        "billion-laughs.coverage.xml",
        Reject("read as Cobertura XML: the DOCTYPE declares entities"),
    ),
    ("hostile-filenames.coverage.xml", Accept),
    (
        "xxe-system-entity.coverage.xml",
        Reject("declares entities (<!ENTITY …>), some of them external"),
    ),
    ("external-dtd.coverage.xml", Accept),
    (
        "external-dtd-entity.coverage.xml",
        Reject("the entity reference &pkg; is not one of XML's five predefined entities"),
    ),
    (
        "deeply-nested-100k.coverage.xml",
        Reject("elements are nested more than 256 levels deep"),
    ),
    (
        "attribute-garbage.coverage.xml",
        Reject("<line hits=\"lots\" is not a whole number"),
    ),
    (
        "negative-hits.coverage.xml",
        Reject("hits=\"-1\" is negative"),
    ),
    (
        "huge-line-number.coverage.xml",
        Reject("number=\"99999999999999999999\" is too large"),
    ),
    (
        "unquoted-attribute.coverage.xml",
        Reject("not well-formed XML"),
    ),
    (
        "mismatched-tags.coverage.xml",
        Reject("not well-formed XML: </line> closes <lines>"),
    ),
    (
        "condition-coverage-garbage.coverage.xml",
        Warn("condition-coverage value(s) covgap cannot read: \"most (of them)\""),
    ),
    ("duplicate-lines.coverage.xml", Warn("lines listed twice")),
    (
        "wrong-nesting.coverage.xml",
        Warn("outside the place Cobertura puts them"),
    ),
    ("empty-report.coverage.xml", Accept),
    ("hostile-filenames-bidi.coverage.xml", Accept),
    // JaCoCo XML.
    (
        "negative-counter.jacoco.xml",
        Reject("read as JaCoCo XML: <counter missed=\"-1\" is negative"),
    ),
    (
        "huge-counter.jacoco.xml",
        Reject("covered=\"36380000000000000000000\" is too large"),
    ),
    (
        "truncated.jacoco.xml",
        Reject("read as JaCoCo XML: the file ends too early"),
    ),
    (
        "counters-disagree.jacoco.xml",
        Warn("instructions: 3638 of 3702 declared, 3638 of 3701 in the files"),
    ),
    (
        "xxe.jacoco.xml",
        Reject("read as JaCoCo XML: the DOCTYPE declares entities"),
    ),
    ("hostile-names.jacoco.xml", Accept),
    ("empty-report.jacoco.xml", Accept),
    (
        "deeply-nested-groups.jacoco.xml",
        Reject("elements are nested more than 256 levels deep"),
    ),
    (
        "truncated.coverage.lcov",
        Reject("read as LCOV tracefile: the file ends too early (the last record, \
                SF:src/packaging/requirements.py from line 1650, stops in the middle of line \
                1680 (\"DA:59\")"),
    ),
    // Istanbul coverage-final.json.
    ("hostile-path.coverage-final.json", Accept),
    (
        "truncated.coverage-final.json",
        Reject("read as Istanbul coverage-final.json: the file ends too early"),
    ),
    (
        "negative-count.coverage-final.json",
        Reject("invalid value: integer `-3`, expected u64"),
    ),
    (
        "garbage-numbers.coverage-final.json",
        Reject("invalid type: string \"12\", expected u64"),
    ),
    ("max-u64-counts.coverage-final.json", Accept),
    (
        "count-beyond-u64.coverage-final.json",
        Reject("invalid type: floating point"),
    ),
    (
        "wrong-nesting.coverage-final.json",
        Reject("the entry for \"coverage\" has no path"),
    ),
    (
        "missing-s-map.coverage-final.json",
        Reject("\"/build/js/resolve/lib/caller.js\" has no s;"),
    ),
    (
        "duplicate-file-keys.coverage-final.json",
        Warn("listed more than once"),
    ),
    ("hostile-bidi-control-names.coverage-final.json", Accept),
    // Istanbul coverage-summary.json.
    (
        "truncated.coverage-summary.json",
        Reject("read as Istanbul coverage-summary.json: the file ends too early"),
    ),
    (
        "pct-mismatch.coverage-summary.json",
        Warn("do not follow from their counts"),
    ),
    ("legacy-rounded.coverage-summary.json", Warn("before 3.0.1")),
    ("empty.coverage-summary.json", Accept),
    // llvm-cov export JSON.
    (
        "truncated.llvm-cov-export.json",
        Reject("read as llvm-cov export JSON: the file ends too early"),
    ),
    (
        "wrong-type.llvm-cov-export.json",
        Reject("not \"llvm.coverage.json.export\""),
    ),
    ("hostile-filenames.llvm-cov-export.json", Accept),
    (
        "negative-count.llvm-cov-export.json",
        Reject("invalid value: integer `-97`, expected u64"),
    ),
    ("duplicate-files.llvm-cov-export.json", Warn("were added")),
    ("huge-line-span.llvm-cov-export.json", Warn("cut short")),
    // Nesting where a value is skipped is skipped without recursion.
    ("deeply-nested-segments.llvm-cov-export.json", Accept),
    ("empty.llvm-cov-export.json", Accept),
    // LCOV: hostile and broken tracefiles.
    (
        "truncated-at-line-end.lcov.info",
        Warn("has no end_of_record: the file may have been cut short after line 1100"),
    ),
    (
        "garbage-numbers.lcov.info",
        Warn("5 lines could not be read as LCOV records and were skipped (line 19: \"FNDA:NaN,(anonymous_1)\""),
    ),
    ("negative-and-huge-counts.lcov.info", Warn("negative count was read as 0")),
    ("duplicate-records.lcov.info", Accept),
    ("hostile-filenames.lcov.info", Accept),
    ("no-line-data.lcov.info", Warn("nothing to show")),
    ("wrong-nesting.lcov.info", Warn("stand outside any SF:")),
    ("no-records.lcov.info", Reject("it has no SF: records")),
    // Go coverprofiles.
    (
        "truncated.coverage.out",
        Reject("read as Go coverprofile: the file ends too early"),
    ),
    ("inconsistent-numstmt.coverage.out", Reject("inconsistent NumStmt")),
    ("garbage-numbers.coverage.out", Reject("the count \"12abc\" is not a number")),
    ("huge-counts.coverage.out", Reject("the count 18446744073709551616 is too large")),
    ("huge-span.coverage.out", Reject("more source lines than any real project")),
    ("mixed-modes.coverage.out", Reject("profiles of different modes cannot be merged")),
    ("concatenated.coverage.out", Warn("profiles written one after the other")),
    ("hostile-filenames.coverage.out", Accept),
    ("mode-only.coverage.out", Warn("the profile has no blocks")),
];

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/_malformed")
}

#[test]
fn every_malformed_input_behaves_as_indexed() {
    let index = std::fs::read_to_string(dir().join("INDEX.tsv")).expect("INDEX.tsv");
    let listed: Vec<&str> = index
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .collect();
    for name in &listed {
        assert!(
            CASES.iter().any(|(n, _)| n == name),
            "{name} in INDEX.tsv has no case here"
        );
    }
    for (name, want) in CASES {
        let bytes = std::fs::read(dir().join(name)).expect(name);
        for regions in [false, true] {
            let got = parse(name, &bytes, ParseOptions { regions });
            match (want, got) {
                (Reject(text), Err(e)) => {
                    let msg = e.to_string();
                    assert!(msg.starts_with(&format!("{name}: ")), "{msg}");
                    assert!(msg.contains(text), "{name}: {msg:?} lacks {text:?}");
                }
                (Accept, Ok(r)) => assert!(r.warnings.is_empty(), "{name}: {:?}", r.warnings),
                (Warn(text), Ok(r)) => {
                    assert!(
                        r.warnings.iter().any(|w| w.contains(text)),
                        "{name}: {:?}",
                        r.warnings
                    )
                }
                (_, Err(e)) => panic!("{name} should be accepted: {e}"),
                (Reject(_), Ok(_)) => panic!("{name} should be rejected"),
            }
        }
    }
}

#[test]
fn accepted_malformed_numbers() {
    let load = |n: &str| {
        parse(
            n,
            &std::fs::read(dir().join(n)).expect(n),
            ParseOptions::default(),
        )
        .expect(n)
    };
    // Same totals as the report they came from, whichever way names are escaped.
    let utf8 = load("hostile-filenames-valid-utf8.coverage.json");
    let ascii = load("hostile-filenames-ascii-escaped.coverage.json");
    assert_eq!(utf8.files, ascii.files);
    assert_eq!(Some(utf8.totals()), utf8.declared_totals);
    assert!(utf8.files.iter().any(|f| f.path.contains("<script>")));
    // Zero-statement files: 100% by coverage.py's convention, no NaN anywhere.
    let zero = load("only-zero-statement-files.coverage.json");
    assert!(zero
        .files
        .iter()
        .all(|f| f.counts.statements.total == 0 && pc(&f.counts) == 100.0));
    assert_eq!(pc(&zero.totals()), 100.0);
    let empty = load("empty-report-no-files.coverage.json");
    assert!(empty.files.is_empty());
    assert_eq!(pc(&empty.totals()), 100.0);
    // Totals recomputed when missing equal the real report's.
    let real = load("bom-prefixed.coverage.json");
    assert_eq!(load("missing-totals.coverage.json").totals(), real.totals());
    assert_eq!(
        load("unknown-extra-keys.coverage.json").totals(),
        real.totals()
    );
}

#[test]
fn other_tools_accepted_malformed_numbers() {
    let load = |n: &str| {
        parse(
            n,
            &std::fs::read(dir().join(n)).expect(n),
            ParseOptions::default(),
        )
        .expect(n)
    };
    let real = |rel: &str| {
        let p = dir().join("..").join(rel);
        parse(rel, &std::fs::read(&p).expect(rel), ParseOptions::default()).expect(rel)
    };
    let qs = real("qs-6.17.1/nyc-18.0.0/coverage-final.json");
    let semver = real("semver-1.0.28/llvm-cov-19.1.7_rustc-1.95.0/llvm-cov-export.json");
    // Real reports in the coverage.py slot: read by their own readers, same numbers.
    let slot = load("istanbul-in-coverage-py-slot.coverage.json");
    assert_eq!(slot.source.tool, covgap_core::Tool::Istanbul);
    assert_eq!(slot.totals(), qs.totals());
    let slot = load("llvm-cov-in-coverage-py-slot.coverage.json");
    assert_eq!(slot.source.tool, covgap_core::Tool::LlvmCov);
    assert_eq!(slot.totals(), semver.totals());
    assert_eq!(slot.files, semver.files);
    // Hostile names are kept as text, byte for byte; the numbers are the real ones.
    let hostile = load("hostile-path.coverage-final.json");
    assert_eq!(hostile.totals(), qs.totals());
    assert!(hostile
        .files
        .iter()
        .any(|f| hostile.original_path(f).contains("<script>")));
    let bidi = load("hostile-bidi-control-names.coverage-final.json");
    assert!(bidi.files.iter().any(|f| bidi
        .original_path(f)
        .contains("\u{202E}exe.ts\u{202C}<img src=x")
        && bidi.original_path(f).contains('\u{0}')));
    let llvm = load("hostile-filenames.llvm-cov-export.json");
    assert!(llvm
        .files
        .iter()
        .any(|f| f.path.contains("<script>alert(1)</script>\u{202E}")));
    assert_eq!(llvm.totals(), semver.totals());
    // The largest count there is, read as it is.
    let max = load("max-u64-counts.coverage-final.json");
    assert!(max.files[0].line_hits.contains(&u64::MAX));
    // A file listed twice: the last entry counts, once.
    let dup = load("duplicate-file-keys.coverage-final.json");
    let oi = real("object-inspect-1.13.4/nyc-18.0.0/coverage-final.json");
    assert_eq!(dup.totals(), oi.totals());
    // A segment four billion lines away: cut to the budget, the summary's counts kept.
    let span = load("huge-line-span.llvm-cov-export.json");
    assert_eq!(span.files[0].counts, semver.files[0].counts);
    assert!(span.files[0].executed_lines.len() + span.files[0].missing_lines.len() < 2_000_000);
    // Deep nesting where a value is skipped: the real numbers.
    let deep = load("deeply-nested-segments.llvm-cov-export.json");
    assert_eq!(deep.totals(), semver.totals());
    // Empty reports: no files, nothing divided by zero.
    for n in ["empty.llvm-cov-export.json", "empty.coverage-summary.json"] {
        let r = load(n);
        assert!(r.files.is_empty());
        for &m in &r.metrics {
            assert!(r.rules().percent(&r.totals(), m).is_finite());
        }
    }
}

#[test]
fn deep_nesting_in_istanbul_and_llvm_json() {
    let nested = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let istanbul = |inside: &str| {
        format!(
            "{{\"/a.js\": {{\"path\": \"/a.js\", \"statementMap\": {{}}, \"fnMap\": {{}}, \
             \"branchMap\": {{}}, \"s\": {{}}, \"f\": {{}}, \"b\": {{}}, {inside}}}}}"
        )
    };
    // Skipped (inputSourceMap): read.
    let ok = istanbul(&format!("\"inputSourceMap\": {nested}"));
    let r = parse("deep.json", ok.as_bytes(), ParseOptions::default()).expect("skipped");
    assert_eq!(r.files.len(), 1);
    // Where a value is read: an error, not a crash.
    let bad = istanbul(&format!(
        "\"bT\": {{}}, \"b2\": 1}}, \"/b.js\": {{\"b\": {{\"0\": {nested}}}"
    ));
    let e = parse("deep.json", bad.as_bytes(), ParseOptions::default()).expect_err("deep");
    assert!(e.to_string().contains("Istanbul"), "{e}");
    let llvm = format!(
        "{{\"data\": [{{\"files\": [{{\"filename\": \"/a.c\", \"segments\": [{nested}]}}]}}], \
         \"type\": \"llvm.coverage.json.export\"}}"
    );
    let e = parse("deep.json", llvm.as_bytes(), ParseOptions::default()).expect_err("deep");
    assert!(e.to_string().contains("llvm-cov export JSON"), "{e}");
}

#[test]
fn deep_nesting_anywhere_is_an_error_not_a_crash() {
    for depth in [200usize, 100_000] {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        // Where a value is read, nesting is refused with an error...
        for doc in [
            format!("{{\"files\": {{\"a.py\": {{\"executed_lines\": {nested}}}}}}}"),
            nested.clone(),
        ] {
            let e =
                parse("deep.json", doc.as_bytes(), ParseOptions::default()).expect_err("too deep");
            assert!(
                matches!(e.kind, ErrorKind::Invalid(_) | ErrorKind::NotAReport(_)),
                "{e}"
            );
        }
        // ...and where it is skipped (unknown keys) it is skipped without recursion.
        for doc in [
            format!("{{\"meta\": {{\"format\": 3, \"x\": {nested}}}, \"files\": {{}}}}"),
            format!("{{\"unknown\": {nested}, \"files\": {{}}}}"),
        ] {
            let r = parse("deep.json", doc.as_bytes(), ParseOptions::default()).expect("ignored");
            assert!(r.files.is_empty());
        }
    }
}

#[test]
fn not_json_says_what_it_starts_with() {
    let e = parse("notes.txt", b"hello world", ParseOptions::default()).expect_err("not json");
    assert_eq!(
        e.to_string(),
        "notes.txt: not a coverage report covgap can read: it starts with \"hello world\", \
         which is none of the formats covgap reads (coverage.py JSON, Istanbul JSON (nyc, c8, \
         Jest, Vitest), llvm-cov export JSON, LCOV tracefiles, Cobertura XML, JaCoCo XML and Go \
         coverprofiles)"
    );
}

/// The LCOV and Go inputs that are read: the numbers of the real report they came from.
#[test]
fn accepted_lcov_and_go_numbers() {
    use covgap_core::{Metric, Tally};
    let load = |n: &str| {
        parse(
            n,
            &std::fs::read(dir().join(n)).expect(n),
            ParseOptions::default(),
        )
        .expect(n)
    };
    let real = |rel: &str| {
        let p = dir().join("..").join(rel);
        parse(rel, &std::fs::read(p).expect(rel), ParseOptions::default()).expect(rel)
    };
    // The LCOV named .json is read as the tracefile it is.
    let r = load("lcov-text-in-json-slot.coverage.json");
    assert_eq!(r.source.format, "lcov");
    let t = r.totals();
    assert_eq!(t.lines, Tally::new(1932, 1932));
    assert_eq!(t.branches, Tally::new(650, 650));
    assert_eq!(t.functions, Tally::new(215, 215));
    assert_eq!(
        t,
        real("packaging-25.0/coveragepy-7.17.3-branch/coverage.lcov").totals()
    );
    // Every record twice: the same lines, functions and branches; hits doubled.
    let hashids = real("hashids-2.3.0/jest-30.5.2/lcov.info");
    let dup = load("duplicate-records.lcov.info");
    assert_eq!(dup.totals(), hashids.totals());
    for (a, b) in dup.files.iter().zip(&hashids.files) {
        assert_eq!(a.executed_lines, b.executed_lines);
        assert_eq!(a.missing_lines, b.missing_lines);
        let doubled: Vec<u64> = b.line_hits.iter().map(|h| h * 2).collect();
        assert_eq!(a.line_hits, doubled);
    }
    // Hostile names are kept as written, the numbers unchanged.
    let h = load("hostile-filenames.lcov.info");
    assert_eq!(h.totals(), hashids.totals());
    assert!(h
        .files
        .iter()
        .any(|f| f.path.contains("<script>") && f.path.contains('\u{202e}')));
    assert!(h
        .files
        .iter()
        .any(|f| f.path.contains('\u{1b}') && f.path.contains('\u{7}')));
    // Negative counts are 0, the too-large ones the largest count: no wrap, no inf.
    let n = load("negative-and-huge-counts.lcov.info");
    let f = n
        .files
        .iter()
        .find(|f| f.path == "src/hashids.ts")
        .expect("hashids.ts");
    assert_eq!(f.hits(40, true), Some(0));
    assert_eq!(f.hits(17, true), Some(u64::MAX));
    assert_eq!(f.hits(97, true), None);
    assert!(n.warnings.iter().any(|w| w.contains("larger than")));
    assert!(n.warnings.iter().any(|w| w.contains("could not be read")));
    // Type-only records: nothing to show, no NaN.
    let z = load("no-line-data.lcov.info");
    assert!(z.files.is_empty());
    assert_eq!(z.rules().show(&z.totals(), Metric::Lines, 0), "-");
    // Go: a profile twice is the profile once, hits doubled.
    let gorilla = real("gorilla-mux-1.8.0/go-1.19.8-count/coverage.out");
    let twice = load("concatenated.coverage.out");
    assert_eq!(twice.totals(), gorilla.totals());
    assert_eq!(
        twice.rules().show(&twice.totals(), Metric::Statements, 0),
        "87.8"
    );
    let a = twice.files.first().expect("a file");
    let b = gorilla
        .files
        .iter()
        .find(|f| f.path == a.path)
        .expect("same");
    assert_eq!(a.executed_lines, b.executed_lines);
    assert_eq!(
        a.line_hits.first(),
        b.line_hits.first().map(|h| h * 2).as_ref()
    );
    let h = load("hostile-filenames.coverage.out");
    assert_eq!(h.totals(), gorilla.totals());
    assert!(h
        .files
        .iter()
        .any(|f| f.path.contains("<img") && f.path.contains('\u{202e}')));
    let m = load("mode-only.coverage.out");
    assert_eq!(m.rules().show(&m.totals(), Metric::Statements, 0), "0.0");
}

fn pc(c: &covgap_core::Counts) -> f64 {
    covgap_core::rules::COVERAGEPY.percent(c, covgap_core::Metric::Combined)
}

#[test]
fn accepted_malformed_xml_keeps_the_real_numbers() {
    let load = |rel: &str, base: &Path| {
        let bytes = std::fs::read(base.join(rel)).expect(rel);
        parse(rel, &bytes, ParseOptions::default()).unwrap_or_else(|e| panic!("{e}"))
    };
    let fixtures = dir().join("..");
    let real = load(
        "packaging-25.0/coveragepy-7.17.3-branch/coverage.xml",
        &fixtures,
    );
    // Names are text: markup and control characters survive as characters, nothing else.
    let hostile = load("hostile-filenames.coverage.xml", &dir());
    assert_eq!(hostile.totals(), real.totals());
    assert!(hostile
        .files
        .iter()
        .any(|f| f.path == "src/<script>alert(1)</script>.py"));
    let bidi = load("hostile-filenames-bidi.coverage.xml", &dir());
    assert_eq!(bidi.totals(), real.totals());
    assert!(bidi
        .files
        .iter()
        .any(|f| f.path == "src/packaging/\u{202E}yp.elif_\u{7}\u{2066}evil\u{2069}\r.py"));
    // A DTD named by URL is never fetched; the report reads as without it.
    assert_eq!(load("external-dtd.coverage.xml", &dir()).files, real.files);
    // Lines listed twice count once.
    assert_eq!(
        load("duplicate-lines.coverage.xml", &dir()).totals(),
        real.totals()
    );
    // A line whose condition-coverage is garbage loses only its branches.
    let garbage = load("condition-coverage-garbage.coverage.xml", &dir());
    assert_eq!(garbage.totals().statements, real.totals().statements);
    assert_eq!(
        garbage.totals().branches.total + 2,
        real.totals().branches.total
    );
    // Classes out of place are left out, and said so.
    let nested = load("wrong-nesting.coverage.xml", &dir());
    assert!(nested.files.len() < real.files.len());
    for empty in ["empty-report.coverage.xml", "empty-report.jacoco.xml"] {
        let r = load(empty, &dir());
        assert!(r.files.is_empty());
        let t = r.totals();
        for &m in &r.metrics {
            assert!(r.rules().percent(&t, m).is_finite(), "{empty} {m}");
        }
    }
    let jreal = load("minimal-json-0.9.5/jacoco-0.8.6/jacoco.xml", &fixtures);
    let jhostile = load("hostile-names.jacoco.xml", &dir());
    assert_eq!(jhostile.totals(), jreal.totals());
    assert!(jhostile.files.iter().any(|f| f.path
        == "com/eclipsesource/json/<script>alert(1)</script>\u{202E}avaj.java"
        && f.regions.len() > 1));
    let disagree = load("counters-disagree.jacoco.xml", &dir());
    assert_eq!(disagree.totals(), jreal.totals());
}
