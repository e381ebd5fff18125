//! The CSV oracle: an export must read back as the cells it was made of, and no cell may
//! reach a spreadsheet as a formula or split into two.
//!
//! The rules, each a sentence of a finding when broken:
//! - the text is RFC 4180 with CRLF line ends, one record per row plus the header, each
//!   with one field per column;
//! - a field holding `,` `"` CR or LF is quoted (the RFC), and so is one holding `;` or a
//!   tab, which spreadsheets of many locales take for a separator;
//! - each field is its cell, give or take guarding apostrophes at its start and before a
//!   sign inside it (where a `;`, tab or line break starts a field for some readers);
//! - read as a spreadsheet would, split at `,`, at `;` or at tabs, no field starts (after
//!   leading whitespace) with `=` `+` `-` `@` or their full-width forms unless it is a plain
//!   decimal number such as `-0.50000000`, which a spreadsheet reads as a number. This is
//!   OWASP's advice for CSV injection, whitespace included, since spreadsheets skip it.

/// One field as read back.
#[derive(Debug, PartialEq, Eq)]
pub struct Field {
    /// The text, unquoted.
    pub text: String,
    /// Whether it was in quotes.
    pub quoted: bool,
}

/// Reads RFC 4180 text with CRLF record ends; any departure is an error.
pub fn parse(csv: &[u8]) -> Result<Vec<Vec<Field>>, String> {
    let text = std::str::from_utf8(csv).map_err(|e| format!("not UTF-8: {e}"))?;
    let b = text.as_bytes();
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let (field, next) = if b[i] == b'"' {
            let mut out = String::new();
            let mut j = i + 1;
            let mut chunk = j;
            loop {
                match b.get(j) {
                    None => return Err(format!("a quoted field at byte {i} is never closed")),
                    Some(b'"') if b.get(j + 1) == Some(&b'"') => {
                        out.push_str(&text[chunk..=j]);
                        j += 2;
                        chunk = j;
                    }
                    Some(b'"') => {
                        out.push_str(&text[chunk..j]);
                        break;
                    }
                    Some(_) => j += 1,
                }
            }
            (
                Field {
                    text: out,
                    quoted: true,
                },
                j + 1,
            )
        } else {
            let mut j = i;
            while j < b.len() && b[j] != b',' && b[j] != b'\r' {
                if b[j] == b'"' || b[j] == b'\n' {
                    return Err(format!(
                        "an unquoted field at byte {i} holds a {}",
                        if b[j] == b'"' { "quote" } else { "line feed" }
                    ));
                }
                j += 1;
            }
            (
                Field {
                    text: text[i..j].to_owned(),
                    quoted: false,
                },
                j,
            )
        };
        record.push(field);
        match (b.get(next), b.get(next + 1)) {
            (Some(b','), _) => {
                i = next + 1;
                if i == b.len() {
                    return Err("the text ends after a comma".to_owned());
                }
            }
            (Some(b'\r'), Some(b'\n')) => {
                records.push(std::mem::take(&mut record));
                i = next + 2;
            }
            (None, _) => return Err("the last record has no CRLF".to_owned()),
            (Some(c), _) => {
                return Err(format!(
                    "byte {next} ({:?}) follows a field where a comma or CRLF belongs",
                    char::from(*c)
                ))
            }
        }
    }
    if !record.is_empty() {
        return Err("the last record has no CRLF".to_owned());
    }
    Ok(records)
}

/// Why a field (read at commas) breaks the quoting rule, if it does.
fn quoting_rule(f: &Field) -> Option<String> {
    if f.quoted {
        return None;
    }
    [
        (',', "a comma"),
        ('"', "a quote"),
        ('\r', "a CR"),
        ('\n', "a LF"),
        (';', "a ';'"),
        ('\t', "a tab"),
    ]
    .into_iter()
    .find(|(c, _)| f.text.contains(*c))
    .map(|(_, name)| format!("holds {name} but is not quoted"))
}

/// `-?digits(.digits)?`: a number to a spreadsheet, not a formula.
pub fn is_plain_decimal(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Whether a spreadsheet would take the field for a formula.
pub fn reads_as_formula(field: &str) -> bool {
    let t = field.trim_start();
    t.starts_with([
        '=', '+', '-', '@', '\u{ff1d}', '\u{ff0b}', '\u{ff0d}', '\u{ff20}',
    ]) && !is_plain_decimal(t)
}

/// Splits CSV text at `sep` as a lenient spreadsheet import does (the `csv` crate's
/// reader): a field that starts with a quote runs to its closing quote, `""` inside it is a
/// quote, and anything after the closing quote up to the separator is kept; records end at
/// LF or CRLF.
pub fn split_as(csv: &str, sep: char) -> Vec<String> {
    let mut fields = Vec::new();
    let mut chars = csv.chars().peekable();
    while chars.peek().is_some() {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            while let Some(c) = chars.next() {
                if c == '"' {
                    if chars.peek() == Some(&'"') {
                        chars.next();
                        field.push('"');
                    } else {
                        break;
                    }
                } else {
                    field.push(c);
                }
            }
        }
        while let Some(&c) = chars.peek() {
            if c == sep || c == '\n' || c == '\r' {
                break;
            }
            field.push(c);
            chars.next();
        }
        fields.push(field);
        // A separator, LF, CRLF or a bare CR (a line end too, to a spreadsheet) ends it.
        if chars.next() == Some('\r') && chars.peek() == Some(&'\n') {
            chars.next();
        }
    }
    fields
}

