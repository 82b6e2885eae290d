//! Use cases: what a request means, independent of HTTP and of DynamoDB's API.

pub mod cursor;
pub mod regions;
pub mod stations;
