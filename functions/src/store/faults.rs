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

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeDeserializationInterceptorContextMut, BeforeTransmitInterceptorContextMut,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Throttled,
    Conflict,
    LostAnswer,
    Crash,
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
}

#[derive(Debug, Clone)]
pub struct FaultInjector {
    /// Per mille of calls that fail, for each kind in `faults` in turn.
    per_mille: u32,
    faults: Vec<Fault>,
    /// With [`FaultInjector::crash_after_writes`]: how many writes go through.
    crash_after: Option<u64>,
    writes: Arc<AtomicU64>,
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
            counts: Arc::new(FaultCounts::default()),
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
        let fault = if self.crash(&target) {
            Some(Fault::Crash)
        } else {
            self.choose(target.ends_with("TransactWriteItems"))
        };
        if matches!(
            fault,
            Some(Fault::Throttled | Fault::Conflict | Fault::Crash)
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
