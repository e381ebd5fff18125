//! Load figures for the simulator, printed (never pass/fail):
//!
//! 1. getCDR answers of about 100,000 and 700,000 rows from a store of 1.4 million calls
//!    (the portal's two 92-day windows of a long search are about 700k rows each): the time
//!    to the answer's head, to the first row and to the last byte as a client sees them,
//!    the server's own figures from its log line, and how much the process grew while
//!    answering; goals: server time for 100k rows ≤ 1 s, first row at once, memory bounded.
//! 2. Small requests (getRoutes as multipart POST, getCallBilling as GET) from 50 concurrent
//!    clients on loopback for a few seconds; goal: ≥ 2,000 requests/s with no error.
//!
//! Run with `cargo bench -p voipms-sim --bench load`. The store is kept in cargo's
//! per-target temporary folder and reused by later runs (generating it takes a few seconds).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use voipms_sim::config::{ServerOptions, DEMO_PASSWORD, DEMO_USERNAME};
use voipms_sim::dates;
use voipms_sim::gen::GenParams;
use voipms_sim::log::LogSink;
use voipms_sim::store::Store;
use voipms_sim::AppState;

/// Calls in the benchmark store: the store of the browser measurement of issue 16.
const CALLS: u64 = 1_400_000;
/// Rows of the answers measured, at least (the larger stops at 92 days if it must).
const TARGET_ROWS: [i64; 2] = [100_000, 700_000];
/// Runs of each answer.
const RUNS: usize = 5;
/// Concurrent clients of the small-request test.
const CLIENTS: usize = 50;
/// Duration of each small-request run.
const RUN: Duration = Duration::from_secs(4);
/// Upper bound of requests per client per run, so the loop is bounded in count too.
const MAX_PER_CLIENT: u64 = 20_000;

fn main() {
    // A fixed end: the store is reused across runs (same meta).
    let end = dates::days_from_civil(2025, 6, 15) * dates::DAY + 18 * 3600;
    let params = GenParams {
        calls: CALLS,
        seed: 1,
        end,
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("voipms-sim-bench");
    let started = Instant::now();
    let (store, report) = Store::open_or_generate(&dir, params, false).expect("store");
    if report.generated {
        println!(
            "generated {CALLS} calls in {:.2} s (bench profile)",
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("reusing the {CALLS}-call store in {}", dir.display());
    }
    let windows: Vec<_> = TARGET_ROWS
        .iter()
        .map(|&target| window_for(&store, end, target))
        .collect();

    let logs = Arc::new(Mutex::new(Vec::new()));
    let options = ServerOptions {
        rate_limit: 0,
        log: LogSink::Memory(Arc::clone(&logs)),
        ..ServerOptions::default()
    };
    let state = AppState::new(store, options);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let url = format!("http://{}/api/v1/rest.php", listener.local_addr().unwrap());
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(voipms_sim::serve(listener, state, async {
            let _ = rx.await;
        }));
        for (from, to, rows) in &windows {
            big_cdr(&url, from, to, *rows, &logs).await;
        }
        small_requests(&url).await;
        let _ = tx.send(());
        let _ = server.await;
    });
}

/// The last whole days (timezone 0) that hold at least `target` main-account calls,
/// counted with SQL on the store.
fn window_for(store: &Store, end: i64, target: i64) -> (String, String, i64) {
    let conn = store.conn().expect("conn");
    let last = end.div_euclid(dates::DAY);
    for days in 1..=92 {
        let first = last - days + 1;
        let n: i64 = conn
            .query_row(
                "SELECT count(*) FROM cdr WHERE client = '' AND ts >= ?1 AND ts < ?2",
                [first * dates::DAY, (last + 1) * dates::DAY],
                |r| r.get(0),
            )
            .expect("count");
        if n >= target || days == 92 {
            return (dates::format_day(first), dates::format_day(last), n);
        }
    }
    unreachable!()
}

fn form(params: &[(&str, &str)]) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new()
        .text("api_username", DEMO_USERNAME)
        .text("api_password", DEMO_PASSWORD);
    for (k, v) in params {
        form = form.text(k.to_string(), v.to_string());
    }
    form
}

/// The total and `first=` figures (ms) of the last getCDR log line.
fn last_server_ms(logs: &Mutex<Vec<String>>) -> (f64, Option<f64>) {
    let lines = logs.lock().unwrap();
    let line = lines
        .iter()
        .rev()
        .find(|l| l.contains(" getCDR "))
        .expect("a getCDR log line");
    let ms = |w: &str| w.strip_suffix("ms").and_then(|n| n.parse().ok());
    let total = line
        .split_whitespace()
        .find_map(ms)
        .expect("elapsed in the log line");
    let first = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("first=").and_then(ms));
    (total, first)
}

/// The process's resident memory in KB (Linux), for the growth while answering.
fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Samples the resident memory every few milliseconds until stopped; returns the peak.
fn watch_rss(stop: Arc<AtomicBool>) -> std::thread::JoinHandle<Option<u64>> {
    std::thread::spawn(move || {
        let mut peak = rss_kb();
        while !stop.load(Ordering::Relaxed) {
            peak = peak.max(rss_kb());
            std::thread::sleep(Duration::from_millis(5));
        }
        peak.max(rss_kb())
    })
}

/// Counts `{"date":` in a body that comes in pieces (a row's opening may straddle two).
struct RowCounter {
    tail: Vec<u8>,
    rows: usize,
}

