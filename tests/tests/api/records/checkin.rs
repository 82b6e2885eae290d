//! Check-in codes, hand entry and the automatic closing of a forgotten check-out.

use super::{H, code, code_window, confirm, id, scan};
use reqwest::StatusCode;
use serde_json::json;
use zhiyuan_functions::clock::now_unix;
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{
    move_shift, rewind_check_in, served_minutes, shift_under_way, spawn_app, test_keys,
};

#[tokio::test]
async fn a_volunteer_checks_in_and_out_with_the_code_and_the_organizer_confirms_the_hours() {
    let app = spawn_app().await;
    let v = app.fast_volunteers(1).await.remove(0);
    let (organizer, _, shift) = shift_under_way(&app, &[&v], 3 * H, 4 * H).await;

    let c = code(&app, &organizer, &shift).await;
    let (status, first) = scan(&app, &v, &shift, &c).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(first["action"], "checked_in");
    assert_eq!(first["record"]["status"], "pending");
    // A second tap straight away repeats the check-in rather than checking out.
    let (_, again) = scan(&app, &v, &shift, &c).await;
    assert_eq!(again["action"], "checked_in");
    assert_eq!(again["record"]["version"], 1);

    // Two hours and forty minutes later the volunteer scans the screen again.
    let record = id(&first["record"]);
    rewind_check_in(&app.store, &record, 2 * H + 40 * 60).await;
    let (status, out) = scan(&app, &v, &shift, &code(&app, &organizer, &shift).await).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["action"], "checked_out");
    assert_eq!(out["record"]["hours"], 2.5, "rounded down to the half hour");
    let (status, _) = scan(&app, &v, &shift, &code(&app, &organizer, &shift).await).await;
    assert_eq!(status, StatusCode::CONFLICT, "a third scan is refused");

    assert_eq!(app.get_as("/api/me", &v.token).await["total_hours"], 0.0);
    let (status, confirmed) = confirm(&app, &organizer, &record).await;
    assert_eq!(status, StatusCode::OK, "{confirmed}");
    assert_eq!(confirmed["status"], "confirmed");
    let (_, twice) = confirm(&app, &organizer, &record).await;
    assert_eq!(
        twice["version"], confirmed["version"],
        "confirming is idempotent"
    );
    assert_eq!(app.get_as("/api/me", &v.token).await["total_hours"], 2.5);

    let mine = app.get_as("/api/me/records", &v.token).await;
    assert_eq!(mine["total_hours"], 2.5);
    assert_eq!(mine["items"][0]["id"], record.as_str());
    let detail = app
        .get_as(&format!("/api/records/{record}"), &v.token)
        .await;
    let actions: Vec<&str> = detail["audit"]
        .as_array()
        .expect("audit")
        .iter()
        .map(|a| a["action"].as_str().expect("action"))
        .collect();
    assert_eq!(actions, ["check_in", "check_out", "confirm"]);
}

#[tokio::test]
async fn forged_expired_and_other_shifts_codes_are_refused_and_write_nothing() {
    let app = spawn_app().await;
    let v = app.fast_volunteers(1).await.remove(0);
    let (organizer, _, shift) = shift_under_way(&app, &[&v], H, 4 * H).await;
    let (_, _, other_shift) = shift_under_way(&app, &[], H, 4 * H).await;
    let keys = test_keys();
    let now = now_unix();
    let current = code(&app, &organizer, &shift).await;
    let expired = keys
        .checkin_code(&shift, code_window(now) - 3)
        .expect("code");
    let cross = keys
        .checkin_code(&other_shift, code_window(now))
        .expect("code");
    let forged = (0..1_000_000)
        .map(|n| format!("{n:06}"))
        .find(|c| {
            *c != current
                && *c
                    != keys
                        .checkin_code(&shift, code_window(now) - 1)
                        .expect("code")
                && *c
                    != keys
                        .checkin_code(&shift, code_window(now) + 1)
                        .expect("code")
        })
        .expect("a wrong code");
    for bad in [&expired, &cross, &forged] {
        let (status, body) = scan(&app, &v, &shift, bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(body["error"]["code"], "invalid_code");
    }
    let (status, body) = scan(&app, &v, &shift, "12ab56").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["field"], "code");
    let records = app
        .get_as(&format!("/api/shifts/{shift}/records"), &organizer.token)
        .await;
    assert_eq!(records["items"], json!([]), "nothing was written");
    // Guessing is cut off: after ten wrong codes even the right one waits.
    for _ in 0..7 {
        let (status, _) = scan(&app, &v, &shift, &forged).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (status, _) = scan(&app, &v, &shift, &code(&app, &organizer, &shift).await).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);

    // Not signed up; before check-in opens.
    let stranger = app.fast_volunteers(1).await.remove(0);
    let (status, body) = scan(&app, &stranger, &shift, &current).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "not_signed_up");
    move_shift(&app.store, &shift, now + 3 * H, now + 5 * H).await;
    let (status, body) = scan(&app, &v, &shift, &current).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "too_early");
}

