//! Merchant applications: a business asks to join; an operator decides.

use crate::StoreError;
use crate::row::{get, opt, opt_time, parse, time};
use lokal_core::ApprovalStatus;
use lokal_core::Timestamp;
use lokal_core::{MerchantId, UserId};
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A stored application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRow {
    /// The id (a UUID).
    pub id: String,
    /// Who applied.
    pub applicant_id: UserId,
    /// The business's name.
    pub business_name: String,
    /// Its business licence (unified social credit code) number.
    pub licence_number: String,
    /// Its main category.
    pub category: String,
    /// Contact person.
    pub contact_name: String,
    /// Contact phone (E.164).
    pub contact_phone: String,
    /// The first store's profile as JSON.
    pub first_store: String,
    /// `pending`, `approved` or `rejected`.
    pub status: ApprovalStatus,
    /// The rejection reason.
    pub reason: Option<String>,
    /// The merchant created on approval.
    pub merchant_id: Option<MerchantId>,
    /// When it was filed.
    pub created_at: Timestamp,
    /// When it was decided.
    pub decided_at: Option<Timestamp>,
    /// Who decided.
    pub decided_by: Option<UserId>,
}

const COLUMNS: &str = "id, applicant_id, business_name, licence_number, category, contact_name, contact_phone, \
     first_store, status, reason, merchant_id, created_at, decided_at, decided_by";

impl FromRow<'_, AnyRow> for ApplicationRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: get(r, "id")?,
            applicant_id: parse(r, "applicant_id")?,
            business_name: get(r, "business_name")?,
            licence_number: get(r, "licence_number")?,
            category: get(r, "category")?,
            contact_name: get(r, "contact_name")?,
            contact_phone: get(r, "contact_phone")?,
            first_store: get(r, "first_store")?,
            status: parse(r, "status")?,
            reason: get(r, "reason")?,
            merchant_id: opt(r, "merchant_id")?,
            created_at: time(r, "created_at")?,
            decided_at: opt_time(r, "decided_at")?,
            decided_by: opt(r, "decided_by")?,
        })
    }
}

/// Files an application. Fails with `Unique("merchant_applications_licence_number_key")` while
/// another application for the same licence is pending.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, a: &ApplicationRow) -> Result<(), StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "INSERT INTO merchant_applications ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    ));
    sqlx::query(sql)
        .bind(a.id.clone())
        .bind(a.applicant_id.to_string())
        .bind(a.business_name.clone())
        .bind(a.licence_number.clone())
        .bind(a.category.clone())
        .bind(a.contact_name.clone())
        .bind(a.contact_phone.clone())
        .bind(a.first_store.clone())
        .bind(a.status.as_str())
        .bind(a.reason.clone())
        .bind(a.merchant_id.map(|m| m.to_string()))
        .bind(a.created_at.millis())
        .bind(a.decided_at.map(Timestamp::millis))
        .bind(a.decided_by.map(|u| u.to_string()))
        .execute(ex)
        .await?;
    Ok(())
}

/// The application with this id.
pub async fn get_by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<ApplicationRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM merchant_applications WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_owned()).fetch_optional(ex).await?)
}

/// Applications with `status` (or all), ids after `after`, oldest first, at most `limit`.
pub async fn list<'e>(
    ex: impl Executor<'e, Database = Any>,
    status: Option<ApprovalStatus>,
    applicant: Option<UserId>,
    after: Option<&str>,
    limit: i64,
) -> Result<Vec<ApplicationRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM merchant_applications WHERE ($1 = '' OR status = $1) AND ($2 = '' OR applicant_id = $2) \
         AND id > $3 ORDER BY id LIMIT $4"
    ));
    let rows = sqlx::query(sql)
        .bind(status.map_or("", ApprovalStatus::as_str))
        .bind(applicant.map(|u| u.to_string()).unwrap_or_default())
        .bind(after.unwrap_or("").to_owned())
        .bind(limit)
        .fetch_all(ex)
        .await?;
    Ok(rows.iter().map(ApplicationRow::from_row).collect::<Result<_, _>>()?)
}

/// Moves a pending application to `status`; returns whether this call made the decision (false
/// when it was no longer pending — someone else decided first).
pub async fn decide<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    status: ApprovalStatus,
    reason: Option<&str>,
    by: UserId,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let r = sqlx::query(
        "UPDATE merchant_applications SET status = $2, reason = $3, decided_by = $4, decided_at = $5 \
         WHERE id = $1 AND status = 'pending'",
    )
    .bind(id.to_owned())
    .bind(status.as_str())
    .bind(reason.map(str::to_owned))
    .bind(by.to_string())
    .bind(at.millis())
    .execute(ex)
    .await?;
    Ok(r.rows_affected() == 1)
}

/// Records the merchant an approval created.
pub async fn set_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
    merchant: MerchantId,
) -> Result<(), StoreError> {
    sqlx::query("UPDATE merchant_applications SET merchant_id = $2 WHERE id = $1")
        .bind(id.to_owned())
        .bind(merchant.to_string())
        .execute(ex)
        .await?;
    Ok(())
}

/// Puts a claimed decision back to pending (when creating the merchant failed after the claim).
pub async fn reopen<'e>(ex: impl Executor<'e, Database = Any>, id: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE merchant_applications SET status = 'pending', reason = NULL, decided_by = NULL, decided_at = NULL WHERE id = $1")
        .bind(id.to_owned())
        .execute(ex)
        .await?;
    Ok(())
}
