//! What a call costs.
//!
//! The service bills whole increments (usually 6 s, 60 s for some destinations) and prices
//! them per minute: `total = ceil(seconds / increment) * increment / 60 * rate`, rounded to
//! 8 decimals. Everything here is integer arithmetic so that the simulator and the portal's
//! own checks agree with the service to the last 10⁻⁸.

use crate::money::{Computed, Money};

/// The seconds that are billed: `seconds` rounded up to a whole number of increments.
///
/// An increment of 0 is treated as 1 (per-second billing) rather than dividing by zero.
///
/// ```
/// use cdr_core::billing::billed_seconds;
/// assert_eq!(billed_seconds(27, 6), 30);
/// assert_eq!(billed_seconds(61, 60), 120);
/// assert_eq!(billed_seconds(0, 6), 0);
/// ```
pub fn billed_seconds(seconds: u32, increment: u32) -> u32 {
    let increment = increment.max(1);
    // u64: ceil(u32::MAX / inc) * inc can exceed u32::MAX; saturate instead of wrapping.
    let billed = u64::from(seconds).div_ceil(u64::from(increment)) * u64::from(increment);
    u32::try_from(billed).unwrap_or(u32::MAX)
}

/// The charge for a call of `seconds` at `rate_per_minute`, billed in `increment`s.
///
/// Rounded half away from zero to 8 decimals. A call of 0 seconds costs nothing. A charge
/// beyond [`Money`]'s range (an absurd rate) is an [`Overflow`](crate::money::Overflow).
///
/// ```
/// use cdr_core::{billing::charge, money::Money};
/// let rate = Money::parse("0.009").unwrap();
/// // 27 s at 6 s increments is billed as 30 s: half a minute.
/// assert_eq!(charge(27, 6, rate).unwrap().to_string(), "0.00450000");
/// ```
pub fn charge(seconds: u32, increment: u32, rate_per_minute: Money) -> Computed {
    let billed = i128::from(billed_seconds(seconds, increment));
    let numerator = billed * i128::from(rate_per_minute.units());
    let half = 30;
    let rounded = if numerator >= 0 {
        (numerator + half) / 60
    } else {
        (numerator - half) / 60
    };
    // At most u32::MAX * i64::MAX / 60, which i128 holds; beyond i64 only for absurd rates.
    Money::from_wide(rounded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> Money {
        Money::parse(s).unwrap()
    }

    #[test]
    fn billing_table() {
        // (seconds, increment, rate, expected total)
        let table = [
            (27, 6, "0.009", "0.00450000"),      // billed as 30 s
            (30, 6, "0.009", "0.00450000"),      // exact increment
            (31, 6, "0.009", "0.00540000"),      // billed as 36 s
            (1, 60, "0.015", "0.01500000"),      // a full minute at 60 s increments
            (60, 60, "0.015", "0.01500000"),     // still one minute
            (61, 60, "0.015", "0.03000000"),     // two minutes
            (0, 6, "0.009", "0.00000000"),       // nothing to bill
            (0, 60, "5.00", "0.00000000"),       // even at a high rate
            (11, 6, "0.00000000", "0.00000000"), // free call (seed getCDR row)
            (1, 1, "0.00000001", "0.00000000"),  // 1/60 of a unit rounds down
            (30, 1, "0.00000001", "0.00000001"), // exactly half rounds up
            (29, 1, "0.00000001", "0.00000000"), // just under half rounds down
            (7, 1, "0.0052", "0.00060667"),      // 0.0052 * 7 / 60 = 0.000606666…
            (6, 0, "0.01", "0.00100000"),        // increment 0 treated as per-second
            (6, 6, "-0.01", "-0.00100000"),      // credits round symmetrically
        ];
        for (seconds, increment, rate, expected) in table {
            assert_eq!(
                charge(seconds, increment, m(rate)).unwrap().to_string(),
                expected,
                "{seconds}s @ {increment}s increments, rate {rate}"
            );
        }
    }

    #[test]
    fn billed_seconds_table() {
        assert_eq!(billed_seconds(27, 6), 30);
        assert_eq!(billed_seconds(30, 6), 30);
        assert_eq!(billed_seconds(1, 60), 60);
        assert_eq!(billed_seconds(0, 60), 0);
        assert_eq!(billed_seconds(5, 0), 5);
        assert_eq!(billed_seconds(u32::MAX, 7), u32::MAX);
    }

    #[test]
    fn huge_values_overflow_instead_of_clamping() {
        use crate::money::Overflow;
        assert_eq!(
            charge(u32::MAX, 1, Money::from_units(i64::MAX)),
            Err(Overflow)
        );
        assert_eq!(
            charge(u32::MAX, 1, Money::from_units(i64::MIN)),
            Err(Overflow)
        );
        // 60 s at the largest rate is that rate, exactly.
        let max = Money::from_units(i64::MAX);
        assert_eq!(charge(60, 60, max), Ok(max));
    }
}
