//! Campaigns, their channels, touches (arrivals through a channel) and the credits of actions to
//! touches, with what a campaign report reads.

use crate::StoreError;
use crate::row::{get, opt, opt_time, parse, time};
use lokal_core::RunStatus;
use lokal_core::Timestamp;
use lokal_core::campaign::{ChannelKind, EventKind, Model, Touch};
use lokal_core::fulfil::OrderStatus;
use lokal_core::{CampaignId, ChannelId, CouponTemplateId, MerchantId, OrderId, StoreId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, FromRow};

/// A stored campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CampaignRow {
    /// The id.
    pub id: CampaignId,
    /// The merchant running it (none: the platform).
    pub merchant_id: Option<MerchantId>,
    /// Title.
    pub title: String,
    /// Landing store.
    pub store_id: Option<StoreId>,
    /// Coupon batch the landing page offers.
    pub coupon_template_id: Option<CouponTemplateId>,
    /// Starts.
    pub starts_at: Timestamp,
    /// Ends.
    pub ends_at: Timestamp,
    /// Attribution window, days.
    pub window_days: i64,
    /// `active`.
    pub status: RunStatus,
    /// Who created it.
    pub created_by: UserId,
    /// Created.
    pub created_at: Timestamp,
}

const CAMPAIGN_COLUMNS: &str = "id, merchant_id, title, store_id, coupon_template_id, starts_at, ends_at, window_days, \
    status, created_by, created_at";

impl FromRow<'_, AnyRow> for CampaignRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: parse(r, "id")?,
            merchant_id: opt(r, "merchant_id")?,
            title: get(r, "title")?,
            store_id: opt(r, "store_id")?,
            coupon_template_id: opt(r, "coupon_template_id")?,
            starts_at: time(r, "starts_at")?,
            ends_at: time(r, "ends_at")?,
            window_days: get(r, "window_days")?,
            status: parse(r, "status")?,
            created_by: parse(r, "created_by")?,
            created_at: time(r, "created_at")?,
        })
    }
}

/// A stored channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelRow {
    /// The id.
    pub id: ChannelId,
    /// Its campaign.
    pub campaign_id: CampaignId,
    /// The public code (`/c/{code}`).
    pub code: String,
    /// Link, QR poster, promoter code or partner site.
    pub kind: ChannelKind,
    /// Name.
    pub name: String,
    /// What it costs, minor units.
    pub cost: i64,
    /// Created.
    pub created_at: Timestamp,
}

const CHANNEL_COLUMNS: &str = "id, campaign_id, code, kind, name, cost, created_at";

impl FromRow<'_, AnyRow> for ChannelRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: parse(r, "id")?,
            campaign_id: parse(r, "campaign_id")?,
            code: get(r, "code")?,
            kind: parse(r, "kind")?,
            name: get(r, "name")?,
            cost: get(r, "cost")?,
            created_at: time(r, "created_at")?,
        })
    }
}

/// Inserts a campaign.
pub async fn insert_campaign<'e>(ex: impl Executor<'e, Database = Any>, c: &CampaignRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO campaigns ({CAMPAIGN_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    ));
    sqlx::query(sql)
        .bind(c.id.to_string())
        .bind(c.merchant_id.map(|m| m.to_string()))
        .bind(&c.title)
        .bind(c.store_id.map(|s| s.to_string()))
        .bind(c.coupon_template_id.map(|t| t.to_string()))
        .bind(c.starts_at.millis())
        .bind(c.ends_at.millis())
        .bind(c.window_days)
        .bind(c.status.as_str())
        .bind(c.created_by.to_string())
        .bind(c.created_at.millis())
        .execute(ex)
        .await?;
    Ok(())
}

/// A campaign.
pub async fn campaign_by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: CampaignId,
) -> Result<Option<CampaignRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(ex).await?)
}

/// A merchant's campaigns (or the platform's, for `None`), newest first.
pub async fn campaigns_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: Option<MerchantId>,
) -> Result<Vec<CampaignRow>, StoreError> {
    let rows = match merchant {
        Some(m) => {
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE merchant_id = $1 ORDER BY id DESC"
            ));
            sqlx::query(sql).bind(m.to_string()).fetch_all(ex).await
        }
        None => {
            let sql = sqlx::AssertSqlSafe(format!(
                "SELECT {CAMPAIGN_COLUMNS} FROM campaigns WHERE merchant_id IS NULL ORDER BY id DESC"
            ));
            sqlx::query(sql).fetch_all(ex).await
        }
    }?;
    Ok(rows.iter().map(CampaignRow::from_row).collect::<Result<_, _>>()?)
}

/// Inserts a channel; `false` when its code is taken (the caller draws another).
pub async fn insert_channel<'e>(ex: impl Executor<'e, Database = Any>, c: &ChannelRow) -> Result<bool, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO campaign_channels ({CHANNEL_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (code) DO NOTHING"
    ));
    let done = sqlx::query(sql)
        .bind(c.id.to_string())
        .bind(c.campaign_id.to_string())
        .bind(&c.code)
        .bind(c.kind.as_str())
        .bind(&c.name)
        .bind(c.cost)
        .bind(c.created_at.millis())
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A campaign's channels, oldest first.
pub async fn channels_of<'e>(
    ex: impl Executor<'e, Database = Any>,
    campaign: CampaignId,
) -> Result<Vec<ChannelRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {CHANNEL_COLUMNS} FROM campaign_channels WHERE campaign_id = $1 ORDER BY id"
    ));
    Ok(sqlx::query_as(sql).bind(campaign.to_string()).fetch_all(ex).await?)
}

