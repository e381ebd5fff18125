//! The CDR explorer shared by the Calls and Reseller calls pages.
//!
//! Data flows one way: address → search (`cdr_core::view::CdrSearch`) → requests (one per
//! window of at most 92 days, two in flight) → decode → row store → the view over the rows
//! ([`rows`]: sort, quick filter, columns, summary, charts) → the components that draw them
//! ([`results`]). The address is the source of truth, so a link or a reload restores the view
//! and Back and Forward move between searches.

pub mod results;
pub mod rows;

use std::sync::Arc;

use cdr_core::fetch::FetchError;
use cdr_core::model::Client;
use cdr_core::request::{
    CallAccountsRequest, CallBillingRequest, CallTypesRequest, CdrRequest, ClientsRequest,
    ResellerCdrRequest, Timezone,
};
use cdr_core::table::CdrTable;
use cdr_core::view::{describe_filter, timezone_from_browser_offset, CdrContext, CdrSearch, Scope};
use futures::StreamExt;
use leptos::prelude::*;

use crate::api::Fetched;
use crate::components::filters::CdrFilters;
use crate::components::form::lookup;
use crate::perf;
use crate::search::{Answer, FetchContext, Progress, SearchPage, UrlSearch};

use self::results::Results;
use self::rows::RowsView;

/// Requests of one search in flight at once: enough to overlap latency, gentle on the API's
/// per-minute limit.
const MAX_IN_FLIGHT: usize = 2;

/// Unicode lower case by the browser's own tables, for the quick filter's non-ASCII text: the
/// same mapping as Rust's, without shipping it in the wasm.
pub fn browser_lowercase(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

impl SearchPage for CdrSearch {
    /// Shared, so that the view over the rows reads them without a copy.
    type Found = Arc<CdrTable>;

    /// Every window, two at a time; the rows replace the earlier ones only when all have
    /// arrived, so that an error or a cancel leaves the earlier results on screen.
    async fn fetch(self, cx: FetchContext) -> Result<Arc<CdrTable>, FetchError> {
        let filter = self
            .validate()
            .map_err(|mut e| FetchError::Invalid(e.remove(0)))?;
        let windows = CdrSearch::windows(&filter);
        let total = windows.len();
        cx.progress.report(Progress {
            done: 0,
            total,
            rows: 0,
        });
        let client = self.client().map(str::to_owned);
        // Fetched two at a time; each body is read into the table as it comes, then dropped,
        // so that no list of row structs is ever held.
        let fetches = windows.into_iter().map(|filter| {
            let (endpoint, abort, client) = (cx.endpoint.clone(), cx.abort.clone(), client.clone());
            async move {
                Ok::<_, FetchError>(match client {
                    Some(client) => {
                        let request = ResellerCdrRequest { client, filter };
                        Body::Reseller(endpoint.fetch(&request, abort.as_ref()).await?)
                    }
                    None => Body::Own(
                        endpoint
                            .fetch(&CdrRequest { filter }, abort.as_ref())
                            .await?,
                    ),
                })
            }
        });
        let mut answers = futures::stream::iter(fetches).buffer_unordered(MAX_IN_FLIGHT);
        let mut table = CdrTable::with_lowercase(browser_lowercase);
        let mut done = 0;
        while let Some(body) = answers.next().await {
            // The first failure ends the search; dropping the stream drops its other requests.
            match body? {
                Body::Own(b) => b.into_table(&mut table)?,
                Body::Reseller(b) => b.into_table(&mut table)?,
            }
            done += 1;
            cx.progress.report(Progress {
                done,
                total,
                rows: table.len(),
            });
        }
        table.shrink_to_fit();
        perf::measure_until_painted("cdr:first-paint");
        Ok(Arc::new(table))
    }
}

/// The undecoded answer of one window, of either explorer.
enum Body {
    Own(Fetched<CdrRequest>),
    Reseller(Fetched<ResellerCdrRequest>),
}

/// A finished CDR search of one explorer.
pub type CdrAnswer = Answer<CdrSearch>;

/// The rows of both explorers, provided once by the app, so that a visit to Settings and back
/// finds the results where they were.
#[derive(Clone, Copy)]
pub struct ExplorerCache {
    own: RwSignal<Option<CdrAnswer>>,
    reseller: RwSignal<Option<CdrAnswer>>,
}

/// Provides the explorers' results to every page.
pub fn provide_explorer_cache() {
    provide_context(ExplorerCache {
        own: RwSignal::new(None),
        reseller: RwSignal::new(None),
    });
}

/// Today's date and the timezone offset of the browser.
fn browser_today_and_tz() -> (chrono::NaiveDate, Timezone) {
    let now = js_sys::Date::new_0();
    let today = chrono::NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default();
    let tz =
        timezone_from_browser_offset(now.get_timezone_offset() as i32).unwrap_or(Timezone::UTC);
    (today, tz)
}

/// The whole explorer for one scope.
#[component]
pub fn CdrExplorer(
    /// getCDR (own calls) or getResellerCDR (a client's calls).
    scope: Scope,
) -> impl IntoView {
    let (today, browser_tz) = browser_today_and_tz();
    let cx = CdrContext {
        today,
        browser_tz,
        scope,
    };
    let store = use_context::<ExplorerCache>().map_or_else(
        || RwSignal::new(None),
        |c| match scope {
            Scope::Own => c.own,
            Scope::Reseller => c.reseller,
        },
    );
    let search = UrlSearch::with_store(cx, store);
    let rows = RowsView::new(store);

    // --- Lookups ---------------------------------------------------------------------------
    // A memo, so that editing another filter does not reload the lists.
    let client = Memo::new(move |_| match scope {
        Scope::Reseller => search.form.with(|s| s.client.clone()),
        Scope::Own => String::new(),
    });
    let client_of = move || Some(client.get()).filter(|c| !c.is_empty());
    let call_types = lookup(move |e, abort| {
        let client = client_of();
        async move { e.call(&CallTypesRequest { client }, abort.as_ref()).await }
    });
    let call_billing =
        lookup(|e, abort| async move { e.call(&CallBillingRequest, abort.as_ref()).await });
    let accounts = lookup(move |e, abort| {
        let client = client_of();
        async move {
            e.call(&CallAccountsRequest { client }, abort.as_ref())
                .await
        }
    });
    let clients = if scope == Scope::Reseller {
        lookup(|e, abort| async move {
            let list = e
                .call(&ClientsRequest { client: None }, abort.as_ref())
                .await?;
            Ok(list.iter().map(Client::choice).collect())
        })
    } else {
        Signal::derive(|| Some(Ok(Vec::new())))
    };

    // What the address asks, in words, from the first frame: the results below answer it.
    let asked = move || {
        search.url.with(|s| {
            let filter = s.validate().ok()?;
            Some(format!("Calls {}.", describe_filter(&filter, s.client())))
        })
    };

    view! {
        <CdrFilters scope form=search.form errors=search.errors today browser_tz
            call_types call_billing accounts clients
            busy=Signal::derive(move || search.busy())
            on_search=Callback::new(move |()| search.submit()) />
        <p class="asked">{asked}</p>
        {search.status()}
        <Results rows store />
    }
}
