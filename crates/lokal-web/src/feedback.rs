//! Reviews on the web: posting one from a completed order's page, the store's reply, helpful
//! votes and reports from the store page, and the operators' moderation queue.

use crate::discover::when;
use crate::page::{Nav, message};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_core::OrderId;
use lokal_core::review::{ReviewJson, RiderRatingJson};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/orders/{order_id}/review", post(write))
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

fn stars(s: &str) -> Option<u8> {
    s.trim().parse().ok()
}

async fn write(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ReviewForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let Ok(order) = id.parse::<OrderId>() else {
        return nav.refusal("Not posted", lokal_app::AppError::not_found("order"));
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
        match crate::console::parse_yuan(&f.avg_spend) {
            Some(v) => Some(v),
            None => {
                return nav.finish(message(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Not posted",
                    "The spend must be yuan, like 85.",
                    nav.clone(),
                ));
            }
        }
    };
    let body = ReviewJson {
        order_id: Some(order),
        voucher_id: None,
        rating: stars(&f.rating).unwrap_or(0),
        dimensions,
        text: f.text,
        tags: f.tags.split([',', '，']).map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned).collect(),
        photos: Vec::new(),
        avg_spend,
        rider: stars(&f.rider_rating).map(|rating| RiderRatingJson { rating, comment: String::new() }),
    };
    match ctx.app.write_review(&me, body).await {
        Ok(r) => Redirect::to(&format!("/stores/{}#reviews", r.row.store_id)).into_response(),
        Err(e) => nav.refusal("Not posted", e),
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
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    match ctx.app.reply_to_review(&me, &id, &f.text).await {
        Ok(r) => back(&r),
        Err(e) => nav.refusal("Not replied", e),
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
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    match ctx.app.vote_review(&me, &id).await {
        Ok(r) => back(&r),
        Err(e) => nav.refusal("Not counted", e),
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
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    let reason = if f.text.trim().is_empty() { "reported from the store page" } else { f.text.as_str() };
    match ctx.app.report_review(&me, &id, reason).await {
        Ok(()) => {
            nav.finish(message(StatusCode::OK, "Reported", "Thank you: an operator will look at it.", nav.clone()))
        }
        Err(e) => nav.refusal("Not reported", e),
    }
}

/// A reported review in the queue: id, store id, author, stars, text, reports, latest reason,
/// written.
type Reported = (String, String, String, i64, String, i64, String, String);

#[derive(Template, WebTemplate)]
#[template(path = "admin_reviews.html")]
struct Queue {
    nav: Nav,
    items: Vec<Reported>,
}

async fn queue(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    match ctx.app.reported_reviews(&me).await {
        Ok(list) => {
            let items = list
                .into_iter()
                .map(|(v, n, reason)| {
                    let r = v.row;
                    (r.id, r.store_id.to_string(), v.author, r.rating, r.body, n, reason, when(r.created_at))
                })
                .collect();
            nav.finish(Queue { nav: nav.clone(), items }.into_response())
        }
        Err(e) => nav.refusal("Reviews", e),
    }
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
    let Some(me) = nav.caller() else { return Redirect::to("/login").into_response() };
    match ctx.app.moderate_review(&me, &id, true, &f.reason).await {
        Ok(_) => Redirect::to("/admin/reviews").into_response(),
        Err(e) => nav.refusal("Not hidden", e),
    }
}
