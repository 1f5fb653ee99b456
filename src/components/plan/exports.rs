//! Exports: Markdown for a PR or issue (full, or the seed plans' compact table), CSV,
//! tracker issues, the plan file itself, and the gate config for CI. Every text is made by
//! covgap-core's exporters, the same the CLI prints; the page only shows it (in read-only
//! text areas) and asks the app shell to copy or download it.
//!
//! Exports are always made from the report's real numbers: a what-if active in the page
//! is said, never exported as if it were real.

use super::{value_of, Ctx, GateFormat, UiAction};
use crate::components::Effect;
use covgap_core::export::issues::{issues_csv, issues_markdown};
use covgap_core::export::plan::{
    compact_markdown, criteria_table, gate_config, phase_table, plan_json, plan_markdown,
    priority_table,
};
use covgap_core::plan::{cheapest_path, quick_wins, sort_modules, CheapestPath};
use yew::prelude::*;

/// The priority order of the view, applied to the report's real numbers.
fn real_order(c: &Ctx) -> Vec<usize> {
    if c.ui.quick_wins {
        quick_wins(&c.base.modules)
    } else {
        sort_modules(&c.base.modules, c.ui.sort, c.ui.desc)
    }
}

/// The cheapest path on the real numbers (the view's, when no what-if is active).
fn real_cheapest(c: &Ctx) -> CheapestPath {
    if c.status.what_if {
        cheapest_path(c.base, c.ui.goal.unwrap_or(c.base.target))
    } else {
        c.cheapest.clone()
    }
}

/// `covgap plan REPORT --plan PLAN --format md`, in the view's order, real numbers.
pub(super) fn markdown(c: &Ctx) -> String {
    plan_markdown(c.base, &real_order(c), Some(&real_cheapest(c))) + "\n"
}

/// `covgap plan … --format csv`: priority, phase and criteria tables, an empty line apart.
pub(super) fn csv(c: &Ctx) -> String {
    let order = real_order(c);
    format!(
        "{}\r\n{}\r\n{}",
        priority_table(c.base, &order).to_csv(),
        phase_table(c.base).to_csv(),
        criteria_table(c.base).to_csv()
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
    let fx = c.effect.clone();
    Callback::from(move |_: MouseEvent| {
        let d = d.clone();
        fx.emit(Effect::Copy {
            text: text.clone(),
            done: Callback::from(move |ok: bool| {
                d.emit(UiAction::Notice(Some(if ok {
                    format!("{what} copied to the clipboard.")
                } else {
                    format!("Could not copy the {what}: select the text below and copy it.")
                })))
            }),
        });
    })
}

fn download(c: &Ctx, name: String, mime: &'static str, text: String) -> Callback<MouseEvent> {
    let fx = c.effect.clone();
    Callback::from(move |_: MouseEvent| {
        fx.emit(Effect::Download {
            name: name.clone(),
            mime,
            text: text.clone(),
        })
    })
}

/// One export: title, hint, buttons, and the text in a read-only area.
struct Block<'a> {
    id: &'static str,
    title: &'static str,
    hint: Html,
    file: String,
    mime: &'static str,
    what: &'static str,
    text: String,
    rows: &'a str,
}

fn block(c: &Ctx, b: Block<'_>) -> Html {
    html! {
        <section class="export" aria-labelledby={format!("export-{}-title", b.id)}>
            <h3 id={format!("export-{}-title", b.id)}>{ b.title }</h3>
            <p class="hint">{ b.hint }</p>
            <div class="row wrap">
                <button type="button" id={format!("copy-{}", b.id)} onclick={copy(c, b.what, b.text.clone())}>{ format!("Copy {}", b.what) }</button>
                <button type="button" id={format!("download-{}", b.id)} onclick={download(c, b.file.clone(), b.mime, b.text.clone())}>{ format!("Download {}", b.file) }</button>
            </div>
            <label class="visually-hidden" for={format!("export-{}", b.id)}>{ b.title }</label>
            <textarea id={format!("export-{}", b.id)} readonly=true wrap="off" rows={b.rows.to_string()} spellcheck="false" value={b.text} />
        </section>
    }
}

