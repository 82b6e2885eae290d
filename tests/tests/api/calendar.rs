//! The private calendar feed: my confirmed shifts as iCalendar in Asia/Shanghai time,
//! withdrawn and cancelled ones marked cancelled, nobody else's; a new address revokes
//! the old one. The feed is read back with the `ical` crate, not with our writer.

use ical::parser::ical::component::{IcalCalendar, IcalEvent};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use zhiyuan_tests::{DAY, TestApp, User, activity_body, spawn_app};

/// A title with the characters iCalendar escapes and long enough to be folded.
const TITLE: &str = "社区敬老助餐，关爱空巢老人；送餐上门\\陪伴聊天与健康咨询志愿服务（第一期）";

async fn new_feed(app: &TestApp, user: &User) -> String {
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/me/calendar",
            &Value::Null,
            Some(&user.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let url = body["url"].as_str().expect("url").to_string();
    assert!(url.starts_with("http") && url.ends_with(body["path"].as_str().expect("path")));
    url
}

/// GETs a feed without signing in: status, content type, cache control, body.
async fn fetch(app: &TestApp, url: &str) -> (StatusCode, String, String, String) {
    let resp = app.http.get(url).send().await.expect("GET sent");
    let header = |n: &str| {
        resp.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let (ct, cc) = (header("content-type"), header("cache-control"));
    let status = resp.status();
    (status, ct, cc, resp.text().await.expect("body"))
}

fn parse(text: &str) -> IcalCalendar {
    let mut reader = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let cal = reader.next().expect("one calendar").expect("parses");
    assert!(reader.next().is_none());
    cal
}

fn prop<'a>(props: &'a [ical::property::Property], name: &str) -> Option<&'a str> {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.as_deref())
}

/// Undoes RFC 5545 TEXT escaping.
fn unescape(v: &str) -> String {
    let mut out = String::new();
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(x) => out.push(x),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `2026-12-01T09:30:00+08:00` → `20261201T093000`.
fn local(rfc3339: &str) -> String {
    assert!(rfc3339.ends_with("+08:00"), "{rfc3339}");
    rfc3339
        .chars()
        .take(19)
        .filter(|c| *c != '-' && *c != ':')
        .collect()
}

fn event_of<'a>(cal: &'a IcalCalendar, shift_id: &str) -> Option<&'a IcalEvent> {
    cal.events.iter().find(|e| {
        prop(&e.properties, "UID").is_some_and(|u| u.starts_with(&format!("{shift_id}.")))
    })
}

/// Publishes an activity of one shift starting `days` from now; returns it.
async fn activity(app: &TestApp, organizer: &User, org: &str, days: i64, title: &str) -> Value {
    let mut body = activity_body(org, &[(days * DAY, 3 * 3600, 1)]);
    body["title"] = json!(title);
    app.publish(organizer, &body).await
}

fn shift_of(a: &Value) -> String {
    a["shifts"][0]["id"].as_str().expect("shift").to_string()
}

