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
            Err(report_error.reason())
        }
        Err(pe) => Err(format!(
            "not a coverage report, and as a covgap plan: {}",
            pe.reason()
        )),
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
}
