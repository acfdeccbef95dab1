#![allow(clippy::unwrap_used)]

use super::validate::{self, check_new};
use super::*;

fn request(roles: &[&str], auto_extend: &str) -> NewAdminRelationship {
    NewAdminRelationship {
        display_name: "  Contoso helpdesk ".into(),
        duration: "P730D".into(),
        auto_extend_duration: auto_extend.into(),
        customer: RelationshipCustomer {
            tenant_id: "t-1".into(),
            display_name: String::new(),
        },
        access_details: AccessDetails::of(roles),
    }
}

#[test]
fn a_sensible_request_passes_trimmed() {
    let checked = check_new(&request(roles::LEAST_PRIVILEGE_HELPDESK.roles, "P180D")).unwrap();
    assert_eq!(checked.display_name, "Contoso helpdesk");
    assert_eq!(checked.duration_days, 730);
    assert_eq!(checked.auto_extend_days, 180);
    assert_eq!(checked.role_ids.len(), 4);
}

#[test]
fn each_rule_names_its_field() {
    let ga = request(&[GLOBAL_ADMINISTRATOR], "P180D");
    assert_eq!(check_new(&ga).unwrap_err().field, validate::AUTO_EXTEND);
    let mut long = request(&[roles::DIRECTORY_READERS], "PT0S");
    long.duration = "P731D".into();
    assert_eq!(check_new(&long).unwrap_err().field, validate::DURATION);
    let unknown = request(
        &[
            roles::DIRECTORY_READERS,
            "00000000-0000-0000-0000-000000000000",
        ],
        "PT0S",
    );
    assert_eq!(
        check_new(&unknown).unwrap_err().field,
        "accessDetails.unifiedRoles[1].roleDefinitionId"
    );
    let mut name = request(&[roles::DIRECTORY_READERS], "PT0S");
    name.display_name = "x".repeat(51);
    assert_eq!(check_new(&name).unwrap_err().field, validate::DISPLAY_NAME);
    let none = request(&[], "PT0S");
    assert_eq!(check_new(&none).unwrap_err().field, validate::ROLES);
}

#[test]
fn relationship_reads_graphs_json_and_ignores_unknown_fields() {
    let json = r#"{"@odata.etag":"W/\"1\"","id":"r1","displayName":"n","duration":"P730D",
        "autoExtendDuration":"P180D","customer":{"tenantId":"t","displayName":"C"},
        "accessDetails":{"unifiedRoles":[{"roleDefinitionId":"x"}]},"status":"approved",
        "createdDateTime":"2026-01-01T00:00:00Z","lastModifiedDateTime":"2026-01-01T00:00:00Z",
        "partner":{"tenantId":"p"}}"#;
    let r: AdminRelationship = serde_json::from_str(json).unwrap();
    assert_eq!(r.status, RelationshipStatus::Unknown);
    assert!(r.auto_extends());
    assert_eq!(r.etag, "W/\"1\"");
}

#[test]
fn a_bulk_request_is_flat_with_its_action() {
    let body = BulkRequest {
        action: BulkAction::AssignSecurityGroup {
            security_group_id: "g".into(),
            roles: vec!["r".into()],
        },
        items: vec![BulkItem {
            id: "a".into(),
            etag: None,
        }],
    };
    let json = serde_json::to_value(&body).unwrap();
    assert_eq!(json["action"], "assignSecurityGroup");
    assert_eq!(json["securityGroupId"], "g");
    let back: BulkRequest = serde_json::from_value(json).unwrap();
    assert_eq!(back, body);
}
