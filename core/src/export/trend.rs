//! A trend as a table of points and one plain sentence about the projection.

use super::table::{Align, Table};
use crate::analysis::gaps::Target;
use crate::analysis::trend::{Projection, Slope, SlopeUnit, Trend};
use crate::display::{display_delta, display_percent};
use crate::model::Metric;

/// One row per report, oldest first: its position, label, date, and the three percentages.
/// `labels` names the reports in the order they were given to
/// [`trend`](crate::analysis::trend::trend) (file names, say); a missing label shows as
/// `#n`.
pub fn trend_table(t: &Trend, labels: &[String], precision: u8) -> Table {
    let head = |m: Metric| match m {
        Metric::Combined => "Cover",
        m => m.title(),
    };
    let mut cols = vec![
        ("#", Align::Right),
        ("Report", Align::Left),
        ("Date", Align::Left),
    ];
    cols.extend(t.metrics.iter().map(|&m| (head(m), Align::Right)));
    let mut table = Table::new(&cols);
    let pct = |v: f64| format!("{}%", t.rules.display_percent(v, precision));
    for (k, p) in t.points.iter().enumerate() {
        let mut row = vec![
            (k + 1).to_string(),
            labels
                .get(p.report)
                .cloned()
                .unwrap_or_else(|| format!("#{}", p.report + 1)),
            p.date.clone().unwrap_or_else(|| "—".to_string()),
        ];
        row.extend(t.metrics.iter().map(|&m| match p.percent_of(m) {
            Some(v) if p.totals.get(m.count_basis()).total > 0 || m == Metric::Combined => pct(v),
            _ => "—".to_string(),
        }));
        table.rows.push(row);
    }
    table
}

/// One row per report, oldest first, with full-precision numbers for a spreadsheet:
/// position, label, timestamp, date, then per metric its percentage, covered and total
/// (empty where a report has nothing of it).
pub fn trend_csv_table(t: &Trend, labels: &[String]) -> Table {
    let mut heads: Vec<String> = vec![
        "index".into(),
        "report".into(),
        "timestamp".into(),
        "date".into(),
    ];
    for m in &t.metrics {
        heads.push(format!("{}_percent", m.key()));
        if *m != Metric::Combined {
            heads.push(format!("{}_covered", m.key()));
            heads.push(format!("{}_total", m.key()));
        }
    }
    let cols: Vec<(&str, Align)> = heads
        .iter()
        .enumerate()
        .map(|(i, h)| {
            (
                h.as_str(),
                if i == 1 || i == 2 || i == 3 {
                    Align::Left
                } else {
                    Align::Right
                },
            )
        })
        .collect();
    let mut table = Table::new(&cols);
    for (k, p) in t.points.iter().enumerate() {
        let mut row = vec![
            (k + 1).to_string(),
            labels
                .get(p.report)
                .cloned()
                .unwrap_or_else(|| format!("#{}", p.report + 1)),
            p.timestamp.clone().unwrap_or_default(),
            p.date.clone().unwrap_or_default(),
        ];
        for &m in &t.metrics {
            let c = p.totals.get(m.count_basis());
            let has = c.total > 0 || m == Metric::Combined;
            row.push(match p.percent_of(m) {
                Some(v) if has => v.to_string(),
                _ => String::new(),
            });
            if m != Metric::Combined {
                let c = p.totals.get(m);
                row.push(c.covered.to_string());
                row.push(c.total.to_string());
            }
        }
        table.rows.push(row);
    }
    table
}

fn pace(s: &Slope, precision: u8) -> String {
    let unit = match s.unit {
        SlopeUnit::Day => "day",
        SlopeUnit::Report => "report",
    };
    format!(
        "{} pp per {unit} over the last {} reports",
        display_delta(s.pp_per_unit, precision),
        s.points
    )
}

/// The projection in one sentence, e.g. "At +0.20 pp per day over the last 3 reports, 80%
/// would be reached around 2026-04-11 (90 days after the latest report)."
pub fn projection_text(p: &Projection, target: Target, precision: u8) -> String {
    let goal = format!("{}%", display_percent(target.percent, target.precision));
    match p {
        Projection::AlreadyMet => format!("The target of {goal} is already met."),
        Projection::NotEnoughData => format!(
            "Not enough data to project when {goal} will be reached: it takes at least two \
             reports, at different times."
        ),
        Projection::NotReachable { slope } => format!(
            "{goal} is not reachable at this pace: coverage is changing by {}.",
            pace(slope, precision)
        ),
        Projection::OnDate { date, days, slope } => format!(
            "At {}, {goal} would be reached around {date} ({} days after the latest report).",
            pace(slope, precision),
            days.ceil()
        ),
        Projection::AfterReports { reports, slope } => format!(
            "At {}, {goal} would be reached in {reports} more report{}.",
            pace(slope, precision),
            if *reports == 1 { "" } else { "s" }
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slope(pp: f64, unit: SlopeUnit) -> Slope {
        Slope {
            pp_per_unit: pp,
            unit,
            points: 3,
        }
    }

    #[test]
    fn sentences() {
        let t = Target {
            percent: 80.0,
            precision: 0,
        };
        assert_eq!(
            projection_text(
                &Projection::OnDate {
                    date: "2026-04-11".into(),
                    days: 89.2,
                    slope: slope(0.2, SlopeUnit::Day)
                },
                t,
                2
            ),
            "At +0.20 pp per day over the last 3 reports, 80% would be reached around \
             2026-04-11 (90 days after the latest report)."
        );
        assert_eq!(
            projection_text(
                &Projection::NotReachable {
                    slope: slope(-1.5, SlopeUnit::Report)
                },
                t,
                2
            ),
            "80% is not reachable at this pace: coverage is changing by -1.50 pp per report \
             over the last 3 reports."
        );
        assert_eq!(
            projection_text(
                &Projection::AfterReports {
                    reports: 1,
                    slope: slope(2.0, SlopeUnit::Report)
                },
                t,
                2
            ),
            "At +2.00 pp per report over the last 3 reports, 80% would be reached in 1 more \
             report."
        );
        assert_eq!(
            projection_text(&Projection::AlreadyMet, t, 2),
            "The target of 80% is already met."
        );
    }
}
