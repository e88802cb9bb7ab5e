//! The merchant console's money side: the redemption desk (scan or type a code, confirm uses,
//! undo) and the deal editor. Every action goes through the same use cases as the API.

use crate::page::{Nav, error_page, message};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_core::deal::{DealJson, DealLineJson, UsageRulesJson};
use lokal_core::money::yuan;
use lokal_core::voucher;
use lokal_core::{MerchantId, Msg, Principal, RedemptionId, Role, Scope, StaffRole, StoreId, Timestamp};
use lokal_i18n::Zone;

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/merchant/desk", get(desk))
        .route("/merchant/desk/redeem", post(redeem))
        .route("/merchant/desk/undo/{redemption_id}", post(undo))
        .route("/merchant/{merchant_id}/deals/new", get(deal_form))
        .route("/merchant/{merchant_id}/deals", post(create_deal).layer(crate::media::body_limit(1)))
        .route("/merchant/{merchant_id}/statement", get(statement))
}

/// Today's date (`2026-11-23`) in the zone of the platform's statement day
/// ([`STATEMENT_OFFSET_MIN`](lokal_app::ledger::STATEMENT_OFFSET_MIN), where the ledger cuts
/// its days).
pub fn statement_today(now: Timestamp) -> String {
    let zone = Zone::fixed_minutes(i32::try_from(lokal_app::ledger::STATEMENT_OFFSET_MIN).unwrap_or(480));
    let l = zone.local(now.millis());
    format!("{:04}-{:02}-{:02}", l.year, l.month, l.day)
}

#[derive(Debug, Default, serde::Deserialize)]
struct DateQuery {
    date: Option<String>,
}

async fn statement(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>, Query(q): Query<DateQuery>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(m) = id.parse::<MerchantId>() else { return error_page(lokal_app::AppError::not_found("merchant")) };
    let date = q.date.unwrap_or_else(|| statement_today(ctx.app.now()));
    match ctx.app.statement(&me, m, &date).await {
        Ok(lines) => (
            [
                (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    axum::http::header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"statement-{}.csv\"", date.trim()),
                ),
            ],
            lokal_api::routes::vouchers::statement_csv(&lines),
        )
            .into_response(),
        Err(e) => nav.refusal(&nav.t("desk-statement-refused"), e),
    }
}

