//! Roles and the permission matrix (DESIGN.md §3). The server enforces it; the TUI uses the same table
//! to grey out what the signed-in role may not do and to say which roles may.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    GlobalAdmin,
    AdminAgent,
    SalesAgent,
    HelpdeskAgent,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::GlobalAdmin,
        Role::AdminAgent,
        Role::SalesAgent,
        Role::HelpdeskAgent,
    ];

    /// The wire and command-line spelling: `global-admin`, `admin-agent`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Role::GlobalAdmin => "global-admin",
            Role::AdminAgent => "admin-agent",
            Role::SalesAgent => "sales-agent",
            Role::HelpdeskAgent => "helpdesk-agent",
        }
    }

    /// How the portal names the role.
    pub fn title(self) -> &'static str {
        match self {
            Role::GlobalAdmin => "Global admin",
            Role::AdminAgent => "Admin agent",
            Role::SalesAgent => "Sales agent",
            Role::HelpdeskAgent => "Helpdesk agent",
        }
    }

    /// "Sales agents": how a refusal names everyone with the role.
    pub fn plural(self) -> &'static str {
        match self {
            Role::GlobalAdmin => "Global admins",
            Role::AdminAgent => "Admin agents",
            Role::SalesAgent => "Sales agents",
            Role::HelpdeskAgent => "Helpdesk agents",
        }
    }

    /// "an Admin agent": one person with the role, as a refusal says whom to ask.
    pub fn one(self) -> &'static str {
        match self {
            Role::GlobalAdmin => "a Global admin",
            Role::AdminAgent => "an Admin agent",
            Role::SalesAgent => "a Sales agent",
            Role::HelpdeskAgent => "a Helpdesk agent",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn may(self, permission: Permission) -> bool {
        permission.roles().contains(&self)
    }

    /// Everything this role may do, as listed in `GET /v1/me`'s `can`.
    pub fn permissions(self) -> Vec<Permission> {
        Permission::ALL
            .into_iter()
            .filter(|p| self.may(*p))
            .collect()
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.title())
    }
}

/// One row of the role matrix: an action some roles may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Permission {
    #[serde(rename = "customers.read")]
    CustomersRead,
    #[serde(rename = "customers.create")]
    CustomersCreate,
    /// End or reinstate a relationship.
    #[serde(rename = "customers.update")]
    CustomersUpdate,
    /// Get the personalized invitation link; list indirect resellers.
    #[serde(rename = "relationships.request")]
    RelationshipsRequest,
    /// Replace the general invitation link with a new one (the old one stops working).
    #[serde(rename = "relationships.rotate")]
    RelationshipsRotate,
    #[serde(rename = "purchasepermission.update")]
    PurchasePermissionUpdate,
    #[serde(rename = "users.manage")]
    UsersManage,
    #[serde(rename = "supportcontacts.update")]
    SupportContactsUpdate,
    #[serde(rename = "servicerequests.manage")]
    ServiceRequestsManage,
    #[serde(rename = "auditrecords.read")]
    AuditRecordsRead,
    /// Create, change, terminate admin relationships (GDAP) and assign their roles.
    #[serde(rename = "adminrelationships.manage")]
    AdminRelationshipsManage,
}

use Role::{AdminAgent as AA, GlobalAdmin as GA, HelpdeskAgent as HA, SalesAgent as SA};

impl Permission {
    pub const ALL: [Permission; 11] = [
        Permission::CustomersRead,
        Permission::CustomersCreate,
        Permission::CustomersUpdate,
        Permission::RelationshipsRequest,
        Permission::RelationshipsRotate,
        Permission::PurchasePermissionUpdate,
        Permission::UsersManage,
        Permission::SupportContactsUpdate,
        Permission::ServiceRequestsManage,
        Permission::AuditRecordsRead,
        Permission::AdminRelationshipsManage,
    ];

