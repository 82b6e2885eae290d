//! The authorization matrix: every route × every kind of caller, with the status each
//! must get. The table must name every route of `routes::ROUTES`, so a new route cannot
//! be added without deciding who may call it.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use zhiyuan_functions::routes::ROUTES;
use zhiyuan_shared::time::Timestamp;
use zhiyuan_tests::{
    DAY, PASSWORD, TestApp, User, activity_body, id_number, move_shift, org_body, spawn_app,
    station_body, volunteer_body,
};

/// The callers, in the column order of [`Row::expect`].
const PERSONAS: [&str; 7] = [
    "anonymous",
    "volunteer",
    "organizer of another org",
    "admin of another banner",
    "admin of the banner",
    "city admin",
    "organizer of this org",
];

/// What a row acts on; state-changing rows get a fresh target per caller.
#[derive(Clone, Copy)]
enum Target {
    Nothing,
    Station,
    FreshStation,
    ApprovedOrg,
    PendingOrg,
    PendingMember,
    Activity,
    FreshActivity,
    Shift,
    FreshShift,
    /// The volunteer persona's confirmed record, and its shift (under way).
    Record,
    RecordShift,
    /// A fresh record of the volunteer persona with an open dispute.
    DisputedRecord,
    Certificate,
    /// A fresh open need posted by a resident.
    FreshNeed,
    /// A fresh need claimed by this org.
    FreshClaimedNeed,
    /// A nomination by the city admin.
    FreshNomination,
    /// A file the organizer uploaded to the activity, not yet completed: `{id}` and
    /// `{file_id}`.
    FreshUpload,
}

/// The body a row sends; fresh values per call where uniqueness matters.
#[derive(Clone, Copy)]
enum Body {
    None,
    NewAccount,
    Login,
    Volunteer,
    Station,
    Org,
    Reason,
    Activity,
    Code,
    Attendance,
    Correction,
    Transfer,
    Need,
    Nomination,
    /// Claim for this org.
    Claim,
    /// An archive upload request.
    Upload,
}

struct Row {
    method: &'static str,
    path: &'static str,
    query: &'static str,
    target: Target,
    body: Body,
    expect: [u16; 7],
}

const fn row(
    method: &'static str,
    path: &'static str,
    query: &'static str,
    target: Target,
    body: Body,
    expect: [u16; 7],
) -> Row {
    Row {
        method,
        path,
        query,
        target,
        body,
        expect,
    }
}

const OPEN: [u16; 7] = [200; 7];
const SIGNED_IN: [u16; 7] = [401, 200, 200, 200, 200, 200, 200];
const BANNER_ADMINS: [u16; 7] = [401, 403, 403, 403, 200, 200, 403];
const ORG_MANAGERS: [u16; 7] = [401, 403, 403, 403, 200, 200, 200];
/// Real-name volunteers (the admin personas are not).
const VOLUNTEERS: [u16; 7] = [401, 200, 200, 403, 403, 403, 200];

