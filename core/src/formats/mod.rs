//! Readers, one module per input format, behind one entry point: [`parse`].
//!
//! [`parse`] looks at the bytes (not the file name, which users get wrong) to decide what
//! they are, and either reads them into a [`Report`] or says plainly what they are instead.

pub mod coveragepy;

use crate::error::{ErrorKind, ParseError};
use crate::model::Report;

/// The largest input covgap reads: far above any real report (the largest real one seen
/// is a few hundred MB with contexts), low enough to refuse a runaway file quickly.
pub const MAX_INPUT_BYTES: usize = 1 << 30;

/// What to read beyond the summary numbers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Read coverage.py's function and class regions (about 90% of a 7.6+ report's bytes).
    pub regions: bool,
}

/// Reads a coverage report from `bytes`; `name` is the file name used in messages.
///
/// Never panics: every problem comes back as a [`ParseError`] naming the file.
pub fn parse(name: &str, bytes: &[u8], opts: ParseOptions) -> Result<Report, ParseError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ParseError::new(
            name,
            ErrorKind::TooLarge(bytes.len(), MAX_INPUT_BYTES),
        ));
    }
    let mut warnings = Vec::new();
    let bytes = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => {
            warnings.push("a UTF-8 byte-order mark at the start was ignored".to_string());
            rest
        }
        None => bytes,
    };
    let text: std::borrow::Cow<str> = match std::str::from_utf8(bytes) {
        Ok(t) => t.into(),
        Err(e) => {
            warnings.push(format!(
                "the file is not valid UTF-8 (first bad byte at offset {}); bad bytes are \
                 shown as \u{FFFD}",
                e.valid_up_to()
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    let start = text.trim_start();
    let Some(first) = start.chars().next() else {
        return Err(ParseError::new(name, ErrorKind::Empty));
    };
    match first {
        '{' => coveragepy::parse_json(name, &text, opts.regions, warnings),
        '[' | 'n' | 't' | 'f' | '"' | '-' | '0'..='9' => Err(not_an_object(name, &text)),
        '<' => Err(ParseError::new(
            name,
            ErrorKind::WrongFormat {
                what: xml_kind(start),
            },
        )),
        _ if looks_like_lcov(start) => Err(ParseError::new(
            name,
            ErrorKind::WrongFormat {
                what: "an LCOV tracefile".into(),
            },
        )),
        _ if start.starts_with("mode: ") => Err(ParseError::new(
            name,
            ErrorKind::WrongFormat {
                what: "a Go coverprofile".into(),
            },
        )),
        _ => {
            let head: String = start.chars().take(24).collect();
            Err(ParseError::new(
                name,
                ErrorKind::Syntax(format!(
                    "it starts with {head:?}, and a coverage.py JSON report starts with '{{'"
                )),
            ))
        }
    }
}

/// JSON whose top level is not an object: say what it is (or where it breaks).
fn not_an_object(name: &str, text: &str) -> ParseError {
    let v: serde_json::Result<serde::de::IgnoredAny> = serde_json::from_str(text);
    if let Err(e) = v {
        return coveragepy::json_error::<serde::de::IgnoredAny>(name, text, e);
    }
    let what = match text.trim_start().chars().next() {
        Some('[') => "an array",
        Some('n') => "null",
        Some('t' | 'f') => "a boolean",
        Some('"') => "a string",
        _ => "a number",
    };
    ParseError::new(
        name,
        ErrorKind::NotAReport(format!(
            "the top level is {what}; a coverage.py report is an object with meta, files and totals"
        )),
    )
}

fn xml_kind(start: &str) -> String {
    let head: String = start.chars().take(4096).collect();
    if head.contains("<coverage") {
        "a Cobertura XML report (coverage xml)".into()
    } else if head.contains("<report") {
        "a JaCoCo XML report".into()
    } else if head.contains("<html")
        || head.contains("<!DOCTYPE html")
        || head.contains("<!doctype html")
    {
        "an HTML page".into()
    } else {
        "an XML document".into()
    }
}

fn looks_like_lcov(start: &str) -> bool {
    start.lines().take(5).any(|l| {
        let l = l.trim_start();
        l.starts_with("TN:") || l.starts_with("SF:")
    })
}
