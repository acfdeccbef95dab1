//! `cspdash serve` as a separate process on 127.0.0.1:0 over a temporary database (or a
//! PostgreSQL one, [`serve_on`]), and tokens made with `cspdash token create`: the backend exactly
//! as a user runs it.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use cspdash::server::store::Database;

pub const BIN: &str = env!("CARGO_BIN_EXE_cspdash");

pub struct Served {
    child: Child,
    pub url: String,
    pub db: Database,
    pub dir: tempfile::TempDir,
    /// Every line the server wrote to stderr so far.
    pub log: Log,
}

/// A server's stderr, line by line, as it comes.
pub type Log = Arc<Mutex<Vec<String>>>;

/// Spawns `cmd` (a `cspdash serve` command line) and waits for its `listening on` line: the
/// running server and the URL it printed.
pub fn spawn_listening(cmd: &mut Command) -> (Child, String) {
    let (child, url, _) = spawn_logged(cmd);
    (child, url)
}

/// [`spawn_listening`], keeping every stderr line; `RUST_LOG` is `warn` unless `cmd` sets it.
pub fn spawn_logged(cmd: &mut Command) -> (Child, String, Log) {
    if !cmd.get_envs().any(|(name, _)| name == "RUST_LOG") {
        cmd.env("RUST_LOG", "warn");
    }
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cspdash serve");
    let stderr = child.stderr.take().expect("stderr piped");
    let (tx, rx) = mpsc::channel();
    let log = Log::default();
    let lines = Arc::clone(&log);
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("listening on ") {
                let _ = tx.send(url.trim().to_string());
            }
            lines.lock().unwrap_or_else(|p| p.into_inner()).push(line);
        }
    });
    // Seeding comes first: a million customers take a minute or two on a busy machine. A server
    // that dies ends the wait at once (its stderr closes), so a long limit costs nothing.
    let startup = Duration::from_secs(600);
    let url = rx.recv_timeout(startup).unwrap_or_else(|_| {
        let log = log.lock().unwrap_or_else(|p| p.into_inner()).join("\n");
        panic!("`cspdash serve` did not say where it listens; its stderr:\n{log}")
    });
    (child, url, log)
}

/// What `--db` takes for `db`: the file's path or the URL.
pub fn db_arg(db: &Database) -> &OsStr {
    match db {
        Database::Sqlite(path) => path.as_os_str(),
        Database::Postgres(url) => OsStr::new(url),
    }
}

/// `cspdash token create --role role --db db extra…`: the token it printed (it must succeed).
pub fn create_token(db: impl AsRef<OsStr>, role: &str, extra: &[&str]) -> String {
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
    let db = Database::Sqlite(dir.path().join("serve.db"));
    serve_on(&db, Some(customers), &[], dir)
}

/// Starts `cspdash serve --db db [--demo N] extra…` (a file or a `postgres://` URL; `dir` lives as
/// long as the server) and waits for its `listening on` line.
pub fn serve_on(
    db: &Database,
    demo: Option<u32>,
    extra: &[&str],
    dir: tempfile::TempDir,
) -> Served {
    spawn_served(serve_command(db, demo, extra), db, dir)
}

/// Runs `cmd` (a [`serve_command`] with more set on it) until it listens.
pub fn spawn_served(mut cmd: Command, db: &Database, dir: tempfile::TempDir) -> Served {
    let (child, url, log) = spawn_logged(&mut cmd);
    Served {
        child,
        url,
        db: db.clone(),
        dir,
        log,
    }
}

/// The `cspdash serve` command line [`serve_on`] runs, for tests that set more on it.
pub fn serve_command(db: &Database, demo: Option<u32>, extra: &[&str]) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(db_arg(db))
        .args(extra);
    if let Some(customers) = demo {
        cmd.args(["--demo", &customers.to_string()]);
    }
    cmd
}

impl Served {
    /// A new bearer token for the first partner (Contoso) with `role`.
    pub fn token(&self, role: &str) -> String {
        create_token(db_arg(&self.db), role, &[])
    }

    /// The SQLite file it serves (a test of a SQLite-only behaviour).
    pub fn path(&self) -> &Path {
        match &self.db {
            Database::Sqlite(path) => path,
            Database::Postgres(_) => panic!("this server runs on PostgreSQL, not a file"),
        }
    }

    /// Everything it wrote to stderr so far.
    pub fn log_text(&self) -> String {
        self.log
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .join("\n")
    }

    /// `kill -9`: gone at once, no shutdown of any kind.
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Whether it is still running.
    pub fn running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
