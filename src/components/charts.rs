//! Charts of the rows shown, as plain SVG: no chart library in the bundle.

use cdr_core::analytics::{CostGroup, DayBucket};
use cdr_core::display;
use chrono::Datelike;
use leptos::prelude::*;

const W: f64 = 640.0;
const H: f64 = 220.0;
const PAD_L: f64 = 44.0;
const PAD_B: f64 = 22.0;
const PAD_T: f64 = 10.0;

/// Fill colours per disposition, in `DispositionCounts::labelled` order.
const DISPOSITION_COLOURS: [&str; 5] = ["#2e7d32", "#f9a825", "#ef6c00", "#c62828", "#757575"];

/// A round number at or above `max`, so that axes read well.
fn nice_max(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let mag = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|v| *v >= max)
        .unwrap_or(max)
}

fn y_axis(max: f64, fmt: fn(f64) -> String) -> impl IntoView {
    let plot_h = H - PAD_B - PAD_T;
    (0..=4)
        .map(|i| {
            let v = max * f64::from(i) / 4.0;
            let y = H - PAD_B - plot_h * f64::from(i) / 4.0;
            view! {
                <g class="tick">
                    <line x1=PAD_L x2=W y1=y y2=y />
                    <text x=PAD_L - 4.0 y=y + 4.0 text-anchor="end">{fmt(v)}</text>
                </g>
            }
        })
        .collect_view()
}

fn whole(v: f64) -> String {
    display::count(v.round() as u64)
}

/// Calls per day, stacked by disposition.
#[component]
pub fn CallsPerDayChart(
    /// One bucket per day.
    #[prop(into)]
    days: Signal<Vec<DayBucket>>,
) -> impl IntoView {
    let body = move || {
        days.with(|days| {
            let max = nice_max(days.iter().map(|d| d.counts.total()).max().unwrap_or(0) as f64);
            let n = days.len().max(1) as f64;
            let band = (W - PAD_L) / n;
            let plot_h = H - PAD_B - PAD_T;
            let label_every = (days.len() / 8).max(1);
            let bars = days
                .iter()
                .enumerate()
                .map(|(i, d)| {
                    let x = PAD_L + band * i as f64 + band * 0.1;
                    let mut y = H - PAD_B;
                    let segments = d
                        .counts
                        .labelled()
                        .into_iter()
                        .zip(DISPOSITION_COLOURS)
                        .filter(|((_, n), _)| *n > 0)
                        .map(|((label, n), colour)| {
                            let h = plot_h * n as f64 / max;
                            y -= h;
                            view! {
                                <rect x=x y=y width=band * 0.8 height=h fill=colour>
                                    <title>{format!("{}: {} {}", d.day, display::count(n), label.to_lowercase())}</title>
                                </rect>
                            }
                        })
                        .collect_view();
                    let tick = (i % label_every == 0).then(|| {
                        view! {
                            <text class="x-label" x=x + band * 0.4 y=H - 6.0 text-anchor="middle">
                                {format!("{:02}-{:02}", d.day.month(), d.day.day())}
                            </text>
                        }
                    });
                    view! { <g>{segments}{tick}</g> }
                })
                .collect_view();
            view! { {y_axis(max, whole)} {bars} }
        })
    };
    let label = move || {
        days.with(|d| {
            let total: u64 = d.iter().map(|b| b.counts.total()).sum();
            format!(
                "Calls per day over {} days, {} calls in all, stacked by disposition",
                d.len(),
                display::count(total)
            )
        })
    };
    view! {
        <figure class="chart">
            <figcaption>"Calls per day"</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=label>{body}</svg>
            <ul class="legend">
                {["Answered", "No answer", "Busy", "Failed", "Other"]
                    .into_iter()
                    .zip(DISPOSITION_COLOURS)
                    .map(|(l, c)| view! { <li><span class="swatch" style:background=c></span>{l}</li> })
                    .collect_view()}
            </ul>
        </figure>
    }
}

