//! The customer's side of an admin relationship (GDAP): `GET /admin-approval/{code}` shows who
//! asks for which roles and for how long; `POST /admin-approval/{code}/approve|decline` answers.
//! No token, no JavaScript; guarded as the invitation page is: a server-signed CSRF token in each
//! form and the same token in a `SameSite=Strict` cookie, answers limited per code, codes never
//! logged (the request span redacts them).

use axum::extract::rejection::FormRejection;
use axum::extract::{Extension, Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use maud::Markup;

use super::invite::csrf::{self, CsrfKey, Refusal};
use super::invite::{cookie, now_unix, page_response};
use crate::api::EventKind;
use crate::server::AppState;
use crate::server::admin_approval_page as pages;
use crate::server::error::ApiError;
use crate::server::store::gdap::{Approval, ApprovalOutcome, ApprovalState};

const CSRF_COOKIE: &str = "cspdash_approval_csrf";

#[derive(serde::Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    csrf: String,
}

/// Tokens for this page are sealed for another purpose than the invitation's, so one can never
/// stand in for the other.
fn csrf_subject(code: &str) -> String {
    format!("admin-approval:{code}")
}

fn html(status: StatusCode, markup: Markup, csrf_cookie: Option<&str>) -> Response {
    let mut response = page_response(status, markup);
    if let Some(token) = csrf_cookie {
        let cookie =
            format!("{CSRF_COOKIE}={token}; Path=/admin-approval; HttpOnly; SameSite=Strict");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

/// A failing store is a plain page too: a customer never gets an API error body.
fn unavailable(error: &ApiError) -> Response {
    tracing::error!(%error, "admin approval page failed");
    html(
        StatusCode::INTERNAL_SERVER_ERROR,
        pages::unavailable(),
        None,
    )
}

async fn lookup(state: &AppState, code: &str) -> Result<Option<Approval>, ApiError> {
    let code = code.to_string();
    let now = state.now();
    match state.store(move |s| s.approval(&code, &now)).await {
        Ok(approval) => Ok(Some(approval)),
        Err(ApiError::NotFound) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Unknown codes are 404; answered, expired and withdrawn ones 410, each saying which.
fn closed(approval: Option<&Approval>, state: ApprovalState) -> Response {
    match approval {
        None => html(StatusCode::NOT_FOUND, pages::not_found(), None),
        Some(approval) => html(StatusCode::GONE, pages::closed(approval, state), None),
    }
}

async fn render_form(
    state: &AppState,
    key: &CsrfKey,
    approval: &Approval,
    code: &str,
    status: StatusCode,
    error: Option<&str>,
) -> Result<Response, ApiError> {
    let signer = key.signer(state).await?;
    let token = csrf::issue(
        &signer,
        &csrf_subject(code),
        now_unix() + csrf::LIFETIME_SECS,
    )?;
    let now = state.clock().now();
    Ok(html(
        status,
        pages::form(approval, code, &token, now, error),
        Some(&token),
    ))
}

pub async fn show(
    State(state): State<AppState>,
    Extension(key): Extension<CsrfKey>,
    Path(code): Path<String>,
) -> Response {
    let shown = async {
        match lookup(&state, &code).await? {
            Some(approval) if approval.state == ApprovalState::Open => {
                render_form(&state, &key, &approval, &code, StatusCode::OK, None).await
            }
            Some(approval) => Ok(closed(Some(&approval), approval.state)),
            None => Ok(closed(None, ApprovalState::Open)),
        }
    };
    shown.await.unwrap_or_else(|e| unavailable(&e))
}

pub async fn approve(
    State(state): State<AppState>,
    Extension(key): Extension<CsrfKey>,
    Path(code): Path<String>,
    headers: HeaderMap,
    form: Result<Form<AnswerForm>, FormRejection>,
) -> Response {
    answer(&state, &key, &code, &headers, form, true)
        .await
        .unwrap_or_else(|e| unavailable(&e))
}

pub async fn decline(
    State(state): State<AppState>,
    Extension(key): Extension<CsrfKey>,
    Path(code): Path<String>,
    headers: HeaderMap,
    form: Result<Form<AnswerForm>, FormRejection>,
) -> Response {
    answer(&state, &key, &code, &headers, form, false)
        .await
        .unwrap_or_else(|e| unavailable(&e))
}

async fn answer(
    state: &AppState,
    key: &CsrfKey,
    code: &str,
    headers: &HeaderMap,
    form: Result<Form<AnswerForm>, FormRejection>,
    approve: bool,
) -> Result<Response, ApiError> {
    let approval = match lookup(state, code).await? {
        Some(approval) if approval.state == ApprovalState::Open => approval,
        Some(approval) => return Ok(closed(Some(&approval), approval.state)),
        None => return Ok(closed(None, ApprovalState::Open)),
    };
    // Limited only once the code is known to be open: junk codes make no limiter entry.
    if let Err(wait) = state.approval_answer_allowed(code) {
        let mut page = html(StatusCode::TOO_MANY_REQUESTS, pages::too_many(wait), None);
        page.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return Ok(page);
    }
    // A body that is not a form carries no token: refused like a missing one.
    let field = form.map(|Form(f)| f.csrf).unwrap_or_default();
    let signer = key.signer(state).await?;
    let sent_cookie = cookie(headers, CSRF_COOKIE);
    if let Err(refusal) = csrf::check(
        &signer,
        &field,
        sent_cookie.as_deref(),
        &csrf_subject(code),
        now_unix(),
    ) {
        let error = match refusal {
            Refusal::Expired => {
                "This page was open too long and its buttons expired. Nothing changed: please answer again."
            }
            Refusal::Forged | Refusal::OtherLink => {
                "This answer was not sent from this page (or your browser refused its cookie). Nothing changed: please answer again."
            }
        };
        let status = StatusCode::FORBIDDEN;
        return render_form(state, key, &approval, code, status, Some(error)).await;
    }
    let answer_code = code.to_string();
    let now = state.now();
    let outcome = state
        .store(move |s| s.answer_approval(&answer_code, approve, &now))
        .await?;
    Ok(match outcome {
        ApprovalOutcome::Approved(relationship) => {
            state.changed(&approval.partner_id, EventKind::AdminRelationshipUpdated);
            html(
                StatusCode::OK,
                pages::approved(&approval, &relationship),
                None,
            )
        }
        ApprovalOutcome::Declined(_) => {
            state.changed(&approval.partner_id, EventKind::AdminRelationshipUpdated);
            html(StatusCode::OK, pages::declined(&approval), None)
        }
        // Another answer (or the partner) won between the read and the write.
        ApprovalOutcome::Closed(closed_state) => closed(Some(&approval), closed_state),
    })
}