pub(super) fn view(c: &Ctx) -> Html {
    let md = markdown(c);
    let csv_text = csv(c);
    let compact = compact_markdown(c.base, &real_order(c));
    let issues_md = issues_markdown(c.base, None);
    let issues_csv_text = issues_csv(c.base, None);
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
            d.emit(UiAction::GatePhase(value_of(&e).parse::<usize>().ok()));
        })
    };
    let fmt_choice = |f: GateFormat, label: &'static str, id: &'static str| {
        let d = c.dispatch.clone();
        let on = Callback::from(move |_: Event| d.emit(UiAction::GateFormat(f)));
        html! {
            <label class="check"><input type="radio" name="gate-format" id={id} checked={c.ui.gate_format == f} onchange={on} />{ label }</label>
        }
    };
    let saved = {
        let fx = c.effect.clone();
        let done = c.saved.clone();
        let (name, text) = (c.plan.name.clone(), json.clone());
        Callback::from(move |_: MouseEvent| {
            fx.emit(Effect::Download {
                name: name.clone(),
                mime: "application/json",
                text: text.clone(),
            });
            done.emit(());
        })
    };
    html! {
        <div class="plan-exports">
            if let Some(n) = &c.ui.notice {
                <p class="notice" role="status" id="export-notice">{ n.clone() }</p>
            }
            if c.status.what_if {
                <p class="what-if-note" role="note" id="export-real">
                    <strong>{"A what-if is active in the page: "}</strong>
                    {"every export below is made from the report's real numbers, not the what-if's."}
                </p>
            }
            <section class="export" aria-labelledby="export-md-title">
                <h3 id="export-md-title">{"Markdown for a PR or issue"}</h3>
                <p class="hint">
                    {"Priority table, cheapest path, phases with ✅ met / ⏳ unmet, board: what "}<code>{"covgap plan REPORT --plan PLAN --format md"}</code>{" prints"}
                    {"."}
                </p>
                <div class="row wrap">
                    <button type="button" class="primary" id="copy-md" onclick={copy(c, "Markdown", md.clone())}>{"Copy Markdown"}</button>
                    <button type="button" id="download-md" onclick={download(c, format!("{stem}.md"), "text/markdown;charset=utf-8", md.clone())}>{"Download .md"}</button>
                </div>
                <label class="visually-hidden" for="export-md">{"Markdown export"}</label>
                <textarea id="export-md" readonly=true wrap="off" rows="14" spellcheck="false" value={md} />
            </section>
            <section class="export" aria-labelledby="export-csv-title">
                <h3 id="export-csv-title">{"CSV for a spreadsheet"}</h3>
                <p class="hint">{"Priority, phase and criteria tables, each with its header row, an empty line apart. Cells a spreadsheet would run as formulas start with '."}</p>
                <div class="row wrap">
                    <button type="button" id="download-csv" onclick={download(c, format!("{stem}.csv"), "text/csv;charset=utf-8", csv_text.clone())}>{"Download .csv"}</button>
                    <button type="button" id="copy-csv" onclick={copy(c, "CSV", csv_text.clone())}>{"Copy CSV"}</button>
                </div>
                <label class="visually-hidden" for="export-csv">{"CSV export"}</label>
                <textarea id="export-csv" readonly=true wrap="off" rows="6" spellcheck="false" value={csv_text} />
            </section>
            { block(c, Block {
                id: "compact",
                title: "Compact table (as hand-written roadmaps have it)",
                hint: html! {<>{"Module | Current | Target | Gap | Effort | Impact, under a status line: the table the seed plans open with, to paste into a roadmap."}</>},
                file: format!("{stem}.compact.md"),
                mime: "text/markdown;charset=utf-8",
                what: "table",
                text: compact,
                rows: "10",
            }) }
            { block(c, Block {
                id: "issues",
                title: "Issues for a tracker (Markdown)",
                hint: html! {<>{"One issue body per phase: its exit criteria and its modules as checklists — what "}<code>{"covgap plan … --format issues"}</code>{" prints."}</>},
                file: format!("{stem}.issues.md"),
                mime: "text/markdown;charset=utf-8",
                what: "issues",
                text: issues_md,
                rows: "12",
            }) }
            { block(c, Block {
                id: "issues-csv",
                title: "Issues for a tracker (CSV import)",
                hint: html! {<>{"One issue per module per phase, labels like coverage-phase-2 and module:<name> — what "}<code>{"covgap plan … --format issues-csv"}</code>{" prints, for GitLab's or Jira's CSV import."}</>},
                file: format!("{stem}.issues.csv"),
                mime: "text/csv;charset=utf-8",
                what: "issues CSV",
                text: issues_csv_text,
                rows: "8",
            }) }
            <section class="export" aria-labelledby="export-json-title">
                <h3 id="export-json-title">{"The plan file"}</h3>
                <p class="hint">{"Save it next to the code and commit it: "}<code>{"covgap check"}</code>{" reads it in CI. It never leaves this machine unless you put it somewhere."}</p>
                <div class="row wrap">
                    <button type="button" class="primary" id="save-plan" onclick={saved}>{ "Save plan (" }<span class="filename">{ c.plan.name.clone() }</span>{ ")" }</button>
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
                    <button type="button" id="download-gate" onclick={download(c, gate_file.to_string(), "text/plain;charset=utf-8", gate_text.clone())}>{"Download"}</button>
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
                                { format!(": {} ≥ {} (now {})", f.metric.key(), super::target_text(f.floor), super::pct2(c.base, f.current)) }
                            </li>
                        }) }
                    </ul>
                }
                <p>{"In CI, fail the build while the phase is not met:"}</p>
                <pre class="command" tabindex="0"><code id="gate-command">{ command }</code></pre>
            </section>
        </div>
    }
}
