//! The rules a new admin relationship must meet, shared by the server (which enforces them) and
//! the request form (which checks before sending, with the same words). Errors name the field by
//! its JSON path, as the API's error body does.

use super::{
    AUTO_EXTEND_DAYS, AccessDetails, MAX_DURATION_DAYS, MAX_NAME_CHARS, NewAdminRelationship,
    iso_to_days, roles,
};
use crate::api::validate::has_forbidden_chars;

/// A field that broke a rule (`accessDetails.unifiedRoles[2].roleDefinitionId`) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    pub field: String,
    pub message: String,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> Invalid {
    Invalid {
        field: field.into(),
        message: message.into(),
    }
}

pub const DISPLAY_NAME: &str = "displayName";
pub const DURATION: &str = "duration";
pub const AUTO_EXTEND: &str = "autoExtendDuration";
pub const TENANT_ID: &str = "customer.tenantId";
pub const ROLES: &str = "accessDetails.unifiedRoles";

/// A request that passed every rule: trimmed name, whole days, known roles (each once, in the
/// order given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedRelationship {
    pub display_name: String,
    pub duration_days: u32,
    pub auto_extend_days: u32,
    pub tenant_id: String,
    pub role_ids: Vec<String>,
}

pub fn display_name(name: &str) -> Result<String, Invalid> {
    let name = name.trim();
    if name.is_empty() {
        return Err(invalid(DISPLAY_NAME, "the relationship needs a name"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(invalid(
            DISPLAY_NAME,
            format!("the name is longer than {MAX_NAME_CHARS} characters"),
        ));
    }
    if has_forbidden_chars(name) {
        return Err(invalid(DISPLAY_NAME, "the name holds control characters"));
    }
    Ok(name.to_string())
}

pub fn duration_days(text: &str) -> Result<u32, Invalid> {
    match iso_to_days(text) {
        Some(days) if (1..=MAX_DURATION_DAYS).contains(&days) => Ok(days),
        Some(_) => Err(invalid(
            DURATION,
            format!(
                "the duration must be 1 to {MAX_DURATION_DAYS} days (P1D..P{MAX_DURATION_DAYS}D)"
            ),
        )),
        None => Err(invalid(
            DURATION,
            "the duration must be whole days in ISO 8601, such as P730D",
        )),
    }
}

/// 0 or 180 days; 180 is refused while the roles include Global Administrator.
pub fn auto_extend_days(text: &str, access: &AccessDetails) -> Result<u32, Invalid> {
    match iso_to_days(text) {
        Some(0) => Ok(0),
        Some(AUTO_EXTEND_DAYS) if access.includes_global_administrator() => Err(invalid(
            AUTO_EXTEND,
            "auto-extend is not possible while Global Administrator is among the roles",
        )),
        Some(AUTO_EXTEND_DAYS) => Ok(AUTO_EXTEND_DAYS),
        _ => Err(invalid(
            AUTO_EXTEND,
            format!("auto-extend is PT0S (off) or P{AUTO_EXTEND_DAYS}D"),
        )),
    }
}

/// At least one role, each one the catalog knows, none twice.
pub fn role_ids(access: &AccessDetails) -> Result<Vec<String>, Invalid> {
    if access.unified_roles.is_empty() {
        return Err(invalid(ROLES, "choose at least one role"));
    }
    let mut ids: Vec<String> = Vec::with_capacity(access.unified_roles.len());
    for (n, role) in access.unified_roles.iter().enumerate() {
        let field = format!("{ROLES}[{n}].roleDefinitionId");
        let Some(known) = roles::find(&role.role_definition_id) else {
            return Err(invalid(
                field,
                "not a role an admin relationship can request",
            ));
        };
        if ids.iter().any(|id| id == known.id) {
            return Err(invalid(field, format!("{} is listed twice", known.name)));
        }
        ids.push(known.id.to_string());
    }
    Ok(ids)
}

pub fn check_new(new: &NewAdminRelationship) -> Result<CheckedRelationship, Invalid> {
    let display_name = display_name(&new.display_name)?;
    let duration_days = duration_days(&new.duration)?;
    let role_ids = role_ids(&new.access_details)?;
    let auto_extend_days = auto_extend_days(&new.auto_extend_duration, &new.access_details)?;
    let tenant_id = new.customer.tenant_id.trim();
    if tenant_id.is_empty() || has_forbidden_chars(tenant_id) {
        return Err(invalid(TENANT_ID, "name the customer by its tenant id"));
    }
    Ok(CheckedRelationship {
        display_name,
        duration_days,
        auto_extend_days,
        tenant_id: tenant_id.to_string(),
        role_ids,
    })
}
