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

macro_rules! ulid_id {
    ($($(#[$doc:meta])* $name:ident;)+) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// A new id for a new entity.
            pub fn generate() -> Self {
                Self(ulid::Ulid::new().to_string())
            }

            /// The id `raw` names, if it can name one at all.
            pub fn parse(raw: &str) -> Option<Self> {
                is_ulid(raw).then(|| Self(raw.to_string()))
            }

            /// An id this process or the store made already (no check): demo data,
            /// benchmarks.
            pub fn trusted(raw: impl Into<String>) -> Self {
                Self(raw.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::ops::Deref for $name {
            type Target = str;
            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    )+};
}

ulid_id! {
    /// An activity's id.
    ActivityId;
    /// An organisation's id.
    OrgId;
    /// A station's id.
    StationId;
    /// A user's (an account's) id.
    UserId;
    /// A community need's id.
    NeedId;
    /// A nomination's id.
    NominationId;
    /// An activity attachment's id.
    AttachmentId;
    /// An identity appeal's id (身份证被占用申诉).
    AppealId;
    /// A notice's id (a ULID whose time part orders a user's notices).
    NoticeId;
    /// An application for hours with evidence (补录).
    BackfillId;
}
