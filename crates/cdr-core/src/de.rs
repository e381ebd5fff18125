//! Tolerant readers for the API's loose JSON typing, and the rows built with them.
//!
//! The service normally sends every scalar as a JSON string, but some fields arrive as bare
//! numbers or booleans on some days, placeholders (`""`, `"0000-00-00"`) stand for "none",
//! and a one-element list may come as a bare object. These readers accept all of that,
//! pulling each value from [`crate::json::Parser`] straight into the row's field.
//!
//! Booleans follow PHP's casts, since PHP wrote them: `true` is `"1"` or 1, `false` is `""`
//! or 0. `null` counts as absent. Shape errors keep the wording serde gave them
//! (`invalid type: map, expected …`), which users may already have reported.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveDateTime};

use crate::json::{keys, Fail, Number, Parser, Res, Scalar};
use crate::model::{
    parse_hms, parse_hms_fixed, CdrRow, Client, Disposition, Package, RateRow, TerminationRate,
    ValueDescription,
};
use crate::money::{Money, UNITS_PER_DOLLAR};

const EXPECT_TEXT: &str = "a string, number or bool";
const EXPECT_U32: &str = "a whole number from 0 to 4294967295, as a string or number";
const EXPECT_MONEY: &str = "a decimal amount as a string or number";
const EXPECT_DATE: &str = "a date and time as YYYY-MM-DD HH:MM:SS";
const EXPECT_HMS: &str = "a duration as HH:MM:SS";
const EXPECT_DISPOSITION: &str = "a call disposition such as ANSWERED";
const EXPECT_LIST: &str = "a list or a single object";

// ---------------------------------------------------------------------------------------
// Text

/// A scalar that is not a string, as text: numbers as printed, `true` as `"1"`, `false`
/// and `null` as `""`.
fn scalar_text(found: Scalar<'_>, expected: &str) -> Res<Cow<'static, str>> {
    match found {
        Scalar::Num(n) => Ok(Cow::Owned(n.to_text())),
        Scalar::Bool(true) => Ok(Cow::Borrowed("1")),
        Scalar::Bool(false) | Scalar::Null => Ok(Cow::Borrowed("")),
        other => Err(other.invalid_type(expected)),
    }
}

/// Any scalar as text, borrowed from the body when it was a string without escapes.
#[inline]
fn text<'a>(p: &mut Parser<'a>) -> Res<Cow<'a, str>> {
    match p.scalar()? {
        Scalar::Str(s) => Ok(s),
        other => scalar_text(other, EXPECT_TEXT),
    }
}

/// Any scalar as text; `null` as `""`.
// Matches rather than `map(Cow::into_owned)`: two calls fewer per field at opt-level "z".
#[inline(always)]
pub(crate) fn string(p: &mut Parser<'_>) -> Res<String> {
    match text(p) {
        Ok(Cow::Borrowed(s)) => Ok(String::from(s)),
        Ok(Cow::Owned(s)) => Ok(s),
        Err(fail) => Err(fail),
    }
}

/// Any scalar as text; `null` and `""` as `None`.
// Not inlined, unlike the readers around it: the four optional text fields of a CDR row
// would take four copies (0.6 KB of the browser bundle) for a call per field.
pub(crate) fn opt_string(p: &mut Parser<'_>) -> Res<Option<String>> {
    match text(p) {
        Ok(t) if t.is_empty() => Ok(None),
        Ok(Cow::Borrowed(s)) => Ok(Some(String::from(s))),
        Ok(Cow::Owned(s)) => Ok(Some(s)),
        Err(fail) => Err(fail),
    }
}

/// Any scalar as text without what the service pads values with (`"2 "`, `"Premium  \n"`).
fn trimmed(p: &mut Parser<'_>) -> Res<String> {
    let t = text(p)?;
    let inner = t.trim();
    Ok(if inner.len() == t.len() {
        t.into_owned()
    } else {
        inner.to_owned()
    })
}

/// A disposition; a non-string keeps its text as [`Disposition::Other`].
#[inline(always)]
fn disposition(p: &mut Parser<'_>) -> Res<Disposition> {
    let known = p.plain(
        |b| b.is_ascii_uppercase() || b == b' ',
        |name| match name {
            b"ANSWERED" => Some(Disposition::Answered),
            b"NO ANSWER" => Some(Disposition::NoAnswer),
            b"BUSY" => Some(Disposition::Busy),
            b"FAILED" => Some(Disposition::Failed),
            _ => None,
        },
    );
    if let Some(known) = known {
        return Ok(known);
    }
    match p.scalar()? {
        // Borrowed: the four known names then cost no allocation.
        Scalar::Str(s) => Ok(Disposition::from_wire(&s)),
        other => scalar_text(other, EXPECT_DISPOSITION).map(|t| Disposition::Other(t.into_owned())),
    }
}

