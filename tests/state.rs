//! The reducer, natively: loading, failing, removing, sorting, the target, and the view
//! in the URL hash.

use covgap_app::io::worker::{Parsed, Phase, Timings, WorkerEvent};
use covgap_app::state::compare::{CompareAction, CompareView, FloorSource, Layout};
use covgap_app::state::edit::{Edit, ModuleField};
use covgap_app::state::worker_action;
use covgap_app::state::{
    Action, AppState, KeptInfo, LoadStatus, Loaded, LoadedPlan, Notice, Section, Sort, Tab,
    UiAction, View,
};
use covgap_core::analysis::compare::{CompareFilter, CompareSortKey};
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
fn a_cancelled_load_leaves_no_card_and_nothing_loaded_changes() {
    let mut s = AppState::default();
    start(&mut s, 1, "a.json");
    s.apply(Action::LoadDone(report(ATTRS, 1, "a.json")));
    s.apply(Action::BatchStarted);
    start(&mut s, 2, "big.json");
    s.apply(worker_action(
        2,
        "big.json",
        WorkerEvent::Progress {
            read: 4,
            total: 8,
            phase: Phase::Read,
        },
    ));
    assert!(matches!(s.loads[1].status, LoadStatus::Loading { .. }));
    s.apply(worker_action(2, "big.json", WorkerEvent::Cancelled));
    assert_eq!(s.loads.len(), 1);
    assert_eq!(s.current, Some(1));
    assert!(s.announcement.contains("Cancelled loading big.json"));
    // A progress message late for an ended load changes nothing.
    s.apply(Action::LoadProgress {
        id: 1,
        read: 1,
        total: 2,
        phase: Phase::Read,
    });
    assert_eq!(s.loads[0].status, LoadStatus::Done);
}

#[test]
fn parallel_loads_keep_the_order_given_whatever_order_they_finish_in() {
    let lcov = |rel: &str, id: u32, name: &str| {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(rel);
        let bytes = std::fs::read(&p).expect("fixture");
        let r = parse(name, &bytes, ParseOptions::default()).expect("parses");
        let t = Timings {
            bytes: bytes.len() as u64,
            in_worker: true,
            ..Timings::default()
        };
        worker_action(id, name, WorkerEvent::Done(Parsed::Report(Box::new(r)), t))
    };
    let mut s = AppState::default();
    s.apply(Action::BatchStarted);
    start(&mut s, 1, "a.info");
    start(&mut s, 2, "b.info");
    // LCOV has no timestamps: the last given is shown, even when it finishes first.
    s.apply(lcov("qs-6.17.1/nyc-18.0.0/lcov.info", 2, "b.info"));
    s.apply(lcov(
        "object-inspect-1.13.4/nyc-18.0.0/lcov.info",
        1,
        "a.info",
    ));
    let names: Vec<&str> = s.reports.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["a.info", "b.info"]);
    assert_eq!(s.current, Some(2));
    // A failure from the worker names no file; the card does, and the announcement.
    start(&mut s, 3, "broken.json");
    s.apply(worker_action(
        3,
        "broken.json",
        WorkerEvent::Failed("read as coverage.py JSON: the file ends too early".into()),
    ));
    assert_eq!(
        s.loads[2].status,
        LoadStatus::Failed("read as coverage.py JSON: the file ends too early".into())
    );
    assert!(s
        .announcement
        .starts_with("Could not load broken.json: read as coverage.py JSON"));
    assert_eq!(s.reports.len(), 2);
    assert_eq!(s.current, Some(2));
}

