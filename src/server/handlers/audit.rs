//! `GET /v1/auditrecords`: the partner's audit log, newest first, keyset-paged like the customers
//! list, filtered by a date range and a customer. Global admins and Admin agents only.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;

use super::validate;
use crate::api::{
    AuditRecord, CONTINUATION_HEADER, Collection, DEFAULT_PAGE_SIZE, Links, Permission,
};
use crate::server::AppState;
use crate::server::auth::CurrentUser;
use crate::server::error::ApiError;
use crate::server::paging::audit::{AuditContinuation, MAX_CUSTOMER_ID_CHARS};
use crate::server::store::AuditQuery;

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Json<Collection<AuditRecord>>, ApiError> {
    user.require(Permission::AuditRecordsRead)?;
    let requested_size = validate::page_size(params.get("size").map(String::as_str))?;
    let mut query = match headers.get(CONTINUATION_HEADER) {
        // A continued listing keeps the range and customer it started with.
        Some(value) => value
            .to_str()
            .ok()
            .and_then(|token| AuditContinuation::decode(token, state.continuation_signer()))
            .ok_or(ApiError::BadContinuationToken)?
            .query(),
        None => first_page(&params)?,
    };
    if let Some(size) = requested_size {
        query.size = size;
    }
    let partner_id = user.0.partner_id;
    let asked = query.clone();
    let page = state
        .store(move |s| s.audit_records(&partner_id, &asked))
        .await?;
    let signer = state.continuation_signer();
    let next = page
        .next
        .map(|cursor| AuditContinuation::new(&cursor, &query).next_link(signer));
    Ok(Json(Collection {
        total_count: page.total,
        items: page.items,
        links: Links { next },
        attributes: crate::api::Attributes::collection(),
    }))
}

/// The first page's query from `startDate`, `endDate` (dates or RFC 3339 times) and `customerId`.
fn first_page(params: &HashMap<String, String>) -> Result<AuditQuery, ApiError> {
    let param = |name: &str| params.get(name).map(String::as_str);
    let start = validate::date_bound("startDate", param("startDate"), false)?;
    let end = validate::date_bound("endDate", param("endDate"), true)?;
    if let (Some(start), Some(end)) = (&start, &end)
        && start > end
    {
        return Err(ApiError::invalid(
            "startDate",
            format!("must not be after endDate ({start} is after {end})"),
        ));
    }
    let customer_id = match param("customerId").map(str::trim) {
        None | Some("") => None,
        Some(id) if id.chars().count() > MAX_CUSTOMER_ID_CHARS => {
            return Err(ApiError::invalid(
                "customerId",
                format!("must be a customer id of at most {MAX_CUSTOMER_ID_CHARS} characters"),
            ));
        }
        Some(id) => Some(id.to_string()),
    };
    Ok(AuditQuery {
        size: DEFAULT_PAGE_SIZE,
        start,
        end,
        customer_id,
        after: None,
    })
}
