//! Istanbul (nyc, c8, Jest, Vitest) `coverage-final.json` and `coverage-summary.json`.
//!
//! `coverage-final.json` maps each source file to its raw coverage: `statementMap`, `fnMap`
//! and `branchMap` (where things are) and `s`, `f` and `b` (how often they ran). It is read
//! in one streaming pass: each file's maps are turned into a [`FileCoverage`] as soon as its
//! object ends, and everything else (`inputSourceMap`, `hash`, `_coverageSchema`, `all`,
//! `meta`, `bT`, the end positions, branch `locations`) is skipped with serde's
//! `IgnoredAny`, which scans without allocating.
//!
//! The counts follow istanbul-lib-coverage 3.2 (`FileCoverage.toSummary`), which nyc, c8,
//! Jest and Vitest all use:
//! - statements: the keys of `s`; covered when the count is not 0.
//! - functions: the keys of `f`; covered when the count is not 0.
//! - branches: every element of every `b[id]` array; covered when > 0.
//! - lines (`getLineCoverage`): each statement counts on the line where it *starts*; a
//!   line's hits are the maximum over the statements starting on it; statements without a
//!   `statementMap` entry are left out.
//!
//! Per line, branches sit on the line where their branch *starts* (`branchMap[id].loc`),
//! as Istanbul's own LCOV writer places its `BRDA` records, and functions on their
//! declaration line (`fnMap[id].decl`), as its `FN` records.
//!
//! `coverage-summary.json` has the four totals per file and in all, nothing per line.

use crate::error::ParseError;
use crate::formats::coveragepy::json_error;
use crate::model::{
    Counts, FileCoverage, LineBranches, Metric, Region, RegionKind, Report, Source, Tally,
};
use crate::rules::{Tool, ISTANBUL};
use serde::de::{self, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

/// Name of `coverage-final.json` in [`Source::format`].
pub const FORMAT_FINAL: &str = "istanbul-json";
/// Name of `coverage-summary.json` in [`Source::format`].
pub const FORMAT_SUMMARY: &str = "istanbul-json-summary";

/// Istanbul's metrics in the order its `text-summary` lists them; lines lead.
const METRICS: [Metric; 4] = [
    Metric::Statements,
    Metric::Branches,
    Metric::Functions,
    Metric::Lines,
];

/// A key of `s`, `f`, `b` and their maps. JavaScript objects keep integer keys in numeric
/// order and others after them, and two keys are the same only when their text is:
/// `"1"` and `"01"` differ. Istanbul writes `"0"`, `"1"`, …, which are read without
/// allocating.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Id {
    /// A canonical decimal integer (`"0"`, `"17"`, never `"017"`).
    Index(u32),
    /// Any other key.
    Name(Box<str>),
}

impl Id {
    fn of(s: &str) -> Id {
        let canonical = !s.is_empty()
            && s.len() <= 10
            && s.bytes().all(|b| b.is_ascii_digit())
            && (s == "0" || !s.starts_with('0'));
        match canonical.then(|| s.parse::<u32>().ok()).flatten() {
            Some(n) => Id::Index(n),
            None => Id::Name(s.into()),
        }
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Id::Index(n) => write!(f, "{n}"),
            Id::Name(s) => write!(f, "{s:?}"),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Id, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Id;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E>(self, s: &str) -> Result<Id, E> {
                Ok(Id::of(s))
            }
        }
        d.deserialize_str(V)
    }
}

/// One of the per-file objects keyed by [`Id`], in the report's order.
struct IdMap<V>(Vec<(Id, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for IdMap<V> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapVisitor<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for MapVisitor<V> {
            type Value = IdMap<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object keyed by id")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<IdMap<V>, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<Id, V>()? {
                    out.push(entry);
                }
                Ok(IdMap(out))
            }
        }
        d.deserialize_map(MapVisitor(PhantomData))
    }
}

impl<V> IdMap<V> {
    /// The entries sorted by id, a repeated id keeping its last value (as `JSON.parse`
    /// does), and how many repeats were dropped.
    fn normalize(self) -> (Vec<(Id, V)>, usize) {
        let mut v = self.0;
        if v.iter().zip(v.iter().skip(1)).all(|(a, b)| a.0 < b.0) {
            return (v, 0);
        }
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(Id, V)> = Vec::with_capacity(v.len());
        let mut dups = 0;
        for (id, val) in v {
            match out.last_mut() {
                Some(last) if last.0 == id => {
                    last.1 = val;
                    dups += 1;
                }
                _ => out.push((id, val)),
            }
        }
        (out, dups)
    }
}

