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
        super::activities::edit,
    ),
    modifiers(&BearerAuth)
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

/// This document, generated from the handlers' annotations.
#[utoipa::path(get, path = "/api/openapi.json", tag = "public", responses((status = 200, description = "OpenAPI 3 document")))]
pub async fn get() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
