//! The plan view rendered natively (Yew SSR) with the jinja2 report and the demo plan:
//! every section shows covgap-core's numbers, plan strings are text, and edits are
//! validated before they replace the plan.

use covgap_app::components::plan::{
    apply_edit, create::default_target, edit::ModuleField, edit::PhaseField, edit::PlanField,
    plan_from_report, suggest_modules, Edit, PlanPanel, PlanPanelProps, PlanUi, Section, UiAction,
};
use covgap_app::state::{Loaded, LoadedPlan};
use covgap_core::export::plan::plan_markdown;
use covgap_core::plan::{
    cheapest_path, evaluate, parse_plan, sort_modules, validate, ModuleOverride, Plan,
    PriorityColumn, Status, WhatIf,
};
use covgap_core::{parse, ParseOptions};
use std::path::Path;
use std::rc::Rc;
use yew::Callback;

const JINJA: &str = "tests/fixtures/jinja2-3.1.6/coveragepy-7.17.3-branch/coverage.json";
const DEMO_PLAN: &str = "examples/plans/jinja2-demo.plan.json";

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("file")
}

fn report() -> Rc<Loaded> {
    let bytes = read(JINJA);
    let r = parse("coverage.json", &bytes, ParseOptions::default()).expect("report");
    Rc::new(Loaded::new(1, "coverage.json".into(), bytes.len(), r))
}

fn demo_plan() -> Plan {
    let text = String::from_utf8(read(DEMO_PLAN)).expect("utf-8");
    parse_plan("jinja2-demo.plan.json", &text).expect("plan")
}

fn loaded_plan(plan: Plan) -> Rc<LoadedPlan> {
    Rc::new(LoadedPlan {
        id: 2,
        name: "jinja2-demo.plan.json".into(),
        plan,
    })
}

async fn render_with(plan: Option<Plan>, ui: PlanUi) -> String {
    render_in(plan, Section::Phases, ui).await
}

async fn render_in(plan: Option<Plan>, section: Section, ui: PlanUi) -> String {
    yew::LocalServerRenderer::<PlanPanel>::with_props(PlanPanelProps {
        loaded: Some(report()),
        plan: plan.map(loaded_plan),
        can_undo: false,
        section,
        ui,
        on_ui: Callback::noop(),
        on_edit: Callback::noop(),
        on_replace: Callback::from(|_: Plan| ()),
        on_undo: Callback::from(|_: ()| ()),
        on_effect: Callback::noop(),
        on_saved: Callback::noop(),
    })
    .hydratable(false)
    .render()
    .await
}

async fn render(section: Section) -> String {
    render_in(
        Some(demo_plan()),
        section,
        PlanUi {
            ..PlanUi::default()
        },
    )
    .await
}

/// The text of the first element carrying `data-field="name"`.
fn field<'a>(html: &'a str, name: &str) -> &'a str {
    let key = format!("data-field=\"{name}\"");
    let at = html.find(&key).unwrap_or_else(|| panic!("no {name}"));
    let start = at + html[at..].find('>').expect("tag end") + 1;
    let end = start + html[start..].find('<').expect("close");
    &html[start..end]
}

/// Text as SSR escapes it.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn unesc(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The slice of `html` from the element with `id` to the end of the next `</tag>`.
fn element<'a>(html: &'a str, id: &str, tag: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let end = at + html[at..].find(&format!("</{tag}>")).expect("end");
    &html[at..end]
}

