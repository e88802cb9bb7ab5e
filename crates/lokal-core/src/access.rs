//! Who may do what: roles, grants and the one authorisation check.
//!
//! Every user is a consumer. Further roles are *grants*: platform admin, rider, promoter, and
//! merchant staff (owner > manager > clerk), the last scoped to one merchant and to all or some of
//! its stores. Every object that belongs to someone names its [`Scope`]; a handler asks
//! [`Principal::authorize`] (or one of its short forms) before it reads or changes the object. There
//! is no other path: that is what keeps one merchant out of another's data.

use crate::{GrantId, MerchantId, StoreId, UserId};

/// A staff member's rank within a merchant. Ordered: a higher rank may do all a lower one may.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Serves customers in the store: redeems vouchers, handles orders.
    Clerk,
    /// Runs stores: menus, deals, staff below manager.
    Manager,
    /// Owns the merchant: everything, including settlement and owners.
    Owner,
}

/// A role a user can be granted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Operates the platform; may act on any scope.
    PlatformAdmin,
    /// Staff of a merchant; the grant names the merchant and stores.
    Staff(StaffRole),
    /// Delivers orders; sees only their own tasks.
    Rider,
    /// Brings customers and earns commission.
    Promoter,
}

impl Role {
    /// The stable text stored in the database and shown in the API.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::PlatformAdmin => "platform_admin",
            Role::Staff(StaffRole::Owner) => "owner",
            Role::Staff(StaffRole::Manager) => "manager",
            Role::Staff(StaffRole::Clerk) => "clerk",
            Role::Rider => "rider",
            Role::Promoter => "promoter",
        }
    }

    /// The inverse of [`Role::as_str`].
    pub fn parse(s: &str) -> Option<Role> {
        Some(match s {
            "platform_admin" => Role::PlatformAdmin,
            "owner" => Role::Staff(StaffRole::Owner),
            "manager" => Role::Staff(StaffRole::Manager),
            "clerk" => Role::Staff(StaffRole::Clerk),
            "rider" => Role::Rider,
            "promoter" => Role::Promoter,
            _ => return None,
        })
    }
}

/// Which of a merchant's stores a staff grant covers.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case", tag = "kind", content = "store_ids")]
pub enum StoreScope {
    /// Every store, including stores opened later (brand headquarters).
    All,
    /// Only these stores.
    Only(Vec<StoreId>),
}

impl StoreScope {
    /// Whether the scope includes `store`.
    pub fn covers(&self, store: StoreId) -> bool {
        match self {
            StoreScope::All => true,
            StoreScope::Only(ids) => ids.contains(&store),
        }
    }
}

/// One role granted to one user.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Grant {
    /// The grant's id.
    pub id: GrantId,
    /// The role.
    pub role: Role,
    /// For staff: the merchant.
    pub merchant_id: Option<MerchantId>,
    /// For staff: the stores.
    pub stores: StoreScope,
}

/// What an object belongs to, so that the right people can reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Platform-wide settings and lists: operators only.
    Platform,
    /// A merchant as a whole (brand menu, all stores' figures): merchant-wide staff.
    Merchant(MerchantId),
    /// One store of a merchant: staff whose grant covers that store.
    Store(MerchantId, StoreId),
    /// A user's own things (orders, profile, a rider's tasks): that user.
    User(UserId),
}

/// Why access was refused; becomes `403 forbidden`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("forbidden: {0}")]
pub struct Denied(pub &'static str);

/// The authenticated caller and everything they have been granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// Who is calling.
    pub user_id: UserId,
    /// Their grants, loaded with the session.
    pub grants: Vec<Grant>,
}