/// Finds entries of a sorted map for ids asked in ascending order, in one linear pass.
struct Joiner<'a, V> {
    entries: &'a [(Id, V)],
    at: usize,
}

impl<'a, V> Joiner<'a, V> {
    fn new(entries: &'a [(Id, V)]) -> Self {
        Joiner { entries, at: 0 }
    }

    fn find(&mut self, id: &Id) -> Option<&'a V> {
        while let Some((k, v)) = self.entries.get(self.at) {
            match k.cmp(id) {
                std::cmp::Ordering::Less => self.at += 1,
                std::cmp::Ordering::Equal => return Some(v),
                std::cmp::Ordering::Greater => return None,
            }
        }
        None
    }
}

/// A position; only its line is used (columns count UTF-16 units and may be `null`).
#[derive(Deserialize)]
struct Pos {
    #[serde(default)]
    line: Option<u32>,
}

/// A location; only where it starts is used.
#[derive(Deserialize)]
struct Loc {
    #[serde(default)]
    start: Option<Pos>,
}

impl Loc {
    fn line(&self) -> Option<u32> {
        self.start.as_ref().and_then(|p| p.line)
    }
}

#[derive(Deserialize)]
struct FnMeta {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    decl: Option<Loc>,
    #[serde(default)]
    loc: Option<Loc>,
    #[serde(default)]
    line: Option<u32>,
}

impl FnMeta {
    /// Where Istanbul's LCOV writer puts the function: its declaration, else its body.
    fn start_line(&self) -> Option<u32> {
        self.decl
            .as_ref()
            .and_then(Loc::line)
            .or_else(|| self.loc.as_ref().and_then(Loc::line))
            .or(self.line)
    }
}

#[derive(Deserialize)]
struct BranchMeta {
    #[serde(default)]
    loc: Option<Loc>,
    #[serde(default)]
    line: Option<u32>,
}

impl BranchMeta {
    /// Where Istanbul's LCOV writer puts the branch (`BRDA`): where the branch starts.
    fn start_line(&self) -> Option<u32> {
        self.loc.as_ref().and_then(Loc::line).or(self.line)
    }
}

/// One file of `coverage-final.json`. Keys not named here (`inputSourceMap`, `hash`,
/// `_coverageSchema`, `all`, `meta`, `bT`, `contentHash`) are skipped with `IgnoredAny`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawFile {
    path: Option<String>,
    statement_map: Option<IdMap<Loc>>,
    fn_map: Option<IdMap<FnMeta>>,
    branch_map: Option<IdMap<BranchMeta>>,
    s: Option<IdMap<u64>>,
    f: Option<IdMap<u64>>,
    b: Option<IdMap<Vec<u64>>>,
}

/// Per-file oddities, gathered so that each kind gives one warning line.
#[derive(Default)]
struct Issues {
    path_differs: Vec<String>,
    duplicate_ids: Vec<String>,
    unplaced_statements: Vec<String>,
    unplaced_branches: Vec<String>,
    unnamed_functions: Vec<String>,
    duplicate_files: Vec<String>,
}

const SHOW: usize = 3;

/// "2 files (\"a\", \"b\")" with at most [`SHOW`] names.
fn listed(names: &[String]) -> String {
    let more = names.len().saturating_sub(SHOW);
    let mut shown: Vec<String> = names.iter().take(SHOW).cloned().collect();
    if more > 0 {
        shown.push(format!("and {more} more"));
    }
    format!(
        "{} file{} ({})",
        names.len(),
        if names.len() == 1 { "" } else { "s" },
        shown.join(", ")
    )
}

