//! How numbers read on screen: grouped thousands, percentages, durations, money.

use crate::money::{Computed, Overflow};

/// `1234567` → `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Appends `v` rounded to a tenth: `12.3`, and `12` or `12.0` as `whole_too` asks.
///
/// Integer arithmetic instead of `{:.1}`: printing floats would add some 20 KB of tables
/// and algorithms to the browser bundle for a digit after the point.
pub fn push_tenths(v: f64, whole_too: bool, out: &mut String) {
    let tenths = (v * 10.0).round() as i64;
    if tenths < 0 {
        out.push('-');
    }
    let abs = tenths.unsigned_abs();
    out.push_str(&(abs / 10).to_string());
    if whole_too || !abs.is_multiple_of(10) {
        out.push('.');
        out.push(char::from(b'0' + (abs % 10) as u8));
    }
}

/// `v` with one decimal: `12.0`, `0.4`.
pub fn one_decimal(v: f64) -> String {
    let mut out = String::new();
    push_tenths(v, true, &mut out);
    out
}

/// A ratio 0..=1 as a percentage with one decimal, `—` when there is none.
pub fn percent(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "—".to_owned(), |r| one_decimal(r * 100.0) + "%")
}

/// Seconds as `1h 02m 03s`, `2m 05s` or `7s`, `—` when there is none.
pub fn duration(seconds: Option<f64>) -> String {
    let Some(s) = seconds else {
        return "—".to_owned();
    };
    let s = s.round() as u64;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, sec) => format!("{sec}s"),
        (0, m, sec) => format!("{m}m {sec:02}s"),
        (h, m, sec) => format!("{h}h {m:02}m {sec:02}s"),
    }
}

/// Money for people: `$12.3456`, four decimals (the API's eight stay in exports); a sum too
/// large to compute says so.
pub fn money(m: Computed) -> String {
    let Ok(m) = m else {
        return Overflow.to_string();
    };
    let units = m.units();
    let sign = if units < 0 { "-" } else { "" };
    let abs = units.unsigned_abs();
    // Round half up to four decimals: 10^4 units of 1e-8.
    let tenk = (abs + 5_000) / 10_000;
    format!("{sign}${}.{:04}", count(tenk / 10_000), tenk % 10_000)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;

    #[test]
    fn numbers_read_as_people_write_them() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(percent(Some(0.4285714)), "42.9%");
        assert_eq!(percent(None), "—");
        assert_eq!(percent(Some(1.0)), "100.0%");
        assert_eq!(percent(Some(0.0)), "0.0%");
        assert_eq!(one_decimal(12.0), "12.0");
        assert_eq!(one_decimal(0.05), "0.1");
        assert_eq!(one_decimal(1234.56), "1234.6");
        assert_eq!(duration(Some(7.4)), "7s");
        assert_eq!(duration(Some(125.0)), "2m 05s");
        assert_eq!(duration(Some(3723.0)), "1h 02m 03s");
        assert_eq!(duration(None), "—");
        assert_eq!(money(Ok(Money::parse("0.00500000").unwrap())), "$0.0050");
        assert_eq!(
            money(Ok(Money::parse("1234.56789").unwrap())),
            "$1,234.5679"
        );
        assert_eq!(money(Ok(Money::parse("-0.00004").unwrap())), "-$0.0000");
        assert_eq!(money(Ok(Money::ZERO)), "$0.0000");
        assert_eq!(
            money(Ok(Money::from_units(i64::MIN))),
            "-$92,233,720,368.5478"
        );
        assert_eq!(money(Err(Overflow)), "too large to compute");
    }
}
