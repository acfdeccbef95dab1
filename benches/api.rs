//! Backend figures on a 100,000-customer database (issues 3 and 11): seeding time, first-page
//! latency, the latency of a page 900 pages deep (and its ratio to the first page), filter
//! latency, and list throughput with 1, 4 and 16 concurrent clients against one server and
//! against two replicas on the same database. Run with `cargo bench --bench api`; prints medians,
//! then one table with a column per store.
//!
//! Stores: SQLite always; PostgreSQL too when `CSPDASH_TEST_POSTGRES` names a server (a fresh
//! database is made on it, as for the tests). `CSPDASH_BENCH_STORE=sqlite|postgres|both` picks
//! explicitly. The two replicas are two servers in this process, each with a store of its own
//! on the one database (their own SQLite connections, their own PostgreSQL pool): on these
//! 2-core machines the replicas, the database and the load generator share the CPU, so the
//! throughput is a contended figure.
//!
//! `CSPDASH_BENCH_CUSTOMERS` changes the size (default 100000); the largest partners' case is
//! `CSPDASH_BENCH_CUSTOMERS=1000000 cargo bench --bench api` (about 4 GB of disk and a few minutes,
//! so not in CI). `CSPDASH_BENCH_DB` reuses a SQLite file seeded by an earlier run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use cspdash::api::Role;
use cspdash::server::store::postgres::scratch;
use cspdash::server::store::{Database, Store};
use cspdash::server::{AppState, auth, open_database, spawn};

const SAMPLES: usize = 60;
const CLIENTS: [usize; 3] = [1, 4, 16];

fn median(mut xs: Vec<Duration>) -> Duration {
    xs.sort();
    xs[xs.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// HTTP to one or more replicas: requests go round-robin by client number.
struct Bench {
    http: reqwest::Client,
    bases: Vec<String>,
    token: String,
}

impl Bench {
    async fn get_on(
        &self,
        replica: usize,
        path: &str,
        continuation: Option<&str>,
    ) -> serde_json::Value {
        let base = &self.bases[replica % self.bases.len()];
        let mut request = self
            .http
            .get(format!("{base}{path}"))
            .bearer_auth(&self.token);
        if let Some(token) = continuation {
            request = request.header("MS-ContinuationToken", token);
        }
        let response = request.send().await.unwrap();
        assert!(response.status().is_success(), "{}", response.status());
        response.json().await.unwrap()
    }

    async fn get(&self, path: &str, continuation: Option<&str>) -> serde_json::Value {
        self.get_on(0, path, continuation).await
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

/// One store's figures, for the closing table.
#[derive(Default)]
struct Figures {
    store: &'static str,
    seeding: Duration,
    first: Duration,
    deep: Duration,
    deep_pages: u32,
    /// (label, median, ratio to the first page)
    filters: Vec<(String, Duration, f64)>,
    /// (clients, pages/s on one server, pages/s on two replicas)
    throughput: Vec<(usize, f64, f64)>,
}

/// Prefixes matching many rows (a tenth of the book), some, few and none; upper case and other
/// scripts, since the search is case-insensitive. Target: each <= 10x the first page.
const FILTERS: [(&str, &str); 11] = [
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
];

/// Starts a server on `store`: its base URL. It runs until the process ends.
async fn server(store: Arc<dyn Store>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = AppState::new(store, &base, 1_000_000);
    spawn(listener, state, std::future::pending::<()>()).unwrap();
    base
}

/// `clients` tasks alternating first and deep pages for 3 s, spread over the bench's replicas:
/// pages per second.
async fn throughput(bench: &Arc<Bench>, clients: usize, continuation: &Option<String>) -> f64 {
    let window = Duration::from_secs(3);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for client in 0..clients {
        let bench = Arc::clone(bench);
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
                bench.get_on(client, "/v1/customers?size=100", token).await;
                done += 1;
            }
            done
        }));
    }
    let mut total = 0;
    for task in tasks {
        total += task.await.unwrap();
    }
    total as f64 / started.elapsed().as_secs_f64()
}

