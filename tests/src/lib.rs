//! Test helpers: one DynamoDB Local per test binary (AWS's engine, in memory, on a free
//! port), a fresh table per test, and the app started in-process on port 0, so a scenario
//! is three lines long.

use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use zhiyuan_functions::app::{self, AppState};
use zhiyuan_functions::config::Config;
use zhiyuan_functions::store::{Store, table};

pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Where cargo puts build output: `CARGO_TARGET_DIR` when set (relative to the workspace),
/// else the workspace's `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => workspace_root().join(d),
        None => workspace_root().join("target"),
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(0)
}

pub fn wait_for_port(port: u16, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    false
}

/// Starts `program args…` so that it dies with this test process: a shell watches our pid
/// and kills the child when we are gone (tests end without running destructors).
pub fn spawn_tied_to_this_process(program: &str, args: &[String], log: &Path) {
    let me = std::process::id();
    let quoted: Vec<String> = std::iter::once(program.to_string())
        .chain(args.iter().cloned())
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    let script = format!(
        "{} & c=$!; trap 'kill $c 2>/dev/null' EXIT TERM; while kill -0 {me} 2>/dev/null && kill -0 $c 2>/dev/null; do sleep 0.5; done",
        quoted.join(" ")
    );
    let out = std::fs::File::create(log).ok();
    let mut cmd = Command::new("bash");
    cmd.arg("-c").arg(script).stdin(Stdio::null());
    if let Some(f) = out
        && let Ok(f2) = f.try_clone()
    {
        cmd.stdout(f).stderr(f2);
    }
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {program}: {e}"));
    // Reap the watcher when it exits, so it never lingers as a zombie.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
}

static DYNAMODB: OnceLock<String> = OnceLock::new();

/// The endpoint of this test binary's DynamoDB Local, started on first use. Set
/// `ZHIYUAN_TEST_DYNAMODB_ENDPOINT` to use one already running instead.
pub fn dynamodb_endpoint() -> String {
    DYNAMODB
        .get_or_init(|| {
            if let Ok(ep) = std::env::var("ZHIYUAN_TEST_DYNAMODB_ENDPOINT") {
                return ep;
            }
            let root = workspace_root();
            let port = free_port();
            let log_dir = root.join("target").join("test-artifacts");
            let _ = std::fs::create_dir_all(&log_dir);
            let script = root.join("scripts").join("dynamodb-local.sh");
            spawn_tied_to_this_process(
                &script.to_string_lossy(),
                &[port.to_string(), "-inMemory".to_string()],
                &log_dir.join(format!("dynamodb-local-{port}.log")),
            );
            assert!(
                wait_for_port(port, Duration::from_secs(60)),
                "DynamoDB Local did not start on port {port}"
            );
            format!("http://127.0.0.1:{port}")
        })
        .clone()
}

static TABLE_SEQ: AtomicU32 = AtomicU32::new(0);

/// A fresh, empty table on DynamoDB Local, created from the one table definition.
pub async fn fresh_store() -> Store {
    let endpoint = dynamodb_endpoint();
    let client = zhiyuan_functions::store::connect(Some(&endpoint)).await;
    let name = format!(
        "t{}_{}_{}",
        std::process::id(),
        TABLE_SEQ.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    );
    table::create_if_absent(&client, &name)
        .await
        .expect("create test table");
    Store::new(client, name)
}

/// The secrets every test app runs with (the Lambda tests pass the same to the binaries).
pub const SESSION_SECRET: &str = "test-session-secret-0123456789abcdef";
pub const PII_SECRET: &str = "test-pii-secret-0123456789abcdef0123";
/// Password of every account the helpers register.
pub const PASSWORD: &str = "test-pass-2026";

pub fn test_keys() -> zhiyuan_functions::crypto::Keys {
    zhiyuan_functions::crypto::Keys::from_secrets(SESSION_SECRET, PII_SECRET).expect("test keys")
}

