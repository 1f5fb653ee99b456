//! What the table shows for a given view: which files, in which order. Pure.

use crate::state::{Lens, Sort, View};
use covgap_core::analysis::{human_cmp, sort_files};
use covgap_core::plan::Pattern;
use covgap_core::FileCoverage;
use std::ops::Range;

/// Does `path` match the filter? Empty matches everything; with `*` or `?` it is a glob
/// over the whole path in the plan patterns' dialect (`covgap_core::plan::Pattern`: `*`
/// within one directory, `**` across directories, `?` one character); otherwise a
/// substring. Case-insensitive either way.
pub fn matches_filter(path: &str, filter: &str) -> bool {
    Filter::new(filter).matches(&path.to_lowercase())
}

/// Does a file pass the view's hide toggles and filter?
pub fn keep(f: &FileCoverage, view: &View, lens: &Lens) -> bool {
    shown(f, view, lens) && matches_filter(&f.path, &view.filter)
}

/// Does a file pass the view's hide toggles (the filter aside)?
fn shown(f: &FileCoverage, view: &View, lens: &Lens) -> bool {
    let c = f.counts.get(lens.count_metric());
    let hidden = (view.hide_covered && f.counts.get(lens.metric).missing() == 0)
        || (view.hide_empty && c.total == 0);
    !hidden
}

/// The filter of [`matches_filter`], prepared once for many paths.
struct Filter {
    text: String,
    glob: Option<Pattern>,
}

impl Filter {
    fn new(filter: &str) -> Filter {
        let text = filter.trim().to_lowercase();
        let glob = text.contains(['*', '?']).then(|| Pattern::new(&text));
        Filter { text, glob }
    }

    /// Whether the lowercased path matches.
    fn matches(&self, lower: &str) -> bool {
        match &self.glob {
            _ if self.text.is_empty() => true,
            Some(g) => g.matches(lower),
            None => lower.contains(&self.text),
        }
    }
}

/// Indices of the files to show, sorted as the view asks.
pub fn visible_files(files: &[FileCoverage], view: &View, lens: &Lens) -> Vec<usize> {
    filter_order(files, &[], &sorted_files(files, view, lens), view, lens)
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

/// Each file's place in the name order (`rank[i]` for file `i`), from that order; files
/// whose paths compare equal share a place.
pub fn name_rank(files: &[FileCoverage], by_name: &[usize]) -> Vec<u32> {
    let mut rank = vec![0u32; files.len()];
    let path = |i: usize| files.get(i).map_or("", |f| f.path.as_str());
    let mut place = 0u32;
    for (n, &i) in by_name.iter().enumerate() {
        if n > 0 && human_cmp(path(by_name[n - 1]), path(i)) != std::cmp::Ordering::Equal {
            place = n as u32;
        }
        if let Some(r) = rank.get_mut(i) {
            *r = place;
        }
    }
    rank
}

/// The same order as [`sorted_files`], computed from each file's key and its place in the
/// name order (`rank`, from [`name_rank`]) instead of comparing paths in every step: a
/// 10,000-file report sorts by a new column within a frame. `rank` must come from the same
/// files.
pub fn sorted_files_ranked(
    files: &[FileCoverage],
    view: &View,
    lens: &Lens,
    rank: &[u32],
) -> Vec<usize> {
    use covgap_core::analysis::SortKey;
    let rank_of = |i: usize| rank.get(i).copied().unwrap_or(u32::MAX);
    let count = lens.metric.count_basis();
    // One number per file; equal numbers fall back to the name order.
    let key = |f: &FileCoverage| -> f64 {
        let c = &f.counts;
        match view.sort {
            Sort::By(SortKey::Name) => 0.0,
            Sort::By(SortKey::Statements) => c.get(count).total as f64,
            Sort::By(SortKey::Missing) => c.get(count).missing() as f64,
            Sort::By(SortKey::Excluded) => c.excluded as f64,
            Sort::By(SortKey::Branches) => c.branches.total as f64,
            Sort::By(SortKey::Partial) => c.partial_branches as f64,
            Sort::By(SortKey::Cover) => lens.rules.percent(c, lens.metric),
            Sort::Gap => lens.gap(c).gap_pp,
            // Unreachable sorts after every number.
            Sort::Needed => lens
                .gap(c)
                .headline_needed()
                .map_or(f64::INFINITY, |n| n as f64),
        }
    };
    let mut keyed: Vec<(f64, u32, usize)> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (key(f), rank_of(i), i))
        .collect();
    let desc = view.desc;
    // `sort_files` reverses the whole comparison (the name too); the gap and needed sorts
    // reverse the figure only and keep names ascending.
    let whole = matches!(view.sort, Sort::By(_));
    keyed.sort_unstable_by(|a, b| {
        let by = a.0.total_cmp(&b.0);
        let by = if desc { by.reverse() } else { by };
        let name = a.1.cmp(&b.1);
        let name = if desc && whole { name.reverse() } else { name };
        // Equal names keep the report's order, as a stable sort does.
        by.then(name).then(a.2.cmp(&b.2))
    });
    keyed.into_iter().map(|(_, _, i)| i).collect()
}

