//! Ending and reinstating a relationship, and purchase permission, through the typed client
//! against the real backend (DESIGN.md §3): what changes, what stays, the ETag guard, the events
//! another dashboard sees and the audit trail.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use cspdash::api::{Event, EventKind, Relationship, Role};
use cspdash::client::{Client, ClientError};
use futures::StreamExt;
use reqwest::Method;
use serde_json::json;

use crate::fake_backend::quick_options;
use crate::helpers::{CONTOSO, FABRIKAM, TestServer, contract, json, spawn_server};

fn signed_in(server: &TestServer, partner: &'static str, role: Role) -> Client {
    Client::with_options(&server.url, server.token(partner, role), quick_options()).expect("client")
}

/// A customer with a relationship and admin access, and the event id the list was read at.
async fn active_customer(client: &Client) -> (String, i64) {
    let (page, read_at) = client
        .customers_page_read_at(None, 50, None)
        .await
        .expect("first page");
    let customer = page
        .items
        .iter()
        .find(|c| c.relationship_to_partner == Relationship::Reseller && c.allow_delegated_access)
        .expect("an active customer in the demo data");
    (customer.id.clone(), read_at.expect("the first page says"))
}

async fn next_event(
    events: &mut (impl futures::Stream<Item = Result<Event, ClientError>> + Unpin),
) -> Event {
    tokio::time::timeout(Duration::from_secs(20), events.next())
        .await
        .expect("an event arrived in time")
        .expect("the stream goes on")
        .expect("an event, not an error")
}

async fn audit_details(server: &TestServer, customer_id: &str) -> Vec<(String, String)> {
    let (_, audit) = server.get_json("/v1/auditrecords").await;
    audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["customerId"] == customer_id)
        .map(|a| {
            // What changed, as the audit screen shows it: before → after.
            let text = |field: &str| a[field].as_str().unwrap_or_default().to_string();
            (
                text("operationType"),
                format!("{} → {}", text("before"), text("after")),
            )
        })
        .collect()
}

contract! {
    async fn ending_removes_admin_access_and_reinstating_restores_only_the_relationship() {
        let server = spawn_server(20).await;
        let client = signed_in(&server, CONTOSO, Role::AdminAgent);
        let (id, read_at) = active_customer(&client).await;
        // Another dashboard of the partner, following the stream from the list's read.
        let watcher = signed_in(&server, CONTOSO, Role::HelpdeskAgent);
        let mut events = Box::pin(watcher.events(Some(read_at)));

        let read = client.customer_tagged(&id).await.expect("read");
        let ended = client
            .set_relationship(&id, Relationship::None, &read.etag)
            .await
            .expect("ended");
        assert_eq!(ended.value.relationship_to_partner, Relationship::None);
        assert!(!ended.value.allow_delegated_access, "admin access ends too");
        assert_ne!(ended.etag, read.etag, "a change moves the ETag on");
        let event = next_event(&mut events).await;
        assert_eq!(
            (event.kind, event.customer.id.as_str()),
            (EventKind::CustomerUpdated, id.as_str())
        );
        assert_eq!(event.customer.relationship_to_partner, Relationship::None);

        let back = client
            .set_relationship(&id, Relationship::Reseller, &ended.etag)
            .await
            .expect("reinstated");
        assert_eq!(back.value.relationship_to_partner, Relationship::Reseller);
        assert!(
            !back.value.allow_delegated_access,
            "admin access comes back only through a customer-bound link or GDAP"
        );
        let event = next_event(&mut events).await;
        assert_eq!(
            event.customer.relationship_to_partner,
            Relationship::Reseller
        );
        // The GET agrees with what the PATCH answered, ETag included.
        assert_eq!(client.customer_tagged(&id).await.expect("read"), back);

        let audit = audit_details(&server, &id).await;
        assert!(
            audit.contains(&(
                "endRelationship".into(),
                "relationshipToPartner reseller, allowDelegatedAccess true → \
                 relationshipToPartner none, allowDelegatedAccess false"
                    .into()
            )),
            "{audit:?}"
        );
        assert!(
            audit.contains(&(
                "reinstateRelationship".into(),
                "relationshipToPartner none → relationshipToPartner reseller".into()
            )),
            "{audit:?}"
        );
    }
}

