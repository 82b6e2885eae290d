//! Bringing a table written by earlier versions up to the current layout
//! (`zhiyuan-admin migrate`): every item the current code expects that an older write path
//! did not create, built with the same key builders and item types as the live writes.
//!
//! | pattern | operation |
//! |---|---|
//! | `migration_page` | Scan, `SK IN (ACT, USER, NEED)`, a page of `Limit` items from a resume key (operator command only: no function role may Scan) |
//! | `backfill_listings` | BatchGetItem of the activity's listing copies, then TransactWriteItems: activity `version` and `status` as read (a check, or an update of its own GSI4 keys where they differ) + each missing copy (new) |
//! | `move_old_signups` | Query `ACT#id` `SIGNUP#` (the layout before 2026-11-29), Query `SIGNUPS#shift`; per sign-up TransactWriteItems: new sign-up [+ wait entry] (new) + delete the old [and its wait entry] |
//! | `backfill_counters` | Query `ACT#id` `SHIFT#`; per shift: BatchGetItem of its counters and waitlist count, Query `SIGNUPS#shift`, TransactWriteItems: shift `status` as read (check) + each missing counter (new) [+ waitlist count (new)] |
//! | `backfill_schedule` | GetItem `USER#id / SCHEDULE`, Query `USER#id` `MYSHIFT#` from a day ago, TransactWriteItems: user `signup_seq` as read (check) + schedule (new) |
//! | `backfill_need_index` | UpdateItem `SET` of the index keys a need lacks, on `version` as read |
//!
//! Each kind of backfill is one function taking the scanned item. A new kind for an
//! activity (e.g. another listing) is one more function called from
//! `Store::migrate_activity`, or from `Store::migrate_item` for a user or a need; one for
//! another kind of item also adds that item's `SK` to `migration_page`'s filter. Every
//! write is conditional, so a second run changes nothing and a run beside live traffic
//! never overwrites a live write.

use super::accounts::UserItem;
use super::activities::{ActivityItem, Listing, RawItem, counter_capacity, shift_keys};
use super::keys;
use super::needs::NeedItem;
use super::signups::{Booked, SCHEDULE_MAX, ScheduleItem, SignupItem, schedule_keys, wait_entry};
use super::{
    QuerySpec, ResumeKey, SortKey, Store, StoreError, backoff, check_op, classify, delete_op,
    from_item, keyed_item, n, put, s, update_op,
};
use aws_sdk_dynamodb::types::TransactWriteItem;
use std::ops::ControlFlow;
use zhiyuan_shared::activity::SignupStatus;
use zhiyuan_shared::time::Timestamp;

/// What a migration run did, by kind (all pages so far).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MigrationReport {
    /// Items the scan handed over (activities, users and needs).
    pub scanned: u64,
    /// Activity listing copies written (city, banner, geohash cell, organisation, station).
    pub listings: u64,
    /// Sign-ups moved from the activity's partition to their shift's.
    pub signups_moved: u64,
    /// Place counter items written, derived from the shift's confirmed sign-ups.
    pub counters: u64,
    /// Waitlist count items written, derived from the shift's waitlisted sign-ups.
    pub waitlists: u64,
    /// Volunteers' schedule items written from their sign-up mirrors.
    pub schedules: u64,
    /// Needs whose index keys were set.
    pub need_indexes: u64,
    /// Writes that lost to a concurrent change and were decided again from a fresh read.
    pub retried: u64,
    /// Scanned items no current item type reads (left as they are).
    pub unreadable: u64,
    /// Items left as they were after every attempt lost a race: run again to finish them.
    /// An activity whose old-layout sign-ups were not all moved is one: its counters are
    /// written only after the last has moved (counting the shift's partition alone would
    /// undercount its places).
    pub unfinished: u64,
}

impl MigrationReport {
    /// Items written: 0 on a table already up to date.
    pub fn changes(&self) -> u64 {
        self.listings
            + self.signups_moved
            + self.counters
            + self.waitlists
            + self.schedules
            + self.need_indexes
    }
}

/// How one backfill of one item ended.
enum Step {
    /// Written (or found complete): how many items it wrote.
    Done(u64),
    /// A condition failed: something changed since the read, so decide again.
    Raced,
}