/// The n-th distinct, valid resident ID number (born 1990, registered in 东胜区).
pub fn id_number(n: u32) -> String {
    let first17 = format!(
        "1506021990{:02}{:02}{:03}",
        1 + n / 28 % 12,
        1 + n % 28,
        n % 1000
    );
    let check = zhiyuan_shared::identity::check_digit(&first17).expect("17 digits");
    format!("{first17}{check}")
}

/// The n-th distinct mobile number.
pub fn phone(n: u32) -> String {
    format!("139{:08}", n)
}

pub struct TestApp {
    pub base: String,
    pub store: Store,
    /// The deployment's keys (its personal-data key differs between deployments).
    pub keys: zhiyuan_functions::crypto::Keys,
    pub http: reqwest::Client,
    /// Where this app keeps attachments (its own directory).
    pub files_dir: PathBuf,
    province_admin: tokio::sync::OnceCell<String>,
    seq: AtomicU32,
}

/// A signed-in test user.
#[derive(Debug, Clone)]
pub struct User {
    pub id: String,
    pub token: String,
    pub phone: String,
}

/// Starts the local server's app (whole API + SPA from `dist/`) on a free port.
pub async fn spawn_app() -> TestApp {
    let store = fresh_store().await;
    // Station writes check the region exists, so every app starts with the region data.
    let regions = zhiyuan_functions::seed::regions().expect("region data");
    store.put_regions(&regions).await.expect("seed regions");
    spawn_app_on(store).await
}

pub async fn spawn_app_on(store: Store) -> TestApp {
    spawn_deployment(store, Deployment::default()).await
}

/// Which deployment an app is: its name, personal-data secret (so its transfer key) and
/// the transfer keys it trusts. Two apps with different ones are two deployments.
pub struct Deployment {
    pub name: &'static str,
    pub pii_secret: &'static str,
    pub trusted_transfer_keys: Vec<String>,
}

impl Default for Deployment {
    fn default() -> Self {
        Self {
            name: "test",
            pii_secret: PII_SECRET,
            trusted_transfer_keys: vec![],
        }
    }
}

