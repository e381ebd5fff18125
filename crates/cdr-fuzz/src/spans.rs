//! Where the values of a JSON text are, for mutators that work on values rather than bytes.
//!
//! Tolerant on purpose: the texts are mutants, often broken. Anything unreadable is skipped
//! a byte at a time, an unclosed string runs to the end, and brackets that do not match are
//! ignored, so a broken text still offers the values that are intact.

/// A span of bytes, `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// What kind of value a span holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A string value (not a key).
    Str,
    /// A number.
    Num,
    /// `true`, `false`, `null` or another bare word.
    Word,
    /// An object or array, brackets included.
    Container,
}

/// One value found in the text.
#[derive(Clone, Copy, Debug)]
pub struct Value {
    /// Where it is.
    pub span: Span,
    /// What it is.
    pub kind: Kind,
    /// The bracket of the container it sits in (`{` or `[`), or 0 at the top.
    pub parent: u8,
    /// For a member of an object, the span of its key (quotes included).
    pub key: Option<Span>,
}

/// Every value of `text`, in the order they end (so children come before their parents).
pub fn values(text: &[u8]) -> Vec<Value> {
    let mut out = Vec::new();
    // Open brackets: their byte, where they start, and the key they are the value of.
    let mut stack: Vec<(u8, usize, Option<Span>)> = Vec::new();
    let mut pending_key: Option<Span> = None;
    let mut i = 0;
    let parent = |stack: &Vec<(u8, usize, Option<Span>)>| stack.last().map_or(0, |s| s.0);
    while i < text.len() {
        let b = text[i];
        match b {
            b'"' => {
                let end = string_end(text, i);
                let span = Span { start: i, end };
                let mut j = end;
                while j < text.len() && text[j].is_ascii_whitespace() {
                    j += 1;
                }
                if parent(&stack) == b'{' && text.get(j) == Some(&b':') && pending_key.is_none() {
                    pending_key = Some(span);
                    i = j + 1;
                    continue;
                }
                out.push(Value {
                    span,
                    kind: Kind::Str,
                    parent: parent(&stack),
                    key: pending_key.take(),
                });
                i = end;
            }
            b'-' | b'0'..=b'9' => {
                let mut end = i + 1;
                while end < text.len()
                    && matches!(text[end], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
                {
                    end += 1;
                }
                out.push(Value {
                    span: Span { start: i, end },
                    kind: Kind::Num,
                    parent: parent(&stack),
                    key: pending_key.take(),
                });
                i = end;
            }
            b'a'..=b'z' | b'A'..=b'Z' => {
                let mut end = i + 1;
                while end < text.len() && text[end].is_ascii_alphabetic() {
                    end += 1;
                }
                out.push(Value {
                    span: Span { start: i, end },
                    kind: Kind::Word,
                    parent: parent(&stack),
                    key: pending_key.take(),
                });
                i = end;
            }
            b'{' | b'[' => {
                stack.push((b, i, pending_key.take()));
                i += 1;
            }
            b'}' | b']' => {
                let open = if b == b'}' { b'{' } else { b'[' };
                if stack.last().is_some_and(|s| s.0 == open) {
                    let (_, start, key) = stack.pop().unwrap_or((open, i, None));
                    out.push(Value {
                        span: Span { start, end: i + 1 },
                        kind: Kind::Container,
                        parent: parent(&stack),
                        key,
                    });
                }
                pending_key = None;
                i += 1;
            }
            b',' => {
                pending_key = None;
                i += 1;
            }
            _ => i += 1,
        }
    }
    out
}

/// One past the closing quote of the string that opens at `i`, or the end of the text.
fn string_end(text: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    while j < text.len() {
        match text[j] {
            b'"' => return j + 1,
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
    text.len()
}

/// The key text of a member, without its quotes.
pub fn key_text(text: &[u8], key: Span) -> &[u8] {
    let inner_start = (key.start + 1).min(key.end);
    let inner_end = key.end.saturating_sub(1).max(inner_start);
    &text[inner_start..inner_end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_keys_and_containers() {
        let text = br#"{"status":"success","cdr":[{"seconds":"5","x":1.5e3}],"b":true}"#;
        let vals = values(text);
        let keyed: Vec<(&[u8], &[u8])> = vals
            .iter()
            .filter_map(|v| {
                v.key
                    .map(|k| (key_text(text, k), &text[v.span.start..v.span.end]))
            })
            .collect();
        assert!(keyed.contains(&(&b"status"[..], &b"\"success\""[..])));
        assert!(keyed.contains(&(&b"x"[..], &b"1.5e3"[..])));
        assert!(keyed.contains(&(&b"cdr"[..], &br#"[{"seconds":"5","x":1.5e3}]"#[..])));
        let row = vals
            .iter()
            .find(|v| v.kind == Kind::Container && v.parent == b'[')
            .unwrap();
        assert_eq!(
            &text[row.span.start..row.span.end],
            br#"{"seconds":"5","x":1.5e3}"#
        );
    }

    #[test]
    fn broken_text_still_offers_its_values() {
        let vals = values(b"{\"a\":\"unterminated");
        assert_eq!(vals.len(), 1);
        assert_eq!(vals[0].kind, Kind::Str);
        assert!(values(b"]]]}}}").is_empty());
    }
}
