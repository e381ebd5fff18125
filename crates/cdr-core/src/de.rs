//! Tolerant scalar deserializers for the API's loose JSON typing.
//!
//! The service normally sends every scalar as a JSON string, but some fields arrive as bare
//! numbers or booleans on some days, placeholders (`""`, `"0000-00-00"`) stand for "none",
//! and a one-element list may come as a bare object. These helpers accept all of that and
//! are meant for `#[serde(deserialize_with = "…")]`. They read straight from the
//! deserializer with visitors, so decoding a large list never builds a `serde_json::Value`.
//!
//! Booleans follow PHP's casts, since PHP wrote them: `true` is `"1"` or 1, `false` is `""`
//! or 0. `null` counts as absent.

use std::fmt;
use std::marker::PhantomData;

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Unexpected,
    Visitor,
};
use serde::Deserialize;

use crate::money::Money;

/// A type that can be read from any JSON scalar the API may send in its place.
///
/// Implemented for the field types of this crate's rows; use it through [`Tol`] or the
/// free functions of this module.
pub trait TolerantScalar: Sized {
    /// Reads `Self` from a string, number, bool or null.
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;
}

/// Wrapper that deserializes its content with [`TolerantScalar`]; handy as a map value seed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tol<T>(pub T);

impl<'de, T: TolerantScalar> Deserialize<'de> for Tol<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize_tolerant(deserializer).map(Tol)
    }
}

/// Any scalar as text; `null` as `""`.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    String::deserialize_tolerant(d)
}

/// Any scalar as text; `null` and `""` as `None`.
pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Option::<String>::deserialize_tolerant(d)
}

/// A whole number from a string or number; `""` and `null` as 0.
pub fn u32<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    u32::deserialize_tolerant(d)
}

/// A money amount from a string or number; `""` and `null` as zero.
pub fn money<'de, D: Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
    Money::deserialize_tolerant(d)
}

/// A money amount from a string or number; `""` and `null` as `None`.
pub fn opt_money<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Money>, D::Error> {
    Option::<Money>::deserialize_tolerant(d)
}

/// A `YYYY-MM-DD HH:MM:SS` date-time; placeholders as the Unix epoch.
///
/// The epoch rather than an error: one odd row must not cost the user the whole answer,
/// and 1970-01-01 stands out in a list of calls.
pub fn datetime<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDateTime, D::Error> {
    Option::<NaiveDateTime>::deserialize_tolerant(d).map(Option::unwrap_or_default)
}

/// A `YYYY-MM-DD HH:MM:SS` date-time; placeholders as `None`.
pub fn opt_datetime<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDateTime>, D::Error> {
    Option::<NaiveDateTime>::deserialize_tolerant(d)
}

/// A `YYYY-MM-DD` date (a time part is ignored); placeholders as `None`.
pub fn opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
    Option::<NaiveDateTime>::deserialize_tolerant(d).map(|dt| dt.map(|dt| dt.date()))
}

/// A list that may also come as one bare object, `null`, `""` or `false` (empty), or a
/// PHP array with gaps in its keys (`{"0": {…}, "2": {…}}`).
pub fn one_or_many<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    OneOrManySeed::with_capacity(0).deserialize(d)
}

/// [`one_or_many`] as a seed that reserves room for `capacity` elements up front.
pub struct OneOrManySeed<T> {
    capacity: usize,
    items: PhantomData<fn() -> T>,
}

impl<T> OneOrManySeed<T> {
    /// A seed that reserves `capacity` elements when it meets a list.
    pub fn with_capacity(capacity: usize) -> Self {
        OneOrManySeed {
            capacity,
            items: PhantomData,
        }
    }
}

impl<'de, T: Deserialize<'de>> DeserializeSeed<'de> for OneOrManySeed<T> {
    type Value = Vec<T>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(OneOrManyVisitor(self))
    }
}

/// Like [`one_or_many`] but keeps only the first element, for payloads documented as a
/// single object that sometimes come as a list of one (getTerminationRates' `route`).
pub fn first_of_one_or_many<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    one_or_many(d).map(|v: Vec<T>| v.into_iter().next())
}

// ---------------------------------------------------------------------------------------
// Strings

struct StringVisitor;

impl<'de> Visitor<'de> for StringVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number or bool")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<String, E> {
        Ok(if v { "1" } else { "" }.to_owned())
    }
    fn visit_unit<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<String, E> {
        Ok(String::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
        d.deserialize_any(self)
    }
}

impl TolerantScalar for String {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StringVisitor)
    }
}

impl TolerantScalar for Option<String> {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StringVisitor)
            .map(|s| if s.is_empty() { None } else { Some(s) })
    }
}