#[test]
fn load_lifecycle_and_a_bad_file_changes_nothing() {
    let mut s = AppState::default();
    start(&mut s, 1, "a.json");
    assert_eq!(s.loads[0].status, LoadStatus::Reading);
    s.apply(Action::LoadProgress {
        id: 1,
        read: 5,
        total: 10,
        phase: Phase::Read,
    });
    assert_eq!(
        s.loads[0].status,
        LoadStatus::Loading {
            fraction: 0.15,
            phase: Phase::Read
        }
    );
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
        compare: CompareView {
            base: Some("coverage.json@2026-11-21T05:41:04.087732".into()),
            current: Some("b&c.json".into()),
            filter: CompareFilter::BelowFloor,
            query: "src/**/a*.py".into(),
            floor: Some(62.5),
            sort: CompareSortKey::Delta,
            desc: true,
        },
        plan: Section::WhatIf,
        file: None,
        line: None,
    };
    let h = v.to_hash();
    assert!(h.starts_with("#/tree?"));
    // The same view with a file open: every part survives, and the list's tab.
    let f = View {
        file: Some("src/a b&c.py".into()),
        line: Some(7),
        ..v.clone()
    };
    let fh = f.to_hash();
    assert!(
        fh.starts_with("#/file?path=src/a%20b%26c.py&report="),
        "{fh}"
    );
    assert_eq!(View::from_hash(&fh, &View::default()), f);
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

fn demo_plan(target: f64) -> covgap_core::plan::Plan {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans/jinja2-demo.plan.json"),
    )
    .expect("plan");
    let mut p = covgap_core::plan::parse_plan("p.json", &text).expect("plan");
    p.target = target;
    p
}

fn plan_file(id: u32, name: &str, target: f64) -> Rc<LoadedPlan> {
    Rc::new(LoadedPlan {
        id,
        name: name.into(),
        plan: demo_plan(target),
    })
}

fn two_reports() -> AppState {
    let mut s = AppState::default();
    for (id, rel, name) in [
        (
            1,
            "packaging-24.1/coveragepy-7.17.3-branch/coverage.json",
            "coverage.json",
        ),
        (
            2,
            "packaging-25.0/coveragepy-7.17.3-branch/coverage.json",
            "coverage.json",
        ),
    ] {
        start(&mut s, id, name);
        s.apply(Action::LoadDone(report(rel, id, name)));
    }
    s
}

#[test]
fn compare_and_plan_choices_survive_switching_tabs() {
    let mut s = two_reports();
    s.apply(Action::SetTab(Tab::Compare));
    s.apply(Action::Compare(CompareAction::Pick {
        base: 2,
        current: 1,
    }));
    s.apply(Action::Compare(CompareAction::Filter(CompareFilter::All)));
    s.apply(Action::Compare(CompareAction::Query("src/**".into())));
    s.apply(Action::Compare(CompareAction::Floor(Some(70.0))));
    s.apply(Action::Compare(CompareAction::Sort(CompareSortKey::Name)));
    s.apply(Action::Compare(CompareAction::Threshold(1.5)));
    s.apply(Action::Compare(CompareAction::Layout(Layout::Tree)));
    s.apply(Action::SetTab(Tab::Plan));
    s.apply(Action::Plan(UiAction::Show(Section::WhatIf)));
    s.apply(Action::Plan(UiAction::Done("bccache".into(), true)));
    s.apply(Action::Plan(UiAction::Goal(Some(94.0))));
    s.apply(Action::SetTab(Tab::Files));
    s.apply(Action::SetTab(Tab::Compare));
    s.apply(Action::SetTab(Tab::Plan));
    let c = &s.view.compare;
    // Same-named reports are told apart by their timestamps in the URL.
    assert_eq!(
        c.base.as_deref(),
        Some("coverage.json@2026-11-21T05:42:06.854920")
    );
    assert_eq!(
        c.current.as_deref(),
        Some("coverage.json@2026-11-21T05:41:04.087732")
    );
    assert_eq!(
        (c.filter, c.query.as_str(), c.floor, c.sort, c.desc),
        (
            CompareFilter::All,
            "src/**",
            Some(70.0),
            CompareSortKey::Name,
            false
        )
    );
    assert_eq!((s.compare.threshold, s.compare.layout), (1.5, Layout::Tree));
    assert_eq!(s.view.plan, Section::WhatIf);
    assert!(s.plan_ui.what_if.modules.contains_key("bccache"));
    assert_eq!(s.plan_ui.goal, Some(94.0));
    // And the URL brings the pair, filter, floor, sort and sub-tab back.
    let back = View::from_hash(&s.view.to_hash(), &View::default());
    assert_eq!(back.compare, s.view.compare);
    assert_eq!(back.plan, Section::WhatIf);
    let pair = covgap_app::components::compare::resolve_pair(&s.reports, s.current, &back.compare)
        .expect("pair");
    assert_eq!((pair.base.id, pair.current.id), (2, 1));
}

