//! The plan file's data model (format version 1), exactly as it is written in JSON.
//!
//! Every struct rejects unknown keys: a typo like `"taget"` would otherwise silently
//! fall back to a default and make a CI gate pass or fail for the wrong reason.

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

pub use crate::model::Metric;

/// The plan format versions this build reads. Bumped only for changes that old readers
/// would misread; new optional keys are rejected by old readers anyway (unknown keys).
pub const SUPPORTED_VERSIONS: &[u64] = &[1];

/// The version [`Plan`]s are written with.
pub const CURRENT_VERSION: u64 = 1;

/// A coverage plan: an overall target, the modules that matter, and phases to get there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Format version; must be one of [`SUPPORTED_VERSIONS`].
    pub version: u64,
    /// A title for exports, e.g. "jinja2: road to 95%".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Free text shown under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Overall target for the whole report, judged on [`Plan::metric`] by the report's
    /// own tool's gate (coverage.py: its `fail_under` rule at [`Plan::precision`]).
    pub target: f64,
    /// The figure the overall target, the floor and phases are judged on; by default the
    /// report's headline metric (coverage.py's combined figure, lines for LCOV, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// Decimal places totals are rounded to before comparing (coverage.py `precision`).
    #[serde(default, skip_serializing_if = "is_zero_u8")]
    pub precision: u8,
    /// "No module (or file) below N%": the least coverage, on the plan's metric, that
    /// the `no_module_below_floor` and `no_file_below_floor` criteria accept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub floor: Option<f64>,
    /// Where the plan started (overall %); the first phase's progress is measured from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// The `fail_under` configured in the project today; the `fail_under` exit criterion
    /// checks that it has been raised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub configured_fail_under: Option<f64>,
    /// Modules, in matching order: each report file belongs to the first that matches.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<Module>,
    /// Phases, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<Phase>,
}

fn is_zero_u8(v: &u8) -> bool {
    *v == 0
}

fn is_false(v: &bool) -> bool {
    !*v
}

/// A group of report files with its own target.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Module {
    /// Name used by phases and shown in tables; defaults to the first path pattern.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// One path pattern (exact file, directory, or glob with `*`, `**`, `?`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Several path patterns, for a module spread over files. Use `path` or `paths`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
    /// Target percentage for this module; defaults to the plan's target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    /// Which figure the target is judged on; by default the report's headline metric.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// Estimated hours to reach the target: a number or a range like `"4-6"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effort: Option<Effort>,
    /// How much reaching the target matters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<Impact>,
    /// Who is working on it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// A board column that overrides the derived one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// Free text (test ideas, links).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The module is expected to match no file yet (code still to be written, or not in
    /// every report). Without this, a module that matches nothing is an unmet criterion
    /// everywhere it is used, so a typo in a path can never make a phase pass.
    #[serde(default, skip_serializing_if = "is_false")]
    pub optional: bool,
}

impl Module {
    /// The module's path patterns, whichever key they were written under.
    pub fn patterns(&self) -> Vec<&str> {
        self.path
            .iter()
            .map(String::as_str)
            .chain(self.paths.iter().map(String::as_str))
            .collect()
    }

    /// The module's name: `name`, else its first pattern.
    pub fn display_name(&self) -> &str {
        match (&self.name, self.path.as_deref(), self.paths.first()) {
            (Some(n), _, _) => n,
            (None, Some(p), _) => p,
            (None, None, Some(p)) => p,
            (None, None, None) => "",
        }
    }
}

/// How much a module matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Impact {
    /// Can wait.
    Low,
    /// Worth doing.
    Medium,
    /// Do first.
    High,
}

impl Impact {
    /// The word used in tables.
    pub fn label(self) -> &'static str {
        match self {
            Impact::High => "high",
            Impact::Medium => "medium",
            Impact::Low => "low",
        }
    }
}

