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
    /// The error for a non-success answer other than 429 (which the retry loop handles).
    /// A body that is not our JSON error shape (a proxy's HTML page, plain text) still gives a
    /// message a user can act on: the status, its reason and where it came from.
    pub fn from_status(status: u16, body: &[u8], url: &str) -> Self {
        let body = match serde_json::from_slice::<ErrorBody>(body) {
            Ok(body) => body,
            Err(_) => ErrorBody {
                code: i64::from(status),
                description: describe_foreign_body(status, body, url),
                error_name: String::new(),
                data: Vec::new(),
                source: String::new(),
            },
        };
        match status {
            401 => ClientError::Unauthorized {
                description: body.description,
            },
            403 => ClientError::Forbidden {
                description: body.description,
            },
            404 => ClientError::NotFound {
                description: body.description,
            },
            _ => ClientError::Status { status, body },
        }
    }

    /// Sorts a transport failure into "cannot reach" or "too slow", naming the root cause.
    pub fn from_transport(err: &reqwest::Error, url: &str, timeout: Duration) -> Self {
        let url = url.to_string();
        if err.is_timeout() && !err.is_connect() {
            return ClientError::Timeout {
                url,
                after: timeout,
            };
        }
        ClientError::Unreachable {
            url,
            reason: root_cause(err),
        }
    }

    /// 412: the resource changed since the ETag sent was read; read it again before changing it.
    pub fn is_stale(&self) -> bool {
        matches!(self, ClientError::Status { status: 412, .. })
    }

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

/// The innermost error message: reqwest's own wrapper ("error sending request for url ...")
/// repeats the URL the error already names.
fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

/// How long a snippet of a foreign body is quoted in an error message.
const SNIPPET_CHARS: usize = 120;

fn describe_foreign_body(status: u16, body: &[u8], url: &str) -> String {
    let reason = reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("error");
    let text = String::from_utf8_lossy(body);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let detail = if text.is_empty() {
        "with an empty body".to_string()
    } else if text.starts_with('<') {
        // An HTML error page from a proxy or load balancer: its markup helps nobody.
        "with an HTML page instead of JSON (a proxy or gateway in between?)".to_string()
    } else {
        let snippet: String = text.chars().take(SNIPPET_CHARS).collect();
        let more = if text.chars().count() > SNIPPET_CHARS {
            "…"
        } else {
            ""
        };
        format!("with a non-JSON body: \"{snippet}{more}\"")
    };
    format!("{reason} from {url} {detail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://h/v1/customers";

    #[test]
    fn statuses_map_to_what_the_user_can_do_about_them() {
        let body = br#"{"code":403,"description":"needs Global admin or Admin agent"}"#;
        assert!(matches!(
            ClientError::from_status(403, body, URL),
            ClientError::Forbidden { description } if description == "needs Global admin or Admin agent"
        ));
        let body = br#"{"code":401,"description":"unknown token"}"#;
        assert!(matches!(
            ClientError::from_status(401, body, URL),
            ClientError::Unauthorized { .. }
        ));
        let body = br#"{"code":404,"description":"no such customer"}"#;
        assert!(matches!(
            ClientError::from_status(404, body, URL),
            ClientError::NotFound { .. }
        ));
        let body = br#"{"code":409,"description":"domain taken","extra":true}"#;
        assert!(matches!(
            ClientError::from_status(409, body, URL),
            ClientError::Status { status: 409, body } if body.description == "domain taken"
        ));
    }

    #[test]
    fn an_html_error_page_gives_a_clear_message_without_markup() {
        let err = ClientError::from_status(502, b"<html><body>nginx</body></html>", URL);
        let message = err.to_string();
        assert!(
            message.starts_with("502: Bad Gateway from http://h/v1/customers"),
            "{message}"
        );
        assert!(message.contains("HTML page instead of JSON"), "{message}");
        assert!(!message.contains("<html>"), "{message}");
        assert!(err.is_transient());
    }

    #[test]
    fn a_plain_text_error_body_is_quoted_briefly() {
        let long = "upstream connect error ".repeat(20);
        let message = ClientError::from_status(503, long.as_bytes(), URL).to_string();
        assert!(message.contains("Service Unavailable"), "{message}");
        assert!(message.contains("\"upstream connect error"), "{message}");
        assert!(message.len() < 250, "{message}");
    }

    #[test]
    fn an_empty_401_still_says_the_token_was_rejected() {
        let message = ClientError::from_status(401, b"", URL).to_string();
        assert_eq!(
            message,
            "token rejected: Unauthorized from http://h/v1/customers with an empty body"
        );
    }
}
