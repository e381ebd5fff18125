//! The row store behind the CDR grid: the fetched rows, a quick filter and a sort that stay
//! fast at a million rows.
//!
//! The grid never copies rows: a view is a list of row indices (`u32`), filtered and sorted.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::HashMap;

use chrono::NaiveDateTime;

use crate::columns::{Arena, Codes, Ints, TextColumn};
use crate::model::{format_hms, CdrRow, Disposition};
use crate::money::Money;

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

/// The text columns a row store keeps by dictionary, in [`Column`] order.
const DICT_COLUMNS: [Column; 5] = [
    Column::CallerId,
    Column::Destination,
    Column::Description,
    Column::Account,
    Column::Disposition,
];

/// The fetched rows, stored by column (see [`crate::columns`]): about 40 bytes a row where
/// `CdrRow`s took 700.
#[derive(Clone, Debug)]
pub struct CdrTable {
    len: usize,
    /// Seconds since 1970 of the (already shifted) date.
    date: Ints,
    seconds: Codes,
    rate: Codes,
    rates: Vec<Option<Money>>,
    rate_codes: HashMap<Option<Money>, u32>,
    total: Ints,
    callerid: TextColumn,
    destination: TextColumn,
    description: TextColumn,
    account: TextColumn,
    disposition: TextColumn,
    /// Which of [`Disposition::KNOWN`] each disposition text is, by code.
    disposition_known: Vec<Option<u8>>,
    destination_type: TextColumn,
    /// Which rows were sent a destination type (one without holds "").
    destination_type_sent: Vec<u64>,
    uniqueid: Arena,
    /// Rarely sent fields: the rows that have them, in order.
    sparse: Vec<(u32, Sparse, Box<str>)>,
    lowercase: Lowercase,
}

