//! Partner Center's resource collection: `totalCount`, `items`, and `links.next` for the next page.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attributes {
    #[serde(default)]
    pub object_type: String,
}

impl Attributes {
    pub fn new(object_type: &str) -> Self {
        Self {
            object_type: object_type.to_string(),
        }
    }
    pub fn customer() -> Self {
        Self::new("Customer")
    }
    pub fn collection() -> Self {
        Self::new("Collection")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection<T> {
    pub total_count: u64,
    pub items: Vec<T>,
    #[serde(default, skip_serializing_if = "Links::is_empty")]
    pub links: Links,
    #[serde(default = "Attributes::collection")]
    pub attributes: Attributes,
}

impl<T> Collection<T> {
    /// A collection that is complete in one page.
    pub fn whole(items: Vec<T>) -> Self {
        Self {
            total_count: items.len() as u64,
            items,
            links: Links::default(),
            attributes: Attributes::collection(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Links {
    /// Absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
}

impl Links {
    pub fn is_empty(&self) -> bool {
        self.next.is_none()
    }
}

/// How to fetch the next page: the client sends `method` to `uri` with `headers` added.
///
/// `uri` may be absolute, rooted at `/v1/`, or relative to `/v1` (`/customers?size=100&seekOperation=Next`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub uri: String,
    #[serde(default = "get")]
    pub method: String,
    #[serde(default)]
    pub headers: Vec<Header>,
}

fn get() -> String {
    "GET".to_string()
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub key: String,
    pub value: String,
}
