//! The operators' list of accounts (`/admin/users`): each with its platform roles and whether it
//! is disabled. Operators disable or enable an account and revoke a platform role, each with a
//! reason that the audit log keeps (the same use cases as the API). And reconciliation
//! (`/admin/reconciliation`): the latest runs against the providers' bills, a day run on demand,
//! the differences not yet resolved, each resolved with a note.

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
    Router::new()
        .route("/admin/users", get(users_page))
        .route("/admin/users/{user_id}/{action}", post(act))
        .route("/admin/reconciliation", get(reconciliation_page).post(run_day))
        .route("/admin/reconciliation/{difference_id}/resolve", post(resolve))
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

/// A reconciliation run as a line.
struct RunLine {
    date: String,
    provider: String,
    done: bool,
    lines: i64,
    matched: i64,
    differences: i64,
    fees: String,
    error: String,
    ran_at: String,
}

/// A difference as a line.
struct DifferenceLine {
    id: String,
    date: String,
    provider: String,
    kind: String,
    reference: String,
    difference: String,
    ours: String,
    theirs: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin_reconciliation.html")]
struct ReconciliationPage {
    nav: Nav,
    runs: Vec<RunLine>,
    open: Vec<DifferenceLine>,
    providers: Vec<&'static str>,
    /// Yesterday in Beijing: the day offered to run.
    yesterday: String,
    done: Option<String>,
    error: Option<String>,
}

/// `GET /admin/reconciliation`.
async fn reconciliation_page(State(ctx): State<Ctx>, nav: Nav, Query(q): Query<Vec<(String, String)>>) -> Response {
    let Some(me) = nav.caller() else { return nav.to_login() };
    let flash = Flash::of(q);
    let listed = async {
        let runs = ctx.app.reconciliation_runs(&me).await?;
        let open = ctx.app.open_differences(&me).await?;
        Ok::<_, AppError>((runs, open))
    };
    let (runs, open) = match listed.await {
        Ok(found) => found,
        Err(e) => return nav.refusal(&nav.t("recon-title"), e),
    };
    let runs = runs
        .into_iter()
        .map(|r| RunLine {
            done: r.status == "done",
            fees: nav.money(r.fees),
            ran_at: nav.datetime(r.ran_at),
            date: r.bill_date,
            provider: r.provider,
            lines: r.lines,
            matched: r.matched,
            differences: r.differences,
            error: r.error,
        })
        .collect();
    let open = open
        .into_iter()
        .map(|i| DifferenceLine {
            id: i.id,
            date: i.bill_date,
            provider: i.provider,
            kind: i.kind,
            reference: i.reference,
            difference: i.difference,
            ours: i.ours,
            theirs: i.theirs,
        })
        .collect();
    let page = ReconciliationPage {
        nav: nav.clone(),
        runs,
        open,
        providers: ctx.app.gateway_names(),
        yesterday: lokal_app::reconciliation::beijing_date(ctx.app.now().plus_secs(-86_400)),
        done: match flash.done.as_deref() {
            Some("run") => Some(nav.t("recon-done-run").into_owned()),
            Some("resolved") => Some(nav.t("recon-done-resolved").into_owned()),
            _ => None,
        },
        error: flash.error_text(&nav),
    };
    nav.finish(page.into_response())
}

/// A day to run.
#[derive(Debug, serde::Deserialize)]
struct RunForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    provider: String,
    #[serde(default)]
    date: String,
}

/// `POST /admin/reconciliation`: runs a provider's day now.
async fn run_day(State(ctx): State<Ctx>, nav: Nav, headers: HeaderMap, Form(f): Form<RunForm>) -> Response {
    let me = match poster(&nav, &headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    let result = ctx.app.reconcile(&me, &f.provider, f.date.trim()).await.map(|_| ());
    match result {
        // The bill not ready or the provider down: said on the page, not an error page.
        Err(e) if e.code == lokal_core::ErrorCode::Unavailable => {
            axum::response::Redirect::to(&format!("/admin/reconciliation?{}", crate::riders::error_query(&e)))
                .into_response()
        }
        other => land(&nav, "/admin/reconciliation", other, "run"),
    }
}

/// A difference's note.
#[derive(Debug, serde::Deserialize)]
struct NoteForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    note: String,
}

/// `POST /admin/reconciliation/{difference_id}/resolve`.
async fn resolve(
    State(ctx): State<Ctx>,
    nav: Nav,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(f): Form<NoteForm>,
) -> Response {
    let me = match poster(&nav, &headers, &f.csrf_token) {
        Ok(me) => me,
        Err(end) => return end,
    };
    let result = ctx.app.resolve_difference(&me, &id, &f.note).await;
    land(&nav, "/admin/reconciliation", result, "resolved")
}
