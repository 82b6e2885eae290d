//! `zhiyuan-admin migrate`: a table written before the place counters, the city, banner and
//! cell listings and the schedule item existed is brought up to the current layout. The
//! old table is made as an older version left it: data created through the services, then
//! the items the older write paths did not create taken away.

use aws_sdk_dynamodb::types::AttributeValue as A;
use reqwest::StatusCode;
use serde_json::Value;
use std::ops::ControlFlow;
use zhiyuan_functions::store::migrate::MigrationReport;
use zhiyuan_functions::store::{ResumeKey, Store};
use zhiyuan_shared::activity::SignupStatus;
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{
    DAY, TestApp, User, activity_body, assert_invariants, shift_counts, spawn_app,
};

async fn delete(store: &Store, pk: String, sk: &str) {
    store
        .client()
        .delete_item()
        .table_name(store.table_name())
        .key("PK", A::S(pk))
        .key("SK", A::S(sk.to_string()))
        .send()
        .await
        .expect("delete");
}

/// Takes away what the write paths before 2026-11-29 did not create: the activity's city,
/// banner, geohash cell and start listing copies, its shifts' place counters and waitlist
/// counts, and the volunteers' schedule items; and lists the activity item itself under the
/// whole province, as it was before it listed under its field.
async fn as_an_older_version_left_it(store: &Store, activities: &[&Value], users: &[&User]) {
    for a in activities {
        let id = a["id"].as_str().expect("id");
        for sk in ["BY#CITY", "BY#BANNER", "BY#CELL", "BY#START"] {
            delete(store, format!("ACT#{id}"), sk).await;
        }
        store
            .client()
            .update_item()
            .table_name(store.table_name())
            .key("PK", A::S(format!("ACT#{id}")))
            .key("SK", A::S("ACT".into()))
            .update_expression("SET GSI4PK = :old")
            .expression_attribute_values(":old", A::S("ACTPROV#15".into()))
            .send()
            .await
            .expect("old province listing");
        for shift in a["shifts"].as_array().expect("shifts") {
            let shift = shift["id"].as_str().expect("shift");
            for i in 0..8 {
                delete(store, format!("PLACES#{shift}#{i}"), "PLACES").await;
            }
            delete(store, format!("WAITLIST#{shift}"), "WAITLIST").await;
        }
    }
    for u in users {
        delete(store, format!("USER#{}", u.id), "SCHEDULE").await;
    }
}

/// Puts a shift's sign-ups and waitlist entries back where the layout before 2026-11-29
/// kept them: in the activity's partition as `SIGNUP#nn#user` and `WAIT#nn#ulid`, with no
/// place counter named, and no waitlist count item.
async fn signups_back_in_the_activity_partition(store: &Store, shift_id: &str) {
    let (activity, n) = shift_id.split_at(26);
    let found = store
        .client()
        .query()
        .table_name(store.table_name())
        .key_condition_expression("PK = :pk")
        .expression_attribute_values(":pk", A::S(format!("SIGNUPS#{shift_id}")))
        .consistent_read(true)
        .send()
        .await
        .expect("query");
    for mut item in found.items().iter().cloned() {
        let sk = item["SK"].as_s().expect("SK").clone();
        let old_sk = match sk.split_once('#') {
            Some(("SIGNUP", user)) => {
                item.remove("counter");
                if let Some(A::S(wait)) = item.get("wait_sk") {
                    let ulid = wait.trim_start_matches("WAIT#");
                    item.insert("wait_sk".into(), A::S(format!("WAIT#{n}#{ulid}")));
                }
                format!("SIGNUP#{n}#{user}")
            }
            Some(("WAIT", ulid)) => format!("WAIT#{n}#{ulid}"),
            _ => continue,
        };
        item.insert("PK".into(), A::S(format!("ACT#{activity}")));
        item.insert("SK".into(), A::S(old_sk));
        store
            .client()
            .put_item()
            .table_name(store.table_name())
            .set_item(Some(item))
            .send()
            .await
            .expect("put");
        delete(store, format!("SIGNUPS#{shift_id}"), &sk).await;
    }
}

