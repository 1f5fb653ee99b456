//! `llvm-cov export` JSON (full and `-summary-only`), as `llvm-cov export -format=text`
//! and `cargo llvm-cov --json` write it.
//!
//! `{"data": [{"files": [...], "functions": [...], "totals": {...}}], "type":
//! "llvm.coverage.json.export", "version": "2.0.1"}`. Read in one streaming pass:
//! - each file's counts are its `summary` (llvm-cov's own numbers, the ones `llvm-cov
//!   report` prints);
//! - its line hits are rebuilt from its `segments` while they stream past, with llvm-cov's
//!   `LineCoverageIterator`/`LineCoverageStats` (the algorithm its LCOV export uses for
//!   `DA` lines), so no segment list is ever held in memory;
//! - its `branches` give the branches per line (two per branch region: true and false);
//! - `functions` (one per instantiation) are grouped as llvm-cov groups instantiations:
//!   by the file and position where the function starts; each group is one function
//!   region, entered as often as all its instantiations together.
//!
//! `expansions`, `mcdc_records` and `mcdc` summaries are skipped.

use crate::error::{ErrorKind, ParseError};
use crate::formats::coveragepy::json_error;
use crate::model::{
    Counts, FileCoverage, LineBranches, Metric, Region, RegionKind, Report, Source, Tally,
};
use crate::rules::{Tool, LLVM_COV};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::collections::HashMap;
use std::fmt;

/// Name of this format in [`Source::format`].
pub const FORMAT: &str = "llvm-cov-json";

/// The `type` every llvm-cov export carries.
const TYPE: &str = "llvm.coverage.json.export";

/// One metric of a `summary` or `totals` object.
#[derive(Deserialize, Clone, Copy)]
struct RawTally {
    count: u64,
    covered: u64,
    #[serde(default)]
    notcovered: Option<u64>,
    #[serde(default)]
    percent: Option<f64>,
}

impl RawTally {
    fn tally(&self) -> Tally {
        Tally::new(self.covered, self.count)
    }

    /// Whether its percent and notcovered are what llvm-cov computes from its counts. The
    /// percent is written with 17 digits, which serde_json (without its slower
    /// `float_roundtrip`) may read 1 ulp off: it is compared within a few ulps.
    fn consistent(&self) -> bool {
        let pc = self.percent.is_none_or(|p| {
            let ours = LLVM_COV.tally_percent(self.tally());
            (p - ours).abs() <= 4.0 * f64::EPSILON * ours.abs().max(1.0)
        });
        let nc = self
            .notcovered
            .is_none_or(|n| Some(n) == self.count.checked_sub(self.covered));
        pc && nc
    }
}

/// A file's `summary` or an export's `totals`.
#[derive(Deserialize, Default, Clone, Copy)]
struct RawSummary {
    #[serde(default)]
    lines: Option<RawTally>,
    #[serde(default)]
    functions: Option<RawTally>,
    #[serde(default)]
    instantiations: Option<RawTally>,
    #[serde(default)]
    regions: Option<RawTally>,
    #[serde(default)]
    branches: Option<RawTally>,
}

impl RawSummary {
    fn counts(&self, files: u64) -> Counts {
        let t = |m: &Option<RawTally>| m.map(|m| m.tally()).unwrap_or_default();
        Counts {
            files,
            lines: t(&self.lines),
            functions: t(&self.functions),
            instantiations: t(&self.instantiations),
            regions: t(&self.regions),
            branches: t(&self.branches),
            ..Counts::default()
        }
    }

    fn consistent(&self) -> bool {
        [
            self.lines,
            self.functions,
            self.instantiations,
            self.regions,
            self.branches,
        ]
        .iter()
        .flatten()
        .all(RawTally::consistent)
    }
}

/// A segment: `[line, column, count, hasCount, isRegionEntry, isGapRegion]` (format 2.0.0
/// has no gap flag).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Segment {
    line: u32,
    count: u64,
    has_count: bool,
    entry: bool,
    gap: bool,
}

impl Segment {
    /// `isStartOfRegion` of `LineCoverageStats`: a non-gap region with a count starts here.
    fn starts_region(&self) -> bool {
        !self.gap && self.has_count && self.entry
    }
}

