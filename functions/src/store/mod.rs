//! The store: every access pattern is a named method here, each one DynamoDB operation
//! (or one page-loop of a Query). No SDK type leaves this module.

pub mod accounts;
pub mod activities;
pub mod activity_edits;
pub mod appeals;
pub mod assisted;
pub mod attachments;
pub mod audit;
pub mod backfills;
pub mod codes;

pub mod calendar;
pub mod faults;
pub mod guardian;
pub mod keys;
pub mod migrate;
pub mod my_account;
pub mod need_ratings;
pub mod needs;
pub mod nominations;
pub mod notices;
pub mod orgs;
pub mod pii_rotation;
mod query;
pub mod records;
pub mod regions;
pub mod reminders;
pub mod reports;
pub mod series;
pub mod signups;
pub mod sms_queue;
pub mod stations;
pub mod stats;
pub mod table;
pub mod throttle;
mod tx;

pub use query::ResumeKey;
pub(crate) use query::{Filter, Index, QuerySpec, SortKey, backoff};
pub use tx::TxError;
pub(crate) use tx::{Tx, check_op, delete_op, put, put_if, update_op};

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("a condition on the write failed")]
    ConditionFailed,
    #[error("the store throttled the request")]
    Throttled,
    #[error("a concurrent transaction conflicted")]
    TransactionConflict,
    #[error("stored item could not be read: {0}")]
    Decode(String),
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
    /// The store refused the request itself (DynamoDB's `ValidationException`: a number
    /// out of its range, an item too large, a malformed expression): our bug, never worth
    /// a retry, so the client hears 500 and the log has the detail.
    #[error("the store refused the request: {0}")]
    Refused(String),
    /// A paging cursor whose resume key does not fit the listing it was sent to.
    #[error("the resume key does not fit this listing")]
    BadResumeKey,
}

/// Recognises the store's errors by name, so callers can tell a lost race (conflict), an
/// overloaded store (throttling) and a broken one apart.
pub(crate) fn classify<
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
>(
    err: SdkError<E, R>,
) -> StoreError {
    let code = err
        .as_service_error()
        .and_then(|e| e.code())
        .unwrap_or_default()
        .to_string();
    match code.as_str() {
        "ConditionalCheckFailedException" => StoreError::ConditionFailed,
        "ProvisionedThroughputExceededException"
        | "ThrottlingException"
        | "RequestLimitExceeded" => StoreError::Throttled,
        "TransactionConflictException" => StoreError::TransactionConflict,
        "ValidationException" => StoreError::Refused(format!(
            "{code} {}",
            aws_sdk_dynamodb::error::DisplayErrorContext(&err)
        )),
        _ => StoreError::Unavailable(format!(
            "{code} {}",
            aws_sdk_dynamodb::error::DisplayErrorContext(&err)
        )),
    }
}

/// Counts the DynamoDB operations the store sends, by kind, so benchmarks and tests can
/// prove a request costs a bounded number of calls and never a Scan.
#[derive(Debug, Default)]
pub struct CallCounter {
    pub queries: AtomicU64,
    pub gets: AtomicU64,
    pub writes: AtomicU64,
    pub scans: AtomicU64,
    /// Items DynamoDB read (a Query's ScannedCount, a batch's or a GetItem's items): what
    /// read capacity is paid for, filters included.
    pub items_read: AtomicU64,
}

impl CallCounter {
    pub fn snapshot(&self) -> CallCounts {
        CallCounts {
            queries: self.queries.load(Ordering::Relaxed),
            gets: self.gets.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
            scans: self.scans.load(Ordering::Relaxed),
            items_read: self.items_read.load(Ordering::Relaxed),
        }
    }
    fn query(&self) {
        self.queries.fetch_add(1, Ordering::Relaxed);
    }
    fn get(&self) {
        self.gets.fetch_add(1, Ordering::Relaxed);
    }
    fn write(&self) {
        self.writes.fetch_add(1, Ordering::Relaxed);
    }
    fn read_items(&self, n: u64) {
        self.items_read.fetch_add(n, Ordering::Relaxed);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CallCounts {
    pub queries: u64,
    pub gets: u64,
    pub writes: u64,
    pub scans: u64,
    pub items_read: u64,
}

#[derive(Clone)]
pub struct Store {
    client: Client,
    table: String,
    calls: Arc<CallCounter>,
}

impl Store {
    pub fn new(client: Client, table: impl Into<String>) -> Self {
        Self {
            client,
            table: table.into(),
            calls: Arc::new(CallCounter::default()),
        }
    }

    pub fn table_name(&self) -> &str {
        &self.table
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn calls(&self) -> CallCounts {
        self.calls.snapshot()
    }

    /// The health probe: one GetItem, answered once the table is reachable.
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.calls.get();
        self.client
            .get_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::HEALTH_PK))
            .key(keys::SK, s(keys::HEALTH_SK))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// Opens the connection to the table at cold start: the health probe's read, whose
    /// answer does not matter. A table out of reach is the first request's to report.
    pub async fn warm_up(&self) {
        if let Err(e) = self.ping().await {
            tracing::warn!(error = %e, "the table did not answer at start-up");
        }
    }
}

/// Where an item lives: its table key, its `entity_type` and the index entries it is
/// listed under. Each item type builds its own in one `keys()` beside its definition, so
/// the services never see a key.
pub(crate) struct ItemKeys {
    pk: String,
    sk: String,
    entity_type: &'static str,
    index: Vec<(&'static str, String)>,
}

impl ItemKeys {
    pub(crate) fn new(pk: String, sk: impl Into<String>, entity_type: &'static str) -> Self {
        Self {
            pk,
            sk: sk.into(),
            entity_type,
            index: Vec::new(),
        }
    }

