//! Statistics and compliance: counters kept by the writes equal a brute-force recount of
//! the table, whatever the order, repetition and faults of those writes; the dashboard's
//! scope and the compliance lists.

use rand::SeedableRng;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use zhiyuan_functions::clock::now_unix;
use zhiyuan_functions::service::stats::year_of;
use zhiyuan_functions::store::Store;
use zhiyuan_functions::store::accounts::UserItem;
use zhiyuan_functions::store::faults::{Fault, FaultInjector};
use zhiyuan_functions::store::need_ratings::NeedRatingItem;
use zhiyuan_functions::store::records::RecordItem;
use zhiyuan_shared::account::VolunteerGroup;
use zhiyuan_shared::record::star_of_minutes;
use zhiyuan_tests::{
    DAY, TestApp, User, activity_body, move_shift, shift_under_way, spawn_app, spawn_app_on,
};

const H: i64 = 3600;

/// Every item of the table: only a test may read a whole table.
pub(crate) async fn scan(
    store: &Store,
) -> Vec<HashMap<String, aws_sdk_dynamodb::types::AttributeValue>> {
    let mut out = Vec::new();
    let mut start = None;
    loop {
        let page = store
            .client()
            .scan()
            .table_name(store.table_name())
            .set_exclusive_start_key(start)
            .consistent_read(true)
            .send()
            .await
            .expect("scan");
        out.extend(page.items.unwrap_or_default());
        match page.last_evaluated_key {
            Some(k) if !k.is_empty() => start = Some(k),
            _ => return out,
        }
    }
}

fn of_type<T: for<'de> serde::Deserialize<'de>>(
    items: &[HashMap<String, aws_sdk_dynamodb::types::AttributeValue>],
    entity: &str,
) -> Vec<T> {
    items
        .iter()
        .filter(|i| i.get("entity_type").and_then(|v| v.as_s().ok()) == Some(&entity.to_string()))
        .map(|i| serde_dynamo::from_item(i.clone()).expect("decode"))
        .collect()
}

/// What the dashboard should say about one region, recounted from the items themselves.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Recount {
    registered: u64,
    active: u64,
    minutes: u64,
    stars: [u64; 6],
    organisations: u64,
    activities: u64,
    /// Ratings of needs of the region given in the year, and those with 4 or 5 stars.
    ratings: u64,
    ratings_satisfied: u64,
}

pub(crate) async fn recount(store: &Store, region: &str, year: i32) -> Recount {
    let items = scan(store).await;
    let users: Vec<UserItem> = of_type(&items, "user");
    let records: Vec<RecordItem> = of_type(&items, "record");
    let region_of: HashMap<&str, &str> = users
        .iter()
        .filter_map(|u| Some((u.id.as_str(), u.volunteer.as_ref()?.region_code.as_str())))
        .collect();
    let mut r = Recount::default();
    let mut active = HashSet::new();
    let mut total_of: HashMap<&str, u64> = HashMap::new();
    for rec in records.iter().filter(|rec| rec.counts()) {
        *total_of.entry(rec.user_id.as_str()).or_default() += u64::from(rec.minutes);
        if region_of.get(rec.user_id.as_str()) == Some(&region)
            && year_of(rec.shift_starts.unix()) == year
        {
            r.minutes += u64::from(rec.minutes);
            active.insert(rec.user_id.as_str());
        }
    }
    r.active = active.len() as u64;
    for (id, code) in &region_of {
        if *code == region {
            r.registered += 1;
            r.stars[usize::from(star_of_minutes(total_of.get(id).copied().unwrap_or(0)))] += 1;
        }
    }
    r.organisations = items
        .iter()
        .filter(|i| {
            let s = |k: &str| i.get(k).and_then(|v| v.as_s().ok()).cloned();
            s("entity_type").as_deref() == Some("org")
                && s("status").as_deref() == Some("approved")
                && s("region_code").as_deref() == Some(region)
        })
        .count() as u64;
    r.activities = items
        .iter()
        .filter(|i| {
            let s = |k: &str| i.get(k).and_then(|v| v.as_s().ok()).cloned();
            s("SK").as_deref() == Some("ACT") && s("region_code").as_deref() == Some(region)
        })
        .count() as u64;
    let ratings: Vec<NeedRatingItem> = of_type(&items, "need_rating");
    for rating in ratings
        .iter()
        .filter(|x| x.region_code == region && year_of(x.rated_unix) == year)
    {
        r.ratings += 1;
        r.ratings_satisfied += u64::from(rating.stars >= 4);
    }
    r
}