impl<'de> Deserialize<'de> for Segment {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Segment, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Segment;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a segment [line, column, count, hasCount, isRegionEntry, isGapRegion]")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Segment, A::Error> {
                let short = || de::Error::invalid_length(0, &"at least 5 elements");
                let line: u32 = s.next_element()?.ok_or_else(short)?;
                let _column: u32 = s.next_element()?.ok_or_else(short)?;
                let count: u64 = s.next_element()?.ok_or_else(short)?;
                let has_count: bool = s.next_element()?.ok_or_else(short)?;
                let entry: bool = s.next_element()?.ok_or_else(short)?;
                let gap: bool = s.next_element()?.unwrap_or(false);
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Segment {
                    line,
                    count,
                    has_count,
                    entry,
                    gap,
                })
            }
        }
        d.deserialize_seq(V)
    }
}

/// The first `N` numbers of a record array (regions, branches), the rest skipped.
struct Numbers<const N: usize>([u64; N]);

impl<'de, const N: usize> Deserialize<'de> for Numbers<N> {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<const N: usize>;
        impl<'de, const N: usize> Visitor<'de> for V<N> {
            type Value = Numbers<N>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                write!(f, "an array of at least {N} numbers")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Numbers<N>, A::Error> {
                let mut out = [0u64; N];
                for (i, slot) in out.iter_mut().enumerate() {
                    *slot = s
                        .next_element()?
                        .ok_or_else(|| de::Error::invalid_length(i, &self))?;
                }
                while s.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Numbers(out))
            }
        }
        d.deserialize_seq(V::<N>)
    }
}

/// llvm-cov's `LineCoverageIterator` fed one segment at a time: which lines are mapped
/// and their counts, as its LCOV export writes them (`DA:line,count`).
///
/// Lines run from the first segment's line to the last one's. A line's own segments are
/// those that start on it; the *wrapped* segment is the last segment of the latest
/// earlier line that had any. As llvm-cov 19's `LineCoverageStats`:
/// - a line is mapped unless its first segment starts a skipped region (an entry without
///   a count), and only if a counted segment wraps into it or a non-gap counted region
///   starts on it;
/// - its count is the wrapped segment's, raised to the largest count of the non-gap
///   counted regions that start on it.
#[derive(Default)]
struct LineBuilder {
    /// The line whose segments are being gathered.
    line: Option<u32>,
    /// The segments starting on it.
    segs: Vec<Segment>,
    /// The last segment of the latest earlier line with segments.
    wrapped: Option<Segment>,
    /// Mapped lines and their counts, ascending.
    out: Vec<(u32, u64)>,
    /// A segment came before the one ahead of it.
    out_of_order: bool,
    /// Lines were left out to keep within the report's budget.
    cut: bool,
}

impl LineBuilder {
    fn push(&mut self, seg: Segment, budget: &mut u64) {
        let Some(cur) = self.line else {
            self.line = Some(seg.line);
            self.segs.push(seg);
            return;
        };
        if seg.line <= cur {
            // llvm-cov's segments are sorted; an earlier line joins the current one
            // rather than send the iterator back.
            self.out_of_order |= seg.line < cur;
            self.segs.push(seg);
            return;
        }
        self.finish_line(cur, budget);
        self.wrapped = self.segs.last().copied();
        self.segs.clear();
        // The lines in between have no segments of their own: mapped with the wrapped
        // count when it has one.
        if let Some(w) = self.wrapped.filter(|w| w.has_count) {
            let between = u64::from(seg.line - cur - 1);
            if between > *budget {
                // Left out, not spent: the lines after it are still read.
                self.cut = true;
            } else {
                *budget -= between;
                self.out.extend((cur + 1..seg.line).map(|l| (l, w.count)));
            }
        }
        self.line = Some(seg.line);
        self.segs.push(seg);
    }

    fn finish_line(&mut self, line: u32, budget: &mut u64) {
        let starts = self.segs.iter().any(Segment::starts_region);
        let skipped = self.segs.first().is_some_and(|s| !s.has_count && s.entry);
        let wrapped_count = self.wrapped.filter(|w| w.has_count);
        if skipped || !(wrapped_count.is_some() || starts) {
            return;
        }
        let mut count = self.wrapped.map_or(0, |w| w.count);
        for s in self.segs.iter().filter(|s| s.starts_region()) {
            count = count.max(s.count);
        }
        if *budget == 0 {
            self.cut = true;
            return;
        }
        *budget -= 1;
        self.out.push((line, count));
    }

    fn finish(mut self, budget: &mut u64) -> LineBuilder {
        if let Some(cur) = self.line {
            self.finish_line(cur, budget);
        }
        self
    }
}

