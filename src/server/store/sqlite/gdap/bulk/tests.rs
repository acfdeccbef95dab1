#![allow(clippy::unwrap_used)]
//! Bulk actions on seeded data: a result per item in order, the reasons for what was skipped,
//! per-item ETags, other partners' ids, and 1,000 items in one transaction.

use rusqlite::{Connection, params};

use crate::api::Role;
use crate::api::gdap::{
    BulkAction, BulkItem, BulkOutcome, BulkRequest, BulkResult, MAX_NAME_CHARS, roles,
};
use crate::server::store::sqlite::{SqliteStore, lock};
use crate::server::store::{AdminStore, Principal, Store, StoreError};

fn seeded(dir: &tempfile::TempDir, customers: u32) -> SqliteStore {
    let store = SqliteStore::open(&dir.path().join("b.db")).unwrap();
    store.seed_demo(customers).unwrap();
    store
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn contoso(conn: &Connection) -> Principal {
    conn.query_row(
        "SELECT p.id, a.id, a.name FROM partners p JOIN agents a ON a.partner_id = p.id \
         WHERE p.name = 'Contoso Partner' ORDER BY a.id LIMIT 1",
        [],
        |r| {
            Ok(Principal {
                partner_id: r.get(0)?,
                partner_name: "Contoso Partner".into(),
                cloud: String::new(),
                agent_id: r.get(1)?,
                agent_name: r.get(2)?,
                role: Role::AdminAgent,
            })
        },
    )
    .unwrap()
}

/// Ids of relationships of `partner` the filter picks.
fn ids(conn: &Connection, partner: &str, filter: &str, limit: u32) -> Vec<String> {
    conn.prepare(&format!(
        "SELECT r.id FROM admin_relationships r JOIN partners p ON p.id = r.partner_id \
         WHERE p.name = '{partner}' AND {filter} ORDER BY r.id LIMIT {limit}"
    ))
    .unwrap()
    .query_map([], |r| r.get(0))
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn one(conn: &Connection, filter: &str) -> String {
    ids(conn, "Contoso Partner", filter, 1).remove(0)
}

fn items(ids: &[String]) -> Vec<BulkItem> {
    ids.iter()
        .map(|id| BulkItem {
            id: id.clone(),
            etag: None,
        })
        .collect()
}

fn run(
    store: &SqliteStore,
    actor: &Principal,
    action: BulkAction,
    items: Vec<BulkItem>,
) -> Vec<BulkResult> {
    let request = BulkRequest { action, items };
    store
        .bulk_admin_relationships(actor, &request, &now())
        .unwrap()
        .into_iter()
        .map(|(result, _)| result)
        .collect()
}

fn column(conn: &Connection, id: &str, column: &str) -> String {
    conn.query_row(
        &format!("SELECT {column} FROM admin_relationships WHERE id = ?1"),
        params![id],
        |r| r.get::<_, rusqlite::types::Value>(0),
    )
    .map(|v| match v {
        rusqlite::types::Value::Text(t) => t,
        other => format!("{other:?}"),
    })
    .unwrap()
}

const GA: &str = "roles LIKE '%62e90394-69f5-4237-9190-012177145e10%'";

#[test]
fn auto_extend_skips_global_administrator_and_what_already_extends_and_names_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir, 60);
    let (actor, list) = {
        let conn = lock(&store.writer);
        let plain = one(
            &conn,
            &format!("status = 'active' AND auto_extend_days = 0 AND NOT {GA}"),
        );
        let ga = one(&conn, &format!("status = 'active' AND {GA}"));
        let already = one(&conn, "status = 'active' AND auto_extend_days = 180");
        let expired = one(&conn, "status = 'expired'");
        let draft = one(&conn, "status = 'created' AND auto_extend_days = 0");
        let fabrikam = ids(&conn, "Fabrikam Partner", "status = 'active'", 1).remove(0);
        let stale = one(
            &conn,
            &format!(
                "status = 'active' AND auto_extend_days = 0 AND NOT {GA} AND r.id > '{plain}'"
            ),
        );
        (
            contoso(&conn),
            vec![
                plain,
                ga,
                already,
                expired,
                draft,
                fabrikam,
                stale,
                "nope".into(),
            ],
        )
    };
    let mut request = items(&list);
    request[6].etag = Some("\"999\"".into());
    let results = run(&store, &actor, BulkAction::EnableAutoExtend, request);
    let got: Vec<(&str, BulkOutcome, u16)> = results
        .iter()
        .map(|r| (r.id.as_str(), r.outcome, r.status))
        .collect();
    use BulkOutcome::*;
    let want: Vec<(&str, BulkOutcome, u16)> = list
        .iter()
        .map(String::as_str)
        .zip([
            (Succeeded, 200),
            (Skipped, 400),
            (Skipped, 200),
            (Skipped, 409),
            (Succeeded, 200),
            (Failed, 404),
            (Failed, 412),
            (Failed, 404),
        ])
        .map(|(id, (o, s))| (id, o, s))
        .collect();
    assert_eq!(got, want);
    assert!(
        results[1]
            .message
            .as_deref()
            .unwrap()
            .contains("Global Administrator")
    );
    assert_eq!(
        results[0]
            .relationship
            .as_ref()
            .unwrap()
            .auto_extend_duration,
        "P180D"
    );
    assert!(
        results[6]
            .message
            .as_deref()
            .unwrap()
            .contains("changed since")
    );
    let conn = lock(&store.writer);
    assert_eq!(column(&conn, &list[0], "auto_extend_days"), "Integer(180)");
    assert_eq!(column(&conn, &list[1], "auto_extend_days"), "Integer(0)");
    assert_eq!(
        column(&conn, &list[6], "auto_extend_days"),
        "Integer(0)",
        "stale: untouched"
    );
    assert_eq!(
        column(&conn, &list[5], "auto_extend_days"),
        column(&conn, &list[5], "auto_extend_days")
    );
    // The etag each result carries is the one the next action can name.
    let version = column(&conn, &list[0], "version");
    assert_eq!(
        results[0].relationship.as_ref().unwrap().etag,
        format!(
            "\"{}\"",
            version.trim_start_matches("Integer(").trim_end_matches(')')
        )
    );
}

