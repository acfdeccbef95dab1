//! The client's whole-list read against backends that have none, some or all of the bulk read:
//! a Partner-Center-shaped backend (no bulk read, no compression, its own page cap) is paged, a
//! strict one answering 406 too; a bulk response is read as it streams, continued when it stops
//! early, and a cut or garbled one is an error a consumer can resume from.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use cspdash::api::BULK_CONTENT_TYPE;
use cspdash::client::{Client, ClientError, ClientOptions, Compression};
use futures::StreamExt;
use serde_json::{Value, json};
use tokio::sync::Notify;

use crate::fake_backend::{client, customer, quick_options, serve};

const DEADLINE: Duration = Duration::from_secs(20);
const NAMES: [&str; 8] = [
    "Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel",
];

/// Page `index` of `per_page` customers, as Partner Center shapes it.
fn page(index: usize, per_page: usize) -> Value {
    let items: Vec<Value> = NAMES
        .iter()
        .enumerate()
        .skip(index * per_page)
        .take(per_page)
        .map(|(i, name)| customer(&format!("c{i}"), name))
        .collect();
    let mut body = json!({"totalCount": NAMES.len(), "items": items,
        "attributes": {"objectType": "Collection"}});
    if (index + 1) * per_page < NAMES.len() {
        body["links"] = json!({"next": {"uri": "/customers?size=3&seekOperation=Next",
            "method": "GET", "headers": [{"key": "MS-ContinuationToken", "value": (index + 1).to_string()}]}});
    }
    body
}

