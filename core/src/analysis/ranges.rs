//! Missing lines as `coverage report -m` prints them: "12-15, 40, 52->55, 60->exit".

use crate::model::FileCoverage;

/// The "Missing" column of `coverage report -m` for one file.
///
/// Consecutive missing statements join into a range (lines that are not statements do not
/// break it). With `branches`, each missing branch arc is listed as `from->to` (or
/// `from->exit`) unless its source or destination line is itself a missing line, and the
/// items are ordered by line, as coverage.py's `format_lines` does.
pub fn missing_ranges(f: &FileCoverage, branches: bool) -> String {
    let mut items: Vec<(i64, String)> = Vec::new();
    // Statements are executed ∪ missing; both lists are sorted.
    let mut stmts: Vec<u32> = f
        .executed_lines
        .iter()
        .chain(&f.missing_lines)
        .copied()
        .collect();
    stmts.sort_unstable();
    stmts.dedup();
    let missing = &f.missing_lines;
    let mut m = 0;
    let mut run: Option<(u32, u32)> = None;
    for &s in &stmts {
        // Skip duplicates in the missing list (a malformed report may repeat lines).
        while let (Some(&x), Some(&y)) = (missing.get(m), missing.get(m + 1)) {
            if !(x < s && x == y) {
                break;
            }
            m += 1;
        }
        let Some(&next) = missing.get(m) else { break };
        if s == next {
            m += 1;
            run = Some(match run {
                Some((a, _)) => (a, s),
                None => (s, s),
            });
        } else if let Some(r) = run.take() {
            items.push(range_item(r));
        }
    }
    if let Some(r) = run {
        items.push(range_item(r));
    }
    if branches {
        for arc in &f.missing_branches {
            let from_missing = arc.from > 0 && missing.binary_search(&(arc.from as u32)).is_ok();
            let to_missing = arc.to > 0 && missing.binary_search(&(arc.to as u32)).is_ok();
            if !from_missing && !to_missing {
                let dest = if arc.to > 0 {
                    arc.to.to_string()
                } else {
                    "exit".to_string()
                };
                items.push((arc.from.into(), format!("{}->{dest}", arc.from)));
            }
        }
    }
    items.sort();
    items
        .into_iter()
        .map(|(_, s)| s)
        .collect::<Vec<_>>()
        .join(", ")
}

fn range_item((a, b): (u32, u32)) -> (i64, String) {
    let s = if a == b {
        a.to_string()
    } else {
        format!("{a}-{b}")
    };
    (a.into(), s)
}

/// Missing lines and missing branch arcs `(from, to)`, as read back by [`expand_ranges`].
pub type Expanded = (Vec<u32>, Vec<(i32, i32)>);

/// Reads a ranges string back into missing lines and arcs, given the file's statements:
/// the inverse of [`missing_ranges`], used to check that nothing is lost.
pub fn expand_ranges(s: &str, statements: &[u32]) -> Option<Expanded> {
    let mut lines = Vec::new();
    let mut arcs = Vec::new();
    for part in s.split(", ").filter(|p| !p.is_empty()) {
        if let Some((a, b)) = part.split_once("->") {
            let to = if b == "exit" { -1 } else { b.parse().ok()? };
            arcs.push((a.parse().ok()?, to));
        } else if let Some((a, b)) = part.split_once('-') {
            let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
            lines.extend(statements.iter().filter(|&&l| a <= l && l <= b));
        } else {
            lines.push(part.parse().ok()?);
        }
    }
    Some((lines, arcs))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Arc;

    fn file(executed: &[u32], missing: &[u32], arcs: &[(i32, i32)]) -> FileCoverage {
        FileCoverage {
            executed_lines: executed.to_vec(),
            missing_lines: missing.to_vec(),
            missing_branches: arcs.iter().map(|&(from, to)| Arc { from, to }).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn ranges_table() {
        // (executed, missing, missing arcs, the Missing column)
        type Case<'a> = (&'a [u32], &'a [u32], &'a [(i32, i32)], &'a str);
        let cases: &[Case] = &[
            (&[1, 2, 3], &[], &[], ""),
            (&[1, 5], &[2, 3, 4], &[], "2-4"),
            // Line 10 is not a statement: 9 and 11 still join.
            (&[1], &[9, 11, 12], &[], "9-12"),
            (&[1, 10], &[9, 11], &[], "9, 11"),
            (&[1, 2], &[40], &[(2, 5), (1, -1)], "1->exit, 2->5, 40"),
            // An arc into a missing line is not shown: the line says it already.
            (&[1, 2], &[40], &[(2, 40)], "40"),
            (
                &[52, 53],
                &[],
                &[(52, 100), (52, 55), (52, -1)],
                "52->100, 52->55, 52->exit",
            ),
        ];
        for (ex, mi, arcs, want) in cases {
            assert_eq!(
                missing_ranges(&file(ex, mi, arcs), true),
                *want,
                "{ex:?} {mi:?}"
            );
        }
        assert_eq!(missing_ranges(&file(&[1], &[3], &[(1, 2)]), false), "3");
    }
}
