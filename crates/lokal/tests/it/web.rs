//! The pages: register, log in and out with cookies; forms refuse posts without the CSRF token.

use crate::harness::TestApp;

pub fn cookie_client() -> reqwest::Client {
    reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    html[start..start + 64].to_owned()
}

#[tokio::test]
async fn the_home_page_renders_for_guests() {
    let app = TestApp::spawn().await;
    let r = app.get("/", None).await;
    assert_eq!(r.status, 200);
    assert!(r.header("content-type").unwrap_or_default().starts_with("text/html"));
    assert!(r.text.contains("<html lang=\"zh-CN\">") && r.text.contains("附近有什么好吃好玩的？"), "{}", r.text);
    assert!(r.text.contains("/static/app.css"));
    let en = app.send(app.client.get(format!("{}/", app.base)).header("accept-language", "en")).await;
    assert!(en.text.contains("What is good near you?") && en.text.contains("Recommended near you"), "{}", en.text);
    assert_eq!(app.get("/static/app.css", None).await.status, 200);
}

#[tokio::test]
async fn a_person_registers_logs_out_and_logs_back_in_with_forms() {
    let app = TestApp::spawn().await;
    let c = cookie_client();
    let form = c.get(format!("{}/register", app.base)).send().await.expect("get").text().await.expect("html");
    let csrf = csrf_from(&form);
    let r = c
        .post(format!("{}/register", app.base))
        .form(&[
            ("email", "web@test.lokal"),
            ("phone", ""),
            ("display_name", "Web Person"),
            ("password", "correct horse"),
            ("csrf_token", &csrf),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 303);
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("lokal_session="))
        .expect("session cookie")
        .to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));
    let home = c.get(format!("{}/", app.base)).send().await.expect("home").text().await.expect("html");
    assert!(home.contains("欢迎回来，Web Person"), "{home}");
    let visitor_csrf = csrf;
    let csrf = csrf_from(&home);
    assert_ne!(csrf, visitor_csrf, "logged in, the token is the session's own");
    let stale =
        c.post(format!("{}/logout", app.base)).form(&[("csrf_token", visitor_csrf.as_str())]).send().await.expect("x");
    assert_eq!(stale.status().as_u16(), 403, "the visitor's cookie token no longer posts in the person's name");
    let account = c.get(format!("{}/account", app.base)).send().await.expect("account").text().await.expect("html");
    assert!(account.contains("web@test.lokal"));
    let out =
        c.post(format!("{}/logout", app.base)).form(&[("csrf_token", csrf.as_str())]).send().await.expect("logout");
    assert_eq!(out.status().as_u16(), 303);
    let home = c.get(format!("{}/", app.base)).send().await.expect("home").text().await.expect("html");
    assert!(!home.contains("data-testid=\"greeting\"") && !home.contains("欢迎回来"));
    // Logged out, the visitor's cookie token is the one again.
    let csrf = visitor_csrf;
    assert_eq!(csrf_from(&home), csrf);
    let bad = c
        .post(format!("{}/login", app.base))
        .form(&[("login", "web@test.lokal"), ("password", "wrong password"), ("csrf_token", &csrf)])
        .send()
        .await
        .expect("login");
    assert_eq!(bad.status().as_u16(), 401);
    assert!(bad.text().await.expect("html").contains("账号或密码错误"));
    let good = c
        .post(format!("{}/login", app.base))
        .form(&[("login", "web@test.lokal"), ("password", "correct horse"), ("csrf_token", &csrf)])
        .send()
        .await
        .expect("login");
    assert_eq!(good.status().as_u16(), 303);
    let home = c.get(format!("{}/", app.base)).send().await.expect("home").text().await.expect("html");
    assert!(home.contains("欢迎回来，Web Person"));
}

#[tokio::test]
async fn forms_without_the_csrf_token_or_from_another_site_are_refused() {
    let app = TestApp::spawn().await;
    app.user("csrf@test.lokal").await;
    let c = cookie_client();
    let form = c.get(format!("{}/login", app.base)).send().await.expect("get").text().await.expect("html");
    let csrf = csrf_from(&form);
    let creds = [("login", "csrf@test.lokal"), ("password", "correct horse")];
    let none = c.post(format!("{}/login", app.base)).form(&creds).send().await.expect("post");
    assert_eq!(none.status().as_u16(), 403);
    let wrong = c
        .post(format!("{}/login", app.base))
        .form(&[creds[0], creds[1], ("csrf_token", &"0".repeat(64))])
        .send()
        .await
        .expect("post");
    assert_eq!(wrong.status().as_u16(), 403);
    let foreign = c
        .post(format!("{}/login", app.base))
        .header("origin", "http://evil.example")
        .form(&[creds[0], creds[1], ("csrf_token", &csrf)])
        .send()
        .await
        .expect("post");
    assert_eq!(foreign.status().as_u16(), 403);
    let fresh = cookie_client();
    let no_cookie = fresh
        .post(format!("{}/login", app.base))
        .form(&[creds[0], creds[1], ("csrf_token", &csrf)])
        .send()
        .await
        .expect("post");
    assert_eq!(no_cookie.status().as_u16(), 403, "a token without its cookie is refused");
}

