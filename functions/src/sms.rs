//! Text messages to phones (verification codes and notices), through the provider the
//! deployment configures with `ZHIYUAN_SMS_SENDER`:
//!
//! - `outbox` (the default, and the local stack's): each message is appended as one JSON
//!   line `{"to", "text", "kind", "at"}` to a file (`ZHIYUAN_SMS_OUTBOX`, default
//!   `.data/outbox/sms.jsonl`), which tests and demos read codes from. There is no local
//!   engine for SMS, so this adapter stands behind the same interface as the real ones.
//!
//! - `sns`: Amazon SNS `Publish` straight to the phone (E.164, +86), through the AWS SDK and
//!   the function's role, for AWS regions. The text is sent as written (sign included).
//! - `tencent`: Tencent Cloud SMS `SendSms` (API 2021-01-11), HTTPS signed with
//!   TC3-HMAC-SHA256. Mainland carriers only deliver approved templates, so the provider
//!   gets a template id (per message kind, from configuration) and the message's
//!   parameters; the sign name is configuration too.
//!
//! Whatever the provider, the log gets one line per message with its kind and the masked
//! number, never the text: a verification code must not reach a log.

use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use zhiyuan_shared::identity::Phone;

/// One message to one phone.
pub struct SmsMessage {
    pub to: Phone,
    /// The whole text as the phone shows it (a template filled in).
    pub text: String,
    /// What the message is for, e.g. `code_register` or a notice kind's slug.
    pub kind: String,
    /// The values a provider-side template is filled with, in order (Tencent's
    /// `TemplateParamSet`): the parts of `text` that vary.
    pub params: Vec<String>,
}

// The text may hold a code: Debug shows only the kind and the masked number.
impl std::fmt::Debug for SmsMessage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SmsMessage({} to {})", self.kind, self.to.masked())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SmsError {
    /// The provider could not be reached or refused for now: worth retrying.
    #[error("sms provider unavailable: {0}")]
    Unavailable(String),
    /// The provider refused this message for good (bad number, template not approved).
    #[error("sms refused: {0}")]
    Refused(String),
}

#[derive(Debug, Clone)]
pub enum SmsSender {
    /// Appends to a local JSON-lines file.
    Outbox { path: PathBuf },
    /// Amazon SNS, with the function's own credentials and region.
    Sns(Sns),
    /// Tencent Cloud SMS.
    Tencent(Arc<Tencent>),
}

/// The SNS client is built on first use: building it reads the environment's
/// credentials asynchronously, and configuration is read synchronously at start.
#[derive(Debug, Clone, Default)]
pub struct Sns {
    client: Arc<tokio::sync::OnceCell<aws_sdk_sns::Client>>,
}

/// Tencent Cloud SMS settings (`ZHIYUAN_SMS_TENCENT_*`).
pub struct Tencent {
    pub secret_id: String,
    pub secret_key: String,
    /// The SMS application (`SmsSdkAppId`, e.g. `1400006666`).
    pub sdk_app_id: String,
    /// The approved sign (签名), without brackets.
    pub sign_name: String,
    /// API region, e.g. `ap-guangzhou`.
    pub region: String,
    /// Message kind → approved template id.
    pub templates: BTreeMap<String, String>,
    /// `https://sms.tencentcloudapi.com` unless overridden (`ZHIYUAN_SMS_TENCENT_ENDPOINT`).
    pub endpoint: String,
    http: reqwest::Client,
}

// The secret key never reaches a log.
impl std::fmt::Debug for Tencent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tencent")
            .field("secret_id", &self.secret_id)
            .field("sdk_app_id", &self.sdk_app_id)
            .field("sign_name", &self.sign_name)
            .field("region", &self.region)
            .field("templates", &self.templates)
            .finish_non_exhaustive()
    }
}

/// One outbox line.
#[derive(Serialize)]
struct OutboxLine<'a> {
    to: &'a str,
    text: &'a str,
    kind: &'a str,
    /// RFC 3339, Beijing time.
    at: String,
}

impl SmsSender {
    pub fn from_env() -> Result<Self, String> {
        Self::from_vars(|k| std::env::var(k).ok())
    }

