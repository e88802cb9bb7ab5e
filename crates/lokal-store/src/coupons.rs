//! Coupon batches (templates), the stores they are valid at, claiming with the batch's quantity
//! and the per-person limit taken atomically, and the claimed coupons.

use crate::StoreError;
use crate::row::{get, opt, opt_time, parse, time};
use lokal_core::coupon::{BatchStatus, CouponStatus};
use lokal_core::{CouponId, CouponTemplateId, MerchantId, StoreId, Timestamp, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A stored coupon batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateRow {
    /// The id.
    pub id: CouponTemplateId,
    /// `platform` or `merchant`.
    pub issuer: String,
    /// The issuing merchant (none for the platform).
    pub merchant_id: Option<MerchantId>,
    /// Title.
    pub title: String,
    /// The benefit as JSON (`lokal_core::promo::Benefit`).
    pub benefit_json: String,
    /// First orders only.
    pub new_customers_only: bool,
    /// Claiming opens.
    pub claim_from: Timestamp,
    /// Claiming closes.
    pub claim_until: Timestamp,
    /// Coupons valid until (fixed).
    pub valid_until: Option<Timestamp>,
    /// Or for this many days after claiming.
    pub valid_days: Option<i64>,
    /// Coupons in the batch.
    pub quantity: i64,
    /// Coupons not yet claimed.
    pub quantity_left: i64,
    /// Per consumer.
    pub per_user_limit: i64,
    /// Total discount budget, minor units.
    pub budget: Option<i64>,
    /// Discount given so far, minor units.
    pub budget_used: i64,
    /// `active` or `stopped`.
    pub status: BatchStatus,
    /// Who created it.
    pub created_by: UserId,
    /// Created.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

const TEMPLATE_COLUMNS: &str = "id, issuer, merchant_id, title, benefit_json, new_customers_only, claim_from, \
    claim_until, valid_until, valid_days, quantity, quantity_left, per_user_limit, budget, budget_used, status, \
    created_by, created_at, updated_at";

impl FromRow<'_, AnyRow> for TemplateRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        template_with(r, "")
    }
}

/// A batch from columns named with `prefix` (joined queries alias them).
fn template_with(r: &AnyRow, prefix: &str) -> Result<TemplateRow, sqlx::Error> {
    let c = |name: &str| format!("{prefix}{name}");
    Ok(TemplateRow {
        id: parse(r, &c("id"))?,
        issuer: get(r, &c("issuer"))?,
        merchant_id: opt(r, &c("merchant_id"))?,
        title: get(r, &c("title"))?,
        benefit_json: get(r, &c("benefit_json"))?,
        new_customers_only: get::<i64>(r, &c("new_customers_only"))? != 0,
        claim_from: time(r, &c("claim_from"))?,
        claim_until: time(r, &c("claim_until"))?,
        valid_until: opt_time(r, &c("valid_until"))?,
        valid_days: get(r, &c("valid_days"))?,
        quantity: get(r, &c("quantity"))?,
        quantity_left: get(r, &c("quantity_left"))?,
        per_user_limit: get(r, &c("per_user_limit"))?,
        budget: get(r, &c("budget"))?,
        budget_used: get(r, &c("budget_used"))?,
        status: parse(r, &c("status"))?,
        created_by: parse(r, &c("created_by"))?,
        created_at: time(r, &c("created_at"))?,
        updated_at: time(r, &c("updated_at"))?,
    })
}

