//! What a caller may do. Every route that needs a user takes a [`Caller`] (read from the
//! request in `routes::extract`); the role and scope checks are methods on it, so a handler
//! states its rule in one line.

use crate::error::ApiError;
use crate::ids::UserId;
use crate::store::accounts::{UserItem, VolunteerItem};
use zhiyuan_shared::account::{Role, RoleGrant};
use zhiyuan_shared::region::RegionCode;

/// A signed-in user (read from the request by `routes::extract`).
pub struct Caller {
    pub user: UserItem,
    pub grants: Vec<RoleGrant>,
}

impl Caller {
    pub fn new(user: UserItem) -> Self {
        let grants = user.grants();
        Self { user, grants }
    }

    pub fn id(&self) -> &UserId {
        &self.user.id
    }

    /// The real-name profile, or 403 `volunteer_required`.
    pub fn volunteer(&self) -> Result<&VolunteerItem, ApiError> {
        self.user.volunteer.as_ref().ok_or_else(|| {
            ApiError::forbidden(
                "volunteer_required",
                "complete real-name registration as a volunteer first",
            )
        })
    }

    fn scopes(&self, role: Role) -> impl Iterator<Item = &str> {
        self.grants
            .iter()
            .filter(move |g| g.role == role)
            .map(|g| g.scope.as_str())
    }

    /// Whether one of the caller's region-admin scopes covers `code`.
    pub fn administers(&self, code: &RegionCode) -> bool {
        self.scopes(Role::RegionAdmin)
            .filter_map(|s| RegionCode::parse(s).ok())
            .any(|scope| scope.covers(code))
    }

    pub fn require_region_admin(&self, code: &RegionCode) -> Result<(), ApiError> {
        if self.administers(code) {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                "forbidden",
                "only a region admin of this region may do this",
            ))
        }
    }

    /// The region codes the caller administers.
    pub fn admin_scopes(&self) -> Vec<RegionCode> {
        self.scopes(Role::RegionAdmin)
            .filter_map(|s| RegionCode::parse(s).ok())
            .collect()
    }

    pub fn organizes(&self, org_id: &str) -> bool {
        self.scopes(Role::Organizer).any(|s| s == org_id)
    }

    pub fn manages_station(&self, station_id: &str) -> bool {
        self.scopes(Role::StationManager).any(|s| s == station_id)
    }
}
