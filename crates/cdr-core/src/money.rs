//! Exact money amounts.
//!
//! The API sends amounts as decimal strings with up to 8 decimals (`"0.00900000"`,
//! `"0.015"`). Summing a million of them as `f64` drifts by whole cents, so amounts are kept
//! as an integer count of 10⁻⁸ units and only turned into `f64` for drawing charts.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

/// Number of 10⁻⁸ units in one currency unit.
pub const UNITS_PER_DOLLAR: i64 = 100_000_000;

/// Decimal places that [`Money`] keeps and prints.
pub const DECIMALS: usize = 8;

/// An exact amount of money: a signed count of 10⁻⁸ currency units.
///
/// ```
/// use cdr_core::money::Money;
/// let rate = Money::parse("0.015").unwrap();
/// assert_eq!(rate.to_string(), "0.01500000");
/// assert_eq!(rate.checked_add(rate).unwrap().units(), 3_000_000);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

/// Why a text could not be read as [`Money`].
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// The text was empty (or only spaces).
    #[error("an amount is required")]
    Empty,
    /// The text is not a plain decimal number.
    #[error("“{0}” is not a decimal amount")]
    Invalid(String),
    /// The amount does not fit in the fixed-point range.
    #[error("“{0}” is too large an amount")]
    Overflow(String),
}

/// Why the allocation-free parser gave up; turned into [`MoneyError`] with the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Bad {
    Invalid,
    Overflow,
}

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// An amount from a count of 10⁻⁸ units.
    pub const fn from_units(units: i64) -> Money {
        Money(units)
    }

    /// The count of 10⁻⁸ units.
    pub const fn units(self) -> i64 {
        self.0
    }

    /// Whether the amount is exactly zero.
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Reads a plain decimal such as `"0.015"`, `"-0.5"`, `"5"` or `".5"`.
    ///
    /// Surrounding spaces are ignored. Digits beyond the 8th decimal are rounded half away
    /// from zero rather than refused, so that a bare JSON number with a long float tail
    /// (`0.015000000000000001`) still reads as the amount that was meant.
    /// Exponents are refused: the API never writes them and they would hide typos in forms.
    pub fn parse(text: &str) -> Result<Money, MoneyError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(MoneyError::Empty);
        }
        match Self::parse_bytes(trimmed.as_bytes()) {
            Ok(money) => Ok(money),
            Err(Bad::Invalid) => Err(MoneyError::Invalid(trimmed.to_owned())),
            Err(Bad::Overflow) => Err(MoneyError::Overflow(trimmed.to_owned())),
        }
    }

    /// The hot path of decoding: no allocation, one pass, no closures (which opt-level "z"
    /// would leave as calls).
    pub(crate) fn parse_bytes(bytes: &[u8]) -> Result<Money, Bad> {
        let (negative, digits) = match bytes.first() {
            Some(b'-') => (true, &bytes[1..]),
            Some(b'+') => (false, &bytes[1..]),
            Some(_) => (false, bytes),
            None => return Err(Bad::Invalid),
        };
        // Bounds compared before multiplying, rather than `checked_mul`: wasm has no
        // multiply that reports overflow, so that is a call to a 128-bit multiplication.
        const MAX_WHOLE: i64 = i64::MAX / UNITS_PER_DOLLAR;
        let mut i = 0;
        let mut whole: i64 = 0;
        while i < digits.len() && digits[i].is_ascii_digit() {
            let digit = i64::from(digits[i] - b'0');
            // Only an overflow of i64 itself stops the scan; an amount merely too large is
            // refused below, once the text is known to be a number (`"999999999999x"` is
            // invalid, not too large).
            if whole > MAX_WHOLE && whole > (i64::MAX - digit) / 10 {
                return Err(Bad::Overflow);
            }
            whole = whole * 10 + digit;
            i += 1;
        }
        let int_digits = i;
        let mut frac: i64 = 0;
        let mut frac_digits = 0;
        let mut round_up = false;
        if i < digits.len() && digits[i] == b'.' {
            i += 1;
            while i < digits.len() && digits[i].is_ascii_digit() {
                if frac_digits < DECIMALS {
                    frac = frac * 10 + i64::from(digits[i] - b'0');
                } else if frac_digits == DECIMALS {
                    round_up = digits[i] >= b'5';
                }
                frac_digits += 1;
                i += 1;
            }
        }
        if i != digits.len() || (int_digits == 0 && frac_digits == 0) {
            return Err(Bad::Invalid);
        }
        // A table, not a loop: a range loop stays calls at opt-level "z".
        const SCALE: [i64; DECIMALS + 1] = [
            100_000_000,
            10_000_000,
            1_000_000,
            100_000,
            10_000,
            1_000,
            100,
            10,
            1,
        ];
        frac *= SCALE[frac_digits.min(DECIMALS)];
        if whole > MAX_WHOLE {
            return Err(Bad::Overflow);
        }
        match (whole * UNITS_PER_DOLLAR).checked_add(frac + i64::from(round_up)) {
            Some(u) => Ok(Money(if negative { -u } else { u })),
            None => Err(Bad::Overflow),
        }
    }

    /// Converts a JSON number that arrived as `f64`.
    ///
    /// Goes through the shortest decimal text of the float, so `0.015_f64` becomes exactly
    /// `0.01500000` rather than the binary neighbour `0.01499999…`.
    pub fn from_f64(value: f64) -> Option<Money> {
        if !value.is_finite() {
            return None;
        }
        // `Display` for f64 never uses an exponent, so `parse_bytes` can read it.
        Self::parse_bytes(value.to_string().as_bytes()).ok()
    }

    /// The amount as `f64`, for charts only: sums and comparisons stay on [`Money`].
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / UNITS_PER_DOLLAR as f64
    }

    /// `self + other`; an [`Overflow`] rather than a wrapped figure.
    pub fn checked_add(self, other: Money) -> Computed {
        self.0.checked_add(other.0).map(Money).ok_or(Overflow)
    }

    /// `self - other`; an [`Overflow`] rather than a wrapped figure.
    pub fn checked_sub(self, other: Money) -> Computed {
        self.0.checked_sub(other.0).map(Money).ok_or(Overflow)
    }

    /// The sum of `amounts`. Summed in 128 bits, so only a total that does not fit is an
    /// [`Overflow`], not a partial sum on the way (a credit can bring a sum back).
    pub fn checked_sum(amounts: impl IntoIterator<Item = Money>) -> Computed {
        // 2^64 amounts of at most 2^63 units each cannot reach 2^127.
        let total: i128 = amounts.into_iter().map(|m| i128::from(m.0)).sum();
        Money::from_wide(total)
    }

    /// An amount counted in 128 bits, when it fits.
    pub fn from_wide(units: i128) -> Computed {
        i64::try_from(units).map(Money).map_err(|_| Overflow)
    }
}

