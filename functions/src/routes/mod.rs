//! Every route, in one table, grouped by the Lambda function that serves it.
//!
//! The table builds the router and lists the routes; a test checks the OpenAPI document
//! names exactly these (method, path) pairs, so a route cannot go undocumented.

pub mod activities;
pub mod appeals;
pub mod assisted;
pub mod attachments;
pub mod audit;
pub mod auth;
pub mod backfills;
pub mod calendar;
pub mod extract;
pub mod guardian;
pub mod health;
mod json;
pub mod me;
pub mod my_account;
pub mod need_ratings;
pub mod needs;
pub mod nominations;
pub mod notice_settings;
pub mod notices;
pub mod openapi;
pub mod orgs;
pub mod records;
pub mod regions;
pub mod stations;
pub mod stats;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::routing::{any, delete, get, post, put};

/// Which deployed function serves a route. Reads (public or signed-in) run under a
/// read-only IAM role; anything that writes under a role that may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Public,
    Write,
}

/// Which routes a router carries: one function's, or all (the local server).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Serves {
    Only(Surface),
    All,
}

impl Serves {
    fn includes(self, s: Surface) -> bool {
        match self {
            Serves::All => true,
            Serves::Only(o) => o == s,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: &'static str,
    pub path: &'static str,
    pub surface: Surface,
}

macro_rules! route_table {
    ($($surface:ident $method:ident $path:literal => $handler:path;)*) => {
        pub const ROUTES: &[RouteSpec] = &[
            $(RouteSpec { method: stringify!($method), path: $path, surface: Surface::$surface },)*
        ];

        pub fn router(serves: Serves) -> Router<AppState> {
            let mut r = Router::new();
            $(if serves.includes(Surface::$surface) {
                r = r.route($path, $method($handler));
            })*
            r
        }
    };
}

route_table! {
    Public get "/api/health" => health::get;
    Public get "/api/openapi.json" => openapi::get;
    Public get "/api/regions" => regions::list;
    Public get "/api/stations" => stations::list;
    Public get "/api/stations/{id}" => stations::get;
    Public get "/api/me" => me::get;
    Public get "/api/me/orgs" => me::orgs;
    Public post "/api/me/reveal" => me::reveal;
    Public get "/api/me/export" => my_account::export;
    Public get "/api/orgs" => orgs::list;
    Public get "/api/orgs/{id}" => orgs::get;
    Public get "/api/orgs/{id}/members" => orgs::members;
    Public get "/api/activities" => activities::list;
    Public get "/api/activities/{id}" => activities::get;
    Public get "/api/shifts/{id}/signups" => activities::roster;
    Public get "/api/me/activities" => activities::mine;
    Public get "/api/me/notices" => notices::list;
    Public get "/api/me/notice-settings" => notice_settings::get;
    Public get "/api/shifts/{id}/checkin-code" => records::checkin_code;
    Public get "/api/shifts/{id}/records" => records::of_shift;
    Public get "/api/records/{id}" => records::get;
    Public get "/api/me/records" => records::mine;
    Public get "/api/certificates/{code}" => records::verify;
    Public get "/api/perks" => records::perks;
    Public post "/api/me/transfer" => records::export;
    Public get "/api/transfers/key" => records::transfer_key;
    Public get "/api/stats" => stats::report;
    Public get "/api/needs" => needs::list;
    Public get "/api/needs/{id}" => needs::get;
    Public get "/api/me/needs" => needs::mine;
    Public get "/api/orgs/{id}/dispatched-needs" => needs::dispatched_to;
    Public get "/api/nominations" => nominations::list;
    Public get "/api/nominations/{id}" => nominations::get;
    Public get "/api/stats/compliance" => stats::compliance;
    Public get "/api/stats/reports" => stats::reports;
    Public get "/api/activities/{id}/attachments" => attachments::list;
    Public get "/api/files/{ticket}" => attachments::download;
    Public get "/api/calendar/{feed}" => calendar::feed;
    Public get "/api/identity-appeals" => appeals::pending;
    Public get "/api/me/identity-appeals" => appeals::mine;
    Public get "/api/audit/personal-data" => audit::in_region;
    Public get "/api/me/personal-data-views" => audit::mine;
    Public get "/api/needs/{id}/rating" => need_ratings::get;
    Public get "/api/orgs/{id}/ratings" => need_ratings::of_org;
    Write post "/api/auth/register" => auth::register;
    Write post "/api/auth/login" => auth::login;
    Write post "/api/auth/logout" => auth::logout;
    Write post "/api/auth/codes" => auth::request_code;
    Write post "/api/auth/reset" => auth::reset;
    Write post "/api/me/volunteer" => me::become_volunteer;
    Write post "/api/me/password" => my_account::change_password;
    Write post "/api/me/close" => my_account::close;
    Write post "/api/stations" => stations::create;
    Write put "/api/stations/{id}" => stations::update;
    Write post "/api/orgs" => orgs::create;
    Write post "/api/orgs/{id}/approve" => orgs::approve;
    Write post "/api/orgs/{id}/reject" => orgs::reject;
    Write post "/api/orgs/{id}/members" => orgs::join;
    Write post "/api/orgs/{id}/members/{user_id}/approve" => orgs::approve_member;
    Write post "/api/activities" => activities::create;
    Write post "/api/activities/{id}/cancel" => activities::cancel;
    Write post "/api/shifts/{id}/signups" => activities::sign_up;
    Write delete "/api/shifts/{id}/signups/me" => activities::cancel_signup;
    Write post "/api/me/notices/read" => notices::read;
    Write put "/api/me/notice-settings" => notice_settings::put;
    Write post "/api/shifts/{id}/checkin" => records::check_in;
    Write post "/api/shifts/{id}/attendance" => records::attendance;
    Write post "/api/shifts/{id}/records/confirm" => records::confirm_shift;
    Write post "/api/records/{id}/confirm" => records::confirm;
    Write post "/api/records/{id}/correct" => records::correct;
    Write post "/api/records/{id}/dispute" => records::dispute;
    Write post "/api/records/{id}/answer" => records::answer;
    Write get "/api/me/certificate" => records::certificate;
    Write post "/api/transfers" => records::import;
    Write post "/api/needs" => needs::post;
    Write post "/api/needs/{id}/claim" => needs::claim;
    Write post "/api/needs/{id}/complete" => needs::complete;
    Write post "/api/needs/{id}/withdraw" => needs::withdraw;
    Write post "/api/needs/{id}/dispatch" => needs::dispatch;
    Write post "/api/needs/{id}/accept" => needs::accept;
    Write post "/api/needs/{id}/decline" => needs::decline;
    Write post "/api/nominations" => nominations::create;
    Write post "/api/activities/{id}/attachments" => attachments::request_upload;
    Write post "/api/activities/{id}/attachments/{file_id}/complete" => attachments::complete;
    Write delete "/api/activities/{id}/attachments/{file_id}" => attachments::remove;
    Write put "/api/uploads/{ticket}" => attachments::upload;
    Write post "/api/me/calendar" => calendar::new_feed;
    Write post "/api/me/guardian-consent" => guardian::record;
    Write post "/api/identity-appeals/photo" => appeals::photo;
    Write post "/api/identity-appeals" => appeals::file;
    Write post "/api/identity-appeals/{id}/decide" => appeals::decide;
    Write post "/api/me/recheck" => my_account::recheck;
    Write post "/api/me/recheck/code" => my_account::recheck_code;
    Write put "/api/activities/{id}" => activities::edit;
    Write post "/api/activities/{id}/series/cancel" => activities::cancel_series;
    Write post "/api/needs/{id}/rating" => need_ratings::rate;
    Write post "/api/needs/{id}/rating/reply" => need_ratings::reply;
    Write post "/api/orgs/{id}/backfills" => backfills::apply;
    Public get "/api/orgs/{id}/backfills" => backfills::pending;
    Public get "/api/me/backfills" => backfills::mine;
    Write post "/api/backfills/{id}/approve" => backfills::approve;
    Write post "/api/backfills/{id}/refuse" => backfills::refuse;
    Write post "/api/assisted-registrations/codes" => assisted::request_code;
    Write post "/api/assisted-registrations" => assisted::register;
}

/// The API under `/api`, with JSON 404/405 answers, so an unknown API path never falls
/// through to the SPA.
pub fn api(serves: Serves) -> Router<AppState> {
    router(serves)
        .route("/api", any(not_found))
        .route("/api/{*rest}", any(not_found))
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found() -> ApiError {
    ApiError::NotFound("no such API route".into())
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
