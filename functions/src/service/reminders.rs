//! Reminders before a shift: a scheduled job (EventBridge in the cloud, a timer in the
//! local server) finds shifts starting within the next day that are still on the reminder
//! queue, writes a notice to each confirmed volunteer, then takes the shift off the queue.
//! A crash between the two leaves the shift queued and the next run writes the same
//! notices again under the same ids, so nobody is reminded twice.

use super::notices::{fixed_notice_id, notice};
use crate::error::ApiError;
use crate::notify::NoticeSender;
use crate::store::Store;
use zhiyuan_shared::activity::{ActivityStatus, SignupStatus};
use zhiyuan_shared::notice::NoticeKind;
use zhiyuan_shared::time::Timestamp;

/// How long before a shift its volunteers are reminded.
pub const AHEAD_SECONDS: i64 = 24 * 3600;

/// Runs once; returns how many reminders it wrote.
pub async fn run(store: &Store, sender: NoticeSender, now: Timestamp) -> Result<usize, ApiError> {
    let until = now.plus(AHEAD_SECONDS);
    let mut days = vec![now.cst_date().iso()];
    if until.cst_date() != now.cst_date() {
        days.push(until.cst_date().iso());
    }
    let mut written = 0;
    for day in days {
        for shift in store.reminders_due(&day, now.unix(), until.unix()).await? {
            if shift.status == ActivityStatus::Published {
                let Some(a) = store.get_activity(&shift.activity_id).await? else {
                    continue;
                };
                let mut resume = None;
                loop {
                    let (page, next) = store.signups_page(&a.id, shift.n, resume, 100).await?;
                    let at_ms = (shift.starts_at.plus(-AHEAD_SECONDS).unix().max(0) as u64) * 1000;
                    let items: Vec<_> = page
                        .iter()
                        .filter(|s| s.status == SignupStatus::Confirmed)
                        .map(|s| {
                            notice(
                                &s.user_id,
                                fixed_notice_id(
                                    at_ms,
                                    &format!("remind:{}:{}", shift.id(), s.user_id),
                                ),
                                NoticeKind::Reminder,
                                &a.title,
                                format!("/activities/{}", a.id),
                                Some(shift.starts_at.rfc3339_cst()),
                                None,
                            )
                        })
                        .collect();
                    written += items.len();
                    super::notices::publish(store, sender, &items).await?;
                    match next {
                        Some(n) => resume = Some(n),
                        None => break,
                    }
                }
            }
            store.reminder_sent(&shift).await?;
        }
    }
    Ok(written)
}