#[tokio::test]
async fn the_api_accepts_the_session_cookie_for_reads_and_for_writes_only_with_the_csrf_header() {
    let app = TestApp::spawn().await;
    let (token, _) = app.user("cookie@test.lokal").await;
    // A planted CSRF cookie is no help: the token is bound to the session.
    let cookie = format!("lokal_session={token}; lokal_csrf={}", "a".repeat(64));
    let me = app.send(app.client.get(format!("{}/api/v1/me", app.base)).header("cookie", &cookie)).await;
    assert_eq!(me.status, 200);
    let no_header =
        app.send(app.client.post(format!("{}/api/v1/auth/logout", app.base)).header("cookie", &cookie)).await;
    assert_eq!((no_header.status, no_header.code().as_str()), (403, "csrf_token_invalid"));
    let planted = app
        .send(
            app.client
                .post(format!("{}/api/v1/auth/logout", app.base))
                .header("cookie", &cookie)
                .header("x-csrf-token", "a".repeat(64)),
        )
        .await;
    assert_eq!(planted.code(), "csrf_token_invalid");
    let (other, _) = app.user("other-cookie@test.lokal").await;
    let someone_elses = app
        .send(
            app.client
                .post(format!("{}/api/v1/auth/logout", app.base))
                .header("cookie", &cookie)
                .header("x-csrf-token", lokal_api::session_csrf(&other)),
        )
        .await;
    assert_eq!(someone_elses.code(), "csrf_token_invalid", "another session's token");
    let with_header = app
        .send(
            app.client
                .post(format!("{}/api/v1/auth/logout", app.base))
                .header("cookie", &cookie)
                .header("x-csrf-token", lokal_api::session_csrf(&token)),
        )
        .await;
    assert_eq!(with_header.status, 204);
}

#[tokio::test]
async fn the_home_nearby_and_store_pages_show_the_city() {
    let app = TestApp::spawn().await;
    lokal::demo::seed(&app.app, lokal::demo::CityOptions::default()).await.expect("seed");
    let home = app.get("/", None).await;
    assert_eq!(home.status, 200);
    assert!(home.text.contains("data-testid=\"recommended\">猜你喜欢<"), "{}", home.text);
    assert_eq!(home.text.matches("data-testid=\"store-card\"").count(), 10);
    // Categories, distances and prices in Chinese: 美食, "350 m", "¥85/人".
    assert!(home.text.contains(">美食<") && home.text.contains("/人<"), "{}", home.text);
    let list = app.get("/nearby?category=hotel", None).await;
    assert_eq!(list.status, 200);
    assert!(list.text.contains("Harbor Inn") || list.text.contains("Guesthouse"), "hotels are listed");
    let bad = app.get("/nearby?lat=95&lng=0", None).await;
    assert_eq!(bad.status, 422);
    let first =
        home.text.split("href=\"/stores/").nth(1).and_then(|s| s.split('"').next()).expect("a store link").to_owned();
    let page = app.get(&format!("/stores/{first}"), None).await;
    assert_eq!(page.status, 200);
    assert!(page.text.contains("data-testid=\"map\"") && page.text.contains("周边商家地图"));
    assert!(page.text.contains("营业时间") && page.text.contains("<th>周一</th>"), "{}", page.text);
    let en = app.send(app.client.get(format!("{}/stores/{first}", app.base)).header("accept-language", "en")).await;
    assert!(
        en.text.contains(">Hours<") && en.text.contains("<th>Mon</th>") && en.text.contains("Map of the stores around")
    );
    assert!(!en.text.contains("⟦") && !page.text.contains("⟦"), "every key is translated");
    // A store nobody has reviewed shows no stars, whatever rating it came with.
    if page.text.contains("data-testid=\"review-count\" data-count=\"0\"") {
        assert!(page.text.contains("data-rated=\"false\">暂无评价<"), "{}", page.text);
        assert!(en.text.contains("data-rated=\"false\">No reviews yet<"));
    }
    assert_eq!(app.get("/stores/not-an-id", None).await.status, 404);
    assert_eq!(app.get("/stores/01a20853-55f8-72d3-aa75-e5bfb9628eb4", None).await.status, 404);
}

