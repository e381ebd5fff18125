//! The request on the wire: credentials, field order and percent-encoding.
//!
//! The portal sends these fields as a `multipart/form-data` POST (the service refuses
//! url-encoded bodies, and a query string would put the password in logs); the query-string
//! form exists for GET, for the simulator, and for round-trip tests.

use std::fmt;

use crate::request::{ApiRequest, ValidationError};
use crate::status::ApiStatus;

/// The API login: the account e-mail and the separate API password.
///
/// `Debug` hides the password and there is no `Display`, so neither a log line nor an error
/// message can leak it by accident.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Credentials {
    /// The API username: the VoIP.ms account e-mail.
    pub username: String,
    /// The API password, set in the VoIP.ms portal; not the portal login password.
    pub password: String,
}

impl Credentials {
    /// Credentials from a username and password.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        Credentials {
            username: username.into(),
            password: password.into(),
        }
    }

    /// Every problem: username and password are both required.
    pub fn errors(&self) -> Vec<ValidationError> {
        let mut errors = Vec::new();
        if self.username.trim().is_empty() {
            errors.push(ValidationError::new(
                "api_username",
                ApiStatus::MissingCredentials,
                "Enter the API username (your VoIP.ms account e-mail) in Settings.",
            ));
        }
        if self.password.is_empty() {
            errors.push(ValidationError::new(
                "api_password",
                ApiStatus::MissingCredentials,
                "Enter the API password in Settings (set in the VoIP.ms portal, not your login password).",
            ));
        }
        errors
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("username", &self.username)
            .field("password", &"[redacted]")
            .finish()
    }
}

/// The request's fields in wire order: `api_username`, `api_password`, `method`, then the
/// method's parameters in the contract's order. Validates credentials and request first.
///
/// ```
/// use cdr_core::request::RatesRequest;
/// use cdr_core::wire::{encode, Credentials};
/// let creds = Credentials::new("me@example.com", "s3cret");
/// let req = RatesRequest { package: "92364".into(), query: "Canada".into() };
/// let fields = encode(&creds, &req).unwrap();
/// assert_eq!(fields[2], ("method", "getRates".to_owned()));
/// assert_eq!(fields[3], ("package", "92364".to_owned()));
/// ```
pub fn encode(
    credentials: &Credentials,
    request: &(impl ApiRequest + ?Sized),
) -> Result<Vec<(&'static str, String)>, ValidationError> {
    if let Some(err) = credentials.errors().into_iter().next() {
        return Err(err);
    }
    request.validate()?;
    let mut fields = vec![
        ("api_username", credentials.username.trim().to_owned()),
        ("api_password", credentials.password.clone()),
        ("method", request.method().as_str().to_owned()),
    ];
    fields.extend(request.params());
    Ok(fields)
}

/// Percent-encodes everything but RFC 3986's unreserved characters, so the result is safe
/// in a query string and in a form body alike.
pub fn percent_encode(text: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` (a space in forms). Broken escapes are kept as written and
/// invalid UTF-8 is replaced, because a query string is untrusted input.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let hex = |b: u8| char::from(b).to_digit(16).map(|d| d as u8);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                if let (Some(hi), Some(lo)) = (
                    bytes.get(i + 1).copied().and_then(hex),
                    bytes.get(i + 2).copied().and_then(hex),
                ) {
                    out.push(hi << 4 | lo);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `k=v&k=v` with keys and values percent-encoded.
pub fn to_query_string<K: AsRef<str>, V: AsRef<str>>(fields: &[(K, V)]) -> String {
    let mut out = String::new();
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(&percent_encode(k.as_ref()));
        out.push('=');
        out.push_str(&percent_encode(v.as_ref()));
    }
    out
}

/// The fields of a query string (a leading `?` is allowed), in order, duplicates kept.
/// A key without `=` has an empty value; empty pieces (`a=1&&b=2`) are skipped.
pub fn fields_from_query(query: &str) -> Vec<(String, String)> {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (k, v) = piece.split_once('=').unwrap_or((piece, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_password() {
        let creds = Credentials::new("me@example.com", "hunter2");
        let shown = format!("{creds:?}");
        assert!(shown.contains("me@example.com"));
        assert!(!shown.contains("hunter2"));
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn percent_encoding() {
        assert_eq!(percent_encode("aZ09-._~"), "aZ09-._~");
        assert_eq!(percent_encode("a b&c=d+e"), "a%20b%26c%3Dd%2Be");
        assert_eq!(percent_encode("é"), "%C3%A9");
        assert_eq!(percent_encode("\"x\" <1>"), "%22x%22%20%3C1%3E");
        assert_eq!(percent_decode("a%20b+c%2b"), "a b c+");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%C3%A9"), "é");
        assert_eq!(percent_decode("%FF"), "\u{FFFD}");
    }

    #[test]
    fn query_strings() {
        let fields = [("a", "1"), ("b c", "x&y"), ("e", "")];
        let q = to_query_string(&fields);
        assert_eq!(q, "a=1&b%20c=x%26y&e=");
        let back = fields_from_query(&format!("?{q}"));
        let expected: Vec<(String, String)> = fields
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        assert_eq!(back, expected);
        assert_eq!(
            fields_from_query("a&&b=2"),
            [
                ("a".to_owned(), String::new()),
                ("b".to_owned(), "2".to_owned())
            ]
        );
        assert!(fields_from_query("").is_empty());
    }
}
