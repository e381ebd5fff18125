//! The view over the fetched rows: the sort, the quick filter and the columns that the address
//! holds (`cdr_core::view::CdrView`), and what follows from them: the order of the rows shown,
//! their summary and their charts. Changing the view never fetches and never touches the
//! search form.

use std::sync::Arc;

use cdr_core::analytics::{
    calls_over_time, calls_per_hour, cost_per_account, top_destinations_by_cost, Summary,
};
use cdr_core::chart::{self, Svg};
use cdr_core::table::CdrTable;
use cdr_core::view::CdrView;
use leptos::prelude::*;

use super::CdrAnswer;
use crate::perf;
use crate::router::use_location;

/// The captions of the cost charts, also their accessible names.
pub const TOP_DEST: &str = "Top 10 destinations by cost";
/// See [`TOP_DEST`].
pub const PER_ACCOUNT: &str = "Cost per account";

/// The charts of the rows shown.
#[derive(Clone, Copy)]
pub struct Charts {
    /// Calls per day (or week, month) of the searched days.
    pub over_time: Memo<Svg>,
    /// Calls per hour of the day.
    pub per_hour: Memo<Svg>,
    /// The ten destinations that cost most.
    pub top_destinations: Memo<Svg>,
    /// Cost per account.
    pub per_account: Memo<Svg>,
}

/// The view over the rows of one explorer. `Copy`.
#[derive(Clone, Copy)]
pub struct RowsView {
    /// The rows fetched, in the API's order.
    pub table: Memo<Arc<CdrTable>>,
    /// The sort, quick filter and columns in the address.
    pub view: Memo<CdrView>,
    /// Positions of the rows shown, sorted and filtered.
    pub shown: Memo<Vec<u32>>,
    /// Totals and KPIs of the rows shown.
    pub summary: Memo<Summary>,
    /// The charts, drawn in the frame after the grid so that the rows paint first.
    pub charts: Charts,
    set: Callback<CdrView>,
}

impl RowsView {
    /// The view over the rows of `store`, following the address. Call it while the page is
    /// being set up.
    pub fn new(store: RwSignal<Option<CdrAnswer>>) -> RowsView {
        let location = use_location();
        let query = location.query();
        let view = Memo::new(move |_| query.with(|q| q.read::<CdrView>(&())));
        let table = Memo::new_with_compare(
            move |_| store.with(|a| a.as_ref().map(|a| Arc::clone(&a.found)).unwrap_or_default()),
            |old, new| match (old, new) {
                (Some(old), Some(new)) => !Arc::ptr_eq(old, new),
                _ => true,
            },
        );
        let sort = Memo::new(move |_| view.with(|v| v.sort));
        let quick = Memo::new(move |_| view.with(|v| v.quick.clone()));
        let sorted = Memo::new(move |_| {
            let sort = sort.get();
            table.with(|t| perf::measure("cdr:sort", || t.sorted(sort)))
        });
        let shown = Memo::new(move |_| {
            let q = quick.get();
            sorted.with(|s| table.with(|t| perf::measure("cdr:filter", || t.narrow(s, &q))))
        });
        let summary = Memo::new(move |_| {
            table.with(|t| shown.with(|v| perf::measure("cdr:summary", || Summary::of(t, v))))
        });

        // Charts group every row shown: a frame later, so that the grid paints first. The
        // callback only bumps a counter, which does nothing once the page is gone.
        let epoch = RwSignal::new(0u64);
        Effect::new(move |_| {
            shown.track();
            perf::after_next_paint(move || epoch.update(|e| *e += 1));
        });
        // Nothing is drawn before the first bump: a chart read while the results are first
        // built would otherwise be computed in the same task as the grid.
        let chart = move |draw: fn(&CdrTable, &[u32]) -> Svg| {
            Memo::new(move |_| {
                if epoch.get() == 0 {
                    return Svg::default();
                }
                table.with_untracked(|t| shown.with_untracked(|v| draw(t, v)))
            })
        };
        // Only the searched days are charted: a stray date must not stretch the axis.
        let over_time = Memo::new(move |_| {
            if epoch.get() == 0 {
                return Svg::default();
            }
            let range = store.with_untracked(|a| {
                let filter = a.as_ref()?.search.validate().ok()?;
                Some((filter.date_from, filter.date_to))
            });
            range.map_or_else(Svg::default, |range| {
                table.with_untracked(|t| {
                    shown.with_untracked(|v| chart::calls_over_time(&calls_over_time(t, v, range)))
                })
            })
        });
        let charts = Charts {
            over_time,
            per_hour: chart(|r, v| chart::calls_per_hour(&calls_per_hour(r, v))),
            top_destinations: chart(|r, v| {
                chart::cost_bars(TOP_DEST, &top_destinations_by_cost(r, v, 10))
            }),
            per_account: chart(|r, v| chart::cost_bars(PER_ACCOUNT, &cost_per_account(r, v))),
        };
        // A sort, a quick filter or a column replaces its step in the history.
        let set = Callback::new(move |next: CdrView| {
            let q = query.with_untracked(|q| q.with_part(&next));
            location.set_query(&q, true);
        });
        RowsView {
            table,
            view,
            shown,
            summary,
            charts,
            set,
        }
    }

    /// Changes the view with `change`, in the address.
    pub fn change(&self, change: impl FnOnce(&mut CdrView)) {
        let mut next = self.view.get_untracked();
        change(&mut next);
        if next != self.view.get_untracked() {
            self.set.run(next);
        }
    }
}
