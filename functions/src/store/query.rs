//! Reads and fan-out writes: Query pages (with a bounded number of rounds when filtered),
//! GetItem, BatchGetItem and BatchWriteItem with retries of what DynamoDB left unprocessed.

use super::tx::{key_of, names_of, values_of};
use super::{Keyed, Store, StoreError, build_err, classify, from_item, keyed_item, keys, s};
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// Where a listing resumes: the key attributes of the last item returned.
pub type ResumeKey = HashMap<String, String>;

/// The table's global secondary indexes (see `table.rs`).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Index {
    Gsi1,
    Gsi2,
    Gsi3,
    Gsi4,
}

impl Index {
    /// The index's name and its partition and sort attributes.
    fn attrs(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Index::Gsi1 => ("GSI1", keys::GSI1PK, keys::GSI1SK),
            Index::Gsi2 => ("GSI2", keys::GSI2PK, keys::GSI2SK),
            Index::Gsi3 => ("GSI3", keys::GSI3PK, keys::GSI3SK),
            Index::Gsi4 => ("GSI4", keys::GSI4PK, keys::GSI4SK),
        }
    }
}

/// The sort-key part of a Query's key condition.
#[derive(Clone)]
pub(crate) enum SortKey<'a> {
    /// The whole partition.
    Any,
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
    index: Option<&'static str>,
    pk_attr: &'static str,
    pk: String,
    sk_attr: &'static str,
    sort: SortKey<'a>,
    filter: Option<Filter>,
    descending: bool,
    /// Items read per DynamoDB page of a filtered query, and pages read at most.
    batch: Option<usize>,
    rounds: usize,
}

