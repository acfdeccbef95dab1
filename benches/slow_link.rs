//! The whole customer list over loopback and over a slow link (issue 8 §6): time to the first page,
//! time to every row, bytes on the wire, before (paging, no compression: the old client path,
//! measured in the same run) and after (the shipped client: the bulk read, compressed), with the
//! two halves in between so the choice can be seen. On loopback the shipped client asks for no
//! compression (it would only cost CPU time there); through the proxy it does, as towards any
//! remote backend. The slow link is a delaying TCP proxy in this
//! process: 20 ms each way, 50 Mbit/s each way (no netem here). It models latency and bandwidth,
//! not TCP slow start, so real first rows come a few round trips later.
//!
//! `cargo bench --bench slow_link`; `CSPDASH_BENCH_CUSTOMERS` (default 100000) and
//! `CSPDASH_BENCH_RUNS` (default 5) change the size and the number of runs (medians are printed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use cspdash::api::{BULK_CONTENT_TYPE, Collection, Customer, Link, Role};
use cspdash::client::{Client, ClientOptions, Compression};
use cspdash::server::store::Store;
use cspdash::server::{AppState, auth, open_store, spawn};
use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ONE_WAY_DELAY: Duration = Duration::from_millis(20);
const BYTES_PER_SEC: f64 = 50e6 / 8.0;
/// Bytes a direction of the proxy holds in flight: about twice the link's bandwidth-delay product.
const PROXY_CHUNKS_IN_FLIGHT: usize = 32;
const PROXY_CHUNK: usize = 16 * 1024;

#[derive(Default)]
struct Wire {
    down: AtomicU64,
    up: AtomicU64,
}

/// Listens on 127.0.0.1:0 and forwards each connection to `upstream` through the slow link.
async fn slow_proxy(upstream: SocketAddr, wire: Arc<Wire>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let Ok(server) = TcpStream::connect(upstream).await else {
                continue;
            };
            let _ = (client.set_nodelay(true), server.set_nodelay(true));
            let (client_read, client_write) = client.into_split();
            let (server_read, server_write) = server.into_split();
            let (up, down) = (wire.clone(), wire.clone());
            tokio::spawn(pipe(client_read, server_write, move |n| {
                up.up.fetch_add(n, Ordering::Relaxed);
            }));
            tokio::spawn(pipe(server_read, client_write, move |n| {
                down.down.fetch_add(n, Ordering::Relaxed);
            }));
        }
    });
    addr
}

/// One direction: each chunk leaves when the link is free and its bytes are through at the
/// link's rate, and arrives one delay later.
async fn pipe(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    count: impl Fn(u64),
) {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<(Instant, Vec<u8>)>(PROXY_CHUNKS_IN_FLIGHT);
    let writer = tokio::spawn(async move {
        while let Some((at, bytes)) = rx.recv().await {
            tokio::time::sleep_until(at.into()).await;
            if to.write_all(&bytes).await.is_err() {
                return;
            }
        }
        let _ = to.shutdown().await;
    });
    let mut link_free = Instant::now();
    let mut buf = vec![0; PROXY_CHUNK];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        count(n as u64);
        let through =
            link_free.max(Instant::now()) + Duration::from_secs_f64(n as f64 / BYTES_PER_SEC);
        link_free = through;
        if tx
            .send((through + ONE_WAY_DELAY, buf[..n].to_vec()))
            .await
            .is_err()
        {
            break;
        }
    }
    drop(tx);
    let _ = writer.await;
}

/// One load of the whole list.
#[derive(Clone, Copy)]
struct Sample {
    first: Duration,
    all: Duration,
    down: u64,
    up: u64,
}

#[derive(Clone, Copy, PartialEq)]
enum Variant {
    /// The old client: a JSON page of 1,000 per request, nothing compressed.
    PagedPlain,
    PagedCompressed,
    BulkPlain,
    /// The shipped client (`Client::customer_pages_from`): the bulk read, compressed except on
    /// loopback.
    Shipped,
}

