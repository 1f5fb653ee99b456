//! The whole page rendered natively (Yew SSR) from reducer states: notices, the markdown
//! plan's review, told-apart cards, Clear failed, visible file names, and the plan panel's
//! state (sub-tab, what-if, refused edits) coming from the one reducer.

use covgap_app::state::edit::{Edit, ModuleField};
use covgap_app::state::{
    load_action, Action, AppState, Loaded, LoadedPlan, Section, Tab, UiAction,
};
use covgap_app::{app::AppProps, App};
use covgap_core::{parse, ParseOptions};
use std::path::Path;
use std::rc::Rc;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn report(rel: &str, id: u32, name: &str) -> Rc<Loaded> {
    let bytes = std::fs::read(root().join("tests/fixtures").join(rel)).expect("fixture");
    let r = parse(name, &bytes, ParseOptions::default()).expect("parses");
    Rc::new(Loaded::new(id, name.into(), bytes.len(), r))
}

fn plan(id: u32, name: &str) -> Rc<LoadedPlan> {
    let text =
        std::fs::read_to_string(root().join("examples/plans/jinja2-demo.plan.json")).expect("plan");
    Rc::new(LoadedPlan {
        id,
        name: name.into(),
        plan: covgap_core::plan::parse_plan(name, &text).expect("plan"),
    })
}

fn started(s: &mut AppState, id: u32, name: &str) {
    s.apply(Action::LoadStarted {
        id,
        name: name.into(),
        bytes: Some(1),
    });
}

fn with_jinja_and_plan() -> AppState {
    let mut s = AppState::default();
    started(&mut s, 1, "coverage.json");
    s.apply(Action::LoadDone(report(
        "jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json",
        1,
        "coverage.json",
    )));
    started(&mut s, 2, "jinja2-demo.plan.json");
    s.apply(Action::PlanLoaded(plan(2, "jinja2-demo.plan.json")));
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

fn element<'a>(html: &'a str, id: &str, tag: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let end = at + html[at..].find(&format!("</{tag}>")).expect("end");
    &html[at..end]
}

#[tokio::test]
async fn notices_say_what_a_plan_did_and_offer_undo() {
    let mut s = with_jinja_and_plan();
    let html = render(s.clone()).await;
    let n = element(&html, "notice-target", "p");
    assert!(
        n.contains("Target set to 95% from the plan (it was 80%)."),
        "{n}"
    );
    assert!(n.contains("Use 80% again"));
    s.apply(Action::EditPlan(Edit::Module(
        0,
        ModuleField::Owner,
        "kim".into(),
    )));
    started(&mut s, 3, "theirs.plan.json");
    s.apply(Action::PlanLoaded(plan(3, "theirs.plan.json")));
    let html = render(s.clone()).await;
    let n = element(&html, "notice-plan-replaced", "p");
    assert!(n.contains("theirs.plan.json"));
    assert!(n.contains("replaced your edited plan — "));
    assert!(n.contains("id=\"notice-undo\""));
    s.apply(Action::PlanUndo);
    let html = render(s).await;
    assert!(!html.contains("notice-plan-replaced"));
}

#[tokio::test]
async fn the_plan_panel_shows_the_reducers_state() {
    let mut s = with_jinja_and_plan();
    s.apply(Action::SetTab(Tab::Plan));
    s.apply(Action::Plan(UiAction::Show(Section::Editor)));
    let i = s
        .plan
        .as_ref()
        .and_then(|p| {
            p.plan
                .modules
                .iter()
                .position(|m| m.display_name() == "sandbox")
        })
        .expect("sandbox");
    s.apply(Action::EditPlan(Edit::Module(
        i,
        ModuleField::Effort,
        "6-4".into(),
    )));
    let html = render(s.clone()).await;
    let id = format!("ed-m{i}-effort");
    let at = html.find(&format!("id=\"{id}\"")).expect("field");
    let start = html[..at].rfind("<label").expect("label");
    let input = &html[start..at + html[at..].find("</label>").expect("end")];
    // What was typed, marked invalid, described by the message right under it.
    assert!(input.contains("value=\"6-4\""), "{input}");
    assert!(input.contains("aria-invalid=\"true\""));
    assert!(input.contains(&format!("aria-describedby=\"{id}-error\"")));
    assert!(
        input.contains("module &#39;sandbox&#39;: effort range 6-4 is reversed")
            || input.contains("module 'sandbox': effort range 6-4 is reversed")
    );
    assert!(
        html.contains(
            "aria-selected=\"true\" aria-controls=\"plan-section\" id=\"plan-tab-editor\""
        ) || element(&html, "plan-tab-editor", "button").contains("aria-selected=\"true\"")
    );
    // A what-if set on its tab is there when the tab comes back; exports say they are real.
    s.apply(Action::Plan(UiAction::Done("bccache".into(), true)));
    s.apply(Action::SetTab(Tab::Files));
    s.apply(Action::SetTab(Tab::Plan));
    s.apply(Action::Plan(UiAction::Show(Section::Exports)));
    let html = render(s).await;
    assert!(html.contains("Total (what-if)"));
    assert!(element(&html, "export-real", "p").contains("real numbers"));
    assert!(html.contains("id=\"export-compact\""));
    assert!(html.contains("| Module | Current | Target | Gap | Effort | Impact |"));
    assert!(html.contains("id=\"export-issues\""));
    assert!(html.contains("id=\"export-issues-csv\""));
    // The Markdown is the report's, not the what-if's.
    assert!(!element(&html, "export-md", "textarea").contains("what-if"));
}

