//! The Rates page: a package's rates (getRates) with the reseller's margin on each, sortable
//! and exportable, and a dialled number rated against them.
//!
//! The URL holds the client, the package and the search, so a reload, a link or the back
//! button restores them; every valid search in the URL fetches.

use cdr_core::decode::{
    decode_client_packages, decode_clients, decode_package_choices, decode_rates,
};
use cdr_core::html::{count_noun, rows_html, Cell};
use cdr_core::model::{Client, RateRow, ValueDescription};
use cdr_core::rating::{quote_rates, rates_csv, sort_rates, RateColumn};
use cdr_core::request::{
    ApiRequest, ClientPackagesRequest, ClientsRequest, PackagesRequest, RatesRequest,
    ValidationError,
};
use cdr_core::table::SortDir;
use cdr_core::wire::to_query_string;
use leptos::prelude::*;

use crate::api::Endpoint;
use crate::components::download::download_csv;
use crate::components::rate_number::RateNumber;
use crate::components::rate_search::{
    choices_note, empty_result, field_message, lookup, search_error, search_status, select_field,
    table, text_field, Search, SelectField, SortHeaders, TextField,
};
use crate::router::{use_location, use_set_query};
use crate::settings::use_connection;

/// The search as the URL holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct RatesUrl {
    client: String,
    package: String,
    query: String,
}

impl RatesUrl {
    fn request(&self) -> RatesRequest {
        RatesRequest {
            package: self.package.clone(),
            query: self.query.clone(),
        }
    }

    fn to_query(&self) -> String {
        let fields: Vec<(&str, &str)> = [
            ("client", &self.client),
            ("package", &self.package),
            ("q", &self.query),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k, v.as_str()))
        .collect();
        to_query_string(&fields)
    }
}

