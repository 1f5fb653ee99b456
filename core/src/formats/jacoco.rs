//! JaCoCo XML (`jacoco:report`, Gradle `jacocoTestReport`, Ant `<report><xml/>`), read in
//! one streaming pass.
//!
//! `report > (group >)* package > class > method` and `package > sourcefile > line@{nr,
//! mi, ci, mb, cb}`, with `counter@{type, missed, covered}` on every level. Each
//! `sourcefile` is a file (`package/Name.java`), counted by its own counters (all six of
//! JaCoCo's metrics); its classes and methods are regions with their own counters. The
//! report's own counters are the declared totals, checked against the sum of the files.
//! The DOCTYPE names `report.dtd`, which is never fetched. See `docs/formats/jacoco.md`.

use super::cobertura::xml::{self, Seen};
use crate::error::{ErrorKind, ParseError};
use crate::model::{
    Counts, FileCoverage, LineBranches, Metric, Region, RegionKind, Report, Source, Tally,
};
use crate::rules::Tool;
use quick_xml::events::{BytesStart, Event};
use std::borrow::Cow;
use std::collections::HashMap;

/// Name of this format in [`Source::format`].
pub const FORMAT: &str = "jacoco-xml";

/// The metrics of a JaCoCo report, in the order its HTML report shows them.
const METRICS: [Metric; 6] = [
    Metric::Instructions,
    Metric::Branches,
    Metric::Complexity,
    Metric::Lines,
    Metric::Methods,
    Metric::Classes,
];

/// The largest count covgap accepts in one counter or line: four billion instructions in
/// one place is corruption, not code, and it keeps every sum far from overflow.
const MAX_COUNT: u64 = u32::MAX as u64;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Elem {
    Report,
    Session,
    Group,
    Package,
    Class,
    Method,
    Sourcefile,
    Line,
    Counter,
    Other,
}

/// One `<line>`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Line {
    nr: u32,
    mi: u32,
    ci: u32,
    mb: u32,
    cb: u32,
}

struct MethodAcc {
    name: String,
    line: Option<u32>,
    counts: Counts,
}

struct ClassAcc {
    name: String,
    source: Option<String>,
    counts: Counts,
    methods: Vec<MethodAcc>,
}

struct SourceAcc {
    name: String,
    counts: Counts,
    lines: Vec<Line>,
}

#[derive(Default)]
struct PackageAcc {
    name: String,
    classes: Vec<ClassAcc>,
    sources: Vec<SourceAcc>,
}

/// A file read, with the groups it sits in (to tell apart equal paths in two modules).
struct Built {
    group: String,
    file: FileCoverage,
}

#[derive(Default)]
struct Problems {
    line_counter: Seen,
    branch_counter: Seen,
    duplicate_lines: Seen,
    no_source: Seen,
    misplaced: Seen,
    unknown_counter: Seen,
}

struct Reader<'t> {
    name: &'t str,
    text: &'t str,
    groups: Vec<String>,
    package: Option<PackageAcc>,
    class: Option<ClassAcc>,
    method: Option<MethodAcc>,
    source: Option<SourceAcc>,
    report_counts: Counts,
    has_report_counters: bool,
    session_start: Option<u64>,
    format_version: Option<String>,
    built: Vec<Built>,
    problems: Problems,
}

/// Reads `text` (named `name` in messages); `warnings` are what was noticed before.
pub(crate) fn parse(
    name: &str,
    text: &str,
    mut warnings: Vec<String>,
) -> Result<Report, ParseError> {
    let mut r = Reader {
        name,
        text,
        groups: Vec::new(),
        package: None,
        class: None,
        method: None,
        source: None,
        report_counts: Counts::default(),
        has_report_counters: false,
        session_start: None,
        format_version: None,
        built: Vec::new(),
        problems: Problems::default(),
    };
    r.read()?;
    let mut rep = r.build(&mut warnings);
    rep.warnings = warnings;
    Ok(rep)
}

impl<'t> Reader<'t> {
    fn err(&self, offset: u64, kind: ErrorKind) -> ParseError {
        xml::error_at(self.name, self.text, offset, kind)
    }

