//! Reader speed in CPU time, for a machine shared with other work, where wall-clock time
//! says little: each input is parsed through `parse` (as the app, the CLI and the
//! `formats` bench do) for about a second of this thread's CPU time, read from
//! `/proc/thread-self/schedstat` (Linux), and MB/s is bytes over that CPU time, printed
//! beside the coverage.py JSON reader's MB/s measured in the same run.
//!
//!     cargo run --release -p covgap-core --example parse_many            # the bench's inputs
//!     cargo run --release -p covgap-core --example parse_many -- FILE…   # given reports
//!
//! The bench's inputs are the real fixtures of `benches/formats.rs` and, for the text and
//! XML formats, the larger reports `benches/scale.rs` makes from them at run time.
//! For instruction counts, which are deterministic, run the binary under
//! `valgrind --tool=callgrind` with `PARSE_MANY_ROUNDS=N` and two values of N.

#[path = "../benches/support/scale.rs"]
mod scale;

use covgap_core::{parse, ParseOptions};
use scale::{copies_for, cpu_mbps, scaled, Scale};
use std::hint::black_box;
use std::path::Path;

/// MB/s over CPU time of parsing `bytes` (detection is by content, as in the app).
fn measure(name: &str, bytes: &[u8]) -> Option<f64> {
    parse(name, bytes, ParseOptions::default()).ok()?;
    let rounds: Option<usize> = std::env::var("PARSE_MANY_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok());
    cpu_mbps(bytes.len(), 1_000_000_000, rounds, || {
        let _ = black_box(parse(name, black_box(bytes), ParseOptions::default()).is_ok());
    })
}

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    if paths.is_empty() {
        let real: &[(&str, &str, Option<Scale>)] = &[
            (
                "coverage.py JSON",
                "jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json",
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
        for (format, rel, how) in real {
            let Ok(bytes) = std::fs::read(root.join(rel)) else {
                eprintln!("skipped {format}: {rel}");
                continue;
            };
            if let Some(how) = how {
                let text = String::from_utf8_lossy(&bytes);
                if let Some(big) = scaled(*how, &text, copies_for(bytes.len(), 8 << 20)) {
                    inputs.push((format!("{format}, scaled"), big.into_bytes()));
                }
            }
            inputs.push((format.to_string(), bytes));
        }
    } else {
        for p in paths {
            match std::fs::read(&p) {
                Ok(b) => inputs.push((p, b)),
                Err(e) => eprintln!("{p}: {e}"),
            }
        }
    }
    // PARSE_MANY_ONLY=text: only the inputs whose name holds `text` (for a profiler).
    let only = std::env::var("PARSE_MANY_ONLY").unwrap_or_default();
    let baseline = std::fs::read(root.join("jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json"))
        .ok()
        .filter(|_| only.is_empty())
        .and_then(|b| measure("coverage.json", &b));
    if let Some(b) = baseline {
        println!(
            "{:<34} {:>10} {:>8.0} MB/s  (baseline)",
            "coverage.py JSON reader", "", b
        );
    }
    for (name, bytes) in &inputs {
        if !name.contains(only.as_str()) {
            continue;
        }
        match measure(name, bytes) {
            Some(mbps) => println!(
                "{:<34} {:>10} {:>8.0} MB/s  {:>5.2}x coverage.py",
                name,
                bytes.len(),
                mbps,
                baseline.map_or(0.0, |b| mbps / b)
            ),
            None => println!("{name}: does not parse"),
        }
    }
}
