//! Reading plan files: the shipped examples, unknown keys (named, with the keys allowed
//! there), bad values (named by key path, line and column), and round trips.

use covgap_core::export::plan::plan_json;
use covgap_core::plan::{
    parse_plan, validate, Effort, Impact, Metric, PlanError, PlanErrorKind, Status,
};
use std::path::{Path, PathBuf};

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/plans")
}

fn read(name: &str) -> String {
    std::fs::read_to_string(examples().join(name)).expect("example plan")
}

fn err(text: &str) -> PlanError {
    match parse_plan("p.json", text) {
        Ok(p) => panic!("expected an error, got {p:?}"),
        Err(e) => e,
    }
}

#[test]
fn example_plans_parse_and_round_trip() {
    for name in ["jinja2-demo.plan.json", "seed-shaped.plan.json"] {
        let plan = parse_plan(name, &read(name)).unwrap_or_else(|e| panic!("{e}"));
        assert!(validate(&plan).is_empty());
        let again = parse_plan("again.json", &plan_json(&plan)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(again, plan, "{name}");
    }
    let demo = parse_plan("d", &read("jinja2-demo.plan.json")).expect("demo");
    assert_eq!(
        (demo.version, demo.target, demo.precision, demo.floor),
        (1, 95.0, 0, Some(60.0))
    );
    assert_eq!(demo.modules.len(), 9);
    assert_eq!(demo.phases.len(), 3);
    let sandbox = &demo.modules[1];
    assert_eq!(sandbox.display_name(), "sandbox");
    assert_eq!(sandbox.effort, Some(Effort { min: 4.0, max: 6.0 }));
    assert_eq!(
        (sandbox.impact, sandbox.owner.as_deref()),
        (Some(Impact::High), Some("dana"))
    );
    assert_eq!(demo.modules[7].metric, Some(Metric::Branches));
    assert_eq!(
        demo.modules[4].patterns(),
        ["src/jinja2/visitor.py", "src/jinja2/meta.py"]
    );
    let seed = parse_plan("s", &read("seed-shaped.plan.json")).expect("seed");
    assert_eq!(seed.phases.len(), 4);
    assert_eq!(
        seed.phases[3].exit.modules_at_least,
        [
            ("version".to_string(), 90.0),
            ("specifiers".to_string(), 85.0)
        ]
    );
}

#[test]
fn the_documented_example_is_a_valid_plan() {
    let doc = std::fs::read_to_string(examples().join("../../docs/plan-format.md")).expect("docs");
    let start = doc.find("```json\n").expect("a json block") + "```json\n".len();
    let len = doc[start..].find("```").expect("block end");
    let plan =
        parse_plan("plan-format.md", &doc[start..start + len]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((plan.modules.len(), plan.phases.len()), (5, 2));
    assert_eq!(plan.phases[1].exit.modules_at_least.len(), 2);
    // The WhatIf example of the same page reads too.
    let w: covgap_core::plan::WhatIf =
        serde_json::from_str(r#"{"modules": {"bccache": "done", "sandbox": {"percent": 85}}}"#)
            .expect("what-if");
    assert_eq!(w.modules.len(), 2);
    assert!(doc.contains(r#"{"modules": {"bccache": "done", "sandbox": {"percent": 85}}}"#));
}

#[test]
fn minimal_plan_and_defaults() {
    let p = parse_plan("m.json", r#"{"version": 1, "target": 80}"#).expect("minimal");
    assert_eq!(
        (p.precision, p.floor, p.modules.len(), p.phases.len()),
        (0, None, 0, 0)
    );
    let p = parse_plan(
        "m.json",
        r#"{"version": 1, "target": 80, "modules": [{"path": "src/a.py", "status": "review", "effort": "4–6h"}]}"#,
    )
    .expect("module");
    let m = &p.modules[0];
    assert_eq!(
        (m.display_name(), m.target, m.metric, m.status),
        ("src/a.py", None, None, Some(Status::Review))
    );
    assert_eq!(m.effort.map(|e| e.midpoint()), Some(5.0));
    // Written back, defaults are left out, so a saved plan stays as short as its author wrote it.
    assert_eq!(
        plan_json(&p),
        "{\n  \"version\": 1,\n  \"target\": 80.0,\n  \"modules\": [\n    {\n      \"path\": \"src/a.py\",\n      \"effort\": \"4-6\",\n      \"status\": \"review\"\n    }\n  ]\n}\n"
    );
}

#[test]
fn unknown_keys_name_the_key_and_the_allowed_keys() {
    // Top level, with a near miss.
    let e = err("{\n  \"version\": 1,\n  \"taget\": 80\n}");
    match &e.kind {
        PlanErrorKind::UnknownKey { key, allowed } => {
            assert_eq!(key, "taget");
            assert_eq!(
                &**allowed,
                [
                    "version",
                    "name",
                    "description",
                    "target",
                    "metric",
                    "precision",
                    "floor",
                    "baseline",
                    "configured_fail_under",
                    "modules",
                    "phases"
                ]
            );
        }
        k => panic!("{k:?}"),
    }
    assert_eq!(
        (e.line, e.column, e.path.as_deref()),
        (Some(3), Some(9), None)
    );
    assert_eq!(
        e.to_string(),
        "p.json: unknown key \"taget\" (did you mean \"target\"?); allowed keys here: version, name, description, \
         target, metric, precision, floor, baseline, configured_fail_under, modules, phases [line 3, column 9]"
    );

    // Inside a module.
    let e = err(
        r#"{"version": 1, "target": 80, "modules": [{"path": "a"}, {"path": "b", "ownr": "x"}]}"#,
    );
    match &e.kind {
        PlanErrorKind::UnknownKey { key, allowed } => {
            assert_eq!(key, "ownr");
            assert!(allowed.contains(&"owner".to_string()));
        }
        k => panic!("{k:?}"),
    }
    assert_eq!(e.path.as_deref(), Some("modules[1]"));
    assert!(e.to_string().contains("did you mean \"owner\"?"), "{e}");

    // Inside exit criteria.
    let e = err(
        r#"{"version": 1, "target": 80, "phases": [{"name": "one", "target": 70, "exit": {"overall": 70}}]}"#,
    );
    match &e.kind {
        PlanErrorKind::UnknownKey { key, allowed } => {
            assert_eq!(key, "overall");
            assert_eq!(
                &**allowed,
                [
                    "overall_at_least",
                    "modules_at_least",
                    "modules_at_target",
                    "no_module_below_floor",
                    "no_file_below_floor",
                    "max_missing_statements",
                    "fail_under"
                ]
            );
        }
        k => panic!("{k:?}"),
    }
    assert_eq!(e.path.as_deref(), Some("phases[0].exit"));
}

#[test]
fn bad_values_say_what_and_where() {
    // (plan, key path, message, line)
    let plan = |body: &str| format!("{{\n  \"version\": 1,\n  \"target\": 80,\n{body}\n}}");
    let cases: Vec<(String, &str, &str, usize)> = vec![
        (
            "{\n  \"version\": 1,\n  \"target\": 120\n}".into(),
            "target",
            "target must be a percentage from 0 to 100, not 120",
            3,
        ),
        (plan("  \"precision\": 12"), "precision", "precision must be from 0 to 10 decimal places, not 12", 4),
        (plan("  \"precision\": 300"), "precision", "invalid value: integer `300`, expected a whole number from 0 to 255", 4),
        (plan("  \"floor\": -5"), "floor", "floor must be a percentage from 0 to 100, not -5", 4),
        (
            plan("  \"modules\": [\n    {\"path\": \"a.py\", \"effort\": \"6-4\"}\n  ]"),
            "modules[0].effort",
            "effort range 6-4 is reversed; write 4-6",
            5,
        ),
        (
            plan("  \"modules\": [\n    {\"path\": \"a.py\", \"effort\": \"a lot\"}\n  ]"),
            "modules[0].effort",
            "effort \"a lot\" is not hours like 3 or a range like \"4-6\"",
            5,
        ),
        (
            plan("  \"modules\": [\n    {\"path\": \"a.py\", \"impact\": \"urgent\"}\n  ]"),
            "modules[0].impact",
            "unknown value \"urgent\"; allowed values: low, medium, high",
            5,
        ),
        (
            plan("  \"modules\": [\n    {\"path\": \"a.py\", \"metric\": \"rows\"}\n  ]"),
            "modules[0].metric",
            "unknown value \"rows\"; allowed values: combined, statements, lines, branches, functions, regions, instantiations, instructions, methods, classes, complexity",
            5,
        ),
        (
            plan("  \"modules\": [\n    {\"path\": \"a.py\", \"target\": \"80%\"}\n  ]"),
            "modules[0].target",
            "invalid type: string \"80%\", expected a number",
            5,
        ),
        (
            plan("  \"modules\": [\n    {\"name\": \"a\"}\n  ]"),
            "modules[0]",
            "a module needs \"path\" (one pattern) or \"paths\" (a list)",
            5,
        ),
        (
            plan("  \"modules\": [\n    {\"path\": \"a.py\",\n     \"paths\": [\"b.py\"]}\n  ]"),
            "modules[0].paths",
            "give either \"path\" or \"paths\", not both",
            6,
        ),
        (
            plan("  \"modules\": [\n    {\"path\": \"./\"}\n  ]"),
            "modules[0].path",
            "path \"./\" is empty; use \"**\" to match every file",
            5,
        ),
        (
            plan("  \"modules\": [\n    {\"path\": \"a.py\"},\n    {\"name\": \"a.py\", \"path\": \"b.py\"}\n  ]"),
            "modules[1].name",
            "two modules are named \"a.py\"; phases refer to modules by name",
            6,
        ),
        (
            plan("  \"modules\": [{\"name\": \"core\", \"path\": \"src\"}],\n  \"phases\": [\n    {\"name\": \"one\", \"target\": 85,\n     \"modules\": [\"core\", \"cli\"]}\n  ]"),
            "phases[0].modules[1]",
            "no module is named \"cli\"; modules: core",
            7,
        ),
        (
            plan("  \"modules\": [{\"name\": \"core\", \"path\": \"src\"}],\n  \"phases\": [\n    {\"name\": \"one\", \"target\": 85,\n     \"modules\": [\"core\", \"core\"]}\n  ]"),
            "phases[0].modules[1]",
            "module \"core\" is listed twice",
            7,
        ),
        (
            plan("  \"phases\": [\n    {\"name\": \"one\", \"target\": 85,\n     \"exit\": {\"modules_at_least\": {\"core\": 90}}}\n  ]"),
            "phases[0].exit.modules_at_least.core",
            "no module is named \"core\"; modules: ",
            6,
        ),
        (
            plan("  \"modules\": [{\"name\": \"core\", \"path\": \"src\"}],\n  \"phases\": [\n    {\"name\": \"one\", \"target\": 85,\n     \"exit\": {\"modules_at_least\": {\"core\": 90, \"core\": 95}}}\n  ]"),
            "phases[0].exit.modules_at_least",
            "module \"core\" is listed twice",
            7,
        ),
        (
            plan("  \"phases\": [\n    {\"name\": \"one\", \"target\": 85,\n     \"exit\": {\"no_module_below_floor\": true}}\n  ]"),
            "phases[0].exit.no_module_below_floor",
            "no_module_below_floor needs a \"floor\" at the top of the plan",
            6,
        ),
        (
            plan("  \"phases\": [\n    {\"name\": \"one\", \"target\": 85,\n     \"exit\": {\"modules_at_target\": true}}\n  ]"),
            "phases[0].exit.modules_at_target",
            "modules_at_target needs the phase to list its \"modules\"",
            6,
        ),
        (
            plan("  \"phases\": [\n    {\"name\": \"one\", \"target\": 85,\n     \"exit\": {\"fail_under\": 101}}\n  ]"),
            "phases[0].exit.fail_under",
            "fail_under must be a percentage from 0 to 100, not 101",
            6,
        ),
        (
            plan("  \"phases\": [\n    {\"target\": 85}\n  ]"),
            "phases[0]",
            "missing key \"name\"",
            5,
        ),
        (
            plan("  \"phases\": [\n    {\"name\": \" \", \"target\": 85}\n  ]"),
            "phases[0].name",
            "a phase needs a name",
            5,
        ),
        (
            plan("  \"phases\": [\n    {\"name\": \"one\", \"target\": 85, \"exit\": {\"max_missing_statements\": -3}}\n  ]"),
            "phases[0].exit.max_missing_statements",
            "invalid value: integer `-3`, expected a whole number, 0 or more",
            5,
        ),
    ];
    for (text, path, msg, line) in &cases {
        let e = err(text);
        assert_eq!(e.path.as_deref(), Some(*path), "{text}\n{e}");
        assert!(
            e.reason().starts_with(msg),
            "{text}\nwanted {msg:?}\n   got {:?}",
            e.reason()
        );
        assert_eq!(e.line, Some(*line), "{text}\n{e}");
        assert!(e.column.is_some(), "{e}");
        assert!(e.to_string().starts_with("p.json: "));
    }
}

#[test]
fn version_is_checked_before_anything_else() {
    let e = err("{\"version\": 2, \"target\": 80, \"a_key_from_version_2\": true}");
    assert_eq!(e.kind, PlanErrorKind::UnsupportedVersion("2".into()));
    assert_eq!(e.to_string(), "p.json: plan format version 2 is not supported; this covgap reads version 1 (at version) [line 1, column 13]");
    let e = err("{\"target\": 80}");
    assert_eq!(e.kind, PlanErrorKind::MissingKey("version".into()));
    let e = err("{\"version\": \"1\", \"target\": 80}");
    assert_eq!(e.kind, PlanErrorKind::UnsupportedVersion("\"1\"".into()));
}

#[test]
fn broken_files() {
    assert_eq!(err("").kind, PlanErrorKind::Empty);
    assert_eq!(err(" \n\t").kind, PlanErrorKind::Empty);
    let e = err("{\"version\": 1, \"target\": 8");
    assert!(matches!(e.kind, PlanErrorKind::Truncated(_)), "{e:?}");
    let e = err("{\"version\": 1,, }");
    assert!(matches!(e.kind, PlanErrorKind::Syntax(_)), "{e:?}");
    assert_eq!((e.line, e.column), (Some(1), Some(15)), "{e}");
    let e = err("[1, 2]");
    assert_eq!(
        e.to_string(),
        "p.json: a plan is a JSON object ({\"version\": 1, \"target\": …}); see docs/plan-format.md [line 1, column 1]"
    );
    let e = err("{\"version\": 1, \"target\": 80} trailing");
    assert!(matches!(e.kind, PlanErrorKind::Syntax(_)), "{e:?}");
    // A byte-order mark is not an error.
    assert!(parse_plan("bom.json", "\u{FEFF}{\"version\": 1, \"target\": 80}").is_ok());
}
