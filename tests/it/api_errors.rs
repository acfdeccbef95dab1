//! Bad input gets a clear error body (`code`, `description`, `errorName`) and changes nothing.
#![allow(clippy::unwrap_used)]

use cspdash::api::Role;
use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::*;

async fn total(server: &TestServer) -> u64 {
    let (_, page) = server.get_json("/v1/customers?size=1").await;
    page["totalCount"].as_u64().unwrap()
}

fn assert_error_shape(body: &Value) {
    assert!(body["code"].is_i64(), "{body}");
    assert!(!body["description"].as_str().unwrap().is_empty(), "{body}");
    assert!(!body["errorName"].as_str().unwrap().is_empty(), "{body}");
}

#[tokio::test]
async fn bad_customer_bodies_are_refused_naming_the_field_and_add_nothing() {
    let server = spawn_server(10).await;
    let before = total(&server).await;
    let mut no_domain = new_customer("A", "a.example");
    no_domain["companyProfile"]["domain"] = json!("");
    let mut bad_domain = new_customer("A", "a.example");
    bad_domain["companyProfile"]["domain"] = json!("not a domain");
    let mut bad_email = new_customer("A", "a.example");
    bad_email["billingProfile"]["email"] = json!("nobody");
    let mut no_name = new_customer("", "a.example");
    no_name["billingProfile"]["companyName"] = json!("  ");
    let mut control = new_customer("Evil\u{1b}[31mCorp", "a.example");
    control["billingProfile"]["companyName"] = json!("Evil\u{1b}[31mCorp");
    let cases = [
        (no_domain, "companyProfile.domain"),
        (bad_domain, "companyProfile.domain"),
        (bad_email, "billingProfile.email"),
        (no_name, "billingProfile.companyName"),
        (control, "billingProfile.companyName"),
    ];
    for (body, field) in cases {
        let (status, err) = server.post_customer(&body).await;
        assert_eq!(status, 400, "{field}: {err}");
        assert_error_shape(&err);
        assert_eq!(err["data"][0], field);
        assert!(
            err["description"].as_str().unwrap().starts_with(field),
            "{err}"
        );
    }
    assert_eq!(total(&server).await, before);
}

#[tokio::test]
async fn malformed_json_is_400_and_a_body_over_a_mebibyte_is_413() {
    let server = spawn_server(5).await;
    let post = |body: Vec<u8>| {
        server
            .request(CONTOSO, Role::AdminAgent, Method::POST, "/v1/customers")
            .header("content-type", "application/json")
            .body(body)
    };
    let (status, err) = json(
        post(b"{\"companyProfile\": ".to_vec())
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    assert_eq!(err["errorName"], "InvalidJson");
    assert_error_shape(&err);
    let huge = format!("{{\"pad\": \"{}\"}}", "x".repeat(1024 * 1024 + 10));
    let (status, err) = json(post(huge.into_bytes()).send().await.unwrap()).await;
    assert_eq!(status, 413, "{err}");
    assert_error_shape(&err);
    assert_eq!(total(&server).await, 5);
}

#[tokio::test]
async fn an_unknown_continuation_token_or_filter_is_400_with_a_hint() {
    let server = spawn_server(5).await;
    let response = server
        .get("/v1/customers")
        .header("MS-ContinuationToken", "forged-token")
        .send()
        .await
        .unwrap();
    let (status, err) = json(response).await;
    assert_eq!(status, 400);
    assert_eq!(err["errorName"], "InvalidContinuationToken");
    for bad in [
        "CompanyName:con",
        "{\"Field\":\"Phone\",\"Value\":\"1\",\"Operator\":\"starts_with\"}",
        "{\"Field\":\"Domain\",\"Value\":\"a\",\"Operator\":\"contains\"}",
    ] {
        let url = format!(
            "/v1/customers?filter={}",
            percent_encoding::utf8_percent_encode(bad, percent_encoding::NON_ALPHANUMERIC)
        );
        let (status, err) = server.get_json(&url).await;
        assert_eq!(status, 400, "{bad}");
        assert_eq!(err["data"][0], "filter");
        assert!(
            err["description"].as_str().unwrap().contains("starts_with"),
            "{err}"
        );
    }
    let (status, err) = server.get_json("/v1/customers?size=zero").await;
    assert_eq!(status, 400);
    assert_eq!(err["data"][0], "size");
}

#[tokio::test]
async fn an_unknown_role_is_400_listing_the_roles() {
    let server = spawn_server(5).await;
    let (status, err) = server.get_json("/v1/agents?role=superuser").await;
    assert_eq!(status, 400);
    assert!(
        err["description"]
            .as_str()
            .unwrap()
            .contains("helpdesk-agent"),
        "{err}"
    );
    let (status, agents) = server.get_json("/v1/agents?role=sales-agent").await;
    assert_eq!(status, 200);
    assert_eq!(agents["items"][0]["name"], "Lee Gu");
}

#[tokio::test]
async fn unknown_paths_are_404_in_the_error_shape_and_correlation_ids_are_echoed() {
    let server = spawn_server(5).await;
    let response = server
        .get("/v1/nothing-here")
        .header("MS-CorrelationId", "corr-123")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["ms-correlationid"], "corr-123");
    let (status, err) = json(response).await;
    assert_eq!(status, 404);
    assert_error_shape(&err);
}
