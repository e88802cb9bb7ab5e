//! Points and stored value on membership cards (issue G).
//!
//! Every balance is a ledger account (`lokal_core::ledger::Account::{Points, StoredValue}`):
//! recharges, card payments, refunds to the card, points earned and exchanged are journal
//! entries, and a card's history is read from its postings. A card's stored value and points
//! change only under its membership row's lock, so two payments cannot spend the same money.

use crate::coupons::CouponView;
use crate::ledger::post;
use crate::{App, AppError};
use lokal_core::PaymentStatus;
use lokal_core::coupon::BatchStatus;
use lokal_core::coupon::CouponStatus;
use lokal_core::fulfil::OrderStatus;
use lokal_core::ledger::{self, Account};
use lokal_core::loyalty::{self as rules, Program};
use lokal_core::{
    CouponId, CouponTemplateId, Currency, ErrorCode, FieldError, MerchantId, Money, OrderId, PaymentId, Principal,
    Scope, StaffRole, StoreId, Timestamp, UserId,
};
use lokal_store::loyalty::{self as store, CardLine, RechargeRow};
use lokal_store::membership;
use lokal_store::orders::{self, PaymentRow};

/// The provider name of payments from a card's stored value.
pub const CARD_PROVIDER: &str = "card";
/// A started recharge: the row and where the payer pays.
#[derive(Debug, Clone)]
pub struct RechargeStart {
    /// The recharge.
    pub recharge: RechargeRow,
    /// The gateway's page.
    pub pay_url: String,
}

/// What a hosted payment page shows: an order's payment or a card's recharge.
#[derive(Debug, Clone)]
pub struct Checkout {
    /// Minor units.
    pub amount: i64,
    /// What is paid for.
    pub title: String,
    /// Where the payment stands.
    pub status: PaymentStatus,
    /// Where the payer goes afterwards.
    pub back_url: String,
}

impl App {
    /// A merchant's loyalty program (the default until it sets one).
    pub async fn loyalty_program(&self, merchant: MerchantId) -> Result<Program, AppError> {
        program_in(self.db().pool(), merchant).await
    }

