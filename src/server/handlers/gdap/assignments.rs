//! `.../delegatedAdminRelationships/{id}/accessAssignments` (list; give granted roles to one of the
//! partner's security groups, idempotent), and the catalogs the request form and the assignment
//! picker read: `/v1/securitygroups`, `/v1/roledefinitions`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;

use crate::api::gdap::{
    AccessAssignment, GraphCollection, NewAccessAssignment, RoleDefinition, SecurityGroup,
    roles::REQUESTABLE,
};
use crate::api::{EventKind, Permission};
use crate::server::AppState;
use crate::server::auth::CurrentUser;
use crate::server::error::ApiError;
use crate::server::extract::JsonBody;
use crate::server::handlers::write;
use crate::server::store::Versioned;

/// The wire value with its `@odata.etag`.
fn render(assignment: &Versioned<AccessAssignment>) -> AccessAssignment {
    let mut value = assignment.value.clone();
    value.etag = format!("\"{}\"", assignment.version);
    value
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<GraphCollection<AccessAssignment>>, ApiError> {
    let partner_id = user.0.partner_id;
    let items = state
        .store(move |s| s.access_assignments(&partner_id, &id))
        .await?;
    Ok(Json(GraphCollection::whole(
        items.iter().map(render).collect(),
    )))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody<NewAccessAssignment>,
) -> Result<Response, ApiError> {
    user.require(Permission::AdminRelationshipsManage)?;
    let key = write::request_key(&headers, &[id.as_bytes(), b"\n", &body.raw])?;
    let actor = user.0.clone();
    let now = state.now();
    let new = body.value;
    let created = state
        .store(move |s| {
            s.create_access_assignment(
                &actor,
                &id,
                &new,
                key.as_ref(),
                &|a| write::first_answer(&render(a)),
                &now,
            )
        })
        .await?;
    Ok(write::answer(created, |made| {
        state.changed(&user.0.partner_id, EventKind::AdminRelationshipUpdated);
        // No Location: assignments are read through the relationship's collection.
        let mut response = write::tagged(made.version, render(&made));
        *response.status_mut() = axum::http::StatusCode::CREATED;
        response
    }))
}

pub async fn security_groups(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<GraphCollection<SecurityGroup>>, ApiError> {
    let partner_id = user.0.partner_id;
    let groups = state.store(move |s| s.security_groups(&partner_id)).await?;
    Ok(Json(GraphCollection::whole(groups)))
}

/// Needs a token like every route, though the catalog is the same for everyone.
pub async fn role_definitions(_user: CurrentUser) -> Json<GraphCollection<RoleDefinition>> {
    Json(GraphCollection::whole(
        REQUESTABLE
            .iter()
            .map(|r| RoleDefinition {
                id: r.id.to_string(),
                display_name: r.name.to_string(),
                description: r.description.to_string(),
            })
            .collect(),
    ))
}
