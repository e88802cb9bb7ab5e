//! Photo uploads (issue H): JPEG, PNG and WebP become JPEG variants 200 and 800 px wide served
//! with long cache lifetimes; the metadata (EXIF and its GPS position) is gone from everything
//! kept; anything else, a broken image or one over 10 MiB is 422 naming `file`.

use crate::harness::{Resp, TestApp};
use image::{DynamicImage, ImageFormat, RgbImage};
use std::io::Cursor;

pub fn picture(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
    let img = RgbImage::from_fn(w, h, |x, y| image::Rgb([(x * 7 % 256) as u8, (y * 3 % 256) as u8, 90]));
    let mut out = Vec::new();
    DynamicImage::ImageRgb8(img).write_to(&mut Cursor::new(&mut out), format).expect("encode");
    out
}

const WHERE: &str = "31.2304N,121.4737E at home";

/// A JPEG whose EXIF says "rotate 90° clockwise" and where it was taken.
fn phone_photo(w: u32, h: u32) -> Vec<u8> {
    let jpeg = picture(w, h, ImageFormat::Jpeg);
    let text = WHERE.as_bytes();
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&[0, 2]);
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]); // Orientation = 6
    tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]); // GPS IFD at 38
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(&[0, 1]);
    let n = u32::try_from(text.len()).expect("len").to_be_bytes();
    tiff.extend_from_slice(&[0x00, 0x1B, 0, 7, n[0], n[1], n[2], n[3], 0, 0, 0, 56]); // GPSProcessingMethod
    tiff.extend_from_slice(&[0, 0, 0, 0]);
    tiff.extend_from_slice(text);
    let payload = [&b"Exif\0\0"[..], &tiff].concat();
    let len = u16::try_from(payload.len() + 2).expect("short").to_be_bytes();
    [&jpeg[..2], &[0xFF, 0xE1], &len, &payload, &jpeg[2..]].concat()
}

async fn upload(app: &TestApp, token: Option<&str>, name: &str, bytes: Vec<u8>, mime: &str) -> Resp {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()).mime_str(mime).expect("mime");
    let mut req = app
        .client
        .post(format!("{}/api/v1/uploads", app.base))
        .multipart(reqwest::multipart::Form::new().part("file", part));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    app.send(req).await
}

