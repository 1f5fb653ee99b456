//! GitHub Actions: the job summary (`GITHUB_STEP_SUMMARY`) and annotations (workflow
//! commands, `--annotate`).
//!
//! Workflow commands are read by the runner from a step's standard output, one per line,
//! so annotations go to stdout after the command's normal output. That output carries
//! names from the report and the plan, which a pull request controls: with `--annotate`
//! it is fenced by `::stop-commands::TOKEN` … `::TOKEN::` (a token nobody can guess), so
//! a file named `::error::…` or `##[error]…` prints as text and never runs as a command.

use std::collections::hash_map::RandomState;
use std::fmt::Write as _;
use std::hash::{BuildHasher, Hasher};
use std::io::Write;

/// The environment variable GitHub Actions sets to the step's summary file.
pub const STEP_SUMMARY: &str = "GITHUB_STEP_SUMMARY";

/// How an annotation is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Fails nothing by itself, but shows red.
    Error,
    /// Shows yellow.
    Warning,
}

/// One workflow command: `::error file=PATH,title=TITLE::MESSAGE`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Annotation {
    /// Error or warning.
    pub level: Level,
    /// A repository-relative path, when it is about a file.
    pub file: Option<String>,
    /// A short title.
    pub title: String,
    /// The message.
    pub message: String,
}

impl Annotation {
    /// The workflow command, escaped as GitHub's toolkit escapes it, without a newline.
    pub fn command(&self) -> String {
        let mut s = match self.level {
            Level::Error => "::error ".to_string(),
            Level::Warning => "::warning ".to_string(),
        };
        if let Some(f) = &self.file {
            let _ = write!(s, "file={},", escape_property(f));
        }
        let _ = write!(
            s,
            "title={}::{}",
            escape_property(&self.title),
            escape_data(&self.message)
        );
        s
    }
}

/// A command's message: `%`, CR and LF as `%25`, `%0D`, `%0A`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value: as [`escape_data`], and `:` and `,` as `%3A` and `%2C`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// 32 hex digits from the standard library's randomly seeded hasher.
fn token() -> String {
    let mut out = String::new();
    for i in 0..2u64 {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(i);
        h.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        h.write_u32(std::process::id());
        let _ = write!(out, "{:016x}", h.finish());
    }
    out
}

/// `out` fenced so the runner reads none of it as a command, then the annotations.
pub fn with_annotations(out: &str, annotations: &[Annotation]) -> String {
    let t = format!("covgap-{}", token());
    let mut s = format!("::stop-commands::{t}\n{out}");
    if !s.ends_with('\n') {
        s.push('\n');
    }
    let _ = writeln!(s, "::{t}::");
    for a in annotations {
        s.push_str(&a.command());
        s.push('\n');
    }
    s
}

/// Appends `markdown` to the job summary when `GITHUB_STEP_SUMMARY` names a file. A
/// failure is a warning on stderr: the gate's verdict must not depend on the summary.
pub fn append_step_summary(markdown: &str) {
    let Some(path) = std::env::var_os(STEP_SUMMARY).filter(|p| !p.is_empty()) else {
        return;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| {
            let mut text = markdown.to_string();
            while !text.ends_with("\n\n") {
                text.push('\n');
            }
            f.write_all(text.as_bytes())
        });
    if let Err(e) = written {
        eprintln!(
            "covgap: warning: {STEP_SUMMARY} ({}): cannot append the summary: {e}",
            std::path::Path::new(&path).display()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_as_the_toolkit_does() {
        assert_eq!(escape_data("50%\r\nnext: a, b"), "50%25%0D%0Anext: a, b");
        assert_eq!(escape_property("a: b, c%\n"), "a%3A b%2C c%25%0A");
        let a = Annotation {
            level: Level::Error,
            file: Some("src/a,b:c.py".into()),
            title: "covgap: below".into(),
            message: "line one\nline two 100%".into(),
        };
        assert_eq!(
            a.command(),
            "::error file=src/a%2Cb%3Ac.py,title=covgap%3A below::line one%0Aline two 100%25"
        );
    }

    #[test]
    fn the_output_is_fenced_by_a_fresh_token() {
        let s = with_annotations("::error::not a command\n", &[]);
        let lines: Vec<&str> = s.lines().collect();
        let t = lines[0].strip_prefix("::stop-commands::").expect("fence");
        assert!(t.len() > 30);
        assert_eq!(lines[1], "::error::not a command");
        assert_eq!(lines[2], format!("::{t}::"));
        assert_ne!(
            lines[0],
            with_annotations("", &[]).lines().next().unwrap_or("")
        );
    }
}
