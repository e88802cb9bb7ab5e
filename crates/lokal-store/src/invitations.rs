//! Staff invitations: a merchant invites a login (a normalised e-mail or E.164 phone) to a rank
//! and stores; the person with that login accepts or declines in their account. An invitation
//! may wait for an account that does not exist yet. At most one open invitation per merchant
//! and login (`staff_invitations_open_key`).

use crate::StoreError;
use crate::row::{get, marks, opt, opt_time, parse, time, undecodable};
use lokal_core::Timestamp;
use lokal_core::access::InvitationStatus;
use lokal_core::{MerchantId, StoreId, UserId};
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// One invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRow {
    /// A UUIDv7.
    pub id: String,
    /// The merchant that invites.
    pub merchant_id: MerchantId,
    /// Who is invited: a normalised e-mail or an E.164 phone.
    pub login: String,
    /// `owner`, `manager` or `clerk`.
    pub role: String,
    /// The stores (empty: all of the merchant's); stored comma-separated.
    pub store_ids: Vec<StoreId>,
    /// Who invited.
    pub invited_by: UserId,
    /// `invited`, `accepted`, `declined` or `withdrawn`.
    pub status: InvitationStatus,
    /// Who answered (the invited person, or the merchant withdrawing it).
    pub answered_by: Option<UserId>,
    /// Sent.
    pub created_at: Timestamp,
    /// Answered.
    pub answered_at: Option<Timestamp>,
}

const COLUMNS: &str =
    "id, merchant_id, login, role, store_ids, invited_by, status, answered_by, created_at, answered_at";

impl FromRow<'_, AnyRow> for InvitationRow {
    fn from_row(r: &AnyRow) -> Result<Self, sqlx::Error> {
        let stores: String = get(r, "store_ids")?;
        Ok(Self {
            id: get(r, "id")?,
            merchant_id: parse(r, "merchant_id")?,
            login: get(r, "login")?,
            role: get(r, "role")?,
            store_ids: stores
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().map_err(|_| undecodable("store_ids", s)))
                .collect::<Result<_, _>>()?,
            invited_by: parse(r, "invited_by")?,
            status: parse(r, "status")?,
            answered_by: opt(r, "answered_by")?,
            created_at: time(r, "created_at")?,
            answered_at: opt_time(r, "answered_at")?,
        })
    }
}

/// Stores a new invitation; `Unique` when the merchant already has an open one for this login.
pub async fn insert(tx: &mut crate::Tx, i: &InvitationRow) -> Result<(), StoreError> {
    let stores = i.store_ids.iter().map(ToString::to_string).collect::<Vec<_>>().join(",");
    let sql = sqlx::AssertSqlSafe(format!("INSERT INTO staff_invitations ({COLUMNS}) VALUES ({})", marks(10)));
    sqlx::query(sql)
        .bind(&i.id)
        .bind(i.merchant_id.to_string())
        .bind(&i.login)
        .bind(&i.role)
        .bind(stores)
        .bind(i.invited_by.to_string())
        .bind(i.status.as_str())
        .bind(i.answered_by.map(|u| u.to_string()))
        .bind(i.created_at.millis())
        .bind(i.answered_at.map(Timestamp::millis))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// An invitation by id.
pub async fn get_by_id<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: &str,
) -> Result<Option<InvitationRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM staff_invitations WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_owned()).fetch_optional(ex).await?)
}

/// Open invitations for any of `logins`, oldest first.
pub async fn open_for<'e>(
    ex: impl Executor<'e, Database = Any>,
    logins: &[String],
) -> Result<Vec<InvitationRow>, StoreError> {
    if logins.is_empty() {
        return Ok(Vec::new());
    }
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM staff_invitations WHERE status = 'invited' AND login IN ({}) ORDER BY created_at, id",
        marks(logins.len())
    ));
    let mut q = sqlx::query(sql);
    for l in logins {
        q = q.bind(l.clone());
    }
    let rows = q.fetch_all(ex).await?;
    Ok(rows.iter().map(InvitationRow::from_row).collect::<Result<_, _>>()?)
}

/// A merchant's open invitations, oldest first.
pub async fn open_of_merchant<'e>(
    ex: impl Executor<'e, Database = Any>,
    merchant: MerchantId,
) -> Result<Vec<InvitationRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!(
        "SELECT {COLUMNS} FROM staff_invitations WHERE merchant_id = $1 AND status = 'invited' ORDER BY created_at, id"
    ));
    Ok(sqlx::query_as(sql).bind(merchant.to_string()).fetch_all(ex).await?)
}

/// Answers an open invitation (`accepted`, `declined`, `withdrawn`); false when it was no longer
/// open (answered meanwhile).
pub async fn answer(
    tx: &mut crate::Tx,
    id: &str,
    status: InvitationStatus,
    by: UserId,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE staff_invitations SET status = $2, answered_by = $3, answered_at = $4 WHERE id = $1 AND status = 'invited'",
    )
    .bind(id.to_owned())
    .bind(status.as_str())
    .bind(by.to_string())
    .bind(now.millis())
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}
