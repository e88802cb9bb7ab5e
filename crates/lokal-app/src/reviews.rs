//! Verified reviews (issue G): only the consumer of a completed menu order or bill, or of a
//! redeemed voucher, reviews it — once, within 30 days; riders are rated apart. Merchants reply
//! publicly, authors add one follow-up, anyone signed in votes "helpful" or reports, operators
//! hide (the author still sees it, with the reason). The store's rating is the Bayesian average
//! of its visible reviews (`lokal_core::review::bayesian_x100`) and feeds the discovery ranking
//! at once.

use crate::{App, AppError};
use lokal_core::fulfil::{Mode, OrderStatus};
use lokal_core::review::ReviewVisibility;
use lokal_core::review::{self, ReviewJson, ReviewTerms};
use lokal_core::{ErrorCode, FieldError, Principal, Scope, StaffRole, StoreId};
use lokal_store::reviews::{self, Order, ReviewRow};

/// Reviews a caller may write at most per hour.
const PER_HOUR: i64 = 10;

fn not_reviewable(why: &'static str) -> AppError {
    AppError::new(ErrorCode::NotReviewable, why)
}

/// A review as shown: the row with its parsed parts.
#[derive(Debug, Clone)]
pub struct ReviewView {
    /// The row.
    pub row: ReviewRow,
    /// Stars per dimension.
    pub dimensions: std::collections::BTreeMap<String, u8>,
    /// Tags.
    pub tags: Vec<String>,
    /// Photo URLs.
    pub photos: Vec<String>,
    /// The author's display name.
    pub author: String,
}

/// A review as shown, its author's name given.
fn view_with(row: ReviewRow, author: String) -> Result<ReviewView, AppError> {
    Ok(ReviewView {
        dimensions: serde_json::from_str(&row.dimensions_json).map_err(AppError::internal)?,
        tags: serde_json::from_str(&row.tags_json).map_err(AppError::internal)?,
        photos: serde_json::from_str(&row.photos_json).map_err(AppError::internal)?,
        author,
        row,
    })
}

impl App {
    async fn review_view(&self, row: ReviewRow) -> Result<ReviewView, AppError> {
        let author = lokal_store::users::get_by_id(self.db().pool(), row.user_id)
            .await?
            .map(|u| u.display_name)
            .unwrap_or_default();
        view_with(row, author)
    }

    /// Many reviews, their authors' names read in one query.
    async fn review_views(&self, rows: Vec<ReviewRow>) -> Result<Vec<ReviewView>, AppError> {
        let ids: Vec<lokal_core::UserId> = rows.iter().map(|r| r.user_id).collect();
        let names = lokal_store::users::display_names(self.db().pool(), &ids).await?;
        rows.into_iter()
            .map(|r| {
                let author = names.get(&r.user_id).cloned().unwrap_or_default();
                view_with(r, author)
            })
            .collect()
    }

