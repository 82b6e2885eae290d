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

/// What a role applies to, by name: the region, the organisation or the station. Falls back
/// to the id when the name cannot be read (a removed organisation, no network).
#[component]
pub fn ScopeName(grant: RoleGrant) -> impl IntoView {
    let scope = grant.scope.clone();
    match grant.role {
        Role::RegionAdmin => view! { <RegionName code=scope /> }.into_any(),
        Role::Organizer => {
            let id = scope.clone();
            let org = LocalResource::new(move || {
                let id = id.clone();
                async move { api::org(&id).await.map(|o| o.name) }
            });
            (move || name_or(org.get(), &scope)).into_any()
        }
        Role::StationManager => {
            let id = scope.clone();
            let station = LocalResource::new(move || {
                let id = id.clone();
                async move { api::station(&id).await.map(|s| s.name) }
            });
            (move || name_or(station.get(), &scope)).into_any()
        }
    }
}

fn name_or(loaded: Option<Result<String, ApiError>>, id: &str) -> String {
    loaded
        .and_then(Result::ok)
        .unwrap_or_else(|| id.to_string())
}
