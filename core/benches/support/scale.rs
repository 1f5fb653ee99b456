//! Larger inputs made from real fixtures, at bench time (nothing generated is committed):
//! every real report of the text and XML formats is well under 1 MB, too small to time a
//! reader on its own. Each copy renames the files it covers, so the result is a valid
//! report of the same format with `copies` times as many distinct files:
//!
//! - LCOV: the records again, `SF:path` becoming `SF:cN/path`;
//! - Cobertura: the `<package>` elements again inside `<packages>`, `filename="path"`
//!   becoming `filename="cN/path"`;
//! - JaCoCo: the `<package>` elements again, `<package name="p"` becoming `name="cN/p"`;
//! - Go coverprofile: the block lines again, each path prefixed with `cN/`.
//!
//! The declared totals (Cobertura's `lines-valid`, JaCoCo's report counters) are left as
//! they are: the readers then note the difference in a warning, which costs nothing
//! measurable.

#![allow(dead_code)]

/// How a fixture is scaled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Lcov,
    Cobertura,
    Jacoco,
    Go,
}

/// `text` repeated `copies` times as one report of its format (see the module comment);
/// `None` when `text` does not have the shape the format needs.
pub fn scaled(how: Scale, text: &str, copies: usize) -> Option<String> {
    let mut out = String::with_capacity(text.len() * copies + 64);
    match how {
        Scale::Lcov => {
            for i in 0..copies {
                for line in text.split_inclusive('\n') {
                    match line.strip_prefix("SF:") {
                        Some(rest) => {
                            out.push_str(&format!("SF:c{i}/"));
                            out.push_str(rest);
                        }
                        None => out.push_str(line),
                    }
                }
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
        Scale::Go => {
            let (mode, blocks) = text.split_once('\n')?;
            out.push_str(mode);
            out.push('\n');
            for i in 0..copies {
                for line in blocks.split_inclusive('\n') {
                    if !line.trim().is_empty() {
                        out.push_str(&format!("c{i}/"));
                    }
                    out.push_str(line);
                }
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            }
        }
        Scale::Cobertura => {
            let start = text.find("<packages>")? + "<packages>".len();
            let end = text.rfind("</packages>")?;
            let body = text.get(start..end)?;
            out.push_str(text.get(..start)?);
            for i in 0..copies {
                out.push_str(&body.replace("filename=\"", &format!("filename=\"c{i}/")));
            }
            out.push_str(text.get(end..)?);
        }
        Scale::Jacoco => {
            let start = text.find("<package ")?;
            let end = text.rfind("</package>")? + "</package>".len();
            let body = text.get(start..end)?;
            out.push_str(text.get(..start)?);
            for i in 0..copies {
                out.push_str(&body.replace("<package name=\"", &format!("<package name=\"c{i}/")));
            }
            out.push_str(text.get(end..)?);
        }
    }
    Some(out)
}

/// How many copies make `len` bytes into about `target` bytes (at least 1).
pub fn copies_for(len: usize, target: usize) -> usize {
    target.div_ceil(len.max(1)).max(1)
}

/// This thread's CPU time so far, in nanoseconds (0 where the kernel does not say): on a
/// machine shared with other work, wall-clock time says little.
pub fn cpu_ns() -> u64 {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next().and_then(|v| v.parse().ok()))
        .unwrap_or(0)
}

/// MB/s over this thread's CPU time of `run` on `bytes` bytes, run for about `budget_ns`
/// of CPU time (or `rounds` times); `None` where the CPU time cannot be read.
pub fn cpu_mbps(
    bytes: usize,
    budget_ns: u64,
    rounds: Option<usize>,
    mut run: impl FnMut(),
) -> Option<f64> {
    let start = cpu_ns();
    if start == 0 {
        return None;
    }
    let mut n = 0usize;
    loop {
        run();
        n += 1;
        let spent = cpu_ns().saturating_sub(start);
        match rounds {
            Some(r) if n >= r => break,
            None if spent >= budget_ns => break,
            _ => {}
        }
    }
    let spent = cpu_ns().saturating_sub(start).max(1) as f64 / 1e9;
    Some((bytes * n) as f64 / spent / 1e6)
}
