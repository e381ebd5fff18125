//! The SQLite store: schema, generation, a small connection pool and the queries.
//!
//! Instants are UTC epoch seconds and money is an integer count of 10⁻⁸ units, so that
//! filters (`total = 0`, a time window) are exact SQL on indexed columns with bound
//! parameters; no query loads the table into memory.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cdr_core::money::Money;
use rusqlite::types::Value;
use rusqlite::{params, Connection, OpenFlags, OptionalExtension};
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::dates::{self, DAY};
use crate::gen::{Catalog, CdrGenerator, Disposition, GenParams};

/// The store's file name inside the data folder.
pub const FILE_NAME: &str = "voipms-sim.sqlite";

/// Bumped when the schema or the generator changes, so that old stores are regenerated.
pub const SCHEMA_VERSION: &str = "2";

/// Connections kept open between requests; more are opened under load and closed after.
const IDLE_CONNECTIONS: usize = 8;

/// What can go wrong with the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused something.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The data folder or file could not be used.
    #[error("{path}: {source}")]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// A blocking task panicked or was cancelled.
    #[error("store task failed: {0}")]
    Task(String),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_owned(),
        source,
    }
}

const SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE clients (
    client TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE COLLATE NOCASE, password TEXT NOT NULL,
    company TEXT NOT NULL, firstname TEXT NOT NULL, lastname TEXT NOT NULL,
    phone_number TEXT NOT NULL, address TEXT NOT NULL, city TEXT NOT NULL, state TEXT NOT NULL,
    country TEXT NOT NULL, zip TEXT NOT NULL, balance_management TEXT NOT NULL
);
-- client is '' for the main account's own accounts and DIDs.
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY, account TEXT NOT NULL UNIQUE, client TEXT NOT NULL
);
CREATE TABLE dids (
    id INTEGER PRIMARY KEY, did TEXT NOT NULL UNIQUE, client TEXT NOT NULL,
    account TEXT NOT NULL, toll_free INTEGER NOT NULL, rate INTEGER NOT NULL
);
CREATE TABLE routes (route TEXT PRIMARY KEY, description TEXT NOT NULL);
CREATE TABLE packages (
    package TEXT PRIMARY KEY, name TEXT NOT NULL, markup_fixed INTEGER NOT NULL,
    markup_percentage INTEGER NOT NULL, pulse INTEGER NOT NULL,
    international_route TEXT NOT NULL, canada_route TEXT NOT NULL,
    monthly_fee INTEGER NOT NULL, setup_fee INTEGER NOT NULL, free_minutes INTEGER NOT NULL
);
CREATE TABLE client_packages (
    id INTEGER PRIMARY KEY, client TEXT NOT NULL, package TEXT NOT NULL,
    UNIQUE (client, package)
);
CREATE TABLE termination_rates (
    route TEXT NOT NULL, destination TEXT NOT NULL, prefix TEXT NOT NULL,
    increment INTEGER NOT NULL, rate INTEGER NOT NULL, PRIMARY KEY (route, prefix)
);
CREATE TABLE rates (
    package TEXT NOT NULL, destination TEXT NOT NULL, prefix TEXT NOT NULL,
    client_increment INTEGER NOT NULL, client_rate INTEGER NOT NULL,
    real_increment INTEGER NOT NULL, real_rate INTEGER NOT NULL, PRIMARY KEY (package, prefix)
);
-- ts: UTC epoch seconds. rate, total: 10^-8 units. disposition: 0 ANSWERED, 1 NO ANSWER,
-- 2 BUSY, 3 FAILED. client: '' for the main account.
CREATE TABLE cdr (
    id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, client TEXT NOT NULL, account TEXT NOT NULL,
    outbound INTEGER NOT NULL, did TEXT, callerid TEXT NOT NULL, destination TEXT NOT NULL,
    description TEXT NOT NULL, disposition INTEGER NOT NULL, seconds INTEGER NOT NULL,
    rate INTEGER NOT NULL, total INTEGER NOT NULL, uniqueid TEXT NOT NULL,
    destination_type TEXT NOT NULL
);
";

