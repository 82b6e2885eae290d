//! A Lambda Runtime API stand-in: the real Lambda binaries run against it as they would in
//! Lambda (`AWS_LAMBDA_RUNTIME_API`), asking `GET /2018-06-01/runtime/invocation/next` for
//! an event and posting the answer to `…/invocation/{id}/response` (or `…/error`). The same
//! server can answer Secrets Manager's `GetSecretValue` (point
//! `AWS_ENDPOINT_URL_SECRETS_MANAGER` at it), so a function reads its secrets by ARN as the
//! template has it. Used by the Lambda tests and the cold-start bench.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::routing::{get, post};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{Mutex, mpsc, oneshot};

#[derive(Clone)]
struct Shared {
    events: Arc<Mutex<mpsc::Receiver<(String, Value)>>>,
    waiting: Arc<Mutex<HashMap<String, oneshot::Sender<Value>>>>,
    /// Secret values by ARN, for `GetSecretValue`.
    secrets: Arc<HashMap<String, String>>,
    /// When the function first asked for an event: its initialisation was done.
    first_next: Arc<std::sync::OnceLock<Instant>>,
    /// When the function first asked for a secret.
    first_secret: Arc<std::sync::OnceLock<Instant>>,
}

/// The stand-in, listening on a free local port.
pub struct RuntimeApi {
    addr: SocketAddr,
    events: mpsc::Sender<(String, Value)>,
    waiting: Arc<Mutex<HashMap<String, oneshot::Sender<Value>>>>,
    first_next: Arc<std::sync::OnceLock<Instant>>,
    first_secret: Arc<std::sync::OnceLock<Instant>>,
    seq: u32,
}

impl RuntimeApi {
    /// Starts a stand-in without secrets.
    pub async fn start() -> RuntimeApi {
        Self::with_secrets(HashMap::new()).await
    }

    /// Starts a stand-in that also answers `GetSecretValue` for these ARNs.
    pub async fn with_secrets(secrets: HashMap<String, String>) -> RuntimeApi {
        let (tx, rx) = mpsc::channel(16);
        let waiting = Arc::new(Mutex::new(HashMap::new()));
        let shared = Shared {
            events: Arc::new(Mutex::new(rx)),
            waiting: waiting.clone(),
            secrets: Arc::new(secrets),
            first_next: Arc::default(),
            first_secret: Arc::default(),
        };
        let first_next = shared.first_next.clone();
        let first_secret = shared.first_secret.clone();
        let app = Router::new()
            .route("/2018-06-01/runtime/invocation/next", get(next))
            .route(
                "/2018-06-01/runtime/invocation/{id}/response",
                post(respond),
            )
            .route("/2018-06-01/runtime/invocation/{id}/error", post(error))
            .route("/", post(get_secret_value))
            .with_state(shared);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        RuntimeApi {
            addr,
            events: tx,
            waiting,
            first_next,
            first_secret,
            seq: 0,
        }
    }

    /// `host:port`, the value of `AWS_LAMBDA_RUNTIME_API`.
    pub fn addr(&self) -> String {
        self.addr.to_string()
    }

    /// Where Secrets Manager is, for `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// When the function first asked for an event (its initialisation ended), if it has.
    pub fn first_next_at(&self) -> Option<Instant> {
        self.first_next.get().copied()
    }

    /// When the function first asked for a secret, if it has.
    pub fn first_secret_at(&self) -> Option<Instant> {
        self.first_secret.get().copied()
    }

    /// Queues `event` for the next `invocation/next`; the returned receiver gets the
    /// function's answer (or `{"runtime_error": …}`).
    pub async fn queue(&mut self, event: Value) -> oneshot::Receiver<Value> {
        self.seq += 1;
        let id = format!("req-{}", self.seq);
        let (tx, rx) = oneshot::channel();
        self.waiting.lock().await.insert(id.clone(), tx);
        self.events.send((id, event)).await.expect("queue event");
        rx
    }

    /// Queues `event` and waits (at most 30 s) for the function's answer.
    pub async fn invoke(&mut self, event: Value) -> Value {
        let rx = self.queue(event).await;
        tokio::time::timeout(Duration::from_secs(30), rx)
            .await
            .expect("the function answered in time")
            .expect("answer")
    }
}

