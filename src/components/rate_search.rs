//! What the pages share: lookup lists for their selects (the CDR explorer's too), a
//! cancellable search whose earlier answer stays on screen when a new one fails, labelled
//! fields, plain tables, and the error and notice boxes.
//!
//! The widgets are functions over type-erased `Signal`s and `Callback`s returning `AnyView`:
//! every page then shares one compiled copy of each, which keeps the wasm bundle small.

use std::future::Future;

use cdr_core::fetch::FetchError;
use cdr_core::html::options_html;
use cdr_core::model::ValueDescription;
use cdr_core::request::ValidationError;
use cdr_core::table::SortDir;
use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::{AbortController, AbortSignal};

use crate::api::Endpoint;
use crate::settings::use_connection;

/// A select's choices: `None` while loading, then the list or why it could not be loaded.
pub type Choices = Option<Result<Vec<ValueDescription>, String>>;

type Load =
    Box<dyn Fn(Endpoint) -> LocalBoxFuture<'static, Result<Vec<ValueDescription>, FetchError>>>;

/// Loads a lookup list, again whenever the credentials or a signal read by `load` change.
pub fn lookup<F>(load: impl Fn(Endpoint) -> F + 'static) -> Signal<Choices>
where
    F: Future<Output = Result<Vec<ValueDescription>, FetchError>> + 'static,
{
    lookup_boxed(Box::new(move |e| Box::pin(load(e))))
}

fn lookup_boxed(load: Load) -> Signal<Choices> {
    let conn = use_connection();
    let choices = RwSignal::new(None);
    // Only the newest load may answer: an older one still in flight is ignored when it ends.
    // An effect and a task rather than a `LocalResource`, whose async machinery costs the
    // bundle about 8 KB brotli for this one use.
    let newest = StoredValue::new(0u32);
    crate::reactive::effect(move || {
        conn.base_url.track();
        conn.username.track();
        conn.password.track();
        let fut = Endpoint::from_connection(&conn).map(&load);
        let run = newest.get_value().wrapping_add(1);
        newest.set_value(run);
        spawn_local(async move {
            let answer = match fut {
                Some(f) => f.await.map_err(|e| e.message()),
                None => Err("enter your API credentials in Settings".to_owned()),
            };
            if newest.try_get_value() == Some(run) {
                choices.set(Some(answer));
            }
        });
    });
    choices.into()
}

/// The hint under a lookup select while its choices load, after they failed, or when there
/// are none.
pub fn choices_note(choices: Signal<Choices>, what: &'static str) -> Signal<Option<String>> {
    Signal::derive(move || match choices.get() {
        None => Some(format!("Loading {what}…")),
        Some(Err(e)) => Some(format!("Could not load the {what}: {e}")),
        Some(Ok(l)) if l.is_empty() => Some(format!("There are no {what}.")),
        Some(Ok(_)) => None,
    })
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

/// A labelled select of lookup choices, with a hint and an error message under it.
pub struct SelectField {
    /// The element id; the hint and error get `{id}-hint` and `{id}-error`.
    pub id: &'static str,
    /// The visible label.
    pub label: &'static str,
    /// The options.
    pub choices: Signal<Choices>,
    /// The value selected.
    pub current: Signal<String>,
    /// The text of the empty first option.
    pub placeholder: &'static str,
    /// A hint under the select.
    pub hint: Signal<Option<String>>,
    /// What is wrong with the choice, empty when nothing is.
    pub error: Signal<String>,
    /// Whether the select is disabled.
    pub disabled: Signal<bool>,
    /// Called with the value chosen.
    pub on_change: Callback<String>,
}

/// Renders a [`SelectField`]. A value that the list lacks (from a hand-edited link) stays
/// visible rather than silently changing.
pub fn select_field(f: SelectField) -> AnyView {
    let SelectField {
        id,
        label,
        choices,
        current,
        placeholder,
        hint,
        error,
        disabled,
        on_change,
    } = f;
    let options = move || {
        let current = current.get();
        choices.with(|c| {
            let list: &[ValueDescription] = match c {
                Some(Ok(list)) => list,
                _ => &[],
            };
            let listed = list.iter().any(|o| o.value == current);
            let first = std::iter::once(("", placeholder));
            let rest = list
                .iter()
                .map(|o| (o.value.as_str(), o.description.as_str()));
            let unlisted =
                (!current.is_empty() && !listed).then_some((current.as_str(), current.as_str()));
            options_html(first.chain(rest).chain(unlisted), &current)
        })
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select id=id prop:disabled=disabled
                aria-invalid=move || (!error.with(String::is_empty)).then_some("true")
                aria-describedby=format!("{id}-error {id}-hint")
                inner_html=options
                on:change:target=move |ev| on_change.run(ev.target().value())>
            </select>
            <p class="hint" id=format!("{id}-hint")>{hint}</p>
            <p class="field-error" id=format!("{id}-error") aria-live="polite">{error}</p>
        </div>
    }
    .into_any()
}

/// A labelled text input with an error message under it.
pub struct TextField {
    /// The element id; the error gets `{id}-error`.
    pub id: &'static str,
    /// The visible label.
    pub label: &'static str,
    /// `text` or `search`.
    pub kind: &'static str,
    /// The virtual keyboard to offer: `text`, `tel`, `numeric`.
    pub inputmode: &'static str,
    /// An example of what to type.
    pub placeholder: &'static str,
    /// The text shown.
    pub value: Signal<String>,
    /// What is wrong with the text, empty when nothing is.
    pub error: Signal<String>,
    /// Called with the text on every edit.
    pub on_input: Callback<String>,
}

/// Renders a [`TextField`].
pub fn text_field(f: TextField) -> AnyView {
    let TextField {
        id,
        label,
        kind,
        inputmode,
        placeholder,
        value,
        error,
        on_input,
    } = f;
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <input type=kind id=id inputmode=inputmode placeholder=placeholder
                autocomplete="off" spellcheck="false"
                aria-invalid=move || (!error.with(String::is_empty)).then_some("true")
                aria-describedby=format!("{id}-error")
                prop:value=value
                on:input:target=move |ev| on_input.run(ev.target().value()) />
            <p class="field-error" id=format!("{id}-error") aria-live="polite">{error}</p>
        </div>
    }
    .into_any()
}

/// Sortable headers: which column is sorted which way, and what a click on a header does.
#[derive(Clone, Copy)]
pub struct SortHeaders {
    /// The sorted column's position and direction; `None` keeps the API's order.
    pub state: Signal<Option<(usize, SortDir)>>,
    /// Called with the position of the header clicked.
    pub on_sort: Callback<usize>,
}

/// A plain semantic table: a caption, column headers (numeric ones right-aligned), and the
/// rows as escaped HTML (see `cdr_core::html::rows_html`). With `sort`, each header is a
/// button and the sorted one carries `aria-sort`. Only the body is redrawn when `body`
/// changes, so a header button keeps the focus after sorting.
pub fn table(
    caption: String,
    columns: &[(&str, bool)],
    body: Signal<String>,
    sort: Option<SortHeaders>,
) -> AnyView {
    let headers = columns
        .iter()
        .enumerate()
        .map(|(i, &(label, numeric))| {
            let label = label.to_owned();
            match sort {
                None => view! { <th scope="col" class:num=numeric>{label}</th> }.into_any(),
                Some(s) => {
                    let dir = move || s.state.get().filter(|(c, _)| *c == i).map(|(_, d)| d);
                    view! {
                        <th scope="col" class:num=numeric
                            aria-sort=move || dir().map(|d| match d {
                                SortDir::Asc => "ascending",
                                SortDir::Desc => "descending",
                            })>
                            <button type="button" on:click=move |_| s.on_sort.run(i)>
                                {label}
                                <span aria-hidden="true">
                                    {move || dir().map(|d| if d == SortDir::Asc { " ▲" } else { " ▼" })}
                                </span>
                            </button>
                        </th>
                    }
                    .into_any()
                }
            }
        })
        .collect_view();
    view! {
        <div class="table-wrap">
            <table class="rates">
                <caption>{caption}</caption>
                <thead><tr>{headers}</tr></thead>
                <tbody inner_html=move || body.get()></tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Says that nothing matched a search, and what was searched.
pub fn empty_result(query: &str, detail: String) -> AnyView {
    view! {
        <div class="empty" role="status">
            <p><strong>{format!("No rates match “{query}”.")}</strong></p>
            <p class="hint">{detail} " Try a country, a shorter name or the first digits of a prefix."</p>
        </div>
    }
    .into_any()
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
        let fut: LocalBoxFuture<'static, Result<T, FetchError>> =
            Box::pin(make(ctrl.as_ref().map(AbortController::signal)));
        self.controller.set_value(ctrl);
        self.finish(fut);
    }

    fn finish(&self, fut: LocalBoxFuture<'static, Result<T, FetchError>>) {
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
pub fn search_error(
    error: Signal<Option<FetchError>>,
    has_rows: Signal<bool>,
    on_retry: Callback<()>,
) -> AnyView {
    (move || {
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
    })
    .into_any()
}

/// A running search, and that nothing can be fetched before the credentials are entered.
pub fn search_status(busy: Signal<bool>, needs_credentials: Signal<bool>) -> AnyView {
    (move || {
        if needs_credentials.get() {
            Some(
                view! {
                    <p class="notice" role="status">
                        "Enter your API username and password in Settings, then search. "
                        <a href="/settings">"Go to Settings"</a>
                    </p>
                }
                .into_any(),
            )
        } else {
            busy.get()
                .then(|| view! { <p class="notice" role="status">"Searching…"</p> }.into_any())
        }
    })
    .into_any()
}
