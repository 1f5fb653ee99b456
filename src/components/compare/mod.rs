//! Baseline against current, and the trend over several reports.
//!
//! Every figure comes from covgap-core (`compare`, `Comparison::tree`, `trend`, the
//! exports); this module only chooses what to show and how. Its state (the pair, sort,
//! filter, floor in the URL; threshold, layout, trend options for the session) is the app
//! reducer's ([`crate::state::compare`]), so it survives switching tabs.

mod table;
mod totals;
mod trend;

use super::Effect;
use crate::fmt;
use crate::state::compare::{CompareAction, CompareUi, CompareView, FloorSource, Layout};
use crate::state::{find_report, Loaded, LoadedPlan};
use covgap_core::analysis::compare::{compare, CompareOptions};
use covgap_core::analysis::time::{chronological_order, OrderBasis};
use covgap_core::analysis::trend::{trend as trend_of, TrendOptions};
use covgap_core::analysis::{parse_timestamp, Target};
use covgap_core::display::{display_delta, display_percent};
use covgap_core::{Report, Rules};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Fewest decimals the comparison shows: changes are often fractions of a point, and at
/// 0 decimals a fall of 0.4 pp would read "-1" next to two identical-looking totals.
pub const MIN_PRECISION: u8 = 2;

/// Props of [`ComparePanel`].
#[derive(Properties, PartialEq, Clone)]
pub struct ComparePanelProps {
    /// Every loaded report, in load order.
    pub reports: Vec<Rc<Loaded>>,
    /// The report shown elsewhere (a sensible "current").
    pub current: Option<u32>,
    /// The loaded plan's floor, the default of the floor control.
    #[prop_or_default]
    pub plan_floor: Option<f64>,
    /// Display precision.
    pub precision: u8,
    /// The coverage target (for the trend's projection).
    pub target: f64,
    /// The plan, when one is loaded: its phases' targets are drawn on the trend.
    #[prop_or_default]
    pub plan: Option<Rc<LoadedPlan>>,
    /// The URL part of the panel's state.
    #[prop_or_default]
    pub view: CompareView,
    /// The session part.
    #[prop_or_default]
    pub ui: CompareUi,
    /// Changes to either.
    #[prop_or_default]
    pub on_action: Callback<CompareAction>,
    /// Copy, download, focus: done by the app shell.
    #[prop_or_default]
    pub on_effect: Callback<Effect>,
}

/// Why these two reports are compared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PairBasis {
    /// The user picked them.
    Chosen,
    /// The newest report by `meta.timestamp` against the one before it.
    Timestamps,
    /// Some report has no readable timestamp: load order decides.
    LoadOrder,
}

/// The two reports compared.
#[derive(Clone, Debug, PartialEq)]
pub struct Pair {
    /// The baseline ("last week").
    pub base: Rc<Loaded>,
    /// The current report ("this week").
    pub current: Rc<Loaded>,
    /// Why these two.
    pub basis: PairBasis,
}

/// The default pair: by timestamps, the newest report against the one just before it;
/// without readable timestamps, the report shown elsewhere (else the last loaded) against
/// the one loaded before it. `None` with fewer than two reports.
pub fn default_pair(reports: &[Rc<Loaded>], shown: Option<u32>) -> Option<Pair> {
    if reports.len() < 2 {
        return None;
    }
    let refs: Vec<&Report> = reports.iter().map(|r| &r.report).collect();
    let (order, basis) = chronological_order(&refs);
    let (b, c, basis) = match basis {
        OrderBasis::Timestamps => {
            let n = order.len();
            (order[n - 2], order[n - 1], PairBasis::Timestamps)
        }
        OrderBasis::GivenOrder => {
            let c = shown
                .and_then(|id| reports.iter().position(|r| r.id == id))
                .unwrap_or(reports.len() - 1);
            let b = if c > 0 { c - 1 } else { 1 };
            (b, c, PairBasis::LoadOrder)
        }
    };
    Some(Pair {
        base: reports.get(b)?.clone(),
        current: reports.get(c)?.clone(),
        basis,
    })
}