pub async fn spawn_deployment(store: Store, d: Deployment) -> TestApp {
    let files_dir = target_dir().join("test-uploads").join(store.table_name());
    let config = Config {
        table: store.table_name().to_string(),
        dynamodb_endpoint: Some(dynamodb_endpoint()),
        keys: zhiyuan_functions::crypto::Keys::from_secrets(SESSION_SECRET, d.pii_secret)
            .expect("keys"),
        dist_dir: workspace_root().join("dist"),
        sender: zhiyuan_functions::notify::NoticeSender::Log,
        deployment: d.name.to_string(),
        trusted_transfer_keys: d.trusted_transfer_keys,
        hours_step_minutes: 30,
        files_dir: files_dir.clone(),
        files_bucket: None,
    };
    let keys = config.keys.clone();
    let state = AppState {
        store: store.clone(),
        config: Arc::new(config),
        files: zhiyuan_functions::files::Files::Local {
            dir: files_dir.clone(),
        },
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app::local(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });
    TestApp {
        base: format!("http://{addr}"),
        store,
        keys,
        http: reqwest::Client::new(),
        files_dir,
        province_admin: tokio::sync::OnceCell::new(),
        seq: AtomicU32::new(0),
    }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let resp = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET sent");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
        token: Option<&str>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .http
            .request(method, format!("{}{path}", self.base))
            .json(body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("request sent");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    pub async fn get_with(&self, path: &str, token: Option<&str>) -> (StatusCode, Value) {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("GET sent");
        let status = resp.status();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// GET as a signed-in user, expecting 200.
    pub async fn get_as(&self, path: &str, token: &str) -> Value {
        let (status, body) = self.get_with(path, Some(token)).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        body
    }

    pub async fn login(&self, phone: &str, password: &str) -> String {
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                "/api/auth/login",
                &serde_json::json!({"phone": phone, "password": password}),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        json["token"].as_str().expect("token").to_string()
    }

    /// A fresh number for this app's phones and ID numbers.
    pub fn next(&self) -> u32 {
        self.seq.fetch_add(1, Ordering::Relaxed)
    }

    /// Registers a new account through the API.
    pub async fn register(&self) -> User {
        let phone = phone(self.next());
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                "/api/auth/register",
                &serde_json::json!({"phone": phone, "password": PASSWORD, "display_name": "测试用户"}),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
        User {
            id: json["user_id"].as_str().expect("user_id").to_string(),
            token: json["token"].as_str().expect("token").to_string(),
            phone,
        }
    }

    /// Real-name registration with the n-th test ID number.
    pub async fn make_volunteer(&self, user: &User) -> Value {
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                "/api/me/volunteer",
                &volunteer_body(&id_number(self.next())),
                Some(&user.token),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
        json
    }

    /// A new real-name volunteer.
    pub async fn volunteer(&self) -> User {
        let u = self.register().await;
        self.make_volunteer(&u).await;
        u
    }

    /// A new account holding `role` over `scope`, granted in the store (as the operator
    /// command does).
    pub async fn with_role(&self, role: zhiyuan_shared::account::Role, scope: &str) -> User {
        let u = self.register().await;
        self.store
            .grant_role(
                &u.id,
                &zhiyuan_shared::account::RoleGrant {
                    role,
                    scope: scope.to_string(),
                },
            )
            .await
            .expect("grant");
        u
    }

    pub async fn region_admin(&self, scope: &str) -> User {
        self.with_role(zhiyuan_shared::account::Role::RegionAdmin, scope)
            .await
    }

    /// A real-name volunteer who registered an organisation in `region`, approved by a
    /// region admin; returns the organizer and the organisation id.
    pub async fn approved_org(&self, region: &str) -> (User, String) {
        let organizer = self.volunteer().await;
        let (status, org) = self
            .send_json(
                reqwest::Method::POST,
                "/api/orgs",
                &org_body(&format!("测试志愿服务队{}", self.next()), region),
                Some(&organizer.token),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{org}");
        let id = org["id"].as_str().expect("org id").to_string();
        let admin = self.province_admin().await;
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                &format!("/api/orgs/{id}/approve"),
                &Value::Null,
                Some(&admin),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        (organizer, id)
    }

    /// A token of a region admin of the whole province (150000), made once per app.
    pub async fn province_admin(&self) -> String {
        self.province_admin
            .get_or_init(|| async { self.region_admin("150000").await.token })
            .await
            .clone()
    }

    /// Creates a station through the API as a province admin; returns its id.
    pub async fn create_station(&self, body: &Value) -> String {
        let admin = self.province_admin().await;
        let (status, json) = self
            .send_json(reqwest::Method::POST, "/api/stations", body, Some(&admin))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
        json["id"].as_str().expect("id").to_string()
    }

    /// `n` real-name volunteers written straight into the store with tokens issued by the
    /// test keys: for races of hundreds, where registering through argon2id would take
    /// minutes. Everything else about them is what the API would have made.
    pub async fn fast_volunteers(&self, n: usize) -> Vec<User> {
        self.fast_volunteers_in(n, "150602", &[]).await
    }

    /// [`Self::fast_volunteers`] registered in `region`, members of `groups`.
    pub async fn fast_volunteers_in(
        &self,
        n: usize,
        region: &str,
        groups: &[zhiyuan_shared::account::VolunteerGroup],
    ) -> Vec<User> {
        use zhiyuan_functions::store::accounts::{UserItem, VolunteerItem};
        let keys = &self.keys;
        let now = zhiyuan_functions::clock::now_unix();
        let mut out = Vec::with_capacity(n);
        let mut writes = Vec::with_capacity(n);
        for _ in 0..n {
            let seq = self.next();
            let id = ulid::Ulid::new().to_string();
            let user = UserItem {
                id: zhiyuan_functions::ids::UserId::trusted(id.clone()),
                display_name: format!("志愿者{seq}"),
                phone_sealed: keys.seal(&phone(seq)),
                phone_index: keys.blind_index("phone", &phone(seq)),
                password_hash: "not-a-hash".into(),
                token_gen: 0,
                roles: vec![],
                volunteer: Some(VolunteerItem {
                    volunteer_no: format!("{region}{seq:08}"),
                    real_name: format!("志愿者{seq}"),
                    id_sealed: keys.seal(&id_number(seq)),
                    id_index: keys.blind_index("id_number", &id_number(seq)),
                    id_masked: "1506**********0000".into(),
                    gender: zhiyuan_shared::identity::Gender::Female,
                    birth_date: zhiyuan_shared::identity::Date::parse_iso("1990-01-01")
                        .expect("date"),
                    region_code: zhiyuan_shared::region::RegionCode::parse(region).expect("region"),
                    service_fields: vec![],
                    groups: groups.to_vec(),
                    skills: vec![],
                    registered_at: "2026-01-01T00:00:00+08:00".into(),
                    consent_at: "2026-01-01T00:00:00+08:00".into(),
                    guardian: None,
                }),
                served_minutes: 0,
                years: Default::default(),
                stats_rev: 0,
                trainings_done: 0,
                created_at: "2026-01-01T00:00:00+08:00".into(),
                signup_seq: 0,
                notices_seen: None,
            };
            out.push(User {
                token: zhiyuan_functions::token::issue(keys, &id, 0, now),
                id,
                phone: phone(seq),
            });
            writes.push(user);
        }
        futures::stream::iter(writes)
            .for_each_concurrent(32, |u| async move {
                // The account, then the real-name profile with its ID-number guard.
                let mut account = u.clone();
                let volunteer = account.volunteer.take().expect("volunteer");
                self.store.create_user(&account).await.expect("create user");
                let (counters, groups) = zhiyuan_functions::service::stats::registration_effect(
                    &account.id,
                    volunteer.region_code.as_str(),
                    &volunteer.groups,
                    zhiyuan_functions::clock::now_unix(),
                );
                self.store
                    .make_volunteer(&account.id, &volunteer, &counters, &groups)
                    .await
                    .expect("make volunteer");
            })
            .await;
        out
    }

    /// Publishes an activity as `organizer`; returns it as the API answered.
    pub async fn publish(&self, organizer: &User, body: &Value) -> Value {
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                "/api/activities",
                body,
                Some(&organizer.token),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{json}");
        json
    }

    /// An approved organisation with one published activity of one shift of `capacity`
    /// places starting in two days; returns (organizer, activity, shift id).
    pub async fn activity_with_places(&self, capacity: u32) -> (User, Value, String) {
        let (organizer, org) = self.approved_org("150602").await;
        let a = self
            .publish(
                &organizer,
                &activity_body(&org, &[(2 * DAY, 3 * 3600, capacity)]),
            )
            .await;
        let shift = a["shifts"][0]["id"].as_str().expect("shift id").to_string();
        (organizer, a, shift)
    }

    pub async fn sign_up(&self, token: &str, shift_id: &str) -> (StatusCode, Value) {
        self.send_json(
            reqwest::Method::POST,
            &format!("/api/shifts/{shift_id}/signups"),
            &serde_json::json!({}),
            Some(token),
        )
        .await
    }

    pub async fn cancel_signup(&self, token: &str, shift_id: &str) -> (StatusCode, Value) {
        self.send_json(
            reqwest::Method::DELETE,
            &format!("/api/shifts/{shift_id}/signups/me"),
            &Value::Null,
            Some(token),
        )
        .await
    }

    /// Follows `next_cursor` until the list ends; returns every item and the page count.
    pub async fn all_pages(&self, path_with_query: &str) -> (Vec<Value>, usize) {
        self.pages_with(path_with_query, None).await
    }

    /// [`Self::all_pages`] as a signed-in user.
    pub async fn all_pages_as(&self, path_with_query: &str, token: &str) -> (Vec<Value>, usize) {
        self.pages_with(path_with_query, Some(token)).await
    }

    async fn pages_with(&self, path_with_query: &str, token: Option<&str>) -> (Vec<Value>, usize) {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        let mut pages = 0;
        loop {
            let sep = if path_with_query.contains('?') {
                '&'
            } else {
                '?'
            };
            let url = match &cursor {
                None => path_with_query.to_string(),
                Some(c) => format!("{path_with_query}{sep}cursor={c}"),
            };
            let (status, page) = self.get_with(&url, token).await;
            assert_eq!(status, StatusCode::OK, "{url}: {page}");
            pages += 1;
            items.extend(page["items"].as_array().cloned().unwrap_or_default());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return (items, pages),
            }
            assert!(pages < 10_000, "paging does not end");
        }
    }
}

/// A real-name registration body for an adult in 东胜区.
pub fn volunteer_body(id_number: &str) -> Value {
    serde_json::json!({
        "real_name": "王小明",
        "id_number": id_number,
        "region_code": "150602",
        "service_fields": ["elderly_care"],
        "groups": ["youth"],
        "skills": ["急救"],
        "consent": true
    })
}

pub fn org_body(name: &str, region: &str) -> Value {
    serde_json::json!({
        "name": name,
        "org_type": "community",
        "region_code": region,
        "service_fields": ["elderly_care", "education"],
        "description": "社区志愿服务"
    })
}

/// A station body with sensible defaults, for tests to adjust.
pub fn station_body(name: &str, region: &str, lat: f64, lng: f64, station_type: &str) -> Value {
    serde_json::json!({
        "name": name,
        "station_type": station_type,
        "region_code": region,
        "address": format!("{name} 地址"),
        "lat": lat,
        "lng": lng,
        "opening_hours": "09:00-17:00",
        "contact": "13812345678",
        "five_have": {
            "venue_and_equipment": true, "manager_and_team": true, "rules_and_procedures": true,
            "projects_and_activities": true, "operating_funds": true
        },
        "demonstration": false
    })
}

/// Serialises tests that would otherwise fight over a scarce resource (the browser).
pub fn exclusive() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|p| p.into_inner())
}

