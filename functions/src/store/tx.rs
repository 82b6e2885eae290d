//! Transactions: the items of one `TransactWriteItems`, each conditional one tagged with
//! the refusal its failed condition means, and the helpers that build those items.

use super::{Store, StoreError, build_err, classify, keys, s};
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem};
use std::collections::HashMap;

/// A transaction that did not commit: one of its conditions refused it (`R` says which,
/// as the store's access pattern names it), or the store failed.
#[derive(Debug)]
pub enum TxError<R> {
    Refused(R),
    Store(StoreError),
}

impl<R> From<StoreError> for TxError<R> {
    fn from(e: StoreError) -> Self {
        Self::Store(e)
    }
}

impl<R: std::fmt::Debug> std::fmt::Display for TxError<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused(r) => write!(f, "the transaction was refused: {r:?}"),
            Self::Store(e) => e.fmt(f),
        }
    }
}

impl<R: std::fmt::Debug> std::error::Error for TxError<R> {}

/// The items of one transaction, each conditional one tagged with the refusal its failed
/// condition means, so the refusal is named where the item is built, never by position.
pub(crate) struct Tx<R> {
    ops: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
    refusals: Vec<Option<R>>,
}

impl<R> Tx<R> {
    pub(crate) fn new() -> Self {
        Self {
            ops: Vec::new(),
            refusals: Vec::new(),
        }
    }

    /// An item whose condition, when it fails, refuses the transaction as `refusal`.
    pub(crate) fn guarded(&mut self, op: aws_sdk_dynamodb::types::TransactWriteItem, refusal: R) {
        self.ops.push(op);
        self.refusals.push(Some(refusal));
    }

    /// An item without a condition, or whose failure is not one the caller tells apart
    /// (it surfaces as [`StoreError::ConditionFailed`]).
    pub(crate) fn push(&mut self, op: aws_sdk_dynamodb::types::TransactWriteItem) {
        self.ops.push(op);
        self.refusals.push(None);
    }

    pub(crate) fn extend(
        &mut self,
        ops: impl IntoIterator<Item = aws_sdk_dynamodb::types::TransactWriteItem>,
    ) {
        for op in ops {
            self.push(op);
        }
    }
}

/// Why a transaction was cancelled: the first item whose condition failed, or another
/// store error.
enum Cancelled {
    At(usize),
    Other(StoreError),
}

/// Classifies a refused transaction by its cancellation reasons: which item's condition
/// failed, or whether it lost a race or was throttled.
fn classify_transaction<R: std::fmt::Debug + Send + Sync + 'static>(
    err: SdkError<aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError, R>,
) -> Cancelled {
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
            return Cancelled::At(i);
        }
        if reasons.iter().any(|r| code(r) == "TransactionConflict") {
            return Cancelled::Other(StoreError::TransactionConflict);
        }
        if reasons.iter().any(|r| {
            matches!(
                code(r).as_str(),
                "ThrottlingError" | "ProvisionedThroughputExceeded"
            )
        }) {
            return Cancelled::Other(StoreError::Throttled);
        }
    }
    Cancelled::Other(classify(err))
}

/// A transaction's put of one item.
pub(crate) fn put(
    item: HashMap<String, AttributeValue>,
    table: &str,
    condition: Option<&str>,
) -> Result<aws_sdk_dynamodb::types::TransactWriteItem, StoreError> {
    let put = aws_sdk_dynamodb::types::Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .set_condition_expression(condition.map(String::from))
        .build()
        .map_err(build_err)?;
    Ok(aws_sdk_dynamodb::types::TransactWriteItem::builder()
        .put(put)
        .build())
}

/// The key of the item at (`pk`, `sk`).
pub(crate) fn key_of(pk: String, sk: &str) -> HashMap<String, AttributeValue> {
    HashMap::from([(keys::PK.into(), s(pk)), (keys::SK.into(), s(sk))])
}

/// An expression's attribute names; None when there are none (DynamoDB refuses an empty
/// map).
pub(crate) fn names_of(names: &[(&str, &str)]) -> Option<HashMap<String, String>> {
    (!names.is_empty()).then(|| {
        names
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    })
}

