//! The temporary password the dashboard proposes for a new user: from the operating system's
//! CSPRNG, always meeting [`super::validate::check_password`], and free of characters that look
//! alike (0/O/o, 1/l/I, quotes), because someone reads it out or types it from a screen.

use ring::rand::{SecureRandom, SystemRandom};

/// Length of a temporary password.
pub const TEMPORARY_PASSWORD_CHARS: usize = 16;

const LOWER: &[u8] = b"abcdefghjkmnpqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGITS: &[u8] = b"23456789";
const SYMBOLS: &[u8] = b"!#%+-=?@";

/// The system's random source failed (it practically never does; there is nothing to fall back to).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the system's random number generator is unavailable")]
pub struct RandomUnavailable;

/// A fresh 16-character password with a lower-case letter, a capital, a digit and a symbol.
pub fn temporary_password() -> Result<String, RandomUnavailable> {
    let rng = SystemRandom::new();
    let alphabet: Vec<u8> = [LOWER, UPPER, DIGITS, SYMBOLS].concat();
    // A draw missing a class is thrown away whole, so every accepted password is equally likely
    // among those that have all four; about 1 draw in 3 is kept.
    for _ in 0..1000 {
        let password = draw(&rng, &alphabet, TEMPORARY_PASSWORD_CHARS)?;
        let has = |class: &[u8]| password.bytes().any(|b| class.contains(&b));
        if [LOWER, UPPER, DIGITS, SYMBOLS].into_iter().all(has) {
            return Ok(password);
        }
    }
    Err(RandomUnavailable)
}

/// `len` characters, each uniform over `alphabet` (rejection sampling: no modulo bias).
fn draw(rng: &SystemRandom, alphabet: &[u8], len: usize) -> Result<String, RandomUnavailable> {
    let limit = 256 - (256 % alphabet.len());
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        rng.fill(&mut buf).map_err(|_| RandomUnavailable)?;
        for byte in buf {
            if (byte as usize) < limit && out.len() < len {
                out.push(char::from(alphabet[byte as usize % alphabet.len()]));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::users::validate::check_password;

    #[test]
    fn temporary_passwords_meet_the_rules_and_avoid_look_alike_characters() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..500 {
            let password = temporary_password().expect("random");
            assert_eq!(password.chars().count(), TEMPORARY_PASSWORD_CHARS);
            assert!(check_password(&password).is_ok(), "{password}");
            for c in password.chars() {
                assert!(c.is_ascii_graphic(), "{password}");
                assert!(!"0Oo1lI|'\"`".contains(c), "ambiguous {c} in {password}");
            }
            assert!(seen.insert(password), "a password repeated");
        }
    }
}