#[test]
fn the_compare_floor_defaults_to_the_plans() {
    let mut s = two_reports();
    assert_eq!(s.compare_floor(), (50.0, FloorSource::Default));
    s.apply(Action::PlanLoaded(plan_file(3, "p.json", 95.0)));
    assert_eq!(s.compare_floor(), (60.0, FloorSource::Plan));
    s.apply(Action::Compare(CompareAction::Floor(Some(40.0))));
    assert_eq!(s.compare_floor(), (40.0, FloorSource::Chosen));
    s.apply(Action::Compare(CompareAction::Floor(None)));
    assert_eq!(s.compare_floor(), (60.0, FloorSource::Plan));
}

#[test]
fn a_refused_edit_stays_at_its_field_with_what_was_typed() {
    let mut s = AppState::default();
    s.apply(Action::PlanLoaded(plan_file(1, "p.json", 95.0)));
    let before = s.plan.clone();
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
    assert_eq!(s.plan, before, "a refused edit changes nothing");
    let e = s
        .plan_ui
        .field_errors
        .get(&format!("ed-m{i}-effort"))
        .expect("error at the field");
    assert_eq!(e.typed, "6-4");
    assert!(
        e.message
            .starts_with("module 'sandbox': effort range 6-4 is reversed"),
        "{}",
        e.message
    );
    assert!(!s.plan_dirty());
    // A good value is applied and the error goes.
    s.apply(Action::EditPlan(Edit::Module(
        i,
        ModuleField::Effort,
        "4-6".into(),
    )));
    assert!(s.plan_ui.field_errors.is_empty());
    assert!(s.plan_dirty(), "edited, in no file yet");
    s.apply(Action::PlanSaved);
    assert!(!s.plan_dirty());
}

#[test]
fn a_dropped_plan_over_an_edited_one_is_one_undo_away() {
    let mut s = AppState::default();
    s.apply(Action::PlanLoaded(plan_file(1, "mine.json", 95.0)));
    assert!(s
        .notices
        .iter()
        .any(|n| matches!(n, Notice::TargetFromPlan { .. })));
    s.apply(Action::DismissNotice(0));
    assert!(s.notices.is_empty());
    s.apply(Action::EditPlan(Edit::Module(
        0,
        ModuleField::Owner,
        "dana".into(),
    )));
    let edited = s.plan.clone().expect("plan");
    assert!(s.plan_dirty());
    s.apply(Action::PlanLoaded(plan_file(2, "theirs.json", 90.0)));
    assert_eq!(
        s.plan.as_ref().map(|p| p.name.as_str()),
        Some("theirs.json")
    );
    assert!(s.notices.contains(&Notice::PlanReplaced {
        name: "theirs.json".into()
    }));
    // The new plan changed the target: said, never silent.
    let said = s.notices.iter().find_map(|n| match n {
        Notice::TargetFromPlan { target, before, .. } => Some((target.percent, before.percent)),
        _ => None,
    });
    assert_eq!(said, Some((90.0, 95.0)));
    assert_eq!(s.view.target.percent, 90.0);
    s.apply(Action::PlanUndo);
    assert!(Rc::ptr_eq(s.plan.as_ref().expect("plan"), &edited));
    assert!(!s
        .notices
        .iter()
        .any(|n| matches!(n, Notice::PlanReplaced { .. })));
    assert_eq!(
        s.view.target.percent, 95.0,
        "undo brings the plan's target back"
    );
    // A clean plan replaced by another: nothing to undo on screen.
    let mut t = AppState::default();
    t.apply(Action::PlanLoaded(plan_file(1, "a.json", 95.0)));
    t.apply(Action::PlanLoaded(plan_file(2, "b.json", 95.0)));
    assert!(!t
        .notices
        .iter()
        .any(|n| matches!(n, Notice::PlanReplaced { .. })));
}

