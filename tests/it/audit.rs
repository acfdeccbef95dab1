//! The audit log over real HTTP (DESIGN.md §3 `GET /v1/auditrecords`): every change made through
//! the API lands there with its agent, customer, operation and before → after, the customer's own
//! acceptance of an invitation with the customer as the agent. Reading it (pages, filters, roles,
//! isolation, the client) is in `audit_reading`.
#![allow(clippy::unwrap_used)]

use cspdash::api::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::invite::{accept, invite_url};

/// Every record the partner's Global admin can read, newest first, walking all pages.
pub async fn records(
    server: &TestServer,
    partner: &'static str,
    first: &str,
) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut pages = 0;
    let mut request = server.request(partner, Role::GlobalAdmin, Method::GET, first);
    loop {
        let (status, body) = json(request.send().await.unwrap()).await;
        assert_eq!(status, 200, "{body}");
        pages += 1;
        items.extend(body["items"].as_array().unwrap().iter().cloned());
        let Some(next) = body["links"].get("next") else {
            return (items, pages);
        };
        request = server
            .http
            .get(next_url(&server.url, next["uri"].as_str().unwrap()))
            .bearer_auth(server.token(partner, Role::GlobalAdmin));
        for header in next["headers"].as_array().unwrap() {
            request = request.header(
                header["key"].as_str().unwrap(),
                header["value"].as_str().unwrap(),
            );
        }
    }
}

/// The newest record with `operation` about `customer_id`.
pub fn find<'a>(items: &'a [Value], operation: &str, customer_id: &str) -> &'a Value {
    items
        .iter()
        .find(|r| r["operationType"] == operation && r["customerId"] == customer_id)
        .unwrap_or_else(|| panic!("no {operation} for {customer_id} in {items:#?}"))
}

pub async fn create(server: &TestServer, name: &str, domain: &str) -> String {
    let (status, body) = server.post_customer(&new_customer(name, domain)).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().unwrap().to_string()
}

pub async fn send(server: &TestServer, method: Method, path: &str, body: Value) {
    let response = server
        .request(CONTOSO, Role::AdminAgent, method, path)
        .header("If-Match", "*")
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert!((200..300).contains(&status), "{path}: {status} {body}");
}

