//! Property tests: range splitting, and text round trips of money and timezones.
// proptest's random source does not build for wasm32-unknown-unknown.
#![cfg(not(target_arch = "wasm32"))]

use cdr_core::billing::{billed_seconds, charge};
use cdr_core::money::Money;
use cdr_core::range::{inclusive_days, split_days, split_windows, MAX_RANGE_DAYS};
use cdr_core::request::Timezone;
use chrono::{Days, NaiveDate};
use proptest::prelude::*;

fn date() -> impl Strategy<Value = NaiveDate> {
    // 2000-01-01 plus up to ~40 years.
    (0u64..15_000).prop_map(|n| NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + Days::new(n))
}

proptest! {
    #[test]
    fn windows_cover_the_range_exactly_once(
        from in date(),
        len in 0u64..800,
        max_days in 0u32..200,
    ) {
        let to = from + Days::new(len);
        let windows = split_windows(from, to, max_days);
        let limit = max_days.max(1);
        prop_assert!(!windows.is_empty());
        // Starts at from, ends at to: the union is the range.
        prop_assert_eq!(windows[0].from, from);
        prop_assert_eq!(windows.last().unwrap().to, to);
        for w in &windows {
            prop_assert!(w.from <= w.to);
            prop_assert!(w.days() >= 1 && w.days() <= limit);
        }
        // Each window starts the day after the previous one ends: no gap, no overlap.
        for pair in windows.windows(2) {
            prop_assert_eq!(pair[0].to.succ_opt().unwrap(), pair[1].from);
        }
        let total: u32 = windows.iter().map(|w| w.days()).sum();
        prop_assert_eq!(total, inclusive_days(from, to));
        // Only the last window may be short: as few requests as possible.
        for w in &windows[..windows.len() - 1] {
            prop_assert_eq!(w.days(), limit);
        }
    }

    #[test]
    fn api_limit_windows(from in date(), len in 0u64..1000) {
        let to = from + Days::new(len);
        for w in split_windows(from, to, MAX_RANGE_DAYS) {
            prop_assert!(w.days() <= MAX_RANGE_DAYS);
        }
    }

    #[test]
    fn days_are_single_days(from in date(), len in 0u64..100) {
        let to = from + Days::new(len);
        let days = split_days(from, to);
        prop_assert_eq!(days.len() as u64, len + 1);
        for (i, w) in days.iter().enumerate() {
            prop_assert_eq!(w.from, w.to);
            prop_assert_eq!(w.from, from + Days::new(i as u64));
        }
    }

    #[test]
    fn reversed_ranges_are_empty(from in date(), len in 1u64..100) {
        prop_assert!(split_windows(from + Days::new(len), from, 92).is_empty());
    }

    #[test]
    fn money_text_round_trips(units in any::<i64>()) {
        let money = Money::from_units(units);
        prop_assert_eq!(Money::parse(&money.to_string()).ok(), Some(money));
    }

    #[test]
    fn money_sum_is_exact(values in proptest::collection::vec(-1_000_000_000i64..1_000_000_000, 0..200)) {
        let sum = Money::checked_sum(values.iter().map(|&u| Money::from_units(u))).unwrap();
        prop_assert_eq!(sum.units(), values.iter().sum::<i64>());
    }

    #[test]
    fn money_arithmetic_is_exact_or_an_overflow(a in any::<i64>(), b in any::<i64>()) {
        let (x, y) = (Money::from_units(a), Money::from_units(b));
        prop_assert_eq!(x.checked_add(y).ok().map(Money::units), a.checked_add(b));
        prop_assert_eq!(x.checked_sub(y).ok().map(Money::units), a.checked_sub(b));
        let wide = i128::from(a) + i128::from(b);
        prop_assert_eq!(Money::checked_sum([x, y]).ok().map(|m| i128::from(m.units())), i64::try_from(wide).ok().map(i128::from));
    }

    #[test]
    fn timezone_text_round_trips(h in -1200i32..=1300) {
        let tz = Timezone::from_hundredths(h).unwrap();
        prop_assert_eq!(Timezone::parse(&tz.to_string()), Ok(tz));
    }

    #[test]
    fn charge_matches_the_formula(seconds in 0u32..100_000, increment in 0u32..120, rate in 0i64..1_000_000_000) {
        let got = charge(seconds, increment, Money::from_units(rate)).unwrap().units();
        let billed = i128::from(billed_seconds(seconds, increment));
        prop_assert!(billed >= i128::from(seconds));
        prop_assert!(billed - i128::from(seconds) < i128::from(increment.max(1)));
        // Exact value times 60, compared with the rounded result times 60: within half a unit.
        let exact60 = billed * i128::from(rate);
        let diff = i128::from(got) * 60 - exact60;
        prop_assert!(-30 < diff && diff <= 30, "diff {}", diff);
    }
}