    /// Reads the settings through `var`, so a test can give them without the environment.
    /// Every setting the chosen sender needs must be present, or the process does not
    /// start.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let var = |k: &str| {
            var(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let need = |k: &str| {
            var(k).ok_or_else(|| {
                format!(
                    "{k} must be set when ZHIYUAN_SMS_SENDER={}",
                    sender_name(&var)
                )
            })
        };
        match var("ZHIYUAN_SMS_SENDER").as_deref() {
            None | Some("outbox") => Ok(Self::Outbox {
                path: var("ZHIYUAN_SMS_OUTBOX")
                    .map(PathBuf::from)
                    .unwrap_or_else(|| PathBuf::from(".data/outbox/sms.jsonl")),
            }),
            Some("sns") => Ok(Self::Sns(Sns::default())),
            Some("tencent") => {
                let templates = parse_templates(&need("ZHIYUAN_SMS_TENCENT_TEMPLATES")?)?;
                // Any notice kind can be chosen for SMS, so each needs its template.
                let missing: Vec<&str> = zhiyuan_shared::notice::NoticeKind::ALL
                    .iter()
                    .map(|k| k.slug())
                    .filter(|k| !templates.contains_key(*k))
                    .collect();
                if !missing.is_empty() {
                    return Err(format!(
                        "ZHIYUAN_SMS_TENCENT_TEMPLATES has no template id for: {}",
                        missing.join(", ")
                    ));
                }
                let sdk_app_id = need("ZHIYUAN_SMS_TENCENT_SDK_APP_ID")?;
                if !sdk_app_id.chars().all(|c| c.is_ascii_digit()) {
                    return Err(format!(
                        "ZHIYUAN_SMS_TENCENT_SDK_APP_ID must be digits, not {sdk_app_id:?}"
                    ));
                }
                let http = reqwest::Client::builder()
                    .timeout(std::time::Duration::from_secs(10))
                    .build()
                    .map_err(|e| format!("the HTTPS client for Tencent SMS: {e}"))?;
                Ok(Self::Tencent(Arc::new(Tencent {
                    secret_id: need("ZHIYUAN_SMS_TENCENT_SECRET_ID")?,
                    secret_key: need("ZHIYUAN_SMS_TENCENT_SECRET_KEY")?,
                    sdk_app_id,
                    sign_name: need("ZHIYUAN_SMS_TENCENT_SIGN_NAME")?,
                    region: var("ZHIYUAN_SMS_TENCENT_REGION")
                        .unwrap_or_else(|| "ap-guangzhou".into()),
                    templates,
                    endpoint: var("ZHIYUAN_SMS_TENCENT_ENDPOINT")
                        .unwrap_or_else(|| format!("https://{TENCENT_HOST}")),
                    http,
                })))
            }
            Some(other) => Err(format!(
                "ZHIYUAN_SMS_SENDER={other} is not a known sender (known: outbox, sns, tencent)"
            )),
        }
    }

    /// Sends one message. Returns once the provider has taken it.
    pub async fn send(&self, msg: &SmsMessage) -> Result<(), SmsError> {
        match self {
            Self::Outbox { path } => {
                let line = OutboxLine {
                    to: msg.to.expose(),
                    text: &msg.text,
                    kind: &msg.kind,
                    at: crate::clock::now_rfc3339(),
                };
                let mut bytes =
                    serde_json::to_vec(&line).map_err(|e| SmsError::Refused(e.to_string()))?;
                bytes.push(b'\n');
                append(path.clone(), bytes)
                    .await
                    .map_err(|e| SmsError::Unavailable(e.to_string()))?;
            }
            Self::Sns(sns) => sns.publish(msg).await?,
            Self::Tencent(t) => t.send(msg).await?,
        }
        tracing::info!(kind = %msg.kind, to = %msg.to.masked(), "sms sent");
        Ok(())
    }
}

fn sender_name(var: &impl Fn(&str) -> Option<String>) -> String {
    var("ZHIYUAN_SMS_SENDER").unwrap_or_default()
}

/// `kind=template_id` pairs, comma-separated: `promoted=1234567,reminder=1234568`.
fn parse_templates(raw: &str) -> Result<BTreeMap<String, String>, String> {
    let mut out = BTreeMap::new();
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (kind, id) = pair
            .split_once('=')
            .map(|(k, v)| (k.trim(), v.trim()))
            .filter(|(k, v)| {
                !k.is_empty() && !v.is_empty() && v.chars().all(|c| c.is_ascii_digit())
            })
            .ok_or_else(|| {
                format!("ZHIYUAN_SMS_TENCENT_TEMPLATES: {pair:?} is not kind=template_id (digits)")
            })?;
        out.insert(kind.to_string(), id.to_string());
    }
    Ok(out)
}

