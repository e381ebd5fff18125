//! cdr-portal: a browser portal for VoIP.ms call detail records.
//!
//! The app is a Leptos client-side-rendered single-page app. Pages live in [`pages`], shared
//! widgets in [`components`], the connection settings in [`settings`]; the logic that can be
//! tested natively lives in the `cdr-core` crate.

pub mod api;
pub mod app;
pub mod components;
pub mod pages;
pub mod perf;
pub mod reactive;
pub mod router;
pub mod settings;

/// The version shown in the footer, from Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Mounts the app on the document body; called once by `main`.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