pub(crate) fn as_recount(f: &Value) -> Recount {
    let u = |k: &str| f[k].as_u64().unwrap_or_else(|| panic!("{k} in {f}"));
    let mut stars = [0u64; 6];
    for (i, s) in stars.iter_mut().enumerate() {
        *s = f["stars"][i].as_u64().expect("star count");
    }
    Recount {
        registered: u("registered"),
        active: u("active"),
        minutes: (f["hours"].as_f64().expect("hours") * 60.0).round() as u64,
        stars,
        organisations: u("organisations"),
        activities: u("activities"),
        ratings: u("ratings"),
        ratings_satisfied: u("ratings_satisfied"),
    }
}

pub(crate) fn this_year() -> i32 {
    year_of(now_unix())
}

pub(crate) async fn city_report(app: &TestApp, admin: &User) -> Value {
    app.get_as(
        &format!("/api/stats?region=150600&year={}", this_year()),
        &admin.token,
    )
    .await
}

pub(crate) fn child<'a>(report: &'a Value, code: &str) -> &'a Value {
    report["children"]
        .as_array()
        .expect("children")
        .iter()
        .find(|c| c["region_code"] == code)
        .unwrap_or_else(|| panic!("{code} in {report}"))
}

/// Each volunteer applies for hours (补录) of a shift of the first organisation three
/// days ago; each application then gets two approvals and a refusal at once, half through
/// the faulty store: the record an approval makes counts once whatever happened.
async fn backfills_decided_at_once(
    app: &zhiyuan_tests::TestApp,
    faulty: &zhiyuan_tests::TestApp,
    volunteers: &[User],
    shifts: &[zhiyuan_tests::HistoryShift],
    orgs: &[String],
) {
    let organizer = &shifts[0].organizer;
    let (activity, shift, start) = app.past_shift(organizer, &orgs[0], 3 * 24 * H, 4 * H).await;
    for (i, v) in volunteers.iter().enumerate() {
        app.join_org(organizer, &orgs[0], v).await;
        let evidence = app.evidence(v, &activity).await;
        let (status, b) = app
            .apply_backfill(
                v,
                &orgs[0],
                &shift,
                (start, start + (1 + i as i64 % 3) * H),
                &[&evidence],
            )
            .await;
        assert_eq!(status, reqwest::StatusCode::CREATED, "{b}");
        let id = b["id"].as_str().expect("id");
        let answers = futures::future::join_all([
            app.decide_backfill(organizer, id, None),
            faulty.decide_backfill(organizer, id, None),
            if i % 2 == 0 { faulty } else { app }.decide_backfill(organizer, id, Some("不符")),
        ])
        .await;
        for (status, body) in answers {
            assert!(
                status != reqwest::StatusCode::INTERNAL_SERVER_ERROR,
                "{body}"
            );
        }
    }
}

