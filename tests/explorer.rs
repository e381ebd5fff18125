//! Browser tests of the CDR explorer: its own wasm binary, so its router owns the page.
#![cfg(target_arch = "wasm32")]

use cdr_core::synth::{cdr_row, default_newest};
use cdr_core::table::{CdrTable, Column, Sort};
use cdr_core::view::Scope;
use cdr_portal::components::explorer::{browser_lowercase, CdrExplorer};
use cdr_portal::components::grid::CdrGrid;
use cdr_portal::router::provide_location;
use cdr_portal::settings::provide_connection;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

mod common;
use common::{container, until};

wasm_bindgen_test_configure!(run_in_browser);

fn count(root: &HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
}

#[wasm_bindgen_test]
async fn the_grid_keeps_the_dom_small_and_reaches_the_last_of_100k_rows() {
    let newest = default_newest();
    let table = CdrTable::new((0..100_000).map(|i| cdr_row(7, i, newest)).collect());
    let view: Vec<u32> = table.sorted(Sort::DEFAULT);
    let root = container();
    let _grid = mount_to(root.clone(), move || {
        let table = RwSignal::new(std::sync::Arc::new(table));
        let view = RwSignal::new(view);
        view! {
            <CdrGrid table=table view=view columns=Column::ALL.to_vec() sort=Sort::DEFAULT
                on_sort=Callback::new(|_| {}) label="Calls" />
        }
    });
    until("rows", || count(&root, "[role=row]") > 1).await;
    let grid: HtmlElement = root
        .query_selector("[role=grid]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(
        grid.get_attribute("aria-rowcount").as_deref(),
        Some("100001")
    );
    let rendered = count(&root, "[role=row]");
    assert!(rendered <= 40, "{rendered} rows in the DOM");

    let body: HtmlElement = root
        .query_selector("[role=grid]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    body.set_scroll_top(i32::MAX);
    body.dispatch_event(&web_sys::Event::new("scroll").unwrap())
        .unwrap();
    until("the last row", || {
        root.query_selector("[aria-rowindex='100001']")
            .unwrap()
            .is_some()
    })
    .await;
    assert!(count(&root, "[role=row]") <= 40);
    root.remove();
}

#[wasm_bindgen_test]
async fn invalid_filters_are_shown_inline_and_block_the_search() {
    let root = container();
    let _app = mount_to(root.clone(), || {
        provide_connection();
        provide_location();
        view! { <CdrExplorer scope=Scope::Own /> }
    });
    until("the form", || {
        root.query_selector("#disp-answered").unwrap().is_some()
    })
    .await;
    for id in ["disp-answered", "disp-noanswer", "disp-busy", "disp-failed"] {
        let b: HtmlInputElement = root
            .query_selector(&format!("#{id}"))
            .unwrap()
            .unwrap()
            .unchecked_into();
        b.click();
    }
    let from: HtmlInputElement = root
        .query_selector("#date-from")
        .unwrap()
        .unwrap()
        .unchecked_into();
    from.set_value("2099-01-01");
    from.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    tick().await;
    let submit: HtmlElement = root
        .query_selector("button[type=submit]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    submit.click();
    until("the errors", || {
        root.text_content()
            .unwrap_or_default()
            .contains("Choose at least one call status")
    })
    .await;
    assert_eq!(from.get_attribute("aria-invalid").as_deref(), Some("true"));
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("after"), "no date order message in {text}");
    // Nothing was searched: no progress, no grid.
    assert_eq!(count(&root, "progress"), 0);
    assert_eq!(count(&root, "[role=grid]"), 0);
    root.remove();
}

/// The quick filter lower-cases non-ASCII text with the browser's tables instead of
/// shipping Rust's: both must give the same answer, contextual cases included.
#[wasm_bindgen_test]
fn browser_lowercase_is_rust_lowercase() {
    for text in [
        "Émile Zoë Ångström",
        "ΟΔΟΣ ΣΑΣ",
        "İZMİR",
        "ǅ ǈ ß ẞ",
        "Ⓐ ＡＢＣ 山田",
    ] {
        assert_eq!(browser_lowercase(text), text.to_lowercase(), "{text}");
    }
}
