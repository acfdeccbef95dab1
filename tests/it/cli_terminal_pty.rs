//! The scripting commands on a real terminal (a pseudo-terminal): a table by default, bold
//! headings unless `NO_COLOR`, backend text sanitised, and JSON indented for reading.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use cspdash::api::Role;
use portable_pty::CommandBuilder;

use crate::helpers::{CONTOSO, TestServer, spawn_server};
use crate::pty::Pty;

fn on_a_terminal(
    server: &TestServer,
    home: &std::path::Path,
    args: &[&str],
    no_color: bool,
) -> Pty {
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cspdash"));
    cmd.args(args);
    cmd.args(["--backend", &server.url]);
    cmd.env("CSPDASH_TOKEN", server.token(CONTOSO, Role::GlobalAdmin));
    cmd.env("HOME", home);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_DATA_HOME", home.join("data"));
    cmd.env("XDG_STATE_HOME", home.join("state"));
    cmd.env("TERM", "xterm-256color");
    if no_color {
        cmd.env("NO_COLOR", "1");
    } else {
        cmd.env_remove("NO_COLOR");
    }
    Pty::spawn(cmd, 200, 50)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn on_a_terminal_the_default_is_a_table_in_bold_unless_no_color() {
    let server = spawn_server(5).await;
    let (_, page) = server.get_json("/v1/customers?size=1").await;
    let id = page["items"][0]["id"].as_str().unwrap().to_string();
    server
        .sql(&format!(
            "UPDATE customers SET company_name = 'Evil\u{202E}moc.elgoog\u{1b}[2J Corp' WHERE id = '{id}'"
        ))
        .await;
    let home = tempfile::tempdir().unwrap();

    let mut tty = on_a_terminal(&server, home.path(), &["customers", "list"], false);
    assert!(tty.wait_exit(Duration::from_secs(30)).success());
    let raw = String::from_utf8_lossy(&tty.raw()).into_owned();
    let screen = tty.screen();
    assert!(screen.contains("COMPANY NAME"), "a table: {screen}");
    assert!(!screen.contains('\t'));
    assert!(
        raw.contains("\x1b[1m"),
        "bold headings on a terminal: {raw:?}"
    );
    assert!(
        !raw.contains('\u{202E}') && !raw.contains("\x1b[2J"),
        "sanitised: {raw:?}"
    );
    assert!(screen.contains("Evilmoc.elgoog"), "{screen}");

    let mut tty = on_a_terminal(&server, home.path(), &["customers", "list"], true);
    assert!(tty.wait_exit(Duration::from_secs(30)).success());
    let raw = String::from_utf8_lossy(&tty.raw()).into_owned();
    assert!(tty.screen().contains("COMPANY NAME"));
    assert!(!raw.contains("\x1b[1m"), "NO_COLOR: no colour: {raw:?}");

    let mut tty = on_a_terminal(&server, home.path(), &["me", "-o", "json"], true);
    assert!(tty.wait_exit(Duration::from_secs(30)).success());
    let raw = String::from_utf8_lossy(&tty.raw()).replace("\r\n", "\n");
    let me: serde_json::Value = serde_json::from_str(raw.trim()).unwrap();
    assert_eq!(me["role"], "global-admin");
    assert!(
        raw.trim().lines().count() > 3,
        "indented for reading: {raw}"
    );
}
