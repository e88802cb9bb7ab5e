//! Merchants and their staff. Stores are in [`crate::stores`].

use crate::{App, AppError};
use lokal_core::access::InvitationStatus;
use lokal_core::account::{DisplayName, LoginId};
use lokal_core::{ErrorCode, FieldError, Grant, MerchantId, Principal, Role, Scope, StaffRole, StoreScope, UserId};
use lokal_store::invitations::{self, InvitationRow};
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
        let m = MerchantRow { id: MerchantId::generate(), name: name.as_str().to_owned(), created_at: self.now() };
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

    /// Invites a person (by e-mail or phone) to a merchant's staff: they become staff when they
    /// accept it in their account. Managers may invite clerks; owners anyone. Store lists must
    /// name the merchant's own stores. The answer is the same whether or not an account has
    /// that login (the invitation waits for a sign-up with it); an account that has it is told
    /// in its message centre.
    pub async fn invite_staff(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        login: &str,
        role: StaffRole,
        stores: StoreScope,
    ) -> Result<InvitationRow, AppError> {
        let needed = if role >= StaffRole::Manager { StaffRole::Owner } else { StaffRole::Manager };
        caller.authorize(Scope::Merchant(merchant), needed)?;
        let m = self.merchant(caller, merchant).await?;
        let login = LoginId::parse("login", login)?;
        let store_ids = match stores {
            StoreScope::All => Vec::new(),
            StoreScope::Only(ids) => {
                self.check_own_stores(merchant, &ids).await?;
                ids
            }
        };
        let pool = self.db().pool();
        let invitee = users::find_by_login(pool, login.key()).await?;
        if let Some(u) = &invitee
            && grants::for_user(pool, u.id).await?.iter().any(|g| g.merchant_id == Some(merchant))
        {
            // The inviter sees the staff list anyway: this reveals nothing new.
            return Err(AppError::new(ErrorCode::Conflict, "err-already-staff"));
        }
        let now = self.now();
        let row = InvitationRow {
            id: uuid::Uuid::now_v7().to_string(),
            merchant_id: merchant,
            login: login.key().to_owned(),
            role: Role::Staff(role).as_str().to_owned(),
            store_ids,
            invited_by: caller.user_id,
            status: InvitationStatus::Invited,
            answered_by: None,
            created_at: now,
            answered_at: None,
        };
        let mut tx = self.db().begin().await?;
        match invitations::insert(&mut tx, &row).await {
            Err(lokal_store::StoreError::Unique(_)) => {
                return Err(AppError::new(ErrorCode::Conflict, "err-already-invited"));
            }
            other => other?,
        }
        if let Some(u) = invitee {
            let lang = self.lang_of(&mut tx, u.id).await?;
            let body = lokal_core::Msg::new("notify-invited-body")
                .with("merchant", m.name.as_str())
                .with("role", Role::Staff(role).as_str());
            let message = lokal_store::outbox::MessageRow {
                id: uuid::Uuid::now_v7().to_string(),
                user_id: u.id,
                channel: "inbox".into(),
                subject: lokal_i18n::render(
                    lang,
                    &lokal_core::Msg::new("notify-invited-subject").with("merchant", m.name.as_str()),
                ),
                body: lokal_i18n::render(lang, &body),
                created_at: now,
                link: "/account#invitations".into(),
                read_at: None,
                kind: lokal_core::notice::MessageKind::StaffInvitation.as_str().into(),
                params: crate::outbound::params_json(serde_json::json!({
                    "merchant": m.name, "role": Role::Staff(role).as_str(),
                })),
            };
            self.send_message(&mut tx, &message).await?;
        }
        tx.commit().await?;
        Ok(row)
    }

    /// Adds an account to a merchant's staff at once, without an invitation: seeding the demo
    /// city and benchmarks only (no API or page calls it).
    pub async fn seed_staff(
        &self,
        merchant: MerchantId,
        login: &str,
        role: StaffRole,
        stores: StoreScope,
    ) -> Result<Grant, AppError> {
        let login = LoginId::parse("login", login)?;
        let user = users::find_by_login(self.db().pool(), login.key())
            .await?
            .ok_or_else(|| FieldError::new("login", "field-no-such-login"))?;
        self.insert_grant(user.id, Role::Staff(role), Some(merchant), stores).await
    }

    async fn check_own_stores(&self, merchant: MerchantId, ids: &[lokal_core::StoreId]) -> Result<(), AppError> {
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
        Ok(())
    }

    /// The logins (normalised e-mail, E.164 phone) of the caller's account.
    async fn my_logins(&self, caller: &Principal) -> Result<Vec<String>, AppError> {
        let me = self.me(caller).await?;
        Ok(me.email.into_iter().chain(me.phone).collect())
    }

    /// The invitations waiting for the caller (by their e-mail or phone), with each merchant's
    /// name.
    pub async fn my_invitations(&self, caller: &Principal) -> Result<Vec<(InvitationRow, String)>, AppError> {
        let logins = self.my_logins(caller).await?;
        let pool = self.db().pool();
        let mut out = Vec::new();
        for i in invitations::open_for(pool, &logins).await? {
            let name = merchants::get_merchant(pool, i.merchant_id).await?.map(|m| m.name).unwrap_or_default();
            out.push((i, name));
        }
        Ok(out)
    }

    /// The caller accepts (`true`) or declines an invitation addressed to them; accepting makes
    /// them staff with its rank and stores. Someone else's invitation does not exist for them.
    pub async fn answer_invitation(
        &self,
        caller: &Principal,
        id: &str,
        accept: bool,
    ) -> Result<InvitationRow, AppError> {
        let logins = self.my_logins(caller).await?;
        let pool = self.db().pool();
        let inv = invitations::get_by_id(pool, id)
            .await?
            .filter(|i| logins.contains(&i.login))
            .ok_or_else(|| AppError::not_found("invitation"))?;
        let now = self.now();
        let mut tx = self.db().begin().await?;
        let status = if accept { InvitationStatus::Accepted } else { InvitationStatus::Declined };
        if !invitations::answer(&mut tx, &inv.id, status, caller.user_id, now).await? {
            return Err(AppError::new(ErrorCode::Conflict, "err-invitation-answered"));
        }
        if accept {
            let role = match Role::parse(&inv.role) {
                Some(r @ Role::Staff(_)) => r,
                _ => return Err(AppError::internal(std::io::Error::other("an invitation with no staff rank"))),
            };
            let stores =
                if inv.store_ids.is_empty() { StoreScope::All } else { StoreScope::Only(inv.store_ids.clone()) };
            let g = grants::NewGrant {
                id: lokal_core::GrantId::generate(),
                user_id: caller.user_id,
                role,
                merchant_id: Some(inv.merchant_id),
                stores,
                created_at: now,
            };
            grants::insert(&mut tx, &g).await.map_err(|e| {
                crate::accounts::unique_conflict(e, "grants_user_scope_key", lokal_core::Msg::new("err-already-staff"))
            })?;
        }
        tx.commit().await?;
        invitations::get_by_id(pool, &inv.id).await?.ok_or_else(|| AppError::not_found("invitation"))
    }

    /// A merchant's open invitations. Merchant-wide managers and owners.
    pub async fn merchant_invitations(
        &self,
        caller: &Principal,
        merchant: MerchantId,
    ) -> Result<Vec<InvitationRow>, AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        self.merchant(caller, merchant).await?;
        Ok(invitations::open_of_merchant(self.db().pool(), merchant).await?)
    }

    /// Withdraws an open invitation of the merchant. Those who may send it.
    pub async fn withdraw_invitation(
        &self,
        caller: &Principal,
        merchant: MerchantId,
        id: &str,
    ) -> Result<(), AppError> {
        caller.authorize(Scope::Merchant(merchant), StaffRole::Manager)?;
        let inv = invitations::get_by_id(self.db().pool(), id)
            .await?
            .filter(|i| i.merchant_id == merchant)
            .ok_or_else(|| AppError::not_found("invitation"))?;
        let needed = if matches!(Role::parse(&inv.role), Some(Role::Staff(r)) if r >= StaffRole::Manager) {
            StaffRole::Owner
        } else {
            StaffRole::Manager
        };
        caller.authorize(Scope::Merchant(merchant), needed)?;
        let mut tx = self.db().begin().await?;
        if !invitations::answer(&mut tx, id, InvitationStatus::Withdrawn, caller.user_id, self.now()).await? {
            return Err(AppError::new(ErrorCode::Conflict, "err-invitation-answered"));
        }
        tx.commit().await?;
        Ok(())
    }

    /// Whether the caller may leave the merchant's staff (not its last owner).
    pub async fn may_leave(&self, caller: &Principal, merchant: MerchantId) -> Result<bool, AppError> {
        let staff = grants::staff_of(self.db().pool(), merchant).await?;
        Ok(staff.iter().any(|(id, _, _)| *id == caller.user_id) && !is_last_owner(&staff, caller.user_id))
    }

    /// The caller leaves a merchant's staff; the last owner cannot (409).
    pub async fn leave_merchant(&self, caller: &Principal, merchant: MerchantId) -> Result<(), AppError> {
        let staff = grants::staff_of(self.db().pool(), merchant).await?;
        if !staff.iter().any(|(id, _, _)| *id == caller.user_id) {
            return Err(AppError::not_found("staff member"));
        }
        if is_last_owner(&staff, caller.user_id) {
            return Err(AppError::new(ErrorCode::Conflict, "err-last-owner"));
        }
        let mut tx = self.db().begin().await?;
        grants::remove(&mut tx, caller.user_id, merchant).await?;
        tx.commit().await?;
        Ok(())
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
        if is_last_owner(&staff, user) {
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

/// Whether `user` is the only owner among `staff` (who must stay: a merchant always has one).
pub fn is_last_owner(staff: &[(UserId, String, Grant)], user: UserId) -> bool {
    let owner = Role::Staff(StaffRole::Owner);
    let mut owners = staff.iter().filter(|(_, _, g)| g.role == owner);
    owners.clone().count() == 1 && owners.any(|(id, _, _)| *id == user)
}
