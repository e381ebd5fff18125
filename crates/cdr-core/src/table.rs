//! The row store behind the CDR grid: the fetched rows, a quick filter and a sort that stay
//! fast at a million rows.
//!
//! The grid never copies rows: a view is a list of row indices (`u32`), filtered and sorted.

use std::borrow::Cow;
use std::cmp::Ordering;

use crate::model::{format_hms, CdrRow};

/// A column of the CDR grid, in the default order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    /// Start of the call.
    Date,
    /// Caller display.
    CallerId,
    /// Dialled or called number.
    Destination,
    /// E.g. `Inbound - Local Caller`.
    Description,
    /// Sub-account.
    Account,
    /// How the call ended.
    Disposition,
    /// Call length, `HH:MM:SS`.
    Duration,
    /// Per-minute rate.
    Rate,
    /// Amount charged.
    Total,
    /// Call id.
    UniqueId,
    /// E.g. `IN:USA`.
    DestinationType,
}

impl Column {
    /// Every column, in the grid's default order.
    pub const ALL: [Column; 11] = [
        Column::Date,
        Column::CallerId,
        Column::Destination,
        Column::Description,
        Column::Account,
        Column::Disposition,
        Column::Duration,
        Column::Rate,
        Column::Total,
        Column::UniqueId,
        Column::DestinationType,
    ];

    /// The short name used in URLs (`cols=date,total`, `sort=total.desc`).
    pub const fn key(self) -> &'static str {
        match self {
            Column::Date => "date",
            Column::CallerId => "callerid",
            Column::Destination => "destination",
            Column::Description => "description",
            Column::Account => "account",
            Column::Disposition => "disposition",
            Column::Duration => "duration",
            Column::Rate => "rate",
            Column::Total => "total",
            Column::UniqueId => "uniqueid",
            Column::DestinationType => "destination_type",
        }
    }

    /// The column for a URL key.
    pub fn from_key(key: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.key() == key)
    }

    /// The header people read.
    pub const fn label(self) -> &'static str {
        match self {
            Column::Date => "Date",
            Column::CallerId => "Caller ID",
            Column::Destination => "Destination",
            Column::Description => "Description",
            Column::Account => "Account",
            Column::Disposition => "Disposition",
            Column::Duration => "Duration",
            Column::Rate => "Rate",
            Column::Total => "Total",
            Column::UniqueId => "Unique ID",
            Column::DestinationType => "Destination type",
        }
    }

    /// Numbers are right-aligned and compared as numbers.
    pub const fn is_numeric(self) -> bool {
        matches!(self, Column::Duration | Column::Rate | Column::Total)
    }

    /// Whether the quick filter searches this column.
    pub const fn is_text(self) -> bool {
        matches!(
            self,
            Column::CallerId
                | Column::Destination
                | Column::Description
                | Column::Account
                | Column::Disposition
                | Column::UniqueId
                | Column::DestinationType
        )
    }

    /// The cell's text as the grid and the CSV show it.
    pub fn cell(self, row: &CdrRow) -> Cow<'_, str> {
        match self {
            Column::Date => Cow::Owned(row.date_string()),
            Column::CallerId => Cow::Borrowed(&row.callerid),
            Column::Destination => Cow::Borrowed(&row.destination),
            Column::Description => Cow::Borrowed(&row.description),
            Column::Account => Cow::Borrowed(&row.account),
            Column::Disposition => Cow::Borrowed(row.disposition.as_str()),
            Column::Duration => Cow::Owned(format_hms(row.seconds)),
            Column::Rate => row
                .rate
                .map_or(Cow::Borrowed(""), |r| Cow::Owned(r.to_string())),
            Column::Total => Cow::Owned(row.total.to_string()),
            Column::UniqueId => Cow::Borrowed(&row.uniqueid),
            Column::DestinationType => Cow::Borrowed(row.destination_type.as_deref().unwrap_or("")),
        }
    }

    fn text(self, row: &CdrRow) -> &str {
        match self {
            Column::CallerId => &row.callerid,
            Column::Destination => &row.destination,
            Column::Description => &row.description,
            Column::Account => &row.account,
            Column::Disposition => row.disposition.as_str(),
            Column::UniqueId => &row.uniqueid,
            Column::DestinationType => row.destination_type.as_deref().unwrap_or(""),
            Column::Date | Column::Duration | Column::Rate | Column::Total => "",
        }
    }

    /// An integer that orders rows as this column does, for the columns that have one.
    fn numeric_key(self, row: &CdrRow) -> Option<i64> {
        match self {
            Column::Date => Some(row.date.and_utc().timestamp()),
            Column::Duration => Some(i64::from(row.seconds)),
            Column::Rate => Some(row.rate.map_or(i64::MIN, |r| r.units())),
            Column::Total => Some(row.total.units()),
            _ => None,
        }
    }
}

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortDir {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}