/// Built after the bulk insert: maintaining them row by row would triple the insert time.
///
/// Every CDR search is a range of `ts` under one key (the client, an account or a DID),
/// read newest first, so each index starts with `(key, ts, id)`: a backward range scan hands
/// the rows out already in the answer's order (`ts DESC, id DESC`, with `id` spelled out
/// because the implicit rowid would come after the extra columns) and no sort has to read
/// the whole range before the first row can go out. The columns after `id` are those of the
/// other filters (dispositions, direction, billing, DID, account): SQLite tests them on the
/// index entry and reads the table row only for the calls it returns, which halves the time
/// of selective searches (failed calls over 92 days read 4% of the rows they scan).
const INDEXES: &str = "
CREATE INDEX cdr_client ON cdr (client, ts, id, disposition, outbound, total, did);
CREATE INDEX cdr_account ON cdr (account, ts, id, disposition, outbound, total, did);
CREATE INDEX cdr_did ON cdr (did, ts, id, disposition, total, account) WHERE did IS NOT NULL;
";

/// The parameters a store was generated with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Meta {
    /// Number of calls.
    pub calls: u64,
    /// Seed.
    pub seed: u64,
    /// End instant of the data (epoch seconds).
    pub end: i64,
    /// UTC day of generation, `YYYY-MM-DD`: a store from another day is regenerated, so the
    /// demo data always ends today.
    pub gen_date: String,
}

impl Meta {
    /// The meta a generation with `params` records.
    pub fn of(params: GenParams) -> Meta {
        Meta {
            calls: params.calls,
            seed: params.seed,
            end: params.end,
            gen_date: dates::format_day(params.end.div_euclid(DAY)),
        }
    }
}

/// How the store was obtained at start.
#[derive(Clone, Debug)]
pub struct OpenReport {
    /// Whether the data was (re)generated.
    pub generated: bool,
    /// Time spent generating (zero when reused).
    pub elapsed: Duration,
}

/// An open store: its path, what it holds, and a pool of connections.
#[derive(Clone, Debug)]
pub struct Store {
    inner: Arc<Pool>,
    meta: Meta,
}

#[derive(Debug)]
struct Pool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

/// A connection borrowed from the pool; returned to it on drop.
pub struct PooledConn {
    conn: Option<Connection>,
    pool: Arc<Pool>,
}

impl std::ops::Deref for PooledConn {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("connection present until drop")
    }
}

impl Drop for PooledConn {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let mut idle = self.pool.idle.lock().unwrap_or_else(|e| e.into_inner());
            if idle.len() < IDLE_CONNECTIONS {
                idle.push(conn);
            }
        }
    }
}

impl Store {
    /// Opens `<dir>/voipms-sim.sqlite`, generating it first when it is missing, when `reset`
    /// is set, or when it was generated with other calls, seed, schema or on another day.
    pub fn open_or_generate(
        dir: &Path,
        params: GenParams,
        reset: bool,
    ) -> Result<(Store, OpenReport), StoreError> {
        std::fs::create_dir_all(dir).map_err(io_err(dir))?;
        let path = dir.join(FILE_NAME);
        let wanted = Meta::of(params);
        let existing = if path.exists() && !reset {
            read_meta(&path).ok().flatten()
        } else {
            None
        };
        if let Some(meta) = existing.filter(|m| {
            m.calls == wanted.calls && m.seed == wanted.seed && m.gen_date == wanted.gen_date
        }) {
            let store = Store::open(&path, meta)?;
            return Ok((
                store,
                OpenReport {
                    generated: false,
                    elapsed: Duration::ZERO,
                },
            ));
        }
        let started = Instant::now();
        generate(&path, params)?;
        let elapsed = started.elapsed();
        let store = Store::open(&path, wanted)?;
        Ok((
            store,
            OpenReport {
                generated: true,
                elapsed,
            },
        ))
    }

    fn open(path: &Path, meta: Meta) -> Result<Store, StoreError> {
        let store = Store {
            inner: Arc::new(Pool {
                path: path.to_owned(),
                idle: Mutex::new(Vec::new()),
            }),
            meta,
        };
        // Fail at start, not on the first request, if the file cannot be read.
        drop(store.conn()?);
        Ok(store)
    }

    /// The path of the SQLite file.
    pub fn path(&self) -> &Path {
        &self.inner.path
    }

    /// What the store was generated with.
    pub fn meta(&self) -> &Meta {
        &self.meta
    }

