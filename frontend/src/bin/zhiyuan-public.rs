//! The other public pages (`public.html`): activities, needs, verification, perks, 选树典型.
//! Any other page is handed to its entry point with a page load.

fn main() {
    zhiyuan_frontend::start(zhiyuan_frontend::PublicApp);
}
