//! Every reader on the largest real fixture of its format, in one run, beside the
//! coverage.py reader on its largest fixture: time and MB/s per format. The readers are
//! reached through `parse`, which picks them from the content, as the app and the CLI do.
//!
//!     cargo bench -p covgap-core --bench formats

use covgap_core::{parse, ParseOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// (format, fixture under tests/fixtures): the largest real report of each format.
const INPUTS: &[(&str, &str)] = &[
    (
        "coverage.py JSON (baseline)",
        "jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json",
    ),
    (
        "Istanbul coverage-final.json",
        "qs-6.17.1/nyc-18.0.0/coverage-final.json",
    ),
    (
        "Istanbul coverage-summary.json",
        "qs-6.17.1/nyc-18.0.0/coverage-summary.json",
    ),
    (
        "llvm-cov export JSON",
        "semver-1.0.28/llvm-cov-19.1.7_rustc-1.95.0/llvm-cov-export.json",
    ),
    (
        "LCOV",
        "jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.lcov",
    ),
    (
        "Cobertura XML",
        "jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.xml",
    ),
    ("JaCoCo XML", "minimal-json-0.9.5/jacoco-0.8.6/jacoco.xml"),
    (
        "Go coverprofile",
        "gorilla-mux-1.8.0/go-1.19.8-count/coverage.out",
    ),
];

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut g = c.benchmark_group("readers");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(3));
    for (format, rel) in INPUTS {
        let bytes = match std::fs::read(root.join(rel)) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("skipped {format}: {rel}: {e}");
                continue;
            }
        };
        if let Err(e) = parse(rel, &bytes, ParseOptions::default()) {
            eprintln!("skipped {format}: {e}");
            continue;
        }
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(format!("{format} ({} KB)", bytes.len() / 1024), |b| {
            b.iter(|| parse(rel, black_box(&bytes), ParseOptions::default()).is_ok())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
