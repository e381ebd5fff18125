//! Browser tests: real components mounted in headless Chromium (wasm-bindgen-test).
#![cfg(target_arch = "wasm32")]

use cdr_portal::app::App;
use cdr_portal::pages::settings::SettingsPage;
use cdr_portal::settings::provide_connection;
use cdr_portal::show_fatal_error;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

mod common;
use common::{container, until};

wasm_bindgen_test_configure!(run_in_browser);

fn find<T: JsCast>(root: &HtmlElement, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

fn text_of(root: &HtmlElement, selector: &str) -> Option<String> {
    root.query_selector(selector).unwrap()?.text_content()
}

fn link(root: &HtmlElement, text: &str) -> HtmlElement {
    let links = root.query_selector_all("nav a").unwrap();
    (0..links.length())
        .map(|i| links.item(i).unwrap().unchecked_into::<HtmlElement>())
        .find(|a| a.text_content().as_deref() == Some(text))
        .unwrap_or_else(|| panic!("no navigation link named {text}"))
}

fn type_into(input: &HtmlInputElement, value: &str) {
    input.set_value(value);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn stored(key: &str) -> Option<String> {
    window()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(key)
        .unwrap()
}

#[wasm_bindgen_test]
async fn navigation_reaches_every_page_and_marks_the_current_one() {
    let root = container();
    let _app = mount_to(root.clone(), App);
    tick().await;
    for (name, heading) in [
        ("Reseller calls", "Reseller calls"),
        ("Rates", "Rates"),
        ("Termination rates", "Termination rates"),
        ("Settings", "Settings"),
        ("Calls", "Calls"),
    ] {
        let a = link(&root, name);
        a.click();
        until(&format!("the {heading} page"), || {
            text_of(&root, "main h1").as_deref() == Some(heading)
        })
        .await;
        assert_eq!(a.get_attribute("aria-current").as_deref(), Some("page"));
        assert_eq!(document().title(), format!("{heading} · cdr-portal"));
    }

    // Back and Forward step through the pages the clicks visited, without a reload.
    let history = window().history().unwrap();
    history.back().unwrap();
    until("Back to Settings", || {
        text_of(&root, "main h1").as_deref() == Some("Settings")
    })
    .await;
    assert_eq!(window().location().pathname().unwrap(), "/settings");
    history.forward().unwrap();
    until("Forward to Calls", || {
        text_of(&root, "main h1").as_deref() == Some("Calls")
    })
    .await;

    // A link to a place on the page is left to the browser: the page stays.
    find::<HtmlElement>(&root, ".skip-link").click();
    tick().await;
    assert_eq!(window().location().pathname().unwrap(), "/calls");
    assert_eq!(text_of(&root, "main h1").as_deref(), Some("Calls"));

    // An address no page answers shows the not-found page and a way back.
    history
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/nowhere"))
        .unwrap();
    history
        .push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/calls"))
        .unwrap();
    history.back().unwrap();
    until("the not-found page", || {
        text_of(&root, "main h1").as_deref() == Some("Page not found")
    })
    .await;
    assert!(root
        .query_selector("nav a[aria-current]")
        .unwrap()
        .is_none());
    find::<HtmlElement>(&root, "main a").click();
    until("Calls again", || {
        text_of(&root, "main h1").as_deref() == Some("Calls")
    })
    .await;
    root.remove();
}

#[wasm_bindgen_test]
async fn the_password_reaches_storage_only_after_opting_in() {
    window().local_storage().unwrap().unwrap().clear().unwrap();
    let root = container();
    // Mounted without a router: only one test may own the page's history.
    let _page = mount_to(root.clone(), || {
        provide_connection();
        view! { <SettingsPage /> }
    });
    until("the Settings form", || {
        text_of(&root, "h1").as_deref() == Some("Settings")
    })
    .await;

    type_into(&find(&root, "#api-username"), "me@example.com");
    type_into(&find(&root, "#api-password"), "s3cret");
    tick().await;
    assert_eq!(stored("cdr-portal.password"), None);
    assert_eq!(stored("cdr-portal.username"), None);
    assert!(root.text_content().unwrap().contains("kept in memory only"));

    let remember: HtmlInputElement = find(&root, "#remember");
    remember.click();
    tick().await;
    assert_eq!(stored("cdr-portal.password").as_deref(), Some("s3cret"));
    assert_eq!(
        stored("cdr-portal.username").as_deref(),
        Some("me@example.com")
    );
    assert!(root.text_content().unwrap().contains("stored unencrypted"));

    let forget = root.query_selector_all("button").unwrap();
    let forget = (0..forget.length())
        .map(|i| forget.item(i).unwrap().unchecked_into::<HtmlElement>())
        .find(|b| b.text_content().as_deref() == Some("Forget"))
        .expect("a Forget button while remembering");
    forget.click();
    tick().await;
    assert_eq!(stored("cdr-portal.password"), None);
    assert!(!remember.checked());
    // Still usable in this tab after forgetting.
    let password: HtmlInputElement = find(&root, "#api-password");
    assert_eq!(password.value(), "s3cret");
    root.remove();
}

/// What the panic hook shows: an alert at the very top of the page, as text (a panic message
/// may quote data from the API), with what to do next.
#[wasm_bindgen_test]
fn a_fatal_error_is_announced_at_the_top_of_the_page() {
    let body = document().body().unwrap();
    show_fatal_error("cdr-portal stopped on an internal error: <b>boom</b>");
    let first = body.first_element_child().expect("an element at the top");
    assert_eq!(first.get_attribute("role").as_deref(), Some("alert"));
    assert!(
        first.query_selector("b").unwrap().is_none(),
        "shown as text, not markup"
    );
    let text = first.text_content().unwrap_or_default();
    assert!(
        text.starts_with("cdr-portal stopped on an internal error: <b>boom</b>. Reload the page"),
        "{text}"
    );
    first.remove();
}
