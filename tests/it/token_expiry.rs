//! Tokens that expire by themselves, over real HTTP: an expired token is 401, use extends a
//! sliding token, and a crashed embedded dashboard's token (never revoked) dies within its idle
//! time and is purged when the next one starts. Time is moved by ageing the tokens' expiry in
//! the database ("as if N seconds had passed"), never by waiting.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use cspdash::api::Role;
use cspdash::server::auth::{new_token, token_hash};
use cspdash::server::embedded::{self, TokenLifetime};
use cspdash::server::store::TokenExpiry;

use crate::helpers::*;

const IDLE: Duration = Duration::from_secs(15 * 60);

/// As if `secs` had passed for the tokens of the database at `db`.
fn pass(db: &Path, secs: i64) {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.execute("UPDATE tokens SET expires_at = expires_at - ?1", [secs])
        .unwrap();
}

fn expires_in_secs(db: &Path, token: &str) -> Option<i64> {
    let conn = rusqlite::Connection::open(db).unwrap();
    let at: Option<i64> = conn
        .query_row(
            "SELECT expires_at FROM tokens WHERE hash = ?1",
            [token_hash(token)],
            |r| r.get(0),
        )
        .unwrap();
    at.map(|at| at - chrono::Utc::now().timestamp())
}

fn token_rows(db: &Path, token: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT count(*) FROM tokens WHERE hash = ?1",
        [token_hash(token)],
        |r| r.get(0),
    )
    .unwrap()
}

/// [`pass`] on a test server's database, whichever store it runs on.
async fn pass_on(server: &TestServer, secs: i64) {
    server
        .sql(&format!(
            "UPDATE tokens SET expires_at = expires_at - {secs}"
        ))
        .await;
}

/// [`expires_in_secs`] of a token that expires, on a test server's database.
async fn expires_in_secs_on(server: &TestServer, token: &str) -> i64 {
    let hash = token_hash(token);
    let at = server
        .scalar_i64(&format!(
            "SELECT expires_at FROM tokens WHERE hash = '{hash}'"
        ))
        .await;
    at - chrono::Utc::now().timestamp()
}

