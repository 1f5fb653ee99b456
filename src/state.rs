//! The whole app state and the one place it changes: [`AppState::apply`]. Pure: no I/O,
//! so every transition is tested natively (`tests/state.rs`).

pub mod compare;
pub mod edit;
pub mod plan;
pub mod source;

pub use compare::{CompareAction, CompareUi, CompareView, Layout};
pub use edit::{apply_edit, Edit};
pub use plan::{FieldError, GateFormat, PlanUi, Section, UiAction};
pub use source::{OpenView, ReadRequest, SourceAction, SourceUi};

use crate::fmt::Locale;
pub use crate::io::worker::Phase;
use crate::io::worker::{Parsed, WorkerEvent};
use covgap_core::analysis::gaps::{gap, Gap};
use covgap_core::analysis::{
    build_tree, chronological_order, parse_timestamp, OrderBasis, SortBasis, SortKey, Target,
    TreeNode,
};
use covgap_core::display::MAX_PRECISION;
use covgap_core::plan::{Imported, Plan};
use covgap_core::{Counts, Metric, Report, Rules};
use std::collections::BTreeSet;
use std::rc::Rc;

/// A report that loaded, with what the views need precomputed once.
#[derive(Debug)]
pub struct Loaded {
    /// Stable id (also the id of the load that produced it).
    pub id: u32,
    /// File name as the user gave it.
    pub name: String,
    /// Size in bytes.
    pub bytes: usize,
    /// The report.
    pub report: Report,
    /// Totals (sum of files).
    pub totals: Counts,
    /// Directory tree with roll-ups.
    pub tree: TreeNode,
    /// The file orders computed so far ([`Loaded::order`]), newest last.
    orders: std::cell::RefCell<Vec<(View, Rc<Vec<usize>>)>>,
    /// Each file's place in the name order, once a sort needed it.
    rank: std::cell::OnceCell<Vec<u32>>,
    /// Every path lowercased, once the filter needed them.
    lower: std::cell::OnceCell<Vec<String>>,
}

/// Sort orders kept per report: switching back to a sort (or back to the files tab, which
/// builds the table anew) does not sort 10,000 files again.
const ORDERS_KEPT: usize = 6;

/// Loads have unique ids and a loaded report never changes, so equality is identity.
/// (Views compare props on every render; comparing whole reports would be O(report).)
impl PartialEq for Loaded {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Loaded {
    /// The metric the views show for it: the view's choice when the report carries it,
    /// else the report's headline metric.
    pub fn metric(&self, view: &View) -> Metric {
        match view.metric {
            Some(m) if self.report.carries(m) => m,
            _ => self.report.headline(),
        }
    }

    /// The lens the views read the report through.
    pub fn lens(&self, view: &View) -> Lens {
        Lens {
            metric: self.metric(view),
            rules: self.report.rules(),
            target: view.target,
        }
    }

    /// Wraps a parsed report.
    pub fn new(id: u32, name: String, bytes: usize, report: Report) -> Loaded {
        let totals = report.totals();
        let tree = build_tree(&report.files);
        Loaded {
            id,
            name,
            bytes,
            report,
            totals,
            tree,
            orders: Default::default(),
            rank: Default::default(),
            lower: Default::default(),
        }
    }

    /// Every file's path lowercased (the filter ignores case), made the first time a filter
    /// is typed rather than on every keystroke.
    pub fn lower_paths(&self) -> &[String] {
        self.lower.get_or_init(|| {
            self.report
                .files
                .iter()
                .map(|f| f.path.to_lowercase())
                .collect()
        })
    }

    /// Every file's index in the order `view` sorts them (filter and hide toggles ignored),
    /// computed once per sort, metric and target and kept for the report's life. Only the
    /// name order compares paths; the others rank equal figures by it.
    pub fn order(&self, view: &View) -> Rc<Vec<usize>> {
        // What the order depends on: the sort, the metric, the target (gap and needed).
        let key = View {
            sort: view.sort,
            desc: view.desc,
            target: view.target,
            metric: view.metric,
            ..View::default()
        };
        {
            let mut orders = self.orders.borrow_mut();
            if let Some(i) = orders.iter().position(|(k, _)| *k == key) {
                let hit = orders.remove(i);
                let order = hit.1.clone();
                orders.push(hit);
                return order;
            }
        }
        let by_name = View {
            sort: Sort::By(SortKey::Name),
            desc: false,
            ..View::default()
        };
        let lens = self.lens(&key);
        let order = Rc::new(if key.sort == by_name.sort && !key.desc {
            crate::rows::sorted_files(&self.report.files, &key, &lens)
        } else {
            let rank = self
                .rank
                .get_or_init(|| crate::rows::name_rank(&self.report.files, &self.order(&by_name)));
            crate::rows::sorted_files_ranked(&self.report.files, &key, &lens, rank)
        });
        let mut orders = self.orders.borrow_mut();
        if orders.len() >= ORDERS_KEPT {
            orders.remove(0);
        }
        orders.push((key, order.clone()));
        order
    }
}

/// How a view reads a report: the metric shown, the tool's rules, and the target.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lens {
    /// The metric of the percentage columns.
    pub metric: Metric,
    /// The rules of the report's tool.
    pub rules: &'static Rules,
    /// The target and precision.
    pub target: Target,
}

impl Lens {
    /// The metric's percentage of `c` by the tool's formula.
    pub fn percent(&self, c: &Counts) -> f64 {
        self.rules.percent(c, self.metric)
    }

    /// The metric of `c` as the tool shows it, without `%` ("92", "99.93", "n/a").
    pub fn show(&self, c: &Counts) -> String {
        self.rules.show(c, self.metric, self.target.precision)
    }

    /// A percentage as the tool shows it, without `%`.
    pub fn show_percent(&self, v: f64) -> String {
        self.rules.display_percent(v, self.target.precision)
    }

    /// `c` against the target under the tool's gate.
    pub fn gap(&self, c: &Counts) -> Gap {
        gap(c, self.metric, self.rules, self.target)
    }

    /// The metric whose counts stand beside the percentage (statements for coverage.py's
    /// combined figure).
    pub fn count_metric(&self) -> Metric {
        self.metric.count_basis()
    }

