//! Integration tests of the HTTP API against DynamoDB Local. One binary (one DynamoDB
//! Local process); each test gets its own table. Folders mirror the routes.

mod accounts;
mod activities;
mod activity_edits;
mod activity_lists;
mod attachments;
mod audit;
mod authz;
mod backfills;
mod business_rules;
mod codes;

mod assisted;
mod calendar;
mod guardian;
mod health;
mod hot_activity;
mod identity_appeals;
mod key_rotation;
mod lambda;
mod login_throttle;
mod migrate;
mod my_account;
mod need_dispatch;
mod need_rating;
mod needs;
mod needs_privacy;
mod nominations;
mod openapi;
mod orgs;
mod password_pool;
mod records;
mod regions;
mod security_headers;
mod series;
mod sessions;
mod signup_schedule;
mod sms_notices;
mod static_files;
mod stations;
mod stats;
mod table;
mod this_week;