    /// Sets a merchant's program. Merchant-wide managers and owners.
    pub async fn set_loyalty_program(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        program: Program,
    ) -> Result<Program, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        let program = program.parse()?;
        // Operators pass the check for any id: the merchant must exist.
        lokal_store::merchants::get_merchant(self.db().pool(), merchant)
            .await?
            .ok_or_else(|| AppError::not_found("merchant"))?;
        let json = serde_json::to_string(&program).map_err(AppError::internal)?;
        store::set_program(self.db().pool(), merchant, &json, self.now()).await?;
        Ok(program)
    }

    /// The caller's card at a merchant with its latest history (404 if not a member).
    pub async fn my_card(
        &self,
        caller: &Principal,
        merchant: MerchantId,
    ) -> Result<(crate::membership::Card, Vec<CardLine>), AppError> {
        let card = self.member_here(caller, merchant).await?.ok_or_else(|| AppError::not_found("membership card"))?;
        let (points, stored) =
            (Account::Points(merchant, caller.user_id), Account::StoredValue(merchant, caller.user_id));
        let lines = store::card_history(self.db().pool(), &points.to_string(), &stored.to_string()).await?;
        Ok((card, lines))
    }

    /// Starts recharging the caller's card at `merchant` with one of its offers (`pay` must be
    /// an offer's amount): a payment at the gateway; the card is credited `pay + bonus` when the
    /// gateway confirms.
    pub async fn start_recharge(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        store_id: Option<StoreId>,
        pay: i64,
    ) -> Result<RechargeStart, AppError> {
        self.start_recharge_with(caller, merchant, store_id, pay, &crate::orders::PayOptions::default()).await
    }

    /// [`App::start_recharge`] through the gateway and way of paying `options` choose.
    pub async fn start_recharge_with(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        store_id: Option<StoreId>,
        pay: i64,
        options: &crate::orders::PayOptions,
    ) -> Result<RechargeStart, AppError> {
        self.member_here(caller, merchant).await?.ok_or_else(|| AppError::not_found("membership card"))?;
        let program = self.loyalty_program(merchant).await?;
        let tier = program.tier(pay).ok_or_else(|| FieldError::new("pay", "field-recharge-offer-unknown"))?;
        if let Some(s) = store_id {
            let view = self.public_store(s).await?;
            if view.row.merchant_id != merchant {
                return Err(FieldError::new("store_id", "field-store-not-of-merchant").into());
            }
        }
        let now = self.now();
        let id = PaymentId::generate();
        let title = format!("Recharge ¥{}", yuan(pay));
        let expires_at = now.plus_secs(self.payment_settings().order_ttl_minutes.max(1) * 60);
        let gateway = self.chosen_gateway(options)?;
        let intent =
            gateway.create_intent(options.request(id, Money::new(pay, Currency::CNY), &title, expires_at)).await?;
        let recharge = RechargeRow {
            id: id.to_string(),
            merchant_id: merchant,
            user_id: caller.user_id,
            store_id,
            pay: tier.pay,
            bonus: tier.bonus,
            provider: gateway.name().to_owned(),
            provider_ref: intent.provider_ref,
            status: PaymentStatus::Pending,
            created_at: now,
            updated_at: now,
        };
        store::insert_recharge(self.db().pool(), &recharge).await?;
        Ok(RechargeStart { recharge, pay_url: intent.pay_url })
    }

    /// The caller's recharges at `merchant` that the gateway has not confirmed yet: those started
    /// within the payment window (`payments.order_ttl_minutes`); one abandoned longer ago is not
    /// shown as coming.
    pub async fn pending_recharges(
        &self,
        caller: &Principal,
        merchant: MerchantId,
    ) -> Result<Vec<RechargeRow>, AppError> {
        let window = self.payment_settings().order_ttl_minutes.max(1) * 60_000;
        let since = self.now().millis() - window;
        Ok(store::pending_recharges(self.db().pool(), merchant, caller.user_id, since).await?)
    }

    /// A verified gateway event about a recharge: recorded once; a success credits the card
    /// (`pay + bonus`, the bonus funded by the merchant) in the same transaction.
    pub(crate) async fn recharge_webhook(
        &self,
        provider: &str,
        event: &crate::payments::GatewayEvent,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let r = store::recharge_by_ref(self.db().pool(), provider, &event.payment_ref)
            .await?
            .ok_or_else(|| AppError::not_found("payment"))?;
        let succeeded = event.kind == crate::payments::EventKind::PaymentSucceeded;
        if succeeded && event.amount.is_some_and(|a| a != r.pay) {
            // Never credit a card for what the provider says is a different amount.
            tracing::error!(recharge = %r.id, said = ?event.amount, expected = r.pay, "recharge amount differs");
            return Err(AppError::new(ErrorCode::Conflict, "err-payment-amount-mismatch"));
        }
        let mut tx = self.db().begin().await?;
        if !orders::record_event(&mut tx, provider, &event.id, now).await? {
            return Err(AppError::new(ErrorCode::WebhookReplayed, "err-webhook-replayed"));
        }
        let status = if succeeded { PaymentStatus::Succeeded } else { PaymentStatus::Failed };
        if store::settle_recharge(&mut tx, &r.id, status, now).await? && succeeded {
            membership::lock(&mut tx, r.merchant_id, r.user_id).await?;
            // The bonus comes out of the merchant's balance: serialised with its payouts.
            lokal_store::merchants::lock(&mut tx, r.merchant_id).await?;
            let postings = ledger::recharge(provider, r.merchant_id, r.user_id, r.pay, r.bonus);
            let memo = format!("¥{} paid + ¥{} bonus", yuan(r.pay), yuan(r.bonus));
            post(&mut tx, "recharge", &r.id, &memo, postings, now).await?;
        }
        tx.commit().await?;
        // The member's card page updates itself (a hint: it reloads what it shows).
        self.bus().publish(crate::live::LiveEvent {
            kind: "recharge",
            order_id: None,
            store_id: None,
            consumer_id: Some(r.user_id),
            rider_id: None,
        });
        Ok(())
    }

    /// What the gateway's hosted page shows for `provider_ref`: an order's payment or a recharge.
    pub async fn checkout(&self, provider_ref: &str) -> Result<Checkout, AppError> {
        if !self.sandbox_enabled() {
            return Err(AppError::not_found_any());
        }
        // References are ours (`sbx_…`): anything else is unknown before it reaches the database.
        if provider_ref.is_empty() || provider_ref.len() > 128 || !provider_ref.chars().all(|c| c.is_ascii_graphic()) {
            return Err(AppError::not_found("payment"));
        }
        match self.payment_by_ref(provider_ref).await {
            Ok((p, order)) => {
                return Ok(Checkout {
                    amount: p.amount,
                    title: order.title,
                    status: p.status,
                    back_url: format!("/orders/{}", p.order_id),
                });
            }
            Err(e) if e.code == ErrorCode::NotFound => {}
            Err(e) => return Err(e),
        }
        let r = store::recharge_by_ref(self.db().pool(), "sandbox", provider_ref)
            .await?
            .ok_or_else(|| AppError::not_found("payment"))?;
        let merchant = lokal_store::merchants::get_merchant(self.db().pool(), r.merchant_id)
            .await?
            .ok_or_else(|| AppError::not_found("merchant"))?;
        Ok(Checkout {
            amount: r.pay,
            title: format!("Recharge of your {} card (+¥{} bonus)", merchant.name, yuan(r.bonus)),
            status: r.status,
            back_url: format!("/me/cards/{}", r.merchant_id),
        })
    }

    /// Pays a pending order of the caller from their card's stored value at the order's
    /// merchant, at once and exactly once: the card is locked, its balance checked and debited,
    /// the payment recorded and the order moved on in one transaction. `insufficient_balance`
    /// (nothing changes) when the card holds less than the total.
    pub async fn pay_with_card(&self, caller: &Principal, id: OrderId) -> Result<PaymentRow, AppError> {
        let pool = self.db().pool();
        let order = orders::get_by_id(pool, id).await?.ok_or_else(|| AppError::not_found("order"))?;
        // Only the member spends their card: not even an operator pays from it for them.
        if caller.user_id != order.user_id {
            return Err(AppError::new(ErrorCode::Forbidden, "err-card-pay-own-orders"));
        }
        let now = self.now();
        if order.status != OrderStatus::Pending || order.expires_at <= now {
            return Err(AppError::new(
                ErrorCode::OrderNotPayable,
                lokal_core::Msg::new("err-order-not-payable").with("status", order.status.as_str()),
            ));
        }
        let paying = self.paying(&order).await?;
        let account = Account::StoredValue(order.merchant_id, order.user_id);
        let mut tx = self.db().begin().await?;
        if !membership::lock(&mut tx, order.merchant_id, order.user_id).await? {
            return Err(AppError::not_found("membership card"));
        }
        let balance = -lokal_store::ledger::balance(&mut *tx, &account.to_string()).await?;
        if balance < order.total {
            return Err(AppError::new(
                ErrorCode::InsufficientBalance,
                lokal_core::Msg::new("err-card-balance-short").money("balance", balance).money("total", order.total),
            ));
        }
        if !orders::transition(&mut tx, order.id, OrderStatus::Pending, paying.paid_to, now).await? {
            return Err(AppError::new(ErrorCode::OrderNotPayable, "err-order-no-longer-payable"));
        }
        let payment_id = PaymentId::generate();
        let payment = PaymentRow {
            id: payment_id,
            order_id: order.id,
            provider: CARD_PROVIDER.to_owned(),
            provider_ref: format!("card_{}", payment_id.0.simple()),
            amount: order.total,
            currency: order.currency.clone(),
            status: PaymentStatus::Succeeded,
            created_at: now,
            updated_at: now,
        };
        orders::insert_payment(&mut *tx, &payment).await?;
        let memo = paying.memo.clone();
        post(&mut tx, "card_payment", &payment_id.to_string(), &memo, ledger::payment(account, order.total), now)
            .await?;
        let live = self.order_paid(&mut tx, &order, paying, now).await?;
        tx.commit().await?;
        if let Some((m, kind)) = live {
            self.publish(&m, kind);
        }
        // A menu order whose item sold out meanwhile was cancelled and refunded to the card at
        // once: the payment says so.
        let fresh = orders::payments_of(pool, order.id).await?.into_iter().find(|p| p.id == payment_id);
        Ok(fresh.unwrap_or(payment))
    }

    /// Credits the points a member earns on `paid` at `merchant` (nothing for non-members or a
    /// program without points), inside the transaction that settles the order `ref_id`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn earn_points(
        &self,
        tx: &mut lokal_store::Tx,
        merchant: MerchantId,
        user: UserId,
        paid: i64,
        ref_id: &str,
        memo: &str,
        now: Timestamp,
    ) -> Result<(), AppError> {
        if !membership::exists(&mut **tx, merchant, user).await? {
            return Ok(());
        }
        let points = program_in(&mut **tx, merchant).await?.points_for(paid);
        if points > 0 {
            // Their value comes out of the merchant's balance: serialised with its payouts.
            lokal_store::merchants::lock(tx, merchant).await?;
            post(tx, "points", ref_id, memo, ledger::points_earned(merchant, user, points), now).await?;
        }
        Ok(())
    }

    /// Takes back the points a member earned with `ref_id` (an undone redemption), as far as
    /// the card still holds them (points already exchanged stay spent: the merchant bears them).
    /// The caller holds the card's lock.
    pub(crate) async fn take_back_points(
        &self,
        tx: &mut lokal_store::Tx,
        merchant: MerchantId,
        user: UserId,
        ref_id: &str,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let account = Account::Points(merchant, user).to_string();
        let earned = -lokal_store::ledger::entry_amount(&mut **tx, "points", ref_id, &account).await?;
        let held = -lokal_store::ledger::balance(&mut **tx, &account).await?;
        let back = earned.min(held);
        if back > 0 {
            let postings = ledger::reverse(&ledger::points_earned(merchant, user, back));
            post(tx, "points_undo", ref_id, "redemption undone", postings, now).await?;
        }
        Ok(())
    }

    /// Exchanges the caller's points at `merchant` for a coupon of the same value off (100
    /// points = ¥1) at any of its stores, valid 30 days. `insufficient_balance` when the card
    /// holds fewer points.
    pub async fn exchange_points(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        points: i64,
    ) -> Result<CouponView, AppError> {
        let value = rules::exchange_value(points)?;
        let user = caller.user_id;
        let now = self.now();
        let account = Account::Points(merchant, user);
        let mut tx = self.db().begin().await?;
        if !membership::lock(&mut tx, merchant, user).await? {
            return Err(AppError::not_found("membership card"));
        }
        let held = -lokal_store::ledger::balance(&mut *tx, &account.to_string()).await?;
        if held < points {
            return Err(AppError::new(
                ErrorCode::InsufficientBalance,
                lokal_core::Msg::new("err-points-short").with("held", held).with("points", points),
            ));
        }
        // The coupon's own batch: one coupon, never claimable, listed nowhere (status `points`).
        let template = lokal_store::coupons::TemplateRow {
            id: CouponTemplateId::generate(),
            issuer: "merchant".into(),
            merchant_id: Some(merchant),
            // Named in the member's own language: the one they saved, else the platform's.
            title: lokal_i18n::render(
                self.lang_of(&mut tx, user).await?,
                &lokal_core::Msg::new("coupon-points-title").money("value", value).with("points", points),
            ),
            benefit_json: serde_json::to_string(&lokal_core::promo::Benefit::AmountOff { off: value, threshold: 0 })
                .map_err(AppError::internal)?,
            new_customers_only: false,
            claim_from: now,
            claim_until: now,
            valid_until: None,
            valid_days: Some(30),
            quantity: 1,
            quantity_left: 0,
            per_user_limit: 1,
            budget: None,
            budget_used: 0,
            status: BatchStatus::Points,
            created_by: user,
            created_at: now,
            updated_at: now,
        };
        lokal_store::coupons::insert_template(&mut tx, &template, &[]).await?;
        let coupon = lokal_store::coupons::CouponRow {
            id: CouponId::generate(),
            template_id: template.id,
            user_id: user,
            claimed_at: now,
            expires_at: now.plus_secs(30 * 86_400),
            status: CouponStatus::Unused,
            channel: Some("points".into()),
            order_id: None,
            used_at: None,
            discount: 0,
        };
        lokal_store::coupons::insert_coupon(&mut tx, &coupon).await?;
        let postings = ledger::reverse(&ledger::points_earned(merchant, user, points));
        post(&mut tx, "points_exchange", &coupon.id.to_string(), &template.title, postings, now).await?;
        tx.commit().await?;
        Ok(CouponView { template: self.coupon_template(template.id).await?, coupon })
    }
}

async fn program_in<'e>(
    ex: impl sqlx::Executor<'e, Database = sqlx::Any>,
    merchant: MerchantId,
) -> Result<Program, AppError> {
    match store::program(ex, merchant).await? {
        Some(json) => serde_json::from_str(&json).map_err(AppError::internal),
        None => Ok(Program::default()),
    }
}

/// `12.50` for 1250 minor units, `500` for 50000.
pub fn yuan(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let (whole, cents) = ((minor / 100).abs(), (minor % 100).abs());
    if cents == 0 { format!("{sign}{whole}") } else { format!("{sign}{whole}.{cents:02}") }
}
