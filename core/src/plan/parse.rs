//! Reading and checking a plan file. Every problem is a [`PlanError`] value naming the
//! file, the key path (`phases[1].exit.fail_under`), and the line and column.

use super::glob::normalize;
use super::model::{Plan, CURRENT_VERSION, SUPPORTED_VERSIONS};
use crate::display::MAX_PRECISION;
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use std::collections::HashSet;
use std::fmt;

/// Why a plan could not be used.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanErrorKind {
    /// Zero bytes, or only whitespace.
    #[error("the plan file is empty")]
    Empty,
    /// Not JSON.
    #[error("not valid JSON: {0}")]
    Syntax(String),
    /// Valid up to where it stops.
    #[error("the plan file ends too early ({0}); was it cut short?")]
    Truncated(String),
    /// A key the format does not have (often a typo).
    #[error("{}", unknown_key_message(key, allowed))]
    UnknownKey {
        /// The key as written.
        key: String,
        /// The keys allowed at that place.
        allowed: Box<[String]>,
    },
    /// A required key is absent.
    #[error("missing key {0:?}")]
    MissingKey(String),
    /// A `version` this build does not read.
    #[error("plan format version {0} is not supported; this covgap reads version {supported}", supported = supported_list())]
    UnsupportedVersion(String),
    /// Right shape, wrong value.
    #[error("{0}")]
    Invalid(String),
}

fn supported_list() -> String {
    SUPPORTED_VERSIONS
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn unknown_key_message(key: &str, allowed: &[String]) -> String {
    let mut s = format!("unknown key {key:?}");
    if let Some(near) = allowed.iter().find(|a| edit_distance(key, a) <= 2) {
        s.push_str(&format!(" (did you mean {near:?}?)"));
    }
    if allowed.is_empty() {
        s.push_str("; no keys are allowed here");
    } else {
        s.push_str("; allowed keys here: ");
        s.push_str(&allowed.join(", "));
    }
    s
}

/// Levenshtein distance, for "did you mean" on short key names.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let at = |v: &[usize], i: usize| v.get(i).copied().unwrap_or(usize::MAX - 1);
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let best = (at(&prev, j) + usize::from(ca != *cb))
                .min(at(&prev, j + 1) + 1)
                .min(at(&cur, j) + 1);
            if let Some(c) = cur.get_mut(j + 1) {
                *c = best;
            }
        }
        prev = cur;
    }
    at(&prev, b.len())
}

/// A plan that could not be used: which file, what, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanError {
    /// The file name as the user gave it.
    pub file: String,
    /// What is wrong.
    pub kind: PlanErrorKind,
    /// Where in the plan, like `modules[2].target`.
    pub path: Option<String>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
}

impl PlanError {
    /// The message without the file name.
    pub fn reason(&self) -> String {
        crate::error::located(&self.kind, self.path.as_deref(), self.line, self.column)
    }
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.reason())
    }
}

impl std::error::Error for PlanError {}

/// One step of a path into the plan's JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PathSeg {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A problem found by [`validate`]: where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// Path to the offending value.
    pub path: Vec<PathSeg>,
    /// What is wrong with it.
    pub message: String,
}

impl Problem {
    /// The path written like `phases[1].modules[0]`.
    pub fn path_text(&self) -> String {
        path_text(&self.path)
    }
}

