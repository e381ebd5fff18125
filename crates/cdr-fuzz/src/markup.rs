//! The markup oracle: chart SVG and table HTML must be well-formed, with every text from an
//! answer escaped, and every coordinate a plain number.
//!
//! Stricter than HTML on purpose: a raw `>` in text or a bare `&` is refused, because the
//! crate escapes both, so either one means some text went out unescaped.

/// Attributes that hold a coordinate, written with at most one decimal.
const NUMERIC: &[&str] = &["x", "y", "width", "height", "x1", "x2", "y1", "y2"];

fn entity_len(b: &[u8]) -> Option<usize> {
    let end = b.iter().take(12).position(|&c| c == b';')?;
    let name = &b[1..end];
    let ok = matches!(name, b"amp" | b"lt" | b"gt" | b"quot" | b"#39")
        || (name.len() > 1 && name[0] == b'#' && name[1..].iter().all(u8::is_ascii_digit));
    ok.then_some(end + 1)
}

fn is_number(v: &[u8]) -> bool {
    let v = v.strip_prefix(b"-").unwrap_or(v);
    let (int, frac) = match v.iter().position(|&c| c == b'.') {
        Some(p) => (&v[..p], Some(&v[p + 1..])),
        None => (v, None),
    };
    !int.is_empty()
        && int.iter().all(u8::is_ascii_digit)
        && frac.is_none_or(|f| f.len() == 1 && f[0].is_ascii_digit())
}

/// Checks a fragment of markup; the error names the byte offset and what is wrong there.
pub fn check(what: &str, markup: &str) -> Result<(), String> {
    let b = markup.as_bytes();
    let mut stack: Vec<&[u8]> = Vec::new();
    let mut i = 0;
    let err = |at: usize, why: &str| Err(format!("oracle in {what}: {why} at byte {at}"));
    let name_end = |mut j: usize| {
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-' || b[j] == b':') {
            j += 1;
        }
        j
    };
    while i < b.len() {
        match b[i] {
            b'<' if b.get(i + 1) == Some(&b'/') => {
                let end = name_end(i + 2);
                let name = &b[i + 2..end];
                if b.get(end) != Some(&b'>') {
                    return err(i, "a closing tag is not closed");
                }
                if stack.pop() != Some(name) {
                    return err(i, "a closing tag does not match the open one");
                }
                i = end + 1;
            }
            b'<' => {
                let end = name_end(i + 1);
                let name = &b[i + 1..end];
                if name.is_empty() {
                    return err(i, "a raw '<' in text");
                }
                let mut j = end;
                loop {
                    while j < b.len() && b[j] == b' ' {
                        j += 1;
                    }
                    match b.get(j) {
                        Some(b'>') => {
                            stack.push(name);
                            j += 1;
                            break;
                        }
                        Some(b'/') if b.get(j + 1) == Some(&b'>') => {
                            j += 2;
                            break;
                        }
                        Some(_) => {
                            let attr_end = name_end(j);
                            if attr_end == j {
                                return err(j, "a tag holds something that is not an attribute");
                            }
                            let attr = &b[j..attr_end];
                            j = attr_end;
                            if b.get(j) == Some(&b'=') {
                                if b.get(j + 1) != Some(&b'"') {
                                    return err(j, "an attribute value is not quoted");
                                }
                                let start = j + 2;
                                let Some(len) = b[start..].iter().position(|&c| c == b'"') else {
                                    return err(j, "an attribute value is not closed");
                                };
                                let value = &b[start..start + len];
                                if let Some(k) = value.iter().position(|&c| c == b'<' || c == b'>')
                                {
                                    return err(
                                        start + k,
                                        "an attribute value holds a raw bracket",
                                    );
                                }
                                for (k, _) in value.iter().enumerate().filter(|(_, c)| **c == b'&')
                                {
                                    if entity_len(&value[k..]).is_none() {
                                        return err(start + k, "a bare '&' in an attribute");
                                    }
                                }
                                if NUMERIC.iter().any(|n| n.as_bytes() == attr) && !is_number(value)
                                {
                                    return err(start, "a coordinate is not a plain number");
                                }
                                j = start + len + 1;
                            }
                        }
                        None => return err(i, "a tag is not closed"),
                    }
                }
                i = j;
            }
            b'>' => return err(i, "a raw '>' in text"),
            b'&' => match entity_len(&b[i..]) {
                Some(n) => i += n,
                None => return err(i, "a bare '&' in text"),
            },
            _ => i += 1,
        }
    }
    match stack.last() {
        Some(open) => Err(format!(
            "oracle in {what}: <{}> is never closed",
            String::from_utf8_lossy(open)
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_escaped_markup_and_refuses_the_rest() {
        assert!(check(
            "t",
            r#"<g><rect x="1.5" y="-2"><title>a &amp; b</title></rect><line x1="0"/></g>"#
        )
        .is_ok());
        assert!(check("t", r#"<option value="a" selected>x</option>"#).is_ok());
        assert!(check("t", "<g>a < b</g>").is_err());
        assert!(check("t", "<g>a > b</g>").is_err());
        assert!(check("t", "<g>a & b</g>").is_err());
        assert!(check("t", "<g><rect></g>").is_err());
        assert!(check("t", r#"<rect x="NaN"></rect>"#).is_err());
        assert!(check("t", r#"<rect x="1.25"></rect>"#).is_err());
        assert!(check("t", "<g>").is_err());
    }
}
