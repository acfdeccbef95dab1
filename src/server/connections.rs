//! Accepting and serving HTTP/1 connections with the limits `axum::serve` lacks: a header-read
//! timeout, an idle timeout, and a cap on open connections (one more is told `503` with
//! `Retry-After` and closed). Graceful shutdown: stop accepting, let every connection finish its
//! request in flight (for at most `ServerLimits::shutdown_grace`), then return.
//!
//! hyper's `header_read_timeout` starts when the connection waits for a request head (at accept,
//! and again after each response) and ends when the whole head has arrived, so a client dribbling
//! header lines is cut off at that deadline. The idle timeout is ours: no request in flight and
//! no byte received for that long.

mod activity;

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tower::ServiceExt;

use self::activity::{Activity, InFlight, Tracked, Watched};
use super::limits::ServerLimits;

/// A request head larger than this is answered 431 (hyper would otherwise buffer ~400 KB per
/// connection before refusing).
const MAX_HEADER_BYTES: usize = 64 * 1024;
/// Refusals being written at once, at most; past that a refused connection is just closed.
const MAX_REFUSING: usize = 256;
/// Time a refusal may take (writing, then reading what the client sent) before the socket is
/// dropped anyway: short, so clients that never close cannot hold the refusal slots.
const REFUSAL_TIMEOUT: Duration = Duration::from_millis(250);

/// Serves `app` on `listener` until `shutdown` completes and every connection has closed.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: &ServerLimits,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let max = limits
        .max_connections
        .clamp(1, Semaphore::MAX_PERMITS.min(u32::MAX as usize));
    let open = Arc::new(Semaphore::new(max));
    let refusing = Arc::new(Semaphore::new(MAX_REFUSING));
    let (stop, stopping) = watch::channel(false);
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_read_timeout)
        .max_header_size(MAX_HEADER_BYTES)
        .keep_alive(true);
    let idle = limits.idle_timeout;
    let mut shutdown = pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(err) => {
                    // Out of file descriptors, or the peer left before accept: wait a little
                    // rather than spin.
                    tracing::warn!(%err, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let _ = stream.set_nodelay(true);
        match Arc::clone(&open).try_acquire_owned() {
            Ok(permit) => {
                let connection = connection(
                    stream,
                    peer,
                    app.clone(),
                    builder.clone(),
                    idle,
                    stopping.clone(),
                );
                tokio::spawn(async move {
                    connection.await;
                    drop(permit);
                });
            }
            Err(_) => {
                if let Ok(permit) = Arc::clone(&refusing).try_acquire_owned() {
                    tokio::spawn(async move {
                        let _ = tokio::time::timeout(REFUSAL_TIMEOUT, refuse(stream)).await;
                        drop(permit);
                    });
                }
            }
        }
    }
    drop(listener);
    let _ = stop.send(true);
    // Every permit back means every connection has closed. A request still running at the
    // deadline is cut off: a stop must not wait on a stuck client or database for ever.
    if tokio::time::timeout(limits.shutdown_grace, open.acquire_many(max as u32))
        .await
        .is_err()
    {
        tracing::warn!(
            still_open = max - open.available_permits(),
            grace_secs = limits.shutdown_grace.as_secs_f64(),
            "stopping with requests still in flight"
        );
    }
    Ok(())
}

/// The answer to a connection past the cap: short, and the connection closes after it.
async fn refuse(mut stream: TcpStream) {
    let body = serde_json::json!({
        "code": 50300,
        "description": "the server has too many open connections: retry in 1 s",
        "errorName": "ServiceUnavailable",
        "data": [],
        "source": "cspdash",
    })
    .to_string();
    let response = format!(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    if stream.write_all(response.as_bytes()).await.is_err() {
        return;
    }
    let _ = stream.shutdown().await;
    // Read what the client sent until it closes: closing with unread bytes would reset the
    // connection and could destroy the answer before the client reads it.
    let mut sink = [0u8; 1024];
    while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
}

async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    builder: hyper::server::conn::http1::Builder,
    idle: Duration,
    mut stopping: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Watched {
        stream,
        activity: Arc::clone(&activity),
    });
    let requests = Arc::clone(&activity);
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        // Handlers see the peer as axum's `ConnectInfo` (failed-auth limits are per address).
        request.extensions_mut().insert(ConnectInfo(peer));
        let in_flight = InFlight::begin(&requests);
        let app = app.clone();
        async move {
            let response = match app.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            };
            Ok::<_, Infallible>(response.map(|body| Tracked::new(body, in_flight)))
        }
    });
    let mut conn = pin!(builder.serve_connection(io, service));
    let mut closing = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(err) = result {
                    tracing::debug!(%err, "connection ended");
                }
                return;
            }
            _ = stopping.wait_for(|stop| *stop), if !closing => {
                conn.as_mut().graceful_shutdown();
                closing = true;
            }
            () = activity.idle_for(idle), if !closing => {
                conn.as_mut().graceful_shutdown();
                closing = true;
            }
        }
    }
}