async fn migrate(store: &Store) -> MigrationReport {
    // A small page, so the run crosses several.
    store
        .migrate(None, 4, now(), |_, _| ControlFlow::Continue(()))
        .await
        .expect("migrate")
}

fn now() -> Timestamp {
    Timestamp::from_unix(zhiyuan_functions::clock::now_unix())
}

fn shift(a: &Value, i: usize) -> String {
    a["shifts"][i]["id"].as_str().expect("shift").to_string()
}

async fn ids_listed(app: &TestApp, path: &str) -> Vec<String> {
    let (items, _) = app.all_pages(path).await;
    items
        .iter()
        .filter_map(|a| a["id"].as_str().map(String::from))
        .collect()
}

async fn banner_list(app: &TestApp) -> Vec<String> {
    ids_listed(app, "/api/activities?region=150602").await
}

async fn field_list(app: &TestApp) -> Vec<String> {
    ids_listed(app, "/api/activities?field=elderly_care").await
}

/// Two activities of 东胜区: the first with a shift of 2 places, filled with one waiting,
/// and one of 40 places (three counters) with three sign-ups; the second with a shift
/// overlapping the first's small one.
struct OldTable {
    app: TestApp,
    first: Value,
    overlapping: Value,
    volunteers: Vec<User>,
}

async fn old_table() -> OldTable {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let first = app
        .publish(
            &organizer,
            &activity_body(&org, &[(2 * DAY, 3600, 2), (4 * DAY, 3600, 40)]),
        )
        .await;
    let overlapping = app
        .publish(
            &organizer,
            &activity_body(&org, &[(2 * DAY + 1800, 3600, 5)]),
        )
        .await;
    let volunteers = app.fast_volunteers(8).await;
    let v = &volunteers;
    for (who, i, status) in [
        (0, 0, "confirmed"),
        (1, 1, "confirmed"),
        (2, 1, "confirmed"),
        (3, 1, "confirmed"),
        (4, 0, "confirmed"),
        (5, 0, "waitlisted"),
    ] {
        let (code, body) = app.sign_up(&v[who].token, &shift(&first, i)).await;
        assert_eq!(code, StatusCode::CREATED, "{body}");
        assert_eq!(body["status"], status);
    }
    let signed: Vec<&User> = v[..6].iter().collect();
    as_an_older_version_left_it(&app.store, &[&first, &overlapping], &signed).await;
    OldTable {
        app,
        first,
        overlapping,
        volunteers,
    }
}

#[tokio::test]
async fn an_old_table_lists_its_activities_by_banner_and_by_field_again_after_the_migration() {
    let OldTable {
        app,
        first,
        overlapping,
        ..
    } = old_table().await;
    let ids = [first["id"].clone(), overlapping["id"].clone()];
    assert!(
        banner_list(&app).await.is_empty(),
        "the old table lists nothing by banner"
    );
    assert!(
        field_list(&app).await.is_empty(),
        "the old table lists nothing by field"
    );
    let r = migrate(&app.store).await;
    assert_eq!(
        r.listings, 8,
        "city, banner and cell copies of both, and both listed under their field: {r:?}"
    );
    let (by_banner, by_field) = (banner_list(&app).await, field_list(&app).await);
    for id in ids {
        assert!(by_banner.iter().any(|l| *l == id), "{id} in {by_banner:?}");
        assert!(by_field.iter().any(|l| *l == id), "{id} in {by_field:?}");
    }
}

