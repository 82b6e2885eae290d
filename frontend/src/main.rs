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
    leptos::mount::mount_to_body(app::App);
}
