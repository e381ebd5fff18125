//! The Termination rates page: a route's rates (getTerminationRates), or the Value and
//! Premium routes side by side, and a dialled number rated against them.
//!
//! The URL holds the route, the search and the comparison, so a reload, a link or the back
//! button restores them; every valid search in the URL fetches.

use cdr_core::decode::{decode_routes, decode_termination_rates};
use cdr_core::model::{TerminationRate, TerminationRates};
use cdr_core::rating::{amount, compare_routes, quote_termination, RouteComparison, RouteTerms};
use cdr_core::request::{ApiRequest, RoutesRequest, TerminationRatesRequest, ValidationError};
use cdr_core::wire::to_query_string;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::api::Endpoint;
use crate::components::rate_number::RateNumber;
use crate::components::rate_search::{
    choice_options, choices_note, field_message, lookup, Choices, CredentialsNotice, Search,
    SearchError,
};
use crate::settings::use_connection;

/// The routes compared, as the contract numbers them: `1` Value, `2` Premium.
const COMPARED: [(&str, &str); 2] = [("1", "Value"), ("2", "Premium")];

/// The search as the URL holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct TerminationUrl {
    route: String,
    query: String,
    compare: bool,
}

impl TerminationUrl {
    /// The request for `route`; when comparing, the route select is not needed.
    fn request(&self, route: &str) -> TerminationRatesRequest {
        TerminationRatesRequest {
            route: route.to_owned(),
            query: self.query.clone(),
        }
    }

    fn errors(&self) -> Vec<ValidationError> {
        let route = if self.compare {
            COMPARED[0].0
        } else {
            &self.route
        };
        self.request(route).errors()
    }

    fn to_query(&self) -> String {
        let mut fields: Vec<(&str, &str)> = Vec::new();
        if !self.compare && !self.route.is_empty() {
            fields.push(("route", &self.route));
        }
        if !self.query.is_empty() {
            fields.push(("q", &self.query));
        }
        if self.compare {
            fields.push(("compare", "1"));
        }
        to_query_string(&fields)
    }
}

/// One route's answer, named.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RouteRates {
    name: String,
    rates: Vec<TerminationRate>,
}

/// The rows on screen and the search they answer: one route, or two to compare.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Found {
    searched: TerminationUrl,
    first: RouteRates,
    second: Option<RouteRates>,
}

impl Found {
    fn len(&self) -> usize {
        self.first.rates.len() + self.second.as_ref().map_or(0, |s| s.rates.len())
    }
}

/// The route's name: the answer's own, else the getRoutes list's, else its code.
fn route_name(answer: &TerminationRates, route: &str, routes: &Choices) -> String {
    answer
        .route
        .as_ref()
        .map(|r| r.description.clone())
        .filter(|d| !d.is_empty())
        .or_else(|| match routes {
            Some(Ok(list)) => list
                .iter()
                .find(|r| r.value == route)
                .map(|r| r.description.clone()),
            _ => None,
        })
        .unwrap_or_else(|| format!("Route {route}"))
}

fn terms_cells(t: Option<RouteTerms>) -> impl IntoView {
    match t {
        Some(t) => view! {
            <td class="num">{format!("{} s", t.increment)}</td>
            <td class="num">{amount(t.rate)}</td>
        }
        .into_any(),
        None => view! {
            <td class="num">"—"</td>
            <td class="num">"not offered"</td>
        }
        .into_any(),
    }
}