/// Calls per hour of the day.
#[component]
pub fn CallsPerHourChart(
    /// Calls in each hour 0..23.
    #[prop(into)]
    hours: Signal<[u64; 24]>,
) -> impl IntoView {
    let body = move || {
        let h = hours.get();
        let max = nice_max(h.iter().copied().max().unwrap_or(0) as f64);
        let band = (W - PAD_L) / 24.0;
        let plot_h = H - PAD_B - PAD_T;
        let bars = h
            .iter()
            .enumerate()
            .map(|(hour, &n)| {
                let bh = plot_h * n as f64 / max;
                let x = PAD_L + band * hour as f64 + band * 0.1;
                view! {
                    <rect x=x y=H - PAD_B - bh width=band * 0.8 height=bh fill="#1d4ed8">
                        <title>{format!("{hour:02}:00–{hour:02}:59: {} calls", display::count(n))}</title>
                    </rect>
                    {(hour % 3 == 0).then(|| view! {
                        <text class="x-label" x=x + band * 0.4 y=H - 6.0 text-anchor="middle">{format!("{hour:02}")}</text>
                    })}
                }
            })
            .collect_view();
        view! { {y_axis(max, whole)} {bars} }
    };
    let label = move || {
        let h = hours.get();
        let (busiest, n) = h
            .iter()
            .enumerate()
            .max_by_key(|(_, n)| **n)
            .unwrap_or((0, &0));
        format!(
            "Calls per hour of the day; the busiest hour is {busiest:02}:00 with {} calls",
            display::count(*n)
        )
    };
    view! {
        <figure class="chart">
            <figcaption>"Calls per hour of day"</figcaption>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=label>{body}</svg>
        </figure>
    }
}

/// Horizontal bars of cost per group (top destinations, accounts).
#[component]
pub fn CostBarsChart(
    /// The chart's title.
    #[prop(into)]
    title: String,
    /// The groups, highest cost first.
    #[prop(into)]
    groups: Signal<Vec<CostGroup>>,
    /// What to say when there is nothing to draw.
    #[prop(into)]
    empty: String,
) -> impl IntoView {
    const ROW: f64 = 22.0;
    const LABEL_W: f64 = 170.0;
    const VALUE_W: f64 = 90.0;
    let height = move || groups.with(|g| (g.len().max(1) as f64) * ROW + 8.0);
    let body = move || {
        groups.with(|g| {
            let max = g.iter().map(|c| c.cost.to_f64()).fold(0.0, f64::max).max(1e-9);
            g.iter()
                .enumerate()
                .map(|(i, c)| {
                    let y = 4.0 + ROW * i as f64;
                    let w = (W - LABEL_W - VALUE_W) * c.cost.to_f64() / max;
                    view! {
                        <g>
                            <text x=LABEL_W - 6.0 y=y + 15.0 text-anchor="end">{c.key.clone()}</text>
                            <rect x=LABEL_W y=y + 3.0 width=w.max(1.0) height=ROW - 6.0 fill="#1d4ed8">
                                <title>{format!("{}: {} over {} calls", c.key, display::money(c.cost), display::count(c.calls))}</title>
                            </rect>
                            <text x=LABEL_W + w + 6.0 y=y + 15.0>{display::money(c.cost)}</text>
                        </g>
                    }
                })
                .collect_view()
        })
    };
    let title2 = title.clone();
    let label = Signal::derive(move || {
        groups.with(|g| {
            let parts: Vec<String> = g
                .iter()
                .take(3)
                .map(|c| format!("{} {}", c.key, display::money(c.cost)))
                .collect();
            if parts.is_empty() {
                format!("{title2}: none")
            } else {
                format!("{title2}; highest: {}", parts.join(", "))
            }
        })
    });
    view! {
        <figure class="chart">
            <figcaption>{title}</figcaption>
            <Show when=move || groups.with(|g| !g.is_empty()) fallback={
                let empty = empty.clone();
                move || view! { <p class="hint">{empty.clone()}</p> }
            }>
                <svg viewBox=move || format!("0 0 {W} {}", height()) role="img" aria-label=label>{body}</svg>
            </Show>
        </figure>
    }
}