/// Inserts a batch and its stores.
pub async fn insert_template(tx: &mut crate::Tx, t: &TemplateRow, stores: &[StoreId]) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO coupon_templates ({TEMPLATE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
         $12, $13, $14, $15, $16, $17, $18, $19)"
    ));
    sqlx::query(sql)
        .bind(t.id.to_string())
        .bind(&t.issuer)
        .bind(t.merchant_id.map(|m| m.to_string()))
        .bind(&t.title)
        .bind(&t.benefit_json)
        .bind(i64::from(t.new_customers_only))
        .bind(t.claim_from.millis())
        .bind(t.claim_until.millis())
        .bind(t.valid_until.map(Timestamp::millis))
        .bind(t.valid_days)
        .bind(t.quantity)
        .bind(t.quantity_left)
        .bind(t.per_user_limit)
        .bind(t.budget)
        .bind(t.budget_used)
        .bind(t.status.as_str())
        .bind(t.created_by.to_string())
        .bind(t.created_at.millis())
        .bind(t.updated_at.millis())
        .execute(&mut **tx)
        .await?;
    for s in stores {
        sqlx::query("INSERT INTO coupon_template_stores (template_id, store_id) VALUES ($1, $2)")
            .bind(t.id.to_string())
            .bind(s.to_string())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// A batch by id.
pub async fn template_by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: CouponTemplateId,
) -> Result<Option<TemplateRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {TEMPLATE_COLUMNS} FROM coupon_templates WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(ex).await?)
}

/// A merchant's batches, newest first.
pub async fn templates_of_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
) -> Result<Vec<TemplateRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {TEMPLATE_COLUMNS} FROM coupon_templates WHERE merchant_id = $1 AND status <> 'points' \
         ORDER BY id DESC LIMIT 500"
    ));
    Ok(sqlx::query_as(sql).bind(merchant.to_string()).fetch_all(ex).await?)
}

/// The platform's batches, newest first.
pub async fn platform_templates<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Vec<TemplateRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {TEMPLATE_COLUMNS} FROM coupon_templates WHERE issuer = 'platform' ORDER BY id DESC LIMIT 500"
    ));
    Ok(sqlx::query_as(sql).fetch_all(ex).await?)
}

/// Batches open for claiming at `now` with coupons left, newest first (the coupon centre).
pub async fn claimable<'e>(
    ex: impl Executor<'e, Database = Any>,
    now: Timestamp,
    limit: i64,
) -> Result<Vec<TemplateRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {TEMPLATE_COLUMNS} FROM coupon_templates WHERE status = 'active' AND claim_from <= $1 \
         AND claim_until > $1 AND quantity_left > 0 ORDER BY id DESC LIMIT {}",
        limit.clamp(1, 500)
    ));
    Ok(sqlx::query_as(sql).bind(now.millis()).fetch_all(ex).await?)
}

/// The batches a store's page offers at `now`: the merchant's and the platform's that are open
/// for claiming with coupons left, the merchant's first, each newest first (at most 500).
pub async fn claimable_for_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
    now: Timestamp,
) -> Result<Vec<TemplateRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {TEMPLATE_COLUMNS} FROM coupon_templates WHERE (merchant_id = $1 OR issuer = 'platform') \
         AND status = 'active' AND claim_from <= $2 AND claim_until > $2 AND quantity_left > 0 \
         ORDER BY CASE WHEN issuer = 'platform' THEN 1 ELSE 0 END, id DESC LIMIT 500"
    ));
    Ok(sqlx::query_as(sql).bind(merchant.to_string()).bind(now.millis()).fetch_all(ex).await?)
}

/// The stores each of `ids` is limited to, in one query (a batch limited to none is absent:
/// all of its merchant's stores).
pub async fn stores_of_many<'e>(
    ex: impl Executor<'e, Database = Any>,
    ids: &[CouponTemplateId],
) -> Result<std::collections::HashMap<CouponTemplateId, Vec<StoreId>>, StoreError> {
    let mut out: std::collections::HashMap<CouponTemplateId, Vec<StoreId>> = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let marks = crate::row::marks(ids.len());
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT template_id, store_id FROM coupon_template_stores WHERE template_id IN ({marks}) \
         ORDER BY template_id, store_id"
    ));
    let mut q = sqlx::query(sql);
    for id in ids {
        q = q.bind(id.to_string());
    }
    for r in q.fetch_all(ex).await? {
        out.entry(parse(&r, "template_id")?).or_default().push(parse(&r, "store_id")?);
    }
    Ok(out)
}

/// The stores a batch is limited to (empty: all of the merchant's).
pub async fn stores_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: CouponTemplateId,
) -> Result<Vec<StoreId>, StoreError> {
    let rows = sqlx::query("SELECT store_id FROM coupon_template_stores WHERE template_id = $1 ORDER BY store_id")
        .bind(id.to_string())
        .fetch_all(ex)
        .await?;
    Ok(rows.iter().map(|r| parse(r, "store_id")).collect::<Result<_, _>>()?)
}

