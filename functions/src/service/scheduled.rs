//! The periodic jobs, run by the `scheduled` Lambda function (EventBridge) and by the local
//! server's timer.

use crate::config::Config;
use crate::error::ApiError;
use crate::files::Files;
use crate::store::Store;
use zhiyuan_shared::time::Timestamp;

/// What one run of the periodic jobs did.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScheduledRun {
    pub reminders: usize,
    pub closed: usize,
    /// Monthly reports written (in the first run of a month only).
    pub reports: usize,
    /// Notice SMS sent (the dispatcher also runs on its own, every minute).
    pub sms_sent: usize,
    /// Closed accounts whose tidying a dead request left unfinished.
    pub closings: usize,
    /// Dispatched needs returned to the queue, unanswered by their deadline.
    pub needs_returned: usize,
    /// Occurrences of regular activities published ahead.
    pub occurrences: usize,
}

/// The periodic jobs: reminders before shifts, closing records whose volunteer never
/// checked out (at the shift's end, flagged for review), and the monthly reports. Each is
/// safe to run twice.
pub async fn run(
    store: &Store,
    config: &Config,
    files: &Files,
    now: Timestamp,
) -> Result<ScheduledRun, ApiError> {
    let reminders = super::reminders::run(store, config.sender, now).await?;
    let closed = super::records::close_due(store, config.hours_step_minutes, now).await?;
    let reports = super::reports::take_due(store, now).await?;
    let closings =
        super::my_account::finish_closings(store, &config.keys, files, config.sender).await?;
    let needs_returned = super::need_dispatch::return_overdue(store, config.sender, now).await?;
    let occurrences = top_up_series(store, now).await?;
    // After the reminders and closings, so the SMS they queued go in this same run.
    let sms_sent = sms(store, config, now).await?.sent;
    if reminders + closed + reports + closings + needs_returned + occurrences > 0 {
        tracing::info!(
            reminders,
            closed,
            reports,
            closings,
            needs_returned,
            occurrences,
            "scheduled jobs ran"
        );
    }
    Ok(ScheduledRun {
        reminders,
        closed,
        reports,
        sms_sent,
        closings,
        needs_returned,
        occurrences,
    })
}

/// Regular activities: the occurrences now within the weeks published ahead.
async fn top_up_series(store: &Store, now: Timestamp) -> Result<usize, ApiError> {
    let occurrences = super::series::top_up_due(store, now).await?;
    if occurrences > 0 {
        tracing::info!(occurrences, "regular activities topped up");
    }
    Ok(occurrences)
}

/// The SMS dispatcher alone: what is due on the notice SMS queue goes out.
pub async fn sms(
    store: &Store,
    config: &Config,
    now: Timestamp,
) -> Result<super::sms_notices::SmsRun, ApiError> {
    super::sms_notices::drain(store, &config.keys, &config.sms, now).await
}