#[tokio::test]
async fn the_feed_holds_my_confirmed_shifts_in_shanghai_time_with_cancellations_and_nobody_elses() {
    let app = spawn_app().await;
    let (organizer, org) = app.approved_org("150602").await;
    let me = app.volunteer().await;
    let other = app.volunteer().await;

    let kept = activity(&app, &organizer, &org, 2, TITLE).await;
    let withdrawn = activity(&app, &organizer, &org, 3, "河道清洁").await;
    let called_off = activity(&app, &organizer, &org, 4, "图书整理").await;
    let waiting = activity(&app, &organizer, &org, 5, "义诊引导").await;
    let theirs = activity(&app, &organizer, &org, 6, "植树活动").await;
    for a in [&kept, &withdrawn, &called_off] {
        assert_eq!(
            app.sign_up(&me.token, &shift_of(a)).await.0,
            StatusCode::CREATED
        );
    }
    // The one place of `waiting` goes to the other volunteer; I am only on its waitlist.
    assert_eq!(
        app.sign_up(&other.token, &shift_of(&waiting)).await.0,
        StatusCode::CREATED
    );
    let (status, w) = app.sign_up(&me.token, &shift_of(&waiting)).await;
    assert_eq!(
        (status, w["status"].as_str()),
        (StatusCode::CREATED, Some("waitlisted"))
    );
    assert_eq!(
        app.sign_up(&other.token, &shift_of(&theirs)).await.0,
        StatusCode::CREATED
    );
    assert_eq!(
        app.cancel_signup(&me.token, &shift_of(&withdrawn)).await.0,
        StatusCode::NO_CONTENT
    );
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!(
                "/api/activities/{}/cancel",
                called_off["id"].as_str().expect("id")
            ),
            &json!({"reason": "暴雪"}),
            Some(&organizer.token),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let url = new_feed(&app, &me).await;
    let (status, content_type, cache, text) = fetch(&app, &url).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(content_type, "text/calendar; charset=utf-8");
    assert!(cache.starts_with("private"), "{cache}");
    assert!(
        text.split("\r\n").all(|l| l.len() <= 75),
        "folded at 75 octets"
    );
    assert!(
        !text.replace("\r\n", "").contains('\n'),
        "CRLF line ends only"
    );

    let cal = parse(&text);
    assert_eq!(prop(&cal.properties, "VERSION"), Some("2.0"));
    assert!(prop(&cal.properties, "PRODID").is_some());
    assert!(prop(&cal.properties, "X-WR-CALNAME").is_some());
    let tz = cal.timezones.first().expect("a VTIMEZONE");
    assert_eq!(prop(&tz.properties, "TZID"), Some("Asia/Shanghai"));

    let k = event_of(&cal, &shift_of(&kept)).expect("my confirmed shift");
    assert_eq!(
        prop(&k.properties, "SUMMARY").map(unescape).as_deref(),
        Some(TITLE)
    );
    assert_eq!(prop(&k.properties, "STATUS"), Some("CONFIRMED"));
    let start = k
        .properties
        .iter()
        .find(|p| p.name == "DTSTART")
        .expect("DTSTART");
    assert_eq!(
        start
            .params
            .as_ref()
            .and_then(|ps| ps.iter().find(|(n, _)| n == "TZID"))
            .map(|(_, v)| v.clone()),
        Some(vec!["Asia/Shanghai".to_string()])
    );
    assert_eq!(
        start.value.as_deref(),
        Some(local(kept["shifts"][0]["starts_at"].as_str().expect("start")).as_str())
    );
    assert_eq!(
        prop(&k.properties, "DTEND"),
        Some(local(kept["shifts"][0]["ends_at"].as_str().expect("end")).as_str())
    );
    assert_eq!(
        prop(&k.properties, "LOCATION").map(unescape).as_deref(),
        kept["address"].as_str()
    );
    let description = prop(&k.properties, "DESCRIPTION")
        .map(unescape)
        .unwrap_or_default();
    assert!(
        description.contains(kept["org_name"].as_str().expect("org name")),
        "{description}"
    );
    let link = prop(&k.properties, "URL").expect("URL");
    assert!(link.ends_with(&format!("/activities/{}", kept["id"].as_str().expect("id"))));
    assert!(prop(&k.properties, "DTSTAMP").is_some_and(|s| s.ends_with('Z')));

    for cancelled in [&withdrawn, &called_off] {
        let e = event_of(&cal, &shift_of(cancelled)).expect("a cancelled shift stays, marked");
        assert_eq!(prop(&e.properties, "STATUS"), Some("CANCELLED"));
    }
    assert!(
        event_of(&cal, &shift_of(&waiting)).is_none(),
        "waitlisted is no shift of mine"
    );
    assert!(
        event_of(&cal, &shift_of(&theirs)).is_none(),
        "nobody else's shifts"
    );
    assert_eq!(cal.events.len(), 3);

    // Signing up again for the withdrawn shift brings it back confirmed, with its UID.
    let uid = prop(
        &event_of(&cal, &shift_of(&withdrawn)).expect("e").properties,
        "UID",
    )
    .map(String::from);
    assert_eq!(
        app.sign_up(&me.token, &shift_of(&withdrawn)).await.0,
        StatusCode::CREATED
    );
    let cal = parse(&fetch(&app, &url).await.3);
    let again = event_of(&cal, &shift_of(&withdrawn)).expect("back");
    assert_eq!(prop(&again.properties, "STATUS"), Some("CONFIRMED"));
    assert_eq!(prop(&again.properties, "UID").map(String::from), uid);
    assert_eq!(cal.events.len(), 3);
}

#[tokio::test]
async fn a_new_address_revokes_the_old_one_at_once() {
    let app = spawn_app().await;
    let me = app.volunteer().await;
    let first = new_feed(&app, &me).await;
    assert_eq!(fetch(&app, &first).await.0, StatusCode::OK);
    let second = new_feed(&app, &me).await;
    assert_ne!(first, second);
    assert_eq!(fetch(&app, &first).await.0, StatusCode::NOT_FOUND);
    assert_eq!(fetch(&app, &second).await.0, StatusCode::OK);
    // The token: at least 128 random bits, in characters a URL carries as they are.
    let token = second
        .rsplit('/')
        .next()
        .and_then(|s| s.strip_suffix(".ics"))
        .expect("token");
    assert!(token.len() >= 22, "{token}");
    assert!(
        token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
}

#[tokio::test]
async fn an_unknown_token_finds_no_feed() {
    let app = spawn_app().await;
    for path in [
        "/api/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics",
        "/api/calendar/nothing.ics",
        "/api/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
    ] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(body["error"]["code"], "not_found");
    }
}

#[tokio::test]
async fn a_feed_ends_with_its_account() {
    use aws_sdk_dynamodb::types::AttributeValue;
    let app = spawn_app().await;
    let me = app.volunteer().await;
    let url = new_feed(&app, &me).await;
    assert_eq!(fetch(&app, &url).await.0, StatusCode::OK);
    app.store
        .client()
        .delete_item()
        .table_name(app.store.table_name())
        .key("PK", AttributeValue::S(format!("USER#{}", me.id)))
        .key("SK", AttributeValue::S("USER".into()))
        .send()
        .await
        .expect("delete the account");
    assert_eq!(fetch(&app, &url).await.0, StatusCode::NOT_FOUND);
}
