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
    (
        "istanbul-in-coverage-py-slot.coverage.json",
        Reject("Istanbul coverage-final.json"),
    ),
    (
        "llvm-cov-in-coverage-py-slot.coverage.json",
        Reject("llvm-cov export JSON"),
    ),
    (
        "lcov-text-in-json-slot.coverage.json",
        Reject("LCOV tracefile"),
    ),
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
    ("truncated.coverage.lcov", Reject("LCOV tracefile")),
    ("hostile-path.coverage-final.json", Reject("Istanbul")),
    (
        "truncated.coverage-final.json",
        Reject("Istanbul coverage-final.json"),
    ),
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
