//! Admin relationships (GDAP) under `/v1/tenantRelationships`, Graph-shaped (DESIGN.md §3):
//! relationships, their requests and access assignments, the bulk extension, and the catalogs
//! (`/v1/securitygroups`, `/v1/roledefinitions`). Every role reads; changes need
//! `adminrelationships.manage` (Global admin, Admin agent).

pub mod assignments;
pub mod query;
pub mod relationships;

use axum::response::Response;

use crate::api::gdap::{AdminRelationship, RelationshipStatus};
use crate::server::error::ApiError;
use crate::server::handlers::write;
use crate::server::store::gdap::StoredRelationship;

/// Where a relationship lives, for `Location`.
pub const BASE: &str = "/v1/tenantRelationships/delegatedAdminRelationships";

/// The link the customer's Global admin opens.
pub fn approval_url(public_url: &str, code: &str) -> String {
    format!("{public_url}/admin-approval/{code}")
}

/// The wire value: `@odata.etag` (the same value as the `ETag` header) and, while
/// `approvalPending`, the `approvalUrl`.
pub fn render(public_url: &str, stored: &StoredRelationship) -> AdminRelationship {
    let mut value = stored.value.clone();
    value.etag = format!("\"{}\"", stored.version);
    value.approval_url = stored
        .approval_code
        .as_deref()
        .filter(|_| value.status == RelationshipStatus::ApprovalPending)
        .map(|code| approval_url(public_url, code));
    value
}

/// A single relationship with its ETag.
pub fn tagged(public_url: &str, stored: &StoredRelationship) -> Response {
    write::tagged(stored.version, render(public_url, stored))
}

/// A name the partner already uses is a 400 naming `displayName` (issue §6: "a name taken ...
/// is a 400 that names the field"), not the 409 other unique values get.
pub fn taken_is_invalid(err: ApiError) -> ApiError {
    match err {
        ApiError::Taken { field, message } => ApiError::Invalid { field, message },
        other => other,
    }
}
