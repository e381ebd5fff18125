//! Rating: which rate applies to a dialled number, what a call of a given length costs under
//! it, a reseller's margin per destination, and the explanation of one CDR row's charge.
//!
//! Everything here is pure and exact ([`Money`] and integer seconds), so that the Rates and
//! Termination rates pages and the "Explain a charge" panel only fetch and display.
//!
//! ```
//! use cdr_core::model::TerminationRate;
//! use cdr_core::money::Money;
//! use cdr_core::rating::{longest_prefix, DialedNumber, Pricing};
//!
//! let rates = [
//!     TerminationRate { destination: "Canada".into(), prefix: "1".into(), increment: 6,
//!         rate: Money::parse("0.01").unwrap() },
//!     TerminationRate { destination: "Canada - 418 Quebec City".into(), prefix: "1418".into(),
//!         increment: 6, rate: Money::parse("0.009").unwrap() },
//! ];
//! let number = DialedNumber::parse("+1 (418) 555-0100").unwrap();
//! let i = longest_prefix(number.digits(), &rates).unwrap();
//! assert_eq!(rates[i].prefix, "1418");
//! // 27 s at 6 s increments is billed as 30 s: half a minute.
//! let price = Pricing::new(27, rates[i].increment, rates[i].rate);
//! assert_eq!((price.billed_seconds, price.cost.unwrap().to_string().as_str()), (30, "0.00450000"));
//! ```

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{HashMap, VecDeque};

use crate::billing::{billed_seconds, charge};
use crate::display;
use crate::export::write_csv;
use crate::model::{parse_hms, CdrRow, RateRow, TerminationRate};
use crate::money::{Computed, Money, UNITS_PER_DOLLAR};
use crate::table::SortDir;

/// The most digits a dialled number may hold: E.164 allows 15, plus the 3 of `011`.
pub const MAX_DIGITS: usize = 18;

/// The increment assumed when the rate deck says nothing: the service's usual 6 seconds.
pub const DEFAULT_INCREMENT: u32 = 6;

/// The largest difference between two totals that rounding to 8 decimals explains.
pub const ROUNDING_TOLERANCE: Money = Money::from_units(1);

// ---------------------------------------------------------------------------------------
// Dialled numbers

/// Why a text is not a dialled number; the message is a sentence for beside the field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DialError {
    /// Nothing was typed.
    #[error("Enter a number to rate, such as +1 418 555 0100.")]
    Empty,
    /// A character that is neither a digit nor one of `+ ( ) - .` and spaces.
    #[error("“{0}” cannot be part of a phone number: use digits, with + ( ) - . and spaces if you like.")]
    Invalid(char),
    /// A `+` anywhere but before the first digit.
    #[error("A + may only begin the number.")]
    MisplacedPlus,
    /// Only separators, no digit.
    #[error("The number has no digits.")]
    NoDigits,
    /// More digits than any phone number has.
    #[error("A phone number has at most 18 digits; this one has {0}.")]
    TooLong(usize),
}

/// How a dialled number gave its country code, which says how sure the code is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// After a `+`: the digits are as written.
    Plus,
    /// After an international prefix, `011` (North America) or `00` (most other countries).
    InternationalPrefix,
    /// Ten digits, first digit 2 to 9: a North American number, given the country code `1`.
    NorthAmerican,
    /// None of these: the digits as written, taken to begin with a country code.
    Bare,
}

/// A dialled number reduced to the digits that rate prefixes are written in: the country
/// code first, no `+`, `011` or `00`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DialedNumber {
    digits: String,
    written: Written,
}

impl DialedNumber {
    /// Reads a number as people write it: `+1 (418) 555-0100`, `418.555.0100`,
    /// `011 52 55 1234 5678`, `00 44 20 7946 0000`, `+44 (0)20 7946 0000`.
    ///
    /// Digits are kept and `+`, spaces, dashes, parentheses and dots are ignored; anything
    /// else is refused rather than guessed at. A `(0)` after the first digit is dropped: it
    /// is the trunk prefix that European numbers show beside their country code, and is not
    /// dialled from abroad. Then North American dialling is undone, since that is how
    /// VoIP.ms numbers are dialled and how CDR destinations are written: a number with a `+`
    /// is taken as international; otherwise a leading `011` (the international access code)
    /// or `00` (the one most other countries use; no North American number starts with 0)
    /// is dropped, and a 10-digit national number (first digit 2 to 9) gets the country
    /// code `1`.
    pub fn parse(text: &str) -> Result<DialedNumber, DialError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(DialError::Empty);
        }
        let mut digits = String::with_capacity(text.len());
        let mut plus = false;
        let mut chars = text.char_indices();
        while let Some((i, c)) = chars.next() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if digits.is_empty() && !plus => plus = true,
                '+' => return Err(DialError::MisplacedPlus),
                '(' if !digits.is_empty() && text[i..].starts_with("(0)") => {
                    chars.nth(1);
                }
                '(' | ')' | '-' | '.' => {}
                c if c.is_whitespace() => {}
                c => return Err(DialError::Invalid(c)),
            }
        }
        if digits.len() > MAX_DIGITS {
            return Err(DialError::TooLong(digits.len()));
        }
        let mut written = Written::Bare;
        if plus {
            written = Written::Plus;
        } else if let Some(rest) = digits.strip_prefix("011").or(digits.strip_prefix("00")) {
            digits = rest.to_owned();
            written = Written::InternationalPrefix;
        } else if digits.len() == 10 && !digits.starts_with(['0', '1']) {
            digits.insert(0, '1');
            written = Written::NorthAmerican;
        }
        if digits.is_empty() {
            return Err(DialError::NoDigits);
        }
        Ok(DialedNumber { digits, written })
    }

    /// The digits, country code first, e.g. `14185550100`.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// How the number gave its country code.
    pub fn written(&self) -> Written {
        self.written
    }
}

/// Reads a call length: whole seconds (`27`), or `MM:SS` / `HH:MM:SS`.
///
/// The error is a sentence for beside the field.
pub fn parse_call_length(text: &str) -> Result<u32, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("Enter the call length in seconds, such as 27.".to_owned());
    }
    parse_hms(t).ok_or_else(|| {
        format!("“{t}” is not a call length: enter whole seconds, such as 27, or minutes as 4:30.")
    })
}

// ---------------------------------------------------------------------------------------
// Matching and pricing

/// A rate with a dialling prefix: a row of getRates or getTerminationRates.
pub trait Prefixed {
    /// The prefix, e.g. `1418`.
    fn prefix(&self) -> &str;
    /// The destination's name, e.g. `Canada - 418 Quebec City`.
    fn destination(&self) -> &str;
}

impl Prefixed for RateRow {
    fn prefix(&self) -> &str {
        &self.prefix
    }
    fn destination(&self) -> &str {
        &self.destination
    }
}

impl Prefixed for TerminationRate {
    fn prefix(&self) -> &str {
        &self.prefix
    }
    fn destination(&self) -> &str {
        &self.destination
    }
}

/// A prefix as digits: padding and a leading `+` are not part of it.
fn clean_prefix(prefix: &str) -> &str {
    prefix.trim().trim_start_matches('+')
}

