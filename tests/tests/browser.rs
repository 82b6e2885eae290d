//! End to end in headless Chromium: the built SPA served by the local server's app, with
//! the demo data. Needs `dist/` (make spa) and Debian's chromium + chromium-driver.

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use std::time::Duration;
use zhiyuan_tests::{
    free_port, spawn_app, spawn_tied_to_this_process, wait_for_port, workspace_root,
};

async fn browser() -> Client {
    // Both rustls providers are in the dependency tree (the AWS SDK brings aws-lc-rs); pick one.
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    let port = free_port();
    let log = workspace_root()
        .join("target")
        .join("test-artifacts")
        .join("chromedriver.log");
    let _ = std::fs::create_dir_all(log.parent().expect("parent"));
    spawn_tied_to_this_process("/usr/bin/chromedriver", &[format!("--port={port}")], &log);
    assert!(
        wait_for_port(port, Duration::from_secs(20)),
        "chromedriver did not start"
    );
    let profile = std::env::temp_dir().join(format!("zhiyuan-chromium-{port}"));
    let caps = json!({
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-quic", "--window-size=1280,900",
                     format!("--user-data-dir={}", profile.display())]
        }
    });
    let caps = caps.as_object().cloned().unwrap_or_default();
    ClientBuilder::rustls()
        .expect("tls")
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("connect to chromedriver")
}

async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    match c
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
    {
        Ok(el) => {
            // WebDriver clicks an element in the viewport where it is, even under the
            // phone's fixed tab bar; a person would scroll it up first, and so do the tests.
            let arg = serde_json::to_value(&el).unwrap_or_default();
            let _ = c
                .execute(
                    "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});",
                    vec![arg],
                )
                .await;
            el
        }
        Err(e) => {
            // Leave the page as it was for the person reading the failure.
            let dir = workspace_root().join("target").join("test-artifacts");
            if let Ok(png) = c.screenshot().await {
                let _ = std::fs::write(dir.join("failure.png"), png);
            }
            let url = c
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let text = c.find(Locator::Css("main")).await.ok();
            let text = match text {
                Some(m) => m.text().await.unwrap_or_default(),
                None => String::new(),
            };
            panic!("{css} did not appear on {url}: {e}\n{text}")
        }
    }
}

