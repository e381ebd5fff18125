//! The charts under the CDR grid, drawn as SVG markup.
//!
//! A chart is redrawn whole whenever the rows shown change, so it is built here as one string
//! and set as the `<svg>`'s inner HTML: the browser bundle then holds a loop and some
//! `push_str`s instead of a compiled view per element and attribute, and the drawing is
//! tested natively. Coordinates are written with integer arithmetic to a tenth of a unit:
//! nothing here formats a float, which keeps float printing out of the bundle.

use chrono::Datelike;

use crate::analytics::{CallsOverTime, CostGroup, Period};
use crate::display;
use crate::html::escape;
use crate::money::Money;

/// Width of every chart's view box.
const W: f64 = 640.0;
/// Height of the day and hour charts' view box.
const H: f64 = 220.0;
const PAD_L: f64 = 44.0;
const PAD_B: f64 = 22.0;
const PAD_T: f64 = 10.0;

/// Fill colours per disposition, in `DispositionCounts::labelled` order.
pub const DISPOSITION_COLOURS: [&str; 5] = ["#2e7d32", "#f9a825", "#ef6c00", "#c62828", "#757575"];

const BAR_COLOUR: &str = "#1d4ed8";

/// One chart, ready for an `<svg>` element.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Svg {
    /// The `viewBox` attribute.
    pub view_box: String,
    /// The `aria-label`: what the chart shows, in a sentence.
    pub label: String,
    /// The inner markup, every text escaped.
    pub body: String,
    /// A sentence shown under the chart about what it leaves out; empty when nothing is.
    pub note: String,
}

/// Appends `v` rounded to a tenth, without a trailing `.0`.
fn num(v: f64, out: &mut String) {
    display::push_tenths(v, false, out);
}

/// Appends ` name="v"` for each attribute.
fn attrs(out: &mut String, pairs: &[(&str, f64)]) {
    for (name, v) in pairs {
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        num(*v, out);
        out.push('"');
    }
}

/// `<rect …><title>…</title></rect>`
fn rect(out: &mut String, x: f64, y: f64, w: f64, h: f64, fill: &str, title: &str) {
    out.push_str("<rect");
    attrs(out, &[("x", x), ("y", y), ("width", w), ("height", h)]);
    out.push_str(" fill=\"");
    out.push_str(fill);
    out.push_str("\"><title>");
    escape(title, out);
    out.push_str("</title></rect>");
}

/// `<text …>…</text>`; `anchor` is the `text-anchor`, if any.
fn text(out: &mut String, class: Option<&str>, x: f64, y: f64, anchor: Option<&str>, t: &str) {
    out.push_str("<text");
    if let Some(class) = class {
        out.push_str(" class=\"");
        out.push_str(class);
        out.push('"');
    }
    attrs(out, &[("x", x), ("y", y)]);
    if let Some(anchor) = anchor {
        out.push_str(" text-anchor=\"");
        out.push_str(anchor);
        out.push('"');
    }
    out.push('>');
    escape(t, out);
    out.push_str("</text>");
}

/// A round number at or above `max` (1, 2, 2.5 or 5 times a power of ten), so axes read
/// well; 1 when there is nothing to show.
pub fn nice_max(max: u64) -> u64 {
    if max == 0 {
        return 1;
    }
    let mut mag = 1u64;
    while mag.saturating_mul(10) <= max {
        mag *= 10;
    }
    // In quarters of the magnitude, so 2.5 stays whole.
    [4, 8, 10, 20, 40]
        .into_iter()
        .map(|q| mag.saturating_mul(q) / 4)
        .find(|v| *v >= max)
        .unwrap_or(max)
}

/// Five horizontal grid lines with their values, from 0 to `max`.
fn y_axis(out: &mut String, max: u64) {
    let plot_h = H - PAD_B - PAD_T;
    for i in 0..=4u32 {
        let v = (max as f64 * f64::from(i) / 4.0).round() as u64;
        let y = H - PAD_B - plot_h * f64::from(i) / 4.0;
        out.push_str("<g class=\"tick\"><line");
        attrs(out, &[("x1", PAD_L), ("x2", W), ("y1", y), ("y2", y)]);
        out.push_str("/>");
        text(
            out,
            None,
            PAD_L - 4.0,
            y + 4.0,
            Some("end"),
            &display::count(v),
        );
        out.push_str("</g>");
    }
}

