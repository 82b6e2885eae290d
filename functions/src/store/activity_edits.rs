//! Editing a published activity: its texts and, one shift per transaction, a future
//! shift's times and places.
//!
//! | pattern | operation |
//! |---|---|
//! | `edit_activity` | TransactWriteItems: activity `version = seen` + listing copies [+ one shift: shift item (start as read), each place counter `capacity`, `taken + add` if `taken <= capacity - add`, waitlist count (zero when places are left free) [+ per promoted volunteer: wait entry, sign-up → confirmed, mirror, notice, SMS]] |
//! | `move_my_shift` | TransactWriteItems: ConditionCheck sign-up (status as read) + mirror put [+ mirror under the old start deleted] |
//!
//! The counters stay exact under concurrent sign-ups because every change to a counter is
//! a conditional write on that counter: a sign-up's `taken < capacity`, the edit's
//! `taken <= new capacity - promoted here`. Whatever commits first, the other's condition is
//! checked against its result, so no counter ever holds more than its places.

use super::activities::{
    ActivityItem, PlaceCount, ShiftInfo, ShiftItem, counter_capacity, place_keys, shift_keys,
    shift_times,
};
use super::keys;
use super::notices::NoticeItem;
use super::signups::{MyShift, MyShiftItem, SignupItem, WaitItem, schedule_stale_op, signup_keys};
use super::sms_queue::SmsQueueItem;
use super::{
    Keyed, Store, Tx, TxError, check_op, delete_op, keyed_item, n, put, put_if, s, update_op,
};
use zhiyuan_shared::activity::{ActivityStatus, SignupStatus};

/// At most this many waiting volunteers are promoted by one transaction (six items each,
/// within DynamoDB's 100 with the activity's copies and the shift's counters); a larger
/// raise of places takes several.
pub const PROMOTE_BATCH: usize = 10;

/// One counter's places after an edit: its new share and how many promoted volunteers
/// take a place on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacePlan {
    pub counter: u8,
    pub capacity: u32,
    pub add: u32,
}

/// Spreads `capacity` places over the counters as read, never below a counter's places
/// taken (a counter keeps every place it gave), as evenly as that allows, then seats
/// `promote` waiting volunteers on counters with room. The caller checks that `capacity`
/// holds the places taken and the promoted.
pub fn plan_places(places: &[PlaceCount], capacity: u32, promote: u32) -> Vec<PlacePlan> {
    let k = u8::try_from(places.len()).unwrap_or(u8::MAX).max(1);
    let mut plan: Vec<PlacePlan> = places
        .iter()
        .map(|p| PlacePlan {
            counter: p.counter,
            capacity: p.taken,
            add: 0,
        })
        .collect();
    let mut left = capacity.saturating_sub(plan.iter().map(|p| p.capacity).sum());
    // First up to each counter's even share, then one at a time round the counters.
    for p in plan.iter_mut() {
        let share = counter_capacity(capacity, k, p.counter);
        let give = share.saturating_sub(p.capacity).min(left);
        p.capacity += give;
        left -= give;
    }
    let len = plan.len();
    let mut i = 0;
    while left > 0 && len > 0 {
        plan[i % len].capacity += 1;
        left -= 1;
        i += 1;
    }
    let mut seat = promote;
    for (p, read) in plan.iter_mut().zip(places) {
        let room = p.capacity.saturating_sub(read.taken);
        let add = room.min(seat);
        p.add = add;
        seat -= add;
    }
    plan
}

/// A waiting volunteer who takes one of the new places.
pub struct Promotion<'a> {
    pub wait: &'a WaitItem,
    pub counter: u8,
    pub notice: &'a NoticeItem,
    /// The notice's SMS, when they take promotions by SMS.
    pub sms: Option<&'a SmsQueueItem>,
}

