//! Reading a hand-written markdown coverage plan into a [`Plan`].
//!
//! Teams write coverage plans by hand: a table of modules with current/target/gap/effort/
//! impact columns, a status line with the overall target, phases as headings or list
//! items with the modules under them, exit and success criteria. [`import_markdown`]
//! reads what it recognises into a plan file (format version 1) and says, line by line,
//! what it understood ([`Imported::understood`]) and what it could not use
//! ([`Imported::warnings`]). It never invents: whatever it cannot read is left out and
//! warned about. The rules are in `docs/import.md`.
//!
//! This is a pure function on text: no file system, no clock; the CLI (`covgap import`)
//! and the web app share it.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use super::model::{fmt_num, Effort, ExitCriteria, Impact, Module, Phase, Plan, CURRENT_VERSION};
use super::parse::validate;
use std::borrow::Cow;
use std::fmt;

/// What the caller adds to what the markdown says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ImportOptions {
    /// The plan's overall target. Used instead of the one the markdown states (a warning
    /// names the line it replaces); needed when the markdown states none.
    pub target: Option<f64>,
    /// Put in front of every module path as written, e.g. `"src/mypkg/"` or `"**/"`, for
    /// plans that write paths relative to a package while reports write them from the
    /// project root. Not added to a path that already starts with it.
    pub prefix: Option<String>,
}

/// A line the importer could not use, or used only in part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportWarning {
    /// 1-based line number in the markdown.
    pub line: usize,
    /// The line as written (trimmed).
    pub text: String,
    /// What could not be used, and what happened to it.
    pub reason: String,
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: '{}'", self.line, self.reason, short(&self.text))
    }
}

/// One thing recognised in the markdown and what it became in the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Understood {
    /// 1-based line number in the markdown.
    pub line: usize,
    /// The line as written (trimmed).
    pub text: String,
    /// What it became, e.g. `module execution/kubernetes_sandbox.py (kubernetes_sandbox),
    /// target 80%, effort 4-6h, impact high`.
    pub meaning: String,
}

impl fmt::Display for Understood {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.meaning)
    }
}

/// A plan read from markdown, with what was understood and what was skipped.
#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    /// The plan; it passes [`validate`].
    pub plan: Plan,
    /// Lines (or parts of lines) that could not be used, in line order.
    pub warnings: Vec<ImportWarning>,
    /// What was recognised, in line order.
    pub understood: Vec<Understood>,
}

/// Why no plan could be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ImportError {
    /// No target, no module and no phase: probably not a coverage plan.
    #[error("nothing usable found: no coverage target, no module (a table or a numbered list of backticked paths) and no phase")]
    NothingFound {
        /// What could not be used.
        warnings: Vec<ImportWarning>,
    },
    /// Modules or phases, but no overall target anywhere (no status line, success
    /// criterion or phase target).
    #[error("no overall target found: the plan states no overall coverage target and no phase has one; give the target to import (covgap import --target N)")]
    NoTarget {
        /// What could not be used.
        warnings: Vec<ImportWarning>,
        /// What was recognised.
        understood: Vec<Understood>,
    },
    /// The plan built from the markdown does not validate (a bug in the importer, or
    /// an option that makes it invalid, like a target above 100).
    #[error("the imported plan is not valid: {message}")]
    Invalid {
        /// The first problem [`validate`] found.
        message: String,
        /// What could not be used.
        warnings: Vec<ImportWarning>,
        /// What was recognised.
        understood: Vec<Understood>,
    },
}

impl ImportError {
    /// The warnings gathered before the import gave up.
    pub fn warnings(&self) -> &[ImportWarning] {
        match self {
            ImportError::NothingFound { warnings }
            | ImportError::NoTarget { warnings, .. }
            | ImportError::Invalid { warnings, .. } => warnings,
        }
    }

    /// What had been recognised before the import gave up.
    pub fn understood(&self) -> &[Understood] {
        match self {
            ImportError::NothingFound { .. } => &[],
            ImportError::NoTarget { understood, .. } | ImportError::Invalid { understood, .. } => {
                understood
            }
        }
    }
}

/// Reads a hand-written markdown plan with default options.
pub fn import_markdown(text: &str) -> Result<Imported, ImportError> {
    import_markdown_with(text, &ImportOptions::default())
}

/// Reads a hand-written markdown plan; see `docs/import.md` for what is recognised.
pub fn import_markdown_with(text: &str, options: &ImportOptions) -> Result<Imported, ImportError> {
    let mut im = Importer::default();
    im.scan(text);
    im.finish(options)
}

// ---------------------------------------------------------------------------------------
// Text: mojibake, markup, tokens.

/// The byte a character stands for when UTF-8 was decoded as Windows-1252 (or its Turkish
/// sibling 1254, which seed plans show: "ğŸ”´" for 🔴).
fn cp_byte(c: char) -> Option<u8> {
    let b = match c {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        'Ğ' => 0xD0,
        'İ' => 0xDD,
        'Ş' => 0xDE,
        'ğ' => 0xF0,
        'ı' => 0xFD,
        'ş' => 0xFE,
        _ => return u8::try_from(u32::from(c)).ok().filter(|b| *b >= 0x80),
    };
    Some(b)
}

/// Decodes one mis-decoded UTF-8 sequence starting at `i`: the character and how many
/// characters it replaces.
fn repair_at(chars: &[char], i: usize) -> Option<(char, usize)> {
    let lead = cp_byte(*chars.get(i)?)?;
    let len = match lead {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => return None,
    };
    let mut bytes = vec![lead];
    for k in 1..len {
        let b = cp_byte(*chars.get(i + k)?)?;
        if !(0x80..=0xBF).contains(&b) {
            return None;
        }
        bytes.push(b);
    }
    let c = std::str::from_utf8(&bytes).ok()?.chars().next()?;
    Some((c, len))
}

/// Repairs UTF-8 that was decoded as Windows-1252/1254 somewhere on its way ("ğŸ”´ HIGH"
/// becomes "🔴 HIGH", "â†’" becomes "→"). Text without such sequences is unchanged.
pub fn fix_mojibake(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut changed = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if let Some((d, used)) = repair_at(&chars, i) {
            out.push(d);
            i += used;
            changed = true;
        } else {
            out.push(c);
            i += 1;
        }
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(s)
    }
}

/// Emoji, dingbats, check marks and their joiners: decoration, never meaning.
fn is_decoration(c: char) -> bool {
    matches!(u32::from(c),
        0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x2300..=0x23FF
        | 0xFE00..=0xFE0F | 0x200B..=0x200D | 0x20E3 | 0xE0020..=0xE007F)
}

/// The text without markdown emphasis, backticks and decoration, whitespace collapsed.
fn plain(s: &str) -> String {
    let fixed = fix_mojibake(s);
    let mut out = String::with_capacity(fixed.len());
    let mut space = false;
    for c in fixed.chars() {
        if c == '*' || c == '`' || is_decoration(c) {
            continue;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        out.push(c);
    }
    out
}

/// The spans between pairs of backticks (an unpaired last backtick is ignored).
fn backticked(raw: &str) -> Vec<String> {
    let pairs = raw.matches('`').count() / 2;
    raw.split('`')
        .skip(1)
        .step_by(2)
        .take(pairs)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// At most 90 characters of a line, for messages.
fn short(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= 90 {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(87).collect();
        t.push('…');
        t
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Pct {
    value: f64,
    /// The lower end of a range written `7-20%`.
    from: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(String),
    Num(f64),
    Pct(Pct),
    Sym(char),
}

fn read_num(cs: &[char], mut i: usize) -> Option<(f64, usize)> {
    let start = i;
    while cs.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    if cs.get(i) == Some(&'.') && cs.get(i + 1).is_some_and(char::is_ascii_digit) {
        i += 1;
        while cs.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
    }
    let s: String = cs.get(start..i)?.iter().collect();
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| (v, i))
}

fn skip_spaces(cs: &[char], mut i: usize) -> usize {
    while cs.get(i).is_some_and(|c| c.is_whitespace()) {
        i += 1;
    }
    i
}

/// Words, numbers, percentages (`80%`, `80%+`, `7-20%`) and symbols of lower-cased plain
/// text.
fn tokens(s: &str) -> Vec<Tok> {
    let cs: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&c) = cs.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let Some((a, j)) = read_num(&cs, i) else {
                out.push(Tok::Sym(c));
                i += 1;
                continue;
            };
            let k = skip_spaces(&cs, j);
            if cs.get(k) == Some(&'%') {
                out.push(Tok::Pct(Pct {
                    value: a,
                    from: None,
                }));
                i = k + 1 + usize::from(cs.get(k + 1) == Some(&'+'));
                continue;
            }
            if matches!(cs.get(j), Some('-' | '–' | '—'))
                && cs.get(j + 1).is_some_and(char::is_ascii_digit)
            {
                if let Some((b, j2)) = read_num(&cs, j + 1) {
                    let k2 = skip_spaces(&cs, j2);
                    if cs.get(k2) == Some(&'%') {
                        out.push(Tok::Pct(Pct {
                            value: b,
                            from: Some(a),
                        }));
                        i = k2 + 1 + usize::from(cs.get(k2 + 1) == Some(&'+'));
                        continue;
                    }
                }
            }
            out.push(Tok::Num(a));
            i = j;
            continue;
        }
        if c.is_alphanumeric() || c == '_' {
            let mut w = String::new();
            while let Some(&d) = cs.get(i) {
                let joiner = matches!(d, '-' | '.' | '/')
                    && cs
                        .get(i + 1)
                        .is_some_and(|e| e.is_alphanumeric() || *e == '_');
                if d.is_alphanumeric() || d == '_' || joiner {
                    w.push(d);
                    i += 1;
                } else {
                    break;
                }
            }
            out.push(Tok::Word(w));
            continue;
        }
        out.push(Tok::Sym(c));
        i += 1;
    }
    out
}

fn word(t: Option<&Tok>) -> Option<&str> {
    match t {
        Some(Tok::Word(w)) => Some(w),
        _ => None,
    }
}

fn is_word(t: Option<&Tok>, ws: &[&str]) -> bool {
    word(t).is_some_and(|w| ws.contains(&w))
}

/// The first percentage from `start`, with at most `max_words` words (and no other
/// number, `|` or `;`) before it.
fn pct_after(toks: &[Tok], start: usize, max_words: usize) -> Option<Pct> {
    let mut words = 0;
    for t in toks.iter().skip(start) {
        match t {
            Tok::Pct(p) => return Some(*p),
            Tok::Num(_) | Tok::Sym('|' | ';') => return None,
            Tok::Word(_) => {
                words += 1;
                if words > max_words {
                    return None;
                }
            }
            Tok::Sym(_) => {}
        }
    }
    None
}

