//! Load test (issue 8 §7): the real `cspdash serve` on loopback over 100,000 demo customers while
//! readers page through the list, others filter it and writers add customers (`POST` with
//! `MS-RequestId`, retried with the same id when no answer came, as a careful client does).
//! Prints requests/s, p50/p99 latency and errors by kind, then reads the whole list and checks
//! that every acknowledged write is there exactly once and nothing else was added twice.
//! Run with `cargo bench --bench load`; not part of CI.
//!
//! Environment: `CSPDASH_LOAD_SECS` (60), `CSPDASH_LOAD_CUSTOMERS` (100000),
//! `CSPDASH_LOAD_READERS` (8), `CSPDASH_LOAD_FILTERERS` (4), `CSPDASH_LOAD_WRITERS` (4).
//! Every worker has its own token and the server runs with `--rate-limit 1000000`, so the
//! per-token limit (100/s, bursts of 200) is not what is measured.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_cspdash");
const PAGE: u32 = 100;
/// Filter prefixes: common and rare starts of the demo data's names and domains.
const PREFIXES: [(&str, &str); 6] = [
    ("CompanyName", "north"),
    ("CompanyName", "a"),
    ("CompanyName", "müller"),
    ("Domain", "alpine"),
    ("Domain", "zz"),
    ("Domain", "load-"),
];

fn env_num(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(db: &std::path::Path, customers: u64) -> Server {
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--rate-limit",
            "1000000",
        ])
        .arg("--db")
        .arg(db)
        .args(["--demo", &customers.to_string()])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cspdash serve");
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in stderr.lines().map_while(Result::ok) {
            match line.strip_prefix("listening on ") {
                Some(url) => {
                    let _ = tx.send(url.trim().to_string());
                }
                None => eprintln!("serve: {line}"),
            }
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(600))
        .expect("`cspdash serve` says where it listens");
    Server { child, url }
}

fn token(db: &std::path::Path) -> String {
    let out = Command::new(BIN)
        .args(["token", "create", "--role", "admin-agent", "--db"])
        .arg(db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn rss_mib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?.to_string();
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kib| kib >> 10)
}

/// Latencies and outcomes of one kind of request.
#[derive(Default)]
struct Tally {
    times: Vec<Duration>,
    /// Status (0 = no answer: timeout or connection error) → count, for non-success answers.
    errors: BTreeMap<u16, u64>,
}

