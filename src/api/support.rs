//! A customer's support contacts (the partner's agents who look after it) and the service requests
//! the partner opens on its behalf, with the rules both the server and the dashboard's forms apply
//! (same words either side; every error names its field by JSON path).

use serde::{Deserialize, Serialize};

use super::validate::is_forbidden_char;

/// At most this many support contacts per customer: a helpdesk rota, not the whole staff.
pub const MAX_SUPPORT_CONTACTS: usize = 10;
/// Longest service request title, in characters.
pub const MAX_TITLE_CHARS: usize = 120;
/// Longest service request description, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 4000;

pub const TITLE: &str = "title";
pub const DESCRIPTION: &str = "description";
pub const SEVERITY: &str = "severity";
pub const CONTACT_AGENT_ID: &str = "contact.agentId";

/// A field that broke a rule, by JSON path (`items[2].agentId`), and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct Invalid {
    pub field: String,
    pub message: String,
}

impl Invalid {
    pub fn at(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The JSON path of the `n`th contact's agent id in a PUT body.
pub fn contact_field(n: usize) -> String {
    format!("items[{n}].agentId")
}

/// One of the partner's agents; `name` and `email` are filled in by the backend on reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupportContact {
    #[serde(default)]
    pub agent_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl SupportContact {
    /// A reference by id, as a PUT (or a new service request's `contact`) sends it.
    pub fn agent(id: &str) -> Self {
        Self {
            agent_id: id.to_string(),
            name: None,
            email: None,
        }
    }
}

/// `GET/PUT /v1/customers/{id}/supportcontacts`: the whole set (a PUT replaces it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct SupportContacts {
    #[serde(default)]
    pub items: Vec<SupportContact>,
}

impl SupportContacts {
    pub fn of_agents<S: AsRef<str>>(ids: &[S]) -> Self {
        Self {
            items: ids
                .iter()
                .map(|id| SupportContact::agent(id.as_ref()))
                .collect(),
        }
    }

    /// The agent ids, trimmed, in order: at most [`MAX_SUPPORT_CONTACTS`], none blank or twice.
    pub fn checked_agent_ids(&self) -> Result<Vec<String>, Invalid> {
        if self.items.len() > MAX_SUPPORT_CONTACTS {
            return Err(Invalid::at(
                "items",
                format!(
                    "at most {MAX_SUPPORT_CONTACTS} support contacts per customer ({} given)",
                    self.items.len()
                ),
            ));
        }
        let mut ids: Vec<String> = Vec::with_capacity(self.items.len());
        for (n, contact) in self.items.iter().enumerate() {
            let id = contact.agent_id.trim();
            let problem = if id.is_empty() {
                Some("is required: the id of one of your agents (GET /v1/agents)".to_string())
            } else if id.chars().count() > 64 || id.chars().any(is_forbidden_char) {
                Some("is not an agent id".to_string())
            } else if ids.iter().any(|seen| seen == id) {
                Some(format!("{id} is listed twice"))
            } else {
                None
            };
            if let Some(message) = problem {
                return Err(Invalid::at(contact_field(n), message));
            }
            ids.push(id.to_string());
        }
        Ok(ids)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Minimal,
    Moderate,
    Critical,
    /// A severity this build does not know (from a newer backend); never sent.
    #[serde(other)]
    Unknown,
}

impl Severity {
    /// The ones a user may choose, mildest first.
    pub const CHOICES: [Severity; 3] = [Severity::Minimal, Severity::Moderate, Severity::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Minimal => "minimal",
            Severity::Moderate => "moderate",
            Severity::Critical => "critical",
            Severity::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ServiceRequestStatus {
    Open,
    /// Microsoft support is waiting for the partner.
    AttentionNeeded,
    Closed,
    #[serde(other)]
    Unknown,
}

impl ServiceRequestStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceRequestStatus::Open => "open",
            ServiceRequestStatus::AttentionNeeded => "attentionNeeded",
            ServiceRequestStatus::Closed => "closed",
            ServiceRequestStatus::Unknown => "unknown",
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "open" => ServiceRequestStatus::Open,
            "attentionNeeded" => ServiceRequestStatus::AttentionNeeded,
            "closed" => ServiceRequestStatus::Closed,
            _ => ServiceRequestStatus::Unknown,
        }
    }
}

/// A service request opened on a customer's behalf (Partner Center's ServiceRequest, trimmed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRequest {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub severity: Severity,
    pub status: ServiceRequestStatus,
    /// RFC 3339 UTC.
    #[serde(default)]
    pub created_date: String,
    #[serde(default)]
    pub last_updated_date: String,
    /// When it was closed; absent while open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed_date: Option<String>,
    /// Whom Microsoft support should talk to: one of the partner's agents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<SupportContact>,
    /// The agent who opened it.
    #[serde(default)]
    pub opened_by: String,
}

/// `POST /v1/customers/{id}/servicerequests`. Every field defaults, so a missing one is reported
/// by name rather than as unreadable JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct NewServiceRequest {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// An agent of the partner (`{"agentId": "..."}`); none: whoever opened it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<SupportContact>,
}

/// A new service request that passed [`check_new_service_request`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedServiceRequest {
    pub title: String,
    pub description: String,
    pub severity: Severity,
    pub contact_agent_id: Option<String>,
}

/// Trims and checks a new service request; the first broken rule, in the form's order. Whether
/// the contact is one of the partner's agents only the backend can say.
pub fn check_new_service_request(
    new: &NewServiceRequest,
) -> Result<CheckedServiceRequest, Invalid> {
    let title = new.title.trim();
    if title.is_empty() {
        return Err(Invalid::at(TITLE, "is required: what is wrong, in a line"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Invalid::at(
            TITLE,
            format!("must be at most {MAX_TITLE_CHARS} characters"),
        ));
    }
    if title.chars().any(is_forbidden_char) {
        return Err(Invalid::at(TITLE, "must not contain control characters"));
    }
    let description = new.description.replace("\r\n", "\n");
    let description = description.trim();
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Invalid::at(
            DESCRIPTION,
            format!("must be at most {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    // Lines and tabs are how people write a description; nothing else that drives a terminal.
    if description
        .chars()
        .any(|c| is_forbidden_char(c) && c != '\n' && c != '\t')
    {
        return Err(Invalid::at(
            DESCRIPTION,
            "must not contain control characters other than line breaks and tabs",
        ));
    }
    let severity = match new.severity {
        Some(s) if s != Severity::Unknown => s,
        _ => {
            return Err(Invalid::at(
                SEVERITY,
                "must be minimal, moderate or critical",
            ));
        }
    };
    let contact_agent_id = match &new.contact {
        None => None,
        Some(contact) => {
            let id = contact.agent_id.trim();
            if id.is_empty() || id.chars().count() > 64 || id.chars().any(is_forbidden_char) {
                return Err(Invalid::at(
                    CONTACT_AGENT_ID,
                    "must be the id of one of your agents (GET /v1/agents)",
                ));
            }
            Some(id.to_string())
        }
    };
    Ok(CheckedServiceRequest {
        title: title.to_string(),
        description: description.to_string(),
        severity,
        contact_agent_id,
    })
}

#[cfg(test)]
mod tests;
