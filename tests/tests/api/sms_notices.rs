//! Notices that reach the phone: a notice whose kind the person takes by SMS puts one
//! line in the SMS outbox — once, whatever the retries, the concurrent dispatchers and the
//! injected store faults — held during quiet hours and sent at 07:00 Beijing time; a kind
//! switched off sends nothing; bad settings are refused naming the field.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_functions::service::sms_notices::{MAX_ATTEMPTS, SmsRun, drain};
use zhiyuan_functions::sms::SmsSender;
use zhiyuan_functions::store::Store;
use zhiyuan_functions::store::faults::{Fault, FaultInjector};
use zhiyuan_functions::store::sms_queue::SmsStatus;
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{TestApp, User, spawn_app};

/// `hh:mm` Beijing time, `days` after today.
fn beijing(days: i64, hm: &str) -> Timestamp {
    let today = Timestamp::from_unix(zhiyuan_functions::clock::now_unix()).plus(days * 86_400);
    Timestamp::parse(&format!("{}T{hm}:00+08:00", today.cst_date().iso())).expect("a time")
}

fn outbox(app: &TestApp) -> SmsSender {
    SmsSender::Outbox {
        path: app.outbox.clone(),
    }
}

/// A sender whose outbox cannot be written (its directory is a file): every send fails
/// as a provider outage does.
fn broken(app: &TestApp) -> SmsSender {
    let file = app.outbox.with_extension("not-a-dir");
    std::fs::create_dir_all(file.parent().expect("a parent")).expect("dir");
    std::fs::write(&file, b"").expect("a file");
    SmsSender::Outbox {
        path: file.join("sms.jsonl"),
    }
}

/// The notice text messages sent to `phone`: the outbox also holds the verification
/// codes every test account registered with.
fn notice_texts(app: &TestApp, phone: &str) -> Vec<Value> {
    app.sms_to(phone)
        .into_iter()
        .filter(|m| !m["kind"].as_str().unwrap_or_default().starts_with("code_"))
        .collect()
}

async fn run(app: &TestApp, store: &Store, sms: &SmsSender, now: Timestamp) -> SmsRun {
    drain(store, &app.keys, sms, now).await.expect("drained")
}

async fn settings(app: &TestApp, user: &User, body: &Value) -> (StatusCode, Value) {
    app.send_json(
        Method::PUT,
        "/api/me/notice-settings",
        body,
        Some(&user.token),
    )
    .await
}

/// One shift, `volunteers` confirmed on it, then the organizer cancels the activity.
async fn cancelled_activity(app: &TestApp, volunteers: &[User]) -> Value {
    let (organizer, a, shift) = app.activity_with_places(volunteers.len() as u32).await;
    for v in volunteers {
        assert_eq!(app.sign_up(&v.token, &shift).await.1["status"], "confirmed");
    }
    let id = a["id"].as_str().expect("id");
    // Twice: the second cancel writes the same notices again (fixed ids), and queues
    // nothing new.
    for _ in 0..2 {
        let (status, body) = app
            .send_json(
                Method::POST,
                &format!("/api/activities/{id}/cancel"),
                &json!({"reason": "暴雪"}),
                Some(&organizer.token),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    a
}

#[tokio::test]
async fn a_waitlist_promotion_reaches_the_phone_once_with_its_template() {
    let app = spawn_app().await;
    let (organizer, a, shift) = app.activity_with_places(1).await;
    let (first, second) = (app.volunteer().await, app.volunteer().await);
    app.sign_up(&first.token, &shift).await;
    assert_eq!(
        app.sign_up(&second.token, &shift).await.1["status"],
        "waitlisted"
    );
    let (status, _) = app.cancel_signup(&first.token, &shift).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        notice_texts(&app, &second.phone).is_empty(),
        "the request that promoted did not send"
    );

    let sms = outbox(&app);
    let sent = run(&app, &app.store, &sms, beijing(1, "10:00")).await;
    assert_eq!(sent.sent, 1);
    let lines = notice_texts(&app, &second.phone);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["kind"], "promoted");
    let text = lines[0]["text"].as_str().expect("text");
    assert!(
        text.starts_with("【志愿】您已从候补转为正式报名「"),
        "{text}"
    );
    assert!(text.contains(a["title"].as_str().expect("title")), "{text}");
    assert!(text.chars().count() <= 70, "{text}");

    assert_eq!(
        run(&app, &app.store, &sms, beijing(1, "10:05")).await,
        SmsRun::default()
    );
    assert_eq!(
        notice_texts(&app, &second.phone).len(),
        1,
        "never sent twice"
    );
    assert!(notice_texts(&app, &first.phone).is_empty());
    // The organizer's "organisation approved" is a kind off by default.
    assert!(notice_texts(&app, &organizer.phone).is_empty());
}

