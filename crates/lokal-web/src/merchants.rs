//! The merchant console: a staff member's merchants, their stores and the catalog, with item
//! editing (and item photos) for managers. Every change goes through the same use cases as the API.

use crate::page::{Nav, error_page, message};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::multipart::{Multipart, MultipartRejection};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_core::catalog::ItemJson;
use lokal_core::money::decimal as yuan;
use lokal_core::{ItemId, MerchantId, Msg, Principal, Role, Scope, StaffRole, StoreId, StoreScope, UserId};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new()
        .route("/merchant", get(console))
        .route("/merchant/items/{item_id}", post(edit_item))
        .route("/merchant/items/{item_id}/photo", post(item_photo).layer(crate::media::body_limit(1)))
        .route("/merchant/{merchant_id}/items", post(add_item))
        .route("/merchant/{merchant_id}/staff", post(add_staff))
        .route("/merchant/{merchant_id}/staff/{user_id}/remove", post(remove_staff))
}

/// One merchant as the console shows it.
pub struct MerchantBlock {
    id: String,
    name: String,
    role: &'static str,
    can_edit: bool,
    stores: Vec<(String, String)>,
    items: Vec<ItemLine>,
    /// Staff, shown to merchant-wide managers and owners; empty otherwise.
    staff: Vec<StaffLine>,
    /// Open invitations (login, role), for the same people.
    invitations: Vec<(String, &'static str)>,
    can_manage_staff: bool,
    is_owner: bool,
    /// Deals (id, title, price, sold, stock), for merchant-wide managers.
    deals: Vec<(String, String, String, i64, i64)>,
    /// What the platform owes the merchant, for merchant-wide managers.
    balance: Option<String>,
}

/// One staff member.
pub struct StaffLine {
    user_id: String,
    name: String,
    role: &'static str,
    stores: String,
    /// Whether the viewer may take them off the staff (never the last owner).
    removable: bool,
}

/// One item line.
pub struct ItemLine {
    id: String,
    name: String,
    section: String,
    /// The price as the form edits it (`38.50`).
    price: String,
    /// The price as people read it (`¥38.50`).
    shown: String,
    /// Its photo's thumbnail URL, or empty.
    photo: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console.html")]
struct ConsolePage {
    nav: Nav,
    merchants: Vec<MerchantBlock>,
    done: Option<String>,
}

/// The console of someone who is nobody's staff: where to apply.
#[derive(Template, WebTemplate)]
#[template(
    source = r#"{% extends "base.html" %}
{% block title %}{{ nav.t("console-none-heading") }}{% endblock %}
{% block content %}
<div class="card narrow" data-testid="console-none">
  <h1>{{ nav.t("console-none-heading") }}</h1>
  <p>{{ nav.t("console-none-text") }}</p>
  <a class="button primary" href="/merchant/apply" data-testid="console-apply">{{ nav.t("console-apply-link") }}</a>
</div>
{% endblock %}"#,
    ext = "html"
)]
struct NoMerchantPage {
    nav: Nav,
}

