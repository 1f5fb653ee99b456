//! Coverage over several reports: the total and every file as series in time order, the
//! recent slope, and when the target will be reached at that pace.

use super::compare::CompareError;
use super::gaps::Target;
use super::sort::human_cmp;
use super::time::{chronological_order, report_timestamp, OrderBasis, Timestamp, MICROS_PER_DAY};
use crate::model::{Counts, Metric, Report};
use crate::rules::Rules;
use serde::Serialize;
use std::collections::HashMap;

/// Projections further out than this many days (about 10,000 years) are reported as not
/// reachable: at such a pace the target is not a plan.
pub const MAX_PROJECTION_DAYS: f64 = 3_652_425.0;

/// Projections needing more than this many further reports are reported as not reachable.
pub const MAX_PROJECTION_REPORTS: f64 = 1e9;

/// How to build a trend.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TrendOptions {
    /// The target the projection aims at.
    pub target: Target,
    /// Order by `meta.timestamp` (falling back to the given order when a report has
    /// none), or keep the given order.
    pub by_timestamp: bool,
    /// Fit the slope over the last this many points; `None` for all. At least 2 are used.
    pub window: Option<usize>,
    /// The metric followed; `None`: the newest report's headline metric when every report
    /// carries it, else the first metric they all carry.
    pub metric: Option<Metric>,
}

impl Default for TrendOptions {
    fn default() -> Self {
        TrendOptions {
            target: Target::default(),
            by_timestamp: true,
            window: None,
            metric: None,
        }
    }
}

/// What one step of the slope is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SlopeUnit {
    /// A day: every report had a timestamp and they were ordered by it.
    Day,
    /// One report to the next: no usable timestamps.
    Report,
}

/// A least-squares slope over recent points.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Slope {
    /// Percentage points gained per [`SlopeUnit`] (negative: losing coverage).
    pub pp_per_unit: f64,
    /// Per day or per report.
    pub unit: SlopeUnit,
    /// How many points the fit used.
    pub points: usize,
}

/// When the target will be reached at the recent pace.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Projection {
    /// The latest point already meets the target (judged like `fail_under`).
    AlreadyMet,
    /// Fewer than two points, or no spread in time to fit a slope over.
    NotEnoughData,
    /// The slope is flat or falling (or so shallow the date is beyond
    /// [`MAX_PROJECTION_DAYS`] / [`MAX_PROJECTION_REPORTS`]): not reachable at this pace.
    NotReachable {
        /// The slope that was fitted.
        slope: Slope,
    },
    /// Reached on this date if the pace holds.
    OnDate {
        /// `YYYY-MM-DD`.
        date: String,
        /// Days after the latest report.
        days: f64,
        /// The slope that was fitted.
        slope: Slope,
    },
    /// Reached after this many further reports if the pace holds (no timestamps).
    AfterReports {
        /// Reports after the latest one.
        reports: u64,
        /// The slope that was fitted.
        slope: Slope,
    },
}

/// One report of the trend.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrendPoint {
    /// Index of the report in the list given to [`trend`].
    pub report: usize,
    /// The report's timestamp as written.
    pub timestamp: Option<String>,
    /// Its calendar date, when the timestamp could be read.
    pub date: Option<String>,
    /// Position on the slope's axis: days since the first point, or the point's index.
    pub x: f64,
    /// The report's totals.
    pub totals: Counts,
    /// The followed metric's percentage, by the report's own rules.
    pub percent: f64,
    /// Every metric all reports carry, with its percentage in this report.
    pub percents: Vec<(Metric, f64)>,
}

impl TrendPoint {
    /// The percentage of `m` at this point, when every report carries it.
    pub fn percent_of(&self, m: Metric) -> Option<f64> {
        self.percents.iter().find(|(x, _)| *x == m).map(|(_, v)| *v)
    }
}

/// One file across the trend's points (a sparkline).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FileSeries {
    /// The path.
    pub path: String,
    /// Counts at each point; `None` where the file is not in that report.
    pub counts: Vec<Option<Counts>>,
    /// The followed metric's percentage at each point; `None` where absent.
    pub percents: Vec<Option<f64>>,
}

/// Coverage across reports, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trend {
    /// The options used.
    pub options: TrendOptions,
    /// The metric followed.
    pub metric: Metric,
    /// Every metric all the reports carry, the followed one first.
    pub metrics: Vec<Metric>,
    /// The rules of the newest report: they judge the target and show the figures.
    #[serde(skip)]
    pub rules: &'static Rules,
    /// How the points were ordered.
    pub basis: OrderBasis,
    /// The unit of every slope of this trend.
    pub unit: SlopeUnit,
    /// One point per report, in order.
    pub points: Vec<TrendPoint>,
    /// Every path in any report, in human order.
    pub files: Vec<FileSeries>,
    /// The total's recent slope, when there is enough data.
    pub slope: Option<Slope>,
    /// When the total reaches the target.
    pub projection: Projection,
}

