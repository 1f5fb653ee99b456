//! Readers, one module per input format, behind one entry point: [`parse`].
//!
//! [`parse`] looks at the bytes (never the file name, which users get wrong) to decide
//! what they are ([`fn@detect`]), hands them to that format's reader, and makes absolute
//! paths relative to the report's common root ([`paths`]). Every reader returns a
//! [`Report`] in the neutral model or a [`ParseError`] naming the file and the format;
//! none panics.

pub mod cobertura;
pub mod coveragepy;
pub mod detect;
pub mod go;
pub mod istanbul;
pub mod jacoco;
pub mod lcov;
pub mod llvm;
pub mod paths;

use crate::error::{ErrorKind, ParseError};
use crate::model::Report;
pub use detect::{detect, Kind};

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
    if is_utf16(bytes) {
        return Err(ParseError::new(
            name,
            ErrorKind::Syntax(
                "the file is UTF-16 text; coverage tools write UTF-8: save it as UTF-8 (for \
                 example with `iconv -f UTF-16 -t UTF-8`) and load it again"
                    .into(),
            ),
        ));
    }
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
    let kind = detect(&text);
    let mut report = read(name, &text, kind, opts, warnings)?;
    finish(&mut report);
    Ok(report)
}

/// What every reader's report gets: paths made relative to their common root, and no
/// figure above 100% whatever the file claims.
fn finish(report: &mut Report) {
    paths::relativize(report);
    let mut capped = Vec::new();
    for f in &mut report.files {
        let mut over = false;
        for m in crate::model::Metric::ALL {
            if let Some(t) = f.counts.get_mut(m) {
                if t.covered > t.total {
                    t.covered = t.total;
                    over = true;
                }
            }
        }
        if over {
            capped.push(f.path.clone());
        }
    }
    if !capped.is_empty() {
        let more = capped.len().saturating_sub(3);
        let mut list: Vec<String> = capped.iter().take(3).map(|p| format!("{p:?}")).collect();
        if more > 0 {
            list.push(format!("and {more} more"));
        }
        report.warnings.push(format!(
            "{} file{} claim more covered than there is to cover ({}); covgap caps them at \
             100%",
            capped.len(),
            if capped.len() == 1 { "" } else { "s" },
            list.join(", ")
        ));
    }
}

/// Reads `bytes` as `kind`, whatever they look like (for fuzzing one reader at a time,
/// and for a caller that knows better than detection). Never panics.
pub fn parse_as(
    kind: Kind,
    name: &str,
    bytes: &[u8],
    opts: ParseOptions,
) -> Result<Report, ParseError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ParseError::new(
            name,
            ErrorKind::TooLarge(bytes.len(), MAX_INPUT_BYTES),
        ));
    }
    let text = String::from_utf8_lossy(bytes);
    let mut report = read(name, &text, kind, opts, Vec::new())?;
    finish(&mut report);
    Ok(report)
}

/// Reads `text` as `kind`.
fn read(
    name: &str,
    text: &str,
    kind: Kind,
    opts: ParseOptions,
    warnings: Vec<String>,
) -> Result<Report, ParseError> {
    let fmt = kind.name();
    let tag = |r: Result<Report, ParseError>| r.map_err(|e| e.in_format(fmt));
    match kind {
        Kind::Empty => Err(ParseError::new(name, ErrorKind::Empty)),
        Kind::CoveragePyJson => {
            match coveragepy::parse_json(name, text, opts.regions, warnings.clone()) {
                // The one-pass reader recognises other tools' JSON by their keys even where
                // the first bytes did not tell: read it with the right reader.
                Err(ParseError {
                    kind: ErrorKind::WrongFormat { what },
                    ..
                }) if Kind::from_description(&what).is_some() => {
                    let k = Kind::from_description(&what).unwrap_or(Kind::CoveragePyJson);
                    read(name, text, k, opts, warnings)
                }
                r => r,
            }
        }
        Kind::IstanbulFinal => tag(istanbul::parse_final(name, text, warnings)),
        Kind::IstanbulSummary => tag(istanbul::parse_summary(name, text, warnings)),
        Kind::LlvmCovJson => tag(llvm::parse(name, text, warnings)),
        Kind::Lcov => tag(lcov::parse(name, text, warnings)),
        Kind::Cobertura => tag(cobertura::parse(name, text, warnings)),
        Kind::JaCoCo => tag(jacoco::parse(name, text, warnings)),
        Kind::GoProfile => tag(go::parse(name, text, warnings)),
        Kind::JsonNotObject => Err(not_an_object(name, text)),
        Kind::Other(what) => Err(ParseError::new(
            name,
            ErrorKind::WrongFormat { what: what.into() },
        )),
        Kind::Unknown => {
            let head: String = text.trim_start().chars().take(24).collect();
            Err(ParseError::new(
                name,
                ErrorKind::NotAReport(format!(
                    "it starts with {head:?}, which is none of the formats covgap reads ({})",
                    crate::error::READS
                )),
            ))
        }
    }
}

/// A UTF-16 byte-order mark, or the zero bytes of UTF-16 ASCII in the first bytes.
fn is_utf16(bytes: &[u8]) -> bool {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return true;
    }
    let head = bytes.get(..64).unwrap_or(bytes);
    head.len() >= 8 && head.iter().filter(|&&b| b == 0).count() * 3 >= head.len()
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
            "the top level is {what}; every JSON coverage report is an object"
        )),
    )
}
