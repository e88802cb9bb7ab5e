//! Pay-at-store (到店买单): the consumer scans the store's poster, enters the bill (and the part
//! the store's discount does not cover), sees the discount, and pays online. The bill is an order
//! of mode `pay_at_store` paid through the same gateway; once the payment is confirmed it is
//! completed and settled at once, and the cashier's screen shows it with its four-digit
//! confirmation code — or, where the store says so (`bill_confirmation`), it waits on that
//! screen for the cashier to confirm it (then completed and settled) or refuse it (refunded).

use crate::fulfil::MenuOrder;
use crate::takeout::short_code;
use crate::{App, AppError};
use lokal_core::fulfil::{Mode, OrderStatus};
use lokal_core::takeout::{PayRuleJson, bill_discount};
use lokal_core::{Currency, OrderId, Principal, StaffRole, StoreId};
use lokal_store::orders::{self, OrderRow};
use lokal_store::takeout::{self, DetailRow};

/// What the payer sees before paying.
#[derive(Debug, Clone)]
pub struct BillTerms {
    /// The store's name.
    pub store_name: String,
    /// Its rule.
    pub rule: PayRuleJson,
    /// What the rule does not cover.
    pub excludes: String,
}

impl App {
    /// The store's pay-at-store terms, for anyone with its poster.
    pub async fn bill_terms(&self, store: StoreId) -> Result<BillTerms, AppError> {
        let view = self.public_store(store).await?;
        let s = self.order_settings(store).await?;
        Ok(BillTerms { store_name: view.profile.name, rule: s.pay_at_store, excludes: s.pay_at_store_excludes })
    }

    /// Opens a bill of `amount` (of which `excluded` is not discounted) at a store: an order
    /// waiting for payment, its total less the store's discount.
    pub async fn open_bill(
        &self,
        caller: &Principal,
        store: StoreId,
        amount: i64,
        excluded: i64,
        channel: &str,
        coupon_ids: Option<&[lokal_core::CouponId]>,
    ) -> Result<OrderRow, AppError> {
        let view = self.public_store(store).await?;
        let s = self.order_settings(store).await?;
        let discount = bill_discount(&s.pay_at_store, amount, excluded)?;
        if amount - discount < 1 {
            return Err(lokal_core::FieldError::new("amount", "field-bill-after-discount").into());
        }
        let channel = lokal_core::field::line_of_text("channel", channel, 64, false)?;
        let now = self.now();
        // The consumer's coupons on what the store's rule leaves (the best ones unless named).
        let coupons =
            self.bill_coupons(caller.user_id, view.row.merchant_id, store, amount - discount, coupon_ids, now).await?;
        let platform_off: i64 =
            coupons.iter().filter(|c| c.funder == lokal_core::promo::Funder::Platform).map(|c| c.amount).sum();
        let coupons_off: i64 = coupons.iter().map(|c| c.amount).sum();
        let total = amount - discount - coupons_off;
        let order = OrderRow {
            id: OrderId::generate(),
            user_id: caller.user_id,
            merchant_id: view.row.merchant_id,
            deal_id: None,
            kind: Mode::PayAtStore.as_str().to_owned(),
            store_id: Some(store),
            quantity: 1,
            unit_price: total,
            total,
            currency: Currency::CNY.as_str().to_owned(),
            status: OrderStatus::Pending,
            channel,
            created_at: now,
            expires_at: now.plus_secs(self.payment_settings().order_ttl_minutes.max(1) * 60),
            paid_at: None,
            updated_at: now,
        };
        let detail = DetailRow {
            order_id: Some(order.id),
            store_id: Some(store),
            mode: Mode::PayAtStore.as_str().to_owned(),
            subtotal: amount,
            discount: discount + coupons_off,
            platform_discount: platform_off,
            code: short_code()?,
            returning: orders::has_paid_at_store(self.db().pool(), caller.user_id, store).await?,
            ..DetailRow::default()
        };
        let mut tx = self.db().begin().await?;
        orders::insert(&mut tx, &order).await?;
        self.hold_discounts(&mut tx, &order, &coupons, &[], now).await?;
        takeout::insert_detail(&mut tx, &detail).await?;
        self.timeline(&mut tx, order.id, "placed", Some(caller.user_id), "", now).await?;
        let credit = crate::attribution::Action {
            kind: lokal_core::campaign::EventKind::Order,
            ref_id: order.id.to_string(),
            user: caller.user_id,
            merchant: Some(order.merchant_id),
            amount: order.total,
            order: Some(order.id),
        };
        self.credit(&mut tx, &credit).await?;
        tx.commit().await?;
        Ok(order)
    }

    /// Bills paid at a store, newest first (the cashier's screen). Staff of the store.
    pub async fn store_bills(&self, caller: &Principal, store: StoreId) -> Result<Vec<MenuOrder>, AppError> {
        self.store_row(caller, store, StaffRole::Clerk).await?;
        let mut out = Vec::new();
        for id in takeout::store_orders(self.db().pool(), store, false, 100).await? {
            let o = self.menu_order(id).await?;
            // Completed, and paid ones waiting for the till to confirm them.
            if o.mode() == Mode::PayAtStore && matches!(o.status(), OrderStatus::Completed | OrderStatus::Paid) {
                out.push(o);
            }
        }
        Ok(out)
    }
}
