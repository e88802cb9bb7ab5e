//! Buying a deal: an order reserves stock, a payment goes through the gateway, the signed webhook
//! confirms it and issues the vouchers; unpaid orders give their stock back. Refunds return the
//! unused value of vouchers through the gateway.

use crate::ledger::post;
use crate::payments::{EventKind, GatewayEvent, Headers, IntentRequest, PaymentGateway, PaymentState};
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
    /// Where the payer pays (a page, an app link or a QR code's text).
    pub pay_url: String,
    /// What a client passes to the provider's SDK (WeChat Pay JSAPI), if anything.
    pub client_params: Option<serde_json::Value>,
}

/// How the payer wants to pay.
#[derive(Debug, Clone, Default)]
pub struct PayOptions {
    /// A configured provider by name (`wechatpay`, `alipay`, `sandbox`); the default one if none.
    pub provider: Option<String>,
    /// The provider's way of paying (WeChat Pay: `native`, `jsapi`, `h5`); empty for its default.
    pub method: String,
    /// The payer's id at the provider (WeChat Pay JSAPI: `openid`).
    pub payer: Option<String>,
    /// The payer's IP address.
    pub client_ip: String,
}

impl PayOptions {
    /// The gateway request for a payment of `amount` for `title`, payable until `expires_at`.
    pub(crate) fn request(
        &self,
        payment: PaymentId,
        amount: Money,
        title: &str,
        expires_at: Timestamp,
    ) -> IntentRequest {
        IntentRequest {
            payment,
            amount,
            description: title.chars().take(40).collect(),
            method: self.method.clone(),
            payer: self.payer.clone(),
            client_ip: self.client_ip.clone(),
            expires_at,
        }
    }
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
    /// `succeeded` once the money is back with the payer; `pending` or `processing` while the
    /// provider works on it.
    pub status: lokal_core::RefundStatus,
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

    /// Starts paying a pending order: a payment intent at the default gateway.
    pub async fn pay_order(&self, caller: &Principal, id: OrderId) -> Result<PaymentStart, AppError> {
        self.pay_order_with(caller, id, &PayOptions::default()).await
    }

