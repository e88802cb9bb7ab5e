//! Merchants and their staff. Stores are in [`crate::stores`].

use crate::{App, AppError};
use lokal_core::account::{DisplayName, LoginId};
use lokal_core::{ErrorCode, FieldError, Grant, MerchantId, Principal, Role, Scope, StaffRole, StoreScope, UserId};
use lokal_store::merchants::{self, MerchantRow};
use lokal_store::stores;
use lokal_store::{grants, users};

impl App {
    /// Creates a merchant, optionally with an owner. Operators only.
    pub async fn create_merchant(
        &self,
        caller: &Principal,
        name: &str,
        owner: Option<UserId>,
    ) -> Result<MerchantRow, AppError> {
        caller.require_admin()?;
        let name = DisplayName::parse("name", name)?;
        if let Some(owner) = owner {
            users::get_by_id(self.db().pool(), owner)
                .await?
                .ok_or_else(|| FieldError::new("owner_user_id", "field-no-such-user"))?;
        }
        let m =
            MerchantRow { id: MerchantId::generate(), name: name.as_str().to_owned(), created_at: self.now().millis() };
        merchants::insert(self.db().pool(), &m).await?;
        if let Some(owner) = owner {
            self.insert_grant(owner, Role::Staff(StaffRole::Owner), Some(m.id), StoreScope::All).await?;
        }
        Ok(m)
    }

    /// A merchant, for its staff (any store) and operators.
    pub async fn merchant(&self, caller: &Principal, id: MerchantId) -> Result<MerchantRow, AppError> {
        if !caller.is_staff_of(id) {
            return Err(AppError::new(ErrorCode::Forbidden, "err-not-staff-of-merchant"));
        }
        merchants::get_merchant(self.db().pool(), id).await?.ok_or_else(|| AppError::not_found("merchant"))
    }

    /// Adds an existing account (by e-mail or phone) to a merchant's staff. Managers may add
    /// clerks; owners may add anyone. Store lists must name the merchant's own stores.
    pub async fn add_staff(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        login: &str,
        role: StaffRole,
        stores: StoreScope,
    ) -> Result<(users::UserRow, Grant), AppError> {
        let needed = if role >= StaffRole::Manager { StaffRole::Owner } else { StaffRole::Manager };
        caller.authorize(Scope::Merchant(merchant), needed)?;
        self.merchant(caller, merchant).await?;
        let login = LoginId::parse("login", login)?;
        let user = users::find_by_login(self.db().pool(), login.key())
            .await?
            .ok_or_else(|| FieldError::new("login", "field-no-such-login"))?;
        if let StoreScope::Only(ids) = &stores {
            if ids.is_empty() {
                return Err(FieldError::new("stores", "field-staff-stores").into());
            }
            let own = stores::list_for_merchant(self.db().pool(), merchant, &StoreScope::All).await?;
            if let Some(bad) = ids.iter().find(|id| !own.iter().any(|s| s.id == **id)) {
                return Err(FieldError::new(
                    "stores",
                    lokal_core::Msg::new("field-store-id-not-of-merchant").with("store", bad.to_string()),
                )
                .into());
            }
        }
        let grant = self.insert_grant(user.id, Role::Staff(role), Some(merchant), stores).await?;
        Ok((user, grant))
    }

    /// Takes a member off the merchant's staff; their sessions lose access on the next request.
    /// Managers remove clerks; owners remove anyone, but the last owner stays.
    pub async fn remove_staff(&self, caller: &Principal, merchant: MerchantId, user: UserId) -> Result<(), AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        let staff = self.staff(caller, merchant).await?;
        let role_of = |g: &Grant| match g.role {
            Role::Staff(r) => r,
            _ => StaffRole::Clerk,
        };
        let target = staff.iter().find(|(id, _, _)| *id == user).ok_or_else(|| AppError::not_found("staff member"))?;
        let role = role_of(&target.2);
        if role >= StaffRole::Manager {
            caller.authorize(Scope::Merchant(merchant), StaffRole::Owner)?;
        }
        if role == StaffRole::Owner && staff.iter().filter(|(_, _, g)| role_of(g) == StaffRole::Owner).count() == 1 {
            return Err(AppError::new(ErrorCode::Conflict, "err-last-owner"));
        }
        let mut tx = self.db().begin().await?;
        grants::remove(&mut tx, user, merchant).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The merchant's staff with their grants. Merchant-wide managers and owners.
    pub async fn staff(
        &self,
        caller: &Principal,
        merchant: MerchantId,
    ) -> Result<Vec<(UserId, String, Grant)>, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        self.merchant(caller, merchant).await?;
        Ok(grants::staff_of(self.db().pool(), merchant).await?)
    }
}
