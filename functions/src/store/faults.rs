//! Fault injection for tests. DynamoDB Local never throttles and never reports a
//! transaction conflict, so tests install this SDK interceptor on the store's client to
//! make a share of calls fail the way the real service can:
//!
//! - **throttled**: the request is not executed (its operation name is spoiled on the way
//!   out) and the answer is `ThrottlingException`; the SDK's own retries apply.
//! - **conflict**: a `TransactWriteItems` is not executed and the answer is a
//!   `TransactionCanceledException` with reason `TransactionConflict`.
//! - **lost answer**: the request *is* executed, then its answer is replaced by a 500, as
//!   when a connection drops after the write — the caller cannot know it succeeded.
//! - **crash** ([`FaultInjector::crash_after_writes`]): after N writes every call fails
//!   unexecuted, as when the process dies part way through a multi-step path.
//! - **over budget** ([`FaultInjector::throttle_model`]): DynamoDB's per-partition limit.
//!   Each partition key gets a budget of write capacity units per one-second window; a
//!   write's items are charged to their keys (1 WCU an item, 2 inside a transaction,
//!   condition checks included, each item counted as ≤ 1 KB), and a request that would take
//!   any key over its budget is not executed and answers
//!   `ProvisionedThroughputExceededException`, as the service does.

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextMut, BeforeTransmitInterceptorContextMut,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Throttled,
    Conflict,
    LostAnswer,
    Crash,
    OverBudget,
}

/// What was injected into the current attempt (stored per attempt in the config bag).
#[derive(Debug, Clone, Copy)]
struct Injected(Option<Fault>);

impl Storable for Injected {
    type Storer = StoreReplace<Self>;
}

/// Counts of what was injected, for tests to show the faults really happened.
#[derive(Debug, Default)]
pub struct FaultCounts {
    pub throttled: AtomicU64,
    pub conflicts: AtomicU64,
    pub lost_answers: AtomicU64,
    pub crashed: AtomicU64,
    pub over_budget: AtomicU64,
}

/// Write capacity used per partition key in the current one-second window.
#[derive(Debug, Default)]
struct Window {
    second: u64,
    used: HashMap<String, u32>,
    /// The most any key used in any window so far, and that key.
    peak: (u32, String),
}

/// The per-partition-key write budget of [`FaultInjector::throttle_model`].
#[derive(Debug)]
pub struct KeyBudget {
    wcu_per_second: u32,
    window: Mutex<Window>,
}

impl KeyBudget {
    /// Charges a request's writes; false (charging nothing) if any key would go over.
    fn charge(&self, wanted: &HashMap<String, u32>) -> bool {
        let second = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let mut w = self.window.lock().unwrap_or_else(|e| e.into_inner());
        if w.second != second {
            w.second = second;
            w.used.clear();
        }
        let fits = wanted
            .iter()
            .all(|(k, n)| w.used.get(k).copied().unwrap_or(0) + n <= self.wcu_per_second);
        if fits {
            for (k, n) in wanted {
                let used = w.used.entry(k.clone()).or_insert(0);
                *used += n;
                let used = *used;
                if used > w.peak.0 {
                    w.peak = (used, k.clone());
                }
            }
        }
        fits
    }

    /// The most write capacity one key used in one second, and the key.
    pub fn peak(&self) -> (u32, String) {
        self.window
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .peak
            .clone()
    }
}

/// The write capacity a request charges to each partition key: the `PK` of every item it
/// writes or checks, 2 WCU each in a transaction, 1 otherwise. Reads are not charged.
fn write_units(target: &str, body: &[u8]) -> HashMap<String, u32> {
    let mut out = HashMap::new();
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return out;
    };
    let pk = |item: &serde_json::Value| item["PK"]["S"].as_str().map(str::to_string);
    let mut add = |k: Option<String>, n: u32| {
        if let Some(k) = k {
            *out.entry(k).or_insert(0) += n;
        }
    };
    let op = target.rsplit('.').next().unwrap_or_default();
    match op {
        "TransactWriteItems" => {
            for it in v["TransactItems"].as_array().into_iter().flatten() {
                let k = pk(&it["Put"]["Item"])
                    .or_else(|| pk(&it["Update"]["Key"]))
                    .or_else(|| pk(&it["Delete"]["Key"]))
                    .or_else(|| pk(&it["ConditionCheck"]["Key"]));
                add(k, 2);
            }
        }
        "PutItem" => add(pk(&v["Item"]), 1),
        "UpdateItem" | "DeleteItem" => add(pk(&v["Key"]), 1),
        "BatchWriteItem" => {
            let tables = v["RequestItems"].as_object().into_iter().flatten();
            for (_, reqs) in tables {
                for r in reqs.as_array().into_iter().flatten() {
                    add(
                        pk(&r["PutRequest"]["Item"]).or_else(|| pk(&r["DeleteRequest"]["Key"])),
                        1,
                    );
                }
            }
        }
        _ => {}
    }
    out
}

#[derive(Debug, Clone)]
pub struct FaultInjector {
    /// Per mille of calls that fail, for each kind in `faults` in turn.
    per_mille: u32,
    faults: Vec<Fault>,
    /// With [`FaultInjector::crash_after_writes`]: how many writes go through.
    crash_after: Option<u64>,
    writes: Arc<AtomicU64>,
    /// With [`FaultInjector::throttle_model`]: each partition key's write budget.
    pub budget: Option<Arc<KeyBudget>>,
    pub counts: Arc<FaultCounts>,
}

