//! `GET /healthz` (liveness: the process answers; no store call) and `GET /readyz` (readiness:
//! the database answers within [`READY_WAIT`]), for load balancers, orchestrators and systemd
//! watchers. Neither takes a token.
//!
//! A flood of `/readyz` must not become a flood of database calls (nor of blocked threads while
//! the database hangs): one check runs at a time, and its answer is reused for
//! [`READY_REUSE`], so probes cost one ping a second however many arrive.

use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use tokio::sync::Mutex;

use super::AppState;
use super::error::ApiError;

/// How long the database has to answer a readiness ping before the replica counts as not ready.
pub const READY_WAIT: Duration = Duration::from_secs(2);
/// How long one check's answer serves the probes that follow it.
const READY_REUSE: Duration = Duration::from_secs(1);

/// The last readiness check: when it finished and what it found (`Err` holds the detail to log).
#[derive(Default)]
pub struct Readiness {
    last: Mutex<Option<(Instant, Result<(), String>)>>,
}

impl Readiness {
    /// The database's state now, or as a check under a second old found it.
    async fn check(&self, state: &AppState) -> Result<(), String> {
        // Waiting probes queue here rather than each starting a ping of their own.
        let mut last = self.last.lock().await;
        if let Some((at, outcome)) = last.as_ref()
            && at.elapsed() < READY_REUSE
        {
            return outcome.clone();
        }
        let outcome = match tokio::time::timeout(READY_WAIT, state.store(|s| s.ping())).await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(ApiError::Unavailable(detail) | ApiError::Internal(detail))) => Err(detail),
            Ok(Err(other)) => Err(other.to_string()),
            Err(_) => Err(format!("no answer within {READY_WAIT:?}")),
        };
        // One line when readiness changes, not one per probe.
        let was_ready = last.as_ref().is_none_or(|(_, before)| before.is_ok());
        match &outcome {
            Err(detail) if was_ready => {
                tracing::warn!(%detail, "not ready: the database does not answer")
            }
            Ok(()) if !was_ready => tracing::info!("ready: the database answers again"),
            _ => {}
        }
        *last = Some((Instant::now(), outcome.clone()));
        outcome
    }
}

/// Liveness: 200 `ok` while the process serves requests at all.
pub async fn healthz() -> Response {
    plain("ok\n")
}

/// Readiness: 200 `ready` when the database answers, else 503 with `Retry-After` and the usual
/// error body ("the backend cannot reach its database").
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.readiness().check(&state).await {
        Ok(()) => plain("ready\n"),
        // Logged by the check when it changed; an empty detail keeps each probe off the log.
        Err(_) => ApiError::Unavailable(String::new()).into_response(),
    }
}

/// A short text answer that no cache keeps (a probe must see the state of now).
fn plain(body: &'static str) -> Response {
    let mut response =
        ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
