//! The one JSON error body. The client relies only on `code` and `description` (Partner Center's own).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub code: i64,
    pub description: String,
    #[serde(default)]
    pub error_name: String,
    #[serde(default)]
    pub data: Vec<String>,
    #[serde(default)]
    pub source: String,
}
