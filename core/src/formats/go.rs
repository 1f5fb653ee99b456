//! Go coverprofiles (`go test -coverprofile`, modes set, count and atomic).
//!
//! The first line is `mode: set|count|atomic`; every other line is one block,
//! `path/file.go:line.col,line.col numStmt count`, with the file named by its import path
//! (`github.com/gorilla/mux/mux.go`). Blocks repeated in one profile (`-coverpkg`, or
//! profiles written one after the other) are merged as `go tool cover` merges them
//! (`ParseProfilesFromReader`): the same start and end is one block, its counts OR-ed in
//! set mode and added otherwise, and a different statement count is an error.
//!
//! A file's statements are its blocks' statements, covered when the block ran: what `go
//! tool cover -func` totals over the blocks inside function declarations, which is every
//! block of a profile unless a function literal sits in a package-level variable. A line
//! is covered when a block with statements that spans it ran; its hits are the largest
//! count of those blocks (none in set mode, which records only 0 or 1). See
//! `docs/formats/go.md`.

use crate::error::{ErrorKind, ParseError};
use crate::model::{Counts, FileCoverage, Metric, Report, Source, Tally};
use crate::rules::Tool;
use std::collections::{BinaryHeap, HashMap};

/// Name of this format in [`Source::format`].
pub const FORMAT: &str = "go-coverprofile";

/// Distinct source lines a profile may mark, beyond 4 per byte of input: more than a real
/// profile marks (a block line of ~50 bytes spans a few lines), few enough to keep a hostile
/// profile's line lists within memory.
const LINE_BUDGET: usize = 1 << 20;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Mode {
    Set,
    Count,
}

/// One block of a profile.
#[derive(Clone, Copy, Debug)]
struct Block {
    start: (u32, u32),
    end: (u32, u32),
    stmts: u32,
    count: u64,
    /// The profile line it was read from.
    at: usize,
}

/// One file: its blocks are the runs (start, end) of the shared list of blocks that name
/// it; blocks of one file come together, so that is one run but where a profile repeats.
struct Acc<'a> {
    path: &'a str,
    runs: Vec<(usize, usize)>,
}

/// Every block read, in profile order, and the file each run of them belongs to.
struct Blocks<'a> {
    accs: Vec<Acc<'a>>,
    by_path: HashMap<&'a str, usize>,
    all: Vec<Block>,
    /// The file of the run being read, and where that run started.
    open: Option<(&'a str, usize, usize)>,
}

impl<'a> Blocks<'a> {
    /// `block` of `path`: the run goes on while the file stays the same, and the path is
    /// hashed only when it changes.
    #[inline]
    fn push(&mut self, path: &'a str, block: Block) {
        match self.open {
            Some((p, _, _)) if p == path => {}
            _ => {
                self.close();
                let i = *self.by_path.entry(path).or_insert_with(|| {
                    self.accs.push(Acc {
                        path,
                        runs: Vec::new(),
                    });
                    self.accs.len() - 1
                });
                self.open = Some((path, i, self.all.len()));
            }
        }
        self.all.push(block);
    }

    /// Ends the run being read.
    fn close(&mut self) {
        if let Some((_, i, from)) = self.open.take() {
            if let Some(acc) = self.accs.get_mut(i) {
                acc.runs.push((from, self.all.len()));
            }
        }
    }
}

