//! An honest marker for what is not built yet.

use leptos::prelude::*;

/// Says plainly that a page's content is still to come, and what it will hold.
#[component]
pub fn NotBuiltYet(
    /// What the page will offer once built.
    #[prop(into)]
    what: String,
) -> impl IntoView {
    view! { <p class="not-built">"Not built yet: " {what}</p> }
}