/// A column and a direction; rows that compare equal keep their fetched order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    /// The column compared.
    pub column: Column,
    /// Which way.
    pub dir: SortDir,
}

impl Sort {
    /// Newest calls first: the view a person expects on arrival.
    pub const DEFAULT: Sort = Sort {
        column: Column::Date,
        dir: SortDir::Desc,
    };

    /// The URL form, `total.desc`.
    pub fn key(self) -> String {
        let dir = match self.dir {
            SortDir::Asc => "asc",
            SortDir::Desc => "desc",
        };
        format!("{}.{dir}", self.column.key())
    }

    /// Reads the URL form; anything unreadable is `None`.
    pub fn from_key(key: &str) -> Option<Sort> {
        let (column, dir) = key.rsplit_once('.')?;
        let dir = match dir {
            "asc" => SortDir::Asc,
            "desc" => SortDir::Desc,
            _ => return None,
        };
        Some(Sort {
            column: Column::from_key(column)?,
            dir,
        })
    }

    /// The same column the other way round, or this column ascending when it was not sorted.
    pub fn toggled(self, column: Column) -> Sort {
        if self.column == column {
            let dir = match self.dir {
                SortDir::Asc => SortDir::Desc,
                SortDir::Desc => SortDir::Asc,
            };
            Sort { column, dir }
        } else {
            Sort {
                column,
                dir: if column.is_numeric() || column == Column::Date {
                    SortDir::Desc
                } else {
                    SortDir::Asc
                },
            }
        }
    }
}

/// Lower-cases text that is not all ASCII, with Unicode's full mapping (`İ`, final `Σ`…).
///
/// A parameter rather than a call to [`str::to_lowercase`] because that function links
/// Unicode's case tables, 5 KB of the browser bundle, while the browser already has them
/// (`String.prototype.toLowerCase`, the same mapping); natively the table uses std's.
pub type Lowercase = fn(&str) -> String;

/// The fetched rows and a lower-cased copy of their text columns for the quick filter.
#[derive(Clone, Debug)]
pub struct CdrTable {
    rows: Vec<CdrRow>,
    // One line per row, text columns joined by a tab: one substring search over this buffer
    // filters every row at once, far faster than a search per cell.
    haystack: Vec<u8>,
    line_starts: Vec<u32>,
    lowercase: Lowercase,
}

impl Default for CdrTable {
    fn default() -> CdrTable {
        CdrTable::with_lowercase(str::to_lowercase)
    }
}

impl CdrTable {
    /// A table over `rows`, in the order given.
    pub fn new(rows: Vec<CdrRow>) -> CdrTable {
        let mut table = CdrTable::default();
        table.extend(rows);
        table
    }

    /// An empty table whose quick filter lower-cases non-ASCII text with `lowercase`.
    pub fn with_lowercase(lowercase: Lowercase) -> CdrTable {
        CdrTable {
            rows: Vec::new(),
            haystack: Vec::new(),
            line_starts: Vec::new(),
            lowercase,
        }
    }

