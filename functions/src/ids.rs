//! Typed ids. Every stored entity is named by a ULID (26 letters and digits): an id is
//! checked once, where it enters (a path, a stored item), and then cannot be mistaken for
//! another kind of id or for free text.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Whether `raw` has the shape of a ULID: anything else cannot name a stored item, so it
/// is a 404 without a read.
pub fn is_ulid(raw: &str) -> bool {
    raw.len() == 26 && raw.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// An activity's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ActivityId(String);

impl ActivityId {
    /// A new id for a new activity.
    pub fn generate() -> Self {
        Self(ulid::Ulid::new().to_string())
    }

    /// The id `raw` names, if it can name an activity at all.
    pub fn parse(raw: &str) -> Option<Self> {
        is_ulid(raw).then(|| Self(raw.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for ActivityId {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ActivityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<ActivityId> for String {
    fn from(id: ActivityId) -> Self {
        id.0
    }
}