impl FaultInjector {
    /// Fails `percent` % of calls with one of `faults`, chosen at random.
    pub fn new(percent: u32, faults: &[Fault]) -> Self {
        Self {
            per_mille: percent * 10,
            faults: faults.to_vec(),
            crash_after: None,
            writes: Arc::new(AtomicU64::new(0)),
            budget: None,
            counts: Arc::new(FaultCounts::default()),
        }
    }

    /// DynamoDB's partition limit: each partition key takes `wcu_per_second` write
    /// capacity units a second (1,000 on AWS); writes over it are throttled.
    pub fn throttle_model(wcu_per_second: u32) -> Self {
        Self {
            budget: Some(Arc::new(KeyBudget {
                wcu_per_second,
                window: Mutex::new(Window::default()),
            })),
            ..Self::new(0, &[])
        }
    }

    /// Lets `writes` writes through, then fails every call (reads too) without executing
    /// it: the process "crashed" after its `writes`-th write.
    pub fn crash_after_writes(writes: u64) -> Self {
        Self {
            crash_after: Some(writes),
            ..Self::new(0, &[])
        }
    }

    fn crash(&self, target: &str) -> bool {
        let Some(limit) = self.crash_after else {
            return false;
        };
        const WRITES: [&str; 5] = [
            "TransactWriteItems",
            "PutItem",
            "UpdateItem",
            "DeleteItem",
            "BatchWriteItem",
        ];
        if self.writes.load(Ordering::SeqCst) >= limit {
            return true;
        }
        if WRITES.iter().any(|w| target.ends_with(w)) {
            self.writes.fetch_add(1, Ordering::SeqCst) >= limit
        } else {
            false
        }
    }

    fn choose(&self, is_transaction: bool) -> Option<Fault> {
        if self.faults.is_empty() || rand::random::<u32>() % 1000 >= self.per_mille {
            return None;
        }
        let f = self.faults[rand::random::<usize>() % self.faults.len()];
        match f {
            Fault::Conflict if !is_transaction => None,
            other => Some(other),
        }
    }
}

const TARGET: &str = "x-amz-target";

impl Intercept for FaultInjector {
    fn name(&self) -> &'static str {
        "FaultInjector"
    }

    fn modify_before_transmit(
        &self,
        ctx: &mut BeforeTransmitInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let target = ctx
            .request()
            .headers()
            .get(TARGET)
            .unwrap_or_default()
            .to_string();
        let over_budget = self.budget.as_ref().is_some_and(|b| {
            let body = ctx.request().body().bytes().unwrap_or_default();
            !b.charge(&write_units(&target, body))
        });
        let fault = if self.crash(&target) {
            Some(Fault::Crash)
        } else if over_budget {
            Some(Fault::OverBudget)
        } else {
            self.choose(target.ends_with("TransactWriteItems"))
        };
        if matches!(
            fault,
            Some(Fault::Throttled | Fault::Conflict | Fault::Crash | Fault::OverBudget)
        ) {
            // An unknown operation: the service refuses it without touching any item.
            ctx.request_mut()
                .headers_mut()
                .insert(TARGET, "DynamoDB_20120810.InjectedFault");
        }
        cfg.interceptor_state().store_put(Injected(fault));
        Ok(())
    }

    fn modify_before_deserialization(
        &self,
        ctx: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(Injected(Some(fault))) = cfg.load::<Injected>().copied() else {
            return Ok(());
        };
        let (status, body) = match fault {
            Fault::Throttled => {
                self.counts.throttled.fetch_add(1, Ordering::Relaxed);
                (
                    400,
                    r#"{"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"injected throttling"}"#,
                )
            }
            Fault::OverBudget => {
                self.counts.over_budget.fetch_add(1, Ordering::Relaxed);
                (
                    400,
                    r#"{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded (modelled per partition key)"}"#,
                )
            }
            Fault::Conflict => {
                self.counts.conflicts.fetch_add(1, Ordering::Relaxed);
                (
                    400,
                    r#"{"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException","Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [TransactionConflict]","CancellationReasons":[{"Code":"TransactionConflict","Message":"injected conflict"}]}"#,
                )
            }
            Fault::Crash => {
                self.counts.crashed.fetch_add(1, Ordering::Relaxed);
                (
                    500,
                    r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"injected crash"}"#,
                )
            }
            Fault::LostAnswer => {
                self.counts.lost_answers.fetch_add(1, Ordering::Relaxed);
                (
                    500,
                    r#"{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"injected lost answer"}"#,
                )
            }
        };
        let resp = ctx.response_mut();
        *resp.status_mut() = StatusCode::try_from(status)?;
        *resp.body_mut() = SdkBody::from(body);
        Ok(())
    }
}

impl super::Store {
    /// The same table through a client that injects `faults`.
    pub fn with_faults(&self, injector: FaultInjector) -> Self {
        let conf = self
            .client
            .config()
            .to_builder()
            .interceptor(injector)
            .build();
        Self {
            client: aws_sdk_dynamodb::Client::from_conf(conf),
            table: self.table.clone(),
            calls: self.calls.clone(),
        }
    }
}
