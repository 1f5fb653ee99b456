//! The file view rendered natively (Yew SSR): every line's number, text and status against
//! the report's own lists, the figures through the report's rules, partial-branch notes,
//! hits, contexts, functions, the no-source listing, warnings, windowing, and that source
//! text is always text.

use covgap_app::components::source::{FileView, FileViewProps};
use covgap_app::sources::{window, OpenFile, SourceFolder, SourceState, Sources};
use covgap_core::model::{FileCoverage, LineBranches, Region, RegionKind};
use covgap_core::source::{annotate, annotate_in, AnnotatedFile, LineStatus};
use covgap_core::{parse, Counts, Metric, ParseOptions, Report, Tool};
use std::path::PathBuf;
use std::rc::Rc;
use yew::Callback;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn report(rel: &str) -> Report {
    let bytes = std::fs::read(root().join("tests/fixtures").join(rel)).expect("fixture");
    parse(rel, &bytes, ParseOptions { regions: true }).expect("parses")
}

fn source(rel: &str) -> String {
    std::fs::read_to_string(root().join("tests/sources").join(rel)).expect("source")
}

fn props(r: &Report, file: Rc<AnnotatedFile>, src: SourceState) -> FileViewProps {
    FileViewProps {
        file,
        source: src,
        rules: r.rules(),
        metric: r.headline(),
        metrics: r.metrics.clone(),
        precision: 0,
        selected: None,
        on_select: Callback::noop(),
        on_back: Callback::noop(),
        on_add_folder: None,
        scroll_px: 0,
    }
}

async fn render(p: FileViewProps) -> String {
    yew::LocalServerRenderer::<FileView>::with_props(p)
        .hydratable(false)
        .render()
        .await
}

/// (data-line, data-status) of every rendered code line, in order.
fn rows(html: &str) -> Vec<(u32, Option<String>)> {
    let mut out = Vec::new();
    for part in html.split("<div data-line=").skip(1) {
        let tag = format!("data-line={}", &part[..part.find('>').expect("tag end")]);
        assert!(tag.contains("class=\"sv-line"), "{tag}");
        let attr = |name: &str| {
            let key = format!("{name}=\"");
            tag.find(&key).map(|i| {
                let rest = &tag[i + key.len()..];
                rest[..rest.find('"').expect("quote")].to_string()
            })
        };
        out.push((
            attr("data-line").expect("data-line").parse().expect("n"),
            attr("data-status"),
        ));
    }
    out
}

fn field<'a>(html: &'a str, name: &str) -> &'a str {
    let key = format!("data-field=\"{name}\"");
    let at = html.find(&key).unwrap_or_else(|| panic!("no {name}"));
    let start = at + html[at..].find('>').expect("tag end") + 1;
    let end = start + html[start..].find('<').expect("close");
    &html[start..end]
}

fn read_state(path: &str) -> SourceState {
    SourceState::Read {
        path: path.into(),
        lossy: false,
        candidates: 1,
    }
}

/// Every row of the file, rendering it scrolled down window by window (a long file
/// renders only the lines on screen); and that no render warns.
async fn every_row(r: &Report, of: &OpenFile) -> Vec<(u32, Option<String>)> {
    let mut got: Vec<(u32, Option<String>)> = Vec::new();
    let total = of.annotated.lines.len();
    let mut px = 0;
    while got.len() < total && px <= 20 * total as u32 {
        let mut p = props(r, of.annotated.clone(), of.source.clone());
        p.scroll_px = px;
        let html = render(p).await;
        assert!(!html.contains("role=\"alert\""), "the source fits");
        for row in rows(&html) {
            if got.last().is_none_or(|l| l.0 < row.0) {
                got.push(row);
            }
        }
        px += 20 * 60;
    }
    got
}

const CTX: &str = "packaging-25.0/coveragepy-7.17.3-branch-contexts-small/coverage.json";

#[tokio::test]
async fn every_line_with_its_status_as_the_report_lists_it() {
    let r = report(CTX);
    for path in [
        "src/packaging/version.py",
        "src/packaging/_structures.py",
        "src/packaging/__init__.py",
    ] {
        let i = r.files.iter().position(|f| f.path == path).expect("file");
        let f = &r.files[i];
        let text = source(&format!("packaging-25.0/{path}"));
        let of = OpenFile::with_source(&r, i, &text, read_state(path)).expect("open");
        let got = every_row(&r, &of).await;
        assert_eq!(
            got.len(),
            text.lines().count(),
            "{path}: every line rendered"
        );
        for (k, (n, status)) in got.iter().enumerate() {
            assert_eq!(*n as usize, k + 1);
            let want = if f.excluded_lines.contains(n) {
                Some("excluded")
            } else if f.missing_lines.contains(n) {
                Some("missing")
            } else if f.executed_lines.contains(n) {
                Some("covered")
            } else {
                None
            };
            assert_eq!(status.as_deref(), want, "{path} line {n}");
        }
    }
}

