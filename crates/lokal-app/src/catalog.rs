//! The catalog: brand-level items, store overrides (price, stock, sold out) and the menu a
//! customer sees at one store. Item names are searchable as part of every store of the merchant.

use crate::discovery::MenuEntry;
use crate::stores::profile_of;
use crate::{App, AppError};
use lokal_core::catalog::{ItemContent, ItemJson, OptionGroupJson, StoreItemJson};
use lokal_core::{ErrorCode, ItemId, MerchantId, Principal, Scope, StaffRole, StoreId, StoreScope};
use lokal_store::catalog::{self as store, ItemRow, StoreItemRow};
use lokal_store::stores;

/// An item as a store offers it.
#[derive(Debug, Clone)]
pub struct MenuItem {
    /// The brand-level item.
    pub item: ItemRow,
    /// Its option groups.
    pub options: Vec<OptionGroupJson>,
    /// The price at this store (the store's override or the brand price).
    pub price: i64,
    /// Units left, when counted.
    pub stock: Option<i64>,
    /// Orderable now: not sold out and not out of stock.
    pub available: bool,
}

fn options_of(item: &ItemRow) -> Result<Vec<OptionGroupJson>, AppError> {
    serde_json::from_str(&item.options_json).map_err(AppError::internal)
}

impl App {
    /// Adds an item to a merchant's catalog. Merchant-wide managers and owners.
    pub async fn create_item(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        item: ItemJson,
    ) -> Result<ItemRow, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        let content = ItemContent::parse(item)?;
        self.merchant(caller, merchant).await?;
        self.check_photo("photo", &content.photo).await?;
        let now = self.now();
        let row = ItemRow {
            id: ItemId::generate(),
            merchant_id: merchant,
            name: content.name,
            section: content.section,
            description: content.description,
            price: content.price,
            options_json: serde_json::to_string(&content.options).map_err(AppError::internal)?,
            photo: content.photo,
            created_at: now,
            updated_at: now,
        };
        store::insert(self.db().pool(), &row).await?;
        self.reindex_menu(merchant).await?;
        Ok(row)
    }

    /// Replaces an item. Merchant-wide managers and owners of its merchant.
    pub async fn update_item(&self, caller: &Principal, id: ItemId, item: ItemJson) -> Result<ItemRow, AppError> {
        let mut row = self.item_for(caller, id, StaffRole::Manager).await?;
        let content = ItemContent::parse(item)?;
        self.check_photo("photo", &content.photo).await?;
        row.name = content.name;
        row.section = content.section;
        row.description = content.description;
        row.price = content.price;
        row.options_json = serde_json::to_string(&content.options).map_err(AppError::internal)?;
        row.photo = content.photo;
        row.updated_at = self.now();
        if !store::update(self.db().pool(), &row).await? {
            return Err(AppError::not_found("item"));
        }
        self.reindex_menu(row.merchant_id).await?;
        Ok(row)
    }

    /// A merchant's catalog, for its staff.
    pub async fn items(&self, caller: &Principal, merchant: MerchantId) -> Result<Vec<ItemRow>, AppError> {
        self.merchant(caller, merchant).await?;
        Ok(store::list_for_merchant(self.db().pool(), merchant).await?)
    }

    /// One item with its option groups, for staff of its merchant.
    pub async fn item(&self, caller: &Principal, id: ItemId) -> Result<(ItemRow, Vec<OptionGroupJson>), AppError> {
        let row = match store::get_by_id(self.db().pool(), id).await? {
            Some(item) if caller.is_staff_of(item.merchant_id) => item,
            Some(_) => return Err(AppError::new(ErrorCode::Forbidden, "err-not-staff-of-item-merchant")),
            None => return Err(AppError::not_found("item")),
        };
        let options = options_of(&row)?;
        Ok((row, options))
    }

    async fn item_for(&self, caller: &Principal, id: ItemId, min: StaffRole) -> Result<ItemRow, AppError> {
        match store::get_by_id(self.db().pool(), id).await? {
            Some(item) => {
                caller.authorize(Scope::Merchant(item.merchant_id), min)?;
                Ok(item)
            }
            None if caller.is_admin() => Err(AppError::not_found("item")),
            None => Err(AppError::new(ErrorCode::Forbidden, "err-not-staff-of-item-merchant")),
        }
    }

    /// Sets a store's price, stock or sold-out switch for an item. Staff whose grant covers the
    /// store (clerks too: marking a dish sold out is their job).
    pub async fn set_store_item(
        &self,
        caller: &Principal,
        store: StoreId,
        item: ItemId,
        o: StoreItemJson,
    ) -> Result<MenuItem, AppError> {
        o.check()?;
        let row = match stores::get_by_id(self.db().pool(), store).await? {
            Some(s) => s,
            None if caller.is_admin() => return Err(AppError::not_found("store")),
            None => return Err(AppError::new(ErrorCode::Forbidden, "err-not-staff-of-store")),
        };
        caller.require(&row, StaffRole::Clerk)?;
        let item_row = store::get_by_id(self.db().pool(), item).await?.filter(|i| i.merchant_id == row.merchant_id);
        let item_row = item_row.ok_or_else(|| AppError::not_found("item"))?;
        let o = StoreItemRow { price: o.price, stock: o.stock, sold_out: o.sold_out };
        store::set_override(self.db().pool(), store, item, &o).await?;
        menu_item(item_row, Some(&o))
    }

    /// The menu of a store as customers see it, by section then creation order.
    pub async fn menu(&self, store: StoreId) -> Result<Vec<MenuItem>, AppError> {
        let row = stores::get_by_id(self.db().pool(), store).await?.ok_or_else(|| AppError::not_found("store"))?;
        self.menu_at(&row).await
    }

    /// [`App::menu`] of a store already read (its page reads it once for everything it shows).
    pub async fn menu_at(&self, row: &lokal_store::stores::StoreRow) -> Result<Vec<MenuItem>, AppError> {
        let store = row.id;
        let mut menu = store::with_overrides(self.db().pool(), row.merchant_id, store)
            .await?
            .into_iter()
            .map(|(item, o)| menu_item(item, o.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        menu.sort_by(|a, b| a.item.section.cmp(&b.item.section).then(a.item.id.cmp(&b.item.id)));
        Ok(menu)
    }

    /// Re-indexes every store of `merchant` with its current item names.
    async fn reindex_menu(&self, merchant: MerchantId) -> Result<(), AppError> {
        let entries: Vec<MenuEntry> = store::list_for_merchant(self.db().pool(), merchant)
            .await?
            .into_iter()
            .map(|i| MenuEntry::new(i.id, i.name, i.price))
            .collect();
        let rows = stores::list_for_merchant(self.db().pool(), merchant, &StoreScope::All).await?;
        let views = rows
            .into_iter()
            .map(|row| Ok(crate::stores::StoreView { profile: profile_of(&row)?, row }))
            .collect::<Result<Vec<_>, AppError>>()?;
        self.with_discovery(|d| {
            d.menus.insert(merchant, entries);
            for v in &views {
                d.put(v);
            }
        });
        Ok(())
    }
}

fn menu_item(item: ItemRow, o: Option<&StoreItemRow>) -> Result<MenuItem, AppError> {
    let options = options_of(&item)?;
    let price = o.and_then(|o| o.price).unwrap_or(item.price);
    let stock = o.and_then(|o| o.stock);
    let available = !o.is_some_and(|o| o.sold_out) && stock != Some(0);
    Ok(MenuItem { item, options, price, stock, available })
}
