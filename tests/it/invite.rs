//! The customer's acceptance page over HTTP (the browser test drives the same page in Chromium),
//! and the live event stream that makes an accepted customer appear by itself.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use cspdash::api::Role;
use futures::StreamExt;
use reqwest::Method;
use serde_json::Value;

use crate::helpers::*;

pub async fn invite_url(
    server: &TestServer,
    partner: &'static str,
    reseller: Option<&str>,
) -> String {
    let path = match reseller {
        Some(id) => format!("/v1/customers/relationshiprequests?indirectResellerId={id}"),
        None => "/v1/customers/relationshiprequests".into(),
    };
    let (_, body) = json(
        server
            .request(partner, Role::SalesAgent, Method::GET, &path)
            .send()
            .await
            .unwrap(),
    )
    .await;
    body["url"].as_str().unwrap().to_string()
}

/// The page, its status and its CSRF cookie (`name=value`).
pub async fn open(server: &TestServer, url: &str) -> (u16, String, Option<String>) {
    let response = server.http.get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let cookie = response
        .headers()
        .get("set-cookie")
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string());
    (status, response.text().await.unwrap(), cookie)
}

/// The value of the form's hidden `csrf` field.
pub fn hidden_csrf(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    let len = html[at..].find('"').unwrap();
    html[at..at + len].to_string()
}

/// Opens the page at `url` and sends its form with these values and the page's CSRF token.
pub async fn accept(server: &TestServer, url: &str, company: &str, domain: &str) -> (u16, String) {
    let (_, html, cookie) = open(server, url).await;
    let response = server
        .http
        .post(format!("{url}/accept"))
        .header("cookie", cookie.unwrap())
        .form(&[
            ("companyName", company),
            ("domain", domain),
            ("email", "it@example.com"),
            ("csrf", &hidden_csrf(&html)),
        ])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

pub async fn find_by_domain(server: &TestServer, domain: &str) -> Vec<Value> {
    let (_, body) = server.get_json(&filter_path("Domain", domain, 100)).await;
    body["items"].as_array().unwrap().clone()
}

contract! {
    async fn the_link_names_the_partner_explains_the_grant_and_sends_a_strict_csp() {
        let server = spawn_server(5).await;
        let url = invite_url(&server, CONTOSO, None).await;
        let response = server.http.get(&url).send().await.unwrap();
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
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
            "{cookie}"
        );
        let html = response.text().await.unwrap();
        assert!(html.contains("Contoso Partner"));
        assert!(html.contains("admin permissions"));
        assert!(
            html.contains("Admin access to your tenant is separate"),
            "admin roles come through an admin relationship: {html}"
        );
        assert!(!html.contains("<script"));
    }
}

contract! {
    async fn accepting_creates_a_reseller_customer_with_admin_permissions_and_twice_is_harmless() {
        let server = spawn_server(5).await;
        let url = invite_url(&server, CONTOSO, None).await;
        let (status, first) = accept(
            &server,
            &url,
            "Neue Kunde & Co. KG",
            "neuekunde.onmicrosoft.com",
        )
        .await;
        assert_eq!(status, 200, "{first}");
        assert!(first.contains("Request received"), "{first}");
        assert!(
            first.contains("neuekunde.onmicrosoft.com"),
            "repeats what was typed: {first}"
        );
        let found = find_by_domain(&server, "neuekunde.onmicrosoft.com").await;
        assert_eq!(found.len(), 1);
        assert_eq!(found[0]["relationshipToPartner"], "reseller");
        assert_eq!(found[0]["allowDelegatedAccess"], true);
        assert_eq!(
            found[0]["companyProfile"]["companyName"],
            "Neue Kunde & Co. KG"
        );
        let (status, again) = accept(
            &server,
            &url,
            "Neue Kunde & Co. KG",
            "neuekunde.onmicrosoft.com",
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            again, first,
            "a known domain gets the very page a new one got: it confirms nothing"
        );
        assert_eq!(
            find_by_domain(&server, "neuekunde.onmicrosoft.com")
                .await
                .len(),
            1
        );
        // The other partner never sees it.
        let other = server
            .request(
                FABRIKAM,
                Role::GlobalAdmin,
                Method::GET,
                "/v1/customers?size=1000",
            )
            .send()
            .await
            .unwrap();
        assert!(!json(other).await.1.to_string().contains("neuekunde"));
    }
}

contract! {
    async fn company_names_typed_into_the_form_are_escaped_on_the_page() {
        let server = spawn_server(5).await;
        let url = invite_url(&server, CONTOSO, None).await;
        let (status, page) = accept(&server, &url, "<b>Bold</b> & Co", "not a domain").await;
        assert_eq!(status, 400);
        assert!(page.contains("&lt;b&gt;Bold&lt;/b&gt; &amp; Co"), "{page}");
        assert!(!page.contains("<b>Bold"), "{page}");
    }
}

