//! Continuation paging: where `links.next` points and where the first page is.

use reqwest::Url;

use super::ClientError;
use crate::api::CustomerFilter;

/// The URL `links.next.uri` means, given the backend root (`https://host[/prefix]`, no trailing `/`).
///
/// DESIGN.md §3 allows three spellings: absolute (`http://host/v1/customers?..`), rooted at `/v1/`
/// (`/v1/customers?..`), or relative to `/v1` as Partner Center writes it (`/customers?..`). Rooted
/// links are joined to the configured root (not the host's root) so a backend behind a path-prefixing
/// proxy still works. An absolute link to another origin is refused: it would receive the token.
pub fn resolve_next(root: &str, uri: &str) -> Result<Url, ClientError> {
    let bad = |reason: String| ClientError::BadUrl {
        url: uri.to_string(),
        reason,
    };
    let root_url = Url::parse(root).map_err(|e| bad(format!("backend URL {root}: {e}")))?;
    if let Ok(absolute) = Url::parse(uri) {
        if absolute.origin() != root_url.origin() {
            return Err(bad(format!(
                "the next-page link leaves {}; the token is not sent there",
                root_url.origin().ascii_serialization()
            )));
        }
        return Ok(absolute);
    }
    let joined = if uri == "/v1" || uri.starts_with("/v1/") || uri.starts_with("/v1?") {
        format!("{root}{uri}")
    } else if uri.starts_with('/') {
        format!("{root}/v1{uri}")
    } else {
        format!("{root}/v1/{uri}")
    };
    Url::parse(&joined).map_err(|e| bad(e.to_string()))
}

/// The first page's URL: `/v1/customers?size=N[&filter=<url-encoded JSON>]`.
pub fn first_page_url(
    root: &str,
    size: u32,
    filter: Option<&CustomerFilter>,
) -> Result<Url, ClientError> {
    let mut url = resolve_next(root, "/customers")?;
    {
        let mut query = url.query_pairs_mut();
        query.append_pair("size", &size.to_string());
        if let Some(filter) = filter {
            query.append_pair("filter", &filter.to_query_value());
        }
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::FilterField;

    const ROOT: &str = "http://127.0.0.1:8080";

    #[test]
    fn partner_center_style_links_are_relative_to_v1() {
        let url = resolve_next(ROOT, "/customers?size=100&seekOperation=Next").expect("resolves");
        assert_eq!(
            url.as_str(),
            "http://127.0.0.1:8080/v1/customers?size=100&seekOperation=Next"
        );
    }

    #[test]
    fn links_rooted_at_v1_are_not_doubled() {
        let url = resolve_next(ROOT, "/v1/customers?size=5").expect("resolves");
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/v1/customers?size=5");
    }

    #[test]
    fn absolute_links_to_the_same_backend_are_used_as_given() {
        let url = resolve_next(ROOT, "http://127.0.0.1:8080/v1/customers?x=1").expect("resolves");
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/v1/customers?x=1");
    }

    #[test]
    fn absolute_links_to_another_host_are_refused_so_the_token_stays_home() {
        let err = resolve_next(ROOT, "https://evil.example/v1/customers").expect_err("refused");
        assert!(err.to_string().contains("token is not sent there"), "{err}");
    }

    #[test]
    fn a_backend_behind_a_path_prefix_keeps_its_prefix() {
        let root = "https://example.net/cspdash";
        let rooted = resolve_next(root, "/v1/customers?a=1").expect("resolves");
        let relative = resolve_next(root, "/customers?a=1").expect("resolves");
        let bare = resolve_next(root, "customers?a=1").expect("resolves");
        for url in [rooted, relative, bare] {
            assert_eq!(url.as_str(), "https://example.net/cspdash/v1/customers?a=1");
        }
    }

    #[test]
    fn the_first_page_carries_size_and_the_url_encoded_filter() {
        let filter = CustomerFilter::starts_with(FilterField::CompanyName, "Müller & S");
        let url = first_page_url(ROOT, 50, Some(&filter)).expect("url");
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(pairs[0], ("size".into(), "50".into()));
        assert_eq!(pairs[1], ("filter".into(), filter.to_query_value()));
        assert!(
            url.as_str().contains("%26"),
            "the & in the value is encoded: {url}"
        );
    }
}
