//! A merchant's customer list and the tags it puts on customers.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path, Query};
use crate::routes::ListJson;
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::customers::{Customer, CustomerFilter};
use lokal_app::page::{MAX_LIMIT, PageRequest};
use lokal_core::customers::Segment;
use lokal_core::{FieldError, MerchantId, StoreId, Timestamp, UserId};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(list)).routes(routes!(add_tag)).routes(routes!(remove_tag))
}

/// Which customers.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerQuery {
    /// One store of the merchant (default: the brand).
    pub store_id: Option<String>,
    /// `loyal`, `regular`, `new`, `at_risk`, `one_time` or `lapsed`.
    pub segment: Option<String>,
    /// Customers with this tag.
    pub tag: Option<String>,
    /// Names containing this.
    pub name: Option<String>,
    /// Page size, 1–100 (default 100).
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

impl CustomerQuery {
    /// The checked filter.
    pub fn filter(&self) -> Result<CustomerFilter, FieldError> {
        let some = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        Ok(CustomerFilter {
            store: some(&self.store_id)
                .map(|s| s.parse::<StoreId>().map_err(|_| FieldError::new("store_id", "field-store-id")))
                .transpose()?,
            segment: some(&self.segment).map(|s| Segment::parse_field("segment", &s)).transpose()?,
            tag: some(&self.tag).map(|t| lokal_core::customers::tag("tag", &t)).transpose()?,
            name: some(&self.name).map(|n| lokal_core::field::line_of_text("name", &n, 100, false)).transpose()?,
        })
    }
}

/// A customer.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CustomerOut {
    /// The customer.
    pub user_id: UserId,
    /// Their display name.
    pub name: String,
    /// Kept orders.
    pub visits: i64,
    /// What they paid on them, minor units.
    pub spend: i64,
    /// Spend per visit.
    pub average_ticket: i64,
    /// First visit.
    pub first_visit: Timestamp,
    /// Last visit.
    pub last_visit: Timestamp,
    /// Days since the last visit.
    pub recency_days: i64,
    /// RFM segment.
    pub segment: Segment,
    /// The merchant's tags.
    pub tags: Vec<String>,
}

/// The customer's document.
pub fn customer_out(c: Customer) -> CustomerOut {
    CustomerOut {
        user_id: c.row.user_id,
        name: c.row.name,
        visits: c.row.visits,
        spend: c.row.spend,
        average_ticket: c.average_ticket,
        first_visit: c.row.first_at,
        last_visit: c.row.last_at,
        recency_days: c.recency_days,
        segment: c.segment,
        tags: c.tags,
    }
}

/// The merchant's customers from its kept orders, most recent first, a page at a time: visits,
/// spend, average ticket, first and last visit, RFM segment (loyal: 5+ visits and the last within
/// 30 days; regular: 2–4; new: one in 30 days; at_risk: 2+ but the last 31–90 days ago;
/// one_time: one 31–90 days ago; lapsed: none for 90 days) and tags. The brand: merchant-wide
/// managers; `store_id`: that store's managers too.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/customers", tag = "customers", params(("merchant_id" = MerchantId, Path, description = "The merchant"), CustomerQuery),
    security(("bearer" = [])), responses((status = 200, body = ListJson<CustomerOut>)))]
async fn list(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
    Query(q): Query<CustomerQuery>,
) -> ApiResult<Json<ListJson<CustomerOut>>> {
    let page = PageRequest::parse(q.cursor.as_deref(), Some(q.limit.unwrap_or(MAX_LIMIT)))?;
    let page = ctx.app.customers_page(&caller, id, &q.filter()?, page).await?;
    Ok(Json(ListJson { items: page.items.into_iter().map(customer_out).collect(), next_cursor: page.next_cursor }))
}

/// A tag.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagJson {
    /// Up to 24 characters ("VIP", "no coriander").
    pub tag: String,
}

/// Tag one of the merchant's customers. Merchant-wide managers and owners.
#[utoipa::path(post, path = "/api/v1/merchants/{merchant_id}/customers/{user_id}/tags", tag = "customers",
    params(("merchant_id" = MerchantId, Path, description = "The merchant"), ("user_id" = UserId, Path, description = "The customer")),
    request_body = TagJson, security(("bearer" = [])), responses((status = 204)))]
async fn add_tag(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path((id, user)): Path<(MerchantId, UserId)>,
    Json(b): Json<TagJson>,
) -> ApiResult<StatusCode> {
    ctx.app.tag_customer(&caller, id, user, &b.tag).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a tag from a customer. Merchant-wide managers and owners.
#[utoipa::path(delete, path = "/api/v1/merchants/{merchant_id}/customers/{user_id}/tags/{tag}", tag = "customers",
    params(("merchant_id" = MerchantId, Path, description = "The merchant"), ("user_id" = UserId, Path, description = "The customer"), ("tag" = String, Path, description = "The tag")),
    security(("bearer" = [])), responses((status = 204)))]
async fn remove_tag(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path((id, user, tag)): Path<(MerchantId, UserId, String)>,
) -> ApiResult<StatusCode> {
    ctx.app.untag_customer(&caller, id, user, &tag).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The list as CSV.
pub fn customers_csv(list: &[Customer]) -> String {
    use crate::csv::{amount, field};
    let mut out = String::from(
        "user_id,name,visits,spend_cny,average_ticket_cny,first_visit,last_visit,recency_days,segment,tags\n",
    );
    for c in list {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            c.row.user_id,
            field(&c.row.name),
            c.row.visits,
            amount(c.row.spend),
            amount(c.average_ticket),
            c.row.first_at.to_rfc3339(),
            c.row.last_at.to_rfc3339(),
            c.recency_days,
            c.segment.as_str(),
            field(&c.tags.join(";")),
        ));
    }
    out
}