    /// A read-only connection from the pool (blocking: call it from `spawn_blocking`).
    pub fn conn(&self) -> Result<PooledConn, StoreError> {
        let reused = self
            .inner
            .idle
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .pop();
        let conn = match reused {
            Some(conn) => conn,
            None => open_reader(&self.inner.path)?,
        };
        Ok(PooledConn {
            conn: Some(conn),
            pool: Arc::clone(&self.inner),
        })
    }

    /// Runs `f` with a pooled connection on tokio's blocking pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let store = self.clone();
        tokio::task::spawn_blocking(move || {
            let conn = store.conn()?;
            f(&conn)
        })
        .await
        .map_err(|e| StoreError::Task(e.to_string()))?
    }
}

fn open_reader(path: &Path) -> Result<Connection, StoreError> {
    // Read-write flags with query_only: a read-only handle cannot create the WAL index file
    // (-shm) when it is missing, which it is after every fresh generation.
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.execute_batch("PRAGMA query_only = ON; PRAGMA cache_size = -32000;")?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(conn)
}

fn read_meta(path: &Path) -> Result<Option<Meta>, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let get = |key: &str| -> Result<Option<String>, StoreError> {
        Ok(conn
            .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    };
    if get("schema")?.as_deref() != Some(SCHEMA_VERSION) {
        return Ok(None);
    }
    let (Some(calls), Some(seed), Some(end), Some(gen_date)) =
        (get("calls")?, get("seed")?, get("end")?, get("gen_date")?)
    else {
        return Ok(None);
    };
    let (Ok(calls), Ok(seed), Ok(end)) = (calls.parse(), seed.parse(), end.parse()) else {
        return Ok(None);
    };
    Ok(Some(Meta {
        calls,
        seed,
        end,
        gen_date,
    }))
}

/// Writes a fresh store at `path`: into a temporary file first, renamed into place at the
/// end, so that an interrupted generation never leaves a half-filled store that looks valid.
pub fn generate(path: &Path, params: GenParams) -> Result<(), StoreError> {
    let tmp = path.with_extension("sqlite.tmp");
    for stale in [&tmp, &with_suffix(&tmp, "-journal")] {
        remove_if_exists(stale)?;
    }
    let mut conn = Connection::open(&tmp)?;
    // No journal and no fsync while bulk loading: the file is not in place until renamed.
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA temp_store = MEMORY;
         PRAGMA cache_size = -262144;",
    )?;
    conn.execute_batch(SCHEMA)?;
    let catalog = Catalog::demo();
    let tx = conn.transaction()?;
    insert_catalog(&tx, &catalog)?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO cdr (ts, client, account, outbound, did, callerid, destination,
             description, disposition, seconds, rate, total, uniqueid, destination_type)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
        )?;
        for row in CdrGenerator::new(&catalog, params) {
            insert.execute(params![
                row.ts,
                row.client,
                row.account,
                row.outbound,
                row.did,
                row.callerid,
                row.destination,
                row.description,
                row.disposition as i64,
                row.seconds,
                row.rate.units(),
                row.total.units(),
                row.uniqueid,
                row.destination_type,
            ])?;
        }
    }
    let meta = Meta::of(params);
    for (key, value) in [
        ("schema", SCHEMA_VERSION.to_owned()),
        ("calls", meta.calls.to_string()),
        ("seed", meta.seed.to_string()),
        ("end", meta.end.to_string()),
        ("gen_date", meta.gen_date.clone()),
    ] {
        tx.execute(
            "INSERT INTO meta (key, value) VALUES (?1, ?2)",
            [key, &value],
        )?;
    }
    tx.commit()?;
    conn.execute_batch(INDEXES)?;
    conn.execute_batch("ANALYZE; PRAGMA journal_mode = WAL;")?;
    conn.close().map_err(|(_, e)| e)?;
    for stale in [
        path.to_owned(),
        with_suffix(path, "-wal"),
        with_suffix(path, "-shm"),
    ] {
        remove_if_exists(&stale)?;
    }
    std::fs::rename(&tmp, path).map_err(io_err(path))?;
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn remove_if_exists(path: &Path) -> Result<(), StoreError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_err(path)(e)),
        _ => Ok(()),
    }
}

