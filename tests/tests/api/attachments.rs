//! The activity archive: organizers upload through presigned links (this server's
//! stand-in for S3 locally), every upload is checked for type, size and content before
//! it is kept, and files are only ever offered as downloads.

use reqwest::{Method, StatusCode};
use serde_json::Value;
use zhiyuan_functions::files::Ticket;
use zhiyuan_tests::{DAY, TestApp, User, activity_body, sample_file, spawn_app};

async fn activity_of_new_org(app: &TestApp) -> (User, String) {
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(&organizer, &activity_body(&org, &[(2 * DAY, 3600, 5)]))
        .await;
    (
        organizer,
        a["id"].as_str().expect("activity id").to_string(),
    )
}

async fn archive(app: &TestApp, user: &User, activity: &str) -> (StatusCode, Value) {
    app.get_with(
        &format!("/api/activities/{activity}/attachments"),
        Some(&user.token),
    )
    .await
}

fn files_on_disk(app: &TestApp, part: &str, activity: &str) -> usize {
    std::fs::read_dir(app.files_dir.join(part).join(activity))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[tokio::test]
async fn an_organizer_files_a_plan_and_a_photo_and_the_banner_admin_downloads_them() {
    let app = spawn_app().await;
    let (organizer, activity) = activity_of_new_org(&app).await;
    let plan = app
        .attach(&organizer, &activity, "plan", "活动方案.pdf")
        .await;
    assert_eq!(plan["status"], "stored");
    assert_eq!(plan["content_type"], "application/pdf");
    assert_eq!(plan["uploaded_by"], "测试用户");
    app.attach(&organizer, &activity, "photo", "合影.png").await;

    let (status, mine) = archive(&app, &organizer, &activity).await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    assert_eq!(mine["can_upload"], true);
    let names: Vec<&str> = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|f| f["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["活动方案.pdf", "合影.png"]);

    let admin = app.region_admin("150602").await;
    let (status, theirs) = archive(&app, &admin, &activity).await;
    assert_eq!(status, StatusCode::OK, "{theirs}");
    assert_eq!(theirs["can_upload"], false, "admins read, organizers file");
    let url = theirs["items"][0]["download_url"].as_str().expect("url");
    let resp = app
        .http
        .get(format!("{}{url}", app.base))
        .send()
        .await
        .expect("download");
    assert_eq!(resp.status(), StatusCode::OK);
    let header = |name: &str| {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header("content-type"), "application/pdf");
    assert!(
        header("content-disposition").starts_with("attachment;"),
        "always a download, never a page"
    );
    assert!(header("content-disposition").contains("filename*=UTF-8''%E6%B4%BB"));
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(header("content-security-policy").contains("sandbox"));
    assert!(
        resp.headers()
            .get_all("content-security-policy")
            .iter()
            .any(|v| v
                .to_str()
                .unwrap_or_default()
                .contains("frame-ancestors 'none'")),
        "the app's policy applies as well"
    );
    let body = resp.bytes().await.expect("bytes");
    assert_eq!(body.to_vec(), sample_file("pdf", 2048));

    assert_eq!(files_on_disk(&app, "files", &activity), 2);
    assert_eq!(files_on_disk(&app, "incoming", &activity), 0);
}

#[tokio::test]
async fn types_sizes_and_names_are_checked_before_any_upload_link_is_given() {
    let app = spawn_app().await;
    let (organizer, activity) = activity_of_new_org(&app).await;
    for (name, ct, size, field) in [
        ("page.html", "text/html", 100, "name"),
        ("logo.svg", "image/svg+xml", 100, "name"),
        ("setup.exe", "", 100, "name"),
        ("方案.pdf", "text/html", 100, "content_type"),
        ("照片.jpg", "image/png", 100, "content_type"),
        ("照片.jpg", "", 10 * 1024 * 1024 + 1, "size"),
        ("空的.pdf", "", 0, "size"),
    ] {
        let (status, body) = app
            .request_upload(&organizer, &activity, "photo", name, ct, size)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {body}");
        assert_eq!(body["error"]["field"], field, "{name}: {body}");
    }
    let (status, body) = app
        .request_upload(&organizer, &activity, "video", "a.pdf", "", 10)
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("kind"))
    );
    // The name is kept, minus any path a browser or a crafted request put in front.
    let (status, ticket) = app
        .request_upload(
            &organizer,
            &activity,
            "plan",
            "../../etc/活动方案.pdf",
            "application/pdf",
            10,
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    assert_eq!(ticket["attachment"]["name"], "活动方案.pdf");
    assert_eq!(ticket["attachment"]["status"], "pending");
    let (_, list) = archive(&app, &organizer, &activity).await;
    assert_eq!(
        list["items"],
        Value::Array(vec![]),
        "pending files are not listed"
    );
}

#[tokio::test]
async fn a_file_that_is_not_what_it_claims_is_thrown_away_with_the_reason() {
    let app = spawn_app().await;
    let (organizer, activity) = activity_of_new_org(&app).await;
    let script = b"<html><script>alert(1)</script></html>".to_vec();
    let (status, ticket) = app
        .request_upload(
            &organizer,
            &activity,
            "photo",
            "合影.png",
            "image/png",
            script.len(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{ticket}");
    assert_eq!(
        app.send_upload(&ticket, script).await,
        StatusCode::NO_CONTENT
    );
    let (status, body) = app.complete_upload(&organizer, &activity, &ticket).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["field"], "file");
    assert!(
        body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("image/png")),
        "{body}"
    );
    assert_eq!(
        files_on_disk(&app, "incoming", &activity),
        0,
        "bytes removed"
    );
    let (status, _) = app.complete_upload(&organizer, &activity, &ticket).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the attachment is gone too");

    // Fewer bytes than announced are refused at completion, as S3 would leave them.
    let (_, short) = app
        .request_upload(&organizer, &activity, "plan", "方案.pdf", "", 4096)
        .await;
    app.send_upload(&short, sample_file("pdf", 100)).await;
    let (status, body) = app.complete_upload(&organizer, &activity, &short).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("file")),
        "{body}"
    );
    let (_, list) = archive(&app, &organizer, &activity).await;
    assert_eq!(list["items"], Value::Array(vec![]));
}

