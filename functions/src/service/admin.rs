//! Operator actions outside the HTTP API (the `zhiyuan-admin` command).

use crate::crypto::Keys;
use crate::error::ApiError;
use crate::service::regions::ensure_known_region;
use crate::store::Store;
use zhiyuan_shared::account::{Role, RoleGrant};
use zhiyuan_shared::identity::Phone;
use zhiyuan_shared::region::RegionCode;

/// Makes the account with this phone a region admin of `region` (a city code covers its
/// banners).
pub async fn grant_region_admin(
    store: &Store,
    keys: &Keys,
    phone: &str,
    region: &str,
) -> Result<(), ApiError> {
    let phone = Phone::parse(phone).map_err(|e| ApiError::invalid("phone", e))?;
    let code = RegionCode::parse(region).map_err(|e| ApiError::invalid("region_code", e))?;
    ensure_known_region(store, &code).await?;
    let user_id = store
        .user_id_by_phone(&keys.blind_index(crate::service::accounts::PHONE, phone.expose()))
        .await?
        .ok_or_else(|| ApiError::NotFound("no account with this phone".into()))?;
    let grant = RoleGrant {
        role: Role::RegionAdmin,
        scope: code.to_string(),
    };
    Ok(store.grant_role(&user_id, &grant).await?)
}