    /// Adds rows after the present ones (windows of a long range arrive one by one).
    pub fn extend(&mut self, rows: Vec<CdrRow>) {
        self.haystack.reserve(rows.len() * 96);
        self.line_starts.reserve(rows.len());
        for row in &rows {
            self.line_starts.push(self.haystack.len() as u32);
            for column in Column::ALL.into_iter().filter(|c| c.is_text()) {
                push_lowercase(&mut self.haystack, column.text(row), self.lowercase);
                self.haystack.push(b'\t');
            }
            self.haystack.push(b'\n');
        }
        self.rows.extend(rows);
    }

    /// Removes every row.
    pub fn clear(&mut self) {
        self.rows.clear();
        self.haystack.clear();
        self.line_starts.clear();
    }

    /// How many rows were fetched.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when nothing was fetched.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Every row, in fetched order.
    pub fn rows(&self) -> &[CdrRow] {
        &self.rows
    }

    /// The row at a fetched-order index.
    pub fn row(&self, index: u32) -> &CdrRow {
        &self.rows[index as usize]
    }

    /// The indices of the rows whose text columns contain `query`, ignoring case, in fetched
    /// order. An empty or blank query keeps every row.
    pub fn filter(&self, query: &str) -> Vec<u32> {
        let needle = self.normalise_query(query);
        if needle.is_empty() {
            return (0..self.rows.len() as u32).collect();
        }
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let mut out = Vec::new();
        let mut line = 0usize;
        let mut from = 0usize;
        while let Some(found) = finder.find(&self.haystack[from..]) {
            let at = from + found;
            // Matches come in ascending order, so the row only ever moves forward.
            while line + 1 < self.line_starts.len() && self.line_starts[line + 1] as usize <= at {
                line += 1;
            }
            out.push(line as u32);
            // One match is enough for a row: go on from the start of the next one.
            match self.line_starts.get(line + 1) {
                Some(&next) => from = next as usize,
                None => break,
            }
        }
        out
    }

    /// Sorts `indices` in place by `sort`; equal rows keep their relative order.
    pub fn sort(&self, indices: &mut [u32], sort: Sort) {
        let rows = &self.rows;
        let desc = sort.dir == SortDir::Desc;
        let mut keyed: Vec<(i64, u32)> = if let Some(first) = rows.first() {
            if sort.column.numeric_key(first).is_some() {
                indices
                    .iter()
                    .map(|&i| (sort.column.numeric_key(&rows[i as usize]).unwrap_or(0), i))
                    .collect()
            } else {
                // The first eight bytes as a big-endian number settle most comparisons
                // without touching the strings.
                indices
                    .iter()
                    .map(|&i| (prefix_key(sort.column.text(&rows[i as usize])), i))
                    .collect()
            }
        } else {
            return;
        };
        // A stable sort finds the runs that the API's newest-first windows already are, so
        // the default date order of fresh rows costs little more than one pass.
        sort_pairs(
            &mut keyed,
            &PairOrder::Rows {
                rows,
                column: sort.column,
                desc,
            },
        );
        for (slot, (_, i)) in indices.iter_mut().zip(keyed) {
            *slot = i;
        }
    }

    /// Every row in `sort` order: computed once per sort, then narrowed by each quick filter
    /// with [`CdrTable::narrow`], so typing never re-sorts a million rows.
    pub fn sorted(&self, sort: Sort) -> Vec<u32> {
        let mut indices: Vec<u32> = (0..self.rows.len() as u32).collect();
        self.sort(&mut indices, sort);
        indices
    }