    fn read(&mut self) -> Result<(), ParseError> {
        let mut rd = xml::reader(self.text);
        let mut stack: Vec<Elem> = Vec::new();
        let mut seen_root = false;
        // Whether the reader's last event was a tag: it then looks for text next, and
        // `xml::next_empty` may read the empty elements that follow itself.
        let mut after_tag = false;
        loop {
            // Most of a report, read in place when written as JaCoCo writes it: counters,
            // a source file's lines, and whole methods (their start tag, counters and end
            // tag, so the reader's own list of open elements is never out of step).
            if after_tag && self.fast(&mut rd, &stack) {
                continue;
            }
            let fast = if after_tag {
                xml::next_empty(&mut rd, self.text)
            } else {
                None
            };
            let (ev, before) = match fast {
                Some((e, at)) => (Event::Empty(e), at),
                None => {
                    let before = xml::offset(&rd, self.text);
                    let skipped = xml::skipped(&rd, self.text);
                    match rd.read_event() {
                        Ok(ev) => (ev, before),
                        Err(e) => {
                            return Err(xml::syntax_error(
                                self.name,
                                self.text,
                                rd.error_position().saturating_add(skipped),
                                &e,
                            ))
                        }
                    }
                }
            };
            after_tag = matches!(ev, Event::Start(_) | Event::Empty(_) | Event::End(_));
            match ev {
                Event::Eof => break,
                Event::DocType(d) => {
                    xml::check_doctype(&d).map_err(|k| self.err(before, k))?;
                    // <!DOCTYPE report PUBLIC "-//JACOCO//DTD Report 1.1//EN" "report.dtd">
                    if let Some(v) = d
                        .split_once("DTD Report ")
                        .and_then(|(_, r)| r.split_once("//"))
                        .map(|(v, _)| v.trim())
                    {
                        if !v.is_empty() && v.len() <= 16 {
                            self.format_version = Some(v.to_string());
                        }
                    }
                }
                Event::Start(e) => {
                    let kind = self.open(&e, &stack, &mut seen_root, before)?;
                    stack.push(kind);
                    if stack.len() > xml::MAX_DEPTH {
                        return Err(self.err(
                            before,
                            ErrorKind::Invalid(format!(
                                "elements are nested more than {} levels deep; no coverage \
                                 report is",
                                xml::MAX_DEPTH
                            )),
                        ));
                    }
                }
                Event::Empty(e) => {
                    let kind = self.open(&e, &stack, &mut seen_root, before)?;
                    self.close(kind);
                }
                Event::End(_) => {
                    if let Some(kind) = stack.pop() {
                        self.close(kind);
                    }
                }
                Event::Text(t) if stack.is_empty() && !t.trim().is_empty() => {
                    return Err(self.err(
                        before,
                        ErrorKind::Syntax(
                            "not well-formed XML: text outside the root element".into(),
                        ),
                    ));
                }
                _ => {}
            }
        }
        if let Some(open) = stack.last() {
            let what = match open {
                Elem::Report => "<report>",
                Elem::Group => "<group>",
                Elem::Package => "<package>",
                Elem::Class => "<class>",
                Elem::Method => "<method>",
                Elem::Sourcefile => "<sourcefile>",
                _ => "an element",
            };
            return Err(self.err(
                self.text.len() as u64,
                ErrorKind::Truncated(format!("{what} is never closed")),
            ));
        }
        if !seen_root {
            return Err(ParseError::new(
                self.name,
                ErrorKind::NotAReport("there is no <report> element".into()),
            ));
        }
        Ok(())
    }

    fn attr_text(&self, a: &xml::Attr, at: u64) -> Result<String, ParseError> {
        xml::value(a)
            .map(|v| v.into_owned())
            .map_err(|m| self.err(at, ErrorKind::Invalid(m)))
    }

