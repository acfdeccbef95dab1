//! The base of invitation links the embedded backend hands out (`public_url` in config.toml,
//! `--public-url` on the command line; `cspdash serve --public-url` for a served backend).
//! Without it the embedded backend's links point at its loopback address and random port: a demo
//! link no customer can open, different every run.

/// Why a public URL cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublicUrlError {
    #[error("{url:?} is not a URL ({reason}); write it as https://host[:port][/path]")]
    NotAUrl { url: String, reason: String },
    #[error("{url:?}: scheme {scheme}: is not supported, use http:// or https://")]
    Scheme { url: String, scheme: String },
    #[error("{url:?} names no host")]
    NoHost { url: String },
    #[error(
        "{url:?}: the base of invitation links has no ?query or #fragment (the link's path is added to it)"
    )]
    QueryOrFragment { url: String },
}

/// Accepts `http(s)://host[:port][/path]`; returns it without a trailing `/`.
pub fn check_public_url(text: &str) -> Result<String, PublicUrlError> {
    let trimmed = text.trim().trim_end_matches('/');
    let url = reqwest::Url::parse(trimmed).map_err(|e| PublicUrlError::NotAUrl {
        url: text.to_string(),
        reason: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(PublicUrlError::Scheme {
            url: text.to_string(),
            scheme: url.scheme().to_string(),
        });
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(PublicUrlError::NoHost {
            url: text.to_string(),
        });
    }
    if url.query().is_some() || url.fragment().is_some() || trimmed.ends_with(['?', '#']) {
        return Err(PublicUrlError::QueryOrFragment {
            url: text.to_string(),
        });
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_and_https_bases_are_kept_without_a_trailing_slash() {
        assert_eq!(
            check_public_url(" https://links.example.net/cspdash/ "),
            Ok("https://links.example.net/cspdash".to_string())
        );
        assert_eq!(
            check_public_url("http://10.0.0.5:8080"),
            Ok("http://10.0.0.5:8080".to_string())
        );
    }

    #[test]
    fn anything_else_is_refused_saying_why() {
        let message = |text| check_public_url(text).expect_err(text).to_string();
        assert!(message("links.example.net").contains("is not a URL"));
        assert!(message("ftp://links.example.net").contains("use http:// or https://"));
        assert!(message("https://links.example.net/?a=1").contains("no ?query or #fragment"));
        assert!(message("https://links.example.net/#x").contains("no ?query or #fragment"));
        assert!(message("https://links.example.net?").contains("no ?query or #fragment"));
    }
}
