//! The state of a CDR explorer page as its URL holds it, date presets and timezone choices.
//!
//! The URL is the source of truth: a link or a reload restores the same view, and back and
//! forward move between searches. Values are kept as typed, so that a wrong one coming from a
//! hand-edited link is shown beside its field instead of being silently replaced.

use chrono::{Datelike, Duration, NaiveDate};

use crate::range::{split_windows, MAX_RANGE_DAYS};
use crate::request::{format_date, parse_date, CdrFilter, RawCdrForm, Timezone, ValidationError};
use crate::status::ApiStatus;
use crate::table::{Column, Sort};
use crate::url::{SearchState, UrlState};

/// A named date range, relative to today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Preset {
    /// Today only.
    Today,
    /// Yesterday only.
    Yesterday,
    /// The last seven days, today included.
    Last7Days,
    /// From the first of this month to today.
    ThisMonth,
    /// The whole of last month.
    LastMonth,
    /// The dates typed by the user.
    Custom,
}

impl Preset {
    /// Every preset, in the order the picker lists them.
    pub const ALL: [Preset; 6] = [
        Preset::Today,
        Preset::Yesterday,
        Preset::Last7Days,
        Preset::ThisMonth,
        Preset::LastMonth,
        Preset::Custom,
    ];

    /// The URL value.
    pub const fn key(self) -> &'static str {
        match self {
            Preset::Today => "today",
            Preset::Yesterday => "yesterday",
            Preset::Last7Days => "last7",
            Preset::ThisMonth => "thismonth",
            Preset::LastMonth => "lastmonth",
            Preset::Custom => "custom",
        }
    }

    /// What the picker shows.
    pub const fn label(self) -> &'static str {
        match self {
            Preset::Today => "Today",
            Preset::Yesterday => "Yesterday",
            Preset::Last7Days => "Last 7 days",
            Preset::ThisMonth => "This month",
            Preset::LastMonth => "Last month",
            Preset::Custom => "Custom",
        }
    }

    /// The preset for a URL value.
    pub fn from_key(key: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.key() == key)
    }

    /// The first and last day of the preset, both included; `None` for [`Preset::Custom`].
    pub fn range(self, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
        let first_of_month = today.with_day(1)?;
        Some(match self {
            Preset::Today => (today, today),
            Preset::Yesterday => {
                let y = today.pred_opt()?;
                (y, y)
            }
            Preset::Last7Days => (today - Duration::days(6), today),
            Preset::ThisMonth => (first_of_month, today),
            Preset::LastMonth => {
                let last = first_of_month.pred_opt()?;
                (last.with_day(1)?, last)
            }
            Preset::Custom => return None,
        })
    }
}

/// The timezones offered: every whole hour from -12 to 13 and the half and quarter hours in
/// use around the world (India 5.5, Nepal 5.75, Newfoundland -3.5, ...), plus `also` (the
/// browser's own offset) if it is none of those.
pub fn timezone_choices(also: Option<Timezone>) -> Vec<Timezone> {
    let fractional = [-950, -350, 350, 450, 550, 575, 650, 875, 950, 1050, 1275];
    let all: Vec<Timezone> = (-12..=13)
        .map(|h| h * 100)
        .chain(fractional)
        .filter_map(Timezone::from_hundredths)
        .chain(also)
        .collect();
    let mut sorted: Vec<Timezone> = crate::table::order_by(all.len(), &|a, b| all[a].cmp(&all[b]))
        .into_iter()
        .map(|i| all[i])
        .collect();
    sorted.dedup();
    sorted
}

/// The timezone of a browser whose `Date.getTimezoneOffset()` is `minutes` (minutes *west*
/// of UTC, so UTC-5 is `300`), if the API accepts it.
pub fn timezone_from_browser_offset(minutes: i32) -> Option<Timezone> {
    // Offsets are whole quarter hours, so hundredths of an hour come out exact.
    Timezone::from_hundredths(-minutes * 100 / 60)
}

