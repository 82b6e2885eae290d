//! Who is calling, and what they may do. Every route that needs a user takes a [`Caller`];
//! the role and scope checks are methods on it, so a handler states its rule in one line.
//!
//! A caller is proven by a session token (see `token.rs`) and then read from the store on
//! every request, so a revoked session or a removed role takes effect at once.

use crate::app::AppState;
use crate::error::ApiError;
use crate::store::accounts::{UserItem, VolunteerItem};
use crate::token;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use zhiyuan_shared::account::{Role, RoleGrant};
use zhiyuan_shared::region::RegionCode;

/// A signed-in user.
pub struct Caller {
    pub user: UserItem,
    pub grants: Vec<RoleGrant>,
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

async fn authenticate(raw: &str, state: &AppState) -> Result<Caller, ApiError> {
    let claims = token::verify(&state.config.keys, raw, crate::clock::now_unix())
        .ok_or(ApiError::Unauthorized)?;
    let user = state
        .store
        .get_user(&claims.sub)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    if user.token_gen != claims.generation {
        return Err(ApiError::Unauthorized);
    }
    let grants = user.grants();
    Ok(Caller { user, grants })
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let raw = bearer(parts).ok_or(ApiError::Unauthorized)?;
        authenticate(raw, state).await
    }
}

/// A caller who may be anonymous. A token that is present but invalid is still a 401, so
/// a client with an expired session learns to sign in again.
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequestParts<AppState> for MaybeCaller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        match bearer(parts) {
            None => Ok(Self(None)),
            Some(raw) => Ok(Self(Some(authenticate(raw, state).await?))),
        }
    }
}

impl Caller {
    pub fn id(&self) -> &str {
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

/// The client's network address, for per-client throttling: API Gateway's `sourceIp` in
/// the cloud, the TCP peer locally. Unknown when neither is available (one shared bucket).
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        use lambda_http::RequestExt;
        use lambda_http::request::RequestContext;
        if let Some(RequestContext::ApiGatewayV2(ctx)) = parts.extensions.request_context_ref()
            && let Some(ip) = &ctx.http.source_ip
        {
            return Ok(Self(ip.clone()));
        }
        if let Some(axum::extract::ConnectInfo(addr)) = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        {
            return Ok(Self(addr.ip().to_string()));
        }
        Ok(Self("unknown".into()))
    }
}