    /// Starts paying a pending order: a payment intent at the chosen gateway (the default one
    /// unless `options.provider` names another configured one), with its way of paying.
    pub async fn pay_order_with(
        &self,
        caller: &Principal,
        id: OrderId,
        options: &PayOptions,
    ) -> Result<PaymentStart, AppError> {
        let order = orders::get_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("order"))?;
        caller.authorize(Scope::User(order.user_id), lokal_core::StaffRole::Owner)?;
        let now = self.now();
        if order.status != OrderStatus::Pending || order.expires_at <= now {
            return Err(AppError::new(
                ErrorCode::OrderNotPayable,
                lokal_core::Msg::new("err-order-not-payable").with("status", order.status.as_str()),
            ));
        }
        let gateway = self.chosen_gateway(options)?;
        let payment_id = PaymentId::generate();
        let title = self.order_view(order.clone()).await?.title;
        let request = options.request(payment_id, Money::new(order.total, Currency::CNY), &title, order.expires_at);
        let intent = gateway.create_intent(request).await?;
        let payment = PaymentRow {
            id: payment_id,
            order_id: order.id,
            provider: gateway.name().to_owned(),
            provider_ref: intent.provider_ref,
            amount: order.total,
            currency: order.currency,
            status: PaymentStatus::Pending,
            created_at: now,
            updated_at: now,
        };
        orders::insert_payment(self.db().pool(), &payment).await?;
        Ok(PaymentStart { payment, pay_url: intent.pay_url, client_params: intent.client_params })
    }

    /// The gateway `options` ask for: the default one, or another configured one by name.
    pub(crate) fn chosen_gateway(&self, options: &PayOptions) -> Result<&dyn PaymentGateway, AppError> {
        match options.provider.as_deref() {
            None | Some("") => Ok(self.gateway()),
            Some(name) => self.gateway_named(name).ok_or_else(|| {
                FieldError::new(
                    "provider",
                    lokal_core::Msg::new("field-payment-provider-unknown").with("provider", name),
                )
                .into()
            }),
        }
    }

    /// A payment by its provider reference with its order (the sandbox pay page).
    pub async fn payment_by_ref(&self, provider_ref: &str) -> Result<(PaymentRow, OrderView), AppError> {
        let p = orders::payment_by_ref(self.db().pool(), "sandbox", provider_ref)
            .await?
            .ok_or_else(|| AppError::not_found("payment"))?;
        let order =
            orders::get_by_id(self.db().pool(), p.order_id).await?.ok_or_else(|| AppError::not_found("order"))?;
        Ok((p, self.order_view(order).await?))
    }

    /// The sandbox payer's choice on the hosted page, recorded durably: the sandbox delivers its
    /// signed webhook after the configured delay (at once when the delay is 0), like a real
    /// provider would, and keeps delivering it until it is acknowledged — also after a restart
    /// (the payments worker delivers what is due).
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
        let now = self.now();
        let deliver_at = Timestamp::from_millis(now.millis().saturating_add(i64::try_from(delay).unwrap_or(i64::MAX)));
        if !lokal_store::sandbox::insert(self.db().pool(), provider_ref, succeed, deliver_at, now).await? {
            return Err(AppError::new(ErrorCode::Conflict, "err-payment-chosen"));
        }
        if delay == 0 {
            return self.deliver_sandbox_confirmation(provider_ref, succeed, 0).await;
        }
        let app = self.clone();
        let provider_ref = provider_ref.to_owned();
        tokio::spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
            if let Err(e) = app.deliver_sandbox_confirmation(&provider_ref, succeed, 0).await {
                tracing::warn!(error = %e, "sandbox webhook refused; the payments worker tries again");
            }
        });
        Ok(())
    }

    /// Delivers the sandbox's signed confirmation through the webhook path; acknowledged (also
    /// as a replay: it was applied before) it is not delivered again.
    async fn deliver_sandbox_confirmation(
        &self,
        provider_ref: &str,
        succeed: bool,
        attempts: i64,
    ) -> Result<(), AppError> {
        let pool = self.db().pool();
        let (signature, body) = self.sandbox().event(provider_ref, succeed, self.now())?;
        let headers = Headers::new([("Lokal-Signature".to_owned(), signature)]);
        match self.payment_webhook("sandbox", &headers, &body).await {
            Err(e) if e.code != ErrorCode::WebhookReplayed => {
                let retry_at = self.now().plus_secs(lokal_core::retry::backoff_secs(attempts + 1));
                lokal_store::sandbox::retry(pool, provider_ref, e.code.as_str(), retry_at).await?;
                Err(e)
            }
            _ => {
                lokal_store::sandbox::delivered(pool, provider_ref, self.now()).await?;
                Ok(())
            }
        }
    }

    /// Delivers the sandbox confirmations that are due and were not acknowledged (a crash
    /// during the delay, a webhook that failed). Returns how many were delivered.
    pub async fn deliver_sandbox_confirmations(&self) -> Result<usize, AppError> {
        if !self.sandbox_enabled() {
            return Ok(0);
        }
        let mut n = 0;
        for c in lokal_store::sandbox::due(self.db().pool(), self.now(), 100).await? {
            match self.deliver_sandbox_confirmation(&c.provider_ref, c.succeed, c.attempts).await {
                Ok(()) => n += 1,
                Err(e) => tracing::warn!(error = %e, payment = %c.provider_ref, "sandbox confirmation refused"),
            }
        }
        Ok(n)
    }

    /// A provider's notification: verified by the provider's gateway, then applied (see
    /// [`App::apply_gateway_event`]).
    pub async fn payment_webhook(&self, provider: &str, headers: &Headers, body: &[u8]) -> Result<(), AppError> {
        let gateway = self.gateway_named(provider).ok_or_else(|| AppError::not_found("payment provider"))?;
        let event = gateway.verify_webhook(headers, body, self.now())?;
        self.apply_gateway_event(provider, &event).await
    }

    /// A verified event (a notification, or what a query found): recorded once (a replay is
    /// refused and changes nothing), then applied. A success marks the payment and the order
    /// paid, issues one voucher per unit, posts the payment to the ledger and notifies the buyer
    /// — all in one transaction. A success for an order already cancelled is refunded (the refund
    /// written in that transaction, carried out after it).
    ///
    /// A menu order moves to `paid` and waits for its store (see [`App::menu_order_paid`]); a
    /// pay-at-store bill completes and is settled at once.
    pub(crate) async fn apply_gateway_event(&self, provider: &str, event: &GatewayEvent) -> Result<(), AppError> {
        if matches!(event.kind, EventKind::RefundSucceeded | EventKind::RefundFailed) {
            return self.refund_event(provider, event).await;
        }
        let now = self.now();
        let Some(payment) = orders::payment_by_ref(self.db().pool(), provider, &event.payment_ref).await? else {
            // Not an order's payment: a membership card's recharge, or nothing we know.
            return self.recharge_webhook(provider, event, now).await;
        };
        let succeeded = event.kind == EventKind::PaymentSucceeded;
        if succeeded && event.amount.is_some_and(|a| a != payment.amount) {
            // Never settle what the provider says is a different amount: an operator looks.
            tracing::error!(payment = %payment.id, said = ?event.amount, expected = payment.amount, "payment amount differs");
            return Err(AppError::new(ErrorCode::Conflict, "err-payment-amount-mismatch"));
        }
        let order =
            orders::get_by_id(self.db().pool(), payment.order_id).await?.ok_or_else(|| AppError::not_found("order"))?;
        let paying = self.paying(&order).await?;
        let mut tx = self.db().begin().await?;
        if !orders::record_event(&mut tx, provider, &event.id, now).await? {
            return Err(AppError::new(ErrorCode::WebhookReplayed, "err-webhook-replayed"));
        }
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
        if !event.provider_txn.is_empty() {
            orders::set_provider_txn(&mut tx, payment.id, &event.provider_txn).await?;
        }
        if !succeeded {
            tx.commit().await?;
            return Ok(());
        }
        let pay_ref = payment.id.to_string();
        let gateway = ledger::Account::Gateway(provider.to_owned());
        post(&mut tx, "payment", &pay_ref, &paying.memo, ledger::payment(gateway, payment.amount), now).await?;
        if !orders::transition(&mut tx, order.id, OrderStatus::Pending, paying.paid_to, now).await? {
            // The order was cancelled (not paid in time) before the money arrived: give it back.
            let refund_id = format!("rf_{}", payment.id.0.simple());
            let row = RefundRow::new(&refund_id, order.id, payment.id, payment.amount, provider, "late payment", now);
            orders::mark_payment_refunded(&mut tx, payment.id, now).await?;
            self.write_refund(&mut tx, &order, &payment, row, now).await?;
            tx.commit().await?;
            self.refund_now(order.id).await;
            return Ok(());
        }
        let live = self.order_paid(&mut tx, &order, paying, now).await?;
        tx.commit().await?;
        // A menu order cancelled on payment (an item sold out) is refunded now.
        self.refund_now(order.id).await;
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
        let mut ids = Vec::new();
        for _ in 0..order.quantity {
            let (id, code) = self.issue_voucher(tx, order, &deal.row, now).await?;
            ids.push(id);
            codes.push(code);
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
            // The vouchers' page with their QR codes, at this one when one was bought.
            link: match ids.as_slice() {
                [one] => format!("/me/vouchers#voucher-{one}"),
                _ => "/me/vouchers".into(),
            },
            read_at: None,
            kind: lokal_core::notice::MessageKind::VoucherIssued.as_str().into(),
            params: String::new(),
        };
        let link = self.message_settings().link(&message.link);
        let params = serde_json::json!({
            "deal": deal.row.title,
            "codes": codes.iter().map(VoucherCode::display).collect::<Vec<_>>().join(", "),
            "quantity": order.quantity,
            "link": link,
        });
        let message = outbox::MessageRow { params: crate::outbound::params_json(params), ..message };
        self.send_message(tx, &message).await?;
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

    async fn issue_voucher(
        &self,
        tx: &mut lokal_store::Tx,
        order: &OrderRow,
        deal: &deals::DealRow,
        now: Timestamp,
    ) -> Result<(VoucherId, VoucherCode), AppError> {
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
                return Ok((v.id, code));
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
            self.close_pending_payments(o.id).await;
        }
        Ok(n)
    }

    /// Closes an order's unpaid payments at their providers, so no payer pays a cancelled order
    /// (one who still does is refunded). A provider that cannot be reached is left to the
    /// payment recovery, which asks it again.
    async fn close_pending_payments(&self, order: OrderId) {
        let Ok(payments) = orders::payments_of(self.db().pool(), order).await else { return };
        for p in payments.iter().filter(|p| p.status == PaymentStatus::Pending) {
            let Some(gateway) = self.gateway_named(&p.provider) else { continue };
            if let Err(e) = gateway.close(&p.provider_ref).await {
                tracing::warn!(error = %e, payment = %p.id, "payment not closed at the provider");
            }
        }
    }

    /// Payment status recovery: payments (and card recharges) still pending whose notification
    /// is overdue (`payments.query_after_secs` after they started) are asked about at their
    /// provider, at most once a minute each, and settled as it answers — exactly as its
    /// notification would have. Returns how many were settled.
    pub async fn recover_payments(&self) -> Result<usize, AppError> {
        let now = self.now();
        let started_before = now.plus_secs(-self.payment_settings().query_after_secs.max(0));
        let mut asked: Vec<(String, String, Option<PaymentId>, Option<String>)> = Vec::new();
        for p in orders::overdue_payments(self.db().pool(), started_before, now, 100).await? {
            asked.push((p.provider, p.provider_ref, Some(p.id), None));
        }
        for r in lokal_store::loyalty::overdue_recharges(self.db().pool(), started_before, now, 100).await? {
            asked.push((r.provider, r.provider_ref, None, Some(r.id)));
        }
        let mut settled = 0;
        for (provider, provider_ref, payment, recharge) in asked {
            let next = now.plus_secs(60);
            match payment {
                Some(id) => orders::payment_checked(self.db().pool(), id, next).await?,
                None => {
                    lokal_store::loyalty::recharge_checked(
                        self.db().pool(),
                        recharge.as_deref().unwrap_or_default(),
                        next,
                    )
                    .await?
                }
            }
            let Some(gateway) = self.gateway_named(&provider) else { continue };
            let (kind, provider_txn, amount) = match gateway.query_payment(&provider_ref).await {
                Ok(PaymentState::Succeeded { provider_txn, amount }) => {
                    (EventKind::PaymentSucceeded, provider_txn, amount)
                }
                Ok(PaymentState::Failed) => (EventKind::PaymentFailed, String::new(), None),
                Ok(PaymentState::Pending | PaymentState::Unknown) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, payment = %provider_ref, "payment status not recovered");
                    continue;
                }
            };
            let event = GatewayEvent {
                id: format!(
                    "query:{provider_ref}:{}",
                    if kind == EventKind::PaymentSucceeded { "paid" } else { "failed" }
                ),
                kind,
                payment_ref: provider_ref.clone(),
                refund_id: None,
                provider_txn,
                amount,
            };
            match self.apply_gateway_event(&provider, &event).await {
                Ok(()) => settled += 1,
                Err(e) if e.code == ErrorCode::WebhookReplayed => {}
                Err(e) => tracing::warn!(error = %e, payment = %provider_ref, "recovered status not applied"),
            }
        }
        Ok(settled)
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
        let row = RefundRow::new(&refund_id, order.id, payment.id, 0, &payment.provider, reason, now);
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
        orders::set_refund_amount(&mut tx, &refund_id, amount).await?;
        self.complete_if_internal(&mut tx, order, &payment, &refund_id, now).await?;
        tx.commit().await?;
        // The provider is asked now, outside the transaction; the worker retries what fails.
        self.refund_now(order.id).await;
        let status = orders::refund_by_id(self.db().pool(), &refund_id)
            .await?
            .map_or(lokal_core::RefundStatus::Pending, |r| r.status);
        Ok(RefundDone { id: refund_id, amount, status, vouchers: chosen.iter().map(|v| v.id).collect() })
    }
}
