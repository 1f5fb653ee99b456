//! Sources beside a report, app side and pure (tested natively): the folders the user gave
//! (paths only; the browser keeps the file handles, see `io::sources`), which report file
//! each folder file is, the file view's keys, and the arithmetic of
//! rendering only the lines on screen.
//!
//! The reducer holds them (`state::source`): the folders as [`Sources`], the current
//! report's [`ReportSources`], and the file view's [`OpenFile`]; the route is part of
//! [`crate::state::View`] (`#/file?path=…`).

use covgap_core::source::{annotate_in, match_report, AnnotatedFile, Matches};
use covgap_core::Report;
use std::rc::Rc;

/// A folder the user picked or dropped: its files' paths, none read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFolder {
    /// Id of the folder (the browser keeps its file handles under it).
    pub id: u32,
    /// Its name (the picked directory's own name).
    pub name: String,
    /// Its files, relative to the folder's parent (`pkg-1.0/src/pkg/a.py`), in the
    /// order the browser listed them; the index is the handle's index.
    pub paths: Vec<String>,
}

/// Where a file of [`Sources::paths`] comes from: (folder id, index in that folder).
pub type Handle = (u32, u32);

/// Every folder given, flattened for matching.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Sources {
    /// The folders: id, name, number of files.
    pub folders: Vec<(u32, String, usize)>,
    /// Every file of every folder.
    pub paths: Vec<String>,
    /// The handle of each of [`Sources::paths`].
    pub handles: Vec<Handle>,
}

impl Sources {
    /// Adds a folder (a folder with the same name replaces the earlier one: picking the
    /// project again after editing it must not double its files).
    pub fn add(&mut self, folder: SourceFolder) {
        if let Some(old) = self
            .folders
            .iter()
            .find(|f| f.1 == folder.name)
            .map(|f| f.0)
        {
            self.remove(old);
        }
        self.folders
            .push((folder.id, folder.name.clone(), folder.paths.len()));
        for (i, p) in folder.paths.into_iter().enumerate() {
            self.paths.push(p);
            self.handles.push((folder.id, i as u32));
        }
    }

    /// Forgets a folder.
    pub fn remove(&mut self, id: u32) {
        self.folders.retain(|f| f.0 != id);
        let keep: Vec<bool> = self.handles.iter().map(|h| h.0 != id).collect();
        let mut k = keep.iter();
        self.paths.retain(|_| *k.next().unwrap_or(&false));
        self.handles.retain(|h| h.0 != id);
    }

    /// Whether any folder was given.
    pub fn is_empty(&self) -> bool {
        self.folders.is_empty()
    }

    /// Matches the report's files to these folders' files.
    pub fn match_report(&self, report: &Report) -> ReportSources {
        let refs: Vec<&str> = self.paths.iter().map(String::as_str).collect();
        ReportSources {
            matches: match_report(report, &refs),
            files: report.files.len(),
        }
    }

    /// The handle of the source of report file `file`, if it has one.
    pub fn handle_of(&self, rs: &ReportSources, file: usize) -> Option<Handle> {
        rs.matches
            .folder_of(file)
            .and_then(|i| self.handles.get(i).copied())
    }

    /// The folder path of the source of report file `file`.
    pub fn path_of(&self, rs: &ReportSources, file: usize) -> Option<&str> {
        rs.matches
            .folder_of(file)
            .and_then(|i| self.paths.get(i))
            .map(String::as_str)
    }
}

/// What the folders give one report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportSources {
    /// Matches, aligned with the report's files.
    pub matches: Matches,
    /// Files in the report.
    pub files: usize,
}

impl ReportSources {
    /// One sentence for the user: "14 of 16 report files found their source; 2 did not."
    pub fn summary(&self) -> String {
        let m = self.matches.matched;
        let n = self.files;
        let mut s = if m == n {
            format!(
                "All {n} report file{} found their source.",
                if n == 1 { "" } else { "s" }
            )
        } else {
            format!(
                "{m} of {n} report file{} found {} source; {} did not.",
                if n == 1 { "" } else { "s" },
                if m == 1 { "its" } else { "their" },
                n - m
            )
        };
        let amb = self.matches.ambiguous.len();
        if amb > 0 {
            s.push_str(&format!(
                " {amb} matched more than one folder file equally well (the shortest path was taken)."
            ));
        }
        s
    }

