//! The Reseller calls page.

use leptos::prelude::*;

use crate::components::placeholder::NotBuiltYet;

/// The Reseller calls page.
#[component]
pub fn ResellerCallsPage() -> impl IntoView {
    view! {
        <h1>"Reseller calls"</h1>
        <NotBuiltYet what="the call detail records of each of your reseller clients." />
    }
}