async fn fetch(app: &TestApp, url: &str) -> (u16, Option<String>, Option<String>, Vec<u8>) {
    let r = app.client.get(format!("{}{url}", app.base)).send().await.expect("get");
    let status = r.status().as_u16();
    let h = |n: &str| r.headers().get(n).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (ct, cc) = (h("content-type"), h("cache-control"));
    (status, ct, cc, r.bytes().await.expect("body").to_vec())
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn each_format_becomes_variants_no_wider_than_the_photo_cached_for_a_year() {
    let app = TestApp::spawn().await;
    let (token, _) = app.user("photographer@test.lokal").await;
    for (format, mime, name) in [
        (ImageFormat::Jpeg, "image/jpeg", "a.jpg"),
        (ImageFormat::Png, "image/png", "a.png"),
        (ImageFormat::WebP, "image/webp", "a.webp"),
    ] {
        let r = upload(&app, Some(&token), name, picture(1200, 900, format), mime).await;
        assert_eq!(r.status, 201, "{name}: {}", r.text);
        let p = r.json();
        assert_eq!((p["width"].as_i64(), p["height"].as_i64()), (Some(1200), Some(900)));
        assert_eq!(p["format"], format.extensions_str()[0].replace("jpeg", "jpg"));
        let variants = p["variants"].as_array().expect("variants").clone();
        let sizes: Vec<(String, u64, u64)> = variants
            .iter()
            .map(|v| {
                (
                    v["name"].as_str().unwrap_or("").to_owned(),
                    v["width"].as_u64().unwrap_or(0),
                    v["height"].as_u64().unwrap_or(0),
                )
            })
            .collect();
        assert_eq!(sizes, vec![("w200".into(), 200, 150), ("w800".into(), 800, 600)]);
        for v in &variants {
            let (status, ct, cc, bytes) = fetch(&app, v["url"].as_str().expect("url")).await;
            assert_eq!(status, 200);
            assert_eq!(ct.as_deref(), Some("image/jpeg"));
            assert!(cc.unwrap_or_default().contains("max-age=31536000"));
            let img = image::load_from_memory(&bytes).expect("a real JPEG");
            assert_eq!(u64::from(img.width()), v["width"].as_u64().unwrap_or(0));
        }
        let again = app.get(&format!("/api/v1/uploads/{}", p["id"].as_str().expect("id")), None).await;
        assert_eq!(again.status, 200);
        assert_eq!(again.json()["variants"][1]["url"], variants[1]["url"]);
    }
    // A small photo is not enlarged.
    let small = upload(&app, Some(&token), "s.png", picture(120, 60, ImageFormat::Png), "image/png").await.json();
    assert_eq!(small["variants"][1]["width"], 120);
}

#[tokio::test]
async fn a_phone_photo_is_turned_upright_and_its_gps_position_is_gone_everywhere() {
    let app = TestApp::spawn().await;
    let (token, _) = app.user("phone@test.lokal").await;
    let photo = phone_photo(600, 200);
    assert!(contains(&photo, WHERE.as_bytes()) && image::load_from_memory(&photo).is_ok(), "the test photo is valid");
    let r = upload(&app, Some(&token), "IMG_0001.JPG", photo, "image/jpeg").await;
    assert_eq!(r.status, 201, "{}", r.text);
    let p = r.json();
    // Orientation 6: 600×200 as taken is 200×600 upright.
    assert_eq!((p["width"].as_i64(), p["height"].as_i64()), (Some(200), Some(600)));
    let id = p["id"].as_str().expect("id").to_owned();
    for v in p["variants"].as_array().expect("variants") {
        let (_, _, _, bytes) = fetch(&app, v["url"].as_str().expect("url")).await;
        assert!(!contains(&bytes, WHERE.as_bytes()) && !contains(&bytes, b"Exif\0\0"), "{} keeps metadata", v["name"]);
        let img = image::load_from_memory(&bytes).expect("jpeg");
        assert!(img.height() > img.width(), "upright");
    }
    let original =
        std::fs::read(app.data_dir().join("media").join("originals").join(format!("{id}.jpg"))).expect("original kept");
    assert!(
        !contains(&original, WHERE.as_bytes()) && !contains(&original, b"Exif\0\0"),
        "the private original keeps no metadata"
    );
    assert!(image::load_from_memory(&original).is_ok(), "and is still the photo");
    // The original is not served.
    assert_eq!(fetch(&app, &format!("/media/{id}/original.jpg")).await.0, 404);
    assert_eq!(fetch(&app, &format!("/media/../originals/{id}.jpg")).await.0, 404);
}

#[tokio::test]
async fn other_files_broken_images_and_big_files_are_refused_naming_file() {
    let app = TestApp::spawn().await;
    let (token, _) = app.user("refused@test.lokal").await;
    let mut broken = picture(400, 300, ImageFormat::Png);
    broken.truncate(broken.len() / 3);
    let big = [picture(64, 64, ImageFormat::Jpeg), vec![0u8; 10 * 1024 * 1024]].concat();
    for (name, bytes, mime) in [
        ("a.gif", b"GIF89a\x01\0\x01\0\0\0\0;".to_vec(), "image/gif"),
        ("a.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(), "image/svg+xml"),
        ("lies.jpg", b"this is not a photo at all".to_vec(), "image/jpeg"),
        ("broken.png", broken, "image/png"),
        ("empty.jpg", Vec::new(), "image/jpeg"),
        ("big.jpg", big, "image/jpeg"),
    ] {
        let r = upload(&app, Some(&token), name, bytes, mime).await;
        assert_eq!(r.status, 422, "{name}: {}", r.text);
        assert_eq!(r.json()["error"]["field"], "file", "{name}");
        assert_eq!(r.code(), "validation_failed");
    }
    // Far over the limit the body itself is refused.
    let huge = upload(&app, Some(&token), "huge.jpg", vec![0xFF; 12 * 1024 * 1024], "image/jpeg").await;
    assert_eq!(huge.status, 413, "{}", huge.text);
    // Messages in the reader's language.
    let part = reqwest::multipart::Part::bytes(b"GIF89a".to_vec()).file_name("x.gif");
    let zh = app
        .send(
            app.client
                .post(format!("{}/api/v1/uploads", app.base))
                .bearer_auth(&token)
                .header("accept-language", "zh-CN")
                .multipart(reqwest::multipart::Form::new().part("file", part)),
        )
        .await;
    assert_eq!(zh.json()["error"]["message"], "file: 只支持 JPEG、PNG 或 WebP 图片");
    // Without a file, without multipart, without a login.
    let none = app
        .send(
            app.client
                .post(format!("{}/api/v1/uploads", app.base))
                .bearer_auth(&token)
                .multipart(reqwest::multipart::Form::new().text("note", "hi")),
        )
        .await;
    assert_eq!((none.status, none.json()["error"]["field"].as_str()), (422, Some("file")));
    let json = app.post("/api/v1/uploads", &serde_json::json!({"file": "x"}), Some(&token)).await;
    assert_eq!(json.status, 415, "{}", json.text);
    let anon = upload(&app, None, "a.png", picture(10, 10, ImageFormat::Png), "image/png").await;
    assert_eq!(anon.status, 401);
    assert_eq!(app.get("/api/v1/uploads/not-an-id", None).await.status, 404);
    assert_eq!(fetch(&app, "/media/01a2371f-d508-77b9-991d-639955686b95/w200.jpg").await.0, 404);
}

/// Uploads a small JPEG as `token`; returns its id.
async fn photo_id(app: &TestApp, token: &str) -> String {
    let r = upload(app, Some(token), "dish.jpg", picture(640, 480, ImageFormat::Jpeg), "image/jpeg").await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.json()["id"].as_str().expect("id").to_owned()
}

/// The photo of `item` on `store`'s menu.
async fn menu_photo(app: &TestApp, store: &str, item: &str) -> serde_json::Value {
    let menu = app.get(&format!("/api/v1/stores/{store}/menu"), None).await.json();
    let items = menu["items"].as_array().expect("items").clone();
    items.into_iter().find(|i| i["id"] == item).expect("item")["photo"].clone()
}

async fn page(client: &reqwest::Client, app: &TestApp, path: &str) -> String {
    let r = client.get(format!("{}{path}", app.base)).send().await.expect("page");
    assert_eq!(r.status().as_u16(), 200, "{path}");
    r.text().await.expect("html")
}

#[tokio::test]
async fn menu_items_deals_and_reviews_take_uploaded_photos_by_id_and_pages_show_them() {
    use crate::kitchen::kitchen;
    use serde_json::json;
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let dish = photo_id(&app, &k.owner).await;
    let large = format!("/media/{dish}/w800.jpg");
    let thumb = format!("/media/{dish}/w200.jpg");

    // An item takes a photo id and answers its path; the menu shows it; no photo is null.
    let item = format!("/api/v1/items/{}", k.tea);
    let r = app.put(&item, &json!({"name": "Jasmine tea", "price": 800, "photo": dish}), Some(&k.owner)).await;
    assert_eq!((r.status, r.json()["photo"].as_str()), (200, Some(large.as_str())), "{}", r.text);
    let menu = app.get(&format!("/api/v1/stores/{}/menu", k.store), None).await.json();
    let photo_of = |name: &str| {
        menu["items"].as_array().expect("items").iter().find(|i| i["name"] == name).expect("item")["photo"].clone()
    };
    assert_eq!((photo_of("Jasmine tea"), photo_of("牛肉面 Beef noodles")), (json!(large), json!(null)));
    // Not a photo, or a photo nobody uploaded: 422 naming the field, and nothing changes.
    let nobody = "0190f3a2-7b1c-7def-8a00-0123456789ab";
    for bad in [json!("nope"), json!("javascript:alert(1)"), json!(nobody), json!(format!("/media/{nobody}/w800.jpg"))]
    {
        let r = app.put(&item, &json!({"name": "Jasmine tea", "price": 800, "photo": bad}), Some(&k.owner)).await;
        assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("photo")), "{bad}: {}", r.text);
    }
    // A deal takes uploaded photos and photos on the web, the cover first.
    let deal = json!({"title": "双人牛肉面套餐", "price": 4900, "original_price": 6400, "store_ids": [k.store],
        "sale_ends_at": crate::commerce::rfc3339(&app, 7 * 86_400), "valid_until": crate::commerce::rfc3339(&app, 30 * 86_400),
        "stock": 50, "photos": [dish, "https://img.example/noodles.jpg"]});
    let deals = format!("/api/v1/merchants/{}/deals", k.merchant);
    let d = app.post(&deals, &deal, Some(&k.owner)).await;
    assert_eq!(d.status, 201, "{}", d.text);
    assert_eq!(d.json()["photos"], json!([large, "https://img.example/noodles.jpg"]));
    let deal_id = d.json()["id"].as_str().expect("deal").to_owned();
    let mut bad = deal.clone();
    bad["photos"] = json!([dish, nobody]);
    let r = app.post(&deals, &bad, Some(&k.owner)).await;
    assert_eq!((r.status, r.json()["error"]["field"].as_str()), (422, Some("photos[1]")), "{}", r.text);
    // A review carries the consumer's own upload.
    let order = crate::reviews::completed(&app, &k, &k.consumer).await;
    let bowl = photo_id(&app, &k.consumer).await;
    let review = json!({"order_id": order, "rating": 5, "text": "汤很好喝", "photos": [bowl]});
    let w = app.post("/api/v1/reviews", &review, Some(&k.consumer)).await;
    assert_eq!((w.status, w.json()["photos"].clone()), (201, json!([format!("/media/{bowl}/w800.jpg")])), "{}", w.text);

    // Pages show thumbnails, sized so nothing moves as they load.
    let anon = crate::web::cookie_client();
    let store = page(&anon, &app, &format!("/stores/{}", k.store)).await;
    assert!(
        store.contains(&format!(
            "src=\"{thumb}\" width=\"56\" height=\"56\" alt=\"\" loading=\"lazy\" data-testid=\"menu-photo\""
        )),
        "{store}"
    );
    assert!(
        store.contains(&format!(
            "src=\"{thumb}\" width=\"56\" height=\"56\" alt=\"\" loading=\"lazy\" data-testid=\"deal-cover\""
        )),
        "{store}"
    );
    assert!(store.contains(&format!("src=\"/media/{bowl}/w200.jpg\" width=\"88\" height=\"88\"")), "{store}");
    assert!(!store.contains("张图片</span>"), "the count gave way to the photos");
    let menu_page = page(&anon, &app, &format!("/stores/{}/order", k.store)).await;
    assert_eq!(menu_page.matches("data-testid=\"item-photo\"").count(), 1, "{menu_page}");
    let deal_page = page(&anon, &app, &format!("/deals/{deal_id}")).await;
    assert_eq!(deal_page.matches("data-testid=\"deal-photo\"").count(), 2, "{deal_page}");
    let (status, ct, _, _) = fetch(&app, &thumb).await;
    assert_eq!((status, ct.as_deref()), (200, Some("image/jpeg")));
}

