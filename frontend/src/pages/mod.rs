//! Pages, and every route path of the app in one enum.

pub mod home;
pub mod not_found;
pub mod station;

/// Every client-side route. Links are built from here, never from string literals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppRoute {
    Home,
    Station(String),
}

impl AppRoute {
    pub fn href(&self) -> String {
        match self {
            AppRoute::Home => "/".to_string(),
            AppRoute::Station(id) => format!("/stations/{id}"),
        }
    }
}
