//! Property tests of `If-Match`, a header anyone can send: every value is read or refused with an
//! error naming the header (never a panic), and every ETag the server hands out is read back as
//! the version it stands for.

use axum::http::{HeaderMap, HeaderValue, header};
use proptest::prelude::*;

use super::{etag, if_match};
use crate::server::error::ApiError;

fn with_if_match(value: HeaderValue) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(header::IF_MATCH, value);
    headers
}

#[test]
fn a_missing_if_match_is_required_and_a_star_skips_the_check() {
    assert!(matches!(
        if_match(&HeaderMap::new()),
        Err(ApiError::IfMatchRequired)
    ));
    let star = with_if_match(HeaderValue::from_static(" * "));
    assert_eq!(if_match(&star).expect("star"), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_etag_handed_out_is_read_back(version in any::<i64>(), weak in any::<bool>()) {
        let tag = etag(version);
        let sent = if weak {
            HeaderValue::from_str(&format!("W/{}", tag.to_str().expect("ascii"))).expect("a header")
        } else {
            tag
        };
        prop_assert_eq!(if_match(&with_if_match(sent)).expect("our own ETag"), Some(version));
    }

    #[test]
    fn any_header_bytes_are_read_or_refused_naming_if_match(
        bytes in prop::collection::vec(any::<u8>(), 0..80)
    ) {
        // Only what HTTP can carry reaches the handler: HeaderValue refuses the rest.
        let Ok(value) = HeaderValue::from_bytes(&bytes) else { return Ok(()) };
        match if_match(&with_if_match(value)) {
            Ok(None) => {
                let text = String::from_utf8_lossy(&bytes);
                prop_assert_eq!(text.trim(), "*");
            }
            Ok(Some(version)) => {
                let text = String::from_utf8_lossy(&bytes);
                prop_assert!(text.contains(&version.to_string()), "{text:?} -> {version}");
            }
            Err(ApiError::Invalid { field, .. }) => prop_assert_eq!(field, "If-Match"),
            Err(other) => prop_assert!(false, "unexpected {other:?}"),
        }
    }

    #[test]
    fn text_that_is_not_a_number_is_refused(tag in "\"?[a-zA-Z_/-][a-zA-Z0-9_/-]{0,20}\"?") {
        let value = HeaderValue::from_str(&tag).expect("ascii");
        prop_assume!(tag.trim() != "*" && tag.trim_start_matches("W/").trim_matches('"').parse::<i64>().is_err());
        let is_invalid = matches!(if_match(&with_if_match(value)), Err(ApiError::Invalid { .. }));
        prop_assert!(is_invalid, "{tag:?}");
    }
}