/// The position of the rate whose prefix is the longest one that `digits` starts with.
///
/// When the same prefix appears twice (a deck can list a destination under two names), the
/// first wins: the API's own order is the only tie-break that does not invent a rule.
/// An empty prefix matches nothing, so that a row with its prefix missing cannot price
/// every number.
pub fn longest_prefix<T: Prefixed>(digits: &str, rates: &[T]) -> Option<usize> {
    let mut best: Option<(usize, usize)> = None;
    for (i, r) in rates.iter().enumerate() {
        let p = clean_prefix(r.prefix());
        if !p.is_empty() && digits.starts_with(p) && best.is_none_or(|(_, len)| p.len() > len) {
            best = Some((i, p.len()));
        }
    }
    best.map(|(i, _)| i)
}

/// What a call of some length costs at one rate and increment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pricing {
    /// The per-minute rate.
    pub rate: Money,
    /// The billing increment, in seconds.
    pub increment: u32,
    /// The real length of the call.
    pub seconds: u32,
    /// The length billed: whole increments.
    pub billed_seconds: u32,
    /// The charge, rounded to 8 decimals; nothing for a 0-second call.
    pub cost: Computed,
}

impl Pricing {
    /// The price of `seconds` at `rate` per minute, billed in `increment`s
    /// (see [`crate::billing::charge`]).
    pub fn new(seconds: u32, increment: u32, rate: Money) -> Pricing {
        Pricing {
            rate,
            increment,
            seconds,
            billed_seconds: billed_seconds(seconds, increment),
            cost: charge(seconds, increment, rate),
        }
    }
}

/// One line of a rated number: which tariff, the destination matched, and the price.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuoteLine {
    /// Whose price this is: `Client`, `Real`, or a route name.
    pub label: String,
    /// The destination of the matched rate.
    pub destination: String,
    /// The matched prefix.
    pub prefix: String,
    /// The price of the call.
    pub pricing: Pricing,
}

/// Rates a number against a package's rates: the client's price and the real (reseller's)
/// price of the longest matching prefix; empty when no prefix matches.
pub fn quote_rates(digits: &str, seconds: u32, rates: &[RateRow]) -> Vec<QuoteLine> {
    let Some(r) = longest_prefix(digits, rates).map(|i| &rates[i]) else {
        return Vec::new();
    };
    let line = |label: &str, increment, rate| QuoteLine {
        label: label.to_owned(),
        destination: r.destination.clone(),
        prefix: r.prefix.clone(),
        pricing: Pricing::new(seconds, increment, rate),
    };
    vec![
        line("Client", r.client_increment, r.client_rate),
        line("Real", r.real_increment, r.real_rate),
    ]
}

/// Rates a number against one route's termination rates, labelled with the route's name;
/// `None` when no prefix matches.
pub fn quote_termination(
    digits: &str,
    seconds: u32,
    label: &str,
    rates: &[TerminationRate],
) -> Option<QuoteLine> {
    let r = &rates[longest_prefix(digits, rates)?];
    Some(QuoteLine {
        label: label.to_owned(),
        destination: r.destination.clone(),
        prefix: r.prefix.clone(),
        pricing: Pricing::new(seconds, r.increment, r.rate),
    })
}

// ---------------------------------------------------------------------------------------
// Margins

/// What a reseller keeps per minute on a destination: the client rate minus the real rate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Margin {
    /// Client rate minus real rate, per minute (negative when selling at a loss).
    pub per_minute: Computed,
    /// The margin in hundredths of a percent of the client rate (`3500` is 35.00 %), rounded
    /// half away from zero; `None` when the client rate is 0, where a percentage means nothing
    /// (or for amounts too large to divide exactly, beyond $4 million a minute).
    pub percent_hundredths: Option<i64>,
}

/// The margin of a client rate over a real rate. Increments are not part of it: both rates
/// are per minute, whatever they are billed in.
pub fn margin(client_rate: Money, real_rate: Money) -> Margin {
    let per_minute = client_rate.checked_sub(real_rate);
    // i64 rather than i128: 128-bit division would add its runtime routine to the browser
    // bundle, and only margins beyond $4 million a minute overflow (they get no percentage).
    let percent_hundredths = (!client_rate.is_zero())
        .then(|| {
            let per_minute = per_minute.ok()?;
            let num = per_minute.units().checked_abs()?.checked_mul(20_000)?;
            let den = client_rate.units().checked_abs()?.checked_mul(2)?;
            // Round the magnitude half up, then give it the quotient's sign: half away from zero.
            let q = (num.checked_add(den / 2)?) / den;
            Some(q * per_minute.units().signum() * client_rate.units().signum())
        })
        .flatten();
    Margin {
        per_minute,
        percent_hundredths,
    }
}

impl RateRow {
    /// This rate's margin: client minus real, per minute.
    pub fn margin(&self) -> Margin {
        margin(self.client_rate, self.real_rate)
    }
}

/// `3500` → `35.00%`, `-1250` → `-12.50%`; `—` when there is no percentage.
pub fn format_percent(hundredths: Option<i64>) -> String {
    let Some(h) = hundredths else {
        return "—".to_owned();
    };
    let sign = if h < 0 { "-" } else { "" };
    let abs = h.unsigned_abs();
    format!("{sign}{}.{:02}%", abs / 100, abs % 100)
}

/// A rate or a small amount for people: `$0.0052`, `$0.00234`, `-$0.0150`.
///
/// At least four decimals and at most eight, trailing zeros beyond the fourth dropped: it is
/// exact, unlike [`display::money`], because rates and per-call costs live in the fifth to
/// eighth decimals.
pub fn amount(m: Money) -> String {
    let units = m.units();
    let sign = if units < 0 { "-" } else { "" };
    let abs = units.unsigned_abs();
    let per = UNITS_PER_DOLLAR as u64;
    let frac = format!("{:08}", abs % per);
    let keep = frac.trim_end_matches('0').len().max(4);
    format!("{sign}${}.{}", display::count(abs / per), &frac[..keep])
}

/// [`amount`] of a computed amount, or says that it is too large to compute.
pub fn computed_amount(c: Computed) -> String {
    c.map_or_else(|e| e.to_string(), amount)
}

/// A computed amount for a CSV cell: 8 decimals, or `overflow`, which no spreadsheet reads as
/// a number (a wrapped figure would be read as one).
pub fn computed_csv(c: Computed) -> String {
    c.map_or_else(|_| "overflow".to_owned(), |m| m.to_string())
}

// ---------------------------------------------------------------------------------------
// The rates table

/// A column of the Rates table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RateColumn {
    /// Destination name.
    Destination,
    /// Dialling prefix.
    Prefix,
    /// Client billing increment.
    ClientIncrement,
    /// Client per-minute rate.
    ClientRate,
    /// Real (reseller's) billing increment.
    RealIncrement,
    /// Real per-minute rate.
    RealRate,
    /// Client minus real, per minute.
    Margin,
    /// Margin as a percentage of the client rate.
    MarginPercent,
}

impl RateColumn {
    /// Every column, in the table's order.
    pub const ALL: [RateColumn; 8] = [
        RateColumn::Destination,
        RateColumn::Prefix,
        RateColumn::ClientIncrement,
        RateColumn::ClientRate,
        RateColumn::RealIncrement,
        RateColumn::RealRate,
        RateColumn::Margin,
        RateColumn::MarginPercent,
    ];

