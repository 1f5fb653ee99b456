//! Numbers for people: counts with the user's digit grouping, percentages with the user's
//! decimal separator (the digits are always coverage.py's own display rounding).

/// A count with locale digit grouping ("10,336" in en-US, "10.336" in de-DE).
pub fn count(n: u64) -> String {
    crate::io::locale_count(n).unwrap_or_else(|| n.to_string())
}

/// A percentage string from `covgap_core::display` with the locale's decimal separator.
pub fn pct(display: &str) -> String {
    match crate::io::locale_decimal_separator() {
        Some(sep) if sep != '.' => display.replace('.', &sep.to_string()),
        _ => display.to_string(),
    }
}

/// Percentage points, signed, two decimals ("+1.25 pp").
pub fn pp(x: f64) -> String {
    pct(&format!("{x:.2}"))
}

/// A byte size ("1.3 MB").
pub fn bytes(n: usize) -> String {
    const UNITS: [&str; 4] = ["bytes", "KB", "MB", "GB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < UNITS.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} bytes")
    } else {
        pct(&format!("{v:.1} {}", UNITS[u]))
    }
}