/// Like [`pct_after`], but a plain number counts too (`fail_under = 80`).
fn num_after(toks: &[Tok], start: usize, max_words: usize) -> Option<f64> {
    let mut words = 0;
    for t in toks.iter().skip(start) {
        match t {
            Tok::Pct(p) => return Some(p.value),
            Tok::Num(n) => return Some(*n),
            Tok::Sym('|' | ';') => return None,
            Tok::Word(_) => {
                words += 1;
                if words > max_words {
                    return None;
                }
            }
            Tok::Sym(_) => {}
        }
    }
    None
}

fn has_pct(toks: &[Tok]) -> bool {
    toks.iter().any(|t| matches!(t, Tok::Pct(_)))
}

/// `fail_under = 80`, `fail-under=80`, `--cov-fail-under=60`, `fail under 80`.
fn fail_under(toks: &[Tok]) -> Option<f64> {
    toks.iter().enumerate().find_map(|(i, t)| {
        let Tok::Word(w) = t else { return None };
        let after = if w.ends_with("fail_under") || w.ends_with("fail-under") {
            i + 1
        } else if w == "fail" && is_word(toks.get(i + 1), &["under"]) {
            i + 2
        } else {
            return None;
        };
        num_after(toks, after, 1)
    })
}

fn mentions_fail_under(toks: &[Tok]) -> bool {
    toks.iter().enumerate().any(|(i, t)| match t {
        Tok::Word(w) => {
            w.ends_with("fail_under")
                || w.ends_with("fail-under")
                || (w == "fail" && is_word(toks.get(i + 1), &["under"]))
        }
        _ => false,
    })
}

/// "Threshold raised to 55%", "threshold: 55%", "threshold is 55%" (not "lower
/// threshold to 70% if needed", which is a possibility, not a fact).
fn threshold(toks: &[Tok]) -> Option<f64> {
    const VERBS: &[&str] = &["raised", "set", "is", "at", "now", "increased", "bumped"];
    toks.iter().enumerate().find_map(|(i, t)| {
        if !matches!(t, Tok::Word(w) if w == "threshold") {
            return None;
        }
        let mut stated = false;
        for t in toks.iter().skip(i + 1).take(4) {
            match t {
                Tok::Word(w) if VERBS.contains(&w.as_str()) => stated = true,
                Tok::Word(w) if w == "to" => {}
                Tok::Sym(':' | '=') => stated = true,
                Tok::Pct(p) if stated => return Some(p.value),
                _ => return None,
            }
        }
        None
    })
}

/// The first percentage within `max_words` words after one of `keys`.
fn pct_after_word(toks: &[Tok], keys: &[&str], max_words: usize) -> Option<Pct> {
    toks.iter().enumerate().find_map(|(i, t)| match t {
        Tok::Word(w) if keys.contains(&w.as_str()) => pct_after(toks, i + 1, max_words),
        _ => None,
    })
}

/// "No module below 50%", "flag any file dipping below 50%", "modules below 50% coverage".
fn floor_pct(toks: &[Tok]) -> Option<f64> {
    const NOUNS: &[&str] = &["module", "modules", "file", "files"];
    toks.iter().enumerate().find_map(|(i, t)| {
        if !matches!(t, Tok::Word(w) if NOUNS.contains(&w.as_str())) {
            return None;
        }
        let below = toks
            .iter()
            .enumerate()
            .skip(i + 1)
            .take(4)
            .find(|(_, t)| matches!(t, Tok::Word(w) if w == "below" || w == "under"))?
            .0;
        pct_after(toks, below + 1, 0).map(|p| p.value)
    })
}

/// A percentage after an arrow (`10% → 80%`, `-> 70%`, `=> 70%`), with the one before it.
fn arrow(toks: &[Tok]) -> Option<(Option<Pct>, Pct)> {
    let at = toks.iter().enumerate().find_map(|(i, t)| match t {
        Tok::Sym('→' | '⇒' | '⟶') => Some(i + 1),
        Tok::Sym('-' | '=') if toks.get(i + 1) == Some(&Tok::Sym('>')) => Some(i + 2),
        _ => None,
    })?;
    let before = toks.iter().take(at).rev().find_map(|t| match t {
        Tok::Pct(p) => Some(*p),
        _ => None,
    });
    let after = pct_after(toks, at, 1)?;
    Some((before, after))
}

fn valid_pct(v: f64) -> bool {
    v.is_finite() && (0.0..=100.0).contains(&v)
}

fn pct_label(p: &Pct) -> String {
    match p.from {
        Some(a) => format!("{}-{}%", fmt_num(a), fmt_num(p.value)),
        None => format!("{}%", fmt_num(p.value)),
    }
}

/// Hours: `4-6h`, `2–3 hours`, `1 - 2 hrs`, `3`, `~2h`, `4h-6h`, `2 to 3 hours`. With
/// `need_unit`, a number without an hour unit is not an effort. Another unit (days,
/// points) is never hours.
fn parse_effort_text(s: &str, need_unit: bool) -> Option<Effort> {
    let lower = plain(s).to_lowercase();
    let cs: Vec<char> = lower.chars().collect();
    let start = cs.iter().position(char::is_ascii_digit)?;
    let unit = |i: usize| -> (bool, usize, bool) {
        // (an hour unit, next index, another unit)
        let mut j = skip_spaces(&cs, i);
        let w_start = j;
        while cs.get(j).is_some_and(|c| c.is_alphabetic()) {
            j += 1;
        }
        let w: String = cs.get(w_start..j).unwrap_or_default().iter().collect();
        match w.as_str() {
            "" => (false, i, false),
            "h" | "hr" | "hrs" | "hour" | "hours" => (true, j, false),
            "to" => (false, i, false),
            _ => (false, i, true),
        }
    };
    let (a, i) = read_num(&cs, start)?;
    let (u1, i, other1) = unit(i);
    if other1 {
        return None;
    }
    let j = skip_spaces(&cs, i);
    let (b, u2) = if matches!(cs.get(j), Some('-' | '–' | '—')) {
        let k = skip_spaces(&cs, j + 1);
        let (b, k) = read_num(&cs, k)?;
        let (u2, _, other2) = unit(k);
        if other2 {
            return None;
        }
        (b, u2)
    } else if cs.get(j) == Some(&'t') && cs.get(j + 1) == Some(&'o') {
        let k = skip_spaces(&cs, j + 2);
        let (b, k) = read_num(&cs, k)?;
        let (u2, _, other2) = unit(k);
        if other2 {
            return None;
        }
        (b, u2)
    } else {
        (a, false)
    };
    if need_unit && !u1 && !u2 {
        return None;
    }
    Some(Effort { min: a, max: b })
}

/// The impact word of a cell or a "Priority:" value: the first ASCII word, so emoji
/// and mojibake before it do not matter. `Err` carries a word that is not an impact.
fn impact_word(s: &str) -> Option<Result<Impact, String>> {
    let p = plain(s);
    let w = p
        .split(|c: char| !c.is_ascii_alphabetic())
        .find(|w| !w.is_empty())?;
    Some(match w.to_ascii_lowercase().as_str() {
        "high" | "hi" => Ok(Impact::High),
        "medium" | "med" | "moderate" => Ok(Impact::Medium),
        "low" | "lo" => Ok(Impact::Low),
        _ => Err(w.to_string()),
    })
}

// ---------------------------------------------------------------------------------------
// Paths and module names.

const SOURCE_EXTENSIONS: &[&str] = &[
    "py", "pyx", "pyi", "rs", "go", "js", "jsx", "mjs", "cjs", "ts", "tsx", "java", "kt", "kts",
    "scala", "groovy", "c", "h", "cc", "cpp", "cxx", "hpp", "hh", "cs", "fs", "rb", "php", "swift",
    "m", "mm", "vue", "svelte", "ex", "exs", "erl", "clj", "dart", "lua", "pl", "sh", "r", "jl",
    "zig", "nim",
];

fn extension(s: &str) -> Option<&str> {
    let name = s.rsplit('/').next().unwrap_or(s);
    match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => Some(ext),
        _ => None,
    }
}