#[tokio::test]
async fn a_forgotten_check_out_is_closed_at_the_shifts_end_flagged_and_never_longer() {
    let app = spawn_app().await;
    let v = app.fast_volunteers(1).await.remove(0);
    // The shift ends 91 minutes after it is set up: a check-in up to a minute later
    // (a slow CI machine) still leaves 90 minutes, so the rounding is not at its edge.
    let (organizer, _, shift) = shift_under_way(&app, &[&v], 29 * 60, 2 * H).await;
    let (status, body) = scan(&app, &v, &shift, &code(&app, &organizer, &shift).await).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let record = id(&body["record"]);
    let (status, body) = confirm(&app, &organizer, &record).await;
    assert_eq!(body["error"]["code"], "record_open", "{status}");

    let close = zhiyuan_functions::service::records::close_due;
    let now = Timestamp::from_unix(now_unix());
    assert_eq!(
        close(&app.store, 30, now).await.expect("run"),
        0,
        "not over yet"
    );
    let later = now.plus(3 * H);
    assert_eq!(close(&app.store, 30, later).await.expect("run"), 1);
    assert_eq!(
        close(&app.store, 30, later).await.expect("run"),
        0,
        "closed once"
    );
    let r = app
        .get_as(&format!("/api/records/{record}"), &organizer.token)
        .await["record"]
        .clone();
    assert_eq!(r["auto_closed"], true);
    assert_eq!(r["check_out"], r["shift_ends_at"]);
    assert_eq!(
        r["hours"], 1.5,
        "from check-in to the shift's end, not to the run"
    );
    confirm(&app, &organizer, &record).await;
    assert_eq!(served_minutes(&app.store, &v.id).await, 90);
}

#[tokio::test]
async fn hand_entries_need_a_signed_up_volunteer_and_sane_times() {
    let app = spawn_app().await;
    let vs = app.fast_volunteers(2).await;
    let (organizer, _, shift) = shift_under_way(&app, &[&vs[0]], 3 * H, 2 * H).await;
    let now = now_unix();
    let path = format!("/api/shifts/{shift}/attendance");
    let at = |t: i64| Timestamp::from_unix(t).rfc3339_cst();
    let (status, body) = app
        .post(
            &path,
            &json!({"user_id": vs[1].id, "check_in": at(now - 3 * H)}),
            &organizer.token,
        )
        .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::CONFLICT, &json!("not_signed_up"))
    );
    for (bad, field) in [
        (
            json!({"user_id": "nobody", "check_in": at(now - 3 * H)}),
            "user_id",
        ),
        (
            json!({"user_id": vs[0].id, "check_in": at(now - 30 * H)}),
            "check_in",
        ),
        (
            json!({"user_id": vs[0].id, "check_in": at(now - 2 * H), "check_out": at(now - 3 * H)}),
            "check_out",
        ),
        (json!({"user_id": vs[0].id}), "check_in"),
        (
            json!({"user_id": vs[0].id, "check_out": at(now - 2 * H)}),
            "check_in",
        ),
    ] {
        let (status, body) = app.post(&path, &bad, &organizer.token).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(body["error"]["field"], field, "{bad}");
    }
    let records = app
        .get_as(&format!("/api/shifts/{shift}/records"), &organizer.token)
        .await;
    assert_eq!(records["items"], json!([]), "bad input wrote nothing");

    // Checked in by hand, then out by hand: counted only inside the shift.
    let r = app
        .attendance(&organizer, &shift, &vs[0].id, now - 4 * H, None)
        .await;
    assert_eq!(r["hours"], 0.0);
    let path_out = json!({"user_id": vs[0].id, "check_out": at(now - 30 * 60)});
    let (_, r) = app.post(&path, &path_out, &organizer.token).await;
    assert_eq!(
        r["hours"], 2.0,
        "early arrival and late leaving are not service"
    );
    confirm(&app, &organizer, &id(&r)).await;
    let (status, body) = app.post(&path, &path_out, &organizer.token).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::CONFLICT, &json!("wrong_state"))
    );
}
