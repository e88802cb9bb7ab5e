//! The demo city's seed: deterministic accounts for every role, so a person can try each side of
//! the platform at once. Seeding is idempotent: a second start finds the seed and leaves it.
//! Issue B adds the city's stores, menus and deals.

use lokal_app::App;
use lokal_app::accounts::Registration;
use lokal_core::{Principal, Role, StaffRole, StoreScope};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "lokal-demo";

/// The demo logins: (e-mail, what the account is).
pub const DEMO_LOGINS: &[(&str, &str)] = &[
    ("admin@demo.lokal", "platform admin"),
    ("owner@demo.lokal", "owner of Chongqing Hotpot House (all stores)"),
    ("manager@demo.lokal", "manager of Chongqing Hotpot House, Jiefangbei store"),
    ("clerk@demo.lokal", "clerk at Chongqing Hotpot House, Jiefangbei store"),
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

/// Seeds the demo accounts, merchant and stores unless they exist. Returns whether it seeded.
pub async fn seed(app: &App) -> anyhow::Result<bool> {
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
    let merchant = app.create_merchant(&root, "Chongqing Hotpot House", Some(owner)).await?;
    let jiefangbei = app.create_store(&root, merchant.id, "Jiefangbei store").await?;
    app.create_store(&root, merchant.id, "Guanyinqiao store").await?;
    let only = StoreScope::Only(vec![jiefangbei.id]);
    app.add_staff(&root, merchant.id, "manager@demo.lokal", StaffRole::Manager, only.clone()).await?;
    app.add_staff(&root, merchant.id, "clerk@demo.lokal", StaffRole::Clerk, only).await?;
    Ok(true)
}
