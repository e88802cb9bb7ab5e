//! The audit log: one row per thing an operator did to someone (grants revoked, riders suspended,
//! accounts disabled) and per thing that looked wrong (a rider's implausible position). Rows are
//! only ever added.

use crate::StoreError;
use crate::row::{get, opt, time};
use lokal_core::Timestamp;
use lokal_core::UserId;
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// One entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    /// A UUIDv7.
    pub id: String,
    /// When.
    pub at: Timestamp,
    /// Who did it (none: the system noticed).
    pub actor_id: Option<UserId>,
    /// What: `grant.revoked`, `rider.suspended`, `user.disabled`, `rider.position_refused`, …
    pub action: String,
    /// Whom or what it concerns: `user:<id>`, `rider:<id>`.
    pub subject: String,
    /// Free text: the reason given, the figures that looked wrong.
    pub detail: String,
}

impl FromRow<'_, AnyRow> for AuditRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: get(r, "id")?,
            at: time(r, "at")?,
            actor_id: opt(r, "actor_id")?,
            action: get(r, "action")?,
            subject: get(r, "subject")?,
            detail: get(r, "detail")?,
        })
    }
}

/// Adds an entry.
pub async fn record<'e>(ex: impl Executor<'e, Database = Any>, a: &AuditRow) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO audit_log (id, at, actor_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&a.id)
        .bind(a.at.millis())
        .bind(a.actor_id.map(|u| u.to_string()))
        .bind(&a.action)
        .bind(&a.subject)
        .bind(&a.detail)
        .execute(ex)
        .await?;
    Ok(())
}

/// The newest entries first, about `subject` when given, at most `limit`.
pub async fn recent<'e>(
    ex: impl Executor<'e, Database = Any>,
    subject: Option<&str>,
    limit: i64,
) -> Result<Vec<AuditRow>, StoreError> {
    let rows =
        match subject {
            Some(s) => {
                sqlx::query(
                    "SELECT id, at, actor_id, action, subject, detail FROM audit_log WHERE subject = $1 \
                 ORDER BY at DESC, id DESC LIMIT $2",
                )
                .bind(s)
                .bind(limit)
                .fetch_all(ex)
                .await
            }
            None => sqlx::query(
                "SELECT id, at, actor_id, action, subject, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(ex)
            .await,
        }?;
    Ok(rows.iter().map(AuditRow::from_row).collect::<Result<_, _>>()?)
}