/// Whether `key` can resume a Query of partition `pk`: exactly the key attributes a page's
/// last item gives (`attrs`, the table's and the index's), in that partition, within the
/// sort condition. A cursor comes back from the client, so one made by hand must not reach
/// DynamoDB, which refuses a start key of another shape (`ValidationException`).
pub(crate) fn resume_fits(
    key: &ResumeKey,
    attrs: &[&str],
    (pk_attr, pk): (&str, &str),
    (sk_attr, sort): (&str, &SortKey<'_>),
) -> bool {
    let mut wanted: Vec<&str> = attrs.to_vec();
    wanted.sort_unstable();
    wanted.dedup();
    let mut given: Vec<&str> = key.keys().map(String::as_str).collect();
    given.sort_unstable();
    let in_range = match (sort, key.get(sk_attr)) {
        (SortKey::Any, _) => true,
        (SortKey::Prefix(p), Some(v)) => v.starts_with(p),
        (SortKey::Between(lo, hi), Some(v)) => lo <= v && v <= hi,
        (_, None) => false,
    };
    given == wanted && key.get(pk_attr).map(String::as_str) == Some(pk) && in_range
}

/// A filtered listing stops after this many DynamoDB pages and hands back a cursor, so a
/// rare filter costs a bounded number of reads per request.
const MAX_QUERY_ROUNDS: usize = 8;

impl<'a> QuerySpec<'a> {
    /// A partition of the table, in sort-key order.
    pub(crate) fn table(pk: String, sort: SortKey<'a>) -> Self {
        Self {
            index: None,
            pk_attr: keys::PK,
            pk,
            sk_attr: keys::SK,
            sort,
            filter: None,
            descending: false,
            batch: None,
            rounds: MAX_QUERY_ROUNDS,
        }
    }

    /// A partition of an index, in its sort-key order.
    pub(crate) fn index(index: Index, pk: String, sort: SortKey<'a>) -> Self {
        let (name, pk_attr, sk_attr) = index.attrs();
        Self {
            index: Some(name),
            pk_attr,
            pk,
            sk_attr,
            sort,
            filter: None,
            descending: false,
            batch: None,
            rounds: MAX_QUERY_ROUNDS,
        }
    }

    pub(crate) fn filtered(mut self, filter: Option<Filter>) -> Self {
        self.filter = filter;
        self
    }

    /// A filtered query reads `items` per DynamoDB page, at most `rounds` pages (a merge
    /// over several partitions reads each a little at a time).
    pub(crate) fn reading(mut self, items: usize, rounds: usize) -> Self {
        self.batch = Some(items.max(1));
        self.rounds = rounds.max(1);
        self
    }

    pub(crate) fn newest_first(self) -> Self {
        self.newest_first_if(true)
    }

    pub(crate) fn newest_first_if(mut self, descending: bool) -> Self {
        self.descending = descending;
        self
    }
}

impl Store {
    /// Items by key, up to 100 per call, re-asking for what DynamoDB left unprocessed.
    pub(crate) async fn batch_get<T: for<'de> serde::Deserialize<'de>>(
        &self,
        keys_wanted: Vec<(String, String)>,
    ) -> Result<Vec<T>, StoreError> {
        self.batch_get_items(keys_wanted, false)
            .await?
            .into_iter()
            .map(from_item)
            .collect()
    }

    /// The items at `keys_wanted` as stored (absent ones left out), in any order;
    /// `consistent` for strongly consistent reads (twice the read units).
    pub(crate) async fn batch_get_items(
        &self,
        keys_wanted: Vec<(String, String)>,
        consistent: bool,
    ) -> Result<Vec<HashMap<String, AttributeValue>>, StoreError> {
        use aws_sdk_dynamodb::types::KeysAndAttributes;
        let mut out = Vec::with_capacity(keys_wanted.len());
        for chunk in keys_wanted.chunks(100) {
            let ks: Vec<HashMap<String, AttributeValue>> = chunk
                .iter()
                .map(|(pk, sk)| key_of(pk.clone(), sk))
                .collect();
            let mut pending = Some(HashMap::from([(
                self.table.clone(),
                KeysAndAttributes::builder()
                    .set_keys(Some(ks))
                    .consistent_read(consistent)
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
                    self.calls.read_items(1);
                    out.push(item);
                }
                pending = resp.unprocessed_keys;
                if round > 8 {
                    return Err(StoreError::Throttled);
                }
            }
        }
        Ok(out)
    }

    /// Idempotent fan-out writes (notices with fixed ids, refreshed mirrors), each item
    /// with its keys.
    pub(crate) async fn put_all<T: Keyed>(&self, items: &[T]) -> Result<(), StoreError> {
        let raw = items
            .iter()
            .map(|i| keyed_item(i, i.keys()))
            .collect::<Result<Vec<_>, _>>()?;
        self.batch_put(raw).await
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
        let key_attrs = [keys::PK, keys::SK, q.pk_attr, q.sk_attr];
        if let Some(k) = &resume
            && !resume_fits(k, &key_attrs, (q.pk_attr, &q.pk), (q.sk_attr, &q.sort))
        {
            return Err(StoreError::BadResumeKey);
        }
        let mut raw: Vec<HashMap<String, AttributeValue>> = Vec::with_capacity(limit + 1);
        let mut start = resume.map(|k| {
            k.into_iter()
                .map(|(k, v)| (k, s(v)))
                .collect::<HashMap<_, _>>()
        });
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
            let mut req = self.query_request(&q, start.take());
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
                    let batch = q.batch.unwrap_or(100.max(limit + 1));
                    req = req.limit(batch as i32);
                }
                None => req = req.limit((limit + 1 - raw.len()) as i32),
            }
            let page = req.send().await.map_err(classify)?;
            self.calls.read_items(page.scanned_count.max(0) as u64);
            raw.extend(page.items.unwrap_or_default());
            let more = matches!(&page.last_evaluated_key, Some(lek) if !lek.is_empty());
            if raw.len() > limit {
                raw.truncate(limit);
                let resume = raw.last().map(to_resume);
                let items = raw.into_iter().map(from_item).collect::<Result<_, _>>()?;
                return Ok((items, resume));
            }
            if !more || rounds >= q.rounds {
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

    /// The Query a spec describes, from `start` (its filter is added by the caller).
    fn query_request(
        &self,
        q: &QuerySpec<'_>,
        start: Option<HashMap<String, AttributeValue>>,
    ) -> aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder {
        self.calls.query();
        let req = self
            .client
            .query()
            .table_name(&self.table)
            .set_index_name(q.index.map(String::from))
            .expression_attribute_names("#pk", q.pk_attr)
            .expression_attribute_values(":pk", s(q.pk.clone()))
            .scan_index_forward(!q.descending)
            .set_exclusive_start_key(start)
            // The base table reads consistently (a sign-up sees the one before it);
            // indexes cannot.
            .consistent_read(q.index.is_none());
        match &q.sort {
            SortKey::Any => req.key_condition_expression("#pk = :pk"),
            SortKey::Prefix(p) => req
                .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                .expression_attribute_names("#sk", q.sk_attr)
                .expression_attribute_values(":prefix", s(*p)),
            SortKey::Between(a, b) => req
                .key_condition_expression("#pk = :pk AND #sk BETWEEN :lo AND :hi")
                .expression_attribute_names("#sk", q.sk_attr)
                .expression_attribute_values(":lo", s(a.clone()))
                .expression_attribute_values(":hi", s(b.clone())),
        }
    }

    /// Every item a Query matches, page after page: for partitions that are small by
    /// nature (a record's audit trail, a geohash cell's stations).
    pub(crate) async fn query_all<T: for<'de> serde::Deserialize<'de>>(
        &self,
        q: QuerySpec<'_>,
    ) -> Result<Vec<T>, StoreError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let page = self
                .query_request(&q, start)
                .send()
                .await
                .map_err(classify)?;
            self.calls.read_items(page.scanned_count.max(0) as u64);
            for item in page.items.unwrap_or_default() {
                out.push(from_item(item)?);
            }
            match page.last_evaluated_key {
                Some(k) if !k.is_empty() => start = Some(k),
                _ => return Ok(out),
            }
        }
    }

    /// One PutItem of a whole item; `condition` makes it conditional.
    pub(crate) async fn put_one(
        &self,
        item: HashMap<String, AttributeValue>,
        condition: Option<&str>,
    ) -> Result<(), StoreError> {
        self.calls.write();
        self.client
            .put_item()
            .table_name(&self.table)
            .set_item(Some(item))
            .set_condition_expression(condition.map(String::from))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// One UpdateItem of the item at (`pk`, `sk`), as [`super::update_op`] builds one
    /// inside a transaction.
    pub(crate) async fn update_one(
        &self,
        pk: String,
        sk: &str,
        expression: &str,
        condition: Option<&str>,
        names: &[(&str, &str)],
        values: Vec<(&str, AttributeValue)>,
    ) -> Result<(), StoreError> {
        self.calls.write();
        self.client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(key_of(pk, sk)))
            .update_expression(expression)
            .set_condition_expression(condition.map(String::from))
            .set_expression_attribute_names(names_of(names))
            .set_expression_attribute_values(values_of(values))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }

    /// One DeleteItem of the item at (`pk`, `sk`).
    pub(crate) async fn delete_one(&self, pk: String, sk: &str) -> Result<(), StoreError> {
        self.calls.write();
        self.client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(key_of(pk, sk)))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
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
            .set_key(Some(key_of(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(classify)?;
        self.calls.read_items(u64::from(out.item.is_some()));
        out.item.map(from_item).transpose()
    }
}

/// Exponential backoff with full jitter: 0..(5 ms × 2^round), capped at 200 ms.
pub(crate) async fn backoff(round: u32) {
    let cap = (5u64 << round.min(6)).min(200);
    let ms = rand::random::<u64>() % (cap + 1);
    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
}
