//! Structure-aware generation: whole answer bodies built field by field, each field a
//! plausible value, a hostile one of its kind, or a value of the wrong JSON type.
//!
//! Mutating the seeds mostly breaks the JSON; generated bodies stay JSON and reach the
//! code behind the decoders (the table, charts, rating, exports) with rows that no seed has.

use std::fmt::Write as _;

use crate::dict;
use crate::rng::Rng;

/// What a field holds, which picks its plausible and hostile values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// `YYYY-MM-DD HH:MM:SS`.
    Date,
    /// Free text.
    Text,
    /// A phone number or a dialling prefix.
    Phone,
    /// An amount.
    Money,
    /// A whole number of seconds, an increment.
    Count,
    /// `HH:MM:SS`.
    Hms,
    /// `ANSWERED` and the like.
    Disposition,
}

use Field::*;

/// A row type: its list key in the answer and its fields in the service's order.
pub struct Shape {
    /// The answer's key for the list.
    pub key: &'static str,
    /// The row's fields.
    pub fields: &'static [(&'static str, Field)],
}

/// getCDR rows.
pub const CDR: Shape = Shape {
    key: "cdr",
    fields: &[
        ("date", Date),
        ("callerid", Text),
        ("destination", Phone),
        ("description", Text),
        ("account", Text),
        ("disposition", Disposition),
        ("duration", Hms),
        ("seconds", Count),
        ("rate", Money),
        ("total", Money),
        ("uniqueid", Text),
        ("destination_type", Text),
        ("call_logs", Text),
        ("ip", Text),
        ("useragent", Text),
    ],
};

/// getRates rows.
pub const RATES: Shape = Shape {
    key: "rates",
    fields: &[
        ("destination", Text),
        ("prefix", Phone),
        ("client_increment", Count),
        ("client_rate", Money),
        ("real_increment", Count),
        ("real_rate", Money),
    ],
};

/// getTerminationRates rows.
pub const TERMINATION: Shape = Shape {
    key: "rates",
    fields: &[
        ("destination", Text),
        ("prefix", Phone),
        ("increment", Count),
        ("rate", Money),
    ],
};

const VALUE_DESCRIPTION: &[(&str, Field)] = &[("value", Text), ("description", Text)];

/// The `{value, description}` lists.
pub const LOOKUPS: [Shape; 5] = [
    Shape {
        key: "accounts",
        fields: VALUE_DESCRIPTION,
    },
    Shape {
        key: "call_billing",
        fields: VALUE_DESCRIPTION,
    },
    Shape {
        key: "call_types",
        fields: VALUE_DESCRIPTION,
    },
    Shape {
        key: "routes",
        fields: VALUE_DESCRIPTION,
    },
    Shape {
        key: "packages",
        fields: VALUE_DESCRIPTION,
    },
];

/// getPackages rows.
pub const PACKAGES: Shape = Shape {
    key: "packages",
    fields: &[
        ("package", Text),
        ("name", Text),
        ("markup_fixed", Money),
        ("markup_percentage", Money),
        ("pulse", Count),
        ("international_route", Text),
        ("canada_route", Text),
        ("monthly_fee", Money),
        ("setup_fee", Money),
        ("free_minutes", Count),
    ],
};

/// getClients rows.
pub const CLIENTS: Shape = Shape {
    key: "clients",
    fields: &[
        ("client", Text),
        ("email", Text),
        ("company", Text),
        ("firstname", Text),
        ("lastname", Text),
        ("address", Text),
        ("city", Text),
        ("state", Text),
        ("country", Text),
        ("zip", Text),
        ("phone_number", Phone),
        ("password", Text),
    ],
};

/// A JSON string of `content` (already escaped as JSON wants).
fn quoted(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len() + 2);
    out.push(b'"');
    out.extend_from_slice(content);
    out.push(b'"');
    out
}