/// A store the caller works at.
pub(crate) struct StaffStore {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its time zone, minutes east of UTC (its desk's times are read there).
    pub offset_min: i64,
}

/// Every store the caller works at.
pub(crate) async fn my_stores(ctx: &Ctx, me: &Principal) -> Result<Vec<StaffStore>, lokal_app::AppError> {
    let mut out = Vec::new();
    for g in me.grants.iter().filter(|g| matches!(g.role, Role::Staff(_))) {
        let Some(m) = g.merchant_id else { continue };
        for s in ctx.app.stores(me, m).await? {
            if me.authorize(Scope::Store(m, s.row.id), StaffRole::Clerk).is_ok() {
                out.push(StaffStore {
                    id: s.row.id.to_string(),
                    name: s.profile.name,
                    offset_min: s.row.utc_offset_min,
                });
            }
        }
    }
    Ok(out)
}

/// One past redemption.
struct RedemptionLine {
    id: String,
    when: String,
    uses: i64,
    /// `redeemed`, or `undone` (a label of the `desk-redemption` group).
    state: &'static str,
    can_undo: bool,
}

/// The looked-up voucher.
struct DeskVoucherView {
    title: String,
    /// `active`, `used`, `expired` or `refunded` (a label of the `desk-voucher` group).
    status: String,
    uses_left: i64,
    uses_total: i64,
    valid_from: String,
    valid_until: String,
    contents: Vec<(i64, String)>,
    refusal: Option<String>,
    redemptions: Vec<RedemptionLine>,
}

#[derive(Template, WebTemplate)]
#[template(path = "desk.html")]
struct DeskPage {
    nav: Nav,
    stores: Vec<StaffStore>,
    store: String,
    code: String,
    voucher: Option<DeskVoucherView>,
    error: Option<String>,
    done: Option<String>,
}

#[derive(Debug, Default, serde::Deserialize)]
struct DeskQuery {
    store: Option<String>,
    code: Option<String>,
    done: Option<String>,
}

async fn desk(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<DeskQuery>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let stores = match my_stores(&ctx, &me).await {
        Ok(s) => s,
        Err(e) => return error_page(e),
    };
    if stores.is_empty() {
        return nav.finish(message(
            StatusCode::FORBIDDEN,
            &nav.t("desk-no-store"),
            &nav.t("desk-not-staff"),
            nav.clone(),
        ));
    }
    let store = q.store.filter(|s| stores.iter().any(|st| &st.id == s)).unwrap_or_else(|| stores[0].id.clone());
    let offset = stores.iter().find(|s| s.id == store).map_or(480, |s| s.offset_min);
    let code = q.code.unwrap_or_default().trim().to_owned();
    let mut page = DeskPage {
        nav: nav.clone(),
        stores,
        store: store.clone(),
        code: code.clone(),
        voucher: None,
        error: None,
        done: q
            .done
            .map(|d| nav.msg(&if d == "undo" { Msg::new("desk-done-undo") } else { Msg::new("desk-done-redeemed") })),
    };
    if !code.is_empty() {
        let Ok(store_id) = store.parse::<StoreId>() else { return error_page(lokal_app::AppError::not_found("store")) };
        match ctx.app.look_up_voucher(&me, store_id, &code).await {
            Ok(d) => {
                let now = ctx.app.now();
                let manager = me.authorize(Scope::Store(d.deal.row.merchant_id, store_id), StaffRole::Manager).is_ok();
                let latest = d.redemptions.iter().rev().find(|r| r.undone_at.is_none()).map(|r| r.id);
                page.voucher = Some(DeskVoucherView {
                    title: d.deal.row.title.clone(),
                    status: d.voucher.status.to_string(),
                    uses_left: d.voucher.uses_left,
                    uses_total: d.voucher.uses_total,
                    valid_from: nav.near_at(d.voucher.valid_from, offset),
                    valid_until: nav.near_at(d.voucher.valid_until, offset),
                    contents: d.deal.details.contents.iter().map(|c| (i64::from(c.quantity), c.name.clone())).collect(),
                    refusal: d.refusal.map(|e| nav.error_text(&e)),
                    redemptions: d
                        .redemptions
                        .iter()
                        .map(|r| RedemptionLine {
                            id: r.id.to_string(),
                            when: nav.near_at(r.created_at, offset),
                            uses: r.uses,
                            state: if r.undone_at.is_some() { "undone" } else { "redeemed" },
                            can_undo: manager
                                && r.store_id == store_id
                                && latest == Some(r.id)
                                && voucher::undoable(r.created_at, r.undone_at, now),
                        })
                        .collect(),
                });
            }
            Err(e) if e.code.status() < 500 => page.error = Some(nav.error_text(&e)),
            Err(e) => return error_page(e),
        }
    }
    nav.finish(page.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct RedeemForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    store: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    uses: String,
}

fn back(store: &str, code: &str, done: &str) -> Response {
    let code: String = code.chars().filter(char::is_ascii_alphanumeric).collect();
    let store: String = store.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    Redirect::to(&format!("/merchant/desk?store={store}&code={code}&done={done}")).into_response()
}

async fn redeem(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Form(f): Form<RedeemForm>) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(store) = f.store.parse::<StoreId>() else { return error_page(lokal_app::AppError::not_found("store")) };
    let uses = f.uses.trim().parse::<i64>().unwrap_or(0);
    match ctx.app.redeem(&me, store, &f.code, uses, "web desk").await {
        Ok(_) => back(&f.store, &f.code, "redeemed"),
        Err(e) => nav.refusal(&nav.t("desk-not-redeemed"), e),
    }
}

async fn undo(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<RedeemForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<RedemptionId>() else { return error_page(lokal_app::AppError::not_found("redemption")) };
    match ctx.app.undo_redemption(&me, id, "web desk").await {
        Ok(_) => back(&f.store, &f.code, "undo"),
        Err(e) => nav.refusal(&nav.t("desk-not-undone"), e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "deal_form.html")]
struct DealFormPage {
    nav: Nav,
    merchant: String,
    merchant_id: String,
    stores: Vec<(String, String)>,
}

/// What a merchant-wide manager's form page needs: the caller, the merchant, its name and its
/// stores (id, name); or the page that refuses.
pub(crate) struct ManagerPage {
    pub me: Principal,
    pub merchant_id: MerchantId,
    pub name: String,
    pub stores: Vec<(String, String)>,
}

/// Checks that the caller manages the merchant `id` (merchant-wide) and loads what its form
/// pages show.
pub(crate) async fn manager_page(ctx: &Ctx, nav: &Nav, id: &str) -> Result<ManagerPage, Response> {
    let Some(me) = nav.caller() else { return Err(nav.to_login()) };
    let Ok(m) = id.parse::<MerchantId>() else { return Err(error_page(lokal_app::AppError::not_found("merchant"))) };
    if let Err(e) = me.authorize(Scope::Merchant(m), StaffRole::Manager) {
        return Err(nav.refusal(&nav.t("desk-not-allowed"), e.into()));
    }
    let merchant = ctx.app.merchant(&me, m).await.map_err(|e| nav.refusal(&nav.t("desk-not-found"), e))?;
    let stores = match ctx.app.stores(&me, m).await {
        Ok(s) => s.into_iter().map(|s| (s.row.id.to_string(), s.profile.name)).collect(),
        Err(e) => return Err(error_page(e)),
    };
    Ok(ManagerPage { me, merchant_id: m, name: merchant.name, stores })
}

async fn deal_form(State(ctx): State<Ctx>, nav: Nav, Path(id): Path<String>) -> Response {
    let ManagerPage { merchant_id: m, name, stores, .. } = match manager_page(&ctx, &nav, &id).await {
        Ok(p) => p,
        Err(refused) => return refused,
    };
    nav.finish(DealFormPage { nav: nav.clone(), merchant: name, merchant_id: m.to_string(), stores }.into_response())
}

#[derive(Debug, serde::Deserialize)]
struct DealForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    price: String,
    #[serde(default)]
    original_price: String,
    #[serde(default)]
    store: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    valid_days: String,
    #[serde(default)]
    uses: String,
    #[serde(default)]
    stock: String,
    #[serde(default)]
    limit: String,
    #[serde(default)]
    weekdays_only: Option<String>,
}

async fn create_deal(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let not_created = nav.t("deal-form-not-created");
    let refuse =
        |key: Msg| nav.finish(message(StatusCode::UNPROCESSABLE_ENTITY, &not_created, &nav.msg(&key), nav.clone()));
    let (f, photos) = match crate::media::UploadForm::posted_as::<DealForm>(&nav, &not_created, form).await {
        Ok(read) => read,
        Err(page) => return page,
    };
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(m) = id.parse::<MerchantId>() else { return error_page(lokal_app::AppError::not_found("merchant")) };
    let (Some(price), Some(original_price)) =
        (crate::merchants::parse_yuan(&f.price), crate::merchants::parse_yuan(&f.original_price))
    else {
        return refuse(Msg::new("deal-form-price-not-yuan"));
    };
    let number = |s: &str, default: i64| s.trim().parse::<i64>().unwrap_or(default);
    let now = ctx.app.now();
    let store_ids = match f.store.trim() {
        "" => match ctx.app.stores(&me, m).await {
            Ok(s) => s.into_iter().map(|s| s.row.id).collect(),
            Err(e) => return nav.refusal(&not_created, e),
        },
        s => match s.parse::<StoreId>() {
            Ok(id) => vec![id],
            Err(_) => return refuse(Msg::new("deal-form-choose-store")),
        },
    };
    let days = number(&f.days, 30).clamp(1, 365);
    let mut body = DealJson {
        title: f.title,
        description: f.description,
        contents: Vec::<DealLineJson>::new(),
        price,
        original_price,
        store_ids,
        sale_starts_at: None,
        sale_ends_at: now.plus_secs(days * 86_400).to_rfc3339(),
        valid_from: None,
        valid_until: now.plus_secs(days.max(number(&f.valid_days, 90).clamp(1, 1000)) * 86_400).to_rfc3339(),
        rules: UsageRulesJson { weekdays_only: f.weekdays_only.is_some(), ..UsageRulesJson::default() },
        uses_per_voucher: u32::try_from(number(&f.uses, 1)).unwrap_or(0),
        stock: u32::try_from(number(&f.stock, 100)).unwrap_or(0),
        per_user_limit: u32::try_from(number(&f.limit, 0)).unwrap_or(0),
        refundable: true,
        auto_refund_on_expiry: true,
        flash_sale: false,
        photos: Vec::new(),
    };
    // The photo is stored only for someone who may create the merchant's deals.
    if !photos.is_empty()
        && let Err(e) = me.authorize(Scope::Merchant(m), StaffRole::Manager)
    {
        return nav.refusal(&not_created, e.into());
    }
    for bytes in photos {
        match ctx.app.upload_photo(&me, bytes).await {
            Ok(p) => body.photos.push(p.row.id),
            Err(e) => return nav.refusal(&not_created, e),
        }
    }
    match ctx.app.create_deal(&me, m, body).await {
        Ok(d) => Redirect::to(&format!("/deals/{}", d.row.id)).into_response(),
        Err(e) => nav.refusal(&not_created, e),
    }
}

/// The console's summary of a merchant's deals and balance: (deals as (id, title, price, sold,
/// stock)), balance text.
pub async fn summary(
    ctx: &Ctx,
    me: &Principal,
    m: MerchantId,
) -> Result<(Vec<(String, String, String, i64, i64)>, Option<String>), lokal_app::AppError> {
    let deals = ctx
        .app
        .merchant_deals(me, m)
        .await?
        .into_iter()
        .map(|d| {
            let sold = d.row.stock_total - d.row.stock_left;
            (d.row.id.to_string(), d.row.title, yuan(d.row.price), sold, d.row.stock_total)
        })
        .collect();
    let balance = match ctx.app.merchant_balance(me, m).await {
        Ok(b) => Some(yuan(b)),
        Err(_) => None,
    };
    Ok((deals, balance))
}
