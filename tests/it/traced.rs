//! `cspdash serve --demo 3` at `RUST_LOG=trace` with its whole stderr kept: for tests that search
//! the log for what must never be in it (invitation and approval codes, tokens).
#![allow(clippy::unwrap_used)]

use std::ffi::OsString;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::served::BIN;

pub struct TracedServer {
    child: std::process::Child,
    pub url: String,
    /// `--db`: a SQLite file, or a fresh PostgreSQL database in a contract test's postgres half.
    pub db: OsString,
    log: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

impl TracedServer {
    pub fn start() -> Self {
        // The test's own reqwest client needs it (other tests may or may not have run first).
        crate::helpers::install_crypto();
        let dir = tempfile::tempdir().unwrap();
        let db: OsString = match crate::helpers::store_kind() {
            crate::helpers::StoreKind::Sqlite => dir.path().join("logs.db").into(),
            crate::helpers::StoreKind::Postgres(admin) => {
                cspdash::server::store::postgres::scratch::create_database(&admin)
                    .unwrap()
                    .into()
            }
        };
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
        let log = Arc::new(Mutex::new(Vec::<String>::new()));
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        let mut server = Self {
            child,
            url: String::new(),
            db,
            log,
            _dir: dir,
        };
        assert!(server.wait_for("listening on "), "the server started");
        server.url = server
            .log
            .lock()
            .unwrap()
            .iter()
            .find_map(|l| {
                l.strip_prefix("listening on ")
                    .map(|u| u.trim().to_string())
            })
            .unwrap();
        server
    }

    /// Whether a line holding `what` is logged within a minute.
    pub fn wait_for(&self, what: &str) -> bool {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if self.log.lock().unwrap().iter().any(|l| l.contains(what)) {
                return true;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        false
    }

    /// Everything logged so far, one string a line.
    pub fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    /// Stops the server; then its whole log.
    pub fn stop(mut self) -> Vec<String> {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.log.lock().unwrap().clone()
    }
}

impl Drop for TracedServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
