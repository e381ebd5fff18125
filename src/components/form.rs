//! The form parts every search page shares: lookup lists for selects, labelled selects and
//! text fields with their hint and error, and the first choice of a list picked by default.

use std::future::Future;

use cdr_core::fetch::FetchError;
use cdr_core::html::options_html;
use cdr_core::model::ValueDescription;
use cdr_core::request::ValidationError;
use leptos::prelude::*;
use web_sys::AbortSignal;

use crate::api::Endpoint;
use crate::settings::use_connection;
use crate::task::{Job, Requests};

/// A select's choices: `None` while loading, then the list or why it could not be loaded.
pub type Choices = Option<Result<Vec<ValueDescription>, String>>;

/// Loads a lookup list, again whenever the credentials or a signal read by `load` change. The
/// newest load replaces (and aborts) an older one, and leaving the page aborts it.
pub fn lookup<F>(load: impl Fn(Endpoint, Option<AbortSignal>) -> F + 'static) -> Signal<Choices>
where
    F: Future<Output = Result<Vec<ValueDescription>, FetchError>> + 'static,
{
    let conn = use_connection();
    let choices = RwSignal::new(None);
    let job = Job::new();
    Effect::new(move |_| {
        conn.base_url.track();
        conn.username.track();
        conn.password.track();
        let requests = Requests::new();
        let load = Endpoint::from_connection(&conn).map(|e| load(e, requests.signal()));
        job.start(async move {
            let _requests = requests;
            let answer = match load {
                Some(f) => f.await.map_err(|e| e.message()),
                None => Err("enter your API credentials in Settings".to_owned()),
            };
            choices.set(Some(answer));
        });
    });
    choices.into()
}

/// Puts the first of `choices` into the form while the form has none: the likely choice, and
/// always one of the list's own. Only a new list runs it again.
pub fn choose_first(
    choices: Signal<Choices>,
    is_empty: impl Fn() -> bool + 'static,
    set: impl Fn(String) + 'static,
) {
    Effect::new(move |_| {
        let first = choices.with(|c| match c {
            Some(Ok(list)) => list.first().map(|f| f.value.clone()),
            _ => None,
        });
        if let Some(first) = first.filter(|_| untrack(&is_empty)) {
            set(first);
        }
    });
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

/// A labelled select of lookup choices, with a hint and an error message under it. A value
/// that the list lacks (from a hand-edited link) stays visible rather than silently changing.
#[component]
pub fn SelectField(
    /// The element id; the hint and error get `{id}-hint` and `{id}-error`.
    id: &'static str,
    /// The visible label.
    label: &'static str,
    /// The options.
    #[prop(into)]
    choices: Signal<Choices>,
    /// The value selected.
    #[prop(into)]
    current: Signal<String>,
    /// The text of an empty first option, if the select has one.
    #[prop(optional)]
    placeholder: Option<&'static str>,
    /// A hint under the select.
    #[prop(optional, into)]
    hint: Signal<Option<String>>,
    /// What is wrong with the choice, empty when nothing is.
    #[prop(optional, into)]
    error: Signal<String>,
    /// Whether the select is disabled.
    #[prop(optional, into)]
    disabled: Signal<bool>,
    /// Called with the value chosen.
    on_change: Callback<String>,
) -> impl IntoView {
    let options = move || {
        let current = current.get();
        choices.with(|c| {
            let list: &[ValueDescription] = match c {
                Some(Ok(list)) => list,
                _ => &[],
            };
            let listed = list.iter().any(|o| o.value == current);
            let first = placeholder.map(|p| ("", p));
            let rest = list
                .iter()
                .map(|o| (o.value.as_str(), o.description.as_str()));
            let unlisted =
                (!current.is_empty() && !listed).then_some((current.as_str(), current.as_str()));
            options_html(first.into_iter().chain(rest).chain(unlisted), &current)
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
}

/// A labelled text input with an error message under it.
#[component]
pub fn TextField(
    /// The element id; the error gets `{id}-error`.
    id: &'static str,
    /// The visible label.
    label: &'static str,
    /// `text` or `search`.
    #[prop(default = "text")]
    kind: &'static str,
    /// The virtual keyboard to offer: `text`, `tel`, `numeric`.
    #[prop(default = "text")]
    inputmode: &'static str,
    /// An example of what to type.
    #[prop(optional)]
    placeholder: &'static str,
    /// The text shown.
    #[prop(into)]
    value: Signal<String>,
    /// What is wrong with the text, empty when nothing is.
    #[prop(optional, into)]
    error: Signal<String>,
    /// Called with the text on every edit.
    on_input: Callback<String>,
) -> impl IntoView {
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
}
