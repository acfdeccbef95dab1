//! Continuation tokens: the keyset position (last name key and id), the filter and the page size,
//! as JSON sealed with the database's `continuation` key (`Signer`), so a client cannot raise the
//! page size past the cap or slip in a filter, and any process serving the database accepts it.
//! Opaque to clients, which send it back in `MS-ContinuationToken`.

pub mod audit;
pub mod gdap;

use serde::{Deserialize, Serialize};

use super::handlers::validate;
use super::signing::Signer;
use super::store::Cursor;
use crate::api::{CONTINUATION_HEADER, CustomerFilter, Header, Link, MAX_PAGE_SIZE};

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

    pub fn encode(&self, signer: &Signer) -> String {
        signer.seal(&serde_json::to_vec(self).unwrap_or_default())
    }

    /// None for anything not sealed with this key, or whose content this server would not issue
    /// (checked again although signed: a key is not a reason to trust old or buggy tokens).
    pub fn decode(token: &str, signer: &Signer) -> Option<Self> {
        let bytes = signer.open(token)?;
        let parsed: Self = serde_json::from_slice(&bytes).ok()?;
        let valid = parsed.v == 1
            && !parsed.i.is_empty()
            && (1..=MAX_PAGE_SIZE).contains(&parsed.s)
            && parsed
                .f
                .as_ref()
                .is_none_or(|f| validate::filter(f).is_ok());
        valid.then_some(parsed)
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
    pub fn next_link(&self, signer: &Signer) -> Link {
        Link {
            uri: format!("/customers?size={}&seekOperation=Next", self.s),
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
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use proptest::prelude::*;

    use super::*;
    use crate::api::FilterField;
    use crate::server::signing::random_key;

    fn signer() -> Signer {
        Signer::new(&random_key().unwrap())
    }

    #[test]
    fn a_token_round_trips_with_its_filter() {
        let filter = CustomerFilter::starts_with(FilterField::Domain, "mü");
        let cursor = Cursor {
            name_key: "müller & söhne gmbh".into(),
            id: "abc".into(),
        };
        let signer = signer();
        let token = Continuation::new(&cursor, 100, Some(&filter)).encode(&signer);
        let back = Continuation::decode(&token, &signer).unwrap();
        assert_eq!(back.cursor(), cursor);
        assert_eq!(back.filter(), Some(&filter));
        assert_eq!(back.size(), 100);
    }

    #[test]
    fn garbage_tokens_are_unknown() {
        let signer = signer();
        assert!(Continuation::decode("not a token", &signer).is_none());
        assert!(Continuation::decode(&URL_SAFE_NO_PAD.encode(b"{\"v\":9}"), &signer).is_none());
    }

    #[test]
    fn a_forged_altered_or_foreign_token_is_refused() {
        let signer = signer();
        let cursor = Cursor {
            name_key: "a".into(),
            id: "1".into(),
        };
        let good = Continuation::new(&cursor, 100, None).encode(&signer);
        assert!(Continuation::decode(&good, &signer).is_some());
        // The unsigned form of old: a huge page size.
        let forged = URL_SAFE_NO_PAD.encode(br#"{"v":1,"k":"a","i":"1","s":4294967295}"#);
        assert!(Continuation::decode(&forged, &signer).is_none());
        // The same payload with the old signature.
        let (_, tag) = good.split_once('.').unwrap();
        let altered = format!(
            "{}.{tag}",
            URL_SAFE_NO_PAD.encode(br#"{"v":1,"k":"a","i":"1","s":4294967295}"#)
        );
        assert!(Continuation::decode(&altered, &signer).is_none());
        assert!(
            Continuation::decode(&good, &self::signer()).is_none(),
            "another key"
        );
    }

    #[test]
    fn a_signed_token_past_the_cap_or_with_a_bad_filter_is_still_refused() {
        let signer = signer();
        let oversized = signer.seal(br#"{"v":1,"k":"a","i":"1","s":5000}"#);
        assert!(Continuation::decode(&oversized, &signer).is_none());
        let empty_filter = signer.seal(
            br#"{"v":1,"k":"a","i":"1","s":10,"f":{"Field":"Domain","Value":" ","Operator":"starts_with"}}"#,
        );
        assert!(Continuation::decode(&empty_filter, &signer).is_none());
    }

    proptest! {
        // Bounded so CI stays fast; no regression files written into the tree.
        #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn decoding_anything_never_panics(text in any::<String>(), bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let signer = signer();
            prop_assert!(Continuation::decode(&text, &signer).is_none());
            let sealed = signer.seal(&bytes);
            let _ = Continuation::decode(&sealed, &signer);
        }

        #[test]
        fn what_is_encoded_decodes_to_the_same(
            key in any::<String>(),
            id in "[a-z0-9-]{1,36}",
            size in 1..=MAX_PAGE_SIZE,
            value in "\\PC{1,40}".prop_filter("a filter the API accepts", |v| !v.trim().is_empty()),
            domain in any::<bool>(),
        ) {
            let signer = signer();
            let field = if domain { FilterField::Domain } else { FilterField::CompanyName };
            let filter = CustomerFilter::starts_with(field, value);
            let cursor = Cursor { name_key: key, id };
            let token = Continuation::new(&cursor, size, Some(&filter)).encode(&signer);
            let back = Continuation::decode(&token, &signer).unwrap();
            prop_assert_eq!(back.cursor(), cursor);
            prop_assert_eq!(back.size(), size);
            prop_assert_eq!(back.filter(), Some(&filter));
        }
    }
}