#[tokio::test]
async fn a_resident_finds_the_nearest_station_on_the_map_and_opens_its_page() {
    assert!(
        workspace_root().join("dist").join("index.html").exists(),
        "build the SPA first: make spa"
    );
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let c = browser().await;
    c.goto(&format!("{}/", app.base)).await.expect("open home");

    // The map with markers (Leaflet's cluster and marker icons) — tiles cannot load here.
    let map = wait_for(&c, "[data-testid=station-map]").await;
    let mut markers = 0;
    for _ in 0..100 {
        markers = c
            .find_all(Locator::Css(".leaflet-marker-icon"))
            .await
            .map(|v| v.len())
            .unwrap_or(0);
        let declared: usize = map
            .attr("data-markers")
            .await
            .ok()
            .flatten()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if markers > 0 && declared >= 190 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(markers > 0, "markers on the map");
    let title = c.title().await.unwrap_or_default();
    assert!(title.contains("志愿"), "{title}");

    // Choose a place (东胜区) instead of geolocation: the nearest list appears, nearest first.
    choose(&c, "#choose-point", "150602").await;
    wait_for(&c, "[data-testid=nearest-list] li").await;
    let distances = c
        .find_all(Locator::Css("[data-testid=nearest-list] .distance"))
        .await
        .expect("distances");
    assert!(distances.len() >= 5, "{} stations listed", distances.len());

    let shot = c.screenshot().await.expect("screenshot");
    let dir = workspace_root().join("target").join("test-artifacts");
    std::fs::write(dir.join("home.png"), shot).expect("save screenshot");

    // Open the nearest station's page.
    let first = wait_for(&c, "[data-testid=nearest-list] li a.station-link").await;
    let name = first.text().await.expect("name");
    first.click().await.expect("open station");
    let heading = wait_for(&c, "[data-testid=station-name]").await;
    assert_eq!(heading.text().await.expect("heading"), name);
    let contact = wait_for(&c, "[data-testid=station-contact]")
        .await
        .text()
        .await
        .expect("contact");
    assert!(contact.contains('*'), "contact is masked: {contact}");
    let checklist = c
        .find_all(Locator::Css("[data-testid=five-have] li"))
        .await
        .expect("checklist");
    assert_eq!(checklist.len(), 5);
    let shot = c.screenshot().await.expect("screenshot");
    std::fs::write(dir.join("station.png"), shot).expect("save screenshot");

    // Large-text mode (适老化): the switch enlarges the root font, and the choice sticks.
    let root_px = |c: Client| async move {
        c.execute(
            "return parseFloat(getComputedStyle(document.documentElement).fontSize)",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
    };
    let normal = root_px(c.clone()).await;
    c.find(Locator::Css(".switch input"))
        .await
        .expect("large-text switch")
        .click()
        .await
        .expect("click");
    wait_for(&c, "html.large-text").await;
    let large = root_px(c.clone()).await;
    assert!(large >= normal * 1.2, "large text {large}px vs {normal}px");
    c.refresh().await.expect("reload");
    wait_for(&c, "html.large-text").await;

    // English switch, then an unknown page.
    c.find(Locator::Css(".lang-switch"))
        .await
        .expect("switch")
        .click()
        .await
        .expect("click");
    wait_for(&c, "html[lang=en]").await;
    c.goto(&format!("{}/no/such/page", app.base))
        .await
        .expect("open unknown");
    let h1 = wait_for(&c, "#nf-title").await.text().await.expect("h1");
    assert_eq!(h1, "Page not found");
    c.close().await.expect("close browser");
}

async fn fill(c: &Client, css: &str, text: &str) {
    let el = wait_for(c, css).await;
    el.clear().await.expect("clear");
    el.send_keys(text).await.expect("type");
}

/// Picks `value` in the `<select>` at `css`, once that option has loaded.
async fn choose(c: &Client, css: &str, value: &str) {
    wait_for(c, &format!("{css} option[value='{value}']")).await;
    wait_for(c, css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("choose {value} in {css}: {e}"));
}

async fn submit(c: &Client) {
    wait_for(c, "form button[type=submit]")
        .await
        .click()
        .await
        .expect("submit");
}

async fn sign_in(c: &Client, base: &str, phone: &str, password: &str) {
    c.goto(&format!("{base}/login")).await.expect("open login");
    fill(c, "#f-phone", phone).await;
    fill(c, "#f-password", password).await;
    submit(c).await;
    wait_for(c, "[data-testid=me-title]").await;
}

async fn sign_out(c: &Client, base: &str) {
    c.goto(&format!("{base}/me")).await.expect("open me");
    wait_for(c, "[data-testid=logout]")
        .await
        .click()
        .await
        .expect("logout");
    wait_for(c, "[data-testid=station-map]").await;
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    let dir = zhiyuan_tests::target_dir().join("test-artifacts");
    std::fs::write(dir.join(name), png).expect("save screenshot");
}

async fn focused_id(c: &Client) -> String {
    c.execute(
        "return document.activeElement && document.activeElement.id",
        vec![],
    )
    .await
    .ok()
    .and_then(|v| v.as_str().map(String::from))
    .unwrap_or_default()
}

#[tokio::test]
async fn a_resident_becomes_a_volunteer_founds_an_organisation_and_admits_a_member() {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");

    // Register: straight into "my account".
    c.goto(&format!("{base}/register")).await.expect("open");
    fill(&c, "#f-phone", "13912340001").await;
    fill(&c, "#f-password", "browser-pass-1").await;
    fill(&c, "#f-display_name", "小赵").await;
    submit(&c).await;
    wait_for(&c, "[data-testid=me-title]").await;
    wait_for(&c, ".callout a.button")
        .await
        .click()
        .await
        .expect("become a volunteer");

    // A wrong check digit is caught in the browser, in Chinese, with focus on the field.
    fill(&c, "#f-real_name", "赵志愿").await;
    fill(&c, "#f-id_number", "150602199001010010").await;
    submit(&c).await;
    let err = wait_for(&c, "#f-id_number-err:not([hidden])").await;
    assert!(
        err.text().await.expect("text").contains("校验位"),
        "translated"
    );
    assert_eq!(focused_id(&c).await, "f-id_number");
    shot(&c, "volunteer-form-error.png").await;
    let first17 = "15060219900101001";
    let id = format!(
        "{first17}{}",
        zhiyuan_shared::identity::check_digit(first17).expect("digit")
    );
    fill(&c, "#f-id_number", &id).await;
    choose(&c, "#f-region_code", "150602").await;
    wait_for(&c, "#f-service_fields")
        .await
        .click()
        .await
        .expect("field");
    wait_for(&c, "#f-consent")
        .await
        .click()
        .await
        .expect("consent");
    submit(&c).await;
    let no = wait_for(&c, ".volunteer-no")
        .await
        .text()
        .await
        .expect("no");
    assert!(no.starts_with("150602"), "{no}");
    let masked = wait_for(&c, ".id-number").await.text().await.expect("id");
    assert!(
        masked.contains("**********") && !masked.contains(&id),
        "{masked}"
    );

    // Register an organisation: it waits for the banner's admin.
    c.goto(&format!("{base}/orgs/new")).await.expect("open");
    fill(&c, "#f-name", "东胜区银龄关爱队").await;
    choose(&c, "#f-org_type", "community").await;
    choose(&c, "#f-region_code", "150602").await;
    wait_for(&c, "#f-service_fields")
        .await
        .click()
        .await
        .expect("field");
    submit(&c).await;
    let status = wait_for(&c, ".org-status")
        .await
        .text()
        .await
        .expect("status");
    assert_eq!(status, "待审核");
    let org_url = c.current_url().await.expect("url").to_string();
    sign_out(&c, &base).await;

    // The region admin of 东胜区 approves it from the queue.
    sign_in(
        &c,
        &base,
        "13800000002",
        zhiyuan_functions::seed::DEMO_PASSWORD,
    )
    .await;
    c.goto(&format!("{base}/admin")).await.expect("open admin");
    let item = wait_for(&c, ".admin-queue li").await;
    assert!(
        item.text()
            .await
            .expect("text")
            .contains("东胜区银龄关爱队")
    );
    shot(&c, "admin-queue.png").await;
    wait_for(&c, ".admin-queue li button.approve")
        .await
        .click()
        .await
        .expect("approve");
    wait_for(&c, "p.muted").await;
    sign_out(&c, &base).await;

    // The demo volunteer asks to join.
    sign_in(
        &c,
        &base,
        "13800000004",
        zhiyuan_functions::seed::DEMO_PASSWORD,
    )
    .await;
    c.goto(&org_url).await.expect("open org");
    wait_for(&c, "[data-testid=join]")
        .await
        .click()
        .await
        .expect("join");
    wait_for(&c, "p.notice[role=status]").await;
    sign_out(&c, &base).await;

    // The founder approves the request; the roster shows names, never phone numbers.
    sign_in(&c, &base, "13912340001", "browser-pass-1").await;
    c.goto(&org_url).await.expect("open org");
    let request = wait_for(&c, ".join-requests li").await;
    assert!(request.text().await.expect("text").contains("李志愿"));
    wait_for(&c, ".join-requests li button")
        .await
        .click()
        .await
        .expect("approve");
    let mut roster = String::new();
    for _ in 0..50 {
        roster = wait_for(&c, ".roster")
            .await
            .text()
            .await
            .unwrap_or_default();
        if roster.contains("李志愿") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(
        roster.contains("李志愿") && roster.contains("赵志愿"),
        "{roster}"
    );
    assert!(
        !roster.contains("1380000") && !roster.contains("13912340001"),
        "no phones"
    );
    shot(&c, "org-roster.png").await;
    c.close().await.expect("close browser");
}

/// Sets an input's value the way typing would (datetime-local inputs ignore send_keys'
/// format), firing the `input` event the page listens to.
async fn set_value(c: &Client, css: &str, value: &str) {
    wait_for(c, css).await;
    c.execute(
        "const el = document.querySelector(arguments[0]); el.value = arguments[1]; \
         el.dispatchEvent(new Event('input', {bubbles: true}));",
        vec![json!(css), json!(value)],
    )
    .await
    .expect("set value");
}

#[tokio::test]
async fn an_organizer_publishes_and_a_volunteer_finds_it_at_the_station_signs_up_and_cancels() {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let (_, orgs) = app.get("/api/orgs?region=150602").await;
    let org = orgs["items"][0]["id"]
        .as_str()
        .expect("demo org")
        .to_string();
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");

    // The demo organizer publishes from the organisation's page.
    sign_in(
        &c,
        &base,
        "13800000003",
        zhiyuan_functions::seed::DEMO_PASSWORD,
    )
    .await;
    c.goto(&format!("{base}/orgs/{org}"))
        .await
        .expect("open org");
    wait_for(&c, "a.button.primary[href^='/activities/new']")
        .await
        .click()
        .await
        .expect("publish link");
    choose(&c, "#f-org_id", &org).await;
    fill(&c, "#f-title", "浏览器测试助老活动").await;
    fill(&c, "#f-description", "陪伴老人聊天").await;
    choose(&c, "#f-service_field", "elderly_care").await;
    choose(&c, "#f-region_code", "150602").await;
    let station = wait_for(&c, "#f-station_id option:nth-child(2)")
        .await
        .attr("value")
        .await
        .expect("attr")
        .expect("a station");
    choose(&c, "#f-station_id", &station).await;
    let day = zhiyuan_shared::time::Timestamp::from_unix(
        zhiyuan_functions::clock::now_unix() + 5 * 86_400,
    )
    .cst_date()
    .iso();
    set_value(&c, "#f-shift-0-starts", &format!("{day}T09:00")).await;
    set_value(&c, "#f-shift-0-ends", &format!("{day}T11:30")).await;
    set_value(&c, "#f-shift-0-places", "2").await;
    shot(&c, "activity-form.png").await;
    submit(&c).await;
    wait_for(&c, "#activity-title").await;
    let url = c.current_url().await.expect("url");
    let activity_id = url.path().trim_start_matches("/activities/").to_string();

    // The organizer files the plan in the activity's archive, and a fake photo (a web
    // page named .png) is refused after its bytes are read.
    let dir = zhiyuan_tests::target_dir()
        .join("test-artifacts")
        .join("archive");
    std::fs::create_dir_all(&dir).expect("upload dir");
    let plan = dir.join("活动方案.pdf");
    std::fs::write(&plan, zhiyuan_tests::sample_file("pdf", 3000)).expect("plan file");
    let fake = dir.join("合影.png");
    std::fs::write(&fake, b"<html><script>alert(1)</script></html>").expect("fake file");
    choose(&c, "#f-archive-kind", "plan").await;
    wait_for(&c, "#f-archive-file")
        .await
        .send_keys(&plan.to_string_lossy())
        .await
        .expect("pick plan");
    wait_for(&c, ".archive-upload button[type=submit]")
        .await
        .click()
        .await
        .expect("upload");
    let link = wait_for(&c, ".archive-files a[download]").await;
    assert_eq!(link.text().await.expect("name"), "活动方案.pdf");
    let href = link.attr("href").await.expect("attr").expect("href");
    let file = app
        .http
        .get(format!("{base}{href}"))
        .send()
        .await
        .expect("download");
    assert_eq!(
        file.bytes().await.expect("bytes").to_vec(),
        zhiyuan_tests::sample_file("pdf", 3000)
    );
    choose(&c, "#f-archive-kind", "photo").await;
    wait_for(&c, "#f-archive-file")
        .await
        .send_keys(&fake.to_string_lossy())
        .await
        .expect("pick fake");
    wait_for(&c, ".archive-upload button[type=submit]")
        .await
        .click()
        .await
        .expect("upload");
    wait_for_text(&c, ".archive [role=status]", "已丢弃").await;
    shot(&c, "activity-archive.png").await;
    let (_, a) = app
        .get_with(
            &format!("/api/activities/{activity_id}/attachments"),
            Some(
                &app.login("13800000003", zhiyuan_functions::seed::DEMO_PASSWORD)
                    .await,
            ),
        )
        .await;
    assert_eq!(a["items"].as_array().map(Vec::len), Some(1), "{a}");
    sign_out(&c, &base).await;

    // The demo volunteer finds it on the station's page, signs up, then cancels.
    sign_in(
        &c,
        &base,
        "13800000004",
        zhiyuan_functions::seed::DEMO_PASSWORD,
    )
    .await;
    c.goto(&format!("{base}/stations/{station}"))
        .await
        .expect("station");
    wait_for(&c, &format!("a[href='/activities/{activity_id}']"))
        .await
        .click()
        .await
        .expect("open activity");
    wait_for(&c, ".shifts button.primary")
        .await
        .click()
        .await
        .expect("sign up");
    let msg = wait_for(&c, ".shifts .badge")
        .await
        .text()
        .await
        .expect("badge");
    assert_eq!(msg, "已报名");
    shot(&c, "activity-signed-up.png").await;
    let (_, a) = app.get(&format!("/api/activities/{activity_id}")).await;
    assert_eq!(a["shifts"][0]["taken"], 1);
    wait_for(&c, ".shifts button:not(.primary)")
        .await
        .click()
        .await
        .expect("cancel");
    wait_for(&c, ".shifts button.primary").await;
    let (_, a) = app.get(&format!("/api/activities/{activity_id}")).await;
    assert_eq!(a["shifts"][0]["taken"], 0);
    c.close().await.expect("close browser");
}

/// The text of the first element matching `css`, once it contains `wanted`.
async fn wait_for_text(c: &Client, css: &str, wanted: &str) -> String {
    for _ in 0..100 {
        if let Ok(el) = c.find(Locator::Css(css)).await
            && let Ok(text) = el.text().await
            && text.contains(wanted)
        {
            return text;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let text = wait_for(c, css).await.text().await.unwrap_or_default();
    panic!("{css} never read {wanted:?}; it reads {text:?}")
}

#[tokio::test]
async fn a_volunteer_checks_in_and_out_the_organizer_confirms_and_the_certificate_verifies() {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let (_, orgs) = app.get("/api/orgs?region=150602").await;
    let org = orgs["items"][0]["id"]
        .as_str()
        .expect("demo org")
        .to_string();
    let organizer = app.login("13800000003", password).await;
    let volunteer = app.login("13800000004", password).await;
    let me = app.get_as("/api/me", &volunteer).await;
    let volunteer_id = me["user_id"].as_str().expect("id").to_string();

    // An activity the volunteer signed up for, now under way for three hours; they have
    // 97.5 hours from earlier service, so this shift takes them to ★1.
    let a = app
        .post(
            "/api/activities",
            &zhiyuan_tests::activity_body(&org, &[(3 * zhiyuan_tests::DAY, 3600, 5)]),
            &organizer,
        )
        .await
        .1;
    let shift = a["shifts"][0]["id"].as_str().expect("shift").to_string();
    let (status, body) = app.sign_up(&volunteer, &shift).await;
    assert_eq!(status.as_u16(), 201, "{body}");
    let now = zhiyuan_functions::clock::now_unix();
    zhiyuan_tests::move_shift(&app.store, &shift, now - 3 * 3600, now + 3600).await;
    zhiyuan_tests::set_served_minutes(&app.store, &volunteer_id, 97 * 60 + 30).await;

    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");

    // The organizer opens the shift's check-in screen: a code and a QR code.
    sign_in(&c, &base, "13800000003", password).await;
    c.goto(&format!("{base}/shifts/{shift}/checkin"))
        .await
        .expect("screen");
    let code = wait_for(&c, "[data-testid=checkin-code]")
        .await
        .text()
        .await
        .expect("code");
    assert_eq!(code.len(), 6, "{code}");
    wait_for(&c, ".qr svg").await;
    shot(&c, "checkin-screen.png").await;
    sign_out(&c, &base).await;

    // The volunteer scans it (the QR code opens this address) and checks in.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/checkin/{shift}?code={code}"))
        .await
        .expect("checkin");
    wait_for_text(&c, "#f-code", "").await;
    submit(&c).await;
    wait_for_text(&c, "[role=status] .notice", "已签到").await;
    shot(&c, "checked-in.png").await;

    // Two hours and forty minutes later, they type the code now on the screen.
    let record = format!("{shift}{volunteer_id}");
    zhiyuan_tests::rewind_check_in(&app.store, &record, 2 * 3600 + 40 * 60).await;
    // (Signing out in the browser ended the organizer's other sessions: sign in again.)
    let organizer = app.login("13800000003", password).await;
    let now_code = app
        .get_as(&format!("/api/shifts/{shift}/checkin-code"), &organizer)
        .await["code"]
        .as_str()
        .expect("code")
        .to_string();
    fill(&c, "#f-code", &now_code).await;
    submit(&c).await;
    wait_for_text(&c, "[role=status] .notice", "已签退").await;
    wait_for_text(&c, "[role=status]", "2.5 小时").await;
    sign_out(&c, &base).await;

    // The organizer confirms the hours on the check-in screen.
    sign_in(&c, &base, "13800000003", password).await;
    c.goto(&format!("{base}/shifts/{shift}/checkin"))
        .await
        .expect("screen");
    wait_for(&c, ".records li button.primary")
        .await
        .click()
        .await
        .expect("confirm");
    wait_for_text(&c, ".records li .badge", "已确认").await;
    sign_out(&c, &base).await;

    // The volunteer sees 100 hours and ★1, and opens the certificate.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/me/records"))
        .await
        .expect("my records");
    wait_for_text(&c, "[data-testid=total-hours]", "100 小时").await;
    let stars = wait_for(&c, ".summary .stars").await;
    assert_eq!(
        stars.attr("aria-label").await.expect("label").as_deref(),
        Some("星级 1")
    );
    shot(&c, "my-records.png").await;
    wait_for(&c, "a[href='/me/certificate']")
        .await
        .click()
        .await
        .expect("certificate");
    let number = wait_for(&c, "[data-testid=cert-number]")
        .await
        .text()
        .await
        .expect("no");
    let cert_code = wait_for(&c, "[data-testid=cert-code]")
        .await
        .text()
        .await
        .expect("code");
    // The certificate lists records: today's 2.5 h and the seeded confirmed 3.5 h (the
    // other earlier hours were set directly, not recorded).
    wait_for_text(&c, "[data-testid=cert-total]", "6 小时").await;
    wait_for(&c, "button.no-print").await;
    shot(&c, "certificate.png").await;

    // Anyone verifies it on the public page.
    sign_out(&c, &base).await;
    c.goto(&format!("{base}/verify")).await.expect("verify");
    fill(&c, "#f-verify", &cert_code).await;
    submit(&c).await;
    let verified = wait_for_text(&c, "[data-testid=verified]", "证明有效").await;
    assert!(verified.contains(&number), "{verified}");
    assert!(
        !verified.contains("志愿者四号") || verified.contains('*'),
        "the name is masked"
    );
    shot(&c, "verified.png").await;
    c.close().await.expect("close browser");
}

/// A resident posts a need; it shows on the map; the demo organizer claims it, makes an
/// activity of it and marks it done; the resident follows it on "my needs".
#[tokio::test]
async fn a_resident_posts_a_need_an_organisation_claims_it_makes_an_activity_and_finishes_it() {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");

    // The demo volunteer, as a resident, posts a need.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/needs/new"))
        .await
        .expect("new need");
    fill(&c, "#f-title", "浏览器测试：独居老人助餐").await;
    fill(&c, "#f-description", "每周送两次午餐").await;
    choose(&c, "#f-service_target", "empty_nest_elderly").await;
    choose(&c, "#f-region_code", "150602").await;
    fill(&c, "#f-address", "东胜区建设社区").await;
    fill(&c, "#f-when", "每周二中午").await;
    shot(&c, "need-form.png").await;
    submit(&c).await;
    wait_for_text(
        &c,
        "[data-testid=need-status] [aria-current=step]",
        "待认领",
    )
    .await;
    let url = c.current_url().await.expect("url");
    let need_id = url.path().trim_start_matches("/needs/").to_string();

    // It is on the map among the open needs of the city.
    c.goto(&format!("{base}/")).await.expect("home");
    // On a phone the needs switch is among the filters folded under "更多筛选".
    wait_for(&c, "#filters-toggle")
        .await
        .click()
        .await
        .expect("open the filters");
    wait_for(&c, "#show-needs")
        .await
        .click()
        .await
        .expect("show needs");
    let mut on_map = String::new();
    for _ in 0..50 {
        on_map = wait_for(&c, "[data-testid=station-map]")
            .await
            .attr("data-needs")
            .await
            .expect("attr")
            .unwrap_or_default();
        if on_map != "0" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(on_map.parse::<u32>().expect("count") >= 1, "{on_map}");
    wait_for(&c, ".zy-need-marker").await;
    shot(&c, "needs-on-map.png").await;
    sign_out(&c, &base).await;

    // The demo organizer claims it and makes an activity of it.
    sign_in(&c, &base, "13800000003", password).await;
    c.goto(&format!("{base}/needs/{need_id}"))
        .await
        .expect("need");
    wait_for(&c, "#claim-org option").await;
    wait_for(&c, ".actions button.primary")
        .await
        .click()
        .await
        .expect("claim");
    wait_for_text(
        &c,
        "[data-testid=need-status] [aria-current=step]",
        "已认领",
    )
    .await;
    wait_for(&c, "a.button.primary[href*='need=']")
        .await
        .click()
        .await
        .expect("make activity");
    wait_for_text(&c, "#f-title", "").await;
    for _ in 0..50 {
        let v = wait_for(&c, "#f-title")
            .await
            .prop("value")
            .await
            .expect("value");
        if v.as_deref() == Some("浏览器测试：独居老人助餐") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    choose(&c, "#f-service_field", "elderly_care").await;
    let day = zhiyuan_shared::time::Timestamp::from_unix(
        zhiyuan_functions::clock::now_unix() + 4 * 86_400,
    )
    .cst_date()
    .iso();
    set_value(&c, "#f-shift-0-starts", &format!("{day}T11:00")).await;
    set_value(&c, "#f-shift-0-ends", &format!("{day}T13:00")).await;
    set_value(&c, "#f-shift-0-places", "3").await;
    submit(&c).await;
    wait_for(&c, "#activity-title").await;

    // Back on the need: the activity is linked; the organisation marks it done.
    c.goto(&format!("{base}/needs/{need_id}"))
        .await
        .expect("need");
    wait_for(&c, "a[href^='/activities/']").await;
    wait_for(&c, ".actions button.secondary")
        .await
        .click()
        .await
        .expect("done");
    wait_for_text(
        &c,
        "[data-testid=need-status] [aria-current=step]",
        "已完成",
    )
    .await;
    shot(&c, "need-done.png").await;
    sign_out(&c, &base).await;

    // The resident sees it done.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/me/needs")).await.expect("my needs");
    wait_for_text(&c, ".card-list", "已完成").await;
    c.close().await.expect("close browser");
}

/// The city admin opens the dashboard: key figures against the targets, each banner, the
/// star chart and the compliance list; the numbers are the API's.
#[tokio::test]
async fn the_city_admin_reads_the_dashboard_with_each_banner_and_the_compliance_list() {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let admin = app.login("13800000001", password).await;
    let report = app.get_as("/api/stats?region=150600", &admin).await;
    let base = app.base.clone();
    let c = browser().await;
    c.set_window_size(390, 900).await.expect("phone width");
    sign_in(&c, &base, "13800000001", password).await;
    c.goto(&format!("{base}/stats")).await.expect("stats");
    let kpis = c.find_all(Locator::Css(".kpi")).await.expect("kpis");
    let kpis = if kpis.len() == 3 {
        kpis
    } else {
        wait_for(&c, ".kpi-grid .kpi:nth-child(3)").await;
        c.find_all(Locator::Css(".kpi")).await.expect("kpis")
    };
    assert_eq!(kpis.len(), 3);
    let registered = report["total"]["registered"].as_u64().expect("registered");
    assert!(registered >= 2, "the demo volunteers: {report}");
    wait_for_text(&c, ".facts", &registered.to_string()).await;
    // Nine banners and the city's total row.
    wait_for(&c, ".stats-table tbody tr:nth-child(10)").await;
    wait_for(&c, "#stars-heading").await;
    wait_for(&c, "#compliance-heading").await;
    wait_for(&c, "#c-group").await;
    shot(&c, "dashboard.png").await;
    // The periodic report: the month kept by the scheduled job and the month so far, then
    // the same by quarter.
    zhiyuan_functions::service::reports::take_due(
        &app.store,
        zhiyuan_shared::time::Timestamp::from_unix(zhiyuan_functions::clock::now_unix()),
    )
    .await
    .expect("monthly reports");
    c.refresh().await.expect("reload");
    wait_for_text(&c, ".periodic-table", "截至目前").await;
    wait_for(&c, "input[name=report-by]:not(:checked)")
        .await
        .click()
        .await
        .expect("by quarter");
    wait_for_text(&c, ".periodic-table", "-Q").await;
    shot(&c, "periodic-report.png").await;

    // The exemplary page lists the demo nomination with its story, for anyone.
    sign_out(&c, &base).await;
    c.goto(&format!("{base}/exemplary"))
        .await
        .expect("exemplary");
    wait_for_text(&c, "[data-testid=nominations]", "优秀志愿服务组织").await;
    shot(&c, "exemplary.png").await;
    c.close().await.expect("close browser");
}

/// The app with the demo data (regions, stations, the demo accounts and their activities).
async fn seeded_app() -> zhiyuan_tests::TestApp {
    let app = spawn_app().await;
    zhiyuan_functions::seed::init_local(&app.store, &zhiyuan_tests::test_keys())
        .await
        .expect("seed demo data");
    app
}

/// axe-core from npm (scripts/tools-package.json), injected into each page from the file.
fn axe_source() -> String {
    let path = workspace_root()
        .join(".tools")
        .join("node_modules")
        .join("axe-core")
        .join("axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (scripts/install-tools.sh test installs it)",
            path.display()
        )
    })
}

/// Presses `key` on whatever has the focus.
async fn press(c: &Client, key: fantoccini::key::Key) {
    c.active_element()
        .await
        .expect("focus")
        .send_keys(&key.to_string())
        .await
        .expect("key");
}

/// True when `script` returns true in the page.
async fn js_true(c: &Client, script: &str) -> bool {
    c.execute(script, vec![])
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Waits until the app has replaced the shell and the page's data has loaded (no
/// "加载中…" left in the page), for at most 10 s; a page still loading is judged as it is.
async fn settle(c: &Client) {
    for _ in 0..50 {
        let done = js_true(
            c,
            "const m = document.querySelector('main'); \
             return !document.getElementById('app-shell') && !!m && !!m.firstElementChild \
               && !/加载中|Loading…/.test(m.innerText) \
               && !document.querySelector('main [aria-busy=true]');",
        )
        .await;
        if done {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// WCAG 2.1 AA violations axe finds on the page, one line each with up to three targets.
async fn axe_violations(c: &Client, axe: &str) -> Vec<String> {
    c.execute(axe, vec![]).await.expect("inject axe-core");
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}}) \
               .then(r => done({passes: r.passes.length, violations: r.violations.map(v => v.id + ': ' \
                 + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))})) \
               .catch(e => done({passes: 0, violations: ['axe failed: ' + e]}));",
            vec![],
        )
        .await
        .expect("run axe");
    // A run that checked nothing would pass anything: it must have passed some rules.
    assert!(
        found["passes"].as_u64().unwrap_or(0) > 0,
        "axe ran: {found}"
    );
    serde_json::from_value(found["violations"].clone()).unwrap_or_default()
}

/// (scrollWidth, innerWidth): a page that scrolls sideways has the first larger.
async fn widths(c: &Client) -> (i64, i64) {
    let v = c
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth];",
            vec![],
        )
        .await
        .expect("widths");
    (v[0].as_i64().unwrap_or(0), v[1].as_i64().unwrap_or(0))
}

/// (top, height, viewport height) of the home page's map.
async fn map_box(c: &Client) -> (f64, f64, f64) {
    let v = c
        .execute(
            "const r = document.querySelector('[data-testid=station-map]').getBoundingClientRect(); \
             return [r.top, r.height, window.innerHeight];",
            vec![],
        )
        .await
        .expect("map box");
    let f = |i: usize| v[i].as_f64().unwrap_or(0.0);
    (f(0), f(1), f(2))
}

const PHONE: (u32, u32) = (390, 844);
const DESKTOP: (u32, u32) = (1280, 900);

/// What a person sees, checked on every page as each role sees it, at phone and desktop
/// width: no sideways scrolling on a phone, no WCAG 2.1 AA violation that axe can find, the
/// map filling the first screen of `/`, the tab bar on a phone reachable by keyboard.
/// One browser for all of it; a screenshot of each page at both widths for a person to look at.
#[tokio::test]
async fn every_page_fits_a_phone_and_a_desktop_and_passes_axe_as_each_role_sees_it() {
    let app = seeded_app().await;
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let base = app.base.clone();
    let axe = axe_source();
    let first_id = |v: &serde_json::Value| v["items"][0]["id"].as_str().unwrap_or("").to_string();
    let station = first_id(&app.get("/api/stations?region=150602&limit=1").await.1);
    let activities = app.get("/api/activities?region=150602").await.1;
    let activity = first_id(&activities);
    let shift = activities["items"][0]["shifts"][0]["id"]
        .as_str()
        .unwrap_or("")
        .to_string();
    let org = first_id(&app.get("/api/orgs?region=150602").await.1);
    let need = first_id(&app.get("/api/needs?region=150602&status=open").await.1);
    assert!(
        ![&station, &activity, &shift, &org, &need]
            .iter()
            .any(|s| s.is_empty()),
        "demo ids"
    );
    let roles: Vec<(&str, Option<&str>, Vec<String>)> = vec![
        (
            "anonymous",
            None,
            [
                "/".to_string(),
                format!("/stations/{station}"),
                "/activities".into(),
                format!("/activities/{activity}"),
                "/orgs".into(),
                format!("/orgs/{org}"),
                "/needs".into(),
                format!("/needs/{need}"),
                "/login".into(),
                "/register".into(),
                "/verify".into(),
                "/perks".into(),
                "/stats".into(),
                "/exemplary".into(),
                "/me".into(),
                "/no/such/page".into(),
            ]
            .into(),
        ),
        (
            "volunteer",
            Some("13800000004"),
            [
                "/".to_string(),
                format!("/activities/{activity}"),
                "/me".into(),
                "/me/activities".into(),
                "/me/notices".into(),
                "/me/records".into(),
                "/me/certificate".into(),
                "/me/needs".into(),
                "/needs/new".into(),
                format!("/orgs/{org}"),
            ]
            .into(),
        ),
        (
            "organizer",
            Some("13800000003"),
            [
                format!("/orgs/{org}"),
                format!("/activities/new?org={org}"),
                format!("/activities/{activity}"),
                format!("/shifts/{shift}/checkin"),
                "/orgs/new".into(),
                "/me".into(),
            ]
            .into(),
        ),
        (
            "admin",
            Some("13800000001"),
            [
                "/admin".to_string(),
                "/stats".into(),
                "/me".into(),
                format!("/stations/{station}"),
            ]
            .into(),
        ),
    ];
    let dir = zhiyuan_tests::target_dir()
        .join("test-artifacts")
        .join("pages");
    let _ = std::fs::create_dir_all(&dir);
    let c = browser().await;
    let mut problems = Vec::new();
    for (role, phone, pages) in &roles {
        if let Some(phone) = phone {
            c.set_window_size(DESKTOP.0, DESKTOP.1).await.expect("size");
            sign_in(&c, &base, phone, password).await;
        }
        for page in pages {
            let slug = page
                .trim_matches('/')
                .replace(['/', '?', '='], "-")
                .chars()
                .take(40)
                .collect::<String>();
            let slug = if slug.is_empty() { "home".into() } else { slug };
            c.set_window_size(PHONE.0, PHONE.1).await.expect("phone");
            c.goto(&format!("{base}{page}")).await.expect("open page");
            settle(&c).await;
            for (w, h) in [PHONE, DESKTOP] {
                if w != PHONE.0 {
                    c.set_window_size(w, h).await.expect("desktop");
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                let at = format!("{role} {page} at {w}px");
                let (scroll, inner) = widths(&c).await;
                if scroll > inner {
                    problems.push(format!("{at}: scrolls sideways ({scroll} > {inner})"));
                }
                if page == "/" {
                    let (top, height, vh) = map_box(&c).await;
                    if !(top >= 0.0 && top < vh && height >= vh * 0.5) {
                        problems.push(format!(
                            "{at}: map top {top}, height {height} of a {vh} px screen"
                        ));
                    }
                }
                for v in axe_violations(&c, &axe).await {
                    problems.push(format!("{at}: {v}"));
                }
                let png = c.screenshot().await.expect("screenshot");
                std::fs::write(dir.join(format!("{role}-{slug}-{w}.png")), png).expect("save");
            }
        }
        if phone.is_some() {
            sign_out(&c, &base).await;
        }
    }

    // On a phone the tab bar shows, and the keyboard reaches it in the page's tab order.
    c.set_window_size(PHONE.0, PHONE.1).await.expect("phone");
    c.goto(&format!("{base}/perks")).await.expect("perks");
    settle(&c).await;
    let bar = wait_for(&c, "[data-testid=tab-bar]").await;
    assert!(
        bar.is_displayed().await.expect("shown"),
        "tab bar on a phone"
    );
    let current = wait_for(&c, "[data-testid=tab-bar] [aria-current=page]")
        .await
        .text()
        .await
        .expect("text");
    assert_eq!(current, "我的", "/perks belongs to 我的");
    let mut reached = false;
    for _ in 0..60 {
        press(&c, fantoccini::key::Key::Tab).await;
        if js_true(
            &c,
            "return !!document.activeElement.closest('[data-testid=tab-bar]');",
        )
        .await
        {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab reaches the tab bar");
    press(&c, fantoccini::key::Key::Enter).await;
    wait_for(&c, "[data-testid=tab-bar] a[aria-current=page][href='/']").await;
    // 本周有活动: the map keeps the stations of the demo's activities (days 1–3, ≤ 3 stations).
    wait_for(&c, "#this-week")
        .await
        .click()
        .await
        .expect("this week");
    let mut kept = 0;
    for _ in 0..100 {
        kept = markers_declared(&c).await;
        if kept <= 3 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!((1..=3).contains(&kept), "{kept} stations this week");
    shot(&c, "home-this-week.png").await;
    // Large text (适老化) on a phone, then also in English (longer words in the header, the
    // bar and the tabs): the map still fills the first screen, nothing overflows.
    for (pref, value, shown, png) in [
        ("zhiyuan.large_text", "1", "html.large-text", "large-text"),
        ("zhiyuan.lang", "en", "html[lang=en]", "large-text-en"),
    ] {
        c.execute(
            "localStorage.setItem(arguments[0], arguments[1]);",
            vec![json!(pref), json!(value)],
        )
        .await
        .expect("preference");
        c.goto(&format!("{base}/")).await.expect("home");
        wait_for(&c, shown).await;
        settle(&c).await;
        // (wait_for scrolled to the <html> it waited for; the first screen is what counts.)
        c.execute("window.scrollTo(0, 0);", vec![])
            .await
            .expect("top");
        let (top, height, vh) = map_box(&c).await;
        assert!(
            top < vh && height >= vh * 0.5,
            "{png}: map top {top}, height {height} of {vh}"
        );
        let (scroll, inner) = widths(&c).await;
        assert!(
            scroll <= inner,
            "{png} scrolls sideways: {scroll} > {inner}"
        );
        std::fs::write(
            dir.join(format!("anonymous-home-{png}-390.png")),
            c.screenshot().await.expect("screenshot"),
        )
        .expect("save");
    }
    c.close().await.expect("close browser");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A TCP relay in front of the app that can be cut: the browser then meets no server at
/// all, as on a phone without a network (Chromium's emulated offline mode does not reach
/// the service worker's own fetches reliably).
struct Relay {
    base: String,
    online: std::sync::Arc<std::sync::atomic::AtomicBool>,
    open: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Relay {
    async fn to(upstream: &str) -> Self {
        use std::sync::atomic::Ordering;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind relay");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let target = upstream.trim_start_matches("http://").to_string();
        let online = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
        let open = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let (on, conns) = (online.clone(), open.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if !on.load(Ordering::SeqCst) {
                    continue; // dropped: the connection closes at once
                }
                let target = target.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut out) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut out).await;
                    }
                });
                if let Ok(mut list) = conns.lock() {
                    list.push(task.abort_handle());
                }
            }
        });
        Self { base, online, open }
    }

    fn cut(&self) {
        self.online
            .store(false, std::sync::atomic::Ordering::SeqCst);
        if let Ok(mut list) = self.open.lock() {
            for task in list.drain(..) {
                task.abort();
            }
        }
    }
}

/// Runs `script` (which ends by calling `done(value)`) and returns the value.
async fn run_async(c: &Client, script: &str) -> serde_json::Value {
    c.execute_async(
        &format!("const done = arguments[arguments.length - 1]; {script}"),
        vec![],
    )
    .await
    .unwrap_or_else(|e| panic!("{script}: {e}"))
}

/// Every URL in the Cache Storage of the page's origin.
async fn cached_urls(c: &Client) -> Vec<String> {
    let v = run_async(
        c,
        "caches.keys().then(ks => Promise.all(ks.map(k => caches.open(k).then(x => x.keys())))) \
           .then(all => done(all.flat().map(r => r.url)));",
    )
    .await;
    serde_json::from_value(v).unwrap_or_default()
}

/// The number of stations the map says it shows, once it shows any (0 after 20 s).
async fn markers_declared(c: &Client) -> usize {
    let mut n = 0;
    for _ in 0..100 {
        n = wait_for(c, "[data-testid=station-map]")
            .await
            .attr("data-markers")
            .await
            .ok()
            .flatten()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        if n > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    n
}

/// The installable app: a manifest, a service worker that keeps public data only and is
/// emptied at sign-out, and a second visit without a network that shows the shell, the
/// stations seen before and what still works.
#[tokio::test]
async fn a_second_visit_without_a_network_shows_the_shell_and_the_stations_seen_before() {
    let app = seeded_app().await;
    let password = zhiyuan_functions::seed::DEMO_PASSWORD;
    let relay = Relay::to(&app.base).await;
    let base = relay.base.clone();
    let (_, manifest) = app.get("/manifest.webmanifest").await;
    assert_eq!(manifest["short_name"], "志愿", "{manifest}");
    let station = app.get("/api/stations?region=150602&limit=1").await.1["items"][0]["id"]
        .as_str()
        .expect("a station")
        .to_string();
    let c = browser().await;
    c.set_window_size(PHONE.0, PHONE.1).await.expect("phone");
    c.goto(&format!("{base}/")).await.expect("home");
    assert!(markers_declared(&c).await > 0);
    let controlled = run_async(
        &c,
        "navigator.serviceWorker.ready.then(() => { \
           const wait = n => navigator.serviceWorker.controller || n <= 0 \
             ? done(!!navigator.serviceWorker.controller) : setTimeout(() => wait(n - 1), 100); \
           wait(100); });",
    )
    .await;
    assert_eq!(
        controlled,
        json!(true),
        "the service worker controls the page"
    );

    // Signed in, nothing personal is kept; signing out empties every cache and all stored
    // items but the language and large-text choices.
    sign_in(&c, &base, "13800000004", password).await;
    c.goto(&format!("{base}/me/activities"))
        .await
        .expect("mine");
    settle(&c).await;
    let kept = cached_urls(&c).await;
    assert!(!kept.is_empty(), "the shell is kept");
    assert!(
        !kept
            .iter()
            .any(|u| u.contains("/api/me") || u.contains("/api/auth")),
        "{kept:?}"
    );
    assert!(kept.iter().any(|u| u.ends_with(".wasm")), "{kept:?}");
    sign_out(&c, &base).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    // The home page it lands on reads the public station list again (and may keep that);
    // nothing kept before signing out is left.
    let left = cached_urls(&c).await;
    assert!(
        left.iter()
            .all(|u| u.contains("/api/stations") || u.contains("/api/regions")),
        "{left:?}"
    );
    let stored = run_async(&c, "done(Object.keys(localStorage));").await;
    for k in stored.as_array().expect("keys") {
        let k = k.as_str().unwrap_or("");
        assert!(k == "zhiyuan.lang" || k == "zhiyuan.large_text", "{stored}");
    }

    // Two visits with a network (the worker keeps the shell and the station list), then one without.
    c.goto(&format!("{base}/stations/{station}"))
        .await
        .expect("station");
    wait_for(&c, "[data-testid=station-name]").await;
    c.goto(&format!("{base}/")).await.expect("home");
    assert!(markers_declared(&c).await > 0);
    c.refresh().await.expect("second visit");
    assert!(markers_declared(&c).await > 0);
    relay.cut();
    c.refresh().await.expect("offline visit");
    let offline = markers_declared(&c).await;
    assert!(offline > 0, "kept stations on the map offline");
    let notice = wait_for(&c, "[data-testid=offline-notice]")
        .await
        .text()
        .await
        .expect("notice");
    assert!(notice.contains("报名"), "{notice}");
    shot(&c, "offline-home.png").await;
    c.goto(&format!("{base}/stations/{station}"))
        .await
        .expect("station offline");
    wait_for(&c, "[data-testid=station-name]").await;
    shot(&c, "offline-station.png").await;
    c.close().await.expect("close browser");
}
