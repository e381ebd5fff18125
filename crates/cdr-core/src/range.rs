//! Splitting a long date range into requests the service accepts.
//!
//! One getCDR request may cover at most 92 days and there is no paging, so a year of calls
//! is fetched as consecutive windows; per-day windows also make progress visible.

use chrono::{Days, NaiveDate};

/// The longest range, in days counted inclusively, that one CDR request may cover.
pub const MAX_RANGE_DAYS: u32 = 92;

/// A run of whole days, both ends inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateWindow {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

impl DateWindow {
    /// The number of days covered, both ends counted.
    pub fn days(&self) -> u32 {
        inclusive_days(self.from, self.to)
    }

    /// Whether `date` falls inside the window.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }
}

/// Days from `from` to `to`, both counted; 0 when `from` is after `to`.
pub fn inclusive_days(from: NaiveDate, to: NaiveDate) -> u32 {
    let days = (to - from).num_days() + 1;
    u32::try_from(days.max(0)).unwrap_or(u32::MAX)
}

/// Consecutive windows of at most `max_days` days covering `from..=to` exactly once, in
/// order. Empty when `from` is after `to`; a `max_days` of 0 is treated as 1.
///
/// ```
/// use cdr_core::range::{split_windows, MAX_RANGE_DAYS};
/// use chrono::NaiveDate;
/// let d = |s: &str| s.parse::<NaiveDate>().unwrap();
/// let windows = split_windows(d("2024-01-01"), d("2024-12-31"), MAX_RANGE_DAYS);
/// assert_eq!(windows.len(), 4);
/// assert_eq!(windows[0].to, d("2024-04-01"));
/// assert_eq!(windows[3].to, d("2024-12-31"));
/// ```
pub fn split_windows(from: NaiveDate, to: NaiveDate, max_days: u32) -> Vec<DateWindow> {
    let step = u64::from(max_days.max(1));
    let mut windows = Vec::new();
    let mut start = from;
    while start <= to {
        let end = start
            .checked_add_days(Days::new(step - 1))
            .map_or(to, |end| end.min(to));
        windows.push(DateWindow {
            from: start,
            to: end,
        });
        match end.succ_opt() {
            Some(next) => start = next,
            None => break,
        }
    }
    windows
}

/// One window per day of `from..=to`.
pub fn split_days(from: NaiveDate, to: NaiveDate) -> Vec<DateWindow> {
    split_windows(from, to, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn exact_multiple_and_remainder() {
        let w = split_windows(d("2024-01-01"), d("2024-01-06"), 3);
        assert_eq!(
            w,
            [
                DateWindow {
                    from: d("2024-01-01"),
                    to: d("2024-01-03")
                },
                DateWindow {
                    from: d("2024-01-04"),
                    to: d("2024-01-06")
                },
            ]
        );
        let w = split_windows(d("2024-01-01"), d("2024-01-07"), 3);
        assert_eq!(w.len(), 3);
        assert_eq!(
            w[2],
            DateWindow {
                from: d("2024-01-07"),
                to: d("2024-01-07")
            }
        );
    }

    #[test]
    fn edges() {
        assert!(split_windows(d("2024-01-02"), d("2024-01-01"), 92).is_empty());
        assert_eq!(split_windows(d("2024-01-01"), d("2024-01-01"), 92).len(), 1);
        assert_eq!(split_windows(d("2024-01-01"), d("2024-01-03"), 0).len(), 3);
        assert_eq!(split_days(d("2024-02-27"), d("2024-03-01")).len(), 4);
        assert_eq!(inclusive_days(d("2024-01-01"), d("2024-03-31")), 91);
        assert_eq!(inclusive_days(d("2024-01-02"), d("2024-01-01")), 0);
        let last = NaiveDate::MAX;
        assert_eq!(split_windows(last, last, 92).len(), 1);
    }
}
