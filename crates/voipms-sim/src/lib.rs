//! `voipms-sim`: a simulator of the VoIP.ms REST API for developing and testing cdr-portal.
//!
//! It answers `/api/v1/rest.php` as the contract (`shared/api-contract.md`) describes, from
//! a SQLite store of generated data, and serves the built portal at `/`. The binary is a
//! thin wrapper: tests and benchmarks build an [`AppState`] and call [`serve`] in-process.
//!
//! Modules: [`config`] (flags and options), [`gen`] (the demo data), [`store`] (SQLite),
//! [`methods`] (the eleven API methods), [`handlers`] (HTTP, global checks, faults),
//! [`stream`] (CDR answers sent as they are read), [`json`] (the rows' JSON), [`faults`]
//! (fault directives), [`log`] (one line per request), [`dates`].

#![warn(missing_docs)]

pub mod config;
pub mod dates;
pub mod faults;
pub mod gen;
pub mod handlers;
pub mod json;
pub mod log;
pub mod methods;
pub mod store;
pub mod stream;

use std::future::Future;
use std::io::ErrorKind;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ConnectInfo;
use axum::routing::{any, get};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpStream;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;
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
///
/// HTTP/1.1 only. A connection must send each request's line and headers within
/// [`ServerOptions::header_timeout`] of its accept or of its previous answer, or it is
/// closed without an answer: that ends slowloris clients and idle keep-alive connections
/// alike. At most [`ServerOptions::max_connections`] connections are served at once; the
/// next clients are not accepted until one closes, and wait in the kernel's accept queue.
/// After `shutdown`, no connection is accepted, idle ones are closed, and the call returns
/// once the answers in progress are sent.
///
/// Accept errors are logged and retried rather than returned: one failed accept (a client
/// gone before it, descriptors short for a moment) is no reason to stop serving the others.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let max_connections = state.options().max_connections.max(1);
    // Waiting for a slot before accepting, rather than accepting and closing at once: an
    // unaccepted connection costs the process no descriptor, and a client of a busy
    // server gets its answer late instead of a reset. Slowloris connections lose their
    // slot after the header timeout, so they delay the clients queued behind them rather
    // than lock them out.
    let slots = Arc::new(Semaphore::new(max_connections as usize));
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(state.options().header_timeout);
    let log = state.options().log.clone();
    let router = app(state);
    // Dropped at shutdown: every connection task sees its receiver's `changed` fail.
    let (closing, closing_rx) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    let mut busy_logged_at: Option<Instant> = None;
    loop {
        let slot = match Arc::clone(&slots).try_acquire_owned() {
            Ok(slot) => slot,
            Err(_) => {
                // Once a minute at most: under a slowloris this would be one line per
                // timed-out connection.
                if busy_logged_at.is_none_or(|at| at.elapsed() >= Duration::from_secs(60)) {
                    log.write(format!(
                        "all {max_connections} connections busy: new clients wait \
                         (--max-connections)"
                    ));
                    busy_logged_at = Some(Instant::now());
                }
                tokio::select! {
                    slot = Arc::clone(&slots).acquire_owned() => {
                        slot.expect("the semaphore is never closed")
                    }
                    () = &mut shutdown => break,
                }
            }
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    drop(slot);
                    if !is_connection_error(&e) {
                        // Out of descriptors or memory: retrying at once would spin.
                        log.write(format!("accept failed: {e}"));
                        tokio::select! {
                            () = tokio::time::sleep(Duration::from_secs(1)) => {}
                            () = &mut shutdown => break,
                        }
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        spawn_connection(&http, &router, stream, peer, slot, closing_rx.clone());
    }
    drop(listener);
    drop(closing);
    // Every connection task holds a slot until it ends.
    let _all = slots.acquire_many(max_connections).await;
    Ok(())
}

/// Serves one accepted connection on its own task, which gives its slot back when the
/// connection ends.
fn spawn_connection(
    http: &http1::Builder,
    router: &Router,
    stream: TcpStream,
    peer: SocketAddr,
    slot: OwnedSemaphorePermit,
    mut closing: watch::Receiver<()>,
) {
    let router = router.clone();
    let service = service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        router.clone().oneshot(request)
    });
    let connection = http.serve_connection(TokioIo::new(stream), service);
    tokio::spawn(async move {
        let mut connection = pin!(connection);
        // An error here is the client's (timeout, reset, malformed request): closing, which
        // dropping does, is all there is to do.
        tokio::select! {
            _ = connection.as_mut() => {}
            _ = closing.changed() => {
                connection.as_mut().graceful_shutdown();
                let _ = connection.await;
            }
        }
        drop(slot);
    });
}

/// Errors of one connection that closed before it was accepted, not of the listener.
fn is_connection_error(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}
