//! Address books (issue H): a person saves delivery addresses — label, who receives, their
//! phone, the address, the door, and the pin they placed on a map — and checkout picks one.
//! Only the owner sees or changes an address; anyone else's id is `not_found`.

use crate::{App, AppError};
use lokal_core::address::{Address, AddressInput, MAX_ADDRESSES, too_many};
use lokal_core::geo::LatLng;
use lokal_core::{ErrorCode, Principal, Timestamp};
use lokal_store::addresses::{self, AddressRow};

fn row_of(id: String, caller: &Principal, a: &Address, created_at: Timestamp, now: Timestamp) -> AddressRow {
    let (lat_e7, lng_e7) = a.location.to_e7();
    AddressRow {
        id,
        user_id: caller.user_id,
        label: a.label.clone(),
        contact_name: a.contact_name.clone(),
        contact_phone: a.contact_phone.as_str().to_owned(),
        address: a.address.clone(),
        door: a.door.clone(),
        lat_e7,
        lng_e7,
        created_at,
        used_at: now,
    }
}

fn not_found() -> AppError {
    AppError::new(ErrorCode::NotFound, "address-not-found")
}

/// The pin of a saved address.
pub fn location_of(r: &AddressRow) -> Option<LatLng> {
    LatLng::from_e7(r.lat_e7, r.lng_e7).ok()
}

impl App {
    /// The caller's addresses, most recently used first.
    pub async fn my_addresses(&self, caller: &Principal) -> Result<Vec<AddressRow>, AppError> {
        Ok(addresses::for_user(self.db().pool(), caller.user_id).await?)
    }

    /// One of the caller's addresses.
    pub async fn my_address(&self, caller: &Principal, id: &str) -> Result<AddressRow, AppError> {
        addresses::get_for(self.db().pool(), caller.user_id, id).await?.ok_or_else(not_found)
    }

    /// Saves a new address for the caller (at most 50).
    pub async fn add_address(&self, caller: &Principal, input: &AddressInput) -> Result<AddressRow, AppError> {
        let a = input.parse()?;
        let now = self.now();
        let mut tx = self.db().begin().await?;
        if addresses::count(&mut *tx, caller.user_id).await? >= i64::try_from(MAX_ADDRESSES).unwrap_or(i64::MAX) {
            return Err(too_many().into());
        }
        let row = row_of(uuid::Uuid::now_v7().to_string(), caller, &a, now, now);
        addresses::insert(&mut *tx, &row).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Replaces one of the caller's addresses (orders placed with it keep their snapshot).
    pub async fn update_address(
        &self,
        caller: &Principal,
        id: &str,
        input: &AddressInput,
    ) -> Result<AddressRow, AppError> {
        let old = self.my_address(caller, id).await?;
        let a = input.parse()?;
        let row = row_of(old.id, caller, &a, old.created_at, self.now());
        if !addresses::update(self.db().pool(), &row).await? {
            return Err(not_found());
        }
        Ok(row)
    }

    /// Deletes one of the caller's addresses.
    pub async fn delete_address(&self, caller: &Principal, id: &str) -> Result<(), AppError> {
        if addresses::delete(self.db().pool(), caller.user_id, id).await? { Ok(()) } else { Err(not_found()) }
    }
}