#[tokio::test]
async fn the_console_uploads_and_removes_an_items_photo_for_managers_only() {
    use crate::kitchen::kitchen;
    let app = TestApp::spawn().await;
    let k = kitchen(&app).await;
    let post = |client: reqwest::Client, csrf: String, photo: Option<Vec<u8>>, remove: bool| {
        let url = format!("{}/merchant/items/{}/photo", app.base, k.tea);
        async move {
            let mut form = reqwest::multipart::Form::new().text("csrf_token", csrf);
            if let Some(bytes) = photo {
                let part =
                    reqwest::multipart::Part::bytes(bytes).file_name("tea.png").mime_str("image/png").expect("mime");
                form = form.part("photo", part);
            }
            if remove {
                form = form.text("remove", "1");
            }
            client.post(url).multipart(form).send().await.expect("post")
        }
    };
    let (owner, csrf) = crate::web::logged_in_client(&app, "noodle-owner@test.lokal", "correct horse").await;
    let console = page(&owner, &app, "/merchant").await;
    assert!(console.contains(&format!("action=\"/merchant/items/{}/photo\" enctype=\"multipart/form-data\"", k.tea)));
    let r = post(owner.clone(), csrf.clone(), Some(picture(300, 300, ImageFormat::Png)), false).await;
    assert_eq!(r.status().as_u16(), 303);
    let photo = menu_photo(&app, &k.store, &k.tea).await;
    let path = photo.as_str().expect("a photo now").to_owned();
    assert!(path.starts_with("/media/") && path.ends_with("/w800.jpg"), "{photo}");
    let console = page(&owner, &app, "/merchant").await;
    assert!(console.contains(&path.replace("w800", "w200")) && console.contains("data-testid=\"item-photo-remove\""));
    // No file and no removal: asked to choose one. A broken file: refused, the photo stays.
    assert_eq!(post(owner.clone(), csrf.clone(), None, false).await.status().as_u16(), 422);
    assert_eq!(post(owner.clone(), csrf.clone(), Some(b"not a picture".to_vec()), false).await.status().as_u16(), 422);
    assert_eq!(menu_photo(&app, &k.store, &k.tea).await, photo);
    // A clerk of the store cannot change the brand's item.
    let (clerk, clerk_csrf) = crate::web::logged_in_client(&app, "noodle-clerk@test.lokal", "correct horse").await;
    let r = post(clerk, clerk_csrf, Some(picture(300, 300, ImageFormat::Png)), false).await;
    assert_eq!(r.status().as_u16(), 403);
    assert_eq!(menu_photo(&app, &k.store, &k.tea).await, photo);
    // Removing it.
    assert_eq!(post(owner.clone(), csrf.clone(), None, true).await.status().as_u16(), 303);
    assert_eq!(menu_photo(&app, &k.store, &k.tea).await, serde_json::Value::Null);
}

