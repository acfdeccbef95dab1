//! Sending one logical request: attempts, retries with backoff, 429 waits, status and body decoding.

use std::time::{Duration, Instant, SystemTime};

use reqwest::StatusCode;
use reqwest::Url;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;

use super::call::Call;
use super::retry::parse_retry_after;
use super::{Client, ClientError};
use crate::api::Collection;

/// A 429 without a readable `Retry-After` waits this long.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(1);

impl Client {
    /// Sends `call`, retrying what is safe and worth retrying, and decodes the JSON answer.
    pub(super) async fn call<T: DeserializeOwned>(&self, call: Call) -> Result<T, ClientError> {
        self.call_with_headers(call).await.map(|(value, _)| value)
    }

    /// [`Client::call`], with the answer's headers.
    pub(super) async fn call_with_headers<T: DeserializeOwned>(
        &self,
        call: Call,
    ) -> Result<(T, HeaderMap), ClientError> {
        self.with_retries(&call, || self.attempt(&call)).await
    }

    /// Runs `attempt` until it succeeds or [`Client::retry_wait`] gives up on `call`.
    pub(super) async fn with_retries<T, F, Fut>(
        &self,
        call: &Call,
        attempt: F,
    ) -> Result<T, ClientError>
    where
        F: Fn() -> Fut,
        Fut: std::future::Future<Output = Result<T, ClientError>>,
    {
        let started = Instant::now();
        let mut tries = 1;
        loop {
            let err = match attempt().await {
                Ok(value) => return Ok(value),
                Err(err) => err,
            };
            let Some(wait) = self.retry_wait(call, &err, tries, started.elapsed()) else {
                return Err(err);
            };
            tracing::info!(url = %call.url, attempt = tries, ?wait, error = %err, "retrying");
            tokio::time::sleep(wait).await;
            tries += 1;
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
    async fn attempt<T: DeserializeOwned>(
        &self,
        call: &Call,
    ) -> Result<(T, HeaderMap), ClientError> {
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
        let headers = response.headers().clone();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let body = response
            .bytes()
            .await
            .map_err(|e| ClientError::from_transport(&e, url, timeout))?;
        if !status.is_success() {
            return Err(status_error(status, retry_after, &body, url));
        }
        let value = serde_json::from_slice(&body).map_err(|e| ClientError::Decode {
            url: url.to_string(),
            reason: e.to_string(),
        })?;
        Ok((value, headers))
    }
}

/// The error for a non-success answer: 429 with its wait, any other with the backend's body.
pub(super) fn status_error(
    status: StatusCode,
    retry_after: Option<Duration>,
    body: &[u8],
    url: &str,
) -> ClientError {
    if status == StatusCode::TOO_MANY_REQUESTS {
        return ClientError::RateLimited {
            retry_after: retry_after.unwrap_or(DEFAULT_RETRY_AFTER),
        };
    }
    ClientError::from_status(status.as_u16(), body, url)
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
}
