//! A real server on a loopback port, with a small generated store, for the HTTP tests.
#![allow(dead_code)] // each test file uses its own share of these helpers

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;
use voipms_sim::config::{ServerOptions, DEMO_PASSWORD, DEMO_USERNAME};
use voipms_sim::gen::{Catalog, CdrGenerator, CdrRow, GenParams};
use voipms_sim::log::LogSink;
use voipms_sim::store::Store;
use voipms_sim::AppState;

/// 2025-06-15 18:30:00 UTC: a fixed end, so that every run sees the same calls.
pub const END: i64 = 1_750_012_200;

/// The data set of the shared server.
pub const PARAMS: GenParams = GenParams {
    calls: 3000,
    seed: 7,
    end: END,
};

/// A server running on its own thread and runtime, so that it outlives each test's runtime.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// The SQLite file, for independent queries.
    pub store_path: PathBuf,
    /// What was logged.
    pub logs: Arc<Mutex<Vec<String>>>,
    shutdown: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    _dir: Option<tempfile::TempDir>,
}

impl TestServer {
    /// The API endpoint URL.
    pub fn api(&self) -> String {
        format!("{}/api/v1/rest.php", self.base)
    }

    /// The listening address, for raw TCP clients.
    pub fn addr(&self) -> std::net::SocketAddr {
        self.base.trim_start_matches("http://").parse().unwrap()
    }

    /// A copy of the log lines so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.logs.lock().unwrap().clone()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.lock().unwrap().take() {
            let _ = tx.send(());
        }
    }
}

/// Starts a server over a fresh store in a temporary folder.
pub fn start(params: GenParams, tweak: impl FnOnce(&mut ServerOptions)) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    start_in(path, Some(dir), params, tweak)
}

fn start_in(
    data_dir: PathBuf,
    dir: Option<tempfile::TempDir>,
    params: GenParams,
    tweak: impl FnOnce(&mut ServerOptions),
) -> TestServer {
    let (store, _) = Store::open_or_generate(&data_dir, params, false).unwrap();
    let store_path = store.path().to_owned();
    let logs = Arc::new(Mutex::new(Vec::new()));
    let mut options = ServerOptions {
        log: LogSink::Memory(Arc::clone(&logs)),
        ..ServerOptions::default()
    };
    tweak(&mut options);
    let state = AppState::new(store, options);
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            voipms_sim::serve(listener, state, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
    });
    TestServer {
        base,
        store_path,
        logs,
        shutdown: Mutex::new(Some(tx)),
        _dir: dir,
    }
}

/// One server per test binary over [`PARAMS`], with default options. Its store lives in
/// cargo's per-target temporary folder, one per test binary, and later runs reuse it (the
/// store's meta matches, since [`END`] is fixed).
pub fn shared() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("voipms-sim-{}", env!("CARGO_CRATE_NAME")));
        start_in(dir, None, PARAMS, |_| {})
    })
}

/// The calls the shared server holds, drawn again from the generator (not the store).
pub fn generated_rows() -> &'static [CdrRow] {
    static ROWS: OnceLock<Vec<CdrRow>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let catalog = Catalog::demo();
        CdrGenerator::new(&catalog, PARAMS).collect()
    })
}

/// The demo credentials plus `params`.
pub fn with_creds<'a>(params: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut all = vec![
        ("api_username", DEMO_USERNAME),
        ("api_password", DEMO_PASSWORD),
    ];
    all.extend_from_slice(params);
    all
}

/// An HTTP client that never follows the environment's proxies.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

/// GET with a query string; returns the raw answer.
pub async fn get_raw(url: &str, params: &[(&str, &str)]) -> reqwest::Response {
    client().get(url).query(params).send().await.unwrap()
}

/// POST multipart; returns the raw answer.
pub async fn post_raw(url: &str, params: &[(&str, &str)]) -> reqwest::Response {
    let mut form = reqwest::multipart::Form::new();
    for (k, v) in params {
        form = form.text(k.to_string(), v.to_string());
    }
    client().post(url).multipart(form).send().await.unwrap()
}

/// Checks an API answer's HTTP layer and parses it.
pub async fn parse(response: reqwest::Response) -> Value {
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["content-type"].to_str().unwrap(),
        "application/json"
    );
    let body = response.bytes().await.unwrap();
    serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&body)))
}

/// An authenticated API call on the shared server by GET.
pub async fn call(params: &[(&str, &str)]) -> Value {
    parse(get_raw(&shared().api(), &with_creds(params)).await).await
}

/// The `status` of an answer.
pub fn status(v: &Value) -> &str {
    v["status"]
        .as_str()
        .unwrap_or_else(|| panic!("no status in {v}"))
}

/// Asserts that every scalar in `v` is a JSON string.
pub fn assert_all_strings(v: &Value) {
    match v {
        Value::String(_) => {}
        Value::Array(items) => items.iter().for_each(assert_all_strings),
        Value::Object(map) => map.values().for_each(assert_all_strings),
        other => panic!("scalar that is not a string: {other}"),
    }
}

/// The day (days since the epoch) of a `YYYY-MM-DD` literal, via chrono (not the server's
/// own date code).
pub fn day(text: &str) -> i64 {
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    (date - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days()
}

/// `YYYY-MM-DD HH:MM:SS` of epoch seconds, via chrono.
pub fn datetime(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap()
        .naive_utc()
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}
