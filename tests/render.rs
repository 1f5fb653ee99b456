//! Views rendered to HTML natively (Yew SSR): the numbers the page shows, and that report
//! strings are always text.

use covgap_app::state::{Action, AppState, Loaded, Sort, Tab};
use covgap_app::{app::AppProps, App};
use covgap_core::analysis::SortKey;
use covgap_core::{parse, ParseOptions};
use std::path::Path;
use std::rc::Rc;

fn state_with(rel: &str, name: &str, actions: Vec<Action>) -> Rc<AppState> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    let bytes = std::fs::read(&p).expect("fixture");
    let r = parse(name, &bytes, ParseOptions::default()).expect("parses");
    let mut s = AppState::default();
    s.apply(Action::LoadStarted {
        id: 1,
        name: name.into(),
        bytes: Some(bytes.len()),
    });
    s.apply(Action::LoadDone(Rc::new(Loaded::new(
        1,
        name.into(),
        bytes.len(),
        r,
    ))));
    for a in actions {
        s.apply(a);
    }
    Rc::new(s)
}

async fn render(state: Rc<AppState>) -> String {
    yew::LocalServerRenderer::<App>::with_props(AppProps {
        initial: Some(state),
    })
    .hydratable(false)
    .render()
    .await
}

const JINJA: &str = "jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json";

fn field<'a>(html: &'a str, name: &str) -> &'a str {
    let key = format!("data-field=\"{name}\"");
    let at = html.find(&key).unwrap_or_else(|| panic!("no {name}"));
    let start = at + html[at..].find('>').expect("tag end") + 1;
    let end = start + html[start..].find('<').expect("close");
    &html[start..end]
}

#[tokio::test]
async fn summary_shows_coveragepy_numbers_and_the_gap() {
    let html = render(state_with(JINJA, "j.json", vec![Action::SetTarget(95.0)])).await;
    // coverage.py: 92.20644543714103 → "92"; statements 94.21439628482972; branches 82.77272727272727.
    assert_eq!(field(&html, "total"), "92%");
    assert_eq!(field(&html, "total-percent"), "92%");
    assert_eq!(field(&html, "statements-percent"), "94%");
    assert_eq!(field(&html, "branches-percent"), "83%");
    assert_eq!(field(&html, "statements"), "10336");
    // (9738 + 1821 + k) / 12536 rounds to ≥ 95 from k = 288 (see the CLI test).
    assert_eq!(field(&html, "statements-needed"), "288");
    assert!(html.contains("Below target"));
    let pass = render(state_with(JINJA, "j.json", vec![Action::SetTarget(92.0)])).await;
    assert!(pass.contains("✔ Passes"));
    let p2 = render(state_with(JINJA, "j.json", vec![Action::SetPrecision(2)])).await;
    assert_eq!(field(&p2, "total-percent"), "92.21%");
}

#[tokio::test]
async fn table_sorted_by_cover_lists_the_worst_file_first() {
    let html = render(state_with(
        JINJA,
        "j.json",
        vec![Action::SortBy(Sort::By(SortKey::Cover))],
    ))
    .await;
    let body = &html[html.find("<tbody>").expect("tbody")..];
    let first = &body[body.find("class=\"filename\">").expect("row") + 17..];
    let first = &first[..first.find('<').expect("end")];
    // The least covered file of the jinja2 report, by coverage.py's own per-file figures.
    assert_eq!(first, "src/jinja2/bccache.py");
    assert!(html.contains("aria-sort=\"ascending\""));
    assert_eq!(field(&html, "row-count"), "54 of 54 files");
    let filtered = render(state_with(
        JINJA,
        "j.json",
        vec![Action::Filter("tests/*".into()), Action::ToggleHideCovered],
    ))
    .await;
    assert!(field(&filtered, "row-count").ends_with("of 54 files"));
    assert!(!filtered.contains(">src/jinja2/bccache.py<"));
}

#[tokio::test]
async fn tree_rolls_up_directories() {
    let html = render(state_with(JINJA, "j.json", vec![Action::SetTab(Tab::Tree)])).await;
    let row = &html[html.find("data-path=\"src/jinja2\"").expect("dir row")..];
    let row = &row[..row.find("</tr>").expect("row end")];
    // 25 files under src/jinja2 with 6331 statements, 583 missing (sums of coverage.py's rows).
    let cells: Vec<&str> = row
        .split("<td class=\"num\">")
        .skip(1)
        .map(|c| &c[..c.find('<').expect("cell")])
        .collect();
    assert_eq!(&cells[..3], ["25", "6331", "583"]);
}

#[tokio::test]
async fn hostile_file_names_are_text() {
    let html = render(state_with(
        "_malformed/hostile-filenames-valid-utf8.coverage.json",
        "<img src=x onerror=alert(1)>.json",
        vec![],
    ))
    .await;
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img src=x"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;.json"));
    assert!(html.contains("&lt;script&gt;"));
}