    /// Its column title: `Stmts` as coverage.py writes it, else the metric's name.
    pub fn count_title(&self) -> &'static str {
        match self.count_metric() {
            Metric::Statements => "Stmts",
            m => m.title(),
        }
    }

    /// How files are sorted by the Cover column.
    pub fn sort_basis(&self) -> SortBasis {
        SortBasis {
            metric: self.metric,
            rules: self.rules,
        }
    }
}

/// A plan file that loaded (or one made in the page).
#[derive(Debug, PartialEq)]
pub struct LoadedPlan {
    /// Id of the load that produced it (0 for a plan made in the page).
    pub id: u32,
    /// File name, used again when saving.
    pub name: String,
    /// The plan.
    pub plan: Plan,
}

/// What is kept in this browser for offline review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptInfo {
    /// Files kept (reports and the plan).
    pub files: u32,
    /// Source files kept with them (those the reports name, from the folders given).
    pub sources: u32,
    /// Their total size in bytes.
    pub bytes: u64,
    /// When, as an ISO 8601 timestamp.
    pub saved_at: String,
    /// The kept plan's file name, when a plan is kept.
    pub plan: Option<String>,
}

/// The state of "keep for offline review".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Storage {
    /// What is kept now, if anything.
    pub kept: Option<KeptInfo>,
    /// The last outcome to tell the user.
    pub message: Option<String>,
    /// Was that outcome a failure?
    pub failed: bool,
}

/// Most plan edits kept for undo.
pub const UNDO_DEPTH: usize = 50;

/// Where one dropped or picked file is in its life.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadStatus {
    /// Started: nothing heard from the parsing worker yet.
    Reading,
    /// In the parsing worker (or waiting for one): how far along, 0 to 1, and the step's
    /// word for the progress bar (`Phase::label`).
    Loading {
        /// 0 to 1, over every step (`WorkerEvent::fraction`).
        fraction: f64,
        /// The step it is at.
        phase: Phase,
    },
    /// Loaded: see [`AppState::reports`].
    Done,
    /// A markdown plan was read: what was understood waits for "Use this plan".
    Review,
    /// Could not be loaded, and why (the file name is shown beside it).
    Failed(String),
}

/// One file the user gave us.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadEntry {
    /// Id shared with the resulting [`Loaded`].
    pub id: u32,
    /// File name.
    pub name: String,
    /// Size in bytes, when known.
    pub bytes: Option<usize>,
    /// Status.
    pub status: LoadStatus,
}

/// What the file table is sorted by: a report column, or one that depends on the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sort {
    /// A column of the report itself.
    By(SortKey),
    /// Percentage points below the target.
    Gap,
    /// Statements needed to reach the target.
    Needed,
}

impl Sort {
    fn slug(self) -> &'static str {
        match self {
            Sort::By(k) => sort_name(k),
            Sort::Gap => "gap",
            Sort::Needed => "needed",
        }
    }

    fn from_slug(s: &str) -> Option<Sort> {
        match s {
            "gap" => Some(Sort::Gap),
            "needed" => Some(Sort::Needed),
            _ => sort_from(s).map(Sort::By),
        }
    }
}

/// Which main view is shown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// The flat file table.
    #[default]
    Files,
    /// The directory tree.
    Tree,
    /// Baseline against current, and the trend over several reports.
    Compare,
    /// The improvement plan: phases, priorities, what-if, board.
    Plan,
}

impl Tab {
    /// Every tab, in display order.
    pub const ALL: [Tab; 4] = [Tab::Files, Tab::Tree, Tab::Compare, Tab::Plan];

    /// Its name in the URL.
    pub fn slug(self) -> &'static str {
        match self {
            Tab::Files => "files",
            Tab::Tree => "tree",
            Tab::Compare => "compare",
            Tab::Plan => "plan",
        }
    }

    /// Its label on screen.
    pub fn label(self) -> &'static str {
        match self {
            Tab::Files => "File table",
            Tab::Tree => "Directory tree",
            Tab::Compare => "Compare & trend",
            Tab::Plan => "Plan",
        }
    }
}

/// Everything about the current view that belongs in the URL (bookmarkable, shareable).
#[derive(Clone, Debug, PartialEq)]
pub struct View {
    /// Main view.
    pub tab: Tab,
    /// Sort column.
    pub sort: Sort,
    /// Descending?
    pub desc: bool,
    /// Filter text: a substring, or a glob when it has `*` or `?`.
    pub filter: String,
    /// Hide files with nothing missing.
    pub hide_covered: bool,
    /// Hide files with no statements.
    pub hide_empty: bool,
    /// The coverage target and its precision.
    pub target: Target,
    /// The metric shown; `None`: each report's headline metric.
    pub metric: Option<Metric>,
    /// Name of the current report, to reselect it after a reload.
    pub report: Option<String>,
    /// The compare panel's pair, filter, floor and sort.
    pub compare: CompareView,
    /// The plan panel's sub-tab.
    pub plan: Section,
    /// The report file open in its own view (`#/file?path=…`), by its path in the report.
    pub file: Option<String>,
    /// The selected line of that file.
    pub line: Option<u32>,
}

impl Default for View {
    fn default() -> Self {
        View {
            tab: Tab::Files,
            sort: Sort::By(SortKey::Name),
            desc: false,
            filter: String::new(),
            hide_covered: false,
            hide_empty: false,
            target: Target::default(),
            metric: None,
            report: None,
            compare: CompareView::default(),
            plan: Section::default(),
            file: None,
            line: None,
        }
    }
}

/// The tree's first level opens by itself when it has at most this many directories.
pub const AUTO_EXPAND_MAX: usize = 12;

/// Something the page tells the user until it is dismissed.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    /// A plan file replaced a plan edited in the page and not saved: Undo brings the
    /// edited one back.
    PlanReplaced {
        /// The new plan's file name.
        name: String,
    },
    /// A plan (loaded, edited, undone) changed the Target field.
    TargetFromPlan {
        /// The target now.
        target: Target,
        /// The target before.
        before: Target,
        /// What did it: "from the plan".
        why: String,
    },
}

/// A markdown plan read and waiting for the user to use it or not.
#[derive(Debug, PartialEq)]
pub struct PlanImport {
    /// Id of the load.
    pub id: u32,
    /// The markdown file's name.
    pub name: String,
    /// The plan, what was understood, and the lines that could not be used.
    pub imported: Imported,
}

