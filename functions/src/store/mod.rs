//! The store: every access pattern is a named method here, each one DynamoDB operation
//! (or one page-loop of a Query). No SDK type leaves this module.

pub mod accounts;
pub mod activities;
pub mod attachments;
pub mod faults;
pub mod keys;
pub mod needs;
pub mod nominations;
pub mod orgs;
pub mod records;
pub mod regions;
pub mod reports;
pub mod stations;
pub mod stats;
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

/// The sort-key part of a Query's key condition.
pub(crate) enum SortKey<'a> {
    Prefix(&'a str),
    /// Inclusive bounds.
    Between(String, String),
}

/// A filter applied after the key condition (it narrows results, not reads).
pub(crate) struct Filter {
    pub expression: String,
    pub names: Vec<(&'static str, &'static str)>,
    pub values: Vec<(&'static str, AttributeValue)>,
}

/// One Query: key condition, optional filter, order.
pub(crate) struct QuerySpec<'a> {
    pub index: Option<&'static str>,
    pub pk_attr: &'static str,
    pub pk: String,
    pub sk_attr: &'static str,
    pub sort: SortKey<'a>,
    pub filter: Option<Filter>,
    pub descending: bool,
}

/// A filtered listing stops after this many DynamoDB pages and hands back a cursor, so a
/// rare filter costs a bounded number of reads per request.
const MAX_QUERY_ROUNDS: usize = 8;

impl<'a> From<KeyPrefix<'a>> for QuerySpec<'a> {
    fn from(k: KeyPrefix<'a>) -> Self {
        QuerySpec {
            index: k.index,
            pk_attr: k.pk_attr,
            pk: k.pk,
            sk_attr: k.sk_attr,
            sort: SortKey::Prefix(k.sk_prefix),
            filter: None,
            descending: false,
        }
    }
}

/// A transaction's update of one item.
pub(crate) fn update_op(
    table: &str,
    pk: String,
    sk: &str,
    expression: &str,
    condition: Option<&str>,
    names: &[(&str, &str)],
    values: Vec<(&str, AttributeValue)>,
) -> Result<aws_sdk_dynamodb::types::TransactWriteItem, StoreError> {
    let mut u = aws_sdk_dynamodb::types::Update::builder()
        .table_name(table)
        .key(keys::PK, s(pk))
        .key(keys::SK, s(sk))
        .update_expression(expression)
        .set_condition_expression(condition.map(String::from));
    for (k, v) in names {
        u = u.expression_attribute_names(*k, *v);
    }
    for (k, v) in values {
        u = u.expression_attribute_values(k, v);
    }
    Ok(aws_sdk_dynamodb::types::TransactWriteItem::builder()
        .update(u.build().map_err(build_err)?)
        .build())
}

/// A transaction's delete of one item.
pub(crate) fn delete_op(
    table: &str,
    pk: String,
    sk: &str,
    condition: Option<&str>,
    names: &[(&str, &str)],
    values: Vec<(&str, AttributeValue)>,
) -> Result<aws_sdk_dynamodb::types::TransactWriteItem, StoreError> {
    let mut d = aws_sdk_dynamodb::types::Delete::builder()
        .table_name(table)
        .key(keys::PK, s(pk))
        .key(keys::SK, s(sk))
        .set_condition_expression(condition.map(String::from));
    for (k, v) in names {
        d = d.expression_attribute_names(*k, *v);
    }
    for (k, v) in values {
        d = d.expression_attribute_values(k, v);
    }
    Ok(aws_sdk_dynamodb::types::TransactWriteItem::builder()
        .delete(d.build().map_err(build_err)?)
        .build())
}

pub(crate) fn n(v: impl ToString) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

impl Store {
    /// Items by key, up to 100 per call, re-asking for what DynamoDB left unprocessed.
    pub(crate) async fn batch_get<T: for<'de> serde::Deserialize<'de>>(
        &self,
        keys_wanted: Vec<(String, String)>,
    ) -> Result<Vec<T>, StoreError> {
        use aws_sdk_dynamodb::types::KeysAndAttributes;
        let mut out = Vec::with_capacity(keys_wanted.len());
        for chunk in keys_wanted.chunks(100) {
            let ks: Vec<HashMap<String, AttributeValue>> = chunk
                .iter()
                .map(|(pk, sk)| {
                    HashMap::from([
                        (keys::PK.to_string(), s(pk.clone())),
                        (keys::SK.to_string(), s(sk.clone())),
                    ])
                })
                .collect();
            let mut pending = Some(HashMap::from([(
                self.table.clone(),
                KeysAndAttributes::builder()
                    .set_keys(Some(ks))
                    .build()
                    .map_err(build_err)?,
            )]));
            let mut round = 0u32;
            while let Some(req) = pending.take().filter(|r| !r.is_empty()) {
                if round > 0 {
                    backoff(round).await;
                }
                round += 1;
                self.calls.get();
                let resp = self
                    .client
                    .batch_get_item()
                    .set_request_items(Some(req))
                    .send()
                    .await
                    .map_err(classify)?;
                for item in resp
                    .responses
                    .unwrap_or_default()
                    .remove(&self.table)
                    .unwrap_or_default()
                {
                    out.push(from_item(item)?);
                }
                pending = resp.unprocessed_keys;
                if round > 8 {
                    return Err(StoreError::Throttled);
                }
            }
        }
        Ok(out)
    }

