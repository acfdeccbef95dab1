//! `x` end to end, with the real binary in a pty against `cspdash serve`: end a relationship by
//! keyboard (`x`, `y`), see it ended, reinstate it (`x`, `y`), with the backend's state checked
//! through the API each time; and a change made through the API between the dialog's read and
//! `y`, which the dashboard answers with "changed by someone else" instead of overwriting.
#![allow(clippy::unwrap_used)]

use crate::e2e_pty::{WAIT, dashboard_command};
use crate::pty::Pty;
use crate::served::{block_on, get_json, serve};

/// (name, domain) of the first demo customer with an active relationship and admin access.
fn an_active_customer(url: &str, token: &str) -> (String, String, String, &'static [&'static str]) {
    let page = get_json(&format!("{url}/v1/customers?size=1000"), token);
    let found = page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|c| c["relationshipToPartner"] == "reseller" && c["allowDelegatedAccess"] == true)
        .expect("the demo data has an active customer")
        .clone();
    let text = |v: &serde_json::Value| v.as_str().expect("text").to_string();
    (
        text(&found["id"]),
        text(&found["companyProfile"]["companyName"]),
        text(&found["companyProfile"]["domain"]),
        crate::e2e_gdap_pty::admin_words(&found),
    )
}

/// Flips the customer's purchase permission through the API, as another agent would.
fn someone_else_flips_purchase_permission(url: &str, token: &str, id: &str) {
    block_on(async {
        let http = reqwest::Client::new();
        let path = format!("{url}/v1/customers/{id}/purchasepermission");
        let read = http
            .get(&path)
            .bearer_auth(token)
            .send()
            .await
            .expect("GET");
        let etag = read.headers()["etag"].to_str().expect("etag").to_string();
        let now: serde_json::Value = read.json().await.expect("JSON");
        let allow = !now["allowCustomerPurchase"].as_bool().expect("bool");
        let put = http
            .put(&path)
            .bearer_auth(token)
            .header("If-Match", etag)
            .json(&serde_json::json!({"allowCustomerPurchase": allow}))
            .send()
            .await
            .expect("PUT");
        assert_eq!(put.status(), 200);
    });
}

#[test]
fn x_y_ends_a_relationship_x_y_reinstates_it_and_a_change_in_between_is_not_overwritten() {
    let served = serve(20);
    let token = served.token("admin-agent");
    let (id, name, domain, admin) = an_active_customer(&served.url, &token);
    let customer = || get_json(&format!("{}/v1/customers/{id}", served.url), &token);
    let mut tui = Pty::spawn(dashboard_command(&served, "admin-agent"), 120, 40);
    tui.wait_for("20 customers", WAIT);
    tui.send("/");
    tui.send(&domain);
    tui.send("\r");
    // The domain column may cut a long domain.
    let shown: String = domain.chars().take(24).collect();
    let row = move |s: &str, words: &[&str]| {
        s.lines()
            .any(|l| l.contains(shown.as_str()) && words.iter().all(|w| l.contains(w)))
    };
    tui.wait_until("the customer alone on the list", WAIT, |s| {
        admin.iter().any(|w| row(s, &["reseller", w]))
    });

    tui.send("x");
    let screen = tui.wait_for(&format!("End the relationship with {name}?"), WAIT);
    // (The box wraps the sentence where the name ends it.)
    assert!(
        screen.contains("You can no longer sell to or manage"),
        "the dialog says what ending means: {screen}"
    );
    assert!(screen.contains(&format!("{name} ({domain})")), "{screen}");
    tui.send("y");
    tui.wait_until("the row ended", WAIT, |s| row(s, &["ended"]));
    let now = customer();
    assert_eq!(now["relationshipToPartner"], "none", "{now}");
    assert_eq!(now["allowDelegatedAccess"], false, "{now}");

    tui.send("x");
    tui.wait_for(&format!("Reinstate the relationship with {name}?"), WAIT);
    tui.send("y");
    tui.wait_until("the row reinstated", WAIT, |s| row(s, &["reseller"]));
    let now = customer();
    assert_eq!(now["relationshipToPartner"], "reseller", "{now}");
    assert_eq!(
        now["allowDelegatedAccess"], false,
        "admin access stays off until R or GDAP: {now}"
    );

    // Read by the dialog, changed by someone else, then confirmed: refused, nothing overwritten.
    tui.send("x");
    tui.wait_for(&format!("End the relationship with {name}?"), WAIT);
    someone_else_flips_purchase_permission(&served.url, &token, &id);
    tui.send("y");
    tui.wait_for("changed by someone else — reloaded, try again", WAIT);
    let now = customer();
    assert_eq!(
        now["relationshipToPartner"], "reseller",
        "the stale change did not go through: {now}"
    );

    tui.send("q");
    let status = tui.wait_exit(WAIT);
    assert!(status.success(), "{status:?}");
}
