//! One way to run a search driven by the address bar, for every page that searches.
//!
//! A page describes its search as a [`SearchPage`]: the query keys it owns (through
//! `cdr_core::url::UrlState`), how it validates, whether the address asks for it, and how it
//! fetches. [`UrlSearch`] does the rest, the same way on every page: the draft form (reset
//! only when the search in the address changes), checking before any request, the request
//! itself (aborted by a newer search, by Cancel and when the page goes), progress, the error
//! with Retry, and the notices. [`Fetcher`] is its lower half, for panels that fetch without
//! an address of their own.

use std::future::Future;

use cdr_core::fetch::FetchError;
use cdr_core::request::ValidationError;
use cdr_core::url::{mentions, SearchState};
use leptos::prelude::*;
use web_sys::AbortSignal;

use crate::api::Endpoint;
use crate::router::{use_location, Location, Query};
use crate::settings::{use_connection, Connection};
use crate::task::{Job, Requests};

/// How far a search of several requests has got.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Requests answered.
    pub done: usize,
    /// Requests in all; 0 until known.
    pub total: usize,
    /// Rows received so far.
    pub rows: usize,
}

/// Something to tell the user that is not a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// Nothing can be fetched before the credentials are entered.
    NeedsCredentials,
    /// The user cancelled; the earlier results stay.
    Cancelled,
}

/// What a running fetch is given: where to send, how its requests are aborted, and where it
/// reports its progress.
pub struct FetchContext {
    /// A copy of the connection taken when the search started.
    pub endpoint: Endpoint,
    /// Hand it to every request: it fires when the search is replaced, cancelled or its page
    /// goes.
    pub abort: Option<AbortSignal>,
    /// Sets the progress shown.
    pub progress: Reporter,
}

/// Reports progress to the page; a write after the page is gone does nothing.
#[derive(Clone, Copy)]
pub struct Reporter(RwSignal<Option<Progress>>);

impl Reporter {
    /// Shows `p`.
    pub fn report(&self, p: Progress) {
        self.0.set(Some(p));
    }
}

/// One fetch at a time, with its last good answer, its failure and its progress. A failure or
/// a cancel keeps the last answer, so that its rows stay on screen.
pub struct Fetcher<T: Send + Sync + 'static> {
    /// The last successful answer.
    pub data: RwSignal<Option<T>>,
    /// Why the last fetch failed, until the next one starts.
    pub error: RwSignal<Option<FetchError>>,
    /// `Some` while a fetch runs.
    pub progress: RwSignal<Option<Progress>>,
    /// A notice for the user.
    pub notice: RwSignal<Option<Notice>>,
    job: StoredValue<Job>,
    conn: Connection,
}

impl<T: Send + Sync + 'static> Clone for Fetcher<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Fetcher<T> {}

impl<T: Send + Sync + 'static> Fetcher<T> {
    /// A fetcher whose answers go to `data`, which may outlive the page (the explorers keep
    /// their rows across pages); what runs is aborted when the current owner is cleaned up.
    pub fn new(data: RwSignal<Option<T>>) -> Self {
        Fetcher {
            data,
            error: RwSignal::new(None),
            progress: RwSignal::new(None),
            notice: RwSignal::new(None),
            job: StoredValue::new(Job::new()),
            conn: use_connection(),
        }
    }

    /// Whether a fetch runs.
    pub fn busy(&self) -> bool {
        self.progress.with(Option::is_some)
    }

    /// Starts `fetch`, replacing the one running; without credentials, says so instead.
    pub fn start<F, Fut>(&self, fetch: F)
    where
        F: FnOnce(FetchContext) -> Fut + 'static,
        Fut: Future<Output = Result<T, FetchError>> + 'static,
    {
        // Untracked: a search started by an effect must not run again on every keystroke
        // in Settings.
        let Some(endpoint) = untrack(|| Endpoint::from_connection(&self.conn)) else {
            self.job.with_value(Job::abort);
            self.progress.set(None);
            self.notice.set(Some(Notice::NeedsCredentials));
            return;
        };
        self.error.set(None);
        self.notice.set(None);
        self.progress.set(Some(Progress::default()));
        let this = *self;
        self.job.with_value(|job| {
            job.start(async move {
                let requests = Requests::new();
                let cx = FetchContext {
                    endpoint,
                    abort: requests.signal(),
                    progress: Reporter(this.progress),
                };
                let result = fetch(cx).await;
                // Only reached while the page is there: the job is aborted with it.
                this.progress.set(None);
                match result {
                    Ok(value) => this.data.set(Some(value)),
                    Err(FetchError::Cancelled) => {}
                    Err(e) => this.error.set(Some(e)),
                }
            })
        });
    }

    /// Stops the running fetch, if any; the last answer stays.
    pub fn cancel(&self) {
        self.job.with_value(Job::abort);
        self.progress.set(None);
    }
}

