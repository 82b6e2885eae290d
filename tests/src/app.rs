//! The app started in-process on port 0, with typed request helpers and the people a
//! scenario needs.

use super::bodies::{DAY, activity_body, org_body, volunteer_body};
use super::dynamodb::{dynamodb_endpoint, fresh_store};
use super::process::{target_dir, workspace_root};
use futures::StreamExt;
use reqwest::StatusCode;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use zhiyuan_functions::app::{self, AppState};
use zhiyuan_functions::config::Config;
use zhiyuan_functions::store::Store;

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
    /// This app's SMS outbox (one JSON line a message).
    pub outbox: PathBuf,
    /// The app's session clock: a test moves it forward to see sessions idle out.
    pub clock: zhiyuan_functions::clock::Clock,
    province_admin: tokio::sync::OnceCell<String>,
    seq: AtomicU32,
    /// The requests the server is still working on (a 503 past the time limit included).
    in_flight: zhiyuan_functions::app::InFlight,
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
    /// Its Argon2 pool (the machine's default; a test of the 429 makes it small).
    pub password_pool: zhiyuan_functions::password_pool::PasswordPool,
}

impl Default for Deployment {
    fn default() -> Self {
        Self {
            name: "test",
            pii_secret: PII_SECRET,
            trusted_transfer_keys: vec![],
            password_pool: zhiyuan_functions::password_pool::PasswordPool::for_this_machine(),
        }
    }
}

pub async fn spawn_deployment(store: Store, d: Deployment) -> TestApp {
    // With RUST_LOG set, the server's log (a 500's detail among it) goes to the test's own
    // captured output, shown with its failure.
    if std::env::var_os("RUST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
    }
    let files_dir = target_dir().join("test-uploads").join(store.table_name());
    // Each app its own SMS outbox, so a test reads only its own messages.
    let outbox = target_dir()
        .join("test-outbox")
        .join(format!("{}.jsonl", store.table_name()));
    let config = Config {
        table: store.table_name().to_string(),
        dynamodb_endpoint: Some(dynamodb_endpoint()),
        keys: zhiyuan_functions::crypto::Keys::from_secrets(SESSION_SECRET, d.pii_secret)
            .expect("keys"),
        dist_dir: workspace_root().join("dist"),
        sender: zhiyuan_functions::notify::NoticeSender::Log,
        sms: zhiyuan_functions::sms::SmsSender::Outbox {
            path: outbox.clone(),
        },
        deployment: d.name.to_string(),
        trusted_transfer_keys: d.trusted_transfer_keys,
        hours_step_minutes: 30,
        files_dir: files_dir.clone(),
        files_bucket: None,
        password_pool: d.password_pool,
    };
    let keys = config.keys.clone();
    let clock = zhiyuan_functions::clock::Clock::system();
    let state = AppState {
        clock: clock.clone(),
        store: store.clone(),
        config: Arc::new(config),
        files: zhiyuan_functions::files::Files::Local {
            dir: files_dir.clone(),
        },
    };
    let in_flight = zhiyuan_functions::app::InFlight::default();
    let counted = in_flight.clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind port 0");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        let _ = axum::serve(
            listener,
            app::local_counted(state, counted)
                .into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await;
    });
    TestApp {
        base: format!("http://{addr}"),
        store,
        keys,
        http: reqwest::Client::new(),
        files_dir,
        outbox,
        clock,
        province_admin: tokio::sync::OnceCell::new(),
        seq: AtomicU32::new(0),
        in_flight,
    }
}

impl TestApp {
    /// Waits until the server has finished every request it was given, those it answered
    /// 503 past its time limit included: only then does the store hold all they wrote.
    pub async fn settled(&self) {
        self.in_flight.settled().await;
    }

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

    /// Signs a region admin in with both factors: the password, which answers
    /// `second_factor_required` and sends a code, then the password with that code read
    /// from the outbox. Returns the session token.
    pub async fn login_admin(&self, phone: &str, password: &str) -> String {
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                "/api/auth/login",
                &serde_json::json!({"phone": phone, "password": password}),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{json}");
        assert_eq!(json["error"]["code"], "second_factor_required", "{json}");
        let code = self
            .last_code(phone)
            .expect("a second-factor code in the outbox");
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                "/api/auth/login",
                &serde_json::json!({"phone": phone, "password": password, "code": code}),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        json["token"].as_str().expect("token").to_string()
    }

    /// `user`'s session after entering the password again (`POST /api/me/recheck`): the
    /// token that opens reveal and the exports for 5 minutes.
    pub async fn rechecked(&self, token: &str) -> String {
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                "/api/me/recheck",
                &serde_json::json!({"password": PASSWORD}),
                Some(token),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        json["token"].as_str().expect("token").to_string()
    }

    /// A token of `user`'s session stamped as re-checked now, minted with the test keys:
    /// for accounts written straight into the store, which have no password to enter.
    pub fn minted_recheck(&self, user: &User) -> String {
        let now = self.clock.now_unix();
        let mut claims = zhiyuan_functions::token::Claims::new(&user.id, 0, now, false);
        claims.rc = Some(now);
        zhiyuan_functions::token::sign(&self.keys, &claims).expect("signs")
    }