pub const DAY: i64 = 24 * 3600;

/// RFC 3339 (CST) of now + `offset` seconds.
pub fn in_seconds(offset: i64) -> String {
    zhiyuan_shared::time::Timestamp::from_unix(zhiyuan_functions::clock::now_unix() + offset)
        .rfc3339_cst()
}

/// An activity of `org` at an address in 东胜区 with shifts (start offset from now,
/// duration, places), all in seconds.
pub fn activity_body(org: &str, shifts: &[(i64, i64, u32)]) -> Value {
    let shifts: Vec<Value> = shifts
        .iter()
        .map(|(start, dur, cap)| {
            serde_json::json!({
                "starts_at": in_seconds(*start),
                "ends_at": in_seconds(start + dur),
                "capacity": cap,
            })
        })
        .collect();
    serde_json::json!({
        "org_id": org,
        "title": "社区敬老助餐",
        "description": "为空巢老人送餐",
        "service_field": "elderly_care",
        "service_targets": ["empty_nest_elderly"],
        "address": "东胜区铁西街道",
        "lat": 39.817,
        "lng": 109.977,
        "region_code": "150602",
        "shifts": shifts,
    })
}

/// What the store holds for one shift, counted item by item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShiftCounts {
    pub capacity: u32,
    pub taken: u32,
    pub waitlisted: u32,
    pub confirmed_items: u32,
    pub waitlisted_items: u32,
    pub wait_entries: u32,
}

