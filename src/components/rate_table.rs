//! Plain semantic tables of rates: a caption, column headers (numeric ones right-aligned),
//! sortable when asked, and the sentence for a search that found nothing.

use cdr_core::table::SortDir;
use leptos::prelude::*;

use crate::components::form::TextField;

/// Sortable headers: which column is sorted which way, and what a click on a header does.
#[derive(Clone, Copy)]
pub struct SortHeaders {
    /// The sorted column's position and direction; `None` keeps the API's order.
    pub state: Signal<Option<(usize, SortDir)>>,
    /// Called with the position of the header clicked.
    pub on_sort: Callback<usize>,
}

/// A table of rows given as escaped HTML (see `cdr_core::html::rows_html`). With `sort`,
/// each header is a button and the sorted one carries `aria-sort`. Only the body is redrawn
/// when `body` changes, so a header button keeps the focus after sorting.
#[component]
pub fn RateTable(
    /// The caption: what the table holds.
    #[prop(into)]
    caption: String,
    /// Each column's header and whether it holds numbers.
    columns: Vec<(String, bool)>,
    /// The rows, as escaped HTML.
    #[prop(into)]
    body: Signal<String>,
    /// Sortable headers, if the table sorts.
    #[prop(optional)]
    sort: Option<SortHeaders>,
) -> impl IntoView {
    let headers = columns
        .into_iter()
        .enumerate()
        .map(|(i, (label, numeric))| match sort {
            None => view! { <th scope="col" class:num=numeric>{label}</th> }.into_any(),
            Some(s) => {
                let dir = move || s.state.get().filter(|(c, _)| *c == i).map(|(_, d)| d);
                view! {
                    <th scope="col" class:num=numeric
                        aria-sort=move || dir().map(|d| match d {
                            SortDir::Asc => "ascending",
                            SortDir::Desc => "descending",
                        })>
                        <button type="button" on:click=move |_| s.on_sort.run(i)>
                            {label}
                            <span aria-hidden="true">
                                {move || dir().map(|d| if d == SortDir::Asc { " ▲" } else { " ▼" })}
                            </span>
                        </button>
                    </th>
                }
                .into_any()
            }
        })
        .collect_view();
    // The wrapper scrolls sideways on a narrow screen: focusable, so that the keyboard can
    // scroll it too, and named after the table.
    let name = caption.clone();
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-label=name>
            <table class="rates">
                <caption>{caption}</caption>
                <thead><tr>{headers}</tr></thead>
                <tbody inner_html=move || body.get()></tbody>
            </table>
        </div>
    }
}

/// Columns from static labels.
pub fn columns(list: &[(&str, bool)]) -> Vec<(String, bool)> {
    list.iter().map(|(l, n)| ((*l).to_owned(), *n)).collect()
}

/// Says that nothing matched a search, and what was searched.
#[component]
pub fn NoRates(
    /// The text searched.
    #[prop(into)]
    query: String,
    /// What else was searched (the package, the route).
    #[prop(into)]
    detail: String,
) -> impl IntoView {
    view! {
        <div class="empty" role="status">
            <p><strong>{format!("No rates match “{query}”.")}</strong></p>
            <p class="hint">{detail} " Try a country, a shorter name or the first digits of a prefix."</p>
        </div>
    }
}

/// The text searched on a rate page: a destination or the first digits of a prefix.
#[component]
pub fn DestinationQuery(
    /// The element id.
    id: &'static str,
    /// The text shown.
    #[prop(into)]
    value: Signal<String>,
    /// What is wrong with it, empty when nothing is.
    #[prop(into)]
    error: Signal<String>,
    /// Called with the text on every edit.
    on_input: Callback<String>,
) -> impl IntoView {
    view! {
        <TextField id label="Destination or prefix" kind="search"
            placeholder="Canada, Mexico, 1418…" value error on_input />
    }
}
