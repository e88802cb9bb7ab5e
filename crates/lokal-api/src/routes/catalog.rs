//! The catalog: items (brand level), store overrides, and a store's menu.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path};
use crate::routes::ListJson;
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::catalog::MenuItem;
use lokal_core::catalog::{ItemJson, OptionGroupJson, StoreItemJson};
use lokal_core::{Currency, ItemId, MerchantId, Money, StoreId};
use lokal_store::catalog::ItemRow;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(create_item))
        .routes(routes!(update_item))
        .routes(routes!(menu))
        .routes(routes!(set_store_item))
}

/// An item.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ItemOut {
    /// The id.
    pub id: ItemId,
    /// The merchant.
    pub merchant_id: MerchantId,
    /// Name.
    pub name: String,
    /// Menu section.
    pub section: String,
    /// Description.
    pub description: String,
    /// Brand price.
    pub price: Money,
    /// Option groups.
    pub options: Vec<OptionGroupJson>,
    /// Its photo: `/media/{id}/w800.jpg` for an uploaded one (`w200.jpg` is its thumbnail), or
    /// a URL; null for none.
    pub photo: Option<String>,
}

fn photo_out(p: String) -> Option<String> {
    (!p.is_empty()).then_some(p)
}

fn item_out(i: ItemRow) -> ItemOut {
    ItemOut {
        photo: photo_out(i.photo),
        options: serde_json::from_str(&i.options_json).unwrap_or_default(),
        id: i.id,
        merchant_id: i.merchant_id,
        name: i.name,
        section: i.section,
        description: i.description,
        price: Money::new(i.price, Currency::CNY),
    }
}

/// An item as one store offers it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MenuItemOut {
    /// The item.
    pub id: ItemId,
    /// Name.
    pub name: String,
    /// Menu section.
    pub section: String,
    /// Description.
    pub description: String,
    /// The price at this store.
    pub price: Money,
    /// Units left, when counted.
    pub stock: Option<i64>,
    /// Orderable now.
    pub available: bool,
    /// Option groups.
    pub options: Vec<OptionGroupJson>,
    /// Its photo (as in [`ItemOut`]), or null.
    pub photo: Option<String>,
}

fn menu_out(m: MenuItem) -> MenuItemOut {
    MenuItemOut {
        photo: photo_out(m.item.photo),
        id: m.item.id,
        name: m.item.name,
        section: m.item.section,
        description: m.item.description,
        price: Money::new(m.price, Currency::CNY),
        stock: m.stock,
        available: m.available,
        options: m.options,
    }
}

/// Add an item to the merchant's catalog (every store offers it). Merchant-wide managers and owners.
#[utoipa::path(post, path = "/api/v1/merchants/{merchant_id}/items", tag = "catalog", params(("merchant_id" = MerchantId, Path, description = "The merchant")),
    request_body = ItemJson, security(("bearer" = [])), responses((status = 201, body = ItemOut)))]
async fn create_item(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
    Json(b): Json<ItemJson>,
) -> ApiResult<(StatusCode, Json<ItemOut>)> {
    Ok((StatusCode::CREATED, Json(item_out(ctx.app.create_item(&caller, id, b).await?))))
}

/// Replace an item; its new name is searchable at once. Merchant-wide managers and owners.
#[utoipa::path(put, path = "/api/v1/items/{item_id}", tag = "catalog", params(("item_id" = ItemId, Path, description = "The item")),
    request_body = ItemJson, security(("bearer" = [])), responses((status = 200, body = ItemOut)))]
async fn update_item(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<ItemId>,
    Json(b): Json<ItemJson>,
) -> ApiResult<Json<ItemOut>> {
    Ok(Json(item_out(ctx.app.update_item(&caller, id, b).await?)))
}

/// A store's menu as customers see it: store prices, stock and availability. No login needed.
#[utoipa::path(get, path = "/api/v1/stores/{store_id}/menu", tag = "catalog", params(("store_id" = StoreId, Path, description = "The store")), responses((status = 200, body = ListJson<MenuItemOut>)))]
async fn menu(State(ctx): State<Ctx>, Path(id): Path<StoreId>) -> ApiResult<Json<ListJson<MenuItemOut>>> {
    let items = ctx.app.menu(id).await?.into_iter().map(menu_out).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Set a store's price, stock or sold-out switch for an item. Staff of the store, clerks included.
#[utoipa::path(put, path = "/api/v1/stores/{store_id}/items/{item_id}", tag = "catalog",
    params(("store_id" = StoreId, Path, description = "The store"), ("item_id" = ItemId, Path, description = "The item")),
    request_body = StoreItemJson, security(("bearer" = [])), responses((status = 200, body = MenuItemOut)))]
async fn set_store_item(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path((store, item)): Path<(StoreId, ItemId)>,
    Json(b): Json<StoreItemJson>,
) -> ApiResult<Json<MenuItemOut>> {
    Ok(Json(menu_out(ctx.app.set_store_item(&caller, store, item, b).await?)))
}
