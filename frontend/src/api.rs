//! The one HTTP client of the app: typed requests, and the API's error body decoded into
//! a typed error a page can show in the reader's language.

use crate::i18n::{Lang, t};
use gloo_net::http::{Method, RequestBuilder};
use serde::Serialize;
use serde::de::DeserializeOwned;
use zhiyuan_shared::account::{
    LoginRequest, LoginResponse, Me, RegisterRequest, RegisterResponse, Revealed, VolunteerProfile,
    VolunteerRequest,
};
use zhiyuan_shared::activity::{
    Activity, ActivityInput, CancelActivityRequest, MyShift, RosterEntry, SignupRequest,
    SignupResult,
};
use zhiyuan_shared::api::{ErrorBody, Page};
use zhiyuan_shared::archive::{
    Attachment, AttachmentList, UploadRequest, UploadTarget, UploadTicket,
};
use zhiyuan_shared::notice::Notices;
use zhiyuan_shared::org::{Member, MyMembership, Org, OrgInput, RejectRequest};
use zhiyuan_shared::query::{
    ActivitiesQuery, CertificateQuery, ComplianceQuery, MembersQuery, NeedsQuery, NominationsQuery,
    OrgsQuery, PageQuery, StationsQuery, StatsQuery, to_query_string,
};
use zhiyuan_shared::record::{
    AttendanceRequest, Certificate, CertificateCheck, CheckinCode, CheckinRequest, CheckinResult,
    ConfirmAllResult, CorrectRequest, MyRecords, Perk, ReasonRequest, RecordDetail, ServiceRecord,
    TransferFile, TransferResult,
};
use zhiyuan_shared::region::Region;
use zhiyuan_shared::station::{StationDetail, StationSummary};

#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached.
    Network,
    /// The API answered with its error body.
    Api {
        status: u16,
        code: String,
        message: String,
        field: Option<String>,
    },
}

impl ApiError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, ApiError::Api { status: 404, .. })
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Api { code, .. } => Some(code),
            ApiError::Network => None,
        }
    }

    pub fn field(&self) -> Option<&str> {
        match self {
            ApiError::Api { field, .. } => field.as_deref(),
            ApiError::Network => None,
        }
    }

    /// A message a person can act on, in their language.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            ApiError::Network => t(lang, "error_network").to_string(),
            ApiError::Api {
                code,
                message,
                field,
                status,
            } => match code.as_str() {
                "busy" => t(lang, "error_busy").to_string(),
                "phone_taken"
                | "id_number_taken"
                | "already_volunteer"
                | "already_member"
                | "org_not_approved"
                | "org_name_taken"
                | "wrong_state"
                | "volunteer_required"
                | "forbidden"
                | "too_many_requests"
                | "already_signed_up"
                | "overlapping_shift"
                | "deadline_passed"
                | "activity_cancelled"
                | "shift_started"
                | "below_min_age"
                | "not_signed_up"
                | "too_early"
                | "shift_over"
                | "invalid_code"
                | "too_far"
                | "already_checked_out"
                | "record_open"
                | "dispute_open"
                | "no_open_dispute"
                | "no_confirmed_records"
                | "bad_signature"
                | "untrusted_key"
                | "volunteer_not_found"
                | "already_claimed"
                | "need_not_claimed"
                | "changed_meanwhile"
                | "archive_full"
                | "upload_missing"
                | "upload_failed"
                | "bad_link" => t(lang, &format!("code_{code}")).to_string(),
                "unauthorized" => t(lang, "code_unauthorized").to_string(),
                "internal" => t(lang, "error_internal").to_string(),
                "invalid_field" => format!(
                    "{}: {} ({})",
                    t(lang, "error_invalid_field"),
                    field.clone().unwrap_or_default(),
                    message
                ),
                _ if *status >= 500 => t(lang, "error_internal").to_string(),
                _ => message.clone(),
            },
        }
    }
}

async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ApiError> {
    send(Method::GET, url, None, None::<&()>).await
}