    fn attr_value<'a>(&self, a: &xml::Attr<'a>, at: u64) -> Result<Cow<'a, str>, ParseError> {
        xml::value(a).map_err(|m| self.err(at, ErrorKind::Invalid(m)))
    }

    fn count(&self, elem: &str, key: &str, v: &str, at: u64) -> Result<u32, ParseError> {
        xml::number(v, MAX_COUNT)
            .and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| {
                self.err(
                    at,
                    ErrorKind::Invalid(format!("<{elem} {}>", xml::bad_number(key, v))),
                )
            })
    }

    fn open(
        &mut self,
        e: &BytesStart,
        stack: &[Elem],
        seen_root: &mut bool,
        at: u64,
    ) -> Result<Elem, ParseError> {
        let tag = e.name();
        let tag = tag.as_ref();
        let parent = stack.last().copied();
        let kind = match (parent, tag) {
            // The elements met most, first (arms are tried in order).
            (
                Some(
                    Elem::Report
                    | Elem::Group
                    | Elem::Package
                    | Elem::Class
                    | Elem::Method
                    | Elem::Sourcefile,
                ),
                "counter",
            ) => Elem::Counter,
            (Some(Elem::Sourcefile), "line") => Elem::Line,
            (None, "report") => Elem::Report,
            (None, other) => {
                return Err(self.err(
                    at,
                    if *seen_root {
                        ErrorKind::Syntax(format!(
                            "not well-formed XML: a second root element <{other}>"
                        ))
                    } else {
                        ErrorKind::NotAReport(format!(
                            "the root element is <{other}>, not <report>"
                        ))
                    },
                ));
            }
            (Some(Elem::Report), "sessioninfo") => Elem::Session,
            (Some(Elem::Report | Elem::Group), "group") => Elem::Group,
            (Some(Elem::Report | Elem::Group), "package") => Elem::Package,
            (Some(Elem::Package), "class") => Elem::Class,
            (Some(Elem::Class), "method") => Elem::Method,
            (Some(Elem::Package), "sourcefile") => Elem::Sourcefile,
            (
                _,
                t @ ("report" | "group" | "package" | "class" | "method" | "sourcefile" | "line"
                | "counter"),
            ) => {
                let text = self.text;
                self.problems
                    .misplaced
                    .add(|| format!("<{t}> on line {}", xml::position(text, at).0));
                Elem::Other
            }
            _ => Elem::Other,
        };
        match kind {
            Elem::Report => *seen_root = true,
            Elem::Session => {
                for a in xml::attrs(e) {
                    let a = a.map_err(|m| self.err(at, ErrorKind::Syntax(m)))?;
                    if a.key == "start" {
                        if let Some(s) = xml::number(a.value, u64::MAX) {
                            self.session_start =
                                Some(self.session_start.map_or(s, |t: u64| t.min(s)));
                        }
                    }
                }
            }
            Elem::Group => {
                let mut name = String::new();
                for a in xml::attrs(e) {
                    let a = a.map_err(|m| self.err(at, ErrorKind::Syntax(m)))?;
                    if a.key == "name" {
                        name = self.attr_text(&a, at)?;
                    }
                }
                self.groups.push(name);
            }
            Elem::Package => {
                let mut p = PackageAcc::default();
                for a in xml::attrs(e) {
                    let a = a.map_err(|m| self.err(at, ErrorKind::Syntax(m)))?;
                    if a.key == "name" {
                        p.name = self.attr_text(&a, at)?;
                    }
                }
                self.package = Some(p);
            }
            Elem::Class => {
                let mut c = ClassAcc {
                    name: String::new(),
                    source: None,
                    counts: Counts::default(),
                    methods: Vec::new(),
                };
                for a in xml::attrs(e) {
                    let a = a.map_err(|m| self.err(at, ErrorKind::Syntax(m)))?;
                    match a.key {
                        "name" => c.name = self.attr_text(&a, at)?,
                        "sourcefilename" => c.source = Some(self.attr_text(&a, at)?),
                        _ => {}
                    }
                }
                self.class = Some(c);
            }
            Elem::Method => {
                let mut name = Cow::Borrowed("");
                let mut desc = Cow::Borrowed("");
                let mut line = None;
                for a in xml::attrs(e) {
                    let a = a.map_err(|m| self.err(at, ErrorKind::Syntax(m)))?;
                    match a.key {
                        "name" => name = self.attr_value(&a, at)?,
                        "desc" => desc = self.attr_value(&a, at)?,
                        "line" => line = Some(self.count("method", "line", a.value, at)?),
                        _ => {}
                    }
                }
                // One allocation for the name: most values have no entity to replace.
                let mut full = String::with_capacity(name.len() + desc.len());
                full.push_str(&name);
                full.push_str(&desc);
                self.method = Some(MethodAcc {
                    name: full,
                    line: line.filter(|&l| l > 0),
                    counts: Counts::default(),
                });
            }
            Elem::Sourcefile => {
                let mut name = String::new();
                for a in xml::attrs(e) {
                    let a = a.map_err(|m| self.err(at, ErrorKind::Syntax(m)))?;
                    if a.key == "name" {
                        name = self.attr_text(&a, at)?;
                    }
                }
                self.source = Some(SourceAcc {
                    name,
                    counts: Counts::default(),
                    lines: Vec::new(),
                });
            }
            Elem::Line => {
                // JaCoCo writes nr, mi, ci, mb, cb in this order: read them without the
                // general loop, which takes over for anything else.
                const KEYS: [&str; 5] = ["nr", "mi", "ci", "mb", "cb"];
                let mut raw: [Option<&str>; 5] = [None; 5];
                let mut it = xml::attrs(e);
                for (slot, key) in raw.iter_mut().zip(KEYS) {
                    match it.expect(key) {
                        Some(v) => *slot = Some(v),
                        None => break,
                    }
                }
                if !it.is_done() {
                    for a in it {
                        let a = a.map_err(|m| self.err(at, ErrorKind::Syntax(m)))?;
                        if let Some(i) = KEYS.iter().position(|&k| k == a.key) {
                            if let Some(slot) = raw.get_mut(i) {
                                *slot = Some(a.value);
                            }
                        }
                    }
                }
                let [nr, mi, ci, mb, cb] = raw;
                let Some(nr) = nr else {
                    return Err(self.err(
                        at,
                        ErrorKind::Invalid("a <line> without an nr attribute".into()),
                    ));
                };
                let get = |key: &str, v: Option<&str>| match v {
                    Some(v) => self.count("line", key, v, at),
                    None => Ok(0),
                };
                let l = Line {
                    nr: get("nr", Some(nr))?,
                    mi: get("mi", mi)?,
                    ci: get("ci", ci)?,
                    mb: get("mb", mb)?,
                    cb: get("cb", cb)?,
                };
                if let Some(s) = self.source.as_mut() {
                    s.lines.push(l);
                }
            }
            Elem::Counter => {
                let mut it = xml::attrs(e);
                let mut ty = it.expect("type");
                let mut missed = ty.and_then(|_| it.expect("missed"));
                let mut covered = missed.and_then(|_| it.expect("covered"));
                if !it.is_done() {
                    for a in it {
                        let a = a.map_err(|m| self.err(at, ErrorKind::Syntax(m)))?;
                        match a.key {
                            "type" => ty = Some(a.value),
                            "missed" => missed = Some(a.value),
                            "covered" => covered = Some(a.value),
                            _ => {}
                        }
                    }
                }
                let (Some(ty), Some(missed), Some(covered)) = (ty, missed, covered) else {
                    return Err(self.err(
                        at,
                        ErrorKind::Invalid(
                            "a <counter> needs type, missed and covered attributes".into(),
                        ),
                    ));
                };
                let missed = self.count("counter", "missed", missed, at)?;
                let covered = self.count("counter", "covered", covered, at)?;
                let metric = match ty {
                    "INSTRUCTION" => Metric::Instructions,
                    "BRANCH" => Metric::Branches,
                    "LINE" => Metric::Lines,
                    "COMPLEXITY" => Metric::Complexity,
                    "METHOD" => Metric::Methods,
                    "CLASS" => Metric::Classes,
                    other => {
                        let shown: String = other.chars().take(40).collect();
                        self.problems.unknown_counter.add(|| format!("{shown:?}"));
                        return Ok(kind);
                    }
                };
                self.set_counter(parent, metric, missed, covered);
            }
            _ => {}
        }
        Ok(kind)
    }

    /// A counter's figures, on the element it sits in.
    #[inline]
    fn set_counter(&mut self, parent: Option<Elem>, metric: Metric, missed: u32, covered: u32) {
        let tally = Tally::new(u64::from(covered), u64::from(missed) + u64::from(covered));
        let target = match parent {
            Some(Elem::Method) => self.method.as_mut().map(|m| &mut m.counts),
            Some(Elem::Class) => self.class.as_mut().map(|c| &mut c.counts),
            Some(Elem::Sourcefile) => self.source.as_mut().map(|s| &mut s.counts),
            Some(Elem::Report) => {
                self.has_report_counters = true;
                Some(&mut self.report_counts)
            }
            // Package and group counters are sums of what they hold.
            _ => None,
        };
        if let Some(t) = target.and_then(|c| c.get_mut(metric)) {
            // A repeated counter replaces the first: JaCoCo writes each type once.
            *t = tally;
        }
    }

    /// The elements most of a report is made of, read in place when written exactly as
    /// JaCoCo writes them ([`xml::Strict`]) with values the general reading takes without
    /// a word: `<counter/>` of a known type where counters belong, `<line/>` with all five
    /// counts in a source file, and a whole `<method>` of a class holding only such
    /// counters. Whether it read one; if not, nothing was consumed and the general
    /// reading takes over (and says what is wrong, if anything is).
    #[inline]
    fn fast(&mut self, rd: &mut quick_xml::Reader<&'t [u8]>, stack: &[Elem]) -> bool {
        let parent = stack.last().copied();
        match parent {
            Some(Elem::Sourcefile) => {
                if let Some(l) = line_fast(rd, self.text) {
                    if let Some(s) = self.source.as_mut() {
                        s.lines.push(l);
                    }
                    return true;
                }
            }
            Some(Elem::Class) if stack.len() < xml::MAX_DEPTH => {
                let rest = xml::remaining(rd, self.text).unwrap_or_default();
                if let Some((m, len)) = method_fast(rest) {
                    if let Some(c) = self.class.as_mut() {
                        c.methods.push(m);
                    }
                    if let Some(after) = rest.as_bytes().get(len..) {
                        *rd.get_mut() = after;
                    }
                    return true;
                }
            }
            _ => {}
        }
        if matches!(
            parent,
            Some(
                Elem::Report
                    | Elem::Group
                    | Elem::Package
                    | Elem::Class
                    | Elem::Method
                    | Elem::Sourcefile
            )
        ) {
            let rest = xml::remaining(rd, self.text).unwrap_or_default();
            if let Some((metric, missed, covered, len)) = counter_fast(rest) {
                self.set_counter(parent, metric, missed, covered);
                if let Some(after) = rest.as_bytes().get(len..) {
                    *rd.get_mut() = after;
                }
                return true;
            }
        }
        false
    }

    fn close(&mut self, kind: Elem) {
        match kind {
            Elem::Group => {
                self.groups.pop();
            }
            Elem::Method => {
                if let (Some(m), Some(c)) = (self.method.take(), self.class.as_mut()) {
                    c.methods.push(m);
                }
            }
            Elem::Class => {
                if let (Some(c), Some(p)) = (self.class.take(), self.package.as_mut()) {
                    p.classes.push(c);
                }
            }
            Elem::Sourcefile => {
                if let (Some(s), Some(p)) = (self.source.take(), self.package.as_mut()) {
                    p.sources.push(s);
                }
            }
            Elem::Package => {
                if let Some(p) = self.package.take() {
                    self.finish_package(p);
                }
            }
            _ => {}
        }
    }

    /// The package's source files, each with its classes and methods as regions; classes
    /// without a source file become files of their own, so that totals add up.
    fn finish_package(&mut self, p: PackageAcc) {
        let group = self.groups.join("/");
        let prefix = if p.name.is_empty() {
            String::new()
        } else {
            format!("{}/", p.name)
        };
        let PackageAcc {
            mut classes,
            mut sources,
            ..
        } = p;
        // The classes of each source file name, in class order (every source file of that
        // name gets them all), and the classes of none.
        let mut slot_of: HashMap<&str, usize> = HashMap::new();
        let mut uses: Vec<usize> = Vec::new();
        for s in &sources {
            let slot = *slot_of.entry(s.name.as_str()).or_insert_with(|| {
                uses.push(0);
                uses.len() - 1
            });
            if let Some(u) = uses.get_mut(slot) {
                *u += 1;
            }
        }
        let mut of_slot: Vec<Vec<usize>> = vec![Vec::new(); uses.len()];
        let mut orphans = Vec::new();
        for (i, c) in classes.iter().enumerate() {
            match c.source.as_deref().and_then(|s| slot_of.get(s)) {
                Some(&slot) => {
                    if let Some(v) = of_slot.get_mut(slot) {
                        v.push(i);
                    }
                }
                None => orphans.push(i),
            }
        }
        let slots: Vec<usize> = sources
            .iter()
            .map(|s| slot_of.get(s.name.as_str()).copied().unwrap_or(0))
            .collect();
        drop(slot_of);
        for (s, slot) in sources.iter_mut().zip(slots) {
            let path = format!("{prefix}{}", s.name);
            let mine = of_slot.get(slot).map(Vec::as_slice).unwrap_or(&[]);
            // A class's names move into its regions, unless another source file of the
            // same name needs them too.
            let take = uses.get(slot) == Some(&1);
            let file = self.build_file(path, s, &mut classes, mine, take);
            self.built.push(Built {
                group: group.clone(),
                file,
            });
        }
        for i in orphans {
            let Some(c) = classes.get_mut(i) else {
                continue;
            };
            let path = format!("{}.class", c.name);
            let p2 = path.clone();
            self.problems.no_source.add(|| format!("{p2:?}"));
            let counts = Counts {
                files: 1,
                ..c.counts
            };
            let mut regions = Vec::with_capacity(c.methods.len() + 1);
            class_regions(c, &mut regions, true);
            self.built.push(Built {
                group: group.clone(),
                file: FileCoverage {
                    path,
                    counts,
                    regions,
                    ..FileCoverage::default()
                },
            });
        }
    }

    fn build_file(
        &mut self,
        path: String,
        s: &mut SourceAcc,
        classes: &mut [ClassAcc],
        mine: &[usize],
        take: bool,
    ) -> FileCoverage {
        let mut lines = std::mem::take(&mut s.lines);
        if !lines.is_sorted_by_key(|l| l.nr) {
            lines.sort_by_key(|l| l.nr);
        }
        let before = lines.len();
        lines.dedup_by(|later, kept| later.nr == kept.nr);
        if lines.len() != before {
            let (p, n) = (path.clone(), before - lines.len());
            self.problems
                .duplicate_lines
                .add(|| format!("{p:?} ({n} lines listed twice)"));
        }
        // JaCoCo's LINE counter: a line with any covered instruction is covered, one
        // whose instructions are all missed is missed (SourceNodeImpl.incrementLine).
        // (The lists counted first, then filled once.)
        let ran = lines.iter().filter(|l| l.ci > 0).count();
        let missed = lines.iter().filter(|l| l.ci == 0 && l.mi > 0).count();
        let with_branches = lines.iter().filter(|l| l.mb > 0 || l.cb > 0).count();
        let mut executed = Vec::with_capacity(ran);
        let mut missing = Vec::with_capacity(missed);
        let mut line_branches = Vec::with_capacity(with_branches);
        for l in &lines {
            if l.ci > 0 {
                executed.push(l.nr);
            } else if l.mi > 0 {
                missing.push(l.nr);
            }
            if l.mb > 0 || l.cb > 0 {
                line_branches.push(LineBranches {
                    line: l.nr,
                    taken: l.cb,
                    total: l.cb.saturating_add(l.mb),
                });
            }
        }
        let counted_lines = Tally::new(
            executed.len() as u64,
            (executed.len() + missing.len()) as u64,
        );
        let counted_branches = lines.iter().fold(Tally::default(), |t, l| {
            t + Tally::new(u64::from(l.cb), u64::from(l.cb) + u64::from(l.mb))
        });
        let mut counts = Counts {
            files: 1,
            ..s.counts
        };
        counts.partial_branches = lines
            .iter()
            .filter(|l| l.ci > 0 && l.cb > 0 && l.mb > 0)
            .count() as u64;
        if !lines.is_empty() && counted_lines != counts.lines {
            let (p, d, c) = (path.clone(), counts.lines, counted_lines);
            self.problems.line_counter.add(|| {
                format!(
                    "{p:?} (LINE counter {} of {}, lines {} of {})",
                    d.covered, d.total, c.covered, c.total
                )
            });
        }
        if !lines.is_empty() && counted_branches != counts.branches {
            let (p, d, c) = (path.clone(), counts.branches, counted_branches);
            self.problems.branch_counter.add(|| {
                format!(
                    "{p:?} (BRANCH counter {} of {}, lines {} of {})",
                    d.covered, d.total, c.covered, c.total
                )
            });
        }
        FileCoverage {
            path,
            counts,
            executed_lines: executed,
            missing_lines: missing,
            line_branches,
            regions: {
                // Sized at once: a region per class and per method.
                let n = mine
                    .iter()
                    .filter_map(|&i| classes.get(i))
                    .map(|c| c.methods.len() + 1)
                    .sum();
                let mut v = Vec::with_capacity(n);
                for &i in mine {
                    if let Some(c) = classes.get_mut(i) {
                        class_regions(c, &mut v, take);
                    }
                }
                v
            },
            ..FileCoverage::default()
        }
    }

    fn build(mut self, warnings: &mut Vec<String>) -> Report {
        // Equal paths in two groups (modules): tell them apart by the group.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for b in &self.built {
            *seen.entry(b.file.path.as_str()).or_default() += 1;
        }
        let clash = seen.values().any(|&n| n > 1);
        let mut files: Vec<FileCoverage> = Vec::with_capacity(self.built.len());
        for b in std::mem::take(&mut self.built) {
            let mut f = b.file;
            if clash && !b.group.is_empty() {
                f.path = format!("{}/{}", b.group, f.path);
            }
            files.push(f);
        }
        let recomputed: Counts = files.iter().map(|f| f.counts).sum();
        let declared = self.has_report_counters.then_some(Counts {
            files: files.len() as u64,
            ..self.report_counts
        });
        if let Some(d) = &declared {
            let differ: Vec<String> = METRICS
                .iter()
                .filter(|&&m| d.get(m) != recomputed.get(m))
                .map(|&m| {
                    format!(
                        "{}: {} of {} declared, {} of {} in the files",
                        m.key(),
                        d.get(m).covered,
                        d.get(m).total,
                        recomputed.get(m).covered,
                        recomputed.get(m).total
                    )
                })
                .collect();
            if !differ.is_empty() {
                warnings.push(format!(
                    "the report's own counters differ from the sum of its source files ({}); \
                     covgap shows the sum of the files",
                    differ.join("; ")
                ));
            }
        }
        let p = self.problems;
        p.line_counter.warn(
            warnings,
            "source file(s) whose LINE counter disagrees with their <line> elements",
            "covgap shows each file's counters as the report wrote them",
        );
        p.branch_counter.warn(
            warnings,
            "source file(s) whose BRANCH counter disagrees with their <line> elements",
            "covgap shows each file's counters as the report wrote them",
        );
        p.duplicate_lines.warn(
            warnings,
            "source file(s) list a line twice",
            "covgap keeps the first",
        );
        p.no_source.warn(
            warnings,
            "class(es) without a source file (compiled without debug information?)",
            "each is listed as a file of its own so that the totals add up",
        );
        p.misplaced.warn(
            warnings,
            "element(s) outside the place JaCoCo puts them",
            "they were ignored",
        );
        p.unknown_counter.warn(
            warnings,
            "counter type(s) covgap does not know",
            "they were ignored",
        );
        Report {
            source: Source {
                format_version: self.format_version,
                timestamp: self.session_start.and_then(xml::epoch_to_iso),
                branch_coverage: true,
                ..Source::new(FORMAT, Tool::JaCoCo)
            },
            metrics: METRICS.to_vec(),
            root: None,
            files,
            declared_totals: declared,
            warnings: Vec::new(),
        }
    }
}

