//! Ordering from a store's menu: the store's ordering settings, pricing a cart into a quote, and
//! turning a quote into an order that is then paid like any other (`pay_order`). The price is
//! always computed here, from the menu as it is now; what the client shows is never trusted.

use crate::discounts::AppliedCoupon;
use crate::discovery::StoreCard;
use crate::stores::StoreView;
use crate::{App, AppError};
use lokal_core::fulfil::{Mode, OrderStatus};
use lokal_core::geo::LatLng;
use lokal_core::promo::Funder;
use lokal_core::takeout::{self, CartRefusal, ChosenJson, OrderSettingsJson, Totals};
use lokal_core::{Currency, ErrorCode, FieldError, ItemId, OrderId, Principal, QuoteId, StaffRole, StoreId, Timestamp};
use lokal_store::orders::{self, OrderRow};
use lokal_store::takeout::{self as store, DetailRow, LineRow, QuoteRow};

/// One line of a cart.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CartLineJson {
    /// The item (from the store's menu).
    pub item_id: ItemId,
    /// How many, 1 to 99.
    pub quantity: i64,
    /// Chosen options by group and choice name.
    #[serde(default)]
    pub options: Vec<ChosenJson>,
}

/// Where to deliver.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressJson {
    /// The address as the rider reads it (1 to 200 characters).
    pub text: String,
    /// Latitude of the door.
    pub lat: f64,
    /// Longitude of the door.
    pub lng: f64,
    /// The door, floor or room (up to 60 characters).
    #[serde(default)]
    pub door: String,
    /// Who receives the order (up to 40 characters; the account's name when empty).
    #[serde(default)]
    pub contact_name: String,
    /// Their phone (the account's when empty).
    #[serde(default)]
    pub contact_phone: String,
}

/// A cart for one store.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CartJson {
    /// The store.
    pub store_id: StoreId,
    /// `delivery`, `pickup` or `dine_in`.
    pub mode: Mode,
    /// 1 to 50 lines.
    pub lines: Vec<CartLineJson>,
    /// For delivery: a saved address of the caller's (`GET /api/v1/me/addresses`); it replaces
    /// `address`, and the order keeps a snapshot of it.
    #[serde(default)]
    pub address_id: Option<String>,
    /// For delivery without `address_id`: the address.
    #[serde(default)]
    pub address: Option<AddressJson>,
    /// Required for dine-in: the code on the table (1 to 16 characters).
    #[serde(default)]
    pub table_code: Option<String>,
    /// A time slot (RFC 3339) instead of "as soon as possible".
    #[serde(default)]
    pub scheduled_at: Option<String>,
    /// A note to the store (up to 200 characters).
    #[serde(default)]
    pub note: String,
    /// Coupons to use (at most one merchant, one platform and one delivery coupon). Leave it out
    /// and the quote proposes the best combination of the consumer's coupons; `[]` uses none.
    #[serde(default)]
    pub coupon_ids: Option<Vec<lokal_core::CouponId>>,
}

/// A priced cart.
#[derive(Debug, Clone)]
pub struct Priced {
    /// The store.
    pub store: StoreView,
    /// The lines, priced.
    pub lines: Vec<LineRow>,
    /// Fees and total.
    pub totals: Totals,
    /// Minutes to the door (delivery) or to ready (pickup, dine-in), or to the slot.
    pub eta_minutes: i64,
    /// The door, for delivery.
    pub drop: Option<LatLng>,
    /// The slot, if not as soon as possible.
    pub scheduled_at: Option<Timestamp>,
    /// The store's settings.
    pub settings: OrderSettingsJson,
    /// Coupons applied (empty until [`App::apply_coupons`]).
    pub discounts: Vec<AppliedCoupon>,
    /// Store promotions applied (likewise).
    pub promotions: Vec<crate::discounts::AppliedPromotion>,
}

impl Priced {
    /// The part of the discounts the merchant pays, and the platform's.
    pub fn discount_split(&self) -> (i64, i64) {
        let by = |f: Funder| self.discounts.iter().filter(|d| d.funder == f).map(|d| d.amount).sum::<i64>();
        let store: i64 = self.promotions.iter().map(|p| p.amount).sum();
        (by(Funder::Merchant) + store, by(Funder::Platform))
    }
}

