//! The eleven API methods: each checks its own parameters, in the order of the contract's
//! method table, then answers from the store.
//!
//! These checks are the service's, written independently of the portal's request
//! validation in `cdr-core`, so that a client bug shows up as an error code here.

use cdr_core::request::Method;
use cdr_core::status::ApiStatus;
use rusqlite::Connection;

use crate::dates::{self, DAY};
use crate::gen::Disposition;
use crate::store::{self, CallBilling, CallType, CdrQuery, Record, StoreError};

/// The longest range a CDR request may span, in days (both ends counted).
pub const MAX_RANGE_DAYS: i64 = 92;

/// The longest `query` the rate searches accept, in characters.
pub const MAX_QUERY_CHARS: usize = 64;

/// The parameters of a request, as they came (all strings).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params(pub Vec<(String, String)>);

impl Params {
    /// The value of `name`: the last one given, as PHP's `$_REQUEST` keeps it; an empty value
    /// counts as absent. Values are not trimmed: a client that pads them has a bug to see.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }
}

/// An API answer ready to send: the JSON body and what the log needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The JSON body.
    pub body: Vec<u8>,
    /// `success` or the error code.
    pub status: String,
    /// Rows in a successful list answer.
    pub rows: Option<usize>,
}

impl Answer {
    /// `{"status":"CODE"}`.
    pub fn code(code: &str) -> Answer {
        Answer {
            body: serde_json::to_vec(&serde_json::json!({ "status": code }))
                .expect("a string map serializes"),
            status: code.to_owned(),
            rows: None,
        }
    }

    /// An error status.
    pub fn error(status: ApiStatus) -> Answer {
        Answer::code(status.code())
    }

    /// `{"status":"success","KEY":[…],…}`; the row count is that of the last list.
    pub fn lists(lists: &[(&str, &[Record])]) -> Answer {
        let mut body = br#"{"status":"success""#.to_vec();
        let mut rows = None;
        for (key, records) in lists {
            body.push(b',');
            serde_json::to_writer(&mut body, key).expect("a key serializes");
            body.push(b':');
            serde_json::to_writer(&mut body, records).expect("records serialize");
            rows = Some(records.len());
        }
        body.push(b'}');
        Answer {
            body,
            status: "success".to_owned(),
            rows,
        }
    }
}

type Outcome = Result<Answer, StoreError>;

/// Answers a request for a known method whose credentials, IP and rate were accepted.
pub fn dispatch(method: Method, params: &Params, conn: &Connection) -> Outcome {
    match method {
        Method::GetCallAccounts => call_accounts(params, conn),
        Method::GetCallBilling => Ok(call_billing()),
        Method::GetCallTypes => call_types(params, conn),
        Method::GetCdr => cdr(params, conn, false),
        Method::GetResellerCdr => cdr(params, conn, true),
        Method::GetRates => rates(params, conn),
        Method::GetTerminationRates => termination_rates(params, conn),
        Method::GetRoutes => routes(params, conn),
        Method::GetPackages => packages(params, conn),
        Method::GetClients => clients(params, conn),
        Method::GetClientPackages => client_packages(params, conn),
    }
}

/// Answers the methods that need no data (getCallBilling); `None` for the others.
pub fn dispatch_static(method: Method) -> Option<Answer> {
    (method == Method::GetCallBilling).then(call_billing)
}

/// The optional `client` of the lookups: the main account (`""`) when absent.
fn optional_client<'a>(
    params: &'a Params,
    conn: &Connection,
) -> Result<Result<&'a str, ApiStatus>, StoreError> {
    match params.get("client") {
        None => Ok(Ok("")),
        Some(c) if store::client_exists(conn, c)? => Ok(Ok(c)),
        Some(_) => Ok(Err(ApiStatus::InvalidClient)),
    }
}

/// The required `client` of the reseller methods.
fn required_client<'a>(
    params: &'a Params,
    conn: &Connection,
) -> Result<Result<&'a str, ApiStatus>, StoreError> {
    match params.get("client") {
        None => Ok(Err(ApiStatus::MissingClient)),
        Some(c) if store::client_exists(conn, c)? => Ok(Ok(c)),
        Some(_) => Ok(Err(ApiStatus::InvalidClient)),
    }
}

macro_rules! check {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(status) => return Ok(Answer::error(status)),
        }
    };
}

fn call_accounts(params: &Params, conn: &Connection) -> Outcome {
    let client = check!(optional_client(params, conn)?);
    let accounts = store::accounts(conn, client)?;
    if accounts.is_empty() {
        return Ok(Answer::error(ApiStatus::NoAccount));
    }
    let mut list = vec![Record::pair("all", "All Accounts")];
    list.extend(accounts.into_iter().map(|a| Record::pair(a.clone(), a)));
    Ok(Answer::lists(&[("accounts", &list)]))
}

