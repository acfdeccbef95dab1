//! Opening a service request from the dashboard, end to end: the real binary in a pty against
//! `cspdash serve`, as a Helpdesk agent. `t` lists the first customer's requests, `n` opens the
//! form, Ctrl-S sends it; the new request is listed, and the backend holds exactly one.

use crate::e2e_pty::{WAIT, dashboard_command};
use crate::pty::Pty;
use crate::served::{get_json, serve};

const CTRL_S: &str = "\x13";
const TAB: &str = "\t";

#[test]
fn t_then_n_opens_a_service_request_that_is_listed_and_stored_once() {
    let served = serve(20);
    let token = served.token("helpdesk-agent");
    let first = get_json(&format!("{}/v1/customers?size=1", served.url), &token);
    let customer = first["items"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let name = first["items"][0]["companyProfile"]["companyName"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let cmd = dashboard_command(&served, "helpdesk-agent");
    let mut tui = Pty::spawn(cmd, 120, 40);
    tui.wait_for("20 customers", WAIT);

    tui.send("t");
    tui.wait_for("Service requests ·", WAIT);
    tui.send("n");
    tui.wait_for("Open a service request", WAIT);
    tui.send("Drucker im 2. Stock offline");
    tui.send(TAB);
    tui.send("seit heute früh");
    tui.send(CTRL_S);
    let screen = tui.wait_until("the new request in the list", WAIT, |s| {
        s.contains("Service requests ·")
            && s.lines()
                .any(|l| l.contains("Drucker im 2. Stock offline") && l.contains("open"))
    });
    assert!(!screen.contains("Open a service request for"), "{screen}");

    let url = format!("{}/v1/customers/{customer}/servicerequests", served.url);
    let listed = get_json(&url, &token);
    let ours: Vec<_> = listed["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r["title"] == "Drucker im 2. Stock offline")
        .collect();
    assert_eq!(ours.len(), 1, "{name}: {listed}");
    assert_eq!(ours[0]["description"], "seit heute früh");
    assert_eq!(ours[0]["severity"], "moderate");
    assert_eq!(ours[0]["status"], "open");

    tui.send("q");
    tui.wait_until("back on the list", WAIT, |s| {
        !s.contains("Service requests ·")
    });
    tui.send("q");
    let status = tui.wait_exit(WAIT);
    assert!(status.success(), "{status:?}");
}
