//! Argon2 runs on a bounded pool: past its slots and queue a sign-in is refused at once
//! with 429 and Retry-After, instead of one more 19 MiB job; once the burst has passed,
//! the same sign-in goes through.

use futures::future::join_all;
use reqwest::StatusCode;
use zhiyuan_functions::password_pool::PasswordPool;
use zhiyuan_tests::{Deployment, fresh_store, phone, spawn_deployment};

const PASSWORD: &str = "correct-horse-9";

#[tokio::test]
async fn sign_ins_past_a_full_password_pool_are_told_to_retry_and_then_get_in() {
    let app = spawn_deployment(
        fresh_store().await,
        Deployment {
            // One hash at a time, nobody waiting: the second of a simultaneous pair is refused.
            password_pool: PasswordPool::new(1, 0),
            ..Deployment::default()
        },
    )
    .await;
    let hash = zhiyuan_functions::crypto::hash_password(PASSWORD).expect("hash");
    let phones: Vec<String> = (0..8).map(|_| phone(app.next())).collect();
    app.accounts_in_store(&phones, &hash).await;
    let http = reqwest::Client::new();
    let sign_in = |p: String| {
        let http = http.clone();
        let url = format!("{}/api/auth/login", app.base);
        async move {
            let r = http
                .post(url)
                .json(&serde_json::json!({"phone": p, "password": PASSWORD}))
                .send()
                .await
                .expect("POST");
            let retry = r
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .map(String::from);
            let status = r.status();
            let body: serde_json::Value = r.json().await.unwrap_or_default();
            (status, retry, body)
        }
    };
    let answers = join_all(phones.iter().cloned().map(sign_in)).await;
    let refused: Vec<_> = answers
        .iter()
        .filter(|(s, _, _)| *s == StatusCode::TOO_MANY_REQUESTS)
        .collect();
    assert!(
        answers
            .iter()
            .all(|(s, _, _)| *s == StatusCode::OK || *s == StatusCode::TOO_MANY_REQUESTS),
        "{answers:?}"
    );
    assert!(
        answers.iter().any(|(s, _, _)| *s == StatusCode::OK),
        "{answers:?}"
    );
    assert!(
        !refused.is_empty(),
        "eight at once on one slot: {answers:?}"
    );
    for (_, retry, body) in &refused {
        assert_eq!(retry.as_deref(), Some("1"));
        assert_eq!(body["error"]["code"], "too_many_requests");
    }
    // One at a time, everyone gets in.
    for p in &phones {
        let (status, _, body) = sign_in(p.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}
