//! The Termination rates page: a route's rates (getTerminationRates), or the Value and
//! Premium routes side by side, and a dialled number rated against them.
//!
//! The URL holds the route, the search and the comparison, so a reload, a link or the back
//! button restores them; every valid search in the URL fetches.

use cdr_core::fetch::FetchError;
use cdr_core::html::{count_noun, rows_html, Cell};
use cdr_core::model::{TerminationRate, TerminationRates};
use cdr_core::rating::{amount, compare_routes, computed_amount, quote_termination, RouteTerms};
use cdr_core::request::RoutesRequest;
use cdr_core::url::{TerminationSearch, COMPARED_ROUTES};
use leptos::prelude::*;

use crate::components::form::{
    choices_note, choose_first, field_message, lookup, Choices, SelectField,
};
use crate::components::rate_number::RateNumber;
use crate::components::rate_table::{columns, DestinationQuery, NoRates, RateTable};
use crate::search::{FetchContext, SearchPage, UrlSearch};

/// One route's answer, named.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RouteRates {
    name: String,
    rates: Vec<TerminationRate>,
}

/// The rows on screen: one route, or two to compare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    first: RouteRates,
    second: Option<RouteRates>,
}

impl Found {
    fn len(&self) -> usize {
        self.first.rates.len() + self.second.as_ref().map_or(0, |s| s.rates.len())
    }
}

impl SearchPage for TerminationSearch {
    type Found = Found;

    async fn fetch(self, cx: FetchContext) -> Result<Found, FetchError> {
        let fetch = |route: String| {
            let request = self.request(&route);
            let (endpoint, abort) = (cx.endpoint.clone(), cx.abort.clone());
            async move {
                let answer = endpoint.call(&request, abort.as_ref()).await?;
                Ok::<_, FetchError>(RouteRates {
                    name: route_name(&answer, &route),
                    rates: answer.rates,
                })
            }
        };
        let mut routes = self.routes().into_iter();
        let first = routes.next().unwrap_or_default();
        Ok(match routes.next() {
            // Both routes at once: the comparison waits for the slower one anyway.
            Some(second) => {
                let (a, b) = futures::future::join(fetch(first), fetch(second)).await;
                Found {
                    first: a?,
                    second: Some(b?),
                }
            }
            None => Found {
                first: fetch(first).await?,
                second: None,
            },
        })
    }
}

/// The route's name: the answer's own, else the contract's (the page shows the getRoutes
/// list's names beside it).
fn route_name(answer: &TerminationRates, route: &str) -> String {
    answer
        .route
        .as_ref()
        .map(|r| r.description.clone())
        .filter(|d| !d.is_empty())
        .or_else(|| {
            COMPARED_ROUTES
                .iter()
                .find(|(value, _)| *value == route)
                .map(|(_, name)| (*name).to_owned())
        })
        .unwrap_or_else(|| format!("Route {route}"))
}

/// The route's name from the getRoutes list, when the answer had none of its own.
fn listed_name(name: &str, route: &str, routes: &Choices) -> String {
    if name != format!("Route {route}") {
        return name.to_owned();
    }
    match routes {
        Some(Ok(list)) => list
            .iter()
            .find(|r| r.value == route)
            .map_or_else(|| name.to_owned(), |r| r.description.clone()),
        _ => name.to_owned(),
    }
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
    let search = UrlSearch::<TerminationSearch>::new(());
    let (form, errors, data) = (search.form, search.errors, search.fetcher.data);
    let routes =
        lookup(
            |e, abort| async move { e.call(&RoutesRequest { route: None }, abort.as_ref()).await },
        );
    choose_first(
        routes,
        move || form.with(|f| f.route.is_empty()),
        move |first| form.update(|f| f.route = first),
    );

    // --- The tables ------------------------------------------------------------------------
    let fetched = Signal::derive(move || data.with(|d| d.as_ref().map_or(0, |a| a.found.len())));
    let name = move |r: &RouteRates, route: &str| {
        routes.with_untracked(|list| listed_name(&r.name, route, list))
    };
    let single_table = move |s: &TerminationSearch, f: &Found| {
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
            name(&f.first, &s.route),
            s.query,
            count_noun(f.first.rates.len(), "rate", "rates")
        );
        let columns = columns(&[
            ("Destination", false),
            ("Prefix", false),
            ("Increment", true),
            ("Rate per minute", true),
        ]);
        view! { <RateTable caption columns body=Signal::stored(body) /> }
    };

    let compare_table = move |s: &TerminationSearch, f: &Found| {
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
            s.query,
            count_noun(joined.len(), "prefix", "prefixes")
        );
        let body = rows_html(joined.into_iter().map(|r| {
            let difference = r
                .difference()
                .map_or_else(|| "—".to_owned(), computed_amount);
            let mut cells = vec![Cell::Head(r.destination), Cell::Text(r.prefix)];
            cells.extend(terms_cells(r.left));
            cells.extend(terms_cells(r.right));
            cells.push(Cell::Num(difference));
            cells
        }));
        let mut columns = columns(&[("Destination", false), ("Prefix", false)]);
        columns.extend(
            [
                format!("{a} increment"),
                format!("{a} rate"),
                format!("{b} increment"),
                format!("{b} rate"),
                format!("Difference ({b} − {a})"),
            ]
            .map(|h| (h, true)),
        );
        view! { <RateTable caption columns body=Signal::stored(body) /> }
    };

    let results = move || {
        data.with(|d| {
            let a = d.as_ref()?;
            let (s, f) = (&a.search, &a.found);
            if f.len() == 0 {
                let which = if s.compare {
                    "both routes".to_owned()
                } else {
                    format!("route {}", name(&f.first, &s.route))
                };
                let detail = format!("Searched {which}.");
                return Some(view! { <NoRates query=s.query.clone() detail /> }.into_any());
            }
            Some(if f.second.is_some() {
                compare_table(s, f).into_any()
            } else {
                single_table(s, f).into_any()
            })
        })
    };

    let quote = Callback::new(move |(digits, seconds): (String, u32)| {
        data.with(|d| {
            d.iter()
                .flat_map(|a| std::iter::once(&a.found.first).chain(&a.found.second))
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
                search.submit();
            }
        >
            <SelectField id="route" label="Route" choices=routes
                current=Signal::derive(move || form.with(|f| f.route.clone()))
                placeholder="Choose a route"
                hint=Signal::derive(move || {
                    if comparing.get() {
                        Some("Both routes are searched when comparing.".to_owned())
                    } else {
                        routes_note.get()
                    }
                })
                error=field_message(errors, "route")
                disabled=comparing
                on_change=Callback::new(move |v| form.update(|f| f.route = v)) />
            <DestinationQuery id="termination-query"
                value=Signal::derive(move || form.with(|f| f.query.clone()))
                error=field_message(errors, "query")
                on_input=Callback::new(move |v| form.update(|f| f.query = v)) />
            <div class="check compare">
                <input type="checkbox" id="compare-routes" prop:checked=comparing
                    on:change:target=move |ev| form.update(|f| f.compare = ev.target().checked()) />
                <label for="compare-routes">"Compare Value and Premium"</label>
            </div>
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