#[test]
fn terminate_requests_an_active_ones_end_ends_a_pending_one_and_skips_an_ended_one() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir, 60);
    let (actor, list) = {
        let conn = lock(&store.writer);
        let list = vec![
            one(&conn, "status = 'active'"),
            one(&conn, "status = 'approvalPending'"),
            one(&conn, "status = 'terminated'"),
        ];
        (contoso(&conn), list)
    };
    let results = run(&store, &actor, BulkAction::Terminate, items(&list));
    let outcomes: Vec<_> = results.iter().map(|r| (r.outcome, r.status)).collect();
    use BulkOutcome::*;
    assert_eq!(
        outcomes,
        [(Succeeded, 200), (Succeeded, 200), (Skipped, 409)]
    );
    let conn = lock(&store.writer);
    assert_eq!(column(&conn, &list[0], "status"), "terminationRequested");
    assert_eq!(column(&conn, &list[1], "status"), "terminated");
    let records: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_records WHERE operation = 'terminateAdminRelationship'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(records, 2);
    drop(conn);
    // The lifecycle's next step completes the requested termination.
    assert_eq!(
        store.advance_admin_relationships(&now()).unwrap(),
        vec![actor.partner_id.clone()]
    );
    assert_eq!(
        column(&lock(&store.writer), &list[0], "status"),
        "terminated"
    );
}

#[test]
fn request_again_makes_a_new_pending_relationship_with_the_same_roles_and_a_free_name() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir, 60);
    let (actor, old, long) = {
        let conn = lock(&store.writer);
        let old = one(&conn, "status = 'expired'");
        let long = one(&conn, &format!("status = 'terminated' AND r.id != '{old}'"));
        conn.execute(
            "UPDATE admin_relationships SET display_name = ?2, name_key = lower(?2) WHERE id = ?1",
            params![long, "x".repeat(MAX_NAME_CHARS)],
        )
        .unwrap();
        (contoso(&conn), old, long)
    };
    let request = BulkRequest {
        action: BulkAction::RequestAgain {
            duration_days: None,
        },
        items: items(&[old.clone(), long.clone(), old.clone()]),
    };
    let results = store
        .bulk_admin_relationships(&actor, &request, &now())
        .unwrap();
    let conn = lock(&store.writer);
    let old_name = column(&conn, &old, "display_name");
    let mut codes = Vec::new();
    for (n, (result, code)) in results.iter().enumerate() {
        assert_eq!(
            (result.outcome, result.status),
            (BulkOutcome::Succeeded, 201),
            "{result:?}"
        );
        assert_eq!(result.id, request.items[n].id, "results name the items");
        let made = result.relationship.as_ref().unwrap();
        assert_eq!(made.status.as_str(), "approvalPending");
        assert_ne!(made.id, result.id);
        assert!(made.display_name.chars().count() <= MAX_NAME_CHARS);
        assert_eq!(
            column(&conn, &made.id, "roles"),
            column(&conn, &request.items[n].id, "roles")
        );
        assert_eq!(
            column(&conn, &made.id, "duration_days"),
            column(&conn, &request.items[n].id, "duration_days")
        );
        assert_eq!(
            code.as_deref(),
            Some(column(&conn, &made.id, "approval_code").as_str())
        );
        codes.push(code.clone().unwrap());
    }
    let name = |n: usize| {
        results[n]
            .0
            .relationship
            .as_ref()
            .unwrap()
            .display_name
            .clone()
    };
    assert_eq!(name(0), format!("{old_name} (2)"));
    assert_eq!(name(1), format!("{} (2)", "x".repeat(MAX_NAME_CHARS - 4)));
    assert_eq!(name(2), format!("{old_name} (3)"));
    assert_ne!(codes[0], codes[2]);
    let customer: String = conn
        .query_row(
            "SELECT admin_status FROM customers WHERE id = \
             (SELECT customer_id FROM admin_relationships WHERE id = ?1)",
            params![old],
            |r| r.get(0),
        )
        .unwrap();
    assert_ne!(customer, "expired", "the summary follows the new request");
}

