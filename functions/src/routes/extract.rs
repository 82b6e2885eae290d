//! Who is calling, read from the request: the session token proves a user, who is then
//! read from the store on every request, so a revoked session or a removed role takes
//! effect at once. The rules on what a caller may do live in `crate::auth`.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::AppState;
use crate::token::{self, Claims};
use axum::extract::{FromRequestParts, Request};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use serde::de::DeserializeOwned;
use std::sync::{Arc, Mutex};

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// The claims of a valid session token; an admin's token due for renewal leaves its
/// successor for [`renew_sessions`] (sent only if the request is not refused as 401).
fn verify(raw: &str, parts: &Parts, state: &AppState, now: i64) -> Result<Claims, ApiError> {
    let claims = token::verify(&state.config.keys, raw, now).ok_or(ApiError::Unauthorized)?;
    if claims.due_for_renewal(now)
        && let Some(Renewal(slot)) = parts.extensions.get::<Renewal>()
        && let Ok(mut slot) = slot.lock()
    {
        // No renewal if it cannot be signed here: the token in hand stays valid.
        *slot = token::sign(&state.config.keys, &claims.renewed(now)).ok();
    }
    Ok(claims)
}

async fn authenticate(raw: &str, parts: &Parts, state: &AppState) -> Result<Caller, ApiError> {
    let now = state.clock.now_unix();
    let claims = verify(raw, parts, state, now)?;
    let user = state.store.get_user(&claims.sub).await?;
    Caller::admit(user, claims, now)
}

/// A valid session token whose user is not read yet: for a route that reads the user in
/// the same store call as what it acts on (a sign-up), then admits them with
/// [`Caller::admit`], which refuses what [`Caller`]'s own extraction refuses.
pub struct Session {
    pub claims: Claims,
    /// When the request was authenticated, by the app's clock (Unix seconds).
    pub at: i64,
}

impl FromRequestParts<AppState> for Session {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let raw = bearer(parts).ok_or(ApiError::Unauthorized)?;
        let at = state.clock.now_unix();
        Ok(Self {
            claims: verify(raw, parts, state, at)?,
            at,
        })
    }
}

/// Where the session check leaves a renewed admin token for [`renew_sessions`] to send.
#[derive(Clone, Default)]
struct Renewal(Arc<Mutex<Option<String>>>);

/// Sends an admin session's renewed token back in the `X-Session-Token` header (the app
/// stores it in place of the old one), only when the request was authenticated and not
/// refused as unauthenticated. A token that carries no renewal is simply kept.
pub async fn renew_sessions(mut req: Request, next: Next) -> Response {
    let renewal = Renewal::default();
    req.extensions_mut().insert(renewal.clone());
    let mut resp = next.run(req).await;
    let fresh = renewal.0.lock().ok().and_then(|mut s| s.take());
    if let Some(t) = fresh
        && resp.status() != StatusCode::UNAUTHORIZED
        && let Ok(v) = HeaderValue::from_str(&t)
    {
        resp.headers_mut().insert(token::RENEWED_HEADER, v);
    }
    resp
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let raw = bearer(parts).ok_or(ApiError::Unauthorized)?;
        authenticate(raw, parts, state).await
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
            Some(raw) => Ok(Self(Some(authenticate(raw, parts, state).await?))),
        }
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

/// A list route's query string, read into its `zhiyuan_shared::query` struct. Read through
/// a map first, so a parameter given twice keeps its last value (as the map the routes read
/// before did) instead of failing serde's duplicate-field check; unknown parameters are
/// ignored. A failure is the API's JSON 400, never axum's plain-text rejection.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, ApiError> {
        type Fields = serde_json::Map<String, serde_json::Value>;
        let axum::extract::Query(fields) = axum::extract::Query::<Fields>::try_from_uri(&parts.uri)
            .map_err(|e| ApiError::invalid("query", e.body_text()))?;
        // The structs' fields are optional strings, so this fails only on a struct that
        // asks for another type; serde's message then names the field.
        serde_json::from_value(serde_json::Value::Object(fields))
            .map(Self)
            .map_err(|e| ApiError::invalid("query", e))
    }
}
