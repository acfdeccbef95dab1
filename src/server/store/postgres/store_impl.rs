//! `Store` for [`PgStore`]: each method picks a read or a write transaction and hands over to the
//! module that owns the SQL.

use super::{
    PgStore, audit, customers, idempotency, invitations, listen, partners, resources, seeding,
    support, tokens,
};
use crate::server::store::{IfMatch, Store, StoreResult};

impl Store for PgStore {
    fn principal_for_token(
        &self,
        token_sha256: &str,
    ) -> StoreResult<Option<crate::server::store::Principal>> {
        let now = tokens::now_secs();
        let found = self.read(async |tx| tokens::lookup(tx, token_sha256, now).await)?;
        let Some((principal, due)) = found else {
            return Ok(None);
        };
        if due.any() {
            // Revoked between the read and this write: refused after all.
            let alive =
                self.write(async |tx| tokens::record_use(tx, token_sha256, now, due).await)?;
            if !alive {
                return Ok(None);
            }
        }
        Ok(Some(principal))
    }

    fn create_expiring_token(
        &self,
        token_sha256: &str,
        partner: Option<&str>,
        role: crate::api::Role,
        agent_name: Option<&str>,
        expiry: crate::server::store::TokenExpiry,
    ) -> StoreResult<crate::server::store::Principal> {
        self.write(async |tx| {
            partners::create_token(tx, token_sha256, partner, role, agent_name, expiry).await
        })
    }

    fn renew_token(&self, token_sha256: &str) -> StoreResult<bool> {
        self.write(async |tx| tokens::renew(tx, token_sha256, tokens::now_secs(), true).await)
    }

    fn purge_expired_tokens(&self) -> StoreResult<usize> {
        self.write(async |tx| tokens::purge(tx, tokens::now_secs()).await)
    }

    fn purge_request_ids_before(&self, cutoff: &str) -> StoreResult<usize> {
        self.write(async |tx| idempotency::purge_before(tx, cutoff).await)
    }

    fn secret(&self, name: &str) -> StoreResult<Vec<u8>> {
        self.write(async |tx| partners::secret(tx, name).await)
    }

    fn revoke_token(&self, token_sha256: &str) -> StoreResult<bool> {
        self.write(async |tx| tokens::revoke(tx, token_sha256).await)
    }

    fn tokens(&self) -> StoreResult<Vec<crate::server::store::TokenInfo>> {
        self.read(async |tx| tokens::list(tx).await)
    }

    fn token_holders(
        &self,
        name_or_id: &str,
    ) -> StoreResult<Vec<crate::server::store::TokenHolder>> {
        self.read(async |tx| tokens::holders(tx, name_or_id).await)
    }

    fn revoke_agent_tokens(
        &self,
        agent_id: &str,
    ) -> StoreResult<Vec<crate::server::store::TokenInfo>> {
        self.write(async |tx| tokens::revoke_agent(tx, agent_id).await)
    }

    fn revoke_token_id(&self, id: &str) -> StoreResult<Option<crate::server::store::TokenInfo>> {
        self.write(async |tx| tokens::revoke_id(tx, id).await)
    }

    fn agents(&self, partner_id: &str) -> StoreResult<Vec<crate::api::Agent>> {
        self.read(async |tx| partners::agents(tx, partner_id).await)
    }

    fn indirect_resellers(
        &self,
        partner_id: &str,
    ) -> StoreResult<Vec<crate::api::PartnerRelationship>> {
        self.read(async |tx| partners::indirect_resellers(tx, partner_id).await)
    }

    fn invite_code(
        &self,
        partner_id: &str,
        reseller_id: Option<&str>,
        customer_id: Option<&str>,
    ) -> StoreResult<String> {
        self.write(async |tx| {
            invitations::invite_code(tx, partner_id, reseller_id, customer_id).await
        })
    }

    fn rotate_invite(
        &self,
        actor: &crate::server::store::Principal,
        key: Option<&crate::server::store::RequestKey>,
    ) -> StoreResult<String> {
        self.write(async |tx| {
            if let Some(first) = idempotency::replayed(tx, &actor.partner_id, key).await? {
                return Ok(first.body);
            }
            let code = invitations::rotate(tx, actor).await?;
            let answer = crate::server::store::StoredResponse {
                status: 200,
                body: code.clone(),
            };
            idempotency::remember(tx, &actor.partner_id, key, &answer).await?;
            Ok(code)
        })
    }

    fn list_customers(
        &self,
        partner_id: &str,
        query: &crate::server::store::CustomerQuery,
    ) -> StoreResult<crate::server::store::CustomerPage> {
        self.read(async |tx| customers::list(tx, partner_id, query).await)
    }

    fn customer(
        &self,
        partner_id: &str,
        id: &str,
    ) -> StoreResult<crate::server::store::Versioned<crate::api::Customer>> {
        self.read(async |tx| customers::get(tx, partner_id, id).await)
    }

