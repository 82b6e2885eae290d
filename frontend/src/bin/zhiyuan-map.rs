//! The first screen only (`index.html`): the map and station pages, what a resident opens
//! first. Any other page is handed to its entry point with a page load.

fn main() {
    zhiyuan_frontend::start(zhiyuan_frontend::MapApp);
}
