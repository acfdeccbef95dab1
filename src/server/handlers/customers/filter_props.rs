//! Property tests of the `filter` query parameter, which comes from anyone holding a token: any
//! text is answered (a 400 naming `filter`, never a panic), and what the dashboard sends is read
//! back as sent.

use proptest::prelude::*;

use super::parse_filter;
use crate::api::{CustomerFilter, FilterField};
use crate::server::error::ApiError;

fn field() -> impl Strategy<Value = FilterField> {
    prop_oneof![Just(FilterField::CompanyName), Just(FilterField::Domain)]
}

/// Values a user may type: any characters, at least one of them not blank, at most 255.
fn value() -> impl Strategy<Value = String> {
    "\\PC{0,200}[a-zA-Z0-9äß漢😀]\\PC{0,54}"
}

/// JSON texts shaped like a filter, with keys, values and types mixed up.
fn filter_like_json() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("Field"),
        Just("Value"),
        Just("Operator"),
        Just("field"),
        Just("Extra")
    ];
    let value = prop_oneof![
        Just(serde_json::json!("CompanyName")),
        Just(serde_json::json!("Domain")),
        Just(serde_json::json!("starts_with")),
        Just(serde_json::json!("equals")),
        Just(serde_json::json!(null)),
        Just(serde_json::json!(42)),
        Just(serde_json::json!(["Domain"])),
        "\\PC{0,300}".prop_map(serde_json::Value::String),
    ];
    prop::collection::vec((key, value), 0..6).prop_map(|pairs| {
        let object: serde_json::Map<String, serde_json::Value> =
            pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        serde_json::Value::Object(object).to_string()
    })
}

fn names_the_parameter(err: &ApiError) -> bool {
    matches!(err, ApiError::Invalid { field, .. } if field == "filter")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_text_is_a_filter_or_a_400_naming_filter(raw in "\\PC{0,400}") {
        match parse_filter(&raw) {
            Ok(filter) => {
                prop_assert!(!filter.value.trim().is_empty());
                prop_assert!(filter.value.chars().count() <= 255);
            }
            Err(err) => prop_assert!(names_the_parameter(&err), "{err:?}"),
        }
    }

    #[test]
    fn filter_shaped_json_is_accepted_only_when_it_is_exactly_a_filter(raw in filter_like_json()) {
        let parsed: serde_json::Value = serde_json::from_str(&raw).expect("generated JSON");
        let object = parsed.as_object().expect("an object");
        let exact = object.len() == 3
            && matches!(object.get("Field").and_then(|v| v.as_str()), Some("CompanyName" | "Domain"))
            && object.get("Operator").and_then(|v| v.as_str()) == Some("starts_with")
            && object.get("Value").and_then(|v| v.as_str()).is_some_and(|v| {
                !v.trim().is_empty() && v.chars().count() <= 255
            });
        match parse_filter(&raw) {
            Ok(_) => prop_assert!(exact, "accepted {raw}"),
            Err(err) => {
                prop_assert!(!exact, "refused {raw}: {err:?}");
                prop_assert!(names_the_parameter(&err), "{err:?}");
            }
        }
    }

    #[test]
    fn what_the_dashboard_sends_is_read_back_as_sent(field in field(), value in value()) {
        let sent = CustomerFilter::starts_with(field, value);
        let read = parse_filter(&sent.to_query_value()).expect("a filter the dashboard sends");
        prop_assert_eq!(read, sent);
    }

    #[test]
    fn values_past_255_characters_are_refused(field in field(), value in "[a-z]{256,400}") {
        let sent = CustomerFilter::starts_with(field, value);
        let err = parse_filter(&sent.to_query_value()).expect_err("too long");
        prop_assert!(err.to_string().contains("longer than 255"), "{err}");
    }
}
