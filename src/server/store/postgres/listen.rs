//! Live events across replicas: one connection per replica LISTENs on `cspdash_events` (a trigger
//! on `events` NOTIFYs with the partner id at commit) and wakes that partner's streams here.
//! A lost connection is made again; what was missed meanwhile the streams' own polling finds.

use std::time::Duration;

use futures::StreamExt;
use tokio_postgres::{AsyncMessage, NoTls};

use crate::server::store::ChangeWaker;

/// The channel the `events` trigger notifies.
pub(super) const CHANNEL: &str = "cspdash_events";

/// Forwards notifications to `wake` until the process ends.
pub(super) async fn forward(config: tokio_postgres::Config, wake: ChangeWaker) {
    let mut backoff = Duration::from_millis(200);
    loop {
        match listen_once(&config, &wake).await {
            Ok(()) => backoff = Duration::from_millis(200),
            Err(err) => tracing::warn!(%err, "event listener lost PostgreSQL; reconnecting"),
        }
        tokio::time::sleep(backoff).await;
        backoff = (backoff * 2).min(Duration::from_secs(5));
    }
}

/// One LISTEN session: returns when its connection ends.
async fn listen_once(
    config: &tokio_postgres::Config,
    wake: &ChangeWaker,
) -> Result<(), tokio_postgres::Error> {
    let (client, mut connection) = config.connect(NoTls).await?;
    let (sender, mut received) = tokio::sync::mpsc::unbounded_channel();
    let driver = tokio::spawn(async move {
        let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
        while let Some(message) = messages.next().await {
            match message {
                Ok(AsyncMessage::Notification(note)) => {
                    if sender.send(note.payload().to_string()).is_err() {
                        break;
                    }
                }
                Ok(_) => {}
                Err(err) => return Err(err),
            }
        }
        Ok(())
    });
    client.batch_execute(&format!("LISTEN {CHANNEL}")).await?;
    tracing::debug!("listening for events from other replicas");
    // Anything committed while we were away: every stream looks again.
    wake("*");
    while let Some(partner_id) = received.recv().await {
        wake(&partner_id);
    }
    drop(client);
    match driver.await {
        Ok(result) => result,
        Err(_) => Ok(()),
    }
}
