//! A report's files beside their source: which file of a folder is which report file
//! ([`match_sources`]), and each line of a file with its coverage ([`annotate`]).
//!
//! Both are pure: the caller lists the folder (paths only, nothing read) and reads the one
//! file the user opens.
//!
//! **Matching** is by the longest common path suffix, compared component by component
//! (`/` and `\` both separate; case is ignored, an exact-case match wins a tie), so a
//! report written with relative paths (`src/pkg/a.py`), absolute ones
//! (`/home/ci/build/pkg/a.py`, `C:\work\pkg\a.py`) or another machine's finds
//! `pkg-1.0/src/pkg/a.py` in the folder the user picked. When several folder files share the
//! longest suffix, the one with the shortest path is taken and the report file is listed
//! as ambiguous.
//!
//! **Annotation** gives every line htmlcov's category (run, mis, par, exc: covered,
//! missing, partial, excluded), the hit count where the format counts hits, what a partial
//! line did not do (coverage.py's own words for a missing arc, or "1 of 2 branches taken"
//! for formats that count branches per line), and the tests that ran it. It also checks the
//! source against the report: a file shorter than the report's line numbers, or measured
//! lines on blank or comment lines, means the source is not the code that was measured,
//! and [`AnnotatedFile::warnings`] says so.

use crate::model::{Counts, FileCoverage, Region, RegionKind, Report};
use crate::rules::Tool;
use serde::Serialize;
use std::collections::{HashMap, HashSet};

// ---- matching --------------------------------------------------------------------------

/// Where one report file's source is in the folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct SourceMatch {
    /// Index of the folder file.
    pub folder: usize,
    /// How many trailing path components agree (1: the file name alone).
    pub depth: usize,
    /// How many folder files agree as deeply (1 when the match is unique).
    pub candidates: usize,
}

/// The result of [`match_sources`].
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Matches {
    /// For each report path, in order: its source, if any.
    pub sources: Vec<Option<SourceMatch>>,
    /// How many report files found a source.
    pub matched: usize,
    /// Report paths (indices) with no source in the folder.
    pub unmatched: Vec<usize>,
    /// Report paths (indices) whose longest suffix fits several folder files; the shortest
    /// folder path was taken.
    pub ambiguous: Vec<usize>,
}

impl Matches {
    /// The folder file of report path `i`.
    pub fn folder_of(&self, i: usize) -> Option<usize> {
        self.sources.get(i).copied().flatten().map(|m| m.folder)
    }
}

/// A path's components: split on `/` and `\`, empty and `.` components dropped.
fn components(p: &str) -> Vec<&str> {
    p.split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .collect()
}

/// Above this many candidates, ties are broken by length alone (no case comparison).
const CASE_TIE_LIMIT: usize = 256;

/// Matches each report path to a folder path by the longest common path suffix; see the
/// module docs. Folder paths are indexed by file name first, so only folder files named
/// like some report file are looked at: 10,000 report files against 50,000 folder files
/// take milliseconds.
///
/// A suffix shorter than the report path is accepted only where the rest may differ: an
/// absolute path's machine-specific prefix, or a folder picked below the project root
/// (the folder path used up). A relative report path is relative to the project, so
/// `src/pkg/__init__.py` never matches `src/pkg/sub/__init__.py` by its name alone.
pub fn match_sources(report_paths: &[&str], folder_paths: &[&str]) -> Matches {
    let need: Vec<usize> = report_paths
        .iter()
        .map(|p| {
            if crate::formats::paths::is_absolute(p) {
                1
            } else {
                components(p).iter().filter(|c| **c != "..").count()
            }
        })
        .collect();
    match_with(report_paths, &need, folder_paths)
}

/// A fast hasher for the trie's small integer keys and short path components (the std
/// SipHash dominated matching a 50,000-file folder).
#[derive(Default)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(n)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

type FxMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// `s` lower-cased, borrowed when it already is (most path components).
fn lower(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
        std::borrow::Cow::Owned(s.to_lowercase())
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

fn match_with(report_paths: &[&str], need: &[usize], folder_paths: &[&str]) -> Matches {
    let report: Vec<Vec<&str>> = report_paths.iter().map(|p| components(p)).collect();
    // Every distinct lower-cased component of the report paths gets an id; folder
    // components that no report path has can never be part of a match and end a walk.
    let mut ids: FxMap<std::borrow::Cow<'_, str>, u32> = FxMap::default();
    for comps in &report {
        for c in comps {
            let next = ids.len() as u32;
            ids.entry(lower(c)).or_insert(next);
        }
    }
    let names: HashSet<u32> = report
        .iter()
        .filter_map(|c| c.last())
        .filter_map(|n| ids.get(&lower(n)).copied())
        .collect();
    // A suffix trie of the folder paths (reversed, lower-cased components), holding only
    // files whose name some report file has, and only as deep as report paths go. Every
    // node lists the files below it.
    let mut children: FxMap<(u32, u32), u32> = FxMap::default();
    let mut items: Vec<Vec<u32>> = vec![Vec::new()];
    let folder: Vec<Vec<&str>> = folder_paths.iter().map(|p| components(p)).collect();
    for (i, comps) in folder.iter().enumerate() {
        let Some(name) = comps.last() else { continue };
        if !ids.get(&lower(name)).is_some_and(|id| names.contains(id)) {
            continue;
        }
        let mut node = 0u32;
        for c in comps.iter().rev() {
            let Some(&id) = ids.get(&lower(c)) else { break };
            let next = items.len() as u32;
            let child = *children.entry((node, id)).or_insert(next);
            if child == next {
                items.push(Vec::new());
            }
            node = child;
            if let Some(list) = items.get_mut(node as usize) {
                list.push(i as u32);
            }
        }
    }
    let mut out = Matches {
        sources: Vec::with_capacity(report.len()),
        ..Matches::default()
    };
    for (ri, comps) in report.iter().enumerate() {
        let mut node = 0u32;
        let mut depth = 0;
        for c in comps.iter().rev() {
            let next = ids.get(&lower(c)).and_then(|id| children.get(&(node, *id)));
            match next {
                Some(&child) => {
                    node = child;
                    depth += 1;
                }
                None => break,
            }
        }
        let cands = items.get(node as usize).map(Vec::as_slice).unwrap_or(&[]);
        if depth == 0 || cands.is_empty() {
            out.sources.push(None);
            out.unmatched.push(ri);
            continue;
        }
        let exact = |fi: u32| -> usize {
            if cands.len() > CASE_TIE_LIMIT {
                return 0;
            }
            let f = folder.get(fi as usize).map(Vec::as_slice).unwrap_or(&[]);
            comps
                .iter()
                .rev()
                .zip(f.iter().rev())
                .take(depth)
                .take_while(|(a, b)| a == b)
                .count()
        };
        let key = |fi: u32| {
            let f = folder.get(fi as usize).map_or(0, Vec::len);
            let p = folder_paths.get(fi as usize).copied().unwrap_or("");
            (std::cmp::Reverse(exact(fi)), f, p)
        };
        let Some(&best) = cands.iter().min_by(|&&a, &&b| key(a).cmp(&key(b))) else {
            out.sources.push(None);
            out.unmatched.push(ri);
            continue;
        };
        // Enough of the path agrees, or the folder path is used up (a folder picked below
        // the project root). Longer folder paths are no better, so the best decides.
        let folder_len = |fi: u32| folder.get(fi as usize).map_or(0, Vec::len);
        let accept =
            |fi: u32| depth >= need.get(ri).copied().unwrap_or(1) || depth >= folder_len(fi);
        if !accept(best) {
            out.sources.push(None);
            out.unmatched.push(ri);
            continue;
        }
        let best_exact = exact(best);
        let candidates = cands
            .iter()
            .filter(|&&c| exact(c) == best_exact && accept(c))
            .count();
        if candidates > 1 {
            out.ambiguous.push(ri);
        }
        out.matched += 1;
        out.sources.push(Some(SourceMatch {
            folder: best as usize,
            depth,
            candidates,
        }));
    }
    out
}

/// [`match_sources`] for a whole report, using each file's path as the report wrote it
/// ([`Report::original_path`]: the stripped root put back gives more components to match
/// on), and requiring the part below the report's root to agree in full (the root is the
/// measuring machine's). The result is aligned with `report.files`.
pub fn match_report(report: &Report, folder_paths: &[&str]) -> Matches {
    let paths: Vec<String> = report
        .files
        .iter()
        .map(|f| report.original_path(f))
        .collect();
    let refs: Vec<&str> = paths.iter().map(String::as_str).collect();
    let need: Vec<usize> = report
        .files
        .iter()
        .zip(&refs)
        .map(|(f, p)| {
            let rel = components(&f.path).iter().filter(|c| **c != "..").count();
            match (&report.root, crate::formats::paths::is_absolute(&f.path)) {
                (Some(_), false) => rel,
                _ if crate::formats::paths::is_absolute(p) => 1,
                _ => rel,
            }
        })
        .collect();
    match_with(&refs, &need, folder_paths)
}

// ---- annotation ------------------------------------------------------------------------

/// A line's coverage, as htmlcov classes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineStatus {
    /// Executed (htmlcov `run`).
    Covered,
    /// Measured and never executed (`mis`).
    Missing,
    /// Executed, but some of its branches never taken (`par`).
    Partial,
    /// Excluded from measurement (`exc`).
    Excluded,
    /// Not measured: blank, comment, or not code the tool counts.
    None,
}

