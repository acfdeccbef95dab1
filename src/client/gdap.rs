//! Admin relationships (GDAP) under `/v1/tenantRelationships`, Graph-shaped: collections are
//! `value` + `@odata.nextLink`, single resources carry `@odata.etag`, changes send `If-Match`.

use reqwest::{Method, Url};

use super::call::Call;
use super::{Client, ClientError, paging};
use crate::api::gdap::{
    AccessAssignment, AdminRelationship, AdminRelationshipPatch, BulkRequest, BulkResult,
    GraphCollection, NewAccessAssignment, NewAdminRelationship, NewRelationshipRequest,
    RelationshipRequest, RelationshipStatus, RequestAction, RoleDefinition, SecurityGroup,
};

const BASE: &str = "tenantRelationships";
const RELATIONSHIPS: &str = "delegatedAdminRelationships";

/// Which relationships to list: the `$filter` terms the backend understands, joined by `and`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RelationshipFilter {
    pub status: Option<RelationshipStatus>,
    pub tenant_id: Option<String>,
    /// Ending at or before this time (RFC 3339).
    pub end_before: Option<String>,
}

impl RelationshipFilter {
    pub fn of_customer(tenant_id: &str) -> Self {
        Self {
            tenant_id: Some(tenant_id.to_string()),
            ..Self::default()
        }
    }

    /// The OData expression, or None when nothing is filtered. Quotes in values are doubled, as
    /// OData escapes them.
    pub fn expression(&self) -> Option<String> {
        let quote = |v: &str| v.replace('\'', "''");
        let mut terms = Vec::new();
        if let Some(status) = self.status {
            terms.push(format!("status eq '{}'", status.as_str()));
        }
        if let Some(tenant) = &self.tenant_id {
            terms.push(format!("customer/tenantId eq '{}'", quote(tenant)));
        }
        if let Some(end) = &self.end_before {
            terms.push(format!("endDateTime le '{}'", quote(end)));
        }
        (!terms.is_empty()).then(|| terms.join(" and "))
    }
}

impl Client {
    fn gdap_url(&self, segments: &[&str]) -> Result<Url, ClientError> {
        let mut all = vec![BASE];
        all.extend_from_slice(segments);
        self.url(&all)
    }

    /// The Entra built-in roles a relationship may request, with their one-line descriptions.
    pub async fn role_definitions(&self) -> Result<Vec<RoleDefinition>, ClientError> {
        self.graph_all(self.url(&["roledefinitions"])?).await
    }

    /// The partner's security groups.
    pub async fn security_groups(&self) -> Result<Vec<SecurityGroup>, ClientError> {
        self.graph_all(self.url(&["securitygroups"])?).await
    }