    /// The header for people.
    pub fn label(self) -> &'static str {
        match self {
            RateColumn::Destination => "Destination",
            RateColumn::Prefix => "Prefix",
            RateColumn::ClientIncrement => "Client increment",
            RateColumn::ClientRate => "Client rate",
            RateColumn::RealIncrement => "Real increment",
            RateColumn::RealRate => "Real rate",
            RateColumn::Margin => "Margin",
            RateColumn::MarginPercent => "Margin %",
        }
    }

    /// Whether the column holds numbers (right-aligned, largest-first on a first click is
    /// not assumed: every column sorts ascending first).
    pub fn is_numeric(self) -> bool {
        !matches!(self, RateColumn::Destination | RateColumn::Prefix)
    }

    /// The cell as shown on screen.
    pub fn cell(self, r: &RateRow) -> String {
        match self {
            RateColumn::Destination => r.destination.clone(),
            RateColumn::Prefix => r.prefix.clone(),
            RateColumn::ClientIncrement => format!("{} s", r.client_increment),
            RateColumn::ClientRate => amount(r.client_rate),
            RateColumn::RealIncrement => format!("{} s", r.real_increment),
            RateColumn::RealRate => amount(r.real_rate),
            RateColumn::Margin => computed_amount(r.margin().per_minute),
            RateColumn::MarginPercent => format_percent(r.margin().percent_hundredths),
        }
    }

    fn compare(self, a: &RateRow, b: &RateRow) -> Ordering {
        match self {
            RateColumn::Destination => a.destination.cmp(&b.destination),
            RateColumn::Prefix => a.prefix.cmp(&b.prefix),
            RateColumn::ClientIncrement => a.client_increment.cmp(&b.client_increment),
            RateColumn::ClientRate => a.client_rate.cmp(&b.client_rate),
            RateColumn::RealIncrement => a.real_increment.cmp(&b.real_increment),
            RateColumn::RealRate => a.real_rate.cmp(&b.real_rate),
            RateColumn::Margin => a.margin().per_minute.cmp(&b.margin().per_minute),
            RateColumn::MarginPercent => a
                .margin()
                .percent_hundredths
                .cmp(&b.margin().percent_hundredths),
        }
    }
}

/// The order in which to show `rates` sorted by `column`: positions into `rates`. Stable, so
/// rows that compare equal keep the API's order whichever the direction.
pub fn sort_rates(rates: &[RateRow], column: RateColumn, dir: SortDir) -> Vec<usize> {
    crate::table::order_by(rates.len(), &|a, b| {
        let o = column.compare(&rates[a], &rates[b]);
        match dir {
            SortDir::Asc => o,
            SortDir::Desc => o.reverse(),
        }
    })
}

/// The CSV of the rates shown, in `order`: exact amounts with 8 decimals, increments in
/// seconds, and the margin percentage as a plain number (empty when the client rate is 0).
pub fn rates_csv(rates: &[RateRow], order: &[usize]) -> Vec<u8> {
    let headers = [
        "Destination",
        "Prefix",
        "Client increment (s)",
        "Client rate",
        "Real increment (s)",
        "Real rate",
        "Margin per minute",
        "Margin (% of client rate)",
    ]
    .map(str::to_owned);
    write_csv(
        &headers,
        order.iter().map(|&i| {
            let r = &rates[i];
            let m = r.margin();
            let percent = m
                .percent_hundredths
                .map(|h| format_percent(Some(h)).trim_end_matches('%').to_owned())
                .unwrap_or_default();
            [
                Cow::Borrowed(r.destination.as_str()),
                Cow::Borrowed(r.prefix.as_str()),
                Cow::Owned(r.client_increment.to_string()),
                Cow::Owned(r.client_rate.to_string()),
                Cow::Owned(r.real_increment.to_string()),
                Cow::Owned(r.real_rate.to_string()),
                Cow::Owned(computed_csv(m.per_minute)),
                Cow::Owned(percent),
            ]
        }),
    )
}

// ---------------------------------------------------------------------------------------
// Two routes side by side

/// One route's terms for a prefix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RouteTerms {
    /// Billing increment in seconds.
    pub increment: u32,
    /// Per-minute rate.
    pub rate: Money,
}

/// A prefix on two routes, either of which may lack it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RouteComparison {
    /// The destination's name (the first route's, when both have it).
    pub destination: String,
    /// The prefix both are joined on.
    pub prefix: String,
    /// The first route's terms.
    pub left: Option<RouteTerms>,
    /// The second route's terms.
    pub right: Option<RouteTerms>,
}

impl RouteComparison {
    /// The second route's rate minus the first's, when both have the prefix.
    pub fn difference(&self) -> Option<Computed> {
        Some(self.right?.rate.checked_sub(self.left?.rate))
    }
}

/// Joins two routes' rates on their prefix: the first route's rows in its order, each with
/// the second route's row of the same prefix, then the second route's rows that found no
/// partner. A prefix listed twice on both sides pairs first with first, second with second.
pub fn compare_routes(left: &[TerminationRate], right: &[TerminationRate]) -> Vec<RouteComparison> {
    let terms = |r: &TerminationRate| RouteTerms {
        increment: r.increment,
        rate: r.rate,
    };
    // The second route's rows by prefix, each prefix's rows in order: one pass over each
    // side, where a search of the other side per row would be quadratic in a hostile answer.
    let mut by_prefix: HashMap<&str, VecDeque<usize>> = HashMap::new();
    for (j, r) in right.iter().enumerate() {
        by_prefix
            .entry(clean_prefix(&r.prefix))
            .or_default()
            .push_back(j);
    }
    let mut used = vec![false; right.len()];
    let mut out = Vec::with_capacity(left.len().max(right.len()));
    for l in left {
        let partner = by_prefix
            .get_mut(clean_prefix(&l.prefix))
            .and_then(VecDeque::pop_front);
        if let Some(j) = partner {
            used[j] = true;
        }
        out.push(RouteComparison {
            destination: l.destination.clone(),
            prefix: l.prefix.clone(),
            left: Some(terms(l)),
            right: partner.map(|j| terms(&right[j])),
        });
    }
    for (r, _) in right.iter().zip(&used).filter(|(_, u)| !**u) {
        out.push(RouteComparison {
            destination: r.destination.clone(),
            prefix: r.prefix.clone(),
            left: None,
            right: Some(terms(r)),
        });
    }
    out
}

// ---------------------------------------------------------------------------------------
// Explain a charge

/// Which way a call went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// A call received on a DID.
    Inbound,
    /// A call placed to a destination of the rate deck.
    Outbound,
}

/// The direction of a CDR row: inbound when its description says `Inbound…` or its
/// destination type is `IN:…`, as the service writes them; outbound otherwise.
pub fn direction(row: &CdrRow) -> Direction {
    let starts = |text: &str, with: &str| {
        text.trim()
            .get(..with.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(with))
    };
    let typed_in = row
        .destination_type
        .as_deref()
        .is_some_and(|t| starts(t, "IN:"));
    if starts(&row.description, "Inbound") || typed_in {
        Direction::Inbound
    } else {
        Direction::Outbound
    }
}

