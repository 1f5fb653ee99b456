//! The compare and trend view rendered natively (Yew SSR) on real reports: the figures it
//! shows are the engine's, flags are words, report strings are text; and the panel's own
//! state transitions.

use covgap_app::components::compare::{
    default_pair, resolve_pair, ComparePanel, ComparePanelProps, PairBasis,
};
use covgap_app::state::compare::{
    apply, CompareAction, CompareUi, CompareView, FloorSource, Layout, PAGE_ROWS,
};
use covgap_app::state::{Loaded, LoadedPlan};
use covgap_core::analysis::compare::{compare, CompareFilter, CompareOptions, CompareSortKey};
use covgap_core::display::display_delta;
use covgap_core::plan::parse_plan;
use covgap_core::{parse, ParseOptions};
use std::path::Path;
use std::rc::Rc;

const P241: &str = "packaging-24.1/coveragepy-7.17.3-branch/coverage.json";
const P250: &str = "packaging-25.0/coveragepy-7.17.3-branch/coverage.json";
const SMALL: &str = "packaging-25.0/coveragepy-7.17.3-branch-contexts-small/coverage.json";
const P250_OLD: &str = "packaging-25.0/coveragepy-6.5.0-branch/coverage.json";
const P250_744: &str = "packaging-25.0/coveragepy-7.4.4-branch/coverage.json";

fn bytes(rel: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read(&p).expect("fixture")
}

fn loaded_from(id: u32, name: &str, b: &[u8]) -> Rc<Loaded> {
    let r = parse(name, b, ParseOptions::default()).expect("parses");
    Rc::new(Loaded::new(id, name.into(), b.len(), r))
}

fn loaded(rel: &str, id: u32, name: &str) -> Rc<Loaded> {
    loaded_from(id, name, &bytes(rel))
}

fn props(reports: Vec<Rc<Loaded>>) -> ComparePanelProps {
    ComparePanelProps {
        reports,
        current: None,
        plan_floor: None,
        precision: 0,
        target: 80.0,
        plan: None,
        view: CompareView::default(),
        ui: CompareUi::default(),
        on_action: yew::Callback::noop(),
        on_effect: yew::Callback::noop(),
    }
}

async fn render(p: ComparePanelProps) -> String {
    yew::LocalServerRenderer::<ComparePanel>::with_props(p)
        .hydratable(false)
        .render()
        .await
}

/// The text of the first element carrying `data-field="name"` (tags inside are dropped).
fn field(html: &str, name: &str) -> String {
    let key = format!("data-field=\"{name}\"");
    let at = html.find(&key).unwrap_or_else(|| panic!("no {name}"));
    let start = at + html[at..].find('>').expect("tag end") + 1;
    // Up to the element's own close: count nested opens and closes.
    let mut depth = 1usize;
    let mut i = start;
    let b = html.as_bytes();
    while i < b.len() {
        if b[i] == b'<' {
            if html[i..].starts_with("</") {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            } else if !html[i..].starts_with("<!") {
                let end = i + html[i..].find('>').expect("tag end");
                if !html[..end].ends_with('/') {
                    depth += 1;
                }
            }
        }
        i += 1;
    }
    strip_tags(&html[start..i])
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("<!--<![CDATA[-->", "")
        .replace("<!---->", "")
        .trim()
        .to_string()
}

/// The exact value the page carries for a field's change.
fn data_value(html: &str, name: &str) -> f64 {
    let key = format!("data-field=\"{name}\"");
    let at = html.find(&key).unwrap_or_else(|| panic!("no {name}"));
    let rest = &html[at..];
    let v = rest.find("data-value=\"").expect("data-value") + "data-value=\"".len();
    let end = v + rest[v..].find('"').expect("quote");
    rest[v..end].parse().expect("number")
}

fn count_rows(html: &str, table_id: &str) -> usize {
    let at = html
        .find(&format!("id=\"{table_id}\""))
        .expect("table present");
    let body = &html[at..];
    let body = &body[body.find("<tbody>").expect("tbody")..body.find("</tbody>").expect("end")];
    body.matches("<tr").count()
}

