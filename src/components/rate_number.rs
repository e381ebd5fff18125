//! "Rate a number": what a call to a dialled number costs under the rates on screen.
//!
//! Parsing, matching and pricing are `cdr_core::rating`'s; this panel only holds the two
//! inputs and shows the lines the page's `quote` gives back.

use cdr_core::rating::{amount, parse_call_length, DialedNumber, QuoteLine};
use leptos::prelude::*;

use crate::components::rate_search::{table, text_field, Cell, TextField};

/// The panel under a rates table: a dialled number and a call length in, the matched
/// destination and the cost of the call out.
#[component]
pub fn RateNumber(
    /// Prices a number (digits, country code first) for a call length in seconds: one line
    /// per tariff of the longest matching prefix, none when no rate matches.
    quote: Callback<(String, u32), Vec<QuoteLine>>,
    /// How many rates are on screen: the number is matched among them only.
    #[prop(into)]
    fetched: Signal<usize>,
) -> impl IntoView {
    let number = RwSignal::new(String::new());
    let length = RwSignal::new("60".to_owned());

    // An empty number is not an error yet: nothing has been asked.
    let parsed = Memo::new(move |_| {
        number.with(|n| {
            if n.trim().is_empty() {
                Ok(None)
            } else {
                DialedNumber::parse(n).map(Some).map_err(|e| e.to_string())
            }
        })
    });
    let seconds = Memo::new(move |_| length.with(|l| parse_call_length(l)));
    let number_error =
        Signal::derive(move || parsed.with(|p| p.as_ref().err().cloned().unwrap_or_default()));
    let length_error =
        Signal::derive(move || seconds.with(|s| s.as_ref().err().cloned().unwrap_or_default()));

    let lines = Memo::new(move |_| match (parsed.get(), seconds.get()) {
        (Ok(Some(n)), Ok(s)) if fetched.get() > 0 => {
            let digits = n.digits().to_owned();
            let lines = quote.run((digits.clone(), s));
            Some((digits, s, lines))
        }
        _ => None,
    });

    let status = move || {
        if fetched.get() == 0 {
            return Some(
                "Search rates first: the number is matched against the rates shown.".to_owned(),
            );
        }
        lines.with(|l| {
            l.as_ref().map(|(digits, secs, lines)| match lines.first() {
                None => format!(
                    "No rate among the {} shown matches {digits}. Search for its country or destination first.",
                    fetched.get()
                ),
                Some(first) => format!(
                    "{digits} matches {} (prefix {}): a {secs} s call is billed as {} s.",
                    first.destination, first.prefix, first.pricing.billed_seconds
                ),
            })
        })
    };

    let quote_table = move || {
        lines.with(|l| {
            let (_, secs, lines) = l.as_ref().filter(|(_, _, lines)| !lines.is_empty())?;
            let rows = lines
                .iter()
                .map(|q| {
                    let p = q.pricing;
                    vec![
                        Cell::Head(q.label.clone()),
                        Cell::Text(q.destination.clone()),
                        Cell::Text(q.prefix.clone()),
                        Cell::Num(amount(p.rate)),
                        Cell::Num(format!("{} s", p.increment)),
                        Cell::Num(format!("{} s", p.billed_seconds)),
                        Cell::Num(amount(p.cost)),
                    ]
                })
                .collect();
            Some(table(
                format!("Cost of a {secs} s call"),
                &[
                    ("Tariff", false),
                    ("Destination", false),
                    ("Prefix", false),
                    ("Rate per minute", true),
                    ("Increment", true),
                    ("Billed", true),
                    ("Cost", true),
                ],
                rows,
                None,
            ))
        })
    };

    view! {
        <section class="rate-number" aria-labelledby="rate-number-title">
            <h2 id="rate-number-title">"Rate a number"</h2>
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                {text_field(TextField {
                    id: "dialed-number",
                    label: "Dialed number",
                    kind: "text",
                    inputmode: "tel",
                    placeholder: "+1 (418) 555-0100",
                    value: number.into(),
                    error: number_error,
                    on_input: Callback::new(move |v| number.set(v)),
                })}
                {text_field(TextField {
                    id: "call-length",
                    label: "Call length (seconds)",
                    kind: "text",
                    inputmode: "numeric",
                    placeholder: "60",
                    value: length.into(),
                    error: length_error,
                    on_input: Callback::new(move |v| length.set(v)),
                })}
            </form>
            <p class="rate-status" role="status">{status}</p>
            {quote_table}
        </section>
    }
    .into_any()
}