/// The rows on screen and the search they answer.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Found {
    searched: RatesUrl,
    rates: Vec<RateRow>,
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
    let conn = use_connection();
    let params = use_location().query();
    let set_query = use_set_query();

    let url = Memo::new(move |_| {
        params.with(|q| RatesUrl {
            client: q.get("client").unwrap_or_default(),
            package: q.get("package").unwrap_or_default(),
            query: q.get("q").unwrap_or_default(),
        })
    });
    let form = RwSignal::new(url.get_untracked());
    let errors = RwSignal::new(Vec::<ValidationError>::new());
    let search = Search::<Found>::new();
    let needs_credentials = RwSignal::new(false);

    let run = move |u: RatesUrl| {
        let Some(endpoint) = untrack(|| Endpoint::from_connection(&conn)) else {
            needs_credentials.set(true);
            return;
        };
        needs_credentials.set(false);
        search.start(move |signal| async move {
            let rates = endpoint
                .call(&u.request(), decode_rates, signal.as_ref())
                .await?;
            Ok(Found { searched: u, rates })
        });
    };

    // Every search in the URL (a submit, a link, back / forward) is checked, then fetched.
    crate::reactive::effect(move || {
        let u = url.get();
        form.update(|f| {
            // A bare /rates (back to the first visit) keeps the package already chosen.
            let package = if u.package.is_empty() && u.client == f.client {
                std::mem::take(&mut f.package)
            } else {
                u.package.clone()
            };
            *f = RatesUrl {
                package,
                ..u.clone()
            };
        });
        if u.package.is_empty() && u.query.is_empty() {
            errors.set(Vec::new());
            return;
        }
        let es = u.request().errors();
        let ok = es.is_empty();
        errors.set(es);
        if ok {
            run(u);
        }
    });

    let submit = move || {
        let mut f = form.get_untracked();
        f.query = f.query.trim().to_owned();
        let es = f.request().errors();
        if !es.is_empty() {
            errors.set(es);
            return;
        }
        errors.set(Vec::new());
        if f == url.get_untracked() {
            // Same URL: searching again refreshes.
            run(f);
        } else {
            set_query(&f.to_query(), false);
        }
    };
    let retry = Callback::new(move |()| run(url.get_untracked()));

    // --- Lookups ---------------------------------------------------------------------------
    let clients = lookup(|e| async move {
        let list = e
            .call(&ClientsRequest { client: None }, decode_clients, None)
            .await?;
        Ok(list.iter().map(Client::choice).collect())
    });
    let form_client = Memo::new(move |_| form.with(|f| f.client.clone()));
    let packages = lookup(move |e| {
        let client = form_client.get();
        async move {
            let list = if client.is_empty() {
                e.call(
                    &PackagesRequest { package: None },
                    decode_package_choices,
                    None,
                )
                .await?
            } else {
                e.call(
                    &ClientPackagesRequest { client },
                    decode_client_packages,
                    None,
                )
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
    // Without a package chosen, the first one offered is the likely choice. Only a new list
    // re-runs this, so it always picks from the client's own packages.
    crate::reactive::effect(move || {
        if let Some(Ok(list)) = packages.get() {
            if let Some(first) = list.first() {
                if form.with_untracked(|f| f.package.is_empty()) {
                    form.update(|f| f.package = first.value.clone());
                }
            }
        }
    });

    // --- The table -------------------------------------------------------------------------
    let sort = RwSignal::new(None::<(usize, SortDir)>);
    let order = Memo::new(move |_| {
        search.data.with(|d| {
            d.as_ref().map_or_else(Vec::new, |f| match sort.get() {
                Some((c, dir)) => sort_rates(&f.rates, RateColumn::ALL[c], dir),
                None => (0..f.rates.len()).collect(),
            })
        })
    });
    let fetched = Signal::derive(move || {
        search
            .data
            .with(|d| d.as_ref().map_or(0, |f| f.rates.len()))
    });
    let has_rows = Signal::derive(move || fetched.get() > 0);
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
    let columns = RateColumn::ALL.map(|c| (c.label(), c.is_numeric()));

    let export = move |_| {
        search.data.with_untracked(|d| {
            if let Some(f) = d {
                let bytes = order.with_untracked(|o| rates_csv(&f.rates, o));
                let name = format!(
                    "rates-{}-{}.csv",
                    file_part(&f.searched.package),
                    file_part(&f.searched.query)
                );
                download_csv(&name, &bytes);
            }
        })
    };

    let results = move || {
        search.data.with(|d| {
            let f = d.as_ref()?;
            let s = &f.searched;
            let client = if s.client.is_empty() {
                String::new()
            } else {
                format!(" of client {}", s.client)
            };
            if f.rates.is_empty() {
                return Some(empty_result(
                    &s.query,
                    format!("Searched package {}{client}.", s.package),
                ));
            }
            let caption = format!(
                "Rates of package {}{client} matching “{}”: {}",
                s.package,
                s.query,
                count_noun(f.rates.len(), "rate", "rates")
            );
            // Only the body follows the sort, so the header clicked keeps the focus.
            let body = Signal::derive(move || {
                search.data.with(|d| {
                    let Some(f) = d else { return String::new() };
                    order.with(|o| {
                        rows_html(o.iter().map(|&i| {
                            let r = &f.rates[i];
                            RateColumn::ALL.map(|c| match c {
                                RateColumn::Destination => Cell::Head(c.cell(r)),
                                RateColumn::Prefix => Cell::Text(c.cell(r)),
                                _ => Cell::Num(c.cell(r)),
                            })
                        }))
                    })
                })
            });
            Some(view! {
                <div class="toolbar">
                    <p class="counts">"Margin is the client rate minus the real rate, per minute."</p>
                    <button type="button" on:click=export>"Export CSV"</button>
                </div>
                {table(caption, &columns, body, Some(headers))}
            }.into_any())
        })
    };

    let quote = Callback::new(move |(digits, seconds): (String, u32)| {
        search.data.with(|d| {
            d.as_ref()
                .map(|f| quote_rates(&digits, seconds, &f.rates))
                .unwrap_or_default()
        })
    });

    view! {
        <h1>"Rates"</h1>
        <form class="filters" aria-label="Rate search"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            {select_field(SelectField {
                id: "rates-client",
                label: "Reseller client",
                choices: clients,
                current: Signal::derive(move || form.with(|f| f.client.clone())),
                placeholder: "None: my own packages",
                hint: choices_note(clients, "reseller clients"),
                error: Signal::default(),
                disabled: Signal::default(),
                on_change: Callback::new(move |v| form.update(|f| {
                    f.client = v;
                    // The packages belong to the client: choose again from its own.
                    f.package.clear();
                })),
            })}
            {select_field(SelectField {
                id: "rates-package",
                label: "Package",
                choices: packages,
                current: Signal::derive(move || form.with(|f| f.package.clone())),
                placeholder: "Choose a package",
                hint: choices_note(packages, "packages"),
                error: field_message(errors, "package"),
                disabled: Signal::default(),
                on_change: Callback::new(move |v| form.update(|f| f.package = v)),
            })}
            {text_field(TextField {
                id: "rates-query",
                label: "Destination or prefix",
                kind: "search",
                inputmode: "text",
                placeholder: "Canada, Mexico, 1418…",
                value: Signal::derive(move || form.with(|f| f.query.clone())),
                error: field_message(errors, "query"),
                on_input: Callback::new(move |v| form.update(|f| f.query = v)),
            })}
            <div class="actions">
                <button type="submit" class="primary">"Search"</button>
            </div>
        </form>
        {search_status(search.busy.into(), needs_credentials.into())}
        {search_error(search.error.into(), has_rows, retry)}
        {results}
        <RateNumber quote fetched />
    }
    .into_any()
}