/// The getRates `query` that finds the rates able to price an outbound row, or `None` when
/// there is nothing to look up (an inbound call, or a destination that is not a number).
///
/// The query is the first digit of the number, country code first. With the digit matching
/// the simulator documents (a digit query matches the start of a prefix; the live service's
/// behaviour is unsure), that returns every prefix the number could start with, in one
/// request: a query of all the digits would only find prefixes at least as long as the
/// number itself.
pub fn rate_lookup_query(row: &CdrRow) -> Option<String> {
    if direction(row) == Direction::Inbound {
        return None;
    }
    let number = DialedNumber::parse(&row.destination).ok()?;
    number.digits().get(..1).map(str::to_owned)
}

/// Where the increment of an explanation came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IncrementSource {
    /// The rate of the longest matching prefix in the package.
    Matched {
        /// The matched destination's name.
        destination: String,
        /// The matched prefix.
        prefix: String,
    },
    /// No rate of the package matched: [`DEFAULT_INCREMENT`] assumed.
    NotFound,
    /// An inbound call, which the rate deck (outbound destinations) does not list:
    /// [`DEFAULT_INCREMENT`] assumed.
    Inbound,
}

/// Where the rate of an explanation came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateSource {
    /// The `rate` the API returned with the call (getCDR).
    Cdr,
    /// getResellerCDR sends no rate: the client rate of the matched prefix.
    Matched,
    /// getResellerCDR sends no rate and nothing matched.
    Unknown,
}

/// How the total of one call comes about, recomputed with the increment rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChargeExplanation {
    /// The real length of the call.
    pub seconds: u32,
    /// The length billed: whole increments.
    pub billed_seconds: u32,
    /// The increment applied, in seconds.
    pub increment: u32,
    /// Where the increment came from.
    pub increment_source: IncrementSource,
    /// The per-minute rate applied, when known.
    pub rate: Option<Money>,
    /// Where the rate came from.
    pub rate_source: RateSource,
    /// The total the rule gives; `None` when the rate is unknown and the call lasted.
    pub recomputed: Option<Computed>,
    /// The total the API returned.
    pub api_total: Money,
    /// The API's total minus the recomputed one.
    pub difference: Option<Computed>,
    /// Whether the difference is more than rounding ([`ROUNDING_TOLERANCE`]) explains.
    pub flagged: bool,
}

/// Explains the total of `row` with `rates`, the package's rates fetched with
/// [`rate_lookup_query`] (empty when none were fetched or none matched).
///
/// - The increment is the matched rate's: the real increment for the account's own calls
///   (getCDR, which sends a rate), the client increment for a reseller client's calls
///   (getResellerCDR, which does not). Inbound calls and unmatched numbers get
///   [`DEFAULT_INCREMENT`].
/// - The rate is the row's own when sent; otherwise the matched client rate, for outbound
///   calls only (an inbound reseller call's DID rate is nowhere in the deck).
/// - A call of 0 seconds costs nothing whatever the rate, so it is always recomputed.
pub fn explain_charge(row: &CdrRow, rates: &[RateRow]) -> ChargeExplanation {
    let reseller = row.rate.is_none();
    let dir = direction(row);
    let matched = match dir {
        Direction::Inbound => None,
        Direction::Outbound => DialedNumber::parse(&row.destination)
            .ok()
            .and_then(|n| longest_prefix(n.digits(), rates))
            .map(|i| &rates[i]),
    };
    let (increment, increment_source) = match (dir, matched) {
        (Direction::Inbound, _) => (DEFAULT_INCREMENT, IncrementSource::Inbound),
        (Direction::Outbound, None) => (DEFAULT_INCREMENT, IncrementSource::NotFound),
        (Direction::Outbound, Some(r)) => (
            if reseller {
                r.client_increment
            } else {
                r.real_increment
            },
            IncrementSource::Matched {
                destination: r.destination.clone(),
                prefix: r.prefix.clone(),
            },
        ),
    };
    let (rate, rate_source) = match (row.rate, matched) {
        (Some(rate), _) => (Some(rate), RateSource::Cdr),
        (None, Some(r)) => (Some(r.client_rate), RateSource::Matched),
        (None, None) => (None, RateSource::Unknown),
    };
    let recomputed = if row.seconds == 0 {
        Some(Ok(Money::ZERO))
    } else {
        rate.map(|r| charge(row.seconds, increment, r))
    };
    let difference = recomputed.map(|c| c.and_then(|c| row.total.checked_sub(c)));
    ChargeExplanation {
        seconds: row.seconds,
        billed_seconds: billed_seconds(row.seconds, increment),
        increment,
        increment_source,
        rate,
        rate_source,
        recomputed,
        api_total: row.total,
        difference,
        // An overflow is flagged too: no rounding explains it.
        flagged: difference.is_some_and(|d| {
            d.map_or(true, |d| {
                d.units().unsigned_abs() > ROUNDING_TOLERANCE.units().unsigned_abs()
            })
        }),
    }
}

impl ChargeExplanation {
    /// The figures of the charge, each with its label, in reading order.
    pub fn facts(&self) -> Vec<(&'static str, String)> {
        let or_dash = |m: Option<Computed>| m.map_or_else(|| "—".to_owned(), computed_amount);
        vec![
            ("Seconds", format!("{} s", self.seconds)),
            ("Increment", format!("{} s", self.increment)),
            ("Billed seconds", format!("{} s", self.billed_seconds)),
            (
                "Rate per minute",
                self.rate.map_or_else(|| "not sent".to_owned(), amount),
            ),
            ("Recomputed total", or_dash(self.recomputed)),
            ("Total from the API", amount(self.api_total)),
            ("Difference", or_dash(self.difference)),
        ]
    }

