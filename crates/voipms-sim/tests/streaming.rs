//! Streamed CDR answers: the rows go out as they are read, the reading stops when the client
//! does, and the bytes are those the whole answer always had.

mod common;

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::ConnectInfo;
use cdr_core::money::Money;
use common::*;
use http_body::Body as _;
use rusqlite::{Connection, OpenFlags};
use tower::ServiceExt;
use voipms_sim::config::{ServerOptions, DEMO_PASSWORD, DEMO_USERNAME};
use voipms_sim::gen::Disposition;
use voipms_sim::log::LogSink;
use voipms_sim::methods::{self, Params};
use voipms_sim::store::{self, CdrPieces, CdrQuery, Store, CDR_HEAD, CDR_TAIL};
use voipms_sim::stream::QUEUE_CHUNKS;
use voipms_sim::AppState;

/// The longest span a search may have, ending on the data's last day: the most rows.
const FROM: &str = "2025-03-16";
const TO: &str = "2025-06-15";

fn search(method: &str, extra: &[(&'static str, &'static str)]) -> Vec<(String, String)> {
    let mut p = vec![
        ("method", method),
        ("date_from", FROM),
        ("date_to", TO),
        ("timezone", "-5"),
        ("answered", "1"),
        ("noanswer", "1"),
        ("busy", "1"),
        ("failed", "1"),
    ];
    p.extend_from_slice(extra);
    with_creds(&p)
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn reader() -> Connection {
    Connection::open_with_flags(&shared().store_path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// The query the server builds for these parameters.
fn query_for(conn: &Connection, params: &[(String, String)], reseller: bool) -> CdrQuery {
    methods::cdr_query(&Params(params.to_vec()), conn, reseller)
        .unwrap()
        .unwrap()
}

fn whole_answer(conn: &Connection, query: &CdrQuery) -> (Vec<u8>, usize) {
    let mut body = Vec::new();
    let rows = store::write_cdr_json(conn, query, &mut body).unwrap();
    (body, rows)
}

#[test]
fn the_first_piece_leaves_after_the_first_row() {
    let conn = reader();
    let query = query_for(&conn, &search("getCDR", &[]), false);
    let (_, total) = whole_answer(&conn, &query);
    assert!(total > 1000, "{total} rows");
    let mut pieces = 0;
    let end = store::stream_cdr_json(&conn, &query, 64 * 1024, |piece, rows| {
        pieces += 1;
        // Handed over before a second row was read: a client can start at once, and an
        // answer never has to be whole in memory.
        assert_eq!(rows, 1);
        assert!(piece.starts_with(CDR_HEAD));
        assert!(piece.ends_with(b"}"));
        false
    })
    .unwrap();
    assert_eq!(pieces, 1);
    assert_eq!(
        end,
        CdrPieces {
            rows: 1,
            complete: false
        },
        "reading stops when the sink says so"
    );
}

#[test]
fn pieces_add_up_to_the_whole_answer() {
    let conn = reader();
    for (params, reseller) in [
        (search("getCDR", &[]), false),
        (search("getCDR", &[("calltype", "2125550163")]), false),
        (search("getResellerCDR", &[("client", "561116")]), true),
    ] {
        let query = query_for(&conn, &params, reseller);
        let (whole, total) = whole_answer(&conn, &query);
        for chunk in [1, 3000, 64 * 1024, 1 << 24] {
            let mut joined = Vec::new();
            let mut sizes = Vec::new();
            let mut last_rows = 0;
            let end = store::stream_cdr_json(&conn, &query, chunk, |piece, rows| {
                // The last piece may be the closing `]}` alone.
                assert!(rows >= last_rows);
                last_rows = rows;
                sizes.push(piece.len());
                joined.extend_from_slice(&piece);
                true
            })
            .unwrap();
            assert_eq!(
                end,
                CdrPieces {
                    rows: total,
                    complete: true
                }
            );
            assert_eq!(joined, whole, "chunk {chunk}");
            assert!(joined.ends_with(CDR_TAIL));
            // Every piece between the first (one row) and the last is at least `chunk`.
            let middle = &sizes[1..sizes.len() - 1];
            assert!(middle.iter().all(|&n| n >= chunk), "{sizes:?}");
            if chunk == 1 {
                assert_eq!(sizes.len(), total + 1, "one row a piece, then the tail");
            }
        }
    }
}

/// The row as the simulator wrote it with serde before the rows were written by hand.
#[derive(serde::Serialize)]
struct SerdeRow<'a> {
    date: String,
    callerid: &'a str,
    destination: &'a str,
    description: &'a str,
    account: &'a str,
    disposition: &'static str,
    duration: String,
    seconds: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rate: Option<Money>,
    total: Money,
    uniqueid: &'a str,
    destination_type: &'a str,
}

#[test]
fn rows_are_the_bytes_serde_wrote() {
    let conn = reader();
    for (params, reseller) in [
        (search("getCDR", &[]), false),
        (search("getResellerCDR", &[("client", "561115")]), true),
    ] {
        let query = query_for(&conn, &params, reseller);
        let (ours, _) = whole_answer(&conn, &query);
        let (sql, values) = query.sql();
        let mut stmt = conn.prepare(&sql).unwrap();
        let mut rows = stmt.query(rusqlite::params_from_iter(values)).unwrap();
        let mut reference = CDR_HEAD.to_vec();
        let mut odd_callerids = 0;
        while let Some(r) = rows.next().unwrap() {
            if reference.len() > CDR_HEAD.len() {
                reference.push(b',');
            }
            let seconds: i64 = r.get(6).unwrap();
            let callerid: String = r.get(1).unwrap();
            odd_callerids +=
                usize::from(callerid.contains(['"', '&', '<']) || !callerid.is_ascii());
            let fields: Vec<String> = [2, 3, 4, 9, 10].map(|i| r.get(i).unwrap()).to_vec();
            let row = SerdeRow {
                date: voipms_sim::dates::format_datetime(
                    r.get::<_, i64>(0).unwrap() + query.offset,
                ),
                callerid: &callerid,
                destination: &fields[0],
                description: &fields[1],
                account: &fields[2],
                disposition: Disposition::from_code(r.get(5).unwrap()).as_str(),
                duration: voipms_sim::dates::format_duration(seconds),
                seconds: seconds.to_string(),
                rate: query
                    .with_rate
                    .then(|| Money::from_units(r.get(7).unwrap())),
                total: Money::from_units(r.get(8).unwrap()),
                uniqueid: &fields[3],
                destination_type: &fields[4],
            };
            serde_json::to_writer(&mut reference, &row).unwrap();
        }
        reference.extend_from_slice(CDR_TAIL);
        assert!(odd_callerids > 0, "the escaping cases are in the data");
        assert!(ours == reference, "the JSON of the rows changed");
    }
}

/// The server in-process (no socket, so no kernel buffer between the body and the test),
/// with pieces of `chunk` bytes, and its log.
fn in_process(chunk: usize) -> (axum::Router, Arc<Mutex<Vec<String>>>, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = Store::open_or_generate(dir.path(), PARAMS, false).unwrap();
    let logs = Arc::new(Mutex::new(Vec::new()));
    let options = ServerOptions {
        log: LogSink::Memory(Arc::clone(&logs)),
        stream_chunk_bytes: chunk,
        ..ServerOptions::default()
    };
    (voipms_sim::app(AppState::new(store, options)), logs, dir)
}

fn get_request(params: &[(String, String)]) -> axum::http::Request<Body> {
    let query: String = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(params)
        .finish();
    let mut request = axum::http::Request::get(format!("/api/v1/rest.php?{query}"))
        .body(Body::empty())
        .unwrap();
    let peer: SocketAddr = "127.0.0.1:40000".parse().unwrap();
    request.extensions_mut().insert(ConnectInfo(peer));
    request
}

async fn next_frame(body: &mut Body) -> Option<Vec<u8>> {
    let frame = std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await?;
    Some(frame.unwrap().into_data().unwrap().to_vec())
}

/// Waits for the log line that contains `needle` (written when a streamed answer ends).
async fn wait_for_line(logs: &Mutex<Vec<String>>, needle: &str) -> String {
    let started = Instant::now();
    loop {
        if let Some(line) = logs.lock().unwrap().iter().find(|l| l.contains(needle)) {
            return line.clone();
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "no line with {needle:?}: {:?}",
            logs.lock().unwrap()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

fn rows_in(line: &str) -> usize {
    line.split_whitespace()
        .find_map(|w| w.strip_prefix("rows="))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no rows= in {line}"))
}

#[tokio::test]
async fn a_client_that_stops_reading_stops_the_reading() {
    const CHUNK: usize = 2048;
    let (router, logs, _dir) = in_process(CHUNK);
    let params = search("getCDR", &[]);

    // The whole answer, read to its end, for its size.
    let response = router.clone().oneshot(get_request(&params)).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/json");
    assert!(
        response.headers().get("content-length").is_none(),
        "a streamed answer has no length"
    );
    let mut body = response.into_body();
    let mut whole = Vec::new();
    let mut frames = 0;
    while let Some(frame) = next_frame(&mut body).await {
        frames += 1;
        whole.extend_from_slice(&frame);
    }
    let total = serde_json::from_slice::<serde_json::Value>(&whole).unwrap()["cdr"]
        .as_array()
        .unwrap()
        .len();
    assert!(frames > 100, "{frames} frames of about {CHUNK} bytes");
    let line = wait_for_line(&logs, " success ").await;
    assert_eq!(rows_in(&line), total, "{line}");
    assert!(line.contains(" first="), "{line}");

    // A client that reads the first piece and goes away.
    let response = router.oneshot(get_request(&params)).await.unwrap();
    let mut body = response.into_body();
    let first = next_frame(&mut body).await.unwrap();
    assert!(
        first.starts_with(CDR_HEAD) && first.ends_with(b"}"),
        "one row"
    );
    drop(body);
    let line = wait_for_line(&logs, "success+client_gone").await;
    // The task reads ahead of the client by the pieces the queue holds and the one it was
    // sending when it found the client gone; a piece is CHUNK bytes and a row over 200.
    let rows_per_piece = CHUNK / 200 + 1;
    let bound = 1 + (QUEUE_CHUNKS + 1) * rows_per_piece;
    let read = rows_in(&line);
    assert!(
        read <= bound,
        "read {read} rows of {total} for a client that took one: {line}"
    );
    assert!(total > 10 * bound, "{total} rows is too few to tell");
}

#[tokio::test]
async fn over_http_the_stream_is_the_whole_answer() {
    let server = shared();
    let params = search("getCDR", &[("calltype", "incoming")]);
    let conn = reader();
    let (whole, rows) = whole_answer(&conn, &query_for(&conn, &params, false));
    assert!(
        whole.len() > 3 * voipms_sim::stream::DEFAULT_CHUNK_BYTES,
        "{rows} rows"
    );

    let http = client();
    for _ in 0..2 {
        // Twice on one client: a streamed answer leaves the connection fit for the next.
        let response = http
            .post(server.api())
            .multipart(form(&params))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/json");
        assert_eq!(response.headers()["transfer-encoding"], "chunked");
        assert!(response.headers().get("content-length").is_none());
        let body = response.bytes().await.unwrap();
        assert!(body[..] == whole[..], "the streamed bytes differ");
    }

    // The truncate fault cuts the whole answer in half: a complete HTTP body that is not
    // JSON, as before streaming.
    let response = http
        .post(server.api())
        .header("X-Sim-Fault", "truncate@getCDR")
        .multipart(form(&params))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let length: usize = response.headers()["content-length"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(length, whole.len() / 2);
    let cut = response.bytes().await.unwrap();
    assert_eq!(cut[..], whole[..whole.len() / 2]);

    // What is known before the first row comes whole, with its length.
    let mut no_dates = params.clone();
    no_dates.retain(|(k, _)| k != "timezone");
    let mut no_calls = params.clone();
    no_calls.retain(|(k, _)| k != "date_from" && k != "date_to");
    no_calls.extend([
        ("date_from".to_owned(), "2024-01-01".to_owned()),
        ("date_to".to_owned(), "2024-01-31".to_owned()),
    ]);
    for (params, expected) in [
        (no_dates, r#"{"status":"missing_timezone"}"#),
        (no_calls, r#"{"status":"no_cdr"}"#),
    ] {
        let response = http
            .post(server.api())
            .multipart(form(&params))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-length"],
            expected.len().to_string().as_str()
        );
        assert_eq!(response.text().await.unwrap(), expected);
    }
    // The credentials checks come first, streamed method or not.
    let mut bad = params.clone();
    bad.retain(|(k, _)| k != "api_password");
    bad.push(("api_password".to_owned(), format!("{DEMO_PASSWORD}x")));
    let v = parse(
        http.post(server.api())
            .multipart(form(&bad))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status(&v), "invalid_credentials");
    assert!(params.iter().any(|(_, v)| v == DEMO_USERNAME));
}

fn form(params: &[(String, String)]) -> reqwest::multipart::Form {
    params
        .iter()
        .fold(reqwest::multipart::Form::new(), |f, (k, v)| {
            f.text(k.clone(), v.clone())
        })
}
