//! coverage.py's JSON report (`coverage json`, pytest-cov `--cov-report=json`), formats
//! 1 (no `meta.format`), 2 and 3, read in one pass.
//!
//! The top level is read by a hand-written visitor so that one pass both reads a
//! coverage.py report and recognises other tools' JSON (Istanbul, llvm-cov) by their keys,
//! without building a `serde_json::Value` of a possibly 50 MB file. Function and class
//! regions are ~90% of a 7.6+ report's bytes; unless asked for they are skipped with
//! `IgnoredAny`, which scans but allocates nothing.

use crate::error::{ErrorKind, ParseError};
use crate::model::{Arc, Counts, FileCoverage, Metric, Region, RegionKind, Report, Source, Tally};
use crate::rules::Tool;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

/// Name of this format in [`Source::format`].
pub const FORMAT: &str = "coverage.py-json";

#[derive(Deserialize, Default)]
struct RawMeta {
    format: Option<u32>,
    version: Option<String>,
    timestamp: Option<String>,
    branch_coverage: Option<bool>,
    show_contexts: Option<bool>,
}

/// A `summary` object. Counts are u32: no real report has four billion statements, and a
/// larger number is far more likely corruption than code, so serde rejects it for us.
#[derive(Deserialize)]
struct RawSummary {
    covered_lines: u32,
    num_statements: u32,
    missing_lines: u32,
    #[serde(default)]
    excluded_lines: u32,
    #[serde(default)]
    num_branches: u32,
    #[serde(default)]
    num_partial_branches: u32,
    #[serde(default)]
    covered_branches: u32,
    #[serde(default)]
    missing_branches: u32,
    percent_covered: Option<f64>,
}

impl RawSummary {
    fn counts(&self, files: u64) -> Counts {
        Counts {
            files,
            statements: Tally::new(self.covered_lines.into(), self.num_statements.into()),
            branches: Tally::new(self.covered_branches.into(), self.num_branches.into()),
            excluded: self.excluded_lines.into(),
            partial_branches: self.num_partial_branches.into(),
            ..Counts::default()
        }
    }
}

#[derive(Deserialize)]
struct RawRegion {
    summary: RawSummary,
    #[serde(default)]
    missing_lines: Vec<u32>,
    start_line: Option<u32>,
}

#[derive(Deserialize)]
#[serde(bound = "R: Deserialize<'de>")]
struct RawFile<R> {
    summary: RawSummary,
    #[serde(default)]
    executed_lines: Vec<u32>,
    #[serde(default)]
    missing_lines: Vec<u32>,
    #[serde(default)]
    excluded_lines: Vec<u32>,
    #[serde(default)]
    executed_branches: Vec<(i32, i32)>,
    #[serde(default)]
    missing_branches: Vec<(i32, i32)>,
    #[serde(default)]
    contexts: Option<BTreeMap<String, Vec<String>>>,
    #[serde(default = "Option::default")]
    functions: Option<R>,
    #[serde(default = "Option::default")]
    classes: Option<R>,
}

/// How regions are kept: either skipped or read into a map.
trait Regions: for<'de> Deserialize<'de> {
    fn into_regions(self, kind: RegionKind, out: &mut Vec<Region>);
}

impl Regions for IgnoredAny {
    fn into_regions(self, _: RegionKind, _: &mut Vec<Region>) {}
}

/// A `functions` or `classes` object read in full, in the report's order.
struct RegionMap(Vec<(String, RawRegion)>);

impl<'de> Deserialize<'de> for RegionMap {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(OrderedMap(PhantomData)).map(RegionMap)
    }
}

impl Regions for RegionMap {
    fn into_regions(self, kind: RegionKind, out: &mut Vec<Region>) {
        out.extend(self.0.into_iter().map(|(name, r)| Region {
            kind,
            name,
            start_line: r.start_line,
            hits: None,
            counts: r.summary.counts(0),
            missing_lines: r.missing_lines,
        }));
    }
}

