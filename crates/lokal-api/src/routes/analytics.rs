//! Dashboards: a merchant's (the brand or one store) and the platform's.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path, Query};
use axum::extract::State;
use lokal_app::analytics::Dashboard;
use lokal_core::analytics::{self, Granularity, Period};
use lokal_core::{MerchantId, StoreId};
use lokal_store::rollups::DayFigures;
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new().routes(routes!(merchant_dashboard)).routes(routes!(platform_dashboard))
}

/// The period asked for.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First day, `YYYY-MM-DD` (default: 29 days before `to`).
    pub from: Option<String>,
    /// Last day, `YYYY-MM-DD` (default: today).
    pub to: Option<String>,
    /// `day` (default), `week` or `month`.
    pub by: Option<String>,
    /// One store of the merchant (default: the whole brand).
    pub store_id: Option<String>,
}

impl PeriodQuery {
    /// The checked period, with today as the default end.
    pub fn period(&self, today: i64) -> Result<Period, lokal_core::FieldError> {
        Period::parse(
            self.from.as_deref().unwrap_or(""),
            self.to.as_deref().unwrap_or(""),
            self.by.as_deref().unwrap_or(""),
            today,
        )
    }
}

/// Figures over some days.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct PeriodFiguresOut {
    /// Store page views.
    pub views: i64,
    /// Orders placed.
    pub orders: i64,
    /// Orders paid and not cancelled or rejected.
    pub paid_orders: i64,
    /// Paid by consumers, minor units.
    pub gmv: i64,
    /// Refunded on the period's orders.
    pub refunds: i64,
    /// `gmv − refunds` (the revenue).
    pub revenue: i64,
    /// Discounts on kept orders (store rules, promotions, coupons).
    pub discounts: i64,
    /// Of them, funded by the platform (platform coupons).
    pub platform_discounts: i64,
    /// Of them, funded by the merchants.
    pub merchant_discounts: i64,
    /// `revenue / paid_orders`, rounded.
    pub average_ticket: Option<i64>,
    /// Kept orders by customers who had already ordered at the store.
    pub returning_orders: i64,
    /// `returning_orders` over the kept orders at stores (deal sales, which have no store, aside).
    pub repeat_rate: Option<f64>,
    /// Orders handed over (delivered, picked up, served, bills paid).
    pub completed: i64,
    /// Delivery orders delivered.
    pub delivered: i64,
    /// Of them, by the time promised at ordering.
    pub on_time: i64,
    /// `on_time / delivered`.
    pub on_time_rate: Option<f64>,
    /// Mean minutes from ordering to the door.
    pub click_to_door_min: Option<f64>,
    /// Vouchers sold.
    pub vouchers_sold: i64,
    /// Of them, used at least once.
    pub vouchers_used: i64,
    /// `vouchers_used / vouchers_sold`.
    pub redemption_rate: Option<f64>,
    /// Redemptions at the counter.
    pub redemptions: i64,
    /// Their value.
    pub redeemed_value: i64,
}

/// The figures as the API and the CSV show them.
pub fn figures_out(f: &DayFigures) -> PeriodFiguresOut {
    let revenue = f.gmv - f.refunds;
    PeriodFiguresOut {
        views: f.views,
        orders: f.orders,
        paid_orders: f.paid_orders,
        gmv: f.gmv,
        refunds: f.refunds,
        revenue,
        discounts: f.discounts,
        platform_discounts: f.platform_discounts,
        merchant_discounts: f.discounts - f.platform_discounts,
        average_ticket: analytics::average(revenue, f.paid_orders),
        returning_orders: f.returning_orders,
        repeat_rate: analytics::ratio(f.returning_orders, f.store_paid_orders),
        completed: f.completed,
        delivered: f.delivered,
        on_time: f.on_time,
        on_time_rate: analytics::ratio(f.on_time, f.delivered),
        click_to_door_min: analytics::ratio(f.ctd_secs, f.delivered * 60),
        vouchers_sold: f.vouchers_sold,
        vouchers_used: f.vouchers_used,
        redemption_rate: analytics::ratio(f.vouchers_used, f.vouchers_sold),
        redemptions: f.redemptions,
        redeemed_value: f.redeemed_value,
    }
}

/// One bucket of the series.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct BucketOut {
    /// `2026-11-27`, the week's Monday, or `2026-11`.
    pub label: String,
    /// Its first day.
    pub start: String,
    /// Its figures.
    pub figures: PeriodFiguresOut,
}

/// A best seller.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct TopItemOut {
    /// The item.
    pub item_id: String,
    /// Its name.
    pub name: String,
    /// Units sold.
    pub quantity: i64,
    /// Revenue, minor units.
    pub revenue: i64,
}

/// A dashboard.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DashboardOut {
    /// First day.
    pub from: String,
    /// Last day.
    pub to: String,
    /// Grouping.
    pub by: Granularity,
    /// The period's figures.
    pub total: PeriodFiguresOut,
    /// The period before, of the same length.
    pub previous: PeriodFiguresOut,
    /// The series.
    pub series: Vec<BucketOut>,
    /// Kept orders per local hour, 0–23.
    pub hours: Vec<i64>,
    /// Best sellers by revenue (at most 10).
    pub top_items: Vec<TopItemOut>,
    /// Reviews written in the period.
    pub reviews: i64,
    /// Merchants with orders (platform dashboard only).
    pub active_merchants: Option<i64>,
    /// …in the period before.
    pub previous_active_merchants: Option<i64>,
}

