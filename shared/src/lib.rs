//! Wire types and pure rules shared by the Zhiyuan frontend (wasm) and backend (Lambda).
//! Serde-level dependencies only: this crate compiles for `wasm32-unknown-unknown`.

pub mod account;
pub mod activity;
pub mod api;
pub mod appeal;
pub mod archive;
pub mod assisted;
pub mod audit;
pub mod backfill;
pub mod codes;

pub mod calendar;
pub mod entry;
pub mod exemplary;
pub mod geo;
pub mod guardian;
pub mod identity;
pub mod my_account;
pub mod need;
pub mod need_rating;
pub mod notice;
pub mod notice_settings;
pub mod org;
pub mod query;
pub mod record;
pub mod region;
pub mod series;
pub mod slug;
pub mod station;
pub mod stats;
pub mod text;
pub mod time;
