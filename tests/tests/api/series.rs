//! Regular activities (常态化): a weekly series publishes eight weeks of occurrences, each a
//! normal activity with the shift pattern moved to its date; the scheduled job tops up
//! (twice at once, never a duplicate); the organizer edits one occurrence or every later
//! one and cancels from one on, everyone signed up told; bad repeat rules change nothing.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_functions::service::series::{occurrence_of, top_up_due};
use zhiyuan_shared::series::{local_day, weekday};
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{DAY, TestApp, User, activity_body, spawn_app, station_body};

const WEEK: i64 = 7 * DAY;

fn now() -> i64 {
    zhiyuan_functions::clock::now_unix()
}

fn at(v: &Value) -> i64 {
    Timestamp::parse(v.as_str().expect("time"))
        .expect("rfc3339")
        .unix()
}

/// A weekly series at a new station: shifts of 2 hours with 5 and 3 places, on the
/// weekday two days from now, `count` times. Returns the organizer, the station and the
/// first occurrence.
async fn weekly_series(app: &TestApp, count: u8) -> (User, String, Value) {
    let (organizer, org) = app.approved_org("150602").await;
    let station = app
        .create_station(&station_body(
            "东胜区敬老院实践站",
            "150602",
            39.817,
            109.977,
            "community",
        ))
        .await;
    let mut body = activity_body(
        &org,
        &[(2 * DAY, 2 * 3600, 5), (2 * DAY + 3 * 3600, 3600, 3)],
    );
    body["station_id"] = json!(station);
    body["title"] = json!("敬老院陪伴");
    let day = weekday(local_day(Timestamp::from_unix(now() + 2 * DAY)));
    body["repeat"] = json!({"freq": "weekly", "weekdays": [day], "count": count});
    let first = app.publish(&organizer, &body).await;
    (organizer, station, first)
}

async fn occurrence(app: &TestApp, first: &Value, index: u8) -> (StatusCode, Value) {
    let series = first["series"]["series_id"].as_str().expect("series id");
    let id = occurrence_of(series, index).expect("occurrence id");
    app.get(&format!("/api/activities/{id}")).await
}

async fn published(app: &TestApp, first: &Value, index: u8) -> Value {
    let (status, a) = occurrence(app, first, index).await;
    assert_eq!(status, StatusCode::OK, "occurrence {index}: {a}");
    a
}

async fn org_activities(app: &TestApp, org: &str) -> Vec<Value> {
    let (status, page) = app
        .get(&format!("/api/activities?org_id={org}&limit=50"))
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["items"].as_array().expect("items").clone()
}

