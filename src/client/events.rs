//! The live event stream (`GET /v1/events`, Server-Sent Events): connect, decode, resume, reconnect,
//! and say how the connection is doing, so a dashboard can show it.
//!
//! A connection counts as lost when it ends, fails, or stays silent for two heartbeats (a network
//! that drops without a FIN sends nothing at all). Every reconnect sends the last id seen as
//! `Last-Event-ID`, so what happened meanwhile arrives once. Waits between attempts double from
//! `reconnect_delay` up to `max_reconnect_delay`, jittered.

use std::collections::VecDeque;
use std::time::Duration;

use futures::Stream;
use reqwest::header::{ACCEPT, CACHE_CONTROL, HeaderValue, RETRY_AFTER};

use super::retry::{exponential, jittered, parse_retry_after};
use super::sse::{SseDecoder, SseEvent};
use super::{Client, ClientError};
use crate::api::{Event, EventKind};

/// What the stream yields: events, and how the connection is doing.
#[derive(Debug)]
pub enum LiveItem {
    /// Connected (again): events flow from here on. Follows every successful (re)connect.
    Connected,
    /// Boxed: an event (a whole customer) is far larger than the other variants.
    Event(Box<Event>),
    /// One event could not be read and was skipped; the stream goes on.
    Unreadable(ClientError),
    /// The connection is gone, or could not be made; the next attempt starts after `retry_in`.
    Lost {
        error: ClientError,
        retry_in: Duration,
    },
    /// Retrying cannot help (token rejected, not allowed): the last item.
    Ended(ClientError),
}

impl LiveItem {
    /// The event or the trouble, as [`Client::events`] yields them; None for [`LiveItem::Connected`].
    pub fn into_result(self) -> Option<Result<Event, ClientError>> {
        match self {
            LiveItem::Connected => None,
            LiveItem::Event(event) => Some(Ok(*event)),
            LiveItem::Unreadable(error) | LiveItem::Lost { error, .. } | LiveItem::Ended(error) => {
                Some(Err(error))
            }
        }
    }
}

struct State {
    client: Client,
    /// Sent as `Last-Event-ID` on every (re)connect so nothing is missed or repeated.
    last_id: Option<String>,
    response: Option<reqwest::Response>,
    decoder: SseDecoder,
    ready: VecDeque<LiveItem>,
    /// Attempts in a row that brought nothing (no byte); drives the backoff. A healthy
    /// connection that ends is retried once quietly before anything is reported.
    failures: u32,
    wait_before_connect: Option<Duration>,
    done: bool,
}

pub(super) fn stream(
    client: Client,
    last_id: Option<String>,
) -> impl Stream<Item = LiveItem> + Send + 'static {
    futures::stream::unfold(State::new(client, last_id), |mut state| async move {
        let item = state.next().await?;
        Some((item, state))
    })
}

impl State {
    /// Not connected yet; the first connection resumes after `last_id`, if any.
    fn new(client: Client, last_id: Option<String>) -> Self {
        Self {
            client,
            last_id,
            response: None,
            decoder: SseDecoder::new(),
            ready: VecDeque::new(),
            failures: 0,
            wait_before_connect: None,
            done: false,
        }
    }

    async fn next(&mut self) -> Option<LiveItem> {
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
            let silence = self.client.options.stream_silence_limit();
            match tokio::time::timeout(silence, response.chunk()).await {
                Ok(Ok(Some(bytes))) => {
                    self.failures = 0;
                    for event in self.decoder.push(&bytes) {
                        self.accept(event);
                    }
                }
                Ok(Ok(None)) => self.ended(ClientError::Unreachable {
                    url: self.events_url(),
                    reason: "the event stream was closed".into(),
                }),
                Ok(Err(err)) => {
                    let err = ClientError::from_transport(&err, &self.events_url(), silence);
                    self.ended(err);
                }
                // Two heartbeats missed: the connection is dead even if no FIN ever comes.
                Err(_) => {
                    self.response = None;
                    let err = ClientError::Timeout {
                        url: self.events_url(),
                        after: silence,
                    };
                    self.lost(err);
                }
            }
        }
    }

    /// The connection ended or broke. After bytes came through, one quiet retry (a backend
    /// closing a stream on purpose is back at once); otherwise the loss is reported.
    fn ended(&mut self, err: ClientError) {
        self.response = None;
        if self.failures == 0 {
            self.wait_before_connect = Some(self.advised_or(self.backoff()));
            self.failures = 1;
        } else {
            self.lost(err);
        }
    }

    /// Reports the loss and schedules the next attempt.
    fn lost(&mut self, error: ClientError) {
        let retry_in = match &error {
            ClientError::RateLimited { retry_after } => *retry_after,
            _ => self.advised_or(self.backoff()),
        };
        self.failures = self.failures.saturating_add(1);
        self.wait_before_connect = Some(retry_in);
        self.ready.push_back(LiveItem::Lost { error, retry_in });
    }

    /// The server's `retry:` advice, kept within the dashboard's cap; else `fallback`.
    fn advised_or(&self, fallback: Duration) -> Duration {
        let cap = self.client.options.max_reconnect_delay;
        match self.decoder.retry_ms() {
            Some(ms) => Duration::from_millis(ms).min(cap),
            None => fallback,
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
        // The stream has no overall deadline, but its answer does: a path that swallows bytes
        // must not leave the dashboard "reconnecting" for ever.
        let deadline = self.client.options.request_timeout;
        let response = match tokio::time::timeout(deadline, request.send()).await {
            Ok(Ok(response)) => response,
            Ok(Err(err)) => {
                return self.fail(ClientError::from_transport(&err, url.as_str(), deadline));
            }
            Err(_) => {
                return self.fail(ClientError::Timeout {
                    url: url.to_string(),
                    after: deadline,
                });
            }
        };
        let status = response.status();
        if status.is_success() {
            self.decoder = SseDecoder::new();
            self.response = Some(response);
            self.ready.push_back(LiveItem::Connected);
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

    /// A connect failed: keep trying later if it may pass, else end the stream with `err`.
    fn fail(&mut self, err: ClientError) {
        if err.is_transient() {
            self.lost(err);
        } else {
            self.done = true;
            self.ready.push_back(LiveItem::Ended(err));
        }
    }

    /// `reconnect_delay · 2^failures`, at most `max_reconnect_delay`, jittered to 50–100 %.
    fn backoff(&self) -> Duration {
        let options = &self.client.options;
        jittered(exponential(
            options.reconnect_delay,
            options.max_reconnect_delay,
            self.failures,
        ))
    }

    fn events_url(&self) -> String {
        format!("{}/v1/events", self.client.base_url)
    }

    fn accept(&mut self, sse: SseEvent) {
        if let Some(id) = &sse.id {
            self.last_id = Some(id.clone());
        }
        // Newer backends may send kinds this build does not know: skip them, keep the stream.
        if !sse.event.is_empty() && EventKind::from_name(&sse.event).is_none() {
            tracing::debug!(event = %sse.event, "skipping an unknown event kind");
            return;
        }
        match serde_json::from_str::<Event>(&sse.data) {
            Ok(event) => {
                if sse.id.is_none() {
                    self.last_id = Some(event.id.to_string());
                }
                self.ready.push_back(LiveItem::Event(Box::new(event)));
            }
            Err(err) => self
                .ready
                .push_back(LiveItem::Unreadable(ClientError::Decode {
                    url: self.events_url(),
                    reason: format!("event {:?}: {err}", sse.event),
                })),
        }
    }
}

#[cfg(test)]
mod tests;