/// Attempts per item before it is left for the next run.
const ITEM_ATTEMPTS: u32 = 4;
/// Attempts per store call while it is throttled or conflicts (as the services retry).
const CALL_ATTEMPTS: u32 = 8;

/// A store call again after a jittered pause while it is throttled, conflicts with a
/// concurrent transaction or the store is briefly unavailable.
async fn retried<T, F, Fut>(mut call: F) -> Result<T, StoreError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T, StoreError>>,
{
    let mut attempt = 0;
    loop {
        match call().await {
            Err(
                StoreError::Throttled
                | StoreError::TransactionConflict
                | StoreError::Unavailable(_),
            ) if attempt + 1 < CALL_ATTEMPTS => {
                attempt += 1;
                backoff(attempt).await;
            }
            other => return other,
        }
    }
}

/// A transaction of backfill writes: a failed condition is a race, not an error.
async fn write(store: &Store, ops: Vec<TransactWriteItem>, wrote: u64) -> Result<Step, StoreError> {
    if ops.is_empty() {
        return Ok(Step::Done(0));
    }
    match retried(|| store.transact(ops.clone())).await {
        Ok(()) => Ok(Step::Done(wrote)),
        Err(StoreError::ConditionFailed) => Ok(Step::Raced),
        Err(e) => Err(e),
    }
}

fn sk_of(item: &RawItem) -> Option<&str> {
    item.get(keys::SK)?.as_s().ok().map(String::as_str)
}

fn pk_of(item: &RawItem) -> Option<&str> {
    item.get(keys::PK)?.as_s().ok().map(String::as_str)
}

/// The condition that an item's `version` is still `seen` (items written before versions
/// existed have none, which reads as 0).
fn same_version(seen: u64) -> &'static str {
    if seen == 0 {
        "(attribute_not_exists(#v) OR #v = :seen)"
    } else {
        "#v = :seen"
    }
}

/// A sign-up where the layout before 2026-11-29 kept it (`ACT#activity`), with that key.
#[derive(serde::Deserialize)]
struct OldSignup {
    #[serde(rename = "SK")]
    sk: String,
    #[serde(flatten)]
    item: SignupItem,
}

impl Store {
    /// An item as stored, read consistently.
    async fn raw_item(&self, pk: &str, sk: &str) -> Result<Option<RawItem>, StoreError> {
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
        self.calls.read_items(u64::from(out.item.is_some()));
        Ok(out.item)
    }

    /// One page of the items a migration starts from: activities, users and needs, at most
    /// `limit` items read (a Scan: only the operator's command scans).
    pub async fn migration_page(
        &self,
        resume: Option<ResumeKey>,
        limit: i32,
    ) -> Result<(Vec<RawItem>, Option<ResumeKey>), StoreError> {
        self.calls
            .scans
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let page = self
            .client
            .scan()
            .table_name(&self.table)
            .set_exclusive_start_key(
                resume.map(|k| k.into_iter().map(|(k, v)| (k, s(v))).collect()),
            )
            .limit(limit)
            .filter_expression("SK IN (:act, :user, :need)")
            .expression_attribute_values(":act", s(keys::ACTIVITY_SK))
            .expression_attribute_values(":user", s(keys::USER_SK))
            .expression_attribute_values(":need", s(keys::NEED_SK))
            .send()
            .await
            .map_err(classify)?;
        self.calls.read_items(page.scanned_count.max(0) as u64);
        let next = page.last_evaluated_key.filter(|k| !k.is_empty()).map(|k| {
            k.into_iter()
                .filter_map(|(k, v)| v.as_s().ok().map(|v| (k, v.clone())))
                .collect()
        });
        Ok((page.items.unwrap_or_default(), next))
    }

    /// Brings the table up to date from `resume` (None: from the start), a page of at most
    /// `page` items at a time; `on_page` hears the totals and the resume key after each
    /// finished page, so a run that stops can be resumed from the last one it printed, and
    /// may stop the run there (`Break`).
    pub async fn migrate(
        &self,
        resume: Option<ResumeKey>,
        page: i32,
        now: Timestamp,
        mut on_page: impl FnMut(&MigrationReport, Option<&ResumeKey>) -> ControlFlow<()>,
    ) -> Result<MigrationReport, StoreError> {
        let mut report = MigrationReport::default();
        let mut resume = resume;
        loop {
            let from = resume.clone();
            let (items, next) = retried(|| self.migration_page(from.clone(), page)).await?;
            for item in items {
                report.scanned += 1;
                self.migrate_item(item, now, &mut report).await?;
            }
            let go_on = on_page(&report, next.as_ref());
            match next {
                Some(k) if go_on.is_continue() => resume = Some(k),
                _ => return Ok(report),
            }
        }
    }