    /// Lists the item in an index: `(partition attribute, value)`, `(sort attribute, value)`.
    pub(crate) fn indexed(
        mut self,
        (pk_attr, pk): (&'static str, String),
        (sk_attr, sk): (&'static str, String),
    ) -> Self {
        self.index.push((pk_attr, pk));
        self.index.push((sk_attr, sk));
        self
    }

    pub(crate) fn pk(&self) -> &str {
        &self.pk
    }

    pub(crate) fn sk(&self) -> &str {
        &self.sk
    }

    /// The index attributes the item is listed under, with their values.
    pub(crate) fn index(&self) -> &[(&'static str, String)] {
        &self.index
    }
}

/// An item type that knows its own keys.
pub(crate) trait Keyed: serde::Serialize {
    fn keys(&self) -> ItemKeys;
}

/// The attributes of an item as written: its fields plus its keys.
pub(crate) fn keyed_item<T: serde::Serialize>(
    item: &T,
    k: ItemKeys,
) -> Result<HashMap<String, AttributeValue>, StoreError> {
    let mut out = to_item(item)?;
    out.insert(keys::PK.into(), s(k.pk));
    out.insert(keys::SK.into(), s(k.sk));
    out.insert("entity_type".into(), s(k.entity_type));
    for (attr, v) in k.index {
        out.insert(attr.into(), s(v));
    }
    Ok(out)
}

pub(crate) fn to_item<T: serde::Serialize>(
    item: &T,
) -> Result<HashMap<String, AttributeValue>, StoreError> {
    serde_dynamo::to_item(item).map_err(|e| StoreError::Decode(e.to_string()))
}

pub(crate) fn from_item<T: for<'de> serde::Deserialize<'de>>(
    item: HashMap<String, AttributeValue>,
) -> Result<T, StoreError> {
    serde_dynamo::from_item(item).map_err(|e| StoreError::Decode(e.to_string()))
}

pub(crate) fn build_err(e: aws_sdk_dynamodb::error::BuildError) -> StoreError {
    StoreError::Decode(e.to_string())
}

pub(crate) fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

pub(crate) fn s(v: impl Into<String>) -> aws_sdk_dynamodb::types::AttributeValue {
    aws_sdk_dynamodb::types::AttributeValue::S(v.into())
}

/// Builds the DynamoDB client: the real service in the cloud, DynamoDB Local when an
/// endpoint is configured. One code path; only the endpoint and credentials differ.
pub async fn connect(endpoint: Option<&str>) -> Client {
    match endpoint {
        // Region and credentials named here, so nothing is looked up.
        Some(endpoint) => Client::new(
            &aws_config::defaults(aws_config::BehaviorVersion::latest())
                .endpoint_url(endpoint)
                .region(aws_config::Region::new("cn-north-1"))
                .credentials_provider(aws_credential_types::Credentials::new(
                    "local",
                    "local",
                    None,
                    None,
                    "zhiyuan-local",
                ))
                .load()
                .await,
        ),
        None => Client::new(crate::aws::shared_config().await),
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_dynamodb::types::AttributeValue;
    use serde::{Deserialize, Serialize};
    use std::collections::HashMap;
    use zhiyuan_shared::geo::LatLng;

    /// The shape of the items that hold a point (activities, stations, needs).
    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Placed {
        name: String,
        #[serde(flatten)]
        at: LatLng,
        n: u8,
    }

    #[test]
    fn a_flattened_point_is_stored_as_the_items_own_lat_and_lng() {
        let item = Placed {
            name: "x".into(),
            at: LatLng::new(39.5, 109.75).expect("point"),
            n: 3,
        };
        let stored: HashMap<String, AttributeValue> = serde_dynamo::to_item(&item).expect("item");
        assert_eq!(stored.get("lat"), Some(&AttributeValue::N("39.5".into())));
        assert_eq!(stored.get("lng"), Some(&AttributeValue::N("109.75".into())));
        let back: Placed = serde_dynamo::from_item(stored).expect("read");
        assert_eq!(back, item);
    }

    #[test]
    fn a_whole_number_coordinate_reads_back_and_an_out_of_range_one_does_not() {
        let item = |lat: &str| {
            HashMap::from([
                ("name".to_string(), AttributeValue::S("x".into())),
                ("lat".to_string(), AttributeValue::N(lat.into())),
                ("lng".to_string(), AttributeValue::N("110".into())),
                ("n".to_string(), AttributeValue::N("3".into())),
            ])
        };
        let read: Placed = serde_dynamo::from_item(item("40")).expect("read");
        assert_eq!(read.at, LatLng::new(40.0, 110.0).expect("point"));
        assert!(serde_dynamo::from_item::<_, Placed>(item("91")).is_err());
    }
}