/// Which explorer a state belongs to: the reseller one also names a client.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// getCDR: the account's own calls.
    Own,
    /// getResellerCDR: the calls of one reseller client.
    Reseller,
}

/// What [`CdrSearch`] needs to read an address: today, for the presets; the browser's
/// timezone, the default; and which explorer it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CdrContext {
    /// Today, in the browser's calendar.
    pub today: NaiveDate,
    /// The browser's own timezone.
    pub browser_tz: Timezone,
    /// Own calls or a reseller client's.
    pub scope: Scope,
}

/// What a CDR search asks the API: the dates (or their preset), the filters and, on the
/// reseller page, the client. A change of any of these is a new search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CdrSearch {
    /// Which explorer.
    pub scope: Scope,
    /// The date preset; anything but `Custom` recomputes the dates from today.
    pub preset: Preset,
    /// The filter fields as typed.
    pub form: RawCdrForm,
    /// The reseller client (reseller page only).
    pub client: String,
}

impl CdrSearch {
    /// The search a first visit gets: the last seven days in the browser's timezone, every
    /// outcome, every call type, billing and account.
    pub fn defaults(cx: &CdrContext) -> CdrSearch {
        let today = cx.today;
        let (from, to) = Preset::Last7Days.range(today).unwrap_or((today, today));
        CdrSearch {
            scope: cx.scope,
            preset: Preset::Last7Days,
            form: RawCdrForm {
                date_from: format_date(from),
                date_to: format_date(to),
                timezone: cx.browser_tz.to_string(),
                answered: true,
                noanswer: true,
                busy: true,
                failed: true,
                calltype: "all".into(),
                callbilling: "all".into(),
                account: "all".into(),
            },
            client: String::new(),
        }
    }

    /// Sets the dates from the preset (nothing changes for `Custom`).
    pub fn apply_preset(&mut self, today: NaiveDate) {
        if let Some((from, to)) = self.preset.range(today) {
            self.form.date_from = format_date(from);
            self.form.date_to = format_date(to);
        }
    }

    /// The reseller client, on the reseller page; `None` on the account's own.
    pub fn client(&self) -> Option<&str> {
        (self.scope == Scope::Reseller).then_some(self.client.as_str())
    }

    /// Checks the filter before any request. A range longer than the API's 92 days is fine
    /// here: the explorer splits it into windows ([`CdrSearch::windows`]). The reseller page
    /// also needs a client.
    pub fn validate(&self) -> Result<CdrFilter, Vec<ValidationError>> {
        // Check the form as if it ended within the limit, then put the real end back.
        let from = parse_date(&self.form.date_from);
        let to = parse_date(&self.form.date_to);
        let mut form = self.form.clone();
        if let (Some(from), Some(to)) = (from, to) {
            let last_allowed = from + Duration::days(i64::from(MAX_RANGE_DAYS) - 1);
            if to > last_allowed {
                form.date_to = format_date(last_allowed);
            }
        }
        let mut result = CdrFilter::from_form(&form).map(|f| match to {
            Some(to) => f.with_range(f.date_from, to),
            None => f,
        });
        if self.scope == Scope::Reseller && self.client.trim().is_empty() {
            let missing =
                ValidationError::new("client", ApiStatus::MissingClient, "Choose a client.");
            match &mut result {
                Ok(_) => result = Err(vec![missing]),
                Err(errors) => errors.push(missing),
            }
        }
        result
    }

    /// The requests a valid filter needs: one per window of at most 92 days, oldest first.
    pub fn windows(filter: &CdrFilter) -> Vec<CdrFilter> {
        split_windows(filter.date_from, filter.date_to, MAX_RANGE_DAYS)
            .into_iter()
            .map(|w| filter.with_range(w.from, w.to))
            .collect()
    }
}

impl SearchState for CdrSearch {
    /// The explorer searches on a first visit too: the last seven days.
    fn is_asked(&self) -> bool {
        true
    }

