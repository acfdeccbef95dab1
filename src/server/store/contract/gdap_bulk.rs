//! Bulk actions: a result per item in order, the reasons for what was skipped, per-item ETags,
//! other partners' ids, free names for requests again, group assignments, request keys, and
//! 1,000 items in one transaction.

use super::contract;
use super::fixture::{Fixture, LATER, fixture, quote};
use crate::api::Role;
use crate::api::gdap::roles::{
    DIRECTORY_READERS, EXCHANGE_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, USER_ADMINISTRATOR,
};
use crate::api::gdap::{
    BulkAction, BulkItem, BulkOutcome, BulkRequest, BulkResult, MAX_NAME_CHARS,
};
use crate::server::store::{Created, Principal, RequestKey, StoreError, StoredResponse};

fn items(ids: &[&str]) -> Vec<BulkItem> {
    ids.iter()
        .map(|id| BulkItem {
            id: id.to_string(),
            etag: None,
        })
        .collect()
}

fn run(f: &Fixture, action: BulkAction, items: Vec<BulkItem>) -> Vec<(BulkResult, Option<String>)> {
    let request = BulkRequest { action, items };
    f.store
        .bulk_admin_relationships(&f.actor, &request, LATER)
        .unwrap()
}

fn outcomes(results: &[(BulkResult, Option<String>)]) -> Vec<(BulkOutcome, u16)> {
    results.iter().map(|(r, _)| (r.outcome, r.status)).collect()
}

/// A relationship in `status` without auto-extend.
fn plain(f: &Fixture, id: &str, status: &str, roles: &[&str]) {
    f.relationship(id, status, Some("2027-01-01T00:00:00Z"), roles);
    f.store.exec(&format!(
        "UPDATE admin_relationships SET auto_extend_days = 0 WHERE id = {}",
        quote(id)
    ));
}