/// Rows run in this order; the ones that change a caller (real-name registration,
/// logging out) come last.
fn matrix() -> Vec<Row> {
    use Body as B;
    use Target as T;
    vec![
        row("get", "/api/health", "", T::Nothing, B::None, OPEN),
        row("get", "/api/openapi.json", "", T::Nothing, B::None, OPEN),
        row("get", "/api/regions", "", T::Nothing, B::None, OPEN),
        row(
            "get",
            "/api/stations",
            "?region=150602",
            T::Nothing,
            B::None,
            OPEN,
        ),
        row("get", "/api/stations/{id}", "", T::Station, B::None, OPEN),
        row("get", "/api/me", "", T::Nothing, B::None, SIGNED_IN),
        row("get", "/api/me/orgs", "", T::Nothing, B::None, SIGNED_IN),
        row("post", "/api/me/reveal", "", T::Nothing, B::None, SIGNED_IN),
        row(
            "get",
            "/api/orgs",
            "?region=150602",
            T::Nothing,
            B::None,
            OPEN,
        ),
        row(
            "get",
            "/api/orgs",
            "?region=150602&status=pending",
            T::Nothing,
            B::None,
            BANNER_ADMINS,
        ),
        row("get", "/api/orgs/{id}", "", T::ApprovedOrg, B::None, OPEN),
        row(
            "get",
            "/api/orgs/{id}",
            "",
            T::PendingOrg,
            B::None,
            [404, 404, 404, 404, 200, 200, 404],
        ),
        row(
            "get",
            "/api/orgs/{id}/members",
            "",
            T::ApprovedOrg,
            B::None,
            ORG_MANAGERS,
        ),
        row(
            "get",
            "/api/orgs/{id}/members",
            "?status=pending",
            T::ApprovedOrg,
            B::None,
            ORG_MANAGERS,
        ),
        row(
            "post",
            "/api/auth/register",
            "",
            T::Nothing,
            B::NewAccount,
            [201; 7],
        ),
        row("post", "/api/auth/login", "", T::Nothing, B::Login, OPEN),
        row(
            "post",
            "/api/stations",
            "",
            T::Nothing,
            B::Station,
            [401, 403, 403, 403, 201, 201, 403],
        ),
        row(
            "put",
            "/api/stations/{id}",
            "",
            T::FreshStation,
            B::Station,
            BANNER_ADMINS,
        ),
        row(
            "post",
            "/api/orgs",
            "",
            T::Nothing,
            B::Org,
            [401, 201, 201, 403, 403, 403, 201],
        ),
        row(
            "post",
            "/api/orgs/{id}/approve",
            "",
            T::PendingOrg,
            B::None,
            BANNER_ADMINS,
        ),
        row(
            "post",
            "/api/orgs/{id}/reject",
            "",
            T::PendingOrg,
            B::Reason,
            BANNER_ADMINS,
        ),
        row(
            "post",
            "/api/orgs/{id}/members",
            "",
            T::ApprovedOrg,
            B::None,
            [401, 201, 201, 403, 403, 403, 409],
        ),
        row(
            "post",
            "/api/orgs/{id}/members/{user_id}/approve",
            "",
            T::PendingMember,
            B::None,
            ORG_MANAGERS,
        ),
        row("get", "/api/activities", "", T::Nothing, B::None, OPEN),
        row(
            "get",
            "/api/activities/{id}",
            "",
            T::Activity,
            B::None,
            OPEN,
        ),
        row(
            "get",
            "/api/shifts/{id}/signups",
            "",
            T::Shift,
            B::None,
            ORG_MANAGERS,
        ),
        row(
            "get",
            "/api/me/activities",
            "",
            T::Nothing,
            B::None,
            SIGNED_IN,
        ),
        row("get", "/api/me/notices", "", T::Nothing, B::None, SIGNED_IN),
        row(
            "get",
            "/api/shifts/{id}/checkin-code",
            "",
            T::Shift,
            B::None,
            ORG_MANAGERS,
        ),
        row(
            "get",
            "/api/shifts/{id}/records",
            "",
            T::Shift,
            B::None,
            ORG_MANAGERS,
        ),
        row(
            "get",
            "/api/records/{id}",
            "",
            T::Record,
            B::None,
            [401, 200, 403, 403, 200, 200, 200],
        ),
        row("get", "/api/me/records", "", T::Nothing, B::None, SIGNED_IN),
        row(
            "get",
            "/api/certificates/{code}",
            "",
            T::Certificate,
            B::None,
            OPEN,
        ),
        row("get", "/api/perks", "", T::Nothing, B::None, OPEN),
        row("get", "/api/transfers/key", "", T::Nothing, B::None, OPEN),
        row(
            "get",
            "/api/stats",
            "?region=150602",
            T::Nothing,
            B::None,
            OPEN,
        ),
        row(
            "get",
            "/api/stats/compliance",
            "?region=150602&group=party_member",
            T::Nothing,
            B::None,
            BANNER_ADMINS,
        ),
        row(
            "get",
            "/api/me/transfer",
            "",
            T::Nothing,
            B::None,
            VOLUNTEERS,
        ),
        // Only the volunteer persona has confirmed records to certify.
        row(
            "get",
            "/api/me/certificate",
            "",
            T::Nothing,
            B::None,
            [401, 200, 422, 403, 403, 403, 422],
        ),
        // Nobody here has a place on the shift; admins are not volunteers at all.
        row(
            "post",
            "/api/shifts/{id}/checkin",
            "",
            T::Shift,
            B::Code,
            [401, 403, 403, 403, 403, 403, 403],
        ),
        // Managers get through to the rule: the record is confirmed already.
        row(
            "post",
            "/api/shifts/{id}/attendance",
            "",
            T::RecordShift,
            B::Attendance,
            [401, 403, 403, 403, 409, 409, 409],
        ),
        row(
            "post",
            "/api/shifts/{id}/records/confirm",
            "",
            T::Shift,
            B::None,
            ORG_MANAGERS,
        ),
        row(
            "post",
            "/api/records/{id}/confirm",
            "",
            T::Record,
            B::None,
            ORG_MANAGERS,
        ),
        row(
            "post",
            "/api/records/{id}/correct",
            "",
            T::Record,
            B::Correction,
            ORG_MANAGERS,
        ),
        row(
            "post",
            "/api/records/{id}/dispute",
            "",
            T::Record,
            B::Reason,
            [401, 201, 403, 403, 403, 403, 403],
        ),
        row(
            "post",
            "/api/records/{id}/answer",
            "",
            T::DisputedRecord,
            B::Reason,
            ORG_MANAGERS,
        ),
        // The volunteer lives in the banner: its admins (and the city's) may import.
        row(
            "post",
            "/api/transfers",
            "",
            T::Nothing,
            B::Transfer,
            [401, 403, 403, 403, 200, 200, 403],
        ),
        row(
            "post",
            "/api/activities",
            "",
            T::Nothing,
            B::Activity,
            [401, 403, 403, 403, 403, 403, 201],
        ),
        row(
            "post",
            "/api/activities/{id}/cancel",
            "",
            T::FreshActivity,
            B::Reason,
            ORG_MANAGERS,
        ),
        // Admin personas are not real-name volunteers.
        row(
            "post",
            "/api/shifts/{id}/signups",
            "",
            T::FreshShift,
            B::None,
            [401, 201, 201, 403, 403, 403, 201],
        ),
        row(
            "delete",
            "/api/shifts/{id}/signups/me",
            "",
            T::Shift,
            B::None,
            [401, 404, 404, 404, 404, 404, 404],
        ),
        row(
            "get",
            "/api/needs",
            "?region=150602",
            T::Nothing,
            B::None,
            OPEN,
        ),
        row("get", "/api/needs/{id}", "", T::FreshNeed, B::None, OPEN),
        row("get", "/api/me/needs", "", T::Nothing, B::None, SIGNED_IN),
        row("get", "/api/nominations", "", T::Nothing, B::None, OPEN),
        row(
            "get",
            "/api/nominations/{id}",
            "",
            T::FreshNomination,
            B::None,
            OPEN,
        ),
        row(
            "post",
            "/api/nominations",
            "",
            T::Nothing,
            B::Nomination,
            [401, 403, 403, 403, 201, 201, 403],
        ),
        row(
            "post",
            "/api/needs",
            "",
            T::Nothing,
            B::Need,
            [401, 201, 201, 201, 201, 201, 201],
        ),
        // Only an organizer of the claiming organisation, for it.
        row(
            "post",
            "/api/needs/{id}/claim",
            "",
            T::FreshNeed,
            B::Claim,
            [401, 403, 403, 403, 403, 403, 200],
        ),
        row(
            "post",
            "/api/needs/{id}/complete",
            "",
            T::FreshClaimedNeed,
            B::None,
            [401, 403, 403, 403, 403, 403, 200],
        ),
        row(
            "get",
            "/api/stats/reports",
            "?region=150602",
            T::Nothing,
            B::None,
            BANNER_ADMINS,
        ),
        row(
            "get",
            "/api/activities/{id}/attachments",
            "",
            T::Activity,
            B::None,
            ORG_MANAGERS,
        ),
        // Only the activity's own organizers file and remove; admins read.
        row(
            "post",
            "/api/activities/{id}/attachments",
            "",
            T::Activity,
            B::Upload,
            [401, 403, 403, 403, 403, 403, 201],
        ),
        row(
            "post",
            "/api/activities/{id}/attachments/{file_id}/complete",
            "",
            T::FreshUpload,
            B::None,
            [401, 403, 403, 403, 403, 403, 200],
        ),
        row(
            "delete",
            "/api/activities/{id}/attachments/{file_id}",
            "",
            T::FreshUpload,
            B::None,
            [401, 403, 403, 403, 403, 403, 204],
        ),
        // The link itself is the permission (as with S3's presigned URLs): whoever calls,
        // a made-up one is refused.
        row(
            "put",
            "/api/uploads/{ticket}",
            "",
            T::Nothing,
            B::None,
            [403; 7],
        ),
        row(
            "get",
            "/api/files/{ticket}",
            "",
            T::Nothing,
            B::None,
            [403; 7],
        ),
        row(
            "post",
            "/api/me/notices/read",
            "",
            T::Nothing,
            B::None,
            [401, 204, 204, 204, 204, 204, 204],
        ),
        row(
            "post",
            "/api/me/volunteer",
            "",
            T::Nothing,
            B::Volunteer,
            [401, 409, 409, 201, 201, 201, 409],
        ),
        row(
            "post",
            "/api/auth/logout",
            "",
            T::Nothing,
            B::None,
            [401, 204, 204, 204, 204, 204, 204],
        ),
    ]
}

