//! Errors are values: every failure names the file, says what is wrong in words a user
//! understands, and points at the line and column (and the JSON path) when it can.

use std::fmt;

/// Why a report could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ErrorKind {
    /// Zero bytes, or only whitespace.
    #[error("the file is empty")]
    Empty,
    /// Not well-formed in its own syntax (JSON, XML, LCOV, …): the message says which.
    #[error("{0}")]
    Syntax(String),
    /// Valid up to where it stops: the file was cut short.
    #[error("the file ends too early ({0}); was it truncated while copying?")]
    Truncated(String),
    /// A file of a kind covgap does not read.
    #[error("this looks like {what}, which covgap does not read; it reads {READS}")]
    WrongFormat {
        /// What it looks like, e.g. "an Istanbul/nyc coverage-final.json".
        what: String,
    },
    /// Not a coverage report at all (or not one covgap can recognise).
    #[error("not a coverage report covgap can read: {0}")]
    NotAReport(String),
    /// coverage.py JSON of a format version covgap does not know.
    #[error("unsupported coverage.py JSON format {0} (covgap reads formats 1, 2 and 3)")]
    UnsupportedVersion(String),
    /// Right shape, wrong values: a type, a range, an impossible number.
    #[error("{0}")]
    Invalid(String),
    /// Larger than covgap is willing to read.
    #[error("the file is too large ({0} bytes; the limit is {1} bytes)")]
    TooLarge(usize, usize),
}

/// Every format covgap reads, for messages.
pub const READS: &str = "coverage.py JSON, Istanbul JSON (nyc, c8, Jest, Vitest), llvm-cov export \
    JSON, LCOV tracefiles, Cobertura XML, JaCoCo XML and Go coverprofiles";

/// A report that could not be read: which file, what is wrong, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The file name as the user gave it.
    pub file: String,
    /// The format the file was read as, when covgap recognised it (`LCOV tracefile`).
    pub format: Option<&'static str>,
    /// What is wrong.
    pub kind: ErrorKind,
    /// Where in the data, as a path like `files → "src/a.py" → summary → covered_lines`.
    pub path: Option<String>,
    /// 1-based line of the problem, when known.
    pub line: Option<usize>,
    /// 1-based column of the problem, when known.
    pub column: Option<usize>,
}

impl ParseError {
    /// An error with no position.
    pub fn new(file: &str, kind: ErrorKind) -> Self {
        ParseError {
            file: file.to_string(),
            format: None,
            kind,
            path: None,
            line: None,
            column: None,
        }
    }

    /// This error, saying which format the file was read as.
    pub fn in_format(mut self, format: &'static str) -> Self {
        self.format = Some(format);
        self
    }

    /// This error at a 1-based line.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// The message without the file name, for places that show the name already: the
    /// format it was read as, what is wrong, and where.
    pub fn reason(&self) -> String {
        let what = located(&self.kind, self.path.as_deref(), self.line, self.column);
        match self.format {
            Some(f) => format!("read as {f}: {what}"),
            None => what,
        }
    }
}

/// A message with where it happened: " (at PATH) [line L, column C]" as far as known.
/// Shared by every reader's errors so they all read alike.
pub(crate) fn located(
    what: &dyn fmt::Display,
    path: Option<&str>,
    line: Option<usize>,
    column: Option<usize>,
) -> String {
    let mut s = what.to_string();
    if let Some(p) = path {
        s.push_str(&format!(" (at {p})"));
    }
    match (line, column) {
        (Some(l), Some(c)) => s.push_str(&format!(" [line {l}, column {c}]")),
        (Some(l), None) => s.push_str(&format!(" [line {l}]")),
        _ => {}
    }
    s
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.file, self.reason())
    }
}

impl std::error::Error for ParseError {}
