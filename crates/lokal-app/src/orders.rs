//! Buying a deal: an order reserves stock, a payment goes through the gateway, the signed webhook
//! confirms it and issues the vouchers; unpaid orders give their stock back. Refunds return the
//! unused value of vouchers through the gateway.

use crate::ledger::post;
use crate::{App, AppError};
use lokal_core::Msg;
use lokal_core::PaymentStatus;
use lokal_core::fulfil::OrderStatus;
use lokal_core::fulfil::{Actor, OrderEvent};
use lokal_core::ledger;
use lokal_core::voucher::{self, RefundRefusal, VoucherCode, VoucherStatus};
use lokal_core::{
    Currency, DealId, ErrorCode, FieldError, Money, OrderId, PaymentId, Principal, Scope, Timestamp, VoucherId,
};
use lokal_i18n::render;
use lokal_store::orders::{self, OrderRow, PaymentRow, RefundRow};
use lokal_store::vouchers::{self, VoucherRow};
use lokal_store::{deals, outbox};

/// An order with its payments and vouchers.
#[derive(Debug, Clone)]
pub struct OrderView {
    /// The order.
    pub order: OrderRow,
    /// The deal's title.
    pub title: String,
    /// Payment attempts.
    pub payments: Vec<PaymentRow>,
    /// Vouchers issued (once paid).
    pub vouchers: Vec<VoucherRow>,
}

/// A started payment.
#[derive(Debug, Clone)]
pub struct PaymentStart {
    /// The payment.
    pub payment: PaymentRow,
    /// Where the payer pays.
    pub pay_url: String,
}

/// What paying an order leads to (see [`App::paying`]).
pub(crate) struct Paying {
    deal: Option<crate::deals::DealView>,
    menu_order: Option<crate::fulfil::MenuOrder>,
    /// The journal entry's memo.
    pub memo: String,
    /// The status the order moves to.
    pub paid_to: OrderStatus,
}

/// A refund made.
#[derive(Debug, Clone)]
pub struct RefundDone {
    /// The refund's id.
    pub id: String,
    /// Amount returned, minor units.
    pub amount: i64,
    /// Vouchers refunded.
    pub vouchers: Vec<VoucherId>,
}

impl App {
    /// Orders `quantity` units of a deal for the caller: takes stock and counts the per-person
    /// limit in one transaction, so neither can be oversold by racing buyers. The order waits
    /// `order_ttl_minutes` for payment.
    pub async fn place_order(
        &self,
        caller: &Principal,
        deal: DealId,
        quantity: i64,
        channel: &str,
    ) -> Result<OrderRow, AppError> {
        if !(1..=100).contains(&quantity) {
            return Err(FieldError::new("quantity", lokal_core::field::between(1, 100)).into());
        }
        let channel = lokal_core::field::line_of_text("channel", channel, 64, false)?;
        if self.recently_sold_out(deal) {
            return Err(AppError::new(ErrorCode::SoldOut, "err-deal-sold-out"));
        }
        let d = self.deal(deal).await?;
        let now = self.now();
        if !d.on_sale_at(now) {
            return Err(AppError::new(ErrorCode::NotOnSale, "err-deal-not-on-sale"));
        }
        let order = OrderRow {
            id: OrderId::generate(),
            user_id: caller.user_id,
            merchant_id: d.row.merchant_id,
            deal_id: Some(deal),
            kind: "deal".into(),
            store_id: None,
            quantity,
            unit_price: d.row.price,
            total: d.row.price * quantity,
            currency: d.row.currency.clone(),
            status: OrderStatus::Pending,
            channel,
            created_at: now,
            expires_at: now.plus_secs(self.payment_settings().order_ttl_minutes.max(1) * 60),
            paid_at: None,
            updated_at: now,
        };
        let mut tx = self.db().begin().await?;
        if !deals::count_buyer(&mut tx, deal, caller.user_id, quantity, d.row.per_user_limit).await? {
            return Err(AppError::new(
                ErrorCode::PurchaseLimitReached,
                lokal_core::Msg::new("err-deal-purchase-limit").with("max", d.row.per_user_limit),
            ));
        }
        if !deals::take_stock(&mut tx, deal, quantity, now).await? {
            drop(tx);
            if deals::get_by_id(self.db().pool(), deal).await?.is_some_and(|d| d.stock_left == 0) {
                self.sold_out_memo(|m| m.insert(deal, std::time::Instant::now()));
            }
            return Err(AppError::new(ErrorCode::SoldOut, "err-deal-sold-out"));
        }
        orders::insert(&mut tx, &order).await?;
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

    /// How long a deal seen sold out is refused from memory. Stock that comes back (unpaid
    /// orders) is on sale again at once in this process and within this long in any other.
    const SOLD_OUT_MEMO: std::time::Duration = std::time::Duration::from_secs(2);

    fn sold_out_memo<R>(&self, f: impl FnOnce(&mut std::collections::HashMap<DealId, std::time::Instant>) -> R) -> R {
        let mut m = self.sold_out.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        f(&mut m)
    }

    fn recently_sold_out(&self, deal: DealId) -> bool {
        self.sold_out_memo(|m| m.get(&deal).is_some_and(|at| at.elapsed() < Self::SOLD_OUT_MEMO))
    }

    /// An order, for its buyer.
    pub async fn order(&self, caller: &Principal, id: OrderId) -> Result<OrderView, AppError> {
        let order = orders::get_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("order"))?;
        caller.authorize(Scope::User(order.user_id), lokal_core::StaffRole::Owner)?;
        self.order_view(order).await
    }

