//! LCOV tracefiles: genhtml's input, written by geninfo (`lcov --capture`), Istanbul (nyc,
//! c8, Jest, Vitest), coverage.py (`coverage lcov`), llvm-cov (`llvm-cov export
//! -format=lcov`, `cargo llvm-cov --lcov`), grcov and others.
//!
//! Read as lcov 1.16's `genhtml` and `lcov --summary` read it (`read_info_file`), in one pass
//! over the bytes:
//!
//! - records of the same `SF:` path are merged: `DA` hits are added per line, a line counts
//!   once; `FN`/`FNDA` are merged by function name within the file; `BRDA` by (line, block,
//!   branch), where `-` plus a count gives the count;
//! - a file whose records have no `DA` line is left out, with its functions and branches;
//! - `LF`/`LH`, `FNF`/`FNH`, `BRF`/`BRH` are not used for the figures: they are counted from
//!   the records, as lcov and genhtml do. Where a file's own lines say otherwise (llvm-cov
//!   writes its own summary there, older coverage.py counts lines that are not
//!   statements), the report says so in a warning and keeps them in `declared_totals`.
//!
//! The newer record forms of lcov 2 are read as lcov 2 reads them: `FN:start,end,name`
//! (coverage.py 7.6.2+), `FNL`/`FNA` (lcov 2.2+), and `BRDA` branch ids that are text
//! (coverage.py's `jump to line 55`). See `docs/formats/lcov.md`.
//!
//! For speed, records go into three shared lists (lines, branches, functions) and each
//! record remembers its ranges: a file written in one record (the usual case) is then
//! summarised from its ranges in place, with no list of its own to grow. Functions are
//! merged by name once per file, at the end, by sorting; while reading, an `FNDA` finds
//! its `FN` where writers put it (right before it, or in the same order), so names are
//! hashed only when a writer lists them some other way.

use crate::error::{ErrorKind, ParseError};
use crate::model::{
    Counts, FileCoverage, LineBranches, Metric, Region, RegionKind, Report, Source, Tally,
};
use crate::rules::Tool;
use std::collections::HashMap;

/// Name of this format in [`Source::format`].
pub const FORMAT: &str = "lcov";

/// How many examples a warning quotes.
const SHOW: usize = 3;

/// A block or branch id of a `BRDA` record: a number (gcc, Istanbul, llvm-cov) or text
/// (coverage.py 7.6.2+ writes `jump to line 55`; lcov 2 allows expressions).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Id<'a> {
    Num(u64),
    Text(&'a str),
}

impl<'a> Id<'a> {
    fn of(s: &'a str) -> Id<'a> {
        match digits(s.as_bytes()) {
            Some(n) => Id::Num(n),
            None => Id::Text(s),
        }
    }
}

/// One `BRDA` record: `taken` is `None` for `-` (the branch was never reached).
#[derive(Clone, Copy, Debug)]
struct Branch<'a> {
    line: u32,
    block: Id<'a>,
    branch: Id<'a>,
    taken: Option<u64>,
}

impl<'a> Branch<'a> {
    fn key(&self) -> (u32, Id<'a>, Id<'a>) {
        (self.line, self.block, self.branch)
    }
}

/// A function as one record lists it (`FN`, `FNDA`, `FNA`); merged by name per file later.
#[derive(Clone, Copy)]
struct Function<'a> {
    name: &'a str,
    line: Option<u32>,
    hits: u64,
}

/// The summary lines a file's records declared (`LF`, `LH`, …), summed over its records.
#[derive(Clone, Copy, Default)]
struct Declared {
    lf: Option<u64>,
    lh: Option<u64>,
    fnf: Option<u64>,
    fnh: Option<u64>,
    brf: Option<u64>,
    brh: Option<u64>,
}

impl Declared {
    fn any(&self) -> bool {
        [self.lf, self.lh, self.fnf, self.fnh, self.brf, self.brh]
            .iter()
            .any(Option::is_some)
    }

    fn add(&mut self, other: &Declared) {
        for (sum, v) in [
            (&mut self.lf, other.lf),
            (&mut self.lh, other.lh),
            (&mut self.fnf, other.fnf),
            (&mut self.fnh, other.fnh),
            (&mut self.brf, other.brf),
            (&mut self.brh, other.brh),
        ] {
            if let Some(v) = v {
                add(sum, v);
            }
        }
    }
}

fn add(slot: &mut Option<u64>, v: u64) {
    *slot = Some(slot.unwrap_or(0).saturating_add(v));
}

/// One `SF:` … `end_of_record` record: its ranges in the shared lists.
struct Record {
    file: usize,
    /// 1-based line of its `SF:`.
    from: usize,
    lines: (usize, usize),
    branches: (usize, usize),
    functions: (usize, usize),
}

/// One `SF:` path: its records and what they declared.
struct Acc<'a> {
    path: &'a str,
    first: usize,
    more: Vec<usize>,
    declared: Declared,
}

/// The record being read.
struct Open<'a> {
    rec: usize,
    /// Where the last `FN` went and where the next `FNDA` most likely is: writers list
    /// `FNDA` right after its `FN` (coverage.py) or all `FNDA` in the order of the `FN`
    /// lines (Istanbul, llvm-cov).
    last_fn: usize,
    next_fnda: usize,
    /// Names of this record's functions, built only when a writer lists them otherwise.
    names: Option<HashMap<&'a str, usize>>,
    /// lcov 2.2's `FNL` index → start line.
    fnl: HashMap<u64, u32>,
}

/// Lines of one kind of problem: how many, and the first few (line number, text).
#[derive(Default)]
struct Sample {
    count: usize,
    first: Vec<(usize, String)>,
}

impl Sample {
    fn note(&mut self, lineno: usize, text: &str) {
        self.count += 1;
        if self.first.len() < SHOW {
            let mut t: String = text.chars().take(60).collect();
            if t.len() < text.len() {
                t.push('…');
            }
            self.first.push((lineno, t));
        }
    }

    fn quoted(&self) -> String {
        let mut s = self
            .first
            .iter()
            .map(|(l, t)| format!("line {l}: {t:?}"))
            .collect::<Vec<_>>()
            .join("; ");
        if self.count > self.first.len() {
            s.push_str(&format!("; and {} more", self.count - self.first.len()));
        }
        s
    }
}

/// Problems met while reading, each reported once.
#[derive(Default)]
struct Issues {
    /// Lines that are not LCOV or whose numbers do not parse.
    malformed: Sample,
    /// Data before any `SF:` or after `end_of_record`.
    outside: Sample,
    /// `SF:` while the record before is still open (no `end_of_record`).
    unclosed: Sample,
    /// Negative counts, read as 0 (lcov does the same).
    negative: Sample,
    /// Counts beyond 2^64, read as the largest count.
    huge: Sample,
    /// `DA` on line 0.
    da_line0: Sample,
    /// `BRDA` on line 0 (coverage.py before 7.6.2).
    brda_line0: Sample,
}

/// Everything read, before files are summarised.
#[derive(Default)]
struct Data<'a> {
    accs: Vec<Acc<'a>>,
    records: Vec<Record>,
    lines: Vec<(u32, u64)>,
    branches: Vec<Branch<'a>>,
    functions: Vec<Function<'a>>,
}

impl<'a> Data<'a> {
    /// `FN`/`FNA`: a function of the open record.
    fn define(&mut self, o: &mut Open<'a>, name: &'a str, line: u32, hits: u64) {
        let i = self.functions.len();
        self.functions.push(Function {
            name,
            line: Some(line),
            hits,
        });
        if let Some(m) = o.names.as_mut() {
            m.entry(name).or_insert(i);
        }
        o.last_fn = i;
    }

