//! The bulk read (a cspdash extension, DESIGN.md §3): `GET /v1/customers` with
//! `Accept: application/x-ndjson` answers every page of the listing in one streamed response, one
//! JSON `Collection` a line, exactly the pages a paged read of the same size and filter returns
//! (each with its `links.next`), so one request replaces a round trip per page.
//!
//! Pages are read from the store one at a time while earlier ones are on the wire (at most
//! [`PAGES_AHEAD`] wait), so memory stays flat however large the listing. A stream that ends
//! early (the server shutting down) ends after a whole line whose `links.next` says where to
//! continue; a store failure mid-way aborts the response, so a client never takes a cut
//! stream for a complete one.

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

use super::{collection, read_page};
use crate::api::{BULK_CONTENT_TYPE, LAST_EVENT_ID_HEADER};
use crate::server::AppState;
use crate::server::error::ApiError;
use crate::server::signing::Signer;
use crate::server::store::{CustomerPage, CustomerQuery};

/// Encoded pages waiting for the connection: enough to keep the wire busy while the next page is
/// read, few enough that a slow client costs the server little.
const PAGES_AHEAD: usize = 2;

/// Whether the client lists the bulk media type in `Accept` (and not with `q=0`). A wildcard does
/// not count: a browser or a Partner Center client asking for `*/*` gets the plain page.
pub(super) fn wanted(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|range| {
            let mut parts = range.split(';').map(str::trim);
            let media = parts.next().unwrap_or("");
            let refused = parts.any(|p| {
                p.strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            media.eq_ignore_ascii_case(BULK_CONTENT_TYPE) && !refused
        })
}

/// Reads the first page before answering (so a bad request or a failing store is still a proper
/// error status), then streams it and the rest.
pub(super) async fn respond(
    state: AppState,
    partner_id: String,
    query: CustomerQuery,
    first_page: bool,
) -> Result<Response, ApiError> {
    let (page, latest_event) = read_page(&state, &partner_id, &query, first_page).await?;
    let (lines, waiting) = mpsc::channel(PAGES_AHEAD);
    tokio::spawn(produce(state, partner_id, query, page, lines));
    let mut response = Response::new(Body::from_stream(ReceiverStream::new(waiting)));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(BULK_CONTENT_TYPE),
    );
    // Caches must not hand this to a client that asked for one page of JSON.
    headers.insert(header::VARY, HeaderValue::from_static("accept"));
    if let Some(id) = latest_event {
        headers.insert(LAST_EVENT_ID_HEADER, HeaderValue::from(id));
    }
    Ok(response)
}

type Line = Result<Bytes, std::io::Error>;

/// Sends `page` and every page after it as lines, until the last page, a failure, the client
/// going away (the receiver is dropped) or the server shutting down.
async fn produce(
    state: AppState,
    partner_id: String,
    mut query: CustomerQuery,
    mut page: CustomerPage,
    lines: mpsc::Sender<Line>,
) {
    let closing = state.closing();
    loop {
        let after = page.next.clone();
        if lines
            .send(Ok(line(page, &query, state.continuation_signer())))
            .await
            .is_err()
        {
            return;
        }
        let Some(cursor) = after else { return };
        if *closing.borrow() {
            return;
        }
        query.after = Some(cursor);
        page = match read_page(&state, &partner_id, &query, false).await {
            Ok((page, _)) => page,
            Err(error) => {
                tracing::warn!(%error, "bulk read stopped: a page could not be read");
                let _ = lines
                    .send(Err(std::io::Error::other("a page could not be read")))
                    .await;
                return;
            }
        };
    }
}

fn line(page: CustomerPage, query: &CustomerQuery, signer: &Signer) -> Bytes {
    let mut bytes = serde_json::to_vec(&collection(page, query, signer)).unwrap_or_default();
    bytes.push(b'\n');
    Bytes::from(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).expect("value"));
        headers
    }

    #[test]
    fn only_an_explicit_acceptable_bulk_type_asks_for_the_bulk_read() {
        assert!(wanted(&accept("application/x-ndjson")));
        assert!(wanted(&accept(
            "application/json;q=0.5, Application/X-NDJSON;q=0.9"
        )));
        assert!(!wanted(&accept("application/json")));
        assert!(!wanted(&accept("*/*")));
        assert!(!wanted(&accept("application/x-ndjson;q=0")));
        assert!(!wanted(&HeaderMap::new()));
    }
}