impl Trend {
    /// The total percentage at each point.
    pub fn series(&self) -> Vec<Option<f64>> {
        self.points.iter().map(|p| Some(p.percent)).collect()
    }

    /// The percentage at each point of the files whose path passes `include` (a
    /// directory, or a plan phase's files); `None` where no such file is in the report.
    pub fn series_for(&self, include: impl Fn(&str) -> bool) -> Vec<Option<f64>> {
        let mut sums: Vec<Counts> = vec![Counts::default(); self.points.len()];
        for f in self.files.iter().filter(|f| include(&f.path)) {
            for (sum, c) in sums.iter_mut().zip(&f.counts) {
                if let Some(c) = c {
                    *sum += *c;
                }
            }
        }
        sums.iter()
            .map(|c| (c.files > 0).then(|| self.rules.percent(c, self.metric)))
            .collect()
    }

    /// The slope and projection of `series` (aligned with [`Trend::points`]) toward
    /// `target`, over the trend's window.
    pub fn project(&self, series: &[Option<f64>], target: Target) -> (Option<Slope>, Projection) {
        let mut pts: Vec<(f64, f64, Option<Timestamp>)> = Vec::new();
        for (p, y) in self.points.iter().zip(series) {
            if let Some(y) = y {
                let t = p
                    .timestamp
                    .as_deref()
                    .and_then(super::time::parse_timestamp);
                pts.push((p.x, *y, t));
            }
        }
        project(&pts, target, self.options.window, self.unit, self.rules)
    }
}

/// Builds the trend of `reports` (any number; order decided by `opts`), or says why the
/// reports have no metric in common.
pub fn trend(reports: &[&Report], opts: TrendOptions) -> Result<Trend, CompareError> {
    let (order, basis) = if opts.by_timestamp {
        chronological_order(reports)
    } else {
        ((0..reports.len()).collect(), OrderBasis::GivenOrder)
    };
    let ordered: Vec<(usize, &Report)> = order
        .iter()
        .filter_map(|&i| reports.get(i).map(|r| (i, *r)))
        .collect();
    let stamps: Vec<Option<Timestamp>> = ordered.iter().map(|(_, r)| report_timestamp(r)).collect();
    let first = stamps.first().copied().flatten();
    let spread = stamps.iter().flatten().any(|t| Some(*t) != first);
    let unit = if basis == OrderBasis::Timestamps && spread {
        SlopeUnit::Day
    } else {
        SlopeUnit::Report
    };

    let (metric, metrics, rules) = match ordered.last() {
        Some(&(_, last)) => {
            let others: Vec<&Report> = ordered.iter().map(|(_, r)| *r).collect();
            let metric = super::compare::shared_metric(&others, last, opts.metric)?;
            let metrics: Vec<Metric> = std::iter::once(metric)
                .chain(
                    last.metrics
                        .iter()
                        .copied()
                        .filter(|&m| m != metric && others.iter().all(|r| r.carries(m))),
                )
                .collect();
            (metric, metrics, last.rules())
        }
        None => (
            Metric::Combined,
            vec![Metric::Combined],
            &crate::rules::COVERAGEPY,
        ),
    };
    let mut points = Vec::with_capacity(ordered.len());
    for (k, ((i, r), stamp)) in ordered.iter().zip(&stamps).enumerate() {
        let totals = r.totals();
        let x = match (unit, stamp, first) {
            (SlopeUnit::Day, Some(t), Some(f)) => {
                (t.micros - f.micros) as f64 / MICROS_PER_DAY as f64
            }
            _ => k as f64,
        };
        points.push(TrendPoint {
            report: *i,
            timestamp: r.source.timestamp.clone(),
            date: stamp.map(|t| t.date()),
            x,
            totals,
            percent: r.rules().percent(&totals, metric),
            percents: metrics
                .iter()
                .map(|&m| (m, r.rules().percent(&totals, m)))
                .collect(),
        });
    }

    let mut by_path: HashMap<&str, Vec<Option<(Counts, &Rules)>>> = HashMap::new();
    for (k, (_, r)) in ordered.iter().enumerate() {
        for f in &r.files {
            let slots = by_path
                .entry(f.path.as_str())
                .or_insert_with(|| vec![None; ordered.len()]);
            // A path listed twice in one report keeps its first entry, as in compare.
            if let Some(slot @ None) = slots.get_mut(k) {
                *slot = Some((f.counts, r.rules()));
            }
        }
    }
    let mut files: Vec<FileSeries> = by_path
        .into_iter()
        .map(|(path, at)| FileSeries {
            path: path.to_string(),
            percents: at
                .iter()
                .map(|c| c.map(|(c, rules)| rules.percent(&c, metric)))
                .collect(),
            counts: at.iter().map(|c| c.map(|(c, _)| c)).collect(),
        })
        .collect();
    files.sort_by(|a, b| human_cmp(&a.path, &b.path));

    let mut t = Trend {
        options: opts,
        metric,
        metrics,
        rules,
        basis,
        unit,
        points,
        files,
        slope: None,
        projection: Projection::NotEnoughData,
    };
    let (slope, projection) = t.project(&t.series(), opts.target);
    t.slope = slope;
    t.projection = projection;
    Ok(t)
}