/// One `files[]` entry, read.
struct FileOut {
    filename: String,
    summary: RawSummary,
    /// Mapped lines and counts; `None` without `segments` (`-summary-only`).
    lines: Option<Vec<(u32, u64)>>,
    /// (line, taken, total) per branch region.
    branches: Vec<(u32, u64, u64)>,
    out_of_order: bool,
    cut: bool,
}

/// A function instantiation, reduced to where it starts and how often it ran.
struct FnOut {
    filename: String,
    line: u32,
    column: u32,
    name: String,
    count: u64,
}

/// One `data[]` entry, read.
#[derive(Default)]
struct DataOut {
    files: Vec<FileOut>,
    functions: Vec<FnOut>,
    totals: Option<RawSummary>,
}

/// The whole export.
#[derive(Default)]
struct Export {
    data: Option<Vec<DataOut>>,
    kind: Option<String>,
    version: Option<String>,
    cargo_llvm_cov: Option<String>,
}

/// How many mapped lines segments may describe in all: far more than any real report's
/// bytes can, few enough that a hostile segment list spanning four billion lines is cut
/// short instead of filling memory.
fn line_budget(text_len: usize) -> u64 {
    (text_len as u64) / 4 + (1 << 20)
}

/// Reads the top-level object with the report's line budget.
struct ExportSeed {
    budget: u64,
}

impl<'de> Deserialize<'de> for Export {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        ExportSeed {
            budget: line_budget(0),
        }
        .deserialize(d)
        .map(|(e, _)| e)
    }
}

impl<'de> DeserializeSeed<'de> for ExportSeed {
    type Value = (Export, u64);
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ExportSeed {
    type Value = (Export, u64);
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with data, type and version")
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
        #[derive(Deserialize)]
        struct CargoLlvmCov {
            #[serde(default)]
            version: Option<String>,
        }
        let mut out = Export::default();
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "data" => {
                    out.data = Some(map.next_value_seed(DataList {
                        budget: &mut self.budget,
                    })?)
                }
                "type" => out.kind = Some(map.next_value()?),
                "version" => out.version = Some(map.next_value()?),
                "cargo_llvm_cov" => {
                    out.cargo_llvm_cov = map.next_value::<CargoLlvmCov>()?.version;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok((out, self.budget))
    }
}

/// `data`: the exports merged into this one (llvm-cov writes one).
struct DataList<'b> {
    budget: &'b mut u64,
}

impl<'de> DeserializeSeed<'de> for DataList<'_> {
    type Value = Vec<DataOut>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for DataList<'_> {
    type Value = Vec<DataOut>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of exports")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(d) = s.next_element_seed(DataSeed {
            budget: &mut *self.budget,
        })? {
            out.push(d);
        }
        Ok(out)
    }
}

/// One `data[]` object.
struct DataSeed<'b> {
    budget: &'b mut u64,
}

impl<'de> DeserializeSeed<'de> for DataSeed<'_> {
    type Value = DataOut;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<DataOut, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DataSeed<'_> {
    type Value = DataOut;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with files, functions and totals")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DataOut, A::Error> {
        let mut out = DataOut::default();
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "files" => {
                    out.files = map.next_value_seed(FileList {
                        budget: &mut *self.budget,
                    })?
                }
                "functions" => out.functions = map.next_value::<FunctionList>()?.0,
                "totals" => out.totals = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
}

/// `files`: each file read as it streams past.
struct FileList<'b> {
    budget: &'b mut u64,
}

impl<'de> DeserializeSeed<'de> for FileList<'_> {
    type Value = Vec<FileOut>;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for FileList<'_> {
    type Value = Vec<FileOut>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of files")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(f) = s.next_element_seed(FileSeed {
            budget: &mut *self.budget,
        })? {
            out.push(f);
        }
        Ok(out)
    }
}

/// One `files[]` object.
struct FileSeed<'b> {
    budget: &'b mut u64,
}