#[tokio::test]
async fn sign_ups_to_old_shifts_work_again_and_keep_to_their_places_after_the_migration() {
    let OldTable {
        app,
        first,
        overlapping,
        volunteers: v,
    } = old_table().await;
    let (small, large) = (shift(&first, 0), shift(&first, 1));
    let (code, _) = app.sign_up(&v[6].token, &large).await;
    assert_ne!(
        code,
        StatusCode::CREATED,
        "without counters a sign-up is refused"
    );

    let r = migrate(&app.store).await;
    assert_eq!(
        (r.counters, r.waitlists, r.schedules, r.unfinished),
        (1 + 3 + 1, 1, 6, 0),
        "counters of the 2-place, 40-place and 5-place shifts; the one waitlist; six schedules: {r:?}"
    );
    for s in [&small, &large, &shift(&overlapping, 0)] {
        assert_invariants(&shift_counts(&app.store, s).await);
    }
    let counts = shift_counts(&app.store, &small).await;
    assert_eq!((counts.taken, counts.waitlisted), (2, 1));
    assert_eq!(shift_counts(&app.store, &large).await.taken, 3);

    // A place on the large shift; the small one is full, so the waitlist.
    let (code, body) = app.sign_up(&v[6].token, &large).await;
    assert_eq!(
        (code, body["status"].as_str()),
        (StatusCode::CREATED, Some("confirmed"))
    );
    let (code, body) = app.sign_up(&v[7].token, &small).await;
    assert_eq!(
        (code, body["status"].as_str()),
        (StatusCode::CREATED, Some("waitlisted"))
    );
    // A place given up passes to the first who waited before the migration.
    let (code, _) = app.cancel_signup(&v[4].token, &small).await;
    assert!(code.is_success(), "{code}");
    let counts = shift_counts(&app.store, &small).await;
    assert_invariants(&counts);
    assert_eq!((counts.taken, counts.waitlisted), (2, 1));
    let (first_id, n) = zhiyuan_functions::store::keys::parse_shift_id(&small).expect("id");
    let promoted = app
        .store
        .get_signup(first_id, n, &v[5].id)
        .await
        .expect("read")
        .expect("sign-up");
    assert_eq!(promoted.status, SignupStatus::Confirmed);
    assert_invariants(&shift_counts(&app.store, &large).await);
}

#[tokio::test]
async fn the_overlap_check_reads_the_backfilled_schedule_and_still_refuses_an_overlap() {
    let OldTable {
        app,
        overlapping,
        volunteers: v,
        ..
    } = old_table().await;
    migrate(&app.store).await;
    let other = shift(&overlapping, 0);
    // On the small shift, which the other overlaps: refused.
    let (code, body) = app.sign_up(&v[0].token, &other).await;
    assert_eq!(code, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "overlapping_shift");
    // On the large shift two days later: no overlap, decided from the schedule alone.
    let before = app.store.calls();
    let (code, body) = app.sign_up(&v[1].token, &other).await;
    assert_eq!(code, StatusCode::CREATED, "{body}");
    let after = app.store.calls();
    assert_eq!(
        (after.gets - before.gets, after.queries - before.queries),
        (1, 0),
        "one BatchGetItem, no Query of the mirrors"
    );
}

#[tokio::test]
async fn a_second_run_changes_nothing_and_a_run_stopped_midway_resumes_from_its_key() {
    let OldTable { app, .. } = old_table().await;
    // Stopped after its first page: the key it printed is where the next run starts.
    let mut key: Option<ResumeKey> = None;
    let first = app
        .store
        .migrate(None, 3, now(), |_, next| {
            key = next.cloned();
            ControlFlow::Break(())
        })
        .await
        .expect("first page");
    assert!(key.is_some(), "more pages to come");
    let rest = app
        .store
        .migrate(key, 3, now(), |_, _| ControlFlow::Continue(()))
        .await
        .expect("the rest");
    let once = migrate(&app.store).await;
    // Whatever the first page did not reach, the rest did: a whole run finds nothing left.
    assert!(first.changes() + rest.changes() > 0);
    assert_eq!(once.changes(), 0, "{once:?}");
    assert_eq!((once.unfinished, once.unreadable), (0, 0));
    let again = migrate(&app.store).await;
    assert_eq!(again.changes(), 0, "{again:?}");
    assert_eq!(again.scanned, once.scanned);
}