#[tokio::test]
async fn the_search_page_finds_a_dish() {
    let app = TestApp::spawn().await;
    lokal::demo::seed(&app.app, lokal::demo::CityOptions::default()).await.expect("seed");
    let page = app.get("/search?q=%E7%89%9B%E8%82%89%E9%9D%A2", None).await; // 牛肉面
    assert_eq!(page.status, 200);
    assert!(page.text.contains("兰州牛肉面"), "beef noodles found");
    let empty = app.get("/search", None).await;
    assert_eq!(empty.status, 200);
    assert_eq!(app.get("/search?q=tea&radius_m=0", None).await.status, 422);
}

pub async fn logged_in_client(app: &TestApp, login: &str, password: &str) -> (reqwest::Client, String) {
    let c = cookie_client();
    let form = c.get(format!("{}/login", app.base)).send().await.expect("get").text().await.expect("html");
    let csrf = csrf_from(&form);
    let r = c
        .post(format!("{}/login", app.base))
        .form(&[("login", login), ("password", password), ("csrf_token", &csrf)])
        .send()
        .await
        .expect("login");
    assert_eq!(r.status().as_u16(), 303, "logged in");
    // Logged in, forms carry the session's own token.
    let home = c.get(format!("{}/", app.base)).send().await.expect("get").text().await.expect("html");
    let csrf = csrf_from(&home);
    (c, csrf)
}

#[tokio::test]
async fn a_business_applies_on_the_page_and_an_operator_approves_it_in_the_queue() {
    let app = TestApp::spawn().await;
    app.admin().await;
    app.user("shop@test.lokal").await;
    let (shop, csrf) = logged_in_client(&app, "shop@test.lokal", "correct horse").await;
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("business_name", "Tea Corner"),
        ("licence_number", "TEA-2026-01"),
        ("category", "food"),
        ("contact_name", "Wu Lan"),
        ("contact_phone", "13700137000"),
        ("store_name", "Tea Corner · Hankou Rd"),
        ("store_address", "88 Hankou Rd"),
        ("lat", "31.2350"),
        ("lng", "121.4800"),
    ];
    let r = shop.post(format!("{}/merchant/apply", app.base)).form(&fields).send().await.expect("apply");
    assert_eq!(r.status().as_u16(), 303);
    let mine = shop.get(format!("{}/merchant/apply", app.base)).send().await.expect("page").text().await.expect("html");
    assert!(mine.contains("Tea Corner") && mine.contains("data-status=\"pending\">待审核<"), "{mine}");
    let en = shop
        .get(format!("{}/merchant/apply", app.base))
        .header("accept-language", "en")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(en.contains("Your applications") && en.contains(">pending<"), "{en}");
    // A shopkeeper is not an operator.
    assert_eq!(
        shop.get(format!("{}/admin/applications", app.base)).send().await.expect("queue").status().as_u16(),
        403
    );

    let (ops, ops_csrf) = logged_in_client(&app, "root@test.lokal", "admin password").await;
    let queue =
        ops.get(format!("{}/admin/applications", app.base)).send().await.expect("queue").text().await.expect("html");
    assert!(queue.contains("Tea Corner") && queue.contains("data-testid=\"admin-link\""));
    let action = queue
        .split("action=\"/admin/applications/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("approve action")
        .to_owned();
    assert!(action.ends_with("/approve"));
    let done = ops
        .post(format!("{}/admin/applications/{action}", app.base))
        .form(&[("csrf_token", ops_csrf.as_str())])
        .send()
        .await
        .expect("approve");
    assert_eq!(done.status().as_u16(), 303);
    let mine = shop.get(format!("{}/merchant/apply", app.base)).send().await.expect("page").text().await.expect("html");
    assert!(mine.contains("data-status=\"approved\">已通过<"), "{mine}");
    let found = app.get("/api/v1/search?q=tea%20corner", None).await.json();
    assert_eq!(found["results"][0]["name"], "Tea Corner · Hankou Rd");
}

