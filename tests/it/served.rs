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

/// Spawns `cmd` (a `cspdash serve` command line) and waits for its `listening on` line: the
/// running server and the URL it printed.
pub fn spawn_listening(cmd: &mut Command) -> (Child, String) {
    let mut child = cmd
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
    // Seeding comes first: a million customers take a minute or two on a busy machine. A server
    // that dies ends the wait at once (its stderr closes), so a long limit costs nothing.
    let startup = Duration::from_secs(600);
    let url = rx
        .recv_timeout(startup)
        .expect("`cspdash serve` says where it listens");
    (child, url)
}

/// `cspdash token create --role role --db db extra…`: the token it printed (it must succeed).
pub fn create_token(db: impl AsRef<std::ffi::OsStr>, role: &str, extra: &[&str]) -> String {
    let out = Command::new(BIN)
        .args(["token", "create", "--role", role, "--db"])
        .arg(db)
        .args(extra)
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

/// Runs `future` to its end on a runtime of its own: for the HTTP calls a pty test makes beside
/// the dashboard it drives (the tests themselves are not async).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for the HTTP calls");
    let _ = rustls::crypto::ring::default_provider().install_default();
    runtime.block_on(future)
}

/// GET `url` with bearer `token`: the JSON body.
pub fn get_json(url: &str, token: &str) -> serde_json::Value {
    block_on(async {
        reqwest::Client::new()
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("JSON")
    })
}

/// Starts `cspdash serve --demo customers` and waits for its `listening on` line.
pub fn serve(customers: u32) -> Served {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("serve.db");
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(&db)
        .args(["--demo", &customers.to_string()]);
    let (child, url) = spawn_listening(&mut cmd);
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
        create_token(&self.db, role, &[])
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
