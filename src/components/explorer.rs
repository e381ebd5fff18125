//! The CDR explorer shared by the Calls and Reseller calls pages.
//!
//! Data flows one way: URL → filter → requests (one per window of at most 92 days, two in
//! flight) → decode → row store → grid, summary and charts. The URL is the source of truth,
//! so a link or a reload restores the view and back / forward move between searches.

use cdr_core::analytics::{
    calls_over_time, calls_per_hour, cost_per_account, top_destinations_by_cost, Summary,
};
use cdr_core::chart::{self, Svg};
use cdr_core::decode::{
    decode_accounts, decode_call_billing, decode_call_types, decode_cdr, decode_clients,
    decode_reseller_cdr,
};
use cdr_core::display;
use cdr_core::export::cdr_csv;
use cdr_core::fetch::FetchError;
use cdr_core::model::{CdrRow, Client};
use cdr_core::request::{
    format_date, CallAccountsRequest, CallBillingRequest, CallTypesRequest, CdrFilter, CdrRequest,
    ClientsRequest, ResellerCdrRequest, Timezone, ValidationError,
};
use cdr_core::table::{CdrTable, Column};
use cdr_core::view::{describe_filter, timezone_from_browser_offset, CdrViewState, Scope};
use cdr_core::wire::to_query_string;
use cdr_core::DecodeError;
use futures::StreamExt;
use leptos::prelude::*;
use leptos::task::spawn_local;
use web_sys::AbortController;

use crate::api::Endpoint;
use crate::components::charts::Chart;
use crate::components::download::download_csv;
use crate::components::explain::ExplainCharge;
use crate::components::filters::CdrFilters;
use crate::components::grid::CdrGrid;
use crate::components::rate_search::lookup;
use crate::components::summary::SummaryBar;
use crate::perf;
use crate::router::{use_location, use_set_query};
use crate::settings::use_connection;

/// Requests of one search in flight at once: enough to overlap latency, gentle on the API's
/// per-minute limit.
const MAX_IN_FLIGHT: usize = 2;

/// What the results area shows: nothing before a search, a sentence when it found
/// nothing, or the rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Idle,
    Empty,
    Rows,
}

/// How far a running search has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Progress {
    done: usize,
    total: usize,
    rows: usize,
}

/// What the rows on screen answer: the filter (and client) of the search that fetched them.
#[derive(Clone, Debug, PartialEq)]
struct Searched {
    filter: CdrFilter,
    client: Option<String>,
}

/// Unicode lower case by the browser's own tables, for the quick filter's non-ASCII text: the
/// same mapping as Rust's, without shipping it in the wasm.
pub fn browser_lowercase(text: &str) -> String {
    js_sys::JsString::from(text).to_lower_case().into()
}

/// The rows of one explorer and what they answer. Kept above the routes, so a visit to
/// Settings and back finds the results where they were.
#[derive(Clone, Copy, Debug)]
struct ExplorerData {
    table: RwSignal<CdrTable>,
    searched: RwSignal<Option<Searched>>,
}

impl ExplorerData {
    fn new() -> Self {
        ExplorerData {
            table: RwSignal::new(CdrTable::with_lowercase(browser_lowercase)),
            searched: RwSignal::new(None),
        }
    }
}

/// The results of both explorers, provided once by the app.
#[derive(Clone, Copy, Debug)]
pub struct ExplorerCache {
    own: ExplorerData,
    reseller: ExplorerData,
}

/// Provides the explorers' results to every page.
pub fn provide_explorer_cache() {
    provide_context(ExplorerCache {
        own: ExplorerData::new(),
        reseller: ExplorerData::new(),
    });
}

const TOP_DEST: &str = "Top 10 destinations by cost";
const PER_ACCOUNT: &str = "Cost per account";

fn decode_cdr_timed(body: &[u8], ct: Option<&str>) -> Result<Vec<CdrRow>, DecodeError> {
    perf::measure("cdr:decode", || decode_cdr(body, ct))
}

fn decode_reseller_cdr_timed(body: &[u8], ct: Option<&str>) -> Result<Vec<CdrRow>, DecodeError> {
    perf::measure("cdr:decode", || decode_reseller_cdr(body, ct))
}

