//! License assignments over the HTTP API: units counted per SKU, refused at zero available
//! naming the SKU, a retried update taking no second unit, an unknown SKU a 400.
#![allow(clippy::unwrap_used)]

use cspdash::api::Role;
use reqwest::Method;
use serde_json::{Value, json};

use super::{audit_changes, new_user, post_user, units};
use crate::helpers::*;

async fn update_licenses(
    server: &TestServer,
    customer: &str,
    user: &str,
    body: &Value,
    request_id: &str,
) -> (u16, Value) {
    let request = server
        .request(
            CONTOSO,
            Role::AdminAgent,
            Method::POST,
            &format!("/v1/customers/{customer}/users/{user}/licenseupdates"),
        )
        .header("MS-RequestId", request_id)
        .json(body);
    json(request.send().await.unwrap()).await
}

/// The SKU with the fewest free units among manageable customers, to use them all up:
/// (customer id, domain, the SKU).
async fn scarcest_sku(server: &TestServer) -> (String, String, Value) {
    let (_, page) = server.get_json("/v1/customers?size=50").await;
    let mut best: Option<(i64, String, String, Value)> = None;
    for c in page["items"].as_array().unwrap() {
        if c["relationshipToPartner"] != "reseller" || c["allowDelegatedAccess"] != true {
            continue;
        }
        let id = c["id"].as_str().unwrap();
        let (_, skus) = server
            .get_json(&format!("/v1/customers/{id}/subscribedskus"))
            .await;
        for sku in skus["items"].as_array().unwrap() {
            let free =
                sku["activeUnits"].as_i64().unwrap() - sku["consumedUnits"].as_i64().unwrap();
            if best.as_ref().is_none_or(|(least, ..)| free < *least) {
                let domain = c["companyProfile"]["domain"].as_str().unwrap().to_string();
                best = Some((free, id.to_string(), domain, sku.clone()));
            }
        }
    }
    let (_, id, domain, sku) = best.expect("a customer with licenses");
    (id, domain, sku)
}

contract! {
    async fn licenses_are_counted_per_sku_and_refused_when_none_are_left() {
        let server = spawn_server(20).await;
        let (customer, domain, sku) = scarcest_sku(&server).await;
        let (sku_id, sku_name) = (
            sku["productSku"]["id"].as_str().unwrap().to_string(),
            sku["productSku"]["name"].as_str().unwrap().to_string(),
        );
        let (active, consumed) = units(&server, &customer, &sku_id).await;
        let assign = json!({"licensesToAssign": [{"skuId": sku_id}], "licensesToRemove": []});
        let mut holders = Vec::new();
        for n in 0..=(active - consumed) {
            let (status, user, _) = post_user(
                &server,
                Role::AdminAgent,
                &customer,
                &new_user(&format!("seat{n}"), &domain),
                &format!("seat-{n}"),
            )
            .await;
            assert_eq!(status, 201, "{user}");
            let uid = user["id"].as_str().unwrap().to_string();
            let (status, answer) =
                update_licenses(&server, &customer, &uid, &assign, &format!("lic-{n}")).await;
            if n < active - consumed {
                assert_eq!(status, 201, "{answer}");
                // A retried update takes no second unit.
                let (status, _) =
                    update_licenses(&server, &customer, &uid, &assign, &format!("lic-{n}")).await;
                assert_eq!(status, 201);
                assert_eq!(units(&server, &customer, &sku_id).await.1, consumed + n + 1);
                holders.push(uid);
            } else {
                assert_eq!(status, 409, "{answer}");
                let description = answer["description"].as_str().unwrap();
                assert!(
                    description.contains(&sku_name),
                    "must name the SKU: {description}"
                );
                assert!(description.contains("available"), "{description}");
            }
        }
        assert_eq!(units(&server, &customer, &sku_id).await, (active, active));
        let (_, licenses) = server
            .get_json(&format!(
                "/v1/customers/{customer}/users/{}/licenses",
                holders[0]
            ))
            .await;
        assert_eq!(
            licenses["items"][0]["productSku"]["name"],
            sku_name.as_str()
        );
        let release = json!({"licensesToAssign": [], "licensesToRemove": [sku_id]});
        let (status, answer) =
            update_licenses(&server, &customer, &holders[0], &release, "free-1").await;
        assert_eq!(status, 201, "{answer}");
        assert_eq!(
            units(&server, &customer, &sku_id).await,
            (active, active - 1)
        );
        let changes = audit_changes(&server, "updateUserLicenses", "license").await;
        assert!(
            changes[0].0.ends_with(&format!("licenses {sku_name}"))
                && changes[0].1.ends_with("licenses none"),
            "{changes:?}"
        );
        let unknown = json!({"licensesToAssign": [{"skuId": "no-such-sku"}]});
        let (status, answer) =
            update_licenses(&server, &customer, &holders[0], &unknown, "bad-1").await;
        assert_eq!(status, 400, "{answer}");
        assert_eq!(answer["data"][0], "licensesToAssign");
        assert!(
            answer["description"]
                .as_str()
                .unwrap()
                .contains("no-such-sku")
        );
    }
}
