//! What can go wrong talking to the backend, in terms the dashboard can explain to a user.

use std::time::Duration;

use crate::api::ErrorBody;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// Connection refused, DNS failure, TLS failure, connection reset.
    #[error("cannot reach {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error("{url} did not answer within {after:?}")]
    Timeout { url: String, after: Duration },
    /// 401: the token is missing, unknown or revoked.
    #[error("token rejected: {description}")]
    Unauthorized { description: String },
    /// 403: the role may not; the description says which roles may.
    #[error("not allowed: {description}")]
    Forbidden { description: String },
    /// 404: unknown, or another partner's.
    #[error("not found: {description}")]
    NotFound { description: String },
    /// 429 after the client's own retries: wait this long.
    #[error("rate limited: retry in {retry_after:?}")]
    RateLimited { retry_after: Duration },
    /// Any other error status, with the backend's body.
    #[error("{status}: {}", body.description)]
    Status { status: u16, body: ErrorBody },
    /// The backend answered something that is not the expected JSON.
    #[error("unexpected response from {url}: {reason}")]
    Decode { url: String, reason: String },
    #[error("bad backend URL {url}: {reason}")]
    BadUrl { url: String, reason: String },
}

impl ClientError {
    /// Worth retrying later on its own (network trouble, 5xx, 429), as opposed to a request that is wrong.
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Unreachable { .. }
            | ClientError::Timeout { .. }
            | ClientError::RateLimited { .. } => true,
            ClientError::Status { status, .. } => *status >= 500,
            _ => false,
        }
    }
}