/// A plausible value of the field, as the service writes it.
pub fn typical(rng: &mut Rng, field: Field, day: u32) -> Vec<u8> {
    let s = match field {
        Date => format!(
            "\"2024-06-{:02} {:02}:{:02}:{:02}\"",
            day,
            rng.below(24),
            rng.below(60),
            rng.below(60)
        ),
        Text => {
            let t = *rng.pick(&[
                "\\\"John Doe\\\" <5551112222>",
                "5557778888",
                "Inbound - Local Caller",
                "Outbound - Customer",
                "100000_VoIP",
                "100000_Office",
                "Canada - 418 Quebec City",
                "IN:USA",
                "128238059",
                "Marie-Ève Côté",
                "Acme Corp",
                "2 ",
                "Premium    \\n\\n",
            ]);
            format!("\"{t}\"")
        }
        Phone => format!(
            "\"{}{}\"",
            rng.pick(&["1", "1418", "1514", "52", "44", "", "011"]),
            rng.below(10_000_000)
        ),
        Money => format!("\"0.{:08}\"", rng.below(5_000_000)),
        Count => format!("\"{}\"", rng.pick(&[0, 1, 6, 11, 27, 60, 61, 3600, 1799])),
        Hms => format!(
            "\"{:02}:{:02}:{:02}\"",
            rng.below(2),
            rng.below(60),
            rng.below(60)
        ),
        Disposition => {
            format!(
                "\"{}\"",
                rng.pick(&["ANSWERED", "NO ANSWER", "BUSY", "FAILED"])
            )
        }
    };
    s.into_bytes()
}

/// A hostile value aimed at the field's kind.
pub fn hostile(rng: &mut Rng, field: Field) -> Vec<u8> {
    let text = |rng: &mut Rng| {
        let mut t = rng.pick(dict::TEXT).to_vec();
        if rng.chance(1, 6) {
            let at = rng.below(t.len() + 1);
            let bad = rng.pick(dict::BAD_UTF8);
            t.splice(at..at, bad.iter().copied());
        }
        quoted(&t)
    };
    let bare = rng.chance(1, 3);
    match field {
        Date if bare => rng.pick(dict::NUMBERS).as_bytes().to_vec(),
        Date => quoted(rng.pick(dict::DATES).as_bytes()),
        Money if bare => rng.pick(dict::NUMBERS).as_bytes().to_vec(),
        Money => quoted(rng.pick(dict::MONEY).as_bytes()),
        Count | Hms if bare => rng.pick(dict::NUMBERS).as_bytes().to_vec(),
        Count | Hms => quoted(rng.pick(dict::COUNTS).as_bytes()),
        Text | Phone | Disposition => text(rng),
    }
}

/// A value of some JSON type the field does not expect.
pub fn wrong_type(rng: &mut Rng) -> Vec<u8> {
    rng.pick(&[
        "null",
        "true",
        "false",
        "{}",
        "[]",
        "\"\"",
        "0",
        "{\"0\":1}",
        "[\"x\"]",
        "-0",
    ])
    .as_bytes()
    .to_vec()
}

/// Any value for the field, mostly plausible.
pub fn value(rng: &mut Rng, field: Field, day: u32) -> Vec<u8> {
    match rng.below(20) {
        0..=11 => typical(rng, field, day),
        12..=16 => hostile(rng, field),
        17 => wrong_type(rng),
        18 => rng.pick(dict::NUMBERS).as_bytes().to_vec(),
        _ if rng.chance(1, 2) => quoted(&dict::generated_text(rng)),
        _ => dict::generated_number(rng).into_bytes(),
    }
}

/// Whitespace between tokens: none, or some of what JSON allows.
fn ws(rng: &mut Rng, pretty: bool, out: &mut Vec<u8>) {
    if pretty {
        out.extend_from_slice(rng.pick_bytes(&[&b" "[..], b"\n  ", b"\t", b"\r\n", b""]));
    }
}

/// One row object of `shape`.
pub fn row(rng: &mut Rng, shape: &Shape, day: u32, pretty: bool, out: &mut Vec<u8>) {
    let mut order: Vec<usize> = (0..shape.fields.len()).collect();
    if rng.chance(1, 8) {
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
    }
    out.push(b'{');
    let mut first = true;
    for i in order {
        let (key, field) = shape.fields[i];
        // The date and seconds are left out now and then: they are the required ones.
        if rng.chance(1, 12) {
            continue;
        }
        let times = if rng.chance(1, 30) { 2 } else { 1 };
        for _ in 0..times {
            if !first {
                out.push(b',');
            }
            first = false;
            ws(rng, pretty, out);
            out.extend_from_slice(&quoted(key.as_bytes()));
            out.push(b':');
            ws(rng, pretty, out);
            out.extend_from_slice(&value(rng, field, day));
        }
    }
    if rng.chance(1, 10) {
        if !first {
            out.push(b',');
        }
        let key = rng.pick(dict::KEYS);
        let _ = write!(ByteWriter(out), "\"{key}\":");
        out.extend_from_slice(&wrong_type(rng));
    }
    ws(rng, pretty, out);
    out.push(b'}');
}