/// The pair the view asks for (by report key, as in the URL) when both reports are
/// loaded and differ, else the default. A choice that lands back on the default pair
/// keeps the default's reason.
pub fn resolve_pair(
    reports: &[Rc<Loaded>],
    shown: Option<u32>,
    view: &CompareView,
) -> Option<Pair> {
    let find = |key: &Option<String>| key.as_deref().and_then(|k| find_report(reports, k));
    let default = default_pair(reports, shown);
    match (find(&view.base), find(&view.current)) {
        (Some(b), Some(c)) if b.id != c.id => {
            if let Some(d) = default.filter(|d| d.base.id == b.id && d.current.id == c.id) {
                return Some(d);
            }
            Some(Pair {
                base: b.clone(),
                current: c.clone(),
                basis: PairBasis::Chosen,
            })
        }
        _ => default,
    }
}

/// The compare and trend view.
#[component]
pub fn ComparePanel(p: &ComparePanelProps) -> Html {
    if p.reports.len() < 2 {
        return html! {
            <section class="compare empty-panel" aria-labelledby="compare-title">
                <h2 id="compare-title">{"Compare & trend"}</h2>
                <p>{"Load two or more reports (for example last week's and this week's coverage.json) to see what got better, what got worse and which files fell below the floor."}</p>
                if p.reports.len() == 1 {
                    <p class="note">{"One report is loaded: drop another one anywhere on the page."}</p>
                }
            </section>
        };
    }
    html! {
        <CompareBody reports={p.reports.clone()} current={p.current} plan_floor={p.plan_floor}
            precision={p.precision} target={p.target} plan={p.plan.clone()} view={p.view.clone()}
            ui={p.ui.clone()} on_action={p.on_action.clone()} on_effect={p.on_effect.clone()} />
    }
}

/// The panel once there are two reports (its hooks run only then, always in one order).
#[component]
fn CompareBody(p: &ComparePanelProps) -> Html {
    let ui = &p.ui;
    let (floor, floor_source) = p.view.floor_in_use(p.plan_floor);
    let Some(pair) = resolve_pair(&p.reports, p.current, &p.view) else {
        return Html::default();
    };
    let prec = p.precision.max(MIN_PRECISION);
    let opts = CompareOptions {
        regression_pp: ui.threshold,
        floor: Target {
            percent: floor,
            precision: p.precision,
        },
        metric: None,
    };
    // Reports never change once loaded, so their ids stand for their contents.
    let comparison = {
        let (b, c) = (pair.base.clone(), pair.current.clone());
        use_memo(
            (
                b.id,
                c.id,
                ui.threshold.to_bits(),
                floor.to_bits(),
                p.precision,
            ),
            move |_| compare(&b.report, &c.report, opts),
        )
    };
    let tree = {
        let c = comparison.clone();
        let wanted = ui.layout == Layout::Tree;
        use_memo((pair.base.id, pair.current.id, wanted), move |_| {
            if wanted {
                (*c).as_ref().ok().map(|c| c.tree())
            } else {
                None
            }
        })
    };
    let target = Target {
        percent: p.target,
        precision: p.precision,
    };
    let trend = {
        let reports = p.reports.clone();
        let ids: Vec<u32> = reports.iter().map(|r| r.id).collect();
        let topts = TrendOptions {
            target,
            by_timestamp: ui.by_timestamp,
            window: ui.window,
            metric: None,
        };
        use_memo(
            (
                ids,
                ui.by_timestamp,
                ui.window,
                p.target.to_bits(),
                p.precision,
            ),
            move |_| {
                let refs: Vec<&Report> = reports.iter().map(|r| &r.report).collect();
                trend_of(&refs, topts)
            },
        )
    };
    let dispatch = &p.on_action;
    let comparison = match comparison.as_ref() {
        Ok(c) => c,
        Err(e) => {
            return html! {
                <section class="compare" aria-labelledby="compare-title">
                    <div class="compare-head">
                        <h2 id="compare-title">{"Compare & trend"}</h2>
                        { pickers(&p.reports, &pair, dispatch) }
                    </div>
                    <p class="verdict fail" data-field="compare-error">{ format!("These two reports cannot be compared: {e}.") }</p>
                </section>
            };
        }
    };
    let trend = trend.as_ref().as_ref().ok();

    let ctx = table::Ctx {
        c: comparison,
        ui,
        view: &p.view,
        dispatch,
        effect: &p.on_effect,
        prec,
        current: Some(pair.current.id),
        trend: trend.filter(|t| t.points.len() >= 3),
    };
    let names: Vec<String> = p.reports.iter().map(|r| fmt::path(&r.name)).collect();
    let phases: Vec<(String, f64)> = p
        .plan
        .as_ref()
        .map(|pl| {
            pl.plan
                .phases
                .iter()
                .map(|ph| (ph.name.clone(), ph.target))
                .collect()
        })
        .unwrap_or_default();
    let floor_text = format!("{}%", fmt::pct(&display_percent(floor, p.precision)));
    let floor_control = floor_control(floor, floor_source, p.plan_floor, dispatch);

    html! {
        <section class="compare" aria-labelledby="compare-title">
            <div class="compare-head">
                <h2 id="compare-title">{"Compare & trend"}</h2>
                { pickers(&p.reports, &pair, dispatch) }
                <p class="note basis" data-field="compare-basis">{ basis_text(&pair) }</p>
                { floor_control }
            </div>
            if !comparison.warnings.is_empty() {
                <ul class="warnings" aria-label="Comparison warnings">
                    { for comparison.warnings.iter().map(|w| html! { <li>{ w }</li> }) }
                </ul>
            }
            { totals::verdict(comparison, &floor_text) }
            { totals::figures(comparison, prec) }
            { totals::highlights(comparison, prec, &floor_text, dispatch, &p.on_effect) }
            { table::files_section(&ctx, tree.as_ref().as_ref()) }
            if let Some(t) = trend {
                { trend::section(&trend::Args {
                    t,
                    names: &names,
                    prec,
                    target,
                    floor,
                    floor_precision: p.precision,
                    phases: &phases,
                    ui,
                    dispatch,
                }) }
            }
        </section>
    }
}

