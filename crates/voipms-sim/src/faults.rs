//! Fault injection for tests: the failures a client meets in the field, on demand.
//!
//! A fault list is a comma-separated list of directives `KIND[=ARG][@METHOD]`, given either
//! on the command line (`--fault`, one directive or list per flag, applied to every API
//! request) or per request in the `X-Sim-Fault` header (so one browser test can break one
//! call without restarting the server). Kinds:
//!
//! - `latency=MS`: wait MS milliseconds before answering (several add up);
//! - `http502`: answer HTTP 502 with an HTML page, as a CDN in front of the service does;
//! - `truncate`: cut the JSON body in half, still HTTP 200 `application/json` (a CDR
//!   answer, otherwise streamed, is then built whole: the half needs the whole length);
//! - `status=CODE`: answer `{"status":"CODE"}` instead of processing the request (for
//!   browser tests that cannot change their IP or credentials).
//!
//! `@METHOD` limits a directive to requests whose `method` is METHOD (case-insensitive).

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// The name of the request header that carries per-request faults.
pub const HEADER: &str = "x-sim-fault";

/// The longest latency a directive may ask for, so a typo cannot hang a test run.
pub const MAX_LATENCY_MS: u64 = 120_000;

/// What a fault does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultKind {
    /// Wait this long before answering.
    Latency(Duration),
    /// Answer HTTP 502 with an HTML error page.
    Http502,
    /// Cut the JSON body in half.
    Truncate,
    /// Answer this API status code instead of processing the request.
    Status(String),
}

/// One directive: a fault, optionally limited to one API method.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    /// What to do.
    pub kind: FaultKind,
    /// The API method it applies to; `None` for every method.
    pub method: Option<String>,
}

/// Why a fault directive was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FaultError {
    /// The kind is not one of latency, http502, truncate, status.
    #[error("unknown fault kind `{0}` (expected latency=MS, http502, truncate or status=CODE)")]
    UnknownKind(String),
    /// The kind needs an argument that is missing or malformed.
    #[error("fault `{0}` has a missing or malformed argument")]
    BadArgument(String),
    /// The kind takes no argument but got one.
    #[error("fault `{0}` takes no argument")]
    UnexpectedArgument(String),
    /// `@` was followed by nothing.
    #[error("fault `{0}` names an empty method after @")]
    EmptyMethod(String),
}

impl Fault {
    /// Whether this directive applies to a request for `method`.
    pub fn applies_to(&self, method: Option<&str>) -> bool {
        match (&self.method, method) {
            (None, _) => true,
            (Some(want), Some(got)) => want.eq_ignore_ascii_case(got),
            (Some(_), None) => false,
        }
    }
}

impl FromStr for Fault {
    type Err = FaultError;

    fn from_str(text: &str) -> Result<Fault, FaultError> {
        let text = text.trim();
        let (spec, method) = match text.split_once('@') {
            Some((spec, method)) => {
                let method = method.trim();
                if method.is_empty() {
                    return Err(FaultError::EmptyMethod(text.to_owned()));
                }
                (spec.trim(), Some(method.to_owned()))
            }
            None => (text, None),
        };
        let (kind, arg) = match spec.split_once('=') {
            Some((kind, arg)) => (kind.trim(), Some(arg.trim())),
            None => (spec, None),
        };
        let kind = match (kind.to_ascii_lowercase().as_str(), arg) {
            ("latency", Some(ms)) => {
                let ms: u64 = ms
                    .parse()
                    .ok()
                    .filter(|ms| *ms <= MAX_LATENCY_MS)
                    .ok_or_else(|| FaultError::BadArgument(text.to_owned()))?;
                FaultKind::Latency(Duration::from_millis(ms))
            }
            ("status", Some(code)) => {
                // Any word is allowed, also unknown codes: the portal must show those as text.
                let ok = !code.is_empty()
                    && code.len() <= 64
                    && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
                if !ok {
                    return Err(FaultError::BadArgument(text.to_owned()));
                }
                FaultKind::Status(code.to_owned())
            }
            ("latency" | "status", None) => return Err(FaultError::BadArgument(text.to_owned())),
            ("http502", None) => FaultKind::Http502,
            ("truncate", None) => FaultKind::Truncate,
            ("http502" | "truncate", Some(_)) => {
                return Err(FaultError::UnexpectedArgument(text.to_owned()))
            }
            _ => return Err(FaultError::UnknownKind(kind.to_owned())),
        };
        Ok(Fault { kind, method })
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            FaultKind::Latency(d) => write!(f, "latency={}", d.as_millis())?,
            FaultKind::Http502 => f.write_str("http502")?,
            FaultKind::Truncate => f.write_str("truncate")?,
            FaultKind::Status(code) => write!(f, "status={code}")?,
        }
        if let Some(method) = &self.method {
            write!(f, "@{method}")?;
        }
        Ok(())
    }
}

