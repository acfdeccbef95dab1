//! The customer's side of an invitation: `GET /invite/{code}` shows who invites and what accepting
//! grants; `POST /invite/{code}/accept` accepts. No token, no JavaScript; a server-signed CSRF
//! token ([`csrf`]) in the form and a `SameSite=Strict` cookie guard the form against cross-site
//! and scripted posts.
//!
//! The general link only creates new customers, and its answer is the same whether or not the
//! domain was already a customer: the page confirms nothing about the partner's customers.

pub mod csrf;

use axum::extract::{Extension, Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::Markup;

use self::csrf::{CsrfKey, Refusal};
use super::validate;
use crate::api::EventKind;
use crate::server::AppState;
use crate::server::error::ApiError;
use crate::server::invite_page::{self, FormState};
use crate::server::store::{AcceptOutcome, Acceptance, Invitation, LinkState};

const CSRF_COOKIE: &str = "cspdash_csrf";
/// No scripts, no frames, no third parties; forms post only back here.
const CSP: &str = "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; \
    frame-ancestors 'none'; base-uri 'none'";

#[derive(serde::Deserialize)]
pub struct AcceptForm {
    #[serde(default, rename = "companyName")]
    company_name: String,
    #[serde(default)]
    domain: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    csrf: String,
}

/// A page for a visitor without a token (this one, the admin approval page): strict CSP, never
/// framed, sniffed, cached or referred onwards (its URL carries a secret code).
pub(crate) fn page_response(status: StatusCode, markup: Markup) -> Response {
    let mut response = (status, axum::response::Html(markup.into_string())).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The URL carries the invitation code: never leak it to another site.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn html(status: StatusCode, markup: Markup, csrf_cookie: Option<&str>) -> Response {
    let mut response = page_response(status, markup);
    let headers = response.headers_mut();
    if let Some(token) = csrf_cookie {
        let cookie = format!("{CSRF_COOKIE}={token}; Path=/invite; HttpOnly; SameSite=Strict");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.insert(header::SET_COOKIE, value);
        }
    }
    response
}

async fn lookup(state: &AppState, code: &str) -> Result<Option<Invitation>, ApiError> {
    let code = code.to_string();
    match state.store(move |s| s.invitation(&code)).await {
        Ok(invitation) => Ok(Some(invitation)),
        Err(ApiError::NotFound) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Unknown codes are 404; expired, rotated and spent ones 410, each with a page saying so.
fn closed(state: Option<LinkState>) -> Response {
    match state {
        None | Some(LinkState::Open) => html(StatusCode::NOT_FOUND, invite_page::not_found(), None),
        Some(closed) => html(StatusCode::GONE, invite_page::closed(closed), None),
    }
}

pub(crate) fn now_unix() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn render_form(
    state: &AppState,
    key: &CsrfKey,
    invitation: &Invitation,
    code: &str,
    status: StatusCode,
    form: &FormState,
) -> Result<Response, ApiError> {
    let signer = key.signer(state).await?;
    let token = csrf::issue(&signer, code, now_unix() + csrf::LIFETIME_SECS)?;
    Ok(html(
        status,
        invite_page::form(invitation, code, &token, form),
        Some(&token),
    ))
}

pub async fn show(
    State(state): State<AppState>,
    Extension(key): Extension<CsrfKey>,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    match lookup(&state, &code).await? {
        Some(invitation) if invitation.state == LinkState::Open => {
            let form = FormState::for_link(&invitation);
            render_form(&state, &key, &invitation, &code, StatusCode::OK, &form).await
        }
        other => Ok(closed(other.map(|i| i.state))),
    }
}

pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_string())
}

pub async fn accept(
    State(state): State<AppState>,
    Extension(key): Extension<CsrfKey>,
    Path(code): Path<String>,
    headers: HeaderMap,
    Form(form): Form<AcceptForm>,
) -> Result<Response, ApiError> {
    let invitation = match lookup(&state, &code).await? {
        Some(invitation) if invitation.state == LinkState::Open => invitation,
        other => return Ok(closed(other.map(|i| i.state))),
    };
    // Limited only once the code is known to be open: junk codes make no limiter entry.
    if let Err(wait) = state.invite_accept_allowed(&code) {
        let mut page = html(
            StatusCode::TOO_MANY_REQUESTS,
            invite_page::too_many(wait),
            None,
        );
        page.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
        return Ok(page);
    }
    let mut shown = FormState {
        company_name: form.company_name.trim().to_string(),
        domain: form.domain.trim().to_ascii_lowercase(),
        email: form.email.trim().to_string(),
        error: None,
    };
    // A customer-bound link restores its customer, whatever the form says.
    if let Some(bound) = &invitation.customer {
        shown.company_name.clone_from(&bound.company_name);
        shown.domain.clone_from(&bound.domain);
    }
    let signer = key.signer(&state).await?;
    let sent_cookie = cookie(&headers, CSRF_COOKIE);
    if let Err(refusal) = csrf::check(
        &signer,
        &form.csrf,
        sent_cookie.as_deref(),
        &code,
        now_unix(),
    ) {
        shown.error = Some(match refusal {
            Refusal::Expired => "This form was open too long and expired. Please check your details and accept again.".into(),
            Refusal::Forged | Refusal::OtherLink => "This form was not sent from this page (or your browser refused its cookie). Please check your details and accept again.".into(),
        });
        let status = StatusCode::FORBIDDEN;
        return render_form(&state, &key, &invitation, &code, status, &shown).await;
    }
    if let Some(error) = check(&shown) {
        shown.error = Some(error);
        let status = StatusCode::BAD_REQUEST;
        return render_form(&state, &key, &invitation, &code, status, &shown).await;
    }
    let acceptance = Acceptance {
        company_name: shown.company_name.clone(),
        domain: shown.domain.clone(),
        email: shown.email.clone(),
    };
    let accept_code = code.clone();
    let result = state
        .store(move |s| s.accept_invitation(&accept_code, &acceptance))
        .await;
    let outcome = match result {
        Ok(outcome) => outcome,
        Err(
            ApiError::Conflict(message)
            | ApiError::Taken { message, .. }
            | ApiError::Invalid { message, .. },
        ) => {
            shown.error = Some(message);
            let status = StatusCode::BAD_REQUEST;
            return render_form(&state, &key, &invitation, &code, status, &shown).await;
        }
        Err(other) => return Err(other),
    };
    match outcome {
        AcceptOutcome::Created => {
            state.changed(&invitation.partner_id, EventKind::CustomerCreated);
        }
        AcceptOutcome::Restored => {
            state.changed(&invitation.partner_id, EventKind::CustomerUpdated);
        }
        AcceptOutcome::KnownDomain | AcceptOutcome::Unchanged => {}
        AcceptOutcome::Closed(link) => return Ok(closed(Some(link))),
    }
    Ok(html(
        StatusCode::OK,
        invite_page::accepted(&invitation, &shown, &outcome),
        None,
    ))
}

/// The form's rules, in words a customer understands.
fn check(form: &FormState) -> Option<String> {
    if form.company_name.is_empty() {
        return Some("Please enter your company name.".into());
    }
    if form.company_name.chars().count() > 255 || validate::has_forbidden_chars(&form.company_name)
    {
        return Some(
            "The company name must be at most 255 characters, without control characters.".into(),
        );
    }
    if !validate::is_domain(&form.domain) {
        return Some(format!(
            "\u{201c}{}\u{201d} is not a domain name. Use your organization's domain, for example contoso.onmicrosoft.com.",
            form.domain
        ));
    }
    if !validate::is_email(&form.email) {
        return Some(format!(
            "\u{201c}{}\u{201d} is not an email address.",
            form.email
        ));
    }
    None
}

/// The stylesheet the page links to (a file, so the CSP needs no inline styles).
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../../assets/invite.css"),
    )
        .into_response()
}
