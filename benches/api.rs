//! Backend figures on a 100,000-customer database (issue 3): seeding time, first-page latency, the
//! latency of a page 900 pages deep (and its ratio to the first page), filter latency, and list
//! throughput with concurrent clients. Run with `cargo bench --bench api`; prints medians.
//!
//! `CSPDASH_BENCH_CUSTOMERS` changes the size (default 100000); the largest partners' case is
//! `CSPDASH_BENCH_CUSTOMERS=1000000 cargo bench --bench api` (about 4 GB of disk and a few minutes,
//! so not in CI).
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
    // `CSPDASH_BENCH_DB` reuses a database seeded by an earlier run (seeding 1,000,000 takes minutes).
    let path = std::env::var_os("CSPDASH_BENCH_DB")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dir.path().join("bench.db"));
    let started = Instant::now();
    let store = open_store(&path, Some(customers)).unwrap();
    let seeding = started.elapsed();
    let token = auth::new_token();
    store
        .create_token(&auth::token_hash(&token), None, Role::AdminAgent, None)
        .unwrap();
    let size = |suffix: &str| {
        let file = format!("{}{suffix}", path.display());
        std::fs::metadata(file).map(|m| m.len()).unwrap_or(0) >> 20
    };
    println!("customers                    {customers}");
    println!(
        "seeding                      {:.1} s (database {} MiB, WAL after seeding {} MiB)",
        seeding.as_secs_f64(),
        size(""),
        size("-wal")
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
        // Prefixes matching many rows (a tenth of the book), some, few and none; upper case and
        // other scripts, since the search is case-insensitive. Target: each <= 10x the first page.
        for (field, value) in [
            ("CompanyName", "s"),
            ("CompanyName", "north"),
            ("CompanyName", "ØRESUND"),
            ("CompanyName", "株式会社"),
            ("CompanyName", "müller & s"),
            ("CompanyName", "zz"),
            ("Domain", "t"),
            // Many matches, all sorting after the other "t" domains' names (other scripts).
            ("Domain", "tenant"),
            ("Domain", "alpine"),
            ("Domain", "CEDARDENTAL"),
            ("Domain", "zz"),
        ] {
            let url = filter(field, value);
            let total = bench.get(&url, None).await["totalCount"].clone();
            for _ in 0..5 {
                bench.get(&url, None).await;
            }
            // Interleaved with the unfiltered first page, so the ratio compares like with like.
            let (mut plain, mut filtered) = (Vec::new(), Vec::new());
            for _ in 0..SAMPLES {
                for (times, path) in [(&mut plain, "/v1/customers?size=100"), (&mut filtered, &url)] {
                    let started = Instant::now();
                    bench.get(path, None).await;
                    times.push(started.elapsed());
                }
            }
            let (plain, took) = (median(plain), median(filtered));
            println!(
                "filter {field:<11} {value:<12} {:>10}  ({total} matches; ratio to first page {:.1}; target <= 10)",
                ms(took),
                took.as_secs_f64() / plain.as_secs_f64()
            );
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