impl<'de> DeserializeSeed<'de> for FileSeed<'_> {
    type Value = FileOut;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<FileOut, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for FileSeed<'_> {
    type Value = FileOut;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a file object with filename, segments and summary")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<FileOut, A::Error> {
        let mut filename: Option<String> = None;
        let mut summary: Option<RawSummary> = None;
        let mut lines: Option<LineBuilder> = None;
        let mut branches = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            match k.as_str() {
                "filename" => filename = Some(map.next_value()?),
                "summary" => summary = Some(map.next_value()?),
                "segments" => {
                    let mut b = LineBuilder::default();
                    map.next_value_seed(Segments {
                        lines: &mut b,
                        budget: &mut *self.budget,
                    })?;
                    lines = Some(b.finish(self.budget));
                }
                "branches" => {
                    // [lineStart, colStart, lineEnd, colEnd, trueCount, falseCount, …]
                    branches = map
                        .next_value::<Vec<Numbers<6>>>()?
                        .into_iter()
                        .map(|Numbers([line, _, _, _, t, f])| {
                            let line = u32::try_from(line).unwrap_or(u32::MAX);
                            (line, u64::from(t > 0) + u64::from(f > 0), 2)
                        })
                        .collect();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let Some(filename) = filename else {
            return Err(de::Error::custom("a file entry has no \"filename\""));
        };
        let Some(summary) = summary else {
            return Err(de::Error::custom(format!(
                "the file entry for {filename:?} has no \"summary\""
            )));
        };
        let (out_of_order, cut) = lines
            .as_ref()
            .map_or((false, false), |b| (b.out_of_order, b.cut));
        Ok(FileOut {
            filename,
            summary,
            lines: lines.map(|b| b.out),
            branches,
            out_of_order,
            cut,
        })
    }
}

/// `segments`: fed to the line builder one by one, never held.
struct Segments<'a> {
    lines: &'a mut LineBuilder,
    budget: &'a mut u64,
}

impl<'de> DeserializeSeed<'de> for Segments<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Segments<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of segments")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<(), A::Error> {
        while let Some(seg) = s.next_element::<Segment>()? {
            self.lines.push(seg, self.budget);
        }
        Ok(())
    }
}

/// `functions`: each instantiation reduced to where it starts, as it streams past.
struct FunctionList(Vec<FnOut>);

impl<'de> Deserialize<'de> for FunctionList {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FunctionList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of functions")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<FunctionList, A::Error> {
                let mut out = Vec::new();
                while let Some(f) = s.next_element::<RawFunction>()? {
                    out.extend(f.locate());
                }
                Ok(FunctionList(out))
            }
        }
        d.deserialize_seq(V)
    }
}

/// One `functions[]` object. Its regions are `[lineStart, colStart, lineEnd, colEnd,
/// count, fileID, expandedFileID, kind]`.
#[derive(Deserialize)]
struct RawFunction {
    name: String,
    count: u64,
    #[serde(default)]
    regions: Vec<Numbers<8>>,
    #[serde(default)]
    filenames: Vec<String>,
}

/// `CounterMappingRegion::ExpansionRegion`.
const EXPANSION_REGION: u64 = 1;

impl RawFunction {
    /// Where the function starts, as llvm-cov's `getInstantiationGroups` places it: its
    /// main file is the first of its files that no expansion region expands into, and
    /// its start is the first region in that file.
    fn locate(self) -> Option<FnOut> {
        let expanded: Vec<u64> = self
            .regions
            .iter()
            .filter(|Numbers(r)| r[7] == EXPANSION_REGION)
            .map(|Numbers(r)| r[6])
            .collect();
        let main = (0..self.filenames.len() as u64).find(|i| !expanded.contains(i))?;
        let Numbers(first) = self.regions.iter().find(|Numbers(r)| r[5] == main)?;
        let filename = self
            .filenames
            .into_iter()
            .nth(usize::try_from(main).ok()?)?;
        Some(FnOut {
            filename,
            line: u32::try_from(first[0]).ok()?,
            column: u32::try_from(first[1]).ok()?,
            name: self.name,
            count: self.count,
        })
    }
}

