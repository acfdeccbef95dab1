//! What a user notices when the backend misbehaves: rate limits, flaky 5xx, slowness, proxies'
//! HTML pages, rejected tokens, an unreachable host, unexpected JSON.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::Router;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use cspdash::api::{BillingProfile, NewCustomer};
use cspdash::client::{Client, ClientError, ClientOptions};

use crate::fake_backend::{Hits, client, customer, error_body, me, quick_options, serve};

/// A backend whose `/v1/me` answers `first` on the first request and `me` afterwards.
async fn me_backend(hits: Hits, first: fn() -> Response) -> String {
    let router = Router::new().route(
        "/v1/me",
        get(move || async move {
            match hits.record() {
                0 => first(),
                _ => Json(me()).into_response(),
            }
        }),
    );
    serve(router).await
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_and_the_call_succeeds() {
    let hits = Hits::default();
    let url = me_backend(hits.clone(), || {
        (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "1")]).into_response()
    })
    .await;
    let me = client(&url).me().await.expect("succeeds after waiting");
    assert_eq!(me.partner_name, "Contoso Partner");
    assert_eq!(hits.count(), 2);
}

#[tokio::test]
async fn a_429_asking_for_longer_than_the_cap_is_reported_at_once_with_the_servers_wait() {
    let hits = Hits::default();
    let url = me_backend(hits.clone(), || {
        (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, "120")],
        )
            .into_response()
    })
    .await;
    let err = client(&url).me().await.expect_err("rate limited");
    assert!(
        matches!(err, ClientError::RateLimited { retry_after } if retry_after == Duration::from_secs(120)),
        "{err:?}"
    );
    assert_eq!(hits.count(), 1, "no retry when the wait exceeds the cap");
}

#[tokio::test]
async fn a_backend_that_keeps_rate_limiting_is_reported_after_the_last_attempt() {
    let hits = Hits::default();
    let counter = hits.clone();
    let router = Router::new().route(
        "/v1/me",
        get(move || async move {
            counter.record();
            (StatusCode::TOO_MANY_REQUESTS, [(header::RETRY_AFTER, "0")])
        }),
    );
    let url = serve(router).await;
    let err = client(&url).me().await.expect_err("rate limited");
    assert!(matches!(err, ClientError::RateLimited { .. }), "{err:?}");
    assert_eq!(hits.count(), quick_options().retry.max_attempts as usize);
}

#[tokio::test]
async fn a_500_then_a_200_is_retried_transparently() {
    let hits = Hits::default();
    let url = me_backend(hits.clone(), || {
        (
            StatusCode::INTERNAL_SERVER_ERROR,
            Json(error_body(500, "database is busy")),
        )
            .into_response()
    })
    .await;
    let me = client(&url).me().await.expect("retried");
    assert_eq!(me.agent, "Alex");
    assert_eq!(hits.count(), 2);
}

#[tokio::test]
async fn a_backend_that_never_answers_times_out_naming_the_url() {
    let router = Router::new().route("/v1/me", get(std::future::pending::<()>));
    let url = serve(router).await;
    let options = ClientOptions {
        request_timeout: Duration::from_millis(300),
        ..quick_options()
    };
    let client = Client::with_options(&url, "t", options).expect("client");
    let err = client.me().await.expect_err("times out");
    let message = err.to_string();
    assert!(matches!(err, ClientError::Timeout { .. }), "{err:?}");
    assert!(
        message.contains(&format!("{url}/v1/me did not answer within")),
        "{message}"
    );
    assert!(err.is_transient());
}

#[tokio::test]
async fn a_proxys_html_502_is_retried_then_explained_without_markup() {
    let hits = Hits::default();
    let counter = hits.clone();
    let router = Router::new().route(
        "/v1/me",
        get(move || async move {
            counter.record();
            (
                StatusCode::BAD_GATEWAY,
                [(header::CONTENT_TYPE, "text/html")],
                "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>",
            )
        }),
    );
    let url = serve(router).await;
    let err = client(&url).me().await.expect_err("502");
    let message = err.to_string();
    assert!(
        matches!(err, ClientError::Status { status: 502, .. }),
        "{err:?}"
    );
    assert!(message.contains("Bad Gateway"), "{message}");
    assert!(message.contains(&format!("{url}/v1/me")), "{message}");
    assert!(!message.contains('<'), "{message}");
    assert_eq!(hits.count(), quick_options().retry.max_attempts as usize);
}

