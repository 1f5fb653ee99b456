//! Invariants that hold for any report: 0 ≤ % ≤ 100, files sum to totals in any order,
//! missing-line ranges round-trip, statements-needed is the least that works, and no
//! input makes the reader panic.

use covgap_core::analysis::gaps::{gap, Target};
use covgap_core::analysis::ranges::{expand_ranges, missing_ranges};
use covgap_core::display::{display_percent, meets_target};
use covgap_core::rules::COVERAGEPY;
use covgap_core::{parse, Counts, Metric, ParseOptions};
use proptest::prelude::*;
use serde_json::json;

/// A file as (executed lines, missing lines, branch arcs (from, to, taken)).
type TestFile = (Vec<u32>, Vec<u32>, Vec<(u32, i32, bool)>);

fn file_strategy() -> impl Strategy<Value = TestFile> {
    (
        prop::collection::btree_map(1u32..400, any::<bool>(), 0..60),
        prop::collection::vec((1u32..400, -5i32..400, any::<bool>()), 0..12),
    )
        .prop_map(|(lines, arcs)| {
            let executed = lines
                .iter()
                .filter(|(_, hit)| **hit)
                .map(|(l, _)| *l)
                .collect();
            let missing = lines
                .iter()
                .filter(|(_, hit)| !**hit)
                .map(|(l, _)| *l)
                .collect();
            let mut arcs = arcs;
            arcs.sort();
            arcs.dedup_by_key(|(a, b, _)| (*a, *b));
            arcs.retain(|(_, to, _)| *to != 0);
            (executed, missing, arcs)
        })
}

/// Writes a coverage.py format-3 JSON report with summaries computed as coverage.py does.
fn report_json(files: &[TestFile]) -> String {
    let mut out = serde_json::Map::new();
    let mut t = [0u64; 6];
    for (i, (ex, mi, arcs)) in files.iter().enumerate() {
        let taken: Vec<_> = arcs
            .iter()
            .filter(|a| a.2)
            .map(|a| json!([a.0, a.1]))
            .collect();
        let missed: Vec<_> = arcs
            .iter()
            .filter(|a| !a.2)
            .map(|a| json!([a.0, a.1]))
            .collect();
        let mut partial: Vec<u32> = arcs.iter().filter(|a| !a.2).map(|a| a.0).collect();
        partial.dedup();
        let s = [
            ex.len(),
            mi.len(),
            arcs.len(),
            taken.len(),
            missed.len(),
            partial.len(),
        ]
        .map(|n| n as u64);
        for k in 0..6 {
            t[k] += s[k];
        }
        out.insert(
            format!("pkg/mod{i}/file{i}.py"),
            json!({
                "executed_lines": ex, "missing_lines": mi, "excluded_lines": [],
                "executed_branches": taken, "missing_branches": missed,
                "summary": summary(&s),
            }),
        );
    }
    json!({"meta": {"format": 3, "branch_coverage": true}, "files": out, "totals": summary(&t)})
        .to_string()
}

fn summary(s: &[u64; 6]) -> serde_json::Value {
    json!({"covered_lines": s[0], "num_statements": s[0] + s[1], "missing_lines": s[1], "excluded_lines": 0,
           "num_branches": s[2], "covered_branches": s[3], "missing_branches": s[4], "num_partial_branches": s[5]})
}

proptest! {
    #[test]
    fn reports_hold_their_invariants(files in prop::collection::vec(file_strategy(), 0..8)) {
        let text = report_json(&files);
        let r = parse("p.json", text.as_bytes(), ParseOptions::default()).expect("valid report");
        prop_assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        let t = r.totals();
        prop_assert_eq!(Some(t), r.declared_totals);
        // Sums do not depend on order.
        let reversed: Counts = r.files.iter().rev().map(|f| f.counts).sum();
        prop_assert_eq!(reversed, t);
        for c in r.files.iter().map(|f| f.counts).chain([t]) {
            for pc in [Metric::Combined, Metric::Statements, Metric::Branches].map(|m| COVERAGEPY.percent(&c, m)) {
                prop_assert!((0.0..=100.0).contains(&pc));
                let shown = display_percent(pc, 0);
                prop_assert!(shown != "100" || pc == 100.0);
                prop_assert!(shown != "0" || pc == 0.0);
            }
        }
        for f in &r.files {
            let mut stmts: Vec<u32> = f.executed_lines.iter().chain(&f.missing_lines).copied().collect();
            stmts.sort();
            let (lines, _) = expand_ranges(&missing_ranges(f, false), &stmts).expect("parsable");
            prop_assert_eq!(&lines, &f.missing_lines);
            // With branches, every listed arc is a missing arc whose ends are not missing lines.
            let (lines_b, arcs) = expand_ranges(&missing_ranges(f, true), &stmts).expect("parsable");
            prop_assert_eq!(&lines_b, &f.missing_lines);
            for (from, to) in arcs {
                prop_assert!(f.missing_branches.iter().any(|a| a.from == from && (a.to == to || (to == -1 && a.to < 0))));
            }
        }
    }

    #[test]
    fn statements_needed_is_least(stmts in 0u64..3000, covered_frac in 0.0f64..=1.0, target in 0.0f64..=100.0, precision in 0u8..=2) {
        let covered = (stmts as f64 * covered_frac) as u64;
        let c = Counts::coveragepy(stmts, covered, 0, 0);
        let target = (target * 10.0).round() / 10.0;
        let g = gap(&c, Metric::Combined, &COVERAGEPY, Target { percent: target, precision });
        let k = g.statements_needed.expect("statements alone reach any target without branches");
        let meets = |k| {
            let mut more = c;
            more.statements = more.statements.with_covered(k);
            meets_target(COVERAGEPY.percent(&more, Metric::Combined), target, precision)
        };
        prop_assert!(meets(k));
        prop_assert!(k == 0 || !meets(k - 1));
        prop_assert_eq!(g.passes, k == 0);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse("x", &bytes, ParseOptions::default());
    }

    #[test]
    fn cut_or_damaged_reports_never_panic(cut in 0usize..30_000, pos in 0usize..30_000, byte in any::<u8>()) {
        let real = include_bytes!("../../tests/fixtures/packaging-25.0/coveragepy-7.4.4-branch/coverage.json");
        let cut = cut.min(real.len());
        prop_assert!(parse("x", &real[..cut], ParseOptions::default()).is_err() || cut == real.len());
        let mut damaged = real.to_vec();
        let pos = pos.min(damaged.len() - 1);
        damaged[pos] = byte;
        for regions in [false, true] {
            let _ = parse("x", &damaged, ParseOptions { regions });
        }
    }
}
