//! A compact, versioned binary encoding of a [`Report`]: what the parsing worker sends the
//! page (over a transferable `ArrayBuffer`) instead of the report's JSON or a structured
//! clone of its objects.
//!
//! Laid out for size and for a decoder that does almost nothing but read varints:
//!
//! - integers are LEB128 varints; signed ones are zigzag-encoded;
//! - line lists are deltas from the previous line (zigzag, so an unsorted list still
//!   round-trips, at one byte per line for the ascending lists every reader writes);
//! - a branch arc is its `from` as a delta and its `to` relative to its `from`;
//! - [`Counts`] write a bit mask of the tallies that are not zero, then only those;
//! - test-context names are written once, in a table, and referred to by index.
//!
//! ```text
//! "CGWR" version:u16le
//! source (format, tool, versions, timestamp, flags)  metrics  root
//! declared_totals  warnings  context-name table
//! file count, then each file (path, counts, lines, hits, arcs, per-line branches,
//!                             contexts, regions)
//! ```
//!
//! Decoding never panics and never trusts a length: every count is checked against the
//! bytes left before anything is allocated, every number against its type, every string
//! for UTF-8, and the context strings a buffer can make the decoder copy are limited to
//! [`CONTEXT_BUDGET`] times its length. A buffer from another version of covgap is refused
//! with [`WireError::Version`], never misread.
//!
//! [`Decoder`] decodes a report a few files at a time, so a page can decode a very large
//! report between frames; [`decode`] does it in one go.

use crate::model::{
    Arc, Counts, FileCoverage, LineBranches, Metric, Region, RegionKind, Report, Source, Tally,
};
use crate::rules::Tool;

/// The first four bytes of every buffer.
pub const MAGIC: [u8; 4] = *b"CGWR";

/// The version this build writes and reads. Any change to the layout bumps it.
pub const VERSION: u16 = 1;

/// How many bytes of test-context names a buffer may make the decoder materialise, per
/// byte of buffer (each use of a name copies it into the model).
pub const CONTEXT_BUDGET: usize = 256;

/// Why a buffer could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    /// It does not start with [`MAGIC`].
    #[error("not a covgap report buffer")]
    BadMagic,
    /// Written by another version of covgap.
    #[error(
        "the report was encoded by another version of covgap (wire format {found}, this \
         page reads {expected}): reload the page"
    )]
    Version {
        /// The version in the buffer.
        found: u16,
        /// [`VERSION`].
        expected: u16,
    },
    /// The buffer ends in the middle of something.
    #[error("the report buffer ends early (at byte {0})")]
    Truncated(usize),
    /// Something that cannot be: a number too large for its field, an unknown tag, bad
    /// UTF-8, a length longer than what is left.
    #[error("the report buffer is damaged at byte {at}: {what}")]
    Invalid {
        /// Byte offset.
        at: usize,
        /// What was wrong.
        what: &'static str,
    },
    /// Bytes left after the last file.
    #[error("the report buffer has {0} bytes after its end")]
    Trailing(usize),
}

// ------------------------------------------------------------------------------------------
// Encoding

/// Encodes `report`; [`decode`] gives back an equal [`Report`].
pub fn encode(report: &Report) -> Vec<u8> {
    let mut w = Writer::with_capacity(estimate(report));
    w.buf.extend_from_slice(&MAGIC);
    w.buf.extend_from_slice(&VERSION.to_le_bytes());
    let Report {
        source,
        metrics,
        root,
        files,
        declared_totals,
        warnings,
    } = report;
    w.source(source);
    w.u(metrics.len() as u64);
    for &m in metrics {
        w.byte(metric_tag(m));
    }
    w.opt_str(root.as_deref());
    match declared_totals {
        Some(c) => {
            w.byte(1);
            w.counts(c);
        }
        None => w.byte(0),
    }
    w.u(warnings.len() as u64);
    for s in warnings {
        w.str(s);
    }
    // The context-name table, in order of first use.
    let mut table: Vec<&str> = Vec::new();
    let mut index: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
    for f in files {
        for (_, names) in &f.contexts {
            for n in names {
                index.entry(n.as_str()).or_insert_with(|| {
                    table.push(n.as_str());
                    (table.len() - 1) as u64
                });
            }
        }
    }
    w.u(table.len() as u64);
    for s in &table {
        w.str(s);
    }
    w.u(files.len() as u64);
    for f in files {
        w.file(f, &index);
    }
    w.buf
}

