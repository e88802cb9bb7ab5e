//! Refunds that survive failures. The transaction that decides a refund (a voucher refund, a
//! cancelled menu order, a payment that arrived too late) writes it `pending` and calls no one;
//! the refund worker then asks the provider, outside any transaction, with the refund's id as
//! the provider's idempotency key, and the ledger records the refund in the transaction that
//! marks it `succeeded`. Whatever step a crash interrupts, the next try repeats the same request
//! with the same key: the provider refunds once, and the conditional `finish_refund` lets only
//! one writer post it. A refund from a card's stored value moves no external money and is
//! finished in the deciding transaction.

use crate::ledger::post;
use crate::payments::{EventKind, GatewayEvent, RefundRequest, RefundState};
use crate::{App, AppError};
use lokal_core::ledger;
use lokal_core::{OrderId, RefundStatus, Timestamp};
use lokal_store::orders::{self, OrderRow, PaymentRow, RefundRow};

/// Refunds carried out at most per worker pass.
const BATCH: i64 = 100;

impl App {
    /// Writes a refund of `payment` in `tx`: `pending` for the worker, or finished and posted at
    /// once when it goes back onto a card.
    pub(crate) async fn write_refund(
        &self,
        tx: &mut lokal_store::Tx,
        order: &OrderRow,
        payment: &PaymentRow,
        row: RefundRow,
        now: Timestamp,
    ) -> Result<(), AppError> {
        orders::insert_refund(tx, &row).await?;
        self.complete_if_internal(tx, order, payment, &row.id, now).await
    }

    /// A refund written in `tx` that goes back onto a card moves no external money: it is
    /// finished and posted in the same transaction.
    pub(crate) async fn complete_if_internal(
        &self,
        tx: &mut lokal_store::Tx,
        order: &OrderRow,
        payment: &PaymentRow,
        refund_id: &str,
        now: Timestamp,
    ) -> Result<(), AppError> {
        if payment.provider != crate::loyalty::CARD_PROVIDER {
            return Ok(());
        }
        let row = orders::refund_by_id(&mut **tx, refund_id).await?.ok_or_else(|| AppError::not_found("refund"))?;
        self.refund_succeeded(tx, &row, order, payment, &format!("card_{refund_id}"), now).await?;
        Ok(())
    }

    /// Marks an unfinished refund `succeeded` and posts it to the ledger, in `tx`; false (and
    /// nothing posted) if it was finished already.
    async fn refund_succeeded(
        &self,
        tx: &mut lokal_store::Tx,
        refund: &RefundRow,
        order: &OrderRow,
        payment: &PaymentRow,
        provider_ref: &str,
        now: Timestamp,
    ) -> Result<bool, AppError> {
        if !orders::finish_refund(tx, &refund.id, RefundStatus::Succeeded, provider_ref, "", now).await? {
            return Ok(false);
        }
        if refund.status == RefundStatus::Failed {
            tracing::error!(refund = %refund.id, "a refund reported failed was paid by the provider after all");
        }
        let payer = Self::payer_account(payment, order);
        post(tx, "refund", &refund.id, &refund.reason, ledger::refund(payer, refund.amount), now).await?;
        Ok(true)
    }

