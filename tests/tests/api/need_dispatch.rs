//! Dispatch (派单 → 接单): a region admin or a station manager sends an open need to a named
//! organisation with a deadline; its organizers accept or decline; a declined or unanswered
//! need returns to the queue; of every race for one need exactly one wins.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhiyuan_functions::notify::NoticeSender;
use zhiyuan_functions::service::need_dispatch::return_overdue;
use zhiyuan_shared::account::Role;
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{DAY, TestApp, User, in_seconds, spawn_app, station_body};

async fn post_need(app: &TestApp, resident: &User) -> String {
    let (status, need) = app
        .post("/api/needs", &super::needs::need_body(), &resident.token)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{need}");
    need["id"].as_str().expect("need id").to_string()
}

async fn dispatch(
    app: &TestApp,
    by: &User,
    need: &str,
    org: &str,
    answer_in: i64,
) -> (StatusCode, Value) {
    app.post(
        &format!("/api/needs/{need}/dispatch"),
        &json!({"org_id": org, "answer_by": in_seconds(answer_in)}),
        &by.token,
    )
    .await
}

async fn answer(app: &TestApp, by: &User, need: &str, verb: &str) -> (StatusCode, Value) {
    let body = if verb == "decline" {
        json!({"reason": "本周人手不足"})
    } else {
        Value::Null
    };
    app.post(&format!("/api/needs/{need}/{verb}"), &body, &by.token)
        .await
}

async fn need_as(app: &TestApp, need: &str, who: &User) -> Value {
    app.get_as(&format!("/api/needs/{need}"), &who.token).await
}

/// The region's needs counters: (open, claimed, done).
async fn counters(app: &TestApp) -> (u64, u64, u64) {
    super::needs::needs_counters(app).await
}

/// The same figures recounted from the need items themselves: a dispatched need is open.
async fn recounted(app: &TestApp) -> (u64, u64, u64) {
    let mut c = (0, 0, 0);
    for item in super::stats::scan(&app.store).await {
        let s = |k: &str| item.get(k).and_then(|v| v.as_s().ok()).cloned();
        if s("entity_type").as_deref() != Some("need")
            || s("region_code").as_deref() != Some("150602")
        {
            continue;
        }
        match s("status").as_deref() {
            Some("open" | "dispatched") => c.0 += 1,
            Some("claimed") => c.1 += 1,
            Some("done") => c.2 += 1,
            _ => {}
        }
    }
    c
}

async fn notice_kinds(app: &TestApp, who: &User) -> Vec<String> {
    let inbox = app.get_as("/api/me/notices", &who.token).await;
    let mut kinds: Vec<String> = inbox["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|n| n["kind"].as_str().expect("kind").to_string())
        .collect();
    kinds.reverse();
    kinds
}

fn later(seconds: i64) -> Timestamp {
    Timestamp::from_unix(zhiyuan_functions::clock::now_unix() + seconds)
}

#[tokio::test]
async fn a_dispatched_need_is_accepted_served_and_done_while_the_resident_follows() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let nid = post_need(&app, &resident).await;
    let admin = app.region_admin("150602").await;
    let (organizer, org) = app.approved_org("150602").await;
    let (rival, rival_org) = app.approved_org("150602").await;

    let (status, d) = dispatch(&app, &admin, &nid, &org, DAY).await;
    assert_eq!(status, StatusCode::OK, "{d}");
    assert_eq!(d["status"], "dispatched");
    assert_eq!(d["dispatch"]["org_id"], org.as_str());
    assert_eq!(
        counters(&app).await,
        (1, 0, 0),
        "still waiting to be served"
    );

    // While dispatched nobody else can claim it, and it leaves the open queue.
    let (status, refused) = app
        .post(
            &format!("/api/needs/{nid}/claim"),
            &json!({"org_id": rival_org}),
            &rival.token,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert_eq!(refused["error"]["code"], "already_dispatched");
    let (_, open) = app.get("/api/needs?region=150602").await;
    assert_eq!(open["items"], json!([]));
    let (_, dispatched) = app.get("/api/needs?region=150602&status=dispatched").await;
    assert_eq!(dispatched["items"][0]["id"], nid.as_str());

    // The organisation it went to sees it in its list, exactly; another does not.
    let ours = app
        .get_as(
            &format!("/api/orgs/{org}/dispatched-needs"),
            &organizer.token,
        )
        .await;
    assert_eq!(ours["items"][0]["id"], nid.as_str(), "{ours}");
    assert!(ours["items"][0]["place"]["address"].is_string(), "{ours}");
    assert!(need_as(&app, &nid, &rival).await.get("place").is_none());
    let (status, _) = app
        .get_with(
            &format!("/api/orgs/{org}/dispatched-needs"),
            Some(&rival.token),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        notice_kinds(&app, &organizer)
            .await
            .last()
            .map(String::as_str),
        Some("need_dispatched_to_org")
    );

    let (status, accepted) = answer(&app, &organizer, &nid, "accept").await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted["status"], "claimed");
    assert_eq!(accepted["claimed_by_org_id"], org.as_str());
    assert_eq!(accepted["dispatches"][0]["outcome"], "accepted");
    let (status, again) = answer(&app, &organizer, &nid, "accept").await;
    assert_eq!(
        (status, &again["status"]),
        (StatusCode::OK, &json!("claimed"))
    );
    assert_eq!(counters(&app).await, (0, 1, 0));
    let listed = app
        .get_as(
            &format!("/api/orgs/{org}/dispatched-needs"),
            &organizer.token,
        )
        .await;
    assert_eq!(listed["items"], json!([]), "answered: no longer awaiting");

    // The existing flow continues: the organisation marks it done.
    let (status, done) = app
        .post(
            &format!("/api/needs/{nid}/complete"),
            &Value::Null,
            &organizer.token,
        )
        .await;
    assert_eq!((status, &done["status"]), (StatusCode::OK, &json!("done")));
    assert_eq!(counters(&app).await, (0, 0, 1));
    let mine = app.get_as("/api/me/needs", &resident.token).await;
    assert_eq!(
        mine["items"][0]["dispatches"][0]["outcome"], "accepted",
        "the resident sees who took it on, and how"
    );
    assert_eq!(
        notice_kinds(&app, &resident).await,
        ["need_dispatched", "need_accepted", "need_done"]
    );
}