    /// Sentences saying where the increment and the rate came from.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::with_capacity(3);
        notes.push(match &self.increment_source {
            IncrementSource::Matched {
                destination,
                prefix,
            } => format!(
                "The {} s increment is the package's for {destination} (prefix {prefix}), the longest prefix that matches the number.",
                self.increment
            ),
            IncrementSource::NotFound => format!(
                "No rate of the package matches this number, so the usual {DEFAULT_INCREMENT} s increment is assumed."
            ),
            IncrementSource::Inbound => format!(
                "Inbound calls are not in the rate deck, which lists outbound destinations, so the usual {DEFAULT_INCREMENT} s increment is assumed."
            ),
        });
        notes.push(
            match self.rate_source {
                RateSource::Cdr if self.rate.is_some_and(Money::is_zero) => {
                    "The rate the API returned with the call is 0: the call is free."
                }
                RateSource::Cdr => "The rate is the one the API returned with the call.",
                RateSource::Matched => {
                    "The rate is not sent for reseller calls, so the client rate of the matched prefix is used."
                }
                RateSource::Unknown => {
                    "The rate is not sent for reseller calls, and no rate of the package applies to this call."
                }
            }
            .to_owned(),
        );
        if self.seconds == 0 {
            notes.push("A call of 0 seconds costs nothing.".to_owned());
        }
        notes
    }

    /// One sentence: whether the API's total is what the increment rule gives.
    pub fn verdict(&self) -> String {
        match self.difference {
            None => "Without a rate, the charge cannot be recomputed.".to_owned(),
            Some(Err(_)) => {
                "The figures of this call are too large to recompute its charge: check the rate and the total with VoIP.ms.".to_owned()
            }
            Some(Ok(d)) if self.flagged => format!(
                "The API's total differs from the recomputed total by {}: more than rounding explains.",
                amount(d)
            ),
            Some(Ok(d)) if d.is_zero() => "The recomputed total equals the API's total.".to_owned(),
            Some(_) => {
                "The recomputed total equals the API's total to within rounding (0.00000001)."
                    .to_owned()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Disposition;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    fn rate(destination: &str, prefix: &str, client: (u32, &str), real: (u32, &str)) -> RateRow {
        RateRow {
            destination: destination.into(),
            prefix: prefix.into(),
            client_increment: client.0,
            client_rate: m(client.1),
            real_increment: real.0,
            real_rate: m(real.1),
        }
    }

    fn term(destination: &str, prefix: &str, increment: u32, r: &str) -> TerminationRate {
        TerminationRate {
            destination: destination.into(),
            prefix: prefix.into(),
            increment,
            rate: m(r),
        }
    }

    /// A deck shaped like the seed's and the simulator's: overlapping prefixes, Mexico at
    /// 60 s, and one prefix listed twice.
    fn deck() -> Vec<RateRow> {
        vec![
            rate(
                "Canada - 418 Quebec City",
                "1418",
                (60, "0.015"),
                (6, "0.0052"),
            ),
            rate(
                "Canada - 581 Quebec City",
                "1581",
                (60, "0.015"),
                (6, "0.0052"),
            ),
            rate("USA", "1", (6, "0.02"), (6, "0.0085")),
            rate("Mexico", "52", (60, "0.025"), (60, "0.015")),
            rate("Mexico - Mexico City", "5255", (60, "0.019"), (60, "0.009")),
            rate("Mexico - Mobile", "521", (60, "0.038"), (60, "0.028")),
            rate("France - Mobile", "336", (6, "0.04"), (6, "0.03")),
            rate(
                "France - Mobile (duplicate)",
                "336",
                (6, "0.05"),
                (6, "0.03"),
            ),
            rate("No prefix", "", (6, "9"), (6, "9")),
            rate("Free", "800", (6, "0"), (6, "0")),
        ]
    }

    #[test]
    fn dialled_numbers_table() {
        // (typed, digits or error)
        let cases: &[(&str, Result<&str, DialError>)] = &[
            ("+1 (418) 555-0100", Ok("14185550100")),
            ("418.555.0100", Ok("14185550100")), // 10 digits: NANP, country code added
            ("(418) 555 0100", Ok("14185550100")),
            ("14185550100", Ok("14185550100")),
            ("011 52 55 1234 5678", Ok("525512345678")), // international access code dropped
            ("+52 55 1234 5678", Ok("525512345678")),
            ("+0114185550100", Ok("0114185550100")), // with +, the digits are as written
            ("+4185550100", Ok("4185550100")),       // with +, no NANP guess
            ("0185550100", Ok("0185550100")),        // 10 digits starting 0: not NANP
            ("  5551234  ", Ok("5551234")),
            ("\t+1\u{a0}418-555-0100 ", Ok("14185550100")),
            ("", Err(DialError::Empty)),
            ("   ", Err(DialError::Empty)),
            ("418-555-CALL", Err(DialError::Invalid('C'))),
            ("418/555", Err(DialError::Invalid('/'))),
            ("1+418", Err(DialError::MisplacedPlus)),
            ("++1418", Err(DialError::MisplacedPlus)),
            ("(+)", Err(DialError::NoDigits)),
            ("011", Err(DialError::NoDigits)),
            ("00 44 20 7946 0000", Ok("442079460000")), // the rest of the world's prefix
            ("0011 44", Ok("1144")), // 00 then 11: Australia's 0011 is not undone
            ("00", Err(DialError::NoDigits)),
            ("+44 (0)20 7946 0000", Ok("442079460000")), // the trunk 0 is not dialled
            ("(0)20 7946 0000", Ok("02079460000")),      // before any digit it is the number's
            ("+33 (0) 1 23", Ok("33123")),
            ("1234567890123456789", Err(DialError::TooLong(19))),
        ];
        for (typed, expected) in cases {
            let got = DialedNumber::parse(typed);
            match expected {
                Ok(digits) => assert_eq!(
                    got.map(|n| n.digits().to_owned()).as_deref(),
                    Ok(*digits),
                    "{typed:?}"
                ),
                Err(e) => assert_eq!(got.as_ref().err(), Some(e), "{typed:?}"),
            }
        }
        assert!(DialError::Invalid('x').to_string().ends_with('.'));
    }

    #[test]
    fn longest_prefix_table() {
        let deck = deck();
        // (digits, expected destination or None)
        let cases: &[(&str, Option<&str>)] = &[
            ("14185550100", Some("Canada - 418 Quebec City")), // 1418 beats 1
            ("15815550100", Some("Canada - 581 Quebec City")),
            ("12125550100", Some("USA")), // only the short prefix
            ("525512345678", Some("Mexico - Mexico City")), // 5255 beats 52
            ("521234567890", Some("Mexico - Mobile")),
            ("523312345678", Some("Mexico")),
            ("33612345678", Some("France - Mobile")), // the same prefix twice: the first
            ("4420712345", None),                     // no match (and "" matches nothing)
            ("8005550100", Some("Free")),
            ("1", Some("USA")),   // exactly the prefix
            ("141", Some("USA")), // shorter than 1418: 1418 cannot match
            ("", None),
        ];
        for (digits, expected) in cases {
            let got = longest_prefix(digits, &deck).map(|i| deck[i].destination.as_str());
            assert_eq!(got, *expected, "{digits}");
        }
        assert_eq!(longest_prefix::<RateRow>("14185550100", &[]), None);
        // A padded or `+` prefix still matches.
        let padded = [term("UK", " +44 ", 6, "0.01")];
        assert_eq!(longest_prefix("442071234567", &padded), Some(0));
    }

    #[test]
    fn call_lengths() {
        assert_eq!(parse_call_length("27"), Ok(27));
        assert_eq!(parse_call_length(" 0 "), Ok(0));
        assert_eq!(parse_call_length("4:30"), Ok(270));
        assert_eq!(parse_call_length("01:00:00"), Ok(3600));
        for bad in ["", "  ", "-5", "2.5", "ten", "1:2:3:4"] {
            let err = parse_call_length(bad).unwrap_err();
            assert!(err.ends_with('.'), "{bad:?}: {err}");
        }
    }

    #[test]
    fn quotes_table() {
        let deck = deck();
        // (number, seconds, [(label, prefix, billed, cost)])
        /// (label, prefix, billed seconds, cost)
        type Line = (&'static str, &'static str, u32, &'static str);
        let cases: &[(&str, u32, &[Line])] = &[
            // 27 s: the client is billed a whole minute (60 s), the reseller 30 s (6 s).
            (
                "+1 (418) 555-0100",
                27,
                &[
                    ("Client", "1418", 60, "0.01500000"),
                    ("Real", "1418", 30, "0.00260000"),
                ],
            ),
            // Mexico bills whole minutes on both sides: 61 s is two minutes.
            (
                "011 52 55 1234 5678",
                61,
                &[
                    ("Client", "5255", 120, "0.03800000"),
                    ("Real", "5255", 120, "0.01800000"),
                ],
            ),
            // Exactly one minute stays one minute.
            (
                "+52 1 234 567 8901",
                60,
                &[
                    ("Client", "521", 60, "0.03800000"),
                    ("Real", "521", 60, "0.02800000"),
                ],
            ),
            // A 0-second call costs nothing at any rate.
            (
                "+52 55 1234 5678",
                0,
                &[
                    ("Client", "5255", 0, "0.00000000"),
                    ("Real", "5255", 0, "0.00000000"),
                ],
            ),
            // A 7-second call at 6 s increments is billed 12 s.
            (
                "212 555 0100",
                7,
                &[
                    ("Client", "1", 12, "0.00400000"),
                    ("Real", "1", 12, "0.00170000"),
                ],
            ),
            // No prefix matches: no lines.
            ("+44 20 7946 0000", 60, &[]),
        ];
        for (number, seconds, expected) in cases {
            let n = DialedNumber::parse(number).unwrap();
            let lines = quote_rates(n.digits(), *seconds, &deck);
            let got: Vec<(&str, &str, u32, String)> = lines
                .iter()
                .map(|l| {
                    (
                        l.label.as_str(),
                        l.prefix.as_str(),
                        l.pricing.billed_seconds,
                        computed_csv(l.pricing.cost),
                    )
                })
                .collect();
            let want: Vec<(&str, &str, u32, String)> = expected
                .iter()
                .map(|(l, p, b, c)| (*l, *p, *b, (*c).to_owned()))
                .collect();
            assert_eq!(got, want, "{number} for {seconds} s");
        }

        let route = [
            term("Mexico", "52", 60, "0.0150"),
            term("Mexico - Mexico City", "5255", 60, "0.0090"),
        ];
        let line = quote_termination("525512345678", 27, "Value", &route).unwrap();
        assert_eq!(line.label, "Value");
        assert_eq!(line.destination, "Mexico - Mexico City");
        assert_eq!(
            line.pricing,
            Pricing {
                rate: m("0.009"),
                increment: 60,
                seconds: 27,
                billed_seconds: 60,
                cost: Ok(m("0.009")),
            }
        );
        assert_eq!(quote_termination("4420", 27, "Value", &route), None);
    }

    #[test]
    fn margins_table() {
        // (client, real, per minute, percent hundredths)
        let cases: &[(&str, &str, &str, Option<i64>)] = &[
            ("0.015", "0.0052", "0.00980000", Some(6533)), // 65.333… %
            ("0.02", "0.01", "0.01000000", Some(5000)),
            ("0.0150", "0.0150", "0.00000000", Some(0)),
            ("0.01", "0.02", "-0.01000000", Some(-10000)), // selling at a loss
            ("0.03", "0.02", "0.01000000", Some(3333)),    // 33.333… rounds down
            ("0.06", "0.02", "0.04000000", Some(6667)),    // 66.666… rounds up
            ("0.00000003", "0.00000002", "0.00000001", Some(3333)),
            ("0", "0.0052", "-0.00520000", None), // client rate 0: no percentage
            ("0", "0", "0.00000000", None),
        ];
        for (client, real, per_minute, percent) in cases {
            let got = margin(m(client), m(real));
            assert_eq!(
                computed_csv(got.per_minute),
                *per_minute,
                "{client} - {real}"
            );
            assert_eq!(got.percent_hundredths, *percent, "{client} - {real}");
        }
        // Rounding is symmetric: -33.335 % rounds away from zero like +33.335 %.
        assert_eq!(margin(m("2"), m("2.6667")).percent_hundredths, Some(-3334));
        assert_eq!(margin(m("2"), m("1.3333")).percent_hundredths, Some(3334));
        // A negative client rate (a credit) keeps the quotient's sign and the same rounding.
        assert_eq!(
            margin(m("-2"), m("-2.6667")).percent_hundredths,
            Some(-3334)
        );
        assert_eq!(margin(m("-2"), m("-1.3333")).percent_hundredths, Some(3334));
        // Absurd amounts get no percentage rather than a wrong one.
        let huge = Money::from_units(i64::MAX / 2);
        let minus_huge = Money::from_units(-(i64::MAX / 2));
        assert_eq!(margin(huge, minus_huge).percent_hundredths, None);
        // Issue 13: a client rate of 92233720368 over a real rate of -92233720368 showed a
        // margin of -1.09551616; it is an overflow the user sees, in the table and the CSV.
        let overflow = margin(m("92233720368"), m("-92233720368"));
        assert_eq!(overflow.per_minute, Err(crate::money::Overflow));
        assert_eq!(overflow.percent_hundredths, None);
        let row = RateRow {
            destination: "X".into(),
            prefix: "1".into(),
            client_increment: 6,
            client_rate: m("92233720368"),
            real_increment: 6,
            real_rate: m("-92233720368"),
        };
        assert_eq!(RateColumn::Margin.cell(&row), "too large to compute");
        let csv = String::from_utf8(rates_csv(std::slice::from_ref(&row), &[0])).unwrap();
        assert!(csv.contains(",overflow,"), "{csv}");
        assert!(!csv.contains("1.09551616"));
        assert_eq!(
            margin(Money::from_units(i64::MIN), Money::ZERO).percent_hundredths,
            None
        );
        assert_eq!(format_percent(Some(6533)), "65.33%");
        assert_eq!(format_percent(Some(-1250)), "-12.50%");
        assert_eq!(format_percent(Some(5)), "0.05%");
        assert_eq!(format_percent(None), "—");
    }

    #[test]
    fn amounts_are_exact() {
        assert_eq!(amount(m("0.0052")), "$0.0052");
        assert_eq!(amount(m("0.015")), "$0.0150");
        assert_eq!(amount(m("0.00234")), "$0.00234");
        assert_eq!(amount(m("0.00000001")), "$0.00000001");
        assert_eq!(amount(Money::ZERO), "$0.0000");
        assert_eq!(amount(m("-0.015")), "-$0.0150");
        assert_eq!(amount(m("1234.5")), "$1,234.5000");
    }

    #[test]
    fn rates_sort_by_any_column_and_stay_stable() {
        let deck = deck();
        let dest = |order: Vec<usize>| -> Vec<String> {
            order.into_iter().map(|i| deck[i].prefix.clone()).collect()
        };
        assert_eq!(
            dest(sort_rates(&deck, RateColumn::Prefix, SortDir::Asc)),
            ["", "1", "1418", "1581", "336", "336", "52", "521", "5255", "800"]
        );
        // Equal margins keep the API's order in both directions.
        let by_margin = sort_rates(&deck, RateColumn::Margin, SortDir::Desc);
        assert_eq!(deck[by_margin[0]].prefix, "336"); // 0.02, the duplicate's margin
        assert_eq!(
            dest(sort_rates(&deck, RateColumn::ClientIncrement, SortDir::Asc))[..4],
            ["1", "336", "336", ""]
        );
        // No percentage (client rate 0) sorts before every percentage.
        let by_percent = sort_rates(&deck, RateColumn::MarginPercent, SortDir::Asc);
        assert_eq!(deck[by_percent[0]].destination, "Free");
        for c in RateColumn::ALL {
            let mut asc = sort_rates(&deck, c, SortDir::Asc);
            assert_eq!(asc.len(), deck.len());
            asc.sort_unstable();
            assert_eq!(asc, (0..deck.len()).collect::<Vec<_>>(), "{c:?}");
            assert!(!c.label().is_empty());
        }
        assert_eq!(RateColumn::Margin.cell(&deck[0]), "$0.0098");
        assert_eq!(RateColumn::MarginPercent.cell(&deck[0]), "65.33%");
        assert_eq!(RateColumn::ClientIncrement.cell(&deck[0]), "60 s");
    }

    #[test]
    fn rates_csv_holds_exact_amounts_in_the_order_shown() {
        let deck = deck();
        let text = String::from_utf8(rates_csv(&deck, &[3, 0, 9])).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(
            lines[0],
            "Destination,Prefix,Client increment (s),Client rate,Real increment (s),Real rate,Margin per minute,Margin (% of client rate)"
        );
        assert_eq!(
            lines[1],
            "Mexico,52,60,0.02500000,60,0.01500000,0.01000000,40.00"
        );
        assert_eq!(
            lines[2],
            "Canada - 418 Quebec City,1418,60,0.01500000,6,0.00520000,0.00980000,65.33"
        );
        assert_eq!(lines[3], "Free,800,6,0.00000000,6,0.00000000,0.00000000,");
        assert_eq!(lines.len(), 5);
        // A negative margin stays a number that a spreadsheet can add up (issue 13).
        let loss = [rate("Loss", "9", (6, "0.01"), (6, "0.02"))];
        let text = String::from_utf8(rates_csv(&loss, &[0])).unwrap();
        assert!(text.contains(",-0.01000000,-100.00\r\n"), "{text}");
    }

    #[test]
    fn routes_join_on_prefix() {
        let value = [
            term("Canada - 418 Quebec City", "1418", 6, "0.0052"),
            term("Mexico", "52", 60, "0.0150"),
            term("France - Mobile", "336", 6, "0.03"),
            term("France - Mobile", "336", 6, "0.031"),
            term("Only on Value", "999", 6, "0.5"),
        ];
        let premium = [
            term("Mexico", "52", 60, "0.0255"),
            term("Canada - 418 Quebec City", "1418", 6, "0.0089"),
            term("France - Mobile", "336", 6, "0.051"),
            term("Only on Premium", "888", 6, "0.7"),
            term("France - Mobile", "336", 6, "0.052"),
        ];
        let rows = compare_routes(&value, &premium);
        type Joined<'a> = (&'a str, Option<String>, Option<String>, Option<String>);
        let got: Vec<Joined> = rows
            .iter()
            .map(|r| {
                (
                    r.prefix.as_str(),
                    r.left.map(|t| t.rate.to_string()),
                    r.right.map(|t| t.rate.to_string()),
                    r.difference().map(computed_csv),
                )
            })
            .collect();
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(
            got,
            vec![
                ("1418", s("0.00520000"), s("0.00890000"), s("0.00370000")),
                ("52", s("0.01500000"), s("0.02550000"), s("0.01050000")),
                ("336", s("0.03000000"), s("0.05100000"), s("0.02100000")),
                ("336", s("0.03100000"), s("0.05200000"), s("0.02100000")),
                ("999", s("0.50000000"), None, None),
                ("888", None, s("0.70000000"), None),
            ]
        );
        assert_eq!(rows[1].left.unwrap().increment, 60);
        assert!(compare_routes(&[], &[]).is_empty());
        assert_eq!(compare_routes(&[], &premium).len(), premium.len());
    }

    fn cdr(
        destination: &str,
        description: &str,
        seconds: u32,
        rate: Option<&str>,
        total: &str,
    ) -> CdrRow {
        CdrRow {
            date: chrono::NaiveDate::from_ymd_opt(2010, 11, 30)
                .unwrap()
                .and_hms_opt(10, 40, 16)
                .unwrap(),
            callerid: "\"Jane Doe\" <5551234567>".into(),
            destination: destination.into(),
            description: description.into(),
            account: "100000_VoIP".into(),
            disposition: if seconds > 0 {
                Disposition::Answered
            } else {
                Disposition::NoAnswer
            },
            seconds,
            rate: rate.map(m),
            total: m(total),
            uniqueid: "128238059".into(),
            destination_type: None,
            call_logs: None,
            ip: None,
            useragent: None,
        }
    }

    #[test]
    fn directions_and_lookup_queries() {
        let out = cdr(
            "4185550100",
            "Outbound - Customer",
            27,
            Some("0.0052"),
            "0.0026",
        );
        assert_eq!(direction(&out), Direction::Outbound);
        assert_eq!(rate_lookup_query(&out).as_deref(), Some("1"));
        let intl = cdr(
            "011525512345678",
            "Outbound - International",
            1,
            Some("0.009"),
            "0.009",
        );
        assert_eq!(rate_lookup_query(&intl).as_deref(), Some("5"));
        let inbound = cdr("5551234567", "Inbound - Local Caller", 11, Some("0"), "0");
        assert_eq!(direction(&inbound), Direction::Inbound);
        assert_eq!(rate_lookup_query(&inbound), None);
        let mut typed = cdr("5551234567", "", 11, Some("0"), "0");
        typed.destination_type = Some("in:USA".into());
        assert_eq!(direction(&typed), Direction::Inbound);
        typed.destination_type = Some("OUT:USA".into());
        assert_eq!(direction(&typed), Direction::Outbound);
        let extension = cdr("*97", "Outbound - Customer", 5, Some("0"), "0");
        assert_eq!(rate_lookup_query(&extension), None);
    }

    #[test]
    fn explanations_table() {
        let deck = deck();
        struct Case {
            what: &'static str,
            row: CdrRow,
            increment: u32,
            source: IncrementSource,
            rate: Option<&'static str>,
            rate_source: RateSource,
            billed: u32,
            recomputed: Option<&'static str>,
            flagged: bool,
        }
        let matched = |d: &str, p: &str| IncrementSource::Matched {
            destination: d.into(),
            prefix: p.into(),
        };
        let cases = [
            Case {
                what: "own call: the real increment (6 s) and the CDR's rate",
                row: cdr(
                    "4185550100",
                    "Outbound - Customer",
                    27,
                    Some("0.0052"),
                    "0.0026",
                ),
                increment: 6,
                source: matched("Canada - 418 Quebec City", "1418"),
                rate: Some("0.0052"),
                rate_source: RateSource::Cdr,
                billed: 30,
                recomputed: Some("0.0026"),
                flagged: false,
            },
            Case {
                what: "own call to Mexico: 60 s increments",
                row: cdr(
                    "011525512345678",
                    "Outbound - International",
                    61,
                    Some("0.009"),
                    "0.018",
                ),
                increment: 60,
                source: matched("Mexico - Mexico City", "5255"),
                rate: Some("0.009"),
                rate_source: RateSource::Cdr,
                billed: 120,
                recomputed: Some("0.018"),
                flagged: false,
            },
            Case {
                what: "reseller call: no rate sent, the client rate and increment",
                row: cdr("4185550100", "Outbound - Customer", 27, None, "0.015"),
                increment: 60,
                source: matched("Canada - 418 Quebec City", "1418"),
                rate: Some("0.015"),
                rate_source: RateSource::Matched,
                billed: 60,
                recomputed: Some("0.015"),
                flagged: false,
            },
            Case {
                what: "a total off by more than rounding is flagged",
                row: cdr(
                    "4185550100",
                    "Outbound - Customer",
                    27,
                    Some("0.0052"),
                    "0.00260002",
                ),
                increment: 6,
                source: matched("Canada - 418 Quebec City", "1418"),
                rate: Some("0.0052"),
                rate_source: RateSource::Cdr,
                billed: 30,
                recomputed: Some("0.0026"),
                flagged: true,
            },
            Case {
                what: "one unit off is rounding",
                row: cdr(
                    "4185550100",
                    "Outbound - Customer",
                    27,
                    Some("0.0052"),
                    "0.00260001",
                ),
                increment: 6,
                source: matched("Canada - 418 Quebec City", "1418"),
                rate: Some("0.0052"),
                rate_source: RateSource::Cdr,
                billed: 30,
                recomputed: Some("0.0026"),
                flagged: false,
            },
            Case {
                what: "no prefix matches: 6 s assumed",
                row: cdr(
                    "011442071234567",
                    "Outbound - International",
                    27,
                    Some("0.01"),
                    "0.005",
                ),
                increment: 6,
                source: IncrementSource::NotFound,
                rate: Some("0.01"),
                rate_source: RateSource::Cdr,
                billed: 30,
                recomputed: Some("0.005"),
                flagged: false,
            },
            Case {
                what: "inbound, free: rate 0, no lookup, 6 s assumed",
                row: cdr("5145550142", "Inbound - Local Caller", 11, Some("0"), "0"),
                increment: 6,
                source: IncrementSource::Inbound,
                rate: Some("0"),
                rate_source: RateSource::Cdr,
                billed: 12,
                recomputed: Some("0"),
                flagged: false,
            },
            Case {
                what: "inbound toll-free at its DID rate",
                row: cdr(
                    "8445550100",
                    "Inbound - Toll Free",
                    61,
                    Some("0.019"),
                    "0.0209",
                ),
                increment: 6,
                source: IncrementSource::Inbound,
                rate: Some("0.019"),
                rate_source: RateSource::Cdr,
                billed: 66,
                recomputed: Some("0.0209"),
                flagged: false,
            },
            Case {
                what: "reseller inbound: no rate anywhere, cannot recompute",
                row: cdr("5145550172", "Inbound - Local Caller", 30, None, "0.00425"),
                increment: 6,
                source: IncrementSource::Inbound,
                rate: None,
                rate_source: RateSource::Unknown,
                billed: 30,
                recomputed: None,
                flagged: false,
            },
            Case {
                what: "0 s costs nothing even without a rate",
                row: cdr("5145550172", "Inbound - Local Caller", 0, None, "0"),
                increment: 6,
                source: IncrementSource::Inbound,
                rate: None,
                rate_source: RateSource::Unknown,
                billed: 0,
                recomputed: Some("0"),
                flagged: false,
            },
            Case {
                what: "a charged 0 s call is flagged",
                row: cdr(
                    "4185550100",
                    "Outbound - Customer",
                    0,
                    Some("0.0052"),
                    "0.0052",
                ),
                increment: 6,
                source: matched("Canada - 418 Quebec City", "1418"),
                rate: Some("0.0052"),
                rate_source: RateSource::Cdr,
                billed: 0,
                recomputed: Some("0"),
                flagged: true,
            },
        ];
        for c in cases {
            let e = explain_charge(&c.row, &deck);
            assert_eq!(e.increment, c.increment, "{}", c.what);
            assert_eq!(e.increment_source, c.source, "{}", c.what);
            assert_eq!(e.rate, c.rate.map(m), "{}", c.what);
            assert_eq!(e.rate_source, c.rate_source, "{}", c.what);
            assert_eq!(e.billed_seconds, c.billed, "{}", c.what);
            assert_eq!(e.recomputed, c.recomputed.map(|r| Ok(m(r))), "{}", c.what);
            assert_eq!(e.flagged, c.flagged, "{}", c.what);
            assert_eq!(e.api_total, c.row.total, "{}", c.what);
            assert_eq!(
                e.difference,
                e.recomputed.map(|r| c.row.total.checked_sub(r.unwrap())),
                "{}",
                c.what
            );
            for note in e.notes() {
                assert!(note.ends_with('.'), "{}: {note}", c.what);
            }
            let verdict = e.verdict();
            assert_eq!(
                verdict.contains("differs"),
                c.flagged,
                "{}: {verdict}",
                c.what
            );
        }
        // With nothing fetched, an outbound call falls back on 6 s.
        let e = explain_charge(
            &cdr(
                "011525512345678",
                "Outbound - International",
                61,
                Some("0.009"),
                "0.018",
            ),
            &[],
        );
        assert_eq!((e.increment, e.billed_seconds), (6, 66));
        assert_eq!(e.increment_source, IncrementSource::NotFound);
        assert!(e.flagged, "60 s billing recomputed at 6 s differs");
    }

    #[test]
    fn explanation_sentences() {
        let deck = deck();
        let e = explain_charge(
            &cdr(
                "4185550100",
                "Outbound - Customer",
                27,
                Some("0.0052"),
                "0.0026",
            ),
            &deck,
        );
        assert_eq!(e.verdict(), "The recomputed total equals the API's total.");
        assert!(e.notes()[0].contains("prefix 1418"));
        let facts: Vec<String> = e.facts().iter().map(|(t, v)| format!("{t}: {v}")).collect();
        assert_eq!(
            facts,
            [
                "Seconds: 27 s",
                "Increment: 6 s",
                "Billed seconds: 30 s",
                "Rate per minute: $0.0052",
                "Recomputed total: $0.0026",
                "Total from the API: $0.0026",
                "Difference: $0.0000"
            ]
        );
        let e = explain_charge(
            &cdr("4185550100", "Outbound - Customer", 27, None, "0.015"),
            &deck,
        );
        assert!(e.notes()[1].contains("not sent for reseller calls"));
        let e = explain_charge(
            &cdr(
                "4185550100",
                "Outbound - Customer",
                27,
                Some("0.0052"),
                "0.0036",
            ),
            &deck,
        );
        assert_eq!(
            e.verdict(),
            "The API's total differs from the recomputed total by $0.0010: more than rounding explains."
        );
        let e = explain_charge(
            &cdr(
                "4185550100",
                "Outbound - Customer",
                27,
                Some("0.0052"),
                "0.00260001",
            ),
            &deck,
        );
        assert!(e.verdict().contains("within rounding"));
        let e = explain_charge(&cdr("99", "Outbound - Customer", 0, Some("0"), "0"), &deck);
        assert!(e.notes()[0].contains("usual 6 s increment is assumed"));
        assert!(e.notes()[1].contains("free"));
        assert_eq!(e.notes()[2], "A call of 0 seconds costs nothing.");
        let e = explain_charge(
            &cdr("5145550172", "Inbound - Local Caller", 30, None, "0.00425"),
            &deck,
        );
        assert_eq!(
            e.verdict(),
            "Without a rate, the charge cannot be recomputed."
        );
    }
}
