//! The shell: header with navigation, the current page, and the footer.

use leptos::prelude::*;

use crate::components::explorer::provide_explorer_cache;
use crate::pages::{
    calls::CallsPage, not_found::NotFound, rates::RatesPage, reseller_calls::ResellerCallsPage,
    settings::SettingsPage, termination_rates::TerminationRatesPage,
};
use crate::router::{provide_location, use_location, Page, PAGES};
use crate::settings::provide_connection;

/// The whole app: provides the shared connection settings and the address bar, then draws the
/// shell.
#[component]
pub fn App() -> impl IntoView {
    provide_connection();
    provide_explorer_cache();
    provide_location();
    view! { <Shell /> }
}

/// Header, main content and footer, under a [`provide_location`] of the caller's.
#[component]
pub fn Shell() -> impl IntoView {
    let page = use_location().page();
    // The tab title names the page, so history and tab lists tell pages apart.
    Effect::new(move |_| document().set_title(&format!("{} · cdr-portal", page.get().title())));
    // The page is drawn in a task of its own once the header has painted: two shorter tasks
    // at start instead of one long one, which a slow phone's main thread feels (Lighthouse's
    // Total Blocking Time), and the frame shows at once.
    let started = RwSignal::new(false);
    crate::perf::after_next_paint(move || started.set(true));
    let links = PAGES
        .iter()
        .map(|&(p, href, title)| {
            let current = move || (page.get() == p).then_some("page");
            view! { <li><a href=href aria-current=current>{title}</a></li> }
        })
        .collect_view();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <a class="brand" href="/">"cdr-portal"</a>
            <nav aria-label="Main">
                <ul>{links}</ul>
            </nav>
        </header>
        <main id="main" tabindex="-1">
            {move || started.get().then(|| match page.get() {
                Page::Calls => view! { <CallsPage /> }.into_any(),
                Page::ResellerCalls => view! { <ResellerCallsPage /> }.into_any(),
                Page::Rates => view! { <RatesPage /> }.into_any(),
                Page::TerminationRates => view! { <TerminationRatesPage /> }.into_any(),
                Page::Settings => view! { <SettingsPage /> }.into_any(),
                Page::NotFound => view! { <NotFound /> }.into_any(),
            })}
        </main>
        <footer class="site-footer">
            <span>"cdr-portal v" {crate::VERSION}</span>
        </footer>
    }
}
