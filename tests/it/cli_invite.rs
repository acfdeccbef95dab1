//! `cspdash invite link|rotate|email` through the real binary against the real server: the link
//! it prints opens the acceptance page, rotating closes the old one, and the email (text or
//! `.eml`, on stdout or in a private file) carries the link a customer needs.
#![allow(clippy::unwrap_used)]

use cspdash::api::Role;
use mail_parser::MessageParser;
use serde_json::Value;

use crate::helpers::{CONTOSO, TestServer, contract, spawn_server};
use crate::scripting::{cspdash, cspdash_as};

/// What the acceptance page answers, and its text.
async fn open(server: &TestServer, url: &str) -> (u16, String) {
    let response = server.http.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// The link as the API hands it out (`?query` on relationshiprequests).
async fn api_link(server: &TestServer, query: &str) -> String {
    let (status, body) = server
        .get_json(&format!("/v1/customers/relationshiprequests{query}"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["url"].as_str().unwrap().to_string()
}

async fn resellers(server: &TestServer) -> Vec<Value> {
    let (_, body) = server
        .get_json("/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf")
        .await;
    body["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn the_printed_link_opens_the_acceptance_page() {
    let server = spawn_server(5).await;
    // Piped: the bare link, one line, for `$(cspdash invite link)`.
    let plain = cspdash(&server, &["invite", "link"]).await.ok();
    let link = plain.stdout.trim_end().to_string();
    assert_eq!(plain.stdout.lines().count(), 1, "{}", plain.stdout);
    assert!(
        link.starts_with(&format!("{}/invite/", server.url)),
        "{link}"
    );
    let (status, page) = open(&server, &link).await;
    assert_eq!(status, 200);
    assert!(page.contains("Contoso Partner"), "{page}");

    let json = cspdash(&server, &["invite", "link", "-o", "json"])
        .await
        .ok()
        .json();
    assert_eq!(json["url"], link.as_str(), "the wire RelationshipRequest");
    let csv = cspdash(&server, &["invite", "link", "-o", "csv"])
        .await
        .ok()
        .csv();
    assert_eq!(csv[0]["url"], link);
    assert_eq!(link, api_link(&server, "").await);

    // Sales agents may hand out links; Helpdesk agents may not.
    let sales = cspdash_as(&server, CONTOSO, Role::SalesAgent, &["invite", "link"])
        .await
        .ok();
    assert_eq!(sales.stdout.trim_end(), link);
    let helpdesk = cspdash_as(&server, CONTOSO, Role::HelpdeskAgent, &["invite", "link"]).await;
    assert_eq!(helpdesk.code, 4, "{}", helpdesk.stderr);
    assert!(helpdesk.stdout.is_empty());
}

#[tokio::test]
async fn a_link_binds_an_indirect_reseller_by_name_or_id() {
    let server = spawn_server(5).await;
    let reseller = resellers(&server)
        .await
        .into_iter()
        .find(|r| {
            r["name"]
                .as_str()
                .unwrap()
                .chars()
                .all(|c| c.is_alphanumeric() || c == ' ')
        })
        .unwrap();
    let (id, name) = (
        reseller["id"].as_str().unwrap(),
        reseller["name"].as_str().unwrap(),
    );
    let by_name = cspdash(
        &server,
        &[
            "invite",
            "link",
            "--indirect-reseller",
            &name.to_uppercase(),
        ],
    )
    .await
    .ok()
    .stdout
    .trim_end()
    .to_string();
    let by_id = cspdash(
        &server,
        &["invite", "link", "--indirect-reseller", id, "-o", "json"],
    )
    .await
    .ok()
    .json();
    assert_eq!(by_id["url"], by_name.as_str());
    assert_eq!(
        by_name,
        api_link(&server, &format!("?indirectResellerId={id}")).await
    );
    assert_ne!(by_name, api_link(&server, "").await);
    let (status, page) = open(&server, &by_name).await;
    assert_eq!(status, 200);
    assert!(page.contains(name), "the page names the reseller: {page}");

    let unknown = cspdash(
        &server,
        &["invite", "link", "--indirect-reseller", "Nobody & Co"],
    )
    .await;
    assert_eq!(unknown.code, 3, "{}", unknown.stderr);
    assert!(
        unknown.stderr.contains(name),
        "names the known ones: {}",
        unknown.stderr
    );
    let both = cspdash(
        &server,
        &[
            "invite",
            "link",
            "--indirect-reseller",
            id,
            "--customer",
            "x.example",
        ],
    )
    .await;
    assert_eq!(both.code, 2, "{}", both.stderr);
}

#[tokio::test]
async fn a_customer_link_is_the_one_bound_to_that_customer() {
    let server = spawn_server(10).await;
    let all = cspdash(&server, &["customers", "list", "-o", "json"])
        .await
        .ok()
        .json();
    let customer = &all[1];
    let (id, domain) = (
        customer["id"].as_str().unwrap(),
        customer["companyProfile"]["domain"].as_str().unwrap(),
    );
    let link = cspdash(
        &server,
        &["invite", "link", "--customer", domain, "-o", "json"],
    )
    .await
    .ok()
    .json()["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(link, api_link(&server, &format!("?customerId={id}")).await);
    assert_ne!(link, api_link(&server, "").await);
    let (status, page) = open(&server, &link).await;
    assert_eq!(status, 200);
    assert!(page.contains(domain), "the page names the customer: {page}");

    let unknown = cspdash(
        &server,
        &["invite", "link", "--customer", "no-such.example"],
    )
    .await;
    assert_eq!(unknown.code, 3, "{}", unknown.stderr);
}

#[tokio::test]
async fn rotate_prints_a_new_link_and_the_old_one_stops_working() {
    let server = spawn_server(5).await;
    let old = cspdash(&server, &["invite", "link"])
        .await
        .ok()
        .stdout
        .trim_end()
        .to_string();

    // Only Global admins and Admin agents may rotate.
    let refused = cspdash_as(&server, CONTOSO, Role::SalesAgent, &["invite", "rotate"]).await;
    assert_eq!(refused.code, 4, "{}", refused.stderr);
    assert_eq!(
        open(&server, &old).await.0,
        200,
        "a refused rotation changes nothing"
    );

    let rotated = cspdash(&server, &["invite", "rotate", "-o", "json"])
        .await
        .ok()
        .json();
    let new = rotated["url"].as_str().unwrap().to_string();
    assert_ne!(new, old);
    let (status, page) = open(&server, &old).await;
    assert_eq!(status, 410, "{page}");
    assert_eq!(open(&server, &new).await.0, 200);
    // From now on the new one is the partner's link.
    let now = cspdash(&server, &["invite", "link"]).await.ok();
    assert_eq!(now.stdout.trim_end(), new);

    let piped = cspdash_as(&server, CONTOSO, Role::AdminAgent, &["invite", "rotate"])
        .await
        .ok();
    let newest = piped.stdout.trim_end();
    assert!(newest.starts_with(&format!("{}/invite/", server.url)));
    assert_eq!(open(&server, &new).await.0, 410);
    assert_eq!(open(&server, newest).await.0, 200);
}

contract! {
    async fn rotate_retried_with_the_same_request_id_keeps_the_first_new_link() {
        let server = spawn_server(5).await;
        let args = ["invite", "rotate", "--request-id", "rotate-once-1"];
        let first = cspdash(&server, &args).await.ok().stdout.trim_end().to_string();
        // A retry (the first answer lost, say) gets the same link, and it still works.
        let again = cspdash(&server, &args).await.ok().stdout.trim_end().to_string();
        assert_eq!(again, first);
        assert_eq!(open(&server, &first).await.0, 200);
        let link = cspdash(&server, &["invite", "link"]).await.ok();
        assert_eq!(link.stdout.trim_end(), first);
        // A new request id is a new rotation.
        let other = cspdash(&server, &["invite", "rotate"]).await.ok().stdout.trim_end().to_string();
        assert_ne!(other, first);
        assert_eq!(open(&server, &first).await.0, 410);
    }
}

/// The link on a line of its own in `text`.
fn has_link_line(text: &str, link: &str) -> bool {
    text.lines().any(|line| line.trim_end_matches('\r') == link)
}

#[tokio::test]
async fn the_email_text_carries_the_link_in_the_partners_name() {
    let server = spawn_server(5).await;
    let link = cspdash(&server, &["invite", "link"])
        .await
        .ok()
        .stdout
        .trim_end()
        .to_string();
    let text = cspdash(&server, &["invite", "email"]).await.ok().stdout;
    let subject = text.lines().next().unwrap();
    assert_eq!(
        subject,
        "Contoso Partner invites you to a reseller relationship"
    );
    assert_eq!(
        text.lines().nth(1),
        Some(""),
        "a blank line after the subject"
    );
    assert!(has_link_line(&text, &link), "{text}");
    let agent = cspdash(&server, &["me", "-o", "json"]).await.ok().json()["agent"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        text.ends_with("Contoso Partner\n"),
        "signed by the partner: {text}"
    );
    assert!(
        !agent.is_empty() && text.contains(&agent),
        "and by the agent: {text}"
    );

    let json = cspdash(&server, &["invite", "email", "-o", "json"])
        .await
        .ok()
        .json();
    assert_eq!(json["link"], link.as_str());
    assert_eq!(json["subject"], subject);
    assert!(has_link_line(json["body"].as_str().unwrap(), &link));
    assert!(json.get("eml").is_none());

    // With a reseller, the email says who works with the partner, over that reseller's link.
    let reseller = &resellers(&server).await[0];
    let name = reseller["name"].as_str().unwrap();
    let bound = cspdash(
        &server,
        &["invite", "email", "--indirect-reseller", name, "-o", "json"],
    )
    .await
    .ok()
    .json();
    let body = bound["body"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(body.contains(name), "{body}");
    let bound_link = bound["link"].as_str().unwrap();
    assert_ne!(bound_link, link);
    assert_eq!(open(&server, bound_link).await.0, 200);
}

#[tokio::test]
async fn the_customer_email_restores_that_customer() {
    let server = spawn_server(5).await;
    let all = cspdash(&server, &["customers", "list", "-o", "json"])
        .await
        .ok()
        .json();
    let customer = &all[0];
    let name = customer["companyProfile"]["companyName"].as_str().unwrap();
    let id = customer["id"].as_str().unwrap();
    let email = cspdash(
        &server,
        &["invite", "email", "--customer", id, "-o", "json"],
    )
    .await
    .ok()
    .json();
    assert!(email["subject"].as_str().unwrap().contains(name), "{email}");
    assert!(email["subject"].as_str().unwrap().starts_with("Restore"));
    assert_eq!(
        email["link"],
        api_link(&server, &format!("?customerId={id}"))
            .await
            .as_str()
    );
}

fn parse_eml(bytes: &[u8]) -> (String, String, String) {
    let message = MessageParser::default().parse(bytes).unwrap();
    let unsent = message.header_raw("X-Unsent").unwrap().trim().to_string();
    let subject = message.subject().unwrap().to_string();
    let body = message.body_text(0).unwrap().replace("\r\n", "\n");
    (unsent, subject, body)
}

#[tokio::test]
async fn the_eml_draft_parses_on_stdout_and_in_a_private_file() {
    let server = spawn_server(5).await;
    let text = cspdash(&server, &["invite", "email", "-o", "json"])
        .await
        .ok()
        .json();
    let link = text["link"].as_str().unwrap();

    let eml = cspdash(&server, &["invite", "email", "--format", "eml"])
        .await
        .ok()
        .stdout;
    let (unsent, subject, body) = parse_eml(eml.as_bytes());
    assert_eq!(unsent, "1", "a draft to complete and send");
    assert_eq!(subject, text["subject"].as_str().unwrap());
    assert_eq!(body, text["body"].as_str().unwrap());
    assert!(has_link_line(&body, link));
    assert!(
        eml.match_indices('\n')
            .all(|(i, _)| eml[..i].ends_with('\r')),
        "CRLF line endings, as a mail app expects"
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("invite.eml");
    std::fs::write(&path, "an older file, readable by all").unwrap();
    let path_text = path.to_str().unwrap();
    let saved = cspdash(
        &server,
        &["invite", "email", "--format", "eml", "--out", path_text],
    )
    .await
    .ok();
    assert!(
        saved.stdout.is_empty(),
        "the email went to the file: {}",
        saved.stdout
    );
    let (_, _, body) = parse_eml(&std::fs::read(&path).unwrap());
    assert!(has_link_line(&body, link));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "only the user may read the draft");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temporary file left behind"
    );

    let text_path = dir.path().join("invite.txt");
    let told = cspdash(
        &server,
        &[
            "invite",
            "email",
            "--out",
            text_path.to_str().unwrap(),
            "-o",
            "json",
        ],
    )
    .await
    .ok()
    .json();
    assert_eq!(told["file"], text_path.to_str().unwrap());
    let written = std::fs::read_to_string(&text_path).unwrap();
    assert!(has_link_line(&written, link));
    assert!(written.starts_with(text["subject"].as_str().unwrap()));

    let nowhere = cspdash(
        &server,
        &["invite", "email", "--out", "/nonexistent-dir/x.eml"],
    )
    .await;
    assert_eq!(nowhere.code, 1, "{}", nowhere.stderr);
    assert!(
        nowhere.stderr.contains("/nonexistent-dir/x.eml"),
        "{}",
        nowhere.stderr
    );
}
