//! A single resource as read, with the `ETag` it came with: what a later change sends back as
//! `If-Match`, so it applies only if nobody changed the resource in between.

/// `value` as the backend sent it, and its `ETag` header exactly as received (quotes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged<T> {
    pub value: T,
    pub etag: String,
}

impl<T> Tagged<T> {
    pub fn new(value: T, etag: impl Into<String>) -> Self {
        Self {
            value,
            etag: etag.into(),
        }
    }

    /// The same ETag over a changed value (e.g. a part of the resource).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Tagged<U> {
        Tagged {
            value: f(self.value),
            etag: self.etag,
        }
    }
}
