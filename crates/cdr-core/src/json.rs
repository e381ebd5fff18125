//! A pull parser over the text of a JSON body, for the decoders of [`crate::decode`].
//!
//! Hand-written rather than serde_json, for the browser: serde_json, the derived visitors
//! and the float parsing and printing they bring cost some 30 KB of the compressed wasm
//! bundle, and going through them made decoding a getCDR answer barely faster than
//! `JSON.parse`. Here the row readers pull the values they know straight out of the text,
//! strings without escapes are borrowed, and numbers stay digits: no float is ever parsed
//! or printed.
//!
//! The hot paths are written for opt-level "z", at which the browser build compiles this
//! crate: plain loops over indices and `match`es, since slice comparisons, sub-slices,
//! iterator adapters and `Option` combinators are left as calls there.
//!
//! Errors carry no position. A syntax error only says "not JSON" (the body is shown to the
//! user instead); a shape error collects its JSON path while it travels out through the
//! containers, so a body that decodes pays nothing for paths.

use std::borrow::Cow;

/// Why reading stopped.
pub(crate) enum Fail {
    /// The text is not JSON, or it stops early.
    Syntax,
    /// JSON, but not of the shape the reader wants. Boxed to keep every `Result` small.
    Shape(Box<ShapeFail>),
}

/// What a shape error says, and where.
pub(crate) struct ShapeFail {
    /// What was wrong, e.g. ``missing field `date` ``.
    pub(crate) message: String,
    /// The path, innermost segment first (pushed on the way out).
    pub(crate) path: Vec<Seg>,
}

/// One step of a JSON path.
pub(crate) enum Seg {
    /// An object key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// What every reader returns.
pub(crate) type Res<T> = Result<T, Fail>;

impl Fail {
    /// A shape error at the current value.
    #[cold]
    pub(crate) fn shape(message: String) -> Fail {
        Fail::Shape(Box::new(ShapeFail {
            message,
            path: Vec::new(),
        }))
    }

    /// A row without one of its required fields.
    #[cold]
    pub(crate) fn missing(field: &str) -> Fail {
        Fail::shape(format!("missing field `{field}`"))
    }

    #[cold]
    fn at(mut self, seg: Seg) -> Fail {
        if let Fail::Shape(shape) = &mut self {
            shape.path.push(seg);
        }
        self
    }
}

/// The path of a shape error as people read it: `cdr[3].seconds`, `.` for the whole body.
pub(crate) fn render_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path.iter().rev() {
        match seg {
            Seg::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Seg::Index(index) => {
                out.push('[');
                out.push_str(&index.to_string());
                out.push(']');
            }
        }
    }
    if out.is_empty() {
        out.push('.');
    }
    out
}

/// A JSON number as written: sign, digits and exponent, never a float.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Number<'a> {
    /// The text, for messages.
    pub(crate) text: &'a str,
    /// Whether there was a minus sign (`-0` included).
    pub(crate) negative: bool,
    /// Digits before the decimal point (may be empty in text such as `.5`).
    pub(crate) int: &'a [u8],
    /// Digits after the decimal point.
    pub(crate) frac: &'a [u8],
    /// The written exponent, saturated far beyond any number that matters.
    pub(crate) exp: i64,
    /// Neither a fraction nor an exponent (nor `-0`): what serde_json read as an integer.
    pub(crate) integer: bool,
}

/// Beyond this many integer digits a JSON number does not fit in `f64`, which serde_json
/// refused as invalid JSON ("number out of range"); kept, so such bodies stay `NotJson`.
const MAX_INT_DIGITS: i64 = 309;

/// Below ten to the minus this, a number was zero once read as `f64`.
const MIN_EXPONENT: i64 = -323;

/// A number times a power of ten, cut to a whole number.
pub(crate) struct Scaled {
    /// The whole part.
    pub(crate) whole: u64,
    /// The first cut digit is 5 or more: round half away from zero.
    pub(crate) round_up: bool,
    /// Some cut digit is not 0: the number was not whole.
    pub(crate) inexact: bool,
}

impl<'a> Number<'a> {
    /// Reads the text of a decimal as Rust's `f64` parser accepts it (`+5`, `.5`, `5.`,
    /// `1e3`, leading zeros), which the API's numbers in strings were read with.
    pub(crate) fn from_decimal_text(text: &'a str) -> Option<Number<'a>> {
        let bytes = text.as_bytes();
        let (negative, mut i) = match bytes.first() {
            Some(b'-') => (true, 1),
            Some(b'+') => (false, 1),
            _ => (false, 0),
        };
        let int_start = i;
        i = digits_end(bytes, i);
        let int = &bytes[int_start..i];
        let mut frac: &[u8] = &[];
        if bytes.get(i) == Some(&b'.') {
            let frac_start = i + 1;
            i = digits_end(bytes, frac_start);
            frac = &bytes[frac_start..i];
        }
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        let mut exp = 0;
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            (exp, i) = exponent(bytes, i + 1)?;
        }
        (i == bytes.len()).then_some(Number {
            text,
            negative,
            int,
            frac,
            exp,
            integer: false,
        })
    }

