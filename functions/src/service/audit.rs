//! Who saw whose personal data: each reveal, "my data" download and transfer-file
//! download writes a trail entry (besides its security log line), and the trail is
//! read by the person themselves (我的账号) and by region admins for the people of
//! their region.
//!
//! The entry is written before the answer leaves: if it cannot be written, the caller
//! gets 503 instead of the data, so nothing is shown unrecorded.

use super::cursor::{next_cursor, parse_limit, resume_from};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::store::Store;
use crate::store::accounts::UserItem;
use crate::store::audit::PersonalDataViewItem;
use zhiyuan_shared::api::{Limit, Page};
use zhiyuan_shared::audit::{PersonalDataAccess, PersonalDataAuditQuery, PersonalDataView};
use zhiyuan_shared::query::PageQuery;
use zhiyuan_shared::region::RegionCode;

/// How long trail entries are kept (the table's TTL), as long as the security logs.
pub const RETENTION_DAYS: i64 = 180;

/// Records that `actor` was shown `subject`'s personal data.
pub async fn personal_data_seen(
    store: &Store,
    actor: &UserItem,
    subject: &UserItem,
    access: PersonalDataAccess,
) -> Result<(), ApiError> {
    let now = crate::clock::now_unix();
    let item = PersonalDataViewItem {
        id: ulid::Ulid::new().to_string(),
        at: crate::clock::now_rfc3339(),
        access,
        subject_id: subject.id.to_string(),
        subject_name: subject.display_name.clone(),
        actor_id: actor.id.to_string(),
        actor_name: actor.display_name.clone(),
        region_code: subject
            .volunteer
            .as_ref()
            .map(|v| v.region_code.to_string()),
        expires_at: now + RETENTION_DAYS * 86_400,
    };
    store.record_personal_data_view(&item).await?;
    Ok(())
}

fn view(i: PersonalDataViewItem) -> PersonalDataView {
    PersonalDataView {
        by_self: i.actor_id == i.subject_id,
        id: i.id,
        at: i.at,
        access: i.access,
        subject_id: i.subject_id,
        subject_name: i.subject_name,
        actor_id: i.actor_id,
        actor_name: i.actor_name,
        region_code: i.region_code,
    }
}

/// 谁看过我的信息: the caller's own trail, newest first.
pub async fn mine(
    store: &Store,
    caller: &Caller,
    q: &PageQuery,
) -> Result<Page<PersonalDataView>, ApiError> {
    let limit = parse_limit(q.limit.as_deref())?.get();
    let resume = resume_from(q.cursor.as_deref(), "my_pd_views", caller.id())?;
    let (items, next) = store
        .personal_data_views_of(caller.id(), resume, limit)
        .await?;
    Ok(Page {
        items: items.into_iter().map(view).collect(),
        next_cursor: next_cursor(next, "my_pd_views", caller.id().to_string())?,
    })
}

/// The trail of the people of a region the caller administers: by region (a city's
/// banners one after another), newest first within each.
pub async fn in_region(
    store: &Store,
    caller: &Caller,
    q: &PersonalDataAuditQuery,
) -> Result<Page<PersonalDataView>, ApiError> {
    if caller.admin_scopes().is_empty() {
        return Err(ApiError::forbidden(
            "forbidden",
            "only a region admin may read the personal-data trail",
        ));
    }
    let region = q
        .region
        .as_deref()
        .ok_or_else(|| ApiError::invalid("region", "is required"))?;
    let code = RegionCode::parse(region).map_err(|e| ApiError::invalid("region", e))?;
    let limit: Limit = parse_limit(q.limit.as_deref())?;
    let scope = code.to_string();
    let resume = resume_from(q.cursor.as_deref(), "region_pd_views", &scope)?;
    caller.require_region_admin(&code)?;
    let (items, next) = store
        .personal_data_views_in(code.province(), code.prefix(), resume, limit.get())
        .await?;
    Ok(Page {
        items: items.into_iter().map(view).collect(),
        next_cursor: next_cursor(next, "region_pd_views", scope)?,
    })
}
