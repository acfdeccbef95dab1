//! `/v1/customers`: list (keyset-paged, filterable), read, add (idempotent), end/reinstate,
//! purchase permission.

mod bulk;

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};

use super::validate;
use super::write::{self, authorize_change, tagged};
use crate::api::{
    CONTINUATION_HEADER, Collection, Customer, CustomerFilter, CustomerPatch, DEFAULT_PAGE_SIZE,
    EventKind, LAST_EVENT_ID_HEADER, Links, NewCustomer, Permission, PurchasePermission,
};
use crate::server::AppState;
use crate::server::auth::CurrentUser;
use crate::server::error::ApiError;
use crate::server::extract::JsonBody;
use crate::server::paging::Continuation;
use crate::server::signing::Signer;
use crate::server::store::{CustomerPage, CustomerQuery};

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let requested_size = validate::page_size(params.get("size").map(String::as_str))?;
    let continuation = match headers.get(CONTINUATION_HEADER) {
        Some(value) => Some(
            value
                .to_str()
                .ok()
                .and_then(|token| Continuation::decode(token, state.continuation_signer()))
                .ok_or(ApiError::BadContinuationToken)?,
        ),
        None => None,
    };
    let filter = match (&continuation, params.get("filter")) {
        // A continued listing keeps the filter it started with.
        (Some(c), _) => c.filter().cloned(),
        (None, Some(raw)) => Some(parse_filter(raw)?),
        (None, None) => None,
    };
    let size = requested_size
        .or(continuation.as_ref().map(Continuation::size))
        .unwrap_or(DEFAULT_PAGE_SIZE);
    let query = CustomerQuery {
        size,
        filter,
        after: continuation.as_ref().map(Continuation::cursor),
    };
    let partner_id = user.0.partner_id.clone();
    let first_page = continuation.is_none();
    if bulk::wanted(&headers) {
        return bulk::respond(state, partner_id, query, first_page).await;
    }
    let (page, latest_event) = read_page(&state, &partner_id, &query, first_page).await?;
    let mut response = Json(collection(page, &query, state.continuation_signer())).into_response();
    if let Some(id) = latest_event {
        response
            .headers_mut()
            .insert(LAST_EVENT_ID_HEADER, header::HeaderValue::from(id));
    }
    Ok(response)
}

/// One page; with `first_page`, also the partner's latest event id as it was read.
async fn read_page(
    state: &AppState,
    partner_id: &str,
    query: &CustomerQuery,
    first_page: bool,
) -> Result<(CustomerPage, Option<i64>), ApiError> {
    let (partner_id, query) = (partner_id.to_string(), query.clone());
    state
        .store(move |s| {
            // Read before the page: a change after this id is in the page, or in the events
            // after it, or both (a listener merges by id); never in neither.
            let latest_event = match first_page {
                true => Some(s.latest_event_id(&partner_id)?),
                false => None,
            };
            Ok((s.list_customers(&partner_id, &query)?, latest_event))
        })
        .await
}

/// A page as the wire carries it, `links.next` continuing with the same size and filter.
fn collection(page: CustomerPage, query: &CustomerQuery, signer: &Signer) -> Collection<Customer> {
    let next = page.next.map(|cursor| {
        Continuation::new(&cursor, query.size, query.filter.as_ref()).next_link(signer)
    });
    Collection {
        total_count: page.total,
        items: page.items,
        links: Links { next },
        attributes: crate::api::Attributes::collection(),
    }
}

fn parse_filter(raw: &str) -> Result<CustomerFilter, ApiError> {
    let filter: CustomerFilter = serde_json::from_str(raw).map_err(|_| {
        ApiError::invalid(
            "filter",
            r#"expected JSON such as {"Field":"CompanyName","Value":"con","Operator":"starts_with"} (Field: CompanyName or Domain)"#,
        )
    })?;
    validate::filter(&filter)?;
    Ok(filter)
}

pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let partner_id = user.0.partner_id.clone();
    let found = state.store(move |s| s.customer(&partner_id, &id)).await?;
    Ok(tagged(found.version, found.value))
}

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    headers: HeaderMap,
    body: JsonBody<NewCustomer>,
) -> Result<Response, ApiError> {
    user.require(Permission::CustomersCreate)?;
    let new = validate::new_customer(body.value)?;
    let key = write::request_key(&headers, &[&body.raw])?;
    let actor = user.0.clone();
    let created = state
        .store(move |s| {
            s.create_customer(&actor, &new, key.as_ref(), &|customer| {
                write::first_answer(customer)
            })
        })
        .await?;
    Ok(write::answer(created, |customer| {
        state.changed(&user.0.partner_id, EventKind::CustomerCreated);
        // A new customer is at version 1.
        write::created_at(&format!("/v1/customers/{}", customer.id), 1, customer)
    }))
}

pub async fn patch(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody<CustomerPatch>,
) -> Result<Response, ApiError> {
    let expected = authorize_change(&user, Permission::CustomersUpdate, &headers)?;
    let relationship = body.value.relationship_to_partner.ok_or_else(|| {
        ApiError::invalid(
            "relationshipToPartner",
            "is required: \"none\" ends the relationship, \"reseller\" reinstates it",
        )
    })?;
    let actor = user.0.clone();
    let updated = state
        .store(move |s| s.set_relationship(&actor, &id, relationship, &expected))
        .await?;
    state.changed(&user.0.partner_id, EventKind::CustomerUpdated);
    Ok(tagged(updated.version, updated.value))
}

pub async fn get_purchase_permission(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let partner_id = user.0.partner_id.clone();
    let found = state
        .store(move |s| s.purchase_permission(&partner_id, &id))
        .await?;
    let body = PurchasePermission {
        allow_customer_purchase: found.value,
    };
    Ok(tagged(found.version, body))
}

pub async fn put_purchase_permission(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: JsonBody<PurchasePermission>,
) -> Result<Response, ApiError> {
    let expected = authorize_change(&user, Permission::PurchasePermissionUpdate, &headers)?;
    let allow = body.value.allow_customer_purchase;
    let actor = user.0.clone();
    let updated = state
        .store(move |s| s.set_purchase_permission(&actor, &id, allow, &expected))
        .await?;
    state.changed(&user.0.partner_id, EventKind::PurchasePermissionUpdated);
    let body = PurchasePermission {
        allow_customer_purchase: updated.value,
    };
    Ok(tagged(updated.version, body))
}

#[cfg(test)]
mod filter_props;
