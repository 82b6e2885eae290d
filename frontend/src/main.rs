//! Zhiyuan's single-page app: Leptos 0.8, client-side rendered, built by Trunk.

mod api;
mod app;
mod components;
mod i18n;
mod pages;
mod prefs;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    // index.html painted an app shell while the wasm loaded; the app takes its place.
    if let Some(shell) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app-shell"))
    {
        shell.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
