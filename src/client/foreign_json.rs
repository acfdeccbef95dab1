//! Property tests of reading a customers page from a backend we do not control (Partner Center or
//! anything shaped like it), decoded as the client decodes every body (`serde_json::from_slice`):
//! fields we do not know are ignored, and mangled bodies are an error, never a panic. (What the
//! strings may contain is `tui::sanitize`'s to make harmless; its properties are beside it.)

use proptest::prelude::*;
use serde_json::{Value, json};

use super::paging::resolve_next;
use crate::api::customer::{BillingProfile, CompanyProfile};
use crate::api::{Attributes, Collection, Customer, Relationship};

type Page = Collection<Customer>;

fn customer() -> impl Strategy<Value = Customer> {
    let relationship = prop_oneof![
        Just(Relationship::Reseller),
        Just(Relationship::None),
        Just(Relationship::Unknown)
    ];
    (
        "[0-9a-f-]{1,36}",
        "\\PC{0,40}",
        "\\PC{0,40}",
        relationship,
        any::<bool>(),
        prop::option::of("[0-9a-f-]{1,36}"),
        prop::option::of("\\PC{0,20}"),
    )
        .prop_map(
            |(id, name, domain, relationship, delegated, partner_id, partner_name)| Customer {
                id: id.clone(),
                company_profile: CompanyProfile {
                    tenant_id: id,
                    domain,
                    company_name: name.clone(),
                },
                billing_profile: BillingProfile {
                    company_name: name,
                    ..BillingProfile::default()
                },
                relationship_to_partner: relationship,
                allow_delegated_access: delegated,
                associated_partner_id: partner_id,
                associated_partner_name: partner_name,
                admin_access: None,
                attributes: Attributes::customer(),
            },
        )
}

fn page() -> impl Strategy<Value = Page> {
    prop::collection::vec(customer(), 0..6).prop_map(Collection::whole)
}

/// Any JSON value, nested a few levels.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "\\PC{0,20}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-zA-Z]{1,12}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Adds the `(name, value)` pairs to every object in `value` whose own key set lacks `name`.
fn add_unknown_fields(value: &mut Value, extra: &[(String, Value)]) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                add_unknown_fields(child, extra);
            }
            for (name, field) in extra {
                map.entry(format!("x{name}"))
                    .or_insert_with(|| field.clone());
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| add_unknown_fields(item, extra)),
        _ => {}
    }
}

/// Next-page links as a foreign (or hostile) backend might spell them.
fn next_uri() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("http://"),
        Just("https://"),
        Just("HTTP://"),
        Just("127.0.0.1:8080"),
        Just("127.0.0.1"),
        Just(":8081"),
        Just("evil.example"),
        Just("@"),
        Just("/"),
        Just("//"),
        Just("\\"),
        Just("/v1"),
        Just("/customers"),
        Just("?size=100"),
        Just("#x"),
        Just(".."),
        Just("%2F"),
        Just("%40"),
        Just(" "),
    ];
    prop_oneof![
        prop::collection::vec(piece, 0..8).prop_map(|p| p.concat()),
        "\\PC{0,40}",
    ]
}

fn decode(bytes: &[u8]) -> Result<Page, serde_json::Error> {
    serde_json::from_slice(bytes)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn fields_we_do_not_know_are_ignored(
        page in page(),
        extra in prop::collection::vec(("[a-zA-Z]{1,10}", any_json()), 1..4),
    ) {
        let mut body = serde_json::to_value(&page).expect("a page serializes");
        add_unknown_fields(&mut body, &extra);
        let read = decode(body.to_string().as_bytes()).expect("a page with more fields");
        prop_assert_eq!(read, page);
    }

    #[test]
    fn a_mangled_body_is_an_error_or_a_page_never_a_panic(
        page in page(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..4, any::<u8>()), 1..6),
    ) {
        let mut bytes = serde_json::to_vec(&page).expect("a page serializes");
        for (at, delete, byte) in edits {
            let start = at.index(bytes.len() + 1);
            let end = (start + delete).min(bytes.len());
            bytes.splice(start..end, [byte]);
        }
        let _ = decode(&bytes);
    }

    #[test]
    fn any_json_is_an_error_or_a_page_never_a_panic(
        items in prop::collection::vec(any_json(), 0..4),
        total in any_json(),
        links in any_json(),
    ) {
        let body = json!({"totalCount": total, "items": items, "links": links});
        if let Ok(read) = decode(body.to_string().as_bytes()) {
            prop_assert_eq!(read.items.len(), items.len());
        }
    }

    #[test]
    fn a_next_link_never_leads_the_token_to_another_origin(uri in next_uri()) {
        let root = "http://127.0.0.1:8080";
        if let Ok(url) = resolve_next(root, &uri) {
            let expected = reqwest::Url::parse(root).expect("root").origin();
            prop_assert_eq!(url.origin(), expected, "{:?} -> {}", uri, url);
        }
    }
}