fn run(store: &'static str, db: Database, customers: u32) -> Figures {
    let mut figures = Figures {
        store,
        ..Figures::default()
    };
    println!("== {store}");
    let started = Instant::now();
    let first_store = open_database(&db, Some(customers)).unwrap();
    figures.seeding = started.elapsed();
    // The second replica's own store on the same database.
    let second_store = open_database(&db, None).unwrap();
    let token = auth::new_token();
    first_store
        .create_token(&auth::token_hash(&token), None, Role::AdminAgent, None)
        .unwrap();
    println!("customers                    {customers}");
    match &db {
        Database::Sqlite(path) => {
            let size = |suffix: &str| {
                let file = format!("{}{suffix}", path.display());
                std::fs::metadata(file).map(|m| m.len()).unwrap_or(0) >> 20
            };
            println!(
                "seeding                      {:.1} s (database {} MiB, WAL after seeding {} MiB)",
                figures.seeding.as_secs_f64(),
                size(""),
                size("-wal")
            );
        }
        Database::Postgres(_) => println!(
            "seeding                      {:.1} s",
            figures.seeding.as_secs_f64()
        ),
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let one = server(first_store).await;
        let two = server(second_store).await;
        let http = reqwest::Client::new();
        let bench = Arc::new(Bench {
            http: http.clone(),
            bases: vec![one.clone()],
            token: token.clone(),
        });
        let pair = Arc::new(Bench {
            http,
            bases: vec![one, two],
            token,
        });

        // Walk to page 900 to get its continuation token.
        let deep_pages = 900.min(customers / 100 - 1);
        figures.deep_pages = deep_pages;
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
        figures.first = first;
        figures.deep = deep;
        println!("first page (100)             {}", ms(first));
        println!(
            "page {deep_pages} deep                {}  (ratio to first page {:.2}; target <= 1.5)",
            ms(deep),
            deep.as_secs_f64() / first.as_secs_f64()
        );
        for (field, value) in FILTERS {
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
            let ratio = took.as_secs_f64() / plain.as_secs_f64();
            println!(
                "filter {field:<11} {value:<12} {:>10}  ({total} matches; ratio to first page {ratio:.1}; target <= 10)",
                ms(took),
            );
            figures
                .filters
                .push((format!("{field} {value}"), took, ratio));
        }

        for clients in CLIENTS {
            let alone = throughput(&bench, clients, &continuation).await;
            let both = throughput(&pair, clients, &continuation).await;
            println!(
                "throughput {clients:>2} clients         {alone:.0} pages/s on one server, {both:.0} on two replicas ({:.0} / {:.0} customers/s)",
                alone * 100.0,
                both * 100.0
            );
            figures.throughput.push((clients, alone, both));
        }
    });
    // The servers' tasks end with the runtime; the stores close after them.
    drop(runtime);
    figures
}

/// Which stores to measure: `CSPDASH_BENCH_STORE`, else SQLite and (if a server is named)
/// PostgreSQL.
fn stores() -> Vec<&'static str> {
    match std::env::var("CSPDASH_BENCH_STORE").ok().as_deref() {
        Some("sqlite") => vec!["sqlite"],
        Some("postgres") => vec!["postgres"],
        Some("both") => vec!["sqlite", "postgres"],
        Some(other) => panic!("CSPDASH_BENCH_STORE={other}: use sqlite, postgres or both"),
        None if scratch::server_url().is_some() => vec!["sqlite", "postgres"],
        None => {
            println!("PostgreSQL not measured: {}", scratch::missing_line());
            vec!["sqlite"]
        }
    }
}

fn table(all: &[Figures]) {
    let mut header = format!("{:<34}", "");
    for f in all {
        header.push_str(&format!("{:>22}", f.store));
    }
    println!("\n{header}");
    let row = |label: String, cell: &dyn Fn(&Figures) -> String| {
        let mut line = format!("{label:<34}");
        for f in all {
            line.push_str(&format!("{:>22}", cell(f)));
        }
        println!("{line}");
    };
    row("seeding".into(), &|f| {
        format!("{:.1} s", f.seeding.as_secs_f64())
    });
    row("first page (median)".into(), &|f| ms(f.first));
    row(format!("page {} deep (median)", all[0].deep_pages), &|f| {
        ms(f.deep)
    });
    row("  ratio to first (<= 1.5)".into(), &|f| {
        format!("{:.2}", f.deep.as_secs_f64() / f.first.as_secs_f64())
    });
    for (i, (label, _, _)) in all[0].filters.iter().enumerate() {
        row(format!("filter {label}"), &|f| {
            let (_, took, ratio) = &f.filters[i];
            format!("{} ({ratio:.1}x)", ms(*took))
        });
    }
    for (i, (clients, _, _)) in all[0].throughput.iter().enumerate() {
        row(format!("pages/s, {clients:>2} clients, 1 server"), &|f| {
            format!("{:.0}", f.throughput[i].1)
        });
        row(format!("pages/s, {clients:>2} clients, 2 replicas"), &|f| {
            format!("{:.0}", f.throughput[i].2)
        });
    }
    println!(
        "(throughput is contended: both replicas, the database and this load generator share the machine's cores)"
    );
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let customers: u32 = std::env::var("CSPDASH_BENCH_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let mut all = Vec::new();
    for store in stores() {
        let db = match store {
            "postgres" => {
                let admin =
                    scratch::server_url().unwrap_or_else(|| panic!("{}", scratch::missing_line()));
                Database::Postgres(scratch::create_database(&admin).unwrap())
            }
            _ => Database::Sqlite(
                std::env::var_os("CSPDASH_BENCH_DB")
                    .map(std::path::PathBuf::from)
                    .unwrap_or_else(|| dir.path().join("bench.db")),
            ),
        };
        all.push(run(store, db, customers));
    }
    table(&all);
}