impl Issues {
    fn report(self, warnings: &mut Vec<String>) {
        let lines: [(&Vec<String>, &str); 6] = [
            (
                &self.duplicate_files,
                "are listed more than once; the last entry of each is used, as JavaScript's \
                 JSON.parse does",
            ),
            (
                &self.path_differs,
                "have a \"path\" that differs from their key; covgap shows the key, as \
                 Istanbul's reports do",
            ),
            (
                &self.duplicate_ids,
                "repeat an id inside s, f, b or their maps; the last value of each is used, as \
                 JavaScript's JSON.parse does",
            ),
            (
                &self.unplaced_statements,
                "have statements with no statementMap line; they count as statements but not \
                 as lines, as in Istanbul",
            ),
            (
                &self.unplaced_branches,
                "have branches with no branchMap line; they count in the branch totals but are \
                 not shown on a line",
            ),
            (
                &self.unnamed_functions,
                "have functions with no fnMap entry; they count, under their id",
            ),
        ];
        for (names, what) in lines {
            if !names.is_empty() {
                warnings.push(format!("{} {what}", listed(names)));
            }
        }
    }
}

/// A whole `coverage-final.json`: its files, read one at a time.
struct Final {
    files: Vec<FileCoverage>,
    issues: Issues,
}

impl<'de> Deserialize<'de> for Final {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Final;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object mapping each source file to its coverage")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Final, A::Error> {
                let mut issues = Issues::default();
                let mut files: Vec<FileCoverage> = Vec::new();
                let mut index: HashMap<String, usize> = HashMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    let raw: RawFile = map.next_value()?;
                    let file = build_file(key, raw, &mut issues).map_err(de::Error::custom)?;
                    // JSON.parse keeps the last value of a repeated key, in the first
                    // one's place.
                    match index.get(&file.path).and_then(|&i| files.get_mut(i)) {
                        Some(slot) => {
                            issues.duplicate_files.push(format!("{:?}", file.path));
                            *slot = file;
                        }
                        None => {
                            index.insert(file.path.clone(), files.len());
                            files.push(file);
                        }
                    }
                }
                Ok(Final { files, issues })
            }
        }
        d.deserialize_map(V)
    }
}

/// Reads `text` (named `name` in messages); `warnings` are what was noticed before.
pub(crate) fn parse_final(
    name: &str,
    text: &str,
    mut warnings: Vec<String>,
) -> Result<Report, ParseError> {
    let parsed: Final =
        serde_json::from_str(text).map_err(|e| json_error::<Final>(name, text, e))?;
    parsed.issues.report(&mut warnings);
    if parsed.files.is_empty() {
        warnings.push(
            "the report lists no files (Istanbul shows \"Unknown%\" for an empty report)".into(),
        );
    }
    Ok(Report {
        source: Source {
            branch_coverage: true,
            hit_counts: true,
            ..Source::new(FORMAT_FINAL, Tool::Istanbul)
        },
        metrics: METRICS.to_vec(),
        root: None,
        files: parsed.files,
        declared_totals: None,
        warnings,
    })
}

