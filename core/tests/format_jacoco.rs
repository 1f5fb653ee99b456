//! The real JaCoCo XML in tests/fixtures (minimal-json 0.9.5, JaCoCo 0.8.6), read through
//! `covgap_core::parse` (detection included) and compared with what JaCoCo itself wrote:
//! the HTML report's every figure (the total row, the package row and each class row),
//! jacoco.csv (per class) and the report's own counters (EXPECTED.txt).

use covgap_core::model::{LineBranches, Region, RegionKind};
use covgap_core::rules::JACOCO;
use covgap_core::{parse, Counts, ErrorKind, Metric, ParseOptions, Report, Tally, Tool};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

const RUN: &str = "minimal-json-0.9.5/jacoco-0.8.6";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

fn load() -> Report {
    let rel = format!("{RUN}/jacoco.xml");
    let bytes = std::fs::read(fixtures().join(&rel)).expect("jacoco.xml");
    parse(&rel, &bytes, ParseOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// One row of a JaCoCo HTML table: the link (file name without `.html`), the element's
/// text, and each cell's text by the letter of its id (`c` = instruction Cov., `e` =
/// branch Cov., `f`/`g` = complexity missed/total, …), plus the bar cells' titles.
struct Row {
    href: String,
    text: String,
    cells: HashMap<char, String>,
    /// (missed, covered) from the bar images' titles: instructions (b) and branches (d);
    /// JaCoCo leaves out a bar too short to draw.
    bars: HashMap<char, (Option<u64>, Option<u64>)>,
}

fn between<'a>(s: &'a str, a: &str, b: &str) -> Option<&'a str> {
    let start = s.find(a)? + a.len();
    let end = s[start..].find(b)? + start;
    Some(&s[start..end])
}

fn grouped(s: &str) -> u64 {
    s.replace(',', "")
        .parse()
        .unwrap_or_else(|_| panic!("{s:?}"))
}

/// The body rows and the total row (`tfoot`) of a JaCoCo HTML index page.
fn html_rows(rel: &str) -> (Vec<Row>, Vec<String>) {
    let html = std::fs::read_to_string(fixtures().join(rel)).expect(rel);
    let tfoot = between(&html, "<tfoot>", "</tfoot>").expect("tfoot");
    let total: Vec<String> = tfoot
        .split("<td")
        .skip(1)
        .map(|c| between(c, ">", "</td>").expect("cell").to_string())
        .collect();
    let tbody = between(&html, "<tbody>", "</tbody>").expect("tbody");
    let mut rows = Vec::new();
    for tr in tbody.split("<tr>").skip(1) {
        let href = between(tr, "<a href=\"", ".html\"")
            .expect("href")
            .to_string();
        let text = between(tr, "\">", "</a>").map(|t| t.rsplit('>').next().unwrap_or(t));
        let text = text.expect("text").replace("&amp;", "&");
        let mut cells = HashMap::new();
        let mut bars = HashMap::new();
        for td in tr.split("<td").skip(1) {
            let Some(id) = between(td, "id=\"", "\"") else {
                continue;
            };
            let letter = id.chars().next().expect("id");
            if td.contains("class=\"bar\"") {
                let title = |colour: &str| {
                    between(td, &format!("{colour}.gif\" width="), "alt=")
                        .and_then(|s| between(s, "title=\"", "\""))
                        .map(grouped)
                };
                bars.insert(letter, (title("redbar"), title("greenbar")));
            } else if let Some(v) = between(td, ">", "</td>") {
                cells.insert(letter, v.to_string());
            }
        }
        rows.push(Row {
            href,
            text,
            cells,
            bars,
        });
    }
    (rows, total)
}

/// The cells of one HTML row from counts: "missed of total" bars, Cov. as JaCoCo shows it
/// (floored whole percent, n/a for nothing), and missed/total of the rest.
fn check_row(what: &str, c: &Counts, row: &Row) {
    let cov = |m| format!("{}%", JACOCO.show(c, m, 0)).replace("n/a%", "n/a");
    assert_eq!(
        row.cells[&'c'],
        cov(Metric::Instructions),
        "{what} instructions"
    );
    assert_eq!(row.cells[&'e'], cov(Metric::Branches), "{what} branches");
    for (bar, t) in [('b', c.instructions), ('d', c.branches)] {
        let (red, green) = row.bars[&bar];
        assert_eq!(
            red.unwrap_or(t.missing()),
            t.missing(),
            "{what} {bar} red bar"
        );
        assert_eq!(
            green.unwrap_or(t.covered),
            t.covered,
            "{what} {bar} green bar"
        );
        assert!(
            red.is_some() || green.is_some() || t.total == 0,
            "{what} {bar}"
        );
    }
    for (m, missed, total) in [
        (Metric::Complexity, 'f', 'g'),
        (Metric::Lines, 'h', 'i'),
        (Metric::Methods, 'j', 'k'),
        (Metric::Classes, 'l', 'm'),
    ] {
        let t = c.get(m);
        assert_eq!(
            grouped(&row.cells[&missed]),
            t.missing(),
            "{what} {m} missed"
        );
        assert_eq!(grouped(&row.cells[&total]), t.total, "{what} {m} total");
    }
}

