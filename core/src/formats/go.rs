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

struct Acc<'a> {
    path: &'a str,
    blocks: Vec<Block>,
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

    let mut accs: Vec<Acc> = Vec::new();
    let mut by_path: HashMap<&str, usize> = HashMap::new();
    let mut last_file: Option<(&str, usize)> = None;
    let mut repeated_modes = Vec::new();
    for (n, raw, ended) in lines {
        let line = raw.trim_ascii();
        // The usual block line, read in one go; anything else takes the general way.
        if let Some((path, block)) = block_fast(line) {
            let block = Block { at: n, ..block };
            let file = match last_file {
                Some((p, i)) if p == path => i,
                _ => {
                    let i = *by_path.entry(path).or_insert_with(|| {
                        accs.push(Acc {
                            path,
                            blocks: Vec::new(),
                        });
                        accs.len() - 1
                    });
                    last_file = Some((path, i));
                    i
                }
            };
            if let Some(acc) = accs.get_mut(file) {
                acc.blocks.push(block);
            }
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
        let block = Block { at: n, ..block };
        // Blocks of one file come together: compare with the last file before hashing.
        let file = match last_file {
            Some((p, i)) if p == path => i,
            _ => {
                let i = *by_path.entry(path).or_insert_with(|| {
                    accs.push(Acc {
                        path,
                        blocks: Vec::new(),
                    });
                    accs.len() - 1
                });
                last_file = Some((path, i));
                i
            }
        };
        if let Some(acc) = accs.get_mut(file) {
            acc.blocks.push(block);
        }
    }

    if let Some(&first) = repeated_modes.first() {
        warnings.push(format!(
            "{} more \"mode: {mode_name}\" line{} (first at line {first}): profiles written one \
             after the other were read as one, repeated blocks merged",
            repeated_modes.len(),
            if repeated_modes.len() == 1 { "" } else { "s" }
        ));
    }
    if accs.is_empty() {
        warnings.push(
            "the profile has no blocks: no instrumented package ran (go tool cover -func shows \
             0.0% for it)"
                .into(),
        );
    }

    let mut budget = LINE_BUDGET.saturating_add(text.len().saturating_mul(4));
    let mut inverted = Vec::new();
    let mut files = Vec::with_capacity(accs.len());
    for acc in accs {
        files.push(file(name, acc, mode, &mut budget, &mut inverted)?);
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

impl<'a> Iterator for Lines<'a> {
    type Item = (usize, &'a str, bool);
    fn next(&mut self) -> Option<Self::Item> {
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return None;
        }
        let rest = bytes.get(self.pos..).unwrap_or_default();
        let (end, ended) = match memchr::memchr(b'\n', rest) {
            Some(i) => (self.pos + i, true),
            None => (bytes.len(), false),
        };
        let line = self.text.get(self.pos..end).unwrap_or_default();
        self.pos = end + 1;
        self.n += 1;
        Some((self.n, line, ended))
    }
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

/// One file's coverage from its blocks: repeated blocks merged, statements counted, lines
/// marked.
fn file(
    name: &str,
    acc: Acc,
    mode: Mode,
    budget: &mut usize,
    inverted: &mut Vec<usize>,
) -> Result<FileCoverage, ParseError> {
    let Acc { path, mut blocks } = acc;
    let key = |b: &Block| (b.start, b.end);
    if !blocks.is_sorted_by(|a, b| key(a) <= key(b)) {
        // Stable, so a repeated block keeps the line it first appeared on.
        blocks.sort_by_key(key);
    }
    let mut merged: Vec<Block> = Vec::with_capacity(blocks.len());
    for b in blocks {
        match merged.last_mut() {
            Some(m) if key(m) == key(&b) => {
                if m.stmts != b.stmts {
                    return Err(ParseError::new(
                        name,
                        ErrorKind::Invalid(format!(
                            "inconsistent NumStmt: {path}:{}.{},{}.{} has {} statements at line \
                             {} and {} here, as go tool cover also refuses",
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

    let mut total = 0u64;
    let mut covered = 0u64;
    for b in &merged {
        total += u64::from(b.stmts);
        if b.count > 0 {
            covered += u64::from(b.stmts);
        }
    }

    // Lines: the largest count of the blocks with statements that span each line. A block
    // ends at the column after its last character, so one ending at column 1 (or 0) of a
    // line stops on the line before.
    let mut spans: Vec<(u32, u32, u64, usize)> = Vec::with_capacity(merged.len());
    for b in &merged {
        if b.stmts == 0 {
            continue;
        }
        let (first, mut last) = (b.start.0, b.end.0);
        if last > first && b.end.1 <= 1 {
            last -= 1;
        }
        if (b.end.0, b.end.1) < (b.start.0, b.start.1) {
            inverted.push(b.at);
            last = first;
        }
        spans.push((first, last.max(first), b.count, b.at));
    }
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