impl LineStatus {
    /// The word used in `data-status` and in CSS classes; `None` for an unmeasured line.
    pub fn key(self) -> Option<&'static str> {
        match self {
            LineStatus::Covered => Some("covered"),
            LineStatus::Missing => Some("missing"),
            LineStatus::Partial => Some("partial"),
            LineStatus::Excluded => Some("excluded"),
            LineStatus::None => None,
        }
    }

    /// htmlcov's class for it: `run`, `mis`, `par`, `exc`.
    pub fn htmlcov(self) -> Option<&'static str> {
        match self {
            LineStatus::Covered => Some("run"),
            LineStatus::Missing => Some("mis"),
            LineStatus::Partial => Some("par"),
            LineStatus::Excluded => Some("exc"),
            LineStatus::None => None,
        }
    }

    /// Whether `j`/`k` stop on it: missing or partial.
    pub fn is_gap(self) -> bool {
        matches!(self, LineStatus::Missing | LineStatus::Partial)
    }
}

/// What a line's branches did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct BranchNote {
    /// Short forms, as htmlcov writes them beside the line: `52 ↛ 55`, `60 ↛ exit`,
    /// `52 ↛ anywhere`, or `1/2` for a per-line count.
    pub short: Vec<String>,
    /// Sentences: coverage.py's "line 52 didn't jump to line 55", or "1 of 2 branches
    /// taken".
    pub long: Vec<String>,
    /// Branches taken, where the format counts them per line.
    pub taken: Option<u32>,
    /// Branches in all, where the format counts them per line.
    pub total: Option<u32>,
}

/// One line of a file with its coverage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Its number, from 1.
    pub number: u32,
    /// Its text (line ending removed), when the source was given and has this line.
    pub text: Option<String>,
    /// Its status.
    pub status: LineStatus,
    /// Times it ran, where the format counts hits.
    pub hits: Option<u64>,
    /// Its branches, when some were not taken (or, for formats that count them per line,
    /// whenever it has any).
    pub branches: Option<BranchNote>,
    /// The tests (coverage.py contexts) that ran it; `""` is coverage.py's empty context.
    pub contexts: Vec<String>,
}

/// Why the source may not be the code that was measured.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SourceWarning {
    /// The report measures lines beyond the end of the source.
    Shorter {
        /// Lines in the source.
        source_lines: u32,
        /// The last line the report names.
        last_line: u32,
        /// How many report lines lie beyond the end.
        beyond: usize,
    },
    /// Measured lines fall on blank or comment-only lines.
    OffCode {
        /// Those lines (the first 20).
        lines: Vec<u32>,
        /// How many in all.
        count: usize,
        /// Of how many measured lines.
        measured: usize,
    },
    /// Functions or classes are not on the lines the report puts them.
    Functions {
        /// Some of them: (name, line the report gives).
        misplaced: Vec<(String, u32)>,
        /// How many in all.
        count: usize,
        /// Of how many named ones.
        named: usize,
    },
}

impl SourceWarning {
    /// The warning in words.
    pub fn message(&self) -> String {
        match self {
            SourceWarning::Shorter {
                source_lines,
                last_line,
                beyond,
            } => format!(
                "This file has {source_lines} line{} but the report measures line {last_line} \
                 ({beyond} measured line{} beyond the end).",
                plural(u64::from(*source_lines)),
                plural(*beyond as u64),
            ),
            SourceWarning::OffCode {
                lines,
                count,
                measured,
            } => format!(
                "{count} of {measured} measured line{} fall on blank or comment lines ({}).",
                plural(*measured as u64),
                list(lines.iter().map(u32::to_string), *count)
            ),
            SourceWarning::Functions {
                misplaced,
                count,
                named,
            } => format!(
                "{count} of {named} named function{} or class{} are not on the lines the \
                 report gives ({}).",
                plural(*named as u64),
                if *named == 1 { "" } else { "es" },
                list(
                    misplaced.iter().map(|(n, l)| format!("{n} on line {l}")),
                    *count
                )
            ),
        }
    }
}

/// Some items, with "…" when there are more than shown.
fn list(items: impl Iterator<Item = String>, count: usize) -> String {
    let mut shown: Vec<String> = items.collect();
    if count > shown.len() {
        shown.push("…".into());
    }
    shown.join(", ")
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// A function or class with its own coverage, as listed beside the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FunctionInfo {
    /// Its name as shown: coverage.py's empty name reads `(no function)` / `(no class)`.
    pub name: String,
    /// The region as the report has it.
    pub region: Region,
}

