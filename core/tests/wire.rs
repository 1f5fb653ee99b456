//! The wire encoding (`covgap_core::wire`): every report of every fixture, in every format
//! covgap reads, with and without regions, comes back equal, in one go and a few files at
//! a time; any report proptest can make round-trips; no damaged or random buffer makes the
//! decoder panic or allocate beyond its bounds.
//!
//! `figures` (ignored by default; `scripts/bench` runs it in release) prints the encoding's
//! size and speed against serde_json on the 50 MB scaled report.

use covgap_core::model::{Arc, LineBranches, Region, RegionKind, Source};
use covgap_core::wire::{decode, encode, Decoder, WireError};
use covgap_core::{parse, Counts, FileCoverage, Metric, ParseOptions, Report, Tally, Tool};
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).expect("fixtures") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures"),
        &mut out,
    );
    out.sort();
    out
}

fn round_trip(r: &Report, what: &str) {
    let b = encode(r);
    assert_eq!(decode(&b).as_ref(), Ok(r), "{what}");
    // A few files at a time gives the same.
    let mut d = Decoder::new(&b[..]).expect(what);
    assert_eq!(d.files_total(), r.files.len());
    while !d.step(3).expect(what) {}
    assert_eq!(d.files_done(), r.files.len());
    assert_eq!(d.finish().as_ref(), Ok(r), "{what}");
}

#[test]
fn every_fixture_report_round_trips() {
    let mut read = std::collections::BTreeMap::<&'static str, usize>::new();
    for path in fixtures() {
        let bytes = std::fs::read(&path).expect("read");
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("f");
        for regions in [false, true] {
            if let Ok(r) = parse(name, &bytes, ParseOptions { regions }) {
                round_trip(&r, &format!("{} (regions: {regions})", path.display()));
                *read.entry(r.source.format).or_default() += 1;
            }
        }
    }
    eprintln!("reports round-tripped, by format: {read:?}");
    assert!(
        read.get("coverage.py-json").copied().unwrap_or(0) >= 10,
        "{read:?}"
    );
}

#[test]
fn damaged_buffers_are_refused_never_misread() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/packaging-25.0/coveragepy-7.17.3-branch/coverage.json");
    let r = parse(
        "c.json",
        &std::fs::read(path).expect("fixture"),
        ParseOptions { regions: true },
    )
    .expect("parse");
    let b = encode(&r);
    // Every cut is an error (a shorter buffer is never a smaller report).
    for cut in 0..b.len() {
        assert!(decode(&b[..cut]).is_err(), "cut at {cut}");
    }
    // Every single-byte change either fails or decodes to something without panicking.
    for i in 0..b.len().min(4000) {
        let mut v = b.clone();
        v[i] ^= 0xA5;
        let _ = decode(&v);
    }
    let mut newer = b.clone();
    newer[4] = 2;
    assert!(matches!(
        decode(&newer),
        Err(WireError::Version {
            found: 2,
            expected: 1
        })
    ));
    assert_eq!(decode(b"{\"meta\"").unwrap_err(), WireError::BadMagic);
}

#[test]
fn context_names_cannot_multiply_memory_without_bound() {
    // One long name used by many lines: allowed up to the budget, refused beyond it.
    let name = "n".repeat(10_000);
    let mut f = FileCoverage {
        path: "a".into(),
        ..FileCoverage::default()
    };
    for l in 1..=300u32 {
        f.contexts.push((l, vec![name.clone()]));
    }
    let r = Report {
        files: vec![f],
        ..empty_report()
    };
    let b = encode(&r);
    // 300 uses × 10 kB = 3 MB from a buffer of about 10.6 kB: beyond 256 × its length.
    assert!(matches!(
        decode(&b),
        Err(WireError::Invalid {
            what: "more context text than a buffer can hold",
            ..
        })
    ));
    let mut small = r.clone();
    small.files[0].contexts.truncate(100);
    assert_eq!(decode(&encode(&small)), Ok(small));
}

