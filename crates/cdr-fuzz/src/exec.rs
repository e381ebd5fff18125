//! One input through everything: every decoder, then on whatever decodes the table, the
//! summary, every chart series and its SVG, rating, exports, the grid and the HTML, each
//! with the properties its documentation promises checked (the oracles).
//!
//! Returns the first broken property as a one-line reason; panics, allocations past the
//! limit and slowness are caught around this by the worker. Also collects features of what
//! happened (which error, which kind of row), the feedback that grows the corpus.

use std::cmp::Ordering;

use cdr_core::analytics::{self, CostGroup, Summary};
use cdr_core::chart;
use cdr_core::decode::{self, DecodeError};
use cdr_core::export;
use cdr_core::grid::{GridGeometry, MAX_SPACER_PX};
use cdr_core::html::{self, Cell};
use cdr_core::model::{
    CdrRow, Client, Disposition, Package, RateRow, TerminationRate, TerminationRates,
    ValueDescription,
};
use cdr_core::money::Money;
use cdr_core::rating::{self, DialedNumber, RateColumn};
use cdr_core::request::{Method, Timezone};
use cdr_core::table::{CdrTable, Column, Sort, SortDir};
use chrono::{Datelike, NaiveDate};

use crate::phase::{enter, Phase};
use crate::{csvcheck, markup};

/// What every input is run against besides itself: the seed's rate decks, so that rows of
/// a getCDR answer always meet some rates.
pub struct Env {
    rates: Vec<RateRow>,
    terms: Vec<TerminationRate>,
}

impl Default for Env {
    fn default() -> Self {
        Env::new()
    }
}

impl Env {
    /// The environment, from the fixtures.
    pub fn new() -> Env {
        let rates = decode::decode_rates(crate::seeds::fixture("getRates.json"), None);
        let terms = decode::decode_termination_rates(
            crate::seeds::fixture("getTerminationRates.json"),
            None,
        );
        Env {
            rates: rates.unwrap_or_default(),
            terms: terms.map(|t| t.rates).unwrap_or_default(),
        }
    }
}

/// What happened, as a set of 16-bit feature ids: new ones make an input worth keeping.
pub struct Features {
    seen: Vec<u64>,
    list: Vec<u16>,
}

impl Default for Features {
    fn default() -> Self {
        Features {
            seen: vec![0; 1024],
            list: Vec::new(),
        }
    }
}

impl Features {
    /// Notes the feature `detail` of kind `tag`.
    pub fn add(&mut self, tag: &str, detail: &str) {
        let h = crate::hash(tag.as_bytes()) ^ crate::hash(detail.as_bytes()).rotate_left(29);
        let id = (h ^ (h >> 16) ^ (h >> 32) ^ (h >> 48)) as u16;
        let (word, bit) = (usize::from(id) / 64, id % 64);
        if self.seen[word] & (1 << bit) == 0 {
            self.seen[word] |= 1 << bit;
            self.list.push(id);
            if cfg!(debug_assertions) && std::env::var_os("CDR_FUZZ_SHOW_FEATURES").is_some() {
                eprintln!("feature {id:5} {tag}: {detail}");
            }
        }
    }

    /// The features noted since the last call.
    pub fn take(&mut self) -> Vec<u16> {
        for &id in &self.list {
            self.seen[usize::from(id) / 64] &= !(1 << (id % 64));
        }
        std::mem::take(&mut self.list)
    }
}

/// A message with what varies taken out (quoted text, numbers), so that one kind of error
/// is one feature however many values provoke it.
pub fn skeleton(s: &str) -> String {
    let mut out = String::new();
    let mut inside: Option<char> = None;
    let mut digits = false;
    let mut escaped = false;
    for c in s.chars() {
        match inside {
            // Messages quote text with its quotes escaped (`"a \"b\""`).
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(close) if c == close => inside = None,
            Some(_) => {}
            None => match c {
                '"' => inside = Some('"'),
                '`' => inside = Some('`'),
                '“' => inside = Some('”'),
                c if c.is_ascii_digit() => {
                    if !digits {
                        out.push('#');
                    }
                    digits = true;
                    continue;
                }
                c => out.push(c),
            },
        }
        digits = false;
        if out.len() > 120 {
            break;
        }
    }
    out
}

type Out = Result<(), String>;

/// What [`decode::decode_value_list`] reads.
type ValueList = Result<Vec<ValueDescription>, DecodeError>;

fn fail<T>(phase: Phase, why: impl std::fmt::Display) -> Result<T, String> {
    Err(format!("oracle in {}: {why}", phase.name()))
}

fn size_class(n: usize) -> &'static str {
    match n {
        0 => "0",
        1 => "1",
        2..=9 => "few",
        10..=999 => "many",
        _ => "lots",
    }
}

fn note_outcome<T>(
    f: &mut Features,
    name: &str,
    r: &Result<T, DecodeError>,
    len: impl Fn(&T) -> usize,
) {
    let detail = match r {
        Ok(v) => format!("ok {}", size_class(len(v))),
        Err(DecodeError::NotJson { .. }) => "not json".to_owned(),
        Err(DecodeError::Shape { path, message }) => {
            format!("shape {} {}", skeleton(path), skeleton(message))
        }
        Err(DecodeError::Api(s)) => match s {
            cdr_core::ApiStatus::Unknown(_) => "api unknown".to_owned(),
            s => format!("api {}", s.code()),
        },
    };
    f.add(name, &detail);
}

fn check_error(name: &str, e: &DecodeError) -> Out {
    let message = e.message();
    let shown = e.to_string();
    if message.trim().is_empty() || shown.trim().is_empty() {
        return fail(
            Phase::DecodeMessages,
            format!("{name} gave an error with no message"),
        );
    }
    if let DecodeError::NotJson { first_bytes, .. } = e {
        if first_bytes.chars().count() > 80 {
            return fail(
                Phase::DecodeMessages,
                format!("{name} kept more than 80 characters of the body"),
            );
        }
    }
    Ok(())
}

/// The JSON string of `s`.
fn json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Rows as the service would send them, written independently of cdr-core's writers.
fn cdr_json(rows: &[&CdrRow]) -> String {
    let mut out = String::from("{\"status\":\"success\",\"cdr\":[");
    for (i, r) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"date\":");
        json_str(&r.date_string(), &mut out);
        for (key, value) in [
            ("callerid", &r.callerid),
            ("destination", &r.destination),
            ("description", &r.description),
            ("account", &r.account),
        ] {
            out.push_str(&format!(",\"{key}\":"));
            json_str(value, &mut out);
        }
        out.push_str(",\"disposition\":");
        json_str(r.disposition.as_str(), &mut out);
        out.push_str(&format!(",\"seconds\":\"{}\"", r.seconds));
        if let Some(rate) = r.rate {
            out.push_str(&format!(",\"rate\":\"{rate}\""));
        }
        out.push_str(&format!(",\"total\":\"{}\",\"uniqueid\":", r.total));
        json_str(&r.uniqueid, &mut out);
        for (key, value) in [
            ("destination_type", &r.destination_type),
            ("call_logs", &r.call_logs),
            ("ip", &r.ip),
            ("useragent", &r.useragent),
        ] {
            if let Some(v) = value {
                out.push_str(&format!(",\"{key}\":"));
                json_str(v, &mut out);
            }
        }
        out.push('}');
    }
    out.push_str("]}");
    out
}

