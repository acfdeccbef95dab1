//! The `filter` query parameter of `GET /v1/customers`: JSON with PascalCase keys, as Partner Center has it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilterField {
    CompanyName,
    Domain,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FilterOperator {
    #[serde(rename = "starts_with")]
    StartsWith,
}

/// `{"Field":"CompanyName","Value":"con","Operator":"starts_with"}` — case-insensitive prefix search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", deny_unknown_fields)]
pub struct CustomerFilter {
    pub field: FilterField,
    pub value: String,
    pub operator: FilterOperator,
}

impl CustomerFilter {
    pub fn starts_with(field: FilterField, value: impl Into<String>) -> Self {
        Self {
            field,
            value: value.into(),
            operator: FilterOperator::StartsWith,
        }
    }

    /// The value of the `filter` query parameter (still to be URL-encoded).
    pub fn to_query_value(&self) -> String {
        // Serializing a struct of strings and unit enums cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}