async fn notices_of(app: &TestApp, who: &User, kind: &str) -> usize {
    let all = app.get_as("/api/me/notices", &who.token).await;
    all["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|n| n["kind"] == kind)
        .count()
}

async fn schedule_len(app: &TestApp, station: &str) -> usize {
    let (status, page) = app.get(&format!("/api/stations/{station}")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    page["schedule"].as_array().expect("schedule").len()
}

fn edit_of(a: &Value) -> Value {
    let shifts: Vec<Value> = a["shifts"]
        .as_array()
        .expect("shifts")
        .iter()
        .map(|s| {
            json!({"id": s["id"], "starts_at": s["starts_at"], "ends_at": s["ends_at"],
                   "capacity": s["capacity"]})
        })
        .collect();
    json!({"title": a["title"], "description": a["description"],
           "requirements": a["requirements"], "shifts": shifts})
}

#[tokio::test]
async fn a_weekly_series_publishes_eight_weeks_ahead_with_the_same_shifts_and_shows_on_the_station()
{
    let app = spawn_app().await;
    let (_, station, first) = weekly_series(&app, 20).await;
    let org = first["org_id"].as_str().expect("org");
    assert_eq!(first["series"]["index"], 0);
    // Occurrences at 2, 9, … 51 days: those within 8 weeks; the rest wait for the job.
    let listed = org_activities(&app, org).await;
    assert_eq!(listed.len(), 8, "{listed:?}");
    let start = at(&first["shifts"][0]["starts_at"]);
    for k in 0..8u8 {
        let a = published(&app, &first, k).await;
        assert_eq!(a["series"]["index"], k);
        assert_eq!(a["title"], "敬老院陪伴");
        assert_eq!(a["station_id"], json!(station));
        let moved = i64::from(k) * WEEK;
        assert_eq!(at(&a["shifts"][0]["starts_at"]), start + moved);
        assert_eq!(
            at(&a["shifts"][1]["starts_at"]),
            start + 3 * 3600 + moved,
            "the second shift keeps its place in the pattern"
        );
        assert_eq!(a["shifts"][0]["capacity"], 5);
        assert_eq!(a["shifts"][1]["capacity"], 3);
        assert_eq!(a["shifts"][0]["taken"], 0);
    }
    assert_eq!(occurrence(&app, &first, 8).await.0, StatusCode::NOT_FOUND);

    // The station page shows the regular schedule.
    let (status, page) = app.get(&format!("/api/stations/{station}")).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let schedule = page["schedule"].as_array().expect("schedule");
    assert_eq!(schedule.len(), 1, "{page}");
    let s = &schedule[0];
    assert_eq!(s["title"], "敬老院陪伴");
    assert_eq!(s["freq"], "weekly");
    let day = weekday(local_day(Timestamp::from_unix(start)));
    assert_eq!(s["weekdays"], json!([day]));
    let (h, m) = Timestamp::from_unix(start).cst_hm();
    assert_eq!(s["starts"], format!("{h:02}:{m:02}"));
    let (h, m) = Timestamp::from_unix(start + 4 * 3600).cst_hm();
    assert_eq!(s["ends"], format!("{h:02}:{m:02}"));
    assert_eq!(s["next_activity_id"], first["id"]);
}

#[tokio::test]
async fn the_scheduled_job_tops_up_once_even_when_two_runs_race() {
    let app = spawn_app().await;
    let (_, _, first) = weekly_series(&app, 10).await;
    let org = first["org_id"].as_str().expect("org");
    // A week on, the ninth occurrence (at 58 days) is within 8 weeks; the tenth is not.
    let later = Timestamp::from_unix(now() + WEEK);
    let (a, b) = tokio::join!(top_up_due(&app.store, later), top_up_due(&app.store, later));
    assert_eq!(a.expect("run") + b.expect("run"), 1);
    assert_eq!(top_up_due(&app.store, later).await.expect("run"), 0);
    assert_eq!(org_activities(&app, org).await.len(), 9);
    let ninth = published(&app, &first, 8).await;
    assert_eq!(
        at(&ninth["shifts"][0]["starts_at"]),
        at(&first["shifts"][0]["starts_at"]) + 8 * WEEK
    );
    // Far ahead, only the series' count is published, never more.
    let far = Timestamp::from_unix(now() + 40 * WEEK);
    assert_eq!(top_up_due(&app.store, far).await.expect("run"), 1);
    assert_eq!(top_up_due(&app.store, far).await.expect("run"), 0);
    assert_eq!(occurrence(&app, &first, 10).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn editing_one_occurrence_leaves_the_others_and_editing_the_future_changes_the_rest() {
    let app = spawn_app().await;
    let (organizer, _, first) = weekly_series(&app, 12).await;
    let v = app.volunteer().await;
    let fourth = published(&app, &first, 3).await;
    let shift = fourth["shifts"][0]["id"].as_str().expect("shift");
    assert_eq!(app.sign_up(&v.token, shift).await.0, StatusCode::CREATED);

    // One occurrence.
    let second = published(&app, &first, 1).await;
    let mut body = edit_of(&second);
    body["title"] = json!("敬老院陪伴（本次改到下午）");
    let (status, edited) = app
        .send_json(
            Method::PUT,
            &format!("/api/activities/{}", second["id"].as_str().expect("id")),
            &body,
            Some(&organizer.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(published(&app, &first, 2).await["title"], "敬老院陪伴");

    // This one and every later one: an hour later, more places, a new title.
    let third = published(&app, &first, 2).await;
    let mut body = edit_of(&third);
    body["title"] = json!("敬老院陪伴（新时间）");
    let s0 = at(&third["shifts"][0]["starts_at"]);
    let e0 = at(&third["shifts"][0]["ends_at"]);
    body["shifts"][0]["starts_at"] = json!(Timestamp::from_unix(s0 + 3600).rfc3339_cst());
    body["shifts"][0]["ends_at"] = json!(Timestamp::from_unix(e0 + 3600).rfc3339_cst());
    body["shifts"][0]["capacity"] = json!(8);
    let path = format!(
        "/api/activities/{}?scope=future",
        third["id"].as_str().expect("id")
    );
    let (status, edited) = app
        .send_json(Method::PUT, &path, &body, Some(&organizer.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    let start = at(&first["shifts"][0]["starts_at"]);
    for k in 2..8u8 {
        let a = published(&app, &first, k).await;
        assert_eq!(a["title"], "敬老院陪伴（新时间）", "occurrence {k}");
        assert_eq!(
            at(&a["shifts"][0]["starts_at"]),
            start + i64::from(k) * WEEK + 3600
        );
        assert_eq!(a["shifts"][0]["capacity"], 8);
        assert_eq!(a["shifts"][1]["capacity"], 3);
    }
    assert_eq!(published(&app, &first, 0).await["title"], "敬老院陪伴");
    assert_eq!(
        published(&app, &first, 1).await["title"],
        "敬老院陪伴（本次改到下午）"
    );
    assert_eq!(published(&app, &first, 3).await["shifts"][0]["taken"], 1);
    assert_eq!(notices_of(&app, &v, "activity_changed").await, 1);

    // Occurrences published later follow the new pattern.
    let later = Timestamp::from_unix(now() + WEEK);
    assert_eq!(top_up_due(&app.store, later).await.expect("run"), 1);
    let ninth = published(&app, &first, 8).await;
    assert_eq!(ninth["title"], "敬老院陪伴（新时间）");
    assert_eq!(
        at(&ninth["shifts"][0]["starts_at"]),
        start + 8 * WEEK + 3600
    );
    assert_eq!(ninth["shifts"][0]["capacity"], 8);
}

#[tokio::test]
async fn cancelling_from_one_occurrence_on_cancels_the_rest_and_tells_those_signed_up() {
    let app = spawn_app().await;
    let (organizer, station, first) = weekly_series(&app, 12).await;
    let (v1, v2) = (app.volunteer().await, app.volunteer().await);
    let kept = published(&app, &first, 4).await;
    let gone = published(&app, &first, 6).await;
    for (v, a) in [(&v1, &kept), (&v2, &gone)] {
        let shift = a["shifts"][0]["id"].as_str().expect("shift");
        assert_eq!(app.sign_up(&v.token, shift).await.0, StatusCode::CREATED);
    }
    let fifth = published(&app, &first, 5).await;
    let path = format!(
        "/api/activities/{}/series/cancel",
        fifth["id"].as_str().expect("id")
    );
    let reason = json!({"reason": "敬老院装修，暂停服务"});
    let (status, cancelled) = app
        .send_json(Method::POST, &path, &reason, Some(&organizer.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{cancelled}");
    assert_eq!(cancelled["status"], "cancelled");
    for k in 5..8u8 {
        assert_eq!(published(&app, &first, k).await["status"], "cancelled");
    }
    assert_eq!(published(&app, &first, 4).await["status"], "published");
    assert_eq!(notices_of(&app, &v2, "activity_cancelled").await, 1);
    assert_eq!(notices_of(&app, &v1, "activity_cancelled").await, 0);
    // Nothing more is published, and again changes nothing and tells nobody twice.
    let far = Timestamp::from_unix(now() + 40 * WEEK);
    assert_eq!(top_up_due(&app.store, far).await.expect("run"), 0);
    assert_eq!(occurrence(&app, &first, 8).await.0, StatusCode::NOT_FOUND);
    let (status, _) = app
        .send_json(Method::POST, &path, &reason, Some(&organizer.token))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(notices_of(&app, &v2, "activity_cancelled").await, 1);

    // The schedule stays while occurrences remain; cancelled from the first, it is gone.
    assert_eq!(schedule_len(&app, &station).await, 1);
    let path = format!(
        "/api/activities/{}/series/cancel",
        first["id"].as_str().expect("id")
    );
    let (status, _) = app
        .send_json(Method::POST, &path, &reason, Some(&organizer.token))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(schedule_len(&app, &station).await, 0);
    assert_eq!(notices_of(&app, &v1, "activity_cancelled").await, 1);
}

#[tokio::test]
async fn bad_repeat_rules_are_named_by_field_and_write_nothing() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let cases = [
        (
            json!({"freq": "weekly", "weekdays": [0], "count": 4}),
            "repeat.weekdays",
        ),
        (
            json!({"freq": "weekly", "weekdays": [8], "count": 4}),
            "repeat.weekdays",
        ),
        (json!({"freq": "weekly", "count": 4}), "repeat.weekdays"),
        (
            json!({"freq": "weekly", "weekdays": [2, 2], "count": 4}),
            "repeat.weekdays",
        ),
        (json!({"freq": "monthly", "count": 4}), "repeat.day"),
        (
            json!({"freq": "monthly", "day": 29, "count": 4}),
            "repeat.day",
        ),
        (
            json!({"freq": "monthly", "day": 0, "count": 4}),
            "repeat.day",
        ),
        (
            json!({"freq": "weekly", "weekdays": [1], "count": 27}),
            "repeat.count",
        ),
        (
            json!({"freq": "weekly", "weekdays": [1], "count": 0}),
            "repeat.count",
        ),
        (json!({"freq": "daily", "count": 4}), "repeat.freq"),
    ];
    for (repeat, field) in cases {
        let mut body = activity_body(&org, &[(2 * DAY, 3600, 5)]);
        body["repeat"] = repeat.clone();
        let (status, err) = app
            .send_json(
                Method::POST,
                "/api/activities",
                &body,
                Some(&organizer.token),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{repeat}: {err}");
        assert_eq!(err["error"]["field"], field, "{repeat}: {err}");
    }
    assert!(org_activities(&app, &org).await.is_empty());
    let due = Timestamp::from_unix(now() + 40 * WEEK);
    assert_eq!(top_up_due(&app.store, due).await.expect("run"), 0);

    // A monthly series: its occurrences fall on its day.
    let mut body = activity_body(&org, &[(2 * DAY, 3600, 5)]);
    body["repeat"] = json!({"freq": "monthly", "day": 28, "count": 3});
    let first = app.publish(&organizer, &body).await;
    let date = Timestamp::from_unix(at(&first["shifts"][0]["starts_at"])).cst_date();
    assert_eq!(date.day, 28);

    // Editing "the future" of an activity of no series is refused; an unknown scope too.
    let single = app
        .publish(&organizer, &activity_body(&org, &[(3 * DAY, 3600, 5)]))
        .await;
    let id = single["id"].as_str().expect("id");
    let (status, err) = app
        .send_json(
            Method::PUT,
            &format!("/api/activities/{id}?scope=future"),
            &edit_of(&single),
            Some(&organizer.token),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "not_in_series");
    let (status, err) = app
        .send_json(
            Method::PUT,
            &format!("/api/activities/{id}?scope=all"),
            &edit_of(&single),
            Some(&organizer.token),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    assert_eq!(err["error"]["field"], "scope");
}

#[tokio::test]
async fn the_openapi_document_bounds_the_repeat_rule_and_lists_the_series_routes() {
    let app = spawn_app().await;
    let (status, doc) = app.get("/api/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    let schemas = &doc["components"]["schemas"];
    let repeat = &schemas["RepeatInput"]["properties"];
    assert_eq!(repeat["weekdays"]["items"]["minimum"], 1);
    assert_eq!(repeat["weekdays"]["items"]["maximum"], 7);
    assert_eq!(repeat["weekdays"]["maxItems"], 7);
    assert_eq!(repeat["day"]["minimum"], 1);
    assert_eq!(repeat["day"]["maximum"], 28);
    assert_eq!(repeat["count"]["minimum"], 1);
    assert_eq!(repeat["count"]["maximum"], 26);
    assert_eq!(schemas["RepeatFreq"]["enum"], json!(["weekly", "monthly"]));
    let input = &schemas["ActivityInput"]["properties"]["repeat"];
    assert!(input.to_string().contains("RepeatInput"), "{input}");
    let scope = doc["paths"]["/api/activities/{id}"]["put"]["parameters"]
        .as_array()
        .expect("parameters")
        .iter()
        .find(|p| p["name"] == "scope")
        .cloned()
        .expect("scope parameter");
    assert_eq!(scope["in"], "query");
    assert_eq!(scope["schema"]["pattern"], "^(one|future)?$");
    let cancel = &doc["paths"]["/api/activities/{id}/series/cancel"]["post"];
    for code in ["200", "400", "401", "403", "404", "409", "503"] {
        assert!(cancel["responses"][code].is_object(), "{code}: {cancel}");
    }
    let station = &schemas["StationDetail"]["properties"]["schedule"];
    assert!(station.to_string().contains("StationSchedule"), "{station}");
}

/// An occurrence as stored: its title, first shift's places and version (every write of
/// an edit bumps it).
async fn stored(app: &TestApp, first: &Value, index: u8) -> (String, u32, u64) {
    use zhiyuan_functions::ids::ActivityId;
    let series = first["series"]["series_id"].as_str().expect("series id");
    let id = occurrence_of(series, index).expect("occurrence id");
    let a = app
        .store
        .get_activity(&ActivityId::trusted(id))
        .await
        .expect("read")
        .expect("occurrence");
    (a.title, a.shifts[0].capacity, a.version)
}

async fn all_stored(app: &TestApp, first: &Value) -> Vec<(String, u32, u64)> {
    let mut out = Vec::new();
    for k in 0..5 {
        out.push(stored(app, first, k).await);
    }
    out
}

/// Five occurrences; the third has two confirmed sign-ups on its first shift. Editing all
/// from the first with one place there is refused as a whole, naming the third, and
/// changes no occurrence and not the pattern.
#[tokio::test]
async fn a_refusal_on_the_third_of_five_occurrences_changes_none_of_them() {
    let app = spawn_app().await;
    let (organizer, _, first) = weekly_series(&app, 5).await;
    let third = published(&app, &first, 2).await;
    let shift = third["shifts"][0]["id"].as_str().expect("shift");
    for _ in 0..2 {
        let v = app.volunteer().await;
        assert_eq!(app.sign_up(&v.token, shift).await.0, StatusCode::CREATED);
    }
    let before = all_stored(&app, &first).await;
    let mut body = edit_of(&first);
    body["title"] = json!("敬老院陪伴（一个名额）");
    body["shifts"][0]["capacity"] = json!(1);
    let path = format!(
        "/api/activities/{}?scope=future",
        first["id"].as_str().expect("id")
    );
    let (status, err) = app
        .send_json(Method::PUT, &path, &body, Some(&organizer.token))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "occurrences_refused");
    assert_eq!(
        err["refused"],
        json!([{
            "activity_id": third["id"],
            "starts_at": third["shifts"][0]["starts_at"],
            "code": "places_below_signups",
        }]),
        "names the third occurrence, when and why: {err}"
    );
    assert_eq!(all_stored(&app, &first).await, before, "nothing changed");
    let series = zhiyuan_functions::ids::ActivityId::trusted(
        first["series"]["series_id"].as_str().expect("series"),
    );
    let pattern = app
        .store
        .get_series(&series)
        .await
        .expect("read")
        .expect("series");
    assert_eq!(
        pattern.template.title, "敬老院陪伴",
        "the pattern is unchanged"
    );
}

/// The store fails part way through an edit of all five (as when the connection is
/// lost): some occurrences are edited, not all. Sending the same edit again finishes
/// the rest and edits none twice: each occurrence's version moved by exactly one write.
#[tokio::test]
async fn an_edit_of_all_future_cut_off_midway_is_finished_by_sending_it_again() {
    let app = spawn_app().await;
    let (organizer, _, first) = weekly_series(&app, 5).await;
    let before = all_stored(&app, &first).await;
    let mut body = edit_of(&first);
    body["title"] = json!("敬老院陪伴（新）");
    let path = format!(
        "/api/activities/{}?scope=future",
        first["id"].as_str().expect("id")
    );
    let crashing = zhiyuan_tests::spawn_app_on(
        app.store
            .with_faults(zhiyuan_functions::store::faults::FaultInjector::crash_after_writes(3)),
    )
    .await;
    let (status, _) = crashing
        .send_json(Method::PUT, &path, &body, Some(&organizer.token))
        .await;
    assert!(status.is_server_error(), "{status}");
    let midway = all_stored(&app, &first).await;
    let edited = midway
        .iter()
        .filter(|(title, _, _)| title == "敬老院陪伴（新）")
        .count();
    assert!(0 < edited && edited < 5, "cut off midway: {midway:?}");

    let (status, answer) = app
        .send_json(Method::PUT, &path, &body, Some(&organizer.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let after = all_stored(&app, &first).await;
    for (k, ((title, places, version), (_, was_places, was))) in
        after.iter().zip(&before).enumerate()
    {
        assert_eq!(title, "敬老院陪伴（新）", "occurrence {k}");
        assert_eq!(places, was_places, "occurrence {k}");
        assert_eq!(*version, was + 1, "occurrence {k} written once");
    }
    let (status, _) = app
        .send_json(Method::PUT, &path, &body, Some(&organizer.token))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        all_stored(&app, &first).await,
        after,
        "a third time changes nothing"
    );
}

/// Cancelling from the first of five, cut off part way by the store: sending it again
/// cancels the rest, and the volunteer signed up for each is told once per occurrence.
#[tokio::test]
async fn a_cancel_from_here_cut_off_midway_is_finished_by_sending_it_again() {
    let app = spawn_app().await;
    let (organizer, _, first) = weekly_series(&app, 5).await;
    let v = app.volunteer().await;
    for k in 0..5 {
        let a = published(&app, &first, k).await;
        let shift = a["shifts"][0]["id"].as_str().expect("shift");
        assert_eq!(app.sign_up(&v.token, shift).await.0, StatusCode::CREATED);
    }
    let path = format!(
        "/api/activities/{}/series/cancel",
        first["id"].as_str().expect("id")
    );
    let reason = json!({"reason": "场地维修"});
    let crashing = zhiyuan_tests::spawn_app_on(
        app.store
            .with_faults(zhiyuan_functions::store::faults::FaultInjector::crash_after_writes(3)),
    )
    .await;
    let (status, _) = crashing
        .send_json(Method::POST, &path, &reason, Some(&organizer.token))
        .await;
    assert!(status.is_server_error(), "{status}");
    let mut cancelled = 0;
    for k in 0..5 {
        cancelled += usize::from(published(&app, &first, k).await["status"] == "cancelled");
    }
    assert!(
        0 < cancelled && cancelled < 5,
        "cut off midway: {cancelled}"
    );
    let (status, body) = app
        .send_json(Method::POST, &path, &reason, Some(&organizer.token))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for k in 0..5 {
        assert_eq!(published(&app, &first, k).await["status"], "cancelled");
    }
    assert_eq!(notices_of(&app, &v, "activity_cancelled").await, 5);
}
