//! "Rate a number": what a call to a dialled number costs under the rates on screen.
//!
//! Parsing, matching and pricing are `cdr_core::rating`'s; this panel only holds the two
//! inputs and shows the lines the page's `quote` gives back.

use cdr_core::rating::{amount, computed_amount, parse_call_length, DialedNumber, QuoteLine};
use leptos::prelude::*;

use cdr_core::html::{rows_html, Cell};

use crate::components::form::TextField;
use crate::components::rate_table::{columns, RateTable};

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

    /// Everything the panel shows, computed at once from the two inputs.
    #[derive(Clone, Default, PartialEq)]
    struct Rated {
        number_error: String,
        length_error: String,
        status: Option<String>,
        caption: String,
        lines: Vec<QuoteLine>,
    }
    let rated = Memo::new(move |_| {
        let mut out = Rated::default();
        // An empty number is not an error yet: nothing has been asked.
        let parsed = number.with(|n| {
            (!n.trim().is_empty()).then(|| DialedNumber::parse(n).map_err(|e| e.to_string()))
        });
        let seconds = length.with(|l| parse_call_length(l));
        if let Some(Err(e)) = &parsed {
            out.number_error.clone_from(e);
        }
        if let Err(e) = &seconds {
            out.length_error.clone_from(e);
        }
        let shown = fetched.get();
        if shown == 0 {
            out.status =
                Some("Search rates first: the number is matched against the rates shown.".into());
            return out;
        }
        if let (Some(Ok(n)), Ok(secs)) = (parsed, seconds) {
            let digits = n.digits();
            out.lines = quote.run((digits.to_owned(), secs));
            out.caption = format!("Cost of a {secs} s call");
            out.status = Some(match out.lines.first() {
                None => format!(
                    "No rate among the {shown} shown matches {digits}. Search for its country or destination first."
                ),
                Some(first) => format!(
                    "{digits} matches {} (prefix {}): a {secs} s call is billed as {} s.",
                    first.destination, first.prefix, first.pricing.billed_seconds
                ),
            });
        }
        out
    });
    let number_error = Signal::derive(move || rated.with(|r| r.number_error.clone()));
    let length_error = Signal::derive(move || rated.with(|r| r.length_error.clone()));

    let quote_table = move || {
        rated.with(|r| {
            (!r.lines.is_empty()).then(|| {
                let body = rows_html(r.lines.iter().map(|q| {
                    let p = q.pricing;
                    [
                        Cell::Head(q.label.clone()),
                        Cell::Text(q.destination.clone()),
                        Cell::Text(q.prefix.clone()),
                        Cell::Num(amount(p.rate)),
                        Cell::Num(format!("{} s", p.increment)),
                        Cell::Num(format!("{} s", p.billed_seconds)),
                        Cell::Num(computed_amount(p.cost)),
                    ]
                }));
                let columns = columns(&[
                    ("Tariff", false),
                    ("Destination", false),
                    ("Prefix", false),
                    ("Rate per minute", true),
                    ("Increment", true),
                    ("Billed", true),
                    ("Cost", true),
                ]);
                view! { <RateTable caption=r.caption.clone() columns body=Signal::stored(body) /> }
            })
        })
    };

    view! {
        <section class="rate-number" aria-labelledby="rate-number-title">
            <h2 id="rate-number-title">"Rate a number"</h2>
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <TextField id="dialed-number" label="Dialed number" inputmode="tel"
                    placeholder="+1 (418) 555-0100" value=number error=number_error
                    on_input=Callback::new(move |v| number.set(v)) />
                <TextField id="call-length" label="Call length (seconds)" inputmode="numeric"
                    placeholder="60" value=length error=length_error
                    on_input=Callback::new(move |v| length.set(v)) />
            </form>
            <p class="rate-status" role="status">{move || rated.with(|r| r.status.clone())}</p>
            {quote_table}
        </section>
    }
}