async fn next(State(rt): State<Shared>) -> (HeaderMap, String) {
    let _ = rt.first_next.set(Instant::now());
    let (id, event) = rt
        .events
        .lock()
        .await
        .recv()
        .await
        .unwrap_or_else(|| (String::from("end"), json!({})));
    let mut h = HeaderMap::new();
    let hv = |s: &str| HeaderValue::from_str(s).unwrap_or(HeaderValue::from_static(""));
    h.insert("lambda-runtime-aws-request-id", hv(&id));
    h.insert(
        "lambda-runtime-deadline-ms",
        hv(&(now_ms() + 30_000).to_string()),
    );
    h.insert(
        "lambda-runtime-invoked-function-arn",
        hv("arn:aws:lambda:cn-north-1:123456789012:function:zhiyuan"),
    );
    h.insert(
        "lambda-runtime-trace-id",
        hv("Root=1-00000000-000000000000000000000000"),
    );
    (h, event.to_string())
}

async fn respond(State(rt): State<Shared>, Path(id): Path<String>, body: String) -> StatusCode {
    if let Some(tx) = rt.waiting.lock().await.remove(&id) {
        let _ = tx.send(serde_json::from_str(&body).unwrap_or(Value::String(body)));
    }
    StatusCode::ACCEPTED
}

async fn error(State(rt): State<Shared>, Path(id): Path<String>, body: String) -> StatusCode {
    if let Some(tx) = rt.waiting.lock().await.remove(&id) {
        let _ = tx.send(json!({"runtime_error": body}));
    }
    StatusCode::ACCEPTED
}

/// Secrets Manager's `GetSecretValue` (JSON 1.1 protocol: `POST /`, the operation in
/// `x-amz-target`); the request's signature is not checked.
async fn get_secret_value(
    State(rt): State<Shared>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, HeaderMap, String) {
    let _ = rt.first_secret.set(Instant::now());
    let mut h = HeaderMap::new();
    h.insert(
        "content-type",
        HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    let target = headers
        .get("x-amz-target")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let arn = serde_json::from_str::<Value>(&body).unwrap_or_default()["SecretId"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    match rt.secrets.get(&arn) {
        Some(value) if target == "secretsmanager.GetSecretValue" => {
            let out = json!({
                "ARN": arn, "Name": arn.rsplit(':').next(), "SecretString": value,
                "VersionId": "v1", "VersionStages": ["AWSCURRENT"], "CreatedDate": 1.7e9
            });
            (StatusCode::OK, h, out.to_string())
        }
        _ => {
            let out = json!({"__type": "ResourceNotFoundException", "message": "no such secret"});
            (StatusCode::BAD_REQUEST, h, out.to_string())
        }
    }
}

fn now_ms() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or(0)
}

/// An API Gateway HTTP API payload v2 event.
pub fn http_event(
    method: &str,
    path: &str,
    query: &str,
    body: Option<&Value>,
    token: Option<&str>,
) -> Value {
    let mut headers = json!({"host": "abc.execute-api.cn-north-1.amazonaws.com.cn", "content-type": "application/json"});
    if let Some(t) = token {
        headers["authorization"] = json!(format!("Bearer {t}"));
    }
    json!({
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": headers,
        "queryStringParameters": query.split('&').filter(|p| !p.is_empty()).filter_map(|p| p.split_once('=')).map(|(k, v)| (k.to_string(), json!(v))).collect::<serde_json::Map<_, _>>(),
        "requestContext": {
            "accountId": "123456789012", "apiId": "abc", "domainName": "abc.execute-api.cn-north-1.amazonaws.com.cn",
            "domainPrefix": "abc", "requestId": "req", "routeKey": "$default", "stage": "$default",
            "time": "22/Nov/2026:12:00:00 +0000", "timeEpoch": 1795000000000u64,
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "127.0.0.1", "userAgent": "zhiyuan-test"}
        },
        "body": body.map(|b| b.to_string()),
        "isBase64Encoded": false
    })
}
