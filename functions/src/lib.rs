//! Zhiyuan backend: routes (HTTP), services (use cases), store (DynamoDB access patterns).
//! The same router runs in the Lambda functions and in the local server.

pub mod app;
pub mod audit;
pub mod auth;
pub mod aws;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod error;
pub mod files;
pub mod ics;
pub mod ids;
pub mod notify;
pub mod password_pool;
pub mod routes;
pub mod secrets;
pub mod security_headers;
pub mod seed;
pub mod service;
pub mod sms;
pub mod state;
pub mod static_files;
pub mod store;
pub mod token;