/// Parses `38`, `38.5` or `38.50` yuan into fen.
pub(crate) fn parse_yuan(s: &str) -> Option<i64> {
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

async fn console(
    State(ctx): State<Ctx>,
    nav: Nav,
    axum::extract::Query(q): axum::extract::Query<Vec<(String, String)>>,
) -> Response {
    let done = match crate::riders::Flash::of(q).done.as_deref() {
        Some("invited") => Some(nav.t("console-done-invited").into_owned()),
        _ => None,
    };
    let Some(me) = nav.caller() else {
        return nav.to_login();
    };
    let mut merchants = Vec::new();
    for g in me.grants.iter().filter(|g| matches!(g.role, Role::Staff(_))) {
        let Some(m) = g.merchant_id else { continue };
        match block(&ctx, &nav, &me, m, g.role).await {
            Ok(b) => merchants.push(b),
            Err(e) => return error_page(e),
        }
    }
    if merchants.is_empty() {
        return nav.finish(NoMerchantPage { nav: nav.clone() }.into_response());
    }
    nav.finish(ConsolePage { nav: nav.clone(), merchants, done }.into_response())
}

async fn block(
    ctx: &Ctx,
    nav: &Nav,
    me: &Principal,
    m: lokal_core::MerchantId,
    role: Role,
) -> Result<MerchantBlock, lokal_app::AppError> {
    let merchant = ctx.app.merchant(me, m).await?;
    let stores: Vec<(String, String)> =
        ctx.app.stores(me, m).await?.into_iter().map(|s| (s.row.id.to_string(), s.profile.name)).collect();
    let items = ctx
        .app
        .items(me, m)
        .await?
        .into_iter()
        .map(|i| ItemLine {
            id: i.id.to_string(),
            name: i.name,
            section: i.section,
            price: yuan(i.price),
            shown: nav.money(i.price),
            photo: crate::discovery::thumbnail_or_empty(&i.photo),
        })
        .collect();
    let can_edit = me.authorize(Scope::Merchant(m), StaffRole::Manager).is_ok();
    let is_owner = me.authorize(Scope::Merchant(m), StaffRole::Owner).is_ok();
    let staff = if can_edit {
        let all = ctx.app.staff(me, m).await?;
        let last_owner = all.iter().find(|(u, _, _)| lokal_app::merchants::is_last_owner(&all, *u)).map(|s| s.0);
        all.into_iter()
            .map(|(user, name, g)| StaffLine {
                user_id: user.to_string(),
                name,
                removable: match g.role {
                    Role::Staff(StaffRole::Owner) => is_owner && last_owner != Some(user),
                    Role::Staff(StaffRole::Clerk) => true,
                    _ => is_owner,
                },
                role: g.role.as_str(),
                stores: match &g.stores {
                    StoreScope::All => nav.t("console-all-stores").into_owned(),
                    StoreScope::Only(ids) => ids
                        .iter()
                        .map(|id| {
                            let id = id.to_string();
                            stores.iter().find(|(s, _)| *s == id).map_or(id, |(_, n)| n.clone())
                        })
                        .collect::<Vec<_>>()
                        .join(&nav.t("console-list-separator")),
                },
            })
            .collect()
    } else {
        Vec::new()
    };
    let invitations = if can_edit {
        ctx.app
            .merchant_invitations(me, m)
            .await?
            .into_iter()
            .map(|i| (i.login, Role::parse(&i.role).map_or("clerk", |r| r.as_str())))
            .collect()
    } else {
        Vec::new()
    };
    let (deals, balance) = if can_edit { crate::vouchers::summary(ctx, me, m).await? } else { (Vec::new(), None) };
    Ok(MerchantBlock {
        deals,
        balance,
        id: m.to_string(),
        name: merchant.name,
        role: role.as_str(),
        can_edit,
        stores,
        items,
        staff,
        invitations,
        can_manage_staff: can_edit,
        is_owner,
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
        return nav.to_login();
    };
    let heading = nav.t("console-not-saved");
    let refuse = |status: StatusCode, text: &str| nav.finish(message(status, &heading, text, nav.clone()));
    let Ok(id) = id.parse::<ItemId>() else { return refuse(StatusCode::NOT_FOUND, &nav.t("console-no-such-item")) };
    let Some(price) = parse_yuan(&f.price) else {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, &nav.t("console-price-invalid"));
    };
    let (item, options) = match ctx.app.item(&me, id).await {
        Ok(found) => found,
        Err(e) => return nav.refusal(&heading, e),
    };
    let body = ItemJson {
        name: f.name,
        section: Some(f.section),
        description: Some(item.description),
        price,
        options,
        photo: Some(item.photo),
    };
    match ctx.app.update_item(&me, id, body).await {
        Ok(_) => Redirect::to("/merchant").into_response(),
        Err(e) => nav.refusal(&heading, e),
    }
}

async fn add_item(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(merchant): Path<String>,
    Form(f): Form<ItemForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else {
        return nav.to_login();
    };
    let heading = nav.t("console-not-added");
    let refuse = |status: StatusCode, text: &str| nav.finish(message(status, &heading, text, nav.clone()));
    let Ok(merchant) = merchant.parse::<MerchantId>() else {
        return refuse(StatusCode::NOT_FOUND, &nav.t("console-no-such-merchant"));
    };
    let Some(price) = parse_yuan(&f.price) else {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, &nav.t("console-price-invalid"));
    };
    let section = Some(f.section).filter(|s| !s.trim().is_empty());
    let body = ItemJson { name: f.name, section, description: None, price, options: Vec::new(), photo: None };
    match ctx.app.create_item(&me, merchant, body).await {
        Ok(_) => Redirect::to("/merchant").into_response(),
        Err(e) => nav.refusal(&heading, e),
    }
}

