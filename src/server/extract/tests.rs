//! Property tests of `If-Match`, a header anyone can send: every value is read (never a panic, never
//! a 400), only the ETag the server handed out admits its version, and a missing header is a 428.

use axum::http::{HeaderMap, HeaderValue, header};
use proptest::prelude::*;

use super::{etag, if_match};
use crate::server::error::ApiError;
use crate::server::store::IfMatch;

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
    assert_eq!(if_match(&star).expect("star"), IfMatch::Any);
}

#[test]
fn bytes_that_are_not_text_match_nothing() {
    let value = HeaderValue::from_bytes(b"\"\xff\"").expect("a header");
    assert!(!if_match(&with_if_match(value)).expect("read").admits(0));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_etag_handed_out_admits_its_version_and_no_other(version in any::<i64>(), other in any::<i64>()) {
        let read = if_match(&with_if_match(etag(version))).expect("our own ETag");
        prop_assert!(read.admits(version));
        prop_assume!(other != version);
        prop_assert!(!read.admits(other));
    }

    #[test]
    fn any_header_bytes_are_read_and_admit_only_what_they_name(
        bytes in prop::collection::vec(any::<u8>(), 0..80),
        version in 0i64..1000,
    ) {
        // Only what HTTP can carry reaches the handler: HeaderValue refuses the rest.
        let Ok(value) = HeaderValue::from_bytes(&bytes) else { return Ok(()) };
        let read = if_match(&with_if_match(value)).expect("never refused");
        if read.admits(version) {
            let text = String::from_utf8_lossy(&bytes);
            prop_assert!(
                text.trim() == "*" || text.contains(&format!("\"{version}\"")),
                "{text:?} admitted {version}"
            );
        }
    }
}
