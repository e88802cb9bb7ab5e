//! Dashboards: a merchant's (the brand, or one store) at `/merchant/{id}/dashboard` and the
//! platform's at `/admin/dashboard` — figures with the change from the period before, the funnel,
//! SVG charts of revenue and busy hours, best sellers, and every table as CSV.

use crate::chart;
use crate::discover::yuan;
use crate::page::{Nav, error_page};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use lokal_api::Ctx;
use lokal_api::routes::analytics::{figures_out, hours_csv, items_csv, series_csv};
use lokal_app::analytics::Dashboard;
use lokal_core::analytics::{self, Period};
use lokal_core::{MerchantId, StoreId};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/merchant/{merchant_id}/dashboard", get(merchant_page))
        .route("/merchant/{merchant_id}/dashboard.csv", get(merchant_csv))
        .route("/admin/dashboard", get(platform_page))
        .route("/admin/dashboard.csv", get(platform_csv))
}

#[derive(Debug, Default, serde::Deserialize)]
struct DashQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    by: String,
    #[serde(default)]
    store: String,
    #[serde(default)]
    table: String,
}

/// One figure card: name, value, change from the period before (`+12%`, or empty).
type Card = (&'static str, String, String);

#[derive(Template, WebTemplate)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    nav: Nav,
    heading: String,
    /// Where the form and the CSV links go.
    action: String,
    from: String,
    to: String,
    by: &'static str,
    /// Store id and name (merchant dashboards), the chosen one.
    stores: Vec<(String, String)>,
    store: String,
    cards: Vec<Card>,
    /// Funnel steps: name, count.
    funnel: Vec<(&'static str, String)>,
    revenue_svg: String,
    hours_svg: String,
    /// Period, orders, revenue, average ticket.
    series: Vec<(String, i64, String, String)>,
    /// A merchant's dashboard (busy hours and best sellers shown).
    merchant: bool,
    /// Name, quantity, revenue.
    items: Vec<(String, i64, String)>,
    query: String,
}

fn pct(r: Option<f64>) -> String {
    r.map_or_else(|| "–".to_owned(), |r| format!("{:.1}%", r * 100.0))
}

fn change(now: i64, before: i64) -> String {
    analytics::change(now, before).map_or_else(String::new, |c| format!("{:+.0}% vs previous period", c * 100.0))
}

fn change_f(now: Option<f64>, before: Option<f64>) -> String {
    match (now, before) {
        (Some(a), Some(b)) => format!("{:+.1} pts vs previous period", (a - b) * 100.0),
        _ => String::new(),
    }
}

fn page(
    nav: &Nav,
    d: &Dashboard,
    heading: String,
    action: String,
    stores: Vec<(String, String)>,
    store: String,
) -> Response {
    let (t, p) = (figures_out(&d.total), figures_out(&d.previous));
    let mut cards: Vec<Card> = vec![
        ("Revenue", yuan(t.revenue), change(t.revenue, p.revenue)),
        ("Paid orders", t.paid_orders.to_string(), change(t.paid_orders, p.paid_orders)),
        (
            "Average ticket",
            t.average_ticket.map_or_else(|| "–".into(), yuan),
            change(t.average_ticket.unwrap_or(0), p.average_ticket.unwrap_or(0)),
        ),
        ("Repeat-customer rate", pct(t.repeat_rate), change_f(t.repeat_rate, p.repeat_rate)),
        ("Voucher redemption rate", pct(t.redemption_rate), change_f(t.redemption_rate, p.redemption_rate)),
        ("Discounts you funded", yuan(t.merchant_discounts), change(t.merchant_discounts, p.merchant_discounts)),
        ("On-time deliveries", pct(t.on_time_rate), change_f(t.on_time_rate, p.on_time_rate)),
        ("Click to door", t.click_to_door_min.map_or_else(|| "–".into(), |m| format!("{m:.1} min")), String::new()),
    ];
    if let (Some(a), Some(b)) = (d.active_merchants, d.previous_active_merchants) {
        cards.retain(|c| c.0 != "Discounts you funded");
        cards.insert(2, ("Active merchants", a.to_string(), change(a, b)));
        cards.insert(0, ("GMV", yuan(t.gmv), change(t.gmv, p.gmv)));
        cards.push((
            "Platform subsidies",
            yuan(t.platform_discounts),
            change(t.platform_discounts, p.platform_discounts),
        ));
    }
    let funnel = vec![
        ("Store page views", t.views.to_string()),
        ("Orders placed", t.orders.to_string()),
        ("Paid", t.paid_orders.to_string()),
        ("Delivered or handed over", t.completed.to_string()),
        ("Vouchers redeemed", t.redemptions.to_string()),
        ("Reviewed", d.reviews.to_string()),
    ];
    let revenue: Vec<(String, i64)> =
        d.buckets.iter().map(|b| (b.label.clone(), b.figures.gmv - b.figures.refunds)).collect();
    let hours: Vec<(String, i64)> = d.hours.iter().enumerate().map(|(h, n)| (format!("{h:02}"), *n)).collect();
    let series = d
        .buckets
        .iter()
        .map(|b| {
            let f = figures_out(&b.figures);
            (b.label.clone(), f.paid_orders, yuan(f.revenue), f.average_ticket.map_or_else(|| "–".into(), yuan))
        })
        .collect();
    let items = d.top_items.iter().map(|t| (t.name.clone(), t.quantity, yuan(t.revenue))).collect();
    let from = analytics::iso(d.period.from);
    let to = analytics::iso(d.period.to - 1);
    let by = d.period.by.as_str();
    let query = format!("from={from}&to={to}&by={by}&store={store}");
    let page = DashboardPage {
        nav: nav.clone(),
        heading,
        action,
        from,
        to,
        by,
        stores,
        store,
        cards,
        funnel,
        revenue_svg: chart::bars("Revenue", &revenue, 720, 220, &|v| yuan(v)),
        hours_svg: chart::bars("Orders by hour", &hours, 720, 180, &|v| v.to_string()),
        series,
        merchant: d.active_merchants.is_none(),
        items,
        query,
    };
    nav.finish(page.into_response())
}

fn csv(d: &Dashboard, table: &str, name: &str) -> Response {
    let (body, what) = match table {
        "items" => (items_csv(d), "items"),
        "hours" => (hours_csv(d), "hours"),
        _ => (series_csv(d), "series"),
    };
    let file = format!("{name}-{what}-{}-{}.csv", analytics::iso(d.period.from), analytics::iso(d.period.to - 1));
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        body,
    )
        .into_response()
}

