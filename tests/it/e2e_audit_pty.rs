//! `A` end to end, with the real binary in a pty against `cspdash serve`: the audit log opens on
//! the demo partner's history, newest first; another agent's change meanwhile shows "new records —
//! Ctrl-R", which loads it at the top; `Enter` shows it in full, before and after.

use std::time::Duration;

use crate::e2e_pty::{WAIT, dashboard_command};
use crate::pty::Pty;
use crate::served::{block_on, get_json, serve};

#[test]
fn a_shows_the_audit_log_and_another_agents_change_arrives_on_ctrl_r() {
    let served = serve(20);
    let mut tui = Pty::spawn(dashboard_command(&served, "global-admin"), 120, 40);
    tui.wait_for("20 customers", WAIT);
    tui.send("A");
    let screen = tui.wait_for("createCustomer", WAIT);
    assert!(
        screen.contains("Audit log · every customer · all time"),
        "{screen}"
    );
    assert!(screen.contains("records"), "{screen}");

    // Another agent ends a customer's relationship through the API.
    let token = served.token("admin-agent");
    let page = get_json(&format!("{}/v1/customers?size=1", served.url), &token);
    let id = page["items"][0]["id"]
        .as_str()
        .expect("a customer")
        .to_string();
    let name = page["items"][0]["companyProfile"]["companyName"]
        .as_str()
        .expect("a name")
        .to_string();
    block_on(async {
        let answer = reqwest::Client::new()
            .patch(format!("{}/v1/customers/{id}", served.url))
            .bearer_auth(&token)
            .header("If-Match", "*")
            .json(&serde_json::json!({"relationshipToPartner": "none"}))
            .send()
            .await
            .expect("PATCH");
        assert!(answer.status().is_success(), "{}", answer.status());
    });
    tui.wait_for("new records — Ctrl-R", Duration::from_secs(15));
    tui.send("\x12");
    let shown: String = name.chars().take(12).collect();
    tui.wait_until("the change on the top row", WAIT, |s| {
        // The first line under the column titles is the newest record.
        s.lines()
            .skip_while(|l| !l.contains("When (UTC)"))
            .nth(1)
            .is_some_and(|top| top.contains("endRelationship") && top.contains(shown.as_str()))
    });
    tui.send("\r");
    let full = tui.wait_for("Resource   customer", WAIT);
    assert!(full.contains("relationshipToPartner reseller"), "{full}");
    assert!(full.contains("relationshipToPartner none"), "{full}");
    tui.send("\x1b");
    tui.wait_for("Before → after", WAIT);
    tui.send("q");
    tui.wait_for("Company name", WAIT);
    tui.send("q");
    let status = tui.wait_exit(WAIT);
    assert!(status.success(), "{status:?}");
}
