//! The compare panel's state, owned by the app's one reducer: what goes in the URL
//! ([`CompareView`]: the pair, the filter, the floor and the sort) and what only lives for
//! the session ([`CompareUi`]: threshold, layout, open directories, the trend's options).
//! Both survive switching tabs.

use covgap_core::analysis::compare::{CompareFilter, CompareSortKey};
use std::collections::BTreeSet;

/// Rows rendered at first; big reports add [`MORE_ROWS`] per "show more".
pub const PAGE_ROWS: usize = 200;
/// Rows added by each "show more".
pub const MORE_ROWS: usize = 1000;
/// The floor when no plan gives one.
pub const DEFAULT_FLOOR: f64 = 50.0;

/// How the comparison's files are laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// One row per file, sortable.
    #[default]
    Files,
    /// The directory tree with baseline and current rolled up at each level.
    Tree,
}

/// The part of the compare panel that belongs in the URL.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareView {
    /// The baseline the user picked, by report key ([`crate::state::report_key`]);
    /// `None`: the default by timestamps.
    pub base: Option<String>,
    /// The current report the user picked (`None`: the default).
    pub current: Option<String>,
    /// Which files to show.
    pub filter: CompareFilter,
    /// Path filter: a substring, or a glob (plan-pattern rules) with `*` or `?`.
    pub query: String,
    /// The floor set in the page; `None`: the plan's floor, else [`DEFAULT_FLOOR`].
    pub floor: Option<f64>,
    /// Sort column of the file rows.
    pub sort: CompareSortKey,
    /// Descending?
    pub desc: bool,
}

impl Default for CompareView {
    fn default() -> Self {
        CompareView {
            base: None,
            current: None,
            // Unchanged files are noise when asking "what changed".
            filter: CompareFilter::Different,
            query: String::new(),
            floor: None,
            // The biggest losses of covered statements first: what got worse leads.
            sort: CompareSortKey::CoveredDelta,
            desc: false,
        }
    }
}

/// Where the floor in use comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloorSource {
    /// Set in the page.
    Chosen,
    /// The loaded plan's `floor`.
    Plan,
    /// Neither: the default 50%.
    Default,
}

impl CompareView {
    /// The floor in use and where it comes from: the page's, else the plan's, else 50%.
    pub fn floor_in_use(&self, plan_floor: Option<f64>) -> (f64, FloorSource) {
        match (self.floor, plan_floor) {
            (Some(f), _) => (f, FloorSource::Chosen),
            (None, Some(f)) => (f, FloorSource::Plan),
            (None, None) => (DEFAULT_FLOOR, FloorSource::Default),
        }
    }
}

/// The session part of the compare panel.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareUi {
    /// A file regresses when it falls by more than this many percentage points.
    pub threshold: f64,
    /// Files or tree.
    pub layout: Layout,
    /// How many file rows to render.
    pub rows_shown: usize,
    /// Directories opened beyond the default (top level open).
    pub opened: BTreeSet<String>,
    /// Top-level directories closed by the user.
    pub closed: BTreeSet<String>,
    /// Order the trend by `meta.timestamp` (else by load order).
    pub by_timestamp: bool,
    /// Fit the trend's slope over the last this many reports (`None`: all).
    pub window: Option<usize>,
    /// What the last export did ("Copied", "Could not copy…").
    pub export_note: Option<String>,
}

impl Default for CompareUi {
    fn default() -> Self {
        CompareUi {
            threshold: 0.0,
            layout: Layout::Files,
            rows_shown: PAGE_ROWS,
            opened: BTreeSet::new(),
            closed: BTreeSet::new(),
            by_timestamp: true,
            window: None,
            export_note: None,
        }
    }
}

impl CompareUi {
    /// Whether the directory at `path` is open.
    pub fn is_open(&self, path: &str, top: bool) -> bool {
        if top {
            !self.closed.contains(path)
        } else {
            self.opened.contains(path)
        }
    }
}

/// A change to the compare panel.
#[derive(Clone, Debug, PartialEq)]
pub enum CompareAction {
    /// Use this pair, by report id (the view resolves swaps before sending it).
    Pick {
        /// Baseline id.
        base: u32,
        /// Current id.
        current: u32,
    },
    /// Sort by a column; the same column again flips the direction.
    Sort(CompareSortKey),
    /// Sort by a column in a given direction (the "show all" links of the highlights).
    SortExactly(CompareSortKey, bool),
    /// Show these files.
    Filter(CompareFilter),
    /// Path filter typed.
    Query(String),
    /// The floor (clamped to 0–100; `None`: back to the plan's or the default).
    Floor(Option<f64>),
    /// Regression threshold in percentage points (clamped to 0–100; non-numbers ignored).
    Threshold(f64),
    /// Files or tree.
    Layout(Layout),
    /// Render more rows.
    More,
    /// Open or close a directory; `top` says whether it is a top-level one.
    Toggle {
        /// Its path.
        path: String,
        /// Whether it is at the top level (open by default).
        top: bool,
    },
    /// Open every directory (the list) or close every one (`top` lists the top level).
    SetAll {
        /// Open everything?
        open: bool,
        /// Every directory path when opening; the top-level ones when closing.
        paths: Vec<String>,
    },
    /// Order the trend by timestamp or by load order.
    ByTimestamp(bool),
    /// Slope window.
    Window(Option<usize>),
    /// Result of an export, shown beside the buttons.
    ExportNote(Option<String>),
}