#[tokio::test]
async fn phases_show_the_criteria_covgap_check_prints() {
    let html = render(Section::Phases).await;
    let status = evaluate(&demo_plan(), &report().report, &WhatIf::none());
    // The headline: coverage.py's 92.20644543714103, at two decimals and as shown.
    assert_eq!(field(&html, "plan-total"), "92.21%");
    assert!(field(&html, "plan-verdict").contains("below target"));
    assert!(field(&html, "plan-verdict").contains("288 statements to cover"));
    assert!(field(&html, "plan-progress").contains("0 of 3 phases passed"));
    assert_eq!(
        field(&html, "plan-current-phase"),
        "Phase 1 of 3: Security first: sandbox and bytecode cache"
    );
    // Every criterion of every phase, with the engine's label, numbers and verdict.
    for ph in &status.phases {
        let li = element(&html, &format!("phase-{}", ph.index + 1), "li");
        assert_eq!(li.contains("aria-current=\"step\""), ph.is_current);
        for c in &ph.criteria {
            let row = format!(
                "data-met=\"{}\" class=\"criterion {}\"><span class=\"mark {1}\">{}</span> <span class=\"criterion-label\">{}</span>: <span class=\"criterion-detail\">{}</span>",
                c.met,
                if c.met { "met" } else { "unmet" },
                if c.met { "✅ met" } else { "⏳ unmet" },
                esc(&c.label),
                esc(&c.detail)
            );
            assert!(html.contains(&row), "missing criterion row {row}");
        }
    }
    assert!(html.contains("bccache ≥ 80% (combined)"));
    assert!(html.contains("58.50% (shown as 58%); 42 statements to cover"));
    assert_eq!(html.matches("data-met=\"false\"").count(), 17);
    // The phase's modules, each with its own bar and target mark.
    assert!(html.contains("aria-label=\"bccache: 58.50% of a 80% target\""));
    assert!(html.contains("class=\"bar-target\""));
}

#[tokio::test]
async fn priority_table_sorts_like_the_cli_and_offers_quick_wins() {
    let html = render(Section::Priorities).await;
    let status = evaluate(&demo_plan(), &report().report, &WhatIf::none());
    let order = sort_modules(&status.modules, PriorityColumn::Impact, true);
    let rows: Vec<&str> = html
        .split("<tr data-module=\"")
        .skip(1)
        .map(|r| &r[..r.find('"').expect("name")])
        .collect();
    let want: Vec<String> = order
        .iter()
        .map(|&i| status.modules[i].name.clone())
        .collect();
    assert_eq!(rows, want);
    assert_eq!(rows[0], "environment");
    assert!(html.contains("aria-sort=\"descending\""));
    // bccache: 58.50% → 80%, gap 21.00 pp to the pass mark (79.5% rounds to 80%), 42
    // statements, +0.34 pp on the total.
    let bcc = &html[html.find("<tr data-module=\"bccache\"").expect("row")..];
    let bcc = &bcc[..bcc.find("</tr>").expect("end")];
    assert!(bcc.contains("58.50%"));
    assert_eq!(field(bcc, "gap"), "21.00");
    assert_eq!(field(bcc, "needed"), "42");
    assert_eq!(field(bcc, "impact"), "0.34");
    // compiler has a branches target: 20 branches needed.
    let comp = &html[html.find("<tr data-module=\"compiler\"").expect("row")..];
    assert_eq!(field(comp, "needed"), "20 br.");
    // The cheapest path, in the engine's words.
    let ch = cheapest_path(&status, 95.0);
    assert!(ch.reaches_goal);
    assert!(field(&html, "cheapest-sentence").starts_with("Bring bccache, sandbox, ext"));
    assert_eq!(field(&html, "cheapest-total"), "92.21% → 94.54%");

    let qw = render_in(
        Some(demo_plan()),
        Section::Priorities,
        PlanUi {
            quick_wins: true,
            ..PlanUi::default()
        },
    )
    .await;
    assert!(qw.contains("aria-pressed=\"true\""));
    assert!(!qw.contains("aria-sort=\"descending\""));
    let first = qw.split("<tr data-module=\"").nth(1).expect("a row");
    // Most points per hour: bccache and nodes tie at 0.10 pp/h; fewer statements first.
    assert!(first.starts_with("bccache\""), "{}", &first[..40]);
}