fn insert_catalog(conn: &Connection, catalog: &Catalog) -> Result<(), StoreError> {
    use crate::gen::money;
    for c in &catalog.clients {
        conn.execute(
            "INSERT INTO clients VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                c.id,
                c.email,
                c.password,
                c.company,
                c.firstname,
                c.lastname,
                c.phone_number,
                c.address,
                c.city,
                c.state,
                c.country,
                c.zip,
                c.balance_management
            ],
        )?;
    }
    for a in &catalog.accounts {
        conn.execute(
            "INSERT INTO accounts (account, client) VALUES (?1, ?2)",
            params![a.account, a.client],
        )?;
    }
    for d in &catalog.dids {
        conn.execute(
            "INSERT INTO dids (did, client, account, toll_free, rate) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                d.did,
                d.client,
                d.account,
                d.toll_free,
                money(d.rate).units()
            ],
        )?;
    }
    for r in &catalog.routes {
        conn.execute(
            "INSERT INTO routes VALUES (?1, ?2)",
            params![r.value, r.description],
        )?;
    }
    for p in &catalog.packages {
        conn.execute(
            "INSERT INTO packages VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                p.id,
                p.name,
                money(p.markup_fixed).units(),
                p.markup_percentage,
                p.pulse,
                p.international_route,
                p.canada_route,
                money(p.monthly_fee).units(),
                money(p.setup_fee).units(),
                p.free_minutes
            ],
        )?;
        for d in &catalog.destinations {
            let (client_rate, client_increment) = p.client_rate(d);
            conn.execute(
                "INSERT INTO rates VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    p.id,
                    d.name,
                    d.prefix,
                    client_increment,
                    client_rate.units(),
                    d.increment,
                    d.rate_on(p.route_for(d)).units()
                ],
            )?;
        }
    }
    for (client, package) in &catalog.client_packages {
        conn.execute(
            "INSERT INTO client_packages (client, package) VALUES (?1, ?2)",
            params![client, package],
        )?;
    }
    for r in &catalog.routes {
        for d in &catalog.destinations {
            conn.execute(
                "INSERT INTO termination_rates VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    r.value,
                    d.name,
                    d.prefix,
                    d.increment,
                    d.rate_on(r.value).units()
                ],
            )?;
        }
    }
    Ok(())
}

/// One object of an answer: field names with string values, in the order written.
///
/// Every scalar of the API is a JSON string, so a record cannot hold anything else.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record(pub Vec<(&'static str, String)>);

impl Record {
    /// A `{value, description}` pair, the shape of every lookup list.
    pub fn pair(value: impl Into<String>, description: impl Into<String>) -> Record {
        Record(vec![
            ("value", value.into()),
            ("description", description.into()),
        ])
    }
}