#[test]
fn default_pair_is_older_then_newer_by_timestamp_whatever_the_load_order() {
    // 25.0 (05:42) loaded first, 24.1 (05:41) second: 24.1 is still the baseline.
    let newer = loaded(P250, 1, "this-week.json");
    let older = loaded(P241, 2, "last-week.json");
    let pair = default_pair(&[newer.clone(), older.clone()], Some(2)).expect("pair");
    assert_eq!(pair.base.id, 2);
    assert_eq!(pair.current.id, 1);
    assert_eq!(pair.basis, PairBasis::Timestamps);
    // Of four timestamped reports: the newest against the one just before it.
    let four = vec![
        loaded(P250, 1, "a"),
        loaded(P250_744, 2, "b"),
        loaded(SMALL, 3, "c"),
        loaded(P250_OLD, 4, "d"),
    ];
    let pair = default_pair(&four, None).expect("pair");
    assert_eq!((pair.base.id, pair.current.id), (4, 2));
    assert!(default_pair(&four[..1], None).is_none());
}

#[test]
fn without_timestamps_load_order_and_the_shown_report_decide() {
    let strip = |rel: &str| {
        let text = String::from_utf8(bytes(rel)).expect("utf8");
        let at = text.find("\"timestamp\"").expect("has a timestamp");
        let end = at + text[at..].find(',').expect("comma") + 1;
        format!("{}{}", &text[..at], &text[end..]).into_bytes()
    };
    let a = loaded_from(1, "a.json", &strip(P241));
    let b = loaded_from(2, "b.json", &strip(P250));
    let c = loaded_from(3, "c.json", &strip(SMALL));
    let all = vec![a, b, c];
    let pair = default_pair(&all, None).expect("pair");
    assert_eq!((pair.base.id, pair.current.id), (2, 3));
    assert_eq!(pair.basis, PairBasis::LoadOrder);
    let pair = default_pair(&all, Some(2)).expect("pair");
    assert_eq!((pair.base.id, pair.current.id), (1, 2));
    let pair = default_pair(&all, Some(1)).expect("pair");
    assert_eq!((pair.base.id, pair.current.id), (2, 1));
    // A choice is kept while both reports are loaded and differ.
    let key = |id: u32| covgap_app::state::report_key(&all, id);
    let ui = CompareView {
        base: key(3),
        current: key(1),
        ..CompareView::default()
    };
    let pair = resolve_pair(&all, None, &ui).expect("pair");
    assert_eq!(
        (pair.base.id, pair.current.id, pair.basis),
        (3, 1, PairBasis::Chosen)
    );
    // Picking exactly the default pair keeps the default's reason.
    let same = CompareView {
        base: key(2),
        current: key(3),
        ..CompareView::default()
    };
    assert_eq!(
        resolve_pair(&all, None, &same).expect("pair").basis,
        PairBasis::LoadOrder
    );
    let gone = CompareView {
        base: Some("gone.json".into()),
        current: key(1),
        ..CompareView::default()
    };
    assert_eq!(
        resolve_pair(&all, None, &gone).expect("pair").basis,
        PairBasis::LoadOrder
    );
}

#[tokio::test]
async fn one_report_asks_for_another() {
    let html = render(props(vec![loaded(P241, 1, "a.json")])).await;
    assert!(html.contains("Load two or more reports"));
    assert!(html.contains("drop another one"));
    assert!(!html.contains("compare-table"));
}

#[tokio::test]
async fn real_pair_shows_the_engines_totals_added_files_and_no_flags() {
    let base = loaded(P241, 1, "packaging-24.1.json");
    let cur = loaded(P250, 2, "packaging-25.0.json");
    let c = compare(&base.report, &cur.report, CompareOptions::default()).expect("comparable");
    let html = render(props(vec![cur, base])).await;

    // Baseline picked by timestamp although loaded second.
    assert!(html.contains("by their meta.timestamp"));
    assert_eq!(field(&html, "compare-base-total"), "100.00%");
    assert_eq!(field(&html, "compare-current-total"), "100.00%");
    assert_eq!(field(&html, "compare-total-delta"), "0.00 pp");
    assert_eq!(
        data_value(&html, "compare-total-delta"),
        c.totals.headline.delta_pp
    );
    assert_eq!(field(&html, "compare-covered-delta"), "▲ +145");
    assert_eq!(field(&html, "compare-added"), "2");
    assert_eq!(field(&html, "compare-removed"), "0");
    assert_eq!(field(&html, "compare-changed"), "8");
    assert_eq!(field(&html, "compare-unchanged"), "6");
    assert!(html.contains("2 files added."));
    assert!(field(&html, "compare-verdict").starts_with("✔ Nothing broke"));
    assert!(html.contains("data-flagged=\"false\""));
    assert_eq!(field(&html, "compare-worse-count"), "(0)");
    assert_eq!(field(&html, "compare-floor-count"), "(0)");

    // Default rows: the 10 files that differ; unchanged ones are behind the filter.
    assert_eq!(count_rows(&html, "compare-table"), 10);
    assert_eq!(field(&html, "compare-row-count"), "10 of 16 files");
    assert!(html.contains("src/packaging/licenses/_spdx.py"));
    assert!(html.contains("<span aria-hidden=\"true\">+ </span>added"));
    // Changed statement sets say why there is no line-level change.
    assert!(html.contains("statements changed: line numbers may mean different code"));
    assert!(html.contains("so a line number may mean different code in each"));
    // Sortable headers are buttons inside th[aria-sort].
    assert!(html.contains(
        "<th scope=\"col\" aria-sort=\"ascending\" class=\"num\"><button type=\"button\""
    ));
    assert_eq!(html.matches("aria-sort=").count(), 6);
}

