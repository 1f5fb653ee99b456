//! What a file is, from its first bytes (and, for JSON, its first keys): never from its
//! name. Cheap: it looks at a bounded head of the text, so a 500 MB report costs nothing
//! here.

/// How far into the text detection looks.
const HEAD: usize = 64 * 1024;

/// What a file looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Nothing but whitespace.
    Empty,
    /// coverage.py JSON (`coverage json`); also the fallback for any JSON object, whose
    /// one-pass reader still recognises other tools by their keys.
    CoveragePyJson,
    /// Istanbul `coverage-final.json` (nyc, c8, Jest, Vitest).
    IstanbulFinal,
    /// Istanbul `coverage-summary.json`.
    IstanbulSummary,
    /// `llvm-cov export` JSON (cargo llvm-cov `--json`).
    LlvmCovJson,
    /// An LCOV tracefile.
    Lcov,
    /// Cobertura XML.
    Cobertura,
    /// JaCoCo XML.
    JaCoCo,
    /// A Go coverprofile (`go test -coverprofile`).
    GoProfile,
    /// JSON whose top level is not an object.
    JsonNotObject,
    /// Something recognisable that covgap does not read (an HTML page, Clover XML, …).
    Other(&'static str),
    /// Nothing recognisable.
    Unknown,
}

impl Kind {
    /// The format's name in messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Empty => "an empty file",
            Kind::CoveragePyJson => "coverage.py JSON",
            Kind::IstanbulFinal => "Istanbul coverage-final.json",
            Kind::IstanbulSummary => "Istanbul coverage-summary.json",
            Kind::LlvmCovJson => "llvm-cov export JSON",
            Kind::Lcov => "LCOV tracefile",
            Kind::Cobertura => "Cobertura XML",
            Kind::JaCoCo => "JaCoCo XML",
            Kind::GoProfile => "Go coverprofile",
            Kind::JsonNotObject => "JSON",
            Kind::Other(what) => what,
            Kind::Unknown => "an unknown format",
        }
    }

    /// The kind the coverage.py reader's "this looks like …" names, so the file can be
    /// read by the right reader after all.
    pub(crate) fn from_description(what: &str) -> Option<Kind> {
        if what.contains("coverage-final.json") {
            Some(Kind::IstanbulFinal)
        } else if what.contains("coverage-summary.json") {
            Some(Kind::IstanbulSummary)
        } else if what.contains("llvm-cov export JSON") {
            Some(Kind::LlvmCovJson)
        } else {
            None
        }
    }
}

/// What `text` looks like.
pub fn detect(text: &str) -> Kind {
    let start = text.trim_start();
    let head = head(start, HEAD);
    let Some(first) = head.chars().next() else {
        return Kind::Empty;
    };
    match first {
        '{' => json_kind(head, text),
        '[' | 'n' | 't' | 'f' | '"' | '-' | '0'..='9' => Kind::JsonNotObject,
        '<' => xml_kind(head),
        _ if head.starts_with("mode:") => Kind::GoProfile,
        _ if looks_like_lcov(head) => Kind::Lcov,
        _ => Kind::Unknown,
    }
}

/// At most `n` bytes of `s`, cut at a character boundary.
fn head(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or(s)
}

fn json_kind(head: &str, text: &str) -> Kind {
    if head.contains("\"statementMap\"") {
        return Kind::IstanbulFinal;
    }
    // llvm-cov writes {"data":[…],"type":"llvm.coverage.json.export","version":…}: the
    // type comes last, so look at the tail too.
    let tail_start = text.len().saturating_sub(4096);
    let mut t = tail_start;
    while !text.is_char_boundary(t) {
        t += 1;
    }
    let tail = text.get(t..).unwrap_or("");
    if head.contains("llvm.coverage.json.export") || tail.contains("llvm.coverage.json.export") {
        return Kind::LlvmCovJson;
    }
    let compact: String = head
        .chars()
        .take(256)
        .filter(|c| !c.is_whitespace())
        .collect();
    // A cut-short llvm-cov export has lost the type at its end; its start still says what
    // it is: `{"data":[{"files":[{` and file objects with a "filename".
    if compact.starts_with("{\"data\":[{\"files\":[{") && head.contains("\"filename\"") {
        return Kind::LlvmCovJson;
    }
    if compact.starts_with("{\"total\":{")
        && [
            "\"lines\"",
            "\"statements\"",
            "\"functions\"",
            "\"branches\"",
        ]
        .iter()
        .any(|k| head.contains(k))
    {
        return Kind::IstanbulSummary;
    }
    Kind::CoveragePyJson
}

