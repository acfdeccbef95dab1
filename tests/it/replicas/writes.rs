//! What one replica hands out, the other honours: `MS-RequestId` replays, ETags under `If-Match`
//! (two agents racing on two replicas: one wins, one is told, nothing is lost), continuation
//! tokens and the CSRF tokens of the acceptance and approval pages.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Pair, accept_invitation, approve, moved, token};
use crate::helpers::{json, next_url};

/// Contoso customers whose domain is `domain`, counted on the database itself.
async fn with_domain(pair: &Pair, domain: &str) -> i64 {
    pair.scalar(&format!(
        "SELECT count(*) FROM customers WHERE domain = '{domain}'"
    ))
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_ms_request_id_on_both_replicas_creates_one_customer_and_answers_alike() {
    let Some(pair) = Pair::start(5).await else {
        return;
    };
    let body = crate::helpers::new_customer("Once Only AG", "onceonly.onmicrosoft.com");
    let (status, first) = pair
        .a
        .post_customer(&pair.admin, &body, Some("replicas-1"))
        .await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = pair
        .b
        .post_customer(&pair.admin, &body, Some("replicas-1"))
        .await;
    assert_eq!(status, 201, "{again}");
    assert_eq!(again, first, "B replays A's answer");
    assert_eq!(with_domain(&pair, "onceonly.onmicrosoft.com").await, 1);

    // At the same moment, through both: still one, each time.
    for round in 0..5 {
        let domain = format!("bothatonce{round}.onmicrosoft.com");
        let body = crate::helpers::new_customer("Both At Once AG", &domain);
        let id = format!("replicas-race-{round}");
        let ((sa, a), (sb, b)) = tokio::join!(
            pair.a.post_customer(&pair.admin, &body, Some(&id)),
            pair.b.post_customer(&pair.admin, &body, Some(&id)),
        );
        assert_eq!((sa, sb), (201, 201), "round {round}: {a} / {b}");
        assert_eq!(a, b, "round {round}: one answer, replayed");
        assert_eq!(with_domain(&pair, &domain).await, 1, "round {round}");
    }
}

/// The customer's ETag as read through `replica`.
async fn etag(replica: &super::Replica, token: &str, id: &str) -> String {
    let response = replica
        .request(token, Method::GET, &format!("/v1/customers/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.headers()["etag"].to_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_agents_on_two_replicas_racing_with_one_etag_one_wins_and_one_is_told() {
    let Some(pair) = Pair::start(5).await else {
        return;
    };
    let second = token(&pair.url, "admin-agent", &["--name", "Second Agent"]).await;
    let (_, page) = pair.a.get_json(&pair.admin, "/v1/customers?size=1").await;
    let id = page["items"][0]["id"].as_str().unwrap().to_string();
    let path = format!("/v1/customers/{id}/purchasepermission");
    for round in 0..10 {
        let read_a = etag(&pair.a, &pair.admin, &id).await;
        let read_b = etag(&pair.b, &second, &id).await;
        assert_eq!(read_a, read_b, "one customer, one ETag on both replicas");
        // Both ask for the opposite of the current value, so both are real changes: asking for
        // the value it already has changes nothing (not even the ETag) and may answer 200 to both.
        let (_, before) = pair.a.get_json(&pair.admin, &path).await;
        let allow = !before["allowCustomerPurchase"].as_bool().unwrap();
        let put = |replica: &super::Replica, token: &str| {
            replica
                .request(token, Method::PUT, &path)
                .header("If-Match", &read_a)
                .json(&json!({"allowCustomerPurchase": allow}))
                .send()
        };
        let (a, b) = tokio::join!(put(&pair.a, &pair.admin), put(&pair.b, &second));
        let ((sa, ba), (sb, bb)) = tokio::join!(json(a.unwrap()), json(b.unwrap()));
        let mut statuses = [sa, sb];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412], "round {round}: {ba} / {bb}");
        let loser = if sa == 412 { &ba } else { &bb };
        assert_eq!(loser["errorName"], "PreconditionFailed", "{loser}");
        let (_, now) = pair.b.get_json(&pair.admin, &path).await;
        assert_eq!(
            now["allowCustomerPurchase"], allow,
            "round {round}: the winner's change stands"
        );
        let after = etag(&pair.a, &pair.admin, &id).await;
        assert_ne!(after, read_a, "the ETag moved on");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_continuation_token_from_one_replica_pages_on_the_other() {
    let Some(pair) = Pair::start(30).await else {
        return;
    };
    let (status, first) = pair.a.get_json(&pair.admin, "/v1/customers?size=10").await;
    assert_eq!(status, 200, "{first}");
    let next = &first["links"]["next"];
    let follow = |replica: &super::Replica| {
        let mut request = pair
            .a
            .http
            .get(next_url(replica.url(), next["uri"].as_str().unwrap()))
            .bearer_auth(&pair.admin);
        for header in next["headers"].as_array().unwrap() {
            request = request.header(
                header["key"].as_str().unwrap(),
                header["value"].as_str().unwrap(),
            );
        }
        request.send()
    };
    let (status, on_b) = json(follow(&pair.b).await.unwrap()).await;
    assert_eq!(status, 200, "B takes A's continuation token: {on_b}");
    let (_, on_a) = json(follow(&pair.a).await.unwrap()).await;
    let ids = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&on_b).len(), 10);
    assert_eq!(ids(&on_b), ids(&on_a), "the same second page from either");
    assert!(ids(&first).iter().all(|id| !ids(&on_b).contains(id)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pages_csrf_token_from_one_replica_is_accepted_by_the_others_form_post() {
    let Some(pair) = Pair::start(5).await else {
        return;
    };
    // The acceptance page, opened on A, sent to B.
    let (_, link) = pair
        .a
        .get_json(&pair.admin, "/v1/customers/relationshiprequests")
        .await;
    let page = link["url"].as_str().unwrap();
    let (status, answer) = accept_invitation(
        &pair.a.http,
        page,
        &moved(page, &pair.a, &pair.b),
        "Posted Across GmbH",
        "postedacross.onmicrosoft.com",
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(with_domain(&pair, "postedacross.onmicrosoft.com").await, 1);

    // The approval page, opened on A, answered on B.
    let (page, customer_id, relationship) = crate::admin_approval::request_approval(
        &pair.a.http,
        pair.a.url(),
        &pair.admin,
        "Answered across",
    )
    .await;
    let (status, answer) = approve(&pair.a.http, &page, &moved(&page, &pair.a, &pair.b)).await;
    assert_eq!(status, 200, "{answer}");
    assert!(answer.contains("Admin access approved"), "{answer}");
    let (_, read) = pair
        .a
        .get_json(
            &pair.admin,
            &format!("{}/{relationship}", crate::gdap_api::BASE),
        )
        .await;
    assert_eq!(read["status"], "active", "{read}");
    let (_, read) = pair
        .b
        .get_json(&pair.admin, &format!("/v1/customers/{customer_id}"))
        .await;
    assert_eq!(read["adminAccess"]["status"], "active", "{read}");
}
