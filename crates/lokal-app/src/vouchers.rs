//! Redemption (核销) at the store: staff look a voucher up, take uses exactly once, and managers
//! undo a redemption within ten minutes. Every redemption and undo is audited and posted.

use crate::deals::DealView;
use crate::ledger::post;
use crate::{App, AppError};
use lokal_core::deal::{commission, uses_value};
use lokal_core::ledger;
use lokal_core::voucher::{self, Holding, Refusal, VoucherCode, VoucherStatus};
use lokal_core::{ErrorCode, FieldError, Principal, RedemptionId, Scope, StaffRole, StoreId, Timestamp};
use lokal_store::stores::{self, StoreRow};
use lokal_store::vouchers::{self, RedemptionRow, VoucherRow};

pub use lokal_core::voucher::UNDO_WINDOW_MS;

/// A voucher as the redemption desk sees it.
#[derive(Debug)]
pub struct DeskVoucher {
    /// The voucher.
    pub voucher: VoucherRow,
    /// Its deal.
    pub deal: DealView,
    /// Why it cannot be redeemed here now, if it cannot.
    pub refusal: Option<AppError>,
    /// Its redemptions so far.
    pub redemptions: Vec<RedemptionRow>,
}

/// Why `v` of `deal` cannot take `uses` at `store` at `now`, if it cannot (the rule is
/// [`voucher::refusal`]).
fn refusal(v: &VoucherRow, deal: &DealView, store: &StoreRow, uses: i64, now: Timestamp) -> Option<AppError> {
    let rules = match deal.rules() {
        Ok(rules) => rules,
        Err(e) => return Some(e),
    };
    let holding =
        Holding { status: v.status, uses_left: v.uses_left, valid_from: v.valid_from, valid_until: v.valid_until };
    let offset = i32::try_from(store.utc_offset_min).unwrap_or(480);
    voucher::refusal(holding, deal.store_ids.contains(&store.id), uses, &rules, now, offset).map(refused)
}

/// A refusal as the desk reports it.
fn refused(why: Refusal) -> AppError {
    match why {
        Refusal::Refunded => AppError::new(ErrorCode::VoucherRefunded, "err-voucher-refunded"),
        Refusal::UsedUp => AppError::new(ErrorCode::VoucherUsedUp, "err-voucher-used"),
        Refusal::Expired => AppError::new(ErrorCode::VoucherExpired, "err-voucher-expired"),
        Refusal::NotYetValid => AppError::new(ErrorCode::VoucherNotYetValid, "err-voucher-not-yet-valid"),
        Refusal::WrongStore => AppError::new(ErrorCode::VoucherWrongStore, "err-voucher-wrong-store"),
        Refusal::FewerUses(n) => {
            AppError::new(ErrorCode::VoucherUsedUp, lokal_core::Msg::new("err-voucher-uses-left").with("n", n))
        }
        Refusal::Rule(why) => AppError::new(ErrorCode::VoucherRuleRefused, why),
    }
}

impl App {
    /// The store, after checking the caller is staff of it with at least `rank`.
    async fn staff_store(&self, caller: &Principal, store: StoreId, rank: StaffRole) -> Result<StoreRow, AppError> {
        let row = stores::get_by_id(self.db().pool(), store).await?.ok_or_else(|| AppError::not_found("store"))?;
        caller.authorize(Scope::Store(row.merchant_id, row.id), rank)?;
        Ok(row)
    }

    /// A voucher by code for the redemption desk of `store`. Another merchant's voucher is "not
    /// found": the desk learns nothing about it.
    async fn desk_voucher(&self, store: &StoreRow, code: &str) -> Result<(VoucherRow, DealView), AppError> {
        let code = VoucherCode::parse("code", code)?;
        let v = vouchers::by_code(self.db().pool(), code.as_str())
            .await?
            .filter(|v| v.merchant_id == store.merchant_id)
            .ok_or_else(|| AppError::not_found("voucher"))?;
        let deal = self.deal(v.deal_id).await?;
        Ok((v, deal))
    }

    /// What the desk shows when a code is scanned or typed: the deal, uses left, validity, and
    /// whether it can be redeemed here now. Staff of the store, clerks included.
    pub async fn look_up_voucher(
        &self,
        caller: &Principal,
        store: StoreId,
        code: &str,
    ) -> Result<DeskVoucher, AppError> {
        let store = self.staff_store(caller, store, StaffRole::Clerk).await?;
        let (voucher, deal) = self.desk_voucher(&store, code).await?;
        let refusal = refusal(&voucher, &deal, &store, 1, self.now());
        let redemptions = vouchers::redemptions_of(self.db().pool(), voucher.id).await?;
        Ok(DeskVoucher { voucher, deal, refusal, redemptions })
    }