    /// Every backfill the scanned item starts, each from a fresh read after a lost race.
    async fn migrate_item(
        &self,
        item: RawItem,
        now: Timestamp,
        report: &mut MigrationReport,
    ) -> Result<(), StoreError> {
        let sk = sk_of(&item).unwrap_or_default().to_string();
        let pk = pk_of(&item).unwrap_or_default().to_string();
        let mut item = Some(item);
        for attempt in 0..ITEM_ATTEMPTS {
            if attempt > 0 {
                report.retried += 1;
                backoff(attempt).await;
            }
            let current = match item.take() {
                Some(i) => i,
                // Re-read: the scan's copy may be older than the write that beat ours.
                None => match retried(|| self.raw_item(&pk, &sk)).await? {
                    Some(i) => i,
                    None => return Ok(()),
                },
            };
            // An item none of the current types reads is counted and left: one odd item
            // does not stop the run over the rest.
            let unreadable = |report: &mut MigrationReport| {
                report.unreadable += 1;
                Ok::<_, StoreError>(Step::Done(0))
            };
            let raw = current.clone();
            let step = match sk.as_str() {
                keys::ACTIVITY_SK => match from_item::<ActivityItem>(current.clone()) {
                    Ok(a) => self.migrate_activity(&a, &raw, report).await?,
                    Err(_) => unreadable(report)?,
                },
                keys::USER_SK => match from_item::<UserItem>(current) {
                    Ok(u) => self.backfill_schedule(u, now, report).await?,
                    Err(_) => unreadable(report)?,
                },
                keys::NEED_SK => match from_item::<NeedItem>(current.clone()) {
                    Ok(need) => {
                        let step = self.backfill_need_index(&need, &current).await?;
                        if let Step::Done(k) = step {
                            report.need_indexes += k;
                        }
                        step
                    }
                    Err(_) => unreadable(report)?,
                },
                _ => Step::Done(0),
            };
            if let Step::Done(_) = step {
                return Ok(());
            }
        }
        report.unfinished += 1;
        Ok(())
    }

    /// An activity's backfills, in order: its listing copies, its sign-ups moved out of
    /// its partition, then its shifts' counters (counted from the moved sign-ups).
    async fn migrate_activity(
        &self,
        a: &ActivityItem,
        raw: &RawItem,
        report: &mut MigrationReport,
    ) -> Result<Step, StoreError> {
        match self.backfill_listings(a, raw).await? {
            Step::Done(k) => report.listings += k,
            raced => return Ok(raced),
        }
        match self.move_old_signups(a, report).await? {
            Step::Done(_) => {}
            raced => return Ok(raced),
        }
        self.backfill_counters(a, report).await
    }

