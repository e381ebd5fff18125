//! What the browser tests share: a place to mount, and waiting for the DOM to settle.
#![allow(dead_code)] // each test binary uses its own share of these

use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use web_sys::HtmlElement;

/// A fresh element on the page, with the app's own stylesheet loaded once (the grid's
/// scrolling box and row height come from it).
pub fn container() -> HtmlElement {
    let doc = document();
    if doc.get_element_by_id("app-css").is_none() {
        let style = doc.create_element("style").unwrap();
        style.set_id("app-css");
        style.set_text_content(Some(include_str!("../../style/main.css")));
        doc.head().unwrap().append_child(&style).unwrap();
    }
    let el = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&el).unwrap();
    el.unchecked_into()
}

/// Waits a little for the DOM: the router and effects update it asynchronously.
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Polls until `check` holds, failing with `what` after about three seconds.
pub async fn until(what: &str, check: impl Fn() -> bool) {
    for _ in 0..150 {
        tick().await;
        if check() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for {what}");
}
