use super::json::JsonBody;
use crate::auth::Caller;
use crate::clock;
use crate::error::ApiError;
use crate::service::guardian;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use zhiyuan_shared::api::ErrorBody;
use zhiyuan_shared::guardian::{GuardianConsent, GuardianConsentRequest};

/// Records a guardian's consent for a volunteer aged 14 to 17 (志愿服务条例 Art. 14), which
/// signing up for an activity needs; the guardian's phone is stored sealed.
#[utoipa::path(post, path = "/api/me/guardian-consent", tag = "accounts",
    request_body = GuardianConsentRequest, security(("bearer" = [])),
    responses((status = 200, body = GuardianConsent),
        (status = 400, body = ErrorBody, description = "a field named: name, phone, relationship, consent"),
        (status = 401, body = ErrorBody),
        (status = 403, body = ErrorBody, description = "volunteer_required, guardian_consent_not_needed (under 14 or 18 and over)")))]
#[tracing::instrument(skip_all)]
pub async fn record(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(req): JsonBody<GuardianConsentRequest>,
) -> Result<Json<GuardianConsent>, ApiError> {
    let out = guardian::record_consent(
        &state.store,
        &state.config.keys,
        &caller,
        &req,
        clock::today_cst(),
        clock::now_rfc3339(),
    )
    .await?;
    Ok(Json(out))
}
