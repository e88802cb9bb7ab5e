//! Platform operators' verbs: the first admin, platform-wide roles, the user list.

use crate::accounts::{Registration, unique_conflict};
use crate::page::{Page, PageRequest};
use crate::{App, AppError};
use lokal_core::account::Email;
use lokal_core::{ErrorCode, Grant, GrantId, Principal, Role, StoreScope, UserId};
use lokal_store::grants::{self, NewGrant};
use lokal_store::users::{self, UserRow};

impl App {
    /// Makes the account with `email` a platform admin, creating it with `password` if it does
    /// not exist (the `lokal admin create` command). Returns the account and whether it was new.
    pub async fn create_admin(&self, email: &str, password: &str) -> Result<(UserRow, bool), AppError> {
        let normalised = Email::parse("email", email)?;
        let (user, created) = match users::find_by_login(self.db().pool(), normalised.as_str()).await? {
            Some(u) => (u, false),
            None => {
                let reg = Registration {
                    email: Some(email.to_owned()),
                    password: password.to_owned(),
                    ..Registration::default()
                };
                (self.create_account(reg).await?, true)
            }
        };
        match self.insert_grant(user.id, Role::PlatformAdmin, None, StoreScope::All).await {
            Ok(_) => {}
            Err(e) if e.code == ErrorCode::Conflict => {} // already an admin
            Err(e) => return Err(e),
        }
        Ok((user, created))
    }

    /// Grants a platform-wide role (admin, rider, promoter) to a user. Operators only.
    pub async fn grant_platform_role(&self, caller: &Principal, user: UserId, role: Role) -> Result<Grant, AppError> {
        caller.require_admin()?;
        if matches!(role, Role::Staff(_)) {
            return Err(AppError {
                field: Some("role".into()),
                ..AppError::new(ErrorCode::ValidationFailed, "field-role-staff-by-merchant")
            });
        }
        users::get_by_id(self.db().pool(), user).await?.ok_or_else(|| AppError::not_found("user"))?;
        self.insert_grant(user, role, None, StoreScope::All).await
    }

    /// Revokes a platform-wide role (operators, with a reason; audited). A rider losing the role
    /// goes off shift first (refused while carrying food); nobody revokes their own operator role.
    pub async fn revoke_platform_role(
        &self,
        caller: &Principal,
        user: UserId,
        role: Role,
        reason: &str,
    ) -> Result<(), AppError> {
        caller.require_admin()?;
        let reason = crate::fulfil::reason_text(reason)?;
        if matches!(role, Role::Staff(_)) {
            return Err(AppError {
                field: Some("role".into()),
                ..AppError::new(ErrorCode::ValidationFailed, "field-role-staff-by-merchant")
            });
        }
        if user == caller.user_id && role == Role::PlatformAdmin {
            return Err(AppError::new(ErrorCode::Conflict, "err-own-admin"));
        }
        let now = self.now();
        let mut tx = self.db().begin().await?;
        if !grants::remove_platform(&mut tx, user, &role).await? {
            return Err(AppError::new(ErrorCode::NotFound, "err-no-such-grant"));
        }
        if role == Role::Rider {
            self.close_shift(&mut tx, user, Some(caller.user_id), "rider role revoked", now).await?;
        }
        tx.commit().await?;
        self.audit(
            Some(caller.user_id),
            "grant.revoked",
            format!("user:{user}"),
            format!("{}: {reason}", role.as_str()),
        )
        .await?;
        self.wake_dispatcher();
        Ok(())
    }

    /// Disables an account (operators, with a reason; audited): every session of it ends at once
    /// and it cannot log in until enabled again. Nobody disables their own account.
    pub async fn disable_user(&self, caller: &Principal, user: UserId, reason: &str) -> Result<(), AppError> {
        caller.require_admin()?;
        let reason = crate::fulfil::reason_text(reason)?;
        if user == caller.user_id {
            return Err(AppError::new(ErrorCode::Conflict, "err-own-admin"));
        }
        let now = self.now();
        let mut tx = self.db().begin().await?;
        if !users::set_disabled(&mut *tx, user, true).await? {
            return Err(AppError::not_found("user"));
        }
        // A rider disabled mid-shift: their tasks not picked up go back to the dispatcher.
        self.close_shift(&mut tx, user, Some(caller.user_id), "account disabled", now).await?;
        lokal_store::sessions::delete_for_user(&mut *tx, user).await?;
        tx.commit().await?;
        self.audit(Some(caller.user_id), "user.disabled", format!("user:{user}"), reason).await?;
        self.wake_dispatcher();
        Ok(())
    }

    /// Enables a disabled account again (operators; audited).
    pub async fn enable_user(&self, caller: &Principal, user: UserId, reason: &str) -> Result<(), AppError> {
        caller.require_admin()?;
        let reason = crate::fulfil::reason_text(reason)?;
        if !users::set_disabled(self.db().pool(), user, false).await? {
            return Err(AppError::not_found("user"));
        }
        self.audit(Some(caller.user_id), "user.enabled", format!("user:{user}"), reason).await?;
        Ok(())
    }

    /// The grants an account holds. Operators only.
    pub async fn user_grants(&self, caller: &Principal, user: UserId) -> Result<Vec<Grant>, AppError> {
        caller.require_admin()?;
        Ok(grants::for_user(self.db().pool(), user).await?)
    }

    /// Every account, a page at a time. Operators only.
    pub async fn list_users(&self, caller: &Principal, page: PageRequest<UserId>) -> Result<Page<UserRow>, AppError> {
        caller.require_admin()?;
        let rows = users::list(self.db().pool(), page.after, page.limit + 1).await?;
        Ok(Page::from_overfetch(rows, page.limit, |u| u.id.to_string()))
    }

    /// Stores one grant; `conflict` if the user already holds that role or a grant on that merchant.
    pub(crate) async fn insert_grant(
        &self,
        user: UserId,
        role: Role,
        merchant: Option<lokal_core::MerchantId>,
        stores: StoreScope,
    ) -> Result<Grant, AppError> {
        let g = NewGrant {
            id: GrantId::generate(),
            user_id: user,
            role,
            merchant_id: merchant,
            stores,
            created_at: self.now(),
        };
        let mut tx = self.db().begin().await?;
        grants::insert(&mut tx, &g)
            .await
            .map_err(|e| unique_conflict(e, "grants_user_scope_key", lokal_core::Msg::new("err-role-held")))?;
        tx.commit().await?;
        Ok(Grant { id: g.id, role: g.role, merchant_id: g.merchant_id, stores: g.stores })
    }
}
