//! Steps the write handlers share: role and `If-Match` before a change, the `MS-RequestId` key of
//! a POST, a single resource answered with its ETag, and a create answered new or replayed.

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::api::{Permission, REQUEST_ID_HEADER};
use crate::server::auth::CurrentUser;
use crate::server::error::ApiError;
use crate::server::extract::{etag, if_match};
use crate::server::store::{Created, IfMatch, RequestKey, StoredResponse};

/// A change to a single resource: the role first (403), then the `If-Match` it must carry (428).
pub fn authorize_change(
    user: &CurrentUser,
    needs: Permission,
    headers: &HeaderMap,
) -> Result<IfMatch, ApiError> {
    user.require(needs)?;
    if_match(headers)
}

/// The `MS-RequestId` of a POST, with a hash of `fingerprint` (the parts, in order): what the
/// key was first used for, so the same key with another request is a conflict.
pub fn request_key(
    headers: &HeaderMap,
    fingerprint: &[&[u8]],
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
    for part in fingerprint {
        hash.update(part);
    }
    Ok(Some(RequestKey {
        request_id: request_id.to_string(),
        body_sha256: crate::server::auth::lower_hex(&hash.finalize()),
    }))
}

/// A single resource with the ETag of its `version`.
pub fn tagged(version: i64, body: impl Serialize) -> Response {
    ([(header::ETAG, etag(version))], Json(body)).into_response()
}

/// A new resource: 201 with its ETag and `Location`.
pub fn created_at(location: &str, version: i64, body: impl Serialize) -> Response {
    let mut response = tagged(version, body);
    *response.status_mut() = StatusCode::CREATED;
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, value);
    }
    response
}

/// What a retry of a create gets back: a 201 with `body` as JSON.
pub fn first_answer(body: &impl Serialize) -> StoredResponse {
    StoredResponse {
        status: StatusCode::CREATED.as_u16(),
        body: serde_json::to_string(body).unwrap_or_default(),
    }
}

/// A create's answer: `new` for a new resource, or the stored first answer as it was sent.
pub fn answer<T>(outcome: Created<T>, new: impl FnOnce(T) -> Response) -> Response {
    match outcome {
        Created::New(value) => new(value),
        Created::Replayed(stored) => (
            StatusCode::from_u16(stored.status).unwrap_or(StatusCode::CREATED),
            [(header::CONTENT_TYPE, "application/json")],
            stored.body,
        )
            .into_response(),
    }
}