/// The app's state.
#[derive(Clone, Debug, PartialEq)]
pub struct AppState {
    /// Every file given, in order, with its status.
    pub loads: Vec<LoadEntry>,
    /// Reports that loaded, in order.
    pub reports: Vec<Rc<Loaded>>,
    /// Id of the report the views show.
    pub current: Option<u32>,
    /// The bookmarkable view.
    pub view: View,
    /// Tree directories the user expanded (paths).
    pub expanded: BTreeSet<String>,
    /// Message for the screen-reader live region.
    pub announcement: String,
    /// Is the keyboard help open?
    pub help_open: bool,
    /// Is the paste box open?
    pub paste_open: bool,
    /// The plan, when one is loaded or made.
    pub plan: Option<Rc<LoadedPlan>>,
    /// Earlier versions of the plan, newest last (undo).
    pub plan_undo: Vec<Rc<LoadedPlan>>,
    /// What is kept in this browser, and the last keep/forget outcome.
    pub storage: Storage,
    /// The compare panel's session state (its URL part is in [`View::compare`]).
    pub compare: CompareUi,
    /// The plan panel's state (its sub-tab is in [`View::plan`]).
    pub plan_ui: PlanUi,
    /// The user's number format, read once at start.
    pub locale: Locale,
    /// What the page says until dismissed (a replaced plan, a target a plan set).
    pub notices: Vec<Notice>,
    /// A markdown plan waiting for "Use this plan".
    pub import: Option<Rc<PlanImport>>,
    /// Source folders and the file view.
    pub source: SourceUi,
    /// The plan version that is in a file (loaded from one, or downloaded).
    pub plan_saved: Option<Rc<LoadedPlan>>,
    /// The plan version kept in this browser's storage.
    pub kept_plan: Option<Rc<LoadedPlan>>,
    /// The kept plan's name while a kept session is being restored.
    restoring_plan: Option<String>,
    /// Ids of the loads given together (one drop or pick), while they arrive.
    batch: Option<Vec<u32>>,
    /// A report named by the URL that has not loaded yet: it becomes current when it does.
    pending: Option<String>,
    next_id: u32,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            loads: Vec::new(),
            reports: Vec::new(),
            current: None,
            view: View::default(),
            expanded: BTreeSet::new(),
            announcement: String::new(),
            help_open: false,
            paste_open: false,
            plan: None,
            plan_undo: Vec::new(),
            storage: Storage::default(),
            compare: CompareUi::default(),
            plan_ui: PlanUi::default(),
            locale: Locale::default(),
            notices: Vec::new(),
            import: None,
            source: SourceUi::default(),
            plan_saved: None,
            kept_plan: None,
            restoring_plan: None,
            batch: None,
            pending: None,
            next_id: 1,
        }
    }
}

/// Everything that can happen.
#[derive(Debug)]
pub enum Action {
    /// A file started loading; its id comes from [`AppState::next_load_id`].
    LoadStarted {
        /// Id reserved for it.
        id: u32,
        /// File name.
        name: String,
        /// Size, when known.
        bytes: Option<usize>,
    },
    /// The parsing worker's progress on it (bytes read; files decoded once it is parsed).
    LoadProgress {
        /// Its id.
        id: u32,
        /// Done so far.
        read: u64,
        /// In all.
        total: u64,
        /// Which step.
        phase: Phase,
    },
    /// The user cancelled it: its card goes away.
    LoadCancelled(u32),
    /// It parsed.
    LoadDone(Rc<Loaded>),
    /// It did not.
    LoadFailed {
        /// Its id.
        id: u32,
        /// Why, in words.
        reason: String,
    },
    /// A plan file loaded: it becomes the plan, and its target the target.
    PlanLoaded(Rc<LoadedPlan>),
    /// The plan was edited in the page (or made from the report); undo keeps the old one.
    PlanEdited(Plan),
    /// Back to the plan before the last edit.
    PlanUndo,
    /// Keeping for offline review finished (or failed, and why).
    Kept(Result<KeptInfo, String>),
    /// Found a kept session at start-up (it is being loaded).
    KeptFound(KeptInfo),
    /// Forgetting the kept files finished (or failed, and why).
    Forgotten(Result<(), String>),
    /// Forget a load entry (and its report, if any).
    Remove(u32),
    /// Show this report.
    Select(u32),
    /// Sort by a column; the same column again flips the direction.
    SortBy(Sort),
    /// Filter text changed.
    Filter(String),
    /// Toggle hiding fully covered files.
    ToggleHideCovered,
    /// Toggle hiding files without statements.
    ToggleHideEmpty,
    /// Target percentage changed (clamped to 0–100).
    SetTarget(f64),
    /// Precision changed (clamped).
    SetPrecision(u8),
    /// The metric shown changed (`None`: the report's headline).
    SetMetric(Option<Metric>),
    /// Switch main view.
    SetTab(Tab),
    /// Switch to the other main view.
    FlipTab,
    /// Close the help and the paste box (Escape).
    CloseOverlays,
    /// Expand or collapse a tree directory.
    ToggleDir(String),
    /// Expand or collapse every directory.
    ExpandAll(bool),
    /// Open or close the keyboard help.
    ToggleHelp(bool),
    /// Open or close the paste box.
    TogglePaste(bool),
    /// The URL hash changed (back button, pasted link): take its view.
    RestoreView(View),
    /// Several files are about to load together (one drop or pick): the newest of them
    /// by timestamp is shown.
    BatchStarted,
    /// A markdown plan was read: show what was understood before using it.
    ImportReady(Rc<PlanImport>),
    /// Use the markdown plan under review.
    ImportAccept,
    /// Drop the markdown plan under review.
    ImportCancel,
    /// Remove every load that failed.
    ClearFailed,
    /// A change to the compare panel.
    Compare(CompareAction),
    /// A change to the plan panel's view (never to the plan).
    Plan(UiAction),
    /// An edit of the plan, as typed: applied when valid, else refused at its field.
    EditPlan(Edit),
    /// The plan was downloaded: it is saved, nothing is lost on leaving.
    PlanSaved,
    /// The kept plan was updated to follow the edits (or could not be, and why).
    PlanKept {
        /// The version kept.
        plan: Rc<LoadedPlan>,
        /// What the storage said.
        result: Result<KeptInfo, String>,
    },
    /// Dismiss the notice at this index.
    DismissNotice(usize),
    /// Go back to the target before a plan set it.
    RestoreTarget(Target),
    /// The user's number format (read once at start).
    SetLocale(Locale),
    /// Source folders and the file view.
    Source(SourceAction),
}