/// One shift's new times and places, as the service decided them from what it read.
pub struct ShiftChange<'a> {
    /// The shift as read, with its live counts.
    pub shift: &'a ShiftItem,
    /// Its times and places after the edit (same number and counters).
    pub after: ShiftInfo,
    pub places: Vec<PlacePlan>,
    pub promote: Vec<Promotion<'a>>,
    /// Whether places stay free after the edit: then nobody may be left waiting.
    pub leaves_free: bool,
}

/// Why [`Store::edit_activity`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditRefused {
    /// The activity was edited or cancelled since it was read.
    ActivityChanged,
    /// The shift's counts, waitlist or times changed since they were read.
    ShiftChanged,
}

/// Why [`Store::move_my_shift`] refused: the sign-up changed or went since it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupChanged {
    Changed,
}

impl Store {
    /// The first `limit` entries of a shift's waitlist, longest waiting first.
    pub async fn waiting(
        &self,
        activity_id: &str,
        n: u8,
        limit: usize,
    ) -> Result<Vec<WaitItem>, super::StoreError> {
        let (items, _) = self
            .query_spec::<WaitItem>(
                super::QuerySpec::table(
                    keys::signups_pk(&keys::shift_id(activity_id, n)),
                    super::SortKey::Prefix(keys::WAIT_PREFIX),
                ),
                None,
                limit,
            )
            .await?;
        Ok(items)
    }

    /// Writes the activity as edited (`after`, its version one past `before`'s) with its
    /// listing copies, and at most one shift's new times and places, all or nothing.
    pub async fn edit_activity(
        &self,
        before: &ActivityItem,
        after: &ActivityItem,
        change: Option<&ShiftChange<'_>>,
    ) -> Result<(), TxError<EditRefused>> {
        let t = &self.table;
        let mut tx = Tx::new();
        let published = || (":pub", s(ActivityStatus::Published.slug()));
        for listing in after.listings() {
            let k = after.listing_keys(listing);
            let main = k.sk() == keys::ACTIVITY_SK;
            let item = keyed_item(after, k)?;
            if main {
                let op = put_if(
                    item,
                    t,
                    "#st = :pub AND (attribute_not_exists(#v) OR #v = :seen)",
                    &[("#st", "status"), ("#v", "version")],
                    vec![published(), (":seen", n(before.version))],
                )?;
                tx.guarded(op, EditRefused::ActivityChanged);
            } else {
                tx.push(put(item, t, None)?);
            }
        }
        if let Some(c) = change {
            self.shift_change_ops(&mut tx, after, c)?;
        }
        self.commit(tx).await
    }

