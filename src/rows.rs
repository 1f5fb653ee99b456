//! What the table shows for a given view: which files, in which order. Pure.

use crate::state::{Sort, View};
use covgap_core::analysis::gaps::gap;
use covgap_core::analysis::{human_cmp, sort_files};
use covgap_core::FileCoverage;

/// Does `path` match the filter? Empty matches everything; with `*` or `?` it is a glob
/// over the whole path (`*` also crosses `/`); otherwise a substring. Case-insensitive.
pub fn matches_filter(path: &str, filter: &str) -> bool {
    let f = filter.trim();
    if f.is_empty() {
        return true;
    }
    let p = path.to_lowercase();
    let f = f.to_lowercase();
    if f.contains(['*', '?']) {
        glob(p.as_bytes(), f.as_bytes())
    } else {
        p.contains(&f)
    }
}

/// Iterative glob match with backtracking on the last `*`: linear-ish, no recursion, so a
/// pathological pattern cannot blow the stack.
fn glob(text: &[u8], pat: &[u8]) -> bool {
    let (mut t, mut p) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pat.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pat[p..].iter().all(|&c| c == b'*')
}

/// Does a file pass the view's hide toggles and filter?
pub fn keep(f: &FileCoverage, view: &View) -> bool {
    let hidden = (view.hide_covered && f.counts.is_fully_covered())
        || (view.hide_empty && f.counts.statements == 0);
    !hidden && matches_filter(&f.path, &view.filter)
}

/// Indices of the files to show, sorted as the view asks.
pub fn visible_files(files: &[FileCoverage], view: &View) -> Vec<usize> {
    let order = match view.sort {
        Sort::By(key) => sort_files(files, key, view.desc),
        Sort::Gap | Sort::Needed => {
            // Computed once per file, then sorted: the gap depends on the target.
            let mut keyed: Vec<(usize, f64)> = files
                .iter()
                .enumerate()
                .map(|(i, f)| {
                    let g = gap(&f.counts, view.target);
                    let k = match view.sort {
                        Sort::Gap => g.gap_pp,
                        // Unreachable by statements alone sorts after every number.
                        _ => g.statements_needed.map_or(f64::INFINITY, |n| n as f64),
                    };
                    (i, k)
                })
                .collect();
            keyed.sort_by(|a, b| {
                let by = a.1.total_cmp(&b.1);
                let by = if view.desc { by.reverse() } else { by };
                by.then_with(|| human_cmp(&files[a.0].path, &files[b.0].path))
            });
            keyed.into_iter().map(|(i, _)| i).collect()
        }
    };
    order
        .into_iter()
        .filter(|&i| keep(&files[i], view))
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
            ("src/jinja2/bccache.py", "*.py", true),
            ("src/jinja2/bccache.py", "src/*/b*", true),
            ("src/jinja2/bccache.py", "tests/*", false),
            ("src/jinja2/bccache.py", "src/jinja?/*", true),
            ("a.py", "**", true),
        ];
        for (p, f, want) in cases {
            assert_eq!(matches_filter(p, f), want, "{p} {f}");
        }
    }
}