fn classes(r: &Report) -> Vec<&Region> {
    r.files
        .iter()
        .flat_map(|f| f.regions.iter())
        .filter(|g| g.kind == RegionKind::Class)
        .collect()
}

#[test]
fn totals_equal_jacocos_own() {
    let r = load();
    assert_eq!(r.source.format, "jacoco-xml");
    assert_eq!(r.source.tool, Tool::JaCoCo);
    assert_eq!(r.source.format_version.as_deref(), Some("1.1"));
    assert_eq!(
        r.source.timestamp.as_deref(),
        Some("2026-11-30T23:21:07.048Z"),
        "sessioninfo start=1796080867048"
    );
    assert_eq!(
        r.metrics,
        [
            Metric::Instructions,
            Metric::Branches,
            Metric::Complexity,
            Metric::Lines,
            Metric::Methods,
            Metric::Classes
        ]
    );
    assert_eq!(r.headline(), Metric::Instructions);
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.files.len(), 15);
    let t = r.totals();
    // EXPECTED.txt: the report's counters (missed/covered).
    assert_eq!(t.instructions, Tally::new(3638, 3701));
    assert_eq!(t.branches, Tally::new(343, 356));
    assert_eq!(t.lines, Tally::new(871, 896));
    assert_eq!(t.complexity, Tally::new(436, 464));
    assert_eq!(t.methods, Tally::new(265, 280));
    assert_eq!(t.classes, Tally::new(22, 22));
    let declared = r.declared_totals.expect("declared");
    assert_eq!(
        declared,
        Counts {
            partial_branches: 0,
            ..t
        }
    );
    // The HTML total row: "63 of 3,701 | 98% | 13 of 356 | 96% | 28 | 464 | 25 | 896 |
    // 15 | 280 | 0 | 22".
    let (pkgs, total) = html_rows(&format!("{RUN}/html/index.html"));
    assert_eq!(
        total,
        [
            "Total",
            &format!("{} of 3,701", t.instructions.missing()),
            &format!("{}%", r.rules().show(&t, Metric::Instructions, 0)),
            &format!("{} of {}", t.branches.missing(), t.branches.total),
            &format!("{}%", r.rules().show(&t, Metric::Branches, 0)),
            "28",
            "464",
            "25",
            "896",
            "15",
            "280",
            "0",
            "22"
        ]
    );
    // The package row.
    assert_eq!(pkgs.len(), 1);
    check_row("package", &t, &pkgs[0]);
    // The package page's total row is the same.
    let (_, ptotal) = html_rows(&format!("{RUN}/html/com.eclipsesource.json/index.html"));
    assert_eq!(ptotal, total);
}

#[test]
fn every_class_row_of_the_html_report() {
    let r = load();
    let (rows, _) = html_rows(&format!("{RUN}/html/com.eclipsesource.json/index.html"));
    let regions = classes(&r);
    assert_eq!(rows.len(), 22);
    assert_eq!(regions.len(), 22);
    let mut shown = Vec::new();
    for row in &rows {
        let g = regions
            .iter()
            .find(|g| g.name.rsplit('/').next() == Some(row.href.as_str()))
            .unwrap_or_else(|| panic!("no class {}", row.href));
        check_row(&row.text, &g.counts, row);
        shown.push((
            row.text.clone(),
            row.cells[&'c'].clone(),
            row.cells[&'e'].clone(),
        ));
    }
    // The rows the research names: FLOOR, not rounding; n/a for no branches.
    for (class, instr, branch) in [
        ("JsonLiteral", "96%", "91%"),
        ("Location", "84%", "50%"),
        ("JsonObject", "98%", "94%"),
        ("JsonHandler", "55%", "n/a"),
        ("ParseException", "100%", "n/a"),
    ] {
        assert!(
            shown.contains(&(class.into(), instr.into(), branch.into())),
            "{class}"
        );
    }
}

#[test]
fn every_class_of_the_csv() {
    let r = load();
    let regions = classes(&r);
    let (rows, _) = html_rows(&format!("{RUN}/html/com.eclipsesource.json/index.html"));
    // The CSV names classes as the HTML shows them; the HTML links them by VM name.
    let href: HashMap<&str, &str> = rows
        .iter()
        .map(|r| (r.text.as_str(), r.href.as_str()))
        .collect();
    let csv = std::fs::read_to_string(fixtures().join(format!("{RUN}/jacoco.csv"))).expect("csv");
    let mut n = 0;
    for line in csv.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        let vm = href[c[2]];
        let g = regions
            .iter()
            .find(|g| g.name.rsplit('/').next() == Some(vm))
            .expect("class");
        let t = |missed: &str, covered: &str| {
            let (m, c): (u64, u64) = (missed.parse().expect("m"), covered.parse().expect("c"));
            Tally::new(c, m + c)
        };
        assert_eq!(g.counts.instructions, t(c[3], c[4]), "{}", c[2]);
        assert_eq!(g.counts.branches, t(c[5], c[6]), "{}", c[2]);
        assert_eq!(g.counts.lines, t(c[7], c[8]), "{}", c[2]);
        assert_eq!(g.counts.complexity, t(c[9], c[10]), "{}", c[2]);
        assert_eq!(g.counts.methods, t(c[11], c[12]), "{}", c[2]);
        n += 1;
    }
    assert_eq!(n, 22);
}

