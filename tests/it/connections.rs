//! Connection-level limits over raw TCP (issue 8 §3): a slow header is cut off, an idle
//! kept-alive connection is closed, and past the connection cap a newcomer is told 503 while the
//! others carry on. The limits are set small here so the tests take seconds.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use cspdash::api::Role;
use cspdash::server::ServerLimits;
use futures::StreamExt;
use reqwest::Method;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::helpers::*;

const DEADLINE: Duration = Duration::from_secs(30);

fn limits(header: Duration, idle: Duration, max_connections: usize) -> ServerLimits {
    ServerLimits {
        header_read_timeout: header,
        idle_timeout: idle,
        max_connections,
        ..ServerLimits::default()
    }
}

async fn connect(server: &TestServer) -> TcpStream {
    TcpStream::connect(server.url.trim_start_matches("http://"))
        .await
        .unwrap()
}

/// One GET for a small public file on a kept-alive connection.
async fn get(stream: &mut TcpStream) -> std::io::Result<()> {
    stream
        .write_all(b"GET /assets/invite.css HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
}

/// One response: its head, and the body as long as `Content-Length` says.
async fn read_response(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + DEADLINE;
    loop {
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some(end) = text.find("\r\n\r\n") {
            let length = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length:")
                        .map(|v| v.trim().to_string())
                })
                .and_then(|v| v.parse::<usize>().ok())
                .unwrap_or(0);
            if buf.len() >= end + 4 + length {
                return Some(text[..end].to_string());
            }
        }
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Err(_) => panic!("no whole response within {DEADLINE:?}: {text}"),
            Ok(Ok(0) | Err(_)) => return None,
            Ok(Ok(n)) => buf.extend_from_slice(&chunk[..n]),
        }
    }
}

/// Waits for the server to close the connection (EOF or reset), failing past the deadline.
async fn closed_by_server(stream: &mut TcpStream, within: Duration) {
    let mut chunk = [0u8; 1024];
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, stream.read(&mut chunk)).await {
            Err(_) => panic!("the server kept the connection open for {within:?}"),
            Ok(Ok(0) | Err(_)) => return,
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn a_client_dribbling_header_lines_is_cut_off_by_the_header_timeout() {
    let server = spawn_server_with_limits(
        2,
        limits(Duration::from_secs(1), Duration::from_secs(60), 100),
    )
    .await;
    let mut stream = connect(&server).await;
    stream
        .write_all(b"GET /assets/invite.css HTTP/1.1\r\n")
        .await
        .unwrap();
    // A header line every 250 ms: bytes keep arriving (no idle timeout), the head never ends.
    let started = Instant::now();
    let mut chunk = [0u8; 1024];
    loop {
        assert!(
            started.elapsed() < DEADLINE,
            "still open after {DEADLINE:?} of header lines"
        );
        if stream.write_all(b"X-Slow: 1\r\n").await.is_err() {
            break;
        }
        let read = tokio::time::timeout(Duration::from_millis(250), stream.read(&mut chunk)).await;
        if let Ok(Ok(0) | Err(_)) = read {
            break;
        }
    }
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "cut off by the timeout, not at once"
    );
}

#[tokio::test]
async fn an_idle_kept_alive_connection_is_closed_but_a_busy_one_is_not() {
    let server = spawn_server_with_limits(
        2,
        limits(Duration::from_secs(60), Duration::from_secs(2), 100),
    )
    .await;
    // Busy: a request every 200 ms for 5 s (past the 2 s idle timeout), all on one connection.
    let mut busy = connect(&server).await;
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(5) {
        get(&mut busy).await.unwrap();
        let head = read_response(&mut busy)
            .await
            .expect("the busy connection was closed");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Then idle: closed by the server, well before the 60 s header timeout.
    closed_by_server(&mut busy, Duration::from_secs(20)).await;
}

#[tokio::test]
async fn an_event_stream_outlives_the_idle_timeout() {
    let server = spawn_server_with_limits(
        5,
        limits(Duration::from_secs(60), Duration::from_secs(1), 100),
    )
    .await;
    let response = server
        .request(CONTOSO, Role::HelpdeskAgent, Method::GET, "/v1/events")
        .send()
        .await
        .unwrap();
    let mut events = response.bytes_stream();
    // An idle connection opened after the stream is closed: the idle timeout has passed.
    let mut idle = connect(&server).await;
    closed_by_server(&mut idle, Duration::from_secs(20)).await;
    let (status, body) = server
        .post_customer(&new_customer("Outlives Idle Ltd", "outlives-idle.example"))
        .await;
    assert_eq!(status, 201, "{body}");
    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + DEADLINE;
    while !seen.contains("outlives-idle.example") {
        match tokio::time::timeout_at(deadline, events.next()).await {
            Ok(Some(Ok(chunk))) => seen.push_str(&String::from_utf8_lossy(&chunk)),
            other => panic!("the stream ended or stalled: {other:?} after {seen}"),
        }
    }
}

#[tokio::test]
async fn past_the_connection_cap_a_newcomer_gets_503_and_the_others_carry_on() {
    let server = spawn_server_with_limits(
        2,
        limits(Duration::from_secs(60), Duration::from_secs(60), 3),
    )
    .await;
    let mut open = Vec::new();
    for _ in 0..3 {
        let mut stream = connect(&server).await;
        get(&mut stream).await.unwrap();
        let head = read_response(&mut stream).await.unwrap();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        open.push(stream);
    }
    let mut fourth = connect(&server).await;
    get(&mut fourth).await.unwrap();
    let head = read_response(&mut fourth)
        .await
        .expect("the refusal is an answer");
    assert!(head.starts_with("HTTP/1.1 503"), "{head}");
    let lower = head.to_ascii_lowercase();
    assert!(lower.contains("retry-after: 1"), "{head}");
    assert!(lower.contains("connection: close"), "{head}");
    closed_by_server(&mut fourth, DEADLINE).await;

    for stream in &mut open {
        get(stream).await.unwrap();
        let head = read_response(stream)
            .await
            .expect("an existing connection was closed");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    }

    // One leaves: a newcomer is let in (once the server has noticed).
    drop(open.pop());
    let deadline = Instant::now() + DEADLINE;
    loop {
        let mut stream = connect(&server).await;
        get(&mut stream).await.unwrap();
        let head = read_response(&mut stream).await.unwrap_or_default();
        if head.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(head.starts_with("HTTP/1.1 503"), "{head}");
        assert!(Instant::now() < deadline, "no place freed");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_huge_request_head_is_refused_with_431() {
    let server = spawn_server(2).await;
    let mut stream = connect(&server).await;
    let filler = "a".repeat(100 * 1024);
    let request =
        format!("GET /assets/invite.css HTTP/1.1\r\nHost: test\r\nX-Big: {filler}\r\n\r\n");
    // The server may close before reading it all; the answer still comes first.
    let _ = stream.write_all(request.as_bytes()).await;
    let head = read_response(&mut stream).await.unwrap_or_default();
    assert!(head.starts_with("HTTP/1.1 431"), "{head}");
}
