//! The CDR grid: windowed rendering over any number of rows.
//!
//! Only the rows in view are in the DOM; `cdr_core::grid` decides which, and scales scrolling
//! past the browser's height limit. The ARIA grid pattern gives screen readers the row and
//! column counts, and the grid takes the keyboard: arrows, Page Up / Down, Home / End.

use std::sync::Arc;

use cdr_core::display;
use cdr_core::grid::{GridCursor, GridGeometry, GridKey};
use cdr_core::table::{CdrTable, Column, Sort, SortDir};
use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Height of one row in pixels; the stylesheet's `--row-h` must agree.
pub const ROW_PX: f64 = 32.0;

/// Width of a column in the grid's CSS template.
fn column_width(c: Column) -> &'static str {
    match c {
        Column::Date => "12rem",
        Column::CallerId => "15rem",
        Column::Destination => "8.5rem",
        Column::Description => "12rem",
        Column::Account => "9rem",
        Column::Disposition => "8rem",
        Column::Duration => "6.2rem",
        Column::Rate => "7.8rem",
        Column::Total => "7.8rem",
        Column::UniqueId => "10rem",
        Column::DestinationType => "8rem",
    }
}

/// The windowed, sortable, keyboard-driven grid of CDR rows.
#[component]
pub fn CdrGrid(
    /// The fetched rows.
    #[prop(into)]
    table: Signal<Arc<CdrTable>>,
    /// Positions of the rows shown, in order (filtered and sorted).
    #[prop(into)]
    view: Signal<Vec<u32>>,
    /// The visible columns, in order.
    #[prop(into)]
    columns: Signal<Vec<Column>>,
    /// The current sort.
    #[prop(into)]
    sort: Signal<Sort>,
    /// Called with a column whose header was activated.
    on_sort: Callback<Column>,
    /// Called with the fetched-order index of a row activated with Enter or a double click.
    #[prop(optional)]
    on_activate: Option<Callback<u32>>,
    /// The grid's accessible name.
    #[prop(into)]
    label: String,
) -> impl IntoView {
    // The grid scrolls both ways; its header row stays on top (sticky).
    let scroller = NodeRef::<Div>::new();
    let head = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport_px = RwSignal::new(480.0f64);
    let cursor = RwSignal::new(GridCursor::default());
    // The active row, for the rows' own attributes.
    let active = Memo::new(move |_| cursor.with(|c| c.row));
    let id = "cdr-grid";

    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            // Never more than the window shows: without its stylesheet (or with a broken one)
            // the body would be as tall as all its rows, and render every one of them.
            let window_h = window()
                .inner_height()
                .ok()
                .and_then(|h| h.as_f64())
                .unwrap_or(1000.0);
            let head_h = head.get_untracked().map_or(0, |h| h.offset_height());
            let h = f64::from(el.client_height() - head_h).min(window_h);
            if h > 0.0 && (h - viewport_px.get_untracked()).abs() > 0.5 {
                viewport_px.set(h);
            }
        }
    };
    Effect::new(move |_| {
        scroller.track();
        measure();
    });
    let resize = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let geometry = Memo::new(move |_| GridGeometry {
        rows: view.with(Vec::len),
        row_px: ROW_PX,
        viewport_px: viewport_px.get(),
    });
    // A new view (search, filter, sort) starts at the top with the first row active.
    let generation = Memo::new(move |prev: Option<&u64>| {
        view.track();
        prev.map_or(0, |p| p + 1)
    });
    Effect::new(move |_| {
        generation.track();
        cursor.update(|c| c.row = 0);
        scroll_top.set(0.0);
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(0);
        }
    });
    let window = Memo::new(move |_| geometry.get().window(scroll_top.get()));

    let template = move || {
        columns.with(|cs| {
            cs.iter()
                .map(|c| column_width(*c))
                .collect::<Vec<_>>()
                .join(" ")
        })
    };

    // Moves the active cell and scrolls its row into view.
    let move_to = move |next: GridCursor| {
        let g = geometry.get_untracked();
        cursor.set(next);
        if g.rows == 0 {
            return;
        }
        let target = g.scroll_to_row(next.row, scroll_top.get_untracked());
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(target.round() as i32);
            // Columns line up with the header's cells, which are always in the DOM: bring
            // the active column into view from its header cell.
            let header_cell = head
                .get_untracked()
                .and_then(|h| h.first_element_child())
                .and_then(|row| row.children().item(next.col as u32))
                .and_then(|c| c.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(cell) = header_cell {
                let (left, width) = (cell.offset_left(), cell.offset_width());
                let (scroll, view) = (el.scroll_left(), el.client_width());
                if left < scroll {
                    el.set_scroll_left(left);
                } else if left + width > scroll + view {
                    el.set_scroll_left(left + width - view);
                }
            }
        }
        scroll_top.set(target);
    };
    // The ARIA grid pattern: arrows, Page Up / Down, Home / End in the row, Ctrl+Home / End
    // for the first and last cell; Enter explains the row's charge.
    let on_keydown = move |ev: ev::KeyboardEvent| {
        let now = cursor.get_untracked();
        if ev.key() == "Enter" {
            if let (Some(cb), Some(i)) = (
                on_activate,
                view.with_untracked(|v| v.get(now.row).copied()),
            ) {
                cb.run(i);
            }
            return;
        }
        let Some(key) = GridKey::from_key(&ev.key(), ev.ctrl_key() || ev.meta_key()) else {
            return;
        };
        ev.prevent_default();
        let g = geometry.get_untracked();
        let cols = columns.with_untracked(Vec::len);
        move_to(now.moved(key, g.rows, cols, g.page_rows()));
    };

    let header = move || {
        let s = sort.get();
        columns
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let state = if s.column == c {
                    match s.dir {
                        SortDir::Asc => "ascending",
                        SortDir::Desc => "descending",
                    }
                } else {
                    "none"
                };
                let arrow = match state {
                    "ascending" => " ▲",
                    "descending" => " ▼",
                    _ => "",
                };
                view! {
                    <div role="columnheader" aria-sort=state aria-colindex=i + 1 class="grid-cell"
                        class:num=c.is_numeric()>
                        <button type="button" on:click=move |_| on_sort.run(c)
                            title=format!("Sort by {}", c.label())>
                            {c.label()}
                            <span aria-hidden="true">{arrow}</span>
                        </button>
                    </div>
                }
            })
            .collect_view()
    };

    // Rows are recycled by slot: scrolling rewrites the text of the same few row elements
    // instead of building new ones, which keeps every frame short at any speed.
    let slots = move || (0..window.get().count).collect::<Vec<usize>>();
    let pos_of = move |slot: usize| window.with(|w| w.first + slot);
    let index_of = move |slot: usize| view.with(|v| v.get(pos_of(slot)).copied());
    let cell_text = move |slot: usize, c: Column| {
        let i = index_of(slot)?;
        // The table can change a moment before the view that indexes it: show nothing
        // rather than read past its end.
        table.with(|t| ((i as usize) < t.len()).then(|| t.cell(i, c).into_owned()))
    };

    view! {
        <div class="grid" role="grid" aria-label=label tabindex="0"
            aria-rowcount=move || view.with(Vec::len) + 1
            aria-colcount=move || columns.with(Vec::len)
            aria-activedescendant=move || {
                let c = cursor.get();
                (!view.with(Vec::is_empty)).then(|| format!("{id}-r{}-c{}", c.row, c.col))
            }
            style:--cols=template
            on:keydown=on_keydown
            node_ref=scroller
            on:scroll=move |_| {
                if let Some(el) = scroller.get_untracked() {
                    scroll_top.set(f64::from(el.scroll_top()));
                }
            }
        >
            <div role="rowgroup" class="grid-head" node_ref=head>
                <div role="row" aria-rowindex="1" class="grid-row">{header}</div>
            </div>
            <div role="rowgroup" class="grid-body">
                <div role="presentation" class="grid-spacer"
                    style:height=move || format!("{}px", display::one_decimal(window.get().spacer_px))>
                    <div role="presentation" class="grid-block"
                        style:transform=move || format!("translateY({}px)", display::one_decimal(window.get().top_px))>
                        <For each=slots key=|slot| *slot let(slot)>
                            <div role="row" class="grid-row"
                                id=move || format!("{id}-r{}", pos_of(slot))
                                aria-rowindex=move || pos_of(slot) + 2
                                aria-selected=move || (active.get() == pos_of(slot)).to_string()
                                class:active=move || active.get() == pos_of(slot)
                                on:click=move |_| cursor.update(|c| c.row = pos_of(slot))
                                on:dblclick=move |_| {
                                    if let (Some(cb), Some(i)) = (on_activate, index_of(slot)) {
                                        cb.run(i);
                                    }
                                }
                            >
                                {move || {
                                    columns
                                        .get()
                                        .into_iter()
                                        .enumerate()
                                        .map(|(col, c)| view! {
                                            <div role="gridcell" class="grid-cell" class:num=c.is_numeric()
                                                id=move || format!("{id}-r{}-c{col}", pos_of(slot))
                                                aria-colindex=col + 1
                                                class:active-cell=move || cursor.with(|k| k.row == pos_of(slot) && k.col == col)>
                                                {move || cell_text(slot, c)}
                                            </div>
                                        })
                                        .collect_view()
                                }}
                            </div>
                        </For>
                    </div>
                </div>
            </div>
        </div>
    }
}