    /// The report paths that found no source.
    pub fn unmatched<'a>(&self, report: &'a Report) -> Vec<&'a str> {
        self.matches
            .unmatched
            .iter()
            .filter_map(|&i| report.files.get(i))
            .map(|f| f.path.as_str())
            .collect()
    }
}

/// Directories never searched for sources: version control and caches hold no measured
/// code, and `.git` alone can hold more files than the project.
pub fn skip_dir(name: &str) -> bool {
    matches!(
        name,
        ".git"
            | ".hg"
            | ".svn"
            | "__pycache__"
            | ".mypy_cache"
            | ".pytest_cache"
            | ".tox"
            | ".nox"
            | ".ruff_cache"
    )
}

/// Whether a listed path lies in a directory [`skip_dir`] skips.
pub fn skip_path(path: &str) -> bool {
    let mut parts: Vec<&str> = path.split(['/', '\\']).collect();
    parts.pop();
    parts.into_iter().any(skip_dir)
}

/// The largest source file read (a minified bundle or generated file beyond this is not
/// worth freezing the page for).
pub const MAX_SOURCE_BYTES: usize = 16 << 20;

/// A source file's bytes as text: UTF-8, bad bytes shown as U+FFFD, and whether there
/// were any (then the view says the file is not UTF-8).
pub fn decode_source(bytes: &[u8]) -> (String, bool) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), false),
        Err(_) => (String::from_utf8_lossy(bytes).into_owned(), true),
    }
}

/// Where the opened file's text stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SourceState {
    /// No folder was given yet.
    NoFolder,
    /// The folders hold no file for it.
    NotFound,
    /// Being read from `path`.
    Reading(String),
    /// Read from `path`; `lossy` when it was not valid UTF-8.
    Read {
        /// The folder path it was read from.
        path: String,
        /// Whether bad bytes were replaced.
        lossy: bool,
        /// How many folder files fitted as well (1: unique).
        candidates: usize,
    },
    /// Could not be read, and why.
    Failed(String),
}

/// The file the view shows: the report file, its source's state, and its lines.
#[derive(Clone, Debug, PartialEq)]
pub struct OpenFile {
    /// Index of the file in its report.
    pub file: usize,
    /// Where its source stands.
    pub source: SourceState,
    /// Its lines with their coverage (without text until the source is read).
    pub annotated: Rc<AnnotatedFile>,
}

impl OpenFile {
    /// The file without its source (yet).
    pub fn without_source(report: &Report, file: usize, source: SourceState) -> Option<OpenFile> {
        let f = report.files.get(file)?;
        Some(OpenFile {
            file,
            source,
            annotated: Rc::new(annotate_in(report, f, None)),
        })
    }

    /// The file with its source text.
    pub fn with_source(
        report: &Report,
        file: usize,
        text: &str,
        source: SourceState,
    ) -> Option<OpenFile> {
        let f = report.files.get(file)?;
        Some(OpenFile {
            file,
            source,
            annotated: Rc::new(annotate_in(report, f, Some(text))),
        })
    }
}

// ---- keys -----------------------------------------------------------------------------

/// What a key does in the file view (htmlcov's keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKey {
    /// `j`: the next uncovered chunk.
    NextChunk,
    /// `k`: the previous uncovered chunk.
    PrevChunk,
    /// `u`: back to the list.
    Back,
}

/// The file view's meaning of `key` (a `KeyboardEvent.key`), unless a modifier is held.
pub fn file_key(key: &str, modified: bool) -> Option<FileKey> {
    if modified {
        return None;
    }
    match key {
        "j" => Some(FileKey::NextChunk),
        "k" => Some(FileKey::PrevChunk),
        "u" => Some(FileKey::Back),
        _ => None,
    }
}