    /// The rows of `sorted` (an order from [`CdrTable::sorted`]) that match `query`, in that
    /// order.
    pub fn narrow(&self, sorted: &[u32], query: &str) -> Vec<u32> {
        if self.normalise_query(query).is_empty() {
            return sorted.to_vec();
        }
        // A bit per row: an eighth of the memory of a `bool` each, so it stays in cache.
        let mut keep = vec![0u64; self.rows.len().div_ceil(64)];
        for i in self.filter(query) {
            keep[i as usize / 64] |= 1 << (i % 64);
        }
        sorted
            .iter()
            .copied()
            .filter(|&i| keep[i as usize / 64] & (1 << (i % 64)) != 0)
            .collect()
    }

    /// The query as the haystack holds text: lower case, and without the separators that
    /// could never match.
    fn normalise_query(&self, query: &str) -> String {
        let mut out = Vec::with_capacity(query.len());
        push_lowercase(&mut out, query.trim(), self.lowercase);
        String::from_utf8(out).unwrap_or_default()
    }

    /// The filtered and sorted view: what the grid shows.
    pub fn view(&self, query: &str, sort: Sort) -> Vec<u32> {
        self.narrow(&self.sorted(sort), query)
    }
}

/// Appends `text` lower-cased, with the separators that could never match (tab, line
/// breaks) as spaces.
fn push_lowercase(out: &mut Vec<u8>, text: &str, lowercase: Lowercase) {
    let lower;
    let ascii = text.is_ascii();
    let text = if ascii {
        text
    } else {
        lower = lowercase(text);
        &lower
    };
    let from = out.len();
    out.extend(text.bytes().map(|b| match b {
        b'\t' | b'\n' | b'\r' => b' ',
        _ => b.to_ascii_lowercase(),
    }));
    if !ascii {
        // A capital sigma lowers to `ς` at the end of a word and to `σ` elsewhere, so a
        // query cut from a word (`Σ`, `ΑΣ` of `ΑΣΑ`) would miss it: both forms are kept as
        // `σ`, as case folding does. In place: `ς` is CF 82 and `σ` CF 83, and CF is
        // always the first byte of a character.
        for i in from + 1..out.len() {
            if out[i] == 0x82 && out[i - 1] == 0xCF {
                out[i] = 0x83;
            }
        }
    }
}

/// The positions `0..len` in the order `cmp` gives them, equal ones in their first order.
///
/// Every small list of the app (rates, chart groups, timezones) sorts through this function.
pub fn order_by(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut pairs: Vec<(i64, u32)> = (0..len as u32).map(|i| (0, i)).collect();
    sort_pairs(&mut pairs, &PairOrder::By(cmp));
    pairs.into_iter().map(|(_, i)| i as usize).collect()
}

/// How [`sort_pairs`] compares `(key, index)` pairs.
enum PairOrder<'a> {
    /// A table sort: by key, for a text column then by the whole text, in `desc` order;
    /// then by fetched order.
    Rows {
        rows: &'a [CdrRow],
        column: Column,
        desc: bool,
    },
    /// By a caller's comparator of indices.
    By(&'a dyn Fn(usize, usize) -> Ordering),
}

/// The crate's one stable sort. Each `sort_by` closure type compiles its own copy of the
/// standard sort, some 4 KB of wasm: the table and the small lists share this one, and the
/// table's comparison stays inline, behind one predictable branch.
fn sort_pairs(pairs: &mut [(i64, u32)], order: &PairOrder<'_>) {
    pairs.sort_by(|a, b| match *order {
        PairOrder::Rows { rows, column, desc } => {
            let primary = a.0.cmp(&b.0).then_with(|| {
                if column.is_text() {
                    column
                        .text(&rows[a.1 as usize])
                        .cmp(column.text(&rows[b.1 as usize]))
                } else {
                    Ordering::Equal
                }
            });
            let primary = if desc { primary.reverse() } else { primary };
            primary.then(a.1.cmp(&b.1))
        }
        PairOrder::By(cmp) => cmp(a.1 as usize, b.1 as usize),
    });
}

