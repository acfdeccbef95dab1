//! The audit log's continuation token: where the last page ended (time and id, newest first), the
//! page size and the filters the listing started with, sealed like the customers' token so a client
//! can neither raise the size past the cap nor widen the range or drop the customer.

use serde::{Deserialize, Serialize};

use crate::api::{CONTINUATION_HEADER, Header, Link, MAX_PAGE_SIZE};
use crate::server::signing::Signer;
use crate::server::store::{AuditCursor, AuditQuery};

/// Field names differ from the customers' token (`a` for the version, a numeric `i`), so a token
/// from one listing never reads as the other's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditContinuation {
    a: u8,
    t: String,
    i: i64,
    s: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    c: Option<String>,
}

/// The longest customer id a filter may carry (ids are UUIDs; this leaves room, bounds the token).
pub const MAX_CUSTOMER_ID_CHARS: usize = 128;

impl AuditContinuation {
    /// The token for the page after `cursor` of `query`'s listing.
    pub fn new(cursor: &AuditCursor, query: &AuditQuery) -> Self {
        Self {
            a: 1,
            t: cursor.created_at.clone(),
            i: cursor.id,
            s: query.size,
            from: query.start.clone(),
            to: query.end.clone(),
            c: query.customer_id.clone(),
        }
    }

    pub fn encode(&self, signer: &Signer) -> String {
        signer.seal(&serde_json::to_vec(self).unwrap_or_default())
    }

    /// None for anything not sealed with this key or whose content this server would not issue.
    pub fn decode(token: &str, signer: &Signer) -> Option<Self> {
        let parsed: Self = serde_json::from_slice(&signer.open(token)?).ok()?;
        let is_time = |t: &Option<String>| {
            t.as_deref()
                .is_none_or(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok())
        };
        let valid = parsed.a == 1
            && !parsed.t.is_empty()
            && (1..=MAX_PAGE_SIZE).contains(&parsed.s)
            && is_time(&parsed.from)
            && is_time(&parsed.to)
            && parsed
                .c
                .as_deref()
                .is_none_or(|c| !c.trim().is_empty() && c.chars().count() <= MAX_CUSTOMER_ID_CHARS);
        valid.then_some(parsed)
    }

    /// The query for the next page: the filters the listing started with, after the cursor.
    pub fn query(&self) -> AuditQuery {
        AuditQuery {
            size: self.s,
            start: self.from.clone(),
            end: self.to.clone(),
            customer_id: self.c.clone(),
            after: Some(AuditCursor {
                created_at: self.t.clone(),
                id: self.i,
            }),
        }
    }

    /// `links.next` as Partner Center writes it: relative to `/v1`, the token in a header.
    pub fn next_link(&self, signer: &Signer) -> Link {
        Link {
            uri: format!("/auditrecords?size={}&seekOperation=Next", self.s),
            method: "GET".to_string(),
            headers: vec![Header {
                key: CONTINUATION_HEADER.to_string(),
                value: self.encode(signer),
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::server::paging::Continuation;
    use crate::server::signing::random_key;
    use crate::server::store::Cursor;

    fn signer() -> Signer {
        Signer::new(&random_key().unwrap())
    }

    fn query() -> AuditQuery {
        AuditQuery {
            size: 50,
            start: Some("2026-11-01T00:00:00Z".into()),
            end: None,
            customer_id: Some("c-1".into()),
            after: None,
        }
    }

    #[test]
    fn a_token_carries_the_cursor_the_size_and_the_filters() {
        let signer = signer();
        let cursor = AuditCursor {
            created_at: "2026-11-02T10:00:00Z".into(),
            id: 42,
        };
        let token = AuditContinuation::new(&cursor, &query()).encode(&signer);
        let next = AuditContinuation::decode(&token, &signer).unwrap().query();
        assert_eq!(
            next,
            AuditQuery {
                after: Some(cursor),
                ..query()
            }
        );
    }

    #[test]
    fn a_customers_token_is_no_audit_token_and_the_other_way_round() {
        let signer = signer();
        let customers = Continuation::new(
            &Cursor {
                name_key: "a".into(),
                id: "1".into(),
            },
            10,
            None,
        )
        .encode(&signer);
        assert!(AuditContinuation::decode(&customers, &signer).is_none());
        let cursor = AuditCursor {
            created_at: "2026-11-02T10:00:00Z".into(),
            id: 1,
        };
        let audit = AuditContinuation::new(&cursor, &query()).encode(&signer);
        assert!(Continuation::decode(&audit, &signer).is_none());
    }

    #[test]
    fn a_signed_token_past_the_cap_or_with_a_bad_range_is_refused() {
        let signer = signer();
        for body in [
            r#"{"a":1,"t":"2026-11-02T10:00:00Z","i":1,"s":5000}"#,
            r#"{"a":1,"t":"2026-11-02T10:00:00Z","i":1,"s":10,"from":"yesterday"}"#,
            r#"{"a":1,"t":"2026-11-02T10:00:00Z","i":1,"s":10,"c":" "}"#,
            r#"{"a":2,"t":"2026-11-02T10:00:00Z","i":1,"s":10}"#,
        ] {
            assert!(
                AuditContinuation::decode(&signer.seal(body.as_bytes()), &signer).is_none(),
                "{body}"
            );
        }
        assert!(AuditContinuation::decode("garbage", &signer).is_none());
    }
}