/// The root element's name, after the XML declaration, comments, processing
/// instructions and a DOCTYPE (which is never fetched or expanded).
fn root_element(head: &str) -> Option<&str> {
    let mut rest = head;
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix("<?") {
            rest = r.split_once("?>")?.1;
        } else if let Some(r) = rest.strip_prefix("<!--") {
            rest = r.split_once("-->")?.1;
        } else if let Some(r) = rest.strip_prefix("<!") {
            // A DOCTYPE, possibly with an internal subset in brackets.
            let close = match (r.find('['), r.find('>')) {
                (Some(b), Some(g)) if b < g => r.find("]>").map(|i| i + 2)?,
                (_, Some(g)) => g + 1,
                _ => return None,
            };
            rest = r.get(close..)?;
        } else if let Some(r) = rest.strip_prefix('<') {
            let end = r
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(r.len());
            return r.get(..end);
        } else {
            return None;
        }
    }
}

fn xml_kind(head: &str) -> Kind {
    match root_element(head) {
        Some("coverage") if head.contains("clover=") || head.contains("<project") => {
            Kind::Other("a Clover XML report (ask your tool for Cobertura or LCOV instead)")
        }
        Some("coverage") => Kind::Cobertura,
        Some("report") => Kind::JaCoCo,
        Some(e) if e.eq_ignore_ascii_case("html") => Kind::Other("an HTML page"),
        Some(_) => Kind::Other("an XML document that is neither Cobertura nor JaCoCo"),
        None if head.contains("<!DOCTYPE html") || head.contains("<html") => {
            Kind::Other("an HTML page")
        }
        None => Kind::Cobertura,
    }
}

fn looks_like_lcov(head: &str) -> bool {
    head.lines().take(20).any(|l| {
        let l = l.trim_start();
        l.starts_with("TN:") || l.starts_with("SF:")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(detect(""), Kind::Empty);
        assert_eq!(detect("  \n"), Kind::Empty);
        assert_eq!(detect("{\"meta\": {}}"), Kind::CoveragePyJson);
        assert_eq!(
            detect("{\"/a.js\": {\"path\": \"/a.js\", \"statementMap\": {}}}"),
            Kind::IstanbulFinal
        );
        assert_eq!(
            detect("{\"total\": {\"lines\": {\"total\": 1}}}"),
            Kind::IstanbulSummary
        );
        assert_eq!(
            detect("{\"data\":[],\"type\":\"llvm.coverage.json.export\",\"version\":\"2.0.1\"}"),
            Kind::LlvmCovJson
        );
        assert_eq!(
            detect("{\"data\":[{\"files\":[{\"branches\":[],\"filename\":\"/a.c\",\"segm"),
            Kind::LlvmCovJson
        );
        assert_eq!(detect("TN:\nSF:/a.c\nDA:1,1\nend_of_record\n"), Kind::Lcov);
        assert_eq!(detect("mode: set\na.go:1.1,2.2 1 1\n"), Kind::GoProfile);
        assert_eq!(
            detect("<?xml version=\"1.0\" ?>\n<!DOCTYPE coverage SYSTEM 'x.dtd'>\n<coverage line-rate=\"1\">"),
            Kind::Cobertura
        );
        assert_eq!(
            detect("<?xml version=\"1.0\"?><!DOCTYPE report PUBLIC \"-//JACOCO//DTD Report 1.1//EN\" \"report.dtd\"><report name=\"x\">"),
            Kind::JaCoCo
        );
        assert_eq!(
            detect("<!DOCTYPE lolz [<!ENTITY lol \"lol\">]><coverage>"),
            Kind::Cobertura
        );
        assert!(matches!(detect("<!DOCTYPE html><html>"), Kind::Other(_)));
        assert_eq!(detect("[1]"), Kind::JsonNotObject);
        assert_eq!(detect("hello"), Kind::Unknown);
    }
}