#[tokio::test]
async fn only_those_over_the_need_dispatch_and_only_to_an_approved_org_covering_it() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let nid = post_need(&app, &resident).await;
    let (organizer, org) = app.approved_org("150602").await;
    let (_, far_org) = app.approved_org("150603").await;
    let (_, city_org) = app.approved_org("150600").await;

    // Not over the need: another banner's admin, a station elsewhere, an organizer.
    let other_admin = app.region_admin("150603").await;
    let far_station = app
        .create_station(&station_body("远处站", "150603", 39.60, 109.78, "park"))
        .await;
    let far_manager = app.with_role(Role::StationManager, &far_station).await;
    for who in [&other_admin, &far_manager, &organizer, &resident] {
        let (status, body) = dispatch(&app, who, &nid, &org, DAY).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    }
    // Bad input is named and changes nothing.
    let admin = app.region_admin("150600").await;
    for (org_id, answer_in, field) in [
        (far_org.as_str(), DAY, "org_id"),
        ("01HZZZZZZZZZZZZZZZZZZZZZZZ", DAY, "org_id"),
        (org.as_str(), 600, "answer_by"),
        (org.as_str(), 15 * DAY, "answer_by"),
    ] {
        let (status, body) = dispatch(&app, &admin, &nid, org_id, answer_in).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    assert_eq!(need_as(&app, &nid, &resident).await["status"], "open");

    // A city admin over the banner dispatches to a city organisation, which covers it.
    let (status, body) = dispatch(&app, &admin, &nid, &city_org, DAY).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // A second dispatch while one awaits its answer is refused.
    let (status, body) = dispatch(&app, &admin, &nid, &org, DAY).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::CONFLICT, &json!("already_dispatched"))
    );

    // A manager of a station in the banner dispatches too.
    let station = app
        .create_station(&station_body("近处站", "150602", 39.82, 109.96, "park"))
        .await;
    let manager = app.with_role(Role::StationManager, &station).await;
    let other = post_need(&app, &resident).await;
    let (status, body) = dispatch(&app, &manager, &other, &org, DAY).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["dispatch"]["dispatched_by"].is_string());

    // Only the organisation it went to answers.
    let (status, _) = answer(&app, &app.approved_org("150602").await.0, &other, "accept").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_declined_need_returns_to_the_queue_with_the_reason_kept_and_goes_elsewhere() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let nid = post_need(&app, &resident).await;
    let admin = app.region_admin("150602").await;
    let (first, first_org) = app.approved_org("150602").await;
    let (second, second_org) = app.approved_org("150602").await;
    dispatch(&app, &admin, &nid, &first_org, DAY).await;

    let (status, body) = app
        .post(
            &format!("/api/needs/{nid}/decline"),
            &json!({"reason": " "}),
            &first.token,
        )
        .await;
    assert_eq!(
        (status, &body["error"]["field"]),
        (StatusCode::BAD_REQUEST, &json!("reason"))
    );
    assert_eq!(need_as(&app, &nid, &admin).await["status"], "dispatched");

    let (status, declined) = answer(&app, &first, &nid, "decline").await;
    assert_eq!(status, StatusCode::OK, "{declined}");
    assert_eq!(declined["status"], "open");
    assert!(declined.get("place").is_none(), "no longer theirs to see");
    let seen = need_as(&app, &nid, &admin).await;
    assert_eq!(seen["dispatches"][0]["outcome"], "declined");
    assert_eq!(seen["dispatches"][0]["reason"], "本周人手不足");
    assert_eq!(counters(&app).await, (1, 0, 0));

    // Back in the queue: dispatched again elsewhere; the first cannot accept any more.
    let (status, _) = dispatch(&app, &admin, &nid, &second_org, DAY).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = answer(&app, &first, &nid, "accept").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, accepted) = answer(&app, &second, &nid, "accept").await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted["dispatches"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        notice_kinds(&app, &resident).await,
        [
            "need_dispatched",
            "need_returned",
            "need_dispatched",
            "need_accepted"
        ]
    );
}

