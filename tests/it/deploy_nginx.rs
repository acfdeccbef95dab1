//! The arrangement `deploy/` describes, for real: two `cspdash serve` replicas on one PostgreSQL
//! database behind Debian's nginx, run with a copy of `deploy/nginx.conf` whose only changes are
//! loopback ports and paths in a temporary directory. Requests through nginx reach both replicas;
//! a live event stream through nginx delivers, promptly, customers created on either replica;
//! `--trusted-proxy` makes the per-client limits count the forwarded address; the request id
//! travels from the client through nginx to the backend and back; and with one replica stopped,
//! nginx keeps serving from the other.
//!
//! Needs nginx (`apt-get install nginx`) and a PostgreSQL (`CSPDASH_TEST_POSTGRES`): without them
//! it says so in one line and passes as skipped; under `CI=true` it fails instead.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{IpAddr, Ipv4Addr, TcpListener};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cspdash::server::store::postgres::scratch;
use futures::StreamExt;

use crate::helpers::{StoreKind, install_crypto, new_customer, postgres_store};
use crate::served::{BIN, create_token, spawn_listening};
use crate::tools::{Tool, require};

const NGINX: Tool = Tool {
    names: &["nginx"],
    install: "apt-get install nginx",
};

/// The deployment's nginx configuration, as shipped.
const DEPLOY_CONF: &str = include_str!("../../deploy/nginx.conf");

/// Kills the process when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Running {
    fn sigterm(&self) {
        let pid = self.0.id().to_string();
        assert!(
            Command::new("kill")
                .args(["-TERM", &pid])
                .status()
                .unwrap()
                .success()
        );
    }
}

/// A loopback port nothing listens on just now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `text` with `from` replaced by `to`, which must be there: a change to deploy/nginx.conf that
/// this copy no longer fits fails here, not later in a puzzling way.
fn swap(text: &str, from: &str, to: &str) -> String {
    assert!(
        text.contains(from),
        "deploy/nginx.conf has no {from:?} any more"
    );
    text.replacen(from, to, 1)
}

/// deploy/nginx.conf with the replicas at `a` and `b`, listening on `port`, everything it writes
/// under `dir`.
fn nginx_conf(a: &str, b: &str, port: u16, dir: &Path) -> String {
    let d = dir.display();
    let mut conf = swap(DEPLOY_CONF, "server cspdash-a:8080", &format!("server {a}"));
    conf = swap(&conf, "server cspdash-b:8080", &format!("server {b}"));
    conf = swap(&conf, "listen 80;", &format!("listen 127.0.0.1:{port};"));
    conf = swap(&conf, "pid /tmp/nginx.pid;", &format!("pid {d}/nginx.pid;"));
    conf = swap(
        &conf,
        "error_log /dev/stderr warn;",
        &format!("error_log {d}/error.log warn;"),
    );
    let temp = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
        .map(|kind| format!("    {kind}_temp_path {d}/{kind}_temp;\n"))
        .concat();
    swap(
        &conf,
        "    access_log /dev/stdout cspdash;\n",
        &format!("    access_log {d}/access.log cspdash;\n{temp}"),
    )
}

/// A replica on `db`, trusting only nginx (on 127.0.0.1); its base URL.
fn replica(db: &str) -> (Running, String) {
    let mut cmd = Command::new(BIN);
    cmd.args([
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--demo",
        "3",
        "--db",
        db,
    ])
    .args(["--trusted-proxy", "127.0.0.1", "--failed-auth-limit", "1"])
    .args(["--heartbeat-ms", "1000"]);
    let (child, url) = spawn_listening(&mut cmd);
    (Running(child), url)
}