    /// `FNDA`: adds `hits` to the open record's function `name`, found where writers put
    /// it; a name the record has no `FN` for is listed without a line (lcov 1.16 counts
    /// it too).
    fn hit(&mut self, o: &mut Open<'a>, name: &'a str, hits: u64) {
        let start = self.records.get(o.rec).map_or(0, |r| r.functions.0);
        let found = [o.next_fnda, o.last_fn]
            .into_iter()
            .find(|&h| h >= start && self.functions.get(h).is_some_and(|f| f.name == name))
            .or_else(|| {
                let fns = &self.functions;
                let m = o.names.get_or_insert_with(|| {
                    let mut m = HashMap::new();
                    for (i, f) in fns.iter().enumerate().skip(start) {
                        m.entry(f.name).or_insert(i);
                    }
                    m
                });
                m.get(name).copied()
            });
        let i = match found {
            Some(i) => i,
            None => {
                let i = self.functions.len();
                self.functions.push(Function {
                    name,
                    line: None,
                    hits: 0,
                });
                if let Some(m) = o.names.as_mut() {
                    m.insert(name, i);
                }
                i
            }
        };
        if let Some(f) = self.functions.get_mut(i) {
            f.hits = f.hits.saturating_add(hits);
        }
        o.next_fnda = i + 1;
    }

    /// Closes the open record: its ranges end here.
    fn close(&mut self, o: Open) {
        let (l, b, f) = (self.lines.len(), self.branches.len(), self.functions.len());
        if let Some(r) = self.records.get_mut(o.rec) {
            r.lines.1 = l;
            r.branches.1 = b;
            r.functions.1 = f;
        }
    }
}

/// The reading state.
#[derive(Default)]
struct Reader<'a> {
    data: Data<'a>,
    by_path: HashMap<&'a str, usize>,
    open: Option<Open<'a>>,
    issues: Issues,
}

/// Reads `text` (named `name` in messages); `warnings` are what was noticed before.
pub(crate) fn parse(
    name: &str,
    text: &str,
    mut warnings: Vec<String>,
) -> Result<Report, ParseError> {
    let mut rd = Reader::default();
    // Room for the line records at once (each takes at least 8 bytes of text, most 10 to
    // 16), so the largest list rarely moves while it fills.
    rd.data.lines.reserve(text.len() / 16);
    rd.data.branches.reserve(text.len() / 128);
    rd.data.functions.reserve(text.len() / 128);
    let mut lineno = 0usize;

    let bytes = text.as_bytes();
    let mut start = 0usize;
    while start <= bytes.len() {
        // The common lines inside a record (`DA`, numeric `BRDA`, `FN`, `FNDA`) read in one
        // go; anything else about them (a checksum, `\r`, line 0, an odd number, text
        // branch ids) takes the general way.
        if let Some(o) = rd.open.as_mut() {
            if let Some((l, hits, next)) = da_fast(bytes, start) {
                lineno += 1;
                rd.data.lines.push((l, hits));
                start = next;
                continue;
            }
            if let Some((branch, next)) = brda_fast(text, start) {
                lineno += 1;
                rd.data.branches.push(branch);
                start = next;
                continue;
            }
            if let Some((f, next)) = fn_fast(text, start) {
                lineno += 1;
                match f {
                    FnLine::Fn(l, fname) => rd.data.define(o, fname, l, 0),
                    FnLine::Fnda(hits, fname) => rd.data.hit(o, fname, hits),
                }
                start = next;
                continue;
            }
        }
        let end = line_end(bytes, start);
        let raw = text.get(start..end).unwrap_or_default();
        start = end + 1;
        lineno += 1;
        let line = raw.trim_ascii();
        if line.is_empty() {
            continue;
        }
        rd.general(lineno, line);
    }

    if let Some(o) = rd.open.take() {
        let rec = rd.data.records.get(o.rec);
        let path = rec
            .and_then(|r| rd.data.accs.get(r.file))
            .map_or("", |a| a.path);
        let from = rec.map_or(0, |r| r.from);
        let last = last_line(text);
        if !text.trim_end_matches([' ', '\t', '\r']).ends_with('\n') {
            return Err(ParseError::new(
                name,
                ErrorKind::Truncated(format!(
                    "the last record, SF:{path} from line {from}, stops in the middle of line \
                     {} ({:?}) without end_of_record",
                    last.0, last.1
                )),
            )
            .at_line(last.0));
        }
        warnings.push(format!(
            "the last record, SF:{path} from line {from}, has no end_of_record: the file may \
             have been cut short after line {}. covgap read the record as far as it goes \
             (genhtml 1.16 would leave it out)",
            last.0
        ));
        rd.data.close(o);
    }
    if rd.data.records.is_empty() {
        return Err(ParseError::new(
            name,
            ErrorKind::NotAReport(
                "it has no SF: records; an LCOV tracefile gives each file's coverage between \
                 SF:<path> and end_of_record"
                    .into(),
            ),
        ));
    }

    build(rd.data, rd.issues, warnings)
}

impl<'a> Reader<'a> {
    /// Any line but the common ones [`parse`] reads in one go.
    fn general(&mut self, lineno: usize, line: &'a str) {
        let lb = line.as_bytes();
        let (tag, skip) = tag(lb);
        let rb = lb.get(skip..).unwrap_or_default();
        let r = line.get(skip..).unwrap_or_default();

        // Data before any SF: (or after end_of_record) belongs to no file.
        if tag.is_data() && self.open.is_none() {
            self.issues.outside.note(lineno, line);
            return;
        }
        match tag {
            Tag::Da => match da(rb) {
                Some((l, n)) => {
                    let hits = checked(n, &mut self.issues, lineno, line);
                    if l == 0 {
                        self.issues.da_line0.note(lineno, line);
                    }
                    self.data.lines.push((l, hits));
                }
                None => self.issues.malformed.note(lineno, line),
            },
            Tag::Brda => match brda(r) {
                Some((l, block, branch, taken)) => {
                    let taken = taken.map(|n| checked(n, &mut self.issues, lineno, line));
                    if l == 0 {
                        self.issues.brda_line0.note(lineno, line);
                    }
                    self.data.branches.push(Branch {
                        line: l,
                        block,
                        branch,
                        taken,
                    });
                }
                None => self.issues.malformed.note(lineno, line),
            },
            Tag::Fnda => match (self.open.as_mut(), fnda(r)) {
                (Some(o), Some((n, fname))) => {
                    let hits = checked(n, &mut self.issues, lineno, line);
                    self.data.hit(o, fname, hits);
                }
                _ => self.issues.malformed.note(lineno, line),
            },
            Tag::Fn => match (self.open.as_mut(), func(r)) {
                (Some(o), Some((l, fname))) => self.data.define(o, fname, l, 0),
                _ => self.issues.malformed.note(lineno, line),
            },
            Tag::Sf => {
                if let Some(o) = self.open.take() {
                    let was = self
                        .data
                        .records
                        .get(o.rec)
                        .and_then(|r| self.data.accs.get(r.file))
                        .map_or("", |a| a.path);
                    let from = self.data.records.get(o.rec).map_or(0, |r| r.from);
                    self.issues.unclosed.note(
                        lineno,
                        &format!("SF:{was} from line {from} has no end_of_record"),
                    );
                    self.data.close(o);
                }
                if r.is_empty() {
                    self.issues.malformed.note(lineno, line);
                    return;
                }
                let rec = self.data.records.len();
                let file = match self.by_path.get(r) {
                    Some(&f) => {
                        if let Some(acc) = self.data.accs.get_mut(f) {
                            acc.more.push(rec);
                        }
                        f
                    }
                    None => {
                        let f = self.data.accs.len();
                        self.data.accs.push(Acc {
                            path: r,
                            first: rec,
                            more: Vec::new(),
                            declared: Declared::default(),
                        });
                        self.by_path.insert(r, f);
                        f
                    }
                };
                let (l, b, f) = (
                    self.data.lines.len(),
                    self.data.branches.len(),
                    self.data.functions.len(),
                );
                self.data.records.push(Record {
                    file,
                    from: lineno,
                    lines: (l, l),
                    branches: (b, b),
                    functions: (f, f),
                });
                self.open = Some(Open {
                    rec,
                    last_fn: f,
                    next_fnda: f,
                    names: None,
                    fnl: HashMap::new(),
                });
            }
            Tag::End => match self.open.take() {
                Some(o) => self.data.close(o),
                None => self.issues.outside.note(lineno, line),
            },
            Tag::Summary(which) => {
                let acc = self
                    .open
                    .as_ref()
                    .and_then(|o| self.data.records.get(o.rec))
                    .and_then(|rec| self.data.accs.get_mut(rec.file));
                match (acc, digits(rb)) {
                    (Some(acc), Some(v)) => {
                        let d = &mut acc.declared;
                        add(
                            match which {
                                Summary::Lf => &mut d.lf,
                                Summary::Lh => &mut d.lh,
                                Summary::Fnf => &mut d.fnf,
                                Summary::Fnh => &mut d.fnh,
                                Summary::Brf => &mut d.brf,
                                Summary::Brh => &mut d.brh,
                            },
                            v,
                        );
                    }
                    _ => self.issues.malformed.note(lineno, line),
                }
            }
            // lcov 2.2+: FNL:<index>,<start>[,<end>] then FNA:<index>,<count>,<name>.
            Tag::Fnl => match (self.open.as_mut(), fn_location(r)) {
                (Some(o), Some((i, l))) => {
                    o.fnl.insert(i, l);
                }
                _ => self.issues.malformed.note(lineno, line),
            },
            Tag::Fna => {
                let Some(o) = self.open.as_mut() else {
                    return;
                };
                match fn_alias(r).and_then(|(i, n, f)| Some((*o.fnl.get(&i)?, n, f))) {
                    Some((l, n, fname)) => {
                        let hits = checked(n, &mut self.issues, lineno, line);
                        self.data.define(o, fname, l, hits);
                    }
                    None => self.issues.malformed.note(lineno, line),
                }
            }
            // Test names, lcov 2's source versions, MC/DC records and comments carry
            // nothing covgap shows.
            Tag::Ignored => {}
            Tag::Other => self.issues.malformed.note(lineno, line),
        }
    }
}

