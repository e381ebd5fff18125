//! CSV export of what a grid shows: the same rows, columns and order.

use std::borrow::Cow;

use crate::request::Timezone;
use crate::table::{CdrTable, Column};

/// A cell that a spreadsheet would run as a formula gets a leading apostrophe, so that an
/// exported caller id such as `=HYPERLINK(...)` stays text (OWASP's advice for CSV injection).
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// `UTC-05:00`, `UTC+05:30`, `UTC`: how a timezone offset is named in headers.
pub fn utc_label(tz: Timezone) -> String {
    let secs = tz.offset_seconds();
    if secs == 0 {
        return "UTC".to_owned();
    }
    let sign = if secs < 0 { '-' } else { '+' };
    let abs = secs.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", abs / 3600, abs / 60 % 60)
}

/// Appends one field, quoted only when it holds a comma, a quote or a line break (RFC 4180),
/// as the `csv` crate's writer does. Written here because that crate's writer costs the
/// browser bundle some 10 KB for what is one loop.
fn push_field(cell: &str, out: &mut Vec<u8>) {
    let cell = neutralise(cell);
    if cell
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push(b'"');
        for b in cell.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(cell.as_bytes());
    }
}

/// Writes a CSV of `headers` then `rows` with CRLF line ends, every cell neutralised.
pub fn write_csv<'a, R, C>(headers: &[String], rows: R) -> Vec<u8>
where
    R: IntoIterator<Item = C>,
    C: IntoIterator<Item = Cow<'a, str>>,
{
    let mut out = Vec::new();
    let mut record = |cells: &mut dyn Iterator<Item = Cow<'a, str>>| {
        for (i, cell) in cells.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            push_field(&cell, &mut out);
        }
        out.extend_from_slice(b"\r\n");
    };
    record(&mut headers.iter().map(|h| Cow::Owned(h.clone())));
    for row in rows {
        record(&mut row.into_iter());
    }
    out
}

/// The CSV of a CDR view: the rows at `indices` in that order, the `columns` in that order;
/// the date header names the timezone the dates are in.
pub fn cdr_csv(table: &CdrTable, indices: &[u32], columns: &[Column], tz: Timezone) -> Vec<u8> {
    let headers: Vec<String> = columns
        .iter()
        .map(|c| match c {
            Column::Date => format!("Date ({})", utc_label(tz)),
            _ => c.label().to_owned(),
        })
        .collect();
    write_csv(
        &headers,
        indices
            .iter()
            .map(|&i| columns.iter().map(move |c| c.cell(table.row(i)))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CdrRow, Disposition};
    use crate::money::Money;
    use chrono::NaiveDate;

    fn row(callerid: &str, total: &str) -> CdrRow {
        CdrRow {
            date: NaiveDate::from_ymd_opt(2010, 11, 30)
                .unwrap()
                .and_hms_opt(10, 40, 16)
                .unwrap(),
            callerid: callerid.into(),
            destination: "5551234567".into(),
            description: "Inbound - Local Caller".into(),
            account: "100000_VoIP".into(),
            disposition: Disposition::NoAnswer,
            seconds: 11,
            rate: Some(Money::ZERO),
            total: Money::parse(total).unwrap(),
            uniqueid: "128238059".into(),
            destination_type: None,
            call_logs: None,
            ip: None,
            useragent: None,
        }
    }

    #[test]
    fn formulas_are_neutralised_and_plain_text_is_not() {
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("+15551234567"), "'+15551234567");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("5551234567"), "5551234567");
        assert_eq!(neutralise("a=b"), "a=b");
        assert_eq!(neutralise(""), "");
    }

    #[test]
    fn timezones_are_named_as_utc_offsets() {
        assert_eq!(utc_label(Timezone::parse("-5").unwrap()), "UTC-05:00");
        assert_eq!(utc_label(Timezone::parse("5.5").unwrap()), "UTC+05:30");
        assert_eq!(utc_label(Timezone::parse("5.75").unwrap()), "UTC+05:45");
        assert_eq!(utc_label(Timezone::parse("0").unwrap()), "UTC");
        assert_eq!(utc_label(Timezone::parse("13").unwrap()), "UTC+13:00");
    }

    #[test]
    fn the_csv_holds_exactly_the_rows_and_columns_shown_in_order() {
        let table = CdrTable::new(vec![
            row("\"John Doe\" <5551112222>", "0.01500000"),
            row("=cmd|' /C calc'!A0", "0"),
            row("plain, with comma", "1.5"),
        ]);
        let csv = cdr_csv(
            &table,
            &[2, 0, 1],
            &[
                Column::Total,
                Column::CallerId,
                Column::Date,
                Column::Disposition,
            ],
            Timezone::parse("-5").unwrap(),
        );
        let text = String::from_utf8(csv).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines[0], "Total,Caller ID,Date (UTC-05:00),Disposition");
        assert_eq!(
            lines[1],
            "1.50000000,\"plain, with comma\",2010-11-30 10:40:16,NO ANSWER"
        );
        assert_eq!(
            lines[2],
            "0.01500000,\"\"\"John Doe\"\" <5551112222>\",2010-11-30 10:40:16,NO ANSWER"
        );
        assert_eq!(
            lines[3],
            "0.00000000,'=cmd|' /C calc'!A0,2010-11-30 10:40:16,NO ANSWER"
        );
        assert_eq!(lines[4], "");
        assert_eq!(lines.len(), 5);
    }

    #[test]
    fn the_csv_reads_back_with_a_csv_reader() {
        let table = CdrTable::new(vec![row("\"A\nB\" <1>", "0.5")]);
        let csv = cdr_csv(&table, &[0], &Column::ALL, Timezone::UTC);
        let mut r = csv::Reader::from_reader(csv.as_slice());
        let headers = r.headers().unwrap().clone();
        assert_eq!(headers.len(), Column::ALL.len());
        assert_eq!(&headers[0], "Date (UTC)");
        let rec = r.records().next().unwrap().unwrap();
        assert_eq!(&rec[1], "\"A\nB\" <1>");
        assert_eq!(&rec[6], "00:00:11");
        assert_eq!(&rec[8], "0.50000000");
    }

    /// Whatever the cells hold, a standard CSV reader gets them back (neutralised).
    #[cfg(not(target_arch = "wasm32"))]
    mod round_trip {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn any_cells_read_back(
                rows in proptest::collection::vec(
                    proptest::collection::vec("[a-z,\"\r\n =+'\\-]{0,8}", 2..5), 1..6),
            ) {
                let width = rows[0].len();
                let rows: Vec<Vec<String>> = rows
                    .into_iter()
                    .map(|mut r| { r.resize(width, String::new()); r })
                    .collect();
                let headers: Vec<String> = (0..width).map(|i| format!("h{i}")).collect();
                let out = write_csv(
                    &headers,
                    rows.iter().map(|r| r.iter().map(|c| Cow::Borrowed(c.as_str()))),
                );
                let mut reader = csv::ReaderBuilder::new().from_reader(out.as_slice());
                let back: Vec<Vec<String>> = reader
                    .records()
                    .map(|r| r.unwrap().iter().map(str::to_owned).collect())
                    .collect();
                let expected: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| r.iter().map(|c| neutralise(c).into_owned()).collect())
                    .collect();
                prop_assert_eq!(back, expected);
            }
        }
    }
}