/// Debian's nginx in the foreground on the copied configuration.
fn start_nginx(nginx: &Path, dir: &Path, conf: &str) -> Running {
    use std::os::unix::fs::PermissionsExt;
    // nginx's workers run as another user when the test runs as root: let them in.
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let file = dir.join("nginx.conf");
    std::fs::write(&file, conf).unwrap();
    let child = Command::new(nginx)
        .arg("-p")
        .arg(dir)
        .arg("-c")
        .arg(&file)
        .args(["-g", "daemon off;"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start nginx");
    Running(child)
}

/// A client whose connections come from `ip` (127.0.0.0/8 is all this machine's).
fn client_from(ip: Ipv4Addr) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(IpAddr::V4(ip))
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

async fn until_ok(http: &reqwest::Client, url: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(response) = http.get(url).send().await
            && response.status() == 200
        {
            return;
        }
        assert!(Instant::now() < deadline, "{url} never answered 200");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_behind_nginx_serve_as_one_backend() {
    let Some(found) = require(&[NGINX]) else {
        return;
    };
    let Some(StoreKind::Postgres(admin)) = postgres_store() else {
        return;
    };
    install_crypto();
    let db = scratch::create_database(&admin).unwrap();
    let (a, b, token) = tokio::task::spawn_blocking(move || {
        let a = replica(&db);
        let b = replica(&db);
        let token = create_token(Path::new(&db), "admin-agent", &[]);
        (a, b, token)
    })
    .await
    .unwrap();
    let ((_a_process, a_url), (b_process, b_url)) = (a, b);
    let host = |url: &str| url.trim_start_matches("http://").to_string();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let conf = nginx_conf(&host(&a_url), &host(&b_url), port, dir.path());
    let _nginx = start_nginx(&found[0], dir.path(), &conf);
    let front = format!("http://127.0.0.1:{port}");
    let http = client_from(Ipv4Addr::LOCALHOST);
    until_ok(&http, &format!("{front}/readyz")).await;

    // The request id goes through nginx and comes back; nginx logs the same id.
    let response = http
        .get(format!("{front}/v1/me"))
        .bearer_auth(&token)
        .header("X-Request-Id", "deploy-test-1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["x-request-id"], "deploy-test-1");

    // Round robin: both replicas answer through nginx (its log names the upstream of each).
    for _ in 0..10 {
        let response = http
            .get(format!("{front}/v1/customers"))
            .bearer_auth(&token)
            .send()
            .await;
        assert_eq!(response.unwrap().status(), 200);
    }
    let log = std::fs::read_to_string(dir.path().join("access.log")).unwrap();
    for replica in [host(&a_url), host(&b_url)] {
        assert!(
            log.contains(&format!("upstream={replica}")),
            "{replica} unused:\n{log}"
        );
    }
    assert!(log.contains("id=deploy-test-1"), "{log}");

    // One live stream through nginx, on whichever replica nginx picks; a customer created on
    // each replica directly, so one of them is surely the other replica's: both arrive, soon.
    let stream = http
        .get(format!("{front}/v1/events"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let mut stream = stream.bytes_stream();
    let started = Instant::now();
    for (url, domain) in [(&a_url, "via-a.example"), (&b_url, "via-b.example")] {
        let created = http
            .post(format!("{url}/v1/customers"))
            .bearer_auth(&token)
            .json(&new_customer(domain, domain))
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), 201, "{domain}");
    }
    let mut seen = String::new();
    let deadline = started + Duration::from_secs(5);
    while !(seen.contains("via-a.example") && seen.contains("via-b.example")) {
        let left = deadline.saturating_duration_since(Instant::now());
        match tokio::time::timeout(left, stream.next()).await {
            Ok(Some(Ok(bytes))) => seen.push_str(&String::from_utf8_lossy(&bytes)),
            other => panic!("within 5 s through nginx: {other:?}; got:\n{seen}"),
        }
    }
    assert!(seen.contains("event: customer.created"), "{seen}");
    drop(stream);

    // Per-client limits behind the proxy: a guesser at 127.0.0.2 is refused (429) however it
    // forges X-Forwarded-For, while another client (127.0.0.3) behind the same nginx is not.
    let guesser = client_from(Ipv4Addr::new(127, 0, 0, 2));
    let mut refused = false;
    for i in 0..40 {
        let status = guesser
            .get(format!("{front}/v1/me"))
            .bearer_auth("csp_not-a-token")
            .header("X-Forwarded-For", format!("203.0.113.{i}"))
            .send()
            .await
            .unwrap()
            .status();
        if status == 429 {
            refused = true;
            break;
        }
        assert_eq!(status, 401, "attempt {i}");
    }
    assert!(refused, "the guesser was never limited");
    let other = client_from(Ipv4Addr::new(127, 0, 0, 3));
    for _ in 0..2 {
        // Twice: whichever replica nginx sends it to, it is a stranger there.
        let status = other
            .get(format!("{front}/v1/me"))
            .bearer_auth("csp_mistyped")
            .send()
            .await
            .unwrap()
            .status();
        assert_eq!(
            status, 401,
            "another client is not limited by the guesser's failures"
        );
    }

    // One replica stops (as for an upgrade): nginx keeps serving from the other.
    b_process.sigterm();
    let down = format!("{b_url}/healthz");
    let deadline = Instant::now() + Duration::from_secs(30);
    while http.get(&down).send().await.is_ok() {
        assert!(Instant::now() < deadline, "replica b did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for i in 0..6 {
        let response = http
            .get(format!("{front}/v1/customers"))
            .bearer_auth(&token)
            .send()
            .await;
        assert_eq!(
            response.unwrap().status(),
            200,
            "request {i} with one replica down"
        );
    }
}