/// On a seeded customer whose users may be managed: adds a user, assigns it a license with a
/// free unit, removes the user. (customer id, the user's name, the license's product name).
async fn add_license_and_remove_user(server: &TestServer) -> (String, String, String) {
    let (customer, domain) = crate::users::manageable_customer(server).await;
    let (_, skus) = server
        .get_json(&format!("/v1/customers/{customer}/subscribedskus"))
        .await;
    let sku = skus["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["activeUnits"].as_i64().unwrap() > s["consumedUnits"].as_i64().unwrap())
        .expect("a SKU with a free unit")
        .clone();
    let upn = format!("audited.user@{domain}");
    let body = crate::users::new_user("audited.user", &domain);
    let (status, user, _) =
        crate::users::post_user(server, Role::AdminAgent, &customer, &body, "audit-user").await;
    assert_eq!(status, 201, "{user}");
    let path = format!(
        "/v1/customers/{customer}/users/{}",
        user["id"].as_str().unwrap()
    );
    let assign = json!({"licensesToAssign": [{"skuId": sku["productSku"]["id"]}]});
    send(
        server,
        Method::POST,
        &format!("{path}/licenseupdates"),
        assign,
    )
    .await;
    let response = server
        .request(CONTOSO, Role::AdminAgent, Method::DELETE, &path)
        .header("If-Match", "*")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let name = sku["productSku"]["name"].as_str().unwrap().to_string();
    (customer, upn, name)
}

contract! {
    async fn every_change_through_the_api_is_recorded_with_agent_customer_and_before_after() {
        let server = spawn_server(5).await;
        let id = create(&server, "Audit Trail GmbH", "audittrail.onmicrosoft.com").await;
        let path = format!("/v1/customers/{id}");
        send(
            &server,
            Method::PATCH,
            &path,
            json!({"relationshipToPartner": "none"}),
        )
        .await;
        send(
            &server,
            Method::PATCH,
            &path,
            json!({"relationshipToPartner": "reseller"}),
        )
        .await;
        let permission = format!("{path}/purchasepermission");
        let (_, was) = server.get_json(&permission).await;
        let allow = !was["allowCustomerPurchase"].as_bool().unwrap();
        send(
            &server,
            Method::PUT,
            &permission,
            json!({"allowCustomerPurchase": allow}),
        )
        .await;
        let (holder, upn, sku) = add_license_and_remove_user(&server).await;
        let old_link = invite_url(&server, CONTOSO, None).await;
        let rotate = server.request(
            CONTOSO,
            Role::GlobalAdmin,
            Method::POST,
            "/v1/customers/relationshiprequests/rotate",
        );
        assert_eq!(rotate.send().await.unwrap().status(), 200);
        let link = invite_url(&server, CONTOSO, None).await;
        assert_ne!(link, old_link);
        let (status, page) = accept(
            &server,
            &link,
            "Self Signed AG",
            "selfsigned.onmicrosoft.com",
        )
        .await;
        assert_eq!(status, 200, "{page}");

        let (items, _) = records(&server, CONTOSO, "/v1/auditrecords").await;
        let position = |r: &Value| items.iter().position(|i| i["id"] == r["id"]).unwrap();
        let created = find(&items, "createCustomer", &id);
        assert_eq!(created["customerName"], "Audit Trail GmbH");
        assert_eq!(created["resourceType"], "customer");
        assert_eq!(created["before"], "");
        let after = created["after"].as_str().unwrap();
        assert!(
            after.contains("audittrail.onmicrosoft.com")
                && after.contains("relationshipToPartner reseller"),
            "{after}"
        );
        let ended = find(&items, "endRelationship", &id);
        assert_eq!(
            ended["before"], "relationshipToPartner reseller, allowDelegatedAccess true",
            "{ended}"
        );
        assert_eq!(
            ended["after"], "relationshipToPartner none, allowDelegatedAccess false",
            "ending ends admin access too: {ended}"
        );
        assert!(
            ended["after"]
                .as_str()
                .unwrap()
                .starts_with("relationshipToPartner none"),
            "{ended}"
        );
        let reinstated = find(&items, "reinstateRelationship", &id);
        assert!(
            reinstated["after"]
                .as_str()
                .unwrap()
                .starts_with("relationshipToPartner reseller"),
            "{reinstated}"
        );
        let purchase = find(&items, "updatePurchasePermission", &id);
        assert_eq!(purchase["resourceType"], "purchasePermission");
        assert_eq!(
            purchase["before"],
            format!("allowCustomerPurchase {}", !allow)
        );
        assert_eq!(purchase["after"], format!("allowCustomerPurchase {allow}"));
        for record in [created, ended, reinstated, purchase] {
            let agent = record["agent"].as_str().unwrap();
            assert!(!agent.is_empty() && !record["agentId"].as_str().unwrap().is_empty());
            assert!(
                !agent.contains("customer"),
                "an agent of the partner: {record}"
            );
            assert!(record["operationDate"].as_str().unwrap().ends_with('Z'));
        }
        let added = find(&items, "addUser", &holder);
        assert_eq!(added["resourceType"], "user");
        assert_eq!(added["before"], "", "{added}");
        assert!(
            added["after"]
                .as_str()
                .unwrap()
                .starts_with(&format!("userPrincipalName {upn}, displayName Jane Doe")),
            "{added}"
        );
        let licensed = find(&items, "updateUserLicenses", &holder);
        assert_eq!(licensed["resourceType"], "license");
        assert_eq!(
            licensed["before"],
            format!("userPrincipalName {upn}, licenses none")
        );
        assert_eq!(
            licensed["after"],
            format!("userPrincipalName {upn}, licenses {sku}")
        );
        let removed = find(&items, "removeUser", &holder);
        assert_eq!(removed["resourceType"], "user");
        assert_eq!(
            removed["before"],
            format!("userPrincipalName {upn}, state active, licenses {sku}")
        );
        assert!(
            removed["after"]
                .as_str()
                .unwrap()
                .starts_with(&format!("userPrincipalName {upn}, state removed")),
            "{removed}"
        );
        assert!(position(added) > position(licensed) && position(licensed) > position(removed));
        let rotated = find(&items, "rotateInvitationLink", "");
        assert_eq!(rotated["resourceType"], "invitationLink");
        assert!(
            rotated["before"]
                .as_str()
                .unwrap()
                .starts_with("1 general link open"),
            "{rotated}"
        );
        assert!(
            rotated["after"]
                .as_str()
                .unwrap()
                .starts_with("a new general link"),
            "{rotated}"
        );

        // The customer's own acceptance: the customer is the agent.
        let accepted = items
            .iter()
            .find(|r| r["operationType"] == "acceptInvitation")
            .unwrap();
        assert_eq!(accepted["customerName"], "Self Signed AG");
        assert_eq!(accepted["agentId"], accepted["customerId"], "{accepted}");
        let agent = accepted["agent"].as_str().unwrap();
        assert!(
            agent.starts_with("Self Signed AG (customer") && agent.contains("it@example.com"),
            "{agent}"
        );
        assert_eq!(accepted["before"], "");
        assert!(
            accepted["after"]
                .as_str()
                .unwrap()
                .contains("selfsigned.onmicrosoft.com")
        );

        // Newest first: the acceptance came last, the customer's creation before all of its changes.
        assert_eq!(items[0]["operationType"], "acceptInvitation");
        assert!(position(created) > position(ended) && position(ended) > position(reinstated));
    }
}

contract! {
    async fn a_customers_own_acceptance_of_its_link_says_what_it_restored() {
        let server = spawn_server(5).await;
        let id = create(&server, "Comes Back Ltd", "comesback.onmicrosoft.com").await;
        let path = format!("/v1/customers/{id}");
        send(
            &server,
            Method::PATCH,
            &path,
            json!({"relationshipToPartner": "none"}),
        )
        .await;
        let (_, body) = server
            .get_json(&format!(
                "/v1/customers/relationshiprequests?customerId={id}"
            ))
            .await;
        let url = body["url"].as_str().unwrap();
        let (status, page) = accept(&server, url, "Whatever Typed", "typed.example").await;
        assert_eq!(status, 200, "{page}");
        let (items, _) = records(
            &server,
            CONTOSO,
            &format!("/v1/auditrecords?customerId={id}"),
        )
        .await;
        let restored = find(&items, "acceptInvitation", &id);
        assert_eq!(restored["agentId"], id.as_str());
        assert!(
            restored["agent"]
                .as_str()
                .unwrap()
                .starts_with("Comes Back Ltd (customer"),
            "the customer as the link names it, not what was typed: {restored}"
        );
        assert!(
            restored["before"]
                .as_str()
                .unwrap()
                .contains("relationshipToPartner none"),
            "{restored}"
        );
        assert!(
            restored["after"]
                .as_str()
                .unwrap()
                .contains("relationshipToPartner reseller"),
            "{restored}"
        );
    }
}