#[tokio::test]
async fn the_console_edits_items_for_managers_only() {
    let app = TestApp::spawn().await;
    lokal::demo::seed(&app.app, lokal::demo::CityOptions::default()).await.expect("seed");
    let (owner, csrf) = logged_in_client(&app, "owner@demo.lokal", "lokal-demo").await;
    let page = owner.get(format!("{}/merchant", app.base)).send().await.expect("console").text().await.expect("html");
    assert!(page.contains("毛肚 Beef tripe"), "the catalog is listed");
    assert!(page.contains("<h1>商家后台</h1>") && page.contains("data-role=\"owner\">店主<"), "{page}");
    let en = owner
        .get(format!("{}/merchant", app.base))
        .header("accept-language", "en")
        .send()
        .await
        .expect("console")
        .text()
        .await
        .expect("html");
    assert!(en.contains("<h1>Merchant console</h1>") && en.contains(">Invite<"), "{en}");
    let action =
        page.split("action=\"/merchant/items/").nth(1).and_then(|s| s.split('"').next()).expect("item form").to_owned();
    let fields =
        [("csrf_token", csrf.as_str()), ("section", "Broths"), ("name", "清汤锅底 Clear broth"), ("price", "48.5")];
    let saved = owner.post(format!("{}/merchant/items/{action}", app.base)).form(&fields).send().await.expect("save");
    assert_eq!(saved.status().as_u16(), 303);
    let found = app.get("/api/v1/search?q=%E6%B8%85%E6%B1%A4", None).await.json(); // 清汤
    assert!(found["results"].as_array().is_some_and(|r| !r.is_empty()));
    let bad = owner
        .post(format!("{}/merchant/items/{action}", app.base))
        .form(&[fields[0], fields[1], fields[2], ("price", "lots")])
        .send()
        .await
        .expect("save");
    assert_eq!(bad.status().as_u16(), 422);
    // A clerk sees the catalog read-only and cannot post edits.
    let (clerk, clerk_csrf) = logged_in_client(&app, "clerk@demo.lokal", "lokal-demo").await;
    let view = clerk.get(format!("{}/merchant", app.base)).send().await.expect("console").text().await.expect("html");
    assert!(!view.contains("data-testid=\"item-form\""));
    let denied = clerk
        .post(format!("{}/merchant/items/{action}", app.base))
        .form(&[("csrf_token", clerk_csrf.as_str()), fields[1], fields[2], fields[3]])
        .send()
        .await
        .expect("save");
    assert_eq!(denied.status().as_u16(), 403);
}

