//! Totals, KPIs and chart series over the rows a view shows.
//!
//! Every function takes the table's rows and the view's indices, so the numbers always follow
//! the quick filter.

use std::collections::HashMap;

use chrono::{NaiveDate, Timelike};

use crate::display;
use crate::model::{CdrRow, Disposition};
use crate::money::Money;

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
    fn add(&mut self, d: &Disposition) {
        match d {
            Disposition::Answered => self.answered += 1,
            Disposition::NoAnswer => self.no_answer += 1,
            Disposition::Busy => self.busy += 1,
            Disposition::Failed => self.failed += 1,
            Disposition::Other(_) => self.other += 1,
        }
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Calls per disposition; their sum is the number of calls.
    pub dispositions: DispositionCounts,
    /// Length of every call, in seconds.
    pub seconds: u64,
    /// Length of the answered calls, in seconds.
    pub answered_seconds: u64,
    /// What the calls cost.
    pub cost: Money,
}

impl Summary {
    /// Sums the rows at `indices`.
    pub fn of(rows: &[CdrRow], indices: &[u32]) -> Summary {
        let mut s = Summary::default();
        let mut cost_units: i128 = 0;
        for &i in indices {
            let r = &rows[i as usize];
            s.dispositions.add(&r.disposition);
            s.seconds += u64::from(r.seconds);
            if r.disposition == Disposition::Answered {
                s.answered_seconds += u64::from(r.seconds);
            }
            cost_units += i128::from(r.total.units());
        }
        s.cost = Money::from_units(cost_units.clamp(i64::MIN as i128, i64::MAX as i128) as i64);
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

/// One day of the calls-per-day chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DayBucket {
    /// The calendar day, in the requested timezone.
    pub day: NaiveDate,
    /// Calls of that day per disposition.
    pub counts: DispositionCounts,
}

/// Calls per day, stacked by disposition, for every day from the first to the last call
/// (days without calls included, so the axis is even).
pub fn calls_per_day(rows: &[CdrRow], indices: &[u32]) -> Vec<DayBucket> {
    let mut by_day: HashMap<NaiveDate, DispositionCounts> = HashMap::new();
    for &i in indices {
        let r = &rows[i as usize];
        by_day.entry(r.date.date()).or_default().add(&r.disposition);
    }
    let (Some(&first), Some(&last)) = (by_day.keys().min(), by_day.keys().max()) else {
        return Vec::new();
    };
    first
        .iter_days()
        .take_while(|d| *d <= last)
        .map(|day| DayBucket {
            day,
            counts: by_day.get(&day).copied().unwrap_or_default(),
        })
        .collect()
}

/// Calls per hour of the day, 0 to 23.
pub fn calls_per_hour(rows: &[CdrRow], indices: &[u32]) -> [u64; 24] {
    let mut hours = [0u64; 24];
    for &i in indices {
        hours[rows[i as usize].date.hour() as usize] += 1;
    }
    hours
}

/// A group's cost and number of calls, for the top-N charts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CostGroup {
    /// What was grouped on: a destination, an account.
    pub key: String,
    /// What the group's calls cost.
    pub cost: Money,
    /// How many calls.
    pub calls: u64,
}

fn cost_by(rows: &[CdrRow], indices: &[u32], key: impl Fn(&CdrRow) -> &str) -> Vec<CostGroup> {
    let mut groups: HashMap<&str, (i64, u64)> = HashMap::new();
    for &i in indices {
        let r = &rows[i as usize];
        let g = groups.entry(key(r)).or_default();
        g.0 = g.0.saturating_add(r.total.units());
        g.1 += 1;
    }
    let out: Vec<CostGroup> = groups
        .into_iter()
        .map(|(k, (units, calls))| CostGroup {
            key: k.to_owned(),
            cost: Money::from_units(units),
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
pub fn top_destinations_by_cost(rows: &[CdrRow], indices: &[u32], n: usize) -> Vec<CostGroup> {
    let mut groups = cost_by(rows, indices, |r| &r.destination);
    groups.retain(|g| g.cost > Money::ZERO);
    groups.truncate(n);
    groups
}

/// Cost per account, highest first.
pub fn cost_per_account(rows: &[CdrRow], indices: &[u32]) -> Vec<CostGroup> {
    cost_by(rows, indices, |r| &r.account)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn rows() -> Vec<CdrRow> {
        use Disposition::*;
        vec![
            row(1, 9, Answered, 60, "0.01000000", "5551"),
            row(1, 9, Answered, 30, "0.00500000", "5552"),
            row(1, 14, NoAnswer, 0, "0", "5551"),
            row(3, 14, Busy, 0, "0", "5553"),
            row(3, 23, Failed, 0, "0", "5553"),
            row(3, 23, Answered, 90, "0.03000000", "5552"),
            row(3, 0, Other("CONGESTION".into()), 0, "0", "5554"),
        ]
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
        assert_eq!(s.cost.to_string(), "0.04500000");
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
        assert_eq!(none.cost, Money::ZERO);
    }

    #[test]
    fn calls_per_day_fills_the_days_between() {
        let rows = rows();
        let all: Vec<u32> = (0..rows.len() as u32).collect();
        let days = calls_per_day(&rows, &all);
        assert_eq!(days.len(), 3);
        assert_eq!(days[0].counts.answered, 2);
        assert_eq!(days[0].counts.no_answer, 1);
        assert_eq!(days[1].counts.total(), 0);
        assert_eq!(days[1].day, NaiveDate::from_ymd_opt(2026, 3, 2).unwrap());
        assert_eq!(days[2].counts.total(), 4);
        assert!(calls_per_day(&rows, &[]).is_empty());
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
        assert_eq!(top[0].cost.to_string(), "0.03500000");
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
        assert_eq!(acc[0].cost.to_string(), "0.03000000");
        assert_eq!(acc[1].cost.to_string(), "0.01500000");
        assert_eq!(acc.iter().map(|g| g.calls).sum::<u64>(), 7);
    }
}