fn has_source_extension(s: &str) -> bool {
    extension(s).is_some_and(|e| SOURCE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// A file, directory or glob as a plan would write it: `execution/kubernetes_sandbox.py`,
/// `src/pkg/`, `src/**/a.py`. Not a flag, a URL, a command, a label or a config file.
fn is_path(s: &str) -> bool {
    let s = s.trim();
    if s.is_empty()
        || s.chars().any(char::is_whitespace)
        || s.starts_with('-')
        || s.contains("://")
        || s.contains('=')
        || s.contains(':')
    {
        return false;
    }
    if has_source_extension(s) {
        return true;
    }
    s.contains('/') && s.chars().any(|c| c.is_alphanumeric()) && extension(s).is_none()
}

/// `./src/a.py` is written `src/a.py`.
fn clean_path(s: &str) -> String {
    let s = s.trim().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// The last path segment without its extension: `execution/kubernetes_sandbox.py` →
/// `kubernetes_sandbox`, `src/auth/` → `auth`.
fn stem(path: &str) -> String {
    let last = path
        .split('/')
        .rev()
        .find(|s| !s.is_empty() && *s != "**" && *s != "*")
        .unwrap_or(path);
    match last.rsplit_once('.') {
        Some((s, _)) if !s.is_empty() => s.to_string(),
        _ => last.to_string(),
    }
}

fn file_name(path: &str) -> &str {
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path)
}

/// Loose comparison of a module name written in prose with a stem: case, spaces and
/// hyphens do not matter, nor an extension.
fn name_key(s: &str) -> String {
    let s = plain(s).to_lowercase();
    let s = if has_source_extension(&s) {
        stem(&s)
    } else {
        s
    };
    s.chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect()
}

// ---------------------------------------------------------------------------------------
// The importer.

/// A value and the line it was read from.
type At<T> = Option<(T, usize)>;

#[derive(Debug)]
enum Merge {
    New,
    Same(usize),
    Conflict(usize),
}

fn merge<T: PartialEq + Clone>(slot: &mut At<T>, value: T, line: usize) -> Merge {
    match slot {
        None => {
            *slot = Some((value, line));
            Merge::New
        }
        Some((v, l)) if *v == value => Merge::Same(*l),
        Some((_, l)) => Merge::Conflict(*l),
    }
}

#[derive(Debug, Default)]
struct ModDraft {
    paths: Vec<String>,
    /// Where it was first named.
    line: usize,
    text: String,
    target: At<f64>,
    effort: At<Effort>,
    impact: At<Impact>,
    owner: At<String>,
}

impl ModDraft {
    fn label(&self) -> String {
        self.paths.join(" + ")
    }
}

/// A module named in a phase, resolved when the whole file has been read.
#[derive(Debug)]
enum PhaseMod {
    Index(usize),
    /// A file name in a phase heading: `Phase 1: kubernetes_sandbox.py (10% → 80%)`.
    File {
        token: String,
        line: usize,
        text: String,
    },
    /// A backticked name in a phase's list item: "fallback behaviour in `prediction_service`".
    Ident {
        name: String,
        line: usize,
        text: String,
    },
}

#[derive(Debug, Default)]
struct PhaseDraft {
    name: String,
    number: Option<u64>,
    line: usize,
    text: String,
    target: At<f64>,
    modules: Vec<PhaseMod>,
    /// The modules the heading names (resolved from `PhaseMod::File`).
    heading_mods: Vec<usize>,
    /// A target the heading gives to the modules it names: `(10% → 80%)`.
    heading_module_target: At<f64>,
    /// A target the heading gives to the phase's modules: `Builder Modules (7-20% → 70%)`.
    listed_module_target: At<f64>,
    /// A range of module targets in the heading: `(17-26% → 60-70%)`.
    module_range: At<(f64, f64)>,
    effort: Option<(Effort, usize, String)>,
    impact: Option<(Impact, usize, String)>,
    overall_at_least: At<f64>,
    fail_under: At<f64>,
    no_file_below_floor: bool,
}

/// A module table row whose Module cell is not a path: it may name a module whose path
/// is written elsewhere.
#[derive(Debug)]
struct PathlessRow {
    name: String,
    line: usize,
    text: String,
    target: Option<f64>,
    effort: Option<Effort>,
    impact: Option<Impact>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Ctx {
    Other,
    Phase(usize),
    Criteria,
    Board,
}

#[derive(Debug, Default, Clone)]
struct Columns {
    module: Option<usize>,
    current: Option<usize>,
    target: Option<usize>,
    gap: Option<usize>,
    effort: Option<usize>,
    impact: Option<usize>,
    owner: Option<usize>,
}

impl Columns {
    fn from_header(cells: &[String]) -> Columns {
        let mut c = Columns::default();
        for (i, cell) in cells.iter().enumerate() {
            let h = plain(cell).to_lowercase();
            let has = |ws: &[&str]| {
                h.split(|ch: char| !ch.is_alphanumeric())
                    .any(|w| ws.contains(&w))
            };
            let slot = if has(&["module", "modules", "file", "path", "component", "package"]) {
                &mut c.module
            } else if has(&["target", "goal"]) {
                &mut c.target
            } else if has(&["gap", "delta"]) {
                &mut c.gap
            } else if has(&["effort", "estimate", "hours", "est"]) {
                &mut c.effort
            } else if has(&["impact", "priority"]) {
                &mut c.impact
            } else if has(&["owner", "assignee", "who"]) {
                &mut c.owner
            } else if has(&["current", "now", "today", "coverage", "baseline", "actual"]) {
                &mut c.current
            } else {
                continue;
            };
            if slot.is_none() {
                *slot = Some(i);
            }
        }
        c
    }

    fn is_module_table(&self) -> bool {
        self.module.is_some()
            && (self.target.is_some() || self.effort.is_some() || self.impact.is_some())
    }
}

#[derive(Debug)]
struct Table {
    columns: Option<Columns>,
}

fn table_cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = t.strip_suffix('|').unwrap_or(t);
    t.split('|').map(|c| c.trim().to_string()).collect()
}

fn is_separator_row(cells: &[String]) -> bool {
    !cells.is_empty()
        && cells.iter().all(|c| {
            let c = c.trim();
            !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
        })
}

/// A list item: (indent, numbered, content).
fn list_item(raw: &str) -> Option<(usize, bool, &str)> {
    let indent = raw.len() - raw.trim_start().len();
    let t = raw.trim_start();
    for m in ["- ", "* ", "+ "] {
        if let Some(rest) = t.strip_prefix(m) {
            let rest = rest.trim_start();
            let rest = ["[ ] ", "[x] ", "[X] "]
                .iter()
                .find_map(|b| rest.strip_prefix(b))
                .unwrap_or(rest);
            return Some((indent, false, rest));
        }
    }
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits < 4 {
        let rest = t.get(digits..)?;
        if let Some(r) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((indent, true, r.trim_start()));
        }
    }
    None
}

/// Clauses of a criteria line, split at `,` and `;` outside parentheses and backticks.
fn clauses(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut depth = 0usize;
    let mut tick = false;
    for c in s.chars() {
        match c {
            '`' => tick = !tick,
            '(' if !tick => depth += 1,
            ')' if !tick => depth = depth.saturating_sub(1),
            ',' | ';' if !tick && depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out.into_iter()
        .map(|c| c.trim().trim_end_matches('.').trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Crit {
    Overall(f64),
    FailUnder(f64),
    Floor(f64),
}

/// One criterion: `--cov-fail-under=60`, `No module below 50% coverage`, `coverage ≥61%`.
fn criterion(clause: &str) -> Option<Crit> {
    let toks = tokens(&plain(clause).to_lowercase());
    if let Some(v) = fail_under(&toks) {
        return Some(Crit::FailUnder(v));
    }
    if let Some(v) = floor_pct(&toks) {
        return Some(Crit::Floor(v));
    }
    let about_total = toks
        .iter()
        .any(|t| matches!(t, Tok::Word(w) if w == "coverage" || w == "overall" || w == "total"));
    let elsewhere = toks.iter().any(|t| {
        matches!(t, Tok::Word(w) if ["module", "modules", "file", "files", "below", "under", "less"].contains(&w.as_str()))
    });
    if about_total && !elsewhere {
        let p = toks.iter().find_map(|t| match t {
            Tok::Pct(p) if p.from.is_none() => Some(p.value),
            _ => None,
        })?;
        return Some(Crit::Overall(p));
    }
    None
}

const CRITERIA_WORDS: &[&str] = &[
    "exit criteria",
    "exit criterion",
    "success criteria",
    "acceptance criteria",
    "definition of done",
    "done when",
];

fn is_criteria_title(lower: &str) -> bool {
    CRITERIA_WORDS.iter().any(|w| lower.contains(w))
}

#[derive(Default)]
struct Importer {
    name: At<String>,
    target: At<f64>,
    baseline: At<f64>,
    configured: At<f64>,
    floor: At<f64>,
    gaps: Vec<(f64, usize, String)>,
    modules: Vec<ModDraft>,
    pathless: Vec<PathlessRow>,
    phases: Vec<PhaseDraft>,
    /// Plan-level criteria that belong to the last phase: fail_under, no file below floor.
    last_phase_fail_under: Vec<(f64, usize, String)>,
    last_phase_file_floor: Option<(usize, String)>,
    understood: Vec<Understood>,
    warnings: Vec<ImportWarning>,
    // Scan state.
    stack: Vec<(usize, Ctx)>,
    criteria_label: bool,
    table: Option<Table>,
    /// An "After Phase N" list item and its indent: deeper items belong to it.
    list_phase: Option<(usize, usize)>,
    line: usize,
    text: String,
}

impl Importer {
    // ---- bookkeeping ----

    fn note(&mut self, meaning: String) {
        self.understood.push(Understood {
            line: self.line,
            text: self.text.clone(),
            meaning,
        });
    }

    fn note_at(&mut self, line: usize, text: &str, meaning: String) {
        self.understood.push(Understood {
            line,
            text: text.to_string(),
            meaning,
        });
    }

    fn warn(&mut self, reason: String) {
        self.warnings.push(ImportWarning {
            line: self.line,
            text: self.text.clone(),
            reason,
        });
    }

    fn warn_at(&mut self, line: usize, text: &str, reason: String) {
        self.warnings.push(ImportWarning {
            line,
            text: text.to_string(),
            reason,
        });
    }

    /// Records a plan-level percentage (target, baseline, …) with a note or a conflict.
    fn plan_pct(&mut self, which: PlanField, value: f64, how: &str) {
        let what = which.label();
        if !valid_pct(value) {
            self.warn(format!(
                "{what} {}% is not a percentage from 0 to 100 — skipped",
                fmt_num(value)
            ));
            return;
        }
        let slot = match which {
            PlanField::Target => &mut self.target,
            PlanField::Baseline => &mut self.baseline,
            PlanField::Configured => &mut self.configured,
            PlanField::Floor => &mut self.floor,
        };
        let unit = if matches!(which, PlanField::Configured) {
            ""
        } else {
            "%"
        };
        let v = fmt_num(value);
        match merge(slot, value, self.line) {
            Merge::New => self.note(format!("{what} {v}{unit}{how}")),
            Merge::Same(l) => self.note(format!("{what} {v}{unit} again (as on line {l})")),
            Merge::Conflict(l) => {
                let kept = slot.as_ref().map(|(k, _)| fmt_num(*k)).unwrap_or_default();
                self.warn(format!(
                    "{what} {v}{unit} disagrees with line {l} ({kept}{unit}); kept line {l}'s"
                ));
            }
        }
    }

    fn ctx(&self) -> (Option<usize>, Ctx) {
        let phase = self.stack.iter().rev().find_map(|(_, c)| match c {
            Ctx::Phase(p) => Some(*p),
            _ => None,
        });
        let area = self
            .stack
            .iter()
            .rev()
            .map(|(_, c)| *c)
            .find(|c| *c != Ctx::Other)
            .unwrap_or(Ctx::Other);
        (phase, area)
    }

    fn phase_name(&self, p: usize) -> String {
        self.phases
            .get(p)
            .map(|ph| ph.name.clone())
            .unwrap_or_default()
    }

    // ---- scanning ----

    fn scan(&mut self, text: &str) {
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let mut fence: Option<String> = None;
        for (i, raw) in text.lines().enumerate() {
            self.line = i + 1;
            let raw = raw.trim_end_matches('\r');
            let trimmed = raw.trim();
            self.text = trimmed.to_string();
            let marker: String = trimmed
                .chars()
                .take_while(|c| *c == '`' || *c == '~')
                .collect();
            if let Some(open) = &fence {
                if marker.len() >= open.len() && marker.starts_with(open.as_str()) {
                    fence = None;
                }
                continue;
            }
            if marker.len() >= 3 && (marker.starts_with("```") || marker.starts_with("~~~")) {
                fence = Some(marker);
                self.table = None;
                continue;
            }
            if trimmed.is_empty() {
                self.table = None;
                continue;
            }
            if trimmed.starts_with("<!--") || is_thematic_break(trimmed) {
                continue;
            }
            let hashes = trimmed.chars().take_while(|c| *c == '#').count();
            if (1..=6).contains(&hashes)
                && trimmed
                    .chars()
                    .nth(hashes)
                    .is_none_or(|c| c.is_whitespace())
            {
                self.table = None;
                self.list_phase = None;
                let title = trimmed.get(hashes..).unwrap_or_default().trim();
                let title = title.trim_end_matches('#').trim();
                self.heading(hashes, title);
                continue;
            }
            if trimmed.starts_with('|') {
                self.table_row(trimmed);
                continue;
            }
            self.table = None;
            match list_item(raw) {
                Some((indent, numbered, content)) => self.item(indent, numbered, content),
                None => {
                    self.list_phase = None;
                    self.paragraph(trimmed);
                }
            }
        }
    }

    fn heading(&mut self, level: usize, title: &str) {
        while self.stack.last().is_some_and(|(l, _)| *l >= level) {
            self.stack.pop();
        }
        self.criteria_label = false;
        let text = plain(title);
        let lower = text.to_lowercase();
        let toks = tokens(&lower);

        let number = match (toks.first(), toks.get(1)) {
            (Some(Tok::Word(w)), Some(Tok::Num(n)))
                if ["phase", "stage", "milestone"].contains(&w.as_str())
                    && n.fract() == 0.0
                    && *n >= 0.0 =>
            {
                Some(*n as u64)
            }
            _ => None,
        };
        if let Some(n) = number {
            let p = self.phase_heading(n, &text, title, &toks);
            self.stack.push((level, Ctx::Phase(p)));
            return;
        }
        let ctx = if is_criteria_title(&lower) {
            Ctx::Criteria
        } else if lower.contains("board") || lower.contains("kanban") {
            Ctx::Board
        } else {
            Ctx::Other
        };
        self.stack.push((level, ctx));
        if level == 1 && self.name.is_none() {
            self.name = Some((text.clone(), self.line));
            self.note(format!("plan name \"{text}\""));
            return;
        }
        if ctx == Ctx::Other && has_pct(&toks) && !self.plan_facts(&toks) {
            self.warn("a percentage in a heading that is not a phase — skipped".into());
        }
    }

    fn phase_heading(&mut self, n: u64, text: &str, raw: &str, toks: &[Tok]) -> usize {
        // A phase already made by an "After Phase N" list item takes the heading's name.
        let p = match self.phases.iter().position(|ph| ph.number == Some(n)) {
            Some(p) => p,
            None => {
                self.phases.push(PhaseDraft {
                    number: Some(n),
                    ..Default::default()
                });
                self.phases.len() - 1
            }
        };
        let line = self.line;
        let raw_text = self.text.clone();
        if let Some(ph) = self.phases.get_mut(p) {
            ph.name = text.to_string();
            ph.line = line;
            ph.text = raw_text;
        }
        self.note(format!("phase {n} \"{text}\""));

        // Modules the heading names: file names and backticked paths.
        let mut files: Vec<String> = backticked(raw).into_iter().filter(|s| is_path(s)).collect();
        for w in raw.split_whitespace() {
            let w = w.trim_matches(|c: char| "()[],:;*`'\"".contains(c));
            if has_source_extension(w) && is_path(w) && !files.iter().any(|f| f == w) {
                files.push(w.to_string());
            }
        }
        let names_modules = toks
            .iter()
            .any(|t| matches!(t, Tok::Word(w) if w == "module" || w == "modules"));
        let line = self.line;
        let text_now = self.text.clone();
        let mut msg = Vec::new();
        if let Some(ph) = self.phases.get_mut(p) {
            for f in &files {
                ph.modules.push(PhaseMod::File {
                    token: clean_path(f),
                    line,
                    text: text_now.clone(),
                });
            }
            match arrow(toks) {
                Some((_, to)) if to.from.is_some() => {
                    ph.module_range = Some(((to.from.unwrap_or(to.value), to.value), line));
                    msg.push(format!("its modules' targets range {}", pct_label(&to)));
                }
                Some((from, to)) if !files.is_empty() => {
                    ph.heading_module_target = Some((to.value, line));
                    msg.push(format!(
                        "target {}% for {}{}",
                        fmt_num(to.value),
                        files.join(", "),
                        from.map(|f| format!(" (from {})", pct_label(&f)))
                            .unwrap_or_default()
                    ));
                }
                Some((_, to)) if names_modules => {
                    ph.listed_module_target = Some((to.value, line));
                    msg.push(format!(
                        "target {}% for the modules listed under it",
                        fmt_num(to.value)
                    ));
                }
                Some((_, to)) => {
                    ph.target = Some((to.value, line));
                    msg.push(format!("phase target {}%", fmt_num(to.value)));
                }
                None => {
                    let last = toks.iter().rev().find_map(|t| match t {
                        Tok::Pct(p) if p.from.is_none() => Some(p.value),
                        _ => None,
                    });
                    if let Some(v) = last {
                        ph.target = Some((v, line));
                        msg.push(format!("phase target {}%", fmt_num(v)));
                    }
                }
            }
        }
        for m in msg {
            self.note(format!("phase {n}: {m}"));
        }
        p
    }

    fn table_row(&mut self, line: &str) {
        let cells = table_cells(line);
        let Some(table) = &self.table else {
            let columns = Columns::from_header(&cells);
            let module_table = columns.is_module_table();
            self.table = Some(Table {
                columns: module_table.then(|| columns.clone()),
            });
            if module_table {
                self.note(format!(
                    "module table: columns {}",
                    cells
                        .iter()
                        .map(|c| plain(c))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            } else if columns.module.is_some() {
                self.warn("a table with a Module column but no Target, Effort or Impact column — its rows are skipped".into());
            }
            return;
        };
        if is_separator_row(&cells) {
            return;
        }
        let Some(cols) = table.columns.clone() else {
            let toks = tokens(&plain(line).to_lowercase());
            if has_pct(&toks) {
                self.warn("a row of a table that is not a module table — skipped".into());
            }
            return;
        };
        self.module_row(&cols, &cells);
    }

    fn module_row(&mut self, cols: &Columns, cells: &[String]) {
        let cell = |i: Option<usize>| i.and_then(|i| cells.get(i)).map(String::as_str);
        let module_cell = cell(cols.module).unwrap_or_default();
        let mut notes = Vec::new();
        let mut problems = Vec::new();

        let pct_cell = |s: Option<&str>| -> Option<Pct> {
            let toks = tokens(&plain(s?).to_lowercase());
            toks.iter().find_map(|t| match t {
                Tok::Pct(p) => Some(*p),
                Tok::Num(n) => Some(Pct {
                    value: *n,
                    from: None,
                }),
                _ => None,
            })
        };
        let target = match pct_cell(cell(cols.target)) {
            Some(p) if p.from.is_some() => {
                problems.push(format!(
                    "target {} is a range, not one target — left out",
                    pct_label(&p)
                ));
                None
            }
            Some(p) if !valid_pct(p.value) => {
                problems.push(format!(
                    "target {}% is not a percentage from 0 to 100 — left out",
                    fmt_num(p.value)
                ));
                None
            }
            Some(p) => Some(p.value),
            None => {
                if cell(cols.target).is_some_and(|c| !plain(c).is_empty()) {
                    problems.push(format!(
                        "could not read a target from '{}' — left out",
                        plain(cell(cols.target).unwrap_or_default())
                    ));
                }
                None
            }
        };
        let effort = match cell(cols.effort).map(plain).filter(|c| !c.is_empty()) {
            None => None,
            Some(c) => match parse_effort_text(&c, false) {
                Some(e) if e.min >= 0.0 && e.min <= e.max => Some(e),
                Some(e) => {
                    problems.push(format!(
                        "effort {} is not an ordered range of hours — left out",
                        e.label()
                    ));
                    None
                }
                None => {
                    problems.push(format!("could not read hours from effort '{c}' — left out"));
                    None
                }
            },
        };
        let impact = match cell(cols.impact).and_then(impact_word) {
            None => None,
            Some(Ok(i)) => Some(i),
            Some(Err(w)) => {
                problems.push(format!(
                    "impact '{w}' is not high, medium or low — left out"
                ));
                None
            }
        };
        let owner = cell(cols.owner).map(plain).filter(|o| {
            !o.is_empty()
                && !["-", "–", "—", "n/a", "tbd", "none", "?"].contains(&o.to_lowercase().as_str())
        });
        let current = pct_cell(cell(cols.current));
        let gap = pct_cell(cell(cols.gap));
        if let Some(c) = current {
            notes.push(format!(
                "current {} is measured from the report, not stored",
                pct_label(&c)
            ));
        }
        if let (Some(c), Some(g), Some(t)) = (current, gap, target) {
            if c.from.is_none() && (t - c.value - g.value).abs() > 0.5 {
                problems.push(format!(
                    "gap {} is not target {}% − current {}% — the gap is not stored; covgap computes it",
                    fmt_num(g.value),
                    fmt_num(t),
                    fmt_num(c.value)
                ));
            }
        }

        // The module cell: backticked paths, else the cell itself when it is a path.
        let mut paths: Vec<String> = backticked(module_cell)
            .into_iter()
            .filter(|s| is_path(s))
            .map(|s| clean_path(&s))
            .collect();
        if paths.is_empty() {
            let p = plain(module_cell);
            let parts: Vec<&str> = p
                .split([',', '+', '&'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect();
            if !parts.is_empty() && parts.iter().all(|s| is_path(s)) {
                paths = parts.into_iter().map(clean_path).collect();
            }
        }
        let name_text = plain(module_cell);

        let lower = name_text.to_lowercase();
        if paths.is_empty()
            && ["total", "overall", "all", "project", "whole project"].contains(&lower.as_str())
        {
            if let Some(t) = target {
                self.plan_pct(PlanField::Target, t, " (the table's total row)");
            }
            if let Some(c) = current.filter(|c| c.from.is_none()) {
                self.plan_pct(PlanField::Baseline, c.value, " (the table's total row)");
            }
            for p in problems {
                self.warn(p);
            }
            return;
        }

        for p in &problems {
            self.warn(p.clone());
        }
        if paths.is_empty() {
            if name_text.is_empty() {
                self.warn("a module table row without a module — skipped".into());
                return;
            }
            self.pathless.push(PathlessRow {
                name: name_text,
                line: self.line,
                text: self.text.clone(),
                target,
                effort,
                impact,
            });
            return;
        }
        let m = self.module_for(paths);
        let mut said = Vec::new();
        let label = self.modules.get(m).map(ModDraft::label).unwrap_or_default();
        said.push(format!("module {label}"));
        if let Some(t) = target {
            said.push(self.set_module_target(m, t, "target"));
        }
        if let Some(e) = effort {
            said.push(self.set_module_effort(m, e));
        }
        if let Some(i) = impact {
            said.push(self.set_module_impact(m, i));
        }
        if let Some(o) = owner {
            if let Some(md) = self.modules.get_mut(m) {
                match merge(&mut md.owner, o.clone(), self.line) {
                    Merge::New => said.push(format!("owner {o}")),
                    Merge::Same(_) => said.push(format!("owner {o} (again)")),
                    Merge::Conflict(l) => self.warn(format!(
                        "owner {o} disagrees with line {l} — kept line {l}'s"
                    )),
                }
            }
        }
        said.extend(notes);
        let said: Vec<String> = said.into_iter().filter(|s| !s.is_empty()).collect();
        self.note(said.join(", "));
    }

    /// The module with exactly these paths, or the one a single path belongs to; else a
    /// new one.
    fn module_for(&mut self, paths: Vec<String>) -> usize {
        let found = self.modules.iter().position(|m| {
            m.paths == paths || (paths.len() == 1 && paths.iter().all(|p| m.paths.contains(p)))
        });
        match found {
            Some(i) => i,
            None => {
                self.modules.push(ModDraft {
                    paths,
                    line: self.line,
                    text: self.text.clone(),
                    ..Default::default()
                });
                self.modules.len() - 1
            }
        }
    }

    /// Sets a module's target; the note part, or a warning on a conflict.
    fn set_module_target(&mut self, m: usize, t: f64, how: &str) -> String {
        if !valid_pct(t) {
            self.warn(format!(
                "target {}% is not a percentage from 0 to 100 — left out",
                fmt_num(t)
            ));
            return String::new();
        }
        let line = self.line;
        let Some(md) = self.modules.get_mut(m) else {
            return String::new();
        };
        let label = md.label();
        match merge(&mut md.target, t, line) {
            Merge::New => format!("{how} {}%", fmt_num(t)),
            Merge::Same(l) if l == line => format!("{how} {}%", fmt_num(t)),
            Merge::Same(l) => format!("{how} {}% (as on line {l})", fmt_num(t)),
            Merge::Conflict(l) => {
                let kept = md.target.map(|(k, _)| fmt_num(k)).unwrap_or_default();
                self.warn(format!(
                    "target {}% for {label} disagrees with line {l} ({kept}%); kept line {l}'s",
                    fmt_num(t)
                ));
                String::new()
            }
        }
    }

    fn set_module_effort(&mut self, m: usize, e: Effort) -> String {
        let line = self.line;
        let Some(md) = self.modules.get_mut(m) else {
            return String::new();
        };
        let label = md.label();
        match merge(&mut md.effort, e, line) {
            Merge::New => format!("effort {}h", e.label()),
            Merge::Same(l) => format!("effort {}h (as on line {l})", e.label()),
            Merge::Conflict(l) => {
                self.warn(format!(
                    "effort {}h for {label} disagrees with line {l}; kept line {l}'s",
                    e.label()
                ));
                String::new()
            }
        }
    }

    fn set_module_impact(&mut self, m: usize, i: Impact) -> String {
        let line = self.line;
        let Some(md) = self.modules.get_mut(m) else {
            return String::new();
        };
        let label = md.label();
        match merge(&mut md.impact, i, line) {
            Merge::New => format!("impact {}", i.label()),
            Merge::Same(l) => format!("impact {} (as on line {l})", i.label()),
            Merge::Conflict(l) => {
                self.warn(format!(
                    "impact {} for {label} disagrees with line {l}; kept line {l}'s",
                    i.label()
                ));
                String::new()
            }
        }
    }

    fn item(&mut self, indent: usize, numbered: bool, content: &str) {
        let text = plain(content);
        let lower = text.to_lowercase();
        let toks = tokens(&lower);

        // "After Phase 1: 70% overall" — a phase and its target, as a list.
        if let Some(done) = self.list_phase_item(indent, content, &toks) {
            if done {
                return;
            }
        }
        // Items indented under an "After Phase N" item belong to that phase.
        let list_phase = match self.list_phase {
            Some((ind, p)) if indent > ind => Some(p),
            _ => {
                self.list_phase = None;
                None
            }
        };
        let (heading_phase, area) = self.ctx();
        let phase = list_phase.or(heading_phase);

        if area == Ctx::Criteria {
            self.criteria_clauses(heading_phase, &text);
            return;
        }
        if self.criteria_label {
            self.criteria_clauses(phase, &text);
            return;
        }
        if let Some(rest) = criteria_prefix(&text) {
            self.criteria_clauses(phase, &rest);
            return;
        }
        if area == Ctx::Board {
            self.board_item(content, &toks);
            return;
        }
        if is_label_item(content) {
            self.warn("board labels are not part of a plan — skipped".into());
            return;
        }

        // Modules: numbered items anywhere, bullets inside a phase, naming backticked paths.
        let paths: Vec<String> = backticked(content)
            .into_iter()
            .filter(|s| is_path(s))
            .map(|s| clean_path(&s))
            .collect();
        if !paths.is_empty() && (numbered || phase.is_some()) {
            self.module_item(phase, paths, &toks);
            return;
        }
        if paths.is_empty() && phase.is_some() && numbered {
            let idents: Vec<String> = backticked(content)
                .into_iter()
                .filter(|s| {
                    s.chars()
                        .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
                })
                .collect();
            if !idents.is_empty() {
                let line = self.line;
                let text = self.text.clone();
                if let Some(ph) = phase.and_then(|p| self.phases.get_mut(p)) {
                    for name in idents {
                        ph.modules.push(PhaseMod::Ident {
                            name,
                            line,
                            text: text.clone(),
                        });
                    }
                }
                if !has_pct(&toks) {
                    return;
                }
            }
        }
        let paths: Vec<String> = backticked(content)
            .into_iter()
            .filter(|s| is_path(s))
            .collect();
        self.line_facts(phase, &toks, &lower, &paths);
    }

    /// `Some(true)` when the item was an "After Phase N: X%" item.
    fn list_phase_item(&mut self, indent: usize, content: &str, toks: &[Tok]) -> Option<bool> {
        let at = toks
            .iter()
            .take(5)
            .position(|t| matches!(t, Tok::Word(w) if w == "phase"))?;
        let lead_ok = toks.iter().take(at).all(|t| {
            matches!(t, Tok::Sym(_)) || is_word(Some(t), &["after", "end", "of", "by", "the", "at"])
        });
        let n = match toks.get(at + 1) {
            Some(Tok::Num(n)) if lead_ok && n.fract() == 0.0 && *n >= 0.0 => *n as u64,
            _ => return None,
        };
        let rest = toks.get(at + 2..).unwrap_or_default();
        let target = match arrow(rest) {
            Some((_, to)) => Some(to),
            None => rest.iter().find_map(|t| match t {
                Tok::Pct(p) => Some(*p),
                _ => None,
            }),
        };
        let target = target?;
        let p = match self.phases.iter().position(|ph| ph.number == Some(n)) {
            Some(p) => p,
            None => {
                self.phases.push(PhaseDraft {
                    name: format!("Phase {n}"),
                    number: Some(n),
                    line: self.line,
                    text: self.text.clone(),
                    ..Default::default()
                });
                self.note(format!("phase {n} \"Phase {n}\" (from a list item)"));
                self.phases.len() - 1
            }
        };
        self.list_phase = Some((indent, p));
        if target.from.is_some() || !valid_pct(target.value) {
            self.warn(format!(
                "phase {n} target {} is not one percentage from 0 to 100 — left out",
                pct_label(&target)
            ));
            return Some(true);
        }
        let line = self.line;
        let Some(ph) = self.phases.get_mut(p) else {
            return Some(true);
        };
        let v = fmt_num(target.value);
        match merge(&mut ph.target, target.value, line) {
            Merge::New => self.note(format!("phase {n} target {v}%")),
            Merge::Same(l) => self.note(format!("phase {n} target {v}% (as on line {l})")),
            Merge::Conflict(l) => self.warn(format!(
                "phase {n} target {v}% disagrees with line {l}; kept line {l}'s"
            )),
        }
        // Backticked paths in the item are modules of that phase.
        let paths: Vec<String> = backticked(content)
            .into_iter()
            .filter(|s| is_path(s))
            .map(|s| clean_path(&s))
            .collect();
        for path in paths {
            self.module_item(Some(p), vec![path], &[]);
        }
        Some(true)
    }

    fn module_item(&mut self, phase: Option<usize>, paths: Vec<String>, toks: &[Tok]) {
        let m = self.module_for(paths);
        let label = self.modules.get(m).map(ModDraft::label).unwrap_or_default();
        let mut said = vec![format!("module {label}")];
        if let Some(p) = phase {
            let name = self.phase_name(p);
            if let Some(ph) = self.phases.get_mut(p) {
                ph.modules.push(PhaseMod::Index(m));
            }
            said.push(format!("in phase \"{name}\""));
        }
        let target = match arrow(toks) {
            Some((_, to)) => Some(to),
            None => pct_after_word(toks, &["target", "goal"], 2),
        };
        match target {
            Some(t) if t.from.is_none() => said.push(self.set_module_target(m, t.value, "target")),
            Some(t) => self.warn(format!(
                "target {} is a range, not one target — left out",
                pct_label(&t)
            )),
            None => {}
        }
        let said: Vec<String> = said.into_iter().filter(|s| !s.is_empty()).collect();
        self.note(said.join(", "));
    }

    fn board_item(&mut self, content: &str, toks: &[Tok]) {
        if let Some(v) = floor_pct(toks) {
            self.plan_pct(
                PlanField::Floor,
                v,
                " (the board's backlog: modules below it; covgap's board uses the floor the same way)",
            );
            return;
        }
        if is_label_item(content) {
            self.warn("board labels are not part of a plan — skipped".into());
        } else {
            self.warn("board columns are derived by covgap (backlog, in progress, review, done) — skipped".into());
        }
    }

    fn paragraph(&mut self, trimmed: &str) {
        let text = plain(trimmed);
        let lower = text.to_lowercase();
        let toks = tokens(&lower);
        let (phase, area) = self.ctx();
        // "**Exit criteria:**" alone: the list below holds the criteria.
        if text.ends_with(':') && is_criteria_title(&lower) {
            self.criteria_label = true;
            return;
        }
        self.criteria_label = false;
        if let Some(rest) = criteria_prefix(&text) {
            self.criteria_clauses(phase, &rest);
            return;
        }
        if area == Ctx::Criteria {
            // Prose in a criteria section is read only when it has a number to read.
            if has_pct(&toks) || mentions_fail_under(&toks) {
                self.criteria_clauses(phase, &text);
            }
            return;
        }
        self.line_facts(phase, &toks, &lower, &[]);
    }

    /// Facts of a line that is not a criterion, a module or a phase: plan-level ones
    /// outside phases, phase-level ones inside. Warns when a line with a percentage or a
    /// fail_under yields nothing.
    fn line_facts(&mut self, phase: Option<usize>, toks: &[Tok], lower: &str, paths: &[String]) {
        let found = match phase {
            Some(p) => self.phase_facts(p, toks, lower),
            None => self.plan_facts(toks),
        };
        if !found && (has_pct(toks) || mentions_fail_under(toks)) {
            let reason = if !paths.is_empty() && has_pct(toks) {
                format!(
                    "names {} with a percentage but no target (a file's current coverage is measured from the report, not stored) — skipped",
                    paths.join(", ")
                )
            } else if toks
                .iter()
                .any(|t| matches!(t, Tok::Word(w) if w == "current" || w == "currently"))
            {
                "current coverage is measured from the report, not stored — skipped".to_string()
            } else {
                "a percentage on a line that matches no pattern covgap import reads — skipped"
                    .to_string()
            };
            self.warn(reason);
        }
    }

    fn plan_facts(&mut self, toks: &[Tok]) -> bool {
        let mut found = false;
        if let Some(v) = fail_under(toks) {
            self.plan_pct(
                PlanField::Configured,
                v,
                " (fail_under in the project's coverage config today)",
            );
            found = true;
        }
        if let Some(v) = threshold(toks) {
            self.plan_pct(
                PlanField::Configured,
                v,
                " (the threshold configured today)",
            );
            found = true;
        }
        if let Some(p) = pct_after_word(toks, &["target", "goal", "reach", "achieve"], 2) {
            if p.from.is_none() {
                self.plan_pct(PlanField::Target, p.value, "");
                found = true;
            }
        }
        if let Some(p) = pct_after_word(toks, &["current", "currently", "baseline", "today"], 4) {
            // "current ... 57%" about one file is not the whole project's baseline.
            if p.from.is_none() && !mentions_file(toks) {
                self.plan_pct(PlanField::Baseline, p.value, "");
                found = true;
            }
        }
        if let Some(v) = floor_pct(toks) {
            self.plan_pct(
                PlanField::Floor,
                v,
                " (no phase requires it: the plan does not make it an exit criterion)",
            );
            found = true;
        }
        if let Some(v) = toks.iter().enumerate().find_map(|(i, t)| match t {
            Tok::Word(w) if w == "gap" => num_after(toks, i + 1, 0),
            _ => None,
        }) {
            self.gaps.push((v, self.line, self.text.clone()));
            found = true;
        }
        if !found
            && toks
                .iter()
                .any(|t| matches!(t, Tok::Word(w) if w == "effort"))
        {
            if let Some(e) = parse_effort_text(&self.text.clone(), true) {
                self.warn(format!(
                    "an effort of {}h for the whole plan has no place in a plan (efforts belong to modules) — skipped",
                    e.label()
                ));
                return true;
            }
        }
        found
    }

    fn phase_facts(&mut self, p: usize, toks: &[Tok], lower: &str) -> bool {
        let line = self.line;
        let text = self.text.clone();
        let name = self.phase_name(p);
        let label_value = |key: &str| -> Option<String> {
            let at = lower.find(key)?;
            let rest = lower.get(at + key.len()..)?;
            let rest = rest.trim_start();
            rest.strip_prefix(':').map(|r| r.trim().to_string())
        };
        if toks
            .iter()
            .any(|t| matches!(t, Tok::Word(w) if w == "effort" || w == "estimate"))
        {
            if let Some(e) = parse_effort_text(&text, true) {
                if let Some(ph) = self.phases.get_mut(p) {
                    ph.effort = Some((e, line, text));
                }
                return true;
            }
        }
        for key in ["priority", "impact"] {
            if let Some(v) = label_value(key) {
                match impact_word(&v) {
                    Some(Ok(i)) => {
                        if let Some(ph) = self.phases.get_mut(p) {
                            ph.impact = Some((i, line, text.clone()));
                        }
                    }
                    Some(Err(w)) => self.warn(format!(
                        "{key} '{w}' of phase \"{name}\" is not high, medium or low — skipped"
                    )),
                    None => continue,
                }
                return true;
            }
        }
        let mut found = false;
        if let Some(v) = fail_under(toks) {
            self.phase_crit(p, Crit::FailUnder(v));
            found = true;
        }
        if let Some(v) = floor_pct(toks) {
            self.phase_crit(p, Crit::Floor(v));
            found = true;
        }
        if found {
            return true;
        }
        if let Some(pc) = pct_after_word(toks, &["target", "goal"], 2) {
            if pc.from.is_none() && valid_pct(pc.value) {
                if let Some(ph) = self.phases.get_mut(p) {
                    match merge(&mut ph.target, pc.value, line) {
                        Merge::New | Merge::Same(_) => {
                            self.note(format!("phase \"{name}\" target {}%", fmt_num(pc.value)))
                        }
                        Merge::Conflict(l) => self.warn(format!(
                            "phase target {}% disagrees with line {l}; kept line {l}'s",
                            fmt_num(pc.value)
                        )),
                    }
                }
                return true;
            }
        }
        if pct_after_word(toks, &["current", "currently"], 4).is_some() {
            self.warn(
                "a module's current coverage is measured from the report, not stored — skipped"
                    .into(),
            );
            return true;
        }
        false
    }

    fn criteria_clauses(&mut self, phase: Option<usize>, text: &str) {
        for clause in clauses(text) {
            match criterion(&clause) {
                Some(c) => match phase {
                    Some(p) => self.phase_crit(p, c),
                    None => self.plan_crit(c),
                },
                None => self.warn(format!(
                    "could not express '{}' as a covgap criterion — left out",
                    plain(&clause)
                )),
            }
        }
    }

    fn phase_crit(&mut self, p: usize, c: Crit) {
        let line = self.line;
        let name = self.phase_name(p);
        let (what, v) = match c {
            Crit::Overall(v) => ("overall ≥", v),
            Crit::FailUnder(v) => ("fail_under raised to", v),
            Crit::Floor(v) => {
                if !valid_pct(v) {
                    self.warn(format!(
                        "floor {}% is not a percentage from 0 to 100 — left out",
                        fmt_num(v)
                    ));
                    return;
                }
                if let Some(ph) = self.phases.get_mut(p) {
                    ph.no_file_below_floor = true;
                }
                self.note(format!(
                    "phase \"{name}\" exit: no file below the floor (no_file_below_floor)"
                ));
                self.plan_pct(PlanField::Floor, v, "");
                return;
            }
        };
        if !valid_pct(v) {
            self.warn(format!(
                "{what} {}% is not a percentage from 0 to 100 — left out",
                fmt_num(v)
            ));
            return;
        }
        let Some(ph) = self.phases.get_mut(p) else {
            return;
        };
        let slot = match c {
            Crit::Overall(_) => &mut ph.overall_at_least,
            _ => &mut ph.fail_under,
        };
        match merge(slot, v, line) {
            Merge::New | Merge::Same(_) => self.note(format!(
                "phase \"{name}\" exit: {what} {}{}",
                fmt_num(v),
                if what.starts_with("overall") { "%" } else { "" }
            )),
            Merge::Conflict(l) => self.warn(format!(
                "{what} {} disagrees with line {l}; kept line {l}'s",
                fmt_num(v)
            )),
        }
    }

    fn plan_crit(&mut self, c: Crit) {
        match c {
            Crit::Overall(v) => self.plan_pct(PlanField::Target, v, " (a success criterion)"),
            Crit::FailUnder(v) => {
                self.last_phase_fail_under
                    .push((v, self.line, self.text.clone()));
            }
            Crit::Floor(v) => {
                self.plan_pct(PlanField::Floor, v, "");
                if self.last_phase_file_floor.is_none() {
                    self.last_phase_file_floor = Some((self.line, self.text.clone()));
                }
            }
        }
    }

    // ---- resolving ----

    fn finish(mut self, options: &ImportOptions) -> Result<Imported, ImportError> {
        if self.modules.is_empty()
            && self.phases.is_empty()
            && self.pathless.is_empty()
            && self.target.is_none()
        {
            self.sort();
            return Err(ImportError::NothingFound {
                warnings: self.warnings,
            });
        }
        self.resolve_phase_modules();
        self.apply_phase_module_facts();

        // Phases need a target.
        let mut phases = Vec::new();
        for ph in std::mem::take(&mut self.phases) {
            match ph.target {
                Some(_) => phases.push(ph),
                None => self.warn_at(
                    ph.line,
                    &ph.text,
                    format!(
                        "could not read a target for phase \"{}\" (write 'Raise to 60%' in its heading or a list item 'After {}: 60% overall') — phase left out; its modules are kept",
                        ph.name,
                        ph.number.map(|n| format!("Phase {n}")).unwrap_or_else(|| ph.name.clone())
                    ),
                ),
            }
        }
        // Phases as numbered: when every phase has a number, in that order.
        if phases.iter().all(|p| p.number.is_some()) {
            phases.sort_by_key(|p| p.number);
        }
        self.phases = phases;

        // Plan-level criteria that belong to the last phase.
        let last = self.phases.len().checked_sub(1);
        let fu = std::mem::take(&mut self.last_phase_fail_under);
        for (v, line, text) in fu {
            match last.and_then(|l| self.phases.get_mut(l)) {
                Some(ph) if valid_pct(v) => {
                    let name = ph.name.clone();
                    match merge(&mut ph.fail_under, v, line) {
                        Merge::New | Merge::Same(_) => self.note_at(
                            line,
                            &text,
                            format!("last phase \"{name}\" exit: fail_under raised to {}", fmt_num(v)),
                        ),
                        Merge::Conflict(l) => self.warn_at(
                            line,
                            &text,
                            format!("fail_under {} disagrees with line {l}; kept line {l}'s", fmt_num(v)),
                        ),
                    }
                }
                _ => self.warn_at(
                    line,
                    &text,
                    format!(
                        "a fail_under of {} as a success criterion needs a phase to carry it — left out",
                        fmt_num(v)
                    ),
                ),
            }
        }
        if let Some((line, text)) = self.last_phase_file_floor.take() {
            match last.and_then(|l| self.phases.get_mut(l)) {
                Some(ph) => {
                    ph.no_file_below_floor = true;
                    let name = ph.name.clone();
                    self.note_at(
                        line,
                        &text,
                        format!("last phase \"{name}\" exit: no file below the floor (no_file_below_floor)"),
                    );
                }
                None => self.note_at(
                    line,
                    &text,
                    "no phases: covgap check judges the floor on the plan's modules".into(),
                ),
            }
        }

        // The overall target.
        let target = match (options.target, self.target) {
            (Some(t), Some((stated, line))) => {
                if t != stated {
                    let text = self.line_text(line);
                    self.warn_at(
                        line,
                        &text,
                        format!(
                            "the plan states a target of {}%; the target given to import ({}%) replaces it",
                            fmt_num(stated),
                            fmt_num(t)
                        ),
                    );
                }
                t
            }
            (Some(t), None) => t,
            (None, Some((t, _))) => t,
            (None, None) => match self.phases.last().and_then(|ph| ph.target.map(|t| (t, ph))) {
                Some(((t, _), ph)) => {
                    let (line, text, name) = (ph.line, ph.text.clone(), ph.name.clone());
                    self.warn_at(
                        line,
                        &text,
                        format!(
                            "the plan states no overall target; using the last phase's target {}% (phase \"{name}\") as the plan's target",
                            fmt_num(t)
                        ),
                    );
                    t
                }
                None => {
                    self.sort();
                    return Err(ImportError::NoTarget {
                        warnings: self.warnings,
                        understood: self.understood,
                    });
                }
            },
        };

        // Gap checks: "Gap: 16 percentage points" against target − baseline.
        let gaps = std::mem::take(&mut self.gaps);
        for (g, line, text) in gaps {
            match self.baseline {
                Some((b, _)) if (target - b - g).abs() <= 0.5 => self.note_at(
                    line,
                    &text,
                    format!(
                        "gap {} points (= target {}% − baseline {}%; covgap computes it)",
                        fmt_num(g),
                        fmt_num(target),
                        fmt_num(b)
                    ),
                ),
                Some((b, _)) => self.warn_at(
                    line,
                    &text,
                    format!(
                        "gap {} points is not target {}% − baseline {}%; covgap computes the gap itself — skipped",
                        fmt_num(g),
                        fmt_num(target),
                        fmt_num(b)
                    ),
                ),
                None => self.note_at(
                    line,
                    &text,
                    format!("gap {} points (not stored; covgap computes it)", fmt_num(g)),
                ),
            }
        }

        self.warn_shadowed();
        let plan = self.build(target, options);
        self.sort();
        if let Some(p) = validate(&plan).into_iter().next() {
            return Err(ImportError::Invalid {
                message: format!("{} (at {})", p.message, p.path_text()),
                warnings: self.warnings,
                understood: self.understood,
            });
        }
        Ok(Imported {
            plan,
            warnings: self.warnings,
            understood: self.understood,
        })
    }

    /// A directory module listed before a module below it takes all its files: each file
    /// belongs to the first module that matches. Said, not reordered: order is the
    /// author's.
    fn warn_shadowed(&mut self) {
        let mut found = Vec::new();
        for (i, a) in self.modules.iter().enumerate() {
            for b in self.modules.iter().skip(i + 1) {
                let shadow = a.paths.iter().find(|dir| {
                    extension(dir).is_none()
                        && b.paths.iter().any(|p| {
                            let d = dir.trim_end_matches('/');
                            p.strip_prefix(d).is_some_and(|rest| rest.starts_with('/'))
                        })
                });
                if let Some(dir) = shadow {
                    found.push((dir.clone(), b.label(), a.line, a.text.clone()));
                }
            }
        }
        for (dir, label, line, text) in found {
            self.warn_at(
                line,
                &text,
                format!(
                    "module {dir} comes before {label}, which it contains: each file belongs to the first module that matches, so {label} would match nothing; move {dir} after it in the plan"
                ),
            );
        }
    }

    fn line_text(&self, line: usize) -> String {
        self.understood
            .iter()
            .find(|u| u.line == line)
            .map(|u| u.text.clone())
            .unwrap_or_default()
    }

    fn sort(&mut self) {
        self.warnings.sort_by_key(|w| w.line);
        self.understood.sort_by_key(|u| u.line);
    }

    /// Gives phase heading files and backticked names their modules.
    fn resolve_phase_modules(&mut self) {
        // Table rows without a path may name a module whose path is written elsewhere.
        let rows = std::mem::take(&mut self.pathless);
        for row in rows {
            let key = name_key(&row.name);
            let hits: Vec<usize> = self
                .modules
                .iter()
                .enumerate()
                .filter(|(_, m)| m.paths.iter().any(|p| name_key(&stem(p)) == key))
                .map(|(i, _)| i)
                .collect();
            match hits.as_slice() {
                [m] => {
                    let m = *m;
                    self.line = row.line;
                    self.text = row.text.clone();
                    let label = self.modules.get(m).map(ModDraft::label).unwrap_or_default();
                    let mut said = vec![format!("module {label} (named \"{}\" here)", row.name)];
                    if let Some(t) = row.target {
                        said.push(self.set_module_target(m, t, "target"));
                    }
                    if let Some(e) = row.effort {
                        said.push(self.set_module_effort(m, e));
                    }
                    if let Some(i) = row.impact {
                        said.push(self.set_module_impact(m, i));
                    }
                    let said: Vec<String> = said.into_iter().filter(|s| !s.is_empty()).collect();
                    self.note(said.join(", "));
                }
                [] => self.warn_at(
                    row.line,
                    &row.text,
                    format!(
                        "module '{}' has no path (a file, directory or glob such as `src/pkg/auth/`) — row skipped; add the module by hand",
                        row.name
                    ),
                ),
                _ => self.warn_at(
                    row.line,
                    &row.text,
                    format!("module '{}' could be any of {} modules — row skipped", row.name, hits.len()),
                ),
            }
        }

        // Heading file names first: they may create modules.
        for p in 0..self.phases.len() {
            let entries = match self.phases.get_mut(p) {
                Some(ph) => std::mem::take(&mut ph.modules),
                None => continue,
            };
            let mut resolved = Vec::new();
            let mut heading = Vec::new();
            for e in entries {
                match e {
                    PhaseMod::File { token, line, text } => {
                        let hits: Vec<usize> = self
                            .modules
                            .iter()
                            .enumerate()
                            .filter(|(_, m)| {
                                m.paths.iter().any(|path| {
                                    *path == token
                                        || (!token.contains('/') && file_name(path) == token)
                                        || path.ends_with(&format!("/{token}"))
                                })
                            })
                            .map(|(i, _)| i)
                            .collect();
                        match hits.as_slice() {
                            [m] => {
                                let label = self
                                    .modules
                                    .get(*m)
                                    .map(ModDraft::label)
                                    .unwrap_or_default();
                                let name = self.phase_name(p);
                                self.note_at(
                                    line,
                                    &text,
                                    format!("phase \"{name}\" works on module {label}"),
                                );
                                resolved.push(PhaseMod::Index(*m));
                                heading.push(*m);
                            }
                            [] => {
                                self.modules.push(ModDraft {
                                    paths: vec![token.clone()],
                                    line,
                                    text: text.clone(),
                                    ..Default::default()
                                });
                                let name = self.phase_name(p);
                                self.note_at(
                                    line,
                                    &text,
                                    format!("module {token} (named only in the heading of phase \"{name}\"; path as written)"),
                                );
                                resolved.push(PhaseMod::Index(self.modules.len() - 1));
                                heading.push(self.modules.len() - 1);
                            }
                            _ => self.warn_at(
                                line,
                                &text,
                                format!(
                                    "'{token}' could be any of {} modules — not added to the phase",
                                    hits.len()
                                ),
                            ),
                        }
                    }
                    other => resolved.push(other),
                }
            }
            if let Some(ph) = self.phases.get_mut(p) {
                ph.modules = resolved;
                ph.heading_mods = heading;
            }
        }

        // Backticked names in phase items.
        for p in 0..self.phases.len() {
            let entries = match self.phases.get_mut(p) {
                Some(ph) => std::mem::take(&mut ph.modules),
                None => continue,
            };
            let mut resolved: Vec<usize> = Vec::new();
            for e in entries {
                let m = match e {
                    PhaseMod::Index(m) => Some(m),
                    PhaseMod::Ident { name, line, text } => {
                        let key = name_key(&name);
                        let hits: Vec<usize> = self
                            .modules
                            .iter()
                            .enumerate()
                            .filter(|(_, m)| {
                                m.paths.iter().any(|path| {
                                    name_key(&stem(path)) == key
                                        || *path == name
                                        || file_name(path) == name
                                })
                            })
                            .map(|(i, _)| i)
                            .collect();
                        match hits.as_slice() {
                            [m] => {
                                let label = self
                                    .modules
                                    .get(*m)
                                    .map(ModDraft::label)
                                    .unwrap_or_default();
                                let pname = self.phase_name(p);
                                self.note_at(
                                    line,
                                    &text,
                                    format!("phase \"{pname}\" works on module {label} (named `{name}`)"),
                                );
                                Some(*m)
                            }
                            [] => None,
                            _ => {
                                self.warn_at(
                                    line,
                                    &text,
                                    format!("`{name}` could be any of {} modules — not added to the phase", hits.len()),
                                );
                                None
                            }
                        }
                    }
                    PhaseMod::File { .. } => None,
                };
                if let Some(m) = m {
                    if !resolved.contains(&m) {
                        resolved.push(m);
                    }
                }
            }
            if let Some(ph) = self.phases.get_mut(p) {
                ph.modules = resolved.into_iter().map(PhaseMod::Index).collect();
            }
        }
    }

    fn phase_modules(&self, p: usize) -> Vec<usize> {
        self.phases
            .get(p)
            .map(|ph| {
                ph.modules
                    .iter()
                    .filter_map(|e| match e {
                        PhaseMod::Index(m) => Some(*m),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Targets, efforts and priorities a phase gives its modules.
    fn apply_phase_module_facts(&mut self) {
        for p in 0..self.phases.len() {
            let mods = self.phase_modules(p);
            let Some(ph) = self.phases.get(p) else {
                continue;
            };
            let (name, line, text) = (ph.name.clone(), ph.line, ph.text.clone());
            let heading_target = ph.heading_module_target;
            let listed_target = ph.listed_module_target;
            let range = ph.module_range;
            let effort = ph.effort.clone();
            let impact = ph.impact.clone();
            let targeted: Vec<usize> = match (heading_target, listed_target) {
                (Some(_), _) => ph.heading_mods.clone(),
                _ => mods.clone(),
            };
            if let Some((t, l)) = heading_target.or(listed_target) {
                self.line = l;
                self.text = text.clone();
                for &m in &targeted {
                    let label = self.modules.get(m).map(ModDraft::label).unwrap_or_default();
                    let s = self.set_module_target(m, t, "target");
                    if !s.is_empty() {
                        self.note(format!("module {label} {s} (phase \"{name}\" heading)"));
                    }
                }
            }
            if let Some(((lo, hi), l)) = range {
                for &m in &mods {
                    let Some(md) = self.modules.get(m) else {
                        continue;
                    };
                    if let Some((t, _)) = md.target {
                        if t < lo || t > hi {
                            let label = md.label();
                            self.warn_at(
                                l,
                                &text,
                                format!(
                                    "module {label}'s target {}% is outside the heading's {}-{}% range; kept {}%",
                                    fmt_num(t),
                                    fmt_num(lo),
                                    fmt_num(hi),
                                    fmt_num(t)
                                ),
                            );
                        }
                    }
                }
            }
            if let Some((e, l, etext)) = effort {
                match mods.as_slice() {
                    [m] => {
                        self.line = l;
                        self.text = etext.clone();
                        let label = self.modules.get(*m).map(ModDraft::label).unwrap_or_default();
                        let s = self.set_module_effort(*m, e);
                        if !s.is_empty() {
                            self.note(format!("module {label} {s} (the effort of phase \"{name}\", its only module)"));
                        }
                    }
                    _ => self.warn_at(
                        l,
                        &etext,
                        format!(
                            "an effort of {}h for phase \"{name}\" cannot be split over its {} modules (efforts belong to modules) — skipped",
                            e.label(),
                            mods.len()
                        ),
                    ),
                }
            }
            if let Some((i, l, itext)) = impact {
                if mods.is_empty() {
                    self.warn_at(
                        l,
                        &itext,
                        format!(
                            "priority {} of phase \"{name}\", which names no module — skipped",
                            i.label()
                        ),
                    );
                } else {
                    self.line = l;
                    self.text = itext.clone();
                    let mut said = Vec::new();
                    for &m in &mods {
                        let label = self.modules.get(m).map(ModDraft::label).unwrap_or_default();
                        let s = self.set_module_impact(m, i);
                        if !s.is_empty() {
                            said.push(format!("{label} {s}"));
                        }
                    }
                    if !said.is_empty() {
                        self.note(format!("phase \"{name}\" priority: {}", said.join("; ")));
                    }
                }
            }
            let _ = line;
        }
    }

    /// Unique module names: the file stem; parent directories added while two collide;
    /// several paths joined with `+`.
    fn module_names(&self) -> Vec<String> {
        let base = |m: &ModDraft, depth: usize| -> String {
            m.paths
                .iter()
                .map(|p| {
                    let segs: Vec<&str> = p.trim_end_matches('/').split('/').collect();
                    let keep = depth.min(segs.len().saturating_sub(1));
                    let parents = segs
                        .get(segs.len().saturating_sub(1 + keep)..segs.len().saturating_sub(1))
                        .unwrap_or_default()
                        .join("/");
                    if parents.is_empty() {
                        stem(p)
                    } else {
                        format!("{parents}/{}", stem(p))
                    }
                })
                .collect::<Vec<_>>()
                .join("+")
        };
        let mut depth = vec![0usize; self.modules.len()];
        let mut names: Vec<String> = self.modules.iter().map(|m| base(m, 0)).collect();
        for _ in 0..8 {
            let dups: Vec<bool> = names
                .iter()
                .map(|n| names.iter().filter(|o| *o == n).count() > 1)
                .collect();
            let mut changed = false;
            for (i, dup) in dups.into_iter().enumerate() {
                if !dup {
                    continue;
                }
                if let (Some(d), Some(m), Some(slot)) =
                    (depth.get_mut(i), self.modules.get(i), names.get_mut(i))
                {
                    *d += 1;
                    let next = base(m, *d);
                    if next != *slot {
                        *slot = next;
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        // Still equal (the same path twice cannot happen; identical stems at full depth
        // can): number them.
        let mut out: Vec<String> = Vec::new();
        for n in names {
            let mut name = n.clone();
            let mut k = 2;
            while out.contains(&name) {
                name = format!("{n} ({k})");
                k += 1;
            }
            out.push(name);
        }
        out
    }

    fn build(&mut self, target: f64, options: &ImportOptions) -> Plan {
        let names = self.module_names();
        let prefix = options.prefix.as_deref().filter(|p| !p.is_empty());
        let with_prefix = |p: &str| -> String {
            match prefix {
                Some(pre) if !p.starts_with(pre) && !p.starts_with('/') => format!("{pre}{p}"),
                _ => p.to_string(),
            }
        };
        let modules: Vec<Module> = self
            .modules
            .iter()
            .zip(&names)
            .map(|(m, name)| {
                let mut paths: Vec<String> = m.paths.iter().map(|p| with_prefix(p)).collect();
                let (path, paths) = if paths.len() == 1 {
                    (paths.pop(), Vec::new())
                } else {
                    (None, paths)
                };
                Module {
                    name: Some(name.clone()),
                    path,
                    paths,
                    target: m.target.map(|(t, _)| t),
                    effort: m.effort.map(|(e, _)| e),
                    impact: m.impact.map(|(i, _)| i),
                    owner: m.owner.as_ref().map(|(o, _)| o.clone()),
                    ..Default::default()
                }
            })
            .collect();
        let phases: Vec<Phase> = (0..self.phases.len())
            .filter_map(|p| {
                let mods = self.phase_modules(p);
                let ph = self.phases.get(p)?;
                Some(Phase {
                    name: ph.name.clone(),
                    target: ph.target.map(|(t, _)| t)?,
                    metric: None,
                    baseline: None,
                    modules: mods.iter().filter_map(|m| names.get(*m).cloned()).collect(),
                    exit: ExitCriteria {
                        overall_at_least: ph.overall_at_least.map(|(v, _)| v),
                        fail_under: ph.fail_under.map(|(v, _)| v),
                        no_file_below_floor: ph.no_file_below_floor,
                        ..Default::default()
                    },
                    notes: None,
                })
            })
            .collect();
        Plan {
            version: CURRENT_VERSION,
            name: self.name.as_ref().map(|(n, _)| n.clone()),
            description: None,
            target,
            metric: None,
            precision: 0,
            floor: self.floor.map(|(v, _)| v),
            baseline: self.baseline.map(|(v, _)| v),
            configured_fail_under: self.configured.map(|(v, _)| v),
            modules,
            phases,
        }
    }
}

#[derive(Clone, Copy)]
enum PlanField {
    Target,
    Baseline,
    Configured,
    Floor,
}

impl PlanField {
    fn label(self) -> &'static str {
        match self {
            PlanField::Target => "plan target",
            PlanField::Baseline => "baseline",
            PlanField::Configured => "configured_fail_under",
            PlanField::Floor => "floor",
        }
    }
}

/// The criteria after "Exit criteria:" (or "Success criteria:", "Done when:").
fn criteria_prefix(text: &str) -> Option<String> {
    let (head, rest) = text.split_once(':')?;
    let head = head.trim().to_lowercase();
    (CRITERIA_WORDS.iter().any(|w| head.ends_with(w)) && !rest.trim().is_empty())
        .then(|| rest.trim().to_string())
}

/// `---`, `***`, `___`: a horizontal rule.
fn is_thematic_break(t: &str) -> bool {
    let c: Vec<char> = t.chars().filter(|c| !c.is_whitespace()).collect();
    c.len() >= 3
        && c.first()
            .is_some_and(|f| matches!(f, '-' | '*' | '_') && c.iter().all(|x| x == f))
}

/// A list item of board labels: `coverage-phase-2`, `module:prediction-service`.
fn is_label_item(content: &str) -> bool {
    let lower = plain(content).to_lowercase();
    let ticks = backticked(content);
    lower.contains("label")
        && ticks.iter().any(|t| {
            let t = t.to_lowercase();
            t.contains(':') || t.starts_with("coverage-") || t.starts_with("phase-")
        })
}

fn mentions_file(toks: &[Tok]) -> bool {
    toks.iter()
        .any(|t| matches!(t, Tok::Word(w) if has_source_extension(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_is_repaired() {
        assert_eq!(fix_mojibake("ğŸ”´ HIGH"), "🔴 HIGH");
        assert_eq!(fix_mojibake("ğŸŸ¡ MEDIUM"), "🟡 MEDIUM");
        assert_eq!(fix_mojibake("10% â†’ 80%"), "10% → 80%");
        assert_eq!(fix_mojibake("café – naïve"), "café – naïve");
        assert_eq!(fix_mojibake("plain"), "plain");
    }

    #[test]
    fn impact_words() {
        assert_eq!(impact_word("ğŸ”´ HIGH"), Some(Ok(Impact::High)));
        assert_eq!(impact_word("🟡 Medium"), Some(Ok(Impact::Medium)));
        assert_eq!(impact_word("**low**"), Some(Ok(Impact::Low)));
        assert_eq!(
            impact_word("ğŸ”´ CRITICAL (x)"),
            Some(Err("CRITICAL".to_string()))
        );
        assert_eq!(impact_word("🔴"), None);
    }

    #[test]
    fn efforts() {
        let e = |s: &str, unit: bool| parse_effort_text(s, unit).map(|e| (e.min, e.max));
        assert_eq!(e("4-6h", false), Some((4.0, 6.0)));
        assert_eq!(e("2–3 hours", true), Some((2.0, 3.0)));
        assert_eq!(e("Estimated Effort: 12-16 hours", true), Some((12.0, 16.0)));
        assert_eq!(e("3", false), Some((3.0, 3.0)));
        assert_eq!(e("3", true), None);
        assert_eq!(e("~2h", true), Some((2.0, 2.0)));
        assert_eq!(e("2 to 3 hrs", true), Some((2.0, 3.0)));
        assert_eq!(e("2 days", false), None);
        assert_eq!(e("M", false), None);
    }

    #[test]
    fn percentages() {
        let t = tokens("phase 3: builder/codegen modules (7-20% → 70%)");
        assert!(t.contains(&Tok::Pct(Pct {
            value: 20.0,
            from: Some(7.0)
        })));
        assert_eq!(arrow(&t).map(|(_, to)| to.value), Some(70.0), "{t:?}");
        let t = tokens("current: 64% | target: 80%+ | gap: 16 percentage points");
        assert_eq!(
            pct_after_word(&t, &["target"], 2).map(|p| p.value),
            Some(80.0)
        );
        assert_eq!(
            pct_after_word(&t, &["current"], 4).map(|p| p.value),
            Some(64.0)
        );
        let t = tokens("green ci with --cov-fail-under=60");
        assert_eq!(fail_under(&t), Some(60.0));
        let t = tokens("temporarily lower threshold to 70% if needed");
        assert_eq!(threshold(&t), None);
        let t = tokens("threshold raised to 55% (pytest.ini)");
        assert_eq!(threshold(&t), Some(55.0));
    }

    #[test]
    fn criteria() {
        assert_eq!(criterion("coverage ≥61%"), Some(Crit::Overall(61.0)));
        assert_eq!(
            criterion("Overall coverage ≥ 80%"),
            Some(Crit::Overall(80.0))
        );
        assert_eq!(
            criterion("No module below 50% coverage (infrastructure critical)"),
            Some(Crit::Floor(50.0))
        );
        assert_eq!(
            criterion("CI updated to `--cov-fail-under=70`"),
            Some(Crit::FailUnder(70.0))
        );
        assert_eq!(criterion("board items for monitoring closed"), None);
        assert_eq!(criterion("Test runtime remains under 5 minutes"), None);
        assert_eq!(
            clauses("green CI with `--cov-fail-under=60`, coverage ≥61%."),
            vec!["green CI with `--cov-fail-under=60`", "coverage ≥61%"]
        );
    }

    #[test]
    fn paths_and_names() {
        assert!(is_path("execution/kubernetes_sandbox.py"));
        assert!(is_path("kubernetes_sandbox.py"));
        assert!(is_path("src/pkg/"));
        assert!(!is_path("--cov=src"));
        assert!(!is_path("pytest.ini"));
        assert!(!is_path("coverage.json"));
        assert!(!is_path("module:prediction-service"));
        assert!(!is_path("mock_db_manager"));
        assert!(!is_path("python3 -m pytest tests/"));
        assert_eq!(
            stem("execution/kubernetes_sandbox.py"),
            "kubernetes_sandbox"
        );
        assert_eq!(stem("src/auth/"), "auth");
    }

    #[test]
    fn no_panic_on_odd_input() {
        for text in [
            "",
            "#",
            "|",
            "| a |\n|",
            "1. `",
            "## Phase 99999999999999999999999: →",
            "- After Phase 1:",
            "Target: 1e400%",
            "\u{FEFF}# T\r\nTarget: 80%\r\n",
            "```\nTarget: 80%",
            "| Module | Target |\n|---|---|\n| `a.py` | 7-9% |",
        ] {
            let _ = import_markdown(text);
        }
    }
}
