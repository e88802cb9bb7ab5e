//! Dashboards: a merchant's (the brand, or one store) at `/merchant/{id}/dashboard` and the
//! platform's at `/admin/dashboard` — figures with the change from the period before, the funnel,
//! SVG charts of revenue and busy hours, best sellers, and every table as CSV.

use crate::chart;
use crate::page::{Nav, error_page, label_key};
use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use lokal_api::Ctx;
use lokal_api::routes::analytics::{figures_out, hours_csv, items_csv, series_csv};
use lokal_app::analytics::Dashboard;
use lokal_core::analytics::{self, Granularity, Period};
use lokal_core::{MerchantId, StoreId};
use lokal_i18n::{Zone, format as fmt};

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

/// One figure card: its word (`revenue`, a `dash-kpi` key's tail), value, change from the
/// period before (`+12% vs previous period`, or empty).
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
    /// Funnel steps: word (a `dash-funnel` key's tail), count.
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

fn change(nav: &Nav, now: i64, before: i64) -> String {
    analytics::change(now, before)
        .map_or_else(String::new, |c| nav.t1("dash-change", "change", format!("{:+.0}%", c * 100.0)))
}

fn change_f(nav: &Nav, now: Option<f64>, before: Option<f64>) -> String {
    match (now, before) {
        (Some(a), Some(b)) => nav.t1("dash-change-pts", "change", format!("{:+.1}", (a - b) * 100.0)),
        _ => String::new(),
    }
}

/// A bucket's label for people, from its first day and the grouping: `11月27日` (a day), `11月23日当周`
/// (the week starting then), `2026年11月`; days carry their year when `year` is set.
fn bucket_label(nav: &Nav, by: Granularity, start: i64, year: bool) -> String {
    let utc = Zone::fixed_minutes(0);
    let ms = start.saturating_mul(86_400_000);
    let l = utc.local(ms);
    let day = if year { fmt::date(nav.lang, ms, &utc) } else { fmt::day_month(nav.lang, l.month, l.day) };
    match by {
        Granularity::Day => day,
        Granularity::Week => nav.t1("dash-week-of", "day", day),
        Granularity::Month => fmt::month(nav.lang, l.year, l.month),
    }
}

/// A CSV download of the console: the API's file, with its column headings in the page's
/// language (the `group` labels: `csv-dash-paid-orders`; a column without one keeps its name)
/// and a byte-order mark so that spreadsheets read the Chinese as UTF-8. The values stay the
/// API's (amounts as plain decimals, times in RFC 3339).
pub(crate) fn csv_download(nav: &Nav, group: &str, file: &str, body: &str) -> Response {
    let (head, rest) = body.split_once('\n').unwrap_or((body, ""));
    let head = head
        .split(',')
        .map(|col| {
            let key = label_key(group, col);
            let text =
                if lokal_i18n::catalogue::has(nav.lang, &key) { nav.t(&key).into_owned() } else { col.to_owned() };
            if text.contains([',', '"', '\n']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text }
        })
        .collect::<Vec<_>>()
        .join(",");
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file}\"")),
        ],
        format!("\u{feff}{head}\n{rest}"),
    )
        .into_response()
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
    let yuan = |v: i64| nav.money(v);
    let mut cards: Vec<Card> = vec![
        ("revenue", yuan(t.revenue), change(nav, t.revenue, p.revenue)),
        ("paid-orders", t.paid_orders.to_string(), change(nav, t.paid_orders, p.paid_orders)),
        (
            "average-ticket",
            t.average_ticket.map_or_else(|| "–".into(), yuan),
            change(nav, t.average_ticket.unwrap_or(0), p.average_ticket.unwrap_or(0)),
        ),
        ("repeat-rate", pct(t.repeat_rate), change_f(nav, t.repeat_rate, p.repeat_rate)),
        ("redemption-rate", pct(t.redemption_rate), change_f(nav, t.redemption_rate, p.redemption_rate)),
        ("merchant-discounts", yuan(t.merchant_discounts), change(nav, t.merchant_discounts, p.merchant_discounts)),
        ("on-time-rate", pct(t.on_time_rate), change_f(nav, t.on_time_rate, p.on_time_rate)),
        (
            "click-to-door",
            t.click_to_door_min.map_or_else(|| "–".into(), |m| nav.t1("dash-minutes", "min", format!("{m:.1}"))),
            String::new(),
        ),
    ];
    if let (Some(a), Some(b)) = (d.active_merchants, d.previous_active_merchants) {
        cards.retain(|c| c.0 != "merchant-discounts");
        cards.insert(2, ("active-merchants", a.to_string(), change(nav, a, b)));
        cards.insert(0, ("gmv", yuan(t.gmv), change(nav, t.gmv, p.gmv)));
        cards.push((
            "platform-discounts",
            yuan(t.platform_discounts),
            change(nav, t.platform_discounts, p.platform_discounts),
        ));
    }
    let funnel = vec![
        ("views", t.views.to_string()),
        ("orders", t.orders.to_string()),
        ("paid", t.paid_orders.to_string()),
        ("completed", t.completed.to_string()),
        ("redemptions", t.redemptions.to_string()),
        ("reviews", d.reviews.to_string()),
    ];
    // Days carry their year unless the whole period lies in this year.
    let this_year = nav.zone.local(nav.now_ms).year;
    let year_of = |day: i64| Zone::fixed_minutes(0).local(day.saturating_mul(86_400_000)).year;
    let with_year = year_of(d.period.from) != this_year || year_of(d.period.to - 1) != this_year;
    let label = |start: i64| bucket_label(nav, d.period.by, start, with_year);
    let revenue: Vec<(String, i64)> =
        d.buckets.iter().map(|b| (label(b.start), b.figures.gmv - b.figures.refunds)).collect();
    let hours: Vec<(String, i64)> = d.hours.iter().enumerate().map(|(h, n)| (format!("{h:02}"), *n)).collect();
    let series = d
        .buckets
        .iter()
        .map(|b| {
            let f = figures_out(&b.figures);
            (label(b.start), f.paid_orders, yuan(f.revenue), f.average_ticket.map_or_else(|| "–".into(), yuan))
        })
        .collect();
    let items = d.top_items.iter().map(|t| (t.name.clone(), t.quantity, yuan(t.revenue))).collect();
    let bar = |label: &str, value: &str| nav.t2("chart-bar", "label", label, "value", value);
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
        revenue_svg: chart::bars(&nav.t("dash-revenue"), &revenue, 720, 220, &chart::Words { value: &yuan, bar: &bar }),
        hours_svg: chart::bars(
            &nav.t("dash-orders-by-hour"),
            &hours,
            720,
            180,
            &chart::Words { value: &|v| v.to_string(), bar: &bar },
        ),
        series,
        merchant: d.active_merchants.is_none(),
        items,
        query,
    };
    nav.finish(page.into_response())
}

