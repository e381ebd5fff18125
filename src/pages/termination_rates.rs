//! The Termination rates page: a route's rates (getTerminationRates), or the Value and
//! Premium routes side by side, and a dialled number rated against them.
//!
//! The URL holds the route, the search and the comparison, so a reload, a link or the back
//! button restores them; every valid search in the URL fetches.

use cdr_core::decode::{decode_routes, decode_termination_rates};
use cdr_core::html::{count_noun, rows_html, Cell};
use cdr_core::model::{TerminationRate, TerminationRates};
use cdr_core::rating::{amount, compare_routes, computed_amount, quote_termination, RouteTerms};
use cdr_core::request::{ApiRequest, RoutesRequest, TerminationRatesRequest, ValidationError};
use cdr_core::wire::to_query_string;
use leptos::prelude::*;

use crate::api::Endpoint;
use crate::components::rate_number::RateNumber;
use crate::components::rate_search::{
    choices_note, empty_result, field_message, lookup, search_error, search_status, select_field,
    table, text_field, Choices, Search, SelectField, TextField,
};
use crate::router::{use_location, use_set_query};
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

/// The route's name: the answer's own, else the getRoutes list's, else the contract's.
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
        .or_else(|| {
            COMPARED
                .iter()
                .find(|(value, _)| *value == route)
                .map(|(_, name)| (*name).to_owned())
        })
        .unwrap_or_else(|| format!("Route {route}"))
}

/// A route's increment and rate cells, or dashes where the route lacks the prefix.
fn terms_cells(t: Option<RouteTerms>) -> [Cell; 2] {
    match t {
        Some(t) => [
            Cell::Num(format!("{} s", t.increment)),
            Cell::Num(amount(t.rate)),
        ],
        None => [
            Cell::Num("—".to_owned()),
            Cell::Num("not offered".to_owned()),
        ],
    }
}

/// The Termination rates page.
#[component]
pub fn TerminationRatesPage() -> impl IntoView {
    let conn = use_connection();
    let params = use_location().query();
    let set_query = use_set_query();

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
    crate::reactive::effect(move || {
        let u = url.get();
        form.update(|f| {
            // A URL without a route (a comparison, or the first visit) keeps the one chosen.
            let route = if u.route.is_empty() {
                std::mem::take(&mut f.route)
            } else {
                u.route.clone()
            };
            *f = TerminationUrl { route, ..u.clone() };
        });
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
            set_query(&f.to_query(), false);
        }
    };
    let retry = Callback::new(move |()| run(url.get_untracked()));

    crate::reactive::effect(move || {
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
    let single_table = move |f: &Found| {
        let body = rows_html(f.first.rates.iter().map(|r| {
            [
                Cell::Head(r.destination.clone()),
                Cell::Text(r.prefix.clone()),
                Cell::Num(format!("{} s", r.increment)),
                Cell::Num(amount(r.rate)),
            ]
        }));
        let caption = format!(
            "Termination rates of route {} matching “{}”: {}",
            f.first.name,
            f.searched.query,
            count_noun(f.first.rates.len(), "rate", "rates")
        );
        table(
            caption,
            &[
                ("Destination", false),
                ("Prefix", false),
                ("Increment", true),
                ("Rate per minute", true),
            ],
            Signal::stored(body),
            None,
        )
    };

    let compare_table = move |f: &Found| {
        let (a, b) = (
            f.first.name.as_str(),
            f.second.as_ref().map_or("", |s| s.name.as_str()),
        );
        let joined = compare_routes(
            &f.first.rates,
            f.second.as_ref().map_or(&[][..], |s| &s.rates),
        );
        let caption = format!(
            "{a} and {b} routes matching “{}”, joined by prefix: {}",
            f.searched.query,
            count_noun(joined.len(), "prefix", "prefixes")
        );
        let body = rows_html(joined.into_iter().map(|r| {
            let difference = r.difference().map_or_else(|| "—".to_owned(), computed_amount);
            let mut cells = vec![Cell::Head(r.destination), Cell::Text(r.prefix)];
            cells.extend(terms_cells(r.left));
            cells.extend(terms_cells(r.right));
            cells.push(Cell::Num(difference));
            cells
        }));
        let headers = [
            format!("{a} increment"),
            format!("{a} rate"),
            format!("{b} increment"),
            format!("{b} rate"),
            format!("Difference ({b} − {a})"),
        ];
        let mut columns = vec![("Destination", false), ("Prefix", false)];
        columns.extend(headers.iter().map(|h| (h.as_str(), true)));
        table(caption, &columns, Signal::stored(body), None)
    };

    let results = move || {
        search.data.with(|d| {
            let f = d.as_ref()?;
            if f.len() == 0 {
                let which = if f.searched.compare {
                    "both routes".to_owned()
                } else {
                    format!("route {}", f.first.name)
                };
                return Some(empty_result(
                    &f.searched.query,
                    format!("Searched {which}."),
                ));
            }
            Some(if f.second.is_some() {
                compare_table(f)
            } else {
                single_table(f)
            })
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

    let comparing = Signal::derive(move || form.with(|f| f.compare));
    let routes_note = choices_note(routes, "routes");
    view! {
        <h1>"Termination rates"</h1>
        <form class="filters" aria-label="Termination rate search"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            {select_field(SelectField {
                id: "route",
                label: "Route",
                choices: routes,
                current: Signal::derive(move || form.with(|f| f.route.clone())),
                placeholder: "Choose a route",
                hint: Signal::derive(move || {
                    if comparing.get() {
                        Some("Both routes are searched when comparing.".to_owned())
                    } else {
                        routes_note.get()
                    }
                }),
                error: field_message(errors, "route"),
                disabled: comparing,
                on_change: Callback::new(move |v| form.update(|f| f.route = v)),
            })}
            {text_field(TextField {
                id: "termination-query",
                label: "Destination or prefix",
                kind: "search",
                inputmode: "text",
                placeholder: "Canada, Mexico, 1418…",
                value: Signal::derive(move || form.with(|f| f.query.clone())),
                error: field_message(errors, "query"),
                on_input: Callback::new(move |v| form.update(|f| f.query = v)),
            })}
            <div class="check compare">
                <input type="checkbox" id="compare-routes" prop:checked=comparing
                    on:change:target=move |ev| form.update(|f| f.compare = ev.target().checked()) />
                <label for="compare-routes">"Compare Value and Premium"</label>
            </div>
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
