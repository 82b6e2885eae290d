//! What a person reads instead of a code: a region's name for its code, an organisation's
//! or a station's name for its id (a role's scope, an admin queue's heading).

use crate::api::{self, ApiError};
use crate::i18n::{Lang, use_lang};
use leptos::prelude::*;
use zhiyuan_shared::account::{Role, RoleGrant};
use zhiyuan_shared::region::Region;

/// The regions, loaded once per page that asks (an empty list until they arrive).
pub fn use_regions() -> Signal<Vec<Region>> {
    let res = LocalResource::new(api::regions);
    Signal::derive(move || res.get().and_then(Result::ok).unwrap_or_default())
}

/// A region's name in the reader's language; the code itself until the regions are known.
pub fn region_name(lang: Lang, regions: &[Region], code: &str) -> String {
    regions
        .iter()
        .find(|r| r.code.as_str() == code)
        .map(|r| {
            if lang == Lang::Zh {
                r.name.clone()
            } else {
                r.name_en.clone()
            }
        })
        .unwrap_or_else(|| code.to_string())
}

/// A region's name for its code.
#[component]
pub fn RegionName(code: String) -> impl IntoView {
    let lang = use_lang();
    let regions = use_regions();
    move || region_name(lang.get(), &regions.get(), &code)
}

/// What a role applies to, by name: the region, the organisation or the station.
#[component]
pub fn ScopeName(grant: RoleGrant) -> impl IntoView {
    let scope = grant.scope;
    match grant.role {
        Role::RegionAdmin => view! { <RegionName code=scope /> }.into_any(),
        Role::Organizer => fetched_name(
            scope,
            |id| async move { api::org(&id).await.map(|o| o.name) },
        )
        .into_any(),
        Role::StationManager => fetched_name(scope, |id| async move {
            api::station(&id).await.map(|s| s.name)
        })
        .into_any(),
    }
}

/// A name read by its id; the id itself until it arrives, or when it cannot be read (a
/// removed organisation, no network).
fn fetched_name<F>(id: String, fetch: impl Fn(String) -> F + 'static) -> impl IntoView
where
    F: Future<Output = Result<String, ApiError>> + 'static,
{
    let key = id.clone();
    let name = LocalResource::new(move || fetch(key.clone()));
    move || {
        name.get()
            .and_then(Result::ok)
            .unwrap_or_else(|| id.clone())
    }
}