#[tokio::test]
async fn an_unanswered_dispatch_is_returned_by_the_scheduled_job_once() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let nid = post_need(&app, &resident).await;
    let admin = app.region_admin("150602").await;
    let (organizer, org) = app.approved_org("150602").await;
    dispatch(&app, &admin, &nid, &org, 2 * 3600).await;

    let sender = NoticeSender::Log;
    assert_eq!(
        return_overdue(&app.store, sender, later(3600))
            .await
            .expect("run"),
        0,
        "not yet due"
    );
    assert_eq!(
        return_overdue(&app.store, sender, later(3 * 3600))
            .await
            .expect("run"),
        1
    );
    assert_eq!(
        return_overdue(&app.store, sender, later(3 * 3600))
            .await
            .expect("run"),
        0,
        "once"
    );
    let seen = need_as(&app, &nid, &admin).await;
    assert_eq!(seen["status"], "open");
    assert_eq!(seen["dispatches"][0]["outcome"], "expired");
    assert_eq!(counters(&app).await, (1, 0, 0));
    let (status, body) = answer(&app, &organizer, &nid, "accept").await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::CONFLICT, &json!("not_dispatched"))
    );
    assert_eq!(
        notice_kinds(&app, &resident).await,
        ["need_dispatched", "need_returned"]
    );
}

/// Dispatch against claim, and withdrawal against dispatch: one wins, the other is refused,
/// and the counters say where the need stands.
#[tokio::test]
async fn a_dispatch_racing_a_claim_or_a_withdrawal_has_one_winner() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let admin = app.region_admin("150602").await;
    let (_, org) = app.approved_org("150602").await;
    let (claimer, claimer_org) = app.approved_org("150602").await;
    for round in 0..4 {
        let nid = post_need(&app, &resident).await;
        let claim_path = format!("/api/needs/{nid}/claim");
        let claim_body = json!({"org_id": claimer_org});
        let (d, c) = tokio::join!(
            dispatch(&app, &admin, &nid, &org, DAY),
            app.post(&claim_path, &claim_body, &claimer.token),
        );
        let wins = [d.0, c.0].iter().filter(|s| **s == StatusCode::OK).count();
        assert_eq!(wins, 1, "round {round}: {d:?} {c:?}");
        let expect = if d.0 == StatusCode::OK {
            "dispatched"
        } else {
            "claimed"
        };
        assert_eq!(need_as(&app, &nid, &admin).await["status"], expect);
    }
    for round in 0..4 {
        let nid = post_need(&app, &resident).await;
        let withdraw_path = format!("/api/needs/{nid}/withdraw");
        let (d, w) = tokio::join!(
            dispatch(&app, &admin, &nid, &org, DAY),
            app.post(&withdraw_path, &Value::Null, &resident.token),
        );
        let wins = [d.0, w.0].iter().filter(|s| **s == StatusCode::OK).count();
        assert_eq!(wins, 1, "round {round}: {d:?} {w:?}");
        if d.0 == StatusCode::OK {
            // Withdrawing now is refused, and says why: the dispatch, not a claim.
            let (status, body) = app
                .post(&withdraw_path, &Value::Null, &resident.token)
                .await;
            assert_eq!(status, StatusCode::CONFLICT, "{body}");
            let message = body["error"]["message"].as_str().unwrap_or_default();
            assert!(message.contains("dispatched"), "{message}");
        }
    }
    let claimed = u64::try_from(
        app.get("/api/needs?region=150602&status=claimed").await.1["items"]
            .as_array()
            .map_or(0, Vec::len),
    )
    .expect("count");
    let dispatched = u64::try_from(
        app.get("/api/needs?region=150602&status=dispatched&limit=50")
            .await
            .1["items"]
            .as_array()
            .map_or(0, Vec::len),
    )
    .expect("count");
    assert_eq!(counters(&app).await, (dispatched, claimed, 0));
    assert_eq!(counters(&app).await, recounted(&app).await);
}

