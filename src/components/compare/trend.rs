//! The trend over every loaded report: an SVG chart of the total with the target, the
//! plan's phase targets and the floor as reference lines, the same data as a table beside
//! it, and when each target would be reached at the recent pace.

use super::{opt_percent, percent};
use crate::fmt;
use crate::state::compare::{CompareAction, CompareUi};
use covgap_core::analysis::time::OrderBasis;
use covgap_core::analysis::trend::{FileSeries, SlopeUnit, Trend};
use covgap_core::analysis::Target;
use covgap_core::display::display_percent;
use covgap_core::export::projection_text;
use covgap_core::{Metric, Rules};
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// What the trend section needs.
pub(super) struct Args<'a> {
    /// The trend of every loaded report.
    pub t: &'a Trend,
    /// The reports' names, in load order (the trend's `report` indices point here).
    pub names: &'a [String],
    /// Display precision.
    pub prec: u8,
    /// The overall target (also what `t.projection` aims at).
    pub target: Target,
    /// The floor.
    pub floor: f64,
    /// Precision the floor and target are judged at.
    pub floor_precision: u8,
    /// The plan's phases: name and overall target.
    pub phases: &'a [(String, f64)],
    /// Panel state (order, window).
    pub ui: &'a CompareUi,
    /// Where its changes go.
    pub dispatch: &'a Callback<CompareAction>,
}

// Chart geometry, in SVG user units. The SVG scales to its box and its text with it, so
// the box is kept small enough that the text stays legible on a phone.
const W: f64 = 520.0;
const H: f64 = 280.0;
const LEFT: f64 = 62.0;
const RIGHT: f64 = 26.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 54.0;
/// Least distance between two x-axis labels, so they never overlap.
const LABEL_GAP: f64 = 50.0;
/// Least vertical distance between two reference-line labels.
const REF_GAP: f64 = 13.0;

/// A horizontal reference line.
struct RefLine {
    label: String,
    value: f64,
    class: &'static str,
}

/// The y-axis range and tick step: whole tens around the data and the reference lines, so
/// that a change of a few points is visible rather than flattened on 0–100.
fn y_range(values: impl Iterator<Item = f64>) -> (f64, f64, f64) {
    let (mut lo, mut hi) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.filter(|v| v.is_finite()) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        return (0.0, 100.0, 20.0);
    }
    let mut lo = ((lo / 10.0).floor() * 10.0).clamp(0.0, 100.0);
    let mut hi = ((hi / 10.0).ceil() * 10.0).clamp(0.0, 100.0);
    if hi - lo < 10.0 {
        if hi >= 100.0 {
            lo = 90.0;
        } else {
            hi = lo + 10.0;
        }
    }
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    let span = hi - lo;
    let step = if span <= 20.0 {
        5.0
    } else if span <= 50.0 {
        10.0
    } else {
        20.0
    };
    (lo, hi, step)
}

/// `2026-11-21T05:42:06.854920` → `05:42`.
fn time_of(ts: &str) -> Option<&str> {
    ts.get(11..16)
}

/// The label under each point: dates when they differ, else times of day, else `#k`.
fn x_labels(t: &Trend) -> (Vec<String>, String) {
    let n = t.points.len();
    let dates: Vec<Option<&str>> = t.points.iter().map(|p| p.date.as_deref()).collect();
    let same_day = dates.iter().all(|d| d.is_some() && *d == dates[0]);
    match t.unit {
        SlopeUnit::Day if same_day => {
            let day = dates[0].unwrap_or_default().to_string();
            let labels = t
                .points
                .iter()
                .map(|p| {
                    p.timestamp
                        .as_deref()
                        .and_then(time_of)
                        .unwrap_or("?")
                        .to_string()
                })
                .collect();
            (labels, format!("Time of meta.timestamp on {day}"))
        }
        SlopeUnit::Day => (
            dates.iter().map(|d| d.unwrap_or("?").to_string()).collect(),
            "Date of meta.timestamp".to_string(),
        ),
        SlopeUnit::Report => (
            (1..=n).map(|k| format!("#{k}")).collect(),
            match t.basis {
                OrderBasis::Timestamps => "Report, oldest first".to_string(),
                OrderBasis::GivenOrder => "Report, in load order".to_string(),
            },
        ),
    }
}

fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