fn view_box(h: f64) -> String {
    let mut out = String::from("0 0 ");
    num(W, &mut out);
    out.push(' ');
    num(h, &mut out);
    out
}

/// Calls over time, one bar per period stacked by disposition; a date under every few bars.
pub fn calls_over_time(series: &CallsOverTime) -> Svg {
    let days = &series.buckets;
    let max = nice_max(days.iter().map(|d| d.counts.total()).max().unwrap_or(0));
    let band = (W - PAD_L) / days.len().max(1) as f64;
    let plot_h = H - PAD_B - PAD_T;
    let label_every = (days.len() / 8).max(1);
    let (unit, units) = match series.period {
        Period::Day => ("day", "days"),
        Period::Week => ("week", "weeks"),
        Period::Month => ("month", "months"),
        Period::Years(_) => ("year", "years"),
    };
    let mut body = String::new();
    y_axis(&mut body, max);
    for (i, d) in days.iter().enumerate() {
        let x = PAD_L + band * i as f64 + band * 0.1;
        let mut y = H - PAD_B;
        let when = match series.period {
            Period::Day => d.start.to_string(),
            Period::Week => format!("week of {}", d.start),
            Period::Month => format!("{:04}-{:02}", d.start.year(), d.start.month()),
            Period::Years(1) => d.start.year().to_string(),
            Period::Years(n) => format!(
                "{}–{}",
                d.start.year(),
                i64::from(d.start.year()) + i64::from(n) - 1
            ),
        };
        body.push_str("<g>");
        for ((label, n), colour) in d.counts.labelled().into_iter().zip(DISPOSITION_COLOURS) {
            if n == 0 {
                continue;
            }
            let h = plot_h * n as f64 / max as f64;
            y -= h;
            let title = format!(
                "{when}: {} {}",
                display::count(n),
                label.to_ascii_lowercase()
            );
            rect(&mut body, x, y, band * 0.8, h, colour, &title);
        }
        if i % label_every == 0 {
            let tick = match series.period {
                Period::Day | Period::Week => {
                    format!("{:02}-{:02}", d.start.month(), d.start.day())
                }
                Period::Month => format!("{:04}-{:02}", d.start.year(), d.start.month()),
                Period::Years(_) => d.start.year().to_string(),
            };
            let (tx, ty) = (x + band * 0.4, H - 6.0);
            text(&mut body, Some("x-label"), tx, ty, Some("middle"), &tick);
        }
        body.push_str("</g>");
    }
    let total: u64 = days.iter().map(|b| b.counts.total()).sum();
    let mut label = format!(
        "Calls per {unit} over {} {}, {} calls in all, stacked by disposition",
        days.len(),
        if days.len() == 1 { unit } else { units },
        display::count(total)
    );
    let note = match series.outside {
        0 => String::new(),
        1 => "1 call dated outside the searched days is not charted.".to_owned(),
        n => format!(
            "{} calls dated outside the searched days are not charted.",
            display::count(n)
        ),
    };
    if !note.is_empty() {
        label.push_str("; ");
        label.push_str(note.trim_end_matches('.'));
    }
    Svg {
        view_box: view_box(H),
        label,
        body,
        note,
    }
}

