//! A customer account as Partner Center shapes it.

use serde::{Deserialize, Serialize};

use super::page::Attributes;

/// Where a customer stands with this partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Relationship {
    /// The partner is the customer's reseller.
    #[default]
    Reseller,
    /// The relationship was ended.
    None,
    /// A value this build does not know (a newer backend); shown as-is rather than failing.
    #[serde(other)]
    Unknown,
}

impl Relationship {
    pub fn as_str(self) -> &'static str {
        match self {
            Relationship::Reseller => "reseller",
            Relationship::None => "none",
            Relationship::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CompanyProfile {
    #[serde(default)]
    pub tenant_id: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub company_name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    #[serde(default)]
    pub country: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub region: String,
    #[serde(default)]
    pub city: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub state: String,
    #[serde(default)]
    pub address_line1: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub address_line2: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub first_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub last_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone_number: String,
}

/// The billing contact and address of a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct BillingProfile {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub first_name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub last_name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub culture: String,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub company_name: String,
    #[serde(default)]
    pub default_address: Address,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Customer {
    pub id: String,
    #[serde(default)]
    pub company_profile: CompanyProfile,
    #[serde(default)]
    pub billing_profile: BillingProfile,
    #[serde(default)]
    pub relationship_to_partner: Relationship,
    /// False when the customer removed the partner's admin permissions (delegated admin).
    #[serde(default = "default_true")]
    pub allow_delegated_access: bool,
    /// The indirect reseller this customer is linked to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub associated_partner_id: Option<String>,
    /// Display name of that indirect reseller (a cspdash addition; Partner Center sends only the id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub associated_partner_name: Option<String>,
    /// cspdash: the best of the customer's admin relationships (GDAP), for the list's admin
    /// column; absent from backends that don't send it (then `allowDelegatedAccess` is all there is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_access: Option<super::gdap::AdminAccess>,
    #[serde(default = "Attributes::customer")]
    pub attributes: Attributes,
}

fn default_true() -> bool {
    true
}

/// The body of `POST /v1/customers`. Fields default to empty so the server can name what is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct NewCustomer {
    #[serde(default)]
    pub company_profile: NewCompanyProfile,
    #[serde(default)]
    pub billing_profile: BillingProfile,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub associated_partner_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct NewCompanyProfile {
    #[serde(default)]
    pub domain: String,
}

/// The body of `PATCH /v1/customers/{id}`: ends (`none`) or reinstates (`reseller`) the relationship.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct CustomerPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub relationship_to_partner: Option<Relationship>,
}
