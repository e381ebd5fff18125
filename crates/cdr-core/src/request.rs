//! Typed requests, checked before anything is sent.
//!
//! Each request type validates with the same rules the service applies, so that a form can
//! show every mistake beside its field instead of a round trip ending in `invalid_date`.
//! [`ValidationError::status`] names the code the service would have answered, which is
//! also what the simulator answers when it parses the same fields with
//! [`Request::from_fields`].

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

use crate::model::Disposition;
use crate::status::ApiStatus;

/// The longest range, in days counted inclusively, that one getCDR request may cover.
pub const MAX_RANGE_DAYS: u32 = crate::range::MAX_RANGE_DAYS;

/// A field that failed validation, with a sentence for the user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    /// The wire name of the field, e.g. `date_from`, so a form can put the message beside it.
    pub field: &'static str,
    /// What is wrong and how to fix it, as a sentence.
    pub message: String,
    /// The status code the service answers for the same mistake.
    pub status: ApiStatus,
}

impl ValidationError {
    /// An error on `field` with the service's `status` and a sentence.
    pub fn new(field: &'static str, status: ApiStatus, message: impl Into<String>) -> Self {
        ValidationError {
            field,
            message: message.into(),
            status,
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ValidationError {}

/// A request to one API method.
pub trait ApiRequest {
    /// The method this request calls.
    fn method(&self) -> Method;

    /// Every problem, in the order the service checks them; empty when the request is valid.
    fn errors(&self) -> Vec<ValidationError>;

    /// The first problem, the one the service would answer with.
    fn validate(&self) -> Result<(), ValidationError> {
        match self.errors().into_iter().next() {
            Some(err) => Err(err),
            None => Ok(()),
        }
    }

    /// The method's parameters in the contract's order, values trimmed, optional fields that
    /// are empty left out. Does not validate: see [`crate::wire::encode`].
    fn params(&self) -> Vec<(&'static str, String)>;
}

// ---------------------------------------------------------------------------------------
// Scalars

/// A timezone offset in hours, -12 to 13, with up to two decimals (`5.5`, `5.75`).
///
/// Stored as hundredths of an hour so that it compares and prints exactly.
///
/// ```
/// use cdr_core::request::Timezone;
/// let tz: Timezone = "5.75".parse().unwrap();
/// assert_eq!(tz.to_string(), "5.75");
/// assert_eq!(tz.offset_seconds(), 20_700);
/// assert!("13.5".parse::<Timezone>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Timezone(i32);

/// Why a text is not a [`Timezone`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimezoneError {
    /// Nothing was given.
    #[error("no timezone given")]
    Empty,
    /// Not a number with at most two decimals.
    #[error("“{0}” is not an hour offset")]
    Invalid(String),
    /// A number outside -12..13.
    #[error("{0} is outside -12 to 13")]
    OutOfRange(String),
}

impl Timezone {
    /// UTC, offset 0.
    pub const UTC: Timezone = Timezone(0);
    /// The lowest offset the API accepts, -12.
    pub const MIN: Timezone = Timezone(-1200);
    /// The highest offset the API accepts, 13.
    pub const MAX: Timezone = Timezone(1300);

    /// A timezone from hundredths of an hour (`550` is 5.5), if within -12..13.
    pub fn from_hundredths(hundredths: i32) -> Option<Timezone> {
        (Self::MIN.0..=Self::MAX.0)
            .contains(&hundredths)
            .then_some(Timezone(hundredths))
    }

    /// A timezone from whole hours, if within -12..13.
    pub fn from_hours(hours: i32) -> Option<Timezone> {
        hours.checked_mul(100).and_then(Timezone::from_hundredths)
    }

    /// The offset in hundredths of an hour.
    pub const fn hundredths(self) -> i32 {
        self.0
    }

    /// The offset in seconds (exact: a hundredth of an hour is 36 s).
    pub const fn offset_seconds(self) -> i32 {
        self.0 * 36
    }

    /// Reads `"5.5"`, `"-12"`, `"+3"`, `"13"`; at most two decimals.
    pub fn parse(text: &str) -> Result<Timezone, TimezoneError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(TimezoneError::Empty);
        }
        let invalid = || TimezoneError::Invalid(t.to_owned());
        let (negative, rest) = match t.as_bytes()[0] {
            b'-' => (true, &t[1..]),
            b'+' => (false, &t[1..]),
            _ => (false, t),
        };
        let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
        if (int.is_empty() && frac.is_empty())
            || !int.bytes().all(|b| b.is_ascii_digit())
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(invalid());
        }
        // Trailing zeros beyond two decimals ("5.500") are harmless; other digits are not.
        let frac = frac.trim_end_matches('0');
        if frac.len() > 2 {
            return Err(invalid());
        }
        let out_of_range = || TimezoneError::OutOfRange(t.to_owned());
        let int = int.trim_start_matches('0');
        if int.len() > 2 {
            return Err(out_of_range());
        }
        let whole: i32 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| invalid())?
        };
        let hundredths_part: i32 = format!("{frac:0<2}").parse().map_err(|_| invalid())?;
        let value = whole * 100 + hundredths_part;
        Timezone::from_hundredths(if negative { -value } else { value }).ok_or_else(out_of_range)
    }
}

