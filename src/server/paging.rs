//! Continuation tokens: the keyset position (last name key and id), the filter and the page size,
//! base64url-encoded JSON. Opaque to clients, which send it back in `MS-ContinuationToken`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use super::store::Cursor;
use crate::api::{CONTINUATION_HEADER, CustomerFilter, Header, Link};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Continuation {
    /// Format version, so a later change can refuse old tokens clearly.
    v: u8,
    k: String,
    i: String,
    s: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    f: Option<CustomerFilter>,
}

impl Continuation {
    pub fn new(cursor: &Cursor, size: u32, filter: Option<&CustomerFilter>) -> Self {
        Self {
            v: 1,
            k: cursor.name_key.clone(),
            i: cursor.id.clone(),
            s: size,
            f: filter.cloned(),
        }
    }

    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(self).unwrap_or_default())
    }

    /// None for anything this server did not issue.
    pub fn decode(token: &str) -> Option<Self> {
        let bytes = URL_SAFE_NO_PAD.decode(token.trim()).ok()?;
        let parsed: Self = serde_json::from_slice(&bytes).ok()?;
        (parsed.v == 1 && !parsed.i.is_empty()).then_some(parsed)
    }

    pub fn cursor(&self) -> Cursor {
        Cursor {
            name_key: self.k.clone(),
            id: self.i.clone(),
        }
    }

    pub fn size(&self) -> u32 {
        self.s
    }

    pub fn filter(&self) -> Option<&CustomerFilter> {
        self.f.as_ref()
    }

    /// `links.next` as Partner Center writes it: relative to `/v1`, the token in a header.
    pub fn next_link(&self) -> Link {
        Link {
            uri: format!("/customers?size={}&seekOperation=Next", self.s),
            method: "GET".to_string(),
            headers: vec![Header {
                key: CONTINUATION_HEADER.to_string(),
                value: self.encode(),
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::api::FilterField;

    #[test]
    fn a_token_round_trips_with_its_filter() {
        let filter = CustomerFilter::starts_with(FilterField::Domain, "mü");
        let cursor = Cursor {
            name_key: "müller & söhne gmbh".into(),
            id: "abc".into(),
        };
        let token = Continuation::new(&cursor, 100, Some(&filter)).encode();
        let back = Continuation::decode(&token).unwrap();
        assert_eq!(back.cursor(), cursor);
        assert_eq!(back.filter(), Some(&filter));
        assert_eq!(back.size(), 100);
    }

    #[test]
    fn garbage_tokens_are_unknown() {
        assert!(Continuation::decode("not a token").is_none());
        assert!(Continuation::decode(&URL_SAFE_NO_PAD.encode(b"{\"v\":9}")).is_none());
    }
}