fn empty_report() -> Report {
    Report {
        source: Source::new("coverage.py-json", Tool::CoveragePy),
        metrics: vec![Metric::Combined],
        root: None,
        files: vec![],
        declared_totals: None,
        warnings: vec![],
    }
}

fn tally() -> impl Strategy<Value = Tally> {
    prop_oneof![
        Just(Tally::default()),
        (any::<u64>(), any::<u64>()).prop_map(|(c, t)| Tally::new(c, t)),
        (0u64..1000, 0u64..1000).prop_map(|(c, t)| Tally::new(c, t)),
    ]
}

fn counts() -> impl Strategy<Value = Counts> {
    (
        any::<u64>(),
        prop::collection::vec(tally(), 10),
        prop_oneof![Just(0u64), any::<u64>()],
        prop_oneof![Just(0u64), any::<u64>()],
    )
        .prop_map(|(files, t, excluded, partial_branches)| Counts {
            files,
            statements: t[0],
            lines: t[1],
            branches: t[2],
            functions: t[3],
            regions: t[4],
            instantiations: t[5],
            instructions: t[6],
            methods: t[7],
            classes: t[8],
            complexity: t[9],
            excluded,
            partial_branches,
        })
}

fn lines() -> impl Strategy<Value = Vec<u32>> {
    prop_oneof![
        prop::collection::btree_set(0u32..5000, 0..40).prop_map(|s| s.into_iter().collect()),
        prop::collection::vec(any::<u32>(), 0..8),
    ]
}

fn arcs() -> impl Strategy<Value = Vec<Arc>> {
    prop::collection::vec(
        (any::<i32>(), any::<i32>()).prop_map(|(from, to)| Arc { from, to }),
        0..8,
    )
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![Just(String::new()), "[a-z/_.]{1,20}", any::<String>()]
}

fn region() -> impl Strategy<Value = Region> {
    (
        any::<bool>(),
        text(),
        any::<Option<u32>>(),
        any::<Option<u64>>(),
        counts(),
        lines(),
    )
        .prop_map(
            |(class, name, start_line, hits, counts, missing_lines)| Region {
                kind: if class {
                    RegionKind::Class
                } else {
                    RegionKind::Function
                },
                name,
                start_line,
                hits,
                counts,
                missing_lines,
            },
        )
}

fn file() -> impl Strategy<Value = FileCoverage> {
    (
        (
            text(),
            counts(),
            lines(),
            prop::collection::vec(any::<u64>(), 0..8),
        ),
        (lines(), lines(), arcs(), arcs()),
        (
            prop::collection::vec(
                (any::<u32>(), any::<u32>(), any::<u32>())
                    .prop_map(|(line, taken, total)| LineBranches { line, taken, total }),
                0..6,
            ),
            prop::collection::vec(
                (any::<u32>(), prop::collection::vec("[a-z]{0,6}", 0..4)),
                0..6,
            ),
            prop::collection::vec(region(), 0..4),
        ),
    )
        .prop_map(
            |(
                (path, counts, executed_lines, line_hits),
                (missing_lines, excluded_lines, executed_branches, missing_branches),
                (line_branches, contexts, regions),
            )| FileCoverage {
                path,
                counts,
                executed_lines,
                line_hits,
                missing_lines,
                excluded_lines,
                executed_branches,
                missing_branches,
                line_branches,
                contexts,
                regions,
            },
        )
}