/// The list of `rows` rows of `shape`, in one of the forms the API uses for lists.
pub fn list(rng: &mut Rng, shape: &Shape, rows: usize, pretty: bool, out: &mut Vec<u8>) {
    // Rows of a few neighbouring days, or now and then spread over all of June.
    let spread = if rng.chance(1, 4) { 30 } else { 3 };
    let day = |rng: &mut Rng| 1 + rng.below(spread) as u32;
    match rng.below(20) {
        0 if rows > 0 => {
            let d = day(rng);
            row(rng, shape, d, pretty, out);
        }
        1 => {
            // A PHP array with gaps in its keys.
            out.push(b'{');
            let mut index = 0;
            for i in 0..rows {
                if i > 0 {
                    out.push(b',');
                }
                index += rng.range(1, 3);
                let _ = write!(ByteWriter(out), "\"{index}\":");
                let d = day(rng);
                row(rng, shape, d, pretty, out);
            }
            out.push(b'}');
        }
        2 => out.extend_from_slice(rng.pick_bytes(&[
            &b"null"[..],
            b"\"\"",
            b"false",
            b"[]",
            b"{}",
            b"\" \"",
            b"0",
        ])),
        _ => {
            out.push(b'[');
            for i in 0..rows {
                if i > 0 {
                    out.push(b',');
                }
                ws(rng, pretty, out);
                let d = day(rng);
                row(rng, shape, d, pretty, out);
            }
            ws(rng, pretty, out);
            out.push(b']');
        }
    }
}

/// A whole answer body: a status and one or more payloads.
pub fn body(rng: &mut Rng) -> Vec<u8> {
    let pretty = rng.chance(1, 3);
    let mut out = Vec::new();
    if rng.chance(1, 30) {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    out.push(b'{');
    let status = if rng.chance(4, 5) {
        "success".to_owned()
    } else {
        rng.pick(&dict::statuses()).clone()
    };
    let _ = write!(ByteWriter(&mut out), "\"status\":\"{status}\"");
    let payloads = if rng.chance(1, 4) { rng.range(2, 4) } else { 1 };
    for _ in 0..payloads {
        let which = rng.below(6);
        let shape = match which {
            0 => &CDR,
            1 => &RATES,
            2 => &TERMINATION,
            3 => rng.pick(&LOOKUPS),
            4 => &PACKAGES,
            _ => &CLIENTS,
        };
        // Now and then a bulk answer, for work that grows faster than the rows (a broad
        // getTerminationRates search returns tens of thousands of prefixes).
        let rows = if rng.chance(1, 3000) {
            rng.skewed(40_000)
        } else if rng.chance(1, 40) {
            rng.skewed(3000)
        } else {
            rng.below(9)
        };
        out.push(b',');
        ws(rng, pretty, &mut out);
        if which == 2 && rng.chance(1, 2) {
            out.extend_from_slice(b"\"route\":");
            list(rng, &LOOKUPS[3], 1, pretty, &mut out);
            out.push(b',');
        }
        let _ = write!(ByteWriter(&mut out), "\"{}\":", shape.key);
        list(rng, shape, rows, pretty, &mut out);
    }
    ws(rng, pretty, &mut out);
    out.push(b'}');
    if rng.chance(1, 50) {
        out.extend_from_slice(rng.pick_bytes(&[&b"x"[..], b"}", b"\n", b" {}", b"\0"]));
    }
    out
}

/// `write!` into a byte vector.
struct ByteWriter<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for ByteWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_bodies_often_decode() {
        let mut rng = Rng::new(7);
        let mut decoded = 0;
        for _ in 0..300 {
            let b = body(&mut rng);
            if cdr_core::decode::decode_status(&b, None).is_ok() {
                decoded += 1;
            }
        }
        assert!(decoded > 100, "only {decoded} of 300 decoded");
    }
}