/// Reads a JSON object into a Vec of (key, value) pairs, keeping the report's order.
struct OrderedMap<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for OrderedMap<V> {
    type Value = Vec<(String, V)>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(k) = map.next_key::<String>()? {
            out.push((k, map.next_value()?));
        }
        Ok(out)
    }
}

impl<'de, V: Deserialize<'de>> DeserializeSeed<'de> for OrderedMap<V> {
    type Value = Vec<(String, V)>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

/// What a top-level value that is not one of coverage.py's keys looks like: enough to
/// name the tool that wrote the file.
#[derive(Default)]
struct Probe {
    istanbul_file: bool,
    istanbul_summary: bool,
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Probe;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
                let mut p = Probe::default();
                while let Some(k) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match k.as_ref() {
                        "statementMap" | "fnMap" | "branchMap" => p.istanbul_file = true,
                        "lines" | "statements" => p.istanbul_summary = true,
                        _ => {}
                    }
                    map.next_value::<IgnoredAny>()?;
                }
                Ok(p)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut s: A) -> Result<Probe, A::Error> {
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Probe::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<Probe, E> {
                Ok(Probe::default())
            }
            fn visit_unit<E>(self) -> Result<Probe, E> {
                Ok(Probe::default())
            }
        }
        d.deserialize_any(V)
    }
}

/// The top-level object, whichever tool wrote it.
struct Top<R> {
    keys: usize,
    meta: Option<RawMeta>,
    files: Option<Vec<(String, RawFile<R>)>>,
    totals: Option<RawSummary>,
    llvm_type: bool,
    istanbul_file: bool,
    istanbul_summary: bool,
}

struct TopVisitor<R>(PhantomData<R>);

impl<'de, R: Regions> Visitor<'de> for TopVisitor<R> {
    type Value = Top<R>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object with meta, files and totals")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top<R>, A::Error> {
        let mut top = Top {
            keys: 0,
            meta: None,
            files: None,
            totals: None,
            llvm_type: false,
            istanbul_file: false,
            istanbul_summary: false,
        };
        while let Some(k) = map.next_key::<String>()? {
            top.keys += 1;
            match k.as_str() {
                "meta" => top.meta = Some(map.next_value()?),
                "files" => top.files = Some(map.next_value_seed(OrderedMap(PhantomData))?),
                "totals" => top.totals = Some(map.next_value()?),
                "type" => {
                    let v: serde_json::Value = map.next_value()?;
                    top.llvm_type = v.as_str() == Some("llvm.coverage.json.export");
                }
                _ => {
                    let p: Probe = map.next_value()?;
                    top.istanbul_file |= p.istanbul_file;
                    top.istanbul_summary |= k == "total" && p.istanbul_summary;
                }
            }
        }
        Ok(top)
    }
}

impl<'de, R: Regions> Deserialize<'de> for Top<R> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(TopVisitor(PhantomData))
    }
}

/// Reads a coverage.py JSON report from text already checked to start with `{`.
pub(crate) fn parse_json(
    name: &str,
    text: &str,
    regions: bool,
    warnings: Vec<String>,
) -> Result<Report, ParseError> {
    if regions {
        read::<RegionMap>(name, text, warnings)
    } else {
        read::<IgnoredAny>(name, text, warnings)
    }
}

fn read<R: Regions>(name: &str, text: &str, warnings: Vec<String>) -> Result<Report, ParseError> {
    let top: Top<R> = match serde_json::from_str(text) {
        Ok(t) => t,
        Err(e) => return Err(json_error::<Top<R>>(name, text, e)),
    };
    build(name, top, warnings)
}

