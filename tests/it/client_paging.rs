//! Paging as DESIGN.md §3 writes it: `links.next` in its three spellings with its headers sent back,
//! the filter parameter, and sub-resource collections returned as plain lists.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use cspdash::api::{CustomerFilter, FilterField};
use cspdash::client::ClientError;
use futures::StreamExt;
use serde_json::{Value, json};

use crate::fake_backend::{client, customer, error_body, serve};

fn page(items: Vec<Value>, next: Option<(String, &str)>) -> Response {
    let mut body =
        json!({"totalCount": 6, "items": items, "attributes": {"objectType": "Collection"}});
    if let Some((uri, token)) = next {
        body["links"] = json!({"next": {"uri": uri, "method": "GET",
            "headers": [{"key": "MS-ContinuationToken", "value": token}]}});
    }
    Json(body).into_response()
}

/// Six customers in four pages; each `links.next` is spelled differently. `broken_after` makes the
/// page after that token fail as an unknown token would.
fn customers_router(broken_after: Option<&'static str>) -> Router {
    Router::new().route(
        "/v1/customers",
        get(move |headers: HeaderMap| async move {
            let token = headers
                .get("MS-ContinuationToken")
                .and_then(|v| v.to_str().ok());
            let host = headers
                .get(header::HOST)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if token.is_some() && token == broken_after {
                let body = error_body(400, "unknown continuation token");
                return (StatusCode::BAD_REQUEST, Json(body)).into_response();
            }
            match token {
                None => page(
                    vec![customer("c1", "Alpha"), customer("c2", "Bravo")],
                    Some(("/customers?size=2&seekOperation=Next".into(), "after-bravo")),
                ),
                Some("after-bravo") => page(
                    vec![customer("c3", "Charlie"), customer("c4", "Delta")],
                    Some((
                        "/v1/customers?size=2&seekOperation=Next".into(),
                        "after-delta",
                    )),
                ),
                Some("after-delta") => page(
                    vec![customer("c5", "Echo")],
                    Some((
                        format!("http://{host}/v1/customers?size=2&seekOperation=Next"),
                        "after-echo",
                    )),
                ),
                Some("after-echo") => page(vec![customer("c6", "Foxtrot")], None),
                Some(_) => {
                    (StatusCode::BAD_REQUEST, Json(error_body(400, "bad token"))).into_response()
                }
            }
        }),
    )
}

#[tokio::test]
async fn every_customer_arrives_once_in_order_whichever_way_next_links_are_spelled() {
    let url = serve(customers_router(None)).await;
    let pages: Vec<_> = client(&url).customer_pages(2, None).collect().await;
    let mut names = Vec::new();
    for page in pages.iter() {
        let page = page.as_ref().expect("every page loads");
        names.extend(
            page.items
                .iter()
                .map(|c| c.company_profile.company_name.clone()),
        );
    }
    assert_eq!(
        names,
        ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]
    );
    assert_eq!(pages.len(), 4);
}

#[tokio::test]
async fn a_failing_page_is_reported_and_the_stream_stops_there() {
    let url = serve(customers_router(Some("after-bravo"))).await;
    let pages: Vec<_> = client(&url).customer_pages(2, None).collect().await;
    assert_eq!(pages.len(), 2);
    assert!(pages[0].is_ok());
    assert!(
        matches!(&pages[1], Err(ClientError::Status { status: 400, body }) if body.description == "unknown continuation token"),
        "{:?}",
        pages[1]
    );
}

#[tokio::test]
async fn the_filter_reaches_the_backend_as_the_documented_json() {
    let seen = Arc::new(Mutex::new(HashMap::new()));
    let seen_in = seen.clone();
    let router = Router::new().route(
        "/v1/customers",
        get(
            move |Query(query): Query<HashMap<String, String>>| async move {
                *seen_in.lock().expect("lock") = query;
                page(vec![customer("c1", "Müller & Söhne GmbH")], None)
            },
        ),
    );
    let url = serve(router).await;
    let filter = CustomerFilter::starts_with(FilterField::CompanyName, "müller & s");
    let page = client(&url)
        .customers_page(None, 25, Some(&filter))
        .await
        .expect("page");
    assert_eq!(page.items.len(), 1);
    let query = seen.lock().expect("lock").clone();
    assert_eq!(query.get("size").map(String::as_str), Some("25"));
    let sent: CustomerFilter =
        serde_json::from_str(query.get("filter").expect("filter sent")).expect("filter is JSON");
    assert_eq!(sent, filter);
}

#[tokio::test]
async fn sub_resources_come_back_as_lists_even_when_the_backend_pages_them() {
    let router = Router::new()
        .route(
            "/v1/customers/c1/subscriptions",
            get(|| async {
                Json(json!({"totalCount": 2, "items": [
                    {"id": "s1", "offerName": "Microsoft 365 Business Premium", "quantity": 25, "status": "active"},
                    {"id": "s2", "offerName": "Azure plan", "status": "active", "unknownField": 1}
                ]}))
            }),
        )
        .route(
            "/v1/customers/c1/users",
            get(|headers: HeaderMap| async move {
                let user = |id: &str| json!({"id": id, "userPrincipalName": format!("{id}@c1.example"), "state": "active"});
                match headers.get("MS-ContinuationToken") {
                    None => Json(json!({"totalCount": 2, "items": [user("u1")], "links": {"next":
                        {"uri": "/customers/c1/users?seekOperation=Next",
                         "headers": [{"key": "MS-ContinuationToken", "value": "u"}]}}})),
                    Some(_) => Json(json!({"totalCount": 2, "items": [user("u2")]})),
                }
            }),
        )
        .route(
            "/v1/customers/c1/subscribedskus",
            get(|| async {
                Json(json!({"totalCount": 1, "items": [
                    {"productSku": {"name": "Exchange Online (Plan 1)", "skuPartNumber": "EXCHANGESTANDARD"},
                     "activeUnits": 10, "consumedUnits": 7}
                ]}))
            }),
        );
    let url = serve(router).await;
    let client = client(&url);
    let offers: Vec<String> = client
        .subscriptions("c1")
        .await
        .expect("subscriptions")
        .into_iter()
        .map(|s| s.offer_name)
        .collect();
    assert_eq!(offers, ["Microsoft 365 Business Premium", "Azure plan"]);
    let users: Vec<String> = client
        .users("c1")
        .await
        .expect("users")
        .into_iter()
        .map(|u| u.id)
        .collect();
    assert_eq!(users, ["u1", "u2"]);
    let skus = client.subscribed_skus("c1").await.expect("skus");
    assert_eq!(skus[0].available_units(), 3);
}
