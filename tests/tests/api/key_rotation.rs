//! Personal-data key rotation: values sealed under version 1 keep opening while the key
//! set moves to version 2, the rotation re-seals every one of them (resuming from its
//! saved place, idempotent), a change made during the run is never lost, and once it has
//! run, version 1 can be dropped with everything still readable.

use reqwest::{Method, StatusCode};
use serde_json::json;
use zhiyuan_functions::crypto::{Keys, sealed_version};
use zhiyuan_functions::service::pii_rotation::{self, RotationReport};
use zhiyuan_functions::store::Store;
use zhiyuan_functions::store::pii_rotation::RotationCursor;
use zhiyuan_tests::{
    Deployment, PASSWORD, TestApp, User, phone, spawn_app, spawn_deployment, volunteer_aged,
};

/// The test deployment's plain secret, now version 1 of a key set (and its index key).
const V1_AND_V2: &str = r#"{"current": 2, "keys": {"1": "test-pii-secret-0123456789abcdef0123", "2": "test-pii-secret-version-two-0123456789"}, "index": "test-pii-secret-0123456789abcdef0123"}"#;
/// After the rotation: version 1 dropped, the index key kept.
const V2_ONLY: &str = r#"{"current": 2, "keys": {"2": "test-pii-secret-version-two-0123456789"}, "index": "test-pii-secret-0123456789abcdef0123"}"#;

async fn deployment(store: &Store, pii_secret: &'static str) -> TestApp {
    spawn_deployment(
        store.clone(),
        Deployment {
            pii_secret,
            ..Deployment::default()
        },
    )
    .await
}

/// Every sealed value of `user` in the store, opened with `keys`, with its version.
async fn opened(store: &Store, keys: &Keys, user: &User) -> Vec<(u32, String)> {
    let u = store.get_user(&user.id).await.expect("read").expect("user");
    let mut sealed = vec![u.phone_sealed];
    if let Some(v) = u.volunteer {
        sealed.push(v.id_sealed);
        if let Some(g) = v.guardian {
            sealed.push(g.phone_sealed);
        }
    }
    sealed
        .iter()
        .map(|s| {
            (
                sealed_version(s).expect("versioned"),
                keys.open(s).expect("opens"),
            )
        })
        .collect()
}

