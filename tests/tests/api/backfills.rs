//! Hours with evidence (补录): a member applies for hours of a past shift with evidence;
//! an organizer of the organisation approves (a confirmed record marked 补录, counted
//! once) or refuses with a reason; the 30-day, future, overlap, membership, evidence and
//! own-hours rules, each named by field or code.

use reqwest::StatusCode;
use serde_json::{Value, json};
use zhiyuan_functions::clock::now_unix;
use zhiyuan_tests::{DAY, member_with_past_shift, served_minutes, spawn_app};

const H: i64 = 3600;

fn id(v: &Value) -> String {
    v["id"].as_str().expect("id").to_string()
}

fn refused_on(status: StatusCode, body: &Value, field: &str) {
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], field, "{body}");
}

fn kinds(inbox: &Value) -> Vec<String> {
    inbox["items"]
        .as_array()
        .expect("notices")
        .iter()
        .map(|n| n["kind"].as_str().expect("kind").to_string())
        .collect()
}

#[tokio::test]
async fn an_approved_application_becomes_a_confirmed_record_marked_backfill_counted_once() {
    let app = spawn_app().await;
    let (organizer, org, member, activity, shift, start) = member_with_past_shift(&app).await;
    let evidence = app.evidence(&member, &activity).await;
    let (status, applied) = app
        .apply_backfill(&member, &org, &shift, (start, start + 2 * H), &[&evidence])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{applied}");
    assert_eq!(applied["status"], "pending");
    assert_eq!(applied["hours"], 2.0);
    assert_eq!(applied["evidence"][0]["kind"], "evidence");

    let queue = app
        .get_as(&format!("/api/orgs/{org}/backfills"), &organizer.token)
        .await;
    assert_eq!(queue["items"][0]["id"], applied["id"]);
    assert!(
        queue["items"][0]["evidence"][0]["download_url"].is_string(),
        "the reviewer can download the evidence: {queue}"
    );
    assert!(
        kinds(&app.get_as("/api/me/notices", &organizer.token).await)
            .contains(&"backfill_applied".into())
    );

    let (status, approved) = app.decide_backfill(&organizer, &id(&applied), None).await;
    assert_eq!(status, StatusCode::OK, "{approved}");
    assert_eq!(approved["status"], "approved");
    let record = app
        .get_as(
            &format!(
                "/api/records/{}",
                approved["record_id"].as_str().expect("record")
            ),
            &member.token,
        )
        .await;
    assert_eq!(record["record"]["status"], "confirmed");
    assert_eq!(record["record"]["source"], "backfill");
    assert_eq!(record["audit"][0]["action"], "backfill");

    let mine = app.get_as("/api/me/records", &member.token).await;
    assert_eq!(mine["total_hours"], 2.0);
    assert_eq!(mine["items"][0]["source"], "backfill");
    assert_eq!(served_minutes(&app.store, &member.id).await, 120);
    let cert = app.get_as("/api/me/certificate", &member.token).await;
    assert_eq!(cert["records"][0]["backfill"], true);

    let inbox = app.get_as("/api/me/notices", &member.token).await;
    assert!(
        kinds(&inbox).contains(&"backfill_approved".into()),
        "{inbox}"
    );
    let list = app.get_as("/api/me/backfills", &member.token).await;
    assert_eq!(list["items"][0]["status"], "approved");
    let queue = app
        .get_as(&format!("/api/orgs/{org}/backfills"), &organizer.token)
        .await;
    assert_eq!(queue["items"], json!([]), "decided ones leave the queue");

    let (status, again) = app
        .decide_backfill(&organizer, &id(&applied), Some("重复"))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(again["error"]["code"], "already_decided");
    let (status, twice) = app
        .apply_backfill(&member, &org, &shift, (start, start + H), &[&evidence])
        .await;
    refused_on(status, &twice, "check_in");
    assert!(
        twice["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("overlaps your record")),
        "{twice}"
    );
}

#[tokio::test]
async fn a_refusal_needs_a_reason_which_the_applicant_is_told_and_makes_no_record() {
    let app = spawn_app().await;
    let (organizer, org, member, activity, shift, start) = member_with_past_shift(&app).await;
    let evidence = app.evidence(&member, &activity).await;
    let (_, applied) = app
        .apply_backfill(&member, &org, &shift, (start, start + 3 * H), &[&evidence])
        .await;
    let (status, body) = app
        .decide_backfill(&organizer, &id(&applied), Some("  "))
        .await;
    refused_on(status, &body, "reason");
    let (status, refused) = app
        .decide_backfill(&organizer, &id(&applied), Some("签到表上没有你的名字"))
        .await;
    assert_eq!(status, StatusCode::OK, "{refused}");
    assert_eq!(refused["status"], "refused");
    let inbox = app.get_as("/api/me/notices", &member.token).await;
    let notice = &inbox["items"][0];
    assert_eq!(notice["kind"], "backfill_refused");
    assert_eq!(notice["reason"], "签到表上没有你的名字");
    assert_eq!(served_minutes(&app.store, &member.id).await, 0);
    assert_eq!(
        app.get_as("/api/me/records", &member.token).await["items"],
        json!([])
    );
    let (status, late) = app.decide_backfill(&organizer, &id(&applied), None).await;
    assert_eq!(
        (status, &late["error"]["code"]),
        (StatusCode::CONFLICT, &json!("already_decided"))
    );
}

/// Approvals by two organizers, and refusals, all at once, four rounds (a new application
/// each): exactly one decision answers 200, the
/// others 409 `already_decided`; approved, the record exists once and counts once, and the
/// applicant is told once.
#[tokio::test]
async fn racing_decisions_have_one_winner_and_the_hours_count_once() {
    let app = spawn_app().await;
    let (organizer, org, member, _, _, _) = member_with_past_shift(&app).await;
    let second = app.volunteer().await;
    app.join_org(&organizer, &org, &second).await;
    app.store
        .grant_role(
            &second.id,
            &zhiyuan_shared::account::RoleGrant {
                role: zhiyuan_shared::account::Role::Organizer,
                scope: org.clone(),
            },
        )
        .await
        .expect("grant");
    let (mut approved_rounds, mut minutes) = (0, 0);
    for round in 0..4_i64 {
        let (activity, shift, start) = app
            .past_shift(&organizer, &org, (2 + round) * DAY, 3 * H)
            .await;
        let evidence = app.evidence(&member, &activity).await;
        let (status, applied) = app
            .apply_backfill(&member, &org, &shift, (start, start + 2 * H), &[&evidence])
            .await;
        assert_eq!(status, StatusCode::CREATED, "{applied}");
        let b = id(&applied);
        // Rounds 0 and 1 race approvals only (a refusal, quicker, would win them all);
        // rounds 2 and 3 an approval against a refusal and more approvals.
        let mut racers = vec![
            app.decide_backfill(&organizer, &b, None),
            app.decide_backfill(&second, &b, None),
            app.decide_backfill(&organizer, &b, None),
            app.decide_backfill(&second, &b, None),
        ];
        if round >= 2 {
            racers.push(app.decide_backfill(&second, &b, Some("不符")));
            racers.rotate_left(round as usize);
        }
        let answers = futures::future::join_all(racers).await;
        let won: Vec<&Value> = answers
            .iter()
            .filter(|(s, _)| *s == StatusCode::OK)
            .map(|(_, body)| body)
            .collect();
        let seen: Vec<_> = answers
            .iter()
            .map(|(s, body)| {
                (
                    s.as_u16(),
                    body["status"].clone(),
                    body["error"]["code"].clone(),
                )
            })
            .collect();
        assert_eq!(won.len(), 1, "round {round}: one winner: {seen:?}");
        for (s, body) in answers.iter().filter(|(s, _)| *s != StatusCode::OK) {
            assert_eq!(
                (*s, &body["error"]["code"]),
                (StatusCode::CONFLICT, &json!("already_decided")),
                "round {round}: {body}"
            );
        }
        if won[0]["status"] == "approved" {
            approved_rounds += 1;
            minutes += 120;
        }
        assert_eq!(served_minutes(&app.store, &member.id).await, minutes);
        let records = app.get_as("/api/me/records", &member.token).await;
        assert_eq!(
            records["items"].as_array().map(Vec::len),
            Some(approved_rounds),
            "round {round}: {records}"
        );
        let told = kinds(&app.get_as("/api/me/notices", &member.token).await)
            .iter()
            .filter(|k| k.starts_with("backfill_approved") || k.starts_with("backfill_refused"))
            .count();
        assert_eq!(
            told,
            round as usize + 1,
            "round {round}: told once per decision"
        );
    }
}

#[tokio::test]
async fn service_longer_ago_than_thirty_days_or_in_the_future_is_refused_by_field() {
    let app = spawn_app().await;
    let (organizer, org, member, activity, shift, start) = member_with_past_shift(&app).await;
    let evidence = app.evidence(&member, &activity).await;
    let (_, old, old_start) = app.past_shift(&organizer, &org, 31 * DAY, 2 * H).await;
    let (status, body) = app
        .apply_backfill(
            &member,
            &org,
            &old,
            (old_start, old_start + H),
            &[&evidence],
        )
        .await;
    refused_on(status, &body, "check_in");
    let now = now_unix();
    let (status, body) = app
        .apply_backfill(&member, &org, &shift, (now - H, now + H), &[&evidence])
        .await;
    refused_on(status, &body, "check_out");
    let (_, running, running_start) = app.past_shift(&organizer, &org, H, 3 * H).await;
    let (status, body) = app
        .apply_backfill(
            &member,
            &org,
            &running,
            (running_start, running_start + 30 * 60),
            &[&evidence],
        )
        .await;
    refused_on(status, &body, "shift_id");
    let (status, body) = app
        .apply_backfill(
            &member,
            &org,
            &shift,
            (start + 2 * H, start + H),
            &[&evidence],
        )
        .await;
    refused_on(status, &body, "check_out");
    assert_eq!(
        app.get_as("/api/me/backfills", &member.token).await["items"],
        json!([]),
        "nothing was filed"
    );
}

#[tokio::test]
async fn an_application_overlapping_a_pending_one_is_refused_on_check_in() {
    let app = spawn_app().await;
    let (organizer, org, member, activity, shift, start) = member_with_past_shift(&app).await;
    let evidence = app.evidence(&member, &activity).await;
    let (status, first) = app
        .apply_backfill(&member, &org, &shift, (start, start + H), &[&evidence])
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // Another shift of the organisation at the same time.
    let (other_activity, other, _) = app.past_shift(&organizer, &org, 2 * DAY, 3 * H).await;
    let other_evidence = app.evidence(&member, &other_activity).await;
    let (status, body) = app
        .apply_backfill(
            &member,
            &org,
            &other,
            (start + 30 * 60, start + 2 * H),
            &[&other_evidence],
        )
        .await;
    refused_on(status, &body, "check_in");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("pending application")),
        "{body}"
    );
}

