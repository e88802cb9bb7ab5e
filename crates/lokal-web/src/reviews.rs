//! Reviews on the web: posting one from a completed order's page, the store's reply, helpful
//! votes and reports from the store page, and the operators' moderation queue.

use crate::page::{Nav, message};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_core::review::{ReviewJson, RiderRatingJson};
use lokal_core::{Msg, OrderId};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/orders/{order_id}/review", post(write).layer(crate::media::body_limit(PAGE_PHOTOS)))
        .route("/reviews/{review_id}/reply", post(reply))
        .route("/reviews/{review_id}/helpful", post(helpful))
        .route("/reviews/{review_id}/report", post(report))
        .route("/admin/reviews", get(queue))
        .route("/admin/reviews/{review_id}/moderation", post(moderate))
}

#[derive(Debug, serde::Deserialize)]
struct ReviewForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    taste: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    tags: String,
    #[serde(default)]
    avg_spend: String,
    #[serde(default)]
    rider_rating: String,
}

/// Photos a review posted from the page may carry (the API takes up to 9 uploaded ones).
const PAGE_PHOTOS: usize = 3;

fn stars(s: &str) -> Option<u8> {
    s.trim().parse().ok()
}

async fn write(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let heading = nav.t("review-not-posted");
    let refuse = |status: StatusCode, why: &Msg| nav.finish(message(status, &heading, &nav.msg(why), nav.clone()));
    let (f, photos) = match crate::media::UploadForm::posted_as::<ReviewForm>(&nav, &heading, form).await {
        Ok(read) => read,
        Err(page) => return page,
    };
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    if photos.len() > PAGE_PHOTOS {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, &Msg::new("review-too-many-photos").with("max", PAGE_PHOTOS));
    }
    let Ok(order) = id.parse::<OrderId>() else {
        return nav.refusal(&nav.t("review-not-posted"), crate::takeout::no_such(Msg::new("order-no-such-order")));
    };
    let mut dimensions = std::collections::BTreeMap::new();
    for (name, v) in [("taste", &f.taste), ("service", &f.service)] {
        if let Some(s) = stars(v) {
            dimensions.insert(name.to_owned(), s);
        }
    }
    let avg_spend = if f.avg_spend.trim().is_empty() {
        None
    } else {
        match crate::merchants::parse_yuan(&f.avg_spend) {
            Some(v) => Some(v),
            None => {
                return nav.finish(message(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    &nav.t("review-not-posted"),
                    &nav.t("review-bad-spend"),
                    nav.clone(),
                ));
            }
        }
    };
    // Photos are stored only for an order the caller may review now; otherwise the review is
    // refused below, saying why, and nothing is kept.
    let reviewable = photos.is_empty() || ctx.app.can_review_order(&me, order).await.is_ok_and(|(ok, _)| ok);
    let mut uploaded = Vec::with_capacity(photos.len());
    for bytes in photos.into_iter().filter(|_| reviewable) {
        match ctx.app.upload_photo(&me, bytes).await {
            Ok(p) => uploaded.push(p.row.id),
            Err(e) => return nav.refusal(&heading, e),
        }
    }
    let body = ReviewJson {
        order_id: Some(order),
        voucher_id: None,
        rating: stars(&f.rating).unwrap_or(0),
        dimensions,
        text: f.text,
        tags: f.tags.split([',', '，']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect(),
        photos: uploaded,
        avg_spend,
        rider: stars(&f.rider_rating).map(|rating| RiderRatingJson { rating, comment: String::new() }),
    };
    match ctx.app.write_review(&me, body).await {
        Ok(r) => Redirect::to(&format!("/stores/{}#reviews", r.row.store_id)).into_response(),
        Err(e) => nav.refusal(&nav.t("review-not-posted"), e),
    }
}

#[derive(Debug, serde::Deserialize)]
struct TextForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    text: String,
}

/// Back to the review's store page.
fn back(r: &lokal_app::reviews::ReviewView) -> Response {
    Redirect::to(&format!("/stores/{}#reviews", r.row.store_id)).into_response()
}

async fn reply(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<TextForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    match ctx.app.reply_to_review(&me, &id, &f.text).await {
        Ok(r) => back(&r),
        Err(e) => nav.refusal(&nav.t("review-not-replied"), e),
    }
}

async fn helpful(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<TextForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    match ctx.app.vote_review(&me, &id).await {
        Ok(r) => back(&r),
        Err(e) => nav.refusal(&nav.t("review-not-counted"), e),
    }
}

async fn report(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<TextForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let reason =
        if f.text.trim().is_empty() { nav.t("review-report-default-reason").into_owned() } else { f.text.clone() };
    match ctx.app.report_review(&me, &id, &reason).await {
        Ok(()) => {
            nav.finish(message(StatusCode::OK, &nav.t("review-reported"), &nav.t("review-reported-text"), nav.clone()))
        }
        Err(e) => nav.refusal(&nav.t("review-not-reported"), e),
    }
}

/// A reported review in the queue.
struct Reported {
    id: String,
    store_id: String,
    author: String,
    stars: i64,
    text: String,
    /// `visible` or `hidden`.
    status: String,
    reports: i64,
    reason: String,
    written: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_reviews.html")]
struct Queue {
    nav: Nav,
    items: Vec<Reported>,
}

async fn queue(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let list = match ctx.app.reported_reviews(&me).await {
        Ok(list) => list,
        Err(e) => return nav.refusal(&nav.t("admin-reviews-title"), e),
    };
    let stores: Vec<lokal_core::StoreId> = list.iter().map(|(v, _, _)| v.row.store_id).collect();
    let offsets = crate::takeout::store_offsets(&ctx, stores).await;
    let items = list
        .into_iter()
        .map(|(v, reports, reason)| {
            let r = v.row;
            let offset = offsets.get(&r.store_id).copied().unwrap_or_else(|| crate::takeout::city_offset(&nav));
            Reported {
                id: r.id,
                store_id: r.store_id.to_string(),
                author: v.author,
                stars: r.rating,
                text: r.body,
                status: r.status.to_string(),
                reports,
                reason: crate::takeout::note_text(&nav, &reason),
                written: nav.near_at(r.created_at, offset),
            }
        })
        .collect();
    nav.finish(Queue { nav: nav.clone(), items }.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct ModerationForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

async fn moderate(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ModerationForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    match ctx.app.moderate_review(&me, &id, true, &f.reason).await {
        Ok(_) => Redirect::to("/admin/reviews").into_response(),
        Err(e) => nav.refusal(&nav.t("admin-reviews-not-hidden"), e),
    }
}
