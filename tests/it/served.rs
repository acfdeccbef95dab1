//! `cspdash serve` as a separate process on 127.0.0.1:0 over a temporary database, and tokens made
//! with `cspdash token create`: the backend exactly as a user runs it.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_cspdash");

pub struct Served {
    child: Child,
    pub url: String,
    pub db: PathBuf,
    pub dir: tempfile::TempDir,
}

/// Starts `cspdash serve --demo customers` and waits for its `listening on` line.
pub fn serve(customers: u32) -> Served {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("serve.db");
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(&db)
        .args(["--demo", &customers.to_string()])
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cspdash serve");
    let stderr = child.stderr.take().expect("stderr piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("listening on ") {
                let _ = tx.send(url.trim().to_string());
            }
        }
    });
    // Seeding comes first; a million customers take minutes.
    let startup = Duration::from_secs(120 + u64::from(customers) / 1_000);
    let url = rx
        .recv_timeout(startup)
        .expect("`cspdash serve` says where it listens");
    Served {
        child,
        url,
        db,
        dir,
    }
}

impl Served {
    /// A new bearer token for the first partner (Contoso) with `role`.
    pub fn token(&self, role: &str) -> String {
        let out = Command::new(BIN)
            .args(["token", "create", "--role", role, "--db"])
            .arg(&self.db)
            .output()
            .expect("run token create");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout)
            .expect("utf-8 token")
            .trim()
            .to_string()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