impl AppState {
    /// The id the next load will get (dispatch [`Action::LoadStarted`] with it).
    pub fn next_load_id(&self) -> u32 {
        self.next_id
    }

    /// The report the views show.
    pub fn current_report(&self) -> Option<&Rc<Loaded>> {
        let id = self.current?;
        self.reports.iter().find(|r| r.id == id)
    }

    /// Applies one action. Loading a bad file never changes what was loaded before.
    pub fn apply(&mut self, action: Action) {
        self.apply_action(action);
        self.sync_sources();
    }

    fn apply_action(&mut self, action: Action) {
        match action {
            Action::Source(a) => self.apply_source(a),
            Action::LoadStarted { id, name, bytes } => {
                self.next_id = self.next_id.max(id + 1);
                if let Some(b) = &mut self.batch {
                    b.push(id);
                }
                self.loads.push(LoadEntry {
                    id,
                    name,
                    bytes,
                    status: LoadStatus::Reading,
                });
            }
            Action::LoadProgress {
                id,
                read,
                total,
                phase,
            } => {
                let fraction = WorkerEvent::Progress { read, total, phase }
                    .fraction()
                    .unwrap_or(0.0);
                // A late progress message never turns a finished card back.
                if let Some(l) = self.loads.iter_mut().find(|l| l.id == id) {
                    if matches!(l.status, LoadStatus::Reading | LoadStatus::Loading { .. }) {
                        l.status = LoadStatus::Loading { fraction, phase };
                    }
                }
            }
            Action::LoadCancelled(id) => {
                if let Some(l) = self.loads.iter().find(|l| l.id == id) {
                    self.announcement = format!("Cancelled loading {}.", l.name);
                }
                if let Some(b) = &mut self.batch {
                    b.retain(|&x| x != id);
                }
                self.drop_load(id);
            }
            Action::LoadDone(loaded) => {
                let id = loaded.id;
                let t = loaded.totals;
                let r = &loaded.report;
                self.announcement = format!(
                    "Loaded {} ({}): {} files, {}% {} covered.",
                    loaded.name,
                    r.rules().name,
                    t.files,
                    r.rules().show(&t, r.headline(), 0),
                    r.headline().key()
                );
                self.set_status(id, LoadStatus::Done);
                // The newest report becomes current, unless the URL named another one
                // that has not arrived yet.
                let wanted = self.pending.as_deref() == Some(loaded.name.as_str());
                let waiting = self.pending.is_some() && !wanted && self.current.is_some();
                if wanted {
                    self.pending = None;
                }
                // Files load in parallel and finish in any order: reports stay in the
                // order they were given (ids are given in that order).
                let at = self
                    .reports
                    .iter()
                    .position(|r| r.id > id)
                    .unwrap_or(self.reports.len());
                self.reports.insert(at, loaded);
                if wanted {
                    self.select(id);
                } else if !waiting {
                    // Of the reports given together, the newest by timestamp is shown
                    // (the order compare judges by); without timestamps, the last.
                    let pick = self.newest_of_batch(id);
                    self.select(pick);
                }
            }
            Action::LoadFailed { id, reason } => {
                let name = self
                    .loads
                    .iter()
                    .find(|l| l.id == id)
                    .map(|l| l.name.clone())
                    .unwrap_or_default();
                self.announcement = format!("Could not load {name}: {reason}");
                self.set_status(id, LoadStatus::Failed(reason));
            }
            Action::PlanLoaded(p) => {
                self.set_status(p.id, LoadStatus::Done);
                self.announcement = format!(
                    "Loaded plan {}: {} modules, {} phases, target {}%.",
                    p.name,
                    p.plan.modules.len(),
                    p.plan.phases.len(),
                    p.plan.target
                );
                self.take_plan(p, true);
            }
            Action::PlanEdited(plan) => self.plan_changed(plan),
            Action::EditPlan(edit) => {
                let Some(current) = self.plan.clone() else {
                    return;
                };
                let field = edit::field_id(&current.plan, &edit);
                let typed = edit::typed(&edit);
                match apply_edit(&current.plan, edit) {
                    Ok(next) => {
                        if let Some(f) = &field {
                            self.plan_ui.field_errors.remove(f);
                        }
                        self.plan_ui.error = None;
                        self.plan_changed(next);
                    }
                    Err(why) => {
                        self.announcement = format!("Not applied: {why}");
                        match (field, typed) {
                            (Some(f), Some(t)) => {
                                self.plan_ui.field_errors.insert(
                                    f,
                                    FieldError {
                                        typed: t,
                                        message: why,
                                    },
                                );
                            }
                            _ => self.plan_ui.error = Some(why),
                        }
                    }
                }
            }
            Action::PlanSaved => self.plan_saved = self.plan.clone(),
            Action::PlanKept { plan, result } => match result {
                Ok(info) => {
                    self.storage.kept = Some(info);
                    self.storage.failed = false;
                    self.storage.message =
                        Some("The kept plan follows your edits: it was kept again.".into());
                    self.kept_plan = Some(plan);
                }
                Err(why) => {
                    self.storage.message = Some(format!(
                        "Could not keep the edited plan in this browser: {why}"
                    ));
                    self.storage.failed = true;
                    self.announcement = self.storage.message.clone().unwrap_or_default();
                }
            },
            Action::ImportReady(imp) => {
                self.set_status(imp.id, LoadStatus::Review);
                self.announcement = format!(
                    "Read the markdown plan {}: {} things understood, {} lines not used. Check them, then use the plan.",
                    imp.name,
                    imp.imported.understood.len(),
                    imp.imported.warnings.len()
                );
                if let Some(old) = self.import.replace(imp) {
                    self.drop_load(old.id);
                }
            }
            Action::ImportAccept => {
                if let Some(imp) = self.import.take() {
                    self.set_status(imp.id, LoadStatus::Done);
                    let stem = imp
                        .name
                        .trim_end_matches(".markdown")
                        .trim_end_matches(".md")
                        .to_string();
                    let p = Rc::new(LoadedPlan {
                        id: imp.id,
                        name: format!("{stem}.plan.json"),
                        plan: imp.imported.plan.clone(),
                    });
                    self.announcement = format!(
                        "Using the plan imported from {}: {} modules, {} phases.",
                        imp.name,
                        p.plan.modules.len(),
                        p.plan.phases.len()
                    );
                    // Its JSON is not in any file yet: leaving warns until it is saved.
                    self.take_plan(p, false);
                }
            }
            Action::ImportCancel => {
                if let Some(imp) = self.import.take() {
                    self.drop_load(imp.id);
                }
            }
            Action::ClearFailed => {
                self.loads
                    .retain(|l| !matches!(l.status, LoadStatus::Failed(_)));
            }
            Action::BatchStarted => self.batch = Some(Vec::new()),
            Action::Compare(a) => {
                if let CompareAction::Pick { base, current } = a {
                    self.view.compare.base = report_key(&self.reports, base);
                    self.view.compare.current = report_key(&self.reports, current);
                }
                compare::apply(&mut self.view.compare, &mut self.compare, a);
            }
            Action::Plan(a) => {
                if let UiAction::Show(s) = a {
                    self.view.plan = s;
                }
                self.plan_ui.apply(a);
            }
            Action::DismissNotice(i) => {
                if i < self.notices.len() {
                    self.notices.remove(i);
                }
            }
            Action::RestoreTarget(t) => {
                self.view.target = t;
                self.notices
                    .retain(|n| !matches!(n, Notice::TargetFromPlan { .. }));
            }
            Action::SetLocale(l) => self.locale = l,
            Action::Kept(Ok(info)) => {
                if info.plan.is_some() {
                    self.kept_plan = self.plan.clone();
                }
                self.storage.message = Some(format!(
                    "Kept {} file{}{} in this browser for offline review.",
                    info.files,
                    if info.files == 1 { "" } else { "s" },
                    sources_too(info.sources)
                ));
                self.storage.failed = false;
                self.storage.kept = Some(info);
                self.announcement = self.storage.message.clone().unwrap_or_default();
            }
            Action::Kept(Err(why)) | Action::Forgotten(Err(why)) => {
                // Nothing in the open session is touched: only the message changes.
                self.storage.message = Some(format!("Could not use this browser's storage: {why}"));
                self.storage.failed = true;
                self.announcement = self.storage.message.clone().unwrap_or_default();
            }
            Action::KeptFound(info) => {
                self.restoring_plan = info.plan.clone();
                self.storage.message = Some(format!(
                    "Restored {} kept file{}{} from this browser.",
                    info.files,
                    if info.files == 1 { "" } else { "s" },
                    sources_too(info.sources)
                ));
                self.storage.failed = false;
                self.storage.kept = Some(info);
            }
            Action::Forgotten(Ok(())) => {
                self.storage.kept = None;
                self.kept_plan = None;
                self.storage.failed = false;
                self.storage.message =
                    Some("Forgot the kept files: nothing of covgap's is stored in this browser now (except preferences).".into());
                self.announcement = self.storage.message.clone().unwrap_or_default();
            }
            Action::PlanUndo => {
                if let Some(prev) = self.plan_undo.pop() {
                    let moved = self.plan.as_ref().is_none_or(|p| {
                        (p.plan.target, p.plan.precision) != (prev.plan.target, prev.plan.precision)
                    });
                    if moved {
                        self.adopt_plan_target(&prev.plan, "from the plan brought back by Undo");
                    }
                    self.plan = Some(prev);
                    self.plan_ui.field_errors.clear();
                    self.notices
                        .retain(|n| !matches!(n, Notice::PlanReplaced { .. }));
                }
            }
            Action::Remove(id) => {
                if self.plan.as_ref().is_some_and(|p| p.id == id && id != 0) {
                    self.plan = None;
                    self.plan_undo.clear();
                }
                self.loads.retain(|l| l.id != id);
                self.reports.retain(|r| r.id != id);
                if self.current == Some(id) {
                    self.current = None;
                    if let Some(last) = self.reports.last().map(|r| r.id) {
                        self.select(last);
                    } else {
                        self.view.report = None;
                    }
                }
            }
            Action::Select(id) => {
                if self.reports.iter().any(|r| r.id == id) {
                    self.select(id);
                }
            }
            Action::SortBy(key) => {
                if self.view.sort == key {
                    self.view.desc = !self.view.desc;
                } else {
                    self.view.sort = key;
                    // Numbers read best largest-first except coverage, where the worst
                    // files are the interesting ones.
                    self.view.desc = !matches!(key, Sort::By(SortKey::Name | SortKey::Cover));
                }
            }
            Action::Filter(f) => self.view.filter = f,
            Action::ToggleHideCovered => self.view.hide_covered = !self.view.hide_covered,
            Action::ToggleHideEmpty => self.view.hide_empty = !self.view.hide_empty,
            Action::SetTarget(t) => {
                if t.is_finite() {
                    self.view.target.percent = t.clamp(0.0, 100.0);
                    self.notices
                        .retain(|n| !matches!(n, Notice::TargetFromPlan { .. }));
                }
            }
            Action::SetPrecision(p) => {
                self.view.target.precision = p.min(MAX_PRECISION);
                self.notices
                    .retain(|n| !matches!(n, Notice::TargetFromPlan { .. }));
            }
            Action::SetMetric(m) => self.view.metric = m,
            Action::SetTab(t) => self.view.tab = t,
            Action::FlipTab => {
                let i = Tab::ALL
                    .iter()
                    .position(|t| *t == self.view.tab)
                    .unwrap_or(0);
                self.view.tab = Tab::ALL[(i + 1) % Tab::ALL.len()];
            }
            Action::CloseOverlays => {
                self.help_open = false;
                self.paste_open = false;
            }
            Action::ToggleDir(path) => {
                if !self.expanded.remove(&path) {
                    self.expanded.insert(path);
                }
            }
            Action::ExpandAll(open) => {
                self.expanded.clear();
                if open {
                    if let Some(r) = self.current_report() {
                        let dirs: Vec<String> = r
                            .tree
                            .directories()
                            .iter()
                            .map(|d| d.path.clone())
                            .collect();
                        self.expanded.extend(dirs);
                    }
                }
            }
            Action::ToggleHelp(open) => self.help_open = open,
            Action::TogglePaste(open) => self.paste_open = open,
            Action::RestoreView(v) => {
                let wanted = v.report.clone();
                self.view = v;
                self.pending = None;
                if let Some(name) = wanted {
                    match self.reports.iter().find(|r| r.name == name).map(|r| r.id) {
                        Some(id) => self.current = Some(id),
                        None => self.pending = Some(name),
                    }
                }
            }
        }
    }

