//! Tokens as whoever runs the backend sees them (`cspdash token list|revoke`): who holds each,
//! when it was made, when it expires, when it was last used. Never the token, never its hash:
//! a token is named by [`TokenInfo::id`], a short prefix of its SHA-256.

use serde::Serialize;

use crate::api::Role;

/// Hex digits of a token's SHA-256 that make its id. 48 bits: unique among any number of tokens
/// a backend holds (a clash is refused, never guessed at), and useless to anyone who sees it.
/// The token is 244 random bits and SHA-256 cannot be run backwards, so neither the prefix nor
/// the whole hash leads to the token; and the server hashes what it is sent, so a hash (let
/// alone a part of one) is no credential. The full hash is still kept out of sight, so the list
/// is no fingerprint to match against a leaked copy of the database.
pub const TOKEN_ID_LEN: usize = 12;

/// One stored token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenInfo {
    /// The first [`TOKEN_ID_LEN`] hex digits of the token's SHA-256.
    pub id: String,
    pub partner_id: String,
    pub partner: String,
    pub agent_id: String,
    pub agent: String,
    pub role: Role,
    /// RFC 3339 UTC.
    pub created_at: String,
    /// RFC 3339 UTC; None: never expires.
    pub expires_at: Option<String>,
    /// Set for a sliding token (the embedded dashboard's): it expires this many seconds after
    /// it was last used.
    pub idle_timeout_secs: Option<i64>,
    /// RFC 3339 UTC, to within about a minute (use is recorded at most once a minute); None:
    /// never used.
    pub last_used_at: Option<String>,
}

/// A stored token's row: `(hash, partner id, partner name, agent id, agent name, role, created,
/// expires at, idle secs, last used at)`, times in unix seconds.
pub(crate) type TokenRow = (
    String,
    String,
    String,
    String,
    String,
    Role,
    String,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// The columns of a [`TokenRow`] (`t` tokens, `a` agents, `p` partners), for both stores.
pub(crate) const TOKEN_COLUMNS: &str = "t.hash, p.id, p.name, a.id, a.name, a.role, t.created_at, \
    t.expires_at, t.idle_secs, t.last_used_at \
    FROM tokens t JOIN agents a ON a.id = t.agent_id JOIN partners p ON p.id = a.partner_id";

/// How `token list` orders them: by partner, agent, then age.
pub(crate) const TOKEN_ORDER: &str = "ORDER BY p.name, a.name, t.created_at, t.hash";

impl TokenInfo {
    pub(crate) fn from_row(row: TokenRow) -> Self {
        let (hash, partner_id, partner, agent_id, agent, role, created_at, expires, idle, used) =
            row;
        Self {
            id: token_id(&hash),
            partner_id,
            partner,
            agent_id,
            agent,
            role,
            created_at,
            expires_at: expires.map(rfc3339),
            idle_timeout_secs: idle,
            last_used_at: used.map(rfc3339),
        }
    }
}

/// A token's id: the start of its hash.
pub fn token_id(hash: &str) -> String {
    hash.chars().take(TOKEN_ID_LEN).collect()
}

/// Whether `text` has the shape of a token id (so a revoke looks for one).
pub fn is_token_id(text: &str) -> bool {
    text.len() == TOKEN_ID_LEN && text.bytes().all(|b| b.is_ascii_hexdigit())
}

fn rfc3339(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An agent `cspdash token revoke NAME` may mean, with how many tokens it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenHolder {
    pub partner_id: String,
    pub partner: String,
    pub agent_id: String,
    pub agent: String,
    pub email: String,
    pub role: Role,
    pub tokens: u64,
}

/// The columns of a [`TokenHolder`] row (`a` agents, `p` partners), for both stores: the agents
/// whose id or name is the first parameter, or whose email is, ignoring ASCII case.
pub(crate) const HOLDER_COLUMNS: &str = "p.id, p.name, a.id, a.name, a.email, a.role, \
    (SELECT count(*) FROM tokens t WHERE t.agent_id = a.id) \
    FROM agents a JOIN partners p ON p.id = a.partner_id";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_the_start_of_the_hash_and_only_that_shape_is_taken_for_one() {
        let hash = crate::server::auth::token_hash("csp_x");
        let id = token_id(&hash);
        assert_eq!(id.len(), TOKEN_ID_LEN);
        assert!(hash.starts_with(&id));
        assert!(is_token_id(&id));
        assert!(is_token_id(&id.to_uppercase()));
        assert!(!is_token_id(&hash), "the full hash is not an id");
        assert!(!is_token_id("Global admin"));
        assert!(!is_token_id("abcdefabcdeg"));
    }

    #[test]
    fn times_are_rfc3339_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_800_000_000), "2027-01-15T08:00:00Z");
    }
}
