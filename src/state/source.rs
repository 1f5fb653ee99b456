//! The file view's part of the state: the source folders given, how the current report's
//! files matched them, the file open in its own view, and the one source read it asks
//! the browser for. Kept in step with the view by `AppState::sync_sources`, which the
//! reducer runs after every action.

use super::{AppState, Loaded};
use crate::sources::{
    line_for_key, FileKey, Handle, OpenFile, ReportSources, SourceFolder, SourceState, Sources,
};
use covgap_core::Report;
use std::rc::Rc;

/// The file shown in its own view.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenView {
    /// Id of the report it belongs to.
    pub report: u32,
    /// The folders' generation it was opened with (a folder added since reopens it).
    pub generation: u32,
    /// The file, its source's state and its lines.
    pub file: OpenFile,
}

/// A source the browser is asked to read: the open file's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadRequest {
    /// Which read this is (answers to an older one are ignored).
    pub seq: u32,
    /// The report's id.
    pub report: u32,
    /// The file's index in the report.
    pub file: usize,
    /// Where its source is.
    pub handle: Handle,
}

/// Sources and the file view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SourceUi {
    /// Every folder given.
    pub sources: Sources,
    /// Bumped whenever folders change.
    pub generation: u32,
    /// The current report's matches: (report id, generation, matches).
    pub matched: Option<(u32, u32, Rc<ReportSources>)>,
    /// The last thing to say about folders (an error, or what a folder matched).
    pub message: Option<(String, bool)>,
    /// The file view, when a file is open and its report loaded.
    pub open: Option<OpenView>,
    /// The read the browser should do now.
    pub read: Option<ReadRequest>,
    seq: u32,
    /// A report loaded without coverage.py's function and class regions
    /// ([`super::REGIONS_MAX_BYTES`]), read again with them once one of its files is opened:
    /// the report's id and the result.
    pub regions: Option<(u32, Result<RegionsReport, String>)>,
    /// The report (id and file name) the browser should read again with its regions now.
    pub regions_wanted: Option<(u32, String)>,
}

/// A report read with its regions (compared by identity: it never changes).
#[derive(Clone, Debug)]
pub struct RegionsReport(pub Rc<Report>);