struct World {
    callers: [Option<User>; 7],
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

async fn world(app: &TestApp) -> World {
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
    let transfer = app.get_as("/api/me/transfer", &volunteer.token).await;
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

async fn resolve(app: &TestApp, w: &World, r: &Row) -> String {
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
        Target::FreshShift => {
            let a = fresh_activity(app, w).await;
            r.path
                .replace("{id}", a["shifts"][0]["id"].as_str().expect("shift"))
        }
        Target::PendingOrg => r.path.replace("{id}", &pending_org(app).await),
        Target::FreshNeed => r.path.replace("{id}", &fresh_need(app, w).await),
        Target::FreshNomination => {
            let admin = w.callers[5].as_ref().expect("city admin");
            let (status, n) = app
                .post(
                    "/api/nominations",
                    &body(app, w, Body::Nomination),
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

fn body(app: &TestApp, w: &World, b: Body) -> Value {
    match b {
        Body::None => Value::Null,
        Body::NewAccount => json!({
            "phone": zhiyuan_tests::phone(app.next()), "password": PASSWORD, "display_name": "新用户"
        }),
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
        Body::Nomination => json!({
            "kind": "community", "name": "建设社区", "honour": "示范社区", "region_code": "150602",
            "year": zhiyuan_functions::service::stats::year_of(zhiyuan_functions::clock::now_unix()),
            "story": "社区志愿服务站常年开展助老助残、环境整治等活动，居民参与率高。",
        }),
        Body::Claim => json!({ "org_id": w.org }),
        Body::Upload => json!({"kind": "photo", "name": "合影.jpg", "size": 1000}),
    }
}

#[test]
fn the_matrix_names_every_route() {
    let rows: BTreeSet<(String, String)> = matrix()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let routes: BTreeSet<(String, String)> = ROUTES
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    assert_eq!(rows, routes);
}

#[tokio::test]
async fn every_route_answers_each_kind_of_caller_as_the_matrix_says() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let mut wrong = Vec::new();
    for r in matrix() {
        for (i, caller) in w.callers.iter().enumerate() {
            let path = resolve(&app, &w, &r).await;
            let method = Method::from_bytes(r.method.to_uppercase().as_bytes()).expect("method");
            let mut req = app
                .http
                .request(method, format!("{}{path}", app.base))
                .json(&body(&app, &w, r.body));
            if let Some(u) = caller {
                req = req.bearer_auth(&u.token);
            }
            let status = req.send().await.expect("sent").status().as_u16();
            if status != r.expect[i] {
                wrong.push(format!(
                    "{} {path} as {}: {status}, expected {}",
                    r.method, PERSONAS[i], r.expect[i]
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
