//! Fixed-window rate limits kept in the database, so they hold across server processes.

use crate::{App, AppError};
use lokal_store::rate_limits;

impl App {
    pub(crate) fn window(&self, window_secs: i64) -> (i64, i64) {
        let now = self.now().millis();
        let len = window_secs.max(1) * 1000;
        let start = now - now.rem_euclid(len);
        (start, (start + len - now + 999) / 1000)
    }

    /// Counts a hit on `bucket` and refuses with `rate_limited` once more than `limit` hits fall
    /// in the current window of `window_secs`. Counting first makes the limit hold under
    /// concurrent requests. Returns the window's start, for [`App::rate_refund`].
    pub async fn rate_hit(&self, bucket: &str, limit: i64, window_secs: i64) -> Result<i64, AppError> {
        let (start, retry) = self.window(window_secs);
        let hits = rate_limits::hit(self.db().pool(), bucket, start).await?;
        if hits > limit { Err(AppError::rate_limited(retry)) } else { Ok(start) }
    }

    /// Takes back a hit counted in the window starting at `start` (an attempt that turned out not
    /// to count, such as a successful login against a failures-only limit).
    pub async fn rate_refund(&self, bucket: &str, start: i64) -> Result<(), AppError> {
        rate_limits::refund(self.db().pool(), bucket, start).await?;
        Ok(())
    }
}
