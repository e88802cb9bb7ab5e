//! Message gateways' protocols, as their documentation specifies them, with no I/O and no clock:
//! what to sign, how to sign it, and how to check what was signed. lokal-app's SMS gateways (and
//! the tests' fake providers, which must check Lokal's requests exactly as the real ones do) are
//! built on these.
//!
//! - [`aliyun`]: Alibaba Cloud SMS (`dysmsapi`, `SendSms`, API version 2017-05-25) — the RPC
//!   signature (`SignatureVersion` 1.0, HMAC-SHA1 over the percent-encoded, sorted parameters),
//!   the `SendSms` parameters, the signed query string, its verification, and the answer with
//!   which of its codes are worth retrying.
//! - [`tencent`]: Tencent Cloud SMS (API 3.0, `SendSms`, version 2021-01-11) — the
//!   `TC3-HMAC-SHA256` signature (canonical request, string to sign, the derived key chain) and
//!   its `Authorization` header, read back and verified; the JSON request and answer, and which
//!   error codes are worth retrying.
//! - [`webhook`]: Lokal's own signed webhook for other gateways, `Lokal-Signature: t=…,v1=…`
//!   (HMAC-SHA256 of `"{t}.{body}"`, the same scheme as the payment sandbox's), signed and verified
//!   with a tolerance for clock skew.
//!
//! Times come in as Unix seconds (or, for Alibaba Cloud, the text it wants): the caller has the
//! clock. Errors never carry a secret.

pub mod aliyun;
pub mod tencent;
pub mod webhook;

/// The UTC calendar date and time of `unix` seconds: (year, month, day, hour, minute, second).
/// Howard Hinnant's `civil_from_days`, exact for every `i64` day count that fits a year in `i64`.
pub(crate) fn utc(unix: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = unix.div_euclid(86_400);
    let secs = unix.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = doy - (153 * mp + 2) / 5 + 1; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 }; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Every narrowing below is of a value already bounded as commented.
    let small = |v: i64| u32::try_from(v).unwrap_or_default();
    (year, small(month), small(day), small(secs / 3600), small(secs % 3600 / 60), small(secs % 60))
}

#[cfg(test)]
mod tests {
    use super::utc;

    #[test]
    fn unix_seconds_read_as_utc_calendar_time() {
        assert_eq!(utc(0), (1970, 1, 1, 0, 0, 0));
        // Tencent Cloud's worked example: 2019-02-26 00:44:25 in Beijing, still the 25th in UTC.
        assert_eq!(utc(1_551_113_065), (2019, 2, 25, 16, 44, 25));
        assert_eq!(utc(951_782_400), (2000, 2, 29, 0, 0, 0));
        assert_eq!(utc(1_796_632_200), (2026, 12, 7, 8, 30, 0));
        assert_eq!(utc(-1), (1969, 12, 31, 23, 59, 59));
        assert_eq!(utc(253_402_300_799), (9999, 12, 31, 23, 59, 59));
    }
}
