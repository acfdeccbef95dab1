//! The core workflow end to end, with the real binary in a pty against `cspdash serve`: `r` opens
//! the invitation draft, `y` copies the link by OSC 52 (as over SSH), Done goes back to the list,
//! the customer accepts through the acceptance page over HTTP, and the new customer appears on the
//! dashboard within 5 seconds without a key being pressed.

use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use crate::e2e_pty::{WAIT, dashboard_command};
use crate::pty::Pty;
use crate::served::{Served, block_on, serve};

/// The text of every OSC 52 clipboard write in `raw` (`ESC ] 52 ; c ; <base64>` ended by BEL or
/// `ESC \`), decoded.
pub fn osc52_texts(raw: &[u8]) -> Vec<String> {
    let start = b"\x1b]52;c;";
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some(at) = find(rest, start) {
        let payload = &rest[at + start.len()..];
        let end = payload
            .iter()
            .position(|&b| b == 0x07 || b == 0x1b)
            .unwrap_or(payload.len());
        if let Ok(bytes) = STANDARD.decode(&payload[..end]) {
            out.push(String::from_utf8_lossy(&bytes).into_owned());
        }
        rest = &payload[end..];
    }
    out
}

/// Presses `y` on a draft and returns the one link it copied by OSC 52, checked to start with
/// `prefix` and to be the link the draft shows.
pub fn copy_link_by_osc52(tui: &mut Pty, prefix: &str) -> String {
    tui.send("y");
    let screen = tui.wait_for("OSC 52", WAIT);
    let copied = osc52_texts(&tui.raw());
    let [link] = copied.as_slice() else {
        panic!("one OSC 52 write expected, got {copied:?}\n{screen}");
    };
    assert!(link.starts_with(prefix), "{link}");
    assert!(
        screen.contains(link.as_str()),
        "the link on screen is the one copied"
    );
    link.clone()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Opens the link as the customer's browser would and accepts, as the form posts it.
pub fn accept(link: &str, company: &str, domain: &str) {
    block_on(async {
        let http = reqwest::Client::new();
        let page = http.get(link).send().await.expect("open the link");
        assert_eq!(page.status().as_u16(), 200, "the acceptance page opens");
        let cookie = page
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .expect("a CSRF cookie")
            .to_string();
        let html = page.text().await.expect("the page");
        let marker = "name=\"csrf\" value=\"";
        let at = html.find(marker).expect("a csrf field") + marker.len();
        let csrf = &html[at..at + html[at..].find('"').expect("end of the csrf value")];
        let accepted = http
            .post(format!("{link}/accept"))
            .header("cookie", cookie)
            .form(&[
                ("companyName", company),
                ("domain", domain),
                ("email", "it@example.com"),
                ("csrf", csrf),
            ])
            .send()
            .await
            .expect("accept");
        assert!(
            accepted.status().is_success(),
            "accepting answers {}",
            accepted.status()
        );
    });
}

pub fn dashboard_over_ssh(served: &Served) -> Pty {
    let mut cmd = dashboard_command(served, "sales-agent");
    // As over SSH: the clipboard goes to the user's terminal by OSC 52.
    cmd.env("SSH_CONNECTION", "10.0.0.2 50000 10.0.0.1 22");
    cmd.env_remove("TMUX");
    cmd.env_remove("STY");
    Pty::spawn(cmd, 120, 40)
}

#[test]
fn copy_the_link_by_osc52_accept_it_and_the_customer_appears_without_a_key() {
    let served = serve(20);
    let mut tui = dashboard_over_ssh(&served);
    tui.wait_for("20 customers", WAIT);

    tui.send("r");
    // The direct draft at once; its link is a loopback one, and the draft says so.
    let screen = tui.wait_for("Invitation to a reseller relationship (direct)", WAIT);
    assert!(screen.contains("Demo link"), "{screen}");
    // The demo partner has indirect resellers: `p` binds the first one into the link.
    tui.send("p");
    let screen = tui.wait_for("None: a direct relationship", WAIT);
    let reseller = screen
        .lines()
        .skip_while(|l| !l.contains("None: a direct relationship"))
        .nth(1)
        .map(|l| l.trim().to_string())
        .expect("a reseller under None");
    tui.send("j");
    tui.send("\r");
    let screen = tui.wait_for("Link ", WAIT);
    assert!(
        screen.contains(&format!("with indirect reseller {reseller}")),
        "{screen}"
    );
    assert!(screen.contains("Contoso Partner invites you"), "{screen}");
    let link = copy_link_by_osc52(&mut tui, &format!("{}/invite/", served.url));

    tui.send("d");
    tui.wait_until("the list again", WAIT, |s| s.contains("Company name"));

    accept(&link, "Zeta Accepting Works", "zeta-accepting.example");
    let accepted = Instant::now();
    // The list's reseller column may cut a long name.
    let reseller_start: String = reseller.chars().take(12).collect();
    let screen = tui.wait_until(
        "the accepted customer in the list",
        Duration::from_secs(5),
        |s| {
            s.lines().any(|l| {
                l.contains("Zeta Accepting Works")
                    && l.contains("zeta-accepting")
                    && l.contains(reseller_start.as_str())
            })
        },
    );
    assert!(screen.contains("21 customers"), "{screen}");
    assert!(
        screen.contains("New customer: Zeta Accepting Works"),
        "{screen}"
    );
    println!("appeared {:?} after accepting", accepted.elapsed());

    tui.send("q");
    let status = tui.wait_exit(WAIT);
    assert!(status.success(), "{status:?}");
}
