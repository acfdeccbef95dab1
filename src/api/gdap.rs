//! Granular delegated admin privileges (GDAP): a partner's admin access to a customer's tenant, as
//! Microsoft Graph shapes it (`delegatedAdminRelationship`, `delegatedAdminRelationshipRequest`,
//! `delegatedAdminAccessAssignment`), under `/v1/tenantRelationships` (DESIGN.md §3).
//!
//! Field names, status values and ISO 8601 durations are Graph's, so the dashboard can later talk
//! to the real service. cspdash's own additions are marked as such; Graph clients ignore them.

pub mod duration;
pub mod roles;
pub mod validate;

use serde::{Deserialize, Serialize};

pub use duration::{days_to_iso, iso_to_days};
pub use roles::{GLOBAL_ADMINISTRATOR, RoleInfo, Template};

/// Longest relationship a partner may request (two years).
pub const MAX_DURATION_DAYS: u32 = 730;
/// What the form proposes.
pub const DEFAULT_DURATION_DAYS: u32 = 730;
/// The only auto-extension Graph offers: six months at a time.
pub const AUTO_EXTEND_DAYS: u32 = 180;
/// An approval link that nobody answered expires the request after this many days.
pub const APPROVAL_DAYS: i64 = 90;
/// "expiring" on the list and the admin screen: active with this many days or fewer left.
pub const EXPIRING_DAYS: i64 = 30;
/// `displayName` is at most this many characters (Graph's limit).
pub const MAX_NAME_CHARS: usize = 50;
/// Most relationships one bulk request may name (the TUI splits larger selections).
pub const MAX_BULK_ITEMS: usize = 1000;

/// Graph's collection: `value`, and `@odata.nextLink` while more pages follow (an absolute URL
/// with `$skiptoken`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphCollection<T> {
    pub value: Vec<T>,
    #[serde(
        rename = "@odata.nextLink",
        default,
        skip_serializing_if = "Option::is_none"
    )]
    pub next_link: Option<String>,
}

impl<T> GraphCollection<T> {
    pub fn whole(value: Vec<T>) -> Self {
        Self {
            value,
            next_link: None,
        }
    }
}

/// `status` of a relationship. Unknown values (Graph adds some) read as `Unknown`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub enum RelationshipStatus {
    /// Made, not yet sent for approval: everything may still change.
    Created,
    /// Locked and waiting for the customer's Global admin (at most 90 days).
    ApprovalPending,
    Active,
    /// The partner asked to end it; the server ends it shortly after.
    TerminationRequested,
    Terminated,
    /// Ran out (end date, or the approval was declined or never came); can't be revived.
    Expired,
    #[serde(other)]
    Unknown,
}

impl RelationshipStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::ApprovalPending => "approvalPending",
            Self::Active => "active",
            Self::TerminationRequested => "terminationRequested",
            Self::Terminated => "terminated",
            Self::Expired => "expired",
            Self::Unknown => "unknownFutureValue",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [
            Self::Created,
            Self::ApprovalPending,
            Self::Active,
            Self::TerminationRequested,
            Self::Terminated,
            Self::Expired,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Over: nothing can change it any more.
    pub fn is_final(self) -> bool {
        matches!(self, Self::Terminated | Self::Expired)
    }
}

/// `{"roleDefinitionId": "<template GUID>"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnifiedRole {
    pub role_definition_id: String,
}

