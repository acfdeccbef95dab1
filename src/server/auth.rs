//! Bearer tokens → the calling partner and role; permission checks; per-token rate limiting;
//! per-address limiting of failed authentication.

mod cache;

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use sha2::{Digest, Sha256};

pub use self::cache::{AuthCache, Cached};
use super::AppState;
use super::error::ApiError;
use super::store::Principal;
use crate::api::Permission;

/// The authenticated caller of a request. Extracting it answers 401 or 429 when it must.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub Principal, TokenKey);

/// The token's hash: what per-token limits are kept by.
#[derive(Debug, Clone)]
struct TokenKey(String);

impl CurrentUser {
    /// The hash of the token the caller presented.
    pub fn token_key(&self) -> &str {
        &self.1.0
    }

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
            Cached::Fresh(principal) => principal,
            cached => {
                // Only failures count, per client address: a token never seen valid from an
                // address that keeps guessing is refused before the database is asked; one seen
                // valid lately is always checked, so a good client beside a bad one still works.
                let client = client_address(parts);
                if matches!(cached, Cached::Unknown) {
                    state.inner.failed_auth.peek(&client)?;
                }
                let lookup = hash.clone();
                match state.store(move |s| s.principal_for_token(&lookup)).await? {
                    Some(principal) => {
                        state.inner.auth_cache.put(&hash, &principal);
                        principal
                    }
                    None => {
                        state.inner.auth_cache.forget(&hash);
                        // Refused either way; the bucket only decides the next attempt.
                        let _ = state.inner.failed_auth.check(&client);
                        return Err(ApiError::Unauthorized);
                    }
                }
            }
        };
        state.inner.limiter.check(&hash)?;
        Ok(CurrentUser(principal, TokenKey(hash)))
    }
}

/// The token of an `Authorization: Bearer <token>` value. The scheme is case-insensitive
/// (RFC 7235 §2.1, RFC 6750 §2.1), so `bearer` and `BEARER` are as good as `Bearer`.
fn bearer_token(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim_start().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

/// The peer's IP address (the port changes per connection), or "" when served without one.
fn client_address(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip().to_string())
        .unwrap_or_default()
}

/// Tokens are stored and compared only as their SHA-256.
pub fn token_hash(token: &str) -> String {
    lower_hex(&Sha256::digest(token.as_bytes()))
}

/// Bytes as lower-case hex, two digits each (how hashes are stored).
pub fn lower_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A new bearer token: 244 random bits behind a recognisable prefix (secret scanners look for it).
pub fn new_token() -> String {
    format!(
        "csp_{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

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