/// Reads `text` (named `name` in messages); `warnings` are what was noticed before.
pub(crate) fn parse(
    name: &str,
    text: &str,
    mut warnings: Vec<String>,
) -> Result<Report, ParseError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = ExportSeed {
        budget: line_budget(text.len()),
    };
    let (export, _) = seed
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| json_error::<Export>(name, text, e))?;
    let err = |kind| Err(ParseError::new(name, kind));
    if let Some(kind) = &export.kind {
        if kind != TYPE {
            return err(ErrorKind::NotAReport(format!(
                "its \"type\" is {kind:?}, not {TYPE:?}"
            )));
        }
    }
    let Some(data) = export.data else {
        return err(ErrorKind::NotAReport(
            "it has no \"data\" array, so there is nothing to show".into(),
        ));
    };
    match export.version.as_deref().map(|v| v.split('.').next()) {
        None => warnings.push(format!(
            "the export has no \"version\"; read as llvm-cov export 2.0.1 (type {TYPE})"
        )),
        Some(Some(major)) if major.parse::<u32>().map_or(true, |m| m > 3) => {
            warnings.push(format!(
                "export version {:?} is newer than the ones covgap knows (2.0 to 3.0); read as 3.0",
                export.version.as_deref().unwrap_or("")
            ))
        }
        _ => {}
    }
    if data.len() > 1 {
        warnings.push(format!(
            "the export holds {} data entries; covgap shows them merged",
            data.len()
        ));
    }

    let mut files: Vec<FileCoverage> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut issues = Issues::default();
    let mut declared: Option<Counts> = Some(Counts::default());
    let mut any_segments = false;
    let (mut has_instantiations, mut has_branches) = (false, false);
    for entry in data {
        let entry_files = entry.files.len() as u64;
        let mut groups = group_functions(entry.functions);
        let mut entry_sum = Counts::default();
        for fo in entry.files {
            has_instantiations |= fo.summary.instantiations.is_some();
            has_branches |= fo.summary.branches.is_some();
            any_segments |= fo.lines.is_some();
            let regions = groups.remove(&fo.filename).unwrap_or_default();
            let file = build_file(fo, regions, &mut issues);
            entry_sum += file.counts;
            match index.get(&file.path).and_then(|&i| files.get_mut(i)) {
                Some(slot) => {
                    issues.merged.push(format!("{:?}", file.path));
                    merge_into(slot, file);
                }
                None => {
                    index.insert(file.path.clone(), files.len());
                    files.push(file);
                }
            }
        }
        match (&mut declared, entry.totals) {
            (Some(d), Some(t)) => {
                if !t.consistent() {
                    issues.inconsistent.push("the totals".into());
                }
                let t = t.counts(entry_files);
                // The export's totals have no partial lines; the files' do.
                entry_sum.partial_branches = 0;
                if t != entry_sum {
                    warnings.push(format!(
                        "the export's totals ({}) differ from the sum of its files ({}); covgap \
                         shows the sum of the files",
                        describe(&t),
                        describe(&entry_sum)
                    ));
                }
                *d += t;
            }
            (_, None) => declared = None,
            (None, Some(_)) => {}
        }
    }
    if declared.is_none() {
        warnings.push("the export has no \"totals\"; totals were recomputed from the files".into());
    }
    issues.report(&mut warnings);

    let mut metrics = vec![Metric::Regions, Metric::Functions];
    if has_instantiations {
        metrics.push(Metric::Instantiations);
    }
    metrics.push(Metric::Lines);
    if has_branches {
        metrics.push(Metric::Branches);
    }
    let branch_coverage = files.iter().any(|f| f.counts.branches.total > 0);
    Ok(Report {
        source: Source {
            format_version: export.version,
            tool_version: export.cargo_llvm_cov.map(|v| format!("cargo-llvm-cov {v}")),
            branch_coverage,
            summary_only: !files.is_empty() && !any_segments,
            hit_counts: any_segments,
            ..Source::new(FORMAT, Tool::LlvmCov)
        },
        metrics,
        root: None,
        files,
        declared_totals: declared,
        warnings,
    })
}

/// "regions 2368/2512, functions …" for messages.
fn describe(c: &Counts) -> String {
    [
        Metric::Regions,
        Metric::Functions,
        Metric::Instantiations,
        Metric::Lines,
        Metric::Branches,
    ]
    .iter()
    .map(|&m| {
        let t = c.get(m);
        format!("{m} {}/{}", t.covered, t.total)
    })
    .collect::<Vec<_>>()
    .join(", ")
}

/// Instantiations grouped as llvm-cov groups them (same file, same start), one
/// [`Region`] per group, per file, ordered by where they start.
fn group_functions(functions: Vec<FnOut>) -> HashMap<String, Vec<Region>> {
    let mut at: HashMap<(String, u32, u32), usize> = HashMap::new();
    let mut groups: Vec<(FnOut, u64)> = Vec::new();
    for f in functions {
        let key = (f.filename.clone(), f.line, f.column);
        match at.get(&key).and_then(|&i| groups.get_mut(i)) {
            Some((_, hits)) => *hits = hits.saturating_add(f.count),
            None => {
                at.insert(key, groups.len());
                let hits = f.count;
                groups.push((f, hits));
            }
        }
    }
    groups.sort_by_key(|(f, _)| (f.line, f.column));
    let mut out: HashMap<String, Vec<Region>> = HashMap::new();
    for (f, hits) in groups {
        out.entry(f.filename).or_default().push(Region {
            kind: RegionKind::Function,
            name: f.name,
            start_line: Some(f.line),
            hits: Some(hits),
            counts: Counts::default(),
            missing_lines: Vec::new(),
        });
    }
    out
}

