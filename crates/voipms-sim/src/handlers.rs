//! The HTTP side of the API endpoint: request forms, the global checks of the contract
//! (§5), rate limit, faults, and the response (streamed for CDR searches, see [`stream`]).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{ConnectInfo, FromRequest, Multipart, Request, State};
use axum::http::{header, HeaderValue, Method as HttpMethod, StatusCode};
use axum::response::{IntoResponse, Response};
use cdr_core::request::Method;
use cdr_core::status::ApiStatus;

use crate::config::{DEMO_PASSWORD, DEMO_USERNAME};
use crate::faults::{self, FaultPlan};
use crate::log::ApiLog;
use crate::methods::{self, Answer, Params};
use crate::stream::{self, Reply, StreamLog};
use crate::AppState;

/// The longest request line the service accepts (HTTP 414 beyond), as its web server does.
pub const MAX_REQUEST_LINE: usize = 8190;

/// The SOAP fault the real service answers, with HTTP 500, to a POST that is not multipart.
pub const SOAP_FAULT: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8"?>"#,
    "\n",
    r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">"#,
    "<SOAP-ENV:Body><SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode>",
    "<faultstring>Bad Request</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>\n"
);

/// A per-username request counter over fixed one-minute windows.
#[derive(Debug)]
pub struct RateLimiter {
    limit: u32,
    window: Duration,
    counts: Mutex<HashMap<String, (Instant, u32)>>,
}