fn rates_json(rates: &[RateRow]) -> String {
    let mut out = String::from("{\"status\":\"success\",\"rates\":[");
    for (i, r) in rates.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"destination\":");
        json_str(&r.destination, &mut out);
        out.push_str(",\"prefix\":");
        json_str(&r.prefix, &mut out);
        out.push_str(&format!(
            ",\"client_increment\":\"{}\",\"client_rate\":\"{}\",\"real_increment\":\"{}\",\"real_rate\":\"{}\"}}",
            r.client_increment, r.client_rate, r.real_increment, r.real_rate
        ));
    }
    out.push_str("]}");
    out
}

fn terms_json(t: &TerminationRates) -> String {
    let mut out = String::from("{\"status\":\"success\"");
    if let Some(route) = &t.route {
        out.push_str(",\"route\":[{\"value\":");
        json_str(&route.value, &mut out);
        out.push_str(",\"description\":");
        json_str(&route.description, &mut out);
        out.push_str("}]");
    }
    out.push_str(",\"rates\":[");
    for (i, r) in t.rates.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"destination\":");
        json_str(&r.destination, &mut out);
        out.push_str(",\"prefix\":");
        json_str(&r.prefix, &mut out);
        out.push_str(&format!(
            ",\"increment\":\"{}\",\"rate\":\"{}\"}}",
            r.increment, r.rate
        ));
    }
    out.push_str("]}");
    out
}

fn values_json(key: &str, list: &[ValueDescription]) -> String {
    let mut out = format!("{{\"status\":\"success\",\"{key}\":[");
    for (i, v) in list.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str("{\"value\":");
        json_str(&v.value, &mut out);
        out.push_str(",\"description\":");
        json_str(&v.description, &mut out);
        out.push('}');
    }
    out.push_str("]}");
    out
}

/// The same JSON written otherwise: a space after every `:` and `,` and before every `}`
/// and `]` outside strings, and in every string its first letter or digit as a `\u00XX`
/// escape. Any JSON means the same after it; the decoders' fast paths (a key matched whole
/// as `"seconds":`, dates, amounts and counts read in place) then all give way to the
/// slow ones, which must read the same.
fn rewritten(body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + body.len() / 4);
    let mut in_string = false;
    let mut escaped_one = false;
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if in_string {
            match b {
                b'\\' => {
                    // An escape is copied whole: `\u` and its four hex digits too.
                    let len = if body.get(i + 1) == Some(&b'u') { 6 } else { 2 };
                    let end = (i + len).min(body.len());
                    out.extend_from_slice(&body[i..end]);
                    i = end;
                    continue;
                }
                b'"' => in_string = false,
                b if b.is_ascii_alphanumeric() && !escaped_one => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(b >> 4)]);
                    out.push(HEX[usize::from(b & 15)]);
                    escaped_one = true;
                    i += 1;
                    continue;
                }
                _ => {}
            }
            out.push(b);
        } else {
            match b {
                b'"' => {
                    in_string = true;
                    escaped_one = false;
                    out.push(b);
                }
                b':' | b',' => out.extend_from_slice(&[b, b' ']),
                b'}' | b']' => out.extend_from_slice(&[b' ', b]),
                _ => out.push(b),
            }
        }
        i += 1;
    }
    out
}

/// Two decoder results that mean the same: equal values, or errors of one kind (a body
/// that is not JSON keeps its first bytes, which the rewriting changes).
fn same_outcome<T: PartialEq>(a: &Result<T, DecodeError>, b: &Result<T, DecodeError>) -> bool {
    match (a, b) {
        (Err(DecodeError::NotJson { .. }), Err(DecodeError::NotJson { .. })) => true,
        _ => a == b,
    }
}

/// The order of two rows on a column, as the table documents it: numbers and dates as
/// numbers (no rate first), text by its bytes.
fn cmp_rows(a: &CdrRow, b: &CdrRow, column: Column) -> Ordering {
    match column {
        Column::Date => a
            .date
            .and_utc()
            .timestamp()
            .cmp(&b.date.and_utc().timestamp()),
        Column::Duration => a.seconds.cmp(&b.seconds),
        Column::Rate => a.rate.cmp(&b.rate),
        Column::Total => a.total.cmp(&b.total),
        c => cell_of(c, a).as_bytes().cmp(cell_of(c, b).as_bytes()),
    }
}

fn check_permutation(phase: Phase, order: &[usize], len: usize) -> Out {
    if order.len() != len {
        return fail(
            phase,
            format!("gave {} positions for {len} items", order.len()),
        );
    }
    let mut seen = vec![false; len];
    for &i in order {
        if i >= len || std::mem::replace(&mut seen[i], true) {
            return fail(phase, format!("gave position {i} twice or out of range"));
        }
    }
    Ok(())
}

fn check_sorted(rows: &[CdrRow], order: &[u32], sort: Sort) -> Out {
    let as_usize: Vec<usize> = order.iter().map(|&i| i as usize).collect();
    check_permutation(Phase::TableSort, &as_usize, rows.len())?;
    for w in order.windows(2) {
        let (a, b) = (w[0], w[1]);
        let o = cmp_rows(&rows[a as usize], &rows[b as usize], sort.column);
        let o = if sort.dir == SortDir::Desc {
            o.reverse()
        } else {
            o
        };
        if o == Ordering::Greater || (o == Ordering::Equal && a > b) {
            return fail(
                Phase::TableSort,
                format!("{}: row {a} comes before row {b} out of order", sort.key()),
            );
        }
    }
    Ok(())
}

