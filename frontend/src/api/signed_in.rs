//! Calls made for a signed-in user, with the session's token.

use super::public::{orgs_page, stats_query};
use super::{ApiError, Authorized, enc, given, send};
use gloo_net::http::Method;
use zhiyuan_shared::account::{Me, Revealed, VolunteerProfile, VolunteerRequest};
use zhiyuan_shared::activity::{
    Activity, ActivityInput, CancelActivityRequest, MyShift, RosterEntry, SignupRequest,
    SignupResult,
};
use zhiyuan_shared::api::Page;
use zhiyuan_shared::archive::{Attachment, AttachmentList, UploadRequest, UploadTicket};
use zhiyuan_shared::notice::Notices;
use zhiyuan_shared::org::{Member, MyMembership, Org, OrgInput, RejectRequest};
use zhiyuan_shared::query::{
    CertificateQuery, ComplianceQuery, MembersQuery, PageQuery, to_query_string,
};
use zhiyuan_shared::record::{
    AttendanceRequest, Certificate, CheckinCode, CheckinRequest, CheckinResult, ConfirmAllResult,
    CorrectRequest, MyRecords, ReasonRequest, RecordDetail, ServiceRecord, TransferFile,
    TransferResult,
};

impl Authorized<'_> {
    #[cfg(not(feature = "first-screen"))]
    pub async fn me(&self) -> Result<Me, ApiError> {
        send(Method::GET, "/api/me", Some(self.0), None::<&()>).await
    }
    /// `GET /api/me` as the map's header reads it (`js_json::me_for_header`): the map's
    /// wasm decodes only who is signed in and the roles.
    #[cfg(feature = "first-screen")]
    pub async fn me_for_header(&self) -> Result<Me, ApiError> {
        super::get_decoded("/api/me", Some(self.0), super::js_json::me_for_header).await
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
        send(Method::POST, "/api/me/transfer", Some(self.0), None::<&()>).await
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
    pub async fn withdraw_need(&self, id: &str) -> Result<zhiyuan_shared::need::Need, ApiError> {
        let url = format!("/api/needs/{}/withdraw", enc(id));
        send(Method::POST, &url, Some(self.0), None::<&()>).await
    }
}

impl Authorized<'_> {
    pub async fn nominate(
        &self,
        input: &zhiyuan_shared::exemplary::NominationInput,
    ) -> Result<zhiyuan_shared::exemplary::Nomination, ApiError> {
        send(Method::POST, "/api/nominations", Some(self.0), Some(input)).await
    }
}

// Notice settings (which kinds also by SMS, quiet hours).
impl Authorized<'_> {
    pub async fn notice_settings(
        &self,
    ) -> Result<zhiyuan_shared::notice_settings::NoticeSettings, ApiError> {
        send(
            Method::GET,
            "/api/me/notice-settings",
            Some(self.0),
            None::<&()>,
        )
        .await
    }
    pub async fn save_notice_settings(
        &self,
        input: &zhiyuan_shared::notice_settings::NoticeSettingsInput,
    ) -> Result<zhiyuan_shared::notice_settings::NoticeSettings, ApiError> {
        send(
            Method::PUT,
            "/api/me/notice-settings",
            Some(self.0),
            Some(input),
        )
        .await
    }
}

// Dispatch (派单 → 接单).
impl Authorized<'_> {
    pub async fn dispatch_need(
        &self,
        id: &str,
        body: &zhiyuan_shared::need::DispatchRequest,
    ) -> Result<zhiyuan_shared::need::Need, ApiError> {
        let url = format!("/api/needs/{}/dispatch", enc(id));
        send(Method::POST, &url, Some(self.0), Some(body)).await
    }
    pub async fn accept_need(&self, id: &str) -> Result<zhiyuan_shared::need::Need, ApiError> {
        let url = format!("/api/needs/{}/accept", enc(id));
        send(Method::POST, &url, Some(self.0), None::<&()>).await
    }
    pub async fn decline_need(
        &self,
        id: &str,
        reason: &str,
    ) -> Result<zhiyuan_shared::need::Need, ApiError> {
        let url = format!("/api/needs/{}/decline", enc(id));
        let body = zhiyuan_shared::need::DeclineRequest {
            reason: reason.to_string(),
        };
        send(Method::POST, &url, Some(self.0), Some(&body)).await
    }
    /// What awaits an organisation's answer (the first 100, nearest deadline first).
    pub async fn dispatched_needs(
        &self,
        org_id: &str,
    ) -> Result<Page<zhiyuan_shared::need::Need>, ApiError> {
        let url = format!("/api/orgs/{}/dispatched-needs?limit=100", enc(org_id));
        send(Method::GET, &url, Some(self.0), None::<&()>).await
    }
}
