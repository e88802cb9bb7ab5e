//! When work that talks to the outside (a refund at the payment provider, a sandbox
//! confirmation, a message to a gateway) is tried again after a failure.

/// The first retry's delay, seconds.
pub const FIRST_DELAY_SECS: i64 = 10;
/// The longest delay between two tries, seconds: work is never given up for being slow, only
/// for a definitive refusal.
pub const MAX_DELAY_SECS: i64 = 3_600;

/// Seconds to wait after the `attempts`-th failed try (1 = the first): 10 s, 20 s, 40 s, …
/// doubling up to an hour.
pub fn backoff_secs(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 30)).unwrap_or(30);
    FIRST_DELAY_SECS.saturating_mul(1i64 << doublings).min(MAX_DELAY_SECS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_from_ten_seconds_up_to_an_hour() {
        let d: Vec<i64> = (0..=10).map(backoff_secs).collect();
        assert_eq!(d, [10, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600]);
        assert_eq!(backoff_secs(i64::MAX), MAX_DELAY_SECS);
        assert_eq!(backoff_secs(-5), FIRST_DELAY_SECS);
    }
}