/// Reads a shift's counters and counts its sign-up and waitlist items directly.
pub async fn shift_counts(store: &Store, shift_id: &str) -> ShiftCounts {
    use aws_sdk_dynamodb::types::AttributeValue;
    let (aid, n) = zhiyuan_functions::store::keys::parse_shift_id(shift_id).expect("shift id");
    let shift = store.get_shift(aid, n).await.expect("read").expect("shift");
    let mut counts = ShiftCounts {
        capacity: shift.capacity,
        taken: shift.taken,
        waitlisted: shift.waitlisted,
        confirmed_items: 0,
        waitlisted_items: 0,
        wait_entries: 0,
    };
    let mut start = None;
    loop {
        let page = store
            .client()
            .query()
            .table_name(store.table_name())
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", AttributeValue::S(format!("ACT#{aid}")))
            .consistent_read(true)
            .set_exclusive_start_key(start)
            .send()
            .await
            .expect("query");
        for item in page.items() {
            let sk = match item.get("SK") {
                Some(AttributeValue::S(s)) => s.clone(),
                _ => continue,
            };
            if sk.starts_with(&format!("SIGNUP#{n:02}#")) {
                match item.get("status") {
                    Some(AttributeValue::S(s)) if s == "confirmed" => counts.confirmed_items += 1,
                    _ => counts.waitlisted_items += 1,
                }
            } else if sk.starts_with(&format!("WAIT#{n:02}#")) {
                counts.wait_entries += 1;
            }
        }
        match page.last_evaluated_key {
            Some(k) if !k.is_empty() => start = Some(k),
            _ => break,
        }
    }
    counts
}