    /// Carries out `order`'s unfinished refunds now, right after the transaction that wrote them
    /// committed. What fails is left to the worker, which tries again with backoff.
    pub(crate) async fn refund_now(&self, order: OrderId) {
        let refunds = match orders::refunds_of(self.db().pool(), order).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(error = %e, %order, "refunds left to the worker");
                return;
            }
        };
        for r in refunds.into_iter().filter(|r| matches!(r.status, RefundStatus::Pending | RefundStatus::Processing)) {
            if let Err(e) = self.carry_out_refund(&r).await {
                tracing::warn!(error = %e, refund = %r.id, "refund left to the worker");
            }
        }
    }

    /// One pass of the refund worker: every unfinished refund whose next try is due is sent to
    /// its provider (or, once accepted, asked about). Returns how many were tried.
    pub async fn carry_out_refunds(&self) -> Result<usize, AppError> {
        let due = orders::due_refunds(self.db().pool(), self.now(), BATCH).await?;
        for r in &due {
            if let Err(e) = self.carry_out_refund(r).await {
                tracing::warn!(error = %e, refund = %r.id, "refund try failed");
                // Not at the head of the queue again at once: it waits its backoff like any try.
                let now = self.now();
                let next = now.plus_secs(lokal_core::retry::backoff_secs(r.attempts + 1));
                orders::refund_retry(self.db().pool(), &r.id, &e.to_string(), next, now).await?;
            }
        }
        Ok(due.len())
    }

    /// One try of one refund; returns its status after the try.
    async fn carry_out_refund(&self, r: &RefundRow) -> Result<RefundStatus, AppError> {
        let pool = self.db().pool();
        let now = self.now();
        let retry_at = now.plus_secs(lokal_core::retry::backoff_secs(r.attempts + 1));
        let Some(gateway) = self.gateway_named(&r.provider) else {
            let why = format!("the payment provider {} is not configured", r.provider);
            orders::refund_retry(pool, &r.id, &why, retry_at, now).await?;
            return Ok(r.status);
        };
        let (order, payment) = self.refund_subject(r).await?;
        let state = if r.status == RefundStatus::Pending {
            let request = RefundRequest {
                payment_ref: payment.provider_ref.clone(),
                refund_id: r.id.clone(),
                amount: r.amount,
                total: payment.amount,
                reason: r.reason.clone(),
            };
            gateway.refund(&request).await
        } else {
            gateway.query_refund(&r.id).await
        };
        match state {
            Err(why) => {
                orders::refund_retry(pool, &r.id, &why.0, retry_at, now).await?;
                Ok(r.status)
            }
            Ok(RefundState::Processing { provider_ref }) => {
                orders::refund_processing(pool, &r.id, &provider_ref, retry_at, now).await?;
                Ok(RefundStatus::Processing)
            }
            Ok(RefundState::Succeeded { provider_ref }) => {
                let mut tx = self.db().begin().await?;
                self.refund_succeeded(&mut tx, r, &order, &payment, &provider_ref, now).await?;
                tx.commit().await?;
                Ok(RefundStatus::Succeeded)
            }
            Ok(RefundState::Failed { reason }) => {
                let mut tx = self.db().begin().await?;
                if orders::finish_refund(&mut tx, &r.id, RefundStatus::Failed, "", &reason, now).await? {
                    tracing::error!(refund = %r.id, %reason, "the provider refused a refund: return the money another way");
                }
                tx.commit().await?;
                Ok(RefundStatus::Failed)
            }
        }
    }

    async fn refund_subject(&self, r: &RefundRow) -> Result<(OrderRow, PaymentRow), AppError> {
        let pool = self.db().pool();
        let order = orders::get_by_id(pool, r.order_id).await?.ok_or_else(|| AppError::not_found("order"))?;
        let payment = match r.payment_id {
            Some(p) => orders::payment_by_id(pool, p).await?,
            None => None,
        };
        Ok((order, payment.ok_or_else(|| AppError::not_found("payment"))?))
    }

    /// A provider's verified notification about a refund: recorded once, then the refund is
    /// finished (and posted) as it says.
    pub(crate) async fn refund_event(&self, provider: &str, event: &GatewayEvent) -> Result<(), AppError> {
        let now = self.now();
        let id = event.refund_id.as_deref().unwrap_or_default();
        let r = orders::refund_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("refund"))?;
        if r.provider != provider {
            return Err(AppError::not_found("refund"));
        }
        let (order, payment) = self.refund_subject(&r).await?;
        let mut tx = self.db().begin().await?;
        if !orders::record_event(&mut tx, provider, &event.id, now).await? {
            return Err(AppError::new(lokal_core::ErrorCode::WebhookReplayed, "err-webhook-replayed"));
        }
        if event.kind == EventKind::RefundSucceeded {
            self.refund_succeeded(&mut tx, &r, &order, &payment, &event.provider_txn, now).await?;
        } else if orders::finish_refund(
            &mut tx,
            &r.id,
            RefundStatus::Failed,
            "",
            "the provider reported it failed",
            now,
        )
        .await?
        {
            tracing::error!(refund = %r.id, "the provider reported a refund failed: return the money another way");
        }
        tx.commit().await?;
        Ok(())
    }
}