    fn errors(&self) -> Vec<ValidationError> {
        self.validate().err().unwrap_or_default()
    }
}

impl UrlState for CdrSearch {
    const KEYS: &'static [&'static str] = &[
        "range", "from", "to", "tz", "disp", "calltype", "billing", "account", "client",
    ];
    type Context = CdrContext;

    fn from_query(get: &dyn Fn(&str) -> Option<String>, cx: &CdrContext) -> CdrSearch {
        let mut s = CdrSearch::defaults(cx);
        let from = get("from");
        let to = get("to");
        s.preset = match get("range").as_deref().map(Preset::from_key) {
            Some(Some(p)) => p,
            // Explicit dates without a known preset mean custom dates.
            _ if from.is_some() || to.is_some() => Preset::Custom,
            _ => s.preset,
        };
        s.apply_preset(cx.today);
        if s.preset == Preset::Custom {
            if let Some(v) = from {
                s.form.date_from = v;
            }
            if let Some(v) = to {
                s.form.date_to = v;
            }
        }
        if let Some(v) = get("tz") {
            s.form.timezone = v;
        }
        if let Some(v) = get("disp") {
            let on: Vec<&str> = v.split(',').map(str::trim).collect();
            s.form.answered = on.contains(&"answered");
            s.form.noanswer = on.contains(&"noanswer");
            s.form.busy = on.contains(&"busy");
            s.form.failed = on.contains(&"failed");
        }
        for (key, slot) in [
            ("calltype", &mut s.form.calltype),
            ("billing", &mut s.form.callbilling),
            ("account", &mut s.form.account),
        ] {
            if let Some(v) = get(key) {
                *slot = v;
            }
        }
        if cx.scope == Scope::Reseller {
            s.client = get("client").unwrap_or_default();
        }
        s
    }

    /// Presets are written by name, so a shared "last 7 days" link stays relative to the day
    /// it is opened.
    fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = vec![("range", self.preset.key().to_owned())];
        if self.preset == Preset::Custom {
            q.push(("from", self.form.date_from.clone()));
            q.push(("to", self.form.date_to.clone()));
        }
        q.push(("tz", self.form.timezone.clone()));
        let f = &self.form;
        let disp: Vec<&str> = [
            (f.answered, "answered"),
            (f.noanswer, "noanswer"),
            (f.busy, "busy"),
            (f.failed, "failed"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
        if disp.len() != 4 {
            q.push(("disp", disp.join(",")));
        }
        for (key, value) in [
            ("calltype", &f.calltype),
            ("billing", &f.callbilling),
            ("account", &f.account),
        ] {
            if !value.is_empty() && value != "all" {
                q.push((key, value.clone()));
            }
        }
        if self.scope == Scope::Reseller && !self.client.is_empty() {
            q.push(("client", self.client.clone()));
        }
        q
    }
}

/// How the fetched rows are shown: the quick filter, the sort and the columns. Changing them
/// never fetches again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CdrView {
    /// The quick filter over the text columns.
    pub quick: String,
    /// The grid's sort.
    pub sort: Sort,
    /// The visible columns, in order.
    pub columns: Vec<Column>,
}

impl Default for CdrView {
    /// Newest first, every column, no quick filter.
    fn default() -> CdrView {
        CdrView {
            quick: String::new(),
            sort: Sort::DEFAULT,
            columns: Column::ALL.to_vec(),
        }
    }
}

impl CdrView {
    /// Shows `c` or hides it, keeping the default order whatever the order of clicks; the
    /// last visible column stays.
    pub fn toggle_column(&mut self, c: Column, on: bool) {
        if on && !self.columns.contains(&c) {
            let shown = std::mem::take(&mut self.columns);
            self.columns = Column::ALL
                .into_iter()
                .filter(|x| *x == c || shown.contains(x))
                .collect();
        } else if !on && self.columns.len() > 1 {
            self.columns.retain(|x| *x != c);
        }
    }
}