/// Whether `text` is `cell` with guarding apostrophes added at its start or right before a
/// sign.
fn is_cell_guarded(text: &str, cell: &str) -> bool {
    let (t, c): (Vec<char>, Vec<char>) = (text.chars().collect(), cell.chars().collect());
    let (mut i, mut j) = (0, 0);
    while i < t.len() {
        if j < c.len() && t[i] == c[j] {
            i += 1;
            j += 1;
        } else if t[i] == '\''
            && (i == 0
                || t.get(i + 1)
                    .is_some_and(|c| "=+-@\u{ff1d}\u{ff0b}\u{ff0d}\u{ff20}".contains(*c)))
        {
            i += 1;
        } else {
            return false;
        }
    }
    j == c.len()
}

/// Checks an export of `rows` records (plus the header) of `columns` fields; with
/// `expected`, each field against its cell.
pub fn check(
    what: &str,
    csv: &[u8],
    columns: usize,
    rows: usize,
    expected: Option<&dyn Fn(usize, usize) -> String>,
) -> Result<(), String> {
    check_inner(what, csv, columns, rows, expected).map_err(|e| format!("oracle in {e}"))
}

fn check_inner(
    what: &str,
    csv: &[u8],
    columns: usize,
    rows: usize,
    expected: Option<&dyn Fn(usize, usize) -> String>,
) -> Result<(), String> {
    let records = parse(csv).map_err(|e| format!("{what}: not valid CSV: {e}"))?;
    if records.len() != rows + 1 {
        return Err(format!(
            "{what} has {} records for {rows} rows and a header",
            records.len()
        ));
    }
    for (r, record) in records.iter().enumerate() {
        if record.len() != columns {
            return Err(format!(
                "{what}: record {r} has {} fields for {columns} columns",
                record.len()
            ));
        }
        for (c, field) in record.iter().enumerate() {
            if let Some(why) = quoting_rule(field) {
                return Err(format!("{what}: field {c} of record {r} {why}"));
            }
            if let (Some(expected), true) = (expected, r > 0) {
                let cell = expected(r - 1, c);
                if field.text != cell && !is_cell_guarded(&field.text, &cell) {
                    return Err(format!(
                        "{what}: field {c} of record {r} reads back as {} bytes unlike its cell of {} bytes",
                        field.text.len(),
                        cell.len()
                    ));
                }
            }
        }
    }
    // Valid UTF-8: `parse` has checked.
    let text = String::from_utf8_lossy(csv);
    for (sep, name) in [(',', "','"), (';', "';'"), ('\t', "tabs")] {
        if let Some(f) = split_as(&text, sep).iter().find(|f| reads_as_formula(f)) {
            let lead = if f.trim_start().len() == f.len() {
                ""
            } else {
                " after leading whitespace"
            };
            let sign = f.trim_start().chars().next().map_or(0, u32::from);
            return Err(format!(
                "{what}: a field reads as a formula (U+{sign:04X}){lead} when split at {name}"
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc_4180() {
        let r = parse(b"a,\"b,\"\"c\"\"\"\r\n,x\r\n").unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(r[0][1].text, "b,\"c\"");
        assert!(r[0][1].quoted);
        assert_eq!(r[1][0].text, "");
        assert!(parse(b"a\"b\r\n").is_err());
        assert!(parse(b"a,b").is_err());
        assert!(parse(b"\"a\"b\r\n").is_err());
    }

    #[test]
    fn flags_what_a_spreadsheet_would_misread() {
        let unquoted = |text: &str| {
            quoting_rule(&Field {
                text: text.to_owned(),
                quoted: false,
            })
        };
        assert!(unquoted("a;b").is_some());
        assert!(unquoted("a\tb").is_some());
        assert!(unquoted("ab").is_none());
        assert!(reads_as_formula(" =1+1"));
        assert!(reads_as_formula("\u{a0}@x"));
        assert!(reads_as_formula("-2+3"));
        assert!(!reads_as_formula("'=1"));
        assert!(!reads_as_formula("-0.50000000"));
        assert!(!reads_as_formula("-2"));
        assert!(reads_as_formula("-"));
        let ok = |csv: &str| check("t", csv.as_bytes(), 1, 1, None);
        assert!(ok("h\r\n\"a;'=1\"\r\n").is_ok());
        assert!(ok("h\r\na;=1\r\n").is_err());
        assert!(split_as("a;=1\r\n", ';')
            .iter()
            .any(|f| reads_as_formula(f)));
        assert!(ok("h\r\n\" =1\"\r\n").is_err());
        assert!(ok("h\r\n-0.5\r\n").is_ok());
    }

    #[test]
    fn guards_are_the_only_difference_allowed() {
        assert!(is_cell_guarded("'=1", "=1"));
        assert!(is_cell_guarded("a; '-x\t'@y", "a; -x\t@y"));
        assert!(is_cell_guarded("' x\n'=1", " x\n=1"));
        assert!(!is_cell_guarded("a'b", "ab"));
        assert!(!is_cell_guarded("ab", "abc"));
    }
}