    async fn order_view(&self, order: OrderRow) -> Result<OrderView, AppError> {
        let pool = self.db().pool();
        let title = match (order.deal_id, order.store_id) {
            (Some(deal), _) => deals::get_by_id(pool, deal).await?.map(|d| d.title).unwrap_or_default(),
            (None, Some(store)) => {
                lokal_store::stores::get_by_id(pool, store).await?.map(|s| s.name).unwrap_or_default()
            }
            (None, None) => String::new(),
        };
        let payments = orders::payments_of(pool, order.id).await?;
        let vouchers = vouchers::for_order(pool, order.id).await?;
        Ok(OrderView { order, title, payments, vouchers })
    }

    /// The caller's orders, newest first.
    pub async fn my_orders(&self, caller: &Principal) -> Result<Vec<OrderView>, AppError> {
        let mut out = Vec::new();
        for o in orders::for_user(self.db().pool(), caller.user_id).await? {
            out.push(self.order_view(o).await?);
        }
        Ok(out)
    }

    /// Starts paying a pending order: a payment intent at the gateway.
    pub async fn pay_order(&self, caller: &Principal, id: OrderId) -> Result<PaymentStart, AppError> {
        let order = orders::get_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("order"))?;
        caller.authorize(Scope::User(order.user_id), lokal_core::StaffRole::Owner)?;
        let now = self.now();
        if order.status != OrderStatus::Pending || order.expires_at <= now {
            return Err(AppError::new(
                ErrorCode::OrderNotPayable,
                lokal_core::Msg::new("err-order-not-payable").with("status", order.status.as_str()),
            ));
        }
        let payment_id = PaymentId::generate();
        let amount = Money::new(order.total, Currency::CNY);
        let intent = self.gateway().create_intent(payment_id, amount).await?;
        let payment = PaymentRow {
            id: payment_id,
            order_id: order.id,
            provider: self.gateway().name().to_owned(),
            provider_ref: intent.provider_ref,
            amount: order.total,
            currency: order.currency,
            status: PaymentStatus::Pending,
            created_at: now,
            updated_at: now,
        };
        orders::insert_payment(self.db().pool(), &payment).await?;
        Ok(PaymentStart { payment, pay_url: intent.pay_url })
    }

    /// A payment by its provider reference with its order (the sandbox pay page).
    pub async fn payment_by_ref(&self, provider_ref: &str) -> Result<(PaymentRow, OrderView), AppError> {
        let p = orders::payment_by_ref(self.db().pool(), self.gateway().name(), provider_ref)
            .await?
            .ok_or_else(|| AppError::not_found("payment"))?;
        let order =
            orders::get_by_id(self.db().pool(), p.order_id).await?.ok_or_else(|| AppError::not_found("order"))?;
        Ok((p, self.order_view(order).await?))
    }

    /// The sandbox payer's choice on the hosted page: the sandbox sends its signed webhook after
    /// the configured delay (at once when the delay is 0), like a real provider would.
    pub async fn sandbox_complete(&self, provider_ref: &str, succeed: bool) -> Result<(), AppError> {
        let c = self.checkout(provider_ref).await?;
        if c.status != PaymentStatus::Pending {
            return Err(AppError::new(
                ErrorCode::Conflict,
                lokal_core::Msg::new("err-payment-status").with("status", c.status.as_str()),
            ));
        }
        let delay = self.payment_settings().sandbox_delay_ms;
        let decline = u64::from(self.payment_settings().sandbox_decline_percent.min(100));
        let succeed = succeed && crate::secret::random_u64()? % 100 >= decline;
        let (signature, body) = self.sandbox().event(provider_ref, succeed, self.now())?;
        if delay == 0 {
            return self.payment_webhook("sandbox", &signature, &body).await;
        }
        let app = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            if let Err(e) = app.payment_webhook("sandbox", &signature, &body).await {
                tracing::warn!(error = %e, "sandbox webhook refused");
            }
        });
        Ok(())
    }

    /// A provider's webhook: verified, recorded once (a replay is refused and changes nothing),
    /// then applied. A success marks the payment and the order paid, issues one voucher per unit,
    /// posts the payment to the ledger and notifies the buyer — all in one transaction. A success
    /// for an order already cancelled is refunded at once.
    ///
    /// A menu order moves to `paid` and waits for its store (see [`App::menu_order_paid`]); a
    /// pay-at-store bill completes and is settled at once.
    pub async fn payment_webhook(&self, provider: &str, signature: &str, body: &[u8]) -> Result<(), AppError> {
        if provider != self.gateway().name() {
            return Err(AppError::not_found("payment provider"));
        }
        let now = self.now();
        let event = self.gateway().verify_webhook(signature, body, now)?;
        let Some(payment) = orders::payment_by_ref(self.db().pool(), provider, &event.payment_ref).await? else {
            // Not an order's payment: a membership card's recharge, or nothing we know.
            return self.recharge_webhook(provider, &event, now).await;
        };
        let order =
            orders::get_by_id(self.db().pool(), payment.order_id).await?.ok_or_else(|| AppError::not_found("order"))?;
        let paying = self.paying(&order).await?;
        let mut tx = self.db().begin().await?;
        if !orders::record_event(&mut tx, provider, &event.id, now).await? {
            return Err(AppError::new(ErrorCode::WebhookReplayed, "err-webhook-replayed"));
        }
        let succeeded = event.kind == "payment.succeeded";
        if !orders::settle_payment(
            &mut tx,
            payment.id,
            if succeeded { PaymentStatus::Succeeded } else { PaymentStatus::Failed },
            now,
        )
        .await?
        {
            // Already settled by an earlier event: record this one and change nothing.
            tx.commit().await?;
            return Ok(());
        }
        if !succeeded {
            tx.commit().await?;
            return Ok(());
        }
        let pay_ref = payment.id.to_string();
        let gateway = ledger::Account::Gateway(provider.to_owned());
        post(&mut tx, "payment", &pay_ref, &paying.memo, ledger::payment(gateway.clone(), payment.amount), now).await?;
        if !orders::transition(&mut tx, order.id, OrderStatus::Pending, paying.paid_to, now).await? {
            // The order was cancelled (not paid in time) before the money arrived: give it back.
            let refund_id = format!("rf_{}", payment.id.0.simple());
            let amount = Money::new(payment.amount, Currency::CNY);
            let provider_ref = self.gateway().refund(&payment.provider_ref, amount, &refund_id).await?;
            let row = RefundRow::new(&refund_id, order.id, payment.amount, provider, "late payment", now);
            orders::insert_refund(&mut tx, &RefundRow { provider_ref, ..row }).await?;
            orders::mark_payment_refunded(&mut tx, payment.id, now).await?;
            post(&mut tx, "refund", &refund_id, "late payment", ledger::refund(gateway, payment.amount), now).await?;
            tx.commit().await?;
            return Ok(());
        }
        let live = self.order_paid(&mut tx, &order, paying, now).await?;
        tx.commit().await?;
        if let Some((m, kind)) = live {
            self.publish(&m, kind);
        }
        Ok(())
    }

    /// What an order's payment leads to: its deal (vouchers to issue) or its menu order, the
    /// memo of its journal entry and the status it moves to.
    pub(crate) async fn paying(&self, order: &OrderRow) -> Result<Paying, AppError> {
        let deal = match order.deal_id {
            Some(d) => Some(self.deal(d).await?),
            None => None,
        };
        let menu_order = match deal {
            Some(_) => None,
            None => Some(self.menu_order(order.id).await?),
        };
        let memo = match (&deal, &menu_order) {
            (Some(d), _) => d.row.title.clone(),
            (None, Some(m)) => m.store_name.clone(),
            (None, None) => format!("{} order", order.kind),
        };
        let paid_to = match &menu_order {
            None => OrderStatus::Paid,
            // A bill waits for the till where the store confirms bills.
            Some(m) if m.mode() == lokal_core::fulfil::Mode::PayAtStore && self.held_bill(m).await? => {
                OrderStatus::Paid
            }
            Some(m) => lokal_core::fulfil::next(m.mode(), m.status(), OrderEvent::PaymentConfirmed, Actor::System)
                .unwrap_or(OrderStatus::Paid),
        };
        Ok(Paying { deal, menu_order, memo, paid_to })
    }

    /// An order was paid (and moved to `paying.paid_to`) in `tx`: a menu order waits for its
    /// store or a bill completes (the live event to publish after commit is returned); a deal's
    /// vouchers are issued and sent to the buyer.
    pub(crate) async fn order_paid(
        &self,
        tx: &mut lokal_store::Tx,
        order: &OrderRow,
        paying: Paying,
        now: Timestamp,
    ) -> Result<Option<(crate::fulfil::MenuOrder, &'static str)>, AppError> {
        let Some(deal) = paying.deal else {
            let m = paying.menu_order.ok_or_else(|| AppError::not_found("order"))?;
            // Decided once, with the status the order moved to: a bill held for the till.
            let held = m.mode() == lokal_core::fulfil::Mode::PayAtStore && paying.paid_to == OrderStatus::Paid;
            let kind = self.menu_order_paid(tx, &m, held, now).await?;
            return Ok(Some((m, kind)));
        };
        let mut codes = Vec::new();
        for _ in 0..order.quantity {
            let v = self.issue_voucher(tx, order, &deal.row, now).await?;
            codes.push(v);
        }
        // Written in the buyer's language: the one they saved, else the platform's.
        let lang = self.lang_of(tx, order.user_id).await?;
        let body = Msg::new("notify-vouchers-body")
            .money("total", order.total)
            .with("quantity", order.quantity)
            .with("deal", deal.row.title.as_str())
            .with("n", codes.len())
            .with("codes", codes.iter().map(VoucherCode::display).collect::<Vec<_>>().join(", "));
        let message = outbox::MessageRow {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: order.user_id,
            channel: "sms".into(),
            subject: render(lang, &Msg::new("notify-vouchers-subject").with("deal", deal.row.title.as_str())),
            body: render(lang, &body),
            created_at: now,
            link: "/me/vouchers".into(),
            read_at: None,
        };
        self.notifier().notify(tx, &message).await?;
        Ok(None)
    }

    /// The account a payment came from: the gateway, or the stored value of the payer's card at
    /// the order's merchant.
    pub(crate) fn payer_account(payment: &PaymentRow, order: &OrderRow) -> ledger::Account {
        if payment.provider == crate::loyalty::CARD_PROVIDER {
            ledger::Account::StoredValue(order.merchant_id, order.user_id)
        } else {
            ledger::Account::Gateway(payment.provider.clone())
        }
    }

    /// Returns `amount` of `payment` to its payer: through the gateway (with `key` as its
    /// idempotency key; returns the provider's reference), or back onto the card.
    pub(crate) async fn return_to_payer(
        &self,
        payment: &PaymentRow,
        amount: i64,
        key: &str,
    ) -> Result<String, AppError> {
        if payment.provider == crate::loyalty::CARD_PROVIDER {
            return Ok(format!("card_{key}"));
        }
        self.gateway().refund(&payment.provider_ref, Money::new(amount, Currency::CNY), key).await
    }

    async fn issue_voucher(
        &self,
        tx: &mut lokal_store::Tx,
        order: &OrderRow,
        deal: &deals::DealRow,
        now: Timestamp,
    ) -> Result<VoucherCode, AppError> {
        // 60 random bits: a collision is astronomically rare, and the unique index catches it.
        for _ in 0..3 {
            let code = VoucherCode::from_entropy(crate::secret::random_u64()?);
            let v = VoucherRow {
                id: VoucherId::generate(),
                code: code.as_str().to_owned(),
                order_id: order.id,
                deal_id: deal.id,
                merchant_id: deal.merchant_id,
                user_id: order.user_id,
                unit_price: order.unit_price,
                uses_total: deal.uses_per_voucher,
                uses_left: deal.uses_per_voucher,
                status: VoucherStatus::Active,
                valid_from: deal.valid_from,
                valid_until: deal.valid_until,
                refund_id: None,
                created_at: now,
                updated_at: now,
            };
            if vouchers::insert(tx, &v).await? {
                return Ok(code);
            }
        }
        Err(AppError::internal(std::io::Error::other("three voucher code collisions in a row")))
    }

    /// Cancels orders not paid in time and gives their stock and per-person units back.
    /// Returns how many were cancelled.
    pub async fn expire_unpaid_orders(&self) -> Result<usize, AppError> {
        let now = self.now();
        let mut n = 0;
        for o in orders::expired_pending(self.db().pool(), now, 500).await? {
            let mut tx = self.db().begin().await?;
            if orders::transition(&mut tx, o.id, OrderStatus::Pending, OrderStatus::Cancelled, now).await? {
                // Buyer row before deal row, the order `place_order` takes them in, so the two
                // cannot deadlock on PostgreSQL. Menu orders take their stock only when paid.
                if let Some(deal) = o.deal_id {
                    deals::uncount_buyer(&mut tx, deal, o.user_id, o.quantity).await?;
                    deals::return_stock(&mut tx, deal, o.quantity, now).await?;
                    self.sold_out_memo(|m| m.remove(&deal));
                } else {
                    let note = "not paid in time";
                    self.timeline(&mut tx, o.id, "cancelled", None, note, self.now()).await?;
                    lokal_store::coupons::release(&mut tx, &o.id.to_string()).await?;
                }
                n += 1;
            }
            tx.commit().await?;
        }
        Ok(n)
    }

    /// Refunds the caller's active vouchers of an order (all, or those named): each returns the
    /// value of its unused uses through the gateway. Redeemed uses are not refunded.
    pub async fn refund_order(
        &self,
        caller: &Principal,
        id: OrderId,
        only: Option<Vec<VoucherId>>,
        reason: &str,
    ) -> Result<RefundDone, AppError> {
        let order = orders::get_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("order"))?;
        caller.authorize(Scope::User(order.user_id), lokal_core::StaffRole::Owner)?;
        let Some(deal) = order.deal_id else {
            return Err(AppError::new(ErrorCode::NotRefundable, "err-refund-menu-order"));
        };
        let deal = self.deal(deal).await?;
        if !deal.row.refundable {
            return Err(AppError::new(ErrorCode::NotRefundable, "err-deal-not-refundable"));
        }
        let all = vouchers::for_order(self.db().pool(), id).await?;
        let chosen: Vec<VoucherRow> = match &only {
            Some(ids) => {
                if ids.is_empty() {
                    return Err(FieldError::new("voucher_ids", "field-refund-vouchers-empty").into());
                }
                let mut out = Vec::new();
                for vid in ids {
                    let v = all.iter().find(|v| v.id == *vid).ok_or_else(|| {
                        FieldError::new(
                            "voucher_ids",
                            lokal_core::Msg::new("field-voucher-not-in-order").with("voucher", vid.to_string()),
                        )
                    })?;
                    if !out.iter().any(|o: &VoucherRow| o.id == v.id) {
                        out.push(v.clone());
                    }
                }
                out
            }
            None => all.into_iter().filter(|v| v.status == VoucherStatus::Active).collect(),
        };
        if chosen.is_empty() {
            return Err(AppError::new(ErrorCode::NotRefundable, "err-refund-nothing-left"));
        }
        self.refund_vouchers(&order, &chosen, reason, false).await
    }

    /// Refunds `chosen` (all of one order). With `on_expiry`, vouchers past their validity are
    /// accepted (the expiry job); otherwise they are refused.
    pub(crate) async fn refund_vouchers(
        &self,
        order: &OrderRow,
        chosen: &[VoucherRow],
        reason: &str,
        on_expiry: bool,
    ) -> Result<RefundDone, AppError> {
        let now = self.now();
        let payment = orders::payments_of(self.db().pool(), order.id)
            .await?
            .into_iter()
            .find(|p| p.status == PaymentStatus::Succeeded)
            .ok_or_else(|| AppError::new(ErrorCode::NotRefundable, "err-order-not-paid"))?;
        // The same vouchers give the same refund id, which is also the gateway's idempotency key:
        // if this attempt fails after the gateway refunded, the retry cannot refund twice.
        let mut ids: Vec<String> = chosen.iter().map(|v| v.id.to_string()).collect();
        ids.sort();
        let refund_id = format!("rf_{}", &crate::secret::sha256_hex(ids.join(",").as_bytes())[..32]);
        let mut tx = self.db().begin().await?;
        let mut amount = 0i64;
        // The refund row exists first; vouchers point at it.
        let row = RefundRow::new(&refund_id, order.id, 0, &payment.provider, reason, now);
        match orders::insert_refund(&mut tx, &row).await {
            // These very vouchers were refunded already (or are being refunded right now).
            Err(lokal_store::StoreError::Unique(_)) => {
                return Err(AppError::new(ErrorCode::NotRefundable, "err-vouchers-already-refunded"));
            }
            other => other?,
        }
        for v in chosen {
            // Lock the voucher row, then read its uses as of now (a redemption may have just run;
            // one racing this refund now waits for it).
            vouchers::lock(&mut tx, v.id).await?;
            let Some(fresh) = vouchers::by_id(&mut *tx, v.id).await? else { continue };
            let not_refundable = || {
                AppError::new(
                    ErrorCode::NotRefundable,
                    lokal_core::Msg::new("err-voucher-not-refundable")
                        .with("code", VoucherCode::display_of(&fresh.code))
                        .with("status", fresh.status.as_str()),
                )
            };
            match voucher::refund_refusal(fresh.status, fresh.valid_until, now, on_expiry) {
                Some(RefundRefusal::PastValidity) => {
                    return Err(AppError::new(ErrorCode::NotRefundable, "err-refund-expired-automatic"));
                }
                Some(RefundRefusal::Closed(_)) => return Err(not_refundable()),
                None => {}
            }
            if !vouchers::close(&mut tx, v.id, VoucherStatus::Refunded, Some(&refund_id), now).await? {
                return Err(not_refundable());
            }
            amount += voucher::refund_value(fresh.unit_price, fresh.uses_total, fresh.uses_left);
        }
        let provider_ref = self.return_to_payer(&payment, amount, &refund_id).await?;
        orders::finish_refund(&mut tx, &refund_id, amount, &provider_ref).await?;
        let payer = Self::payer_account(&payment, order);
        post(&mut tx, "refund", &refund_id, reason, ledger::refund(payer, amount), now).await?;
        tx.commit().await?;
        Ok(RefundDone { id: refund_id, amount, vouchers: chosen.iter().map(|v| v.id).collect() })
    }
}
