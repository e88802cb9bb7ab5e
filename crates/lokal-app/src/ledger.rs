//! Posting to the ledger and proving it holds.

use crate::{App, AppError};
use lokal_core::deal::uses_value;
use lokal_core::ledger::{self, Account, Posting};
use lokal_core::{EntryId, MerchantId, Principal, Scope, StaffRole};
use lokal_store::ledger as store;

/// Writes one balanced journal entry in `tx`; refuses (500) an unbalanced one, which is a bug.
pub(crate) async fn post(
    tx: &mut lokal_store::Tx,
    kind: &str,
    ref_id: &str,
    memo: &str,
    postings: Vec<Posting>,
    now: i64,
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
    /// What clearing must hold: minus the value of the unused uses of every active voucher.
    pub clearing_expected: i64,
    /// Vouchers looked at.
    pub vouchers: usize,
}

impl LedgerReport {
    /// Whether every entry balances, the journal sums to zero and clearing matches the vouchers.
    pub fn holds(&self) -> bool {
        self.audit.unbalanced.is_empty()
            && self.audit.lonely.is_empty()
            && self.audit.total == 0
            && self.clearing_balance == self.clearing_expected
    }
}

impl App {
    /// Checks the ledger: every entry's postings sum to zero, the whole journal sums to zero, and
    /// the clearing account holds exactly the unused value of the vouchers still active (paid
    /// money is either unused, redeemed to merchant and platform, or refunded — nothing else).
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
                if v.status == "active" || v.status == "used" {
                    let total = u32::try_from(v.uses_total).unwrap_or(1);
                    let left = u32::try_from(v.uses_left).unwrap_or(0);
                    expected -= uses_value(v.unit_price, total, total - left.min(total), left.min(total));
                }
            }
        }
        Ok(LedgerReport { audit, clearing_balance, clearing_expected: expected, vouchers })
    }

    /// A merchant's balance: what the platform owes it (positive), for merchant-wide managers.
    pub async fn merchant_balance(&self, caller: &Principal, merchant: MerchantId) -> Result<i64, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        let payable = store::balance(self.db().pool(), &Account::MerchantPayable(merchant).to_string()).await?;
        Ok(-payable)
    }
}