impl Serialize for Record {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

fn money_text(units: i64) -> String {
    Money::from_units(units).to_string()
}

/// The accounts of the main account (`client` empty) or of one client, in catalog order.
pub fn accounts(conn: &Connection, client: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT account FROM accounts WHERE client = ?1 ORDER BY id")?;
    let rows = stmt.query_map([client], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The DIDs of the main account (`client` empty) or of one client, in catalog order.
pub fn dids(conn: &Connection, client: &str) -> Result<Vec<String>, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT did FROM dids WHERE client = ?1 ORDER BY id")?;
    let rows = stmt.query_map([client], |r| r.get(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether a reseller client id exists.
pub fn client_exists(conn: &Connection, client: &str) -> Result<bool, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM clients WHERE client = ?1")?;
    Ok(stmt.exists([client])?)
}

/// Clients, all or those whose id or e-mail (case-insensitive) is `filter`.
pub fn clients(conn: &Connection, filter: Option<&str>) -> Result<Vec<Record>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT client, email, password, company, firstname, lastname, address, city, state,
                country, zip, phone_number, balance_management
         FROM clients WHERE ?1 IS NULL OR client = ?1 OR email = ?1 ORDER BY client",
    )?;
    const FIELDS: [&str; 13] = [
        "client",
        "email",
        "password",
        "company",
        "firstname",
        "lastname",
        "address",
        "city",
        "state",
        "country",
        "zip",
        "phone_number",
        "balance_management",
    ];
    let rows = stmt.query_map([filter], |r| {
        let mut rec = Vec::with_capacity(FIELDS.len());
        for (i, name) in FIELDS.iter().enumerate() {
            rec.push((*name, r.get::<_, String>(i)?));
        }
        Ok(Record(rec))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Routes, all or the one named `filter`.
pub fn routes(conn: &Connection, filter: Option<&str>) -> Result<Vec<Record>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT route, description FROM routes WHERE ?1 IS NULL OR route = ?1 ORDER BY route",
    )?;
    let rows = stmt.query_map([filter], |r| {
        Ok(Record::pair(r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Packages with every getPackages field, all or the one named `filter`.
pub fn packages(conn: &Connection, filter: Option<&str>) -> Result<Vec<Record>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT package, name, markup_fixed, markup_percentage, pulse, international_route,
                canada_route, monthly_fee, setup_fee, free_minutes
         FROM packages WHERE ?1 IS NULL OR package = ?1 ORDER BY package",
    )?;
    let rows = stmt.query_map([filter], |r| {
        Ok(Record(vec![
            ("package", r.get(0)?),
            ("name", r.get(1)?),
            ("markup_fixed", money_text(r.get(2)?)),
            ("markup_percentage", r.get::<_, i64>(3)?.to_string()),
            ("pulse", r.get::<_, i64>(4)?.to_string()),
            ("international_route", r.get(5)?),
            ("canada_route", r.get(6)?),
            ("monthly_fee", money_text(r.get(7)?)),
            ("setup_fee", money_text(r.get(8)?)),
            ("free_minutes", r.get::<_, i64>(9)?.to_string()),
        ]))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The packages a client may use, as `{value, description}`.
pub fn client_packages(conn: &Connection, client: &str) -> Result<Vec<Record>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.package, p.name FROM client_packages c JOIN packages p ON p.package = c.package
         WHERE c.client = ?1 ORDER BY c.id",
    )?;
    let rows = stmt.query_map([client], |r| {
        Ok(Record::pair(r.get::<_, String>(0)?, r.get::<_, String>(1)?))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Whether a package id exists.
pub fn package_exists(conn: &Connection, package: &str) -> Result<bool, StoreError> {
    let mut stmt = conn.prepare_cached("SELECT 1 FROM packages WHERE package = ?1")?;
    Ok(stmt.exists([package])?)
}

/// The WHERE clause shared by both rate searches: a case-insensitive substring of the
/// destination name, or, for an all-digit query, the start of the prefix.
///
/// `instr` rather than `LIKE`, so that `%` and `_` in a query are plain characters.
const RATE_MATCH: &str =
    "(instr(lower(destination), ?2) > 0 OR (?3 AND substr(prefix, 1, length(?2)) = ?2))";

fn rate_query_params(query: &str) -> (String, bool) {
    let lowered = query.to_lowercase();
    let digits = !lowered.is_empty() && lowered.bytes().all(|b| b.is_ascii_digit());
    (lowered, digits)
}

/// A package's rates whose destination or prefix matches `query`.
pub fn rates(conn: &Connection, package: &str, query: &str) -> Result<Vec<Record>, StoreError> {
    let sql = format!(
        "SELECT destination, prefix, client_increment, client_rate, real_increment, real_rate
         FROM rates WHERE package = ?1 AND {RATE_MATCH} ORDER BY destination, prefix"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let (q, digits) = rate_query_params(query);
    let rows = stmt.query_map(params![package, q, digits], |r| {
        Ok(Record(vec![
            ("destination", r.get(0)?),
            ("prefix", r.get(1)?),
            ("client_increment", r.get::<_, i64>(2)?.to_string()),
            ("client_rate", money_text(r.get(3)?)),
            ("real_increment", r.get::<_, i64>(4)?.to_string()),
            ("real_rate", money_text(r.get(5)?)),
        ]))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A route's termination rates whose destination or prefix matches `query`.
pub fn termination_rates(
    conn: &Connection,
    route: &str,
    query: &str,
) -> Result<Vec<Record>, StoreError> {
    let sql = format!(
        "SELECT destination, prefix, increment, rate
         FROM termination_rates WHERE route = ?1 AND {RATE_MATCH} ORDER BY destination, prefix"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let (q, digits) = rate_query_params(query);
    let rows = stmt.query_map(params![route, q, digits], |r| {
        Ok(Record(vec![
            ("destination", r.get(0)?),
            ("prefix", r.get(1)?),
            ("increment", r.get::<_, i64>(2)?.to_string()),
            ("rate", money_text(r.get(3)?)),
        ]))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The `calltype` filter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallType {
    /// Every call.
    All,
    /// Inbound calls.
    Incoming,
    /// Outbound calls.
    Outgoing,
    /// Inbound calls to this DID.
    Did(String),
}

/// The `callbilling` filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallBilling {
    /// Every call.
    All,
    /// Calls whose total is zero.
    Free,
    /// Calls whose total is not zero.
    Billed,
}

/// A validated CDR search.
///
/// The window is `[from, to)` in UTC epoch seconds: the requested whole days of *shifted*
/// time, moved back by the offset. A row belongs to the answer when its shifted time
/// (`ts + offset`) falls on one of the requested days; the service itself picks days on its
/// own stored calendar, a difference the contract notes and the simulator documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CdrQuery {
    /// Owning client; empty for the main account.
    pub client: String,
    /// First instant, inclusive.
    pub from: i64,
    /// Last instant, exclusive.
    pub to: i64,
    /// The `timezone` offset in seconds, added to every shown `date`.
    pub offset: i64,
    /// Dispositions to include (at least one).
    pub dispositions: Vec<Disposition>,
    /// Direction or DID filter.
    pub calltype: CallType,
    /// Free or billed filter.
    pub billing: CallBilling,
    /// One account, or `None` for all.
    pub account: Option<String>,
    /// Whether rows carry `rate` (getCDR does, getResellerCDR does not).
    pub with_rate: bool,
}

impl CdrQuery {
    /// The index the search reads: the DID's, the account's or the client's, the narrowest
    /// key the filters name.
    pub fn index(&self) -> &'static str {
        match (&self.calltype, &self.account) {
            (CallType::Did(_), _) => "cdr_did",
            (_, Some(_)) => "cdr_account",
            _ => "cdr_client",
        }
    }

    /// The SQL and its bound values; only placeholders are spliced in, never values.
    ///
    /// The index is named (`INDEXED BY`) rather than left to the planner: its choice depends
    /// on the statistics of the generated data, and a plan that sorts would hold the first
    /// row back until the whole range was read, which streaming cannot afford.
    pub fn sql(&self) -> (String, Vec<Value>) {
        let mut sql = format!(
            "SELECT ts, callerid, destination, description, account, disposition, seconds, rate,
                    total, uniqueid, destination_type
             FROM cdr INDEXED BY {} WHERE client = ? AND ts >= ? AND ts < ?",
            self.index()
        );
        let mut values = vec![
            Value::Text(self.client.clone()),
            Value::Integer(self.from),
            Value::Integer(self.to),
        ];
        if self.dispositions.len() < Disposition::ALL.len() {
            let marks = vec!["?"; self.dispositions.len()].join(", ");
            sql.push_str(&format!(" AND disposition IN ({marks})"));
            values.extend(self.dispositions.iter().map(|d| Value::Integer(*d as i64)));
        }
        match &self.calltype {
            CallType::All => {}
            CallType::Incoming => sql.push_str(" AND outbound = 0"),
            CallType::Outgoing => sql.push_str(" AND outbound = 1"),
            CallType::Did(did) => {
                sql.push_str(" AND did = ?");
                values.push(Value::Text(did.clone()));
            }
        }
        match self.billing {
            CallBilling::All => {}
            CallBilling::Free => sql.push_str(" AND total = 0"),
            CallBilling::Billed => sql.push_str(" AND total <> 0"),
        }
        if let Some(account) = &self.account {
            sql.push_str(" AND account = ?");
            values.push(Value::Text(account.clone()));
        }
        sql.push_str(" ORDER BY ts DESC, id DESC");
        (sql, values)
    }
}

/// The JSON of a successful CDR answer before its first row.
pub const CDR_HEAD: &[u8] = br#"{"status":"success","cdr":["#;

/// The JSON after its last row.
pub const CDR_TAIL: &[u8] = b"]}";

/// A text column borrowed from the row, without a copy.
fn text<'r>(row: &'r rusqlite::Row<'_>, index: usize) -> rusqlite::Result<&'r str> {
    row.get_ref(index)?.as_str().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Appends one row of a CDR answer, in the service's field order, every scalar a string.
fn write_cdr_row(
    out: &mut Vec<u8>,
    r: &rusqlite::Row<'_>,
    query: &CdrQuery,
) -> Result<(), StoreError> {
    use crate::json::{push_datetime, push_duration, push_int_str, push_money, push_str};
    let seconds: i64 = r.get(6)?;
    out.extend_from_slice(br#"{"date":"#);
    push_datetime(out, r.get::<_, i64>(0)? + query.offset);
    out.extend_from_slice(br#","callerid":"#);
    push_str(out, text(r, 1)?);
    out.extend_from_slice(br#","destination":"#);
    push_str(out, text(r, 2)?);
    out.extend_from_slice(br#","description":"#);
    push_str(out, text(r, 3)?);
    out.extend_from_slice(br#","account":"#);
    push_str(out, text(r, 4)?);
    out.extend_from_slice(br#","disposition":"#);
    push_str(out, Disposition::from_code(r.get(5)?).as_str());
    out.extend_from_slice(br#","duration":"#);
    push_duration(out, seconds);
    out.extend_from_slice(br#","seconds":"#);
    push_int_str(out, seconds);
    if query.with_rate {
        out.extend_from_slice(br#","rate":"#);
        push_money(out, r.get(7).unwrap_or(0));
    }
    out.extend_from_slice(br#","total":"#);
    push_money(out, r.get(8)?);
    out.extend_from_slice(br#","uniqueid":"#);
    push_str(out, text(r, 9)?);
    out.extend_from_slice(br#","destination_type":"#);
    push_str(out, text(r, 10)?);
    out.push(b'}');
    Ok(())
}

/// How a CDR search written in pieces ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CdrPieces {
    /// Rows read from the store and written.
    pub rows: usize,
    /// Whether the last piece, with the closing `]}`, was handed over; false when the sink
    /// asked to stop.
    pub complete: bool,
}

/// Runs a CDR search and writes its success body, `{"status":"success","cdr":[…]}`, in
/// pieces handed to `sink` as the rows are read: the first piece right after the first row
/// (so that the answer can start at once), then one each time at least `piece_bytes` have
/// gathered, the last one ending with `]}`. `sink` gets each piece and the rows written so
/// far, and returns false to stop reading (the client is gone).
///
/// With no matching row `sink` is never called and `rows` is 0: the caller answers `no_cdr`.
/// An error after the first piece leaves the body unfinished; the caller must not let it
/// pass for a whole answer.
pub fn stream_cdr_json(
    conn: &Connection,
    query: &CdrQuery,
    piece_bytes: usize,
    mut sink: impl FnMut(Vec<u8>, usize) -> bool,
) -> Result<CdrPieces, StoreError> {
    let (sql, values) = query.sql();
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(rusqlite::params_from_iter(values))?;
    let Some(first) = rows.next()? else {
        return Ok(CdrPieces {
            rows: 0,
            complete: true,
        });
    };
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(CDR_HEAD);
    write_cdr_row(&mut out, first, query)?;
    let mut count = 1;
    if !sink(out, count) {
        return Ok(CdrPieces {
            rows: count,
            complete: false,
        });
    }
    // Room for the row that crosses the threshold, so that a piece is one allocation (a
    // piece asked to be huge grows as it fills instead).
    let capacity = piece_bytes.min(1 << 20) + 4096;
    let mut out = Vec::with_capacity(capacity);
    while let Some(r) = rows.next()? {
        out.push(b',');
        write_cdr_row(&mut out, r, query)?;
        count += 1;
        if out.len() >= piece_bytes {
            let piece = std::mem::replace(&mut out, Vec::with_capacity(capacity));
            if !sink(piece, count) {
                return Ok(CdrPieces {
                    rows: count,
                    complete: false,
                });
            }
        }
    }
    out.extend_from_slice(CDR_TAIL);
    let complete = sink(out, count);
    Ok(CdrPieces {
        rows: count,
        complete,
    })
}

/// Runs a CDR search and writes the whole success body into `out`, for answers that are
/// not streamed (the `truncate` fault). Returns the row count; on 0 nothing was written and
/// the caller answers `no_cdr`.
pub fn write_cdr_json(
    conn: &Connection,
    query: &CdrQuery,
    out: &mut Vec<u8>,
) -> Result<usize, StoreError> {
    let pieces = stream_cdr_json(conn, query, 1 << 20, |piece, _| {
        out.extend_from_slice(&piece);
        true
    })?;
    Ok(pieces.rows)
}
