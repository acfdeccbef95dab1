//! Invitation codes never reach the log: `cspdash serve` at `RUST_LOG=trace` (every request span,
//! every library's debug line) serves a link's page and an acceptance, and its whole stderr is
//! searched for the code.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::served::{BIN, create_token};

struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for(log: &Mutex<Vec<String>>, what: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if log.lock().unwrap().iter().any(|l| l.contains(what)) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

#[tokio::test]
async fn invitation_codes_never_reach_the_log_even_at_trace_level() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("logs.db");
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo", "3", "--db"])
        .arg(&db)
        .env("RUST_LOG", "trace")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let child = Child(child);
    let log = Arc::new(Mutex::new(Vec::<String>::new()));
    let lines = Arc::clone(&log);
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            lines.lock().unwrap().push(line);
        }
    });
    assert!(wait_for(&log, "listening on "), "the server started");
    let url = log
        .lock()
        .unwrap()
        .iter()
        .find_map(|l| {
            l.strip_prefix("listening on ")
                .map(|u| u.trim().to_string())
        })
        .unwrap();
    let token = create_token(&db, "sales-agent", &[]);

    let http = reqwest::Client::new();
    let link: serde_json::Value = http
        .get(format!("{url}/v1/customers/relationshiprequests"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let link = link["url"].as_str().unwrap().to_string();
    let code = link.rsplit('/').next().unwrap().to_string();
    let page = http.get(&link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let cookie = page.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let html = page.text().await.unwrap();
    let accepted = http
        .post(format!("{link}/accept"))
        .header("cookie", cookie)
        .form(&[
            ("companyName", "Quiet Logs Ltd"),
            ("domain", "quietlogs.onmicrosoft.com"),
            ("email", "it@quietlogs.example"),
            ("csrf", &crate::invite::hidden_csrf(&html)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 200);

    // The requests were logged (so the search below can fail), with the code redacted.
    assert!(
        wait_for(&log, "/invite/{code}/accept"),
        "the acceptance's request span is in the log:\n{}",
        log.lock().unwrap().join("\n")
    );
    drop(child);
    let log = log.lock().unwrap();
    assert!(code.len() >= 40);
    let leaks: Vec<&String> = log.iter().filter(|l| l.contains(&code)).collect();
    assert!(leaks.is_empty(), "the code is in the log: {leaks:#?}");
    assert!(
        !log.iter().any(|l| l.contains(&token)),
        "nor is the bearer token"
    );
}
