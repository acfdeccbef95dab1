//! `/v1/tenantRelationships/delegatedAdminRelationships`: list (by end date, `$filter`,
//! `$skiptoken`), read, create (idempotent), change (`If-Match`), requests (lock for approval,
//! terminate) and the bulk extension.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{BASE, approval_url, query, render, tagged, taken_is_invalid};
use crate::api::gdap::validate::check_new;
use crate::api::gdap::{
    AdminRelationship, AdminRelationshipPatch, BulkRequest, GraphCollection, MAX_BULK_ITEMS,
    NewAdminRelationship, NewRelationshipRequest, RelationshipRequest, RequestAction,
};
use crate::api::{EventKind, Permission};
use crate::server::AppState;
use crate::server::auth::CurrentUser;
use crate::server::error::ApiError;
use crate::server::extract::JsonBody;
use crate::server::handlers::write::{self, authorize_change};
use crate::server::paging::gdap::RelationshipContinuation;

/// Fields a PATCH may name (Graph's; what the rules of each status then allow).
const PATCHABLE: &[&str] = &[
    "displayName",
    "duration",
    "autoExtendDuration",
    "accessDetails",
];
/// Longest relationship id a bulk item may name (ids are UUIDs; this leaves room).
const MAX_ID_CHARS: usize = 128;

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<GraphCollection<AdminRelationship>>, ApiError> {
    let query = query::parse(&params, state.continuation_signer())?;
    let partner_id = user.0.partner_id;
    let asked = query.clone();
    let page = state
        .store(move |s| s.admin_relationships(&partner_id, &asked))
        .await?;
    let next_link = page.next.as_ref().map(|cursor| {
        RelationshipContinuation::new(cursor, &query).next_link(state.continuation_signer())
    });
    let public = state.public_url();
    Ok(Json(GraphCollection {
        value: page.items.iter().map(|r| render(public, r)).collect(),
        next_link,
    }))
}

pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let partner_id = user.0.partner_id;
    let found = state
        .store(move |s| s.admin_relationship(&partner_id, &id))
        .await?;
    Ok(tagged(state.public_url(), &found))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    body: JsonBody<NewAdminRelationship>,
) -> Result<Response, ApiError> {
    user.require(Permission::AdminRelationshipsManage)?;
    let checked = check_new(&body.value).map_err(|e| ApiError::invalid(&e.field, e.message))?;
    let key = write::request_key(&headers, &[&body.raw])?;
    let actor = user.0.clone();
    let now = state.now();
    let public = state.public_url().to_string();
    let created = state
        .store(move |s| {
            s.create_admin_relationship(
                &actor,
                &checked,
                key.as_ref(),
                &|r| write::first_answer(&render(&public, r)),
                &now,
            )
        })
        .await
        .map_err(taken_is_invalid)?;
    Ok(write::answer(created, |made| {
        state.changed(&user.0.partner_id, EventKind::AdminRelationshipCreated);
        let location = format!("{BASE}/{}", made.value.id);
        write::created_at(&location, made.version, render(state.public_url(), &made))
    }))
}

/// A PATCH's fields, refused by name when it is one that never changes (`customer`, `status`).
fn patch_body(raw: &[u8]) -> Result<AdminRelationshipPatch, ApiError> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(raw).map_err(|e| ApiError::BadJson(e.to_string()))?;
    for name in object.keys() {
        // Graph clients may echo annotations (`@odata.etag`); they change nothing.
        if !PATCHABLE.contains(&name.as_str()) && !name.starts_with("@odata.") {
            return Err(ApiError::invalid(
                name,
                format!(
                    "can't be changed; a PATCH may name {}",
                    PATCHABLE.join(", ")
                ),
            ));
        }
    }
    serde_json::from_value(serde_json::Value::Object(object))
        .map_err(|e| ApiError::BadJson(e.to_string()))
}