/// A search whose state lives in the address bar (see `cdr_core::url::SearchState` for what
/// it checks), and how it fetches.
pub trait SearchPage: SearchState + Send + Sync + 'static {
    /// What a finished search keeps on screen.
    type Found: Send + Sync + 'static;

    /// Runs the search: one or more requests, each with `cx.abort`.
    fn fetch(self, cx: FetchContext) -> impl Future<Output = Result<Self::Found, FetchError>>;
}

/// A finished search: what was asked and what came back.
pub struct Answer<S: SearchPage> {
    /// The search as it was asked.
    pub search: S,
    /// What came back.
    pub found: S::Found,
}

/// The search of a page, driven by its address. `Copy`: closures hold it freely.
pub struct UrlSearch<S: SearchPage>
where
    S::Context: Send + Sync,
{
    /// The search the address holds.
    pub url: Memo<S>,
    /// The form being edited; reset when the address's search changes, never by other parts
    /// of the address (a sort, a quick filter).
    pub form: RwSignal<S>,
    /// Problems found by the last check, each naming its field.
    pub errors: RwSignal<Vec<ValidationError>>,
    /// The request, its answer, failure and progress.
    pub fetcher: Fetcher<Answer<S>>,
    query: Memo<Query>,
    location: Location,
}

impl<S: SearchPage> Clone for UrlSearch<S>
where
    S::Context: Send + Sync,
{
    fn clone(&self) -> Self {
        *self
    }
}

impl<S: SearchPage> Copy for UrlSearch<S> where S::Context: Send + Sync {}

impl<S: SearchPage> UrlSearch<S>
where
    S::Context: Send + Sync + 'static,
{
    /// The page's search, its answers kept by the page.
    pub fn new(cx: S::Context) -> Self {
        Self::with_store(cx, RwSignal::new(None))
    }

    /// The page's search, its answers kept in `store`, which may outlive the page: coming
    /// back to a page whose answer matches its address shows it without fetching again.
    pub fn with_store(cx: S::Context, store: RwSignal<Option<Answer<S>>>) -> Self {
        let location = use_location();
        let query = location.query();
        let url = Memo::new(move |_| query.with(|q| q.read::<S>(&cx)));
        let search = UrlSearch {
            url,
            form: RwSignal::new(url.get_untracked()),
            errors: RwSignal::new(Vec::new()),
            fetcher: Fetcher::new(store),
            query,
            location,
        };
        // Every search in the address (a submit, a link, Back) is checked, then fetched.
        Effect::new(move |_| {
            let asked = url.get();
            search.form.update(|form| {
                let mut next = asked.clone();
                next.keep_from(form);
                *form = next;
            });
            if !asked.is_asked() {
                search.errors.set(Vec::new());
                return;
            }
            let errors = asked.errors();
            let valid = errors.is_empty();
            // A first visit's defaults are no mistake to point out; a link's values are.
            let from_link = query.with_untracked(|q| mentions::<S>(q.fields()));
            search
                .errors
                .set(if from_link { errors } else { Vec::new() });
            let shown = store.with_untracked(|a| a.as_ref().is_some_and(|a| a.search == asked));
            if valid && !shown {
                search.run(asked);
            }
        });
        search
    }

    /// Fetches `search` now.
    fn run(&self, search: S) {
        self.fetcher.start(move |cx| async move {
            let found = search.clone().fetch(cx).await?;
            Ok(Answer { search, found })
        });
    }

    /// Checks the form, then puts it in the address, which fetches; the same search again
    /// fetches again (a refresh).
    pub fn submit(&self) {
        let mut form = self.form.get_untracked();
        form.tidy();
        let errors = form.errors();
        if !errors.is_empty() {
            self.errors.set(errors);
            return;
        }
        self.errors.set(Vec::new());
        let current = self.url.get_untracked();
        if form.to_query() == current.to_query() {
            self.run(current);
        } else {
            let next = self.query.with_untracked(|q| q.with_leading_part(&form));
            self.location.set_query(&next, false);
        }
    }

    /// Fetches the address's search again, after a failure.
    pub fn retry(&self) {
        self.run(self.url.get_untracked());
    }

    /// Stops the running search; the earlier results stay and a notice says so.
    pub fn cancel(&self) {
        self.fetcher.cancel();
        self.fetcher.notice.set(Some(Notice::Cancelled));
    }

    /// Whether a search runs.
    pub fn busy(&self) -> bool {
        self.fetcher.busy()
    }

    /// The status of the search for [`SearchStatus`].
    pub fn status(&self) -> impl IntoView {
        let this = *self;
        let has_answer = Signal::derive(move || this.fetcher.data.with(Option::is_some));
        view! {
            <SearchStatus
                progress=this.fetcher.progress
                notice=this.fetcher.notice
                error=this.fetcher.error
                has_answer
                on_retry=Callback::new(move |()| this.retry())
                on_cancel=Callback::new(move |()| this.cancel())
            />
        }
    }
}

