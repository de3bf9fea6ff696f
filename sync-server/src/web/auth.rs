//! Who is asking: the session cookie, the login and logout handlers, and the extractors every
//! page takes instead of checking the session itself.
//!
//! - [`SignedIn`]: any user with a live session (a form whose action the store checks by role).
//! - [`Staff`]: anyone but a fieldworker (the dashboard is the Core Team's and the CWC's).
//! - [`Supervisor`]: a supervisor or an administrator.
//! - [`Admin`]: an administrator.
//!
//! Without a session each answers a redirect to `/login`; with the wrong role, 403 and a page
//! in the user's language saying whose page it is. Scope (which districts and blocks) is not a
//! role: each page checks the case or district it shows with [`crate::scope`].

use axum::Form;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use maud::html;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::store::{Role, WebUser};
use crate::web::html::layout;
use crate::web::ui::Ui;

/// The session cookie's name.
pub const COOKIE: &str = "hw_session";

/// A cookie's value from the request's `Cookie` headers.
pub(crate) fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The logged-in user, or a redirect to the login page.
async fn session(state: &AppState, headers: &HeaderMap) -> Result<WebUser, Response> {
    let Some(token) = cookie(headers, COOKIE) else {
        return Err(Redirect::to("/login").into_response());
    };
    match state.with_store(move |s| s.session(&token)).await {
        Ok(u) => Ok(u),
        Err(ApiError::Unauthorized(_)) => Err(Redirect::to("/login").into_response()),
        Err(e) => Err(e.into_response()),
    }
}

/// 403 with a page saying whose page it is (`message` is a catalogue id).
fn forbidden(parts: &Parts, user: &WebUser, message: &str) -> Response {
    let ui = Ui::of(parts);
    let t = ui.catalogue();
    let body = html! { main { p { (t.get(message)) } } };
    (
        StatusCode::FORBIDDEN,
        layout(&ui, &t, &t.get("web-forbidden-title"), Some(user), body),
    )
        .into_response()
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $allowed:pat, $message:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub WebUser);

        impl FromRequestParts<AppState> for $name {
            type Rejection = Response;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &AppState,
            ) -> Result<Self, Self::Rejection> {
                let user = session(state, &parts.headers).await?;
                if matches!(user.role, $allowed) {
                    Ok($name(user))
                } else {
                    Err(forbidden(parts, &user, $message))
                }
            }
        }
    };
}

role_extractor!(
    /// Any user with a live session; the store checks the role of what they ask.
    SignedIn,
    _,
    "web-forbidden"
);
role_extractor!(
    /// Anyone but a fieldworker.
    Staff,
    Role::Supervisor | Role::Admin | Role::Cwc,
    "web-forbidden-fieldworker"
);
role_extractor!(
    /// A supervisor or an administrator.
    Supervisor,
    Role::Supervisor | Role::Admin,
    "web-forbidden-supervisor"
);
role_extractor!(
    /// An administrator.
    Admin,
    Role::Admin,
    "web-forbidden-admin"
);

fn login_form(ui: &Ui, error: Option<&str>) -> Html<String> {
    let t = ui.catalogue();
    let body = html! {
        form.login method="post" action="/login" {
            h1 { "Homeward" }
            @if let Some(e) = error { p.err role="alert" { (e) } }
            label { (t.get("web-login-user")) input name="user" autocomplete="username" required; }
            label { (t.get("web-login-password")) input name="password" type="password" autocomplete="current-password" required; }
            button type="submit" { (t.get("web-login")) }
        }
    };
    layout(ui, &t, &t.get("web-login"), None, body)
}

/// `GET /login`.
#[utoipa::path(
    get,
    path = "/login",
    tag = "dashboard",
    params(crate::web::ui::LangQuery),
    responses((status = 200, description = "The login form.", body = String, content_type = "text/html"))
)]
pub async fn login_page(ui: Ui) -> Html<String> {
    login_form(&ui, None)
}

/// The login form's fields.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginForm {
    /// The user id (case and surrounding spaces do not matter).
    user: String,
    /// The dashboard password.
    #[schema(format = Password)]
    password: String,
}

/// `POST /login`: a session cookie and the overview, or the form again with an error.
#[utoipa::path(
    post,
    path = "/login",
    tag = "dashboard",
    request_body(content = LoginForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Logged in: the session cookie, and on to /.", headers(
            ("location" = String, description = "`/`."),
            ("set-cookie" = String, description = "`hw_session=TOKEN; HttpOnly; SameSite=Strict; Path=/`."))),
        (status = 401, description = "Unknown user, wrong password, a disabled user, or too many failures of this id: the form again, with the reason.", body = String, content_type = "text/html"),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "Form fields that do not deserialize: a missing user or password (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 429, description = "Too many failed logins from this address, or from all, in the last minute; refused before any password is checked.", body = String, content_type = "text/plain",
            headers(("retry-after" = String, description = "Seconds until the window ends."))),
    )
)]
pub async fn login(State(state): State<AppState>, ui: Ui, Form(form): Form<LoginForm>) -> Response {
    let user = form.user.trim().to_lowercase();
    match state
        .with_store(move |s| s.login(&user, &form.password))
        .await
    {
        Ok((token, _)) => {
            let mut resp = Redirect::to("/").into_response();
            if let Ok(v) =
                HeaderValue::from_str(&format!("{COOKIE}={token}; {}", state.cookie_attributes()))
            {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            resp
        }
        Err(ApiError::Unauthorized(m)) => {
            (StatusCode::UNAUTHORIZED, login_form(&ui, Some(&m))).into_response()
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /logout`.
#[utoipa::path(
    post,
    path = "/logout",
    tag = "dashboard",
    security((), ("session" = [])),
    responses(
        (status = 303, description = "The session (if any) ended: to /login, the cookie cleared.", headers(
            ("location" = String, description = "`/login`."),
            ("set-cookie" = String, description = "`hw_session=` with `Max-Age=0`."))),
    )
)]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie(&headers, COOKIE) {
        let _ = state.with_store(move |s| s.logout(&token)).await;
    }
    let mut resp = Redirect::to("/login").into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{COOKIE}=; {}; Max-Age=0",
        state.cookie_attributes()
    )) {
        resp.headers_mut().insert(header::SET_COOKIE, v);
    }
    resp
}
