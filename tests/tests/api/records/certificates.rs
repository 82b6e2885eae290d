//! Certificates, and anyone verifying one.

use super::{H, confirm, id};
use reqwest::StatusCode;
use serde_json::json;
use zhiyuan_functions::clock::now_unix;
use zhiyuan_tests::{shift_under_way, spawn_app};

#[tokio::test]
async fn a_certificate_lists_the_confirmed_records_and_anyone_can_verify_its_code() {
    let app = spawn_app().await;
    let v = app.volunteer().await;
    let (status, body) = app.get_with("/api/me/certificate", Some(&v.token)).await;
    assert_eq!(
        (status, &body["error"]["code"]),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!("no_confirmed_records")
        )
    );

    let (organizer, org, shift) = shift_under_way(&app, &[&v], 5 * H, 4 * H).await;
    let now = now_unix();
    let r = app
        .attendance(&organizer, &shift, &v.id, now - 5 * H, Some(now - 2 * H))
        .await;
    confirm(&app, &organizer, &id(&r)).await;

    let cert = app.get_as("/api/me/certificate", &v.token).await;
    assert_eq!(cert["total_hours"], 3.0);
    assert_eq!(cert["holder"]["id_type"], "resident_id");
    assert!(
        cert["holder"]["id_masked"]
            .as_str()
            .is_some_and(|m| m.contains("**********"))
    );
    assert_eq!(cert["records"].as_array().map(Vec::len), Some(1));
    let again = app.get_as("/api/me/certificate", &v.token).await;
    assert_eq!(
        again["verification_code"], cert["verification_code"],
        "same content, same code"
    );
    let by_org = app
        .get_as(&format!("/api/me/certificate?org={org}"), &v.token)
        .await;
    assert!(
        by_org["issuer"]["organisation"]
            .as_str()
            .is_some_and(|o| !o.is_empty())
    );
    assert!(
        by_org["issuer"]["person_in_charge"]
            .as_str()
            .is_some_and(|o| !o.is_empty())
    );
    assert_ne!(by_org["verification_code"], cert["verification_code"]);

    let code = cert["verification_code"].as_str().expect("code");
    let (status, check) = app
        .get(&format!("/api/certificates/{}", code.to_lowercase()))
        .await;
    assert_eq!(status, StatusCode::OK, "{check}");
    assert_eq!(check["number"], cert["number"]);
    assert_eq!(check["total_hours"], 3.0);
    let real_name = cert["holder"]["real_name"].as_str().expect("name");
    assert_ne!(
        check["holder_name"], real_name,
        "the public page masks the name"
    );
    let (status, _) = app.get("/api/certificates/ZZZZZZZZZZZZ").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