/// The chart: total coverage per report, reference lines, axes with labels and titles.
fn chart(a: &Args<'_>, refs: &[RefLine]) -> Html {
    let t = a.t;
    let pts = &t.points;
    let (lo, hi, step) = y_range(
        pts.iter()
            .map(|p| p.percent)
            .chain(refs.iter().map(|r| r.value)),
    );
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let y = |v: f64| TOP + plot_h * (1.0 - (v - lo) / (hi - lo));
    let (x0, x1) = pts
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), p| {
            (a.min(p.x), b.max(p.x))
        });
    let x = |v: f64| {
        if x1 > x0 {
            LEFT + plot_w * (v - x0) / (x1 - x0)
        } else {
            LEFT + plot_w / 2.0
        }
    };
    let (labels, x_title) = x_labels(t);
    // Thin the x labels so none overlap: keep the last, then walk back.
    let mut show = vec![false; pts.len()];
    let mut last_x = f64::INFINITY;
    for (k, p) in pts.iter().enumerate().rev() {
        let px = x(p.x);
        if last_x - px >= LABEL_GAP || k + 1 == pts.len() {
            show[k] = true;
            last_x = px;
        }
    }
    let line: String = pts
        .iter()
        .map(|p| format!("{:.1},{:.1}", x(p.x), y(p.percent)))
        .collect::<Vec<_>>()
        .join(" ");
    let mut ticks = Vec::new();
    let mut v = lo;
    while v <= hi + 1e-9 {
        ticks.push(v);
        v += step;
    }
    // Reference labels at the right edge, nudged apart when two lines are close.
    let mut placed: Vec<(f64, &RefLine)> = refs
        .iter()
        .filter(|r| r.value >= lo && r.value <= hi)
        .map(|r| (y(r.value), r))
        .collect();
    placed.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Labels sit just above their line, inside the plot; walking up from the lowest,
    // each keeps clear of the one below it.
    let mut label_y: Vec<f64> = vec![0.0; placed.len()];
    let mut below = f64::INFINITY;
    for (k, (ly, _)) in placed.iter().enumerate().rev() {
        let at = (ly - 4.0).min(below - REF_GAP).max(TOP + 10.0);
        label_y[k] = at;
        below = at;
    }
    let first = pts.first().map(|p| p.percent);
    let last = pts.last().map(|p| p.percent);
    let low = pts.iter().map(|p| p.percent).fold(f64::INFINITY, f64::min);
    let high = pts
        .iter()
        .map(|p| p.percent)
        .fold(f64::NEG_INFINITY, f64::max);
    let desc = format!(
        "Total coverage of {} reports, {}: from {} to {}, lowest {}, highest {}. Reference lines: {}. The table beside the chart has the same data.",
        pts.len(),
        if t.basis == OrderBasis::Timestamps { "oldest first by timestamp" } else { "in load order" },
        opt_percent(t.rules, first, a.prec),
        opt_percent(t.rules, last, a.prec),
        percent(t.rules, low, a.prec),
        percent(t.rules, high, a.prec),
        refs.iter().map(|r| r.label.clone()).collect::<Vec<_>>().join(", ")
    );
    html! {
        <svg class="trend-chart" id="trend-chart" viewBox={format!("0 0 {W} {H}")} role="img"
            aria-labelledby="trend-chart-title trend-chart-desc" preserveAspectRatio="xMidYMid meet">
            <title id="trend-chart-title">{ format!("Total coverage over {} reports", pts.len()) }</title>
            <desc id="trend-chart-desc">{ desc }</desc>
            <rect class="plot-bg" x={LEFT.to_string()} y={TOP.to_string()} width={plot_w.to_string()} height={plot_h.to_string()} />
            <g class="grid" aria-hidden="true">
                { for ticks.iter().map(|v| {
                    let yy = y(*v);
                    html! {<>
                        <line x1={LEFT.to_string()} x2={(LEFT + plot_w).to_string()} y1={format!("{yy:.1}")} y2={format!("{yy:.1}")} />
                        <text class="tick" x={(LEFT - 6.0).to_string()} y={format!("{:.1}", yy + 4.0)} text-anchor="end">{ format!("{v}%") }</text>
                    </>}
                }) }
            </g>
            <g class="refs" aria-hidden="true">
                { for placed.iter().zip(&label_y).map(|((ly, r), ty)| html! {<>
                    <line class={classes!("ref", r.class)} x1={LEFT.to_string()} x2={(LEFT + plot_w).to_string()} y1={format!("{ly:.1}")} y2={format!("{ly:.1}")} />
                    <text class={classes!("ref-label", r.class)} x={(LEFT + 6.0).to_string()} y={format!("{ty:.1}")}>{ short(&r.label, 34) }</text>
                </>}) }
            </g>
            <g class="axes" aria-hidden="true">
                <line x1={LEFT.to_string()} x2={LEFT.to_string()} y1={TOP.to_string()} y2={(TOP + plot_h).to_string()} />
                <line x1={LEFT.to_string()} x2={(LEFT + plot_w).to_string()} y1={(TOP + plot_h).to_string()} y2={(TOP + plot_h).to_string()} />
                { for pts.iter().enumerate().filter(|(k, _)| show[*k]).map(|(k, p)| html! {
                    <text class="tick" x={format!("{:.1}", x(p.x))} y={(TOP + plot_h + 18.0).to_string()} text-anchor="middle">{ labels.get(k).cloned().unwrap_or_default() }</text>
                }) }
                <text class="axis-title" x={(LEFT + plot_w / 2.0).to_string()} y={(H - 8.0).to_string()} text-anchor="middle">{ x_title }</text>
                <text class="axis-title" x="12" y={(TOP + plot_h / 2.0).to_string()} text-anchor="middle"
                    transform={format!("rotate(-90 12 {})", TOP + plot_h / 2.0)}>{"Total coverage (%)"}</text>
            </g>
            <polyline class="series total" points={line} />
            { for pts.iter().enumerate().map(|(k, p)| {
                let name = a.names.get(p.report).cloned().unwrap_or_default();
                html! {
                    <circle class="point" cx={format!("{:.1}", x(p.x))} cy={format!("{:.1}", y(p.percent))} r="4">
                        <title>{ format!("#{} {}: {}", k + 1, name, percent(t.rules, p.percent, a.prec)) }</title>
                    </circle>
                }
            }) }
        </svg>
    }
}