/// A kanban column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Nobody is on it yet.
    Backlog,
    /// Someone owns it and it is below target.
    InProgress,
    /// Tests written, waiting for review (only ever set by hand).
    Review,
    /// At its target.
    Done,
}

impl Status {
    /// Every column, in board order.
    pub const ALL: [Status; 4] = [
        Status::Backlog,
        Status::InProgress,
        Status::Review,
        Status::Done,
    ];

    /// The column title.
    pub fn label(self) -> &'static str {
        match self {
            Status::Backlog => "Backlog",
            Status::InProgress => "In progress",
            Status::Review => "Review",
            Status::Done => "Done",
        }
    }
}

/// Estimated hours: one number, or a range. Ranges are costed at their midpoint.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Effort {
    /// Least hours.
    pub min: f64,
    /// Most hours (equal to `min` for a single estimate).
    pub max: f64,
}

impl Effort {
    /// The estimate used for costs: the middle of the range.
    pub fn midpoint(&self) -> f64 {
        (self.min + self.max) / 2.0
    }

    /// As written in plans and tables: `3` or `4-6`.
    pub fn label(&self) -> String {
        if self.min == self.max {
            fmt_num(self.min)
        } else {
            format!("{}-{}", fmt_num(self.min), fmt_num(self.max))
        }
    }
}

/// `1 statement`, `2 statements`, `1 branch`, `3 branches`.
pub(crate) fn count(n: u64, word: &str) -> String {
    match (n, word.ends_with("ch")) {
        (1, _) => format!("1 {word}"),
        (_, true) => format!("{n} {word}es"),
        (_, false) => format!("{n} {word}s"),
    }
}

/// A number without a needless `.0`: `4`, `2.5`.
pub(crate) fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

impl Serialize for Effort {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.min == self.max {
            s.serialize_f64(self.min)
        } else {
            s.serialize_str(&self.label())
        }
    }
}