/// Calls per hour of the day, one bar per hour; every third hour labelled.
pub fn calls_per_hour(hours: &[u64; 24]) -> Svg {
    let max = nice_max(hours.iter().copied().max().unwrap_or(0));
    let band = (W - PAD_L) / 24.0;
    let plot_h = H - PAD_B - PAD_T;
    let mut body = String::new();
    y_axis(&mut body, max);
    for (hour, &n) in hours.iter().enumerate() {
        let bh = plot_h * n as f64 / max as f64;
        let x = PAD_L + band * hour as f64 + band * 0.1;
        let title = format!("{hour:02}:00–{hour:02}:59: {} calls", display::count(n));
        rect(
            &mut body,
            x,
            H - PAD_B - bh,
            band * 0.8,
            bh,
            BAR_COLOUR,
            &title,
        );
        if hour % 3 == 0 {
            let t = format!("{hour:02}");
            text(
                &mut body,
                Some("x-label"),
                x + band * 0.4,
                H - 6.0,
                Some("middle"),
                &t,
            );
        }
    }
    let (busiest, n) = hours
        .iter()
        .enumerate()
        .max_by_key(|(_, n)| **n)
        .unwrap_or((0, &0));
    Svg {
        view_box: view_box(H),
        label: format!(
            "Calls per hour of the day; the busiest hour is {busiest:02}:00 with {} calls",
            display::count(*n)
        ),
        body,
        note: String::new(),
    }
}

