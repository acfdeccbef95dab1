//! The customer's side of an invitation: `GET /invite/{code}` shows who invites and what accepting
//! grants; `POST /invite/{code}/accept` accepts. No token, no JavaScript; a double-submit cookie
//! guards the form against cross-site posts.

use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::Markup;

use super::validate;
use crate::api::EventKind;
use crate::server::AppState;
use crate::server::error::ApiError;
use crate::server::invite_page::{self, FormState};
use crate::server::store::{Acceptance, Invitation};

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

fn html(status: StatusCode, markup: Markup, csrf_cookie: Option<&str>) -> Response {
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

fn render_form(
    invitation: &Invitation,
    code: &str,
    status: StatusCode,
    form: &FormState,
) -> Response {
    let csrf = uuid::Uuid::new_v4().simple().to_string();
    html(
        status,
        invite_page::form(invitation, code, &csrf, form),
        Some(&csrf),
    )
}

pub async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    Ok(match lookup(&state, &code).await? {
        Some(invitation) => render_form(&invitation, &code, StatusCode::OK, &FormState::default()),
        None => html(StatusCode::NOT_FOUND, invite_page::not_found(), None),
    })
}

fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
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
    Path(code): Path<String>,
    headers: HeaderMap,
    Form(form): Form<AcceptForm>,
) -> Result<Response, ApiError> {
    let Some(invitation) = lookup(&state, &code).await? else {
        return Ok(html(StatusCode::NOT_FOUND, invite_page::not_found(), None));
    };
    // Limited only once the code is known to exist: junk codes make no limiter entry.
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
    let csrf_ok = !form.csrf.is_empty()
        && cookie(&headers, CSRF_COOKIE).as_deref() == Some(form.csrf.as_str());
    if !csrf_ok {
        shown.error = Some("This form expired or was sent from another site. Please check your details and accept again.".into());
        return Ok(render_form(
            &invitation,
            &code,
            StatusCode::FORBIDDEN,
            &shown,
        ));
    }
    if let Some(error) = check(&shown) {
        shown.error = Some(error);
        return Ok(render_form(
            &invitation,
            &code,
            StatusCode::BAD_REQUEST,
            &shown,
        ));
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
    match result {
        Ok((outcome, customer)) => {
            state.changed(&invitation.partner_id, EventKind::CustomerUpdated);
            Ok(html(
                StatusCode::OK,
                invite_page::accepted(&invitation, &customer.company_profile.company_name, outcome),
                None,
            ))
        }
        Err(
            ApiError::Conflict(message)
            | ApiError::Taken { message, .. }
            | ApiError::Invalid { message, .. },
        ) => {
            shown.error = Some(message);
            Ok(render_form(
                &invitation,
                &code,
                StatusCode::BAD_REQUEST,
                &shown,
            ))
        }
        Err(other) => Err(other),
    }
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
