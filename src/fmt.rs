//! Numbers for people: counts with the user's digit grouping, percentages with the user's
//! decimal separator (the digits are always the report tool's own display rounding), and
//! file names with invisible characters made visible.
//!
//! The user's number format is a value ([`Locale`]) in the app state, read once at start
//! by `io`; the root component puts it in force for each render ([`set_locale`]), so these
//! helpers never ask the browser anything.

use std::cell::RefCell;

/// The user's number format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Locale {
    /// Decimal separator ('.' in en-US, ',' in de-DE).
    pub decimal: char,
    /// Digit group separator between thousands (None: no grouping).
    pub group: Option<char>,
}

impl Default for Locale {
    /// Plain digits and a decimal point (tests, server-side rendering).
    fn default() -> Self {
        Locale {
            decimal: '.',
            group: None,
        }
    }
}

impl Locale {
    /// A count with digit grouping ("10,336" in en-US, "10.336" in de-DE).
    pub fn count(&self, n: u64) -> String {
        let digits = n.to_string();
        let Some(sep) = self.group else {
            return digits;
        };
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, ch) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(ch);
        }
        out
    }

    /// A number written with '.' as decimal point, with this locale's separator.
    pub fn pct(&self, display: &str) -> String {
        if self.decimal == '.' {
            display.to_string()
        } else {
            display.replace('.', &self.decimal.to_string())
        }
    }
}

thread_local! {
    static LOCALE: RefCell<Locale> = RefCell::new(Locale::default());
}

/// Puts `l` in force for the helpers below (the root component does, from the state).
pub fn set_locale(l: &Locale) {
    LOCALE.with(|c| {
        if *c.borrow() != *l {
            *c.borrow_mut() = l.clone();
        }
    });
}

fn with<T>(f: impl FnOnce(&Locale) -> T) -> T {
    LOCALE.with(|c| f(&c.borrow()))
}

/// A count with locale digit grouping ("10,336" in en-US, "10.336" in de-DE).
pub fn count(n: u64) -> String {
    with(|l| l.count(n))
}

/// A percentage string from `covgap_core::display` with the locale's decimal separator.
pub fn pct(display: &str) -> String {
    with(|l| l.pct(display))
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

/// A file name or path as shown on the page: invisible, bidi and control characters as
/// `⟨U+202E⟩`, an empty name as `⟨empty name⟩` (see `covgap_core::display::visible`).
pub fn path(s: &str) -> String {
    covgap_core::display::visible(s).into_owned()
}
