//! When and how long to wait before trying again: jittered exponential backoff and `Retry-After`.

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

/// How hard the client tries before reporting an error. The defaults suit an interactive dashboard:
/// a user waits a few seconds at most before seeing what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// The first backoff; each later one doubles, up to `max_delay`.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// No retry starts once this much time has passed since the first attempt began.
    pub budget: Duration,
    /// A 429 asking for a longer wait than this is reported at once as `RateLimited`.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
            budget: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0 = the first retry), jittered to 50–100 % of the
    /// exponential step so that many clients failing together do not come back together.
    pub fn backoff(&self, retry: u32) -> Duration {
        jittered(exponential(self.base_delay, self.max_delay, retry))
    }
}

/// `base · 2^step`, capped at `max`.
pub fn exponential(base: Duration, max: Duration, step: u32) -> Duration {
    let factor = 1u32.checked_shl(step.min(31)).unwrap_or(u32::MAX);
    base.saturating_mul(factor).min(max)
}

/// A random point between half of `delay` and all of it.
pub fn jittered(delay: Duration) -> Duration {
    delay.mul_f64(0.5 + random_unit() * 0.5)
}

/// A random number in [0, 1). `RandomState` is seeded randomly per instance: enough for jitter
/// without a dependency on a random-number crate.
fn random_unit() -> f64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// Reads a `Retry-After` value: delay-seconds (`120`) or an HTTP date. `None` if unreadable.
/// A date in the past means "now".
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let at = SystemTime::from(date.with_timezone(&chrono::Utc));
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_in_seconds_is_read() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("3", now), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_as_an_http_date_is_the_time_until_then() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_767); // 1994-11-06 08:49:27 GMT
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now),
            Some(Duration::from_secs(10))
        );
        let later = now + Duration::from_secs(60);
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", later),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn unreadable_retry_after_is_none() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("1.5", now), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap_and_stays_within_its_jitter_band() {
        let policy = RetryPolicy {
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(350),
            ..RetryPolicy::default()
        };
        for (retry, step_ms) in [(0, 100), (1, 200), (2, 350), (30, 350), (200, 350)] {
            let step = Duration::from_millis(step_ms);
            for _ in 0..50 {
                let delay = policy.backoff(retry);
                assert!(
                    delay >= step / 2 && delay <= step,
                    "{delay:?} for retry {retry}"
                );
            }
        }
    }

    #[test]
    fn jitter_varies() {
        let delays: std::collections::HashSet<Duration> =
            (0..20).map(|_| jittered(Duration::from_secs(1))).collect();
        assert!(delays.len() > 1);
    }
}