/// E.164 for a mainland number.
fn e164(phone: &Phone) -> String {
    format!("+86{}", phone.expose())
}

impl Sns {
    async fn client(&self) -> &aws_sdk_sns::Client {
        self.client
            .get_or_init(|| async { aws_sdk_sns::Client::new(crate::aws::shared_config().await) })
            .await
    }

    async fn publish(&self, msg: &SmsMessage) -> Result<(), SmsError> {
        use aws_sdk_sns::error::ProvideErrorMetadata;
        use aws_sdk_sns::types::MessageAttributeValue;
        let transactional = MessageAttributeValue::builder()
            .data_type("String")
            .string_value("Transactional")
            .build()
            .map_err(|e| SmsError::Refused(e.to_string()))?;
        self.client()
            .await
            .publish()
            .phone_number(e164(&msg.to))
            .message(&msg.text)
            .message_attributes("AWS.SNS.SMS.SMSType", transactional)
            .send()
            .await
            .map_err(|e| {
                let code = e.code().unwrap_or_default().to_string();
                // Bad parameters, opted-out numbers and missing permission do not get
                // better by retrying; throttling and outages do.
                if code.starts_with("InvalidParameter")
                    || code == "AuthorizationError"
                    || code == "OptedOut"
                {
                    SmsError::Refused(code)
                } else {
                    SmsError::Unavailable(format!(
                        "{code} {}",
                        aws_sdk_sns::error::DisplayErrorContext(&e)
                    ))
                }
            })?;
        Ok(())
    }
}

/// Tencent Cloud's SMS API host, service name and version.
pub const TENCENT_HOST: &str = "sms.tencentcloudapi.com";
const TENCENT_SERVICE: &str = "sms";
const TENCENT_VERSION: &str = "2021-01-11";

/// A request signed with TC3-HMAC-SHA256 (Tencent Cloud API 3.0, 签名方法 v3): a POST of
/// a JSON body to `/` with the `content-type` and `host` headers signed.
#[derive(Debug, PartialEq, Eq)]
pub struct Tc3Signed {
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature: String,
    pub authorization: String,
}

/// Signs a Tencent Cloud API 3.0 POST request.
pub fn tc3_sign(
    secret_id: &str,
    secret_key: &str,
    service: &str,
    host: &str,
    timestamp: i64,
    payload: &str,
) -> Tc3Signed {
    use sha2::{Digest, Sha256};
    let hmac = |key: &[u8], msg: &str| crate::crypto::hmac_sha256(key, msg.as_bytes());
    let sha_hex = |s: &str| hex::encode(Sha256::digest(s.as_bytes()));
    let signed_headers = "content-type;host";
    let canonical_request = format!(
        "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:{host}\n\n{signed_headers}\n{}",
        sha_hex(payload)
    );
    // The credential's date is the UTC date of the timestamp, not the local one.
    let date = zhiyuan_shared::time::Timestamp::from_unix(
        timestamp - zhiyuan_shared::time::CST_OFFSET_SECONDS,
    )
    .cst_date()
    .iso();
    let scope = format!("{date}/{service}/tc3_request");
    let string_to_sign = format!(
        "TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{}",
        sha_hex(&canonical_request)
    );
    let secret_date = hmac(format!("TC3{secret_key}").as_bytes(), &date);
    let secret_service = hmac(&secret_date, service);
    let secret_signing = hmac(&secret_service, "tc3_request");
    let signature = hex::encode(hmac(&secret_signing, &string_to_sign));
    let authorization = format!(
        "TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders={signed_headers}, Signature={signature}"
    );
    Tc3Signed {
        canonical_request,
        string_to_sign,
        signature,
        authorization,
    }
}

/// `SendSms`'s request body.
#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct SendSms<'a> {
    phone_number_set: [String; 1],
    sms_sdk_app_id: &'a str,
    sign_name: &'a str,
    template_id: &'a str,
    template_param_set: &'a [String],
}