/// `DA:<line>,<count>\n` at `pos`, digits only, line above 0: (line, count, next line's
/// start). `None` for anything else, which the general reading then handles.
#[inline]
fn da_fast(b: &[u8], pos: usize) -> Option<(u32, u64, usize)> {
    let [b'D', b'A', b':', rest @ ..] = b.get(pos..)? else {
        return None;
    };
    let (line, i) = number_until(rest, 0, b',')?;
    let line = u32::try_from(line).ok().filter(|&l| l > 0)?;
    let (hits, i) = number_until(rest, i, b'\n')?;
    Some((line, hits, pos + 3 + i))
}

/// A function line read by [`fn_fast`].
enum FnLine<'a> {
    Fn(u32, &'a str),
    Fnda(u64, &'a str),
}

/// `FN:<line>,[<end>,]<name>\n` or `FNDA:<count>,<name>\n` at `pos`, numbers plain and
/// the name without surrounding blanks: the function and the next line's start. `None`
/// for anything else, which the general reading then handles. The numbers are read up to
/// their comma and only the name is searched for the line's end, so each byte is looked
/// at once.
fn fn_fast(text: &str, pos: usize) -> Option<(FnLine<'_>, usize)> {
    let b = text.as_bytes();
    let (fnda, skip) = match b.get(pos..)? {
        [b'F', b'N', b'D', b'A', b':', ..] => (true, 5),
        [b'F', b'N', b':', ..] => (false, 3),
        _ => return None,
    };
    let at = pos + skip;
    let rb = b.get(at..)?;
    // Where the name starts, and the number before it.
    let (num, i) = if fnda {
        number_until(rb, 0, b',')?
    } else {
        // `FN:<start>,<name>` or lcov 2's `FN:<start>,<end>,<name>`, as [`func`] reads
        // them: an end only when a name follows it.
        let (start, i) = line_until(rb, 0, b',')?;
        let i = match line_until(rb, i, b',') {
            Some((_, j)) if !matches!(rb.get(j), None | Some(b'\n')) => j,
            _ => i,
        };
        (u64::from(start), i)
    };
    let from = at + i;
    let end = line_end(b, from);
    let name = text.get(from..end)?;
    let nb = name.as_bytes();
    if matches!(nb.last(), None | Some(b' ' | b'\t' | b'\r')) {
        return None;
    }
    let f = if fnda {
        if matches!(nb.first(), Some(b' ' | b'\t')) {
            return None;
        }
        FnLine::Fnda(num, name)
    } else {
        FnLine::Fn(u32::try_from(num).ok()?, name)
    };
    Some((f, end + 1))
}

/// A line number up to `sep` from `i`, as [`line_no`] takes it (1 to 10 digits, fitting
/// a u32): (value, index after `sep`).
fn line_until(b: &[u8], i: usize, sep: u8) -> Option<(u32, usize)> {
    let (v, j) = number_until(b, i, sep)?;
    if j - i > 11 {
        return None;
    }
    Some((u32::try_from(v).ok()?, j))
}

/// Where the line from `pos` ends (its `\n`, or the end of the text): eight bytes at a
/// time for the first 64 (record lines are short), then a vector search for long ones.
fn line_end(b: &[u8], pos: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let mut i = pos;
    while i < pos + 64 {
        let Some(chunk) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) else {
            break;
        };
        let w = u64::from_le_bytes(*chunk) ^ NL;
        // The lowest byte of `w` that is zero sets its high bit here (bytes above it may
        // be set wrongly; they are never looked at).
        let zero = w.wrapping_sub(ONES) & !w & HIGH;
        if zero != 0 {
            return i + (zero.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    let far = b.get(i..).unwrap_or_default();
    memchr::memchr(b'\n', far).map_or(b.len(), |j| i + j)
}

/// Digits up to `sep` from `i`: (value, index after `sep`); `None` unless all digits, at
/// least one, and the value fits. Up to 19 digits cannot overflow, so they are summed
/// without checks; longer runs are summed again with them.
#[inline]
fn number_until(b: &[u8], i: usize, sep: u8) -> Option<(u64, usize)> {
    let mut j = i;
    let mut v: u64 = 0;
    while let Some(&c) = b.get(j) {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        v = v.wrapping_mul(10).wrapping_add(u64::from(d));
        j += 1;
    }
    if j == i || b.get(j) != Some(&sep) {
        return None;
    }
    if j - i > 19 {
        v = digits_checked(b.get(i..j)?)?;
    }
    Some((v, j + 1))
}

/// Digits as a number, `None` if it does not fit.
#[cold]
fn digits_checked(b: &[u8]) -> Option<u64> {
    b.iter().try_fold(0u64, |v, &c| {
        v.checked_mul(10)?
            .checked_add(u64::from(c.wrapping_sub(b'0')))
    })
}

/// `BRDA:<line>,<block>,<branch>,<taken>\n` at `pos`, line above 0 and `taken` plain
/// digits or `-`: the branch and the next line's start. Numeric ids (gcc, Istanbul,
/// llvm-cov) are read in one go; text ones (coverage.py's `jump to line 55`) as the
/// general reading splits them. `None` for anything else, which the general reading then
/// handles.
fn brda_fast(text: &str, pos: usize) -> Option<(Branch<'_>, usize)> {
    let b = text.as_bytes();
    let [b'B', b'R', b'D', b'A', b':', rest @ ..] = b.get(pos..)? else {
        return None;
    };
    let (line, i) = number_until(rest, 0, b',')?;
    let line = u32::try_from(line).ok().filter(|&l| l > 0)?;
    if let Some(fast) = brda_numeric(rest, i) {
        let (block, branch, taken, next) = fast;
        return Some((
            Branch {
                line,
                block: Id::Num(block),
                branch: Id::Num(branch),
                taken,
            },
            pos + 5 + next,
        ));
    }
    // Text ids: the block up to the next comma, the branch up to the last one (and the
    // line number no longer than the general reading takes).
    if i > 11 {
        return None;
    }
    let at = pos + 5 + i;
    let end = line_end(b, at);
    if end >= b.len() {
        return None;
    }
    let ids = b.get(at..end)?;
    let c1 = find(ids, b',')?;
    let c2 = ids.iter().rposition(|&c| c == b',')?;
    if c1 == 0 || c2 <= c1 + 1 {
        return None;
    }
    let taken = match ids.get(c2 + 1..)? {
        b"-" => None,
        t => Some(digits(t)?),
    };
    let block = text.get(at..at + c1)?;
    let branch = text.get(at + c1 + 1..at + c2)?;
    Some((
        Branch {
            line,
            block: Id::of(block),
            branch: Id::of(branch),
            taken,
        },
        end + 1,
    ))
}

/// `<block>,<branch>,<taken>\n` from `i`, both ids plain numbers: (block, branch, taken,
/// index after the `\n`).
fn brda_numeric(rest: &[u8], i: usize) -> Option<(u64, u64, Option<u64>, usize)> {
    let (block, i) = number_until(rest, i, b',')?;
    let (branch, i) = number_until(rest, i, b',')?;
    let (taken, i) = match rest.get(i..)? {
        [b'-', b'\n', ..] => (None, i + 2),
        _ => {
            let (t, i) = number_until(rest, i, b'\n')?;
            (Some(t), i)
        }
    };
    Some((block, branch, taken, i))
}

/// The last line of `text` that is not blank, and its 1-based number.
fn last_line(text: &str) -> (usize, &str) {
    let t = text.trim_end();
    let (n, line) = match t.rfind('\n') {
        Some(i) => (
            memchr::memchr_iter(b'\n', t.as_bytes()).count() + 1,
            t.get(i + 1..).unwrap_or_default(),
        ),
        None => (1, t),
    };
    (n, line.trim_ascii())
}

#[derive(Clone, Copy)]
enum Summary {
    Lf,
    Lh,
    Fnf,
    Fnh,
    Brf,
    Brh,
}

/// What a line is, by its tag.
#[derive(Clone, Copy)]
enum Tag {
    Da,
    Brda,
    Fnda,
    Fn,
    Sf,
    End,
    Summary(Summary),
    Fnl,
    Fna,
    Ignored,
    Other,
}

impl Tag {
    /// Whether the line belongs inside a record.
    fn is_data(self) -> bool {
        matches!(
            self,
            Tag::Da | Tag::Brda | Tag::Fnda | Tag::Fn | Tag::Summary(_) | Tag::Fnl | Tag::Fna
        )
    }
}

/// The tag of a line and the length of its prefix, compared byte by byte.
fn tag(b: &[u8]) -> (Tag, usize) {
    match b {
        [b'D', b'A', b':', ..] => (Tag::Da, 3),
        [b'B', b'R', b'D', b'A', b':', ..] => (Tag::Brda, 5),
        [b'F', b'N', b'D', b'A', b':', ..] => (Tag::Fnda, 5),
        [b'F', b'N', b':', ..] => (Tag::Fn, 3),
        [b'S' | b'K', b'F', b':', ..] => (Tag::Sf, 3),
        [b'e', b'n', b'd', b'_', b'o', b'f', b'_', b'r', b'e', b'c', b'o', b'r', b'd', ..] => {
            (Tag::End, 13)
        }
        [b'L', b'F', b':', ..] => (Tag::Summary(Summary::Lf), 3),
        [b'L', b'H', b':', ..] => (Tag::Summary(Summary::Lh), 3),
        [b'F', b'N', b'F', b':', ..] => (Tag::Summary(Summary::Fnf), 4),
        [b'F', b'N', b'H', b':', ..] => (Tag::Summary(Summary::Fnh), 4),
        [b'B', b'R', b'F', b':', ..] => (Tag::Summary(Summary::Brf), 4),
        [b'B', b'R', b'H', b':', ..] => (Tag::Summary(Summary::Brh), 4),
        [b'F', b'N', b'L', b':', ..] => (Tag::Fnl, 4),
        [b'F', b'N', b'A', b':', ..] => (Tag::Fna, 4),
        [b'T', b'N', b':', ..]
        | [b'V', b'E', b'R', b':', ..]
        | [b'M', b'C', b'D', b'C', b':', ..]
        | [b'#', ..] => (Tag::Ignored, 0),
        _ => (Tag::Other, 0),
    }
}

/// Where the first `c` is in `b`: a plain loop, faster than a vector search for the short
/// fields of a record.
fn find(b: &[u8], c: u8) -> Option<usize> {
    b.iter().position(|&x| x == c)
}

/// `s` split at the first `c` (an ASCII byte).
fn split(s: &str, c: u8) -> Option<(&str, &str)> {
    let i = find(s.as_bytes(), c)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// `s` split at the last `c` (an ASCII byte).
fn rsplit(s: &str, c: u8) -> Option<(&str, &str)> {
    let i = s.as_bytes().iter().rposition(|&x| x == c)?;
    Some((s.get(..i)?, s.get(i + 1..)?))
}

/// A count as a writer may put it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Num {
    Val(u64),
    /// Below zero (gcov's known bug with threads): lcov reads it as 0.
    Negative,
    /// Beyond 2^64 - 1.
    Huge,
}

/// The count `n` as a hit count, noting negative and huge ones.
fn checked(n: Num, issues: &mut Issues, lineno: usize, line: &str) -> u64 {
    match n {
        Num::Val(v) => v,
        Num::Negative => {
            issues.negative.note(lineno, line);
            0
        }
        Num::Huge => {
            issues.huge.note(lineno, line);
            u64::MAX
        }
    }
}

/// A plain unsigned decimal that fits in a u64.
fn digits(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 20 {
        return None;
    }
    let mut v: u64 = 0;
    for &d in b {
        if !d.is_ascii_digit() {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(v)
}

/// A line number: a plain decimal that fits in a u32.
fn line_no(b: &[u8]) -> Option<u32> {
    if b.len() > 10 {
        return None;
    }
    u32::try_from(digits(b)?).ok()
}

/// A hit count: digits, possibly negative, possibly too large, or a float as Perl writes
/// one when lcov itself summed large counts (`1.84467440737096e+19`).
fn count(b: &[u8]) -> Option<Num> {
    if b.is_empty() {
        return None;
    }
    let mut v: u64 = 0;
    let mut plain = true;
    for &d in b {
        if !d.is_ascii_digit() {
            plain = false;
            break;
        }
        match v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
        {
            Some(n) => v = n,
            None => {
                return if b.iter().all(u8::is_ascii_digit) {
                    Some(Num::Huge)
                } else {
                    None
                };
            }
        }
    }
    if plain {
        return Some(Num::Val(v));
    }
    if let Some(r) = b.strip_prefix(b"-") {
        if !r.is_empty() && r.iter().all(u8::is_ascii_digit) {
            return Some(Num::Negative);
        }
    }
    if b.len() <= 32
        && b.iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        let f: f64 = std::str::from_utf8(b).ok()?.parse().ok()?;
        return if !f.is_finite() {
            None
        } else if f < 0.0 {
            Some(Num::Negative)
        } else if f >= 18_446_744_073_709_551_615.0 {
            Some(Num::Huge)
        } else {
            // Any fraction above 0 is a hit, as Perl's `> 0` sees it.
            Some(Num::Val(f.ceil() as u64))
        };
    }
    None
}

/// `DA:<line>,<count>[,<checksum>]` after the tag.
fn da(b: &[u8]) -> Option<(u32, Num)> {
    let i = find(b, b',')?;
    let (l, rest) = (b.get(..i)?, b.get(i + 1..)?);
    let c = match find(rest, b',') {
        Some(j) => rest.get(..j)?,
        None => rest,
    };
    Some((line_no(l)?, count(c)?))
}

/// `BRDA:<line>,<block>,<branch>,<taken>` after the tag; the branch may be text holding
/// commas (lcov 2 expressions), so `taken` is after the last comma.
#[allow(clippy::type_complexity)]
fn brda(r: &str) -> Option<(u32, Id<'_>, Id<'_>, Option<Num>)> {
    let (l, rest) = split(r, b',')?;
    let (block, rest) = split(rest, b',')?;
    let (branch, taken) = rsplit(rest, b',')?;
    if block.is_empty() || branch.is_empty() {
        return None;
    }
    let taken = match taken {
        "-" => None,
        t => Some(count(t.as_bytes())?),
    };
    Some((line_no(l.as_bytes())?, Id::of(block), Id::of(branch), taken))
}

/// `FNDA:<count>,<name>` after the tag.
fn fnda(r: &str) -> Option<(Num, &str)> {
    let (n, fname) = split(r, b',')?;
    if fname.is_empty() {
        return None;
    }
    Some((count(n.as_bytes())?, fname))
}

/// `FN:<start>,<name>` or lcov 2's `FN:<start>,<end>,<name>` after the tag, read as lcov 2
/// reads it (`^FN:(\d+),((\d+),)?(.+)$`): the name may hold commas (C++ signatures).
fn func(r: &str) -> Option<(u32, &str)> {
    let (l, rest) = split(r, b',')?;
    let start = line_no(l.as_bytes())?;
    let fname = match split(rest, b',') {
        Some((e, n)) if !n.is_empty() && line_no(e.as_bytes()).is_some() => n,
        _ => rest,
    };
    (!fname.is_empty()).then_some((start, fname))
}

/// `FNL:<index>,<start>[,<end>]` after the tag.
fn fn_location(r: &str) -> Option<(u64, u32)> {
    let (i, rest) = split(r, b',')?;
    let start = match split(rest, b',') {
        Some((s, e)) => {
            line_no(e.as_bytes())?;
            s
        }
        None => rest,
    };
    Some((digits(i.as_bytes())?, line_no(start.as_bytes())?))
}

/// `FNA:<index>,<count>,<name>` after the tag.
fn fn_alias(r: &str) -> Option<(u64, Num, &str)> {
    let (i, rest) = split(r, b',')?;
    let (n, fname) = split(rest, b',')?;
    if fname.is_empty() {
        return None;
    }
    Some((digits(i.as_bytes())?, count(n.as_bytes())?, fname))
}

/// What the reader noticed about writers' own summary lines, for the warning.
#[derive(Default)]
struct Disagreement {
    files: usize,
    compared: usize,
    declared: [Tally; 3],
    counted: [Tally; 3],
    differs: [bool; 3],
    /// More functions listed (FN lines) than declared (llvm-cov's instantiations).
    per_instantiation: bool,
    /// More DA lines than LF (coverage.py before 7.6.2 lists non-statement lines).
    extra_lines: bool,
    /// Two functions of one file with the same name (lcov counts them once).
    same_name: Option<(String, String, u32, u32)>,
}

fn build(data: Data, mut issues: Issues, mut warnings: Vec<String>) -> Result<Report, ParseError> {
    let Data {
        accs,
        records,
        mut lines,
        mut branches,
        functions,
    } = data;
    let mut files = Vec::with_capacity(accs.len());
    let mut declared_sum = Declared::default();
    let mut dropped = (0usize, 0u64, 0u64, Vec::new());
    let mut dis = Disagreement::default();
    let mut line0_files = 0usize;
    let mut scratch = Scratch::default();
    for acc in &accs {
        let d = acc.declared;
        declared_sum.add(&d);
        // A file written in one record (the usual case) needs no list of its records.
        let one: [&Record; 1];
        let many: Vec<&Record>;
        let recs: &[&Record] = match (acc.more.is_empty(), records.get(acc.first)) {
            (true, Some(r)) => {
                one = [r];
                &one
            }
            _ => {
                many = std::iter::once(acc.first)
                    .chain(acc.more.iter().copied())
                    .filter_map(|r| records.get(r))
                    .collect();
                &many
            }
        };
        let n_lines: usize = recs.iter().map(|r| r.lines.1 - r.lines.0).sum();
        if n_lines == 0 {
            let n_fns: usize = recs.iter().map(|r| r.functions.1 - r.functions.0).sum();
            let n_brs: usize = recs.iter().map(|r| r.branches.1 - r.branches.0).sum();
            if n_fns + n_brs > 0 {
                dropped.0 += 1;
                dropped.1 += n_fns as u64;
                dropped.2 += n_brs as u64;
                if dropped.3.len() < SHOW {
                    dropped.3.push(format!("{:?}", acc.path));
                }
            }
            continue;
        }
        let f = file(
            acc.path,
            recs,
            &mut lines,
            &mut branches,
            &functions,
            &mut scratch,
            &mut line0_files,
        );
        if let (None, Some((n, a, b))) = (&dis.same_name, scratch.same_name) {
            dis.same_name = Some((acc.path.to_string(), n.to_string(), a, b));
        }
        if recs.len() == 1 && d.any() {
            dis.compared += 1;
            compare(&mut dis, &d, &f.counts, scratch.fn_lines);
        }
        files.push(f);
    }
    if line0_files == 0 {
        issues.brda_line0 = Sample::default();
    }

    report_issues(&issues, line0_files, &mut warnings);
    if dropped.0 > 0 {
        warnings.push(format!(
            "{} file{} had functions or branches but no line data (DA) and {} left out, as \
             genhtml leaves them out ({} functions, {} branches): {}",
            dropped.0,
            if dropped.0 == 1 { "" } else { "s" },
            if dropped.0 == 1 { "is" } else { "are" },
            dropped.1,
            dropped.2,
            dropped.3.join(", ")
        ));
    }
    if dis.files > 0 {
        warnings.push(disagreement(&dis));
    }
    if files.is_empty() {
        warnings.push(
            "no record has line data (DA lines), so there is nothing to show; genhtml refuses \
             such a tracefile"
                .into(),
        );
    }

    let totals: Counts = files.iter().map(|f| f.counts).sum();
    let mut metrics = vec![Metric::Lines];
    if totals.functions.total > 0 {
        metrics.push(Metric::Functions);
    }
    if totals.branches.total > 0 {
        metrics.push(Metric::Branches);
    }
    let declared_totals = declared_sum.any().then(|| {
        let t = |f: Option<u64>, h: Option<u64>| Tally::new(h.unwrap_or(0), f.unwrap_or(0));
        Counts {
            files: files.len() as u64,
            lines: t(declared_sum.lf, declared_sum.lh),
            functions: t(declared_sum.fnf, declared_sum.fnh),
            branches: t(declared_sum.brf, declared_sum.brh),
            ..Counts::default()
        }
    });
    Ok(Report {
        source: Source {
            branch_coverage: totals.branches.total > 0,
            hit_counts: true,
            ..Source::new(FORMAT, Tool::Lcov)
        },
        metrics,
        root: None,
        files,
        declared_totals,
        warnings,
    })
}

/// Compares one single-record file's declared summary with what its records give.
fn compare(dis: &mut Disagreement, d: &Declared, c: &Counts, names: u64) {
    let pairs = [
        (d.lf, d.lh, c.lines),
        (d.fnf, d.fnh, c.functions),
        (d.brf, d.brh, c.branches),
    ];
    let mut differs = false;
    for (i, (found, hit, counted)) in pairs.into_iter().enumerate() {
        let declared = Tally::new(
            hit.unwrap_or(counted.covered),
            found.unwrap_or(counted.total),
        );
        if let (Some(slot), Some(cslot), Some(flag)) = (
            dis.declared.get_mut(i),
            dis.counted.get_mut(i),
            dis.differs.get_mut(i),
        ) {
            *slot += declared;
            *cslot += counted;
            if declared != counted {
                *flag = true;
                differs = true;
            }
        }
    }
    if differs {
        dis.files += 1;
        if d.fnf.is_some_and(|f| names > f) {
            dis.per_instantiation = true;
        }
        if d.lf.is_some_and(|f| c.lines.total > f) {
            dis.extra_lines = true;
        }
    }
}

/// The warning for files whose own summary lines disagree with their records.
fn disagreement(dis: &Disagreement) -> String {
    let words = ["lines", "functions", "branches"];
    let show = |t: &[Tally; 3]| {
        (0..3)
            .filter(|&i| dis.differs.get(i).copied().unwrap_or(false))
            .filter_map(|i| {
                let (tally, w) = (t.get(i)?, words.get(i)?);
                Some(format!("{w} {} of {}", tally.covered, tally.total))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = format!(
        "{} of {} files declare totals (LF/LH, FNF/FNH, BRF/BRH) that differ from their own \
         DA, FN and BRDA records (declared: {}; counted: {}). covgap counts the records, as \
         lcov --summary and genhtml do; they ignore those lines",
        dis.files,
        dis.compared,
        show(&dis.declared),
        show(&dis.counted)
    );
    let mut why = Vec::new();
    if dis.per_instantiation {
        why.push(
            "llvm-cov writes its own summary there: it counts a line once for each function \
             that covers it, and FNF/FNH per source function while FN/FNDA list every \
             instantiation (so lcov's functions are llvm-cov's instantiations)"
                .to_string(),
        );
    }
    if dis.extra_lines {
        why.push(
            "coverage.py before 7.6.2 writes DA lines for executed lines that are not \
             statements (docstrings), which LF leaves out, and BRDA lines for each arc"
                .to_string(),
        );
    }
    if let Some((path, n, a, b)) = &dis.same_name {
        why.push(format!(
            "lcov counts functions by name, so two functions named {n:?} in {path:?} (lines \
             {a} and {b}) count as one"
        ));
    }
    if !why.is_empty() {
        s.push_str(&format!(" ({})", why.join("; ")));
    }
    s
}

fn report_issues(issues: &Issues, line0_files: usize, warnings: &mut Vec<String>) {
    let lines = |n: usize| if n == 1 { "line" } else { "lines" };
    let s = &issues.malformed;
    if s.count > 0 {
        warnings.push(format!(
            "{} {} could not be read as LCOV records and {} skipped ({})",
            s.count,
            lines(s.count),
            if s.count == 1 { "was" } else { "were" },
            s.quoted()
        ));
    }
    let s = &issues.outside;
    if s.count > 0 {
        warnings.push(format!(
            "{} {} stand outside any SF: … end_of_record record and {} skipped ({})",
            s.count,
            lines(s.count),
            if s.count == 1 { "was" } else { "were" },
            s.quoted()
        ));
    }
    let s = &issues.unclosed;
    if s.count > 0 {
        warnings.push(format!(
            "{} {} without end_of_record, where the next SF: begins ({}); each was read up to \
             there",
            s.count,
            if s.count == 1 {
                "record ends"
            } else {
                "records end"
            },
            s.quoted()
        ));
    }
    let s = &issues.negative;
    if s.count > 0 {
        warnings.push(format!(
            "{} negative {} read as 0, as lcov reads them ({}); gcc writes them when threads \
             update counters without -fprofile-update=atomic",
            s.count,
            if s.count == 1 {
                "count was"
            } else {
                "counts were"
            },
            s.quoted()
        ));
    }
    let s = &issues.huge;
    if s.count > 0 {
        warnings.push(format!(
            "{} {} larger than 18446744073709551615 and read as that ({})",
            s.count,
            if s.count == 1 {
                "count is"
            } else {
                "counts are"
            },
            s.quoted()
        ));
    }
    let s = &issues.da_line0;
    if s.count > 0 {
        warnings.push(format!(
            "{} DA {} on line 0, which no source file has ({}); they count as genhtml 1.16 \
             counts them",
            s.count,
            if s.count == 1 {
                "record is"
            } else {
                "records are"
            },
            s.quoted()
        ));
    }
    let s = &issues.brda_line0;
    if s.count > 0 {
        warnings.push(format!(
            "{} BRDA {} on line 0 in {} file{} ({}): coverage.py before 7.6.2 writes the \
             line a branch jumps to, and 0 when it leaves the function. They count in the \
             branch totals, as genhtml 1.16 counts them, but belong to no source line",
            s.count,
            if s.count == 1 {
                "record is"
            } else {
                "records are"
            },
            line0_files,
            if line0_files == 1 { "" } else { "s" },
            s.quoted()
        ));
    }
}

/// A quick hash of a function name, only to sort names (ties are compared in full, so
/// crafted collisions cost comparisons, never correctness).
fn quick_hash(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ s.len() as u64;
    let mut chunks = s.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(w)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    h
}

/// A function's own counts: none (LCOV counts hits per function only).
const NO_COUNTS: Counts = Counts {
    files: 0,
    statements: Tally::new(0, 0),
    lines: Tally::new(0, 0),
    branches: Tally::new(0, 0),
    functions: Tally::new(0, 0),
    regions: Tally::new(0, 0),
    instantiations: Tally::new(0, 0),
    instructions: Tally::new(0, 0),
    methods: Tally::new(0, 0),
    classes: Tally::new(0, 0),
    complexity: Tally::new(0, 0),
    excluded: 0,
    partial_branches: 0,
};

/// Lists reused from file to file, and what the last file's functions showed.
#[derive(Default)]
struct Scratch<'a> {
    lines: Vec<(u32, u64)>,
    branches: Vec<Branch<'a>>,
    order: Vec<usize>,
    keyed: Vec<(u64, usize)>,
    merged: Vec<(usize, Function<'a>)>,
    /// A name defined at two different lines in the last file: (name, line, other line).
    same_name: Option<(&'a str, u32, u32)>,
    /// The last file's functions that have an `FN` line.
    fn_lines: u64,
}

/// One file's coverage from its records' ranges: the lines and branches of a single
/// record are sorted in place; those of several records are gathered first.
#[allow(clippy::too_many_arguments)]
fn file<'a>(
    path: &str,
    recs: &[&Record],
    lines: &mut [(u32, u64)],
    branches: &mut [Branch<'a>],
    functions: &[Function<'a>],
    scratch: &mut Scratch<'a>,
    line0_files: &mut usize,
) -> FileCoverage {
    // Lines: hits added per line. The lists are sized exactly: counted first where no
    // line repeats (the usual case), else to fit.
    let (executed_lines, line_hits, missing_lines) = {
        let (da, distinct): (&[(u32, u64)], bool) = match recs {
            [r] => {
                let s = lines.get_mut(r.lines.0..r.lines.1).unwrap_or_default();
                if s.is_sorted_by(|a, b| a.0 < b.0) {
                    (s, true)
                } else {
                    if !s.is_sorted_by_key(|l| l.0) {
                        s.sort_unstable_by_key(|l| l.0);
                    }
                    (s, false)
                }
            }
            _ => {
                scratch.lines.clear();
                for r in recs {
                    let part = lines.get(r.lines.0..r.lines.1).unwrap_or_default();
                    scratch.lines.extend_from_slice(part);
                }
                scratch.lines.sort_unstable_by_key(|l| l.0);
                (&scratch.lines, false)
            }
        };
        if distinct {
            let ran = da.iter().filter(|l| l.1 > 0).count();
            let mut executed = Vec::with_capacity(ran);
            let mut hits = Vec::with_capacity(ran);
            let mut missing = Vec::with_capacity(da.len() - ran);
            for &(l, h) in da {
                if h > 0 {
                    executed.push(l);
                    hits.push(h);
                } else {
                    missing.push(l);
                }
            }
            (executed, hits, missing)
        } else {
            let mut executed = Vec::with_capacity(da.len());
            let mut hits = Vec::with_capacity(da.len());
            let mut missing = Vec::new();
            let mut it = da.iter().peekable();
            while let Some(&(l, mut h)) = it.next() {
                while let Some(&(_, more)) = it.next_if(|n| n.0 == l) {
                    h = h.saturating_add(more);
                }
                if h > 0 {
                    executed.push(l);
                    hits.push(h);
                } else {
                    missing.push(l);
                }
            }
            (executed, hits, missing)
        }
    };

    // Branches: merged by (line, block, branch), `-` plus a count being the count.
    let mut line_branches: Vec<LineBranches>;
    let (mut found, mut hit, mut partial) = (0u64, 0u64, 0u64);
    {
        let key = Branch::key;
        let brs: &[Branch] = match recs {
            [r] => {
                let s = branches
                    .get_mut(r.branches.0..r.branches.1)
                    .unwrap_or_default();
                if !s.is_sorted_by(|a, b| key(a) <= key(b)) {
                    s.sort_unstable_by_key(key);
                }
                s
            }
            _ => {
                scratch.branches.clear();
                for r in recs {
                    let part = branches.get(r.branches.0..r.branches.1).unwrap_or_default();
                    scratch.branches.extend_from_slice(part);
                }
                scratch.branches.sort_unstable_by_key(key);
                &scratch.branches
            }
        };
        // One entry per line with branches: as many as the sorted list changes line.
        let n = brs
            .iter()
            .zip(brs.iter().skip(1))
            .filter(|(a, b)| a.line != b.line)
            .count();
        line_branches = Vec::with_capacity(if brs.is_empty() { 0 } else { n + 1 });
        let mut it = brs.iter().peekable();
        while let Some(b) = it.next() {
            let mut taken = b.taken;
            while let Some(more) = it.next_if(|n| n.key() == b.key()) {
                // genhtml's brcount_to_db: `-` plus a count is the count.
                taken = match (taken, more.taken) {
                    (Some(x), Some(y)) => Some(x.saturating_add(y)),
                    (x, None) => x,
                    (None, y) => y,
                };
            }
            let was_taken = taken.is_some_and(|t| t > 0);
            found += 1;
            hit += u64::from(was_taken);
            match line_branches.last_mut() {
                Some(lb) if lb.line == b.line => {
                    lb.total = lb.total.saturating_add(1);
                    lb.taken = lb.taken.saturating_add(u32::from(was_taken));
                }
                _ => line_branches.push(LineBranches {
                    line: b.line,
                    taken: u32::from(was_taken),
                    total: 1,
                }),
            }
        }
    }
    if line_branches.first().is_some_and(|lb| lb.line == 0) {
        *line0_files += 1;
    }
    for lb in &line_branches {
        if lb.taken < lb.total && executed_lines.binary_search(&lb.line).is_ok() {
            partial += 1;
        }
    }

    // Functions: merged by name, in the order they first appear.
    scratch.order.clear();
    for r in recs {
        scratch.order.extend(r.functions.0..r.functions.1);
    }
    // Names are merged by sorting on a quick hash of the name (the name itself only where
    // hashes tie), so equal names end up together at the cost of integer comparisons; and
    // when no two hashes are equal no two names are, and nothing needs merging.
    let name = |i: usize| functions.get(i).map_or("", |f| f.name);
    if scratch.order.len() > 1 {
        scratch.keyed.clear();
        scratch
            .keyed
            .extend(scratch.order.iter().map(|&i| (quick_hash(name(i)), i)));
        scratch.keyed.sort_unstable();
        if scratch
            .keyed
            .windows(2)
            .any(|w| matches!(w, [a, b] if a.0 == b.0))
        {
            scratch.keyed.sort_unstable_by(|a, b| {
                a.0.cmp(&b.0)
                    .then_with(|| name(a.1).cmp(name(b.1)))
                    .then(a.1.cmp(&b.1))
            });
            scratch.order.clear();
            scratch.order.extend(scratch.keyed.iter().map(|k| k.1));
        }
    }
    scratch.merged.clear();
    scratch.same_name = None;
    for &i in &scratch.order {
        let Some(&f) = functions.get(i) else {
            continue;
        };
        match scratch.merged.last_mut() {
            Some((_, m)) if m.name == f.name => {
                m.hits = m.hits.saturating_add(f.hits);
                match (m.line, f.line) {
                    (None, l) => m.line = l,
                    (Some(a), Some(b)) if a != b && scratch.same_name.is_none() => {
                        scratch.same_name = Some((f.name, a, b));
                    }
                    _ => {}
                }
            }
            _ => scratch.merged.push((i, f)),
        }
    }
    if !scratch.merged.is_sorted_by_key(|m| m.0) {
        scratch.merged.sort_unstable_by_key(|m| m.0);
    }
    scratch.fn_lines = scratch.merged.iter().filter(|m| m.1.line.is_some()).count() as u64;
    let fn_hit = scratch.merged.iter().filter(|m| m.1.hits > 0).count() as u64;
    let mut regions = Vec::with_capacity(scratch.merged.len());
    for (_, f) in &scratch.merged {
        regions.push(Region {
            kind: RegionKind::Function,
            name: f.name.to_string(),
            start_line: f.line,
            hits: Some(f.hits),
            counts: NO_COUNTS,
            missing_lines: Vec::new(),
        });
    }

    let counts = Counts {
        files: 1,
        lines: Tally::new(
            executed_lines.len() as u64,
            (executed_lines.len() + missing_lines.len()) as u64,
        ),
        functions: Tally::new(fn_hit, scratch.merged.len() as u64),
        branches: Tally::new(hit, found),
        partial_branches: partial,
        ..Counts::default()
    };
    FileCoverage {
        path: path.to_string(),
        counts,
        executed_lines,
        line_hits,
        missing_lines,
        line_branches,
        regions,
        ..FileCoverage::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Report {
        parse("t.info", text, Vec::new()).expect("reads")
    }

    fn file<'a>(r: &'a Report, path: &str) -> &'a FileCoverage {
        r.files.iter().find(|f| f.path == path).expect(path)
    }

    /// The research's dup.info, run through lcov 1.16 and genhtml: lines 3 of 4,
    /// functions 2 of 3, branches 1 of 4.
    #[test]
    fn merges_as_genhtml_does() {
        let r = read(
            "SF:/x/a.c\nFN:3,foo\nFNDA:0,foo\nFN:10,bar\nFNDA:0,bar\nDA:3,0\nDA:4,0\n\
             BRDA:4,0,0,-\nBRDA:4,0,1,-\nBRDA:5,0,0,-\nBRDA:5,0,1,-\nLF:2\nLH:0\nend_of_record\n\
             SF:/x/a.c\nFN:3,foo\nFNDA:2,foo\nDA:3,2\nDA:5,1\nBRDA:4,0,0,0\nBRDA:4,0,1,3\n\
             BRDA:5,0,0,-\nBRDA:5,0,1,-\nLF:99\nLH:99\nend_of_record\n\
             SF:/x/b.c\nFN:1,foo\nFNDA:0,foo\nFN:2,onlyfn\nFNDA:1,onlyfn\nend_of_record\n\
             SF:/x/c.c\nFN:1,foo\nFNDA:1,foo\nDA:1,1\nend_of_record\n",
        );
        let t = r.totals();
        assert_eq!(t.lines, Tally::new(3, 4));
        assert_eq!(t.functions, Tally::new(2, 3));
        assert_eq!(t.branches, Tally::new(1, 4));
        assert_eq!(r.files.len(), 2);
        let a = file(&r, "/x/a.c");
        assert_eq!(a.executed_lines, [3, 5]);
        assert_eq!(a.line_hits, [2, 1]);
        assert_eq!(a.missing_lines, [4]);
        assert_eq!(
            a.line_branches,
            [
                LineBranches {
                    line: 4,
                    taken: 1,
                    total: 2
                },
                LineBranches {
                    line: 5,
                    taken: 0,
                    total: 2
                }
            ]
        );
        // Line 5 ran with neither branch taken: partial; line 4 never ran.
        assert_eq!(a.counts.partial_branches, 1);
        assert_eq!(a.regions.len(), 2);
        assert_eq!(
            a.regions.first().map(|f| (f.start_line, f.hits)),
            Some((Some(3), Some(2)))
        );
        assert!(
            r.warnings.iter().any(|w| w.contains("left out")),
            "{:?}",
            r.warnings
        );
        assert_eq!(
            r.metrics,
            [Metric::Lines, Metric::Functions, Metric::Branches]
        );
        assert_eq!(r.rules().show(&t, Metric::Lines, 0), "75.0");
        assert_eq!(r.rules().show(&t, Metric::Functions, 0), "66.7");
        assert_eq!(r.rules().show(&t, Metric::Branches, 0), "25.0");
    }

    #[test]
    fn branch_dash_rules() {
        let r = read(
            "SF:a\nDA:1,1\nBRDA:1,0,0,-\nBRDA:1,0,1,2\nBRDA:1,0,2,-\nend_of_record\n\
             SF:a\nBRDA:1,0,0,3\nBRDA:1,0,1,-\nBRDA:1,0,2,-\nBRDA:1,0,3,0\nend_of_record\n",
        );
        let a = file(&r, "a");
        // (0): - + 3 = 3; (1): 2 + - = 2; (2): - + - = -; (3): 0.
        assert_eq!(a.counts.branches, Tally::new(2, 4));
        assert_eq!(a.counts.partial_branches, 1);
    }

    #[test]
    fn function_record_forms() {
        let r = read(
            "SF:a.c\nFN:10,20,with_end\nFN:30,tmpl<a, b>\nFN:40,50\nFNDA:1,with_end\n\
             FNDA:2,tmpl<a, b>\nFNL:0,60,70\nFNA:0,5,indexed\nFNDA:1,orphan\nDA:1,1\n\
             end_of_record\n",
        );
        let a = file(&r, "a.c");
        let got: Vec<(&str, Option<u32>, Option<u64>)> = a
            .regions
            .iter()
            .map(|f| (f.name.as_str(), f.start_line, f.hits))
            .collect();
        assert_eq!(
            got,
            [
                ("with_end", Some(10), Some(1)),
                ("tmpl<a, b>", Some(30), Some(2)),
                ("50", Some(40), Some(0)),
                ("indexed", Some(60), Some(5)),
                ("orphan", None, Some(1)),
            ]
        );
        assert_eq!(a.counts.functions, Tally::new(4, 5));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn same_name_twice_is_one_function() {
        // resolve's lib/async.js: two functions named onfile; Istanbul counts 2, lcov 1.
        let r = read(
            "TN:\nSF:lib/async.js\nFN:160,onfile\nFN:317,onfile\nFN:330,thunk\nFNF:3\nFNH:3\n\
             FNDA:12,onfile\nFNDA:4,onfile\nFNDA:0,thunk\nDA:160,1\nLF:1\nLH:1\nBRF:0\nBRH:0\n\
             end_of_record\n",
        );
        let a = file(&r, "lib/async.js");
        assert_eq!(a.counts.functions, Tally::new(1, 2));
        assert_eq!(a.regions.first().map(|f| f.hits), Some(Some(16)));
        let w = r.warnings.join("\n");
        assert!(
            w.contains("declared: functions 3 of 3; counted: functions 1 of 2"),
            "{w}"
        );
        assert!(w.contains("two functions named \"onfile\""), "{w}");
    }

    #[test]
    fn text_branch_ids_and_line_order() {
        // coverage.py 7.6.2+: branch ids are text; executed lines listed before missed ones.
        let r = read(
            "SF:m.py\nDA:5,1\nDA:9,1\nDA:7,0\nBRDA:5,0,jump to line 7,0\n\
             BRDA:5,0,jump to line 9,1\nBRDA:5,0,jump to line 7,-\nend_of_record\n",
        );
        let a = file(&r, "m.py");
        assert_eq!(a.executed_lines, [5, 9]);
        assert_eq!(a.missing_lines, [7]);
        assert_eq!(a.counts.branches, Tally::new(1, 2));
        assert_eq!(a.counts.partial_branches, 1);
    }

    #[test]
    fn counts_as_lcov_reads_them() {
        assert_eq!(count(b"12"), Some(Num::Val(12)));
        assert_eq!(count(b"-3"), Some(Num::Negative));
        assert_eq!(count(b"99999999999999999999999"), Some(Num::Huge));
        assert_eq!(count(b"1.5"), Some(Num::Val(2)));
        assert_eq!(count(b"1.84467440737096e+19"), Some(Num::Huge));
        assert_eq!(count(b"1.5e+10"), Some(Num::Val(15_000_000_000)));
        assert_eq!(count(b"1e400"), None);
        assert_eq!(count(b"x"), None);
        assert_eq!(count(b""), None);
        let r = read("SF:a\nDA:1,-5\nDA:2,99999999999999999999999\nDA:x,1\nend_of_record\n");
        let a = file(&r, "a");
        assert_eq!(a.missing_lines, [1]);
        assert_eq!(a.line_hits, [u64::MAX]);
        let w = r.warnings.join("\n");
        assert!(w.contains("negative count was read as 0"), "{w}");
        assert!(w.contains("larger than"), "{w}");
        assert!(w.contains("line 4: \"DA:x,1\""), "{w}");
    }

    #[test]
    fn truncation() {
        let e = parse("t.info", "SF:a\nDA:1,1\nDA:5", Vec::new()).expect_err("cut");
        assert!(matches!(e.kind, ErrorKind::Truncated(_)), "{e}");
        assert_eq!(e.line, Some(3));
        assert!(e.to_string().contains("SF:a from line 1"), "{e}");
        // Cut at a line end: read, with a warning.
        let r = read("SF:a\nDA:1,1\n");
        assert_eq!(r.totals().lines, Tally::new(1, 1));
        assert!(r.warnings.iter().any(|w| w.contains("no end_of_record")));
        // No newline after the last end_of_record is fine.
        let r = read("SF:a\nDA:1,1\nend_of_record");
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn structure_problems_are_warned_once() {
        let r = read(
            "DA:1,1\nend_of_record\nSF:a\nDA:1,1\nSF:b\nDA:2,0\nend_of_record\nhello\n\
             SF:\nDA:3,3\n",
        );
        assert_eq!(r.files.len(), 2);
        let w = r.warnings.join("\n");
        assert!(w.contains("stand outside any SF:"), "{w}");
        assert!(w.contains("SF:a from line 3 has no end_of_record"), "{w}");
        assert!(w.contains("\"hello\""), "{w}");
        let e = parse("t.info", "TN:\nTN:x\n", Vec::new()).expect_err("no SF");
        assert!(matches!(e.kind, ErrorKind::NotAReport(_)), "{e}");
    }

    #[test]
    fn crlf_and_blank_lines() {
        let r = read("TN:\r\nSF:a.c\r\n\r\nDA:1,1\r\nDA:2,0\r\nend_of_record\r\n");
        assert_eq!(file(&r, "a.c").counts.lines, Tally::new(1, 2));
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }
}
