//! `voipms-sim`: a simulator of the VoIP.ms REST API for developing and testing cdr-portal.
//!
//! It answers `/api/v1/rest.php` as the contract (`shared/api-contract.md`) describes, from
//! a SQLite store of generated data, and serves the built portal at `/`. The binary is a
//! thin wrapper: tests and benchmarks build an [`AppState`] and call [`serve`] in-process.
//!
//! Modules: [`config`] (flags and options), [`gen`] (the demo data), [`store`] (SQLite),
//! [`methods`] (the eleven API methods), [`handlers`] (HTTP, global checks, faults),
//! [`faults`] (fault directives), [`log`] (one line per request), [`dates`].

#![warn(missing_docs)]

pub mod config;
pub mod dates;
pub mod faults;
pub mod gen;
pub mod handlers;
pub mod log;
pub mod methods;
pub mod store;

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::routing::{any, get};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};

use crate::config::{ServerOptions, API_PATH};
use crate::handlers::RateLimiter;
use crate::store::Store;

/// Everything a request handler needs, cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    store: Store,
    options: ServerOptions,
    limiter: RateLimiter,
}

impl AppState {
    /// State over an open store with these options.
    pub fn new(store: Store, options: ServerOptions) -> Self {
        let limiter = RateLimiter::new(options.rate_limit, Duration::from_secs(60));
        AppState(Arc::new(Shared {
            store,
            options,
            limiter,
        }))
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.0.store
    }

    /// The options.
    pub fn options(&self) -> &ServerOptions {
        &self.0.options
    }

    /// The per-user request counter.
    pub fn limiter(&self) -> &RateLimiter {
        &self.0.limiter
    }
}

/// The whole HTTP application: the API endpoint, and the app (or a text page) at `/`.
///
/// Paths under `/api` other than the endpoint are 404, so that a mistyped API URL never gets
/// the app's index page back as if it were an answer.
pub fn app(state: AppState) -> Router {
    let mut router = Router::new()
        .route(API_PATH, any(handlers::api))
        .route("/api", any(handlers::not_found))
        .route("/api/{*rest}", any(handlers::not_found));
    router = match &state.options().dist {
        Some(dist) => {
            // Deep links (/calls?date_from=…) are not files: they get index.html, and the
            // app's router takes it from there.
            let index = ServeFile::new(dist.join("index.html"))
                .precompressed_br()
                .precompressed_gzip();
            let files = ServeDir::new(dist)
                .precompressed_br()
                .precompressed_gzip()
                .fallback(index);
            router.fallback_service(files)
        }
        None => router.route("/", get(handlers::home)),
    };
    router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            log::log_requests,
        ))
        .with_state(state)
}

/// Serves [`app`] on `listener` until `shutdown` completes, with the peer address available
/// to the IP allow-list.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
