//! Browser tests of work that must end with its page: a search left while it runs, timers and
//! listeners of a page that is gone, and a change of page that must not search. Each mounts,
//! starts the work, unmounts, then lets the work fire: a read of a disposed signal would
//! panic, which aborts the wasm and fails the test.
#![cfg(target_arch = "wasm32")]

use std::sync::atomic::{AtomicBool, Ordering};

use cdr_core::synth::cdr_body;
use cdr_core::view::Scope;
use cdr_portal::app::App;
use cdr_portal::components::explorer::CdrExplorer;
use cdr_portal::perf::after_next_paint;
use cdr_portal::router::provide_location;
use cdr_portal::settings::provide_connection;
use leptos::mount::mount_to;
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

mod common;
use common::{container, sleep, until};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
// A stand-in for the API behind window.fetch: lookups answer at once, getCDR after `delay`
// ms with `body`, unless its request is aborted first. It counts what happened to getCDR.
export function install_fake_api(delay, body, lookupDelay) {
  const counts = { started: 0, answered: 0, aborted: 0, lookups: 0, lookupsAborted: 0 };
  window.__fakeApi = counts;
  window.fetch = async (request) => {
    const text = await request.clone().text();
    const isCdr = /\r\n\r\n(getCDR|getResellerCDR)\r\n/.test(text);
    if (!isCdr) {
      const answer = () => new Response('{"status":"success","call_types":[],"call_billing":[],"accounts":[],"clients":[]}',
        { status: 200, headers: { 'content-type': 'application/json' } });
      if (!lookupDelay) return answer();
      counts.lookups += 1;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => resolve(answer()), lookupDelay);
        request.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          counts.lookupsAborted += 1;
          reject(new DOMException('The user aborted a request.', 'AbortError'));
        });
      });
    }
    counts.started += 1;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        counts.answered += 1;
        resolve(new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }));
      }, delay);
      request.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        counts.aborted += 1;
        reject(new DOMException('The user aborted a request.', 'AbortError'));
      });
    });
  };
}
export function fake_api_count(what) { return window.__fakeApi[what]; }
"#)]
extern "C" {
    fn install_fake_api(delay: u32, body: &str, lookup_delay: u32);
    fn fake_api_count(what: &str) -> u32;
}

static PANICKED: AtomicBool = AtomicBool::new(false);

/// Records a panic before the wasm aborts, so that a test can say what went wrong.
fn watch_panics() {
    std::panic::set_hook(Box::new(|info| {
        PANICKED.store(true, Ordering::SeqCst);
        leptos::logging::error!("panic: {info}");
    }));
}

/// Remembered credentials, so that a page searches as soon as it is shown.
fn remember_credentials() {
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    storage
        .set_item("cdr-portal.username", "demo@example.com")
        .unwrap();
    storage
        .set_item("cdr-portal.password", "demo-api-password")
        .unwrap();
}

fn go_to(path: &str) {
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some(path))
        .unwrap();
}

