//! A network that goes silent without closing (no FIN, no RST): a small TCP proxy between the
//! client and the real backend stops forwarding. With a short heartbeat the client notices
//! within two missed heartbeats, reports the loss, keeps trying (through the stalled path, which
//! answers nothing), and once the path forwards again it resumes with `Last-Event-ID`: the
//! customers added meanwhile arrive, each exactly once.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cspdash::api::{NewCustomer, Role};
use cspdash::client::{Client, ClientError, ClientOptions, Compression, LiveItem, RetryPolicy};
use cspdash::server::store::{SqliteStore, Store};
use cspdash::server::{AppState, auth, open_store, spawn};
use futures::{Stream, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::helpers::typed_customer;

/// Generous for a loaded 2-core machine; the figures printed show what it really took.
const DEADLINE: Duration = Duration::from_secs(30);
const HEARTBEAT: Duration = Duration::from_millis(200);
const EXPECTED_HEARTBEAT: Duration = Duration::from_millis(500);

/// The real backend on 127.0.0.1:0 beating every [`HEARTBEAT`]; returns its URL and a token.
async fn backend() -> (String, String, tempfile::TempDir) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("drop.db");
    let (store, token) = tokio::task::spawn_blocking(move || {
        let store: SqliteStore = open_store(&path, Some(3)).expect("store");
        let token = auth::new_token();
        store
            .create_token(&auth::token_hash(&token), None, Role::AdminAgent, None)
            .expect("token");
        (store, token)
    })
    .await
    .expect("setup");
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let state =
        AppState::new(Arc::new(store) as Arc<dyn Store>, &url, 10_000).with_heartbeat(HEARTBEAT);
    spawn(listener, state, std::future::pending()).expect("serve");
    (url, token, dir)
}

/// Forwards bytes both ways until stalled; a stalled path swallows nothing and closes nothing:
/// connections open before or during a stall stay open and silent for good, as across a dead
/// router. Connections made after `resume` forward again.
#[derive(Clone, Default)]
struct Proxy {
    stalled: Arc<AtomicBool>,
    /// Bumped by every stall: a connection from an older epoch is dead.
    epoch: Arc<AtomicU64>,
}

impl Proxy {
    async fn start(self, upstream: String) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind proxy");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let proxy = self.clone();
                let upstream = upstream.clone();
                tokio::spawn(async move { proxy.carry(client, &upstream).await });
            }
        });
        url
    }

    fn stall(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.stalled.store(true, Ordering::SeqCst);
    }

    fn resume(&self) {
        self.stalled.store(false, Ordering::SeqCst);
    }

    fn alive(&self, epoch: u64) -> bool {
        !self.stalled.load(Ordering::SeqCst) && self.epoch.load(Ordering::SeqCst) == epoch
    }

    async fn carry(&self, client: TcpStream, upstream: &str) {
        let epoch = self.epoch.load(Ordering::SeqCst);
        if !self.alive(epoch) {
            // Accepted, then silence: the client's bytes go nowhere.
            let _held = client;
            return std::future::pending::<()>().await;
        }
        let addr = upstream.trim_start_matches("http://");
        let Ok(server) = TcpStream::connect(addr).await else {
            return;
        };
        let (client_read, client_write) = client.into_split();
        let (server_read, server_write) = server.into_split();
        tokio::join!(
            self.pump(client_read, server_write, epoch),
            self.pump(server_read, client_write, epoch)
        );
    }

    async fn pump(
        &self,
        mut from: tokio::net::tcp::OwnedReadHalf,
        mut to: tokio::net::tcp::OwnedWriteHalf,
        epoch: u64,
    ) {
        let mut buf = vec![0u8; 16 * 1024];
        loop {
            let n = match from.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => n,
            };
            if !self.alive(epoch) {
                // Dropped on the floor, and the sockets kept open: no FIN either way.
                let _held = (from, to);
                std::future::pending::<()>().await;
                return;
            }
            if to.write_all(&buf[..n]).await.is_err() {
                return;
            }
        }
    }
}

fn new_customer(n: u32) -> NewCustomer {
    typed_customer(
        &format!("silent{n}.example"),
        &format!("Silent Drop {n} GmbH"),
    )
}

/// The dashboard's timing, shortened: a heartbeat expected every 500 ms (the backend's 200 ms
/// leaves slack for a loaded machine), reconnects within 300 ms.
fn options() -> ClientOptions {
    ClientOptions {
        connect_timeout: Duration::from_secs(2),
        request_timeout: Duration::from_secs(2),
        heartbeat: EXPECTED_HEARTBEAT,
        retry: RetryPolicy::default(),
        reconnect_delay: Duration::from_millis(50),
        max_reconnect_delay: Duration::from_millis(300),
        compression: Compression::Always,
    }
}

async fn next(stream: &mut (impl Stream<Item = LiveItem> + Unpin)) -> LiveItem {
    tokio::time::timeout(DEADLINE, stream.next())
        .await
        .expect("the stream said something in time")
        .expect("the stream goes on")
}