#[tokio::test]
async fn figures_come_from_the_reports_rules() {
    let r = report("jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json");
    let i = r
        .files
        .iter()
        .position(|f| f.path == "src/jinja2/compiler.py")
        .expect("file");
    let f = &r.files[i];
    let of = OpenFile::without_source(&r, i, SourceState::NoFolder).expect("open");
    let html = render(props(&r, of.annotated.clone(), of.source.clone())).await;
    // As coverage.py shows it at precision 0, through the report's rules.
    let want = format!("{}%", r.rules().show(&f.counts, Metric::Combined, 0));
    assert_eq!(field(&html, "file-total"), want);
    assert_eq!(
        field(&html, "file-statements"),
        format!("{}%", r.rules().show(&f.counts, Metric::Statements, 0))
    );
    assert_eq!(
        field(&html, "file-missing"),
        f.counts.statements.missing().to_string()
    );
    assert_eq!(
        field(&html, "file-partial"),
        f.counts.partial_branches.to_string()
    );
    let mut p = props(&r, of.annotated.clone(), of.source.clone());
    p.precision = 2;
    let html2 = render(p).await;
    assert_eq!(
        field(&html2, "file-total"),
        format!("{}%", r.rules().show(&f.counts, Metric::Combined, 2))
    );
    assert!(field(&html2, "file-total").contains('.'));
}

#[tokio::test]
async fn without_a_source_the_missing_ranges_partial_lines_and_functions() {
    let r = report("jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json");
    let i = r
        .files
        .iter()
        .position(|f| f.path == "src/jinja2/compiler.py")
        .expect("file");
    let f = &r.files[i];
    let of = OpenFile::without_source(&r, i, SourceState::NoFolder).expect("open");
    let mut p = props(&r, of.annotated.clone(), of.source.clone());
    p.on_add_folder = Some(Callback::noop());
    let html = render(p).await;
    assert!(html.contains("No source: add the project"));
    assert!(html.contains("id=\"sv-add-folder\""));
    assert!(
        !html.contains("class=\"sv-code"),
        "no code pane without a source"
    );
    // The missing ranges: every missing line lies in one.
    let a = &of.annotated;
    assert!(!a.missing_ranges.is_empty());
    for &(s, e) in &a.missing_ranges {
        let label = if s == e {
            s.to_string()
        } else {
            format!("{s}-{e}")
        };
        assert!(html.contains(&format!("data-ref-line=\"{s}\" data-status=\"missing\"><span class=\"sv-ref\">{label}</span>")), "{label}");
    }
    // Every partial line with coverage.py's words for each missing arc.
    let partial: std::collections::BTreeSet<u32> = f
        .missing_branches
        .iter()
        .map(|a| a.from as u32)
        .filter(|l| !f.missing_lines.contains(l))
        .collect();
    assert_eq!(a.partial_lines, partial.iter().copied().collect::<Vec<_>>());
    assert!(!partial.is_empty());
    for arc in &f.missing_branches {
        if partial.contains(&(arc.from as u32)) {
            let words = if arc.to > 0 {
                format!("line {} didn't jump to line {}", arc.from, arc.to)
            } else {
                format!("line {} didn't ", arc.from)
            };
            assert!(html.contains(&words), "{words}");
        }
    }
    assert_eq!(
        html.matches("data-status=\"partial\"").count(),
        partial.len()
    );
    // Functions with their own figures, through the rules.
    assert!(html.contains("Functions ("));
    let func = a
        .functions
        .iter()
        .find(|fi| fi.region.counts.statements.missing() > 0)
        .expect("a function with gaps");
    assert!(html.contains(&format!("<code>{}</code>", func.name)));
    assert!(html.contains(&format!(
        "{}%",
        r.rules().show(&func.region.counts, Metric::Combined, 0)
    )));
}