impl Tencent {
    async fn send(&self, msg: &SmsMessage) -> Result<(), SmsError> {
        let template_id = self.templates.get(&msg.kind).ok_or_else(|| {
            SmsError::Refused(format!("no Tencent template configured for {}", msg.kind))
        })?;
        let payload = serde_json::to_string(&SendSms {
            phone_number_set: [e164(&msg.to)],
            sms_sdk_app_id: &self.sdk_app_id,
            sign_name: &self.sign_name,
            template_id,
            template_param_set: &msg.params,
        })
        .map_err(|e| SmsError::Refused(e.to_string()))?;
        let timestamp = crate::clock::now_unix();
        let signed = tc3_sign(
            &self.secret_id,
            &self.secret_key,
            TENCENT_SERVICE,
            TENCENT_HOST,
            timestamp,
            &payload,
        );
        let answer: serde_json::Value = self
            .http
            .post(&self.endpoint)
            .header("Authorization", signed.authorization)
            .header("Content-Type", "application/json; charset=utf-8")
            .header("Host", TENCENT_HOST)
            .header("X-TC-Action", "SendSms")
            .header("X-TC-Timestamp", timestamp.to_string())
            .header("X-TC-Version", TENCENT_VERSION)
            .header("X-TC-Region", &self.region)
            .body(payload)
            .send()
            .await
            .map_err(|e| SmsError::Unavailable(e.to_string()))?
            .json()
            .await
            .map_err(|e| SmsError::Unavailable(e.to_string()))?;
        tencent_outcome(&answer)
    }
}

/// Reads `SendSms`'s answer: an `Error` for the whole request, or one status per number
/// whose `Code` is `Ok` when the message was taken.
fn tencent_outcome(answer: &serde_json::Value) -> Result<(), SmsError> {
    let response = &answer["Response"];
    let (code, message) = if let Some(err) = response.get("Error") {
        (err["Code"].as_str(), err["Message"].as_str())
    } else {
        let status = &response["SendStatusSet"][0];
        (status["Code"].as_str(), status["Message"].as_str())
    };
    match code {
        Some("Ok") => Ok(()),
        Some(code) => {
            let detail = format!("{code}: {}", message.unwrap_or_default());
            // Tencent's own trouble and rate limits pass; anything else (signature,
            // template, number, balance) needs a person.
            if code.starts_with("InternalError")
                || code.starts_with("LimitExceeded")
                || code.starts_with("RequestLimitExceeded")
            {
                Err(SmsError::Unavailable(detail))
            } else {
                Err(SmsError::Refused(detail))
            }
        }
        None => Err(SmsError::Unavailable(format!(
            "unexpected answer from Tencent SMS: {answer}"
        ))),
    }
}

