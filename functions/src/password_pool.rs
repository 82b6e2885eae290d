//! Argon2id on a bounded pool. Each hash takes ~19 MiB and tens of milliseconds of a core,
//! so a burst of sign-ins must not start one job per request: jobs run on `slots` blocking
//! threads at most, a short queue (`queue`) waits for them, and a request past both is
//! refused at once with 429 and `Retry-After`, holding no memory. Every Argon2 caller goes
//! through `run` (`service::accounts::{hash, verify}`: register, sign-in, reset, password
//! change, closing, re-checks).
//!
//! The pool belongs to the app (`Config::password_pool`); the API router puts it in scope
//! for each request (`scope`), so the services need no extra argument. Outside a request
//! (seeding, the admin command) a default pool is used.

use crate::error::ApiError;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use tokio::sync::Semaphore;

/// Waiting requests per slot, by default.
pub const QUEUE_PER_SLOT: usize = 32;

/// What a refused request is told to wait before retrying, in seconds.
pub const RETRY_AFTER_SECONDS: u64 = 1;

#[derive(Debug, Clone)]
pub struct PasswordPool(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    slots: Arc<Semaphore>,
    size: usize,
    /// Jobs admitted: running, or waiting for a slot.
    admitted: AtomicUsize,
    capacity: usize,
}

/// Gives the admission back when the job is done (or its request went away first).
struct Admission(Arc<Inner>);

impl Drop for Admission {
    fn drop(&mut self) {
        self.0.admitted.fetch_sub(1, Ordering::SeqCst);
    }
}

impl PasswordPool {
    /// `slots` jobs at once (at least 1), `queue` more waiting.
    pub fn new(slots: usize, queue: usize) -> PasswordPool {
        let slots = slots.max(1);
        PasswordPool(Arc::new(Inner {
            slots: Arc::new(Semaphore::new(slots)),
            size: slots,
            admitted: AtomicUsize::new(0),
            capacity: slots + queue,
        }))
    }

    /// One slot per core and `QUEUE_PER_SLOT` waiting per slot. A waiting request holds a
    /// few hundred bytes (the 19 MiB of a hash are taken only when it runs), and a full
    /// queue clears in 32 hashes' time, about 1–2 s in a release build: a class signing in
    /// at once waits a moment, a flood is refused.
    pub fn for_this_machine() -> PasswordPool {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        PasswordPool::new(cores, cores * QUEUE_PER_SLOT)
    }

    /// `ZHIYUAN_PASSWORD_SLOTS` and `ZHIYUAN_PASSWORD_QUEUE` when set, else sized to the
    /// machine.
    pub fn from_env() -> Result<PasswordPool, String> {
        let read = |name: &str| -> Result<Option<usize>, String> {
            match std::env::var(name).ok().filter(|v| !v.trim().is_empty()) {
                None => Ok(None),
                Some(v) => v
                    .trim()
                    .parse::<usize>()
                    .map(Some)
                    .map_err(|_| format!("{name} must be a whole number, not {v:?}")),
            }
        };
        let default = PasswordPool::for_this_machine();
        let slots = read("ZHIYUAN_PASSWORD_SLOTS")?.unwrap_or(default.0.size);
        let queue = read("ZHIYUAN_PASSWORD_QUEUE")?.unwrap_or(slots * QUEUE_PER_SLOT);
        Ok(PasswordPool::new(slots, queue))
    }

    pub fn slots(&self) -> usize {
        self.0.size
    }

    /// Runs `job` on a blocking thread once a slot is free; 429 when the slots and the
    /// queue are all taken.
    pub async fn run<T, F>(&self, job: F) -> Result<T, ApiError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let before = self.0.admitted.fetch_add(1, Ordering::SeqCst);
        let admission = Admission(self.0.clone());
        if before >= self.0.capacity {
            return Err(ApiError::TooManyRequests {
                retry_after: RETRY_AFTER_SECONDS,
            });
        }
        let permit = self
            .0
            .slots
            .clone()
            .acquire_owned()
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        // The slot and the admission go with the job: a request that gives up (a timeout,
        // a closed connection) does not free them while its hash still runs.
        tokio::task::spawn_blocking(move || {
            let _held = (permit, admission);
            job()
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))
    }
}

tokio::task_local! {
    static CURRENT: PasswordPool;
}

/// Runs a request with `pool` as the pool its Argon2 jobs use.
pub async fn scope<F: Future>(pool: PasswordPool, request: F) -> F::Output {
    CURRENT.scope(pool, request).await
}

/// The pool of the request being served, else the process' default one.
pub fn current() -> PasswordPool {
    CURRENT.try_with(PasswordPool::clone).unwrap_or_else(|_| {
        static DEFAULT: OnceLock<PasswordPool> = OnceLock::new();
        DEFAULT.get_or_init(PasswordPool::for_this_machine).clone()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn a_job_past_the_slots_and_the_queue_is_refused_at_once() {
        let pool = PasswordPool::new(1, 1);
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let wait = Arc::new(std::sync::Mutex::new(wait));
        let blocked = |w: Arc<std::sync::Mutex<std::sync::mpsc::Receiver<()>>>| {
            move || {
                let _ = w.lock().map(|r| r.recv_timeout(Duration::from_secs(5)));
            }
        };
        let running = tokio::spawn({
            let pool = pool.clone();
            let job = blocked(wait.clone());
            async move { pool.run(job).await }
        });
        let queued = tokio::spawn({
            let pool = pool.clone();
            let job = blocked(wait.clone());
            async move { pool.run(job).await }
        });
        // Both admitted (one running, one waiting) before the third asks.
        for _ in 0..100 {
            if pool.0.admitted.load(Ordering::SeqCst) == 2 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let refused = pool.run(|| ()).await;
        assert!(matches!(
            refused,
            Err(ApiError::TooManyRequests { retry_after: 1 })
        ));
        release.send(()).expect("release");
        release.send(()).expect("release");
        assert!(running.await.expect("join").is_ok());
        assert!(queued.await.expect("join").is_ok());
        // Everything given back: the pool takes work again.
        assert!(pool.run(|| ()).await.is_ok());
        assert_eq!(pool.0.admitted.load(Ordering::SeqCst), 0);
    }
}