#[tokio::test]
async fn a_manager_places_the_store_by_pin_and_adds_a_photo_that_the_store_page_shows() {
    let app = TestApp::spawn().await;
    lokal::demo::seed(&app.app, lokal::demo::CityOptions::default()).await.expect("seed");
    let (owner, csrf) = logged_in_client(&app, "owner@demo.lokal", "lokal-demo").await;
    let console =
        owner.get(format!("{}/merchant", app.base)).send().await.expect("console").text().await.expect("html");
    let link = console
        .split("href=\"/merchant/stores/")
        .find_map(|s| s.split('"').next().filter(|p| p.ends_with("/profile")))
        .expect("a profile link")
        .to_owned();
    let store = link.trim_end_matches("/profile").to_owned();
    let url = format!("{}/merchant/stores/{link}", app.base);
    let page = owner.get(&url).send().await.expect("profile").text().await.expect("html");
    assert!(page.contains("data-testid=\"map\"") && page.contains("data-pick-lat=\"lat\""), "a map to place the pin");
    assert!(!page.contains("type=\"text\" name=\"lat\""), "nobody types coordinates");
    let name = page
        .split("id=\"name\" name=\"name\" required maxlength=\"64\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("name")
        .to_owned();
    let photo = crate::uploads::picture(640, 480, image::ImageFormat::Png);
    let form = |lat: &str, photo: Option<Vec<u8>>| {
        let mut f = reqwest::multipart::Form::new()
            .text("csrf_token", csrf.clone())
            .text("name", name.clone())
            .text("address", "南京东路 300 号")
            .text("avg_price", "88")
            .text("dine_in", "1")
            .text("pickup", "1")
            .text("lat", lat.to_owned())
            .text("lng", "121.4800");
        if let Some(bytes) = photo {
            f = f.part("photo", reqwest::multipart::Part::bytes(bytes).file_name("shop.png"));
        }
        f
    };
    let saved = owner.post(&url).multipart(form("31.2400", Some(photo))).send().await.expect("save");
    assert_eq!(saved.status().as_u16(), 303, "{:?}", saved.text().await);
    let api = app.get(&format!("/api/v1/stores/{store}"), None).await.json();
    assert_eq!(
        (api["location"]["lat"].as_f64(), api["address"].as_str()),
        (Some(31.24), Some("南京东路 300 号")),
        "{api}"
    );
    let photo_url = api["photos"][0].as_str().expect("a photo").to_owned();
    assert!(photo_url.starts_with("/media/") && photo_url.ends_with("/w800.jpg"), "{photo_url}");
    let jpeg = owner.get(format!("{}{photo_url}", app.base)).send().await.expect("photo");
    assert_eq!(jpeg.headers()["content-type"], "image/jpeg");
    let shown =
        owner.get(format!("{}/stores/{store}", app.base)).send().await.expect("store").text().await.expect("html");
    assert!(
        shown.contains(&format!("src=\"{photo_url}\"")) && shown.contains("data-testid=\"store-photo\""),
        "{shown}"
    );
    // Saved again without keeping it, the photo is gone from the store; a bad price is refused.
    let again = owner.post(&url).multipart(form("31.2400", None)).send().await.expect("save");
    assert_eq!(again.status().as_u16(), 303);
    assert_eq!(app.get(&format!("/api/v1/stores/{store}"), None).await.json()["photos"], serde_json::json!([]));
    let bad = owner.post(&url).multipart(form("31.2400", None).text("avg_price", "lots")).send().await.expect("save");
    assert_eq!(bad.status().as_u16(), 422);
    // A clerk may neither see nor change the profile.
    let (clerk, clerk_csrf) = logged_in_client(&app, "clerk@demo.lokal", "lokal-demo").await;
    assert_eq!(clerk.get(&url).send().await.expect("profile").status().as_u16(), 403);
    let f = reqwest::multipart::Form::new().text("csrf_token", clerk_csrf).text("name", "Mine now");
    assert_eq!(clerk.post(&url).multipart(f).send().await.expect("save").status().as_u16(), 403);
}

#[tokio::test]
async fn checkout_offers_the_saved_addresses_and_saves_a_new_one_placed_on_the_map() {
    let app = TestApp::spawn().await;
    lokal::demo::seed(&app.app, lokal::demo::CityOptions::default()).await.expect("seed");
    let (me, csrf) = logged_in_client(&app, "consumer@demo.lokal", "lokal-demo").await;
    // The first store in the demo city that delivers.
    let found = app.get("/api/v1/search?q=%E7%81%AB%E9%94%85", None).await.json(); // 火锅
    let mut store = None;
    for r in found["results"].as_array().expect("results") {
        let id = r["store_id"].as_str().or(r["id"].as_str()).unwrap_or_default().to_owned();
        let s = app.get(&format!("/api/v1/stores/{id}"), None).await.json();
        if s["delivery"] == true {
            store = Some(id);
            break;
        }
    }
    let store = store.expect("a delivering store");
    let menu_url = format!("{}/stores/{store}/order", app.base);
    let menu = me.get(&menu_url).send().await.expect("menu").text().await.expect("html");
    assert!(menu.contains("id=\"drop-map\"") && menu.contains("data-pick-lat=\"lat\""), "the pin is placed on a map");
    assert!(!menu.contains("data-testid=\"saved-addresses\""), "no saved address yet");
    let item = menu.split("name=\"qty:").nth(1).and_then(|s| s.split('"').next()).expect("an item").to_owned();
    let lat = menu.split("id=\"lat\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("lat").to_owned();
    let lng = menu.split("id=\"lng\" value=\"").nth(1).and_then(|s| s.split('"').next()).expect("lng").to_owned();
    let qty = format!("qty:{item}");
    let order = |extra: Vec<(&'static str, String)>| {
        let mut f: Vec<(String, String)> = vec![
            ("csrf_token".into(), csrf.clone()),
            ("mode".into(), "delivery".into()),
            (qty.clone(), "1".into()),
            ("lat".into(), lat.clone()),
            ("lng".into(), lng.clone()),
        ];
        f.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
        f
    };
    // Saving needs the receiver: the menu comes back saying so, with everything chosen kept.
    let no_name = order(vec![("address", "西藏中路 88 号".into()), ("save_address", "1".into())]);
    let back = me.post(&menu_url).form(&no_name).send().await.expect("quote");
    assert_eq!(back.status().as_u16(), 422);
    let back = back.text().await.expect("html");
    assert!(back.contains("data-testid=\"order-error\"") && back.contains("收货人和手机号"), "{back}");
    assert!(
        back.contains("value=\"西藏中路 88 号\"")
            && back.contains(&format!("name=\"{qty}\" min=\"0\" max=\"99\" value=\"1\""))
    );
    assert!(back.contains(&format!("value=\"{lat}\"")), "the pin stays where it was placed");
    let new = order(vec![
        ("address", "西藏中路 88 号".into()),
        ("door", "1203 室".into()),
        ("contact_name", "小王".into()),
        ("contact_phone", "13900139000".into()),
        ("save_address", "1".into()),
        ("address_label", "公司".into()),
    ]);
    let q = me.post(&menu_url).form(&new).send().await.expect("quote");
    assert_eq!(q.status().as_u16(), 303);
    let token =
        app.login("consumer@demo.lokal", "lokal-demo").await.json()["token"].as_str().expect("token").to_owned();
    let book = app.get("/api/v1/me/addresses", Some(&token)).await.json();
    assert_eq!(
        (book["items"][0]["label"].as_str(), book["items"][0]["door"].as_str()),
        (Some("公司"), Some("1203 室"))
    );
    let id = book["items"][0]["id"].as_str().expect("id").to_owned();
    // Next time the menu offers it, and choosing it prices the order to it.
    let menu = me.get(&menu_url).send().await.expect("menu").text().await.expect("html");
    assert!(menu.contains("data-testid=\"saved-addresses\"") && menu.contains(&format!("value=\"{id}\"")), "{menu}");
    let q = me.post(&menu_url).form(&order(vec![("address_id", id)])).send().await.expect("quote");
    assert_eq!(q.status().as_u16(), 303);
    let quote = q.headers()["location"].to_str().expect("location").to_owned();
    let page = me.get(format!("{}{quote}", app.base)).send().await.expect("quote page").text().await.expect("html");
    assert!(page.contains("西藏中路 88 号"), "{page}");
}

#[tokio::test]
async fn logging_in_comes_back_to_the_page_that_asked_for_it() {
    let app = TestApp::spawn().await;
    let guest = cookie_client();
    let go = |path: &'static str| {
        let (guest, base) = (guest.clone(), app.base.clone());
        async move { guest.get(format!("{base}{path}")).send().await.expect("page") }
    };
    for (path, next) in [("/merchant", "/merchant"), ("/me/orders?tab=done", "/me/orders%3Ftab%3Ddone")] {
        let r = go(path).await;
        assert_eq!(r.status().as_u16(), 303, "{path}");
        assert_eq!(r.headers()["location"], format!("/login?next={next}").as_str(), "{path}");
    }
    // A form posted without a session comes back to the page it was posted from.
    let home = guest.get(format!("{}/", app.base)).send().await.expect("home").text().await.expect("html");
    let csrf = csrf_from(&home);
    let host = app.base.trim_start_matches("http://").to_owned();
    let r = guest
        .post(format!("{}/stores/0190c6a2-7b1e-7cc0-8000-000000000001/order", app.base))
        .header("referer", format!("http://{host}/stores/0190c6a2-7b1e-7cc0-8000-000000000001/order"))
        .form(&[("csrf_token", csrf.as_str()), ("mode", "pickup")])
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(r.headers()["location"], "/login?next=/stores/0190c6a2-7b1e-7cc0-8000-000000000001/order");
    // Another site's page is never where it goes back to.
    let r = guest
        .post(format!("{}/stores/0190c6a2-7b1e-7cc0-8000-000000000001/order", app.base))
        .header("referer", "http://evil.example/stores/x")
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .expect("post");
    assert!(matches!(r.status().as_u16(), 303 | 403), "{}", r.status());
    if r.status().as_u16() == 303 {
        assert_eq!(r.headers()["location"], "/login");
    }
}

#[tokio::test]
async fn my_orders_lists_deal_orders_and_menu_orders_under_their_states() {
    let app = TestApp::spawn().await;
    let s = crate::commerce::shop(&app, "Tabs").await;
    let deal = crate::commerce::create_deal(&app, &s, serde_json::json!({})).await;
    app.register("tabs@test.lokal").await;
    let token = app.login("tabs@test.lokal", "correct horse").await.json()["token"].as_str().expect("token").to_owned();
    let paid = crate::commerce::buy(&app, &deal, &token, 2).await;
    // A second order left unpaid.
    let key = uuid::Uuid::now_v7().to_string();
    let o = app
        .post_keyed(&format!("/api/v1/deals/{deal}/orders"), &serde_json::json!({"quantity": 1}), &token, &key)
        .await;
    assert_eq!(o.status, 201, "{}", o.text);
    let (me, _) = logged_in_client(&app, "tabs@test.lokal", "correct horse").await;
    let page = |tab: &'static str| {
        let (me, base) = (me.clone(), app.base.clone());
        async move { me.get(format!("{base}/me/orders{tab}")).send().await.expect("page").text().await.expect("html") }
    };
    let all = page("").await;
    assert!(all.contains("data-testid=\"my-orders-tab-all\" data-count=\"2\""), "{all}");
    assert!(
        all.contains(&format!("href=\"/orders/{}\"", paid["id"].as_str().expect("id"))),
        "a deal order links to its page"
    );
    assert!(all.contains("2 张券待使用") && all.contains("· 团购<"), "{all}");
    let to_pay = page("?tab=pending").await;
    assert_eq!(to_pay.matches("data-testid=\"my-order-row\"").count(), 1);
    assert!(to_pay.contains("data-testid=\"my-order-pay\""), "{to_pay}");
    let active = page("?tab=active").await;
    assert_eq!(active.matches("data-testid=\"my-order-row\" data-status=\"paid\"").count(), 1, "{active}");
    assert_eq!(page("?tab=closed").await.matches("data-testid=\"my-order-row\"").count(), 0);
}

