//! Charts of the rows shown, as plain SVG drawn by `cdr_core::chart`: no chart library in the
//! bundle.

use cdr_core::chart::{Svg, DISPOSITION_COLOURS};
use leptos::prelude::*;

/// One chart: a caption, the SVG (or a sentence when there is nothing to draw) and, for the
/// stacked charts, a legend of the dispositions.
#[component]
pub fn Chart(
    /// The caption above the chart.
    caption: &'static str,
    /// The drawing, redrawn whole when it changes.
    #[prop(into)]
    svg: Signal<Svg>,
    /// Shown instead of a drawing with no bars.
    #[prop(optional)]
    empty: &'static str,
    /// Whether to show the legend of the dispositions.
    #[prop(optional)]
    legend: bool,
) -> impl IntoView {
    // A drawing without a view box is not drawn yet (charts come a frame after the rows):
    // only a drawn chart with no bars says it is empty.
    let blank = move || svg.with(|s| s.body.is_empty());
    let nothing_to_draw = move || svg.with(|s| !s.view_box.is_empty() && s.body.is_empty());
    view! {
        <figure class="chart">
            <figcaption>{caption}</figcaption>
            <p class="hint" hidden=move || !nothing_to_draw()>{empty}</p>
            <svg role="img" hidden=blank
                viewBox=move || svg.with(|s| (!s.view_box.is_empty()).then(|| s.view_box.clone()))
                aria-label=move || svg.with(|s| s.label.clone())
                inner_html=move || svg.with(|s| s.body.clone())></svg>
            <p class="hint" hidden=move || svg.with(|s| s.note.is_empty())>
                {move || svg.with(|s| s.note.clone())}
            </p>
            {legend.then(|| view! {
                <ul class="legend">
                    {["Answered", "No answer", "Busy", "Failed", "Other"]
                        .into_iter()
                        .zip(DISPOSITION_COLOURS)
                        .map(|(l, c)| view! { <li><span class="swatch" style:background=c></span>{l}</li> })
                        .collect_view()}
                </ul>
            })}
        </figure>
    }
}
