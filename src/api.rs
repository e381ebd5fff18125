//! Talking to the API from the browser: one multipart POST per request, cancellable.
//!
//! What a request holds and how its answer decodes is the core crate's business; this module
//! only moves bytes. Credentials travel in the POST body, never in the URL.

use std::marker::PhantomData;

use cdr_core::decode::{Answered, IntoTable};
use cdr_core::fetch::FetchError;
use cdr_core::request::Method;
use cdr_core::table::CdrTable;
use cdr_core::wire::{encode, Credentials};
use gloo_net::http::Request;
use leptos::prelude::*;
use web_sys::{AbortSignal, FormData};

use crate::settings::Connection;

/// The path of the API under the base URL.
pub const API_PATH: &str = "/api/v1/rest.php";

/// A copy of the connection taken when a request starts, so that typing in Settings while a
/// search runs does not change it halfway.
#[derive(Clone, Debug)]
pub struct Endpoint {
    url: String,
    credentials: Credentials,
}

impl Endpoint {
    /// The endpoint of the current settings, or `None` while the credentials are missing.
    pub fn from_connection(conn: &Connection) -> Option<Endpoint> {
        if !conn.is_complete() {
            return None;
        }
        let base = conn.base_url.get_untracked();
        Some(Endpoint {
            url: format!("{}{API_PATH}", base.trim().trim_end_matches('/')),
            credentials: Credentials::new(
                conn.username.get_untracked().trim(),
                conn.password.get_untracked(),
            ),
        })
    }

    /// Sends `request` and decodes the answer with the request's own decoder; aborted when
    /// `abort` fires.
    pub async fn call<R: Answered>(
        &self,
        request: &R,
        abort: Option<&AbortSignal>,
    ) -> Result<R::Answer, FetchError> {
        let fields = encode(&self.credentials, request)?;
        let (content_type, body) = self.post(&fields, abort).await?;
        let decode = || R::decode(&body, content_type.as_deref());
        // The benchmarks read the CDR decode's User Timing measure.
        Ok(match request.method() {
            Method::GetCdr | Method::GetResellerCdr => crate::perf::measure("cdr:decode", decode),
            _ => decode(),
        }?)
    }

    /// Sends `request` and keeps its answer undecoded, for [`Fetched::into_table`]: the rows
    /// of several requests fetched at once then go into one table one body at a time.
    pub async fn fetch<R: IntoTable>(
        &self,
        request: &R,
        abort: Option<&AbortSignal>,
    ) -> Result<Fetched<R>, FetchError> {
        let fields = encode(&self.credentials, request)?;
        let (content_type, body) = self.post(&fields, abort).await?;
        Ok(Fetched {
            content_type,
            body,
            request: PhantomData,
        })
    }

    /// The part of [`Endpoint::call`] that does not depend on the method: kept out of the
    /// generic function so that each request type adds its encoding and decoding to the
    /// bundle, not another copy of the fetch. Answers the content type and the body of an
    /// HTTP 200.
    async fn post(
        &self,
        fields: &[(&'static str, String)],
        abort: Option<&AbortSignal>,
    ) -> Result<(Option<String>, Vec<u8>), FetchError> {
        let form = FormData::new().map_err(js_error)?;
        for (name, value) in fields {
            form.append_with_str(name, value).map_err(js_error)?;
        }
        let response = Request::post(&self.url)
            .abort_signal(abort)
            .body(form)
            .map_err(gloo_error)?
            .send()
            .await
            .map_err(|e| match abort {
                Some(signal) if signal.aborted() => FetchError::Cancelled,
                _ => gloo_error(e),
            })?;
        let status = response.status();
        let content_type = response.headers().get("content-type");
        let body = response.binary().await.map_err(|e| match abort {
            Some(signal) if signal.aborted() => FetchError::Cancelled,
            _ => gloo_error(e),
        })?;
        if status != 200 {
            let head = &body[..body.len().min(200)];
            return Err(FetchError::Http {
                status,
                first_bytes: String::from_utf8_lossy(head).into_owned(),
            });
        }
        Ok((content_type, body))
    }
}

/// What gloo reports, kept as the error's detail. Not its `Display`, which would bring
/// serde_json's error messages into the bundle: gloo can decode JSON, this app never asks it.
fn gloo_error(e: gloo_net::Error) -> FetchError {
    FetchError::Network(match e {
        gloo_net::Error::JsError(js) => format!("{}: {}", js.name, js.message),
        gloo_net::Error::GlooError(text) => text,
        _ => "gloo-net could not complete the request".to_owned(),
    })
}

/// The message of a browser exception. Not `{e:?}`: `JsValue`'s `Debug` prints numbers,
/// which would bring float printing into the bundle.
fn js_error(e: wasm_bindgen::JsValue) -> FetchError {
    use wasm_bindgen::JsCast;
    let text = match e.dyn_ref::<js_sys::Error>() {
        Some(error) => String::from(error.message()),
        None => e.as_string().unwrap_or_else(|| "unknown error".to_owned()),
    };
    FetchError::Network(text)
}

/// An answer fetched for a request of type `R`, not decoded yet: only `R`'s decoder reads it.
pub struct Fetched<R> {
    content_type: Option<String>,
    body: Vec<u8>,
    request: PhantomData<R>,
}

impl<R: IntoTable> Fetched<R> {
    /// Appends the answer's rows to `table`, and lets the body go.
    pub fn into_table(self, table: &mut CdrTable) -> Result<(), FetchError> {
        crate::perf::measure("cdr:decode", || {
            R::decode_into(&self.body, self.content_type.as_deref(), table)
        })?;
        Ok(())
    }
}
