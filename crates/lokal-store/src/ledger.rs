//! The journal: entries and their postings. Only inserts; balances are sums of postings.

use crate::StoreError;
use crate::row::get;
use lokal_core::EntryId;
use lokal_core::Timestamp;
use lokal_core::ledger::Posting;
use sqlx::{Any, Executor};

/// What a journal entry says besides its postings.
#[derive(Debug, Clone, Copy)]
pub struct EntryHead<'a> {
    /// The entry's id.
    pub id: EntryId,
    /// `payment`, `redemption`, `redemption_undo`, `refund`, `expiry`.
    pub kind: &'a str,
    /// The object it is about (payment, redemption, refund, voucher id).
    pub ref_id: &'a str,
    /// For people (the deal's title, a reason).
    pub memo: &'a str,
    /// ISO 4217 of every posting.
    pub currency: &'a str,
    /// When.
    pub created_at: Timestamp,
}

/// Writes one journal entry; `postings` must already be balanced (`lokal_core::ledger::entry`).
pub async fn insert_entry(tx: &mut crate::Tx, head: EntryHead<'_>, postings: &[Posting]) -> Result<(), StoreError> {
    let EntryHead { id, kind, ref_id, memo, currency, created_at: now } = head;
    sqlx::query("INSERT INTO journal_entries (id, kind, ref_id, memo, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.to_string())
        .bind(kind)
        .bind(ref_id)
        .bind(memo)
        .bind(now.millis())
        .execute(&mut **tx)
        .await?;
    for (line, p) in postings.iter().enumerate() {
        sqlx::query("INSERT INTO postings (entry_id, line, account, amount, currency) VALUES ($1, $2, $3, $4, $5)")
            .bind(id.to_string())
            .bind(line as i64)
            .bind(p.account.to_string())
            .bind(p.amount)
            .bind(currency)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// The balance of an account (sum of its postings; debit positive).
pub async fn balance<'e>(ex: impl Executor<'e, Database = Any>, account: &str) -> Result<i64, StoreError> {
    let row = sqlx::query("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS total FROM postings WHERE account = $1")
        .bind(account)
        .fetch_one(ex)
        .await?;
    Ok(get(&row, "total")?)
}

/// Every account's balance, by account name.
pub async fn balances<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT account, CAST(SUM(amount) AS BIGINT) AS total FROM postings GROUP BY account ORDER BY account",
    )
    .fetch_all(ex)
    .await?;
    rows.iter().map(|r| Ok((get(r, "account")?, get(r, "total")?))).collect()
}

/// What the ledger check found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    /// Journal entries.
    pub entries: i64,
    /// Postings.
    pub postings: i64,
    /// Entries whose postings do not sum to zero: (entry id, sum).
    pub unbalanced: Vec<(String, i64)>,
    /// Entries with fewer than two postings.
    pub lonely: Vec<String>,
    /// Sum of every posting (zero when every entry balances).
    pub total: i64,
}

/// Sums every entry and the whole journal.
pub async fn audit<'e, E>(ex: E) -> Result<Audit, StoreError>
where
    E: Executor<'e, Database = Any> + Copy,
{
    let count = |sql: &'static str| async move {
        let row = sqlx::query(sql).fetch_one(ex).await?;
        get::<i64>(&row, "n")
    };
    let entries = count("SELECT COUNT(*) AS n FROM journal_entries").await?;
    let postings = count("SELECT COUNT(*) AS n FROM postings").await?;
    let total = count("SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS n FROM postings").await?;
    let rows = sqlx::query(
        "SELECT entry_id, CAST(SUM(amount) AS BIGINT) AS total FROM postings GROUP BY entry_id \
         HAVING SUM(amount) <> 0 ORDER BY entry_id LIMIT 100",
    )
    .fetch_all(ex)
    .await?;
    let unbalanced =
        rows.iter().map(|r| Ok((get(r, "entry_id")?, get(r, "total")?))).collect::<Result<_, StoreError>>()?;
    let rows = sqlx::query(
        "SELECT e.id AS id FROM journal_entries e LEFT JOIN postings p ON p.entry_id = e.id GROUP BY e.id \
         HAVING COUNT(p.line) < 2 ORDER BY e.id LIMIT 100",
    )
    .fetch_all(ex)
    .await?;
    let lonely = rows.iter().map(|r| get(r, "id")).collect::<Result<_, sqlx::Error>>()?;
    Ok(Audit { entries, postings, unbalanced, lonely, total })
}

/// Stored-value and points accounts of membership cards with a debit balance (they are
/// liabilities: a debit balance means more was spent than held), with the balance.
pub async fn overdrawn_cards<'e>(ex: impl Executor<'e, Database = Any>) -> Result<Vec<(String, i64)>, StoreError> {
    let rows = sqlx::query(
        "SELECT account, CAST(SUM(amount) AS BIGINT) AS total FROM postings \
         WHERE account LIKE 'merchant:%:stored_value:%' OR account LIKE 'merchant:%:points:%' \
         GROUP BY account HAVING SUM(amount) > 0 ORDER BY account",
    )
    .fetch_all(ex)
    .await?;
    rows.iter().map(|r| Ok((get(r, "account")?, get(r, "total")?))).collect()
}

/// What the entries of `kind` about `ref_id` posted to `account` (their sum).
pub async fn entry_amount<'e>(
    ex: impl Executor<'e, Database = Any>,
    kind: &str,
    ref_id: &str,
    account: &str,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "SELECT CAST(COALESCE(SUM(p.amount), 0) AS BIGINT) AS total FROM postings p \
         JOIN journal_entries e ON e.id = p.entry_id WHERE e.kind = $1 AND e.ref_id = $2 AND p.account = $3",
    )
    .bind(kind)
    .bind(ref_id)
    .bind(account)
    .fetch_one(ex)
    .await?;
    Ok(get(&row, "total")?)
}