    fn shift_change_ops(
        &self,
        tx: &mut Tx<EditRefused>,
        activity: &ActivityItem,
        c: &ShiftChange<'_>,
    ) -> Result<(), super::StoreError> {
        let t = &self.table;
        let sh = c.shift;
        let shift_id = sh.id();
        let moved = sh.starts_at != c.after.starts_at || sh.ends_at != c.after.ends_at;
        let times = shift_times(c.after.starts_at, c.after.ends_at);
        let published = || (":pub", s(ActivityStatus::Published.slug()));
        // The shift item; a moved shift goes back on the reminder queue under its new day
        // (its reminders have ids of the new time, so nobody is reminded twice of one).
        let k = shift_keys(&sh.activity_id, sh.n);
        let mut set = String::from("SET #sa = :s, #ea = :e, #cap = :c, #k = :k");
        let mut values = vec![
            (":s", n(c.after.starts_at.unix())),
            (":e", n(c.after.ends_at.unix())),
            (":c", n(c.after.capacity)),
            (":k", n(c.after.counters())),
            (":old", n(sh.starts_at.unix())),
            published(),
        ];
        if moved {
            set.push_str(", GSI4PK = :rpk, GSI4SK = :rsk");
            values.push((
                ":rpk",
                s(keys::reminder_pk(&c.after.starts_at.cst_date().iso())),
            ));
            values.push((
                ":rsk",
                s(keys::reminder_sk(c.after.starts_at.unix(), &shift_id)),
            ));
        }
        let op = update_op(
            t,
            k.pk().to_string(),
            k.sk(),
            &set,
            Some("#st = :pub AND #sa = :old"),
            &[
                ("#st", "status"),
                ("#sa", "starts_at"),
                ("#ea", "ends_at"),
                ("#cap", "capacity"),
                ("#k", "counters"),
            ],
            values,
        )?;
        tx.guarded(op, EditRefused::ShiftChanged);
        for p in &c.places {
            let k = place_keys(&shift_id, p.counter);
            let op = update_op(
                t,
                k.pk().to_string(),
                k.sk(),
                "SET shift_id = :id, #counter = :i, #cap = :cap, #taken = if_not_exists(#taken, :zero) + :add, #times = :times",
                Some("#st = :pub AND (attribute_not_exists(#taken) OR #taken <= :max)"),
                &[
                    ("#st", "status"),
                    ("#cap", "capacity"),
                    ("#taken", "taken"),
                    ("#times", "times"),
                    ("#counter", "counter"),
                ],
                vec![
                    (":id", s(shift_id.clone())),
                    (":i", n(p.counter)),
                    (":cap", n(p.capacity)),
                    (":zero", n(0)),
                    (":add", n(p.add)),
                    (":max", n(p.capacity - p.add)),
                    (":times", s(times.clone())),
                    published(),
                ],
            )?;
            tx.guarded(op, EditRefused::ShiftChanged);
        }
        // The waitlist count: less the promoted; nobody left waiting while places stay free.
        let promoted = c.promote.len() as u32;
        let condition = if c.leaves_free {
            "attribute_not_exists(#wl) OR #wl = :p"
        } else {
            "attribute_not_exists(#wl) OR #wl >= :p"
        };
        let op = update_op(
            t,
            keys::waitlist_pk(&shift_id),
            keys::WAITLIST_SK,
            "SET shift_id = :id, #times = :times ADD #wl :less",
            Some(condition),
            &[("#wl", "waitlisted"), ("#times", "times")],
            vec![
                (":id", s(shift_id.clone())),
                (":times", s(times.clone())),
                (":p", n(promoted)),
                (":less", n(-i64::from(promoted))),
            ],
        )?;
        tx.guarded(op, EditRefused::ShiftChanged);
        let exists = Some("attribute_exists(PK)");
        for p in &c.promote {
            tx.guarded(
                delete_op(
                    t,
                    keys::signups_pk(&shift_id),
                    p.wait.sk(),
                    exists,
                    &[],
                    vec![],
                )?,
                EditRefused::ShiftChanged,
            );
            let k = signup_keys(&sh.activity_id, sh.n, &p.wait.user_id);
            let op = update_op(
                t,
                k.pk().to_string(),
                k.sk(),
                "SET #st = :confirmed, #ctr = :ctr REMOVE wait_sk",
                Some("#st = :was"),
                &[("#st", "status"), ("#ctr", "counter")],
                vec![
                    (":ctr", n(p.counter)),
                    (":confirmed", s(SignupStatus::Confirmed.slug())),
                    (":was", s(SignupStatus::Waitlisted.slug())),
                ],
            )?;
            tx.guarded(op, EditRefused::ShiftChanged);
            if sh.starts_at != c.after.starts_at || sh.ends_at != c.after.ends_at {
                // Their schedule holds the old times: make it stale.
                tx.push(schedule_stale_op(t, &p.wait.user_id)?);
            }
            if sh.starts_at != c.after.starts_at {
                let old = MyShift {
                    user_id: &p.wait.user_id,
                    item: MyShiftItem::new(activity, &sh.info(), SignupStatus::Waitlisted),
                };
                let k = old.keys();
                tx.push(delete_op(t, k.pk().to_string(), k.sk(), None, &[], vec![])?);
            }
            let mine = MyShift {
                user_id: &p.wait.user_id,
                item: MyShiftItem::new(activity, &c.after, SignupStatus::Confirmed),
            };
            tx.push(put(keyed_item(&mine, mine.keys())?, t, None)?);
            tx.push(put(keyed_item(p.notice, p.notice.keys())?, t, None)?);
            if let Some(sms) = p.sms {
                tx.push(put(
                    keyed_item(sms, sms.keys())?,
                    t,
                    Some("attribute_not_exists(PK)"),
                )?);
            }
        }
        Ok(())
    }

