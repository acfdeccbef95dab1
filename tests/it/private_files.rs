//! Files with customer data are private to their user, through the real binary: `cspdash serve
//! --db` creates its database, `-wal` and `-shm` 0600 even under `umask 000`, and refuses to start
//! on a database other users can read, saying which `chmod` fixes it.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::served::BIN;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// `cspdash serve` under `umask 000`, the loosest a user could have.
fn serve_with_open_umask(db: &Path) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(r#"umask 000; exec "$0" serve --listen 127.0.0.1:0 --db "$1" --demo 5"#)
        .arg(BIN)
        .arg(db)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    cmd
}

/// Waits (with a deadline) for serve's `listening on` line among its stderr lines.
fn wait_until_listening(lines: &mpsc::Receiver<String>) {
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok(line) if line.starts_with("listening on ") => return,
            Ok(line) => seen.push(line),
            Err(e) => panic!("`cspdash serve` never said where it listens ({e}): {seen:?}"),
        }
    }
}

#[test]
fn serve_creates_the_database_and_its_wal_and_shm_private_even_under_umask_000() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("fresh.db");
    let mut child = serve_with_open_umask(&db).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    wait_until_listening(&rx);
    let wal = dir.path().join("fresh.db-wal");
    let shm = dir.path().join("fresh.db-shm");
    let files = [db.clone(), wal, shm];
    for file in &files {
        assert!(file.exists(), "{} exists while serving", file.display());
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    child.kill().unwrap();
    let _ = child.wait();
}

#[test]
fn serve_and_token_create_refuse_a_database_others_can_read_and_say_how_to_fix_it() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("open.db");
    drop(cspdash::server::open_store(&db, Some(3)).unwrap());
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&db).unwrap();

    let out = serve_with_open_umask(&db)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert!(!out.status.success(), "refused");
    let err = String::from_utf8_lossy(&out.stderr);
    let fix = format!("chmod 600 {}", db.display());
    assert!(err.contains(&fix), "{err}");
    assert!(
        err.contains("can be read or changed by other users"),
        "{err}"
    );

    let out = Command::new(BIN)
        .args(["token", "create", "--role", "admin-agent", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(!out.status.success(), "refused");
    assert!(out.stdout.is_empty(), "no token printed");
    assert!(String::from_utf8_lossy(&out.stderr).contains(&fix));
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the database is untouched"
    );
    assert_eq!(
        mode(&db),
        0o644,
        "cspdash does not change the user's file itself"
    );

    // The fix it gives works.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (tx, rx) = mpsc::channel();
    let mut child = serve_with_open_umask(&db).spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    wait_until_listening(&rx);
    child.kill().unwrap();
    let _ = child.wait();
}