#[tokio::test]
async fn what_if_updates_total_phases_and_verdict() {
    let mut w = WhatIf::none();
    w.set("bccache", ModuleOverride::Done);
    w.set("sandbox", ModuleOverride::Percent(90.0));
    let html = render_in(
        Some(demo_plan()),
        Section::WhatIf,
        PlanUi {
            what_if: w.clone(),
            ..PlanUi::default()
        },
    )
    .await;
    let status = evaluate(&demo_plan(), &report().report, &w);
    let shown = format!(
        "{}%",
        covgap_core::display::display_percent(status.total_percent, 2)
    );
    assert_eq!(field(&html, "plan-total"), shown);
    assert!(html.contains("Total (what-if)"));
    assert!(html.contains("2 modules changed"));
    // The slider sits at the what-if value; "done" is ticked for bccache.
    assert!(html.contains("id=\"wi-0\""));
    assert!(html.contains("<li data-module=\"bccache\" class=\"what-if-module changed\">"));
    assert!(html.contains("<li data-module=\"ext\" class=\"what-if-module\">"));
    let p1 = status.phases[0].met;
    assert_eq!(
        field(&html, "phase-met"),
        format!("{p1} of 5 criteria met · current")
    );
    // The report alone is still 92.21%: nothing was written back.
    let base = render(Section::WhatIf).await;
    assert_eq!(field(&base, "plan-total"), "92.21%");
}

#[tokio::test]
async fn board_columns_follow_the_numbers_and_the_overrides() {
    let html = render(Section::Board).await;
    let col = |key: &str| {
        let at = html
            .find(&format!("data-column=\"{key}\""))
            .expect("column");
        let s = &html[at..];
        let end = s.find("</section>").expect("end");
        s[..end].matches("<li data-module=").count()
    };
    // No owner and below target: backlog (7); an owner: in progress (sandbox, ext).
    assert_eq!(
        (
            col("backlog"),
            col("in_progress"),
            col("review"),
            col("done")
        ),
        (7, 2, 0, 0)
    );
    assert!(html.contains(">Auto: In progress</option>"));
    assert!(html.contains("below the floor of 60%"));

    let mut plan = demo_plan();
    let plan2 = apply_edit(&plan, Edit::Status(0, Some(Status::Review))).expect("valid");
    assert_eq!(plan2.modules[0].status, Some(Status::Review));
    plan = plan2;
    let html = render_in(
        Some(plan),
        Section::Board,
        PlanUi {
            ..PlanUi::default()
        },
    )
    .await;
    assert!(html.contains("Set by hand; the numbers say backlog."));
}

#[tokio::test]
async fn editor_labels_every_field_with_the_plan_values() {
    let html = render(Section::Editor).await;
    // (Server rendering leaves input values to the browser; the browser test checks them.)
    for id in [
        "ed-target",
        "ed-floor",
        "ed-m0-paths",
        "ed-m8-effort",
        "ed-p2-fail-under",
        "ed-new-paths",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no #{id}");
    }
    assert_eq!(html.matches("<fieldset data-module=").count(), 9);
    assert_eq!(html.matches("<fieldset data-phase=").count(), 3);
    // Every input, select and text area sits in a label (or has one pointing at it).
    let controls = html.matches("<input").count()
        + html.matches("<select").count()
        + html.matches("<textarea").count();
    let labelled =
        html.matches("<label class=\"field").count() + html.matches("<label class=\"check").count();
    assert!(
        labelled >= controls,
        "{labelled} labels for {controls} controls"
    );
    assert!(!html.contains("style="));
}

#[tokio::test]
async fn exports_match_the_engine_and_the_cli() {
    let html = render(Section::Exports).await;
    let status = evaluate(&demo_plan(), &report().report, &WhatIf::none());
    let order = sort_modules(&status.modules, PriorityColumn::Impact, true);
    let ch = cheapest_path(&status, status.target);
    let md = plan_markdown(&status, &order, Some(&ch)) + "\n";
    let area = element(&html, "export-md", "textarea");
    let text = unesc(&area[area.find('>').expect("tag") + 1..]);
    assert_eq!(text, md);
    assert!(md.contains("| 1 | Security first: sandbox and bytecode cache | 92% | 93% | 21% | 0/5 | 93 | ⏳ unmet (current) |"));
    let gate = element(&html, "export-gate", "textarea");
    assert!(gate.contains("[tool.coverage.report]\nfail_under = 93\n"));
    assert_eq!(field(&html, "gate-fail-under"), "93");
    assert!(html.contains("covgap check coverage.json --plan jinja2-demo.plan.json</code>"));
    let json = element(&html, "export-json", "textarea");
    let back = unesc(&json[json.find('>').expect("tag") + 1..]);
    assert_eq!(
        parse_plan("back.json", &back).expect("reads back"),
        demo_plan()
    );
}

