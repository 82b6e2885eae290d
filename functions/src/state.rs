//! What every request handler is given: the store, the configuration and the attachment
//! files. Its own module, below both `app` (which builds it) and `routes` (which read it),
//! so the two do not import each other.

use crate::config::Config;
use crate::store::Store;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    /// Attachment bytes: S3 in the cloud, a directory locally.
    pub files: crate::files::Files,
    /// The clock sessions are reckoned by (tests move theirs).
    pub clock: crate::clock::Clock,
}
