//! What the store holds, read directly, and moved as if time had passed.

use zhiyuan_functions::store::Store;

/// What the store holds for one shift, counted item by item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftCounts {
    pub capacity: u32,
    pub taken: u32,
    pub waitlisted: u32,
    pub confirmed_items: u32,
    pub waitlisted_items: u32,
    pub wait_entries: u32,
    /// How many place counters the shift has.
    pub counters: u8,
    /// Counters whose `taken` is over their places or differs from their confirmed items.
    pub counters_off: u8,
}

/// Reads a shift's counters and counts its sign-up and waitlist items directly.
pub async fn shift_counts(store: &Store, shift_id: &str) -> ShiftCounts {
    use aws_sdk_dynamodb::types::AttributeValue;
    let (aid, n) = zhiyuan_functions::store::keys::parse_shift_id(shift_id).expect("shift id");
    let shift = store.get_shift(aid, n).await.expect("read").expect("shift");
    let mut counts = ShiftCounts {
        capacity: shift.capacity,
        taken: shift.taken,
        waitlisted: shift.waitlisted,
        confirmed_items: 0,
        waitlisted_items: 0,
        wait_entries: 0,
        counters: shift.places.len() as u8,
        counters_off: 0,
    };
    let mut confirmed_by_counter = vec![0u32; shift.places.len()];
    let mut start = None;
    loop {
        let page = store
            .client()
            .query()
            .table_name(store.table_name())
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(format!("SIGNUPS#{shift_id}")))
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("query");
        for item in page.items() {
            let sk = match item.get("SK") {
                Some(AttributeValue::S(s)) => s.clone(),
                _ => continue,
            };
            if sk.starts_with("SIGNUP#") {
                match item.get("status") {
                    Some(AttributeValue::S(s)) if s == "confirmed" => {
                        counts.confirmed_items += 1;
                        let i = match item.get("counter") {
                            Some(AttributeValue::N(i)) => i.parse().unwrap_or(usize::MAX),
                            _ => 0,
                        };
                        match confirmed_by_counter.get_mut(i) {
                            Some(c) => *c += 1,
                            None => counts.counters_off += 1,
                        }
                    }
                    _ => counts.waitlisted_items += 1,
                }
            } else if sk.starts_with("WAIT#") {
                counts.wait_entries += 1;
            }
        }
        match page.last_evaluated_key {
            Some(k) if !k.is_empty() => start = Some(k),
            _ => break,
        }
    }
    counts.counters_off += shift
        .places
        .iter()
        .zip(&confirmed_by_counter)
        .filter(|(p, confirmed)| p.taken > p.capacity || p.taken != **confirmed)
        .count() as u8;
    counts
}

/// What a racer whose answer was a 503 or 429 ended up with, as a retry with the same
/// `client_token` would tell them: the status of their sign-up for the shift ("confirmed",
/// "waitlisted"), or None when it was not made. Read once the server has settled.
pub async fn signup_outcome(store: &Store, shift_id: &str, user_id: &str) -> Option<String> {
    let (aid, n) = zhiyuan_functions::store::keys::parse_shift_id(shift_id).expect("shift id");
    store
        .get_signup(aid, n, user_id)
        .await
        .expect("read sign-up")
        .map(|s| s.status.slug().to_string())
}

/// The invariants no history may break: never more confirmed than places, counters equal
/// to the items, and nobody waits while a place is free.
pub fn assert_invariants(c: &ShiftCounts) {
    assert!(c.taken <= c.capacity, "over-booked: {c:?}");
    assert_eq!(
        c.counters_off, 0,
        "a place counter is over-booked or ≠ its confirmed sign-ups: {c:?}"
    );
    assert_eq!(
        c.taken, c.confirmed_items,
        "taken ≠ confirmed sign-ups: {c:?}"
    );
    assert_eq!(
        c.waitlisted, c.waitlisted_items,
        "waitlisted ≠ waitlisted sign-ups: {c:?}"
    );
    assert_eq!(
        c.waitlisted, c.wait_entries,
        "waitlisted ≠ waitlist entries: {c:?}"
    );
    assert!(
        c.waitlisted == 0 || c.taken == c.capacity,
        "someone waits while a place is free: {c:?}"
    );
}

