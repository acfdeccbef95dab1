//! The admin relationships screen end to end, with the real binary in a pty against `cspdash
//! serve`: `a` lists the partner's relationships, `2` shows those expiring within 30 days, `a`
//! marks them all, `e` asks what will happen (Global Administrator ones skipped and why), `y`
//! sends, and the screen answers with a result per row; the backend then auto-extends exactly the
//! ones the results say succeeded.

use crate::e2e_pty::{WAIT, dashboard_command};
use crate::pty::Pty;
use crate::served::{get_json, serve};

const BASE: &str = "/v1/tenantRelationships/delegatedAdminRelationships";

/// Every relationship of the partner (one page holds the demo's).
fn relationships(url: &str, token: &str) -> Vec<serde_json::Value> {
    let page = get_json(&format!("{url}{BASE}?$top=1000"), token);
    page["value"].as_array().cloned().unwrap_or_default()
}

fn auto_extending(rels: &[serde_json::Value]) -> usize {
    rels.iter()
        .filter(|r| r["autoExtendDuration"] == "P180D")
        .count()
}

#[test]
fn a_lists_relationships_marks_the_expiring_ones_and_e_y_auto_extends_them_with_a_result_per_row() {
    let served = serve(60);
    let token = served.token("global-admin");
    let before = relationships(&served.url, &token);
    let extending_before = auto_extending(&before);

    let mut tui = Pty::spawn(dashboard_command(&served, "admin-agent"), 130, 40);
    tui.wait_for("60 customers", WAIT);
    tui.send("a");
    let screen = tui.wait_for("relationships", WAIT);
    assert!(
        screen.contains("Expiring"),
        "the views are listed: {screen}"
    );
    tui.send("2");
    tui.wait_for("[2 Expiring", WAIT);
    tui.send("a");
    tui.wait_until("the whole view marked", WAIT, |s| {
        s.contains(" marked") && !s.contains(" 0 marked")
    });
    tui.send("e");
    let screen = tui.wait_for("Enable auto-extend?", WAIT);
    assert!(
        screen.contains("Auto-extend"),
        "the confirmation says what happens: {screen}"
    );
    tui.send("y");
    let screen = tui.wait_until("the results", WAIT, |s| {
        s.contains("Enable auto-extend: succeeded")
    });
    let succeeded: usize = screen
        .split("Enable auto-extend: succeeded ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.replace(',', "").parse().ok())
        .expect("a count of the succeeded rows");
    assert!(succeeded > 0, "some were extended: {screen}");

    let after = relationships(&served.url, &token);
    assert_eq!(
        auto_extending(&after),
        extending_before + succeeded,
        "the backend auto-extends exactly the rows the screen says succeeded"
    );
    let with_global_admin_extending = after.iter().any(|r| {
        r["autoExtendDuration"] == "P180D"
            && r["accessDetails"]["unifiedRoles"]
                .as_array()
                .is_some_and(|roles| {
                    roles
                        .iter()
                        .any(|x| x["roleDefinitionId"] == cspdash::api::gdap::GLOBAL_ADMINISTRATOR)
                })
    });
    assert!(
        !with_global_admin_extending,
        "Global Administrator ones were skipped"
    );
}