/// Applies `a` to the URL part `v` and the session part `ui`. `Pick` is resolved to
/// report keys by the caller ([`crate::state::AppState::apply`]).
pub fn apply(v: &mut CompareView, ui: &mut CompareUi, a: CompareAction) {
    match a {
        CompareAction::Pick { .. } => {
            ui.rows_shown = PAGE_ROWS;
            ui.export_note = None;
        }
        CompareAction::Sort(k) => {
            if v.sort == k {
                v.desc = !v.desc;
            } else {
                // Every column reads best ascending first: names A→Z, and for the
                // numbers the worst (largest fall, lowest percentage) on top.
                v.sort = k;
                v.desc = false;
            }
        }
        CompareAction::SortExactly(k, desc) => {
            v.sort = k;
            v.desc = desc;
        }
        CompareAction::Filter(f) => {
            v.filter = f;
            ui.rows_shown = PAGE_ROWS;
        }
        CompareAction::Query(q) => {
            v.query = q;
            ui.rows_shown = PAGE_ROWS;
        }
        CompareAction::Floor(f) => match f {
            Some(x) if x.is_finite() => v.floor = Some(x.clamp(0.0, 100.0)),
            Some(_) => {}
            None => v.floor = None,
        },
        CompareAction::Threshold(t) => {
            if t.is_finite() {
                ui.threshold = t.clamp(0.0, 100.0);
            }
        }
        CompareAction::Layout(l) => ui.layout = l,
        CompareAction::More => ui.rows_shown += MORE_ROWS,
        CompareAction::Toggle { path, top } => {
            let set = if top { &mut ui.closed } else { &mut ui.opened };
            if !set.remove(&path) {
                set.insert(path);
            }
        }
        CompareAction::SetAll { open, paths } => {
            ui.opened.clear();
            ui.closed.clear();
            if open {
                ui.opened.extend(paths);
            } else {
                ui.closed.extend(paths);
            }
        }
        CompareAction::ByTimestamp(b) => ui.by_timestamp = b,
        CompareAction::Window(w) => ui.window = w.map(|w| w.max(2)),
        CompareAction::ExportNote(n) => ui.export_note = n,
    }
}

/// Every filter with its name in the URL.
pub const FILTER_SLUGS: &[(CompareFilter, &str)] = &[
    (CompareFilter::Different, "different"),
    (CompareFilter::All, "all"),
    (CompareFilter::Flagged, "flagged"),
    (CompareFilter::Regressions, "regressions"),
    (CompareFilter::BelowFloor, "below_floor"),
    (CompareFilter::Added, "added"),
    (CompareFilter::Removed, "removed"),
    (CompareFilter::Changed, "changed"),
];

/// Every sort column with its name in the URL.
pub const SORT_SLUGS: &[(CompareSortKey, &str)] = &[
    (CompareSortKey::Name, "name"),
    (CompareSortKey::Status, "status"),
    (CompareSortKey::BasePercent, "base"),
    (CompareSortKey::CurrentPercent, "current"),
    (CompareSortKey::Delta, "delta"),
    (CompareSortKey::CoveredDelta, "covered"),
];

/// A filter's name in the URL.
pub fn filter_slug(f: CompareFilter) -> &'static str {
    FILTER_SLUGS
        .iter()
        .find(|(x, _)| *x == f)
        .map_or("different", |(_, s)| s)
}

/// The filter a URL names.
pub fn filter_from(s: &str) -> Option<CompareFilter> {
    FILTER_SLUGS.iter().find(|(_, x)| *x == s).map(|(f, _)| *f)
}

/// A sort column's name in the URL.
pub fn sort_slug(k: CompareSortKey) -> &'static str {
    SORT_SLUGS
        .iter()
        .find(|(x, _)| *x == k)
        .map_or("covered", |(_, s)| s)
}

/// The sort column a URL names.
pub fn sort_from(s: &str) -> Option<CompareSortKey> {
    SORT_SLUGS.iter().find(|(_, x)| *x == s).map(|(k, _)| *k)
}
