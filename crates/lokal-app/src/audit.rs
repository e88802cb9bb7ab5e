//! The audit log as the use cases write it (an operator's action, a refused rider position) and
//! as operators read it.

use crate::{App, AppError};
use lokal_core::{Principal, UserId};
use lokal_store::audit::{self, AuditRow};

impl App {
    /// Adds an entry to the audit log (outside any transaction: a refusal is recorded even though
    /// the request fails).
    pub(crate) async fn audit(
        &self,
        actor: Option<UserId>,
        action: &str,
        subject: String,
        detail: String,
    ) -> Result<(), AppError> {
        let row = AuditRow {
            id: uuid::Uuid::now_v7().to_string(),
            at: self.now(),
            actor_id: actor,
            action: action.to_owned(),
            subject,
            detail,
        };
        audit::record(self.db().pool(), &row).await?;
        Ok(())
    }

    /// The newest audit entries (about `subject`, e.g. `rider:<id>`, when given). Operators.
    pub async fn audit_log(&self, caller: &Principal, subject: Option<&str>) -> Result<Vec<AuditRow>, AppError> {
        caller.require_admin()?;
        Ok(audit::recent(self.db().pool(), subject, 200).await?)
    }
}