/// A stored quote with its pricing.
#[derive(Debug, Clone)]
pub struct Quote {
    /// The stored quote.
    pub row: QuoteRow,
    /// The pricing.
    pub priced: Priced,
}

fn refusal(code: ErrorCode, field: &str, message: impl Into<lokal_core::Msg>) -> AppError {
    AppError { field: Some(field.into()), ..AppError::new(code, message) }
}

impl App {
    /// A store's ordering settings (the defaults until a manager sets them).
    pub async fn order_settings(&self, store: StoreId) -> Result<OrderSettingsJson, AppError> {
        match store::settings(self.db().pool(), store).await? {
            Some(json) => serde_json::from_str(&json).map_err(AppError::internal),
            None => Ok(OrderSettingsJson::default()),
        }
    }

    /// Sets a store's ordering settings. Managers of the store.
    pub async fn set_order_settings(
        &self,
        caller: &Principal,
        store: StoreId,
        s: OrderSettingsJson,
    ) -> Result<OrderSettingsJson, AppError> {
        self.store_row(caller, store, StaffRole::Manager).await?;
        s.check()?;
        let json = serde_json::to_string(&s).map_err(AppError::internal)?;
        store::set_settings(self.db().pool(), store, &json, self.now()).await?;
        Ok(s)
    }

    /// Prices a cart against the store's menu, hours, area and settings as they are at `now`.
    pub async fn price_cart(&self, cart: &CartJson, now: Timestamp) -> Result<Priced, AppError> {
        if cart.lines.is_empty() || cart.lines.len() > 50 {
            return Err(
                FieldError::new("lines", lokal_core::Msg::new("field-entries").with("min", 1).with("max", 50)).into()
            );
        }
        lokal_core::field::line_of_text("note", &cart.note, 200, false)?;
        let store = self.public_store(cart.store_id).await?;
        let p = &store.profile;
        let offered = match cart.mode {
            Mode::Delivery => p.delivery && p.location.is_some(),
            Mode::Pickup => p.pickup,
            Mode::DineIn => p.dine_in,
            Mode::PayAtStore => {
                return Err(FieldError::new("mode", "field-mode-pay-at-store").into());
            }
        };
        if !offered {
            return Err(refusal(
                ErrorCode::ModeNotOffered,
                "mode",
                lokal_core::Msg::new("err-mode-not-offered").with("mode", cart.mode.as_str()),
            ));
        }
        let mut settings = self.order_settings(cart.store_id).await?;
        // The platform's minimum for delivery applies when it is above the store's own.
        settings.min_order = settings.min_order.max(self.delivery_settings().min_order);
        let scheduled_at = self.check_slot(cart, &store, &settings, now)?;
        let (drop, distance_m) = match cart.mode {
            Mode::Delivery => {
                let a =
                    cart.address.as_ref().ok_or_else(|| FieldError::new("address", "field-address-for-delivery"))?;
                lokal_core::field::line_of_text("address.text", &a.text, 200, true)?;
                let point = LatLng::new(a.lat, a.lng).map_err(|e| e.under("address"))?;
                let card = StoreCard::of(&store).map(|(_, c)| c);
                let d = p.location.map_or(f64::INFINITY, |l| l.distance_m(&point));
                // No store delivers beyond the platform's maximum, whatever its radius or area.
                let reach = f64::from(self.delivery_settings().max_delivery_radius_m);
                if !card.is_some_and(|c| c.delivers_to(&point)) || d > reach {
                    return Err(refusal(ErrorCode::OutsideDeliveryArea, "address", "err-outside-delivery-area"));
                }
                (Some(point), d)
            }
            _ => {
                if cart.mode == Mode::DineIn {
                    lokal_core::field::line_of_text("table_code", cart.table_code.as_deref().unwrap_or(""), 16, true)?;
                }
                (None, 0.0)
            }
        };
        let lines = self.price_lines(cart).await?;
        let subtotal: i64 = lines.iter().map(|l| l.total).sum();
        let totals = takeout::totals(&settings, cart.mode, subtotal, distance_m).map_err(|e| match e {
            CartRefusal::BelowMinimum { .. } => refusal(ErrorCode::BelowMinimumOrder, "lines", e.msg()),
        })?;
        if totals.total < 1 {
            // Nothing to pay is nothing to order: every payment moves at least one minor unit.
            return Err(FieldError::new("lines", "field-order-at-least-a-fen").into());
        }
        let eta = match cart.mode {
            // Riders are usually within a kilometre and a half of a store at this density.
            Mode::Delivery => takeout::eta_minutes(settings.prep_minutes, 1_500.0, distance_m),
            _ => settings.prep_minutes,
        };
        let eta_minutes = match scheduled_at {
            Some(at) => (at.millis() - now.millis()).div_euclid(60_000).max(i64::from(eta)),
            None => i64::from(eta),
        };
        Ok(Priced {
            store,
            lines,
            totals,
            eta_minutes,
            drop,
            scheduled_at,
            settings,
            discounts: Vec::new(),
            promotions: Vec::new(),
        })
    }