contract! {
    async fn a_wrong_or_tampered_code_is_a_404_page() {
        let server = spawn_server(5).await;
        let url = invite_url(&server, CONTOSO, None).await;
        let mut tampered = url.clone();
        let last = tampered.pop().unwrap();
        tampered.push(if last == 'a' { 'b' } else { 'a' });
        for bad in [tampered.clone(), format!("{}/invite/nothing", server.url)] {
            let (status, html, _) = open(&server, &bad).await;
            assert_eq!(status, 404);
            assert!(html.contains("not valid"));
        }
        let response = server
            .http
            .post(format!("{tampered}/accept"))
            .form(&[("companyName", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 404);
    }
}

contract! {
    async fn bad_form_input_shows_the_form_again_with_the_error_and_the_input_kept() {
        let server = spawn_server(5).await;
        let url = invite_url(&server, CONTOSO, None).await;
        let (status, page) = accept(&server, &url, "Typo GmbH", "not a domain").await;
        assert_eq!(status, 400);
        assert!(page.contains("is not a domain name"), "{page}");
        assert!(page.contains("value=\"Typo GmbH\""), "{page}");
        // Without the cookie the form is refused as a possible cross-site post.
        let (_, html, _) = open(&server, &url).await;
        let response = server
            .http
            .post(format!("{url}/accept"))
            .form(&[
                ("companyName", "X"),
                ("domain", "x.example"),
                ("email", "a@x.example"),
                ("csrf", &hidden_csrf(&html)),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 403);
        assert!(find_by_domain(&server, "x.example").await.is_empty());
    }
}

contract! {
    async fn control_characters_on_the_acceptance_form_are_refused_and_nothing_is_stored() {
        let server = spawn_server(5).await;
        let url = invite_url(&server, CONTOSO, None).await;
        let (status, page) = accept(&server, &url, "Evil\u{1b}[2J Ltd", "evil-name.example").await;
        assert_eq!(status, 400, "{page}");
        assert!(page.contains("without control characters"), "{page}");
        let (status, _) = accept(&server, &url, "Evil \u{202e}Ltd", "evil-bidi.example").await;
        assert_eq!(status, 400);
        let (status, page) = accept(&server, &url, "Evil Ltd", "evil\n.example").await;
        assert_eq!(status, 400, "{page}");
        assert!(page.contains("is not a domain name"), "{page}");
        for domain in ["evil-name.example", "evil-bidi.example", "evil"] {
            assert!(find_by_domain(&server, domain).await.is_empty(), "{domain}");
        }
    }
}

contract! {
    async fn a_reseller_bound_link_names_the_reseller_and_links_the_customer_to_it() {
        let server = spawn_server(5).await;
        let (_, resellers) = server
            .get_json("/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf")
            .await;
        let reseller = &resellers["items"][0];
        let url = invite_url(&server, CONTOSO, reseller["id"].as_str()).await;
        let (_, html, _) = open(&server, &url).await;
        assert!(html.contains(reseller["name"].as_str().unwrap()), "{html}");
        accept(
            &server,
            &url,
            "Via Reseller Ltd",
            "viareseller.onmicrosoft.com",
        )
        .await;
        let found = find_by_domain(&server, "viareseller.onmicrosoft.com").await;
        assert_eq!(found[0]["associatedPartnerId"], reseller["id"]);
        assert_eq!(found[0]["associatedPartnerName"], reseller["name"]);
    }
}

/// Reads SSE `data:` payloads until `count` arrive or the deadline passes.
pub async fn next_events(
    response: reqwest::Response,
    count: usize,
    deadline: Duration,
) -> Vec<Value> {
    let mut stream = response.bytes_stream();
    let mut buffer = String::new();
    let mut events = Vec::new();
    let _ = tokio::time::timeout(deadline, async {
        while let Some(Ok(chunk)) = stream.next().await {
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let block: String = buffer.drain(..end + 2).collect();
                if let Some(data) = block.lines().find_map(|l| l.strip_prefix("data:")) {
                    events.push(serde_json::from_str(data.trim()).unwrap());
                }
            }
            if events.len() >= count {
                break;
            }
        }
    })
    .await;
    events
}

fn listen(
    server: &TestServer,
    partner: &'static str,
    last: Option<i64>,
) -> reqwest::RequestBuilder {
    let mut request = server.request(partner, Role::HelpdeskAgent, Method::GET, "/v1/events");
    if let Some(id) = last {
        request = request.header("Last-Event-ID", id.to_string());
    }
    request
}

contract! {
    async fn an_accepted_invitation_reaches_the_partners_event_stream_and_no_one_elses() {
        let server = spawn_server(5).await;
        let contoso = listen(&server, CONTOSO, None).send().await.unwrap();
        assert_eq!(contoso.headers()["content-type"], "text/event-stream");
        let fabrikam = listen(&server, FABRIKAM, None).send().await.unwrap();
        let url = invite_url(&server, CONTOSO, None).await;
        accept(&server, &url, "Live Event AB", "liveevent.onmicrosoft.com").await;
        let events = next_events(contoso, 1, Duration::from_secs(5)).await;
        assert_eq!(events.len(), 1, "no event within 5 s");
        assert_eq!(events[0]["type"], "customer.created");
        assert_eq!(
            events[0]["customer"]["companyProfile"]["companyName"],
            "Live Event AB"
        );
        // Fabrikam's first event is its own new customer, not Contoso's.
        server
            .request(FABRIKAM, Role::AdminAgent, Method::POST, "/v1/customers")
            .json(&new_customer("Fabrikam Only Oy", "fabonly.onmicrosoft.com"))
            .send()
            .await
            .unwrap();
        let events = next_events(fabrikam, 1, Duration::from_secs(5)).await;
        assert_eq!(
            events[0]["customer"]["companyProfile"]["companyName"],
            "Fabrikam Only Oy"
        );
    }
}

contract! {
    async fn a_listener_resumes_after_last_event_id_without_missing_or_repeating() {
        let server = spawn_server(5).await;
        for (name, domain) in [
            ("First Ltd", "first.onmicrosoft.com"),
            ("Second Ltd", "second.onmicrosoft.com"),
        ] {
            server
                .request(CONTOSO, Role::AdminAgent, Method::POST, "/v1/customers")
                .json(&new_customer(name, domain))
                .send()
                .await
                .unwrap();
        }
        let all = next_events(
            listen(&server, CONTOSO, Some(0)).send().await.unwrap(),
            2,
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(all.len(), 2);
        let first_id = all[0]["id"].as_i64().unwrap();
        let rest = next_events(
            listen(&server, CONTOSO, Some(first_id))
                .send()
                .await
                .unwrap(),
            1,
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(
            rest[0]["customer"]["companyProfile"]["companyName"],
            "Second Ltd"
        );
    }
}

contract! {
    async fn a_listener_starting_where_the_first_page_was_read_gets_every_later_change_and_nothing_older() {
        let server = spawn_server(5).await;
        let post = |name: &'static str, domain: &'static str| {
            server
                .request(CONTOSO, Role::AdminAgent, Method::POST, "/v1/customers")
                .json(&new_customer(name, domain))
                .send()
        };
        post("Before Ltd", "before.onmicrosoft.com").await.unwrap();
        let first = server.get("/v1/customers?size=2").send().await.unwrap();
        let read_at: i64 = first
            .headers()
            .get("CSPDash-Last-Event-Id")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("the first page says which event it was read at");
        // Later pages do not: their position is the first page's.
        let next = first.json::<Value>().await.unwrap()["links"]["next"].clone();
        let token = next["headers"][0]["value"].as_str().unwrap().to_string();
        let second = server
            .get("/v1/customers")
            .header("MS-ContinuationToken", token)
            .send()
            .await
            .unwrap();
        assert!(second.headers().get("CSPDash-Last-Event-Id").is_none());
        // Added after the read, before anyone listens: the listener from read_at still gets it.
        post("After Ltd", "after.onmicrosoft.com").await.unwrap();
        let events = next_events(
            listen(&server, CONTOSO, Some(read_at))
                .send()
                .await
                .unwrap(),
            1,
            Duration::from_secs(5),
        )
        .await;
        assert_eq!(
            events[0]["customer"]["companyProfile"]["companyName"], "After Ltd",
            "the change before the read is not replayed; the one after it is there"
        );
    }
}

contract! {
    async fn a_burst_of_acceptances_through_one_link_is_slowed_down_with_a_page_that_says_so() {
        let server = spawn_server(5).await;
        let url = invite_url(&server, CONTOSO, None).await;
        let mut statuses = Vec::new();
        for i in 0..8 {
            let domain = format!("burst{i}.onmicrosoft.com");
            let (status, page) = accept(&server, &url, "Burst GmbH", &domain).await;
            if status == 429 {
                assert!(page.contains("Too many attempts with this link"), "{page}");
            }
            statuses.push(status);
        }
        // A person correcting a typo gets through; a script does not get far.
        assert_eq!(&statuses[..2], [200, 200], "{statuses:?}");
        assert!(statuses.contains(&429), "{statuses:?}");
        let (_, body) = server.get_json(&filter_path("Domain", "burst", 100)).await;
        let created = body["items"].as_array().map_or(0, Vec::len);
        assert_eq!(
            created,
            statuses.iter().filter(|&&s| s == 200).count(),
            "a refused acceptance creates nothing"
        );
        // Other links are not slowed down by this one.
        let other = invite_url(&server, FABRIKAM, None).await;
        let (status, _) = accept(&server, &other, "Other AB", "other-burst.onmicrosoft.com").await;
        assert_eq!(status, 200);
    }
}
