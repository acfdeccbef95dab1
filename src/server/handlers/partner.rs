//! The caller and their partner: `/v1/me`, agents, indirect resellers, the invitation link.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;

use crate::api::{
    Agent, Collection, Me, PartnerRelationship, Permission, RelationshipRequest, Role,
};
use crate::server::AppState;
use crate::server::auth::CurrentUser;
use crate::server::error::ApiError;

pub async fn me(user: CurrentUser) -> Json<Me> {
    let p = user.0;
    Json(Me {
        partner_id: p.partner_id,
        partner_name: p.partner_name,
        cloud: p.cloud,
        agent_id: p.agent_id,
        agent: p.agent_name,
        role: p.role,
        can: p
            .role
            .permissions()
            .into_iter()
            .map(|perm| perm.as_str().to_string())
            .collect(),
    })
}

pub async fn agents(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Collection<Agent>>, ApiError> {
    let role = match params.get("role") {
        Some(raw) => Some(Role::parse(raw).ok_or_else(|| {
            ApiError::invalid(
                "role",
                format!(
                    "unknown role {raw:?}: use global-admin, admin-agent, sales-agent or helpdesk-agent"
                ),
            )
        })?),
        None => None,
    };
    let partner_id = user.0.partner_id;
    let mut items = state.store(move |s| s.agents(&partner_id)).await?;
    if let Some(role) = role {
        items.retain(|a| a.role == role);
    }
    Ok(Json(Collection::whole(items)))
}

const INDIRECT_RESELLERS: &str = "IsIndirectCloudSolutionProviderOf";

pub async fn relationships(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Collection<PartnerRelationship>>, ApiError> {
    user.require(Permission::RelationshipsRequest)?;
    match params.get("relationship_type").map(String::as_str) {
        Some(INDIRECT_RESELLERS) => {}
        _ => {
            return Err(ApiError::invalid(
                "relationship_type",
                format!("must be {INDIRECT_RESELLERS}"),
            ));
        }
    }
    let partner_id = user.0.partner_id;
    let items = state
        .store(move |s| s.indirect_resellers(&partner_id))
        .await?;
    Ok(Json(Collection::whole(items)))
}

/// `?indirectResellerId=` binds an indirect reseller; `?customerId=` makes the link restore that
/// customer (one of the caller's, else 404) instead of creating new customers.
pub async fn relationship_request(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<RelationshipRequest>, ApiError> {
    user.require(Permission::RelationshipsRequest)?;
    let given = |name: &str| {
        params
            .get(name)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let reseller = given("indirectResellerId");
    let customer = given("customerId");
    let partner_id = user.0.partner_id;
    let code = state
        .store(move |s| s.invite_code(&partner_id, reseller.as_deref(), customer.as_deref()))
        .await?;
    Ok(Json(link(&state, &code)))
}

/// `POST .../relationshiprequests/rotate`: a new general link; every older one stops working.
/// A retry with the same `MS-RequestId` gets the link the first made (the code is kept with the
/// key, as the invitation itself keeps it) instead of retiring that one too.
pub async fn rotate_relationship_request(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
) -> Result<Json<RelationshipRequest>, ApiError> {
    user.require(Permission::RelationshipsRotate)?;
    let key = crate::server::handlers::write::request_key(&headers, &[b"rotate"])?;
    let actor = user.0;
    let code = state
        .store(move |s| s.rotate_invite(&actor, key.as_ref()))
        .await?;
    Ok(Json(link(&state, &code)))
}

fn link(state: &AppState, code: &str) -> RelationshipRequest {
    RelationshipRequest {
        url: format!("{}/invite/{code}", state.public_url()),
    }
}