    /// The slot, checked: none means now, and the store must be open now; a slot must be at least
    /// the preparation time ahead, within seven days, and inside opening hours.
    fn check_slot(
        &self,
        cart: &CartJson,
        store: &StoreView,
        s: &OrderSettingsJson,
        now: Timestamp,
    ) -> Result<Option<Timestamp>, AppError> {
        let p = &store.profile;
        let Some(raw) = cart.scheduled_at.as_deref() else {
            if !p.hours.is_open_at(now, p.utc_offset_min) {
                return Err(AppError::new(ErrorCode::StoreClosed, "err-store-closed-now"));
            }
            return Ok(None);
        };
        let at = Timestamp::parse_rfc3339(raw).ok_or_else(|| FieldError::new("scheduled_at", "field-time"))?;
        let earliest = now.millis() + i64::from(s.prep_minutes) * 60_000;
        if at.millis() < earliest || at.millis() > now.millis() + 7 * 86_400_000 {
            return Err(
                FieldError::new("scheduled_at", lokal_core::Msg::new("field-slot-window").with("days", 7)).into()
            );
        }
        if !p.hours.is_open_at(at, p.utc_offset_min) {
            return Err(refusal(ErrorCode::StoreClosed, "scheduled_at", "err-store-closed-then"));
        }
        Ok(Some(at))
    }

    async fn price_lines(&self, cart: &CartJson) -> Result<Vec<LineRow>, AppError> {
        let menu = self.menu(cart.store_id).await?;
        let mut lines = Vec::with_capacity(cart.lines.len());
        for (i, l) in cart.lines.iter().enumerate() {
            let field = format!("lines[{i}]");
            if !(1..=99).contains(&l.quantity) {
                return Err(FieldError::new(format!("{field}.quantity"), lokal_core::field::between(1, 99)).into());
            }
            let unavailable = |why: lokal_core::Msg| refusal(ErrorCode::ItemUnavailable, &field, why);
            let m = menu
                .iter()
                .find(|m| m.item.id == l.item_id)
                .ok_or_else(|| unavailable(lokal_core::Msg::new("err-item-not-on-menu")))?;
            if !m.available {
                return Err(unavailable(lokal_core::Msg::new("err-item-sold-out").with("item", m.item.name.as_str())));
            }
            let wanted: i64 = cart.lines.iter().filter(|x| x.item_id == l.item_id).map(|x| x.quantity).sum();
            if m.stock.is_some_and(|s| s < wanted) {
                return Err(unavailable(
                    lokal_core::Msg::new("err-item-few-left")
                        .with("n", m.stock.unwrap_or(0))
                        .with("item", m.item.name.as_str()),
                ));
            }
            let (unit_price, options) = takeout::price_with_options(&field, m.price, &m.options, &l.options)?;
            lines.push(LineRow {
                item_id: l.item_id,
                name: m.item.name.clone(),
                options,
                quantity: l.quantity,
                unit_price,
                total: unit_price * l.quantity,
            });
        }
        Ok(lines)
    }

