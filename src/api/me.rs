//! `GET /v1/me`: who the token belongs to and what that role may do.

use serde::{Deserialize, Serialize};

use super::role::Role;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    pub partner_id: String,
    pub partner_name: String,
    #[serde(default)]
    pub cloud: String,
    pub agent_id: String,
    pub agent: String,
    pub role: Role,
    /// Permission names (`customers.create`, ...); unknown names from newer backends are kept as text.
    #[serde(default)]
    pub can: Vec<String>,
}

impl Me {
    pub fn can(&self, permission: super::Permission) -> bool {
        self.can.iter().any(|c| c == permission.as_str())
    }
}
