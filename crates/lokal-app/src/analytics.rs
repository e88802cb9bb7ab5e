//! Merchant and platform dashboards (issue F). Figures come from daily rollups
//! (`lokal_store::rollups`) that [`App::refresh_rollups`] keeps correct incrementally: it finds
//! what changed since its watermark (orders placed or moved, refunds, redemptions made or undone,
//! vouchers used) and recomputes exactly those store-days from the source rows. Dashboards refresh
//! before they read, and the housekeeping loop refreshes every few seconds.

use crate::{App, AppError};
use lokal_core::analytics::{self, Period};
use lokal_core::{MerchantId, Principal, Scope, StaffRole, StoreId, StoreScope};
use lokal_store::rollups::{self, DayFigures, Slice};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Changes this long before the watermark are looked at again (transactions in flight).
const OVERLAP_MS: i64 = 5 * 60_000;
/// The platform's time zone where no store says (Asia/Shanghai, the demo city's).
pub const DEFAULT_OFFSET_MIN: i64 = 480;
const REFRESHER: &str = "store_days";

static REFRESH: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Views counted since the last write: (merchant, store, local day) → views.
pub type PendingViews = HashMap<(MerchantId, StoreId, i64), i64>;

/// A bucket of a dashboard's series.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bucket {
    /// Its first day.
    pub start: i64,
    /// `2026-11-27`, the week's Monday, or `2026-11`.
    pub label: String,
    /// What happened in it.
    pub figures: DayFigures,
}

/// An item among the best sellers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopItem {
    /// The item id.
    pub item_id: String,
    /// Its name on the orders.
    pub name: String,
    /// Units sold.
    pub quantity: i64,
    /// Revenue, minor units.
    pub revenue: i64,
}

/// What a dashboard shows.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The rows read.
    pub slice: Slice,
    /// The period.
    pub period: Period,
    /// The period's series.
    pub buckets: Vec<Bucket>,
    /// The period's total.
    pub total: DayFigures,
    /// The period before, of the same length.
    pub previous: DayFigures,
    /// Kept orders by local hour (all zero on the platform's dashboard).
    pub hours: [i64; 24],
    /// Best sellers by revenue (none on the platform's dashboard).
    pub top_items: Vec<TopItem>,
    /// Reviews written in the period (the funnel's last step).
    pub reviews: i64,
    /// Merchants with orders in the period (platform dashboards).
    pub active_merchants: Option<i64>,
    /// …and in the period before.
    pub previous_active_merchants: Option<i64>,
}

impl App {
    /// Brings the rollups up to date: recomputes the store-days touched since the last refresh
    /// (everything on the first run). Returns how many store-day ranges were recomputed.
    pub async fn refresh_rollups(&self) -> Result<usize, AppError> {
        if let Err(e) = self.flush_store_views().await {
            tracing::warn!(error = %e.msg, "store views kept for the next refresh");
        }
        let _one_at_a_time = REFRESH.lock().await;
        let now = self.now().millis();
        let pool = self.db().pool();
        let Some(mark) = rollups::watermark(pool, REFRESHER).await? else {
            drop(_one_at_a_time);
            return self.rebuild_rollups().await;
        };
        let touched = rollups::touched_since(pool, mark - OVERLAP_MS).await?;
        if touched.is_empty() {
            rollups::set_watermark(pool, REFRESHER, now).await?;
            return Ok(0);
        }
        let all = rollups::all_stores(pool).await?;
        let offsets = merchant_offsets(&all);
        let stores: HashMap<StoreId, i64> = all.into_iter().map(|(_, s, off)| (s, off)).collect();
        let mut days: BTreeMap<(MerchantId, Option<StoreId>), BTreeSet<i64>> = BTreeMap::new();
        for t in touched {
            let off = match t.store {
                Some(s) => stores.get(&s).copied().unwrap_or(DEFAULT_OFFSET_MIN),
                None => offsets.get(&t.merchant).copied().unwrap_or(DEFAULT_OFFSET_MIN),
            };
            days.entry((t.merchant, t.store)).or_default().insert(analytics::local_day(t.at.millis(), off));
        }
        let mut ranges = 0;
        for ((merchant, store), set) in days {
            let off = match store {
                Some(s) => stores.get(&s).copied().unwrap_or(DEFAULT_OFFSET_MIN),
                None => offsets.get(&merchant).copied().unwrap_or(DEFAULT_OFFSET_MIN),
            };
            for (from, to) in runs(&set) {
                let mut tx = self.db().begin().await?;
                match store {
                    Some(s) => rollups::recompute_store(&mut tx, merchant, s, off * 60_000, from, to).await?,
                    None => rollups::recompute_deals(&mut tx, merchant, off * 60_000, from, to).await?,
                }
                tx.commit().await?;
                ranges += 1;
            }
        }
        rollups::set_watermark(pool, REFRESHER, now).await?;
        Ok(ranges)
    }

