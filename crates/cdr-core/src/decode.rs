//! From response bytes to typed results.
//!
//! Each `decode_*` function takes the raw body and its `Content-Type` (only used to say what
//! came when it is not JSON) and returns the method's payload, an empty payload for the
//! "nothing found" statuses, or a [`DecodeError`].
//!
//! Bodies go straight from bytes into the row structs: no `serde_json::Value` tree, because a
//! 92-day getCDR answer can hold hundreds of thousands of rows. The decode does not track
//! JSON paths; only when it fails is the text scanned up to the error's position to name
//! where, so the common case pays nothing for good error messages.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::de as tol;
use crate::model::{
    CdrRow, Client, Package, RateRow, TerminationRate, TerminationRates, ValueDescription,
};
use crate::status::ApiStatus;

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

fn preview(body: &[u8]) -> String {
    // Cut the bytes first so a 50 MB body is not converted whole.
    let head = &body[..body.len().min(PREVIEW_CHARS * 4)];
    String::from_utf8_lossy(head)
        .chars()
        .take(PREVIEW_CHARS)
        .collect()
}

/// What every answer has: a status, and the method's payload when it succeeded.
struct Envelope<P> {
    status: Option<String>,
    payload: P,
}

/// Reads the envelope of a list answer (`{"status": …, "<key>": [rows]}`) with a capacity
/// guess, so that a million-row Vec is allocated once instead of doubled twenty times.
struct ListSeed<T> {
    key: &'static str,
    capacity: usize,
    rows: PhantomData<fn() -> T>,
}

impl<T> Clone for ListSeed<T> {
    fn clone(&self) -> Self {
        ListSeed {
            key: self.key,
            capacity: self.capacity,
            rows: PhantomData,
        }
    }
}

impl<T> ListSeed<T> {
    fn new(key: &'static str, capacity: usize) -> Self {
        ListSeed {
            key,
            capacity,
            rows: PhantomData,
        }
    }
}

/// Which key of an envelope was read; compared borrowed, no allocation per key.
enum Key {
    Status,
    Payload,
    Other,
}

