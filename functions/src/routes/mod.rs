//! Every route, in one table, grouped by the Lambda function that serves it.
//!
//! The table builds the router and lists the routes; a test checks the OpenAPI document
//! names exactly these (method, path) pairs, so a route cannot go undocumented.

pub mod health;
mod json;
pub mod openapi;
pub mod regions;
pub mod stations;

use crate::app::AppState;
use crate::error::ApiError;
use axum::Router;
use axum::routing::{any, get, post, put};

/// Which deployed function serves a route. Public reads run under a read-only IAM role;
/// writes under a role that may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Public,
    Admin,
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
    Admin post "/api/stations" => stations::create;
    Admin put "/api/stations/{id}" => stations::update;
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