impl fmt::Display for Timezone {
    /// The shortest form: `5.5`, `-3`, `0`, `5.75`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (whole, frac) = (abs / 100, abs % 100);
        match frac {
            0 => write!(f, "{sign}{whole}"),
            f10 if f10 % 10 == 0 => write!(f, "{sign}{whole}.{}", f10 / 10),
            _ => write!(f, "{sign}{whole}.{frac:02}"),
        }
    }
}

impl FromStr for Timezone {
    type Err = TimezoneError;
    fn from_str(s: &str) -> Result<Timezone, TimezoneError> {
        Timezone::parse(s)
    }
}

/// Reads a date written exactly `YYYY-MM-DD`, as the API requires.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &b[r];
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
    };
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

/// Writes a date as the API wants it: `YYYY-MM-DD`.
pub fn format_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Which call outcomes a CDR request includes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Dispositions {
    /// `answered`: calls that were answered.
    pub answered: bool,
    /// `noanswer`: calls nobody answered.
    pub noanswer: bool,
    /// `busy`: calls that met a busy line.
    pub busy: bool,
    /// `failed`: calls that failed.
    pub failed: bool,
}

impl Dispositions {
    /// All four outcomes.
    pub const ALL: Dispositions = Dispositions {
        answered: true,
        noanswer: true,
        busy: true,
        failed: true,
    };
    /// None: not a valid request (`no_callstatus`), but a useful starting point.
    pub const NONE: Dispositions = Dispositions {
        answered: false,
        noanswer: false,
        busy: false,
        failed: false,
    };

    /// Whether at least one outcome is included, as the service requires.
    pub const fn any(self) -> bool {
        self.answered || self.noanswer || self.busy || self.failed
    }

    /// Whether rows with this disposition are included; other dispositions never are.
    pub fn includes(self, disposition: &Disposition) -> bool {
        match disposition {
            Disposition::Answered => self.answered,
            Disposition::NoAnswer => self.noanswer,
            Disposition::Busy => self.busy,
            Disposition::Failed => self.failed,
            Disposition::Other(_) => false,
        }
    }
}

impl Default for Dispositions {
    /// All outcomes: what a user looking at their calls expects first.
    fn default() -> Self {
        Dispositions::ALL
    }
}

fn flag(on: bool) -> String {
    if on { "1" } else { "0" }.to_owned()
}

// ---------------------------------------------------------------------------------------
// CDR filter

/// The `callbilling` values the service accepts.
pub const CALL_BILLING_VALUES: [&str; 3] = ["all", "free", "billed"];

/// The filter shared by getCDR and getResellerCDR.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CdrFilter {
    /// First day, inclusive.
    pub date_from: NaiveDate,
    /// Last day, inclusive.
    pub date_to: NaiveDate,
    /// Offset the service shifts call times by.
    pub timezone: Timezone,
    /// Which outcomes to include.
    pub dispositions: Dispositions,
    /// `all`, `outgoing`, `incoming` or one DID (values from getCallTypes).
    pub calltype: String,
    /// `all`, `free` or `billed`.
    pub callbilling: String,
    /// `all` or one account value from getCallAccounts.
    pub account: String,
}