contract! {
    async fn a_change_on_an_old_read_is_stale_and_overwrites_nothing() {
        let server = spawn_server(10).await;
        let mine = signed_in(&server, CONTOSO, Role::AdminAgent);
        let theirs = signed_in(&server, CONTOSO, Role::GlobalAdmin);
        let (id, _) = active_customer(&mine).await;
        let read = mine.customer_tagged(&id).await.expect("read");
        // Someone else ends it between my read and my change.
        let fresh = theirs.customer_tagged(&id).await.expect("read");
        theirs
            .set_relationship(&id, Relationship::None, &fresh.etag)
            .await
            .expect("ended by them");
        let err = mine
            .set_purchase_permission(&id, true, &read.etag)
            .await
            .expect_err("stale");
        assert!(err.is_stale(), "{err:?}");
        let err = mine
            .set_relationship(&id, Relationship::Reseller, &read.etag)
            .await
            .expect_err("stale");
        assert!(err.is_stale(), "{err:?}");
        assert!(
            !ClientError::NotFound {
                description: String::new()
            }
            .is_stale()
        );
        let now = mine.customer_tagged(&id).await.expect("read");
        assert_eq!(now.value.relationship_to_partner, Relationship::None);
    }
}

contract! {
    async fn purchase_permission_toggles_with_its_etag_an_event_and_an_audit_record() {
        let server = spawn_server(10).await;
        let client = signed_in(&server, CONTOSO, Role::GlobalAdmin);
        let (id, read_at) = active_customer(&client).await;
        let mut events = Box::pin(client.events(Some(read_at)));
        let read = client.purchase_permission(&id).await.expect("read");
        let flipped = client
            .set_purchase_permission(&id, !read.value, &read.etag)
            .await
            .expect("set");
        assert_eq!(flipped.value, !read.value);
        assert_eq!(
            client.purchase_permission(&id).await.expect("read"),
            flipped
        );
        let event = next_event(&mut events).await;
        assert_eq!(event.kind, EventKind::PurchasePermissionUpdated);
        assert_eq!(event.customer.id, id);
        let audit = audit_details(&server, &id).await;
        let expected = format!(
            "allowCustomerPurchase {} → allowCustomerPurchase {}",
            read.value, !read.value
        );
        assert!(
            audit.contains(&("updatePurchasePermission".into(), expected)),
            "{audit:?}"
        );
        // Setting what already holds changes nothing: same ETag, no new record.
        let again = client
            .set_purchase_permission(&id, flipped.value, &flipped.etag)
            .await
            .expect("set");
        assert_eq!(again, flipped);
        assert_eq!(audit_details(&server, &id).await.len(), audit.len());
    }
}

contract! {
    async fn a_sales_agent_may_read_but_not_change_and_another_partner_sees_nothing() {
        let server = spawn_server(10).await;
        let sales = signed_in(&server, CONTOSO, Role::SalesAgent);
        let (id, _) = active_customer(&sales).await;
        let read = sales.purchase_permission(&id).await.expect("read");
        let err = sales
            .set_purchase_permission(&id, !read.value, &read.etag)
            .await
            .expect_err("forbidden");
        assert!(
            matches!(&err, ClientError::Forbidden { description } if description.contains("Global admin")),
            "{err:?}"
        );
        let err = sales
            .set_relationship(&id, Relationship::None, &read.etag)
            .await
            .expect_err("forbidden");
        assert!(matches!(err, ClientError::Forbidden { .. }), "{err:?}");
        let other = signed_in(&server, FABRIKAM, Role::GlobalAdmin);
        let err = other
            .set_relationship(&id, Relationship::None, "*")
            .await
            .expect_err("not theirs");
        assert!(matches!(err, ClientError::NotFound { .. }), "{err:?}");
    }
}

contract! {
    async fn a_bad_relationship_value_is_400_naming_the_field() {
        let server = spawn_server(5).await;
        let (_, page) = server.get_json("/v1/customers?size=1").await;
        let id = page["items"][0]["id"].as_str().unwrap();
        for body in [json!({"relationshipToPartner": "partner"}), json!({})] {
            let request = server
                .request(
                    CONTOSO,
                    Role::AdminAgent,
                    Method::PATCH,
                    &format!("/v1/customers/{id}"),
                )
                .header("If-Match", "*")
                .json(&body);
            let (status, answer) = json(request.send().await.unwrap()).await;
            assert_eq!(status, 400, "{body}: {answer}");
            assert_eq!(answer["data"], json!(["relationshipToPartner"]), "{answer}");
        }
        let (_, customer) = server.get_json(&format!("/v1/customers/{id}")).await;
        assert_eq!(customer["relationshipToPartner"], "reseller");
    }
}
