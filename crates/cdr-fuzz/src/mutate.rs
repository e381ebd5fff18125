//! Mutations of an input: byte-level ones, which find the parser's edges, and value-level
//! ones that keep the JSON readable so that hostile values reach the code behind it.

use crate::dict;
use crate::gen::{self, Field};
use crate::rng::Rng;
use crate::spans::{self, Kind, Span, Value};

/// Applies one to eight stacked mutations to `input`, taking material from `donor` (another
/// corpus entry) for splices; the result is cut to `max_len`.
pub fn mutate(rng: &mut Rng, input: &mut Vec<u8>, donor: &[u8], max_len: usize) {
    for _ in 0..rng.skewed(8) {
        one(rng, input, donor, max_len);
        input.truncate(max_len);
    }
}

/// The field kind a key names, from every row shape; free text when no shape knows it.
fn field_of(key: &[u8]) -> Field {
    let shapes = [
        &gen::CDR,
        &gen::RATES,
        &gen::TERMINATION,
        &gen::PACKAGES,
        &gen::CLIENTS,
    ];
    shapes
        .iter()
        .flat_map(|s| s.fields.iter())
        .find(|(name, _)| name.as_bytes() == key)
        .map_or(Field::Text, |(_, f)| *f)
}

fn replace(input: &mut Vec<u8>, span: Span, with: &[u8]) {
    input.splice(span.start..span.end, with.iter().copied());
}

fn pick_value<'a>(
    rng: &mut Rng,
    vals: &'a [Value],
    want: impl Fn(&Value) -> bool,
) -> Option<&'a Value> {
    let candidates: Vec<&Value> = vals.iter().filter(|v| want(v)).collect();
    (!candidates.is_empty()).then(|| *rng.pick(&candidates))
}

fn quoted(content: &[u8]) -> Vec<u8> {
    let mut out = vec![b'"'];
    out.extend_from_slice(content);
    out.push(b'"');
    out
}