/// A CDR filter as a form holds it: text fields and check boxes, not yet checked.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct RawCdrForm {
    /// Start date as typed, `YYYY-MM-DD`.
    pub date_from: String,
    /// End date as typed, `YYYY-MM-DD`.
    pub date_to: String,
    /// Hour offset as typed, e.g. `-5` or `5.5`.
    pub timezone: String,
    /// Include answered calls.
    pub answered: bool,
    /// Include unanswered calls.
    pub noanswer: bool,
    /// Include busy calls.
    pub busy: bool,
    /// Include failed calls.
    pub failed: bool,
    /// Call type; empty means `all`.
    pub calltype: String,
    /// Call billing; empty means `all`.
    pub callbilling: String,
    /// Account; empty means `all`.
    pub account: String,
}

impl CdrFilter {
    /// A filter over `date_from..=date_to` with everything else at its default: all
    /// outcomes, call types, billing and accounts.
    pub fn new(date_from: NaiveDate, date_to: NaiveDate, timezone: Timezone) -> Self {
        CdrFilter {
            date_from,
            date_to,
            timezone,
            dispositions: Dispositions::ALL,
            calltype: "all".to_owned(),
            callbilling: "all".to_owned(),
            account: "all".to_owned(),
        }
    }

    /// The number of days covered, both ends counted (0 when from is after to).
    pub fn days(&self) -> u32 {
        crate::range::inclusive_days(self.date_from, self.date_to)
    }

    /// The same filter over another range, e.g. one window of a long range.
    pub fn with_range(&self, date_from: NaiveDate, date_to: NaiveDate) -> Self {
        CdrFilter {
            date_from,
            date_to,
            ..self.clone()
        }
    }

    /// Checks a form and builds the filter, or returns every problem so that each can be
    /// shown beside its field. Empty call type, billing and account mean `all`.
    ///
    /// ```
    /// use cdr_core::request::{CdrFilter, RawCdrForm};
    /// let form = RawCdrForm {
    ///     date_from: "2010-11-30".into(),
    ///     date_to: "2010-11-01".into(),
    ///     timezone: "".into(),
    ///     ..RawCdrForm::default()
    /// };
    /// let errors = CdrFilter::from_form(&form).unwrap_err();
    /// let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
    /// assert_eq!(fields, ["date_from", "timezone", "answered"]);
    /// ```
    pub fn from_form(form: &RawCdrForm) -> Result<CdrFilter, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let date_from = check_date(&form.date_from, "date_from", &mut errors);
        let date_to = check_date(&form.date_to, "date_to", &mut errors);
        if let (Some(from), Some(to)) = (date_from, date_to) {
            errors.extend(range_errors(from, to));
        }
        let timezone = match Timezone::parse(&form.timezone) {
            Ok(tz) => Some(tz),
            Err(err) => {
                errors.push(timezone_error(&err));
                None
            }
        };
        let dispositions = Dispositions {
            answered: form.answered,
            noanswer: form.noanswer,
            busy: form.busy,
            failed: form.failed,
        };
        let or_all = |s: &str| {
            let t = s.trim();
            if t.is_empty() { "all" } else { t }.to_owned()
        };
        let filter = CdrFilter {
            date_from: date_from.unwrap_or_default(),
            date_to: date_to.unwrap_or_default(),
            timezone: timezone.unwrap_or_default(),
            dispositions,
            calltype: or_all(&form.calltype),
            callbilling: or_all(&form.callbilling),
            account: or_all(&form.account),
        };
        // The remaining rules do not depend on the dates; reuse them in the service's order.
        errors.extend(filter.tail_errors());
        if errors.is_empty() {
            Ok(filter)
        } else {
            Err(errors)
        }
    }

    /// Every problem of an already typed filter, in the service's order.
    pub fn errors(&self) -> Vec<ValidationError> {
        let mut errors = range_errors(self.date_from, self.date_to);
        errors.extend(self.tail_errors());
        errors
    }

    /// Rules after the dates and timezone: call statuses, then the three lookups.
    fn tail_errors(&self) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        if !self.dispositions.any() {
            errors.push(ValidationError::new(
                "answered",
                ApiStatus::NoCallstatus,
                "Choose at least one call status: answered, no answer, busy or failed.",
            ));
        }
        if self.calltype.trim().is_empty() {
            errors.push(ValidationError::new(
                "calltype",
                ApiStatus::InvalidCallType,
                "Choose a call type, or all.",
            ));
        }
        if !CALL_BILLING_VALUES.contains(&self.callbilling.trim()) {
            errors.push(ValidationError::new(
                "callbilling",
                ApiStatus::InvalidCallbilling,
                format!(
                    "Call billing must be all, free or billed, not “{}”.",
                    self.callbilling.trim()
                ),
            ));
        }
        if self.account.trim().is_empty() {
            errors.push(ValidationError::new(
                "account",
                ApiStatus::InvalidAccount,
                "Choose an account, or all.",
            ));
        }
        errors
    }

    /// The filter's parameters in the contract's order.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("date_from", format_date(self.date_from)),
            ("date_to", format_date(self.date_to)),
            ("timezone", self.timezone.to_string()),
            ("answered", flag(self.dispositions.answered)),
            ("noanswer", flag(self.dispositions.noanswer)),
            ("busy", flag(self.dispositions.busy)),
            ("failed", flag(self.dispositions.failed)),
            ("calltype", self.calltype.trim().to_owned()),
            ("callbilling", self.callbilling.trim().to_owned()),
            ("account", self.account.trim().to_owned()),
        ]
    }

    /// Reads the filter from request fields as the service does, stopping at the first
    /// problem. A flag is on only when it is `1`; absent lookups mean `all`.
    pub fn from_fields<K: AsRef<str>, V: AsRef<str>>(
        fields: &[(K, V)],
    ) -> Result<CdrFilter, ValidationError> {
        let get = |name: &str| field(fields, name);
        let on = |name: &str| get(name).map(str::trim) == Some("1");
        let form = RawCdrForm {
            date_from: get("date_from").unwrap_or_default().to_owned(),
            date_to: get("date_to").unwrap_or_default().to_owned(),
            timezone: get("timezone").unwrap_or_default().to_owned(),
            answered: on("answered"),
            noanswer: on("noanswer"),
            busy: on("busy"),
            failed: on("failed"),
            calltype: get("calltype").unwrap_or_default().to_owned(),
            callbilling: get("callbilling").unwrap_or_default().to_owned(),
            account: get("account").unwrap_or_default().to_owned(),
        };
        CdrFilter::from_form(&form).map_err(|mut errors| errors.swap_remove(0))
    }
}

