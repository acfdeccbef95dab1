//! `/v1/customers/{id}/supportcontacts` (GET all roles; PUT Global admin and Admin agent, with
//! `If-Match`) and `/v1/customers/{id}/servicerequests` (GET and POST for Global admin, Admin agent
//! and Helpdesk agent; POST idempotent by `MS-RequestId`).
//!
//! The service request listing is not paged: it answers the newest [`LISTED_SERVICE_REQUESTS`]
//! with `totalCount` saying how many there are in all (a customer may hold at most 1,000).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::api::support::check_new_service_request;
use crate::api::{
    Collection, EventKind, NewServiceRequest, Permission, REQUEST_ID_HEADER, SupportContacts,
};
use crate::server::AppState;
use crate::server::auth::CurrentUser;
use crate::server::error::ApiError;
use crate::server::extract::{JsonBody, etag, if_match};
use crate::server::store::{Created, RequestKey, StoredResponse};

/// How many service requests a listing shows, newest first.
pub const LISTED_SERVICE_REQUESTS: u32 = 200;

pub async fn get_support_contacts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let partner_id = user.0.partner_id.clone();
    let found = state
        .store(move |s| s.support_contacts(&partner_id, &id))
        .await?;
    let body = SupportContacts { items: found.value };
    Ok(([(header::ETAG, etag(found.version))], Json(body)).into_response())
}

pub async fn put_support_contacts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody<SupportContacts>,
) -> Result<Response, ApiError> {
    user.require(Permission::SupportContactsUpdate)?;
    let expected = if_match(&headers)?;
    let agent_ids = body
        .value
        .checked_agent_ids()
        .map_err(|e| ApiError::invalid(&e.field, e.message))?;
    let actor = user.0.clone();
    let updated = state
        .store(move |s| s.set_support_contacts(&actor, &id, &agent_ids, &expected))
        .await?;
    // Wakes the event streams; an unchanged set recorded no event, and they find none.
    state.changed(&user.0.partner_id, EventKind::SupportContactsUpdated);
    let body = SupportContacts {
        items: updated.value,
    };
    Ok(([(header::ETAG, etag(updated.version))], Json(body)).into_response())
}

pub async fn list_service_requests(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    user.require(Permission::ServiceRequestsManage)?;
    let partner_id = user.0.partner_id.clone();
    let (total, items) = state
        .store(move |s| s.service_requests(&partner_id, &id, LISTED_SERVICE_REQUESTS))
        .await?;
    let mut listing = Collection::whole(items);
    listing.total_count = total;
    Ok(Json(listing).into_response())
}

pub async fn open_service_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody<NewServiceRequest>,
) -> Result<Response, ApiError> {
    user.require(Permission::ServiceRequestsManage)?;
    let new = check_new_service_request(&body.value)
        .map_err(|e| ApiError::invalid(&e.field, e.message))?;
    let key = request_key(&headers, &id, &body.raw)?;
    let actor = user.0.clone();
    let created = state
        .store(move |s| {
            s.open_service_request(&actor, &id, &new, key.as_ref(), &|opened| StoredResponse {
                status: StatusCode::CREATED.as_u16(),
                body: serde_json::to_string(opened).unwrap_or_default(),
            })
        })
        .await?;
    match created {
        Created::New(opened) => {
            state.changed(&user.0.partner_id, EventKind::ServiceRequestCreated);
            Ok((StatusCode::CREATED, Json(opened)).into_response())
        }
        Created::Replayed(stored) => Ok((
            StatusCode::from_u16(stored.status).unwrap_or(StatusCode::CREATED),
            [(header::CONTENT_TYPE, "application/json")],
            stored.body,
        )
            .into_response()),
    }
}

/// The `MS-RequestId` of a POST with what it was sent for: the customer and the body, so the same
/// key sent to another customer is a conflict rather than the first customer's answer.
fn request_key(
    headers: &HeaderMap,
    customer_id: &str,
    body: &[u8],
) -> Result<Option<RequestKey>, ApiError> {
    let Some(value) = headers.get(REQUEST_ID_HEADER) else {
        return Ok(None);
    };
    let request_id = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .ok_or_else(|| {
            ApiError::invalid(REQUEST_ID_HEADER, "must be 1 to 128 visible characters")
        })?;
    let mut hash = Sha256::new();
    hash.update(b"servicerequests\n");
    hash.update(customer_id.as_bytes());
    hash.update(b"\n");
    hash.update(body);
    Ok(Some(RequestKey {
        request_id: request_id.to_string(),
        body_sha256: format!("{:x}", hash.finalize()),
    }))
}