/// `2026-11-21T05:42:06.854920` → `2026-11-21 05:42:06`; the whole text is the cell's
/// title.
fn seconds(ts: &str) -> String {
    match (ts.get(..10), ts.get(11..19)) {
        (Some(d), Some(t)) => format!("{d} {t}"),
        _ => ts.to_string(),
    }
}

/// The trend's data as a table (the chart's text equivalent): one column per metric
/// every report carries, the followed one first.
fn data_table(a: &Args<'_>) -> Html {
    let t = a.t;
    let head = |m: Metric| match m {
        Metric::Combined => "Total".to_string(),
        m => m.title().to_string(),
    };
    let cols: Vec<Metric> = t
        .metrics
        .iter()
        .copied()
        .filter(|&m| {
            m == t.metric
                || m == Metric::Combined
                || t.points.iter().any(|p| p.totals.get(m).total > 0)
        })
        .collect();
    html! {
        <div class="table-wrap trend-data" tabindex="0" role="region" aria-label="Trend data">
            <table class="data" id="trend-table">
                <caption>{"Trend data (oldest first)"}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="num">{"#"}</th>
                        <th scope="col">{"Report"}</th>
                        <th scope="col">{"Timestamp"}</th>
                        { for cols.iter().map(|&m| html! { <th scope="col" class="num">{ head(m) }</th> }) }
                    </tr>
                </thead>
                <tbody>
                { for t.points.iter().enumerate().map(|(k, p)| html! {
                    <tr>
                        <td class="num">{ k + 1 }</td>
                        <th scope="row" class="path"><span class="filename">{ a.names.get(p.report).cloned().unwrap_or_default() }</span></th>
                        <td class="when" title={p.timestamp.clone()}>{ p.timestamp.as_deref().map(seconds).unwrap_or_else(|| "—".to_string()) }</td>
                        { for cols.iter().map(|&m| {
                            let field = (m == t.metric).then_some("trend-total");
                            let v = p.percent_of(m).map_or_else(|| "—".to_string(), |v| percent(t.rules, v, a.prec));
                            html! { <td class="num" data-field={field}>{ v }</td> }
                        }) }
                    </tr>
                }) }
                </tbody>
            </table>
        </div>
    }
}

/// When the target (and each phase's target) is reached at the recent pace, in words.
fn projections(a: &Args<'_>) -> Html {
    let t = a.t;
    let series = t.series();
    let mut items = vec![(
        "Target".to_string(),
        projection_text(&t.projection, a.target, a.prec),
        "target",
    )];
    for (name, goal) in a.phases {
        let target = Target {
            percent: *goal,
            precision: a.floor_precision,
        };
        let (_, p) = t.project(&series, target);
        items.push((name.clone(), projection_text(&p, target, a.prec), "phase"));
    }
    html! {
        <ul class="projections" data-field="trend-projections">
            { for items.into_iter().map(|(who, text, class)| html! {
                <li class={class}><strong>{ format!("{who}: ") }</strong><span data-field={format!("projection-{class}")}>{ text }</span></li>
            }) }
        </ul>
    }
}