    /// Redeems `uses` of a voucher at `store`: exactly once per use however many clerks and
    /// devices race, posted to the ledger (clearing → merchant payable less commission →
    /// platform revenue) and audited with who, where, which device and when.
    pub async fn redeem(
        &self,
        caller: &Principal,
        store: StoreId,
        code: &str,
        uses: i64,
        device: &str,
    ) -> Result<(RedemptionRow, VoucherRow), AppError> {
        if !(1..=100).contains(&uses) {
            return Err(FieldError::new("uses", lokal_core::field::between(1, 100)).into());
        }
        let device = device.trim();
        if device.chars().count() > 64 {
            return Err(FieldError::new("device", lokal_core::Msg::new("field-too-long").with("max", 64)).into());
        }
        let store = self.staff_store(caller, store, StaffRole::Clerk).await?;
        let (v, deal) = self.desk_voucher(&store, code).await?;
        let now = self.now();
        if let Some(no) = refusal(&v, &deal, &store, uses, now) {
            return Err(no);
        }
        let rate = lokal_store::merchants::commission_bp(self.db().pool(), v.merchant_id).await?;
        let mut tx = self.db().begin().await?;
        let Some(before) = vouchers::take_uses(&mut tx, v.id, uses, now).await? else {
            // Someone else took the uses between our read and our write.
            drop(tx);
            let fresh = vouchers::by_id(self.db().pool(), v.id).await?.unwrap_or(v);
            return Err(refusal(&fresh, &deal, &store, uses, now)
                .unwrap_or_else(|| AppError::new(ErrorCode::VoucherUsedUp, "err-voucher-uses-taken")));
        };
        let total = u32::try_from(v.uses_total).unwrap_or(1);
        let done = total.saturating_sub(u32::try_from(before).unwrap_or(0));
        let value = uses_value(v.unit_price, total, done, u32::try_from(uses).unwrap_or(1));
        let fee = commission(value, rate);
        let id = RedemptionId::generate();
        let entry = post(
            &mut tx,
            "redemption",
            &id.to_string(),
            &deal.row.title,
            ledger::redemption(v.merchant_id, value, fee),
            now,
        )
        .await?;
        let r = RedemptionRow {
            id,
            voucher_id: v.id,
            store_id: store.id,
            staff_user_id: caller.user_id,
            device: device.to_owned(),
            uses,
            value,
            commission: fee,
            entry_id: entry,
            created_at: now,
            undone_at: None,
            undone_by: None,
            undo_device: None,
        };
        vouchers::insert_redemption(&mut tx, &r).await?;
        // A member earns points on the value consumed (taken back if the redemption is undone).
        self.earn_points(&mut tx, v.merchant_id, v.user_id, value, &id.to_string(), &deal.row.title, now).await?;
        let credit = crate::attribution::Action {
            kind: lokal_core::campaign::EventKind::Redemption,
            ref_id: id.to_string(),
            user: v.user_id,
            merchant: Some(v.merchant_id),
            amount: value,
            order: None,
        };
        self.credit(&mut tx, &credit).await?;
        tx.commit().await?;
        let after = vouchers::by_id(self.db().pool(), v.id).await?.unwrap_or(v);
        Ok((r, after))
    }

