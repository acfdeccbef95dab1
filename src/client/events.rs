//! The live event stream (`GET /v1/events`, Server-Sent Events): connect, decode, resume, reconnect.

use std::collections::VecDeque;
use std::time::Duration;

use futures::Stream;
use reqwest::header::{ACCEPT, CACHE_CONTROL, HeaderValue, RETRY_AFTER};

use super::retry::{exponential, jittered, parse_retry_after};
use super::sse::{SseDecoder, SseEvent};
use super::{Client, ClientError};
use crate::api::{Event, EventKind};

struct State {
    client: Client,
    /// Sent as `Last-Event-ID` on every (re)connect so nothing is missed or repeated.
    last_id: Option<String>,
    response: Option<reqwest::Response>,
    decoder: SseDecoder,
    ready: VecDeque<Result<Event, ClientError>>,
    /// Reconnects in a row that brought nothing; drives the backoff.
    failures: u32,
    wait_before_connect: Option<Duration>,
    done: bool,
}

pub(super) fn stream(
    client: Client,
    last_id: Option<String>,
) -> impl Stream<Item = Result<Event, ClientError>> + Send + 'static {
    let state = State {
        client,
        last_id,
        response: None,
        decoder: SseDecoder::new(),
        ready: VecDeque::new(),
        failures: 0,
        wait_before_connect: None,
        done: false,
    };
    futures::stream::unfold(state, |mut state| async move {
        let item = state.next().await?;
        Some((item, state))
    })
}

impl State {
    async fn next(&mut self) -> Option<Result<Event, ClientError>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Some(item);
            }
            if self.done {
                return None;
            }
            let Some(response) = self.response.as_mut() else {
                self.connect().await;
                continue;
            };
            match response.chunk().await {
                Ok(Some(bytes)) => {
                    self.failures = 0;
                    for event in self.decoder.push(&bytes) {
                        self.accept(event);
                    }
                }
                // EOF or a broken/idle connection: resume quietly; a failing reconnect will speak.
                Ok(None) | Err(_) => {
                    self.response = None;
                    let advice = self.decoder.retry_ms().map(Duration::from_millis);
                    self.wait_before_connect = Some(advice.unwrap_or_else(|| self.backoff()));
                    self.failures += 1;
                }
            }
        }
    }

    async fn connect(&mut self) {
        if let Some(wait) = self.wait_before_connect.take() {
            tokio::time::sleep(wait).await;
        }
        let url = match self.client.url(&["events"]) {
            Ok(url) => url,
            Err(err) => return self.fail(err),
        };
        let mut request = self
            .client
            .stream_http
            .get(url.clone())
            .header(ACCEPT, HeaderValue::from_static("text/event-stream"))
            .header(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        if let Some(id) = self
            .last_id
            .as_deref()
            .and_then(|id| HeaderValue::from_str(id).ok())
        {
            request = request.header("Last-Event-ID", id);
        }
        let timeout = self.client.options.stream_idle_timeout;
        let response = match request.send().await {
            Ok(response) => response,
            Err(err) => return self.fail(ClientError::from_transport(&err, url.as_str(), timeout)),
        };
        let status = response.status();
        if status.is_success() {
            self.decoder = SseDecoder::new();
            self.response = Some(response);
            return;
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
        let body = response.bytes().await.unwrap_or_default();
        let err = match (status.as_u16(), retry_after) {
            (429, retry_after) => ClientError::RateLimited {
                retry_after: retry_after.unwrap_or(Duration::from_secs(1)),
            },
            (code, _) => ClientError::from_status(code, &body, url.as_str()),
        };
        self.fail(err);
    }

    /// Reports `err`; keeps trying later if it may pass, else ends the stream after it.
    fn fail(&mut self, err: ClientError) {
        if !err.is_transient() {
            self.done = true;
        } else {
            let wait = match &err {
                ClientError::RateLimited { retry_after } => *retry_after,
                _ => self.backoff(),
            };
            self.wait_before_connect = Some(wait);
            self.failures += 1;
        }
        self.ready.push_back(Err(err));
    }

    fn backoff(&self) -> Duration {
        let options = &self.client.options;
        jittered(exponential(
            options.reconnect_delay,
            options.max_reconnect_delay,
            self.failures,
        ))
    }

    fn accept(&mut self, sse: SseEvent) {
        if let Some(id) = &sse.id {
            self.last_id = Some(id.clone());
        }
        // Newer backends may send kinds this build does not know: skip them, keep the stream.
        let known = [EventKind::CustomerCreated, EventKind::CustomerUpdated];
        if !sse.event.is_empty() && !known.iter().any(|k| k.as_str() == sse.event) {
            tracing::debug!(event = %sse.event, "skipping an unknown event kind");
            return;
        }
        match serde_json::from_str::<Event>(&sse.data) {
            Ok(event) => {
                if sse.id.is_none() {
                    self.last_id = Some(event.id.to_string());
                }
                self.ready.push_back(Ok(event));
            }
            Err(err) => self.ready.push_back(Err(ClientError::Decode {
                url: format!("{}/v1/events", self.client.base_url),
                reason: format!("event {:?}: {err}", sse.event),
            })),
        }
    }
}
