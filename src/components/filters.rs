//! The CDR filter form: dates with presets, outcomes, timezone, call type, billing, account
//! and, for resellers, the client. Problems show beside their field and block the search.

use cdr_core::export::utc_label;
use cdr_core::request::{Timezone, ValidationError};
use cdr_core::view::{timezone_choices, CdrViewState, Preset, Scope};
use leptos::prelude::*;

/// A select's options, or `None` while they load.
pub type Options = crate::components::rate_search::Choices;

/// The filter form. Edits stay in `form` until Search is pressed.
#[component]
pub fn CdrFilters(
    /// Which explorer: the reseller one also picks a client.
    scope: Scope,
    /// The form being edited.
    form: RwSignal<CdrViewState>,
    /// Problems found by the last check, each naming its field.
    #[prop(into)]
    errors: Signal<Vec<ValidationError>>,
    /// Today, in the browser's calendar, for the presets.
    today: chrono::NaiveDate,
    /// The browser's own timezone, always offered.
    browser_tz: Timezone,
    /// getCallTypes answer.
    #[prop(into)]
    call_types: Signal<Options>,
    /// getCallBilling answer.
    #[prop(into)]
    call_billing: Signal<Options>,
    /// getCallAccounts answer.
    #[prop(into)]
    accounts: Signal<Options>,
    /// getClients answer as value / label pairs (reseller page only).
    #[prop(into)]
    clients: Signal<Options>,
    /// Whether a search is running (the button says so).
    #[prop(into)]
    busy: Signal<bool>,
    /// Called when the form is submitted.
    on_search: Callback<()>,
) -> impl IntoView {
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|es| {
                es.iter()
                    .filter(|e| e.field == field)
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        })
    };
    let field_error = move |field: &'static str| {
        let msg = error_for(field);
        view! {
            <p class="field-error" id=format!("{field}-error") aria-live="polite">{msg}</p>
        }
    };
    let invalid = move |field: &'static str| {
        let msg = error_for(field);
        move || (!msg.get().is_empty()).then_some("true")
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
    let on_preset = move |key: String| {
        form.update(|s| {
            if let Some(p) = Preset::from_key(&key) {
                s.preset = p;
                s.apply_preset(today);
            }
        })
    };

    let tz_options = move || {
        let current = form.with(|s| s.form.timezone.clone());
        let mut list: Vec<(String, String)> = timezone_choices(Some(browser_tz))
            .into_iter()
            .map(|tz| {
                let mut label = utc_label(tz);
                if tz == browser_tz {
                    label.push_str(" (this browser)");
                }
                (tz.to_string(), label)
            })
            .collect();
        // A value from a hand-edited link stays visible (and flagged) instead of vanishing.
        if !list.iter().any(|(v, _)| *v == current) {
            list.insert(0, (current.clone(), current.clone()));
        }
        list.into_iter()
            .map(|(value, label)| {
                let selected = value == current;
                view! { <option value=value.clone() prop:selected=selected>{label}</option> }
            })
            .collect_view()
    };

    let lookup_select = move |id: &'static str,
                              label: &'static str,
                              field: &'static str,
                              options: Signal<Options>,
                              get: fn(&CdrViewState) -> &String,
                              set: fn(&mut CdrViewState, String)| {
        let opts = move || {
            let current = form.with(|s| get(s).clone());
            let mut list: Vec<(String, String)> = match options.get() {
                Some(Ok(list)) => list.into_iter().map(|o| (o.value, o.description)).collect(),
                _ => vec![("all".to_owned(), "All".to_owned())],
            };
            if !current.is_empty() && !list.iter().any(|(v, _)| *v == current) {
                list.push((current.clone(), current.clone()));
            }
            list.into_iter()
                .map(|(value, text)| {
                    let selected = value == current;
                    view! { <option value=value.clone() prop:selected=selected>{text}</option> }
                })
                .collect_view()
        };
        let note = move || match options.get() {
            None => Some("Loading choices…".to_owned()),
            Some(Err(e)) => Some(format!("Could not load the choices: {e}")),
            Some(Ok(_)) => None,
        };
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select id=id aria-invalid=invalid(field)
                    aria-describedby=format!("{field}-error")
                    on:change:target=move |ev| form.update(|s| set(s, ev.target().value()))>
                    {opts}
                </select>
                <p class="hint">{note}</p>
                {field_error(field)}
            </div>
        }
    };

    let client_field = (scope == Scope::Reseller).then(|| {
        let opts = move || {
            let current = form.with(|s| s.client.clone());
            let mut list: Vec<(String, String)> = match clients.get() {
                Some(Ok(list)) => list.into_iter().map(|o| (o.value, o.description)).collect(),
                _ => Vec::new(),
            };
            if !current.is_empty() && !list.iter().any(|(v, _)| *v == current) {
                list.push((current.clone(), current.clone()));
            }
            let placeholder = view! { <option value="" prop:selected=current.is_empty()>"Choose a client"</option> };
            let rest = list
                .into_iter()
                .map(|(value, text)| {
                    let selected = value == current;
                    view! { <option value=value.clone() prop:selected=selected>{text}</option> }
                })
                .collect_view();
            view! { {placeholder} {rest} }
        };
        let note = move || match clients.get() {
            None => Some("Loading clients…".to_owned()),
            Some(Err(e)) => Some(format!("Could not load the clients: {e}")),
            Some(Ok(l)) if l.is_empty() => Some("This account has no reseller clients.".to_owned()),
            Some(Ok(_)) => None,
        };
        view! {
            <div class="field">
                <label for="client">"Client"</label>
                <select id="client" aria-invalid=invalid("client") aria-describedby="client-error"
                    on:change:target=move |ev| form.update(|s| {
                        s.client = ev.target().value();
                        // Accounts and call types belong to the client: start from all.
                        s.form.account = "all".into();
                        s.form.calltype = "all".into();
                    })>
                    {opts}
                </select>
                <p class="hint">{note}</p>
                {field_error("client")}
            </div>
        }
    });

    let disposition = move |id: &'static str,
                            label: &'static str,
                            get: fn(&CdrViewState) -> bool,
                            set: fn(&mut CdrViewState, bool)| {
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
            <div class="field">
                <label for="preset">"Dates"</label>
                <select id="preset" on:change:target=move |ev| on_preset(ev.target().value())>
                    {move || {
                        let current = form.with(|s| s.preset);
                        Preset::ALL
                            .into_iter()
                            .map(|p| view! { <option value=p.key() prop:selected=p == current>{p.label()}</option> })
                            .collect_view()
                    }}
                </select>
            </div>
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
            <div class="field">
                <label for="timezone">"Timezone"</label>
                <select id="timezone" aria-invalid=invalid("timezone") aria-describedby="timezone-error"
                    on:change:target=move |ev| form.update(|s| s.form.timezone = ev.target().value())>
                    {tz_options}
                </select>
                {field_error("timezone")}
            </div>
            <fieldset class="dispositions" aria-describedby="answered-error">
                <legend>"Outcomes"</legend>
                {disposition("disp-answered", "Answered", |s| s.form.answered, |s, v| s.form.answered = v)}
                {disposition("disp-noanswer", "No answer", |s| s.form.noanswer, |s, v| s.form.noanswer = v)}
                {disposition("disp-busy", "Busy", |s| s.form.busy, |s, v| s.form.busy = v)}
                {disposition("disp-failed", "Failed", |s| s.form.failed, |s, v| s.form.failed = v)}
                {field_error("answered")}
            </fieldset>
            {lookup_select("calltype", "Call type", "calltype", call_types, |s| &s.form.calltype, |s, v| s.form.calltype = v)}
            {lookup_select("callbilling", "Call billing", "callbilling", call_billing, |s| &s.form.callbilling, |s, v| s.form.callbilling = v)}
            {lookup_select("account", "Account", "account", accounts, |s| &s.form.account, |s, v| s.form.account = v)}
            <div class="actions">
                <button type="submit" class="primary">
                    {move || if busy.get() { "Search again" } else { "Search" }}
                </button>
            </div>
        </form>
    }
}