    /// The `k`-th digit of the integer and fraction digits run together; `0` past the end.
    fn digit(&self, k: usize) -> u64 {
        let d = if k < self.int.len() {
            self.int[k]
        } else {
            self.frac.get(k - self.int.len()).copied().unwrap_or(b'0')
        };
        u64::from(d - b'0')
    }

    fn len(&self) -> usize {
        self.int.len() + self.frac.len()
    }

    fn first_nonzero(&self) -> Option<usize> {
        (0..self.len()).find(|&k| self.digit(k) != 0)
    }

    /// How many digits stand before the decimal point once the exponent is applied,
    /// counted from the start of `int`.
    fn point(&self) -> i64 {
        (self.int.len() as i64).saturating_add(self.exp)
    }

    /// Refuses what serde_json refused: numbers too large for `f64`.
    fn check_range(&self) -> Res<()> {
        match self.first_nonzero() {
            Some(first) if self.point().saturating_sub(first as i64) > MAX_INT_DIGITS => {
                Err(Fail::Syntax)
            }
            _ => Ok(()),
        }
    }

    /// The number times ten to the `scale`, without its sign; `None` when the whole part
    /// does not fit in a `u64`.
    pub(crate) fn scaled(&self, scale: i64) -> Option<Scaled> {
        let Some(first) = self.first_nonzero() else {
            return Some(Scaled {
                whole: 0,
                round_up: false,
                inexact: false,
            });
        };
        let point = self.point().saturating_add(scale);
        if point.saturating_sub(first as i64) > 20 {
            return None;
        }
        let mut whole: u64 = 0;
        let mut k = first;
        while (k as i64) < point {
            whole = whole.checked_mul(10)?.checked_add(self.digit(k))?;
            k += 1;
        }
        let cut = point.max(0) as usize;
        Some(Scaled {
            whole,
            round_up: point >= 0 && self.digit(cut) >= 5,
            inexact: (cut.max(first)..self.len()).any(|k| self.digit(k) != 0),
        })
    }

    /// The number as text, as serde_json and Rust's float printing showed it: integers as
    /// written, other numbers as their plain decimal (`1e2` is `100`, `0.50` is `0.5`).
    ///
    /// Worked out from the digits, with no float: the same text for up to 15 significant
    /// digits; longer numbers keep the digits they were sent with where a float rounded
    /// them (`0.1000000000000000055` stays so, `1e-400` is still `0`).
    pub(crate) fn to_text(self) -> String {
        if self.integer {
            return self.text.to_owned();
        }
        let sign = if self.negative { "-" } else { "" };
        let Some(first) = self.first_nonzero() else {
            return [sign, "0"].concat();
        };
        let point = self.point();
        // Saturating: a hostile exponent (`0.001e-99999999999999999999`) puts `point` near
        // `i64::MIN`, where a plain subtraction wraps to a huge positive count of zeros.
        let magnitude = point.saturating_sub(first as i64);
        if magnitude < MIN_EXPONENT {
            return [sign, "0"].concat();
        }
        if magnitude > MAX_INT_DIGITS {
            // Only a number that never went through `check_range` gets here; writing it out
            // would take as many bytes as its exponent says.
            return self.text.to_owned();
        }
        let last = (0..self.len())
            .rev()
            .find(|&k| self.digit(k) != 0)
            .unwrap_or(first);
        let mut out = String::with_capacity(self.len() + 8);
        out.push_str(sign);
        let digit = |k: i64| char::from(b'0' + self.digit(k as usize) as u8);
        let (first, last) = (first as i64, last as i64);
        if point <= first {
            out.push_str("0.");
            (point..first).for_each(|_| out.push('0'));
            (first..=last).for_each(|k| out.push(digit(k)));
        } else {
            (first..point.max(last + 1)).for_each(|k| {
                if k == point {
                    out.push('.');
                }
                out.push(digit(k));
            });
        }
        out
    }
}

