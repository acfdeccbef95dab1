//! `/v1/customers/{id}/users`: list (active, or removed with the `UserState` filter), add
//! (idempotent), remove and restore (`If-Match`), and each user's licenses. Reading is for every
//! role; changes need `users.manage` (Global admin, Admin agent).

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::write::{self, authorize_change, tagged};

use crate::api::users::{INACTIVE, License, LicenseUpdate, NewUser, User, UserPatch};
use crate::api::{Collection, EventKind, Permission};
use crate::server::AppState;
use crate::server::auth::CurrentUser;
use crate::server::error::ApiError;
use crate::server::extract::{JsonBody, etag};
use crate::server::store::UserState;

/// Partner Center's filter on users: `{"Field":"UserState","Value":"Inactive","Operator":"equals"}`.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UserFilter {
    field: String,
    value: String,
    #[serde(default)]
    operator: String,
}

fn parse_state(raw: Option<&String>) -> Result<UserState, ApiError> {
    let Some(raw) = raw else {
        return Ok(UserState::Active);
    };
    let bad = || {
        ApiError::invalid(
            "filter",
            r#"expected {"Field":"UserState","Value":"Inactive","Operator":"equals"} (or Value Active)"#,
        )
    };
    let filter: UserFilter = serde_json::from_str(raw).map_err(|_| bad())?;
    let equals = filter.operator.is_empty() || filter.operator.eq_ignore_ascii_case("equals");
    if !filter.field.eq_ignore_ascii_case("UserState") || !equals {
        return Err(bad());
    }
    match filter.value.to_ascii_lowercase().as_str() {
        INACTIVE => Ok(UserState::Removed),
        "active" => Ok(UserState::Active),
        _ => Err(bad()),
    }
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Collection<User>>, ApiError> {
    let wanted = parse_state(params.get("filter"))?;
    let partner_id = user.0.partner_id;
    let users = state
        .store(move |s| s.list_users(&partner_id, &id, wanted))
        .await?;
    Ok(Json(Collection::whole(
        users.into_iter().map(|u| u.value).collect(),
    )))
}

pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, uid)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let partner_id = user.0.partner_id;
    let found = state.store(move |s| s.user(&partner_id, &id, &uid)).await?;
    Ok(tagged(found.version, found.value))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody<NewUser>,
) -> Result<Response, ApiError> {
    user.require(Permission::UsersManage)?;
    let partner_id = user.0.partner_id.clone();
    let customer_id = id.clone();
    let customer = state
        .store(move |s| s.customer(&partner_id, &customer_id))
        .await?;
    let domain = customer.value.company_profile.domain;
    let new = crate::api::users::validate::check_new_user(body.value, &domain)
        .map_err(|e| ApiError::invalid(e.field, e.message))?;
    // The fingerprint leaves the password out: nothing of it is kept, not even inside a hash.
    let mut fingerprint = new.clone();
    fingerprint.password_profile.password.clear();
    let key = write::request_key(
        &headers,
        &[&serde_json::to_vec(&fingerprint).unwrap_or_default()],
    )?;
    let actor = user.0.clone();
    let customer_id = id.clone();
    let created = state
        .store(move |s| {
            s.create_user(&actor, &customer_id, &new, key.as_ref(), &|user| {
                write::first_answer(&user.value)
            })
        })
        .await?;
    Ok(write::answer(created, |created| {
        state.changed(&user.0.partner_id, EventKind::UserCreated);
        let location = format!("/v1/customers/{id}/users/{}", created.value.id);
        write::created_at(&location, created.version, created.value)
    }))
}

pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, uid)): Path<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let expected = authorize_change(&user, Permission::UsersManage, &headers)?;
    let actor = user.0.clone();
    let removed = state
        .store(move |s| s.remove_user(&actor, &id, &uid, &expected))
        .await?;
    state.changed(&user.0.partner_id, EventKind::UserDeleted);
    Ok(tagged(removed.version, removed.value))
}

pub async fn restore(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, uid)): Path<(String, String)>,
    headers: HeaderMap,
    body: JsonBody<UserPatch>,
) -> Result<Response, ApiError> {
    let expected = authorize_change(&user, Permission::UsersManage, &headers)?;
    if body.value.state.as_deref() != Some("active") {
        return Err(ApiError::invalid(
            "state",
            "is required and must be \"active\" (restores a removed user)",
        ));
    }
    let actor = user.0.clone();
    let restored = state
        .store(move |s| s.restore_user(&actor, &id, &uid, &expected))
        .await?;
    state.changed(&user.0.partner_id, EventKind::UserUpdated);
    Ok(tagged(restored.version, restored.value))
}

pub async fn licenses(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, uid)): Path<(String, String)>,
) -> Result<Json<Collection<License>>, ApiError> {
    let partner_id = user.0.partner_id;
    let items = state
        .store(move |s| s.user_licenses(&partner_id, &id, &uid))
        .await?;
    Ok(Json(Collection::whole(items)))
}

/// Longest list of licenses in one update (more SKUs than any customer holds).
const MAX_LICENSES_PER_UPDATE: usize = 100;

pub async fn update_licenses(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, uid)): Path<(String, String)>,
    headers: HeaderMap,
    body: JsonBody<LicenseUpdate>,
) -> Result<Response, ApiError> {
    user.require(Permission::UsersManage)?;
    let update = body.value;
    for (field, len) in [
        ("licensesToAssign", update.licenses_to_assign.len()),
        ("licensesToRemove", update.licenses_to_remove.len()),
    ] {
        if len > MAX_LICENSES_PER_UPDATE {
            return Err(ApiError::invalid(
                field,
                format!("at most {MAX_LICENSES_PER_UPDATE} licenses in one update"),
            ));
        }
    }
    let key = write::request_key(&headers, &[&body.raw])?;
    let actor = user.0.clone();
    let answer = update.clone();
    let echoed = update.clone();
    let changed = state
        .store(move |s| {
            s.update_user_licenses(&actor, &id, &uid, &update, key.as_ref(), &|_| {
                write::first_answer(&answer)
            })
        })
        .await?;
    Ok(write::answer(changed, |user_after| {
        state.changed(&user.0.partner_id, EventKind::UserUpdated);
        // As Partner Center does: the update as sent; the user's ETag is the new one.
        let tag = etag(user_after.version);
        (StatusCode::CREATED, [(header::ETAG, tag)], Json(echoed)).into_response()
    }))
}
