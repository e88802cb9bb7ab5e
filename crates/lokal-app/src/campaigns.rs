//! Campaigns and attribution (issue F): a merchant or the platform runs a campaign with channels
//! (tracking links, QR posters, promoter codes, partner sites); an arrival through a channel's
//! link (`/c/{code}`) is a touch; every sign-up, coupon claim, order and redemption is credited,
//! in the same transaction, to its first and last eligible touch (`lokal_core::campaign`); the
//! report adds up what was credited from the orders, refunds and redemptions as they stand.

use crate::coupons::TemplateView;
use crate::{App, AppError};
use lokal_core::RunStatus;
use lokal_core::campaign::{self, CampaignJson, CampaignTerms, ChannelJson, EventKind, Model};
use lokal_core::coupon::BatchStatus;
use lokal_core::fulfil::OrderStatus;
use lokal_core::{
    CampaignId, ChannelId, FieldError, MerchantId, Principal, Scope, StaffRole, StoreId, Timestamp, UserId,
};
use lokal_store::campaigns::{self, CampaignRow, ChannelRow, Credited};
use lokal_store::stores;

/// Arrivals of one visitor through one channel within this long are one visit.
const VISIT_MS: i64 = 30 * 60_000;

/// A campaign with its channels.
#[derive(Debug, Clone)]
pub struct CampaignView {
    /// The campaign.
    pub row: CampaignRow,
    /// Its channels, oldest first.
    pub channels: Vec<ChannelRow>,
}

/// Someone arriving through a channel's link.
#[derive(Debug, Clone)]
pub struct Arrival {
    /// The campaign.
    pub campaign: CampaignRow,
    /// The channel.
    pub channel: ChannelRow,
    /// The coupon batch the campaign offers, if any (and still claimable).
    pub coupon: Option<TemplateView>,
    /// The landing store: id and name.
    pub store: Option<(StoreId, String)>,
    /// The visitor id to keep in the browser (the one sent, or a new one).
    pub visitor: String,
    /// Whether the campaign is running (a touch is recorded only then).
    pub running: bool,
}

/// What one channel (or the whole campaign) brought.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Figures {
    /// Arrivals (one per visitor and channel per half hour).
    pub visits: i64,
    /// Distinct visitors.
    pub reach: i64,
    /// Accounts created.
    pub signups: i64,
    /// Coupons claimed.
    pub claims: i64,
    /// Orders placed.
    pub orders_placed: i64,
    /// Orders paid and not cancelled or rejected.
    pub orders: i64,
    /// What those orders were paid, less refunds, minor units.
    pub gmv: i64,
    /// Discounts on those orders funded by the campaign's owner.
    pub discounts: i64,
    /// Discounts on them funded by the other party (the platform for a merchant's campaign).
    pub other_discounts: i64,
    /// Channel costs.
    pub fees: i64,
    /// Discounts funded by the owner plus channel costs.
    pub spend: i64,
    /// Vouchers redeemed (not undone).
    pub redemptions: i64,
    /// Their value, minor units.
    pub redeemed_value: i64,
    /// Distinct customers whose first paid order (at the merchant, or anywhere for a platform
    /// campaign) was credited here.
    pub new_customers: i64,
    /// Distinct other customers with a credited order.
    pub returning_customers: i64,
    /// Spend per new customer, minor units.
    pub cac: Option<i64>,
    /// GMV per unit of spend.
    pub roi: Option<f64>,
}

/// One credited order, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreditedOrder {
    /// The order id.
    pub order_id: String,
    /// The channel credited.
    pub channel: ChannelId,
    /// Placed.
    pub at: Timestamp,
    /// Status now.
    pub status: String,
    /// Total paid (or to pay), minor units.
    pub total: i64,
    /// Every discount on it.
    pub discount: i64,
    /// Refunded so far.
    pub refunded: i64,
    /// A new customer.
    pub new_customer: bool,
}

