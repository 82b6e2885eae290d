//! Test helpers: one DynamoDB Local per test binary (AWS's engine, in memory, on a free
//! port), a fresh table per test, and the app started in-process on port 0, so a scenario
//! is three lines long.
//!
//! By subject: `process` (ports, child processes), `dynamodb` (DynamoDB Local, fresh tables),
//! `app` (the app in-process and its request helpers), `bodies` (request bodies, times),
//! `store` (what the store holds, read and moved directly), `records` (shifts under way,
//! record histories), `attachments` (uploads), `minors` (volunteers of a given age).

mod activities;
mod app;
mod attachments;
mod backfills;
mod bodies;
mod dynamodb;
mod minors;
mod need_ratings;
mod process;
mod records;
mod runtime_api;
mod store;

pub use activities::*;
pub use app::*;
pub use attachments::*;
pub use backfills::*;
pub use bodies::*;
pub use dynamodb::*;
pub use minors::*;
pub use need_ratings::*;
pub use process::*;
pub use records::*;
pub use runtime_api::*;
pub use store::*;
