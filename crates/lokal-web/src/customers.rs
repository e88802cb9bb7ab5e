//! The merchant console's customer list: segments, tags, filters and CSV.

use crate::page::{Nav, error_page};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_api::routes::customers::{CustomerQuery, customers_csv};
use lokal_app::customers::Customer;
use lokal_app::page::PageRequest;
use lokal_core::customers::Segment;
use lokal_core::{MerchantId, UserId};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/merchant/{merchant_id}/customers", get(page))
        .route("/merchant/{merchant_id}/customers.csv", get(csv))
        .route("/merchant/{merchant_id}/customers/{user_id}/tags", post(tag))
}

#[derive(Debug, Default, serde::Deserialize)]
struct ListQuery {
    #[serde(default)]
    store: String,
    #[serde(default)]
    segment: String,
    #[serde(default)]
    tag: String,
    #[serde(default)]
    name: String,
    /// Where the page starts (the previous page's `next`).
    #[serde(default)]
    cursor: String,
}

impl ListQuery {
    fn api(&self) -> CustomerQuery {
        CustomerQuery {
            store_id: Some(self.store.clone()),
            segment: Some(self.segment.clone()),
            tag: Some(self.tag.clone()),
            name: Some(self.name.clone()),
            limit: None,
            cursor: None,
        }
    }
}

/// Customers shown per page.
const PAGE: i64 = 100;

/// The page of customers the query asks for (`all`: every one, for the CSV).
async fn load(
    ctx: &Ctx,
    nav: &Nav,
    id: &str,
    q: &ListQuery,
    all: bool,
) -> Result<(MerchantId, Vec<Customer>, Option<String>), Response> {
    let Some(me) = nav.caller() else { return Err(nav.to_login()) };
    let Ok(m) = id.parse::<MerchantId>() else { return Err(error_page(lokal_app::AppError::not_found("merchant"))) };
    let heading = nav.t("crm-refused");
    let filter = q.api().filter().map_err(|e| nav.refusal(&heading, e.into()))?;
    if all {
        let list = ctx.app.customers(&me, m, &filter).await.map_err(|e| nav.refusal(&heading, e))?;
        return Ok((m, list, None));
    }
    let page = PageRequest::parse(Some(q.cursor.as_str()), Some(PAGE)).map_err(|e| nav.refusal(&heading, e))?;
    let page = ctx.app.customers_page(&me, m, &filter, page).await.map_err(|e| nav.refusal(&heading, e))?;
    Ok((m, page.items, page.next_cursor))
}

/// A customer's line: user id, name, visits, spend, average ticket, last visit, segment, tags.
type Line = (String, String, i64, String, String, String, &'static str, String);

#[derive(Template, WebTemplate)]
#[template(path = "customers.html")]
struct Page {
    nav: Nav,
    merchant_id: String,
    stores: Vec<(String, String)>,
    q: ListQuery,
    segments: Vec<&'static str>,
    rows: Vec<Line>,
    query: String,
    /// The next page's cursor, if there are more customers.
    next: Option<String>,
}

async fn page(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>, Query(q): Query<ListQuery>) -> Response {
    let (m, list, next) = match load(&ctx, &nav, &id, &q, false).await {
        Ok(v) => v,
        Err(refused) => return refused,
    };
    let stores = match nav.caller() {
        Some(me) => ctx
            .app
            .stores(&me, m)
            .await
            .map(|l| l.into_iter().map(|s| (s.row.id.to_string(), s.profile.name)).collect())
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let rows = list
        .into_iter()
        .map(|c| {
            (
                c.row.user_id.to_string(),
                c.row.name,
                c.row.visits,
                nav.money(c.row.spend),
                nav.money(c.average_ticket),
                nav.near(c.row.last_at),
                c.segment.as_str(),
                c.tags.join(&nav.t("console-list-separator")),
            )
        })
        .collect();
    let enc = crate::page::encode_query;
    let query =
        format!("store={}&segment={}&tag={}&name={}", enc(&q.store), enc(&q.segment), enc(&q.tag), enc(&q.name));
    let segments = Segment::ALL.iter().map(|s| s.as_str()).collect();
    let next = next.map(|c| enc(&c));
    let page = Page { nav: nav.clone(), merchant_id: m.to_string(), stores, q, segments, rows, query, next };
    nav.finish(page.into_response())
}

async fn csv(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>, Query(q): Query<ListQuery>) -> Response {
    match load(&ctx, &nav, &id, &q, true).await {
        Ok((m, list, _)) => {
            crate::analytics::csv_download(&nav, "csv-customer", &format!("customers-{m}.csv"), &customers_csv(&list))
        }
        Err(refused) => refused,
    }
}

#[derive(Debug, serde::Deserialize)]
struct TagForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    tag: String,
}

async fn tag(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path((id, user)): Path<(String, String)>,
    Form(f): Form<TagForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let (Ok(m), Ok(u)) = (id.parse::<MerchantId>(), user.parse::<UserId>()) else {
        return nav.refusal(&nav.t("crm-not-tagged"), lokal_app::AppError::not_found("customer"));
    };
    match ctx.app.tag_customer(&me, m, u, &f.tag).await {
        Ok(()) => Redirect::to(&format!("/merchant/{m}/customers")).into_response(),
        Err(e) => nav.refusal(&nav.t("crm-not-tagged"), e),
    }
}