/// Sets (the file in `photo`) or removes (`remove`) an item's photo. Merchant-wide managers.
async fn item_photo(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Response {
    let heading = nav.t("console-not-saved");
    let refuse = |status: StatusCode, why: &Msg| nav.finish(message(status, &heading, &nav.msg(why), nav.clone()));
    let form = match crate::media::UploadForm::posted(&nav, &heading, form).await {
        Ok(f) => f,
        Err(page) => return page,
    };
    if let Err(refused) = nav.verify_form(&headers, &form.get("csrf_token")) {
        return refused;
    }
    let Some(me) = nav.caller() else { return nav.to_login() };
    let Ok(id) = id.parse::<ItemId>() else {
        return refuse(StatusCode::NOT_FOUND, &Msg::new("console-no-such-item"));
    };
    let (item, options) = match ctx.app.item(&me, id).await {
        Ok(found) => found,
        Err(e) => return nav.refusal(&heading, e),
    };
    // Nothing is stored for an item the caller may not change.
    if let Err(e) = me.authorize(Scope::Merchant(item.merchant_id), StaffRole::Manager) {
        return nav.refusal(&heading, e.into());
    }
    let photo = match form.photos.into_iter().next() {
        Some(bytes) => match ctx.app.upload_photo(&me, bytes).await {
            Ok(p) => Some(p.row.id),
            Err(e) => return nav.refusal(&heading, e),
        },
        None if form.fields.contains_key("remove") => None,
        None => return refuse(StatusCode::UNPROCESSABLE_ENTITY, &Msg::new("console-choose-photo")),
    };
    let body = ItemJson {
        name: item.name,
        section: Some(item.section),
        description: Some(item.description),
        price: item.price,
        options,
        photo,
    };
    match ctx.app.update_item(&me, id, body).await {
        Ok(_) => Redirect::to("/merchant").into_response(),
        Err(e) => nav.refusal(&heading, e),
    }
}

#[derive(Debug, serde::Deserialize)]
struct StaffForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    role: String,
    /// A store id, or empty for all stores.
    #[serde(default)]
    store: String,
}

async fn add_staff(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(merchant): Path<String>,
    Form(f): Form<StaffForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else {
        return nav.to_login();
    };
    let heading = nav.t("console-not-added");
    let refuse = |status: StatusCode, text: &str| nav.finish(message(status, &heading, text, nav.clone()));
    let Ok(merchant) = merchant.parse::<MerchantId>() else {
        return refuse(StatusCode::NOT_FOUND, &nav.t("console-no-such-merchant"));
    };
    let Some(Role::Staff(role)) = Role::parse(&f.role) else {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, &nav.t("console-choose-role"));
    };
    let stores = match f.store.trim() {
        "" => StoreScope::All,
        s => match s.parse::<StoreId>() {
            Ok(id) => StoreScope::Only(vec![id]),
            Err(_) => return refuse(StatusCode::UNPROCESSABLE_ENTITY, &nav.t("console-choose-store")),
        },
    };
    match ctx.app.invite_staff(&me, merchant, &f.login, role, stores).await {
        Ok(_) => Redirect::to("/merchant?done=invited").into_response(),
        Err(e) => nav.refusal(&heading, e),
    }
}

#[derive(Debug, serde::Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn remove_staff(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path((merchant, user)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if let Err(refused) = nav.verify_form(&headers, &f.csrf_token) {
        return refused;
    }
    let Some(me) = nav.caller() else {
        return nav.to_login();
    };
    let (Ok(merchant), Ok(user)) = (merchant.parse::<MerchantId>(), user.parse::<UserId>()) else {
        return nav.finish(message(
            StatusCode::NOT_FOUND,
            &nav.t("console-not-removed"),
            &nav.t("console-no-such-staff"),
            nav.clone(),
        ));
    };
    match ctx.app.remove_staff(&me, merchant, user).await {
        Ok(()) => Redirect::to("/merchant").into_response(),
        Err(e) => nav.refusal(&nav.t("console-not-removed"), e),
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