    /// The roles that may do this (DESIGN.md §3).
    pub fn roles(self) -> &'static [Role] {
        match self {
            Permission::CustomersRead => &[GA, AA, SA, HA],
            Permission::CustomersCreate | Permission::RelationshipsRequest => &[GA, AA, SA],
            Permission::CustomersUpdate
            | Permission::RelationshipsRotate
            | Permission::PurchasePermissionUpdate
            | Permission::UsersManage
            | Permission::SupportContactsUpdate
            | Permission::AuditRecordsRead
            | Permission::AdminRelationshipsManage => &[GA, AA],
            Permission::ServiceRequestsManage => &[GA, AA, HA],
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Permission::CustomersRead => "customers.read",
            Permission::CustomersCreate => "customers.create",
            Permission::CustomersUpdate => "customers.update",
            Permission::RelationshipsRequest => "relationships.request",
            Permission::RelationshipsRotate => "relationships.rotate",
            Permission::PurchasePermissionUpdate => "purchasepermission.update",
            Permission::UsersManage => "users.manage",
            Permission::SupportContactsUpdate => "supportcontacts.update",
            Permission::ServiceRequestsManage => "servicerequests.manage",
            Permission::AuditRecordsRead => "auditrecords.read",
            Permission::AdminRelationshipsManage => "adminrelationships.manage",
        }
    }

    /// What the permission lets one do, as a refusal says it ("end relationships").
    pub fn action(self) -> &'static str {
        match self {
            Permission::CustomersRead => "see customers",
            Permission::CustomersCreate => "add customers",
            Permission::CustomersUpdate => "end relationships",
            Permission::RelationshipsRequest => "request relationships",
            Permission::RelationshipsRotate => "replace the invitation link",
            Permission::PurchasePermissionUpdate => "change purchase permission",
            Permission::UsersManage => "manage users and licenses",
            Permission::SupportContactsUpdate => "change support contacts",
            Permission::ServiceRequestsManage => "open service requests",
            Permission::AuditRecordsRead => "read the audit log",
            Permission::AdminRelationshipsManage => "change admin relationships",
        }
    }

    /// Why `role` may not and whom to ask, in one sentence for the status line and `?`:
    /// "Sales agents can't end relationships: ask a Global admin or an Admin agent".
    pub fn refusal(self, role: Role) -> String {
        let ask: Vec<&str> = self.roles().iter().map(|r| r.one()).collect();
        let ask = match ask.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {}", rest.join(", "), last),
            Some((last, _)) => (*last).to_string(),
            None => "nobody may".to_string(),
        };
        format!("{} can't {}: ask {ask}", role.plural(), self.action())
    }

    /// "Global admin, Admin agent or Sales agent" — for 403 bodies and the TUI's explanations.
    pub fn roles_sentence(self) -> String {
        let titles: Vec<&str> = self.roles().iter().map(|r| r.title()).collect();
        match titles.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {}", rest.join(", "), last),
            Some((last, _)) => (*last).to_string(),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpdesk_may_not_create_customers_and_the_sentence_names_who_may() {
        assert!(!Role::HelpdeskAgent.may(Permission::CustomersCreate));
        assert_eq!(
            Permission::CustomersCreate.roles_sentence(),
            "Global admin, Admin agent or Sales agent"
        );
    }

    #[test]
    fn a_refusal_names_the_role_the_action_and_whom_to_ask() {
        assert_eq!(
            Permission::CustomersUpdate.refusal(Role::SalesAgent),
            "Sales agents can't end relationships: ask a Global admin or an Admin agent"
        );
        assert_eq!(
            Permission::CustomersCreate.refusal(Role::HelpdeskAgent),
            "Helpdesk agents can't add customers: ask a Global admin, an Admin agent or a Sales agent"
        );
    }

    #[test]
    fn roles_round_trip_through_their_wire_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
            let json = serde_json::to_string(&role).expect("serialize");
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
    }
}
