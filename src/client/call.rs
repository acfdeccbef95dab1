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
        let mut call = Self::get(url).with_json(body)?;
        let id = call.header_value(request_id, "request id")?;
        call.headers.insert(REQUEST_ID_HEADER, id);
        call.method = Method::POST;
        Ok(call)
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
        let mut call = Self::get(url).with_json(body)?.if_match(etag)?;
        call.method = method;
        Ok(call)
    }

    /// The same request with `body` as its JSON body.
    pub(super) fn with_json(mut self, body: &impl Serialize) -> Result<Self, ClientError> {
        let bytes = serde_json::to_vec(body)
            .map_err(|e| self.bad_url(format!("cannot encode body: {e}")))?;
        self.body = Some(bytes);
        self.headers
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        Ok(self)
    }

    /// The same request under `If-Match: etag` (sent back exactly as the backend gave it).
    pub(super) fn if_match(mut self, etag: &str) -> Result<Self, ClientError> {
        let tag = self.header_value(etag, "ETag")?;
        self.headers.insert(IF_MATCH, tag);
        Ok(self)
    }

    /// `value` as a header value; `what` names it when it cannot be one.
    fn header_value(&self, value: &str, what: &str) -> Result<HeaderValue, ClientError> {
        HeaderValue::from_str(value)
            .map_err(|_| self.bad_url(format!("{what} {value:?} is not a header value")))
    }

    fn bad_url(&self, reason: String) -> ClientError {
        ClientError::BadUrl {
            url: self.url.to_string(),
            reason,
        }
    }

    /// A JSON PUT under `If-Match: etag` (see [`Call::conditional`]).
    pub(super) fn put(url: Url, body: &impl Serialize, etag: &str) -> Result<Self, ClientError> {
        Self::conditional(Method::PUT, url, body, etag)
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