#[test]
fn assigning_a_group_gives_only_granted_roles_and_says_which_were_not() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir, 60);
    let exchange = roles::EXCHANGE_ADMINISTRATOR;
    let user_admin = roles::USER_ADMINISTRATOR;
    let (actor, group, list) = {
        let conn = lock(&store.writer);
        let group: String = conn
            .query_row(
                "SELECT id FROM security_groups WHERE display_name = 'Exchange Admins'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let both = one(
            &conn,
            &format!(
                "status = 'active' AND roles LIKE '%{exchange}%' AND roles LIKE '%{user_admin}%'"
            ),
        );
        let only_exchange = one(
            &conn,
            &format!(
                "status = 'active' AND roles LIKE '%{exchange}%' AND roles NOT LIKE '%{user_admin}%'"
            ),
        );
        let neither = one(
            &conn,
            &format!(
                "status = 'active' AND roles NOT LIKE '%{exchange}%' AND roles NOT LIKE '%{user_admin}%'"
            ),
        );
        let pending = one(
            &conn,
            &format!("status = 'approvalPending' AND roles LIKE '%{exchange}%'"),
        );
        (
            contoso(&conn),
            group,
            vec![both, only_exchange, neither, pending],
        )
    };
    let action = BulkAction::AssignSecurityGroup {
        security_group_id: group.clone(),
        roles: vec![exchange.to_string(), user_admin.to_string()],
    };
    let results = run(&store, &actor, action, items(&list));
    use BulkOutcome::*;
    let outcomes: Vec<_> = results.iter().map(|r| (r.outcome, r.status)).collect();
    assert_eq!(
        outcomes,
        [
            (Succeeded, 200),
            (Succeeded, 200),
            (Skipped, 400),
            (Skipped, 409)
        ]
    );
    assert_eq!(results[0].message, None);
    assert!(
        results[1]
            .message
            .as_deref()
            .unwrap()
            .contains("User Administrator"),
        "{results:?}"
    );
    assert!(
        results[2]
            .message
            .as_deref()
            .unwrap()
            .contains("Exchange Administrator")
    );
    let conn = lock(&store.writer);
    let given: String = conn
        .query_row(
            "SELECT roles FROM admin_access_assignments WHERE relationship_id = ?1 AND security_group_id = ?2",
            params![list[1], group],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(given, format!("[\"{exchange}\"]"));
    drop(conn);
    let unknown = BulkAction::AssignSecurityGroup {
        security_group_id: "not-a-group".into(),
        roles: vec![exchange.to_string()],
    };
    let request = BulkRequest {
        action: unknown,
        items: items(&list),
    };
    match store.bulk_admin_relationships(&actor, &request, &now()) {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "securityGroupId"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_thousand_items_go_in_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(&dir, 1000);
    let (actor, list) = {
        let conn = lock(&store.writer);
        let list = ids(&conn, "Contoso Partner", "1", 1000);
        (contoso(&conn), list)
    };
    assert_eq!(list.len(), 1000);
    let started = std::time::Instant::now();
    let results = run(&store, &actor, BulkAction::EnableAutoExtend, items(&list));
    let took = started.elapsed();
    eprintln!("bulk auto-extend of 1,000 relationships (debug build): {took:?}");
    assert_eq!(results.len(), 1000);
    assert!(results.iter().any(|r| r.outcome == BulkOutcome::Succeeded));
    assert!(
        results.iter().all(|r| r.outcome != BulkOutcome::Failed),
        "none failed"
    );
    // A generous bound for a debug build on a busy machine: quadratic work would blow it.
    assert!(took < std::time::Duration::from_secs(10), "{took:?}");
}
