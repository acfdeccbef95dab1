//! Backend figures on a 100,000-customer database (issue 3): seeding time, first-page latency, the
//! latency of a page 900 pages deep (and its ratio to the first page), filter latency, and list
//! throughput with concurrent clients. Run with `cargo bench --bench api`; prints medians.
//!
//! `CSPDASH_BENCH_CUSTOMERS` changes the size (default 100000).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use cspdash::api::Role;
use cspdash::server::store::Store;
use cspdash::server::{AppState, auth, open_store, spawn};

const SAMPLES: usize = 60;

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

struct Bench {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Bench {
    async fn get(&self, path: &str, continuation: Option<&str>) -> serde_json::Value {
        let mut request = self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(token) = continuation {
            request = request.header("MS-ContinuationToken", token);
        }
        let response = request.send().await.unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        response.json().await.unwrap()
    }

    /// Median wall time of `SAMPLES` requests (after a few warm-ups).
    async fn latency(&self, path: &str, continuation: Option<&str>) -> Duration {
        for _ in 0..5 {
            self.get(path, continuation).await;
        }
        let mut times = Vec::with_capacity(SAMPLES);
        for _ in 0..SAMPLES {
            let started = Instant::now();
            self.get(path, continuation).await;
            times.push(started.elapsed());
        }
        median(times)
    }
}

fn filter(field: &str, value: &str) -> String {
    let json = serde_json::json!({"Field": field, "Value": value, "Operator": "starts_with"});
    format!(
        "/v1/customers?size=100&filter={}",
        percent_encoding::utf8_percent_encode(
            &json.to_string(),
            percent_encoding::NON_ALPHANUMERIC
        )
    )
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let customers: u32 = std::env::var("CSPDASH_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bench.db");
    let started = Instant::now();
    let store = open_store(&path, Some(customers)).unwrap();
    let seeding = started.elapsed();
    let token = auth::new_token();
    store
        .create_token(&auth::token_hash(&token), None, Role::AdminAgent, None)
        .unwrap();
    let db_bytes = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!("customers                    {customers}");
    println!(
        "seeding                      {:.1} s (database {} MiB)",
        seeding.as_secs_f64(),
        db_bytes >> 20
    );

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let state = AppState::new(Arc::new(store), &base, 1_000_000);
        let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
        spawn(listener, state, async {
            let _ = stopped.await;
        })
        .unwrap();
        let bench = Arc::new(Bench {
            http: reqwest::Client::new(),
            base,
            token,
        });

        // Walk to page 900 to get its continuation token.
        let deep_pages = 900.min(customers / 100 - 1);
        let mut continuation: Option<String> = None;
        for _ in 0..deep_pages {
            let page = bench
                .get("/v1/customers?size=100", continuation.as_deref())
                .await;
            continuation = page["links"]["next"]["headers"][0]["value"]
                .as_str()
                .map(str::to_string);
        }
        // Interleave first and deep pages so machine noise hits both alike.
        let (mut firsts, mut deeps) = (Vec::new(), Vec::new());
        for _ in 0..SAMPLES {
            for (times, token) in [(&mut firsts, None), (&mut deeps, continuation.as_deref())] {
                let started = Instant::now();
                bench.get("/v1/customers?size=100", token).await;
                times.push(started.elapsed());
            }
        }
        let (first, deep) = (median(firsts), median(deeps));
        println!("first page (100)             {}", ms(first));
        println!(
            "page {deep_pages} deep                {}  (ratio to first page {:.2}; target <= 1.5)",
            ms(deep),
            deep.as_secs_f64() / first.as_secs_f64()
        );
        for (field, value) in [
            ("CompanyName", "north"),
            ("CompanyName", "müller"),
            ("Domain", "alpine"),
            ("Domain", "zz"),
        ] {
            let took = bench.latency(&filter(field, value), None).await;
            println!("filter {field:<11} {value:<8}  {}", ms(took));
        }

        for clients in [1usize, 4, 16] {
            let window = Duration::from_secs(3);
            let started = Instant::now();
            let mut tasks = Vec::new();
            for _ in 0..clients {
                let bench = Arc::clone(&bench);
                let continuation = continuation.clone();
                tasks.push(tokio::spawn(async move {
                    let mut done = 0u64;
                    while started.elapsed() < window {
                        // Alternate a first page and a deep page, as a team of dashboards would.
                        let token = if done.is_multiple_of(2) {
                            None
                        } else {
                            continuation.as_deref()
                        };
                        bench.get("/v1/customers?size=100", token).await;
                        done += 1;
                    }
                    done
                }));
            }
            let mut total = 0;
            for task in tasks {
                total += task.await.unwrap();
            }
            let rate = total as f64 / started.elapsed().as_secs_f64();
            println!(
                "throughput {clients:>2} clients         {rate:.0} pages/s ({:.0} customers/s)",
                rate * 100.0
            );
        }
    });
}