/// Reads `text` (named `name` in messages); `warnings` are what was noticed before.
pub(crate) fn parse(
    name: &str,
    text: &str,
    mut warnings: Vec<String>,
) -> Result<Report, ParseError> {
    let err = |kind, line: usize| -> Result<Report, ParseError> {
        Err(ParseError::new(name, kind).at_line(line))
    };
    // (line number, line, whether a newline ends it)
    let mut lines = Lines { text, pos: 0, n: 0 };

    // The mode line.
    let (mode_at, mode_text) = loop {
        match lines.next() {
            Some((_, l, _)) if l.trim_ascii().is_empty() => continue,
            Some((n, l, _)) => break (n, l.trim_ascii()),
            None => return Err(ParseError::new(name, ErrorKind::Empty)),
        }
    };
    let Some(mode_name) = mode_text
        .strip_prefix("mode:")
        .map(str::trim_ascii)
        .filter(|m| !m.is_empty())
    else {
        return err(
            ErrorKind::Syntax(format!(
                "a Go coverprofile starts with \"mode: set\", \"mode: count\" or \"mode: \
                 atomic\"; this one starts with {:?}",
                head(mode_text)
            )),
            mode_at,
        );
    };
    let mode = match mode_name {
        "set" => Mode::Set,
        "count" | "atomic" => Mode::Count,
        other => {
            warnings.push(format!(
                "the profile's mode {other:?} is none of set, count and atomic; its counts \
                 were read as in count mode"
            ));
            Mode::Count
        }
    };

    // Room for the blocks at once: a block line takes 17 bytes at the very least, usually
    // 40 to 60.
    let mut blocks = Blocks {
        accs: Vec::new(),
        by_path: HashMap::new(),
        all: Vec::with_capacity(text.len() / 48),
        open: None,
    };
    let mut repeated_modes = Vec::new();
    loop {
        // The usual block line, read in one pass from its start to its `\n`; anything else
        // line by line, the general way.
        if let Some((path, block)) = lines.block() {
            blocks.push(
                path,
                Block {
                    at: lines.n,
                    ..block
                },
            );
            continue;
        }
        let Some((n, raw, ended)) = lines.next() else {
            break;
        };
        let line = raw.trim_ascii();
        if let Some((path, block)) = block_short(line).or_else(|| block_fast(line)) {
            blocks.push(path, Block { at: n, ..block });
            continue;
        }
        if line.is_empty() {
            continue;
        }
        if let Some(m) = line.strip_prefix("mode:") {
            let m = m.trim_ascii();
            if m == mode_name {
                repeated_modes.push(n);
                continue;
            }
            return err(
                ErrorKind::Invalid(format!(
                    "a second mode line says \"mode: {m}\", but the profile began with \
                     \"mode: {mode_name}\" (line {mode_at}); profiles of different modes \
                     cannot be merged"
                )),
                n,
            );
        }
        let (path, block) = match block(line) {
            Ok(b) => b,
            Err(why) => {
                let kind = if !ended {
                    ErrorKind::Truncated(format!(
                        "the last line, {:?}, stops before its block is complete",
                        head(line)
                    ))
                } else {
                    ErrorKind::Syntax(format!(
                        "{why}: expected \"path/file.go:line.column,line.column \
                         statements count\", found {:?}",
                        head(line)
                    ))
                };
                return err(kind, n);
            }
        };
        blocks.push(path, Block { at: n, ..block });
    }
    blocks.close();

    if let Some(&first) = repeated_modes.first() {
        warnings.push(format!(
            "{} more \"mode: {mode_name}\" line{} (first at line {first}): profiles written one \
             after the other were read as one, repeated blocks merged",
            repeated_modes.len(),
            if repeated_modes.len() == 1 { "" } else { "s" }
        ));
    }
    if blocks.accs.is_empty() {
        warnings.push(
            "the profile has no blocks: no instrumented package ran (go tool cover -func shows \
             0.0% for it)"
                .into(),
        );
    }

    let mut budget = LINE_BUDGET.saturating_add(text.len().saturating_mul(4));
    let mut inverted = Vec::new();
    let mut files = Vec::with_capacity(blocks.accs.len());
    let mut gathered: Vec<Block> = Vec::new();
    let mut scratch = Scratch::default();
    for acc in &blocks.accs {
        // A file read in one run (the usual case) is worked on in place.
        let mine: &mut [Block] = match acc.runs.as_slice() {
            [(from, to)] => blocks.all.get_mut(*from..*to).unwrap_or_default(),
            runs => {
                gathered.clear();
                for &(from, to) in runs {
                    gathered.extend_from_slice(blocks.all.get(from..to).unwrap_or_default());
                }
                &mut gathered
            }
        };
        files.push(file(
            name,
            acc.path,
            mine,
            mode,
            &mut budget,
            &mut inverted,
            &mut scratch,
        )?);
    }
    if let Some(first) = inverted.first() {
        warnings.push(format!(
            "{} block{} end before they start (first at line {first}); each was read as its \
             first line only",
            inverted.len(),
            if inverted.len() == 1 { "" } else { "s" }
        ));
    }

    Ok(Report {
        source: Source {
            hit_counts: mode == Mode::Count,
            ..Source::new(FORMAT, Tool::Go)
        },
        metrics: vec![Metric::Statements],
        root: None,
        files,
        declared_totals: None,
        warnings,
    })
}

