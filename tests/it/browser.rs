//! The acceptance page in a real browser: headless Chromium driven over WebDriver (chromedriver +
//! the fantoccini crate, so the test stays in `cargo test` with no Node toolchain). It opens the
//! partner's link, fills the form, accepts, and then finds the customer through the API.
//! Needs Debian's `chromium` and `chromium-driver` (`.ci/run` installs them).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cspdash::api::Role;
use fantoccini::{Client, ClientBuilder, Locator};
use reqwest::Method;

use crate::helpers::*;
use crate::tools::{self, CHROMEDRIVER, CHROMIUM};

pub struct Driver {
    process: Child,
    _profile: tempfile::TempDir,
    pub client: Client,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Chromium under chromedriver, or `None` when either is missing (see [`tools::require`]).
pub async fn chromium() -> Option<Driver> {
    let [driver, chromium] = <[_; 2]>::try_from(tools::require(&[CHROMEDRIVER, CHROMIUM])?).ok()?;
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let process = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let profile = tempfile::tempdir().unwrap();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": chromium,
            // No background traffic: this machine has no network but loopback.
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", format!("--user-data-dir={}", profile.path().display())]
        }),
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    let client = loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        match ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
        {
            Ok(client) => break client,
            Err(err) if Instant::now() < deadline => {
                let _ = err;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(err) => panic!("chromedriver did not start: {err}"),
        }
    };
    Some(Driver {
        process,
        _profile: profile,
        client,
    })
}

async fn fill(client: &Client, name: &str, text: &str) {
    let field = client
        .find(Locator::Css(&format!("input[name={name}]")))
        .await
        .unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}

/// Sends the form and waits for the element `css` of the page that comes back.
async fn submit_and_wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    client.wait().for_element(Locator::Css(css)).await.unwrap()
}

contract! {
    async fn a_customer_accepts_the_invitation_in_a_browser_and_the_partner_sees_them() {
        let server = spawn_server(5).await;
        let (_, link) = json(
            server
                .request(
                    CONTOSO,
                    Role::SalesAgent,
                    Method::GET,
                    "/v1/customers/relationshiprequests",
                )
                .send()
                .await
                .unwrap(),
        )
        .await;
        let url = link["url"].as_str().unwrap();
        let Some(driver) = chromium().await else {
            return;
        };
        let browser = &driver.client;
        browser.goto(url).await.unwrap();
        let text = browser
            .find(Locator::Css("main"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            text.contains("Contoso Partner invites your organization"),
            "{text}"
        );

        // A typo first: the page comes back with the error and what was typed.
        fill(browser, "companyName", "Browser Testers GmbH").await;
        fill(browser, "domain", "not a domain").await;
        fill(browser, "email", "it@browsertesters.example").await;
        let alert = submit_and_wait_for(browser, ".error").await;
        assert!(alert.text().await.unwrap().contains("is not a domain name"));
        let kept = browser
            .find(Locator::Css("input[name=companyName]"))
            .await
            .unwrap();
        assert_eq!(
            kept.prop("value").await.unwrap().as_deref(),
            Some("Browser Testers GmbH")
        );

        fill(browser, "domain", "browsertesters.onmicrosoft.com").await;
        let done = submit_and_wait_for(browser, ".done").await;
        // The same neutral words for a new domain as for a known one (the page confirms nothing).
        assert!(done.text().await.unwrap().contains(
            "Request received: Contoso Partner has your acceptance for browsertesters.onmicrosoft.com"
        ));
        // The stylesheet loaded under the strict CSP (no inline styles needed).
        let styled = browser
            .execute(
                "return getComputedStyle(document.querySelector('main')).maxWidth",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(styled.as_str(), Some("640px"));
        driver.client.clone().close().await.unwrap();

        let (_, found) = server
            .get_json(&filter_path("Domain", "browsertesters", 100))
            .await;
        assert_eq!(found["totalCount"], 1, "{found}");
        let customer = &found["items"][0];
        assert_eq!(
            customer["companyProfile"]["companyName"],
            "Browser Testers GmbH"
        );
        assert_eq!(customer["relationshipToPartner"], "reseller");
        assert_eq!(customer["allowDelegatedAccess"], true);
    }
}

contract! {
    async fn a_customer_restores_its_relationship_in_a_browser_through_the_link_issued_for_it() {
        let server = spawn_server(30).await;
        let (items, _) = walk(&server, CONTOSO, "/v1/customers?size=1000").await;
        let ended = items
            .iter()
            .find(|c| c["relationshipToPartner"] == "none")
            .unwrap();
        let id = ended["id"].as_str().unwrap();
        let domain = ended["companyProfile"]["domain"].as_str().unwrap();
        let (_, link) = server
            .get_json(&format!(
                "/v1/customers/relationshiprequests?customerId={id}"
            ))
            .await;
        let Some(driver) = chromium().await else {
            return;
        };
        let browser = &driver.client;
        browser.goto(link["url"].as_str().unwrap()).await.unwrap();
        let heading = browser
            .find(Locator::Css("h1"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(heading, "Restore a reseller relationship");
        // The customer is the link's: its name and domain are shown, not typed.
        let field = browser
            .find(Locator::Css("input[name=domain]"))
            .await
            .unwrap();
        assert_eq!(field.prop("value").await.unwrap().as_deref(), Some(domain));
        assert_eq!(
            field.prop("readOnly").await.unwrap().as_deref(),
            Some("true")
        );
        fill(browser, "email", "admin@restored.example").await;
        let done = submit_and_wait_for(browser, ".done").await;
        assert!(
            done.text().await.unwrap().contains("is restored"),
            "{}",
            done.text().await.unwrap()
        );
        driver.client.clone().close().await.unwrap();

        let (_, after) = server.get_json(&format!("/v1/customers/{id}")).await;
        assert_eq!(after["relationshipToPartner"], "reseller");
        assert_eq!(after["allowDelegatedAccess"], true);
    }
}