/// A guess at the encoded size, so the buffer grows at most once or twice.
fn estimate(report: &Report) -> usize {
    let mut n = 64;
    for f in &report.files {
        n += f.path.len()
            + 24
            + f.executed_lines.len()
            + f.missing_lines.len()
            + f.excluded_lines.len()
            + 2 * f.line_hits.len()
            + 3 * (f.executed_branches.len() + f.missing_branches.len())
            + 4 * f.line_branches.len();
    }
    n
}

struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    fn with_capacity(n: usize) -> Writer {
        Writer {
            buf: Vec::with_capacity(n),
        }
    }

    fn byte(&mut self, b: u8) {
        self.buf.push(b);
    }

    fn u(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }

    fn i(&mut self, v: i64) {
        self.u(((v << 1) ^ (v >> 63)) as u64);
    }

    fn str(&mut self, s: &str) {
        self.u(s.len() as u64);
        self.buf.extend_from_slice(s.as_bytes());
    }

    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.byte(1);
                self.str(s);
            }
            None => self.byte(0),
        }
    }

    fn lines(&mut self, lines: &[u32]) {
        self.u(lines.len() as u64);
        let mut prev = 0i64;
        for &l in lines {
            self.i(i64::from(l) - prev);
            prev = i64::from(l);
        }
    }

    fn arcs(&mut self, arcs: &[Arc]) {
        self.u(arcs.len() as u64);
        let mut prev = 0i64;
        for a in arcs {
            self.i(i64::from(a.from) - prev);
            self.i(i64::from(a.to) - i64::from(a.from));
            prev = i64::from(a.from);
        }
    }

    fn source(&mut self, s: &Source) {
        let Source {
            format,
            tool,
            format_version,
            tool_version,
            timestamp,
            branch_coverage,
            show_contexts,
            summary_only,
            hit_counts,
        } = s;
        self.str(format);
        self.byte(tool_tag(*tool));
        self.opt_str(format_version.as_deref());
        self.opt_str(tool_version.as_deref());
        self.opt_str(timestamp.as_deref());
        self.byte(
            u8::from(*branch_coverage)
                | u8::from(*show_contexts) << 1
                | u8::from(*summary_only) << 2
                | u8::from(*hit_counts) << 3,
        );
    }

    fn counts(&mut self, c: &Counts) {
        let Counts {
            files,
            statements,
            lines,
            branches,
            functions,
            regions,
            instantiations,
            instructions,
            methods,
            classes,
            complexity,
            excluded,
            partial_branches,
        } = c;
        let tallies = [
            statements,
            lines,
            branches,
            functions,
            regions,
            instantiations,
            instructions,
            methods,
            classes,
            complexity,
        ];
        let mut mask = 0u64;
        for (i, t) in tallies.iter().enumerate() {
            if **t != Tally::default() {
                mask |= 1 << i;
            }
        }
        if *excluded != 0 {
            mask |= 1 << 10;
        }
        if *partial_branches != 0 {
            mask |= 1 << 11;
        }
        self.u(*files);
        self.u(mask);
        for t in tallies {
            if *t != Tally::default() {
                self.u(t.covered);
                self.u(t.total);
            }
        }
        if *excluded != 0 {
            self.u(*excluded);
        }
        if *partial_branches != 0 {
            self.u(*partial_branches);
        }
    }

    fn file(&mut self, f: &FileCoverage, index: &std::collections::HashMap<&str, u64>) {
        let FileCoverage {
            path,
            counts,
            executed_lines,
            line_hits,
            missing_lines,
            excluded_lines,
            executed_branches,
            missing_branches,
            line_branches,
            contexts,
            regions,
        } = f;
        self.str(path);
        self.counts(counts);
        self.lines(executed_lines);
        self.u(line_hits.len() as u64);
        for &h in line_hits {
            self.u(h);
        }
        self.lines(missing_lines);
        self.lines(excluded_lines);
        self.arcs(executed_branches);
        self.arcs(missing_branches);
        self.u(line_branches.len() as u64);
        let mut prev = 0i64;
        for b in line_branches {
            self.i(i64::from(b.line) - prev);
            prev = i64::from(b.line);
            self.u(b.taken.into());
            self.u(b.total.into());
        }
        self.u(contexts.len() as u64);
        let mut prev = 0i64;
        for (line, names) in contexts {
            self.i(i64::from(*line) - prev);
            prev = i64::from(*line);
            self.u(names.len() as u64);
            for n in names {
                self.u(index.get(n.as_str()).copied().unwrap_or_default());
            }
        }
        self.u(regions.len() as u64);
        for r in regions {
            let Region {
                kind,
                name,
                start_line,
                hits,
                counts,
                missing_lines,
            } = r;
            self.byte(match kind {
                RegionKind::Function => 0,
                RegionKind::Class => 1,
            });
            self.str(name);
            self.byte(u8::from(start_line.is_some()) | u8::from(hits.is_some()) << 1);
            if let Some(l) = start_line {
                self.u((*l).into());
            }
            if let Some(h) = hits {
                self.u(*h);
            }
            self.counts(counts);
            self.lines(missing_lines);
        }
    }
}