#[tokio::test]
async fn evidence_is_required_and_must_be_the_applicants_own_upload() {
    let app = spawn_app().await;
    let (organizer, org, member, activity, shift, start) = member_with_past_shift(&app).await;
    let (status, body) = app
        .apply_backfill(&member, &org, &shift, (start, start + H), &[])
        .await;
    refused_on(status, &body, "evidence");
    let theirs = app.attach(&organizer, &activity, "photo", "合影.jpg").await;
    let (status, body) = app
        .apply_backfill(&member, &org, &shift, (start, start + H), &[&id(&theirs)])
        .await;
    refused_on(status, &body, "evidence");
    let (status, body) = app
        .apply_backfill(
            &member,
            &org,
            &shift,
            (start, start + H),
            &["01J00000000000000000000000"],
        )
        .await;
    refused_on(status, &body, "evidence");
    // A member adds evidence only: other kinds stay the organizers'.
    let (status, body) = app
        .request_upload(&member, &activity, "plan", "方案.pdf", "", 2048)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
}

#[tokio::test]
async fn only_members_apply_and_nobody_approves_their_own_hours() {
    let app = spawn_app().await;
    let (organizer, org, member, activity, shift, start) = member_with_past_shift(&app).await;
    let outsider = app.volunteer().await;
    let (status, body) = app
        .request_upload(&outsider, &activity, "evidence", "签到表.jpg", "", 2048)
        .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::FORBIDDEN, &json!("not_member"))
    );
    let evidence = app.evidence(&member, &activity).await;
    let (status, body) = app
        .apply_backfill(&outsider, &org, &shift, (start, start + H), &[&evidence])
        .await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::FORBIDDEN, &json!("not_member"))
    );

    // The organizer served too, and applies: another organizer must decide.
    let own_evidence = app.evidence(&organizer, &activity).await;
    let (status, own) = app
        .apply_backfill(
            &organizer,
            &org,
            &shift,
            (start, start + H),
            &[&own_evidence],
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    let (status, body) = app.decide_backfill(&organizer, &id(&own), None).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (StatusCode::FORBIDDEN, &json!("own_record"))
    );

    let (_, applied) = app
        .apply_backfill(&member, &org, &shift, (start, start + H), &[&evidence])
        .await;
    let (other_organizer, _) = app.approved_org("150602").await;
    let (status, _) = app
        .decide_backfill(&other_organizer, &id(&applied), None)
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "another organisation's organizer"
    );
    let (status, _) = app
        .get_with(&format!("/api/orgs/{org}/backfills"), Some(&member.token))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "a member does not review");
}