fn call_billing() -> Answer {
    Answer::lists(&[(
        "call_billing",
        &[
            Record::pair("all", "All Calls"),
            Record::pair("free", "Free Calls"),
            Record::pair("billed", "Billed Calls"),
        ],
    )])
}

fn call_types(params: &Params, conn: &Connection) -> Outcome {
    let client = check!(optional_client(params, conn)?);
    let mut list = vec![
        Record::pair("all", "All Calls"),
        Record::pair("outgoing", "Outgoing Calls"),
        Record::pair("incoming", "Incoming Calls"),
    ];
    for did in store::dids(conn, client)? {
        list.push(Record::pair(did.clone(), format!("Calls to {did}")));
    }
    Ok(Answer::lists(&[("call_types", &list)]))
}

/// Reads `timezone`: an optional sign, digits and an optional fraction (`-5`, `5.5`, `+1`),
/// from -12 to 13. Exponents, `inf`, `nan` and spaces are refused, which `f64::from_str`
/// alone would not do. Returns the offset in whole seconds.
pub fn parse_timezone(text: &str) -> Option<i64> {
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if int.is_empty()
        || !digits(int)
        || !digits(frac)
        || (unsigned.contains('.') && frac.is_empty())
    {
        return None;
    }
    let hours: f64 = text.parse().ok()?;
    (-12.0..=13.0)
        .contains(&hours)
        .then(|| (hours * 3600.0).round() as i64)
}

/// Validates a CDR search in the contract's order and turns it into a [`CdrQuery`].
///
/// The days are whole days of the caller's shifted clock: with `timezone=-5`, `2024-03-01`
/// means 05:00 UTC on March 1 to 05:00 UTC on March 2. For getResellerCDR the `client` is
/// checked right before `calltype`, the first filter whose values depend on it.
pub fn cdr_query(
    params: &Params,
    conn: &Connection,
    reseller: bool,
) -> Result<Result<CdrQuery, ApiStatus>, StoreError> {
    let day = |name: &str, missing: ApiStatus| match params.get(name) {
        None => Err(missing),
        Some(text) => dates::parse_day(text).ok_or(ApiStatus::InvalidDate),
    };
    let from = match day("date_from", ApiStatus::MissingFromDate) {
        Ok(d) => d,
        Err(s) => return Ok(Err(s)),
    };
    let to = match day("date_to", ApiStatus::MissingToDate) {
        Ok(d) => d,
        Err(s) => return Ok(Err(s)),
    };
    if from > to {
        return Ok(Err(ApiStatus::InvalidDateFrom));
    }
    if to - from + 1 > MAX_RANGE_DAYS {
        return Ok(Err(ApiStatus::InvalidDaterange));
    }
    let offset = match params.get("timezone") {
        None => return Ok(Err(ApiStatus::MissingTimezone)),
        Some(text) => match parse_timezone(text) {
            Some(offset) => offset,
            None => return Ok(Err(ApiStatus::InvalidTimezone)),
        },
    };
    let dispositions: Vec<Disposition> = ["answered", "noanswer", "busy", "failed"]
        .iter()
        .zip(Disposition::ALL)
        .filter(|(flag, _)| params.get(flag) == Some("1"))
        .map(|(_, d)| d)
        .collect();
    if dispositions.is_empty() {
        return Ok(Err(ApiStatus::NoCallstatus));
    }
    let client = if reseller {
        match required_client(params, conn)? {
            Ok(c) => c,
            Err(s) => return Ok(Err(s)),
        }
    } else {
        ""
    };
    let calltype = match params.get("calltype") {
        None | Some("all") => CallType::All,
        Some("incoming") => CallType::Incoming,
        Some("outgoing") => CallType::Outgoing,
        Some(did) if store::dids(conn, client)?.iter().any(|d| d == did) => {
            CallType::Did(did.to_owned())
        }
        Some(_) => return Ok(Err(ApiStatus::InvalidCallType)),
    };
    let billing = match params.get("callbilling") {
        None | Some("all") => CallBilling::All,
        Some("free") => CallBilling::Free,
        Some("billed") => CallBilling::Billed,
        Some(_) => return Ok(Err(ApiStatus::InvalidCallbilling)),
    };
    let account = match params.get("account") {
        None | Some("all") => None,
        Some(a) if store::accounts(conn, client)?.iter().any(|x| x == a) => Some(a.to_owned()),
        Some(_) => return Ok(Err(ApiStatus::InvalidAccount)),
    };
    Ok(Ok(CdrQuery {
        client: client.to_owned(),
        from: from * DAY - offset,
        to: (to + 1) * DAY - offset,
        offset,
        dispositions,
        calltype,
        billing,
        account,
        with_rate: !reseller,
    }))
}

