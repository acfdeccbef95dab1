//! `ApiError`: every way a request can fail, turned into a status and the one JSON error body.
//! Internal details are logged, never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::store::StoreError;
use crate::api::{ErrorBody, Permission, Role};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Bad input in a named field (or query parameter, or header).
    #[error("{field}: {message}")]
    Invalid { field: String, message: String },
    #[error("the request body is not valid JSON for this call: {0}")]
    BadJson(String),
    #[error(
        "MS-ContinuationToken: unknown or altered continuation token; start again from the first page"
    )]
    BadContinuationToken,
    #[error("no or unknown bearer token")]
    Unauthorized,
    #[error("a {role} may not do this; it needs {}", .permission.roles_sentence())]
    Forbidden { permission: Permission, role: Role },
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Conflict(String),
    /// A value that must be unique is taken; the body's `data` names the field.
    #[error("{message}")]
    Taken { field: String, message: String },
    #[error(
        "the resource changed since you read it (its ETag is now \"{current}\"); read it again"
    )]
    Stale { current: i64 },
    #[error("If-Match is required: send the ETag you read, or * to skip the check")]
    IfMatchRequired,
    #[error("the request body is larger than 1 MiB")]
    TooLarge,
    #[error("too many requests: retry in {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    /// The embedded backend answers only requests addressed to this machine (DNS rebinding).
    #[error(
        "the Host header must name this machine (localhost, 127.0.0.1 or [::1], with the port): \
         this backend serves only local requests"
    )]
    NotLoopbackHost,
    /// The database cannot be reached (PostgreSQL restarting, the network down): 503 with
    /// `Retry-After`, so clients wait and try again. The detail is logged (unless empty: the
    /// caller logged it), not sent.
    #[error("the backend cannot reach its database right now: retry in {UNAVAILABLE_RETRY_SECS} s")]
    Unavailable(String),
    /// Logged with its detail; the client sees only that something failed on our side.
    #[error("internal error")]
    Internal(String),
}

/// The `Retry-After` of a 503 for an unreachable database: long enough for a pooled connection
/// to be replaced, short enough that a restarted PostgreSQL is noticed soon.
pub const UNAVAILABLE_RETRY_SECS: u64 = 3;

impl ApiError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError::Invalid {
            field: field.to_string(),
            message: message.into(),
        }
    }

    fn parts(&self) -> (StatusCode, i64, &'static str) {
        match self {
            ApiError::Invalid { .. } => (StatusCode::BAD_REQUEST, 40000, "InvalidInput"),
            ApiError::BadJson(_) => (StatusCode::BAD_REQUEST, 40001, "InvalidJson"),
            ApiError::BadContinuationToken => {
                (StatusCode::BAD_REQUEST, 40002, "InvalidContinuationToken")
            }
            ApiError::Unauthorized => (StatusCode::UNAUTHORIZED, 40100, "Unauthorized"),
            ApiError::Forbidden { .. } => (StatusCode::FORBIDDEN, 40300, "Forbidden"),
            ApiError::NotFound => (StatusCode::NOT_FOUND, 40400, "NotFound"),
            ApiError::Conflict(_) | ApiError::Taken { .. } => {
                (StatusCode::CONFLICT, 40900, "Conflict")
            }
            ApiError::Stale { .. } => {
                (StatusCode::PRECONDITION_FAILED, 41200, "PreconditionFailed")
            }
            ApiError::IfMatchRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                42800,
                "PreconditionRequired",
            ),
            ApiError::TooLarge => (StatusCode::PAYLOAD_TOO_LARGE, 41300, "PayloadTooLarge"),
            ApiError::RateLimited { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, 42900, "TooManyRequests")
            }
            ApiError::NotLoopbackHost => {
                (StatusCode::MISDIRECTED_REQUEST, 42100, "MisdirectedRequest")
            }
            ApiError::Unavailable(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, 50300, "ServiceUnavailable")
            }
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, 50000, "InternalError"),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict(message) => ApiError::Conflict(message),
            StoreError::Taken { field, message } => ApiError::Taken {
                field: field.to_string(),
                message,
            },
            StoreError::Stale { current } => ApiError::Stale { current },
            StoreError::Invalid { field, message } => ApiError::invalid(&field, message),
            StoreError::Unavailable(detail) => ApiError::Unavailable(detail),
            other => ApiError::Internal(other.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, error_name) = self.parts();
        match &self {
            ApiError::Internal(detail) => tracing::error!(%detail, "request failed"),
            ApiError::Unavailable(detail) if !detail.is_empty() => {
                tracing::warn!(%detail, "database unavailable")
            }
            _ => {}
        }
        let data = match &self {
            ApiError::Invalid { field, .. } | ApiError::Taken { field, .. } => {
                vec![field.clone()]
            }
            ApiError::BadContinuationToken => vec![crate::api::CONTINUATION_HEADER.to_string()],
            _ => Vec::new(),
        };
        let body = ErrorBody {
            code,
            description: self.to_string(),
            error_name: error_name.to_string(),
            data,
            source: "cspdash".to_string(),
        };
        let mut response = (status, axum::Json(body)).into_response();
        let headers = response.headers_mut();
        match self {
            ApiError::RateLimited { retry_after_secs } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
            }
            ApiError::Unavailable(_) => {
                headers.insert(
                    header::RETRY_AFTER,
                    HeaderValue::from(UNAVAILABLE_RETRY_SECS),
                );
            }
            ApiError::Unauthorized => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}