/// An expression's attribute values; None when there are none.
pub(crate) fn values_of(
    values: Vec<(&str, AttributeValue)>,
) -> Option<HashMap<String, AttributeValue>> {
    (!values.is_empty()).then(|| {
        values
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect()
    })
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
) -> Result<TransactWriteItem, StoreError> {
    let u = aws_sdk_dynamodb::types::Update::builder()
        .table_name(table)
        .set_key(Some(key_of(pk, sk)))
        .update_expression(expression)
        .set_condition_expression(condition.map(String::from))
        .set_expression_attribute_names(names_of(names))
        .set_expression_attribute_values(values_of(values))
        .build()
        .map_err(build_err)?;
    Ok(TransactWriteItem::builder().update(u).build())
}

/// A transaction's delete of one item.
pub(crate) fn delete_op(
    table: &str,
    pk: String,
    sk: &str,
    condition: Option<&str>,
    names: &[(&str, &str)],
    values: Vec<(&str, AttributeValue)>,
) -> Result<TransactWriteItem, StoreError> {
    let d = aws_sdk_dynamodb::types::Delete::builder()
        .table_name(table)
        .set_key(Some(key_of(pk, sk)))
        .set_condition_expression(condition.map(String::from))
        .set_expression_attribute_names(names_of(names))
        .set_expression_attribute_values(values_of(values))
        .build()
        .map_err(build_err)?;
    Ok(TransactWriteItem::builder().delete(d).build())
}

impl Store {
    async fn send_transaction(
        &self,
        items: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
    ) -> Result<(), Cancelled> {
        self.calls.write();
        self.client
            .transact_write_items()
            .set_transact_items(Some(items))
            .send()
            .await
            .map_err(classify_transaction)?;
        Ok(())
    }

    /// A transaction none of whose refusals the caller tells apart: any failed condition
    /// is [`StoreError::ConditionFailed`].
    pub(crate) async fn transact(
        &self,
        items: Vec<aws_sdk_dynamodb::types::TransactWriteItem>,
    ) -> Result<(), StoreError> {
        self.send_transaction(items).await.map_err(|c| match c {
            Cancelled::At(_) => StoreError::ConditionFailed,
            Cancelled::Other(e) => e,
        })
    }

    /// A transaction whose refusals are named by its items' tags.
    pub(crate) async fn commit<R>(&self, tx: Tx<R>) -> Result<(), TxError<R>> {
        let Tx { ops, refusals } = tx;
        self.send_transaction(ops).await.map_err(|c| match c {
            Cancelled::At(i) => match refusals.into_iter().nth(i).flatten() {
                Some(r) => TxError::Refused(r),
                None => TxError::Store(StoreError::ConditionFailed),
            },
            Cancelled::Other(e) => TxError::Store(e),
        })
    }
}

/// A transaction's check of one item's condition, writing nothing.
pub(crate) fn check_op(
    table: &str,
    pk: String,
    sk: &str,
    condition: &str,
    names: &[(&str, &str)],
    values: Vec<(&str, AttributeValue)>,
) -> Result<TransactWriteItem, StoreError> {
    let c = aws_sdk_dynamodb::types::ConditionCheck::builder()
        .table_name(table)
        .set_key(Some(key_of(pk, sk)))
        .condition_expression(condition)
        .set_expression_attribute_names(names_of(names))
        .set_expression_attribute_values(values_of(values))
        .build()
        .map_err(build_err)?;
    Ok(TransactWriteItem::builder().condition_check(c).build())
}

/// A transaction's put of one item under a condition that names attributes and values.
pub(crate) fn put_if(
    item: HashMap<String, AttributeValue>,
    table: &str,
    condition: &str,
    names: &[(&str, &str)],
    values: Vec<(&str, AttributeValue)>,
) -> Result<TransactWriteItem, StoreError> {
    let put = aws_sdk_dynamodb::types::Put::builder()
        .table_name(table)
        .set_item(Some(item))
        .condition_expression(condition)
        .set_expression_attribute_names(names_of(names))
        .set_expression_attribute_values(values_of(values))
        .build()
        .map_err(build_err)?;
    Ok(TransactWriteItem::builder().put(put).build())
}