/// A campaign's report.
#[derive(Debug, Clone)]
pub struct CampaignReport {
    /// The campaign and its channels.
    pub campaign: CampaignView,
    /// The model credited.
    pub model: Model,
    /// Per channel, in the campaign's channel order.
    pub channels: Vec<(ChannelRow, Figures)>,
    /// The whole campaign.
    pub total: Figures,
    /// The credited orders, newest first.
    pub orders: Vec<CreditedOrder>,
}

fn counts(status: Option<OrderStatus>, paid_at: Option<Timestamp>) -> bool {
    paid_at.is_some() && !matches!(status, Some(OrderStatus::Cancelled | OrderStatus::Rejected))
}

/// Adds up credited actions; `platform` says whose discounts count as spend.
fn figures(credits: &[&Credited], platform: bool) -> Figures {
    let mut f = Figures::default();
    let mut new = std::collections::BTreeSet::new();
    let mut returning = std::collections::BTreeSet::new();
    for c in credits {
        match c.kind {
            EventKind::Signup => f.signups += 1,
            EventKind::Claim => f.claims += 1,
            EventKind::Redemption if c.undone_at.is_none() => {
                f.redemptions += 1;
                f.redeemed_value += c.amount;
            }
            EventKind::Order => {
                f.orders_placed += 1;
                if c.paid_at.is_some() {
                    f.gmv += c.amount - c.refunded;
                }
                if counts(c.order_status, c.paid_at) {
                    f.orders += 1;
                    let (own, other) = if platform {
                        (c.platform_discount, c.discount - c.platform_discount)
                    } else {
                        (c.discount - c.platform_discount, c.platform_discount)
                    };
                    f.discounts += own;
                    f.other_discounts += other;
                    if if platform { c.new_to_platform } else { c.new_to_merchant } {
                        new.insert(c.user_id);
                    } else {
                        returning.insert(c.user_id);
                    }
                }
            }
            _ => {}
        }
    }
    f.new_customers = i64::try_from(new.len()).unwrap_or(i64::MAX);
    f.returning_customers = i64::try_from(returning.difference(&new).count()).unwrap_or(i64::MAX);
    f
}

fn finish(f: &mut Figures) {
    f.spend = f.discounts + f.fees;
    f.cac = campaign::cac(f.spend, f.new_customers);
    f.roi = campaign::roi(f.gmv, f.spend);
}

/// A fresh public channel code: 8 characters of an alphabet without look-alikes.
fn channel_code() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";
    let mut n = crate::secret::random_u64()?;
    let len = ALPHABET.len() as u64;
    Ok((0..8)
        .map(|_| {
            let c = ALPHABET[usize::try_from(n % len).unwrap_or(0)];
            n /= len;
            char::from(c)
        })
        .collect())
}