/// Quick-filter queries: blank ones, fixed ones, a hostile one, and one cut from a row's
/// text, which must find that row.
fn queries(rows: &[CdrRow], h: u64) -> Vec<(String, Option<u32>)> {
    let mut out: Vec<(String, Option<u32>)> = vec![
        (String::new(), None),
        ("  \t ".to_owned(), None),
        ("john".to_owned(), None),
        ("5".to_owned(), None),
    ];
    let hostile = [
        "\t", "ß", "İ", "σ", "ς", "\"", ",", "é", "\u{212a}", "\u{fffd}", "  =1 ", "0000", "IN:",
    ];
    out.push((
        hostile[(h % hostile.len() as u64) as usize].to_owned(),
        None,
    ));
    out.push(("x".repeat(300), None));
    if !rows.is_empty() {
        let r = (h >> 8) as usize % rows.len();
        let texts: Vec<Column> = Column::ALL.into_iter().filter(|c| c.is_text()).collect();
        for k in 0..texts.len() {
            let column = texts[(k + (h >> 20) as usize) % texts.len()];
            let cell = cell_of(column, &rows[r]);
            // An ASCII run without the characters the haystack turns into spaces.
            let chars: Vec<(usize, char)> = cell.char_indices().collect();
            let ok = |c: char| c.is_ascii() && !matches!(c, '\t' | '\n' | '\r');
            let Some(start) = chars
                .iter()
                .position(|&(_, c)| ok(c) && !c.is_ascii_whitespace())
            else {
                continue;
            };
            let run: String = chars[start..]
                .iter()
                .map(|&(_, c)| c)
                .take_while(|&c| ok(c))
                .take(6)
                .collect();
            let q = run.trim();
            if !q.is_empty() {
                out.push((q.to_owned(), Some(r as u32)));
                break;
            }
        }
        // And any text cut from a row, non-ASCII included: ignoring case must not depend on
        // where the cut falls (a final sigma is lower-cased unlike a medial one).
        let column = texts[(h >> 40) as usize % texts.len()];
        let cell = cell_of(column, &rows[r]);
        let chars: Vec<char> = cell.chars().collect();
        if !chars.is_empty() {
            let start = (h >> 48) as usize % chars.len();
            let len = 1 + (h >> 56) as usize % 6;
            // Up to a tab or line break, which the search buffer holds as spaces.
            let q: String = chars[start..]
                .iter()
                .take(len)
                .take_while(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect();
            if !q.trim().is_empty() {
                out.push((q.trim().to_owned(), Some(r as u32)));
            }
        }
    }
    out
}

fn check_groups(phase: Phase, groups: &[CostGroup]) -> Out {
    for w in groups.windows(2) {
        let o = w[1]
            .cost
            .cmp(&w[0].cost)
            .then_with(|| w[0].key.cmp(&w[1].key));
        if o != Ordering::Less {
            return fail(
                phase,
                format!(
                    "groups {:?} and {:?} are out of order",
                    skeleton(&w[0].key),
                    skeleton(&w[1].key)
                ),
            );
        }
    }
    Ok(())
}

/// Runs `input` through everything. `Err` is the first broken property.
pub fn run(env: &Env, input: &[u8], f: &mut Features) -> Out {
    let ct = Some("application/json");
    let h = crate::hash(input);

    // ---- every decoder
    enter(Phase::DecodeCdr);
    let cdr = decode::decode_cdr(input, ct);
    enter(Phase::DecodeResellerCdr);
    let reseller = decode::decode_reseller_cdr(input, ct);
    enter(Phase::DecodeRates);
    let rates = decode::decode_rates(input, ct);
    enter(Phase::DecodeTerminationRates);
    let terms = decode::decode_termination_rates(input, ct);
    enter(Phase::DecodeAccounts);
    let accounts = decode::decode_accounts(input, ct);
    enter(Phase::DecodeCallBilling);
    let billing = decode::decode_call_billing(input, ct);
    enter(Phase::DecodeCallTypes);
    let call_types = decode::decode_call_types(input, ct);
    enter(Phase::DecodeRoutes);
    let routes = decode::decode_routes(input, ct);
    enter(Phase::DecodePackages);
    let packages = decode::decode_packages(input, ct);
    enter(Phase::DecodeClientPackages);
    let client_packages = decode::decode_client_packages(input, ct);
    enter(Phase::DecodePackageChoices);
    let choices = decode::decode_package_choices(input, ct);
    enter(Phase::DecodeClients);
    let clients = decode::decode_clients(input, ct);
    enter(Phase::DecodeValueList);
    let value_lists: Vec<(Method, Option<ValueList>)> = Method::ALL
        .iter()
        .map(|&m| (m, decode::decode_value_list(m, input, ct)))
        .collect();
    enter(Phase::DecodeStatus);
    let status = decode::decode_status(input, ct);

    enter(Phase::Check);
    note_outcome(f, "cdr", &cdr, Vec::len);
    note_outcome(f, "rates", &rates, Vec::len);
    note_outcome(f, "terms", &terms, |t| {
        t.rates.len() + usize::from(t.route.is_some()) * 1000
    });
    note_outcome(f, "accounts", &accounts, Vec::len);
    note_outcome(f, "billing", &billing, Vec::len);
    note_outcome(f, "call_types", &call_types, Vec::len);
    note_outcome(f, "routes", &routes, Vec::len);
    note_outcome(f, "packages", &packages, Vec::len);
    note_outcome(f, "client_packages", &client_packages, Vec::len);
    note_outcome(f, "clients", &clients, Vec::len);
    note_outcome(f, "status", &status, |_| 0);

    // Read straight into a row store, after rows already there: the same rows, or the same
    // error with the table as it was.
    enter(Phase::DecodeCdr);
    let mut table = cdr_core::table::CdrTable::default();
    let before = decode::decode_cdr(br#"{"status":"success","cdr":[{"date":"2024-01-02 03:04:05","seconds":"7","uniqueid":"before"}]}"#, None)
        .unwrap_or_default();
    table.extend(before.clone());
    let into = decode::decode_cdr_into(input, ct, &mut table);
    enter(Phase::Check);
    let expected: Vec<CdrRow> = match &cdr {
        Ok(rows) => before.iter().chain(rows).cloned().collect(),
        Err(_) => before.clone(),
    };
    let got: Vec<CdrRow> = (0..table.len() as u32).map(|i| table.row(i)).collect();
    if into.as_ref().err() != cdr.as_ref().err() || got != expected {
        return fail(
            Phase::DecodeCdr,
            "decode_cdr_into read the body unlike decode_cdr",
        );
    }

    // Read as it arrives, in pieces of any size: the same rows, or an error and the table
    // as it was.
    let step = 1 + (h % 97) as usize;
    let mut streamed = cdr_core::table::CdrTable::default();
    streamed.extend(before.clone());
    let mut stream = cdr_core::stream::CdrStream::new(ct, &streamed);
    let mut fed = Ok(());
    for piece in input.chunks(step) {
        enter(Phase::DecodeCdr);
        fed = stream.feed(piece, &mut streamed);
        if fed.is_err() {
            break;
        }
    }
    enter(Phase::DecodeCdr);
    let streamed_result = fed.and_then(|()| stream.finish(&mut streamed));
    enter(Phase::Check);
    let got: Vec<CdrRow> = (0..streamed.len() as u32)
        .map(|i| streamed.row(i))
        .collect();
    if streamed_result.is_ok() != cdr.is_ok() || got != expected {
        return fail(
            Phase::DecodeCdr,
            format!("CdrStream in pieces of {step} read the body unlike decode_cdr"),
        );
    }

    // The same body read twice reads the same; aliases agree with what they alias.
    if reseller != cdr {
        return fail(
            Phase::DecodeResellerCdr,
            "decoded the body unlike decode_cdr",
        );
    }
    if choices != client_packages {
        return fail(
            Phase::DecodePackageChoices,
            "decoded the body unlike decode_client_packages",
        );
    }
    for (m, got) in &value_lists {
        let want = match m {
            Method::GetCallAccounts => Some(&accounts),
            Method::GetCallBilling => Some(&billing),
            Method::GetCallTypes => Some(&call_types),
            Method::GetRoutes => Some(&routes),
            Method::GetClientPackages => Some(&client_packages),
            _ => None,
        };
        if got.as_ref() != want {
            return fail(
                Phase::DecodeValueList,
                format!("{m:?} disagrees with its own decoder"),
            );
        }
    }

    // The status alone says which way every decoder could go: a decoder that accepts a
    // body accepts its status, and an error status stays that error.
    let outcomes: [(&str, Result<(), &DecodeError>); 10] = [
        ("decode_cdr", cdr.as_ref().map(|_| ())),
        ("decode_rates", rates.as_ref().map(|_| ())),
        ("decode_termination_rates", terms.as_ref().map(|_| ())),
        ("decode_accounts", accounts.as_ref().map(|_| ())),
        ("decode_call_billing", billing.as_ref().map(|_| ())),
        ("decode_call_types", call_types.as_ref().map(|_| ())),
        ("decode_routes", routes.as_ref().map(|_| ())),
        ("decode_packages", packages.as_ref().map(|_| ())),
        (
            "decode_client_packages",
            client_packages.as_ref().map(|_| ()),
        ),
        ("decode_clients", clients.as_ref().map(|_| ())),
    ];
    for (name, outcome) in &outcomes {
        match (&status, outcome) {
            (Err(e), Ok(())) => {
                return fail(
                    Phase::DecodeStatus,
                    format!(
                        "refused a body that {name} accepted ({})",
                        skeleton(&e.to_string())
                    ),
                );
            }
            (Err(DecodeError::Api(s)), Err(e)) => {
                let same = matches!(e, DecodeError::Api(t) if t == s);
                if !same && !matches!(e, DecodeError::NotJson { .. }) {
                    return fail(
                        Phase::DecodeStatus,
                        format!(
                            "read status {} where {name} failed otherwise: {}",
                            s.code(),
                            skeleton(&e.to_string())
                        ),
                    );
                }
            }
            (Ok(()), Err(DecodeError::Api(s))) => {
                return fail(
                    Phase::DecodeStatus,
                    format!("accepted a body whose status {name} reads as {}", s.code()),
                );
            }
            _ => {}
        }
        if let Err(e) = outcome {
            enter(Phase::DecodeMessages);
            check_error(name, e)?;
        }
    }
    if let Err(e) = &status {
        check_error("decode_status", e)?;
    }

    // ---- the same JSON written otherwise reads the same. What it checks does not grow
    // with the body, so small bodies are enough, and only what decoded is compared (an
    // error is reached the same way either way).
    if input.len() <= 64 << 10 {
        enter(Phase::Rewritten);
        let other = rewritten(input);
        let checks: [(&str, bool, &dyn Fn() -> bool); 7] = [
            ("decode_cdr", cdr.is_ok(), &|| {
                same_outcome(&cdr, &decode::decode_cdr(&other, ct))
            }),
            ("decode_rates", rates.is_ok(), &|| {
                same_outcome(&rates, &decode::decode_rates(&other, ct))
            }),
            ("decode_termination_rates", terms.is_ok(), &|| {
                same_outcome(&terms, &decode::decode_termination_rates(&other, ct))
            }),
            ("decode_packages", packages.is_ok(), &|| {
                same_outcome(&packages, &decode::decode_packages(&other, ct))
            }),
            ("decode_clients", clients.is_ok(), &|| {
                same_outcome(&clients, &decode::decode_clients(&other, ct))
            }),
            ("decode_accounts", accounts.is_ok(), &|| {
                same_outcome(&accounts, &decode::decode_accounts(&other, ct))
            }),
            ("decode_status", true, &|| {
                same_outcome(&status, &decode::decode_status(&other, ct))
            }),
        ];
        if let Some((name, _, _)) = checks.iter().find(|(_, decoded, same)| *decoded && !same()) {
            return fail(
                Phase::Rewritten,
                format!("{name} reads the body differently once respaced and escaped"),
            );
        }
    }

    // ---- what the decoders read, written back and read again, reads the same
    enter(Phase::RoundTrip);
    if let Ok(rows) = &cdr {
        let writable: Vec<&CdrRow> = rows
            .iter()
            .filter(|r| (0..=9999).contains(&r.date.year()))
            .collect();
        let again = decode::decode_cdr(cdr_json(&writable).as_bytes(), None);
        match again {
            Ok(again) => {
                if let Some(i) = (0..writable.len()).find(|&i| again.get(i) != Some(writable[i])) {
                    return fail(
                        Phase::RoundTrip,
                        format!("CDR row {i} reads back differently"),
                    );
                }
                if again.len() != writable.len() {
                    return fail(Phase::RoundTrip, "CDR rows read back in another number");
                }
            }
            Err(e) => {
                return fail(
                    Phase::RoundTrip,
                    format!("CDR rows do not read back: {}", skeleton(&e.to_string())),
                )
            }
        }
    }
    if let Ok(r) = &rates {
        if decode::decode_rates(rates_json(r).as_bytes(), None).as_ref() != Ok(r) {
            return fail(Phase::RoundTrip, "rates read back differently");
        }
    }
    if let Ok(t) = &terms {
        if decode::decode_termination_rates(terms_json(t).as_bytes(), None).as_ref() != Ok(t) {
            return fail(Phase::RoundTrip, "termination rates read back differently");
        }
    }
    if let Ok(list) = &accounts {
        if decode::decode_accounts(values_json("accounts", list).as_bytes(), None).as_ref()
            != Ok(list)
        {
            return fail(Phase::RoundTrip, "accounts read back differently");
        }
    }

    // What runs on rows runs on what decoded (an empty answer included, which is how
    // "nothing found" arrives); an input that decodes to nothing has nothing more to offer.
    let rated = rates.is_ok() || terms.is_ok();
    let (view, all) = match cdr {
        Ok(rows) => {
            note_rows(f, &rows);
            cdr_pipeline(rows, h, f)?
        }
        Err(_) => (Vec::new(), Vec::new()),
    };
    if rated || !all.is_empty() {
        let rates = rates.unwrap_or_default();
        let terms = terms.unwrap_or_default();
        rating_pipeline(env, &rates, &terms, &view, &all, h, f)?;
    }

    // ---- lookups
    enter(Phase::Lookups);
    for list in [&accounts, &billing, &call_types, &routes, &client_packages]
        .into_iter()
        .flatten()
    {
        let selected = list.first().map_or("", |v| v.value.as_str());
        let options = html::options_html(
            list.iter()
                .map(|v| (v.value.as_str(), v.description.as_str())),
            selected,
        );
        enter(Phase::Check);
        markup::check("html.options_html", &options)?;
        enter(Phase::Lookups);
    }
    if let Ok(clients) = &clients {
        let options: Vec<ValueDescription> = clients.iter().map(Client::choice).collect();
        for (c, o) in clients.iter().zip(&options) {
            if o.value != c.client || c.display_name().is_empty() && !c.client.is_empty() {
                return fail(Phase::Lookups, "a client's choice does not name it");
            }
        }
        let html = html::options_html(
            options
                .iter()
                .map(|v| (v.value.as_str(), v.description.as_str())),
            "",
        );
        markup::check("html.options_html", &html)?;
    }
    if let Ok(packages) = &packages {
        let cells: Vec<Vec<Cell>> = packages.iter().map(package_cells).collect();
        markup::check("html.rows_html", &html::rows_html(cells))?;
    }
    enter(Phase::Idle);
    Ok(())
}

fn package_cells(p: &Package) -> Vec<Cell> {
    vec![
        Cell::Head(p.name.clone()),
        Cell::Text(p.package.clone()),
        Cell::Num(cdr_core::display::money(Ok(p.markup_fixed))),
        Cell::Num(rating::amount(p.markup_percentage)),
        Cell::Num(format!("{} s", p.pulse)),
        Cell::Num(cdr_core::display::money(Ok(p.monthly_fee))),
        Cell::Num(cdr_core::display::money(Ok(p.setup_fee))),
        Cell::Num(cdr_core::display::count(u64::from(p.free_minutes))),
        Cell::Text(p.international_route.clone()),
        Cell::Text(p.canada_route.clone()),
    ]
}

fn note_rows(f: &mut Features, rows: &[CdrRow]) {
    for r in rows {
        let disposition = match &r.disposition {
            Disposition::Other(t) if t.is_empty() => "other empty",
            Disposition::Other(_) => "other",
            d => d.as_str(),
        };
        f.add("disposition", disposition);
        let rate = match r.rate {
            None => "none",
            Some(m) if m.is_zero() => "zero",
            Some(m) if m.units() < 0 => "negative",
            Some(m) if m.units() > 1 << 50 => "huge",
            Some(_) => "positive",
        };
        f.add("rate", rate);
        let total = match r.total.units() {
            0 => "zero",
            t if t < 0 => "negative",
            t if t > 1 << 50 => "huge",
            _ => "positive",
        };
        f.add("total", total);
        let seconds = match r.seconds {
            0 => "0",
            1..=59 => "s",
            60..=3599 => "m",
            3600..=86_399 => "h",
            u32::MAX => "max",
            _ => "days",
        };
        f.add("seconds", seconds);
        let year = match r.date.year() {
            ..=-1 => "negative",
            0 => "0",
            1 => "1",
            2..=1969 => "old",
            1970 if r.date.ordinal() == 1 => "epoch",
            1970..=2099 => "modern",
            2100..=9999 => "future",
            _ => "beyond",
        };
        f.add("year", year);
        let optional = [&r.destination_type, &r.call_logs, &r.ip, &r.useragent]
            .iter()
            .map(|o| if o.is_some() { '1' } else { '0' })
            .collect::<String>();
        f.add("optional", &optional);
        f.add(
            "callerid",
            if r.callerid.is_ascii() {
                "ascii"
            } else {
                "unicode"
            },
        );
    }
}

/// The table, the summary, the charts and the CSV of the rows. Returns the quick filter's
/// view and every row, for rating.
fn cdr_pipeline(
    rows: Vec<CdrRow>,
    h: u64,
    f: &mut Features,
) -> Result<(Vec<CdrRow>, Vec<CdrRow>), String> {
    enter(Phase::TableNew);
    let all = rows;
    let table = CdrTable::new(all.clone());
    let rows = &all[..];
    let n = rows.len();
    enter(Phase::Check);
    // The columnar store gives every row back as it was pushed.
    if table.len() != n {
        return fail(
            Phase::TableNew,
            format!("holds {} of {n} rows", table.len()),
        );
    }
    if let Some(i) = (0..n).find(|&i| table.row(i as u32) != rows[i]) {
        return fail(
            Phase::TableNew,
            format!("row {i} does not read back as it was pushed"),
        );
    }
    if let Some((i, c)) = (0..n)
        .flat_map(|i| Column::ALL.into_iter().map(move |c| (i, c)))
        .find(|&(i, c)| table.cell(i as u32, c) != cell_of(c, &rows[i]))
    {
        return fail(
            Phase::TableNew,
            format!("the {} cell of row {i} differs from the row's", c.key()),
        );
    }

    // Every column both ways, each order checked.
    let mut default_order = Vec::new();
    for column in Column::ALL {
        for dir in [SortDir::Asc, SortDir::Desc] {
            let sort = Sort { column, dir };
            enter(Phase::TableSort);
            let order = table.sorted(sort);
            enter(Phase::Check);
            check_sorted(rows, &order, sort)?;
            if sort == Sort::DEFAULT {
                default_order = order;
            }
        }
    }

    // Quick filters: in fetched order, in range, narrowing equals filtering then sorting,
    // and a query cut from a row finds it.
    let mut view_indices = default_order.clone();
    for (q, must) in queries(rows, h) {
        enter(Phase::TableFilter);
        let hits = table.filter(&q);
        enter(Phase::Check);
        if hits.windows(2).any(|w| w[0] >= w[1]) || hits.last().is_some_and(|&i| i as usize >= n) {
            return fail(
                Phase::TableFilter,
                "gave rows out of fetched order or out of range",
            );
        }
        if q.trim().is_empty() && hits.len() != n {
            return fail(Phase::TableFilter, "a blank query did not keep every row");
        }
        if let Some(r) = must {
            if hits.binary_search(&r).is_err() {
                return fail(
                    Phase::TableFilter,
                    format!("a query cut from row {r}'s text did not find it"),
                );
            }
        }
        f.add("filter", size_class(hits.len()));
        let mut expected = hits.clone();
        table.sort(&mut expected, Sort::DEFAULT);
        enter(Phase::TableNarrow);
        let narrowed = table.narrow(&default_order, &q);
        enter(Phase::Check);
        if narrowed != expected {
            return fail(
                Phase::TableNarrow,
                "narrowing the sorted rows differs from filtering then sorting",
            );
        }
        // `view` sorts every row again: once, on the query that must find its row.
        if must.is_some() {
            let by_total = Sort {
                column: Column::Total,
                dir: SortDir::Desc,
            };
            enter(Phase::TableNarrow);
            let viewed = table.view(&q, by_total);
            enter(Phase::Check);
            let mut expected_view = hits.clone();
            table.sort(&mut expected_view, by_total);
            if viewed != expected_view {
                return fail(
                    Phase::TableNarrow,
                    "view differs from filtering then sorting",
                );
            }
        }
        if must.is_some() {
            view_indices = narrowed;
        }
    }

    // Summary and chart series, over every row and over the filtered view.
    for indices in [&default_order, &view_indices] {
        enter(Phase::Summary);
        let s = Summary::of(&table, indices);
        let terms = s.terms();
        let (asr, acd, minutes) = (s.asr(), s.acd_seconds(), s.minutes());
        enter(Phase::Check);
        if s.calls() != indices.len() as u64 {
            return fail(
                Phase::Summary,
                format!("counts {} calls for {} rows", s.calls(), indices.len()),
            );
        }
        if asr.is_some_and(|a| !(0.0..=1.0).contains(&a))
            || acd.is_some_and(|a| !a.is_finite() || a < 0.0)
            || !minutes.is_finite()
        {
            return fail(Phase::Summary, "gave a ratio or an average out of range");
        }
        let units: i128 = indices
            .iter()
            .map(|&i| i128::from(rows[i as usize].total.units()))
            .sum();
        if s.cost.ok() != i64::try_from(units).ok().map(Money::from_units) {
            return fail(
                Phase::Summary,
                "the cost is not the sum of the totals, or not an overflow past Money's range",
            );
        }
        enter(Phase::Html);
        let kpis = html::terms_html(&terms);
        enter(Phase::Check);
        markup::check("html.terms_html of the summary", &kpis)?;

        // The searched range of a real view, the rows' own span, and no bound at all.
        let span = indices.iter().map(|&i| rows[i as usize].date.date()).fold(
            None,
            |acc: Option<(NaiveDate, NaiveDate)>, d| {
                Some(acc.map_or((d, d), |(a, b)| (a.min(d), b.max(d))))
            },
        );
        let june = (
            NaiveDate::from_ymd_opt(2024, 6, 1).unwrap_or(NaiveDate::MIN),
            NaiveDate::from_ymd_opt(2024, 6, 30).unwrap_or(NaiveDate::MAX),
        );
        let every_row = std::ptr::eq(indices, &default_order);
        let ranges = if every_row {
            vec![june, span.unwrap_or(june), (NaiveDate::MIN, NaiveDate::MAX)]
        } else {
            vec![span.unwrap_or(june)]
        };
        for range in ranges {
            enter(Phase::CallsPerDay);
            let series = analytics::calls_over_time(&table, indices, range);
            enter(Phase::Check);
            let charted: u64 = series.buckets.iter().map(|b| b.counts.total()).sum();
            let outside = indices
                .iter()
                .filter(|&&i| !(range.0..=range.1).contains(&rows[i as usize].date.date()))
                .count() as u64;
            if series.outside != outside || charted + outside != indices.len() as u64 {
                return fail(
                    Phase::CallsPerDay,
                    format!("charts {charted} and leaves out {} of {} calls ({outside} outside the range)", series.outside, indices.len()),
                );
            }
            if series.buckets.len() > analytics::MAX_BUCKETS {
                return fail(
                    Phase::CallsPerDay,
                    format!(
                        "{} bars, past the limit of {}",
                        series.buckets.len(),
                        analytics::MAX_BUCKETS
                    ),
                );
            }
            if series.buckets.windows(2).any(|w| w[0].start >= w[1].start) {
                return fail(Phase::CallsPerDay, "bars are not in ascending order");
            }
            f.add(
                "days",
                &format!("{:?} {}", series.period, size_class(series.buckets.len())),
            );
            enter(Phase::ChartDay);
            let svg = chart::calls_over_time(&series);
            enter(Phase::Check);
            markup::check("chart.calls_over_time", &svg.body)?;
            check_svg_frame("chart.calls_over_time", &svg)?;
        }

        enter(Phase::CallsPerHour);
        let hours = analytics::calls_per_hour(&table, indices);
        enter(Phase::Check);
        if hours.iter().sum::<u64>() != indices.len() as u64 {
            return fail(Phase::CallsPerHour, "does not count every call once");
        }
        enter(Phase::ChartHour);
        let svg = chart::calls_per_hour(&hours);
        enter(Phase::Check);
        markup::check("chart.calls_per_hour", &svg.body)?;
        check_svg_frame("chart.calls_per_hour", &svg)?;

        enter(Phase::TopDestinations);
        let top = analytics::top_destinations_by_cost(&table, indices, 10);
        enter(Phase::Check);
        if top.len() > 10 || top.iter().any(|g| g.cost.is_ok_and(|c| c.units() <= 0)) {
            return fail(
                Phase::TopDestinations,
                "kept more than 10 groups or one that cost nothing",
            );
        }
        check_groups(Phase::TopDestinations, &top)?;
        enter(Phase::CostPerAccount);
        let accounts = analytics::cost_per_account(&table, indices);
        enter(Phase::Check);
        if accounts.iter().map(|g| g.calls).sum::<u64>() != indices.len() as u64 {
            return fail(Phase::CostPerAccount, "does not count every call once");
        }
        check_groups(Phase::CostPerAccount, &accounts)?;
        enter(Phase::ChartCost);
        let bars = [
            chart::cost_bars("Top destinations by cost", &top),
            chart::cost_bars("Cost per account", &accounts),
        ];
        enter(Phase::Check);
        for svg in &bars {
            markup::check("chart.cost_bars", &svg.body)?;
            check_svg_frame("chart.cost_bars", svg)?;
        }
    }

    // CSV: every column in the default order, and a few columns of the filtered view.
    let zones = [0, -500, 575, -1200, 1300];
    let tz = Timezone::from_hundredths(zones[(h % 5) as usize]).unwrap_or(Timezone::UTC);
    let few = [
        Column::Total,
        Column::CallerId,
        Column::Date,
        Column::DestinationType,
    ];
    for (indices, columns) in [
        (&default_order, &Column::ALL[..]),
        (&view_indices, &few[..]),
    ] {
        enter(Phase::CdrCsv);
        let csv = export::cdr_csv(&table, indices, columns, tz);
        enter(Phase::Check);
        let cell = |r: usize, c: usize| cell_of(columns[c], &rows[indices[r] as usize]);
        csvcheck::check(
            "export.cdr_csv",
            &csv,
            columns.len(),
            indices.len(),
            Some(&cell),
        )?;
    }

    // The grid at this size, and at sizes past the spacer's cap.
    enter(Phase::Grid);
    for count in [
        view_indices.len(),
        n * 1000 + 7,
        1_000_000 + (h % 1_000_000) as usize,
    ] {
        check_grid(GridGeometry {
            rows: count,
            row_px: 32.0,
            viewport_px: 640.0,
        })?;
    }

    // The rows of the CDR HTML table a page would draw.
    enter(Phase::Html);
    let cells: Vec<Vec<Cell>> = default_order
        .iter()
        .take(200)
        .map(|&i| {
            Column::ALL
                .iter()
                .map(|&c| Cell::Text(cell_of(c, &rows[i as usize])))
                .collect()
        })
        .collect();
    let page = html::rows_html(cells);
    enter(Phase::Check);
    markup::check("html.rows_html of CDR rows", &page)?;

    let view: Vec<CdrRow> = view_indices
        .iter()
        .take(64)
        .map(|&i| rows[i as usize].clone())
        .collect();
    Ok((view, rows.to_vec()))
}

fn check_svg_frame(what: &str, svg: &chart::Svg) -> Out {
    let parts: Vec<&str> = svg.view_box.split(' ').collect();
    if parts.len() != 4
        || parts
            .iter()
            .any(|p| p.parse::<f64>().map_or(true, |v| !v.is_finite()))
    {
        return Err(format!(
            "oracle in {what}: the viewBox {:?} is not four numbers",
            svg.view_box
        ));
    }
    if svg.label.trim().is_empty() {
        return Err(format!("oracle in {what}: the chart has no label"));
    }
    let mut label = String::new();
    html::escape(&svg.label, &mut label);
    markup::check(what, &label)
}

fn check_grid(g: GridGeometry) -> Out {
    let scrolls = [
        0.0,
        -1.0,
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        1e300,
        g.spacer_px() / 2.0,
        g.spacer_px(),
        12_345.6,
    ];
    for scroll in scrolls {
        let w = g.window(scroll);
        if w.first > g.rows
            || w.first + w.count > g.rows
            || !w.top_px.is_finite()
            || w.top_px < 0.0
            || w.spacer_px > MAX_SPACER_PX
        {
            return fail(
                Phase::Grid,
                format!("window({scroll}) of {} rows is {w:?}", g.rows),
            );
        }
    }
    for row in [0, g.rows / 2, g.rows.saturating_sub(1)] {
        if g.rows == 0 {
            break;
        }
        let to = g.scroll_to_row(row, 0.0);
        if !to.is_finite() || to < 0.0 {
            return fail(
                Phase::Grid,
                format!("scroll_to_row({row}) of {} rows is {to}", g.rows),
            );
        }
        let w = g.window(to);
        if row < w.first || row >= w.first + w.count {
            return fail(
                Phase::Grid,
                format!(
                    "scroll_to_row({row}) of {} rows does not show it: {w:?}",
                    g.rows
                ),
            );
        }
    }
    if g.page_rows() == 0 {
        return fail(Phase::Grid, "a page holds no row");
    }
    Ok(())
}

fn clean_prefix(p: &str) -> &str {
    p.trim().trim_start_matches('+')
}

/// Rating: dialled numbers, quotes, the rates table and its CSV, route comparison and
/// explained charges.
fn rating_pipeline(
    env: &Env,
    rates: &[RateRow],
    terms: &TerminationRates,
    view: &[CdrRow],
    all: &[CdrRow],
    h: u64,
    f: &mut Features,
) -> Out {
    enter(Phase::LookupQuery);
    for row in all {
        let q = rating::rate_lookup_query(row);
        let dir = rating::direction(row);
        if q.as_ref()
            .is_some_and(|q| q.len() != 1 || !q.as_bytes()[0].is_ascii_digit())
        {
            return fail(Phase::LookupQuery, "gave a query that is not one digit");
        }
        if dir == rating::Direction::Inbound && q.is_some() {
            return fail(Phase::LookupQuery, "gave a query for an inbound call");
        }
    }

    // Numbers to rate: each rate's own prefix (so it matches), the rows' destinations, and
    // hostile texts.
    enter(Phase::Dial);
    let mut texts: Vec<String> = rates
        .iter()
        .take(16)
        .map(|r| format!("+{}5550100", clean_prefix(&r.prefix)))
        .collect();
    texts.extend(
        terms
            .rates
            .iter()
            .take(8)
            .map(|r| clean_prefix(&r.prefix).to_owned()),
    );
    texts.extend(view.iter().take(8).map(|r| r.destination.clone()));
    texts.extend(
        [
            "+1 (418) 555-0100",
            "011 52 55 1234 5678",
            "4185550100",
            "+",
            "0",
            "1234567890123456789",
            "٣",
        ]
        .map(str::to_owned),
    );
    let mut numbers = Vec::new();
    for t in &texts {
        match DialedNumber::parse(t) {
            Ok(n) => {
                let d = n.digits();
                if d.is_empty()
                    || d.len() > rating::MAX_DIGITS
                    || !d.bytes().all(|b| b.is_ascii_digit())
                {
                    return fail(Phase::Dial, "gave digits that are not 1 to 18 ASCII digits");
                }
                numbers.push(d.to_owned());
            }
            Err(e) => {
                if e.to_string().is_empty() {
                    return fail(Phase::Dial, "an error without a message");
                }
            }
        }
        let _ = rating::parse_call_length(t);
    }
    numbers.truncate(12);
    let seconds = [0, 27, u32::MAX, view.first().map_or(11, |r| r.seconds)];
    let label = terms
        .route
        .as_ref()
        .map_or("Route", |r| r.description.as_str());

    for set in [rates, &env.rates[..]] {
        for d in &numbers {
            for &s in &seconds {
                enter(Phase::QuoteRates);
                let lines = rating::quote_rates(d, s, set);
                enter(Phase::Check);
                if !(lines.is_empty() || lines.len() == 2) {
                    return fail(Phase::QuoteRates, "gave neither no line nor two");
                }
                for l in &lines {
                    check_pricing(Phase::QuoteRates, d, &l.prefix, &l.pricing)?;
                }
            }
        }
    }
    for set in [&terms.rates[..], &env.terms[..]] {
        for d in &numbers {
            for &s in &seconds {
                enter(Phase::QuoteTermination);
                if let Some(l) = rating::quote_termination(d, s, label, set) {
                    enter(Phase::Check);
                    check_pricing(Phase::QuoteTermination, d, &l.prefix, &l.pricing)?;
                }
            }
        }
    }

    // The rates table: every cell, every sort, the CSV.
    enter(Phase::RateCells);
    let cells: Vec<Vec<Cell>> = rates
        .iter()
        .map(|r| {
            RateColumn::ALL
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    if i == 0 {
                        Cell::Head(c.cell(r))
                    } else {
                        Cell::Num(c.cell(r))
                    }
                })
                .collect()
        })
        .collect();
    enter(Phase::Html);
    let table = html::rows_html(cells);
    enter(Phase::Check);
    markup::check("html.rows_html of rates", &table)?;
    let mut order = Vec::new();
    for column in RateColumn::ALL {
        for dir in [SortDir::Asc, SortDir::Desc] {
            enter(Phase::SortRates);
            let o = rating::sort_rates(rates, column, dir);
            enter(Phase::Check);
            check_permutation(Phase::SortRates, &o, rates.len())?;
            if column == RateColumn::ALL[(h % 8) as usize] {
                order = o;
            }
        }
    }
    enter(Phase::RatesCsv);
    let csv = rating::rates_csv(rates, &order);
    enter(Phase::Check);
    csvcheck::check("rating.rates_csv", &csv, 8, order.len(), None)?;

    // Two routes side by side: every row of each side exactly once.
    // Two routes rarely list their prefixes in the same order: the deck against itself
    // turned half-way round too.
    let mut turned = terms.rates.clone();
    let half = turned.len() / 2;
    turned.rotate_left(half);
    for (left, right) in [
        (&terms.rates[..], &terms.rates[..]),
        (&terms.rates[..], &turned[..]),
        (&terms.rates[..], &env.terms[..]),
        (&env.terms[..], &terms.rates[..]),
    ] {
        enter(Phase::CompareRoutes);
        let joined = rating::compare_routes(left, right);
        let differences: Vec<_> = joined.iter().map(|c| c.difference()).collect();
        enter(Phase::Check);
        let lefts = joined.iter().filter(|c| c.left.is_some()).count();
        let rights = joined.iter().filter(|c| c.right.is_some()).count();
        if lefts != left.len() || rights != right.len() {
            return fail(
                Phase::CompareRoutes,
                "did not show every rate of both routes once",
            );
        }
        if differences
            .iter()
            .zip(&joined)
            .any(|(d, c)| d.is_some() != (c.left.is_some() && c.right.is_some()))
        {
            return fail(Phase::CompareRoutes, "a difference without both sides");
        }
    }

    // Explain a charge: for the first rows of the view, against this body's rates, the
    // seed's, and none.
    for row in view.iter().take(16) {
        for set in [rates, &env.rates[..], &[]] {
            enter(Phase::Explain);
            let e = rating::explain_charge(row, set);
            let facts = e.facts();
            let notes = e.notes();
            let verdict = e.verdict();
            enter(Phase::Check);
            f.add(
                "explain",
                &format!(
                    "{:?} {:?} {}",
                    std::mem::discriminant(&e.increment_source),
                    e.rate_source,
                    e.flagged
                ),
            );
            if e.seconds != row.seconds
                || (e.billed_seconds < e.seconds && e.billed_seconds != u32::MAX)
            {
                return fail(Phase::Explain, "billed fewer seconds than the call lasted");
            }
            if e.seconds == 0 && e.recomputed != Some(Ok(Money::ZERO)) {
                return fail(Phase::Explain, "a 0-second call was not free");
            }
            if facts.len() != 7 || notes.is_empty() || verdict.is_empty() {
                return fail(Phase::Explain, "facts, notes or verdict missing");
            }
            enter(Phase::Html);
            let facts_html = html::terms_html(&facts);
            let notes_html = html::list_html(&notes);
            enter(Phase::Check);
            markup::check("html.terms_html of facts", &facts_html)?;
            markup::check("html.list_html of notes", &notes_html)?;
        }
    }
    Ok(())
}

