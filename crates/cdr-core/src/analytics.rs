//! Totals, KPIs and chart series over the rows a view shows.
//!
//! Every function takes the table's rows and the view's indices, so the numbers always follow
//! the quick filter.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, Timelike};

use crate::display;
use crate::money::{Computed, Money};
use crate::table::{CdrTable, Column};

/// Calls per disposition: answered, no answer, busy, failed, and anything else.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DispositionCounts {
    /// `ANSWERED`
    pub answered: u64,
    /// `NO ANSWER`
    pub no_answer: u64,
    /// `BUSY`
    pub busy: u64,
    /// `FAILED`
    pub failed: u64,
    /// Any other disposition text.
    pub other: u64,
}

impl DispositionCounts {
    /// Counts a call by its place in [`Disposition::KNOWN`], `None` for any other text.
    fn add(&mut self, known: Option<usize>) {
        match known {
            Some(0) => self.answered += 1,
            Some(1) => self.no_answer += 1,
            Some(2) => self.busy += 1,
            Some(3) => self.failed += 1,
            _ => self.other += 1,
        }
    }

    fn merge(&mut self, other: &DispositionCounts) {
        self.answered += other.answered;
        self.no_answer += other.no_answer;
        self.busy += other.busy;
        self.failed += other.failed;
        self.other += other.other;
    }

    /// All calls counted.
    pub fn total(&self) -> u64 {
        self.answered + self.no_answer + self.busy + self.failed + self.other
    }

    /// The counts with a label each, in the order charts stack them.
    pub fn labelled(&self) -> [(&'static str, u64); 5] {
        [
            ("Answered", self.answered),
            ("No answer", self.no_answer),
            ("Busy", self.busy),
            ("Failed", self.failed),
            ("Other", self.other),
        ]
    }
}

/// The summary line above the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Calls per disposition; their sum is the number of calls.
    pub dispositions: DispositionCounts,
    /// Length of every call, in seconds.
    pub seconds: u64,
    /// Length of the answered calls, in seconds.
    pub answered_seconds: u64,
    /// What the calls cost.
    pub cost: Computed,
}

impl Default for Summary {
    fn default() -> Summary {
        Summary {
            dispositions: DispositionCounts::default(),
            seconds: 0,
            answered_seconds: 0,
            cost: Ok(Money::ZERO),
        }
    }
}

impl Summary {
    /// Sums the rows at `indices`.
    pub fn of(table: &CdrTable, indices: &[u32]) -> Summary {
        let mut s = Summary::default();
        // 128 bits: only a total beyond Money's range is an overflow, never a partial sum.
        let mut cost_units: i128 = 0;
        for &i in indices {
            let known = table.disposition_index(i);
            let seconds = u64::from(table.seconds(i));
            s.dispositions.add(known);
            s.seconds += seconds;
            if known == Some(0) {
                s.answered_seconds += seconds;
            }
            cost_units += i128::from(table.total(i).units());
        }
        s.cost = Money::from_wide(cost_units);
        s
    }

    /// Number of calls.
    pub fn calls(&self) -> u64 {
        self.dispositions.total()
    }

    /// Answer-seizure ratio: answered calls over all calls, 0..=1; `None` without calls.
    pub fn asr(&self) -> Option<f64> {
        let calls = self.calls();
        (calls > 0).then(|| self.dispositions.answered as f64 / calls as f64)
    }

    /// Average call duration of the answered calls, in seconds; `None` without one.
    pub fn acd_seconds(&self) -> Option<f64> {
        let answered = self.dispositions.answered;
        (answered > 0).then(|| self.answered_seconds as f64 / answered as f64)
    }

    /// Minutes of all calls, to one decimal as people read them.
    pub fn minutes(&self) -> f64 {
        self.seconds as f64 / 60.0
    }

    /// The figures shown above the grid, each with its label, in reading order.
    pub fn terms(&self) -> Vec<(&'static str, String)> {
        let d = &self.dispositions;
        vec![
            ("Calls", display::count(self.calls())),
            ("Answered", display::count(d.answered)),
            ("ASR", display::percent(self.asr())),
            ("Minutes", display::one_decimal(self.minutes())),
            ("ACD", display::duration(self.acd_seconds())),
            ("Cost", display::money(self.cost)),
            ("No answer", display::count(d.no_answer)),
            ("Busy", display::count(d.busy)),
            ("Failed", display::count(d.failed)),
        ]
    }
}

