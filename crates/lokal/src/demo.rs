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
    let rider_principal = Principal { user_id: rider, grants: Vec::new() };
    let application = lokal_app::riders::RiderApplicationJson {
        name: "Rider Chen".into(),
        phone: "13800138000".into(),
        vehicle: "e-bike".into(),
    };
    app.apply_rider(&rider_principal, application).await?;
    app.decide_rider(&root, rider, true, "").await?;
    app.grant_platform_role(&root, promoter, Role::Promoter).await?;

    let mut chain_merchants = Vec::new();
    for (i, chain) in city::CHAINS.iter().enumerate() {
        let name: String = chain.name.split(' ').take_while(|w| w.is_ascii()).collect::<Vec<_>>().join(" ");
        let m = app.create_merchant(&root, &name, (i == 0).then_some(owner)).await?;
        chain_merchants.push(m.id);
    }
    // One picture per category, drawn here and uploaded like a merchant's photo: every store's cover.
    let mut covers = std::collections::HashMap::new();
    for c in lokal_core::store::Category::ALL {
        let photo = app.upload_photo(&root, crate::demo_pictures::of(c)?).await?;
        covers.insert(c.as_str(), lokal_app::media::variant_url(&photo.row.id, "w800"));
    }
    let cover = |profile: &mut lokal_core::store::StoreProfileJson| {
        if let Some(url) = covers.get(profile.category.as_deref().unwrap_or("food")) {
            profile.photos = Some(vec![url.clone()]);
        }
    };
    let mut first_hotpot = None;
    let mut to_review = Vec::new();
    let mut chain_stores: Vec<Vec<lokal_core::StoreId>> = vec![Vec::new(); city::CHAINS.len()];
    if city.stores > BULK_ABOVE {
        // Large (benchmark) cities: batched inserts, and one merchant for all independents.
        let independents = app.create_merchant(&root, "Independent stores", None).await?.id;
        let mut batch = Vec::with_capacity(10_000);
        for s in city::generate_iter(city.seed, city.center, city.stores) {
            let merchant = s.chain.map_or(independents, |c| chain_merchants[c]);
            let mut profile = s.profile;
            cover(&mut profile);
            batch.push((merchant, profile, s.rating_x100, s.monthly_sales));
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
        let flagship = s.chain == Some(0) && first_hotpot.is_none();
        let mut profile = s.profile;
        cover(&mut profile);
        if flagship {
            // The demo staff's store is the chain's flagship: open around the clock (as some
            // hotpot chains are), delivering within 3 km, so ordering works at any hour.
            profile.hours = Some(lokal_core::hours::OpeningHoursJson::every_day(&["00:00-24:00"]));
            profile.delivery = Some(true);
            profile.delivery_radius_m = Some(3_000);
            profile.pickup = Some(true);
        }
        let category = lokal_core::store::Category::parse("category", profile.category.as_deref().unwrap_or("food"))
            .unwrap_or(lokal_core::store::Category::Food);
        let store = app.create_store(&root, merchant, profile).await?;
        // The rating comes from the reviews seeded below, not from the generator.
        lokal_store::stores::set_figures(app.db().pool(), store.row.id, 0, s.monthly_sales).await?;
        to_review.push(crate::demo_reviews::ToReview {
            store: store.row.id,
            merchant,
            category,
            quality_x100: if flagship { 470 } else { s.rating_x100 },
            reviews: flagship.then_some(12),
        });
        if flagship {
            first_hotpot = Some(store.row.id);
            let settings = lokal_core::takeout::OrderSettingsJson {
                packaging_fee: 300,
                min_order: 5_000,
                pay_at_store: lokal_core::takeout::PayRuleJson::EveryOff { every: 10_000, off: 1_000, max_off: None },
                pay_at_store_excludes: "酒水 drinks".into(),
                ..lokal_core::takeout::OrderSettingsJson::default()
            };
            app.set_order_settings(&root, store.row.id, settings).await?;
        }
        if let Some(c) = s.chain {
            chain_stores[c].push(store.row.id);
        }
    }
    if let Some(store) = first_hotpot {
        let only = StoreScope::Only(vec![store]);
        app.seed_staff(chain_merchants[0], "manager@demo.lokal", StaffRole::Manager, only.clone()).await?;
        app.seed_staff(chain_merchants[0], "clerk@demo.lokal", StaffRole::Clerk, only).await?;
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
    if city.stores <= BULK_ABOVE {
        let clerk = lokal_store::users::find_by_login(app.db().pool(), "clerk@demo.lokal").await?;
        let clerk = match clerk {
            Some(u) => Principal { user_id: u.id, grants: lokal_store::grants::for_user(app.db().pool(), u.id).await? },
            None => root.clone(),
        };
        history(app, &root, &clerk, &chain_merchants, &chain_stores, city.seed).await?;
    }
    crate::demo_reviews::seed(app, &to_review, city.seed).await?;
    coupons(app, &root, chain_merchants[0]).await?;
    // The hotpot chain's card: a point per yuan, "recharge 500 get 50" and "1,000 get 120".
    let tiers = vec![
        lokal_core::loyalty::Tier { pay: 50_000, bonus: 5_000 },
        lokal_core::loyalty::Tier { pay: 100_000, bonus: 12_000 },
    ];
    app.set_loyalty_program(&root, chain_merchants[0], lokal_core::loyalty::Program { points_per_yuan: 1, tiers })
        .await?;
    app.rebuild_index().await?;
    Ok(true)
}

/// Coupons to claim on the store pages: the hotpot chain's ¥5 off ¥30 (at all its stores) and the
/// platform's free delivery over ¥20.
async fn coupons(app: &App, root: &Principal, hotpot: lokal_core::MerchantId) -> anyhow::Result<()> {
    let until = app.now().plus_secs(300 * 86_400).to_rfc3339();
    let batch = |title: &str, benefit: lokal_core::promo::Benefit| lokal_core::coupon::CouponTemplateJson {
        title: title.into(),
        benefit,
        new_customers_only: false,
        claim_from: None,
        claim_until: until.clone(),
        valid_until: None,
        valid_days: Some(30),
        quantity: 10_000,
        per_user_limit: 3,
        budget: None,
        store_ids: Vec::new(),
    };
    use lokal_core::promo::Benefit;
    app.create_merchant_coupons(
        root,
        hotpot,
        batch("满30减5 ¥5 off ¥30", Benefit::AmountOff { off: 500, threshold: 3000 }),
    )
    .await?;
    app.create_platform_coupons(
        root,
        batch("Free delivery over ¥20", Benefit::FreeDelivery { cap: None, threshold: 2000 }),
    )
    .await?;
    Ok(())
}

/// Four weeks of lived-in history, played through the real use cases on a clock that starts 28
/// days ago: the deals open, shoppers buy and pay through the sandbox, vouchers are redeemed
/// (the hotpot ones by the demo clerk at her store), some refunded, a short coffee deal expires
/// and is refunded automatically, and operators pay merchants out every week. Everything lands in
/// the ledger, which `lokal ledger check` then proves.
async fn history(
    app: &App,
    root: &Principal,
    clerk: &Principal,
    merchants: &[lokal_core::MerchantId],
    chain_stores: &[Vec<lokal_core::StoreId>],
    seed: u64,
) -> anyhow::Result<()> {
    const DAYS: i64 = 28;
    let start = app.now().plus_secs(-DAYS * 86_400);
    let clock = std::sync::Arc::new(lokal_app::ManualClock::new(start));
    // The past is paid through the sandbox, whatever this server's provider.
    let payments =
        lokal_app::payments::PaymentSettings { provider: "sandbox".into(), sandbox_delay_ms: 0, ..Default::default() };
    let past = App::new(app.db().clone(), clock.clone(), app.auth_settings().clone()).with_payments(payments);
    let mut deals = Vec::new();
    for d in city::DEALS {
        if chain_stores[d.chain].is_empty() {
            continue;
        }
        // The coffee deal is short: its unused vouchers expire (and are refunded) within the month.
        let (sale_days, valid_days) = if d.chain == 2 { (10, 14) } else { (DAYS + 60, DAYS + 120) };
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
            sale_ends_at: start.plus_secs(sale_days * 86_400).to_rfc3339(),
            valid_from: None,
            valid_until: start.plus_secs(valid_days * 86_400).to_rfc3339(),
            rules: lokal_core::deal::UsageRulesJson { weekdays_only: d.weekdays_only, ..Default::default() },
            uses_per_voucher: d.uses,
            stock: 500,
            per_user_limit: 5,
            refundable: true,
            auto_refund_on_expiry: true,
            flash_sale: false,
            photos: Vec::new(),
        };
        deals.push(past.create_deal(root, merchants[d.chain], deal).await?);
    }
    let mut shoppers = Vec::new();
    for i in 0..40 {
        let user = lokal_store::users::UserRow {
            id: lokal_core::UserId::generate(),
            email: Some(format!("shopper{i}@demo.lokal")),
            phone: None,
            password_hash: "!".into(),
            display_name: format!("Shopper {i}"),
            created_at: start,
            disabled: false,
            lang: None,
        };
        lokal_store::users::insert(app.db().pool(), &user).await?;
        shoppers.push(Principal { user_id: user.id, grants: Vec::new() });
    }
    let clerk_stores: Vec<lokal_core::StoreId> = clerk
        .grants
        .iter()
        .flat_map(|g| match &g.stores {
            StoreScope::Only(ids) => ids.clone(),
            StoreScope::All => Vec::new(),
        })
        .collect();
    let mut rng = city::Rng::new(seed ^ 0x0_5107);
    let mut unused: Vec<(Principal, lokal_core::OrderId, String, usize)> = Vec::new();
    for day in 0..DAYS {
        clock.advance_secs(if day == 0 { 11 * 3600 } else { 86_400 });
        for _ in 0..(8 + rng.below(8)) {
            let shopper = rng.pick(&shoppers).clone();
            let d = rng.below(deals.len() as u64) as usize;
            if !deals[d].on_sale_at(past.now()) {
                continue;
            }
            let quantity = 1 + i64::from(rng.below(4) == 0);
            let Ok(order) = past.place_order(&shopper, deals[d].row.id, quantity, "demo").await else { continue };
            let start_pay = past.pay_order(&shopper, order.id).await?;
            // One payment in twenty is declined; that order is cancelled after 15 minutes.
            past.sandbox_complete(&start_pay.payment.provider_ref, rng.below(20) != 0).await?;
            for v in lokal_store::vouchers::for_order(app.db().pool(), order.id).await? {
                unused.push((shopper.clone(), order.id, v.code, d));
            }
        }
        // Later that day the buyers come in: most redeem, a few refund, some wait.
        clock.advance_secs(6 * 3600);
        let mut keep = Vec::new();
        for (shopper, order, code, d) in std::mem::take(&mut unused) {
            let roll = rng.below(10);
            let deal = &deals[d];
            let (who, store) = match clerk_stores.iter().find(|s| deal.store_ids.contains(s)) {
                Some(s) => (clerk, *s),
                None => (root, deal.store_ids[0]),
            };
            if roll < 6 {
                let uses = if deal.row.uses_per_voucher > 1 { 1 + rng.below(3) as i64 } else { 1 };
                if past.redeem(who, store, &code, uses, "demo desk").await.is_err() {
                    keep.push((shopper, order, code, d));
                }
            } else if roll == 6 {
                let id = lokal_store::vouchers::by_code(app.db().pool(), &code).await?.map(|v| v.id);
                if let Some(id) = id {
                    let _ = past.refund_order(&shopper, order, Some(vec![id]), "changed plans").await;
                }
            } else {
                keep.push((shopper, order, code, d));
            }
        }
        unused = keep;
        clock.advance_secs(-6 * 3600);
        past.commerce_tick().await?;
        if day % 7 == 6 {
            for m in merchants {
                let owed = past.merchant_balance(root, *m).await?;
                if owed > 0 {
                    past.payout(root, *m, owed * 4 / 5).await?;
                }
            }
        }
    }
    Ok(())
}
