//! A customer's services and licenses: read-only collections, scoped to the caller's partner.

use axum::Json;
use axum::extract::{Path, State};

use crate::api::{Collection, SubscribedSku, Subscription};
use crate::server::AppState;
use crate::server::auth::CurrentUser;
use crate::server::error::ApiError;

pub async fn subscriptions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Collection<Subscription>>, ApiError> {
    let partner_id = user.0.partner_id;
    let items = state
        .store(move |s| s.subscriptions(&partner_id, &id))
        .await?;
    Ok(Json(Collection::whole(items)))
}

pub async fn subscribed_skus(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<Collection<SubscribedSku>>, ApiError> {
    let partner_id = user.0.partner_id;
    let items = state
        .store(move |s| s.subscribed_skus(&partner_id, &id))
        .await?;
    Ok(Json(Collection::whole(items)))
}
