//! Integration tests of the HTTP API against DynamoDB Local. One binary (one DynamoDB
//! Local process); each test gets its own table. Folders mirror the routes.

mod accounts;
mod activities;
mod attachments;
mod authz;
mod health;
mod identity_appeals;
mod lambda;
mod needs;
mod nominations;
mod openapi;
mod orgs;
mod records;
mod regions;
mod static_files;
mod stations;
mod stats;
mod table;
mod this_week;