/// One mutation, chosen at random; the value-level ones fall back on a byte-level one when
/// the input offers no value of the kind they need.
fn one(rng: &mut Rng, input: &mut Vec<u8>, donor: &[u8], max_len: usize) {
    let interesting: &[u8] = b"\"\\{}[],:0123456789-.eE+ \n\t\xff\x00\x7ftfn";
    let vals = if rng.chance(3, 5) {
        spans::values(input)
    } else {
        Vec::new()
    };
    let done = !vals.is_empty()
        && match rng.below(11) {
            // A field's value replaced by a hostile one of its kind.
            0..=2 => pick_value(rng, &vals, |v| v.key.is_some() && v.kind != Kind::Container)
                .map(|v| {
                    let key = spans::key_text(input, v.key.unwrap_or(v.span)).to_vec();
                    let with = if rng.chance(3, 4) {
                        gen::hostile(rng, field_of(&key))
                    } else {
                        let day = 1 + rng.below(28) as u32;
                        gen::value(rng, field_of(&key), day)
                    };
                    replace(input, v.span, &with);
                })
                .is_some(),
            // An array element (a row) repeated, or an object member duplicated.
            3 => pick_value(rng, &vals, |v| v.parent == b'[' || v.key.is_some())
                .map(|v| {
                    let whole = if v.parent == b'[' {
                        v.span
                    } else {
                        Span {
                            start: v.key.unwrap_or(v.span).start,
                            end: v.span.end,
                        }
                    };
                    let piece = input[whole.start..whole.end].to_vec();
                    let room = max_len.saturating_sub(input.len()) / (piece.len() + 1);
                    let times = rng.skewed(5000).min(room);
                    let mut extra = Vec::with_capacity(times * (piece.len() + 1));
                    for _ in 0..times {
                        extra.push(b',');
                        extra.extend_from_slice(&piece);
                    }
                    input.splice(whole.end..whole.end, extra);
                })
                .is_some(),
            // A value from another input put in place of one of this one's.
            4 => {
                let theirs = spans::values(donor);
                match (
                    pick_value(rng, &vals, |_| true),
                    pick_value(rng, &theirs, |_| true),
                ) {
                    (Some(mine), Some(their)) => {
                        let with = donor[their.span.start..their.span.end].to_vec();
                        replace(input, mine.span, &with);
                        true
                    }
                    _ => false,
                }
            }
            // A value of another type, or a generated huge one.
            5 => pick_value(rng, &vals, |_| true)
                .map(|v| {
                    let with = match rng.below(4) {
                        0 => gen::wrong_type(rng),
                        1 => dict::generated_number(rng).into_bytes(),
                        2 => quoted(&dict::generated_text(rng)),
                        _ => rng.pick(dict::NUMBERS).as_bytes().to_vec(),
                    };
                    replace(input, v.span, &with);
                })
                .is_some(),
            // A value buried in deep nesting.
            6 => pick_value(rng, &vals, |_| true)
                .map(|v| {
                    let depth = rng.skewed(100_000).min(max_len / 8);
                    let (open, close): (&[u8], &[u8]) = if rng.chance(1, 2) {
                        (b"[", b"]")
                    } else {
                        (b"{\"cdr\":", b"}")
                    };
                    let inner = input[v.span.start..v.span.end].to_vec();
                    let mut with = open.repeat(depth);
                    with.extend_from_slice(&inner);
                    with.extend_from_slice(&close.repeat(depth));
                    replace(input, v.span, &with);
                })
                .is_some(),
            // A key renamed to another known key (a duplicate, or a field of another row).
            7 => pick_value(rng, &vals, |v| v.key.is_some())
                .map(|v| {
                    let key = v.key.unwrap_or(v.span);
                    let with = quoted(rng.pick(dict::KEYS).as_bytes());
                    replace(input, key, &with);
                })
                .is_some(),
            // A member or element removed.
            8 => pick_value(rng, &vals, |v| v.key.is_some() || v.parent == b'[')
                .map(|v| {
                    let start = v.key.map_or(v.span.start, |k| k.start);
                    let mut end = v.span.end;
                    if input.get(end) == Some(&b',') {
                        end += 1;
                    }
                    input.drain(start..end);
                })
                .is_some(),
            // Bytes that are not UTF-8 inside a string.
            9 => pick_value(rng, &vals, |v| {
                v.kind == Kind::Str && v.span.end > v.span.start + 1
            })
            .map(|v| {
                let at = rng.range(v.span.start + 1, v.span.end - 1);
                let bad = rng.pick(dict::BAD_UTF8);
                input.splice(at..at, bad.iter().copied());
            })
            .is_some(),
            // The status changed.
            _ => pick_value(rng, &vals, |v| {
                v.key
                    .is_some_and(|k| spans::key_text(input, k) == b"status")
            })
            .map(|v| {
                let with = quoted(rng.pick(&dict::statuses()).as_bytes());
                replace(input, v.span, &with);
            })
            .is_some(),
        };
    if done {
        return;
    }
    let len = input.len();
    match rng.below(9) {
        0 if len > 0 => {
            let i = rng.below(len);
            input[i] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let i = rng.below(len);
            input[i] = *rng.pick(interesting);
        }
        2 => {
            let at = rng.below(len + 1);
            let bytes: Vec<u8> = if rng.chance(1, 3) {
                rng.pick(dict::BAD_UTF8).to_vec()
            } else {
                (0..rng.skewed(8)).map(|_| *rng.pick(interesting)).collect()
            };
            input.splice(at..at, bytes);
        }
        3 if len > 0 => {
            let at = rng.below(len);
            let n = rng.skewed(64).min(len - at);
            input.drain(at..at + n);
        }
        4 if len > 0 => {
            let at = rng.below(len);
            let n = rng.skewed(256).min(len - at);
            let piece = input[at..at + n].to_vec();
            let to = rng.below(len + 1);
            input.splice(to..to, piece);
        }
        5 if !donor.is_empty() => {
            let head = rng.below(len + 1);
            let tail = rng.below(donor.len());
            input.truncate(head);
            input.extend_from_slice(&donor[tail..]);
        }
        6 if len > 0 => input.truncate(rng.below(len)),
        7 => {
            let junk: &[u8] =
                rng.pick_bytes(&[&b"\xEF\xBB\xBF"[..], b" \n\t", b"\xEF\xBB\xBF\xEF\xBB\xBF"]);
            input.splice(0..0, junk.iter().copied());
        }
        _ => {
            let junk: &[u8] =
                rng.pick_bytes(&[&b"x"[..], b"}", b" ", b"\0", b"{}", b",", b"<html>"]);
            input.extend_from_slice(junk);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mutants_stay_within_the_length_limit_and_vary() {
        let mut rng = Rng::new(1);
        let seed = crate::seeds::fixture("getCDR.json");
        let mut distinct = std::collections::HashSet::new();
        for _ in 0..500 {
            let mut m = seed.to_vec();
            mutate(
                &mut rng,
                &mut m,
                crate::seeds::fixture("getRates.json"),
                4096,
            );
            assert!(m.len() <= 4096);
            distinct.insert(m);
        }
        assert!(distinct.len() > 400);
    }
}