fn is_visitor_id(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl App {
    /// Starts a campaign: a merchant's (merchant-wide managers and owners; the landing store and
    /// the coupon batch must be the merchant's) or, for `merchant: None`, the platform's
    /// (operators; a platform coupon batch).
    pub async fn create_campaign(
        &self,
        caller: &Principal,
        merchant: Option<MerchantId>,
        j: CampaignJson,
    ) -> Result<CampaignRow, AppError> {
        match merchant {
            Some(m) => {
                caller.authorize(Scope::Merchant(m), StaffRole::Manager)?;
                self.merchant(caller, m).await?;
            }
            None => caller.require_admin()?,
        }
        let now = self.now();
        let t = CampaignTerms::parse(j, now)?;
        if let Some(store) = t.store_id {
            let row = stores::get_by_id(self.db().pool(), store).await?;
            if row.is_none_or(|s| merchant.is_some_and(|m| s.merchant_id != m)) {
                return Err(FieldError::new("store_id", "field-store-not-of-merchant").into());
            }
        }
        if let Some(batch) = t.coupon_batch_id {
            let ok = lokal_store::coupons::template_by_id(self.db().pool(), batch)
                .await?
                // Not a points exchange's one-coupon batch: those are nobody's offer.
                .is_some_and(|b| b.merchant_id == merchant && b.status != BatchStatus::Points);
            if !ok {
                let why = if merchant.is_some() {
                    "field-coupon-batch-of-merchant"
                } else {
                    "field-coupon-batch-of-platform"
                };
                return Err(FieldError::new("coupon_batch_id", lokal_core::Msg::new(why)).into());
            }
        }
        let row = CampaignRow {
            id: CampaignId::generate(),
            merchant_id: merchant,
            title: t.title,
            store_id: t.store_id,
            coupon_template_id: t.coupon_batch_id,
            starts_at: t.starts_at,
            ends_at: t.ends_at,
            window_days: t.window_days,
            status: RunStatus::Active,
            created_by: caller.user_id,
            created_at: now,
        };
        campaigns::insert_campaign(self.db().pool(), &row).await?;
        Ok(row)
    }

    /// A merchant's campaigns (merchant-wide staff) or the platform's (operators), newest first.
    pub async fn campaigns(
        &self,
        caller: &Principal,
        merchant: Option<MerchantId>,
    ) -> Result<Vec<CampaignRow>, AppError> {
        match merchant {
            Some(m) => caller.authorize(Scope::Merchant(m), StaffRole::Clerk)?,
            None => caller.require_admin()?,
        }
        Ok(campaigns::campaigns_of(self.db().pool(), merchant).await?)
    }

    /// A campaign with its channels, for its merchant's merchant-wide staff or operators (anyone
    /// else: not found).
    pub async fn campaign(&self, caller: &Principal, id: CampaignId) -> Result<CampaignView, AppError> {
        let row =
            campaigns::campaign_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("campaign"))?;
        let allowed = match row.merchant_id {
            Some(m) => caller.authorize(Scope::Merchant(m), StaffRole::Clerk).is_ok(),
            None => caller.require_admin().is_ok(),
        };
        if !allowed {
            return Err(AppError::not_found("campaign"));
        }
        let channels = campaigns::channels_of(self.db().pool(), id).await?;
        Ok(CampaignView { row, channels })
    }

    /// Adds a channel with a fresh public code. Managers and owners of the merchant; operators
    /// for the platform's campaigns.
    pub async fn add_channel(
        &self,
        caller: &Principal,
        id: CampaignId,
        j: ChannelJson,
    ) -> Result<ChannelRow, AppError> {
        let c = self.campaign(caller, id).await?;
        if let Some(m) = c.row.merchant_id {
            caller.authorize(Scope::Merchant(m), StaffRole::Manager)?;
        }
        let (name, cost) = j.check()?;
        if c.channels.len() >= 100 {
            return Err(
                FieldError::new("name", lokal_core::Msg::new("field-campaign-channels").with("max", 100)).into()
            );
        }
        for _ in 0..5 {
            let row = ChannelRow {
                id: ChannelId::generate(),
                campaign_id: id,
                code: channel_code()?,
                kind: j.kind,
                name: name.clone(),
                cost,
                created_at: self.now(),
            };
            if campaigns::insert_channel(self.db().pool(), &row).await? {
                return Ok(row);
            }
        }
        Err(AppError::internal(std::io::Error::other("no free channel code after 5 draws")))
    }

    /// Someone arrives through the link of channel `code`: records the touch (for `visitor`, or
    /// a new visitor id, and `user` when logged in) while the campaign runs — one per visitor and
    /// channel per half hour, and none beyond 60 a minute from one client address (`client`) —
    /// and returns what the landing page shows.
    pub async fn arrive(
        &self,
        code: &str,
        visitor: Option<&str>,
        user: Option<UserId>,
        client: &str,
    ) -> Result<Arrival, AppError> {
        let code = code.trim().to_ascii_lowercase();
        let channel = if code.len() <= 16 && code.bytes().all(|b| b.is_ascii_alphanumeric()) {
            campaigns::channel_by_code(self.db().pool(), &code).await?
        } else {
            None
        };
        let channel = channel.ok_or_else(|| AppError::not_found("campaign link"))?;
        let campaign = campaigns::campaign_by_id(self.db().pool(), channel.campaign_id)
            .await?
            .ok_or_else(|| AppError::not_found("campaign"))?;
        let visitor = match visitor.filter(|v| is_visitor_id(v)) {
            Some(v) => v.to_owned(),
            None => crate::secret::random_token()?,
        };
        let now = self.now().millis();
        let running = campaign.status == RunStatus::Active
            && campaign.starts_at.millis() <= now
            && now < campaign.ends_at.millis();
        if running
            && !campaigns::touched_since(self.db().pool(), &visitor, channel.id, now - VISIT_MS).await?
            && self.rate_hit(&format!("touch:{client}"), 60, 60).await.is_ok()
        {
            campaigns::insert_touch(self.db().pool(), &channel, &visitor, user, now).await?;
        }
        let coupon = match campaign.coupon_template_id {
            Some(t) => Some(self.coupon_template(t).await?).filter(|t| t.claimable_at(self.now())),
            None => None,
        };
        let store = match campaign.store_id {
            Some(s) => Some((s, self.public_store(s).await?.profile.name)),
            None => None,
        };
        Ok(Arrival { campaign, channel, coupon, store, visitor, running })
    }

    /// A signed-in consumer's app opened a channel's link (deep link): records the touch.
    pub async fn touch(&self, caller: &Principal, code: &str, client: &str) -> Result<Arrival, AppError> {
        let visitor = caller.user_id.to_string();
        let visitor = crate::secret::sha256_hex(visitor.as_bytes());
        self.arrive(code, Some(&visitor), Some(caller.user_id), client).await
    }

    /// A visitor signed up or logged in: their anonymous touches become theirs, and a sign-up is
    /// credited to the touches that brought it.
    pub async fn bind_visitor(&self, visitor: &str, user: UserId, signed_up: bool) -> Result<(), AppError> {
        if !is_visitor_id(visitor) {
            return Ok(());
        }
        let mut tx = self.db().begin().await?;
        campaigns::bind_visitor(&mut *tx, visitor, user).await?;
        if signed_up {
            let a = crate::attribution::Action {
                kind: EventKind::Signup,
                ref_id: user.to_string(),
                user,
                merchant: None,
                amount: 0,
                order: None,
            };
            self.credit(&mut tx, &a).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A campaign's report by `model`: per channel and in total, what was credited, from the
    /// orders, refunds and redemptions as they stand now. Who may see the campaign.
    pub async fn campaign_report(
        &self,
        caller: &Principal,
        id: CampaignId,
        model: Model,
    ) -> Result<CampaignReport, AppError> {
        let view = self.campaign(caller, id).await?;
        let pool = self.db().pool();
        let platform = view.row.merchant_id.is_none();
        let credited = campaigns::credited(pool, id, model).await?;
        let visits = campaigns::touch_counts(pool, id).await?;
        let mut channels = Vec::new();
        for ch in &view.channels {
            let mine: Vec<&Credited> = credited.iter().filter(|c| c.channel_id == ch.id).collect();
            let mut f = figures(&mine, platform);
            if let Some((_, v, r)) = visits.iter().find(|(c, _, _)| *c == ch.id) {
                (f.visits, f.reach) = (*v, *r);
            }
            f.fees = ch.cost;
            finish(&mut f);
            channels.push((ch.clone(), f));
        }
        let mut total = figures(&credited.iter().collect::<Vec<_>>(), platform);
        total.visits = visits.iter().map(|(_, v, _)| v).sum();
        total.reach = campaigns::reach(pool, id).await?;
        total.fees = view.channels.iter().map(|c| c.cost).sum();
        finish(&mut total);
        let orders = credited
            .iter()
            .filter(|c| c.kind == EventKind::Order)
            .map(|c| CreditedOrder {
                order_id: c.ref_id.clone(),
                channel: c.channel_id,
                at: c.at,
                status: c.order_status.map(|s| s.as_str().to_owned()).unwrap_or_default(),
                total: c.amount,
                discount: c.discount,
                refunded: c.refunded,
                new_customer: if platform { c.new_to_platform } else { c.new_to_merchant },
            })
            .collect();
        Ok(CampaignReport { campaign: view, model, channels, total, orders })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn channel_codes_are_short_and_plain() {
        let a = super::channel_code().expect("code");
        assert_eq!(a.len(), 8);
        assert!(a.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        assert!(!a.contains(['0', '1', 'o', 'l', 'i']));
        assert_ne!(a, super::channel_code().expect("code"));
    }
}