/// The end of a run of ASCII digits starting at `i`.
fn digits_end(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// An exponent after its `e`: an optional sign and at least one digit.
fn exponent(bytes: &[u8], mut i: usize) -> Option<(i64, usize)> {
    let negative = bytes.get(i) == Some(&b'-');
    if matches!(bytes.get(i), Some(b'-' | b'+')) {
        i += 1;
    }
    let start = i;
    let mut exp: i64 = 0;
    while let Some(&d) = bytes.get(i).filter(|d| d.is_ascii_digit()) {
        exp = exp.saturating_mul(10).saturating_add(i64::from(d - b'0'));
        i += 1;
    }
    (i > start).then_some((if negative { -exp } else { exp }, i))
}

/// One JSON value that a scalar reader met, read whole unless it is a container.
pub(crate) enum Scalar<'a> {
    /// A string, unescaped.
    Str(Cow<'a, str>),
    /// A number.
    Num(Number<'a>),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// An object, not consumed: a reader that does not want one stops there.
    Map,
    /// An array, not consumed.
    Seq,
}

impl Scalar<'_> {
    /// How serde described the value in its messages.
    fn describe(&self) -> String {
        match self {
            Scalar::Str(s) => format!("string {}", quoted(s)),
            Scalar::Num(n) if n.integer => format!("integer `{}`", n.text),
            Scalar::Num(n) => format!("floating point `{}`", n.text),
            Scalar::Bool(b) => format!("boolean `{b}`"),
            Scalar::Null => "null".to_owned(),
            Scalar::Map => "map".to_owned(),
            Scalar::Seq => "sequence".to_owned(),
        }
    }

    /// A value of a JSON type the reader does not take.
    #[cold]
    pub(crate) fn invalid_type(&self, expected: &str) -> Fail {
        Fail::shape(format!(
            "invalid type: {}, expected {expected}",
            self.describe()
        ))
    }

    /// A value of the right type that does not read, e.g. `"eleven"` for a number.
    #[cold]
    pub(crate) fn invalid_value(&self, expected: &str) -> Fail {
        Fail::shape(format!(
            "invalid value: {}, expected {expected}",
            self.describe()
        ))
    }
}

/// A string in double quotes for a message; written out here because `{:?}` would bring
/// the Unicode printability tables into the bundle.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The position of the first `"`, `\` or control character at or after `i`, and the byte.
///
/// Eight bytes at a time: strings run 5 to 30 bytes, too short for a vectorised search to
/// pay for its setup, and one pass finds all three kinds of byte where `memchr2` would
/// need a second pass for control characters.
#[inline]
fn find_special(bytes: &[u8], mut i: usize) -> Option<(usize, u8)> {
    const ONES: u64 = u64::MAX / 255;
    while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let w = u64::from_le_bytes(*chunk);
        let ctrl = w.wrapping_sub(ONES * 0x20) & !w;
        let q = w ^ (ONES * u64::from(b'"'));
        let quote = q.wrapping_sub(ONES) & !q;
        let s = w ^ (ONES * u64::from(b'\\'));
        let backslash = s.wrapping_sub(ONES) & !s;
        let found = (ctrl | quote | backslash) & (ONES << 7);
        if found != 0 {
            // Little-endian: the lowest flagged byte is the first; later flags may be
            // borrows, but never earlier ones.
            let bit = found.trailing_zeros();
            // The byte from the word, not from memory: reloading one byte of the word just
            // read stalls on store forwarding.
            return Some((i + (bit / 8) as usize, (w >> (bit & !7)) as u8));
        }
        i += 8;
    }
    while let Some(&b) = bytes.get(i) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            return Some((i, b));
        }
        i += 1;
    }
    None
}

/// Four hex digits of a `\u` escape.
fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..)?.first_chunk::<4>()?;
    digits.iter().try_fold(0, |n, &d| {
        let v = (d as char).to_digit(16)?;
        Some(n * 16 + v)
    })
}

/// The known keys of a row, in the order the service writes them; see [`keys!`].
pub(crate) trait Keys: Copy {
    /// The keys' names.
    const NAMES: &'static [&'static str];
    /// The key of that index.
    fn nth(index: usize) -> Option<Self>;
    /// Consumes `"<name>":` of the key of that index if it comes next.
    fn eat_nth(p: &mut Parser<'_>, index: usize) -> bool;
}

/// Declares an enum of a row's keys that implements [`Keys`].
macro_rules! keys {
    ($name:ident { $($variant:ident = $key:literal),+ $(,)? }) => {
        #[derive(Clone, Copy)]
        enum $name {
            $($variant),+
        }

        impl $name {
            const ALL: &'static [$name] = &[$($name::$variant),+];
        }

        impl $crate::json::Keys for $name {
            const NAMES: &'static [&'static str] = &[$($key),+];

            fn nth(index: usize) -> Option<Self> {
                Self::ALL.get(index).copied()
            }

            #[inline(always)]
            fn eat_nth(p: &mut $crate::json::Parser<'_>, index: usize) -> bool {
                // One arm per key, so that each comparison has a constant length.
                match Self::ALL.get(index) {
                    $(Some($name::$variant) => p.eat(concat!("\"", $key, "\":").as_bytes()),)+
                    None => false,
                }
            }
        }
    };
}
pub(crate) use keys;