fn csv(nav: &Nav, d: &Dashboard, table: &str, name: &str) -> Response {
    let (body, what) = match table {
        "items" => (items_csv(d), "items"),
        "hours" => (hours_csv(d), "hours"),
        _ => (series_csv(d), "series"),
    };
    let file = format!("{name}-{what}-{}-{}.csv", analytics::iso(d.period.from), analytics::iso(d.period.to - 1));
    csv_download(nav, "csv-dash", &file, &body)
}

/// Loads a merchant's dashboard for the page or the CSV; the stores the caller may pick from.
async fn merchant_dashboard(
    ctx: &Ctx,
    nav: &Nav,
    id: &str,
    q: &DashQuery,
) -> Result<(Dashboard, String, Vec<(String, String)>, MerchantId), Response> {
    let Some(me) = nav.caller() else { return Err(nav.to_login()) };
    let Ok(m) = id.parse::<MerchantId>() else { return Err(error_page(lokal_app::AppError::not_found("merchant"))) };
    let merchant = ctx.app.merchant(&me, m).await.map_err(|e| nav.refusal(&nav.t("dash-refused"), e))?;
    let store = match q.store.trim() {
        "" => None,
        s => Some(
            s.parse::<StoreId>()
                .map_err(|_| nav.refusal(&nav.t("dash-refused"), lokal_app::AppError::not_found("store")))?,
        ),
    };
    let today = ctx.app.merchant_today(m).await.map_err(error_page)?;
    let period =
        Period::parse(&q.from, &q.to, &q.by, today).map_err(|e| nav.refusal(&nav.t("dash-refused"), e.into()))?;
    let d =
        ctx.app.merchant_dashboard(&me, m, store, period).await.map_err(|e| nav.refusal(&nav.t("dash-refused"), e))?;
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
                Some((_, store)) => nav.t1("dash-heading-store", "store", store),
                None => nav.t1("dash-heading-merchant", "merchant", name),
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
        Ok((d, _, _, m)) => csv(&nav, &d, &q.table, &format!("dashboard-{m}")),
        Err(refused) => refused,
    }
}

async fn platform_dashboard(ctx: &Ctx, nav: &Nav, q: &DashQuery) -> Result<Dashboard, Response> {
    let Some(me) = nav.caller() else { return Err(nav.to_login()) };
    let period = Period::parse(&q.from, &q.to, &q.by, ctx.app.platform_today())
        .map_err(|e| nav.refusal(&nav.t("dash-refused"), e.into()))?;
    ctx.app.platform_dashboard(&me, period).await.map_err(|e| nav.refusal(&nav.t("dash-refused"), e))
}

async fn platform_page(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<DashQuery>) -> Response {
    match platform_dashboard(&ctx, &nav, &q).await {
        Ok(d) => page(
            &nav,
            &d,
            nav.t("dash-heading-platform").into_owned(),
            "/admin/dashboard".into(),
            Vec::new(),
            String::new(),
        ),
        Err(refused) => refused,
    }
}

async fn platform_csv(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<DashQuery>) -> Response {
    match platform_dashboard(&ctx, &nav, &q).await {
        Ok(d) => csv(&nav, &d, &q.table, "platform"),
        Err(refused) => refused,
    }
}