#[tokio::test]
async fn an_upload_link_takes_only_its_own_bytes_type_and_time() {
    let app = spawn_app().await;
    let (organizer, activity) = activity_of_new_org(&app).await;
    let (_, ticket) = app
        .request_upload(&organizer, &activity, "plan", "方案.pdf", "", 100)
        .await;
    let (status, body) = app.complete_upload(&organizer, &activity, &ticket).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "upload_missing");

    let url = ticket["upload"]["url"].as_str().expect("url").to_string();
    let put = |url: String, ct: &'static str, bytes: Vec<u8>| {
        let app = &app;
        async move {
            app.http
                .put(format!("{}{url}", app.base))
                .header("content-type", ct)
                .body(bytes)
                .send()
                .await
                .expect("sent")
                .status()
        }
    };
    assert_eq!(
        put(url.clone(), "application/pdf", sample_file("pdf", 101)).await,
        StatusCode::BAD_REQUEST,
        "more bytes than announced"
    );
    assert_eq!(
        put(url.clone(), "text/html", sample_file("pdf", 100)).await,
        StatusCode::BAD_REQUEST,
        "another content type"
    );
    assert_eq!(
        files_on_disk(&app, "incoming", &activity),
        0,
        "nothing written"
    );

    // A link with its description changed, or past its time, is refused.
    let raw = url.trim_start_matches("/api/uploads/");
    let mut t = Ticket::open(&app.keys, raw, "put", 0).expect("our own ticket opens");
    let (_, sig) = raw.split_once('.').expect("signed");
    t.size = 50_000_000;
    let body_only = t.seal(&app.keys).expect("seals");
    let forged = format!("{}.{sig}", body_only.split_once('.').expect("signed").0);
    assert_eq!(
        put(
            format!("/api/uploads/{forged}"),
            "application/pdf",
            vec![b'%'; 10]
        )
        .await,
        StatusCode::FORBIDDEN
    );
    t.size = 100;
    t.exp = 1;
    assert_eq!(
        put(
            format!("/api/uploads/{}", t.seal(&app.keys).expect("seals")),
            "application/pdf",
            sample_file("pdf", 100)
        )
        .await,
        StatusCode::FORBIDDEN,
        "expired"
    );
    // A download link cannot be used to upload, nor an upload link to download.
    let (status, _) = app.get(&url.replace("/api/uploads/", "/api/files/")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    assert_eq!(
        put(url, "application/pdf", sample_file("pdf", 100)).await,
        StatusCode::NO_CONTENT
    );
    let (status, body) = app.complete_upload(&organizer, &activity, &ticket).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, again) = app.complete_upload(&organizer, &activity, &ticket).await;
    assert_eq!(
        (status, &again["id"]),
        (StatusCode::OK, &body["id"]),
        "idempotent"
    );
}

