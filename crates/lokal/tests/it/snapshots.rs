//! The main JSON answers, whole, as snapshots (insta): a field added, renamed or dropped shows up
//! as a diff to review instead of passing unseen between the `["field"]` lookups of the other
//! tests. Ids, times, codes and gateway references differ on every run and are redacted;
//! everything else (amounts, statuses, names, the shape) is compared as it is.
//! `cargo insta review` (or INSTA_UPDATE=always) accepts an intended change.

use crate::commerce::{buy, create_deal, first_code, look_up, redeem, shop};
use crate::harness::TestApp;
use lokal_core::voucher::VoucherCode;
use serde_json::{Value, json};

/// Keys whose values change from run to run whatever they hold.
const VOLATILE: [&str; 4] = ["request_id", "provider_ref", "pay_url", "token"];

/// `v` with ids, instants, voucher codes and references replaced by placeholders.
fn redacted(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let hidden = VOLATILE.contains(&k.as_str()) && v.is_string();
                    (k.clone(), if hidden { Value::String(format!("[{k}]")) } else { redacted(v) })
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(redacted).collect()),
        Value::String(s) if uuid::Uuid::parse_str(s).is_ok() => Value::String("[id]".into()),
        Value::String(s) if VoucherCode::parse("code", s).is_ok() => Value::String("[voucher code]".into()),
        Value::String(s) if lokal_core::Timestamp::parse_rfc3339(s).is_some() => Value::String("[time]".into()),
        other => other.clone(),
    }
}

#[tokio::test]
async fn a_paid_deal_order() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Snapshot").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("snap-order@test.lokal").await;
    let order = buy(&app, &deal, &me, 2).await;
    insta::assert_json_snapshot!(redacted(&order));
}

#[tokio::test]
async fn the_desk_looking_a_voucher_up_and_redeeming_it() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Snapshot").await;
    let deal = create_deal(&app, &s, json!({})).await;
    let (me, _) = app.user("snap-desk@test.lokal").await;
    let code = first_code(&buy(&app, &deal, &me, 1).await);
    let desk = look_up(&app, &s.clerk, &s.store_a, &code).await;
    assert_eq!(desk.status, 200, "{}", desk.text);
    insta::assert_json_snapshot!("desk_lookup", redacted(&desk.json()));
    let done = redeem(&app, &s.clerk, &s.store_a, &code, 1).await;
    assert_eq!(done.status, 201, "{}", done.text);
    insta::assert_json_snapshot!("redemption", redacted(&done.json()));
    let again = redeem(&app, &s.clerk, &s.store_a, &code, 1).await;
    assert_eq!(again.status, 409);
    insta::assert_json_snapshot!("redemption_refused", redacted(&again.json()));
}

#[tokio::test]
async fn a_stores_public_profile() {
    let app = TestApp::spawn().await;
    let s = shop(&app, "Snapshot").await;
    let store = app.get(&format!("/api/v1/stores/{}", s.store_a), None).await;
    assert_eq!(store.status, 200, "{}", store.text);
    insta::assert_json_snapshot!(redacted(&store.json()));
}
