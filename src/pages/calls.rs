//! The Calls page: the account's own call detail records (getCDR).

use cdr_core::view::Scope;
use leptos::prelude::*;

use crate::components::explorer::CdrExplorer;

/// The Calls page.
#[component]
pub fn CallsPage() -> impl IntoView {
    view! {
        <h1>"Calls"</h1>
        <CdrExplorer scope=Scope::Own />
    }
}