#[derive(Default)]
struct Tallies(Mutex<HashMap<&'static str, Tally>>);

impl Tallies {
    fn record(&self, kind: &'static str, took: Duration, status: Option<u16>) {
        let mut all = self.0.lock().unwrap();
        let tally = all.entry(kind).or_default();
        match status {
            Some(s) if (200..300).contains(&s) => tally.times.push(took),
            other => *tally.errors.entry(other.unwrap_or(0)).or_default() += 1,
        }
    }
}

struct Worker {
    http: reqwest::Client,
    base: String,
    token: String,
    tallies: Arc<Tallies>,
}

impl Worker {
    /// One timed request; the body when it succeeded.
    async fn send(&self, kind: &'static str, request: reqwest::RequestBuilder) -> Option<Value> {
        let started = Instant::now();
        let result = request.bearer_auth(&self.token).send().await;
        let (status, body) = match result {
            Ok(response) => {
                let status = response.status().as_u16();
                (Some(status), response.json::<Value>().await.ok())
            }
            Err(_) => (None, None),
        };
        let status = if body.is_none() && status.is_some_and(|s| s < 300) {
            None // an answer cut short counts as no answer
        } else {
            status
        };
        self.tallies.record(kind, started.elapsed(), status);
        status.filter(|s| (200..300).contains(s)).and(body)
    }

    fn next(&self, page: &Value) -> Option<reqwest::RequestBuilder> {
        let next = page["links"].get("next")?;
        let uri = next["uri"].as_str()?;
        let url = if uri.starts_with("http") {
            uri.to_string()
        } else if uri.starts_with("/v1/") {
            format!("{}{uri}", self.base)
        } else {
            format!("{}/v1{uri}", self.base)
        };
        let mut request = self.http.get(url);
        for header in next["headers"].as_array()? {
            request = request.header(header["key"].as_str()?, header["value"].as_str()?);
        }
        Some(request)
    }

    fn first(&self, filter: Option<(&str, &str)>, size: u32) -> reqwest::RequestBuilder {
        let mut url = format!("{}/v1/customers?size={size}", self.base);
        if let Some((field, value)) = filter {
            let json =
                json!({"Field": field, "Value": value, "Operator": "starts_with"}).to_string();
            let encoded =
                percent_encoding::utf8_percent_encode(&json, percent_encoding::NON_ALPHANUMERIC);
            url += &format!("&filter={encoded}");
        }
        self.http.get(url)
    }
}

/// Pages through the list from the start, 1 to 50 pages deep, again and again.
async fn reader(w: Worker, n: u64, until: Instant) {
    let mut round = n;
    while Instant::now() < until {
        round += 1;
        let depth = 1 + (round * 7919) % 50;
        let mut request = Some(w.first(None, PAGE));
        for _ in 0..depth {
            let Some(sent) = request.take() else { break };
            let Some(page) = w.send("list", sent).await else {
                break;
            };
            request = w.next(&page);
            if Instant::now() >= until {
                return;
            }
        }
    }
}

/// A filter's first page and sometimes its second, over the prefixes in turn.
async fn filterer(w: Worker, n: u64, until: Instant) {
    let mut round = n as usize;
    while Instant::now() < until {
        round += 1;
        let prefix = PREFIXES[round % PREFIXES.len()];
        let Some(page) = w.send("filter", w.first(Some(prefix), PAGE)).await else {
            continue;
        };
        if round.is_multiple_of(3)
            && let Some(next) = w.next(&page)
        {
            w.send("filter", next).await;
        }
    }
}

/// What the writers were told: domain → the id in each acknowledgement; and the domains of
/// writes that were never acknowledged.
#[derive(Default)]
struct Writes {
    acked: Mutex<HashMap<String, Vec<String>>>,
    unacked: Mutex<Vec<String>>,
    replays: Mutex<u64>,
    /// Replays answered with anything but the first answer's customer (a 409, say).
    replays_refused: Mutex<u64>,
}

async fn writer(w: Worker, n: u64, until: Instant, writes: Arc<Writes>) {
    let mut count = 0u64;
    while Instant::now() < until {
        count += 1;
        let domain = format!("load-w{n}-{count}.example");
        let body = json!({
            "companyProfile": {"domain": domain},
            "billingProfile": {
                "firstName": "Ana", "lastName": "Load", "email": format!("ana@{domain}"),
                "culture": "en-US", "language": "en", "companyName": format!("Load {n} {count} Ltd"),
                "defaultAddress": {"country": "US", "city": "Redmond", "addressLine1": "1 Main St",
                                   "postalCode": "98052"}
            }
        });
        let request_id = uuid::Uuid::new_v4().to_string();
        let post = || {
            w.http
                .post(format!("{}/v1/customers", w.base))
                .header("MS-RequestId", &request_id)
                .json(&body)
        };
        // No answer: send the same request again (same MS-RequestId), up to three times.
        let mut answer = None;
        for _ in 0..3 {
            answer = w.send("create", post()).await;
            if answer.is_some() {
                break;
            }
        }
        let Some(created) = answer else {
            writes.unacked.lock().unwrap().push(domain);
            continue;
        };
        let mut ids = vec![created["id"].as_str().unwrap_or_default().to_string()];
        // Every tenth write is replayed once more after its answer: the same customer must come
        // back, not a second one.
        if count.is_multiple_of(10) {
            match w.send("create replay", post()).await {
                Some(again) => ids.push(again["id"].as_str().unwrap_or_default().to_string()),
                None => *writes.replays_refused.lock().unwrap() += 1,
            }
            *writes.replays.lock().unwrap() += 1;
        }
        writes.acked.lock().unwrap().insert(domain, ids);
    }
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let secs = env_num("CSPDASH_LOAD_SECS", 60);
    let customers = env_num("CSPDASH_LOAD_CUSTOMERS", 100_000);
    let readers = env_num("CSPDASH_LOAD_READERS", 8);
    let filterers = env_num("CSPDASH_LOAD_FILTERERS", 4);
    let writers = env_num("CSPDASH_LOAD_WRITERS", 4);

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("load.db");
    let seeding = Instant::now();
    let server = serve(&db, customers);
    println!(
        "server          cspdash serve, {customers} customers (seeded in {:.1} s), --rate-limit 1000000, one token per worker",
        seeding.elapsed().as_secs_f64()
    );
    println!(
        "load            {readers} listing, {filterers} filtering, {writers} writing for {secs} s"
    );
    let rss_before = rss_mib(server.child.id());

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let tallies = Arc::new(Tallies::default());
    let writes = Arc::new(Writes::default());
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let worker = || Worker {
        http: http.clone(),
        base: server.url.clone(),
        token: token(&db),
        tallies: Arc::clone(&tallies),
    };
    let started = Instant::now();
    let until = started + Duration::from_secs(secs);
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for n in 0..readers {
            tasks.push(tokio::spawn(reader(worker(), n, until)));
        }
        for n in 0..filterers {
            tasks.push(tokio::spawn(filterer(worker(), n, until)));
        }
        for n in 0..writers {
            tasks.push(tokio::spawn(writer(
                worker(),
                n,
                until,
                Arc::clone(&writes),
            )));
        }
        for task in tasks {
            task.await.unwrap();
        }
    });
    let elapsed = started.elapsed().as_secs_f64();
    let rss_after = rss_mib(server.child.id());

    println!(
        "\n{:<15} {:>9} {:>8} {:>9} {:>9}  errors by status (0 = no answer)",
        "kind", "ok", "req/s", "p50", "p99"
    );
    let mut all = tallies.0.lock().unwrap();
    let mut kinds: Vec<_> = all.keys().copied().collect();
    kinds.sort_unstable();
    for kind in kinds {
        let tally = all.get_mut(kind).unwrap();
        tally.times.sort_unstable();
        let errors: u64 = tally.errors.values().sum();
        println!(
            "{kind:<15} {:>9} {:>8.0} {:>9} {:>9}  {errors} {:?}",
            tally.times.len(),
            (tally.times.len() as u64 + errors) as f64 / elapsed,
            ms(percentile(&tally.times, 0.5)),
            ms(percentile(&tally.times, 0.99)),
            tally.errors
        );
    }
    drop(all); // the final listing below records into the same tallies
    println!("server RSS      {rss_before} MiB before, {rss_after} MiB after the load");

    // Afterwards: the whole list, once, and every acknowledged write in it exactly once.
    let listed = runtime.block_on(async {
        let w = worker();
        let mut items: Vec<Value> = Vec::new();
        let mut request = Some(w.first(None, 1000));
        while let Some(sent) = request.take() {
            let page = w
                .send("verify", sent)
                .await
                .expect("every page of the final listing");
            items.extend(page["items"].as_array().unwrap().iter().cloned());
            request = w.next(&page);
        }
        items
    });
    let mut by_domain: HashMap<String, Vec<String>> = HashMap::new();
    let mut ids: HashMap<String, u32> = HashMap::new();
    for item in &listed {
        let id = item["id"].as_str().unwrap().to_string();
        *ids.entry(id.clone()).or_default() += 1;
        let domain = item["companyProfile"]["domain"]
            .as_str()
            .unwrap()
            .to_string();
        by_domain.entry(domain).or_default().push(id);
    }
    let acked = writes.acked.lock().unwrap();
    let unacked = writes.unacked.lock().unwrap();
    let twice_listed = ids.values().filter(|&&n| n > 1).count();
    let mut missing = 0;
    let mut duplicated = 0;
    let mut wrong_id = 0;
    for (domain, told) in acked.iter() {
        match by_domain.get(domain).map(Vec::as_slice) {
            None | Some([]) => missing += 1,
            Some([id]) => wrong_id += told.iter().filter(|t| *t != id).count(),
            Some(_) => duplicated += 1,
        }
    }
    let unacked_twice = unacked
        .iter()
        .filter(|d| by_domain.get(*d).is_some_and(|ids| ids.len() > 1))
        .count();
    let replays_refused = *writes.replays_refused.lock().unwrap();
    let load_rows = by_domain.keys().filter(|d| d.starts_with("load-w")).count();
    let unacked_present = unacked
        .iter()
        .filter(|d| by_domain.contains_key(*d))
        .count();
    let stray = load_rows.saturating_sub(acked.len() + unacked_present);
    println!(
        "\nafter the load  {} customers listed ({} ids listed twice); {} writes acknowledged \
         ({} replayed), {} not acknowledged",
        listed.len(),
        twice_listed,
        acked.len(),
        writes.replays.lock().unwrap(),
        unacked.len()
    );
    println!(
        "exactly once    missing {missing}, duplicated {duplicated}, id differs from the ack {wrong_id}, \
         unacknowledged present twice {unacked_twice}, added by no writer {stray}, \
         replays refused {replays_refused}"
    );
    let ok = twice_listed == 0
        && missing == 0
        && duplicated == 0
        && wrong_id == 0
        && unacked_twice == 0
        && stray == 0
        && replays_refused == 0
        && listed.len() == customers as usize + acked.len() + unacked_present;
    println!("verdict         {}", if ok { "PASS" } else { "FAIL" });
    drop(server);
    if !ok {
        std::process::exit(1);
    }
}