contract! {
    fn auto_extend_skips_global_administrator_and_what_already_extends_and_names_the_rest(store) {
        let f = fixture(store);
        plain(&f, "r-plain", "active", &[DIRECTORY_READERS]);
        plain(
            &f,
            "r-ga",
            "active",
            &[DIRECTORY_READERS, GLOBAL_ADMINISTRATOR],
        );
        f.relationship("r-already", "active", None, &[DIRECTORY_READERS]);
        plain(&f, "r-expired", "expired", &[DIRECTORY_READERS]);
        plain(&f, "r-draft", "created", &[DIRECTORY_READERS]);
        plain(&f, "r-stale", "active", &[DIRECTORY_READERS]);
        store.exec(&format!(
            "INSERT INTO admin_relationships (id, partner_id, customer_id, display_name, \
             name_key, duration_days, roles, status, created_at, updated_at) VALUES ('r-theirs', \
             'p-other', 'cust-4', 'Theirs', 'theirs', 730, '[]', 'active', '{LATER}', '{LATER}')"
        ));
        let list = [
            "r-plain",
            "r-ga",
            "r-already",
            "r-expired",
            "r-draft",
            "r-theirs",
            "r-stale",
            "nope",
        ];
        let mut request = items(&list);
        request[6].etag = Some("\"999\"".into());
        let results = run(&f, BulkAction::EnableAutoExtend, request);
        use BulkOutcome::*;
        assert_eq!(
            outcomes(&results),
            [
                (Succeeded, 200),
                (Skipped, 400),
                (Skipped, 200),
                (Skipped, 409),
                (Succeeded, 200),
                (Failed, 404),
                (Failed, 412),
                (Failed, 404),
            ]
        );
        let ids: Vec<&str> = results.iter().map(|(r, _)| r.id.as_str()).collect();
        assert_eq!(ids, list, "results name the items, in order");
        let message = |n: usize| results[n].0.message.clone().unwrap();
        assert!(message(1).contains("Global Administrator"));
        assert!(message(6).contains("changed since"));
        let made = results[0].0.relationship.as_ref().unwrap();
        assert_eq!(made.auto_extend_duration, "P180D");
        assert_eq!(
            f.column("r-plain", "auto_extend_days").as_deref(),
            Some("180")
        );
        assert_eq!(f.column("r-ga", "auto_extend_days").as_deref(), Some("0"));
        assert_eq!(
            f.column("r-stale", "auto_extend_days").as_deref(),
            Some("0"),
            "stale: untouched"
        );
        assert_eq!(
            f.column("r-theirs", "auto_extend_days").as_deref(),
            Some("0")
        );
        // The etag each result carries is the one the next action can name.
        let version = f.column("r-plain", "version").unwrap();
        assert_eq!(made.etag, format!("\"{version}\""));
    }

    fn terminate_requests_an_active_ones_end_ends_a_pending_one_and_skips_an_ended_one(store) {
        let f = fixture(store);
        plain(&f, "r-active", "active", &[DIRECTORY_READERS]);
        plain(&f, "r-pending", "approvalPending", &[DIRECTORY_READERS]);
        plain(&f, "r-ended", "terminated", &[DIRECTORY_READERS]);
        let results = run(
            &f,
            BulkAction::Terminate,
            items(&["r-active", "r-pending", "r-ended"]),
        );
        use BulkOutcome::*;
        assert_eq!(
            outcomes(&results),
            [(Succeeded, 200), (Succeeded, 200), (Skipped, 409)]
        );
        assert_eq!(
            f.column("r-active", "status").as_deref(),
            Some("terminationRequested")
        );
        assert_eq!(
            f.column("r-pending", "status").as_deref(),
            Some("terminated")
        );
        let records = f
            .audit()
            .into_iter()
            .filter(|a| a.0 == "terminateAdminRelationship")
            .count();
        assert_eq!(records, 2);
        // The lifecycle's next step completes the requested termination.
        assert_eq!(
            store.advance_admin_relationships(LATER).unwrap(),
            [f.actor.partner_id.as_str()]
        );
        assert_eq!(
            f.column("r-active", "status").as_deref(),
            Some("terminated")
        );
    }

    fn request_again_makes_a_new_pending_relationship_with_the_same_roles_and_a_free_name(store) {
        let f = fixture(store);
        plain(
            &f,
            "r-old",
            "expired",
            &[DIRECTORY_READERS, GLOBAL_ADMINISTRATOR],
        );
        plain(&f, "r-long", "terminated", &[DIRECTORY_READERS]);
        let long = quote(&"x".repeat(MAX_NAME_CHARS));
        store.exec(&format!(
            "UPDATE admin_relationships SET display_name = {long}, name_key = {long} \
             WHERE id = 'r-long'"
        ));
        let list = ["r-old", "r-long", "r-old"];
        let results = run(
            &f,
            BulkAction::RequestAgain {
                duration_days: None,
            },
            items(&list),
        );
        let mut codes = Vec::new();
        for (n, (result, code)) in results.iter().enumerate() {
            assert_eq!(
                (result.outcome, result.status),
                (BulkOutcome::Succeeded, 201),
                "{result:?}"
            );
            assert_eq!(result.id, list[n], "results name the items");
            let made = result.relationship.as_ref().unwrap();
            assert_eq!(made.status.as_str(), "approvalPending");
            assert_ne!(made.id, result.id);
            assert!(made.display_name.chars().count() <= MAX_NAME_CHARS);
            assert_eq!(f.column(&made.id, "roles"), f.column(list[n], "roles"));
            assert_eq!(
                f.column(&made.id, "duration_days"),
                f.column(list[n], "duration_days")
            );
            assert_eq!(code.clone(), f.column(&made.id, "approval_code"));
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
        assert_eq!(name(0), "Helpdesk r-old (2)");
        assert_eq!(name(1), format!("{} (2)", "x".repeat(MAX_NAME_CHARS - 4)));
        assert_eq!(name(2), "Helpdesk r-old (3)");
        assert_ne!(codes[0], codes[2]);
        assert_eq!(
            f.summary().0,
            "pending",
            "the summary follows the new request"
        );
    }

    fn assigning_a_group_gives_only_granted_roles_and_says_which_were_not(store) {
        let f = fixture(store);
        let (exchange, user_admin) = (EXCHANGE_ADMINISTRATOR, USER_ADMINISTRATOR);
        plain(&f, "r-both", "active", &[exchange, user_admin]);
        plain(&f, "r-exchange", "active", &[exchange, DIRECTORY_READERS]);
        plain(&f, "r-neither", "active", &[DIRECTORY_READERS]);
        plain(&f, "r-pending", "approvalPending", &[exchange]);
        let list = ["r-both", "r-exchange", "r-neither", "r-pending"];
        let action = BulkAction::AssignSecurityGroup {
            security_group_id: f.group_id.clone(),
            roles: vec![exchange.to_string(), user_admin.to_string()],
        };
        let results = run(&f, action, items(&list));
        use BulkOutcome::*;
        assert_eq!(
            outcomes(&results),
            [
                (Succeeded, 200),
                (Succeeded, 200),
                (Skipped, 400),
                (Skipped, 409)
            ]
        );
        assert_eq!(results[0].0.message, None);
        let message = |n: usize| results[n].0.message.clone().unwrap();
        assert!(message(1).contains("User Administrator"), "{results:?}");
        assert!(message(2).contains("Exchange Administrator"));
        let given = f.sql(&format!(
            "SELECT roles FROM admin_access_assignments \
             WHERE relationship_id = 'r-exchange' AND security_group_id = {}",
            quote(&f.group_id)
        ));
        assert_eq!(given, [[Some(format!("[\"{exchange}\"]"))]]);
        for group in ["not-a-group", "group-other"] {
            let request = BulkRequest {
                action: BulkAction::AssignSecurityGroup {
                    security_group_id: group.into(),
                    roles: vec![exchange.to_string()],
                },
                items: items(&list),
            };
            match store.bulk_admin_relationships(&f.actor, &request, LATER) {
                Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "securityGroupId"),
                other => panic!("{other:?}"),
            }
        }
    }

    fn a_repeated_request_key_answers_the_first_bulk_again_and_changes_nothing(store) {
        let f = fixture(store);
        plain(&f, "r-1", "active", &[DIRECTORY_READERS]);
        let key = RequestKey {
            request_id: "bulk-1".into(),
            body_sha256: "sha".into(),
        };
        let request = BulkRequest {
            action: BulkAction::Terminate,
            items: items(&["r-1"]),
        };
        let respond = |results: &[(BulkResult, Option<String>)]| StoredResponse {
            status: 200,
            body: format!("{} results", results.len()),
        };
        let first = store
            .bulk_admin_relationships_once(&f.actor, &request, Some(&key), &respond, LATER)
            .unwrap();
        assert!(matches!(first, Created::New(_)));
        let version = f.column("r-1", "version");
        let again = store
            .bulk_admin_relationships_once(&f.actor, &request, Some(&key), &respond, LATER)
            .unwrap();
        assert_eq!(
            again,
            Created::Replayed(StoredResponse {
                status: 200,
                body: "1 results".into()
            })
        );
        assert_eq!(f.column("r-1", "version"), version, "nothing changed");
    }

    fn a_thousand_items_go_in_one_transaction(store) {
        store.seed_demo(1000).unwrap();
        let contoso = "FROM admin_relationships r JOIN partners p ON p.id = r.partner_id \
                       WHERE p.name = 'Contoso Partner'";
        let list: Vec<String> = store
            .rows(&format!("SELECT r.id {contoso} ORDER BY r.id LIMIT 1000"))
            .into_iter()
            .map(|mut r| r.remove(0).unwrap())
            .collect();
        assert_eq!(list.len(), 1000);
        let agent = store
            .rows(
                "SELECT p.id, a.id, a.name FROM partners p JOIN agents a ON a.partner_id = p.id \
                 WHERE p.name = 'Contoso Partner' ORDER BY a.id LIMIT 1",
            )
            .remove(0);
        let actor = Principal {
            partner_id: agent[0].clone().unwrap(),
            partner_name: "Contoso Partner".into(),
            cloud: String::new(),
            agent_id: agent[1].clone().unwrap(),
            agent_name: agent[2].clone().unwrap(),
            role: Role::AdminAgent,
        };
        let ids: Vec<&str> = list.iter().map(String::as_str).collect();
        let request = BulkRequest {
            action: BulkAction::EnableAutoExtend,
            items: items(&ids),
        };
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
        let started = std::time::Instant::now();
        let results = store
            .bulk_admin_relationships(&actor, &request, &now)
            .unwrap();
        let took = started.elapsed();
        eprintln!("bulk auto-extend of 1,000 relationships (debug build): {took:?}");
        assert_eq!(results.len(), 1000);
        assert!(
            results
                .iter()
                .any(|(r, _)| r.outcome == BulkOutcome::Succeeded)
        );
        assert!(
            results
                .iter()
                .all(|(r, _)| r.outcome != BulkOutcome::Failed),
            "none failed"
        );
        // A generous bound for a debug build on a busy machine: quadratic work would blow it.
        assert!(took < std::time::Duration::from_secs(10), "{took:?}");
    }
}