#[test]
fn the_target_notice_offers_the_old_target_and_goes_when_the_user_sets_one() {
    let mut s = AppState::default();
    s.apply(Action::SetTarget(85.0));
    s.apply(Action::PlanLoaded(plan_file(1, "p.json", 95.0)));
    let before = match s.notices.first() {
        Some(Notice::TargetFromPlan { before, why, .. }) => {
            assert_eq!(why, "from the plan");
            *before
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(before.percent, 85.0);
    s.apply(Action::RestoreTarget(before));
    assert_eq!(s.view.target.percent, 85.0);
    assert!(s.notices.is_empty());
    // An edit that moves the plan's target says so too; the user's own change clears it.
    s.apply(Action::EditPlan(Edit::Plan(
        covgap_app::state::edit::PlanField::Target,
        "96".into(),
    )));
    assert_eq!(s.view.target.percent, 96.0);
    assert_eq!(s.notices.len(), 1);
    s.apply(Action::SetTarget(80.0));
    assert!(s.notices.is_empty());
    // A plan whose target is the one already set says nothing.
    let mut t = AppState::default();
    t.apply(Action::SetTarget(95.0));
    t.apply(Action::PlanLoaded(plan_file(1, "p.json", 95.0)));
    assert!(t.notices.is_empty());
}

fn kept(plan: Option<&str>) -> KeptInfo {
    KeptInfo {
        sources: 0,
        files: 2,
        bytes: 10,
        saved_at: "2026-12-01T00:00:00Z".into(),
        plan: plan.map(String::from),
    }
}

#[test]
fn the_kept_plan_follows_the_edits() {
    let mut s = AppState::default();
    s.apply(Action::PlanLoaded(plan_file(1, "p.json", 95.0)));
    assert!(!s.needs_rekeep(), "nothing kept");
    s.apply(Action::Kept(Ok(kept(Some("p.json")))));
    assert!(!s.needs_rekeep());
    s.apply(Action::EditPlan(Edit::Module(
        0,
        ModuleField::Owner,
        "kim".into(),
    )));
    assert!(s.needs_rekeep(), "an edit after keeping is kept again");
    assert!(s.plan_dirty());
    let now = s.plan.clone().expect("plan");
    s.apply(Action::PlanKept {
        plan: now,
        result: Ok(kept(Some("p.json"))),
    });
    assert!(!s.needs_rekeep());
    assert!(
        !s.plan_dirty(),
        "kept in this browser: nothing lost on leaving"
    );
    // A failure says so and leaves the plan unkept.
    s.apply(Action::EditPlan(Edit::Module(
        0,
        ModuleField::Owner,
        "lee".into(),
    )));
    let now = s.plan.clone().expect("plan");
    s.apply(Action::PlanKept {
        plan: now,
        result: Err("quota".into()),
    });
    assert!(s.storage.failed && s.plan_dirty());
    s.apply(Action::Forgotten(Ok(())));
    assert!(!s.needs_rekeep());
}

#[test]
fn a_restored_plan_is_not_kept_again() {
    let mut s = AppState::default();
    s.apply(Action::KeptFound(kept(Some("p.json"))));
    s.apply(Action::PlanLoaded(plan_file(1, "p.json", 95.0)));
    assert!(!s.needs_rekeep());
    assert!(!s.plan_dirty());
}

#[test]
fn of_reports_given_together_the_newest_by_timestamp_is_shown() {
    let mut s = AppState::default();
    s.apply(Action::BatchStarted);
    // jinja2's timestamp (05:42:50) is newer than attrs' (05:34:05); given newest first.
    for (id, rel, name) in [(1, JINJA, "j.json"), (2, ATTRS, "a.json")] {
        start(&mut s, id, name);
        s.apply(Action::LoadDone(report(rel, id, name)));
    }
    assert_eq!(s.current, Some(1), "the newest, not the last given");
    // A later drop of one report shows that report.
    s.apply(Action::BatchStarted);
    start(&mut s, 3, "later.json");
    s.apply(Action::LoadDone(report(ATTRS, 3, "later.json")));
    assert_eq!(s.current, Some(3));
}

#[test]
fn failed_loads_clear_in_one_go() {
    let mut s = AppState::default();
    start(&mut s, 1, "good.json");
    s.apply(Action::LoadDone(report(JINJA, 1, "good.json")));
    for id in [2, 3] {
        start(&mut s, id, "bad.json");
        s.apply(Action::LoadFailed {
            id,
            reason: "the file is empty".into(),
        });
    }
    s.apply(Action::ClearFailed);
    assert_eq!(s.loads.len(), 1);
    assert_eq!(s.current, Some(1));
}

#[test]
fn a_markdown_plan_is_reviewed_before_it_is_used() {
    use covgap_app::state::load_action;
    let md = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/seed-plans/003_7431c420d4458ffd.md"),
    )
    .expect("seed plan");
    let mut s = AppState::default();
    start(&mut s, 1, "PLAN.md");
    s.apply(load_action(1, "PLAN.md".into(), &md));
    assert_eq!(s.loads[0].status, LoadStatus::Review);
    assert!(s.plan.is_none(), "nothing is used before the user says so");
    let imp = s.import.clone().expect("review");
    assert!(!imp.imported.understood.is_empty());
    assert!(imp.imported.understood.iter().all(|u| u.line > 0));
    s.apply(Action::ImportAccept);
    let p = s.plan.clone().expect("plan");
    assert_eq!(p.name, "PLAN.plan.json");
    assert!(s.import.is_none());
    assert!(s.plan_dirty(), "its JSON is in no file yet");
    // Cancel drops it.
    let mut t = AppState::default();
    start(&mut t, 1, "PLAN.md");
    t.apply(load_action(1, "PLAN.md".into(), &md));
    t.apply(Action::ImportCancel);
    assert!(t.loads.is_empty() && t.plan.is_none() && t.import.is_none());
    // Not a plan at all: a failure that says why.
    let mut u = AppState::default();
    start(&mut u, 1, "notes.md");
    u.apply(load_action(1, "notes.md".into(), b"# Shopping\n\n- milk\n"));
    assert!(matches!(&u.loads[0].status, LoadStatus::Failed(r) if r.contains("markdown plan")));
}

#[test]
fn same_named_reports_have_distinct_keys() {
    let s = two_reports();
    let k1 = covgap_app::state::report_key(&s.reports, 1).expect("key");
    let k2 = covgap_app::state::report_key(&s.reports, 2).expect("key");
    assert_ne!(k1, k2);
    assert_eq!(
        covgap_app::state::find_report(&s.reports, &k2).map(|r| r.id),
        Some(2)
    );
    // A unique name is its own key.
    let mut t = AppState::default();
    start(&mut t, 1, "j.json");
    t.apply(Action::LoadDone(report(JINJA, 1, "j.json")));
    assert_eq!(
        covgap_app::state::report_key(&t.reports, 1).as_deref(),
        Some("j.json")
    );
}

#[test]
fn the_locale_is_a_value_in_the_state() {
    use covgap_app::fmt::Locale;
    let de = Locale {
        decimal: ',',
        group: Some('.'),
    };
    let mut s = AppState::default();
    s.apply(Action::SetLocale(de.clone()));
    assert_eq!(s.locale, de);
    assert_eq!(de.count(10336), "10.336");
    assert_eq!(de.count(999), "999");
    assert_eq!(de.count(1234567), "1.234.567");
    assert_eq!(de.pct("92.21"), "92,21");
    assert_eq!(Locale::default().count(10336), "10336");
}

// ---- sources and the file view ----------------------------------------------------

const PACKAGING: &str = "packaging-25.0/coveragepy-7.17.3-branch-contexts-small/coverage.json";

/// Every file below tests/sources/`dir`, as a picked folder lists them.
fn folder(dir: &str, id: u32) -> covgap_app::sources::SourceFolder {
    fn walk(base: &Path, rel: &str, out: &mut Vec<String>) {
        let mut names: Vec<_> = std::fs::read_dir(base.join(rel))
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for n in names {
            let p = format!("{rel}/{n}");
            if base.join(&p).is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p);
            }
        }
    }
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sources");
    let mut paths = Vec::new();
    walk(&base, dir, &mut paths);
    covgap_app::sources::SourceFolder {
        id,
        name: dir.into(),
        paths,
    }
}