impl RowCounter {
    const NEEDLE: &'static [u8] = br#"{"date":"#;

    fn feed(&mut self, piece: &[u8]) {
        let mut window = std::mem::take(&mut self.tail);
        window.extend_from_slice(piece);
        self.rows += window
            .windows(Self::NEEDLE.len())
            .filter(|w| *w == Self::NEEDLE)
            .count();
        let keep = window.len().min(Self::NEEDLE.len() - 1);
        self.tail = window[window.len() - keep..].to_vec();
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

async fn big_cdr(url: &str, from: &str, to: &str, rows: i64, logs: &Mutex<Vec<String>>) {
    let client = reqwest::Client::builder().no_proxy().build().unwrap();
    let params = [
        ("method", "getCDR"),
        ("date_from", from),
        ("date_to", to),
        ("timezone", "0"),
        ("answered", "1"),
        ("noanswer", "1"),
        ("busy", "1"),
        ("failed", "1"),
    ];
    let (mut head_ms, mut first_row_ms, mut total_ms) = (Vec::new(), Vec::new(), Vec::new());
    let (mut server_ms, mut server_first_ms) = (Vec::new(), Vec::new());
    let mut growth_kb = Vec::new();
    let mut bytes = 0;
    for _ in 0..RUNS {
        let before = rss_kb();
        let stop = Arc::new(AtomicBool::new(false));
        let watcher = watch_rss(Arc::clone(&stop));
        let started = Instant::now();
        let mut response = client
            .post(url)
            .multipart(form(&params))
            .send()
            .await
            .expect("getCDR");
        head_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        let mut counter = RowCounter {
            tail: Vec::new(),
            rows: 0,
        };
        let mut first_row = None;
        bytes = 0;
        while let Some(piece) = response.chunk().await.expect("body") {
            bytes += piece.len();
            counter.feed(&piece);
            if first_row.is_none() && counter.rows > 0 {
                first_row = Some(started.elapsed());
            }
        }
        total_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        first_row_ms.push(first_row.expect("a row").as_secs_f64() * 1000.0);
        stop.store(true, Ordering::Relaxed);
        if let (Some(before), Some(peak)) = (before, watcher.join().unwrap()) {
            growth_kb.push(peak.saturating_sub(before) as f64);
        }
        assert_eq!(counter.rows, rows as usize, "rows in the answer");
        let (server, first) = last_server_ms(logs);
        server_ms.push(server);
        server_first_ms.extend(first);
    }
    println!(
        "getCDR {from} .. {to}: {rows} rows, {:.1} MB, {RUNS} runs (median):",
        bytes as f64 / 1e6
    );
    println!(
        "  client: head {:.1} ms, first row {:.1} ms, last byte {:.0} ms (min {:.0})",
        median(head_ms),
        median(first_row_ms),
        median(total_ms.clone()),
        total_ms.iter().copied().fold(f64::MAX, f64::min),
    );
    let first = if server_first_ms.is_empty() {
        "-".to_owned()
    } else {
        format!("{:.1} ms", median(server_first_ms))
    };
    println!(
        "  server: head after {first}, answer ended after {:.0} ms; goal ≤ 1000 ms for 100k rows",
        median(server_ms)
    );
    if !growth_kb.is_empty() {
        println!(
            "  process resident memory growth while answering: {:.1} MB (max {:.1} MB)",
            median(growth_kb.clone()) / 1024.0,
            growth_kb.iter().copied().fold(0.0, f64::max) / 1024.0
        );
    }
}

async fn small_requests(url: &str) {
    for (label, multipart) in [
        ("getRoutes, multipart POST", true),
        ("getCallBilling, GET", false),
    ] {
        let client = reqwest::Client::builder()
            .no_proxy()
            .pool_max_idle_per_host(CLIENTS)
            .build()
            .unwrap();
        let ok = Arc::new(AtomicU64::new(0));
        let errors = Arc::new(AtomicU64::new(0));
        let started = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..CLIENTS {
            let (client, url, ok, errors) = (
                client.clone(),
                url.to_owned(),
                Arc::clone(&ok),
                Arc::clone(&errors),
            );
            tasks.push(tokio::spawn(async move {
                let mut sent = 0;
                while started.elapsed() < RUN && sent < MAX_PER_CLIENT {
                    sent += 1;
                    let request = if multipart {
                        client
                            .post(&url)
                            .multipart(form(&[("method", "getRoutes")]))
                    } else {
                        client.get(&url).query(&[
                            ("api_username", DEMO_USERNAME),
                            ("api_password", DEMO_PASSWORD),
                            ("method", "getCallBilling"),
                        ])
                    };
                    let good = match request.send().await {
                        Ok(r) if r.status() == 200 => r
                            .bytes()
                            .await
                            .is_ok_and(|b| b.starts_with(br#"{"status":"success""#)),
                        _ => false,
                    };
                    if good { &ok } else { &errors }.fetch_add(1, Ordering::Relaxed);
                }
            }));
        }
        for t in tasks {
            t.await.unwrap();
        }
        let secs = started.elapsed().as_secs_f64();
        let (ok, errors) = (ok.load(Ordering::Relaxed), errors.load(Ordering::Relaxed));
        println!(
            "{label}: {CLIENTS} clients, {ok} answers in {secs:.1} s = {:.0} req/s, {errors} errors; \
             goal ≥ 2000 req/s, 0 errors",
            ok as f64 / secs
        );
    }
}