#[tokio::test]
async fn without_a_plan_the_report_suggests_its_least_covered_parts() {
    let l = report();
    let s = suggest_modules(
        &l.tree,
        covgap_core::Metric::Combined,
        &covgap_core::rules::COVERAGEPY,
        8,
    );
    assert_eq!(s.len(), 8);
    // bccache.py is the least covered file of the report (58.50%).
    assert_eq!(
        (s[0].path.as_str(), s[0].name.as_str()),
        ("src/jinja2/bccache.py", "bccache")
    );
    assert!(s.windows(2).all(|w| pc(&w[0].counts) <= pc(&w[1].counts)));
    assert_eq!(default_target(pc(&l.totals)), 95.0);
    // Source, never tests: the jinja2 report measures tests/ too.
    assert!(s.iter().all(|x| !x.path.starts_with("tests")), "{s:?}");
    for (p, test) in [
        ("tests/test_api.py", true),
        ("src/pkg/test_utils.py", true),
        ("pkg/conftest.py", true),
        ("cmd/server_test.go", true),
        ("src/a.test.ts", true),
        ("src/a.spec.js", true),
        ("src/__tests__/a.js", true),
        ("src/pkg/testing.py", false),
        ("src/contest.py", false),
        ("src/jinja2/bccache.py", false),
    ] {
        assert_eq!(
            covgap_app::components::plan::create::is_test_path(p),
            test,
            "{p}"
        );
    }
    let plan = plan_from_report(&l, &s[..3], 95.0, Some(60.0));
    assert!(validate(&plan).is_empty(), "{:?}", validate(&plan));
    // Phases like a roadmap's: targets stepped up to the plan's, fail_under raised with
    // each, every chosen module in exactly one phase.
    let targets: Vec<f64> = plan.phases.iter().map(|p| p.target).collect();
    assert!(targets.len() >= 2, "{targets:?}");
    assert!(targets.windows(2).all(|w| w[0] < w[1]), "{targets:?}");
    assert_eq!(targets.last(), Some(&95.0));
    assert!(
        targets[0] > 92.0,
        "the first step is above today's 92%: {targets:?}"
    );
    assert!(plan
        .phases
        .iter()
        .all(|p| p.exit.fail_under == Some(p.target) && p.exit.modules_at_target));
    let mut listed: Vec<&String> = plan.phases.iter().flat_map(|p| &p.modules).collect();
    listed.sort();
    let mut chosen: Vec<&String> = s[..3].iter().map(|x| &x.name).collect();
    chosen.sort();
    assert_eq!(listed, chosen);
    // Measured, the made plan has the report's total.
    let st = evaluate(&plan, &l.report, &WhatIf::none());
    assert_eq!(st.total_percent, pc(&l.totals));

    let html = render_with(None, PlanUi::default()).await;
    assert!(html.contains("Create a plan from this report"));
    assert!(html.contains("src/jinja2/bccache.py"));
    assert!(html.contains("id=\"create-target\""));
    assert!(html.contains("value=\"95\""));
}

#[tokio::test]
async fn plan_strings_are_text() {
    let mut plan = demo_plan();
    plan.name = Some("<script>alert(1)</script>".into());
    plan.modules[0].name = Some("<img src=x onerror=alert(1)>".into());
    plan.modules[0].owner = Some("<b>mallory</b>".into());
    plan.phases[0].modules[0] = "<img src=x onerror=alert(1)>".into();
    plan.phases[0].notes = Some("[link](javascript:alert(1))".into());
    assert!(validate(&plan).is_empty());
    for section in Section::ALL {
        let html = render_in(
            Some(plan.clone()),
            section,
            PlanUi {
                ..PlanUi::default()
            },
        )
        .await;
        assert!(!html.contains("<script>alert"), "{section:?}");
        assert!(!html.contains("<img src=x"), "{section:?}");
        assert!(!html.contains("<b>mallory"), "{section:?}");
        assert!(!html.contains("href=\"javascript"), "{section:?}");
        assert!(!html.contains("style="), "{section:?}");
    }
}

