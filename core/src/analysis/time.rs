//! Report timestamps: reading the ISO 8601 text coverage.py writes, ordering reports by it,
//! and the calendar maths for projected dates.
//!
//! Written by hand rather than with a date crate: the engine also ships as WebAssembly and
//! needs only this much (proleptic Gregorian calendar, no leap seconds, no time zones
//! beyond a fixed offset).

use crate::model::Report;
use serde::Serialize;

/// Microseconds in a day.
pub const MICROS_PER_DAY: i64 = 86_400_000_000;

/// A point in time as microseconds since 1970-01-01T00:00:00 (UTC when the text carried an
/// offset; otherwise the writer's local time, as coverage.py records it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Timestamp {
    /// Microseconds since the epoch.
    pub micros: i64,
}

impl Timestamp {
    /// Days since the epoch, with the time of day as a fraction.
    pub fn days(self) -> f64 {
        self.micros as f64 / MICROS_PER_DAY as f64
    }

    /// The calendar date, `YYYY-MM-DD`.
    pub fn date(self) -> String {
        let (y, m, d) = civil_from_days(self.micros.div_euclid(MICROS_PER_DAY));
        format_date(y, m, d)
    }
}

/// Formats a civil date as `YYYY-MM-DD` (years outside 0..=9999 keep their sign and
/// digits, as ISO 8601's expanded form does).
pub fn format_date(y: i64, m: u32, d: u32) -> String {
    if (0..=9999).contains(&y) {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:+05}-{m:02}-{d:02}")
    }
}

/// Days from 1970-01-01 to the civil date `y-m-d` (Howard Hinnant's `days_from_civil`).
/// `m` is 1..=12 and `d` 1..=31; the result is meaningful for valid dates only.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    // Count years from March, so the leap day is the last day of the "year".
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(m);
    let mp = if m > 2 { m - 3 } else { m + 9 }; // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day count from 1970-01-01: the inverse of
/// [`days_from_civil`].
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097; // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let d = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let m = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let y = yoe + era * 400 + i64::from(m <= 2);
    // The ranges above make these conversions lossless.
    (y, m as u32, d as u32)
}

/// Whether `y` is a Gregorian leap year.
pub fn is_leap_year(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

/// Days in month `m` (1..=12) of year `y`; 0 for a month out of range.
pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(y) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Reads an ISO 8601 date-time like coverage.py's `meta.timestamp`
/// (`2026-11-21T05:42:06.854920`): `YYYY-MM-DD`, optionally followed by `T` or a space and
/// `HH:MM[:SS[.fraction]]`, optionally followed by `Z` or an offset `±HH:MM` / `±HHMM`.
/// `None` for anything else, including impossible dates like February 30.
pub fn parse_timestamp(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    let b = s.as_bytes();
    let y = digits(b.get(0..4)?)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let mo = u32::try_from(digits(b.get(5..7)?)?).ok()?;
    let d = u32::try_from(digits(b.get(8..10)?)?).ok()?;
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return None;
    }
    let mut micros = days_from_civil(y, mo, d) * MICROS_PER_DAY;
    let mut rest = b.get(10..)?;
    if let Some((&sep, time)) = rest.split_first() {
        if sep != b'T' && sep != b't' && sep != b' ' {
            return None;
        }
        let hh = digits(time.get(0..2)?)?;
        if time.get(2) != Some(&b':') {
            return None;
        }
        let mm = digits(time.get(3..5)?)?;
        let mut i = 5;
        let mut ss = 0;
        let mut frac = 0;
        if time.get(i) == Some(&b':') {
            ss = digits(time.get(i + 1..i + 3)?)?;
            i += 3;
            if matches!(time.get(i), Some(b'.' | b',')) {
                i += 1;
                let start = i;
                let mut scale = 100_000;
                while let Some(c) = time.get(i).filter(|c| c.is_ascii_digit()) {
                    // Digits beyond microseconds are dropped, not rounded.
                    frac += i64::from(c - b'0') * scale;
                    scale /= 10;
                    i += 1;
                }
                if i == start {
                    return None;
                }
            }
        }
        // A leap second (ss = 60) is accepted and counted as the next second.
        if hh > 23 || mm > 59 || ss > 60 {
            return None;
        }
        micros += ((hh * 60 + mm) * 60 + ss) * 1_000_000 + frac;
        rest = time.get(i..)?;
        match rest.split_first() {
            None => {}
            Some((b'Z' | b'z', [])) => {}
            Some((&sign @ (b'+' | b'-'), off)) => {
                let oh = digits(off.get(0..2)?)?;
                let om = match off.get(2..) {
                    Some([b':', m1, m2]) | Some([m1, m2]) => digits(&[*m1, *m2])?,
                    Some([]) => 0,
                    _ => return None,
                };
                if oh > 23 || om > 59 {
                    return None;
                }
                // Local time = UTC + offset, so UTC = local - offset.
                let off_micros = (oh * 60 + om) * 60 * 1_000_000;
                micros += if sign == b'+' {
                    -off_micros
                } else {
                    off_micros
                };
            }
            Some(_) => return None,
        }
    }
    Some(Timestamp { micros })
}

fn digits(b: &[u8]) -> Option<i64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0, |n, c| n * 10 + i64::from(c - b'0')))
}

/// The timestamp of a report, when it has one that can be read.
pub fn report_timestamp(r: &Report) -> Option<Timestamp> {
    r.source.timestamp.as_deref().and_then(parse_timestamp)
}