fn path_text(path: &[PathSeg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            PathSeg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            PathSeg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Reads and validates a plan from JSON text; `name` is the file name used in messages.
pub fn parse_plan(name: &str, text: &str) -> Result<Plan, PlanError> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let err = |kind, path: Option<String>, pos: Option<(usize, usize)>| PlanError {
        file: name.to_string(),
        kind,
        path,
        line: pos.map(|p| p.0),
        column: pos.map(|p| p.1),
    };
    let start = text.trim_start();
    if start.is_empty() {
        return Err(err(PlanErrorKind::Empty, None, None));
    }
    if !start.starts_with('{') {
        // Checked here because serde would read a JSON array into the struct by position.
        let line = text.len() - start.len();
        let line = text.get(..line).map_or(1, |t| t.matches('\n').count() + 1);
        return Err(err(
            PlanErrorKind::Invalid(
                "a plan is a JSON object ({\"version\": 1, \"target\": …}); see docs/plan-format.md".into(),
            ),
            None,
            Some((line, 1)),
        ));
    }

    // The version first: a plan written for a newer covgap should say so, not complain
    // about the keys that version added.
    #[derive(Deserialize)]
    struct Probe {
        version: Option<serde_json::Value>,
    }
    let probe: Probe = serde_json::from_str(text).map_err(|e| serde_error(name, e, None))?;
    match probe.version {
        None => return Err(err(PlanErrorKind::MissingKey("version".into()), None, None)),
        Some(v) if v.as_u64().is_some_and(|v| SUPPORTED_VERSIONS.contains(&v)) => {}
        Some(v) => {
            let at = [PathSeg::Key("version".into())];
            return Err(err(
                PlanErrorKind::UnsupportedVersion(v.to_string()),
                Some("version".into()),
                locate(text, &at),
            ));
        }
    }

    let mut de = serde_json::Deserializer::from_str(text);
    let plan: Plan = match serde_path_to_error::deserialize(&mut de) {
        Ok(p) => p,
        Err(e) => {
            let path = format_serde_path(e.path());
            return Err(serde_error(name, e.into_inner(), Some(path)));
        }
    };
    if let Err(e) = de.end() {
        return Err(serde_error(name, e, None));
    }
    match validate(&plan).into_iter().next() {
        None => Ok(plan),
        Some(p) => Err(err(
            PlanErrorKind::Invalid(p.message.clone()),
            Some(p.path_text()),
            locate(text, &p.path),
        )),
    }
}

fn serde_error(name: &str, e: serde_json::Error, path: Option<String>) -> PlanError {
    use serde_json::error::Category;
    let (line, column) = (e.line(), e.column());
    let msg = match e.to_string().rsplit_once(" at line ") {
        Some((m, _)) => m.to_string(),
        None => e.to_string(),
    };
    let kind = match e.classify() {
        Category::Eof => PlanErrorKind::Truncated(msg),
        Category::Syntax | Category::Io => PlanErrorKind::Syntax(msg),
        Category::Data => data_error(&msg),
    };
    // For an unknown key, serde's path ends at the key itself; show where it sits.
    let path = match (&kind, path) {
        (PlanErrorKind::UnknownKey { .. }, Some(p)) => {
            let parent = p.rsplit_once('.').map(|(a, _)| a.to_string());
            parent.or(Some(String::new()))
        }
        (_, p) => p,
    };
    PlanError {
        file: name.to_string(),
        kind,
        path: path.filter(|p| !p.is_empty() && p != "?"),
        line: (line > 0).then_some(line),
        column: (line > 0).then_some(column),
    }
}

/// The words in backticks of a serde message, e.g. the key and allowed keys of
/// "unknown field `taget`, expected one of `version`, `target`".
fn backticked(msg: &str) -> Vec<String> {
    msg.split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect()
}

fn data_error(msg: &str) -> PlanErrorKind {
    if msg.starts_with("unknown field `") {
        let mut words = backticked(msg).into_iter();
        let key = words.next().unwrap_or_default();
        return PlanErrorKind::UnknownKey {
            key,
            allowed: words.collect::<Vec<_>>().into_boxed_slice(),
        };
    }
    if msg.starts_with("missing field `") {
        return PlanErrorKind::MissingKey(backticked(msg).into_iter().next().unwrap_or_default());
    }
    if msg.starts_with("unknown variant `") {
        let words = backticked(msg);
        if let Some((v, allowed)) = words.split_first() {
            return PlanErrorKind::Invalid(format!(
                "unknown value {v:?}; allowed values: {}",
                allowed.join(", ")
            ));
        }
    }
    let friendlier = msg
        .replace("expected f64", "expected a number")
        .replace("expected u64", "expected a whole number, 0 or more")
        .replace("expected u8", "expected a whole number from 0 to 255");
    PlanErrorKind::Invalid(friendlier)
}

fn format_serde_path(p: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segs: Vec<PathSeg> = p
        .iter()
        .filter_map(|s| match s {
            Segment::Map { key } => Some(PathSeg::Key(key.clone())),
            Segment::Seq { index } => Some(PathSeg::Index(*index)),
            Segment::Enum { variant } => Some(PathSeg::Key(variant.clone())),
            Segment::Unknown => None,
        })
        .collect();
    path_text(&segs)
}

/// Checks what the types cannot: ranges, orderings and references between parts. Used
/// by [`parse_plan`], and by anything that builds or edits a [`Plan`] in memory.
pub fn validate(plan: &Plan) -> Vec<Problem> {
    let mut out = Vec::new();
    let key = |k: &str| PathSeg::Key(k.to_string());
    let mut bad = |path: Vec<PathSeg>, message: String| out.push(Problem { path, message });

    if !SUPPORTED_VERSIONS.contains(&plan.version) {
        bad(
            vec![key("version")],
            format!(
                "plan format version {} is not supported; this covgap reads version {CURRENT_VERSION}",
                plan.version
            ),
        );
    }
    // Percentages first, in a block: the checker borrows `bad` until it ends.
    {
        let mut pct = |path: Vec<PathSeg>, what: &str, v: f64| {
            if !(v.is_finite() && (0.0..=100.0).contains(&v)) {
                bad(
                    path,
                    format!("{what} must be a percentage from 0 to 100, not {v}"),
                );
            }
        };
        pct(vec![key("target")], "target", plan.target);
        if let Some(v) = plan.floor {
            pct(vec![key("floor")], "floor", v);
        }
        if let Some(v) = plan.baseline {
            pct(vec![key("baseline")], "baseline", v);
        }
        if let Some(v) = plan.configured_fail_under {
            pct(
                vec![key("configured_fail_under")],
                "configured_fail_under",
                v,
            );
        }
        for (i, m) in plan.modules.iter().enumerate() {
            let at = |k: &str| vec![key("modules"), PathSeg::Index(i), key(k)];
            if let Some(t) = m.target {
                pct(at("target"), "target", t);
            }
        }
        for (i, ph) in plan.phases.iter().enumerate() {
            let at = |ks: &[&str]| {
                let mut v = vec![key("phases"), PathSeg::Index(i)];
                v.extend(ks.iter().map(|k| key(k)));
                v
            };
            pct(at(&["target"]), "target", ph.target);
            if let Some(b) = ph.baseline {
                pct(at(&["baseline"]), "baseline", b);
            }
            if let Some(v) = ph.exit.overall_at_least {
                pct(at(&["exit", "overall_at_least"]), "overall_at_least", v);
            }
            if let Some(v) = ph.exit.fail_under {
                pct(at(&["exit", "fail_under"]), "fail_under", v);
            }
            for (name, v) in &ph.exit.modules_at_least {
                pct(
                    at(&["exit", "modules_at_least", name]),
                    "a module target",
                    *v,
                );
            }
        }
    }

    if plan.precision > MAX_PRECISION {
        bad(
            vec![key("precision")],
            format!(
                "precision must be from 0 to {MAX_PRECISION} decimal places, not {}",
                plan.precision
            ),
        );
    }

    let mut names: HashSet<&str> = HashSet::new();
    for (i, m) in plan.modules.iter().enumerate() {
        let at = |k: &str| vec![key("modules"), PathSeg::Index(i), key(k)];
        let here = vec![key("modules"), PathSeg::Index(i)];
        match (&m.path, m.paths.is_empty()) {
            (None, true) => bad(
                here.clone(),
                "a module needs \"path\" (one pattern) or \"paths\" (a list)".into(),
            ),
            (Some(_), false) => bad(
                at("paths"),
                "give either \"path\" or \"paths\", not both".into(),
            ),
            _ => {}
        }
        if let Some(p) = &m.path {
            if normalize(p).trim_matches('/').is_empty() {
                bad(
                    at("path"),
                    format!("path {p:?} is empty; use \"**\" to match every file"),
                );
            }
        }
        for (j, p) in m.paths.iter().enumerate() {
            if normalize(p).trim_matches('/').is_empty() {
                bad(
                    vec![
                        key("modules"),
                        PathSeg::Index(i),
                        key("paths"),
                        PathSeg::Index(j),
                    ],
                    format!("path {p:?} is empty; use \"**\" to match every file"),
                );
            }
        }
        if m.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            bad(at("name"), "name is empty".into());
        }
        let name = m.display_name();
        if !name.is_empty() && !names.insert(name) {
            bad(
                if m.name.is_some() {
                    at("name")
                } else {
                    here.clone()
                },
                format!("two modules are named {name:?}; phases refer to modules by name"),
            );
        }
        if let Some(e) = &m.effort {
            if !(e.min.is_finite() && e.max.is_finite() && e.min >= 0.0) {
                bad(
                    at("effort"),
                    format!("effort must be 0 hours or more, not {}", e.label()),
                );
            } else if e.min > e.max {
                bad(
                    at("effort"),
                    format!(
                        "effort range {} is reversed; write {}-{}",
                        e.label(),
                        super::model::fmt_num(e.max),
                        super::model::fmt_num(e.min)
                    ),
                );
            }
        }
    }

    let known = || {
        let mut v: Vec<&str> = plan.modules.iter().map(|m| m.display_name()).collect();
        v.sort_unstable();
        v.join(", ")
    };
    for (i, ph) in plan.phases.iter().enumerate() {
        let at = |ks: &[&str]| {
            let mut v = vec![key("phases"), PathSeg::Index(i)];
            v.extend(ks.iter().map(|k| key(k)));
            v
        };
        if ph.name.trim().is_empty() {
            bad(at(&["name"]), "a phase needs a name".into());
        }
        let mut seen = HashSet::new();
        for (j, name) in ph.modules.iter().enumerate() {
            let mut p = at(&["modules"]);
            p.push(PathSeg::Index(j));
            if !names.contains(name.as_str()) {
                bad(
                    p,
                    format!("no module is named {name:?}; modules: {}", known()),
                );
            } else if !seen.insert(name) {
                bad(p, format!("module {name:?} is listed twice"));
            }
        }
        for (name, _) in &ph.exit.modules_at_least {
            if !names.contains(name.as_str()) {
                bad(
                    at(&["exit", "modules_at_least", name]),
                    format!("no module is named {name:?}; modules: {}", known()),
                );
            }
        }
        if ph.exit.modules_at_target && ph.modules.is_empty() {
            bad(
                at(&["exit", "modules_at_target"]),
                "modules_at_target needs the phase to list its \"modules\"".into(),
            );
        }
        if ph.exit.no_module_below_floor && plan.floor.is_none() {
            bad(
                at(&["exit", "no_module_below_floor"]),
                "no_module_below_floor needs a \"floor\" at the top of the plan".into(),
            );
        }
        if ph.exit.no_file_below_floor && plan.floor.is_none() {
            bad(
                at(&["exit", "no_file_below_floor"]),
                "no_file_below_floor needs a \"floor\" at the top of the plan".into(),
            );
        }
    }
    out
}

