//! Bearer tokens → the calling partner and role; permission checks; per-token rate limiting.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

use super::AppState;
use super::error::ApiError;
use super::store::Principal;
use crate::api::Permission;

/// The authenticated caller of a request. Extracting it answers 401 or 429 when it must.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Principal);

impl CurrentUser {
    /// 403 naming the roles that may, unless this role may.
    pub fn require(&self, permission: Permission) -> Result<(), ApiError> {
        if self.0.role.may(permission) {
            Ok(())
        } else {
            Err(ApiError::Forbidden {
                permission,
                role: self.0.role,
            })
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(bearer_token)
            .ok_or(ApiError::Unauthorized)?;
        let hash = token_hash(token);
        let principal = match state.inner.auth_cache.get(&hash) {
            Some(principal) => principal,
            None => {
                let lookup = hash.clone();
                let principal = state
                    .store(move |s| s.principal_for_token(&lookup))
                    .await?
                    .ok_or(ApiError::Unauthorized)?;
                state.inner.auth_cache.put(&hash, &principal);
                principal
            }
        };
        state.inner.limiter.check(&hash)?;
        Ok(CurrentUser(principal))
    }
}

/// The token of an `Authorization: Bearer <token>` value. The scheme is case-insensitive
/// (RFC 7235 §2.1, RFC 6750 §2.1), so `bearer` and `BEARER` are as good as `Bearer`.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// Tokens are stored and compared only as their SHA-256.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A new bearer token: 244 random bits behind a recognisable prefix (secret scanners look for it).
pub fn new_token() -> String {
    format!(
        "csp_{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// Token → principal for a few seconds, so a busy client does not hit the database per request.
#[derive(Default)]
pub struct AuthCache {
    entries: Mutex<HashMap<String, (Principal, Instant)>>,
}

const AUTH_CACHE_TTL: Duration = Duration::from_secs(10);

impl AuthCache {
    fn get(&self, hash: &str) -> Option<Principal> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(hash)
            .filter(|(_, at)| at.elapsed() < AUTH_CACHE_TTL)
            .map(|(p, _)| p.clone())
    }

    fn put(&self, hash: &str, principal: &Principal) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.retain(|_, (_, at)| at.elapsed() < AUTH_CACHE_TTL);
        entries.insert(hash.to_string(), (principal.clone(), Instant::now()));
    }
}

/// A token bucket per key (a bearer token, an invitation code): `rate` requests a second, bursts
/// of twice that.
pub struct RateLimiter {
    rate_per_sec: f64,
    burst: f64,
    buckets: Mutex<HashMap<String, (f64, Instant)>>,
}

impl RateLimiter {
    pub fn new(rate_per_sec: u32) -> Self {
        let rate = f64::from(rate_per_sec.max(1));
        Self {
            rate_per_sec: rate,
            burst: rate * 2.0,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    pub(crate) fn check(&self, key: &str) -> Result<(), ApiError> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let (tokens, last) = buckets.entry(key.to_string()).or_insert((self.burst, now));
        let refilled =
            (*tokens + now.duration_since(*last).as_secs_f64() * self.rate_per_sec).min(self.burst);
        *last = now;
        if refilled >= 1.0 {
            *tokens = refilled - 1.0;
            Ok(())
        } else {
            *tokens = refilled;
            let wait = (1.0 - refilled) / self.rate_per_sec;
            Err(ApiError::RateLimited {
                retry_after_secs: wait.ceil().max(1.0) as u64,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_past_twice_the_rate_is_refused_with_a_retry_after() {
        let limiter = RateLimiter::new(5);
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
    fn the_bearer_scheme_is_read_in_any_case() {
        for value in [
            "Bearer abc",
            "bearer abc",
            "BEARER abc",
            "bEaReR   abc ",
            " Bearer abc",
        ] {
            assert_eq!(bearer_token(value), Some("abc"), "{value:?}");
        }
        for value in [
            "Bearer",
            "Bearer ",
            "Basic abc",
            "Bearerabc",
            "Bear abc",
            "abc",
            "",
        ] {
            assert_eq!(bearer_token(value), None, "{value:?}");
        }
    }

    #[test]
    fn token_hashes_are_hex_sha256_and_tokens_differ() {
        assert_eq!(token_hash("abc").len(), 64);
        assert_ne!(new_token(), new_token());
        assert!(new_token().starts_with("csp_"));
    }
}