impl UnifiedRole {
    pub fn new(id: &str) -> Self {
        Self {
            role_definition_id: id.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AccessDetails {
    #[serde(default)]
    pub unified_roles: Vec<UnifiedRole>,
}

impl AccessDetails {
    pub fn of(ids: &[&str]) -> Self {
        Self {
            unified_roles: ids.iter().map(|id| UnifiedRole::new(id)).collect(),
        }
    }

    pub fn role_ids(&self) -> impl Iterator<Item = &str> {
        self.unified_roles
            .iter()
            .map(|r| r.role_definition_id.as_str())
    }

    pub fn includes_global_administrator(&self) -> bool {
        self.role_ids().any(|id| id == GLOBAL_ADMINISTRATOR)
    }
}

/// The customer side of a relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct RelationshipCustomer {
    /// In cspdash a customer's tenant id is its `companyProfile.tenantId`.
    pub tenant_id: String,
    #[serde(default)]
    pub display_name: String,
}

/// `delegatedAdminRelationship`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminRelationship {
    #[serde(
        rename = "@odata.etag",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub etag: String,
    pub id: String,
    pub display_name: String,
    /// ISO 8601, `P1D`..`P730D`.
    pub duration: String,
    /// `PT0S` (off) or `P180D`.
    #[serde(default = "duration::off")]
    pub auto_extend_duration: String,
    pub customer: RelationshipCustomer,
    #[serde(default)]
    pub access_details: AccessDetails,
    pub status: RelationshipStatus,
    pub created_date_time: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activated_date_time: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date_time: Option<String>,
    pub last_modified_date_time: String,
    /// cspdash: while `approvalPending`, the link the customer's Global admin opens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_url: Option<String>,
    /// cspdash: when it was sent for approval (the 90 days count from here).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_date_time: Option<String>,
    /// cspdash: how many access assignments (security group → roles) it has, so a list can show
    /// "active without any assignment" without one read per relationship.
    #[serde(default)]
    pub access_assignment_count: u32,
}

impl AdminRelationship {
    pub fn auto_extends(&self) -> bool {
        iso_to_days(&self.auto_extend_duration).is_some_and(|d| d > 0)
    }

    pub fn duration_days(&self) -> Option<u32> {
        iso_to_days(&self.duration)
    }
}

/// The body of `POST /delegatedAdminRelationships`. Fields default so the server can name what
/// is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct NewAdminRelationship {
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub duration: String,
    #[serde(default = "duration::off")]
    pub auto_extend_duration: String,
    #[serde(default)]
    pub customer: RelationshipCustomer,
    #[serde(default)]
    pub access_details: AccessDetails,
}

/// The body of `PATCH /delegatedAdminRelationships/{id}`: only what is sent changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AdminRelationshipPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_extend_duration: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_details: Option<AccessDetails>,
}

/// `action` of a `delegatedAdminRelationshipRequest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum RequestAction {
    LockForApproval,
    Terminate,
    /// Graph has it for the customer's side; partners can't send it (400).
    Approve,
    #[serde(other)]
    Unknown,
}

/// The body of `POST /delegatedAdminRelationships/{id}/requests`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewRelationshipRequest {
    pub action: RequestAction,
}

/// `delegatedAdminRelationshipRequest`: what `POST .../requests` answers (201).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelationshipRequest {
    pub id: String,
    pub action: RequestAction,
    /// `succeeded` here: cspdash applies the action before answering.
    pub status: String,
    pub created_date_time: String,
    pub last_modified_date_time: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct AccessContainer {
    pub access_container_id: String,
    /// Always `securityGroup`.
    #[serde(default = "security_group")]
    pub access_container_type: String,
}

fn security_group() -> String {
    "securityGroup".to_string()
}

impl AccessContainer {
    pub fn security_group(id: &str) -> Self {
        Self {
            access_container_id: id.to_string(),
            access_container_type: security_group(),
        }
    }
}

/// `delegatedAdminAccessAssignment`: roles of a relationship given to one of the partner's
/// security groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessAssignment {
    #[serde(
        rename = "@odata.etag",
        default,
        skip_serializing_if = "String::is_empty"
    )]
    pub etag: String,
    pub id: String,
    /// `active` (cspdash applies an assignment at once).
    pub status: String,
    pub access_container: AccessContainer,
    #[serde(default)]
    pub access_details: AccessDetails,
    /// cspdash: the security group's name, so a list needs no second read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_container_display_name: Option<String>,
    pub created_date_time: String,
    pub last_modified_date_time: String,
}

/// The body of `POST .../accessAssignments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct NewAccessAssignment {
    #[serde(default)]
    pub access_container: AccessContainer,
    #[serde(default)]
    pub access_details: AccessDetails,
}

