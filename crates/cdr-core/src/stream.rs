//! Reading a getCDR answer as its bytes arrive, so that the first rows of a window show before
//! its last byte, and no whole body (hundreds of MB for a busy account) is ever held.
//!
//! The answer object is walked a piece at a time: each element of its `cdr` list, and each
//! other value, is cut out of the bytes received so far once it is complete, then read by the
//! crate's own parser exactly as [`crate::decode::decode_cdr_into`] reads it. Only one
//! unfinished piece (a row, a few hundred bytes) waits for more bytes. The status counts only
//! at the end: rows of an answer that turns out to be an error are taken out again.

use std::borrow::Cow;

use crate::de;
use crate::decode::{outcome, preview, DecodeError};
use crate::json::{render_path, Fail, Parser, Seg};
use crate::model::CdrRow;
use crate::table::CdrTable;

/// How many first bytes are kept to describe a body that is not API data.
const HEAD_BYTES: usize = 320;

/// Where the walk through the answer object stands.
#[derive(Clone, Debug, PartialEq, Eq)]
enum At {
    /// Before the opening brace.
    Start,
    /// After `{` (`first`: a `}` may close it at once) or after a `,`: a key is next.
    Key { first: bool },
    /// After a key: its `:` is next.
    Colon { key: String },
    /// After `key:`: the value is next.
    Value { key: String },
    /// In the `cdr` list: an element (or, when `first`, the closing `]`) is next.
    Element { first: bool },
    /// After an element: `,` or `]`.
    AfterElement,
    /// After a value of the object: `,` or `}`.
    AfterValue,
    /// After the closing brace: only whitespace may follow.
    Done,
}

/// A getCDR (or getResellerCDR) answer being read into a table as its bytes arrive.
pub struct CdrStream {
    content_type: Option<String>,
    /// The bytes received and not yet read, from `pos` on.
    buf: Vec<u8>,
    pos: usize,
    /// The first bytes of the body, for the preview of an error.
    head: Vec<u8>,
    at: At,
    /// Whether the body's first bytes were looked at for a byte order mark.
    bom_checked: bool,
    /// Where the value being cut out ends, as far as scanned (resumed on the next chunk).
    scan: Scan,
    /// The table's length when this answer began: its rows come after.
    start: usize,
    /// The element number in the `cdr` list, for the path of an error.
    element: usize,
    status: Option<String>,
    /// A status value of the wrong shape was met.
    status_unreadable: bool,
    /// The first value of the wrong shape: the rest is still walked, for an error status
    /// beside it would be the answer's outcome (as the whole-body reader has it), but no
    /// more rows are kept.
    misshapen: Option<DecodeError>,
    /// The first failure that ends the reading (not JSON, cut off).
    failed: Option<DecodeError>,
}

/// How far a value being cut out has been scanned: a resumable state, so that a row split
/// over many chunks is scanned once, not again with each chunk.
#[derive(Clone, Copy, Debug, Default)]
struct Scan {
    /// Bytes of the value scanned so far.
    len: usize,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// The value is a bare scalar (number, literal): it ends at a delimiter.
    scalar: bool,
    started: bool,
}

impl CdrStream {
    /// An answer whose rows go after the present rows of `table`.
    pub fn new(content_type: Option<&str>, table: &CdrTable) -> CdrStream {
        CdrStream {
            content_type: content_type.map(str::to_owned),
            buf: Vec::new(),
            pos: 0,
            head: Vec::new(),
            at: At::Start,
            bom_checked: false,
            scan: Scan::default(),
            start: table.len(),
            element: 0,
            status: None,
            status_unreadable: false,
            misshapen: None,
            failed: None,
        }
    }

    /// Reads what `chunk` completes; the rows it completes go into `table` at once.
    pub fn feed(&mut self, chunk: &[u8], table: &mut CdrTable) -> Result<(), DecodeError> {
        if let Some(e) = &self.failed {
            return Err(e.clone());
        }
        if self.head.len() < HEAD_BYTES {
            let take = chunk.len().min(HEAD_BYTES - self.head.len());
            self.head.extend_from_slice(&chunk[..take]);
        }
        // Read bytes go once they are half the buffer: no copy per chunk, no unbounded growth.
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        self.buf.extend_from_slice(chunk);
        let result = self.run(table, false);
        self.fail_on(result, table)
    }

