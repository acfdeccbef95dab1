//! Adding a user from the dashboard, end to end: the real binary in a pty against `cspdash serve`,
//! its clipboard going out by OSC 52 as over SSH. `u` on a customer opens its users; `n` adds one
//! by keyboard; the temporary password is shown once and `y` copies exactly that password.

use crate::e2e_invite_pty::osc52_texts;
use crate::e2e_pty::{WAIT, dashboard_command};
use crate::pty::Pty;
use crate::served::{get_json, serve};

const CTRL_S: &str = "\x13";
const TAB: &str = "\t";

#[test]
fn u_then_n_adds_a_user_and_y_copies_its_temporary_password_by_osc52() {
    let served = serve(20);
    let token = served.token("admin-agent");
    // The first customer in list order whose users may be managed (relationship on, admin
    // permissions kept).
    let page = get_json(&format!("{}/v1/customers?size=100", served.url), &token);
    let customers = page["items"].as_array().cloned().unwrap_or_default();
    let (position, customer) = customers
        .iter()
        .enumerate()
        .find(|(_, c)| {
            c["relationshipToPartner"] == "reseller" && c["allowDelegatedAccess"] == true
        })
        .expect("a manageable customer");
    let id = customer["id"].as_str().unwrap_or_default().to_string();
    let domain = customer["companyProfile"]["domain"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let mut cmd = dashboard_command(&served, "admin-agent");
    cmd.env("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22");
    cmd.env_remove("TMUX");
    cmd.env_remove("STY");
    let mut tui = Pty::spawn(cmd, 120, 40);
    tui.wait_for("20 customers", WAIT);
    for _ in 0..position {
        tui.send("j");
    }
    tui.send("u");
    tui.wait_for("Users of ", WAIT);
    tui.wait_for(&domain, WAIT);
    tui.wait_until("the users loaded", WAIT, |s| s.contains("admin@"));

    tui.send("n");
    tui.wait_for("Add a user", WAIT);
    tui.send("lena.berg");
    tui.send(TAB);
    tui.send("Lena");
    tui.send(TAB);
    tui.send("Berg");
    tui.send(CTRL_S);
    let screen = tui.wait_for("Temporary password: ", WAIT);
    let password = screen
        .lines()
        .find_map(|l| l.split("Temporary password: ").nth(1))
        .and_then(|rest| rest.split_whitespace().next())
        .map(str::to_string)
        .expect("the password on screen");
    assert_eq!(password.chars().count(), 16, "{screen}");

    tui.send("y");
    let screen = tui.wait_for("OSC 52", WAIT);
    let copied = osc52_texts(&tui.raw());
    assert_eq!(copied, vec![password.clone()], "{screen}");

    let users = get_json(&format!("{}/v1/customers/{id}/users", served.url), &token);
    let upn = format!("lena.berg@{domain}");
    let found: Vec<_> = users["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|u| u["userPrincipalName"] == upn.as_str())
        .collect();
    assert_eq!(found.len(), 1, "{users}");
    assert_eq!(found[0]["displayName"], "Lena Berg");

    // Done: the password is not shown again; the new user is in the list.
    tui.send("\r");
    tui.wait_until("the list without the password", WAIT, |s| {
        !s.contains(&password) && s.contains(&upn)
    });
    tui.send("\x1b");
    tui.wait_until("back on the customers list", WAIT, |s| {
        !s.contains("Users of ")
    });
    tui.send("q");
    let status = tui.wait_exit(WAIT);
    assert!(status.success(), "{status:?}");
}