/// Accept, decline and the deadline job at once: exactly one ends the dispatch.
#[tokio::test]
async fn accept_decline_and_the_deadline_racing_have_one_winner() {
    let app = spawn_app().await;
    let resident = app.register().await;
    let admin = app.region_admin("150602").await;
    let (organizer, org) = app.approved_org("150602").await;
    for round in 0..4 {
        let nid = post_need(&app, &resident).await;
        dispatch(&app, &admin, &nid, &org, 2 * 3600).await;
        let (a, d, job) = tokio::join!(
            answer(&app, &organizer, &nid, "accept"),
            answer(&app, &organizer, &nid, "decline"),
            return_overdue(&app.store, NoticeSender::Log, later(3 * 3600)),
        );
        let job = job.expect("job");
        let winners = usize::from(a.0 == StatusCode::OK) + usize::from(d.0 == StatusCode::OK) + job;
        assert_eq!(winners, 1, "round {round}: {a:?} {d:?} job {job}");
        let seen = need_as(&app, &nid, &admin).await;
        let outcome = &seen["dispatches"][0]["outcome"];
        let expect = match (a.0 == StatusCode::OK, d.0 == StatusCode::OK) {
            (true, _) => ("claimed", "accepted"),
            (_, true) => ("open", "declined"),
            _ => ("open", "expired"),
        };
        assert_eq!(
            (seen["status"].as_str(), outcome.as_str()),
            (Some(expect.0), Some(expect.1))
        );
    }
    let claimed = app.get("/api/needs?region=150602&status=claimed").await.1["items"]
        .as_array()
        .map_or(0, Vec::len) as u64;
    assert_eq!(counters(&app).await, (4 - claimed, claimed, 0));
    assert_eq!(counters(&app).await, recounted(&app).await);
}

/// Through a store that throttles, conflicts and loses answers, a dispatcher and an
/// organizer who retry until answered leave one dispatch, accepted, counted once. One
/// need's dispatch and acceptance take only a few store calls, so some rounds meet no
/// fault at all; needs are dispatched until faults did happen.
#[tokio::test]
async fn injected_faults_leave_one_dispatch_counted_once() {
    use std::sync::atomic::Ordering::Relaxed;
    use zhiyuan_functions::store::faults::{Fault, FaultInjector};
    let plain = spawn_app().await;
    let resident = plain.register().await;
    let admin = plain.region_admin("150602").await;
    let (organizer, org) = plain.approved_org("150602").await;
    let injector = FaultInjector::new(25, &[Fault::Throttled, Fault::Conflict, Fault::LostAnswer]);
    let injected = injector.counts.clone();
    let faulty = zhiyuan_tests::spawn_app_on(plain.store.with_faults(injector)).await;
    let faults = || {
        injected.throttled.load(Relaxed)
            + injected.conflicts.load(Relaxed)
            + injected.lost_answers.load(Relaxed)
    };
    let mut needs = 0;
    while faults() == 0 && needs < 10 {
        needs += 1;
        let nid = post_need(&plain, &resident).await;
        dispatch_and_accept_through_faults(&faulty, &admin, &organizer, &nid, &org).await;
        let seen = need_as(&plain, &nid, &admin).await;
        assert_eq!(
            seen["dispatches"].as_array().map(Vec::len),
            Some(1),
            "{seen}"
        );
        assert_eq!(seen["status"], "claimed");
    }
    assert!(faults() > 0, "faults were injected in {needs} needs");
    assert_eq!(counters(&plain).await, (0, needs, 0));
    assert_eq!(recounted(&plain).await, (0, needs, 0));
}

/// Dispatches `nid` to `org`, then accepts it, each retried while the faulty store
/// answers 429 or 503; never a 500.
async fn dispatch_and_accept_through_faults(
    faulty: &TestApp,
    admin: &User,
    organizer: &User,
    nid: &str,
    org: &str,
) {
    let mut dispatched = false;
    for _ in 0..20 {
        let (status, r) = dispatch(faulty, admin, nid, org, DAY).await;
        assert_ne!(status.as_u16(), 500, "{r}");
        // A lost answer's retry finds the dispatch done, which the 409 names.
        if status == StatusCode::OK || r["error"]["code"] == "already_dispatched" {
            dispatched = true;
            break;
        }
        assert!(matches!(status.as_u16(), 429 | 503), "{status} {r}");
    }
    assert!(dispatched, "dispatched within 20 tries");
    let mut accepted = false;
    for _ in 0..20 {
        let (status, r) = answer(faulty, organizer, nid, "accept").await;
        assert_ne!(status.as_u16(), 500, "{r}");
        if status == StatusCode::OK {
            accepted = true;
            break;
        }
        assert!(matches!(status.as_u16(), 429 | 503), "{status} {r}");
    }
    assert!(accepted, "accepted within 20 tries");
}
