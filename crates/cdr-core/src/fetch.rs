//! Failures of a request as a whole, before or around decoding, with a sentence each.
//!
//! The browser's fetch lives in the app; what went wrong and what to tell the user lives here
//! so that it is tested natively.

use crate::decode::DecodeError;
use crate::request::ValidationError;

/// Why a request produced no result.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The request never got an HTTP answer: the network, DNS, a refused connection, or a
    /// missing CORS header when the base URL is another origin.
    #[error("network error: {0}")]
    Network(String),
    /// An HTTP status other than 200 (the API itself answers 200 for every API outcome).
    #[error("HTTP {status}")]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The start of the body, for the details line.
        first_bytes: String,
    },
    /// A 200 answer that was not a usable API answer, or an API error status.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The request was not sent: a field is missing or wrong (forms check before sending,
    /// so this is mostly missing credentials).
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The user cancelled, or a newer search replaced this one.
    #[error("cancelled")]
    Cancelled,
}

impl FetchError {
    /// A plain sentence for the user: what happened and what to do about it.
    pub fn message(&self) -> String {
        match self {
            FetchError::Network(_) => "The portal could not reach the API. Check your connection and the API base URL in Settings; when the API is on another site, it must be reached through a same-origin reverse proxy.".to_owned(),
            FetchError::Http { status, .. } => http_message(*status),
            FetchError::Decode(e) => e.message(),
            FetchError::Invalid(e) => e.message.clone(),
            FetchError::Cancelled => "The search was cancelled.".to_owned(),
        }
    }

    /// True when retrying the same request could help (faults in transit, limits).
    pub fn is_retryable(&self) -> bool {
        match self {
            FetchError::Network(_) | FetchError::Http { .. } | FetchError::Cancelled => true,
            FetchError::Decode(DecodeError::Api(status)) => !status.is_empty_result(),
            FetchError::Decode(_) => true,
            FetchError::Invalid(_) => false,
        }
    }
}

/// The sentence for an HTTP status that is not 200.
pub fn http_message(status: u16) -> String {
    match status {
        404 => "The API was not found at this address (HTTP 404). Check the API base URL in Settings: requests go to it followed by /api/v1/rest.php.".to_owned(),
        401 | 403 => format!("The server refused the request (HTTP {status}). Check that the reverse proxy forwards /api/v1/rest.php to the API."),
        413 | 414 => format!("The request was too large for the server (HTTP {status}). Choose fewer filters or a shorter range."),
        429 => "Too many requests (HTTP 429). Wait a minute, then try again.".to_owned(),
        500 => "The API failed with an internal error (HTTP 500). Try again in a few minutes; if it persists, check that requests are sent as multipart form data.".to_owned(),
        502..=504 => format!("The API or the proxy in front of it is unavailable (HTTP {status}). Try again in a few minutes."),
        _ => format!("The server answered HTTP {status} instead of API data. Try again; if it persists, check the API base URL in Settings."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::ApiStatus;

    #[test]
    fn every_failure_has_a_sentence_that_says_what_to_do() {
        let cases = [
            (
                FetchError::Network("TypeError: Failed to fetch".into()),
                "base URL",
            ),
            (
                FetchError::Http {
                    status: 502,
                    first_bytes: "<html>".into(),
                },
                "HTTP 502",
            ),
            (
                FetchError::Http {
                    status: 404,
                    first_bytes: String::new(),
                },
                "/api/v1/rest.php",
            ),
            (
                FetchError::Http {
                    status: 418,
                    first_bytes: String::new(),
                },
                "HTTP 418",
            ),
            (
                FetchError::Decode(DecodeError::Api(ApiStatus::IpNotEnabled)),
                "allow-list",
            ),
            (FetchError::Cancelled, "cancelled"),
        ];
        for (err, needle) in cases {
            let m = err.message();
            assert!(m.contains(needle), "{m:?} lacks {needle:?}");
            assert!(m.ends_with('.'), "{m:?} is not a sentence");
        }
    }

    #[test]
    fn empty_results_are_not_worth_retrying_but_faults_are() {
        assert!(!FetchError::Decode(DecodeError::Api(ApiStatus::NoCdr)).is_retryable());
        assert!(FetchError::Decode(DecodeError::Api(ApiStatus::ApiLimitExceeded)).is_retryable());
        assert!(FetchError::Http {
            status: 502,
            first_bytes: String::new()
        }
        .is_retryable());
    }
}
