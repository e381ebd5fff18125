//! One line per request on stderr.
//!
//! The line is built by a pure function from fields the server chose to keep, never from
//! the request's parameters: a password, or a password typed into the wrong field, has no
//! way into it. Paths and codes are cleaned of control characters so that a crafted request
//! cannot forge log lines.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use cdr_core::request::Method;

use crate::stream::StreamLog;
use crate::AppState;

/// Where log lines go.
#[derive(Clone, Default)]
pub enum LogSink {
    /// Standard error, one line per request.
    #[default]
    Stderr,
    /// Nowhere (benchmarks, `--quiet`).
    Silent,
    /// A shared list, so that tests can read what would have been logged.
    Memory(Arc<Mutex<Vec<String>>>),
}

impl std::fmt::Debug for LogSink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            LogSink::Stderr => "Stderr",
            LogSink::Silent => "Silent",
            LogSink::Memory(_) => "Memory",
        })
    }
}

impl LogSink {
    /// Writes one line.
    pub fn write(&self, line: String) {
        match self {
            LogSink::Stderr => eprintln!("{line}"),
            LogSink::Silent => {}
            LogSink::Memory(lines) => lines.lock().unwrap_or_else(|e| e.into_inner()).push(line),
        }
    }
}

/// What the API handler tells the log about a request, carried as a response extension.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiLog {
    /// The API method, when it was one the service knows.
    pub method: Option<Method>,
    /// The API status answered (`success`, an error code), or what replaced the answer
    /// (`http502`, `soap_fault`, …).
    pub outcome: String,
    /// Rows in the answer, for list methods that succeeded.
    pub rows: Option<usize>,
}

/// Everything one log line shows.
#[derive(Clone, Debug)]
pub struct LogRecord<'a> {
    /// HTTP method.
    pub http_method: &'a str,
    /// Request path, without the query string (which may hold credentials).
    pub path: &'a str,
    /// HTTP status answered.
    pub http_status: u16,
    /// Time from the request's arrival to its answer being ready; for a streamed answer,
    /// to its end.
    pub elapsed: Duration,
    /// API details, for API requests.
    pub api: Option<&'a ApiLog>,
    /// For a streamed answer, the time to its head (sent with the first row).
    pub first_byte: Option<Duration>,
}

fn clean(text: &str, max: usize) -> String {
    text.chars()
        .take(max)
        .map(|c| if c.is_control() || c == ' ' { '?' } else { c })
        .collect()
}

/// The log line of a request, e.g.
/// `POST /api/v1/rest.php getCDR 200 success 12.3ms rows=1234`.
pub fn format_line(rec: &LogRecord<'_>) -> String {
    let mut line = format!("{} {}", clean(rec.http_method, 16), clean(rec.path, 200));
    if let Some(api) = rec.api {
        let method = api.method.map_or("-", Method::as_str);
        let _ = write!(
            line,
            " {method} {} {}",
            rec.http_status,
            clean(&api.outcome, 64)
        );
    } else {
        let _ = write!(line, " {}", rec.http_status);
    }
    let _ = write!(line, " {:.1}ms", rec.elapsed.as_secs_f64() * 1000.0);
    if let Some(rows) = rec.api.and_then(|a| a.rows) {
        let _ = write!(line, " rows={rows}");
    }
    if let Some(first) = rec.first_byte {
        let _ = write!(line, " first={:.1}ms", first.as_secs_f64() * 1000.0);
    }
    line
}

/// The log line of a streamed answer, kept until the answer ends: only then are its time,
/// row count and outcome known.
#[derive(Debug)]
pub struct PendingLine {
    http_method: String,
    path: String,
    http_status: u16,
    api: ApiLog,
    started: Instant,
    first_byte: Duration,
    sink: LogSink,
}

impl PendingLine {
    /// Writes the line, with the answer's outcome (`success`, `success+client_gone`, …) and
    /// the rows read.
    pub fn write(self, outcome: &str, rows: usize) {
        let api = ApiLog {
            outcome: outcome.to_owned(),
            rows: Some(rows),
            ..self.api
        };
        self.sink.write(format_line(&LogRecord {
            http_method: &self.http_method,
            path: &self.path,
            http_status: self.http_status,
            elapsed: self.started.elapsed(),
            api: Some(&api),
            first_byte: Some(self.first_byte),
        }));
    }
}

/// Middleware: times every request and writes its line.
pub async fn log_requests(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let http_method = req.method().as_str().to_owned();
    let path = req.uri().path().to_owned();
    let mut response = next.run(req).await;
    if let Some(StreamLog(progress)) = response.extensions_mut().remove::<StreamLog>() {
        // Taken out of the response so that the body and the reading task are the last
        // holders of the progress: the line is written when both are done.
        let api = response.extensions().get::<ApiLog>().cloned();
        if let Some(api) = api {
            progress.set_line(PendingLine {
                http_method,
                path,
                http_status: response.status().as_u16(),
                api,
                started,
                first_byte: started.elapsed(),
                sink: state.options().log.clone(),
            });
            return response;
        }
    }
    let line = format_line(&LogRecord {
        http_method: &http_method,
        path: &path,
        http_status: response.status().as_u16(),
        elapsed: started.elapsed(),
        api: response.extensions().get::<ApiLog>(),
        first_byte: None,
    });
    state.options().log.write(line);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_api_and_static_lines() {
        let api = ApiLog {
            method: Some(Method::GetCdr),
            outcome: "success".into(),
            rows: Some(42),
        };
        let line = format_line(&LogRecord {
            http_method: "POST",
            path: "/api/v1/rest.php",
            http_status: 200,
            elapsed: Duration::from_micros(12_345),
            api: Some(&api),
            first_byte: None,
        });
        assert_eq!(
            line,
            "POST /api/v1/rest.php getCDR 200 success 12.3ms rows=42"
        );
        let line = format_line(&LogRecord {
            http_method: "GET",
            path: "/calls\n200 forged line",
            http_status: 200,
            elapsed: Duration::from_millis(1),
            api: None,
            first_byte: None,
        });
        assert_eq!(line, "GET /calls?200?forged?line 200 1.0ms");
        assert_eq!(line.lines().count(), 1);
        let line = format_line(&LogRecord {
            http_method: "POST",
            path: "/api/v1/rest.php",
            http_status: 200,
            elapsed: Duration::from_millis(812),
            api: Some(&api),
            first_byte: Some(Duration::from_micros(900)),
        });
        assert_eq!(
            line,
            "POST /api/v1/rest.php getCDR 200 success 812.0ms rows=42 first=0.9ms"
        );
    }
}
