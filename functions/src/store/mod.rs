//! The store: every access pattern is a named method here, each one DynamoDB operation
//! (or one page-loop of a Query). No SDK type leaves this module.

pub mod accounts;
pub mod keys;
pub mod orgs;
pub mod regions;
pub mod stations;
pub mod table;
pub mod throttle;

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
    /// A transaction was refused because the condition on its item at this index failed.
    #[error("condition on transaction item {0} failed")]
    ConditionFailedAt(usize),
    #[error("stored item could not be read: {0}")]
    Decode(String),
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
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
}

impl CallCounter {
    pub fn snapshot(&self) -> CallCounts {
        CallCounts {
            queries: self.queries.load(Ordering::Relaxed),
            gets: self.gets.load(Ordering::Relaxed),
            writes: self.writes.load(Ordering::Relaxed),
            scans: self.scans.load(Ordering::Relaxed),
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CallCounts {
    pub queries: u64,
    pub gets: u64,
    pub writes: u64,
    pub scans: u64,
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
}

/// Classifies a refused transaction by its cancellation reasons: which item's condition
/// failed, or whether it lost a race or was throttled.
pub(crate) fn classify_transaction<R: std::fmt::Debug + Send + Sync + 'static>(
    err: SdkError<aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError, R>,
) -> StoreError {
    use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError as E;
    if let Some(E::TransactionCanceledException(c)) = err.as_service_error() {
        let reasons = c.cancellation_reasons();
        let code = |r: &aws_sdk_dynamodb::types::CancellationReason| {
            r.code().unwrap_or("None").to_string()
        };
        if let Some(i) = reasons
            .iter()
            .position(|r| code(r) == "ConditionalCheckFailed")
        {
            return StoreError::ConditionFailedAt(i);
        }
        if reasons.iter().any(|r| code(r) == "TransactionConflict") {
            return StoreError::TransactionConflict;
        }
        if reasons.iter().any(|r| {
            matches!(
                code(r).as_str(),
                "ThrottlingError" | "ProvisionedThroughputExceeded"
            )
        }) {
            return StoreError::Throttled;
        }
    }
    classify(err)
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

/// Where a listing resumes: the key attributes of the last item returned.
pub type ResumeKey = HashMap<String, String>;

/// One Query's key condition: a partition and a sort-key prefix, on the table or an index.
pub(crate) struct KeyPrefix<'a> {
    pub index: Option<&'static str>,
    pub pk_attr: &'static str,
    pub pk: String,
    pub sk_attr: &'static str,
    pub sk_prefix: &'a str,
}

impl Store {
    pub(crate) async fn get_item<T: for<'de> serde::Deserialize<'de>>(
        &self,
        pk: String,
        sk: &str,
    ) -> Result<Option<T>, StoreError> {
        self.calls.get();
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(keys::PK, s(pk))
            .key(keys::SK, s(sk))
            .consistent_read(true)
            .send()
            .await
            .map_err(classify)?;
        out.item.map(from_item).transpose()
    }

    pub(crate) async fn transact(
        &self,
        items: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
    ) -> Result<(), StoreError> {
        self.calls.write();
        self.client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
            .map_err(classify_transaction)?;
        Ok(())
    }

    /// One page of items under a key prefix, in sort-key order: at most `limit`, and the
    /// key to resume after the last one (None when nothing follows). Reads `limit + 1` so a
    /// full page knows whether more exist, and loops only past DynamoDB's 1 MB pages.
    pub(crate) async fn query_page<T: for<'de> serde::Deserialize<'de>>(
        &self,
        k: KeyPrefix<'_>,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<T>, Option<ResumeKey>), StoreError> {
        let mut raw: Vec<HashMap<String, AttributeValue>> = Vec::with_capacity(limit + 1);
        let mut start = resume.map(|k| {
            k.into_iter()
                .map(|(k, v)| (k, s(v)))
                .collect::<HashMap<_, _>>()
        });
        loop {
            self.calls.query();
            let page = self
                .client
                .query()
                .table_name(&self.table)
                .set_index_name(k.index.map(String::from))
                .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expression_attribute_names("#pk", k.pk_attr)
                .expression_attribute_names("#sk", k.sk_attr)
                .expression_attribute_values(":pk", s(k.pk.clone()))
                .expression_attribute_values(":prefix", s(k.sk_prefix))
                .set_exclusive_start_key(start.take())
                .limit((limit + 1 - raw.len()) as i32)
                .send()
                .await
                .map_err(classify)?;
            raw.extend(page.items.unwrap_or_default());
            let more = matches!(&page.last_evaluated_key, Some(lek) if !lek.is_empty());
            if raw.len() > limit || !more {
                let resume = if raw.len() > limit {
                    raw.truncate(limit);
                    raw.last().map(|last| {
                        [keys::PK, keys::SK, k.pk_attr, k.sk_attr]
                            .iter()
                            .filter_map(|a| match last.get(*a) {
                                Some(AttributeValue::S(v)) => Some((a.to_string(), v.clone())),
                                _ => None,
                            })
                            .collect()
                    })
                } else {
                    None
                };
                let items = raw.into_iter().map(from_item).collect::<Result<_, _>>()?;
                return Ok((items, resume));
            }
            start = page.last_evaluated_key;
        }
    }
}

pub(crate) fn s(v: impl Into<String>) -> aws_sdk_dynamodb::types::AttributeValue {
    aws_sdk_dynamodb::types::AttributeValue::S(v.into())
}

/// Builds the DynamoDB client: the real service in the cloud, DynamoDB Local when an
/// endpoint is configured. One code path; only the endpoint and credentials differ.
pub async fn connect(endpoint: Option<&str>) -> Client {
    let mut loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    if let Some(endpoint) = endpoint {
        loader = loader
            .endpoint_url(endpoint)
            .region(aws_config::Region::new("cn-north-1"))
            .credentials_provider(aws_credential_types::Credentials::new(
                "local",
                "local",
                None,
                None,
                "zhiyuan-local",
            ));
    }
    Client::new(&loader.load().await)
}
