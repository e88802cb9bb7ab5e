//! The money side of menu orders: the consumer's codes (guessing limited), full refunds through
//! the gateway (the last step before commit), settlement of a completed order to merchant,
//! platform and rider, and compensation when an operator cancels food already on its way.

use crate::fulfil::MenuOrder;
use crate::ledger::post;
use crate::{App, AppError};
use lokal_core::PaymentStatus;
use lokal_core::ledger;
use lokal_core::takeout;
use lokal_core::{ErrorCode, Timestamp, UserId};
use lokal_store::orders::{self, OrderRow, RefundRow};

impl App {
    /// Checks the consumer's pickup or delivery code. Four digits are easy to guess, so each order
    /// allows five wrong tries an hour (then 429, whoever tries), compared in constant time.
    pub(crate) async fn check_code(&self, o: &MenuOrder, given: &str) -> Result<(), AppError> {
        let bucket = format!("code:{}", o.order.id);
        let window = self.rate_hit(&bucket, 5, 3_600).await?;
        if crate::secret::constant_time_eq(given.trim(), &o.detail.code) {
            self.rate_refund(&bucket, window).await?;
            return Ok(());
        }
        Err(AppError::new(ErrorCode::DeliveryCodeInvalid, "err-code-mismatch"))
    }

    /// Refunds a menu order's whole payment: written in `tx` (one refund per order: its id is
    /// derived from the order, so a retry cannot refund twice) and carried out once it commits
    /// (the caller calls [`App::refund_now`] after committing; the worker otherwise).
    pub(crate) async fn refund_menu_order(
        &self,
        tx: &mut lokal_store::Tx,
        order: &OrderRow,
        reason: &str,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let payment =
            orders::payments_of(&mut **tx, order.id).await?.into_iter().find(|p| p.status == PaymentStatus::Succeeded);
        let payment = payment.ok_or_else(|| AppError::new(ErrorCode::NotRefundable, "err-order-not-paid"))?;
        let refund_id = format!("rf_{}", order.id.0.simple());
        let row = RefundRow::new(&refund_id, order.id, payment.id, payment.amount, &payment.provider, reason, now);
        orders::mark_payment_refunded(tx, payment.id, now).await?;
        self.write_refund(tx, order, &payment, row, now).await
    }

    /// Settles a completed order: the merchant earns items and packaging less commission (at
    /// least the platform's minimum) and less what the consumer's delivery fee and the platform's
    /// capped subsidy do not cover of the rider's pay; the platform keeps commission and delivery
    /// fee, the rider (if any) is paid as a cost.
    pub(crate) async fn settle(
        &self,
        tx: &mut lokal_store::Tx,
        o: &MenuOrder,
        rider: Option<(UserId, i64)>,
        now: Timestamp,
    ) -> Result<(), AppError> {
        // The merchant's goods: what the consumer paid for items and packaging, plus what the
        // platform's coupons took off (the platform pays that).
        let goods = o.order.total - o.detail.delivery_fee + o.detail.platform_discount;
        let rate = lokal_store::merchants::commission_bp(&mut **tx, o.order.merchant_id).await?;
        let commission = takeout::order_commission(goods, rate, self.payment_settings().min_commission);
        let cap = self.delivery_settings().max_platform_subsidy;
        let merchant_delivery =
            rider.map_or(0, |(_, pay)| takeout::merchant_delivery_share(pay, o.detail.delivery_fee, cap));
        let settlement = ledger::Settlement {
            total: o.order.total,
            goods,
            commission,
            subsidy: o.detail.platform_discount,
            rider,
            merchant_delivery,
        };
        let postings = ledger::settle_order(o.order.merchant_id, settlement);
        post(tx, "order", &o.order.id.to_string(), &o.store_name, postings, now).await?;
        // Members earn points on what they paid for the goods.
        let paid = o.order.total - o.detail.delivery_fee;
        self.earn_points(tx, o.order.merchant_id, o.order.user_id, paid, &o.order.id.to_string(), &o.store_name, now)
            .await?;
        Ok(())
    }

    /// After an operator cancels a delivery already picked up, the store is paid for the food
    /// and the rider for the ride, at the platform's cost.
    pub(crate) async fn compensate(
        &self,
        tx: &mut lokal_store::Tx,
        o: &MenuOrder,
        now: Timestamp,
    ) -> Result<(), AppError> {
        // The consumer is refunded in full and gets the coupons back: the store is paid for the
        // food as priced before any discount.
        let goods = o.order.total - o.detail.delivery_fee + o.detail.discount;
        let rate = lokal_store::merchants::commission_bp(&mut **tx, o.order.merchant_id).await?;
        let commission = lokal_core::deal::commission(goods, rate);
        let rider = o.delivery.as_ref().and_then(|d| d.rider_id.map(|r| (r, d.rider_pay)));
        if let Some((rider, pay)) = rider
            && let Some(shift) = lokal_store::riders::get_by_id(&mut **tx, rider).await?.and_then(|r| r.shift_id)
        {
            // The ride counts towards the shift's earnings (so the guarantee does not pay it twice).
            lokal_store::riders::add_to_shift(tx, shift, pay, 0).await?;
        }
        let postings = ledger::compensation(o.order.merchant_id, goods, commission, rider);
        if postings.iter().all(|p| p.amount == 0) {
            return Ok(());
        }
        post(tx, "compensation", &o.order.id.to_string(), "cancelled after pickup", postings, now).await?;
        Ok(())
    }
}
