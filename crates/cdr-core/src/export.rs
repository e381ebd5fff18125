//! CSV export of what a grid shows: the same rows, columns and order.

use std::borrow::Cow;

use crate::request::Timezone;
use crate::table::{CdrTable, Column};

/// A cell that a spreadsheet would run as a formula gets a leading apostrophe, so that an
/// exported caller id such as `=HYPERLINK(...)` stays text (OWASP's advice for CSV injection).
///
/// The guard looks past leading whitespace (spreadsheets skip it: ` =1+1` is a formula too),
/// and takes the full-width signs that some locales' spreadsheets read like ASCII ones. A
/// plain decimal (`-0.5`, a credit) is no formula and stays a number.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    neutralise_field(cell, false)
}

/// Where a reader that ignores quotes in mid-field (a spreadsheet whose list separator is `;`,
/// or one that splits on tabs) starts a new field or a new row inside a cell.
const SPLITS: [char; 4] = [';', '\t', '\n', '\r'];

/// [`neutralise`] for a row's first field, which a reader that splits on `;` or tab joins
/// with the fields after it (`-0.5,=x` would be one field there): no sign may start it, not
/// even a number's.
fn neutralise_field(cell: &str, first: bool) -> Cow<'_, str> {
    let whole =
        matches!(cell.as_bytes().first(), Some(b'\t' | b'\r')) || starts_formula(cell, !first);
    // Opened where `;` or tab separates fields, a cell is split there and at its line breaks,
    // and the quotes that keep it whole for `,` readers start mid-field, where such a reader
    // ignores them: each piece after a split gets a guard before its sign.
    let inner = cell
        .match_indices(SPLITS)
        .any(|(i, _)| sign_at(&cell[i + 1..]).is_some());
    if !whole && !inner {
        return Cow::Borrowed(cell);
    }
    let mut out = String::with_capacity(cell.len() + 4);
    if whole {
        out.push('\'');
    }
    let mut pieces = cell.split_inclusive(SPLITS);
    out.push_str(pieces.next().unwrap_or_default());
    for piece in pieces {
        match sign_at(piece) {
            Some(at) => {
                out.push_str(&piece[..at]);
                out.push('\'');
                out.push_str(&piece[at..]);
            }
            None => out.push_str(piece),
        }
    }
    Cow::Owned(out)
}

/// The position of the sign that a piece of a cell starts with, past spaces and quotes (see
/// [`starts_formula`]); `None` when it starts with none. The split characters themselves end
/// the look: they start pieces of their own.
fn sign_at(piece: &str) -> Option<usize> {
    let at = piece
        .find(|c: char| !(c == '"' || (c.is_whitespace() && !SPLITS.contains(&c))))
        .unwrap_or(piece.len());
    piece[at..].starts_with(SIGNS).then_some(at)
}

/// The signs that start a formula, the full-width ones some locales' spreadsheets read too.
const SIGNS: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];

/// Whether a spreadsheet would read `text` as a formula: a sign after any whitespace, unless
/// `numbers_pass` and the text is a plain decimal. Quotes are looked past as well: where a
/// piece starts mid-cell, the doubled quotes of RFC 4180 read as an empty quoted string
/// that the sign then follows, and the cell's closing quote ends the piece, so that no piece
/// inside a cell is ever a clean number.
fn starts_formula(text: &str, numbers_pass: bool) -> bool {
    let rest = text.trim_start_matches(|c: char| c.is_whitespace() || c == '"');
    rest.starts_with(SIGNS) && !(numbers_pass && is_plain_decimal(rest))
}

/// `-12`, `-0.50000000`: an optional minus, digits, and an optional fraction. Nothing else
/// (no `+`, exponent or operator) so that nothing read as a number can be a formula.
fn is_plain_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
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