/// The invariants no history may break: never more confirmed than places, counters equal
/// to the items, and nobody waits while a place is free.
pub fn assert_invariants(c: &ShiftCounts) {
    assert!(c.taken <= c.capacity, "over-booked: {c:?}");
    assert_eq!(
        c.taken, c.confirmed_items,
        "taken ≠ confirmed sign-ups: {c:?}"
    );
    assert_eq!(
        c.waitlisted, c.waitlisted_items,
        "waitlisted ≠ waitlisted sign-ups: {c:?}"
    );
    assert_eq!(
        c.waitlisted, c.wait_entries,
        "waitlisted ≠ waitlist entries: {c:?}"
    );
    assert!(
        c.waitlisted == 0 || c.taken == c.capacity,
        "someone waits while a place is free: {c:?}"
    );
}

/// Moves a shift to other times in the store, as if time had passed: the API publishes
/// only future shifts, and check-in, hours and closing depend on the shift being under
/// way or over.
pub async fn move_shift(store: &Store, shift_id: &str, starts: i64, ends: i64) {
    use aws_sdk_dynamodb::types::AttributeValue as A;
    let (activity, n) = shift_id.split_at(26);
    store
        .client()
        .update_item()
        .table_name(store.table_name())
        .key("PK", A::S(format!("ACT#{activity}")))
        .key("SK", A::S(format!("SHIFT#{n}")))
        .update_expression("SET starts_at = :s, ends_at = :e")
        .expression_attribute_values(":s", A::N(starts.to_string()))
        .expression_attribute_values(":e", A::N(ends.to_string()))
        .send()
        .await
        .expect("move shift");
}

/// Moves a record's check-in back by `seconds`, as if the volunteer had checked in then.
pub async fn rewind_check_in(store: &Store, record_id: &str, seconds: i64) {
    use aws_sdk_dynamodb::types::AttributeValue as A;
    let (shift, user) = record_id.split_at(28);
    let (activity, n) = shift.split_at(26);
    store
        .client()
        .update_item()
        .table_name(store.table_name())
        .key("PK", A::S(format!("ACT#{activity}")))
        .key("SK", A::S(format!("RECORD#{n}#{user}")))
        .update_expression("SET check_in = check_in - :d")
        .expression_attribute_values(":d", A::N(seconds.to_string()))
        .send()
        .await
        .expect("rewind check-in");
}

/// Sets a volunteer's confirmed minutes directly, standing for hours served before.
pub async fn set_served_minutes(store: &Store, user_id: &str, minutes: u64) {
    use aws_sdk_dynamodb::types::AttributeValue as A;
    store
        .client()
        .update_item()
        .table_name(store.table_name())
        .key("PK", A::S(format!("USER#{user_id}")))
        .key("SK", A::S("USER".into()))
        .update_expression("SET served_minutes = :m")
        .expression_attribute_values(":m", A::N(minutes.to_string()))
        .send()
        .await
        .expect("set served minutes");
}

/// A volunteer's stored total, in minutes.
pub async fn served_minutes(store: &Store, user_id: &str) -> u64 {
    store
        .get_user(user_id)
        .await
        .expect("read user")
        .map_or(0, |u| u.served_minutes)
}

