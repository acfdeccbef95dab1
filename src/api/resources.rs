//! The sub-resources of a customer and of the partner: services, licenses, users, agents, ...

use serde::{Deserialize, Serialize};

use super::role::Role;

/// A service the customer subscribes to (Partner Center's Subscription).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub id: String,
    #[serde(default)]
    pub offer_id: String,
    #[serde(default)]
    pub offer_name: String,
    #[serde(default)]
    pub friendly_name: String,
    #[serde(default)]
    pub quantity: i64,
    #[serde(default)]
    pub unit_type: String,
    /// `active`, `suspended`, `deleted`, ...
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub auto_renew_enabled: bool,
    #[serde(default)]
    pub billing_cycle: String,
    #[serde(default)]
    pub term_duration: String,
    #[serde(default)]
    pub creation_date: String,
    #[serde(default)]
    pub commitment_end_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct ProductSku {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub sku_part_number: String,
}

/// Licenses of one product the customer holds (Partner Center's SubscribedSku).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribedSku {
    #[serde(default)]
    pub product_sku: ProductSku,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub active_units: i64,
    #[serde(default)]
    pub consumed_units: i64,
    #[serde(default)]
    pub suspended_units: i64,
    #[serde(default)]
    pub warning_units: i64,
}

impl SubscribedSku {
    pub fn available_units(&self) -> i64 {
        (self.active_units - self.consumed_units).max(0)
    }
}

/// One of the partner's own staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Agent {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// An indirect reseller linked to this partner (`relationship_type=IsIndirectCloudSolutionProviderOf`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PartnerRelationship {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub relationship_type: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub location: String,
}

/// `GET /v1/customers/relationshiprequests`: the partner's personalized invitation link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RelationshipRequest {
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PurchasePermission {
    pub allow_customer_purchase: bool,
}

/// Who did what, when, to which customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRecord {
    pub id: i64,
    #[serde(default)]
    pub agent_id: String,
    #[serde(default)]
    pub agent: String,
    #[serde(default)]
    pub customer_id: String,
    #[serde(default)]
    pub customer_name: String,
    pub operation_type: String,
    pub operation_date: String,
    /// What kind of thing changed: `customer`, `purchasePermission`, `invitationLink`, `user`, ...
    #[serde(default)]
    pub resource_type: String,
    /// The changed fields as they were, in plain words (`relationshipToPartner reseller`); empty
    /// when the thing did not exist before.
    #[serde(default)]
    pub before: String,
    /// The changed fields as they are now (`relationshipToPartner none`).
    #[serde(default)]
    pub after: String,
    /// Free text: what records written before `before`/`after` existed said, and notes.
    #[serde(default)]
    pub details: String,
}
