//! Accessibility markup rendered natively (Yew SSR): the WAI-ARIA tabs pattern (one tab
//! stop, panels labelled by their tab), the directory tree as a treegrid, the help dialog,
//! and focusable scrolling regions. The keyboard itself is driven in e2e/a11y.test.mjs.

use covgap_app::components::tab_key;
use covgap_app::state::{load_action, Action, AppState, Loaded, Section, Tab, UiAction};
use covgap_app::{app::AppProps, App};
use covgap_core::{parse, ParseOptions};
use std::path::Path;
use std::rc::Rc;

fn jinja() -> AppState {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let rel = "tests/fixtures/jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json";
    let bytes = std::fs::read(root.join(rel)).expect("fixture");
    let r = parse("coverage.json", &bytes, ParseOptions::default()).expect("parses");
    let mut s = AppState::default();
    s.apply(Action::LoadStarted {
        id: 1,
        name: "coverage.json".into(),
        bytes: Some(1),
    });
    s.apply(Action::LoadDone(Rc::new(Loaded::new(
        1,
        "coverage.json".into(),
        bytes.len(),
        r,
    ))));
    let text =
        std::fs::read_to_string(root.join("examples/plans/jinja2-demo.plan.json")).expect("plan");
    s.apply(Action::LoadStarted {
        id: 2,
        name: "jinja2-demo.plan.json".into(),
        bytes: Some(1),
    });
    s.apply(load_action(
        2,
        "jinja2-demo.plan.json".into(),
        text.as_bytes(),
    ));
    s
}

async fn render(s: AppState) -> String {
    yew::LocalServerRenderer::<App>::with_props(AppProps {
        initial: Some(Rc::new(s)),
    })
    .hydratable(false)
    .render()
    .await
}

/// The opening tag of the element with this id.
fn tag<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = html[..at].rfind('<').expect("start");
    &html[start..at + html[at..].find('>').expect("end")]
}

#[test]
fn arrow_keys_home_and_end_move_along_a_tab_list() {
    assert_eq!(tab_key("ArrowRight", 0, 4), Some(1));
    assert_eq!(tab_key("ArrowRight", 3, 4), Some(0), "wraps round");
    assert_eq!(tab_key("ArrowLeft", 0, 4), Some(3), "wraps round");
    assert_eq!(tab_key("ArrowLeft", 2, 4), Some(1));
    assert_eq!(tab_key("Home", 2, 4), Some(0));
    assert_eq!(tab_key("End", 1, 4), Some(3));
    assert_eq!(tab_key("Enter", 1, 4), None);
    assert_eq!(tab_key("t", 1, 4), None);
    assert_eq!(tab_key("ArrowRight", 0, 0), None);
}

#[tokio::test]
async fn tabs_have_one_tab_stop_and_label_their_panel() {
    let mut s = jinja();
    s.apply(Action::SetTab(Tab::Plan));
    s.apply(Action::Plan(UiAction::Show(Section::WhatIf)));
    let html = render(s).await;
    for t in Tab::ALL {
        let b = tag(&html, &format!("tab-{}", t.slug()));
        let selected = t == Tab::Plan;
        assert!(b.contains("role=\"tab\""), "{b}");
        assert!(b.contains(&format!("aria-selected=\"{selected}\"")), "{b}");
        let stop = if selected {
            "tabindex=\"0\""
        } else {
            "tabindex=\"-1\""
        };
        assert!(b.contains(stop), "{b}");
    }
    assert!(tag(&html, "panel").contains("aria-labelledby=\"tab-plan\""));
    for sec in Section::ALL {
        let b = tag(&html, &format!("plan-tab-{}", sec.slug()));
        let stop = if sec == Section::WhatIf {
            "tabindex=\"0\""
        } else {
            "tabindex=\"-1\""
        };
        assert!(b.contains(stop), "{b}");
    }
    assert!(tag(&html, "plan-section").contains("aria-labelledby=\"plan-tab-what-if\""));
}

#[tokio::test]
async fn the_directory_tree_is_a_treegrid_with_one_tab_stop() {
    let mut s = jinja();
    s.apply(Action::SetTab(Tab::Tree));
    let html = render(s).await;
    let grid = tag(&html, "tree-table");
    assert!(grid.contains("role=\"treegrid\""), "{grid}");
    assert!(grid.contains("aria-labelledby=\"tree-title\""), "{grid}");
    let rows: Vec<&str> = html
        .match_indices("<tr ")
        .map(|(i, _)| &html[i..i + html[i..].find('>').expect("end")])
        .filter(|t| t.contains("aria-level="))
        .collect();
    assert!(rows.len() > 1, "rows in sight");
    // Exactly one row is in the tab order, the first; directories say whether they are open.
    let stops: Vec<&&str> = rows
        .iter()
        .filter(|r| r.contains("tabindex=\"0\""))
        .collect();
    assert_eq!(stops.len(), 1, "{stops:?}");
    assert!(rows[0].contains("tabindex=\"0\""), "{}", rows[0]);
    assert!(rows[1..].iter().all(|r| r.contains("tabindex=\"-1\"")));
    for r in &rows {
        let dir = r.contains("dir-row");
        assert_eq!(r.contains("aria-expanded="), dir, "{r}");
    }
    assert!(rows[0].contains("id=\"tree-row-0\""), "{}", rows[0]);
}

#[tokio::test]
async fn the_help_dialog_and_scrolling_regions() {
    let mut s = jinja();
    s.apply(Action::ToggleHelp(true));
    let html = render(s.clone()).await;
    assert!(html.contains("role=\"dialog\" aria-modal=\"true\" aria-labelledby=\"help-title\""));
    assert!(tag(&html, "help-dialog").contains("class=\"dialog\""));
    assert!(tag(&html, "help-close").starts_with("<button"));
    // The file table scrolls sideways in a region the keyboard can reach.
    let at = html.find("id=\"file-table\"").expect("table");
    let wrap = &html[html[..at].rfind("<div").expect("wrap")..at];
    assert!(wrap.contains("tabindex=\"0\""), "{wrap}");
    assert!(wrap.contains("role=\"region\""), "{wrap}");
    assert!(wrap.contains("aria-label="), "{wrap}");
}
