//! Membership cards (issue G): a consumer joins a merchant's (chain's) membership from a store
//! page or by scanning the store's code — one card valid at every store of the chain; the level
//! follows their spend there; messages only with their consent, withdrawn at any time. Merchants'
//! merchant-wide managers see their members; consumers see their cards.

use crate::{App, AppError};
use lokal_core::membership::Level;
use lokal_core::{ErrorCode, FieldError, MerchantId, Principal, Scope, StaffRole, StoreId};
use lokal_store::memberships::{self, MembershipRow};

/// A card as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Card {
    /// The membership with the spend.
    pub row: MembershipRow,
    /// The level that spend reaches.
    pub level: Level,
    /// The next level and the spend still missing.
    pub next: Option<(Level, i64)>,
}

fn card(row: MembershipRow) -> Card {
    Card { level: Level::of(row.spend), next: Level::next(row.spend), row }
}

impl App {
    /// Joins the membership of the merchant of `store` (once: joining again returns the card);
    /// `channel` is `store-page` or `store-code` (scanned at the store).
    pub async fn join_membership(
        &self,
        caller: &Principal,
        store: StoreId,
        channel: &str,
        messages_opt_in: bool,
    ) -> Result<Card, AppError> {
        if !matches!(channel, "store-page" | "store-code") {
            return Err(FieldError::new("channel", "must be store-page or store-code").into());
        }
        let view = self.public_store(store).await?;
        let merchant = view.row.merchant_id;
        if caller.works_for(merchant) {
            return Err(AppError::new(ErrorCode::Forbidden, "staff do not join their own membership"));
        }
        let pool = self.db().pool();
        memberships::join(pool, merchant, caller.user_id, store, channel, messages_opt_in, self.now().millis()).await?;
        let row = memberships::get_one(pool, merchant, caller.user_id)
            .await?
            .ok_or_else(|| AppError::not_found("membership"))?;
        Ok(card(row))
    }

    /// The caller's cards, newest first.
    pub async fn my_cards(&self, caller: &Principal) -> Result<Vec<Card>, AppError> {
        Ok(memberships::of_user(self.db().pool(), caller.user_id).await?.into_iter().map(card).collect())
    }

    /// Accept or refuse the merchant's messages (unsubscribe).
    pub async fn set_member_messages(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        opt_in: bool,
    ) -> Result<Card, AppError> {
        let pool = self.db().pool();
        if !memberships::set_opt_in(pool, merchant, caller.user_id, opt_in).await? {
            return Err(AppError::not_found("membership"));
        }
        let row = memberships::get_one(pool, merchant, caller.user_id)
            .await?
            .ok_or_else(|| AppError::not_found("membership"))?;
        Ok(card(row))
    }

    /// A merchant's members, newest first. Merchant-wide managers and owners.
    pub async fn members(&self, caller: &Principal, merchant: MerchantId) -> Result<Vec<Card>, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        Ok(memberships::of_merchant(self.db().pool(), merchant).await?.into_iter().map(card).collect())
    }

    /// Whether the caller holds the card of the merchant of `store` (for the store page).
    pub async fn member_here(&self, caller: &Principal, merchant: MerchantId) -> Result<Option<Card>, AppError> {
        Ok(memberships::get_one(self.db().pool(), merchant, caller.user_id).await?.map(card))
    }
}