impl Variant {
    const ALL: [Variant; 4] = [
        Variant::PagedPlain,
        Variant::PagedCompressed,
        Variant::BulkPlain,
        Variant::Shipped,
    ];
    fn label(self) -> &'static str {
        match self {
            Variant::PagedPlain => "before: paging, no compression",
            Variant::PagedCompressed => "paging + compression",
            Variant::BulkPlain => "bulk read, no compression",
            Variant::Shipped => "after: the shipped client",
        }
    }
}

fn raw_client(compress: bool) -> reqwest::Client {
    reqwest::Client::builder()
        .gzip(compress)
        .zstd(compress)
        .build()
        .unwrap()
}

fn next_request(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    link: Option<&Link>,
) -> reqwest::RequestBuilder {
    let mut request = match link {
        None => http.get(format!("{base}/v1/customers?size=1000")),
        Some(link) => {
            let mut r = http.get(format!("{base}/v1{}", link.uri));
            for h in &link.headers {
                r = r.header(&h.key, &h.value);
            }
            r
        }
    };
    request = request.bearer_auth(token);
    request
}

/// Rows of each page are counted and dropped: the figure is the transfer, not the keeping.
async fn load(
    variant: Variant,
    base: &str,
    token: &str,
    remote: bool,
) -> (Duration, Duration, usize) {
    // Clients are made before the clock starts (a dashboard has its client before it loads);
    // each load still opens its own connection.
    let http = raw_client(variant == Variant::PagedCompressed);
    // The proxy listens on loopback too; through it the client must act as towards a remote
    // backend.
    let compression = match remote {
        true => Compression::Always,
        false => Compression::default(),
    };
    let options = ClientOptions {
        compression,
        ..ClientOptions::default()
    };
    let client = Client::with_options(base, token, options).unwrap();
    let started = Instant::now();
    let mut first = None;
    let mut rows = 0;
    let mut got = |page: &Collection<Customer>| {
        first.get_or_insert_with(|| started.elapsed());
        rows += page.items.len();
    };
    match variant {
        Variant::PagedPlain | Variant::PagedCompressed => {
            let mut link = None;
            loop {
                let response = next_request(&http, base, token, link.as_ref())
                    .header("Accept", "application/json")
                    .send()
                    .await
                    .unwrap();
                let page: Collection<Customer> = response.json().await.unwrap();
                got(&page);
                link = page.links.next;
                if link.is_none() {
                    break;
                }
            }
        }
        Variant::BulkPlain => {
            let mut response = next_request(&http, base, token, None)
                .header("Accept", BULK_CONTENT_TYPE)
                .send()
                .await
                .unwrap();
            let (mut buffer, mut scanned) = (Vec::new(), 0);
            while let Some(chunk) = response.chunk().await.unwrap() {
                buffer.extend_from_slice(&chunk);
                while let Some(at) = memchr::memchr(b'\n', &buffer[scanned..]) {
                    let end = scanned + at;
                    let page: Collection<Customer> =
                        serde_json::from_slice(&buffer[..end]).unwrap();
                    got(&page);
                    buffer.drain(..=end);
                    scanned = 0;
                }
                scanned = buffer.len();
            }
        }
        Variant::Shipped => {
            let pages = client.customer_pages_from(1000, None, None);
            futures::pin_mut!(pages);
            while let Some(read) = pages.next().await {
                got(&read.unwrap().0);
            }
        }
    }
    (first.unwrap(), started.elapsed(), rows)
}

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let env = |name: &str, default: u32| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let customers = env("CSPDASH_BENCH_CUSTOMERS", 100_000);
    let runs = env("CSPDASH_BENCH_RUNS", 5).max(1) as usize;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let started = Instant::now();
    let store = open_store(&path, Some(customers)).unwrap();
    let token = auth::new_token();
    store
        .create_token(&auth::token_hash(&token), None, Role::SalesAgent, None)
        .unwrap();
    println!(
        "customers {customers}, seeded in {:.1} s; {runs} runs each, medians",
        started.elapsed().as_secs_f64()
    );
    println!(
        "slow link: {} ms each way, {} Mbit/s each way (a delaying proxy)",
        ONE_WAY_DELAY.as_millis(),
        BYTES_PER_SEC * 8.0 / 1e6
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server_addr = listener.local_addr().unwrap();
        let loopback = format!("http://{server_addr}");
        let state = AppState::new(Arc::new(store), &loopback, 1_000_000);
        let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
        spawn(listener, state, async {
            let _ = stopped.await;
        })
        .unwrap();
        let wire = Arc::new(Wire::default());
        let slow = format!("http://{}", slow_proxy(server_addr, wire.clone()).await);

        // A warm-up, so the first measured run does not pay for a cold page cache.
        load(Variant::PagedPlain, &loopback, &token, false).await;

        // Server memory while one bulk read streams (client and server share this process; the
        // client drops each page, so the growth is the server's and the codec's).
        let base_rss = rss_kib();
        let peak = Arc::new(AtomicU64::new(base_rss));
        let stop = Arc::new(AtomicBool::new(false));
        let sampler = {
            let (peak, stop) = (peak.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    peak.fetch_max(rss_kib(), Ordering::Relaxed);
                    std::thread::sleep(Duration::from_millis(20));
                }
            })
        };
        load(Variant::Shipped, &slow, &token, true).await;
        stop.store(true, Ordering::Relaxed);
        sampler.join().unwrap();
        println!(
            "RSS growth during one bulk read over the slow link: {:.1} MB",
            (peak.load(Ordering::Relaxed).saturating_sub(base_rss)) as f64 / 1024.0
        );

        println!(
            "\n{:<9} {:<32} {:>10} {:>10} {:>12} {:>9}",
            "link", "variant", "first row", "all rows", "bytes down", "bytes up"
        );
        let mut results = Vec::new();
        for (link, base, through_proxy) in [("loopback", &loopback, false), ("slow", &slow, true)]
        {
            // Rounds of every variant in turn, so the machine's noise hits them alike.
            let mut by_variant: Vec<Vec<Sample>> = vec![Vec::new(); Variant::ALL.len()];
            for _ in 0..runs {
                for (variant, samples) in Variant::ALL.iter().zip(by_variant.iter_mut()) {
                    wire.down.store(0, Ordering::Relaxed);
                    wire.up.store(0, Ordering::Relaxed);
                    let (first, all, rows) = load(*variant, base, &token, through_proxy).await;
                    assert_eq!(rows as u32, customers, "every customer arrived");
                    samples.push(Sample {
                        first,
                        all,
                        down: wire.down.load(Ordering::Relaxed),
                        up: wire.up.load(Ordering::Relaxed),
                    });
                }
            }
            for (variant, samples) in Variant::ALL.into_iter().zip(by_variant) {
                let first = median(samples.iter().map(|s| s.first).collect());
                let all = median(samples.iter().map(|s| s.all).collect());
                let (down, up) = match through_proxy {
                    true => (
                        format!("{:.1} MB", samples[0].down as f64 / 1e6),
                        format!("{} B", samples[0].up),
                    ),
                    false => ("(as slow)".into(), String::new()),
                };
                println!(
                    "{link:<9} {:<32} {:>8.0}ms {:>9.2}s {down:>12} {up:>10}",
                    variant.label(),
                    first.as_secs_f64() * 1000.0,
                    all.as_secs_f64(),
                );
                results.push((link, variant, first, all, samples[0].down));
            }
        }
        let find = |link: &str, variant: Variant| {
            *results
                .iter()
                .find(|r| r.0 == link && r.1 == variant)
                .unwrap()
        };
        println!();
        for link in ["loopback", "slow"] {
            let before = find(link, Variant::PagedPlain);
            let after = find(link, Variant::Shipped);
            println!(
                "{link:<9} after/before: all rows {:.2}x ({:.2} s -> {:.2} s), first row {:.2}x",
                after.3.as_secs_f64() / before.3.as_secs_f64(),
                before.3.as_secs_f64(),
                after.3.as_secs_f64(),
                after.2.as_secs_f64() / before.2.as_secs_f64(),
            );
        }
        let (before, after) = (find("slow", Variant::PagedPlain), find("slow", Variant::Shipped));
        println!(
            "bytes down: {:.1} MB -> {:.1} MB ({:.1}x less); targets on the slow link: all <= 4 s, first <= 0.5 s",
            before.4 as f64 / 1e6,
            after.4 as f64 / 1e6,
            before.4 as f64 / after.4.max(1) as f64
        );

    });
}
