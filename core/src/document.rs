//! One entry point for anything a user drops: a coverage report, or a covgap plan file.
//!
//! Reports are tried first (they are the common case and the reader names other tools'
//! formats); a JSON object that is not a report is tried as a plan, and when it looks
//! like one (it has a `version`), the plan reader's message is the one the user sees.

use crate::error::ErrorKind;
use crate::formats::{parse, ParseOptions};
use crate::model::Report;
use crate::plan::{parse_plan, Plan, PlanErrorKind};

/// What a file turned out to be.
#[derive(Clone, Debug, PartialEq)]
pub enum Document {
    /// A coverage report.
    Report(Box<Report>),
    /// A covgap plan.
    Plan(Plan),
}

/// Reads `bytes` as a report or a plan; the error is the reason, without the file name.
pub fn read(name: &str, bytes: &[u8], opts: ParseOptions) -> Result<Document, String> {
    let report_error = match parse(name, bytes, opts) {
        Ok(r) => return Ok(Document::Report(Box::new(r))),
        Err(e) => e,
    };
    if !matches!(report_error.kind, ErrorKind::NotAReport(_)) {
        return Err(report_error.reason());
    }
    let text = String::from_utf8_lossy(bytes);
    match parse_plan(name, &text) {
        Ok(p) => Ok(Document::Plan(p)),
        Err(pe) if pe.kind == PlanErrorKind::MissingKey("version".into()) => {
            if looks_like_plan(&text) {
                Err("this looks like a covgap plan but has no \"version\": add \"version\": 1 at the top".into())
            } else {
                Err(report_error.reason())
            }
        }
        Err(pe) => Err(format!(
            "not a coverage report, and as a covgap plan: {}",
            pe.reason()
        )),
    }
}

/// Keys only a covgap plan has at its top level.
const PLAN_KEYS: &[&str] = &[
    "modules",
    "phases",
    "target",
    "floor",
    "configured_fail_under",
];

/// Whether a JSON object without `version` has a plan's keys (and none of a report's).
fn looks_like_plan(text: &str) -> bool {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(m)) => {
            m.keys().any(|k| PLAN_KEYS.contains(&k.as_str()))
                && !m.contains_key("meta")
                && !m.contains_key("files")
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_reports_plans_and_neither() {
        let plan = br#"{"version": 1, "target": 80}"#;
        assert!(matches!(
            read("p.json", plan, ParseOptions::default()),
            Ok(Document::Plan(_))
        ));
        let typo = br#"{"version": 1, "target": 80, "phasse": []}"#;
        let e = read("p.json", typo, ParseOptions::default()).expect_err("typo");
        assert!(
            e.starts_with("not a coverage report, and as a covgap plan: unknown key \"phasse\""),
            "{e}"
        );
        let other = br#"{"hello": 1}"#;
        let e = read("x.json", other, ParseOptions::default()).expect_err("neither");
        assert!(e.contains("none of coverage.py's keys"), "{e}");
        let report = br#"{"meta": {"format": 3}, "files": {}}"#;
        assert!(matches!(
            read("r.json", report, ParseOptions::default()),
            Ok(Document::Report(_))
        ));
    }

    #[test]
    fn names_the_real_cause() {
        let nover = br#"{"target": 80, "modules": [{"name": "a", "path": "src/a.py"}]}"#;
        let e = read("p.json", nover, ParseOptions::default()).expect_err("no version");
        assert_eq!(
            e,
            "this looks like a covgap plan but has no \"version\": add \"version\": 1 at the top"
        );
        let nan = br#"{"meta": {"format": 3}, "files": {}, "totals": {"percent_covered": NaN}}"#;
        let e = read("r.json", nan, ParseOptions::default()).expect_err("NaN");
        assert!(e.starts_with("NaN is not valid JSON; "), "{e}");
        assert!(e.contains("[line 1, column"), "{e}");
        let inf = b"{\"meta\": {\"format\": 3},\n \"totals\": {\"x\": -Infinity}}";
        let e = read("r.json", inf, ParseOptions::default()).expect_err("inf");
        assert!(e.starts_with("-Infinity is not valid JSON; "), "{e}");
        let mut u16 = vec![0xFF, 0xFE];
        for c in r#"{"version": 1}"#.encode_utf16() {
            u16.extend(c.to_le_bytes());
        }
        let e = read("p.json", &u16, ParseOptions::default()).expect_err("utf-16");
        assert!(e.contains("save it as UTF-8"), "{e}");
    }
}
