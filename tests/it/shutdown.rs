//! `cspdash serve` stopped with SIGTERM, as systemd, compose or an orchestrator stops it: it stops
//! accepting at once, lets the request in flight finish, ends event streams, and exits 0; a
//! request that does not finish within `--shutdown-timeout` does not hold the stop up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::helpers::new_customer;
use crate::served::{BIN, create_token, spawn_listening};

struct Server {
    child: Child,
    addr: String,
    token: String,
    _dir: tempfile::TempDir,
}

fn serve(extra: &[&str]) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("stop.db");
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--demo", "3", "--db"])
        .arg(&db)
        .args(extra);
    let (child, url) = spawn_listening(&mut cmd);
    let token = create_token(&db, "admin-agent", &[]);
    let addr = url.trim_start_matches("http://").to_string();
    Server {
        child,
        addr,
        token,
        _dir: dir,
    }
}

impl Server {
    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(&self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .unwrap();
        stream
    }

    /// A POST /v1/customers whose body is only half sent: a request in flight for as long as
    /// the test likes. The rest of the body.
    fn half_sent_post(&self, stream: &mut TcpStream) -> Vec<u8> {
        let body = new_customer("Slow Upload Ltd", "slowupload.example").to_string();
        let head = format!(
            "POST /v1/customers HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nExpect: 100-continue\r\n\r\n",
            self.addr,
            self.token,
            body.len()
        );
        let (first, rest) = body.as_bytes().split_at(body.len() / 2);
        stream.write_all(head.as_bytes()).unwrap();
        // The server answers `100 Continue` once the handler reads the body: from then on the
        // request is surely in flight (without this, a SIGTERM sent at once could come before
        // the server had read the head, and there would be nothing to wait for).
        let mut continued = Vec::new();
        let mut byte = [0u8; 1];
        while !continued.ends_with(b"\r\n\r\n") {
            stream.read_exact(&mut byte).unwrap();
            continued.push(byte[0]);
        }
        assert!(
            continued.starts_with(b"HTTP/1.1 100"),
            "{}",
            String::from_utf8_lossy(&continued)
        );
        stream.write_all(first).unwrap();
        rest.to_vec()
    }

    fn sigterm(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits until new connections are refused: the server has begun to stop.
    fn until_refusing(&self) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(&self.addr).is_ok() {
            assert!(Instant::now() < deadline, "still accepting after SIGTERM");
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The exit status, waited for up to `limit`.
    fn exit_within(&mut self, limit: Duration) -> std::process::ExitStatus {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "still running {limit:?} after SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Everything the server sends until it closes the connection.
fn read_to_close(stream: &mut TcpStream) -> String {
    let mut out = Vec::new();
    let _ = stream.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn sigterm_finishes_the_request_in_flight_ends_event_streams_and_exits_0() {
    let mut server = serve(&[]);
    let mut events = server.connect();
    write!(
        events,
        "GET /v1/events HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\n\r\n",
        server.addr, server.token
    )
    .unwrap();
    let mut head = [0u8; 12];
    events.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200", "the stream is open");
    let mut upload = server.connect();
    let rest = server.half_sent_post(&mut upload);

    server.sigterm();
    server.until_refusing();
    // The request in flight is still being served: its body arrives, it is answered.
    upload.write_all(&rest).unwrap();
    let answer = read_to_close(&mut upload);
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(answer.contains("slowupload.example"), "{answer}");
    // The event stream was ended by the server (not left for the client to time out).
    let started = Instant::now();
    read_to_close(&mut events);
    assert!(started.elapsed() < Duration::from_secs(10));
    let status = server.exit_within(Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_request_that_never_finishes_does_not_hold_up_the_stop_past_the_shutdown_timeout() {
    let mut server = serve(&["--shutdown-timeout", "1"]);
    let mut upload = server.connect();
    let _never_sent = server.half_sent_post(&mut upload);
    let started = Instant::now();
    server.sigterm();
    let status = server.exit_within(Duration::from_secs(10));
    assert!(status.success(), "{status:?}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(5),
        "it waited for the request for about the timeout: {took:?}"
    );
}
