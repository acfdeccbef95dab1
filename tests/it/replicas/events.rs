//! A change made through replica A is on a dashboard's event stream opened on replica B within
//! 5 s; a dashboard moved from A to B resumes with `Last-Event-ID` and misses nothing.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use reqwest::Method;

use super::{LIVE, Pair, accept_invitation, approve, company, customer};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_customer_created_on_one_replica_is_live_on_the_others_stream_within_5_s() {
    let Some(pair) = Pair::start(5).await else {
        return;
    };
    let mut on_b = pair.b.events(&pair.helpdesk, None).await;
    let sent = Instant::now();
    let (status, made) = pair
        .a
        .post_customer(&pair.admin, &customer("Across Replicas AB"), None)
        .await;
    assert_eq!(status, 201, "{made}");
    let (event, took) = on_b
        .wait_for(sent, LIVE, |e| company(e) == "Across Replicas AB")
        .await
        .expect("the new customer on replica B's stream within 5 s");
    assert_eq!(event["type"], "customer.created", "{event}");
    assert_eq!(event["customer"]["id"], made["id"]);
    eprintln!("customer created on A reached B's stream after {took:?}");
    assert!(took < LIVE, "{took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invitation_accepted_on_one_replica_is_live_on_the_others_stream_within_5_s() {
    let Some(pair) = Pair::start(5).await else {
        return;
    };
    let (status, link) = pair
        .a
        .get_json(&pair.admin, "/v1/customers/relationshiprequests")
        .await;
    assert_eq!(status, 200, "{link}");
    let page = link["url"].as_str().unwrap();
    assert!(page.starts_with(pair.a.url()), "{page}");
    let mut on_b = pair.b.events(&pair.helpdesk, None).await;
    let sent = Instant::now();
    let (status, answer) = accept_invitation(
        &pair.a.http,
        page,
        page,
        "Accepted Elsewhere Oy",
        "acceptedelsewhere.onmicrosoft.com",
    )
    .await;
    assert_eq!(status, 200, "{answer}");
    let (event, took) = on_b
        .wait_for(sent, LIVE, |e| company(e) == "Accepted Elsewhere Oy")
        .await
        .expect("the accepting customer on replica B's stream within 5 s");
    assert_eq!(event["type"], "customer.created", "{event}");
    eprintln!("invitation accepted on A reached B's stream after {took:?}");
    assert!(took < LIVE, "{took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relationship_approved_on_one_replica_is_live_on_the_others_stream_within_5_s() {
    let Some(pair) = Pair::start(5).await else {
        return;
    };
    let (page, customer_id, _) = crate::admin_approval::request_approval(
        &pair.a.http,
        pair.a.url(),
        &pair.admin,
        "Approved across replicas",
    )
    .await;
    let mut on_b = pair.b.events(&pair.helpdesk, None).await;
    let sent = Instant::now();
    let (status, answer) = approve(&pair.a.http, &page, &page).await;
    assert_eq!(status, 200, "{answer}");
    let (event, took) = on_b
        .wait_for(sent, LIVE, |e| {
            e["customer"]["id"] == customer_id.as_str()
                && e["customer"]["adminAccess"]["status"] == "active"
        })
        .await
        .expect("the approved admin access on replica B's stream within 5 s");
    assert_eq!(event["type"], "adminRelationship.updated", "{event}");
    eprintln!("approval on A reached B's stream after {took:?}");
    assert!(took < LIVE, "{took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dashboard_moved_to_the_other_replica_resumes_after_last_event_id_missing_nothing() {
    let Some(pair) = Pair::start(5).await else {
        return;
    };
    let mut on_a = pair.a.events(&pair.helpdesk, None).await;
    let (status, _) = pair
        .a
        .post_customer(&pair.admin, &customer("Seen On A GmbH"), None)
        .await;
    assert_eq!(status, 201);
    let (seen, _) = on_a
        .wait_for(Instant::now(), LIVE, |e| company(e) == "Seen On A GmbH")
        .await
        .expect("A's own stream has it");
    let last = seen["id"].as_i64().expect("events carry a numeric id");
    drop(on_a);
    // While the dashboard is between replicas, changes land on both.
    let missed = [
        "Missed One Ltd",
        "Missed Two Ltd",
        "Missed Three Ltd",
        "Missed Four Ltd",
    ];
    for (i, name) in missed.iter().enumerate() {
        let replica = if i % 2 == 0 { &pair.a } else { &pair.b };
        let (status, body) = replica
            .post_customer(&pair.admin, &customer(name), None)
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let mut on_b = pair.b.events(&pair.helpdesk, Some(last)).await;
    let mut got = Vec::new();
    while let Some(event) = on_b.next_within(Duration::from_secs(2)).await {
        got.push(event);
    }
    let names: Vec<&str> = got.iter().map(company).collect();
    assert_eq!(
        names, missed,
        "every change made while away, in order, none twice"
    );
    let ids: Vec<i64> = got.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]) && ids[0] > last,
        "{ids:?} after {last}"
    );
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
    // And the resumed stream stays live for changes made on the replica it left.
    let sent = Instant::now();
    pair.a
        .request(&pair.admin, Method::POST, "/v1/customers")
        .json(&customer("After The Move AS"))
        .send()
        .await
        .unwrap();
    let (event, _) = on_b
        .wait_for(sent, LIVE, |e| company(e) == "After The Move AS")
        .await
        .expect("live again within 5 s");
    assert!(event["id"].as_i64().unwrap() > *ids.last().unwrap());
}