async fn me(http: &reqwest::Client, url: &str, token: &str) -> u16 {
    http.get(format!("{url}/v1/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

fn make_token(server: &TestServer, expiry: TokenExpiry) -> String {
    let token = new_token();
    server
        .store()
        .create_expiring_token(&token_hash(&token), None, Role::AdminAgent, None, expiry)
        .unwrap();
    token
}

contract! {
    async fn an_expired_token_is_refused_401() {
        let server = spawn_server(3).await;
        let sliding = make_token(&server, TokenExpiry::Idle(IDLE));
        let fixed = make_token(&server, TokenExpiry::After(Duration::from_secs(3600)));
        pass_on(&server, 3601).await;
        for token in [&sliding, &fixed] {
            let response = server
                .http
                .get(format!("{}/v1/customers", server.url))
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            let (status, body) = json(response).await;
            assert_eq!(status, 401, "{body}");
            assert_eq!(body["errorName"], "Unauthorized");
        }
        // The tokens made by `token create` never expire.
        assert_eq!(
            me(
                &server.http,
                &server.url,
                server.token(CONTOSO, Role::AdminAgent)
            )
            .await,
            200
        );
    }
}

contract! {
    async fn using_a_sliding_token_extends_its_expiry() {
        let server = spawn_server(3).await;
        let token = make_token(&server, TokenExpiry::Idle(IDLE));
        pass_on(&server, 14 * 60).await;
        let left = expires_in_secs_on(&server, &token).await;
        assert!(left <= 60, "a minute left: {left}");
        assert_eq!(me(&server.http, &server.url, &token).await, 200);
        let left = expires_in_secs_on(&server, &token).await;
        let full = IDLE.as_secs() as i64;
        assert!(
            (full - 30..=full).contains(&left),
            "renewed to its full idle time: {left}"
        );
        pass_on(&server, 14 * 60).await;
        // A new server (no cached lookups) still accepts it: the renewal was stored.
        let again = cspdash::server::spawn(
            tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap(),
            cspdash::server::AppState::new(server.store(), "http://127.0.0.1", 100),
            std::future::pending(),
        )
        .unwrap();
        let url = format!("http://{}", again.addr);
        assert_eq!(me(&server.http, &url, &token).await, 200);
    }
}

/// The embedded backend started and the process killed: nothing revokes its token.
fn crashed_embedded_dashboard(db: &Path) -> String {
    let db = db.to_path_buf();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let backend = runtime.block_on(embedded::start(&db)).unwrap();
        let token = backend.token.clone();
        // As a crash would: no Drop, no revocation; the server and its renewer stop with the runtime.
        std::mem::forget(backend);
        runtime.shutdown_background();
        token
    })
    .join()
    .unwrap()
}

#[tokio::test]
async fn a_crashed_embedded_dashboards_token_dies_by_itself_and_is_purged_at_the_next_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data/cspdash.db");
    let left_behind = crashed_embedded_dashboard(&db);
    assert_eq!(token_rows(&db, &left_behind), 1, "the crash left its token");
    let left = expires_in_secs(&db, &left_behind).unwrap();
    let full = IDLE.as_secs() as i64;
    assert!((full - 30..=full).contains(&left), "{left}");

    // A minute later it still works (a dashboard that restarts at once is not locked out)...
    pass(&db, 60);
    let next = embedded::start(&db).await.unwrap();
    install_crypto();
    let http = reqwest::Client::new();
    assert_eq!(token_rows(&db, &left_behind), 1);
    drop(next);
    // ...but a quarter of an hour after its last renewal it is dead, and the next start purges it.
    pass(&db, full);
    let next = embedded::start(&db).await.unwrap();
    assert_eq!(token_rows(&db, &left_behind), 0, "purged at start-up");
    assert_eq!(me(&http, &next.url, &left_behind).await, 401);
    assert_eq!(me(&http, &next.url, &next.token).await, 200);
}

#[tokio::test]
async fn a_running_embedded_backend_keeps_its_token_alive_even_after_the_machine_slept() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("data/cspdash.db");
    let lifetime = TokenLifetime {
        idle: IDLE,
        renew_every: Duration::from_millis(200),
    };
    let backend = embedded::start_with(&db, lifetime).await.unwrap();
    // Eight hours of sleep: the token lapsed while nobody could renew it.
    pass(&db, 8 * 3600);
    assert!(expires_in_secs(&db, &backend.token).unwrap() < 0);
    let deadline = Instant::now() + Duration::from_secs(30);
    while expires_in_secs(&db, &backend.token).unwrap() < 0 {
        assert!(
            Instant::now() < deadline,
            "the backend renewed its own token"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    install_crypto();
    let http = reqwest::Client::new();
    assert_eq!(me(&http, &backend.url, &backend.token).await, 200);
    let token = backend.token.clone();
    drop(backend);
    assert_eq!(token_rows(&db, &token), 0, "a clean exit revokes it");
}

#[tokio::test]
async fn token_create_makes_tokens_that_never_expire_unless_asked() {
    install_crypto();
    let served = crate::served::serve(3);
    let create = |extra: &[&str]| crate::served::create_token(served.path(), "sales-agent", extra);
    let forever = create(&[]);
    let week = create(&["--expires-in-days", "7"]);
    assert_eq!(expires_in_secs(served.path(), &forever), None);
    let left = expires_in_secs(served.path(), &week).unwrap();
    assert!((7 * 86400 - 60..=7 * 86400).contains(&left), "{left}");
    pass(served.path(), 7 * 86400);
    let http = reqwest::Client::new();
    assert_eq!(me(&http, &served.url, &week).await, 401);
    assert_eq!(me(&http, &served.url, &forever).await, 200);
}