/// The most bars the calls-over-time chart draws: a year of days, and a bound that no row
/// date, however far off, can push.
pub const MAX_BUCKETS: usize = 400;

/// How long one bar of the calls-over-time chart lasts: a day while the calls' days fit in
/// [`MAX_BUCKETS`] bars, else a week (from Monday), a month, or as many whole years as it
/// takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// One calendar day.
    Day,
    /// Monday to Sunday.
    Week,
    /// One calendar month.
    Month,
    /// This many calendar years (1 or more), starting at a multiple of it.
    Years(u32),
}

impl Period {
    /// A bar's number: consecutive periods have consecutive keys. i64 so that no date that
    /// chrono holds can overflow it.
    fn key(self, d: NaiveDate) -> i64 {
        let days = i64::from(d.num_days_from_ce());
        match self {
            Period::Day => days,
            // Day 1 of the era, 0001-01-01, is a Monday.
            Period::Week => (days - 1).div_euclid(7),
            Period::Month => i64::from(d.year()) * 12 + i64::from(d.month0()),
            Period::Years(n) => i64::from(d.year()).div_euclid(i64::from(n.max(1))),
        }
    }

    /// The first day of the bar numbered `key`.
    fn start(self, key: i64) -> Option<NaiveDate> {
        match self {
            Period::Day => NaiveDate::from_num_days_from_ce_opt(i32::try_from(key).ok()?),
            Period::Week => NaiveDate::from_num_days_from_ce_opt(i32::try_from(key * 7 + 1).ok()?),
            Period::Month => NaiveDate::from_ymd_opt(
                i32::try_from(key.div_euclid(12)).ok()?,
                u32::try_from(key.rem_euclid(12)).ok()? + 1,
                1,
            ),
            Period::Years(n) => {
                NaiveDate::from_ymd_opt(i32::try_from(key * i64::from(n.max(1))).ok()?, 1, 1)
            }
        }
    }

    /// The shortest period whose bars between `first` and `last` number at most
    /// [`MAX_BUCKETS`].
    fn fitting(first: NaiveDate, last: NaiveDate) -> Period {
        let bars = |p: Period| p.key(last) - p.key(first) + 1;
        let max = MAX_BUCKETS as i64;
        [Period::Day, Period::Week, Period::Month]
            .into_iter()
            .find(|p| bars(*p) <= max)
            .unwrap_or_else(|| {
                let years = bars(Period::Years(1));
                // Bars of n years can straddle one more boundary than the span: n is rounded
                // up from years + n, which `years / (max - 1) + 1` covers.
                Period::Years(u32::try_from(years / (max - 1) + 1).unwrap_or(u32::MAX))
            })
    }
}

/// One bar of the calls-over-time chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeBucket {
    /// The first day of the bar's period, in the requested timezone.
    pub start: NaiveDate,
    /// Calls of that period per disposition.
    pub counts: DispositionCounts,
}

/// Calls over time, stacked by disposition: what the chart draws and what it leaves out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallsOverTime {
    /// How long each bar lasts.
    pub period: Period,
    /// Every period from the first to the last call charted, empty ones included so that the
    /// axis is even; never more than [`MAX_BUCKETS`].
    pub buckets: Vec<TimeBucket>,
    /// Calls dated outside the searched range (a placeholder date, a service fault): not
    /// charted, so that one stray date cannot stretch the axis over centuries.
    pub outside: u64,
}

/// Calls per day (or week, month, years: see [`Period`]) for the calls dated within
/// `range`, the searched days; the others are only counted.
pub fn calls_over_time(
    table: &CdrTable,
    indices: &[u32],
    range: (NaiveDate, NaiveDate),
) -> CallsOverTime {
    let mut by_day: HashMap<NaiveDate, DispositionCounts> = HashMap::new();
    let mut outside = 0u64;
    for &i in indices {
        let day = table.date(i).date();
        if day < range.0 || day > range.1 {
            outside += 1;
            continue;
        }
        by_day
            .entry(day)
            .or_default()
            .add(table.disposition_index(i));
    }
    let (Some(&first), Some(&last)) = (by_day.keys().min(), by_day.keys().max()) else {
        return CallsOverTime {
            period: Period::Day,
            buckets: Vec::new(),
            outside,
        };
    };
    let period = Period::fitting(first, last);
    let first_key = period.key(first);
    let mut buckets: Vec<TimeBucket> = (first_key..=period.key(last))
        .map(|k| TimeBucket {
            // Only a bar that starts before chrono's first day has no start of its own.
            start: period.start(k).unwrap_or(NaiveDate::MIN),
            counts: DispositionCounts::default(),
        })
        .collect();
    for (day, counts) in by_day {
        let slot = usize::try_from(period.key(day) - first_key).ok();
        if let Some(b) = slot.and_then(|i| buckets.get_mut(i)) {
            b.counts.merge(&counts);
        }
    }
    CallsOverTime {
        period,
        buckets,
        outside,
    }
}

