//! Adding a customer from the dashboard, end to end: the real binary in a pty against `cspdash
//! serve`. `n` opens the form; a bad email is caught before anything is sent; the customer is
//! added, shows in the list under the cursor, and is in the backend; adding the same domain again
//! is refused by the backend and the refusal is shown at the domain field.

use serde_json::Value;

use crate::e2e_pty::{WAIT, dashboard_command};
use crate::helpers::filter_path;
use crate::pty::Pty;
use crate::served::{Served, get_json, serve};

const CTRL_S: &str = "\x13";
const TAB: &str = "\t";
const ESC: &str = "\x1b";

/// The customers whose name starts with `name`, as the API lists them.
fn customers_named(served: &Served, token: &str, name: &str) -> Vec<Value> {
    let url = format!("{}{}", served.url, filter_path("CompanyName", name, 10));
    let body = get_json(&url, token);
    body["items"].as_array().cloned().unwrap_or_default()
}

/// Types the form: company, domain, first and last name, then the email.
fn fill(tui: &mut Pty, company: &str, domain: &str, email: &str) {
    tui.send(company);
    tui.send(TAB);
    tui.send(domain);
    tui.send(TAB);
    tui.send("Ελένη");
    tui.send(TAB);
    tui.send("Παπαδοπούλου");
    tui.send(TAB);
    tui.send(email);
}

#[test]
fn n_adds_a_customer_that_shows_in_the_list_and_the_backend_and_a_taken_domain_is_refused() {
    let served = serve(20);
    let cmd = dashboard_command(&served, "admin-agent");
    let mut tui = Pty::spawn(cmd, 120, 40);
    tui.wait_for("20 customers", WAIT);

    tui.send("n");
    tui.wait_for("Add a new customer", WAIT);
    fill(
        &mut tui,
        "Ωmega Δelta Trading",
        "omega-delta.example",
        "eleni at omega",
    );
    tui.send(CTRL_S);
    tui.wait_for(
        "Contact email: \"eleni at omega\" is not a valid email address",
        WAIT,
    );
    // The cursor is in the email field: put the address right and send.
    for _ in 0.."eleni at omega".len() {
        tui.send("\x7f");
    }
    tui.send("eleni@omega-delta.example");
    tui.send(CTRL_S);
    let screen = tui.wait_for(
        "Added Ωmega Δelta Trading (omega-delta.example): you are its reseller",
        WAIT,
    );
    assert!(screen.contains("21 customers"), "{screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.contains("Ωmega Δelta Trading") && l.contains("omega-delta.example")),
        "{screen}"
    );

    let token = served.token("admin-agent");
    let found = customers_named(&served, &token, "Ωmega");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["companyProfile"]["domain"], "omega-delta.example");
    assert_eq!(
        found[0]["billingProfile"]["email"],
        "eleni@omega-delta.example"
    );
    assert_eq!(found[0]["billingProfile"]["lastName"], "Παπαδοπούλου");
    assert_eq!(found[0]["relationshipToPartner"], "reseller");

    // The same domain again: the backend refuses, the form keeps the input and says why.
    tui.send("n");
    tui.wait_for("Add a new customer", WAIT);
    fill(
        &mut tui,
        "Omega Again",
        "Omega-Delta.example",
        "x@omega-delta.example",
    );
    tui.send(CTRL_S);
    let screen = tui.wait_for("is already one of your customers", WAIT);
    assert!(screen.contains("Primary domain: "), "{screen}");
    assert!(
        screen.contains("Omega Again"),
        "the input is kept:\n{screen}"
    );
    assert_eq!(customers_named(&served, &token, "Omega Again").len(), 0);

    // Esc asks before losing the input; a second Esc goes back to the list.
    tui.send(ESC);
    tui.wait_for("Esc again discards", WAIT);
    tui.send(ESC);
    tui.wait_until("the list again", WAIT, |s| {
        !s.contains("Add a new customer") && s.contains("21 customers")
    });
    tui.send("q");
    let status = tui.wait_exit(WAIT);
    assert!(status.success(), "{status:?}");
}
