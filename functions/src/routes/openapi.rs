use axum::Json;
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};

#[derive(OpenApi)]
#[openapi(
    info(title = "Zhiyuan API", description = "志愿 — volunteer service platform for Ordos and Inner Mongolia"),
    paths(
        super::health::get,
        get,
        super::regions::list,
        super::stations::list,
        super::stations::get,
        super::stations::create,
        super::stations::update,
        super::auth::register,
        super::auth::login,
        super::auth::logout,
        super::auth::request_code,
        super::auth::reset,
        super::me::get,
        super::me::become_volunteer,
        super::me::reveal,
        super::me::orgs,
        super::calendar::new_feed,
        super::calendar::feed,
        super::guardian::record,
        super::my_account::change_password,
        super::my_account::export,
        super::my_account::close,
        super::orgs::create,
        super::orgs::list,
        super::orgs::get,
        super::orgs::approve,
        super::orgs::reject,
        super::orgs::join,
        super::orgs::members,
        super::orgs::approve_member,
        super::activities::create,
        super::activities::list,
        super::activities::get,
        super::activities::cancel,
        super::activities::sign_up,
        super::activities::cancel_signup,
        super::activities::roster,
        super::activities::mine,
        super::notices::list,
        super::notices::read,
        super::notice_settings::get,
        super::notice_settings::put,
        super::records::checkin_code,
        super::records::check_in,
        super::records::attendance,
        super::records::of_shift,
        super::records::confirm_shift,
        super::records::get,
        super::records::confirm,
        super::records::correct,
        super::records::dispute,
        super::records::answer,
        super::records::mine,
        super::records::certificate,
        super::records::verify,
        super::records::perks,
        super::records::export,
        super::records::import,
        super::records::transfer_key,
        super::stats::report,
        super::stats::compliance,
        super::needs::post,
        super::needs::list,
        super::needs::get,
        super::needs::mine,
        super::needs::claim,
        super::needs::complete,
        super::needs::withdraw,
        super::needs::dispatch,
        super::needs::accept,
        super::needs::decline,
        super::needs::dispatched_to,
        super::nominations::create,
        super::nominations::list,
        super::nominations::get,
        super::stats::reports,
        super::attachments::request_upload,
        super::attachments::complete,
        super::attachments::list,
        super::attachments::remove,
        super::attachments::upload,
        super::attachments::download,
        super::appeals::photo,
        super::appeals::file,
        super::appeals::pending,
        super::appeals::mine,
        super::appeals::decide,
        super::audit::in_region,
        super::audit::mine,
        super::my_account::recheck,
        super::my_account::recheck_code,
        super::activities::edit,
        super::activities::cancel_series,
        super::need_ratings::rate,
        super::need_ratings::get,
        super::need_ratings::reply,
        super::need_ratings::of_org,
        super::backfills::apply,
        super::backfills::pending,
        super::backfills::mine,
        super::backfills::approve,
        super::backfills::refuse,
        super::assisted::request_code,
        super::assisted::register,
    ),
    modifiers(&BearerAuth, &CommonResponses)
)]
pub struct ApiDoc;

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The statuses every route of a kind can return, added where an annotation left them out,
/// so the document lists each status the server can send (a schema-driven fuzzer checks it):
/// - 400 on every operation with a query string or a body: the extractors refuse a
///   malformed one before the handler runs (`extract::Query`, `json::JsonBody`);
/// - 401 on every operation that takes a bearer token (also those where it is optional: a
///   token that is present but expired or revoked is refused);
/// - 409 (`conflict`) on every write: a conditional write that lost to a concurrent one;
/// - 503 (`busy`, with `Retry-After`) on every operation that reads or writes the store,
///   which may throttle; all but the few answered from memory, listed here.
///
/// Route-specific statuses (403, 404, 409, 422, 429) stay in each route's annotation.
struct CommonResponses;

/// Operations answered without the store: they cannot be busy.
const WITHOUT_STORE: [&str; 3] = ["/api/openapi.json", "/api/perks", "/api/transfers/key"];

impl utoipa::Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
        let error = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build(),
            )
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                (false, &mut item.get),
                (true, &mut item.put),
                (true, &mut item.post),
                (true, &mut item.delete),
                (true, &mut item.patch),
            ];
            for (writes, op) in operations {
                let Some(op) = op else { continue };
                let has_query =
                    op.parameters.iter().flatten().any(|p| {
                        matches!(p.parameter_in, utoipa::openapi::path::ParameterIn::Query)
                    });
                let takes_token =
                    serde_json::to_string(&op.security).is_ok_and(|s| s.contains("\"bearer\""));
                let responses = &mut op.responses.responses;
                if has_query || op.request_body.is_some() {
                    responses.entry("400".into()).or_insert_with(|| {
                        error(
                            "a field is invalid (`error.field` names it) or the body is malformed",
                        )
                    });
                }
                if takes_token {
                    responses
                        .entry("401".into())
                        .or_insert_with(|| error("the token is missing, expired or revoked"));
                }
                // A conditional write that loses to a concurrent one, once the service's
                // retries (if any) run out, is a plain 409 `conflict` (`From<StoreError>`).
                if writes && !WITHOUT_STORE.contains(&path.as_str()) {
                    responses.entry("409".into()).or_insert_with(|| {
                        error("conflict: the item changed meanwhile; reload and retry")
                    });
                }
                if !WITHOUT_STORE.contains(&path.as_str()) {
                    responses.entry("503".into()).or_insert_with(|| {
                        error("busy: the store is throttling; retry after `Retry-After` seconds")
                    });
                }
            }
        }
    }
}

/// This document, generated from the handlers' annotations.
#[utoipa::path(get, path = "/api/openapi.json", tag = "public", responses((status = 200, description = "OpenAPI 3 document")))]
pub async fn get() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
