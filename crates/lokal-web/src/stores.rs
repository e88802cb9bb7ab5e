//! A store's profile in the merchant console (`/merchant/stores/{id}/profile`): its name,
//! address, phone, average spend, how it serves, its delivery radius, its photos, and where it
//! is — placed with a pin on a map, never typed as coordinates. Managers whose grant covers the
//! store may change it; the change goes through the same use case as `PUT /api/v1/stores/{id}`.

use crate::map::{MapView, Pin};
use crate::page::{Nav, message};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use lokal_api::Ctx;
use lokal_core::store::LatLngJson;
use lokal_core::{Msg, StaffRole, StoreId};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new().route("/merchant/stores/{store_id}/profile", get(page).post(save)).layer(crate::media::body_limit(1))
}

#[derive(Template, WebTemplate)]
#[template(path = "store_profile.html")]
struct ProfilePage {
    nav: Nav,
    id: String,
    name: String,
    address: String,
    phone: String,
    /// Average spend per person in yuan as the form edits it (`88`).
    avg_price: String,
    delivery: bool,
    pickup: bool,
    dine_in: bool,
    radius: String,
    lat: String,
    lng: String,
    map: String,
    /// Photos: (URL of the large variant, URL of the thumbnail).
    photos: Vec<(String, String)>,
    saved: bool,
}

#[derive(Debug, serde::Deserialize)]
struct Saved {
    #[serde(default)]
    saved: Option<String>,
}

async fn page(
    State(ctx): State<Ctx>,
    nav: Nav,
    Path(id): Path<String>,
    axum::extract::Query(q): axum::extract::Query<Saved>,
) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let heading = nav.t("profile-title");
    let Ok(id) = id.parse::<StoreId>() else {
        return nav.finish(message(StatusCode::NOT_FOUND, &heading, &nav.t("order-no-such-store"), nav.clone()));
    };
    let view = match ctx.app.public_store(id).await {
        Ok(v) => v,
        Err(e) => return nav.refusal(&heading, e),
    };
    if me.require(&view.row, StaffRole::Manager).is_err() {
        return nav
            .refusal(&heading, lokal_app::AppError::new(lokal_core::ErrorCode::Forbidden, "err-not-staff-of-store"));
    }
    let p = &view.profile;
    let at = p.location.unwrap_or(nav.center);
    let pins = p.location.map(|l| Pin { at: l, label: p.name.clone(), href: String::new(), kind: "store" });
    let map =
        MapView::around("store-pin-map", at, pins.into_iter().collect(), 600.0, nav.t("profile-location").into_owned())
            .picking("lat", "lng")
            .render(&nav);
    let page = ProfilePage {
        id: id.to_string(),
        name: p.name.clone(),
        address: p.address.clone(),
        phone: p.phone.clone().unwrap_or_default(),
        avg_price: p.avg_price.map(lokal_core::money::decimal).unwrap_or_default(),
        delivery: p.delivery,
        pickup: p.pickup,
        dine_in: p.dine_in,
        radius: p.delivery_radius_m.map(|r| r.to_string()).unwrap_or_default(),
        lat: p.location.map(|l| format!("{:.6}", l.lat())).unwrap_or_default(),
        lng: p.location.map(|l| format!("{:.6}", l.lng())).unwrap_or_default(),
        map,
        photos: p.photos.iter().map(|u| (u.clone(), lokal_core::photo::thumbnail(u))).collect(),
        saved: q.saved.is_some(),
        nav: nav.clone(),
    };
    nav.finish(page.into_response())
}

async fn save(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let heading = nav.t("console-not-saved");
    let refuse = |status: StatusCode, why: &Msg| nav.finish(message(status, &heading, &nav.msg(why), nav.clone()));
    let form = match crate::media::UploadForm::posted(&nav, &heading, form).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    let get = |k: &str| form.get(k);
    if let Err(refused) = nav.verify_form(&headers, &get("csrf_token")) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<StoreId>() else { return refuse(StatusCode::NOT_FOUND, &Msg::new("order-no-such-store")) };
    let view = match ctx.app.public_store(id).await {
        Ok(v) => v,
        Err(e) => return nav.refusal(&heading, e),
    };
    let mut json = view.profile.to_json();
    json.name = get("name");
    json.address = Some(get("address"));
    json.phone = Some(get("phone")).filter(|p| !p.is_empty());
    json.avg_price = match get("avg_price").as_str() {
        "" => None,
        s => match crate::merchants::parse_yuan(s) {
            Some(v) => Some(v),
            None => return refuse(StatusCode::UNPROCESSABLE_ENTITY, &Msg::new("console-price-invalid")),
        },
    };
    let on = |k: &str| form.fields.get(k).is_some_and(|v| v == "1");
    json.delivery = Some(on("delivery"));
    json.pickup = Some(on("pickup"));
    json.dine_in = Some(on("dine_in"));
    json.delivery_radius_m = match get("delivery_radius_m").as_str() {
        "" => None,
        s => match s.parse::<u32>() {
            Ok(r) => Some(r),
            Err(_) => {
                let why = Msg::new("field-metres-range").with("min", 1).with("max", 20_000);
                return refuse(StatusCode::UNPROCESSABLE_ENTITY, &why);
            }
        },
    };
    if let (Ok(lat), Ok(lng)) = (get("lat").parse::<f64>(), get("lng").parse::<f64>()) {
        json.location = Some(LatLngJson { lat, lng });
    }
    // Photos: the ones kept (of those it had), then the new ones.
    let had = json.photos.take().unwrap_or_default();
    let mut photos: Vec<String> = had.into_iter().filter(|u| form.keep.contains(u)).collect();
    if !form.photos.is_empty() && me.require(&view.row, StaffRole::Manager).is_err() {
        // The caller must be allowed to change the store before anything is stored for it.
        let e = lokal_app::AppError::new(lokal_core::ErrorCode::Forbidden, "err-not-staff-of-store");
        return nav.refusal(&heading, e);
    }
    for bytes in form.photos {
        match ctx.app.upload_photo(&me, bytes).await {
            Ok(photo) => photos.push(lokal_app::media::variant_url(&photo.row.id, "w800")),
            Err(e) => return nav.refusal(&heading, e),
        }
    }
    json.photos = Some(photos);
    match ctx.app.update_store(&me, id, json).await {
        Ok(_) => Redirect::to(&format!("/merchant/stores/{id}/profile?saved=1")).into_response(),
        Err(e) => nav.refusal(&heading, e),
    }
}