/// The last value of `name`, as PHP's request arrays keep the last duplicate.
fn field<'a, K: AsRef<str>, V: AsRef<str>>(fields: &'a [(K, V)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k.as_ref() == name)
        .map(|(_, v)| v.as_ref())
}

fn check_date(
    text: &str,
    field: &'static str,
    errors: &mut Vec<ValidationError>,
) -> Option<NaiveDate> {
    let (article, which) = if field == "date_from" {
        ("a", "start")
    } else {
        ("an", "end")
    };
    let t = text.trim();
    if t.is_empty() {
        let status = if field == "date_from" {
            ApiStatus::MissingFromDate
        } else {
            ApiStatus::MissingToDate
        };
        errors.push(ValidationError::new(
            field,
            status,
            format!("Enter {article} {which} date as YYYY-MM-DD."),
        ));
        return None;
    }
    let date = parse_date(t);
    if date.is_none() {
        errors.push(ValidationError::new(
            field,
            ApiStatus::InvalidDate,
            format!(
                "The {which} date “{t}” is not a real date written YYYY-MM-DD, such as 2010-11-30."
            ),
        ));
    }
    date
}

fn range_errors(from: NaiveDate, to: NaiveDate) -> Vec<ValidationError> {
    if from > to {
        return vec![ValidationError::new(
            "date_from",
            ApiStatus::InvalidDateFrom,
            "The start date is after the end date.",
        )];
    }
    let days = crate::range::inclusive_days(from, to);
    if days > MAX_RANGE_DAYS {
        let last = from + chrono::Days::new(u64::from(MAX_RANGE_DAYS - 1));
        return vec![ValidationError::new(
            "date_to",
            ApiStatus::InvalidDaterange,
            format!(
                "The range covers {days} days but one request may cover at most {MAX_RANGE_DAYS}; choose an end date no later than {}.",
                format_date(last)
            ),
        )];
    }
    Vec::new()
}

fn timezone_error(err: &TimezoneError) -> ValidationError {
    match err {
        TimezoneError::Empty => ValidationError::new(
            "timezone",
            ApiStatus::MissingTimezone,
            "Choose a timezone offset from -12 to 13.",
        ),
        TimezoneError::Invalid(t) | TimezoneError::OutOfRange(t) => ValidationError::new(
            "timezone",
            ApiStatus::InvalidTimezone,
            format!(
                "The timezone must be an hour offset from -12 to 13, such as -5 or 5.5, not “{t}”."
            ),
        ),
    }
}

