//! Nothing a client sends grows the server without bound, or gets past a cap (issue 8 §3):
//! junk invitation codes, forged continuation tokens, unknown tokens, event streams per token.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use cspdash::api::Role;
use cspdash::server::store::Store;
use cspdash::server::{AppState, ServerLimits, auth, spawn};
use futures::StreamExt;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::helpers::*;

#[tokio::test]
async fn thousands_of_junk_invitation_codes_get_a_404_page_and_leave_the_limiter_empty() {
    let server = spawn_server(5).await;
    let statuses: Vec<u16> = futures::stream::iter(0..3_000)
        .map(|i| {
            let url = format!("{}/invite/junk{i}x{}/accept", server.url, i * 7919);
            let http = server.http.clone();
            async move {
                http.post(url)
                    .form(&[
                        ("companyName", "X"),
                        ("domain", "x.com"),
                        ("email", "a@x.com"),
                    ])
                    .send()
                    .await
                    .unwrap()
                    .status()
                    .as_u16()
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    assert!(statuses.iter().all(|s| *s == 404), "every junk code is 404");
    assert_eq!(
        server.state.invite_limiter_len(),
        0,
        "junk codes create no limiter entry"
    );
}

/// The first page's `links.next` header value.
async fn next_token(server: &TestServer, path: &str) -> String {
    let (status, body) = server.get_json(path).await;
    assert_eq!(status, 200, "{body}");
    body["links"]["next"]["headers"][0]["value"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn continued(server: &TestServer, url: &str, token: &str) -> (u16, Value) {
    json(
        server
            .http
            .get(url)
            .bearer_auth(server.token(CONTOSO, Role::AdminAgent))
            .header("MS-ContinuationToken", token)
            .send()
            .await
            .unwrap(),
    )
    .await
}

fn assert_refused_token(status: u16, body: &Value) {
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errorName"], "InvalidContinuationToken");
    assert_eq!(body["data"][0], "MS-ContinuationToken");
    assert!(body.get("items").is_none(), "nothing returned");
}

#[tokio::test]
async fn a_forged_or_altered_continuation_token_is_400_and_returns_nothing() {
    let server = spawn_server(30).await;
    let url = format!("{}/v1/customers?seekOperation=Next", server.url);
    // The attack of the issue: an unsigned token asking for 4294967295 rows.
    let forged = URL_SAFE_NO_PAD.encode(br#"{"v":1,"k":"","i":"0","s":4294967295}"#);
    let (status, body) = continued(&server, &url, &forged).await;
    assert_refused_token(status, &body);

    let token = next_token(&server, "/v1/customers?size=5").await;
    // The same payload with a raised size, the signature kept.
    let (payload, tag) = token.split_once('.').unwrap();
    let mut json: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    json["s"] = 4_294_967_295u64.into();
    let altered = format!(
        "{}.{tag}",
        URL_SAFE_NO_PAD.encode(serde_json::to_vec(&json).unwrap())
    );
    let (status, body) = continued(&server, &url, &altered).await;
    assert_refused_token(status, &body);

    let (status, body) = continued(&server, &url, &token).await;
    assert_eq!(status, 200, "the genuine token still pages: {body}");
    assert_eq!(body["items"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn a_token_issued_by_one_server_is_accepted_by_another_on_the_same_database() {
    let first = spawn_server(30).await;
    let token = next_token(&first, "/v1/customers?size=5").await;

    // A second process over the same file: its own AppState, the key read from the database.
    let store = first.open_again();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(store, &url, 100);
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    spawn(listener, state, async {
        let _ = stopped.await;
    })
    .unwrap();
    let (status, body) = continued(&first, &format!("{url}/v1/customers"), &token).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["items"].as_array().unwrap().len(), 5);

    // A server over another database has another key.
    let other = spawn_server(30).await;
    let foreign = format!("{}/v1/customers", other.url);
    let response = other
        .http
        .get(foreign)
        .bearer_auth(other.token(CONTOSO, Role::AdminAgent))
        .header("MS-ContinuationToken", &token)
        .send()
        .await
        .unwrap();
    let (status, body) = json(response).await;
    assert_refused_token(status, &body);
}

#[tokio::test]
async fn a_burst_of_bad_tokens_gets_429_before_the_database_and_a_good_token_still_works() {
    let server = spawn_server_with_limits(
        5,
        ServerLimits {
            failed_auth_per_sec: 1,
            failed_auth_burst: 5,
            // Every request of the good token is checked against the database again, so this
            // shows a known token passes even while its address is blocked.
            auth_cache_ttl: Duration::from_millis(1),
            ..ServerLimits::default()
        },
    )
    .await;
    let me = format!("{}/v1/me", server.url);
    let good = server.token(CONTOSO, Role::HelpdeskAgent).to_string();
    let get = |token: String| {
        let request = server.http.get(&me).bearer_auth(token);
        async move { request.send().await.unwrap() }
    };
    assert_eq!(get(good.clone()).await.status(), StatusCode::OK);

    let mut statuses = Vec::new();
    let mut retry_after = None;
    for i in 0..30 {
        let response = get(format!("csp_guess{i}")).await;
        if response.status() == StatusCode::TOO_MANY_REQUESTS {
            retry_after = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_string());
        }
        statuses.push(response.status().as_u16());
    }
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(statuses[..5].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(refused >= 15, "most guesses are refused: {statuses:?}");
    assert!(retry_after.is_some_and(|v| v.parse::<u64>().unwrap() >= 1));
    assert_eq!(server.state.failed_auth_len(), 1, "one entry: the address");

    let response = get(good).await;
    assert_eq!(
        response.status(),
        StatusCode::OK,
        "the known token still works"
    );

    // A valid token this server has not seen yet waits for the address to cool down (it
    // cannot be told from a guess without the database), then works.
    let fresh = server.token(CONTOSO, Role::SalesAgent).to_string();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = get(fresh.clone()).await.status();
        if status == StatusCode::OK {
            break;
        }
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert!(Instant::now() < deadline, "never let in");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// An open event stream: its body, read chunk by chunk.
struct Stream {
    body:
        std::pin::Pin<Box<dyn futures::Stream<Item = reqwest::Result<hyper::body::Bytes>> + Send>>,
    seen: String,
}

async fn open_stream(server: &TestServer, role: Role) -> Stream {
    let response = server
        .request(CONTOSO, role, Method::GET, "/v1/events")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    Stream {
        body: Box::pin(response.bytes_stream()),
        seen: String::new(),
    }
}

impl Stream {
    /// Reads until `text` arrived (true) or the stream ended (false); panics past the deadline.
    async fn read_until(&mut self, text: &str) -> bool {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        while !self.seen.contains(text) {
            match tokio::time::timeout_at(deadline, self.body.next()).await {
                Err(_) => panic!("neither {text:?} nor the end within 30 s: {}", self.seen),
                Ok(Some(Ok(chunk))) => self.seen.push_str(&String::from_utf8_lossy(&chunk)),
                Ok(Some(Err(_)) | None) => return false,
            }
        }
        true
    }
}

#[tokio::test]
async fn a_ninth_stream_on_one_token_closes_the_first_and_other_tokens_are_unaffected() {
    let server = spawn_server(5).await;
    let mut other = open_stream(&server, Role::AdminAgent).await;
    let mut streams = Vec::new();
    for _ in 0..9 {
        streams.push(open_stream(&server, Role::HelpdeskAgent).await);
    }
    let key = auth::token_hash(server.token(CONTOSO, Role::HelpdeskAgent));
    assert!(
        !streams[0].read_until("never sent").await,
        "the oldest stream ended"
    );
    assert_eq!(server.state.streams().count(&key), 8);

    let (status, body) = server
        .post_customer(&new_customer("Ninth Stream Ltd", "ninth-stream.example"))
        .await;
    assert_eq!(status, 201, "{body}");
    assert!(streams[8].read_until("ninth-stream.example").await);
    assert!(streams[1].read_until("ninth-stream.example").await);
    assert!(other.read_until("ninth-stream.example").await);

    drop(streams);
    let deadline = Instant::now() + Duration::from_secs(30);
    while server.state.streams().count(&key) > 0 {
        assert!(Instant::now() < deadline, "closed streams leave entries");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