/// The one request function: adds the bearer token, sends JSON, decodes the API's error
/// body into [`ApiError`].
async fn send<T: DeserializeOwned, B: Serialize>(
    method: Method,
    url: &str,
    token: Option<&str>,
    body: Option<&B>,
) -> Result<T, ApiError> {
    let mut req = RequestBuilder::new(url).method(method);
    if let Some(t) = token {
        req = req.header("Authorization", &format!("Bearer {t}"));
    }
    let resp = match body {
        Some(b) => req.json(b).map_err(|_| ApiError::Network)?.send().await,
        None => req.send().await,
    }
    .map_err(|_| ApiError::Network)?;
    if resp.ok() {
        // 204 and other empty answers decode from `null`.
        let text = resp.text().await.map_err(|_| ApiError::Network)?;
        let text = if text.is_empty() { "null" } else { &text };
        return serde_json::from_str(text).map_err(|_| ApiError::Network);
    }
    Err(error_of(resp, "internal").await)
}

/// The API's error body as [`ApiError`]; `fallback` is the code when the body is not one.
async fn error_of(resp: gloo_net::http::Response, fallback: &str) -> ApiError {
    let status = resp.status();
    match resp.json::<ErrorBody>().await {
        Ok(body) => ApiError::Api {
            status,
            code: body.error.code,
            message: body.error.message,
            field: body.error.field,
        },
        Err(_) => ApiError::Api {
            status,
            code: fallback.into(),
            message: String::new(),
            field: None,
        },
    }
}

/// A query parameter from a form value: an empty one is left out of the query string.
fn given(value: &str) -> Option<String> {
    (!value.is_empty()).then(|| value.to_string())
}

pub async fn regions() -> Result<Vec<Region>, ApiError> {
    get_json("/api/regions").await
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StationFilter {
    pub station_type: String,
    pub region: String,
    /// Only stations with a published activity that has a shift in the next 7 days.
    pub this_week: bool,
}

/// Every station of a region (for the map's markers), following the cursor to the end.
pub async fn stations_in_region(filter: &StationFilter) -> Result<Vec<StationSummary>, ApiError> {
    let mut out = Vec::new();
    let mut cursor = String::new();
    // A city has a few hundred stations; the bound stops a runaway loop, not a real list.
    for _ in 0..50 {
        let url = format!(
            "/api/stations{}",
            to_query_string(&StationsQuery {
                region: given(&filter.region),
                station_type: given(&filter.station_type),
                this_week: filter.this_week.then(|| "true".into()),
                limit: Some("100".into()),
                cursor: given(&cursor),
                ..StationsQuery::default()
            })
        );
        let page: Page<StationSummary> = get_json(&url).await?;
        out.extend(page.items);
        match page.next_cursor {
            Some(c) => cursor = c,
            None => break,
        }
    }
    Ok(out)
}

/// The nearest stations to a point, nearest first.
pub async fn stations_near(
    lat: f64,
    lng: f64,
    radius_km: f64,
    filter: &StationFilter,
    limit: u32,
) -> Result<Page<StationSummary>, ApiError> {
    let url = format!(
        "/api/stations{}",
        to_query_string(&StationsQuery {
            lat: Some(format!("{lat:.6}")),
            lng: Some(format!("{lng:.6}")),
            radius_km: Some(radius_km.to_string()),
            region: given(&filter.region),
            station_type: given(&filter.station_type),
            this_week: filter.this_week.then(|| "true".into()),
            limit: Some(limit.to_string()),
            ..StationsQuery::default()
        })
    );
    get_json(&url).await
}

pub async fn station(id: &str) -> Result<StationDetail, ApiError> {
    get_json(&format!(
        "/api/stations/{}",
        js_sys::encode_uri_component(id)
    ))
    .await
}

// Accounts

pub async fn register(req: &RegisterRequest) -> Result<RegisterResponse, ApiError> {
    send(Method::POST, "/api/auth/register", None, Some(req)).await
}

pub async fn login(req: &LoginRequest) -> Result<LoginResponse, ApiError> {
    send(Method::POST, "/api/auth/login", None, Some(req)).await
}

/// Calls that need a signed-in user take the session's token. A 401 from one of them
/// means the session ended; the caller signs the user out.
pub struct Authorized<'a>(pub &'a str);