impl UrlState for CdrView {
    const KEYS: &'static [&'static str] = &["q", "sort", "cols"];
    type Context = ();

    fn from_query(get: &dyn Fn(&str) -> Option<String>, _: &()) -> CdrView {
        let mut v = CdrView::default();
        if let Some(q) = get("q") {
            v.quick = q;
        }
        if let Some(sort) = get("sort").as_deref().and_then(Sort::from_key) {
            v.sort = sort;
        }
        if let Some(cols) = get("cols") {
            let columns: Vec<Column> = cols.split(',').filter_map(Column::from_key).collect();
            if !columns.is_empty() {
                v.columns = columns;
            }
        }
        v
    }

    fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if !self.quick.is_empty() {
            q.push(("q", self.quick.clone()));
        }
        if self.sort != Sort::DEFAULT {
            q.push(("sort", self.sort.key()));
        }
        if self.columns != Column::ALL {
            let cols: Vec<&str> = self.columns.iter().map(|c| c.key()).collect();
            q.push(("cols", cols.join(",")));
        }
        q
    }
}

/// The filter in words, for an empty result ("No calls match: ...").
pub fn describe_filter(f: &CdrFilter, client: Option<&str>) -> String {
    let d = f.dispositions;
    let outcomes: Vec<&str> = [
        (d.answered, "answered"),
        (d.noanswer, "no answer"),
        (d.busy, "busy"),
        (d.failed, "failed"),
    ]
    .into_iter()
    .filter_map(|(on, name)| on.then_some(name))
    .collect();
    let mut parts = vec![
        format!(
            "{} to {} ({})",
            format_date(f.date_from),
            format_date(f.date_to),
            crate::export::utc_label(f.timezone)
        ),
        outcomes.join(", "),
        format!("call type {}", f.calltype),
        format!("billing {}", f.callbilling),
        format!("account {}", f.account),
    ];
    if let Some(c) = client {
        parts.push(format!("client {c}"));
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn tz(s: &str) -> Timezone {
        Timezone::parse(s).unwrap()
    }

    fn cx(today: NaiveDate, scope: Scope) -> CdrContext {
        CdrContext {
            today,
            browser_tz: tz("-5"),
            scope,
        }
    }

    fn from_pairs_in(
        pairs: &[(&str, &str)],
        today: NaiveDate,
        scope: Scope,
    ) -> (CdrSearch, CdrView) {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let get = |k: &str| map.get(k).cloned();
        (
            CdrSearch::from_query(&get, &cx(today, scope)),
            CdrView::from_query(&get, &()),
        )
    }

    fn from_pairs(pairs: &[(&str, &str)], today: NaiveDate) -> CdrSearch {
        from_pairs_in(pairs, today, Scope::Own).0
    }

    #[test]
    fn a_filter_reads_as_a_sentence() {
        let mut f = CdrFilter::new(day("2026-11-20"), day("2026-11-27"), tz("-5"));
        f.dispositions.busy = false;
        f.account = "100000_VoIP".into();
        assert_eq!(
            describe_filter(&f, Some("561115")),
            "2026-11-20 to 2026-11-27 (UTC-05:00); answered, no answer, failed; \
             call type all; billing all; account 100000_VoIP; client 561115"
        );
    }

    #[test]
    fn presets_cover_the_expected_days() {
        let today = day("2026-03-01");
        assert_eq!(Preset::Today.range(today), Some((today, today)));
        assert_eq!(
            Preset::Yesterday.range(today),
            Some((day("2026-02-28"), day("2026-02-28")))
        );
        assert_eq!(
            Preset::Last7Days.range(today),
            Some((day("2026-02-23"), today))
        );
        assert_eq!(Preset::ThisMonth.range(today), Some((today, today)));
        assert_eq!(
            Preset::LastMonth.range(today),
            Some((day("2026-02-01"), day("2026-02-28")))
        );
        assert_eq!(
            Preset::LastMonth.range(day("2024-03-15")),
            Some((day("2024-02-01"), day("2024-02-29")))
        );
        assert_eq!(
            Preset::LastMonth.range(day("2026-01-10")),
            Some((day("2025-12-01"), day("2025-12-31")))
        );
        assert_eq!(Preset::Custom.range(today), None);
        for p in Preset::ALL {
            assert_eq!(Preset::from_key(p.key()), Some(p));
        }
    }

    #[test]
    fn timezone_choices_hold_the_half_and_quarter_hours_and_the_browser_offset() {
        let all = timezone_choices(None);
        assert_eq!(all.first(), Some(&Timezone::MIN));
        assert_eq!(all.last(), Some(&Timezone::MAX));
        for t in ["5.5", "5.75", "-3.5", "12.75", "0"] {
            assert!(all.contains(&tz(t)), "{t} missing");
        }
        assert_eq!(all.len(), 26 + 11);
        let odd = Timezone::from_hundredths(1025).unwrap();
        assert!(timezone_choices(Some(odd)).contains(&odd));
        assert_eq!(timezone_choices(Some(tz("-5"))).len(), all.len());
    }

    #[test]
    fn browser_offsets_become_api_timezones() {
        assert_eq!(timezone_from_browser_offset(300), Some(tz("-5")));
        assert_eq!(timezone_from_browser_offset(-330), Some(tz("5.5")));
        assert_eq!(timezone_from_browser_offset(-345), Some(tz("5.75")));
        assert_eq!(timezone_from_browser_offset(0), Some(Timezone::UTC));
        assert_eq!(timezone_from_browser_offset(-840), None);
    }

    #[test]
    fn a_default_state_round_trips_through_a_short_url() {
        let today = day("2026-11-27");
        let s = CdrSearch::defaults(&cx(today, Scope::Own));
        let q = s.to_query();
        assert_eq!(q, vec![("range", "last7".into()), ("tz", "-5".into())]);
        assert!(CdrView::default().to_query().is_empty());
        let back = from_pairs(&[("range", "last7"), ("tz", "-5")], today);
        assert_eq!(back, s);
    }

    #[test]
    fn every_field_round_trips_through_the_url() {
        let today = day("2026-11-27");
        let mut s = CdrSearch::defaults(&cx(today, Scope::Reseller));
        s.preset = Preset::Custom;
        s.form.date_from = "2026-01-01".into();
        s.form.date_to = "2026-06-30".into();
        s.form.timezone = "5.5".into();
        s.form.noanswer = false;
        s.form.failed = false;
        s.form.calltype = "5551234567".into();
        s.form.callbilling = "billed".into();
        s.form.account = "100000_VoIP".into();
        s.client = "561115".into();
        let v = CdrView {
            quick: "john & co".into(),
            sort: Sort::from_key("total.asc").unwrap(),
            columns: vec![Column::Total, Column::Date],
        };
        let query = crate::url::replace_part(&crate::url::replace_part(&[], &s), &v);
        let pairs: Vec<(&str, &str)> = query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("range", "custom"),
                ("from", "2026-01-01"),
                ("to", "2026-06-30"),
                ("tz", "5.5"),
                ("disp", "answered,busy"),
                ("calltype", "5551234567"),
                ("billing", "billed"),
                ("account", "100000_VoIP"),
                ("client", "561115"),
                ("q", "john & co"),
                ("sort", "total.asc"),
                ("cols", "total,date"),
            ]
        );
        assert_eq!(from_pairs_in(&pairs, today, Scope::Reseller), (s, v));
        // The account's own explorer has no client, whatever a link says.
        assert_eq!(from_pairs(&pairs, today).client, "");
    }

    #[test]
    fn a_view_change_leaves_the_search_alone_and_the_other_way_round() {
        let today = day("2026-11-27");
        let start = [
            ("range", "today"),
            ("tz", "-5"),
            ("q", "john"),
            ("sort", "total.asc"),
        ];
        let current: Vec<(String, String)> = start
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let (search, mut view) = from_pairs_in(&start, today, Scope::Own);
        view.toggle_column(Column::Date, false);
        let after = crate::url::replace_part(&current, &view);
        let pairs: Vec<(&str, &str)> = after
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(from_pairs_in(&pairs, today, Scope::Own).0, search);
        let mut other = search.clone();
        other.preset = Preset::Yesterday;
        let after = crate::url::replace_part(&current, &other);
        let pairs: Vec<(&str, &str)> = after
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("range", "yesterday"),
                ("tz", "-5"),
                ("q", "john"),
                ("sort", "total.asc")
            ]
        );
    }

    #[test]
    fn columns_keep_their_order_and_one_always_stays() {
        let mut v = CdrView {
            columns: vec![Column::Total],
            ..CdrView::default()
        };
        v.toggle_column(Column::Date, true);
        assert_eq!(v.columns, [Column::Date, Column::Total]);
        v.toggle_column(Column::Date, false);
        v.toggle_column(Column::Total, false);
        assert_eq!(v.columns, [Column::Total]);
    }

    #[test]
    fn a_preset_link_is_relative_to_the_day_it_is_opened() {
        let s = from_pairs(&[("range", "yesterday")], day("2026-11-27"));
        assert_eq!(s.form.date_from, "2026-11-26");
        assert_eq!(s.form.date_to, "2026-11-26");
        // Dates next to a preset are ignored: the preset wins.
        let s = from_pairs(
            &[("range", "today"), ("from", "2020-01-01")],
            day("2026-11-27"),
        );
        assert_eq!(s.form.date_from, "2026-11-27");
    }

    #[test]
    fn bad_values_from_a_link_are_kept_to_be_shown_not_replaced() {
        let s = from_pairs(&[("from", "2026-13-01"), ("tz", "14")], day("2026-11-27"));
        assert_eq!(s.preset, Preset::Custom);
        assert_eq!(s.form.date_from, "2026-13-01");
        let errors = s.validate().unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["date_from", "timezone"]);
        // Unknown sort and columns fall back to the defaults.
        let (_, v) = from_pairs_in(
            &[("sort", "x.y"), ("cols", "nope")],
            day("2026-11-27"),
            Scope::Own,
        );
        assert_eq!(v, CdrView::default());
    }

    #[test]
    fn validation_allows_long_ranges_and_requires_a_client_for_resellers() {
        let today = day("2026-11-27");
        let mut s = CdrSearch::defaults(&CdrContext {
            today,
            browser_tz: tz("0"),
            scope: Scope::Own,
        });
        s.preset = Preset::Custom;
        s.form.date_from = "2026-01-01".into();
        s.form.date_to = "2026-11-27".into();
        let filter = s.validate().unwrap();
        assert_eq!(filter.date_from, day("2026-01-01"));
        assert_eq!(filter.date_to, day("2026-11-27"));
        let windows = CdrSearch::windows(&filter);
        assert_eq!(windows.len(), 4);
        assert_eq!(windows[0].date_from, day("2026-01-01"));
        assert_eq!(windows[3].date_to, day("2026-11-27"));
        assert!(windows.iter().all(|w| w.days() <= 92));

        s.scope = Scope::Reseller;
        let errors = s.validate().unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "client");
        s.client = "561115".into();
        assert!(s.validate().is_ok());
        assert_eq!(s.client(), Some("561115"));
        s.scope = Scope::Own;
        assert_eq!(s.client(), None);

        s.form.answered = false;
        s.form.noanswer = false;
        s.form.busy = false;
        s.form.failed = false;
        let errors = s.validate().unwrap_err();
        assert_eq!(errors[0].field, "answered");
        s.form.date_to = "2025-12-31".into();
        let errors = s.validate().unwrap_err();
        assert_eq!(errors[0].field, "date_from");
    }
}
