//! The Rates page: a package's rates (getRates) with the reseller's margin on each, sortable
//! and exportable, and a dialled number rated against them.
//!
//! The address holds the client, the package and the search (`cdr_core::url::RatesSearch`);
//! [`UrlSearch`] checks and fetches it.

use cdr_core::fetch::FetchError;
use cdr_core::html::{count_noun, rows_html, Cell};
use cdr_core::model::{Client, RateRow, ValueDescription};
use cdr_core::rating::{quote_rates, rates_csv, sort_rates, RateColumn};
use cdr_core::request::{ClientPackagesRequest, ClientsRequest, PackagesRequest};
use cdr_core::table::SortDir;
use cdr_core::url::RatesSearch;
use leptos::prelude::*;

use crate::components::download::download_csv;
use crate::components::form::{choices_note, choose_first, field_message, lookup, SelectField};
use crate::components::rate_number::RateNumber;
use crate::components::rate_table::{DestinationQuery, NoRates, RateTable, SortHeaders};
use crate::search::{FetchContext, SearchPage, UrlSearch};

impl SearchPage for RatesSearch {
    type Found = Vec<RateRow>;

    async fn fetch(self, cx: FetchContext) -> Result<Vec<RateRow>, FetchError> {
        cx.endpoint.call(&self.request(), cx.abort.as_ref()).await
    }
}

/// Keeps letters and digits of a search for a file name: `rates-92364-canada.csv`.
fn file_part(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The Rates page.
#[component]
pub fn RatesPage() -> impl IntoView {
    let search = UrlSearch::<RatesSearch>::new(());
    let (form, errors, data) = (search.form, search.errors, search.fetcher.data);

    // --- Lookups ---------------------------------------------------------------------------
    let clients = lookup(|e, abort| async move {
        let list = e
            .call(&ClientsRequest { client: None }, abort.as_ref())
            .await?;
        Ok(list.iter().map(Client::choice).collect())
    });
    let form_client = Memo::new(move |_| form.with(|f| f.client.clone()));
    let packages = lookup(move |e, abort| {
        let client = form_client.get();
        async move {
            let list = if client.is_empty() {
                e.call(&PackagesRequest { package: None }, abort.as_ref())
                    .await?
            } else {
                e.call(&ClientPackagesRequest { client }, abort.as_ref())
                    .await?
            };
            Ok(list
                .into_iter()
                .map(|p| {
                    let label = if p.description.is_empty() {
                        p.value.clone()
                    } else {
                        format!("{} ({})", p.description, p.value)
                    };
                    ValueDescription::new(p.value, label)
                })
                .collect::<Vec<_>>())
        }
    });
    choose_first(
        packages,
        move || form.with(|f| f.package.is_empty()),
        move |first| form.update(|f| f.package = first),
    );

    // --- The table -------------------------------------------------------------------------
    let sort = RwSignal::new(None::<(usize, SortDir)>);
    let order = Memo::new(move |_| {
        data.with(|d| {
            d.as_ref().map_or_else(Vec::new, |a| match sort.get() {
                Some((c, dir)) => sort_rates(&a.found, RateColumn::ALL[c], dir),
                None => (0..a.found.len()).collect(),
            })
        })
    });
    let fetched = Signal::derive(move || data.with(|d| d.as_ref().map_or(0, |a| a.found.len())));
    let headers = SortHeaders {
        state: sort.into(),
        // A first click sorts ascending, the next one descending.
        on_sort: Callback::new(move |c: usize| {
            sort.update(|s| {
                *s = Some(match *s {
                    Some((col, SortDir::Asc)) if col == c => (c, SortDir::Desc),
                    _ => (c, SortDir::Asc),
                })
            })
        }),
    };

    let export = move |_| {
        data.with_untracked(|d| {
            if let Some(a) = d {
                let bytes = order.with_untracked(|o| rates_csv(&a.found, o));
                let name = format!(
                    "rates-{}-{}.csv",
                    file_part(&a.search.package),
                    file_part(&a.search.query)
                );
                download_csv(&name, &bytes);
            }
        })
    };

    // Only the body follows the sort, so the header clicked keeps the focus.
    let body = Signal::derive(move || {
        data.with(|d| {
            let Some(a) = d else { return String::new() };
            order.with(|o| {
                rows_html(o.iter().map(|&i| {
                    let r = &a.found[i];
                    RateColumn::ALL.map(|c| match c {
                        RateColumn::Destination => Cell::Head(c.cell(r)),
                        RateColumn::Prefix => Cell::Text(c.cell(r)),
                        _ => Cell::Num(c.cell(r)),
                    })
                }))
            })
        })
    });
    let results = move || {
        data.with(|d| {
            let a = d.as_ref()?;
            let s = &a.search;
            let client = if s.client.is_empty() {
                String::new()
            } else {
                format!(" of client {}", s.client)
            };
            if a.found.is_empty() {
                let detail = format!("Searched package {}{client}.", s.package);
                return Some(view! { <NoRates query=s.query.clone() detail /> }.into_any());
            }
            let caption = format!(
                "Rates of package {}{client} matching “{}”: {}",
                s.package,
                s.query,
                count_noun(a.found.len(), "rate", "rates")
            );
            let columns = RateColumn::ALL
                .iter()
                .map(|c| (c.label().to_owned(), c.is_numeric()))
                .collect();
            Some(
                view! {
                    <div class="toolbar">
                        <p class="counts">"Margin is the client rate minus the real rate, per minute."</p>
                        <button type="button" on:click=export>"Export CSV"</button>
                    </div>
                    <RateTable caption columns body sort=headers />
                }
                .into_any(),
            )
        })
    };

    let quote = Callback::new(move |(digits, seconds): (String, u32)| {
        data.with(|d| {
            d.as_ref()
                .map(|a| quote_rates(&digits, seconds, &a.found))
                .unwrap_or_default()
        })
    });

    view! {
        <h1>"Rates"</h1>
        <form class="filters" aria-label="Rate search"
            on:submit=move |ev| {
                ev.prevent_default();
                search.submit();
            }
        >
            <SelectField id="rates-client" label="Reseller client" choices=clients
                current=Signal::derive(move || form.with(|f| f.client.clone()))
                placeholder="None: my own packages"
                hint=choices_note(clients, "reseller clients")
                on_change=Callback::new(move |v| form.update(|f| {
                    f.client = v;
                    // The packages belong to the client: choose again from its own.
                    f.package.clear();
                })) />
            <SelectField id="rates-package" label="Package" choices=packages
                current=Signal::derive(move || form.with(|f| f.package.clone()))
                placeholder="Choose a package"
                hint=choices_note(packages, "packages")
                error=field_message(errors, "package")
                on_change=Callback::new(move |v| form.update(|f| f.package = v)) />
            <DestinationQuery id="rates-query"
                value=Signal::derive(move || form.with(|f| f.query.clone()))
                error=field_message(errors, "query")
                on_input=Callback::new(move |v| form.update(|f| f.query = v)) />
            <div class="actions">
                <button type="submit" class="primary">"Search"</button>
            </div>
        </form>
        // Above the search's status and results, whose arrival and going would otherwise
        // move it (a layout shift).
        <RateNumber quote fetched />
        {search.status()}
        {results}
    }
}