fn tool_tag(t: Tool) -> u8 {
    match t {
        Tool::CoveragePy => 0,
        Tool::Istanbul => 1,
        Tool::LlvmCov => 2,
        Tool::Lcov => 3,
        Tool::Gcovr => 4,
        Tool::Cobertura => 5,
        Tool::JaCoCo => 6,
        Tool::Go => 7,
    }
}

fn tool_of(tag: u8) -> Option<Tool> {
    Some(match tag {
        0 => Tool::CoveragePy,
        1 => Tool::Istanbul,
        2 => Tool::LlvmCov,
        3 => Tool::Lcov,
        4 => Tool::Gcovr,
        5 => Tool::Cobertura,
        6 => Tool::JaCoCo,
        7 => Tool::Go,
        _ => return None,
    })
}

fn metric_tag(m: Metric) -> u8 {
    match m {
        Metric::Combined => 0,
        Metric::Statements => 1,
        Metric::Lines => 2,
        Metric::Branches => 3,
        Metric::Functions => 4,
        Metric::Regions => 5,
        Metric::Instantiations => 6,
        Metric::Instructions => 7,
        Metric::Methods => 8,
        Metric::Classes => 9,
        Metric::Complexity => 10,
    }
}

fn metric_of(tag: u8) -> Option<Metric> {
    Metric::ALL.into_iter().find(|&m| metric_tag(m) == tag)
}

// ------------------------------------------------------------------------------------------
// Decoding

/// Decodes a buffer written by [`encode`].
pub fn decode(bytes: &[u8]) -> Result<Report, WireError> {
    let mut d = Decoder::new(bytes)?;
    while !d.step(usize::MAX)? {}
    d.finish()
}

/// Decodes a report a few files at a time: [`Decoder::new`] reads everything but the
/// files, each [`Decoder::step`] up to `n` more, [`Decoder::finish`] gives the report.
pub struct Decoder<B: AsRef<[u8]>> {
    buf: B,
    pos: usize,
    report: Report,
    table: Vec<String>,
    files_left: usize,
    budget: usize,
}

impl<B: AsRef<[u8]>> Decoder<B> {
    /// Checks the header and reads the report's own fields.
    pub fn new(buf: B) -> Result<Self, WireError> {
        let bytes = buf.as_ref();
        let mut r = Reader { buf: bytes, pos: 0 };
        if r.take(4).map_err(|_| WireError::BadMagic)? != MAGIC {
            return Err(WireError::BadMagic);
        }
        let v = r.take(2)?;
        let found = u16::from_le_bytes([
            v.first().copied().unwrap_or_default(),
            v.get(1).copied().unwrap_or_default(),
        ]);
        if found != VERSION {
            return Err(WireError::Version {
                found,
                expected: VERSION,
            });
        }
        let source = r.source()?;
        let n = r.len(1)?;
        let mut metrics = Vec::with_capacity(n);
        for _ in 0..n {
            let at = r.pos;
            metrics.push(metric_of(r.byte()?).ok_or(WireError::Invalid {
                at,
                what: "unknown metric",
            })?);
        }
        let root = r.opt_string()?;
        let declared_totals = match r.flag()? {
            true => Some(r.counts()?),
            false => None,
        };
        let n = r.len(1)?;
        let mut warnings = Vec::with_capacity(n);
        for _ in 0..n {
            warnings.push(r.string()?);
        }
        let n = r.len(1)?;
        let mut table = Vec::with_capacity(n);
        for _ in 0..n {
            table.push(r.string()?);
        }
        // A file takes at least 12 bytes (an empty path, empty counts, ten empty lists).
        let files_left = r.len(12)?;
        let pos = r.pos;
        let budget = bytes.len().saturating_mul(CONTEXT_BUDGET);
        Ok(Decoder {
            buf,
            pos,
            report: Report {
                source,
                metrics,
                root,
                files: Vec::with_capacity(files_left),
                declared_totals,
                warnings,
            },
            table,
            files_left,
            budget,
        })
    }

