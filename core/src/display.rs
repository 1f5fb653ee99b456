//! Rounding exactly as coverage.py does it: one function for display, one for the
//! `fail_under` rule. Everything covgap prints as a percentage goes through here.

/// The largest precision covgap accepts (coverage.py has no limit; beyond this a double
/// has no more digits to show anyway).
pub const MAX_PRECISION: u8 = 10;

/// Rounds `value` to `precision` decimals the way Python's `round(value, precision)` does:
/// correctly rounded from the exact binary value, ties to even.
pub fn round_to(value: f64, precision: u8) -> f64 {
    if !value.is_finite() {
        return value;
    }
    let p = usize::from(precision.min(MAX_PRECISION));
    // Rust's fixed-precision formatting is exact (ties to even on the exact binary value),
    // like CPython's float rounding, so parsing its output back gives round()'s result.
    format!("{value:.p$}").parse().unwrap_or(value)
}

/// coverage.py's `display_covered`: `value` with `precision` decimals, but never "0"
/// unless it is exactly 0 and never "100" unless it is exactly 100 (99.9999 shows as
/// "99" at precision 0, "99.9" at precision 1).
pub fn display_percent(value: f64, precision: u8) -> String {
    let p = usize::from(precision.min(MAX_PRECISION));
    if !value.is_finite() {
        return "n/a".to_string();
    }
    let near0 = 1.0 / 10f64.powi(p as i32);
    let shown = if 0.0 < value && value < near0 {
        near0
    } else if (100.0 - near0) < value && value < 100.0 {
        100.0 - near0
    } else {
        round_to(value, precision)
    };
    format!("{shown:.p$}")
}

/// A change in percentage points, signed, with `precision` decimals: "+0.81", "-2.50",
/// "0.00" only for no change at all. Like [`display_percent`], a change that is not zero
/// never shows as zero: a fall of 0.001 shows as "-0.01" at precision 2.
pub fn display_delta(pp: f64, precision: u8) -> String {
    if !pp.is_finite() {
        return "n/a".to_string();
    }
    let p = usize::from(precision.min(MAX_PRECISION));
    if pp == 0.0 {
        return format!("{:.p$}", 0.0);
    }
    let near0 = 1.0 / 10f64.powi(p as i32);
    let magnitude = round_to(pp.abs(), precision).max(near0);
    let sign = if pp > 0.0 { '+' } else { '-' };
    format!("{sign}{magnitude:.p$}")
}

/// coverage.py's `should_fail_under` negated (7.17.1 and later): does `total` meet
/// `fail_under`? The total is rounded to `precision` decimals, or to as many as the
/// threshold itself is written with when that is more (92.206 meets 92.21). A target of
/// exactly 100 needs exactly 100.
pub fn meets_target(total: f64, target: f64, precision: u8) -> bool {
    meets_target_at(total, target, fail_under_precision(target, precision))
}

/// coverage.py's `should_fail_under` before 7.17.1: the total rounded to `precision`
/// only (92.206 fails 92.21 at precision 0).
pub fn meets_target_at(total: f64, target: f64, precision: u8) -> bool {
    if target >= 100.0 {
        return total >= 100.0;
    }
    round_to(total, precision) >= target
}

/// coverage.py's `_fail_under_precision`: the precision, or the number of decimals the
/// threshold is written with (its shortest decimal form) when that is more.
pub fn fail_under_precision(threshold: f64, precision: u8) -> u8 {
    if !threshold.is_finite() || threshold == threshold.trunc() {
        return precision;
    }
    let s = format!("{threshold}");
    let decimals = s.split_once('.').map_or(0, |(_, f)| f.len());
    precision.max(
        u8::try_from(decimals)
            .unwrap_or(MAX_PRECISION)
            .min(MAX_PRECISION),
    )
}

