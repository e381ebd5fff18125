//! The rows the API answers with, as typed values.
//!
//! Deserialization is tolerant (see [`crate::de`]); serialization writes the API's own form
//! (every scalar a JSON string, money with 8 decimals) so that the simulator can answer with
//! these same types.

use std::fmt;

use chrono::{NaiveDateTime, Timelike};
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use crate::de::{self as tol, Tol, TolerantScalar};
use crate::money::Money;

/// How a call ended.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Disposition {
    /// `ANSWERED`
    Answered,
    /// `NO ANSWER`
    NoAnswer,
    /// `BUSY`
    Busy,
    /// `FAILED`
    Failed,
    /// Any other text, kept as it came so that it still shows.
    Other(String),
}

impl Disposition {
    /// The four known dispositions, in the API's filter order.
    pub const KNOWN: [Disposition; 4] = [
        Disposition::Answered,
        Disposition::NoAnswer,
        Disposition::Busy,
        Disposition::Failed,
    ];

    /// The disposition for a wire name; case and surrounding spaces do not matter.
    pub fn from_wire(text: &str) -> Disposition {
        let t = text.trim();
        if t.eq_ignore_ascii_case("ANSWERED") {
            Disposition::Answered
        } else if t.eq_ignore_ascii_case("NO ANSWER") || t.eq_ignore_ascii_case("NOANSWER") {
            Disposition::NoAnswer
        } else if t.eq_ignore_ascii_case("BUSY") {
            Disposition::Busy
        } else if t.eq_ignore_ascii_case("FAILED") {
            Disposition::Failed
        } else {
            Disposition::Other(text.to_owned())
        }
    }

    /// The wire name, e.g. `"NO ANSWER"`.
    pub fn as_str(&self) -> &str {
        match self {
            Disposition::Answered => "ANSWERED",
            Disposition::NoAnswer => "NO ANSWER",
            Disposition::Busy => "BUSY",
            Disposition::Failed => "FAILED",
            Disposition::Other(text) => text,
        }
    }

    /// A label for people, e.g. `"No answer"`.
    pub fn label(&self) -> &str {
        match self {
            Disposition::Answered => "Answered",
            Disposition::NoAnswer => "No answer",
            Disposition::Busy => "Busy",
            Disposition::Failed => "Failed",
            Disposition::Other(text) => text,
        }
    }
}