#[test]
fn the_file_view_has_its_own_url_that_keeps_the_list() {
    let v = View {
        tab: Tab::Tree,
        filter: "src".into(),
        report: Some("coverage.json".into()),
        file: Some("src/pkg/a b.py".into()),
        line: Some(52),
        ..View::default()
    };
    let h = v.to_hash();
    assert_eq!(
        h,
        "#/file?path=src/pkg/a%20b.py&report=coverage.json&line=52&q=src&tab=tree"
    );
    assert_eq!(View::from_hash(&h, &View::default()), v);
    // The list's URL names no file; a file route without a path is the list.
    let list = View {
        file: None,
        line: None,
        ..v.clone()
    };
    assert_eq!(list.to_hash(), "#/tree?report=coverage.json&q=src");
    assert_eq!(
        View::from_hash("#/file?line=3", &View::default()).file,
        None
    );
    assert_eq!(
        View::from_hash("#/files?path=a.py&line=3", &View::default()).file,
        None
    );
}

#[test]
fn a_folder_matches_the_report_and_the_open_file_asks_for_its_source_once() {
    use covgap_app::sources::SourceState;
    use covgap_app::state::SourceAction;
    let mut s = AppState::default();
    start(&mut s, 1, "coverage.json");
    s.apply(Action::LoadDone(report(PACKAGING, 1, "coverage.json")));
    // A file opened before any folder: the report's own lists, and no read.
    s.apply(Action::Source(SourceAction::Open(
        "src/packaging/version.py".into(),
    )));
    let open = s.source.open.clone().expect("open");
    assert_eq!(open.file.source, SourceState::NoFolder);
    assert!(s.source.read.is_none());
    assert!(!open.file.annotated.has_source);

    // The folder: every report file finds its source; the open file's is asked for.
    s.apply(Action::Source(SourceAction::FolderAdded(folder(
        "packaging-25.0",
        7,
    ))));
    let m = s.source.matched.clone().expect("matched").2;
    assert_eq!(m.summary(), "All 16 report files found their source.");
    let req = s.source.read.clone().expect("a read");
    assert_eq!(req.file, open.file.file);
    assert_eq!(
        s.source.open.as_ref().map(|o| o.file.source.clone()),
        Some(SourceState::Reading(
            "packaging-25.0/src/packaging/version.py".into()
        ))
    );
    // Another action does not ask again.
    s.apply(Action::ToggleHelp(true));
    assert_eq!(s.source.read.as_ref().map(|r| r.seq), Some(req.seq));

    // The text arrives: every line, and j moves to the first uncovered chunk.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/sources/packaging-25.0/src/packaging/version.py"),
    )
    .expect("source");
    s.apply(Action::Source(SourceAction::Read {
        seq: req.seq,
        result: Ok((text.clone(), false)),
    }));
    assert!(s.source.read.is_none());
    let f = s.source.open.as_ref().expect("open").file.annotated.clone();
    assert!(f.has_source);
    assert_eq!(f.lines.len(), text.lines().count());
    let first = f.chunks.first().map(|c| c.0).expect("a gap");
    s.apply(Action::Source(SourceAction::Key(
        covgap_app::sources::FileKey::NextChunk,
    )));
    assert_eq!(s.view.line, Some(first));
    assert!(s.view.to_hash().contains(&format!("line={first}")));
    // A late answer to an old read changes nothing.
    s.apply(Action::Source(SourceAction::Read {
        seq: req.seq,
        result: Err("late".into()),
    }));
    assert!(
        s.source
            .open
            .as_ref()
            .expect("open")
            .file
            .annotated
            .has_source
    );

    // Back to the list: nothing open, the URL is the list's.
    s.apply(Action::Source(SourceAction::Close));
    assert!(s.source.open.is_none());
    assert_eq!(s.view.line, None);
    assert!(s.view.to_hash().starts_with("#/files"));

    // A path the folder does not hold.
    s.apply(Action::Source(SourceAction::RemoveFolder(7)));
    s.apply(Action::Source(SourceAction::FolderAdded(
        covgap_app::sources::SourceFolder {
            id: 8,
            name: "other".into(),
            paths: vec!["other/src/packaging/tags.py".into()],
        },
    )));
    let m = s.source.matched.clone().expect("matched").2;
    assert_eq!(
        m.summary(),
        "1 of 16 report files found its source; 15 did not."
    );
    s.apply(Action::Source(SourceAction::Open(
        "src/packaging/version.py".into(),
    )));
    assert_eq!(
        s.source.open.as_ref().map(|o| o.file.source.clone()),
        Some(SourceState::NotFound)
    );
    assert!(s.source.read.is_none());
}