fn resize() {
    window()
        .dispatch_event(&web_sys::Event::new("resize").unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_search_left_while_it_runs_is_aborted_and_never_touches_the_page() {
    watch_panics();
    remember_credentials();
    go_to("/calls");
    install_fake_api(400, &cdr_body(50, 3, false), 0);
    let root = container();
    let app = mount_to(root.clone(), || {
        provide_connection();
        provide_location();
        view! { <CdrExplorer scope=Scope::Own /> }
    });
    until("the search to start", || fake_api_count("started") == 1).await;
    drop(app);
    root.remove();
    // The answer would arrive now; then the window is resized and timers fire.
    sleep(600).await;
    resize();
    sleep(300).await;
    assert!(!PANICKED.load(Ordering::SeqCst));
    assert_eq!(fake_api_count("aborted"), 1, "the request was not aborted");
    assert_eq!(fake_api_count("answered"), 0);
}

#[wasm_bindgen_test]
async fn the_quick_filter_timer_and_the_grid_listener_end_with_the_page() {
    watch_panics();
    remember_credentials();
    go_to("/calls");
    install_fake_api(0, &cdr_body(50, 3, false), 0);
    let root = container();
    let app = mount_to(root.clone(), || {
        provide_connection();
        provide_location();
        view! { <CdrExplorer scope=Scope::Own /> }
    });
    until("the grid", || {
        root.query_selector("[role=grid]").unwrap().is_some()
    })
    .await;
    let quick: HtmlInputElement = root
        .query_selector("#quick-filter")
        .unwrap()
        .unwrap()
        .unchecked_into();
    quick.set_value("inbound");
    quick
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    // Gone before the 200 ms pause that would put the filter in the address.
    drop(app);
    root.remove();
    sleep(400).await;
    resize();
    sleep(100).await;
    assert!(!PANICKED.load(Ordering::SeqCst));
    let search = window().location().search().unwrap();
    assert!(!search.contains("q=inbound"), "the timer fired: {search}");
}

#[wasm_bindgen_test]
async fn leaving_a_filtered_search_for_settings_searches_nothing() {
    watch_panics();
    remember_credentials();
    go_to("/calls?range=last7&tz=0&calltype=outgoing");
    install_fake_api(0, &cdr_body(20, 5, false), 0);
    let root = container();
    let app = mount_to(root.clone(), App);
    until("the first search", || fake_api_count("answered") == 1).await;
    let settings: HtmlElement = root
        .query_selector("nav a[href='/settings']")
        .unwrap()
        .unwrap()
        .unchecked_into();
    settings.click();
    until("the Settings page", || {
        root.query_selector("main h1")
            .unwrap()
            .and_then(|h| h.text_content())
            .as_deref()
            == Some("Settings")
    })
    .await;
    sleep(300).await;
    assert_eq!(fake_api_count("started"), 1, "leaving searched again");
    assert!(!PANICKED.load(Ordering::SeqCst));
    drop(app);
    root.remove();
}

#[wasm_bindgen_test]
async fn lookups_left_while_they_load_are_aborted() {
    watch_panics();
    remember_credentials();
    go_to("/calls");
    install_fake_api(0, &cdr_body(5, 3, false), 400);
    let root = container();
    let app = mount_to(root.clone(), || {
        provide_connection();
        provide_location();
        view! { <CdrExplorer scope=Scope::Own /> }
    });
    // Call types, billing and accounts, each waiting for its answer.
    until("the lookups to start", || fake_api_count("lookups") == 3).await;
    drop(app);
    root.remove();
    sleep(600).await;
    assert!(!PANICKED.load(Ordering::SeqCst));
    assert_eq!(fake_api_count("lookupsAborted"), 3, "a lookup ran on");
}

#[wasm_bindgen_test]
async fn a_frame_callback_of_an_owner_cleaned_up_before_the_frame_never_runs() {
    use std::sync::atomic::AtomicU32;
    static RAN: AtomicU32 = AtomicU32::new(0);
    let gone = Owner::new();
    gone.with(|| {
        after_next_paint(|| {
            RAN.fetch_add(1, Ordering::SeqCst);
        })
    });
    let kept = Owner::new();
    kept.with(|| {
        after_next_paint(|| {
            RAN.fetch_add(10, Ordering::SeqCst);
        })
    });
    gone.cleanup();
    sleep(200).await;
    assert_eq!(
        RAN.load(Ordering::SeqCst),
        10,
        "only the live owner's callback ran"
    );
    drop(kept);
}

#[wasm_bindgen_test]
async fn an_app_unmounted_before_its_first_frame_draws_nothing_later() {
    watch_panics();
    remember_credentials();
    go_to("/calls");
    install_fake_api(0, &cdr_body(5, 3, false), 0);
    let root = container();
    let app = mount_to(root.clone(), App);
    // Gone before the frame after which the page itself would be drawn.
    drop(app);
    sleep(300).await;
    assert!(!PANICKED.load(Ordering::SeqCst));
    assert_eq!(
        fake_api_count("started"),
        0,
        "a page drawn after its app was gone searched"
    );
    root.remove();
}