    /// Writes a review of the caller's consumption (and rates the rider of a delivered order).
    /// Refused with `not_reviewable` (not theirs, not consumed, more than 30 days ago, or the
    /// caller works for the merchant) or `already_reviewed`.
    pub async fn write_review(&self, caller: &Principal, j: ReviewJson) -> Result<ReviewView, AppError> {
        let t = ReviewTerms::parse(&j)?;
        self.check_photos("photos", &t.photos).await?;
        let now = self.now();
        // What was consumed, where, when, and the rider who brought it.
        let (subject, store, consumed_at, rider) = match (j.order_id, j.voucher_id) {
            (Some(id), _) => {
                let o = self.menu_order(id).await.map_err(|_| not_reviewable("err-review-no-such-order"))?;
                if o.order.user_id != caller.user_id {
                    return Err(not_reviewable("err-review-no-such-order"));
                }
                if o.status() != OrderStatus::Completed {
                    return Err(not_reviewable("err-review-order-not-completed"));
                }
                let store = o.order.store_id.ok_or_else(|| not_reviewable("err-review-order-no-store"))?;
                let rider =
                    if o.mode() == Mode::Delivery { o.delivery.as_ref().and_then(|d| d.rider_id) } else { None };
                let at = o.detail.completed_at.unwrap_or(o.order.updated_at);
                (format!("order:{id}"), store, at, rider)
            }
            (None, Some(id)) => {
                lokal_store::vouchers::by_id(self.db().pool(), id)
                    .await?
                    .filter(|v| v.user_id == caller.user_id)
                    .ok_or_else(|| not_reviewable("err-review-no-such-voucher"))?;
                let used = lokal_store::vouchers::redemptions_of(self.db().pool(), id).await?;
                let last = used
                    .iter()
                    .filter(|r| r.undone_at.is_none())
                    .max_by_key(|r| r.created_at)
                    .ok_or_else(|| not_reviewable("err-review-voucher-unused"))?;
                (format!("voucher:{id}"), last.store_id, last.created_at, None)
            }
            (None, None) => return Err(FieldError::new("order_id", "field-review-order-or-voucher").into()),
        };
        if !review::reviewable(consumed_at, now) {
            return Err(not_reviewable("err-review-too-late"));
        }
        if j.rider.is_some() && rider.is_none() {
            return Err(FieldError::new("rider", "field-review-no-rider").into());
        }
        let view = self.public_store(store).await?;
        if caller.works_for(view.row.merchant_id) {
            return Err(not_reviewable("err-review-own-store"));
        }
        self.rate_hit(&format!("review:{}", caller.user_id), PER_HOUR, 3_600).await?;
        let row = ReviewRow {
            id: uuid::Uuid::now_v7().to_string(),
            store_id: store,
            merchant_id: view.row.merchant_id,
            user_id: caller.user_id,
            subject,
            rating: t.rating,
            dimensions_json: serde_json::to_string(&t.dimensions).map_err(AppError::internal)?,
            body: t.text,
            tags_json: serde_json::to_string(&t.tags).map_err(AppError::internal)?,
            photos_json: serde_json::to_string(&t.photos).map_err(AppError::internal)?,
            photo_count: i64::try_from(t.photos.len()).unwrap_or(0),
            avg_spend: t.avg_spend,
            status: ReviewVisibility::Visible,
            hidden_reason: String::new(),
            helpful: 0,
            reply: String::new(),
            reply_at: None,
            reply_by: None,
            follow_up: String::new(),
            follow_up_at: None,
            created_at: now,
        };
        let mut tx = self.db().begin().await?;
        let Some((n, stars)) = reviews::insert(&mut tx, &row).await? else {
            return Err(AppError::new(ErrorCode::AlreadyReviewed, "err-already-reviewed"));
        };
        reviews::set_store_rating(&mut tx, store, review::bayesian_x100(stars, n)).await?;
        if let (Some((stars, comment)), Some(rider), Some(order)) = (t.rider, rider, j.order_id) {
            reviews::rate_rider(&mut *tx, order, rider, caller.user_id, stars, &comment, now).await?;
        }
        tx.commit().await?;
        self.reindex_store(store).await;
        self.review_view(row).await
    }

    /// Puts a store's new rating into the discovery index (ranking changes at once).
    async fn reindex_store(&self, store: StoreId) {
        match self.public_store(store).await {
            Ok(v) => self.with_discovery(|d| d.put(&v)),
            Err(e) => tracing::warn!(error = %e.msg, "store not reindexed after a review"),
        }
    }

    /// A store's visible reviews: `newest`, `helpful` or `photos`, 20 at a time from `offset`.
    pub async fn store_reviews(&self, store: StoreId, sort: &str, offset: i64) -> Result<Vec<ReviewView>, AppError> {
        self.public_store(store).await?;
        self.reviews_at(store, sort, offset).await
    }

