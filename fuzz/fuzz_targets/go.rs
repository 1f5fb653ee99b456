//! Fuzzes the go reader: any bytes give a report or an error, never a panic,
//! and every report's numbers stay in range.
#![no_main]

use covgap_core::{parse, parse_as, Kind, ParseOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let kind: Option<Kind> = Some(Kind::GoProfile);
    let opts = ParseOptions { regions: true };
    let result = match kind {
        Some(k) => parse_as(k, "fuzz", data, opts),
        None => parse("fuzz", data, opts),
    };
    if let Ok(r) = result {
        let t = r.totals();
        for &m in &r.metrics {
            let p = r.rules().percent(&t, m);
            assert!(p.is_finite() && (0.0..=100.0).contains(&p), "{m}: {p}");
            let _ = r.rules().show(&t, m, 2);
        }
    }
});