// ---------------------------------------------------------------------------------------
// Numbers

/// A whole number in `i64`, for what can only be an integer (a timestamp).
fn int_of(n: &Number<'_>) -> Option<i64> {
    if !n.integer {
        return None;
    }
    let magnitude = n.int.iter().try_fold(0i64, |acc, &d| {
        acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
    })?;
    Some(if n.negative { -magnitude } else { magnitude })
}

/// A number as a `u32`, rounded half away from zero as the old float path did; `None`
/// when negative or too large.
fn whole_u32(n: &Number<'_>) -> Option<u32> {
    let s = n.scaled(0)?;
    if n.negative && (s.whole > 0 || s.inexact) {
        return None;
    }
    let max = u64::from(u32::MAX);
    if s.whole > max || (s.whole == max && s.inexact) {
        return None;
    }
    u32::try_from(s.whole + u64::from(s.round_up)).ok()
}

/// A whole number from a string or number; `""` and `null` as `None`.
#[inline(always)]
fn opt_u32(p: &mut Parser<'_>) -> Res<Option<u32>> {
    // The usual "123" in place: up to nine digits cannot overflow.
    let quick = p.plain(
        |b| b.is_ascii_digit(),
        |b| {
            if b.is_empty() || b.len() > 9 {
                None
            } else {
                digits(b, 0, b.len())
            }
        },
    );
    if quick.is_some() {
        return Ok(quick);
    }
    let found = p.scalar()?;
    match &found {
        Scalar::Str(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            // "11.0" or "1e2" from a float that was printed as text.
            Number::from_decimal_text(t)
                .and_then(|n| whole_u32(&n))
                .map(Some)
                .ok_or_else(|| found.invalid_value(EXPECT_U32))
        }
        Scalar::Num(n) => whole_u32(n)
            .map(Some)
            .ok_or_else(|| found.invalid_value(EXPECT_U32)),
        Scalar::Bool(b) => Ok(Some(u32::from(*b))),
        Scalar::Null => Ok(None),
        Scalar::Map | Scalar::Seq => Err(found.invalid_type(EXPECT_U32)),
    }
}

/// A whole number from a string or number; `""` and `null` as 0.
fn u32(p: &mut Parser<'_>) -> Res<u32> {
    opt_u32(p).map(Option::unwrap_or_default)
}

/// A bare JSON number as money, from its digits: `0.015`, `1.5e-2` and `15E-3` are all
/// exactly 1.5 cents, and a long float tail (`0.015000000000000001`) rounds away.
fn money_of(n: &Number<'_>) -> Option<Money> {
    let s = n.scaled(crate::money::DECIMALS as i64)?;
    let units = i64::try_from(s.whole.checked_add(u64::from(s.round_up))?).ok()?;
    Some(Money::from_units(if n.negative { -units } else { units }))
}

/// A money amount from a string or number; `""` and `null` as `None`.
#[inline(always)]
fn opt_money(p: &mut Parser<'_>) -> Res<Option<Money>> {
    let quick = p.plain(
        |b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'),
        |b| Money::parse_bytes(b).ok(),
    );
    if quick.is_some() {
        return Ok(quick);
    }
    let found = p.scalar()?;
    match &found {
        Scalar::Str(s) => {
            // Untrimmed first: the API's amounts have no spaces, and trimming shows in
            // profiles.
            if let Ok(money) = Money::parse_bytes(s.as_bytes()) {
                return Ok(Some(money));
            }
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            Money::parse_bytes(t.as_bytes())
                .map(Some)
                .map_err(|_| found.invalid_value(EXPECT_MONEY))
        }
        Scalar::Num(n) => money_of(n)
            .map(Some)
            .ok_or_else(|| found.invalid_value(EXPECT_MONEY)),
        Scalar::Bool(b) => Ok(Some(Money::from_units(if *b {
            UNITS_PER_DOLLAR
        } else {
            0
        }))),
        Scalar::Null => Ok(None),
        Scalar::Map | Scalar::Seq => Err(found.invalid_type(EXPECT_MONEY)),
    }
}

/// A money amount from a string or number; `""` and `null` as zero.
fn money(p: &mut Parser<'_>) -> Res<Money> {
    opt_money(p).map(Option::unwrap_or_default)
}

// ---------------------------------------------------------------------------------------
// Dates

/// Reads `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` (or with `T`, optional fraction ignored).
///
/// `Ok(None)` for placeholders, `Err(())` for anything else. Written by hand because it runs
/// once per CDR row and chrono's format parser is several times slower.
fn parse_datetime(text: &str) -> Result<Option<NaiveDateTime>, ()> {
    let t = if text.len() == 19 { text } else { text.trim() };
    if t.is_empty() || t.starts_with("0000-00-00") {
        return Ok(None);
    }
    datetime_bytes(t.as_bytes()).map(Some).ok_or(())
}