/// Calls per hour of the day, 0 to 23.
pub fn calls_per_hour(table: &CdrTable, indices: &[u32]) -> [u64; 24] {
    let mut hours = [0u64; 24];
    for &i in indices {
        hours[table.date(i).hour() as usize] += 1;
    }
    hours
}

/// A group's cost and number of calls, for the top-N charts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostGroup {
    /// What was grouped on: a destination, an account.
    pub key: String,
    /// What the group's calls cost.
    pub cost: Computed,
    /// How many calls.
    pub calls: u64,
}

/// Cost and calls per text of a dictionary column: grouped by code, so that no string is
/// compared or hashed per row.
fn cost_by(table: &CdrTable, indices: &[u32], column: Column) -> Vec<CostGroup> {
    let (Some(dict), true) = (table.dictionary(column), !indices.is_empty()) else {
        return Vec::new();
    };
    let mut groups: Vec<(i128, u64)> = vec![(0, 0); dict.len()];
    for &i in indices {
        let code = table.code(column, i).unwrap_or(0) as usize;
        let g = &mut groups[code];
        g.0 += i128::from(table.total(i).units());
        g.1 += 1;
    }
    let out: Vec<CostGroup> = groups
        .into_iter()
        .enumerate()
        .filter(|(_, (_, calls))| *calls > 0)
        .map(|(code, (units, calls))| CostGroup {
            key: dict.get(code as u32).to_owned(),
            cost: Money::from_wide(units),
            calls,
        })
        .collect();
    // Highest cost first; the key breaks ties so the order never depends on hashing.
    let order = crate::table::order_by(out.len(), &|a, b| {
        let (a, b) = (&out[a], &out[b]);
        b.cost.cmp(&a.cost).then_with(|| a.key.cmp(&b.key))
    });
    order.into_iter().map(|i| out[i].clone()).collect()
}

/// The `n` destinations that cost most, highest first; destinations that cost nothing are
/// left out.
pub fn top_destinations_by_cost(table: &CdrTable, indices: &[u32], n: usize) -> Vec<CostGroup> {
    let mut groups = cost_by(table, indices, Column::Destination);
    // An overflowing group stays: it is what the user most needs to see.
    groups.retain(|g| g.cost.map_or(true, |c| c > Money::ZERO));
    groups.truncate(n);
    groups
}

