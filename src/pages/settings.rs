//! The Settings page: where the API connection is entered.

use leptos::prelude::*;

use crate::settings::{forget_stored_credentials, page_origin, use_connection};

/// The connection form: base URL, API username and password, and the opt-in to remember them.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let conn = use_connection();
    let (notice, set_notice) = signal(None::<&'static str>);
    let forget = move |_| {
        forget_stored_credentials();
        conn.remember.set(false);
        set_notice.set(Some(
            "The credentials were removed from this device. They stay in this tab until you reload.",
        ));
    };
    view! {
        <h1>"Settings"</h1>
        <form class="settings" on:submit=|ev| ev.prevent_default()>
            <fieldset>
                <legend>"API connection"</legend>
                <div class="field">
                    <label for="base-url">"API base URL"</label>
                    <input id="base-url" type="url" autocomplete="url" bind:value=conn.base_url />
                    <p class="hint">
                        "Requests go to this address followed by /api/v1/rest.php. Keep the page's own origin ("
                        {page_origin()}
                        ") when the app is served behind the reverse proxy."
                    </p>
                </div>
                <div class="field">
                    <label for="api-username">"API username"</label>
                    <input id="api-username" type="email" autocomplete="username"
                        spellcheck="false" bind:value=conn.username />
                    <p class="hint">"The e-mail address of your VoIP.ms account."</p>
                </div>
                <div class="field">
                    <label for="api-password">"API password"</label>
                    <input id="api-password" type="password" autocomplete="current-password"
                        bind:value=conn.password />
                    <p class="hint">
                        "The API password set under Main Menu › SOAP and REST/JSON API, not your login password."
                    </p>
                </div>
                <div class="field checkbox">
                    <input id="remember" type="checkbox" bind:checked=conn.remember />
                    <label for="remember">"Remember on this device"</label>
                </div>
                {move || if conn.remember.get() {
                    view! {
                        <div class="warning" role="note">
                            <p>
                                "The username and password are stored unencrypted in this browser. "
                                "Anyone who can use this browser profile can read them. Tick this only on a device you alone use."
                            </p>
                            <button type="button" on:click=forget>"Forget"</button>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <p class="hint">"The password is kept in memory only and is gone when you reload or close the tab."</p>
                    }.into_any()
                }}
                <p class="status" role="status">{move || notice.get()}</p>
            </fieldset>
        </form>
    }
}