    /// Reads the end of the answer: whatever was left waiting for a delimiter, then the
    /// status. An answer that is cut off, broken or an error leaves `table` as it was before.
    pub fn finish(mut self, table: &mut CdrTable) -> Result<(), DecodeError> {
        if let Some(e) = self.failed.take() {
            return Err(e);
        }
        let result = self.run(table, true).and_then(|()| {
            self.skip_whitespace();
            if self.at != At::Done || self.pos < self.buf.len() {
                return Err(self.not_json());
            }
            match (self.misshapen.take(), self.status.as_deref()) {
                // An error status with an odd payload beside it is still that error status.
                (Some(_), Some(code)) if !self.status_unreadable && code.trim() != "success" => {
                    outcome(Some(code))
                }
                (Some(shape), _) => Err(shape),
                (None, status) => outcome(status),
            }
        });
        match result {
            Ok(true) => Ok(()),
            Ok(false) => {
                table.truncate(self.start);
                Ok(())
            }
            Err(e) => {
                table.truncate(self.start);
                Err(e)
            }
        }
    }

    fn fail_on(
        &mut self,
        result: Result<(), DecodeError>,
        table: &mut CdrTable,
    ) -> Result<(), DecodeError> {
        if let Err(e) = &result {
            table.truncate(self.start);
            self.failed = Some(e.clone());
            self.buf = Vec::new();
            self.pos = 0;
        }
        result
    }

    /// Keeps the first shape error and drops the answer's rows; a syntax error ends the
    /// reading at once.
    fn misshape(&mut self, e: DecodeError, table: &mut CdrTable) -> Result<(), DecodeError> {
        if matches!(e, DecodeError::NotJson { .. }) {
            return Err(e);
        }
        table.truncate(self.start);
        if self.misshapen.is_none() {
            self.misshapen = Some(e);
        }
        Ok(())
    }