/// One file's coverage from its raw maps, counted as istanbul-lib-coverage does.
fn build_file(key: String, raw: RawFile, issues: &mut Issues) -> Result<FileCoverage, String> {
    let RawFile {
        path,
        statement_map: Some(statement_map),
        fn_map: Some(fn_map),
        branch_map: Some(branch_map),
        s: Some(s),
        f: Some(f),
        b: Some(b),
    } = raw
    else {
        let missing: Vec<&str> = [
            ("path", raw.path.is_none()),
            ("statementMap", raw.statement_map.is_none()),
            ("fnMap", raw.fn_map.is_none()),
            ("branchMap", raw.branch_map.is_none()),
            ("s", raw.s.is_none()),
            ("f", raw.f.is_none()),
            ("b", raw.b.is_none()),
        ]
        .into_iter()
        .filter_map(|(k, absent)| absent.then_some(k))
        .collect();
        return Err(format!(
            "the entry for {key:?} has no {}; Istanbul needs path, statementMap, fnMap, \
             branchMap, s, f and b in every file",
            missing.join(", ")
        ));
    };
    let Some(path) = path else {
        return Err(format!(
            "the entry for {key:?} has no path; Istanbul needs path, statementMap, fnMap, \
             branchMap, s, f and b in every file"
        ));
    };
    if path != key {
        issues.path_differs.push(format!("{key:?}"));
    }
    let (s, d1) = s.normalize();
    let (statement_map, d2) = statement_map.normalize();
    let (f, d3) = f.normalize();
    let (fn_map, d4) = fn_map.normalize();
    let (b, d5) = b.normalize();
    let (branch_map, d6) = branch_map.normalize();
    if d1 + d2 + d3 + d4 + d5 + d6 > 0 {
        issues.duplicate_ids.push(format!("{key:?}"));
    }

    // Statements, and lines from the lines they start on (getLineCoverage).
    let statements = Tally::new(
        s.iter().filter(|(_, c)| *c > 0).count() as u64,
        s.len() as u64,
    );
    let mut starts: Vec<(u32, u64)> = Vec::with_capacity(s.len());
    let mut unplaced = false;
    let mut at = Joiner::new(&statement_map);
    for (id, count) in &s {
        match at.find(id).and_then(Loc::line) {
            Some(line) => starts.push((line, *count)),
            None => unplaced = true,
        }
    }
    if unplaced {
        issues.unplaced_statements.push(format!("{key:?}"));
    }
    let lines = max_per_line(starts);
    let mut executed_lines = Vec::new();
    let mut line_hits = Vec::new();
    let mut missing_lines = Vec::new();
    for &(line, hits) in &lines {
        if hits > 0 {
            executed_lines.push(line);
            line_hits.push(hits);
        } else {
            missing_lines.push(line);
        }
    }
    let line_tally = Tally::new(executed_lines.len() as u64, lines.len() as u64);

    // Branches: every location of every b[id] is one.
    let mut branches = Tally::default();
    let mut per_line: Vec<(u32, u64, u64)> = Vec::new();
    let mut unplaced = false;
    let mut at = Joiner::new(&branch_map);
    for (id, hits) in &b {
        let taken = hits.iter().filter(|&&h| h > 0).count() as u64;
        let total = hits.len() as u64;
        branches += Tally::new(taken, total);
        if total == 0 {
            continue;
        }
        match at.find(id).and_then(BranchMeta::start_line) {
            Some(line) => per_line.push((line, taken, total)),
            None => unplaced = true,
        }
    }
    if unplaced {
        issues.unplaced_branches.push(format!("{key:?}"));
    }
    let line_branches = branches_per_line(per_line);
    let partial_branches = line_branches
        .iter()
        .filter(|lb| {
            lb.taken < lb.total && (lb.taken > 0 || hits_of(&lines, lb.line).is_some_and(|h| h > 0))
        })
        .count() as u64;

    // Functions: the keys of f, named from fnMap.
    let functions = Tally::new(
        f.iter().filter(|(_, c)| *c > 0).count() as u64,
        f.len() as u64,
    );
    let mut regions = Vec::with_capacity(f.len());
    let mut unnamed = false;
    let mut at = Joiner::new(&fn_map);
    for (id, hits) in f {
        let meta = at.find(&id);
        let name = match meta.and_then(|m| m.name.clone()) {
            Some(n) => n,
            None => {
                unnamed |= meta.is_none();
                format!("(function {id})")
            }
        };
        regions.push(Region {
            kind: RegionKind::Function,
            name,
            start_line: meta.and_then(FnMeta::start_line),
            hits: Some(hits),
            counts: Counts::default(),
            missing_lines: Vec::new(),
        });
    }
    if unnamed {
        issues.unnamed_functions.push(format!("{key:?}"));
    }

    Ok(FileCoverage {
        path: key,
        counts: Counts {
            files: 1,
            statements,
            lines: line_tally,
            branches,
            functions,
            partial_branches,
            ..Counts::default()
        },
        executed_lines,
        line_hits,
        missing_lines,
        line_branches,
        regions,
        ..FileCoverage::default()
    })
}

/// (line, hits) pairs folded to one per line, ascending, keeping the largest count.
fn max_per_line(mut v: Vec<(u32, u64)>) -> Vec<(u32, u64)> {
    if !v.is_sorted_by_key(|&(l, _)| l) {
        v.sort_unstable_by_key(|&(l, _)| l);
    }
    let mut out: Vec<(u32, u64)> = Vec::with_capacity(v.len());
    for (line, hits) in v {
        match out.last_mut() {
            Some(last) if last.0 == line => last.1 = last.1.max(hits),
            _ => out.push((line, hits)),
        }
    }
    out
}

