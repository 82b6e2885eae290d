//! Integration tests of the HTTP API against DynamoDB Local. One binary (one DynamoDB
//! Local process); each test gets its own table. Folders mirror the routes.

mod accounts;
mod activities;
mod activity_edits;
mod activity_lists;
mod attachments;
mod authz;
mod codes;

mod calendar;
mod guardian;
mod health;
mod hot_activity;
mod identity_appeals;
mod lambda;
mod login_throttle;
mod my_account;
mod needs;
mod nominations;
mod openapi;
mod orgs;
mod records;
mod regions;
mod sms_notices;
mod static_files;
mod stations;
mod stats;
mod table;
mod this_week;