/// The files of `order` (indices into `files`) that the view's filter and hide toggles
/// keep, in the same order. `lower` is every path lowercased (`Loaded::lower_paths`), or
/// empty to lowercase them here.
pub fn filter_order(
    files: &[FileCoverage],
    lower: &[String],
    order: &[usize],
    view: &View,
    lens: &Lens,
) -> Vec<usize> {
    let filter = Filter::new(&view.filter);
    let everything = filter.text.is_empty();
    order
        .iter()
        .copied()
        .filter(|&i| {
            files.get(i).is_some_and(|f| {
                shown(f, view, lens)
                    && (everything
                        || match lower.get(i) {
                            Some(l) => filter.matches(l),
                            None => filter.matches(&f.path.to_lowercase()),
                        })
            })
        })
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

/// Tables of at most this many rows render every row; longer ones render a window of the
/// rows on screen ([`RowWindow`]), so sorting, filtering or switching tabs on a 10,000-file
/// report costs the same as on a small one.
pub const RENDER_ALL_MAX: usize = 120;
/// Rows rendered before the page has been measured (and in server-side rendering).
pub const FIRST_WINDOW: usize = 32;
/// The window moves in steps of this many rows (even, so the rows' stripes stay put):
/// scrolling re-renders once per step, not per pixel.
pub const WINDOW_STEP: usize = 8;
/// Rows kept rendered beyond each edge of the screen.
pub const OVERSCAN: usize = 4;

/// Where a table's rows are on screen, as the browser measured it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// The top of the table body (its first row) relative to the top of the viewport, in
    /// CSS pixels: negative once the page is scrolled past it.
    pub top: f64,
    /// The viewport's height.
    pub height: f64,
    /// One row's height.
    pub row: f64,
}

/// The rows of a long table that are in the page: the ones on screen and a margin, in
/// steps of [`WINDOW_STEP`] rows; the rest are stood in for by two spacers of
/// `row_px` × rows.
#[derive(Clone, Debug, PartialEq)]
pub struct RowWindow {
    /// Rows rendered (indices into the table's rows).
    pub rows: Range<usize>,
    /// The height of a row, in CSS pixels, as last measured.
    pub row_px: f64,
}

impl Default for RowWindow {
    fn default() -> Self {
        RowWindow {
            rows: 0..FIRST_WINDOW,
            // A one-line row at the default font size: corrected by the first measurement.
            row_px: 29.0,
        }
    }
}

impl RowWindow {
    /// The window for a table body placed as `vp` says (see [`RowWindow::rows_of`] for
    /// a table of a given length).
    pub fn measured(vp: Viewport) -> RowWindow {
        let row = if vp.row.is_finite() && vp.row >= 4.0 {
            vp.row
        } else {
            RowWindow::default().row_px
        };
        let rows_to = |px: f64| (px.max(0.0) / row) as usize;
        let first = rows_to(-vp.top).saturating_sub(OVERSCAN);
        let last = rows_to(vp.height - vp.top) + 1 + OVERSCAN;
        let start = (first / WINDOW_STEP) * WINDOW_STEP;
        let end = last.div_ceil(WINDOW_STEP) * WINDOW_STEP;
        RowWindow {
            rows: start..end.max(start + WINDOW_STEP),
            row_px: (row * 100.0).round() / 100.0,
        }
    }

    /// The rows to render of a table that has `total`: all of a short table, else the
    /// window, moved back inside the table if the table got shorter since (a filter).
    pub fn rows_of(&self, total: usize) -> Range<usize> {
        if total <= RENDER_ALL_MAX {
            return 0..total;
        }
        let len = self.rows.len().max(WINDOW_STEP);
        let end = self.rows.end.min(total);
        let start = self.rows.start.min(end.saturating_sub(len));
        // Keep the start on a step (stripes).
        let start = start / WINDOW_STEP * WINDOW_STEP;
        start..end.max(start.saturating_add(WINDOW_STEP).min(total))
    }
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

    #[test]
    fn a_long_table_renders_the_rows_on_screen_and_a_margin() {
        let w = RowWindow::default();
        assert_eq!(w.rows_of(50), 0..50, "short tables render every row");
        assert_eq!(w.rows_of(10_000), 0..FIRST_WINDOW);
        // At the top of the page, the body 300 px down a 900 px viewport, 30 px rows:
        // rows 0..20 are on screen; 4 more, rounded up to a step of 8.
        let vp = |top: f64| Viewport {
            top,
            height: 900.0,
            row: 30.0,
        };
        assert_eq!(RowWindow::measured(vp(300.0)).rows, 0..32);
        // Scrolled 3,000 px into the body: rows 100..130 on screen.
        let w = RowWindow::measured(vp(-3000.0));
        assert_eq!(w.rows, 96..136);
        assert!(w.rows.contains(&100) && w.rows.contains(&131));
        assert!(w.rows.start.is_multiple_of(WINDOW_STEP));
        // Scrolling within a step keeps the same window (no re-render).
        assert_eq!(RowWindow::measured(vp(-3050.0)).rows, w.rows);
        // The table got shorter (a filter) while scrolled far down: the window moves up.
        let far = RowWindow::measured(vp(-290_000.0));
        let r = far.rows_of(500);
        assert!(
            r.end == 500 && r.len() >= WINDOW_STEP && r.start.is_multiple_of(WINDOW_STEP),
            "{r:?}"
        );
        // A body far below the viewport still renders its first step.
        assert_eq!(RowWindow::measured(vp(5000.0)).rows, 0..WINDOW_STEP);
        // Nonsense measurements fall back to the default row height.
        let odd = Viewport {
            top: 0.0,
            height: 900.0,
            row: f64::NAN,
        };
        assert_eq!(RowWindow::measured(odd).row_px, 29.0);
    }
}
