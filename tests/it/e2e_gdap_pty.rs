//! Requesting admin access end to end, with the real binary in a pty against `cspdash serve`:
//! `d` on a customer opens the request form, `Ctrl-S` alone sends the least-privilege request,
//! the approval draft opens, `y` copies the approval link by OSC 52 (as over SSH), the customer's
//! Global admin approves it on the approval page over HTTP, and the row's admin column turns
//! `active 730d` without a key being pressed.

use std::time::{Duration, Instant};

use crate::e2e_invite_pty::copy_link_by_osc52;
use crate::e2e_pty::{WAIT, dashboard_command};
use crate::pty::Pty;
use crate::served::{block_on, serve};

/// Opens the approval page as the customer's browser would and approves, as its form posts.
fn approve(link: &str) {
    block_on(async {
        let http = reqwest::Client::new();
        let page = http.get(link).send().await.expect("open the approval link");
        assert_eq!(page.status().as_u16(), 200, "the approval page opens");
        let cookie = page
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(str::to_string);
        let html = page.text().await.expect("the page");
        let csrf = crate::invite::hidden_csrf(&html);
        let mut request = http
            .post(format!("{link}/approve"))
            .form(&[("csrf", csrf.as_str())]);
        if let Some(cookie) = cookie {
            request = request.header("cookie", cookie);
        }
        let approved = request.send().await.expect("approve");
        assert!(
            approved.status().is_success(),
            "approving answers {}",
            approved.status()
        );
    });
}

/// What the list's admin column may say for `customer` as the API sends it: its admin
/// relationships' summary (`adminAccess`), in the column's words.
pub fn admin_words(customer: &serde_json::Value) -> &'static [&'static str] {
    match customer["adminAccess"]["status"].as_str() {
        Some("active") => &["active ", "expiring "],
        Some("pending") => &["pending "],
        Some("expired") => &["expired"],
        Some("terminated") => &["terminated"],
        Some(_) => &["none"],
        None if customer["allowDelegatedAccess"] == true => &["granted"],
        None => &["REMOVED"],
    }
}

/// The list line of `name`, if shown.
fn row_of<'a>(screen: &'a str, name: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.contains(name) && l.contains('▸'))
}

#[test]
fn request_admin_access_with_d_and_ctrl_s_copy_the_link_approve_it_and_the_row_turns_active() {
    let served = serve(20);
    let mut cmd = dashboard_command(&served, "admin-agent");
    cmd.env("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22");
    cmd.env_remove("TMUX");
    cmd.env_remove("STY");
    let mut tui = Pty::spawn(cmd, 120, 40);
    let screen = tui.wait_for("20 customers", WAIT);
    let first = screen
        .lines()
        .skip_while(|l| !l.contains("Company name"))
        .nth(1)
        .map(|l| l.trim_start_matches(['▸', '▾', ' ']))
        .and_then(|l| l.split("  ").next())
        .map(|n| n.trim().to_string())
        .expect("a first row");

    tui.send("d");
    let screen = tui.wait_for("Request admin access (GDAP) to", WAIT);
    assert!(screen.contains("Least privilege helpdesk"), "{screen}");
    assert!(screen.contains("[x] yes"), "auto-extend on: {screen}");
    tui.send("\x13"); // Ctrl-S
    let screen = tui.wait_for("send this to a Global admin of the customer", WAIT);
    assert!(screen.contains("asks for admin access to"), "{screen}");
    assert!(screen.contains("/admin-approval/"), "{screen}");

    let link = copy_link_by_osc52(&mut tui, &format!("{}/admin-approval/", served.url));

    tui.send("d");
    let screen = tui.wait_until("the list again", WAIT, |s| s.contains("Company name"));
    let before = row_of(&screen, &first).unwrap_or_default().to_string();
    assert!(!before.contains("active 730d"), "{before}");
    approve(&link);
    let approved = Instant::now();
    let screen = tui.wait_until("the row active for 730 days", Duration::from_secs(5), |s| {
        row_of(s, &first).is_some_and(|l| l.contains("active 730d"))
    });
    assert!(screen.contains("admin access changed"), "{screen}");
    println!(
        "{first}: {before:?} → active 730d {:?} after approving",
        approved.elapsed()
    );
}