impl Principal {
    /// Whether the caller operates the platform.
    pub fn is_admin(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::PlatformAdmin)
    }

    /// Whether the caller holds `role` anywhere (riders, promoters).
    pub fn has_role(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role == role)
    }

    /// The single check: may the caller act on `scope` with at least staff rank `min`?
    /// `min` matters only for merchant and store scopes. Platform admins may act on every scope.
    pub fn authorize(&self, scope: Scope, min: StaffRole) -> Result<(), Denied> {
        if self.is_admin() {
            return Ok(());
        }
        let staff = |m: MerchantId, covers: &dyn Fn(&StoreScope) -> bool| {
            self.grants.iter().any(|g| match g.role {
                Role::Staff(rank) => g.merchant_id == Some(m) && rank >= min && covers(&g.stores),
                _ => false,
            })
        };
        let ok = match scope {
            Scope::Platform => false,
            Scope::Merchant(m) => staff(m, &|s| *s == StoreScope::All),
            Scope::Store(m, store) => staff(m, &|s| s.covers(store)),
            Scope::User(u) => u == self.user_id,
        };
        if ok { Ok(()) } else { Err(Denied("not allowed for this caller")) }
    }

    /// Short form: platform operators only.
    pub fn require_admin(&self) -> Result<(), Denied> {
        self.authorize(Scope::Platform, StaffRole::Owner)
    }

    /// Short form: the caller holds `role` (or is an operator).
    pub fn require_role(&self, role: Role) -> Result<(), Denied> {
        if self.is_admin() || self.has_role(role) { Ok(()) } else { Err(Denied("missing role")) }
    }

    /// Short form: the check for an object that declares its owner.
    pub fn require<T: Owned + ?Sized>(&self, object: &T, min: StaffRole) -> Result<(), Denied> {
        self.authorize(object.scope(), min)
    }

    /// Which stores of `merchant` the caller may see: `None` if none at all. Lists use this to
    /// filter, so store-scoped staff see only their stores.
    pub fn visible_stores(&self, merchant: MerchantId) -> Option<StoreScope> {
        if self.is_admin() {
            return Some(StoreScope::All);
        }
        let mut ids = Vec::new();
        for g in self.grants.iter().filter(|g| matches!(g.role, Role::Staff(_)) && g.merchant_id == Some(merchant)) {
            match &g.stores {
                StoreScope::All => return Some(StoreScope::All),
                StoreScope::Only(s) => ids.extend_from_slice(s),
            }
        }
        (!ids.is_empty()).then_some(StoreScope::Only(ids))
    }

    /// Whether the caller works for `merchant`: a staff grant on it (operators do not count).
    /// Such people do not review, join or ask their own stores as consumers.
    pub fn works_for(&self, merchant: MerchantId) -> bool {
        self.grants.iter().any(|g| matches!(g.role, Role::Staff(_)) && g.merchant_id == Some(merchant))
    }

    /// Whether the caller is staff of `store` itself (a grant of `merchant` covering it;
    /// operators do not count): who speaks for the store.
    pub fn works_at(&self, merchant: MerchantId, store: StoreId) -> bool {
        self.grants
            .iter()
            .any(|g| matches!(g.role, Role::Staff(_)) && g.merchant_id == Some(merchant) && g.stores.covers(store))
    }

    /// Whether the caller has any staff grant on `merchant` (or is an operator).
    pub fn is_staff_of(&self, merchant: MerchantId) -> bool {
        self.visible_stores(merchant).is_some()
    }
}

/// An object that knows whose it is.
pub trait Owned {
    /// The scope the object belongs to.
    fn scope(&self) -> Scope;
}