    /// Whether the plan was changed in the page and is neither in a file nor kept in
    /// this browser: leaving the page, or dropping another plan, would lose it.
    pub fn plan_dirty(&self) -> bool {
        match &self.plan {
            Some(p) => !same(&self.plan_saved, p) && !same(&self.kept_plan, p),
            None => false,
        }
    }

    /// Whether a kept session exists and its plan is not the plan now: the kept plan
    /// follows the edits.
    pub fn needs_rekeep(&self) -> bool {
        match &self.plan {
            Some(p) => self.storage.kept.is_some() && !same(&self.kept_plan, p),
            None => false,
        }
    }

    /// The floor the compare panel judges by, and where it comes from.
    pub fn compare_floor(&self) -> (f64, compare::FloorSource) {
        self.view
            .compare
            .floor_in_use(self.plan.as_ref().and_then(|p| p.plan.floor))
    }

    /// A plan from a file (`saved`) or an import replaces the current one.
    fn take_plan(&mut self, p: Rc<LoadedPlan>, saved: bool) {
        let replaced_edited = self.plan_dirty();
        self.adopt_plan_target(&p.plan, "from the plan");
        if self.restoring_plan.as_deref() == Some(p.name.as_str()) {
            self.kept_plan = Some(p.clone());
            self.restoring_plan = None;
        }
        if saved {
            self.plan_saved = Some(p.clone());
        }
        self.plan_ui.field_errors.clear();
        self.plan_ui.error = None;
        self.notices
            .retain(|n| !matches!(n, Notice::PlanReplaced { .. }));
        if replaced_edited {
            self.notices.push(Notice::PlanReplaced {
                name: p.name.clone(),
            });
        }
        if let Some(old) = self.plan.replace(p) {
            self.push_undo(old);
        }
    }