/// Cost per account, highest first.
pub fn cost_per_account(table: &CdrTable, indices: &[u32]) -> Vec<CostGroup> {
    cost_by(table, indices, Column::Account)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CdrRow, Disposition};

    fn row(day: u32, hour: u32, d: Disposition, seconds: u32, total: &str, dest: &str) -> CdrRow {
        CdrRow {
            date: NaiveDate::from_ymd_opt(2026, 3, day)
                .unwrap()
                .and_hms_opt(hour, 5, 0)
                .unwrap(),
            callerid: String::new(),
            destination: dest.into(),
            description: String::new(),
            account: if hour < 12 {
                "100000_VoIP"
            } else {
                "100000_Office"
            }
            .into(),
            disposition: d,
            seconds,
            rate: None,
            total: Money::parse(total).unwrap(),
            uniqueid: String::new(),
            destination_type: None,
            call_logs: None,
            ip: None,
            useragent: None,
        }
    }

    fn rows() -> CdrTable {
        use Disposition::*;
        CdrTable::new(vec![
            row(1, 9, Answered, 60, "0.01000000", "5551"),
            row(1, 9, Answered, 30, "0.00500000", "5552"),
            row(1, 14, NoAnswer, 0, "0", "5551"),
            row(3, 14, Busy, 0, "0", "5553"),
            row(3, 23, Failed, 0, "0", "5553"),
            row(3, 23, Answered, 90, "0.03000000", "5552"),
            row(3, 0, Other("CONGESTION".into()), 0, "0", "5554"),
        ])
    }

    #[test]
    fn the_summary_counts_asr_acd_minutes_and_cost() {
        let rows = rows();
        let all: Vec<u32> = (0..rows.len() as u32).collect();
        let s = Summary::of(&rows, &all);
        assert_eq!(s.calls(), 7);
        assert_eq!(
            s.dispositions,
            DispositionCounts {
                answered: 3,
                no_answer: 1,
                busy: 1,
                failed: 1,
                other: 1
            }
        );
        assert_eq!(s.asr(), Some(3.0 / 7.0));
        assert_eq!(s.acd_seconds(), Some(60.0));
        assert_eq!(s.minutes(), 3.0);
        assert_eq!(s.cost.unwrap().to_string(), "0.04500000");
        let terms = s.terms();
        let shown: Vec<String> = terms.iter().map(|(t, v)| format!("{t} {v}")).collect();
        assert_eq!(
            shown,
            [
                "Calls 7",
                "Answered 3",
                "ASR 42.9%",
                "Minutes 3.0",
                "ACD 1m 00s",
                "Cost $0.0450",
                "No answer 1",
                "Busy 1",
                "Failed 1"
            ]
        );
    }

    #[test]
    fn the_summary_follows_the_indices_and_handles_nothing() {
        let rows = rows();
        let s = Summary::of(&rows, &[2, 3]);
        assert_eq!(s.calls(), 2);
        assert_eq!(s.asr(), Some(0.0));
        assert_eq!(s.acd_seconds(), None);
        let none = Summary::of(&rows, &[]);
        assert_eq!(none.asr(), None);
        assert_eq!(none.terms()[2].1, "—");
        assert_eq!(none.terms()[4].1, "—");
        assert_eq!(none.cost, Ok(Money::ZERO));
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    const MARCH: (NaiveDate, NaiveDate) = (
        NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
        NaiveDate::from_ymd_opt(2026, 3, 31).unwrap(),
    );

    #[test]
    fn calls_per_day_fills_the_days_between() {
        let rows = rows();
        let all: Vec<u32> = (0..rows.len() as u32).collect();
        let series = calls_over_time(&rows, &all, MARCH);
        assert_eq!(series.period, Period::Day);
        assert_eq!(series.outside, 0);
        let days = &series.buckets;
        assert_eq!(days.len(), 3);
        assert_eq!(days[0].counts.answered, 2);
        assert_eq!(days[0].counts.no_answer, 1);
        assert_eq!(days[1].counts.total(), 0);
        assert_eq!(days[1].start, date(2026, 3, 2));
        assert_eq!(days[2].counts.total(), 4);
        assert!(calls_over_time(&rows, &[], MARCH).buckets.is_empty());
    }

    /// A row of `rows()` moved to another day.
    fn on(day: NaiveDate) -> CdrRow {
        let mut r = rows().row(0);
        r.date = day.and_hms_opt(12, 0, 0).unwrap();
        r
    }

    #[test]
    fn days_outside_the_search_are_counted_not_charted() {
        // Issue 13: a placeholder date decoded as 1970 stretched a 2024 search to 20,000 days.
        let rows = CdrTable::new(vec![
            on(date(2024, 5, 1)),
            on(date(1970, 1, 1)),
            on(date(2024, 5, 3)),
            on(date(9999, 12, 31)),
        ]);
        let range = (date(2024, 5, 1), date(2024, 5, 31));
        let series = calls_over_time(&rows, &[0, 1, 2, 3], range);
        assert_eq!(series.outside, 2);
        assert_eq!(series.period, Period::Day);
        assert_eq!(series.buckets.len(), 3);
        assert_eq!(
            series.buckets.iter().map(|b| b.counts.total()).sum::<u64>(),
            2
        );
        // Only outside rows: nothing to draw, all counted.
        let series = calls_over_time(&rows, &[1, 3], range);
        assert!(series.buckets.is_empty());
        assert_eq!(series.outside, 2);
    }

    #[test]
    fn no_range_draws_more_than_the_bar_limit() {
        // Issue 13: rows dated 0001-01-01 and 9999-12-31 made 3.65 M daily buckets.
        let cases = [
            (date(2024, 1, 1), date(2024, 12, 31), Period::Day, 366),
            (date(2024, 1, 1), date(2025, 12, 31), Period::Week, 105),
            (date(2000, 1, 1), date(2026, 12, 31), Period::Month, 324),
            (date(1900, 1, 1), date(2026, 12, 31), Period::Years(1), 127),
            (date(1, 1, 1), date(9999, 12, 31), Period::Years(26), 385),
            (NaiveDate::MIN, NaiveDate::MAX, Period::Years(1315), 400),
        ];
        for (first, last, period, bars) in cases {
            let rows = CdrTable::new(vec![on(first), on(last)]);
            let series = calls_over_time(&rows, &[0, 1], (first, last));
            assert_eq!(
                (series.period, series.buckets.len()),
                (period, bars),
                "{first} to {last}"
            );
            assert!(series.buckets.len() <= MAX_BUCKETS);
            assert_eq!(
                series.buckets.iter().map(|b| b.counts.total()).sum::<u64>(),
                2
            );
            assert_eq!(series.buckets[0].counts.total(), 1);
            assert_eq!(series.buckets[bars - 1].counts.total(), 1);
            assert!(series.buckets[0].start <= first);
        }
        // Weeks start on Monday: 2024-01-01 was one.
        let rows = CdrTable::new(vec![on(date(2024, 1, 3)), on(date(2025, 6, 1))]);
        let series = calls_over_time(&rows, &[0, 1], (date(2024, 1, 1), date(2025, 12, 31)));
        assert_eq!(series.buckets[0].start, date(2024, 1, 1));
        assert_eq!(series.buckets[1].start, date(2024, 1, 8));
    }

    #[test]
    fn totals_beyond_the_money_range_are_overflows_not_figures() {
        let mut a = on(date(2026, 3, 1));
        a.total = Money::parse("92233720368").unwrap();
        let b = a.clone();
        let mut credit = a.clone();
        credit.total = Money::parse("-92233720368").unwrap();
        let rows = CdrTable::new(vec![a, b, credit]);
        assert_eq!(
            Summary::of(&rows, &[0, 1]).cost,
            Err(crate::money::Overflow)
        );
        // The credit brings the total back: judged on the total, not on the way.
        assert_eq!(
            Summary::of(&rows, &[0, 1, 2]).cost.unwrap().to_string(),
            "92233720368.00000000"
        );
        assert_eq!(
            Summary::of(&rows, &[0, 1]).terms()[5].1,
            "too large to compute"
        );
        let top = top_destinations_by_cost(&rows, &[0, 1], 10);
        assert_eq!(top[0].cost, Err(crate::money::Overflow));
    }

    #[test]
    fn calls_per_hour_buckets_by_the_hour_shown() {
        let rows = rows();
        let all: Vec<u32> = (0..rows.len() as u32).collect();
        let h = calls_per_hour(&rows, &all);
        assert_eq!(h[9], 2);
        assert_eq!(h[14], 2);
        assert_eq!(h[23], 2);
        assert_eq!(h[0], 1);
        assert_eq!(h.iter().sum::<u64>(), 7);
    }

    #[test]
    fn top_destinations_rank_by_cost_and_drop_free_ones() {
        let rows = rows();
        let all: Vec<u32> = (0..rows.len() as u32).collect();
        let top = top_destinations_by_cost(&rows, &all, 10);
        let keys: Vec<&str> = top.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, ["5552", "5551"]);
        assert_eq!(top[0].cost.unwrap().to_string(), "0.03500000");
        assert_eq!(top[0].calls, 2);
        assert_eq!(top_destinations_by_cost(&rows, &all, 1).len(), 1);
    }

    #[test]
    fn cost_per_account_covers_every_account() {
        let rows = rows();
        let all: Vec<u32> = (0..rows.len() as u32).collect();
        let acc = cost_per_account(&rows, &all);
        assert_eq!(acc.len(), 2);
        assert_eq!(acc[0].key, "100000_Office");
        assert_eq!(acc[0].cost.unwrap().to_string(), "0.03000000");
        assert_eq!(acc[1].cost.unwrap().to_string(), "0.01500000");
        assert_eq!(acc.iter().map(|g| g.calls).sum::<u64>(), 7);
    }
}