/// The trend section: options, chart, data table, projections.
pub(super) fn section(a: &Args<'_>) -> Html {
    let t = a.t;
    let pct = |v: f64, p: u8| format!("{}%", fmt::pct(&display_percent(v, p)));
    let mut refs = vec![RefLine {
        label: format!("{} target", pct(a.target.percent, a.target.precision)),
        value: a.target.percent,
        class: "target",
    }];
    for (name, goal) in a.phases {
        refs.push(RefLine {
            // The value first: a long phase name is cut at the end, never its target.
            label: format!("{} {name}", pct(*goal, a.floor_precision)),
            value: *goal,
            class: "phase",
        });
    }
    refs.push(RefLine {
        label: format!("{} floor", pct(a.floor, a.floor_precision)),
        value: a.floor,
        class: "floor",
    });
    let d = a.dispatch.clone();
    let on_order = Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        d.emit(CompareAction::ByTimestamp(input.value() == "time"));
    });
    let d = a.dispatch.clone();
    let on_window = Callback::from(move |e: Event| {
        let input: HtmlInputElement = e.target_unchecked_into();
        d.emit(CompareAction::Window(input.value().parse::<usize>().ok()));
    });
    let n = t.points.len();
    let fell_back = a.ui.by_timestamp && t.basis == OrderBasis::GivenOrder;
    html! {
        <section class="trend" aria-labelledby="trend-title">
            <div class="controls">
                <h3 id="trend-title">{ format!("Trend over {n} reports") }</h3>
                <label class="field">
                    <span>{"Order"}</span>
                    <select id="trend-order" onchange={on_order}>
                        <option value="time" selected={a.ui.by_timestamp}>{"By meta.timestamp"}</option>
                        <option value="load" selected={!a.ui.by_timestamp}>{"In load order"}</option>
                    </select>
                </label>
                // With two reports there is only one line to fit: nothing to choose.
                if n > 2 {
                    <label class="field">
                        <span>{"Pace from"}</span>
                        <select id="trend-window" onchange={on_window}>
                            <option value="all" selected={a.ui.window.is_none()}>{ format!("All {n} reports") }</option>
                            { for (2..n).rev().map(|k| html! {
                                <option value={k.to_string()} selected={a.ui.window == Some(k)}>{ format!("Last {k} reports") }</option>
                            }) }
                        </select>
                    </label>
                }
            </div>
            if fell_back {
                <p class="note">{"A report has no readable meta.timestamp, so the reports are in load order."}</p>
            }
            <div class="trend-body">
                <figure class="trend-figure">
                    { chart(a, &refs) }
                    <figcaption class="legend">
                        <span class="key total"><span class="swatch" aria-hidden="true"></span>{"Total coverage"}</span>
                        { for refs.iter().map(|r| html! {
                            <span class={classes!("key", r.class)}><span class="swatch" aria-hidden="true"></span>{ r.label.clone() }</span>
                        }) }
                    </figcaption>
                </figure>
                { data_table(a) }
            </div>
            { projections(a) }
        </section>
    }
}

/// A file's combined percentage across the trend's reports, as a tiny line (gaps where the
/// file is absent), with the values in its accessible name.
pub(super) fn sparkline(rules: &Rules, s: &FileSeries, prec: u8) -> Html {
    const SW: f64 = 72.0;
    const SH: f64 = 18.0;
    let n = s.percents.len();
    let x = |k: usize| {
        if n > 1 {
            2.0 + (SW - 4.0) * k as f64 / (n - 1) as f64
        } else {
            SW / 2.0
        }
    };
    let y = |v: f64| 2.0 + (SH - 4.0) * (1.0 - v.clamp(0.0, 100.0) / 100.0);
    // One polyline per run of present values.
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (k, v) in s.percents.iter().enumerate() {
        match v {
            Some(v) => {
                if let Some(run) = runs.last_mut() {
                    run.push((x(k), y(*v)));
                }
            }
            None => runs.push(Vec::new()),
        }
    }
    let label = s
        .percents
        .iter()
        .map(|v| v.map_or_else(|| "absent".to_string(), |v| percent(rules, v, prec)))
        .collect::<Vec<_>>()
        .join(", ");
    html! {
        <svg class="spark" viewBox={format!("0 0 {SW} {SH}")} role="img" aria-label={format!("Trend: {label}")}>
            <title>{ format!("Oldest to newest: {label}") }</title>
            { for runs.iter().filter(|r| !r.is_empty()).map(|r| {
                if r.len() == 1 {
                    html! { <circle cx={format!("{:.1}", r[0].0)} cy={format!("{:.1}", r[0].1)} r="1.8" /> }
                } else {
                    let pts = r.iter().map(|(a, b)| format!("{a:.1},{b:.1}")).collect::<Vec<_>>().join(" ");
                    html! { <polyline points={pts} /> }
                }
            }) }
            if let Some((lx, ly)) = runs.iter().rev().find_map(|r| r.last().copied()) {
                <circle class="last" cx={format!("{lx:.1}")} cy={format!("{ly:.1}")} r="2" />
            }
        </svg>
    }
}