/// A class and its methods as regions.
/// A class's regions (the class, then its methods) onto `v`; with `take`, its names move
/// there (the class is not wanted again).
fn class_regions(c: &mut ClassAcc, v: &mut Vec<Region>, take: bool) {
    let name = |n: &mut String| {
        if take {
            std::mem::take(n)
        } else {
            n.clone()
        }
    };
    v.push(Region {
        kind: RegionKind::Class,
        name: name(&mut c.name),
        start_line: c.methods.iter().filter_map(|m| m.line).min(),
        hits: None,
        counts: c.counts,
        missing_lines: Vec::new(),
    });
    v.extend(c.methods.iter_mut().map(|m| Region {
        kind: RegionKind::Function,
        name: name(&mut m.name),
        start_line: m.line,
        hits: None,
        counts: m.counts,
        missing_lines: Vec::new(),
    }));
}

/// The metric of a counter type JaCoCo writes.
#[inline]
fn metric_of(ty: &[u8]) -> Option<Metric> {
    Some(match ty {
        b"INSTRUCTION" => Metric::Instructions,
        b"BRANCH" => Metric::Branches,
        b"LINE" => Metric::Lines,
        b"COMPLEXITY" => Metric::Complexity,
        b"METHOD" => Metric::Methods,
        b"CLASS" => Metric::Classes,
        _ => return None,
    })
}

