//! The totals and KPIs of the rows shown.

use cdr_core::analytics::Summary;
use cdr_core::display;
use leptos::prelude::*;

/// Calls, answered, ASR, minutes, ACD, cost and the count per disposition.
#[component]
pub fn SummaryBar(
    /// The summary of the rows shown.
    #[prop(into)]
    summary: Signal<Summary>,
) -> impl IntoView {
    let item = move |label: &'static str, value: Signal<String>| {
        view! {
            <div class="kpi">
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    };
    let s = move |f: fn(&Summary) -> String| Signal::derive(move || summary.with(f));
    view! {
        <section class="summary" aria-label="Summary of the calls shown">
            <dl class="kpis">
                {item("Calls", s(|s| display::count(s.calls())))}
                {item("Answered", s(|s| display::count(s.dispositions.answered)))}
                {item("ASR", s(|s| display::percent(s.asr())))}
                {item("Minutes", s(|s| display::one_decimal(s.minutes())))}
                {item("ACD", s(|s| display::duration(s.acd_seconds())))}
                {item("Cost", s(|s| display::money(s.cost)))}
                {item("No answer", s(|s| display::count(s.dispositions.no_answer)))}
                {item("Busy", s(|s| display::count(s.dispositions.busy)))}
                {item("Failed", s(|s| display::count(s.dispositions.failed)))}
            </dl>
        </section>
    }
}