#[tokio::test]
async fn sign_ups_kept_in_the_activity_partition_move_to_their_shift_and_fill_its_counters() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(
            &organizer,
            &activity_body(&org, &[(2 * DAY, 3600, 2), (4 * DAY, 3600, 40)]),
        )
        .await;
    let (small, large) = (shift(&a, 0), shift(&a, 1));
    let v = app.fast_volunteers(20).await;
    // 16 on the large shift: more than its first counter's 14 places.
    for who in &v[..16] {
        let (code, body) = app.sign_up(&who.token, &large).await;
        assert_eq!(code, StatusCode::CREATED, "{body}");
    }
    for (who, status) in [(16, "confirmed"), (17, "confirmed"), (18, "waitlisted")] {
        let (_, body) = app.sign_up(&v[who].token, &small).await;
        assert_eq!(body["status"], status);
    }
    for s in [&small, &large] {
        signups_back_in_the_activity_partition(&app.store, s).await;
    }
    as_an_older_version_left_it(&app.store, &[&a], &[]).await;

    let r = migrate(&app.store).await;
    assert_eq!(
        (r.signups_moved, r.counters, r.waitlists, r.unfinished),
        (19, 1 + 3, 1, 0),
        "{r:?}"
    );
    let counts = shift_counts(&app.store, &large).await;
    assert_invariants(&counts);
    assert_eq!(counts.taken, 16);
    let counts = shift_counts(&app.store, &small).await;
    assert_invariants(&counts);
    assert_eq!((counts.taken, counts.waitlisted), (2, 1));

    // The one who waited before is promoted when a place is given up.
    let (code, _) = app.cancel_signup(&v[16].token, &small).await;
    assert!(code.is_success(), "{code}");
    let (aid, n) = zhiyuan_functions::store::keys::parse_shift_id(&small).expect("id");
    let promoted = app.store.get_signup(aid, n, &v[18].id).await.expect("read");
    assert_eq!(promoted.map(|s| s.status), Some(SignupStatus::Confirmed));
    // A moved sign-up gives its place back to the counter it was put on.
    let (code, _) = app.cancel_signup(&v[0].token, &large).await;
    assert!(code.is_success(), "{code}");
    let (code, body) = app.sign_up(&v[19].token, &large).await;
    assert_eq!(
        (code, body["status"].as_str()),
        (StatusCode::CREATED, Some("confirmed"))
    );
    for s in [&small, &large] {
        assert_invariants(&shift_counts(&app.store, s).await);
    }
    assert_eq!(migrate(&app.store).await.changes(), 0);
}

#[tokio::test]
async fn volunteers_racing_for_an_old_shift_while_the_migration_runs_never_over_book_it() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(&organizer, &activity_body(&org, &[(2 * DAY, 3600, 20)]))
        .await;
    let racing = shift(&a, 0);
    let v = app.fast_volunteers(25).await;
    // Five signed up before the upgrade; the other 20 keep trying from before the run.
    for who in &v[..5] {
        assert_eq!(
            app.sign_up(&who.token, &racing).await.0,
            StatusCode::CREATED
        );
    }
    as_an_older_version_left_it(&app.store, &[&a], &v[..5].iter().collect::<Vec<_>>()).await;
    let racers = v[5..].iter().map(|who| {
        let (app, racing) = (&app, &racing);
        async move {
            for _ in 0..200 {
                let (code, body) = app.sign_up(&who.token, racing).await;
                if code == StatusCode::CREATED {
                    return body["status"].as_str().map(String::from);
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            None
        }
    });
    let (answers, r) = tokio::join!(futures::future::join_all(racers), async {
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        migrate(&app.store).await
    });
    assert_eq!((r.counters, r.unfinished), (2, 0), "{r:?}");
    let confirmed = answers
        .iter()
        .filter(|s| s.as_deref() == Some("confirmed"))
        .count();
    let waiting = answers
        .iter()
        .filter(|s| s.as_deref() == Some("waitlisted"))
        .count();
    assert_eq!(
        (confirmed, waiting),
        (15, 5),
        "every racer answered: {answers:?}"
    );
    let counts = shift_counts(&app.store, &racing).await;
    assert_invariants(&counts);
    assert_eq!((counts.taken, counts.waitlisted), (20, 5));
}
