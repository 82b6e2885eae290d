//! Pages, and every route path of the app in one enum.

pub mod account;
pub mod activities;
pub mod admin;
pub mod appeals;
pub mod archive;
pub mod assisted;
pub mod audit;
pub mod auth;
pub mod backfills;
pub mod exemplary;
pub mod home;
pub mod me;
pub mod need_dispatch;
pub mod need_rating;
pub mod needs;
pub mod not_found;
pub mod notice_settings;
pub mod notices;
pub mod orgs;
pub mod records;
pub mod reset;
pub mod station;
pub mod stats;

/// Every client-side route. Links are built from here, never from string literals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppRoute {
    Home,
    Station(String),
    Login,
    Register,
    /// 忘记密码.
    Reset,
    Me,
    BecomeVolunteer,
    /// 我的账号: password, my data, closing the account.
    Account,
    Orgs,
    NewOrg,
    Org(String),
    Admin,
    Activities,
    Activity(String),
    /// Publishing, for an organisation chosen in advance.
    NewActivity(String),
    EditActivity(String),
    MyActivities,
    Notices,
    /// The organizer's check-in screen of a shift.
    ShiftCheckin(String),
    /// The volunteer's check-in to a shift.
    Checkin(String),
    MyRecords,
    Record(String),
    Certificate,
    Verify(String),
    Perks,
    /// The statistics dashboard of a region.
    Stats,
    Needs,
    NewNeed,
    Need(String),
    MyNeeds,
    /// 选树典型: the public nominations.
    Exemplary,
    /// 通知设置: which notices also come by SMS, quiet hours.
    NoticeSettings,
    /// 身份证被占用: file an identity appeal and follow it.
    IdentityAppeal,
    /// 派单: the open needs a region admin or station manager dispatches.
    DispatchQueue,
    /// 派给我们的需求: what awaits an organisation's answer.
    DispatchedToUs,
    /// 补录: apply for hours with evidence and follow the applications.
    MyBackfills,
    /// An organisation's 补录 applications, for its organizers.
    OrgBackfills(String),
    /// 代注册: a station manager or organizer registers an older resident.
    AssistedRegistration,
    /// 接管代注册账户: the resident sets a password with a code on their phone.
    Takeover,
}

impl AppRoute {
    pub fn href(&self) -> String {
        match self {
            AppRoute::Home => "/".to_string(),
            AppRoute::Station(id) => format!("/stations/{id}"),
            AppRoute::Login => "/login".to_string(),
            AppRoute::Register => "/register".to_string(),
            AppRoute::Reset => "/reset".to_string(),
            AppRoute::Me => "/me".to_string(),
            AppRoute::BecomeVolunteer => "/me/volunteer".to_string(),
            AppRoute::Account => "/me/account".to_string(),
            AppRoute::Orgs => "/orgs".to_string(),
            AppRoute::NewOrg => "/orgs/new".to_string(),
            AppRoute::Org(id) => format!("/orgs/{id}"),
            AppRoute::Admin => "/admin".to_string(),
            AppRoute::Activities => "/activities".to_string(),
            AppRoute::Activity(id) => format!("/activities/{id}"),
            AppRoute::NewActivity(org) => format!("/activities/new?org={org}"),
            AppRoute::EditActivity(id) => format!("/activities/{id}/edit"),
            AppRoute::MyActivities => "/me/activities".to_string(),
            AppRoute::Notices => "/me/notices".to_string(),
            AppRoute::ShiftCheckin(id) => format!("/shifts/{id}/checkin"),
            AppRoute::Checkin(shift) => format!("/checkin/{shift}"),
            AppRoute::MyRecords => "/me/records".to_string(),
            AppRoute::Record(id) => format!("/records/{id}"),
            AppRoute::Certificate => "/me/certificate".to_string(),
            AppRoute::Verify(code) if code.is_empty() => "/verify".to_string(),
            AppRoute::Verify(code) => format!("/verify/{code}"),
            AppRoute::Perks => "/perks".to_string(),
            AppRoute::Stats => "/stats".to_string(),
            AppRoute::Needs => "/needs".to_string(),
            AppRoute::NewNeed => "/needs/new".to_string(),
            AppRoute::Need(id) => format!("/needs/{id}"),
            AppRoute::MyNeeds => "/me/needs".to_string(),
            AppRoute::Exemplary => "/exemplary".to_string(),
            AppRoute::NoticeSettings => "/me/notice-settings".to_string(),
            AppRoute::IdentityAppeal => "/me/identity-appeal".to_string(),
            AppRoute::DispatchQueue => "/dispatch".to_string(),
            AppRoute::DispatchedToUs => "/me/dispatched-needs".to_string(),
            AppRoute::MyBackfills => "/me/backfills".to_string(),
            AppRoute::OrgBackfills(id) => format!("/orgs/{id}/backfills"),
            AppRoute::AssistedRegistration => "/assisted-registration".to_string(),
            AppRoute::Takeover => "/takeover".to_string(),
        }
    }
}
