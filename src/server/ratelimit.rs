//! Token buckets per key (a bearer token's hash, an invitation code, a client address), in a table
//! that cannot grow without bound: a bucket that has refilled carries no information and is
//! dropped, and a full table drops its least recently used tenth.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::error::ApiError;

/// `rate` requests a second per key, bursts of `burst`, at most `capacity` keys.
pub struct RateLimiter {
    rate_per_sec: f64,
    burst: f64,
    capacity: usize,
    table: Mutex<Table>,
}

struct Table {
    buckets: HashMap<String, Bucket>,
    next_sweep: Instant,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

impl RateLimiter {
    /// Bursts of twice the rate.
    pub fn new(rate_per_sec: u32, capacity: usize) -> Self {
        let rate = rate_per_sec.max(1);
        Self::with_burst(rate, rate.saturating_mul(2), capacity)
    }

    pub fn with_burst(rate_per_sec: u32, burst: u32, capacity: usize) -> Self {
        Self {
            rate_per_sec: f64::from(rate_per_sec.max(1)),
            burst: f64::from(burst.max(1)),
            capacity: capacity.max(1),
            table: Mutex::new(Table {
                buckets: HashMap::new(),
                next_sweep: Instant::now(),
            }),
        }
    }

    /// Takes one request from `key`'s bucket, or says how long to wait.
    pub fn check(&self, key: &str) -> Result<(), ApiError> {
        self.check_at(key, Instant::now())
    }

    /// Whether `key` could make a request now, without taking one (and without adding a key).
    pub fn peek(&self, key: &str) -> Result<(), ApiError> {
        let now = Instant::now();
        let table = self.lock();
        match table.buckets.get(key) {
            Some(bucket) => self.verdict(self.refilled(bucket, now)),
            None => Ok(()),
        }
    }

    /// Keys held now (for tests and diagnostics).
    pub fn len(&self) -> usize {
        self.lock().buckets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Table> {
        self.table.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How long an untouched bucket takes to refill completely, after which it can be dropped.
    fn refill_time(&self) -> Duration {
        Duration::from_secs_f64(self.burst / self.rate_per_sec)
    }

    fn refilled(&self, bucket: &Bucket, now: Instant) -> f64 {
        let elapsed = now.saturating_duration_since(bucket.last).as_secs_f64();
        (bucket.tokens + elapsed * self.rate_per_sec).min(self.burst)
    }

    fn verdict(&self, tokens: f64) -> Result<(), ApiError> {
        if tokens >= 1.0 {
            Ok(())
        } else {
            let wait = (1.0 - tokens) / self.rate_per_sec;
            Err(ApiError::RateLimited {
                retry_after_secs: wait.ceil().max(1.0) as u64,
            })
        }
    }

    pub(crate) fn check_at(&self, key: &str, now: Instant) -> Result<(), ApiError> {
        let mut table = self.lock();
        if now >= table.next_sweep {
            self.sweep(&mut table, now);
        }
        if !table.buckets.contains_key(key) && table.buckets.len() >= self.capacity {
            self.sweep(&mut table, now);
            if table.buckets.len() >= self.capacity {
                evict_oldest(&mut table.buckets, self.capacity / 10 + 1, |b| b.last);
            }
        }
        let bucket = table.buckets.entry(key.to_string()).or_insert(Bucket {
            tokens: self.burst,
            last: now,
        });
        let tokens = self.refilled(bucket, now);
        bucket.last = now;
        let verdict = self.verdict(tokens);
        bucket.tokens = if verdict.is_ok() {
            tokens - 1.0
        } else {
            tokens
        };
        verdict
    }

    /// Drops every bucket that has refilled: forgetting it changes nothing.
    fn sweep(&self, table: &mut Table, now: Instant) {
        table
            .buckets
            .retain(|_, bucket| self.refilled(bucket, now) < self.burst);
        table.next_sweep = now + self.refill_time().max(Duration::from_secs(1));
    }
}

/// Removes at least `count` entries, the least recently used first.
pub(crate) fn evict_oldest<V>(
    map: &mut HashMap<String, V>,
    count: usize,
    used: impl Fn(&V) -> Instant,
) {
    if count == 0 || map.is_empty() {
        return;
    }
    let mut times: Vec<Instant> = map.values().map(&used).collect();
    let index = count.min(times.len()) - 1;
    let (_, cutoff, _) = times.select_nth_unstable(index);
    let cutoff = *cutoff;
    map.retain(|_, value| used(value) > cutoff);
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_burst_past_twice_the_rate_is_refused_with_a_retry_after() {
        let limiter = RateLimiter::new(5, 100);
        for _ in 0..10 {
            assert!(limiter.check("t").is_ok());
        }
        match limiter.check("t") {
            Err(ApiError::RateLimited { retry_after_secs }) => assert_eq!(retry_after_secs, 1),
            other => panic!("expected 429, got {other:?}"),
        }
        assert!(limiter.check("another token").is_ok());
    }

    #[test]
    fn many_keys_never_grow_the_table_past_its_capacity() {
        let limiter = RateLimiter::new(2, 1_000);
        let now = Instant::now();
        for i in 0..50_000 {
            let _ = limiter.check_at(&format!("junk-{i}"), now);
            assert!(limiter.len() <= 1_000, "{} keys after {i}", limiter.len());
        }
    }

    #[test]
    fn idle_keys_are_forgotten_once_their_bucket_refilled() {
        let limiter = RateLimiter::new(2, 1_000);
        let start = Instant::now();
        for i in 0..500 {
            let _ = limiter.check_at(&format!("k{i}"), start);
        }
        assert_eq!(limiter.len(), 500);
        // Burst 4 at 2/s: full again after 2 s; the next request after that sweeps.
        let later = start + Duration::from_secs(3);
        limiter.check_at("fresh", later).unwrap();
        assert_eq!(limiter.len(), 1, "only the key just used remains");
    }

    #[test]
    fn a_full_table_evicts_the_least_recently_used_and_keeps_limiting_the_busy_key() {
        let limiter = RateLimiter::new(1, 10);
        let start = Instant::now();
        // The busy key spends its burst, then strangers fill the table.
        limiter.check_at("busy", start).unwrap();
        limiter.check_at("busy", start).unwrap();
        assert!(limiter.check_at("busy", start).is_err());
        for i in 0..30 {
            let at = start + Duration::from_millis(10 * (i + 1));
            let _ = limiter.check_at(&format!("stranger-{i}"), at);
            let _ = limiter.check_at("busy", at);
        }
        assert!(limiter.len() <= 10);
        assert!(
            limiter
                .check_at("busy", start + Duration::from_millis(320))
                .is_err(),
            "a key in use is not evicted, so its limit holds"
        );
    }

    #[test]
    fn peek_neither_takes_nor_adds() {
        let limiter = RateLimiter::with_burst(1, 1, 10);
        assert!(limiter.peek("a").is_ok());
        assert!(limiter.is_empty());
        limiter.check("a").unwrap();
        assert!(limiter.peek("a").is_err());
        assert!(limiter.peek("a").is_err());
        assert_eq!(limiter.len(), 1);
    }
}
