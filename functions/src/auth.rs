//! What a caller may do. Every route that needs a user takes a [`Caller`] (read from the
//! request in `routes::extract`); the role and scope checks are methods on it, so a handler
//! states its rule in one line.

use crate::error::ApiError;
use crate::ids::UserId;
use crate::store::accounts::{UserItem, VolunteerItem};
use crate::token::Claims;
use zhiyuan_shared::account::{Role, RoleGrant};
use zhiyuan_shared::my_account::{RECHECK_REQUIRED, RECHECK_SECONDS};
use zhiyuan_shared::region::RegionCode;

/// A signed-in user (read from the request by `routes::extract`).
pub struct Caller {
    pub user: UserItem,
    pub grants: Vec<RoleGrant>,
    /// The session the request came with (none for a caller made inside the server).
    pub session: Option<Claims>,
    /// When the request was authenticated, by the app's clock (Unix seconds).
    pub at: i64,
}

impl Caller {
    pub fn new(user: UserItem) -> Self {
        let grants = user.grants();
        Self {
            user,
            grants,
            session: None,
            at: crate::clock::now_unix(),
        }
    }

    /// The caller a session token names, authenticated at `at`.
    pub fn with_session(user: UserItem, session: Claims, at: i64) -> Self {
        Self {
            session: Some(session),
            at,
            ..Self::new(user)
        }
    }

    /// The caller a verified session token names, given their user item as read (None:
    /// gone): 401 for a closed account, a token of an older generation, or a region
    /// admin's token without the second factor (one from before the role was granted).
    pub fn admit(user: Option<UserItem>, session: Claims, at: i64) -> Result<Self, ApiError> {
        let user = user.ok_or(ApiError::Unauthorized)?;
        if user.token_gen != session.generation || user.closed_at.is_some() {
            return Err(ApiError::Unauthorized);
        }
        if !session.mfa && Self::needs_second_factor(&user) {
            return Err(ApiError::Unauthorized);
        }
        Ok(Self::with_session(user, session, at))
    }

    /// Whether the account holds a region-admin role anywhere (a city admin too): such an
    /// account signs in with a second factor and its session idles out.
    pub fn needs_second_factor(user: &UserItem) -> bool {
        user.grants().iter().any(|g| g.role == Role::RegionAdmin)
    }

    /// 403 `recheck_required` unless the password or an SMS code was entered again in
    /// this session within [`RECHECK_SECONDS`]: for showing or handing out whole
    /// personal data, which a stolen token alone must not reach.
    pub fn require_recheck(&self) -> Result<(), ApiError> {
        let fresh = self
            .session
            .as_ref()
            .and_then(|s| s.rc)
            .is_some_and(|rc| rc <= self.at && self.at - rc <= RECHECK_SECONDS);
        if fresh {
            Ok(())
        } else {
            Err(ApiError::forbidden(
                RECHECK_REQUIRED,
                "enter your password or an SMS code again first (POST /api/me/recheck)",
            ))
        }
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

    /// The stations the caller manages.
    pub fn managed_stations(&self) -> Vec<&str> {
        self.scopes(Role::StationManager).collect()
    }
}
