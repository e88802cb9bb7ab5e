//! Cancellations in every state, the store's SLA, riders and their privacy, dispatch (assign,
//! grab, manual reassignment) and races with one winner.

use crate::commerce::assert_ledger_holds;
use crate::harness::{TestApp, join_all};
use crate::kitchen::{always, at, kitchen, order_and_pay, owed, rider, tasks, track};
use crate::web::logged_in_client;
use lokal_app::clock::Clock;
use serde_json::json;

async fn cancel(app: &TestApp, order: &str, token: &str) -> crate::harness::Resp {
    app.post(&format!("/api/v1/orders/{order}/cancel"), &json!({"reason": "changed plans"}), Some(token)).await
}

async fn refunds(app: &TestApp, order: &str) -> i64 {
    let row = sqlx::query("SELECT COUNT(*) AS n FROM refunds WHERE order_id = $1")
        .bind(order)
        .fetch_one(app.app.db().pool())
        .await
        .expect("refunds");
    sqlx::Row::get(&row, "n")
}

#[tokio::test]
async fn each_state_has_its_cancellation_rule_and_paid_money_comes_back() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    // Unpaid: the consumer cancels, nothing to refund.
    let q = app.post("/api/v1/quotes", &k.cart("pickup"), Some(&k.consumer)).await.json()["id"]
        .as_str()
        .expect("q")
        .to_owned();
    let unpaid = app.post_keyed(&format!("/api/v1/quotes/{q}/order"), &json!({}), &k.consumer, "u").await.json()["id"]
        .as_str()
        .expect("order")
        .to_owned();
    assert_eq!(cancel(&app, &unpaid, &k.consumer).await.status, 200);
    assert_eq!(refunds(&app, &unpaid).await, 0);

    // Paid, not accepted: the consumer cancels and is refunded; the tea is on sale again.
    let mut tea = k.cart("pickup");
    tea["lines"] = json!([{"item_id": k.tea, "quantity": 2}]);
    let paid = order_and_pay(&app, &tea, &k.consumer).await;
    let c = cancel(&app, &paid, &k.consumer).await;
    assert_eq!((c.status, c.json()["status"].as_str()), (200, Some("cancelled")), "{}", c.text);
    assert_eq!(refunds(&app, &paid).await, 1);
    let again = app.post("/api/v1/quotes", &tea, Some(&k.consumer)).await;
    assert_eq!(again.status, 201, "both teas are back: {}", again.text);

    // Accepted: too late for the consumer, the store may still cancel (refund in full).
    let accepted = order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    assert_eq!(app.post(&format!("/api/v1/orders/{accepted}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    let late = cancel(&app, &accepted, &k.consumer).await;
    assert_eq!((late.status, late.code().as_str()), (409, "order_state_conflict"));
    assert_eq!(cancel(&app, &accepted, &k.clerk).await.status, 200);
    assert_eq!(refunds(&app, &accepted).await, 1);

    // The store rejects a paid order: refunded.
    let rejected = order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    let r =
        app.post(&format!("/api/v1/orders/{rejected}/reject"), &json!({"reason": "out of beef"}), Some(&k.clerk)).await;
    assert_eq!((r.status, r.json()["reason"].as_str()), (200, Some("out of beef")));
    assert_eq!(refunds(&app, &rejected).await, 1);
    let twice =
        app.post(&format!("/api/v1/orders/{rejected}/reject"), &json!({"reason": "again"}), Some(&k.clerk)).await;
    assert_eq!(twice.code(), "order_state_conflict");

    // Operators cancel a delivery already on its way: the consumer is refunded, and the store
    // and the rider are paid for their work at the platform's cost.
    let (rider_token, rider_id) = rider(&app, &k, "rider-c@test.lokal", 100.0).await;
    let on_way = order_and_pay(&app, &k.delivery_cart(), &k.consumer).await;
    assert_eq!(app.post(&format!("/api/v1/orders/{on_way}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    app.app.dispatch_tick().await.expect("dispatch");
    let task = tasks(&app, &rider_token).await[0]["id"].as_str().expect("task").to_owned();
    assert_eq!(
        app.post(&format!("/api/v1/rider/tasks/{task}/picked-up"), &json!({}), Some(&rider_token)).await.status,
        200
    );
    assert_eq!(
        cancel(&app, &on_way, &k.clerk).await.code(),
        "order_state_conflict",
        "the store cannot cancel food on its way"
    );
    assert_eq!(cancel(&app, &on_way, &k.admin).await.status, 200);
    assert_eq!(refunds(&app, &on_way).await, 1);
    assert_eq!(track(&app, &on_way, &k.consumer).await["order"]["delivery"]["status"], "cancelled");
    assert_eq!(owed(&app, &format!("rider:{rider_id}:payable")).await, 600);
    assert_eq!(owed(&app, &format!("merchant:{}:payable", k.merchant)).await, 6900 - 552);
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn a_store_that_does_not_answer_in_time_rejects_or_accepts_as_it_chose() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let ignored = order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    app.clock.advance_secs(301);
    assert_eq!(app.app.commerce_tick().await.expect("tick").sla_decided, 1);
    let t = track(&app, &ignored, &k.consumer).await;
    assert_eq!(t["order"]["status"], "rejected");
    assert_eq!(refunds(&app, &ignored).await, 1);

    let auto = json!({"packaging_fee": 100, "min_order": 2000, "auto_accept": true, "accept_within_secs": 60});
    assert_eq!(app.put(&format!("/api/v1/stores/{}/order-settings", k.store), &auto, Some(&k.owner)).await.status, 200);
    let accepted = order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    app.clock.advance_secs(61);
    app.app.commerce_tick().await.expect("tick");
    assert_eq!(track(&app, &accepted, &k.consumer).await["order"]["status"], "accepted");
    assert_ledger_holds(&app).await;
}

#[tokio::test]
async fn riders_apply_work_their_own_tasks_and_their_positions_expire() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (applicant, applicant_id) = app.user("applicant@test.lokal").await;
    let body = json!({"name": "小王", "phone": "13900139000", "vehicle": "e-bike"});
    assert_eq!(app.post("/api/v1/riders/me", &body, Some(&applicant)).await.status, 201);
    assert_eq!(app.post("/api/v1/riders/me", &body, Some(&applicant)).await.code(), "conflict");
    assert_eq!(app.post("/api/v1/rider/shift", &json!({}), Some(&applicant)).await.status, 403, "not approved yet");
    let decision = format!("/api/v1/admin/riders/{applicant_id}/decision");
    assert_eq!(app.post(&decision, &json!({"approve": true}), Some(&k.clerk)).await.status, 403);
    let bad = app
        .post("/api/v1/riders/me", &json!({"name": "x", "phone": "1", "vehicle": "rocket"}), Some(&k.consumer))
        .await;
    assert_eq!(bad.status, 422);
    assert_eq!(app.get("/api/v1/admin/riders?status=pending", Some(&k.admin)).await.json()["items"][0]["name"], "小王");
    let nul = app.post(&decision, &json!({"approve": false, "reason": "bad\u{0}reason"}), Some(&k.admin)).await;
    assert_eq!((nul.status, nul.json()["error"]["field"].as_str()), (422, Some("reason")), "NUL is refused, not a 500");
    assert_eq!(app.post(&decision, &json!({"approve": true}), Some(&k.admin)).await.status, 200);
    let off = app.post("/api/v1/rider/location", &at(0.0), Some(&applicant)).await;
    assert_eq!(off.code(), "not_on_shift", "no tracking off shift");

    // Two riders; the order goes to the nearer. The other cannot see or touch it.
    let (near, _) = rider(&app, &k, "near@test.lokal", 100.0).await;
    let (far, _) = rider(&app, &k, "far@test.lokal", 2_000.0).await;
    let order = order_and_pay(&app, &k.delivery_cart(), &k.consumer).await;
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    app.app.dispatch_tick().await.expect("dispatch");
    assert_eq!(tasks(&app, &far).await.len(), 0);
    let task = tasks(&app, &near).await[0]["id"].as_str().expect("task").to_owned();
    assert!(tasks(&app, &near).await[0]["order"]["code"].is_null(), "the rider gets the code at the door");
    assert_eq!(app.post(&format!("/api/v1/rider/tasks/{task}/picked-up"), &json!({}), Some(&far)).await.status, 404);
    assert_eq!(app.get("/api/v1/rider/tasks", Some(&k.consumer)).await.status, 403);
    assert_eq!(app.get(&format!("/api/v1/orders/{order}/tracking"), Some(&far)).await.status, 404);
    let (other_owner, _) = app.user("other-owner@test.lokal").await;
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/ready"), &json!({}), Some(&other_owner)).await.status, 404);

    // Positions are sampled (one stored per 10 s) and deleted after the retention window.
    for _ in 0..3 {
        assert_eq!(app.post("/api/v1/rider/location", &at(120.0), Some(&near)).await.status, 204);
    }
    let me = app.get("/api/v1/riders/me", Some(&near)).await.json();
    let near_id: lokal_core::UserId = me["user_id"].as_str().expect("id").parse().expect("uuid");
    assert_eq!(lokal_store::riders::ping_count(app.app.db().pool(), near_id).await.expect("pings"), 1);
    app.clock.advance_secs(25 * 3600);
    let purged = app.app.housekeeping_tick().await.expect("housekeeping");
    assert!(purged.rider_pings >= 1);
    assert_eq!(lokal_store::riders::ping_count(app.app.db().pool(), near_id).await.expect("pings"), 0);
    assert!(app.get("/api/v1/riders/me", Some(&near)).await.json()["position"].is_null());
}

#[tokio::test]
async fn operators_see_the_board_and_reassign_with_an_audited_reason() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let (first, _) = rider(&app, &k, "first@test.lokal", 100.0).await;
    let (second, second_id) = rider(&app, &k, "second@test.lokal", 1_500.0).await;
    let order = order_and_pay(&app, &k.delivery_cart(), &k.consumer).await;
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    app.app.dispatch_tick().await.expect("dispatch");
    let task = tasks(&app, &first).await[0]["id"].as_str().expect("task").to_owned();
    let board = app.get("/api/v1/admin/dispatch", Some(&k.admin)).await.json();
    assert_eq!(board["riders"].as_array().map(Vec::len), Some(2));
    assert_eq!(board["tasks"][0]["status"], "assigned");
    assert_eq!(app.get("/api/v1/admin/dispatch", Some(&k.clerk)).await.status, 403);

    let path = format!("/api/v1/admin/deliveries/{task}/reassign");
    let no_reason = app.post(&path, &json!({"rider_id": second_id, "reason": ""}), Some(&k.admin)).await;
    assert_eq!(no_reason.json()["error"]["field"], "reason");
    let r =
        app.post(&path, &json!({"rider_id": second_id, "reason": "first rider's bike broke"}), Some(&k.admin)).await;
    assert_eq!(r.status, 204, "{}", r.text);
    assert_eq!(tasks(&app, &first).await.len(), 0);
    assert_eq!(tasks(&app, &second).await.len(), 1);
    let steps = track(&app, &order, &k.admin).await["order"]["timeline"].clone();
    let audit = steps.as_array().expect("steps").iter().find(|s| s["kind"] == "reassigned").expect("audited").clone();
    assert_eq!(audit["note"], "first rider's bike broke");

    // A store delay hands the task back to the dispatcher, which gives it out again.
    let e = app
        .post(
            &format!("/api/v1/rider/tasks/{task}/exception"),
            &json!({"kind": "store_delay", "note": "kitchen busy"}),
            Some(&second),
        )
        .await;
    assert_eq!(e.status, 204, "{}", e.text);
    app.app.dispatch_tick().await.expect("dispatch");
    assert_eq!(tasks(&app, &first).await.len(), 1, "the nearer rider gets it back");
}

#[tokio::test]
async fn in_grab_mode_the_first_rider_to_grab_gets_the_task() {
    let app =
        TestApp::spawn_config(|c| c.delivery.dispatch_mode = lokal_app::delivery_settings::DispatchMode::Grab).await;
    let k = kitchen(&app).await;
    let emails: Vec<String> = (0..4).map(|i| format!("grab{i}@test.lokal")).collect();
    let riders: Vec<String> = join_all(emails.iter().zip(0..).map(|(e, i)| rider(&app, &k, e, 200.0 + f64::from(i))))
        .await
        .into_iter()
        .map(|(t, _)| t)
        .collect();
    let order = order_and_pay(&app, &k.delivery_cart(), &k.consumer).await;
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    assert_eq!(app.app.dispatch_tick().await.expect("tick"), 0, "the dispatcher stands aside");
    let offers = app.get("/api/v1/rider/offers", Some(&riders[0])).await.json();
    let task = offers["items"][0]["id"].as_str().expect("offer").to_owned();
    let (path, empty) = (format!("/api/v1/rider/offers/{task}/grab"), json!({}));
    let grabs = join_all(riders.iter().map(|t| app.post(&path, &empty, Some(t)))).await;
    assert_eq!(
        grabs.iter().filter(|r| r.status == 204).count(),
        1,
        "{:?}",
        grabs.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    assert!(grabs.iter().all(|r| r.status == 204 || r.code() == "order_state_conflict"));
}

#[tokio::test]
async fn racing_moves_have_one_winner_and_the_books_stay_balanced() {
    // Grab mode: tasks go to the riders the test names, with no dispatcher deciding meanwhile.
    let app =
        TestApp::spawn_config(|c| c.delivery.dispatch_mode = lokal_app::delivery_settings::DispatchMode::Grab).await;
    let k = kitchen(&app).await;
    let (second_clerk, _) = app.user("clerk-two@test.lokal").await;
    let staff = json!({"login": "clerk-two@test.lokal", "role": "clerk", "store_ids": [k.store]});
    app.hire(&k.merchant, &staff, &k.owner, &second_clerk).await;
    let plenty =
        app.put(&format!("/api/v1/stores/{}/items/{}", k.store, k.tea), &json!({"stock": 100}), Some(&k.owner)).await;
    assert_eq!(plenty.status, 200);

    // Two clerks accept the same order at once.
    let order = order_and_pay(&app, &k.delivery_cart(), &k.consumer).await;
    let (accept, empty) = (format!("/api/v1/orders/{order}/accept"), json!({}));
    let (a, b) =
        tokio::join!(app.post(&accept, &empty, Some(&k.clerk)), app.post(&accept, &empty, Some(&second_clerk)));
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409], "{} / {}", a.text, b.text);
    let one_task: i64 = sqlx::Row::get(
        &sqlx::query("SELECT COUNT(*) AS n FROM deliveries").fetch_one(app.app.db().pool()).await.expect("count"),
        "n",
    );
    assert_eq!(one_task, 1);

    // Two devices of the rider confirm the same pickup at once.
    let (rider_token, _) = rider(&app, &k, "racer@test.lokal", 100.0).await;
    let task = grab(&app, &order, &k.consumer, &rider_token).await;
    let pick = format!("/api/v1/rider/tasks/{task}/picked-up");
    let both = join_all((0..2).map(|_| app.post(&pick, &empty, Some(&rider_token)))).await;
    assert_eq!(both.iter().filter(|r| r.status == 200).count(), 1);
    assert!(both.iter().all(|r| r.status == 200 || r.code() == "order_state_conflict"));

    // A cancellation races a pickup: either the order is cancelled (and its task, and refunded)
    // or it is on its way, never half of each.
    for i in 0..4 {
        let order = order_and_pay(&app, &k.delivery_cart(), &k.consumer).await;
        assert_eq!(app.post(&format!("/api/v1/orders/{order}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
        let (rider_token, _) = rider(&app, &k, &format!("race{i}@test.lokal"), 50.0).await;
        let task = grab(&app, &order, &k.consumer, &rider_token).await;
        let pick = format!("/api/v1/rider/tasks/{task}/picked-up");
        let (c, p) = tokio::join!(cancel(&app, &order, &k.clerk), app.post(&pick, &empty, Some(&rider_token)));
        assert_eq!([c.status, p.status].iter().filter(|s| **s == 200).count(), 1, "{} / {}", c.text, p.text);
        assert!([&c, &p].iter().all(|r| r.status == 200 || r.code() == "order_state_conflict"));
        let t = track(&app, &order, &k.consumer).await;
        let (status, task_status) = (t["order"]["status"].as_str(), t["order"]["delivery"]["status"].as_str());
        if c.status == 200 {
            assert_eq!((status, task_status), (Some("cancelled"), Some("cancelled")));
            assert_eq!(refunds(&app, &order).await, 1);
        } else {
            assert_eq!((status, task_status), (Some("delivering"), Some("picked_up")));
            assert_eq!(refunds(&app, &order).await, 0);
        }
    }
    assert_ledger_holds(&app).await;
}

/// The rider grabs the task of `order` (grab mode); returns the task id.
async fn grab(app: &TestApp, order: &str, consumer: &str, rider_token: &str) -> String {
    let task = track(app, order, consumer).await["order"]["delivery"]["id"].as_str().expect("task").to_owned();
    let g = app.post(&format!("/api/v1/rider/offers/{task}/grab"), &json!({}), Some(rider_token)).await;
    assert_eq!(g.status, 204, "{}", g.text);
    task
}

#[tokio::test]
async fn live_streams_are_only_for_those_who_may_watch_and_say_only_that_something_changed() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let stranger = app.user("stranger@test.lokal").await.0;
    assert_eq!(app.get(&format!("/live/stores/{}", k.store), Some(&stranger)).await.status, 403);
    assert_eq!(app.get("/live/dispatch", Some(&k.clerk)).await.status, 403);
    assert_eq!(app.get("/live/rider", Some(&k.consumer)).await.status, 403);

    let mut desk = app
        .client
        .get(format!("{}/live/stores/{}", app.base, k.store))
        .bearer_auth(&k.clerk)
        .send()
        .await
        .expect("stream");
    assert_eq!(desk.status(), 200);
    let kind = desk.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    assert!(kind.starts_with("text/event-stream"), "{kind}");
    let order = order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    let chunk = tokio::time::timeout(std::time::Duration::from_secs(10), desk.chunk()).await.expect("an event in time");
    let text = String::from_utf8_lossy(&chunk.expect("read").expect("a chunk")).into_owned();
    assert!(text.contains("event: change") && text.contains("data: new_order"), "{text}");
    assert!(!text.contains(&order), "events carry no data, only that something changed");
    let stranger_watch = app.get(&format!("/live/orders/{order}"), Some(&stranger)).await;
    assert_eq!(stranger_watch.status, 403);
}

/// `HH:MM` of the instant `ms` at a place `offset_min` east of UTC.
fn clock_at(ms: i64, offset_min: i64) -> String {
    let m = (ms.div_euclid(60_000) + offset_min).rem_euclid(1440);
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// Epoch ms of an RFC 3339 field of an API answer.
fn ms_of(v: &serde_json::Value) -> i64 {
    lokal_core::Timestamp::parse_rfc3339(v.as_str().expect("a time")).expect("RFC 3339").millis()
}

#[tokio::test]
async fn the_order_desk_the_rider_app_and_the_board_speak_chinese_first_in_the_right_zone() {
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    // The store keeps Tokyo's time, an hour ahead of the city (Shanghai).
    let profile = json!({"name": "Noodle House People's Square", "category": "food", "address": "1 Nanjing Rd",
        "location": at(0.0), "hours": always(), "delivery": true, "delivery_radius_m": 3000, "pickup": true,
        "dine_in": true, "utc_offset_min": 540});
    let put = app.put(&format!("/api/v1/stores/{}", k.store), &profile, Some(&k.owner)).await;
    assert_eq!(put.status, 200, "{}", put.text);
    let (rider_token, _) = rider(&app, &k, "page-rider@test.lokal", 100.0).await;
    let order = order_and_pay(&app, &k.delivery_cart(), &k.consumer).await;
    let placed = app.clock.now().millis();

    // The desk: the order's words in Chinese, its time the store's.
    let desk_path = format!("/merchant/orders?store={}", k.store);
    let desk = app.get(&desk_path, Some(&k.clerk)).await;
    assert_eq!(desk.status, 200, "{}", desk.text);
    assert!(desk.text.contains("<html lang=\"zh-CN\">"));
    assert!(desk.text.contains(&format!("data-order=\"{order}\"")) && desk.text.contains("data-status=\"paid\""));
    for word in ["接单台", ">外卖配送<", ">已支付<", ">接单<", "进行中的订单：1单"] {
        assert!(desk.text.contains(word), "{word} on the desk");
    }
    assert!(desk.text.contains(&format!("{} 下单", clock_at(placed, 540))), "the store's clock: {}", desk.text);
    let en = app
        .send(app.client.get(format!("{}{desk_path}", app.base)).bearer_auth(&k.clerk).header("accept-language", "en"))
        .await;
    for words in ["Order desk", "1 order in progress", ">Accept<", &format!("Placed {}", clock_at(placed, 540))] {
        assert!(en.text.contains(words), "{words} on the English desk");
    }

    // The rider's task, in the store's time too.
    assert_eq!(app.post(&format!("/api/v1/orders/{order}/accept"), &json!({}), Some(&k.clerk)).await.status, 200);
    app.app.dispatch_tick().await.expect("dispatch");
    let task = tasks(&app, &rider_token).await[0].clone();
    let page = app.get("/rider", Some(&rider_token)).await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(page.text.contains("data-status=\"assigned\"") && page.text.contains("前往商家取餐"));
    assert!(page.text.contains(&clock_at(ms_of(&task["ready_at"]), 540)), "ready in the store's time");
    assert!(page.text.contains(&clock_at(ms_of(&task["eta_at"]), 540)), "due in the store's time");
    assert!(page.text.contains(">开工中<") && page.text.contains("我的任务（1）"));

    // The board (the city's business) shows the task in Chinese.
    let board = app.get("/admin/dispatch", Some(&k.admin)).await;
    assert!(board.text.contains("调度台") && board.text.contains(">已派单<"), "{}", board.text);

    // A refused form comes back as a catalogue key and reads in the reader's language.
    let (c, csrf) = logged_in_client(&app, "page-rider@test.lokal", "correct horse").await;
    let r = c
        .post(format!("{}/rider/location", app.base))
        .form(&[("lat", "north"), ("lng", "121.47"), ("csrf_token", &csrf)])
        .send()
        .await
        .expect("post");
    let to = r.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned();
    assert_eq!(to, "/rider?error=rider-position-not-numbers");
    let zh = c.get(format!("{}{to}", app.base)).send().await.expect("page").text().await.expect("html");
    assert!(zh.contains("纬度和经度须为数字"), "{zh}");
    let en = c
        .get(format!("{}{to}", app.base))
        .header("accept-language", "en")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(en.contains("Latitude and longitude must be numbers"), "{en}");
    // Only catalogue messages: a link cannot make the page say something else.
    let fake = c.get(format!("{}/rider?error=call-this-number", app.base)).send().await.expect("page");
    assert!(!fake.text().await.expect("html").contains("data-testid=\"rider-error\""));
    let done = c
        .post(format!("{}/rider/location", app.base))
        .form(&[("lat", "31.2304"), ("lng", "121.4737"), ("csrf_token", &csrf)])
        .send()
        .await
        .expect("post");
    let to = done.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or_default().to_owned();
    let zh = c.get(format!("{}{to}", app.base)).send().await.expect("page").text().await.expect("html");
    assert!(zh.contains("位置已上报。"), "{zh}");
}
