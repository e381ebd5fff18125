//! Deterministic synthetic CDR rows and getCDR bodies, for benchmarks and tests.
//!
//! Behind the `synth` feature so it never reaches the browser bundle unless a benchmark asks
//! for it. Bodies look like the service's: every scalar a JSON string, quoted caller ids
//! (escaped quotes in JSON), money with 8 decimals, newest rows first.

use std::fmt::Write as _;

use chrono::{Duration, NaiveDate, NaiveDateTime};

use crate::billing::charge;
use crate::model::{CdrRow, Disposition};
use crate::money::Money;

/// A small, fast, seedable generator (SplitMix64): enough for plausible variety, and
/// the same seed gives the same rows on every platform.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

const NAMES: [&str; 8] = [
    "John Doe",
    "Jane Doe",
    "Acme Corp",
    "Dr. O'Brien",
    "Marie-Ève Côté",
    "WIRELESS CALLER",
    "Smith & Sons",
    "Li Wei",
];

const DESCRIPTIONS: [&str; 4] = [
    "Inbound - Local Caller",
    "Outbound - Customer",
    "Inbound - Toll Free",
    "Outbound - International",
];

const RATES: [&str; 5] = [
    "0.00000000",
    "0.00900000",
    "0.01000000",
    "0.01500000",
    "0.05200000",
];

/// The `index`-th row of a synthetic history that ends at `newest` and goes back in time.
///
/// Rows are reproducible from `(seed, index)` alone, so a benchmark can describe any row
/// without keeping the list.
pub fn cdr_row(seed: u64, index: u64, newest: NaiveDateTime) -> CdrRow {
    let mut rng = Rng::new(seed ^ index.wrapping_mul(0xA24B_AED4_963E_E407));
    // About 100 calls a day on average: 0..30 minutes apart.
    let date = newest - Duration::seconds((index * 864) as i64 + rng.below(600) as i64);
    let number = |rng: &mut Rng| format!("{}{:07}", 514 + rng.below(400), rng.below(10_000_000));
    let caller_number = number(&mut rng);
    let callerid = match rng.below(4) {
        0 => caller_number.clone(),
        _ => format!("\"{}\" <{caller_number}>", NAMES[rng.below(8) as usize]),
    };
    let disposition = match rng.below(20) {
        0..=13 => Disposition::Answered,
        14..=16 => Disposition::NoAnswer,
        17..=18 => Disposition::Busy,
        _ => Disposition::Failed,
    };
    let seconds = if disposition == Disposition::Answered {
        rng.below(1800) as u32
    } else {
        0
    };
    let rate = Money::parse(RATES[rng.below(5) as usize]).unwrap_or_default();
    let uniqueid = if rng.below(10) == 0 {
        format!("{:x}x{}i8c", rng.next_u64() >> 20, rng.below(100_000))
    } else {
        (128_000_000 + index * 7 + rng.below(7)).to_string()
    };
    CdrRow {
        date,
        callerid,
        destination: number(&mut rng),
        description: DESCRIPTIONS[rng.below(4) as usize].to_owned(),
        account: if rng.below(3) == 0 {
            "100000".to_owned()
        } else {
            format!(
                "100000_{}",
                ["VoIP", "Office", "Home"][rng.below(3) as usize]
            )
        },
        disposition,
        seconds,
        rate: Some(rate),
        // Synthetic rates are cents a minute: far inside the range.
        total: charge(seconds, 6, rate).unwrap_or_default(),
        uniqueid,
        destination_type: (rng.below(2) == 0).then(|| "IN:USA".to_owned()),
        call_logs: None,
        ip: None,
        useragent: None,
    }
}

/// The newest date of the synthetic histories: a fixed instant, so bodies are reproducible.
pub fn default_newest() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2024, 6, 30)
        .and_then(|d| d.and_hms_opt(23, 59, 59))
        .unwrap_or_default()
}

fn push_json_str(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A success body of `rows` rows as getCDR sends it (or getResellerCDR: no `rate`).
///
/// Written by hand rather than through `Serialize`, so that it stays an independent check of
/// the decoder and matches the service's field order.
pub fn cdr_body(rows: usize, seed: u64, reseller: bool) -> String {
    let newest = default_newest();
    let mut out = String::with_capacity(rows * 330 + 64);
    out.push_str("{\"status\":\"success\",\"cdr\":[");
    for i in 0..rows {
        if i > 0 {
            out.push(',');
        }
        let row = cdr_row(seed, i as u64, newest);
        out.push_str("{\"date\":\"");
        out.push_str(&row.date_string());
        out.push_str("\",\"callerid\":");
        push_json_str(&mut out, &row.callerid);
        out.push_str(",\"destination\":");
        push_json_str(&mut out, &row.destination);
        out.push_str(",\"description\":");
        push_json_str(&mut out, &row.description);
        out.push_str(",\"account\":");
        push_json_str(&mut out, &row.account);
        let _ = write!(
            out,
            ",\"disposition\":\"{}\",\"duration\":\"{}\",\"seconds\":\"{}\"",
            row.disposition,
            row.duration_hms(),
            row.seconds
        );
        if !reseller {
            let _ = write!(out, ",\"rate\":\"{}\"", row.rate.unwrap_or_default());
        }
        let _ = write!(out, ",\"total\":\"{}\",\"uniqueid\":", row.total);
        push_json_str(&mut out, &row.uniqueid);
        if let Some(t) = &row.destination_type {
            out.push_str(",\"destination_type\":");
            push_json_str(&mut out, t);
        }
        out.push('}');
    }
    out.push_str("]}");
    out
}
