//! Request extractors with our error body: JSON bodies (400/413) and `If-Match` (428; the store answers 412).

use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, HeaderValue, header};
use serde::de::DeserializeOwned;

use super::error::ApiError;
use super::store::IfMatch;

/// Like `axum::Json`, but a bad body is a 400 that says what is wrong and a huge one is a 413,
/// both in the API's error shape. Keeps the raw bytes for idempotency hashing.
pub struct JsonBody<T> {
    pub value: T,
    /// The body as received.
    pub raw: axum::body::Bytes,
}

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::TooLarge
                } else {
                    ApiError::BadJson(rejection.body_text())
                }
            })?;
        if !is_json {
            return Err(ApiError::invalid(
                "Content-Type",
                "send the body as application/json",
            ));
        }
        let value = serde_json::from_slice(&bytes).map_err(|e| ApiError::BadJson(e.to_string()))?;
        Ok(JsonBody { value, raw: bytes })
    }
}

/// `If-Match` on a write: missing → 428. Any value is read (the store answers 412 unless it names
/// the current version); bytes that are not text match nothing, as garbage does.
pub fn if_match(headers: &HeaderMap) -> Result<IfMatch, ApiError> {
    let value = headers
        .get(header::IF_MATCH)
        .ok_or(ApiError::IfMatchRequired)?;
    Ok(value
        .to_str()
        .map_or(IfMatch::Tags(Vec::new()), IfMatch::parse))
}

pub fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).unwrap_or(HeaderValue::from_static("\"0\""))
}

#[cfg(test)]
mod tests;