/// Takes one coupon from an active batch whose claiming is open at `now`. False when none is
/// left or claiming is not open: nothing is taken. One statement, so racing claims cannot
/// take more than the batch holds.
pub async fn take_one(tx: &mut crate::Tx, id: CouponTemplateId, now: Timestamp) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE coupon_templates SET quantity_left = quantity_left - 1, updated_at = $2 WHERE id = $1 \
         AND quantity_left > 0 AND status = 'active' AND claim_from <= $2 AND claim_until > $2",
    )
    .bind(id.to_string())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Counts one claim against a consumer's limit on a batch. False when that would exceed it:
/// nothing is counted. One statement, so a double tap cannot slip past the limit.
pub async fn count_claimer(
    tx: &mut crate::Tx,
    id: CouponTemplateId,
    user: UserId,
    limit: i64,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO coupon_claimers (template_id, user_id, claimed) VALUES ($1, $2, 1) \
         ON CONFLICT (template_id, user_id) DO UPDATE SET claimed = coupon_claimers.claimed + 1 \
         WHERE coupon_claimers.claimed + 1 <= $3",
    )
    .bind(id.to_string())
    .bind(user.to_string())
    .bind(limit.max(1))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// A claimed coupon.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponRow {
    /// The id.
    pub id: CouponId,
    /// Its batch.
    pub template_id: CouponTemplateId,
    /// Its holder.
    pub user_id: UserId,
    /// Claimed.
    pub claimed_at: Timestamp,
    /// Expires.
    pub expires_at: Timestamp,
    /// `unused`, `used` or `void`.
    pub status: CouponStatus,
    /// The channel that brought the claim (a campaign link, a poster, …).
    pub channel: Option<String>,
    /// The order it was used on.
    pub order_id: Option<String>,
    /// Used.
    pub used_at: Option<Timestamp>,
    /// What it took off its order, minor units.
    pub discount: i64,
}

const COUPON_COLUMNS: &str =
    "id, template_id, user_id, claimed_at, expires_at, status, channel, order_id, used_at, discount";

impl FromRow<'_, AnyRow> for CouponRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: parse(r, "id")?,
            template_id: parse(r, "template_id")?,
            user_id: parse(r, "user_id")?,
            claimed_at: time(r, "claimed_at")?,
            expires_at: time(r, "expires_at")?,
            status: parse(r, "status")?,
            channel: get(r, "channel")?,
            order_id: get(r, "order_id")?,
            used_at: opt_time(r, "used_at")?,
            discount: get(r, "discount")?,
        })
    }
}

/// Inserts a claimed coupon.
pub async fn insert_coupon(tx: &mut crate::Tx, c: &CouponRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO coupons ({COUPON_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    ));
    sqlx::query(sql)
        .bind(c.id.to_string())
        .bind(c.template_id.to_string())
        .bind(c.user_id.to_string())
        .bind(c.claimed_at.millis())
        .bind(c.expires_at.millis())
        .bind(c.status.as_str())
        .bind(c.channel.as_deref())
        .bind(c.order_id.as_deref())
        .bind(c.used_at.map(Timestamp::millis))
        .bind(c.discount)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// A consumer's coupons with their batches, newest first.
pub async fn of_user<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
) -> Result<Vec<(CouponRow, TemplateRow)>, StoreError> {
    let cols: String = TEMPLATE_COLUMNS.split(", ").map(|c| format!("t.{c} AS t_{c}")).collect::<Vec<_>>().join(", ");
    let ccols: String = COUPON_COLUMNS.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", ");
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {ccols}, {cols} FROM coupons c JOIN coupon_templates t ON t.id = c.template_id \
         WHERE c.user_id = $1 ORDER BY c.id DESC LIMIT 500"
    ));
    let rows = sqlx::query(sql).bind(user.to_string()).fetch_all(ex).await?;
    rows.iter().map(|r| Ok((CouponRow::from_row(r)?, template_with(r, "t_")?))).collect()
}