/// A chart of the rows shown, redrawn when `epoch` moves (not when the rows do).
fn chart_memo(
    epoch: RwSignal<u64>,
    table: RwSignal<CdrTable>,
    shown: Memo<Vec<u32>>,
    draw: fn(&[CdrRow], &[u32]) -> Svg,
) -> Memo<Svg> {
    Memo::new(move |_| {
        epoch.track();
        table.with_untracked(|t| shown.with_untracked(|v| draw(t.rows(), v)))
    })
}

/// Today's date and the timezone offset of the browser.
fn browser_today_and_tz() -> (chrono::NaiveDate, Timezone) {
    let now = js_sys::Date::new_0();
    let today = chrono::NaiveDate::from_ymd_opt(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
    .unwrap_or_default();
    let tz =
        timezone_from_browser_offset(now.get_timezone_offset() as i32).unwrap_or(Timezone::UTC);
    (today, tz)
}

/// The whole explorer for one scope.
#[component]
pub fn CdrExplorer(
    /// getCDR (own calls) or getResellerCDR (a client's calls).
    scope: Scope,
) -> impl IntoView {
    let conn = use_connection();
    let query = use_location().query();
    let (today, browser_tz) = browser_today_and_tz();

    // --- URL state -------------------------------------------------------------------------
    let state = Memo::new(move |_| {
        query.with(|q| CdrViewState::from_query(|k| q.get(k), today, browser_tz))
    });
    let form = RwSignal::new(state.get_untracked());
    let errors = RwSignal::new(Vec::<ValidationError>::new());
    let request = Memo::new(move |_| {
        state.with(|s| {
            s.validate(scope)
                .ok()
                .map(|f| (f, (scope == Scope::Reseller).then(|| s.client.clone())))
        })
    });
    crate::reactive::effect(move || {
        let s = state.get();
        // A first visit (no query yet) is not a mistake to point out; a link's values are.
        let from_link = query.with(|q| !q.is_empty());
        errors.set(if from_link {
            s.validate(scope).err().unwrap_or_default()
        } else {
            Vec::new()
        });
        form.set(s);
    });
    let set_query = use_set_query();
    let set_url = move |s: &CdrViewState, replace: bool| {
        set_query(&to_query_string(&s.to_query(scope)), replace);
    };

    // --- Rows and the fetch ----------------------------------------------------------------
    let data = use_context::<ExplorerCache>().map_or_else(ExplorerData::new, |c| match scope {
        Scope::Own => c.own,
        Scope::Reseller => c.reseller,
    });
    let (table, searched) = (data.table, data.searched);
    let progress = RwSignal::new(None::<Progress>);
    let error = RwSignal::new(None::<FetchError>);
    let notice = RwSignal::new(None::<&'static str>);
    let run = StoredValue::new(0u64);
    let controller = StoredValue::new_local(None::<AbortController>);

    let cancel_running = move || {
        if let Some(c) = controller.get_value() {
            c.abort();
        }
        controller.set_value(None);
        run.update_value(|r| *r += 1);
        progress.set(None);
    };

    let start_search = move |filter: CdrFilter, client: Option<String>| {
        cancel_running();
        error.set(None);
        notice.set(None);
        let Some(endpoint) = Endpoint::from_connection(&conn) else {
            notice.set(Some(
                "Enter your API username and password in Settings, then search.",
            ));
            return;
        };
        let Ok(ctrl) = AbortController::new() else {
            return;
        };
        let signal = ctrl.signal();
        controller.set_value(Some(ctrl));
        let id = run.get_value();
        let windows = CdrViewState::windows(&filter);
        progress.set(Some(Progress {
            done: 0,
            total: windows.len(),
            rows: 0,
        }));
        spawn_local(async move {
            let searched_for = Searched {
                filter,
                client: client.clone(),
            };
            let fetches = windows.into_iter().map(|w| {
                let endpoint = endpoint.clone();
                let signal = signal.clone();
                let client = client.clone();
                async move {
                    match client {
                        Some(client) => {
                            let req = ResellerCdrRequest { client, filter: w };
                            endpoint
                                .call(&req, decode_reseller_cdr_timed, Some(&signal))
                                .await
                        }
                        None => {
                            let req = CdrRequest { filter: w };
                            endpoint.call(&req, decode_cdr_timed, Some(&signal)).await
                        }
                    }
                }
            });
            let mut results = futures::stream::iter(fetches).buffer_unordered(MAX_IN_FLIGHT);
            let mut fresh = CdrTable::with_lowercase(browser_lowercase);
            let mut done = 0;
            while let Some(result) = results.next().await {
                // A newer search or Cancel has taken over: drop this one's answers.
                if run.get_value() != id {
                    return;
                }
                match result {
                    Ok(rows) => {
                        fresh.extend(rows);
                        done += 1;
                        progress.update(|p| {
                            if let Some(p) = p {
                                p.done = done;
                                p.rows = fresh.len();
                            }
                        });
                    }
                    Err(e) => {
                        // The earlier rows stay on screen; the rest of this search stops.
                        if let Some(c) = controller.get_value() {
                            c.abort();
                        }
                        controller.set_value(None);
                        progress.set(None);
                        error.set(Some(e));
                        return;
                    }
                }
            }
            controller.set_value(None);
            progress.set(None);
            perf::measure_until_painted("cdr:first-paint");
            table.set(fresh);
            searched.set(Some(searched_for));
        });
    };

    // Every new valid request in the URL (a search, a link, back / forward) fetches.
    crate::reactive::effect(move || {
        if let Some((filter, client)) = request.get() {
            // Coming back to a page whose rows already answer its URL shows them as they are.
            let shown = searched.with_untracked(|s| {
                s.as_ref()
                    .is_some_and(|s| s.filter == filter && s.client == client)
            });
            if shown {
                return;
            }
            if conn.is_complete() {
                start_search(filter, client);
            } else {
                notice.set(Some(
                    "Enter your API username and password in Settings, then search.",
                ));
            }
        }
    });

    let on_search = Callback::new({
        move |()| {
            let edited = form.get_untracked();
            match edited.validate(scope) {
                Err(es) => errors.set(es),
                Ok(filter) => {
                    errors.set(Vec::new());
                    let mut next = state.get_untracked();
                    next.preset = edited.preset;
                    next.form = edited.form;
                    next.client = edited.client;
                    if next == state.get_untracked() {
                        // Same URL: searching again refreshes.
                        start_search(filter, (scope == Scope::Reseller).then_some(next.client));
                    } else {
                        set_url(&next, false);
                    }
                }
            }
        }
    });
    let retry = move |_| {
        if let Some((filter, client)) = request.get_untracked() {
            start_search(filter, client);
        }
    };
    let cancel = move |_| {
        cancel_running();
        notice.set(Some(
            "Search cancelled. The earlier results are still shown.",
        ));
    };

    // --- Lookups ---------------------------------------------------------------------------
    // A memo, so that editing another filter does not reload the lists.
    let client_memo = Memo::new(move |_| match scope {
        Scope::Reseller => form.with(|s| s.client.clone()),
        Scope::Own => String::new(),
    });
    let client_of = move || Some(client_memo.get()).filter(|c| !c.is_empty());
    let call_types = lookup(move |e| {
        let client = client_of();
        Box::pin(async move {
            e.call(&CallTypesRequest { client }, decode_call_types, None)
                .await
        })
    });
    let call_billing = lookup(|e| {
        Box::pin(async move { e.call(&CallBillingRequest, decode_call_billing, None).await })
    });
    let accounts = lookup(move |e| {
        let client = client_of();
        Box::pin(async move {
            e.call(&CallAccountsRequest { client }, decode_accounts, None)
                .await
        })
    });
    let clients = if scope == Scope::Reseller {
        lookup(|e| {
            Box::pin(async move {
                let list = e
                    .call(&ClientsRequest { client: None }, decode_clients, None)
                    .await?;
                Ok(list.iter().map(Client::choice).collect())
            })
        })
    } else {
        Signal::derive(|| Some(Ok(Vec::new())))
    };

    // --- The view of the rows --------------------------------------------------------------
    let sort = Memo::new(move |_| state.with(|s| s.sort));
    let columns = Memo::new(move |_| state.with(|s| s.columns.clone()));
    let quick = Memo::new(move |_| state.with(|s| s.quick.clone()));
    let sorted = Memo::new(move |_| {
        let sort = sort.get();
        table.with(|t| perf::measure("cdr:sort", || t.sorted(sort)))
    });
    let shown = Memo::new(move |_| {
        let q = quick.get();
        sorted.with(|s| table.with(|t| perf::measure("cdr:filter", || t.narrow(s, &q))))
    });
    let summary = Memo::new(move |_| {
        table.with(|t| shown.with(|v| perf::measure("cdr:summary", || Summary::of(t.rows(), v))))
    });
    // Charts group every row shown; they are drawn in the frame after the grid, so the rows
    // paint first.
    let charts_epoch = RwSignal::new(0u64);
    crate::reactive::effect(move || {
        shown.track();
        perf::after_next_paint(move || charts_epoch.update(|e| *e += 1));
    });
    // Only the searched days are charted: a stray date must not stretch the axis.
    let per_day = Memo::new(move |_| {
        charts_epoch.track();
        let range = searched.with_untracked(|s| {
            s.as_ref()
                .map(|s| (s.filter.date_from, s.filter.date_to))
        });
        let Some(range) = range else {
            return Svg::default();
        };
        table.with_untracked(|t| {
            shown.with_untracked(|v| chart::calls_over_time(&calls_over_time(t.rows(), v, range)))
        })
    });
    let per_hour = chart_memo(charts_epoch, table, shown, |r, v| {
        chart::calls_per_hour(&calls_per_hour(r, v))
    });
    let top_dest = chart_memo(charts_epoch, table, shown, |r, v| {
        chart::cost_bars(TOP_DEST, &top_destinations_by_cost(r, v, 10))
    });
    let per_account = chart_memo(charts_epoch, table, shown, |r, v| {
        chart::cost_bars(PER_ACCOUNT, &cost_per_account(r, v))
    });

    let on_sort = Callback::new({
        move |c: Column| {
            let mut next = state.get_untracked();
            next.sort = next.sort.toggled(c);
            set_url(&next, true);
        }
    });

    // The quick filter waits for a pause in typing before it runs over every row.
    let quick_input = RwSignal::new(state.get_untracked().quick);
    crate::reactive::effect(move || quick_input.set(quick.get()));
    let debounce = StoredValue::new_local(None::<TimeoutHandle>);
    let on_quick = {
        move |value: String| {
            quick_input.set(value);
            if let Some(h) = debounce.get_value() {
                h.clear();
            }
            let handle = set_timeout_with_handle(
                move || {
                    let mut next = state.get_untracked();
                    next.quick = quick_input.get_untracked();
                    if next != state.get_untracked() {
                        set_url(&next, true);
                    }
                },
                std::time::Duration::from_millis(200),
            );
            debounce.set_value(handle.ok());
        }
    };

    let toggle_column = {
        move |c: Column, on: bool| {
            let mut next = state.get_untracked();
            if on && !next.columns.contains(&c) {
                // Keep the default order whatever the order of clicks.
                next.columns = Column::ALL
                    .into_iter()
                    .filter(|x| *x == c || next.columns.contains(x))
                    .collect();
            } else if !on && next.columns.len() > 1 {
                next.columns.retain(|x| *x != c);
            }
            set_url(&next, true);
        }
    };

    let export = move |_| {
        let tz = searched.with_untracked(|s| s.as_ref().map(|s| s.filter.timezone));
        let name = searched.with_untracked(|s| {
            s.as_ref().map_or_else(
                || "calls.csv".to_owned(),
                |s| {
                    format!(
                        "calls-{}-to-{}.csv",
                        format_date(s.filter.date_from),
                        format_date(s.filter.date_to)
                    )
                },
            )
        });
        let bytes = table.with_untracked(|t| {
            shown.with_untracked(|v| {
                columns.with_untracked(|c| cdr_csv(t, v, c, tz.unwrap_or(Timezone::UTC)))
            })
        });
        download_csv(&name, &bytes);
    };

    // The row whose charge is explained under the grid (Enter or double click on a row).
    let explained = RwSignal::new(None::<CdrRow>);
    let on_activate = Callback::new(move |i: u32| {
        explained.set(table.with_untracked(|t| t.rows().get(i as usize).cloned()));
    });

    // What the results area shows; the views below are rebuilt only when it changes.
    let phase = Memo::new(move |_| {
        match (
            searched.with(Option::is_some),
            table.with(CdrTable::is_empty),
        ) {
            (false, _) => Phase::Idle,
            (true, true) => Phase::Empty,
            (true, false) => Phase::Rows,
        }
    });
    let busy = Signal::derive(move || progress.with(Option::is_some));
    let fetched = move || table.with(CdrTable::len);
    let shown_count = move || shown.with(Vec::len);
    // The grid is built again only when the quick filter empties the view or fills it again.
    let any_shown = Memo::new(move |_| shown.with(|v| !v.is_empty()));

    view! {
            <CdrFilters scope form errors today browser_tz call_types call_billing accounts clients
                busy on_search />

            {move || progress.get().map(|p| view! {
                <div class="progress" role="status" aria-live="polite">
                    <label for="fetch-progress">
                        {format!("Fetching window {} of {} · {} rows so far", (p.done + 1).min(p.total), p.total, display::count(p.rows as u64))}
                    </label>
                    <progress id="fetch-progress" max=p.total value=p.done></progress>
                    <button type="button" on:click=cancel>"Cancel"</button>
                </div>
            })}

            {move || error.get().map(|e| view! {
                <div class="error" role="alert">
                    <p>{e.message()}</p>
                    {(!table.with(CdrTable::is_empty)).then(|| view! {
                        <p class="hint">"The results of the previous search are still shown below."</p>
                    })}
                    <button type="button" on:click=retry>"Retry"</button>
                </div>
            })}
            {move || notice.get().map(|n| view! {
                <p class="notice" role="status">{n} " " <a href="/settings">"Go to Settings"</a></p>
            })}

            {move || match phase.get() {
                Phase::Idle => ().into_any(),
                Phase::Empty => view! {
                        <div class="empty" role="status">
                            <p><strong>"No calls match these filters."</strong></p>
                            <p class="hint">{move || searched.with(|s| s.as_ref().map(|s| describe_filter(&s.filter, s.client.as_deref())))}</p>
                        </div>
    }.into_any(),
                Phase::Rows => view! {
                    <SummaryBar summary=summary />
                    <div class="toolbar">
                        <div class="field quick">
                            <label for="quick-filter">"Quick filter"</label>
                            <input type="search" id="quick-filter" placeholder="Caller, number, account…"
                                prop:value=move || quick_input.get()
                                on:input:target=move |ev| on_quick(ev.target().value()) />
                        </div>
                        <p class="counts" role="status" aria-live="polite">
                            {move || format!("{} shown / {} fetched", display::count(shown_count() as u64), display::count(fetched() as u64))}
                        </p>
                        <details class="columns">
                            <summary>"Columns"</summary>
                            <fieldset>
                                <legend>"Visible columns"</legend>
                                {Column::ALL.into_iter().map(|c| {
                                    let id = format!("col-{}", c.key());
                                    view! {
                                        <div class="check">
                                            <input type="checkbox" id=id.clone()
                                                prop:checked=move || columns.with(|cs| cs.contains(&c))
                                                on:change:target=move |ev| toggle_column(c, ev.target().checked()) />
                                            <label for=id>{c.label()}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                        </details>
                        <button type="button" on:click=export>"Export CSV"</button>
                    </div>
                    {move || if any_shown.get() {
                        view! {
                            <CdrGrid table=table view=shown columns=columns sort=sort on_sort
                                on_activate label="Call detail records" />
                        }.into_any()
                    } else {
                        view! {
                            <p class="empty" role="status">
                                {move || format!("None of the {} fetched calls match “{}”.", display::count(fetched() as u64), quick.get())}
                            </p>
                        }.into_any()
                    }}
                    <ExplainCharge row=explained />
                    <section class="charts" aria-label="Charts of the calls shown">
                        <Chart caption="Calls per day" svg=per_day legend=true />
                        <Chart caption="Calls per hour of day" svg=per_hour />
                        <Chart caption=TOP_DEST svg=top_dest
                            empty="No call in this view cost anything." />
                        <Chart caption=PER_ACCOUNT svg=per_account empty="No calls." />
                    </section>
                }.into_any(),
            }}
        }
}
