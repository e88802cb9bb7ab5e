//! Accounts.

use crate::StoreError;
use crate::row::{get, parse, time};
use lokal_core::Timestamp;
use lokal_core::UserId;
use sqlx::FromRow;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

/// A stored account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    /// The id.
    pub id: UserId,
    /// Normalised e-mail, if registered with one.
    pub email: Option<String>,
    /// E.164 phone, if registered with one.
    pub phone: Option<String>,
    /// The argon2id PHC string.
    pub password_hash: String,
    /// The name shown to others.
    pub display_name: String,
    /// Creation time.
    pub created_at: Timestamp,
    /// Disabled accounts cannot log in.
    pub disabled: bool,
    /// The saved language (`zh-CN`, `en`), if the person chose one.
    pub lang: Option<String>,
}

const COLUMNS: &str = "id, email, phone, password_hash, display_name, created_at, disabled, lang";

impl FromRow<'_, AnyRow> for UserRow {
    fn from_row(row: &AnyRow) -> Result<Self, sqlx::Error> {
        Ok(Self {
            id: parse(row, "id")?,
            email: get(row, "email")?,
            phone: get(row, "phone")?,
            password_hash: get(row, "password_hash")?,
            display_name: get(row, "display_name")?,
            created_at: time(row, "created_at")?,
            disabled: get::<i64>(row, "disabled")? != 0,
            lang: get(row, "lang")?,
        })
    }
}

/// Inserts a new account. Fails with `Unique("users_email_key")` or `Unique("users_phone_key")`
/// when the login is taken.
pub async fn insert<'e>(ex: impl Executor<'e, Database = Any>, u: &UserRow) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO users (id, email, phone, password_hash, display_name, created_at, disabled, lang) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(u.id.to_string())
    .bind(u.email.clone())
    .bind(u.phone.clone())
    .bind(u.password_hash.clone())
    .bind(u.display_name.clone())
    .bind(u.created_at.millis())
    .bind(i64::from(u.disabled))
    .bind(u.lang.clone())
    .execute(ex)
    .await?;
    Ok(())
}

/// The account with this id.
pub async fn get_by_id<'e>(ex: impl Executor<'e, Database = Any>, id: UserId) -> Result<Option<UserRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE id = $1"));
    Ok(sqlx::query_as(sql).bind(id.to_string()).fetch_optional(ex).await?)
}

/// The saved languages of those of `ids` who saved one (`zh-CN`, `en`): what messages to them
/// are written in.
pub async fn langs<'e>(
    ex: impl Executor<'e, Database = Any>,
    ids: &[UserId],
) -> Result<Vec<(UserId, String)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = crate::row::marks(ids.len());
    let sql = sqlx::AssertSqlSafe(format!("SELECT id, lang FROM users WHERE lang IS NOT NULL AND id IN ({marks})"));
    let mut q = sqlx::query(sql);
    for id in ids {
        q = q.bind(id.to_string());
    }
    let rows = q.fetch_all(ex).await?;
    rows.iter().map(|r| Ok((parse(r, "id")?, get(r, "lang")?))).collect()
}

/// The display names of `ids` (those that exist), in one query.
pub async fn display_names<'e>(
    ex: impl Executor<'e, Database = Any>,
    ids: &[UserId],
) -> Result<std::collections::HashMap<UserId, String>, StoreError> {
    let mut unique: Vec<UserId> = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    if unique.is_empty() {
        return Ok(std::collections::HashMap::new());
    }
    let marks = crate::row::marks(unique.len());
    let sql = sqlx::AssertSqlSafe(format!("SELECT id, display_name FROM users WHERE id IN ({marks})"));
    let mut q = sqlx::query(sql);
    for id in &unique {
        q = q.bind(id.to_string());
    }
    let rows = q.fetch_all(ex).await?;
    rows.iter().map(|r| Ok((parse(r, "id")?, get(r, "display_name")?))).collect()
}

/// Saves (or with `None` forgets) the account's language.
pub async fn set_lang<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: UserId,
    lang: Option<&str>,
) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE users SET lang = $1 WHERE id = $2")
        .bind(lang.map(str::to_owned))
        .bind(id.to_string())
        .execute(ex)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The account whose e-mail or phone is `login` (already normalised).
pub async fn find_by_login<'e>(
    ex: impl Executor<'e, Database = Any>,
    login: &str,
) -> Result<Option<UserRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE email = $1 OR phone = $1"));
    Ok(sqlx::query_as(sql).bind(login.to_owned()).fetch_optional(ex).await?)
}

/// Up to `limit` accounts with ids after `after`, in id (creation) order.
pub async fn list<'e>(
    ex: impl Executor<'e, Database = Any>,
    after: Option<UserId>,
    limit: i64,
) -> Result<Vec<UserRow>, StoreError> {
    let sql = sqlx::AssertSqlSafe(format!("SELECT {COLUMNS} FROM users WHERE id > $1 ORDER BY id LIMIT $2"));
    let after = after.map(|a| a.to_string()).unwrap_or_default();
    Ok(sqlx::query_as(sql).bind(after).bind(limit).fetch_all(ex).await?)
}

/// Disables or enables an account; returns whether it exists.
pub async fn set_disabled<'e>(
    ex: impl Executor<'e, Database = Any>,
    id: UserId,
    disabled: bool,
) -> Result<bool, StoreError> {
    let r = sqlx::query("UPDATE users SET disabled = $2 WHERE id = $1")
        .bind(id.to_string())
        .bind(i64::from(disabled))
        .execute(ex)
        .await?;
    Ok(r.rows_affected() > 0)
}