pub async fn patch(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody<serde_json::Value>,
) -> Result<Response, ApiError> {
    let expected = authorize_change(&user, Permission::AdminRelationshipsManage, &headers)?;
    let patch = patch_body(&body.raw)?;
    let actor = user.0.clone();
    let now = state.now();
    let changed = state
        .store(move |s| s.update_admin_relationship(&actor, &id, &patch, &expected, &now))
        .await
        .map_err(taken_is_invalid)?;
    state.changed(&user.0.partner_id, EventKind::AdminRelationshipUpdated);
    Ok(tagged(state.public_url(), &changed))
}

pub async fn request(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody<NewRelationshipRequest>,
) -> Result<Response, ApiError> {
    user.require(Permission::AdminRelationshipsManage)?;
    let action = body.value.action;
    if !matches!(
        action,
        RequestAction::LockForApproval | RequestAction::Terminate
    ) {
        return Err(ApiError::invalid(
            "action",
            "a partner may send lockForApproval or terminate (the customer approves on the \
             approval page)",
        ));
    }
    let key = write::request_key(&headers, &[id.as_bytes(), b"\n", &body.raw])?;
    let now = state.now();
    let answer = RelationshipRequest {
        id: uuid::Uuid::new_v4().to_string(),
        action,
        // cspdash applies the action before answering.
        status: "succeeded".into(),
        created_date_time: now.clone(),
        last_modified_date_time: now.clone(),
    };
    let actor = user.0.clone();
    let stored_answer = answer.clone();
    let done = state
        .store(move |s| {
            s.request_admin_action(
                &actor,
                &id,
                action,
                key.as_ref(),
                &|_| write::first_answer(&stored_answer),
                &now,
            )
        })
        .await?;
    Ok(write::answer(done, |_| {
        state.changed(&user.0.partner_id, EventKind::AdminRelationshipUpdated);
        (StatusCode::CREATED, Json(answer)).into_response()
    }))
}

pub async fn bulk(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    body: JsonBody<BulkRequest>,
) -> Result<Response, ApiError> {
    user.require(Permission::AdminRelationshipsManage)?;
    let request = body.value;
    if request.items.is_empty() || request.items.len() > MAX_BULK_ITEMS {
        return Err(ApiError::invalid(
            "items",
            format!(
                "name 1 to {MAX_BULK_ITEMS} relationships in one request (this one has {})",
                request.items.len()
            ),
        ));
    }
    for (n, item) in request.items.iter().enumerate() {
        if item.id.trim().is_empty() || item.id.chars().count() > MAX_ID_CHARS {
            return Err(ApiError::invalid(
                &format!("items[{n}].id"),
                "name a relationship by its id",
            ));
        }
    }
    let key = write::request_key(&headers, &[&body.raw])?;
    let actor = user.0.clone();
    let now = state.now();
    let public = state.public_url().to_string();
    let done = state
        .store(move |s| {
            s.bulk_admin_relationships_once(
                &actor,
                &request,
                key.as_ref(),
                &|results| {
                    let body = bulk_body(&public, results);
                    crate::server::store::StoredResponse {
                        status: StatusCode::OK.as_u16(),
                        body: serde_json::to_string(&body).unwrap_or_default(),
                    }
                },
                &now,
            )
        })
        .await?;
    Ok(write::answer(done, |results| {
        state.changed(&user.0.partner_id, EventKind::AdminRelationshipUpdated);
        Json(bulk_body(state.public_url(), &results)).into_response()
    }))
}

/// The results in item order, each relationship with its `approvalUrl` when it has a code.
fn bulk_body(
    public_url: &str,
    results: &[(crate::api::gdap::BulkResult, Option<String>)],
) -> GraphCollection<crate::api::gdap::BulkResult> {
    let value = results
        .iter()
        .map(|(result, code)| {
            let mut result = result.clone();
            if let (Some(relationship), Some(code)) = (result.relationship.as_mut(), code) {
                relationship.approval_url = Some(approval_url(public_url, code));
            }
            result
        })
        .collect();
    GraphCollection::whole(value)
}
