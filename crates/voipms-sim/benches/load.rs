//! Load figures for the simulator, printed (never pass/fail):
//!
//! 1. getCDR answering about 100,000 rows: server time (from the request log) and the time
//!    a client sees until the whole body has arrived; goal: server time ≤ 1 s.
//! 2. Small requests (getRoutes as multipart POST, getCallBilling as GET) from 50 concurrent
//!    clients on loopback for a few seconds; goal: ≥ 2,000 requests/s with no error.
//!
//! Run with `cargo bench -p voipms-sim --bench load`. The 300k-call store is kept in cargo's
//! per-target temporary folder and reused by later runs.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use voipms_sim::config::{ServerOptions, DEMO_PASSWORD, DEMO_USERNAME};
use voipms_sim::dates;
use voipms_sim::gen::GenParams;
use voipms_sim::log::LogSink;
use voipms_sim::store::Store;
use voipms_sim::AppState;

/// Calls in the benchmark store: enough for a 100k-row answer inside the 92-day limit.
const CALLS: u64 = 300_000;
/// Rows the big getCDR should return, at least.
const TARGET_ROWS: i64 = 100_000;
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
    let (from, to, rows) = window_for(&store, end);
    println!("getCDR window {from} .. {to} (timezone 0, all dispositions): {rows} rows");

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
        big_cdr(&url, &from, &to, rows, &logs).await;
        small_requests(&url).await;
        let _ = tx.send(());
        let _ = server.await;
    });
}

/// The last whole days (timezone 0) that hold at least [`TARGET_ROWS`] main-account calls,
/// counted with SQL on the store.
fn window_for(store: &Store, end: i64) -> (String, String, i64) {
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
        if n >= TARGET_ROWS || days == 92 {
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

/// Reads the `…ms` figure of the last getCDR log line.
fn last_server_ms(logs: &Mutex<Vec<String>>) -> f64 {
    let lines = logs.lock().unwrap();
    let line = lines
        .iter()
        .rev()
        .find(|l| l.contains(" getCDR "))
        .expect("a getCDR log line");
    line.split_whitespace()
        .find_map(|w| w.strip_suffix("ms").and_then(|n| n.parse().ok()))
        .expect("elapsed in the log line")
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
    let mut server_ms = Vec::new();
    let mut client_ms = Vec::new();
    let mut bytes = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let body = client
            .post(url)
            .multipart(form(&params))
            .send()
            .await
            .expect("getCDR")
            .bytes()
            .await
            .expect("body");
        client_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        server_ms.push(last_server_ms(logs));
        bytes = body.len();
        let value: serde_json::Value = serde_json::from_slice(&body).expect("JSON");
        assert_eq!(value["cdr"].as_array().map(Vec::len), Some(rows as usize));
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "getCDR {rows} rows, {:.1} MB: server time median {:.0} ms (min {:.0}), \
         client time to last byte median {:.0} ms; goal server ≤ 1000 ms",
        bytes as f64 / 1e6,
        median(&mut server_ms.clone()),
        server_ms.iter().copied().fold(f64::MAX, f64::min),
        median(&mut client_ms),
    );
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
