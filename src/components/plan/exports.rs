//! Exports: Markdown for a PR or issue, CSV, the plan file itself, and the gate config
//! for CI. Every text is made by covgap-core's exporters, the same the CLI prints; the
//! page only shows it (in read-only text areas) and hands it to the clipboard or a
//! download.

use super::{value_of, Ctx, GateFormat, UiAction};
use covgap_core::export::plan::{
    criteria_table, gate_config, phase_table, plan_json, plan_markdown, priority_table,
};
use yew::prelude::*;

/// `covgap plan REPORT --plan PLAN --format md`, for the view's order and what-if.
pub(super) fn markdown(c: &Ctx) -> String {
    let order = super::priority::order(c);
    plan_markdown(c.status, &order, Some(c.cheapest)) + "\n"
}

/// `covgap plan … --format csv`: priority, phase and criteria tables, an empty line apart.
pub(super) fn csv(c: &Ctx) -> String {
    let order = super::priority::order(c);
    format!(
        "{}\r\n{}\r\n{}",
        priority_table(c.status, &order).to_csv(),
        phase_table(c.status).to_csv(),
        criteria_table(c.status).to_csv()
    )
}

/// A word a POSIX shell reads back unchanged.
fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.chars()
            .all(|ch| ch.is_ascii_alphanumeric() || "-_./+=:@%".contains(ch));
    if plain {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

fn copy(c: &Ctx, what: &'static str, text: String) -> Callback<MouseEvent> {
    let d = c.dispatch.clone();
    Callback::from(move |_: MouseEvent| {
        let d = d.clone();
        crate::io::copy_text(
            &text,
            Callback::from(move |ok: bool| {
                d.dispatch(UiAction::Notice(Some(if ok {
                    format!("{what} copied to the clipboard.")
                } else {
                    format!("Could not copy the {what}: select the text below and copy it.")
                })))
            }),
        );
    })
}

fn download(name: String, mime: &'static str, text: String) -> Callback<MouseEvent> {
    Callback::from(move |_: MouseEvent| crate::io::download(&name, mime, &text))
}

pub(super) fn view(c: &Ctx) -> Html {
    let md = markdown(c);
    let csv_text = csv(c);
    let json = plan_json(&c.plan.plan);
    let base = c.base;
    let gate = gate_config(base, c.ui.gate_phase);
    let (gate_text, gate_file) = match c.ui.gate_format {
        GateFormat::Pyproject => (gate.to_pyproject(), "coverage-gate.pyproject.toml"),
        GateFormat::Coveragerc => (gate.to_coveragerc(), "coveragerc"),
    };
    let stem = c
        .plan
        .name
        .trim_end_matches(".json")
        .trim_end_matches(".plan")
        .to_string();
    let stem = if stem.is_empty() {
        "coverage-plan".to_string()
    } else {
        stem
    };
    // Without --phase the gate follows the current phase as phases pass.
    let phase_arg =
        c.ui.gate_phase
            .map(|i| format!(" --phase {}", i + 1))
            .unwrap_or_default();
    let command = format!(
        "covgap check {} --plan {}{phase_arg}",
        shell_word(&c.loaded.name),
        shell_word(&c.plan.name)
    );
    let on_phase = {
        let d = c.dispatch.clone();
        Callback::from(move |e: Event| {
            d.dispatch(UiAction::GatePhase(value_of(&e).parse::<usize>().ok()));
        })
    };
    let fmt_choice = |f: GateFormat, label: &'static str, id: &'static str| {
        let d = c.dispatch.clone();
        let on = Callback::from(move |_: Event| d.dispatch(UiAction::GateFormat(f)));
        html! {
            <label class="check"><input type="radio" name="gate-format" id={id} checked={c.ui.gate_format == f} onchange={on} />{ label }</label>
        }
    };
    html! {
        <div class="plan-exports">
            if let Some(n) = &c.ui.notice {
                <p class="notice" role="status" id="export-notice">{ n.clone() }</p>
            }
            <section class="export" aria-labelledby="export-md-title">
                <h3 id="export-md-title">{"Markdown for a PR or issue"}</h3>
                <p class="hint">
                    {"Priority table, cheapest path, phases with ✅ met / ⏳ unmet, board: what "}<code>{"covgap plan REPORT --plan PLAN --format md"}</code>{" prints"}
                    { if c.status.what_if { ", with the what-if changes (the text says so)." } else { "." } }
                </p>
                <div class="row wrap">
                    <button type="button" class="primary" id="copy-md" onclick={copy(c, "Markdown", md.clone())}>{"Copy Markdown"}</button>
                    <button type="button" id="download-md" onclick={download(format!("{stem}.md"), "text/markdown;charset=utf-8", md.clone())}>{"Download .md"}</button>
                </div>
                <label class="visually-hidden" for="export-md">{"Markdown export"}</label>
                <textarea id="export-md" readonly=true wrap="off" rows="14" spellcheck="false" value={md} />
            </section>
            <section class="export" aria-labelledby="export-csv-title">
                <h3 id="export-csv-title">{"CSV for a spreadsheet"}</h3>
                <p class="hint">{"Priority, phase and criteria tables, each with its header row, an empty line apart. Cells a spreadsheet would run as formulas start with '."}</p>
                <div class="row wrap">
                    <button type="button" id="download-csv" onclick={download(format!("{stem}.csv"), "text/csv;charset=utf-8", csv_text.clone())}>{"Download .csv"}</button>
                    <button type="button" id="copy-csv" onclick={copy(c, "CSV", csv_text.clone())}>{"Copy CSV"}</button>
                </div>
                <label class="visually-hidden" for="export-csv">{"CSV export"}</label>
                <textarea id="export-csv" readonly=true wrap="off" rows="6" spellcheck="false" value={csv_text} />
            </section>
            <section class="export" aria-labelledby="export-json-title">
                <h3 id="export-json-title">{"The plan file"}</h3>
                <p class="hint">{"Save it next to the code and commit it: "}<code>{"covgap check"}</code>{" reads it in CI. It never leaves this machine unless you put it somewhere."}</p>
                <div class="row wrap">
                    <button type="button" class="primary" id="save-plan" onclick={download(c.plan.name.clone(), "application/json", json.clone())}>{ "Save plan (" }<span class="filename">{ c.plan.name.clone() }</span>{ ")" }</button>
                    <button type="button" id="copy-json" onclick={copy(c, "Plan JSON", json.clone())}>{"Copy JSON"}</button>
                </div>
                <label class="visually-hidden" for="export-json">{"Plan file (JSON)"}</label>
                <textarea id="export-json" readonly=true wrap="off" rows="10" spellcheck="false" value={json} />
            </section>
            <section class="export" aria-labelledby="export-gate-title">
                <h3 id="export-gate-title">{"Gate config for CI"}</h3>
                <p class="hint">{"coverage.py's fail_under for a phase (the current one unless you pick another), and the per-module floors only covgap check enforces. From the report's numbers; what-if is ignored."}</p>
                <div class="row wrap">
                    <label class="field">{"Phase"}
                        <select id="gate-phase" onchange={on_phase}>
                            <option value="" selected={c.ui.gate_phase.is_none()}>{ match base.current_phase {
                                Some(i) => format!("Current (phase {})", i + 1),
                                None if base.phases.is_empty() => "The plan's target".to_string(),
                                None => "Current (every phase passes: the last)".to_string(),
                            } }</option>
                            { for base.phases.iter().map(|ph| html! {
                                <option value={ph.index.to_string()} selected={c.ui.gate_phase == Some(ph.index)}>{ format!("Phase {}: {}", ph.index + 1, ph.name) }</option>
                            }) }
                        </select>
                    </label>
                    <fieldset class="inline">
                        <legend class="visually-hidden">{"File"}</legend>
                        { fmt_choice(GateFormat::Pyproject, "pyproject.toml", "gate-pyproject") }
                        { fmt_choice(GateFormat::Coveragerc, ".coveragerc", "gate-coveragerc") }
                    </fieldset>
                </div>
                <p class="gate-value">{"fail_under = "}<strong data-field="gate-fail-under">{ gate.fail_under.to_string() }</strong>
                    { gate.phase_name.as_ref().map(|n| format!(" for {n}")).unwrap_or_default() }</p>
                <div class="row wrap">
                    <button type="button" id="copy-gate" onclick={copy(c, "Gate config", gate_text.clone())}>{"Copy config"}</button>
                    <button type="button" id="download-gate" onclick={download(gate_file.to_string(), "text/plain;charset=utf-8", gate_text.clone())}>{"Download"}</button>
                </div>
                <label class="visually-hidden" for="export-gate">{"Gate config"}</label>
                <textarea id="export-gate" readonly=true wrap="off" rows="8" spellcheck="false" value={gate_text} />
                if !gate.module_floors.is_empty() {
                    <h4>{"Per-module floors"}</h4>
                    <ul class="floors">
                        { for gate.module_floors.iter().map(|f| html! {
                            <li>
                                { super::mark(f.holds) }
                                <span class="module-name">{ f.module.clone() }</span>
                                { format!(": {} ≥ {} (now {})", f.metric.key(), super::target_text(f.floor), super::pct2(c.status, f.current)) }
                            </li>
                        }) }
                    </ul>
                }
                <p>{"In CI, fail the build while the phase is not met:"}</p>
                <pre class="command"><code id="gate-command">{ command }</code></pre>
            </section>
        </div>
    }
}
