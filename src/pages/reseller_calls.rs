//! The Reseller calls page: the call detail records of one reseller client (getResellerCDR).

use cdr_core::view::Scope;
use leptos::prelude::*;

use crate::components::explorer::CdrExplorer;

/// The Reseller calls page.
#[component]
pub fn ResellerCallsPage() -> impl IntoView {
    view! {
        <h1>"Reseller calls"</h1>
        <CdrExplorer scope=Scope::Reseller />
    }
}