fn required(
    value: &str,
    field: &'static str,
    status: ApiStatus,
    what: &str,
) -> Option<ValidationError> {
    value
        .trim()
        .is_empty()
        .then(|| ValidationError::new(field, status, format!("Enter {what}.")))
}

fn optional(value: &Option<String>) -> Option<String> {
    value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

// ---------------------------------------------------------------------------------------
// Requests

/// getCallAccounts: the accounts a CDR filter can name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallAccountsRequest {
    /// A reseller client id, to list that client's accounts instead of one's own.
    pub client: Option<String>,
}

/// getCallBilling: the call billing choices.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallBillingRequest;

/// getCallTypes: the call types a CDR filter can name.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallTypesRequest {
    /// A reseller client id, to list that client's DIDs instead of one's own.
    pub client: Option<String>,
}

/// getCDR: the account's calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CdrRequest {
    /// Which calls.
    pub filter: CdrFilter,
}

/// getResellerCDR: one reseller client's calls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResellerCdrRequest {
    /// The reseller client id.
    pub client: String,
    /// Which calls.
    pub filter: CdrFilter,
}

/// getRates: a package's rates matching a search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RatesRequest {
    /// Package id (values from getPackages or getClientPackages).
    pub package: String,
    /// Search term: part of a destination name, e.g. `Canada`.
    pub query: String,
}

/// getTerminationRates: a route's rates matching a search.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TerminationRatesRequest {
    /// Route code (values from getRoutes), e.g. `2`.
    pub route: String,
    /// Search term: part of a destination name, e.g. `Canada`.
    pub query: String,
}

/// getRoutes: the termination routes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoutesRequest {
    /// One route code, to describe only that route.
    pub route: Option<String>,
}

/// getPackages: the reseller's packages.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackagesRequest {
    /// One package id, to describe only that package.
    pub package: Option<String>,
}

/// getClients: the reseller's clients.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientsRequest {
    /// One client id or e-mail, to describe only that client.
    pub client: Option<String>,
}

/// getClientPackages: the packages a client may use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClientPackagesRequest {
    /// The reseller client id.
    pub client: String,
}

impl ApiRequest for CallAccountsRequest {
    fn method(&self) -> Method {
        Method::GetCallAccounts
    }
    fn errors(&self) -> Vec<ValidationError> {
        Vec::new()
    }
    fn params(&self) -> Vec<(&'static str, String)> {
        optional(&self.client)
            .map(|c| ("client", c))
            .into_iter()
            .collect()
    }
}

