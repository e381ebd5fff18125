//! The rows the API answers with, as typed values.
//!
//! Reading them from JSON is tolerant of the API's quirks (see [`crate::decode`]);
//! serialization writes the API's own form (every scalar a JSON string, money with 8
//! decimals) so that the simulator can answer with these same types.

use std::fmt;

use chrono::{NaiveDateTime, Timelike};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;

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
    if let Some(seconds) = parse_hms_fixed(text.as_bytes()) {
        return Some(seconds);
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

/// The API's fixed `HH:MM:SS`, read once per CDR row: the fast path of [`parse_hms`].
#[inline(always)]
pub(crate) fn parse_hms_fixed(text: &[u8]) -> Option<u32> {
    let [h1, h2, b':', m1, m2, b':', s1, s2] = *text else {
        return None;
    };
    if !(h1.is_ascii_digit()
        && h2.is_ascii_digit()
        && m1.is_ascii_digit()
        && m2.is_ascii_digit()
        && s1.is_ascii_digit()
        && s2.is_ascii_digit())
    {
        return None;
    }
    let n = |a: u8, b: u8| u32::from(a - b'0') * 10 + u32::from(b - b'0');
    Some(n(h1, h2) * 3600 + n(m1, m2) * 60 + n(s1, s2))
}

impl CdrRow {
    /// The call length as `HH:MM:SS`, as the API's `duration` field writes it.
    pub fn duration_hms(&self) -> String {
        format_hms(self.seconds)
    }

    /// The date as the API writes it: `YYYY-MM-DD HH:MM:SS`.
    pub fn date_string(&self) -> String {
        date_text(self.date)
    }
}

/// A date as the API writes it: `YYYY-MM-DD HH:MM:SS`.
pub fn date_text(date: NaiveDateTime) -> String {
    DateText(date).to_string()
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

/// A `{value, description}` pair of the lookup methods (accounts, call types, routes…).
///
/// Both are trimmed: the service pads them (getTerminationRates sends `"2 "` and
/// `"Premium    \n\n"`), and padded values would not match a filter's options.
///
/// A getPackages row reads as one too (`package` as the value, `name` as the description),
/// so that a package picker needs no decoder of its own in the browser bundle.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ValueDescription {
    /// The value to send back in a filter, e.g. `100000_VoIP`.
    pub value: String,
    /// Text for people, e.g. `All Accounts`.
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RateRow {
    /// E.g. `Canada - 418 Quebec City`.
    pub destination: String,
    /// Dialling prefix, e.g. `1418`.
    pub prefix: String,
    /// Billing increment charged to the client, in seconds.
    #[serde(serialize_with = "ser_display")]
    pub client_increment: u32,
    /// Per-minute rate charged to the client.
    pub client_rate: Money,
    /// Billing increment the reseller pays, in seconds.
    #[serde(serialize_with = "ser_display")]
    pub real_increment: u32,
    /// Per-minute rate the reseller pays.
    pub real_rate: Money,
}

/// One rate of getTerminationRates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TerminationRate {
    /// E.g. `Canada - 204 Manitoba`.
    pub destination: String,
    /// Dialling prefix, e.g. `1204`.
    pub prefix: String,
    /// Billing increment in seconds.
    #[serde(serialize_with = "ser_display")]
    pub increment: u32,
    /// Per-minute rate.
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Package {
    /// Package id, e.g. `92364`.
    pub package: String,
    /// Package name.
    pub name: String,
    /// Fixed markup per minute.
    pub markup_fixed: Money,
    /// Percentage markup, kept exact in the same fixed point as money (`10` is 10 %).
    pub markup_percentage: Money,
    /// Billing increment in seconds.
    #[serde(serialize_with = "ser_display")]
    pub pulse: u32,
    /// Route used for international calls (a getRoutes value).
    pub international_route: String,
    /// Route used for calls to Canada (a getRoutes value).
    pub canada_route: String,
    /// Monthly fee.
    pub monthly_fee: Money,
    /// One-time setup fee.
    pub setup_fee: Money,
    /// Free minutes included each month.
    #[serde(serialize_with = "ser_display")]
    pub free_minutes: u32,
}

/// A reseller client of getClients.
///
/// The service also sends the client's password; this type has no field for it, so it is
/// dropped while decoding and can never be shown, logged or serialized.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Client {
    /// Client id, e.g. `561115`.
    pub client: String,
    /// Client e-mail.
    pub email: String,
    /// Company name.
    pub company: String,
    /// First name.
    pub firstname: String,
    /// Last name.
    pub lastname: String,
    /// Street address.
    pub address: String,
    /// City.
    pub city: String,
    /// State or province.
    pub state: String,
    /// Country code.
    pub country: String,
    /// Postal code.
    pub zip: String,
    /// Phone number.
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
