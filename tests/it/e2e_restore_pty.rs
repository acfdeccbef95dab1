//! `R` end to end, with the real binary in a pty against `cspdash serve`: on an ended customer it
//! opens the draft with that customer's own link, `y` copies it (OSC 52, as over SSH), the customer
//! accepts it — typing someone else's domain, which must not matter — and the row shows the
//! relationship restored without a key being pressed (and the legacy admin permissions back).

use std::time::Duration;

use crate::e2e_gdap_pty::admin_words;
use crate::e2e_invite_pty::{accept, dashboard_over_ssh, osc52_texts};
use crate::e2e_pty::WAIT;
use crate::served::{get_json, serve};

/// The first demo customer whose relationship ended, read over the API.
fn an_ended_customer(url: &str, token: &str) -> serde_json::Value {
    let page = get_json(&format!("{url}/v1/customers?size=1000"), token);
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["relationshipToPartner"] == "none")
        .expect("the demo data has an ended customer")
        .clone()
}

#[test]
fn r_on_an_ended_customer_sends_its_own_link_and_accepting_restores_it_live() {
    let served = serve(20);
    let token = served.token("admin-agent");
    let ended = an_ended_customer(&served.url, &token);
    let domain = ended["companyProfile"]["domain"]
        .as_str()
        .expect("a domain")
        .to_string();
    // What the dashboard calls admin access comes from the admin relationships (GDAP): the
    // link restores the legacy permissions, so the admin column keeps saying what it said.
    let admin = admin_words(&ended);
    let mut tui = dashboard_over_ssh(&served);
    tui.wait_for("20 customers", WAIT);
    tui.send("/");
    tui.send(&domain);
    tui.send("\r");
    // The domain column may cut a long domain.
    let shown: String = domain.chars().take(24).collect();
    let row = |s: &str, relationship: &str| {
        s.lines()
            .any(|l| l.contains(shown.as_str()) && l.contains(relationship))
    };
    tui.wait_until("the ended customer alone on the list", WAIT, |s| {
        row(s, "ended")
    });

    tui.send("R");
    let screen = tui.wait_for("Restores the relationship and admin permissions of", WAIT);
    assert!(
        screen.contains("Restore the reseller relationship of"),
        "{screen}"
    );
    tui.send("y");
    tui.wait_for("OSC 52", WAIT);
    let copied = osc52_texts(&tui.raw());
    let [link] = copied.as_slice() else {
        panic!("one OSC 52 write expected, got {copied:?}");
    };
    tui.send("d");
    tui.wait_until("the list again", WAIT, |s| s.contains("Company name"));

    // Whatever the form says, the link restores the customer it was issued for.
    accept(link, "Somebody Else", "somebody-else.example");
    let screen = tui.wait_until(
        "the customer restored on the list",
        Duration::from_secs(10),
        |s| {
            s.lines().any(|l| {
                l.contains(shown.as_str())
                    && l.contains("reseller")
                    && admin.iter().any(|w| l.contains(w))
            })
        },
    );
    assert!(!screen.contains("somebody-else"), "{screen}");
    let id = ended["id"].as_str().expect("an id");
    let now = get_json(&format!("{}/v1/customers/{id}", served.url), &token);
    assert_eq!(now["allowDelegatedAccess"], true, "{now}");
    assert!(
        screen.contains("20 customers"),
        "nothing was added: {screen}"
    );

    tui.send("q");
    let status = tui.wait_exit(WAIT);
    assert!(status.success(), "{status:?}");
}