/// An amount that does not fit in [`Money`] (beyond ±92 billion): the figures it came from are
/// absurd or hostile, and the user is told so instead of being shown a wrapped number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, thiserror::Error)]
#[error("too large to compute")]
pub struct Overflow;

/// An amount worked out from the API's figures (a sum, a difference, a charge): exact, or an
/// [`Overflow`]. `Ok` sorts before `Err`, so overflows sort last.
pub type Computed = Result<Money, Overflow>;

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        // unsigned_abs: i64::MIN has no positive i64 counterpart.
        let abs = self.0.unsigned_abs();
        let per = UNITS_PER_DOLLAR as u64;
        write!(f, "{sign}{}.{:08}", abs / per, abs % per)
    }
}

impl FromStr for Money {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Money, MoneyError> {
        Money::parse(s)
    }
}

impl Serialize for Money {
    /// Written as the API writes it: a JSON string with 8 decimals.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_the_api_sends() {
        assert_eq!(Money::parse("0.015").unwrap().units(), 1_500_000);
        assert_eq!(Money::parse("0.00900000").unwrap().units(), 900_000);
        assert_eq!(Money::parse("5").unwrap().units(), 500_000_000);
        assert_eq!(Money::parse("-0.5").unwrap().units(), -50_000_000);
        assert_eq!(Money::parse(".5").unwrap().units(), 50_000_000);
        assert_eq!(Money::parse("5.").unwrap().units(), 500_000_000);
        assert_eq!(Money::parse(" +1.25 ").unwrap().units(), 125_000_000);
    }

    #[test]
    fn rounds_beyond_eight_decimals_half_away_from_zero() {
        assert_eq!(Money::parse("0.000000005").unwrap().units(), 1);
        assert_eq!(Money::parse("0.000000004999").unwrap().units(), 0);
        assert_eq!(Money::parse("-0.000000005").unwrap().units(), -1);
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        assert_eq!(Money::parse(""), Err(MoneyError::Empty));
        assert_eq!(Money::parse("   "), Err(MoneyError::Empty));
        for bad in ["abc", "1.2.3", "-", ".", "1e5", "1,5", "--1", "1-"] {
            assert!(
                matches!(Money::parse(bad), Err(MoneyError::Invalid(_))),
                "{bad}"
            );
        }
        assert!(matches!(
            Money::parse("999999999999999999999"),
            Err(MoneyError::Overflow(_))
        ));
        assert!(matches!(
            Money::parse("92233720369"),
            Err(MoneyError::Overflow(_))
        ));
        assert_eq!(
            Money::parse("92233720368.54775807").map(Money::units),
            Ok(i64::MAX)
        );
        assert!(matches!(
            Money::parse("92233720368.54775808"),
            Err(MoneyError::Overflow(_))
        ));
        // Text that is no number is invalid however large its digits, unless they
        // overflowed before the bad character was reached.
        assert!(matches!(
            Money::parse("999999999999x"),
            Err(MoneyError::Invalid(_))
        ));
        assert!(matches!(
            Money::parse("99999999999999999999x"),
            Err(MoneyError::Overflow(_))
        ));
    }

    #[test]
    fn displays_eight_decimals() {
        assert_eq!(Money::parse("0.015").unwrap().to_string(), "0.01500000");
        assert_eq!(Money::ZERO.to_string(), "0.00000000");
        assert_eq!(Money::from_units(-1).to_string(), "-0.00000001");
        assert_eq!(Money::parse("-12.5").unwrap().to_string(), "-12.50000000");
        assert_eq!(
            Money::from_units(i64::MIN).to_string(),
            "-92233720368.54775808"
        );
    }

    #[test]
    fn arithmetic_and_order() {
        let a = Money::parse("0.1").unwrap();
        let b = Money::parse("0.2").unwrap();
        assert_eq!(a.checked_add(b).unwrap().to_string(), "0.30000000");
        assert_eq!(a.checked_sub(b).unwrap().to_string(), "-0.10000000");
        assert!(a < b);
        assert_eq!(
            Money::checked_sum([a, b, a]).unwrap().to_string(),
            "0.40000000"
        );
        assert_eq!(Money::default(), Money::ZERO);
    }

    #[test]
    fn overflow_is_an_error_never_a_wrapped_figure() {
        // Issue 13: 92233720368 minus -92233720368 wrapped to -1.09551616.
        let big = Money::parse("92233720368").unwrap();
        let neg = Money::parse("-92233720368").unwrap();
        assert_eq!(big.checked_sub(neg), Err(Overflow));
        assert_eq!(big.checked_add(big), Err(Overflow));
        assert_eq!(
            Money::from_units(i64::MIN).checked_sub(Money::from_units(1)),
            Err(Overflow)
        );
        // A sum is judged by its total: a credit can bring it back into range.
        assert_eq!(Money::checked_sum([big, big, neg, neg]), Ok(Money::ZERO));
        assert_eq!(Money::checked_sum([big, big]), Err(Overflow));
        assert_eq!(Money::checked_sum([]), Ok(Money::ZERO));
        // Overflows sort after every amount.
        assert!(Ok(Money::from_units(i64::MAX)) < Err::<Money, _>(Overflow));
    }

    #[test]
    fn floats_go_through_their_shortest_text() {
        assert_eq!(Money::from_f64(0.015).unwrap().units(), 1_500_000);
        assert_eq!(Money::from_f64(0.1 + 0.2).unwrap().units(), 30_000_000);
        assert_eq!(Money::from_f64(f64::NAN), None);
        assert!((Money::parse("1.5").unwrap().to_f64() - 1.5).abs() < 1e-12);
    }

    #[test]
    fn serializes_as_a_string() {
        let json = serde_json::to_string(&Money::parse("0.0052").unwrap()).unwrap();
        assert_eq!(json, "\"0.00520000\"");
    }
}
