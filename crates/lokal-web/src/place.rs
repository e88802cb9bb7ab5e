//! The person's place: picked on a map (`/place`) or shared by the browser ("use my location",
//! in `static/map.js`), remembered in the `loc` cookie for 30 days; home, nearby and search start
//! there instead of the city centre.

use crate::accounts::safe_next;
use crate::map::{MapView, Pin};
use crate::page::{Nav, PLACE_COOKIE, set_cookie};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_core::geo::LatLng;

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new().route("/place", get(form).post(save))
}

#[derive(Template, WebTemplate)]
#[template(path = "place.html")]
struct PlacePage {
    nav: Nav,
    next: String,
    lat: String,
    lng: String,
    map: String,
}

#[derive(Debug, Default, serde::Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: String,
}

async fn form(nav: Nav, Query(q): Query<NextQuery>) -> Response {
    let here = nav.here_or_center();
    let pins = vec![Pin { at: here, label: nav.t("place-current").into_owned(), href: String::new(), kind: "me" }];
    let map = MapView::around("place-map", here, pins, 1_500.0, nav.t("place-pick").into_owned())
        .picking("place-lat", "place-lng");
    let page = PlacePage {
        next: safe_next(&q.next).to_owned(),
        lat: here.lat().to_string(),
        lng: here.lng().to_string(),
        map: map.render(&nav),
        nav: nav.clone(),
    };
    nav.finish(page.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct PlaceFields {
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lng: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf_token: String,
}

async fn save(nav: Nav, headers: HeaderMap, Form(f): Form<PlaceFields>) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let point = match (f.lat.trim().parse::<f64>(), f.lng.trim().parse::<f64>()) {
        (Ok(lat), Ok(lng)) => LatLng::new(lat, lng),
        _ => Err(lokal_core::FieldError::new("lat", "place-invalid")),
    };
    let point = match point {
        Ok(p) => p,
        Err(e) => return nav.refusal(&nav.t("place-pick"), e.into()),
    };
    let mut res = Redirect::to(safe_next(&f.next)).into_response();
    let cookie = format!("{PLACE_COOKIE}={:.6},{:.6}; Path=/; SameSite=Lax; Max-Age=2592000", point.lat(), point.lng());
    set_cookie(&mut res, &cookie, nav.secure);
    res
}
