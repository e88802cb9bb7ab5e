//! Joining as a merchant (the applicant's page) and the operators' application queue.

use crate::page::{Nav, error_page, message};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_app::AppError;
use lokal_app::applications::{Application, ApplicationJson};
use lokal_app::page::PageRequest;
use lokal_core::ApprovalStatus;
use lokal_core::store::{Category, LatLngJson, StoreProfileJson};
use lokal_core::{Msg, Principal};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/merchant/apply", get(apply_page).post(apply))
        .route("/admin/applications", get(queue_page))
        .route("/admin/applications/{id}/approve", post(approve))
        .route("/admin/applications/{id}/reject", post(reject))
}

/// An application as a row.
pub struct Row {
    id: String,
    business_name: String,
    category: String,
    status: String,
    reason: String,
    filed: String,
    /// Licence, contact and filing time, in a sentence (the queue's).
    details: String,
}

fn row(nav: &Nav, a: Application) -> Row {
    let filed = nav.datetime(a.created_at);
    let contact = format!("{} {}", a.contact_name, a.contact_phone);
    let details = nav.msg(
        &Msg::new("applications-details")
            .with("licence", a.licence_number.as_str())
            .with("contact", contact.as_str())
            .with("filed", filed.as_str()),
    );
    Row {
        details,
        id: a.id,
        business_name: a.business_name,
        category: a.category,
        status: a.status.to_string(),
        reason: a.reason.unwrap_or_default(),
        filed,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "apply.html")]
struct ApplyPage {
    nav: Nav,
    categories: Vec<&'static str>,
    mine: Vec<Row>,
    error: Option<String>,
    /// The map to place the first store on.
    map: String,
}

async fn apply_page(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    render_apply(&ctx, nav, &me, None, StatusCode::OK).await
}

async fn render_apply(ctx: &Ctx, nav: Nav, me: &Principal, error: Option<String>, status: StatusCode) -> Response {
    let mine = match ctx.app.my_applications(me).await {
        Ok(m) => m.into_iter().rev().map(|a| row(&nav, a)).collect(),
        Err(e) => return error_page(e),
    };
    let categories = Category::ALL.iter().map(Category::as_str).collect();
    let map = crate::map::MapView::around(
        "apply-map",
        nav.here_or_center(),
        Vec::new(),
        1_500.0,
        nav.t("apply-location").into_owned(),
    )
    .picking("lat", "lng")
    .render(&nav);
    nav.finish((status, ApplyPage { nav: nav.clone(), categories, mine, error, map }).into_response())
}

#[derive(Debug, serde::Deserialize)]
struct ApplyForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    business_name: String,
    #[serde(default)]
    licence_number: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    store_name: String,
    #[serde(default)]
    store_address: String,
    #[serde(default)]
    lat: String,
    #[serde(default)]
    lng: String,
}

async fn apply(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Form(f): Form<ApplyForm>) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let location = match (f.lat.trim().parse::<f64>(), f.lng.trim().parse::<f64>()) {
        (Ok(lat), Ok(lng)) => Some(LatLngJson { lat, lng }),
        _ => None,
    };
    let body = ApplicationJson {
        business_name: f.business_name,
        licence_number: f.licence_number,
        category: f.category.clone(),
        contact_name: f.contact_name,
        contact_phone: f.contact_phone,
        first_store: StoreProfileJson {
            name: f.store_name,
            category: Some(f.category),
            address: Some(f.store_address),
            location,
            ..StoreProfileJson::default()
        },
    };
    match ctx.app.apply_for_merchant(&me, body).await {
        Ok(_) => Redirect::to("/merchant/apply").into_response(),
        Err(e) => refuse(&ctx, nav, &me, e).await,
    }
}

async fn refuse(ctx: &Ctx, nav: Nav, me: &Principal, e: AppError) -> Response {
    let status = StatusCode::from_u16(e.code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if status.is_server_error() {
        return error_page(e);
    }
    let text = nav.error_text(&e);
    render_apply(ctx, nav, me, Some(text), status).await
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_applications.html")]
struct QueuePage {
    nav: Nav,
    pending: Vec<Row>,
    decided: Vec<Row>,
}

async fn queue_page(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    if !me.is_admin() {
        return nav.finish(message(
            StatusCode::FORBIDDEN,
            &nav.t("applications-operators-heading"),
            &nav.t("applications-operators-text"),
            nav.clone(),
        ));
    }
    // The waiting queue is what operators act on; fetch it by itself so that old decided
    // applications never push pending ones off the page.
    let page = || PageRequest { after: None, limit: 100 };
    let (pending, decided) =
        match (ctx.app.applications(&me, Some("pending"), page()).await, ctx.app.applications(&me, None, page()).await)
        {
            (Ok(p), Ok(all)) => {
                (p.items, all.items.into_iter().filter(|a| a.status != ApprovalStatus::Pending).collect::<Vec<_>>())
            }
            (Err(e), _) | (_, Err(e)) => return error_page(e),
        };
    let page = QueuePage {
        nav: nav.clone(),
        pending: pending.into_iter().map(|a| row(&nav, a)).collect(),
        decided: decided.into_iter().rev().map(|a| row(&nav, a)).collect(),
    };
    nav.finish(page.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct Decision {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

async fn approve(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<Decision>,
) -> Response {
    decide(ctx, nav, headers, id, f, true).await
}

async fn reject(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<Decision>,
) -> Response {
    decide(ctx, nav, headers, id, f, false).await
}

async fn decide(ctx: Ctx, nav: Nav, headers: HeaderMap, id: String, f: Decision, approve: bool) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let result = if approve {
        ctx.app.approve_application(&me, &id).await.map(|_| ())
    } else {
        ctx.app.reject_application(&me, &id, &f.reason).await.map(|_| ())
    };
    match result {
        Ok(()) => Redirect::to("/admin/applications").into_response(),
        Err(e) => nav.refusal(&nav.t("applications-not-done"), e),
    }
}
