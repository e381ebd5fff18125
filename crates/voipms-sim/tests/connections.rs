//! Connection handling: the header read timeout and the connection limit (issue 13: a
//! slowloris of half-sent requests exhausted the simulator's file descriptors).
//!
//! The clients here are raw TCP sockets, so that the tests control every byte and no
//! client-side pool keeps a connection open behind their back. Lower bounds on times are
//! measured from before the first connect, and the server's timers never fire early, so
//! they hold however loaded the machine is; upper bounds leave seconds of slack.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use voipms_sim::config::{DEMO_PASSWORD, DEMO_USERNAME};
use voipms_sim::gen::GenParams;

const SMALL: GenParams = GenParams {
    calls: 300,
    seed: 13,
    end: END,
};

/// The header timeout of the servers whose connections are expected to time out.
const SHORT: Duration = Duration::from_secs(1);

/// How long after the start a connection that should time out may still be open.
const CLOSE_DEADLINE: Duration = Duration::from_secs(5);

/// The first part of a request line, never finished.
const HALF_REQUEST: &[u8] = b"GET /api/v1/rest.php?method=getRou";

/// Timer granularity: a timeout of `d` is seen after no less than `d` minus this.
const SLACK: Duration = Duration::from_millis(50);

/// Reads until the server closes the connection (EOF or reset) and returns what it sent;
/// panics if it is still open `deadline` after `start`.
async fn wait_closed(stream: &mut TcpStream, start: Instant, deadline: Duration) -> Vec<u8> {
    let mut received = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_sub(start.elapsed());
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => panic!(
                "connection still open after {:?}; received {:?}",
                start.elapsed(),
                String::from_utf8_lossy(&received)
            ),
            Ok(Ok(0)) => return received,
            Ok(Ok(n)) => received.extend_from_slice(&buf[..n]),
            Ok(Err(e)) if e.kind() == std::io::ErrorKind::ConnectionReset => return received,
            Ok(Err(e)) => panic!("read failed: {e}"),
        }
    }
}

/// Opens a connection and sends half a request line.
async fn slowloris(addr: SocketAddr) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(HALF_REQUEST).await.unwrap();
    stream
}

/// Whether the server still holds `stream` open: nothing to read, and no EOF.
fn still_open(stream: &TcpStream) -> bool {
    let mut buf = [0u8; 16];
    matches!(stream.try_read(&mut buf), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock)
}

/// A complete getRoutes request with `Connection: close`, answered within `deadline` of
/// `start`; returns the whole answer.
async fn get_routes(addr: SocketAddr, start: Instant, deadline: Duration) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let request = format!(
        "GET /api/v1/rest.php?api_username={}&api_password={DEMO_PASSWORD}&method=getRoutes \
         HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
        DEMO_USERNAME.replace('@', "%40")
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    String::from_utf8(wait_closed(&mut stream, start, deadline).await).unwrap()
}

fn assert_routes_answer(answer: &str) {
    assert!(answer.starts_with("HTTP/1.1 200 "), "{answer}");
    assert!(answer.contains(r#"{"status":"success""#), "{answer}");
}

#[tokio::test]
async fn half_sent_and_silent_connections_are_closed_after_the_header_timeout() {
    let server = start(SMALL, |o| o.header_timeout = SHORT);
    let start = Instant::now();
    let mut half = slowloris(server.addr()).await;
    let mut silent = TcpStream::connect(server.addr()).await.unwrap();
    let ((half_got, half_at), (silent_got, silent_at)) = tokio::join!(
        async {
            let got = wait_closed(&mut half, start, CLOSE_DEADLINE).await;
            (got, start.elapsed())
        },
        async {
            let got = wait_closed(&mut silent, start, CLOSE_DEADLINE).await;
            (got, start.elapsed())
        },
    );
    // Closed by the timeout, not refused at once, and without an answer.
    assert!(half_at >= SHORT - SLACK, "closed after {half_at:?}");
    assert!(silent_at >= SHORT - SLACK, "closed after {silent_at:?}");
    assert!(
        half_got.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&half_got)
    );
    assert!(silent_got.is_empty());
    // The server is still answering.
    assert_routes_answer(&get_routes(server.addr(), Instant::now(), CLOSE_DEADLINE).await);
}

#[tokio::test]
async fn trickled_headers_do_not_extend_the_header_timeout() {
    let server = start(SMALL, |o| o.header_timeout = SHORT);
    let start = Instant::now();
    let mut stream = slowloris(server.addr()).await;
    // One more byte every 100 ms: each read makes progress, the head never ends.
    let mut buf = [0u8; 64];
    let closed_at = loop {
        assert!(
            start.elapsed() < CLOSE_DEADLINE,
            "still open after {:?}",
            start.elapsed()
        );
        tokio::select! {
            read = stream.read(&mut buf) => match read {
                Ok(0) => break start.elapsed(),
                Ok(n) => panic!("unexpected answer: {:?}", String::from_utf8_lossy(&buf[..n])),
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {
                    break start.elapsed()
                }
                Err(e) => panic!("read failed: {e}"),
            },
            () = tokio::time::sleep(Duration::from_millis(100)) => {
                // Fails once the server has closed; the next read reports how.
                let _ = stream.write_all(b"t").await;
            }
        }
    };
    assert!(closed_at >= SHORT - SLACK, "closed after {closed_at:?}");
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed_after_the_header_timeout() {
    let server = start(SMALL, |o| o.header_timeout = SHORT);
    let start = Instant::now();
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    // HTTP/1.1 without `Connection: close`: the server keeps the connection for the next
    // request, until the timeout.
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: sim\r\n\r\n")
        .await
        .unwrap();
    let got = wait_closed(&mut stream, start, CLOSE_DEADLINE).await;
    let closed_at = start.elapsed();
    let got = String::from_utf8_lossy(&got);
    assert!(got.starts_with("HTTP/1.1 200 "), "{got}");
    assert!(closed_at >= SHORT - SLACK, "closed after {closed_at:?}");
}

#[tokio::test]
async fn a_request_is_served_while_slowloris_connections_hold_the_other_slots() {
    // A timeout far beyond the test's length: the held connections must stay open.
    let server = start(SMALL, |o| {
        o.max_connections = 8;
        o.header_timeout = Duration::from_secs(120);
    });
    let mut held = Vec::new();
    for _ in 0..7 {
        held.push(slowloris(server.addr()).await);
    }
    let answer = get_routes(server.addr(), Instant::now(), Duration::from_secs(30)).await;
    assert_routes_answer(&answer);
    // Answered without any of them timing out first.
    assert!(held.iter().all(still_open), "a held connection was closed");
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_for_a_slot() {
    let server = start(SMALL, |o| {
        o.max_connections = 8;
        o.header_timeout = SHORT;
    });
    let start = Instant::now();
    let mut held = Vec::new();
    for _ in 0..8 {
        held.push(slowloris(server.addr()).await);
    }
    // The server says so once it has accepted all eight: from then on, a new connection
    // can only be accepted when one of them times out.
    while !server
        .log_lines()
        .iter()
        .any(|l| l.contains("all 8 connections busy"))
    {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the server never reported its connections busy: {:?}",
            server.log_lines()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let answer = get_routes(server.addr(), start, Duration::from_secs(30)).await;
    let answered_at = start.elapsed();
    assert_routes_answer(&answer);
    assert!(
        answered_at >= SHORT - SLACK,
        "answered after {answered_at:?}, before any slot was free"
    );
    for stream in &mut held {
        let got = wait_closed(stream, start, Duration::from_secs(30)).await;
        assert!(got.is_empty());
    }
}
