//! Parse speed on the 50 MB scaled coverage.py report (MANIFEST: 2,397 files, 392,848
//! statements): the summary path (regions skipped) and the full path (regions read),
//! against a baseline measured in the same run: serde_json merely scanning the same bytes
//! (`IgnoredAny`), the least work any JSON reader can do.
//!
//! Input: `$COVGAP_SCALED`, else `../shared/fixtures/_scaled/coverage.SCALED-50MB.json.gz`
//! beside the checkout; without it, the largest fixture in tests/fixtures (and it says so).
//!
//!     cargo bench -p covgap-core --bench parse

use covgap_core::{parse, ParseOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn input() -> (String, Vec<u8>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let scaled = std::env::var_os("COVGAP_SCALED")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/fixtures/_scaled/coverage.SCALED-50MB.json.gz"));
    if let Ok(gz) = std::fs::read(&scaled) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_end(&mut out)
            .expect("gunzip the scaled fixture");
        return ("scaled-50MB".into(), out);
    }
    let small = root.join("tests/fixtures/jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json");
    eprintln!(
        "note: {} not found; benchmarking {} instead",
        scaled.display(),
        small.display()
    );
    (
        "jinja2-1.3MB".into(),
        std::fs::read(small).expect("fixture"),
    )
}

fn bench(c: &mut Criterion) {
    let (name, bytes) = input();
    let text = std::str::from_utf8(&bytes).expect("utf-8");
    let mut g = c.benchmark_group(format!("parse/{name}"));
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.sample_size(10);
    g.measurement_time(Duration::from_secs(8));
    g.bench_function("baseline: serde_json scan (IgnoredAny)", |b| {
        b.iter(|| serde_json::from_str::<serde::de::IgnoredAny>(black_box(text)).expect("json"))
    });
    g.bench_function("covgap summary path (regions skipped)", |b| {
        b.iter(|| {
            parse("scaled", black_box(&bytes), ParseOptions { regions: false }).expect("parses")
        })
    });
    g.bench_function("covgap full path (regions read)", |b| {
        b.iter(|| {
            parse("scaled", black_box(&bytes), ParseOptions { regions: true }).expect("parses")
        })
    });
    g.finish();
    let r = parse("scaled", &bytes, ParseOptions::default()).expect("parses");
    let t = r.totals();
    eprintln!(
        "{name}: {} bytes, {} files, {} statements, {} covered, percent_covered {}",
        bytes.len(),
        t.files,
        t.statements.total,
        t.statements.covered,
        covgap_core::rules::COVERAGEPY.percent(&t, covgap_core::Metric::Combined)
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
