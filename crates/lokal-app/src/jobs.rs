//! Background housekeeping. Jobs expose `tick`, which the server calls on a timer and tests call
//! directly.

use crate::idempotency::KEY_TTL_SECS;
use crate::{App, AppError};
use lokal_store::{idempotency, rate_limits, sessions};

/// What one housekeeping tick removed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Purged {
    /// Expired sessions.
    pub sessions: u64,
    /// Finished rate-limit windows.
    pub rate_windows: u64,
    /// Idempotency keys past their lifetime.
    pub idempotency_keys: u64,
    /// Expired quotes.
    pub quotes: u64,
    /// Rider positions past the retention window.
    pub rider_pings: u64,
}

impl App {
    /// Removes expired sessions, finished rate-limit windows, old idempotency keys, expired quotes
    /// and rider positions past their retention window.
    pub async fn housekeeping_tick(&self) -> Result<Purged, AppError> {
        let now = self.now();
        let pool = self.db().pool();
        // A window is finished once the longest limit's window (a day: sign-ups per device) has
        // passed since it began.
        let window_ms = self.auth_settings().login_window_secs.max(86_400) * 1000;
        let retention_ms = self.delivery_settings().position_retention_hours.max(1) * 3_600_000;
        Ok(Purged {
            sessions: sessions::purge_expired(pool, now).await?,
            rate_windows: rate_limits::purge(pool, now.millis() - window_ms).await?,
            idempotency_keys: idempotency::purge(pool, now.millis() - KEY_TTL_SECS * 1000).await?,
            quotes: lokal_store::takeout::purge_quotes(pool, now).await?,
            rider_pings: lokal_store::riders::purge_positions(pool, now.millis() - retention_ms).await?,
        })
    }
}

/// What one commerce tick did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    /// Orders cancelled for not being paid in time (their stock returned).
    pub cancelled_orders: usize,
    /// Vouchers past their validity, refunded or closed.
    pub expired_vouchers: usize,
    /// Paid menu orders the store did not answer in time, accepted or rejected.
    pub sla_decided: usize,
    /// Providers' days reconciled against their bills (yesterday's, after 10:00 Beijing time).
    pub reconciled: usize,
}

impl App {
    /// Cancels unpaid orders past their payment window, handles expired vouchers, decides paid
    /// menu orders whose store did not answer within its SLA and reconciles yesterday's bills. The server
    /// runs it every 30 seconds; tests call it directly.
    pub async fn commerce_tick(&self) -> Result<Swept, AppError> {
        Ok(Swept {
            cancelled_orders: self.expire_unpaid_orders().await?,
            expired_vouchers: self.expire_vouchers().await?,
            sla_decided: self.enforce_acceptance_sla().await?,
            reconciled: self.reconcile_due().await?,
        })
    }
}

/// What one payments tick did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Carried {
    /// Refunds sent to (or asked about at) their provider.
    pub refunds: usize,
    /// Sandbox confirmations delivered after an earlier try failed or never ran.
    pub confirmations: usize,
    /// Pending payments settled by asking their provider.
    pub recovered: usize,
}

impl App {
    /// Moves money that waits on a provider: due refunds, undelivered sandbox confirmations and
    /// payments whose notification is overdue. The server runs it every 5 seconds (and at
    /// start, so a restart picks up what a crash interrupted); tests call it directly.
    pub async fn payments_tick(&self) -> Result<Carried, AppError> {
        // Each step on its own: a failure of one (a database error) does not hold up the others.
        let step = |name: &'static str, r: Result<usize, AppError>| {
            r.unwrap_or_else(|e| {
                tracing::warn!(error = %e, step = name, "payments step failed");
                0
            })
        };
        Ok(Carried {
            refunds: step("refunds", self.carry_out_refunds().await),
            confirmations: step("sandbox confirmations", self.deliver_sandbox_confirmations().await),
            recovered: step("payment recovery", self.recover_payments().await),
        })
    }
}