/// Registrations in two banners, then a random history of hand entries, confirmations
/// (single, shift-wide, repeated at once), corrections and voids, half of it through a
/// store that loses answers, conflicts and throttles: every banner's figures on the city
/// dashboard equal a recount of the records and volunteers.
#[tokio::test]
async fn the_dashboard_equals_a_brute_force_recount_after_a_random_history() {
    let seed: u64 = std::env::var("ZHIYUAN_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random);
    eprintln!("seed {seed} (ZHIYUAN_SEED={seed} repeats this run)");
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let app = spawn_app().await;
    let faulty = spawn_app_on(app.store.with_faults(FaultInjector::new(
        20,
        &[Fault::LostAnswer, Fault::Conflict, Fault::Throttled],
    )))
    .await;
    let mut volunteers = app
        .fast_volunteers_in(3, "150602", &[VolunteerGroup::PartyMember])
        .await;
    volunteers.extend(
        app.fast_volunteers_in(3, "150603", &[VolunteerGroup::CollegeStudent])
            .await,
    );
    let refs: Vec<&User> = volunteers.iter().collect();
    let mut shifts = Vec::new();
    let mut orgs = Vec::new();
    for k in 0..3 {
        let (organizer, org, shift) = shift_under_way(&app, &refs, (20 - 7 * k) * H, 6 * H).await;
        orgs.push(org);
        shifts.push(zhiyuan_tests::HistoryShift {
            organizer,
            shift,
            start: now_unix() - (20 - 7 * k) * H,
        });
    }
    zhiyuan_tests::random_record_history(&app, &faulty, &volunteers, &shifts, &mut rng, 50).await;
    random_ratings(&app, &faulty, &mut rng).await;
    backfills_decided_at_once(&app, &faulty, &volunteers, &shifts, &orgs).await;
    let admin = app.region_admin("150600").await;
    let report = city_report(&app, &admin).await;
    assert_eq!(report["public"], false);
    for code in ["150602", "150603"] {
        assert_eq!(
            as_recount(child(&report, code)),
            recount(&app.store, code, this_year()).await,
            "{code}, seed {seed}"
        );
    }
    let (a, b) = (child(&report, "150602"), child(&report, "150603"));
    assert_eq!(
        report["total"]["registered"].as_u64(),
        Some(a["registered"].as_u64().expect("a") + b["registered"].as_u64().expect("b")),
        "the city is the sum of its banners"
    );
    assert!(
        report["total"]["active"].as_u64() > Some(0),
        "the history confirmed something: {report}"
    );
    assert_eq!(
        report["total"]["ratings"], 6,
        "each need rated once: {report}"
    );
}

/// Needs in both banners rated with random stars, each rating sent through the faulty
/// store (retried until it answers, as a client would) and some sent twice at once or
/// repeated with other stars: the satisfaction counters must still equal a recount.
async fn random_ratings(app: &TestApp, faulty: &TestApp, rng: &mut rand::rngs::StdRng) {
    use rand::Rng;
    let resident = app.register().await;
    let (organizer, org) = app.approved_org("150602").await;
    for k in 0..6 {
        let region = ["150602", "150603"][k % 2];
        let nid = app.done_need(&resident, &organizer, &org, region).await;
        let stars: u8 = rng.gen_range(1..=5);
        loop {
            let (a, b) = tokio::join!(
                faulty.rate_need(&resident, &nid, stars, ""),
                faulty.rate_need(&resident, &nid, stars, ""),
            );
            for (status, body) in [&a, &b] {
                assert_ne!(status, &StatusCode::INTERNAL_SERVER_ERROR, "{body}");
            }
            if [a.0, b.0]
                .iter()
                .any(|s| *s == StatusCode::CREATED || *s == StatusCode::OK)
            {
                break;
            }
        }
        if rng.gen_bool(0.5) {
            let other = stars % 5 + 1;
            let (status, body) = app.rate_need(&resident, &nid, other, "").await;
            assert_eq!(status, StatusCode::CONFLICT, "{body}");
        }
    }
}

/// Five 20-hour shifts make 100 hours, ★1; voiding one takes the star back.
#[tokio::test]
async fn the_star_distribution_follows_a_volunteer_across_a_star_boundary_and_back() {
    let app = spawn_app().await;
    let v = app.fast_volunteers(1).await.remove(0);
    let (organizer, org) = app.approved_org("150602").await;
    let shifts: Vec<(i64, i64, u32)> = (0..5).map(|k| ((3 + k) * DAY, 20 * H, 1)).collect();
    let a = app.publish(&organizer, &activity_body(&org, &shifts)).await;
    let now = now_unix();
    let mut ids = Vec::new();
    for (k, s) in a["shifts"].as_array().expect("shifts").iter().enumerate() {
        let shift = s["id"].as_str().expect("id").to_string();
        app.sign_up(&v.token, &shift).await;
        let start = now - (k as i64 + 1) * DAY;
        move_shift(&app.store, &shift, start, start + 20 * H).await;
        app.attendance(&organizer, &shift, &v.id, start, Some(start + 20 * H))
            .await;
        let (status, body) = app
            .post(
                &format!("/api/shifts/{shift}/records/confirm"),
                &Value::Null,
                &organizer.token,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        ids.push(format!("{shift}{}", v.id));
    }
    let admin = app.region_admin("150602").await;
    let stars = |r: &Value| r["total"]["stars"].clone();
    let path = format!("/api/stats?region=150602&year={}", this_year());
    let report = app.get_as(&path, &admin.token).await;
    assert_eq!(stars(&report)[1], 1, "{report}");
    let (status, body) = app
        .post(
            &format!("/api/records/{}/correct", ids[0]),
            &json!({"void": true, "reason": "重复登记"}),
            &organizer.token,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let report = app.get_as(&path, &admin.token).await;
    assert_eq!(stars(&report)[1], 0, "{report}");
    assert_eq!(
        as_recount(&report["total"]),
        recount(&app.store, "150602", this_year()).await
    );
}

#[tokio::test]
async fn anyone_sees_the_key_figures_and_only_the_region_s_admins_see_its_banners() {
    let app = spawn_app().await;
    app.fast_volunteers_in(2, "150602", &[]).await;
    let year = this_year();
    let (status, public) = app
        .get(&format!("/api/stats?region=150600&year={year}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{public}");
    assert_eq!(public["public"], true);
    assert_eq!(public["total"]["registered"], 2);
    assert_eq!(public["children"], json!([]));
    assert_eq!(public["targets"]["share_percent"], 13.0);
    let banner_admin = app.region_admin("150603").await;
    let other = app
        .get_as(
            &format!("/api/stats?region=150600&year={year}"),
            &banner_admin.token,
        )
        .await;
    assert_eq!(
        other["public"], true,
        "a banner's admin does not run the city"
    );
    let city = app.region_admin("150600").await;
    let report = city_report(&app, &city).await;
    assert_eq!(report["children"].as_array().map(Vec::len), Some(9));
    assert_eq!(child(&report, "150602")["registered"], 2);
    assert_eq!(child(&report, "150603")["registered"], 0);
}

#[tokio::test]
async fn a_bad_region_or_year_is_refused_on_its_field() {
    let app = spawn_app().await;
    for (query, field) in [
        ("", "region"),
        ("region=abc", "region"),
        ("region=159900", "region"),
        ("region=150600&year=1999", "year"),
        ("region=150600&year=3000", "year"),
        ("region=150600&year=soon", "year"),
    ] {
        let (status, body) = app.get(&format!("/api/stats?{query}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}");
    }
}

/// Party members under 20 h are listed, one at 20 h is not; other groups, other regions
/// and non-admins are refused or absent.
#[tokio::test]
async fn the_compliance_list_holds_the_group_s_volunteers_under_its_yearly_minimum() {
    let app = spawn_app().await;
    let party = app
        .fast_volunteers_in(3, "150602", &[VolunteerGroup::PartyMember])
        .await;
    app.fast_volunteers_in(1, "150603", &[VolunteerGroup::PartyMember])
        .await;
    app.fast_volunteers_in(1, "150602", &[VolunteerGroup::Worker])
        .await;
    // One party member serves 20 h (one 20-hour shift), one 6 h, one nothing.
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(&organizer, &activity_body(&org, &[(3 * DAY, 20 * H, 3)]))
        .await;
    let shift = a["shifts"][0]["id"].as_str().expect("shift").to_string();
    for p in &party[..2] {
        app.sign_up(&p.token, &shift).await;
    }
    let start = now_unix() - DAY;
    move_shift(&app.store, &shift, start, start + 20 * H).await;
    app.attendance(
        &organizer,
        &shift,
        &party[0].id,
        start,
        Some(start + 20 * H),
    )
    .await;
    app.attendance(&organizer, &shift, &party[1].id, start, Some(start + 6 * H))
        .await;
    app.post(
        &format!("/api/shifts/{shift}/records/confirm"),
        &Value::Null,
        &organizer.token,
    )
    .await;
    let admin = app.region_admin("150602").await;
    let year = this_year();
    let (listed, _) = app
        .all_pages_as(
            &format!("/api/stats/compliance?region=150602&year={year}&group=party_member&limit=1"),
            &admin.token,
        )
        .await;
    let mut ids: Vec<&str> = listed
        .iter()
        .map(|e| e["user_id"].as_str().expect("id"))
        .collect();
    ids.sort();
    let mut want = vec![party[1].id.as_str(), party[2].id.as_str()];
    want.sort();
    assert_eq!(ids, want);
    let six = listed
        .iter()
        .find(|e| e["user_id"] == party[1].id.as_str())
        .expect("6 h");
    assert_eq!(
        (six["hours"].as_f64(), six["minimum_hours"].as_u64()),
        (Some(6.0), Some(20))
    );

    for (query, status, who) in [
        (
            "region=150602&group=worker",
            StatusCode::BAD_REQUEST,
            &admin,
        ),
        (
            "region=150602&group=nobody",
            StatusCode::BAD_REQUEST,
            &admin,
        ),
        ("region=150602", StatusCode::BAD_REQUEST, &admin),
        (
            "region=150603&group=party_member",
            StatusCode::FORBIDDEN,
            &admin,
        ),
        (
            "region=150602&group=party_member",
            StatusCode::FORBIDDEN,
            &organizer,
        ),
    ] {
        let (got, body) = app
            .get_with(&format!("/api/stats/compliance?{query}"), Some(&who.token))
            .await;
        assert_eq!(got, status, "{query}: {body}");
    }
    let (status, _) = app
        .get("/api/stats/compliance?region=150602&group=party_member")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn monthly_reports_keep_what_the_office_saw_at_each_months_end() {
    use zhiyuan_functions::service::reports::take_due;
    use zhiyuan_shared::time::Timestamp;
    let app = spawn_app().await;
    let year = year_of(now_unix());
    let first_of = |month: u8| {
        Timestamp::parse(&format!("{year}-{month:02}-01T00:05:00+08:00")).expect("time")
    };
    app.fast_volunteers_in(3, "150602", &[]).await;
    let written = take_due(&app.store, first_of(2)).await.expect("reports");
    assert!(written >= 10, "every region's January report: {written}");
    assert_eq!(
        take_due(&app.store, first_of(2)).await.expect("again"),
        0,
        "written once"
    );
    app.fast_volunteers_in(2, "150602", &[]).await;
    take_due(&app.store, first_of(3)).await.expect("reports");

    let url = format!("/api/stats/reports?region=150602&year={year}");
    let admin = app.region_admin("150602").await;
    let r = app.get_as(&url, &admin.token).await;
    let months = r["months"].as_array().expect("months");
    let periods: Vec<&str> = months
        .iter()
        .map(|m| m["period"].as_str().expect("period"))
        .collect();
    assert_eq!(periods, [format!("{year}-01"), format!("{year}-02")]);
    assert_eq!(months[0]["total"]["registered"], 3, "as it stood then");
    assert_eq!(months[1]["total"]["registered"], 5);
    assert_eq!(r["current"]["total"]["registered"], 5, "the month so far");
    assert_eq!(r["region_name"], "东胜区");

    let city = app.region_admin("150600").await;
    let r = app
        .get_as(
            &format!("/api/stats/reports?region=150600&year={year}"),
            &city.token,
        )
        .await;
    let dongsheng = r["months"][1]["children"]
        .as_array()
        .expect("banners")
        .iter()
        .find(|c| c["region_code"] == "150602")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        dongsheng["registered"], 5,
        "the city's report has each banner"
    );

    let other = app.region_admin("150603").await;
    let (status, _) = app.get_with(&url, Some(&other.token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = app
        .get_with("/api/stats/reports?region=15060x", Some(&admin.token))
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (StatusCode::BAD_REQUEST, Some("region"))
    );
}
