//! Tamper-evident values: HMAC-SHA256 with a key kept in the database (`Store::secret`), so a
//! value signed by one process serving that database is accepted by every other.
//!
//! ring provides both the HMAC (with a constant-time check) and the system's randomness; it is
//! already in the graph through rustls, so this adds no crate.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::hmac;
use ring::rand::{SecureRandom, SystemRandom};

use super::store::StoreError;

/// Length of a new key: 256 bits.
const KEY_BYTES: usize = 32;

/// A fresh random key for `Store::secret`.
pub fn random_key() -> Result<Vec<u8>, StoreError> {
    let mut key = vec![0u8; KEY_BYTES];
    SystemRandom::new()
        .fill(&mut key)
        .map_err(|_| StoreError::Schema("the system's random number source failed".into()))?;
    Ok(key)
}

/// `bytes` random bytes, base64url: for codes and tokens that must be unguessable.
pub fn random_text(bytes: usize) -> Result<String, StoreError> {
    let mut buf = vec![0u8; bytes];
    SystemRandom::new()
        .fill(&mut buf)
        .map_err(|_| StoreError::Schema("the system's random number source failed".into()))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// Signs and checks with one key. Cheap to clone.
#[derive(Clone)]
pub struct Signer {
    key: hmac::Key,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the key.
        f.write_str("Signer")
    }
}

impl Signer {
    pub fn new(key: &[u8]) -> Self {
        Self {
            key: hmac::Key::new(hmac::HMAC_SHA256, key),
        }
    }

    /// `payload` followed by `.` and its signature, all base64url: an opaque token.
    pub fn seal(&self, payload: &[u8]) -> String {
        let tag = hmac::sign(&self.key, payload);
        format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(payload),
            URL_SAFE_NO_PAD.encode(tag.as_ref())
        )
    }

    /// The payload of a token made by [`Signer::seal`] with this key; None if it was altered,
    /// forged or made with another key.
    pub fn open(&self, token: &str) -> Option<Vec<u8>> {
        let (payload, tag) = token.trim().split_once('.')?;
        let payload = URL_SAFE_NO_PAD.decode(payload).ok()?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        hmac::verify(&self.key, &payload, &tag).ok()?;
        Some(payload)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_sealed_value_opens_with_its_key_only_and_not_once_altered() {
        let signer = Signer::new(&random_key().unwrap());
        let token = signer.seal(b"{\"s\":100}");
        assert_eq!(signer.open(&token).unwrap(), b"{\"s\":100}");

        let other = Signer::new(&random_key().unwrap());
        assert!(other.open(&token).is_none(), "another key");

        let (payload, tag) = token.split_once('.').unwrap();
        let forged = format!("{}.{tag}", URL_SAFE_NO_PAD.encode(b"{\"s\":4294967295}"));
        assert!(signer.open(&forged).is_none(), "altered payload");
        assert!(signer.open(payload).is_none(), "no signature");
        assert!(signer.open("").is_none());
    }

    #[test]
    fn random_values_differ_and_are_long_enough() {
        assert_ne!(random_key().unwrap(), random_key().unwrap());
        assert_eq!(random_key().unwrap().len(), 32);
        assert!(random_text(32).unwrap().len() >= 43);
    }
}