/// A file name or path as a person should see it: every character that would be
/// invisible or would reorder the text around it is written as `⟨U+XXXX⟩` — controls
/// (tab, newline, NUL…), bidirectional controls (U+202E would show `gnp.exe` as `exe.png`),
/// zero-width and other format characters, and spaces other than U+0020; a space at the
/// start or the end too. A combining accent written after a plain ASCII letter
/// (`e` + U+0301) is shown as `⟨U+0301⟩`, so a name in decomposed form (NFD) is told apart
/// from the same name in composed form (NFC) that looks identical. An empty name is
/// `⟨empty name⟩`. Names with none of these come back unchanged (and unallocated).
pub fn visible(name: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if name.is_empty() {
        return Cow::Borrowed("⟨empty name⟩");
    }
    let chars: Vec<char> = name.chars().collect();
    let last = chars.len() - 1;
    let hidden = |i: usize, c: char| -> bool {
        (c == ' ' && (i == 0 || i == last))
            || invisible(c)
            || (combining(c) && i > 0 && chars.get(i - 1).is_some_and(|p| p.is_ascii_alphabetic()))
    };
    if !chars.iter().enumerate().any(|(i, &c)| hidden(i, c)) {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len() + 16);
    for (i, &c) in chars.iter().enumerate() {
        if hidden(i, c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Controls, bidi controls, zero-width and format characters, and unusual spaces.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0x00A0 | 0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180E
            | 0x1680 | 0x2000..=0x200F | 0x2028..=0x202F | 0x205F..=0x206F | 0x3000
            | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF9..=0xFFFB
            | 0xE0000..=0xE007F)
}

/// Combining diacritical marks (the blocks NFC composes with Latin letters).
fn combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_table() {
        // (value, precision, coverage.py's display)
        let cases: &[(f64, u8, &str)] = &[
            (0.0, 0, "0"),
            (0.0001, 0, "1"),
            (0.4, 0, "1"),
            (0.5, 0, "1"), // below 1 but not 0: shown as 1
            (100.0, 0, "100"),
            (99.9999, 0, "99"),
            (99.9999, 1, "99.9"),
            (99.5, 0, "99"),
            (99.48474038842647, 0, "99"),
            (99.48474038842647, 2, "99.48"),
            (92.20644543714103, 0, "92"),
            (92.5, 0, "92"),
            (93.5, 0, "94"),
            (2.5, 0, "2"),
            (0.05, 1, "0.1"),
            (0.125, 2, "0.12"),
            (83.46819556829641, 0, "83"),
            (1.6995, 2, "1.70"),
        ];
        for &(v, p, want) in cases {
            assert_eq!(display_percent(v, p), want, "display_percent({v}, {p})");
        }
    }

    #[test]
    fn rounding_is_pythons() {
        assert_eq!(round_to(2.675, 2), 2.67); // binary 2.67499999...
        assert_eq!(round_to(0.125, 2), 0.12); // exact tie, to even
        assert_eq!(round_to(0.375, 2), 0.38);
        assert_eq!(round_to(79.5, 0), 80.0);
        assert_eq!(round_to(80.5, 0), 80.0);
    }

    #[test]
    fn delta_table() {
        let cases: &[(f64, u8, &str)] = &[
            (0.0, 2, "0.00"),
            (-0.0, 2, "0.00"),
            (0.81, 2, "+0.81"),
            (-2.5, 2, "-2.50"),
            (-0.001, 2, "-0.01"),
            (0.004, 2, "+0.01"),
            (0.4, 0, "+1"),
            (-100.0, 2, "-100.00"),
            (-98.29589465530596, 2, "-98.30"),
            (0.125, 2, "+0.12"),
            (f64::NAN, 2, "n/a"),
        ];
        for &(v, p, want) in cases {
            assert_eq!(display_delta(v, p), want, "display_delta({v}, {p})");
        }
    }

    #[test]
    fn fail_under_rule() {
        assert!(meets_target(79.5, 80.0, 0)); // round(79.5) = 80
        assert!(!meets_target(79.49, 80.0, 0));
        assert!(meets_target(80.49, 80.5, 1)); // round(80.49, 1) = 80.5
        assert!(!meets_target(80.44, 80.5, 1));
        assert!(!meets_target(99.9999, 100.0, 0));
        assert!(meets_target(100.0, 100.0, 0));
        assert!(meets_target(0.0, 0.0, 0));
    }

    #[test]
    fn visible_names() {
        assert_eq!(visible("src/a.py"), "src/a.py");
        assert!(matches!(visible("src/a.py"), std::borrow::Cow::Borrowed(_)));
        assert_eq!(
            visible("src/rtl_\u{202E}gnp.exe.py"),
            "src/rtl_⟨U+202E⟩gnp.exe.py"
        );
        assert_eq!(
            visible("src/zero\u{200B}width\u{200D}joiner.py"),
            "src/zero⟨U+200B⟩width⟨U+200D⟩joiner.py"
        );
        assert_eq!(visible("src/new\nline.py"), "src/new⟨U+000A⟩line.py");
        assert_eq!(visible("src/nul\u{0}byte.py"), "src/nul⟨U+0000⟩byte.py");
        assert_eq!(visible(""), "⟨empty name⟩");
        assert_eq!(visible(" "), "⟨U+0020⟩");
        assert_eq!(visible("a b.py"), "a b.py");
        // NFC and NFD of the same name look alike; the decomposed one is marked.
        assert_eq!(visible("src/caf\u{E9}.py"), "src/caf\u{E9}.py");
        assert_eq!(visible("src/cafe\u{301}.py"), "src/cafe⟨U+0301⟩.py");
        assert_ne!(visible("src/caf\u{E9}.py"), visible("src/cafe\u{301}.py"));
        // Scripts that combine marks normally are left alone; so are emoji.
        assert_eq!(visible("src/пакет/модуль.py"), "src/пакет/модуль.py");
        assert_eq!(visible("src/👩\u{200D}💻.py"), "src/👩⟨U+200D⟩💻.py");
    }
}