/// (line, taken, total) triples summed per line, ascending.
fn branches_per_line(mut v: Vec<(u32, u64, u64)>) -> Vec<LineBranches> {
    v.sort_by_key(|&(l, _, _)| l);
    let mut out: Vec<(u32, u64, u64)> = Vec::with_capacity(v.len());
    for (line, taken, total) in v {
        match out.last_mut() {
            Some(last) if last.0 == line => {
                last.1 += taken;
                last.2 += total;
            }
            _ => out.push((line, taken, total)),
        }
    }
    out.into_iter()
        .map(|(line, taken, total)| LineBranches {
            line,
            taken: u32::try_from(taken).unwrap_or(u32::MAX),
            total: u32::try_from(total).unwrap_or(u32::MAX),
        })
        .collect()
}

/// The hits of `line` in an ascending (line, hits) list.
fn hits_of(lines: &[(u32, u64)], line: u32) -> Option<u64> {
    lines
        .binary_search_by_key(&line, |&(l, _)| l)
        .ok()
        .and_then(|i| lines.get(i))
        .map(|&(_, h)| h)
}

/// A `pct` as `coverage-summary.json` writes it: a number, or `"Unknown"` for an empty
/// report's totals.
#[derive(Clone, Debug, PartialEq)]
enum Pct {
    Number(f64),
    Text(String),
}

impl<'de> Deserialize<'de> for Pct {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Pct, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Pct;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or \"Unknown\"")
            }
            fn visit_f64<E>(self, x: f64) -> Result<Pct, E> {
                Ok(Pct::Number(x))
            }
            fn visit_u64<E>(self, x: u64) -> Result<Pct, E> {
                Ok(Pct::Number(x as f64))
            }
            fn visit_i64<E>(self, x: i64) -> Result<Pct, E> {
                Ok(Pct::Number(x as f64))
            }
            fn visit_str<E>(self, s: &str) -> Result<Pct, E> {
                Ok(Pct::Text(s.to_string()))
            }
            fn visit_unit<E>(self) -> Result<Pct, E> {
                Ok(Pct::Text("null".into()))
            }
        }
        d.deserialize_any(V)
    }
}

impl fmt::Display for Pct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pct::Number(x) => write!(f, "{x}"),
            Pct::Text(s) => write!(f, "{s:?}"),
        }
    }
}

/// One metric of a `coverage-summary.json` entry.
#[derive(Deserialize)]
struct RawMetric {
    total: u64,
    covered: u64,
    #[serde(default)]
    skipped: u64,
    #[serde(default)]
    pct: Option<Pct>,
}

/// One entry (a file, or `total`) of `coverage-summary.json`. `branchesTrue` (written
/// when instrumented with `reportLogic`) is not one of the four metrics and is skipped.
#[derive(Deserialize)]
struct RawEntry {
    lines: RawMetric,
    statements: RawMetric,
    functions: RawMetric,
    branches: RawMetric,
}

impl RawEntry {
    fn counts(&self, files: u64) -> Counts {
        let t = |m: &RawMetric| Tally::new(m.covered, m.total);
        Counts {
            files,
            statements: t(&self.statements),
            lines: t(&self.lines),
            branches: t(&self.branches),
            functions: t(&self.functions),
            ..Counts::default()
        }
    }

