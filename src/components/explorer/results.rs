//! What the explorer shows under its filters: nothing before a search, a sentence when it
//! found nothing, or the summary, the toolbar (quick filter, counts, columns, export), the
//! grid, the explanation of a charge and the charts.

use cdr_core::display;
use cdr_core::export::cdr_csv;
use cdr_core::model::CdrRow;
use cdr_core::request::{format_date, Timezone};
use cdr_core::table::Column;
use cdr_core::view::describe_filter;
use leptos::prelude::*;

use super::rows::{RowsView, PER_ACCOUNT, TOP_DEST};
use super::CdrAnswer;
use crate::components::charts::Chart;
use crate::components::download::download_csv;
use crate::components::explain::ExplainCharge;
use crate::components::grid::CdrGrid;
use crate::components::summary::SummaryBar;
use crate::task::Debounce;

/// What the results area shows; its parts are rebuilt only when this changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    Idle,
    Empty,
    Rows,
}

/// The results of one explorer.
#[component]
pub fn Results(
    /// The view over the rows.
    rows: RowsView,
    /// The search the rows answer.
    store: RwSignal<Option<CdrAnswer>>,
) -> impl IntoView {
    let phase = Memo::new(
        move |_| match store.with(|a| a.as_ref().map(|a| a.found.is_empty())) {
            None => Phase::Idle,
            Some(true) => Phase::Empty,
            Some(false) => Phase::Rows,
        },
    );
    let described = move || {
        store.with(|a| {
            let a = a.as_ref()?;
            let filter = a.search.validate().ok()?;
            Some(describe_filter(&filter, a.search.client()))
        })
    };
    move || match phase.get() {
        Phase::Idle => ().into_any(),
        Phase::Empty => view! {
            <div class="empty" role="status">
                <p><strong>"No calls match these filters."</strong></p>
                <p class="hint">{described}</p>
            </div>
        }
        .into_any(),
        Phase::Rows => view! { <RowsShown rows store /> }.into_any(),
    }
}

/// The summary, toolbar, grid, explanation and charts of the rows fetched.
#[component]
fn RowsShown(rows: RowsView, store: RwSignal<Option<CdrAnswer>>) -> impl IntoView {
    let (table, shown, view) = (rows.table, rows.shown, rows.view);
    let columns = Memo::new(move |_| view.with(|v| v.columns.clone()));
    let sort = Memo::new(move |_| view.with(|v| v.sort));
    let fetched = move || table.with(|t| t.len());

    let export = move |_| {
        let (name, tz) = store.with_untracked(|a| {
            let filter = a.as_ref().and_then(|a| a.search.validate().ok());
            filter.map_or_else(
                || ("calls.csv".to_owned(), Timezone::UTC),
                |f| {
                    let name = format!(
                        "calls-{}-to-{}.csv",
                        format_date(f.date_from),
                        format_date(f.date_to)
                    );
                    (name, f.timezone)
                },
            )
        });
        let bytes = table.with_untracked(|t| {
            shown.with_untracked(|v| columns.with_untracked(|c| cdr_csv(t, v, c, tz)))
        });
        download_csv(&name, &bytes);
    };

    // The row whose charge is explained under the grid (Enter or double click on a row).
    let explained = RwSignal::new(None::<CdrRow>);
    let on_activate = Callback::new(move |i: u32| {
        explained.set(table.with_untracked(|t| ((i as usize) < t.len()).then(|| t.row(i))));
    });
    let on_sort = Callback::new(move |c: Column| rows.change(|v| v.sort = v.sort.toggled(c)));
    // The grid is built again only when the quick filter empties the view or fills it again.
    let any_shown = Memo::new(move |_| shown.with(|v| !v.is_empty()));
    let charts = rows.charts;
    // What is below the grid is built in a task of its own, once the rows have painted: the
    // first results come sooner, in two shorter tasks instead of one long one.
    let below = RwSignal::new(false);
    crate::perf::after_next_paint(move || below.set(true));

    view! {
        <SummaryBar summary=rows.summary />
        <div class="toolbar">
            <QuickFilter rows />
            <p class="counts" role="status" aria-live="polite">
                {move || format!(
                    "{} shown / {} fetched",
                    display::count(shown.with(Vec::len) as u64),
                    display::count(fetched() as u64)
                )}
            </p>
            <ColumnChooser rows />
            <button type="button" on:click=export>"Export CSV"</button>
        </div>
        <Show
            when=move || any_shown.get()
            fallback=move || view! {
                <p class="empty" role="status">
                    {move || format!(
                        "None of the {} fetched calls match “{}”.",
                        display::count(fetched() as u64),
                        view.with(|v| v.quick.clone())
                    )}
                </p>
            }
        >
            <CdrGrid table view=shown columns sort on_sort on_activate label="Call detail records" />
        </Show>
        <Show when=move || below.get()>
            <ExplainCharge row=explained />
            <section class="charts" aria-label="Charts of the calls shown">
                <Chart caption="Calls over time" svg=charts.over_time legend=true />
                <Chart caption="Calls per hour of day" svg=charts.per_hour />
                <Chart caption=TOP_DEST svg=charts.top_destinations
                    empty="No call in this view cost anything." />
                <Chart caption=PER_ACCOUNT svg=charts.per_account empty="No calls." />
            </section>
        </Show>
    }
}

/// The quick filter: it waits for a pause in typing before it runs over every row.
#[component]
fn QuickFilter(rows: RowsView) -> impl IntoView {
    let typed = RwSignal::new(rows.view.with_untracked(|v| v.quick.clone()));
    // Back and Forward (or a link) change the filter too.
    Effect::new(move |_| typed.set(rows.view.with(|v| v.quick.clone())));
    let debounce = Debounce::new(std::time::Duration::from_millis(200));
    let on_input = move |value: String| {
        typed.set(value);
        debounce.call(move || rows.change(|v| v.quick = typed.get_untracked()));
    };
    view! {
        <div class="field quick">
            <label for="quick-filter">"Quick filter"</label>
            <input type="search" id="quick-filter" placeholder="Caller, number, account…"
                prop:value=move || typed.get()
                on:input:target=move |ev| on_input(ev.target().value()) />
        </div>
    }
}

/// The checkboxes of the visible columns.
#[component]
fn ColumnChooser(rows: RowsView) -> impl IntoView {
    let boxes = Column::ALL
        .into_iter()
        .map(|c| {
            let id = format!("col-{}", c.key());
            view! {
                <div class="check">
                    <input type="checkbox" id=id.clone()
                        prop:checked=move || rows.view.with(|v| v.columns.contains(&c))
                        on:change:target=move |ev| {
                            let on = ev.target().checked();
                            rows.change(|v| v.toggle_column(c, on));
                        } />
                    <label for=id>{c.label()}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <details class="columns">
            <summary>"Columns"</summary>
            <fieldset>
                <legend>"Visible columns"</legend>
                {boxes}
            </fieldset>
        </details>
    }
}