/// A reader positioned in a JSON text.
pub(crate) struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    /// A parser at the start of `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        Parser { text, pos: 0 }
    }

    /// How far the parser has read, in bytes.
    pub(crate) fn offset(&self) -> usize {
        self.pos
    }

    /// How many bytes are left to read.
    pub(crate) fn remaining(&self) -> usize {
        self.text.len() - self.pos
    }

    /// Skips whitespace and returns the next byte without consuming it.
    #[inline(always)]
    pub(crate) fn peek(&mut self) -> Res<u8> {
        let bytes = self.text.as_bytes();
        while self.pos < bytes.len() {
            let b = bytes[self.pos];
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Ok(b);
            }
            self.pos += 1;
        }
        Err(Fail::Syntax)
    }

    /// Checks that only whitespace follows the value.
    pub(crate) fn finish(&mut self) -> Res<()> {
        match self.peek() {
            Err(_) => Ok(()),
            Ok(_) => Err(Fail::Syntax),
        }
    }

    /// Reads any scalar; an object or array is reported but left unread.
    #[inline(always)]
    pub(crate) fn scalar(&mut self) -> Res<Scalar<'a>> {
        Ok(match self.peek()? {
            b'"' => Scalar::Str(self.string()?),
            b'-' | b'0'..=b'9' => {
                let n = self.number()?;
                n.check_range()?;
                Scalar::Num(n)
            }
            b't' => {
                self.literal(b"true")?;
                Scalar::Bool(true)
            }
            b'f' => {
                self.literal(b"false")?;
                Scalar::Bool(false)
            }
            b'n' => {
                self.literal(b"null")?;
                Scalar::Null
            }
            b'{' => Scalar::Map,
            b'[' => Scalar::Seq,
            _ => return Err(Fail::Syntax),
        })
    }

    fn literal(&mut self, word: &[u8]) -> Res<()> {
        let end = self.pos + word.len();
        if self.text.as_bytes().get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(Fail::Syntax)
        }
    }

    /// Reads a string whose opening quote is next; borrowed when it holds no escape.
    // Matches rather than `Option` combinators: at opt-level "z" those stay calls.
    #[inline(always)]
    fn string(&mut self) -> Res<Cow<'a, str>> {
        let start = self.pos + 1;
        match find_special(self.text.as_bytes(), start) {
            Some((end, b'"')) => {
                self.pos = end + 1;
                match self.text.get(start..end) {
                    Some(s) => Ok(Cow::Borrowed(s)),
                    None => Err(Fail::Syntax),
                }
            }
            Some((at, b'\\')) => match self.escaped(start, at) {
                Ok(s) => Ok(Cow::Owned(s)),
                Err(fail) => Err(fail),
            },
            _ => Err(Fail::Syntax),
        }
    }

    /// The rest of a string from its first backslash at `at`, unescaped into a new one.
    fn escaped(&mut self, start: usize, mut at: usize) -> Res<String> {
        let bytes = self.text.as_bytes();
        // Find the end first: an escape never grows when undone, so the raw length is room
        // enough, allocated once. A guess would cost a reallocation for most caller ids,
        // or keep unused room in every row for as long as the rows live.
        let mut end = at;
        while bytes.get(end) == Some(&b'\\') {
            end = find_special(bytes, end + 2).ok_or(Fail::Syntax)?.0;
        }
        let mut out = String::with_capacity(end - start);
        let mut chunk = start;
        loop {
            out.push_str(self.text.get(chunk..at).ok_or(Fail::Syntax)?);
            match bytes.get(at) {
                Some(b'"') => {
                    self.pos = at + 1;
                    return Ok(out);
                }
                Some(b'\\') => {}
                _ => return Err(Fail::Syntax),
            }
            let escape = *bytes.get(at + 1).ok_or(Fail::Syntax)?;
            at += 2;
            out.push(match escape {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let (c, next) = unicode_escape(bytes, at).ok_or(Fail::Syntax)?;
                    at = next;
                    c
                }
                _ => return Err(Fail::Syntax),
            });
            chunk = at;
            at = find_special(bytes, at).ok_or(Fail::Syntax)?.0;
        }
    }

    /// Skips a string without unescaping it. Like serde_json when it skipped a value, a
    /// lone surrogate escape passes here: only strings that are read must be valid text.
    fn skip_string(&mut self) -> Res<()> {
        let bytes = self.text.as_bytes();
        let mut at = self.pos + 1;
        loop {
            let (i, b) = find_special(bytes, at).ok_or(Fail::Syntax)?;
            match b {
                b'"' => {
                    self.pos = i + 1;
                    return Ok(());
                }
                b'\\' => match bytes.get(i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => at = i + 2,
                    Some(b'u') if hex4(bytes, i + 2).is_some() => at = i + 6,
                    _ => return Err(Fail::Syntax),
                },
                _ => return Err(Fail::Syntax),
            }
        }
    }

    /// Reads a number in JSON's grammar: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Res<Number<'a>> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let negative = bytes.get(start) == Some(&b'-');
        let int_start = start + usize::from(negative);
        let mut i = match bytes.get(int_start) {
            // A leading zero stands alone; `01` is not a number, not even one to refuse.
            Some(b'0') if bytes.get(int_start + 1).is_some_and(u8::is_ascii_digit) => {
                return Err(Fail::Syntax);
            }
            Some(b'0') => int_start + 1,
            Some(b'1'..=b'9') => digits_end(bytes, int_start + 1),
            _ => return Err(Fail::Syntax),
        };
        let int = &bytes[int_start..i];
        let mut frac: &[u8] = &[];
        // serde_json read `-0` as the float -0.0, so it prints as `-0` and is no integer.
        let mut integer = !(negative && int == b"0");
        if bytes.get(i) == Some(&b'.') {
            let frac_start = i + 1;
            i = digits_end(bytes, frac_start);
            if i == frac_start {
                return Err(Fail::Syntax);
            }
            frac = &bytes[frac_start..i];
            integer = false;
        }
        let mut exp = 0;
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            (exp, i) = exponent(bytes, i + 1).ok_or(Fail::Syntax)?;
            integer = false;
        }
        self.pos = i;
        Ok(Number {
            text: self.text.get(start..i).ok_or(Fail::Syntax)?,
            negative,
            int,
            frac,
            exp,
            integer,
        })
    }

    /// Skips one value of any kind, however deeply nested.
    ///
    /// Iterative with a stack of closers, so a hostile body cannot overflow the call stack;
    /// serde_json skipped without a depth limit too.
    pub(crate) fn skip(&mut self) -> Res<()> {
        let mut closers: Vec<u8> = Vec::new();
        loop {
            match self.peek()? {
                open @ (b'{' | b'[') => {
                    self.pos += 1;
                    let close = if open == b'{' { b'}' } else { b']' };
                    if self.peek()? == close {
                        self.pos += 1;
                    } else {
                        closers.push(close);
                        if close == b'}' {
                            self.skip_key()?;
                        }
                        continue;
                    }
                }
                b'"' => self.skip_string()?,
                b'-' | b'0'..=b'9' => {
                    self.number()?;
                }
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                b'n' => self.literal(b"null")?,
                _ => return Err(Fail::Syntax),
            }
            // A value ended: close what it ended, then go on after a comma.
            loop {
                let Some(&close) = closers.last() else {
                    return Ok(());
                };
                if self.more(close)? {
                    if close == b'}' {
                        self.skip_key()?;
                    }
                    break;
                }
                closers.pop();
            }
        }
    }

    fn skip_key(&mut self) -> Res<()> {
        if self.peek()? != b'"' {
            return Err(Fail::Syntax);
        }
        self.skip_string()?;
        self.colon()
    }

    fn colon(&mut self) -> Res<()> {
        if self.peek()? != b':' {
            return Err(Fail::Syntax);
        }
        self.pos += 1;
        Ok(())
    }

    /// Consumes the `{` of an object, and its `}` too when it is empty: `true` when members
    /// follow. Anything but an object is a shape error naming `expected`.
    #[inline(always)]
    fn open_object(&mut self, expected: &str) -> Res<bool> {
        if self.peek()? != b'{' {
            return Err(self.not_this(expected));
        }
        self.pos += 1;
        if self.peek()? == b'}' {
            self.pos += 1;
            return Ok(false);
        }
        Ok(true)
    }

    /// After a member of an object or an element of an array: consumes the `,` (`true`,
    /// another follows) or the `close` bracket (`false`, the end).
    #[inline(always)]
    fn more(&mut self, close: u8) -> Res<bool> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Ok(true)
            }
            c if c == close => {
                self.pos += 1;
                Ok(false)
            }
            _ => Err(Fail::Syntax),
        }
    }

    /// Reads an object, calling `field` with each key and the parser on its value; `field`
    /// must consume the value. Anything but an object is a shape error naming `expected`.
    #[inline]
    pub(crate) fn object(
        &mut self,
        expected: &str,
        mut field: impl FnMut(&mut Self, &str) -> Res<()>,
    ) -> Res<()> {
        self.object_dyn(expected, &mut field)
    }

    /// The body of [`Parser::object`], behind `dyn` so that the browser bundle holds one
    /// copy of the loop rather than one per kind of object (the CDR rows, by far the most
    /// read, go through [`Parser::fields`] instead).
    fn object_dyn(
        &mut self,
        expected: &str,
        field: &mut dyn FnMut(&mut Self, &str) -> Res<()>,
    ) -> Res<()> {
        if !self.open_object(expected)? {
            return Ok(());
        }
        loop {
            if self.peek()? != b'"' {
                return Err(Fail::Syntax);
            }
            let key = self.string()?;
            self.colon()?;
            if let Err(fail) = field(self, &key) {
                return Err(fail.at(Seg::Key(key.into_owned())));
            }
            if !self.more(b'}')? {
                return Ok(());
            }
        }
    }

    /// Reads the string that is next in place, when every byte of it satisfies `plain` and
    /// `parse` takes them; otherwise leaves the parser where it was.
    ///
    /// The fast path of typed fields (dates, amounts, counts): one pass over the bytes
    /// instead of a scan for the end and then a parse. `plain` must refuse `"`, `\` and
    /// control characters, so that the bytes are the whole string, unescaped.
    #[inline(always)]
    pub(crate) fn plain<T>(
        &mut self,
        plain: impl Fn(u8) -> bool,
        parse: impl FnOnce(&'a [u8]) -> Option<T>,
    ) -> Option<T> {
        let bytes = self.text.as_bytes();
        let at = self.pos;
        if at >= bytes.len() || bytes[at] != b'"' {
            return None;
        }
        let mut end = at + 1;
        while end < bytes.len() && plain(bytes[end]) {
            end += 1;
        }
        if end >= bytes.len() || bytes[end] != b'"' {
            return None;
        }
        let value = parse(&bytes[at + 1..end])?;
        self.pos = end + 1;
        Some(value)
    }

    /// Consumes `token` if the text continues with exactly it.
    ///
    /// A plain loop over indices: at opt-level "z", `==` on slices is a call to `memcmp`
    /// (in wasm a byte-by-byte one), and chunking or iterator adapters stay calls too.
    /// Keys run 5 to 19 bytes with their quotes and colon.
    #[inline(always)]
    pub(crate) fn eat(&mut self, token: &[u8]) -> bool {
        let bytes = self.text.as_bytes();
        if bytes.len() - self.pos < token.len() {
            return false;
        }
        let mut i = 0;
        while i < token.len() {
            if bytes[self.pos + i] != token[i] {
                return false;
            }
            i += 1;
        }
        self.pos += token.len();
        true
    }

    /// Reads an object with the known keys `K`, calling `field` with each key (`None` for
    /// an unknown one, whose value `field` must skip) and the parser on its value.
    ///
    /// The service writes a row's keys in one order, so the key after the one just read
    /// is first tried whole (`"seconds":`, a comparison of known length); only a key out
    /// of that order is scanned and looked up.
    #[inline]
    pub(crate) fn fields<K: Keys>(
        &mut self,
        expected: &str,
        mut field: impl FnMut(&mut Self, Option<K>) -> Res<()>,
    ) -> Res<()> {
        if !self.open_object(expected)? {
            return Ok(());
        }
        let mut next = 0;
        loop {
            if self.peek()? != b'"' {
                return Err(Fail::Syntax);
            }
            let index = if K::eat_nth(self, next) {
                next
            } else {
                let key = self.string()?;
                self.colon()?;
                K::NAMES
                    .iter()
                    .position(|name| *name == key)
                    .unwrap_or(K::NAMES.len())
            };
            if let Err(fail) = field(self, K::nth(index)) {
                let name = K::NAMES.get(index).copied().unwrap_or_default();
                return Err(fail.at(Seg::Key(name.to_owned())));
            }
            next = index + 1;
            if !self.more(b'}')? {
                return Ok(());
            }
        }
    }

    /// Reads an array whose `[` is next, calling `item` with the parser on each element.
    #[inline]
    pub(crate) fn array(&mut self, mut item: impl FnMut(&mut Self) -> Res<()>) -> Res<()> {
        self.pos += 1;
        if self.peek()? == b']' {
            self.pos += 1;
            return Ok(());
        }
        let mut index = 0;
        loop {
            if let Err(fail) = item(self) {
                return Err(fail.at(Seg::Index(index)));
            }
            if !self.more(b']')? {
                return Ok(());
            }
            index += 1;
        }
    }

    /// Whether the object that is next begins with a key of digits only (a PHP array with
    /// gaps in its keys), without consuming anything; `None` for an empty object, which
    /// is then consumed.
    pub(crate) fn object_has_index_keys(&mut self) -> Res<Option<bool>> {
        let start = self.pos;
        self.pos += 1;
        match self.peek()? {
            b'}' => {
                self.pos += 1;
                Ok(None)
            }
            b'"' => {
                let key = self.string()?;
                self.pos = start;
                Ok(Some(
                    !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()),
                ))
            }
            _ => Err(Fail::Syntax),
        }
    }

    /// The error for a value that is not the object a reader wanted. Reads the value
    /// first, so that broken JSON stays a syntax error as it was with serde_json.
    #[cold]
    fn not_this(&mut self, expected: &str) -> Fail {
        match self.scalar() {
            Ok(found) => found.invalid_type(expected),
            Err(fail) => fail,
        }
    }
}

