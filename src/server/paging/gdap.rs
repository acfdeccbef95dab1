//! The admin relationships' `$skiptoken`: where the last page ended (end key and id), the page
//! size and the `$filter` the listing started with, sealed like the other tokens so a client can
//! neither raise the size past the cap nor change the filter midway.

use serde::{Deserialize, Serialize};

use crate::api::gdap::RelationshipStatus;
use crate::server::signing::Signer;
use crate::server::store::gdap::{RelationshipCursor, RelationshipQuery};

/// Most relationships one page holds (`$top`).
pub const MAX_TOP: u32 = 1000;
/// Longest tenant id a filter may carry (tenant ids are GUIDs; this leaves room, bounds the token).
pub const MAX_TENANT_CHARS: usize = 128;

/// Field names differ from the customers' and the audit log's tokens (`g` for the version), so a
/// token of one listing never reads as another's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationshipContinuation {
    g: u8,
    k: String,
    i: String,
    s: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    st: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    t: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    e: Option<String>,
}

impl RelationshipContinuation {
    /// The token for the page after `cursor` of `query`'s listing.
    pub fn new(cursor: &RelationshipCursor, query: &RelationshipQuery) -> Self {
        Self {
            g: 1,
            k: cursor.end_key.clone(),
            i: cursor.id.clone(),
            s: query.size,
            st: query.status.map(|s| s.as_str().to_string()),
            t: query.tenant_id.clone(),
            e: query.end_before.clone(),
        }
    }

    pub fn encode(&self, signer: &Signer) -> String {
        signer.seal(&serde_json::to_vec(self).unwrap_or_default())
    }

    /// None for anything not sealed with this key or whose content this server would not issue.
    pub fn decode(token: &str, signer: &Signer) -> Option<Self> {
        let parsed: Self = serde_json::from_slice(&signer.open(token)?).ok()?;
        let valid = parsed.g == 1
            && !parsed.k.is_empty()
            && !parsed.i.is_empty()
            && (1..=MAX_TOP).contains(&parsed.s)
            && parsed
                .st
                .as_deref()
                .is_none_or(|s| RelationshipStatus::parse(s).is_some())
            && parsed
                .t
                .as_deref()
                .is_none_or(|t| !t.trim().is_empty() && t.chars().count() <= MAX_TENANT_CHARS)
            && parsed
                .e
                .as_deref()
                .is_none_or(|e| chrono::DateTime::parse_from_rfc3339(e).is_ok());
        valid.then_some(parsed)
    }

    /// The query for the next page: the filter the listing started with, after the cursor.
    pub fn query(&self) -> RelationshipQuery {
        RelationshipQuery {
            size: self.s,
            status: self.st.as_deref().and_then(RelationshipStatus::parse),
            tenant_id: self.t.clone(),
            end_before: self.e.clone(),
            after: Some(RelationshipCursor {
                end_key: self.k.clone(),
                id: self.i.clone(),
            }),
        }
    }

    /// `@odata.nextLink`: rooted at `/v1/` (the public URL may differ from the address the
    /// client uses); the token is base64url and `.`, safe in a query as it is.
    pub fn next_link(&self, signer: &Signer) -> String {
        format!(
            "/v1/tenantRelationships/delegatedAdminRelationships?$skiptoken={}",
            self.encode(signer)
        )
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::server::paging::audit::AuditContinuation;
    use crate::server::signing::random_key;

    fn signer() -> Signer {
        Signer::new(&random_key().unwrap())
    }

    fn query() -> RelationshipQuery {
        RelationshipQuery {
            size: 50,
            status: Some(RelationshipStatus::Active),
            tenant_id: Some("t-1".into()),
            end_before: Some("2027-01-01T00:00:00Z".into()),
            after: None,
        }
    }

    #[test]
    fn a_token_carries_the_cursor_the_size_and_the_filter() {
        let signer = signer();
        let cursor = RelationshipCursor {
            end_key: "2026-12-01T00:00:00Z".into(),
            id: "r-9".into(),
        };
        let link = RelationshipContinuation::new(&cursor, &query()).next_link(&signer);
        let token = link.split_once("$skiptoken=").unwrap().1;
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
        );
        let next = RelationshipContinuation::decode(token, &signer)
            .unwrap()
            .query();
        assert_eq!(
            next,
            RelationshipQuery {
                after: Some(cursor),
                ..query()
            }
        );
    }

    #[test]
    fn forged_oversized_or_foreign_tokens_are_refused() {
        let signer = signer();
        for body in [
            r#"{"g":1,"k":"9999","i":"a","s":5000}"#,
            r#"{"g":1,"k":"9999","i":"a","s":10,"st":"sleeping"}"#,
            r#"{"g":1,"k":"9999","i":"a","s":10,"e":"tomorrow"}"#,
            r#"{"g":1,"k":"9999","i":"a","s":10,"t":" "}"#,
            r#"{"g":2,"k":"9999","i":"a","s":10}"#,
        ] {
            assert!(
                RelationshipContinuation::decode(&signer.seal(body.as_bytes()), &signer).is_none(),
                "{body}"
            );
        }
        let good = RelationshipContinuation::new(
            &RelationshipCursor {
                end_key: "9999".into(),
                id: "a".into(),
            },
            &query(),
        )
        .encode(&signer);
        assert!(RelationshipContinuation::decode(&good, &self::signer()).is_none());
        assert!(AuditContinuation::decode(&good, &signer).is_none());
    }
}