impl Authorized<'_> {
    pub async fn me(&self) -> Result<Me, ApiError> {
        send(Method::GET, "/api/me", Some(self.0), None::<&()>).await
    }
    pub async fn logout(&self) -> Result<(), ApiError> {
        send(Method::POST, "/api/auth/logout", Some(self.0), None::<&()>).await
    }
    pub async fn become_volunteer(
        &self,
        req: &VolunteerRequest,
    ) -> Result<VolunteerProfile, ApiError> {
        send(Method::POST, "/api/me/volunteer", Some(self.0), Some(req)).await
    }
    pub async fn reveal(&self) -> Result<Revealed, ApiError> {
        send(Method::POST, "/api/me/reveal", Some(self.0), None::<&()>).await
    }
    pub async fn my_orgs(&self) -> Result<Vec<MyMembership>, ApiError> {
        send(Method::GET, "/api/me/orgs", Some(self.0), None::<&()>).await
    }
    pub async fn create_org(&self, input: &OrgInput) -> Result<Org, ApiError> {
        send(Method::POST, "/api/orgs", Some(self.0), Some(input)).await
    }
    pub async fn approve_org(&self, id: &str) -> Result<Org, ApiError> {
        let url = format!("/api/orgs/{}/approve", enc(id));
        send(Method::POST, &url, Some(self.0), None::<&()>).await
    }
    pub async fn reject_org(&self, id: &str, reason: &str) -> Result<Org, ApiError> {
        let url = format!("/api/orgs/{}/reject", enc(id));
        let body = RejectRequest {
            reason: reason.to_string(),
        };
        send(Method::POST, &url, Some(self.0), Some(&body)).await
    }
    pub async fn join_org(&self, id: &str) -> Result<MyMembership, ApiError> {
        let url = format!("/api/orgs/{}/members", enc(id));
        send(Method::POST, &url, Some(self.0), None::<&()>).await
    }
    pub async fn members(
        &self,
        id: &str,
        status: &str,
        min_trainings: u32,
    ) -> Result<Page<Member>, ApiError> {
        let url = format!(
            "/api/orgs/{}/members{}",
            enc(id),
            to_query_string(&MembersQuery {
                status: given(status),
                min_trainings: (min_trainings > 0).then(|| min_trainings.to_string()),
                limit: Some("100".into()),
                cursor: None,
            })
        );
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn approve_member(&self, org: &str, user: &str) -> Result<Member, ApiError> {
        let url = format!("/api/orgs/{}/members/{}/approve", enc(org), enc(user));
        send(Method::POST, &url, Some(self.0), None::<&()>).await
    }
    pub async fn org(&self, id: &str) -> Result<Org, ApiError> {
        send(
            Method::GET,
            &format!("/api/orgs/{}", enc(id)),
            Some(self.0),
            None::<&()>,
        )
        .await
    }
    pub async fn orgs(&self, region: &str, status: &str) -> Result<Page<Org>, ApiError> {
        orgs_page(Some(self.0), region, status).await
    }
    pub async fn create_activity(&self, input: &ActivityInput) -> Result<Activity, ApiError> {
        send(Method::POST, "/api/activities", Some(self.0), Some(input)).await
    }
    pub async fn cancel_activity(&self, id: &str, reason: &str) -> Result<Activity, ApiError> {
        let url = format!("/api/activities/{}/cancel", enc(id));
        let body = CancelActivityRequest {
            reason: reason.to_string(),
        };
        send(Method::POST, &url, Some(self.0), Some(&body)).await
    }
    /// Signs up with a token made once per tap, so a retried request books once.
    pub async fn sign_up(&self, shift: &str, client_token: &str) -> Result<SignupResult, ApiError> {
        let url = format!("/api/shifts/{}/signups", enc(shift));
        let body = SignupRequest {
            client_token: Some(client_token.to_string()),
        };
        send(Method::POST, &url, Some(self.0), Some(&body)).await
    }
    pub async fn cancel_signup(&self, shift: &str) -> Result<(), ApiError> {
        let url = format!("/api/shifts/{}/signups/me", enc(shift));
        send(Method::DELETE, &url, Some(self.0), None::<&()>).await
    }
    pub async fn roster(&self, shift: &str) -> Result<Page<RosterEntry>, ApiError> {
        let url = format!(
            "/api/shifts/{}/signups{}",
            enc(shift),
            to_query_string(&PageQuery::first(100))
        );
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn my_activities(&self) -> Result<Page<MyShift>, ApiError> {
        let url = format!(
            "/api/me/activities{}",
            to_query_string(&PageQuery::first(100))
        );
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn notices(&self) -> Result<Notices, ApiError> {
        let url = format!("/api/me/notices{}", to_query_string(&PageQuery::first(50)));
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn checkin_code(&self, shift: &str) -> Result<CheckinCode, ApiError> {
        let url = format!("/api/shifts/{}/checkin-code", enc(shift));
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn check_in(
        &self,
        shift: &str,
        req: &CheckinRequest,
    ) -> Result<CheckinResult, ApiError> {
        let url = format!("/api/shifts/{}/checkin", enc(shift));
        send(Method::POST, &url, Some(self.0), Some(req)).await
    }
    pub async fn attendance(
        &self,
        shift: &str,
        req: &AttendanceRequest,
    ) -> Result<ServiceRecord, ApiError> {
        let url = format!("/api/shifts/{}/attendance", enc(shift));
        send(Method::POST, &url, Some(self.0), Some(req)).await
    }
    pub async fn shift_records(&self, shift: &str) -> Result<Page<ServiceRecord>, ApiError> {
        let url = format!(
            "/api/shifts/{}/records{}",
            enc(shift),
            to_query_string(&PageQuery::first(100))
        );
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn confirm_shift(&self, shift: &str) -> Result<ConfirmAllResult, ApiError> {
        let url = format!("/api/shifts/{}/records/confirm", enc(shift));
        send(Method::POST, &url, Some(self.0), None::<&()>).await
    }
    pub async fn record(&self, id: &str) -> Result<RecordDetail, ApiError> {
        let url = format!("/api/records/{}", enc(id));
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn confirm_record(&self, id: &str) -> Result<ServiceRecord, ApiError> {
        let url = format!("/api/records/{}/confirm", enc(id));
        send(Method::POST, &url, Some(self.0), None::<&()>).await
    }
    pub async fn correct_record(
        &self,
        id: &str,
        req: &CorrectRequest,
    ) -> Result<ServiceRecord, ApiError> {
        let url = format!("/api/records/{}/correct", enc(id));
        send(Method::POST, &url, Some(self.0), Some(req)).await
    }
    /// The volunteer's dispute (`dispute`) or the organisation's answer (`answer`).
    pub async fn record_reason(
        &self,
        id: &str,
        action: &str,
        reason: &str,
    ) -> Result<ServiceRecord, ApiError> {
        let url = format!("/api/records/{}/{action}", enc(id));
        let body = ReasonRequest {
            reason: reason.to_string(),
        };
        send(Method::POST, &url, Some(self.0), Some(&body)).await
    }
    pub async fn my_records(&self) -> Result<MyRecords, ApiError> {
        let url = format!("/api/me/records{}", to_query_string(&PageQuery::first(100)));
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn certificate(&self, org: &str) -> Result<Certificate, ApiError> {
        let url = format!(
            "/api/me/certificate{}",
            to_query_string(&CertificateQuery { org: given(org) })
        );
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn transfer_file(&self) -> Result<TransferFile, ApiError> {
        send(Method::GET, "/api/me/transfer", Some(self.0), None::<&()>).await
    }
    pub async fn import_transfer(&self, file: &TransferFile) -> Result<TransferResult, ApiError> {
        send(Method::POST, "/api/transfers", Some(self.0), Some(file)).await
    }
    pub async fn attachments(&self, activity: &str) -> Result<AttachmentList, ApiError> {
        let url = format!("/api/activities/{activity}/attachments");
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn request_upload(
        &self,
        activity: &str,
        req: &UploadRequest,
    ) -> Result<UploadTicket, ApiError> {
        let url = format!("/api/activities/{activity}/attachments");
        send(Method::POST, &url, Some(self.0), Some(req)).await
    }
    pub async fn complete_upload(
        &self,
        activity: &str,
        file: &str,
    ) -> Result<Attachment, ApiError> {
        let url = format!("/api/activities/{activity}/attachments/{file}/complete");
        send(Method::POST, &url, Some(self.0), None::<&()>).await
    }
    pub async fn remove_attachment(&self, activity: &str, file: &str) -> Result<(), ApiError> {
        let url = format!("/api/activities/{activity}/attachments/{file}");
        send(Method::DELETE, &url, Some(self.0), None::<&()>).await
    }
    pub async fn mark_notices_read(&self) -> Result<(), ApiError> {
        send(
            Method::POST,
            "/api/me/notices/read",
            Some(self.0),
            None::<&()>,
        )
        .await
    }
}

/// Sends a file's bytes to a presigned upload link (S3, or this server locally) with
/// exactly the headers it was signed with, and no session: the link is the permission.
pub async fn put_file(target: &UploadTarget, file: &web_sys::File) -> Result<(), ApiError> {
    let mut req = RequestBuilder::new(&target.url).method(Method::PUT);
    for (k, v) in &target.headers {
        req = req.header(k, v);
    }
    let resp = req
        .body(wasm_bindgen::JsValue::from(file.clone()))
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if resp.ok() {
        return Ok(());
    }
    // This server answers in the API's error shape; S3 in XML, which is not shown.
    Err(error_of(resp, "upload_failed").await)
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityFilter {
    pub field: String,
    pub region: String,
    pub station_id: String,
    pub org_id: String,
    pub near: Option<(f64, f64)>,
}

pub async fn activities(f: &ActivityFilter) -> Result<Page<Activity>, ApiError> {
    let url = format!(
        "/api/activities{}",
        to_query_string(&ActivitiesQuery {
            field: given(&f.field),
            region: given(&f.region),
            station_id: given(&f.station_id),
            org_id: given(&f.org_id),
            lat: f.near.map(|(lat, _)| format!("{lat:.6}")),
            lng: f.near.map(|(_, lng)| format!("{lng:.6}")),
            limit: Some("50".into()),
            ..ActivitiesQuery::default()
        })
    );
    get_json(&url).await
}

pub async fn activity(id: &str) -> Result<Activity, ApiError> {
    get_json(&format!("/api/activities/{}", enc(id))).await
}

fn enc(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

async fn orgs_page(token: Option<&str>, region: &str, status: &str) -> Result<Page<Org>, ApiError> {
    let url = format!(
        "/api/orgs{}",
        to_query_string(&OrgsQuery {
            region: given(region),
            status: given(status),
            limit: Some("100".into()),
            cursor: None,
        })
    );
    send(Method::GET, &url, token, None::<&()>).await
}

/// Approved organisations of a region, for anyone.
pub async fn orgs(region: &str) -> Result<Page<Org>, ApiError> {
    orgs_page(None, region, "").await
}

pub async fn org(id: &str) -> Result<Org, ApiError> {
    get_json(&format!("/api/orgs/{}", enc(id))).await
}

pub async fn verify_certificate(code: &str) -> Result<CertificateCheck, ApiError> {
    get_json(&format!("/api/certificates/{}", enc(code))).await
}

pub async fn perks() -> Result<Vec<Perk>, ApiError> {
    get_json("/api/perks").await
}

fn stats_query(region: &str, year: i32) -> StatsQuery {
    StatsQuery {
        region: given(region),
        year: Some(year.to_string()),
    }
}

/// A region's statistics; with a token, an admin of the region gets its sub-regions too.
pub async fn stats(
    token: Option<&str>,
    region: &str,
    year: i32,
) -> Result<zhiyuan_shared::stats::StatsReport, ApiError> {
    let url = format!("/api/stats{}", to_query_string(&stats_query(region, year)));
    send(Method::GET, &url, token, None::<&()>).await
}

impl Authorized<'_> {
    /// One page of a group's volunteers under its yearly minimum.
    pub async fn compliance(
        &self,
        region: &str,
        year: i32,
        group: &str,
        cursor: &str,
    ) -> Result<Page<zhiyuan_shared::stats::ComplianceEntry>, ApiError> {
        let url = format!(
            "/api/stats/compliance{}",
            to_query_string(&ComplianceQuery {
                region: given(region),
                year: Some(year.to_string()),
                group: given(group),
                limit: Some("100".into()),
                cursor: given(cursor),
            })
        );
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }

    /// A region's monthly reports of a year.
    pub async fn periodic_reports(
        &self,
        region: &str,
        year: i32,
    ) -> Result<zhiyuan_shared::stats::PeriodicReports, ApiError> {
        let url = format!(
            "/api/stats/reports{}",
            to_query_string(&stats_query(region, year))
        );
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
}

pub async fn need(id: &str) -> Result<zhiyuan_shared::need::Need, ApiError> {
    get_json(&format!("/api/needs/{}", enc(id))).await
}

/// Needs near a point (nearest first) or, without one, in a region.
pub async fn needs(
    near: Option<(f64, f64)>,
    region: &str,
    status: &str,
) -> Result<Page<zhiyuan_shared::need::Need>, ApiError> {
    let mut q = NeedsQuery {
        status: given(status),
        limit: Some("100".into()),
        ..NeedsQuery::default()
    };
    match near {
        Some((lat, lng)) => {
            q.lat = Some(lat.to_string());
            q.lng = Some(lng.to_string());
            q.radius_km = Some("20".into());
        }
        None => q.region = given(region),
    }
    get_json(&format!("/api/needs{}", to_query_string(&q))).await
}

impl Authorized<'_> {
    pub async fn post_need(
        &self,
        input: &zhiyuan_shared::need::NeedInput,
    ) -> Result<zhiyuan_shared::need::Need, ApiError> {
        send(Method::POST, "/api/needs", Some(self.0), Some(input)).await
    }
    pub async fn my_needs(&self) -> Result<Page<zhiyuan_shared::need::Need>, ApiError> {
        let url = format!("/api/me/needs{}", to_query_string(&PageQuery::first(100)));
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
    pub async fn claim_need(
        &self,
        id: &str,
        org_id: &str,
    ) -> Result<zhiyuan_shared::need::Need, ApiError> {
        let body = zhiyuan_shared::need::ClaimRequest {
            org_id: org_id.to_string(),
        };
        let url = format!("/api/needs/{}/claim", enc(id));
        send(Method::POST, &url, Some(self.0), Some(&body)).await
    }
    pub async fn complete_need(&self, id: &str) -> Result<zhiyuan_shared::need::Need, ApiError> {
        let url = format!("/api/needs/{}/complete", enc(id));
        send(Method::POST, &url, Some(self.0), None::<&()>).await
    }
}

/// A year's nominations (选树典型) in a region.
pub async fn nominations(
    region: &str,
    year: i32,
) -> Result<Page<zhiyuan_shared::exemplary::Nomination>, ApiError> {
    get_json(&format!(
        "/api/nominations{}",
        to_query_string(&NominationsQuery {
            region: given(region),
            year: Some(year.to_string()),
            limit: Some("100".into()),
            cursor: None,
        })
    ))
    .await
}

impl Authorized<'_> {
    pub async fn nominate(
        &self,
        input: &zhiyuan_shared::exemplary::NominationInput,
    ) -> Result<zhiyuan_shared::exemplary::Nomination, ApiError> {
        send(Method::POST, "/api/nominations", Some(self.0), Some(input)).await
    }
}
