//! Platform operators: the user list and platform-wide roles, the audit log, reconciliation.

use crate::Ctx;
use crate::error::ApiResult;
use crate::extract::{Caller, Json, Path, Query};
use crate::routes::users::{GrantJson, UserJson};
use crate::routes::{ListJson, PageQuery};
use axum::extract::State;
use axum::http::StatusCode;
use lokal_app::page::PageRequest;
use lokal_core::{Role, UserId};
use utoipa_axum::{router::OpenApiRouter, routes};

/// The routes.
pub fn router() -> OpenApiRouter<Ctx> {
    OpenApiRouter::new()
        .routes(routes!(list_users))
        .routes(routes!(grant_role))
        .routes(routes!(revoke_role))
        .routes(routes!(disable_user))
        .routes(routes!(enable_user))
        .routes(routes!(audit_log))
        .routes(routes!(run_reconciliation, list_reconciliations))
        .routes(routes!(open_differences))
        .routes(routes!(resolve_difference))
        .routes(routes!(dead_letters))
        .routes(routes!(retry_send))
}

/// A platform-wide role to grant.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantBody {
    /// The role (staff roles are granted by merchants).
    pub role: PlatformRole,
}

/// A role that holds platform-wide.
#[derive(Debug, Clone, Copy, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PlatformRole {
    /// Operates the platform.
    PlatformAdmin,
    /// Delivers orders.
    Rider,
    /// Brings customers for commission.
    Promoter,
}

impl From<PlatformRole> for Role {
    fn from(r: PlatformRole) -> Role {
        match r {
            PlatformRole::PlatformAdmin => Role::PlatformAdmin,
            PlatformRole::Rider => Role::Rider,
            PlatformRole::Promoter => Role::Promoter,
        }
    }
}

/// Every account, oldest first, a page at a time. Operators only.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", params(PageQuery), security(("bearer" = [])), responses((status = 200, body = ListJson<UserJson>)))]
async fn list_users(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Query(q): Query<PageQuery>,
) -> ApiResult<Json<ListJson<UserJson>>> {
    let page = ctx.app.list_users(&caller, PageRequest::parse(q.cursor.as_deref(), q.limit)?).await?;
    Ok(Json(ListJson { items: page.items.into_iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// Grant a platform-wide role to a user. Operators only.
#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/grants", tag = "admin", params(("user_id" = UserId, Path, description = "The user")),
    request_body = GrantBody, security(("bearer" = [])), responses((status = 201, body = GrantJson)))]
async fn grant_role(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(user_id): Path<UserId>,
    Json(b): Json<GrantBody>,
) -> ApiResult<(StatusCode, Json<GrantJson>)> {
    let grant = ctx.app.grant_platform_role(&caller, user_id, b.role.into()).await?;
    Ok((StatusCode::CREATED, Json(grant.into())))
}

/// Revoke a platform-wide role (`platform_admin`, `rider`, `promoter`). A rider losing the role
/// goes off shift (409 while carrying food); an operator cannot revoke their own operator role
/// (409). Operators; audited.
#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/grants/{role}/revoke", tag = "admin",
    params(("user_id" = UserId, Path, description = "The user"), ("role" = PlatformRole, Path, description = "The role")),
    request_body = crate::routes::riders::ReasonBody, security(("bearer" = [])), responses((status = 204)))]
