//! What an operations team's probes and load balancer see: `/healthz` and `/readyz` without a
//! token; a database that goes away makes the API answer 503 with `Retry-After` (also where a
//! token is checked), readiness says so, and both recover by themselves when it is back; every
//! answer carries a request id.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use cspdash::api::Role;
use cspdash::server::store::Database;
use cspdash::server::store::postgres::scratch;
use cspdash::server::{AppState, auth, open_database, spawn};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

use crate::helpers::{CONTOSO, contract, install_crypto, spawn_server};

contract! {
    async fn probes_answer_without_a_token_and_a_working_store_is_ready() {
        let server = spawn_server(3).await;
        for (path, body) in [("/healthz", "ok\n"), ("/readyz", "ready\n")] {
            let response = server.http.get(format!("{}{path}", server.url)).send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            assert_eq!(response.headers()["cache-control"], "no-store", "{path}");
            assert_eq!(response.text().await.unwrap(), body, "{path}");
        }
    }
}

#[tokio::test]
async fn every_answer_carries_a_request_id_the_clients_own_when_it_is_sane() {
    let server = spawn_server(3).await;
    let get = |path: &str, id: Option<(&str, &str)>| {
        let mut request = server.get(path);
        if let Some((name, value)) = id {
            request = request.header(name, value);
        }
        async move {
            let response = request.send().await.unwrap();
            let id = response
                .headers()
                .get("x-request-id")
                .map(|v| v.to_str().unwrap().to_string());
            (response.status().as_u16(), id)
        }
    };
    assert_eq!(
        get("/v1/me", Some(("X-Request-Id", "nginx-4f2a"))).await,
        (200, Some("nginx-4f2a".to_string()))
    );
    let guid = "0f8fad5b-d9cb-469f-a165-70867728950e";
    assert_eq!(
        get("/v1/customers/nope", Some(("MS-CorrelationId", guid))).await,
        (404, Some(guid.to_string())),
        "errors carry it too, and Partner Center's correlation id serves as one"
    );
    // An id that could forge log lines is replaced by one of ours (a fresh one each time).
    let (_, made) = get("/v1/me", Some(("X-Request-Id", "a b\"c"))).await;
    let (_, another) = get("/v1/me", None).await;
    for id in [&made, &another] {
        let id = id.as_deref().expect("an id is always sent");
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    }
    assert_ne!(made, another);
}

/// A TCP relay in front of PostgreSQL that can be cut (every connection dropped, new ones refused
/// at once, as while PostgreSQL restarts) and mended.
struct Relay {
    addr: SocketAddr,
    up: watch::Sender<bool>,
}

impl Relay {
    async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (up, watching) = watch::channel(true);
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let mut up = watching.clone();
                if !*up.borrow() {
                    continue; // dropped: the client sees its connection closed
                }
                tokio::spawn(async move {
                    let Ok(mut outbound) = TcpStream::connect(target).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                        _ = up.wait_for(|up| !*up) => {}
                    }
                });
            }
        });
        Self { addr, up }
    }

    fn set(&self, up: bool) {
        self.up.send_replace(up);
    }
}

/// A fresh database on the test server, reached through a relay; None (having said why) when no
/// PostgreSQL is configured.
async fn database_behind_a_relay() -> Option<(Relay, String)> {
    let crate::helpers::StoreKind::Postgres(admin) = crate::helpers::postgres_store()? else {
        unreachable!("postgres_store gives PostgreSQL")
    };
    let created = scratch::create_database(&admin).unwrap();
    let config: tokio_postgres::Config = created.parse().unwrap();
    let target = match (&config.get_hosts()[0], config.get_ports().first()) {
        (tokio_postgres::config::Host::Tcp(host), port) => {
            let ip: std::net::IpAddr = host.parse().expect("a test server named by IP address");
            SocketAddr::new(ip, port.copied().unwrap_or(5432))
        }
        #[allow(unreachable_patterns)]
        _ => panic!("a test server reached over TCP"),
    };
    let relay = Relay::start(target).await;
    let user = config.get_user().unwrap_or("postgres");
    let password = config
        .get_password()
        .map(|p| format!(":{}", String::from_utf8_lossy(p)))
        .unwrap_or_default();
    let db = config.get_dbname().unwrap();
    let url = format!("postgres://{user}{password}@{}/{db}", relay.addr);
    Some((relay, url))
}

async fn status_and_retry_after(
    response: reqwest::Response,
) -> (u16, Option<String>, serde_json::Value) {
    let status = response.status().as_u16();
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let body = response.json().await.unwrap_or_default();
    (status, retry, body)
}

