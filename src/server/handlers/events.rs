//! `GET /v1/events`: the partner's customer changes as Server-Sent Events, resumable with
//! `Last-Event-ID`. Events are read from the store, so a reconnect after a restart misses nothing.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use futures::Stream;
use tokio::sync::{broadcast, watch};

use crate::api::Event;
use crate::server::AppState;
use crate::server::auth::CurrentUser;
use crate::server::error::ApiError;
use crate::server::store::StoreResult;
use crate::server::streams::StreamTicket;

/// Also look for new events this often, in case a change came from another process on the database.
const POLL_INTERVAL: Duration = Duration::from_secs(2);

#[derive(serde::Deserialize)]
pub struct EventsQuery {
    #[serde(rename = "lastEventId")]
    last_event_id: Option<String>,
}

pub async fn events(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    Query(query): Query<EventsQuery>,
) -> Result<Sse<impl Stream<Item = Result<SseEvent, Infallible>>>, ApiError> {
    let raw = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or(query.last_event_id);
    let partner_id = user.0.partner_id.clone();
    let after = match raw.as_deref().map(str::trim) {
        Some(text) => text.parse::<i64>().map_err(|_| {
            ApiError::invalid("Last-Event-ID", "must be the id of an event you received")
        })?,
        // A fresh listener has just read the list: only what happens from now on matters.
        None => {
            let id = partner_id.clone();
            state.store(move |s| s.latest_event_id(&id)).await?
        }
    };
    // Past the per-token cap this closes the token's oldest stream (DESIGN.md §3).
    let ticket = state.streams().open(user.token_key());
    // A comment line whenever nothing else was sent for this long: the client counts missed
    // heartbeats to notice a connection that died without a FIN.
    let heartbeat = KeepAlive::new()
        .interval(state.heartbeat())
        .text("heartbeat");
    let listener = Listener {
        ticket,
        changes: state.subscribe_changes(),
        closing: state.closing(),
        state,
        partner_id,
        after,
        pending: VecDeque::new(),
    };
    let stream = futures::stream::unfold(listener, |mut listener| async move {
        let event = listener.next().await?;
        let sse = SseEvent::default()
            .id(event.id.to_string())
            .event(event.kind.as_str())
            .json_data(&event)
            .unwrap_or_default();
        Some((Ok(sse), listener))
    });
    Ok(Sse::new(stream).keep_alive(heartbeat))
}

struct Listener {
    /// Completes when a newer stream of the same token takes this one's place.
    ticket: StreamTicket,
    state: AppState,
    partner_id: String,
    after: i64,
    pending: VecDeque<Event>,
    changes: broadcast::Receiver<String>,
    closing: watch::Receiver<bool>,
}

impl Listener {
    /// The next event, waiting for one; None when the server shuts down.
    async fn next(&mut self) -> Option<Event> {
        loop {
            if *self.closing.borrow() {
                return None;
            }
            // Pushed out by a newer stream of the token (or its place is gone): end now, even
            // while events keep coming.
            if !matches!(
                self.ticket.closed.try_recv(),
                Err(tokio::sync::oneshot::error::TryRecvError::Empty)
            ) {
                return None;
            }
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            let before = self.after;
            match self.load().await {
                Ok(events) if !events.is_empty() || self.after != before => {
                    self.pending.extend(events);
                    continue;
                }
                Ok(_) => {}
                Err(err) => tracing::warn!(%err, "reading events failed; retrying"),
            }
            tokio::select! {
                changed = self.changes.recv() => {
                    if let Err(broadcast::error::RecvError::Closed) = changed {
                        return None;
                    }
                }
                _ = self.closing.changed() => return None,
                _ = &mut self.ticket.closed => return None,
                () = tokio::time::sleep(POLL_INTERVAL) => {}
            }
        }
    }

    async fn load(&mut self) -> Result<Vec<Event>, ApiError> {
        let partner_id = self.partner_id.clone();
        let after = self.after;
        let (events, last_read) = self
            .state
            .store(move |s| -> StoreResult<(Vec<Event>, i64)> {
                let mut out = Vec::new();
                let mut last_read = after;
                for stored in s.events_after(&partner_id, after, 100)? {
                    last_read = stored.id;
                    // A customer always exists for its events; skip defensively if not.
                    if let Ok(customer) = s.customer(&partner_id, &stored.customer_id) {
                        out.push(Event {
                            id: stored.id,
                            kind: stored.kind,
                            customer: customer.value,
                            occurred: stored.created_at,
                        });
                    }
                }
                Ok((out, last_read))
            })
            .await?;
        // Move past everything read, including any event skipped above.
        self.after = last_read;
        Ok(events)
    }
}
