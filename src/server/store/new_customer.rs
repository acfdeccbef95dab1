//! A customer row about to be inserted, and what both stores answer about it: the same row and the
//! same words on SQLite and PostgreSQL, whichever path makes the customer (a partner's POST, an
//! accepted invitation, the demo seed).

use super::{Acceptance, StoreError, StoreResult};
use crate::api::{Address, BillingProfile, Relationship};

pub struct NewRow<'a> {
    pub id: String,
    pub tenant_id: String,
    pub domain: &'a str,
    pub billing: &'a BillingProfile,
    pub relationship: Relationship,
    pub allow_delegated_access: bool,
    pub associated_partner_id: Option<&'a str>,
}

impl<'a> NewRow<'a> {
    /// A new customer of the partner as a reseller with delegated admin access (a new tenant).
    pub fn reseller(
        id: String,
        domain: &'a str,
        billing: &'a BillingProfile,
        associated_partner_id: Option<&'a str>,
    ) -> Self {
        Self {
            id,
            tenant_id: uuid::Uuid::new_v4().to_string(),
            domain,
            billing,
            relationship: Relationship::Reseller,
            allow_delegated_access: true,
            associated_partner_id,
        }
    }

    /// The billing profile as the `billing_profile` column keeps it.
    pub fn billing_json(&self) -> StoreResult<String> {
        serde_json::to_string(self.billing).map_err(|e| StoreError::Invalid {
            field: "billingProfile".into(),
            message: e.to_string(),
        })
    }

    /// The refusal when the partner already has this domain.
    pub fn domain_taken(&self) -> StoreError {
        StoreError::Taken {
            field: crate::api::validate::DOMAIN,
            message: format!("domain {} is already one of your customers", self.domain),
        }
    }
}

/// The billing profile of a customer made by accepting an invitation: what the page asked for.
pub fn accepted_billing(acceptance: &Acceptance) -> BillingProfile {
    BillingProfile {
        email: acceptance.email.clone(),
        culture: "en-US".into(),
        language: "en".into(),
        company_name: acceptance.company_name.clone(),
        default_address: Address::default(),
        ..BillingProfile::default()
    }
}

/// The refusal of an indirect reseller id that is not the partner's, named by `field`.
pub fn unknown_reseller(field: &str, reseller_id: &str) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        message: format!("{reseller_id} is not one of your indirect resellers"),
    }
}
