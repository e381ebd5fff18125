//! The API connection settings, shared by every page through context.
//!
//! The password lives in memory only unless the user ticks "Remember on this device": then the
//! username and password go to `localStorage` too. The base URL is not a secret and is always
//! kept.

use leptos::prelude::*;

const KEY_BASE_URL: &str = "cdr-portal.base_url";
const KEY_USERNAME: &str = "cdr-portal.username";
const KEY_PASSWORD: &str = "cdr-portal.password";

/// Where and as whom the app talks to the API. Cheap to copy: every field is a signal.
#[derive(Clone, Copy, Debug)]
pub struct Connection {
    /// The API base URL; `/api/v1/rest.php` is appended. Defaults to the page's origin.
    pub base_url: RwSignal<String>,
    /// The API username: the account's e-mail address.
    pub username: RwSignal<String>,
    /// The API password (set in the VoIP.ms portal; not the login password).
    pub password: RwSignal<String>,
    /// Whether the credentials are kept in this browser's storage.
    pub remember: RwSignal<bool>,
}

impl Connection {
    /// Loads what this device remembers; anything not remembered starts empty.
    pub fn load() -> Self {
        let stored = |key| storage().and_then(|s| s.get_item(key).ok().flatten());
        let password = stored(KEY_PASSWORD);
        Self {
            base_url: RwSignal::new(stored(KEY_BASE_URL).unwrap_or_else(page_origin)),
            username: RwSignal::new(stored(KEY_USERNAME).unwrap_or_default()),
            remember: RwSignal::new(password.is_some()),
            password: RwSignal::new(password.unwrap_or_default()),
        }
    }

    /// Writes the current values to storage, dropping the credentials from it when the user
    /// has not opted in.
    pub fn persist(&self) {
        let Some(s) = storage() else { return };
        let _ = s.set_item(KEY_BASE_URL, &self.base_url.get_untracked());
        if self.remember.get_untracked() {
            let _ = s.set_item(KEY_USERNAME, &self.username.get_untracked());
            let _ = s.set_item(KEY_PASSWORD, &self.password.get_untracked());
        } else {
            forget_stored_credentials();
        }
    }

    /// True when both credentials are filled in.
    pub fn is_complete(&self) -> bool {
        !self.username.with(|u| u.trim().is_empty()) && !self.password.with(String::is_empty)
    }
}

/// Removes the username and password from this device's storage.
pub fn forget_stored_credentials() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY_USERNAME);
        let _ = s.remove_item(KEY_PASSWORD);
    }
}

/// Loads the connection, keeps storage in step with it, and provides it to every page.
pub fn provide_connection() -> Connection {
    let conn = Connection::load();
    Effect::new(move |_| {
        // Track every field so that any edit is persisted (or kept out of storage).
        conn.base_url.track();
        conn.username.track();
        conn.password.track();
        conn.remember.track();
        conn.persist();
    });
    provide_context(conn);
    conn
}

/// The connection provided by [`provide_connection`].
pub fn use_connection() -> Connection {
    expect_context::<Connection>()
}

/// The page's own origin, the right base URL behind a same-origin reverse proxy.
pub fn page_origin() -> String {
    window().location().origin().unwrap_or_default()
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}
