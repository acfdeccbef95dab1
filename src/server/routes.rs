//! The route table and its layers; nothing else.

pub mod redact;

use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{Extensions, HeaderMap, HeaderName, StatusCode, Version, header};
use axum::routing::{get, post};
use axum::{Extension, Router};
use tower_http::CompressionLevel;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::propagate_header::PropagateHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use super::context::{self, ClientAddr, RequestId};
use super::error::ApiError;
use super::handlers::gdap;
use super::handlers::{
    admin_approval, audit, customers, events, invite, partner, resources, support, users,
};
use super::{AppState, health};
use crate::api::{BULK_CONTENT_TYPE, CORRELATION_ID_HEADER, MAX_BODY_BYTES};

/// A request that takes longer than this is answered 503 rather than left hanging.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

pub fn router(state: AppState) -> Router {
    let v1 = Router::new()
        .route("/me", get(partner::me))
        .route("/agents", get(partner::agents))
        .route("/relationships", get(partner::relationships))
        .route("/auditrecords", get(audit::list))
        .route("/customers", get(customers::list).post(customers::create))
        .route(
            "/customers/relationshiprequests",
            get(partner::relationship_request),
        )
        .route(
            "/customers/relationshiprequests/rotate",
            post(partner::rotate_relationship_request),
        )
        .route(
            "/customers/{id}",
            get(customers::get).patch(customers::patch),
        )
        .route(
            "/customers/{id}/purchasepermission",
            get(customers::get_purchase_permission).put(customers::put_purchase_permission),
        )
        .route(
            "/customers/{id}/subscriptions",
            get(resources::subscriptions),
        )
        .route(
            "/customers/{id}/subscribedskus",
            get(resources::subscribed_skus),
        )
        .route(
            "/customers/{id}/users",
            get(users::list).post(users::create),
        )
        .route(
            "/customers/{id}/users/{uid}",
            get(users::get).delete(users::remove).patch(users::restore),
        )
        .route("/customers/{id}/users/{uid}/licenses", get(users::licenses))
        .route(
            "/customers/{id}/users/{uid}/licenseupdates",
            post(users::update_licenses),
        )
        .route(
            "/customers/{id}/supportcontacts",
            get(support::get_support_contacts).put(support::put_support_contacts),
        )
        .route(
            "/customers/{id}/servicerequests",
            get(support::list_service_requests).post(support::open_service_request),
        )
        .route("/events", get(events::events))
        .route(
            "/tenantRelationships/delegatedAdminRelationships",
            get(gdap::relationships::list).post(gdap::relationships::create),
        )
        .route(
            "/tenantRelationships/delegatedAdminRelationships/bulk",
            post(gdap::relationships::bulk),
        )
        .route(
            "/tenantRelationships/delegatedAdminRelationships/{id}",
            get(gdap::relationships::get).patch(gdap::relationships::patch),
        )
        .route(
            "/tenantRelationships/delegatedAdminRelationships/{id}/requests",
            post(gdap::relationships::request),
        )
        .route(
            "/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments",
            get(gdap::assignments::list).post(gdap::assignments::create),
        )
        .route("/securitygroups", get(gdap::assignments::security_groups))
        .route("/roledefinitions", get(gdap::assignments::role_definitions));
    Router::new()
        .nest("/v1", v1)
        // The customer's acceptance page: no token, plain HTML.
        .route("/invite/{code}", get(invite::show))
        .route("/invite/{code}/accept", post(invite::accept))
        // The customer's admin approval page (GDAP): the same guards as the acceptance page.
        .route("/admin-approval/{code}", get(admin_approval::show))
        .route(
            "/admin-approval/{code}/approve",
            post(admin_approval::approve),
        )
        .route(
            "/admin-approval/{code}/decline",
            post(admin_approval::decline),
        )
        .layer(Extension(invite::csrf::CsrfKey::default()))
        .route("/assets/invite.css", get(invite::stylesheet))
        // Probes: no token, no rate limit; /readyz asks the database at most once a second.
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .fallback(|| async { ApiError::NotFound })
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            REQUEST_TIMEOUT,
        ))
        .layer(PropagateHeaderLayer::new(HeaderName::from_static(
            "ms-correlationid",
        )))
        .layer(CatchPanicLayer::custom(|_| {
            axum::response::IntoResponse::into_response(ApiError::Internal(
                "handler panicked".into(),
            ))
        }))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            super::host::guard,
        ))
        .layer(compression())
        // As tower-http's default span, but the path's secrets (invitation codes) are redacted,
        // and with the request's id and client. At ERROR level so that it is enabled whatever
        // the log level: a span prints nothing itself, but a warning logged inside it carries
        // the id only if the span is enabled.
        .layer(
            TraceLayer::new_for_http().make_span_with(|request: &Request| {
                let uri = request.uri().path_and_query().map_or("", |p| p.as_str());
                let id = request
                    .extensions()
                    .get::<RequestId>()
                    .map_or("", |id| &id.0);
                let client = request.extensions().get::<ClientAddr>().and_then(|c| c.0);
                tracing::error_span!(
                    "request",
                    id = %id,
                    client = client.map(tracing::field::display),
                    method = %request.method(),
                    uri = %redact::path(uri),
                    version = ?request.version(),
                )
            }),
        )
        // Outermost: the id and client address exist before the span above is made.
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            context::middleware,
        ))
        .with_state(state)
}

/// gzip or zstd, as the client's `Accept-Encoding` prefers (zstd when both): JSON shrinks about
/// sixfold, which is most of a slow link's load time. Only JSON and the bulk read's JSON lines:
/// never the event stream (a compressor holds small events back until its buffer fills; the
/// default predicate also excludes `text/event-stream`) and never the HTML pages (they carry a
/// CSRF token beside text the visitor typed, what BREACH needs; the API's bearer tokens are not
/// sent by browsers on their own).
fn compression() -> CompressionLayer<impl Predicate> {
    fn json(_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/json") || t.starts_with(BULK_CONTENT_TYPE))
    }
    let json: fn(StatusCode, Version, &HeaderMap, &Extensions) -> bool = json;
    CompressionLayer::new()
        .quality(CompressionLevel::Default)
        .compress_when(DefaultPredicate::new().and(json))
}

// The header constant is spelled as Partner Center does; HTTP header names are case-insensitive.
const _: () = assert!(CORRELATION_ID_HEADER.len() == "ms-correlationid".len());