/// The least-squares slope of `y` over `x`; `None` with fewer than two points or when
/// every `x` is the same.
pub fn least_squares_slope(points: &[(f64, f64)]) -> Option<f64> {
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mx = points.iter().map(|p| p.0).sum::<f64>() / n;
    let my = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mx) * (p.0 - mx)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    (sxx > 0.0 && sxx.is_finite() && sxy.is_finite()).then(|| sxy / sxx)
}

/// Projects `points` (x, percentage, timestamp), oldest first, to `target`: fits the slope
/// over the last `window` points (all when `None`, at least 2) and extends it from the
/// latest point. Aims at the target percentage itself, not at the slightly lower figure
/// that would round up to it, so the date errs late rather than early.
pub fn project(
    points: &[(f64, f64, Option<Timestamp>)],
    target: Target,
    window: Option<usize>,
    unit: SlopeUnit,
    rules: &Rules,
) -> (Option<Slope>, Projection) {
    let Some(&(_, last_y, last_t)) = points.last() else {
        return (None, Projection::NotEnoughData);
    };
    let k = window.unwrap_or(points.len()).max(2);
    let recent = points
        .get(points.len().saturating_sub(k)..)
        .unwrap_or(points);
    let xy: Vec<(f64, f64)> = recent.iter().map(|p| (p.0, p.1)).collect();
    let slope = least_squares_slope(&xy).map(|s| Slope {
        pp_per_unit: s,
        unit,
        points: xy.len(),
    });
    if rules.passes(last_y, target.percent, target.precision) {
        return (slope, Projection::AlreadyMet);
    }
    let Some(s) = slope else {
        return (None, Projection::NotEnoughData);
    };
    let steps = (target.percent - last_y) / s.pp_per_unit;
    if s.pp_per_unit <= 0.0 || !steps.is_finite() {
        return (slope, Projection::NotReachable { slope: s });
    }
    let projection = match (unit, last_t) {
        (SlopeUnit::Day, Some(t)) if steps <= MAX_PROJECTION_DAYS => {
            // Within the cap the product is far inside i64's range.
            let micros = t.micros + (steps * MICROS_PER_DAY as f64).ceil() as i64;
            Projection::OnDate {
                date: Timestamp { micros }.date(),
                days: steps,
                slope: s,
            }
        }
        // Per-day slopes come only from timestamped points; without one there is no date.
        (SlopeUnit::Day, None) => Projection::NotEnoughData,
        (SlopeUnit::Report, _) if steps <= MAX_PROJECTION_REPORTS => Projection::AfterReports {
            // Part of a report is not a report: the first whole one that gets there.
            reports: steps.ceil() as u64,
            slope: s,
        },
        _ => Projection::NotReachable { slope: s },
    };
    (slope, projection)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::time::parse_timestamp;
    use crate::rules::COVERAGEPY;

    fn t(percent: f64) -> Target {
        Target {
            percent,
            precision: 0,
        }
    }

    #[test]
    fn slope_of_exact_lines() {
        assert_eq!(
            least_squares_slope(&[(0.0, 50.0), (1.0, 52.0), (2.0, 54.0)]),
            Some(2.0)
        );
        assert_eq!(least_squares_slope(&[(0.0, 10.0), (4.0, 0.0)]), Some(-2.5));
        // Noisy: y = 1, 2, 2, 3 at x = 0..3 → slope = Σ(x−1.5)(y−2)/Σ(x−1.5)² = 3/5.
        let s = least_squares_slope(&[(0.0, 1.0), (1.0, 2.0), (2.0, 2.0), (3.0, 3.0)]);
        assert_eq!(s, Some(0.6));
        assert_eq!(least_squares_slope(&[(1.0, 1.0)]), None);
        assert_eq!(least_squares_slope(&[(1.0, 1.0), (1.0, 5.0)]), None);
    }

    fn day(s: &str) -> Option<Timestamp> {
        parse_timestamp(s)
    }

    #[test]
    fn projects_a_date_from_the_daily_slope() {
        // 60% on Jan 1, 62% on Jan 11: 0.2 pp/day; 80% needs 18 pp more = 90 days after
        // Jan 11 = April 11 (2026 is not a leap year: 20 + 28 + 31 + 11).
        let pts = [
            (0.0, 60.0, day("2026-01-01T00:00:00")),
            (10.0, 62.0, day("2026-01-11T00:00:00")),
        ];
        let (slope, p) = project(&pts, t(80.0), None, SlopeUnit::Day, &COVERAGEPY);
        let s = slope.expect("slope");
        assert!((s.pp_per_unit - 0.2).abs() < 1e-12);
        match p {
            Projection::OnDate { date, days, .. } => {
                assert_eq!(date, "2026-04-11");
                assert!((days - 90.0).abs() < 1e-9);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn projects_reports_without_timestamps() {
        // 70, 72, 74: 2 pp per report; 80 needs 6 more = 3 reports. From 73, 75 it needs 5
        // more, 2.5 reports' worth, so 3 whole reports.
        let pts = [(0.0, 70.0, None), (1.0, 72.0, None), (2.0, 74.0, None)];
        let (_, p) = project(&pts, t(80.0), None, SlopeUnit::Report, &COVERAGEPY);
        assert!(
            matches!(p, Projection::AfterReports { reports: 3, .. }),
            "{p:?}"
        );
        let pts = [(0.0, 73.0, None), (1.0, 75.0, None)];
        let (_, p) = project(&pts, t(80.0), None, SlopeUnit::Report, &COVERAGEPY);
        assert!(
            matches!(p, Projection::AfterReports { reports: 3, .. }),
            "{p:?}"
        );
    }

    #[test]
    fn says_when_it_cannot_project() {
        let flat = [(0.0, 60.0, None), (1.0, 60.0, None)];
        let (_, p) = project(&flat, t(80.0), None, SlopeUnit::Report, &COVERAGEPY);
        assert!(matches!(p, Projection::NotReachable { .. }), "{p:?}");
        let falling = [(0.0, 62.0, None), (1.0, 60.0, None)];
        let (_, p) = project(&falling, t(80.0), None, SlopeUnit::Report, &COVERAGEPY);
        match p {
            Projection::NotReachable { slope } => assert_eq!(slope.pp_per_unit, -2.0),
            other => panic!("{other:?}"),
        }
        let (_, p) = project(
            &[(0.0, 60.0, None)],
            t(80.0),
            None,
            SlopeUnit::Report,
            &COVERAGEPY,
        );
        assert_eq!(p, Projection::NotEnoughData);
        let (_, p) = project(&[], t(80.0), None, SlopeUnit::Report, &COVERAGEPY);
        assert_eq!(p, Projection::NotEnoughData);
        // 79.5 rounds to 80: met, like `fail_under`, even with a single point.
        let (_, p) = project(
            &[(0.0, 79.5, None)],
            t(80.0),
            None,
            SlopeUnit::Report,
            &COVERAGEPY,
        );
        assert_eq!(p, Projection::AlreadyMet);
        // A crawl of 1e-6 pp/day toward 20 pp more is ~55,000 years: not a plan.
        let crawl = [
            (0.0, 60.0, day("2026-01-01")),
            (1.0, 60.000001, day("2026-01-02")),
        ];
        let (_, p) = project(&crawl, t(80.0), None, SlopeUnit::Day, &COVERAGEPY);
        assert!(matches!(p, Projection::NotReachable { .. }), "{p:?}");
    }

    #[test]
    fn window_uses_only_recent_points() {
        // Falling then rising: over all points the slope is 0 (not reachable); over the
        // last two it is +5 per report, so 80 from 70 takes 2 reports.
        let pts = [
            (0.0, 70.0, None),
            (1.0, 65.0, None),
            (2.0, 60.0, None),
            (3.0, 65.0, None),
            (4.0, 70.0, None),
        ];
        let (s, p) = project(&pts, t(80.0), None, SlopeUnit::Report, &COVERAGEPY);
        assert_eq!(s.expect("slope").pp_per_unit, 0.0);
        assert!(matches!(p, Projection::NotReachable { .. }));
        let (s, p) = project(&pts, t(80.0), Some(2), SlopeUnit::Report, &COVERAGEPY);
        assert_eq!(s.expect("slope").points, 2);
        assert!(
            matches!(p, Projection::AfterReports { reports: 2, .. }),
            "{p:?}"
        );
        // A window below 2 still fits two points.
        let (s, _) = project(&pts, t(80.0), Some(0), SlopeUnit::Report, &COVERAGEPY);
        assert_eq!(s.expect("slope").points, 2);
    }
}