#[tokio::test]
async fn contexts_hits_and_per_line_branches() {
    // coverage.py contexts: the selected line lists the tests that ran it.
    let r = report(CTX);
    let i = r
        .files
        .iter()
        .position(|f| f.path == "src/packaging/_structures.py")
        .expect("file");
    let text = source("packaging-25.0/src/packaging/_structures.py");
    let of = OpenFile::with_source(&r, i, &text, read_state("x")).expect("open");
    let line = of
        .annotated
        .lines
        .iter()
        .find(|l| l.contexts.len() > 1)
        .expect("a line run by tests");
    let mut p = props(&r, of.annotated.clone(), of.source.clone());
    p.selected = Some(line.number);
    let html = render(p).await;
    assert!(html.contains(&format!("data-detail-line=\"{}\"", line.number)));
    assert!(html.contains(&format!("Run by {} contexts:", line.contexts.len())));
    for c in &line.contexts {
        let shown = if c.is_empty() { "(empty)" } else { c.as_str() };
        assert!(
            html.contains(&format!("<li><code>{shown}</code></li>")),
            "{shown}"
        );
    }

    // An LCOV-shaped file: hits, "1 of 2 branches taken", functions by calls.
    let f = FileCoverage {
        path: "/build/js/x/lib/a.js".into(),
        counts: Counts {
            files: 1,
            lines: covgap_core::Tally::new(3, 4),
            ..Counts::default()
        },
        executed_lines: vec![1, 2, 4],
        line_hits: vec![1, 12_345, 2],
        missing_lines: vec![5],
        line_branches: vec![LineBranches {
            line: 2,
            taken: 1,
            total: 2,
        }],
        regions: vec![
            Region {
                kind: RegionKind::Function,
                name: "used".into(),
                start_line: Some(1),
                hits: Some(3),
                counts: Counts::default(),
                missing_lines: vec![],
            },
            Region {
                kind: RegionKind::Function,
                name: "(anonymous_1)".into(),
                start_line: Some(5),
                hits: Some(0),
                counts: Counts::default(),
                missing_lines: vec![],
            },
        ],
        ..FileCoverage::default()
    };
    let a = Rc::new(annotate(&f, Some("f();\nif (a) {\n\n  g();\n  h();\n}\n")));
    let p = FileViewProps {
        file: a,
        source: read_state("x/lib/a.js"),
        rules: Tool::Lcov.rules(),
        metric: Metric::Lines,
        metrics: vec![Metric::Lines, Metric::Functions, Metric::Branches],
        precision: 0,
        selected: Some(2),
        on_select: Callback::noop(),
        on_back: Callback::noop(),
        on_add_folder: None,
        scroll_px: 0,
    };
    let html = render(p).await;
    assert!(html.contains("class=\"sv-code w1 hits\""));
    assert!(html.contains("<span class=\"sv-hits\">12345</span>"));
    assert!(html.contains("title=\"1 of 2 branches taken\" class=\"sv-annot\">1/2</span>"));
    assert!(html.contains("<li>1 of 2 branches taken</li>"));
    assert!(html.contains("ran 12345 times"));
    assert!(html.contains("never called"));
    assert!(html.contains("called 3 times"));
    // lcov shows 3 of 4 lines as genhtml does: 75.0%.
    assert_eq!(field(&html, "file-total"), "75.0%");
    assert_eq!(
        rows(&html),
        [
            (1, Some("covered".into())),
            (2, Some("partial".into())),
            (3, None),
            (4, Some("covered".into())),
            (5, Some("missing".into())),
            (6, None)
        ]
    );
}