#[test]
fn edits_are_validated_and_keep_references() {
    let plan = demo_plan();
    // Renaming a module renames it in the phases that list it.
    let p = apply_edit(
        &plan,
        Edit::Module(0, ModuleField::Name, "bytecode cache".into()),
    )
    .expect("rename");
    assert_eq!(p.phases[0].modules[0], "bytecode cache");
    // An out-of-range target is refused with the field named.
    let err = apply_edit(&plan, Edit::Module(0, ModuleField::Target, "120".into())).unwrap_err();
    assert!(err.starts_with("module 'bccache': target must be"), "{err}");
    let err = apply_edit(&plan, Edit::Plan(PlanField::Target, "lots".into())).unwrap_err();
    assert!(err.contains("must be a number"), "{err}");
    // Efforts read like the plan file: ranges, and reversed ranges are refused.
    let p = apply_edit(&plan, Edit::Module(1, ModuleField::Effort, "4–6h".into())).expect("effort");
    assert_eq!(p.modules[1].effort.map(|e| e.label()), Some("4-6".into()));
    assert!(apply_edit(&plan, Edit::Module(1, ModuleField::Effort, "6-4".into())).is_err());
    // Removing a module takes it out of every phase.
    let p = apply_edit(&plan, Edit::RemoveModule(0)).expect("remove");
    assert!(!p.phases[0].modules.contains(&"bccache".to_string()));
    // Paths: one pattern under "path", several under "paths".
    let p = apply_edit(
        &plan,
        Edit::Module(0, ModuleField::Paths, "a.py, b/".into()),
    )
    .expect("paths");
    assert_eq!(
        (p.modules[0].path.clone(), p.modules[0].paths.len()),
        (None, 2)
    );
    // Removing the floor while a phase needs it is refused.
    assert!(apply_edit(&plan, Edit::Plan(PlanField::Floor, "".into())).is_err());
    // A phase's target edited; the plan still validates.
    let p = apply_edit(&plan, Edit::Phase(0, PhaseField::Target, "92,5".into()))
        .expect("decimal comma");
    assert_eq!(p.phases[0].target, 92.5);
    let p = apply_edit(
        &plan,
        Edit::AddModule {
            name: String::new(),
            paths: "docs/".into(),
            target: String::new(),
        },
    )
    .expect("add");
    assert_eq!(p.modules.last().map(|m| m.display_name()), Some("docs/"));
    assert!(apply_edit(
        &plan,
        Edit::AddModule {
            name: String::new(),
            paths: " ".into(),
            target: String::new()
        }
    )
    .is_err());
}

#[test]
fn view_state_sorts_like_the_cli() {
    let mut ui = PlanUi::default();
    assert_eq!((ui.sort, ui.desc), (PriorityColumn::Impact, true));
    ui.apply(UiAction::SortBy(PriorityColumn::Impact));
    assert!(!ui.desc);
    ui.apply(UiAction::SortBy(PriorityColumn::Module));
    assert_eq!((ui.sort, ui.desc), (PriorityColumn::Module, false));
    ui.apply(UiAction::QuickWins(true));
    ui.apply(UiAction::SortBy(PriorityColumn::Gap));
    assert!(!ui.quick_wins && ui.desc);
    ui.apply(UiAction::Percent("x".into(), 140.0));
    assert_eq!(
        ui.what_if.modules.get("x"),
        Some(&ModuleOverride::Percent(100.0))
    );
    ui.apply(UiAction::Done("x".into(), false));
    assert!(ui.what_if.is_empty());
}

fn pc(c: &covgap_core::Counts) -> f64 {
    covgap_core::rules::COVERAGEPY.percent(c, covgap_core::Metric::Combined)
}
