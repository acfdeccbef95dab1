//! The Entra built-in roles a partner can request in an admin relationship, by their stable
//! template GUIDs (Microsoft's public "Microsoft Entra built-in roles" reference), each with a
//! line in plain words for the form and the customer's approval page, and the templates the
//! request form offers.

/// Global Administrator: everything. Auto-extend is refused while a relationship includes it.
pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";

/// One requestable role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleInfo {
    /// The role's template GUID (`roleDefinitionId`).
    pub id: &'static str,
    pub name: &'static str,
    /// What the role lets the partner do in the customer's tenant, in one line.
    pub description: &'static str,
}

const fn role(id: &'static str, name: &'static str, description: &'static str) -> RoleInfo {
    RoleInfo {
        id,
        name,
        description,
    }
}

pub const DIRECTORY_READERS: &str = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";
pub const GLOBAL_READER: &str = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
pub const HELPDESK_ADMINISTRATOR: &str = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
pub const SERVICE_SUPPORT_ADMINISTRATOR: &str = "f023fd81-a637-4b56-95fd-791ac0226033";
pub const USER_ADMINISTRATOR: &str = "fe930be7-5e62-47db-91af-98c3a49a38b1";
pub const LICENSE_ADMINISTRATOR: &str = "4d6ac14f-3453-41d0-bef9-a3e0c569773a";
pub const GROUPS_ADMINISTRATOR: &str = "fdd7a751-b60b-444a-984c-02652fe8fa1c";
pub const SECURITY_READER: &str = "5d6b6bb7-de71-4623-b4af-96380a352509";
pub const REPORTS_READER: &str = "4a5d8f65-41da-4de4-8968-e035b65339cf";
pub const EXCHANGE_ADMINISTRATOR: &str = "29232cdf-9323-42fd-ade2-1d097af3e4de";
pub const SHAREPOINT_ADMINISTRATOR: &str = "f28a1f50-f6e7-4571-818b-6a12f2af6b6c";
pub const TEAMS_ADMINISTRATOR: &str = "69091246-20e8-4a56-aa4d-066075b2a7a8";
pub const INTUNE_ADMINISTRATOR: &str = "3a2c62db-5318-420d-8d74-23affee5d9d5";
pub const SECURITY_ADMINISTRATOR: &str = "194ae4cb-b126-40b2-bd5b-6091b380977d";
pub const BILLING_ADMINISTRATOR: &str = "b0f54661-2d74-4c50-afa3-1ec803f12efe";
pub const PASSWORD_ADMINISTRATOR: &str = "966707d0-3269-4727-9be2-8c3a10f19b9d";
pub const APPLICATION_ADMINISTRATOR: &str = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
pub const CLOUD_APPLICATION_ADMINISTRATOR: &str = "158c047a-c907-4556-b7ef-446551a6b5f7";
pub const CONDITIONAL_ACCESS_ADMINISTRATOR: &str = "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9";
pub const AUTHENTICATION_ADMINISTRATOR: &str = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
pub const COMPLIANCE_ADMINISTRATOR: &str = "17315797-102d-40b4-93e0-432062caca18";
pub const CLOUD_DEVICE_ADMINISTRATOR: &str = "7698a772-787b-4ac8-901f-60d6b08affd2";
pub const POWER_PLATFORM_ADMINISTRATOR: &str = "11648597-926c-4cf3-9c36-bcebb0ba8dcc";
pub const TEAMS_COMMUNICATIONS_ADMINISTRATOR: &str = "baf37b3a-610e-45da-9e62-d9d1e5e8914b";
pub const SECURITY_OPERATOR: &str = "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f";
pub const MESSAGE_CENTER_READER: &str = "790c1fb9-7f7d-4f88-86a1-ef1f95c05c1b";
pub const PRIVILEGED_ROLE_ADMINISTRATOR: &str = "e8611ab8-c189-46e8-94e1-60213ab1f814";
pub const PRIVILEGED_AUTHENTICATION_ADMINISTRATOR: &str = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";

