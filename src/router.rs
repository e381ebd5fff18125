//! Client-side routing: the address bar as a signal.
//!
//! The portal has five fixed pages and keeps each page's search in the query string, so all it
//! needs from a router is the current path and query, history entries, and same-origin link
//! clicks that do not reload the page. `leptos_router` does that and much more, at about 45 KB
//! brotli of the 200 KB budget; this module does the part the portal uses in a few hundred
//! bytes of code.

use cdr_core::url::{lead_part, replace_part, UrlState};
use cdr_core::wire::{fields_from_query, to_query_string};
use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// The pages the navigation reaches; anything else is [`Page::NotFound`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    /// Own call detail records.
    Calls,
    /// A reseller client's call detail records.
    ResellerCalls,
    /// Rates of a package.
    Rates,
    /// Termination rates of a route.
    TerminationRates,
    /// API connection settings.
    Settings,
    /// An address no page answers.
    NotFound,
}

/// Every page with its address and the name the navigation and the tab title show, in
/// navigation order.
pub const PAGES: [(Page, &str, &str); 5] = [
    (Page::Calls, "/calls", "Calls"),
    (Page::ResellerCalls, "/reseller-calls", "Reseller calls"),
    (Page::Rates, "/rates", "Rates"),
    (
        Page::TerminationRates,
        "/termination-rates",
        "Termination rates",
    ),
    (Page::Settings, "/settings", "Settings"),
];

impl Page {
    /// The page at `path`; a trailing slash does not matter.
    pub fn from_path(path: &str) -> Page {
        let path = match path.trim_end_matches('/') {
            "" => "/calls",
            p => p,
        };
        PAGES
            .iter()
            .find(|(_, p, _)| *p == path)
            .map_or(Page::NotFound, |(page, _, _)| *page)
    }

    /// The name shown in the navigation and the tab title.
    pub fn title(self) -> &'static str {
        PAGES
            .iter()
            .find(|(page, _, _)| *page == self)
            .map_or("Page not found", |(_, _, title)| title)
    }
}

/// The fields of the current query string, decoded.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query(Vec<(String, String)>);

impl Query {
    /// The first value given for `key`.
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    /// Whether the address has no query at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The fields, in order.
    pub fn fields(&self) -> &[(String, String)] {
        &self.0
    }

    /// Reads a part of the page's state from the query.
    pub fn read<S: UrlState>(&self, cx: &S::Context) -> S {
        S::from_query(&|k| self.get(k), cx)
    }

    /// The query string with `state`'s keys replaced and the other parts' kept.
    pub fn with_part<S: UrlState>(&self, state: &S) -> String {
        to_query_string(&replace_part(&self.0, state))
    }

    /// The query string with `state`'s keys first and the other parts' after them.
    pub fn with_leading_part<S: UrlState>(&self, state: &S) -> String {
        to_query_string(&lead_part(&self.0, state))
    }
}

/// The path and query of the address bar, changed together: a page being left never sees the
/// next page's query, which it would read as a new search of its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Address {
    path: String,
    search: String,
}

/// The address bar, shared through context: `Copy`, so closures can hold it freely.
#[derive(Clone, Copy)]
pub struct Location {
    address: RwSignal<Address>,
}

impl Location {
    /// The current page, changing only when the path does (not on every query change).
    pub fn page(self) -> Memo<Page> {
        Memo::new(move |_| self.address.with(|a| Page::from_path(&a.path)))
    }

    /// The query of the current page; it keeps its last value while another page is shown,
    /// so that the page being left never reacts to the next one's address. Call it while the
    /// page is being set up.
    pub fn query(self) -> Memo<Query> {
        let page = self.address.with_untracked(|a| Page::from_path(&a.path));
        Memo::new(move |previous: Option<&Query>| {
            self.address.with(|a| {
                if Page::from_path(&a.path) == page {
                    Query(fields_from_query(&a.search))
                } else {
                    previous.cloned().unwrap_or_default()
                }
            })
        })
    }

    /// Goes to `href` (a path with an optional `?query`). With `replace` the step stays out
    /// of the history (a sort, a quick filter); without it, Back returns here.
    pub fn navigate(self, href: &str, replace: bool) {
        let (path, search) = href.split_once('?').unwrap_or((href, ""));
        let path = canonical(path);
        let url = if search.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{search}")
        };
        if let Ok(history) = window().history() {
            let _ = if replace {
                history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
            } else {
                history.push_state_with_url(&JsValue::NULL, "", Some(&url))
            };
        }
        let new_page = self.address.with_untracked(|a| a.path != path);
        self.set(Address {
            path: path.to_owned(),
            search: search.to_owned(),
        });
        if new_page {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    }

    /// Sets the current page's query string, keeping the path.
    pub fn set_query(self, query: &str, replace: bool) {
        let path = self.address.with_untracked(|a| a.path.clone());
        self.navigate(&format!("{path}?{query}"), replace);
    }

    /// Reads the browser's address into the signal, e.g. after Back.
    fn sync(self) {
        let location = window().location();
        let path = location.pathname().unwrap_or_default();
        let search = location.search().unwrap_or_default();
        let search = search.strip_prefix('?').unwrap_or(&search).to_owned();
        self.set(Address { path, search });
    }

    /// One write for path and query, and none when nothing changed.
    fn set(self, next: Address) {
        if self.address.with_untracked(|a| *a != next) {
            self.address.set(next);
        }
    }
}

/// The bare root shows Calls, under its own address so the navigation marks it.
fn canonical(path: &str) -> &str {
    if path.is_empty() || path == "/" {
        "/calls"
    } else {
        path
    }
}

/// Starts following the address bar: reads it, answers Back and Forward, and turns clicks on
/// same-origin links into history steps. Call once, above every page.
pub fn provide_location() -> Location {
    let location = Location {
        address: RwSignal::new(Address::default()),
    };
    location.sync();
    let Address { path, search } = location.address.get_untracked();
    if canonical(&path) != path {
        let query = if search.is_empty() {
            String::new()
        } else {
            format!("?{search}")
        };
        location.navigate(&format!("{}{query}", canonical(&path)), true);
    }
    let popstate = window_event_listener(ev::popstate, move |_| location.sync());
    let click = window_event_listener(ev::click, move |ev| {
        if let Some(href) = link_target(&ev) {
            ev.prevent_default();
            location.navigate(&href, false);
        }
    });
    on_cleanup(move || {
        popstate.remove();
        click.remove();
    });
    provide_context(location);
    location
}

/// The address bar provided by [`provide_location`].
pub fn use_location() -> Location {
    expect_context::<Location>()
}

/// The path and query of a plain left click on a same-origin link that the app can show
/// itself; `None` leaves the click to the browser (new tab, download, other site, anchor).
fn link_target(ev: &ev::MouseEvent) -> Option<String> {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return None;
    }
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    let anchor: web_sys::HtmlAnchorElement = target.closest("a[href]").ok()??.dyn_into().ok()?;
    if !anchor.target().is_empty() || anchor.has_attribute("download") {
        return None;
    }
    let here = window().location();
    if anchor.origin() != here.origin().ok()? {
        return None;
    }
    let (path, search) = (anchor.pathname(), anchor.search());
    // A link to a place on this page (`#main`) scrolls; the browser does that best.
    if !anchor.hash().is_empty() && path == here.pathname().ok()? && search == here.search().ok()? {
        return None;
    }
    Some(format!("{path}{search}"))
}
