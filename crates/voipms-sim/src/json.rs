//! JSON written byte by byte into a buffer, for the CDR rows.
//!
//! A big getCDR answer is hundreds of thousands of rows of a dozen strings each: going
//! through serde and `fmt` for each field (a `String` per date, duration and amount) was half
//! of the server's time. These helpers write the same bytes serde_json writes, straight into
//! the output buffer; the tests compare both on every kind of input.

use crate::dates;

/// serde_json's escapes: 0 for a byte written as it is, `u` for `\u00XX`, else the letter
/// after the backslash.
const ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = b'u';
        b += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0A] = b'n';
    table[0x0C] = b'f';
    table[0x0D] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Writes `text` as a JSON string, quotes included, escaped as serde_json escapes it
/// (quote, backslash and control characters; `/`, DEL and non-ASCII as they are).
pub fn push_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.push(b'"');
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = ESCAPE[usize::from(b)];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        if escape == b'u' {
            out.extend_from_slice(b"\\u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0xF)]);
        } else {
            out.push(b'\\');
            out.push(escape);
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Writes the decimal digits of `n`.
pub fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Writes `n` with at least `width` digits, zero-padded (`n` non-negative).
fn push_padded(out: &mut Vec<u8>, n: u64, width: usize) {
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    let mut rest = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    let start = i.min(digits.len() - width.min(digits.len()));
    out.extend_from_slice(&digits[start..]);
}

/// Writes an amount as a JSON string with 8 decimals, as [`Money`]'s `Display` does.
pub fn push_money(out: &mut Vec<u8>, units: i64) {
    const PER: u64 = cdr_core::money::UNITS_PER_DOLLAR as u64;
    out.push(b'"');
    if units < 0 {
        out.push(b'-');
    }
    // unsigned_abs: i64::MIN has no positive i64 counterpart.
    let abs = units.unsigned_abs();
    push_u64(out, abs / PER);
    out.push(b'.');
    push_padded(out, abs % PER, 8);
    out.push(b'"');
}

/// Writes `YYYY-MM-DD HH:MM:SS` of epoch seconds as a JSON string, as
/// [`dates::format_datetime`] formats it.
pub fn push_datetime(out: &mut Vec<u8>, secs: i64) {
    let days = secs.div_euclid(dates::DAY);
    let rest = secs.rem_euclid(dates::DAY) as u64;
    let (y, m, d) = dates::civil_from_days(days);
    if !(0..=9999).contains(&y) {
        // Years the fixed layout below cannot hold: rare enough for the slow path.
        return push_str(out, &dates::format_datetime(secs));
    }
    out.push(b'"');
    push_padded(out, y as u64, 4);
    out.push(b'-');
    push_padded(out, u64::from(m), 2);
    out.push(b'-');
    push_padded(out, u64::from(d), 2);
    out.push(b' ');
    push_padded(out, rest / 3600, 2);
    out.push(b':');
    push_padded(out, rest % 3600 / 60, 2);
    out.push(b':');
    push_padded(out, rest % 60, 2);
    out.push(b'"');
}

/// Writes `HH:MM:SS` of a call length as a JSON string, as [`dates::format_duration`]
/// formats it.
pub fn push_duration(out: &mut Vec<u8>, seconds: i64) {
    let Ok(s) = u64::try_from(seconds) else {
        // Negative lengths never come from the generator; the slow path keeps them exact.
        return push_str(out, &dates::format_duration(seconds));
    };
    out.push(b'"');
    push_padded(out, s / 3600, 2);
    out.push(b':');
    push_padded(out, s % 3600 / 60, 2);
    out.push(b':');
    push_padded(out, s % 60, 2);
    out.push(b'"');
}

/// Writes an integer as a JSON string (every scalar of the API is one).
pub fn push_int_str(out: &mut Vec<u8>, n: i64) {
    out.push(b'"');
    if n < 0 {
        out.push(b'-');
    }
    push_u64(out, n.unsigned_abs());
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use cdr_core::money::Money;

    fn with<F: FnOnce(&mut Vec<u8>)>(f: F) -> String {
        let mut out = Vec::new();
        f(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_match_serde_json() {
        let mut samples: Vec<String> = [
            "",
            "plain",
            r#""<script>alert(1)</script>" <5145550666>"#,
            "O'Brien & \"Sons\" \\ back/slash",
            "Zoë Åström — 東京 🎉",
            "tab\there\nnew\rline\u{8}\u{c}",
            "\u{0}\u{1}\u{1f}\u{7f}\u{80}",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        samples.push((0u8..=0x7f).map(char::from).collect());
        for s in &samples {
            let ours = with(|o| push_str(o, s));
            assert_eq!(ours, serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn numbers_match_display() {
        for n in [0, 1, 9, 10, 99, 12_345, i64::MAX, -1, -100, i64::MIN] {
            assert_eq!(with(|o| push_int_str(o, n)), format!("\"{n}\""));
        }
        for units in [
            0,
            1,
            99_999_999,
            100_000_000,
            1_500_000,
            123_456_789_012,
            -1,
            -150_000_000,
            i64::MAX,
            i64::MIN,
        ] {
            assert_eq!(
                with(|o| push_money(o, units)),
                format!("\"{}\"", Money::from_units(units)),
                "{units}"
            );
        }
    }

    #[test]
    fn dates_and_durations_match_the_formatters() {
        let mut secs = -70_000_000_000i64;
        while secs < 300_000_000_000 {
            assert_eq!(
                with(|o| push_datetime(o, secs)),
                format!("\"{}\"", dates::format_datetime(secs)),
                "{secs}"
            );
            secs += 7_777_777;
        }
        for s in [
            i64::MIN,
            253_402_300_799,
            253_402_300_800,
            -62_167_219_200,
            -62_167_219_201,
            0,
            -1,
        ] {
            assert_eq!(
                with(|o| push_datetime(o, s)),
                format!("\"{}\"", dates::format_datetime(s)),
                "{s}"
            );
        }
        for s in [
            0, 1, 59, 60, 3_599, 3_600, 3_723, 86_399, 360_000, 4_000_000, -1, -3_723,
        ] {
            assert_eq!(
                with(|o| push_duration(o, s)),
                format!("\"{}\"", dates::format_duration(s)),
                "{s}"
            );
        }
    }
}
