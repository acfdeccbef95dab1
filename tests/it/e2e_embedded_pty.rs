//! The README's first command, end to end: `cspdash` with nothing configured, in a pty, starts
//! its own backend over a demo database in the data directory, seeded on the first run; a customer
//! added in the first run is there in the second, which seeds nothing. Neither run leaves its
//! token behind in the database.

use std::path::Path;

use crate::e2e_pty::{WAIT, at_home};
use crate::pty::Pty;

const CTRL_S: &str = "\x13";
const TAB: &str = "\t";

/// `cspdash` with no arguments and no config, with `home` as its home and XDG directories.
fn embedded_dashboard(home: &Path) -> Pty {
    let mut cmd = at_home(home);
    for var in [
        "CSPDASH_CONFIG",
        "CSPDASH_TOKEN",
        "DISPLAY",
        "WAYLAND_DISPLAY",
    ] {
        cmd.env_remove(var);
    }
    Pty::spawn(cmd, 120, 40)
}

fn quit(mut tui: Pty) {
    tui.send("q");
    let status = tui.wait_exit(WAIT);
    assert!(status.success(), "{status:?}");
}

#[test]
fn the_embedded_default_seeds_on_first_run_and_the_second_run_reuses_the_data() {
    let home = tempfile::tempdir().expect("temp home");
    let db = home.path().join("data/cspdash/cspdash.db");

    let mut tui = embedded_dashboard(home.path());
    let screen = tui.wait_for("1,000 customers", WAIT);
    assert!(screen.contains("Contoso Partner"), "{screen}");
    assert!(screen.contains("Global admin"), "{screen}");
    let said = String::from_utf8_lossy(&tui.raw()).into_owned();
    assert!(said.contains("first run: creating demo data"), "{said}");
    tui.send("n");
    tui.wait_for("Add a new customer", WAIT);
    tui.send("Embedded Reuse GmbH");
    tui.send(TAB);
    tui.send("embedded-reuse.example");
    for _ in 0..3 {
        tui.send(TAB);
    }
    tui.send("it@embedded-reuse.example");
    tui.send(CTRL_S);
    tui.wait_for("Added Embedded Reuse GmbH", WAIT);
    quit(tui);
    assert!(db.exists(), "the database is in the data directory");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).expect("stat").permissions().mode() & 0o777;
        assert_eq!(
            mode(db.parent().expect("dir")),
            0o700,
            "only the user may enter"
        );
        assert_eq!(mode(&db), 0o600, "only the user may read the customers");
    }

    let mut tui = embedded_dashboard(home.path());
    tui.wait_for("1,001 customers", WAIT);
    let said = String::from_utf8_lossy(&tui.raw()).into_owned();
    assert!(!said.contains("first run"), "the second run seeds nothing");
    tui.send("/");
    tui.send("embedded reuse");
    let screen = tui.wait_for(" 1 match · 1,001 customers", WAIT);
    assert!(screen.contains("embedded-reuse.example"), "{screen}");
    tui.send("\r");
    quit(tui);

    let conn = rusqlite::Connection::open(&db).expect("open the database");
    let tokens: i64 = conn
        .query_row("SELECT count(*) FROM tokens", [], |r| r.get(0))
        .expect("count tokens");
    assert_eq!(tokens, 0, "each run revokes its own token on the way out");
}