    /// The plan was edited in the page (or made from the report).
    fn plan_changed(&mut self, plan: Plan) {
        // A new plan (or a new plan target) sets the target everywhere.
        let target_changed = self
            .plan
            .as_ref()
            .is_none_or(|p| (p.plan.target, p.plan.precision) != (plan.target, plan.precision));
        if target_changed {
            self.adopt_plan_target(&plan, "from the plan");
        }
        let (id, name) = match &self.plan {
            Some(p) => (p.id, p.name.clone()),
            None => (0, "coverage-plan.json".to_string()),
        };
        let next = Rc::new(LoadedPlan { id, name, plan });
        if let Some(old) = self.plan.replace(next) {
            self.push_undo(old);
        }
    }

    /// The report to show when `id` arrives: the newest by timestamp of the reports
    /// given together with it, else `id` itself.
    fn newest_of_batch(&self, id: u32) -> u32 {
        let Some(batch) = self.batch.as_ref().filter(|b| b.contains(&id)) else {
            return id;
        };
        let group: Vec<&Rc<Loaded>> = self
            .reports
            .iter()
            .filter(|r| batch.contains(&r.id))
            .collect();
        let refs: Vec<&Report> = group.iter().map(|r| &r.report).collect();
        match chronological_order(&refs) {
            (order, OrderBasis::Timestamps) => order
                .last()
                .and_then(|&i| group.get(i))
                .map_or(id, |r| r.id),
            // Without timestamps, the last given of those loaded so far, whatever order
            // the parallel loads finish in.
            _ => group.iter().map(|r| r.id).max().unwrap_or(id),
        }
    }

    /// Forgets a load entry (not a report or a plan).
    fn drop_load(&mut self, id: u32) {
        self.loads.retain(|l| l.id != id);
    }

    fn push_undo(&mut self, old: Rc<LoadedPlan>) {
        self.plan_undo.push(old);
        if self.plan_undo.len() > UNDO_DEPTH {
            self.plan_undo.remove(0);
        }
    }

    /// "Default from the plan when there is one": the plan's target and precision. A
    /// change of the Target field is said on screen, never silent.
    fn adopt_plan_target(&mut self, plan: &Plan, why: &str) {
        let target = Target {
            percent: plan.target,
            precision: plan.precision,
        };
        let before = self.view.target;
        if target == before {
            return;
        }
        self.view.target = target;
        // The first "before" is what the user had: keep it across several plan changes.
        let first = self.notices.iter().find_map(|n| match n {
            Notice::TargetFromPlan { before, .. } => Some(*before),
            _ => None,
        });
        self.notices
            .retain(|n| !matches!(n, Notice::TargetFromPlan { .. }));
        let before = first.unwrap_or(before);
        if before != target {
            self.notices.push(Notice::TargetFromPlan {
                target,
                before,
                why: why.to_string(),
            });
        }
    }

    fn set_status(&mut self, id: u32, status: LoadStatus) {
        if let Some(l) = self.loads.iter_mut().find(|l| l.id == id) {
            l.status = status;
        }
    }

    fn select(&mut self, id: u32) {
        self.pending = None;
        if self.current != Some(id) {
            self.expanded.clear();
        }
        self.current = Some(id);
        self.view.report = self
            .reports
            .iter()
            .find(|r| r.id == id)
            .map(|r| r.name.clone());
        // Open a small first level of the tree so it is never a single closed row; a
        // wide one (thousands of directories) stays closed.
        if let Some(r) = self.current_report() {
            let top: Vec<String> = r
                .tree
                .children
                .iter()
                .filter(|c| c.file.is_none())
                .map(|c| c.path.clone())
                .collect();
            if top.len() <= AUTO_EXPAND_MAX {
                self.expanded.extend(top);
            }
        }
    }
}

/// ", with 16 source files" when sources were kept too.
pub fn sources_too(n: u32) -> String {
    match n {
        0 => String::new(),
        1 => ", with 1 source file".into(),
        n => format!(", with {n} source files"),
    }
}

/// Reports up to this size are read with coverage.py's function and class regions; a larger
/// one is read without them (they are most of its bytes, time and memory) and read again
/// with them only when one of its files is opened in the file view
/// (`SourceAction::Regions`).
pub const REGIONS_MAX_BYTES: usize = 4 << 20;

/// Whether a report of `bytes` is read with its regions at once ([`REGIONS_MAX_BYTES`]).
pub fn regions_at_once(bytes: usize) -> bool {
    bytes <= REGIONS_MAX_BYTES
}

