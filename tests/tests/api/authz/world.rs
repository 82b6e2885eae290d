//! The world the matrix runs in: one caller of each kind, and a fresh target per row.

use super::{Body, Row, Target};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{
    DAY, PASSWORD, TestApp, User, activity_body, id_number, move_shift, org_body, station_body,
    volunteer_body,
};

pub(super) struct World {
    pub(super) callers: [Option<User>; 7],
    station: String,
    org: String,
    login: User,
    activity: String,
    shift: String,
    record: String,
    record_shift: String,
    /// When the record's shift started (Unix seconds).
    record_start: i64,
    certificate: String,
    transfer: Value,
}

/// A shift under way of this org with the volunteer persona signed up: (shift, start).
async fn shift_of_volunteer(app: &TestApp, organizer: &User, org: &str, v: &User) -> (String, i64) {
    let a = app
        .publish(
            organizer,
            &activity_body(org, &[(5 * DAY + i64::from(app.next()) * 7200, 3600, 5)]),
        )
        .await;
    let shift = a["shifts"][0]["id"].as_str().expect("shift").to_string();
    let (status, body) = app.sign_up(&v.token, &shift).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let start = zhiyuan_functions::clock::now_unix() - 5 * 3600;
    move_shift(&app.store, &shift, start, start + 4 * 3600).await;
    (shift, start)
}

async fn record_of_volunteer(
    app: &TestApp,
    w_org: &str,
    organizer: &User,
    v: &User,
) -> (String, String, i64) {
    let (shift, start) = shift_of_volunteer(app, organizer, w_org, v).await;
    let r = app
        .attendance(organizer, &shift, &v.id, start, Some(start + 3 * 3600))
        .await;
    (r["id"].as_str().expect("record").to_string(), shift, start)
}

async fn fresh_activity(app: &TestApp, w: &World) -> Value {
    let organizer = w.callers[6].as_ref().expect("organizer");
    app.publish(organizer, &activity_body(&w.org, &[(2 * DAY, 3600, 5)]))
        .await
}

pub(super) async fn world(app: &TestApp) -> World {
    let w = world_of_callers(app).await;
    // The re-check code row sends each caller a code: their registration code's resend
    // minute is over, as it would be by then.
    for u in w.callers.iter().flatten() {
        app.minute_passes_for(&u.phone).await;
    }
    w
}