/// Every role a relationship may request, in the order the picker lists them (readers first,
/// then by reach; Global Administrator last, as the one to think twice about).
pub const REQUESTABLE: &[RoleInfo] = &[
    role(
        DIRECTORY_READERS,
        "Directory Readers",
        "See users, groups and other basic directory information",
    ),
    role(
        GLOBAL_READER,
        "Global Reader",
        "See every setting and report in the tenant, change nothing",
    ),
    role(
        REPORTS_READER,
        "Reports Reader",
        "See usage and activity reports",
    ),
    role(
        MESSAGE_CENTER_READER,
        "Message Center Reader",
        "Read service announcements in the message center",
    ),
    role(
        SECURITY_READER,
        "Security Reader",
        "See security alerts, settings and reports, change nothing",
    ),
    role(
        SERVICE_SUPPORT_ADMINISTRATOR,
        "Service Support Administrator",
        "Open and follow Microsoft support requests, read service health",
    ),
    role(
        HELPDESK_ADMINISTRATOR,
        "Helpdesk Administrator",
        "Reset passwords and sign-ins of users who are not admins",
    ),
    role(
        PASSWORD_ADMINISTRATOR,
        "Password Administrator",
        "Reset passwords of users and of password admins",
    ),
    role(
        LICENSE_ADMINISTRATOR,
        "License Administrator",
        "Assign and remove product licenses of users and groups",
    ),
    role(
        USER_ADMINISTRATOR,
        "User Administrator",
        "Create and manage users and groups, reset most passwords",
    ),
    role(
        GROUPS_ADMINISTRATOR,
        "Groups Administrator",
        "Create and manage groups and their settings",
    ),
    role(
        AUTHENTICATION_ADMINISTRATOR,
        "Authentication Administrator",
        "Manage sign-in methods of users who are not admins",
    ),
    role(
        BILLING_ADMINISTRATOR,
        "Billing Administrator",
        "Buy, manage subscriptions, handle invoices and payments",
    ),
    role(
        EXCHANGE_ADMINISTRATOR,
        "Exchange Administrator",
        "Manage mailboxes, mail flow and Exchange Online settings",
    ),
    role(
        SHAREPOINT_ADMINISTRATOR,
        "SharePoint Administrator",
        "Manage SharePoint sites, OneDrive and their sharing",
    ),
    role(
        TEAMS_ADMINISTRATOR,
        "Teams Administrator",
        "Manage Microsoft Teams, meetings and calling",
    ),
    role(
        TEAMS_COMMUNICATIONS_ADMINISTRATOR,
        "Teams Communications Administrator",
        "Manage calling and meetings in Teams",
    ),
    role(
        INTUNE_ADMINISTRATOR,
        "Intune Administrator",
        "Manage devices, apps and their policies in Intune",
    ),
    role(
        CLOUD_DEVICE_ADMINISTRATOR,
        "Cloud Device Administrator",
        "Enable, disable and remove devices in the directory",
    ),
    role(
        POWER_PLATFORM_ADMINISTRATOR,
        "Power Platform Administrator",
        "Manage Power Apps, Power Automate and Dataverse environments",
    ),
    role(
        APPLICATION_ADMINISTRATOR,
        "Application Administrator",
        "Register and manage applications and enterprise apps",
    ),
    role(
        CLOUD_APPLICATION_ADMINISTRATOR,
        "Cloud Application Administrator",
        "Manage enterprise apps and registrations, without app proxy",
    ),
    role(
        COMPLIANCE_ADMINISTRATOR,
        "Compliance Administrator",
        "Manage compliance, retention and data-loss policies",
    ),
    role(
        SECURITY_OPERATOR,
        "Security Operator",
        "Investigate and respond to security alerts",
    ),
    role(
        SECURITY_ADMINISTRATOR,
        "Security Administrator",
        "Manage security settings, policies and alerts",
    ),
    role(
        CONDITIONAL_ACCESS_ADMINISTRATOR,
        "Conditional Access Administrator",
        "Manage the rules that decide who may sign in from where",
    ),
    role(
        PRIVILEGED_AUTHENTICATION_ADMINISTRATOR,
        "Privileged Authentication Administrator",
        "Manage sign-in methods of every user, admins included",
    ),
    role(
        PRIVILEGED_ROLE_ADMINISTRATOR,
        "Privileged Role Administrator",
        "Give anyone any admin role: as powerful as Global Administrator",
    ),
    role(
        GLOBAL_ADMINISTRATOR,
        "Global Administrator",
        "Everything in the tenant; prevents auto-extend",
    ),
];