#[tokio::test]
async fn only_the_activitys_organizers_change_the_archive_and_a_removed_file_is_gone() {
    let app = spawn_app().await;
    let (organizer, activity) = activity_of_new_org(&app).await;
    let (stranger, _) = app.approved_org("150602").await;
    let (status, _) = app
        .request_upload(&stranger, &activity, "plan", "方案.pdf", "", 100)
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = archive(&app, &stranger, &activity).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let other_banner = app.region_admin("150603").await;
    let (status, _) = archive(&app, &other_banner, &activity).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let photo = app.attach(&organizer, &activity, "photo", "合影.jpg").await;
    let file = photo["id"].as_str().expect("id");
    let link = photo["download_url"].as_str().expect("link").to_string();
    let path = format!("/api/activities/{activity}/attachments/{file}");
    let (status, _) = app
        .send_json(Method::DELETE, &path, &Value::Null, Some(&stranger.token))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .send_json(Method::DELETE, &path, &Value::Null, Some(&organizer.token))
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = archive(&app, &organizer, &activity).await;
    assert_eq!(list["items"], Value::Array(vec![]));
    assert_eq!(files_on_disk(&app, "files", &activity), 0);
    let (status, _) = app.get(&link).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an old link finds nothing");
}

#[tokio::test]
async fn an_archive_holds_a_bounded_number_of_files() {
    let app = spawn_app().await;
    let (organizer, activity) = activity_of_new_org(&app).await;
    let max = zhiyuan_shared::archive::MAX_ATTACHMENTS;
    for i in 0..max {
        let (status, body) = app
            .request_upload(&organizer, &activity, "photo", &format!("{i}.jpg"), "", 100)
            .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, body) = app
        .request_upload(&organizer, &activity, "photo", "one-more.jpg", "", 100)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "archive_full");
}

#[tokio::test]
async fn completing_twice_at_once_or_after_a_half_finished_completion_files_the_upload_once() {
    let app = spawn_app().await;
    let (organizer, activity) = activity_of_new_org(&app).await;
    let bytes = sample_file("pdf", 5000);
    let (_, ticket) = app
        .request_upload(
            &organizer,
            &activity,
            "records",
            "签到表.pdf",
            "",
            bytes.len(),
        )
        .await;
    app.send_upload(&ticket, bytes.clone()).await;
    let answers = futures::future::join_all(
        (0..6).map(|_| app.complete_upload(&organizer, &activity, &ticket)),
    )
    .await;
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::OK, "{body}");
        assert_eq!(body["status"], "stored");
    }
    assert_eq!(files_on_disk(&app, "files", &activity), 1);

    // A completion that moved the bytes and died before marking the item: the next one
    // finishes the job instead of saying the file never arrived.
    let (_, second) = app
        .request_upload(&organizer, &activity, "photo", "合影.png", "", 100)
        .await;
    app.send_upload(&second, sample_file("png", 100)).await;
    let file = second["attachment"]["id"].as_str().expect("id");
    let (from, to) = (
        app.files_dir.join("incoming").join(&activity).join(file),
        app.files_dir.join("files").join(&activity).join(file),
    );
    std::fs::rename(&from, &to).expect("move as the crashed completion did");
    let (status, body) = app.complete_upload(&organizer, &activity, &second).await;
    assert_eq!(
        (status, &body["status"]),
        (StatusCode::OK, &Value::from("stored")),
        "{body}"
    );
    let (_, list) = archive(&app, &organizer, &activity).await;
    assert_eq!(list["items"].as_array().map(Vec::len), Some(2));
}
