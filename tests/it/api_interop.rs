//! Interop and origin checks over real HTTP: the bearer scheme in any case (RFC 6750/7235), and
//! the embedded backend refusing requests addressed to a name that is not this machine (DNS
//! rebinding) while `cspdash serve` answers any name.
#![allow(clippy::unwrap_used)]

use std::io::{Read, Write};

use cspdash::api::Role;

use crate::helpers::*;

/// A bare HTTP/1.1 GET with exactly these headers, so the test controls the `Host` line.
fn raw_get(addr: &str, path: &str, headers: &[(&str, &str)]) -> (u16, String) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let mut request = format!("GET {path} HTTP/1.1\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("Connection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

contract! {
    async fn the_bearer_scheme_is_accepted_in_any_case() {
        let server = spawn_server(3).await;
        let token = server.token(CONTOSO, Role::SalesAgent).to_string();
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            let response = server
                .http
                .get(format!("{}/v1/me", server.url))
                .header("authorization", format!("{scheme} {token}"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200, "{scheme}");
        }
        let basic = server
            .http
            .get(format!("{}/v1/me", server.url))
            .header("authorization", format!("Basic {token}"))
            .send()
            .await
            .unwrap();
        assert_eq!(basic.status(), 401);
    }
}

#[tokio::test]
async fn the_embedded_backend_refuses_a_host_that_is_not_this_machine() {
    let dir = tempfile::tempdir().unwrap();
    let backend = cspdash::server::embedded::start(&dir.path().join("embedded.db"))
        .await
        .unwrap();
    let addr = backend.url.strip_prefix("http://").unwrap().to_string();
    let port = addr.rsplit(':').next().unwrap().to_string();
    let bearer = format!("Bearer {}", backend.token);
    let check = move |host: String, path: &'static str| {
        let addr = addr.clone();
        let bearer = bearer.clone();
        tokio::task::spawn_blocking(move || {
            raw_get(&addr, path, &[("Host", &host), ("Authorization", &bearer)])
        })
    };

    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".to_string(),
        format!("localhost.attacker.example:{port}"),
    ] {
        for path in ["/v1/me", "/invite/anything"] {
            let (status, body) = check(host.clone(), path).await.unwrap();
            assert_eq!(status, 421, "{host}{path}: {body}");
            let error: serde_json::Value = serde_json::from_str(&body).unwrap();
            assert_eq!(error["errorName"], "MisdirectedRequest");
            assert!(
                error["description"].as_str().unwrap().contains("Host"),
                "{error}"
            );
        }
    }
    // An absolute-form target names the host too, and wins over `Host` (RFC 9112 §3.2.2).
    let (status, body) = check(format!("127.0.0.1:{port}"), "http://attacker.example/v1/me")
        .await
        .unwrap();
    assert_eq!(status, 421, "{body}");
    for host in [
        format!("127.0.0.1:{port}"),
        format!("localhost:{port}"),
        format!("LocalHost:{port}"),
    ] {
        let (status, body) = check(host.clone(), "/v1/me").await.unwrap();
        assert_eq!(status, 200, "{host}: {body}");
        assert!(body.contains("Contoso Partner"), "{body}");
    }
    // The dashboard's own client (reqwest, Host from the URL) keeps working.
    install_crypto();
    let me = reqwest::Client::new()
        .get(format!("{}/v1/me", backend.url))
        .bearer_auth(&backend.token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
}

contract! {
    async fn a_served_backend_answers_under_any_name() {
        let server = spawn_server(3).await;
        let addr = server.url.strip_prefix("http://").unwrap().to_string();
        let bearer = format!("Bearer {}", server.token(CONTOSO, Role::SalesAgent));
        let (status, body) = tokio::task::spawn_blocking(move || {
            raw_get(
                &addr,
                "/v1/me",
                &[("Host", "cspdash.example.net"), ("Authorization", &bearer)],
            )
        })
        .await
        .unwrap();
        assert_eq!(status, 200, "{body}");
    }
}