#[tokio::test]
async fn a_review_form_for_an_order_not_yet_reviewable_keeps_no_photo() {
    let app = TestApp::spawn().await;
    let k = crate::kitchen::kitchen(&app).await;
    let order = crate::kitchen::order_and_pay(&app, &k.cart("pickup"), &k.consumer).await;
    let (me, csrf) = crate::web::logged_in_client(&app, "hungry@test.lokal", "correct horse").await;
    let photos = || async {
        let n: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM media").fetch_one(app.app.db().pool()).await.expect("count");
        n
    };
    let before = photos().await;
    let post = |c: reqwest::Client| {
        let part = reqwest::multipart::Part::bytes(picture(300, 200, ImageFormat::Png))
            .file_name("bowl.png")
            .mime_str("image/png")
            .expect("mime");
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", csrf.clone())
            .text("rating", "5")
            .text("text", "好吃")
            .part("photo", part);
        c.post(format!("{}/orders/{order}/review", app.base)).multipart(form).send()
    };
    // Paid, not handed over: not reviewable, so the photo is not kept either.
    let r = post(me.clone()).await.expect("post");
    assert_eq!(r.status().as_u16(), 409, "not reviewable yet");
    assert_eq!(photos().await, before, "nothing stored for a refused review");
    // Once consumed, the same form posts the review with its photo.
    for step in ["accept", "ready"] {
        let r = app.post(&format!("/api/v1/orders/{order}/{step}"), &serde_json::json!({}), Some(&k.clerk)).await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let code =
        crate::kitchen::track(&app, &order, &k.consumer).await["order"]["code"].as_str().expect("code").to_owned();
    let h = app
        .post(&format!("/api/v1/orders/{order}/hand-over"), &serde_json::json!({"code": code}), Some(&k.clerk))
        .await;
    assert_eq!(h.status, 200, "{}", h.text);
    let r = post(me.clone()).await.expect("post");
    assert_eq!(r.status().as_u16(), 303);
    assert_eq!(photos().await, before + 1);
}