/// Polls `path` until it answers `status` (or a minute passes): how long it took.
async fn until_status(
    http: &reqwest::Client,
    url: &str,
    token: Option<&str>,
    status: u16,
) -> Duration {
    let started = Instant::now();
    loop {
        let mut request = http.get(url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Ok(response) = request.send().await
            && response.status().as_u16() == status
        {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{url} never answered {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_postgresql_is_gone_the_api_says_503_with_retry_after_and_recovers_by_itself() {
    let Some((relay, url)) = database_behind_a_relay().await else {
        return;
    };
    install_crypto();
    let db = Database::Postgres(url);
    let (store, token, unseen) = tokio::task::spawn_blocking(move || {
        let store = open_database(&db, Some(3)).unwrap();
        let tokens: Vec<String> = (0..2).map(|_| auth::new_token()).collect();
        for token in &tokens {
            store
                .create_token(
                    &auth::token_hash(token),
                    Some(CONTOSO),
                    Role::AdminAgent,
                    None,
                )
                .unwrap();
        }
        (store, tokens[0].clone(), tokens[1].clone())
    })
    .await
    .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (_stop, stopped) = tokio::sync::oneshot::channel::<()>();
    spawn(listener, AppState::new(store, &base, 100), async {
        let _ = stopped.await;
    })
    .unwrap();
    let http = reqwest::Client::new();
    let ready = format!("{base}/readyz");
    let customers = format!("{base}/v1/customers");
    until_status(&http, &ready, None, 200).await;
    let listed = http
        .get(&customers)
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.status(), 200);

    relay.set(false);
    let noticed = until_status(&http, &ready, None, 503).await;
    assert!(
        noticed < Duration::from_secs(5),
        "readiness noticed in {noticed:?}"
    );
    let (status, retry, body) =
        status_and_retry_after(http.get(&ready).send().await.unwrap()).await;
    assert_eq!((status, retry.as_deref()), (503, Some("3")));
    assert_eq!(body["code"], 50300, "{body}");
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .contains("cannot reach its database"),
        "{body}"
    );

    // A data call, and a token the server has not seen yet (its lookup needs the database):
    // 503, never 401 or 500, and within the pool's connect wait rather than hanging.
    for (what, token) in [("a listed token", &token), ("an unseen token", &unseen)] {
        let started = Instant::now();
        let (status, retry, body) = status_and_retry_after(
            http.get(&customers)
                .bearer_auth(token)
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(
            (status, retry.as_deref()),
            (503, Some("3")),
            "{what}: {body}"
        );
        assert_eq!(body["errorName"], "ServiceUnavailable", "{what}");
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{what}: {:?}",
            started.elapsed()
        );
    }
    // Liveness never asks the database: the process is fine.
    assert_eq!(
        http.get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );

    // A flood of probes is answered from one check at a time: all of them within seconds.
    let started = Instant::now();
    let probes = (0..100).map(|_| {
        let http = http.clone();
        let ready = ready.clone();
        tokio::spawn(async move { http.get(&ready).send().await.unwrap().status().as_u16() })
    });
    for probe in probes {
        assert_eq!(probe.await.unwrap(), 503);
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );

    relay.set(true);
    let back = until_status(&http, &ready, None, 200).await;
    assert!(back < Duration::from_secs(15), "ready again after {back:?}");
    until_status(&http, &customers, Some(&unseen), 200).await;
}

#[test]
fn every_log_line_of_a_request_carries_its_id_and_never_the_token() {
    let server = crate::traced::TracedServer::start();
    let token = crate::served::create_token(&server.db, "admin-agent", &[]);
    let status = crate::served::block_on(async {
        reqwest::Client::new()
            .get(format!("{}/v1/me", server.url))
            .bearer_auth(&token)
            .header("X-Request-Id", "trace-me-7")
            .send()
            .await
            .unwrap()
            .status()
    });
    assert_eq!(status, 200);
    assert!(
        server.wait_for("finished processing request"),
        "{}",
        server.log()
    );
    let log = server.stop();
    let lines: Vec<&String> = log.iter().filter(|l| l.contains("uri=/v1/me")).collect();
    assert!(lines.len() >= 2, "the request's lines: {lines:#?}");
    for line in &lines {
        assert!(line.contains("id=trace-me-7"), "{line}");
        assert!(line.contains("client=127.0.0.1"), "{line}");
    }
    assert!(
        !log.iter().any(|l| l.contains(&token)),
        "a token was logged"
    );
}