/// A `\u` escape whose hex digits start at `at`: the character and where it ends.
/// Surrogates must come in pairs, since a `String` cannot hold half of one.
fn unicode_escape(bytes: &[u8], at: usize) -> Option<(char, usize)> {
    let n = hex4(bytes, at)?;
    if !(0xD800..=0xDFFF).contains(&n) {
        return Some((char::from_u32(n)?, at + 4));
    }
    if n >= 0xDC00 || bytes.get(at + 4..at + 6) != Some(&b"\\u"[..]) {
        return None;
    }
    let low = hex4(bytes, at + 6)?;
    if !(0xDC00..=0xDFFF).contains(&low) {
        return None;
    }
    let c = char::from_u32(0x1_0000 + ((n - 0xD800) << 10) + (low - 0xDC00))?;
    Some((c, at + 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> Number<'_> {
        let mut p = Parser::new(text);
        let n = p.number().ok().expect("a JSON number");
        assert!(p.finish().is_ok(), "{text} read whole");
        n
    }

    fn json_str(text: &str) -> Option<String> {
        let mut p = Parser::new(text);
        let s = p.string().ok()?;
        p.finish().ok()?;
        Some(s.into_owned())
    }

    fn skips(text: &str) -> bool {
        let mut p = Parser::new(text);
        p.skip().is_ok() && p.finish().is_ok()
    }

    #[test]
    fn strings_unescape() {
        assert_eq!(json_str(r#""plain""#).as_deref(), Some("plain"));
        assert_eq!(json_str(r#""""#).as_deref(), Some(""));
        assert_eq!(
            json_str(r#""\"q\" \\ \/ \b\f\n\r\t""#).as_deref(),
            Some("\"q\" \\ / \u{8}\u{c}\n\r\t")
        );
        assert_eq!(json_str(r#""\u00e9\u0041\u0000""#).as_deref(), Some("éA\0"));
        // A pair of surrogates is one character outside the BMP.
        assert_eq!(json_str(r#""a\ud83d\ude00b""#).as_deref(), Some("a😀b"));
        assert_eq!(json_str(r#""\uD834\uDD1E""#).as_deref(), Some("𝄞"));
        // Long runs on both sides of escapes, to cross the eight-byte steps.
        assert_eq!(
            json_str(r#""0123456789abcdef\"0123456789abcdef\\0123456789""#).as_deref(),
            Some("0123456789abcdef\"0123456789abcdef\\0123456789")
        );
        assert_eq!(json_str("\"Côté 😀\"").as_deref(), Some("Côté 😀"));
    }

    #[test]
    fn broken_strings_are_not_json() {
        for bad in [
            r#""\ud83d""#,       // lone high surrogate
            r#""\ud83dx""#,      // high surrogate, no escape after it
            r#""\ud83d\n""#,     // high surrogate, another escape after it
            r#""\ud83d\u0041""#, // high surrogate, no low one
            r#""\ude00""#,       // lone low surrogate
            r#""\u12""#,         // short escape
            r#""\u12g4""#,       // not hex
            r#""\x41""#,         // unknown escape
            "\"tab\there\"",     // raw control character
            "\"new\nline\"",     // raw newline
            r#""unterminated"#,  // cut off
            r#""ends in \"#,     // cut off in an escape
        ] {
            assert_eq!(json_str(bad), None, "{bad}");
        }
    }

    #[test]
    fn skipping_is_lenient_only_where_serde_json_was() {
        assert!(skips(r#""\ud83d""#), "lone surrogates pass when skipped");
        assert!(skips(
            r#"{"a":[1,-2.5e3,{"b":null,"c":[true,false,"x\"y"]}],"d":{}}"#
        ));
        assert!(skips("[[[[[[[[[[]]]]]]]]]]"));
        for bad in [
            "[1,]",
            "{\"a\":1,}",
            "[1 2]",
            "{\"a\" 1}",
            "{1:2}",
            "[}",
            "{]",
            "[",
            "tru",
            "nul",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "\"a\tb\"",
            r#""\q""#,
            "",
        ] {
            assert!(!skips(bad), "{bad}");
        }
    }

    #[test]
    fn deep_nesting_is_skipped_without_recursion() {
        let depth = 200_000;
        let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(skips(&deep));
        let objects = format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        assert!(skips(&objects));
        // Cut off one bracket short.
        assert!(!skips(&deep[..deep.len() - 1]));
    }

    #[test]
    fn numbers_keep_their_digits() {
        let n = num("-12.50e-3");
        assert!(n.negative && !n.integer);
        assert_eq!((n.int, n.frac, n.exp), (&b"12"[..], &b"50"[..], -3));
        assert!(num("0").integer && !num("-0").integer);
        for bad in ["01", "-", "1.", "1.e3", "1e", "1e+", "+1", "--1", ".1"] {
            let mut p = Parser::new(bad);
            assert!(
                p.number().is_err() || p.finish().is_err(),
                "{bad} is not a JSON number"
            );
        }
    }

    #[test]
    fn numbers_as_text_like_floats_printed() {
        let text = |s: &str| Some(num(s).to_text());
        assert_eq!(text("5").as_deref(), Some("5"));
        assert_eq!(text("-5").as_deref(), Some("-5"));
        assert_eq!(text("-0").as_deref(), Some("-0"));
        assert_eq!(text("0.5").as_deref(), Some("0.5"));
        assert_eq!(text("6.0").as_deref(), Some("6"));
        assert_eq!(text("-0.0").as_deref(), Some("-0"));
        assert_eq!(text("0.0").as_deref(), Some("0"));
        assert_eq!(text("1e2").as_deref(), Some("100"));
        assert_eq!(text("1.25E+1").as_deref(), Some("12.5"));
        assert_eq!(text("125e-4").as_deref(), Some("0.0125"));
        assert_eq!(text("0.00100").as_deref(), Some("0.001"));
        assert_eq!(text("1e21").as_deref(), Some("1000000000000000000000"));
        assert_eq!(text("1e-400").as_deref(), Some("0"));
        // Out of f64's range: not JSON, as serde_json had it, but only where it is read.
        assert!(matches!(Parser::new("1e400").scalar(), Err(Fail::Syntax)));
        assert!(matches!(Parser::new("-1e309").scalar(), Err(Fail::Syntax)));
        assert!(matches!(Parser::new("1e308").scalar(), Ok(Scalar::Num(_))));
        assert!(skips("1e400"));
    }

    #[test]
    fn hostile_exponents_neither_wrap_nor_blow_up() {
        // The 39-byte answer that killed the tab: the exponent saturates near i64::MIN and the
        // digit count below the point used to wrap to ~9.2e18 zeros.
        let text = |s: &str| num(s).to_text();
        assert_eq!(text("0.001e-99999999999999999999"), "0");
        assert_eq!(text("-0.001e-99999999999999999999"), "-0");
        assert_eq!(text("1e-9223372036854775808"), "0");
        assert_eq!(text("123.456e-9223372036854775807"), "0");
        // The other end is refused where numbers are read, and kept as written if asked.
        assert_eq!(text("1e99999999999999999999"), "1e99999999999999999999");
        assert!(matches!(
            Parser::new("1e99999999999999999999").scalar(),
            Err(Fail::Syntax)
        ));
        for hostile in ["0.001e-99999999999999999999", "9e9223372036854775807"] {
            let n = Number::from_decimal_text(hostile).unwrap();
            assert!(n.to_text().len() <= hostile.len());
            assert!(n.scaled(8).is_some_and(|s| s.whole == 0) || n.scaled(8).is_none());
        }
    }

    #[test]
    fn numbers_scaled() {
        let scaled = |s: &str, scale| {
            num(s)
                .scaled(scale)
                .map(|x| (x.whole, x.round_up, x.inexact))
        };
        assert_eq!(scaled("0.015", 8), Some((1_500_000, false, false)));
        assert_eq!(scaled("1.5e-2", 8), Some((1_500_000, false, false)));
        assert_eq!(scaled("0.123456785", 8), Some((12_345_678, true, true)));
        assert_eq!(scaled("0.1234567849", 8), Some((12_345_678, false, true)));
        assert_eq!(scaled("6.5", 0), Some((6, true, true)));
        assert_eq!(scaled("0.0000001", 0), Some((0, false, true)));
        assert_eq!(scaled("0.5", 0), Some((0, true, true)));
        assert_eq!(scaled("0.05", 0), Some((0, false, true)));
        assert_eq!(scaled("12e1", 0), Some((120, false, false)));
        assert_eq!(
            scaled("0e999999999999999999999", 8),
            Some((0, false, false))
        );
        assert_eq!(
            scaled("18446744073709551615", 0),
            Some((u64::MAX, false, false))
        );
        assert_eq!(scaled("18446744073709551616", 0), None);
        assert_eq!(scaled("1e999999999999999999999", 0), None);
        assert_eq!(
            scaled("1e-999999999999999999999", 8),
            Some((0, false, true))
        );
    }

    #[test]
    fn decimal_text_as_rust_floats_read_it() {
        let ok = |s: &str| Number::from_decimal_text(s).map(|n| n.scaled(0).map(|x| x.whole));
        assert_eq!(ok("55"), Some(Some(55)));
        assert_eq!(ok("+55"), Some(Some(55)));
        assert_eq!(ok("055.0"), Some(Some(55)));
        assert_eq!(ok("5."), Some(Some(5)));
        assert_eq!(ok(".5"), Some(Some(0)));
        assert_eq!(ok("1e2"), Some(Some(100)));
        assert_eq!(ok("1.E2"), Some(Some(100)));
        for bad in [
            "", ".", "e2", "1e", "1e+", "1.2.3", "1,5", "inf", "NaN", " 1", "--1",
        ] {
            assert!(Number::from_decimal_text(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn paths_render_outermost_first() {
        let path = [
            Seg::Key("seconds".into()),
            Seg::Index(3),
            Seg::Key("cdr".into()),
        ];
        assert_eq!(render_path(&path), "cdr[3].seconds");
        assert_eq!(render_path(&[]), ".");
        assert_eq!(
            render_path(&[Seg::Index(0), Seg::Key("0".into()), Seg::Key("cdr".into())]),
            "cdr.0[0]"
        );
    }
}
