//! The full app: every page (`app.html`).

fn main() {
    zhiyuan_frontend::start(zhiyuan_frontend::App);
}
