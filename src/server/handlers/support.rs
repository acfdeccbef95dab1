//! `/v1/customers/{id}/supportcontacts` (GET all roles; PUT Global admin and Admin agent, with
//! `If-Match`) and `/v1/customers/{id}/servicerequests` (GET and POST for Global admin, Admin agent
//! and Helpdesk agent; POST idempotent by `MS-RequestId`).
//!
//! The service request listing is not paged: it answers the newest [`LISTED_SERVICE_REQUESTS`]
//! with `totalCount` saying how many there are in all (a customer may hold at most 1,000).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::write::{self, authorize_change, tagged};
use crate::api::support::check_new_service_request;
use crate::api::{Collection, EventKind, NewServiceRequest, Permission, SupportContacts};
use crate::server::AppState;
use crate::server::auth::CurrentUser;
use crate::server::error::ApiError;
use crate::server::extract::JsonBody;

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
    Ok(tagged(found.version, body))
}

pub async fn put_support_contacts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody<SupportContacts>,
) -> Result<Response, ApiError> {
    let expected = authorize_change(&user, Permission::SupportContactsUpdate, &headers)?;
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
    Ok(tagged(updated.version, body))
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
    // The customer is in the fingerprint: the same key sent for another customer is a conflict
    // rather than the first customer's answer.
    let key = write::request_key(
        &headers,
        &[b"servicerequests\n", id.as_bytes(), b"\n", &body.raw],
    )?;
    let actor = user.0.clone();
    let created = state
        .store(move |s| {
            s.open_service_request(&actor, &id, &new, key.as_ref(), &|opened| {
                write::first_answer(opened)
            })
        })
        .await?;
    Ok(write::answer(created, |opened| {
        state.changed(&user.0.partner_id, EventKind::ServiceRequestCreated);
        (StatusCode::CREATED, Json(opened)).into_response()
    }))
}