#[test]
fn a_link_to_a_file_opens_it_when_its_report_arrives() {
    let mut s = AppState::default();
    s.apply(Action::RestoreView(View::from_hash(
        "#/file?path=src/packaging/utils.py&report=coverage.json",
        &View::default(),
    )));
    assert!(s.source.open.is_none());
    start(&mut s, 1, "coverage.json");
    s.apply(Action::LoadDone(report(PACKAGING, 1, "coverage.json")));
    let open = s.source.open.as_ref().expect("opened");
    assert_eq!(open.file.annotated.path, "src/packaging/utils.py");
}

#[test]
fn keeping_says_when_sources_are_included() {
    let mut s = AppState::default();
    s.apply(Action::Kept(Ok(KeptInfo {
        sources: 16,
        ..kept(None)
    })));
    let m = s.storage.message.clone().unwrap_or_default();
    assert!(m.contains(", with 16 source files in this browser"), "{m}");
    s.apply(Action::KeptFound(KeptInfo {
        sources: 1,
        ..kept(None)
    }));
    let m = s.storage.message.clone().unwrap_or_default();
    assert!(m.contains(", with 1 source file from this browser"), "{m}");
}

#[test]
fn a_rows_file_link_is_the_views_hash_with_the_file_set() {
    use covgap_app::state::FileHref;
    let mut v = View {
        filter: "a&b c/%00".into(),
        report: Some("r 1.json".into()),
        hide_empty: true,
        ..View::default()
    };
    v.tab = Tab::Tree;
    let links = FileHref::new(&v);
    for path in ["src/a.py", "weird %00 name?.py", "", "ü/\u{0}.py"] {
        let want = View {
            file: Some(path.into()),
            ..v.clone()
        }
        .to_hash();
        assert_eq!(links.to(path), want, "{path:?}");
    }
}

