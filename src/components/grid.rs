//! The CDR grid: windowed rendering over any number of rows.
//!
//! Only the rows in view are in the DOM; `cdr_core::grid` decides which, and scales scrolling
//! past the browser's height limit. The ARIA grid pattern gives screen readers the row and
//! column counts, and the grid takes the keyboard: arrows, Page Up / Down, Home / End.

use cdr_core::display;
use cdr_core::grid::GridGeometry;
use cdr_core::table::{CdrTable, Column, Sort, SortDir};
use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;

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
    table: Signal<CdrTable>,
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
    let scroller = NodeRef::<Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport_px = RwSignal::new(480.0f64);
    let active = RwSignal::new(0usize);
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
            let h = f64::from(el.client_height()).min(window_h);
            if h > 0.0 && (h - viewport_px.get_untracked()).abs() > 0.5 {
                viewport_px.set(h);
            }
        }
    };
    crate::reactive::effect(move || {
        scroller.track();
        measure();
    });
    let _resize = window_event_listener(ev::resize, move |_| measure());

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
    crate::reactive::effect(move || {
        generation.track();
        active.set(0);
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

    let move_to = move |pos: usize| {
        let g = geometry.get_untracked();
        if g.rows == 0 {
            return;
        }
        let pos = pos.min(g.rows - 1);
        active.set(pos);
        let target = g.scroll_to_row(pos, scroll_top.get_untracked());
        if let Some(el) = scroller.get_untracked() {
            el.set_scroll_top(target.round() as i32);
        }
        scroll_top.set(target);
    };
    let on_keydown = move |ev: ev::KeyboardEvent| {
        let g = geometry.get_untracked();
        let a = active.get_untracked();
        let next = match ev.key().as_str() {
            "ArrowDown" => a.saturating_add(1),
            "ArrowUp" => a.saturating_sub(1),
            "PageDown" => a.saturating_add(g.page_rows()),
            "PageUp" => a.saturating_sub(g.page_rows()),
            "Home" => 0,
            "End" => g.rows.saturating_sub(1),
            "Enter" => {
                if let (Some(cb), Some(i)) =
                    (on_activate, view.with_untracked(|v| v.get(a).copied()))
                {
                    cb.run(i);
                }
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        move_to(next);
    };

    let header = move || {
        let s = sort.get();
        columns
            .get()
            .into_iter()
            .map(|c| {
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
                    <div role="columnheader" aria-sort=state class="grid-cell"
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
        table.with(|t| t.rows().get(i as usize).map(|row| c.cell(row).into_owned()))
    };

    view! {
        <div class="grid" role="grid" aria-label=label tabindex="0"
            aria-rowcount=move || view.with(Vec::len) + 1
            aria-colcount=move || columns.with(Vec::len)
            aria-activedescendant=move || {
                (!view.with(Vec::is_empty)).then(|| format!("{id}-r{}", active.get()))
            }
            style:--cols=template
            on:keydown=on_keydown
        >
            <div role="rowgroup" class="grid-head">
                <div role="row" aria-rowindex="1" class="grid-row">{header}</div>
            </div>
            <div role="rowgroup" class="grid-body" node_ref=scroller
                on:scroll=move |_| {
                    if let Some(el) = scroller.get_untracked() {
                        scroll_top.set(f64::from(el.scroll_top()));
                    }
                }
            >
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
                                on:click=move |_| active.set(pos_of(slot))
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
                                        .map(|c| view! {
                                            <div role="gridcell" class="grid-cell" class:num=c.is_numeric()>
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