fn report() -> impl Strategy<Value = Report> {
    let tools = [
        Tool::CoveragePy,
        Tool::Istanbul,
        Tool::LlvmCov,
        Tool::Lcov,
        Tool::Gcovr,
        Tool::Cobertura,
        Tool::JaCoCo,
        Tool::Go,
    ];
    (
        (
            prop::sample::select(vec!["coverage.py-json", "lcov", "jacoco-xml", "go"]),
            prop::sample::select(tools.to_vec()),
            any::<Option<String>>(),
            any::<Option<String>>(),
            any::<Option<String>>(),
            any::<(bool, bool, bool, bool)>(),
        ),
        prop::sample::subsequence(Metric::ALL.to_vec(), 0..=Metric::ALL.len()),
        any::<Option<String>>(),
        prop::collection::vec(file(), 0..5),
        prop::option::of(counts()),
        prop::collection::vec(text(), 0..3),
    )
        .prop_map(
            |(
                (format, tool, format_version, tool_version, timestamp, (b, c, s, h)),
                metrics,
                root,
                files,
                declared_totals,
                warnings,
            )| Report {
                source: Source {
                    format,
                    tool,
                    format_version,
                    tool_version,
                    timestamp,
                    branch_coverage: b,
                    show_contexts: c,
                    summary_only: s,
                    hit_counts: h,
                },
                metrics,
                root,
                files,
                declared_totals,
                warnings,
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_report_round_trips(r in report()) {
        let b = encode(&r);
        prop_assert_eq!(decode(&b), Ok(r.clone()));
        let mut d = Decoder::new(b).unwrap();
        while !d.step(2).unwrap() {}
        prop_assert_eq!(d.finish(), Ok(r));
    }

    #[test]
    fn random_bytes_never_panic(mut bytes in prop::collection::vec(any::<u8>(), 0..400), header in any::<bool>()) {
        if header {
            let mut v = b"CGWR\x01\x00".to_vec();
            v.append(&mut bytes);
            bytes = v;
        }
        let _ = decode(&bytes);
    }

    #[test]
    fn damaged_reports_never_panic(r in report(), at in any::<prop::sample::Index>(), to in any::<u8>()) {
        let mut b = encode(&r);
        if !b.is_empty() {
            let i = at.index(b.len());
            b[i] = to;
        }
        let _ = decode(&b);
    }
}

/// Size and speed against serde_json, on the 50 MB scaled report when it is beside the
/// checkout (else jinja2's 1.3 MB one). Run in release:
///
///     cargo test --release -p covgap-core --test wire -- --ignored --nocapture figures
#[test]
#[ignore]
fn figures() {
    use std::io::Read;
    use std::time::Instant;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let gz = std::env::var_os("COVGAP_SCALED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/fixtures/_scaled/coverage.SCALED-50MB.json.gz"));
    let (label, bytes) = match std::fs::read(&gz) {
        Ok(z) => {
            let mut out = Vec::new();
            flate2::read::GzDecoder::new(&z[..])
                .read_to_end(&mut out)
                .expect("gunzip");
            ("scaled 50 MB", out)
        }
        Err(_) => (
            "jinja2 1.3 MB",
            std::fs::read(
                root.join("tests/fixtures/jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json"),
            )
            .expect("fixture"),
        ),
    };
    let best = |f: &mut dyn FnMut()| {
        (0..7)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::INFINITY, f64::min)
    };
    for regions in [false, true] {
        let r = parse("c.json", &bytes, ParseOptions { regions }).expect("parse");
        let mut wire = Vec::new();
        let enc = best(&mut || wire = encode(&r));
        let dec = best(&mut || {
            std::hint::black_box(decode(&wire).expect("decode"));
        });
        let mut json = Vec::new();
        let jenc = best(&mut || json = serde_json::to_vec(&r).expect("json"));
        let jscan = best(&mut || {
            std::hint::black_box(
                serde_json::from_slice::<serde::de::IgnoredAny>(&json).expect("scan"),
            );
        });
        let jvalue = best(&mut || {
            std::hint::black_box(
                serde_json::from_slice::<serde_json::Value>(&json).expect("value"),
            );
        });
        println!(
            "{label}, {} files, regions {regions}: wire {} bytes ({:.1}% of the file), encode \
             {enc:.1} ms, decode {dec:.1} ms | serde_json of the same Report: {} bytes ({:.1}x \
             the wire), to_vec {jenc:.1} ms, scan (IgnoredAny) {jscan:.1} ms, to Value \
             {jvalue:.1} ms",
            r.files.len(),
            wire.len(),
            100.0 * wire.len() as f64 / bytes.len() as f64,
            json.len(),
            json.len() as f64 / wire.len() as f64,
        );
        assert!(wire.len() < json.len());
    }
}
