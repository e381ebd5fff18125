//! From response bytes to typed results.
//!
//! Each `decode_*` function takes the raw body and its `Content-Type` (only used to say what
//! came when it is not JSON) and returns the method's payload, an empty payload for the
//! "nothing found" statuses, or a [`DecodeError`].
//!
//! Bodies go straight from bytes into the row structs through the crate's own JSON pull
//! parser: no tree of values, because a 92-day getCDR answer can hold hundreds of thousands
//! of rows, and no serde_json, whose code and float tables weigh on the browser bundle.
//! Strings without escapes are borrowed from the body until a field keeps them, numbers and
//! amounts are read from their digits, unknown fields are skipped. The decode does not
//! track JSON paths either: a shape error collects its path on its way out, so the common
//! case pays nothing for good error messages.

use std::borrow::Cow;

use crate::de::{self, one_or_many, Row};
use crate::json::{render_path, Fail, Parser, Res};
use crate::model::{
    CdrRow, Client, Package, RateRow, TerminationRate, TerminationRates, ValueDescription,
};
use crate::status::ApiStatus;
use crate::table::CdrTable;

/// Why a body could not be turned into a result.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The body is not JSON at all (an HTML error page of a proxy or CDN), or it stops early.
    #[error("expected JSON but got {} starting with “{first_bytes}”", describe_type(.content_type))]
    NotJson {
        /// The response's `Content-Type`, if it had one.
        content_type: Option<String>,
        /// The first ~80 characters of the body, invalid UTF-8 replaced.
        first_bytes: String,
    },
    /// The body is JSON but not of the shape the method answers with.
    #[error("unexpected JSON at {path}: {message}")]
    Shape {
        /// Where it went wrong, e.g. `cdr[3].seconds` (`.` for the whole body).
        path: String,
        /// What was wrong there.
        message: String,
    },
    /// The API answered with an error status.
    #[error("API status {}: {}", .0.code(), .0.message())]
    Api(ApiStatus),
}

fn describe_type(content_type: &Option<String>) -> String {
    match content_type {
        Some(ct) => format!("a “{ct}” body"),
        None => "a body without a content type".to_owned(),
    }
}

impl DecodeError {
    /// A plain sentence for the user: what happened and what to do about it.
    pub fn message(&self) -> String {
        match self {
            DecodeError::NotJson { first_bytes, .. } if first_bytes.trim_start().is_empty() => {
                "The server sent an empty answer instead of API data. The API or the proxy in front of it may be down; try again in a few minutes.".to_owned()
            }
            DecodeError::NotJson { first_bytes, .. }
                if first_bytes.trim_start().starts_with(['{', '[']) =>
            {
                "The answer from the API was cut off before its end. Try again, or choose a shorter date range.".to_owned()
            }
            DecodeError::NotJson { first_bytes, .. } => format!(
                "The server answered with something other than API data (it began “{}”). The API or the proxy in front of it may be down or misconfigured; try again in a few minutes.",
                first_bytes.trim()
            ),
            DecodeError::Shape { path, message } => format!(
                "The API answered in a form the portal does not understand (at {path}: {message}). Please report this."
            ),
            DecodeError::Api(status) => status.message(),
        }
    }

    /// The API status, when the error is one.
    pub fn status(&self) -> Option<&ApiStatus> {
        match self {
            DecodeError::Api(status) => Some(status),
            _ => None,
        }
    }
}

/// How many characters of a non-JSON body an error keeps: enough to recognise an HTML
/// title or a PHP warning, short enough for one line.
const PREVIEW_CHARS: usize = 80;

pub(crate) fn preview(body: &[u8]) -> String {
    // Cut the bytes first so a 50 MB body is not converted whole.
    let head = &body[..body.len().min(PREVIEW_CHARS * 4)];
    String::from_utf8_lossy(head)
        .chars()
        .take(PREVIEW_CHARS)
        .collect()
}

