//! The shell: header with navigation, the routed page, and the footer.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes, A};
use leptos_router::path;

use crate::components::explorer::provide_explorer_cache;
use crate::pages::{
    calls::CallsPage, not_found::NotFound, rates::RatesPage, reseller_calls::ResellerCallsPage,
    settings::SettingsPage, termination_rates::TerminationRatesPage,
};
use crate::settings::provide_connection;

/// The whole app: provides the shared connection settings and routes between the pages.
#[component]
pub fn App() -> impl IntoView {
    provide_connection();
    provide_explorer_cache();
    view! {
        <Router>
            <Shell />
        </Router>
    }
}

/// Header, main content and footer; split from [`App`] so tests can mount it inside their own
/// router.
#[component]
pub fn Shell() -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href="/">"cdr-portal"</a>
            <nav aria-label="Main">
                <ul>
                    <li><A href="/calls">"Calls"</A></li>
                    <li><A href="/reseller-calls">"Reseller calls"</A></li>
                    <li><A href="/rates">"Rates"</A></li>
                    <li><A href="/termination-rates">"Termination rates"</A></li>
                    <li><A href="/settings">"Settings"</A></li>
                </ul>
            </nav>
        </header>
        <main id="main" tabindex="-1">
            <Routes fallback=NotFound>
                <Route path=path!("/") view=|| view! { <Redirect path="/calls" /> } />
                <Route path=path!("/calls") view=CallsPage />
                <Route path=path!("/reseller-calls") view=ResellerCallsPage />
                <Route path=path!("/rates") view=RatesPage />
                <Route path=path!("/termination-rates") view=TerminationRatesPage />
                <Route path=path!("/settings") view=SettingsPage />
            </Routes>
        </main>
        <footer class="site-footer">
            <span>"cdr-portal " {format!("v{}", crate::VERSION)}</span>
        </footer>
    }
}
