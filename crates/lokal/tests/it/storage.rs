//! Storage conformance: the same constraint names and behaviour on SQLite and PostgreSQL.

use crate::harness::TestApp;
use lokal_core::{GrantId, MerchantId, Role, StaffRole, StoreId, StoreScope, Timestamp, UserId};
use lokal_store::StoreError;
use lokal_store::grants::{self, NewGrant};
use lokal_store::merchants::{self, MerchantRow};
use lokal_store::users::{self, UserRow};

fn user(email: &str) -> UserRow {
    UserRow {
        id: UserId::generate(),
        email: Some(email.into()),
        phone: None,
        password_hash: "x".into(),
        display_name: "n".into(),
        created_at: Timestamp(1),
        disabled: false,
        lang: None,
    }
}

#[tokio::test]
async fn unique_violations_come_back_by_constraint_name() {
    let app = TestApp::spawn().await;
    let pool = app.app.db().pool();
    users::insert(pool, &user("same@test.lokal")).await.expect("first insert");
    let err = users::insert(pool, &user("same@test.lokal")).await.expect_err("duplicate");
    assert!(err.is_unique("users_email_key"), "{err:?}");
}

#[tokio::test]
async fn one_staff_grant_per_user_and_merchant_and_real_stores_only() {
    let app = TestApp::spawn().await;
    let db = app.app.db();
    let u = user("g@test.lokal");
    users::insert(db.pool(), &u).await.expect("user");
    let m = MerchantRow { id: MerchantId::generate(), name: "M".into(), created_at: Timestamp(1) };
    merchants::insert(db.pool(), &m).await.expect("merchant");
    let grant = |stores| NewGrant {
        id: GrantId::generate(),
        user_id: u.id,
        role: Role::Staff(StaffRole::Clerk),
        merchant_id: Some(m.id),
        stores,
        created_at: Timestamp(1),
    };
    let mut tx = db.begin().await.expect("tx");
    let err =
        grants::insert(&mut tx, &grant(StoreScope::Only(vec![StoreId::generate()]))).await.expect_err("unknown store");
    assert!(matches!(err, StoreError::ForeignKey), "{err:?}");
    drop(tx);
    let mut tx = db.begin().await.expect("tx");
    grants::insert(&mut tx, &grant(StoreScope::All)).await.expect("grant");
    tx.commit().await.expect("commit");
    let mut tx = db.begin().await.expect("tx");
    let err = grants::insert(&mut tx, &grant(StoreScope::All)).await.expect_err("second grant");
    assert!(err.is_unique("grants_user_scope_key"), "{err:?}");
    drop(tx);
    let loaded = grants::for_user(db.pool(), u.id).await.expect("load");
    assert_eq!(loaded.len(), 1);
    assert_eq!(loaded[0].stores, StoreScope::All);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_rate_limit_hits_are_all_counted() {
    let app = TestApp::spawn().await;
    // A current window: housekeeping deletes finished ones.
    let window = app.app.now().millis();
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let pool = app.app.db().pool().clone();
            tokio::spawn(async move { lokal_store::rate_limits::hit(&pool, "bucket", window).await.expect("hit") })
        })
        .collect();
    let mut counts = Vec::new();
    for t in tasks {
        counts.push(t.await.expect("task"));
    }
    counts.sort_unstable();
    let total = lokal_store::rate_limits::count(app.app.db().pool(), "bucket", window).await.expect("count");
    assert_eq!(total, 20, "no hit is lost");
    assert_eq!(counts, (1..=20).collect::<Vec<_>>(), "every hit sees its own count");
}

#[tokio::test]
async fn migrations_are_idempotent() {
    let app = TestApp::spawn().await;
    app.app.db().migrate().await.expect("second migrate is a no-op");
}
