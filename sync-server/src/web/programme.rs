//! `/programme`: the programme in force (thresholds and schemes) for supervisors to read, and
//! for administrators to change: the NGO's file, laid over the defaults, validated by the
//! server (a file that does not read is refused with the line at fault and nothing changes),
//! kept as a new version with who set it and when, and sent to every phone at its next sync
//! ([`crate::store::Store::set_programme`]). The dashboard's figures, case pages and the CWC
//! report use the same version.

use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::ApiError;
use crate::store::{ProgrammeVersion, Role, WebUser};
use crate::web::auth::{Admin, Supervisor};
use crate::web::html::{layout, redirect_with};
use crate::web::ui::Ui;

/// Versions listed under the form.
const HISTORY: u32 = 20;

fn render(
    ui: &Ui,
    user: &WebUser,
    history: &[ProgrammeVersion],
    text: &str,
    alert: Markup,
) -> Response {
    let t = ui.catalogue();
    let admin = user.role == Role::Admin;
    let body = html! {
        main {
            h1 { (t.get("web-nav-programme")) }
            p.hint { (t.get("web-programme-hint")) }
            (alert)
            @match history.first() {
                Some(v) => p #in-force { (t.text("web-programme-version", &[
                    ("version", &v.version.to_string()),
                    ("by", &v.set_by),
                    ("at", &v.set_at.get(..16).unwrap_or(&v.set_at).replace('T', " ")),
                ])) },
                None => p #in-force { (t.get("web-programme-defaults")) },
            }
            @if admin {
                form.review #programme method="post" action="/programme" {
                    label { (t.get("web-programme-file")) br;
                        textarea name="text" rows="24" cols="90" spellcheck="false" { (text) }
                    }
                    br;
                    button { (t.get("web-programme-set")) }
                }
            } @else {
                pre #programme-text { (text) }
            }
            details #defaults {
                summary { (t.get("web-programme-defaults-file")) }
                pre { (homeward_shared::programme::DEFAULT_TOML) }
            }
            @if !history.is_empty() {
                h2 { (t.get("web-programme-history")) }
                table #programme-history {
                    tr { th { (t.get("web-version")) } th { (t.get("web-by")) } th { (t.get("web-date")) } }
                    @for v in history {
                        tr { td.n { (v.version) } td { (v.set_by) } td { (v.set_at.get(..16).unwrap_or(&v.set_at).replace('T', " ")) } }
                    }
                }
            }
        }
    };
    layout(ui, &t, &t.get("web-nav-programme"), Some(user), body).into_response()
}

/// `GET /programme`: the programme in force and its versions; the form for administrators.
#[utoipa::path(
    get,
    path = "/programme",
    tag = "dashboard",
    security(("session" = [])),
    params(crate::web::ui::LangQuery),
    responses(
        (status = 200, description = "The page.", body = String, content_type = "text/html"),
        (status = 303, description = "Not logged in, or the session ended: to /login.", headers(("location" = String, description = "`/login`."))),
        (status = 403, description = "Not a supervisor or administrator (an HTML page).", body = String, content_type = "text/html"),
    )
)]
pub async fn programme(
    State(state): State<AppState>,
    Supervisor(user): Supervisor,
    ui: Ui,
) -> Response {
    match state.with_store(|s| s.programme_history(HISTORY)).await {
        Ok(history) => {
            let text = history.first().map_or("", |v| v.text.as_str()).to_owned();
            render(&ui, &user, &history, &text, html! {})
        }
        Err(e) => e.into_response(),
    }
}

/// The programme form.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProgrammeForm {
    /// The NGO's programme file (TOML), laid over the defaults.
    text: String,
}

/// `POST /programme`: an administrator sets the programme.
#[utoipa::path(
    post,
    path = "/programme",
    tag = "dashboard",
    security(("session" = [])),
    request_body(content = ProgrammeForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 303, description = "Set (a new version, audited, sent to every phone at its next sync) or unchanged: to /programme. Not logged in: to /login.", headers(("location" = String, description = "Where to go next."))),
        (status = 403, description = "Not an administrator (the role: an HTML page), or a form from another origin (text).", content((String = "text/html"), (String = "text/plain"))),
        (status = 415, description = "No `Content-Type: application/x-www-form-urlencoded` (axum's rejection).", body = String, content_type = "text/plain"),
        (status = 422, description = "A file that does not read (the page again, naming the line at fault; nothing changed), or form fields that do not deserialize (axum's rejection).", content((String = "text/html"), (String = "text/plain"))),
    )
)]
pub async fn set(
    State(state): State<AppState>,
    Admin(user): Admin,
    ui: Ui,
    Form(form): Form<ProgrammeForm>,
) -> Response {
    let by = user.id.clone();
    let text = form.text.clone();
    match state.with_store(move |s| s.set_programme(&by, &text)).await {
        Ok(_) => redirect_with("/programme", None),
        Err(ApiError::Unprocessable(why)) => {
            match state.with_store(|s| s.programme_history(HISTORY)).await {
                Ok(history) => {
                    let alert = html! { p.err role="alert" { (why) } };
                    let mut resp = render(&ui, &user, &history, &form.text, alert);
                    *resp.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
                    resp
                }
                Err(e) => e.into_response(),
            }
        }
        Err(e) => e.into_response(),
    }
}