    /// The first page of the partner's relationships by end date (`$top` up to 1000); follow
    /// `next_link` with [`Client::admin_relationships_next`].
    pub async fn admin_relationships_page(
        &self,
        filter: &RelationshipFilter,
        top: u32,
    ) -> Result<GraphCollection<AdminRelationship>, ClientError> {
        let mut url = self.gdap_url(&[RELATIONSHIPS])?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("$top", &top.to_string());
            query.append_pair("$orderby", "endDateTime");
            if let Some(expression) = filter.expression() {
                query.append_pair("$filter", &expression);
            }
        }
        self.call(Call::get(url)).await
    }

    /// The page an `@odata.nextLink` points at (absolute on this backend, or rooted at `/v1/`).
    pub async fn admin_relationships_next(
        &self,
        next_link: &str,
    ) -> Result<GraphCollection<AdminRelationship>, ClientError> {
        let url = paging::resolve_next(self.base_url(), next_link)?;
        self.call(Call::get(url)).await
    }

    /// Every relationship the filter matches (all pages): one customer's, say.
    pub async fn admin_relationships(
        &self,
        filter: &RelationshipFilter,
    ) -> Result<Vec<AdminRelationship>, ClientError> {
        let mut page = self.admin_relationships_page(filter, 1000).await?;
        let mut all = std::mem::take(&mut page.value);
        while let Some(next) = page.next_link.take() {
            page = self.admin_relationships_next(&next).await?;
            all.append(&mut page.value);
        }
        Ok(all)
    }

    pub async fn admin_relationship(&self, id: &str) -> Result<AdminRelationship, ClientError> {
        self.call(Call::get(self.gdap_url(&[RELATIONSHIPS, id])?))
            .await
    }

    /// Makes a relationship (status `created`). Keep `request_id` for retries of the same request.
    pub async fn create_admin_relationship(
        &self,
        new: &NewAdminRelationship,
        request_id: &str,
    ) -> Result<AdminRelationship, ClientError> {
        let url = self.gdap_url(&[RELATIONSHIPS])?;
        self.call(Call::post(url, new, request_id)?).await
    }

    /// Changes a relationship if it still has `etag` (its `@odata.etag`).
    pub async fn update_admin_relationship(
        &self,
        id: &str,
        patch: &AdminRelationshipPatch,
        etag: &str,
    ) -> Result<AdminRelationship, ClientError> {
        let url = self.gdap_url(&[RELATIONSHIPS, id])?;
        self.call(Call::conditional(Method::PATCH, url, patch, etag)?)
            .await
    }

    /// `lockForApproval` or `terminate`.
    pub async fn request_admin_action(
        &self,
        id: &str,
        action: RequestAction,
        request_id: &str,
    ) -> Result<RelationshipRequest, ClientError> {
        let url = self.gdap_url(&[RELATIONSHIPS, id, "requests"])?;
        let body = NewRelationshipRequest { action };
        self.call(Call::post(url, &body, request_id)?).await
    }

    /// Sends a `created` relationship for approval and reads it back, with its `approvalUrl`.
    pub async fn lock_for_approval(
        &self,
        id: &str,
        request_id: &str,
    ) -> Result<AdminRelationship, ClientError> {
        self.request_admin_action(id, RequestAction::LockForApproval, request_id)
            .await?;
        self.admin_relationship(id).await
    }

    pub async fn access_assignments(
        &self,
        relationship_id: &str,
    ) -> Result<Vec<AccessAssignment>, ClientError> {
        self.graph_all(self.gdap_url(&[RELATIONSHIPS, relationship_id, "accessAssignments"])?)
            .await
    }

    pub async fn create_access_assignment(
        &self,
        relationship_id: &str,
        new: &NewAccessAssignment,
        request_id: &str,
    ) -> Result<AccessAssignment, ClientError> {
        let url = self.gdap_url(&[RELATIONSHIPS, relationship_id, "accessAssignments"])?;
        self.call(Call::post(url, new, request_id)?).await
    }

    /// One action over up to `MAX_BULK_ITEMS` relationships in one request (a cspdash
    /// extension): a result per item, in order.
    pub async fn bulk_admin_relationships(
        &self,
        request: &BulkRequest,
        request_id: &str,
    ) -> Result<Vec<BulkResult>, ClientError> {
        let url = self.gdap_url(&[RELATIONSHIPS, "bulk"])?;
        let answer: GraphCollection<BulkResult> =
            self.call(Call::post(url, request, request_id)?).await?;
        Ok(answer.value)
    }

    /// Every page of a Graph collection.
    async fn graph_all<T: serde::de::DeserializeOwned>(
        &self,
        url: Url,
    ) -> Result<Vec<T>, ClientError> {
        let mut page: GraphCollection<T> = self.call(Call::get(url)).await?;
        let mut all = std::mem::take(&mut page.value);
        while let Some(next) = page.next_link.take() {
            let url = paging::resolve_next(self.base_url(), &next)?;
            page = self.call(Call::get(url)).await?;
            all.append(&mut page.value);
        }
        Ok(all)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_join_with_and_and_escape_quotes() {
        let filter = RelationshipFilter {
            status: Some(RelationshipStatus::Active),
            tenant_id: Some("o'neil".into()),
            end_before: None,
        };
        assert_eq!(
            filter.expression().as_deref(),
            Some("status eq 'active' and customer/tenantId eq 'o''neil'")
        );
        assert_eq!(RelationshipFilter::default().expression(), None);
    }
}