/// Where a search stands, the same on every page: the credentials notice, the progress with
/// Cancel, the failure with Retry, the notice after a cancel.
#[component]
pub fn SearchStatus(
    /// `Some` while the search runs.
    #[prop(into)]
    progress: Signal<Option<Progress>>,
    /// A notice, if any.
    #[prop(into)]
    notice: Signal<Option<Notice>>,
    /// The failure, if any.
    #[prop(into)]
    error: Signal<Option<FetchError>>,
    /// Whether earlier results are on screen (a failure keeps them).
    #[prop(into)]
    has_answer: Signal<bool>,
    /// Called by Retry.
    on_retry: Callback<()>,
    /// Called by Cancel.
    on_cancel: Callback<()>,
) -> impl IntoView {
    let running = move || {
        progress.get().map(|p| {
            let text = if p.total > 0 {
                format!(
                    "Fetching window {} of {} · {} rows so far",
                    (p.done + 1).min(p.total),
                    p.total,
                    cdr_core::display::count(p.rows as u64)
                )
            } else {
                "Searching…".to_owned()
            };
            view! {
                <div class="progress" role="status" aria-live="polite">
                    <label for="search-progress">{text}</label>
                    <progress id="search-progress" max=p.total.max(1) value=p.done></progress>
                    <button type="button" on:click=move |_| on_cancel.run(())>"Cancel"</button>
                </div>
            }
        })
    };
    let notice = move || {
        notice.get().map(|n| match n {
            Notice::NeedsCredentials => view! {
                <p class="notice" role="status">
                    "Enter your API username and password in Settings, then search. "
                    <a href="/settings">"Go to Settings"</a>
                </p>
            }
            .into_any(),
            Notice::Cancelled => view! {
                <p class="notice" role="status">
                    "Search cancelled. The earlier results are still shown."
                </p>
            }
            .into_any(),
        })
    };
    view! {
        {running}
        {notice}
        <ErrorBox error has_answer on_retry />
    }
}

/// A failure with what to do and a Retry button; says so when earlier results stay shown.
#[component]
pub fn ErrorBox(
    /// The failure, if any.
    #[prop(into)]
    error: Signal<Option<FetchError>>,
    /// Whether earlier results are on screen.
    #[prop(into)]
    has_answer: Signal<bool>,
    /// Called by Retry.
    on_retry: Callback<()>,
) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <div class="error" role="alert">
                    <p>{e.message()}</p>
                    <Show when=move || has_answer.get()>
                        <p class="hint">"The results of the previous search are still shown below."</p>
                    </Show>
                    <button type="button" on:click=move |_| on_retry.run(())>"Retry"</button>
                </div>
            }
        })
    }
}