/// One of the partner's security groups (`GET /v1/securitygroups`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecurityGroup {
    pub id: String,
    pub display_name: String,
}

/// One requestable Entra built-in role (`GET /v1/roledefinitions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDefinition {
    /// The role's template GUID.
    pub id: String,
    pub display_name: String,
    /// One line, in cspdash's words.
    pub description: String,
}

/// cspdash: a customer's admin access at a glance, on every customer the backend sends
/// (`adminAccess`): the best of its relationships by DESIGN.md §4's precedence — active (latest
/// end), else pending (newest request), else expired, else terminated, else none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminAccess {
    pub status: AdminAccessStatus,
    /// Active: when it ends (before any auto-extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_date_time: Option<String>,
    /// Pending: when it was sent for approval.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_date_time: Option<String>,
}

impl AdminAccess {
    pub fn none() -> Self {
        Self {
            status: AdminAccessStatus::None,
            end_date_time: None,
            requested_date_time: None,
        }
    }
}

/// The summary's status: a relationship status, or `none` when the customer has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AdminAccessStatus {
    Active,
    /// Pending approval (or created and not yet sent).
    Pending,
    Expired,
    Terminated,
    #[serde(other)]
    None,
}

impl AdminAccessStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Pending => "pending",
            Self::Expired => "expired",
            Self::Terminated => "terminated",
            Self::None => "none",
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "active" => Self::Active,
            "pending" => Self::Pending,
            "expired" => Self::Expired,
            "terminated" => Self::Terminated,
            _ => Self::None,
        }
    }
}

/// What a bulk request does to each relationship it names (`POST
/// /v1/tenantRelationships/delegatedAdminRelationships/bulk`, a cspdash extension: one request
/// for up to [`MAX_BULK_ITEMS`] relationships, answered with one result per item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "action",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
pub enum BulkAction {
    /// Auto-extend by 180 days; relationships with Global Administrator are skipped.
    EnableAutoExtend,
    /// Stop auto-extending (cspdash: what `admin-relationships auto-extend off` sends); ones
    /// that don't auto-extend are skipped.
    DisableAutoExtend,
    /// Active → terminationRequested → terminated; pending or created ones are ended too.
    Terminate,
    /// A new relationship with the same customer and roles, locked for approval (its
    /// `approvalUrl` is in the result).
    RequestAgain {
        /// Days; the old relationship's duration when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_days: Option<u32>,
    },
    /// Gives `roles` (those each relationship grants) to the security group.
    AssignSecurityGroup {
        security_group_id: String,
        roles: Vec<String>,
    },
}

/// The body of a bulk request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkRequest {
    #[serde(flatten)]
    pub action: BulkAction,
    pub items: Vec<BulkItem>,
}

/// One relationship of a bulk request; with `etag`, it is changed only if nobody changed it since.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkItem {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

/// How one item of a bulk request ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum BulkOutcome {
    Succeeded,
    /// Nothing to do or not allowed for this one (the message says why); others went ahead.
    Skipped,
    Failed,
}

/// One result of a bulk request, in the order of the items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BulkResult {
    pub id: String,
    pub outcome: BulkOutcome,
    /// The HTTP status this item alone would have had (200, 201, 400, 404, 409, 412).
    pub status: u16,
    /// Why it was skipped or failed, in one sentence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The relationship as it is now; for `requestAgain`, the new one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship: Option<AdminRelationship>,
}

/// `<company> admin access <yyyy-mm>`, the company cut so the whole fits the name's limit.
pub fn default_relationship_name(company: &str, today: chrono::NaiveDate) -> String {
    let tail = format!(" admin access {}", today.format("%Y-%m"));
    let room = MAX_NAME_CHARS.saturating_sub(tail.chars().count());
    let company = crate::sanitize::sanitize(company);
    let company: String = company.trim().chars().take(room).collect();
    format!("{}{tail}", company.trim_end())
}

#[cfg(test)]
mod tests;
