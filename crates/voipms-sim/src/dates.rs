//! Calendar arithmetic on UTC epoch seconds.
//!
//! The store keeps instants as epoch seconds; answers show them as naive
//! `YYYY-MM-DD HH:MM:SS` after the requested offset. Formatting runs once per returned row
//! (100k rows per large answer), so it is plain integer arithmetic rather than chrono's
//! formatting machinery; parsing goes through chrono so that calendar validity has one source.

use chrono::{Datelike, NaiveDate};

/// Seconds in a day.
pub const DAY: i64 = 86_400;

/// Days since 1970-01-01 of a civil date (proleptic Gregorian), after H. Hinnant.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a count of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Reads a strict `YYYY-MM-DD` (exactly ten characters, a real calendar day) as days since
/// 1970-01-01.
///
/// Stricter than chrono's `%Y-%m-%d`, which also takes `2024-1-5`: the service documents
/// the two-digit form and the simulator is there to catch clients that send anything else.
pub fn parse_day(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
        return None;
    }
    if !digits(8..10) {
        return None;
    }
    let year: i32 = text[0..4].parse().ok()?;
    let month: u32 = text[5..7].parse().ok()?;
    let day: u32 = text[8..10].parse().ok()?;
    let date = NaiveDate::from_ymd_opt(year, month, day)?;
    Some(days_from_civil(
        i64::from(date.year()),
        date.month(),
        date.day(),
    ))
}

/// `YYYY-MM-DD` of a count of days since 1970-01-01.
pub fn format_day(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `YYYY-MM-DD HH:MM:SS` of epoch seconds, with no zone suffix (as the service writes it).
pub fn format_datetime(secs: i64) -> String {
    let days = secs.div_euclid(DAY);
    let rest = secs.rem_euclid(DAY);
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// `HH:MM:SS` of a call length; hours are not wrapped at 24.
pub fn format_duration(seconds: i64) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds % 3600 / 60,
        seconds % 60
    )
}

/// The current instant as epoch seconds.
///
/// From `SystemTime` because the workspace's chrono has no `clock` feature (the wasm app
/// shares it and must not grow one).
pub fn now_epoch() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_round_trip_matches_chrono() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap();
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            let expected = epoch + chrono::Duration::days(days);
            assert_eq!(
                (y, m, d),
                (i64::from(expected.year()), expected.month(), expected.day())
            );
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn strict_days() {
        assert_eq!(parse_day("1970-01-01"), Some(0));
        assert_eq!(parse_day("2024-02-29"), Some(19_782));
        for bad in [
            "2023-02-29",
            "2024-1-05",
            "2024-01-5",
            "20240105",
            "2024/01/05",
            "0000-00-00",
            "2024-13-01",
            " 2024-01-05",
            "2024-01-05 ",
            "",
            "２０２４-01-05",
        ] {
            assert_eq!(parse_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(format_datetime(0), "1970-01-01 00:00:00");
        assert_eq!(format_datetime(1_291_113_616), "2010-11-30 10:40:16");
        assert_eq!(format_datetime(-1), "1969-12-31 23:59:59");
        assert_eq!(format_day(19_782), "2024-02-29");
        assert_eq!(format_duration(11), "00:00:11");
        assert_eq!(format_duration(3_723), "01:02:03");
    }
}