fn page_index(headers: &HeaderMap) -> usize {
    headers
        .get("MS-ContinuationToken")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// What each request asked for: (Accept, Accept-Encoding).
type Seen = Arc<Mutex<Vec<(String, String)>>>;

fn record(seen: &Seen, headers: &HeaderMap) {
    let get = |name| {
        headers
            .get(name)
            .and_then(|v: &header::HeaderValue| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    seen.lock()
        .expect("lock")
        .push((get(header::ACCEPT), get(header::ACCEPT_ENCODING)));
}

/// Partner Center as it is: JSON pages of at most 3 whatever `size` asks, no compression, no
/// bulk read; with `strict`, a 406 for an `Accept` it does not serve.
fn paging_backend(strict: bool, seen: Seen) -> Router {
    Router::new().route(
        "/v1/customers",
        get(move |headers: HeaderMap| async move {
            record(&seen, &headers);
            let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
            if strict && accept != Some("application/json") {
                return StatusCode::NOT_ACCEPTABLE.into_response();
            }
            Json(page(page_index(&headers), 3)).into_response()
        }),
    )
}

async fn all_names(url: &str) -> Vec<String> {
    let pages: Vec<_> = tokio::time::timeout(
        DEADLINE,
        client(url).customer_pages_from(1000, None, None).collect(),
    )
    .await
    .expect("in time");
    pages
        .into_iter()
        .flat_map(|read| read.expect("every page").0.items)
        .map(|c| c.company_profile.company_name)
        .collect()
}

#[tokio::test]
async fn a_backend_without_the_bulk_read_or_compression_is_paged_at_its_own_cap() {
    let seen = Seen::default();
    let url = serve(paging_backend(false, seen.clone())).await;
    assert_eq!(all_names(&url).await, NAMES);
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen.len(), 3, "8 customers in pages of 3: {seen:?}");
    assert!(
        seen[0].0.contains(BULK_CONTENT_TYPE),
        "the bulk read is asked for"
    );
    assert!(
        seen[0].0.contains("application/json"),
        "and plain JSON accepted"
    );
    assert!(seen[0].1.contains("zstd") && seen[0].1.contains("gzip"));
}

#[tokio::test]
async fn a_backend_refusing_the_bulk_type_with_406_is_asked_again_for_plain_pages() {
    let seen = Seen::default();
    let url = serve(paging_backend(true, seen.clone())).await;
    assert_eq!(all_names(&url).await, NAMES);
    let accepts: Vec<String> = seen
        .lock()
        .expect("lock")
        .iter()
        .map(|s| s.0.clone())
        .collect();
    assert_eq!(accepts.len(), 4, "one 406, then three pages: {accepts:?}");
    assert!(accepts[1..].iter().all(|a| a == "application/json"));
}

fn ndjson(lines: Vec<Result<String, std::io::Error>>) -> Response {
    let body = Body::from_stream(futures::stream::iter(lines));
    ([(header::CONTENT_TYPE, BULK_CONTENT_TYPE)], body).into_response()
}

fn line(index: usize, per_page: usize) -> Result<String, std::io::Error> {
    Ok(format!("{}\n", page(index, per_page)))
}

#[tokio::test]
async fn a_bulk_read_that_stops_early_is_continued_from_its_last_next_link() {
    let seen = Seen::default();
    let recorded = seen.clone();
    let router = Router::new().route(
        "/v1/customers",
        get(move |headers: HeaderMap| async move {
            record(&recorded, &headers);
            match page_index(&headers) {
                // The first response stops after two pages (the second still links on).
                0 => ndjson(vec![line(0, 3), line(1, 3)]),
                from => ndjson((from..3).map(|i| line(i, 3)).collect()),
            }
        }),
    );
    let url = serve(router).await;
    assert_eq!(all_names(&url).await, NAMES);
    assert_eq!(seen.lock().expect("lock").len(), 2);
}

#[tokio::test]
async fn a_cut_bulk_read_is_an_error_after_the_pages_that_arrived_and_resumes_from_the_last() {
    let cut = Arc::new(Notify::new());
    let trigger = cut.clone();
    let router = Router::new().route(
        "/v1/customers",
        get(move |headers: HeaderMap| {
            let cut = cut.clone();
            async move {
                match page_index(&headers) {
                    // One page, then (once the client has it) the connection breaks.
                    0 => {
                        let broken = futures::stream::once(async move {
                            cut.notified().await;
                            Err(std::io::Error::other("cut"))
                        });
                        let body = futures::stream::iter([line(0, 3)]).chain(broken);
                        (
                            [(header::CONTENT_TYPE, BULK_CONTENT_TYPE)],
                            Body::from_stream(body),
                        )
                            .into_response()
                    }
                    from => ndjson((from..3).map(|i| line(i, 3)).collect()),
                }
            }
        }),
    );
    let url = serve(router).await;
    let client = client(&url);
    let mut reads = Box::pin(client.customer_pages_from(3, None, None));
    let first = tokio::time::timeout(DEADLINE, reads.next())
        .await
        .expect("in time")
        .expect("a page")
        .expect("the page that arrived");
    trigger.notify_one();
    let after = tokio::time::timeout(DEADLINE, reads.next())
        .await
        .expect("in time");
    assert!(
        matches!(after, Some(Err(ClientError::Unreachable { .. }))),
        "{after:?}"
    );
    assert!(
        reads.next().await.is_none(),
        "the stream ends after the error"
    );
    let resume = first.0.links.next.clone();
    let rest: Vec<_> = client.customer_pages_from(3, None, resume).collect().await;
    let names: Vec<String> = first
        .0
        .items
        .into_iter()
        .chain(rest.into_iter().flat_map(|r| r.expect("page").0.items))
        .map(|c| c.company_profile.company_name)
        .collect();
    assert_eq!(names, NAMES);
}

#[tokio::test]
async fn a_garbled_bulk_line_is_a_decode_error_naming_the_line() {
    let router = Router::new().route(
        "/v1/customers",
        get(|| async { ndjson(vec![line(0, 3), Ok("<html>oops\n".to_string())]) }),
    );
    let url = serve(router).await;
    let reads: Vec<_> = client(&url)
        .customer_pages_from(3, None, None)
        .collect()
        .await;
    assert!(reads[0].is_ok());
    match &reads[1] {
        Err(ClientError::Decode { reason, .. }) => assert!(reason.contains("line 2"), "{reason}"),
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn the_first_page_of_a_bulk_read_arrives_while_the_rest_is_still_coming() {
    let more = Arc::new(Notify::new());
    let release = more.clone();
    let router = Router::new().route(
        "/v1/customers",
        get(move || {
            let more = more.clone();
            async move {
                let first = futures::stream::iter([line(0, 3)]);
                // The rest only once the test has seen the first page.
                let rest = futures::stream::once(async move {
                    more.notified().await;
                    Ok::<_, std::io::Error>(format!("{}\n{}\n", page(1, 3), page(2, 3)))
                });
                (
                    [(header::CONTENT_TYPE, BULK_CONTENT_TYPE)],
                    Body::from_stream(first.chain(rest)),
                )
            }
        }),
    );
    let url = serve(router).await;
    let client = client(&url);
    let mut pages = Box::pin(client.customer_pages_from(3, None, None));
    let first = tokio::time::timeout(DEADLINE, pages.next())
        .await
        .expect("the first page comes before the response ends")
        .expect("a page")
        .expect("ok");
    assert_eq!(first.0.items.len(), 3);
    release.notify_one();
    let rest: Vec<_> = tokio::time::timeout(DEADLINE, pages.collect::<Vec<_>>())
        .await
        .expect("in time");
    assert_eq!(rest.len(), 2);
}

#[tokio::test]
async fn a_client_of_a_backend_on_this_machine_does_not_ask_for_compression() {
    let seen = Seen::default();
    let url = serve(paging_backend(false, seen.clone())).await;
    let options = ClientOptions {
        compression: Compression::default(),
        ..quick_options()
    };
    let client = Client::with_options(&url, "test-token", options).expect("client");
    let pages: Vec<_> = client.customer_pages_from(1000, None, None).collect().await;
    assert_eq!(pages.len(), 3);
    let seen = seen.lock().expect("lock").clone();
    assert!(
        seen.iter().all(|(_, encoding)| encoding.is_empty()),
        "{seen:?}"
    );
}
