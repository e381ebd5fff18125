//! The Termination rates page.

use leptos::prelude::*;

use crate::components::placeholder::NotBuiltYet;

/// The Termination rates page.
#[component]
pub fn TerminationRatesPage() -> impl IntoView {
    view! {
        <h1>"Termination rates"</h1>
        <NotBuiltYet what="termination rates per route, Value and Premium side by side." />
    }
}