/// Whether an answer with `status` carries its payload (`Ok(true)`), stands for an empty
/// result (`Ok(false)`), or is an error.
pub(crate) fn outcome(status: Option<&str>) -> Result<bool, DecodeError> {
    match status.map(str::trim) {
        Some("success") => Ok(true),
        Some(code) => {
            let status = ApiStatus::from_code(code);
            if status.is_empty_result() {
                Ok(false)
            } else {
                Err(DecodeError::Api(status))
            }
        }
        None => Err(DecodeError::Shape {
            path: "status".to_owned(),
            message: "missing field `status`".to_owned(),
        }),
    }
}

/// Reads an answer object: its `status`, and through `payload` the keys of the method's
/// payload (`payload` says whether it took the key); everything else is skipped. Then
/// checks that nothing follows the object.
///
/// `dyn`, so that the browser bundle holds one copy of the object loop, not one per method.
fn envelope<'a>(
    p: &mut Parser<'a>,
    payload: &mut dyn FnMut(&mut Parser<'a>, &str) -> Res<bool>,
) -> Res<Option<String>> {
    let mut status = None;
    p.object("an API answer object with a status", |p, key| {
        if key == "status" {
            status = de::opt_string(p)?;
        } else if !payload(p, key)? {
            p.skip()?;
        }
        Ok(())
    })?;
    p.finish()?;
    Ok(status)
}

/// Reads a whole answer: its status and its payload.
type ReadAnswer<'r, P> = dyn Fn(&mut Parser<'_>) -> Res<(Option<String>, P)> + 'r;

/// Decodes a body with `read`.
fn decode_with<P: Default>(
    body: &[u8],
    content_type: Option<&str>,
    read: &ReadAnswer<'_, P>,
) -> Result<P, DecodeError> {
    let mut payload = None;
    let carried = read_answer(body, content_type, &mut |p| {
        let (status, read) = read(p)?;
        payload = Some(read);
        Ok(status)
    })?;
    Ok(payload.filter(|_| carried).unwrap_or_default())
}

/// The body of [`decode_with`] that does not depend on the payload's type, behind `dyn` so
/// that the browser bundle holds it once: `read` keeps the payload and returns the status;
/// the answer says whether the payload stands.
fn read_answer(
    body: &[u8],
    content_type: Option<&str>,
    read: &mut dyn FnMut(&mut Parser<'_>) -> Res<Option<String>>,
) -> Result<bool, DecodeError> {
    // PHP scripts sometimes emit a UTF-8 byte order mark before the JSON.
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    // Validating UTF-8 once for the whole body lets the parser slice strings out of it
    // without checking each. `from_utf8` first: it runs through ASCII a word at a time,
    // where the lossy conversion goes byte by byte. A body that is not UTF-8 is read with
    // replacement characters rather than refused.
    let text = match std::str::from_utf8(body) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(body),
    };
    match read(&mut Parser::new(&text)) {
        Ok(status) => outcome(status.as_deref()),
        Err(Fail::Syntax) => Err(DecodeError::NotJson {
            content_type: content_type.map(str::to_owned),
            first_bytes: preview(body),
        }),
        Err(Fail::Shape(shape)) => {
            // An error status with an odd payload beside it is still that error status.
            if let Ok(Some(code)) = envelope(&mut Parser::new(&text), &mut |_, _| Ok(false)) {
                if code.trim() != "success" {
                    return outcome(Some(&code)).map(|_| false);
                }
            }
            Err(DecodeError::Shape {
                path: render_path(&shape.path),
                message: shape.message,
            })
        }
    }
}

