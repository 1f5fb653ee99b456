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
    let order = match view.sort {
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
    };
    order
        .into_iter()
        .filter(|&i| files.get(i).is_some_and(|f| keep(f, view, lens)))
        .collect()
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
}