/// The channel with a public code.
pub async fn channel_by_code<'e>(
    ex: impl Executor<'e, Database = Any>,
    code: &str,
) -> Result<Option<ChannelRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {CHANNEL_COLUMNS} FROM campaign_channels WHERE code = $1"));
    Ok(sqlx::query_as(sql).bind(code).fetch_optional(ex).await?)
}

/// Records an arrival through a channel.
pub async fn insert_touch<'e>(
    ex: impl Executor<'e, Database = Any>,
    channel: &ChannelRow,
    visitor: &str,
    user: Option<UserId>,
    at: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO touches (id, channel_id, campaign_id, visitor, user_id, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(channel.id.to_string())
    .bind(channel.campaign_id.to_string())
    .bind(visitor)
    .bind(user.map(|u| u.to_string()))
    .bind(at)
    .execute(ex)
    .await?;
    Ok(())
}

/// Gives a visitor's anonymous touches to the user who just signed up or logged in; how many.
pub async fn bind_visitor<'e>(
    ex: impl Executor<'e, Database = Any>,
    visitor: &str,
    user: UserId,
) -> Result<u64, StoreError> {
    let done = sqlx::query("UPDATE touches SET user_id = $2 WHERE visitor = $1 AND user_id IS NULL")
        .bind(visitor)
        .bind(user.to_string())
        .execute(ex)
        .await?;
    Ok(done.rows_affected())
}

/// A user's touches since `since`, with their campaigns' merchants and windows.
pub async fn touches_of_user<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
    since: i64,
) -> Result<Vec<Touch>, StoreError> {
    let rows = sqlx::query(
        "SELECT t.channel_id, t.campaign_id, c.merchant_id, t.at, c.window_days FROM touches t \
         JOIN campaigns c ON c.id = t.campaign_id WHERE t.user_id = $1 AND t.at >= $2",
    )
    .bind(user.to_string())
    .bind(since)
    .fetch_all(ex)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Touch {
                channel: parse(r, "channel_id")?,
                campaign: parse(r, "campaign_id")?,
                merchant: opt(r, "merchant_id")?,
                at: get(r, "at")?,
                window_ms: get::<i64>(r, "window_days")? * 86_400_000,
            })
        })
        .collect()
}

/// An action credited to touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttributionRow {
    /// What was credited.
    pub kind: EventKind,
    /// The user, coupon, order or redemption id.
    pub ref_id: String,
    /// Who acted.
    pub user_id: UserId,
    /// The merchant concerned, if any.
    pub merchant_id: Option<MerchantId>,
    /// The first touch's channel and campaign.
    pub first: (ChannelId, CampaignId),
    /// The last touch's channel and campaign.
    pub last: (ChannelId, CampaignId),
    /// The action's value (order total, redemption value), minor units.
    pub amount: i64,
    /// The user had no earlier paid order at this merchant.
    pub new_to_merchant: bool,
    /// The user had no earlier paid order anywhere.
    pub new_to_platform: bool,
    /// When.
    pub at: Timestamp,
}

/// Records a credit once per action (`false` if it already was).
pub async fn insert_attribution<'e>(
    ex: impl Executor<'e, Database = Any>,
    a: &AttributionRow,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO attributions (id, kind, ref_id, user_id, merchant_id, first_channel_id, first_campaign_id, \
         last_channel_id, last_campaign_id, amount, new_to_merchant, new_to_platform, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (kind, ref_id) DO NOTHING",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(a.kind.as_str())
    .bind(&a.ref_id)
    .bind(a.user_id.to_string())
    .bind(a.merchant_id.map(|m| m.to_string()))
    .bind(a.first.0.to_string())
    .bind(a.first.1.to_string())
    .bind(a.last.0.to_string())
    .bind(a.last.1.to_string())
    .bind(a.amount)
    .bind(i64::from(a.new_to_merchant))
    .bind(i64::from(a.new_to_platform))
    .bind(a.at.millis())
    .execute(ex)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Whether `user` has a paid order other than `except` (at `merchant`, or anywhere for `None`).
pub async fn has_paid_order<'e>(
    ex: impl Executor<'e, Database = Any>,
    user: UserId,
    merchant: Option<MerchantId>,
    except: OrderId,
) -> Result<bool, StoreError> {
    let row = sqlx::query(
        "SELECT COUNT(*) AS n FROM orders WHERE user_id = $1 AND paid_at IS NOT NULL AND id <> $2 \
         AND ($3 = '' OR merchant_id = $3)",
    )
    .bind(user.to_string())
    .bind(except.to_string())
    .bind(merchant.map(|m| m.to_string()).unwrap_or_default())
    .fetch_one(ex)
    .await?;
    Ok(get::<i64>(&row, "n")? > 0)
}