/// Turns a serde_json error into a [`ParseError`]. Errors are rare, so only then is the
/// text read a second time with path tracking, to say WHERE in the report the problem is.
pub(crate) fn json_error<T: for<'de> Deserialize<'de>>(
    name: &str,
    text: &str,
    e: serde_json::Error,
) -> ParseError {
    use serde_json::error::Category;
    let (line, column) = (e.line(), e.column());
    let msg = strip_position(&e.to_string());
    let kind = match e.classify() {
        Category::Eof => ErrorKind::Truncated(msg),
        Category::Syntax if msg.contains("recursion limit") => ErrorKind::Invalid(
            "values are nested more than 128 levels deep; no coverage report is".to_string(),
        ),
        Category::Syntax | Category::Io => match non_json_number(text, line, column) {
            Some(token) => ErrorKind::Syntax(format!(
                "{token} is not valid JSON; JSON has no {token} (Python's json.dumps writes it \
                 for a float that is not a number): write null there, or fix the tool that wrote it"
            )),
            None => ErrorKind::Syntax(format!("not valid JSON: {msg}")),
        },
        Category::Data => ErrorKind::Invalid(msg),
    };
    let path = if matches!(kind, ErrorKind::Invalid(_)) {
        let mut de = serde_json::Deserializer::from_str(text);
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Err(pe) => Some(format_path(pe.path())),
            Ok(_) => None,
        }
    } else {
        None
    };
    ParseError {
        file: name.to_string(),
        format: None,
        kind,
        path: path.filter(|p| !p.is_empty()),
        line: (line > 0).then_some(line),
        column: (line > 0).then_some(column),
    }
}

/// `NaN`, `Infinity` or `-Infinity` where serde_json stopped (1-based line and column):
/// numbers some JSON writers emit that JSON does not have.
pub(crate) fn non_json_number(text: &str, line: usize, column: usize) -> Option<&'static str> {
    let l = text.lines().nth(line.checked_sub(1)?)?;
    let start = column.saturating_sub(2);
    let window: String = l.chars().skip(start).take(12).collect();
    ["-Infinity", "Infinity", "NaN"]
        .into_iter()
        .find(|t| window.contains(t))
}

fn strip_position(msg: &str) -> String {
    match msg.rsplit_once(" at line ") {
        Some((m, _)) => m.to_string(),
        None => msg.to_string(),
    }
}

