//! Membership cards (issue G): a consumer joins a merchant's (chain's) membership from a store
//! page or by scanning the store's code — one card valid at every store of the chain; the level
//! follows their spend there; messages only with their consent, withdrawn at any time. Merchants'
//! merchant-wide managers see their members; consumers see their cards.

use crate::page::{Page, PageRequest};
use crate::{App, AppError};
use lokal_core::membership::Level;
use lokal_core::{ErrorCode, FieldError, MerchantId, Principal, Scope, StaffRole, StoreId, UserId};
use lokal_store::membership::{self as store, MembershipRow};

/// Where a page of members ends: the last one's joining time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MemberCursor {
    /// Joined, epoch ms.
    pub joined_at: i64,
    /// The member.
    pub user: UserId,
}

impl std::str::FromStr for MemberCursor {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        let (t, u) = s.split_once('~').ok_or(())?;
        Ok(Self { joined_at: t.parse().map_err(|_| ())?, user: u.parse().map_err(|_| ())? })
    }
}

impl std::fmt::Display for MemberCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}~{}", self.joined_at, self.user)
    }
}

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
            return Err(FieldError::new(
                "channel",
                lokal_core::Msg::new("field-one-of").with("choices", "store-page, store-code"),
            )
            .into());
        }
        let view = self.public_store(store).await?;
        let merchant = view.row.merchant_id;
        if caller.works_for(merchant) {
            return Err(AppError::new(ErrorCode::Forbidden, "err-staff-do-not-join"));
        }
        let pool = self.db().pool();
        store::join(pool, merchant, caller.user_id, store, channel, messages_opt_in, self.now()).await?;
        let row =
            store::get_one(pool, merchant, caller.user_id).await?.ok_or_else(|| AppError::not_found("membership"))?;
        Ok(card(row))
    }

    /// The caller's cards, newest first.
    pub async fn my_cards(&self, caller: &Principal) -> Result<Vec<Card>, AppError> {
        Ok(store::of_user(self.db().pool(), caller.user_id).await?.into_iter().map(card).collect())
    }

    /// Accept or refuse the merchant's messages (unsubscribe).
    pub async fn set_member_messages(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        opt_in: bool,
    ) -> Result<Card, AppError> {
        let pool = self.db().pool();
        if !store::set_opt_in(pool, merchant, caller.user_id, opt_in).await? {
            return Err(AppError::not_found("membership"));
        }
        let row =
            store::get_one(pool, merchant, caller.user_id).await?.ok_or_else(|| AppError::not_found("membership"))?;
        Ok(card(row))
    }

    /// A page of a merchant's members, newest first. Merchant-wide managers and owners.
    pub async fn members(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        page: PageRequest<MemberCursor>,
    ) -> Result<Page<Card>, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        let after = page.after.map(|c| (c.joined_at, c.user));
        let rows = store::newest_of_merchant(self.db().pool(), merchant, after, page.limit + 1).await?;
        Ok(Page::from_overfetch(rows.into_iter().map(card).collect(), page.limit, |c| {
            MemberCursor { joined_at: c.row.joined_at.millis(), user: c.row.user_id }.to_string()
        }))
    }

    /// How many members the merchant has and how many accept messages. Merchant-wide managers.
    pub async fn member_counts(&self, caller: &Principal, merchant: MerchantId) -> Result<(i64, i64), AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        Ok(store::counts(self.db().pool(), merchant).await?)
    }

    /// Whether the caller holds the card of the merchant of `store` (for the store page).
    pub async fn member_here(&self, caller: &Principal, merchant: MerchantId) -> Result<Option<Card>, AppError> {
        Ok(store::get_one(self.db().pool(), merchant, caller.user_id).await?.map(card))
    }

    /// Sets or clears (empty) the caller's birthday on their card at `merchant` (`MM-DD`).
    pub async fn set_member_birthday(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        birthday: &str,
    ) -> Result<crate::membership::Card, AppError> {
        let birthday =
            if birthday.trim().is_empty() { None } else { Some(lokal_core::membership::parse_birthday(birthday)?) };
        let pool = self.db().pool();
        if !store::set_birthday(pool, merchant, caller.user_id, birthday.as_deref()).await? {
            return Err(AppError::not_found("membership card"));
        }
        self.member_here(caller, merchant).await?.ok_or_else(|| AppError::not_found("membership card"))
    }
}
