//! A resource read together with its `ETag`, for the `If-Match` of the change that follows.

/// `value` as the backend answered it and the `ETag` it came with (sent back verbatim).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tagged<T> {
    pub value: T,
    pub etag: String,
}