    /// The activity's listing copies that are missing (or that a cancellation made as a
    /// bare status update before they existed), written as the activity is now.
    /// Conditional on the activity's `version` and `status` as read, in the same
    /// transaction: an edit or a cancellation since then (both rewrite every copy) makes
    /// it decide again from a fresh read. The activity item itself is listed too (under its
    /// province's field since 2026-11-29, under the whole province before): where its index
    /// keys differ from what publishing writes now, the same transaction sets them.
    async fn backfill_listings(&self, a: &ActivityItem, raw: &RawItem) -> Result<Step, StoreError> {
        let copies: Vec<_> = a
            .listings()
            .into_iter()
            .map(|l| a.listing_keys(l))
            .filter(|k| k.sk() != keys::ACTIVITY_SK)
            .collect();
        let wanted = copies
            .iter()
            .map(|k| (k.pk().to_string(), k.sk().to_string()))
            .collect();
        let found = retried(|| self.batch_get_items(Vec::clone(&wanted), true)).await?;
        let whole = |k: &super::ItemKeys| {
            found
                .iter()
                .any(|i| sk_of(i) == Some(k.sk()) && i.contains_key("id"))
        };
        let missing: Vec<_> = copies.into_iter().filter(|k| !whole(k)).collect();
        let own = a.listing_keys(Listing::Field);
        let stale: Vec<&(&str, String)> = own
            .index()
            .iter()
            .filter(|(attr, v)| raw.get(*attr).and_then(|x| x.as_s().ok()) != Some(v))
            .collect();
        if missing.is_empty() && stale.is_empty() {
            return Ok(Step::Done(0));
        }
        let condition = format!("{} AND #st = :st", same_version(a.version));
        let mut names = vec![("#v", "version"), ("#st", "status")];
        let mut values = vec![(":seen", n(a.version)), (":st", s(a.status.slug()))];
        let first = if stale.is_empty() {
            check_op(
                &self.table,
                keys::activity_pk(&a.id),
                keys::ACTIVITY_SK,
                &condition,
                &names,
                values,
            )?
        } else {
            const SLOTS: [(&str, &str); 2] = [("#i0", ":i0"), ("#i1", ":i1")];
            let mut sets = Vec::new();
            for ((name, value), (attr, v)) in SLOTS.iter().zip(&stale) {
                sets.push(format!("{name} = {value}"));
                names.push((name, attr));
                values.push((value, s(v.clone())));
            }
            update_op(
                &self.table,
                keys::activity_pk(&a.id),
                keys::ACTIVITY_SK,
                &format!("SET {}", sets.join(", ")),
                Some(&condition),
                &names,
                values,
            )?
        };
        let mut ops = vec![first];
        let wrote = (missing.len() + usize::from(!stale.is_empty())) as u64;
        for k in missing {
            // Only where no whole copy is: a copy written meanwhile is never overwritten.
            ops.push(put(
                keyed_item(a, k)?,
                &self.table,
                Some("attribute_not_exists(id)"),
            )?);
        }
        write(self, ops, wrote).await
    }

    /// Sign-ups and waitlist entries as the layout before 2026-11-29 kept them, in the
    /// activity's own partition (found as the `SIGNUP#` and `WAIT#` items there), moved to
    /// their shift's partition where [`super::signups::signup_keys`] puts them now. A
    /// confirmed one is given a place counter with room (oldest first, after the places the
    /// shift's current sign-ups hold), as the counters are then counted from the items; a
    /// waitlisted one keeps its place in the queue (its entry's ULID). Each moves in one
    /// transaction: the new item where none is, the old one deleted while it exists. No
    /// live write path reads or writes the old keys, and the counters that would let a
    /// live sign-up in are written only after the last one moved.
    async fn move_old_signups(
        &self,
        a: &ActivityItem,
        report: &mut MigrationReport,
    ) -> Result<Step, StoreError> {
        let old_pk = keys::activity_pk(&a.id);
        let old: Vec<OldSignup> = retried(|| {
            self.query_all(QuerySpec::table(
                old_pk.clone(),
                SortKey::Prefix(keys::SIGNUP_PREFIX),
            ))
        })
        .await?;
        if old.is_empty() {
            return Ok(Step::Done(0));
        }
        let mut moved = 0;
        for info in &a.shifts {
            let shift_id = info.id(&a.id);
            let mut mine: Vec<&OldSignup> = old.iter().filter(|o| o.item.n == info.n).collect();
            if mine.is_empty() {
                continue;
            }
            mine.sort_by(|x, y| x.item.signed_up_at.cmp(&y.item.signed_up_at));
            let current: Vec<SignupItem> = retried(|| {
                self.query_all(QuerySpec::table(
                    keys::signups_pk(&shift_id),
                    SortKey::Prefix(keys::SIGNUP_PREFIX),
                ))
            })
            .await?;
            let k = info.counters();
            let mut taken: Vec<u32> = (0..k)
                .map(|i| {
                    current
                        .iter()
                        .filter(|s| s.status == SignupStatus::Confirmed && s.counter == i)
                        .count() as u32
                })
                .collect();
            for o in mine {
                let mut ops = Vec::with_capacity(4);
                let item = o.item.clone();
                let placed = match item.status {
                    SignupStatus::Confirmed => {
                        // The first counter with room (the last if, against every rule of
                        // the old layout, none has).
                        let i = (0..k)
                            .find(|&i| {
                                taken[usize::from(i)] < counter_capacity(info.capacity, k, i)
                            })
                            .unwrap_or(k - 1);
                        taken[usize::from(i)] += 1;
                        item.placed(i, None)
                    }
                    _ => {
                        let old_wait = item.wait_sk().unwrap_or_default().to_string();
                        // The entry's ULID: the queue's order, kept (a sign-up that lost
                        // its entry joins the end of the queue).
                        let sk = match old_wait.rsplit('#').next().filter(|u| !u.is_empty()) {
                            Some(ulid) => keys::wait_sk(ulid),
                            None => keys::wait_sk(&ulid::Ulid::new().to_string()),
                        };
                        ops.push(put(
                            wait_entry(&item.user_id, &shift_id, sk.clone())?,
                            &self.table,
                            Some("attribute_not_exists(PK)"),
                        )?);
                        if !old_wait.is_empty() {
                            ops.push(delete_op(
                                &self.table,
                                old_pk.clone(),
                                &old_wait,
                                None,
                                &[],
                                vec![],
                            )?);
                        }
                        item.placed(0, Some(sk))
                    }
                };
                ops.push(put(
                    keyed_item(&placed, placed.keys())?,
                    &self.table,
                    Some("attribute_not_exists(PK)"),
                )?);
                ops.push(delete_op(
                    &self.table,
                    old_pk.clone(),
                    &o.sk,
                    Some("attribute_exists(PK)"),
                    &[],
                    vec![],
                )?);
                match write(self, ops, 1).await? {
                    Step::Done(c) => moved += c,
                    Step::Raced => {
                        report.signups_moved += moved;
                        return Ok(Step::Raced);
                    }
                }
            }
        }
        report.signups_moved += moved;
        Ok(Step::Done(moved))
    }