#[tokio::test]
async fn a_collapse_below_the_floor_is_flagged_in_words() {
    let base = loaded(P250, 1, "before.json");
    let cur = loaded(SMALL, 2, "after.json");
    let c = compare(&base.report, &cur.report, CompareOptions::default()).expect("comparable");
    let html = render(props(vec![base, cur])).await;

    assert_eq!(field(&html, "compare-base-total"), "100.00%");
    assert_eq!(field(&html, "compare-current-total"), "1.70%");
    assert_eq!(
        field(&html, "compare-total-delta"),
        format!("▼ {} pp", display_delta(c.totals.headline.delta_pp, 2))
    );
    assert_eq!(
        data_value(&html, "compare-total-delta"),
        c.totals.headline.delta_pp
    );
    assert_eq!(field(&html, "compare-regressions"), "14");
    assert_eq!(field(&html, "compare-below-floor"), "14");
    assert!(html.contains("data-flagged=\"true\""));
    assert!(field(&html, "compare-verdict").contains("dropped below the 50% floor"));
    assert_eq!(field(&html, "compare-worse-count"), "(14)");
    assert_eq!(field(&html, "compare-floor-count"), "(14)");
    assert_eq!(field(&html, "compare-better-count"), "(0)");
    assert!(html.contains("Show all 14 files in the table"));
    // Flags are words, with an emoji beside them.
    assert_eq!(
        html.matches("class=\"flag regression\">⚠️ regression")
            .count(),
        14
    );
    assert_eq!(
        html.matches("class=\"flag floor\">🔻 newly below floor")
            .count(),
        14
    );
    // Same statements: the lines that became missing are listed.
    assert!(html.contains("<td class=\"missing lost\">11-109</td>"));
    assert!(html.contains("<td class=\"missing nothing\">none</td>"));
    // Branches figure: 650 → 0 covered.
    assert!(html.contains("650 → 0 covered"));
}

#[tokio::test]
async fn a_threshold_above_the_fall_clears_regressions_not_the_floor() {
    let mut p = props(vec![loaded(P250, 1, "a.json"), loaded(SMALL, 2, "b.json")]);
    p.ui = CompareUi {
        threshold: 100.0,
        ..CompareUi::default()
    };
    let html = render(p).await;
    assert_eq!(field(&html, "compare-regressions"), "0");
    assert_eq!(field(&html, "compare-below-floor"), "14");
    assert!(html.contains("No file fell by more than 100 pp."));
}

#[tokio::test]
async fn the_floor_is_judged_like_fail_under_at_the_given_floor() {
    // At a floor of 0 nothing can drop below it.
    let mut p = props(vec![loaded(P250, 1, "a.json"), loaded(SMALL, 2, "b.json")]);
    p.view.floor = Some(0.0);
    let html = render(p).await;
    assert_eq!(field(&html, "compare-below-floor"), "0");
    assert_eq!(field(&html, "compare-regressions"), "14");
}

#[tokio::test]
async fn the_tree_rolls_up_baseline_and_current() {
    let mut p = props(vec![loaded(P241, 1, "a.json"), loaded(P250, 2, "b.json")]);
    p.ui = CompareUi {
        layout: Layout::Tree,
        ..CompareUi::default()
    };
    p.view.filter = CompareFilter::All;
    let html = render(p).await;
    assert!(html.contains("compare-tree"));
    // The top directory: 14 files before, 16 now, +145 covered statements.
    let at = html
        .find("data-path=\"src/packaging\"")
        .expect("top dir row");
    let row = &html[at..at + html[at..].find("</tr>").expect("row end")];
    assert!(row.contains("aria-expanded=\"true\""), "{row}");
    assert!(row.contains("14 → 16"), "{row}");
    assert!(row.contains("+145"), "{row}");
    // Its sub-directory is closed by default, its files are listed.
    assert!(html.contains("data-path=\"src/packaging/licenses\""));
    assert!(!html.contains("data-path=\"src/packaging/licenses/_spdx.py\""));
    assert!(html.contains("data-path=\"src/packaging/version.py\""));
}

