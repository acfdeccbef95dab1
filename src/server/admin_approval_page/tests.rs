#![allow(clippy::unwrap_used)]

use super::*;
use crate::api::gdap::roles::{GLOBAL_READER, HELPDESK_ADMINISTRATOR};
use crate::api::gdap::{AccessDetails, RelationshipCustomer, RelationshipStatus};

fn approval(name: &str, partner: &str, roles: &[&str], auto_extend: &str) -> Approval {
    Approval {
        partner_id: "p".into(),
        partner_name: partner.into(),
        state: ApprovalState::Open,
        relationship: AdminRelationship {
            etag: String::new(),
            id: "r".into(),
            display_name: name.into(),
            duration: "P365D".into(),
            auto_extend_duration: auto_extend.into(),
            customer: RelationshipCustomer {
                tenant_id: "t".into(),
                display_name: "Fourth Coffee <Ltd>".into(),
            },
            access_details: AccessDetails::of(roles),
            status: RelationshipStatus::ApprovalPending,
            created_date_time: "2026-01-10T08:00:00Z".into(),
            activated_date_time: None,
            end_date_time: None,
            last_modified_date_time: "2026-01-10T08:00:00Z".into(),
            approval_url: None,
            locked_date_time: Some("2026-01-10T08:00:00Z".into()),
            access_assignment_count: 0,
        },
    }
}

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-01-20T09:30:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn the_form_says_who_asks_for_what_for_how_long_and_who_answers() {
    let a = approval(
        "Helpdesk",
        "Contoso Partner",
        &[HELPDESK_ADMINISTRATOR, GLOBAL_READER],
        "P180D",
    );
    let html = form(&a, "the-code", "tok", now(), None).into_string();
    assert!(html.contains("Approve admin access for Contoso Partner"));
    assert!(html.contains("<strong>Helpdesk Administrator</strong>: Reset passwords"));
    assert!(html.contains("<strong>Global Reader</strong>: See every setting"));
    assert!(html.contains("365 days"));
    assert!(html.contains("20 January 2027"), "end if approved today");
    assert!(html.contains("extends itself by 180 days"));
    assert!(html.contains("a Global administrator of Fourth Coffee &lt;Ltd&gt;"));
    assert!(html.contains("can remove this access at any time"));
    assert!(html.contains("lapses on 10 April 2026"));
    assert!(html.contains(r#"action="/admin-approval/the-code/approve""#));
    assert!(html.contains(r#"action="/admin-approval/the-code/decline""#));
    assert_eq!(html.matches(r#"name="csrf" value="tok""#).count(), 2);
    assert!(!html.contains("<script"));
    assert!(!html.contains("Global Administrator</strong>: full control"));
}

#[test]
fn every_name_is_escaped_and_global_administrator_is_called_out() {
    let a = approval(
        "<img src=x onerror=alert(1)>",
        "Evil & <b>Partner</b>",
        &[crate::api::gdap::GLOBAL_ADMINISTRATOR, "not-a-known-role"],
        "PT0S",
    );
    let html = form(&a, "c", "t", now(), None).into_string();
    assert!(!html.contains("<img"), "{html}");
    assert!(!html.contains("<b>Partner"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(html.contains("Evil &amp; &lt;b&gt;Partner&lt;/b&gt;"));
    assert!(html.contains("full control of your tenant"));
    assert!(html.contains("<strong>not-a-known-role</strong>: a role this page cannot describe"));
    assert!(html.contains("does not extend itself"));
}

#[test]
fn each_closed_state_says_which() {
    let a = approval("Helpdesk", "Contoso Partner", &[GLOBAL_READER], "PT0S");
    for (state, words) in [
        (ApprovalState::Approved, "already approved"),
        (ApprovalState::Declined, "was declined"),
        (ApprovalState::Expired, "has expired"),
        (ApprovalState::Withdrawn, "was withdrawn"),
    ] {
        let html = closed(&a, state).into_string();
        assert!(html.contains(words), "{state:?}: {html}");
    }
}

#[test]
fn an_approved_link_whose_relationship_ended_says_so() {
    let mut a = approval("Helpdesk", "Contoso Partner", &[GLOBAL_READER], "PT0S");
    a.relationship.status = RelationshipStatus::Active;
    let open = closed(&a, ApprovalState::Approved).into_string();
    assert!(open.contains("can remove this access") && !open.contains("since ended"));
    a.relationship.status = RelationshipStatus::Expired;
    let ended = closed(&a, ApprovalState::Approved).into_string();
    assert!(ended.contains("It has since ended (expired)"), "{ended}");
    assert!(ended.contains("must send a new request"));
}
