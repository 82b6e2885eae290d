//! The authorization matrix: every route × every kind of caller, with the status each
//! must get. The table must name every route of `routes::ROUTES`, so a new route cannot
//! be added without deciding who may call it.

mod matrix;
mod world;

use matrix::matrix;
use reqwest::Method;
use std::collections::BTreeSet;
use world::{body, resolve, world};
use zhiyuan_functions::routes::ROUTES;
use zhiyuan_tests::spawn_app;

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
    /// A fresh open need posted by the volunteer persona.
    FreshNeedOfVolunteer,
    /// A nomination by the city admin.
    FreshNomination,
    /// A file the organizer uploaded to the activity, not yet completed: `{id}` and
    /// `{file_id}`.
    FreshUpload,
    /// A fresh pending identity appeal for a 东胜区 ID number.
    FreshAppeal,
    /// A fresh need dispatched to this org by the banner's admin.
    FreshDispatchedNeed,
    /// The first occurrence of a fresh weekly series of this org.
    FreshSeries,
    /// A fresh need of the volunteer persona, served by this org and done.
    FreshDoneNeedOfVolunteer,
    /// The same, rated by the volunteer persona.
    FreshRatedNeedOfVolunteer,
    /// A fresh pending 补录 application of a fresh member of this org.
    FreshBackfill,
}

/// The body a row sends; fresh values per call where uniqueness matters.
#[derive(Clone, Copy)]
enum Body {
    None,
    /// Registration with a fresh phone and its code.
    NewAccount,
    Login,
    /// A `register` code for a fresh phone.
    CodeRequest,
    /// A password reset of a fresh account, with its code.
    Reset,
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
    /// A guardian's consent.
    GuardianConsent,
    /// Notice settings (which kinds by SMS, quiet hours).
    NoticeSettings,
    /// A password re-check with a wrong password (my account: change password, close).
    WrongPassword,
    /// An SMS-code re-check with a code nobody was sent (closing by code).
    WrongCode,
    /// An identity appeal's photo upload request.
    AppealPhoto,
    /// An identity appeal for an ID number nobody holds (every signed-in caller gets the
    /// same 400: who may file is everyone signed in).
    Appeal,
    /// An activity edit of its texts only.
    ActivityEdit,
    /// A dispatch to this org, answer within a day.
    Dispatch,
    /// A decline's reason.
    Decline,
    /// A rating of a need.
    Rating,
    /// An organizer's reply to a rating.
    RatingReply,
    /// A 补录 application for the org's future shift (so a member gets 400 `shift_id`).
    Backfill,
    /// An assisted registration's code for a fresh phone.
    AssistedCode,
    /// An assisted registration without a phone (paper consent), a fresh ID number.
    Assisted,
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
/// Whole personal data without a fresh re-check: 403 for everyone signed in.
const RECHECK: [u16; 7] = [401, 403, 403, 403, 403, 403, 403];

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
                .json(&body(&app, &w, r.body).await);
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

/// A closed account's session ended with the closing: its token opens no signed-in route
/// (every row an anonymous caller gets 401 on), as if it had never signed in.
#[tokio::test]
async fn a_closed_accounts_token_gets_401_on_every_signed_in_route() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let closed = app.volunteer().await;
    let (status, answer) = app
        .post(
            "/api/me/close",
            &serde_json::json!({"password": zhiyuan_tests::PASSWORD}),
            &closed.token,
        )
        .await;
    assert_eq!(status.as_u16(), 204, "{answer}");
    let mut wrong = Vec::new();
    let mut checked = 0;
    for r in matrix().into_iter().filter(|r| r.expect[0] == 401) {
        let path = resolve(&app, &w, &r).await;
        let method = Method::from_bytes(r.method.to_uppercase().as_bytes()).expect("method");
        let status = app
            .http
            .request(method, format!("{}{path}", app.base))
            .json(&body(&app, &w, r.body).await)
            .bearer_auth(&closed.token)
            .send()
            .await
            .expect("sent")
            .status()
            .as_u16();
        checked += 1;
        if status != 401 {
            wrong.push(format!("{} {path}: {status}", r.method));
        }
    }
    assert!(checked > 40, "only {checked} signed-in routes");
    assert!(
        wrong.is_empty(),
        "a closed account got in:\n{}",
        wrong.join("\n")
    );
}
