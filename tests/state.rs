//! The reducer, natively: loading, failing, removing, sorting, the target, and the view
//! in the URL hash.

use covgap_app::state::{Action, AppState, LoadStatus, Loaded, Sort, Tab, View};
use covgap_core::analysis::{SortKey, Target};
use covgap_core::{parse, ParseOptions};
use std::path::Path;
use std::rc::Rc;

fn report(rel: &str, id: u32, name: &str) -> Rc<Loaded> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    let bytes = std::fs::read(&p).expect("fixture");
    let r = parse(name, &bytes, ParseOptions::default()).expect("parses");
    Rc::new(Loaded::new(id, name.into(), bytes.len(), r))
}

const JINJA: &str = "jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json";
const ATTRS: &str = "attrs-26.1.0/coveragepy-7.17.3-branch/coverage.json";

fn start(s: &mut AppState, id: u32, name: &str) {
    s.apply(Action::LoadStarted {
        id,
        name: name.into(),
        bytes: Some(10),
    });
}

#[test]
fn load_lifecycle_and_a_bad_file_changes_nothing() {
    let mut s = AppState::default();
    start(&mut s, 1, "a.json");
    assert_eq!(s.loads[0].status, LoadStatus::Reading);
    s.apply(Action::LoadParsing(1));
    assert_eq!(s.loads[0].status, LoadStatus::Parsing);
    s.apply(Action::LoadDone(report(JINJA, 1, "a.json")));
    assert_eq!(s.current, Some(1));
    assert_eq!(s.view.report.as_deref(), Some("a.json"));
    assert!(s.announcement.contains("54 files, 92% combined covered"));

    let before_reports = s.reports.clone();
    let before_view = s.view.clone();
    start(&mut s, 2, "bad.json");
    s.apply(Action::LoadFailed {
        id: 2,
        reason: "the file is empty".into(),
    });
    assert_eq!(s.reports, before_reports);
    assert_eq!(s.view, before_view);
    assert_eq!(s.current, Some(1));
    assert_eq!(
        s.loads[1].status,
        LoadStatus::Failed("the file is empty".into())
    );
    assert!(s.announcement.starts_with("Could not load bad.json"));
}

#[test]
fn newest_report_becomes_current_and_remove_falls_back() {
    let mut s = AppState::default();
    for (id, rel, name) in [(1, JINJA, "j.json"), (2, ATTRS, "a.json")] {
        start(&mut s, id, name);
        s.apply(Action::LoadDone(report(rel, id, name)));
    }
    assert_eq!(s.current, Some(2));
    s.apply(Action::Select(1));
    assert_eq!(s.current, Some(1));
    s.apply(Action::Select(99)); // unknown: ignored
    assert_eq!(s.current, Some(1));
    s.apply(Action::Remove(1));
    assert_eq!(s.current, Some(2));
    s.apply(Action::Remove(2));
    assert_eq!(s.current, None);
    assert!(s.loads.is_empty());
}

#[test]
fn report_named_in_url_wins_when_it_loads() {
    let mut s = AppState::default();
    s.apply(Action::RestoreView(View {
        report: Some("j.json".into()),
        ..View::default()
    }));
    start(&mut s, 1, "a.json");
    s.apply(Action::LoadDone(report(ATTRS, 1, "a.json")));
    assert_eq!(s.current, Some(1), "something is shown meanwhile");
    start(&mut s, 2, "j.json");
    s.apply(Action::LoadDone(report(JINJA, 2, "j.json")));
    assert_eq!(
        s.current,
        Some(2),
        "the bookmarked report takes over when it arrives"
    );
    start(&mut s, 3, "later.json");
    s.apply(Action::LoadDone(report(ATTRS, 3, "later.json")));
    assert_eq!(s.current, Some(3), "after that, the newest report is shown");
}

#[test]
fn sorting_target_precision_and_tabs() {
    let mut s = AppState::default();
    s.apply(Action::SortBy(Sort::By(SortKey::Cover)));
    assert_eq!(
        (s.view.sort, s.view.desc),
        (Sort::By(SortKey::Cover), false)
    );
    s.apply(Action::SortBy(Sort::By(SortKey::Cover)));
    assert!(s.view.desc);
    s.apply(Action::SortBy(Sort::By(SortKey::Missing)));
    assert_eq!(
        (s.view.sort, s.view.desc),
        (Sort::By(SortKey::Missing), true)
    );
    s.apply(Action::SetTarget(150.0));
    assert_eq!(s.view.target.percent, 100.0);
    s.apply(Action::SetTarget(f64::NAN));
    assert_eq!(s.view.target.percent, 100.0);
    s.apply(Action::SetTarget(-3.0));
    assert_eq!(s.view.target.percent, 0.0);
    s.apply(Action::SetPrecision(200));
    assert_eq!(s.view.target.precision, 10);
    s.apply(Action::FlipTab);
    assert_eq!(s.view.tab, Tab::Tree);
    s.apply(Action::ToggleHelp(true));
    s.apply(Action::TogglePaste(true));
    s.apply(Action::CloseOverlays);
    assert!(!s.help_open && !s.paste_open);
}

