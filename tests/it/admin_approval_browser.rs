//! The admin approval page in headless Chromium (the same driver as the invitation page's test):
//! a customer's Global admin approves or declines, and a used link shows a clear page.
#![allow(clippy::unwrap_used)]

use fantoccini::{Client, Locator};

use crate::admin_approval::pending;
use crate::browser::chromium;
use crate::helpers::*;

async fn text_of(browser: &Client, css: &str) -> String {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Clicks the button `css` and waits for the page that comes back to have `.done`.
async fn answer(browser: &Client, css: &str) -> String {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css(".done"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn admin_status(server: &TestServer, customer_id: &str) -> String {
    let (_, body) = server
        .get_json(&format!("/v1/customers/{customer_id}"))
        .await;
    body["adminAccess"]["status"].as_str().unwrap().to_string()
}

contract! {
    async fn a_global_admin_approves_in_a_browser_and_the_used_link_then_says_so() {
        let server = spawn_server(5).await;
        let link = pending(&server, "Helpdesk in the browser").await;
        let Some(driver) = chromium().await else {
            return;
        };
        let browser = &driver.client;
        browser.goto(&link.url).await.unwrap();
        assert_eq!(
            text_of(browser, "h1").await,
            "Approve admin access for Contoso Partner"
        );
        let roles = text_of(browser, "ul.roles").await;
        assert!(
            roles.contains("Helpdesk Administrator: Reset passwords")
                && roles.contains("Global Reader: See every setting"),
            "{roles}"
        );
        assert!(text_of(browser, ".duration").await.contains("365 days"));
        assert!(
            text_of(browser, ".who")
                .await
                .contains("Global administrator")
        );
        // The stylesheet loaded under the strict CSP: the quieter Decline button is white.
        let styled = browser
            .execute(
                "return getComputedStyle(document.querySelector('button.decline')).backgroundColor",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(styled.as_str(), Some("rgb(255, 255, 255)"));

        let done = answer(browser, "button.approve").await;
        assert!(
            done.contains("Contoso Partner now has admin access"),
            "{done}"
        );
        assert_eq!(admin_status(&server, &link.customer_id).await, "active");

        // Opening the link again (or going back and pressing Approve again) is a clear page.
        browser.goto(&link.url).await.unwrap();
        assert_eq!(
            text_of(browser, "h1").await,
            "This request was already approved"
        );
        assert!(
            browser.find(Locator::Css("button")).await.is_err(),
            "nothing left to press"
        );
        driver.client.clone().close().await.unwrap();
        assert_eq!(admin_status(&server, &link.customer_id).await, "active");
    }
}

contract! {
    async fn a_global_admin_declines_in_a_browser() {
        let server = spawn_server(5).await;
        let link = pending(&server, "Declined in the browser").await;
        let Some(driver) = chromium().await else {
            return;
        };
        let browser = &driver.client;
        browser.goto(&link.url).await.unwrap();
        let done = answer(browser, "button.decline").await;
        assert!(
            done.contains("Contoso Partner gets no admin access"),
            "{done}"
        );
        browser.back().await.unwrap();
        browser.refresh().await.unwrap();
        assert_eq!(text_of(browser, "h1").await, "This request was declined");
        driver.client.clone().close().await.unwrap();
        assert_eq!(admin_status(&server, &link.customer_id).await, "expired");
    }
}
