//! `If-Match` as a write's precondition (RFC 9110 §13.1.1): the store checks it inside the write's
//! transaction, so "read, then change only if nobody else did" holds between agents.
//!
//! Parsed by hand rather than with the `headers` crate: the grammar is one list of quoted tags,
//! and that crate would bring its whole typed-header stack (sha1, httpdate, mime) for it.

/// What a write's `If-Match` admits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IfMatch {
    /// `If-Match: *`: any current version (the client has not read the resource).
    Any,
    /// The opaque contents of the strong entity tags sent (`"3"` → `3`). Weak tags never match
    /// (If-Match compares strongly) and text that is no entity tag at all matches nothing, so
    /// both are left out: any value that is not the current ETag fails the precondition (412),
    /// whatever its form.
    Tags(Vec<String>),
}

impl IfMatch {
    /// Reads a header's value: `*`, or a comma-separated list of entity tags.
    pub fn parse(value: &str) -> Self {
        if value.trim() == "*" {
            return IfMatch::Any;
        }
        IfMatch::Tags(strong_tags(value))
    }

    /// Whether the resource at `version` (sent as the ETag `"<version>"`) meets the precondition.
    pub fn admits(&self, version: i64) -> bool {
        match self {
            IfMatch::Any => true,
            IfMatch::Tags(tags) => {
                let current = version.to_string();
                tags.contains(&current)
            }
        }
    }
}

/// The contents of the strong entity tags in a list; everything else is skipped.
fn strong_tags(value: &str) -> Vec<String> {
    let mut tags = Vec::new();
    let mut rest = value;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            return tags;
        }
        let weak = rest.starts_with("W/");
        let body = rest.strip_prefix("W/").unwrap_or(rest);
        if let Some(quoted) = body.strip_prefix('"') {
            // A tag may hold commas, so its end is the closing quote, not the next comma.
            match quoted.find('"') {
                Some(end) => {
                    if !weak {
                        tags.push(quoted[..end].to_string());
                    }
                    rest = &quoted[end + 1..];
                }
                None => return tags,
            }
        } else {
            // Not an entity tag: skip to the next list element.
            rest = rest.find(',').map_or("", |comma| &rest[comma..]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_admits_any_version() {
        assert!(IfMatch::parse(" * ").admits(7));
    }

    #[test]
    fn only_the_current_strong_tag_admits() {
        assert!(IfMatch::parse("\"3\"").admits(3));
        assert!(!IfMatch::parse("\"2\"").admits(3));
        // Strong comparison: a weak tag never matches, and "03" is not "3".
        assert!(!IfMatch::parse("W/\"3\"").admits(3));
        assert!(!IfMatch::parse("\"03\"").admits(3));
        // Not entity tags at all.
        for garbage in ["3", "stale", "\"3", "", "**", "W/3"] {
            assert!(!IfMatch::parse(garbage).admits(3), "{garbage:?}");
        }
    }

    #[test]
    fn a_list_admits_when_it_holds_the_current_tag() {
        assert!(IfMatch::parse("\"1\", W/\"2\", junk, \"3\"").admits(3));
        assert!(IfMatch::parse("\"a,b\",\"3\"").admits(3));
        assert!(!IfMatch::parse("\"1\", W/\"3\", 3").admits(3));
    }
}