/// The Termination rates page.
#[component]
pub fn TerminationRatesPage() -> impl IntoView {
    let conn = use_connection();
    let params = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());

    let url = Memo::new(move |_| {
        params.with(|q| TerminationUrl {
            route: q.get("route").unwrap_or_default(),
            query: q.get("q").unwrap_or_default(),
            compare: q.get("compare").as_deref() == Some("1"),
        })
    });
    let form = RwSignal::new(url.get_untracked());
    let errors = RwSignal::new(Vec::<ValidationError>::new());
    let search = Search::<Found>::new();
    let needs_credentials = RwSignal::new(false);
    let routes = lookup(|e| async move {
        e.call(&RoutesRequest { route: None }, decode_routes, None)
            .await
    });

    let run = move |u: TerminationUrl| {
        let Some(endpoint) = untrack(|| Endpoint::from_connection(&conn)) else {
            needs_credentials.set(true);
            return;
        };
        needs_credentials.set(false);
        search.start(move |signal| async move {
            let fetch = |route: String| {
                let req = u.request(&route);
                let endpoint = endpoint.clone();
                let signal = signal.clone();
                async move {
                    let answer = endpoint
                        .call(&req, decode_termination_rates, signal.as_ref())
                        .await?;
                    let name = routes.with_untracked(|r| route_name(&answer, &route, r));
                    Ok::<_, cdr_core::fetch::FetchError>(RouteRates {
                        name,
                        rates: answer.rates,
                    })
                }
            };
            let (first, second) = if u.compare {
                // Both routes at once: the comparison waits for the slower one anyway.
                let (a, b) = futures::future::join(
                    fetch(COMPARED[0].0.to_owned()),
                    fetch(COMPARED[1].0.to_owned()),
                )
                .await;
                (a?, Some(b?))
            } else {
                (fetch(u.route.clone()).await?, None)
            };
            Ok(Found {
                searched: u,
                first,
                second,
            })
        });
    };

    // Every search in the URL (a submit, a link, back / forward) is checked, then fetched.
    Effect::new(move |_| {
        let u = url.get();
        form.set(u.clone());
        if u.route.is_empty() && u.query.is_empty() && !u.compare {
            errors.set(Vec::new());
            return;
        }
        let es = u.errors();
        let ok = es.is_empty();
        errors.set(es);
        if ok {
            run(u);
        }
    });

    let submit = move || {
        let mut f = form.get_untracked();
        f.query = f.query.trim().to_owned();
        let es = f.errors();
        if !es.is_empty() {
            errors.set(es);
            return;
        }
        errors.set(Vec::new());
        if f.to_query() == url.with_untracked(TerminationUrl::to_query) {
            run(f);
        } else {
            navigate.with_value(|nav| {
                nav(
                    &format!("/termination-rates?{}", f.to_query()),
                    NavigateOptions {
                        scroll: false,
                        ..Default::default()
                    },
                )
            });
        }
    };
    let retry = Callback::new(move |()| run(url.get_untracked()));

    Effect::new(move |_| {
        if let Some(Ok(list)) = routes.get() {
            if let Some(first) = list.first() {
                if form.with_untracked(|f| f.route.is_empty()) {
                    form.update(|f| f.route = first.value.clone());
                }
            }
        }
    });

    // --- The tables ------------------------------------------------------------------------
    let fetched = Signal::derive(move || search.data.with(|d| d.as_ref().map_or(0, Found::len)));
    let has_rows = Signal::derive(move || fetched.get() > 0);
    let compared = Memo::new(move |_| {
        search.data.with(|d| {
            d.as_ref()
                .and_then(|f| Some(compare_routes(&f.first.rates, &f.second.as_ref()?.rates)))
        })
    });

    let single_table = move |f: &Found| {
        let rows = f
            .first
            .rates
            .iter()
            .map(|r| {
                view! {
                    <tr>
                        <th scope="row">{r.destination.clone()}</th>
                        <td>{r.prefix.clone()}</td>
                        <td class="num">{format!("{} s", r.increment)}</td>
                        <td class="num">{amount(r.rate)}</td>
                    </tr>
                }
            })
            .collect_view();
        let caption = format!(
            "Termination rates of route {} matching “{}”: {} rates",
            f.first.name,
            f.searched.query,
            f.first.rates.len()
        );
        view! {
            <table class="rates">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Destination"</th>
                        <th scope="col">"Prefix"</th>
                        <th scope="col" class="num">"Increment"</th>
                        <th scope="col" class="num">"Rate per minute"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        }
    };

    let compare_table = move |f: &Found, rows: &[RouteComparison]| {
        let (a, b) = (
            f.first.name.clone(),
            f.second
                .as_ref()
                .map(|s| s.name.clone())
                .unwrap_or_default(),
        );
        let body = rows
            .iter()
            .map(|r| {
                view! {
                    <tr>
                        <th scope="row">{r.destination.clone()}</th>
                        <td>{r.prefix.clone()}</td>
                        {terms_cells(r.left)}
                        {terms_cells(r.right)}
                        <td class="num">{r.difference().map_or_else(|| "—".to_owned(), amount)}</td>
                    </tr>
                }
            })
            .collect_view();
        let caption = format!(
            "{a} and {b} routes matching “{}”, joined by prefix: {} prefixes",
            f.searched.query,
            rows.len()
        );
        view! {
            <table class="rates">
                <caption>{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Destination"</th>
                        <th scope="col">"Prefix"</th>
                        <th scope="col" class="num">{format!("{a} increment")}</th>
                        <th scope="col" class="num">{format!("{a} rate")}</th>
                        <th scope="col" class="num">{format!("{b} increment")}</th>
                        <th scope="col" class="num">{format!("{b} rate")}</th>
                        <th scope="col" class="num">{format!("Difference ({b} − {a})")}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        }
    };

    let results = move || {
        search.data.with(|d| {
            let f = d.as_ref()?;
            if f.len() == 0 {
                let which = if f.searched.compare {
                    "either route".to_owned()
                } else {
                    format!("route {}", f.first.name)
                };
                return Some(
                    view! {
                        <div class="empty" role="status">
                            <p><strong>{format!("No rates match “{}”.", f.searched.query)}</strong></p>
                            <p class="hint">{format!("Searched {which}. Try a country, a shorter name or the first digits of a prefix.")}</p>
                        </div>
                    }
                    .into_any(),
                );
            }
            let table = compared.with(|c| match c {
                Some(rows) => compare_table(f, rows).into_any(),
                None => single_table(f).into_any(),
            });
            Some(view! { <div class="table-wrap">{table}</div> }.into_any())
        })
    };

    let quote = Callback::new(move |(digits, seconds): (String, u32)| {
        search.data.with(|d| {
            d.iter()
                .flat_map(|f| std::iter::once(&f.first).chain(&f.second))
                .filter_map(|r| quote_termination(&digits, seconds, &r.name, &r.rates))
                .collect()
        })
    });

    let route_error = field_message(errors, "route");
    let query_error = field_message(errors, "query");
    let comparing = move || form.with(|f| f.compare);
    view! {
        <h1>"Termination rates"</h1>
        <form class="filters" aria-label="Termination rate search"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <div class="field">
                <label for="route">"Route"</label>
                <select id="route" prop:disabled=comparing
                    aria-invalid=move || (!route_error.get().is_empty()).then_some("true")
                    aria-describedby="route-error route-hint"
                    on:change:target=move |ev| form.update(|f| f.route = ev.target().value())>
                    {choice_options(routes, Signal::derive(move || form.with(|f| f.route.clone())), "Choose a route")}
                </select>
                <p class="hint" id="route-hint">
                    {move || if comparing() {
                        Some("Both routes are searched when comparing.".to_owned())
                    } else {
                        choices_note(routes, "routes")()
                    }}
                </p>
                <p class="field-error" id="route-error">{route_error}</p>
            </div>
            <div class="field">
                <label for="termination-query">"Destination or prefix"</label>
                <input type="search" id="termination-query" placeholder="Canada, Mexico, 1418…"
                    aria-invalid=move || (!query_error.get().is_empty()).then_some("true")
                    aria-describedby="query-error"
                    prop:value=move || form.with(|f| f.query.clone())
                    on:input:target=move |ev| form.update(|f| f.query = ev.target().value()) />
                <p class="field-error" id="query-error">{query_error}</p>
            </div>
            <div class="check compare">
                <input type="checkbox" id="compare-routes" prop:checked=comparing
                    on:change:target=move |ev| form.update(|f| f.compare = ev.target().checked()) />
                <label for="compare-routes">"Compare Value and Premium"</label>
            </div>
            <div class="actions">
                <button type="submit" class="primary">"Search"</button>
            </div>
        </form>
        <CredentialsNotice when=needs_credentials />
        <SearchError error=search.error has_rows on_retry=retry />
        {move || search.busy.get().then(|| view! { <p class="notice" role="status">"Searching…"</p> })}
        {results}
        <RateNumber quote fetched />
    }
}
