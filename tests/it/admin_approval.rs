//! The customer's admin approval page (GDAP) over HTTP: approve, decline, twice, lapsed after 90
//! days, tampered, withdrawn, CSRF, CSP, escaping, and codes kept out of the log. The browser
//! drives the same page in `admin_approval_browser`.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use cspdash::api::Role;
use cspdash::api::gdap::roles::{GLOBAL_READER, HELPDESK_ADMINISTRATOR};
use cspdash::server::clock::Clock;
use serde_json::Value;

use crate::gdap_api::{BASE, new_body};
use crate::helpers::*;
use crate::invite::{hidden_csrf, open};
use crate::traced::TracedServer;

/// A relationship waiting for the customer's answer.
pub struct Pending {
    /// The relationship's id.
    pub id: String,
    pub url: String,
    pub code: String,
    pub customer_id: String,
}

/// A new customer of the token's partner and an admin relationship for it (365 days, auto-extend,
/// two roles), sent for approval through the API: the approval link and the customer's id.
pub async fn request_approval(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    name: &str,
) -> (String, String, String) {
    let domain = format!(
        "approval{}.onmicrosoft.com",
        &uuid::Uuid::new_v4().simple().to_string()[..12]
    );
    let customer: Value = http
        .post(format!("{base}/v1/customers"))
        .bearer_auth(token)
        .json(&new_customer("Fourth Coffee", &domain))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let customer_id = customer["id"].as_str().unwrap().to_string();
    let tenant = customer["companyProfile"]["tenantId"].as_str().unwrap();
    let body = new_body(
        name,
        tenant,
        &[HELPDESK_ADMINISTRATOR, GLOBAL_READER],
        365,
        true,
    );
    let made = http
        .post(format!("{base}{BASE}"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), 201);
    let made: Value = made.json().await.unwrap();
    let id = made["id"].as_str().unwrap();
    let locked = http
        .post(format!("{base}{BASE}/{id}/requests"))
        .bearer_auth(token)
        .json(&serde_json::json!({"action": "lockForApproval"}))
        .send()
        .await
        .unwrap();
    assert_eq!(locked.status(), 201);
    let read: Value = http
        .get(format!("{base}{BASE}/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(read["status"], "approvalPending", "{read}");
    let url = read["approvalUrl"].as_str().unwrap().to_string();
    assert!(url.starts_with(&format!("{base}/admin-approval/")), "{url}");
    (url, customer_id, id.to_string())
}

pub async fn pending(server: &TestServer, name: &str) -> Pending {
    let token = server.token(CONTOSO, Role::AdminAgent);
    let (url, customer_id, id) = request_approval(&server.http, &server.url, token, name).await;
    Pending {
        id,
        code: url.rsplit('/').next().unwrap().to_string(),
        url,
        customer_id,
    }
}

/// Opens the page and sends one of its answers with the page's token and cookie.
async fn answer(server: &TestServer, url: &str, action: &str) -> (u16, String) {
    let (status, html, cookie) = open(server, url).await;
    assert_eq!(status, 200, "{html}");
    post(
        server,
        url,
        action,
        cookie.as_deref(),
        Some(&hidden_csrf(&html)),
    )
    .await
}

async fn post(
    server: &TestServer,
    url: &str,
    action: &str,
    cookie: Option<&str>,
    csrf: Option<&str>,
) -> (u16, String) {
    let mut request = server.http.post(format!("{url}/{action}"));
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    if let Some(csrf) = csrf {
        request = request.form(&[("csrf", csrf)]);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn admin_access(server: &TestServer, customer_id: &str) -> Value {
    let (status, body) = server
        .get_json(&format!("/v1/customers/{customer_id}"))
        .await;
    assert_eq!(status, 200, "{body}");
    body["adminAccess"].clone()
}

/// `activatedDateTime` + 365 days, as the API writes times.
fn read_end(read: &Value) -> String {
    let activated = read["activatedDateTime"].as_str().unwrap();
    let activated = chrono::DateTime::parse_from_rfc3339(activated).unwrap();
    (activated + chrono::TimeDelta::days(365))
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// The relationship's status as the partner reads it.
async fn status_of(server: &TestServer, id: &str) -> String {
    let read = crate::gdap_api::read(server, CONTOSO, id).await;
    read["status"].as_str().unwrap().to_string()
}

contract! {
    async fn the_page_names_the_partner_each_role_the_terms_and_who_answers_under_a_strict_csp() {
        let server = spawn_server(5).await;
        let link = pending(&server, "Helpdesk for Contoso").await;
        let response = server.http.get(&link.url).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let csp = response.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            csp.contains("default-src 'none'") && csp.contains("form-action 'self'"),
            "{csp}"
        );
        assert_eq!(response.headers()["referrer-policy"], "no-referrer");
        assert_eq!(response.headers()["x-frame-options"], "DENY");
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            cookie.contains("HttpOnly")
                && cookie.contains("SameSite=Strict")
                && cookie.contains("Path=/admin-approval"),
            "{cookie}"
        );
        let html = response.text().await.unwrap();
        assert!(
            html.contains("Approve admin access for Contoso Partner"),
            "{html}"
        );
        assert!(html.contains("Helpdesk for Contoso"));
        assert!(html.contains("<strong>Helpdesk Administrator</strong>: Reset passwords"));
        assert!(html.contains("<strong>Global Reader</strong>: See every setting"));
        let end = (server.clock.now() + chrono::TimeDelta::days(365))
            .format("%-d %B %Y")
            .to_string();
        assert!(html.contains("365 days"));
        assert!(html.contains(&end), "the end date if approved today: {end}");
        assert!(html.contains("extends itself by 180 days"));
        assert!(html.contains("Who should answer"));
        assert!(html.contains("a Global administrator of"));
        assert!(html.contains("can remove this access at any time"));
        assert!(html.contains(">Approve</button>") && html.contains(">Decline</button>"));
        assert!(!html.contains("<script"));
    }
}

contract! {
    async fn approving_makes_the_relationship_active_and_twice_is_harmless() {
        let server = spawn_server(5).await;
        let link = pending(&server, "Approve me").await;
        assert_eq!(
            admin_access(&server, &link.customer_id).await["status"],
            "pending"
        );
        let (_, html, cookie) = open(&server, &link.url).await;
        let csrf = hidden_csrf(&html);
        let (status, done) = post(
            &server,
            &link.url,
            "approve",
            cookie.as_deref(),
            Some(&csrf),
        )
        .await;
        assert_eq!(status, 200, "{done}");
        assert!(done.contains("Admin access approved"), "{done}");
        assert!(
            done.contains("Contoso Partner now has admin access"),
            "{done}"
        );
        let read = crate::gdap_api::read(&server, CONTOSO, &link.id).await;
        assert_eq!(read["status"], "active", "{read}");
        assert!(read["activatedDateTime"].is_string(), "{read}");
        assert_eq!(read["endDateTime"], read_end(&read));
        assert!(
            read["approvalUrl"].is_null(),
            "the link is no longer offered: {read}"
        );
        let access = admin_access(&server, &link.customer_id).await;
        assert_eq!(access["status"], "active", "{access}");
        let end = access["endDateTime"].as_str().unwrap();
        let end = chrono::DateTime::parse_from_rfc3339(end).unwrap();
        let days = (end.with_timezone(&chrono::Utc) - server.clock.now()).num_days();
        assert!(
            (364..=365).contains(&days),
            "ends 365 days from now: {days}"
        );

        // The same answer again, or the other one: a clear page, nothing changes.
        for action in ["approve", "decline"] {
            let (status, again) =
                post(&server, &link.url, action, cookie.as_deref(), Some(&csrf)).await;
            assert_eq!(status, 410, "{again}");
            assert!(
                again.contains("This request was already approved"),
                "{again}"
            );
        }
        let (status, page, _) = open(&server, &link.url).await;
        assert_eq!(status, 410);
        assert!(page.contains("already approved"));
        assert!(!page.contains("<button"), "no answer left to give");
        assert_eq!(status_of(&server, &link.id).await, "active");

        // The partner's audit log names the customer as the one who approved.
        let (_, audit) = server.get_json("/v1/auditrecords?size=50").await;
        let records = audit["items"].as_array().unwrap();
        let approved: Vec<&Value> = records
            .iter()
            .filter(|r| r["operationType"] == "approveAdminRelationship")
            .collect();
        assert_eq!(approved.len(), 1, "{audit}");
        assert_eq!(approved[0]["customerId"], link.customer_id.as_str());
        assert_eq!(
            approved[0]["agentId"],
            link.customer_id.as_str(),
            "the customer approved"
        );
    }
}

contract! {
    async fn an_approval_reaches_the_partners_event_stream_with_the_new_admin_access() {
        let server = spawn_server(5).await;
        let link = pending(&server, "Live approval").await;
        let stream = server
            .request(
                CONTOSO,
                cspdash::api::Role::HelpdeskAgent,
                reqwest::Method::GET,
                "/v1/events",
            )
            .send()
            .await
            .unwrap();
        let (status, _) = answer(&server, &link.url, "approve").await;
        assert_eq!(status, 200);
        let events = crate::invite::next_events(stream, 1, Duration::from_secs(5)).await;
        assert_eq!(events.len(), 1, "no event within 5 s");
        assert_eq!(events[0]["type"], "adminRelationship.updated");
        assert_eq!(events[0]["customer"]["id"], link.customer_id.as_str());
        assert_eq!(
            events[0]["customer"]["adminAccess"]["status"], "active",
            "{}",
            events[0]
        );
    }
}

contract! {
    async fn declining_expires_the_request_and_the_link_then_says_it_was_declined() {
        let server = spawn_server(5).await;
        let link = pending(&server, "Decline me").await;
        let (status, done) = answer(&server, &link.url, "decline").await;
        assert_eq!(status, 200, "{done}");
        assert!(done.contains("Admin access declined"), "{done}");
        assert!(
            done.contains("Contoso Partner gets no admin access"),
            "{done}"
        );
        assert_eq!(status_of(&server, &link.id).await, "expired");
        assert_eq!(
            admin_access(&server, &link.customer_id).await["status"],
            "expired"
        );
        let (status, page, _) = open(&server, &link.url).await;
        assert_eq!(status, 410);
        assert!(page.contains("This request was declined"), "{page}");
    }
}

contract! {
    async fn after_ninety_one_days_the_link_has_expired_and_an_answer_changes_nothing() {
        let server = spawn_server(5).await;
        let link = pending(&server, "Too late").await;
        let (_, html, cookie) = open(&server, &link.url).await;
        let csrf = hidden_csrf(&html);
        server.clock.advance_days(91);
        let (status, page, _) = open(&server, &link.url).await;
        assert_eq!(status, 410);
        assert!(page.contains("This approval link has expired"), "{page}");
        assert!(page.contains("90 days"));
        let (status, refused) = post(
            &server,
            &link.url,
            "approve",
            cookie.as_deref(),
            Some(&csrf),
        )
        .await;
        assert_eq!(status, 410, "{refused}");
        assert!(refused.contains("has expired"));
        assert_ne!(
            admin_access(&server, &link.customer_id).await["status"],
            "active"
        );
        assert_ne!(status_of(&server, &link.id).await, "active");
    }
}

contract! {
    async fn a_withdrawn_request_says_so() {
        let server = spawn_server(5).await;
        let link = pending(&server, "Withdrawn").await;
        let (status, body) =
            crate::gdap_api::act(&server, Role::AdminAgent, &link.id, "terminate").await;
        assert_eq!(status, 201, "{body}");
        let (status, page, _) = open(&server, &link.url).await;
        assert_eq!(status, 410);
        assert!(page.contains("This request was withdrawn"), "{page}");
    }
}

contract! {
    async fn a_tampered_or_unknown_code_is_a_clear_404_for_looking_and_answering() {
        let server = spawn_server(5).await;
        let link = pending(&server, "Tamper").await;
        let mut tampered = link.code.clone();
        let last = if tampered.ends_with('0') { "1" } else { "0" };
        tampered.replace_range(tampered.len() - 1.., last);
        for code in [tampered.as_str(), "x", "%3Cscript%3E", &"a".repeat(2000)] {
            let url = format!("{}/admin-approval/{code}", server.url);
            let (status, page, _) = open(&server, &url).await;
            assert_eq!(status, 404, "{code}");
            assert!(page.contains("This approval link is not valid"), "{page}");
            let (status, page) = post(&server, &url, "approve", None, Some("x")).await;
            assert_eq!(status, 404);
            assert!(page.contains("not valid"));
        }
        assert_eq!(status_of(&server, &link.id).await, "approvalPending");
    }
}

contract! {
    async fn an_answer_without_the_pages_token_and_cookie_is_refused_and_changes_nothing() {
        let server = spawn_server(5).await;
        let link = pending(&server, "Guarded").await;
        let other = pending(&server, "Other link").await.url;
        let (_, html, cookie) = open(&server, &link.url).await;
        let csrf = hidden_csrf(&html);
        let (_, other_html, other_cookie) = open(&server, &other).await;
        let other_csrf = hidden_csrf(&other_html);
        // An invitation page's token is sealed for another purpose.
        let invite = crate::invite::invite_url(&server, CONTOSO, None).await;
        let (_, invite_html, _) = open(&server, &invite).await;
        let invite_csrf = hidden_csrf(&invite_html);
        let cases: Vec<(&str, Option<&str>, Option<&str>)> = vec![
            ("no token, no cookie", None, None),
            ("no token", cookie.as_deref(), Some("")),
            ("no cookie", None, Some(&csrf)),
            ("wrong token", cookie.as_deref(), Some("forged")),
            (
                "another link's token and cookie",
                other_cookie.as_deref(),
                Some(&other_csrf),
            ),
            ("an invitation's token", None, Some(&invite_csrf)),
        ];
        for (index, (case, cookie, token)) in cases.into_iter().enumerate() {
            let invitation_cookie;
            let cookie = if case == "an invitation's token" {
                invitation_cookie = format!("cspdash_approval_csrf={invite_csrf}");
                Some(invitation_cookie.as_str())
            } else {
                cookie
            };
            let action = ["approve", "decline"][index % 2];
            let (status, page) = post(&server, &link.url, action, cookie, token).await;
            assert_eq!(status, 403, "{case}: {page}");
            assert!(
                page.contains("was not sent from this page") && page.contains("Nothing changed"),
                "{case}: {page}"
            );
            assert!(
                page.contains(">Approve</button>"),
                "the page comes back to answer again"
            );
            // At a person's pace: the per-link limit has its own test.
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        assert_eq!(status_of(&server, &link.id).await, "approvalPending");
        // With the page's own token and cookie it goes through.
        let (status, _) = post(
            &server,
            &link.url,
            "approve",
            cookie.as_deref(),
            Some(&csrf),
        )
        .await;
        assert_eq!(status, 200);
    }
}

contract! {
    async fn hostile_partner_customer_and_relationship_names_are_shown_as_text() {
        let server = spawn_server(5).await;
        let link = pending(&server, "<img src=x onerror=alert(1)>").await;
        server
            .sql(&format!(
                "UPDATE partners SET name = '<script>alert(\"p\")</script> & Co' \
                 WHERE name = 'Contoso Partner'; \
                 UPDATE customers SET company_name = '</strong><b>Evil</b>' WHERE id = '{}'",
                link.customer_id
            ))
            .await;
        let (status, html, cookie) = open(&server, &link.url).await;
        assert_eq!(status, 200, "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<img"), "{html}");
        assert!(!html.contains("<b>Evil"), "{html}");
        assert!(
            html.contains("&lt;script&gt;alert(&quot;p&quot;)&lt;/script&gt; &amp; Co"),
            "{html}"
        );
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
        assert!(html.contains("&lt;/strong&gt;&lt;b&gt;Evil&lt;/b&gt;"));
        let (status, done) = post(
            &server,
            &link.url,
            "approve",
            cookie.as_deref(),
            Some(&hidden_csrf(&html)),
        )
        .await;
        assert_eq!(status, 200);
        assert!(
            !done.contains("<script") && !done.contains("<b>Evil"),
            "{done}"
        );
    }
}

contract! {
    async fn answers_through_one_link_are_rate_limited() {
        let server = spawn_server(5).await;
        let link = pending(&server, "Hammered").await;
        let (_, _, cookie) = open(&server, &link.url).await;
        let mut limited = None;
        for _ in 0..20 {
            let response = server
                .http
                .post(format!("{}/approve", link.url))
                .header("cookie", cookie.clone().unwrap())
                .form(&[("csrf", "forged")])
                .send()
                .await
                .unwrap();
            if response.status() == 429 {
                limited = Some(response);
                break;
            }
        }
        let limited = limited.expect("a script is slowed down");
        assert!(limited.headers().contains_key("retry-after"));
        assert!(limited.text().await.unwrap().contains("Too many attempts"));
        assert_eq!(status_of(&server, &link.id).await, "approvalPending");
    }
}

contract! {
    async fn approval_codes_never_reach_the_log_even_at_trace_level() {
        let server = TracedServer::start();
        let url = server.url.clone();
        let token = crate::served::create_token(&server.db, "admin-agent", &[]);
        let http = reqwest::Client::new();
        let (link, _, _) = request_approval(&http, &url, &token, "Quiet logs").await;
        let code = link.rsplit('/').next().unwrap().to_string();
        let page = http.get(&link).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let cookie = page.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        let html = page.text().await.unwrap();
        let csrf = hidden_csrf(&html);
        let refused = http
            .post(format!("{link}/approve"))
            .form(&[("csrf", "forged")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
        let approved = http
            .post(format!("{link}/approve"))
            .header("cookie", cookie)
            .form(&[("csrf", &csrf)])
            .send()
            .await
            .unwrap();
        assert_eq!(approved.status(), 200);
        let again = http.get(&link).send().await.unwrap();
        assert_eq!(again.status(), 410);

        assert!(
            server.wait_for("/admin-approval/{code}/approve"),
            "the answer's request span is in the log:\n{}",
            server.log()
        );
        let log = server.stop();
        let leaks: Vec<&String> = log
            .iter()
            .filter(|l| l.contains(&code) || l.contains(&csrf))
            .collect();
        assert!(
            leaks.is_empty(),
            "a code or token is in the log: {leaks:#?}"
        );
    }
}