#[test]
fn filter_resets_paging_and_tree_expansion_toggles() {
    let mut s = AppState::default();
    start(&mut s, 1, "j.json");
    s.apply(Action::LoadDone(report(JINJA, 1, "j.json")));
    // The first level opens by itself.
    assert!(s.expanded.contains("src/jinja2"));
    s.apply(Action::ToggleDir("src/jinja2".into()));
    assert!(!s.expanded.contains("src/jinja2"));
    s.apply(Action::ExpandAll(true));
    assert!(s.expanded.contains("tests/res/templates"));
    s.apply(Action::ExpandAll(false));
    assert!(s.expanded.is_empty());
    s.apply(Action::ShowMore);
    assert!(s.rows_shown > covgap_app::state::PAGE_ROWS);
    s.apply(Action::Filter("x".into()));
    assert_eq!(s.rows_shown, covgap_app::state::PAGE_ROWS);
}

#[test]
fn view_round_trips_through_the_hash() {
    let v = View {
        tab: Tab::Tree,
        sort: Sort::By(SortKey::Cover),
        desc: true,
        filter: "src/*/a b&c=d%#".into(),
        hide_covered: true,
        hide_empty: true,
        target: Target {
            percent: 87.5,
            precision: 2,
        },
        metric: Some(covgap_core::Metric::Branches),
        report: Some("demo: jinja2 3.1.6 coverage.json".into()),
    };
    let h = v.to_hash();
    assert!(h.starts_with("#/tree?"));
    assert_eq!(View::from_hash(&h, &View::default()), v);
    assert_eq!(View::default().to_hash(), "#/files");
    assert_eq!(
        View::from_hash("#/files", &View::default()),
        View::default()
    );
    // Garbage is ignored, not fatal.
    let g = View::from_hash(
        "#/nope?sort=zzz&target=400&precision=x&desc=1&demo=1",
        &View::default(),
    );
    assert_eq!(
        (g.sort, g.target, g.desc),
        (Sort::By(SortKey::Name), Target::default(), true)
    );
}

#[test]
fn gap_and_needed_sort_by_the_target() {
    use covgap_app::rows::visible_files;
    let r = report(JINJA, 1, "j.json");
    let mut v = View {
        sort: Sort::Needed,
        desc: true,
        ..View::default()
    };
    v.target.percent = 95.0;
    let lens = r.lens(&v);
    let order = visible_files(&r.report.files, &v, &lens);
    // The number the Needed column shows: statements, or statements and branches together
    // where statements alone cannot reach 95%.
    let needed = |i: usize| lens.gap(&r.report.files[i].counts).headline_needed();
    // Most needed first; every file is listed.
    assert_eq!(order.len(), r.report.files.len());
    for w in order.windows(2) {
        assert!(needed(w[0]).unwrap_or(u64::MAX) >= needed(w[1]).unwrap_or(u64::MAX));
    }
    // ext.py needs the most: 371 statements and 158 branches (coverage.py's own report),
    // 80.53% covered = 426 of 529 units; 95% at precision 0 needs 94.5% of 529 = 499.9,
    // so 74 more, and its 62 missing statements alone cannot do it.
    assert_eq!(r.report.files[order[0]].path, "src/jinja2/ext.py");
    assert_eq!(needed(order[0]), Some(74));
    v.sort = Sort::Gap;
    let order = visible_files(&r.report.files, &v, &lens);
    assert_eq!(
        r.report.files[order[0]].path, "src/jinja2/bccache.py",
        "largest gap: least covered"
    );
    // The view survives the URL.
    assert_eq!(View::from_hash(&v.to_hash(), &View::default()), v);
}

#[test]
fn editing_the_plan_target_moves_the_target() {
    use covgap_core::plan::parse_plan;
    let mut s = AppState::default();
    let plan = parse_plan("p.json", r#"{"version": 1, "target": 90}"#).expect("plan");
    s.apply(Action::PlanEdited(plan.clone()));
    assert_eq!(s.view.target.percent, 90.0);
    s.apply(Action::SetTarget(85.0)); // the user tries another target...
    let mut other = plan.clone();
    other.name = Some("renamed".into());
    s.apply(Action::PlanEdited(other)); // ...an unrelated edit keeps it
    assert_eq!(s.view.target.percent, 85.0);
    let mut higher = plan;
    higher.target = 93.0;
    s.apply(Action::PlanEdited(higher)); // a new plan target takes over
    assert_eq!(s.view.target.percent, 93.0);
    s.apply(Action::PlanUndo);
    assert_eq!(s.plan.as_ref().map(|p| p.plan.target), Some(90.0));
}

#[test]
fn every_tab_survives_the_url() {
    for tab in Tab::ALL {
        let v = View {
            tab,
            ..View::default()
        };
        assert_eq!(
            View::from_hash(&v.to_hash(), &View::default()).tab,
            tab,
            "{tab:?}"
        );
    }
    assert_eq!(
        View::from_hash("#/compare", &View::default()).tab,
        Tab::Compare
    );
    assert_eq!(
        View::from_hash("#/plan?target=90", &View::default()).tab,
        Tab::Plan
    );
}