/// Whether a file name says markdown (a hand-written plan to import).
pub fn is_markdown(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".md") || n.ends_with(".markdown")
}

/// What a file's bytes become: a report, a plan, a markdown plan to review first, or the
/// reason it is none of them. Pure: what the page did before the parsing worker, and what
/// the tests load files with.
#[cfg(feature = "readers")]
pub fn load_action(id: u32, name: String, bytes: &[u8]) -> Action {
    use covgap_core::document::{read, Document};
    if is_markdown(&name) {
        return markdown_action(id, name, bytes);
    }
    // coverage.py's function and class regions are for the file view; a big report is read
    // without them (they are most of its bytes), and its file view lists no functions.
    let opts = covgap_core::ParseOptions {
        regions: regions_at_once(bytes.len()),
    };
    match read(&name, bytes, opts) {
        Ok(Document::Report(report)) => {
            Action::LoadDone(Rc::new(Loaded::new(id, name, bytes.len(), *report)))
        }
        Ok(Document::Plan(plan)) => Action::PlanLoaded(Rc::new(LoadedPlan { id, name, plan })),
        Err(reason) => Action::LoadFailed { id, reason },
    }
}

/// What the parsing worker's event for load `id` (named `name`) does to the state. The
/// page reads markdown plans itself ([`markdown_action`]).
pub fn worker_action(id: u32, name: &str, event: WorkerEvent) -> Action {
    match event {
        WorkerEvent::Progress { read, total, phase } => Action::LoadProgress {
            id,
            read,
            total,
            phase,
        },
        WorkerEvent::Done(Parsed::Report(report), t) => Action::LoadDone(Rc::new(Loaded::new(
            id,
            name.to_string(),
            t.bytes as usize,
            *report,
        ))),
        WorkerEvent::Done(Parsed::Plan(plan), _) => Action::PlanLoaded(Rc::new(LoadedPlan {
            id,
            name: name.to_string(),
            plan,
        })),
        WorkerEvent::Failed(reason) => Action::LoadFailed { id, reason },
        WorkerEvent::Cancelled => Action::LoadCancelled(id),
    }
}

/// What a markdown file's bytes become: a plan to review first, or why not. The page reads
/// these itself (a hand-written plan is small; the worker reads reports).
pub fn markdown_action(id: u32, name: String, bytes: &[u8]) -> Action {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.strip_prefix('\u{FEFF}').unwrap_or(t).to_string(),
        Err(_) => {
            return Action::LoadFailed {
                id,
                reason: "this markdown file is not UTF-8 text: save it as UTF-8".into(),
            }
        }
    };
    match covgap_core::plan::import_markdown(&text) {
        Ok(imported) => Action::ImportReady(Rc::new(PlanImport { id, name, imported })),
        Err(e) => {
            let lines: Vec<String> = e
                .warnings()
                .iter()
                .take(3)
                .map(|w| format!("line {}: {}", w.line, w.reason))
                .collect();
            let more = if lines.is_empty() {
                String::new()
            } else {
                format!(" ({})", lines.join("; "))
            };
            Action::LoadFailed {
                id,
                reason: format!("read as a markdown plan: {e}{more}"),
            }
        }
    }
}

fn same(a: &Option<Rc<LoadedPlan>>, b: &Rc<LoadedPlan>) -> bool {
    a.as_ref().is_some_and(|a| Rc::ptr_eq(a, b))
}

/// How a report is named in the URL: its file name, or, when another loaded report has
/// the same name, the name and what tells it apart (`coverage.json@2026-11-21T05:42:06`).
pub fn report_key(reports: &[Rc<Loaded>], id: u32) -> Option<String> {
    let r = reports.iter().find(|r| r.id == id)?;
    let shared = reports.iter().filter(|x| x.name == r.name).count() > 1;
    if !shared {
        return Some(r.name.clone());
    }
    Some(format!("{}@{}", r.name, distinction(reports, r)))
}

/// What tells `r` apart from same-named reports: its timestamp, else its place in the
/// load order (`#2`).
pub fn distinction(reports: &[Rc<Loaded>], r: &Loaded) -> String {
    let stamp = r
        .report
        .source
        .timestamp
        .as_deref()
        .filter(|t| parse_timestamp(t).is_some());
    let unique_stamp = stamp.filter(|t| {
        reports
            .iter()
            .filter(|x| x.name == r.name && x.report.source.timestamp.as_deref() == Some(*t))
            .count()
            == 1
    });
    match unique_stamp {
        Some(t) => t.to_string(),
        None => format!(
            "#{}",
            reports
                .iter()
                .position(|x| x.id == r.id)
                .map_or(0, |k| k + 1)
        ),
    }
}

/// The report a URL key names (see [`report_key`]): the one whose key it is, else the
/// first with that file name.
pub fn find_report<'a>(reports: &'a [Rc<Loaded>], key: &str) -> Option<&'a Rc<Loaded>> {
    reports
        .iter()
        .find(|r| report_key(reports, r.id).as_deref() == Some(key))
        .or_else(|| reports.iter().find(|r| r.name == key))
}

/// Yew's reducer interface over [`AppState::apply`].
impl yew::Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        // Reports are behind Rc, so this clone copies only small bookkeeping.
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

// ---- the view in the URL hash -------------------------------------------------------

fn sort_name(k: SortKey) -> &'static str {
    match k {
        SortKey::Name => "name",
        SortKey::Statements => "stmts",
        SortKey::Missing => "miss",
        SortKey::Excluded => "excl",
        SortKey::Branches => "branch",
        SortKey::Partial => "partial",
        SortKey::Cover => "cover",
    }
}

fn sort_from(s: &str) -> Option<SortKey> {
    Some(match s {
        "name" => SortKey::Name,
        "stmts" => SortKey::Statements,
        "miss" => SortKey::Missing,
        "excl" => SortKey::Excluded,
        "branch" => SortKey::Branches,
        "partial" => SortKey::Partial,
        "cover" => SortKey::Cover,
        _ => return None,
    })
}