/// At most 60 characters of `s`, for messages.
fn head(s: &str) -> String {
    let mut t: String = s.chars().take(60).collect();
    if t.len() < s.len() {
        t.push('…');
    }
    t
}

fn num(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 20 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut v: u64 = 0;
    for d in s.bytes() {
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(v)
}

fn num32(s: &str, what: &str) -> Result<u32, String> {
    let v = num(s).ok_or_else(|| format!("the {what} {s:?} is not a number"))?;
    u32::try_from(v).map_err(|_| format!("the {what} {v} is too large"))
}

fn position(s: &str, which: &str) -> Result<(u32, u32), String> {
    let (l, c) = s
        .split_once('.')
        .ok_or_else(|| format!("the {which} position {s:?} is not line.column"))?;
    Ok((num32(l, "line")?, num32(c, "column")?))
}

/// The lines of a text: (1-based number, line, whether a newline ends it).
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    n: usize,
}

impl<'a> Lines<'a> {
    /// The usual block line at the current position, `path:l1.c1,l2.c2 stmts count\n`
    /// exactly (no blanks around it, the path's first `:` the one before the position,
    /// every number of 1 to 9 digits and the count up to 19, so none can overflow): read
    /// from its start in one pass, and the position moved past it. `None` leaves the
    /// position where it is, for [`Iterator::next`].
    #[inline]
    fn block(&mut self) -> Option<(&'a str, Block)> {
        let b = self.text.as_bytes();
        let pos = self.pos;
        if *b.get(pos)? <= b' ' {
            return None;
        }
        let colon = colon_or_end(b, pos)?;
        if colon == pos || b.get(colon) != Some(&b':') {
            return None;
        }
        let mut i = colon + 1;
        let mut num = |sep: u8, most: usize| -> Option<u64> {
            let from = i;
            let mut v: u64 = 0;
            loop {
                let c = *b.get(i)?;
                let d = c.wrapping_sub(b'0');
                if d > 9 {
                    if c != sep || i == from || i - from > most {
                        return None;
                    }
                    i += 1;
                    return Some(v);
                }
                v = v.wrapping_mul(10).wrapping_add(u64::from(d));
                i += 1;
            }
        };
        let l1 = num(b'.', 9)? as u32;
        let c1 = num(b',', 9)? as u32;
        let l2 = num(b'.', 9)? as u32;
        let c2 = num(b' ', 9)? as u32;
        let stmts = num(b' ', 9)? as u32;
        let count = num(b'\n', 19)?;
        let path = self.text.get(pos..colon)?;
        self.pos = i;
        self.n += 1;
        Some((
            path,
            Block {
                start: (l1, c1),
                end: (l2, c2),
                stmts,
                count,
                at: 0,
            },
        ))
    }
}

/// Where the first `:` or `\n` from `pos` is, eight bytes at a time for the first 128.
#[inline]
fn colon_or_end(b: &[u8], pos: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    const COLON: u64 = 0x3a3a_3a3a_3a3a_3a3a;
    let mut i = pos;
    while i < pos + 128 {
        let Some(chunk) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) else {
            break;
        };
        let w = u64::from_le_bytes(*chunk);
        let (a, c) = (w ^ NL, w ^ COLON);
        let zero = (a.wrapping_sub(ONES) & !a | c.wrapping_sub(ONES) & !c) & HIGH;
        if zero != 0 {
            return Some(i + (zero.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    memchr::memchr2(b':', b'\n', b.get(i..)?).map(|j| i + j)
}

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str, bool);
    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let (end, ended) = match line_end(bytes, self.pos) {
            Some(i) => (i, true),
            None => (bytes.len(), false),
        };
        let line = self.text.get(self.pos..end).unwrap_or_default();
        self.pos = end + 1;
        self.n += 1;
        Some((self.n, line, ended))
    }
}

