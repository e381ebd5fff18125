//! Explain a charge: how the total of one call comes about.
//!
//! A CDR row has the rate (getCDR only) and the seconds but not the billing increment, so the
//! panel looks the destination up in a package's rates (getRates) and lets
//! `cdr_core::rating::explain_charge` do the reasoning; this component only fetches and shows.

use cdr_core::html::{list_html, terms_html};
use cdr_core::model::{CdrRow, RateRow, ValueDescription};
use cdr_core::rating::{explain_charge, rate_lookup_query};
use cdr_core::request::{ClientPackagesRequest, PackagesRequest, RatesRequest};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::components::form::{choices_note, lookup, Choices, SelectField};
use crate::router::use_location;
use crate::search::{ErrorBox, Fetcher};

/// The rates fetched for one lookup: the query and package they answer.
type Looked = (String, String, Vec<RateRow>);

/// The panel under the grid for the row activated with Enter or a double click.
#[component]
pub fn ExplainCharge(
    /// The row to explain; the panel is hidden while `None`.
    row: RwSignal<Option<CdrRow>>,
) -> impl IntoView {
    let params = use_location().query();
    let query = Memo::new(move |_| row.with(|r| r.as_ref().and_then(rate_lookup_query)));
    // Whose packages to offer: `None` until a row needs a lookup (the Calls page should not
    // ask for packages before), then the reseller client of a getResellerCDR row (those come
    // without a rate; the client is the one in the URL), or "" for the account's own.
    let packages_for = Memo::new(move |_| {
        query.with(Option::is_some).then(|| {
            let reseller = row.with(|r| r.as_ref().is_some_and(|r| r.rate.is_none()));
            reseller
                .then(|| params.with(|q| q.get("client")))
                .flatten()
                .unwrap_or_default()
        })
    });

    let label = |list: Vec<ValueDescription>| -> Vec<ValueDescription> {
        list.into_iter()
            .map(|p| {
                let label = format!("{} ({})", p.description, p.value);
                ValueDescription::new(p.value, label)
            })
            .collect()
    };
    let packages = lookup(move |e, abort| {
        let needed = packages_for.with(Option::is_some);
        async move {
            if !needed {
                return Ok(Vec::new());
            }
            let list = e
                .call(&PackagesRequest { package: None }, abort.as_ref())
                .await?;
            Ok(label(list))
        }
    });
    let client_packages = lookup(move |e, abort| {
        let client = packages_for.get().unwrap_or_default();
        async move {
            if client.is_empty() {
                return Ok(Vec::new());
            }
            let list = e
                .call(&ClientPackagesRequest { client }, abort.as_ref())
                .await?;
            Ok(label(list))
        }
    });
    let options: Signal<Choices> = Signal::derive(move || match client_packages.get() {
        Some(Ok(list)) if !list.is_empty() => Some(Ok(list)),
        _ => packages.get(),
    });
    let chosen = RwSignal::new(String::new());
    // The chosen package if still offered, else the first: the one that bills the calls.
    let package = Memo::new(move |_| {
        let chosen = chosen.get();
        options.with(|o| match o {
            Some(Ok(list)) if list.iter().any(|p| p.value == chosen) => chosen,
            Some(Ok(list)) => list.first().map(|p| p.value.clone()).unwrap_or_default(),
            _ => String::new(),
        })
    });

    let search = Fetcher::<Looked>::new(RwSignal::new(None));
    let fetch = move || {
        let (Some(q), pkg) = (query.get_untracked(), package.get_untracked()) else {
            return;
        };
        search.start(move |cx| async move {
            let req = RatesRequest {
                package: pkg.clone(),
                query: q.clone(),
            };
            let rates = cx.endpoint.call(&req, cx.abort.as_ref()).await?;
            Ok((q, pkg, rates))
        });
    };
    Effect::new(move |_| {
        let (Some(q), pkg) = (query.get(), package.get()) else {
            search.cancel();
            return;
        };
        // Most numbers share a first digit: the rates already fetched answer them too.
        let cached = search
            .data
            .with_untracked(|d| d.as_ref().is_some_and(|(dq, dp, _)| *dq == q && *dp == pkg));
        if !pkg.is_empty() && !cached {
            fetch();
        }
    });

    let explanation = Memo::new(move |_| {
        row.with(|r| {
            let r = r.as_ref()?;
            match query.get() {
                None => Some(explain_charge(r, &[])),
                Some(q) => {
                    let pkg = package.get();
                    let found = search.data.with(|d| match d {
                        Some((dq, dp, rates)) if *dq == q && *dp == pkg => {
                            Some(explain_charge(r, rates))
                        }
                        _ => None,
                    });
                    // No package to look in (none, or the list failed to load): explained
                    // with the default increment, which the notes say.
                    found.or_else(|| {
                        (pkg.is_empty() && options.with(Option::is_some))
                            .then(|| explain_charge(r, &[]))
                    })
                }
            }
        })
    });

    // Figures and sentences that change together: strings, not a compiled node each.
    let facts = move || {
        explanation.get().map(|e| {
            view! {
                <dl class="kpis explain-facts" inner_html=terms_html(&e.facts())></dl>
                <ul class="explain-notes" inner_html=list_html(&e.notes())></ul>
                <p class="verdict" class:flagged=e.flagged role="status">
                    {e.flagged.then_some("Check this call: ")}
                    {e.verdict()}
                </p>
            }
        })
    };

    let has_rows = Signal::derive(move || search.data.with(Option::is_some));
    let retry = Callback::new(move |()| fetch());
    let note = choices_note(options, "packages");
    let package_field = view! {
        <SelectField id="explain-package" label="Package for the rate lookup" choices=options
            current=package placeholder="Choose a package"
            hint=Signal::derive(move || {
                note.get().or_else(|| {
                    Some("Its rates give the billing increment of the call's destination.".to_owned())
                })
            })
            on_change=Callback::new(move |v| chosen.set(v)) />
    };
    let error = view! { <ErrorBox error=search.error has_answer=has_rows on_retry=retry /> };
    let loading = move || {
        (explanation.with(Option::is_none) && search.error.with(Option::is_none)).then(|| {
            view! { <p class="notice" role="status">"Looking up the billing increment…"</p> }
        })
    };
    // Closing removes the focused button: give the focus back to the grid the row came from.
    let close = move || {
        row.set(None);
        if let Ok(Some(grid)) = document().query_selector("[role=grid]") {
            if let Ok(grid) = grid.dyn_into::<web_sys::HtmlElement>() {
                let _ = grid.focus();
            }
        }
    };
    // The panel stays mounted while it is shown, so that the package choice and the fetch
    // survive moving from one row to the next.
    let intro = move || {
        row.with(|r| {
            r.as_ref().map(|r| {
                format!(
                    "Call {} on {} to {} ({}), {} s.",
                    r.uniqueid,
                    r.date_string(),
                    r.destination,
                    r.description,
                    r.seconds
                )
            })
        })
    };
    view! {
        <section class="explain" aria-labelledby="explain-title"
            hidden=move || row.with(Option::is_none)>
            <h2 id="explain-title">"Explain a charge"</h2>
            <p>{intro}</p>
            <div hidden=move || query.with(Option::is_none)>{package_field}</div>
            {error}
            {loading}
            {facts}
            <button type="button" on:click=move |_| close()>"Close"</button>
        </section>
    }
}