#[tokio::test]
async fn quiet_hours_hold_an_sms_until_seven_then_it_goes_and_without_them_it_goes_at_once() {
    let app = spawn_app().await;
    let (keeps, night_owl) = (app.volunteer().await, app.volunteer().await);
    let (status, _) = settings(
        &app,
        &night_owl,
        &json!({"sms": ["activity_cancelled"], "quiet_hours": false}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    cancelled_activity(&app, &[keeps.clone(), night_owl.clone()]).await;
    let sms = outbox(&app);

    let night = run(&app, &app.store, &sms, beijing(1, "23:00")).await;
    assert_eq!((night.sent, night.held), (1, 1), "{night:?}");
    assert_eq!(notice_texts(&app, &night_owl.phone).len(), 1);
    assert!(
        notice_texts(&app, &keeps.phone).is_empty(),
        "held in quiet hours"
    );
    for hm in ["23:30"] {
        assert_eq!(run(&app, &app.store, &sms, beijing(1, hm)).await.sent, 0);
    }
    assert_eq!(
        run(&app, &app.store, &sms, beijing(2, "06:59")).await.sent,
        0
    );
    assert!(notice_texts(&app, &keeps.phone).is_empty());

    let morning = run(&app, &app.store, &sms, beijing(2, "07:00")).await;
    assert_eq!(morning.sent, 1, "{morning:?}");
    let lines = notice_texts(&app, &keeps.phone);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["kind"], "activity_cancelled");
    assert!(lines[0]["text"].as_str().expect("text").contains("已取消"));
    assert_eq!(
        run(&app, &app.store, &sms, beijing(2, "09:00")).await.sent,
        0
    );
    assert_eq!(
        notice_texts(&app, &night_owl.phone).len(),
        1,
        "exactly once"
    );
}

#[tokio::test]
async fn a_kind_switched_off_sends_no_sms_and_the_inbox_still_has_the_notice() {
    let app = spawn_app().await;
    let v = app.volunteer().await;
    let (status, body) =
        settings(&app, &v, &json!({"sms": ["reminder"], "quiet_hours": true})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    cancelled_activity(&app, std::slice::from_ref(&v)).await;
    assert_eq!(
        run(&app, &app.store, &outbox(&app), beijing(1, "10:00")).await,
        SmsRun::default()
    );
    assert!(notice_texts(&app, &v.phone).is_empty());
    let inbox = app.get_as("/api/me/notices", &v.token).await;
    assert_eq!(inbox["items"][0]["kind"], "activity_cancelled");
}

#[tokio::test]
async fn a_failing_provider_is_retried_with_backoff_then_the_sms_goes_once() {
    let app = spawn_app().await;
    let v = app.volunteer().await;
    cancelled_activity(&app, std::slice::from_ref(&v)).await;
    let (down, up) = (broken(&app), outbox(&app));
    let t = beijing(1, "10:00");

    assert_eq!(run(&app, &app.store, &down, t).await.retried, 1);
    // Not due again before its backoff (1 minute, then 2).
    assert_eq!(
        run(&app, &app.store, &down, t.plus(59)).await,
        SmsRun::default()
    );
    assert_eq!(run(&app, &app.store, &down, t.plus(60)).await.retried, 1);
    assert_eq!(
        run(&app, &app.store, &up, t.plus(60 + 119)).await,
        SmsRun::default()
    );
    assert_eq!(run(&app, &app.store, &up, t.plus(60 + 120)).await.sent, 1);
    assert_eq!(run(&app, &app.store, &up, t.plus(3600)).await.sent, 0);
    assert_eq!(notice_texts(&app, &v.phone).len(), 1);
}

#[tokio::test]
async fn a_provider_down_for_good_is_given_up_after_the_last_attempt() {
    let app = spawn_app().await;
    let v = app.volunteer().await;
    cancelled_activity(&app, std::slice::from_ref(&v)).await;
    let down = broken(&app);
    let mut t = beijing(1, "10:00");
    let mut failed = 0;
    for _ in 0..MAX_ATTEMPTS {
        failed += run(&app, &app.store, &down, t).await.failed;
        t = t.plus(3600);
    }
    assert_eq!(failed, 1, "given up once, after {MAX_ATTEMPTS} attempts");
    assert_eq!(
        run(&app, &app.store, &outbox(&app), t).await,
        SmsRun::default()
    );
    assert!(notice_texts(&app, &v.phone).is_empty());
}

#[tokio::test]
async fn injected_store_faults_and_concurrent_dispatchers_send_each_sms_exactly_once() {
    let app = spawn_app().await;
    let volunteers = app.fast_volunteers(12).await;
    cancelled_activity(&app, &volunteers).await;
    let injector = FaultInjector::new(25, &[Fault::Throttled, Fault::LostAnswer]);
    let counts = injector.counts.clone();
    let faulty = app.store.with_faults(injector);
    let sms = outbox(&app);
    let mut t = beijing(1, "10:00");
    for _ in 0..40 {
        // Two dispatchers at once, as two scheduled runs that overlap.
        let (a, b) = tokio::join!(
            drain(&faulty, &app.keys, &sms, t),
            drain(&faulty, &app.keys, &sms, t)
        );
        let _ = (a, b);
        if volunteers
            .iter()
            .all(|v| !notice_texts(&app, &v.phone).is_empty())
        {
            break;
        }
        // Past the lease, so claims a fault interrupted come round again.
        t = t.plus(200);
    }
    for _ in 0..3 {
        t = t.plus(3600);
        drain(&faulty, &app.keys, &sms, t).await.ok();
    }
    for v in &volunteers {
        assert_eq!(
            notice_texts(&app, &v.phone).len(),
            1,
            "{} got one SMS",
            v.phone
        );
    }
    let injected = counts.throttled.load(std::sync::atomic::Ordering::Relaxed)
        + counts
            .lost_answers
            .load(std::sync::atomic::Ordering::Relaxed);
    assert!(injected > 0, "faults were injected");
}

#[tokio::test]
async fn a_dispatcher_that_dies_after_its_claim_leaves_the_sms_to_the_next_run() {
    let app = spawn_app().await;
    let v = app.volunteer().await;
    cancelled_activity(&app, std::slice::from_ref(&v)).await;
    let crashed = app.store.with_faults(FaultInjector::crash_after_writes(1));
    let t = beijing(1, "10:00");
    let sms = outbox(&app);
    assert!(
        drain(&crashed, &app.keys, &sms, t)
            .await
            .is_ok_and(|r| r.sent == 0)
    );
    assert!(
        notice_texts(&app, &v.phone).is_empty(),
        "died before sending"
    );
    assert_eq!(
        run(&app, &app.store, &sms, t.plus(10)).await.sent,
        0,
        "claimed still"
    );
    assert_eq!(
        run(&app, &app.store, &sms, t.plus(121)).await.sent,
        1,
        "the claim lapsed"
    );
    assert_eq!(notice_texts(&app, &v.phone).len(), 1);
    let notices = app.get_as("/api/me/notices", &v.token).await;
    let id = notices["items"][0]["id"].as_str().expect("id");
    let item = app.store.sms_item(id).await.expect("read").expect("queued");
    assert_eq!(item.status, SmsStatus::Sent);
}

#[tokio::test]
async fn notice_settings_start_at_the_defaults_and_bad_input_is_named_and_changes_nothing() {
    let app = spawn_app().await;
    let v = app.register().await;
    let defaults =
        json!({"sms": ["promoted", "activity_cancelled", "reminder"], "quiet_hours": true});
    assert_eq!(
        app.get_as("/api/me/notice-settings", &v.token).await,
        defaults
    );

    let (status, body) = settings(
        &app,
        &v,
        &json!({"sms": ["promoted", "birthday"], "quiet_hours": false}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "sms");
    let (status, body) = settings(
        &app,
        &v,
        &json!({"sms": ["promoted", "promoted"], "quiet_hours": false}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (StatusCode::BAD_REQUEST, json!("sms"))
    );
    let (status, _) = settings(&app, &v, &json!({"sms": ["promoted"]})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get_as("/api/me/notice-settings", &v.token).await,
        defaults,
        "unchanged"
    );

    let mine = json!({"sms": ["need_done", "org_approved"], "quiet_hours": false});
    let (status, saved) = settings(&app, &v, &mine).await;
    assert_eq!(status, StatusCode::OK);
    // Kept in a fixed order, whatever order they came in.
    let expected = json!({"sms": ["org_approved", "need_done"], "quiet_hours": false});
    assert_eq!(saved, expected);
    assert_eq!(
        app.get_as("/api/me/notice-settings", &v.token).await,
        expected
    );
}