    /// Recomputes every rollup from the source rows (after a bulk import, or the first time).
    pub async fn rebuild_rollups(&self) -> Result<usize, AppError> {
        let _one_at_a_time = REFRESH.lock().await;
        let now = self.now().millis();
        let pool = self.db().pool();
        let until = analytics::local_day(now, 0) + 2;
        let mut n = 0;
        let all = rollups::all_stores(pool).await?;
        for (merchant, store, off) in &all {
            let mut tx = self.db().begin().await?;
            rollups::recompute_store(&mut tx, *merchant, *store, off * 60_000, 0, until).await?;
            tx.commit().await?;
            n += 1;
        }
        let offsets = merchant_offsets(&all);
        for merchant in rollups::all_merchants(pool).await? {
            let off = offsets.get(&merchant).copied().unwrap_or(DEFAULT_OFFSET_MIN);
            let mut tx = self.db().begin().await?;
            rollups::recompute_deals(&mut tx, merchant, off * 60_000, 0, until).await?;
            tx.commit().await?;
            n += 1;
        }
        rollups::set_watermark(pool, REFRESHER, now).await?;
        Ok(n)
    }

    /// Recomputes every day of one store (if given) and of its merchant's deal sales with their
    /// current time zones (after a store's offset changed or a store was added).
    pub async fn rebuild_store_rollups(&self, merchant: MerchantId, store: Option<StoreId>) -> Result<(), AppError> {
        let _one_at_a_time = REFRESH.lock().await;
        let pool = self.db().pool();
        let until = analytics::local_day(self.now().millis(), 0) + 2;
        let own = lokal_store::stores::list_for_merchant(pool, merchant, &StoreScope::All).await?;
        if let Some(s) = own.iter().find(|s| Some(s.id) == store) {
            let mut tx = self.db().begin().await?;
            rollups::recompute_store(&mut tx, merchant, s.id, s.utc_offset_min * 60_000, 0, until).await?;
            tx.commit().await?;
        }
        let off = own.iter().map(|s| s.utc_offset_min).min().unwrap_or(DEFAULT_OFFSET_MIN);
        let mut tx = self.db().begin().await?;
        rollups::recompute_deals(&mut tx, merchant, off * 60_000, 0, until).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Counts a view of a store's page (for the funnel) in memory; the next refresh writes it.
    pub fn count_store_view(&self, view: &crate::stores::StoreView) {
        let day = analytics::local_day(self.now().millis(), view.row.utc_offset_min);
        let mut pending = self.views.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *pending.entry((view.row.merchant_id, view.row.id, day)).or_default() += 1;
    }

    /// Writes the views counted in memory. Whatever is not written — the database refused, or
    /// the caller was cancelled mid-way — goes back for the next try (a write cancelled after
    /// its commit may then count twice: views are a soft figure; losing them would be worse).
    async fn flush_store_views(&self) -> Result<(), AppError> {
        struct Unwritten<'a> {
            views: &'a std::sync::Mutex<PendingViews>,
            left: PendingViews,
        }
        impl Drop for Unwritten<'_> {
            fn drop(&mut self) {
                let mut back = self.views.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                for (k, v) in self.left.drain() {
                    *back.entry(k).or_default() += v;
                }
            }
        }
        let taken = std::mem::take(&mut *self.views.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
        let mut pending = Unwritten { views: &self.views, left: taken };
        let keys: Vec<_> = pending.left.keys().copied().collect();
        for key in keys {
            let n = pending.left.get(&key).copied().unwrap_or(0);
            rollups::count_view(self.db().pool(), key.0, key.1, key.2, n).await?;
            pending.left.remove(&key);
        }
        Ok(())
    }

    /// Today's local day for a merchant's dashboards.
    pub async fn merchant_today(&self, merchant: MerchantId) -> Result<i64, AppError> {
        let off = merchant_offset(self.db().pool(), merchant).await?;
        Ok(analytics::local_day(self.now().millis(), off))
    }

    /// The platform's local day today.
    pub fn platform_today(&self) -> i64 {
        analytics::local_day(self.now().millis(), DEFAULT_OFFSET_MIN)
    }