    /// How many files the report has in all.
    pub fn files_total(&self) -> usize {
        self.report.files.len() + self.files_left
    }

    /// How many files are decoded so far.
    pub fn files_done(&self) -> usize {
        self.report.files.len()
    }

    /// Decodes up to `n` more files; `true` when every file is decoded.
    pub fn step(&mut self, n: usize) -> Result<bool, WireError> {
        let mut r = Reader {
            buf: self.buf.as_ref(),
            pos: self.pos,
        };
        let k = n.min(self.files_left);
        for _ in 0..k {
            let f = r.file(&self.table, &mut self.budget)?;
            self.report.files.push(f);
        }
        self.files_left -= k;
        self.pos = r.pos;
        Ok(self.files_left == 0)
    }

    /// The report, once every file is decoded and nothing is left over.
    pub fn finish(self) -> Result<Report, WireError> {
        if self.files_left > 0 {
            return Err(WireError::Truncated(self.pos));
        }
        let left = self.buf.as_ref().len().saturating_sub(self.pos);
        if left > 0 {
            return Err(WireError::Trailing(left));
        }
        Ok(self.report)
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn invalid<T>(&self, what: &'static str) -> Result<T, WireError> {
        Err(WireError::Invalid { at: self.pos, what })
    }

    fn left(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], WireError> {
        let end = self
            .pos
            .checked_add(n)
            .ok_or(WireError::Truncated(self.pos))?;
        let s = self
            .buf
            .get(self.pos..end)
            .ok_or(WireError::Truncated(self.pos))?;
        self.pos = end;
        Ok(s)
    }

    fn byte(&mut self) -> Result<u8, WireError> {
        let b = self
            .buf
            .get(self.pos)
            .copied()
            .ok_or(WireError::Truncated(self.pos))?;
        self.pos += 1;
        Ok(b)
    }

    fn flag(&mut self) -> Result<bool, WireError> {
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => self.invalid("a flag that is neither 0 nor 1"),
        }
    }

    #[inline]
    fn u(&mut self) -> Result<u64, WireError> {
        let mut v = 0u64;
        let mut shift = 0u32;
        loop {
            let b = self.byte()?;
            if shift == 63 && b > 1 {
                return self.invalid("a number over 64 bits");
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return self.invalid("a number over 64 bits");
            }
        }
    }

    fn u32(&mut self) -> Result<u32, WireError> {
        let v = self.u()?;
        u32::try_from(v).or_else(|_| self.invalid("a number over 32 bits"))
    }

    fn i(&mut self) -> Result<i64, WireError> {
        let v = self.u()?;
        Ok((v >> 1) as i64 ^ -((v & 1) as i64))
    }

    /// A count of things that take at least `min` bytes each: never more than what is left.
    fn len(&mut self, min: usize) -> Result<usize, WireError> {
        let v = self.u()?;
        match usize::try_from(v) {
            Ok(n) if n <= self.left() / min.max(1) => Ok(n),
            _ => self.invalid("a count longer than the buffer"),
        }
    }

