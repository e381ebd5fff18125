//! The Rates page.

use leptos::prelude::*;

use crate::components::placeholder::NotBuiltYet;

/// The Rates page.
#[component]
pub fn RatesPage() -> impl IntoView {
    view! {
        <h1>"Rates"</h1>
        <NotBuiltYet what="rates per package, with margins and a dialed-number lookup." />
    }
}