struct KeySeed(&'static str);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(if v == "status" {
            Key::Status
        } else if v == self.0 {
            Key::Payload
        } else {
            Key::Other
        })
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for ListSeed<T> {
    type Value = Envelope<Vec<T>>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListSeed<T> {
    type Value = Envelope<Vec<T>>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an API answer object with a status")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut status = None;
        let mut payload = Vec::new();
        while let Some(key) = map.next_key_seed(KeySeed(self.key))? {
            match key {
                Key::Status => status = map.next_value::<tol::Tol<Option<String>>>()?.0,
                Key::Payload => {
                    payload =
                        map.next_value_seed(tol::OneOrManySeed::<T>::with_capacity(self.capacity))?
                }
                Key::Other => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(Envelope { status, payload })
    }
}

/// Seed for an envelope whose shape is a plain derived struct.
struct DerivedSeed<E>(PhantomData<fn() -> E>);

impl<E> Clone for DerivedSeed<E> {
    fn clone(&self) -> Self {
        DerivedSeed(PhantomData)
    }
}

/// A derived envelope struct that knows its status and payload.
trait IntoEnvelope {
    type Payload;
    fn into_envelope(self) -> Envelope<Self::Payload>;
}

impl<'de, E> DeserializeSeed<'de> for DerivedSeed<E>
where
    E: Deserialize<'de> + IntoEnvelope,
{
    type Value = Envelope<E::Payload>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        E::deserialize(d).map(IntoEnvelope::into_envelope)
    }
}

#[derive(Deserialize)]
struct TerminationEnvelope {
    #[serde(default, deserialize_with = "tol::opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "tol::first_of_one_or_many")]
    route: Option<ValueDescription>,
    #[serde(default, deserialize_with = "tol::one_or_many")]
    rates: Vec<TerminationRate>,
}

impl IntoEnvelope for TerminationEnvelope {
    type Payload = TerminationRates;
    fn into_envelope(self) -> Envelope<TerminationRates> {
        let e = self;
        Envelope {
            status: e.status,
            payload: TerminationRates {
                route: e.route,
                rates: e.rates,
            },
        }
    }
}

/// Only the status, everything else skipped: the fallback when the payload did not fit.
#[derive(Deserialize)]
struct StatusOnly {
    #[serde(default, deserialize_with = "tol::opt_string")]
    status: Option<String>,
}

impl IntoEnvelope for StatusOnly {
    type Payload = ();
    fn into_envelope(self) -> Envelope<()> {
        Envelope {
            status: self.status,
            payload: (),
        }
    }
}

fn outcome<P: Default>(
    status: Option<&str>,
    payload: impl FnOnce() -> P,
) -> Result<P, DecodeError> {
    match status.map(str::trim) {
        Some("success") => Ok(payload()),
        Some(code) => {
            let status = ApiStatus::from_code(code);
            if status.is_empty_result() {
                Ok(P::default())
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

/// Runs `seed` over the whole body, checking that nothing follows the JSON value.
fn parse<S, P>(seed: S, text: &str) -> serde_json::Result<Envelope<P>>
where
    S: for<'de> DeserializeSeed<'de, Value = Envelope<P>>,
{
    let mut de = serde_json::Deserializer::from_str(text);
    let value = seed.deserialize(&mut de)?;
    de.end().map(|()| value)
}

fn decode_with<S, P>(seed: S, body: &[u8], content_type: Option<&str>) -> Result<P, DecodeError>
where
    S: Clone + for<'de> DeserializeSeed<'de, Value = Envelope<P>>,
    P: Default,
{
    // PHP scripts sometimes emit a UTF-8 byte order mark before the JSON.
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    // Validating UTF-8 once for the whole body (vectorised) and then parsing as `str` is
    // faster than letting a slice reader validate every string; and one reader type means
    // one copy of every row decoder in the browser bundle. A body that is not UTF-8 is
    // read with replacement characters rather than refused.
    let text = String::from_utf8_lossy(body);
    match parse(seed, &text) {
        Ok(Envelope { status, payload }) => outcome(status.as_deref(), || payload),
        Err(err) if err.is_syntax() || err.is_eof() => Err(DecodeError::NotJson {
            content_type: content_type.map(str::to_owned),
            first_bytes: preview(body),
        }),
        Err(err) => {
            // An error status with an odd payload beside it is still that error status.
            let status_only = DerivedSeed::<StatusOnly>(PhantomData);
            if let Ok(Envelope {
                status: Some(code), ..
            }) = parse(status_only, &text)
            {
                if code.trim() != "success" {
                    return outcome(Some(&code), P::default);
                }
            }
            Err(DecodeError::Shape {
                path: json_path_at(&text, error_offset(&text, &err)),
                message: strip_position(&err.to_string()),
            })
        }
    }
}

/// The byte offset of a serde_json error: its line and column (columns count bytes).
fn error_offset(text: &str, err: &serde_json::Error) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(err.line().saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + err.column()).min(text.len())
}

/// serde_json appends " at line L column C"; the path says where, in terms people read.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// The JSON path (`cdr[3].seconds`, `.` for the whole body) of the value that ends at
/// `offset`, found by scanning the text up to there.
///
/// This takes the place of decoding a second time with a path-tracking deserializer, which
/// would put another copy of every row decoder in the browser bundle.
fn json_path_at(text: &str, offset: usize) -> String {
    enum Frame {
        Object { key: Option<String>, want_key: bool },
        Array { index: usize },
    }
    fn render(stack: &[Frame]) -> String {
        let mut out = String::new();
        for frame in stack {
            match frame {
                Frame::Object {
                    key: Some(k),
                    want_key: false,
                } => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(k);
                }
                Frame::Object { .. } => {}
                Frame::Array { index } => {
                    out.push('[');
                    out.push_str(&index.to_string());
                    out.push(']');
                }
            }
        }
        out
    }
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let mut stack: Vec<Frame> = Vec::new();
    let mut closed = String::new();
    let mut last = 0u8;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'"' => {
                let start = i + 1;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                if let Some(Frame::Object {
                    key,
                    want_key: true,
                }) = stack.last_mut()
                {
                    *key = Some(text[start..i.min(bytes.len())].to_owned());
                }
            }
            b'{' => stack.push(Frame::Object {
                key: None,
                want_key: true,
            }),
            b'[' => stack.push(Frame::Array { index: 0 }),
            b'}' | b']' => {
                stack.pop();
                closed = render(&stack);
            }
            b':' => {
                if let Some(Frame::Object { want_key, .. }) = stack.last_mut() {
                    *want_key = false;
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Array { index }) => *index += 1,
                Some(Frame::Object { want_key, .. }) => *want_key = true,
                None => {}
            },
            _ => {}
        }
        if !b.is_ascii_whitespace() {
            last = b;
        }
        i += 1;
    }
    let path = if matches!(last, b'}' | b']') {
        closed
    } else {
        render(&stack)
    };
    if path.is_empty() {
        ".".to_owned()
    } else {
        path
    }
}

/// A guess at the row count of a CDR body: rows run 250–350 bytes, so this reserves
/// little more than needed and avoids the copies of a growing Vec.
fn cdr_capacity(body: &[u8]) -> usize {
    body.len() / 300
}

/// getCDR: the call rows (getResellerCDR too: its rows just lack `rate`).
pub fn decode_cdr(body: &[u8], content_type: Option<&str>) -> Result<Vec<CdrRow>, DecodeError> {
    decode_with(
        ListSeed::<CdrRow>::new("cdr", cdr_capacity(body)),
        body,
        content_type,
    )
}

/// getResellerCDR: the same rows as getCDR, with `rate` as `None`.
pub fn decode_reseller_cdr(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<CdrRow>, DecodeError> {
    decode_with(
        ListSeed::<CdrRow>::new("cdr", cdr_capacity(body)),
        body,
        content_type,
    )
}

/// getRates: the package's rates that match the search.
pub fn decode_rates(body: &[u8], content_type: Option<&str>) -> Result<Vec<RateRow>, DecodeError> {
    decode_with(ListSeed::<RateRow>::new("rates", 0), body, content_type)
}

/// getTerminationRates: the route (a list of one or an object) and its rates.
pub fn decode_termination_rates(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<TerminationRates, DecodeError> {
    decode_with(
        DerivedSeed::<TerminationEnvelope>(PhantomData),
        body,
        content_type,
    )
}

/// getCallAccounts: `accounts`, the first usually `all`.
pub fn decode_accounts(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<ValueDescription>, DecodeError> {
    decode_with(
        ListSeed::<ValueDescription>::new("accounts", 0),
        body,
        content_type,
    )
}

/// getCallBilling: `call_billing` (`all`, `free`, `billed`).
pub fn decode_call_billing(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<ValueDescription>, DecodeError> {
    decode_with(
        ListSeed::<ValueDescription>::new("call_billing", 0),
        body,
        content_type,
    )
}

/// getCallTypes: `call_types` (`all`, `outgoing`, `incoming`, one per DID).
pub fn decode_call_types(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<ValueDescription>, DecodeError> {
    decode_with(
        ListSeed::<ValueDescription>::new("call_types", 0),
        body,
        content_type,
    )
}

/// getRoutes: `routes` (`1` Value, `2` Premium).
pub fn decode_routes(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<ValueDescription>, DecodeError> {
    decode_with(
        ListSeed::<ValueDescription>::new("routes", 0),
        body,
        content_type,
    )
}

/// getPackages: the reseller's packages.
pub fn decode_packages(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<Package>, DecodeError> {
    decode_with(ListSeed::<Package>::new("packages", 0), body, content_type)
}

/// getClientPackages: `packages` as `{value, description}` pairs.
pub fn decode_client_packages(
    body: &[u8],
    content_type: Option<&str>,
) -> Result<Vec<ValueDescription>, DecodeError> {
    decode_with(
        ListSeed::<ValueDescription>::new("packages", 0),
        body,
        content_type,
    )
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
    decode_with(ListSeed::<Client>::new("clients", 0), body, content_type)
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

/// Only the status of a body: `Ok(())` for `success`, the empty-result codes included.
///
/// For callers that need no payload, and for telling an error answer apart cheaply.
pub fn decode_status(body: &[u8], content_type: Option<&str>) -> Result<(), DecodeError> {
    decode_with(DerivedSeed::<StatusOnly>(PhantomData), body, content_type)
}