/// How a sequence of reports was put in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OrderBasis {
    /// Oldest first by `meta.timestamp` (every report had a readable one).
    Timestamps,
    /// The order the reports were given in (asked for, or some report had no timestamp).
    GivenOrder,
}

/// The order to use for `reports`: indices into it, oldest first by timestamp when every
/// report has a readable timestamp (ties keep the given order), else the given order.
pub fn chronological_order(reports: &[&Report]) -> (Vec<usize>, OrderBasis) {
    let stamps: Option<Vec<Timestamp>> = reports.iter().map(|r| report_timestamp(r)).collect();
    let mut idx: Vec<usize> = (0..reports.len()).collect();
    match stamps {
        Some(stamps) if !reports.is_empty() => {
            // sort_by_key is stable, so equal timestamps keep the order they were given in.
            idx.sort_by_key(|&i| stamps.get(i).copied());
            (idx, OrderBasis::Timestamps)
        }
        _ => (idx, OrderBasis::GivenOrder),
    }
}

/// Which of two reports is the baseline: `swapped` is true when `second` is older than
/// `first` by their timestamps. Both need a readable timestamp, else the given order
/// stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PairOrder {
    /// Use `second` as the baseline and `first` as the current report.
    pub swapped: bool,
    /// Whether timestamps decided.
    pub basis: OrderBasis,
}

/// Picks the baseline of two reports by their timestamps (see [`PairOrder`]).
pub fn baseline_first(first: &Report, second: &Report) -> PairOrder {
    let (order, basis) = chronological_order(&[first, second]);
    PairOrder {
        swapped: order.first() == Some(&1),
        basis,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_day_counts() {
        let cases: &[(i64, u32, u32, i64)] = &[
            (1970, 1, 1, 0),
            (1969, 12, 31, -1),
            (1970, 3, 1, 59),
            (2000, 2, 29, 11_016),
            (2000, 3, 1, 11_017),
            (2001, 1, 1, 11_323),
            (1900, 3, 1, -25_508),
            (2026, 11, 21, 20_778),
            (1600, 1, 1, -135_140),
            (0, 3, 1, -719_468),
        ];
        for &(y, m, d, days) in cases {
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
            assert_eq!(civil_from_days(days), (y, m, d), "{days}");
        }
    }

    #[test]
    fn round_trip_every_day_of_four_centuries() {
        // One full 400-year Gregorian cycle either side of the epoch, day by day.
        let start = days_from_civil(1800, 1, 1);
        let mut expect = (1800, 1, 1);
        for z in start..start + 146_097 * 2 {
            assert_eq!(civil_from_days(z), expect, "day {z}");
            assert_eq!(days_from_civil(expect.0, expect.1, expect.2), z);
            let (y, m, d) = expect;
            expect = if d < days_in_month(y, m) {
                (y, m, d + 1)
            } else if m < 12 {
                (y, m + 1, 1)
            } else {
                (y + 1, 1, 1)
            };
        }
    }

    #[test]
    fn leap_years() {
        assert!(is_leap_year(2000));
        assert!(is_leap_year(2024));
        assert!(!is_leap_year(1900));
        assert!(!is_leap_year(2100));
        assert!(!is_leap_year(2026));
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2026, 13), 0);
    }

    #[test]
    fn parses_what_coveragepy_writes() {
        let t = parse_timestamp("2026-11-21T05:42:06.854920").expect("parses");
        let day = days_from_civil(2026, 11, 21);
        let secs = (5 * 60 + 42) * 60 + 6;
        assert_eq!(t.micros, day * MICROS_PER_DAY + secs * 1_000_000 + 854_920);
        assert_eq!(t.date(), "2026-11-21");
        // Older coverage.py wrote no fraction when it was zero.
        let whole = parse_timestamp("2026-11-21T05:42:06").expect("parses");
        assert_eq!(t.micros - whole.micros, 854_920);
        assert_eq!(
            parse_timestamp("2026-11-21").expect("date only").micros,
            day * MICROS_PER_DAY
        );
    }

    #[test]
    fn offsets_convert_to_utc() {
        let utc = parse_timestamp("2026-01-01T00:30:00Z").expect("Z");
        let plus = parse_timestamp("2026-01-01T02:30:00+02:00").expect("+02:00");
        let minus = parse_timestamp("2025-12-31T19:00:00-0530").expect("-0530");
        assert_eq!(utc, plus);
        assert_eq!(utc, minus);
        assert_eq!(minus.date(), "2026-01-01");
    }

    #[test]
    fn rejects_what_is_not_a_timestamp() {
        for s in [
            "",
            "yesterday",
            "2026-02-30T00:00:00",
            "2025-02-29",
            "2026-13-01",
            "2026-00-10",
            "2026-1-1",
            "2026-01-01X00:00",
            "2026-01-01T24:00:00",
            "2026-01-01T12:60:00",
            "2026-01-01T12:00:00.",
            "2026-01-01T12:00:00+2",
            "2026-01-01T12:00:00Zjunk",
            "２０２６-01-01",
        ] {
            assert_eq!(parse_timestamp(s), None, "{s:?}");
        }
        assert!(parse_timestamp("2024-02-29 23:59:60").is_some());
    }

    #[test]
    fn dates_before_the_epoch_and_far_ahead() {
        assert_eq!(
            Timestamp {
                micros: -MICROS_PER_DAY / 2
            }
            .date(),
            "1969-12-31"
        );
        assert_eq!(format_date(10_000, 1, 1), "+10000-01-01");
    }
}
