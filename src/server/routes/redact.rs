//! Secrets that travel in URL paths (invitation codes, approval codes) must never reach a log:
//! the request spans show the path with those segments replaced by a placeholder.

use std::borrow::Cow;

/// Path segments after which the next segment is a secret.
const SECRET_AFTER: &[&str] = &["invite", "admin-approval"];
/// What a secret segment is logged as.
pub const PLACEHOLDER: &str = "{code}";

/// `path` (with its query, if any) with every secret segment replaced by [`PLACEHOLDER`].
pub fn path(path_and_query: &str) -> Cow<'_, str> {
    let (path, query) = match path_and_query.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path_and_query, None),
    };
    let mut after_keyword = false;
    let mut redacted = false;
    let segments: Vec<&str> = path
        .split('/')
        .map(|segment| {
            // A secret is never itself a keyword: `/invite/invite/accept` hides only one segment.
            let secret = std::mem::replace(&mut after_keyword, false);
            if secret {
                redacted = true;
                PLACEHOLDER
            } else {
                after_keyword = SECRET_AFTER.contains(&segment);
                segment
            }
        })
        .collect();
    if !redacted {
        return Cow::Borrowed(path_and_query);
    }
    let mut out = segments.join("/");
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_segments_are_replaced_and_everything_else_kept() {
        assert_eq!(path("/invite/s3cr3t"), "/invite/{code}");
        assert_eq!(path("/invite/s3cr3t/accept"), "/invite/{code}/accept");
        assert_eq!(
            path("/admin-approval/abc/approve?x=1"),
            "/admin-approval/{code}/approve?x=1"
        );
        assert_eq!(path("/invite/"), "/invite/{code}");
        assert_eq!(
            path("/v1/customers?size=10"),
            "/v1/customers?size=10",
            "nothing secret"
        );
        assert!(matches!(path("/v1/me"), Cow::Borrowed(_)));
        // A code that looks like a path keyword is still the code.
        assert_eq!(path("/invite/invite/accept"), "/invite/{code}/accept");
    }
}
