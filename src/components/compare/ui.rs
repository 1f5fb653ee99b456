//! The compare panel's own state: which two reports, how the rows are sorted and filtered,
//! the regression threshold, the tree's open directories and the trend's options. It is
//! not part of the app's reducer (nothing else needs it), but it is just as pure, so every
//! transition is tested natively.

use covgap_core::analysis::compare::{CompareFilter, CompareSortKey};
use std::collections::BTreeSet;
use std::rc::Rc;

/// Rows rendered at first; big reports add [`MORE_ROWS`] per "show more".
pub const PAGE_ROWS: usize = 200;
/// Rows added by each "show more".
pub const MORE_ROWS: usize = 1000;

/// How the comparison's files are laid out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Layout {
    /// One row per file, sortable.
    #[default]
    Files,
    /// The directory tree with baseline and current rolled up at each level.
    Tree,
}

/// The panel's state.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareUi {
    /// The baseline the user picked (`None`: the default by timestamps).
    pub base: Option<u32>,
    /// The current report the user picked (`None`: the default).
    pub current: Option<u32>,
    /// Sort column of the file rows.
    pub sort: CompareSortKey,
    /// Descending?
    pub desc: bool,
    /// Which files to show.
    pub filter: CompareFilter,
    /// Path filter: a substring, or a glob with `*` or `?` (as in the file table).
    pub query: String,
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
            base: None,
            current: None,
            // The biggest losses of covered statements first: what got worse leads.
            sort: CompareSortKey::CoveredDelta,
            desc: false,
            // Unchanged files are noise when asking "what changed".
            filter: CompareFilter::Different,
            query: String::new(),
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

/// A change to [`CompareUi`].
#[derive(Clone, Debug, PartialEq)]
pub enum CompareAction {
    /// Use this pair (the view resolves swaps before sending it).
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

impl CompareUi {
    /// Whether the directory at `path` is open.
    pub fn is_open(&self, path: &str, top: bool) -> bool {
        if top {
            !self.closed.contains(path)
        } else {
            self.opened.contains(path)
        }
    }

    /// Applies one action.
    pub fn apply(&mut self, a: CompareAction) {
        match a {
            CompareAction::Pick { base, current } => {
                self.base = Some(base);
                self.current = Some(current);
                self.rows_shown = PAGE_ROWS;
                self.export_note = None;
            }
            CompareAction::Sort(k) => {
                if self.sort == k {
                    self.desc = !self.desc;
                } else {
                    // Every column reads best ascending first: names A→Z, and for the
                    // numbers the worst (largest fall, lowest percentage) on top.
                    self.sort = k;
                    self.desc = false;
                }
            }
            CompareAction::SortExactly(k, desc) => {
                self.sort = k;
                self.desc = desc;
            }
            CompareAction::Filter(f) => {
                self.filter = f;
                self.rows_shown = PAGE_ROWS;
            }
            CompareAction::Query(q) => {
                self.query = q;
                self.rows_shown = PAGE_ROWS;
            }
            CompareAction::Threshold(t) => {
                if t.is_finite() {
                    self.threshold = t.clamp(0.0, 100.0);
                }
            }
            CompareAction::Layout(l) => self.layout = l,
            CompareAction::More => self.rows_shown += MORE_ROWS,
            CompareAction::Toggle { path, top } => {
                let set = if top {
                    &mut self.closed
                } else {
                    &mut self.opened
                };
                if !set.remove(&path) {
                    set.insert(path);
                }
            }
            CompareAction::SetAll { open, paths } => {
                self.opened.clear();
                self.closed.clear();
                if open {
                    self.opened.extend(paths);
                } else {
                    self.closed.extend(paths);
                }
            }
            CompareAction::ByTimestamp(b) => self.by_timestamp = b,
            CompareAction::Window(w) => self.window = w.map(|w| w.max(2)),
            CompareAction::ExportNote(n) => self.export_note = n,
        }
    }
}

impl yew::Reducible for CompareUi {
    type Action = CompareAction;
    fn reduce(self: Rc<Self>, action: CompareAction) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}