/// Every counted minute of a volunteer's records, read from the records themselves.
pub async fn counted_minutes(store: &Store, user_id: &str) -> u64 {
    let mut sum = 0;
    let mut resume = None;
    loop {
        let (page, next) = store
            .records_of_user(user_id, resume, 100, false)
            .await
            .expect("records");
        sum += page
            .iter()
            .filter(|r| r.counts())
            .map(|r| u64::from(r.minutes))
            .sum::<u64>();
        match next {
            Some(k) => resume = Some(k),
            None => return sum,
        }
    }
}

/// A shift under way: published by the organizer of an approved 东胜区 organisation,
/// `volunteers` signed up, then moved to run from `started_ago` seconds ago for `length`
/// seconds. Returns (organizer, org id, shift id).
pub async fn shift_under_way(
    app: &TestApp,
    volunteers: &[&User],
    started_ago: i64,
    length: i64,
) -> (User, String, String) {
    let (organizer, org) = app.approved_org("150602").await;
    let a = app
        .publish(
            &organizer,
            // A time of its own, so one volunteer may sign up for several of these.
            &activity_body(
                &org,
                &[(
                    2 * DAY + i64::from(app.next() % 1000) * 2 * 3600,
                    3600,
                    volunteers.len().max(1) as u32,
                )],
            ),
        )
        .await;
    let shift = a["shifts"][0]["id"].as_str().expect("shift id").to_string();
    for v in volunteers {
        let (status, body) = app.sign_up(&v.token, &shift).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let now = zhiyuan_functions::clock::now_unix();
    move_shift(
        &app.store,
        &shift,
        now - started_ago,
        now - started_ago + length,
    )
    .await;
    (organizer, org, shift)
}

impl TestApp {
    /// The organizer enters a volunteer's times by hand; returns the record.
    pub async fn attendance(
        &self,
        organizer: &User,
        shift: &str,
        user_id: &str,
        check_in: i64,
        check_out: Option<i64>,
    ) -> Value {
        let mut body = serde_json::json!({
            "user_id": user_id,
            "check_in": zhiyuan_shared::time::Timestamp::from_unix(check_in).rfc3339_cst(),
        });
        if let Some(o) = check_out {
            body["check_out"] = zhiyuan_shared::time::Timestamp::from_unix(o)
                .rfc3339_cst()
                .into();
        }
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                &format!("/api/shifts/{shift}/attendance"),
                &body,
                Some(&organizer.token),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        json
    }

    pub async fn post(&self, path: &str, body: &Value, token: &str) -> (StatusCode, Value) {
        self.send_json(reqwest::Method::POST, path, body, Some(token))
            .await
    }
}

/// A small file that starts the way files of this extension start (its magic bytes),
/// padded to `len` bytes.
pub fn sample_file(ext: &str, len: usize) -> Vec<u8> {
    let head: &[u8] = match ext {
        "pdf" => b"%PDF-1.7\n",
        "png" => b"\x89PNG\r\n\x1a\n",
        "jpg" | "jpeg" => &[0xFF, 0xD8, 0xFF, 0xE0],
        "docx" | "xlsx" | "pptx" => b"PK\x03\x04",
        _ => b"",
    };
    let mut bytes = head.to_vec();
    bytes.resize(len.max(head.len()), b' ');
    bytes
}

impl TestApp {
    /// Step 1 of an upload to an activity's archive: the answer (a ticket on 201).
    pub async fn request_upload(
        &self,
        user: &User,
        activity: &str,
        kind: &str,
        name: &str,
        content_type: &str,
        size: usize,
    ) -> (StatusCode, Value) {
        self.post(
            &format!("/api/activities/{activity}/attachments"),
            &json!({"kind": kind, "name": name, "content_type": content_type, "size": size}),
            &user.token,
        )
        .await
    }

    /// Step 2: sends `bytes` to the ticket's upload link as a browser would (its headers,
    /// no session).
    pub async fn send_upload(&self, ticket: &Value, bytes: Vec<u8>) -> StatusCode {
        let url = ticket["upload"]["url"].as_str().expect("upload url");
        let mut req = self.http.put(format!("{}{url}", self.base)).body(bytes);
        for h in ticket["upload"]["headers"].as_array().expect("headers") {
            req = req.header(
                h[0].as_str().expect("header name"),
                h[1].as_str().expect("header value"),
            );
        }
        req.send().await.expect("upload sent").status()
    }

    /// Step 3: reports the upload done.
    pub async fn complete_upload(
        &self,
        user: &User,
        activity: &str,
        ticket: &Value,
    ) -> (StatusCode, Value) {
        let file = ticket["attachment"]["id"].as_str().expect("attachment id");
        self.post(
            &format!("/api/activities/{activity}/attachments/{file}/complete"),
            &Value::Null,
            &user.token,
        )
        .await
    }

    /// All three steps for a well-formed file; returns the stored attachment.
    pub async fn attach(&self, organizer: &User, activity: &str, kind: &str, name: &str) -> Value {
        let ext = name.rsplit('.').next().unwrap_or_default();
        let bytes = sample_file(ext, 2048);
        let (status, ticket) = self
            .request_upload(organizer, activity, kind, name, "", bytes.len())
            .await;
        assert_eq!(status, StatusCode::CREATED, "{ticket}");
        assert_eq!(
            self.send_upload(&ticket, bytes).await,
            StatusCode::NO_CONTENT
        );
        let (status, stored) = self.complete_upload(organizer, activity, &ticket).await;
        assert_eq!(status, StatusCode::OK, "{stored}");
        stored
    }
}

/// One shift of a random record history: its organizer, id and start (Unix seconds).
pub struct HistoryShift {
    pub organizer: User,
    pub shift: String,
    pub start: i64,
}

/// A random history of record changes: hand entries, single and shift-wide
/// confirmations, corrections and voids, 30 % of them sent three times at once, each
/// through `app` or (half the time) `faulty`. Asserts no answer is a 500.
pub async fn random_record_history(
    app: &TestApp,
    faulty: &TestApp,
    volunteers: &[User],
    shifts: &[HistoryShift],
    rng: &mut impl rand::Rng,
    steps: usize,
) {
    use serde_json::json;
    for step in 0..steps {
        let s = &shifts[rng.gen_range(0..shifts.len())];
        let (shift, start) = (&s.shift, s.start);
        let v = &volunteers[rng.gen_range(0..volunteers.len())];
        let via = if rng.gen_bool(0.5) { faulty } else { app };
        let record = format!("{shift}{}", v.id);
        let at = |t: i64| zhiyuan_shared::time::Timestamp::from_unix(t).rfc3339_cst();
        let (i, o) = (rng.gen_range(0..5) * 1800, rng.gen_range(6..13) * 1800);
        let (path, body) = match rng.gen_range(0..5) {
            0 => (
                format!("/api/shifts/{shift}/attendance"),
                json!({"user_id": v.id, "check_in": at(start + i), "check_out": at(start + o)}),
            ),
            1 => (format!("/api/records/{record}/confirm"), Value::Null),
            2 => (format!("/api/shifts/{shift}/records/confirm"), Value::Null),
            3 => (
                format!("/api/records/{record}/correct"),
                json!({"check_in": at(start + i), "check_out": at(start + o), "reason": format!("step {step}")}),
            ),
            _ => (
                format!("/api/records/{record}/correct"),
                json!({"void": rng.gen_bool(0.3), "check_out": at(start + o), "reason": "核对"}),
            ),
        };
        // Sometimes the same request three times at once (a nervous double tap).
        let times = if rng.gen_bool(0.3) { 3 } else { 1 };
        let token = &s.organizer.token;
        let answers =
            futures::future::join_all((0..times).map(|_| via.post(&path, &body, token))).await;
        for (status, body) in answers {
            assert!(
                status != StatusCode::INTERNAL_SERVER_ERROR,
                "step {step}: {body}"
            );
        }
    }
}
