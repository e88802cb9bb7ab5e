//! The demo city's seed: deterministic accounts for every role, so a person can try each side of
//! the platform at once. Seeding is idempotent: a second start finds the seed and leaves it.
//! The city itself (chains and independent stores of every category) comes from [`crate::city`].

use crate::city;
use lokal_app::App;
use lokal_app::accounts::Registration;
use lokal_core::geo::LatLng;
use lokal_core::{Principal, Role, StaffRole, StoreScope};

/// Cities larger than this are written in batches (see [`seed`]).
const BULK_ABOVE: usize = 5_000;

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "lokal-demo";

/// The demo logins: (e-mail, what the account is).
pub const DEMO_LOGINS: &[(&str, &str)] = &[
    ("admin@demo.lokal", "platform admin"),
    ("owner@demo.lokal", "owner of the Chongqing Hotpot House chain (all stores)"),
    ("manager@demo.lokal", "manager of one Chongqing Hotpot House store"),
    ("clerk@demo.lokal", "clerk at that store"),
    ("rider@demo.lokal", "rider"),
    ("promoter@demo.lokal", "promoter"),
    ("consumer@demo.lokal", "consumer"),
];

async fn account(app: &App, email: &str, name: &str) -> anyhow::Result<lokal_core::UserId> {
    let reg = Registration {
        email: Some(email.into()),
        password: DEMO_PASSWORD.into(),
        display_name: Some(name.into()),
        ..Registration::default()
    };
    Ok(app.create_account(reg).await?.id)
}

/// How to build the demo city.
#[derive(Debug, Clone, Copy)]
pub struct CityOptions {
    /// Random seed; the same seed gives the same city.
    pub seed: u64,
    /// The city centre.
    pub center: LatLng,
    /// How many stores.
    pub stores: usize,
}

impl Default for CityOptions {
    fn default() -> Self {
        // People's Square, Shanghai.
        Self { seed: 42, center: LatLng::PEOPLES_SQUARE, stores: 240 }
    }
}

/// Seeds the demo accounts and city unless they exist. Returns whether it seeded.
pub async fn seed(app: &App, city: CityOptions) -> anyhow::Result<bool> {
    if lokal_store::users::find_by_login(app.db().pool(), DEMO_LOGINS[0].0).await?.is_some() {
        return Ok(false);
    }
    let (admin, _) = app.create_admin(DEMO_LOGINS[0].0, DEMO_PASSWORD).await?;
    let root = Principal { user_id: admin.id, grants: lokal_store::grants::for_user(app.db().pool(), admin.id).await? };
    let owner = account(app, "owner@demo.lokal", "Owner Zhang").await?;
    account(app, "manager@demo.lokal", "Manager Wang").await?;
    account(app, "clerk@demo.lokal", "Clerk Li").await?;
    let rider = account(app, "rider@demo.lokal", "Rider Chen").await?;
    let promoter = account(app, "promoter@demo.lokal", "Promoter Zhao").await?;
    account(app, "consumer@demo.lokal", "Xiao Ming").await?;
    app.grant_platform_role(&root, rider, Role::Rider).await?;
    app.grant_platform_role(&root, promoter, Role::Promoter).await?;

    let mut chain_merchants = Vec::new();
    for (i, chain) in city::CHAINS.iter().enumerate() {
        let name: String = chain.name.split(' ').take_while(|w| w.is_ascii()).collect::<Vec<_>>().join(" ");
        let m = app.create_merchant(&root, &name, (i == 0).then_some(owner)).await?;
        chain_merchants.push(m.id);
    }
    let mut first_hotpot = None;
    let mut chain_stores: Vec<Vec<lokal_core::StoreId>> = vec![Vec::new(); city::CHAINS.len()];
    if city.stores > BULK_ABOVE {
        // Large (benchmark) cities: batched inserts, and one merchant for all independents.
        let independents = app.create_merchant(&root, "Independent stores", None).await?.id;
        let mut batch = Vec::with_capacity(10_000);
        for s in city::generate_iter(city.seed, city.center, city.stores) {
            let merchant = s.chain.map_or(independents, |c| chain_merchants[c]);
            batch.push((merchant, s.profile, s.rating_x100, s.monthly_sales));
            if batch.len() == 10_000 {
                app.bulk_insert_stores(std::mem::take(&mut batch)).await?;
            }
        }
        app.bulk_insert_stores(batch).await?;
    }
    for s in city::generate(city.seed, city.center, if city.stores > BULK_ABOVE { 0 } else { city.stores }) {
        let merchant = match s.chain {
            Some(c) => chain_merchants[c],
            None => app.create_merchant(&root, &s.profile.name.chars().take(64).collect::<String>(), None).await?.id,
        };
        let store = app.create_store(&root, merchant, s.profile).await?;
        lokal_store::stores::set_figures(app.db().pool(), store.row.id, s.rating_x100, s.monthly_sales).await?;
        if s.chain == Some(0) && first_hotpot.is_none() {
            first_hotpot = Some(store.row.id);
        }
        if let Some(c) = s.chain {
            chain_stores[c].push(store.row.id);
        }
    }
    if let Some(store) = first_hotpot {
        let only = StoreScope::Only(vec![store]);
        app.add_staff(&root, chain_merchants[0], "manager@demo.lokal", StaffRole::Manager, only.clone()).await?;
        app.add_staff(&root, chain_merchants[0], "clerk@demo.lokal", StaffRole::Clerk, only).await?;
    }
    for (chain, section, name, price) in city::MENUS {
        let item = lokal_core::catalog::ItemJson {
            name: (*name).into(),
            section: Some((*section).into()),
            price: *price,
            ..lokal_core::catalog::ItemJson::default()
        };
        app.create_item(&root, chain_merchants[*chain], item).await?;
    }
    let now = app.now();
    for d in city::DEALS {
        if chain_stores[d.chain].is_empty() {
            continue;
        }
        let deal = lokal_core::deal::DealJson {
            title: d.title.into(),
            description: String::new(),
            contents: d
                .contents
                .iter()
                .map(|(name, quantity)| lokal_core::deal::DealLineJson { name: (*name).into(), quantity: *quantity })
                .collect(),
            price: d.price,
            original_price: d.original_price,
            store_ids: chain_stores[d.chain].clone(),
            sale_starts_at: None,
            sale_ends_at: now.plus_secs(60 * 86_400).to_rfc3339(),
            valid_from: None,
            valid_until: now.plus_secs(120 * 86_400).to_rfc3339(),
            rules: lokal_core::deal::UsageRulesJson { weekdays_only: d.weekdays_only, ..Default::default() },
            uses_per_voucher: d.uses,
            stock: 500,
            per_user_limit: 5,
            refundable: true,
            auto_refund_on_expiry: true,
            flash_sale: false,
        };
        app.create_deal(&root, chain_merchants[d.chain], deal).await?;
    }
    app.rebuild_index().await?;
    Ok(true)
}