    fn str(&mut self) -> Result<&'a str, WireError> {
        let n = self.len(1)?;
        let at = self.pos;
        let bytes = self.take(n)?;
        std::str::from_utf8(bytes).map_err(|_| WireError::Invalid {
            at,
            what: "text that is not UTF-8",
        })
    }

    fn string(&mut self) -> Result<String, WireError> {
        self.str().map(str::to_string)
    }

    fn opt_string(&mut self) -> Result<Option<String>, WireError> {
        match self.flag()? {
            true => self.string().map(Some),
            false => Ok(None),
        }
    }

    fn lines(&mut self) -> Result<Vec<u32>, WireError> {
        let n = self.len(1)?;
        let mut out = Vec::with_capacity(n);
        let mut prev = 0i64;
        for _ in 0..n {
            prev = self.next_line(prev)?;
            out.push(prev as u32);
        }
        Ok(out)
    }

    /// `prev` plus a delta, which must land on a u32.
    #[inline]
    fn next_line(&mut self, prev: i64) -> Result<i64, WireError> {
        let d = self.i()?;
        match prev.checked_add(d) {
            Some(l) if (0..=i64::from(u32::MAX)).contains(&l) => Ok(l),
            _ => self.invalid("a line number out of range"),
        }
    }

    fn arcs(&mut self) -> Result<Vec<Arc>, WireError> {
        let n = self.len(2)?;
        let mut out = Vec::with_capacity(n);
        let mut prev = 0i64;
        for _ in 0..n {
            let from = prev
                .checked_add(self.i()?)
                .and_then(|v| i32::try_from(v).ok());
            let Some(from) = from else {
                return self.invalid("an arc's line out of range");
            };
            let to = i64::from(from)
                .checked_add(self.i()?)
                .and_then(|v| i32::try_from(v).ok());
            let Some(to) = to else {
                return self.invalid("an arc's destination out of range");
            };
            prev = from.into();
            out.push(Arc { from, to });
        }
        Ok(out)
    }

    fn source(&mut self) -> Result<Source, WireError> {
        let at = self.pos;
        let format = intern(self.str()?).ok_or(WireError::Invalid {
            at,
            what: "too many different format names",
        })?;
        let at = self.pos;
        let tool = tool_of(self.byte()?).ok_or(WireError::Invalid {
            at,
            what: "unknown tool",
        })?;
        let format_version = self.opt_string()?;
        let tool_version = self.opt_string()?;
        let timestamp = self.opt_string()?;
        let flags = self.byte()?;
        if flags > 15 {
            return self.invalid("unknown source flags");
        }
        Ok(Source {
            format,
            tool,
            format_version,
            tool_version,
            timestamp,
            branch_coverage: flags & 1 != 0,
            show_contexts: flags & 2 != 0,
            summary_only: flags & 4 != 0,
            hit_counts: flags & 8 != 0,
        })
    }

    fn counts(&mut self) -> Result<Counts, WireError> {
        let files = self.u()?;
        let mask = self.u()?;
        if mask >> 12 != 0 {
            return self.invalid("unknown counts");
        }
        let mut t = [Tally::default(); 10];
        for (i, slot) in t.iter_mut().enumerate() {
            if mask & (1 << i) != 0 {
                *slot = Tally::new(self.u()?, self.u()?);
            }
        }
        let excluded = if mask & (1 << 10) != 0 { self.u()? } else { 0 };
        let partial_branches = if mask & (1 << 11) != 0 { self.u()? } else { 0 };
        let [statements, lines, branches, functions, regions, instantiations, instructions, methods, classes, complexity] =
            t;
        Ok(Counts {
            files,
            statements,
            lines,
            branches,
            functions,
            regions,
            instantiations,
            instructions,
            methods,
            classes,
            complexity,
            excluded,
            partial_branches,
        })
    }

    fn file(&mut self, table: &[String], budget: &mut usize) -> Result<FileCoverage, WireError> {
        let path = self.string()?;
        let counts = self.counts()?;
        let executed_lines = self.lines()?;
        let n = self.len(1)?;
        let mut line_hits = Vec::with_capacity(n);
        for _ in 0..n {
            line_hits.push(self.u()?);
        }
        let missing_lines = self.lines()?;
        let excluded_lines = self.lines()?;
        let executed_branches = self.arcs()?;
        let missing_branches = self.arcs()?;
        let n = self.len(3)?;
        let mut line_branches = Vec::with_capacity(n);
        let mut prev = 0i64;
        for _ in 0..n {
            prev = self.next_line(prev)?;
            line_branches.push(LineBranches {
                line: prev as u32,
                taken: self.u32()?,
                total: self.u32()?,
            });
        }
        let n = self.len(2)?;
        let mut contexts = Vec::with_capacity(n);
        let mut prev = 0i64;
        for _ in 0..n {
            prev = self.next_line(prev)?;
            let k = self.len(1)?;
            let mut names = Vec::with_capacity(k);
            for _ in 0..k {
                let at = self.pos;
                let i = usize::try_from(self.u()?).unwrap_or(usize::MAX);
                let Some(name) = table.get(i) else {
                    return Err(WireError::Invalid {
                        at,
                        what: "a context index past the table",
                    });
                };
                *budget = match budget.checked_sub(name.len() + 1) {
                    Some(b) => b,
                    None => return self.invalid("more context text than a buffer can hold"),
                };
                names.push(name.clone());
            }
            contexts.push((prev as u32, names));
        }
        let n = self.len(6)?;
        let mut regions = Vec::with_capacity(n);
        for _ in 0..n {
            let kind = match self.byte()? {
                0 => RegionKind::Function,
                1 => RegionKind::Class,
                _ => return self.invalid("unknown region kind"),
            };
            let name = self.string()?;
            let flags = self.byte()?;
            if flags > 3 {
                return self.invalid("unknown region flags");
            }
            let start_line = if flags & 1 != 0 {
                Some(self.u32()?)
            } else {
                None
            };
            let hits = if flags & 2 != 0 {
                Some(self.u()?)
            } else {
                None
            };
            let counts = self.counts()?;
            let missing_lines = self.lines()?;
            regions.push(Region {
                kind,
                name,
                start_line,
                hits,
                counts,
                missing_lines,
            });
        }
        Ok(FileCoverage {
            path,
            counts,
            executed_lines,
            line_hits,
            missing_lines,
            excluded_lines,
            executed_branches,
            missing_branches,
            line_branches,
            contexts,
            regions,
        })
    }
}

