//! Fixed-window rate limits kept in the database, so they hold across server processes.

use crate::{App, AppError};
use lokal_store::rate_limits;

impl App {
    fn window(&self, window_secs: i64) -> (i64, i64) {
        let now = self.now().millis();
        let len = window_secs.max(1) * 1000;
        let start = now - now.rem_euclid(len);
        (start, (start + len - now + 999) / 1000)
    }

    /// Counts a hit on `bucket` and refuses with `rate_limited` once more than `limit` hits fall
    /// in the current window of `window_secs`.
    pub async fn rate_hit(&self, bucket: &str, limit: i64, window_secs: i64) -> Result<(), AppError> {
        let (start, retry) = self.window(window_secs);
        let hits = rate_limits::hit(self.db().pool(), bucket, start).await?;
        if hits > limit { Err(AppError::rate_limited(retry)) } else { Ok(()) }
    }

    /// Refuses with `rate_limited` if `bucket` already has `limit` hits in the current window,
    /// without counting one.
    pub async fn rate_check(&self, bucket: &str, limit: i64, window_secs: i64) -> Result<(), AppError> {
        let (start, retry) = self.window(window_secs);
        let hits = rate_limits::count(self.db().pool(), bucket, start).await?;
        if hits >= limit { Err(AppError::rate_limited(retry)) } else { Ok(()) }
    }

    /// Counts a hit on `bucket` without refusing (a failed login, counted after the fact).
    pub async fn rate_record(&self, bucket: &str, window_secs: i64) -> Result<(), AppError> {
        let (start, _) = self.window(window_secs);
        rate_limits::hit(self.db().pool(), bucket, start).await?;
        Ok(())
    }
}
