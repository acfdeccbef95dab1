//! Invitation codes never reach the log: `cspdash serve` at `RUST_LOG=trace` (every request span,
//! every library's debug line) serves a link's page and an acceptance, and its whole stderr is
//! searched for the code.
#![allow(clippy::unwrap_used)]

use crate::helpers::contract;
use crate::served::create_token;
use crate::traced::TracedServer;

contract! {
    async fn invitation_codes_never_reach_the_log_even_at_trace_level() {
        let server = TracedServer::start();
        let url = server.url.clone();
        let token = create_token(&server.db, "sales-agent", &[]);

        let http = reqwest::Client::new();
        let link: serde_json::Value = http
            .get(format!("{url}/v1/customers/relationshiprequests"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let link = link["url"].as_str().unwrap().to_string();
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
        let accepted = http
            .post(format!("{link}/accept"))
            .header("cookie", cookie)
            .form(&[
                ("companyName", "Quiet Logs Ltd"),
                ("domain", "quietlogs.onmicrosoft.com"),
                ("email", "it@quietlogs.example"),
                ("csrf", &crate::invite::hidden_csrf(&html)),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(accepted.status(), 200);

        // The requests were logged (so the search below can fail), with the code redacted.
        assert!(
            server.wait_for("/invite/{code}/accept"),
            "the acceptance's request span is in the log:\n{}",
            server.log()
        );
        let log = server.stop();
        assert!(code.len() >= 40);
        let leaks: Vec<&String> = log.iter().filter(|l| l.contains(&code)).collect();
        assert!(leaks.is_empty(), "the code is in the log: {leaks:#?}");
        assert!(
            !log.iter().any(|l| l.contains(&token)),
            "nor is the bearer token"
        );
    }
}
