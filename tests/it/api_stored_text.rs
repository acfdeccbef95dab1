//! Control characters never reach the database: every string a client can store through
//! `POST /v1/customers` or the acceptance page is refused with a 400 naming the field, and nothing
//! is stored.
#![allow(clippy::unwrap_used)]

use serde_json::Value;

use crate::helpers::*;

/// Every string field of a new customer, by the JSON pointer the test writes and the field path
/// the error must name.
const FIELDS: &[(&str, &str)] = &[
    ("/billingProfile/companyName", "billingProfile.companyName"),
    ("/billingProfile/firstName", "billingProfile.firstName"),
    ("/billingProfile/lastName", "billingProfile.lastName"),
    ("/billingProfile/email", "billingProfile.email"),
    ("/billingProfile/culture", "billingProfile.culture"),
    ("/billingProfile/language", "billingProfile.language"),
    ("/companyProfile/domain", "companyProfile.domain"),
    (
        "/billingProfile/defaultAddress/addressLine1",
        "billingProfile.defaultAddress.addressLine1",
    ),
    (
        "/billingProfile/defaultAddress/addressLine2",
        "billingProfile.defaultAddress.addressLine2",
    ),
    (
        "/billingProfile/defaultAddress/city",
        "billingProfile.defaultAddress.city",
    ),
    (
        "/billingProfile/defaultAddress/state",
        "billingProfile.defaultAddress.state",
    ),
    (
        "/billingProfile/defaultAddress/region",
        "billingProfile.defaultAddress.region",
    ),
    (
        "/billingProfile/defaultAddress/postalCode",
        "billingProfile.defaultAddress.postalCode",
    ),
    (
        "/billingProfile/defaultAddress/country",
        "billingProfile.defaultAddress.country",
    ),
    (
        "/billingProfile/defaultAddress/phoneNumber",
        "billingProfile.defaultAddress.phoneNumber",
    ),
    (
        "/billingProfile/defaultAddress/firstName",
        "billingProfile.defaultAddress.firstName",
    ),
    (
        "/billingProfile/defaultAddress/lastName",
        "billingProfile.defaultAddress.lastName",
    ),
    ("/associatedPartnerId", "associatedPartnerId"),
];

/// Puts `value` at `pointer`, creating the last key when the body does not have it yet.
fn set(body: &mut Value, pointer: &str, value: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let parent = if parent.is_empty() {
        &mut *body
    } else {
        body.pointer_mut(parent).unwrap()
    };
    parent[key] = Value::String(value.to_string());
}

async fn total(server: &TestServer) -> u64 {
    let (_, page) = server.get_json("/v1/customers?size=1").await;
    page["totalCount"].as_u64().unwrap()
}

contract! {
    async fn a_control_character_in_any_stored_field_is_a_400_naming_it_and_nothing_is_stored() {
        let server = spawn_server(5).await;
        let before = total(&server).await;
        // An escape sequence (clears a terminal), a newline (forges a log or CSV line), a bidi
        // override (shows text reversed).
        for bad in ["x\u{1b}[2Jx", "x\nx", "x\u{202e}x"] {
            for (pointer, field) in FIELDS {
                let domain = "stored-text.example";
                let mut body = new_customer("Stored Text Ltd", domain);
                set(&mut body, pointer, bad);
                let (status, error) = server.post_customer(&body).await;
                assert_eq!(status, 400, "{field} with {bad:?}: {error}");
                assert_eq!(
                    error["data"],
                    serde_json::json!([field]),
                    "{bad:?}: {error}"
                );
                let description = error["description"].as_str().unwrap();
                assert!(description.starts_with(field), "{description}");
            }
        }
        assert_eq!(total(&server).await, before, "nothing was stored");
        let (_, found) = server
            .get_json(&filter_path("Domain", "stored-text", 10))
            .await;
        assert_eq!(found["totalCount"], 0, "{found}");

        // The same body without the bad character is stored, with what was sent.
        let mut body = new_customer("Stored Text Ltd", "stored-text.example");
        set(
            &mut body,
            "/billingProfile/defaultAddress/addressLine2",
            "Suite 5",
        );
        set(
            &mut body,
            "/billingProfile/defaultAddress/phoneNumber",
            "+1 425 555 0100",
        );
        let (status, created) = server.post_customer(&body).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(
            created["billingProfile"]["defaultAddress"]["phoneNumber"],
            "+1 425 555 0100"
        );
        assert_eq!(total(&server).await, before + 1);
    }
}
