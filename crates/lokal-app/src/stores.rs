//! Stores and their public profiles. Every change is written to the database and then to the
//! discovery index, so it is findable at once.

use crate::{App, AppError};
use lokal_core::hours::{OpeningHours, OpeningHoursJson};
use lokal_core::store::{Category, LatLngJson, StoreProfile, StoreProfileJson};
use lokal_core::{ErrorCode, FieldError, MerchantId, Principal, Scope, StaffRole, StoreId, Timestamp};
use lokal_store::stores::{self, StoreRow};

/// The parts of a profile kept as JSON.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
struct Details {
    #[serde(default)]
    hours: OpeningHoursJson,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    photos: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    delivery_area: Vec<LatLngJson>,
}

/// A store with its profile decoded, as the API and pages show it.
#[derive(Debug, Clone)]
pub struct StoreView {
    /// The stored row (ids, flags, figures).
    pub row: StoreRow,
    /// The checked profile.
    pub profile: StoreProfile,
}

/// Writes a profile into a row.
fn apply(row: &mut StoreRow, p: &StoreProfile) -> Result<(), AppError> {
    let (lat, lng) = p.location.map(|l| l.to_e7()).unzip();
    row.name = p.name.clone();
    row.category = p.category.as_str().to_owned();
    row.address = p.address.clone();
    row.lat_e7 = lat;
    row.lng_e7 = lng;
    row.phone = p.phone.clone();
    row.utc_offset_min = i64::from(p.utc_offset_min);
    row.avg_price = p.avg_price;
    row.delivery = p.delivery;
    row.pickup = p.pickup;
    row.dine_in = p.dine_in;
    row.delivery_radius_m = p.delivery_radius_m.map(i64::from);
    let delivery_area = p
        .delivery_area
        .as_ref()
        .map_or_else(Vec::new, |a| a.points().iter().map(|q| LatLngJson { lat: q.lat(), lng: q.lng() }).collect());
    let details = Details { hours: p.hours.to_json(), tags: p.tags.clone(), photos: p.photos.clone(), delivery_area };
    row.details_json = serde_json::to_string(&details).map_err(AppError::internal)?;
    Ok(())
}

/// Reads the profile back out of a row. Rows are written only through [`apply`], so a failure
/// here means the database was edited by hand.
pub fn profile_of(row: &StoreRow) -> Result<StoreProfile, AppError> {
    let details: Details = serde_json::from_str(&row.details_json).map_err(AppError::internal)?;
    let location = match (row.lat_e7, row.lng_e7) {
        (Some(a), Some(b)) => Some(lokal_core::geo::LatLng::from_e7(a, b).map_err(AppError::internal)?),
        _ => None,
    };
    Ok(StoreProfile {
        name: row.name.clone(),
        category: Category::parse("category", &row.category).map_err(AppError::internal)?,
        address: row.address.clone(),
        location,
        phone: row.phone.clone(),
        utc_offset_min: i32::try_from(row.utc_offset_min).unwrap_or(480),
        hours: OpeningHours::parse(&details.hours).map_err(AppError::internal)?,
        avg_price: row.avg_price,
        tags: details.tags,
        photos: details.photos,
        delivery: row.delivery,
        pickup: row.pickup,
        dine_in: row.dine_in,
        delivery_radius_m: row.delivery_radius_m.and_then(|r| u32::try_from(r).ok()),
        delivery_area: if details.delivery_area.is_empty() {
            None
        } else {
            let points: Vec<(f64, f64)> = details.delivery_area.iter().map(|q| (q.lat, q.lng)).collect();
            Some(lokal_core::geo::Polygon::new("delivery_area", &points).map_err(AppError::internal)?)
        },
    })
}

/// The location as JSON.
pub fn location_json(p: &StoreProfile) -> Option<LatLngJson> {
    p.location.map(|l| LatLngJson { lat: l.lat(), lng: l.lng() })
}

impl App {
    fn view(&self, row: StoreRow) -> Result<StoreView, AppError> {
        let profile = profile_of(&row)?;
        Ok(StoreView { row, profile })
    }

    fn index_store(&self, view: &StoreView) {
        self.with_discovery(|d| d.put(view));
    }

    /// Writes many stores at once without per-store checks of the caller: only the demo seed
    /// of large cities calls this (operators' tooling, not an API). Profiles are still validated.
    pub async fn bulk_insert_stores(
        &self,
        stores: Vec<(MerchantId, StoreProfileJson, i64, i64)>,
    ) -> Result<usize, AppError> {
        let now = self.now();
        let mut rows = Vec::with_capacity(stores.len());
        for (merchant, json, rating_x100, monthly_sales) in stores {
            let profile = StoreProfile::parse(json)?;
            let mut row = blank_row(merchant, now);
            apply(&mut row, &profile)?;
            row.rating_x100 = rating_x100;
            row.monthly_sales = monthly_sales;
            rows.push(row);
        }
        let mut tx = self.db().begin().await?;
        stores::insert_many(&mut tx, &rows).await?;
        tx.commit().await?;
        Ok(rows.len())
    }