    /// [`App::store_reviews`] of a store known to exist.
    pub async fn reviews_at(&self, store: StoreId, sort: &str, offset: i64) -> Result<Vec<ReviewView>, AppError> {
        let order = match sort {
            "" | "newest" => Order::Newest,
            "helpful" => Order::Helpful,
            "photos" => Order::Photos,
            _ => {
                return Err(FieldError::new(
                    "sort",
                    lokal_core::Msg::new("field-one-of").with("choices", "newest, helpful, photos"),
                )
                .into());
            }
        };
        reviews::of_store(self.db().pool(), store, order, offset, 20)
            .await?
            .into_iter()
            .map(|(r, author)| view_with(r, author))
            .collect()
    }

    /// The caller's reviews, hidden ones included (with the reason).
    pub async fn my_reviews(&self, caller: &Principal) -> Result<Vec<ReviewView>, AppError> {
        self.review_views(reviews::of_user(self.db().pool(), caller.user_id).await?).await
    }

    /// The merchant's public reply, once: staff of the reviewed store (clerks included).
    pub async fn reply_to_review(&self, caller: &Principal, id: &str, text: &str) -> Result<ReviewView, AppError> {
        let r = self.visible_review(id).await?;
        caller.authorize(Scope::Store(r.merchant_id, r.store_id), StaffRole::Clerk)?;
        // The store speaks through its own staff: an operator is not the store.
        if !caller.works_at(r.merchant_id, r.store_id) {
            return Err(AppError::new(ErrorCode::Forbidden, "err-review-reply-staff-only"));
        }
        let text = checked_text("text", text)?;
        if !reviews::reply(self.db().pool(), id, &text, caller.user_id, self.now()).await? {
            return Err(AppError::new(ErrorCode::AlreadyReviewed, "err-review-replied"));
        }
        self.review(id).await
    }

    /// The author's follow-up, once.
    pub async fn follow_up_review(&self, caller: &Principal, id: &str, text: &str) -> Result<ReviewView, AppError> {
        let r = self.visible_review(id).await?;
        if r.user_id != caller.user_id {
            return Err(AppError::new(ErrorCode::Forbidden, "err-review-follow-up-author-only"));
        }
        let text = checked_text("text", text)?;
        if !reviews::follow_up(self.db().pool(), id, &text, self.now()).await? {
            return Err(AppError::new(ErrorCode::AlreadyReviewed, "err-review-followed-up"));
        }
        self.review(id).await
    }

    /// Counts the caller's "helpful" vote, once (not on their own review).
    pub async fn vote_review(&self, caller: &Principal, id: &str) -> Result<ReviewView, AppError> {
        let r = self.visible_review(id).await?;
        if r.user_id == caller.user_id {
            return Err(AppError::new(ErrorCode::Forbidden, "err-review-vote-own"));
        }
        let mut tx = self.db().begin().await?;
        if !reviews::vote(&mut tx, id, caller.user_id).await? {
            return Err(AppError::new(ErrorCode::AlreadyReviewed, "err-review-voted"));
        }
        tx.commit().await?;
        self.review(id).await
    }

    /// Reports a review to the operators, once per person.
    pub async fn report_review(&self, caller: &Principal, id: &str, reason: &str) -> Result<(), AppError> {
        self.visible_review(id).await?;
        let reason = lokal_core::field::line_of_text("reason", reason, 200, true)?;
        self.rate_hit(&format!("review-report:{}", caller.user_id), 30, 3_600).await?;
        if !reviews::report(self.db().pool(), id, caller.user_id, &reason, self.now()).await? {
            return Err(AppError::new(ErrorCode::AlreadyReviewed, "err-review-reported"));
        }
        Ok(())
    }

    /// Reported reviews, most reported first. Operators.
    pub async fn reported_reviews(&self, caller: &Principal) -> Result<Vec<(ReviewView, i64, String)>, AppError> {
        caller.require_admin()?;
        let mut out = Vec::new();
        for (r, n, reason) in reviews::reported(self.db().pool()).await? {
            out.push((self.review_view(r).await?, n, reason));
        }
        Ok(out)
    }

