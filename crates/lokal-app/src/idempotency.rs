//! Idempotency keys for POSTs that create or pay: the same key with the same request returns the
//! first response; the same key with another request is refused.

use crate::{App, AppError};
use lokal_core::ErrorCode;
use lokal_store::idempotency::{self, Claim};

/// How long a key is remembered.
pub const KEY_TTL_SECS: i64 = 24 * 3600;
/// After this long, an unfinished claim is taken to belong to a request that died, and a retry
/// may run.
pub const STALE_CLAIM_SECS: i64 = 60;

/// What the caller should do with a request carrying an idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Idempotent {
    /// First time: run the request, then call [`App::idempotency_complete`] or
    /// [`App::idempotency_release`].
    Run,
    /// Seen before with the same request: answer with this stored status and JSON body.
    Replay(u16, String),
}

impl App {
    /// Claims `key` for a request from `scope` (the caller) whose content hashes to `hash`.
    pub async fn idempotency_claim(&self, scope: &str, key: &str, hash: &str) -> Result<Idempotent, AppError> {
        if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(AppError {
                field: Some("Idempotency-Key".into()),
                ..AppError::new(ErrorCode::ValidationFailed, "field-idempotency-key")
            });
        }
        let now = self.now().millis();
        match idempotency::claim(
            self.db(),
            scope,
            key,
            hash,
            now,
            now - KEY_TTL_SECS * 1000,
            now - STALE_CLAIM_SECS * 1000,
        )
        .await?
        {
            Claim::Claimed => Ok(Idempotent::Run),
            Claim::Done { request_hash, status, body } if request_hash == hash => Ok(Idempotent::Replay(status, body)),
            Claim::InFlight { request_hash } if request_hash == hash => {
                Err(AppError::new(ErrorCode::IdempotencyKeyInFlight, "err-idempotency-in-flight"))
            }
            _ => Err(AppError::new(ErrorCode::IdempotencyKeyReused, "err-idempotency-reused")),
        }
    }

    /// Stores the response to replay for `key`.
    pub async fn idempotency_complete(&self, scope: &str, key: &str, status: u16, body: &str) -> Result<(), AppError> {
        Ok(idempotency::complete(self.db().pool(), scope, key, status, body).await?)
    }

    /// Frees `key` after a failure worth retrying.
    pub async fn idempotency_release(&self, scope: &str, key: &str) -> Result<(), AppError> {
        Ok(idempotency::release(self.db().pool(), scope, key).await?)
    }
}