#[tokio::test]
async fn the_trend_has_a_labelled_chart_a_table_and_a_projection() {
    let reports = vec![
        loaded(P250_744, 1, "r744.json"),
        loaded(P250, 2, "r7173.json"),
        loaded(SMALL, 3, "small.json"),
        loaded(P250_OLD, 4, "r650.json"),
    ];
    let mut p = props(reports);
    p.view.filter = CompareFilter::All;
    let html = render(p).await;
    assert!(html.contains("Trend over 4 reports"));
    assert!(html.contains("role=\"img\" aria-labelledby=\"trend-chart-title trend-chart-desc\""));
    assert!(html.contains("<title id=\"trend-chart-title\">Total coverage over 4 reports</title>"));
    assert!(html.contains("Total coverage (%)"));
    assert!(html.contains("Time of meta.timestamp on 2026-11-21"));
    // The table beside it: oldest first by timestamp (7.17.3 05:42, small 05:53, 6.5.0
    // 05:56, 7.4.4 05:57).
    assert_eq!(count_rows(&html, "trend-table"), 4);
    let order: Vec<usize> = ["r7173.json", "small.json", "r650.json", "r744.json"]
        .iter()
        .map(|n| {
            let t = html.find("id=\"trend-table\"").expect("table");
            t + html[t..].find(n).expect("row")
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    assert!(html.contains("1.70%"));
    assert_eq!(
        field(&html, "projection-target"),
        "The target of 80% is already met."
    );
    // Per-file sparklines in the table once there are three reports or more.
    assert!(html.contains("<th scope=\"col\" title=\"Combined percentage in each loaded report, oldest first\">Trend</th>"));
    assert!(html.contains("aria-label=\"Trend: 100.00%, 100.00%, 100.00%, 100.00%\""));
    assert!(html.contains("aria-label=\"Trend: 100.00%, 0.00%, 100.00%, 100.00%\""));
    // No inline styles anywhere.
    assert!(!html.contains("style="));
}

#[tokio::test]
async fn a_falling_trend_says_plainly_it_is_not_reachable() {
    // 100% then 1.70%: falling, and the last point is below an 80% target.
    let html = render(props(vec![
        loaded(P250, 1, "a.json"),
        loaded(SMALL, 2, "b.json"),
    ]))
    .await;
    let text = field(&html, "projection-target");
    assert!(
        text.starts_with("80% is not reachable at this pace"),
        "{text}"
    );
    // Two reports: no sparkline column.
    assert!(!html.contains(">Trend</th>"));
}

#[tokio::test]
async fn plan_phases_are_reference_lines_with_their_own_projection() {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/plans/jinja2-demo.plan.json"),
    )
    .expect("plan");
    let plan = parse_plan("plan.json", &text).expect("valid plan");
    let first = plan.phases.first().expect("a phase").clone();
    let mut p = props(vec![loaded(P250, 1, "a.json"), loaded(SMALL, 2, "b.json")]);
    p.plan = Some(Rc::new(LoadedPlan {
        id: 9,
        name: "plan.json".into(),
        plan,
    }));
    let html = render(p).await;
    assert!(html.contains("class=\"ref phase\""));
    assert!(html.contains(&format!("<strong>{}: </strong>", first.name)));
    assert_eq!(html.matches("data-field=\"projection-phase\"").count(), 3);
}

#[tokio::test]
async fn hostile_paths_are_text() {
    let rel = "_malformed/hostile-filenames-valid-utf8.coverage.json";
    let mut p = props(vec![
        loaded(rel, 1, "<img src=x onerror=alert(1)>.json"),
        loaded(rel, 2, "b.json"),
    ]);
    p.view.filter = CompareFilter::All;
    let html = render(p).await;
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<img src=x"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;.json"));
    assert!(html.contains("&lt;script&gt;"));
}