    /// Hides a review with a reason the author sees (`hide`), or shows it again. Operators.
    /// The store's rating follows.
    pub async fn moderate_review(
        &self,
        caller: &Principal,
        id: &str,
        hide: bool,
        reason: &str,
    ) -> Result<ReviewView, AppError> {
        caller.require_admin()?;
        let r =
            reviews::by_id(self.db().pool(), &review_id(id)?).await?.ok_or_else(|| AppError::not_found("review"))?;
        let reason = lokal_core::field::line_of_text("reason", reason, 200, hide)?;
        let (from, to, n) = if hide {
            (ReviewVisibility::Visible, ReviewVisibility::Hidden, -1)
        } else {
            (ReviewVisibility::Hidden, ReviewVisibility::Visible, 1)
        };
        let mut tx = self.db().begin().await?;
        if !reviews::set_status(&mut tx, id, from, to, &reason).await? {
            return Err(AppError::new(
                ErrorCode::Conflict,
                lokal_core::Msg::new("err-review-not-status").with("status", from),
            ));
        }
        let (count, stars) = reviews::count_on_store(&mut tx, r.store_id, n, n * r.rating).await?;
        reviews::set_store_rating(&mut tx, r.store_id, review::bayesian_x100(stars, count)).await?;
        tx.commit().await?;
        self.reindex_store(r.store_id).await;
        self.review(id).await
    }

    /// Whether the caller may review this order now (theirs, completed within 30 days, not yet
    /// reviewed, not staff of the merchant), and whether it has a rider to rate.
    pub async fn can_review_order(
        &self,
        caller: &Principal,
        id: lokal_core::OrderId,
    ) -> Result<(bool, bool), AppError> {
        let o = self.menu_order(id).await?;
        let at = o.detail.completed_at.unwrap_or(o.order.updated_at);
        let open = o.order.user_id == caller.user_id
            && o.status() == OrderStatus::Completed
            && review::reviewable(at, self.now())
            && !caller.works_for(o.order.merchant_id)
            && reviews::by_subject(self.db().pool(), &format!("order:{id}")).await?.is_none();
        let rider = o.mode() == Mode::Delivery && o.delivery.as_ref().is_some_and(|d| d.rider_id.is_some());
        Ok((open, rider))
    }

    /// A store's review figures: count and rating × 100.
    pub async fn store_rating(&self, store: StoreId) -> Result<(i64, i64), AppError> {
        let (n, stars) = reviews::store_figures(self.db().pool(), store).await?;
        Ok((n, review::bayesian_x100(stars, n)))
    }

    /// A rider's ratings: count and mean × 100.
    pub async fn rider_rating(&self, rider: lokal_core::UserId) -> Result<(i64, i64), AppError> {
        let (n, stars) = reviews::rider_figures(self.db().pool(), rider).await?;
        Ok((n, if n > 0 { (200 * stars + n) / (2 * n) } else { 0 }))
    }

    async fn review(&self, id: &str) -> Result<ReviewView, AppError> {
        let id = review_id(id)?;
        let r = reviews::by_id(self.db().pool(), &id).await?.ok_or_else(|| AppError::not_found("review"))?;
        self.review_view(r).await
    }

    async fn visible_review(&self, id: &str) -> Result<ReviewRow, AppError> {
        let id = review_id(id)?;
        reviews::by_id(self.db().pool(), &id)
            .await?
            .filter(|r| r.status == ReviewVisibility::Visible)
            .ok_or_else(|| AppError::not_found("review"))
    }
}

/// A review id as stored (a UUID); anything else is simply not found.
fn review_id(id: &str) -> Result<String, AppError> {
    uuid::Uuid::parse_str(id.trim()).map(|u| u.to_string()).map_err(|_| AppError::not_found("review"))
}

fn checked_text(field: &str, text: &str) -> Result<String, AppError> {
    let t = text.trim();
    if t.is_empty() || t.chars().count() > 1_000 || t.chars().any(|c| c.is_control() && c != '\n' && c != '\r') {
        return Err(FieldError::new(
            field,
            lokal_core::Msg::new("field-text-length").with("min", 1).with("max", 1_000),
        )
        .into());
    }
    Ok(t.to_owned())
}