crate::named_enum! {
    /// Where an invitation to a merchant's staff stands.
    pub enum InvitationStatus {
        /// Waiting for the invitee.
        Invited = "invited",
        /// The invitee joined.
        Accepted = "accepted",
        /// The invitee said no.
        Declined = "declined",
        /// The merchant took it back.
        Withdrawn = "withdrawn",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn uid(n: u128) -> UserId {
        UserId(uuid::Uuid::from_u128(n))
    }
    fn mid(n: u128) -> MerchantId {
        MerchantId(uuid::Uuid::from_u128(n))
    }
    fn sid(n: u128) -> StoreId {
        StoreId(uuid::Uuid::from_u128(n))
    }
    fn grant(role: Role, merchant: Option<MerchantId>, stores: StoreScope) -> Grant {
        Grant { id: GrantId(uuid::Uuid::from_u128(99)), role, merchant_id: merchant, stores }
    }
    fn staff(rank: StaffRole, m: MerchantId, stores: StoreScope) -> Principal {
        Principal { user_id: uid(1), grants: vec![grant(Role::Staff(rank), Some(m), stores)] }
    }

    #[test]
    fn a_clerk_of_one_store_reaches_that_store_only() {
        let p = staff(StaffRole::Clerk, mid(1), StoreScope::Only(vec![sid(10)]));
        assert!(p.authorize(Scope::Store(mid(1), sid(10)), StaffRole::Clerk).is_ok());
        assert!(p.authorize(Scope::Store(mid(1), sid(11)), StaffRole::Clerk).is_err());
        assert!(p.authorize(Scope::Store(mid(1), sid(10)), StaffRole::Manager).is_err());
        assert!(p.authorize(Scope::Merchant(mid(1)), StaffRole::Clerk).is_err());
        assert_eq!(p.visible_stores(mid(1)), Some(StoreScope::Only(vec![sid(10)])));
        assert_eq!(p.visible_stores(mid(2)), None);
    }

    #[test]
    fn a_brand_manager_reaches_every_store_of_the_brand_and_nothing_of_others() {
        let p = staff(StaffRole::Manager, mid(1), StoreScope::All);
        assert!(p.authorize(Scope::Merchant(mid(1)), StaffRole::Manager).is_ok());
        assert!(p.authorize(Scope::Store(mid(1), sid(77)), StaffRole::Clerk).is_ok());
        assert!(p.authorize(Scope::Merchant(mid(1)), StaffRole::Owner).is_err());
        assert!(p.authorize(Scope::Merchant(mid(2)), StaffRole::Clerk).is_err());
        assert!(p.require_admin().is_err());
    }

    #[test]
    fn users_reach_their_own_things_and_admins_reach_everything() {
        let me = Principal { user_id: uid(1), grants: vec![] };
        assert!(me.authorize(Scope::User(uid(1)), StaffRole::Owner).is_ok());
        assert!(me.authorize(Scope::User(uid(2)), StaffRole::Clerk).is_err());
        let admin = Principal { user_id: uid(3), grants: vec![grant(Role::PlatformAdmin, None, StoreScope::All)] };
        assert!(admin.authorize(Scope::User(uid(2)), StaffRole::Owner).is_ok());
        assert!(admin.authorize(Scope::Platform, StaffRole::Owner).is_ok());
    }

    #[test]
    fn roles_round_trip_through_text() {
        for r in [
            Role::PlatformAdmin,
            Role::Rider,
            Role::Promoter,
            Role::Staff(StaffRole::Owner),
            Role::Staff(StaffRole::Manager),
            Role::Staff(StaffRole::Clerk),
        ] {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    fn any_rank() -> impl Strategy<Value = StaffRole> {
        prop_oneof![Just(StaffRole::Clerk), Just(StaffRole::Manager), Just(StaffRole::Owner)]
    }

    proptest! {
        /// Whatever staff grants a caller holds on other merchants, nothing of merchant 0 opens.
        #[test]
        fn grants_on_other_merchants_never_open_this_one(
            grants in proptest::collection::vec((1u128..20, any_rank(), proptest::option::of(proptest::collection::vec(0u128..5, 0..3))), 0..6),
            store in 0u128..5, min in any_rank(),
        ) {
            let grants = grants.into_iter().map(|(m, rank, stores)| grant(
                Role::Staff(rank), Some(mid(m)),
                stores.map_or(StoreScope::All, |s| StoreScope::Only(s.into_iter().map(sid).collect())),
            )).collect();
            let p = Principal { user_id: uid(1), grants };
            prop_assert!(p.authorize(Scope::Merchant(mid(0)), min).is_err());
            prop_assert!(p.authorize(Scope::Store(mid(0), sid(store)), min).is_err());
            prop_assert!(p.visible_stores(mid(0)).is_none());
        }

        /// A higher rank can do everything a lower rank can.
        #[test]
        fn rank_is_monotone(rank in any_rank(), min in any_rank(), store in 0u128..3) {
            let p = staff(rank, mid(0), StoreScope::Only(vec![sid(store)]));
            let allowed = p.authorize(Scope::Store(mid(0), sid(store)), min).is_ok();
            prop_assert_eq!(allowed, rank >= min);
        }
    }
}