impl ApiRequest for CallBillingRequest {
    fn method(&self) -> Method {
        Method::GetCallBilling
    }
    fn errors(&self) -> Vec<ValidationError> {
        Vec::new()
    }
    fn params(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

impl ApiRequest for CallTypesRequest {
    fn method(&self) -> Method {
        Method::GetCallTypes
    }
    fn errors(&self) -> Vec<ValidationError> {
        Vec::new()
    }
    fn params(&self) -> Vec<(&'static str, String)> {
        optional(&self.client)
            .map(|c| ("client", c))
            .into_iter()
            .collect()
    }
}

impl ApiRequest for CdrRequest {
    fn method(&self) -> Method {
        Method::GetCdr
    }
    fn errors(&self) -> Vec<ValidationError> {
        self.filter.errors()
    }
    fn params(&self) -> Vec<(&'static str, String)> {
        self.filter.params()
    }
}

impl ApiRequest for ResellerCdrRequest {
    fn method(&self) -> Method {
        Method::GetResellerCdr
    }
    /// The contract lists getResellerCDR as "getCDR plus `client`": client is checked last.
    fn errors(&self) -> Vec<ValidationError> {
        let mut errors = self.filter.errors();
        errors.extend(required(
            &self.client,
            "client",
            ApiStatus::MissingClient,
            "a reseller client",
        ));
        errors
    }
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut params = self.filter.params();
        params.push(("client", self.client.trim().to_owned()));
        params
    }
}

impl ApiRequest for RatesRequest {
    fn method(&self) -> Method {
        Method::GetRates
    }
    fn errors(&self) -> Vec<ValidationError> {
        [
            required(
                &self.package,
                "package",
                ApiStatus::MissingPackage,
                "a package",
            ),
            required(
                &self.query,
                "query",
                ApiStatus::MissingQuery,
                "a search term, such as Canada",
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
    fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("package", self.package.trim().to_owned()),
            ("query", self.query.trim().to_owned()),
        ]
    }
}

impl ApiRequest for TerminationRatesRequest {
    fn method(&self) -> Method {
        Method::GetTerminationRates
    }
    fn errors(&self) -> Vec<ValidationError> {
        [
            required(&self.route, "route", ApiStatus::MissingRoute, "a route"),
            required(
                &self.query,
                "query",
                ApiStatus::MissingQuery,
                "a search term, such as Canada",
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    }
    fn params(&self) -> Vec<(&'static str, String)> {
        vec![
            ("route", self.route.trim().to_owned()),
            ("query", self.query.trim().to_owned()),
        ]
    }
}

impl ApiRequest for RoutesRequest {
    fn method(&self) -> Method {
        Method::GetRoutes
    }
    fn errors(&self) -> Vec<ValidationError> {
        Vec::new()
    }
    fn params(&self) -> Vec<(&'static str, String)> {
        optional(&self.route)
            .map(|r| ("route", r))
            .into_iter()
            .collect()
    }
}

impl ApiRequest for PackagesRequest {
    fn method(&self) -> Method {
        Method::GetPackages
    }
    fn errors(&self) -> Vec<ValidationError> {
        Vec::new()
    }
    fn params(&self) -> Vec<(&'static str, String)> {
        optional(&self.package)
            .map(|p| ("package", p))
            .into_iter()
            .collect()
    }
}

impl ApiRequest for ClientsRequest {
    fn method(&self) -> Method {
        Method::GetClients
    }
    fn errors(&self) -> Vec<ValidationError> {
        Vec::new()
    }
    fn params(&self) -> Vec<(&'static str, String)> {
        optional(&self.client)
            .map(|c| ("client", c))
            .into_iter()
            .collect()
    }
}

impl ApiRequest for ClientPackagesRequest {
    fn method(&self) -> Method {
        Method::GetClientPackages
    }
    fn errors(&self) -> Vec<ValidationError> {
        required(
            &self.client,
            "client",
            ApiStatus::MissingClient,
            "a reseller client",
        )
        .into_iter()
        .collect()
    }
    fn params(&self) -> Vec<(&'static str, String)> {
        vec![("client", self.client.trim().to_owned())]
    }
}

/// Any request, for code that handles methods generically (the simulator's dispatcher).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Request {
    /// getCallAccounts
    CallAccounts(CallAccountsRequest),
    /// getCallBilling
    CallBilling(CallBillingRequest),
    /// getCallTypes
    CallTypes(CallTypesRequest),
    /// getCDR
    Cdr(CdrRequest),
    /// getResellerCDR
    ResellerCdr(ResellerCdrRequest),
    /// getRates
    Rates(RatesRequest),
    /// getTerminationRates
    TerminationRates(TerminationRatesRequest),
    /// getRoutes
    Routes(RoutesRequest),
    /// getPackages
    Packages(PackagesRequest),
    /// getClients
    Clients(ClientsRequest),
    /// getClientPackages
    ClientPackages(ClientPackagesRequest),
}

impl Request {
    fn inner(&self) -> &dyn ApiRequest {
        match self {
            Request::CallAccounts(r) => r,
            Request::CallBilling(r) => r,
            Request::CallTypes(r) => r,
            Request::Cdr(r) => r,
            Request::ResellerCdr(r) => r,
            Request::Rates(r) => r,
            Request::TerminationRates(r) => r,
            Request::Routes(r) => r,
            Request::Packages(r) => r,
            Request::Clients(r) => r,
            Request::ClientPackages(r) => r,
        }
    }