/// The dashboard's document.
pub fn dashboard_out(d: &Dashboard) -> DashboardOut {
    DashboardOut {
        from: analytics::iso(d.period.from),
        to: analytics::iso(d.period.to - 1),
        by: d.period.by,
        total: figures_out(&d.total),
        previous: figures_out(&d.previous),
        series: d
            .buckets
            .iter()
            .map(|b| BucketOut {
                label: b.label.clone(),
                start: analytics::iso(b.start),
                figures: figures_out(&b.figures),
            })
            .collect(),
        hours: d.hours.to_vec(),
        top_items: d
            .top_items
            .iter()
            .map(|t| TopItemOut {
                item_id: t.item_id.clone(),
                name: t.name.clone(),
                quantity: t.quantity,
                revenue: t.revenue,
            })
            .collect(),
        reviews: d.reviews,
        active_merchants: d.active_merchants,
        previous_active_merchants: d.previous_active_merchants,
    }
}

/// A merchant's dashboard: revenue, orders, average ticket, repeat rate, voucher redemption
/// rate, funnel figures, delivery KPIs, busy hours and best sellers, by day, week or month, with
/// the period before for comparison. The brand: merchant-wide managers and owners; one store
/// (`store_id`): its managers too.
#[utoipa::path(get, path = "/api/v1/merchants/{merchant_id}/dashboard", tag = "analytics", params(("merchant_id" = MerchantId, Path, description = "The merchant"), PeriodQuery),
    security(("bearer" = [])), responses((status = 200, body = DashboardOut)))]
async fn merchant_dashboard(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<MerchantId>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<DashboardOut>> {
    let store = match q.store_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(s.parse::<StoreId>().map_err(|_| lokal_core::FieldError::new("store_id", "field-store-id"))?),
        None => None,
    };
    let period = q.period(ctx.app.merchant_today(id).await?)?;
    let d = ctx.app.merchant_dashboard(&caller, id, store, period).await?;
    Ok(Json(dashboard_out(&d)))
}

/// The platform's dashboard: GMV, orders, active merchants, delivery KPIs (on-time rate,
/// click-to-door). Operators.
#[utoipa::path(get, path = "/api/v1/admin/dashboard", tag = "analytics", params(PeriodQuery),
    security(("bearer" = [])), responses((status = 200, body = DashboardOut)))]
async fn platform_dashboard(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<DashboardOut>> {
    let period = q.period(ctx.app.platform_today())?;
    let d = ctx.app.platform_dashboard(&caller, period).await?;
    Ok(Json(dashboard_out(&d)))
}

/// The dashboard's series as CSV (one line per bucket, then the total and the period before).
pub fn series_csv(d: &Dashboard) -> String {
    use crate::csv::amount;
    let mut out = String::from(
        "period,views,orders,paid_orders,gmv_cny,refunds_cny,revenue_cny,discounts_cny,platform_discounts_cny,average_ticket_cny,\
         returning_orders,repeat_rate,completed,delivered,on_time,on_time_rate,click_to_door_min,vouchers_sold,\
         vouchers_used,redemption_rate,redemptions,redeemed_value_cny\n",
    );
    let rate = |r: Option<f64>| r.map(|r| format!("{r:.4}")).unwrap_or_default();
    let mut line = |label: &str, f: &DayFigures| {
        let o = figures_out(f);
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            crate::csv::field(label),
            o.views,
            o.orders,
            o.paid_orders,
            amount(o.gmv),
            amount(o.refunds),
            amount(o.revenue),
            amount(o.discounts),
            amount(o.platform_discounts),
            o.average_ticket.map(amount).unwrap_or_default(),
            o.returning_orders,
            rate(o.repeat_rate),
            o.completed,
            o.delivered,
            o.on_time,
            rate(o.on_time_rate),
            o.click_to_door_min.map(|m| format!("{m:.1}")).unwrap_or_default(),
            o.vouchers_sold,
            o.vouchers_used,
            rate(o.redemption_rate),
            o.redemptions,
            amount(o.redeemed_value),
        ));
    };
    for b in &d.buckets {
        line(&b.label, &b.figures);
    }
    line("total", &d.total);
    line("previous period", &d.previous);
    out
}

/// Best sellers as CSV.
pub fn items_csv(d: &Dashboard) -> String {
    let mut out = String::from("item_id,name,quantity,revenue_cny\n");
    for t in &d.top_items {
        out.push_str(&format!(
            "{},{},{},{}\n",
            crate::csv::field(&t.item_id),
            crate::csv::field(&t.name),
            t.quantity,
            crate::csv::amount(t.revenue)
        ));
    }
    out
}

/// Busy hours as CSV.
pub fn hours_csv(d: &Dashboard) -> String {
    let mut out = String::from("hour,orders\n");
    for (h, n) in d.hours.iter().enumerate() {
        out.push_str(&format!("{h:02}:00,{n}\n"));
    }
    out
}