fn check_pricing(phase: Phase, digits: &str, prefix: &str, p: &rating::Pricing) -> Out {
    if !digits.starts_with(clean_prefix(prefix)) || clean_prefix(prefix).is_empty() {
        return fail(phase, "matched a prefix the number does not start with");
    }
    let inc = p.increment.max(1);
    if p.billed_seconds != u32::MAX
        && (p.billed_seconds < p.seconds || !p.billed_seconds.is_multiple_of(inc))
    {
        return fail(
            phase,
            format!(
                "billed {} s for {} s at {} s increments",
                p.billed_seconds, p.seconds, p.increment
            ),
        );
    }
    if p.seconds == 0 && p.cost != Ok(Money::ZERO) {
        return fail(phase, "a 0-second call cost something");
    }
    if p.cost
        .is_ok_and(|c| c.units() != 0 && (c.units() < 0) != (p.rate.units() < 0))
    {
        return fail(phase, "the cost's sign is not the rate's");
    }
    Ok(())
}

/// A cell as the grid and the CSV show it, worked out from the row itself: the oracle of the
/// columnar store's own cells.
fn cell_of(column: Column, row: &CdrRow) -> String {
    match column {
        Column::Date => row.date_string(),
        Column::CallerId => row.callerid.clone(),
        Column::Destination => row.destination.clone(),
        Column::Description => row.description.clone(),
        Column::Account => row.account.clone(),
        Column::Disposition => row.disposition.as_str().to_owned(),
        Column::Duration => cdr_core::model::format_hms(row.seconds),
        Column::Rate => row.rate.map(|r| r.to_string()).unwrap_or_default(),
        Column::Total => row.total.to_string(),
        Column::UniqueId => row.uniqueid.clone(),
        Column::DestinationType => row.destination_type.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewriting_keeps_the_meaning() {
        let body =
            br#"{"status":"success","cdr":[{"date":"2010-11-30 10:40:16","x":"a\"b\u00e9"}]}"#;
        let other = rewritten(body);
        assert_eq!(
            String::from_utf8(other).unwrap(),
            r#"{"\u0073tatus": "\u0073uccess", "\u0063dr": [{"\u0064ate": "\u0032010-11-30 10:40:16", "\u0078": "\u0061\"b\u00e9" } ] }"#
        );
    }

    #[test]
    fn skeletons_drop_quoted_text_and_figures() {
        assert_eq!(
            skeleton(r#"cdr[12].total invalid value: string "a \"b\" 7", expected `x`"#),
            "cdr[#].total invalid value: string , expected "
        );
        assert_eq!(skeleton("“x”12 ab3"), "# ab#");
    }
}