/// A count as the general reading takes it ([`MAX_COUNT`] at most).
#[inline]
fn small(v: u64) -> Option<u32> {
    u32::try_from(v).ok()
}

/// `<counter type="…" missed="…" covered="…"/>` next in `rest`, of a known type with
/// counts the general reading takes: (metric, missed, covered, bytes read).
#[inline]
fn counter_fast(rest: &str) -> Option<(Metric, u32, u32, usize)> {
    let mut t = xml::Strict::at(rest, b"counter")?;
    let metric = metric_of(t.word(b"type")?)?;
    let missed = small(t.num(b"missed")?)?;
    let covered = small(t.num(b"covered")?)?;
    Some((metric, missed, covered, t.empty_end()?))
}

/// `<line nr="…" mi="…" ci="…" mb="…" cb="…"/>` next in `rd`, all five counts ones the
/// general reading takes: the line, read past.
#[inline]
fn line_fast<'t>(rd: &mut quick_xml::Reader<&'t [u8]>, text: &'t str) -> Option<Line> {
    let mut t = xml::Strict::open(rd, text, b"line")?;
    let l = Line {
        nr: small(t.num(b"nr")?)?,
        mi: small(t.num(b"mi")?)?,
        ci: small(t.num(b"ci")?)?,
        mb: small(t.num(b"mb")?)?,
        cb: small(t.num(b"cb")?)?,
    };
    if !t.ends() {
        return None;
    }
    t.commit(rd);
    Some(l)
}