    /// A merchant's dashboard — the whole brand (merchant-wide managers and owners) or one of its
    /// stores (managers of that store too).
    pub async fn merchant_dashboard(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        store: Option<StoreId>,
        period: Period,
    ) -> Result<Dashboard, AppError> {
        let slice = match store {
            None => {
                caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
                Slice::Merchant(merchant)
            }
            Some(s) => {
                caller.authorize(Scope::Store(merchant, s), StaffRole::Manager)?;
                let row = lokal_store::stores::get_by_id(self.db().pool(), s).await?;
                if row.is_none_or(|r| r.merchant_id != merchant) {
                    return Err(AppError::not_found("store"));
                }
                Slice::Store(merchant, s)
            }
        };
        self.dashboard(slice, period).await
    }

    /// The platform's dashboard. Operators.
    pub async fn platform_dashboard(&self, caller: &Principal, period: Period) -> Result<Dashboard, AppError> {
        caller.require_admin()?;
        self.dashboard(Slice::Platform, period).await
    }

    async fn dashboard(&self, slice: Slice, period: Period) -> Result<Dashboard, AppError> {
        self.refresh_rollups().await?;
        let pool = self.db().pool();
        let prev = period.previous();
        let all = rollups::days(pool, slice, prev.from, period.to).await?;
        let starts = period.buckets();
        let mut buckets: Vec<Bucket> = starts
            .iter()
            .map(|s| Bucket { start: *s, label: period.by.label(*s), figures: DayFigures::default() })
            .collect();
        let (mut total, mut previous) = (DayFigures::default(), DayFigures::default());
        for (day, f) in all {
            if day < period.from {
                previous += f;
                continue;
            }
            total += f;
            let i = starts.partition_point(|s| *s <= day).saturating_sub(1);
            if let Some(b) = buckets.get_mut(i) {
                b.figures += f;
            }
        }
        // Busy hours and best sellers are a merchant's questions; the platform's dashboard reads
        // only the daily rows (a year of a whole city stays fast).
        let (hours, top_items) = if slice == Slice::Platform {
            ([0; 24], Vec::new())
        } else {
            let items = rollups::top_items(pool, slice, period.from, period.to, 10)
                .await?
                .into_iter()
                .map(|(item_id, name, quantity, revenue)| TopItem { item_id, name, quantity, revenue })
                .collect();
            (rollups::hours(pool, slice, period.from, period.to).await?, items)
        };
        let (active_merchants, previous_active_merchants) = if slice == Slice::Platform {
            (
                Some(rollups::active_merchants(pool, period.from, period.to).await?),
                Some(rollups::active_merchants(pool, prev.from, prev.to).await?),
            )
        } else {
            (None, None)
        };
        // Reviews by the slice's local days (the merchant's offset for a brand, Shanghai's for the
        // platform).
        let off = match slice {
            Slice::Platform => DEFAULT_OFFSET_MIN,
            Slice::Merchant(m) => merchant_offset(pool, m).await?,
            Slice::Store(_, s) => {
                lokal_store::stores::get_by_id(pool, s).await?.map_or(DEFAULT_OFFSET_MIN, |r| r.utc_offset_min)
            }
        };
        let ms = |day: i64| day * rollups::DAY_MS - off * 60_000;
        let reviews = rollups::reviews_written(pool, slice, ms(period.from), ms(period.to)).await?;
        Ok(Dashboard {
            reviews,
            slice,
            period,
            buckets,
            total,
            previous,
            hours,
            top_items,
            active_merchants,
            previous_active_merchants,
        })
    }
}

/// Each merchant's time zone: its stores' smallest offset.
fn merchant_offsets(stores: &[(MerchantId, StoreId, i64)]) -> HashMap<MerchantId, i64> {
    let mut out: HashMap<MerchantId, i64> = HashMap::new();
    for (m, _, off) in stores {
        out.entry(*m).and_modify(|o| *o = (*o).min(*off)).or_insert(*off);
    }
    out
}

/// One merchant's time zone (the same rule, reading only its stores).
async fn merchant_offset(pool: &sqlx::AnyPool, merchant: MerchantId) -> Result<i64, AppError> {
    let own = lokal_store::stores::list_for_merchant(pool, merchant, &StoreScope::All).await?;
    Ok(own.iter().map(|s| s.utc_offset_min).min().unwrap_or(DEFAULT_OFFSET_MIN))
}

/// Consecutive days as `from..to` ranges.
fn runs(days: &BTreeSet<i64>) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for &d in days {
        match out.last_mut() {
            Some((_, to)) if *to == d => *to = d + 1,
            _ => out.push((d, d + 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn runs_join_consecutive_days() {
        let days = [3, 4, 5, 9, 11, 12].into_iter().collect();
        assert_eq!(super::runs(&days), [(3, 6), (9, 10), (11, 13)]);
    }
}