#[tokio::test]
async fn a_markdown_plan_is_reviewed_on_the_page() {
    let md = std::fs::read(root().join("tests/fixtures/seed-plans/003_7431c420d4458ffd.md"))
        .expect("seed");
    let mut s = AppState::default();
    started(&mut s, 1, "ROADMAP.md");
    s.apply(load_action(1, "ROADMAP.md".into(), &md));
    let html = render(s).await;
    let r = element(&html, "import-review", "section");
    assert!(r.contains("Markdown plan"));
    assert!(html.contains("class=\"line-no\">line "));
    assert!(html.contains("id=\"import-use\""));
    assert!(html.contains("id=\"import-cancel\""));
    assert!(html.contains("Markdown plan: check it below"));
}

#[tokio::test]
async fn same_named_cards_are_told_apart_and_failures_clear() {
    let mut s = AppState::default();
    s.apply(Action::BatchStarted);
    for (id, rel) in [
        (1, "packaging-25.0/coveragepy-7.17.3-branch/coverage.json"),
        (2, "packaging-24.1/coveragepy-7.17.3-branch/coverage.json"),
    ] {
        started(&mut s, id, "coverage.json");
        s.apply(Action::LoadDone(report(rel, id, "coverage.json")));
    }
    for id in [3, 4] {
        started(&mut s, id, "bad.json");
        s.apply(Action::LoadFailed {
            id,
            reason: "the file is empty".into(),
        });
    }
    assert_eq!(s.current, Some(1), "the newest of the two");
    let html = render(s.clone()).await;
    assert!(html.contains("class=\"tell\">2026-11-21 05:42<"));
    assert!(html.contains("class=\"tell\">2026-11-21 05:41<"));
    assert!(html.contains("aria-label=\"Remove coverage.json (2026-11-21 05:41)\""));
    assert!(html.contains("Clear failed (2)"));
    s.apply(Action::ClearFailed);
    let html = render(s).await;
    assert!(!html.contains("Clear failed"));
    assert!(!html.contains("data-load-id=\"3\"") && !html.contains("data-load-id=\"4\""));
}

#[tokio::test]
async fn file_names_show_their_invisible_characters() {
    let mut s = AppState::default();
    started(&mut s, 1, "h.json");
    s.apply(Action::LoadDone(report(
        "_malformed/hostile-filenames-valid-utf8.coverage.json",
        1,
        "h.json",
    )));
    let html = render(s.clone()).await;
    assert!(html.contains("src/rtl_⟨U+202E⟩gnp.exe.py"));
    assert!(
        !html.contains('\u{202E}'),
        "no raw bidi control reaches the page"
    );
    assert!(html.contains("src/zero⟨U+200B⟩width⟨U+200D⟩joiner.py"));
    assert!(html.contains("src/cafe⟨U+0301⟩.py"));
    assert!(html.contains("⟨empty name⟩"));
    assert!(html.contains("src/new⟨U+000A⟩line.py"));
    // The tree too.
    s.apply(Action::SetTab(Tab::Tree));
    s.apply(Action::ExpandAll(true));
    let html = render(s).await;
    assert!(html.contains(">rtl_⟨U+202E⟩gnp.exe.py<"));
    assert!(
        !html.contains(">rtl_\u{202E}"),
        "only data attributes keep the raw path"
    );
}

#[tokio::test]
async fn a_long_file_table_renders_a_window_of_rows_and_says_how_many_there_are() {
    // jinja2's report four times over under scaled-copy-NNNN/ (as scripts/make-scaled.mjs
    // builds the big benchmark reports): 216 files, more than a table renders at once.
    let bytes = std::fs::read(
        root().join("tests/fixtures/jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json"),
    )
    .expect("fixture");
    let mut r = parse("coverage.json", &bytes, ParseOptions::default()).expect("parses");
    let one = r.files.clone();
    r.files = (0..4)
        .flat_map(|k| {
            one.iter().cloned().map(move |mut f| {
                f.path = format!("scaled-copy-{k:04}/{}", f.path);
                f
            })
        })
        .collect();
    let total = r.files.len();
    assert!(total > covgap_app::rows::RENDER_ALL_MAX);
    let mut s = AppState::default();
    started(&mut s, 1, "big.json");
    s.apply(Action::LoadDone(Rc::new(Loaded::new(
        1,
        "big.json".into(),
        bytes.len() * 4,
        r,
    ))));
    let html = render(s).await;
    let table = element(&html, "file-table", "table");
    assert!(table.contains(&format!("aria-rowcount=\"{}\"", total + 1)));
    let rows = table.matches("<tr aria-rowindex=").count();
    assert_eq!(rows, covgap_app::rows::FIRST_WINDOW);
    assert!(table.contains("aria-rowindex=\"2\""));
    assert!(!table.contains(&format!(
        "aria-rowindex=\"{}\"",
        covgap_app::rows::FIRST_WINDOW + 2
    )));
    // The rest of the rows are stood in for by a spacer of their height, hidden from
    // assistive technology; the count above the table says every file is there.
    let at = table
        .rfind("class=\"spacer\"")
        .expect("a spacer after the rows");
    let spacer = &table[table[..at].rfind("<tr").expect("its row")..];
    let px = (total - covgap_app::rows::FIRST_WINDOW) as f64 * 29.0;
    assert!(spacer.contains(&format!("height=\"{px:.0}\"")), "{spacer}");
    assert!(spacer.contains("aria-hidden=\"true\""));
    assert!(html.contains(&format!("{total} of {total} files")));
}
