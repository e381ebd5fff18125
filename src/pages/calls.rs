//! The Calls page.

use leptos::prelude::*;

use crate::components::placeholder::NotBuiltYet;

/// The Calls page.
#[component]
pub fn CallsPage() -> impl IntoView {
    view! {
        <h1>"Calls"</h1>
        <NotBuiltYet what="the call detail records of your account, with filters, totals, charts and CSV export." />
    }
}
