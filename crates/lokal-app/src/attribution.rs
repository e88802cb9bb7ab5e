//! Attribution: every sign-up, coupon claim, order and redemption is credited, in its own
//! transaction, to the first and last eligible campaign touch of its user
//! ([`lokal_core::campaign::attribute`]). Used by accounts, coupons, orders, menu orders, bills
//! and redemptions; the campaigns' reports (campaigns.rs) add up what was credited.

use crate::{App, AppError};
use lokal_core::campaign::{self, EventKind, Touch};
use lokal_core::{MerchantId, Timestamp, UserId};
use lokal_store::Tx;
use lokal_store::campaigns::{self, AttributionRow};

/// How long a touch can be credited at most (the longest window a campaign may have).
const MAX_WINDOW_MS: i64 = 90 * 86_400_000;

/// An action to credit to the touches that brought it.
#[derive(Debug, Clone)]
pub(crate) struct Action {
    pub kind: EventKind,
    pub ref_id: String,
    pub user: UserId,
    pub merchant: Option<MerchantId>,
    pub amount: i64,
    /// The order, for orders (new vs returning customers).
    pub order: Option<lokal_core::OrderId>,
}

impl App {
    /// Credits an action to the first and last eligible touch of its user, once (in the
    /// action's own transaction, so both or neither are kept).
    pub(crate) async fn credit(&self, tx: &mut Tx, a: &Action) -> Result<(), AppError> {
        let now = self.now().millis();
        let touches: Vec<Touch> = campaigns::touches_of_user(&mut **tx, a.user, now - MAX_WINDOW_MS).await?;
        let Some(c) = campaign::attribute(&touches, now, a.merchant) else { return Ok(()) };
        let (new_to_merchant, new_to_platform) = match a.order {
            Some(order) => (
                a.merchant.is_some() && !campaigns::has_paid_order(&mut **tx, a.user, a.merchant, order).await?,
                !campaigns::has_paid_order(&mut **tx, a.user, None, order).await?,
            ),
            None => (false, false),
        };
        let row = AttributionRow {
            kind: a.kind,
            ref_id: a.ref_id.clone(),
            user_id: a.user,
            merchant_id: a.merchant,
            first: (c.first.channel, c.first.campaign),
            last: (c.last.channel, c.last.campaign),
            amount: a.amount,
            new_to_merchant,
            new_to_platform,
            at: Timestamp::from_millis(now),
        };
        campaigns::insert_attribution(&mut **tx, &row).await?;
        Ok(())
    }
}