    /// Prices the caller's cart and keeps the quote for `quote_ttl_secs`.
    pub async fn quote(&self, caller: &Principal, mut cart: CartJson) -> Result<Quote, AppError> {
        let now = self.now();
        if let Some(id) = cart.address_id.clone().filter(|_| cart.mode == Mode::Delivery) {
            // The saved address, as it is now: the quote and the order keep this snapshot.
            let saved = lokal_store::addresses::get_for(self.db().pool(), caller.user_id, &id)
                .await?
                .ok_or_else(|| FieldError::new("address_id", "address-not-found"))?;
            cart.address = Some(AddressJson {
                text: saved.address,
                lat: saved.lat_e7 as f64 / 1e7,
                lng: saved.lng_e7 as f64 / 1e7,
                door: saved.door,
                contact_name: saved.contact_name,
                contact_phone: saved.contact_phone,
            });
        } else {
            cart.address_id = None;
        }
        if let (Mode::Delivery, Some(a)) = (cart.mode, cart.address.as_mut()) {
            a.door = lokal_core::field::line_of_text("address.door", &a.door, 60, false)?;
            a.contact_name = lokal_core::field::line_of_text("address.contact_name", &a.contact_name, 40, false)?;
            if !a.contact_phone.trim().is_empty() {
                a.contact_phone =
                    lokal_core::account::Phone::parse("address.contact_phone", &a.contact_phone)?.as_str().to_owned();
            }
        }
        let mut priced = self.price_cart(&cart, now).await?;
        self.apply_coupons(caller.user_id, &cart, &mut priced, now).await?;
        // The quote keeps the coupons it chose: ordering it uses exactly those.
        cart.coupon_ids = Some(priced.discounts.iter().map(|d| d.coupon).collect());
        let row = QuoteRow {
            id: QuoteId::generate(),
            user_id: caller.user_id,
            store_id: cart.store_id,
            cart_json: serde_json::to_string(&cart).map_err(AppError::internal)?,
            total: priced.totals.total,
            eta_minutes: priced.eta_minutes,
            created_at: now,
            expires_at: now.plus_secs(self.delivery_settings().quote_ttl_secs.max(30)),
        };
        store::insert_quote(self.db().pool(), &row).await?;
        Ok(Quote { row, priced })
    }

    /// One of the caller's quotes as stored (its total and cart), without pricing it.
    pub async fn my_stored_quote(&self, caller: &Principal, id: QuoteId) -> Result<(QuoteRow, CartJson), AppError> {
        let q = store::quote(self.db().pool(), id).await?.filter(|q| q.user_id == caller.user_id);
        let row = q.ok_or_else(|| AppError::not_found("quote"))?;
        let cart: CartJson = serde_json::from_str(&row.cart_json).map_err(AppError::internal)?;
        Ok((row, cart))
    }

    /// One of the caller's quotes, priced as it was stored (the order prices it again).
    pub async fn my_quote(&self, caller: &Principal, id: QuoteId) -> Result<(Quote, CartJson), AppError> {
        let (row, cart) = self.my_stored_quote(caller, id).await?;
        let at = row.created_at;
        let mut priced = self.price_cart(&cart, at).await?;
        // As quoted: a coupon used since shows in the order's refusal, not here.
        let _ = self.apply_coupons(caller.user_id, &cart, &mut priced, at).await;
        Ok((Quote { row, priced }, cart))
    }