impl fmt::Display for Disposition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TolerantScalar for Disposition {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Disposition;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a call disposition such as ANSWERED")
            }
            // Borrowed: the four known names then cost no allocation.
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Disposition, E> {
                Ok(Disposition::from_wire(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Disposition, E> {
                Ok(Disposition::Other(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Disposition, E> {
                Ok(Disposition::Other(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Disposition, E> {
                Ok(Disposition::Other(v.to_string()))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Disposition, E> {
                Ok(Disposition::Other(if v { "1" } else { "" }.to_owned()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Disposition, E> {
                Ok(Disposition::Other(String::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Disposition, E> {
                self.visit_unit()
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Disposition, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for Disposition {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Disposition::deserialize_tolerant(d)
    }
}

impl Serialize for Disposition {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One call detail record of getCDR or getResellerCDR.
#[derive(Clone, Debug, PartialEq)]
pub struct CdrRow {
    /// Start of the call, already shifted by the requested timezone (no zone attached).
    /// A placeholder date on the wire becomes the Unix epoch.
    pub date: NaiveDateTime,
    /// Caller display, e.g. `"John Doe" <5551112222>` or a bare number.
    pub callerid: String,
    /// Dialled or called number, kept as text (leading zeros, `+`).
    pub destination: String,
    /// E.g. `Inbound - Local Caller`.
    pub description: String,
    /// Sub-account (`100000_VoIP`) or main account number.
    pub account: String,
    /// How the call ended.
    pub disposition: Disposition,
    /// Real call length in seconds, not rounded up to the billing increment.
    pub seconds: u32,
    /// Per-minute rate; getResellerCDR sends none.
    pub rate: Option<Money>,
    /// Amount charged for the call.
    pub total: Money,
    /// Call id; may contain letters, so never a number.
    pub uniqueid: String,
    /// E.g. `IN:USA`, when sent.
    pub destination_type: Option<String>,
    /// Free text, when sent.
    pub call_logs: Option<String>,
    /// Source IP, when sent.
    pub ip: Option<String>,
    /// Device user agent, when sent.
    pub useragent: Option<String>,
}

/// Formats whole seconds as `HH:MM:SS`; hours grow past two digits rather than wrap.
pub fn format_hms(seconds: u32) -> String {
    format!(
        "{:02}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

/// Reads `HH:MM:SS` (or `MM:SS`, or plain seconds) into seconds.
pub fn parse_hms(text: &str) -> Option<u32> {
    // Fast path for the API's fixed `HH:MM:SS`, read once per CDR row.
    if let [h1, h2, b':', m1, m2, b':', s1, s2] = *text.as_bytes() {
        let digits = [h1, h2, m1, m2, s1, s2];
        if digits.iter().all(u8::is_ascii_digit) {
            let n = |a: u8, b: u8| u32::from(a - b'0') * 10 + u32::from(b - b'0');
            return Some(n(h1, h2) * 3600 + n(m1, m2) * 60 + n(s1, s2));
        }
    }
    let mut total: u32 = 0;
    let mut parts = 0;
    for part in text.trim().split(':') {
        parts += 1;
        if parts > 3 || part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        total = total.checked_mul(60)?.checked_add(part.parse().ok()?)?;
    }
    Some(total)
}

impl CdrRow {
    /// The call length as `HH:MM:SS`, as the API's `duration` field writes it.
    pub fn duration_hms(&self) -> String {
        format_hms(self.seconds)
    }

    /// The date as the API writes it: `YYYY-MM-DD HH:MM:SS`.
    pub fn date_string(&self) -> String {
        DateText(self.date).to_string()
    }
}

/// `YYYY-MM-DD HH:MM:SS` without going through chrono's format-string interpreter.
struct DateText(NaiveDateTime);

impl fmt::Display for DateText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use chrono::Datelike;
        let d = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            d.year(),
            d.month(),
            d.day(),
            d.hour(),
            d.minute(),
            d.second()
        )
    }
}

/// `HH:MM:SS` as a `Display` so serialization need not allocate.
struct Hms(u32);

impl fmt::Display for Hms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        write!(f, "{:02}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

impl Serialize for CdrRow {
    /// The API's form: all scalars strings, `duration` included, `rate` only when present
    /// (so getResellerCDR rows come out without it), optional fields only when present.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("CdrRow", 15)?;
        st.serialize_field("date", &Collect(DateText(self.date)))?;
        st.serialize_field("callerid", &self.callerid)?;
        st.serialize_field("destination", &self.destination)?;
        st.serialize_field("description", &self.description)?;
        st.serialize_field("account", &self.account)?;
        st.serialize_field("disposition", &self.disposition)?;
        st.serialize_field("duration", &Collect(Hms(self.seconds)))?;
        st.serialize_field("seconds", &Collect(self.seconds))?;
        match &self.rate {
            Some(rate) => st.serialize_field("rate", rate)?,
            None => st.skip_field("rate")?,
        }
        st.serialize_field("total", &self.total)?;
        st.serialize_field("uniqueid", &self.uniqueid)?;
        for (key, value) in [
            ("destination_type", &self.destination_type),
            ("call_logs", &self.call_logs),
            ("ip", &self.ip),
            ("useragent", &self.useragent),
        ] {
            match value {
                Some(v) => st.serialize_field(key, v)?,
                None => st.skip_field(key)?,
            }
        }
        st.end()
    }
}

/// Serializes any `Display` as a JSON string.
struct Collect<T>(T);

impl<T: fmt::Display> Serialize for Collect<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// Serializes a number as a JSON string, the API's habit.
pub(crate) fn ser_display<T: fmt::Display, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

enum CdrField {
    Date,
    Callerid,
    Destination,
    Description,
    Account,
    Disposition,
    Duration,
    Seconds,
    Rate,
    Total,
    Uniqueid,
    DestinationType,
    CallLogs,
    Ip,
    Useragent,
    Other,
}

impl<'de> Deserialize<'de> for CdrField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = CdrField;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a CDR field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<CdrField, E> {
                Ok(match v {
                    "date" => CdrField::Date,
                    "callerid" => CdrField::Callerid,
                    "destination" => CdrField::Destination,
                    "description" => CdrField::Description,
                    "account" => CdrField::Account,
                    "disposition" => CdrField::Disposition,
                    "duration" => CdrField::Duration,
                    "seconds" => CdrField::Seconds,
                    "rate" => CdrField::Rate,
                    "total" => CdrField::Total,
                    "uniqueid" => CdrField::Uniqueid,
                    "destination_type" => CdrField::DestinationType,
                    "call_logs" => CdrField::CallLogs,
                    "ip" => CdrField::Ip,
                    "useragent" => CdrField::Useragent,
                    _ => CdrField::Other,
                })
            }
        }
        d.deserialize_identifier(V)
    }
}

/// `duration` is only needed when `seconds` is missing, so a bad one must not fail the
/// row: this reads it without error and without allocating.
struct LenientHms(Option<u32>);

impl<'de> Deserialize<'de> for LenientHms {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LenientHms;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a duration as HH:MM:SS")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<LenientHms, E> {
                Ok(LenientHms(parse_hms(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<LenientHms, E> {
                Ok(LenientHms(u32::try_from(v).ok()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<LenientHms, E> {
                Ok(LenientHms(u32::try_from(v).ok()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<LenientHms, E> {
                Ok(LenientHms(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<LenientHms, E> {
                Ok(LenientHms(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<LenientHms, E> {
                Ok(LenientHms(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<LenientHms, E> {
                Ok(LenientHms(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<LenientHms, D::Error> {
                d.deserialize_any(self)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for CdrRow {
    /// Hand-written rather than derived: `seconds` falls back on `duration`, and a
    /// million rows go faster without `Option` wrappers for every field.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = CdrRow;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a CDR row object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CdrRow, A::Error> {
                let mut date: Option<NaiveDateTime> = None;
                let mut seen_date = false;
                let mut callerid = String::new();
                let mut destination = String::new();
                let mut description = String::new();
                let mut account = String::new();
                let mut disposition = Disposition::Other(String::new());
                let mut duration: Option<u32> = None;
                let mut seconds: Option<u32> = None;
                let mut seen_seconds = false;
                let mut rate = None;
                let mut total = Money::ZERO;
                let mut uniqueid = String::new();
                let mut destination_type = None;
                let mut call_logs = None;
                let mut ip = None;
                let mut useragent = None;
                while let Some(key) = map.next_key::<CdrField>()? {
                    match key {
                        CdrField::Date => {
                            date = map.next_value::<Tol<Option<NaiveDateTime>>>()?.0;
                            seen_date = true;
                        }
                        CdrField::Callerid => callerid = map.next_value::<Tol<String>>()?.0,
                        CdrField::Destination => destination = map.next_value::<Tol<String>>()?.0,
                        CdrField::Description => description = map.next_value::<Tol<String>>()?.0,
                        CdrField::Account => account = map.next_value::<Tol<String>>()?.0,
                        CdrField::Disposition => {
                            disposition = map.next_value::<Tol<Disposition>>()?.0
                        }
                        CdrField::Duration => duration = map.next_value::<LenientHms>()?.0,
                        CdrField::Seconds => {
                            seconds = map.next_value::<Tol<Option<u32>>>()?.0;
                            seen_seconds = true;
                        }
                        CdrField::Rate => rate = map.next_value::<Tol<Option<Money>>>()?.0,
                        CdrField::Total => total = map.next_value::<Tol<Money>>()?.0,
                        CdrField::Uniqueid => uniqueid = map.next_value::<Tol<String>>()?.0,
                        CdrField::DestinationType => {
                            destination_type = map.next_value::<Tol<Option<String>>>()?.0
                        }
                        CdrField::CallLogs => {
                            call_logs = map.next_value::<Tol<Option<String>>>()?.0
                        }
                        CdrField::Ip => ip = map.next_value::<Tol<Option<String>>>()?.0,
                        CdrField::Useragent => {
                            useragent = map.next_value::<Tol<Option<String>>>()?.0
                        }
                        CdrField::Other => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                if !seen_date {
                    return Err(de::Error::missing_field("date"));
                }
                let seconds = match (seconds, duration) {
                    (Some(s), _) => s,
                    (None, Some(d)) => d,
                    // A placeholder `seconds` with no usable duration: a 0 s call.
                    (None, None) if seen_seconds => 0,
                    (None, None) => return Err(de::Error::missing_field("seconds")),
                };
                Ok(CdrRow {
                    date: date.unwrap_or_default(),
                    callerid,
                    destination,
                    description,
                    account,
                    disposition,
                    seconds,
                    rate,
                    total,
                    uniqueid,
                    destination_type,
                    call_logs,
                    ip,
                    useragent,
                })
            }
        }
        d.deserialize_map(V)
    }
}

/// Trims what the service pads values with (`"2 "`, `"Premium    \n\n"`).
fn trimmed<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    tol::string(d).map(|s| {
        let t = s.trim();
        if t.len() == s.len() {
            s
        } else {
            t.to_owned()
        }
    })
}

/// A `{value, description}` pair of the lookup methods (accounts, call types, routes…).
///
/// Both are trimmed: the service pads them (getTerminationRates sends `"2 "` and
/// `"Premium    \n\n"`), and padded values would not match a filter's options.
///
/// A getPackages row reads as one too (`package` as the value, `name` as the description),
/// so that a package picker needs no decoder of its own in the browser bundle.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ValueDescription {
    /// The value to send back in a filter, e.g. `100000_VoIP`.
    #[serde(alias = "package", deserialize_with = "trimmed")]
    pub value: String,
    /// Text for people, e.g. `All Accounts`.
    #[serde(default, alias = "name", deserialize_with = "trimmed")]
    pub description: String,
}

impl ValueDescription {
    /// A pair from two texts.
    pub fn new(value: impl Into<String>, description: impl Into<String>) -> Self {
        ValueDescription {
            value: value.into(),
            description: description.into(),
        }
    }
}

/// One rate of getRates: what the client pays and what the reseller pays.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateRow {
    /// E.g. `Canada - 418 Quebec City`.
    #[serde(deserialize_with = "tol::string")]
    pub destination: String,
    /// Dialling prefix, e.g. `1418`.
    #[serde(deserialize_with = "tol::string")]
    pub prefix: String,
    /// Billing increment charged to the client, in seconds.
    #[serde(default, deserialize_with = "tol::u32", serialize_with = "ser_display")]
    pub client_increment: u32,
    /// Per-minute rate charged to the client.
    #[serde(default, deserialize_with = "tol::money")]
    pub client_rate: Money,
    /// Billing increment the reseller pays, in seconds.
    #[serde(default, deserialize_with = "tol::u32", serialize_with = "ser_display")]
    pub real_increment: u32,
    /// Per-minute rate the reseller pays.
    #[serde(default, deserialize_with = "tol::money")]
    pub real_rate: Money,
}

/// One rate of getTerminationRates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminationRate {
    /// E.g. `Canada - 204 Manitoba`.
    #[serde(deserialize_with = "tol::string")]
    pub destination: String,
    /// Dialling prefix, e.g. `1204`.
    #[serde(deserialize_with = "tol::string")]
    pub prefix: String,
    /// Billing increment in seconds.
    #[serde(default, deserialize_with = "tol::u32", serialize_with = "ser_display")]
    pub increment: u32,
    /// Per-minute rate.
    #[serde(default, deserialize_with = "tol::money")]
    pub rate: Money,
}

/// The answer of getTerminationRates: the route searched and its matching rates.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TerminationRates {
    /// The route, when the service names it (documented as a list of one, seen as an object).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<ValueDescription>,
    /// The matching rates.
    pub rates: Vec<TerminationRate>,
}

/// A reseller package of getPackages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    /// Package id, e.g. `92364`.
    #[serde(deserialize_with = "tol::string")]
    pub package: String,
    /// Package name.
    #[serde(default, deserialize_with = "tol::string")]
    pub name: String,
    /// Fixed markup per minute.
    #[serde(default, deserialize_with = "tol::money")]
    pub markup_fixed: Money,
    /// Percentage markup, kept exact in the same fixed point as money (`10` is 10 %).
    #[serde(default, deserialize_with = "tol::money")]
    pub markup_percentage: Money,
    /// Billing increment in seconds.
    #[serde(default, deserialize_with = "tol::u32", serialize_with = "ser_display")]
    pub pulse: u32,
    /// Route used for international calls (a getRoutes value).
    #[serde(default, deserialize_with = "tol::string")]
    pub international_route: String,
    /// Route used for calls to Canada (a getRoutes value).
    #[serde(default, deserialize_with = "tol::string")]
    pub canada_route: String,
    /// Monthly fee.
    #[serde(default, deserialize_with = "tol::money")]
    pub monthly_fee: Money,
    /// One-time setup fee.
    #[serde(default, deserialize_with = "tol::money")]
    pub setup_fee: Money,
    /// Free minutes included each month.
    #[serde(default, deserialize_with = "tol::u32", serialize_with = "ser_display")]
    pub free_minutes: u32,
}

/// A reseller client of getClients.
///
/// The service also sends the client's password; this type has no field for it, so it is
/// dropped while decoding and can never be shown, logged or serialized.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    /// Client id, e.g. `561115`.
    #[serde(deserialize_with = "tol::string")]
    pub client: String,
    /// Client e-mail.
    #[serde(default, deserialize_with = "tol::string")]
    pub email: String,
    /// Company name.
    #[serde(default, deserialize_with = "tol::string")]
    pub company: String,
    /// First name.
    #[serde(default, deserialize_with = "tol::string")]
    pub firstname: String,
    /// Last name.
    #[serde(default, deserialize_with = "tol::string")]
    pub lastname: String,
    /// Street address.
    #[serde(default, deserialize_with = "tol::string")]
    pub address: String,
    /// City.
    #[serde(default, deserialize_with = "tol::string")]
    pub city: String,
    /// State or province.
    #[serde(default, deserialize_with = "tol::string")]
    pub state: String,
    /// Country code.
    #[serde(default, deserialize_with = "tol::string")]
    pub country: String,
    /// Postal code.
    #[serde(default, deserialize_with = "tol::string")]
    pub zip: String,
    /// Phone number.
    #[serde(default, deserialize_with = "tol::string")]
    pub phone_number: String,
}

impl Client {
    /// A label for a picker: company, else first and last name, else e-mail, else the id.
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.firstname.trim(), self.lastname.trim());
        let name = name.trim();
        let label = [self.company.trim(), name, self.email.trim()]
            .into_iter()
            .find(|s| !s.is_empty())
            .unwrap_or(&self.client);
        label.to_owned()
    }

    /// The client as a picker choice: its id, labelled with its name and id.
    pub fn choice(&self) -> ValueDescription {
        let name = self.display_name();
        let label = if name == self.client {
            name
        } else {
            format!("{name} ({})", self.client)
        };
        ValueDescription::new(self.client.clone(), label)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispositions_round_trip() {
        for d in Disposition::KNOWN {
            assert_eq!(Disposition::from_wire(d.as_str()), d);
        }
        assert_eq!(Disposition::from_wire("no answer"), Disposition::NoAnswer);
        assert_eq!(
            Disposition::from_wire("CONGESTION"),
            Disposition::Other("CONGESTION".into())
        );
        assert_eq!(Disposition::NoAnswer.label(), "No answer");
    }

    #[test]
    fn hms() {
        assert_eq!(format_hms(0), "00:00:00");
        assert_eq!(format_hms(55), "00:00:55");
        assert_eq!(format_hms(3661), "01:01:01");
        assert_eq!(format_hms(360_000), "100:00:00");
        assert_eq!(parse_hms("00:00:11"), Some(11));
        assert_eq!(parse_hms("01:01:01"), Some(3661));
        assert_eq!(parse_hms("1:01"), Some(61));
        assert_eq!(parse_hms("42"), Some(42));
        assert_eq!(parse_hms(""), None);
        assert_eq!(parse_hms("1:2:3:4"), None);
        assert_eq!(parse_hms("aa:bb:cc"), None);
    }

    #[test]
    fn client_display_name() {
        let mut c = Client {
            client: "561115".into(),
            ..Client::default()
        };
        assert_eq!(c.display_name(), "561115");
        c.email = "a@b.c".into();
        assert_eq!(c.display_name(), "a@b.c");
        c.lastname = "Doe".into();
        assert_eq!(c.display_name(), "Doe");
        c.company = "Acme".into();
        assert_eq!(c.display_name(), "Acme");
    }
}
