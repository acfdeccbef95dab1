//! One request as data (method, URL, headers, body), so it can be sent again on retry.

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, IF_MATCH};
use reqwest::{Method, Url};
use serde::Serialize;

use super::{ClientError, paging};
use crate::api::{CORRELATION_ID_HEADER, Link, REQUEST_ID_HEADER};

/// Everything needed to send (and re-send) one request.
#[derive(Debug, Clone)]
pub(super) struct Call {
    pub(super) method: Method,
    pub(super) url: Url,
    pub(super) headers: HeaderMap,
    pub(super) body: Option<Vec<u8>>,
    /// Safe to send twice: a GET, or a POST carrying an `MS-RequestId`.
    pub(super) retry_safe: bool,
}

impl Call {
    pub(super) fn get(url: Url) -> Self {
        Self {
            method: Method::GET,
            url,
            headers: correlation_headers(),
            body: None,
            retry_safe: true,
        }
    }

    /// A JSON POST made idempotent by `request_id` (DESIGN.md §3), so it may be retried.
    pub(super) fn post(
        url: Url,
        body: &impl Serialize,
        request_id: &str,
    ) -> Result<Self, ClientError> {
        let bad = |reason: String| ClientError::BadUrl {
            url: url.to_string(),
            reason,
        };
        let body = serde_json::to_vec(body).map_err(|e| bad(format!("cannot encode body: {e}")))?;
        let mut headers = correlation_headers();
        let id = HeaderValue::from_str(request_id)
            .map_err(|_| bad(format!("request id {request_id:?} is not a header value")))?;
        headers.insert(REQUEST_ID_HEADER, id);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(Self {
            method: Method::POST,
            url,
            headers,
            body: Some(body),
            retry_safe: true,
        })
    }

    /// A JSON change to one resource (PATCH, PUT) under `If-Match: etag`. Safe to retry: the body
    /// states the wanted value rather than a step, and `If-Match` stops it from overwriting
    /// anyone else's change (a retry after a lost answer sees 412 and the caller reloads).
    pub(super) fn conditional(
        method: Method,
        url: Url,
        body: &impl Serialize,
        etag: &str,
    ) -> Result<Self, ClientError> {
        let bad = |reason: String| ClientError::BadUrl {
            url: url.to_string(),
            reason,
        };
        let body = serde_json::to_vec(body).map_err(|e| bad(format!("cannot encode body: {e}")))?;
        let mut headers = correlation_headers();
        let tag = HeaderValue::from_str(etag)
            .map_err(|_| bad(format!("ETag {etag:?} is not a header value")))?;
        headers.insert(IF_MATCH, tag);
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(Self {
            method,
            url,
            headers,
            body: Some(body),
            retry_safe: true,
        })
    }

    /// The request `links.next` describes: its method, its URI resolved, its headers sent back.
    pub(super) fn follow(root: &str, link: &Link) -> Result<Self, ClientError> {
        let url = paging::resolve_next(root, &link.uri)?;
        let bad = |reason: String| ClientError::Decode {
            url: url.to_string(),
            reason,
        };
        let method = Method::from_bytes(link.method.trim().to_ascii_uppercase().as_bytes())
            .map_err(|_| {
                bad(format!(
                    "links.next has an invalid method {:?}",
                    link.method
                ))
            })?;
        let mut headers = correlation_headers();
        for header in &link.headers {
            let name = HeaderName::from_bytes(header.key.as_bytes())
                .map_err(|_| bad(format!("links.next has an invalid header {:?}", header.key)))?;
            let value = HeaderValue::from_str(&header.value).map_err(|_| {
                bad(format!(
                    "links.next header {} has an invalid value",
                    header.key
                ))
            })?;
            headers.append(name, value);
        }
        let retry_safe = method == Method::GET;
        Ok(Self {
            method,
            url,
            headers,
            body: None,
            retry_safe,
        })
    }
}

/// A fresh `MS-CorrelationId` per logical call (the same across its retries) ties our log lines
/// to the backend's.
fn correlation_headers() -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(id) = HeaderValue::from_str(&uuid::Uuid::new_v4().to_string()) {
        headers.insert(CORRELATION_ID_HEADER, id);
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_next_link_sends_its_headers_back_and_a_post_link_is_not_retried() {
        let link = Link {
            uri: "/customers?size=2&seekOperation=Next".into(),
            method: "get".into(),
            headers: vec![crate::api::Header {
                key: "MS-ContinuationToken".into(),
                value: "abc".into(),
            }],
        };
        let call = Call::follow("http://h", &link).expect("call");
        assert_eq!(call.method, Method::GET);
        assert_eq!(
            call.headers
                .get("ms-continuationtoken")
                .map(|v| v.as_bytes()),
            Some(&b"abc"[..])
        );
        let post = Link {
            method: "POST".into(),
            ..link
        };
        let call = Call::follow("http://h", &post).expect("call");
        assert!(
            !call.retry_safe,
            "a POST without a request id must not be sent twice"
        );
    }
}
