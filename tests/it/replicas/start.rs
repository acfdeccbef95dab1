//! What each replica does by itself happens once for the database: `--demo` seeds an empty
//! database once however many replicas start at the same moment, and the GDAP lifecycle extends
//! a relationship that is due once, not once per replica.

use std::time::{Duration, Instant};

use super::{Pair, Replica, fresh_database, token};

/// Contoso's demo customers, plus Fabrikam's few (see `demo_partners`).
const FABRIKAM_CUSTOMERS: i64 = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_started_together_with_demo_seed_an_empty_database_once() {
    let Some(url) = fresh_database() else {
        return;
    };
    const CUSTOMERS: u32 = 300;
    let (a, b) = tokio::join!(
        Replica::start(&url, Some(CUSTOMERS), &[]),
        Replica::start(&url, Some(CUSTOMERS), &[]),
    );
    let count = super::scalar(&url, "SELECT count(*) FROM customers").await;
    assert_eq!(
        count,
        i64::from(CUSTOMERS) + FABRIKAM_CUSTOMERS,
        "seeded once"
    );
    assert_eq!(
        super::scalar(&url, "SELECT count(*) FROM partners").await,
        2
    );
    let admin = token(&url, "admin-agent", &[]).await;
    for replica in [&a, &b] {
        let (status, page) = replica.get_json(&admin, "/v1/customers?size=1").await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["totalCount"], CUSTOMERS, "{}", replica.url());
    }
}

/// RFC 3339 UTC with seconds, as the store keeps times.
fn at(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_two_replicas_running_a_due_relationship_is_auto_extended_once() {
    let Some(pair) = Pair::start(60).await else {
        return;
    };
    let extensions =
        "SELECT count(*) FROM audit_records WHERE operation = 'extendAdminRelationship'";
    // Whatever the demo had due is done by now (each replica's lifecycle runs at start-up).
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = pair.scalar(extensions).await;
    let ended = at(chrono::Utc::now() - chrono::TimeDelta::seconds(1));
    let client = crate::helpers::postgres_client(&pair.url).await;
    let due: Vec<String> = client
        .query(
            "UPDATE admin_relationships SET end_at = $1 \
             WHERE status = 'active' AND auto_extend_days > 0 RETURNING id",
            &[&ended],
        )
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(
        due.len() >= 3,
        "the demo has auto-extending relationships: {due:?}"
    );
    let still_due = format!(
        "SELECT count(*) FROM admin_relationships WHERE status = 'active' AND end_at <= '{ended}'"
    );
    let started = Instant::now();
    while pair.scalar(&still_due).await > 0 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the lifecycle extends what is due within seconds"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Both replicas' lifecycles tick every second: give each a few more chances to do it again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let rows = client
        .query(
            "SELECT id, end_at, auto_extend_days, status FROM admin_relationships \
             WHERE id = ANY($1)",
            &[&due],
        )
        .await
        .unwrap();
    assert_eq!(rows.len(), due.len());
    let ended_at = chrono::DateTime::parse_from_rfc3339(&ended).unwrap();
    for row in &rows {
        let (id, end, days, status): (String, String, i64, String) =
            (row.get(0), row.get(1), row.get(2), row.get(3));
        assert_eq!(status, "active", "{id}");
        let end = chrono::DateTime::parse_from_rfc3339(&end).unwrap();
        assert_eq!(
            end - ended_at,
            chrono::TimeDelta::days(days),
            "{id} extended by {days} days once"
        );
    }
    assert_eq!(
        pair.scalar(extensions).await - before,
        due.len() as i64,
        "one extension recorded per relationship, not one per replica"
    );
    // The partner's customers show the new end too, on either replica.
    let (_, page) = pair.b.get_json(&pair.admin, "/v1/customers?size=100").await;
    let expired = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["adminAccess"]["endDateTime"].as_str() == Some(ended.as_str()))
        .count();
    assert_eq!(expired, 0, "no customer still shows the old end");
}