/// Per-file oddities, one warning line per kind.
#[derive(Default)]
struct Issues {
    inconsistent: Vec<String>,
    out_of_order: Vec<String>,
    cut: Vec<String>,
    merged: Vec<String>,
}

const SHOW: usize = 3;

impl Issues {
    fn report(self, warnings: &mut Vec<String>) {
        let kinds: [(Vec<String>, &str); 4] = [
            (
                self.inconsistent,
                "have a percent or notcovered that does not follow from count and covered; \
                 covgap shows the percentages llvm-cov computes from the counts",
            ),
            (
                self.out_of_order,
                "have segments out of order; each late segment was counted on the line being \
                 read",
            ),
            (
                self.cut,
                "have segments spanning more lines than the report could describe; their line \
                 data was cut short (the counts are the summary's)",
            ),
            (
                self.merged,
                "appear more than once; their counts, line hits and functions were added",
            ),
        ];
        for (list, what) in kinds {
            if list.is_empty() {
                continue;
            }
            let more = list.len().saturating_sub(SHOW);
            let mut shown: Vec<String> = list.iter().take(SHOW).cloned().collect();
            if more > 0 {
                shown.push(format!("and {more} more"));
            }
            warnings.push(format!(
                "{} {} ({}) {what}",
                list.len(),
                if list.len() == 1 { "entry" } else { "entries" },
                shown.join(", ")
            ));
        }
    }
}

/// One file from its summary, its rebuilt lines and branches, and its functions.
fn build_file(fo: FileOut, regions: Vec<Region>, issues: &mut Issues) -> FileCoverage {
    if !fo.summary.consistent() {
        issues.inconsistent.push(format!("{:?}", fo.filename));
    }
    if fo.out_of_order {
        issues.out_of_order.push(format!("{:?}", fo.filename));
    }
    if fo.cut {
        issues.cut.push(format!("{:?}", fo.filename));
    }
    let mut counts = fo.summary.counts(1);
    let lines = fo.lines.unwrap_or_default();
    let line_branches = branches_per_line(fo.branches);
    counts.partial_branches = partial(&line_branches, &lines);
    let (executed_lines, line_hits, missing_lines) = split(&lines);
    FileCoverage {
        path: fo.filename,
        counts,
        executed_lines,
        line_hits,
        missing_lines,
        line_branches,
        regions,
        ..FileCoverage::default()
    }
}

/// Lines executed with some branch on them not taken.
fn partial(line_branches: &[LineBranches], lines: &[(u32, u64)]) -> u64 {
    line_branches
        .iter()
        .filter(|b| {
            b.taken < b.total
                && (b.taken > 0
                    || lines
                        .binary_search_by_key(&b.line, |&(l, _)| l)
                        .ok()
                        .and_then(|i| lines.get(i))
                        .is_some_and(|&(_, h)| h > 0))
        })
        .count() as u64
}

/// (executed lines, their hits, missing lines) of an ascending (line, hits) list.
fn split(lines: &[(u32, u64)]) -> (Vec<u32>, Vec<u64>, Vec<u32>) {
    let mut executed = Vec::new();
    let mut hits = Vec::new();
    let mut missing = Vec::new();
    for &(line, h) in lines {
        if h > 0 {
            executed.push(line);
            hits.push(h);
        } else {
            missing.push(line);
        }
    }
    (executed, hits, missing)
}

/// (line, taken, total) summed per line, ascending.
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

