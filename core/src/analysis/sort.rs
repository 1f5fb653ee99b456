//! Ordering rows the way coverage.py's report does: by a column, then by path in
//! "human" order (`file2` before `file10`).

use crate::model::{FileCoverage, Metric};
use crate::rules::Rules;
use std::cmp::Ordering;

/// Compares two paths like coverage.py's `human_key`: runs of digits compare as numbers,
/// everything else as text; equal keys fall back to the plain string.
pub fn human_cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (a, b);
    loop {
        let (xt, xr) = split_text(x);
        let (yt, yr) = split_text(y);
        match xt.cmp(yt) {
            Ordering::Equal => {}
            o => return o.then_with(|| a.cmp(b)),
        }
        let (xd, xr) = split_digits(xr);
        let (yd, yr) = split_digits(yr);
        match (xd.is_empty(), yd.is_empty()) {
            (true, true) => return a.cmp(b),
            (true, false) => return Ordering::Less,
            (false, true) => return Ordering::Greater,
            (false, false) => {
                let (xn, yn) = (xd.trim_start_matches('0'), yd.trim_start_matches('0'));
                match xn.len().cmp(&yn.len()).then_with(|| xn.cmp(yn)) {
                    Ordering::Equal => {}
                    o => return o,
                }
            }
        }
        x = xr;
        y = yr;
    }
}

fn split_text(s: &str) -> (&str, &str) {
    let i = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(i)
}

fn split_digits(s: &str) -> (&str, &str) {
    let i = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at(i)
}

/// A column to sort files by. The count columns count the metric shown (statements for
/// coverage.py's combined figure, as `coverage report` does).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortKey {
    /// The path, in human order.
    Name,
    /// How many there are (statements, lines, …).
    Statements,
    /// How many are missing.
    Missing,
    /// Excluded lines.
    Excluded,
    /// Branches.
    Branches,
    /// Partial branches.
    Partial,
    /// The percentage shown.
    Cover,
}

/// What a file table is sorted on: the metric its count and percentage columns show,
/// and the rules that compute the percentage.
#[derive(Clone, Copy, Debug)]
pub struct SortBasis {
    /// The metric of the percentage column.
    pub metric: Metric,
    /// The rules of the report's tool.
    pub rules: &'static Rules,
}

impl SortBasis {
    /// The coverage.py basis (combined figure): how `coverage report` sorts.
    pub fn coveragepy() -> SortBasis {
        SortBasis {
            metric: Metric::Combined,
            rules: &crate::rules::COVERAGEPY,
        }
    }
}

impl SortKey {
    /// Compares two files by this column, then by human-sorted path.
    pub fn cmp(self, a: &FileCoverage, b: &FileCoverage, basis: SortBasis) -> Ordering {
        let (x, y) = (&a.counts, &b.counts);
        let count = basis.metric.count_basis();
        let by = match self {
            SortKey::Name => Ordering::Equal,
            SortKey::Statements => x.get(count).total.cmp(&y.get(count).total),
            SortKey::Missing => x.get(count).missing().cmp(&y.get(count).missing()),
            SortKey::Excluded => x.excluded.cmp(&y.excluded),
            SortKey::Branches => x.branches.total.cmp(&y.branches.total),
            SortKey::Partial => x.partial_branches.cmp(&y.partial_branches),
            SortKey::Cover => basis
                .rules
                .percent(x, basis.metric)
                .total_cmp(&basis.rules.percent(y, basis.metric)),
        };
        by.then_with(|| human_cmp(&a.path, &b.path))
    }
}

/// Indices of `files` in the order of `key` (reversed when `descending`).
pub fn sort_files(
    files: &[FileCoverage],
    key: SortKey,
    descending: bool,
    basis: SortBasis,
) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..files.len()).collect();
    idx.sort_by(|&i, &j| {
        let o = match (files.get(i), files.get(j)) {
            (Some(a), Some(b)) => key.cmp(a, b, basis),
            _ => Ordering::Equal,
        };
        if descending {
            o.reverse()
        } else {
            o
        }
    });
    idx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_order() {
        let mut v = vec![
            "file10.py",
            "file2.py",
            "File1.py",
            "a/b.py",
            "file02.py",
            "file",
        ];
        v.sort_by(|a, b| human_cmp(a, b));
        assert_eq!(
            v,
            [
                "File1.py",
                "a/b.py",
                "file",
                "file02.py",
                "file2.py",
                "file10.py"
            ]
        );
    }
}