/// The number the ASCII digits of `b[start..end]` write, if they all are digits.
///
/// Indices rather than a sub-slice and an iterator, which stay calls at opt-level "z".
#[inline(always)]
fn digits(b: &[u8], start: usize, end: usize) -> Option<u32> {
    let mut n = 0;
    let mut i = start;
    while i < end {
        let d = b[i];
        if !d.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(d - b'0');
        i += 1;
    }
    Some(n)
}

/// [`parse_datetime`] after its placeholders.
fn datetime_bytes(b: &[u8]) -> Option<NaiveDateTime> {
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date =
        NaiveDate::from_ymd_opt(digits(b, 0, 4)? as i32, digits(b, 5, 7)?, digits(b, 8, 10)?)?;
    if b.len() == 10 {
        return date.and_hms_opt(0, 0, 0);
    }
    let fraction_ok = b.len() == 19 || (b.len() > 20 && b[19] == b'.');
    if b.len() < 19 || !matches!(b[10], b' ' | b'T') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !fraction_ok {
        return None;
    }
    date.and_hms_opt(digits(b, 11, 13)?, digits(b, 14, 16)?, digits(b, 17, 19)?)
}

/// A `YYYY-MM-DD HH:MM:SS` date-time; placeholders as `None`.
///
/// A bare integer can only be a Unix timestamp; 0 is the usual "no date".
#[inline(always)]
fn opt_datetime(p: &mut Parser<'_>) -> Res<Option<NaiveDateTime>> {
    let quick = p.plain(
        |b| b.is_ascii_digit() || matches!(b, b'-' | b':' | b' ' | b'T' | b'.'),
        // No placeholder is a valid date, so those take the slow path.
        |b| {
            if b.len() == 19 {
                datetime_bytes(b)
            } else {
                None
            }
        },
    );
    if quick.is_some() {
        return Ok(quick);
    }
    let found = p.scalar()?;
    match &found {
        Scalar::Str(s) => parse_datetime(s).map_err(|()| found.invalid_value(EXPECT_DATE)),
        Scalar::Num(n) if n.integer => match int_of(n) {
            Some(0) => Ok(None),
            Some(secs) => DateTime::from_timestamp(secs, 0)
                .map(|dt| Some(dt.naive_utc()))
                .ok_or_else(|| found.invalid_value(EXPECT_DATE)),
            None => Err(found.invalid_value(EXPECT_DATE)),
        },
        Scalar::Bool(_) | Scalar::Null => Ok(None),
        Scalar::Num(_) | Scalar::Map | Scalar::Seq => Err(found.invalid_type(EXPECT_DATE)),
    }
}

/// `duration` is only needed when `seconds` is missing, so a bad one must not fail the
/// row: anything that is not a duration reads as `None`.
#[inline(always)]
fn lenient_hms(p: &mut Parser<'_>) -> Res<Option<u32>> {
    let quick = p.plain(|b| b.is_ascii_digit() || b == b':', parse_hms_fixed);
    if quick.is_some() {
        return Ok(quick);
    }
    let found = p.scalar()?;
    Ok(match &found {
        Scalar::Str(s) => parse_hms(s),
        Scalar::Num(n) => int_of(n).and_then(|v| u32::try_from(v).ok()),
        Scalar::Bool(_) | Scalar::Null => None,
        Scalar::Map | Scalar::Seq => return Err(found.invalid_type(EXPECT_HMS)),
    })
}

// ---------------------------------------------------------------------------------------
// Lists and rows

/// A row of an answer's list, read from one JSON object.
pub(crate) trait Row: Sized {
    /// Reads the row from the value that is next.
    fn read(p: &mut Parser<'_>) -> Res<Self>;
}

/// How many rows of a long list are read before its Vec is sized from them.
const SAMPLE_ROWS: usize = 256;

/// A list that may also come as one bare object, `null`, `""` or `false` (empty), or a
/// PHP array with gaps in its keys (`{"0": {…}, "2": {…}}`).
///
/// `capacity` is the caller's guess at the length of a list. A long one is sized once its
/// first rows have shown how many bytes a row takes, for the rest of the body at that
/// rate: a million-row Vec is then allocated about once instead of doubled twenty times,
/// and a guess a little short does not cost a last doubling (a copy of the whole list and
/// twice its memory).
pub(crate) fn one_or_many<T: Row>(p: &mut Parser<'_>, capacity: usize) -> Res<Vec<T>> {
    let mut out = Vec::new();
    rows_into(p, capacity, &mut out)?;
    Ok(out)
}

/// Where [`rows_into`] puts the rows it reads.
trait RowSink {
    /// Reads the row that is next and keeps it.
    fn read_row(&mut self, p: &mut Parser<'_>) -> Res<()>;
    /// Makes room for `additional` more rows.
    fn reserve_rows(&mut self, additional: usize);
}

impl<T: Row> RowSink for Vec<T> {
    fn read_row(&mut self, p: &mut Parser<'_>) -> Res<()> {
        self.push(T::read(p)?);
        Ok(())
    }

