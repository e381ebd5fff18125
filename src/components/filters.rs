//! The CDR filter form: dates with presets, outcomes, timezone, call type, billing, account
//! and, for resellers, the client. Problems show beside their field and block the search.

use cdr_core::export::utc_label;
use cdr_core::model::ValueDescription;
use cdr_core::request::{Timezone, ValidationError};
use cdr_core::view::{timezone_choices, CdrSearch, Preset, Scope};
use leptos::prelude::*;

use crate::components::form::{choices_note, field_message, Choices, SelectField};

/// The filter form. Edits stay in `form` until Search is pressed.
#[component]
pub fn CdrFilters(
    /// Which explorer: the reseller one also picks a client.
    scope: Scope,
    /// The form being edited.
    form: RwSignal<CdrSearch>,
    /// Problems found by the last check, each naming its field.
    errors: RwSignal<Vec<ValidationError>>,
    /// Today, in the browser's calendar, for the presets.
    today: chrono::NaiveDate,
    /// The browser's own timezone, always offered.
    browser_tz: Timezone,
    /// getCallTypes answer.
    #[prop(into)]
    call_types: Signal<Choices>,
    /// getCallBilling answer.
    #[prop(into)]
    call_billing: Signal<Choices>,
    /// getCallAccounts answer.
    #[prop(into)]
    accounts: Signal<Choices>,
    /// getClients answer as value / label pairs (reseller page only).
    #[prop(into)]
    clients: Signal<Choices>,
    /// Whether a search is running (the button says so).
    #[prop(into)]
    busy: Signal<bool>,
    /// Called when the form is submitted.
    on_search: Callback<()>,
) -> impl IntoView {
    let invalid = move |field: &'static str| {
        let msg = field_message(errors, field);
        move || (!msg.with(String::is_empty)).then_some("true")
    };
    let field_error = move |field: &'static str| {
        view! {
            <p class="field-error" id=format!("{field}-error") aria-live="polite">
                {field_message(errors, field)}
            </p>
        }
    };
    let set_date = move |from: bool, value: String| {
        form.update(|s| {
            s.preset = Preset::Custom;
            if from {
                s.form.date_from = value;
            } else {
                s.form.date_to = value;
            }
        })
    };

    let presets: Signal<Choices> = Signal::stored(Some(Ok(Preset::ALL
        .iter()
        .map(|p| ValueDescription::new(p.key(), p.label()))
        .collect())));
    let timezones: Signal<Choices> = Signal::stored(Some(Ok(timezone_choices(Some(browser_tz))
        .into_iter()
        .map(|tz| {
            let mut label = utc_label(tz);
            if tz == browser_tz {
                label.push_str(" (this browser)");
            }
            ValueDescription::new(tz.to_string(), label)
        })
        .collect())));
    // Selects of the filter form: the error line under each is the form's own.
    let select = move |id: &'static str,
                       label: &'static str,
                       choices: Signal<Choices>,
                       what: &'static str,
                       get: fn(&CdrSearch) -> &String,
                       set: fn(&mut CdrSearch, String)| {
        view! {
            <SelectField id label choices
                current=Signal::derive(move || form.with(|s| get(s).clone()))
                hint=choices_note(choices, what)
                error=field_message(errors, id)
                on_change=Callback::new(move |v| form.update(|s| set(s, v))) />
        }
    };

    let client_field = (scope == Scope::Reseller).then(|| {
        view! {
            <SelectField id="client" label="Client" choices=clients
                current=Signal::derive(move || form.with(|s| s.client.clone()))
                placeholder="Choose a client"
                hint=Signal::derive(move || match clients.get() {
                    Some(Ok(l)) if l.is_empty() => Some("This account has no reseller clients.".to_owned()),
                    _ => choices_note(clients, "clients").get(),
                })
                error=field_message(errors, "client")
                on_change=Callback::new(move |v| form.update(|s| {
                    s.client = v;
                    // Accounts and call types belong to the client: start from all.
                    s.form.account = "all".into();
                    s.form.calltype = "all".into();
                })) />
        }
    });

    let disposition = move |id: &'static str,
                            label: &'static str,
                            get: fn(&CdrSearch) -> bool,
                            set: fn(&mut CdrSearch, bool)| {
        view! {
            <div class="check">
                <input type="checkbox" id=id prop:checked=move || form.with(get)
                    on:change:target=move |ev| form.update(|s| set(s, ev.target().checked())) />
                <label for=id>{label}</label>
            </div>
        }
    };

    view! {
        <form class="filters" aria-label="Call filters"
            on:submit=move |ev| {
                ev.prevent_default();
                on_search.run(());
            }
        >
            {client_field}
            <SelectField id="preset" label="Dates" choices=presets
                current=Signal::derive(move || form.with(|s| s.preset.key().to_owned()))
                on_change=Callback::new(move |key: String| form.update(|s| {
                    if let Some(p) = Preset::from_key(&key) {
                        s.preset = p;
                        s.apply_preset(today);
                    }
                })) />
            <div class="field">
                <label for="date-from">"From"</label>
                <input type="date" id="date-from" aria-invalid=invalid("date_from")
                    aria-describedby="date_from-error"
                    prop:value=move || form.with(|s| s.form.date_from.clone())
                    on:change:target=move |ev| set_date(true, ev.target().value()) />
                {field_error("date_from")}
            </div>
            <div class="field">
                <label for="date-to">"To"</label>
                <input type="date" id="date-to" aria-invalid=invalid("date_to")
                    aria-describedby="date_to-error"
                    prop:value=move || form.with(|s| s.form.date_to.clone())
                    on:change:target=move |ev| set_date(false, ev.target().value()) />
                {field_error("date_to")}
            </div>
            <SelectField id="timezone" label="Timezone" choices=timezones
                current=Signal::derive(move || form.with(|s| s.form.timezone.clone()))
                error=field_message(errors, "timezone")
                on_change=Callback::new(move |v| form.update(|s| s.form.timezone = v)) />
            <fieldset class="dispositions" aria-describedby="answered-error">
                <legend>"Outcomes"</legend>
                {disposition("disp-answered", "Answered", |s| s.form.answered, |s, v| s.form.answered = v)}
                {disposition("disp-noanswer", "No answer", |s| s.form.noanswer, |s, v| s.form.noanswer = v)}
                {disposition("disp-busy", "Busy", |s| s.form.busy, |s, v| s.form.busy = v)}
                {disposition("disp-failed", "Failed", |s| s.form.failed, |s, v| s.form.failed = v)}
                {field_error("answered")}
            </fieldset>
            {select("calltype", "Call type", call_types, "call types", |s| &s.form.calltype, |s, v| s.form.calltype = v)}
            {select("callbilling", "Call billing", call_billing, "billing choices", |s| &s.form.callbilling, |s, v| s.form.callbilling = v)}
            {select("account", "Account", accounts, "accounts", |s| &s.form.account, |s, v| s.form.account = v)}
            <div class="actions">
                <button type="submit" class="primary">
                    {move || if busy.get() { "Search again" } else { "Search" }}
                </button>
            </div>
        </form>
    }
}