/// The role with template GUID `id`, if it can be requested.
pub fn find(id: &str) -> Option<&'static RoleInfo> {
    REQUESTABLE.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Its name, or the id itself for a role this build does not know (a backend may know more).
pub fn name_of(id: &str) -> &str {
    find(id).map_or(id, |r| r.name)
}

/// A set of roles the form offers by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Template {
    pub name: &'static str,
    pub roles: &'static [&'static str],
}

pub const LEAST_PRIVILEGE_HELPDESK: Template = Template {
    name: "Least privilege helpdesk",
    roles: &[
        DIRECTORY_READERS,
        GLOBAL_READER,
        SERVICE_SUPPORT_ADMINISTRATOR,
        HELPDESK_ADMINISTRATOR,
    ],
};

/// The templates, the form's default first.
pub const TEMPLATES: &[Template] = &[
    LEAST_PRIVILEGE_HELPDESK,
    Template {
        name: "User and license management",
        roles: &[
            DIRECTORY_READERS,
            USER_ADMINISTRATOR,
            LICENSE_ADMINISTRATOR,
            GROUPS_ADMINISTRATOR,
            HELPDESK_ADMINISTRATOR,
        ],
    },
    Template {
        name: "Security reader",
        roles: &[
            DIRECTORY_READERS,
            GLOBAL_READER,
            SECURITY_READER,
            REPORTS_READER,
        ],
    },
    Template {
        name: "Full admin without Global Administrator",
        roles: &[
            GLOBAL_READER,
            USER_ADMINISTRATOR,
            LICENSE_ADMINISTRATOR,
            GROUPS_ADMINISTRATOR,
            AUTHENTICATION_ADMINISTRATOR,
            BILLING_ADMINISTRATOR,
            EXCHANGE_ADMINISTRATOR,
            SHAREPOINT_ADMINISTRATOR,
            TEAMS_ADMINISTRATOR,
            INTUNE_ADMINISTRATOR,
            APPLICATION_ADMINISTRATOR,
            SECURITY_ADMINISTRATOR,
            CONDITIONAL_ACCESS_ADMINISTRATOR,
            SERVICE_SUPPORT_ADMINISTRATOR,
        ],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_is_listed_once_with_a_guid_and_one_short_line() {
        let mut seen = std::collections::HashSet::new();
        for r in REQUESTABLE {
            assert!(seen.insert(r.id), "{} listed twice", r.name);
            assert_eq!(r.id.len(), 36, "{}", r.name);
            assert_eq!(r.id.matches('-').count(), 4, "{}", r.name);
            assert!(r.description.len() <= 70, "{}: {}", r.name, r.description);
        }
        assert_eq!(
            find(GLOBAL_ADMINISTRATOR).map(|r| r.name),
            Some("Global Administrator")
        );
    }

    #[test]
    fn templates_use_known_roles_and_none_has_global_administrator() {
        for t in TEMPLATES {
            for id in t.roles {
                assert!(find(id).is_some(), "{}: unknown {id}", t.name);
            }
            assert!(!t.roles.contains(&GLOBAL_ADMINISTRATOR), "{}", t.name);
        }
        assert_eq!(TEMPLATES[0], LEAST_PRIVILEGE_HELPDESK);
    }
}
