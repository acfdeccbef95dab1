//! The store's side of the approval page, on rows inserted directly (the relationships API is
//! another part): what an open link shows, approving, declining, lapsing after 90 days, and
//! links of withdrawn or lapsed requests.

use super::contract;
use super::fixture::{Fixture, LATER, fixture};
use crate::api::gdap::RelationshipStatus;
use crate::api::gdap::roles::{GLOBAL_READER, HELPDESK_ADMINISTRATOR};
use crate::server::store::StoreError;
use crate::server::store::gdap::{ApprovalOutcome, ApprovalState};

const ROLES: &[&str] = &[HELPDESK_ADMINISTRATOR, GLOBAL_READER];

fn pending(f: &Fixture, code: &str, status: &str) {
    f.relationship(code, status, None, ROLES);
}

fn row(f: &Fixture, code: &str) -> Vec<Option<String>> {
    ["status", "activated_at", "end_at", "version"]
        .iter()
        .map(|c| f.column(code, c))
        .collect()
}

contract! {
    fn an_open_link_names_the_partner_roles_and_terms(store) {
        let f = fixture(store);
        pending(&f, "code-open", "approvalPending");
        let approval = f.store.approval("code-open", LATER).unwrap();
        assert_eq!(approval.state, ApprovalState::Open);
        assert_eq!(approval.partner_name, "Contoso Partner Test");
        let r = &approval.relationship;
        assert_eq!(r.display_name, "Helpdesk code-open");
        assert_eq!(r.duration, "P365D");
        assert!(r.auto_extends());
        assert_eq!(r.access_details.role_ids().collect::<Vec<_>>(), ROLES);
        assert_eq!(r.customer.display_name, "Customer 1");
        assert!(matches!(
            f.store.approval("no-such-code", LATER),
            Err(StoreError::NotFound)
        ));
    }

    fn approving_activates_for_the_duration_from_now_and_a_second_answer_changes_nothing(store) {
        let f = fixture(store);
        pending(&f, "code-a", "approvalPending");
        let outcome = f.store.answer_approval("code-a", true, LATER).unwrap();
        let ApprovalOutcome::Approved(r) = outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(r.status, RelationshipStatus::Active);
        assert_eq!(r.activated_date_time.as_deref(), Some(LATER));
        assert_eq!(r.end_date_time.as_deref(), Some("2027-01-20T09:30:00Z"));
        let after_first = row(&f, "code-a");
        assert_eq!(after_first[3].as_deref(), Some("2"), "the ETag moved");
        assert_eq!(
            f.summary(),
            ("active".into(), Some("2027-01-20T09:30:00Z".into()), None)
        );
        assert_eq!(f.events(), ["adminRelationship.updated"]);
        let audit = f.audit();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].0, "approveAdminRelationship");
        assert_eq!(audit[0].1, f.customer_id, "the customer is the agent");
        assert_eq!(audit[0].2, "AdminRelationship");
        assert!(audit[0].4.contains("status active"), "{:?}", audit[0]);

        // Twice (or declining afterwards) is harmless: the link says what it became.
        for approve in [true, false] {
            assert_eq!(
                f.store.answer_approval("code-a", approve, LATER).unwrap(),
                ApprovalOutcome::Closed(ApprovalState::Approved)
            );
        }
        assert_eq!(row(&f, "code-a"), after_first);
        assert_eq!(f.audit().len(), 1);
        assert_eq!(f.events().len(), 1);
        assert_eq!(
            f.store.approval("code-a", LATER).unwrap().state,
            ApprovalState::Approved
        );
    }

    fn declining_expires_the_request_and_the_link_says_it_was_declined(store) {
        let f = fixture(store);
        pending(&f, "code-d", "approvalPending");
        let outcome = f.store.answer_approval("code-d", false, LATER).unwrap();
        let ApprovalOutcome::Declined(r) = outcome else {
            panic!("{outcome:?}");
        };
        assert_eq!(r.status, RelationshipStatus::Expired);
        assert_eq!(r.activated_date_time, None);
        assert_eq!(f.summary().0, "expired");
        assert_eq!(f.audit()[0].0, "declineAdminRelationship");
        assert_eq!(
            f.store.answer_approval("code-d", true, LATER).unwrap(),
            ApprovalOutcome::Closed(ApprovalState::Declined)
        );
        assert_eq!(f.column("code-d", "status").as_deref(), Some("expired"));
    }

    fn after_ninety_days_the_link_is_expired_even_before_the_sweep_and_refuses_an_answer(store) {
        let f = fixture(store);
        pending(&f, "code-old", "approvalPending");
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
        assert_eq!(
            f.column("code-old", "status").as_deref(),
            Some("approvalPending"),
            "nothing changed"
        );
        assert!(f.audit().is_empty());
        assert!(f.events().is_empty());
    }

    fn a_withdrawn_or_lapsed_request_reads_as_such(store) {
        let f = fixture(store);
        pending(&f, "code-t", "terminated");
        pending(&f, "code-e", "expired");
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
}
