//! The live event stream against a small SSE handler: events arrive, the client resumes after a
//! dropped connection from the last id it saw, and trouble is reported without ending the stream.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use cspdash::api::{Event, EventKind};
use cspdash::client::ClientError;
use futures::{Stream, StreamExt};
use serde_json::json;

use crate::fake_backend::{client, customer, error_body, serve};

/// Fails the test instead of hanging if the stream never delivers.
const DEADLINE: Duration = Duration::from_secs(20);

fn sse(id: i64, kind: &str, name: &str) -> String {
    let data = json!({"id": id, "type": kind, "customer": customer(&format!("c{id}"), name),
        "occurred": "2025-01-01T00:00:00Z"});
    format!("id: {id}\nevent: {kind}\ndata: {data}\n\n")
}

/// An SSE body of `chunks`; stays open afterwards when `keep_open`, else the server hangs up.
fn sse_response(chunks: Vec<String>, keep_open: bool) -> Response {
    let body = futures::stream::iter(chunks.into_iter().map(Ok::<_, Infallible>));
    let body: Body = if keep_open {
        Body::from_stream(body.chain(futures::stream::pending()))
    } else {
        Body::from_stream(body)
    };
    ([(header::CONTENT_TYPE, "text/event-stream")], body).into_response()
}

/// Serves `/v1/events` with `answer(connection number)`; records each `Last-Event-ID` received.
async fn events_backend(
    answer: fn(usize) -> Response,
) -> (String, Arc<Mutex<Vec<Option<String>>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen_in = seen.clone();
    let router = Router::new().route(
        "/v1/events",
        get(move |headers: HeaderMap| async move {
            let id = headers
                .get("Last-Event-ID")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let connection = {
                let mut seen = seen_in.lock().expect("lock");
                seen.push(id);
                seen.len() - 1
            };
            answer(connection)
        }),
    );
    (serve(router).await, seen)
}

async fn first<S: Stream<Item = Result<Event, ClientError>> + Unpin>(
    stream: &mut S,
    n: usize,
) -> Vec<Result<Event, ClientError>> {
    tokio::time::timeout(DEADLINE, stream.take(n).collect())
        .await
        .expect("the stream delivered in time")
}

#[tokio::test]
async fn after_a_dropped_connection_the_stream_resumes_from_the_last_id_seen() {
    let (url, seen) = events_backend(|connection| match connection {
        0 => {
            let second = sse(2, "customer.updated", "Bravo");
            let (a, b) = second.split_at(12); // a chunk boundary inside a line
            sse_response(
                vec![
                    ": hello\n\n".into(),
                    sse(1, "customer.created", "Alpha"),
                    a.into(),
                    b.into(),
                ],
                false,
            )
        }
        _ => sse_response(
            vec![
                sse(3, "customer.deleted", "Gone"),
                ": keep-alive\n\n".into(),
                sse(4, "customer.updated", "Delta"),
            ],
            true,
        ),
    })
    .await;
    let mut stream = Box::pin(client(&url).events(None));
    let events: Vec<Event> = first(&mut stream, 3)
        .await
        .into_iter()
        .map(|e| e.expect("event"))
        .collect();
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    assert_eq!(
        ids,
        [1, 2, 4],
        "the unknown kind (3) is skipped, nothing is repeated"
    );
    assert_eq!(events[0].kind, EventKind::CustomerCreated);
    assert_eq!(events[2].customer.company_profile.company_name, "Delta");
    assert_eq!(*seen.lock().expect("lock"), [None, Some("2".to_string())]);
}

#[tokio::test]
async fn the_given_last_event_id_is_sent_and_a_rejected_token_ends_the_stream() {
    let (url, seen) = events_backend(|_| {
        (
            StatusCode::UNAUTHORIZED,
            Json(error_body(401, "the token is revoked")),
        )
            .into_response()
    })
    .await;
    let stream = client(&url).events(Some(41));
    let items: Vec<_> = tokio::time::timeout(DEADLINE, stream.collect::<Vec<_>>())
        .await
        .expect("the stream ends");
    assert_eq!(items.len(), 1);
    assert!(
        matches!(&items[0], Err(ClientError::Unauthorized { .. })),
        "{:?}",
        items[0]
    );
    assert_eq!(*seen.lock().expect("lock"), [Some("41".to_string())]);
}

#[tokio::test]
async fn a_failed_connect_is_reported_and_the_stream_carries_on() {
    let (url, _) = events_backend(|connection| match connection {
        0 => (StatusCode::SERVICE_UNAVAILABLE, "restarting").into_response(),
        _ => sse_response(vec![sse(7, "customer.created", "Golf")], true),
    })
    .await;
    let mut stream = Box::pin(client(&url).events(None));
    let items = first(&mut stream, 2).await;
    assert!(
        matches!(&items[0], Err(ClientError::Status { status: 503, .. })),
        "{:?}",
        items[0]
    );
    assert_eq!(items[1].as_ref().map(|e| e.id).ok(), Some(7));
}

#[tokio::test]
async fn a_malformed_event_is_reported_and_later_events_still_arrive() {
    let (url, _) = events_backend(|_| {
        sse_response(
            vec![
                "id: 8\nevent: customer.created\ndata: {not json\n\n".into(),
                sse(9, "customer.updated", "India"),
            ],
            true,
        )
    })
    .await;
    let mut stream = Box::pin(client(&url).events(None));
    let items = first(&mut stream, 2).await;
    let message = items[0]
        .as_ref()
        .map(|_| ())
        .expect_err("decode error")
        .to_string();
    assert!(
        message.starts_with(&format!("unexpected response from {url}/v1/events")),
        "{message}"
    );
    assert_eq!(items[1].as_ref().map(|e| e.id).ok(), Some(9));
}
