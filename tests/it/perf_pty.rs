//! Measurements of the real binary in a pty against `cspdash serve` with 100,000 customers: time to
//! the first row, time until all rows are loaded, resident memory before and after, filter
//! keystrokes. Ignored by default (slow, and its figures depend on the machine); run with
//! `cargo test --release --test it perf -- --ignored --nocapture`; `CSPDASH_PERF_CUSTOMERS=1000000`
//! measures another size.

use std::time::{Duration, Instant};

use crate::e2e_pty::at_home;
use crate::served::serve;

fn customers() -> u32 {
    std::env::var("CSPDASH_PERF_CUSTOMERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// `1000000` as the header writes it: `1,000,000`.
fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

/// Bytes of customer JSON the backend sends for the whole list, fetched the way the dashboard does.
fn json_bytes(url: &str, token: &str) -> usize {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let client = cspdash::client::Client::new(url, token).expect("client");
        let mut next = None;
        let mut bytes = 0;
        loop {
            let page = client
                .customers_page(next.as_ref(), 1000, None)
                .await
                .expect("page");
            bytes += serde_json::to_vec(&page).map_or(0, |v| v.len());
            next = page.links.next;
            if next.is_none() {
                return bytes;
            }
        }
    })
}

#[test]
#[ignore = "measurement: slow; run by hand with --ignored --nocapture"]
fn perf_100k_customers() {
    let customers = customers();
    let total = thousands(customers);
    let served = serve(customers);
    let token = served.token("global-admin");
    let mut cmd = at_home(served.dir.path());
    cmd.args(["--backend", &served.url]);
    cmd.env("CSPDASH_TOKEN", &token);
    let started = Instant::now();
    let mut tui = crate::pty::Pty::spawn(cmd, 120, 40);
    let pid = tui.pid().expect("pid");
    let within = Duration::from_secs(600);
    tui.wait_for(&format!(" of {total}"), within);
    let first_row = started.elapsed();
    let rss_first = rss_kib(pid);
    tui.wait_for(&format!("{total} customers"), within);
    let all_rows = started.elapsed();
    std::thread::sleep(Duration::from_millis(500));
    let rss_all = rss_kib(pid);

    let keystrokes = "/alpine";
    let typing = Instant::now();
    tui.send(keystrokes);
    tui.wait_for("/alpine", within);
    tui.wait_for(&format!(" match · {total} customers"), within);
    let per_key = typing.elapsed() / (keystrokes.len() as u32);
    tui.send("\x1b");
    tui.wait_until("the filter to clear", within, |s| !s.contains(" match · "));
    tui.send("q");
    let status = tui.wait_exit(within);
    assert!(status.success());

    let json = json_bytes(&served.url, &token);
    println!("first row on screen: {first_row:?}");
    println!("all {customers} rows loaded: {all_rows:?}");
    println!(
        "RSS at first page: {} MiB; all loaded: {} MiB",
        rss_first / 1024,
        rss_all / 1024
    );
    println!(
        "memory growth after the first page: {:.1} MB for {:.1} MB of JSON ({:.0}%)",
        (rss_all - rss_first) as f64 * 1024.0 / 1e6,
        json as f64 / 1e6,
        (rss_all - rss_first) as f64 * 1024.0 * 100.0 / json as f64
    );
    println!("typing {keystrokes:?}, end to end through the pty: {per_key:?} per key");
}
