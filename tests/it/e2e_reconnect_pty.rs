//! The backend goes away under an open dashboard and comes back: the real binary in a pty against
//! `cspdash serve`, killed with SIGKILL. The header says the backend is unreachable and what the
//! dashboard does about it, the rows stay; a customer added while it is down (through another
//! `cspdash serve` on the same database) appears by itself, exactly once, after the backend is
//! restarted on the same port, and the header says `live` again. Prints how long each took.

use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use cspdash::client::Client;

use crate::e2e_pty::{WAIT, at_home};
use crate::helpers::typed_customer;
use crate::pty::Pty;
use crate::served::{BIN, block_on, create_token, spawn_listening};

const NEW_NAME: &str = "Aaa Back Online GmbH";
/// Backend and dashboard agree on a short heartbeat (the flag and the variable are what is
/// tested with it); the reconnect cap is the default a user gets.
const HEARTBEAT_MS: &str = "500";

/// `cspdash serve --listen listen --db db --heartbeat-ms 500 [--demo N]`, and the URL it says it listens on.
fn serve_at(db: &Path, listen: &str, demo: Option<u32>) -> (Child, String) {
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", listen, "--db"]).arg(db);
    cmd.args(["--heartbeat-ms", HEARTBEAT_MS]);
    if let Some(n) = demo {
        cmd.args(["--demo", &n.to_string()]);
    }
    spawn_listening(&mut cmd)
}

fn add_customer(url: &str, token: &str) {
    let new = typed_customer("back-online.example", NEW_NAME);
    block_on(async {
        let client = Client::new(url, token).expect("client");
        client
            .create_customer(&new, "back-online-1")
            .await
            .expect("customer added while the dashboard's backend is down");
    });
}

fn header(screen: &str) -> &str {
    screen.lines().next().unwrap_or_default()
}

/// N of `offline · reconnecting in Ns` in the header.
fn countdown(header: &str) -> Option<u64> {
    let rest = header.split("reconnecting in ").nth(1)?;
    rest.split('s').next()?.parse().ok()
}

fn kill(mut child: Child) {
    child.kill().expect("SIGKILL the backend");
    child.wait().expect("reap the backend");
}

#[test]
fn a_killed_backend_shows_offline_and_on_restart_live_again_with_what_was_added_meanwhile() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("serve.db");
    let (backend, url) = serve_at(&db, "127.0.0.1:0", Some(30));
    let listen = url.trim_start_matches("http://").to_string();
    let token = create_token(&db, "global-admin", &[]);

    let mut cmd = at_home(dir.path());
    cmd.args(["--backend", &url]);
    cmd.env("CSPDASH_TOKEN", &token);
    cmd.env("CSPDASH_HEARTBEAT_MS", HEARTBEAT_MS);
    let tui = Pty::spawn(cmd, 120, 40);
    let screen = tui.wait_until("the list, live", WAIT, |s| {
        header(s).contains("live │ 30 customers")
    });
    let a_row = screen
        .lines()
        .skip_while(|l| !l.contains("Company name"))
        .nth(1)
        .expect("a first row")
        .trim_start_matches(['▸', ' '])
        .split("  ")
        .next()
        .expect("a name")
        .to_string();

    kill(backend);
    let killed_at = Instant::now();
    let screen = tui.wait_until("the header to say offline", WAIT, |s| {
        header(s).contains("offline · reconnecting")
    });
    let offline_after = killed_at.elapsed();
    assert!(screen.contains(&a_row), "the rows stay:\n{screen}");
    assert!(header(&screen).contains("30 customers"), "{screen}");
    // It keeps trying and says when; the waits grow to the 3 s cap and never past it. Wait
    // until the dashboard is at the cap, so the time to come back below is the slow case.
    let longest = std::cell::Cell::new(0u64);
    tui.wait_until("the countdown to reach the cap", WAIT, |s| {
        if let Some(secs) = countdown(header(s)) {
            longest.set(longest.get().max(secs));
        }
        killed_at.elapsed() > Duration::from_secs(4) && countdown(header(s)) >= Some(2)
    });
    assert!(longest.get() <= 3, "waited {}s at most", longest.get());

    // Someone adds a customer meanwhile, through another backend on the same database.
    let (other, other_url) = serve_at(&db, "127.0.0.1:0", None);
    add_customer(&other_url, &token);
    kill(other);
    let screen = tui.screen();
    assert!(
        !screen.contains(NEW_NAME),
        "not before the backend is back:\n{screen}"
    );

    let (backend, again) = serve_at(&db, &listen, None);
    let restarted_at = Instant::now();
    assert_eq!(again, url, "the same port");
    let screen = tui.wait_until("the missed customer, live again", WAIT, |s| {
        s.contains(NEW_NAME) && header(s).contains("live │")
    });
    let caught_up_after = restarted_at.elapsed();
    let rows = screen
        .lines()
        .filter(|l| l.trim_start_matches(['▸', '▾', ' ']).starts_with(NEW_NAME))
        .count();
    assert_eq!(rows, 1, "one row, exactly once:\n{screen}");
    let screen = tui.wait_until("the count to include it", WAIT, |s| {
        header(s).contains("live │ 31 customers")
    });
    assert!(screen.contains(&a_row), "{screen}");
    eprintln!(
        "backend killed: header offline after {offline_after:?}; restarted: the missed customer \
         on screen, header live, after {caught_up_after:?}"
    );
    drop(tui);
    kill(backend);
}
