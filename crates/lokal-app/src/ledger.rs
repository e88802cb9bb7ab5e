//! Posting to the ledger and proving it holds.

use crate::{App, AppError};
use lokal_core::deal::uses_value;
use lokal_core::ledger::{self, Account, Posting};
use lokal_core::voucher::VoucherStatus;
use lokal_core::{EntryId, MerchantId, Principal, Scope, StaffRole, Timestamp};
use lokal_store::ledger as store;

/// Writes one balanced journal entry in `tx`; refuses (500) an unbalanced one, which is a bug.
pub(crate) async fn post(
    tx: &mut lokal_store::Tx,
    kind: &str,
    ref_id: &str,
    memo: &str,
    postings: Vec<Posting>,
    now: Timestamp,
) -> Result<EntryId, AppError> {
    let postings = ledger::entry(postings).map_err(AppError::internal)?;
    let id = EntryId::generate();
    let head = store::EntryHead { id, kind, ref_id, memo, currency: "CNY", created_at: now };
    store::insert_entry(tx, head, &postings).await?;
    Ok(id)
}

/// The outcome of `lokal ledger check`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerReport {
    /// What the journal holds and which entries are wrong.
    pub audit: store::Audit,
    /// Balance of `platform:clearing` (credit: negative).
    pub clearing_balance: i64,
    /// What clearing must hold: minus the value of the unused uses of every active voucher and
    /// the totals of menu orders paid but not yet completed, rejected or cancelled.
    pub clearing_expected: i64,
    /// Vouchers looked at.
    pub vouchers: usize,
    /// Membership cards' stored-value or points accounts with a debit balance (overdrawn: a
    /// member spent more than they held), with the balance.
    pub overdrawn_cards: Vec<(String, i64)>,
}

impl LedgerReport {
    /// Whether every entry balances, the journal sums to zero and clearing matches the vouchers.
    pub fn holds(&self) -> bool {
        self.audit.unbalanced.is_empty()
            && self.audit.lonely.is_empty()
            && self.audit.total == 0
            && self.clearing_balance == self.clearing_expected
            && self.overdrawn_cards.is_empty()
    }
}

impl App {
    /// Checks the ledger: every entry's postings sum to zero, the whole journal sums to zero, the
    /// clearing account holds exactly the unused value of the vouchers still active plus the
    /// menu orders in progress plus the refunds on their way (paid money is either unused, earned
    /// by merchant, platform and rider, being refunded, or refunded — nothing else), and no membership card's stored value or points are
    /// overdrawn.
    pub async fn ledger_check(&self) -> Result<LedgerReport, AppError> {
        let pool = self.db().pool();
        let audit = store::audit(pool).await?;
        let clearing_balance = store::balance(pool, &Account::Clearing.to_string()).await?;
        let mut expected = 0i64;
        let mut vouchers = 0usize;
        let mut after = None;
        loop {
            let page = lokal_store::vouchers::unrefunded(pool, after, 5_000).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            for v in &page {
                vouchers += 1;
                if v.status == VoucherStatus::Active || v.status == VoucherStatus::Used {
                    let total = u32::try_from(v.uses_total).unwrap_or(1);
                    let left = u32::try_from(v.uses_left).unwrap_or(0);
                    expected -= uses_value(v.unit_price, total, total - left.min(total), left.min(total));
                }
            }
        }
        // Paid menu orders not yet settled or refunded hold their whole total in clearing.
        expected -= lokal_store::takeout::held_total(pool).await?;
        // So do refunds decided and not yet confirmed by their provider (or refused by it: owed
        // to the payer until an operator returns it another way).
        expected -= lokal_store::orders::unfinished_refunds_total(pool).await?;
        let overdrawn_cards = store::overdrawn_cards(pool).await?;
        Ok(LedgerReport { audit, clearing_balance, clearing_expected: expected, vouchers, overdrawn_cards })
    }

    /// A merchant's balance: what the platform owes it (positive), for merchant-wide managers.
    pub async fn merchant_balance(&self, caller: &Principal, merchant: MerchantId) -> Result<i64, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        let payable = store::balance(self.db().pool(), &Account::MerchantPayable(merchant).to_string()).await?;
        Ok(-payable)
    }
}

/// The platform's statement day: midnight to midnight at UTC+8, where the demo city and most
/// users are.
pub const STATEMENT_OFFSET_MIN: i64 = 8 * 60;

/// `[from, to)` in epoch ms of the statement day `date` (`YYYY-MM-DD`).
pub fn statement_day(date: &str) -> Result<(i64, i64), lokal_core::FieldError> {
    let bad = || lokal_core::FieldError::new("date", "field-date");
    let midnight = lokal_core::Timestamp::parse_rfc3339(&format!("{}T00:00:00+08:00", date.trim())).ok_or_else(bad)?;
    if date.trim().len() != 10 {
        return Err(bad());
    }
    Ok((midnight.millis(), midnight.millis() + 86_400_000))
}

impl App {
    /// A merchant's settlement statement for one day (UTC+8): every redemption, undo and expiry,
    /// each traceable to its order and voucher. Merchant-wide managers and owners.
    pub async fn statement(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        date: &str,
    ) -> Result<Vec<lokal_store::vouchers::StatementLine>, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        let (from, to) = statement_day(date)?;
        Ok(lokal_store::vouchers::statement(self.db().pool(), merchant, from, to).await?)
    }

    /// Pays out `amount` of a merchant's balance (operators): merchant payable → paid out. Never
    /// more than the balance, even when two payouts race.
    pub async fn payout(&self, caller: &Principal, merchant: MerchantId, amount: i64) -> Result<i64, AppError> {
        caller.require_admin()?;
        if amount <= 0 {
            return Err(lokal_core::FieldError::new("amount", "field-positive").into());
        }
        lokal_store::merchants::get_merchant(self.db().pool(), merchant)
            .await?
            .ok_or_else(|| AppError::not_found("merchant"))?;
        let payable = Account::MerchantPayable(merchant);
        let mut tx = self.db().begin().await?;
        // Serialise payouts of this merchant: take its row first.
        lokal_store::merchants::lock(&mut tx, merchant).await?;
        let owed = -store::balance(&mut *tx, &payable.to_string()).await?;
        if amount > owed {
            return Err(AppError::new(
                lokal_core::ErrorCode::Conflict,
                lokal_core::Msg::new("err-payout-above-balance").money("owed", owed).money("amount", amount),
            ));
        }
        let postings = vec![
            Posting { account: payable, amount },
            Posting { account: Account::MerchantPaidOut(merchant), amount: -amount },
        ];
        let now = self.now();
        post(&mut tx, "payout", &merchant.to_string(), "settlement", postings, now).await?;
        tx.commit().await?;
        Ok(owed - amount)
    }
}