/// Decodes an answer whose payload is the list under `key`, reserving `capacity` rows.
fn decode_list<T: Row>(
    key: &str,
    capacity: usize,
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<T>, DecodeError> {
    decode_with(body, content_type, &|p| {
        let mut rows = Vec::new();
        let status = envelope(p, &mut |p, k| {
            let mine = k == key;
            if mine {
                rows = one_or_many(p, capacity)?;
            }
            Ok(mine)
        })?;
        Ok((status, rows))
    })
}

/// A guess at the row count of a CDR body (rows run 250–350 bytes); its first rows then
/// tell the reader how many to reserve.
fn cdr_capacity(body: &[u8]) -> usize {
    body.len() / 300
}

/// getCDR: the call rows (getResellerCDR too: its rows just lack `rate`).
pub fn decode_cdr(body: &[u8], content_type: Option<&str>) -> Result<Vec<CdrRow>, DecodeError> {
    decode_list::<CdrRow>("cdr", cdr_capacity(body), body, content_type)
}

/// getCDR's (or getResellerCDR's) rows appended to `table` as they are read, one at a time,
/// so that no list of row structs is ever held: a million rows then need the table's few
/// dozen bytes each, not 700. On an error the rows of this body are taken out again.
pub fn decode_cdr_into(
    body: &[u8],
    content_type: Option<&str>,
    table: &mut CdrTable,
) -> Result<(), DecodeError> {
    let start = table.len();
    let carried = read_answer(body, content_type, &mut |p| {
        envelope(p, &mut |p, key| {
            if key != "cdr" {
                return Ok(false);
            }
            // A key given twice: the last one wins, as PHP reads it.
            table.truncate(start);
            de::cdr_rows_into(p, table)?;
            Ok(true)
        })
    });
    if !matches!(carried, Ok(true)) {
        table.truncate(start);
    }
    carried.map(|_| ())
}

/// getResellerCDR: the same rows as getCDR, with `rate` as `None`.
pub fn decode_reseller_cdr(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<CdrRow>, DecodeError> {
    decode_list::<CdrRow>("cdr", cdr_capacity(body), body, content_type)
}

/// getRates: the package's rates that match the search.
pub fn decode_rates(body: &[u8], content_type: Option<&str>) -> Result<Vec<RateRow>, DecodeError> {
    decode_list::<RateRow>("rates", 0, body, content_type)
}

/// getTerminationRates: the route (a list of one or an object) and its rates.
pub fn decode_termination_rates(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<TerminationRates, DecodeError> {
    decode_with(body, content_type, &|p| {
        let mut answer = TerminationRates::default();
        let status = envelope(p, &mut |p, key| {
            match key {
                // Documented as a list of one, seen as a bare object: both read, the first
                // kept.
                "route" => answer.route = one_or_many::<ValueDescription>(p, 1)?.into_iter().next(),
                "rates" => answer.rates = one_or_many::<TerminationRate>(p, 0)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok((status, answer))
    })
}

/// getCallAccounts: `accounts`, the first usually `all`.
pub fn decode_accounts(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<ValueDescription>, DecodeError> {
    decode_list::<ValueDescription>("accounts", 0, body, content_type)
}

/// getCallBilling: `call_billing` (`all`, `free`, `billed`).
pub fn decode_call_billing(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<ValueDescription>, DecodeError> {
    decode_list::<ValueDescription>("call_billing", 0, body, content_type)
}

/// getCallTypes: `call_types` (`all`, `outgoing`, `incoming`, one per DID).
pub fn decode_call_types(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<ValueDescription>, DecodeError> {
    decode_list::<ValueDescription>("call_types", 0, body, content_type)
}

/// getRoutes: `routes` (`1` Value, `2` Premium).
pub fn decode_routes(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<ValueDescription>, DecodeError> {
    decode_list::<ValueDescription>("routes", 0, body, content_type)
}

/// getPackages: the reseller's packages.
pub fn decode_packages(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<Package>, DecodeError> {
    decode_list::<Package>("packages", 0, body, content_type)
}

/// getClientPackages: `packages` as `{value, description}` pairs.
pub fn decode_client_packages(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<ValueDescription>, DecodeError> {
    decode_list::<ValueDescription>("packages", 0, body, content_type)
}

/// getPackages read for a picker: each package as `{value: package, description: name}`.
///
/// The same decoder as [`decode_client_packages`] (both answers list `packages`), so that the
/// browser carries one copy; [`decode_packages`] keeps every field.
///
/// ```
/// use cdr_core::decode::decode_package_choices;
/// let body = br#"{"status":"success","packages":[{"package":"92364","name":"Standard",
///     "markup_fixed":"0.01","pulse":"60"},{"package":"92365","name":"Business Premium"}]}"#;
/// let list = decode_package_choices(body, None).unwrap();
/// assert_eq!((list[0].value.as_str(), list[0].description.as_str()), ("92364", "Standard"));
/// assert_eq!(list.len(), 2);
/// assert!(decode_package_choices(br#"{"status":"no_package"}"#, None).unwrap().is_empty());
/// ```
pub fn decode_package_choices(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<ValueDescription>, DecodeError> {
    decode_client_packages(body, content_type)
}

/// getClients: the reseller's clients, without their passwords.
pub fn decode_clients(body: &[u8], content_type: Option<&str>) -> Result<Vec<Client>, DecodeError> {
    decode_list::<Client>("clients", 0, body, content_type)
}

/// The value list of any lookup method that answers with `{value, description}` pairs.
///
/// Returns `None` for methods whose payload is something else (CDR rows, rates, packages,
/// clients).
pub fn decode_value_list(
    method: crate::request::Method,
    body: &[u8],
    content_type: Option<&str>,
) -> Option<Result<Vec<ValueDescription>, DecodeError>> {
    use crate::request::Method;
    Some(match method {
        Method::GetCallAccounts => decode_accounts(body, content_type),
        Method::GetCallBilling => decode_call_billing(body, content_type),
        Method::GetCallTypes => decode_call_types(body, content_type),
        Method::GetRoutes => decode_routes(body, content_type),
        Method::GetClientPackages => decode_client_packages(body, content_type),
        _ => return None,
    })
}

/// A request that names its answer: the type it decodes to and the decoder, so that a
/// request cannot be sent and then read with another method's decoder.
///
/// ```
/// use cdr_core::decode::Answered;
/// use cdr_core::request::CallBillingRequest;
/// let body = br#"{"status":"success","call_billing":[{"value":"all","description":"All"}]}"#;
/// let choices = CallBillingRequest::decode(body, None).unwrap();
/// assert_eq!(choices[0].value, "all");
/// ```
pub trait Answered: crate::request::ApiRequest {
    /// What a successful answer holds.
    type Answer;

    /// Reads the method's answer from the body; `content_type` only names what came when
    /// it is not JSON.
    fn decode(body: &[u8], content_type: Option<&str>) -> Result<Self::Answer, DecodeError>;
}

macro_rules! answered {
    ($($request:ident => $answer:ty, $decode:ident;)*) => {$(
        impl Answered for crate::request::$request {
            type Answer = $answer;
            fn decode(body: &[u8], content_type: Option<&str>) -> Result<$answer, DecodeError> {
                $decode(body, content_type)
            }
        }
    )*};
}

answered! {
    CallAccountsRequest => Vec<ValueDescription>, decode_accounts;
    CallBillingRequest => Vec<ValueDescription>, decode_call_billing;
    CallTypesRequest => Vec<ValueDescription>, decode_call_types;
    CdrRequest => Vec<CdrRow>, decode_cdr;
    ResellerCdrRequest => Vec<CdrRow>, decode_reseller_cdr;
    RatesRequest => Vec<RateRow>, decode_rates;
    TerminationRatesRequest => TerminationRates, decode_termination_rates;
    RoutesRequest => Vec<ValueDescription>, decode_routes;
    // The pickers want value and name only; decode_packages keeps every field.
    PackagesRequest => Vec<ValueDescription>, decode_package_choices;
    ClientsRequest => Vec<Client>, decode_clients;
    ClientPackagesRequest => Vec<ValueDescription>, decode_client_packages;
}

/// A request whose rows can go straight into a row store ([`decode_cdr_into`]).
pub trait IntoTable: Answered {
    /// Appends the rows of the answer in `body` to `table`.
    fn decode_into(
        body: &[u8],
        content_type: Option<&str>,
        table: &mut CdrTable,
    ) -> Result<(), DecodeError> {
        decode_cdr_into(body, content_type, table)
    }
}

impl IntoTable for crate::request::CdrRequest {}
impl IntoTable for crate::request::ResellerCdrRequest {}

/// Only the status of a body: `Ok(())` for `success`, the empty-result codes included.
///
/// For callers that need no payload, and for telling an error answer apart cheaply.
pub fn decode_status(body: &[u8], content_type: Option<&str>) -> Result<(), DecodeError> {
    decode_with(body, content_type, &|p| {
        Ok((envelope(p, &mut |_, _| Ok(false))?, ()))
    })
}