/// One `write` of a whole line to a file opened for appending: concurrent senders in one
/// or several processes never interleave their lines.
async fn append(path: PathBuf, bytes: Vec<u8>) -> std::io::Result<()> {
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)?;
        f.write_all(&bytes)
    })
    .await
    .map_err(std::io::Error::other)?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_outbox_gets_one_json_line_per_message() {
        let dir = std::env::temp_dir().join(format!("zhiyuan-sms-{}", ulid::Ulid::new()));
        let path = dir.join("sms.jsonl");
        let sender = SmsSender::Outbox { path: path.clone() };
        for text in ["第一条", "第二条"] {
            let msg = SmsMessage {
                to: Phone::parse("13900000001").expect("a phone"),
                text: text.into(),
                kind: "test".into(),
                params: vec![],
            };
            sender.send(&msg).await.expect("sent");
        }
        let lines: Vec<serde_json::Value> = std::fs::read_to_string(&path)
            .expect("the outbox exists")
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["to"], "13900000001");
        assert_eq!(lines[1]["text"], "第二条");
        assert_eq!(lines[1]["kind"], "test");
        assert!(lines[1]["at"].as_str().expect("at").ends_with("+08:00"));
        std::fs::remove_dir_all(dir).expect("cleaned up");
    }

    /// Tencent Cloud API 3.0 "签名方法 v3" (TC3-HMAC-SHA256) worked example, as published
    /// (https://cloud.tencent.com/document/api/213/30654 and every product's copy of the
    /// page): CVM DescribeInstances in ap-guangzhou, SecretId
    /// AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE, SecretKey Gu5t9xGARNpq86cd98joQYCN3EXAMPLE,
    /// timestamp 1551113065. Each intermediate value is the document's.
    #[test]
    fn tencent_signing_reproduces_the_published_example() {
        let payload = r#"{"Limit": 1, "Filters": [{"Values": ["\u672a\u547d\u540d"], "Name": "instance-name"}]}"#;
        let signed = tc3_sign(
            "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
            "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
            "cvm",
            "cvm.tencentcloudapi.com",
            1551113065,
            payload,
        );
        assert_eq!(
            signed.canonical_request,
            "POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:cvm.tencentcloudapi.com\n\ncontent-type;host\n35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064"
        );
        assert_eq!(
            signed.string_to_sign,
            "TC3-HMAC-SHA256\n1551113065\n2019-02-25/cvm/tc3_request\n5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031"
        );
        assert_eq!(
            signed.signature,
            "72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
        assert_eq!(
            signed.authorization,
            "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168"
        );
    }

    fn vars(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: std::collections::HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn the_sender_is_configuration_and_a_missing_setting_stops_the_start() {
        assert!(matches!(
            SmsSender::from_vars(vars(&[])),
            Ok(SmsSender::Outbox { .. })
        ));
        assert!(matches!(
            SmsSender::from_vars(vars(&[("ZHIYUAN_SMS_SENDER", "sns")])),
            Ok(SmsSender::Sns(_))
        ));
        let unknown =
            SmsSender::from_vars(vars(&[("ZHIYUAN_SMS_SENDER", "pigeon")])).expect_err("refused");
        assert!(unknown.contains("pigeon"), "{unknown}");
        let full = [
            ("ZHIYUAN_SMS_SENDER", "tencent"),
            ("ZHIYUAN_SMS_TENCENT_SECRET_ID", "AKIDEXAMPLE"),
            ("ZHIYUAN_SMS_TENCENT_SECRET_KEY", "secret"),
            ("ZHIYUAN_SMS_TENCENT_SDK_APP_ID", "1400006666"),
            ("ZHIYUAN_SMS_TENCENT_SIGN_NAME", "志愿"),
            (
                "ZHIYUAN_SMS_TENCENT_TEMPLATES",
                "promoted=1001, reminder=1002, activity_cancelled=1003, org_approved=1004, \
                 org_rejected=1005, member_approved=1006, need_claimed=1007, need_done=1008, \
                 identity_appeal_approved=1009, identity_appeal_refused=1010, \
                 identity_moved_away=1011, activity_changed=1012, need_dispatched=1013, \
                 need_dispatched_to_org=1014, need_accepted=1015, need_returned=1016, \
                 need_rated=1017, backfill_applied=1018, backfill_approved=1019, \
                 backfill_refused=1020, rating_replied=1021",
            ),
        ];
        let SmsSender::Tencent(t) = SmsSender::from_vars(vars(&full)).expect("configured") else {
            panic!("not tencent");
        };
        assert_eq!(
            t.templates.get("reminder").map(String::as_str),
            Some("1002")
        );
        assert_eq!(t.region, "ap-guangzhou");
        assert!(
            !format!("{t:?}").contains("secret\""),
            "the key stays out of Debug"
        );
        let without_key: Vec<_> = full
            .iter()
            .copied()
            .filter(|(k, _)| *k != "ZHIYUAN_SMS_TENCENT_SECRET_KEY")
            .collect();
        let e = SmsSender::from_vars(vars(&without_key)).expect_err("refused");
        assert!(e.contains("ZHIYUAN_SMS_TENCENT_SECRET_KEY"), "{e}");
        let mut bad_templates = full.to_vec();
        bad_templates[5] = ("ZHIYUAN_SMS_TENCENT_TEMPLATES", "promoted");
        let e = SmsSender::from_vars(vars(&bad_templates)).expect_err("refused");
        assert!(e.contains("ZHIYUAN_SMS_TENCENT_TEMPLATES"), "{e}");
        bad_templates[5] = ("ZHIYUAN_SMS_TENCENT_TEMPLATES", "promoted=1001");
        let e = SmsSender::from_vars(vars(&bad_templates)).expect_err("refused");
        assert!(
            e.contains("reminder"),
            "names a kind without a template: {e}"
        );
    }

    #[test]
    fn tencent_answers_are_read_as_taken_retryable_or_refused() {
        let ok = serde_json::json!({"Response": {"SendStatusSet": [{"Code": "Ok", "Message": "send success"}], "RequestId": "x"}});
        assert!(tencent_outcome(&ok).is_ok());
        let busy = serde_json::json!({"Response": {"Error": {"Code": "InternalError.Timeout", "Message": "t"}}});
        assert!(matches!(
            tencent_outcome(&busy),
            Err(SmsError::Unavailable(_))
        ));
        let bad = serde_json::json!({"Response": {"SendStatusSet": [{"Code": "FailedOperation.TemplateIncorrectOrUnapproved", "Message": "m"}]}});
        assert!(matches!(tencent_outcome(&bad), Err(SmsError::Refused(_))));
    }

    /// A stand-in for Tencent's endpoint that checks the request as Tencent would: the
    /// action headers, the body, and the signature recomputed from them.
    async fn fake_tencent(
        answer_code: &'static str,
    ) -> (String, Arc<std::sync::Mutex<Vec<serde_json::Value>>>) {
        use axum::http::HeaderMap;
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        let app = axum::Router::new().route(
            "/",
            axum::routing::post(move |headers: HeaderMap, body: String| {
                let log = log.clone();
                async move {
                    let h = |k: &str| headers.get(k).and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
                    let ts: i64 = h("x-tc-timestamp").parse().expect("a timestamp");
                    let expected = tc3_sign("AKIDEXAMPLE", "secret", "sms", TENCENT_HOST, ts, &body);
                    let signed = h("authorization") == expected.authorization
                        && h("x-tc-action") == "SendSms"
                        && h("x-tc-version") == "2021-01-11"
                        && h("x-tc-region") == "ap-guangzhou"
                        && h("content-type") == "application/json; charset=utf-8";
                    log.lock().expect("lock").push(serde_json::from_str(&body).expect("JSON body"));
                    let code = if signed { answer_code } else { "AuthFailure.SignatureFailure" };
                    axum::Json(serde_json::json!({"Response": {"SendStatusSet": [{"Code": code, "Message": "m"}], "RequestId": "r"}}))
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(async move { axum::serve(listener, app).await });
        (format!("http://{addr}/"), seen)
    }

    fn tencent_at(endpoint: &str) -> SmsSender {
        let templates = zhiyuan_shared::notice::NoticeKind::ALL
            .iter()
            .enumerate()
            .map(|(i, k)| format!("{}={}", k.slug(), 2000 + i))
            .collect::<Vec<_>>()
            .join(",");
        let pairs = [
            ("ZHIYUAN_SMS_SENDER", "tencent"),
            ("ZHIYUAN_SMS_TENCENT_SECRET_ID", "AKIDEXAMPLE"),
            ("ZHIYUAN_SMS_TENCENT_SECRET_KEY", "secret"),
            ("ZHIYUAN_SMS_TENCENT_SDK_APP_ID", "1400006666"),
            ("ZHIYUAN_SMS_TENCENT_SIGN_NAME", "志愿"),
            ("ZHIYUAN_SMS_TENCENT_TEMPLATES", &templates),
            ("ZHIYUAN_SMS_TENCENT_ENDPOINT", endpoint),
        ];
        SmsSender::from_vars(vars(&pairs)).expect("configured")
    }

    fn promoted() -> SmsMessage {
        SmsMessage {
            to: Phone::parse("13900000001").expect("a phone"),
            text: "【志愿】您已从候补转为正式报名「植树」，12月1日09:00开始，请准时参加。".into(),
            kind: "promoted".into(),
            params: vec!["植树".into(), "12月1日09:00".into()],
        }
    }

    #[tokio::test]
    async fn tencent_gets_a_signed_send_sms_with_the_kinds_template_and_its_parameters() {
        let (endpoint, seen) = fake_tencent("Ok").await;
        tencent_at(&endpoint)
            .send(&promoted())
            .await
            .expect("taken");
        let body = seen.lock().expect("lock")[0].clone();
        assert_eq!(
            body,
            serde_json::json!({
                "PhoneNumberSet": ["+8613900000001"],
                "SmsSdkAppId": "1400006666",
                "SignName": "志愿",
                "TemplateId": "2000",
                "TemplateParamSet": ["植树", "12月1日09:00"],
            })
        );
    }

    #[tokio::test]
    async fn a_message_tencent_refuses_is_not_retried_and_a_kind_without_template_never_leaves() {
        let (endpoint, seen) = fake_tencent("FailedOperation.PhoneNumberInBlacklist").await;
        let sender = tencent_at(&endpoint);
        assert!(matches!(
            sender.send(&promoted()).await,
            Err(SmsError::Refused(_))
        ));
        let unknown = SmsMessage {
            kind: "code_register".into(),
            ..promoted()
        };
        assert!(matches!(
            sender.send(&unknown).await,
            Err(SmsError::Refused(_))
        ));
        assert_eq!(
            seen.lock().expect("lock").len(),
            1,
            "no request without a template"
        );
    }
}
