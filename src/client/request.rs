//! Sending one logical request: attempts, retries with backoff, 429 waits, status and body decoding.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue, RETRY_AFTER};
use reqwest::{Method, StatusCode, Url};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::retry::parse_retry_after;
use super::{Client, ClientError, paging};
use crate::api::{CORRELATION_ID_HEADER, Collection, Link, REQUEST_ID_HEADER};

/// A 429 without a readable `Retry-After` waits this long.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

/// Everything needed to send (and re-send) one request.
#[derive(Debug, Clone)]
pub(super) struct Call {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
    /// Safe to send twice: a GET, or a POST carrying an `MS-RequestId`.
    retry_safe: bool,
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

impl Client {
    /// Sends `call`, retrying what is safe and worth retrying, and decodes the JSON answer.
    pub(super) async fn call<T: DeserializeOwned>(&self, call: Call) -> Result<T, ClientError> {
        let started = Instant::now();
        let mut attempt = 1;
        loop {
            let err = match self.attempt(&call).await {
                Ok(value) => return Ok(value),
                Err(err) => err,
            };
            let Some(wait) = self.retry_wait(&call, &err, attempt, started.elapsed()) else {
                return Err(err);
            };
            tracing::info!(url = %call.url, attempt, ?wait, error = %err, "retrying");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// Every item of a collection, following `links.next` if the backend pages it.
    pub(super) async fn all_items<T: DeserializeOwned>(
        &self,
        url: Url,
    ) -> Result<Vec<T>, ClientError> {
        let mut page: Collection<T> = self.call(Call::get(url)).await?;
        let mut items = std::mem::take(&mut page.items);
        while let Some(next) = page.links.next.take() {
            page = self.call(Call::follow(&self.base_url, &next)?).await?;
            items.append(&mut page.items);
        }
        Ok(items)
    }

    /// How long to wait before attempt `attempt + 1`, or `None` to give up with `err`.
    fn retry_wait(
        &self,
        call: &Call,
        err: &ClientError,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        let policy = &self.options.retry;
        if attempt >= policy.max_attempts {
            return None;
        }
        let wait = match err {
            // The backend did not process a 429'd request, so even a plain POST may be re-sent.
            ClientError::RateLimited { retry_after } if *retry_after <= policy.max_retry_after => {
                *retry_after
            }
            ClientError::Unreachable { .. } if call.retry_safe => policy.backoff(attempt - 1),
            ClientError::Status { status, .. } if call.retry_safe && retryable_status(*status) => {
                policy.backoff(attempt - 1)
            }
            _ => return None,
        };
        (elapsed + wait <= policy.budget).then_some(wait)
    }

    /// One try: send, read the whole body, map the status, decode.
    async fn attempt<T: DeserializeOwned>(&self, call: &Call) -> Result<T, ClientError> {
        let url = call.url.as_str();
        let timeout = self.options.request_timeout;
        let mut request = self
            .http
            .request(call.method.clone(), call.url.clone())
            .headers(call.headers.clone());
        if let Some(body) = &call.body {
            request = request.body(body.clone());
        }
        let response = request
            .send()
            .await
            .map_err(|e| ClientError::from_transport(&e, url, timeout))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let body = response
            .bytes()
            .await
            .map_err(|e| ClientError::from_transport(&e, url, timeout))?;
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(ClientError::RateLimited {
                retry_after: retry_after.unwrap_or(DEFAULT_RETRY_AFTER),
            });
        }
        if !status.is_success() {
            return Err(ClientError::from_status(status.as_u16(), &body, url));
        }
        serde_json::from_slice(&body).map_err(|e| ClientError::Decode {
            url: url.to_string(),
            reason: e.to_string(),
        })
    }
}

/// Server trouble that may pass: not 501/505, which will answer the same next time.
fn retryable_status(status: u16) -> bool {
    matches!(status, 500 | 502 | 503 | 504)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::{ClientOptions, RetryPolicy};

    fn client() -> Client {
        let options = ClientOptions {
            retry: RetryPolicy {
                max_attempts: 3,
                base_delay: Duration::from_millis(100),
                max_delay: Duration::from_millis(100),
                budget: Duration::from_secs(5),
                max_retry_after: Duration::from_secs(2),
            },
            ..ClientOptions::default()
        };
        Client::with_options("http://127.0.0.1:1", "t", options).expect("client")
    }

    fn get() -> Call {
        Call::get(Url::parse("http://127.0.0.1:1/v1/me").expect("url"))
    }

    fn status(status: u16) -> ClientError {
        ClientError::from_status(status, b"", "u")
    }

    fn unreachable() -> ClientError {
        ClientError::Unreachable {
            url: "u".into(),
            reason: "refused".into(),
        }
    }

    #[test]
    fn server_errors_and_unreachable_backends_are_retried_until_attempts_run_out() {
        let client = client();
        for err in [
            status(500),
            status(502),
            status(503),
            status(504),
            unreachable(),
        ] {
            let wait = client.retry_wait(&get(), &err, 1, Duration::ZERO);
            assert!(
                wait.is_some_and(|w| w <= Duration::from_millis(100)),
                "{err}"
            );
            assert_eq!(
                client.retry_wait(&get(), &err, 3, Duration::ZERO),
                None,
                "{err}"
            );
        }
    }

    #[test]
    fn mistakes_and_timeouts_are_not_retried() {
        let client = client();
        let timeout = ClientError::Timeout {
            url: "u".into(),
            after: Duration::from_secs(1),
        };
        for err in [
            status(400),
            status(401),
            status(403),
            status(404),
            status(501),
            timeout,
        ] {
            assert_eq!(
                client.retry_wait(&get(), &err, 1, Duration::ZERO),
                None,
                "{err}"
            );
        }
    }

    #[test]
    fn rate_limits_wait_as_asked_up_to_the_cap() {
        let client = client();
        let asked = |secs| ClientError::RateLimited {
            retry_after: Duration::from_secs(secs),
        };
        assert_eq!(
            client.retry_wait(&get(), &asked(1), 1, Duration::ZERO),
            Some(Duration::from_secs(1))
        );
        assert_eq!(
            client.retry_wait(&get(), &asked(3), 1, Duration::ZERO),
            None
        );
    }

    #[test]
    fn no_retry_starts_past_the_time_budget() {
        let client = client();
        let elapsed = Duration::from_millis(4_990);
        assert_eq!(client.retry_wait(&get(), &status(503), 1, elapsed), None);
    }

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
        assert_eq!(
            client().retry_wait(&call, &status(503), 1, Duration::ZERO),
            None
        );
    }
}
