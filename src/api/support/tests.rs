use super::*;

fn new(title: &str, description: &str, severity: Option<Severity>) -> NewServiceRequest {
    NewServiceRequest {
        title: title.into(),
        description: description.into(),
        severity,
        contact: None,
    }
}

#[test]
fn a_good_request_is_trimmed_and_keeps_its_line_breaks() {
    let checked = check_new_service_request(&new(
        "  Cannot sign in ",
        "Since Monday:\r\n\tevery user\n",
        Some(Severity::Critical),
    ))
    .expect("valid");
    assert_eq!(checked.title, "Cannot sign in");
    assert_eq!(checked.description, "Since Monday:\n\tevery user");
    assert_eq!(checked.severity, Severity::Critical);
}

#[test]
fn each_rule_names_its_field() {
    let field = |n: NewServiceRequest| check_new_service_request(&n).err().map(|e| e.field);
    let title = |t: &str| new(t, "", Some(Severity::Minimal));
    assert_eq!(field(title(" ")).as_deref(), Some(TITLE));
    assert_eq!(field(title(&"x".repeat(121))).as_deref(), Some(TITLE));
    assert!(
        field(title(&"ü".repeat(120))).is_none(),
        "120 characters fit"
    );
    assert_eq!(field(title("a\u{1b}[2Jb")).as_deref(), Some(TITLE));
    assert_eq!(field(title("a\nb")).as_deref(), Some(TITLE));
    let long = new("t", &"d".repeat(4001), Some(Severity::Minimal));
    assert_eq!(field(long).as_deref(), Some(DESCRIPTION));
    let bidi = new("t", "a\u{202e}b", Some(Severity::Minimal));
    assert_eq!(field(bidi).as_deref(), Some(DESCRIPTION));
    assert_eq!(field(new("t", "", None)).as_deref(), Some(SEVERITY));
    assert_eq!(
        field(new("t", "", Some(Severity::Unknown))).as_deref(),
        Some(SEVERITY)
    );
    let mut blank_contact = new("t", "", Some(Severity::Moderate));
    blank_contact.contact = Some(SupportContact::agent(" "));
    assert_eq!(field(blank_contact).as_deref(), Some(CONTACT_AGENT_ID));
}

#[test]
fn an_unknown_severity_or_status_from_a_newer_backend_still_reads() {
    let json = r#"{"id":"1","title":"t","severity":"catastrophic","status":"escalated"}"#;
    let read: ServiceRequest = serde_json::from_str(json).expect("reads");
    assert_eq!(read.severity, Severity::Unknown);
    assert_eq!(read.status, ServiceRequestStatus::Unknown);
    let sent = serde_json::to_value(new("t", "", Some(Severity::Moderate))).expect("json");
    assert_eq!(sent["severity"], "moderate");
}

#[test]
fn support_contacts_are_capped_and_a_bad_one_is_named_by_its_index() {
    let ids = |list: &[&str]| SupportContacts::of_agents(list).checked_agent_ids();
    assert_eq!(
        ids(&[" a ", "b"]).ok(),
        Some(vec!["a".to_string(), "b".to_string()])
    );
    assert_eq!(
        ids(&["a", ""]).err().map(|e| e.field).as_deref(),
        Some("items[1].agentId")
    );
    assert_eq!(
        ids(&["a", "b", "a"]).err().map(|e| e.field).as_deref(),
        Some("items[2].agentId")
    );
    let eleven: Vec<String> = (0..11).map(|n| n.to_string()).collect();
    let refused = SupportContacts::of_agents(&eleven)
        .checked_agent_ids()
        .expect_err("too many");
    assert_eq!(refused.field, "items");
    assert!(
        refused.message.contains("at most 10"),
        "{}",
        refused.message
    );
    assert_eq!(
        ids(&[]).ok(),
        Some(Vec::new()),
        "no contacts is a valid set"
    );
}
