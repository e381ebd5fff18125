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
pub mod router;
pub mod search;
pub mod settings;
pub mod task;

/// The version shown in the footer, from Cargo.toml.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Mounts the app on the document body; called once by `main`.
pub fn mount() {
    std::panic::set_hook(Box::new(report_panic));
    leptos::mount::mount_to_body(app::App);
}

/// Tells the user, and the console, that the app stopped: the release build aborts at a
/// panic, which would otherwise leave a page that silently no longer answers.
fn report_panic(info: &std::panic::PanicHookInfo<'_>) {
    show_fatal_error(&format!("cdr-portal stopped on an internal error: {info}"));
}

/// Logs `message` and puts it in an alert at the top of the page, with what to do next.
pub fn show_fatal_error(message: &str) {
    leptos::logging::error!("{message}");
    let document = leptos::prelude::document();
    let (Ok(alert), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    let _ = alert.set_attribute("class", "error");
    let _ = alert.set_attribute("role", "alert");
    alert.set_text_content(Some(&format!(
        "{message}. Reload the page to go on: your filters are kept in the address. Please report what you did before this happened."
    )));
    let _ = body.prepend_with_node_1(&alert);
}
