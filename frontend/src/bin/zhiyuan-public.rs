//! The public pages only (`index.html`): what a resident opens first. Any other page is
//! handed to the full app with a page load.

fn main() {
    zhiyuan_frontend::start(zhiyuan_frontend::PublicApp);
}