    /// Undoes a redemption: managers of the store, within ten minutes, the latest redemption of
    /// its voucher first. The uses come back and the ledger entry is reversed.
    pub async fn undo_redemption(
        &self,
        caller: &Principal,
        id: RedemptionId,
        device: &str,
    ) -> Result<VoucherRow, AppError> {
        let device = device.trim();
        if device.chars().count() > 64 {
            return Err(FieldError::new("device", lokal_core::Msg::new("field-too-long").with("max", 64)).into());
        }
        let r = vouchers::redemption(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("redemption"))?;
        self.staff_store(caller, r.store_id, StaffRole::Manager).await?;
        let now = self.now();
        let closed = || {
            AppError::new(
                ErrorCode::UndoWindowClosed,
                lokal_core::Msg::new("err-undo-window-closed").with("minutes", 10),
            )
        };
        if !voucher::undoable(r.created_at, r.undone_at, now) {
            return Err(closed());
        }
        let mut tx = self.db().begin().await?;
        // Take the voucher's row first so a redemption racing this undo waits for it.
        vouchers::lock(&mut tx, r.voucher_id).await?;
        let latest = vouchers::redemptions_of(&mut *tx, r.voucher_id)
            .await?
            .into_iter()
            .rev()
            .find(|x| x.undone_at.is_none())
            .map(|x| x.id);
        if latest != Some(r.id) {
            return Err(AppError::new(ErrorCode::UndoWindowClosed, "err-undo-latest-first"));
        }
        let (merchant, member) = vouchers::by_id(&mut *tx, r.voucher_id)
            .await?
            .map(|v| (v.merchant_id, v.user_id))
            .ok_or_else(|| AppError::not_found("voucher"))?;
        // The member's card before the merchant (the order card payments take them in).
        lokal_store::membership::lock(&mut tx, merchant, member).await?;
        // The merchant's earnings from it must still be unpaid: lock the merchant as payouts do.
        lokal_store::merchants::lock(&mut tx, merchant).await?;
        // The member's points from it come back first: their value returns to what the merchant
        // is owed, which the check below counts.
        self.take_back_points(&mut tx, merchant, member, &r.id.to_string(), now).await?;
        let owed =
            -lokal_store::ledger::balance(&mut *tx, &ledger::Account::MerchantPayable(merchant).to_string()).await?;
        if owed < r.value - r.commission {
            return Err(AppError::new(ErrorCode::Conflict, "err-undo-paid-out"));
        }
        let postings = ledger::reverse(&ledger::redemption(merchant, r.value, r.commission));
        let entry = post(&mut tx, "redemption_undo", &r.id.to_string(), "undo", postings, now).await?;
        let undo = vouchers::Undo { by: caller.user_id, device, entry, at: now };
        if !vouchers::undo_redemption(&mut tx, r.id, undo, Timestamp(now.millis() - UNDO_WINDOW_MS)).await? {
            return Err(closed());
        }
        if !vouchers::return_uses(&mut tx, r.voucher_id, r.uses, now).await? {
            return Err(AppError::new(ErrorCode::Conflict, "err-undo-voucher-closed"));
        }
        tx.commit().await?;
        vouchers::by_id(self.db().pool(), r.voucher_id).await?.ok_or_else(|| AppError::not_found("voucher"))
    }
}

impl App {
    /// The caller's vouchers, newest first.
    pub async fn my_vouchers(&self, caller: &Principal) -> Result<Vec<VoucherRow>, AppError> {
        Ok(vouchers::for_user(self.db().pool(), caller.user_id).await?)
    }

    /// One of the caller's vouchers.
    pub async fn my_voucher(&self, caller: &Principal, id: lokal_core::VoucherId) -> Result<VoucherRow, AppError> {
        let v = vouchers::by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("voucher"))?;
        if v.user_id != caller.user_id {
            return Err(AppError::not_found("voucher"));
        }
        Ok(v)
    }
}

impl App {
    /// Refunds (deal allows) or closes the unused value of vouchers past their validity. Closing
    /// moves the unused value to the merchant less commission, like a redemption. Returns how
    /// many vouchers were handled.
    pub async fn expire_vouchers(&self) -> Result<usize, AppError> {
        let now = self.now();
        let due = vouchers::due_to_expire(self.db().pool(), now, 500).await?;
        let mut n = 0;
        for v in due {
            // One voucher that cannot be handled must not hold up the others: log and go on.
            match self.expire_voucher(&v, now).await {
                Ok(()) => n += 1,
                Err(e) => tracing::warn!(voucher = %v.id, error = %e, "could not expire voucher"),
            }
        }
        Ok(n)
    }

    async fn expire_voucher(&self, v: &VoucherRow, now: Timestamp) -> Result<(), AppError> {
        let order = lokal_store::orders::get_by_id(self.db().pool(), v.order_id)
            .await?
            .ok_or_else(|| AppError::not_found("order"))?;
        let deal = self.deal(v.deal_id).await?;
        if deal.row.auto_refund {
            self.refund_vouchers(&order, std::slice::from_ref(v), "expired unused", true).await?;
            return Ok(());
        }
        let rate = lokal_store::merchants::commission_bp(self.db().pool(), v.merchant_id).await?;
        let mut tx = self.db().begin().await?;
        vouchers::lock(&mut tx, v.id).await?;
        let Some(fresh) = vouchers::by_id(&mut *tx, v.id).await? else { return Ok(()) };
        if vouchers::close(&mut tx, v.id, VoucherStatus::Expired, None, now).await? {
            let total = u32::try_from(fresh.uses_total).unwrap_or(1);
            let left = u32::try_from(fresh.uses_left).unwrap_or(0).min(total);
            let value = uses_value(fresh.unit_price, total, total - left, left);
            let fee = lokal_core::deal::commission(value, rate);
            let postings = ledger::redemption(v.merchant_id, value, fee);
            post(&mut tx, "expiry", &v.id.to_string(), "expired unused", postings, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