async fn revoke_role(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path((user_id, role)): Path<(UserId, PlatformRole)>,
    Json(b): Json<crate::routes::riders::ReasonBody>,
) -> ApiResult<StatusCode> {
    ctx.app.revoke_platform_role(&caller, user_id, role.into(), &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Disable an account: every session of it ends at once and it cannot log in (a rider on shift
/// goes off it). An operator cannot disable their own account (409). Operators; audited.
#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/disable", tag = "admin",
    params(("user_id" = UserId, Path, description = "The user")),
    request_body = crate::routes::riders::ReasonBody, security(("bearer" = [])), responses((status = 204)))]
async fn disable_user(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(user_id): Path<UserId>,
    Json(b): Json<crate::routes::riders::ReasonBody>,
) -> ApiResult<StatusCode> {
    ctx.app.disable_user(&caller, user_id, &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enable a disabled account again. Operators; audited.
#[utoipa::path(post, path = "/api/v1/admin/users/{user_id}/enable", tag = "admin",
    params(("user_id" = UserId, Path, description = "The user")),
    request_body = crate::routes::riders::ReasonBody, security(("bearer" = [])), responses((status = 204)))]
async fn enable_user(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(user_id): Path<UserId>,
    Json(b): Json<crate::routes::riders::ReasonBody>,
) -> ApiResult<StatusCode> {
    ctx.app.enable_user(&caller, user_id, &b.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Which audit entries to list.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only entries about this subject (`user:<id>`, `rider:<id>`).
    pub subject: Option<String>,
}

/// One audit entry.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AuditJson {
    /// The entry.
    pub id: String,
    /// When.
    pub at: lokal_core::Timestamp,
    /// Who did it (none: the platform noticed).
    pub actor_id: Option<UserId>,
    /// What: `grant.revoked`, `user.disabled`, `user.enabled`, `rider.suspended`,
    /// `rider.reinstated`, `rider.position_refused`.
    pub action: String,
    /// Whom it concerns.
    pub subject: String,
    /// The reason given, or what looked wrong.
    pub detail: String,
}

/// The newest 200 audit entries, newest first. Operators.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = ListJson<AuditJson>)))]
async fn audit_log(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Query(q): Query<AuditQuery>,
) -> ApiResult<Json<ListJson<AuditJson>>> {
    let rows = ctx.app.audit_log(&caller, q.subject.as_deref()).await?;
    let items = rows
        .into_iter()
        .map(|a| AuditJson {
            id: a.id,
            at: a.at,
            actor_id: a.actor_id,
            action: a.action,
            subject: a.subject,
            detail: a.detail,
        })
        .collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// A day to reconcile.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReconcileBody {
    /// A configured provider: `wechatpay`, `sandbox`.
    pub provider: String,
    /// Its day, `YYYY-MM-DD` (Beijing time).
    pub date: String,
}

/// A day reconciled.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReconciliationJson {
    /// The provider.
    pub provider: String,
    /// The day.
    pub date: String,
    /// `done`, or `failed` (the bill could not be had; `error` says why).
    pub status: String,
    /// Lines on the provider's bill.
    pub lines: i64,
    /// Lines that agree with ours.
    pub matched: i64,
    /// Differences found.
    pub differences: i64,
    /// The provider's fees for the day (posted to the ledger).
    pub fees: lokal_core::Money,
    /// Why a failed run failed.
    pub error: String,
    /// When it ran.
    pub ran_at: lokal_core::Timestamp,
}

/// A difference between a provider's bill and our books.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DifferenceJson {
    /// The difference.
    pub id: String,
    /// The provider.
    pub provider: String,
    /// The bill's day.
    pub date: String,
    /// `payment` or `refund`.
    pub kind: String,
    /// Our reference: the payment's `out_trade_no`, the refund's id.
    pub reference: String,
    /// `missing_in_lokal`, `missing_at_provider`, `amount_mismatch` or `status_mismatch`.
    pub difference: String,
    /// Our side (amount and status), empty if we have none.
    pub ours: String,
    /// The provider's side, empty if it has none.
    pub theirs: String,
    /// When it was found.
    pub found_at: lokal_core::Timestamp,
    /// When an operator resolved it.
    pub resolved_at: Option<lokal_core::Timestamp>,
    /// What they did.
    pub note: String,
}

fn run_json(r: lokal_store::reconciliations::RunRow) -> ReconciliationJson {
    ReconciliationJson {
        provider: r.provider,
        date: r.bill_date,
        status: r.status,
        lines: r.lines,
        matched: r.matched,
        differences: r.differences,
        fees: crate::routes::deals::cny(r.fees),
        error: r.error,
        ran_at: r.ran_at,
    }
}

fn difference_json(i: lokal_store::reconciliations::ItemRow) -> DifferenceJson {
    DifferenceJson {
        id: i.id,
        provider: i.provider,
        date: i.bill_date,
        kind: i.kind,
        reference: i.reference,
        difference: i.difference,
        ours: i.ours,
        theirs: i.theirs,
        found_at: i.created_at,
        resolved_at: i.resolved_at,
        note: i.note,
    }
}