    /// Puts items 25 per call, re-sending what DynamoDB left unprocessed. Not atomic: for
    /// idempotent fan-out writes (notices with fixed ids, mirrors).
    pub(crate) async fn batch_put(
        &self,
        items: Vec<HashMap<String, AttributeValue>>,
    ) -> Result<(), StoreError> {
        use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
        for chunk in items.chunks(25) {
            let reqs = chunk
                .iter()
                .map(|i| {
                    PutRequest::builder()
                        .set_item(Some(i.clone()))
                        .build()
                        .map(|p| WriteRequest::builder().put_request(p).build())
                        .map_err(build_err)
                })
                .collect::<Result<Vec<_>, _>>()?;
            let mut pending = Some(HashMap::from([(self.table.clone(), reqs)]));
            let mut round = 0u32;
            while let Some(req) = pending.take().filter(|r| !r.is_empty()) {
                if round > 0 {
                    backoff(round).await;
                }
                round += 1;
                self.calls.write();
                let resp = self
                    .client
                    .batch_write_item()
                    .set_request_items(Some(req))
                    .send()
                    .await
                    .map_err(classify)?;
                pending = resp.unprocessed_items;
                if round > 8 {
                    return Err(StoreError::Throttled);
                }
            }
        }
        Ok(())
    }

    /// One page of a Query: at most `limit` items and where to resume. With a filter it
    /// reads at most [`MAX_QUERY_ROUNDS`] DynamoDB pages and may return fewer items (with
    /// a resume key) rather than read on.
    pub(crate) async fn query_spec<T: for<'de> serde::Deserialize<'de>>(
        &self,
        q: QuerySpec<'_>,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<T>, Option<ResumeKey>), StoreError> {
        let mut raw: Vec<HashMap<String, AttributeValue>> = Vec::with_capacity(limit + 1);
        let mut start = resume.map(|k| {
            k.into_iter()
                .map(|(k, v)| (k, s(v)))
                .collect::<HashMap<_, _>>()
        });
        let key_attrs = [keys::PK, keys::SK, q.pk_attr, q.sk_attr];
        let to_resume = |item: &HashMap<String, AttributeValue>| -> ResumeKey {
            key_attrs
                .iter()
                .filter_map(|a| match item.get(*a) {
                    Some(AttributeValue::S(v)) => Some((a.to_string(), v.clone())),
                    _ => None,
                })
                .collect()
        };
        let mut rounds = 0;
        loop {
            rounds += 1;
            self.calls.query();
            let mut req = self
                .client
                .query()
                .table_name(&self.table)
                .set_index_name(q.index.map(String::from))
                .expression_attribute_names("#pk", q.pk_attr)
                .expression_attribute_names("#sk", q.sk_attr)
                .expression_attribute_values(":pk", s(q.pk.clone()))
                .scan_index_forward(!q.descending)
                .set_exclusive_start_key(start.take())
                // The base table reads consistently (a sign-up sees the one before it);
                // indexes cannot.
                .consistent_read(q.index.is_none());
            req = match &q.sort {
                SortKey::Prefix(p) => req
                    .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                    .expression_attribute_values(":prefix", s(*p)),
                SortKey::Between(a, b) => req
                    .key_condition_expression("#pk = :pk AND #sk BETWEEN :lo AND :hi")
                    .expression_attribute_values(":lo", s(a.clone()))
                    .expression_attribute_values(":hi", s(b.clone())),
            };
            match &q.filter {
                Some(f) => {
                    req = req.filter_expression(&f.expression);
                    for (k, v) in &f.names {
                        req = req.expression_attribute_names(*k, *v);
                    }
                    for (k, v) in &f.values {
                        req = req.expression_attribute_values(*k, v.clone());
                    }
                    // Filtered pages read a fixed batch; the filter decides how many match.
                    req = req.limit(100.max(limit as i32 + 1));
                }
                None => req = req.limit((limit + 1 - raw.len()) as i32),
            }
            let page = req.send().await.map_err(classify)?;
            raw.extend(page.items.unwrap_or_default());
            let more = matches!(&page.last_evaluated_key, Some(lek) if !lek.is_empty());
            if raw.len() > limit {
                raw.truncate(limit);
                let resume = raw.last().map(to_resume);
                let items = raw.into_iter().map(from_item).collect::<Result<_, _>>()?;
                return Ok((items, resume));
            }
            if !more || rounds >= MAX_QUERY_ROUNDS {
                let resume = if more {
                    page.last_evaluated_key.as_ref().map(to_resume)
                } else {
                    None
                };
                let items = raw.into_iter().map(from_item).collect::<Result<_, _>>()?;
                return Ok((items, resume));
            }
            start = page.last_evaluated_key;
        }
    }

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
    /// key to resume after the last one (None when nothing follows).
    pub(crate) async fn query_page<T: for<'de> serde::Deserialize<'de>>(
        &self,
        k: KeyPrefix<'_>,
        resume: Option<ResumeKey>,
        limit: usize,
    ) -> Result<(Vec<T>, Option<ResumeKey>), StoreError> {
        self.query_spec(k.into(), resume, limit).await
    }
}

/// Exponential backoff with full jitter: 0..(5 ms × 2^round), capped at 200 ms.
pub(crate) async fn backoff(round: u32) {
    let cap = (5u64 << round.min(6)).min(200);
    let ms = rand::random::<u64>() % (cap + 1);
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
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
