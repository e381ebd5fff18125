//! The totals and KPIs of the rows shown.

use cdr_core::analytics::Summary;
use cdr_core::html::terms_html;
use leptos::prelude::*;

/// Calls, answered, ASR, minutes, ACD, cost and the count per disposition.
#[component]
pub fn SummaryBar(
    /// The summary of the rows shown.
    #[prop(into)]
    summary: Signal<Summary>,
) -> impl IntoView {
    // Nine figures that change together: one string, not eighteen compiled text nodes.
    view! {
        <section class="summary" aria-label="Summary of the calls shown">
            <dl class="kpis" inner_html=move || summary.with(|s| terms_html(&s.terms()))></dl>
        </section>
    }
}
