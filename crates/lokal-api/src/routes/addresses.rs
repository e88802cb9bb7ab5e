//! The caller's address book: `GET|POST /api/v1/me/addresses`,
//! `PUT|DELETE /api/v1/me/addresses/{id}`.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path};
use crate::routes::ListJson;
use axum::extract::State;
use axum::http::StatusCode;
use lokal_core::Timestamp;
use lokal_core::address::AddressInput;
use lokal_core::store::LatLngJson;
use lokal_store::addresses::AddressRow;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(list, add)).routes(routes!(update, remove))
}

/// A saved address.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AddressJson {
    /// The id checkout and quotes refer to (`address_id`).
    pub id: String,
    /// `家`, `公司`, … (may be empty).
    pub label: String,
    /// Who receives the order.
    pub contact_name: String,
    /// Their phone, E.164.
    pub contact_phone: String,
    /// The address as a rider reads it.
    pub address: String,
    /// Door, floor or room.
    pub door: String,
    /// The pin placed on the map.
    pub location: LatLngJson,
    /// Saved.
    pub created_at: Timestamp,
    /// Last saved or used for an order; the list is newest first.
    pub used_at: Timestamp,
}

/// The address as the API shows it.
pub fn address_json(r: AddressRow) -> AddressJson {
    AddressJson {
        location: LatLngJson { lat: r.lat_e7 as f64 / 1e7, lng: r.lng_e7 as f64 / 1e7 },
        id: r.id,
        label: r.label,
        contact_name: r.contact_name,
        contact_phone: r.contact_phone,
        address: r.address,
        door: r.door,
        created_at: r.created_at,
        used_at: r.used_at,
    }
}

/// My addresses, most recently used first (at most 50 are kept).
#[utoipa::path(get, path = "/api/v1/me/addresses", tag = "accounts", security(("bearer" = [])),
    responses((status = 200, body = ListJson<AddressJson>)))]
async fn list(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<AddressJson>>> {
    let items = ctx.app.my_addresses(&caller).await?.into_iter().map(address_json).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Save an address. A bad field is `422` naming it; the 51st address is `422` naming `address`.
#[utoipa::path(post, path = "/api/v1/me/addresses", tag = "accounts", security(("bearer" = [])), request_body = AddressInput,
    responses((status = 201, body = AddressJson), (status = 422, body = crate::error::ErrorBody)))]
async fn add(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Json(b): Json<AddressInput>,
) -> ApiResult<(StatusCode, Json<AddressJson>)> {
    Ok((StatusCode::CREATED, Json(address_json(ctx.app.add_address(&caller, &b).await?))))
}

/// Replace one of my addresses; orders placed with it keep what it said then.
#[utoipa::path(put, path = "/api/v1/me/addresses/{address_id}", tag = "accounts", security(("bearer" = [])),
    params(("address_id" = String, Path, description = "The address")), request_body = AddressInput,
    responses((status = 200, body = AddressJson), (status = 404, body = crate::error::ErrorBody)))]
async fn update(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<String>,
    Json(b): Json<AddressInput>,
) -> ApiResult<Json<AddressJson>> {
    Ok(Json(address_json(ctx.app.update_address(&caller, &id, &b).await?)))
}

/// Delete one of my addresses.
#[utoipa::path(delete, path = "/api/v1/me/addresses/{address_id}", tag = "accounts", security(("bearer" = [])),
    params(("address_id" = String, Path, description = "The address")),
    responses((status = 204, description = "Deleted"), (status = 404, body = crate::error::ErrorBody)))]
async fn remove(State(ctx): State<Ctx>, Caller(caller, _): Caller, Path(id): Path<String>) -> ApiResult<StatusCode> {
    ctx.app.delete_address(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