/// The line `key` moves the selection to, from `selected` (none: the top).
pub fn line_for_key(file: &AnnotatedFile, selected: Option<u32>, key: FileKey) -> Option<u32> {
    let at = selected.unwrap_or(0);
    match key {
        FileKey::NextChunk => file.next_chunk(at),
        FileKey::PrevChunk => {
            // From inside a chunk, k goes to the chunk before it, not to its own start.
            let start = file
                .chunks
                .iter()
                .find(|c| c.0 <= at && at <= c.1)
                .map_or(at, |c| c.0);
            file.prev_chunk(if selected.is_none() { u32::MAX } else { start })
        }
        FileKey::Back => None,
    }
}

// ---- rendering only what is on screen --------------------------------------------------

/// Height of one source line in CSS pixels (static/source.css sets the same).
pub const LINE_PX: u32 = 20;
/// Files up to this many lines render whole; longer ones render a window of lines.
pub const RENDER_ALL_MAX: usize = 4 * BLOCK;
/// The window moves in blocks of this many lines (so scrolling re-renders once per
/// 800 px).
pub const BLOCK: usize = 40;

/// The lines rendered (a range of indices into the file's lines) when the code pane is
/// scrolled to `scroll_px`: the block on screen, one block before and two after, which
/// covers a pane up to 1,600 px tall (the pane is at most 46rem) at any scroll position
/// inside a block.
pub fn window(total: usize, scroll_px: f64) -> std::ops::Range<usize> {
    if total <= RENDER_ALL_MAX {
        return 0..total;
    }
    let row = (scroll_px.max(0.0) / f64::from(LINE_PX)) as usize;
    let block = row / BLOCK;
    let start = block.saturating_sub(1) * BLOCK;
    let end = ((block + 3) * BLOCK).min(total);
    start.min(end)..end
}

/// Where to scroll the pane so line index `i` sits a few lines below the top.
pub fn scroll_px_for(i: usize) -> f64 {
    (i.saturating_sub(3) * LINE_PX as usize) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows() {
        assert_eq!(window(10, 5000.0), 0..10);
        assert_eq!(window(160, 5000.0), 0..160);
        assert_eq!(window(5000, 0.0), 0..120);
        assert_eq!(window(5000, 1000.0), 0..160); // row 50, block 1
        assert_eq!(window(5000, 4000.0), 160..320); // row 200, block 5
        assert_eq!(window(5000, 99_000.0), 4880..5000);
        assert_eq!(window(5000, 1e9), 5000..5000);
        assert_eq!(scroll_px_for(0), 0.0);
        assert_eq!(scroll_px_for(10), 140.0);
    }

    #[test]
    fn skipped_directories() {
        assert!(skip_path("proj/.git/objects/ab/cd"));
        assert!(skip_path("proj\\src\\__pycache__\\a.pyc"));
        assert!(!skip_path("proj/src/git.py"));
        assert!(!skip_path(".git"));
    }

    #[test]
    fn folders_add_and_remove() {
        let mut s = Sources::default();
        s.add(SourceFolder {
            id: 1,
            name: "a".into(),
            paths: vec!["a/x.py".into(), "a/y.py".into()],
        });
        s.add(SourceFolder {
            id: 2,
            name: "b".into(),
            paths: vec!["b/z.py".into()],
        });
        assert_eq!(s.handles, [(1, 0), (1, 1), (2, 0)]);
        // The same folder again replaces it.
        s.add(SourceFolder {
            id: 3,
            name: "a".into(),
            paths: vec!["a/x.py".into()],
        });
        assert_eq!(s.paths, ["b/z.py", "a/x.py"]);
        assert_eq!(s.handles, [(2, 0), (3, 0)]);
        s.remove(2);
        assert_eq!(s.paths, ["a/x.py"]);
        assert_eq!(s.folders.len(), 1);
    }

    #[test]
    fn decoding() {
        assert_eq!(decode_source(b"a\n"), ("a\n".into(), false));
        let (t, lossy) = decode_source(b"a\xffb");
        assert!(lossy);
        assert_eq!(t, "a\u{FFFD}b");
    }

    #[test]
    fn keys() {
        assert_eq!(file_key("j", false), Some(FileKey::NextChunk));
        assert_eq!(file_key("k", false), Some(FileKey::PrevChunk));
        assert_eq!(file_key("u", false), Some(FileKey::Back));
        assert_eq!(file_key("j", true), None);
        assert_eq!(file_key("x", false), None);
    }
}