#[tokio::test]
async fn a_rejected_token_is_unauthorized_at_once_and_the_token_was_sent_as_bearer() {
    let hits = Hits::default();
    let seen = Arc::new(Mutex::new(None::<String>));
    let (counter, seen_in) = (hits.clone(), seen.clone());
    let router = Router::new().route(
        "/v1/me",
        get(move |headers: HeaderMap| async move {
            counter.record();
            let auth = headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok());
            *seen_in.lock().expect("lock") = auth.map(str::to_string);
            (
                StatusCode::UNAUTHORIZED,
                Json(error_body(401, "the token is revoked")),
            )
        }),
    );
    let url = serve(router).await;
    let err = client(&url).me().await.expect_err("401");
    assert_eq!(err.to_string(), "token rejected: the token is revoked");
    assert_eq!(hits.count(), 1, "a wrong token is not retried");
    assert_eq!(
        seen.lock().expect("lock").as_deref(),
        Some("Bearer test-token")
    );
}

#[tokio::test]
async fn a_403_carries_the_backends_explanation() {
    let router = Router::new().route(
        "/v1/customers",
        post(|| async {
            let body = error_body(403, "Helpdesk agent may not add customers: Global admin, Admin agent or Sales agent may");
            (StatusCode::FORBIDDEN, Json(body))
        }),
    );
    let url = serve(router).await;
    let err = client(&url)
        .create_customer(&NewCustomer::default(), "req-1")
        .await
        .expect_err("403");
    assert!(
        matches!(&err, ClientError::Forbidden { description } if description.contains("Sales agent may")),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_unreachable_backend_says_it_cannot_be_reached() {
    // A port that was free a moment ago: nothing listens there now.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let err = client(&format!("http://{addr}"))
        .me()
        .await
        .expect_err("unreachable");
    assert!(matches!(err, ClientError::Unreachable { .. }), "{err:?}");
    assert!(
        err.to_string()
            .starts_with(&format!("cannot reach http://{addr}/v1/me")),
        "{err}"
    );
}

#[tokio::test]
async fn an_unexpected_json_shape_is_a_decode_error_naming_the_url() {
    let router = Router::new().route(
        "/v1/customers/c1",
        get(|| async { Json(serde_json::json!({"name": "x"})) }),
    );
    let url = serve(router).await;
    let err = client(&url).customer("c1").await.expect_err("decode");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!("unexpected response from {url}/v1/customers/c1")),
        "{message}"
    );
    assert!(message.contains("missing field `id`"), "{message}");
}

#[tokio::test]
async fn a_retried_post_sends_the_same_request_id_so_nothing_is_created_twice() {
    let ids = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = ids.clone();
    let router = Router::new().route(
        "/v1/customers",
        post(
            move |headers: HeaderMap, Json(body): Json<NewCustomer>| async move {
                let id = headers
                    .get("MS-RequestId")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_string();
                let first = {
                    let mut ids = seen.lock().expect("lock");
                    ids.push(id);
                    ids.len() == 1
                };
                if first {
                    return (
                        StatusCode::SERVICE_UNAVAILABLE,
                        Json(error_body(503, "try again")),
                    )
                        .into_response();
                }
                (
                    StatusCode::CREATED,
                    Json(customer("new-1", &body.billing_profile.company_name)),
                )
                    .into_response()
            },
        ),
    );
    let url = serve(router).await;
    let new = NewCustomer {
        billing_profile: BillingProfile {
            company_name: "Müller & Söhne GmbH".into(),
            ..BillingProfile::default()
        },
        ..NewCustomer::default()
    };
    let created = client(&url)
        .create_customer(&new, "req-42")
        .await
        .expect("created");
    assert_eq!(created.company_profile.company_name, "Müller & Söhne GmbH");
    assert_eq!(
        *ids.lock().expect("lock"),
        vec!["req-42".to_string(), "req-42".to_string()]
    );
}
