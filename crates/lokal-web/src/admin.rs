//! The operators' list of accounts (`/admin/users`): each with its platform roles and whether it
//! is disabled. Operators disable or enable an account and revoke a platform role, each with a
//! reason that the audit log keeps (the same use cases as the API).

use crate::page::Nav;
use crate::riders::{Flash, land, poster};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use lokal_api::Ctx;
use lokal_app::AppError;
use lokal_app::page::PageRequest;
use lokal_core::{Msg, Role, UserId};

/// The routes.
pub fn router() -> Router<Ctx> {
    Router::new().route("/admin/users", get(users_page)).route("/admin/users/{user_id}/{action}", post(act))
}

/// An account as a line.
struct Person {
    id: String,
    name: String,
    /// Its e-mail, else its phone.
    login: String,
    since: String,
    disabled: bool,
    /// Its platform roles (`platform_admin`, `rider`, `promoter`), each revocable.
    roles: Vec<&'static str>,
    /// Whether it is the viewer's own account (nothing to disable or revoke there).
    me: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
struct UsersPage {
    nav: Nav,
    people: Vec<Person>,
    /// The next page's link, if any.
    next: Option<String>,
    done: Option<String>,
    error: Option<String>,
}

/// What `?done=` says here.
fn done_text(key: &str) -> Option<Msg> {
    Some(Msg::new(match key {
        "disabled" => "people-done-disabled",
        "enabled" => "people-done-enabled",
        "revoked" => "people-done-revoked",
        _ => return None,
    }))
}

/// `GET /admin/users`: fifty accounts a page, oldest first.
async fn users_page(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<Vec<(String, String)>>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let flash = Flash::of(q);
    let listed = async {
        let page = PageRequest::parse(flash.get("cursor").as_deref(), Some(50))?;
        let users = ctx.app.list_users(&me, page).await?;
        let mut people = Vec::with_capacity(users.items.len());
        for u in users.items {
            let roles = ctx
                .app
                .user_grants(&me, u.id)
                .await?
                .into_iter()
                .filter(|g| g.merchant_id.is_none())
                .map(|g| g.role.as_str())
                .collect();
            people.push(Person {
                id: u.id.to_string(),
                login: u.email.or(u.phone).unwrap_or_default(),
                since: nav.date(u.created_at),
                disabled: u.disabled,
                me: u.id == me.user_id,
                name: u.display_name,
                roles,
            });
        }
        Ok::<_, AppError>((people, users.next_cursor))
    };
    let (people, next) = match listed.await {
        Ok(found) => found,
        Err(e) => return nav.refusal(&nav.t("people-title"), e),
    };
    let page = UsersPage {
        nav: nav.clone(),
        people,
        next: next.map(|c| format!("/admin/users?cursor={}", crate::page::encode_query(&c))),
        done: flash.done.as_deref().and_then(done_text).map(|m| nav.msg(&m)),
        error: flash.error_text(&nav),
    };
    nav.finish(page.into_response())
}

/// A reason for an operator's action.
#[derive(Debug, serde::Deserialize)]
struct ReasonForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/users/{user_id}/disable|enable|revoke-<role>`.
async fn act(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path((user, action)): Path<(String, String)>,
    Form(f): Form<ReasonForm>,
) -> Response {
    let me = match poster(&nav, &headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    let Ok(user) = user.parse::<UserId>() else {
        return land(&nav, "/admin/users", Err(AppError::not_found("user")), "");
    };
    let (result, done) = match action.as_str() {
        "disable" => (ctx.app.disable_user(&me, user, &f.reason).await, "disabled"),
        "enable" => (ctx.app.enable_user(&me, user, &f.reason).await, "enabled"),
        other => match other.strip_prefix("revoke-").and_then(Role::parse) {
            Some(role) if !matches!(role, Role::Staff(_)) => {
                (ctx.app.revoke_platform_role(&me, user, role, &f.reason).await, "revoked")
            }
            _ => (Err(AppError::not_found_any()), ""),
        },
    };
    land(&nav, "/admin/users", result, done)
}