/// `<method name="…" desc="…" line="…">`, counters as [`counter_fast`] reads them, then
/// `</method>`, next in `rest`, with values the general reading takes without a word: the
/// method and the bytes it takes.
fn method_fast(rest: &str) -> Option<(MethodAcc, usize)> {
    let mut t = xml::Strict::at(rest, b"method")?;
    let name = xml::value(&xml::Attr {
        key: "name",
        value: t.text(b"name")?,
    })
    .ok()?;
    let desc = xml::value(&xml::Attr {
        key: "desc",
        value: t.text(b"desc")?,
    })
    .ok()?;
    let line = small(t.num(b"line")?)?;
    let mut at = t.start_end()?;
    let mut counts = Counts::default();
    loop {
        let here = rest.get(at..)?;
        if let Some(n) = xml::end_tag(here.as_bytes(), b"method") {
            at += n;
            break;
        }
        let (metric, missed, covered, n) = counter_fast(here)?;
        if let Some(t) = counts.get_mut(metric) {
            *t = Tally::new(u64::from(covered), u64::from(missed) + u64::from(covered));
        }
        at += n;
    }
    let mut full = String::with_capacity(name.len() + desc.len());
    full.push_str(&name);
    full.push_str(&desc);
    Some((
        MethodAcc {
            name: full,
            line: Some(line).filter(|&l| l > 0),
            counts,
        },
        at,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> Result<Report, ParseError> {
        crate::formats::parse_as(
            crate::Kind::JaCoCo,
            "j.xml",
            xml.as_bytes(),
            Default::default(),
        )
    }

    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\">";

    fn counters(i: (u32, u32), b: (u32, u32), l: (u32, u32)) -> String {
        format!(
            "<counter type=\"INSTRUCTION\" missed=\"{}\" covered=\"{}\"/>\
             <counter type=\"BRANCH\" missed=\"{}\" covered=\"{}\"/>\
             <counter type=\"LINE\" missed=\"{}\" covered=\"{}\"/>",
            i.0, i.1, b.0, b.1, l.0, l.1
        )
    }

    #[test]
    fn a_small_report() {
        let c = counters((3, 7), (1, 1), (1, 2));
        let x = format!(
            "{HEAD}<report name=\"r\"><sessioninfo id=\"a\" start=\"1796080867048\" \
             dump=\"1\"/><package name=\"com/x\"><class name=\"com/x/A\" \
             sourcefilename=\"A.java\"><method name=\"&lt;init&gt;\" desc=\"()V\" \
             line=\"3\">{c}</method>{c}</class><sourcefile name=\"A.java\">\
             <line nr=\"3\" mi=\"0\" ci=\"4\" mb=\"1\" cb=\"1\"/>\
             <line nr=\"4\" mi=\"3\" ci=\"0\" mb=\"0\" cb=\"0\"/>\
             <line nr=\"5\" mi=\"0\" ci=\"3\" mb=\"0\" cb=\"0\"/>{c}</sourcefile>{c}\
             </package>{c}</report>"
        );
        let r = read(&x).expect("reads");
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert_eq!(r.source.tool, Tool::JaCoCo);
        assert_eq!(r.source.format_version.as_deref(), Some("1.1"));
        assert_eq!(
            r.source.timestamp.as_deref(),
            Some("2026-11-30T23:21:07.048Z")
        );
        let f = &r.files[0];
        assert_eq!(f.path, "com/x/A.java");
        assert_eq!(f.counts.instructions, Tally::new(7, 10));
        assert_eq!(f.counts.lines, Tally::new(2, 3));
        assert_eq!(f.executed_lines, [3, 5]);
        assert_eq!(f.missing_lines, [4]);
        assert!(f.line_hits.is_empty());
        assert_eq!(
            f.line_branches,
            [LineBranches {
                line: 3,
                taken: 1,
                total: 2
            }]
        );
        assert_eq!(f.counts.partial_branches, 1);
        assert_eq!(f.regions.len(), 2);
        assert_eq!(f.regions[1].name, "<init>()V");
        assert_eq!(f.regions[1].start_line, Some(3));
        assert!(f.regions[1].is_covered());
        assert_eq!(
            r.declared_totals.map(|d| d.instructions),
            Some(Tally::new(7, 10))
        );
    }

    #[test]
    fn bad_counters_are_errors_with_a_place() {
        for (v, want) in [
            ("-1", "negative"),
            ("99999999999999", "too large"),
            ("x", "not a whole number"),
        ] {
            let x = format!(
                "{HEAD}<report name=\"r\">\n<counter type=\"LINE\" missed=\"{v}\" \
                 covered=\"1\"/></report>"
            );
            let e = read(&x).unwrap_err();
            assert!(e.to_string().contains(want), "{e}");
            assert_eq!(e.line, Some(2));
        }
    }

    #[test]
    fn classes_without_source_and_group_clashes() {
        let c = counters((1, 1), (0, 0), (0, 1));
        let pkg = format!(
            "<package name=\"p\"><class name=\"p/Gen\">{c}</class><sourcefile \
             name=\"A.java\"><line nr=\"1\" mi=\"1\" ci=\"1\" mb=\"0\" cb=\"0\"/>{c}\
             </sourcefile></package>"
        );
        let x = format!(
            "{HEAD}<report name=\"r\"><group name=\"m1\">{pkg}</group><group \
             name=\"m2\">{pkg}</group></report>"
        );
        let r = read(&x).expect("reads");
        let paths: Vec<&str> = r.files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "m1/p/A.java",
                "m1/p/Gen.class",
                "m2/p/A.java",
                "m2/p/Gen.class"
            ]
        );
        assert!(r
            .warnings
            .iter()
            .any(|w| w.contains("without a source file")));
    }
}
