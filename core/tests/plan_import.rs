//! `import_markdown`: hand-written markdown plans read into plan files.
//!
//! The expected plans below were written BY HAND from the markdown (each value has a
//! comment naming the line it comes from), not copied from the importer's output. Every
//! imported plan must also survive the round trip through the plan parser, as
//! `covgap check` reads it.

use covgap_core::plan::{
    import_markdown, import_markdown_with, parse_plan, Effort, ExitCriteria, Impact, ImportError,
    ImportOptions, Imported, Module, Phase, Plan,
};
use std::path::Path;

fn fixture(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures")
        .join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn import(rel: &str) -> Imported {
    import_markdown(&fixture(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn module(
    name: &str,
    path: &str,
    target: Option<f64>,
    effort: Option<(f64, f64)>,
    impact: Option<Impact>,
) -> Module {
    Module {
        name: Some(name.into()),
        path: Some(path.into()),
        target,
        effort: effort.map(|(min, max)| Effort { min, max }),
        impact,
        ..Default::default()
    }
}

fn multi(name: &str, paths: &[&str]) -> Module {
    Module {
        name: Some(name.into()),
        paths: paths.iter().map(|p| p.to_string()).collect(),
        ..Default::default()
    }
}

fn phase(name: &str, target: f64, modules: &[&str], exit: ExitCriteria) -> Phase {
    Phase {
        name: name.into(),
        target,
        modules: modules.iter().map(|m| m.to_string()).collect(),
        exit,
        ..Default::default()
    }
}

fn warned_lines(i: &Imported) -> Vec<usize> {
    i.warnings.iter().map(|w| w.line).collect()
}

fn reason(i: &Imported, line: usize) -> String {
    i.warnings
        .iter()
        .filter(|w| w.line == line)
        .map(|w| w.reason.clone())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The plan as `covgap import` prints it is what the plan parser reads back.
fn assert_parses_back(plan: &Plan, what: &str) {
    let json = serde_json::to_string_pretty(plan).expect("json");
    let back = parse_plan(what, &json).unwrap_or_else(|e| panic!("{what}: {e}\n{json}"));
    assert_eq!(
        &back, plan,
        "{what}: the plan changed on the way through JSON"
    );
}

#[test]
fn seed_003_table_phases_and_success_criteria() {
    let i = import("seed-plans/003_7431c420d4458ffd.md");
    let high = Some(Impact::High);
    let medium = Some(Impact::Medium);
    let low = Some(Impact::Low);
    let expected = Plan {
        version: 1,
        name: Some("Coverage Improvement Plan".into()), // line 1
        description: None,
        target: 80.0, // line 3 "Target: 80%+"
        metric: None,
        precision: 0,
        floor: Some(50.0),    // line 299 "No module below 50% coverage"
        baseline: Some(64.0), // line 3 "Current: 64%"
        configured_fail_under: Some(80.0), // line 5 "fail_under=80", line 14
        modules: vec![
            // lines 30-35: the "Critical Gaps" table, in its order
            module(
                "kubernetes_sandbox",
                "execution/kubernetes_sandbox.py",
                Some(80.0),
                Some((4.0, 6.0)),
                high,
            ),
            module(
                "server_streamable",
                "mcp/server_streamable.py",
                Some(80.0),
                Some((3.0, 4.0)),
                high,
            ),
            module(
                "generator",
                "builder/codegen/generator.py",
                Some(70.0),
                Some((2.0, 3.0)),
                medium,
            ),
            module(
                "ast_parser",
                "builder/importer/ast_parser.py",
                Some(70.0),
                Some((2.0, 3.0)),
                medium,
            ),
            module(
                "postgres_storage",
                "compliance/gdpr/postgres_storage.py",
                Some(70.0),
                Some((1.0, 2.0)),
                low,
            ),
            module(
                "langsmith",
                "observability/langsmith.py",
                Some(60.0),
                Some((1.0, 2.0)),
                low,
            ),
        ],
        phases: vec![
            // line 45 heading names the module; line 267 "After Phase 1: 70% overall"
            phase(
                "Phase 1: kubernetes_sandbox.py (10% → 80%)",
                70.0,
                &["kubernetes_sandbox"],
                ExitCriteria::default(),
            ),
            // line 137; line 268 "75% overall"
            phase(
                "Phase 2: server_streamable.py (20% → 80%)",
                75.0,
                &["server_streamable"],
                ExitCriteria::default(),
            ),
            // line 191; modules at lines 197, 202; line 269 "79% overall"
            phase(
                "Phase 3: Builder/Codegen Modules (7-20% → 70%)",
                79.0,
                &["generator", "ast_parser"],
                ExitCriteria::default(),
            ),
            // line 209; modules at lines 215, 216; line 270 "80%+ overall";
            // line 299 "No module below 50% coverage" (files) on the last phase
            phase(
                "Phase 4: Compliance & Observability (17-26% → 60-70%)",
                80.0,
                &["postgres_storage", "langsmith"],
                ExitCriteria {
                    no_file_below_floor: true,
                    ..Default::default()
                },
            ),
        ],
    };
    assert_eq!(i.plan, expected);
    assert_parses_back(&i.plan, "003");

    assert_eq!(
        warned_lines(&i),
        vec![
            4, // Estimated Effort: 12-16 hours (whole plan)
            38, 39, 40, 41,  // well-covered reference files: current coverage only
            47,  // Current Coverage: 10% (inside phase 1)
            49,  // Priority: CRITICAL
            139, // Current Coverage: 20%
            141, // Priority: CRITICAL
            193, // Estimated Effort 4-6 hours for a phase of two modules
            211, // Estimated Effort 2-4 hours for a phase of two modules
            251, // 50% of coverage should be error handling
            278, // Temporarily lower threshold to 70% if needed
            279, // tracking issue for 80% target
            300, 301, 302, 303, // success criteria covgap cannot express
        ]
    );
    assert!(
        reason(&i, 303).contains("Test runtime remains under 5 minutes"),
        "{}",
        reason(&i, 303)
    );
    assert!(reason(&i, 49).contains("critical"), "{}", reason(&i, 49));
    assert!(reason(&i, 193).contains("2 modules"), "{}", reason(&i, 193));
    assert!(i.warnings.iter().all(|w| !w.text.is_empty()));

    // What the web page will show before the plan is used.
    let meaning = |line: usize| -> Vec<String> {
        i.understood
            .iter()
            .filter(|u| u.line == line)
            .map(|u| u.meaning.clone())
            .collect()
    };
    assert_eq!(
        meaning(30),
        vec!["module execution/kubernetes_sandbox.py, target 80%, effort 4-6h, impact high, current 10% is measured from the report, not stored"]
    );
    assert!(
        meaning(3).contains(&"plan target 80%".to_string()),
        "{:?}",
        meaning(3)
    );
    assert!(
        meaning(3).contains(&"baseline 64%".to_string()),
        "{:?}",
        meaning(3)
    );
    assert!(
        meaning(267).contains(&"phase 1 target 70%".to_string()),
        "{:?}",
        meaning(267)
    );
    // The mojibake "ğŸ”´ HIGH" of line 30 was read as high.
    assert!(fixture("seed-plans/003_7431c420d4458ffd.md").contains("ğŸ”´ HIGH"));
    // Lines inside code blocks are never read: "(CI will enforce fail_under=80)", line 263.
    assert!(i.understood.iter().all(|u| u.line != 263));
    assert!(i.warnings.iter().all(|w| w.line != 263));
    // In line order.
    assert!(i.understood.windows(2).all(|w| w[0].line <= w[1].line));
}

#[test]
fn seed_004_phases_as_headings_with_exit_criteria() {
    let i = import("seed-plans/004_aa9e2a0f2956f631.md");
    let none = ExitCriteria::default();
    let expected = Plan {
        version: 1,
        name: Some("Coverage Improvement Roadmap".into()), // line 1
        description: None,
        // No overall target anywhere: the last phase's (line 27 "Raise to 70%"), warned.
        target: 70.0,
        metric: None,
        precision: 0,
        floor: Some(50.0), // line 9 "Modules below 50% coverage", line 36 "any file dipping below 50%"
        baseline: Some(64.5), // line 4 "current unit suite reports **64.5%**"
        configured_fail_under: Some(55.0), // line 4 "Threshold raised to **55%**"
        modules: vec![
            module(
                "prediction_service",
                "src/models/prediction_service.py",
                None,
                None,
                None,
            ), // line 16
            module(
                "data_processing",
                "src/services/data_processing.py",
                None,
                None,
                None,
            ), // line 17
            module(
                "data_collection_tasks",
                "src/tasks/data_collection_tasks.py",
                None,
                None,
                None,
            ), // line 18
            module(
                "anomaly_detector",
                "src/data/quality/anomaly_detector.py",
                None,
                None,
                None,
            ), // line 22
            // line 23: two files in one item are one module
            multi(
                "quality_monitor+monitoring",
                &[
                    "src/monitoring/quality_monitor.py",
                    "src/tasks/monitoring.py",
                ],
            ),
            // line 28
            multi(
                "kafka_consumer+stream_processor",
                &[
                    "src/streaming/kafka_consumer.py",
                    "src/streaming/stream_processor.py",
                ],
            ),
            module(
                "data_lake_storage",
                "src/data/storage/data_lake_storage.py",
                None,
                None,
                None,
            ), // line 29
            module(
                "streaming_tasks",
                "src/tasks/streaming_tasks.py",
                None,
                None,
                None,
            ), // line 30
        ],
        phases: vec![
            // line 15; modules lines 16-18; line 19 "`--cov-fail-under=60`, coverage ≥61%"
            phase(
                "Phase 2 – Raise to 60%",
                60.0,
                &[
                    "prediction_service",
                    "data_processing",
                    "data_collection_tasks",
                ],
                ExitCriteria {
                    overall_at_least: Some(61.0),
                    fail_under: Some(60.0),
                    ..none.clone()
                },
            ),
            // line 21; lines 22, 23, and 24 "fallback behaviour in `prediction_service`";
            // line 25 "sustained coverage ≥66%"
            phase(
                "Phase 3 – Raise to 65%",
                65.0,
                &[
                    "anomaly_detector",
                    "quality_monitor+monitoring",
                    "prediction_service",
                ],
                ExitCriteria {
                    overall_at_least: Some(66.0),
                    ..none.clone()
                },
            ),
            // line 27; lines 28-30; line 31 "coverage ≥71%, CI updated to `--cov-fail-under=70`"
            phase(
                "Phase 4 – Raise to 70%",
                70.0,
                &[
                    "kafka_consumer+stream_processor",
                    "data_lake_storage",
                    "streaming_tasks",
                ],
                ExitCriteria {
                    overall_at_least: Some(71.0),
                    fail_under: Some(70.0),
                    ..none
                },
            ),
        ],
    };
    assert_eq!(i.plan, expected);
    assert_parses_back(&i.plan, "004");

    assert_eq!(
        warned_lines(&i),
        vec![
            6, // "Primary gaps": files with their current coverage only
            10, 11, 12, // board columns
            13, // board labels
            25, // "board items for monitoring closed"
            27, // the plan's target taken from the last phase
            31, // "documentation of streaming coverage in PR summary"
        ]
    );
    assert!(reason(&i, 13).contains("labels"), "{}", reason(&i, 13));
    assert!(reason(&i, 25).contains("board items for monitoring closed"));
    assert!(
        reason(&i, 27).contains("last phase's target 70%"),
        "{}",
        reason(&i, 27)
    );
    assert!(reason(&i, 31).contains("documentation of streaming coverage in PR summary"));
}

#[test]
fn seed_000_has_modules_but_no_target() {
    let text = fixture("seed-plans/000_4ec45890ade4d874.md");
    let err = import_markdown(&text).expect_err("no target anywhere");
    assert!(matches!(err, ImportError::NoTarget { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("no overall target found"),
        "{err}"
    );
    // line 33 "coverage for `rq_tasks` from near 0% to high baseline quickly"
    assert_eq!(
        err.warnings().iter().map(|w| w.line).collect::<Vec<_>>(),
        vec![33]
    );
    // What was understood is kept, so the user sees what a target would complete.
    let lines: Vec<usize> = err
        .understood()
        .iter()
        .filter(|u| u.meaning.starts_with("module "))
        .map(|u| u.line)
        .collect();
    assert_eq!(lines, vec![14, 15, 16]);

    // With a target given, the three "Primary modules" (lines 14-16) are the plan.
    let i = import_markdown_with(
        &text,
        &ImportOptions {
            target: Some(80.0),
            prefix: None,
        },
    )
    .expect("with a target");
    assert_eq!(
        i.plan,
        Plan {
            version: 1,
            name: Some("Coverage Mixed Hardening Design (2026-02-12)".into()),
            description: None,
            target: 80.0,
            metric: None,
            precision: 0,
            floor: None,
            baseline: None,
            configured_fail_under: None,
            modules: vec![
                module(
                    "chart_executor",
                    "services/api/chart_executor.py",
                    None,
                    None,
                    None
                ),
                module(
                    "teacher_skill_service",
                    "services/api/teacher_skill_service.py",
                    None,
                    None,
                    None
                ),
                module(
                    "rq_tasks",
                    "services/api/workers/rq_tasks.py",
                    None,
                    None,
                    None
                ),
            ],
            phases: vec![],
        }
    );
    assert_parses_back(&i.plan, "000");
}

#[test]
fn lower_case_columns_in_another_order() {
    let i = import("plans-md/lowercase-columns.md");
    let expected = Plan {
        version: 1,
        name: Some("Payments service: coverage to 85%".into()),
        description: None,
        target: 85.0, // line 3 "Target: 85%."
        metric: None,
        precision: 0,
        floor: Some(60.0),    // line 20 "no file below 60%"
        baseline: Some(71.0), // line 3 "Current coverage is 71%"
        configured_fail_under: None,
        modules: vec![
            module(
                "ledger",
                "src/payments/ledger.py",
                Some(90.0),
                Some((3.0, 3.0)),
                Some(Impact::High),
            ),
            // "85" without a % sign is still the target; "1.5 - 2 hrs"
            module(
                "refunds",
                "src/payments/refunds.py",
                Some(85.0),
                Some((1.5, 2.0)),
                Some(Impact::Medium),
            ),
            module(
                "payments",
                "src/payments/",
                Some(80.0),
                Some((4.0, 8.0)),
                Some(Impact::Low),
            ),
            // effort "M" is not hours: left out
            module(
                "fx",
                "src/payments/fx.py",
                Some(88.0),
                None,
                Some(Impact::High),
            ),
        ],
        phases: vec![
            phase(
                "Phase 1: ledger first (→ 78%)",
                78.0,
                &["ledger"],
                ExitCriteria::default(),
            ),
            phase(
                "Phase 2: the rest (→ 85%)",
                85.0,
                &["refunds", "fx", "payments"],
                // line 20, a paragraph in phase 2's section
                ExitCriteria {
                    overall_at_least: Some(85.0),
                    fail_under: Some(85.0),
                    no_file_below_floor: true,
                    ..Default::default()
                },
            ),
        ],
    };
    assert_eq!(i.plan, expected);
    assert_parses_back(&i.plan, "lowercase-columns");
    // line 9: the directory module comes before fx.py, which it contains; line 10: "M"
    assert_eq!(warned_lines(&i), vec![9, 10]);
    assert!(
        reason(&i, 9).contains("would match nothing"),
        "{}",
        reason(&i, 9)
    );
    assert!(reason(&i, 10).contains("'M'"), "{}", reason(&i, 10));
}

#[test]
fn status_line_and_phases_as_a_list() {
    let i = import("plans-md/status-list-phases.md");
    let none = ExitCriteria::default;
    let expected = Plan {
        version: 1,
        name: Some("Coverage roadmap for the CLI".into()),
        description: None,
        target: 75.0, // line 3
        metric: None,
        precision: 0,
        floor: None,
        baseline: Some(48.0), // line 3
        configured_fail_under: None,
        modules: vec![
            module("commands", "cli/commands/", None, None, None), // line 8
            module("output", "cli/output.py", None, None, None),   // line 9
        ],
        phases: vec![
            phase("Phase 1", 55.0, &[], none()),                     // line 6
            phase("Phase 2", 65.0, &["commands", "output"], none()), // line 7, items under it
            phase("Phase 3", 75.0, &[], none()),                     // line 10 "75%+"
        ],
    };
    assert_eq!(i.plan, expected);
    assert_parses_back(&i.plan, "status-list-phases");
    assert_eq!(warned_lines(&i), Vec::<usize>::new());
    // "Gap: 27 percentage points" is checked against 75 − 48, not stored.
    assert!(i
        .understood
        .iter()
        .any(|u| u.line == 3 && u.meaning.starts_with("gap 27 points")));
}

#[test]
fn no_target_is_an_error_unless_one_is_given() {
    let text = fixture("plans-md/no-target.md");
    let err = import_markdown(&text).expect_err("no target");
    assert!(matches!(err, ImportError::NoTarget { .. }), "{err:?}");
    // line 8 "Coverage is low (around 40%) on both." is not a target
    assert_eq!(
        err.warnings().iter().map(|w| w.line).collect::<Vec<_>>(),
        vec![8]
    );

    let i = import_markdown_with(
        &text,
        &ImportOptions {
            target: Some(60.0),
            prefix: Some("src/".into()),
        },
    )
    .expect("with a target");
    assert_eq!(i.plan.target, 60.0);
    assert_eq!(
        i.plan.modules,
        vec![
            module("session", "src/app/db/session.py", None, None, None),
            module("migrations", "src/app/db/migrations.py", None, None, None),
        ]
    );
    assert_parses_back(&i.plan, "no-target");

    // Prose with no target, no module and no phase is not a plan at all.
    let err = import_markdown("# Notes\n\nWe like tests.\n").expect_err("nothing");
    assert!(matches!(err, ImportError::NothingFound { .. }), "{err:?}");
    let err = import_markdown("").expect_err("empty");
    assert!(matches!(err, ImportError::NothingFound { .. }), "{err:?}");
}

#[test]
fn emoji_impacts_and_hours() {
    let i = import("plans-md/emoji-hours.md");
    let expected = Plan {
        version: 1,
        name: Some("Worker coverage push".into()),
        description: None,
        target: 70.0, // line 3 "Goal: 70% overall"; line 16 agrees
        metric: None,
        precision: 0,
        floor: Some(40.0), // line 17 "No file below 40% coverage"
        baseline: None,
        configured_fail_under: None,
        modules: vec![
            // line 9: bold, backticks, "2–3 hours" (en dash), "🔴 HIGH"
            module(
                "queue",
                "worker/queue.py",
                Some(75.0),
                Some((2.0, 3.0)),
                Some(Impact::High),
            ),
            // line 10: "~1 hour", "🟡 Medium"
            module(
                "retry",
                "worker/retry.py",
                Some(70.0),
                Some((1.0, 1.0)),
                Some(Impact::Medium),
            ),
            // line 11: "30 min" is not hours (warned)
            module(
                "metrics",
                "worker/metrics.py",
                Some(65.0),
                None,
                Some(Impact::Low),
            ),
            // line 12: "🔥 CRITICAL" is no impact covgap has (warned)
            module("cron", "worker/cron.py", Some(60.0), Some((1.0, 2.0)), None),
            // line 13: mojibake "ğŸŸ  LOW"
            module(
                "legacy",
                "worker/legacy.py",
                Some(50.0),
                Some((1.0, 2.0)),
                Some(Impact::Low),
            ),
        ],
        // No phase: "no file below 40%" has no phase to sit on; the floor stays.
        phases: vec![],
    };
    assert_eq!(i.plan, expected);
    assert_parses_back(&i.plan, "emoji-hours");
    assert_eq!(warned_lines(&i), vec![11, 12, 18]);
    assert!(reason(&i, 18).contains("Flaky tests quarantined"));
}

#[test]
fn crlf_line_endings_read_like_lf() {
    let text = fixture("plans-md/crlf.md");
    assert!(
        text.contains("\r\n"),
        "the fixture must keep its CRLF line endings"
    );
    let crlf = import_markdown(&text).expect("crlf");
    let lf = import_markdown(&text.replace("\r\n", "\n")).expect("lf");
    assert_eq!(crlf, lf);
    let expected = Plan {
        version: 1,
        name: Some("API gateway plan".into()),
        description: None,
        target: 80.0, // line 3 "Target: 80%"
        metric: None,
        precision: 0,
        floor: None,
        baseline: None,
        configured_fail_under: Some(75.0), // line 3 "fail_under = 75 today"
        modules: vec![
            module(
                "auth",
                "gateway/auth.py",
                Some(85.0),
                Some((2.0, 3.0)),
                Some(Impact::High),
            ),
            module(
                "routes",
                "gateway/routes.py",
                Some(80.0),
                Some((4.0, 6.0)),
                Some(Impact::Medium),
            ),
        ],
        phases: vec![
            phase(
                "Phase 1 – Raise to 78%",
                78.0,
                &["auth"],
                ExitCriteria::default(),
            ),
            phase(
                "Phase 2 – Raise to 80%",
                80.0,
                &["routes"],
                ExitCriteria {
                    fail_under: Some(80.0),
                    ..Default::default()
                }, // line 15
            ),
        ],
    };
    assert_eq!(crlf.plan, expected);
    assert!(crlf.warnings.is_empty(), "{:?}", crlf.warnings);
    assert!(crlf.understood.iter().all(|u| !u.text.ends_with('\r')));
    assert_parses_back(&crlf.plan, "crlf");
}

#[test]
fn module_column_without_paths() {
    let i = import("plans-md/pathless-modules.md");
    let expected = Plan {
        version: 1,
        name: Some("Billing coverage".into()),
        description: None,
        target: 75.0, // line 3; the Total row (line 10) agrees
        metric: None,
        precision: 0,
        floor: None,
        baseline: Some(52.0), // line 10, the Total row's Current
        configured_fail_under: None,
        modules: vec![
            module(
                "export",
                "billing/export.py",
                Some(60.0),
                Some((1.0, 1.0)),
                Some(Impact::Low),
            ), // line 9
            // "Invoice renderer" (line 7) has no path; the phase item on line 13 names
            // billing/invoice_renderer.py, whose stem is that name.
            module(
                "invoice_renderer",
                "billing/invoice_renderer.py",
                Some(80.0),
                Some((3.0, 3.0)),
                Some(Impact::High),
            ),
        ],
        phases: vec![phase(
            "Phase 1 – Raise to 65%",
            65.0,
            &["invoice_renderer", "export"],
            ExitCriteria::default(),
        )],
    };
    assert_eq!(i.plan, expected);
    assert_parses_back(&i.plan, "pathless-modules");
    // line 8 "Tax rules": no path anywhere, so no module
    assert_eq!(warned_lines(&i), vec![8]);
    assert!(
        reason(&i, 8).contains("'Tax rules' has no path"),
        "{}",
        reason(&i, 8)
    );
}

#[test]
fn prefix_and_target_options() {
    let text = fixture("seed-plans/003_7431c420d4458ffd.md");
    let i = import_markdown_with(
        &text,
        &ImportOptions {
            target: Some(85.0),
            prefix: Some("**/".into()),
        },
    )
    .expect("import");
    assert_eq!(i.plan.target, 85.0);
    // line 3 stated 80%: replaced, and said so
    assert!(i
        .warnings
        .iter()
        .any(|w| w.line == 3 && w.reason.contains("replaces it")));
    let paths: Vec<&str> = i.plan.modules.iter().flat_map(|m| m.patterns()).collect();
    assert_eq!(paths.first(), Some(&"**/execution/kubernetes_sandbox.py"));
    assert!(paths.iter().all(|p| p.starts_with("**/")));
    // Names stay short.
    assert_eq!(
        i.plan.modules[0].name.as_deref(),
        Some("kubernetes_sandbox")
    );
    assert_parses_back(&i.plan, "003 with options");
}

#[test]
fn small_shapes() {
    // Same stem twice: the parent directory tells them apart.
    let i = import_markdown("Target: 80%\n\n1. `a/utils.py`\n2. `b/utils.py`\n3. `c/d/io.py`\n")
        .expect("import");
    let names: Vec<&str> = i.plan.modules.iter().map(|m| m.display_name()).collect();
    assert_eq!(names, vec!["a/utils", "b/utils", "io"]);

    // "Exit criteria:" as a label with the criteria in a list below.
    let i = import_markdown(
        "# P\n\nTarget: 70%\n\n## Phase 1 – Raise to 65%\n**Exit criteria:**\n- coverage ≥ 66%\n- `fail_under = 65`\n- release notes written\n",
    )
    .expect("import");
    let ph = &i.plan.phases[0];
    assert_eq!(ph.exit.overall_at_least, Some(66.0));
    assert_eq!(ph.exit.fail_under, Some(65.0));
    assert_eq!(warned_lines(&i), vec![9]);

    // A phase without a target is left out, with a warning naming it; its modules stay.
    let i = import_markdown("Target: 70%\n\n## Phase 1: cleanup\n1. `x/y.py`\n").expect("import");
    assert!(i.plan.phases.is_empty());
    assert_eq!(i.plan.modules.len(), 1);
    assert!(
        reason(&i, 3).contains("could not read a target for phase"),
        "{}",
        reason(&i, 3)
    );

    // Conflicting targets: the first is kept and the second warned about.
    let i = import_markdown("Target: 70%\n\nOur goal: 75%\n\n1. `x/y.py`\n").expect("import");
    assert_eq!(i.plan.target, 70.0);
    assert!(
        reason(&i, 3).contains("disagrees with line 1"),
        "{}",
        reason(&i, 3)
    );

    // A percentage above 100 is not a target.
    let i = import_markdown("Target: 120%\n\n## Phase 1 – Raise to 60%\n").expect("import");
    assert_eq!(i.plan.target, 60.0);
    assert!(
        reason(&i, 1).contains("not a percentage"),
        "{}",
        reason(&i, 1)
    );
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    /// Pieces of the shapes import reads, put together in any order.
    const PIECES: &[&str] = &[
        "# T",
        "## Phase 1 – Raise to 60%",
        "## Phase 2: `a/b.py` (10% → 80%)",
        "### Modules",
        "| Module | Target | Effort | Impact |",
        "|---|---|---|---|",
        "| `x/y.py` | 80% | 2-3h | 🔴 HIGH |",
        "| Total | 70% |",
        "| a | b |",
        "1. `src/a.py`",
        "2. `src/b.py` & `src/c.py`",
        "- After Phase 3: 75%",
        "  - `src/d/`",
        "- Exit criteria: coverage ≥61%, `--cov-fail-under=60`",
        "Target: 80%+",
        "Current: 64%",
        "fail_under = 101",
        "Threshold raised to 55%",
        "No module below 50%",
        "## Success Criteria",
        "## Board",
        "- `coverage-phase-2` labels",
        "```",
        "ğŸ”´",
        "â†’",
        "→",
        "|",
        "`",
        "**",
        "%",
        "100%",
        "1e999%",
        "-",
        "1.",
        "#",
        "",
        "\r",
        "Gap: 16 percentage points",
        "**Estimated Effort:** 4-6 hours",
        "**Priority:** CRITICAL",
        "1. `a.py` (7-9% → 60-70%)",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]
        #[test]
        fn any_arrangement(picks in proptest::collection::vec(0..PIECES.len(), 0..40), junk in ".{0,40}") {
            let mut text: String = picks
                .iter()
                .filter_map(|&i| PIECES.get(i))
                .map(|s| format!("{s}\n"))
                .collect();
            text.push_str(&junk);
            if let Ok(i) = import_markdown(&text) {
                let json = serde_json::to_string_pretty(&i.plan).expect("json");
                prop_assert!(parse_plan("p.json", &json).is_ok(), "{json}");
            }
        }
    }
}
