//! The acceptance form's CSRF token, bound to the server: sealed with a key kept in the database
//! (`Store::secret("csrf")`, so every replica accepts what another issued), carrying a hash of
//! the invitation code and an expiry. A token for another link, an expired one, an altered one,
//! or one merely echoed from a made-up cookie is refused. The same token also travels in a
//! `SameSite=Strict` cookie, so a post from another site lacks it.

use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

use crate::server::AppState;
use crate::server::error::ApiError;
use crate::server::signing::{self, Signer};
use crate::server::store::StoreError;

/// How long a shown form can be sent: long enough to look up the company's details.
pub const LIFETIME_SECS: i64 = 2 * 60 * 60;
/// The signing key's name in `Store::secret`.
const SECRET_NAME: &str = "csrf";
/// Marks the payload format, so a token sealed for something else with this key cannot pass.
const VERSION: &str = "csrf1";

/// The server's CSRF signer, read from the database once (the first page view) and then kept.
#[derive(Clone, Default)]
pub struct CsrfKey(Arc<OnceCell<Signer>>);

impl CsrfKey {
    pub async fn signer(&self, state: &AppState) -> Result<Signer, ApiError> {
        let signer = self
            .0
            .get_or_try_init(|| async {
                let key = state.store(|s| s.secret(SECRET_NAME)).await?;
                Ok::<_, ApiError>(Signer::new(&key))
            })
            .await?;
        Ok(signer.clone())
    }
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Missing, altered, not made by this server, or not the cookie's.
    Forged,
    /// Made by this server, for another invitation link.
    OtherLink,
    Expired,
}

/// The code is hashed into the token: it need not be repeated in a cookie.
fn code_hash(code: &str) -> String {
    URL_SAFE_NO_PAD.encode(&Sha256::digest(code.as_bytes())[..16])
}

/// A token for the form of link `code`, good until `expires_unix` (seconds since 1970).
pub fn issue(signer: &Signer, code: &str, expires_unix: i64) -> Result<String, StoreError> {
    // The nonce makes every form's token different, so one seen in a log says nothing of another.
    let nonce = signing::random_text(12)?;
    let payload = format!("{VERSION}:{}:{expires_unix}:{nonce}", code_hash(code));
    Ok(signer.seal(payload.as_bytes()))
}

/// Checks the form's token (and the cookie that must carry the same one) for link `code` at
/// `now_unix`.
pub fn check(
    signer: &Signer,
    field: &str,
    cookie: Option<&str>,
    code: &str,
    now_unix: i64,
) -> Result<(), Refusal> {
    if field.is_empty() || cookie != Some(field) {
        return Err(Refusal::Forged);
    }
    let payload = signer.open(field).ok_or(Refusal::Forged)?;
    let payload = String::from_utf8(payload).map_err(|_| Refusal::Forged)?;
    let mut parts = payload.split(':');
    let (Some(VERSION), Some(hash), Some(expires), Some(_nonce), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(Refusal::Forged);
    };
    if hash != code_hash(code) {
        return Err(Refusal::OtherLink);
    }
    let expires: i64 = expires.parse().map_err(|_| Refusal::Forged)?;
    if expires <= now_unix {
        return Err(Refusal::Expired);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn signer() -> Signer {
        Signer::new(&signing::random_key().unwrap())
    }

    #[test]
    fn a_token_passes_only_for_its_link_before_it_expires_with_its_cookie() {
        let s = signer();
        let token = issue(&s, "code-a", 1_000).unwrap();
        assert_eq!(check(&s, &token, Some(&token), "code-a", 999), Ok(()));
        assert_eq!(
            check(&s, &token, Some(&token), "code-b", 999),
            Err(Refusal::OtherLink)
        );
        assert_eq!(
            check(&s, &token, Some(&token), "code-a", 1_000),
            Err(Refusal::Expired)
        );
        assert_eq!(check(&s, &token, None, "code-a", 999), Err(Refusal::Forged));
        assert_eq!(
            check(&s, &token, Some("other"), "code-a", 999),
            Err(Refusal::Forged)
        );
    }

    #[test]
    fn made_up_altered_or_foreign_tokens_are_refused_even_when_the_cookie_matches() {
        let s = signer();
        for made_up in ["", "abc", "x.y", "0123456789abcdef0123456789abcdef"] {
            assert_eq!(
                check(&s, made_up, Some(made_up), "code", 0),
                Err(Refusal::Forged)
            );
        }
        let foreign = issue(&signer(), "code", i64::MAX).unwrap();
        assert_eq!(
            check(&s, &foreign, Some(&foreign), "code", 0),
            Err(Refusal::Forged)
        );
        // A later expiry in an otherwise valid token breaks its seal.
        let token = issue(&s, "code", 10).unwrap();
        let (payload, tag) = token.split_once('.').unwrap();
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        let longer = URL_SAFE_NO_PAD.encode(text.replace(":10:", ":99999999999:"));
        let altered = format!("{longer}.{tag}");
        assert_eq!(
            check(&s, &altered, Some(&altered), "code", 20),
            Err(Refusal::Forged)
        );
        // Sealed with this key but not a CSRF token.
        let other_use = s.seal(b"{\"s\":100}");
        assert_eq!(
            check(&s, &other_use, Some(&other_use), "code", 0),
            Err(Refusal::Forged)
        );
    }
}