/// Appends one field, quoted when it holds a comma, a quote or a line break (RFC 4180), and
/// also a semicolon or a tab: spreadsheets in locales whose list separator is `;` (French,
/// German…) or that guess tabs split there, and would then read `IN;=1+1` as a formula cell.
/// Written here because the `csv` crate's writer costs the browser bundle some 10 KB for
/// what is one loop.
fn push_field(cell: &str, first: bool, out: &mut Vec<u8>) {
    let cell = neutralise_field(cell, first);
    if cell
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r' | b';' | b'\t'))
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
            push_field(&cell, i == 0, &mut out);
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
            .map(|&i| columns.iter().map(move |&c| table.cell(i, c))),
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
        assert_eq!(neutralise("-2+3"), "'-2+3");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("\tx"), "'\tx");
        assert_eq!(neutralise("5551234567"), "5551234567");
        assert_eq!(neutralise("a=b"), "a=b");
        assert_eq!(neutralise(""), "");
        // Issue 13: whitespace before the sign does not hide a formula…
        assert_eq!(neutralise(" =1+1"), "' =1+1");
        assert_eq!(neutralise("\n\n=1+1"), "'\n\n'=1+1");
        assert_eq!(neutralise("\u{a0}@x"), "'\u{a0}@x");
        assert_eq!(neutralise("＝1+1"), "'＝1+1");
        // …and a credit stays a number a spreadsheet can add up.
        assert_eq!(neutralise("-0.50000000"), "-0.50000000");
        assert_eq!(neutralise("-2"), "-2");
        assert_eq!(neutralise("-"), "'-");
        assert_eq!(neutralise("-.5"), "'-.5");
        assert_eq!(neutralise("-1e5"), "'-1e5");
    }

    #[test]
    fn separators_of_every_locale_are_quoted() {
        let out = write_csv(
            &["a".to_owned(), "b".to_owned()],
            [[Cow::Borrowed("IN;=1+1"), Cow::Borrowed("x\ty")]],
        );
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,b\r\n\"IN;'=1+1\",\"x\ty\"\r\n"
        );
        // Every piece a `;` or tab reader would see is guarded, and only those.
        assert_eq!(neutralise("a; -x\t@y;-5;b"), "a; '-x\t'@y;'-5;b");
        // A line break ends a row for a `;` reader, whatever the quotes say (cdr-fuzz).
        assert_eq!(neutralise("x\n=1+1"), "x\n'=1+1");
        assert_eq!(neutralise("x\r\n \"=1"), "x\r\n \"'=1");
        assert_eq!(neutralise("=a;=b"), "'=a;'=b");
        // A credit exports as a number, not as text; only as a row's first field, which a
        // `;` reader joins with the rest of the row, does it get the guard.
        let table = CdrTable::new(vec![row("x", "-0.5")]);
        let csv = cdr_csv(
            &table,
            &[0],
            &[Column::Disposition, Column::Total],
            Timezone::UTC,
        );
        let csv = String::from_utf8(csv).unwrap();
        assert_eq!(csv, "Disposition,Total\r\nNO ANSWER,-0.50000000\r\n");
        let csv = cdr_csv(&table, &[0], &[Column::Total], Timezone::UTC);
        assert_eq!(String::from_utf8(csv).unwrap(), "Total\r\n'-0.50000000\r\n");
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
                    proptest::collection::vec("[a-z0-9.,;\t\"\r\n =+@'\\-]{0,8}", 2..5), 1..6),
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
                    .map(|r| r.iter().enumerate().map(|(i, c)| neutralise_field(c, i == 0).into_owned()).collect())
                    .collect();
                prop_assert_eq!(back, expected);
            }

            /// Read as a spreadsheet of any list separator would, no field is a formula.
            #[test]
            fn no_field_is_a_formula_whatever_the_separator(
                cells in proptest::collection::vec("[a-z0-9.,;\t\r\n\" =+@\\-]{0,8}", 1..6),
            ) {
                let headers: Vec<String> = (0..cells.len()).map(|i| format!("h{i}")).collect();
                let out = write_csv(&headers, [cells.iter().map(|c| Cow::Borrowed(c.as_str()))]);
                for sep in [b',', b';', b'\t'] {
                    let mut reader = csv::ReaderBuilder::new()
                        .delimiter(sep)
                        .has_headers(false)
                        .flexible(true)
                        .from_reader(out.as_slice());
                    for record in reader.records() {
                        for field in record.unwrap().iter() {
                            let f = field.trim_start();
                            let sign = f.starts_with(['=', '+', '-', '@']);
                            prop_assert!(!sign || is_plain_decimal(f), "{:?} read with {:?}", field, sep as char);
                        }
                    }
                }
            }
        }
    }
}
