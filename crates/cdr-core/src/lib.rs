//! Web-free core of cdr-portal: everything about the VoIP.ms REST API that is not a browser
//! or a server.
//!
//! It is compiled to wasm32 for the portal and natively for the API simulator, so it only
//! depends on serde (to serialize, for the simulator), chrono (without time zones),
//! thiserror and memchr. Answers are read by a JSON parser of its own, and CSV is written
//! by a few lines of its own.
//!
//! - [`request`]: typed requests that validate with the service's own rules;
//! - [`wire`]: credentials and the fields as they are sent;
//! - [`decode`]: bytes to typed rows, tolerant of the API's loose JSON, with errors that say
//!   where and a sentence for the user;
//! - [`model`]: CDR rows, rates, lookups; [`money`] and [`billing`]: exact amounts;
//! - [`rating`]: the rate of a dialled number, margins, and a CDR row's charge explained;
//! - [`status`]: every status code with what to do about it; [`range`]: splitting long
//!   ranges into requests of at most 92 days.
//!
//! ```
//! use cdr_core::decode::decode_cdr;
//! use cdr_core::request::{CdrFilter, CdrRequest, RawCdrForm};
//! use cdr_core::wire::{encode, to_query_string, Credentials};
//!
//! // What a form holds, checked with the service's rules before anything is sent.
//! let form = RawCdrForm {
//!     date_from: "2010-11-30".into(),
//!     date_to: "2010-11-30".into(),
//!     timezone: "-5".into(),
//!     answered: true,
//!     ..RawCdrForm::default()
//! };
//! let filter = CdrFilter::from_form(&form).expect("a valid form");
//! let creds = Credentials::new("me@example.com", "api-password");
//! let fields = encode(&creds, &CdrRequest { filter }).unwrap();
//! assert!(to_query_string(&fields).contains("method=getCDR&date_from=2010-11-30"));
//!
//! // The answer, as bytes, straight into typed rows.
//! let body = br#"{"status":"success","cdr":[{"date":"2010-11-30 10:40:16",
//!     "callerid":"\"John Doe\" <5551112222>","disposition":"ANSWERED",
//!     "seconds":"11","rate":"0.00000000","total":"0.00000000","uniqueid":"128238059"}]}"#;
//! let rows = decode_cdr(body, Some("application/json")).unwrap();
//! assert_eq!(rows[0].callerid, "\"John Doe\" <5551112222>");
//! assert_eq!(rows[0].duration_hms(), "00:00:11");
//!
//! // "Nothing found" is an empty list, not an error.
//! assert!(decode_cdr(br#"{"status":"no_cdr"}"#, None).unwrap().is_empty());
//! ```

#![warn(missing_docs)]

pub mod analytics;
pub mod billing;
pub mod chart;
pub mod columns;
mod de;
pub mod decode;
pub mod display;
pub mod e164;
pub mod export;
pub mod fetch;
pub mod grid;
pub mod html;
mod json;
pub mod model;
pub mod money;
pub mod range;
pub mod rating;
pub mod request;
pub mod status;
pub mod stream;
#[cfg(feature = "synth")]
pub mod synth;
pub mod table;
pub mod url;
pub mod view;
pub mod wire;

pub use decode::DecodeError;
pub use money::Money;
pub use request::{ApiRequest, Method, ValidationError};
pub use status::ApiStatus;
