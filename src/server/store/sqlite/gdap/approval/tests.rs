#![allow(clippy::unwrap_used)]
//! The store's side of the approval page, on rows inserted directly (the relationships API is
//! another part).

use rusqlite::{Connection, params};

use super::*;
use crate::api::gdap::AdminAccessStatus;
use crate::api::gdap::roles::{GLOBAL_READER, HELPDESK_ADMINISTRATOR};
use crate::server::store::gdap::AdminStore;
use crate::server::store::{SqliteStore, Store};

struct Fixture {
    _dir: tempfile::TempDir,
    store: SqliteStore,
    conn: Connection,
    partner_id: String,
    customer_id: String,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a.db");
    let store = SqliteStore::open(&path).unwrap();
    // Enough customers that the demo's admin relationships leave some without any.
    store.seed_demo(30).unwrap();
    let conn = Connection::open(&path).unwrap();
    // Only this test's relationships: the demo's would be counted too.
    conn.execute_batch(
        "DELETE FROM admin_access_assignments; DELETE FROM admin_relationships; \
         UPDATE customers SET admin_status = 'none', admin_end_at = NULL, admin_requested_at = NULL;",
    )
    .unwrap();
    let (partner_id, customer_id) = conn
        .query_row(
            "SELECT c.partner_id, c.id FROM customers c JOIN partners p ON p.id = c.partner_id \
             WHERE p.name = 'Contoso Partner' AND NOT EXISTS \
             (SELECT 1 FROM admin_relationships r WHERE r.customer_id = c.id) \
             ORDER BY c.id LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    Fixture {
        _dir: dir,
        store,
        conn,
        partner_id,
        customer_id,
    }
}

const LOCKED: &str = "2026-01-10T08:00:00Z";
const LATER: &str = "2026-01-20T09:30:00Z";

impl Fixture {
    /// A relationship sent for approval at `LOCKED`, with `code`.
    fn pending(&self, code: &str, status: &str) {
        self.conn
            .execute(
                "INSERT INTO admin_relationships (id, partner_id, customer_id, display_name, \
                 name_key, duration_days, auto_extend_days, roles, status, created_at, locked_at, \
                 updated_at, approval_code) \
                 VALUES (?1, ?2, ?3, ?4, lower(?4), 365, 180, ?5, ?6, ?7, ?7, ?7, ?1)",
                params![
                    code,
                    self.partner_id,
                    self.customer_id,
                    format!("Helpdesk {code}"),
                    serde_json::json!([HELPDESK_ADMINISTRATOR, GLOBAL_READER]).to_string(),
                    status,
                    LOCKED
                ],
            )
            .unwrap();
    }

    fn row(&self, code: &str) -> (String, Option<String>, Option<String>, i64) {
        self.conn
            .query_row(
                "SELECT status, activated_at, end_at, version FROM admin_relationships \
                 WHERE approval_code = ?1",
                [code],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap()
    }

    fn audit(&self) -> Vec<(String, String, String, String)> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT operation, agent_id, resource_type, value_after FROM audit_records \
                 WHERE operation LIKE '%AdminRelationship' AND customer_id = ?1 ORDER BY id",
            )
            .unwrap();
        stmt.query_map([&self.customer_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    fn events(&self) -> Vec<String> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT kind FROM events WHERE kind LIKE 'adminRelationship%' AND customer_id = ?1 \
                 ORDER BY id",
            )
            .unwrap();
        stmt.query_map([&self.customer_id], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn admin_status(&self) -> AdminAccessStatus {
        let status: String = self
            .conn
            .query_row(
                "SELECT admin_status FROM customers WHERE id = ?1",
                [&self.customer_id],
                |r| r.get(0),
            )
            .unwrap();
        AdminAccessStatus::parse(&status)
    }
}

#[test]
fn an_open_link_names_the_partner_roles_and_terms() {
    let f = fixture();
    f.pending("code-open", "approvalPending");
    let approval = f.store.approval("code-open", LATER).unwrap();
    assert_eq!(approval.state, ApprovalState::Open);
    assert_eq!(approval.partner_name, "Contoso Partner");
    let r = &approval.relationship;
    assert_eq!(r.display_name, "Helpdesk code-open");
    assert_eq!(r.duration, "P365D");
    assert!(r.auto_extends());
    assert_eq!(
        r.access_details.role_ids().collect::<Vec<_>>(),
        [HELPDESK_ADMINISTRATOR, GLOBAL_READER]
    );
    assert!(!r.customer.display_name.is_empty());
    assert!(matches!(
        f.store.approval("no-such-code", LATER),
        Err(StoreError::NotFound)
    ));
}

#[test]
fn approving_activates_for_the_duration_from_now_and_a_second_answer_changes_nothing() {
    let f = fixture();
    f.pending("code-a", "approvalPending");
    let outcome = f.store.answer_approval("code-a", true, LATER).unwrap();
    let ApprovalOutcome::Approved(r) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(r.status, RelationshipStatus::Active);
    assert_eq!(r.activated_date_time.as_deref(), Some(LATER));
    assert_eq!(r.end_date_time.as_deref(), Some("2027-01-20T09:30:00Z"));
    let after_first = f.row("code-a");
    assert_eq!(after_first.3, 2, "the ETag moved");
    assert_eq!(f.admin_status(), AdminAccessStatus::Active);
    assert_eq!(f.events(), ["adminRelationship.updated"]);
    let audit = f.audit();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].0, "approveAdminRelationship");
    assert_eq!(audit[0].1, f.customer_id, "the customer is the agent");
    assert_eq!(audit[0].2, "AdminRelationship");
    assert!(audit[0].3.contains("status active"), "{:?}", audit[0]);