/// A report file's lines with their coverage, and what is known without its source.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnnotatedFile {
    /// The file's path in the report.
    pub path: String,
    /// The file's counts, as the report has them.
    pub counts: Counts,
    /// Whether a source was given.
    pub has_source: bool,
    /// Lines in the source (0 without one).
    pub source_lines: u32,
    /// With a source: every line of it (and any measured line beyond its end). Without:
    /// every measured line, without text.
    pub lines: Vec<Line>,
    /// Runs of missing lines, first and last (lines the report does not measure do not
    /// break a run, as in `coverage report -m`).
    pub missing_ranges: Vec<(u32, u32)>,
    /// Partial lines, ascending.
    pub partial_lines: Vec<u32>,
    /// Runs of missing or partial lines for `j`/`k`, first and last line. Unmeasured
    /// lines do not break a run; covered and excluded ones do.
    pub chunks: Vec<(u32, u32)>,
    /// Functions (and methods), by first line.
    pub functions: Vec<FunctionInfo>,
    /// Classes, by first line.
    pub classes: Vec<FunctionInfo>,
    /// Whether the format counts hits per line.
    pub has_hits: bool,
    /// Whether any line has contexts.
    pub has_contexts: bool,
    /// Why the source may differ from the measured code (empty when it fits).
    pub warnings: Vec<SourceWarning>,
}

impl AnnotatedFile {
    /// The line numbered `n`.
    pub fn line(&self, n: u32) -> Option<&Line> {
        self.index_of(n).and_then(|i| self.lines.get(i))
    }

    /// Index in [`AnnotatedFile::lines`] of the line numbered `n`.
    pub fn index_of(&self, n: u32) -> Option<usize> {
        if self.has_source {
            let i = (n as usize).checked_sub(1)?;
            // Lines are 1..=N in order; a measured line beyond the end follows them.
            if self.lines.get(i).is_some_and(|l| l.number == n) {
                return Some(i);
            }
        }
        self.lines.binary_search_by_key(&n, |l| l.number).ok()
    }

    /// The first line of the next uncovered chunk after line `after` (0: from the top),
    /// wrapping to the first; `None` when nothing is uncovered.
    pub fn next_chunk(&self, after: u32) -> Option<u32> {
        self.chunks
            .iter()
            .map(|c| c.0)
            .find(|&s| s > after)
            .or_else(|| self.chunks.first().map(|c| c.0))
    }

    /// The first line of the uncovered chunk before the one holding or following line
    /// `before`, wrapping to the last; `None` when nothing is uncovered.
    pub fn prev_chunk(&self, before: u32) -> Option<u32> {
        self.chunks
            .iter()
            .rev()
            .map(|c| c.0)
            .find(|&s| s < before)
            .or_else(|| self.chunks.last().map(|c| c.0))
    }

    /// Whether the source looks like the measured code (no warnings).
    pub fn source_fits(&self) -> bool {
        self.warnings.is_empty()
    }
}

/// How strictly the source must fit the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OffCodeRule {
    /// Any measured line on a blank or comment line, or any function not where the report
    /// puts it, means the source differs: coverage.py and Go count statements, which are
    /// never there.
    Strict,
    /// Measured blank and comment lines are normal: V8-based tools (c8, vitest's v8
    /// provider) and llvm-cov count them inside a covered function (up to 70% of a file's
    /// measured lines in the fixtures). Only the line count and where functions are judged;
    /// functions leniently (a tenth of them misplaced).
    Lenient,
}

/// Options of [`annotate_with`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnnotateOptions {
    /// How measured lines on blank or comment lines are judged.
    pub off_code: OffCodeRule,
    /// Whether the format counts hits per line. `None`: when the file has hit counts. A
    /// file where nothing ran has none to tell by, so the report's tool says.
    pub hits: Option<bool>,
}

impl AnnotateOptions {
    /// The rule for a report written by `tool`.
    pub fn for_tool(tool: Tool) -> AnnotateOptions {
        let off_code = match tool {
            Tool::CoveragePy | Tool::Go => OffCodeRule::Strict,
            _ => OffCodeRule::Lenient,
        };
        let hits = match tool {
            Tool::CoveragePy | Tool::JaCoCo => Some(false),
            Tool::Go => None,
            Tool::Istanbul | Tool::LlvmCov | Tool::Lcov | Tool::Gcovr | Tool::Cobertura => {
                Some(true)
            }
        };
        AnnotateOptions { off_code, hits }
    }

    /// The rules for a file of unknown tool, from its shape: what only coverage.py
    /// writes (arcs, excluded lines, contexts) makes it strict; anything else is judged
    /// leniently.
    pub fn from_shape(f: &FileCoverage) -> AnnotateOptions {
        let coveragepy = !f.executed_branches.is_empty()
            || !f.missing_branches.is_empty()
            || !f.excluded_lines.is_empty()
            || !f.contexts.is_empty();
        let off_code = if coveragepy {
            OffCodeRule::Strict
        } else {
            OffCodeRule::Lenient
        };
        AnnotateOptions {
            off_code,
            hits: None,
        }
    }
}

/// The bare name a source line declaring a function or class would contain, from the name
/// a report gives it: `Version.__init__` → `__init__`, coverage.py's `prereleases@77` →
/// `prereleases`, V8's `_parse_2` → `_parse`, `ns::Type::run(int)` → `run`. `None` for
/// names that need not appear (anonymous functions, lambdas, mangled symbols, `<init>`).
fn declared_name(name: &str) -> Option<&str> {
    let name = name.split('(').next().unwrap_or(name);
    let name = name.split('@').next().unwrap_or(name);
    let last = name
        .rsplit(['.', ':', '#', '/', '\\'])
        .next()
        .unwrap_or(name);
    // V8 numbers repeated names: constructor_2, _parse_3.
    let last = match last.rsplit_once('_') {
        Some((base, n))
            if !base.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => last,
    };
    let ident = last
        .chars()
        .enumerate()
        .all(|(i, c)| c == '_' || c == '$' || c.is_alphabetic() || (i > 0 && c.is_ascii_digit()));
    let skip = last.is_empty()
        || !ident
        || last.starts_with("_Z")
        || last.starts_with("_R")
        || last.contains("anonymous")
        || last.contains("lambda")
        || last.contains('$');
    (!skip).then_some(last)
}

/// Splits source text into lines as compilers count them: `\n`, `\r\n` and a lone `\r`
/// end a line; a final line ending adds no line; a leading byte-order mark is dropped.
pub fn source_lines(text: &str) -> Vec<&str> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut out = Vec::new();
    let b = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b.get(i) {
            Some(b'\n') => {
                out.push(text.get(start..i).unwrap_or(""));
                i += 1;
                start = i;
            }
            Some(b'\r') => {
                out.push(text.get(start..i).unwrap_or(""));
                i += if b.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
                start = i;
            }
            _ => i += 1,
        }
    }
    if start < b.len() {
        out.push(text.get(start..).unwrap_or(""));
    }
    out
}

/// How a language writes comments, from a file's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Comments {
    /// `#` to the end of the line (Python, Ruby, shell, R, YAML, …).
    Hash,
    /// `//` and `/* … */` (C, C++, Java, JavaScript, TypeScript, Go, Rust, C#, …).
    Slash,
    /// `--` (SQL, Lua, Haskell, Ada).
    Dash,
    /// Unknown: only blank lines count as non-code.
    Unknown,
}

