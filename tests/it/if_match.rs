//! `If-Match` on every write to a single resource (RFC 9110 §13.1.1): only the current ETag (or
//! `*`, or a list holding it) lets a change through; any other value, whatever its form, is 412
//! and changes nothing; no `If-Match` at all is 428.
#![allow(clippy::unwrap_used)]

use cspdash::api::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::{CONTOSO, TestServer, contract, json, spawn_server};

/// Every route that changes one resource under `If-Match`: (method, path suffix, body).
fn writes() -> [(Method, &'static str, Value); 2] {
    [
        (Method::PATCH, "", json!({"relationshipToPartner": "none"})),
        (
            Method::PUT,
            "/purchasepermission",
            json!({"allowCustomerPurchase": true}),
        ),
    ]
}

async fn first_customer(server: &TestServer) -> String {
    let (_, page) = server.get_json("/v1/customers?size=1").await;
    page["items"][0]["id"].as_str().unwrap().to_string()
}

async fn current_etag(server: &TestServer, id: &str) -> String {
    let response = server
        .get(&format!("/v1/customers/{id}"))
        .send()
        .await
        .unwrap();
    response.headers()["etag"].to_str().unwrap().to_string()
}

async fn send(
    server: &TestServer,
    method: &Method,
    path: &str,
    body: &Value,
    if_match: Option<&str>,
) -> (u16, Value) {
    let mut request = server
        .request(CONTOSO, Role::AdminAgent, method.clone(), path)
        .json(body);
    if let Some(value) = if_match {
        request = request.header("If-Match", value);
    }
    json(request.send().await.unwrap()).await
}

contract! {
    async fn any_if_match_that_is_not_the_current_etag_is_412_and_changes_nothing() {
        let server = spawn_server(5).await;
        let id = first_customer(&server).await;
        let current = current_etag(&server, &id).await;
        let bare = current.trim_matches('"').to_string();
        let weak = format!("W/{current}");
        let stale = "\"stale\"".to_string();
        let older = "\"0\"".to_string();
        let padded = format!("\"0{bare}\"");
        let unquoted = bare.clone();
        let garbage = "not an etag, at all;".to_string();
        let empty = String::new();
        for (method, suffix, body) in writes() {
            let path = format!("/v1/customers/{id}{suffix}");
            for value in [&stale, &older, &padded, &weak, &unquoted, &garbage, &empty] {
                let (status, answer) = send(&server, &method, &path, &body, Some(value)).await;
                assert_eq!(
                    status, 412,
                    "{method} {suffix} If-Match {value:?}: {answer}"
                );
                assert_eq!(answer["errorName"], "PreconditionFailed", "{answer}");
                assert!(
                    answer["description"]
                        .as_str()
                        .unwrap()
                        .contains("changed since you read it"),
                    "{answer}"
                );
            }
            let (status, _) = send(&server, &method, &path, &body, None).await;
            assert_eq!(status, 428, "{method} {suffix} without If-Match");
        }
        // Nothing above changed the customer: its ETag and state are as read.
        assert_eq!(current_etag(&server, &id).await, current);
        let (_, customer) = server.get_json(&format!("/v1/customers/{id}")).await;
        assert_eq!(customer["relationshipToPartner"], "reseller");
    }
}

contract! {
    async fn a_list_holding_the_current_etag_or_a_star_lets_the_change_through() {
        let server = spawn_server(5).await;
        let id = first_customer(&server).await;
        let path = format!("/v1/customers/{id}");
        let current = current_etag(&server, &id).await;
        let list = format!("\"stale\", W/{current}, junk, {current}");
        let (status, ended) = send(
            &server,
            &Method::PATCH,
            &path,
            &json!({"relationshipToPartner": "none"}),
            Some(&list),
        )
        .await;
        assert_eq!(status, 200, "{ended}");
        assert_eq!(ended["relationshipToPartner"], "none");
        let (status, back) = send(
            &server,
            &Method::PATCH,
            &path,
            &json!({"relationshipToPartner": "reseller"}),
            Some("*"),
        )
        .await;
        assert_eq!(status, 200, "{back}");
        assert_eq!(back["relationshipToPartner"], "reseller");
        // The first ETag is spent: the change moved it on.
        let (status, _) = send(
            &server,
            &Method::PATCH,
            &path,
            &json!({"relationshipToPartner": "none"}),
            Some(&current),
        )
        .await;
        assert_eq!(status, 412);
    }
}