    fn reserve_rows(&mut self, additional: usize) {
        self.reserve_exact(additional);
    }
}

impl RowSink for crate::table::CdrTable {
    fn read_row(&mut self, p: &mut Parser<'_>) -> Res<()> {
        // One row at a time: its strings go into the columns and are dropped.
        self.push(&CdrRow::read(p)?);
        Ok(())
    }

    fn reserve_rows(&mut self, _additional: usize) {}
}

/// Reads one CDR row (an element of a `cdr` list).
pub(crate) fn read_cdr_row(p: &mut Parser<'_>) -> Res<CdrRow> {
    CdrRow::read(p)
}

/// Reads a list of CDR rows straight into `table`, as [`one_or_many`] reads it into a Vec.
pub(crate) fn cdr_rows_into(p: &mut Parser<'_>, table: &mut crate::table::CdrTable) -> Res<()> {
    rows_into(p, 0, table)
}

/// The body of [`one_or_many`], behind `dyn` so that the browser bundle holds one copy of
/// it rather than one per row type and caller (a call through a pointer per row costs
/// nothing next to reading the row).
fn rows_into(p: &mut Parser<'_>, capacity: usize, out: &mut dyn RowSink) -> Res<()> {
    match p.peek()? {
        b'[' => {
            out.reserve_rows(capacity.min(SAMPLE_ROWS));
            let start = p.offset();
            let mut count = 0;
            p.array(|p| {
                out.read_row(p)?;
                count += 1;
                if count == SAMPLE_ROWS && capacity > SAMPLE_ROWS {
                    let row_bytes = ((p.offset() - start) / SAMPLE_ROWS).max(1);
                    let rest = p.remaining() / row_bytes;
                    // A little over, for rows that run longer further on.
                    out.reserve_rows(rest + rest / 32);
                }
                Ok(())
            })
        }
        // The first key tells a PHP array with gaps ("0", "2", …) from a bare row object.
        b'{' => match p.object_has_index_keys()? {
            None => Ok(()),
            Some(true) => p.object(EXPECT_LIST, |p, _| out.read_row(p)),
            Some(false) => out.read_row(p),
        },
        _ => match p.scalar()? {
            Scalar::Null | Scalar::Bool(false) => Ok(()),
            Scalar::Str(s) if s.trim().is_empty() => Ok(()),
            other => Err(other.invalid_type(EXPECT_LIST)),
        },
    }
}

keys!(CdrKey {
    Date = "date",
    Callerid = "callerid",
    Destination = "destination",
    Description = "description",
    Account = "account",
    Disposition = "disposition",
    Duration = "duration",
    Seconds = "seconds",
    Rate = "rate",
    Total = "total",
    Uniqueid = "uniqueid",
    DestinationType = "destination_type",
    CallLogs = "call_logs",
    Ip = "ip",
    Useragent = "useragent",
});

impl Row for CdrRow {
    /// `seconds` falls back on `duration`; unknown fields are skipped.
    fn read(p: &mut Parser<'_>) -> Res<CdrRow> {
        let mut date: Option<NaiveDateTime> = None;
        let mut seen_date = false;
        let mut callerid = String::new();
        let mut destination = String::new();
        let mut description = String::new();
        let mut account = String::new();
        let mut disposition_ = Disposition::Other(String::new());
        let mut duration: Option<u32> = None;
        let mut seconds: Option<u32> = None;
        let mut seen_seconds = false;
        let mut rate = None;
        let mut total = Money::ZERO;
        let mut uniqueid = String::new();
        let mut destination_type = None;
        let mut call_logs = None;
        let mut ip = None;
        let mut useragent = None;
        p.fields("a CDR row object", |p, key| {
            match key {
                Some(CdrKey::Date) => {
                    date = opt_datetime(p)?;
                    seen_date = true;
                }
                Some(CdrKey::Callerid) => callerid = string(p)?,
                Some(CdrKey::Destination) => destination = string(p)?,
                Some(CdrKey::Description) => description = string(p)?,
                Some(CdrKey::Account) => account = string(p)?,
                Some(CdrKey::Disposition) => disposition_ = disposition(p)?,
                Some(CdrKey::Duration) => duration = lenient_hms(p)?,
                Some(CdrKey::Seconds) => {
                    seconds = opt_u32(p)?;
                    seen_seconds = true;
                }
                Some(CdrKey::Rate) => rate = opt_money(p)?,
                Some(CdrKey::Total) => total = money(p)?,
                Some(CdrKey::Uniqueid) => uniqueid = string(p)?,
                Some(CdrKey::DestinationType) => destination_type = opt_string(p)?,
                Some(CdrKey::CallLogs) => call_logs = opt_string(p)?,
                Some(CdrKey::Ip) => ip = opt_string(p)?,
                Some(CdrKey::Useragent) => useragent = opt_string(p)?,
                None => p.skip()?,
            }
            Ok(())
        })?;
        if !seen_date {
            return Err(Fail::missing("date"));
        }
        let seconds = match (seconds, duration) {
            (Some(s), _) => s,
            (None, Some(d)) => d,
            // A placeholder `seconds` with no usable duration: a 0 s call.
            (None, None) if seen_seconds => 0,
            (None, None) => return Err(Fail::missing("seconds")),
        };
        Ok(CdrRow {
            // A placeholder date stands out as 1970-01-01 rather than costing the user the
            // whole answer.
            date: date.unwrap_or_default(),
            callerid,
            destination,
            description,
            account,
            disposition: disposition_,
            seconds,
            rate,
            total,
            uniqueid,
            destination_type,
            call_logs,
            ip,
            useragent,
        })
    }
}

impl Row for ValueDescription {
    /// Both trimmed, and a getPackages row reads as one too (`package` as the value,
    /// `name` as the description), so that a package picker needs no reader of its own.
    fn read(p: &mut Parser<'_>) -> Res<ValueDescription> {
        let mut value = None;
        let mut description = String::new();
        p.object("struct ValueDescription", |p, key| {
            match key {
                "value" | "package" => value = Some(trimmed(p)?),
                "description" | "name" => description = trimmed(p)?,
                _ => p.skip()?,
            }
            Ok(())
        })?;
        Ok(ValueDescription {
            value: value.ok_or_else(|| Fail::missing("value"))?,
            description,
        })
    }
}

impl Row for RateRow {
    fn read(p: &mut Parser<'_>) -> Res<RateRow> {
        let (mut destination, mut prefix) = (None, None);
        let (mut client_increment, mut client_rate) = (0, Money::ZERO);
        let (mut real_increment, mut real_rate) = (0, Money::ZERO);
        p.object("struct RateRow", |p, key| {
            match key {
                "destination" => destination = Some(string(p)?),
                "prefix" => prefix = Some(string(p)?),
                "client_increment" => client_increment = u32(p)?,
                "client_rate" => client_rate = money(p)?,
                "real_increment" => real_increment = u32(p)?,
                "real_rate" => real_rate = money(p)?,
                _ => p.skip()?,
            }
            Ok(())
        })?;
        Ok(RateRow {
            destination: destination.ok_or_else(|| Fail::missing("destination"))?,
            prefix: prefix.ok_or_else(|| Fail::missing("prefix"))?,
            client_increment,
            client_rate,
            real_increment,
            real_rate,
        })
    }
}

impl Row for TerminationRate {
    fn read(p: &mut Parser<'_>) -> Res<TerminationRate> {
        let (mut destination, mut prefix) = (None, None);
        let (mut increment, mut rate) = (0, Money::ZERO);
        p.object("struct TerminationRate", |p, key| {
            match key {
                "destination" => destination = Some(string(p)?),
                "prefix" => prefix = Some(string(p)?),
                "increment" => increment = u32(p)?,
                "rate" => rate = money(p)?,
                _ => p.skip()?,
            }
            Ok(())
        })?;
        Ok(TerminationRate {
            destination: destination.ok_or_else(|| Fail::missing("destination"))?,
            prefix: prefix.ok_or_else(|| Fail::missing("prefix"))?,
            increment,
            rate,
        })
    }
}

impl Row for Package {
    fn read(p: &mut Parser<'_>) -> Res<Package> {
        let mut package = None;
        let mut row = Package {
            package: String::new(),
            name: String::new(),
            markup_fixed: Money::ZERO,
            markup_percentage: Money::ZERO,
            pulse: 0,
            international_route: String::new(),
            canada_route: String::new(),
            monthly_fee: Money::ZERO,
            setup_fee: Money::ZERO,
            free_minutes: 0,
        };
        p.object("struct Package", |p, key| {
            match key {
                "package" => package = Some(string(p)?),
                "name" => row.name = string(p)?,
                "markup_fixed" => row.markup_fixed = money(p)?,
                "markup_percentage" => row.markup_percentage = money(p)?,
                "pulse" => row.pulse = u32(p)?,
                "international_route" => row.international_route = string(p)?,
                "canada_route" => row.canada_route = string(p)?,
                "monthly_fee" => row.monthly_fee = money(p)?,
                "setup_fee" => row.setup_fee = money(p)?,
                "free_minutes" => row.free_minutes = u32(p)?,
                _ => p.skip()?,
            }
            Ok(())
        })?;
        row.package = package.ok_or_else(|| Fail::missing("package"))?;
        Ok(row)
    }
}

impl Row for Client {
    /// The service also sends the client's password; it is skipped like any unknown field,
    /// so it can never be shown, logged or serialized.
    fn read(p: &mut Parser<'_>) -> Res<Client> {
        let mut client = None;
        let mut row = Client::default();
        p.object("struct Client", |p, key| {
            let field = match key {
                "client" => {
                    client = Some(string(p)?);
                    return Ok(());
                }
                "email" => &mut row.email,
                "company" => &mut row.company,
                "firstname" => &mut row.firstname,
                "lastname" => &mut row.lastname,
                "address" => &mut row.address,
                "city" => &mut row.city,
                "state" => &mut row.state,
                "country" => &mut row.country,
                "zip" => &mut row.zip,
                "phone_number" => &mut row.phone_number,
                _ => return p.skip(),
            };
            *field = string(p)?;
            Ok(())
        })?;
        row.client = client.ok_or_else(|| Fail::missing("client"))?;
        Ok(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::render_path;

    /// What a reader made of a whole JSON text, or its error as `path: message`
    /// (`"not JSON"` for a syntax error).
    fn read<T>(json: &str, reader: fn(&mut Parser<'_>) -> Res<T>) -> Result<T, String> {
        let mut p = Parser::new(json);
        let result = reader(&mut p).and_then(|v| p.finish().map(|()| v));
        result.map_err(|fail| match fail {
            Fail::Syntax => "not JSON".to_owned(),
            Fail::Shape(shape) => format!("{}: {}", render_path(&shape.path), shape.message),
        })
    }

    #[test]
    fn strings_from_any_scalar() {
        assert_eq!(read(r#""x""#, string).unwrap(), "x");
        assert_eq!(read("5", string).unwrap(), "5");
        assert_eq!(read("-5", string).unwrap(), "-5");
        assert_eq!(read("0.5", string).unwrap(), "0.5");
        assert_eq!(read("2.50", string).unwrap(), "2.5");
        assert_eq!(read("5551234567", string).unwrap(), "5551234567");
        assert_eq!(read("true", string).unwrap(), "1");
        assert_eq!(read("false", string).unwrap(), "");
        assert_eq!(read("null", string).unwrap(), "");
        assert_eq!(read(r#""\"q\" <1>""#, string).unwrap(), "\"q\" <1>");
        assert_eq!(read(r#""""#, opt_string).unwrap(), None);
        assert_eq!(read("null", opt_string).unwrap(), None);
        assert_eq!(read("7", opt_string).unwrap().as_deref(), Some("7"));
        assert_eq!(read(r#"" 2 \n""#, trimmed).unwrap(), "2");
        assert_eq!(
            read("{}", string).unwrap_err(),
            ".: invalid type: map, expected a string, number or bool"
        );
        assert_eq!(
            read("[1]", string).unwrap_err(),
            ".: invalid type: sequence, expected a string, number or bool"
        );
    }

    #[test]
    fn numbers_from_any_scalar() {
        let ok = |json: &str| read(json, u32).unwrap();
        assert_eq!(ok(r#""55""#), 55);
        assert_eq!(ok("55"), 55);
        assert_eq!(ok(r#"" 55 ""#), 55);
        assert_eq!(ok(r#""55.0""#), 55);
        assert_eq!(ok(r#""+55""#), 55);
        assert_eq!(ok(r#""1e2""#), 100);
        assert_eq!(ok("55.0"), 55);
        assert_eq!(ok("5.5E1"), 55);
        assert_eq!(ok("6.5"), 7, "half away from zero");
        assert_eq!(ok("6.49"), 6);
        assert_eq!(ok("-0"), 0);
        assert_eq!(ok("-0.0"), 0);
        assert_eq!(ok(r#""""#), 0);
        assert_eq!(ok("null"), 0);
        assert_eq!(ok("true"), 1);
        assert_eq!(ok(r#""4294967295""#), u32::MAX);
        assert_eq!(ok("4294967294.5"), u32::MAX);
        for bad in [
            r#""abc""#,
            "-1",
            "-0.4",
            r#""4294967296""#,
            "4294967296",
            "4294967295.1",
            r#""inf""#,
            r#""1,5""#,
        ] {
            assert!(read(bad, u32).is_err(), "{bad}");
        }
        assert_eq!(
            read("-1", u32).unwrap_err(),
            ".: invalid value: integer `-1`, expected a whole number from 0 to 4294967295, as a string or number"
        );
        assert!(read("1.5e3", u32).is_ok_and(|n| n == 1500));
        assert!(read("{}", u32).unwrap_err().contains("invalid type: map"));
    }

    #[test]
    fn money_from_any_scalar() {
        let units = |json: &str| read(json, money).map(Money::units);
        assert_eq!(units(r#""0.015""#), Ok(1_500_000));
        assert_eq!(units(r#"" 0.015 ""#), Ok(1_500_000));
        assert_eq!(units("0.015"), Ok(1_500_000));
        assert_eq!(units("1.5e-2"), Ok(1_500_000));
        assert_eq!(units("15E-3"), Ok(1_500_000));
        assert_eq!(units("0.0015e1"), Ok(1_500_000));
        assert_eq!(units("-0.015"), Ok(-1_500_000));
        assert_eq!(units("-1.5e-2"), Ok(-1_500_000));
        assert_eq!(units("0.015000000000000001"), Ok(1_500_000));
        assert_eq!(units("0.000000005"), Ok(1), "rounded half away from zero");
        assert_eq!(units("-0.000000005"), Ok(-1));
        assert_eq!(units("0.0000000049"), Ok(0));
        assert_eq!(units("2"), Ok(200_000_000));
        assert_eq!(units("-2"), Ok(-200_000_000));
        assert_eq!(units("1e2"), Ok(10_000_000_000));
        assert_eq!(units("92233720368"), Ok(9_223_372_036_800_000_000));
        assert_eq!(units("true"), Ok(100_000_000));
        assert_eq!(units("false"), Ok(0));
        assert_eq!(units(r#""""#), Ok(0));
        assert_eq!(units("null"), Ok(0));
        assert_eq!(read(r#""""#, opt_money), Ok(None));
        assert_eq!(read(r#""0.00000000""#, opt_money), Ok(Some(Money::ZERO)));
        assert!(units("92233720369").is_err(), "overflow");
        assert!(units("1e20").is_err(), "overflow");
        assert_eq!(
            units(r#""free""#).unwrap_err(),
            ".: invalid value: string \"free\", expected a decimal amount as a string or number"
        );
        assert!(units(r#""1e5""#).is_err(), "exponents in text stay refused");
        assert_eq!(units("1e400").unwrap_err(), "not JSON");
    }

    #[test]
    fn dates_and_placeholders() {
        let d = |s: &str| parse_datetime(s).unwrap().map(|d| d.to_string());
        assert_eq!(
            d("2010-11-30 10:40:16").as_deref(),
            Some("2010-11-30 10:40:16")
        );
        assert_eq!(
            d("2010-11-30T10:40:16").as_deref(),
            Some("2010-11-30 10:40:16")
        );
        assert_eq!(
            d("2010-11-30 10:40:16.250").as_deref(),
            Some("2010-11-30 10:40:16")
        );
        assert_eq!(d("2010-11-30").as_deref(), Some("2010-11-30 00:00:00"));
        assert_eq!(d(""), None);
        assert_eq!(d("0000-00-00"), None);
        assert_eq!(d("0000-00-00 00:00:00"), None);
        for bad in [
            "2010-13-01",
            "2010-02-30 00:00:00",
            "2010-11-30 25:00:00",
            "30/11/2010",
            "2010-11-30 10:40",
            "2010-11-30 10:40:16Z",
        ] {
            assert!(parse_datetime(bad).is_err(), "{bad}");
        }
        assert_eq!(read("0", opt_datetime), Ok(None));
        assert_eq!(read("false", opt_datetime), Ok(None));
        assert_eq!(read("null", opt_datetime), Ok(None));
        assert_eq!(
            read("1291113616", opt_datetime)
                .unwrap()
                .unwrap()
                .to_string(),
            "2010-11-30 10:40:16"
        );
        assert_eq!(
            read(r#""2010-11-30\u002010:40:16""#, opt_datetime)
                .unwrap()
                .unwrap()
                .to_string(),
            "2010-11-30 10:40:16",
            "escapes are undone before the date is read"
        );
        assert_eq!(
            read("1.5", opt_datetime).unwrap_err(),
            ".: invalid type: floating point `1.5`, expected a date and time as YYYY-MM-DD HH:MM:SS"
        );
        assert!(read("99999999999999999999", opt_datetime).is_err());
        assert!(read(r#""yesterday""#, opt_datetime)
            .unwrap_err()
            .contains("\"yesterday\""));
    }

    #[test]
    fn durations_never_fail_on_a_scalar() {
        assert_eq!(read(r#""00:01:05""#, lenient_hms), Ok(Some(65)));
        assert_eq!(read(r#""soon""#, lenient_hms), Ok(None));
        assert_eq!(read("65", lenient_hms), Ok(Some(65)));
        assert_eq!(read("-1", lenient_hms), Ok(None));
        assert_eq!(read("6.5", lenient_hms), Ok(None));
        assert_eq!(read("true", lenient_hms), Ok(None));
        assert!(read("{}", lenient_hms).is_err());
    }

    #[test]
    fn dispositions_from_any_scalar() {
        assert_eq!(read(r#""BUSY""#, disposition), Ok(Disposition::Busy));
        assert_eq!(
            read(r#"" no answer ""#, disposition),
            Ok(Disposition::NoAnswer)
        );
        assert_eq!(
            read(r#""CONGESTION""#, disposition),
            Ok(Disposition::Other("CONGESTION".into()))
        );
        assert_eq!(read("7", disposition), Ok(Disposition::Other("7".into())));
        assert_eq!(
            read("null", disposition),
            Ok(Disposition::Other(String::new()))
        );
        assert!(read("[]", disposition).is_err());
    }

    fn list(json: &str) -> Result<Vec<String>, String> {
        read(json, |p| one_or_many::<ValueDescription>(p, 4))
            .map(|l| l.into_iter().map(|i| i.value).collect())
    }

    #[test]
    fn one_or_many_shapes() {
        assert_eq!(
            list(r#"[{"value":"a"},{"value":"b"}]"#).unwrap(),
            ["a", "b"]
        );
        assert_eq!(list(r#"{"value":"a"}"#).unwrap(), ["a"]);
        assert_eq!(list(r#"{"x":1,"value":"a"}"#).unwrap(), ["a"]);
        assert_eq!(
            list(r#"{"0":{"value":"a"},"2":{"value":"b"}}"#).unwrap(),
            ["a", "b"]
        );
        assert!(list("[]").unwrap().is_empty());
        assert!(list(" [ ] ").unwrap().is_empty());
        assert!(list("{}").unwrap().is_empty());
        assert!(list("null").unwrap().is_empty());
        assert!(list(r#""""#).unwrap().is_empty());
        assert!(list(r#"" ""#).unwrap().is_empty());
        assert!(list("false").unwrap().is_empty());
        assert_eq!(
            list(r#""oops""#).unwrap_err(),
            ".: invalid type: string \"oops\", expected a list or a single object"
        );
        assert_eq!(list(r#"{"x":1}"#).unwrap_err(), ".: missing field `value`");
        assert_eq!(
            list("true").unwrap_err().split(',').next(),
            Some(".: invalid type: boolean `true`")
        );
        assert_eq!(
            list("5").unwrap_err(),
            ".: invalid type: integer `5`, expected a list or a single object"
        );
        // Paths name the element, in each of the three shapes.
        assert_eq!(
            list(r#"[{"value":"a"},{"value":{}}]"#).unwrap_err(),
            "[1].value: invalid type: map, expected a string, number or bool"
        );
        assert_eq!(
            list(r#"{"0":{"value":"a"},"7":{"description":"b"}}"#).unwrap_err(),
            "7: missing field `value`"
        );
        assert_eq!(
            list(r#"{"description":"b","value":[]}"#).unwrap_err(),
            "value: invalid type: sequence, expected a string, number or bool"
        );
        assert_eq!(list(r#"[{"value":"a"},]"#).unwrap_err(), "not JSON");
        assert_eq!(list(r#"{"0":{"value":"a"},}"#).unwrap_err(), "not JSON");
    }

    #[test]
    fn rows_skip_unknown_fields_of_any_depth() {
        let rates = read(
            r#"{"extra":{"a":[1,{"b":[[],{}]},"x"]},"destination":"X","prefix":1,
            "client_rate":"0.5","more":[null,true,-1.5e3],"real_increment":"6"}"#,
            RateRow::read,
        )
        .unwrap();
        assert_eq!(rates.destination, "X");
        assert_eq!(rates.prefix, "1");
        assert_eq!(rates.client_rate, Money::parse("0.5").unwrap());
        assert_eq!((rates.client_increment, rates.real_increment), (0, 6));
        assert_eq!(
            read(r#"{"destination":"X"}"#, RateRow::read).unwrap_err(),
            ".: missing field `prefix`"
        );
        assert_eq!(
            read("[]", RateRow::read).unwrap_err(),
            ".: invalid type: sequence, expected struct RateRow"
        );
        // A broken value in a skipped field is still broken JSON.
        assert_eq!(
            read(
                r#"{"destination":"X","prefix":"1","junk":[1,}"#,
                RateRow::read
            )
            .unwrap_err(),
            "not JSON"
        );
    }

    #[test]
    fn later_duplicates_win_as_in_php() {
        let vd = read(
            r#"{"value":"a","package":"b","name":"n"}"#,
            ValueDescription::read,
        );
        assert_eq!(vd, Ok(ValueDescription::new("b", "n")));
    }

    #[test]
    fn cdr_rows_fall_back_on_duration() {
        let row = |json: &str| read(json, CdrRow::read);
        assert_eq!(
            row(r#"{"date":"","duration":"00:01:05"}"#).unwrap().seconds,
            65
        );
        assert_eq!(
            row(r#"{"date":"","seconds":"","duration":"x"}"#)
                .unwrap()
                .seconds,
            0
        );
        assert_eq!(
            row(r#"{"date":"","duration":"x"}"#).unwrap_err(),
            ".: missing field `seconds`"
        );
        assert_eq!(
            row(r#"{"seconds":"1"}"#).unwrap_err(),
            ".: missing field `date`"
        );
    }
}