/// The floor files are judged against: its own control, saying where its value comes
/// from (the plan's floor, the default, or set here).
fn floor_control(
    floor: f64,
    source: FloorSource,
    plan_floor: Option<f64>,
    dispatch: &Callback<CompareAction>,
) -> Html {
    let on_floor = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let v = input.value();
            match v.trim().replace(',', ".").parse::<f64>() {
                Ok(x) => d.emit(CompareAction::Floor(Some(x))),
                Err(_) if v.trim().is_empty() => d.emit(CompareAction::Floor(None)),
                Err(_) => {}
            }
        })
    };
    let reset = dispatch.reform(|_: MouseEvent| CompareAction::Floor(None));
    let pct = |v: f64| format!("{}%", fmt::pct(&v.to_string()));
    let note = match (source, plan_floor) {
        (FloorSource::Plan, _) => html! { {"From the plan's floor."} },
        (FloorSource::Default, _) => html! { {"The default: no plan with a floor is loaded."} },
        (FloorSource::Chosen, Some(pf)) => html! {<>
            {"Set here. "}
            <button type="button" class="link" id="compare-floor-reset" onclick={reset}>{ format!("Use the plan's {}", pct(pf)) }</button>
        </>},
        (FloorSource::Chosen, None) => html! {<>
            {"Set here. "}
            <button type="button" class="link" id="compare-floor-reset" onclick={reset}>{ format!("Back to the default {}", pct(crate::state::compare::DEFAULT_FLOOR)) }</button>
        </>},
    };
    html! {
        <div class="floor-control">
            <label class="field">
                <span>{"Floor (%): no file below"}</span>
                <input id="compare-floor" type="number" min="0" max="100" step="any" inputmode="decimal"
                    value={floor.to_string()} onchange={on_floor} aria-describedby="compare-floor-note" />
            </label>
            <span class="note" id="compare-floor-note" data-field="compare-floor-source">{ note }</span>
        </div>
    }
}

/// The two pickers and the swap button.
fn pickers(reports: &[Rc<Loaded>], pair: &Pair, dispatch: &Callback<CompareAction>) -> Html {
    let (b, c) = (pair.base.id, pair.current.id);
    let option = |r: &Rc<Loaded>, k: usize, selected: u32| {
        html! { <option value={r.id.to_string()} selected={r.id == selected}>{ report_label(r, k) }</option> }
    };
    // Picking the other side's report swaps the two, so the pair never compares a report
    // with itself.
    let on_base = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(id) = input.value().parse::<u32>() {
                let current = if id == c { b } else { c };
                d.emit(CompareAction::Pick { base: id, current });
            }
        })
    };
    let on_current = {
        let d = dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(id) = input.value().parse::<u32>() {
                let base = if id == b { c } else { b };
                d.emit(CompareAction::Pick { base, current: id });
            }
        })
    };
    let d = dispatch.clone();
    let swap = Callback::from(move |_: MouseEvent| {
        d.emit(CompareAction::Pick {
            base: c,
            current: b,
        })
    });
    html! {
        <div class="pickers">
            <label class="field">
                <span>{"Baseline (before)"}</span>
                <select id="compare-base" onchange={on_base}>
                    { for reports.iter().enumerate().map(|(k, r)| option(r, k, b)) }
                </select>
            </label>
            <button type="button" id="compare-swap" class="swap" onclick={swap} title="Swap baseline and current">
                <span aria-hidden="true">{"⇄ "}</span>{"Swap"}
            </button>
            <label class="field">
                <span>{"Current (after)"}</span>
                <select id="compare-current" onchange={on_current}>
                    { for reports.iter().enumerate().map(|(k, r)| option(r, k, c)) }
                </select>
            </label>
        </div>
    }
}

