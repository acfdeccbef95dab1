//! `cspdash token create --db postgres://…` makes tokens every replica accepts, and a password in
//! the URL is never shown: not in any log line of the replicas (at trace level), not in what
//! `token create` prints, not in the errors for an unreachable server or a missing database.
//! The test server trusts every local connection, so it ignores the password we put in the URL.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use super::{Replica, fresh_database};
use crate::served::BIN;

const PASSWORD: &str = "Pw-7qx3-NeverShown";

/// `url` with [`PASSWORD`] as its user's password.
fn with_password(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let (user, host) = rest.split_once('@').expect("the test URL names its user");
    let user = user.split(':').next().unwrap();
    format!("{scheme}://{user}:{PASSWORD}@{host}")
}

fn token_create(url: &str) -> Output {
    Command::new(BIN)
        .args(["token", "create", "--role", "admin-agent", "--db", url])
        .env("RUST_LOG", "trace")
        .output()
        .unwrap()
}

/// `cspdash serve` on `url`, which cannot start: all it wrote, waiting at most 20 s for it to end.
fn serve_failing(url: &str) -> (Option<std::process::ExitStatus>, String) {
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--db", url])
        .env("RUST_LOG", "trace")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > Duration::from_secs(20) {
            let _ = child.kill();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (status, text)
}

fn shown(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_create_on_postgres_works_for_both_replicas_and_the_password_is_never_shown() {
    let Some(url) = fresh_database() else {
        return;
    };
    let url = with_password(&url);
    let a = Replica::start_logging(&url, Some(5), &[], "trace").await;
    let b = Replica::start_logging(&url, Some(5), &[], "trace").await;
    let made = {
        let url = url.clone();
        tokio::task::spawn_blocking(move || token_create(&url))
            .await
            .unwrap()
    };
    assert!(made.status.success(), "{}", shown(&made));
    let token = String::from_utf8(made.stdout.clone())
        .unwrap()
        .trim()
        .to_string();
    assert!(
        !shown(&made).contains(PASSWORD),
        "token create printed the password"
    );
    for replica in [&a, &b] {
        let (status, page) = replica.get_json(&token, "/v1/customers?size=1").await;
        assert_eq!(status, 200, "{}: {page}", replica.url());
        assert_eq!(page["totalCount"], 5);
        let (status, _) = replica.get_json("not-a-token", "/v1/customers").await;
        assert_eq!(status, 401);
    }

    // Failures name the server, never the password.
    let (scheme_user, host_db) = url.split_once('@').unwrap();
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let unreachable = format!("{scheme_user}@127.0.0.1:{closed_port}/nowhere");
    let (host, _) = host_db.split_once('/').unwrap();
    let missing = format!("{scheme_user}@{host}/cspdash_no_such_database");
    for bad in [&unreachable, &missing] {
        let bad = bad.clone();
        let out = tokio::task::spawn_blocking(move || token_create(&bad))
            .await
            .unwrap();
        assert!(!out.status.success());
        let text = shown(&out);
        assert!(!text.contains(PASSWORD), "the password in: {text}");
        assert!(
            text.contains("127.0.0.1"),
            "the error names the server: {text}"
        );
    }
    let (status, text) = tokio::task::spawn_blocking(move || serve_failing(&unreachable))
        .await
        .unwrap();
    assert!(!text.contains(PASSWORD), "the password in: {text}");
    assert!(
        status.is_some_and(|s| !s.success()),
        "serve on an unreachable database ends with an error: {text}"
    );

    for replica in [&a, &b] {
        let log = replica.served.log_text();
        assert!(log.contains("listening on"), "the log was kept");
        assert!(
            !log.contains(PASSWORD),
            "{}'s log shows the password",
            replica.url()
        );
    }
}
