//! Absolute paths (Istanbul, llvm-cov, LCOV, some Cobertura) shown relative to the
//! report's common root, so `/build/js/qs-6.17.1/lib/parse.js` reads `lib/parse.js`, two
//! reports written on different machines compare file by file, and plan patterns are
//! written once for every format.
//!
//! The root is the deepest directory that holds every absolute path, leaving out system
//! locations (`/usr/`, `/opt/`, `/nix/store/`, `/Library/`, `C:\Program Files\`, …), which
//! stay absolute: a C report lists `/usr/include/…` headers beside the project's files.
//! [`Report::root`] keeps the root, so the original path is never lost.

use crate::model::Report;

/// Whether `p` is absolute on Unix or Windows (`/a`, `C:\a`, `C:/a`, `\\server\a`).
pub fn is_absolute(p: &str) -> bool {
    let b = p.as_bytes();
    p.starts_with('/')
        || p.starts_with("\\\\")
        || (b.len() >= 3
            && b.first().is_some_and(u8::is_ascii_alphabetic)
            && b.get(1) == Some(&b':')
            && matches!(b.get(2), Some(b'/' | b'\\')))
}

fn is_sep(c: char) -> bool {
    c == '/' || c == '\\'
}

/// Places outside any project: their files keep their absolute paths.
const SYSTEM: &[&str] = &[
    "/usr/",
    "/opt/",
    "/nix/store/",
    "/Library/",
    "/Applications/",
    "/System/",
    "/rustc/",
];

fn is_system(p: &str) -> bool {
    SYSTEM.iter().any(|s| p.starts_with(s))
        || p.get(3..)
            .is_some_and(|r| r.starts_with("Program Files") || r.starts_with("Windows"))
}

/// The longest directory prefix (ending with a separator) of both.
fn common_dir<'a>(a: &'a str, b: &str) -> &'a str {
    let mut end = 0;
    for ((i, x), y) in a.char_indices().zip(b.chars()) {
        if x != y {
            break;
        }
        if is_sep(x) {
            end = i + x.len_utf8();
        }
    }
    a.get(..end).unwrap_or("")
}

/// Makes the report's absolute paths relative to their common root (see the module
/// docs) and records the root in [`Report::root`]. Relative paths are left alone.
pub fn relativize(report: &mut Report) {
    if report.root.is_some() {
        return;
    }
    let mut project = report
        .files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| is_absolute(p) && !is_system(p));
    let Some(first) = project.next() else {
        return;
    };
    // A single file's root is its directory.
    let mut root = first
        .rfind(is_sep)
        .and_then(|i| first.get(..=i))
        .unwrap_or("");
    for p in project {
        root = common_dir(root, p);
    }
    // Never the filesystem root or a bare drive: that would relativize nothing useful.
    if root.trim_end_matches(is_sep).len() <= 2 {
        return;
    }
    let root = root.to_string();
    for f in &mut report.files {
        if let Some(rest) = f.path.strip_prefix(root.as_str()) {
            if !rest.is_empty() {
                f.path = rest.to_string();
            }
        }
    }
    report.root = Some(root);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{FileCoverage, Source};
    use crate::rules::Tool;

    fn report(paths: &[&str]) -> Report {
        Report {
            source: Source::new("test", Tool::Lcov),
            metrics: Vec::new(),
            root: None,
            files: paths
                .iter()
                .map(|p| FileCoverage {
                    path: p.to_string(),
                    ..Default::default()
                })
                .collect(),
            declared_totals: None,
            warnings: Vec::new(),
        }
    }

    fn paths(r: &Report) -> Vec<&str> {
        r.files.iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn common_root_of_absolute_paths() {
        let mut r = report(&[
            "/build/js/qs/lib/parse.js",
            "/build/js/qs/lib/utils.js",
            "/build/js/qs/index.js",
        ]);
        relativize(&mut r);
        assert_eq!(r.root.as_deref(), Some("/build/js/qs/"));
        assert_eq!(paths(&r), ["lib/parse.js", "lib/utils.js", "index.js"]);
    }

    #[test]
    fn system_headers_stay_absolute() {
        let mut r = report(&[
            "/build/argon2/src/core.c",
            "/build/argon2/src/blake2/blake2b.c",
            "/build/argon2/src/encoding.c",
            "/usr/include/x86_64-linux-gnu/bits/string_fortified.h",
        ]);
        relativize(&mut r);
        assert_eq!(r.root.as_deref(), Some("/build/argon2/src/"));
        assert_eq!(
            paths(&r),
            [
                "core.c",
                "blake2/blake2b.c",
                "encoding.c",
                "/usr/include/x86_64-linux-gnu/bits/string_fortified.h"
            ]
        );
    }

    #[test]
    fn relative_and_windows_paths() {
        let mut r = report(&["src/a.py", "src/b.py"]);
        relativize(&mut r);
        assert_eq!(r.root, None);
        let mut r = report(&["C:\\work\\app\\src\\a.ts", "C:\\work\\app\\src\\b.ts"]);
        relativize(&mut r);
        assert_eq!(r.root.as_deref(), Some("C:\\work\\app\\src\\"));
        assert_eq!(paths(&r), ["a.ts", "b.ts"]);
        // Nothing in common but "/": left as written.
        let mut r = report(&["/a/x.c", "/b/y.c"]);
        relativize(&mut r);
        assert_eq!(r.root, None);
        assert_eq!(paths(&r), ["/a/x.c", "/b/y.c"]);
    }
}