/// The optional fields that few rows carry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sparse {
    CallLogs,
    Ip,
    UserAgent,
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
            len: 0,
            date: Ints::default(),
            seconds: Codes::default(),
            rate: Codes::default(),
            rates: Vec::new(),
            rate_codes: HashMap::new(),
            total: Ints::default(),
            callerid: TextColumn::default(),
            destination: TextColumn::default(),
            description: TextColumn::default(),
            account: TextColumn::default(),
            disposition: TextColumn::default(),
            disposition_known: Vec::new(),
            destination_type: TextColumn::default(),
            destination_type_sent: Vec::new(),
            uniqueid: Arena::default(),
            sparse: Vec::new(),
            lowercase,
        }
    }

    /// Adds rows after the present ones (windows of a long range arrive one by one).
    pub fn extend(&mut self, rows: Vec<CdrRow>) {
        for row in &rows {
            self.push(row);
        }
    }

    /// Adds one row after the present ones.
    pub fn push(&mut self, row: &CdrRow) {
        // Rows are numbered with u32 everywhere a view holds them.
        if self.len >= u32::MAX as usize {
            return;
        }
        let index = self.len as u32;
        self.date.push(row.date.and_utc().timestamp());
        self.seconds.push(row.seconds);
        let next = self.rates.len() as u32;
        let rate = *self.rate_codes.entry(row.rate).or_insert(next);
        if rate == next {
            self.rates.push(row.rate);
        }
        self.rate.push(rate);
        self.total.push(row.total.units());
        self.callerid.push(&row.callerid);
        self.destination.push(&row.destination);
        self.description.push(&row.description);
        self.account.push(&row.account);
        let text = row.disposition.as_str();
        let code = self.disposition.dict.intern(text);
        self.disposition.codes.push(code);
        if code as usize == self.disposition_known.len() {
            let known = Disposition::KNOWN.iter().position(|d| d.as_str() == text);
            self.disposition_known.push(known.map(|k| k as u8));
        }
        self.destination_type
            .push(row.destination_type.as_deref().unwrap_or(""));
        if self.len.is_multiple_of(64) {
            self.destination_type_sent.push(0);
        }
        if row.destination_type.is_some() {
            self.destination_type_sent[self.len / 64] |= 1 << (self.len % 64);
        }
        self.uniqueid.push(&row.uniqueid);
        for (kind, value) in [
            (Sparse::CallLogs, &row.call_logs),
            (Sparse::Ip, &row.ip),
            (Sparse::UserAgent, &row.useragent),
        ] {
            if let Some(v) = value {
                self.sparse.push((index, kind, v.as_str().into()));
            }
        }
        self.len += 1;
    }

    /// Gives back the room reserved for rows that never came: call it once the table is
    /// complete.
    pub fn shrink_to_fit(&mut self) {
        self.date.shrink_to_fit();
        self.seconds.shrink_to_fit();
        self.rate.shrink_to_fit();
        self.total.shrink_to_fit();
        for c in self.text_columns_mut() {
            c.shrink_to_fit();
        }
        self.uniqueid.shrink_to_fit();
        self.sparse.shrink_to_fit();
        self.destination_type_sent.shrink_to_fit();
    }

    /// Every dictionary column, to change them all alike.
    fn text_columns_mut(&mut self) -> [&mut TextColumn; 6] {
        [
            &mut self.callerid,
            &mut self.destination,
            &mut self.description,
            &mut self.account,
            &mut self.disposition,
            &mut self.destination_type,
        ]
    }

    /// Keeps the first `len` rows and drops the others (the rows of a body that turned out
    /// broken); the dictionaries keep their texts.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        self.date.truncate(len);
        self.seconds.truncate(len);
        self.rate.truncate(len);
        self.total.truncate(len);
        for c in self.text_columns_mut() {
            c.codes.truncate(len);
        }
        self.destination_type_sent.truncate(len.div_ceil(64));
        if let Some(last) = self.destination_type_sent.last_mut() {
            if !len.is_multiple_of(64) {
                *last &= (1u64 << (len % 64)) - 1;
            }
        }
        self.uniqueid.truncate(len);
        let keep = self.sparse.partition_point(|(r, _, _)| (*r as usize) < len);
        self.sparse.truncate(keep);
        self.len = len;
    }

    /// Removes every row.
    pub fn clear(&mut self) {
        *self = CdrTable::with_lowercase(self.lowercase);
    }

    /// How many rows were fetched.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nothing was fetched.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes the table holds on the heap (its columns and dictionaries).
    pub fn heap_bytes(&self) -> usize {
        let texts = [
            &self.callerid,
            &self.destination,
            &self.description,
            &self.account,
            &self.disposition,
            &self.destination_type,
        ]
        .map(TextColumn::heap_bytes)
        .iter()
        .sum::<usize>();
        self.date.heap_bytes()
            + self.seconds.heap_bytes()
            + self.rate.heap_bytes()
            + self.rates.capacity() * std::mem::size_of::<Option<Money>>()
            + self.rate_codes.capacity() * (std::mem::size_of::<(Option<Money>, u32)>() + 1)
            + self.total.heap_bytes()
            + texts
            + self.disposition_known.capacity()
            + self.destination_type_sent.capacity() * 8
            + self.uniqueid.heap_bytes()
            + self
                .sparse
                .iter()
                .map(|(_, _, t)| t.len() + std::mem::size_of::<(u32, Sparse, Box<str>)>())
                .sum::<usize>()
    }

    /// Start of call `i`, as the API gave it (already shifted).
    pub fn date(&self, i: u32) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(self.date.get(i as usize), 0)
            .unwrap_or_default()
            .naive_utc()
    }

    /// Length of call `i`, in seconds.
    pub fn seconds(&self, i: u32) -> u32 {
        self.seconds.get(i as usize)
    }

    /// Per-minute rate of call `i`, when sent.
    pub fn rate(&self, i: u32) -> Option<Money> {
        self.rates[self.rate.get(i as usize) as usize]
    }

    /// What call `i` cost.
    pub fn total(&self, i: u32) -> Money {
        Money::from_units(self.total.get(i as usize))
    }

    /// Which of [`Disposition::KNOWN`] call `i` ended as; `None` for any other text.
    pub fn disposition_index(&self, i: u32) -> Option<usize> {
        self.disposition_known[self.disposition.codes.get(i as usize) as usize].map(usize::from)
    }

    /// The code of call `i` in a dictionary column ([`CdrTable::dictionary`]): equal codes,
    /// equal texts, so rows group by code without comparing strings.
    pub fn code(&self, column: Column, i: u32) -> Option<u32> {
        self.text_column(column).map(|c| c.codes.get(i as usize))
    }

    /// The distinct texts of a dictionary column, by code.
    pub fn dictionary(&self, column: Column) -> Option<&crate::columns::Dict> {
        self.text_column(column).map(|c| &c.dict)
    }

    fn text_column(&self, column: Column) -> Option<&TextColumn> {
        Some(match column {
            Column::CallerId => &self.callerid,
            Column::Destination => &self.destination,
            Column::Description => &self.description,
            Column::Account => &self.account,
            Column::Disposition => &self.disposition,
            Column::DestinationType => &self.destination_type,
            _ => return None,
        })
    }

    /// The text of a text column of call `i` (empty for the others).
    pub fn text(&self, i: u32, column: Column) -> &str {
        match column {
            Column::UniqueId => self.uniqueid.get(i as usize),
            c => self.text_column(c).map_or("", |t| t.get(i as usize)),
        }
    }

    /// The cell's text as the grid and the CSV show it.
    pub fn cell(&self, i: u32, column: Column) -> Cow<'_, str> {
        match column {
            Column::Date => Cow::Owned(crate::model::date_text(self.date(i))),
            Column::Duration => Cow::Owned(format_hms(self.seconds(i))),
            Column::Rate => self
                .rate(i)
                .map_or(Cow::Borrowed(""), |r| Cow::Owned(r.to_string())),
            Column::Total => Cow::Owned(self.total(i).to_string()),
            c => Cow::Borrowed(self.text(i, c)),
        }
    }

    /// Call `i` whole, as the API sent it.
    pub fn row(&self, i: u32) -> CdrRow {
        let sparse = |kind: Sparse| -> Option<String> {
            let from = self.sparse.partition_point(|(r, _, _)| *r < i);
            self.sparse[from..]
                .iter()
                .take_while(|(r, _, _)| *r == i)
                .find(|(_, k, _)| *k == kind)
                .map(|(_, _, t)| t.to_string())
        };
        let sent = self.destination_type_sent[i as usize / 64] & (1 << (i % 64)) != 0;
        let destination_type = sent.then(|| self.text(i, Column::DestinationType).to_owned());
        CdrRow {
            date: self.date(i),
            callerid: self.text(i, Column::CallerId).to_owned(),
            destination: self.text(i, Column::Destination).to_owned(),
            description: self.text(i, Column::Description).to_owned(),
            account: self.text(i, Column::Account).to_owned(),
            disposition: Disposition::from_wire(self.text(i, Column::Disposition)),
            seconds: self.seconds(i),
            rate: self.rate(i),
            total: self.total(i),
            uniqueid: self.text(i, Column::UniqueId).to_owned(),
            destination_type,
            call_logs: sparse(Sparse::CallLogs),
            ip: sparse(Sparse::Ip),
            useragent: sparse(Sparse::UserAgent),
        }
    }

    /// The indices of the rows whose text columns contain `query`, ignoring case, in fetched
    /// order. An empty or blank query keeps every row.
    ///
    /// Each column's distinct texts are searched once, not each row's: a million rows hold a
    /// few thousand distinct accounts, descriptions or destinations. Then every row whose
    /// code matched in some column is kept; the call ids, which never repeat, are searched
    /// in their arena.
    pub fn filter(&self, query: &str) -> Vec<u32> {
        match self.matching(query) {
            None => (0..self.len as u32).collect(),
            Some(hit) => hit.ones().map(|i| i as u32).collect(),
        }
    }

    /// The rows that match `query`, as bits; `None` for a blank query, which keeps every row.
    fn matching(&self, query: &str) -> Option<Bits> {
        let needle = self.normalise_query(query);
        if needle.is_empty() {
            return None;
        }
        let mut hit = Bits::new(self.len);
        for column in DICT_COLUMNS.into_iter().chain([Column::DestinationType]) {
            let Some(c) = self.text_column(column) else {
                continue;
            };
            let mut codes = Bits::new(c.dict.len());
            let mut any = false;
            self.find_texts(c.dict.texts(), &needle, &mut |k| {
                codes.set(k);
                any = true;
            });
            if any {
                for row in 0..self.len {
                    if codes.get(c.codes.get(row) as usize) {
                        hit.set(row);
                    }
                }
            }
        }
        // The call ids never repeat: their arena is searched, a text per row.
        self.find_texts(&self.uniqueid, &needle, &mut |row| hit.set(row));
        Some(hit)
    }

    /// Calls `found` with each text of `arena` that holds `needle` (normalised) ignoring
    /// case, as the table lower-cases: the plain ASCII texts by their bytes in one pass, the
    /// others lower-cased one by one. A text may be reported twice.
    fn find_texts(&self, arena: &Arena, needle: &str, found: &mut dyn FnMut(usize)) {
        // An ASCII text lowers to ASCII: it cannot hold a needle that is not.
        if needle.is_ascii() {
            arena.find_ascii(needle.as_bytes(), found);
        }
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        let mut lowered = Vec::new();
        for &k in arena.special() {
            lowered.clear();
            push_lowercase(&mut lowered, arena.get(k as usize), self.lowercase);
            if finder.find(&lowered).is_some() {
                found(k as usize);
            }
        }
    }

    /// The sort key of every distinct text of a dictionary column: its rank in text order,
    /// so that rows sort by integers, never by comparing strings.
    fn ranks(&self, column: Column) -> Option<Vec<u32>> {
        let c = self.text_column(column)?;
        let texts: Vec<&str> = c.dict.iter().collect();
        let order = order_by(texts.len(), &|a, b| texts[a].cmp(texts[b]));
        let mut ranks = vec![0u32; texts.len()];
        let mut rank = 0u32;
        for (n, &k) in order.iter().enumerate() {
            // Equal texts share a rank, so that the fetched order breaks their tie.
            if n > 0 && texts[order[n - 1]] != texts[k] {
                rank += 1;
            }
            ranks[k] = rank;
        }
        Some(ranks)
    }

    /// Sorts `indices` in place by `sort`; equal rows keep their relative order.
    pub fn sort(&self, indices: &mut [u32], sort: Sort) {
        let column = sort.column;
        let desc = sort.dir == SortDir::Desc;
        let key: Box<dyn Fn(u32) -> i64 + '_> = match column {
            Column::Date => Box::new(|i| self.date.get(i as usize)),
            Column::Duration => Box::new(|i| i64::from(self.seconds(i))),
            Column::Rate => Box::new(|i| self.rate(i).map_or(i64::MIN, |r| r.units())),
            Column::Total => Box::new(|i| self.total.get(i as usize)),
            // The first eight bytes as a big-endian number settle most comparisons of ids
            // without touching the strings.
            Column::UniqueId => Box::new(|i| prefix_key(self.uniqueid.get(i as usize))),
            c => {
                let ranks = self.ranks(c).unwrap_or_default();
                let codes = &self.text_column(c).expect("a dictionary column").codes;
                Box::new(move |i| i64::from(ranks[codes.get(i as usize) as usize]))
            }
        };
        let mut keyed: Vec<(i64, u32)> = indices.iter().map(|&i| (key(i), i)).collect();
        // A stable sort finds the runs that the API's newest-first windows already are, so
        // the default date order of fresh rows costs little more than one pass.
        sort_pairs(
            &mut keyed,
            &PairOrder::Rows {
                table: self,
                column,
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
        let mut indices: Vec<u32> = (0..self.len as u32).collect();
        self.sort(&mut indices, sort);
        indices
    }

    /// The rows of `sorted` (an order from [`CdrTable::sorted`]) that match `query`, in that
    /// order.
    pub fn narrow(&self, sorted: &[u32], query: &str) -> Vec<u32> {
        match self.matching(query) {
            None => sorted.to_vec(),
            Some(keep) => sorted
                .iter()
                .copied()
                .filter(|&i| keep.get(i as usize))
                .collect(),
        }
    }

    /// The query as the texts are searched: lower case, and without the separators that
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

/// A set of small integers as bits: an eighth of the memory of a `bool` each, so that a
/// million rows' marks stay in cache.
struct Bits(Vec<u64>);

impl Bits {
    fn new(len: usize) -> Bits {
        Bits(vec![0; len.div_ceil(64)])
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn get(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }

    fn ones(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(w, &bits)| {
            (0..64)
                .filter(move |b| bits & (1 << b) != 0)
                .map(move |b| w * 64 + b)
        })
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
        table: &'a CdrTable,
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
        PairOrder::Rows {
            table,
            column,
            desc,
        } => {
            // Only the ids' keys are a prefix; every other key is exact.
            let primary = a.0.cmp(&b.0).then_with(|| {
                if column == Column::UniqueId {
                    table.text(a.1, column).cmp(table.text(b.1, column))
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