#[test]
fn the_tables_orders_are_the_cores_for_every_column_direction_and_metric() {
    // Loaded::order ranks equal figures by the name order instead of comparing paths: the
    // orders must be exactly those of covgap_core's sort (what the CLI prints) and of the
    // gap/needed sorts, on reports with ties, branches and hostile names.
    use covgap_app::rows::sorted_files;
    use covgap_core::Metric;
    let reports = [
        report(JINJA, 1, "j.json"),
        report(
            "_malformed/hostile-filenames-valid-utf8.coverage.json",
            2,
            "h.json",
        ),
        report(
            "qs-6.17.1/nyc-18.0.0/coverage-final.json",
            3,
            "coverage-final.json",
        ),
        report("qs-6.17.1/nyc-18.0.0/lcov.info", 4, "lcov.info"),
    ];
    let sorts = [
        Sort::By(SortKey::Name),
        Sort::By(SortKey::Statements),
        Sort::By(SortKey::Missing),
        Sort::By(SortKey::Excluded),
        Sort::By(SortKey::Branches),
        Sort::By(SortKey::Partial),
        Sort::By(SortKey::Cover),
        Sort::Gap,
        Sort::Needed,
    ];
    let mut checked = 0;
    for r in &reports {
        assert!(r.report.files.len() > 3, "{}", r.name);
        for metric in [
            None,
            Some(Metric::Lines),
            Some(Metric::Branches),
            Some(Metric::Combined),
        ] {
            for sort in sorts {
                for desc in [false, true] {
                    let mut v = View {
                        sort,
                        desc,
                        metric,
                        ..View::default()
                    };
                    v.target.percent = 90.0;
                    let want = sorted_files(&r.report.files, &v, &r.lens(&v));
                    assert_eq!(
                        *r.order(&v),
                        want,
                        "{} {sort:?} desc={desc} {metric:?}",
                        r.name
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 4 * 4 * 9 * 2);
}

#[test]
fn a_big_coverage_py_report_reads_its_functions_and_classes_when_a_file_is_opened() {
    use covgap_app::sources::SourceState;
    use covgap_app::state::source::{lacks_regions, SourceAction};
    use covgap_app::state::REGIONS_MAX_BYTES;
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(JINJA),
    )
    .expect("fixture");
    let read = |regions| parse("big.json", &bytes, ParseOptions { regions }).expect("parses");
    let with = Rc::new(read(true));
    // Loaded as a report larger than REGIONS_MAX_BYTES is: without its regions.
    let big = Rc::new(Loaded::new(
        1,
        "big.json".into(),
        REGIONS_MAX_BYTES + 1,
        read(false),
    ));
    assert!(lacks_regions(&big));
    assert!(
        !lacks_regions(&report(JINJA, 9, "small.json")),
        "a small one has them"
    );
    let mut s = AppState::default();
    start(&mut s, 1, "big.json");
    s.apply(Action::LoadDone(big));
    assert_eq!(
        s.source.regions_wanted, None,
        "nothing is read again until a file is opened"
    );
    let path = "src/jinja2/ext.py";
    s.apply(Action::Source(SourceAction::Open(path.into())));
    assert_eq!(s.source.regions_wanted, Some((1, "big.json".into())));
    let functions = |s: &AppState| {
        s.source
            .open
            .as_ref()
            .map(|o| o.file.annotated.functions.len())
    };
    let classes = |s: &AppState| {
        s.source
            .open
            .as_ref()
            .map(|o| o.file.annotated.classes.len())
    };
    assert_eq!(functions(&s), Some(0));
    s.apply(Action::Source(SourceAction::Regions {
        report: 1,
        result: Ok(with.clone()),
    }));
    assert_eq!(s.source.regions_wanted, None);
    // The file view now lists what the report read with its regions has for the file.
    let annotated = |path: &str| {
        let i = with
            .files
            .iter()
            .position(|f| f.path == path)
            .expect("file");
        covgap_app::sources::OpenFile::without_source(&with, i, SourceState::NoFolder)
            .expect("opens")
            .annotated
    };
    let want = annotated(path);
    assert!(!want.functions.is_empty() && !want.classes.is_empty());
    assert_eq!(functions(&s), Some(want.functions.len()));
    assert_eq!(classes(&s), Some(want.classes.len()));
    // Read once: another file of the same report asks for nothing and has its lists.
    s.apply(Action::Source(SourceAction::Close));
    let other = "src/jinja2/lexer.py";
    s.apply(Action::Source(SourceAction::Open(other.into())));
    assert_eq!(s.source.regions_wanted, None);
    assert_eq!(functions(&s), Some(annotated(other).functions.len()));
    assert!(functions(&s) > Some(0));
    // A failure says so and is not retried in a loop; removing the report forgets it all.
    s.apply(Action::Source(SourceAction::Regions {
        report: 1,
        result: Err("the worker stopped".into()),
    }));
    let msg = s.source.message.clone().expect("a message");
    assert!(msg.1 && msg.0.contains("the worker stopped"), "{msg:?}");
    s.apply(Action::Source(SourceAction::Close));
    s.apply(Action::Source(SourceAction::Open(path.into())));
    assert_eq!(s.source.regions_wanted, None);
}

#[test]
fn the_tables_filter_keeps_what_the_files_own_test_keeps() {
    // filter_order prepares the filter once and reads cached lowercase paths: the same
    // files, in the same order, as testing each file on its own (rows::keep).
    use covgap_app::rows::{filter_order, keep};
    for r in [
        report(JINJA, 1, "j.json"),
        report(
            "_malformed/hostile-filenames-valid-utf8.coverage.json",
            2,
            "h.json",
        ),
    ] {
        for (filter, hide_covered) in [
            ("", false),
            ("", true),
            ("JINJA", false),
            ("src/**/l*.py", true),
            ("*", false),
            ("ü", false),
            ("  lexer  ", false),
            ("?", false),
        ] {
            let v = View {
                filter: filter.into(),
                hide_covered,
                ..View::default()
            };
            let lens = r.lens(&v);
            let order = r.order(&v);
            let files = &r.report.files;
            let want: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&i| keep(&files[i], &v, &lens))
                .collect();
            assert_eq!(
                filter_order(files, r.lower_paths(), &order, &v, &lens),
                want,
                "{filter:?}"
            );
            assert_eq!(
                filter_order(files, &[], &order, &v, &lens),
                want,
                "{filter:?}"
            );
        }
    }
}