#[tokio::test]
async fn big_comparisons_render_a_page_of_rows() {
    let mut files = Vec::new();
    for i in 0..450 {
        files.push(format!(
            "\"m{i}.py\": {{\"executed_lines\": [1], \"missing_lines\": [2], \"excluded_lines\": [], \
             \"summary\": {{\"covered_lines\": 1, \"num_statements\": 2, \"percent_covered\": 50.0, \
             \"missing_lines\": 1, \"excluded_lines\": 0}}}}"
        ));
    }
    let report = |ts: &str| {
        format!(
            "{{\"meta\": {{\"format\": 2, \"version\": \"7.0.0\", \"timestamp\": \"{ts}\", \
             \"branch_coverage\": false, \"show_contexts\": false}}, \"files\": {{{}}}, \
             \"totals\": {{\"covered_lines\": 450, \"num_statements\": 900, \"percent_covered\": 50.0, \
             \"missing_lines\": 450, \"excluded_lines\": 0}}}}",
            files.join(",")
        )
    };
    let a = loaded_from(1, "a.json", report("2026-01-01T00:00:00").as_bytes());
    let b = loaded_from(2, "b.json", report("2026-01-08T00:00:00").as_bytes());
    let mut p = props(vec![a, b]);
    p.view.filter = CompareFilter::All;
    let html = render(p).await;
    assert_eq!(count_rows(&html, "compare-table"), PAGE_ROWS);
    assert!(html.contains("Show more (200 of 450 shown)"));
}

#[test]
fn panel_state_transitions() {
    let mut ui = CompareUi::default();
    let mut v = CompareView::default();
    assert_eq!(v.sort, CompareSortKey::CoveredDelta);
    assert_eq!(v.filter, CompareFilter::Different);
    apply(
        &mut v,
        &mut ui,
        CompareAction::Sort(CompareSortKey::CoveredDelta),
    );
    assert!(v.desc);
    apply(&mut v, &mut ui, CompareAction::Sort(CompareSortKey::Name));
    assert_eq!((v.sort, v.desc), (CompareSortKey::Name, false));
    apply(&mut v, &mut ui, CompareAction::More);
    assert!(ui.rows_shown > PAGE_ROWS);
    apply(
        &mut v,
        &mut ui,
        CompareAction::Filter(CompareFilter::Regressions),
    );
    assert_eq!(ui.rows_shown, PAGE_ROWS);
    apply(&mut v, &mut ui, CompareAction::Threshold(250.0));
    assert_eq!(ui.threshold, 100.0);
    apply(&mut v, &mut ui, CompareAction::Threshold(f64::NAN));
    assert_eq!(ui.threshold, 100.0);
    apply(&mut v, &mut ui, CompareAction::Threshold(-3.0));
    assert_eq!(ui.threshold, 0.0);
    // The floor: the plan's by default, else 50; set here it wins; cleared, back.
    assert_eq!(v.floor_in_use(Some(60.0)), (60.0, FloorSource::Plan));
    assert_eq!(v.floor_in_use(None), (50.0, FloorSource::Default));
    apply(&mut v, &mut ui, CompareAction::Floor(Some(140.0)));
    assert_eq!(v.floor_in_use(Some(60.0)), (100.0, FloorSource::Chosen));
    apply(&mut v, &mut ui, CompareAction::Floor(Some(f64::NAN)));
    assert_eq!(v.floor, Some(100.0));
    apply(&mut v, &mut ui, CompareAction::Floor(None));
    assert_eq!(v.floor_in_use(Some(60.0)), (60.0, FloorSource::Plan));
    // Top-level directories start open, deeper ones closed.
    assert!(ui.is_open("src", true));
    assert!(!ui.is_open("src/a", false));
    apply(
        &mut v,
        &mut ui,
        CompareAction::Toggle {
            path: "src".into(),
            top: true,
        },
    );
    apply(
        &mut v,
        &mut ui,
        CompareAction::Toggle {
            path: "src/a".into(),
            top: false,
        },
    );
    assert!(!ui.is_open("src", true));
    assert!(ui.is_open("src/a", false));
    apply(
        &mut v,
        &mut ui,
        CompareAction::SetAll {
            open: true,
            paths: vec!["src".into(), "src/a".into(), "src/b".into()],
        },
    );
    assert!(ui.is_open("src", true) && ui.is_open("src/b", false));
    apply(&mut v, &mut ui, CompareAction::Window(Some(1)));
    assert_eq!(ui.window, Some(2));
}

#[tokio::test]
async fn the_floor_control_says_where_its_value_comes_from() {
    let mut p = props(vec![loaded(P250, 1, "a.json"), loaded(SMALL, 2, "b.json")]);
    let html = render(p.clone()).await;
    assert!(field(&html, "compare-floor-source").contains("The default"));
    assert!(html.contains("id=\"compare-floor\""));
    p.plan_floor = Some(60.0);
    let html = render(p.clone()).await;
    assert_eq!(
        field(&html, "compare-floor-source"),
        "From the plan's floor."
    );
    assert!(html.contains("value=\"60\""));
    p.view.floor = Some(30.0);
    let html = render(p).await;
    assert!(field(&html, "compare-floor-source").starts_with("Set here."));
    assert!(html.contains("Use the plan's 60%"));
}