/// The order form for one mild beef noodles to pick up at the kitchen's store.
fn mild_noodles_for_pickup(k: &crate::kitchen::Kitchen, csrf: &str) -> Vec<(String, String)> {
    vec![
        ("csrf_token".to_owned(), csrf.to_owned()),
        ("mode".to_owned(), "pickup".to_owned()),
        (format!("qty:{}", k.noodles), "1".to_owned()),
        (format!("opt:{}:0", k.noodles), "Spice\u{1f}Mild".to_owned()),
    ]
}

/// Posts the order `form` and returns the path of the quote it is sent to.
async fn quoted(app: &TestApp, me: &reqwest::Client, k: &crate::kitchen::Kitchen, form: &[(String, String)]) -> String {
    let q = me.post(format!("{}/stores/{}/order", app.base, k.store)).form(form).send().await.expect("quote");
    assert_eq!(q.status().as_u16(), 303);
    q.headers()["location"].to_str().expect("location").to_owned()
}

#[tokio::test]
async fn a_quote_whose_coupon_expired_is_priced_again_with_the_coupons_usable_now() {
    let app = TestApp::spawn().await;
    let k = crate::kitchen::kitchen(&app).await;
    let (me, csrf) = logged_in_client(&app, "hungry@test.lokal", "correct horse").await;
    let token =
        app.login("hungry@test.lokal", "correct horse").await.json()["token"].as_str().expect("token").to_owned();
    // A ¥5-off-¥20 coupon good for half an hour, claimed.
    let batch = serde_json::json!({"title": "¥5 off ¥20", "benefit": {"kind": "amount_off", "off": 500, "threshold": 2000},
        "claim_until": crate::commerce::rfc3339(&app, 1200), "valid_until": crate::commerce::rfc3339(&app, 1800),
        "quantity": 10});
    let b = app.post(&format!("/api/v1/merchants/{}/coupon-batches", k.merchant), &batch, Some(&k.owner)).await;
    assert_eq!(b.status, 201, "{}", b.text);
    let claim = format!("/api/v1/coupon-batches/{}/claims", b.json()["id"].as_str().expect("batch"));
    let c = app.post(&claim, &serde_json::json!({}), Some(&token)).await;
    assert_eq!(c.status, 201, "{}", c.text);
    let form = mild_noodles_for_pickup(&k, &csrf);
    let first = quoted(&app, &me, &k, &form).await;
    let html = me.get(format!("{}{first}", app.base)).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("¥24"), "¥29 less the coupon's ¥5: {html}");
    // An hour later the quote and the coupon have both expired: placing prices the cart again
    // without it and says why the total changed.
    app.clock.advance_secs(3600);
    let fields = [("csrf_token", csrf.as_str()), ("expected_total", "2400")];
    let r = me.post(format!("{}{first}", app.base)).form(&fields).send().await.expect("place");
    assert_eq!(r.status().as_u16(), 303);
    let second = r.headers()["location"].to_str().expect("location").to_owned();
    assert!(second.ends_with("&coupons=changed") && second.starts_with("/quotes/"), "{second}");
    let html = me.get(format!("{}{second}", app.base)).send().await.expect("page").text().await.expect("html");
    assert!(html.contains("价格有变化：原价 ¥24，现价 ¥29") && html.contains("原来使用的优惠券已不可用"), "{html}");
    // The new quote places the order at the new total.
    let fields = [("csrf_token", csrf.as_str()), ("expected_total", "2900")];
    let r = me
        .post(format!("{}{}", app.base, second.split('?').next().expect("path")))
        .form(&fields)
        .send()
        .await
        .expect("place");
    assert_eq!(r.status().as_u16(), 303);
    assert!(!r.headers()["location"].to_str().expect("location").starts_with("/quotes/"), "ordered");
}