fn format_path(p: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let parts: Vec<String> = p
        .iter()
        .filter_map(|s| match s {
            Segment::Map { key } => Some(format!("{key:?}")),
            Segment::Seq { index } => Some(format!("[{index}]")),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    parts.join(" → ")
}

fn build<R: Regions>(
    name: &str,
    top: Top<R>,
    mut warnings: Vec<String>,
) -> Result<Report, ParseError> {
    let err = |kind| Err(ParseError::new(name, kind));
    let is_coveragepy = top.meta.is_some() || top.files.is_some() || top.totals.is_some();
    if !is_coveragepy {
        if top.llvm_type {
            return err(ErrorKind::WrongFormat {
                what: "an llvm-cov export JSON (type llvm.coverage.json.export)".into(),
            });
        }
        if top.istanbul_file {
            return err(ErrorKind::WrongFormat {
                what: "an Istanbul/nyc coverage-final.json".into(),
            });
        }
        if top.istanbul_summary {
            return err(ErrorKind::WrongFormat {
                what: "an Istanbul/nyc coverage-summary.json".into(),
            });
        }
        return err(ErrorKind::NotAReport(if top.keys == 0 {
            "the JSON object is empty (a report has meta, files and totals)".into()
        } else {
            "the JSON object has none of coverage.py's keys (meta, files, totals)".into()
        }));
    }
    let Some(raw_files) = top.files else {
        return err(ErrorKind::NotAReport(
            "it has no \"files\" object, so there is nothing to show".into(),
        ));
    };
    let meta = match top.meta {
        Some(m) => m,
        None => {
            warnings.push(
                "the report has no \"meta\" object; read as format 1 with branch coverage \
                 inferred from the counts"
                    .into(),
            );
            RawMeta::default()
        }
    };
    let format_version = meta.format.unwrap_or(1);
    if !(1..=3).contains(&format_version) {
        return err(ErrorKind::UnsupportedVersion(format_version.to_string()));
    }

    let mut files = Vec::with_capacity(raw_files.len());
    let mut issues = Issues::default();
    for (path, raw) in raw_files {
        let counts = raw.summary.counts(1);
        check_summary(&path, &raw.summary, &counts, &mut issues);
        let executed_lines = sorted(raw.executed_lines);
        let missing_lines = sorted(raw.missing_lines);
        check_lines(&path, &executed_lines, &missing_lines, &counts, &mut issues);
        let mut regions = Vec::new();
        if let Some(r) = raw.functions {
            r.into_regions(RegionKind::Function, &mut regions);
        }
        if let Some(r) = raw.classes {
            r.into_regions(RegionKind::Class, &mut regions);
        }
        let contexts = raw
            .contexts
            .map(|m| {
                let mut v: Vec<(u32, Vec<String>)> = m
                    .into_iter()
                    .filter_map(|(k, c)| k.parse().ok().map(|l| (l, c)))
                    .collect();
                v.sort_by_key(|(l, _)| *l);
                v
            })
            .unwrap_or_default();
        files.push(FileCoverage {
            path,
            counts,
            executed_lines,
            missing_lines,
            excluded_lines: sorted(raw.excluded_lines),
            executed_branches: arcs(raw.executed_branches),
            missing_branches: arcs(raw.missing_branches),
            contexts,
            regions,
            ..FileCoverage::default()
        });
    }
    issues.report(&mut warnings);

    let recomputed: Counts = files.iter().map(|f| f.counts).sum();
    let declared_totals = match &top.totals {
        Some(t) => {
            let declared = t.counts(files.len() as u64);
            if declared != recomputed {
                warnings.push(format!(
                    "the report's totals ({} statements, {} covered, {} branches, {} covered) \
                     differ from the sum of its files ({} statements, {} covered, {} branches, \
                     {} covered); covgap shows the sum of the files",
                    declared.statements.total,
                    declared.statements.covered,
                    declared.branches.total,
                    declared.branches.covered,
                    recomputed.statements.total,
                    recomputed.statements.covered,
                    recomputed.branches.total,
                    recomputed.branches.covered
                ));
            } else if let Some(pc) = t.percent_covered {
                if !percent_agrees(pc, &declared) {
                    warnings.push(format!(
                        "the report's total percent_covered ({}) does not follow from its \
                         counts ({}); covgap shows the percentage computed from the counts",
                        show_float(pc),
                        combined(&declared)
                    ));
                }
            }
            Some(declared)
        }
        None => {
            warnings
                .push("the report has no \"totals\"; totals were recomputed from the files".into());
            None
        }
    };

    let branch_coverage = meta.branch_coverage.unwrap_or(
        recomputed.branches.total > 0 || files.iter().any(|f| !f.executed_branches.is_empty()),
    );
    let mut metrics = vec![Metric::Combined, Metric::Statements];
    if branch_coverage {
        metrics.push(Metric::Branches);
    }
    Ok(Report {
        source: Source {
            format_version: Some(format_version.to_string()),
            tool_version: meta.version,
            timestamp: meta.timestamp,
            branch_coverage,
            show_contexts: meta.show_contexts.unwrap_or(false),
            ..Source::new(FORMAT, Tool::CoveragePy)
        },
        metrics,
        root: None,
        files,
        declared_totals,
        warnings,
    })
}

fn sorted(mut v: Vec<u32>) -> Vec<u32> {
    if !v.is_sorted() {
        v.sort_unstable();
    }
    v
}

fn arcs(v: Vec<(i32, i32)>) -> Vec<Arc> {
    let mut a: Vec<Arc> = v.into_iter().map(|(from, to)| Arc { from, to }).collect();
    if !a.is_sorted() {
        a.sort_unstable();
    }
    a
}

fn show_float(x: f64) -> String {
    if x.is_finite() {
        format!("{x}")
    } else {
        "not a finite number".into()
    }
}

/// Does a declared percentage match the counts? coverage.py computes it from the same
/// counts, so only float noise is allowed.
fn percent_agrees(pc: f64, c: &Counts) -> bool {
    pc.is_finite() && (pc - combined(c)).abs() <= 1e-9
}

/// coverage.py's `percent_covered` of `c`.
fn combined(c: &Counts) -> f64 {
    crate::rules::COVERAGEPY.percent(c, Metric::Combined)
}

/// Per-file problems, gathered so that one bad file gives one line, not hundreds.
#[derive(Default)]
struct Issues {
    summary: Vec<String>,
    lines: Vec<String>,
}

const SHOW: usize = 3;

impl Issues {
    fn report(self, warnings: &mut Vec<String>) {
        for (list, what) in [
            (self.summary, "summary numbers that contradict each other"),
            (self.lines, "line lists that disagree with their summary"),
        ] {
            if list.is_empty() {
                continue;
            }
            let more = list.len().saturating_sub(SHOW);
            let mut s = format!(
                "{} file{} with {what}: {}",
                list.len(),
                if list.len() == 1 { "" } else { "s" },
                list.iter()
                    .take(SHOW)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("; ")
            );
            if more > 0 {
                s.push_str(&format!("; and {more} more"));
            }
            s.push_str(". covgap shows each file's summary as the report wrote it");
            warnings.push(s);
        }
    }
}

fn check_summary(path: &str, s: &RawSummary, c: &Counts, issues: &mut Issues) {
    let mut why = Vec::new();
    if u64::from(s.covered_lines) + u64::from(s.missing_lines) != u64::from(s.num_statements) {
        why.push(format!(
            "covered {} + missing {} ≠ statements {}",
            s.covered_lines, s.missing_lines, s.num_statements
        ));
    }
    if u64::from(s.covered_branches) + u64::from(s.missing_branches) != u64::from(s.num_branches) {
        why.push(format!(
            "covered branches {} + missing {} ≠ branches {}",
            s.covered_branches, s.missing_branches, s.num_branches
        ));
    }
    if let Some(pc) = s.percent_covered {
        if !percent_agrees(pc, c) {
            why.push(format!(
                "percent_covered {} but the counts give {}",
                show_float(pc),
                combined(c)
            ));
        }
    }
    if !why.is_empty() {
        issues
            .summary
            .push(format!("{path:?} ({})", why.join(", ")));
    }
}

/// Checks sorted line lists against the file's summary, in one linear pass.
fn check_lines(path: &str, executed: &[u32], missing: &[u32], c: &Counts, issues: &mut Issues) {
    let mut why = Vec::new();
    let dups = duplicates(executed) + duplicates(missing);
    if dups > 0 {
        why.push(format!("{dups} duplicate line numbers"));
    }
    let both = common(executed, missing);
    if both > 0 {
        why.push(format!("{both} lines both executed and missing"));
    }
    if executed.first() == Some(&0) || missing.first() == Some(&0) {
        why.push("line number 0".into());
    }
    // Only the missing list is compared with the summary: coverage.py before 7 lists
    // executed non-statement lines (docstrings, decorators) in executed_lines.
    if why.is_empty() && missing.len() as u64 != c.statements.missing() {
        why.push(format!(
            "{} missing lines listed, summary says {}",
            missing.len(),
            c.statements.missing()
        ));
    }
    if !why.is_empty() {
        issues.lines.push(format!("{path:?} ({})", why.join(", ")));
    }
}

/// Repeated values in a sorted list.
fn duplicates(v: &[u32]) -> usize {
    v.iter()
        .zip(v.iter().skip(1))
        .filter(|(a, b)| a == b)
        .count()
}

/// Distinct values found in both sorted lists.
fn common(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    let mut last = None;
    while let (Some(&x), Some(&y)) = (a.get(i), b.get(j)) {
        match x.cmp(&y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                if last != Some(x) {
                    n += 1;
                    last = Some(x);
                }
                i += 1;
                j += 1;
            }
        }
    }
    n
}