async fn world_of_callers(app: &TestApp) -> World {
    let (organizer, org) = app.approved_org("150602").await;
    let (other_organizer, _) = app.approved_org("150603").await;
    let a = app
        .publish(&organizer, &activity_body(&org, &[(3 * DAY, 3600, 5)]))
        .await;
    let volunteer = app.volunteer().await;
    let (record, record_shift, record_start) =
        record_of_volunteer(app, &org, &organizer, &volunteer).await;
    let (status, body) = app
        .post(
            &format!("/api/records/{record}/confirm"),
            &Value::Null,
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let certificate =
        app.get_as("/api/me/certificate", &volunteer.token).await["verification_code"]
            .as_str()
            .expect("code")
            .to_string();
    let transfer = app.transfer_file(&volunteer).await;
    World {
        record,
        record_shift,
        record_start,
        certificate,
        transfer,
        activity: a["id"].as_str().expect("id").to_string(),
        shift: a["shifts"][0]["id"].as_str().expect("shift").to_string(),
        callers: [
            None,
            Some(volunteer),
            Some(other_organizer),
            Some(app.region_admin("150603").await),
            Some(app.region_admin("150602").await),
            Some(app.region_admin("150600").await),
            Some(organizer),
        ],
        station: app
            .create_station(&station_body("矩阵站", "150602", 39.82, 109.96, "park"))
            .await,
        org,
        login: app.register().await,
    }
}

fn need_body() -> Value {
    json!({
        "title": "助老送餐", "description": "每周两次", "service_target": "empty_nest_elderly",
        "address": "东胜区铁西街道", "lat": 39.817, "lng": 109.977, "region_code": "150602",
        "when": "每周二",
    })
}

async fn fresh_need(app: &TestApp, w: &World) -> String {
    let (status, need) = app.post("/api/needs", &need_body(), &w.login.token).await;
    assert_eq!(status, StatusCode::CREATED, "{need}");
    need["id"].as_str().expect("id").to_string()
}

async fn pending_org(app: &TestApp) -> String {
    let founder = app.volunteer().await;
    let (status, org) = app
        .send_json(
            Method::POST,
            "/api/orgs",
            &org_body(&format!("待审队{}", app.next()), "150602"),
            Some(&founder.token),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{org}");
    org["id"].as_str().expect("id").to_string()
}

/// A pending appeal for the ID number of a fresh 东胜区 volunteer, by a fresh account.
async fn fresh_appeal(app: &TestApp) -> String {
    let holder = app.register().await;
    let idn = id_number(app.next());
    let (status, body) = app
        .post("/api/me/volunteer", &volunteer_body(&idn), &holder.token)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let appellant = app.register().await;
    let bytes = zhiyuan_tests::sample_file("jpg", 500);
    let (status, ticket) = app
        .post(
            "/api/identity-appeals/photo",
            &json!({"name": "card.jpg", "size": bytes.len()}),
            &appellant.token,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    assert!(app.send_upload(&ticket, bytes).await.is_success());
    let (status, appeal) = app
        .post(
            "/api/identity-appeals",
            &json!({
                "real_name": "李真名", "id_number": idn, "photo_id": ticket["photo_id"],
                "reason": "是我的", "consent": true,
            }),
            &appellant.token,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{appeal}");
    appeal["id"].as_str().expect("id").to_string()
}

pub(super) async fn resolve(app: &TestApp, w: &World, r: &Row) -> String {
    let path = match r.target {
        Target::Nothing => r.path.to_string(),
        Target::Station => r.path.replace("{id}", &w.station),
        Target::FreshStation => {
            let id = app
                .create_station(&station_body("新站", "150602", 39.81, 109.95, "park"))
                .await;
            r.path.replace("{id}", &id)
        }
        Target::ApprovedOrg => r.path.replace("{id}", &w.org),
        Target::Activity => r.path.replace("{id}", &w.activity),
        Target::Shift => r.path.replace("{id}", &w.shift),
        Target::FreshActivity => {
            let a = fresh_activity(app, w).await;
            r.path.replace("{id}", a["id"].as_str().expect("id"))
        }
        Target::FreshSeries => {
            let organizer = w.callers[6].as_ref().expect("organizer");
            let mut body = activity_body(&w.org, &[(2 * DAY, 3600, 5)]);
            body["repeat"] = json!({"freq": "weekly", "weekdays": [1, 4], "count": 3});
            let a = app.publish(organizer, &body).await;
            r.path.replace("{id}", a["id"].as_str().expect("id"))
        }
        Target::FreshShift => {
            let a = fresh_activity(app, w).await;
            r.path
                .replace("{id}", a["shifts"][0]["id"].as_str().expect("shift"))
        }
        Target::PendingOrg => r.path.replace("{id}", &pending_org(app).await),
        Target::FreshNeed => r.path.replace("{id}", &fresh_need(app, w).await),
        Target::FreshDispatchedNeed => {
            let id = fresh_need(app, w).await;
            let admin = w.callers[4].as_ref().expect("banner admin");
            let (status, body) = app
                .post(
                    &format!("/api/needs/{id}/dispatch"),
                    &json!({ "org_id": w.org, "answer_by": zhiyuan_tests::in_seconds(DAY) }),
                    &admin.token,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            r.path.replace("{id}", &id)
        }
        Target::FreshNomination => {
            let admin = w.callers[5].as_ref().expect("city admin");
            let (status, n) = app
                .post(
                    "/api/nominations",
                    &body(app, w, Body::Nomination).await,
                    &admin.token,
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{n}");
            r.path.replace("{id}", n["id"].as_str().expect("id"))
        }
        Target::FreshClaimedNeed => {
            let id = fresh_need(app, w).await;
            let organizer = w.callers[6].as_ref().expect("organizer");
            let (status, body) = app
                .post(
                    &format!("/api/needs/{id}/claim"),
                    &json!({ "org_id": w.org }),
                    &organizer.token,
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
            r.path.replace("{id}", &id)
        }
        Target::FreshNeedOfVolunteer => {
            let poster = w.callers[1].as_ref().expect("volunteer");
            let (status, need) = app.post("/api/needs", &need_body(), &poster.token).await;
            assert_eq!(status, StatusCode::CREATED, "{need}");
            r.path.replace("{id}", need["id"].as_str().expect("id"))
        }
        Target::FreshUpload => {
            let organizer = w.callers[6].as_ref().expect("organizer");
            let bytes = zhiyuan_tests::sample_file("pdf", 64);
            let (status, ticket) = app
                .request_upload(organizer, &w.activity, "plan", "方案.pdf", "", bytes.len())
                .await;
            assert_eq!(status, StatusCode::CREATED, "{ticket}");
            assert_eq!(
                app.send_upload(&ticket, bytes).await,
                StatusCode::NO_CONTENT
            );
            r.path.replace("{id}", &w.activity).replace(
                "{file_id}",
                ticket["attachment"]["id"].as_str().expect("file id"),
            )
        }
        Target::FreshAppeal => r.path.replace("{id}", &fresh_appeal(app).await),
        Target::FreshDoneNeedOfVolunteer | Target::FreshRatedNeedOfVolunteer => {
            let (poster, organizer) = (
                w.callers[1].as_ref().expect("volunteer"),
                w.callers[6].as_ref().expect("organizer"),
            );
            let id = app.done_need(poster, organizer, &w.org, "150602").await;
            if matches!(r.target, Target::FreshRatedNeedOfVolunteer) {
                let (status, body) = app.rate_need(poster, &id, 4, "").await;
                assert_eq!(status, StatusCode::CREATED, "{body}");
            }
            r.path.replace("{id}", &id)
        }
        Target::FreshBackfill => {
            let organizer = w.callers[6].as_ref().expect("organizer");
            let member = app.volunteer().await;
            app.join_org(organizer, &w.org, &member).await;
            let (activity, shift, start) =
                app.past_shift(organizer, &w.org, 2 * DAY, 3 * 3600).await;
            let evidence = app.evidence(&member, &activity).await;
            let (status, b) = app
                .apply_backfill(&member, &w.org, &shift, (start, start + 3600), &[&evidence])
                .await;
            assert_eq!(status, StatusCode::CREATED, "{b}");
            r.path.replace("{id}", b["id"].as_str().expect("id"))
        }
        Target::Record => r.path.replace("{id}", &w.record),
        Target::RecordShift => r.path.replace("{id}", &w.record_shift),
        Target::Certificate => r.path.replace("{code}", &w.certificate),
        Target::DisputedRecord => {
            let (v, organizer) = (
                w.callers[1].as_ref().expect("volunteer"),
                w.callers[6].as_ref().expect("organizer"),
            );
            let (record, _, _) = record_of_volunteer(app, &w.org, organizer, v).await;
            let (status, body) = app
                .post(
                    &format!("/api/records/{record}/dispute"),
                    &json!({"reason": "时长不对"}),
                    &v.token,
                )
                .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
            r.path.replace("{id}", &record)
        }
        Target::PendingMember => {
            let applicant = app.volunteer().await;
            let (status, _) = app
                .send_json(
                    Method::POST,
                    &format!("/api/orgs/{}/members", w.org),
                    &Value::Null,
                    Some(&applicant.token),
                )
                .await;
            assert_eq!(status, StatusCode::CREATED);
            r.path
                .replace("{id}", &w.org)
                .replace("{user_id}", &applicant.id)
        }
    };
    format!("{path}{}", r.query)
}

pub(super) async fn body(app: &TestApp, w: &World, b: Body) -> Value {
    match b {
        Body::None => Value::Null,
        Body::NewAccount => {
            let phone = zhiyuan_tests::phone(app.next());
            let code = app.code_for(&phone, "register").await;
            json!({
                "phone": phone, "code": code, "password": PASSWORD, "display_name": "新用户"
            })
        }
        Body::CodeRequest => json!({
            "phone": zhiyuan_tests::phone(app.next()), "purpose": "register"
        }),
        Body::Reset => {
            // Written through the store: a registration would have sent this phone its
            // one code of the minute already.
            let hash = zhiyuan_functions::crypto::hash_password(PASSWORD).expect("hash");
            let phone = zhiyuan_tests::phone(app.next());
            let someone = app
                .accounts_in_store(std::slice::from_ref(&phone), &hash)
                .await
                .remove(0);
            let code = app.code_for(&someone.phone, "reset").await;
            json!({"phone": someone.phone, "code": code, "new_password": "a-new-pass-2026"})
        }
        Body::Login => json!({"phone": w.login.phone, "password": PASSWORD}),
        Body::Volunteer => volunteer_body(&id_number(app.next())),
        Body::Station => station_body("改站", "150602", 39.80, 109.94, "square"),
        Body::Org => org_body(&format!("新队{}", app.next()), "150602"),
        Body::Reason => json!({"reason": "材料不全"}),
        Body::Activity => activity_body(&w.org, &[(4 * DAY, 3600, 5)]),
        Body::Code => json!({"code": "123456"}),
        Body::Attendance => json!({
            "user_id": w.callers[1].as_ref().expect("volunteer").id,
            "check_in": Timestamp::from_unix(w.record_start).rfc3339_cst(),
        }),
        Body::Correction => json!({
            "check_out": Timestamp::from_unix(w.record_start + 2 * 3600).rfc3339_cst(),
            "reason": "核对",
        }),
        Body::Transfer => w.transfer.clone(),
        Body::Need => need_body(),
        Body::NoticeSettings => json!({"sms": ["promoted"], "quiet_hours": true}),
        Body::Nomination => json!({
            "kind": "community", "name": "建设社区", "honour": "示范社区", "region_code": "150602",
            "year": zhiyuan_functions::service::stats::year_of(zhiyuan_functions::clock::now_unix()),
            "story": "社区志愿服务站常年开展助老助残、环境整治等活动，居民参与率高。",
        }),
        Body::Claim => json!({ "org_id": w.org }),
        Body::Dispatch => json!({ "org_id": w.org, "answer_by": zhiyuan_tests::in_seconds(DAY) }),
        Body::Decline => json!({ "reason": "本周人手不足" }),
        Body::Upload => json!({"kind": "photo", "name": "合影.jpg", "size": 1000}),
        Body::GuardianConsent => json!({
            "name": "李秀英", "phone": zhiyuan_tests::phone(app.next()), "relationship": "母亲",
            "consent": true,
        }),
        Body::WrongCode => json!({"code": "000000"}),
        Body::WrongPassword => json!({
            "current_password": "not-the-password", "new_password": "another-pass-2026",
            "password": "not-the-password",
        }),
        Body::AppealPhoto => json!({"name": "身份证.jpg", "size": 1000}),
        Body::Appeal => json!({
            "real_name": "李真名", "id_number": id_number(900_000 + app.next()),
            "photo_id": "01J00000000000000000000000", "reason": "是我的", "consent": true,
        }),
        Body::Backfill => json!({
            "shift_id": w.shift,
            "check_in": Timestamp::from_unix(w.record_start).rfc3339_cst(),
            "check_out": Timestamp::from_unix(w.record_start + 3600).rfc3339_cst(),
            "content": "纸质签到", "evidence": ["01J00000000000000000000000"],
        }),
        Body::ActivityEdit => json!({
            "title": "社区敬老助餐（改）", "description": "为空巢老人送餐", "requirements": "",
        }),
        Body::Rating => json!({"stars": 5, "comment": "很满意"}),
        Body::RatingReply => json!({"text": "谢谢您的评价"}),
        Body::AssistedCode => json!({ "phone": zhiyuan_tests::phone(app.next()) }),
        Body::Assisted => json!({
            "display_name": "王奶奶", "real_name": "王秀兰",
            "id_number": id_number(800_000 + app.next()), "region_code": "150602",
            "service_fields": ["community_service"], "consent": true,
            "paper_consent": true, "consent_note": "纸质同意书第1号",
        }),
    }
}
