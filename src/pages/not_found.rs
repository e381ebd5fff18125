//! What an unknown address shows.

use leptos::prelude::*;

/// Shown for an address that matches no page, with a way back.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is no page at this address. " <a href="/calls">"Go to Calls"</a></p>
    }
}