#[tokio::test]
async fn source_text_is_always_text() {
    let f = FileCoverage {
        path: "evil.js".into(),
        executed_lines: vec![1, 2],
        ..FileCoverage::default()
    };
    let src = "x = '<script>alert(1)</script>';\ny = \"<img src=x onerror=alert(2)>\";\n";
    let a = Rc::new(annotate(&f, Some(src)));
    let mut p = props(&report(CTX), a, read_state("<b>bold</b>.js"));
    p.rules = Tool::Lcov.rules();
    let html = render(p).await;
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img"));
    assert!(!html.contains("<b>bold"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(!html.contains("style="), "no inline styles (CSP)");
}

#[tokio::test]
async fn a_source_that_differs_is_said_to_differ() {
    let r = report(CTX);
    let i = r
        .files
        .iter()
        .position(|f| f.path == "src/packaging/version.py")
        .expect("file");
    // utils.py is not version.py: it is shorter than version.py's line numbers.
    let wrong = source("packaging-25.0/src/packaging/utils.py");
    let of = OpenFile::with_source(&r, i, &wrong, read_state("utils.py")).expect("open");
    let html = render(props(&r, of.annotated.clone(), of.source.clone())).await;
    assert!(html.contains("role=\"alert\""));
    assert!(html.contains("The source differs from the measured code"));
    assert!(
        html.contains("data-warning=\"shorter\"") || html.contains("data-warning=\"off-code\"")
    );
    // A file cut short: the lines beyond its end are still listed (without text).
    let full = source("packaging-25.0/src/packaging/version.py");
    let cut: String = full.lines().take(100).map(|l| format!("{l}\n")).collect();
    let of = OpenFile::with_source(&r, i, &cut, read_state("version.py")).expect("open");
    let html = render(props(&r, of.annotated.clone(), of.source.clone())).await;
    assert!(html.contains("data-warning=\"shorter\""));
    assert!(html.contains("This file has 100 lines but the report measures line"));
    let last = *r.files[i].missing_lines.last().expect("missing");
    let mut p = props(&r, of.annotated.clone(), of.source.clone());
    p.scroll_px = 20 * (of.annotated.lines.len() as u32 - 10);
    let html = render(p).await;
    assert!(rows(&html)
        .iter()
        .any(|(n, s)| *n == last && s.as_deref() == Some("missing")));
}

#[tokio::test]
async fn a_long_file_renders_only_the_lines_on_screen() {
    // 5,000 lines: a window of them between two spacers that keep the scroll height.
    let executed: Vec<u32> = (1..=5000).filter(|n| n % 7 != 0).collect();
    let missing: Vec<u32> = (1..=5000).filter(|n| n % 7 == 0).collect();
    let f = FileCoverage {
        path: "big.py".into(),
        executed_lines: executed,
        missing_lines: missing,
        ..FileCoverage::default()
    };
    let src: String = (1..=5000).map(|n| format!("x{n} = {n}\n")).collect();
    let a = Rc::new(annotate(&f, Some(&src)));
    let r = report(CTX);
    let html = render(props(&r, a.clone(), read_state("big.py"))).await;
    let got = rows(&html);
    assert_eq!(got.len(), window(5000, 0.0).len());
    assert_eq!(got.first().map(|r| r.0), Some(1));
    assert!(html.contains("data-lines=\"5000\""));
    // The spacer below holds the height of the lines not rendered.
    let below = (5000 - got.len()) * 20;
    assert!(html.contains(&format!("width=\"1\" height=\"{below}\"")));
    // Scrolled to the middle: the lines there, a spacer above.
    let mut p = props(&r, a.clone(), read_state("big.py"));
    p.scroll_px = 2500 * 20;
    let html = render(p).await;
    let got = rows(&html);
    let w = window(5000, 50_000.0);
    assert_eq!(got.first().map(|r| r.0 as usize), Some(w.start + 1));
    assert!(got.iter().any(|r| r.0 == 2500));
    assert!(got
        .iter()
        .all(|r| r.1.as_deref() == Some(if r.0 % 7 == 0 { "missing" } else { "covered" })));
    assert!(html.contains(&format!("height=\"{}\"", w.start * 20)));
    assert!(got.len() <= 160);
}

#[test]
fn a_folder_matched_to_a_report() {
    let r = report(CTX);
    let mut s = Sources::default();
    let mut paths: Vec<String> = r
        .files
        .iter()
        .skip(2)
        .map(|f| format!("packaging-25.0/{}", f.path))
        .collect();
    paths.push("packaging-25.0/.git/HEAD".into());
    s.add(SourceFolder {
        id: 7,
        name: "packaging-25.0".into(),
        paths,
    });
    let rs = s.match_report(&r);
    assert_eq!(
        rs.summary(),
        "14 of 16 report files found their source; 2 did not."
    );
    assert_eq!(
        rs.unmatched(&r),
        ["src/packaging/__init__.py", "src/packaging/_elffile.py"]
    );
    assert_eq!(s.handle_of(&rs, 2), Some((7, 0)));
    assert_eq!(s.handle_of(&rs, 0), None);
    assert_eq!(
        s.path_of(&rs, 3),
        Some("packaging-25.0/src/packaging/_musllinux.py")
    );
    // annotate_in of the app equals the core's for the same report.
    let i = 3;
    let text = source("packaging-25.0/src/packaging/_musllinux.py");
    let of = OpenFile::with_source(&r, i, &text, read_state("x")).expect("open");
    assert_eq!(*of.annotated, annotate_in(&r, &r.files[i], Some(&text)));
    assert!(of
        .annotated
        .lines
        .iter()
        .all(|l| l.status != LineStatus::Covered));
}
