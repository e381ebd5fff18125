//! The URL is where every page keeps its search: one way to move it.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

/// A `Copy` function that sets the current page's query string without scrolling to the top.
/// With `replace` the step stays out of the history (a sort, a quick filter); without it,
/// Back returns to the previous search. Call it while the page is being set up.
pub fn use_set_query() -> impl Fn(&str, bool) + Copy + 'static {
    let location = use_location();
    // Stored so that the returned closure stays `Copy`, as view children need.
    let navigate = StoredValue::new_local(use_navigate());
    move |query: &str, replace: bool| {
        let path = location.pathname.get_untracked();
        navigate.with_value(|navigate| {
            navigate(
                &format!("{path}?{query}"),
                NavigateOptions {
                    replace,
                    scroll: false,
                    ..Default::default()
                },
            )
        });
    }
}