    fn not_json(&self) -> DecodeError {
        let head = self
            .head
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&self.head);
        DecodeError::NotJson {
            content_type: self.content_type.clone(),
            first_bytes: preview(head),
        }
    }

    fn skip_whitespace(&mut self) {
        while self
            .buf
            .get(self.pos)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.pos += 1;
        }
    }

    /// The next byte after whitespace, if received.
    fn peek(&mut self) -> Option<u8> {
        self.skip_whitespace();
        self.buf.get(self.pos).copied()
    }

    /// Reads every piece the bytes received complete. `eof`: no more bytes will come.
    fn run(&mut self, table: &mut CdrTable, eof: bool) -> Result<(), DecodeError> {
        loop {
            match self.at.clone() {
                At::Start => {
                    // A byte order mark, as PHP scripts sometimes send (maybe split in two).
                    const BOM: &[u8] = b"\xEF\xBB\xBF";
                    // Only the body's first bytes: the buffer's start moves as it is read.
                    if !self.bom_checked {
                        if self.buf.starts_with(BOM) {
                            self.pos = 3;
                        } else if !eof && !self.buf.is_empty() && BOM.starts_with(&self.buf) {
                            return Ok(());
                        }
                        self.bom_checked = true;
                    }
                    match self.peek() {
                        None => return Ok(()),
                        Some(b'{') => {
                            self.pos += 1;
                            self.at = At::Key { first: true };
                        }
                        // Not JSON (an HTML error page): said once its first bytes are
                        // in, so that the message can quote them.
                        Some(_) if !eof && self.head.len() < HEAD_BYTES => return Ok(()),
                        Some(_) => return Err(self.not_json()),
                    }
                }
                At::Key { first } => match self.peek() {
                    None => return Ok(()),
                    Some(b'}') if first => {
                        self.pos += 1;
                        self.at = At::Done;
                    }
                    Some(b'"') => {
                        let Some(text) = self.cut(eof)? else {
                            return Ok(());
                        };
                        let key = read_text(&text).map_err(|_| self.not_json())?;
                        self.at = At::Colon { key };
                    }
                    Some(_) => return Err(self.not_json()),
                },
                At::Colon { key } => match self.peek() {
                    None => return Ok(()),
                    Some(b':') => {
                        self.pos += 1;
                        self.at = At::Value { key };
                    }
                    Some(_) => return Err(self.not_json()),
                },
                At::Value { key } => {
                    let Some(first) = self.peek() else {
                        return Ok(());
                    };
                    if key == "cdr" && first == b'[' {
                        // A key given twice: the last one wins, as PHP reads it.
                        table.truncate(self.start);
                        self.pos += 1;
                        self.element = 0;
                        self.at = At::Element { first: true };
                        continue;
                    }
                    let Some(text) = self.cut(eof)? else {
                        return Ok(());
                    };
                    if let Err(e) = self.value(&key, &text, table) {
                        self.misshape(e, table)?;
                    }
                    self.at = At::AfterValue;
                }
                At::Element { first } => match self.peek() {
                    None => return Ok(()),
                    Some(b']') if first => {
                        self.pos += 1;
                        self.at = At::AfterValue;
                    }
                    Some(_) => {
                        let Some(text) = self.cut(eof)? else {
                            return Ok(());
                        };
                        if self.misshapen.is_none() {
                            match self.row(&text) {
                                Ok(row) => table.push(&row),
                                Err(e) => self.misshape(e, table)?,
                            }
                        } else if !is_json(&text) {
                            // Rows are no longer read, but a body that is not JSON is still
                            // not JSON.
                            return Err(self.not_json());
                        }
                        self.element += 1;
                        self.at = At::AfterElement;
                    }
                },
                At::AfterElement => match self.peek() {
                    None => return Ok(()),
                    Some(b',') => {
                        self.pos += 1;
                        self.at = At::Element { first: false };
                    }
                    Some(b']') => {
                        self.pos += 1;
                        self.at = At::AfterValue;
                    }
                    Some(_) => return Err(self.not_json()),
                },
                At::AfterValue => match self.peek() {
                    None => return Ok(()),
                    Some(b',') => {
                        self.pos += 1;
                        self.at = At::Key { first: false };
                    }
                    Some(b'}') => {
                        self.pos += 1;
                        self.at = At::Done;
                    }
                    Some(_) => return Err(self.not_json()),
                },
                At::Done => {
                    return match self.peek() {
                        None => Ok(()),
                        Some(_) => Err(self.not_json()),
                    };
                }
            }
        }
    }

    /// Cuts the next whole value out of the buffer, or `None` until its end has arrived.
    fn cut(&mut self, eof: bool) -> Result<Option<String>, DecodeError> {
        let bytes = &self.buf[self.pos..];
        let mut s = self.scan;
        if !s.started {
            s = Scan {
                started: true,
                scalar: !matches!(bytes.first(), Some(b'"' | b'{' | b'[')),
                ..Scan::default()
            };
        }
        let mut end = None;
        while s.len < bytes.len() {
            let b = bytes[s.len];
            s.len += 1;
            if s.scalar {
                if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    s.len -= 1;
                    end = Some(s.len);
                    break;
                }
                continue;
            }
            if s.in_string {
                if s.escaped {
                    s.escaped = false;
                } else if b == b'\\' {
                    s.escaped = true;
                } else if b == b'"' {
                    s.in_string = false;
                    if s.depth == 0 {
                        end = Some(s.len);
                        break;
                    }
                }
                continue;
            }
            match b {
                b'"' => s.in_string = true,
                b'{' | b'[' => s.depth = s.depth.saturating_add(1),
                b'}' | b']' => {
                    s.depth = s.depth.saturating_sub(1);
                    if s.depth == 0 {
                        end = Some(s.len);
                        break;
                    }
                }
                _ => {}
            }
        }
        let end = match end {
            Some(end) => end,
            // A number or literal at the very end of the body ends there.
            None if eof && s.scalar && s.len > 0 => s.len,
            None if eof => return Err(self.not_json()),
            None => {
                self.scan = s;
                return Ok(None);
            }
        };
        let text = String::from_utf8_lossy(&bytes[..end]).into_owned();
        self.pos += end;
        self.scan = Scan::default();
        Ok(Some(text))
    }

    /// A value of the answer object other than the `cdr` list: the status is kept, a `cdr`
    /// that is not a list is read as the list reader reads it, anything else must be JSON.
    fn value(&mut self, key: &str, text: &str, table: &mut CdrTable) -> Result<(), DecodeError> {
        let mut p = Parser::new(text);
        let read = match key {
            // A status that cannot be read: its shape error is the outcome, whatever other
            // status the answer holds (the whole-body reader cannot read past it either).
            "status" => de::opt_string(&mut p)
                .map(|s| self.status = s)
                .inspect_err(|_| self.status_unreadable = true),
            "cdr" => {
                table.truncate(self.start);
                let read = de::cdr_rows_into(&mut p, table);
                if self.misshapen.is_some() {
                    table.truncate(self.start);
                }
                read
            }
            _ => p.skip(),
        }
        .and_then(|()| p.finish());
        read.map_err(|fail| self.decode_error(text, fail, Some(key), None))
    }

    /// One element of the `cdr` list.
    fn row(&self, text: &str) -> Result<CdrRow, DecodeError> {
        let mut p = Parser::new(text);
        de::read_cdr_row(&mut p)
            .and_then(|row| p.finish().map(|()| row))
            .map_err(|fail| self.decode_error(text, fail, Some("cdr"), Some(self.element)))
    }

    fn decode_error(
        &self,
        text: &str,
        fail: Fail,
        key: Option<&str>,
        index: Option<usize>,
    ) -> DecodeError {
        // A value of the wrong shape that is not even JSON (`2x"`) is not JSON: the reader
        // stops at the shape before it meets the syntax, the whole-body reader meets both.
        let fail = match fail {
            Fail::Shape(_) if !is_json(text) => Fail::Syntax,
            f => f,
        };
        match fail {
            Fail::Syntax => self.not_json(),
            Fail::Shape(mut shape) => {
                // Paths run innermost first.
                if let Some(i) = index {
                    shape.path.push(Seg::Index(i));
                }
                if let Some(k) = key {
                    shape.path.push(Seg::Key(k.to_owned()));
                }
                DecodeError::Shape {
                    path: render_path(&shape.path),
                    message: shape.message,
                }
            }
        }
    }
}