/// Loads a merchant's dashboard for the page or the CSV; the stores the caller may pick from.
async fn merchant_dashboard(
    ctx: &Ctx,
    nav: &Nav,
    id: &str,
    q: &DashQuery,
) -> Result<(Dashboard, String, Vec<(String, String)>, MerchantId), Response> {
    let Some(me) = nav.caller() else { return Err(Redirect::to("/login").into_response()) };
    let Ok(m) = id.parse::<MerchantId>() else { return Err(error_page(lokal_app::AppError::not_found("merchant"))) };
    let merchant = ctx.app.merchant(&me, m).await.map_err(|e| nav.refusal("Dashboard", e))?;
    let store = match q.store.trim() {
        "" => None,
        s => Some(s.parse::<StoreId>().map_err(|_| nav.refusal("Dashboard", lokal_app::AppError::not_found("store")))?),
    };
    let today = ctx.app.merchant_today(m).await.map_err(error_page)?;
    let period = Period::parse(&q.from, &q.to, &q.by, today).map_err(|e| nav.refusal("Dashboard", e.into()))?;
    let d = ctx.app.merchant_dashboard(&me, m, store, period).await.map_err(|e| nav.refusal("Dashboard", e))?;
    let stores = match ctx.app.stores(&me, m).await {
        Ok(list) => list
            .into_iter()
            .filter(|s| me.authorize(lokal_core::Scope::Store(m, s.row.id), lokal_core::StaffRole::Manager).is_ok())
            .map(|s| (s.row.id.to_string(), s.profile.name))
            .collect(),
        Err(e) => return Err(error_page(e)),
    };
    Ok((d, merchant.name, stores, m))
}

async fn merchant_page(
    State(ctx): State<Ctx>,
    nav: Nav,
    Path(id): Path<String>,
    Query(q): Query<DashQuery>,
) -> Response {
    match merchant_dashboard(&ctx, &nav, &id, &q).await {
        Ok((d, name, stores, m)) => {
            let heading = match stores.iter().find(|s| s.0 == q.store.trim()) {
                Some((_, store)) => format!("Dashboard · {store}"),
                None => format!("Dashboard · {name} (all stores)"),
            };
            page(&nav, &d, heading, format!("/merchant/{m}/dashboard"), stores, q.store.trim().to_owned())
        }
        Err(refused) => refused,
    }
}

async fn merchant_csv(
    State(ctx): State<Ctx>,
    nav: Nav,
    Path(id): Path<String>,
    Query(q): Query<DashQuery>,
) -> Response {
    match merchant_dashboard(&ctx, &nav, &id, &q).await {
        Ok((d, _, _, m)) => csv(&d, &q.table, &format!("dashboard-{m}")),
        Err(refused) => refused,
    }
}

async fn platform_dashboard(ctx: &Ctx, nav: &Nav, q: &DashQuery) -> Result<Dashboard, Response> {
    let Some(me) = nav.caller() else { return Err(Redirect::to("/login").into_response()) };
    let period = Period::parse(&q.from, &q.to, &q.by, ctx.app.platform_today())
        .map_err(|e| nav.refusal("Dashboard", e.into()))?;
    ctx.app.platform_dashboard(&me, period).await.map_err(|e| nav.refusal("Dashboard", e))
}

async fn platform_page(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<DashQuery>) -> Response {
    match platform_dashboard(&ctx, &nav, &q).await {
        Ok(d) => page(&nav, &d, "Platform dashboard".into(), "/admin/dashboard".into(), Vec::new(), String::new()),
        Err(refused) => refused,
    }
}

async fn platform_csv(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<DashQuery>) -> Response {
    match platform_dashboard(&ctx, &nav, &q).await {
        Ok(d) => csv(&d, &q.table, "platform"),
        Err(refused) => refused,
    }
}