async fn give_consent(app: &TestApp, user: &User, guardian_phone: &str) {
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/me/guardian-consent",
            &json!({"name": "李秀英", "phone": guardian_phone, "relationship": "母亲", "consent": true}),
            Some(&user.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// A volunteer can still sign in (the phone's blind index) and see their own account.
async fn still_signs_in(app: &TestApp, user: &User) {
    let token = app.login(&user.phone, PASSWORD).await;
    let me = app.get_as("/api/me", &token).await;
    assert_eq!(me["user_id"], user.id.as_str(), "{me}");
    let last4 = &user.phone[user.phone.len() - 4..];
    assert!(
        me["phone_masked"]
            .as_str()
            .is_some_and(|m| m.ends_with(last4)),
        "the phone opens: {me}"
    );
}

#[tokio::test]
async fn values_sealed_under_v1_read_through_the_rotation_and_after_v1_is_dropped() {
    let old = spawn_app().await;
    let mut people = vec![old.register().await];
    for _ in 0..3 {
        people.push(old.volunteer().await);
    }
    let teen = volunteer_aged(&old, 16).await;
    give_consent(&old, &teen, &phone(old.next())).await;
    people.push(teen);
    let mut plain = Vec::new();
    for p in &people {
        let values = opened(&old.store, &old.keys, p).await;
        assert!(values.iter().all(|(v, _)| *v == 1));
        plain.push(values.into_iter().map(|(_, s)| s).collect::<Vec<_>>());
    }

    // The key set moves to v2 with v1 kept: old values open, new ones seal under v2.
    let both = deployment(&old.store, V1_AND_V2).await;
    for p in &people {
        still_signs_in(&both, p).await;
    }
    // (Another app on the same table counts its phones from the start: one of its own.)
    let newcomer = both.register_phone(&phone(900_000 + old.next())).await;
    assert_eq!(opened(&both.store, &both.keys, &newcomer).await[0].0, 2);

    // Two users a page, so the run saves and follows its cursor several times.
    let report = pii_rotation::run(&both.store, &both.keys, 2)
        .await
        .expect("rotation runs");
    // 1 phone + 3 × (phone, ID) + the teen's phone, ID and guardian's phone.
    assert_eq!(report.resealed, 1 + 3 * 2 + 3, "{report:?}");
    assert_eq!(report.users, people.len() as u64 + 1);
    assert_eq!(report.unreadable, 0);
    for (p, before) in people.iter().zip(&plain) {
        let after = opened(&both.store, &both.keys, p).await;
        assert!(after.iter().all(|(v, _)| *v == 2), "all under v2 now");
        assert_eq!(
            &after.into_iter().map(|(_, s)| s).collect::<Vec<_>>(),
            before
        );
    }
    assert!(
        both.store.rotation_cursor().await.expect("read").is_none(),
        "a finished run leaves no cursor"
    );

    let again = pii_rotation::run(&both.store, &both.keys, 2)
        .await
        .expect("runs again");
    assert_eq!(again.resealed, 0, "a second run finds nothing to do");

    // Version 1 dropped: everything still opens, and everyone still signs in.
    let new = deployment(&old.store, V2_ONLY).await;
    for (p, before) in people.iter().zip(&plain) {
        let after = opened(&new.store, &new.keys, p).await;
        assert_eq!(
            &after.into_iter().map(|(_, s)| s).collect::<Vec<_>>(),
            before
        );
        still_signs_in(&new, p).await;
    }
}

#[tokio::test]
async fn a_guardian_changed_during_the_rotation_is_not_overwritten_with_the_old_one() {
    let old = spawn_app().await;
    let teen = volunteer_aged(&old, 16).await;
    give_consent(&old, &teen, &phone(old.next())).await;
    let both = deployment(&old.store, V1_AND_V2).await;

    // The run reads the user…
    let (page, _) = both.store.sealed_users_page(None, 100).await.expect("scan");
    let read = page
        .into_iter()
        .find(|u| u.user_id == teen.id)
        .expect("the teen");
    // …then the guardian changes through a function still sealing under v1…
    let changed = phone(old.next());
    give_consent(&old, &teen, &changed).await;
    // …then the run writes what it read, re-sealed.
    let mut report = RotationReport::default();
    pii_rotation::reseal_one(&both.store, &both.keys, read, &mut report)
        .await
        .expect("re-seals");

    assert_eq!(report.retried, 1, "the stale write was refused and redone");
    let values = opened(&both.store, &both.keys, &teen).await;
    assert_eq!(values[2].1, changed, "the new guardian's phone is kept");
    assert!(values.iter().all(|(v, _)| *v == 2), "{values:?}");
}

#[tokio::test]
async fn a_stopped_run_resumes_from_its_saved_place_for_the_same_version_only() {
    let old = spawn_app().await;
    for _ in 0..4 {
        old.register().await;
    }
    let both = deployment(&old.store, V1_AND_V2).await;
    // The scan reads three items a page, users or not (the regions share the table),
    // until a page held users: a run that stopped there…
    let (mut first, mut resume) = (Vec::new(), None);
    while first.is_empty() {
        let (page, next) = both.store.sealed_users_page(resume, 3).await.expect("scan");
        first.extend(page);
        resume = next;
    }
    let resume = resume.expect("more users to come");
    // …left this cursor behind.
    let cursor = RotationCursor {
        version: 2,
        resume: resume.clone(),
        resealed: 0,
    };
    both.store
        .save_rotation_cursor(&cursor)
        .await
        .expect("save");
    let report = pii_rotation::run(&both.store, &both.keys, 2)
        .await
        .expect("resumes");
    assert_eq!(
        report.users as usize,
        4 - first.len(),
        "only the users after the cursor"
    );
    for u in &first {
        assert_eq!(sealed_version(&u.phone), Some(1));
    }

    // A cursor left by a rotation to another version is not followed.
    both.store
        .save_rotation_cursor(&RotationCursor {
            version: 7,
            ..cursor
        })
        .await
        .expect("save");
    let report = pii_rotation::run(&both.store, &both.keys, 2)
        .await
        .expect("starts over");
    assert_eq!(report.users, 4);
    assert_eq!(
        report.resealed as usize,
        first.len(),
        "the phones before the stale cursor"
    );
}

/// The template names secrets by ARN and never holds their values, and each function may
/// read exactly the secrets it is given: the scheduled one no session secret.
#[test]
fn each_function_is_given_and_may_read_only_its_own_secrets() {
    use serde_yaml::Value as Yaml;
    let text = std::fs::read_to_string(zhiyuan_tests::workspace_root().join("template.yaml"))
        .expect("template.yaml");
    assert!(
        !text.contains("{{resolve:"),
        "no secret resolved into the template"
    );
    let doc: Yaml = serde_yaml::from_str(&text).expect("template parses");
    let names = |v: &Yaml| -> Vec<String> {
        v.as_mapping()
            .map(|m| {
                m.keys()
                    .filter_map(|k| k.as_str().map(String::from))
                    .collect()
            })
            .unwrap_or_default()
    };
    let global_env = names(&doc["Globals"]["Function"]["Environment"]["Variables"]);
    let secrets = ["SessionSecret", "PiiSecret", "SmsTencentSecret"];
    let mut seen = Vec::new();
    for (binary, expected) in [
        ("public-api", vec!["SessionSecret", "PiiSecret"]),
        (
            "admin-api",
            vec!["SessionSecret", "PiiSecret", "SmsTencentSecret"],
        ),
        ("scheduled", vec!["PiiSecret", "SmsTencentSecret"]),
    ] {
        let f = doc["Resources"]
            .as_mapping()
            .expect("Resources")
            .values()
            .find(|r| r["Metadata"]["BuildProperties"]["Binary"].as_str() == Some(binary))
            .expect("the function");
        let mut env = global_env.clone();
        env.extend(names(&f["Properties"]["Environment"]["Variables"]));
        for plain in [
            "ZHIYUAN_SESSION_SECRET",
            "ZHIYUAN_PII_SECRET",
            "ZHIYUAN_SMS_TENCENT_SECRET_ID",
            "ZHIYUAN_SMS_TENCENT_SECRET_KEY",
        ] {
            assert!(!env.iter().any(|e| e == plain), "{binary} holds {plain}");
        }
        // The secrets its role may read, by logical name, as written in its policy.
        let policies = serde_yaml::to_string(&f["Properties"]["Policies"]).expect("yaml");
        let readable: Vec<&str> = policies
            .split("secretsmanager:GetSecretValue")
            .nth(1)
            .map(|after| {
                let statement = after.split("- Effect").next().unwrap_or_default();
                secrets
                    .iter()
                    .copied()
                    .filter(|s| {
                        statement
                            .split(|c: char| !c.is_ascii_alphanumeric())
                            .any(|w| w == *s)
                    })
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(readable, expected, "{binary} may read");
        let named: Vec<&str> = secrets
            .iter()
            .copied()
            .filter(|s| {
                let var = match *s {
                    "SessionSecret" => "ZHIYUAN_SESSION_SECRET_ARN",
                    "PiiSecret" => "ZHIYUAN_PII_SECRET_ARN",
                    _ => "ZHIYUAN_SMS_TENCENT_SECRET_ARN",
                };
                env.iter().any(|e| e == var)
            })
            .collect();
        assert_eq!(named, expected, "{binary} is told of");
        seen.push(binary);
    }
    assert_eq!(seen.len(), 3);
}

/// The scheduled function is given no session secret: its SMS dispatcher still opens the
/// phone a notice goes to and sends it (and under a key set, any version opens).
#[tokio::test]
async fn the_sms_dispatcher_runs_with_the_personal_data_keys_alone() {
    use zhiyuan_functions::crypto::PiiKeySet;
    use zhiyuan_functions::service::sms_notices::drain;
    use zhiyuan_functions::sms::SmsSender;
    use zhiyuan_shared::time::Timestamp;

    let app = spawn_app().await;
    let v = app.volunteer().await;
    let (organizer, a, shift) = app.activity_with_places(1).await;
    assert_eq!(app.sign_up(&v.token, &shift).await.1["status"], "confirmed");
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/activities/{}/cancel", a["id"].as_str().expect("id")),
            &json!({"reason": "暴雪"}),
            Some(&organizer.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let pii_only = Keys::new(None, &PiiKeySet::parse(V1_AND_V2).expect("key set")).expect("keys");
    assert!(!pii_only.can_sign());
    // Tomorrow at 10:00 Beijing time: outside the quiet hours.
    let tomorrow = Timestamp::from_unix(zhiyuan_functions::clock::now_unix()).plus(86_400);
    let at =
        Timestamp::parse(&format!("{}T10:00:00+08:00", tomorrow.cst_date().iso())).expect("a time");
    let sms = SmsSender::Outbox {
        path: app.outbox.clone(),
    };
    let run = drain(&app.store, &pii_only, &sms, at)
        .await
        .expect("drained");
    assert_eq!(run.sent, 1, "{run:?}");
    assert!(
        app.sms_to(&v.phone)
            .iter()
            .any(|m| m["kind"] == "activity_cancelled"),
        "the text reached the volunteer's phone"
    );
}
