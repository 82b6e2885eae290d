pub mod error;
pub mod map;
