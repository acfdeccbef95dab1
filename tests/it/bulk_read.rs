//! The bulk read and compression on the real server over HTTP: one streamed response holds exactly
//! the pages paging gives (ids, order, count) for each partner and filter, it asks for a token as
//! the list does, JSON is compressed when (and only when) the client accepts it, and the event
//! stream is never compressed; the typed client reads the whole list in one request.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::Request;
use axum::middleware::{self, Next};
use cspdash::api::{BULK_CONTENT_TYPE, Role};
use cspdash::client::Client;
use futures::StreamExt;
use reqwest::Method;
use reqwest::header::{ACCEPT, ACCEPT_ENCODING, CONTENT_ENCODING, CONTENT_TYPE};
use serde_json::Value;

use crate::fake_backend::quick_options;
use crate::helpers::{
    CONTOSO, FABRIKAM, TestServer, contract, filter_path, new_customer, spawn_server, walk,
};

const DEADLINE: Duration = Duration::from_secs(30);

/// A client that neither asks for nor undoes compression, so the test sees the wire as it is.
fn raw_http() -> reqwest::Client {
    reqwest::Client::builder()
        .no_gzip()
        .no_zstd()
        .build()
        .expect("client")
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_string())
        .collect()
}

/// The bulk read of `path` as `partner`: status, content type and every line's page.
async fn bulk(server: &TestServer, partner: &'static str, path: &str) -> (u16, String, Vec<Value>) {
    let response = server
        .request(partner, Role::SalesAgent, Method::GET, path)
        .header(ACCEPT, BULK_CONTENT_TYPE)
        .send()
        .await
        .expect("send");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| v.to_str().expect("ascii").to_string())
        .unwrap_or_default();
    let text = response.text().await.expect("body");
    let pages = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    (status, content_type, pages)
}

contract! {
    async fn the_bulk_read_holds_exactly_the_pages_paging_gives_for_each_partner_and_filter() {
        let server = spawn_server(2_500).await;
        let mut seen_by = Vec::new();
        for (partner, path) in [
            (CONTOSO, "/v1/customers?size=1000".to_string()),
            (FABRIKAM, "/v1/customers?size=1000".to_string()),
            (CONTOSO, filter_path("CompanyName", "a", 70)),
        ] {
            let (paged, page_count) = walk(&server, partner, &path).await;
            let (status, content_type, pages) = bulk(&server, partner, &path).await;
            assert_eq!(status, 200, "{pages:?}");
            assert_eq!(content_type, BULK_CONTENT_TYPE);
            assert_eq!(pages.len(), page_count, "one line per page, for {path}");
            let streamed: Vec<Value> = pages
                .iter()
                .flat_map(|p| p["items"].as_array().expect("items").clone())
                .collect();
            assert_eq!(ids(&streamed), ids(&paged), "same ids in the same order");
            assert_eq!(pages[0]["totalCount"].as_u64(), Some(paged.len() as u64));
            // Every line but the last says where a paged read would continue.
            let last = pages.len() - 1;
            for (i, page) in pages.iter().enumerate() {
                assert_eq!(page["links"].get("next").is_some(), i < last, "line {i}");
            }
            seen_by.push(ids(&streamed));
        }
        assert_eq!(seen_by[0].len(), 2_500);
        assert!(!seen_by[1].is_empty(), "Fabrikam has customers of its own");
        assert!(
            seen_by[1].iter().all(|id| !seen_by[0].contains(id)),
            "no partner's bulk read shows another's customers"
        );
    }
}

contract! {
    async fn the_bulk_read_continues_from_a_continuation_token_and_asks_for_a_token_like_the_list() {
        let server = spawn_server(300).await;
        let (_, first) = server.get_json("/v1/customers?size=100").await;
        let token = first["links"]["next"]["headers"][0]["value"]
            .as_str()
            .expect("token");
        let response = server
            .get("/v1/customers")
            .header("MS-ContinuationToken", token)
            .header(ACCEPT, BULK_CONTENT_TYPE)
            .send()
            .await
            .expect("send");
        assert!(response.headers().get("CSPDash-Last-Event-Id").is_none());
        let text = response.text().await.expect("body");
        let rest: usize = text
            .lines()
            .map(|l| {
                serde_json::from_str::<Value>(l).expect("json")["items"]
                    .as_array()
                    .map_or(0, Vec::len)
            })
            .sum();
        assert_eq!(rest, 200, "the pages after the token, and only those");

        let refused = server
            .http
            .get(format!("{}/v1/customers", server.url))
            .header(ACCEPT, BULK_CONTENT_TYPE)
            .send()
            .await
            .expect("send");
        assert_eq!(refused.status(), 401);
        let forged = server
            .get("/v1/customers")
            .header("MS-ContinuationToken", "forged")
            .header(ACCEPT, BULK_CONTENT_TYPE)
            .send()
            .await
            .expect("send");
        assert_eq!(forged.status(), 400);
        for role in Role::ALL {
            let response = server
                .request(CONTOSO, role, Method::GET, "/v1/customers?size=1000")
                .header(ACCEPT, BULK_CONTENT_TYPE)
                .send()
                .await
                .expect("send");
            assert_eq!(response.status(), 200, "{role:?} may list customers");
            let text = response.text().await.expect("body");
            assert_eq!(text.lines().count(), 1, "300 customers in one page of 1000");
        }
    }
}

