//! The real binary in a pty against `cspdash serve`: rows arrive, a row expands, the filter narrows,
//! the help opens, `q` quits and gives the terminal back; a hang-up ends the process.

use std::time::Duration;

use portable_pty::CommandBuilder;

use crate::pty::Pty;
use crate::served::{BIN, Served, serve};

pub const WAIT: Duration = Duration::from_secs(30);

/// The dashboard against `served` as `role`, 120×40, with its own empty config and data dirs.
fn dashboard(served: &Served, role: &str) -> Pty {
    Pty::spawn(dashboard_command(served, role), 120, 40)
}

/// The command line and environment of [`dashboard`], for tests that add to them.
pub fn dashboard_command(served: &Served, role: &str) -> CommandBuilder {
    let mut cmd = at_home(served.dir.path());
    cmd.args(["--backend", &served.url]);
    cmd.env("CSPDASH_TOKEN", served.token(role));
    cmd
}

/// The binary with `home` as its home, config, data and state directories and working directory,
/// in a plain terminal without colour.
pub fn at_home(home: &std::path::Path) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(BIN);
    cmd.env("XDG_CONFIG_HOME", home.join("config"));
    cmd.env("XDG_DATA_HOME", home.join("data"));
    cmd.env("XDG_STATE_HOME", home.join("state"));
    cmd.env("HOME", home);
    cmd.env("TERM", "xterm-256color");
    cmd.env("NO_COLOR", "1");
    cmd.cwd(home);
    cmd
}

/// The company name on the first row of the list (the line under the column titles).
fn first_row_name(screen: &str) -> String {
    let line = screen
        .lines()
        .skip_while(|l| !l.contains("Company name"))
        .nth(1)
        .expect("a row under the titles");
    let name = line.trim_start_matches(['▸', '▾', ' ']);
    name.split("  ").next().expect("a name").trim().to_string()
}

#[test]
fn browse_expand_filter_and_quit_leave_the_terminal_as_it_was() {
    let served = serve(300);
    let mut tui = dashboard(&served, "global-admin");
    let screen = tui.wait_for("300 customers", WAIT);
    assert!(screen.contains("Contoso Partner"), "{screen}");
    assert!(screen.contains("Global admin"), "{screen}");
    assert!(tui.alternate_screen());

    tui.send("\r");
    let screen = tui.wait_for("Licenses", WAIT);
    assert!(
        screen.contains("Account") && screen.contains("tenant"),
        "{screen}"
    );
    assert!(screen.contains("▾"), "{screen}");
    tui.send("h");
    tui.wait_until("the row to close", WAIT, |s| !s.contains("Licenses"));

    let name = first_row_name(&tui.screen());
    let needle: String = name.chars().take(12).collect();
    tui.send("/");
    tui.send(&needle.to_uppercase());
    let screen = tui.wait_for(&format!("/{}", needle.to_uppercase()), WAIT);
    tui.wait_for(" match · 300 customers", WAIT);
    assert!(screen.contains(&name), "{screen}");
    tui.send("\x1b");
    tui.wait_until("the filter to clear", WAIT, |s| !s.contains(" match · "));

    // A paste filters; its `q` and newline are text, not keys.
    assert!(tui.bracketed_paste());
    tui.paste(&format!("{needle}\nq"));
    let screen = tui.wait_for(&format!("/{needle} q"), WAIT);
    assert!(screen.contains(" 0 match · 300 customers"), "{screen}");
    tui.send("\x1b");
    tui.wait_until("the filter to clear", WAIT, |s| !s.contains(" match · "));

    tui.send("?");
    tui.wait_for("Keys: Customers", WAIT);
    tui.send("\x1b");
    tui.wait_until("the help to close", WAIT, |s| {
        !s.contains("Keys: Customers")
    });

    tui.send("q");
    let status = tui.wait_exit(WAIT);
    assert!(status.success(), "{status:?}");
    assert!(!tui.alternate_screen(), "the alternate screen was left");
    assert!(!tui.bracketed_paste(), "bracketed paste was turned off");
}

#[test]
fn a_hang_up_ends_the_dashboard() {
    let served = serve(50);
    let mut tui = dashboard(&served, "helpdesk-agent");
    tui.wait_for("50 customers", WAIT);
    let pid = tui_pid(&tui);
    let killed = std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .expect("run kill");
    assert!(killed.success());
    let status = tui.wait_exit(WAIT);
    assert!(
        !status.success(),
        "stopped from outside exits non-zero: {status:?}"
    );
    assert!(!tui.alternate_screen(), "the alternate screen was left");
}

fn tui_pid(tui: &Pty) -> u32 {
    tui.pid().expect("the dashboard's pid")
}
