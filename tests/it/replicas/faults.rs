//! Faults an operations team will see: a replica killed right after it acknowledged a write (the
//! write stays, the other replica keeps serving), PostgreSQL stopped and started again (503 with
//! `Retry-After` at once, not a hang; 200 again by themselves), and pooled connections dropped by
//! the server (replaced; the next requests succeed).

use std::time::{Duration, Instant};

use super::cluster::Cluster;
use super::{LIVE, Pair, company, customer, fresh_database};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_killed_right_after_acknowledging_a_write_loses_nothing_and_the_other_serves_on()
{
    let Some(mut pair) = Pair::start(5).await else {
        return;
    };
    let mut on_b = pair.b.events(&pair.helpdesk, None).await;
    let (status, made) = pair
        .a
        .post_customer(&pair.admin, &customer("Acknowledged Then Killed AB"), None)
        .await;
    assert_eq!(status, 201, "{made}");
    pair.a.served.kill_hard();
    assert!(!pair.a.served.running());
    let id = made["id"].as_str().unwrap();
    let (status, read) = pair
        .b
        .get_json(&pair.admin, &format!("/v1/customers/{id}"))
        .await;
    assert_eq!(status, 200, "the acknowledged write is there: {read}");
    assert_eq!(
        read["companyProfile"]["companyName"],
        "Acknowledged Then Killed AB"
    );
    // B keeps serving: reads, writes and its live stream.
    let sent = Instant::now();
    let (status, body) = pair
        .b
        .post_customer(&pair.admin, &customer("After The Kill AB"), None)
        .await;
    assert_eq!(status, 201, "{body}");
    on_b.wait_for(sent, LIVE, |e| company(e) == "After The Kill AB")
        .await
        .expect("B's stream is live");
    let (status, page) = pair.b.get_json(&pair.admin, "/v1/customers?size=100").await;
    assert_eq!(status, 200);
    assert_eq!(
        page["totalCount"], 7,
        "5 demo customers and the two new ones"
    );
}

/// GET /v1/customers on `replica`: status, `Retry-After`, how long the answer took.
async fn probe(replica: &super::Replica, token: &str) -> (u16, Option<String>, Duration) {
    let started = Instant::now();
    let response = replica
        .request(token, reqwest::Method::GET, "/v1/customers?size=5")
        .timeout(Duration::from_secs(20))
        .send()
        .await
        .expect("an answer, not a hang or a dropped connection");
    let retry = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    (response.status().as_u16(), retry, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgresql_stopping_is_503_with_retry_after_at_once_and_starting_again_is_200_by_itself() {
    // The server stopped here is one of this test's own; the shared one stays up for the others.
    if fresh_database().is_none() {
        return;
    }
    let cluster = Cluster::start();
    let url =
        cspdash::server::store::postgres::scratch::create_database(&cluster.admin_url()).unwrap();
    let mut pair = Pair::on(&url, 5).await;
    for replica in [&pair.a, &pair.b] {
        assert_eq!(probe(replica, &pair.admin).await.0, 200);
    }
    cluster.stop();
    for replica in [&pair.a, &pair.b] {
        for _ in 0..3 {
            let (status, retry, took) = probe(replica, &pair.admin).await;
            assert_eq!(status, 503, "{}: database down", replica.url());
            let retry = retry.expect("503 says when to retry");
            assert!(
                retry.parse::<u32>().is_ok_and(|s| s > 0),
                "Retry-After: {retry}"
            );
            assert!(
                took < Duration::from_secs(5),
                "answered in {took:?}, not hung"
            );
        }
    }
    cluster.start_again();
    let started = Instant::now();
    for replica in [&pair.a, &pair.b] {
        loop {
            let (status, _, _) = probe(replica, &pair.admin).await;
            if status == 200 {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{} serves again by itself (last {status})",
                replica.url()
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    eprintln!(
        "both replicas served 200 {:?} after PostgreSQL started again",
        started.elapsed()
    );
    assert!(
        pair.a.served.running() && pair.b.served.running(),
        "no replica crashed"
    );
    // Live events across replicas work again too (each replica's listener reconnected).
    let mut on_b = pair.b.events(&pair.helpdesk, None).await;
    let sent = Instant::now();
    let (status, _) = pair
        .a
        .post_customer(&pair.admin, &customer("After The Restart Oy"), None)
        .await;
    assert_eq!(status, 201);
    let (_, took) = on_b
        .wait_for(sent, LIVE, |e| company(e) == "After The Restart Oy")
        .await
        .expect("events from A reach B again after the restart");
    assert!(took < LIVE);
    drop(pair);
    drop(cluster);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pooled_connections_dropped_by_the_server_are_replaced_and_the_next_requests_succeed() {
    let Some(pair) = Pair::start(5).await else {
        return;
    };
    // Fill both replicas' pools with connections, then have the server drop every one of them.
    for _ in 0..4 {
        let (a, b) = tokio::join!(
            pair.a.get_json(&pair.admin, "/v1/customers?size=5"),
            pair.b.get_json(&pair.admin, "/v1/customers?size=5"),
        );
        assert_eq!((a.0, b.0), (200, 200));
    }
    let admin = crate::helpers::postgres_client(&pair.url).await;
    let others = "FROM pg_stat_activity WHERE datname = current_database() \
                  AND pid <> pg_backend_pid() AND backend_type = 'client backend'";
    let pids: Vec<i32> = admin
        .query(&format!("SELECT pid {others}"), &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(pids.len() >= 2, "both replicas hold connections: {pids:?}");
    admin
        .query(
            "SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid",
            &[&pids],
        )
        .await
        .unwrap();
    // Until every dropped backend has gone: the connections are now dead in the pools.
    let started = Instant::now();
    while admin
        .query_one(
            "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY($1)",
            &[&pids],
        )
        .await
        .unwrap()
        .get::<_, i64>(0)
        > 0
    {
        assert!(started.elapsed() < Duration::from_secs(5), "backends gone");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for round in 0..10 {
        for replica in [&pair.a, &pair.b] {
            let (status, body) = replica.get_json(&pair.admin, "/v1/customers?size=5").await;
            assert_eq!(status, 200, "round {round} on {}: {body}", replica.url());
        }
    }
    let (status, body) = pair
        .b
        .post_customer(&pair.admin, &customer("After Terminate GmbH"), None)
        .await;
    assert_eq!(status, 201, "{body}");
    eprintln!(
        "served again {:?} after the connections were dropped",
        started.elapsed()
    );
}