    /// Rewrites one volunteer's mirror of a sign-up after its shift was edited (new times
    /// or title), while the sign-up is as read: a sign-up withdrawn or promoted meanwhile
    /// is left to whoever changed it.
    pub async fn move_my_shift(
        &self,
        activity: &ActivityItem,
        old: &ShiftInfo,
        new: &ShiftInfo,
        signup: &SignupItem,
    ) -> Result<(), TxError<SignupChanged>> {
        let t = &self.table;
        let mut tx = Tx::new();
        let k = signup_keys(&signup.activity_id, signup.n, &signup.user_id);
        tx.guarded(
            check_op(
                t,
                k.pk().to_string(),
                k.sk(),
                "#st = :st",
                &[("#st", "status")],
                vec![(":st", s(signup.status.slug()))],
            )?,
            SignupChanged::Changed,
        );
        let mine = MyShift {
            user_id: &signup.user_id,
            item: MyShiftItem::new(activity, new, signup.status),
        };
        tx.push(put(keyed_item(&mine, mine.keys())?, t, None)?);
        if (old.starts_at, old.ends_at) != (new.starts_at, new.ends_at) {
            // Their schedule holds the old times: make it stale.
            tx.push(schedule_stale_op(t, &signup.user_id)?);
        }
        if old.starts_at != new.starts_at {
            let gone = MyShift {
                user_id: &signup.user_id,
                item: MyShiftItem::new(activity, old, signup.status),
            };
            let k = gone.keys();
            tx.push(delete_op(t, k.pk().to_string(), k.sk(), None, &[], vec![])?);
        }
        self.commit(tx).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(taken: &[(u32, u32)]) -> Vec<PlaceCount> {
        taken
            .iter()
            .enumerate()
            .map(|(i, &(capacity, taken))| PlaceCount {
                counter: i as u8,
                capacity,
                taken,
            })
            .collect()
    }

    fn caps(plan: &[PlacePlan]) -> Vec<u32> {
        plan.iter().map(|p| p.capacity).collect()
    }

    #[test]
    fn lowering_places_keeps_each_counter_at_or_above_its_places_taken() {
        // 10 taken unevenly over two counters of 16: down to 12 places.
        let plan = plan_places(&read(&[(16, 8), (16, 2)]), 12, 0);
        assert_eq!(caps(&plan), vec![8, 4]);
        assert_eq!(plan.iter().map(|p| p.capacity).sum::<u32>(), 12);
        let exactly_taken = plan_places(&read(&[(16, 8), (16, 2)]), 10, 0);
        assert_eq!(caps(&exactly_taken), vec![8, 2]);
    }

    #[test]
    fn raising_places_spreads_them_evenly_and_seats_the_promoted_where_there_is_room() {
        let plan = plan_places(&read(&[(2, 2), (2, 2)]), 7, 3);
        assert_eq!(caps(&plan), vec![4, 3]);
        assert_eq!(plan.iter().map(|p| p.add).sum::<u32>(), 3);
        for (p, r) in plan.iter().zip(read(&[(2, 2), (2, 2)])) {
            assert!(r.taken + p.add <= p.capacity);
        }
    }

    #[test]
    fn a_single_counter_takes_every_place() {
        let plan = plan_places(&read(&[(5, 5)]), 9, 2);
        assert_eq!(
            plan,
            vec![PlacePlan {
                counter: 0,
                capacity: 9,
                add: 2
            }]
        );
    }
}