/// A file that appears again (another `data` entry): counts added, line hits and
/// branches added line by line, functions appended.
fn merge_into(into: &mut FileCoverage, other: FileCoverage) {
    let lines = |f: &FileCoverage| -> Vec<(u32, u64)> {
        let mut v: Vec<(u32, u64)> = f
            .executed_lines
            .iter()
            .copied()
            .zip(f.line_hits.iter().copied())
            .chain(f.missing_lines.iter().map(|&l| (l, 0)))
            .collect();
        v.sort_unstable();
        v
    };
    let mut all = lines(into);
    all.extend(lines(&other));
    all.sort_unstable_by_key(|&(l, _)| l);
    let mut merged: Vec<(u32, u64)> = Vec::with_capacity(all.len());
    for (l, h) in all {
        match merged.last_mut() {
            Some(last) if last.0 == l => last.1 = last.1.saturating_add(h),
            _ => merged.push((l, h)),
        }
    }
    let mut branches: Vec<(u32, u64, u64)> = into
        .line_branches
        .iter()
        .chain(&other.line_branches)
        .map(|b| (b.line, u64::from(b.taken), u64::from(b.total)))
        .collect();
    branches.sort_by_key(|&(l, _, _)| l);
    into.line_branches = branches_per_line(branches);
    let (e, h, m) = split(&merged);
    into.executed_lines = e;
    into.line_hits = h;
    into.missing_lines = m;
    into.counts += other.counts;
    into.counts.files = 1;
    into.counts.partial_branches = partial(&into.line_branches, &merged);
    into.regions.extend(other.regions);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(line: u32, count: u64, has_count: bool, entry: bool, gap: bool) -> Segment {
        Segment {
            line,
            count,
            has_count,
            entry,
            gap,
        }
    }

    fn lines(segs: &[Segment]) -> Vec<(u32, u64)> {
        let mut b = LineBuilder::default();
        let mut budget = 1000;
        for &s in segs {
            b.push(s, &mut budget);
        }
        b.finish(&mut budget).out
    }

    #[test]
    fn line_stats_as_llvm_cov() {
        // A function on lines 1-5 run 3 times; a region on 2-3 never run, ending in a gap;
        // code resuming on line 4; the function's end on line 5. Lines take the count
        // wrapping into them, raised by the regions starting on them (line 2 keeps the
        // function's 3: its own region's 0 does not lower it).
        let got = lines(&[
            seg(1, 3, true, true, false),
            seg(2, 0, true, true, false),
            seg(3, 0, true, false, true), // gap: wraps a count but starts nothing
            seg(4, 3, true, true, false),
            seg(5, 0, false, false, false), // end of the function: no count
        ]);
        assert_eq!(got, vec![(1, 3), (2, 3), (3, 0), (4, 3), (5, 3)]);
    }

    #[test]
    fn wrapped_counts_fill_lines_without_segments() {
        let got = lines(&[
            seg(10, 7, true, true, false),
            seg(13, 0, false, false, false),
        ]);
        assert_eq!(got, vec![(10, 7), (11, 7), (12, 7), (13, 7)]);
    }

    #[test]
    fn skipped_regions_and_gaps_are_not_mapped() {
        // A skipped region (#if 0) starts line 2: not mapped even though a count wraps.
        // Line 4: only a gap region with a count starts there and nothing with a count
        // wraps into it: not mapped (llvm-cov 19; newer versions map it).
        let got = lines(&[
            seg(1, 5, true, true, false),
            seg(2, 0, false, true, false),
            seg(3, 0, false, false, false),
            seg(4, 2, true, true, true),
        ]);
        assert_eq!(got, vec![(1, 5)]);
    }

    #[test]
    fn several_regions_on_a_line_take_the_largest() {
        let got = lines(&[
            seg(1, 1, true, true, false),
            seg(1, 9, true, true, false),
            seg(1, 4, true, true, false),
        ]);
        assert_eq!(got, vec![(1, 9)]);
    }

    #[test]
    fn hostile_spans_are_cut_to_the_budget() {
        let mut b = LineBuilder::default();
        let mut budget = 100;
        b.push(seg(1, 1, true, true, false), &mut budget);
        b.push(seg(u32::MAX, 0, false, false, false), &mut budget);
        let b = b.finish(&mut budget);
        assert!(b.cut);
        assert!(b.out.len() <= 100);
        // Out of order: joins the current line, flagged.
        let mut budget = 100;
        let mut b = LineBuilder::default();
        b.push(seg(5, 1, true, true, false), &mut budget);
        b.push(seg(2, 3, true, true, false), &mut budget);
        let b = b.finish(&mut budget);
        assert!(b.out_of_order);
        assert_eq!(b.out, vec![(5, 3)]);
    }

    #[test]
    fn instantiations_group_by_start() {
        let f = |name: &str, line, count| FnOut {
            filename: "/a.rs".into(),
            line,
            column: 1,
            name: name.into(),
            count,
        };
        let g = group_functions(vec![f("b1", 9, 0), f("a", 2, 4), f("b2", 9, 3)]);
        let r = &g["/a.rs"];
        let got: Vec<(&str, Option<u32>, Option<u64>)> = r
            .iter()
            .map(|r| (r.name.as_str(), r.start_line, r.hits))
            .collect();
        assert_eq!(got, vec![("a", Some(2), Some(4)), ("b1", Some(9), Some(3))]);
    }

    #[test]
    fn main_file_is_the_one_not_expanded_into() {
        // File 0 is only expanded into (a macro); the function lives in file 1.
        let f = RawFunction {
            name: "f".into(),
            count: 2,
            regions: vec![
                Numbers([4, 1, 4, 9, 2, 1, 0, 1]),
                Numbers([7, 3, 7, 9, 2, 0, 0, 0]),
                Numbers([3, 5, 8, 2, 2, 1, 0, 0]),
            ],
            filenames: vec!["/m.h".into(), "/a.c".into()],
        }
        .locate()
        .unwrap();
        assert_eq!((f.filename.as_str(), f.line, f.column), ("/a.c", 4, 1));
    }

    const SUMMARY: &str = r#"{"lines": {"count": 4, "covered": 3, "percent": 75},
        "functions": {"count": 1, "covered": 1, "percent": 100},
        "instantiations": {"count": 1, "covered": 1, "percent": 100},
        "regions": {"count": 3, "covered": 2, "notcovered": 1, "percent": 66.666666666666657},
        "branches": {"count": 2, "covered": 1, "notcovered": 1, "percent": 50}}"#;

    fn entry(count: u64) -> String {
        format!(
            r#"{{"files": [{{"filename": "/p/a.c", "summary": {SUMMARY},
                "segments": [[1, 1, {count}, true, true, false], [2, 5, 0, true, true, false],
                             [2, 9, {count}, true, false, false], [4, 2, 0, false, false, false]],
                "branches": [[2, 5, 2, 8, {count}, 0, 0, 0, 4]], "expansions": []}}],
              "functions": [{{"name": "main", "count": {count}, "filenames": ["/p/a.c"],
                "regions": [[1, 1, 4, 2, {count}, 0, 0, 0]], "branches": []}}],
              "totals": {SUMMARY}}}"#
        )
    }

    #[test]
    fn a_small_export_read_whole() {
        let doc = format!(
            r#"{{"data": [{}], "type": "llvm.coverage.json.export", "version": "3.0.1"}}"#,
            entry(5)
        );
        let r = parse("x.json", &doc, Vec::new()).unwrap();
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert!(r.source.branch_coverage);
        let f = &r.files[0];
        assert_eq!(f.counts.regions, Tally::new(2, 3));
        assert_eq!(f.counts.branches, Tally::new(1, 2));
        assert_eq!(f.executed_lines, vec![1, 2, 3, 4]);
        assert_eq!(f.line_hits, vec![5, 5, 5, 5]);
        assert_eq!(
            f.line_branches,
            vec![LineBranches {
                line: 2,
                taken: 1,
                total: 2
            }]
        );
        assert_eq!(f.counts.partial_branches, 1);
        assert_eq!(f.regions[0].name, "main");
        let mut t = r.totals();
        t.partial_branches = 0;
        assert_eq!(r.declared_totals, Some(t));
        assert_eq!(
            LLVM_COV.show(&f.counts, Metric::Regions, 0),
            "66.67",
            "{}",
            LLVM_COV.tally_percent(f.counts.regions)
        );
    }

    #[test]
    fn data_entries_merge_and_inconsistencies_warn() {
        let doc = format!(
            r#"{{"data": [{}, {}], "type": "llvm.coverage.json.export", "version": "2.0.1"}}"#,
            entry(5),
            entry(0).replace("\"percent\": 75", "\"percent\": 80")
        );
        let r = parse("x.json", &doc, Vec::new()).unwrap();
        assert_eq!(r.files.len(), 1);
        let f = &r.files[0];
        assert_eq!(f.counts.lines, Tally::new(6, 8));
        assert_eq!(f.line_hits, vec![5, 5, 5, 5]);
        assert_eq!(f.regions.len(), 2);
        assert!(r.warnings.iter().any(|w| w.contains("2 data entries")));
        assert!(r.warnings.iter().any(|w| w.contains("were added")));
        assert!(r.warnings.iter().any(|w| w.contains("does not follow")));
    }

    #[test]
    fn wrong_type_and_missing_data_are_errors() {
        let e = parse("x.json", r#"{"data": [], "type": "other"}"#, Vec::new()).unwrap_err();
        assert!(e.to_string().contains("\"other\""), "{e}");
        let e = parse(
            "x.json",
            r#"{"type": "llvm.coverage.json.export"}"#,
            Vec::new(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("no \"data\""), "{e}");
        let e = parse(
            "x.json",
            r#"{"data": [{"files": [{"filename": "/a.c"}]}]}"#,
            Vec::new(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("\"/a.c\" has no \"summary\""), "{e}");
        assert_eq!(e.line, Some(1));
    }
}