    fn create_customer(
        &self,
        actor: &crate::server::store::Principal,
        new: &crate::api::NewCustomer,
        key: Option<&crate::server::store::RequestKey>,
        respond: &dyn Fn(&crate::api::Customer) -> crate::server::store::StoredResponse,
    ) -> StoreResult<crate::server::store::Created<crate::api::Customer>> {
        self.write(async |tx| customers::create(tx, actor, new, key, respond).await)
    }

    fn set_relationship(
        &self,
        actor: &crate::server::store::Principal,
        id: &str,
        relationship: crate::api::Relationship,
        if_match: &IfMatch,
    ) -> StoreResult<crate::server::store::Versioned<crate::api::Customer>> {
        self.write(async |tx| {
            customers::set_relationship(tx, actor, id, relationship, if_match).await
        })
    }

    fn purchase_permission(
        &self,
        partner_id: &str,
        id: &str,
    ) -> StoreResult<crate::server::store::Versioned<bool>> {
        self.read(async |tx| customers::purchase_permission(tx, partner_id, id).await)
    }

    fn set_purchase_permission(
        &self,
        actor: &crate::server::store::Principal,
        id: &str,
        allow: bool,
        if_match: &IfMatch,
    ) -> StoreResult<crate::server::store::Versioned<bool>> {
        self.write(async |tx| {
            customers::set_purchase_permission(tx, actor, id, allow, if_match).await
        })
    }

    fn subscriptions(
        &self,
        partner_id: &str,
        customer_id: &str,
    ) -> StoreResult<Vec<crate::api::Subscription>> {
        self.read(async |tx| resources::subscriptions(tx, partner_id, customer_id).await)
    }

    fn subscribed_skus(
        &self,
        partner_id: &str,
        customer_id: &str,
    ) -> StoreResult<Vec<crate::api::SubscribedSku>> {
        self.read(async |tx| resources::subscribed_skus(tx, partner_id, customer_id).await)
    }

    fn support_contacts(
        &self,
        partner_id: &str,
        customer_id: &str,
    ) -> StoreResult<crate::server::store::Versioned<Vec<crate::api::SupportContact>>> {
        self.read(async |tx| support::support_contacts(tx, partner_id, customer_id).await)
    }

    fn set_support_contacts(
        &self,
        actor: &crate::server::store::Principal,
        customer_id: &str,
        agent_ids: &[String],
        if_match: &IfMatch,
    ) -> StoreResult<crate::server::store::Versioned<Vec<crate::api::SupportContact>>> {
        self.write(async |tx| {
            support::set_support_contacts(tx, actor, customer_id, agent_ids, if_match).await
        })
    }

    fn service_requests(
        &self,
        partner_id: &str,
        customer_id: &str,
        limit: u32,
    ) -> StoreResult<(u64, Vec<crate::api::ServiceRequest>)> {
        self.read(async |tx| support::service_requests(tx, partner_id, customer_id, limit).await)
    }

    fn open_service_request(
        &self,
        actor: &crate::server::store::Principal,
        customer_id: &str,
        new: &crate::api::support::CheckedServiceRequest,
        key: Option<&crate::server::store::RequestKey>,
        respond: &dyn Fn(&crate::api::ServiceRequest) -> crate::server::store::StoredResponse,
    ) -> StoreResult<crate::server::store::Created<crate::api::ServiceRequest>> {
        self.write(async |tx| {
            support::open_service_request(tx, actor, customer_id, new, key, respond).await
        })
    }

    fn audit_records(
        &self,
        partner_id: &str,
        query: &crate::server::store::AuditQuery,
    ) -> StoreResult<crate::server::store::AuditPage> {
        self.read(async |tx| audit::page(tx, partner_id, query).await)
    }

    fn latest_event_id(&self, partner_id: &str) -> StoreResult<i64> {
        self.read(async |tx| resources::latest_event_id(tx, partner_id).await)
    }

    fn events_after(
        &self,
        partner_id: &str,
        after_id: i64,
        limit: u32,
    ) -> StoreResult<Vec<crate::server::store::StoredEvent>> {
        self.read(async |tx| resources::events_after(tx, partner_id, after_id, limit).await)
    }

    fn invitation(&self, code: &str) -> StoreResult<crate::server::store::Invitation> {
        self.read(async |tx| invitations::invitation(tx, code).await)
    }

    fn accept_invitation(
        &self,
        code: &str,
        acceptance: &crate::server::store::Acceptance,
    ) -> StoreResult<crate::server::store::AcceptOutcome> {
        self.write(async |tx| invitations::accept(tx, code, acceptance).await)
    }

    fn is_empty(&self) -> StoreResult<bool> {
        self.read(async |tx| partners::is_empty(tx).await)
    }

    fn seed_demo(&self, customers: u32) -> StoreResult<()> {
        seeding::seed(self, customers)
    }

    fn ping(&self) -> StoreResult<()> {
        self.read(async |tx| {
            tx.execute("SELECT 1", &[]).await?;
            Ok(())
        })
    }

    fn watch_changes(&self, wake: crate::server::store::ChangeWaker) {
        self.runtime()
            .spawn(listen::forward(self.config.clone(), wake));
    }
}