fn cdr(params: &Params, conn: &Connection, reseller: bool) -> Outcome {
    let query = check!(cdr_query(params, conn, reseller)?);
    let mut body = Vec::new();
    let rows = store::write_cdr_json(conn, &query, &mut body)?;
    if rows == 0 {
        return Ok(Answer::error(ApiStatus::NoCdr));
    }
    Ok(Answer {
        body,
        status: "success".to_owned(),
        rows: Some(rows),
    })
}

/// The `query` of the rate searches, trimmed; `invalid_query` when it has no letter or
/// digit to search for, or is longer than [`MAX_QUERY_CHARS`].
fn search_query(params: &Params) -> Result<&str, ApiStatus> {
    let query = params
        .get("query")
        .map(str::trim)
        .ok_or(ApiStatus::MissingQuery)?;
    if query.chars().count() > MAX_QUERY_CHARS || !query.chars().any(char::is_alphanumeric) {
        return Err(ApiStatus::InvalidQuery);
    }
    Ok(query)
}

fn rates(params: &Params, conn: &Connection) -> Outcome {
    let package = match params.get("package") {
        None => return Ok(Answer::error(ApiStatus::MissingPackage)),
        Some(p) if store::package_exists(conn, p)? => p,
        Some(_) => return Ok(Answer::error(ApiStatus::InvalidPackage)),
    };
    let query = check!(search_query(params));
    let rates = store::rates(conn, package, query)?;
    if rates.is_empty() {
        return Ok(Answer::error(ApiStatus::NoRate));
    }
    Ok(Answer::lists(&[("rates", &rates)]))
}

fn termination_rates(params: &Params, conn: &Connection) -> Outcome {
    let (route_id, route) = match params.get("route") {
        None => return Ok(Answer::error(ApiStatus::MissingRoute)),
        Some(r) => (r, store::routes(conn, Some(r))?),
    };
    if route.is_empty() {
        return Ok(Answer::error(ApiStatus::InvalidRoute));
    }
    let query = check!(search_query(params));
    let rates = store::termination_rates(conn, route_id, query)?;
    if rates.is_empty() {
        return Ok(Answer::error(ApiStatus::NoRate));
    }
    Ok(Answer::lists(&[("route", &route), ("rates", &rates)]))
}

fn routes(params: &Params, conn: &Connection) -> Outcome {
    let routes = store::routes(conn, params.get("route"))?;
    if routes.is_empty() {
        return Ok(Answer::error(ApiStatus::InvalidRoute));
    }
    Ok(Answer::lists(&[("routes", &routes)]))
}

fn packages(params: &Params, conn: &Connection) -> Outcome {
    let packages = store::packages(conn, params.get("package"))?;
    if packages.is_empty() {
        return Ok(Answer::error(ApiStatus::NoPackage));
    }
    Ok(Answer::lists(&[("packages", &packages)]))
}

fn clients(params: &Params, conn: &Connection) -> Outcome {
    let clients = store::clients(conn, params.get("client"))?;
    if clients.is_empty() {
        return Ok(Answer::error(ApiStatus::NoClient));
    }
    Ok(Answer::lists(&[("clients", &clients)]))
}

fn client_packages(params: &Params, conn: &Connection) -> Outcome {
    let client = check!(required_client(params, conn)?);
    let packages = store::client_packages(conn, client)?;
    if packages.is_empty() {
        return Ok(Answer::error(ApiStatus::NoPackage));
    }
    Ok(Answer::lists(&[("packages", &packages)]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timezones() {
        assert_eq!(parse_timezone("-5"), Some(-18_000));
        assert_eq!(parse_timezone("5.5"), Some(19_800));
        assert_eq!(parse_timezone("+13"), Some(46_800));
        assert_eq!(parse_timezone("-12"), Some(-43_200));
        assert_eq!(parse_timezone("0"), Some(0));
        assert_eq!(parse_timezone("-0.25"), Some(-900));
        for bad in [
            "", "abc", "13.5", "-12.5", "1e1", "inf", "nan", " 5", "5 ", "5.", ".5", "--5", "14",
        ] {
            assert_eq!(parse_timezone(bad), None, "{bad}");
        }
    }

    #[test]
    fn last_non_empty_value_wins() {
        let p = Params(vec![
            ("a".into(), "1".into()),
            ("a".into(), "2".into()),
            ("b".into(), String::new()),
        ]);
        assert_eq!(p.get("a"), Some("2"));
        assert_eq!(p.get("b"), None);
        assert_eq!(p.get("c"), None);
    }

    #[test]
    fn answers_are_string_only_json() {
        let a = Answer::lists(&[("x", &[Record::pair("1", "One")])]);
        assert_eq!(
            String::from_utf8(a.body).unwrap(),
            r#"{"status":"success","x":[{"value":"1","description":"One"}]}"#
        );
        assert_eq!(a.rows, Some(1));
        assert_eq!(
            Answer::error(ApiStatus::NoCdr).body,
            br#"{"status":"no_cdr"}"#.to_vec()
        );
    }
}
