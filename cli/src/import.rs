//! `covgap import PLAN.md`: a hand-written markdown plan read into a plan JSON file.
//!
//! Exit 0 with the plan (warnings on stderr for every line that could not be used); 2
//! when the file cannot be read or nothing usable is found. The rules are in
//! docs/import.md.

use clap::Args;
use covgap_core::plan::{import_markdown_with, parse_plan, ImportOptions, ImportWarning};
use std::path::PathBuf;

/// Arguments of `covgap import`.
#[derive(Args)]
pub struct ImportArgs {
    /// A hand-written markdown plan (tables, status lines, phases, exit criteria).
    plan: PathBuf,
    /// Write the plan JSON to this file instead of stdout.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The plan's overall target; replaces the one the markdown states (needed when it
    /// states none and no phase has one).
    #[arg(long, value_parser = crate::parse_target)]
    target: Option<f64>,
    /// Put in front of every module path, e.g. "src/mypkg/" or "**/", when the markdown
    /// writes paths relative to a package and reports write them from the project root.
    #[arg(long)]
    prefix: Option<String>,
    /// Also print, line by line, what was understood (on stderr).
    #[arg(long)]
    explain: bool,
}

fn warn(file: &str, w: &ImportWarning) {
    let text: String = if w.text.chars().count() > 90 {
        w.text.chars().take(87).chain("…".chars()).collect()
    } else {
        w.text.clone()
    };
    eprintln!("covgap: warning: {file}:{}: {}: '{text}'", w.line, w.reason);
}

/// Runs `covgap import`: the plan JSON for stdout (empty with `-o`).
pub fn import(a: &ImportArgs) -> Result<String, String> {
    let name = a.plan.display().to_string();
    let bytes = std::fs::read(&a.plan).map_err(|e| format!("{name}: cannot read: {e}"))?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            eprintln!(
                "covgap: warning: {name}: not UTF-8 text (bad byte at offset {at}); undecodable bytes were replaced"
            );
            String::from_utf8_lossy(e.as_bytes()).into_owned()
        }
    };
    let options = ImportOptions {
        target: a.target,
        prefix: a.prefix.clone(),
    };
    let imported = match import_markdown_with(&text, &options) {
        Ok(i) => i,
        Err(e) => {
            if a.explain {
                for u in e.understood() {
                    eprintln!("covgap: understood: {name}:{}: {}", u.line, u.meaning);
                }
            }
            for w in e.warnings() {
                warn(&name, w);
            }
            return Err(format!("{name}: {e}"));
        }
    };
    if a.explain {
        for u in &imported.understood {
            eprintln!("covgap: understood: {name}:{}: {}", u.line, u.meaning);
        }
    }
    for w in &imported.warnings {
        warn(&name, w);
    }
    let json = serde_json::to_string_pretty(&imported.plan).map_err(|e| e.to_string())? + "\n";
    // The plan parser is the judge: what import writes, `covgap check` must accept.
    parse_plan(&name, &json).map_err(|e| format!("{name}: the imported plan is not valid: {e}"))?;
    match &a.output {
        Some(out) => {
            std::fs::write(out, &json)
                .map_err(|e| format!("{}: cannot write: {e}", out.display()))?;
            eprintln!(
                "covgap: wrote {} ({} modules, {} phases, {} warnings)",
                out.display(),
                imported.plan.modules.len(),
                imported.plan.phases.len(),
                imported.warnings.len()
            );
            Ok(String::new())
        }
        None => Ok(json),
    }
}