/// Items until `want` matches one; returns that one and the events passed on the way.
async fn until(
    stream: &mut (impl Stream<Item = LiveItem> + Unpin),
    want: impl Fn(&LiveItem) -> bool,
) -> (LiveItem, Vec<String>) {
    let mut events = Vec::new();
    loop {
        let item = next(stream).await;
        if want(&item) {
            return (item, events);
        }
        match item {
            LiveItem::Event(event) => events.push(event.customer.id),
            LiveItem::Ended(err) => panic!("the stream ended: {err}"),
            _ => {}
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_drop_is_noticed_by_missed_heartbeats_and_what_happened_meanwhile_arrives_once() {
    let (url, token, _dir) = backend().await;
    let proxy = Proxy::default();
    let via_proxy = proxy.clone().start(url.clone()).await;
    let direct = Client::with_options(&url, &token, options()).expect("direct client");
    let client = Client::with_options(&via_proxy, &token, options()).expect("proxied client");

    let (_, read_at) = direct
        .customers_page_read_at(None, 10, None)
        .await
        .expect("first page");
    let mut live = Box::pin(client.follow_events(read_at));
    until(&mut live, |i| matches!(i, LiveItem::Connected)).await;
    let before = direct
        .create_customer(&new_customer(1), "silent-1")
        .await
        .expect("created");
    let (_, on_the_way) = until(
        &mut live,
        |i| matches!(i, LiveItem::Event(e) if e.customer.id == before.id),
    )
    .await;
    assert!(on_the_way.is_empty(), "{on_the_way:?}");

    proxy.stall();
    let stalled_at = Instant::now();
    let mut meanwhile = Vec::new();
    for n in 2..=3 {
        let made = direct
            .create_customer(&new_customer(n), &format!("silent-{n}"))
            .await
            .expect("created while the path is silent");
        meanwhile.push(made.id);
    }
    let (lost, events) = until(&mut live, |i| matches!(i, LiveItem::Lost { .. })).await;
    let noticed = stalled_at.elapsed();
    assert!(
        events.is_empty(),
        "nothing crossed a silent path: {events:?}"
    );
    let LiveItem::Lost { error, retry_in } = lost else {
        unreachable!()
    };
    assert!(
        matches!(error, ClientError::Timeout { .. }),
        "the silence itself is the evidence: {error:?}"
    );
    assert!(retry_in <= Duration::from_millis(300), "{retry_in:?}");
    // The next attempt goes into the same silence: its answer never comes, and that is
    // reported too, rather than "reconnecting" for ever.
    let (again, events) = until(&mut live, |i| matches!(i, LiveItem::Lost { .. })).await;
    assert!(events.is_empty(), "{events:?}");
    assert!(
        matches!(
            &again,
            LiveItem::Lost {
                error: ClientError::Timeout { .. },
                ..
            }
        ),
        "{again:?}"
    );

    proxy.resume();
    let resumed_at = Instant::now();
    let (_, events) = until(&mut live, |i| matches!(i, LiveItem::Connected)).await;
    assert!(events.is_empty(), "{events:?}");
    let after = direct
        .create_customer(&new_customer(4), "silent-4")
        .await
        .expect("created after");
    let (_, mut received) = until(
        &mut live,
        |i| matches!(i, LiveItem::Event(e) if e.customer.id == after.id),
    )
    .await;
    let caught_up = resumed_at.elapsed();
    received.push(after.id.clone());
    let mut expected = meanwhile.clone();
    expected.push(after.id);
    assert_eq!(received, expected, "each change once, in order, none lost");
    assert_eq!(
        received.iter().collect::<HashSet<_>>().len(),
        received.len()
    );
    eprintln!(
        "silent drop: heartbeat {HEARTBEAT:?}, expected every {EXPECTED_HEARTBEAT:?}; loss \
         noticed {noticed:?} after the stall (two expected heartbeats = {:?}); caught up \
         {caught_up:?} after the path came back",
        EXPECTED_HEARTBEAT * 2
    );
}

#[tokio::test]
async fn an_idle_event_stream_sends_a_heartbeat_comment_at_the_configured_interval() {
    let (url, token, _dir) = backend().await;
    let mut response = reqwest::Client::new()
        .get(format!("{url}/v1/events"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("events");
    assert!(response.status().is_success(), "{}", response.status());
    let started = Instant::now();
    let mut body = String::new();
    let beats = async {
        while body.matches(": heartbeat\n\n").count() < 3 {
            let chunk = response
                .chunk()
                .await
                .expect("the stream stays open")
                .expect("not the end");
            body.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    tokio::time::timeout(DEADLINE, beats)
        .await
        .expect("three heartbeats in time");
    assert!(
        !body.contains("data:"),
        "nothing happened, so only heartbeats: {body:?}"
    );
    eprintln!(
        "three heartbeats in {:?} (every {HEARTBEAT:?})",
        started.elapsed()
    );
}
