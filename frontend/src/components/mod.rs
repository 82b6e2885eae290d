pub mod download;
pub mod error;
pub mod form;
pub mod map;
pub mod nav;
pub mod offline;
