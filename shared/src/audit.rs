//! The personal-data trail (谁看过谁的个人信息): each time someone is shown or given
//! another person's (or their own) whole phone or ID number, an entry records who, whose,
//! how and when. Region admins read it for the people of their region; everyone reads
//! their own.

use crate::slug_enum;
use serde::{Deserialize, Serialize};

slug_enum! {
    /// How the personal data was shown.
    PersonalDataAccess {
        /// 查看完整号码: the whole phone and ID number on screen.
        Reveal = "reveal",
        /// 下载我的数据: the JSON copy of everything held.
        Export = "export",
        /// 转出服务记录: the signed hours-transfer file (it carries the ID number).
        TransferExport = "transfer_export",
    }
}

/// One entry of the trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalDataView {
    pub id: String,
    /// RFC 3339, Beijing time.
    pub at: String,
    pub access: PersonalDataAccess,
    /// Whose data.
    pub subject_id: String,
    pub subject_name: String,
    /// Who saw it (the same person when `by_self`).
    pub actor_id: String,
    pub actor_name: String,
    pub by_self: bool,
    /// The subject's volunteer region, when they are a volunteer.
    pub region_code: Option<String>,
}

/// `GET /api/audit/personal-data`.
#[derive(Serialize, Deserialize, Default, Clone, Debug)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams), into_params(parameter_in = Query))]
pub struct PersonalDataAuditQuery {
    /// region code the caller administers, e.g. 150602 (required)
    #[cfg_attr(feature = "openapi", param(required, value_type = String, pattern = r"^[1-9][0-9]{5}$"))]
    pub region: Option<String>,
    /// 1–100, default 20
    #[cfg_attr(feature = "openapi", param(value_type = Option<u32>, minimum = 1, maximum = 100))]
    pub limit: Option<String>,
    /// next_cursor of the previous page
    pub cursor: Option<String>,
}