    /// `user`'s signed transfer file (`POST /api/me/transfer`, after a re-check).
    pub async fn transfer_file(&self, user: &User) -> Value {
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                "/api/me/transfer",
                &Value::Null,
                Some(&self.minted_recheck(user)),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{json}");
        json
    }

    /// The text messages this app has sent to `phone`, oldest first.
    pub fn sms_to(&self, phone: &str) -> Vec<Value> {
        std::fs::read_to_string(&self.outbox)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).expect("an outbox line is JSON"))
            .filter(|m| m["to"] == phone)
            .collect()
    }

    /// A fresh number for this app's phones and ID numbers.
    pub fn next(&self) -> u32 {
        self.seq.fetch_add(1, Ordering::Relaxed)
    }

    /// Asks for a verification code for `phone`, expecting 202.
    pub async fn request_code(&self, phone: &str, purpose: &str) {
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                "/api/auth/codes",
                &serde_json::json!({"phone": phone, "purpose": purpose}),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::ACCEPTED, "{json}");
    }

    /// The code in the newest text message to `phone` that carries one, read from this
    /// app's outbox as a person reads their phone.
    pub fn last_code(&self, phone: &str) -> Option<String> {
        self.sms_to(phone).iter().rev().find_map(|m| {
            let text = m["text"].as_str()?;
            let digits: String = text
                .chars()
                .skip_while(|c| !c.is_ascii_digit())
                .take_while(|c| c.is_ascii_digit())
                .collect();
            (digits.len() == 6).then_some(digits)
        })
    }

    /// The phone's one-a-minute resend limits (its codes' and its second factor's) run
    /// out, as if a minute had passed (a test that needs a second code for the same phone
    /// does not wait).
    pub async fn minute_passes_for(&self, phone: &str) {
        let index = self
            .keys
            .blind_index(zhiyuan_functions::service::accounts::PHONE, phone);
        for counter in ["code_phone", "code_phone_2fa"] {
            self.store
                .client()
                .delete_item()
                .table_name(self.store.table_name())
                .key(
                    "PK",
                    aws_sdk_dynamodb::types::AttributeValue::S(format!(
                        "THROTTLE#{counter}#{index}"
                    )),
                )
                .key(
                    "SK",
                    aws_sdk_dynamodb::types::AttributeValue::S("COOLDOWN".into()),
                )
                .send()
                .await
                .expect("the cooldown cleared");
        }
    }

    /// A fresh `purpose` code for `phone`: requested, then read from the outbox.
    pub async fn code_for(&self, phone: &str, purpose: &str) -> String {
        self.request_code(phone, purpose).await;
        self.last_code(phone).expect("a code in the outbox")
    }

    /// Registers a new account through the API, with a code read from the outbox.
    pub async fn register(&self) -> User {
        self.register_phone(&phone(self.next())).await
    }

    /// Registers an account for `phone` through the API (e.g. again, after it was closed),
    /// with a code read from the outbox.
    pub async fn register_phone(&self, phone: &str) -> User {
        let phone = phone.to_string();
        let code = self.code_for(&phone, "register").await;
        let (status, json) = self
            .send_json(
                reqwest::Method::POST,
                "/api/auth/register",
                &serde_json::json!({"phone": phone, "code": code, "password": PASSWORD, "display_name": "测试用户"}),
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

    /// Accounts for `phones`, all with the password hash `password_hash`, written straight
    /// into the store (as registration writes them) with tokens issued by the test keys:
    /// for tests of sign-in itself, where each registration's code and argon2id hash would
    /// only add minutes.
    pub async fn accounts_in_store(&self, phones: &[String], password_hash: &str) -> Vec<User> {
        use zhiyuan_functions::store::accounts::{NewAccount, UserItem};
        let now = zhiyuan_functions::clock::now_unix();
        let mut out = Vec::with_capacity(phones.len());
        for p in phones {
            let id = zhiyuan_functions::ids::UserId::generate();
            let user = UserItem::new(
                &id,
                NewAccount {
                    display_name: "测试用户".into(),
                    phone_sealed: self.keys.seal(p).expect("seals"),
                    phone_index: self.keys.blind_index("phone", p),
                    password_hash: password_hash.to_string(),
                },
                zhiyuan_functions::clock::now_rfc3339(),
            );
            self.store.create_user(&user).await.expect("create user");
            out.push(User {
                token: zhiyuan_functions::token::issue(&self.keys, &id, 0, now).expect("issues"),
                id: id.to_string(),
                phone: p.clone(),
            });
        }
        out
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
        if role == zhiyuan_shared::account::Role::RegionAdmin {
            // An admin acts only in a session signed in with the second factor.
            let token = self.login_admin(&u.phone, PASSWORD).await;
            return User { token, ..u };
        }
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
                phone_sealed: keys.seal(&phone(seq)).expect("seals"),
                phone_index: keys.blind_index("phone", &phone(seq)),
                password_hash: "not-a-hash".into(),
                token_gen: 0,
                roles: vec![],
                volunteer: Some(VolunteerItem {
                    volunteer_no: format!("{region}{seq:08}"),
                    real_name: format!("志愿者{seq}"),
                    id_sealed: keys.seal(&id_number(seq)).expect("seals"),
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
                closed_at: None,
                assisted: None,
            };
            out.push(User {
                token: zhiyuan_functions::token::issue(keys, &id, 0, now).expect("issues"),
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