impl PartialEq for RegionsReport {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Whether `l` was loaded without the regions its file view lists (a coverage.py JSON
/// report larger than [`super::REGIONS_MAX_BYTES`]).
pub fn lacks_regions(l: &Loaded) -> bool {
    l.report.source.format == covgap_core::formats::coveragepy::FORMAT
        && !super::regions_at_once(l.bytes)
}

/// A change to the sources or the file view.
#[derive(Debug)]
pub enum SourceAction {
    /// A folder was picked or dropped (listed, nothing read).
    FolderAdded(SourceFolder),
    /// A folder could not be listed, and why.
    FolderFailed(String),
    /// Forget a folder.
    RemoveFolder(u32),
    /// Open a report file in its own view.
    Open(String),
    /// Back to the list.
    Close,
    /// Select a line of the open file.
    SelectLine(u32),
    /// `j` or `k` pressed in the file view.
    Key(FileKey),
    /// A report was read again with its regions (or could not be).
    Regions {
        /// The report's id.
        report: u32,
        /// The report with its regions, or why not.
        result: Result<Rc<Report>, String>,
    },
    /// The browser read a source (or could not).
    Read {
        /// Which read ([`ReadRequest::seq`]).
        seq: u32,
        /// The text and whether bad bytes were replaced, or why it failed.
        result: Result<(String, bool), String>,
    },
}

impl AppState {
    pub(super) fn apply_source(&mut self, a: SourceAction) {
        match a {
            SourceAction::FolderAdded(folder) => {
                let name = folder.name.clone();
                let files = folder.paths.len();
                self.source.sources.add(folder);
                self.source.generation += 1;
                self.source.matched = None;
                self.sync_sources();
                let said = match (&self.source.matched, self.current_report()) {
                    (Some((_, _, m)), Some(r)) => format!(
                        "Source folder {name} ({files} files) added to {}: {}",
                        r.name,
                        m.summary()
                    ),
                    _ => format!("Source folder {name} ({files} files) added."),
                };
                self.announcement = said.clone();
                self.source.message = Some((said, false));
            }
            SourceAction::FolderFailed(why) => {
                let said = format!("The folder could not be used: {why}");
                self.announcement = said.clone();
                self.source.message = Some((said, true));
            }
            SourceAction::RemoveFolder(id) => {
                self.source.sources.remove(id);
                self.source.generation += 1;
                self.source.matched = None;
                self.source.message = None;
            }
            SourceAction::Open(path) => {
                if self.view.file.as_deref() != Some(path.as_str()) {
                    self.view.line = None;
                }
                self.view.file = Some(path);
            }
            SourceAction::Close => {
                self.view.file = None;
                self.view.line = None;
            }
            SourceAction::SelectLine(n) => {
                if self.view.file.is_some() {
                    self.view.line = Some(n);
                }
            }
            SourceAction::Key(k) => {
                if let Some(o) = &self.source.open {
                    if let Some(n) = line_for_key(&o.file.annotated, self.view.line, k) {
                        self.view.line = Some(n);
                    }
                }
            }
            SourceAction::Regions { report, result } => {
                if self.source.regions_wanted.as_ref().map(|w| w.0) == Some(report) {
                    self.source.regions_wanted = None;
                }
                let same = |r: &Report| {
                    self.reports
                        .iter()
                        .find(|l| l.id == report)
                        .is_some_and(|l| l.report.files.len() == r.files.len())
                };
                let result = match result {
                    Ok(r) if same(&r) => Ok(RegionsReport(r)),
                    Ok(_) => Err("the report read differently the second time".into()),
                    Err(e) => Err(e),
                };
                if let Err(why) = &result {
                    self.source.message = Some((
                        format!(
                            "The functions and classes of this report could not be read: {why}"
                        ),
                        true,
                    ));
                }
                self.source.regions = Some((report, result));
                // Reopen the file with its functions and classes (its source is read again).
                if self
                    .source
                    .open
                    .as_ref()
                    .is_some_and(|o| o.report == report)
                {
                    self.source.open = None;
                }
            }
            SourceAction::Read { seq, result } => {
                let Some(req) = self.source.read.clone().filter(|r| r.seq == seq) else {
                    return;
                };
                self.source.read = None;
                let Some(loaded) = self.reports.iter().find(|r| r.id == req.report).cloned() else {
                    return;
                };
                let regions = self.regions_of(&loaded);
                let Some(open) = self
                    .source
                    .open
                    .as_mut()
                    .filter(|o| o.report == req.report && o.file.file == req.file)
                else {
                    return;
                };
                let SourceState::Reading(path) = open.file.source.clone() else {
                    return;
                };
                let candidates = self
                    .source
                    .matched
                    .as_ref()
                    .and_then(|m| m.2.matches.sources.get(req.file).copied().flatten())
                    .map_or(1, |m| m.candidates);
                let report = regions.as_deref().unwrap_or(&loaded.report);
                let next = match result {
                    Ok((text, lossy)) => OpenFile::with_source(
                        report,
                        req.file,
                        &text,
                        SourceState::Read {
                            path,
                            lossy,
                            candidates,
                        },
                    ),
                    Err(why) => {
                        OpenFile::without_source(report, req.file, SourceState::Failed(why))
                    }
                };
                if let Some(f) = next {
                    open.file = f;
                }
            }
        }
    }

    /// `l` read again with its regions, when that has come: file views read its files
    /// from it instead of `l`'s own.
    fn regions_of(&self, l: &Loaded) -> Option<Rc<Report>> {
        match &self.source.regions {
            Some((id, Ok(r))) if *id == l.id => Some(r.0.clone()),
            _ => None,
        }
    }

    /// Brings the matches and the open file in line with the view, the current report
    /// and the folders: run after every action (each step is a comparison unless
    /// something it depends on changed).
    pub(super) fn sync_sources(&mut self) {
        // A removed report's second reading goes with it.
        let kept = |id: u32| self.reports.iter().any(|r| r.id == id);
        if self.source.regions.as_ref().is_some_and(|g| !kept(g.0)) {
            self.source.regions = None;
        }
        if self
            .source
            .regions_wanted
            .as_ref()
            .is_some_and(|w| !kept(w.0))
        {
            self.source.regions_wanted = None;
        }
        let current = self.current_report().cloned();
        // The current report's matches.
        let gen = self.source.generation;
        match &current {
            Some(r) if !self.source.sources.is_empty() => {
                let fresh = self
                    .source
                    .matched
                    .as_ref()
                    .is_some_and(|m| m.0 == r.id && m.1 == gen);
                if !fresh {
                    let m = self.source.sources.match_report(&r.report);
                    self.source.matched = Some((r.id, gen, Rc::new(m)));
                }
            }
            _ => self.source.matched = None,
        }
        // The open file.
        let wanted = match (&self.view.file, &current) {
            (Some(path), Some(r)) => r
                .report
                .files
                .iter()
                .position(|f| &f.path == path)
                .map(|i| (r.clone(), i)),
            _ => None,
        };
        let Some((r, i)) = wanted else {
            self.source.open = None;
            self.source.read = None;
            return;
        };
        if lacks_regions(&r)
            && self.source.regions.as_ref().map(|g| g.0) != Some(r.id)
            && self.source.regions_wanted.as_ref().map(|w| w.0) != Some(r.id)
        {
            self.source.regions_wanted = Some((r.id, r.name.clone()));
        }
        if self
            .source
            .open
            .as_ref()
            .is_some_and(|o| o.report == r.id && o.file.file == i && o.generation == gen)
        {
            return;
        }
        let matched = self.source.matched.as_ref().map(|m| m.2.clone());
        let handle = matched
            .as_ref()
            .and_then(|m| self.source.sources.handle_of(m, i));
        let state = match (&matched, handle) {
            (None, _) => SourceState::NoFolder,
            (Some(_), None) => SourceState::NotFound,
            (Some(m), Some(_)) => SourceState::Reading(
                self.source
                    .sources
                    .path_of(m, i)
                    .unwrap_or_default()
                    .to_string(),
            ),
        };
        self.source.read = handle.map(|handle| {
            self.source.seq += 1;
            ReadRequest {
                seq: self.source.seq,
                report: r.id,
                file: i,
                handle,
            }
        });
        let regions = self.regions_of(&r);
        let report = regions.as_deref().unwrap_or(&r.report);
        self.source.open = OpenFile::without_source(report, i, state).map(|file| OpenView {
            report: r.id,
            generation: gen,
            file,
        });
    }
}