/// Horizontal bars of cost per group (highest first), each with its key and its cost.
pub fn cost_bars(title: &str, groups: &[CostGroup]) -> Svg {
    const ROW: f64 = 22.0;
    const LABEL_W: f64 = 170.0;
    const VALUE_W: f64 = 90.0;
    // An overflowing group is drawn at full length: it is too large to compare.
    let max = groups
        .iter()
        .filter_map(|c| c.cost.ok())
        .map(Money::units)
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut body = String::new();
    for (i, c) in groups.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let share = c.cost.map_or(1.0, |m| m.units() as f64 / max);
        let w = ((W - LABEL_W - VALUE_W) * share).max(1.0);
        let cost = display::money(c.cost);
        body.push_str("<g>");
        text(
            &mut body,
            None,
            LABEL_W - 6.0,
            y + 15.0,
            Some("end"),
            &c.key,
        );
        let tip = format!("{}: {} over {} calls", c.key, cost, display::count(c.calls));
        rect(&mut body, LABEL_W, y + 3.0, w, ROW - 6.0, BAR_COLOUR, &tip);
        text(&mut body, None, LABEL_W + w + 6.0, y + 15.0, None, &cost);
        body.push_str("</g>");
    }
    let highest: Vec<String> = groups
        .iter()
        .take(3)
        .map(|c| format!("{} {}", c.key, display::money(c.cost)))
        .collect();
    Svg {
        view_box: view_box(groups.len().max(1) as f64 * ROW + 8.0),
        label: if highest.is_empty() {
            format!("{title}: none")
        } else {
            format!("{title}; highest: {}", highest.join(", "))
        },
        body,
        note: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analytics::{DispositionCounts, TimeBucket};
    use chrono::NaiveDate;

    fn count(s: &str, needle: &str) -> usize {
        s.matches(needle).count()
    }

    #[test]
    fn numbers_are_written_to_a_tenth_without_float_printing() {
        let mut s = String::new();
        for v in [0.0, 12.0, 12.34, 12.35, -3.06, 0.04] {
            num(v, &mut s);
            s.push(' ');
        }
        assert_eq!(s, "0 12 12.3 12.4 -3.1 0 ");
    }

    #[test]
    fn axes_end_at_round_numbers() {
        let cases = [
            (0, 1),
            (1, 1),
            (3, 5),
            (7, 10),
            (11, 20),
            (21, 25),
            (26, 50),
            (999, 1000),
            (1001, 2000),
        ];
        for (max, nice) in cases {
            assert_eq!(nice_max(max), nice, "nice_max({max})");
        }
    }

    fn day(d: u32, answered: u64, busy: u64) -> TimeBucket {
        TimeBucket {
            start: NaiveDate::from_ymd_opt(2026, 3, d).unwrap(),
            counts: DispositionCounts {
                answered,
                busy,
                ..Default::default()
            },
        }
    }

    fn series(period: Period, buckets: Vec<TimeBucket>, outside: u64) -> CallsOverTime {
        CallsOverTime {
            period,
            buckets,
            outside,
        }
    }

    #[test]
    fn days_stack_one_rect_per_disposition_present() {
        let days = vec![day(1, 3, 1), day(2, 0, 0), day(3, 2, 0)];
        let svg = calls_over_time(&series(Period::Day, days, 0));
        assert_eq!(svg.view_box, "0 0 640 220");
        assert_eq!(count(&svg.body, "<rect"), 3);
        assert!(svg.body.contains("<title>2026-03-01: 3 answered</title>"));
        assert!(svg.body.contains("<title>2026-03-01: 1 busy</title>"));
        assert_eq!(count(&svg.body, "class=\"x-label\""), 3);
        assert!(svg.body.contains(">03-02</text>"));
        // The tallest stack (4 calls) on an axis up to 5: 4/5 of the 188-unit plot.
        assert!(svg.body.contains("height=\"112.8\""), "{}", svg.body);
        assert_eq!(
            svg.label,
            "Calls per day over 3 days, 6 calls in all, stacked by disposition"
        );
        assert_eq!(
            calls_over_time(&series(Period::Day, Vec::new(), 0)).label,
            "Calls per day over 0 days, 0 calls in all, stacked by disposition"
        );
    }

    #[test]
    fn longer_periods_and_stray_dates_are_named() {
        let svg = calls_over_time(&series(Period::Month, vec![day(1, 2, 0)], 3));
        assert!(svg.body.contains("<title>2026-03: 2 answered</title>"));
        assert!(svg.body.contains(">2026-03</text>"));
        assert_eq!(
            svg.label,
            "Calls per month over 1 month, 2 calls in all, stacked by disposition; 3 calls dated outside the searched days are not charted"
        );
        assert_eq!(
            svg.note,
            "3 calls dated outside the searched days are not charted."
        );
        let svg = calls_over_time(&series(Period::Years(5), vec![day(1, 1, 0)], 0));
        assert!(svg.body.contains("<title>2026–2030: 1 answered</title>"));
        let svg = calls_over_time(&series(Period::Week, vec![day(2, 1, 0)], 0));
        assert!(svg
            .body
            .contains("<title>week of 2026-03-02: 1 answered</title>"));
    }

    #[test]
    fn hours_name_the_busiest_one() {
        let mut hours = [0u64; 24];
        hours[9] = 1200;
        hours[14] = 800;
        let svg = calls_per_hour(&hours);
        assert_eq!(count(&svg.body, "<rect"), 24);
        assert_eq!(count(&svg.body, "class=\"x-label\""), 8);
        assert!(svg.body.contains("<title>09:00–09:59: 1,200 calls</title>"));
        // Ticks of an axis up to 2,000.
        assert!(svg.body.contains(">2,000</text>") && svg.body.contains(">500</text>"));
        assert_eq!(
            svg.label,
            "Calls per hour of the day; the busiest hour is 09:00 with 1,200 calls"
        );
    }

    #[test]
    fn cost_bars_escape_names_from_the_api() {
        let groups = [
            CostGroup {
                key: "Canada <script>".into(),
                cost: Ok(Money::parse("2.5").unwrap()),
                calls: 10,
            },
            CostGroup {
                key: "USA & co".into(),
                cost: Ok(Money::parse("1.25").unwrap()),
                calls: 4,
            },
        ];
        let svg = cost_bars("Top destinations", &groups);
        assert!(!svg.body.contains("<script>"));
        assert!(svg.body.contains(">Canada &lt;script&gt;</text>"));
        assert!(svg
            .body
            .contains("<title>USA &amp; co: $1.2500 over 4 calls</title>"));
        // The highest cost spans the whole bar area; half of it, half the width.
        assert!(svg.body.contains("width=\"380\"") && svg.body.contains("width=\"190\""));
        assert_eq!(svg.view_box, "0 0 640 52");
        assert_eq!(
            svg.label,
            "Top destinations; highest: Canada <script> $2.5000, USA & co $1.2500"
        );
        assert_eq!(
            cost_bars("Cost per account", &[]).label,
            "Cost per account: none"
        );
        let overflow = [CostGroup {
            key: "X".into(),
            cost: Err(crate::money::Overflow),
            calls: 2,
        }];
        let svg = cost_bars("Top", &overflow);
        assert!(svg
            .body
            .contains("<title>X: too large to compute over 2 calls</title>"));
        assert!(svg.body.contains("width=\"380\""));
    }
}