/// "2 · coverage.json · 2026-11-21 05:42 · 100%": reports often share a file name, so the
/// load position and the time tell them apart.
pub fn report_label(r: &Loaded, k: usize) -> String {
    let when = r
        .report
        .source
        .timestamp
        .as_deref()
        .filter(|t| parse_timestamp(t).is_some())
        .map(short_time)
        .unwrap_or_else(|| "no timestamp".to_string());
    let h = r.report.headline();
    format!(
        "{} · {} · {} · {}% {}",
        k + 1,
        fmt::path(&r.name),
        when,
        fmt::pct(&r.report.rules().show(&r.totals, h, 0)),
        h.key()
    )
}

/// `2026-11-21T05:42:06.854920` → `2026-11-21 05:42` (minutes are enough to tell runs
/// apart on screen; the data table gives the timestamp as written).
pub fn short_time(t: &str) -> String {
    match (t.get(..10), t.get(11..16)) {
        (Some(d), Some(hm)) => format!("{d} {hm}"),
        _ => t.get(..10).unwrap_or(t).to_string(),
    }
}

fn basis_text(pair: &Pair) -> String {
    match pair.basis {
        PairBasis::Chosen => "Compared as you chose.",
        PairBasis::Timestamps => {
            "The baseline is the report just before the newest one, by their meta.timestamp."
        }
        PairBasis::LoadOrder => {
            "A report has no readable meta.timestamp, so load order decides: the baseline is the report loaded before the current one."
        }
    }
    .to_string()
}

// ---- shared formatting ------------------------------------------------------------------

/// "100.00%" as the report's tool shows it, with the locale's decimal separator.
fn percent(rules: &Rules, v: f64, prec: u8) -> String {
    format!("{}%", fmt::pct(&rules.display_percent(v, prec)))
}

/// A percentage, or "—" when the file is absent on that side.
fn opt_percent(rules: &Rules, v: Option<f64>, prec: u8) -> String {
    v.map_or_else(|| "—".to_string(), |v| percent(rules, v, prec))
}

/// "-98.30 pp".
fn pp_text(d: f64, prec: u8) -> String {
    format!("{} pp", fmt::pct(&display_delta(d, prec)))
}

/// "+145", "-1,888", "0".
fn signed_count(n: i64) -> String {
    let sign = match n.signum() {
        1 => "+",
        -1 => "-",
        _ => "",
    };
    format!("{sign}{}", fmt::count(n.unsigned_abs()))
}

/// Which way a change went, for the arrow and the class (colour is only a second signal).
fn direction(d: f64) -> (&'static str, &'static str) {
    if d > 0.0 {
        ("up", "▲ ")
    } else if d < 0.0 {
        ("down", "▼ ")
    } else {
        ("same", "")
    }
}

/// A change in percentage points with an arrow; the exact value rides along in
/// `data-value` for tests and scripts.
fn delta_html(d: Option<f64>, prec: u8, unit: bool) -> Html {
    match d {
        None => html! { <span class="delta none">{"—"}</span> },
        Some(d) => {
            let (class, arrow) = direction(d);
            let text = if unit {
                pp_text(d, prec)
            } else {
                fmt::pct(&display_delta(d, prec))
            };
            html! {
                <span class={classes!("delta", class)} data-value={d.to_string()}>
                    <span aria-hidden="true">{ arrow }</span>{ text }
                </span>
            }
        }
    }
}

/// A change in a count with an arrow.
fn count_delta_html(n: i64) -> Html {
    let (class, arrow) = direction(n as f64);
    html! {
        <span class={classes!("delta", class)} data-value={n.to_string()}>
            <span aria-hidden="true">{ arrow }</span>{ signed_count(n) }
        </span>
    }
}

/// "1 file" / "3 files".
fn files(n: usize) -> String {
    format!(
        "{} file{}",
        fmt::count(n as u64),
        if n == 1 { "" } else { "s" }
    )
}