impl View {
    /// The view as a URL hash like `#/files?sort=cover&target=80`: only what differs
    /// from the defaults, so links stay short.
    pub fn to_hash(&self) -> String {
        let d = View::default();
        let mut q: Vec<(String, String)> = Vec::new();
        if let Some(f) = &self.file {
            q.push(("path".into(), f.clone()));
        }
        if let Some(r) = &self.report {
            q.push(("report".into(), r.clone()));
        }
        if self.sort != d.sort || self.desc {
            q.push(("sort".into(), self.sort.slug().into()));
            if self.desc {
                q.push(("desc".into(), "1".into()));
            }
        }
        if !self.filter.is_empty() {
            q.push(("q".into(), self.filter.clone()));
        }
        if self.hide_covered {
            q.push(("hide_covered".into(), "1".into()));
        }
        if self.hide_empty {
            q.push(("hide_empty".into(), "1".into()));
        }
        if self.target.percent != d.target.percent {
            q.push(("target".into(), self.target.percent.to_string()));
        }
        if self.target.precision != d.target.precision {
            q.push(("precision".into(), self.target.precision.to_string()));
        }
        if let Some(m) = self.metric {
            q.push(("metric".into(), m.key().into()));
        }
        let c = &self.compare;
        let dc = &d.compare;
        if let Some(b) = &c.base {
            q.push(("cmp_base".into(), b.clone()));
        }
        if let Some(k) = &c.current {
            q.push(("cmp_current".into(), k.clone()));
        }
        if c.filter != dc.filter {
            q.push(("cmp_show".into(), compare::filter_slug(c.filter).into()));
        }
        if !c.query.is_empty() {
            q.push(("cmp_q".into(), c.query.clone()));
        }
        if let Some(f) = c.floor {
            q.push(("cmp_floor".into(), f.to_string()));
        }
        if c.sort != dc.sort || c.desc != dc.desc {
            q.push(("cmp_sort".into(), compare::sort_slug(c.sort).into()));
            if c.desc {
                q.push(("cmp_desc".into(), "1".into()));
            }
        }
        if self.plan != d.plan {
            q.push(("plan".into(), self.plan.slug().into()));
        }
        // The file view keeps the list's view in its query, so a link to it reopens the
        // list as it was, and names the tab it came from.
        let tab = match &self.file {
            Some(_) => {
                if let Some(l) = self.line {
                    let at = 1 + usize::from(self.report.is_some());
                    q.insert(at, ("line".into(), l.to_string()));
                }
                if self.tab != d.tab {
                    q.push(("tab".into(), self.tab.slug().into()));
                }
                "file"
            }
            None => self.tab.slug(),
        };
        let query: Vec<String> = q
            .iter()
            .map(|(k, v)| format!("{k}={}", encode(v)))
            .collect();
        if query.is_empty() {
            format!("#/{tab}")
        } else {
            format!("#/{tab}?{}", query.join("&"))
        }
    }

    /// Reads a hash written by [`View::to_hash`] over `base` (usually the preferences);
    /// anything unknown or invalid is ignored rather than failing.
    pub fn from_hash(hash: &str, base: &View) -> View {
        let mut v = base.clone();
        let h = hash.trim_start_matches('#').trim_start_matches('/');
        let (path, query) = h.split_once('?').unwrap_or((h, ""));
        v.tab = Tab::ALL
            .into_iter()
            .find(|t| t.slug() == path)
            .unwrap_or(Tab::Files);
        v.file = None;
        v.line = None;
        let file_route = path == "file";
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (k, val) = pair.split_once('=').unwrap_or((pair, ""));
            let val = decode(val);
            match k {
                "report" => v.report = Some(val),
                "sort" => v.sort = Sort::from_slug(&val).unwrap_or(v.sort),
                "desc" => v.desc = val == "1",
                "q" => v.filter = val,
                "hide_covered" => v.hide_covered = val == "1",
                "hide_empty" => v.hide_empty = val == "1",
                "target" => {
                    if let Ok(t) = val.parse::<f64>() {
                        if (0.0..=100.0).contains(&t) {
                            v.target.percent = t;
                        }
                    }
                }
                "precision" => {
                    if let Ok(p) = val.parse::<u8>() {
                        v.target.precision = p.min(MAX_PRECISION);
                    }
                }
                "metric" => v.metric = Metric::from_key(&val),
                "cmp_base" => v.compare.base = Some(val),
                "cmp_current" => v.compare.current = Some(val),
                "cmp_show" => {
                    v.compare.filter = compare::filter_from(&val).unwrap_or(v.compare.filter)
                }
                "cmp_q" => v.compare.query = val,
                "cmp_floor" => {
                    if let Ok(f) = val.parse::<f64>() {
                        if (0.0..=100.0).contains(&f) {
                            v.compare.floor = Some(f);
                        }
                    }
                }
                "cmp_sort" => v.compare.sort = compare::sort_from(&val).unwrap_or(v.compare.sort),
                "cmp_desc" => v.compare.desc = val == "1",
                "plan" => v.plan = Section::from_slug(&val).unwrap_or(v.plan),
                "path" if file_route && !val.is_empty() => v.file = Some(val),
                "line" if file_route => v.line = val.parse().ok().filter(|&n| n > 0),
                "tab" if file_route => {
                    v.tab = Tab::ALL
                        .into_iter()
                        .find(|t| t.slug() == val)
                        .unwrap_or(v.tab)
                }
                _ => {}
            }
        }
        if v.file.is_none() {
            v.line = None;
        }
        v
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
/// The links from a list's rows to their files' views ([`View::to_hash`] with the file
/// set): the hash is worked out once per list, and each row's link is that hash with its
/// path in place.
#[derive(Clone, Debug, PartialEq)]
pub struct FileHref {
    before: String,
    after: String,
}

impl FileHref {
    /// The links for the rows of a list seen through `view`.
    pub fn new(view: &View) -> FileHref {
        // The path is the first parameter and every value is encoded, so the marker's
        // encoding ("%00") appears once, where the path goes.
        let hash = View {
            file: Some("\0".into()),
            line: None,
            ..view.clone()
        }
        .to_hash();
        let (before, after) = hash.split_once("%00").unwrap_or((&hash, ""));
        FileHref {
            before: before.into(),
            after: after.into(),
        }
    }

    /// The link to `path`'s view: equal to [`View::to_hash`] of the view with the file set.
    pub fn to(&self, path: &str) -> String {
        format!("{}{}{}", self.before, encode(path), self.after)
    }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~*/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match (b[i], b.get(i + 1).copied(), b.get(i + 2).copied()) {
            (b'%', Some(h), Some(l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                i += 1;
            }
            (c, _, _) => {
                out.push(c);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}