impl<'de> Deserialize<'de> for Effort {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Effort;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("hours as a number, or a range like \"4-6\"")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Effort, E> {
                self.visit_f64(v as f64)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Effort, E> {
                self.visit_f64(v as f64)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Effort, E> {
                Ok(Effort { min: v, max: v })
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Effort, E> {
                parse_effort(s).ok_or_else(|| {
                    E::custom(format!(
                        "effort {s:?} is not hours like 3 or a range like \"4-6\""
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// Reads `3`, `2.5h`, `4-6`, `4–6h`, `4 - 6 hours`. Ordering is checked by validation,
/// so that a reversed range gets a message saying so rather than "not a range".
fn parse_effort(s: &str) -> Option<Effort> {
    let s = s.trim();
    let s = ["hours", "hour", "hrs", "hr", "h"]
        .iter()
        .find_map(|u| s.strip_suffix(u))
        .unwrap_or(s)
        .trim();
    let num = |t: &str| -> Option<f64> {
        let t = t.trim().trim_end_matches('h').trim();
        t.parse::<f64>().ok().filter(|v| v.is_finite())
    };
    // A leading '-' would be a negative number, not a range separator.
    match s
        .char_indices()
        .skip(1)
        .find(|(_, c)| matches!(c, '-' | '–' | '—'))
    {
        Some((i, c)) => {
            let (a, b) = (&s[..i], &s[i + c.len_utf8()..]);
            Some(Effort {
                min: num(a)?,
                max: num(b)?,
            })
        }
        None => num(s).map(|v| Effort { min: v, max: v }),
    }
}

/// A step of the plan: an overall target, the modules it works on, and how to know it
/// is finished.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    /// Title, e.g. "Phase 2: raise to 60%".
    pub name: String,
    /// Overall target at the end of this phase. Unless `exit.overall_at_least` says
    /// otherwise, the phase exits when the total meets it.
    pub target: f64,
    /// The figure this phase's overall target is judged on; by default the plan's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metric: Option<Metric>,
    /// Where progress is measured from; defaults to the previous phase's target (or the
    /// plan's baseline for the first phase).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// Names of the modules this phase works on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modules: Vec<String>,
    /// Exit criteria beyond the overall target.
    #[serde(default, skip_serializing_if = "ExitCriteria::is_empty")]
    pub exit: ExitCriteria,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

/// What must hold for a phase to be finished. Every key is optional; the overall
/// criterion is always there (this key, or the phase target).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExitCriteria {
    /// The total must meet this (coverage.py's rule at the plan's precision).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub overall_at_least: Option<f64>,
    /// Named modules must reach these percentages (each on its own metric).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "ordered_map::serialize",
        deserialize_with = "ordered_map::deserialize"
    )]
    pub modules_at_least: Vec<(String, f64)>,
    /// Every module of this phase must reach its own target.
    #[serde(default, skip_serializing_if = "is_false")]
    pub modules_at_target: bool,
    /// No module may be below the plan's floor.
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_module_below_floor: bool,
    /// No file may be below the plan's floor: every file that belongs to one of the
    /// plan's modules, or every file of the report when the plan has no modules.
    #[serde(default, skip_serializing_if = "is_false")]
    pub no_file_below_floor: bool,
    /// The whole report may have at most this many missing statements.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_missing_statements: Option<u64>,
    /// `fail_under` has been raised to this: the configured value is at least this
    /// much, and the total passes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_under: Option<f64>,
}

impl ExitCriteria {
    /// True when no key is set.
    pub fn is_empty(&self) -> bool {
        *self == ExitCriteria::default()
    }
}

/// A JSON object read into a Vec of pairs, so that the order the author wrote is the
/// order criteria are listed in.
mod ordered_map {
    use super::*;
    use serde::ser::SerializeMap;

    pub fn serialize<S: Serializer>(v: &[(String, f64)], s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(v.len()))?;
        for (k, x) in v {
            m.serialize_entry(k, x)?;
        }
        m.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, f64)>, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Vec<(String, f64)>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of module name → percentage")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
                let mut out: Vec<(String, f64)> = Vec::new();
                while let Some(k) = m.next_key::<String>()? {
                    if out.iter().any(|(x, _)| *x == k) {
                        return Err(de::Error::custom(format!("module {k:?} is listed twice")));
                    }
                    let v = m.next_value::<f64>()?;
                    out.push((k, v));
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn effort_forms() {
        let cases: &[(&str, Option<(f64, f64)>)] = &[
            ("3", Some((3.0, 3.0))),
            ("2.5h", Some((2.5, 2.5))),
            ("4-6", Some((4.0, 6.0))),
            ("4-6h", Some((4.0, 6.0))),
            ("4h-6h", Some((4.0, 6.0))),
            ("4–6", Some((4.0, 6.0))),
            (" 1 - 2 hours", Some((1.0, 2.0))),
            ("6-4", Some((6.0, 4.0))), // read; validation rejects it with a clear message
            ("-3", Some((-3.0, -3.0))),
            ("a lot", None),
            ("4-", None),
            ("", None),
            ("nan", None),
        ];
        for (s, want) in cases {
            assert_eq!(
                parse_effort(s).map(|e| (e.min, e.max)),
                *want,
                "parse_effort({s:?})"
            );
        }
    }

    #[test]
    fn effort_round_trips() {
        for (json, mid) in [("3", 3.0), ("\"4-6\"", 5.0), ("\"1.5-2\"", 1.75)] {
            let e: Effort = serde_json::from_str(json).expect("effort");
            assert_eq!(e.midpoint(), mid);
            let back = serde_json::to_string(&e).expect("json");
            let again: Effort = serde_json::from_str(&back).expect("effort");
            assert_eq!(again, e);
        }
        assert_eq!(
            serde_json::to_string(&Effort { min: 3.0, max: 3.0 }).expect("json"),
            "3.0"
        );
    }
}
