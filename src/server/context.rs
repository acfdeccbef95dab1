//! Per request, before anything else runs: its id and its client's address. The id comes from the
//! client's `X-Request-Id` (or `MS-CorrelationId`) when it is a sane one, else it is made here; it
//! goes back in the `X-Request-Id` response header and into the request's log span, so every log
//! line of the request carries it, and a proxy's or a client's log can be matched with ours.
//! The client's address is the TCP peer's, or the forwarded one behind a trusted proxy
//! ([`super::forwarded`]); the per-address limits and the logs use it.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use super::AppState;
use super::error::UNAVAILABLE_RETRY_SECS;
use crate::api::CORRELATION_ID_HEADER;

pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-request-id");

/// Longest id taken from a client (a GUID is 36, nginx's `$request_id` 32).
const MAX_ID_CHARS: usize = 64;

/// The request's id, as logged and echoed.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The client's address (`None` when served without a socket, as in router tests).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub Option<IpAddr>);

pub async fn middleware(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let id = incoming_id(request.headers()).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let client = peer.map(|peer| state.trusted_proxies().client(peer, request.headers()));
    request.extensions_mut().insert(RequestId(id.clone()));
    request.extensions_mut().insert(ClientAddr(client));
    let mut response = next.run(request).await;
    let unavailable = response.status() == StatusCode::SERVICE_UNAVAILABLE;
    let headers = response.headers_mut();
    // Checked printable ASCII or made here, so this cannot fail; a failure would only lose the echo.
    if let Ok(value) = HeaderValue::from_str(&id) {
        headers.insert(REQUEST_ID_HEADER, value);
    }
    // Every 503 says when to come back, also the request timeout's (which has no body of ours).
    if unavailable && !headers.contains_key(header::RETRY_AFTER) {
        headers.insert(
            header::RETRY_AFTER,
            HeaderValue::from(UNAVAILABLE_RETRY_SECS),
        );
    }
    response
}

/// The client's id for the request, if it sent one fit for logs and headers: short, and only
/// letters, digits and `-_.:@/+=` (no spaces, quotes or control characters to forge log lines).
fn incoming_id(headers: &HeaderMap) -> Option<String> {
    [REQUEST_ID_HEADER.as_str(), CORRELATION_ID_HEADER]
        .into_iter()
        .filter_map(|name| headers.get(name)?.to_str().ok())
        .map(str::trim)
        .find(|id| is_sane(id))
        .map(str::to_string)
}

fn is_sane(id: &str) -> bool {
    (1..=MAX_ID_CHARS).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:@/+=".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(
                HeaderName::from_bytes(k.as_bytes()).expect("name"),
                HeaderValue::from_str(v).expect("value"),
            );
        }
        map
    }

    #[test]
    fn a_sane_client_id_is_kept_and_x_request_id_comes_first() {
        let both = headers(&[("x-request-id", "abc-123"), ("ms-correlationid", "guid")]);
        assert_eq!(incoming_id(&both).as_deref(), Some("abc-123"));
        let ms = headers(&[("ms-correlationid", "0f8fad5b-d9cb-469f-a165-70867728950e")]);
        assert_eq!(
            incoming_id(&ms).as_deref(),
            Some("0f8fad5b-d9cb-469f-a165-70867728950e")
        );
    }

    #[test]
    fn ids_that_could_forge_or_flood_a_log_are_not_taken() {
        let long = "a".repeat(MAX_ID_CHARS + 1);
        for bad in [long.as_str(), "", "two words", "a\"b", "id;rm"] {
            assert_eq!(
                incoming_id(&headers(&[("x-request-id", bad)])),
                None,
                "{bad:?}"
            );
        }
        // A bad X-Request-Id does not hide a good MS-CorrelationId.
        let mixed = headers(&[("x-request-id", "two words"), ("ms-correlationid", "ok-1")]);
        assert_eq!(incoming_id(&mixed).as_deref(), Some("ok-1"));
    }
}
