//! The activities list only (`activities.html`), where a link to 活动 lands. Any other page,
//! an activity's own included, is handed to its entry point with a page load.

fn main() {
    zhiyuan_frontend::start(zhiyuan_frontend::ActivitiesApp);
}
