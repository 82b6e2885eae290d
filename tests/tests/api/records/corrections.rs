//! Corrections, disputes and voids, with their audit trail.

use super::{H, confirm, id};
use reqwest::StatusCode;
use serde_json::json;
use zhiyuan_functions::clock::now_unix;
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{served_minutes, shift_under_way, spawn_app};

#[tokio::test]
async fn corrections_disputes_and_voids_keep_the_original_and_are_audited() {
    let app = spawn_app().await;
    let v = app.fast_volunteers(1).await.remove(0);
    let (organizer, _, shift) = shift_under_way(&app, &[&v], 5 * H, 4 * H).await;
    let now = now_unix();
    let record = id(&app
        .attendance(&organizer, &shift, &v.id, now - 5 * H, Some(now - 3 * H))
        .await);
    confirm(&app, &organizer, &record).await;
    assert_eq!(served_minutes(&app.store, &v.id).await, 120);

    // The volunteer disputes; only they may, and only once at a time.
    let dispute = format!("/api/records/{record}/dispute");
    let (status, _) = app
        .post(
            &dispute,
            &json!({"reason": "我服务到了16点"}),
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .post(&dispute, &json!({"reason": "我服务到了结束"}), &v.token)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["dispute"]["status"], "open");
    let (status, body) = app
        .post(&dispute, &json!({"reason": "again"}), &v.token)
        .await;
    assert_eq!(body["error"]["code"], "dispute_open", "{status}");
    let (status, body) = app.post(&dispute, &json!({"reason": " "}), &v.token).await;
    assert_eq!(
        (status, &body["error"]["field"]),
        (StatusCode::BAD_REQUEST, &json!("reason"))
    );

    // The organisation corrects it: the correction answers the dispute.
    let (status, body) = app
        .post(
            &format!("/api/records/{record}/correct"),
            &json!({
                "check_out": Timestamp::from_unix(now - H).rfc3339_cst(),
                "reason": "核实签到表后更正",
            }),
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["hours"], 4.0);
    assert_eq!(body["dispute"]["status"], "answered");
    assert_eq!(served_minutes(&app.store, &v.id).await, 240);

    // Bad corrections change nothing.
    for (bad, field) in [
        (json!({"check_out": "soon", "reason": "x"}), "check_out"),
        (
            json!({"check_out": Timestamp::from_unix(now - H).rfc3339_cst()}),
            "reason",
        ),
        (
            json!({"check_out": Timestamp::from_unix(now + 2 * H).rfc3339_cst(), "reason": "x"}),
            "check_out",
        ),
    ] {
        let (status, body) = app
            .post(
                &format!("/api/records/{record}/correct"),
                &bad,
                &organizer.token,
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(body["error"]["field"], field);
    }
    assert_eq!(served_minutes(&app.store, &v.id).await, 240);

    let (status, body) = app
        .post(
            &format!("/api/records/{record}/correct"),
            &json!({"void": true, "reason": "重复录入"}),
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "void");
    assert_eq!(served_minutes(&app.store, &v.id).await, 0);
    let (status, _) = confirm(&app, &organizer, &record).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a void record is not confirmed again"
    );

    let detail = app
        .get_as(&format!("/api/records/{record}"), &v.token)
        .await;
    let audit = detail["audit"].as_array().expect("audit");
    let actions: Vec<&str> = audit
        .iter()
        .map(|a| a["action"].as_str().expect("a"))
        .collect();
    assert_eq!(
        actions,
        ["hand_entry", "confirm", "dispute", "correct", "void"]
    );
    let correction = &audit[3];
    assert_eq!(correction["before"]["hours"], 2.0, "the original is kept");
    assert_eq!(correction["after"]["hours"], 4.0);
    assert_eq!(correction["reason"], "核实签到表后更正");
    assert!(correction["by"].as_str().is_some_and(|b| !b.is_empty()));
    // Someone else's record is not theirs to read.
    let other = app.fast_volunteers(1).await.remove(0);
    let (status, _) = app
        .get_with(&format!("/api/records/{record}"), Some(&other.token))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