/// A day reconciled with its differences.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ReconciledJson {
    /// The run.
    pub reconciliation: ReconciliationJson,
    /// The day's differences (resolved ones too).
    pub differences: Vec<DifferenceJson>,
}

/// Reconcile a provider's day now (the daily job does yesterday's by itself after 10:00 Beijing
/// time): its bill is downloaded and every line matched with our payments, card recharges and
/// refunds of that day. A bill that cannot be had (not ready, provider unreachable) is 503.
/// Operators.
#[utoipa::path(post, path = "/api/v1/admin/reconciliations", tag = "admin", request_body = ReconcileBody,
    security(("bearer" = [])), responses((status = 200, body = ReconciledJson)))]
async fn run_reconciliation(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Json(b): Json<ReconcileBody>,
) -> ApiResult<Json<ReconciledJson>> {
    let r = ctx.app.reconcile(&caller, &b.provider, &b.date).await?;
    Ok(Json(ReconciledJson {
        reconciliation: run_json(r.run),
        differences: r.items.into_iter().map(difference_json).collect(),
    }))
}

/// The latest reconciliation runs (60 days), newest first. Operators.
#[utoipa::path(get, path = "/api/v1/admin/reconciliations", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = ListJson<ReconciliationJson>)))]
async fn list_reconciliations(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
) -> ApiResult<Json<ListJson<ReconciliationJson>>> {
    let items = ctx.app.reconciliation_runs(&caller).await?.into_iter().map(run_json).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// The differences not yet resolved, oldest first. Operators.
#[utoipa::path(get, path = "/api/v1/admin/reconciliation-differences", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = ListJson<DifferenceJson>)))]
async fn open_differences(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
) -> ApiResult<Json<ListJson<DifferenceJson>>> {
    let items = ctx.app.open_differences(&caller).await?.into_iter().map(difference_json).collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// What was done about a difference.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveBody {
    /// 1 to 500 characters.
    pub note: String,
}

/// Resolve a difference with a note; it leaves the list. Operators; audited.
#[utoipa::path(post, path = "/api/v1/admin/reconciliation-differences/{difference_id}/resolve", tag = "admin",
    params(("difference_id" = String, Path, description = "The difference")), request_body = ResolveBody,
    security(("bearer" = [])), responses((status = 204, description = "Resolved")))]
async fn resolve_difference(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<String>,
    Json(b): Json<ResolveBody>,
) -> ApiResult<StatusCode> {
    ctx.app.resolve_difference(&caller, &id, &b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A message on one channel that was given up.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SendJson {
    /// The send.
    pub id: String,
    /// The outbox message.
    pub message_id: String,
    /// `sms`, `email` or `webhook`.
    pub channel: String,
    /// The phone or e-mail address (empty for the webhook).
    pub address: String,
    /// `pending`, `sent` or `dead`.
    pub status: String,
    /// Tries that failed.
    pub attempts: i64,
    /// Why the last try failed.
    pub last_error: String,
    /// When it was recorded.
    pub created_at: lokal_core::Timestamp,
}

/// Messages given up after their last try (dead letters), newest first. Operators.
#[utoipa::path(get, path = "/api/v1/admin/dead-letters", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = ListJson<SendJson>)))]
async fn dead_letters(State(ctx): State<Ctx>, Caller(caller, _): Caller) -> ApiResult<Json<ListJson<SendJson>>> {
    let items = ctx
        .app
        .dead_letters(&caller)
        .await?
        .into_iter()
        .map(|s| SendJson {
            id: s.id,
            message_id: s.message_id,
            channel: s.channel,
            address: s.address,
            status: s.status,
            attempts: s.attempts,
            last_error: s.last_error,
            created_at: s.created_at,
        })
        .collect();
    Ok(Json(ListJson { items, next_cursor: None }))
}

/// Send a dead letter again (its tries counted afresh). Operators; audited.
#[utoipa::path(post, path = "/api/v1/admin/dead-letters/{send_id}/retry", tag = "admin",
    params(("send_id" = String, Path, description = "The send")), security(("bearer" = [])),
    responses((status = 204, description = "Due again")))]
async fn retry_send(
    State(ctx): State<Ctx>,
    Caller(caller, _): Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    ctx.app.retry_dead_letter(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
