//! The merchant console: a staff member's merchants, their stores and the catalog, with item
//! editing for managers. Every change goes through the same use cases as the API.

use crate::page::{Nav, error_page, message};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_core::catalog::ItemJson;
use lokal_core::{ItemId, Principal, Role, Scope, StaffRole};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new().route("/merchant", get(console)).route("/merchant/items/{item_id}", post(edit_item))
}

/// One merchant as the console shows it.
pub struct MerchantBlock {
    name: String,
    role: &'static str,
    can_edit: bool,
    stores: Vec<(String, String)>,
    items: Vec<ItemLine>,
}

/// One item line.
pub struct ItemLine {
    id: String,
    name: String,
    section: String,
    price: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console.html")]
struct ConsolePage {
    nav: Nav,
    merchants: Vec<MerchantBlock>,
}

fn yuan(minor: i64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

/// Parses `38`, `38.5` or `38.50` yuan into fen.
fn parse_yuan(s: &str) -> Option<i64> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty()
        || frac.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let frac = format!("{frac:0<2}");
    whole.parse::<i64>().ok()?.checked_mul(100)?.checked_add(frac.parse::<i64>().ok()?)
}

async fn console(State(ctx): State<Ctx>, nav: Nav) -> Response {
    let Some(me) = nav.caller() else {
        return Redirect::to("/login").into_response();
    };
    let mut merchants = Vec::new();
    for g in me.grants.iter().filter(|g| matches!(g.role, Role::Staff(_))) {
        let Some(m) = g.merchant_id else { continue };
        match block(&ctx, &me, m, g.role).await {
            Ok(b) => merchants.push(b),
            Err(e) => return error_page(e),
        }
    }
    if merchants.is_empty() {
        return nav.finish(message(
            StatusCode::OK,
            "No merchant yet",
            "You are not staff of any merchant. Run a business? Apply to join at /merchant/apply.",
            nav.clone(),
        ));
    }
    nav.finish(ConsolePage { nav: nav.clone(), merchants }.into_response())
}

async fn block(
    ctx: &Ctx,
    me: &Principal,
    m: lokal_core::MerchantId,
    role: Role,
) -> Result<MerchantBlock, lokal_app::AppError> {
    let merchant = ctx.app.merchant(me, m).await?;
    let stores = ctx.app.stores(me, m).await?.into_iter().map(|s| (s.row.id.to_string(), s.profile.name)).collect();
    let items = ctx
        .app
        .items(me, m)
        .await?
        .into_iter()
        .map(|i| ItemLine { id: i.id.to_string(), name: i.name, section: i.section, price: yuan(i.price) })
        .collect();
    Ok(MerchantBlock {
        name: merchant.name,
        role: role.as_str(),
        can_edit: me.authorize(Scope::Merchant(m), StaffRole::Manager).is_ok(),
        stores,
        items,
    })
}

#[derive(Debug, serde::Deserialize)]
struct ItemForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    price: String,
}

async fn edit_item(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<ItemForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else {
        return Redirect::to("/login").into_response();
    };
    let refuse = |status: StatusCode, text: &str| nav.finish(message(status, "Not saved", text, nav.clone()));
    let Ok(id) = id.parse::<ItemId>() else { return refuse(StatusCode::NOT_FOUND, "There is no such item.") };
    let Some(price) = parse_yuan(&f.price) else {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, "The price must be a number of yuan, like 38 or 38.50.");
    };
    let (item, options) = match ctx.app.item(&me, id).await {
        Ok(found) => found,
        Err(e) => return nav.refusal("Not saved", e),
    };
    let body = ItemJson { name: f.name, section: Some(f.section), description: Some(item.description), price, options };
    match ctx.app.update_item(&me, id, body).await {
        Ok(_) => Redirect::to("/merchant").into_response(),
        Err(e) => nav.refusal("Not saved", e),
    }
}

#[cfg(test)]
mod tests {
    use super::parse_yuan;

    #[test]
    fn yuan_text_becomes_fen() {
        assert_eq!(parse_yuan("38"), Some(3800));
        assert_eq!(parse_yuan("38.5"), Some(3850));
        assert_eq!(parse_yuan(" 0.05 "), Some(5));
        for bad in ["", "-1", "1.234", "abc", ".5", "99999999999999999999"] {
            assert_eq!(parse_yuan(bad), None, "{bad}");
        }
    }
}
