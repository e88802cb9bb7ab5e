//! Storage errors. Constraint violations come back by name, the same on both backends, so the
//! layers above can turn `users_email_key` into "e-mail already registered".

/// Why a storage call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint or index refused the write. Holds its name, e.g. `users_email_key`.
    #[error("unique constraint {0} violated")]
    Unique(String),
    /// A referenced row does not exist.
    #[error("foreign key violated")]
    ForeignKey,
    /// A stored value could not be read back (a bug or a hand-edited database).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    /// Connecting, migrating or any other database failure.
    #[error(transparent)]
    Database(sqlx::Error),
    /// A migration failed.
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Every driver error is classified here, once, so store code ends in `.await?`. PostgreSQL
/// reports the constraint name; SQLite reports the columns (`UNIQUE constraint failed:
/// users.email`) or an index name, which we turn into PostgreSQL's default name
/// (`users_email_key`).
impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            match db.kind() {
                sqlx::error::ErrorKind::UniqueViolation => {
                    let name =
                        db.constraint().map(str::to_owned).unwrap_or_else(|| sqlite_constraint_name(db.message()));
                    return StoreError::Unique(name);
                }
                sqlx::error::ErrorKind::ForeignKeyViolation => return StoreError::ForeignKey,
                _ => {}
            }
        }
        match e {
            sqlx::Error::ColumnDecode { index, source } => StoreError::Corrupt(format!("{index}: {source}")),
            sqlx::Error::Decode(source) => StoreError::Corrupt(source.to_string()),
            e => StoreError::Database(e),
        }
    }
}

impl StoreError {
    /// Whether this is a violation of the named unique constraint.
    pub fn is_unique(&self, name: &str) -> bool {
        matches!(self, StoreError::Unique(n) if n == name)
    }
}

fn sqlite_constraint_name(message: &str) -> String {
    let detail = message.rsplit(": ").next().unwrap_or(message).trim();
    if let Some(index) = detail.strip_prefix("index '").and_then(|s| s.strip_suffix('\'')) {
        return index.to_owned();
    }
    let mut table = "";
    let mut cols = Vec::new();
    for part in detail.split(',') {
        if let Some((t, c)) = part.trim().split_once('.') {
            table = t;
            cols.push(c);
        }
    }
    format!("{table}_{}_key", cols.join("_"))
}

#[cfg(test)]
mod tests {
    use super::sqlite_constraint_name;

    #[test]
    fn sqlite_messages_become_postgres_default_names() {
        assert_eq!(sqlite_constraint_name("UNIQUE constraint failed: users.email"), "users_email_key");
        assert_eq!(sqlite_constraint_name("UNIQUE constraint failed: t.a, t.b"), "t_a_b_key");
        assert_eq!(
            sqlite_constraint_name("UNIQUE constraint failed: index 'grants_user_scope_key'"),
            "grants_user_scope_key"
        );
    }
}
