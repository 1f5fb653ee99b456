//! What the table shows for a given view: which files, in which order. Pure.

use crate::state::{Lens, Sort, View};
use covgap_core::analysis::{human_cmp, sort_files};
use covgap_core::plan::Pattern;
use covgap_core::FileCoverage;

/// Does `path` match the filter? Empty matches everything; with `*` or `?` it is a glob
/// over the whole path in the plan patterns' dialect (`covgap_core::plan::Pattern`: `*`
/// within one directory, `**` across directories, `?` one character); otherwise a
/// substring. Case-insensitive either way.
pub fn matches_filter(path: &str, filter: &str) -> bool {
    let f = filter.trim();
    if f.is_empty() {
        return true;
    }
    let p = path.to_lowercase();
    let f = f.to_lowercase();
    if f.contains(['*', '?']) {
        Pattern::new(&f).matches(&p)
    } else {
        p.contains(&f)
    }
}

/// Does a file pass the view's hide toggles and filter?
pub fn keep(f: &FileCoverage, view: &View, lens: &Lens) -> bool {
    let c = f.counts.get(lens.count_metric());
    let hidden = (view.hide_covered && f.counts.get(lens.metric).missing() == 0)
        || (view.hide_empty && c.total == 0);
    !hidden && matches_filter(&f.path, &view.filter)
}

/// Indices of the files to show, sorted as the view asks.
pub fn visible_files(files: &[FileCoverage], view: &View, lens: &Lens) -> Vec<usize> {
    filter_order(files, &sorted_files(files, view, lens), view, lens)
}

/// Every file's index, sorted as the view asks (filter and hide toggles ignored): what the
/// table computes once per sort, then filters as the user types ([`filter_order`]).
pub fn sorted_files(files: &[FileCoverage], view: &View, lens: &Lens) -> Vec<usize> {
    match view.sort {
        Sort::By(key) => sort_files(files, key, view.desc, lens.sort_basis()),
        Sort::Gap | Sort::Needed => {
            // Computed once per file, then sorted: the gap depends on the target.
            let mut keyed: Vec<(usize, f64)> = files
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let g = lens.gap(&f.counts);
                    let k = match view.sort {
                        Sort::Gap => g.gap_pp,
                        // Unreachable sorts after every number.
                        _ => g.headline_needed().map_or(f64::INFINITY, |n| n as f64),
                    };
                    (i, k)
                })
                .collect();
            keyed.sort_by(|a, b| {
                let by = a.1.total_cmp(&b.1);
                let by = if view.desc { by.reverse() } else { by };
                let path = |i: usize| files.get(i).map_or("", |f| f.path.as_str());
                by.then_with(|| human_cmp(path(a.0), path(b.0)))
            });
            keyed.into_iter().map(|(i, _)| i).collect()
        }
    }
}

/// The files of `order` (indices into `files`) that the view's filter and hide toggles
/// keep, in the same order.
pub fn filter_order(
    files: &[FileCoverage],
    order: &[usize],
    view: &View,
    lens: &Lens,
) -> Vec<usize> {
    order
        .iter()
        .copied()
        .filter(|&i| files.get(i).is_some_and(|f| keep(f, view, lens)))
        .collect()
}

/// Whether every path `new` keeps is one `old` kept (same toggles): typing more of a plain
/// substring only narrows, so the rows it keeps are found among the last ones.
pub fn narrows(old: &View, new: &View) -> bool {
    let (o, n) = (
        old.filter.trim().to_lowercase(),
        new.filter.trim().to_lowercase(),
    );
    old.hide_covered == new.hide_covered
        && old.hide_empty == new.hide_empty
        && !o.contains(['*', '?'])
        && !n.contains(['*', '?'])
        && n.contains(&o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filter_table() {
        let cases = [
            ("src/jinja2/bccache.py", "", true),
            ("src/jinja2/bccache.py", "CACHE", true),
            ("src/jinja2/bccache.py", "tests", false),
            // Globs as plan patterns read them: `*` stays within a directory.
            ("src/jinja2/bccache.py", "*.py", false),
            ("src/jinja2/bccache.py", "**/*.py", true),
            ("src/jinja2/bccache.py", "**.py", true),
            ("src/jinja2/bccache.py", "src/*/b*", true),
            ("src/jinja2/bccache.py", "src/*", false),
            ("src/jinja2/bccache.py", "src/**", true),
            ("src/jinja2/bccache.py", "tests/*", false),
            ("src/jinja2/bccache.py", "src/jinja?/*", true),
            ("src/jinja2/bccache.py", "SRC/**/BC*", true),
            ("a.py", "**", true),
        ];
        for (p, f, want) in cases {
            assert_eq!(matches_filter(p, f), want, "{p} {f}");
        }
    }

    #[test]
    fn typing_more_of_a_substring_narrows_a_glob_does_not() {
        let v = |f: &str| View {
            filter: f.into(),
            ..View::default()
        };
        assert!(narrows(&v(""), &v("jin")));
        assert!(narrows(&v("jin"), &v("JINJA")));
        assert!(!narrows(&v("jinja"), &v("jin")));
        assert!(!narrows(&v("src"), &v("src/*")));
        assert!(!narrows(&v("src/*"), &v("src/*a")));
        let hidden = View {
            hide_covered: true,
            ..v("jin")
        };
        assert!(!narrows(&v("jin"), &hidden));
    }
}