contract! {
    async fn json_is_compressed_only_when_the_client_accepts_it() {
        let server = spawn_server(1_000).await;
        let http = raw_http();
        let token = server.token(CONTOSO, Role::AdminAgent);
        let url = format!("{}/v1/customers?size=1000", server.url);
        let plain = http
            .get(&url)
            .bearer_auth(token)
            .send()
            .await
            .expect("send");
        assert!(plain.headers().get(CONTENT_ENCODING).is_none());
        let plain_bytes = plain.bytes().await.expect("body").len();
        for (accept, encoding, magic) in [
            ("gzip", "gzip", &[0x1f, 0x8b][..]),
            ("zstd", "zstd", &[0x28, 0xb5, 0x2f, 0xfd][..]),
            ("gzip, zstd", "zstd", &[0x28, 0xb5, 0x2f, 0xfd][..]),
        ] {
            for bulk in [false, true] {
                let mut request = http
                    .get(&url)
                    .bearer_auth(token)
                    .header(ACCEPT_ENCODING, accept);
                if bulk {
                    request = request.header(ACCEPT, BULK_CONTENT_TYPE);
                }
                let response = request.send().await.expect("send");
                assert_eq!(
                    response
                        .headers()
                        .get(CONTENT_ENCODING)
                        .map(|v| v.as_bytes()),
                    Some(encoding.as_bytes()),
                    "Accept-Encoding: {accept}, bulk {bulk}"
                );
                let body = response.bytes().await.expect("body");
                assert!(body.starts_with(magic), "{encoding} data");
                assert!(
                    body.len() * 4 < plain_bytes,
                    "{encoding}: {} bytes for {plain_bytes} of JSON",
                    body.len()
                );
            }
        }
    }
}

contract! {
    async fn the_event_stream_is_never_compressed_and_an_event_arrives_at_once() {
        let server = spawn_server(10).await;
        let token = server.token(CONTOSO, Role::AdminAgent);
        let mut events = raw_http()
            .get(format!("{}/v1/events", server.url))
            .bearer_auth(token)
            .header(ACCEPT_ENCODING, "gzip, zstd")
            .send()
            .await
            .expect("send");
        assert_eq!(events.status(), 200);
        assert!(events.headers().get(CONTENT_ENCODING).is_none());
        let created = server
            .request(CONTOSO, Role::AdminAgent, Method::POST, "/v1/customers")
            .json(&new_customer("Prompt Event GmbH", "prompt-event.example"))
            .send()
            .await
            .expect("send");
        assert_eq!(created.status(), 201);
        let mut seen = String::new();
        tokio::time::timeout(DEADLINE, async {
            while !seen.contains("Prompt Event GmbH") {
                let chunk = events.chunk().await.expect("read").expect("stream open");
                seen.push_str(&String::from_utf8_lossy(&chunk));
            }
        })
        .await
        .expect("the event arrives as plain text while the stream stays open");
        assert!(seen.contains("event: customer.created"), "{seen}");
    }
}

/// The real routes with a counter of `/v1/customers` requests in front.
async fn counted_server(customers: u32) -> (TestServer, String, Arc<AtomicUsize>) {
    let server = spawn_server(customers).await;
    let count = Arc::new(AtomicUsize::new(0));
    let counter = count.clone();
    let store = server.store();
    let state = cspdash::server::AppState::new(store, &server.url, 10_000);
    let app = cspdash::server::routes::router(state).layer(middleware::from_fn(
        move |request: Request, next: Next| {
            let counter = counter.clone();
            async move {
                if request.uri().path() == "/v1/customers" {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
                next.run(request).await
            }
        },
    ));
    let url = crate::fake_backend::serve(app).await;
    (server, url, count)
}

contract! {
    async fn the_client_reads_the_whole_list_in_one_request_with_every_customer_once_in_order() {
        let (server, url, requests) = counted_server(3_500).await;
        let client = Client::with_options(
            &url,
            server.token(CONTOSO, Role::HelpdeskAgent),
            quick_options(),
        )
        .expect("client");
        let pages: Vec<_> = tokio::time::timeout(
            DEADLINE,
            client.customer_pages_from(1000, None, None).collect(),
        )
        .await
        .expect("in time");
        let mut streamed = Vec::new();
        for (i, read) in pages.into_iter().enumerate() {
            let (page, read_at) = read.expect("every page");
            assert_eq!(
                read_at.is_some(),
                i == 0,
                "the read-at event id comes with the first page"
            );
            streamed.extend(page.items.into_iter().map(|c| c.id));
        }
        assert_eq!(
            requests.load(Ordering::SeqCst),
            1,
            "one request for 4 pages"
        );
        let (paged, _) = walk(&server, CONTOSO, "/v1/customers?size=1000").await;
        assert_eq!(streamed, ids(&paged));
    }
}