fn prefix_key(text: &str) -> i64 {
    let mut buf = [0u8; 8];
    let bytes = text.as_bytes();
    let n = bytes.len().min(8);
    buf[..n].copy_from_slice(&bytes[..n]);
    // Flip the sign bit so that unsigned byte order equals signed integer order.
    (u64::from_be_bytes(buf) ^ (1 << 63)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Disposition;
    use crate::money::Money;
    use chrono::NaiveDate;

    fn row(i: u32, callerid: &str, seconds: u32, total: &str) -> CdrRow {
        CdrRow {
            date: NaiveDate::from_ymd_opt(2026, 1, 1 + i % 28)
                .unwrap()
                .and_hms_opt(i % 24, 0, 0)
                .unwrap(),
            callerid: callerid.to_owned(),
            destination: format!("55512{i:05}"),
            description: "Outbound - Customer".into(),
            account: if i.is_multiple_of(2) {
                "100000_VoIP"
            } else {
                "100000_Office"
            }
            .into(),
            disposition: Disposition::Answered,
            seconds,
            rate: Some(Money::parse("0.01").unwrap()),
            total: Money::parse(total).unwrap(),
            uniqueid: format!("{i}"),
            destination_type: None,
            call_logs: None,
            ip: None,
            useragent: None,
        }
    }

    fn sample() -> CdrTable {
        CdrTable::new(vec![
            row(0, "\"John Doe\" <5551112222>", 30, "0.00500000"),
            row(1, "\"Jane Roe\" <5553334444>", 10, "0.00100000"),
            row(2, "5557778888", 60, "0.01000000"),
            row(3, "\"JOHNNY B\" <5550000000>", 30, "0.00500000"),
        ])
    }

    #[test]
    fn the_quick_filter_ignores_case_and_keeps_fetched_order() {
        let t = sample();
        assert_eq!(t.filter("john"), vec![0, 3]);
        assert_eq!(t.filter("  JOHN "), vec![0, 3]);
        assert_eq!(t.filter("office"), vec![1, 3]);
        assert_eq!(t.filter(""), vec![0, 1, 2, 3]);
        assert!(t.filter("nobody").is_empty());
    }

    #[test]
    fn a_query_never_matches_across_two_cells_or_two_rows() {
        let t = sample();
        // "customer" ends the description and "100000" starts the account.
        assert!(t.filter("customer100000").is_empty());
        assert!(t.filter("customer\t100000").is_empty());
    }

    #[test]
    fn non_ascii_text_goes_through_the_table_lowercase_and_ascii_does_not() {
        // A stand-in unlike any real lower case: É becomes a plain e, ZOE vanishes.
        let mut t = CdrTable::with_lowercase(|s| s.replace('É', "e").replace("ZOE", ""));
        t.extend(vec![
            row(0, "\"Émile\" <1>", 1, "0"),
            row(1, "\"ZOE\" <2>", 1, "0"),
        ]);
        assert_eq!(t.filter("emile"), vec![0], "the rows' text went through it");
        assert_eq!(t.filter("Émile"), vec![0], "the query went through it");
        assert_eq!(t.filter("zoe"), vec![1], "ASCII text is lowered in place");
    }

    #[test]
    fn the_default_lowercase_is_unicode_full_mapping() {
        let t = CdrTable::new(vec![row(0, "\"ΟΔΟΣ İZMİR\" <1>", 1, "0")]);
        // Final sigma and the dotted capital I, which a char-by-char mapping gets wrong.
        assert_eq!(t.filter("οδος"), vec![0]);
        assert_eq!(t.filter("i̇zmi̇r"), vec![0]);
    }

    #[test]
    fn a_final_sigma_is_found_wherever_the_query_cuts_the_word() {
        // Found by cdr-fuzz: `Σ` did not find `ΟΔΟΣ` (lowered `οδος`), nor `ΑΣ` find `ΑΣΑ`.
        let t = CdrTable::new(vec![row(0, "\"ΟΔΟΣ ΑΣΑ\" <1>", 1, "0")]);
        for q in ["Σ", "σ", "ς", "ΟΣ", "ΑΣ", "ος", "ασ", "οδος", "ΟΔΟΣ ΑΣΑ"] {
            assert_eq!(t.filter(q), vec![0], "{q}");
        }
        assert!(t.filter("ΣΣ").is_empty());
    }

    #[test]
    fn non_ascii_text_is_filtered_without_regard_to_case() {
        let t = CdrTable::new(vec![row(0, "\"Émile Zoë\" <1>", 1, "0")]);
        assert_eq!(t.filter("émile zoë"), vec![0]);
        assert_eq!(t.filter("ÉMILE"), vec![0]);
    }

    #[test]
    fn sorting_is_stable_in_both_directions() {
        let t = sample();
        let mut idx = t.filter("");
        t.sort(
            &mut idx,
            Sort {
                column: Column::Total,
                dir: SortDir::Asc,
            },
        );
        assert_eq!(idx, vec![1, 0, 3, 2]);
        t.sort(
            &mut idx,
            Sort {
                column: Column::Total,
                dir: SortDir::Desc,
            },
        );
        // Ties (rows 0 and 3) keep fetched order whichever the direction.
        assert_eq!(idx, vec![2, 0, 3, 1]);
    }

    #[test]
    fn text_columns_sort_by_the_whole_string_beyond_eight_bytes() {
        let t = CdrTable::new(vec![
            row(0, "\"Aaaaaaaaa Z\"", 1, "0"),
            row(1, "\"Aaaaaaaaa B\"", 1, "0"),
            row(2, "\"A\"", 1, "0"),
        ]);
        let mut idx = t.filter("");
        t.sort(
            &mut idx,
            Sort {
                column: Column::CallerId,
                dir: SortDir::Asc,
            },
        );
        assert_eq!(idx, vec![2, 1, 0]);
    }

    #[test]
    fn dates_sort_newest_first_by_default() {
        let t = sample();
        let idx = t.view("", Sort::DEFAULT);
        assert_eq!(idx, vec![3, 2, 1, 0]);
    }

    #[test]
    fn narrowing_a_sorted_order_equals_filtering_then_sorting() {
        let t = sample();
        for sort in [Sort::DEFAULT, Sort::from_key("total.asc").unwrap()] {
            let sorted = t.sorted(sort);
            for q in ["", "john", "office", "zzz", "5"] {
                let mut expected = t.filter(q);
                t.sort(&mut expected, sort);
                assert_eq!(t.narrow(&sorted, q), expected, "{q} / {sort:?}");
            }
        }
    }

    #[test]
    fn extend_keeps_the_filter_index_in_step() {
        let mut t = sample();
        t.extend(vec![row(9, "\"John Late\" <1>", 5, "0")]);
        assert_eq!(t.filter("john"), vec![0, 3, 4]);
        t.clear();
        assert!(t.filter("john").is_empty());
    }

    #[test]
    fn sort_keys_round_trip_through_the_url() {
        for column in Column::ALL {
            for dir in [SortDir::Asc, SortDir::Desc] {
                let s = Sort { column, dir };
                assert_eq!(Sort::from_key(&s.key()), Some(s));
            }
            assert_eq!(Column::from_key(column.key()), Some(column));
        }
        assert_eq!(Sort::from_key("total.sideways"), None);
        assert_eq!(Sort::from_key("nope.asc"), None);
    }

    #[test]
    fn toggling_flips_the_same_column_and_starts_a_new_one_sensibly() {
        let s = Sort::DEFAULT.toggled(Column::Date);
        assert_eq!(s.dir, SortDir::Asc);
        assert_eq!(Sort::DEFAULT.toggled(Column::Account).dir, SortDir::Asc);
        assert_eq!(Sort::DEFAULT.toggled(Column::Total).dir, SortDir::Desc);
    }
}