    // Twice (or declining afterwards) is harmless: the link says what it became.
    for approve in [true, false] {
        assert_eq!(
            f.store.answer_approval("code-a", approve, LATER).unwrap(),
            ApprovalOutcome::Closed(ApprovalState::Approved)
        );
    }
    assert_eq!(f.row("code-a"), after_first);
    assert_eq!(f.audit().len(), 1);
    assert_eq!(f.events().len(), 1);
    assert_eq!(
        f.store.approval("code-a", LATER).unwrap().state,
        ApprovalState::Approved
    );
}

#[test]
fn declining_expires_the_request_and_the_link_says_it_was_declined() {
    let f = fixture();
    f.pending("code-d", "approvalPending");
    let outcome = f.store.answer_approval("code-d", false, LATER).unwrap();
    let ApprovalOutcome::Declined(r) = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(r.status, RelationshipStatus::Expired);
    assert_eq!(r.activated_date_time, None);
    assert_eq!(f.admin_status(), AdminAccessStatus::Expired);
    assert_eq!(f.audit()[0].0, "declineAdminRelationship");
    assert_eq!(
        f.store.answer_approval("code-d", true, LATER).unwrap(),
        ApprovalOutcome::Closed(ApprovalState::Declined)
    );
    assert_eq!(f.row("code-d").0, "expired");
}

#[test]
fn after_ninety_days_the_link_is_expired_even_before_the_sweep_and_refuses_an_answer() {
    let f = fixture();
    f.pending("code-old", "approvalPending");
    let just_before = "2026-04-10T07:59:59Z";
    let at_ninety = "2026-04-10T08:00:00Z";
    assert_eq!(
        f.store.approval("code-old", just_before).unwrap().state,
        ApprovalState::Open
    );
    assert_eq!(
        f.store.approval("code-old", at_ninety).unwrap().state,
        ApprovalState::Expired
    );
    assert_eq!(
        f.store
            .answer_approval("code-old", true, at_ninety)
            .unwrap(),
        ApprovalOutcome::Closed(ApprovalState::Expired)
    );
    assert_eq!(f.row("code-old").0, "approvalPending", "nothing changed");
    assert!(f.audit().is_empty());
    assert!(f.events().is_empty());
}

#[test]
fn a_withdrawn_or_lapsed_request_reads_as_such() {
    let f = fixture();
    f.pending("code-t", "terminated");
    f.pending("code-e", "expired");
    assert_eq!(
        f.store.approval("code-t", LATER).unwrap().state,
        ApprovalState::Withdrawn
    );
    assert_eq!(
        f.store.answer_approval("code-t", true, LATER).unwrap(),
        ApprovalOutcome::Closed(ApprovalState::Withdrawn)
    );
    assert_eq!(
        f.store.approval("code-e", LATER).unwrap().state,
        ApprovalState::Expired
    );
    assert!(f.audit().is_empty());
}