fn comments_of(path: &str) -> Comments {
    let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "py" | "pyw" | "pyi" | "pyx" | "rb" | "sh" | "bash" | "zsh" | "pl" | "pm" | "r"
        | "yaml" | "yml" | "toml" | "cmake" | "nim" | "jl" | "ex" | "exs" | "cr" | "tcl" => {
            Comments::Hash
        }
        "c" | "h" | "cc" | "cpp" | "cxx" | "c++" | "hpp" | "hh" | "hxx" | "ipp" | "inl" | "m"
        | "mm" | "java" | "kt" | "kts" | "scala" | "sc" | "groovy" | "swift" | "go" | "rs"
        | "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "mts" | "cts" | "cs" | "dart" | "php"
        | "zig" | "d" | "cu" | "proto" | "vue" | "svelte" => Comments::Slash,
        "sql" | "lua" | "hs" | "lhs" | "adb" | "ads" | "elm" | "purs" => Comments::Dash,
        _ => Comments::Unknown,
    }
}

/// For each line: is it blank or a comment only?
fn non_code_lines(lines: &[&str], comments: Comments) -> Vec<bool> {
    let mut out = Vec::with_capacity(lines.len());
    // Carried from line to line: inside /* … */, inside a `…` string (JavaScript template
    // literals and Go raw strings span lines).
    let (mut in_block, mut in_tick) = (false, false);
    for line in lines {
        let t = line.trim();
        let non_code = match comments {
            Comments::Hash => t.is_empty() || t.starts_with('#'),
            Comments::Dash => t.is_empty() || t.starts_with("--"),
            Comments::Unknown => t.is_empty(),
            Comments::Slash => {
                let mut code = false;
                let mut quote: Option<char> = None;
                let mut chars = t.chars().peekable();
                while let Some(c) = chars.next() {
                    if in_block {
                        if c == '*' && chars.peek() == Some(&'/') {
                            chars.next();
                            in_block = false;
                        }
                        continue;
                    }
                    if in_tick || quote.is_some() {
                        code = true;
                        if c == '\\' {
                            chars.next();
                        } else if in_tick && c == '`' {
                            in_tick = false;
                        } else if quote == Some(c) {
                            quote = None;
                        }
                        continue;
                    }
                    match c {
                        '/' if chars.peek() == Some(&'/') => break,
                        '/' if chars.peek() == Some(&'*') => {
                            chars.next();
                            in_block = true;
                        }
                        '\'' | '"' => {
                            quote = Some(c);
                            code = true;
                        }
                        '`' => {
                            in_tick = true;
                            code = true;
                        }
                        c if c.is_whitespace() => {}
                        _ => code = true,
                    }
                }
                // A line inside a template literal is code even when blank.
                !code && !in_tick
            }
        };
        out.push(non_code);
    }
    out
}

/// Each line of `file` with its coverage; see [`annotate_with`]. The off-code rule is
/// taken from the file's shape ([`AnnotateOptions::from_shape`]); with the report at hand,
/// prefer [`annotate_in`].
pub fn annotate(file: &FileCoverage, source: Option<&str>) -> AnnotatedFile {
    annotate_with(file, source, AnnotateOptions::from_shape(file))
}

/// [`annotate_with`] under the rules of the tool that wrote `report`.
pub fn annotate_in(report: &Report, file: &FileCoverage, source: Option<&str>) -> AnnotatedFile {
    let opts = AnnotateOptions {
        hits: Some(report.source.hit_counts),
        ..AnnotateOptions::for_tool(report.source.tool)
    };
    annotate_with(file, source, opts)
}

fn contains(v: &[u32], n: u32) -> bool {
    v.binary_search(&n).is_ok()
}

fn sorted_unique(v: &[u32]) -> Vec<u32> {
    let mut v = v.to_vec();
    v.sort_unstable();
    v.dedup();
    v
}