    /// A delivery radius is at most the platform's maximum (orders beyond it are refused whatever
    /// the store's area says).
    fn check_reach(&self, profile: &StoreProfile) -> Result<(), AppError> {
        let max = self.delivery_settings().max_delivery_radius_m;
        match profile.delivery_radius_m {
            Some(r) if r > max => Err(FieldError::new(
                "delivery_radius_m",
                lokal_core::Msg::new("field-metres-range").with("min", 1).with("max", max),
            )
            .into()),
            _ => Ok(()),
        }
    }

    /// Opens a store. Merchant-wide managers and owners.
    pub async fn create_store(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        profile: StoreProfileJson,
    ) -> Result<StoreView, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        let profile = StoreProfile::parse(profile)?;
        self.check_reach(&profile)?;
        self.merchant(caller, merchant).await?;
        self.check_photos("photos", &profile.photos).await?;
        let mut row = blank_row(merchant, self.now());
        apply(&mut row, &profile)?;
        stores::insert(self.db().pool(), &row).await?;
        let view = StoreView { row, profile };
        self.index_store(&view);
        // The merchant's time zone for deal sales may have changed with this store.
        self.rebuild_store_rollups(merchant, None).await?;
        Ok(view)
    }

    /// Replaces a store's profile. Managers (and owners) whose grant covers the store.
    pub async fn update_store(
        &self,
        caller: &Principal,
        id: StoreId,
        profile: StoreProfileJson,
    ) -> Result<StoreView, AppError> {
        let mut row = self.store_row(caller, id, StaffRole::Manager).await?;
        let offset_before = row.utc_offset_min;
        let profile = StoreProfile::parse(profile)?;
        self.check_reach(&profile)?;
        self.check_photos("photos", &profile.photos).await?;
        apply(&mut row, &profile)?;
        row.updated_at = self.now();
        if !stores::update_profile(self.db().pool(), &row).await? {
            return Err(AppError::not_found("store"));
        }
        let view = StoreView { row, profile };
        self.index_store(&view);
        if view.row.utc_offset_min != offset_before {
            // Its local days moved: its rollups (and its merchant's deal sales) are redone.
            self.rebuild_store_rollups(view.row.merchant_id, Some(id)).await?;
        }
        Ok(view)
    }

    /// The stores of a merchant that the caller may see.
    pub async fn stores(&self, caller: &Principal, merchant: MerchantId) -> Result<Vec<StoreView>, AppError> {
        let scope = caller
            .visible_stores(merchant)
            .ok_or_else(|| AppError::new(ErrorCode::Forbidden, "err-not-staff-of-merchant"))?;
        self.merchant(caller, merchant).await?;
        stores::list_for_merchant(self.db().pool(), merchant, &scope).await?.into_iter().map(|r| self.view(r)).collect()
    }

    /// One store's public profile, for anyone.
    pub async fn public_store(&self, id: StoreId) -> Result<StoreView, AppError> {
        let row = stores::get_by_id(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("store"))?;
        self.view(row)
    }

    /// Whether the caller manages the store (may change its profile and settings): pages show
    /// those forms and links only then.
    pub async fn manages_store(&self, caller: &Principal, id: StoreId) -> bool {
        self.store_row(caller, id, StaffRole::Manager).await.is_ok()
    }

    pub(crate) async fn store_row(
        &self,
        caller: &Principal,
        id: StoreId,
        min: StaffRole,
    ) -> Result<StoreRow, AppError> {
        match stores::get_by_id(self.db().pool(), id).await? {
            Some(s) => {
                caller.require(&s, min)?;
                Ok(s)
            }
            // Refuse before saying whether it exists, unless the caller is an operator.
            None if caller.is_admin() => Err(AppError::not_found("store")),
            None => Err(AppError::new(ErrorCode::Forbidden, "err-not-staff-of-store")),
        }
    }
}

/// A row to fill with [`apply`].
fn blank_row(merchant: MerchantId, now: Timestamp) -> StoreRow {
    StoreRow {
        id: StoreId::generate(),
        merchant_id: merchant,
        name: String::new(),
        created_at: now,
        category: String::new(),
        address: String::new(),
        lat_e7: None,
        lng_e7: None,
        phone: None,
        utc_offset_min: 480,
        avg_price: None,
        delivery: false,
        pickup: false,
        dine_in: true,
        delivery_radius_m: None,
        rating_x100: 0,
        review_count: 0,
        monthly_sales: 0,
        details_json: String::new(),
        updated_at: now,
    }
}