    /// Places the order a quote describes. The cart is priced again: if anything changed (a price,
    /// an item sold out, the store closed) the order is refused and nothing is charged.
    /// `expected_total`, when given, must equal the quote's total (what the consumer saw).
    pub async fn order_from_quote(
        &self,
        caller: &Principal,
        quote: QuoteId,
        expected_total: Option<i64>,
        channel: &str,
    ) -> Result<OrderRow, AppError> {
        let q = store::quote(self.db().pool(), quote).await?.filter(|q| q.user_id == caller.user_id);
        let q = q.ok_or_else(|| AppError::not_found("quote"))?;
        let now = self.now();
        if q.expires_at <= now {
            return Err(AppError::new(ErrorCode::QuoteExpired, "err-quote-expired"));
        }
        if expected_total.is_some_and(|t| t != q.total) {
            return Err(refusal(ErrorCode::QuoteChanged, "expected_total", "err-quote-total-differs"));
        }
        let channel = lokal_core::field::line_of_text("channel", channel, 64, false)?;
        let cart: CartJson = serde_json::from_str(&q.cart_json).map_err(AppError::internal)?;
        let mut priced = self.price_cart(&cart, now).await?;
        // A coupon of the quote no longer usable (used, expired) changes the price.
        match self.apply_coupons(caller.user_id, &cart, &mut priced, now).await {
            Err(e) if e.code == ErrorCode::ValidationFailed => {
                return Err(AppError::new(ErrorCode::QuoteChanged, "err-quote-coupon-gone"));
            }
            other => other?,
        }
        if priced.totals.total != q.total {
            return Err(AppError::new(ErrorCode::QuoteChanged, "err-quote-prices-changed"));
        }
        let order = OrderRow {
            id: OrderId::generate(),
            user_id: caller.user_id,
            merchant_id: priced.store.row.merchant_id,
            deal_id: None,
            kind: cart.mode.as_str().to_owned(),
            store_id: Some(cart.store_id),
            quantity: priced.lines.iter().map(|l| l.quantity).sum(),
            unit_price: priced.totals.total,
            total: priced.totals.total,
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
            store_id: Some(cart.store_id),
            mode: cart.mode.as_str().to_owned(),
            subtotal: priced.totals.subtotal,
            packaging_fee: priced.totals.packaging_fee,
            delivery_fee: priced.totals.delivery_fee,
            discount: priced.discount_split().0 + priced.discount_split().1,
            platform_discount: priced.discount_split().1,
            address: cart
                .address
                .as_ref()
                .filter(|_| cart.mode == Mode::Delivery)
                .map(|a| a.text.trim().to_owned())
                .unwrap_or_default(),
            drop: priced.drop.map(|p| p.to_e7()),
            table_code: cart
                .table_code
                .as_deref()
                .filter(|_| cart.mode == Mode::DineIn)
                .unwrap_or("")
                .trim()
                .to_owned(),
            note: cart.note.trim().to_owned(),
            code: short_code()?,
            scheduled_at: priced.scheduled_at,
            prep_minutes: i64::from(priced.settings.prep_minutes),
            eta_at: Some(now.plus_secs(priced.eta_minutes * 60)),
            ..DetailRow::default()
        };
        let mut detail = detail;
        if let (Mode::Delivery, Some(a)) = (cart.mode, cart.address.as_ref()) {
            detail.address_id = cart.address_id.clone();
            detail.door = a.door.clone();
            detail.contact_name = a.contact_name.clone();
            detail.contact_phone = a.contact_phone.clone();
        }
        detail.returning = orders::has_paid_at_store(self.db().pool(), caller.user_id, cart.store_id).await?;
        let mut tx = self.db().begin().await?;
        orders::insert(&mut tx, &order).await?;
        self.hold_discounts(&mut tx, &order, &priced.discounts, &priced.promotions, now).await?;
        store::insert_detail(&mut tx, &detail).await?;
        store::insert_lines(&mut tx, order.id, &priced.lines).await?;
        self.timeline(&mut tx, order.id, "placed", Some(caller.user_id), "", now).await?;
        if let Some(id) = &detail.address_id {
            lokal_store::addresses::touch(&mut *tx, caller.user_id, id, now).await?;
        }
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
}

/// A four-digit code (pickup, delivery, bill confirmation): read aloud at a counter or a door,
/// it only has to tell a handful of open orders apart, never to be secret across the city.
pub fn short_code() -> Result<String, AppError> {
    Ok(format!("{:04}", crate::secret::random_u64()? % 10_000))
}
