//! Assisted registration (代注册) access patterns.
//!
//! | pattern | operation |
//! |---|---|
//! | `create_assisted_user` | TransactWriteItems: put `PHONE#index` guard (when the resident has a phone) + put `IDNO#index` guard + put `USER#id` (with its real-name profile and assisted mark), all `attribute_not_exists` + registration counters `ADD` + compliance-group items |
//!
//! The per-helper daily limit is a throttle counter (`store::throttle`), and the takeover
//! is the password reset's one UpdateItem (`store::codes`).

use super::accounts::{RegisterRefused, UserItem, VolunteerRefused, guard, user_item};
use super::keys;
use super::{ItemKeys, Store, Tx, TxError, put};

/// Why [`Store::create_assisted_user`] refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssistedRefused {
    /// Another account holds the phone number.
    PhoneTaken,
    /// Another volunteer holds the ID number.
    IdNumberTaken,
}

impl From<AssistedRefused> for crate::error::ApiError {
    // The same answers as self-service registration and real-name registration give.
    fn from(r: AssistedRefused) -> Self {
        match r {
            AssistedRefused::PhoneTaken => RegisterRefused::PhoneTaken.into(),
            AssistedRefused::IdNumberTaken => VolunteerRefused::IdNumberTaken.into(),
        }
    }
}

impl Store {
    /// Creates a resident's account with its real-name profile in one transaction: the
    /// phone (if any) and the ID number are claimed by guard items beside the user, so a
    /// taken phone or ID number writes nothing.
    pub async fn create_assisted_user(
        &self,
        user: &UserItem,
        counters: &[super::stats::CounterAdd],
        groups: &[super::stats::GroupMemberItem],
    ) -> Result<(), TxError<AssistedRefused>> {
        let volunteer = user.volunteer.as_ref().ok_or_else(|| {
            super::StoreError::Decode("an assisted user without a profile".into())
        })?;
        let cond = Some("attribute_not_exists(PK)");
        let mut tx = Tx::new();
        if !user.phone_index.is_empty() {
            let g = guard(
                ItemKeys::new(
                    keys::phone_guard_pk(&user.phone_index),
                    keys::PHONE_GUARD_SK,
                    "phone_guard",
                ),
                &user.id,
            )?;
            tx.guarded(put(g, &self.table, cond)?, AssistedRefused::PhoneTaken);
        }
        let g = guard(
            ItemKeys::new(
                keys::id_guard_pk(&volunteer.id_index),
                keys::ID_GUARD_SK,
                "id_guard",
            ),
            &user.id,
        )?;
        tx.guarded(put(g, &self.table, cond)?, AssistedRefused::IdNumberTaken);
        tx.push(put(user_item(user)?, &self.table, cond)?);
        tx.extend(super::stats::counter_ops(&self.table, counters)?);
        tx.extend(super::stats::group_member_ops(&self.table, groups)?);
        self.commit(tx).await
    }
}