/// Where the `\n` ending the line from `pos` is: eight bytes at a time for the first 128
/// (block lines are short), then a vector search for long ones.
#[inline]
fn line_end(b: &[u8], pos: usize) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const NL: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let mut i = pos;
    while i < pos + 128 {
        let Some(chunk) = b.get(i..).and_then(<[u8]>::first_chunk::<8>) else {
            break;
        };
        let w = u64::from_le_bytes(*chunk) ^ NL;
        // The lowest byte of `w` that is zero sets its high bit here (bytes above it may
        // be set wrongly; they are never looked at).
        let zero = w.wrapping_sub(ONES) & !w & HIGH;
        if zero != 0 {
            return Some(i + (zero.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    memchr::memchr(b'\n', b.get(i..)?).map(|j| i + j)
}

/// The usual block line read in one pass from its end, every number of 1 to 9 digits
/// (the count up to 19), so that none can overflow: what [`block_fast`] reads, in
/// fewer steps. `None` sends the line to [`block_fast`].
#[inline]
fn block_short(line: &str) -> Option<(&str, Block)> {
    let b = line.as_bytes();
    let mut i = b.len();
    // The number that ends at `i`, going left up to `sep`: (value, index of `sep`).
    let mut back = |sep: u8, most: usize| -> Option<u64> {
        let end = i;
        let mut v: u64 = 0;
        let mut scale: u64 = 1;
        loop {
            i = i.checked_sub(1)?;
            let c = *b.get(i)?;
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                if c != sep || i + 1 == end || end - i - 1 > most {
                    return None;
                }
                return Some(v);
            }
            v = v.wrapping_add(u64::from(d).wrapping_mul(scale));
            scale = scale.wrapping_mul(10);
        }
    };
    let count = back(b' ', 19)?;
    let stmts = back(b' ', 9)? as u32;
    let c2 = back(b'.', 9)? as u32;
    let l2 = back(b',', 9)? as u32;
    let c1 = back(b'.', 9)? as u32;
    let l1 = back(b':', 9)? as u32;
    if i == 0 {
        return None;
    }
    Some((
        line.get(..i)?,
        Block {
            start: (l1, c1),
            end: (l2, c2),
            stmts,
            count,
            at: 0,
        },
    ))
}

/// Digits as a number, if they are all digits and it fits.
fn digits_of(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 20 {
        return None;
    }
    let mut v: u64 = 0;
    for &c in b {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        v = v.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    Some(v)
}

/// The usual block line, all fields plain numbers that fit: read byte by byte from the
/// right. `None` sends the line to [`block`], which says what is wrong with it.
fn block_fast(line: &str) -> Option<(&str, Block)> {
    let b = line.as_bytes();
    let sp2 = b.iter().rposition(|&c| c == b' ')?;
    let count = digits_of(b.get(sp2 + 1..)?)?;
    let head = b.get(..sp2)?;
    let sp1 = head.iter().rposition(|&c| c == b' ')?;
    let stmts = u32::try_from(digits_of(head.get(sp1 + 1..)?)?).ok()?;
    let pos = head.get(..sp1)?;
    let colon = pos.iter().rposition(|&c| c == b':')?;
    if colon == 0 {
        return None;
    }
    // l1.c1,l2.c2: four numbers and the three separators between them.
    let mut nums = [0u32; 4];
    let mut k = 0;
    let mut v: u32 = 0;
    let mut any = false;
    for &c in pos.get(colon + 1..)? {
        let d = c.wrapping_sub(b'0');
        if d <= 9 {
            v = v.checked_mul(10)?.checked_add(u32::from(d))?;
            any = true;
            continue;
        }
        let want = match k {
            0 | 2 => b'.',
            1 => b',',
            _ => return None,
        };
        if c != want || !any {
            return None;
        }
        *nums.get_mut(k)? = v;
        k += 1;
        v = 0;
        any = false;
    }
    if k != 3 || !any {
        return None;
    }
    *nums.get_mut(3)? = v;
    let [l1, c1, l2, c2] = nums;
    Some((
        line.get(..colon)?,
        Block {
            start: (l1, c1),
            end: (l2, c2),
            stmts,
            count,
            at: 0,
        },
    ))
}

/// `path/file.go:l1.c1,l2.c2 numStmt count`, read from the right as Go's pattern
/// `^(.+):([0-9]+).([0-9]+),([0-9]+).([0-9]+) ([0-9]+) ([0-9]+)$` does (the path may hold
/// colons, as a Windows path does).
fn block(line: &str) -> Result<(&str, Block), String> {
    let (rest, count) = line
        .rsplit_once(' ')
        .ok_or("the line has no count after a space")?;
    let (pos, stmts) = rest
        .rsplit_once(' ')
        .ok_or("the line has no statement count")?;
    let (path, range) = pos
        .rsplit_once(':')
        .ok_or("the line has no \":\" between the file and its position")?;
    if path.is_empty() {
        return Err("the file name is empty".into());
    }
    let (a, b) = range
        .split_once(',')
        .ok_or("the position is not start,end")?;
    let count = match num(count) {
        Some(c) => c,
        None if !count.is_empty() && count.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(format!("the count {count} is too large"))
        }
        None => return Err(format!("the count {count:?} is not a number")),
    };
    Ok((
        path,
        Block {
            start: position(a, "start")?,
            end: position(b, "end")?,
            stmts: num32(stmts, "statement count")?,
            count,
            at: 0,
        },
    ))
}

/// A block's start and end, (line, column) each.
type Position = ((u32, u32), (u32, u32));

/// A file's lines as marked: executed lines, their hits, missing lines.
type Marked = (Vec<u32>, Vec<u64>, Vec<u32>);

/// Lists reused from file to file.
#[derive(Default)]
struct Scratch {
    table: Vec<u32>,
    merged: Vec<Block>,
    spans: Vec<(u32, u32, u64, usize)>,
    /// The largest count of each line of a file, from its first marked line.
    best: Vec<Option<u64>>,
}

/// One file's coverage from its blocks: repeated blocks merged, statements counted, lines
/// marked.
#[allow(clippy::too_many_arguments)]
fn file(
    name: &str,
    path: &str,
    blocks: &mut [Block],
    mode: Mode,
    budget: &mut usize,
    inverted: &mut Vec<usize>,
    scratch: &mut Scratch,
) -> Result<FileCoverage, ParseError> {
    let key = |b: &Block| (b.start, b.end);
    // Repeated blocks are merged in order of position; a profile written once has none,
    // and its blocks are then used as they are.
    let merged: &[Block] = if repeats(blocks, &mut scratch.table) {
        if !blocks.is_sorted_by(|a, b| key(a) <= key(b)) {
            // By the line too, so a repeated block keeps the line it first appeared on
            // (blocks are in profile order, and each line holds one).
            blocks.sort_unstable_by_key(|b| (b.start, b.end, b.at));
        }
        let merged = &mut scratch.merged;
        merged.clear();
        merged.reserve(blocks.len());
        for &b in blocks.iter() {
            match merged.last_mut() {
                Some(m) if key(m) == key(&b) => {
                    if m.stmts != b.stmts {
                        return Err(ParseError::new(
                            name,
                            ErrorKind::Invalid(format!(
                                "inconsistent NumStmt: {path}:{}.{},{}.{} has {} statements at \
                                 line {} and {} here, as go tool cover also refuses",
                                b.start.0, b.start.1, b.end.0, b.end.1, m.stmts, m.at, b.stmts
                            )),
                        )
                        .at_line(b.at));
                    }
                    m.count = match mode {
                        Mode::Set => m.count | b.count,
                        Mode::Count => m.count.saturating_add(b.count),
                    };
                }
                _ => merged.push(b),
            }
        }
        merged
    } else {
        blocks
    };

    let mut total = 0u64;
    let mut covered = 0u64;
    for b in merged {
        total += u64::from(b.stmts);
        if b.count > 0 {
            covered += u64::from(b.stmts);
        }
    }

    // Lines: the largest count of the blocks with statements that span each line. A block
    // ends at the column after its last character, so one ending at column 1 (or 0) of a
    // line stops on the line before.
    let spans = &mut scratch.spans;
    spans.clear();
    let mut lines_spanned = 0u64;
    let (mut lo, mut hi) = (u32::MAX, 0u32);
    // Blocks that end before they start are noted in order of position: the first of
    // them is the one with the lowest position.
    let noted = inverted.len();
    let mut lowest: Option<(Position, usize)> = None;
    for b in merged {
        if b.stmts == 0 {
            continue;
        }
        let (first, mut last) = (b.start.0, b.end.0);
        if last > first && b.end.1 <= 1 {
            last -= 1;
        }
        if (b.end.0, b.end.1) < (b.start.0, b.start.1) {
            inverted.push(b.at);
            if lowest.is_none_or(|l| (b.start, b.end) < l.0) {
                lowest = Some(((b.start, b.end), inverted.len() - 1));
            }
            last = first;
        }
        let last = last.max(first);
        lines_spanned += u64::from(last - first) + 1;
        lo = lo.min(first);
        hi = hi.max(last);
        spans.push((first, last, b.count, b.at));
    }
    if let Some((_, i)) = lowest {
        inverted.swap(noted, i);
    }
    let (executed_lines, line_hits, missing_lines) = if spans.is_empty() {
        (Vec::new(), Vec::new(), Vec::new())
    } else if lines_spanned <= *budget as u64
        && lines_spanned <= (spans.len() as u64).saturating_mul(16).saturating_add(1024)
        && u64::from(hi - lo) < lines_spanned.saturating_mul(4).saturating_add(1024)
    {
        // The usual case: blocks of a few lines each, close together. Each line's largest
        // count is kept in a list over the file's lines, which costs in proportion to the
        // blocks read; the budget cannot run out here (it is spent on lines marked, at
        // most the lines spanned).
        mark_dense(spans, lo, hi, mode, budget, &mut scratch.best)
    } else {
        mark_sweep(name, path, spans, mode, budget)?
    };

    Ok(FileCoverage {
        path: path.to_string(),
        counts: Counts {
            files: 1,
            statements: Tally::new(covered, total),
            ..Counts::default()
        },
        executed_lines,
        line_hits,
        missing_lines,
        ..FileCoverage::default()
    })
}

/// Whether two of `blocks` may have the same start and end: looked up in an open-addressing
/// table of their positions (`table`, reused), which costs a few steps per block where
/// sorting them would cost many. A run of collisions longer than any real profile makes
/// (a crafted one) answers yes, and the caller then sorts, as it does for real repeats.
fn repeats(blocks: &[Block], table: &mut Vec<u32>) -> bool {
    const EMPTY: u32 = u32::MAX;
    const MAX_PROBE: usize = 64;
    if blocks.len() < 2 {
        return false;
    }
    if blocks.len() >= (EMPTY as usize) / 2 {
        return true;
    }
    let size = (blocks.len() * 2).next_power_of_two();
    let bits = size.trailing_zeros();
    table.clear();
    table.resize(size, EMPTY);
    let pos = |b: &Block| (b.start, b.end);
    for (i, b) in blocks.iter().enumerate() {
        let k = (u64::from(b.start.0) << 32 | u64::from(b.start.1))
            ^ (u64::from(b.end.0) << 32 | u64::from(b.end.1)).rotate_left(29);
        let mut h = (k.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as usize;
        let mut probes = 0;
        loop {
            let Some(slot) = table.get_mut(h) else {
                return true;
            };
            if *slot == EMPTY {
                *slot = i as u32;
                break;
            }
            if blocks.get(*slot as usize).is_some_and(|o| pos(o) == pos(b)) {
                return true;
            }
            probes += 1;
            if probes > MAX_PROBE {
                return true;
            }
            h = (h + 1) & (size - 1);
        }
    }
    false
}

/// The lines of a file's blocks (`spans`, from line `lo` to `hi`), marked in a list of
/// the file's lines: (executed lines, their hits, missing lines).
fn mark_dense(
    spans: &[(u32, u32, u64, usize)],
    lo: u32,
    hi: u32,
    mode: Mode,
    budget: &mut usize,
    best: &mut Vec<Option<u64>>,
) -> Marked {
    best.clear();
    best.resize((hi - lo) as usize + 1, None);
    for &(first, last, count, _) in spans {
        let from = (first - lo) as usize;
        let to = (last - lo) as usize;
        for slot in best.get_mut(from..=to).unwrap_or_default() {
            *slot = (*slot).max(Some(count));
        }
    }
    let ran = best.iter().filter(|c| c.is_some_and(|c| c > 0)).count();
    let marked = best.iter().filter(|c| c.is_some()).count();
    *budget = budget.saturating_sub(marked);
    let mut executed = Vec::with_capacity(ran);
    let mut hits = Vec::with_capacity(if mode == Mode::Set { 0 } else { ran });
    let mut missing = Vec::with_capacity(marked - ran);
    let mut line = lo;
    for &c in best.iter() {
        match c {
            Some(0) => missing.push(line),
            Some(c) => {
                executed.push(line);
                if mode == Mode::Count {
                    hits.push(c);
                }
            }
            None => {}
        }
        line = line.wrapping_add(1);
    }
    (executed, hits, missing)
}

/// The lines of a file's blocks (`spans`), marked by sweeping over them with the blocks
/// that span the current line in a heap: for blocks far apart or spanning many lines,
/// where a list over the file's lines would be too long. Every line marked spends one of
/// `budget`, and a profile that spends it all is refused.
fn mark_sweep(
    name: &str,
    path: &str,
    spans: &mut [(u32, u32, u64, usize)],
    mode: Mode,
    budget: &mut usize,
) -> Result<Marked, ParseError> {
    if !spans.is_sorted_by_key(|s| s.0) {
        spans.sort_unstable_by_key(|s| s.0);
    }
    let mut executed_lines = Vec::new();
    let mut line_hits = Vec::new();
    let mut missing_lines = Vec::new();
    let mut active: BinaryHeap<(u64, u32, usize)> = BinaryHeap::new();
    let mut next = spans.iter().peekable();
    let mut line: u32 = 0;
    loop {
        if active.is_empty() {
            match next.peek() {
                Some(s) => line = s.0,
                None => break,
            }
        }
        while let Some(&&(first, last, count, at)) = next.peek() {
            if first > line {
                break;
            }
            active.push((count, last, at));
            next.next();
        }
        // Drop spans that ended before this line (lazily: only when they come on top).
        while active.peek().is_some_and(|&(_, last, _)| last < line) {
            active.pop();
        }
        let Some(&(count, _, at)) = active.peek() else {
            continue;
        };
        if *budget == 0 {
            return Err(ParseError::new(
                name,
                ErrorKind::Invalid(format!(
                    "the blocks span more source lines than any real project has (in {path}, \
                     past line {line}); is the profile corrupt?"
                )),
            )
            .at_line(at));
        }
        *budget -= 1;
        if count > 0 {
            executed_lines.push(line);
            line_hits.push(count);
        } else {
            missing_lines.push(line);
        }
        match line.checked_add(1) {
            Some(l) => line = l,
            None => break,
        }
    }
    if mode == Mode::Set {
        line_hits = Vec::new();
    }
    Ok((executed_lines, line_hits, missing_lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Report {
        parse("c.out", text, Vec::new()).expect("reads")
    }

    /// The research's merging vectors (go tool cover's ParseProfilesFromReader).
    #[test]
    fn merges_as_go_tool_cover() {
        let r = read("mode: count\na.go:1.1,2.2 3 0\na.go:1.1,2.2 3 5\n");
        let f = r.files.first().expect("a.go");
        assert_eq!(f.counts.statements, Tally::new(3, 3));
        assert_eq!(f.executed_lines, [1, 2]);
        assert_eq!(f.line_hits, [5, 5]);
        let r = read("mode: set\na.go:1.1,2.2 3 0\na.go:1.1,2.2 3 1\n");
        let f = r.files.first().expect("a.go");
        assert_eq!(f.counts.statements, Tally::new(3, 3));
        assert!(f.line_hits.is_empty());
        let e = parse(
            "c.out",
            "mode: count\na.go:1.1,2.2 3 1\na.go:1.1,2.2 4 1\n",
            Vec::new(),
        )
        .expect_err("inconsistent");
        assert!(e.to_string().contains("inconsistent NumStmt"), "{e}");
        assert_eq!(e.line, Some(3));
        // Same start, different end: two blocks.
        let r = read("mode: count\na.go:1.1,2.2 3 0\na.go:1.1,3.2 2 1\n");
        assert_eq!(r.totals().statements, Tally::new(2, 5));
    }

    #[test]
    fn lines_take_the_largest_count() {
        // func f() {      block A 1.10-3.3 (if) count 4, block B 3.3-5.2 count 0
        let r = read(
            "mode: atomic\nx/a.go:1.10,3.3 2 4\nx/a.go:3.3,5.2 1 0\nx/a.go:7.1,9.1 1 0\n\
             x/a.go:10.1,10.5 0 9\n",
        );
        let f = r.files.first().expect("a.go");
        assert_eq!(f.executed_lines, [1, 2, 3]);
        assert_eq!(f.line_hits, [4, 4, 4]);
        // 7.1-9.1 ends at column 1 of line 9: lines 7 and 8. A block without statements
        // marks nothing.
        assert_eq!(f.missing_lines, [4, 5, 7, 8]);
        assert_eq!(f.counts.statements, Tally::new(2, 4));
        assert_eq!(r.rules().show(&r.totals(), Metric::Statements, 0), "50.0");
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("c.out", "mode: set\na.go:1.1,2.2 1 x\n", Vec::new()).expect_err("bad");
        assert!(matches!(e.kind, ErrorKind::Syntax(_)), "{e}");
        assert_eq!(e.line, Some(2));
        let e = parse(
            "c.out",
            "mode: set\na.go:1.1,2.2 1 1\na.go:3.1,4",
            Vec::new(),
        )
        .expect_err("cut");
        assert!(matches!(e.kind, ErrorKind::Truncated(_)), "{e}");
        let e = parse("c.out", "hello\n", Vec::new()).expect_err("no mode");
        assert!(e.to_string().contains("starts with \"mode: set\""), "{e}");
        let e = parse("c.out", "mode: set\nmode: count\n", Vec::new()).expect_err("modes");
        assert!(matches!(e.kind, ErrorKind::Invalid(_)), "{e}");
        let e = parse(
            "c.out",
            "mode: set\na.go:1.1,2.2 1 99999999999999999999\n",
            Vec::new(),
        )
        .expect_err("huge");
        assert!(e.to_string().contains("too large"), "{e}");
    }

    #[test]
    fn hostile_spans_are_bounded() {
        let e = parse(
            "c.out",
            "mode: set\na.go:1.1,4000000000.1 1 1\n",
            Vec::new(),
        )
        .expect_err("too many lines");
        assert!(matches!(e.kind, ErrorKind::Invalid(_)), "{e}");
        // A block at the very last line number ends without overflow.
        let r = read("mode: count\na.go:4294967295.1,4294967295.9 1 1\n");
        assert_eq!(r.files.first().map(|f| f.executed_lines.len()), Some(1));
        // Inverted: one line, warned.
        let r = read("mode: count\na.go:9.1,3.1 1 1\n");
        assert_eq!(
            r.files.first().map(|f| f.executed_lines.clone()),
            Some(vec![9])
        );
        assert!(r
            .warnings
            .iter()
            .any(|w| w.contains("end before they start")));
    }

    #[test]
    fn concatenated_profiles_and_windows_paths() {
        let r = read(
            "mode: count\r\nC:\\src\\a.go:1.1,2.2 1 1\r\n\r\nmode: count\r\nC:\\src\\a.go:1.1,2.2 1 2\r\n",
        );
        let f = r.files.first().expect("a.go");
        assert_eq!(f.path, "C:\\src\\a.go");
        assert_eq!(f.line_hits, [3, 3]);
        assert!(r.warnings.iter().any(|w| w.contains("one after the other")));
        let r = read("mode: set\n");
        assert!(r.files.is_empty());
        assert_eq!(r.rules().show(&r.totals(), Metric::Statements, 0), "0.0");
    }
}