    /// Reads a method's parameters from request fields (a query string or a form body,
    /// credentials and `method` ignored) and checks them in the service's order.
    ///
    /// The error's [`ValidationError::status`] is the code to answer with. Lookup values
    /// (`calltype`, `account`, `client`, …) are only checked for presence here: whether they
    /// exist is for whoever holds the data.
    ///
    /// ```
    /// use cdr_core::request::{Method, Request};
    /// use cdr_core::status::ApiStatus;
    /// let fields = [("date_from", "2010-11-30"), ("date_to", "2010-11-01"), ("timezone", "-5")];
    /// let err = Request::from_fields(Method::GetCdr, &fields).unwrap_err();
    /// assert_eq!(err.status, ApiStatus::InvalidDateFrom);
    /// ```
    pub fn from_fields<K: AsRef<str>, V: AsRef<str>>(
        method: Method,
        fields: &[(K, V)],
    ) -> Result<Request, ValidationError> {
        let text = |name: &str| field(fields, name).unwrap_or_default().trim().to_owned();
        let opt = |name: &str| Some(text(name)).filter(|v| !v.is_empty());
        let request = match method {
            Method::GetCallAccounts => Request::CallAccounts(CallAccountsRequest {
                client: opt("client"),
            }),
            Method::GetCallBilling => Request::CallBilling(CallBillingRequest),
            Method::GetCallTypes => Request::CallTypes(CallTypesRequest {
                client: opt("client"),
            }),
            Method::GetCdr => Request::Cdr(CdrRequest {
                filter: CdrFilter::from_fields(fields)?,
            }),
            Method::GetResellerCdr => Request::ResellerCdr(ResellerCdrRequest {
                filter: CdrFilter::from_fields(fields)?,
                client: text("client"),
            }),
            Method::GetRates => Request::Rates(RatesRequest {
                package: text("package"),
                query: text("query"),
            }),
            Method::GetTerminationRates => Request::TerminationRates(TerminationRatesRequest {
                route: text("route"),
                query: text("query"),
            }),
            Method::GetRoutes => Request::Routes(RoutesRequest {
                route: opt("route"),
            }),
            Method::GetPackages => Request::Packages(PackagesRequest {
                package: opt("package"),
            }),
            Method::GetClients => Request::Clients(ClientsRequest {
                client: opt("client"),
            }),
            Method::GetClientPackages => Request::ClientPackages(ClientPackagesRequest {
                client: text("client"),
            }),
        };
        request.validate()?;
        Ok(request)
    }
}

impl ApiRequest for Request {
    fn method(&self) -> Method {
        self.inner().method()
    }
    fn errors(&self) -> Vec<ValidationError> {
        self.inner().errors()
    }
    fn params(&self) -> Vec<(&'static str, String)> {
        self.inner().params()
    }
}

// ---------------------------------------------------------------------------------------
// Methods

/// An API method this crate can call, spelled on the wire exactly as documented.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method {
    /// `getCallAccounts`: the accounts a CDR filter can name.
    GetCallAccounts,
    /// `getCallBilling`: `all`, `free`, `billed`.
    GetCallBilling,
    /// `getCallTypes`: `all`, `outgoing`, `incoming` and one entry per DID.
    GetCallTypes,
    /// `getCDR`: the call detail records of the account.
    GetCdr,
    /// `getResellerCDR`: the call detail records of one reseller client.
    GetResellerCdr,
    /// `getRates`: a package's rates matching a search.
    GetRates,
    /// `getTerminationRates`: a route's termination rates matching a search.
    GetTerminationRates,
    /// `getRoutes`: the termination routes (Value, Premium).
    GetRoutes,
    /// `getPackages`: the reseller's packages.
    GetPackages,
    /// `getClients`: the reseller's clients.
    GetClients,
    /// `getClientPackages`: the packages one client may use.
    GetClientPackages,
}

impl Method {
    /// Every method, in the contract's order.
    pub const ALL: [Method; 11] = [
        Method::GetCallAccounts,
        Method::GetCallBilling,
        Method::GetCallTypes,
        Method::GetCdr,
        Method::GetResellerCdr,
        Method::GetRates,
        Method::GetTerminationRates,
        Method::GetRoutes,
        Method::GetPackages,
        Method::GetClients,
        Method::GetClientPackages,
    ];

    /// The wire name, e.g. `"getCDR"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Method::GetCallAccounts => "getCallAccounts",
            Method::GetCallBilling => "getCallBilling",
            Method::GetCallTypes => "getCallTypes",
            Method::GetCdr => "getCDR",
            Method::GetResellerCdr => "getResellerCDR",
            Method::GetRates => "getRates",
            Method::GetTerminationRates => "getTerminationRates",
            Method::GetRoutes => "getRoutes",
            Method::GetPackages => "getPackages",
            Method::GetClients => "getClients",
            Method::GetClientPackages => "getClientPackages",
        }
    }

    /// The method for an exact wire name; `None` for anything else (`invalid_method`).
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.as_str() == name)
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