/// Moves a shift to other times in the store, as if time had passed: the API publishes
/// only future shifts, and check-in, hours and closing depend on the shift being under
/// way or over.
pub async fn move_shift(store: &Store, shift_id: &str, starts: i64, ends: i64) {
    use aws_sdk_dynamodb::types::AttributeValue as A;
    let (activity, n) = shift_id.split_at(26);
    store
        .client()
        .update_item()
        .table_name(store.table_name())
        .key("PK", A::S(format!("ACT#{activity}")))
        .key("SK", A::S(format!("SHIFT#{n}")))
        .update_expression("SET starts_at = :s, ends_at = :e")
        .expression_attribute_values(":s", A::N(starts.to_string()))
        .expression_attribute_values(":e", A::N(ends.to_string()))
        .send()
        .await
        .expect("move shift");
}

/// Moves a record's check-in back by `seconds`, as if the volunteer had checked in then.
pub async fn rewind_check_in(store: &Store, record_id: &str, seconds: i64) {
    use aws_sdk_dynamodb::types::AttributeValue as A;
    let (shift, user) = record_id.split_at(28);
    let (activity, n) = shift.split_at(26);
    store
        .client()
        .update_item()
        .table_name(store.table_name())
        .key("PK", A::S(format!("ACT#{activity}")))
        .key("SK", A::S(format!("RECORD#{n}#{user}")))
        .update_expression("SET check_in = check_in - :d")
        .expression_attribute_values(":d", A::N(seconds.to_string()))
        .send()
        .await
        .expect("rewind check-in");
}

/// Sets a volunteer's confirmed minutes directly, standing for hours served before.
pub async fn set_served_minutes(store: &Store, user_id: &str, minutes: u64) {
    use aws_sdk_dynamodb::types::AttributeValue as A;
    store
        .client()
        .update_item()
        .table_name(store.table_name())
        .key("PK", A::S(format!("USER#{user_id}")))
        .key("SK", A::S("USER".into()))
        .update_expression("SET served_minutes = :m")
        .expression_attribute_values(":m", A::N(minutes.to_string()))
        .send()
        .await
        .expect("set served minutes");
}

/// A volunteer's stored total, in minutes.
pub async fn served_minutes(store: &Store, user_id: &str) -> u64 {
    store
        .get_user(user_id)
        .await
        .expect("read user")
        .map_or(0, |u| u.served_minutes)
}

/// Every counted minute of a volunteer's records, read from the records themselves.
pub async fn counted_minutes(store: &Store, user_id: &str) -> u64 {
    let mut sum = 0;
    let mut resume = None;
    loop {
        let (page, next) = store
            .records_of_user(user_id, resume, 100, false)
            .await
            .expect("records");
        sum += page
            .iter()
            .filter(|r| r.counts())
            .map(|r| u64::from(r.minutes))
            .sum::<u64>();
        match next {
            Some(k) => resume = Some(k),
            None => return sum,
        }
    }
}

/// Makes an approved member a second organizer of the organisation, as the founder is:
/// the organizer role and the organizer flag on their member item (the roster that
/// organisation notices are sent by). The product has no route for this yet.
pub async fn make_co_organizer(store: &Store, org: &str, user_id: &str) {
    use aws_sdk_dynamodb::types::AttributeValue as A;
    store
        .grant_role(
            user_id,
            &zhiyuan_shared::account::RoleGrant {
                role: zhiyuan_shared::account::Role::Organizer,
                scope: org.to_string(),
            },
        )
        .await
        .expect("grant");
    store
        .client()
        .update_item()
        .table_name(store.table_name())
        .key("PK", A::S(format!("ORG#{org}")))
        .key("SK", A::S(format!("MEMBER#approved#{user_id}")))
        .update_expression("SET organizer = :t")
        .condition_expression("attribute_exists(PK)")
        .expression_attribute_values(":t", A::Bool(true))
        .send()
        .await
        .expect("an approved member");
}
