//! The command line of DESIGN.md §2, through the real binary.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};

use cspdash::server::store::Database;
use std::process::{Command, Stdio};

fn cspdash() -> Command {
    Command::new(env!("CARGO_BIN_EXE_cspdash"))
}

#[test]
fn serve_announces_its_address_and_token_create_prints_a_working_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.db");
    let (mut server, url) = serve(&db, Some(25));
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let token = cspdash()
        .args([
            "token",
            "create",
            "--role",
            "helpdesk-agent",
            "--partner",
            "Fabrikam Partner",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        token.status.success(),
        "{}",
        String::from_utf8_lossy(&token.stderr)
    );
    let token = String::from_utf8(token.stdout).unwrap().trim().to_string();
    let port = url.rsplit(':').next().unwrap();
    let me = http_get(port, "/v1/me", &token);
    assert!(me.starts_with("HTTP/1.1 200"), "{me}");
    assert!(me.contains("\"partnerName\":\"Fabrikam Partner\""), "{me}");
    assert!(me.contains("\"role\":\"helpdesk-agent\""), "{me}");
    server.kill().unwrap();
    let _ = server.wait();
}

/// A bare HTTP/1.1 GET, so this test depends on nothing but the binary.
fn http_get(port: &str, path: &str, token: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn token_create_refuses_an_unknown_role_and_a_missing_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("none.db");
    let out = cspdash()
        .args(["token", "create", "--role", "boss", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("unknown role \"boss\"") && err.contains("global-admin"),
        "{err}"
    );
    let out = cspdash()
        .args(["token", "create", "--role", "admin-agent", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no database at"));
}

#[test]
fn tokens_are_stored_only_as_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("hash.db");
    cspdash::server::open_store(&db, Some(3)).unwrap();
    let token =
        cspdash::server::create_token(&Database::Sqlite(db.clone()), "sales-agent", None, None)
            .unwrap();
    let raw = std::fs::read(&db).unwrap();
    let wal = std::fs::read(db.with_extension("db-wal")).unwrap_or_default();
    let needle = token.as_bytes();
    for bytes in [&raw, &wal] {
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "the plain token is on disk"
        );
    }
}

/// Starts `cspdash serve` on a random port and returns it with its base URL.
fn serve(db: &std::path::Path, demo: Option<u32>) -> (std::process::Child, String) {
    let mut command = cspdash();
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(db);
    if let Some(n) = demo {
        command.args(["--demo", &n.to_string()]);
    }
    let mut child = command
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let url = loop {
        let line = lines
            .next()
            .expect("serve exited before listening")
            .unwrap();
        if let Some(rest) = line.strip_prefix("listening on ") {
            break rest.trim().to_string();
        }
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    (child, url)
}

#[tokio::test]
async fn an_acknowledged_customer_survives_kill_9_of_the_backend() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("durable.db");
    let (mut server, url) = serve(&db, Some(10));
    let token =
        cspdash::server::create_token(&Database::Sqlite(db.clone()), "admin-agent", None, None)
            .unwrap();
    let http = reqwest::Client::new();
    let created = http
        .post(format!("{url}/v1/customers"))
        .bearer_auth(&token)
        .json(&crate::helpers::new_customer(
            "Durable Data AS",
            "durable.onmicrosoft.com",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    let id = created.json::<serde_json::Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // SIGKILL: no shutdown code runs.
    server.kill().unwrap();
    let _ = server.wait();
    let (mut again, url) = serve(&db, None);
    let found = http
        .get(format!("{url}/v1/customers/{id}"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(found.status(), 200, "the acknowledged customer was lost");
    again.kill().unwrap();
    let _ = again.wait();
}

#[test]
fn a_malformed_config_is_reported_with_file_line_and_key_before_the_terminal_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "default_profile = \"global\"\n\n[profiles.global]\nbackend = 8080\n",
    )
    .unwrap();
    let out = cspdash()
        .env("CSPDASH_CONFIG", &config)
        .env("XDG_STATE_HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    let expected = format!("{}:4: profiles.global.backend", config.display());
    assert!(err.contains(&expected), "{err}");
    // No alternate screen, no raw-mode output: nothing but the message.
    assert!(
        out.stdout.is_empty(),
        "{:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(!err.contains('\u{1b}'), "escape sequences in {err:?}");
}

#[test]
fn a_bad_public_url_or_one_for_a_remote_backend_is_refused_before_the_terminal_is_touched() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = cspdash()
            .args(args)
            .env_remove("CSPDASH_CONFIG")
            .env("CSPDASH_TOKEN", "t")
            .env("XDG_CONFIG_HOME", dir.path())
            .env("XDG_STATE_HOME", dir.path())
            .env("XDG_DATA_HOME", dir.path())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let err = run(&["--public-url", "links.example.net"]);
    assert!(
        err.contains("--public-url: \"links.example.net\" is not a URL"),
        "{err}"
    );
    let err = run(&["--public-url", "https://links.example.net/?x=1"]);
    assert!(err.contains("has no ?query or #fragment"), "{err}");
    let err = run(&[
        "--backend",
        "http://127.0.0.1:1",
        "--public-url",
        "https://links.example.net",
    ]);
    assert!(
        err.contains("--public-url sets the links of the embedded backend"),
        "{err}"
    );
    // `serve --public-url` is checked the same way, by the command line itself.
    let db = dir.path().join("serve.db");
    let out = cspdash()
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--public-url",
            "ftp://x",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("use http:// or https://"), "{err}");
}