/// Each line of `file` with its status, hits, branch notes and contexts; with `source`,
/// every line of it with its text and the checks that it is the measured code.
pub fn annotate_with(
    file: &FileCoverage,
    source: Option<&str>,
    opts: AnnotateOptions,
) -> AnnotatedFile {
    // The report's lists, sorted (a hostile report may not be).
    let executed = sorted_unique(&file.executed_lines);
    let missing = sorted_unique(&file.missing_lines);
    let excluded = sorted_unique(&file.excluded_lines);

    // coverage.py arcs by their branch line.
    let mut missing_arcs: HashMap<u32, Vec<i32>> = HashMap::new();
    for a in &file.missing_branches {
        if a.from > 0 {
            missing_arcs.entry(a.from as u32).or_default().push(a.to);
        }
    }
    let mut taken_arcs: HashMap<u32, usize> = HashMap::new();
    for a in &file.executed_branches {
        if a.from > 0 {
            *taken_arcs.entry(a.from as u32).or_default() += 1;
        }
    }
    let per_line: HashMap<u32, (u32, u32)> = file
        .line_branches
        .iter()
        .map(|b| (b.line, (b.taken, b.total)))
        .collect();
    let contexts: HashMap<u32, &Vec<String>> = file.contexts.iter().map(|(l, c)| (*l, c)).collect();
    // Exits of named functions, for coverage.py's "didn't return from function".
    let function_at: HashMap<u32, &str> = file
        .regions
        .iter()
        .filter(|r| r.kind == RegionKind::Function && !r.name.is_empty())
        .filter_map(|r| r.start_line.map(|s| (s, r.name.as_str())))
        .collect();

    let status_of = |n: u32| -> LineStatus {
        if contains(&excluded, n) {
            LineStatus::Excluded
        } else if contains(&missing, n) {
            LineStatus::Missing
        } else if missing_arcs.contains_key(&n) {
            LineStatus::Partial
        } else if let Some(&(taken, total)) = per_line.get(&n) {
            if taken < total {
                LineStatus::Partial
            } else {
                LineStatus::Covered
            }
        } else if contains(&executed, n) {
            LineStatus::Covered
        } else {
            LineStatus::None
        }
    };

    let branches_of = |n: u32, status: LineStatus| -> Option<BranchNote> {
        if let Some(&(taken, total)) = per_line.get(&n) {
            return Some(BranchNote {
                short: vec![format!("{taken}/{total}")],
                long: vec![format!(
                    "{taken} of {total} branch{} taken",
                    if total == 1 { "" } else { "es" }
                )],
                taken: Some(taken),
                total: Some(total),
            });
        }
        // As htmlcov: arcs are described on partial lines only.
        if status != LineStatus::Partial {
            return None;
        }
        let tos = missing_arcs.get(&n)?;
        let mut note = BranchNote::default();
        if taken_arcs.get(&n).copied().unwrap_or(0) == 0 {
            note.short.push(format!("{n} ↛ anywhere"));
            note.long.push(format!(
                "line {n} didn't jump anywhere: it always raised an exception."
            ));
            return Some(note);
        }
        for &to in tos {
            if to > 0 {
                note.short.push(format!("{n} ↛ {to}"));
                note.long.push(format!("line {n} didn't jump to line {to}"));
            } else {
                note.short.push(format!("{n} ↛ exit"));
                let start = to.unsigned_abs();
                note.long.push(match function_at.get(&start) {
                    Some(name) => format!("line {n} didn't return from function '{name}'"),
                    None if start == 1 => format!("line {n} didn't exit the module"),
                    None => format!("line {n} didn't jump to the function exit"),
                });
            }
        }
        Some(note)
    };

    // Every line the report names, for the checks and the source-less listing.
    let mut measured: Vec<u32> = executed
        .iter()
        .chain(&missing)
        .chain(&excluded)
        .copied()
        .chain(missing_arcs.keys().copied())
        .chain(per_line.keys().copied())
        .filter(|&n| n > 0)
        .collect();
    measured.sort_unstable();
    measured.dedup();

    let has_hits = opts.hits.unwrap_or(!file.line_hits.is_empty());
    let hits_of = |n: u32| -> Option<u64> {
        if !has_hits {
            return None;
        }
        // A file where nothing ran has no counts at all: its missing lines ran 0 times.
        file.hits(n, true)
            .or_else(|| contains(&missing, n).then_some(0))
    };
    let make_line = |n: u32, text: Option<&str>| -> Line {
        let status = status_of(n);
        Line {
            number: n,
            text: text.map(str::to_string),
            status,
            hits: hits_of(n),
            branches: branches_of(n, status),
            contexts: contexts.get(&n).map(|c| (*c).clone()).unwrap_or_default(),
        }
    };

    let mut warnings = Vec::new();
    let (lines, source_lines_n) = match source {
        Some(text) => {
            let src = source_lines(text);
            let n_src = src.len() as u32;
            let mut lines: Vec<Line> = src
                .iter()
                .enumerate()
                .map(|(i, t)| make_line(i as u32 + 1, Some(t)))
                .collect();
            // Measured lines beyond the end: shown (without text) and warned about.
            let beyond: Vec<u32> = measured.iter().copied().filter(|&n| n > n_src).collect();
            if let Some(&last) = beyond.last() {
                warnings.push(SourceWarning::Shorter {
                    source_lines: n_src,
                    last_line: last,
                    beyond: beyond.len(),
                });
                lines.extend(beyond.iter().map(|&n| make_line(n, None)));
            }
            // Measured statements on blank or comment lines. Excluded lines and branch
            // lines are not statements the tool placed, so they are not judged.
            let non_code = non_code_lines(&src, comments_of(&file.path));
            let judged: Vec<u32> = executed
                .iter()
                .chain(&missing)
                .copied()
                .filter(|&n| n >= 1 && n <= n_src)
                .collect();
            let mut off: Vec<u32> = judged
                .iter()
                .copied()
                .filter(|&n| non_code.get(n as usize - 1).copied().unwrap_or(false))
                .collect();
            off.sort_unstable();
            off.dedup();
            if opts.off_code == OffCodeRule::Strict && !off.is_empty() {
                warnings.push(SourceWarning::OffCode {
                    count: off.len(),
                    lines: off.iter().copied().take(20).collect(),
                    measured: judged.len(),
                });
            }
            // Each named function or class on the line the report gives.
            let mut named = 0;
            let mut misplaced: Vec<(String, u32)> = Vec::new();
            for r in &file.regions {
                let (Some(start), Some(want)) = (r.start_line, declared_name(&r.name)) else {
                    continue;
                };
                named += 1;
                let fits = src
                    .get(start as usize - 1)
                    .is_some_and(|t| start > 0 && t.contains(want));
                if !fits {
                    misplaced.push((r.name.clone(), start));
                }
            }
            let warn = match opts.off_code {
                OffCodeRule::Strict => !misplaced.is_empty(),
                OffCodeRule::Lenient => !misplaced.is_empty() && misplaced.len() * 10 >= named,
            };
            if warn {
                warnings.push(SourceWarning::Functions {
                    count: misplaced.len(),
                    misplaced: misplaced.into_iter().take(5).collect(),
                    named,
                });
            }
            (lines, n_src)
        }
        None => (measured.iter().map(|&n| make_line(n, None)).collect(), 0),
    };

    // Missing runs, joined over lines the report does not measure (coverage.py's rule).
    let statements: Vec<u32> = {
        let mut s: Vec<u32> = executed.iter().chain(&missing).copied().collect();
        s.sort_unstable();
        s.dedup();
        s
    };
    let mut missing_ranges: Vec<(u32, u32)> = Vec::new();
    let mut run: Option<(u32, u32)> = None;
    for &s in &statements {
        if contains(&missing, s) {
            run = Some(match run {
                Some((a, _)) => (a, s),
                None => (s, s),
            });
        } else if let Some(r) = run.take() {
            missing_ranges.push(r);
        }
    }
    missing_ranges.extend(run);

    let partial_lines: Vec<u32> = lines
        .iter()
        .filter(|l| l.status == LineStatus::Partial)
        .map(|l| l.number)
        .collect();

    // Chunks for j/k over the measured lines in order: missing and partial lines join;
    // unmeasured lines between them do not break a chunk.
    let mut chunks: Vec<(u32, u32)> = Vec::new();
    let mut cur: Option<(u32, u32)> = None;
    for l in &lines {
        match l.status {
            LineStatus::None => {}
            s if s.is_gap() => {
                cur = Some(match cur {
                    Some((a, _)) => (a, l.number),
                    None => (l.number, l.number),
                });
            }
            _ => chunks.extend(cur.take()),
        }
    }
    chunks.extend(cur);

    let info = |r: &Region| FunctionInfo {
        name: if r.name.is_empty() {
            match r.kind {
                RegionKind::Function => "(no function)".into(),
                RegionKind::Class => "(no class)".into(),
            }
        } else {
            r.name.clone()
        },
        region: r.clone(),
    };
    let by_line = |v: &mut Vec<FunctionInfo>| {
        v.sort_by_key(|f| (f.region.start_line.unwrap_or(0), f.name.clone()));
    };
    let mut functions: Vec<FunctionInfo> = file
        .regions
        .iter()
        .filter(|r| r.kind == RegionKind::Function)
        .map(info)
        .collect();
    by_line(&mut functions);
    let mut classes: Vec<FunctionInfo> = file
        .regions
        .iter()
        .filter(|r| r.kind == RegionKind::Class)
        .map(info)
        .collect();
    by_line(&mut classes);

    AnnotatedFile {
        path: file.path.clone(),
        counts: file.counts,
        has_source: source.is_some(),
        source_lines: source_lines_n,
        has_hits,
        has_contexts: lines.iter().any(|l| !l.contexts.is_empty()),
        lines,
        missing_ranges,
        partial_lines,
        chunks,
        functions,
        classes,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Arc, LineBranches, Tally};
    use crate::rules::Tool;
    use crate::Report;

    fn m(report: &[&str], folder: &[&str]) -> Vec<Option<usize>> {
        let r = match_sources(report, folder);
        (0..report.len()).map(|i| r.folder_of(i)).collect()
    }

    #[test]
    fn matches_by_longest_suffix() {
        let folder = [
            "packaging-25.0/src/packaging/version.py",
            "packaging-25.0/src/packaging/utils.py",
            "packaging-25.0/tests/test_version.py",
            "packaging-25.0/docs/version.py",
        ];
        // Relative, absolute, another machine's, Windows.
        assert_eq!(
            m(
                &[
                    "src/packaging/version.py",
                    "/home/ci/work/packaging/src/packaging/utils.py",
                    "C:\\build\\packaging\\tests\\test_version.py",
                    "missing.py",
                ],
                &folder
            ),
            [Some(0), Some(1), Some(2), None]
        );
        let r = match_sources(&["src/packaging/version.py", "gone/x.py"], &folder);
        assert_eq!(r.matched, 1);
        assert_eq!(r.unmatched, [1]);
        assert_eq!(
            r.sources[0],
            Some(SourceMatch {
                folder: 0,
                depth: 3,
                candidates: 1
            })
        );
        assert!(r.ambiguous.is_empty());
    }

    #[test]
    fn windows_folder_separators_and_case() {
        let folder = ["App\\Src\\Main.ts", "app/src/util.ts"];
        assert_eq!(
            m(
                &["/ci/app/src/main.ts", "C:\\W\\APP\\SRC\\UTIL.TS"],
                &folder
            ),
            [Some(0), Some(1)]
        );
        // Exact case wins a tie (two files differing only in case, on Linux).
        let folder = ["a/readme.py", "b/README.py"];
        assert_eq!(m(&["README.py", "readme.py"], &folder), [Some(1), Some(0)]);
        let r = match_sources(&["README.py"], &folder);
        assert!(r.ambiguous.is_empty(), "case settles it");
    }

    #[test]
    fn same_name_in_many_directories() {
        let folder = [
            "proj/node_modules/x/lib/index.js",
            "proj/lib/index.js",
            "proj/index.js",
            "proj/test/index.js",
            "proj/lib/sub/index.js",
        ];
        assert_eq!(
            m(
                &[
                    "/build/js/proj/lib/index.js",
                    "/build/js/proj/index.js",
                    "lib/sub/index.js",
                    "test/index.js"
                ],
                &folder
            ),
            [Some(1), Some(2), Some(4), Some(3)]
        );
        // The file name alone: the shortest path, reported as ambiguous.
        let r = match_sources(&["index.js"], &folder);
        assert_eq!(r.folder_of(0), Some(2));
        assert_eq!(r.ambiguous, [0]);
        assert_eq!(r.sources[0].map(|s| s.candidates), Some(5));
        // Same depth, same length: the first path in order, still ambiguous.
        let r = match_sources(&["/x/lib/index.js"], &["b/lib/index.js", "a/lib/index.js"]);
        assert_eq!(r.folder_of(0), Some(1));
        assert_eq!(r.ambiguous, [0]);
    }

    #[test]
    fn a_relative_path_agrees_in_full() {
        let folder = [
            "packaging-25.0/src/packaging/licenses/__init__.py",
            "packaging-25.0/src/packaging/utils.py",
        ];
        // Same name, another package: not its source.
        let r = match_sources(&["src/packaging/__init__.py"], &folder);
        assert_eq!(r.unmatched, [0]);
        // A folder picked below the project root: the folder path is used up.
        assert_eq!(
            m(&["src/packaging/utils.py"], &["packaging/utils.py"]),
            [Some(0)]
        );
        // An absolute path's prefix is the machine's: the name may be all that agrees.
        assert_eq!(m(&["/ci/x/utils.py"], &["proj/utils.py"]), [Some(0)]);
        // With the report's root known, the part below it must agree.
        let mut rep = Report {
            source: crate::model::Source::new("t", Tool::Lcov),
            metrics: vec![],
            root: Some("/ci/build/".into()),
            files: vec![
                FileCoverage {
                    path: "src/pkg/__init__.py".into(),
                    ..FileCoverage::default()
                },
                FileCoverage {
                    path: "src/pkg/utils.py".into(),
                    ..FileCoverage::default()
                },
            ],
            declared_totals: None,
            warnings: vec![],
        };
        let folder = ["proj/src/pkg/sub/__init__.py", "proj/src/pkg/utils.py"];
        let r = match_report(&rep, &folder);
        assert_eq!(r.folder_of(0), None);
        assert_eq!(r.folder_of(1), Some(1));
        assert_eq!(r.sources[1].map(|s| s.depth), Some(3));
        rep.root = None;
        rep.files[0].path = "/ci/build/src/pkg/__init__.py".into();
        assert_eq!(match_report(&rep, &folder).folder_of(0), Some(0));
    }

    #[test]
    fn odd_paths() {
        assert_eq!(
            m(&["./src/./a.py", "", "/"], &["x/src/a.py", "a.py"]),
            [Some(0), None, None]
        );
        let r = match_sources(&[], &["a.py"]);
        assert_eq!(r.matched, 0);
        let r = match_sources(&["a.py"], &[]);
        assert_eq!(r.unmatched, [0]);
    }

    /// 50,000 folder files, 10,000 report files, hundreds sharing each name.
    fn big_tree() -> (Vec<String>, Vec<String>) {
        let folder = (0..50_000)
            .map(|i| format!("repo/pkg{}/mod{}/__init__.py", i % 500, i / 500))
            .collect();
        let report = (0..10_000)
            .map(|i| format!("/ci/repo/pkg{}/mod{}/__init__.py", i % 500, i / 500))
            .collect();
        (folder, report)
    }

    #[test]
    fn big_trees_match_exactly() {
        let (folder, report) = big_tree();
        let f: Vec<&str> = folder.iter().map(String::as_str).collect();
        let r: Vec<&str> = report.iter().map(String::as_str).collect();
        let out = match_sources(&r, &f);
        assert_eq!(out.matched, 10_000);
        assert!(out.ambiguous.is_empty());
        assert!((0..10_000).all(|i| out.folder_of(i) == Some(i)));
    }

    /// Timing, not run by default (a loaded machine makes wall time meaningless):
    /// `cargo test -p covgap-core --release --lib -- --ignored --nocapture matching_speed`.
    #[test]
    #[ignore]
    fn matching_speed() {
        let (folder, report) = big_tree();
        let f: Vec<&str> = folder.iter().map(String::as_str).collect();
        let r: Vec<&str> = report.iter().map(String::as_str).collect();
        // CPU time of this thread (Linux), beside the wall time a loaded machine inflates.
        let cpu = || {
            std::fs::read_to_string("/proc/thread-self/schedstat")
                .ok()
                .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
                .map(|ns| ns as f64 / 1e6)
        };
        let (t, c) = (std::time::Instant::now(), cpu());
        let out = match_sources(&r, &f);
        eprintln!(
            "10,000 report files x 50,000 folder files: {:?} wall, {:.1} ms CPU ({} matched)",
            t.elapsed(),
            cpu().zip(c).map_or(f64::NAN, |(b, a)| b - a),
            out.matched
        );
    }

    fn fc(executed: &[u32], missing: &[u32]) -> FileCoverage {
        FileCoverage {
            path: "src/m.py".into(),
            executed_lines: executed.to_vec(),
            missing_lines: missing.to_vec(),
            counts: Counts {
                files: 1,
                statements: Tally::new(
                    executed.len() as u64,
                    (executed.len() + missing.len()) as u64,
                ),
                ..Counts::default()
            },
            ..FileCoverage::default()
        }
    }

    fn arcs(v: &[(i32, i32)]) -> Vec<Arc> {
        v.iter().map(|&(from, to)| Arc { from, to }).collect()
    }

    const PY: &str = "import os\n\ndef f(x):\n    # a comment\n    if x:\n        return 1\n    return 2\n\nif __name__ == '__main__':  # pragma: no cover\n    f(1)\n";

    #[test]
    fn coveragepy_statuses_and_arcs() {
        let mut f = fc(&[1, 3, 5, 7], &[6]);
        f.excluded_lines = vec![9, 10];
        f.executed_branches = arcs(&[(5, 7)]);
        f.missing_branches = arcs(&[(5, 6)]);
        let a = annotate(&f, Some(PY));
        let st: Vec<Option<&str>> = a.lines.iter().map(|l| l.status.key()).collect();
        assert_eq!(
            st,
            [
                Some("covered"),
                None,
                Some("covered"),
                None,
                Some("partial"),
                Some("missing"),
                Some("covered"),
                None,
                Some("excluded"),
                Some("excluded")
            ]
        );
        assert!(a.source_fits(), "{:?}", a.warnings);
        let l5 = a.line(5).expect("line 5");
        assert_eq!(l5.text.as_deref(), Some("    if x:"));
        let b = l5.branches.as_ref().expect("note");
        assert_eq!(b.short, ["5 ↛ 6"]);
        assert_eq!(b.long, ["line 5 didn't jump to line 6"]);
        assert_eq!(a.missing_ranges, [(6, 6)]);
        assert_eq!(a.partial_lines, [5]);
        assert_eq!(a.chunks, [(5, 6)]);
        assert_eq!(a.line(6).and_then(|l| l.hits), None);
        assert!(!a.has_hits);
    }

    #[test]
    fn coveragepy_exit_arcs_in_its_words() {
        let mut f = fc(&[1, 3, 5, 6, 7], &[]);
        f.executed_branches = arcs(&[(5, 6), (1, 3)]);
        f.missing_branches = arcs(&[(5, -3), (1, -1), (7, -40)]);
        f.regions = vec![Region {
            kind: RegionKind::Function,
            name: "f".into(),
            start_line: Some(3),
            hits: None,
            counts: Counts::default(),
            missing_lines: vec![],
        }];
        let a = annotate(&f, None);
        let long = |n: u32| {
            a.line(n)
                .and_then(|l| l.branches.clone())
                .expect("note")
                .long
        };
        assert_eq!(long(5), ["line 5 didn't return from function 'f'"]);
        assert_eq!(long(1), ["line 1 didn't exit the module"]);
        // No taken arc from 7: htmlcov's "anywhere".
        assert_eq!(
            long(7),
            ["line 7 didn't jump anywhere: it always raised an exception."]
        );
        assert_eq!(
            a.line(7).and_then(|l| l.branches.clone()).expect("n").short,
            ["7 ↛ anywhere"]
        );
        let mut g = f.clone();
        g.regions.clear();
        let a = annotate(&g, None);
        assert_eq!(
            a.line(5).and_then(|l| l.branches.clone()).expect("n").long,
            ["line 5 didn't jump to the function exit"]
        );
        assert_eq!(
            a.line(5).and_then(|l| l.branches.clone()).expect("n").short,
            ["5 ↛ exit"]
        );
    }

    #[test]
    fn without_source_lists_measured_lines() {
        let mut f = fc(&[1, 2, 10], &[3, 4, 8, 12]);
        f.missing_branches = arcs(&[(2, 9)]);
        f.executed_branches = arcs(&[(2, 3)]);
        let a = annotate(&f, None);
        assert!(!a.has_source);
        assert_eq!(
            a.lines.iter().map(|l| l.number).collect::<Vec<_>>(),
            [1, 2, 3, 4, 8, 10, 12]
        );
        assert!(a.lines.iter().all(|l| l.text.is_none()));
        // 4 and 8 join: 5-7 are not statements.
        assert_eq!(a.missing_ranges, [(3, 8), (12, 12)]);
        assert_eq!(a.partial_lines, [2]);
        assert_eq!(a.chunks, [(2, 8), (12, 12)]);
        assert_eq!(a.next_chunk(0), Some(2));
        assert_eq!(a.next_chunk(2), Some(12));
        assert_eq!(a.next_chunk(12), Some(2));
        assert_eq!(a.prev_chunk(12), Some(2));
        assert_eq!(a.prev_chunk(2), Some(12));
        assert_eq!(a.prev_chunk(5), Some(2));
        assert!(a.warnings.is_empty());
    }

    #[test]
    fn per_line_formats_hits_and_branches() {
        // LCOV-like: hits for every measured line, branches counted per line.
        let f = FileCoverage {
            path: "lib/a.js".into(),
            executed_lines: vec![1, 2, 4],
            line_hits: vec![3, 7, 1],
            missing_lines: vec![5],
            line_branches: vec![
                LineBranches {
                    line: 2,
                    taken: 1,
                    total: 2,
                },
                LineBranches {
                    line: 4,
                    taken: 2,
                    total: 2,
                },
                LineBranches {
                    line: 5,
                    taken: 0,
                    total: 1,
                },
            ],
            ..FileCoverage::default()
        };
        let src = "var a = 1;\nif (a) {\n  // note\n  b();\n  c();\n}\n";
        let a = annotate(&f, Some(src));
        assert!(a.has_hits);
        let l = |n: u32| a.line(n).expect("line").clone();
        assert_eq!(l(1).status, LineStatus::Covered);
        assert_eq!(l(1).hits, Some(3));
        assert_eq!(l(2).status, LineStatus::Partial);
        assert_eq!(l(2).hits, Some(7));
        let b = l(2).branches.expect("b");
        assert_eq!(b.long, ["1 of 2 branches taken"]);
        assert_eq!(b.short, ["1/2"]);
        assert_eq!((b.taken, b.total), (Some(1), Some(2)));
        assert_eq!(l(4).status, LineStatus::Covered);
        assert_eq!(l(4).branches.expect("b").long, ["2 of 2 branches taken"]);
        assert_eq!(l(5).status, LineStatus::Missing);
        assert_eq!(l(5).hits, Some(0));
        assert_eq!(l(5).branches.expect("b").long, ["0 of 1 branch taken"]);
        assert_eq!(l(3).status, LineStatus::None);
        assert_eq!(l(3).hits, None);
        assert!(a.warnings.is_empty(), "{:?}", a.warnings);
    }

    #[test]
    fn contexts_and_functions() {
        let mut f = fc(&[1, 3], &[5]);
        f.contexts = vec![
            (1, vec!["".into()]),
            (
                3,
                vec!["t.py::test_a|run".into(), "t.py::test_b|run".into()],
            ),
        ];
        f.regions = vec![
            Region {
                kind: RegionKind::Function,
                name: "g".into(),
                start_line: Some(3),
                hits: None,
                counts: Counts::coveragepy(2, 1, 0, 0),
                missing_lines: vec![5],
            },
            Region {
                kind: RegionKind::Function,
                name: String::new(),
                start_line: Some(1),
                hits: None,
                counts: Counts::coveragepy(1, 1, 0, 0),
                missing_lines: vec![],
            },
            Region {
                kind: RegionKind::Class,
                name: String::new(),
                start_line: Some(1),
                hits: None,
                counts: Counts::coveragepy(3, 2, 0, 0),
                missing_lines: vec![5],
            },
        ];
        let a = annotate(&f, None);
        assert!(a.has_contexts);
        assert_eq!(
            a.line(3).expect("3").contexts,
            ["t.py::test_a|run", "t.py::test_b|run"]
        );
        assert_eq!(a.line(1).expect("1").contexts, [""]);
        assert!(a.line(5).expect("5").contexts.is_empty());
        let names: Vec<&str> = a.functions.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["(no function)", "g"]);
        assert_eq!(a.classes[0].name, "(no class)");
    }

    #[test]
    fn warns_when_the_source_is_shorter() {
        let f = fc(&[1, 2], &[30, 31]);
        let a = annotate(&f, Some("a = 1\nb = 2\n"));
        assert_eq!(
            a.warnings,
            [SourceWarning::Shorter {
                source_lines: 2,
                last_line: 31,
                beyond: 2
            }]
        );
        assert_eq!(
            a.warnings[0].message(),
            "This file has 2 lines but the report measures line 31 (2 measured lines beyond \
             the end)."
        );
        // The lines beyond are still listed, without text, after the source's.
        assert_eq!(a.lines.len(), 4);
        assert_eq!(a.line(31).map(|l| l.status), Some(LineStatus::Missing));
        assert_eq!(a.line(31).and_then(|l| l.text.clone()), None);
        assert_eq!(a.index_of(30), Some(2));
    }

    #[test]
    fn warns_when_statements_sit_on_blank_or_comment_lines() {
        // coverage.py: one statement on a comment line is enough.
        let py = AnnotateOptions::for_tool(Tool::CoveragePy);
        let f = fc(&[1, 3, 4], &[]);
        let a = annotate_with(&f, Some(PY), py);
        match &a.warnings[..] {
            [SourceWarning::OffCode {
                lines,
                count,
                measured,
            }] => {
                assert_eq!(lines, &[4]);
                assert_eq!((*count, *measured), (1, 3));
            }
            w => panic!("{w:?}"),
        }
        assert_eq!(
            a.warnings[0].message(),
            "1 of 3 measured lines fall on blank or comment lines (4)."
        );
        // Blank line.
        let a = annotate_with(&fc(&[2], &[]), Some(PY), py);
        assert!(!a.source_fits());
        // Without the tool, coverage.py's shape (here: an excluded line) is strict too.
        let mut g = fc(&[2], &[]);
        g.excluded_lines = vec![9];
        assert!(!annotate(&g, Some(PY)).source_fits());
        assert!(
            annotate(&fc(&[2], &[]), Some(PY)).source_fits(),
            "lenient: one is normal"
        );
        // Lenient tools: off-code lines are normal (V8 counts blank and comment lines).
        let mut js = fc(&(1..=20).collect::<Vec<_>>(), &[]);
        js.path = "a.js".into();
        js.line_hits = vec![1; 20];
        let src: String = (1..=20)
            .map(|i| {
                if i % 5 == 0 {
                    "\n".into()
                } else {
                    format!("f({i});\n")
                }
            })
            .collect();
        assert!(annotate(&js, Some(&src)).source_fits());
        let src: String = (1..=20)
            .map(|i| {
                if i % 2 == 0 {
                    "// c\n".into()
                } else {
                    format!("f({i});\n")
                }
            })
            .collect();
        assert!(annotate(&js, Some(&src)).source_fits());
    }

    fn func(name: &str, line: u32) -> Region {
        Region {
            kind: RegionKind::Function,
            name: name.into(),
            start_line: Some(line),
            hits: Some(1),
            counts: Counts::default(),
            missing_lines: vec![],
        }
    }

    #[test]
    fn warns_when_functions_are_not_where_the_report_puts_them() {
        let src =
            "function parse(a) {\n  return a;\n}\nconst b = () => 1;\nclass K {\n  run() {}\n}\n";
        let mut js = fc(&[1, 2, 4, 6], &[]);
        js.path = "a.js".into();
        js.line_hits = vec![1; 4];
        js.regions = vec![
            func("parse", 1),
            func("(anonymous_1)", 4),
            func("K.run", 6),
            func("run_2", 6),
        ];
        assert!(annotate(&js, Some(src)).source_fits());
        js.regions.push(func("stringify", 2));
        let a = annotate(&js, Some(src));
        match &a.warnings[..] {
            [SourceWarning::Functions {
                misplaced,
                count,
                named,
            }] => {
                assert_eq!(misplaced, &[("stringify".to_string(), 2)]);
                assert_eq!((*count, *named), (1, 4));
            }
            w => panic!("{w:?}"),
        }
        assert!(a.warnings[0].message().contains("stringify on line 2"));
        // Leniently, one misplaced function in more than ten is tolerated; strictly not.
        js.regions.extend((0..10).map(|_| func("parse", 1)));
        assert!(annotate(&js, Some(src)).source_fits());
        let strict = AnnotateOptions::for_tool(Tool::CoveragePy);
        assert!(!annotate_with(&js, Some(src), strict).source_fits());
        // A function past the end is misplaced too.
        js.regions = vec![func("parse", 99)];
        assert!(!annotate(&js, Some(src)).source_fits());
    }

    #[test]
    fn declared_names() {
        assert_eq!(declared_name("Version.__init__"), Some("__init__"));
        assert_eq!(
            declared_name("SpecifierSet.prereleases@753"),
            Some("prereleases")
        );
        assert_eq!(declared_name("constructor_2"), Some("constructor"));
        assert_eq!(declared_name("ns::Type::run(int) const"), Some("run"));
        assert_eq!(declared_name("Foo#bar"), Some("bar"));
        assert_eq!(declared_name("parse_v2"), Some("parse_v2"));
        for none in [
            "",
            "(anonymous_0)",
            "_ZN3foo3barEv",
            "_RNvCs1234_5crate4main",
            "lambda$main$0",
            "<init>",
            "<lambda>",
        ] {
            assert_eq!(declared_name(none), None, "{none}");
        }
    }

    #[test]
    fn comment_detection_by_language() {
        let c = |src: &str, lang| {
            let lines = source_lines(src);
            non_code_lines(&lines, lang)
        };
        assert_eq!(
            c(
                "a();\n/* one\n * two\n */\nb(); /* x */\n/* y */ c();\nd(); // e\n// f\n/* g */ /* h */\n",
                Comments::Slash
            ),
            [false, true, true, true, false, false, false, true, true]
        );
        assert_eq!(
            c("x = 1\n  # c\n\n\t\ny = '#'\n", Comments::Hash),
            [false, true, true, true, false]
        );
        // Comment markers inside strings; a template literal across lines.
        assert_eq!(
            c(
                "files: ['**/*.js'],\nx();\ns = \"a // b\";\nt = `\n\n// in\n`;\n// out\n",
                Comments::Slash
            ),
            [false, false, false, false, false, false, false, true]
        );
        assert_eq!(c("select 1;\n-- c\n", Comments::Dash), [false, true]);
        assert_eq!(c("x\n#y\n\n", Comments::Unknown), [false, false, true]);
        assert_eq!(comments_of("src/a.PY"), Comments::Hash);
        assert_eq!(comments_of("C:\\x\\a.tsx"), Comments::Slash);
        assert_eq!(comments_of("q.sql"), Comments::Dash);
        assert_eq!(comments_of("Makefile"), Comments::Unknown);
    }

    #[test]
    fn line_splitting() {
        assert_eq!(source_lines("a\nb\n"), ["a", "b"]);
        assert_eq!(source_lines("a\r\nb"), ["a", "b"]);
        assert_eq!(source_lines("a\rb\r\n\nc"), ["a", "b", "", "c"]);
        assert_eq!(source_lines("\u{FEFF}x\n"), ["x"]);
        assert_eq!(source_lines(""), Vec::<&str>::new());
        assert_eq!(source_lines("\n"), [""]);
    }
}