/// Whether `text` is one whole JSON value.
fn is_json(text: &str) -> bool {
    let mut p = Parser::new(text);
    p.skip().and_then(|()| p.finish()).is_ok()
}

/// The text of a JSON string value (a key), unescaped.
fn read_text(json: &str) -> Result<String, Fail> {
    let mut p = Parser::new(json);
    match p.scalar()? {
        crate::json::Scalar::Str(s) => {
            p.finish()?;
            Ok(Cow::into_owned(s))
        }
        _ => Err(Fail::Syntax),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode_cdr;

    /// Streams `body` in pieces of `step` bytes; the rows of the table, or the error.
    fn streamed(body: &[u8], step: usize) -> Result<Vec<CdrRow>, DecodeError> {
        let mut table = CdrTable::default();
        let mut s = CdrStream::new(None, &table);
        for chunk in body.chunks(step.max(1)) {
            if let Err(e) = s.feed(chunk, &mut table) {
                assert!(table.is_empty(), "rows left after an error");
                return Err(e);
            }
        }
        let done = s.finish(&mut table);
        let rows: Vec<CdrRow> = (0..table.len() as u32).map(|i| table.row(i)).collect();
        done.map(|()| rows)
    }

    #[test]
    fn any_chunking_reads_the_rows_the_whole_body_gives() {
        let body = crate::synth::cdr_body(300, 9, true);
        let whole = decode_cdr(body.as_bytes(), None).unwrap();
        for step in [1, 2, 3, 7, 64, 1000, body.len()] {
            assert_eq!(
                streamed(body.as_bytes(), step).unwrap(),
                whole,
                "step {step}"
            );
        }
    }

    #[test]
    fn the_answer_shapes_and_quirks_stream_too() {
        let cases: &[&[u8]] = &[
            // Found by cdr-fuzz: an empty-result status beside a list of the wrong shape.
            br#"{"status":"no_rate","cdr":["success"]}"#,
            br#"{"cdr":[{"date":"","seconds":"1"},"x"],"status":"invalid_client"}"#,
            br#"{"cdr":["x"]}"#,
            br#"{"status":"no_rate","cdr":[2success"]}"#,
            br#"{"status":"no_rate","cdr":[2,2,2,2,2success"]}"#,
            b"\xEF\xBB\xBF\xEF\xBB\xBF{\"status\":\"success\"}",
            br#"{"status":"no_account","status":[]}"#,
            br#"{"status":[["api_limit_exceeded"]],"status":"no_cdr","clients":[null]}"#,
            br#"{"status":"no_rate","x":{"a":1}x,"cdr":[]}"#,
            br#"{"status":"no_cdr"}"#,
            br#"  {"cdr":[],"status":"success"}  "#,
            b"\xEF\xBB\xBF{\"status\":\"success\",\"cdr\":[{\"date\":\"2024-01-01 00:00:00\",\"seconds\":\"3\"}]}",
            br#"{"status":"success","extra":{"a":[1,{"b":"}]\""}]},"cdr":{"date":"","seconds":1}}"#,
            br#"{"status":"success","cdr":[{"date":"","seconds":"1","uniqueid":"a"}],"cdr":[{"date":"","seconds":"2","uniqueid":"b"}]}"#,
            br#"{"cdr":[{"date":"","seconds":"1"}],"status":"invalid_daterange"}"#,
            br#"{"status":"success","cdr":[{"date":"","seconds":"x"}]}"#,
            br#"{"status":"success","cdr":[{"date":"","seconds":"1"}"#,
            br#"{"status":"success","n":12"#,
            br#"{"status":"success","n":12}"#,
            br#"{"status":"success","n":tru}"#,
            b"<html><title>502 Bad Gateway</title></html>",
            b"",
            br#"{"status":"success","cdr":[{"date":"","seconds":"1"} x]}"#,
            br#"{"status":"success"} {}"#,
        ];
        for body in cases {
            let whole = decode_cdr(body, None);
            for step in [1, 5, body.len().max(1)] {
                let got = streamed(body, step);
                match (&whole, &got) {
                    (Ok(rows), Ok(got)) => assert_eq!(rows, got),
                    (Err(_), Err(_)) => {}
                    _ => panic!(
                        "{}: whole {whole:?}, streamed by {step} {got:?}",
                        String::from_utf8_lossy(body)
                    ),
                }
            }
        }
        // The errors say the same thing.
        let cut = br#"{"status":"success","cdr":[{"date":"","seconds":"1"}"#;
        assert!(streamed(cut, 4).unwrap_err().message().contains("cut off"));
        let html = b"<html><title>502 Bad Gateway</title></html>";
        assert_eq!(
            streamed(html, 3).unwrap_err(),
            decode_cdr(html, None).unwrap_err()
        );
        let api = br#"{"cdr":[],"status":"invalid_daterange"}"#;
        assert_eq!(
            streamed(api, 2).unwrap_err(),
            decode_cdr(api, None).unwrap_err()
        );
    }

    #[test]
    fn a_failed_answer_keeps_the_rows_of_the_windows_before_it() {
        let mut table = CdrTable::default();
        let first = crate::synth::cdr_body(5, 1, false);
        let mut s = CdrStream::new(None, &table);
        s.feed(first.as_bytes(), &mut table).unwrap();
        s.finish(&mut table).unwrap();
        let mut s = CdrStream::new(None, &table);
        s.feed(&first.as_bytes()[..first.len() - 40], &mut table)
            .unwrap();
        assert!(table.len() > 5, "rows show before the end of the body");
        assert!(s.finish(&mut table).is_err());
        assert_eq!(table.len(), 5);
    }
}
