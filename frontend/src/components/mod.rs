pub mod download;
pub mod error;
pub mod form;
pub mod map;
