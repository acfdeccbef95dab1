//! Property tests of cleaning backend strings: a customer name from a foreign backend's JSON,
//! whatever characters it holds, comes out short, without controls and without invisible or
//! reordering characters.

use proptest::prelude::*;
use serde_json::json;

use super::{MAX_FIELD_CHARS, sanitize};
use crate::api::{Collection, Customer};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn hostile_names_are_harmless_once_cleaned(name in "(\\PC|\\p{Cc}|\\p{Cf}|[\u{202e}\u{2066}\u{200b}\u{fe0f}]){0,400}") {
        let body = json!({"totalCount": 1, "items": [{"id": "1", "companyProfile": {"companyName": name}}]});
        let read: Collection<Customer> = serde_json::from_str(&body.to_string()).expect("one customer");
        let shown = sanitize(&read.items[0].company_profile.company_name).into_owned();
        prop_assert!(shown.chars().count() <= MAX_FIELD_CHARS);
        let bad = shown.chars().find(|&c| {
            (c.is_control() && c != ' ')
                || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        });
        prop_assert_eq!(bad, None, "{:?} -> {:?}", name, shown);
    }
}