/// How many coupons of a batch have been claimed (for reports and tests).
pub async fn claimed_count<'e>(ex: impl Executor<'e, Database = Any>, id: CouponTemplateId) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM coupons WHERE template_id = $1")
        .bind(id.to_string())
        .fetch_one(ex)
        .await?;
    Ok(get(&row, "n")?)
}

/// Puts an unused, unexpired coupon of `user` on an order with the discount it gives. False when
/// it is no longer usable (used on another order meanwhile, expired): nothing changes.
pub async fn hold(
    tx: &mut crate::Tx,
    coupon: CouponId,
    user: UserId,
    order: &str,
    discount: i64,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE coupons SET status = 'held', order_id = $3, discount = $4 WHERE id = $1 AND user_id = $2 \
         AND status = 'unused' AND expires_at > $5",
    )
    .bind(coupon.to_string())
    .bind(user.to_string())
    .bind(order)
    .bind(discount)
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Counts `discount` against a batch's budget. False when that would exceed it: nothing counted.
pub async fn spend_budget(tx: &mut crate::Tx, id: CouponTemplateId, discount: i64) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE coupon_templates SET budget_used = budget_used + $2 WHERE id = $1 \
         AND (budget IS NULL OR budget_used + $2 <= budget)",
    )
    .bind(id.to_string())
    .bind(discount)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The held coupons of an order become used (its payment arrived).
pub async fn mark_used(tx: &mut crate::Tx, order: &str, now: Timestamp) -> Result<(), StoreError> {
    sqlx::query("UPDATE coupons SET status = 'used', used_at = $2 WHERE order_id = $1 AND status = 'held'")
        .bind(order)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Gives an order's coupons back to their holder (the order was cancelled, not paid in time or
/// refunded) and their discounts back to the batches' budgets. Returns how many.
pub async fn release(tx: &mut crate::Tx, order: &str) -> Result<usize, StoreError> {
    let rows =
        sqlx::query("SELECT template_id, discount FROM coupons WHERE order_id = $1 AND status IN ('held', 'used')")
            .bind(order)
            .fetch_all(&mut **tx)
            .await?;
    for r in &rows {
        let template: String = get(r, "template_id")?;
        let discount: i64 = get(r, "discount")?;
        sqlx::query("UPDATE coupon_templates SET budget_used = budget_used - $2 WHERE id = $1")
            .bind(template)
            .bind(discount)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query(
        "UPDATE coupons SET status = 'unused', order_id = NULL, discount = 0, used_at = NULL \
         WHERE order_id = $1 AND status IN ('held', 'used')",
    )
    .bind(order)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM first_orders WHERE order_id = $1").bind(order).execute(&mut **tx).await?;
    Ok(rows.len())
}

/// The coupons on an order.
pub async fn of_order<'e>(ex: impl Executor<'e, Database = Any>, order: &str) -> Result<Vec<CouponRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COUPON_COLUMNS} FROM coupons WHERE order_id = $1 ORDER BY id"));
    Ok(sqlx::query_as(sql).bind(order).fetch_all(ex).await?)
}

/// Whether a consumer has an order that is not cancelled — paid, or placed and not yet paid — at
/// `merchant` or anywhere ("new customer" offers).
pub async fn has_order<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
    merchant: Option<MerchantId>,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM orders WHERE user_id = $1 AND status <> 'cancelled' \
         AND ($2 = '' OR merchant_id = $2)",
    )
    .bind(user.to_string())
    .bind(merchant.map(|m| m.to_string()).unwrap_or_default())
    .fetch_one(ex)
    .await?;
    Ok(get::<i64>(&row, "n")? > 0)
}

/// Takes the consumer's new-customer slot for `scope` (a merchant id, or `platform`) for `order`;
/// `false` when another order holds it.
pub async fn lock_first_order(tx: &mut crate::Tx, user: UserId, scope: &str, order: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO first_orders (user_id, scope, order_id) VALUES ($1, $2, $3) ON CONFLICT (user_id, scope) DO NOTHING",
    )
    .bind(user.to_string())
    .bind(scope)
    .bind(order)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