#[test]
fn source_files_lines_and_methods() {
    let r = load();
    let paths: Vec<&str> = r.files.iter().map(|f| f.path.as_str()).collect();
    assert!(paths.contains(&"com/eclipsesource/json/Json.java"));
    // Each file's counters are the sum of its classes' (JaCoCo's own invariant) except
    // LINE: a line shared by two classes (WriterConfig.java's anonymous class) counts once
    // in the file. The line elements reproduce its LINE and BRANCH counters (no warning
    // was raised).
    for f in &r.files {
        let classes: Counts = f
            .regions
            .iter()
            .filter(|g| g.kind == RegionKind::Class)
            .map(|g| g.counts)
            .sum();
        for m in r.metrics.iter().copied().filter(|&m| m != Metric::Lines) {
            assert_eq!(classes.get(m), f.counts.get(m), "{} {m}", f.path);
        }
        assert!(classes.lines.total >= f.counts.lines.total, "{}", f.path);
        assert_eq!(
            f.counts.lines.total,
            (f.executed_lines.len() + f.missing_lines.len()) as u64
        );
        let b = f.line_branches.iter().fold(Tally::default(), |t, b| {
            t + Tally::new(b.taken.into(), b.total.into())
        });
        assert_eq!(b, f.counts.branches, "{}", f.path);
    }
    // Location.java: <line nr="58" mi="3" ci="0"/> missed, nr 63 mi=0 ci=3 mb=1 cb=1
    // covered with one of two branches, nr 73 mi=1 ci=18 partly covered (covered).
    let loc = r
        .files
        .iter()
        .find(|f| f.path == "com/eclipsesource/json/Location.java")
        .expect("Location.java");
    assert_eq!(loc.missing_lines, [58, 64, 67, 70]);
    assert!(loc.executed_lines.contains(&73));
    assert!(
        loc.line_hits.is_empty(),
        "JaCoCo counts instructions, not hits"
    );
    assert_eq!(loc.hits(58, false), None);
    assert_eq!(
        loc.line_branches.first(),
        Some(&LineBranches {
            line: 63,
            taken: 1,
            total: 2
        })
    );
    assert_eq!(loc.counts.partial_branches, 4);
    assert_eq!(loc.counts.lines, Tally::new(11, 15));
    assert_eq!(JACOCO.show(&loc.counts, Metric::Instructions, 0), "84");
    // Methods: regions with their own counters and first line.
    let init = loc
        .regions
        .iter()
        .find(|g| g.kind == RegionKind::Function && g.start_line == Some(45))
        .expect("constructor");
    assert!(init.name.starts_with("<init>("), "{}", init.name);
    assert!(init.is_covered());
    let never: Vec<&Region> = r
        .files
        .iter()
        .flat_map(|f| f.regions.iter())
        .filter(|g| g.kind == RegionKind::Function && !g.is_covered())
        .collect();
    assert_eq!(never.len() as u64, r.totals().methods.missing());
}

#[test]
fn jacoco_gate() {
    let r = load();
    let t = r.totals();
    // jacoco:check LINE COVEREDRATIO, 871/896 = 0.97209…: minimum 0.9720 passes, 0.9721
    // fails (exact comparison, no rounding).
    let lines = r.rules().percent(&t, Metric::Lines);
    assert!(r.rules().passes(lines, 97.20, 0));
    assert!(!r.rules().passes(lines, 97.21, 0));
    assert!(r.rules().passes(lines, 80.0, 0));
    // A counter with nothing to count never fails (JaCoCo's NaN).
    let handler = classes(&r)
        .into_iter()
        .find(|g| g.name.ends_with("/JsonHandler"))
        .expect("JsonHandler");
    assert_eq!(handler.counts.branches.total, 0);
    assert!(r.rules().passes(
        r.rules().percent(&handler.counts, Metric::Branches),
        100.0,
        0
    ));
    assert_eq!(r.rules().show(&handler.counts, Metric::Branches, 0), "n/a");
}

#[test]
fn the_ant_build_file_beside_it_is_not_a_report() {
    let rel = format!("{RUN}/jacoco-report.build.xml");
    let bytes = std::fs::read(fixtures().join(&rel)).expect("build.xml");
    let e = parse(&rel, &bytes, ParseOptions::default()).expect_err("not a report");
    assert!(matches!(e.kind, ErrorKind::WrongFormat { .. }), "{e}");
}
