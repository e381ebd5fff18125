//! What the two rate pages share: lookup lists for their selects, a cancellable search whose
//! earlier answer stays on screen when a new one fails, and the error and notice boxes.

use std::future::Future;

use cdr_core::fetch::FetchError;
use cdr_core::model::ValueDescription;
use cdr_core::request::ValidationError;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{AbortController, AbortSignal};

use crate::api::Endpoint;
use crate::settings::use_connection;

/// A select's choices: `None` while loading, then the list or why it could not be loaded.
pub type Choices = Option<Result<Vec<ValueDescription>, String>>;

/// Loads a lookup list, again whenever the credentials or a signal read by `load` change.
pub fn lookup<F>(load: impl Fn(Endpoint) -> F + 'static) -> Signal<Choices>
where
    F: Future<Output = Result<Vec<ValueDescription>, FetchError>> + 'static,
{
    let conn = use_connection();
    let res = LocalResource::new(move || {
        conn.base_url.track();
        conn.username.track();
        conn.password.track();
        let fut = Endpoint::from_connection(&conn).map(&load);
        async move {
            match fut {
                Some(f) => Some(f.await.map_err(|e| e.message())),
                None => Some(Err("enter your API credentials in Settings".to_owned())),
            }
        }
    });
    Signal::derive(move || res.get().flatten())
}

/// The `<option>`s of a lookup select; a value that the list lacks (from a hand-edited link)
/// stays visible rather than silently changing.
pub fn choice_options(
    choices: Signal<Choices>,
    current: Signal<String>,
    placeholder: &'static str,
) -> impl IntoView {
    move || {
        let current = current.get();
        let mut list: Vec<(String, String)> = match choices.get() {
            Some(Ok(list)) => list.into_iter().map(|o| (o.value, o.description)).collect(),
            _ => Vec::new(),
        };
        if !current.is_empty() && !list.iter().any(|(v, _)| *v == current) {
            list.push((current.clone(), current.clone()));
        }
        let first =
            view! { <option value="" prop:selected=current.is_empty()>{placeholder}</option> };
        let rest = list
            .into_iter()
            .map(|(value, text)| {
                let selected = value == current;
                view! { <option value=value.clone() prop:selected=selected>{text}</option> }
            })
            .collect_view();
        view! { {first} {rest} }
    }
}

/// The hint under a lookup select while its choices load or after they failed.
pub fn choices_note(choices: Signal<Choices>, what: &'static str) -> impl Fn() -> Option<String> {
    move || match choices.get() {
        None => Some(format!("Loading {what}…")),
        Some(Err(e)) => Some(format!("Could not load the {what}: {e}")),
        Some(Ok(l)) if l.is_empty() => Some(format!("There are no {what}.")),
        Some(Ok(_)) => None,
    }
}

/// The message for one field among `errors`, empty when it has none.
pub fn field_message(
    errors: RwSignal<Vec<ValidationError>>,
    field: &'static str,
) -> Signal<String> {
    Signal::derive(move || {
        errors.with(|es| {
            es.iter()
                .filter(|e| e.field == field)
                .map(|e| e.message.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        })
    })
}

/// A search that can be replaced or cancelled: a newer start aborts the older request, and a
/// failure leaves the last good answer in `data` so that its rows stay on screen.
pub struct Search<T: Send + Sync + 'static> {
    /// The last successful answer.
    pub data: RwSignal<Option<T>>,
    /// Why the last search failed, until the next one starts.
    pub error: RwSignal<Option<FetchError>>,
    /// Whether a search is running.
    pub busy: RwSignal<bool>,
    run: StoredValue<u64>,
    controller: StoredValue<Option<AbortController>, LocalStorage>,
}

impl<T: Send + Sync + 'static> Clone for Search<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Search<T> {}

impl<T: Send + Sync + 'static> Search<T> {
    /// A search with nothing fetched yet; a request in flight is aborted when the owning
    /// component goes away.
    pub fn new() -> Self {
        let search = Search {
            data: RwSignal::new(None),
            error: RwSignal::new(None),
            busy: RwSignal::new(false),
            run: StoredValue::new(0),
            controller: StoredValue::new_local(None),
        };
        on_cleanup(move || search.cancel());
        search
    }

    /// Aborts the request in flight, if any; its answer will be ignored.
    pub fn cancel(&self) {
        if let Some(Some(c)) = self.controller.try_get_value() {
            c.abort();
        }
        self.controller.try_set_value(None);
        self.run.try_update_value(|r| *r += 1);
        self.busy.try_set(false);
    }

    /// Starts the request that `make` builds with an abort signal, replacing any running one.
    pub fn start<Fut>(&self, make: impl FnOnce(Option<AbortSignal>) -> Fut)
    where
        Fut: Future<Output = Result<T, FetchError>> + 'static,
    {
        self.cancel();
        self.error.set(None);
        self.busy.set(true);
        let ctrl = AbortController::new().ok();
        let fut = make(ctrl.as_ref().map(AbortController::signal));
        self.controller.set_value(ctrl);
        let id = self.run.get_value();
        let this = *self;
        spawn_local(async move {
            let result = fut.await;
            // Replaced, cancelled, or the page is gone: this answer is stale.
            if this.run.try_get_value() != Some(id) {
                return;
            }
            this.controller.try_set_value(None);
            this.busy.try_set(false);
            match result {
                Ok(value) => {
                    this.data.try_set(Some(value));
                }
                Err(FetchError::Cancelled) => {}
                Err(e) => {
                    this.error.try_set(Some(e));
                }
            }
        });
    }
}

impl<T: Send + Sync + 'static> Default for Search<T> {
    fn default() -> Self {
        Self::new()
    }
}

/// The failure of a search with a Retry button; says so when earlier rows are still shown.
#[component]
pub fn SearchError(
    /// The failure, hidden while `None`.
    #[prop(into)]
    error: Signal<Option<FetchError>>,
    /// Whether the rows of an earlier search are on screen.
    #[prop(into)]
    has_rows: Signal<bool>,
    /// Runs the same search again.
    on_retry: Callback<()>,
) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <div class="error" role="alert">
                    <p>{e.message()}</p>
                    {has_rows.get().then(|| view! {
                        <p class="hint">"The results of the previous search are still shown below."</p>
                    })}
                    <button type="button" on:click=move |_| on_retry.run(())>"Retry"</button>
                </div>
            }
        })
    }
}

/// Says that nothing can be fetched before the credentials are entered, with a link to them.
#[component]
pub fn CredentialsNotice(
    /// Whether to show it.
    #[prop(into)]
    when: Signal<bool>,
) -> impl IntoView {
    move || {
        when.get().then(|| {
            view! {
                <p class="notice" role="status">
                    "Enter your API username and password in Settings, then search. "
                    <a href="/settings">"Go to Settings"</a>
                </p>
            }
        })
    }
}