/// Visits and distinct visitors per channel of a campaign.
pub async fn touch_counts<'e>(
    ex: impl Executor<'e, Database = Any>,
    campaign: CampaignId,
) -> Result<Vec<(ChannelId, i64, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT channel_id, COUNT(*) AS visits, COUNT(DISTINCT visitor) AS visitors FROM touches \
         WHERE campaign_id = $1 GROUP BY channel_id",
    )
    .bind(campaign.to_string())
    .fetch_all(ex)
    .await?;
    rows.iter().map(|r| Ok((parse(r, "channel_id")?, get(r, "visits")?, get(r, "visitors")?))).collect()
}

/// Distinct visitors across a campaign's channels (its reach).
pub async fn reach<'e>(ex: impl Executor<'e, Database = Any>, campaign: CampaignId) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT COUNT(DISTINCT visitor) AS n FROM touches WHERE campaign_id = $1")
        .bind(campaign.to_string())
        .fetch_one(ex)
        .await?;
    Ok(get(&row, "n")?)
}

/// An action credited to a campaign, with what happened to it since (an order's payment,
/// status, discounts and refunds; a redemption's undo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credited {
    /// What was credited.
    pub kind: EventKind,
    /// The user, coupon, order or redemption id.
    pub ref_id: String,
    /// Who acted.
    pub user_id: UserId,
    /// The channel credited (by the model asked for).
    pub channel_id: ChannelId,
    /// Value at the time, minor units.
    pub amount: i64,
    /// New to the merchant.
    pub new_to_merchant: bool,
    /// New to the platform.
    pub new_to_platform: bool,
    /// When.
    pub at: Timestamp,
    /// For an order: its status.
    pub order_status: Option<OrderStatus>,
    /// For an order: when it was paid.
    pub paid_at: Option<Timestamp>,
    /// For an order: its store (menu orders and bills).
    pub store_id: Option<StoreId>,
    /// For an order: every discount on it, minor units.
    pub discount: i64,
    /// For an order: the platform-funded part of it.
    pub platform_discount: i64,
    /// For an order: refunded so far.
    pub refunded: i64,
    /// For a redemption: when it was undone.
    pub undone_at: Option<Timestamp>,
}

/// Every action credited to a campaign by `model`, newest first.
pub async fn credited<'e>(
    ex: impl Executor<'e, Database = Any>,
    campaign: CampaignId,
    model: Model,
) -> Result<Vec<Credited>, StoreError> {
    let m = model.as_str();
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT a.kind, a.ref_id, a.user_id, a.{m}_channel_id AS channel_id, a.amount, a.new_to_merchant, \
         a.new_to_platform, a.at, o.status AS order_status, o.paid_at, o.store_id, \
         CAST(COALESCE(d.discount, 0) AS BIGINT) AS discount, \
         CAST(COALESCE(d.platform_discount, 0) AS BIGINT) AS platform_discount, \
         CAST(COALESCE((SELECT SUM(r.amount) FROM refunds r WHERE r.order_id = o.id), 0) AS BIGINT) AS refunded, \
         rd.undone_at \
         FROM attributions a \
         LEFT JOIN orders o ON a.kind = 'order' AND o.id = a.ref_id \
         LEFT JOIN order_details d ON d.order_id = o.id \
         LEFT JOIN redemptions rd ON a.kind = 'redemption' AND rd.id = a.ref_id \
         WHERE a.{m}_campaign_id = $1 ORDER BY a.at DESC, a.id DESC"
    ));
    let rows = sqlx::query(sql).bind(campaign.to_string()).fetch_all(ex).await?;
    rows.iter()
        .map(|r| {
            Ok(Credited {
                kind: parse(r, "kind")?,
                ref_id: get(r, "ref_id")?,
                user_id: parse(r, "user_id")?,
                channel_id: parse(r, "channel_id")?,
                amount: get(r, "amount")?,
                new_to_merchant: get::<i64>(r, "new_to_merchant")? != 0,
                new_to_platform: get::<i64>(r, "new_to_platform")? != 0,
                at: time(r, "at")?,
                order_status: opt(r, "order_status")?,
                paid_at: opt_time(r, "paid_at")?,
                store_id: opt(r, "store_id")?,
                discount: get(r, "discount")?,
                platform_discount: get(r, "platform_discount")?,
                refunded: get(r, "refunded")?,
                undone_at: opt_time(r, "undone_at")?,
            })
        })
        .collect()
}

/// Whether `visitor` arrived through `channel` since `since` (one visit per half hour counts).
pub async fn touched_since<'e>(
    ex: impl Executor<'e, Database = Any>,
    visitor: &str,
    channel: ChannelId,
    since: i64,
) -> Result<bool, StoreError> {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM touches WHERE visitor = $1 AND channel_id = $2 AND at >= $3")
        .bind(visitor)
        .bind(channel.to_string())
        .bind(since)
        .fetch_one(ex)
        .await?;
    Ok(get::<i64>(&row, "n")? > 0)
}