    /// The place counters (and waitlist count) of the activity's shifts that are missing.
    /// A counter is derived by counting the confirmed sign-up items that name it, and
    /// written only where no counter item is (`attribute_not_exists`): while a shift lacks
    /// a counter no sign-up, withdrawal or waitlist join of that counter can commit (each
    /// updates it under a condition a missing item fails), so the count cannot move
    /// between the Query and the write. The shift's status is checked in the same
    /// transaction, so a cancellation since the read is not overwritten by an open counter.
    async fn backfill_counters(
        &self,
        a: &ActivityItem,
        report: &mut MigrationReport,
    ) -> Result<Step, StoreError> {
        let shifts = retried(|| self.shift_items_of(&a.id)).await?;
        for shift in &shifts {
            let id = shift.id();
            let k = shift.counters();
            let mut wanted: Vec<(String, String)> = (0..k)
                .map(|i| (keys::places_pk(&id, i), keys::PLACES_SK.to_string()))
                .collect();
            wanted.push((keys::waitlist_pk(&id), keys::WAITLIST_SK.to_string()));
            let found = retried(|| self.batch_get_items(Vec::clone(&wanted), true)).await?;
            let has = |pk: &str, attr: &str| {
                found
                    .iter()
                    .any(|i| pk_of(i) == Some(pk) && i.contains_key(attr))
            };
            let missing: Vec<u8> = (0..k)
                .filter(|i| !has(&keys::places_pk(&id, *i), "shift_id"))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let signups: Vec<SignupItem> = retried(|| {
                self.query_all(QuerySpec::table(
                    keys::signups_pk(&id),
                    SortKey::Prefix(keys::SIGNUP_PREFIX),
                ))
            })
            .await?;
            let confirmed_on = |i: u8| {
                signups
                    .iter()
                    .filter(|s| s.status == SignupStatus::Confirmed && s.counter == i)
                    .count() as u32
            };
            let waiting = signups
                .iter()
                .filter(|s| s.status == SignupStatus::Waitlisted)
                .count();
            let sk = shift_keys(&shift.activity_id, shift.n);
            let mut ops = vec![check_op(
                &self.table,
                sk.pk().to_string(),
                sk.sk(),
                "#st = :st",
                &[("#st", "status")],
                vec![(":st", s(shift.status.slug()))],
            )?];
            for &i in &missing {
                ops.push(put(
                    shift.counter_item(i, confirmed_on(i))?,
                    &self.table,
                    Some("attribute_not_exists(shift_id)"),
                )?);
            }
            let wait = waiting > 0 && !has(&keys::waitlist_pk(&id), "waitlisted");
            if wait {
                // As a waitlist join writes it: the shift's id and how many wait.
                ops.push(update_op(
                    &self.table,
                    keys::waitlist_pk(&id),
                    keys::WAITLIST_SK,
                    "SET shift_id = :id, #wl = :n",
                    Some("attribute_not_exists(#wl)"),
                    &[("#wl", "waitlisted")],
                    vec![(":id", s(id.clone())), (":n", n(waiting))],
                )?);
            }
            match write(self, ops, missing.len() as u64).await? {
                Step::Done(c) => {
                    report.counters += c;
                    report.waitlists += u64::from(wait);
                }
                Step::Raced => return Ok(Step::Raced),
            }
        }
        Ok(Step::Done(0))
    }