/// Finds the line and column of the value at `path` in `text` (its last character), by walking the JSON to it
/// and stopping there: serde_json stamps its position on the error that stops it. Plans
/// are small and this runs only when reporting a problem.
pub(crate) fn locate(text: &str, path: &[PathSeg]) -> Option<(usize, usize)> {
    const FOUND: &str = "\u{0}found";
    let mut de = serde_json::Deserializer::from_str(text);
    match (Seek { path }).deserialize(&mut de) {
        Err(e) if e.line() > 0 && e.to_string().starts_with(FOUND) => Some((e.line(), e.column())),
        _ => None,
    }
}

struct Seek<'a> {
    path: &'a [PathSeg],
}

struct Found;

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        if self.path.is_empty() {
            d.deserialize_any(Found)
        } else {
            d.deserialize_any(self)
        }
    }
}

fn found<E: de::Error>() -> E {
    E::custom("\u{0}found")
}

fn not_here<E: de::Error>() -> E {
    E::custom("not found")
}

impl<'de> Visitor<'de> for Found {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(found())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(found())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(found())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(found())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(found())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(found())
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(found())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(found())
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object or array")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<(), A::Error> {
        let Some((PathSeg::Key(want), rest)) = self.path.split_first() else {
            return Err(not_here());
        };
        while let Some(k) = m.next_key::<String>()? {
            if k == *want {
                return m.next_value_seed(Seek { path: rest });
            }
            m.next_value::<IgnoredAny>()?;
        }
        Err(not_here())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut s: A) -> Result<(), A::Error> {
        let Some((PathSeg::Index(want), rest)) = self.path.split_first() else {
            return Err(not_here());
        };
        let mut i = 0;
        loop {
            if i == *want {
                return match s.next_element_seed(Seek { path: rest })? {
                    Some(()) | None => Err(not_here()),
                };
            }
            if s.next_element::<IgnoredAny>()?.is_none() {
                return Err(not_here());
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locate_points_at_values() {
        let text = "{\n  \"a\": 1,\n  \"b\": [\n    \"x\",\n    {\"c\": true}\n  ]\n}";
        let at = |p: &[PathSeg]| locate(text, p);
        let k = |s: &str| PathSeg::Key(s.into());
        assert_eq!(at(&[k("a")]), Some((2, 8)));
        assert_eq!(at(&[k("b"), PathSeg::Index(0)]), Some((4, 7)));
        assert_eq!(at(&[k("b"), PathSeg::Index(1), k("c")]), Some((5, 14)));
        assert_eq!(at(&[k("zz")]), None);
        assert_eq!(at(&[k("b"), PathSeg::Index(9)]), None);
    }

    #[test]
    fn distance() {
        assert_eq!(edit_distance("taget", "target"), 1);
        assert_eq!(edit_distance("flor", "floor"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
