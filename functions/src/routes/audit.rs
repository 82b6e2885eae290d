//! Security events and the personal-data trail.
//!
//! [`security_events`] wraps every matched route: from the route's template and the
//! status it answered, [`event_of`] says whether that was a security event; if so its
//! log line is written (`crate::audit`) and, for a view of personal data, its trail
//! entry (`service::audit`) — before the answer leaves, or the answer becomes a 503.
//! One table, so the handlers stay as they are.

use super::extract::{ClientAddr, Query};
use crate::audit::{self, Event, Outcome, SecurityEvent};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::service;
use crate::state::AppState;
use axum::Json;
use axum::extract::{FromRequestParts, MatchedPath, RawPathParams, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use zhiyuan_shared::api::{ErrorBody, Page};
use zhiyuan_shared::audit::{PersonalDataAccess, PersonalDataAuditQuery, PersonalDataView};
use zhiyuan_shared::query::PageQuery;

/// The security event a route's answer is, if any.
pub fn event_of(method: &Method, route: &str, status: u16) -> Option<Event> {
    let ok = (200..300).contains(&status);
    match (route, status) {
        (_, 403) => Some(Event::AccessRefused),
        ("/api/auth/login", 401 | 429) => Some(Event::SignInFailed),
        ("/api/auth/codes" | "/api/assisted-registrations/codes", 429) => {
            Some(Event::CodeSendRefused)
        }
        // The success is recorded by the service, which knows the new account's id.
        ("/api/assisted-registrations", 409 | 429) => Some(Event::AssistedRegistration),
        ("/api/me/close", 204 | 400 | 429) if method == Method::POST => Some(Event::AccountClosing),
        // Personal data shown (whatever the method: reveal and the transfer file may
        // move to other methods).
        ("/api/me/reveal", _) if ok => Some(Event::Reveal),
        ("/api/me/export", _) if ok => Some(Event::DataExport),
        ("/api/me/transfer", _) if ok => Some(Event::TransferExport),
        ("/api/identity-appeals", _) if ok && method == Method::GET => Some(Event::AppealReview),
        (
            "/api/orgs/{id}/approve"
            | "/api/orgs/{id}/reject"
            | "/api/orgs/{id}/members/{user_id}/approve"
            | "/api/identity-appeals/{id}/decide",
            _,
        ) if ok && method == Method::POST => Some(Event::RoleDecision),
        _ => None,
    }
}

/// The trail entry a personal-data event writes.
fn access_of(event: Event) -> Option<PersonalDataAccess> {
    match event {
        Event::Reveal => Some(PersonalDataAccess::Reveal),
        Event::DataExport => Some(PersonalDataAccess::Export),
        Event::TransferExport => Some(PersonalDataAccess::TransferExport),
        _ => None,
    }
}

/// The signed-in user a request names, from its token alone (no store read; the route
/// itself checked the session).
fn actor_of(parts: &axum::http::request::Parts, state: &AppState) -> Option<String> {
    if !state.config.keys.can_sign() {
        return None;
    }
    let raw = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")?
        .trim();
    crate::token::verify(&state.config.keys, raw, crate::clock::now_unix()).map(|c| c.sub)
}

/// The record a route acts on, from its path: a user or else the route's `id` (never a
/// ticket, feed or code: those are credentials).
async fn target_of(parts: &mut axum::http::request::Parts, state: &AppState) -> Option<String> {
    let params = RawPathParams::from_request_parts(parts, state).await.ok()?;
    let find = |name: &str| {
        params
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
    };
    find("user_id").or_else(|| find("id"))
}

/// The middleware (see the module's comment).
pub async fn security_events(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let Some(route) = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
    else {
        return next.run(req).await;
    };
    let method = req.method().clone();
    let (mut parts, body) = req.into_parts();
    let client = match ClientAddr::from_request_parts(&mut parts, &state).await {
        Ok(ClientAddr(c)) => c,
        Err(_) => "unknown".into(),
    };
    let actor = actor_of(&parts, &state);
    let target = target_of(&mut parts, &state).await;
    let resp = next.run(Request::from_parts(parts, body)).await;
    let status = resp.status().as_u16();
    let Some(event) = event_of(&method, &route, status) else {
        return resp;
    };
    let outcome = Outcome::of_status(status);
    let mut subject = target.as_deref();
    if let (Some(access), Some(actor)) = (access_of(event), actor.as_deref()) {
        // The self-service routes: the subject is the caller.
        subject = Some(actor);
        if let Err(e) = trail(&state, actor, access).await {
            tracing::warn!(error = %e, "personal-data trail not written; the answer is withheld");
            return e.into_response();
        }
    }
    audit::record(&SecurityEvent {
        event,
        actor: actor.as_deref(),
        target: subject,
        outcome,
        client: &client,
        route: &route,
    });
    resp
}

async fn trail(state: &AppState, actor: &str, access: PersonalDataAccess) -> Result<(), ApiError> {
    let user = state
        .store
        .get_user(actor)
        .await?
        .ok_or(ApiError::Unauthorized)?;
    service::audit::personal_data_seen(&state.store, &user, &user, access).await
}

/// 个人信息查看记录: who was shown the whole phone or ID number of the people of a region
/// the caller administers (by region, newest first within each).
#[utoipa::path(get, path = "/api/audit/personal-data", tag = "accounts",
    params(PersonalDataAuditQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<PersonalDataView>),
        (status = 400, body = ErrorBody, description = "`region` missing or malformed, `limit` out of 1–100, `cursor` not from this list"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "not a region admin over `region`"),
        (status = 503, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn in_region(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<PersonalDataAuditQuery>,
) -> Result<Json<Page<PersonalDataView>>, ApiError> {
    Ok(Json(
        service::audit::in_region(&state.store, &caller, &q).await?,
    ))
}

/// 谁看过我的信息: the caller's own personal-data trail, newest first.
#[utoipa::path(get, path = "/api/me/personal-data-views", tag = "accounts",
    params(PageQuery), security(("bearer" = [])),
    responses((status = 200, body = Page<PersonalDataView>),
        (status = 400, body = ErrorBody, description = "`limit` out of 1–100, `cursor` not from this list"),
        (status = 401, body = ErrorBody), (status = 503, body = ErrorBody)))]
#[tracing::instrument(skip_all)]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<PersonalDataView>>, ApiError> {
    Ok(Json(service::audit::mine(&state.store, &caller, &q).await?))
}