    /// A volunteer's schedule item, for one who has signed up before it existed: their
    /// sign-ups still to end, from their mirrors. Written only where none is, conditional
    /// on their `signup_seq` as read (every write that adds or moves a mirror bumps it),
    /// so it is complete for exactly that `seq`, as [`super::signups::ScheduleItem`] says.
    /// Without it a sign-up reads the mirrors instead: this saves that Query.
    async fn backfill_schedule(
        &self,
        user: UserItem,
        now: Timestamp,
        report: &mut MigrationReport,
    ) -> Result<Step, StoreError> {
        if user.signup_seq == 0 || user.closed_at.is_some() {
            return Ok(Step::Done(0));
        }
        let k = schedule_keys(&user.id);
        let known: Option<ScheduleItem> =
            retried(|| self.get_item(k.pk().to_string(), k.sk())).await?;
        if known.is_some() {
            return Ok(Step::Done(0));
        }
        let day_ago = Timestamp::from_unix(now.unix() - 86_400);
        let far = Timestamp::from_unix(99_999_999_999);
        let (mine, more) =
            retried(|| self.my_shifts_between(&user.id, day_ago, far, None, SCHEDULE_MAX)).await?;
        if more.is_some() {
            // Too many to keep, as a sign-up would decide: the mirrors stay the answer.
            return Ok(Step::Done(0));
        }
        let item = ScheduleItem {
            seq: user.signup_seq,
            shifts: mine
                .iter()
                .filter(|m| m.ends_at > now)
                .map(Booked::from)
                .collect(),
        };
        let ops = vec![
            check_op(
                &self.table,
                keys::user_pk(&user.id),
                keys::USER_SK,
                "#seq = :seen AND attribute_not_exists(closed_at)",
                &[("#seq", "signup_seq")],
                vec![(":seen", n(user.signup_seq))],
            )?,
            put(
                keyed_item(&item, schedule_keys(&user.id))?,
                &self.table,
                Some("attribute_not_exists(PK)"),
            )?,
        ];
        let step = write(self, ops, 1).await?;
        if let Step::Done(c) = step {
            report.schedules += c;
        }
        Ok(step)
    }

    /// The index keys (geo cell, region, dispatch) a need item lacks or holds otherwise
    /// than its `keys()` builds them now, set on the need's `version` as read.
    async fn backfill_need_index(
        &self,
        need: &NeedItem,
        stored: &RawItem,
    ) -> Result<Step, StoreError> {
        let k = need.keys();
        let stale: Vec<&(&'static str, String)> = k
            .index
            .iter()
            .filter(|(attr, v)| stored.get(*attr).and_then(|a| a.as_s().ok()) != Some(v))
            .collect();
        if stale.is_empty() {
            return Ok(Step::Done(0));
        }
        let tags: Vec<(String, String)> = (0..stale.len())
            .map(|i| (format!("#k{i}"), format!(":k{i}")))
            .collect();
        let set = tags
            .iter()
            .map(|(name, value)| format!("{name} = {value}"))
            .collect::<Vec<_>>()
            .join(", ");
        let mut names: Vec<(&str, &str)> = vec![("#v", "version")];
        let mut values = vec![(":seen", n(need.version))];
        for ((name, value), (attr, v)) in tags.iter().zip(&stale) {
            names.push((name.as_str(), attr));
            values.push((value.as_str(), s(v.clone())));
        }
        let op = update_op(
            &self.table,
            k.pk().to_string(),
            k.sk(),
            &format!("SET {set}"),
            Some(same_version(u64::from(need.version))),
            &names,
            values,
        )?;
        write(self, vec![op], 1).await
    }
}