    fn metrics(&self) -> [(&'static str, &RawMetric); 4] {
        [
            ("statements", &self.statements),
            ("branches", &self.branches),
            ("functions", &self.functions),
            ("lines", &self.lines),
        ]
    }
}

/// A whole `coverage-summary.json`, in the report's order.
struct Summary(Vec<(String, RawEntry)>);

impl<'de> Deserialize<'de> for Summary {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Summary;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object with \"total\" and one entry per source file")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Summary, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry::<String, RawEntry>()? {
                    out.push(entry);
                }
                Ok(Summary(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// istanbul-lib-coverage before 3.0.1 rounded half-up: `floor((100000·c/t + 5)/10)/100`.
fn legacy_percent(t: Tally) -> f64 {
    if t.total == 0 {
        return 100.0;
    }
    (((100_000.0 * t.covered as f64) / t.total as f64 + 5.0) / 10.0).floor() / 100.0
}

/// How a written pct compares with the one Istanbul computes from the counts.
#[derive(PartialEq)]
enum PctCheck {
    Agrees,
    /// What istanbul-lib-coverage ≤ 3.0.0 wrote (rounded half-up).
    Legacy,
    Differs,
}

fn check_pct(m: &RawMetric) -> PctCheck {
    let t = Tally::new(m.covered, m.total);
    match &m.pct {
        None => PctCheck::Agrees,
        Some(Pct::Number(x)) if *x == ISTANBUL.tally_percent(t) => PctCheck::Agrees,
        Some(Pct::Number(x)) if *x == legacy_percent(t) => PctCheck::Legacy,
        Some(Pct::Text(s)) if s == "Unknown" && m.total == 0 => PctCheck::Agrees,
        Some(_) => PctCheck::Differs,
    }
}

/// Reads `text` (named `name` in messages); `warnings` are what was noticed before.
pub(crate) fn parse_summary(
    name: &str,
    text: &str,
    mut warnings: Vec<String>,
) -> Result<Report, ParseError> {
    let Summary(entries) =
        serde_json::from_str(text).map_err(|e| json_error::<Summary>(name, text, e))?;
    let mut total: Option<RawEntry> = None;
    let mut files: Vec<FileCoverage> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut duplicates = Vec::new();
    let mut differs: Vec<String> = Vec::new();
    let mut legacy = 0usize;
    let mut skipped: Vec<String> = Vec::new();
    for (key, entry) in entries {
        for (metric, m) in entry.metrics() {
            match check_pct(m) {
                PctCheck::Agrees => {}
                PctCheck::Legacy => legacy += 1,
                PctCheck::Differs => differs.push(format!(
                    "{key:?} {metric} pct {} but {}/{} gives {}",
                    m.pct.as_ref().map_or_else(String::new, Pct::to_string),
                    m.covered,
                    m.total,
                    ISTANBUL.tally_percent(Tally::new(m.covered, m.total))
                )),
            }
            if m.skipped > 0 {
                skipped.push(format!("{key:?} {metric} {}", m.skipped));
            }
        }
        if key == "total" {
            if total.is_some() {
                duplicates.push(format!("{key:?}"));
            }
            total = Some(entry);
            continue;
        }
        let file = FileCoverage {
            path: key,
            counts: entry.counts(1),
            ..FileCoverage::default()
        };
        match index.get(&file.path).and_then(|&i| files.get_mut(i)) {
            Some(slot) => {
                duplicates.push(format!("{:?}", file.path));
                *slot = file;
            }
            None => {
                index.insert(file.path.clone(), files.len());
                files.push(file);
            }
        }
    }
    if !duplicates.is_empty() {
        warnings.push(format!(
            "{} are listed more than once; the last entry of each is used, as JavaScript's \
             JSON.parse does",
            listed(&duplicates)
        ));
    }
    if !differs.is_empty() {
        let more = differs.len().saturating_sub(SHOW);
        let mut shown: Vec<String> = differs.iter().take(SHOW).cloned().collect();
        if more > 0 {
            shown.push(format!("and {more} more"));
        }
        warnings.push(format!(
            "{} pct value{} do not follow from their counts ({}); covgap shows the \
             percentage Istanbul computes from the counts",
            differs.len(),
            if differs.len() == 1 { "" } else { "s" },
            shown.join("; ")
        ));
    }
    if legacy > 0 {
        warnings.push(format!(
            "{legacy} pct value{} rounded half-up, as istanbul-lib-coverage before 3.0.1 \
             (2021) did; covgap shows current Istanbul's figures, floored to 2 decimals, \
             which can be 0.01 lower",
            if legacy == 1 { " is" } else { "s are" }
        ));
    }
    if !skipped.is_empty() {
        warnings.push(format!(
            "{} entr{} count skipped (ignored) items ({}), which covgap does not show; \
             percentages are covered of total, as Istanbul computes them",
            skipped.len(),
            if skipped.len() == 1 { "y" } else { "ies" },
            skipped
                .iter()
                .take(SHOW)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let recomputed: Counts = files.iter().map(|f| f.counts).sum();
    let declared_totals = match total {
        Some(t) => {
            let declared = t.counts(files.len() as u64);
            if declared != recomputed {
                warnings.push(format!(
                    "the report's total ({}) differs from the sum of its files ({}); covgap \
                     shows the sum of the files",
                    describe(&declared),
                    describe(&recomputed)
                ));
            }
            Some(declared)
        }
        None => {
            warnings
                .push("the report has no \"total\"; totals were recomputed from the files".into());
            None
        }
    };
    Ok(Report {
        source: Source {
            branch_coverage: true,
            summary_only: true,
            ..Source::new(FORMAT_SUMMARY, Tool::Istanbul)
        },
        metrics: METRICS.to_vec(),
        root: None,
        files,
        declared_totals,
        warnings,
    })
}

/// "statements 3263/3265, branches …" for messages.
fn describe(c: &Counts) -> String {
    METRICS
        .iter()
        .map(|&m| {
            let t = c.get(m);
            format!("{m} {}/{}", t.covered, t.total)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn final_of(json: &str) -> Report {
        parse_final("t.json", json, Vec::new()).unwrap()
    }

    #[test]
    fn ids_are_javascript_keys() {
        assert_eq!(Id::of("0"), Id::Index(0));
        assert_eq!(Id::of("17"), Id::Index(17));
        assert_eq!(Id::of("017"), Id::Name("017".into()));
        assert_eq!(Id::of("99999999999"), Id::Name("99999999999".into()));
        assert_eq!(Id::of(""), Id::Name("".into()));
        assert!(Id::Index(2) < Id::Index(10));
        assert!(Id::Index(u32::MAX) < Id::Name("a".into()));
    }

    #[test]
    fn lines_take_the_max_over_statements_starting_on_them() {
        // Statements 0 and 1 start on line 3 (counts 0 and 4); 2 spans 5-9 and counts
        // only on line 5; 3 has no statementMap entry (a statement, not a line).
        let r = final_of(
            r#"{"/p/a.js": {"path": "/p/a.js",
              "statementMap": {"0": {"start": {"line": 3, "column": 0}, "end": {"line": 3, "column": null}},
                               "1": {"start": {"line": 3, "column": 9}, "end": {"line": 3, "column": 12}},
                               "2": {"start": {"line": 5, "column": 0}, "end": {"line": 9, "column": 1}}},
              "fnMap": {}, "branchMap": {},
              "s": {"0": 0, "1": 4, "2": 0, "3": 7}, "f": {}, "b": {}}}"#,
        );
        let f = &r.files[0];
        assert_eq!(f.counts.statements, Tally::new(2, 4));
        assert_eq!(f.counts.lines, Tally::new(1, 2));
        assert_eq!(f.executed_lines, vec![3]);
        assert_eq!(f.line_hits, vec![4]);
        assert_eq!(f.missing_lines, vec![5]);
        assert!(r
            .warnings
            .iter()
            .any(|w| w.contains("no statementMap line")));
        // Nothing measured in a category: 0 of 0, which Istanbul shows as 100.
        assert_eq!(ISTANBUL.show(&f.counts, Metric::Functions, 0), "100");
    }

    #[test]
    fn branches_functions_and_partial_lines() {
        let r = final_of(
            r#"{"/p/a.js": {"path": "/p/a.js",
              "statementMap": {"0": {"start": {"line": 1}}, "1": {"start": {"line": 2}}},
              "fnMap": {"0": {"name": "f", "decl": {"start": {"line": 1, "column": 9}}, "loc": {"start": {"line": 1}}, "line": 1},
                        "1": {"name": "g", "loc": {"start": {"line": 7}}}},
              "branchMap": {"0": {"type": "if", "line": 2, "loc": {"start": {"line": 2}}, "locations": [{"start": {"line": 2}}, {"start": {}, "end": {}}]},
                            "1": {"type": "switch", "loc": {"start": {"line": 4}}, "locations": []},
                            "2": {"type": "default-arg", "loc": {"start": {"line": 1}}, "locations": [{}]}},
              "s": {"0": 1, "1": 1}, "f": {"0": 2, "1": 0},
              "b": {"0": [1, 0], "1": [0, 0, 0], "2": [0]}}}"#,
        );
        let f = &r.files[0];
        assert_eq!(f.counts.branches, Tally::new(1, 6));
        assert_eq!(f.counts.functions, Tally::new(1, 2));
        assert_eq!(
            f.line_branches,
            vec![
                LineBranches {
                    line: 1,
                    taken: 0,
                    total: 1
                },
                LineBranches {
                    line: 2,
                    taken: 1,
                    total: 2
                },
                LineBranches {
                    line: 4,
                    taken: 0,
                    total: 3
                },
            ]
        );
        // Line 1 ran (its statement did) with its default argument unused; line 2 took one
        // way of two; line 4 never ran.
        assert_eq!(f.counts.partial_branches, 2);
        let names: Vec<(&str, Option<u32>, Option<u64>)> = f
            .regions
            .iter()
            .map(|r| (r.name.as_str(), r.start_line, r.hits))
            .collect();
        assert_eq!(
            names,
            vec![("f", Some(1), Some(2)), ("g", Some(7), Some(0))]
        );
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn repeated_keys_keep_the_last_value_like_json_parse() {
        let r = final_of(
            r#"{"/p/a.js": {"path": "/p/a.js", "statementMap": {"1": {"start": {"line": 1}}, "0": {"start": {"line": 2}}},
              "fnMap": {}, "branchMap": {}, "s": {"1": 0, "0": 5, "1": 3}, "f": {}, "b": {}},
              "/p/b.js": {"path": "/p/b.js", "statementMap": {}, "fnMap": {}, "branchMap": {}, "s": {}, "f": {}, "b": {}},
              "/p/a.js": {"path": "/p/a.js", "statementMap": {"0": {"start": {"line": 2}}},
              "fnMap": {}, "branchMap": {}, "s": {"0": 0}, "f": {}, "b": {}}}"#,
        );
        assert_eq!(r.files.len(), 2);
        assert_eq!(r.files[0].path, "/p/a.js");
        assert_eq!(r.files[0].counts.statements, Tally::new(0, 1));
        assert!(r.warnings.iter().any(|w| w.contains("more than once")));
    }

    #[test]
    fn missing_maps_are_an_error_as_in_istanbul() {
        let e = parse_final(
            "t.json",
            r#"{"/p/a.js": {"path": "/p/a.js", "statementMap": {}, "s": {}}}"#,
            Vec::new(),
        )
        .unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("\"/p/a.js\" has no fnMap, branchMap, f, b"),
            "{msg}"
        );
    }

    #[test]
    fn summary_pct_checks() {
        let entry = |pct: &str| {
            format!(
                r#"{{"lines":{{"total":3,"covered":2,"skipped":0,"pct":{pct}}},
                    "statements":{{"total":0,"covered":0,"skipped":0,"pct":100}},
                    "functions":{{"total":0,"covered":0,"skipped":0,"pct":"Unknown"}},
                    "branches":{{"total":8,"covered":1,"skipped":0,"pct":12.5}}}}"#
            )
        };
        let doc = |pct: &str| format!(r#"{{"total": {}, "/p/a.js": {}}}"#, entry(pct), entry(pct));
        let ok = parse_summary("s.json", &doc("66.66"), Vec::new()).unwrap();
        assert!(ok.warnings.is_empty(), "{:?}", ok.warnings);
        assert!(ok.source.summary_only);
        assert_eq!(ok.totals().lines, Tally::new(2, 3));
        let legacy = parse_summary("s.json", &doc("66.67"), Vec::new()).unwrap();
        assert!(legacy.warnings.iter().any(|w| w.contains("before 3.0.1")));
        let wrong = parse_summary("s.json", &doc("70"), Vec::new()).unwrap();
        assert!(wrong
            .warnings
            .iter()
            .any(|w| w.contains("\"/p/a.js\" lines pct 70 but 2/3 gives 66.66")));
    }

    #[test]
    fn empty_summary_is_unknown() {
        let r = parse_summary(
            "s.json",
            r#"{"total": {"lines":{"total":0,"covered":0,"skipped":0,"pct":"Unknown"},
              "statements":{"total":0,"covered":0,"skipped":0,"pct":"Unknown"},
              "functions":{"total":0,"covered":0,"skipped":0,"pct":"Unknown"},
              "branches":{"total":0,"covered":0,"skipped":0,"pct":"Unknown"}}}"#,
            Vec::new(),
        )
        .unwrap();
        assert!(r.files.is_empty());
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn legacy_rounding() {
        // 2/3 rounded half-up by istanbul-lib-coverage 3.0.0 and earlier.
        assert_eq!(legacy_percent(Tally::new(2, 3)), 66.67);
        assert_eq!(legacy_percent(Tally::new(827, 829)), 99.76);
    }
}