/// [`Source::format`] is a `&'static str` naming the reader's format: a decoded name is
/// kept once for the life of the program. At most 64 different names are ever kept (covgap
/// has about a dozen formats), so a hostile buffer cannot make memory grow without end.
fn intern(s: &str) -> Option<&'static str> {
    use std::sync::Mutex;
    static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());
    let mut names = NAMES.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&n) = names.iter().find(|&&n| n == s) {
        return Some(n);
    }
    if names.len() >= 64 {
        return None;
    }
    let leaked: &'static str = Box::leak(s.to_string().into_boxed_str());
    names.push(leaked);
    Some(leaked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Report {
        let mut src = Source::new("coverage.py-json", Tool::CoveragePy);
        src.tool_version = Some("7.17.3".into());
        src.branch_coverage = true;
        src.show_contexts = true;
        Report {
            source: src,
            metrics: vec![Metric::Combined, Metric::Statements, Metric::Branches],
            root: Some("/build/".into()),
            files: vec![FileCoverage {
                path: "src/a.py".into(),
                counts: Counts {
                    excluded: 2,
                    partial_branches: 1,
                    ..Counts::coveragepy(10, 7, 4, 3)
                },
                executed_lines: vec![1, 2, 3, 9, 10, 11, 40],
                missing_lines: vec![4, 5, 60],
                excluded_lines: vec![7, 8],
                executed_branches: vec![Arc { from: 3, to: 9 }, Arc { from: 11, to: -1 }],
                missing_branches: vec![Arc { from: 3, to: 4 }],
                contexts: vec![(1, vec!["t1".into(), "".into()]), (2, vec!["t1".into()])],
                regions: vec![Region {
                    kind: RegionKind::Class,
                    name: "A".into(),
                    start_line: Some(3),
                    hits: None,
                    counts: Counts::coveragepy(3, 2, 0, 0),
                    missing_lines: vec![4],
                }],
                ..FileCoverage::default()
            }],
            declared_totals: Some(Counts::coveragepy(10, 7, 4, 3)),
            warnings: vec!["w".into()],
        }
    }

    #[test]
    fn round_trips_and_refuses_damage() {
        let r = sample();
        let b = encode(&r);
        assert_eq!(decode(&b), Ok(r.clone()));
        let mut d = Decoder::new(&b[..]).unwrap();
        assert_eq!(d.files_total(), 1);
        assert!(d.step(1).unwrap());
        assert_eq!(d.finish(), Ok(r));
        assert_eq!(decode(b"nope"), Err(WireError::BadMagic));
        let mut v = b.clone();
        v[4] = 9;
        assert!(matches!(
            decode(&v),
            Err(WireError::Version { found: 9, .. })
        ));
        for cut in 0..b.len() {
            assert!(decode(&b[..cut]).is_err(), "cut at {cut}");
        }
        let mut long = b.clone();
        long.push(0);
        assert_eq!(decode(&long), Err(WireError::Trailing(1)));
    }
}
