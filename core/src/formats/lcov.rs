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
        match digits(s) {
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

/// A function of a file, merged by name as lcov does.
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
}

fn add(slot: &mut Option<u64>, v: u64) {
    *slot = Some(slot.unwrap_or(0).saturating_add(v));
}

/// Everything read for one `SF:` path, over all its records.
struct Acc<'a> {
    path: &'a str,
    records: u32,
    lines: Vec<(u32, u64)>,
    branches: Vec<Branch<'a>>,
    functions: Vec<Function<'a>>,
    by_name: HashMap<&'a str, usize>,
    declared: Declared,
    /// A name defined at two different lines: (name, first line, other line).
    same_name: Option<(&'a str, u32, u32)>,
}

impl<'a> Acc<'a> {
    fn new(path: &'a str) -> Acc<'a> {
        Acc {
            path,
            records: 0,
            lines: Vec::new(),
            branches: Vec::new(),
            functions: Vec::new(),
            by_name: HashMap::new(),
            declared: Declared::default(),
            same_name: None,
        }
    }

    /// The function named `name`, looked for first where the writer most likely put it.
    fn find(&self, name: &str, hints: [usize; 2]) -> Option<usize> {
        for h in hints {
            if self.functions.get(h).is_some_and(|f| f.name == name) {
                return Some(h);
            }
        }
        self.by_name.get(name).copied()
    }

    /// `FN`: defines `name` at `line` (a name seen before stays one function).
    fn define(&mut self, name: &'a str, line: u32, hints: [usize; 2]) -> usize {
        match self.find(name, hints) {
            Some(i) => {
                if let Some(f) = self.functions.get_mut(i) {
                    match f.line {
                        None => f.line = Some(line),
                        Some(l) if l != line && self.same_name.is_none() => {
                            self.same_name = Some((name, l, line));
                        }
                        Some(_) => {}
                    }
                }
                i
            }
            None => self.push(name, Some(line)),
        }
    }

    fn push(&mut self, name: &'a str, line: Option<u32>) -> usize {
        let i = self.functions.len();
        self.functions.push(Function {
            name,
            line,
            hits: 0,
        });
        self.by_name.insert(name, i);
        i
    }

    /// `FNDA`: adds `hits` to `name` (a count for a function without `FN` still counts,
    /// as in lcov 1.16).
    fn hit(&mut self, name: &'a str, hits: u64, hints: [usize; 2]) -> usize {
        let i = match self.find(name, hints) {
            Some(i) => i,
            None => self.push(name, None),
        };
        if let Some(f) = self.functions.get_mut(i) {
            f.hits = f.hits.saturating_add(hits);
        }
        i
    }
}

/// The record being read.
struct Open {
    file: usize,
    /// 1-based line of its `SF:`.
    from: usize,
    /// Where its functions start in the file's list, and where the next `FNDA` most
    /// likely is: writers list `FNDA` right after its `FN` (coverage.py) or all `FNDA` in
    /// the order of the `FN` lines (Istanbul, llvm-cov).
    last_fn: usize,
    next_fnda: usize,
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

/// Reads `text` (named `name` in messages); `warnings` are what was noticed before.
pub(crate) fn parse(
    name: &str,
    text: &str,
    mut warnings: Vec<String>,
) -> Result<Report, ParseError> {
    let mut accs: Vec<Acc> = Vec::new();
    let mut by_path: HashMap<&str, usize> = HashMap::new();
    let mut fnl: HashMap<u64, u32> = HashMap::new();
    let mut open: Option<Open> = None;
    let mut issues = Issues::default();
    let mut records = 0usize;
    let mut lineno = 0usize;
    let mut last = (0usize, "");

    let bytes = text.as_bytes();
    let mut pos = 0usize;
    while pos < bytes.len() {
        let rest = bytes.get(pos..).unwrap_or_default();
        let end = memchr::memchr(b'\n', rest).map_or(bytes.len(), |i| pos + i);
        let raw = text.get(pos..end).unwrap_or_default();
        pos = end + 1;
        lineno += 1;
        let line = raw.trim_ascii();
        if line.is_empty() {
            continue;
        }
        last = (lineno, line);

        // The data lines, most frequent first.
        if let Some(r) = line.strip_prefix("DA:") {
            let Some(acc) = current(&open, &mut accs, &mut issues, lineno, line) else {
                continue;
            };
            match da(r) {
                Some((l, n)) => {
                    let hits = checked(n, &mut issues, lineno, line);
                    if l == 0 {
                        issues.da_line0.note(lineno, line);
                    }
                    acc.lines.push((l, hits));
                }
                None => issues.malformed.note(lineno, line),
            }
        } else if let Some(r) = line.strip_prefix("BRDA:") {
            let Some(acc) = current(&open, &mut accs, &mut issues, lineno, line) else {
                continue;
            };
            match brda(r) {
                Some((l, block, branch, taken)) => {
                    let taken = taken.map(|n| checked(n, &mut issues, lineno, line));
                    if l == 0 {
                        issues.brda_line0.note(lineno, line);
                    }
                    acc.branches.push(Branch {
                        line: l,
                        block,
                        branch,
                        taken,
                    });
                }
                None => issues.malformed.note(lineno, line),
            }
        } else if let Some(r) = line.strip_prefix("FNDA:") {
            let (Some(o), Some((n, fname))) = (open.as_mut(), r.split_once(',')) else {
                misplaced(&open, &mut issues, lineno, line);
                continue;
            };
            match (count(n), fname.is_empty()) {
                (Some(n), false) => {
                    let hits = checked(n, &mut issues, lineno, line);
                    if let Some(acc) = accs.get_mut(o.file) {
                        let i = acc.hit(fname, hits, [o.next_fnda, o.last_fn]);
                        o.next_fnda = i + 1;
                    }
                }
                _ => issues.malformed.note(lineno, line),
            }
        } else if let Some(r) = line.strip_prefix("FN:") {
            let (Some(o), Some((start, fname))) = (open.as_mut(), func(r)) else {
                misplaced(&open, &mut issues, lineno, line);
                continue;
            };
            if let Some(acc) = accs.get_mut(o.file) {
                o.last_fn = acc.define(fname, start, [o.last_fn + 1, o.last_fn]);
            }
        } else if let Some(path) = line
            .strip_prefix("SF:")
            .or_else(|| line.strip_prefix("KF:"))
        {
            if let Some(o) = &open {
                let was = accs.get(o.file).map_or("", |a| a.path);
                issues.unclosed.note(
                    lineno,
                    &format!("SF:{was} from line {} has no end_of_record", o.from),
                );
            }
            if path.is_empty() {
                issues.malformed.note(lineno, line);
                open = None;
                continue;
            }
            let file = *by_path.entry(path).or_insert_with(|| {
                accs.push(Acc::new(path));
                accs.len() - 1
            });
            let start = match accs.get_mut(file) {
                Some(acc) => {
                    acc.records += 1;
                    acc.functions.len()
                }
                None => 0,
            };
            records += 1;
            fnl.clear();
            open = Some(Open {
                file,
                from: lineno,
                last_fn: start,
                next_fnda: start,
            });
        } else if line.starts_with("end_of_record") {
            if open.take().is_none() {
                issues.outside.note(lineno, line);
            }
        } else if let Some((tag, v)) = summary(line) {
            let Some(acc) = current(&open, &mut accs, &mut issues, lineno, line) else {
                continue;
            };
            let Some(v) = digits(v) else {
                issues.malformed.note(lineno, line);
                continue;
            };
            let d = &mut acc.declared;
            add(
                match tag {
                    Summary::Lf => &mut d.lf,
                    Summary::Lh => &mut d.lh,
                    Summary::Fnf => &mut d.fnf,
                    Summary::Fnh => &mut d.fnh,
                    Summary::Brf => &mut d.brf,
                    Summary::Brh => &mut d.brh,
                },
                v,
            );
        } else if let Some(r) = line.strip_prefix("FNL:") {
            // lcov 2.2+: FNL:<index>,<start>[,<end>] then FNA:<index>,<count>,<name>.
            match (open.as_ref(), fn_location(r)) {
                (Some(_), Some((i, l))) => {
                    fnl.insert(i, l);
                }
                (None, _) => issues.outside.note(lineno, line),
                (Some(_), None) => issues.malformed.note(lineno, line),
            }
        } else if let Some(r) = line.strip_prefix("FNA:") {
            let Some(o) = open.as_mut() else {
                issues.outside.note(lineno, line);
                continue;
            };
            let found = fn_alias(r).and_then(|(i, n, fname)| Some((*fnl.get(&i)?, n, fname)));
            match (found, accs.get_mut(o.file)) {
                (Some((l, n, fname)), Some(acc)) => {
                    let hits = checked(n, &mut issues, lineno, line);
                    let i = acc.define(fname, l, [o.last_fn + 1, o.last_fn]);
                    acc.hit(fname, hits, [i, i]);
                    o.last_fn = i;
                }
                _ => issues.malformed.note(lineno, line),
            }
        } else if line.starts_with("TN:")
            || line.starts_with("VER:")
            || line.starts_with("MCDC:")
            || line.starts_with('#')
        {
            // Test names, lcov 2's source versions, MC/DC records and comments carry
            // nothing covgap shows.
        } else {
            issues.malformed.note(lineno, line);
        }
    }

    if let Some(o) = &open {
        let path = accs.get(o.file).map_or("", |a| a.path);
        if !text.ends_with('\n') {
            return Err(ParseError::new(
                name,
                ErrorKind::Truncated(format!(
                    "the last record, SF:{path} from line {}, stops in the middle of line {} \
                     ({:?}) without end_of_record",
                    o.from, last.0, last.1
                )),
            )
            .at_line(last.0));
        }
        warnings.push(format!(
            "the last record, SF:{path} from line {}, has no end_of_record: the file may have \
             been cut short after line {}. covgap read the record as far as it goes (genhtml \
             1.16 would leave it out)",
            o.from, last.0
        ));
    }
    if records == 0 {
        return Err(ParseError::new(
            name,
            ErrorKind::NotAReport(
                "it has no SF: records; an LCOV tracefile gives each file's coverage between \
                 SF:<path> and end_of_record"
                    .into(),
            ),
        ));
    }

    build(accs, issues, warnings)
}

/// The file of the open record, or `None` (and a note) for data outside any record.
fn current<'a, 'b>(
    open: &Option<Open>,
    accs: &'b mut [Acc<'a>],
    issues: &mut Issues,
    lineno: usize,
    line: &str,
) -> Option<&'b mut Acc<'a>> {
    match open {
        Some(o) => accs.get_mut(o.file),
        None => {
            issues.outside.note(lineno, line);
            None
        }
    }
}

/// A line that is either outside a record or malformed: says which.
fn misplaced(open: &Option<Open>, issues: &mut Issues, lineno: usize, line: &str) {
    if open.is_some() {
        issues.malformed.note(lineno, line);
    } else {
        issues.outside.note(lineno, line);
    }
}

enum Summary {
    Lf,
    Lh,
    Fnf,
    Fnh,
    Brf,
    Brh,
}

/// `LF:`, `LH:`, `FNF:`, `FNH:`, `BRF:` or `BRH:` and its value.
fn summary(line: &str) -> Option<(Summary, &str)> {
    let (tag, v) = line.split_once(':')?;
    let t = match tag {
        "LF" => Summary::Lf,
        "LH" => Summary::Lh,
        "FNF" => Summary::Fnf,
        "FNH" => Summary::Fnh,
        "BRF" => Summary::Brf,
        "BRH" => Summary::Brh,
        _ => return None,
    };
    Some((t, v))
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
fn digits(s: &str) -> Option<u64> {
    let b = s.as_bytes();
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
fn line_no(s: &str) -> Option<u32> {
    if s.len() > 10 {
        return None;
    }
    u32::try_from(digits(s)?).ok()
}

/// A hit count: digits, possibly negative, possibly too large, or a float as Perl writes
/// one when lcov itself summed large counts (`1.84467440737096e+19`).
fn count(s: &str) -> Option<Num> {
    let b = s.as_bytes();
    if b.is_empty() {
        return None;
    }
    if b.iter().all(u8::is_ascii_digit) {
        return Some(match digits(s) {
            Some(v) => Num::Val(v),
            None => Num::Huge,
        });
    }
    if let Some(r) = s.strip_prefix('-') {
        if !r.is_empty() && r.bytes().all(|c| c.is_ascii_digit()) {
            return Some(Num::Negative);
        }
    }
    if b.len() <= 32
        && b.iter()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        let f: f64 = s.parse().ok()?;
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
fn da(r: &str) -> Option<(u32, Num)> {
    let (l, rest) = r.split_once(',')?;
    let c = rest.split_once(',').map_or(rest, |(c, _)| c);
    Some((line_no(l)?, count(c)?))
}

/// `BRDA:<line>,<block>,<branch>,<taken>` after the tag; the branch may be text holding
/// commas (lcov 2 expressions), so `taken` is after the last comma.
#[allow(clippy::type_complexity)]
fn brda(r: &str) -> Option<(u32, Id<'_>, Id<'_>, Option<Num>)> {
    let (l, rest) = r.split_once(',')?;
    let (block, rest) = rest.split_once(',')?;
    let (branch, taken) = rest.rsplit_once(',')?;
    if block.is_empty() || branch.is_empty() {
        return None;
    }
    let taken = match taken {
        "-" => None,
        t => Some(count(t)?),
    };
    Some((line_no(l)?, Id::of(block), Id::of(branch), taken))
}

/// `FN:<start>,<name>` or lcov 2's `FN:<start>,<end>,<name>` after the tag, read as lcov 2
/// reads it (`^FN:(\d+),((\d+),)?(.+)$`): the name may hold commas (C++ signatures).
fn func(r: &str) -> Option<(u32, &str)> {
    let (l, rest) = r.split_once(',')?;
    let start = line_no(l)?;
    let fname = match rest.split_once(',') {
        Some((e, n)) if !n.is_empty() && line_no(e).is_some() => n,
        _ => rest,
    };
    (!fname.is_empty()).then_some((start, fname))
}

/// `FNL:<index>,<start>[,<end>]` after the tag.
fn fn_location(r: &str) -> Option<(u64, u32)> {
    let (i, rest) = r.split_once(',')?;
    let start = match rest.split_once(',') {
        Some((s, e)) => {
            line_no(e)?;
            s
        }
        None => rest,
    };
    Some((digits(i)?, line_no(start)?))
}

/// `FNA:<index>,<count>,<name>` after the tag.
fn fn_alias(r: &str) -> Option<(u64, Num, &str)> {
    let (i, rest) = r.split_once(',')?;
    let (n, fname) = rest.split_once(',')?;
    if fname.is_empty() {
        return None;
    }
    Some((digits(i)?, count(n)?, fname))
}

/// What the reader noticed about writers' own summary lines, for the warning.
#[derive(Default)]
struct Disagreement {
    files: usize,
    compared: usize,
    declared: [Tally; 3],
    counted: [Tally; 3],
    differs: [bool; 3],
    /// More functions listed (FN/FNDA names) than declared (llvm-cov's instantiations).
    per_instantiation: bool,
    /// More DA lines than LF (coverage.py before 7.6.2 lists non-statement lines).
    extra_lines: bool,
    /// Two functions of one file with the same name (lcov counts them once).
    same_name: Option<(String, String, u32, u32)>,
}

fn build(
    accs: Vec<Acc>,
    mut issues: Issues,
    mut warnings: Vec<String>,
) -> Result<Report, ParseError> {
    let mut files = Vec::with_capacity(accs.len());
    let mut declared_sum = Declared::default();
    let mut dropped = (0usize, 0u64, 0u64, Vec::new());
    let mut dis = Disagreement::default();
    let mut line0_files = 0usize;
    for acc in accs {
        let d = acc.declared;
        for (sum, v) in [
            (&mut declared_sum.lf, d.lf),
            (&mut declared_sum.lh, d.lh),
            (&mut declared_sum.fnf, d.fnf),
            (&mut declared_sum.fnh, d.fnh),
            (&mut declared_sum.brf, d.brf),
            (&mut declared_sum.brh, d.brh),
        ] {
            if let Some(v) = v {
                add(sum, v);
            }
        }
        if acc.lines.is_empty() {
            if !acc.functions.is_empty() || !acc.branches.is_empty() {
                dropped.0 += 1;
                dropped.1 += acc.functions.len() as u64;
                dropped.2 += acc.branches.len() as u64;
                if dropped.3.len() < SHOW {
                    dropped.3.push(format!("{:?}", acc.path));
                }
            }
            continue;
        }
        if let (None, Some((n, a, b))) = (&dis.same_name, acc.same_name) {
            dis.same_name = Some((acc.path.to_string(), n.to_string(), a, b));
        }
        let single = acc.records == 1;
        // Functions with their own FN line: llvm-cov writes one per instantiation.
        let names = acc.functions.iter().filter(|f| f.line.is_some()).count() as u64;
        let f = file(acc, &mut line0_files);
        if single && d.any() {
            dis.compared += 1;
            compare(&mut dis, &d, &f.counts, names);
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

/// One file's coverage from everything its records said.
fn file(acc: Acc, line0_files: &mut usize) -> FileCoverage {
    let Acc {
        path,
        mut lines,
        mut branches,
        functions,
        ..
    } = acc;

    if !lines.is_sorted_by_key(|l| l.0) {
        lines.sort_unstable_by_key(|l| l.0);
    }
    let mut executed_lines = Vec::with_capacity(lines.len());
    let mut line_hits = Vec::with_capacity(lines.len());
    let mut missing_lines = Vec::new();
    let mut it = lines.into_iter().peekable();
    while let Some((l, mut hits)) = it.next() {
        while let Some((_, more)) = it.next_if(|n| n.0 == l) {
            hits = hits.saturating_add(more);
        }
        if hits > 0 {
            executed_lines.push(l);
            line_hits.push(hits);
        } else {
            missing_lines.push(l);
        }
    }

    if !branches.is_sorted_by(|a, b| a.key() <= b.key()) {
        branches.sort_unstable_by_key(Branch::key);
    }
    let mut line_branches: Vec<LineBranches> = Vec::new();
    let mut found = 0u64;
    let mut hit = 0u64;
    let mut partial = 0u64;
    let mut it = branches.into_iter().peekable();
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
    if line_branches.first().is_some_and(|lb| lb.line == 0) {
        *line0_files += 1;
    }
    for lb in &line_branches {
        if lb.taken < lb.total && executed_lines.binary_search(&lb.line).is_ok() {
            partial += 1;
        }
    }

    let fn_hit = functions.iter().filter(|f| f.hits > 0).count() as u64;
    let counts = Counts {
        files: 1,
        lines: Tally::new(
            executed_lines.len() as u64,
            (executed_lines.len() + missing_lines.len()) as u64,
        ),
        functions: Tally::new(fn_hit, functions.len() as u64),
        branches: Tally::new(hit, found),
        partial_branches: partial,
        ..Counts::default()
    };
    let regions = functions
        .into_iter()
        .map(|f| Region {
            kind: RegionKind::Function,
            name: f.name.to_string(),
            start_line: f.line,
            hits: Some(f.hits),
            counts: Counts::default(),
            missing_lines: Vec::new(),
        })
        .collect();
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
        assert_eq!(count("12"), Some(Num::Val(12)));
        assert_eq!(count("-3"), Some(Num::Negative));
        assert_eq!(count("99999999999999999999999"), Some(Num::Huge));
        assert_eq!(count("1.5"), Some(Num::Val(2)));
        assert_eq!(count("1.84467440737096e+19"), Some(Num::Huge));
        assert_eq!(count("1.5e+10"), Some(Num::Val(15_000_000_000)));
        assert_eq!(count("1e400"), None);
        assert_eq!(count("x"), None);
        assert_eq!(count(""), None);
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
