//! "Rate a number": what a call to a dialled number costs under the rates on screen.
//!
//! Parsing, matching and pricing are `cdr_core::rating`'s; this panel only holds the two
//! inputs and shows the lines the page's `quote` gives back.

use cdr_core::rating::{amount, parse_call_length, DialedNumber, QuoteLine};
use leptos::prelude::*;

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
            (!n.trim().is_empty()).then(|| DialedNumber::parse(n).map_err(|e| e.to_string()))
        })
    });
    let seconds = Memo::new(move |_| length.with(|l| parse_call_length(l)));
    let number_error = move || parsed.with(|p| p.as_ref().and_then(|r| r.as_ref().err().cloned()));
    let length_error = move || seconds.with(|s| s.as_ref().err().cloned());

    let lines = Memo::new(move |_| match (parsed.get(), seconds.get()) {
        (Some(Ok(n)), Ok(s)) if fetched.get() > 0 => Some((
            n.digits().to_owned(),
            s,
            quote.run((n.digits().to_owned(), s)),
        )),
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

    let table = move || {
        lines.with(|l| {
            let (_, secs, lines) = l.as_ref()?;
            if lines.is_empty() {
                return None;
            }
            let rows = lines
                .iter()
                .map(|q| {
                    let p = q.pricing;
                    view! {
                        <tr>
                            <th scope="row">{q.label.clone()}</th>
                            <td>{q.destination.clone()}</td>
                            <td>{q.prefix.clone()}</td>
                            <td class="num">{amount(p.rate)}</td>
                            <td class="num">{format!("{} s", p.increment)}</td>
                            <td class="num">{format!("{} s", p.billed_seconds)}</td>
                            <td class="num">{amount(p.cost)}</td>
                        </tr>
                    }
                })
                .collect_view();
            Some(view! {
                <table class="rates quote">
                    <caption>{format!("Cost of a {secs} s call")}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Tariff"</th>
                            <th scope="col">"Destination"</th>
                            <th scope="col">"Prefix"</th>
                            <th scope="col" class="num">"Rate per minute"</th>
                            <th scope="col" class="num">"Increment"</th>
                            <th scope="col" class="num">"Billed"</th>
                            <th scope="col" class="num">"Cost"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            })
        })
    };

    view! {
        <section class="rate-number" aria-labelledby="rate-number-title">
            <h2 id="rate-number-title">"Rate a number"</h2>
            <form class="filters" on:submit=|ev| ev.prevent_default()>
                <div class="field">
                    <label for="dialed-number">"Dialed number"</label>
                    <input type="text" id="dialed-number" inputmode="tel" autocomplete="off"
                        spellcheck="false" placeholder="+1 (418) 555-0100"
                        aria-invalid=move || number_error().map(|_| "true")
                        aria-describedby="dialed-number-error"
                        prop:value=move || number.get()
                        on:input:target=move |ev| number.set(ev.target().value()) />
                    <p class="field-error" id="dialed-number-error">{number_error}</p>
                </div>
                <div class="field">
                    <label for="call-length">"Call length (seconds)"</label>
                    <input type="text" id="call-length" inputmode="numeric" autocomplete="off"
                        aria-invalid=move || length_error().map(|_| "true")
                        aria-describedby="call-length-error"
                        prop:value=move || length.get()
                        on:input:target=move |ev| length.set(ev.target().value()) />
                    <p class="field-error" id="call-length-error">{length_error}</p>
                </div>
            </form>
            <p class="rate-status" role="status">{status}</p>
            {table}
        </section>
    }
}
