//! Every Go coverprofile among the fixtures, read through `covgap_core::parse` (detection
//! included) and compared with Go's own output: the `total:` line of `go tool cover -func`,
//! `go test`'s `coverage: X% of statements`, and each function's line of `-func`, which
//! says whether its first line ran.

use covgap_core::{parse, Metric, ParseOptions, Report, Tally, Tool};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn load(dir: &str) -> Report {
    let rel = format!("{dir}/coverage.out");
    let bytes = std::fs::read(fixtures().join(&rel)).expect("read");
    let r = parse(&rel, &bytes, ParseOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.source.format, "go-coverprofile");
    assert_eq!(r.source.tool, Tool::Go);
    assert_eq!(r.metrics, [Metric::Statements]);
    r
}

fn read(dir: &str, name: &str) -> String {
    std::fs::read_to_string(fixtures().join(dir).join(name)).expect(name)
}

/// `github.com/gorilla/mux/mux.go:220:\t\tGetRoute\t\t0.0%` → (file, line, percent).
fn func_lines(text: &str) -> Vec<(String, u32, String)> {
    text.lines()
        .filter(|l| !l.starts_with("total:"))
        .filter_map(|l| {
            let mut cols = l.split('\t').filter(|c| !c.is_empty());
            let loc = cols.next()?;
            let pct = cols.next_back()?.trim_end_matches('%').to_string();
            let (file, line) = loc.trim_end_matches(':').rsplit_once(':')?;
            Some((file.to_string(), line.parse().ok()?, pct))
        })
        .collect()
}

/// (folder, covered, total statements, files, the `-func` total as printed)
const PROFILES: &[(&str, u64, u64, usize, &str)] = &[
    ("gorilla-mux-1.8.0/go-1.19.8-count", 506, 576, 5, "87.8"),
    ("gorilla-mux-1.8.0/go-1.19.8-set", 506, 576, 5, "87.8"),
    ("go-humanize-1.0.0/go-1.19.8-count", 321, 321, 11, "100.0"),
];

#[test]
fn totals_equal_go_tool_cover_func() {
    for &(dir, covered, total, files, shown) in PROFILES {
        let r = load(dir);
        let t = r.totals();
        assert_eq!(t.statements, Tally::new(covered, total), "{dir}");
        assert_eq!(r.files.len(), files, "{dir}");
        assert!(r.warnings.is_empty(), "{dir}: {:?}", r.warnings);
        // Import paths, kept as written.
        assert_eq!(r.root, None);
        assert!(r.files.iter().all(|f| f.path.starts_with("github.com/")));
        let show = r.rules().show(&t, Metric::Statements, 0);
        assert_eq!(show, shown, "{dir}");
        // -func's last line and every package line of go test.
        let func = read(dir, "cover-func.txt");
        let last = func.lines().last().expect("total line");
        assert!(last.starts_with("total:"), "{last}");
        assert!(last.ends_with(&format!("\t{show}%")), "{dir}: {last}");
        let test = read(dir, "go-test-output.txt");
        let pkgs: Vec<&str> = test.lines().filter(|l| l.starts_with("ok")).collect();
        assert!(!pkgs.is_empty());
        for l in pkgs {
            assert!(
                l.ends_with(&format!("coverage: {show}% of statements")),
                "{l}"
            );
        }
        // Go has no gate; covgap compares the percentage itself.
        let pct = r.rules().percent(&t, Metric::Statements);
        assert!(r.rules().passes(pct, 87.8, 0));
        assert_eq!(r.rules().passes(pct, 87.9, 0), covered == total);
    }
}

/// Each function of `-func`: a file whose functions are all at 100.0% is fully covered,
/// one with any function below is not; a function's first line ran unless it is at 0.0%.
/// (Every block of these profiles lies inside a function declaration, checked against the
/// sources at gorilla/mux v1.8.0 and go-humanize v1.0.0, so covgap's totals over all blocks
/// are -func's totals over functions.)
#[test]
fn functions_of_go_tool_cover_func_agree_with_the_lines() {
    for &(dir, ..) in PROFILES {
        let r = load(dir);
        let funcs = func_lines(&read(dir, "cover-func.txt"));
        assert!(funcs.len() > 10, "{dir}");
        for f in &r.files {
            let mine: Vec<&(String, u32, String)> =
                funcs.iter().filter(|(p, ..)| *p == f.path).collect();
            assert!(!mine.is_empty(), "{dir} {}", f.path);
            let complete = mine.iter().all(|(.., pct)| pct == "100.0");
            assert_eq!(
                f.counts.statements.covered == f.counts.statements.total,
                complete,
                "{dir} {}",
                f.path
            );
            assert_eq!(f.missing_lines.is_empty(), complete, "{dir} {}", f.path);
            // The function's first measured line (its body opens on the line of `func`,
            // or on the last line of a signature that spans several).
            for (_, line, pct) in mine {
                let first = f
                    .executed_lines
                    .iter()
                    .chain(&f.missing_lines)
                    .filter(|&l| l >= line)
                    .min()
                    .expect("a measured line");
                let ran = f.executed_lines.binary_search(first).is_ok();
                assert_eq!(ran, pct != "0.0", "{dir} {}:{line} at {pct}%", f.path);
            }
        }
    }
}

#[test]
fn line_data() {
    let count = load("gorilla-mux-1.8.0/go-1.19.8-count");
    let set = load("gorilla-mux-1.8.0/go-1.19.8-set");
    // The same tests in both modes: the same lines ran; only count mode has hits.
    assert_eq!(count.files.len(), set.files.len());
    for c in &count.files {
        let s = set
            .files
            .iter()
            .find(|s| s.path == c.path)
            .expect("same file");
        assert_eq!(c.executed_lines, s.executed_lines, "{}", c.path);
        assert_eq!(c.missing_lines, s.missing_lines, "{}", c.path);
        assert_eq!(c.line_hits.len(), c.executed_lines.len());
        assert!(s.line_hits.is_empty());
    }
    // middleware.go:19.72,21.2 1 12: Middleware's body ran 12 times.
    let m = count
        .files
        .iter()
        .find(|f| f.path == "github.com/gorilla/mux/middleware.go")
        .expect("middleware.go");
    assert_eq!(m.hits(20, true), Some(12));
    // mux.go:220 GetRoute is at 0.0%: its body is missing.
    let mux = count
        .files
        .iter()
        .find(|f| f.path == "github.com/gorilla/mux/mux.go")
        .expect("mux.go");
    assert_eq!(mux.hits(221, true), Some(0));
    assert!(mux.missing_lines.contains(&221));
    // Count mode carries hit counts; set mode only covered or not.
    assert!(count.source.hit_counts && !set.source.hit_counts);
}
