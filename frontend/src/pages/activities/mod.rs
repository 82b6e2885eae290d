//! Activities: the list (by field, banner, station, organisation), an activity's page with
//! its shifts (sign up, join the waitlist, cancel; for organizers the roster and cancelling
//! the activity), publishing one, and "my activities".

mod detail;
mod list;
mod mine;
mod publish;

pub use detail::ActivityPage;
pub use list::ActivitiesPage;
pub use mine::MyActivitiesPage;
pub use publish::{EditActivityPage, NewActivityPage};

use crate::api;
use leptos::prelude::*;
use zhiyuan_shared::activity::{Shift, SignupStatus};
use zhiyuan_shared::region::Region;

/// The translation key of a sign-up's status.
fn status_key(s: SignupStatus) -> &'static str {
    match s {
        SignupStatus::Confirmed => "status_confirmed",
        SignupStatus::Waitlisted => "status_waitlisted",
    }
}

fn places_left(s: &Shift) -> u32 {
    s.capacity.saturating_sub(s.taken)
}

fn use_banners() -> Signal<Vec<Region>> {
    let res = LocalResource::new(api::regions);
    Signal::derive(move || {
        res.get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| r.parent_code.is_some())
            .collect()
    })
}
