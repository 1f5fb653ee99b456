//! Every reader on the largest real fixture of its format, in one run, beside the
//! coverage.py reader on its largest fixture: time and MB/s per format. The readers are
//! reached through `parse`, which picks them from the content, as the app and the CLI do.
//!
//! The real LCOV, Cobertura, JaCoCo and Go reports are all well under 1 MB, so each of
//! those readers is also timed on an 8 MB report made from its fixture at bench time
//! (`support/scale.rs`: the fixture's files again under renamed paths; nothing generated is
//! committed).
//!
//! Criterion times wall-clock; on a shared machine that mostly measures the neighbours. So
//! after criterion's figures the bench prints a table of MB/s over this thread's CPU time
//! (Linux `/proc/thread-self/schedstat`), each with its ratio to the coverage.py reader's
//! MB/s measured in the same run: the figures `docs/performance.md` records.
//!
//!     cargo bench -p covgap-core --bench formats

#[path = "support/scale.rs"]
mod scale;

use covgap_core::{parse, ParseOptions};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use scale::{copies_for, cpu_mbps, scaled, Scale};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// (format, fixture under tests/fixtures, how to make a larger report of it): the largest
/// real report of each format.
const INPUTS: &[(&str, &str, Option<Scale>)] = &[
    (
        "coverage.py JSON (baseline)",
        "jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json",
        None,
    ),
    (
        "Istanbul coverage-final.json",
        "qs-6.17.1/nyc-18.0.0/coverage-final.json",
        None,
    ),
    (
        "Istanbul coverage-summary.json",
        "qs-6.17.1/nyc-18.0.0/coverage-summary.json",
        None,
    ),
    (
        "llvm-cov export JSON",
        "semver-1.0.28/llvm-cov-19.1.7_rustc-1.95.0/llvm-cov-export.json",
        None,
    ),
    (
        "LCOV",
        "jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.lcov",
        Some(Scale::Lcov),
    ),
    (
        "Cobertura XML",
        "jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.xml",
        Some(Scale::Cobertura),
    ),
    (
        "JaCoCo XML",
        "minimal-json-0.9.5/jacoco-0.8.6/jacoco.xml",
        Some(Scale::Jacoco),
    ),
    (
        "Go coverprofile",
        "gorilla-mux-1.8.0/go-1.19.8-count/coverage.out",
        Some(Scale::Go),
    ),
];

/// The size of the reports made from the small fixtures.
const SCALED_BYTES: usize = 8 << 20;

/// (label, fixture path as the name given to `parse`, bytes) for every input that parses.
fn inputs() -> Vec<(String, String, Vec<u8>)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut out = Vec::new();
    for (format, rel, how) in INPUTS {
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
        let big = how.and_then(|how| {
            let text = std::str::from_utf8(&bytes).ok()?;
            let big = scaled(how, text, copies_for(bytes.len(), SCALED_BYTES))?;
            parse(rel, big.as_bytes(), ParseOptions::default())
                .is_ok()
                .then_some(big.into_bytes())
        });
        out.push((
            format!("{format} ({} KB)", bytes.len() / 1024),
            rel.to_string(),
            bytes,
        ));
        if let Some(big) = big {
            out.push((
                format!("{format}, scaled ({} KB)", big.len() / 1024),
                rel.to_string(),
                big,
            ));
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let inputs = inputs();
    let mut g = c.benchmark_group("readers");
    g.sample_size(20);
    g.measurement_time(Duration::from_secs(3));
    for (label, rel, bytes) in &inputs {
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function(label.as_str(), |b| {
            b.iter(|| parse(rel, black_box(bytes), ParseOptions::default()).is_ok())
        });
    }
    g.finish();

    // The same inputs over CPU time, each beside the coverage.py reader measured just
    // before it (the machine's load drifts over a run).
    println!();
    println!("MB/s over CPU time, beside the coverage.py JSON reader in the same run:");
    println!(
        "{:<44} {:>10} {:>8} {:>10} {:>7}",
        "input", "bytes", "MB/s", "coverage.py", "ratio"
    );
    let Some((_, base_rel, base)) = inputs.first() else {
        return;
    };
    let time = |rel: &str, bytes: &[u8]| {
        cpu_mbps(bytes.len(), 1_000_000_000, None, || {
            let _ = black_box(parse(rel, black_box(bytes), ParseOptions::default()).is_ok());
        })
    };
    for (label, rel, bytes) in &inputs {
        let (Some(b), Some(mbps)) = (time(base_rel, base), time(rel, bytes)) else {
            println!("(no CPU time on this system)");
            return;
        };
        println!(
            "{label:<44} {:>10} {mbps:>8.0} {b:>10.0} {:>7.2}",
            bytes.len(),
            mbps / b
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