// ---------------------------------------------------------------------------------------
// Whole numbers

struct U32Visitor;

impl U32Visitor {
    fn from_str<E: de::Error>(v: &str) -> Result<Option<u32>, E> {
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        if let Ok(n) = t.parse::<u32>() {
            return Ok(Some(n));
        }
        // "11.0" or "1e2" from a float that was printed as text.
        match t.parse::<f64>() {
            Ok(f) => {
                Self::from_f64::<E>(f).map_err(|_| E::invalid_value(Unexpected::Str(v), &Self))
            }
            Err(_) => Err(E::invalid_value(Unexpected::Str(v), &Self)),
        }
    }

    fn from_f64<E: de::Error>(v: f64) -> Result<Option<u32>, E> {
        if v.is_finite() && (0.0..=f64::from(u32::MAX)).contains(&v) {
            Ok(Some(v.round() as u32))
        } else {
            Err(E::invalid_value(Unexpected::Float(v), &Self))
        }
    }
}

impl<'de> Visitor<'de> for U32Visitor {
    type Value = Option<u32>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number from 0 to 4294967295, as a string or number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<u32>, E> {
        // Fast path for the usual "123": avoids the generic parser's setup.
        let b = v.as_bytes();
        if !b.is_empty() && b.len() <= 9 && b.iter().all(u8::is_ascii_digit) {
            return Ok(Some(b.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0'))));
        }
        Self::from_str(v)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<u32>, E> {
        u32::try_from(v)
            .map(Some)
            .map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<u32>, E> {
        u32::try_from(v)
            .map(Some)
            .map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<u32>, E> {
        Self::from_f64(v)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<u32>, E> {
        Ok(Some(u32::from(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<u32>, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Option<u32>, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Option<u32>, D::Error> {
        d.deserialize_any(self)
    }
}

impl TolerantScalar for Option<u32> {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(U32Visitor)
    }
}

impl TolerantScalar for u32 {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(U32Visitor).map(Option::unwrap_or_default)
    }
}

// ---------------------------------------------------------------------------------------
// Money

struct MoneyVisitor;

impl<'de> Visitor<'de> for MoneyVisitor {
    type Value = Option<Money>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal amount as a string or number")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        // Untrimmed first: the API's amounts have no spaces, and trimming shows in profiles.
        if let Ok(money) = Money::parse_bytes(v.as_bytes()) {
            return Ok(Some(money));
        }
        let t = v.trim();
        if t.is_empty() {
            return Ok(None);
        }
        Money::parse_bytes(t.as_bytes())
            .map(Some)
            .map_err(|_| E::invalid_value(Unexpected::Str(v), &self))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        i64::try_from(v)
            .ok()
            .and_then(|v| v.checked_mul(crate::money::UNITS_PER_DOLLAR))
            .map(|u| Some(Money::from_units(u)))
            .ok_or_else(|| E::invalid_value(Unexpected::Unsigned(v), &self))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        v.checked_mul(crate::money::UNITS_PER_DOLLAR)
            .map(|u| Some(Money::from_units(u)))
            .ok_or_else(|| E::invalid_value(Unexpected::Signed(v), &self))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Money::from_f64(v)
            .map(Some)
            .ok_or_else(|| E::invalid_value(Unexpected::Float(v), &self))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.visit_i64(i64::from(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl TolerantScalar for Option<Money> {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MoneyVisitor)
    }
}

impl TolerantScalar for Money {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MoneyVisitor)
            .map(Option::unwrap_or_default)
    }
}

// ---------------------------------------------------------------------------------------
// Dates

/// Reads `YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS` (or with `T`, optional fraction ignored).
///
/// `Ok(None)` for placeholders, `Err(())` for anything else. Written by hand because it runs
/// once per CDR row and chrono's format parser is several times slower.
pub(crate) fn parse_datetime(text: &str) -> Result<Option<NaiveDateTime>, ()> {
    let t = if text.len() == 19 { text } else { text.trim() };
    if t.is_empty() || t.starts_with("0000-00-00") {
        return Ok(None);
    }
    let b = t.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Result<u32, ()> {
        let part = b.get(range).ok_or(())?;
        if part.iter().all(u8::is_ascii_digit) {
            Ok(part.iter().fold(0, |n, &d| n * 10 + u32::from(d - b'0')))
        } else {
            Err(())
        }
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(());
    }
    let date = NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?).ok_or(())?;
    if b.len() == 10 {
        return Ok(Some(date.and_hms_opt(0, 0, 0).ok_or(())?));
    }
    let fraction_ok = b.len() == 19 || (b.len() > 20 && b[19] == b'.');
    if b.len() < 19 || !matches!(b[10], b' ' | b'T') || b[13] != b':' || b[16] != b':' {
        return Err(());
    }
    if !fraction_ok {
        return Err(());
    }
    let time = date
        .and_hms_opt(num(11..13)?, num(14..16)?, num(17..19)?)
        .ok_or(())?;
    Ok(Some(time))
}

struct DateTimeVisitor;

impl<'de> Visitor<'de> for DateTimeVisitor {
    type Value = Option<NaiveDateTime>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a date and time as YYYY-MM-DD HH:MM:SS")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        parse_datetime(v).map_err(|()| E::invalid_value(Unexpected::Str(v), &self))
    }
    /// A bare integer can only be a Unix timestamp; 0 is the usual "no date".
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        if v == 0 {
            return Ok(None);
        }
        DateTime::from_timestamp(v, 0)
            .map(|dt| Some(dt.naive_utc()))
            .ok_or_else(|| E::invalid_value(Unexpected::Signed(v), &self))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        match i64::try_from(v) {
            Ok(v) => self.visit_i64(v),
            Err(_) => Err(E::invalid_value(Unexpected::Unsigned(v), &self)),
        }
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl TolerantScalar for Option<NaiveDateTime> {
    fn deserialize_tolerant<'de, D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DateTimeVisitor)
    }
}

// ---------------------------------------------------------------------------------------
// Lists

struct OneOrManyVisitor<T>(OneOrManySeed<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for OneOrManyVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list or a single object")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
        // The caller's guess is bounded by the body's length; the format's hint is not, so
        // cap that one.
        let hint = seq.size_hint().unwrap_or(0).min(4096);
        let mut out = Vec::with_capacity(self.0.capacity.max(hint));
        while let Some(item) = seq.next_element()? {
            out.push(item);
        }
        Ok(out)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<T>, A::Error> {
        // The first key tells a PHP array with gaps ("0", "2", …) from a bare row object.
        let Some(first) = map.next_key::<String>()? else {
            return Ok(Vec::new());
        };
        if !first.is_empty() && first.bytes().all(|b| b.is_ascii_digit()) {
            let mut out = vec![map.next_value::<T>()?];
            while let Some((_, item)) = map.next_entry::<de::IgnoredAny, T>()? {
                out.push(item);
            }
            return Ok(out);
        }
        let replay = Replay {
            first: Some(first),
            map,
        };
        T::deserialize(de::value::MapAccessDeserializer::new(replay)).map(|item| vec![item])
    }
    fn visit_unit<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_none<E: de::Error>(self) -> Result<Vec<T>, E> {
        Ok(Vec::new())
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<T>, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Vec<T>, E> {
        if v {
            Err(E::invalid_type(Unexpected::Bool(v), &self))
        } else {
            Ok(Vec::new())
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Vec<T>, E> {
        if v.trim().is_empty() {
            Ok(Vec::new())
        } else {
            Err(E::invalid_type(Unexpected::Str(v), &self))
        }
    }
}

/// A map whose first key was already read; hands that key out again before the rest.
struct Replay<A> {
    first: Option<String>,
    map: A,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Replay<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        match self.first.take() {
            Some(key) => seed.deserialize(key.into_deserializer()).map(Some),
            None => self.map.next_key_seed(seed),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Row {
        #[serde(default, deserialize_with = "string")]
        s: String,
        #[serde(default, deserialize_with = "opt_string")]
        o: Option<String>,
        #[serde(default, deserialize_with = "u32")]
        n: u32,
        #[serde(default, deserialize_with = "money")]
        m: Money,
        #[serde(default, deserialize_with = "opt_money")]
        om: Option<Money>,
        #[serde(default, deserialize_with = "opt_datetime")]
        d: Option<NaiveDateTime>,
    }

    fn row(json: &str) -> Row {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn strings_from_any_scalar() {
        assert_eq!(row(r#"{"s":"x"}"#).s, "x");
        assert_eq!(row(r#"{"s":5}"#).s, "5");
        assert_eq!(row(r#"{"s":-5}"#).s, "-5");
        assert_eq!(row(r#"{"s":0.5}"#).s, "0.5");
        assert_eq!(row(r#"{"s":true}"#).s, "1");
        assert_eq!(row(r#"{"s":false}"#).s, "");
        assert_eq!(row(r#"{"s":null}"#).s, "");
        assert_eq!(row(r#"{"s":"\"q\" <1>"}"#).s, "\"q\" <1>");
        assert_eq!(row(r#"{"o":""}"#).o, None);
        assert_eq!(row(r#"{"o":null}"#).o, None);
        assert_eq!(row(r#"{"o":7}"#).o.as_deref(), Some("7"));
    }

    #[test]
    fn numbers_from_any_scalar() {
        assert_eq!(row(r#"{"n":"55"}"#).n, 55);
        assert_eq!(row(r#"{"n":55}"#).n, 55);
        assert_eq!(row(r#"{"n":" 55 "}"#).n, 55);
        assert_eq!(row(r#"{"n":"55.0"}"#).n, 55);
        assert_eq!(row(r#"{"n":55.0}"#).n, 55);
        assert_eq!(row(r#"{"n":""}"#).n, 0);
        assert_eq!(row(r#"{"n":true}"#).n, 1);
        assert_eq!(row(r#"{"n":"4294967295"}"#).n, u32::MAX);
        for bad in [r#"{"n":"abc"}"#, r#"{"n":-1}"#, r#"{"n":"4294967296"}"#] {
            assert!(serde_json::from_str::<Row>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn money_from_any_scalar() {
        assert_eq!(row(r#"{"m":"0.015"}"#).m.units(), 1_500_000);
        assert_eq!(row(r#"{"m":0.015}"#).m.units(), 1_500_000);
        assert_eq!(row(r#"{"m":2}"#).m.units(), 200_000_000);
        assert_eq!(row(r#"{"m":""}"#).m, Money::ZERO);
        assert_eq!(row(r#"{"m":null}"#).m, Money::ZERO);
        assert_eq!(row(r#"{"om":""}"#).om, None);
        assert_eq!(row(r#"{"om":"0.00000000"}"#).om, Some(Money::ZERO));
        assert!(serde_json::from_str::<Row>(r#"{"m":"free"}"#).is_err());
    }

    #[test]
    fn dates_and_placeholders() {
        let d = |s: &str| parse_datetime(s).unwrap().map(|d| d.to_string());
        assert_eq!(
            d("2010-11-30 10:40:16").as_deref(),
            Some("2010-11-30 10:40:16")
        );
        assert_eq!(
            d("2010-11-30T10:40:16").as_deref(),
            Some("2010-11-30 10:40:16")
        );
        assert_eq!(
            d("2010-11-30 10:40:16.250").as_deref(),
            Some("2010-11-30 10:40:16")
        );
        assert_eq!(d("2010-11-30").as_deref(), Some("2010-11-30 00:00:00"));
        assert_eq!(d(""), None);
        assert_eq!(d("0000-00-00"), None);
        assert_eq!(d("0000-00-00 00:00:00"), None);
        for bad in [
            "2010-13-01",
            "2010-02-30 00:00:00",
            "2010-11-30 25:00:00",
            "30/11/2010",
            "2010-11-30 10:40",
            "2010-11-30 10:40:16Z",
        ] {
            assert!(parse_datetime(bad).is_err(), "{bad}");
        }
        assert_eq!(row(r#"{"d":0}"#).d, None);
        assert_eq!(
            row(r#"{"d":1291113616}"#).d.unwrap().to_string(),
            "2010-11-30 10:40:16"
        );
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Item {
        #[serde(deserialize_with = "string")]
        v: String,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct List {
        #[serde(default, deserialize_with = "one_or_many")]
        l: Vec<Item>,
    }

    fn list(json: &str) -> Vec<String> {
        serde_json::from_str::<List>(json)
            .unwrap()
            .l
            .into_iter()
            .map(|i| i.v)
            .collect()
    }

    #[test]
    fn one_or_many_shapes() {
        assert_eq!(list(r#"{"l":[{"v":"a"},{"v":"b"}]}"#), ["a", "b"]);
        assert_eq!(list(r#"{"l":{"v":"a"}}"#), ["a"]);
        assert_eq!(list(r#"{"l":{"x":1,"v":"a"}}"#), ["a"]);
        assert_eq!(list(r#"{"l":{"0":{"v":"a"},"2":{"v":"b"}}}"#), ["a", "b"]);
        assert!(list(r#"{"l":[]}"#).is_empty());
        assert!(list(r#"{"l":{}}"#).is_empty());
        assert!(list(r#"{"l":null}"#).is_empty());
        assert!(list(r#"{"l":""}"#).is_empty());
        assert!(list(r#"{"l":false}"#).is_empty());
        assert!(list(r#"{}"#).is_empty());
        assert!(serde_json::from_str::<List>(r#"{"l":"oops"}"#).is_err());
        assert!(serde_json::from_str::<List>(r#"{"l":{"x":1}}"#).is_err());
    }
}