impl RateLimiter {
    /// At most `limit` requests per `window` per key; a limit of 0 never refuses.
    pub fn new(limit: u32, window: Duration) -> Self {
        RateLimiter {
            limit,
            window,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a request for `key`; false when it is over the limit.
    pub fn allow(&self, key: &str) -> bool {
        if self.limit == 0 {
            return true;
        }
        let now = Instant::now();
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        let entry = counts.entry(key.to_ascii_lowercase()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= self.limit
    }
}

/// Compares without an early exit, so the time taken does not tell how much of a guessed
/// password was right.
fn same_secret(given: &str, expected: &str) -> bool {
    given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn with_log(mut response: Response, log: ApiLog) -> Response {
    response.extensions_mut().insert(log);
    response
}

fn plain(status: StatusCode, content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut response = (status, body.into()).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn json(body: Vec<u8>) -> Response {
    plain(StatusCode::OK, "application/json", body)
}

/// Reads the parameters of a GET (query string) or of a multipart POST (query string, then
/// the form's fields, which win). Any other POST body gets the SOAP fault.
async fn read_params(req: Request) -> Result<Params, Response> {
    let mut params: Vec<(String, String)> = req
        .uri()
        .query()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    match *req.method() {
        HttpMethod::GET | HttpMethod::HEAD => {}
        HttpMethod::POST => {
            let multipart = req
                .headers()
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|ct| {
                    ct.trim_start()
                        .to_ascii_lowercase()
                        .starts_with("multipart/form-data")
                });
            if !multipart {
                return Err(soap_fault());
            }
            // A malformed body yields the fields read so far, as PHP's parser does; the checks
            // then answer missing_method or missing_credentials.
            if let Ok(mut form) = Multipart::from_request(req, &()).await {
                while let Ok(Some(field)) = form.next_field().await {
                    let name = field.name().unwrap_or_default().to_owned();
                    match field.text().await {
                        Ok(value) => params.push((name, value)),
                        Err(_) => break,
                    }
                }
            }
        }
        _ => {
            let mut response = plain(
                StatusCode::METHOD_NOT_ALLOWED,
                "text/plain; charset=utf-8",
                "405 Method Not Allowed\n",
            );
            response
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("GET, POST"));
            return Err(with_log(
                response,
                ApiLog {
                    method: None,
                    outcome: "method_not_allowed".into(),
                    rows: None,
                },
            ));
        }
    }
    Ok(Params(params))
}

fn soap_fault() -> Response {
    with_log(
        plain(
            StatusCode::INTERNAL_SERVER_ERROR,
            "text/xml; charset=utf-8",
            SOAP_FAULT,
        ),
        ApiLog {
            method: None,
            outcome: "soap_fault".into(),
            rows: None,
        },
    )
}

/// The API endpoint.
pub async fn api(State(state): State<AppState>, req: Request) -> Response {
    let line = req.method().as_str().len() + 1 + req.uri().to_string().len() + " HTTP/1.1".len();
    if line > MAX_REQUEST_LINE {
        return with_log(
            plain(
                StatusCode::URI_TOO_LONG,
                "text/html",
                "<html><body><h1>414 Request-URI Too Long</h1></body></html>\n",
            ),
            ApiLog {
                method: None,
                outcome: "uri_too_long".into(),
                rows: None,
            },
        );
    }
    // Without connect info (a router driven in-process without a socket) no IP is allowed.
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_canonical());
    let header_faults = match req.headers().get(faults::HEADER).map(|v| v.to_str()) {
        None => Vec::new(),
        Some(Ok(text)) => match faults::parse_list(text) {
            Ok(list) => list,
            Err(e) => return bad_fault_header(&e.to_string()),
        },
        Some(Err(_)) => return bad_fault_header("the header is not ASCII"),
    };

    let params = match read_params(req).await {
        Ok(params) => params,
        Err(response) => return response,
    };
    let method_name = params.get("method");
    let known = method_name.and_then(Method::from_name);
    let plan = FaultPlan::for_request(
        state.options().faults.iter().chain(&header_faults),
        method_name,
    );
    if !plan.latency.is_zero() {
        tokio::time::sleep(plan.latency).await;
    }
    if plan.http502 {
        return with_log(
            plain(
                StatusCode::BAD_GATEWAY,
                "text/html",
                faults::BAD_GATEWAY_HTML,
            ),
            ApiLog {
                method: known,
                outcome: "http502".into(),
                rows: None,
            },
        );
    }
    let reply = match &plan.status {
        Some(code) => Reply::Whole(Answer::code(code)),
        // A truncated body is half of the whole one, so that answer is built whole.
        None => match answer(&state, params, peer, !plan.truncate).await {
            Ok(reply) => reply,
            Err(e) => {
                eprintln!("voipms-sim: store error: {e}");
                return with_log(
                    plain(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "text/plain; charset=utf-8",
                        "500 Internal Server Error\n",
                    ),
                    ApiLog {
                        method: known,
                        outcome: "store_error".into(),
                        rows: None,
                    },
                );
            }
        },
    };
    let answer = match reply {
        Reply::Whole(answer) => answer,
        Reply::Stream(body, progress) => {
            let mut response = plain(StatusCode::OK, "application/json", Body::new(body));
            response.extensions_mut().insert(StreamLog(progress));
            return with_log(
                response,
                ApiLog {
                    method: known,
                    outcome: "success".into(),
                    rows: None,
                },
            );
        }
    };
    let mut outcome = answer.status;
    let body = if plan.truncate {
        outcome.push_str("+truncated");
        faults::truncate_body(&answer.body)
    } else {
        answer.body
    };
    with_log(
        json(body),
        ApiLog {
            method: known,
            outcome,
            rows: answer.rows,
        },
    )
}

fn bad_fault_header(why: &str) -> Response {
    with_log(
        plain(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            format!("bad X-Sim-Fault header: {why}\n"),
        ),
        ApiLog {
            method: None,
            outcome: "bad_fault_header".into(),
            rows: None,
        },
    )
}

/// The checks of every request, in the contract's order, then the method itself. CDR
/// searches are streamed when `stream` is set, built whole otherwise.
async fn answer(
    state: &AppState,
    params: Params,
    peer: Option<IpAddr>,
    stream: bool,
) -> Result<Reply, crate::store::StoreError> {
    let whole = |status: ApiStatus| Ok(Reply::Whole(Answer::error(status)));
    let Some(method_name) = params.get("method") else {
        return whole(ApiStatus::MissingMethod);
    };
    let (Some(user), Some(password)) = (params.get("api_username"), params.get("api_password"))
    else {
        return whole(ApiStatus::MissingCredentials);
    };
    // The e-mail is case-insensitive, the password is not.
    if !(user.eq_ignore_ascii_case(DEMO_USERNAME) && same_secret(password, DEMO_PASSWORD)) {
        return whole(ApiStatus::InvalidCredentials);
    }
    let options = state.options();
    if !options.api_enabled {
        return whole(ApiStatus::ApiNotEnabled);
    }
    let allowed = peer.is_some_and(|ip| options.allow_ips.iter().any(|a| a.to_canonical() == ip));
    if !allowed {
        return whole(ApiStatus::IpNotEnabled);
    }
    if !state.limiter().allow(user) {
        return whole(ApiStatus::ApiLimitExceeded);
    }
    let Some(method) = Method::from_name(method_name) else {
        return whole(ApiStatus::InvalidMethod);
    };
    match method {
        // No data needed: skip the trip to the blocking pool.
        Method::GetCallBilling => Ok(Reply::Whole(
            methods::dispatch_static(method).expect("getCallBilling is static"),
        )),
        Method::GetCdr | Method::GetResellerCdr if stream => {
            let reseller = method == Method::GetResellerCdr;
            let chunk = options.stream_chunk_bytes;
            stream::cdr(state.store().clone(), params, reseller, chunk).await
        }
        _ => state
            .store()
            .run(move |conn| methods::dispatch(method, &params, conn))
            .await
            .map(Reply::Whole),
    }
}

/// The text page at `/` when no app is served.
pub async fn home() -> Response {
    plain(
        StatusCode::OK,
        "text/plain; charset=utf-8",
        format!(
            "voipms-sim: a simulator of the VoIP.ms REST API.\n\n\
             The API is at {} (GET with a query string, or POST multipart/form-data).\n\
             Demo credentials: api_username={DEMO_USERNAME} api_password={DEMO_PASSWORD}\n\
             Start with --dist DIR to serve the built portal here.\n",
            crate::config::API_PATH
        ),
    )
}

/// 404 for paths under /api other than the endpoint: never the app's index page.
pub async fn not_found() -> Response {
    plain(
        StatusCode::NOT_FOUND,
        "text/plain; charset=utf-8",
        "404 Not Found\n",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limiter_counts_per_user_and_window() {
        let limiter = RateLimiter::new(3, Duration::from_millis(200));
        assert!((0..3).all(|_| limiter.allow("a@example.com")));
        assert!(!limiter.allow("A@example.com"));
        assert!(limiter.allow("b@example.com"));
        std::thread::sleep(Duration::from_millis(250));
        assert!(limiter.allow("a@example.com"));
        let unlimited = RateLimiter::new(0, Duration::from_secs(60));
        assert!((0..10_000).all(|_| unlimited.allow("x")));
    }

    #[test]
    fn secrets_compare_exactly() {
        assert!(same_secret("demo-api-password", "demo-api-password"));
        assert!(!same_secret("demo-api-passwore", "demo-api-password"));
        assert!(!same_secret("demo", "demo-api-password"));
        assert!(!same_secret("", "x"));
    }
}
