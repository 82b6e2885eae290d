//! Security events as structured log lines: one `INFO` line on the `audit` target per
//! event, with fixed fields — `event` (a slug from [`Event`]), `actor` (the user id, or
//! `-` when no one is signed in), `target_id` (the user, organisation or appeal acted
//! on, or `-`), `outcome`, `client` (the network address) and `route` (the route's
//! template, never its filled-in path). Never a phone, ID number, name, code or
//! password: ids only. In the cloud the lines land in each function's log group, kept
//! 180 days (template.yaml); `filter-log-events --filter-pattern '"security event"'`
//! finds them.

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// A sign-in refused (wrong password or code, unknown phone) or throttled.
    SignInFailed,
    /// A region admin signed in.
    AdminSignedIn,
    /// A verification code was not sent (a send limit).
    CodeSendRefused,
    /// Whole phone and ID number shown.
    Reveal,
    /// The "my data" copy downloaded.
    DataExport,
    /// The hours-transfer file downloaded.
    TransferExport,
    /// An identity appeal (with its ID card photo) shown to a region admin.
    AppealReview,
    /// A role or membership granted or refused: organisation approved or rejected,
    /// member approved, identity appeal decided, region admin granted.
    RoleDecision,
    /// Any 403.
    AccessRefused,
    /// An account closing (注销), done or refused.
    AccountClosing,
    /// A helper registered a resident (代注册), or was refused (a taken phone or ID
    /// number, the daily limit).
    AssistedRegistration,
}

impl Event {
    pub fn slug(self) -> &'static str {
        match self {
            Event::SignInFailed => "sign_in_failed",
            Event::AdminSignedIn => "admin_signed_in",
            Event::CodeSendRefused => "code_send_refused",
            Event::Reveal => "personal_data_reveal",
            Event::DataExport => "personal_data_export",
            Event::TransferExport => "transfer_export",
            Event::AppealReview => "appeal_review",
            Event::RoleDecision => "role_decision",
            Event::AccessRefused => "access_refused",
            Event::AccountClosing => "account_closing",
            Event::AssistedRegistration => "assisted_registration",
        }
    }
}

/// How it ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Refused,
    Throttled,
}

impl Outcome {
    pub fn slug(self) -> &'static str {
        match self {
            Outcome::Success => "success",
            Outcome::Refused => "refused",
            Outcome::Throttled => "throttled",
        }
    }

    /// From the status the request was answered with.
    pub fn of_status(status: u16) -> Self {
        match status {
            200..=299 => Outcome::Success,
            429 => Outcome::Throttled,
            _ => Outcome::Refused,
        }
    }
}

/// One security event.
#[derive(Debug, Clone)]
pub struct SecurityEvent<'a> {
    pub event: Event,
    pub actor: Option<&'a str>,
    pub target: Option<&'a str>,
    pub outcome: Outcome,
    pub client: &'a str,
    pub route: &'a str,
}

/// Writes the event's log line.
pub fn record(e: &SecurityEvent<'_>) {
    tracing::info!(
        target: "audit",
        event = e.event.slug(),
        actor = e.actor.unwrap_or("-"),
        target_id = e.target.unwrap_or("-"),
        outcome = e.outcome.slug(),
        client = e.client,
        route = e.route,
        "security event"
    );
}

/// A sign-in that succeeded: an event when the account administers a region (failures
/// are recorded from the route's answer, see `routes::audit`).
pub fn signed_in(user: &zhiyuan_shared::account::Me, client: &str) {
    if user.admin_regions().next().is_some() {
        record(&SecurityEvent {
            event: Event::AdminSignedIn,
            actor: Some(&user.user_id),
            target: Some(&user.user_id),
            outcome: Outcome::Success,
            client,
            route: "/api/auth/login",
        });
    }
}