#[tokio::test]
async fn an_expired_or_changed_quote_is_priced_again_in_place_keeping_the_cart() {
    let app = TestApp::spawn().await;
    let k = crate::kitchen::kitchen(&app).await;
    let (me, csrf) = logged_in_client(&app, "hungry@test.lokal", "correct horse").await;
    let form = mild_noodles_for_pickup(&k, &csrf);
    let first = quoted(&app, &me, &k, &form).await;
    let first_id = first.trim_start_matches("/quotes/").to_owned();
    // Placing from a page whose quote is `quote`, having seen `total`.
    let place = |quote: String, total: &'static str| {
        let (me, base, csrf) = (me.clone(), app.base.clone(), csrf.clone());
        async move {
            let fields = [("csrf_token", csrf.as_str()), ("expected_total", total)];
            me.post(format!("{base}{quote}")).form(&fields).send().await.expect("place")
        }
    };
    let page = |path: String| {
        let (me, base) = (me.clone(), app.base.clone());
        async move { me.get(format!("{base}{path}")).send().await.expect("page").text().await.expect("html") }
    };
    assert!(page(first.clone()).await.contains("¥29"), "noodles ¥28 and packaging ¥1");

    // Expired: priced again with the same cart, the total unchanged, said so on the new quote.
    app.clock.advance_secs(3600);
    let r = place(first.clone(), "2900").await;
    assert_eq!(r.status().as_u16(), 303);
    let second = r.headers()["location"].to_str().expect("location").to_owned();
    assert!(second.ends_with(&format!("?from={first_id}")) && !second.starts_with(&first), "{second}");
    let html = page(second.clone()).await;
    assert!(
        html.contains("data-testid=\"quote-repriced\">报价已过期，已按当前价格重新计算，总价不变（¥29）"),
        "{html}"
    );
    assert!(html.contains("牛肉面 Beef noodles") && html.contains("Mild"), "the cart is kept: {html}");

    // The price changed: the new quote says from what to what.
    let put = serde_json::json!({"name": "牛肉面 Beef noodles", "price": 3000, "options": [{"name": "Spice", "required": true,
        "max_choices": 1, "choices": [{"name": "Mild"}, {"name": "Numbing", "price_delta": 200}]}]});
    assert_eq!(app.put(&format!("/api/v1/items/{}", k.noodles), &put, Some(&k.owner)).await.status, 200);
    let second_path = second.split('?').next().expect("path").to_owned();
    let r = place(second_path, "2900").await;
    assert_eq!(r.status().as_u16(), 303);
    let third = r.headers()["location"].to_str().expect("location").to_owned();
    let html = page(third.clone()).await;
    assert!(html.contains("价格有变化：原价 ¥29，现价 ¥31"), "{html}");
    // The new quote places the order.
    let r = place(third.split('?').next().expect("path").to_owned(), "3100").await;
    assert_eq!(r.status().as_u16(), 303);
    assert!(!r.headers()["location"].to_str().expect("location").starts_with("/quotes/"), "ordered");
    // Someone else's quote as `from` says nothing.
    let html = page(format!("{}?from=0190c6a2-7b1e-7cc0-8000-000000000001", third.split('?').next().expect("p"))).await;
    assert!(!html.contains("quote-repriced"));

    // Sold out since: the order is refused saying why, never a 5xx.
    let q = me.post(format!("{}/stores/{}/order", app.base, k.store)).form(&form).send().await.expect("quote");
    let fourth = q.headers()["location"].to_str().expect("location").to_owned();
    let sold = app
        .put(
            &format!("/api/v1/stores/{}/items/{}", k.store, k.noodles),
            &serde_json::json!({"sold_out": true}),
            Some(&k.owner),
        )
        .await;
    assert_eq!(sold.status, 200, "{}", sold.text);
    app.clock.advance_secs(3600);
    let r = place(fourth, "3100").await;
    assert!((400..500).contains(&r.status().as_u16()), "{}", r.status());
}