/// Parses a comma-separated list of directives; blank items are skipped.
pub fn parse_list(text: &str) -> Result<Vec<Fault>, FaultError> {
    text.split(',')
        .filter(|item| !item.trim().is_empty())
        .map(str::parse)
        .collect()
}

/// What the faults that apply to one request add up to.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FaultPlan {
    /// Total added delay.
    pub latency: Duration,
    /// Answer HTTP 502.
    pub http502: bool,
    /// Cut the body in half.
    pub truncate: bool,
    /// Answer this status instead of processing; the first directive that names one wins.
    pub status: Option<String>,
}

impl FaultPlan {
    /// Combines the directives that apply to a request for `method`.
    pub fn for_request<'a>(
        faults: impl IntoIterator<Item = &'a Fault>,
        method: Option<&str>,
    ) -> Self {
        let mut plan = FaultPlan::default();
        for fault in faults.into_iter().filter(|f| f.applies_to(method)) {
            match &fault.kind {
                FaultKind::Latency(d) => plan.latency += *d,
                FaultKind::Http502 => plan.http502 = true,
                FaultKind::Truncate => plan.truncate = true,
                FaultKind::Status(code) => {
                    plan.status.get_or_insert_with(|| code.clone());
                }
            }
        }
        plan
    }
}

/// The body of the injected HTTP 502: the bare nginx-style page a CDN edge serves.
pub const BAD_GATEWAY_HTML: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n</body>\r\n</html>\r\n";

/// A JSON body cut in half, at a byte boundary that may split a UTF-8 sequence, as a
/// dropped connection would.
pub fn truncate_body(body: &[u8]) -> Vec<u8> {
    body[..body.len() / 2].to_vec()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_kind() {
        let list =
            parse_list("latency=250, http502@getCDR ,truncate,status=ip_not_enabled@getRates")
                .unwrap();
        assert_eq!(
            list,
            vec![
                Fault {
                    kind: FaultKind::Latency(Duration::from_millis(250)),
                    method: None
                },
                Fault {
                    kind: FaultKind::Http502,
                    method: Some("getCDR".into())
                },
                Fault {
                    kind: FaultKind::Truncate,
                    method: None
                },
                Fault {
                    kind: FaultKind::Status("ip_not_enabled".into()),
                    method: Some("getRates".into())
                },
            ]
        );
        assert_eq!(list[1].to_string(), "http502@getCDR");
        assert_eq!(parse_list("").unwrap(), vec![]);
    }

    #[test]
    fn refuses_bad_directives() {
        for bad in [
            "slow",
            "latency",
            "latency=abc",
            "latency=-5",
            "latency=999999999",
            "status",
            "status=",
            "status=a b",
            "status=<x>",
            "http502=1",
            "truncate=yes",
            "http502@",
        ] {
            assert!(parse_list(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn plan_filters_by_method_and_adds_latency() {
        let list =
            parse_list("latency=100,latency=50@getCDR,status=a@getCDR,status=b,truncate@getRoutes")
                .unwrap();
        let cdr = FaultPlan::for_request(&list, Some("getcdr"));
        assert_eq!(cdr.latency, Duration::from_millis(150));
        assert_eq!(cdr.status.as_deref(), Some("a"));
        assert!(!cdr.truncate && !cdr.http502);
        let routes = FaultPlan::for_request(&list, Some("getRoutes"));
        assert_eq!(routes.latency, Duration::from_millis(100));
        assert_eq!(routes.status.as_deref(), Some("b"));
        assert!(routes.truncate);
        let none = FaultPlan::for_request(&list, None);
        assert_eq!(none.status.as_deref(), Some("b"));
        assert!(!none.truncate);
    }

    #[test]
    fn truncation_halves() {
        assert_eq!(
            truncate_body(b"{\"status\":\"success\"}"),
            b"{\"status\":".to_vec()
        );
    }
}
